package credential

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/go-openbadges/openbadges/internal/jsonobj"
	"github.com/go-openbadges/openbadges/schema"
)

// CheckOptions configures Check. A nil *CheckOptions, like the zero value,
// uses the embedded 1EdTech schemas and the default parse limits.
type CheckOptions struct {
	// Schemas validates documents against the 1EdTech JSON Schemas. If nil,
	// a Validator built once per process from the embedded schemas is used;
	// it never touches the network.
	Schemas *schema.Validator
	// Parse bounds the size and depth of the document.
	Parse ParseOptions
	// Loader holds the documents that relatedResource digests are
	// compared with (see CheckDataModel). If nil, a Loader built once per
	// process from the embedded contexts is used.
	Loader *schema.Loader
	// SkipEmbedded, for a ClrCredential, leaves out the findings inside
	// the credentials it embeds (not their presence, type or form as
	// entries of the record): for a verifier that checks each of them on
	// its own. If false, each is checked with Check.
	SkipEmbedded bool
}

// CheckResult is what Check found.
type CheckResult struct {
	// Class is the class the document was checked as: for Check, the OB
	// 3.0 class "AchievementCredential", "EndorsementCredential" or
	// "Profile", or the CLR 2.0 class "ClrCredential"; for CheckDataModel, "VerifiableCredential",
	// "VerifiablePresentation", "EnvelopedVerifiableCredential" or
	// "EnvelopedVerifiablePresentation".
	Class string
	// Version is the data model version the document declares.
	Version Version
	// Problems lists errors and warnings in document order.
	Problems []Problem
}

// Valid reports whether no problem is an error.
func (r *CheckResult) Valid() bool {
	for _, p := range r.Problems {
		if p.Severity == SeverityError {
			return false
		}
	}
	return true
}

// trees are the parse trees of Check, kept from one call to the next.
var trees jsonobj.Trees

// interned holds the strings credentials repeat: the member names of
// every class this package models, the usual type names and contexts.
// Check's parse takes each from here rather than making a new string.
var interned = sync.OnceValue(func() map[string]string {
	m := make(map[string]string)
	for _, f := range []*jsonobj.Fields{
		vcFields, achievementCredentialFields, endorsementCredentialFields, achievementSubjectFields,
		achievementFields, profileFields, criteriaFields, alignmentFields, evidenceFields, resultFields,
		resultDescriptionFields, rubricCriterionLevelFields, relatedFields, imageFields,
		identityObjectFields, identifierEntryFields, addressFields, geoCoordinatesFields,
		endorsementSubjectFields, credentialStatusFields, credentialSchemaFields,
		refreshServiceFields, termsOfUseFields, proofFields,
	} {
		for _, n := range f.Names() {
			m[n] = n
		}
	}
	for _, s := range []string{
		"VerifiableCredential", "AchievementCredential", "OpenBadgeCredential", "EndorsementCredential",
		"AchievementSubject", "Achievement", "Profile", "Criteria", "Image", "Result", "ResultDescription",
		"Evidence", "Alignment", "IdentityObject", "IdentifierEntry", "EndorsementSubject",
		"DataIntegrityProof", "eddsa-rdfc-2022", "assertionMethod", "BitstringStatusListEntry",
		"1EdTechRevocationList", "1EdTechJsonSchemaValidator2019", "1EdTechCredentialRefresh",
		"revocation", "suspension", "emailAddress", "sha256", "Course",
		ContextVCDM20, ContextVCDM11, ContextOB,
		"https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
		schema.AchievementCredentialSchemaURL, schema.EndorsementCredentialSchemaURL,
	} {
		m[s] = s
	}
	return m
})

// parseTree parses data into a tree from trees, on which the JSON
// Schema and the data model rules are checked; the caller puts it back.
func parseTree(data []byte, maxBytes, maxDepth int) (*jsonobj.Tree, error) {
	t := trees.Get()
	t.Intern = interned()
	if err := jsonobj.ParseTree(data, maxBytes, maxDepth, t); err != nil {
		trees.Put(t)
		return nil, err
	}
	return t, nil
}

// defaultSchemas is the Validator of the embedded schemas, which compiles
// each once per process, when first used; it is immutable and safe for
// concurrent use.
var defaultSchemas = sync.OnceValues(func() (*schema.Validator, error) {
	return schema.NewValidator(schema.ValidatorOptions{})
})

