package credential

import (
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// finding is a Problem without its message, for comparing lists.
type finding struct {
	Pointer  string
	Rule     string
	Severity Severity
}

func findings(ps []Problem) []finding {
	var out []finding
	for _, p := range ps {
		out = append(out, finding{p.Pointer, p.Rule, p.Severity})
	}
	return out
}

// TestCheckFixtures: the valid spec examples and fixtures pass Check (with
// the warnings listed), and each data-model fault is reported by its rule
// alone: the JSON Schema's view of the same fault is folded into it.
func TestCheckFixtures(t *testing.T) {
	warn := SeverityWarning
	plainJSON := func(ptrs ...string) []finding {
		var fs []finding
		for _, p := range ptrs {
			fs = append(fs, finding{p, "schema/type", warn})
		}
		return fs
	}
	inherited := []finding{
		{"/credentialSubject/achievement/creator/endorsement/0/@context", "context", warn},
		{"/credentialSubject/achievement/creator/endorsement/1/@context", "context", warn},
		{"/credentialSubject/achievement/endorsement/0/@context", "context", warn},
		{"/endorsement/0/@context", "context", warn},
		{"/issuer/endorsement/0/@context", "context", warn},
	}
	legacy := []finding{{"/@context", "version", warn}}
	tests := map[string]struct {
		class string
		valid bool
		want  []finding
	}{
		"spec/basic-openbadgecredential.json":               {"AchievementCredential", true, nil},
		"spec/achievement-alignment-case.json":              {"AchievementCredential", true, nil},
		"spec/achievement-alignment-credential-engine.json": {"AchievementCredential", true, nil},
		"spec/docformat-sample-openbadgecredential.json":    {"AchievementCredential", true, nil},
		"spec/equality-sample-credential-a.json":            {"AchievementCredential", true, nil},
		"spec/equality-sample-credential-b.json":            {"AchievementCredential", true, nil},
		"spec/equality-sample-credential-c.json":            {"AchievementCredential", true, nil},
		"spec/equality-sample-credential-d.json":            {"AchievementCredential", true, nil},
		"spec/skill-assertion-case.json":                    {"AchievementCredential", true, nil},
		"spec/skill-assertion-credential-engine.json":       {"AchievementCredential", true, nil},
		"spec/endorsementcredential.json":                   {"EndorsementCredential", true, nil},
		"spec/complete-openbadgecredential.json":            {"AchievementCredential", true, inherited},
		"spec/clr-with-upgraded-ob2-assertion.json": {"AchievementCredential", true, plainJSON(
			"/credentialSubject/achievement/creator/type", "/credentialSubject/achievement/type",
			"/credentialSubject/type", "/issuer/otherIdentifier/0/type")},
		"vectors/ob-credential-unsigned.json":                           {"AchievementCredential", true, nil},
		"vectors/ob-credential-signed.json":                             {"AchievementCredential", true, plainJSON("/proof")},
		"validator/ob30/simple.json":                                    {"AchievementCredential", true, nil},
		"validator/ob30/complete.json":                                  {"AchievementCredential", true, inherited},
		"validator/ob30/simple-context-alias.json":                      {"AchievementCredential", true, nil},
		"validator/ob30/simple-context-version.json":                    {"AchievementCredential", true, []finding{{"/@context/1", "context", warn}}},
		"validator/ob30/simple-did-key-method.json":                     {"AchievementCredential", true, nil},
		"validator/ob30/simple-did-web-method.json":                     {"AchievementCredential", true, plainJSON("/proof")},
		"validator/ob30/simple-multiple-proofs.json":                    {"AchievementCredential", true, nil},
		"validator/ob30/simple_v1.json":                                 {"AchievementCredential", true, legacy},
		"validator/ob30/simple-eddsa-2022.json":                         {"AchievementCredential", true, legacy},
		"validator/ob30/credential-status-revoked.json":                 {"AchievementCredential", true, legacy},
		"validator/ob30/endorsement-valid.json":                         {"EndorsementCredential", true, nil},
		"validator/ob30/sd-derivedcredential.json":                      {"AchievementCredential", true, nil},
		"validator/ob30/bit-string-list-credential-status-revoked.json": {"AchievementCredential", true, plainJSON("/proof")},
		"validator/ob30/simple-noproof.json": {"AchievementCredential", false, []finding{
			{"/@context", "version", warn}, {"/credentialSubject/achievement", "required", 0}}},
		// Not an OpenBadgeCredential: what an OB checker can say of it.
		"validator/ob30/bit-string-list-testlist.json": {"AchievementCredential", false, []finding{
			{"/@context", "context", 0}, {"/credentialSubject/achievement", "required", 0},
			{"/credentialSubject/type", "type", 0}, {"/type", "type", 0}}},
	}
	for name, ps := range modelFaults {
		tests["validator/ob30/"+name] = struct {
			class string
			valid bool
			want  []finding
		}{"AchievementCredential", false, findings(ps)}
	}
	for path, tt := range tests {
		t.Run(path, func(t *testing.T) {
			res, err := Check(readFile(t, "testdata/"+path), nil)
			if err != nil {
				t.Fatal(err)
			}
			if res.Class != tt.class || res.Valid() != tt.valid {
				t.Errorf("class %s, valid %v; want %s, %v", res.Class, res.Valid(), tt.class, tt.valid)
			}
			if diff := cmp.Diff(tt.want, findings(res.Problems)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			for _, p := range res.Problems {
				if p.Message == "" {
					t.Errorf("%s has no message", p.Pointer)
				}
			}
		})
	}
}

// TestCheckMessages pins the words of the findings a person reads most.
func TestCheckMessages(t *testing.T) {
	tests := []struct {
		path string
		want []Problem
	}{
		{"vectors/ob-credential-signed.json", []Problem{{"/proof", "schema/type",
			"want an array, got an object (JSON-LD reads this form the same way, so the credential is valid; but software that checks plain JSON against the OB 3.0 schema will reject it)",
			SeverityWarning}}},
		{"validator/ob30/simple-context-version.json", []Problem{{"/@context/1", "context",
			"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json is an older OB 3.0 context; the final spec requires https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
			SeverityWarning}}},
		{"validator/ob30/simple_v1.json", []Problem{{"/@context", "version",
			"a VCDM 1.1 (legacy) credential: OB 3.0 requires VCDM 2.0 (https://www.w3.org/ns/credentials/v2 first in @context, validFrom instead of issuanceDate); the OB 3.0 JSON Schema, written for VCDM 2.0, was not applied",
			SeverityWarning}}},
		{"validator/ob30/simple-err-issuer-type.json", []Problem{{"/issuer/type", "type",
			`type must include "Profile", got "InvalidProfile"`, SeverityError}}},
	}
	for _, tt := range tests {
		res, err := Check(readFile(t, "testdata/"+tt.path), nil)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, res.Problems); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.path, diff)
		}
	}
}

