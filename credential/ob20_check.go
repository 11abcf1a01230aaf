package credential

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

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
