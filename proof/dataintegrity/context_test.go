package dataintegrity

import (
	"bytes"
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestWithProofContext checks how the Data Integrity context is added to a
// document's @context, as jsonld-signatures adds it: appended to an array,
// a single value made an array, a missing or falsy one replaced.
func TestWithProofContext(t *testing.T) {
	const di = `"https://w3id.org/security/data-integrity/v2"`
	for _, tc := range []struct{ in, want string }{
		{`{"@context":["https://www.w3.org/2018/credentials/v1"],"a":1}`, `{"@context":["https://www.w3.org/2018/credentials/v1",` + di + `],"a":1}`},
		{`{"@context":"https://www.w3.org/2018/credentials/v1","a":1}`, `{"@context":["https://www.w3.org/2018/credentials/v1",` + di + `],"a":1}`},
		{"{\n  \"@context\": [\n    \"https://www.w3.org/2018/credentials/v1\"\n  ],\n  \"a\": 1\n}\n", "{\n  \"@context\": [\n    \"https://www.w3.org/2018/credentials/v1\"," + di + "\n  ],\n  \"a\": 1\n}\n"},
		{`{"@context":[ ],"a":1}`, `{"@context":[` + di + ` ],"a":1}`},
		{`{"@context":{"name":"https://schema.org/name"},"a":1}`, `{"@context":[{"name":"https://schema.org/name"},` + di + `],"a":1}`},
		{`{"@context":null,"a":1}`, `{"@context":[` + di + `],"a":1}`},
		{`{"@context":"","a":1}`, `{"@context":[` + di + `],"a":1}`},
		{`{"@context":false}`, `{"@context":[` + di + `]}`},
		{`{"@context":0.0}`, `{"@context":[` + di + `]}`},
		{`{"a":1}`, `{"a":1,"@context":[` + di + `]}`},
		{`{"a":1,"proof":{"type":"x"}}`, `{"a":1,"proof":{"type":"x"},"@context":[` + di + `]}`},
		{"{ }", `{"@context":[` + di + `] }`},
		{`{"b":{"@context":["x"]},"@context":["y"]}`, `{"b":{"@context":["x"]},"@context":["y",` + di + `]}`},
	} {
		e := &engine{limits: Limits{MaxBytes: DefaultMaxBytes, MaxDepth: DefaultMaxDepth}}
		d, err := e.parseDocument([]byte(tc.in))
		if err != nil {
			t.Fatalf("%s: %v", tc.in, err)
		}
		got := withProofContext([]byte(tc.in), d)
		if diff := cmp.Diff(tc.want, string(got)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.in, diff)
		}
		if !json.Valid(got) {
			t.Errorf("%s: invalid JSON %s", tc.in, got)
		}
	}
}

// TestDefinesProofTerms checks which @context values count as defining a
// DataIntegrityProof's terms: digitalbazaar's test, a URL match only.
func TestDefinesProofTerms(t *testing.T) {
	for _, tc := range []struct {
		ctx  string
		want bool
	}{
		{`"https://www.w3.org/ns/credentials/v2"`, true},
		{`"https://w3id.org/security/data-integrity/v2"`, true},
		{`["https://www.w3.org/2018/credentials/v1","https://w3id.org/security/data-integrity/v2"]`, true},
		{`["https://www.w3.org/ns/credentials/v2","https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]`, true},
		{`["https://www.w3.org/2018/credentials/v1"]`, false},
		{`"https://www.w3.org/2018/credentials/v1"`, false},
		{`["https://w3id.org/security/data-integrity/v1"]`, false},
		{`[{"DataIntegrityProof":"https://w3id.org/security#DataIntegrityProof"}]`, false},
		{`null`, false},
	} {
		var v any
		if err := json.Unmarshal([]byte(tc.ctx), &v); err != nil {
			t.Fatal(err)
		}
		if got := definesProofTerms(v, true); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.ctx, got, tc.want)
		}
	}
	if definesProofTerms(nil, false) {
		t.Error("no @context: true")
	}
}

// A signedFixture is a document digitalbazaar's libraries signed through
// the harness in interop/js (see testdata/interop/README.md): the input,
// with ISSUER standing for the key's controller, the key, and the suite.
type signedFixture struct {
	name, unsigned, key, suite string
	deterministic              bool // Ed25519: the proofValue is reproduced
}

