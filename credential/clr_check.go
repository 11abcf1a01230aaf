package credential

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"strings"

	"github.com/go-openbadges/openbadges/schema"
)

// MaxClrNesting bounds how deeply CLRs may hold CLRs: a ClrCredential
// embedded in a ClrCredential is checked (and verified) as one, but one
// nested deeper than this is a problem, never followed.
const MaxClrNesting = 2

// MaxClrCredentials bounds the credentials one ClrCredential may embed: a
// record with more is a problem and its credentials are not checked. A
// real transcript holds dozens, not thousands.
const MaxClrCredentials = 1000

// checkClr is Check for a document whose type names ClrCredential: tree is
// data parsed, depth the number of CLRs around it. It applies the CLR 2.0
// rules (ClrCredential.Validate, and association warnings), the W3C VC
// Data Model rules to the record and its endorsements, and Check to every
// embedded credential, whose findings are reported at their place in the
// record. A VCDM 2.0 record is validated against the official CLR 2.0
// JSON Schema (see clrSchemaProblems); each embedded OB 3.0 credential
// against the OB 3.0 schema of its class.
func checkClr(data []byte, tree any, opts *CheckOptions, depth int) (*CheckResult, error) {
	r := &CheckResult{Class: "ClrCredential"}
	c := new(ClrCredential)
	var problems []Problem
	var err error
	if err = c.UnmarshalJSON(data); err != nil {
		problems = []Problem{decodeProblem(err)}
	} else {
		r.Version = c.Version()
		problems = c.problems()
	}
	for i := range problems {
		problems[i].Pointer = documentPointer(tree, problems[i].Pointer)
	}
	doc, ok := tree.(map[string]any)
	if !ok {
		sortProblems(problems)
		r.Problems = problems
		return r, nil
	}
	dm := &dataModel{opts: opts}
	dm.document("", doc, kindCredential)
	dm.endorsements("", withoutEmbedded(doc))
	if dm.err != nil {
		return nil, dm.err
	}
	problems = append(problems, notWithin(dm.problems, problems)...)
	var schemaProblems []Problem
	switch r.Version {
	case VCDM11:
		problems = append(problems, Problem{Pointer: "/@context", Rule: "version", Severity: SeverityWarning,
			Message: fmt.Sprintf("a VCDM 1.1 (legacy) record: CLR 2.0 requires VCDM 2.0 (%s first in @context, then %s; validFrom instead of issuanceDate); the CLR 2.0 JSON Schema, written for VCDM 2.0, was not applied", ContextVCDM20, ContextCLR)})
	default:
		decoded := err == nil
		if schemaProblems, err = clrSchemaProblems(doc, c, decoded, opts); err != nil {
			return nil, err
		}
		if r.Version == VCDM20 {
			schemaProblems = append(schemaProblems, clrContextWarnings(c.Context)...)
		}
	}
	problems = mergeProblems(problems, schemaProblems)

	subject, _ := doc["credentialSubject"].(map[string]any)
	embedded := subject["verifiableCredential"]
	items, isArray := embedded.([]any)
	if !isArray && embedded != nil {
		items = []any{embedded}
	}
	if len(items) > MaxClrCredentials {
		problems = append(problems, Problem{Pointer: "/credentialSubject/verifiableCredential", Rule: "clr-credentials",
			Message: fmt.Sprintf("%d embedded credentials, over the limit of %d; none was checked", len(items), MaxClrCredentials)})
		items = nil
	}
	if opts.SkipEmbedded {
		items = nil
	}
	for i, item := range items {
		ptr := "/credentialSubject/verifiableCredential"
		if isArray {
			ptr = fmt.Sprintf("%s/%d", ptr, i)
		}
		obj, ok := item.(map[string]any)
		if !ok {
			continue // the CLR rules above report it
		}
		var raw []byte
		if i < len(c.CredentialSubject.VerifiableCredential) {
			raw = bytes.TrimSpace(c.CredentialSubject.VerifiableCredential[i])
		} else if raw, err = json.Marshal(obj); err != nil {
			continue
		}
		var inner *CheckResult
		switch t := typesOf(obj["type"]); {
		case t.Has("ClrCredential") && depth+1 >= MaxClrNesting:
			problems = append(problems, Problem{Pointer: ptr, Rule: "clr-credentials",
				Message: fmt.Sprintf("a CLR nested %d deep, over the limit of %d; not checked", depth+2, MaxClrNesting)})
			continue
		case t.Has("ClrCredential"):
			inner, err = checkClr(raw, obj, opts, depth+1)
		default:
			inner, err = Check(raw, opts)
		}
		if err != nil {
			problems = append(problems, Problem{Pointer: ptr, Rule: "decode", Message: err.Error()})
			continue
		}
		for _, p := range inner.Problems {
			p.Pointer = ptr + p.Pointer
			problems = append(problems, p)
		}
	}
	sortProblems(problems)
	r.Problems = problems
	return r, nil
}

