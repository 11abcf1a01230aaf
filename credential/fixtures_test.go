package credential

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fixture is one JSON document under testdata with the class it holds.
type fixture struct {
	path  string
	class string // "AchievementCredential", "EndorsementCredential", "VerifiableCredential", "AchievementSubject"
	data  []byte // the document: the file, or the "vc" claim of a JWT
}

// fixtures lists every JSON example and fixture under testdata. The class
// comes from the document's own type; the test fails if a file is added
// that no rule here classifies.
func fixtures(t testing.TB) []fixture {
	t.Helper()
	var paths []string
	for _, pattern := range []string{"testdata/spec/*.json", "testdata/vectors/*.json", "testdata/validator/*/*.json", "testdata/validator/*/*.jwt"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, m...)
	}
	if len(paths) < 60 {
		t.Fatalf("found only %d fixtures; is testdata complete?", len(paths))
	}
	var out []fixture
	for _, p := range paths {
		data := readFile(t, p)
		if strings.HasSuffix(p, ".jwt") {
			data = jwtCredential(t, data)
		}
		var doc struct {
			Type    Types           `json:"type"`
			Subject json.RawMessage `json:"credentialSubject"`
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		var class string
		switch {
		case doc.Type == nil && doc.Subject != nil:
			class = "AchievementSubject" // a fragment of the spec
		case doc.Type.Has("AchievementCredential") || doc.Type.Has("OpenBadgeCredential"):
			class = "AchievementCredential"
		case doc.Type.Has("EndorsementCredential"):
			class = "EndorsementCredential"
		case doc.Type.Has("ClrCredential") || doc.Type.Has("BitstringStatusListCredential") || doc.Type.Has("OtherCredential"):
			class = "VerifiableCredential"
		default:
			t.Fatalf("%s: cannot tell the class of type %q", p, doc.Type)
		}
		out = append(out, fixture{p, class, data})
	}
	return out
}

// jwtCredential returns the credential a VCDM 1.1 VC-JWT carries in its
// "vc" claim, without checking the signature (package proof/jose does).
func jwtCredential(t testing.TB, jwt []byte) []byte {
	t.Helper()
	parts := strings.Split(strings.TrimSpace(string(jwt)), ".")
	if len(parts) != 3 {
		t.Fatalf("not a compact JWS: %.40s", jwt)
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var claims struct {
		VC json.RawMessage `json:"vc"`
	}
	if err := json.Unmarshal(payload, &claims); err != nil || claims.VC == nil {
		t.Fatalf("JWT payload has no vc claim: %v", err)
	}
	return claims.VC
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// decodeFixture parses f with the Parse function for its class and returns
// the value, ready to encode. Top-level endorsements have Raw cleared so
// their fields, not their saved bytes, are encoded.
func decodeFixture(t testing.TB, f fixture) any {
	t.Helper()
	data := f.data
	var (
		v   any
		err error
	)
	switch f.class {
	case "AchievementCredential":
		v, err = ParseAchievementCredential(data, nil)
	case "EndorsementCredential":
		var c *EndorsementCredential
		c, err = ParseEndorsementCredential(data, nil)
		if err == nil {
			c.Raw = nil
		}
		v = c
	case "VerifiableCredential":
		v, err = ParseVerifiableCredential(data, nil)
	case "AchievementSubject":
		var doc struct {
			CredentialSubject AchievementSubject `json:"credentialSubject"`
		}
		err = json.Unmarshal(data, &doc)
		v = &doc
	}
	if err != nil {
		t.Fatalf("%s: parse as %s: %v", f.path, f.class, err)
	}
	return v
}

// TestParseFixtures: every spec example and validator fixture parses as
// the class its type names.
func TestParseFixtures(t *testing.T) {
	for _, f := range fixtures(t) {
		t.Run(strings.TrimPrefix(f.path, "testdata/"), func(t *testing.T) {
			decodeFixture(t, f)
		})
	}
}

// TestRoundTrip: decoding then encoding every fixture keeps every property,
// known or not, and the exact lexical form of every value (dates among
// them). The only differences allowed are the two JSON-LD equivalences the
// codec applies to reach the spec's canonical form: a single value and an
// array holding only it are the same, and null is the same as absent. The
// encoding is also a fixed point: encoding what it decodes gives the same
// bytes.
func TestRoundTrip(t *testing.T) {
	for _, f := range fixtures(t) {
		t.Run(strings.TrimPrefix(f.path, "testdata/"), func(t *testing.T) {
			in := f.data
			out, err := json.Marshal(decodeFixture(t, f))
			if err != nil {
				t.Fatalf("encode: %v", err)
			}
			if diff := cmp.Diff(normalize(t, in), normalize(t, out)); diff != "" {
				t.Errorf("round trip changed the document (-in +out):\n%s", diff)
			}
			again, err := json.Marshal(decodeFixture(t, fixture{path: f.path, class: f.class, data: out}))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out, again) {
				t.Errorf("encoding is not a fixed point:\n first: %s\nsecond: %s", out, again)
			}
		})
	}
}

// normalize decodes JSON (numbers kept as written) and applies the two
// JSON-LD equivalences: one-element arrays become their element, and null
// members are dropped.
func normalize(t testing.TB, data []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("normalize: %v", err)
	}
	var walk func(any) any
	walk = func(v any) any {
		switch v := v.(type) {
		case []any:
			if len(v) == 1 {
				return walk(v[0])
			}
			for i := range v {
				v[i] = walk(v[i])
			}
		case map[string]any:
			for k, e := range v {
				if e == nil {
					delete(v, k)
					continue
				}
				v[k] = walk(e)
			}
		}
		return v
	}
	return walk(v)
}