var signedFixtures = []signedFixture{
	{"vcdm11-eddsa-rdfc-2022", "unsigned-vcdm11.json", "key.json", EdDSARDFC2022, true},
	{"vcdm11-eddsa-jcs-2022", "unsigned-vcdm11.json", "key.json", EdDSAJCS2022, true},
	{"vcdm11-ecdsa-rdfc-2019-p256", "unsigned-vcdm11.json", "key-p256.json", ECDSARDFC2019, false},
	{"vcdm11-ecdsa-jcs-2019-p256", "unsigned-vcdm11.json", "key-p256.json", ECDSAJCS2019, false},
	{"vcdm11-string-eddsa-rdfc-2022", "unsigned-vcdm11-string.json", "key.json", EdDSARDFC2022, true},
	{"vcdm11-inline-eddsa-rdfc-2022", "unsigned-vcdm11-inline.json", "key.json", EdDSARDFC2022, true},
	{"direction-eddsa-rdfc-2022", "unsigned-direction.json", "key.json", EdDSARDFC2022, true},
	{"direction-ecdsa-rdfc-2019-p384", "unsigned-direction.json", "key-p384.json", ECDSARDFC2019, false},
	{"direction-ob-eddsa-rdfc-2022", "unsigned-direction-ob.json", "key.json", EdDSARDFC2022, true},
}

// fixtureKey reads a harness key file: the signer, its verification
// method and its controller.
func fixtureKey(t *testing.T, path string) (crypto.Signer, string, string) {
	t.Helper()
	var key struct {
		ID         string `json:"id"`
		Controller string `json:"controller"`
		Secret     string `json:"secretKeyMultibase"`
	}
	readJSON(t, path, &key)
	return vectorKeyString(t, key.Secret), key.ID, key.Controller
}

// fixtureInput returns the unsigned input of f as the harness signed it.
func fixtureInput(t *testing.T, f signedFixture, controller string) []byte {
	t.Helper()
	return bytes.ReplaceAll(readFile(t, filepath.Join("testdata/interop", f.unsigned)), []byte("ISSUER"), []byte(controller))
}

// TestDigitalBazaarContexts verifies credentials that digitalbazaar's
// libraries signed with every suite after adding the Data Integrity
// context to a VCDM 1.1 @context (an array, a single string, with an
// inline context), and credentials with base directions, and signs the
// same inputs here with the same key and time: the document, the proof
// configuration and their canonical forms must come out the same, and the
// whole signed document too where the signature is deterministic
// (Ed25519).
func TestDigitalBazaarContexts(t *testing.T) {
	created := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, f := range signedFixtures {
		t.Run(f.name, func(t *testing.T) {
			key, vm, controller := fixtureKey(t, filepath.Join("testdata/interop", f.key))
			theirs := readFile(t, filepath.Join("testdata/interop", "signed-by-digitalbazaar-"+f.name+".json"))
			v := &Verifier{Diagnostics: true}
			res, err := v.Verify(context.Background(), theirs)
			if err != nil || !res.Verified {
				t.Fatalf("digitalbazaar's does not verify here: %v %v", err, res.Err())
			}
			s := &Signer{Key: key, VerificationMethod: vm, Suite: f.suite, ProofObject: true, Check: true}
			ours, err := s.Sign(context.Background(), fixtureInput(t, f, controller), &ProofOptions{Created: created})
			if err != nil {
				t.Fatal(err)
			}
			mine, err := v.Verify(context.Background(), ours)
			if err != nil || !mine.Verified {
				t.Fatalf("ours does not verify here: %v %v", err, mine.Err())
			}
			if d := cmp.Diff(res.Proofs[0].Diagnostics, mine.Proofs[0].Diagnostics); d != "" {
				t.Errorf("canonical forms (-digitalbazaar +ours):\n%s", d)
			}
			if f.deterministic {
				if d := jsonEqual(t, ours, theirs); d != "" {
					t.Errorf("signed here differs from digitalbazaar's (-theirs +ours):\n%s", d)
				}
				return
			}
			if d := jsonEqual(t, withoutProofValue(t, ours), withoutProofValue(t, theirs)); d != "" {
				t.Errorf("signed here differs from digitalbazaar's but for the signature (-theirs +ours):\n%s", d)
			}
		})
	}
}