// Check runs every static check on a JSON document, without verifying
// proofs or looking at the clock: that it decodes as the OB 3.0 class its
// type names (AchievementCredential, EndorsementCredential or Profile),
// that it passes the class's 1EdTech JSON Schema, and that it follows the
// data model rules: the OB 3.0 rules (see Validate) and, for a credential,
// the W3C Verifiable Credentials Data Model rules (see CheckDataModel),
// applied to the credential and to every endorsement credential in it.
// Where both name the same fault (the same place, or a place inside the
// one an OB rule reports), only the OB rule's finding is kept. Findings
// are Problems; the document is valid when none is an error.
//
// The JSON Schema is applied to the document as received. If that fails only
// because the document writes a single value where the schema wants an array
// (a proof object instead of an array of one, say), which JSON-LD treats as
// the same, those findings are warnings: the document is valid, but plain
// JSON consumers may reject it. (Any remaining schema errors then point into
// the canonical form, which can differ from the document where a single
// value was wrapped in an array.) A VCDM 1.1 document is reported as legacy
// and checked by the rules only, since the OB 3.0 schema describes VCDM 2.0.
//
// A ClrCredential (CLR 2.0) is checked against the CLR 2.0 rules (see
// ClrCredential.Validate), the data model rules and, for a VCDM 2.0
// record, the official CLR 2.0 JSON Schema (see ClrCredentialSchemaURL;
// its findings inside an embedded credential are left to that
// credential's own check), and every credential embedded in it with
// Check, each finding at its place in the record.
//
// Check returns an error only when it cannot check at all: the input is
// not JSON, is not UTF-8, or breaks the size or depth limits.
func Check(data []byte, opts *CheckOptions) (*CheckResult, error) {
	return check(data, nil, opts)
}

// check is Check, of data already parsed into t if t is not nil.
func check(data []byte, t *jsonobj.Tree, opts *CheckOptions) (*CheckResult, error) {
	if opts == nil {
		opts = &CheckOptions{}
	}
	schemas := opts.Schemas
	if schemas == nil {
		var err error
		if schemas, err = defaultSchemas(); err != nil {
			return nil, fmt.Errorf("credential: loading the embedded schemas: %w", err)
		}
	}
	maxBytes, maxDepth := opts.Parse.limits()
	var (
		parsed *jsonobj.Tree
		err    error
	)
	if t != nil && len(data) <= maxBytes && maxDepth >= parsedDepth {
		parsed = t
	} else if parsed, err = parseTree(data, maxBytes, maxDepth); err == nil {
		defer trees.Put(parsed)
	}
	if err != nil {
		if errors.Is(err, jsonobj.ErrDuplicateMember) {
			// Well-formed JSON that parsers read differently: the document
			// is invalid, but nothing more can be said of it safely.
			return &CheckResult{Problems: []Problem{decodeProblem(err)}}, nil
		}
		return nil, decodeError(err)
	}

	var head struct {
		Type Types `json:"type"`
	}
	root := jnode{parsed, 0}
	if typ, ok := root.get("type"); ok {
		head.Type = typesOfNode(typ) // a bad type is reported by the decode below
	}
	if head.Type.Has("ClrCredential") {
		return checkClr(data, parsed.Value(0), opts, 0) // CLR 2.0: clr_check.go
	}
	r := &CheckResult{}
	var (
		doc       json.Marshaler
		schemaURL string
		problems  func() []Problem
		declared  Context // the decoded credential's @context
	)
	switch {
	case head.Type.Has("EndorsementCredential"):
		c := new(EndorsementCredential)
		r.Class, schemaURL, doc = "EndorsementCredential", schema.EndorsementCredentialSchemaURL, c
		problems = func() []Problem { r.Version, declared = c.Version(), c.Context; return problemsOf(c) }
	case head.Type.Has("Profile") && !head.Type.Has("VerifiableCredential"):
		p := new(Profile)
		r.Class, schemaURL, doc = "Profile", schema.ProfileSchemaURL, p
		problems = func() []Problem { return problemsOf(p) }
	default:
		c := new(AchievementCredential)
		r.Class, schemaURL, doc = "AchievementCredential", schema.AchievementCredentialSchemaURL, c
		problems = func() []Problem { r.Version, declared = c.Version(), c.Context; return problemsOf(c) }
	}

	decodeErr := doc.(json.Unmarshaler).UnmarshalJSON(data)
	var ruleProblems []Problem
	if decodeErr != nil {
		ruleProblems = []Problem{decodeProblem(decodeErr)}
	} else {
		ruleProblems = problems()
	}
	for i := range ruleProblems {
		ruleProblems[i].Pointer = nodePointer(root, ruleProblems[i].Pointer)
	}
	if root.isObject() && r.Class != "Profile" {
		dm := &dataModel{opts: opts}
		dm.documentAt("", root, kindCredential)
		dm.endorsementsAt("", root)
		if dm.err != nil {
			return nil, dm.err
		}
		ruleProblems = append(ruleProblems, notWithin(dm.problems, ruleProblems)...)
	}

	var schemaProblems []Problem
	if r.Version == VCDM11 {
		schemaProblems = []Problem{{Pointer: "/@context", Rule: "version", Severity: SeverityWarning,
			Message: fmt.Sprintf("a VCDM 1.1 (legacy) credential: OB 3.0 requires VCDM 2.0 (%s first in @context, validFrom instead of issuanceDate); the OB 3.0 JSON Schema, written for VCDM 2.0, was not applied", ContextVCDM20)}}
	} else {
		var err error
		schemaProblems, err = checkSchema(schemas, schemaURL, parsed, doc, decodeErr == nil)
		if err != nil {
			return nil, err
		}
	}
	if r.Version == VCDM20 && r.Class != "Profile" {
		schemaProblems = append(schemaProblems, contextVersionWarnings(declared)...)
	}

	r.Problems = mergeProblems(ruleProblems, schemaProblems)
	return r, nil
}