// TestRoundTripChangesOnlyTheForm pins what the canonical form changes on
// one document: a lone type string becomes an array, a lone proof object
// becomes an array, null disappears, and the dates keep their form.
func TestRoundTripChangesOnlyTheForm(t *testing.T) {
	in := `{"@context":"https://www.w3.org/ns/credentials/v2","id":"urn:uuid:1","type":"VerifiableCredential",` +
		`"issuer":"did:example:issuer","validFrom":"2024-03-01T12:00:00.5+01:00","name":null,` +
		`"credentialSubject":[{"id":"did:example:me","type":"AchievementSubject","achievement":{"id":"urn:a","type":"Achievement","name":"n","description":"d","criteria":{"narrative":"c"},"creditsAvailable":3.50,"x-unknown":{"z":1,"a":[true]}}}],` +
		`"proof":{"type":"DataIntegrityProof","created":"2024-03-01T12:00:00Z"},"zzz":1e3,"aaa":"<&>"}`
	c, err := ParseAchievementCredential([]byte(in), nil)
	if err != nil {
		t.Fatal(err)
	}
	out, err := Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"@context":["https://www.w3.org/ns/credentials/v2"],"id":"urn:uuid:1","type":["VerifiableCredential"],` +
		`"issuer":"did:example:issuer","validFrom":"2024-03-01T12:00:00.5+01:00",` +
		`"credentialSubject":{"id":"did:example:me","type":["AchievementSubject"],"achievement":{"id":"urn:a","type":["Achievement"],"name":"n","description":"d","criteria":{"narrative":"c"},"creditsAvailable":3.50,"x-unknown":{"z":1,"a":[true]}}},` +
		`"proof":[{"type":"DataIntegrityProof","created":"2024-03-01T12:00:00Z"}],"aaa":"<&>","zzz":1e3}`
	if diff := cmp.Diff(want, string(out)); diff != "" {
		t.Errorf("encoding (-want +got):\n%s", diff)
	}
}

// TestEndorsementRawKept: an endorsement embedded in a credential is
// written back exactly as it was received (only insignificant whitespace
// goes), so its signature survives; changing it while its bytes are kept is
// an error rather than a silent loss.
func TestEndorsementRawKept(t *testing.T) {
	data := readFile(t, "testdata/validator/ob30/complete.json")
	c, err := ParseAchievementCredential(data, nil)
	if err != nil {
		t.Fatal(err)
	}
	var raw struct {
		Endorsement []json.RawMessage `json:"endorsement"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := json.Compact(&want, raw.Endorsement[0]); err != nil {
		t.Fatal(err)
	}
	got, err := json.Marshal(c.Endorsement[0])
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Errorf("endorsement re-encoded:\n got %s\nwant %s", got, want.Bytes())
	}

	c.Endorsement[0].Name = "changed"
	if _, err := json.Marshal(c); err == nil || !strings.Contains(err.Error(), ErrSignedModified.Error()) {
		t.Errorf("marshal of a changed signed endorsement: err = %v, want ErrSignedModified", err)
	}
	c.Endorsement[0].Raw = nil
	out, err := json.Marshal(c.Endorsement[0])
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out, []byte(`"name":"changed"`)) {
		t.Errorf("with Raw cleared the fields should be encoded, got %s", out)
	}
}