// TestCheckSchemaOnlyFaults: a fault the rules do not model is still
// caught by the JSON Schema, as an error.
func TestCheckSchemaOnlyFaults(t *testing.T) {
	doc := strings.Replace(minimal, `"criteria":{"narrative":"C"}`, `"criteria":{"narrative":"C"},"image":{"id":"https://example.edu/i.png","type":"Image","alt":"x"}`, 1)
	res, err := Check([]byte(doc), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []Problem{{Pointer: "/credentialSubject/achievement/image/alt", Rule: "schema/additionalProperties",
		Message: `property "alt" is not allowed`}}
	if diff := cmp.Diff(want, res.Problems); diff != "" || res.Valid() {
		t.Errorf("valid %v, problems (-want +got):\n%s", res.Valid(), diff)
	}
}

func TestCheckProfile(t *testing.T) {
	res, err := Check([]byte(`{"id":"https://example.edu/issuers/1","type":["Profile"],"name":"Example","email":"registrar@example.edu"}`), nil)
	if err != nil || res.Class != "Profile" || !res.Valid() || len(res.Problems) != 0 {
		t.Fatalf("profile: %+v, %v", res, err)
	}
	res, err = Check([]byte(`{"id":"issuers/1","type":["Profile"]}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]finding{{"/id", "uri", 0}}, findings(res.Problems)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestCheckCannotRun(t *testing.T) {
	for _, tt := range []struct {
		in   string
		opts *CheckOptions
		is   error
	}{
		{"not json", nil, nil},
		{"", nil, nil},
		{"\xff", nil, nil},
		{minimal, &CheckOptions{Parse: ParseOptions{MaxBytes: 10}}, ErrTooLarge},
		{minimal, &CheckOptions{Parse: ParseOptions{MaxDepth: 2}}, ErrTooDeep},
	} {
		res, err := Check([]byte(tt.in), tt.opts)
		var de *DecodeError
		if err == nil || res != nil || !errors.As(err, &de) || (tt.is != nil && !errors.Is(err, tt.is)) {
			t.Errorf("Check(%.20q) = %v, %v; want a *DecodeError (%v)", tt.in, res, err, tt.is)
		}
	}
	// Duplicate members are a fault of the document, not a reason to stop.
	res, err := Check([]byte(`{"id":"a","id":"b"}`), nil)
	if err != nil || res.Valid() || len(res.Problems) != 1 || res.Problems[0].Rule != "decode" || res.Problems[0].Pointer != "/id" {
		t.Errorf("duplicate member: %+v, %v", res, err)
	}
}

// TestCheckEmbeddedEndorsementForm: an embedded endorsement whose proof is
// an object (as many signers write it) is valid, with the plain-JSON
// warning, like the same form at the top level.
func TestCheckEmbeddedEndorsementForm(t *testing.T) {
	var endorsement map[string]any
	if err := json.Unmarshal(readFile(t, "testdata/validator/ob30/endorsement-valid.json"), &endorsement); err != nil {
		t.Fatal(err)
	}
	endorsement["proof"] = endorsement["proof"].([]any)[0]
	var cred map[string]any
	if err := json.Unmarshal([]byte(minimal), &cred); err != nil {
		t.Fatal(err)
	}
	cred["endorsement"] = []any{endorsement}
	data, err := json.Marshal(cred)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Check(data, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []finding{{"/endorsement/0/proof", "schema/type", SeverityWarning}}
	if diff := cmp.Diff(want, findings(res.Problems)); diff != "" || !res.Valid() {
		t.Errorf("valid %v (-want +got):\n%s", res.Valid(), diff)
	}
}

// TestHasURIScheme holds hasURIScheme to the RFC 3986 scheme grammar, as
// the regular expression it replaced reads it.
func TestHasURIScheme(t *testing.T) {
	re := regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)
	for _, s := range []string{
		"", ":", "a:", "https://example.org", "did:key:z6Mk", "urn:uuid:1", "A+b-c.9:x", "1a:", "+a:", "a b:", "ab", "é:", "a_b:", "a.:", "http", "mailto:x@y",
	} {
		if got, want := hasURIScheme(s), re.MatchString(s); got != want {
			t.Errorf("hasURIScheme(%q) = %v, want %v", s, got, want)
		}
	}
}