// withoutProofValue returns doc, which has one proof object, without its
// proofValue (re-encoded).
func withoutProofValue(t *testing.T, doc []byte) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(doc, &m); err != nil {
		t.Fatal(err)
	}
	p, ok := m["proof"].(map[string]any)
	if !ok {
		t.Fatalf("no proof object in %s", doc)
	}
	delete(p, "proofValue")
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestKeepContext checks that a Signer with KeepContext leaves @context
// alone: a VCDM 1.1 credential is then refused by the RDFC suites, whose
// proof terms it does not define, and signed by the JCS suites, whose
// proof carries the document's context as it is.
func TestKeepContext(t *testing.T) {
	key, vm, controller := fixtureKey(t, "testdata/interop/key.json")
	doc := fixtureInput(t, signedFixtures[0], controller)
	for _, tc := range []struct {
		suite, doc, want string
		is               error
	}{
		{EdDSARDFC2022, string(doc), `the proof configuration: dataintegrity: JSON-LD safe mode: /created: "created" is not defined by any context`, ErrSafeMode},
		{EdDSARDFC2022, `{"id":"urn:x"}`, "no @context", ErrNoContext},
		{EdDSAJCS2022, string(doc), "", nil},
		{EdDSAJCS2022, `{"id":"urn:x"}`, "", nil},
	} {
		s := &Signer{Key: key, VerificationMethod: vm, Suite: tc.suite, KeepContext: true}
		out, err := s.Sign(context.Background(), []byte(tc.doc), nil)
		if tc.is != nil {
			if !errors.Is(err, tc.is) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s %s: error %v, want one wrapping %v saying %q", tc.suite, tc.doc, err, tc.is, tc.want)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s %s: %v", tc.suite, tc.doc, err)
		}
		if !bytes.HasPrefix(out, bytes.TrimRight([]byte(tc.doc), "}\n ")) {
			t.Errorf("%s: the document changed:\n%s", tc.suite, out)
		}
		res, err := (&Verifier{}).Verify(context.Background(), out)
		if err != nil || len(res.Proofs) != 1 || !res.Proofs[0].SignatureValid {
			t.Errorf("%s %s: does not verify: %v %+v", tc.suite, tc.doc, err, res)
		}
	}
}

// TestDirectionSigned checks that a credential's base directions and
// languages are signed: each flipped, removed or changed in turn in the
// credentials digitalbazaar signed, the signature no longer verifies.
func TestDirectionSigned(t *testing.T) {
	for _, name := range []string{"direction-eddsa-rdfc-2022", "direction-ecdsa-rdfc-2019-p384", "direction-ob-eddsa-rdfc-2022"} {
		signed := readFile(t, filepath.Join("testdata/interop", "signed-by-digitalbazaar-"+name+".json"))
		ms := directionMutations(t, signed)
		if len(ms) < 6 {
			t.Fatalf("%s: only %d changes", name, len(ms))
		}
		for _, m := range ms {
			res, err := (&Verifier{}).Verify(context.Background(), m.doc)
			if err != nil {
				t.Fatal(err)
			}
			if res.Verified || res.Proofs[0].SignatureValid {
				t.Errorf("%s: %s: still verifies", name, m.name)
			}
		}
	}
}

// directionMutations returns doc with each value object that has a
// @direction changed in one way: the direction flipped, the direction
// removed, its language changed (or added).
func directionMutations(t *testing.T, doc []byte) []mutation {
	t.Helper()
	var out []mutation
	for i := 0; ; i++ {
		var changes []mutation
		for _, change := range []struct {
			name string
			f    func(m map[string]any)
		}{
			{"flip @direction", func(m map[string]any) {
				m["@direction"] = map[string]string{"ltr": "rtl", "rtl": "ltr"}[m["@direction"].(string)]
			}},
			{"remove @direction", func(m map[string]any) { delete(m, "@direction") }},
			{"change @language", func(m map[string]any) { m["@language"] = "und" }},
		} {
			var root any
			if err := json.Unmarshal(doc, &root); err != nil {
				t.Fatal(err)
			}
			n := 0
			var walk func(v any)
			walk = func(v any) {
				switch x := v.(type) {
				case map[string]any:
					if _, ok := x["@direction"]; ok {
						if n == i {
							change.f(x)
						}
						n++
					}
					for _, e := range x {
						walk(e)
					}
				case []any:
					for _, e := range x {
						walk(e)
					}
				}
			}
			walk(root)
			if i >= n {
				return out
			}
			b, err := json.Marshal(root)
			if err != nil {
				t.Fatal(err)
			}
			changes = append(changes, mutation{fmt.Sprintf("%s of value %d", change.name, i), b})
		}
		out = append(out, changes...)
	}
}
