package credential

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/go-openbadges/openbadges/internal/jsonobj"
)

// OB2Rules lists the rules CheckOB2 applies, by the name Problem.Rule
// carries, with what each means. The names are stable.
var OB2Rules = map[string]string{
	"ob2/context":       "@context does not name the Open Badges 2.0 context",
	"ob2/class":         "type names no Open Badges 2.0 class CheckOB2 can check the document as",
	"ob2/required":      "a property the spec requires is missing",
	"ob2/type":          "type lacks the class the spec requires, or names a type the OB 2.0 context does not define",
	"ob2/iri":           "a value that must be an IRI (an http or https URL, a urn:uuid or a blank node) is not one",
	"ob2/url":           "a value that must be an http or https URL is not one",
	"ob2/image":         "an image is not a URL, a data URI (where allowed) or an Image object with one",
	"ob2/datetime":      "a date-time is not an ISO 8601 string with a time zone",
	"ob2/expires":       "expires is before issuedOn",
	"ob2/text":          "a value that must be text is not a string",
	"ob2/boolean":       "a value that must be true or false is not a JSON boolean",
	"ob2/value":         "a value has a JSON type the property does not allow (an object where text is expected, ...)",
	"ob2/identity":      "a hashed recipient identity is not sha256$ or md5$ followed by a hex digest of the right length",
	"ob2/identity-type": "the recipient identity type is not one of id, email, url and telephone (a warning)",
	"ob2/verification":  "an assertion's verification type is not HostedBadge or SignedBadge",
	"ob2/hosted-id":     "a hosted assertion's id is not an http or https URL, where it could be fetched",
	"ob2/issuer-id":     "an issuer's id is not an http or https URL, so its profile cannot be fetched (a warning)",
	"ob2/email":         "an email address is malformed",
	"ob2/telephone":     "a telephone number is not in E.164 form, such as +16175551212",
	"ob2/origin":        "an allowedOrigins entry is not a host name",
	"ob2/language":      "@language is not a language tag such as en or pt-BR",
	"ob2/revoked-entry": "a revokedAssertions entry has neither an id nor a uid",
}

// The classes CheckOB2 checks a document as, as OB2CheckResult.Class
// names them.
var ob2Classes = []string{"Assertion", "BadgeClass", "Issuer", "Profile", "Endorsement",
	"CryptographicKey", "RevocationList", "AlignmentObject", "Criteria", "Evidence", "Image"}

// OB2CheckResult is what CheckOB2 found.
type OB2CheckResult struct {
	// Class is the class the document was checked as: the first OB 2.0
	// class its type names among "Assertion", "BadgeClass", "Issuer",
	// "Profile", "Endorsement", "CryptographicKey", "RevocationList",
	// "AlignmentObject", "Criteria", "Evidence" and "Image"; "Assertion"
	// also for a revoked assertion without a type (the stripped-down form
	// a hosted assertion takes when revoked); "" when the type names none.
	Class string
	// Problems lists errors and warnings in document order.
	Problems []Problem
}

// Valid reports whether no problem is an error.
func (r *OB2CheckResult) Valid() bool {
	return !slices.ContainsFunc(r.Problems, func(p Problem) bool { return p.Severity == SeverityError })
}

