package schema

import (
	"cmp"
	"fmt"
	"math/big"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// A ValidationError reports that a document does not match a JSON Schema.
type ValidationError struct {
	// SchemaURL is the schema URL the document was validated against, as the
	// caller gave it.
	SchemaURL string
	// Problems lists what is wrong, sorted by Pointer and then Keyword. It is
	// never empty.
	Problems []Problem
}

// Error returns a one-line summary: the first problem and how many there are.
func (e *ValidationError) Error() string {
	if len(e.Problems) == 0 {
		return fmt.Sprintf("schema: document does not match %s", e.SchemaURL)
	}
	more := ""
	if n := len(e.Problems) - 1; n == 1 {
		more = " (and 1 more problem)"
	} else if n > 1 {
		more = fmt.Sprintf(" (and %d more problems)", n)
	}
	return fmt.Sprintf("schema: document does not match %s: %s%s", e.SchemaURL, e.Problems[0].Message, more)
}

// A Problem is one reason a document does not match a schema.
//
// The jsonschema error tree is flattened to its leaves, with these rules:
//
//   - "required" gives one Problem per missing property, at the place the
//     property should be (a pointer to a member that does not exist), so
//     Pointer names what to add, just as it names what to remove for
//     "additionalProperties".
//   - "additionalProperties" gives one Problem per property that is not
//     allowed, at that property, so Pointer names what to remove.
//   - "allOf" is transparent: each failing branch contributes its problems.
//   - "oneOf" and "anyOf": a branch that rejects the value's JSON type
//     outright is taken not to be the one the author meant. If exactly one
//     branch accepts the type, its problems are reported as if it were the
//     only schema (an issuer object missing "id" is reported as
//     `/issuer/id: required property is missing`, not as a oneOf failure).
//     Otherwise one Problem with Keyword "oneOf" (or "anyOf") is reported
//     at the value, whose Message summarises what each candidate branch
//     wanted. A value that matches more than one branch of a oneOf is one
//     "oneOf" Problem too.
//   - "contains" is one Problem at the array, naming the wanted value when
//     the contains schema is an enum or const.
//   - identical problems (same Pointer, Keyword and Message, as the two
//     branches of an allOf can give) are reported once.
type Problem struct {
	// Pointer is the RFC 6901 JSON pointer to the offending value in the
	// document; "" is the whole document.
	Pointer string
	// Keyword is the schema keyword that failed, such as "required",
	// "type", "enum", "pattern", "format", "contains", "minItems" or "oneOf".
	Keyword string
	// SchemaLocation is the absolute location of the keyword in the schema,
	// such as
	// https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json#/$defs/Image/additionalProperties.
	// For an embedded schema validated by one of its aliases (such as its
	// $id), the location is under the first URL that [Files] lists for the
	// schema's file, where it was compiled.
	SchemaLocation string
	// Message says what is wrong in a sentence that starts with the pointer
	// ("(root)" for the whole document), such as
	// `/credentialSubject/type: want an array, got a string` or
	// `/issuer: required property is missing`.
	Message string
}

// problem is a Problem under construction: Message is assembled at the end
// from the pointer and detail.
type problem struct {
	path    []string
	ptr     string // pointer(path), set by sortProblems
	keyword string
	loc     string
	detail  string
}

// problems flattens a jsonschema error tree into sorted, deduplicated
// Problems.
func problems(root *jsonschema.ValidationError) []Problem {
	var ps []problem
	fixPropertyNames(root)
	flatten(root, &ps)
	ps = sortProblems(ps)
	out := make([]Problem, len(ps))
	for i, p := range ps {
		out[i] = Problem{
			Pointer:        p.ptr,
			Keyword:        p.keyword,
			SchemaLocation: p.loc,
			Message:        displayPointer(p.ptr) + ": " + p.detail,
		}
	}
	return out
}

// sortProblems sorts ps by pointer, keyword and detail, and drops
// duplicates. jsonschema reports an object's properties in map order, so
// sorting is what makes the output stable.
func sortProblems(ps []problem) []problem {
	for i := range ps {
		ps[i].ptr = pointer(ps[i].path)
	}
	slices.SortStableFunc(ps, func(a, b problem) int {
		return cmp.Or(comparePointers(a.ptr, b.ptr), cmp.Compare(a.keyword, b.keyword), cmp.Compare(a.detail, b.detail))
	})
	return slices.CompactFunc(ps, func(a, b problem) bool {
		return a.ptr == b.ptr && a.keyword == b.keyword && a.detail == b.detail
	})
}

// flatten appends the leaf problems of e to ps.
func flatten(e *jsonschema.ValidationError, ps *[]problem) {
	switch k := e.ErrorKind.(type) {
	case *kind.Schema, *kind.Group, *kind.Reference, *kind.AllOf:
		for _, c := range e.Causes {
			flatten(c, ps)
		}
	case *kind.OneOf:
		if len(k.Subschemas) > 0 {
			*ps = append(*ps, leaf(e, "oneOf", fmt.Sprintf("matches alternatives %d and %d, but must match exactly one", k.Subschemas[0], k.Subschemas[1])))
			return
		}
		alternatives(e, "oneOf", ps)
	case *kind.AnyOf:
		alternatives(e, "anyOf", ps)
	case *kind.Required:
		for _, name := range k.Missing {
			p := leaf(e, "required", "required property is missing")
			p.path = append(slices.Clip(p.path), name)
			*ps = append(*ps, p)
		}
	case *kind.AdditionalProperties:
		for _, name := range k.Properties {
			p := leaf(e, "additionalProperties", "property "+strconv.Quote(name)+" is not allowed")
			p.path = append(slices.Clip(p.path), name)
			*ps = append(*ps, p)
		}
	default:
		kw, detail := describe(e)
		*ps = append(*ps, leaf(e, kw, detail))
	}
}

// leaf returns the problem for a single error node.
func leaf(e *jsonschema.ValidationError, keyword, detail string) problem {
	return problem{path: e.InstanceLocation, keyword: keyword, loc: keywordLocation(e), detail: detail}
}

// maxBranchProblems is how many problems of each branch the summary of a
// failed oneOf or anyOf names.
const maxBranchProblems = 3

// alternatives reports a failed oneOf or anyOf; see Problem.
func alternatives(e *jsonschema.ValidationError, keyword string, ps *[]problem) {
	var candidates []*jsonschema.ValidationError
	for _, c := range e.Causes {
		if !rejectsType(c, e.InstanceLocation) {
			candidates = append(candidates, c)
		}
	}
	if len(candidates) == 1 {
		flatten(candidates[0], ps)
		return
	}
	if len(candidates) == 0 {
		// Every branch rejects the value's type: say which types would do.
		var want []string
		got := ""
		for _, c := range e.Causes {
			for _, t := range typeErrors(c, e.InstanceLocation) {
				got = t.Got
				for _, w := range t.Want {
					if !slices.Contains(want, w) {
						want = append(want, w)
					}
				}
			}
		}
		*ps = append(*ps, leaf(e, keyword, fmt.Sprintf("want %s, got %s", typeList(want), article(got))))
		return
	}
	var branches []string
	for _, c := range candidates {
		var sub []problem
		flatten(c, &sub)
		sub = sortProblems(sub)
		var parts []string
		for i, p := range sub {
			if i == maxBranchProblems {
				parts = append(parts, fmt.Sprintf("and %d more", len(sub)-i))
				break
			}
			d := p.detail
			if len(p.path) > len(e.InstanceLocation) {
				d = pointer(p.path[len(e.InstanceLocation):]) + ": " + d
			}
			parts = append(parts, d)
		}
		branches = append(branches, strings.Join(parts, ", "))
	}
	intro := "matches none of the alternatives: "
	if keyword == "anyOf" {
		intro = "matches none of the choices: "
	}
	*ps = append(*ps, leaf(e, keyword, intro+strings.Join(branches, "; or ")))
}

// rejectsType reports whether the branch error e failed because its schema
// (following $ref and allOf) does not accept the JSON type of the value at
// loc.
func rejectsType(e *jsonschema.ValidationError, loc []string) bool {
	return len(typeErrors(e, loc)) > 0
}

// typeErrors returns the "type" failures for the value at loc in e, looking
// through $ref, allOf and groups of errors but not into other keywords.
func typeErrors(e *jsonschema.ValidationError, loc []string) []*kind.Type {
	if !slices.Equal(e.InstanceLocation, loc) {
		return nil
	}
	switch k := e.ErrorKind.(type) {
	case *kind.Type:
		return []*kind.Type{k}
	case *kind.Group, *kind.Reference, *kind.AllOf:
		var ts []*kind.Type
		for _, c := range e.Causes {
			ts = append(ts, typeErrors(c, loc)...)
		}
		return ts
	}
	return nil
}

// keywordLocation returns the absolute location of the failing keyword.
func keywordLocation(e *jsonschema.ValidationError) string {
	switch e.ErrorKind.(type) {
	case *kind.PropertyNames:
		return trimPrechecked(e.SchemaURL) // already the propertyNames subschema
	case *kind.Not:
		return trimPrechecked(e.SchemaURL) + "/not" // its KeywordPath is empty
	}
	loc := trimPrechecked(e.SchemaURL)
	for _, tok := range e.ErrorKind.KeywordPath() {
		loc += "/" + url.PathEscape(escapeToken(tok))
	}
	return loc
}

// describe returns the keyword and the message detail for a leaf error.
func describe(e *jsonschema.ValidationError) (keyword, detail string) {
	if kp := e.ErrorKind.KeywordPath(); len(kp) > 0 {
		keyword = kp[0]
	}
	switch k := e.ErrorKind.(type) {
	case *kind.Type:
		return keyword, fmt.Sprintf("want %s, got %s", typeList(k.Want), article(k.Got))
	case *kind.Enum:
		if len(k.Want) == 1 {
			return keyword, fmt.Sprintf("want %s, got %s", display(k.Want[0]), display(k.Got))
		}
		return keyword, fmt.Sprintf("want one of %s, got %s", displayList(k.Want), display(k.Got))
	case *kind.Const:
		return keyword, fmt.Sprintf("want %s, got %s", display(k.Want), display(k.Got))
	case *kind.Format:
		return keyword, fmt.Sprintf("%s is not a valid %s: %v", display(k.Got), k.Want, k.Err)
	case *kind.Pattern:
		return keyword, fmt.Sprintf("%q does not match the pattern %q", k.Got, k.Want)
	case *kind.Contains:
		return keyword, "want an array containing " + containsWant(e)
	case *kind.MinContains:
		return keyword, fmt.Sprintf("want at least %d items matching the contains schema, got %d", k.Want, len(k.Got))
	case *kind.MaxContains:
		return keyword, fmt.Sprintf("want at most %d items matching the contains schema, got %d", k.Want, len(k.Got))
	case *kind.MinItems:
		return keyword, fmt.Sprintf("want at least %d %s, got %d", k.Want, plural(k.Want, "item"), k.Got)
	case *kind.MaxItems:
		return keyword, fmt.Sprintf("want at most %d %s, got %d", k.Want, plural(k.Want, "item"), k.Got)
	case *kind.AdditionalItems:
		return keyword, fmt.Sprintf("the last %d %s not allowed", k.Count, plural(k.Count, "item is", "items are"))
	case *kind.UniqueItems:
		return keyword, fmt.Sprintf("items %d and %d are equal, but items must be unique", k.Duplicates[0], k.Duplicates[1])
	case *kind.MinLength:
		return keyword, fmt.Sprintf("want at least %d %s, got %d", k.Want, plural(k.Want, "character"), k.Got)
	case *kind.MaxLength:
		return keyword, fmt.Sprintf("want at most %d %s, got %d", k.Want, plural(k.Want, "character"), k.Got)
	case *kind.MinProperties:
		return keyword, fmt.Sprintf("want at least %d %s, got %d", k.Want, plural(k.Want, "property", "properties"), k.Got)
	case *kind.MaxProperties:
		return keyword, fmt.Sprintf("want at most %d %s, got %d", k.Want, plural(k.Want, "property", "properties"), k.Got)
	case *kind.Minimum:
		return keyword, fmt.Sprintf("want a number ≥ %s, got %s", rat(k.Want), rat(k.Got))
	case *kind.Maximum:
		return keyword, fmt.Sprintf("want a number ≤ %s, got %s", rat(k.Want), rat(k.Got))
	case *kind.ExclusiveMinimum:
		return keyword, fmt.Sprintf("want a number > %s, got %s", rat(k.Want), rat(k.Got))
	case *kind.ExclusiveMaximum:
		return keyword, fmt.Sprintf("want a number < %s, got %s", rat(k.Want), rat(k.Got))
	case *kind.MultipleOf:
		return keyword, fmt.Sprintf("want a multiple of %s, got %s", rat(k.Want), rat(k.Got))
	case *kind.Dependency:
		return keyword, fmt.Sprintf("property %q requires %s", k.Prop, quotedList(k.Missing))
	case *kind.DependentRequired:
		return keyword, fmt.Sprintf("property %q requires %s", k.Prop, quotedList(k.Missing))
	case *kind.PropertyNames:
		return keyword, fmt.Sprintf("property name %q is not allowed", k.Property)
	case *kind.Not:
		return "not", "matches a schema it must not match"
	case *kind.FalseSchema:
		return "false", "no value is allowed here"
	case *kind.ContentEncoding:
		return keyword, fmt.Sprintf("is not %s encoded: %v", k.Want, k.Err)
	case *kind.ContentMediaType:
		return keyword, fmt.Sprintf("is not of media type %s: %v", k.Want, k.Err)
	case *kind.ContentSchema:
		return keyword, "decoded content does not match contentSchema"
	case *kind.RefCycle:
		return "$ref", fmt.Sprintf("reference cycle through %s", trimPrechecked(k.URL))
	case *kind.InvalidJsonValue:
		return "type", fmt.Sprintf("Go type %T is not a JSON value", k.Value)
	}
	if keyword == "" {
		keyword = "schema"
	}
	return keyword, fmt.Sprintf("does not match the %q keyword", keyword)
}

// containsWant names what a failed "contains" wanted, from the errors each
// item gave.
func containsWant(e *jsonschema.ValidationError) string {
	var want []any
	for _, c := range e.Causes {
		switch k := c.ErrorKind.(type) {
		case *kind.Enum:
			want = k.Want
		case *kind.Const:
			want = []any{k.Want}
		default:
			return "an item that matches the contains schema"
		}
	}
	switch len(want) {
	case 0:
		return "an item that matches the contains schema"
	case 1:
		return display(want[0])
	}
	return "one of " + displayList(want)
}

// display renders a JSON value for a message: strings quoted, numbers and
// literals as they are, and objects and arrays by their type.
func display(v any) string {
	switch v := v.(type) {
	case string:
		return strconv.Quote(v)
	case nil:
		return "null"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	}
	return fmt.Sprint(v)
}

// maxListed is how many values of an enum a message lists.
const maxListed = 20

// displayList renders the values of an enum, at most maxListed of them.
func displayList(vs []any) string {
	s := make([]string, 0, min(len(vs), maxListed+1))
	for _, v := range vs[:min(len(vs), maxListed)] {
		s = append(s, display(v))
	}
	if len(vs) > maxListed {
		s = append(s, fmt.Sprintf("… (%d values in all)", len(vs)))
	}
	return strings.Join(s, ", ")
}

func quotedList(names []string) string {
	s := make([]string, len(names))
	for i, n := range names {
		s[i] = strconv.Quote(n)
	}
	return strings.Join(s, ", ")
}

// typeList renders JSON type names with articles: "a string or an object".
func typeList(types []string) string {
	s := make([]string, len(types))
	for i, t := range types {
		s[i] = article(t)
	}
	return strings.Join(s, " or ")
}

// article prefixes a JSON type name with an indefinite article.
func article(t string) string {
	switch t {
	case "null", "":
		return "null"
	case "array", "object", "integer":
		return "an " + t
	}
	return "a " + t
}

func plural(n int, forms ...string) string {
	if n == 1 {
		return forms[0]
	}
	if len(forms) > 1 {
		return forms[1]
	}
	return forms[0] + "s"
}

func rat(r *big.Rat) string {
	if r == nil {
		return "?"
	}
	if r.IsInt() {
		return r.Num().String()
	}
	return r.FloatString(6)
}

// pointer returns the RFC 6901 JSON pointer for a path of reference tokens.
func pointer(path []string) string {
	var b strings.Builder
	for _, tok := range path {
		b.WriteByte('/')
		b.WriteString(escapeToken(tok))
	}
	return b.String()
}

// escapeToken escapes a reference token per RFC 6901: "~" as "~0", then
// "/" as "~1".
func escapeToken(tok string) string {
	if !strings.ContainsAny(tok, "~/") {
		return tok
	}
	return strings.ReplaceAll(strings.ReplaceAll(tok, "~", "~0"), "/", "~1")
}

// displayPointer is how a pointer starts a message.
func displayPointer(ptr string) string {
	if ptr == "" {
		return "(root)"
	}
	return ptr
}

// comparePointers orders JSON pointers token by token, comparing array
// indexes numerically, so /a/2 sorts before /a/10 and a parent before its
// children.
func comparePointers(a, b string) int {
	if a == b {
		return 0
	}
	at, bt := strings.Split(a, "/"), strings.Split(b, "/")
	for i := 0; i < len(at) && i < len(bt); i++ {
		if at[i] == bt[i] {
			continue
		}
		an, aerr := strconv.ParseUint(at[i], 10, 64)
		bn, berr := strconv.ParseUint(bt[i], 10, 64)
		if aerr == nil && berr == nil {
			return cmp.Compare(an, bn)
		}
		return strings.Compare(at[i], bt[i])
	}
	return cmp.Compare(len(at), len(bt))
}