// TestFixtureListsAreComplete guards the tables below against fixtures
// that nobody classified.
func TestFixtureListsAreComplete(t *testing.T) {
	paths, _ := filepath.Glob("testdata/validator/ob30/simple-err-*.json")
	for _, p := range paths {
		name := filepath.Base(p)
		_, model := modelFaults[name]
		_, later := deferredFaults[name]
		if model == later {
			t.Errorf("%s must be in exactly one of modelFaults and deferredFaults", name)
		}
	}
	if n := len(modelFaults) + len(deferredFaults); n != len(paths) {
		t.Errorf("tables name %d fixtures, testdata has %d", n, len(paths))
	}
}

// modelFaults maps each simple-err-* fixture whose fault is in the data
// model to every problem Validate reports for it, the named fault first
// noted in a comment. Several fixtures also lack credentialSubject.achievement
// (the validator's authors trimmed them); that is reported too.
var modelFaults = map[string][]Problem{
	// "removed one of the reqd context uris": the VCDM 2.0 context is gone.
	"simple-err-context.json": {
		{Pointer: "/@context", Rule: "context"},
		{Pointer: "/credentialSubject/achievement", Rule: "required"},
		{Pointer: "/validFrom", Rule: "required"},
	},
	"simple-err-type.json": {
		{Pointer: "/credentialSubject/achievement", Rule: "required"},
		{Pointer: "/type", Rule: "type"}, // OtherCredential instead of OpenBadgeCredential
	},
	"simple-err-issuer.json": {
		{Pointer: "/credentialSubject/achievement", Rule: "required"},
		{Pointer: "/issuer", Rule: "required"}, // issuer removed
	},
	"simple-err-issuer-type.json": {
		{Pointer: "/issuer/type", Rule: "type"},
	},
	"simple-err-issuer-parentorg-type.json": {
		{Pointer: "/issuer/parentOrg/type", Rule: "type"},
	},
	"simple-err-issuer-otheridentifier-type.json": {
		{Pointer: "/issuer/otherIdentifier/1/type", Rule: "type"},
	},
	"simple-err-credential-subject-type.json": {
		{Pointer: "/credentialSubject/type", Rule: "type"},
	},
	"simple-err-credential-subject-identifier-type.json": {
		// The fixture's identityHash "asdjhsadas" claims to be hashed but
		// is no IdentityHash: a second, real fault.
		{Pointer: "/credentialSubject/identifier/0/identityHash", Rule: "identity-hash"},
		{Pointer: "/credentialSubject/identifier/0/type", Rule: "type"},
	},
	"simple-err-credential-subject-profile-type.json": {
		{Pointer: "/credentialSubject/source/type", Rule: "type"},
	},
	"simple-err-credential-subject-result-type.json": {
		{Pointer: "/credentialSubject/result/1/type", Rule: "type"},
	},
	"simple-err-credential-subject-achievement-result-description-type.json": {
		{Pointer: "/credentialSubject/achievement/resultDescription/2/type", Rule: "type"},
	},
	"simple-err-evidence-type.json": {
		{Pointer: "/evidence/1/type", Rule: "type"},
	},
}