// typesOfNode is typesOf for a type member read in a Tree.
func typesOfNode(n jnode) Types {
	if s, ok := n.str(); ok {
		return Types{s}
	}
	if !n.isArray() {
		return nil
	}
	ts := make(Types, 0, n.t.Len(n.i))
	for e := n.first(); e.in(n); e = e.next() {
		s, ok := e.str()
		if !ok {
			return nil
		}
		ts = append(ts, s)
	}
	return ts
}

// typesOf returns a decoded type member as Types: a string or the strings
// of an array; nil for anything else.
func typesOf(v any) Types {
	switch v := v.(type) {
	case string:
		return Types{v}
	case []any:
		ts := make(Types, 0, len(v))
		for _, e := range v {
			s, ok := e.(string)
			if !ok {
				return nil
			}
			ts = append(ts, s)
		}
		return ts
	}
	return nil
}

// checkSchema validates t, the document as received and parsed, against
// the schema and, where it fails but the canonical encoding of the decoded
// document passes, downgrades the failures to warnings.
func checkSchema(schemas *schema.Validator, url string, t *jsonobj.Tree, doc json.Marshaler, decoded bool) ([]Problem, error) {
	err := schemas.ValidateTree(url, t, 0)
	if err == nil {
		return nil, nil
	}
	var asReceived *schema.ValidationError
	if !errors.As(err, &asReceived) {
		return nil, fmt.Errorf("credential: JSON Schema validation: %w", err)
	}
	severity, note := SeverityError, ""
	if decoded {
		// The canonical form of every part: embedded endorsements too,
		// which Marshal would otherwise write as received.
		clearRaw(reflect.ValueOf(doc))
		canonical, err := Marshal(doc)
		if err == nil {
			err = schemas.Validate(url, canonical)
			var inCanonical *schema.ValidationError
			switch {
			case err == nil:
				severity = SeverityWarning
				note = " (JSON-LD reads this form the same way, so the credential is valid; but software that checks plain JSON against the OB 3.0 schema will reject it)"
			case errors.As(err, &inCanonical):
				// The canonical form removes the form-only failures; what
				// remains are the real ones.
				asReceived = inCanonical
			default:
				return nil, fmt.Errorf("credential: JSON Schema validation: %w", err)
			}
		}
	}
	out := make([]Problem, 0, len(asReceived.Problems))
	for _, p := range asReceived.Problems {
		out = append(out, Problem{
			Pointer:  p.Pointer,
			Rule:     "schema/" + p.Keyword,
			Message:  strings.TrimPrefix(p.Message, displayPointer(p.Pointer)+": ") + note,
			Severity: severity,
		})
	}
	return out, nil
}

// clearRaw sets Raw to nil in every EndorsementCredential reachable from v,
// so that encoding writes their fields in canonical form.
func clearRaw(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			clearRaw(v.Elem())
		}
	case reflect.Slice:
		for i := range v.Len() {
			clearRaw(v.Index(i))
		}
	case reflect.Struct:
		if e, ok := v.Addr().Interface().(*EndorsementCredential); ok {
			e.Raw = nil
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				clearRaw(v.Field(i))
			}
		}
	}
}

func displayPointer(p string) string {
	if p == "" {
		return "(root)"
	}
	return p
}

// contextVersionWarnings warns about an OB context older than 3.0.3, which
// verifiers accept but the final spec replaced.
func contextVersionWarnings(c Context) []Problem {
	for i, e := range c {
		if obContext.MatchString(e.URL) && e.URL != ContextOB {
			return []Problem{{Pointer: fmt.Sprintf("/@context/%d", i), Rule: "context", Severity: SeverityWarning,
				Message: fmt.Sprintf("%s is an older OB 3.0 context; the final spec requires %s", e.URL, ContextOB)}}
		}
	}
	return nil
}

func decodeProblem(err error) Problem {
	p := Problem{Rule: "decode", Message: err.Error()}
	var je *jsonobj.Error
	var de *DecodeError
	switch {
	case errors.As(err, &je):
		p.Pointer, p.Message = je.Pointer, je.Err.Error()
	case errors.As(err, &de):
		p.Pointer, p.Message = de.Pointer, de.Err.Error()
	}
	return p
}

// mergeProblems combines the rule and schema findings in document order.
// Where a rule reports a place, schema findings at that place or inside it
// are dropped: the rule's finding names the fault, and the schema's would
// repeat it less clearly (a rule on @context makes "@context/0 must be ..."
// noise).
func mergeProblems(rules, schema []Problem) []Problem {
	out := rules
	for _, p := range schema {
		if !slices.ContainsFunc(rules, func(r Problem) bool { return within(p.Pointer, r.Pointer) }) {
			out = append(out, p)
		}
	}
	sortProblems(out)
	return out
}

// within reports whether the JSON pointer p is at or below the pointer at.
func within(p, at string) bool {
	return p == at || strings.HasPrefix(p, at+"/")
}