// CheckOB2 checks a JSON document against the rules of Open Badges 2.0:
// the class its type names, the properties that class requires (the IMS
// Final Release's required properties, as its validators apply them), the
// value each property takes (IRIs, URLs, ISO 8601 date-times, booleans,
// text, email addresses, telephone numbers, host names, language tags),
// the recipient IdentityObject, the verification object, and the same for
// every object embedded in the document (an assertion's badge, the badge's
// issuer, evidence, alignments, keys, ...). Types are checked against the
// terms of the OB 2.0 context when the document's context is only that
// one. Findings are Problems with JSON pointers into data; rules are named
// in OB2Rules.
//
// Where the IMS validators differ from the spec, CheckOB2 says so in the
// message: a BadgeClass without image is only a warning (the spec requires
// one, the validators do not), and an assertion's image may not be a data
// URI (the validators refuse it; a badge class or profile image may be
// one). A Unix timestamp, which OB 1.0 allowed, is an error: OB 2.0
// requires ISO 8601.
//
// CheckOB2 fetches nothing and checks no signature: whether the linked
// documents exist and agree, and whether the badge is genuine, is for
// package verify. It returns an error only when it cannot check at all:
// the input is not JSON, is not UTF-8, or breaks the size or depth limits.
// A document that names a member twice is reported as a problem.
func CheckOB2(data []byte, opts *ParseOptions) (*OB2CheckResult, error) {
	maxBytes, maxDepth := opts.limits()
	tree, err := jsonobj.Parse(data, maxBytes, maxDepth)
	if err != nil {
		if errors.Is(err, jsonobj.ErrDuplicateMember) {
			// Reported as soon as it is seen: it is a problem only of a
			// document that is JSON to its end.
			if serr := json.Unmarshal(data, new(any)); serr != nil {
				return nil, decodeError(serr)
			}
			return &OB2CheckResult{Problems: []Problem{decodeProblem(err)}}, nil
		}
		return nil, decodeError(err)
	}
	c := &ob2Checker{}
	r := &OB2CheckResult{}
	doc, ok := tree.(map[string]any)
	if !ok {
		r.Problems = []Problem{{Rule: "ob2/value", Message: fmt.Sprintf("an OB 2.0 document is a JSON object, not %s", jsonKind(tree))}}
		return r, nil
	}
	c.context(doc)
	r.Class = ob2ClassOf(doc)
	classes := strings.Join(ob2Classes, ", ")
	if _, typed := doc["type"]; !typed && r.Class == "" {
		c.add("", "ob2/class", SeverityError, "no type: an OB 2.0 document names its class (%s)", classes)
	} else if r.Class == "" {
		c.add("/type", "ob2/class", SeverityError, "type names no Open Badges 2.0 class (%s)", classes)
	} else {
		c.object("", doc, ob2ClassRuleOf(r.Class))
	}
	sortProblems(c.problems)
	r.Problems = c.problems
	return r, nil
}

// ob2ClassOf returns the class CheckOB2 checks doc as.
func ob2ClassOf(doc map[string]any) string {
	types := stringsOf(doc["type"])
	for _, class := range ob2Classes {
		if slices.Contains(types, class) {
			return class
		}
	}
	if _, typed := doc["type"]; !typed && doc["revoked"] == true {
		return "Assertion"
	}
	return ""
}