// deferredFaults names the simple-err-* fixtures whose fault is not in the
// data model, with the later check that catches it. Their data model is
// valid, which TestValidateFixtures asserts, except where noted.
var deferredFaults = map[string]string{
	"simple-err-expired.json":                         "validity window: validUntil is in the past (package verify)",
	"simple-err-issued.json":                          "validity window: validFrom is in the future (package verify); the fixture also lacks credentialSubject.achievement",
	"simple-err-proof-value.json":                     "proof: proofValue altered (package proof/dataintegrity)",
	"simple-err-proof-method.json":                    "proof: verificationMethod does not resolve to the signing key (packages did, proof/dataintegrity)",
	"simple-err-proof-method-no-scheme.json":          "proof: verificationMethod is not a URL; the uri rule reports it here too",
	"simple-err-proof-method-unknown-scheme.json":     "proof: verificationMethod has a scheme no resolver knows (package did)",
	"simple-err-proof-method-unknown-did-method.json": "proof: verificationMethod uses an unsupported DID method (package did)",
}

// deferredProblems is what Validate says about the deferred fixtures: only
// what is really wrong with their data model.
var deferredProblems = map[string][]Problem{
	"simple-err-issued.json":                 {{Pointer: "/credentialSubject/achievement", Rule: "required"}},
	"simple-err-proof-method-no-scheme.json": {{Pointer: "/proof/0/verificationMethod", Rule: "uri"}},
}

// TestValidateFixtures: each data-model fault is reported by the rule that
// names it, at its place, and nothing else is; the valid examples and
// fixtures pass.
func TestValidateFixtures(t *testing.T) {
	valid := []string{
		"spec/achievement-alignment-case.json", "spec/achievement-alignment-credential-engine.json",
		"spec/basic-openbadgecredential.json", "spec/complete-openbadgecredential.json",
		"spec/docformat-sample-openbadgecredential.json", "spec/endorsementcredential.json",
		"spec/equality-sample-credential-a.json", "spec/equality-sample-credential-b.json",
		"spec/equality-sample-credential-c.json", "spec/equality-sample-credential-d.json",
		"spec/skill-assertion-case.json", "spec/skill-assertion-credential-engine.json",
		"vectors/ob-credential-signed.json", "vectors/ob-credential-unsigned.json",
		"validator/ob30/simple.json", "validator/ob30/simple_v1.json", "validator/ob30/complete.json",
		"validator/ob30/simple-context-alias.json", "validator/ob30/simple-context-version.json",
		"validator/ob30/simple-did-key-method.json", "validator/ob30/simple-did-web-method.json",
		"validator/ob30/simple-eddsa-2022.json", "validator/ob30/simple-multiple-proofs.json",
		"validator/ob30/credential-status-revoked.json", "validator/ob30/endorsement-valid.json",
		"validator/ob30/bit-string-list-credential-status-revoked.json",
		"validator/ob30/bit-string-list-credential-status-revoked-blank-nodes.json",
		"validator/ob30/sd-derivedcredential.json",
	}
	cases := map[string][]Problem{}
	for _, v := range valid {
		cases[v] = nil
	}
	for name, ps := range modelFaults {
		cases["validator/ob30/"+name] = ps
	}
	for name := range deferredFaults {
		cases["validator/ob30/"+name] = deferredProblems[name]
	}
	for path, want := range cases {
		t.Run(path, func(t *testing.T) {
			f := fixture{path: "testdata/" + path, class: "AchievementCredential", data: readFile(t, "testdata/"+path)}
			if strings.Contains(path, "endorsement") {
				f.class = "EndorsementCredential"
			}
			v := decodeFixture(t, f).(interface{ Validate() error })
			var got []Problem
			if err := v.Validate(); err != nil {
				ve, ok := err.(*ValidationError)
				if !ok {
					t.Fatalf("Validate: %v", err)
				}
				for _, p := range ve.Problems {
					got = append(got, Problem{Pointer: p.Pointer, Rule: p.Rule})
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
	if !slices.Contains(valid, "validator/ob30/simple.json") {
		t.Fatal("unreachable")
	}
}