// withoutEmbedded returns doc without its credentialSubject's embedded
// credentials, which are checked on their own.
func withoutEmbedded(doc map[string]any) map[string]any {
	subject, ok := doc["credentialSubject"].(map[string]any)
	if !ok {
		return doc
	}
	out := maps.Clone(doc)
	s := maps.Clone(subject)
	delete(s, "verifiableCredential")
	out["credentialSubject"] = s
	return out
}

// clrContextWarnings warns about a CLR context older than 2.0.1 and an OB
// context older than 3.0.3, which verifiers accept but the final specs
// replaced.
func clrContextWarnings(c Context) []Problem {
	ps := contextVersionWarnings(c)
	for i, e := range c {
		if clrContext.MatchString(e.URL) && e.URL != ContextCLR {
			ps = append(ps, Problem{Pointer: fmt.Sprintf("/@context/%d", i), Rule: "context", Severity: SeverityWarning,
				Message: fmt.Sprintf("%s is an older CLR 2.0 context; the final spec requires %s", e.URL, ContextCLR)})
		}
	}
	return ps
}

// clrSchemaProblems validates a record, doc as received (c decoded from it
// if decoded), against the CLR 2.0 JSON Schema, as Check does a credential
// against its OB 3.0 schema (see checkSchema: a form JSON-LD reads alike is
// a warning). The schema's findings inside an embedded credential are left
// out: each embedded credential is checked on its own (by Check, or by the
// caller with SkipEmbedded), against its own class's schema and rules,
// which would otherwise be reported twice. Its findings about the record's
// own members, the list of credentials and each entry of it as a whole
// included, are kept.
func clrSchemaProblems(doc map[string]any, c *ClrCredential, decoded bool, opts *CheckOptions) ([]Problem, error) {
	schemas := opts.Schemas
	if schemas == nil {
		var err error
		if schemas, err = defaultSchemas(); err != nil {
			return nil, fmt.Errorf("credential: loading the embedded schemas: %w", err)
		}
	}
	t := trees.Get()
	defer trees.Put(t)
	if err := t.SetValue(doc); err != nil {
		return nil, fmt.Errorf("credential: JSON Schema validation: %w", err)
	}
	found, err := checkSchema(schemas, schema.ClrCredentialSchemaURL, t, c, decoded)
	if err != nil {
		return nil, err
	}
	_, isArray := credentialsOf(doc).([]any)
	out := found[:0]
	for _, p := range found {
		if !insideEmbeddedCredential(p.Pointer, isArray) {
			out = append(out, p)
		}
	}
	return out, nil
}

// credentialsOf returns a record's credentialSubject.verifiableCredential
// as decoded, or nil.
func credentialsOf(doc map[string]any) any {
	subject, _ := doc["credentialSubject"].(map[string]any)
	return subject["verifiableCredential"]
}

// insideEmbeddedCredential reports whether the JSON pointer p is inside
// one of a record's embedded credentials: under an entry of the list if
// isArray, under the lone credential if not.
func insideEmbeddedCredential(p string, isArray bool) bool {
	rest, ok := strings.CutPrefix(p, "/credentialSubject/verifiableCredential/")
	if !ok {
		return false
	}
	if !isArray {
		return true
	}
	_, inner, found := strings.Cut(rest, "/")
	return found && inner != ""
}