func stringsOf(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// ob2Kind is the kind of value a property takes.
type ob2Kind int

const (
	kText ob2Kind = iota
	kTextOrNumber
	kBool
	kIRI
	kURL
	kDateTime
	kEmail
	kTelephone
	kOrigin
	kLanguage
	kVerificationProperty
	kImage          // an IRI or data URI, or an Image object
	kImageNoDataURI // the same, but no data URI (an assertion's image)
	kNode           // an IRI, or an embedded object of class
	kObject         // an embedded object of class
	kRevokedEntry   // an id, or an object with an id or uid
)

// ob2Prop is one property of a class and the value it takes.
type ob2Prop struct {
	name     string
	kind     ob2Kind
	required bool
	many     bool   // an array of values is allowed
	class    string // for kNode and kObject: the class rule's key
	// warning makes a missing required property only a warning; note
	// says why.
	warning bool
	note    string
}

// ob2ClassRule is how one class is checked.
type ob2ClassRule struct {
	// types: the type must name one of them; nil means type is optional
	// (the class is its default).
	types []string
	props []ob2Prop
	// revocable: a revoked instance (revoked: true) needs only these.
	revocable []string
	// typeIsProperty: type names a property, not a class (IdentityObject),
	// and special checks it.
	typeIsProperty bool
}

// Properties several classes share (OB 2.0 "Properties" and the
// IMS validators' tables).
var ob2Common = []ob2Prop{
	{name: "@language", kind: kLanguage},
	{name: "version", kind: kTextOrNumber},
	{name: "related", kind: kNode, many: true},
	{name: "endorsement", kind: kNode, many: true, class: "Endorsement"},
}

// ob2ClassRules holds the rules of each class, by name. The keys not in
// ob2Classes are classes that appear only embedded.
var ob2ClassRules = map[string]*ob2ClassRule{
	"Assertion": {
		types: []string{"Assertion"},
		props: append([]ob2Prop{
			{name: "id", kind: kIRI, required: true},
			{name: "recipient", kind: kObject, class: "IdentityObject", required: true},
			{name: "badge", kind: kNode, class: "BadgeClass", required: true},
			{name: "verification", kind: kObject, class: "VerificationAssertion", required: true},
			{name: "issuedOn", kind: kDateTime, required: true},
			{name: "expires", kind: kDateTime},
			{name: "image", kind: kImageNoDataURI},
			{name: "evidence", kind: kNode, many: true, class: "Evidence"},
			{name: "narrative", kind: kText},
			{name: "revoked", kind: kBool},
			{name: "revocationReason", kind: kText},
			{name: "uid", kind: kText},
		}, ob2Common...),
		revocable: []string{"id", "revoked"},
	},
	"BadgeClass": {
		types: []string{"BadgeClass"},
		props: append([]ob2Prop{
			{name: "id", kind: kIRI, required: true},
			{name: "name", kind: kText, required: true},
			{name: "description", kind: kText, required: true},
			{name: "image", kind: kImage, required: true, warning: true,
				note: "; the spec requires a BadgeClass image, though the IMS validators accept a BadgeClass without one"},
			{name: "criteria", kind: kNode, class: "Criteria", required: true},
			{name: "issuer", kind: kNode, class: "Profile", required: true},
			{name: "alignment", kind: kObject, many: true, class: "AlignmentObject"},
			{name: "tags", kind: kText, many: true},
		}, ob2Common...),
	},
	"Profile": {
		types: []string{"Issuer", "Profile"},
		props: append([]ob2Prop{
			{name: "id", kind: kIRI, required: true},
			{name: "name", kind: kText, required: true},
			{name: "url", kind: kURL, required: true, many: true},
			{name: "email", kind: kEmail, required: true, many: true},
			{name: "telephone", kind: kTelephone, many: true},
			{name: "description", kind: kText},
			{name: "image", kind: kImage},
			{name: "publicKey", kind: kNode, many: true, class: "CryptographicKey"},
			{name: "verification", kind: kObject, class: "VerificationIssuer"},
			{name: "revocationList", kind: kNode, class: "RevocationList"},
		}, ob2Common...),
	},
	"Endorsement": {
		types: []string{"Endorsement"},
		props: append([]ob2Prop{
			{name: "id", kind: kIRI, required: true},
			{name: "claim", kind: kObject, class: "EndorsementClaim", required: true},
			{name: "issuer", kind: kNode, class: "Profile", required: true},
			{name: "issuedOn", kind: kDateTime, required: true},
			{name: "verification", kind: kObject, class: "VerificationAssertion", required: true},
			{name: "revoked", kind: kBool},
			{name: "revocationReason", kind: kText},
		}, ob2Common[:3]...),
		revocable: []string{"id", "revoked", "issuer"},
	},
	"CryptographicKey": {
		props: []ob2Prop{
			{name: "id", kind: kIRI},
			{name: "owner", kind: kIRI},
			{name: "publicKeyPem", kind: kText},
		},
	},
	"RevocationList": {
		types: []string{"RevocationList"},
		props: []ob2Prop{
			{name: "id", kind: kIRI},
			{name: "issuer", kind: kIRI},
			{name: "revokedAssertions", kind: kRevokedEntry, many: true, required: true},
		},
	},
	"AlignmentObject": {
		props: []ob2Prop{
			{name: "targetName", kind: kText, required: true},
			{name: "targetUrl", kind: kURL, required: true},
			{name: "targetDescription", kind: kText},
			{name: "targetFramework", kind: kText},
			{name: "targetCode", kind: kText},
		},
	},
	"Criteria": {
		props: []ob2Prop{
			{name: "id", kind: kIRI},
			{name: "narrative", kind: kText},
		},
	},
	"Evidence": {
		props: []ob2Prop{
			{name: "id", kind: kIRI},
			{name: "narrative", kind: kText},
			{name: "name", kind: kText},
			{name: "description", kind: kText},
			{name: "genre", kind: kText},
			{name: "audience", kind: kText},
		},
	},
	"Image": {
		props: []ob2Prop{
			{name: "caption", kind: kText},
			{name: "author", kind: kIRI},
		},
	},
	"IdentityObject": {
		typeIsProperty: true,
		props: []ob2Prop{
			{name: "identity", kind: kText, required: true},
			{name: "hashed", kind: kBool, required: true},
			{name: "salt", kind: kText},
		},
	},
	"VerificationAssertion": {
		props: []ob2Prop{
			{name: "creator", kind: kIRI},
		},
	},
	"VerificationIssuer": {
		props: []ob2Prop{
			{name: "verificationProperty", kind: kVerificationProperty},
			{name: "startsWith", kind: kURL, many: true},
			{name: "allowedOrigins", kind: kOrigin, many: true},
		},
	},
	"EndorsementClaim": {
		props: []ob2Prop{
			{name: "id", kind: kIRI, required: true},
			{name: "endorsementComment", kind: kText},
		},
	},
}

// ob2ClassRule returns the rules of class ("Issuer" is checked as Profile).
func ob2ClassRuleOf(class string) *ob2ClassRule {
	if class == "Issuer" {
		class = "Profile"
	}
	return ob2ClassRules[class]
}

// ob2Checker collects the problems of one document.
type ob2Checker struct {
	problems []Problem
	// terms, when not nil, are the terms a type may name: the document's
	// only context is the OB 2.0 context.
	terms map[string]string
}

func (c *ob2Checker) add(ptr, rule string, sev Severity, format string, args ...any) {
	c.problems = append(c.problems, Problem{Pointer: ptr, Rule: rule, Severity: sev, Message: fmt.Sprintf(format, args...)})
}

func jsonKind(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return "null"
}

// ob2ContextTerms returns the term definitions of the embedded OB 2.0
// context, read once.
var ob2ContextTerms = sync.OnceValues(func() (map[string]any, error) {
	l, err := defaultLoader()
	if err != nil {
		return nil, err
	}
	b, err := l.ContextBytes(ContextOB20)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Context map[string]any `json:"@context"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, err
	}
	return doc.Context, nil
})

// isOB2InlineContext reports whether ctx is the OB 2.0 context written
// inline: the embedded context's terms, with targetFramework mapped either
// as now or as before the 2020 correction (schema:targetFramework).
func isOB2InlineContext(ctx map[string]any) bool {
	terms, err := ob2ContextTerms()
	if err != nil || len(ctx) != len(terms) {
		return false
	}
	for k, v := range terms {
		got, ok := ctx[k]
		if !ok {
			return false
		}
		if k == "targetFramework" {
			if m, ok := got.(map[string]any); ok && len(m) == 1 && m["@id"] == "schema:targetFramework" {
				continue
			}
		}
		if !reflect.DeepEqual(normalizeJSON(got), v) {
			return false
		}
	}
	return true
}

// normalizeJSON turns json.Number into float64, as encoding/json decodes
// numbers into any, so trees from the two decoders compare.
func normalizeJSON(v any) any {
	switch v := v.(type) {
	case json.Number:
		f, _ := v.Float64()
		return f
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = normalizeJSON(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = normalizeJSON(e)
		}
		return out
	}
	return v
}

// context checks the root @context and decides whether types are checked
// against the OB 2.0 context's terms.
func (c *ob2Checker) context(doc map[string]any) {
	v, ok := doc["@context"]
	if !ok {
		c.add("", "ob2/context", SeverityError, "no @context: an OB 2.0 document names %s", ContextOB20)
		return
	}
	entries, ptr := []any{v}, func(int) string { return "/@context" }
	if a, ok := v.([]any); ok {
		entries, ptr = a, func(i int) string { return fmt.Sprintf("/@context/%d", i) }
	}
	ob2, only, inline := false, true, -1
	for i, e := range entries {
		switch e := e.(type) {
		case string:
			switch e {
			case ContextOB20, ContextOB20Published:
				ob2 = true
				continue
			case ContextOB11:
				c.add(ptr(i), "ob2/context", SeverityError, "%s is the Open Badges 1.1 context: this is an OB 1.1 document, which OB 2.0 replaced (its context is %s)", e, ContextOB20)
			}
		case map[string]any:
			inner, nested := e["@context"].(map[string]any)
			if !nested {
				inner = e
			}
			if isOB2InlineContext(inner) {
				ob2, inline = true, i
				continue
			}
		}
		only = false
	}
	switch {
	case !ob2 && len(entries) > 0:
		if !slices.Contains(entries, any(ContextOB11)) {
			c.add(ptr(0), "ob2/context", SeverityError, "@context does not name the Open Badges 2.0 context %s", ContextOB20)
		}
	case inline >= 0:
		c.add(ptr(inline), "ob2/context", SeverityWarning, "the Open Badges 2.0 context is written out inline instead of named by its URL %s; software that looks for the URL will not recognise the document", ContextOB20)
	}
	if ob2 && only {
		if terms, err := ob2ContextTerms(); err == nil {
			c.terms = make(map[string]string, len(terms))
			for k, v := range terms {
				if s, ok := v.(string); ok {
					c.terms[k] = s
				} else {
					c.terms[k] = ""
				}
			}
		}
	}
}

// object checks an object of class rule at ptr.
func (c *ob2Checker) object(ptr string, obj map[string]any, rule *ob2ClassRule) {
	if !rule.typeIsProperty {
		c.types(ptr, obj, rule)
	}
	revoked := obj["revoked"] == true && rule.revocable != nil
	for _, p := range rule.props {
		v, ok := obj[p.name]
		if p.name == "verification" && !ok {
			if alias, has := obj["verify"]; has {
				v, ok = alias, true
				p.name = "verify"
			}
		}
		at := ptr + "/" + jsonobj.Escape(p.name)
		if !ok || v == nil {
			if p.required && (!revoked || slices.Contains(rule.revocable, p.name)) {
				sev := SeverityError
				if p.warning {
					sev = SeverityWarning
				}
				c.add(at, "ob2/required", sev, "%s is required%s", p.name, p.note)
			}
			continue
		}
		if a, isArray := v.([]any); isArray {
			if !p.many {
				c.add(at, "ob2/value", SeverityError, "%s takes one value, not an array", p.name)
				continue
			}
			if len(a) == 0 && p.required && p.kind != kRevokedEntry {
				c.add(at, "ob2/required", SeverityError, "%s is required, and the array is empty", p.name)
			}
			for i, e := range a {
				c.value(fmt.Sprintf("%s/%d", at, i), p, e)
			}
			continue
		}
		c.value(at, p, v)
	}
	c.special(ptr, obj, rule)
}

// types checks the type of an object of class rule.
func (c *ob2Checker) types(ptr string, obj map[string]any, rule *ob2ClassRule) {
	v, ok := obj["type"]
	at := ptr + "/type"
	if !ok {
		if rule.types != nil && !(obj["revoked"] == true && rule.revocable != nil) {
			c.add(at, "ob2/required", SeverityError, "type is required: %s", strings.Join(rule.types, " or "))
		}
		return
	}
	var names []string
	switch v := v.(type) {
	case string:
		names = []string{v}
		c.typeName(at, v)
	case []any:
		for i, e := range v {
			s, ok := e.(string)
			if !ok {
				c.add(fmt.Sprintf("%s/%d", at, i), "ob2/type", SeverityError, "a type is a string, not %s", jsonKind(e))
				continue
			}
			names = append(names, s)
			c.typeName(fmt.Sprintf("%s/%d", at, i), s)
		}
		if len(v) == 0 {
			c.add(at, "ob2/type", SeverityError, "type is an empty array")
			return
		}
	default:
		c.add(at, "ob2/type", SeverityError, "type is a string or an array of strings, not %s", jsonKind(v))
		return
	}
	if rule.types != nil && !slices.ContainsFunc(rule.types, func(t string) bool { return slices.Contains(names, t) }) {
		c.add(at, "ob2/type", SeverityError, "type must include %s", strings.Join(rule.types, " or "))
	}
}

// typeName checks that a type is a term of the OB 2.0 context, a compact
// IRI with one of its prefixes, or an absolute IRI.
func (c *ob2Checker) typeName(at, name string) {
	if c.terms == nil {
		return
	}
	if _, ok := c.terms[name]; ok {
		return
	}
	if prefix, _, ok := strings.Cut(name, ":"); ok {
		if ns, ok := c.terms[prefix]; ok && (strings.HasSuffix(ns, "#") || strings.HasSuffix(ns, "/")) {
			return
		}
		if ob2IRI(name) {
			return
		}
	}
	c.add(at, "ob2/type", SeverityError, "%q is not a type the Open Badges 2.0 context defines, nor an IRI", name)
}

// value checks one value of property p.
func (c *ob2Checker) value(at string, p ob2Prop, v any) {
	s, isString := v.(string)
	wantString := func(what string) bool {
		if !isString {
			c.add(at, "ob2/value", SeverityError, "%s is %s, not %s", p.name, what, jsonKind(v))
		}
		return isString
	}
	switch p.kind {
	case kText:
		if !isString {
			c.add(at, "ob2/text", SeverityError, "%s must be text, not %s", p.name, jsonKind(v))
		}
	case kTextOrNumber:
		if _, num := v.(json.Number); !isString && !num {
			c.add(at, "ob2/value", SeverityError, "%s must be text or a number, not %s", p.name, jsonKind(v))
		}
	case kBool:
		if _, ok := v.(bool); !ok {
			c.add(at, "ob2/boolean", SeverityError, "%s must be true or false, not %s", p.name, jsonKind(v))
		}
	case kIRI:
		if wantString("an IRI") && !ob2IRI(s) {
			c.add(at, "ob2/iri", SeverityError, "%s must be an IRI (an http or https URL, a urn:uuid or a blank node _:...), got %q", p.name, s)
		}
	case kURL:
		if wantString("a URL") && !httpURL(s) {
			c.add(at, "ob2/url", SeverityError, "%s must be an http or https URL, got %q", p.name, s)
		}
	case kDateTime:
		c.dateTime(at, p.name, v)
	case kEmail:
		if wantString("an email address") && !ob2Email.MatchString(s) {
			c.add(at, "ob2/email", SeverityError, "%s must be an email address, got %q", p.name, s)
		}
	case kTelephone:
		if wantString("a telephone number") && !ob2Telephone.MatchString(s) {
			c.add(at, "ob2/telephone", SeverityError, "%s must be a telephone number in E.164 form such as +16175551212, got %q", p.name, s)
		}
	case kOrigin:
		if wantString("a host name") && !ob2Host(s) {
			c.add(at, "ob2/origin", SeverityError, "%s entries are host names such as example.org (no scheme, port or path), got %q", p.name, s)
		}
	case kLanguage:
		if wantString("a language tag") && !languageCode.MatchString(s) {
			c.add(at, "ob2/language", SeverityError, "%s must be a language tag such as en or pt-BR, got %q", p.name, s)
		}
	case kVerificationProperty:
		if wantString("a property name") && s != "id" && !ob2IRI(s) && (c.terms == nil || c.terms[s] == "" && !strings.Contains(s, ":")) {
			c.add(at, "ob2/value", SeverityError, "%s must name a property (only id is supported), got %q", p.name, s)
		}
	case kImage, kImageNoDataURI:
		c.image(at, p, v)
	case kNode, kObject:
		switch v := v.(type) {
		case string:
			if p.kind == kObject {
				c.add(at, "ob2/value", SeverityError, "%s must be an object, not a string", p.name)
			} else if !ob2IRI(v) {
				c.add(at, "ob2/iri", SeverityError, "%s must be an IRI or an object, got %q", p.name, v)
			}
		case map[string]any:
			if p.class == "" {
				return // related: any class
			}
			if _, own := v["@context"]; own && p.class != "Endorsement" {
				return // a node in another vocabulary
			}
			c.object(at, v, ob2ClassRuleOf(p.class))
		default:
			c.add(at, "ob2/value", SeverityError, "%s must be an IRI or an object, not %s", p.name, jsonKind(v))
		}
	case kRevokedEntry:
		switch v := v.(type) {
		case string:
			if !ob2IRI(v) {
				c.add(at, "ob2/iri", SeverityError, "a revoked assertion given as a string is its id, an IRI; got %q", v)
			}
		case map[string]any:
			id, hasID := v["id"]
			uid, hasUID := v["uid"]
			switch {
			case !hasID && !hasUID:
				c.add(at, "ob2/revoked-entry", SeverityError, "a revoked assertion is identified by its id (or, for OB 1.x, its uid); this entry has neither")
			case hasID:
				c.value(at+"/id", ob2Prop{name: "id", kind: kIRI}, id)
			default:
				c.value(at+"/uid", ob2Prop{name: "uid", kind: kText}, uid)
			}
			if r, ok := v["revoked"]; ok {
				c.value(at+"/revoked", ob2Prop{name: "revoked", kind: kBool}, r)
			}
			if r, ok := v["revocationReason"]; ok {
				c.value(at+"/revocationReason", ob2Prop{name: "revocationReason", kind: kText}, r)
			}
		default:
			c.add(at, "ob2/value", SeverityError, "a revoked assertion is an id or an object, not %s", jsonKind(v))
		}
	}
}

func (c *ob2Checker) dateTime(at, name string, v any) {
	var d OB2DateTime
	switch v := v.(type) {
	case string:
		d = OB2DateTime{Text: v}
	case json.Number:
		c.add(at, "ob2/datetime", SeverityError, "%s is a Unix timestamp (%s), which OB 1.0 allowed; OB 2.0 requires an ISO 8601 string with a time zone, such as 2016-12-31T23:59:59+00:00", name, v)
		return
	default:
		c.add(at, "ob2/datetime", SeverityError, "%s must be an ISO 8601 date-time string, not %s", name, jsonKind(v))
		return
	}
	if !d.ISO8601() {
		c.add(at, "ob2/datetime", SeverityError, "%s must be an ISO 8601 date-time with a time zone, such as 2016-12-31T23:59:59+00:00; got %q", name, d.Text)
	}
}

func (c *ob2Checker) image(at string, p ob2Prop, v any) {
	check := func(at, s string) {
		switch {
		case isDataURI(s) && p.kind == kImageNoDataURI:
			c.add(at, "ob2/image", SeverityError, "an assertion's image must be a URL: the IMS validators refuse a data URI here (a BadgeClass or Profile image may be one)")
		case isDataURI(s), httpURL(s):
		default:
			c.add(at, "ob2/image", SeverityError, "%s must be an http or https URL or a data URI, got %q", p.name, s)
		}
	}
	switch v := v.(type) {
	case string:
		check(at, v)
	case map[string]any:
		c.types(at, v, ob2ClassRules["Image"])
		id, ok := v["id"]
		if s, isString := id.(string); !ok {
			c.add(at+"/id", "ob2/required", SeverityError, "an Image object's id (its URL or data URI) is required")
		} else if !isString {
			c.add(at+"/id", "ob2/image", SeverityError, "an Image's id is a URL or data URI, not %s", jsonKind(id))
		} else {
			check(at+"/id", s)
		}
		for _, q := range ob2ClassRules["Image"].props {
			if e, ok := v[q.name]; ok {
				c.value(at+"/"+q.name, q, e)
			}
		}
	default:
		c.add(at, "ob2/image", SeverityError, "%s must be a URL, a data URI or an Image object, not %s", p.name, jsonKind(v))
	}
}

// special applies the rules a property table cannot express.
func (c *ob2Checker) special(ptr string, obj map[string]any, rule *ob2ClassRule) {
	switch rule {
	case ob2ClassRules["IdentityObject"]:
		t, ok := obj["type"].(string)
		switch {
		case obj["type"] == nil:
			c.add(ptr+"/type", "ob2/required", SeverityError, "type is required: the profile property the identity is a value of, such as email")
		case !ok:
			c.add(ptr+"/type", "ob2/type", SeverityError, "the recipient's type is one property name, not %s", jsonKind(obj["type"]))
		case !slices.Contains([]string{"id", "email", "url", "telephone"}, t):
			c.add(ptr+"/type", "ob2/identity-type", SeverityWarning, "recipient type %q is not one of id, email, url and telephone, the identifier properties verifiers know", t)
		}
		if id, ok := obj["identity"].(string); ok && obj["hashed"] == true && !ob2IdentityHash.MatchString(id) {
			c.add(ptr+"/identity", "ob2/identity", SeverityError, "a hashed identity is sha256$ and 64 hex digits, or md5$ and 32; got %q", id)
		}
	case ob2ClassRules["VerificationAssertion"]:
		types := stringsOf(obj["type"])
		switch {
		case obj["type"] == nil:
			c.add(ptr+"/type", "ob2/required", SeverityError, "type is required: HostedBadge or SignedBadge")
		case !slices.ContainsFunc(types, func(t string) bool {
			return t == OB2HostedBadge || t == OB2SignedBadge || t == "hosted" || t == "signed"
		}):
			c.add(ptr+"/type", "ob2/verification", SeverityError, "the verification type must be HostedBadge or SignedBadge (or their aliases hosted and signed)")
		}
	case ob2ClassRules["Assertion"]:
		c.assertion(ptr, obj)
	case ob2ClassRules["Profile"]:
		c.issuerID(ptr+"/id", obj)
	}
}

// assertion applies the rules between an assertion's properties.
func (c *ob2Checker) assertion(ptr string, obj map[string]any) {
	ver, _ := obj["verification"].(map[string]any)
	if ver == nil {
		ver, _ = obj["verify"].(map[string]any)
	}
	if id, ok := obj["id"].(string); ok && ver != nil && ob2IRI(id) && !httpURL(id) {
		if t := stringsOf(ver["type"]); slices.Contains(t, OB2HostedBadge) || slices.Contains(t, "hosted") {
			c.add(ptr+"/id", "ob2/hosted-id", SeverityError, "a hosted assertion is verified by fetching its id, so the id must be an http or https URL; got %q", id)
		}
	}
	issued, ok1 := obj["issuedOn"].(string)
	expires, ok2 := obj["expires"].(string)
	if ok1 && ok2 {
		i, err1 := OB2DateTime{Text: issued}.Time()
		e, err2 := OB2DateTime{Text: expires}.Time()
		if err1 == nil && err2 == nil && e.Before(i) {
			c.add(ptr+"/expires", "ob2/expires", SeverityError, "expires (%s) is before issuedOn (%s)", expires, issued)
		}
	}
}

// issuerID warns about an issuer whose id cannot be fetched.
func (c *ob2Checker) issuerID(at string, issuer map[string]any) {
	if id, ok := issuer["id"].(string); ok && ob2IRI(id) && !httpURL(id) {
		c.add(at, "ob2/issuer-id", SeverityWarning, "the issuer's id %q is not an http or https URL: its profile cannot be fetched, and many platforms handle only issuers hosted at one", id)
	}
}

var (
	ob2Email        = regexp.MustCompile(`^[^@\s]+@[^@\s]+$`)
	ob2Telephone    = regexp.MustCompile(`^\+?[1-9]\d{1,14}(;ext=\d+)?$`)
	ob2IdentityHash = regexp.MustCompile(`^(?:(?i:md5)\$[0-9a-fA-F]{32}|(?i:sha256)\$[0-9a-fA-F]{64})$`)
	ob2UUID         = regexp.MustCompile(`^(?i:urn:uuid:)[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	ob2Label        = regexp.MustCompile(`^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$`)
	ob2TLD          = regexp.MustCompile(`^[a-zA-Z]{2,63}$`)
)

// ob2IRI reports whether s is an IRI of a scheme OB 2.0 verifiers accept:
// an http or https URL, a urn:uuid, or a blank node identifier.
func ob2IRI(s string) bool {
	return len(s) > 2 && strings.HasPrefix(s, "_:") || ob2UUID.MatchString(s) || httpURL(s)
}

// httpURL reports whether s is an absolute http or https URL with a host.
func httpURL(s string) bool {
	if strings.ContainsAny(s, " \t\r\n") {
		return false
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return false
	}
	scheme := strings.ToLower(u.Scheme)
	return scheme == "http" || scheme == "https"
}

func isDataURI(s string) bool {
	return len(s) > 5 && strings.EqualFold(s[:5], "data:") && strings.Contains(s, ",")
}

// ob2Host reports whether s is a DNS host name with a top-level domain,
// and nothing else (the "host registered name" of RFC 3986 that
// allowedOrigins holds).
func ob2Host(s string) bool {
	if len(s) < 4 || len(s) > 253 {
		return false
	}
	labels := strings.Split(s, ".")
	if len(labels) < 2 || !ob2TLD.MatchString(labels[len(labels)-1]) {
		return false
	}
	for _, l := range labels {
		if !ob2Label.MatchString(l) {
			return false
		}
	}
	return true
}
