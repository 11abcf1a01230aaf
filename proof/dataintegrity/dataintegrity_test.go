package dataintegrity

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/internal/base58"
	"github.com/go-openbadges/openbadges/keys"
)

// testKey is a fixed Ed25519 key, so that signatures are reproducible.
func testKey(t testing.TB) ed25519.PrivateKey {
	t.Helper()
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32))
}

// didKeySigner returns a Signer whose verification method is the did:key of
// key, and a credential issued by that did:key.
func didKeySigner(t testing.TB, key crypto.Signer, suite string) (*Signer, []byte) {
	t.Helper()
	vm, err := keys.DIDKeyVerificationMethod(key.Public())
	if err != nil {
		t.Fatal(err)
	}
	issuer, _, _ := strings.Cut(vm, "#")
	doc := []byte(`{
  "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
  "id": "urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002",
  "type": ["VerifiableCredential", "OpenBadgeCredential"],
  "issuer": {"id": "` + issuer + `", "type": ["Profile"], "name": "Example University"},
  "validFrom": "2024-01-01T00:00:00Z",
  "name": "Teamwork \u0007 <badge> & more",
  "credentialSubject": {
    "id": "did:example:learner",
    "type": ["AchievementSubject"],
    "achievement": {
      "id": "https://example.com/achievements/teamwork",
      "type": ["Achievement"],
      "name": "Teamwork",
      "description": "Works well with others.",
      "criteria": {"narrative": "Team members are nominated by peers."}
    }
  }
}`)
	return &Signer{Key: key, VerificationMethod: vm, Suite: suite, Check: true}, doc
}

// TestSignVerifyRoundTrip signs an OB 3.0 credential issued by a did:key
// with every suite and key type this package creates, and verifies it: the
// controller is the issuer, so the proof verifies completely.
func TestSignVerifyRoundTrip(t *testing.T) {
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	for _, tc := range []struct {
		suite string
		key   crypto.Signer
	}{
		{"", testKey(t)},
		{EdDSARDFC2022, testKey(t)},
		{EdDSAJCS2022, testKey(t)},
		{"", p256},
		{ECDSARDFC2019, p256},
		{ECDSARDFC2019, p384},
		{ECDSAJCS2019, p256},
		{ECDSAJCS2019, p384},
	} {
		s, doc := didKeySigner(t, tc.key, tc.suite)
		name := tc.suite + "/" + keyName(tc.key)
		t.Run(name, func(t *testing.T) {
			out, err := s.Sign(context.Background(), doc, &ProofOptions{Created: time.Date(2024, 1, 2, 3, 4, 5, 6, time.UTC)})
			if err != nil {
				t.Fatal(err)
			}
			// The document's bytes are kept: the output is the input with
			// the proof member spliced in before the closing brace.
			prefix := bytes.TrimRight(doc, "}\n ")
			if !bytes.HasPrefix(out, prefix) {
				t.Errorf("the document's bytes changed:\n%s", out)
			}
			res, err := (&Verifier{}).Verify(context.Background(), out)
			if err != nil {
				t.Fatal(err)
			}
			if !res.Verified || res.Err() != nil {
				t.Fatalf("not verified: %v", res.Err())
			}
			p := res.Proofs[0]
			wantSuite := tc.suite
			if wantSuite == "" {
				wantSuite = map[bool]string{true: ECDSARDFC2019, false: EdDSARDFC2022}[keyName(tc.key) != "Ed25519"]
			}
			if p.Proof.Cryptosuite != wantSuite || p.Proof.Created != "2024-01-02T03:04:05Z" || p.Proof.ProofPurpose != "assertionMethod" {
				t.Errorf("proof = %+v", p.Proof)
			}
			if p.Method.Controller != p.Issuer {
				t.Errorf("controller %q, issuer %q", p.Method.Controller, p.Issuer)
			}
		})
	}
}

func keyName(k crypto.Signer) string {
	switch p := k.Public().(type) {
	case *ecdsa.PublicKey:
		return p.Curve.Params().Name
	}
	return "Ed25519"
}

// TestSignErrors checks the signing requests that are refused.
func TestSignErrors(t *testing.T) {
	ed := testKey(t)
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	p521, _ := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 1024)
	_, doc := didKeySigner(t, ed, "")
	for _, tc := range []struct {
		name string
		s    *Signer
		doc  string
		is   error
		want string
	}{
		{"no key", &Signer{VerificationMethod: "did:example:1#k"}, string(doc), nil, "Signer has no Key"},
		{"no method", &Signer{Key: ed}, string(doc), nil, "Signer has no VerificationMethod"},
		{"ECDSA key for EdDSA", &Signer{Key: p256, VerificationMethod: "x:y", Suite: EdDSARDFC2022}, string(doc), ErrKeyType, "eddsa-rdfc-2022 needs an Ed25519 key, not ECDSA"},
		{"Ed25519 key for ECDSA", &Signer{Key: ed, VerificationMethod: "x:y", Suite: ECDSAJCS2019}, string(doc), ErrKeyType, "ecdsa-jcs-2019 needs a P-256 or P-384 key, not Ed25519"},
		{"P-521", &Signer{Key: p521, VerificationMethod: "x:y"}, string(doc), ErrKeyType, "needs a P-256 or P-384 key, not P-521"},
		{"RSA", &Signer{Key: rsaKey, VerificationMethod: "x:y"}, string(doc), ErrKeyType, "*rsa.PublicKey"},
		{"verify-only suite", &Signer{Key: ed, VerificationMethod: "x:y", Suite: EdDSA2022}, string(doc), ErrUnsupportedSuite, "eddsa-2022 is verified only"},
		{"unknown suite", &Signer{Key: ed, VerificationMethod: "x:y", Suite: "bbs-2023"}, string(doc), ErrUnsupportedSuite, `cryptosuite "bbs-2023"`},
		{"no context", &Signer{Key: ed, VerificationMethod: "x:y", KeepContext: true}, `{"id":"urn:x"}`, ErrNoContext, "no @context"},
		{"no context, given the Data Integrity context", &Signer{Key: ed, VerificationMethod: "x:y"}, `{"id":"urn:x"}`, ErrSafeMode, "an object with only an id"},
		{"not an object", &Signer{Key: ed, VerificationMethod: "x:y"}, `[1]`, ErrMalformed, "not a JSON object"},
		{"duplicate member", &Signer{Key: ed, VerificationMethod: "x:y"}, `{"a":1,"a":2}`, ErrMalformed, "duplicate"},
		{"proof is a string", &Signer{Key: ed, VerificationMethod: "x:y"}, `{"@context":"https://www.w3.org/ns/credentials/v2","proof":"x"}`, ErrMalformed, "proof is neither an object nor an array of objects"},
		{"too large", &Signer{Key: ed, VerificationMethod: "x:y", Limits: Limits{MaxBytes: 10}}, string(doc), ErrMalformed, "too large"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.s.Sign(context.Background(), []byte(tc.doc), nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one saying %q", err, tc.want)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %v does not wrap %v", err, tc.is)
			}
		})
	}
}

// TestInsertProof checks how a proof is spliced into the document's bytes.
func TestInsertProof(t *testing.T) {
	p := []byte(`{"n":2}`)
	for _, tc := range []struct{ in, want string }{
		{`{}`, `{"proof":{"n":2}}`},
		{`{ }`, `{"proof":{"n":2} }`},
		{`{"a":1}`, `{"a":1,"proof":{"n":2}}`},
		{"{\n  \"a\": 1\n}\n", "{\n  \"a\": 1,\"proof\":{\"n\":2}\n}\n"},
		{`{"proof":{"n":1},"b":"}"}`, `{"proof":[{"n":1},{"n":2}],"b":"}"}`},
		{`{"proof":[{"n":1}],"b":2}`, `{"proof":[{"n":1},{"n":2}],"b":2}`},
		{`{"proof":[ {"n":1} ] }`, `{"proof":[ {"n":1},{"n":2} ] }`},
		{`{"proof":[]}`, `{"proof":[{"n":2}]}`},
		{`{"x":{"proof":1},"y":"]"}`, `{"x":{"proof":1},"y":"]","proof":{"n":2}}`},
	} {
		got, err := spliceProof([]byte(tc.in), p, false)
		if err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		if d := cmp.Diff(tc.want, string(got)); d != "" {
			t.Errorf("%s (-want +got):\n%s", tc.in, d)
		}
		if !json.Valid(got) {
			t.Errorf("%s: invalid JSON %s", tc.in, got)
		}
	}
	got, err := spliceProof([]byte(`{"a":1}`), p, true)
	if err != nil || string(got) != `{"a":1,"proof":[{"n":2}]}` {
		t.Errorf("as an array: %s %v", got, err)
	}
}

// TestVerifyFailures checks each way a proof fails, with the error it is
// reported with.
func TestVerifyFailures(t *testing.T) {
	s, doc := didKeySigner(t, testKey(t), "")
	ctx := context.Background()
	signed, err := s.Sign(ctx, doc, &ProofOptions{Created: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), Expires: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), Domain: []string{"example.com"}, Challenge: "abc"})
	if err != nil {
		t.Fatal(err)
	}
	edit := func(f func(p map[string]any)) []byte {
		var m map[string]any
		if err := json.Unmarshal(signed, &m); err != nil {
			t.Fatal(err)
		}
		f(m["proof"].([]any)[0].(map[string]any))
		b, _ := json.Marshal(m)
		return b
	}
	other := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, 32))
	otherVM, _ := keys.DIDKeyVerificationMethod(other.Public())
	jan2024 := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		v    *Verifier
		doc  []byte
		is   error
		want string
	}{
		{"good", &Verifier{Now: jan2024, Domain: "example.com", Challenge: "abc"}, signed, nil, ""},
		{"expired", &Verifier{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}, signed, ErrExpired, "expired: at 2025-01-01T00:00:00Z"},
		{"wrong domain", &Verifier{Now: jan2024, Domain: "evil.com"}, signed, ErrDomain, `domain ["example.com"] does not include "evil.com"`},
		{"wrong challenge", &Verifier{Now: jan2024, Challenge: "xyz"}, signed, ErrDomain, `challenge is "abc", want "xyz"`},
		{"wrong purpose asked", &Verifier{Now: jan2024, Purpose: "authentication"}, signed, ErrPurpose, `purpose is "assertionMethod", want "authentication"`},
		{"purpose changed", &Verifier{Now: jan2024}, edit(func(p map[string]any) { p["proofPurpose"] = "authentication" }), ErrPurpose, `want "assertionMethod"`},
		{"other key", &Verifier{Now: jan2024}, edit(func(p map[string]any) { p["verificationMethod"] = otherVM }), ErrSignature, "does not verify"},
		{"unresolvable", &Verifier{Now: jan2024}, edit(func(p map[string]any) { p["verificationMethod"] = "did:example:nope#1" }), ErrResolve, `"did:example:nope#1"`},
		{"no method", &Verifier{Now: jan2024}, edit(func(p map[string]any) { delete(p, "verificationMethod") }), ErrMalformed, "no verificationMethod"},
		{"proofValue not base58btc", &Verifier{Now: jan2024}, edit(func(p map[string]any) { p["proofValue"] = "uAAAA" }), ErrMalformed, `must start with "z"`},
		{"proofValue bad character", &Verifier{Now: jan2024}, edit(func(p map[string]any) { p["proofValue"] = "z0OIl" }), ErrMalformed, "not a base58btc character"},
		{"proofValue truncated", &Verifier{Now: jan2024}, edit(func(p map[string]any) { p["proofValue"] = p["proofValue"].(string)[:40] }), ErrSignature, "does not verify"},
		{"unknown suite", &Verifier{Now: jan2024}, edit(func(p map[string]any) { p["cryptosuite"] = "bbs-2023" }), ErrUnsupportedSuite, `"bbs-2023"`},
		{"no cryptosuite", &Verifier{Now: jan2024}, edit(func(p map[string]any) { delete(p, "cryptosuite") }), ErrUnsupportedSuite, "without a cryptosuite"},
		{"unknown type", &Verifier{Now: jan2024}, edit(func(p map[string]any) { p["type"] = "RsaSignature2018" }), ErrUnsupportedSuite, `"RsaSignature2018"`},
		{"type not a string", &Verifier{Now: jan2024}, edit(func(p map[string]any) { p["type"] = []any{"DataIntegrityProof"} }), ErrMalformed, "type is not a string"},
		{"bad created", &Verifier{Now: jan2024}, edit(func(p map[string]any) { p["created"] = "yesterday" }), ErrMalformed, `"yesterday" is not an XML Schema dateTime`},
		{"ECDSA suite with an Ed25519 key", &Verifier{Now: jan2024}, edit(func(p map[string]any) { p["cryptosuite"] = ECDSARDFC2019 }), ErrKeyType, "needs a P-256 or P-384 key"},
		{"previous proof missing", &Verifier{Now: jan2024}, edit(func(p map[string]any) { p["previousProof"] = "urn:uuid:1" }), ErrPreviousProof, `"urn:uuid:1"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := tc.v.Verify(ctx, tc.doc)
			if err != nil {
				t.Fatal(err)
			}
			if tc.is == nil {
				if !res.Verified {
					t.Fatalf("not verified: %v", res.Err())
				}
				return
			}
			got := res.Proofs[0].Err
			if res.Verified || !errors.Is(got, tc.is) || !strings.Contains(got.Error(), tc.want) {
				t.Errorf("Verified=%v err=%v; want an error wrapping %v saying %q", res.Verified, got, tc.is, tc.want)
			}
			if errors.Is(got, ErrSignature) && (res.Proofs[0].Diagnostics == nil || len(res.Proofs[0].Diagnostics.CanonicalDocument) == 0) {
				t.Error("a failed signature comes without its diagnostics")
			}
		})
	}
}

// TestVerifyDocumentErrors checks the documents that cannot be checked at
// all, and a document without a proof.
func TestVerifyDocumentErrors(t *testing.T) {
	v := &Verifier{}
	for _, tc := range []struct{ doc, want string }{
		{`[]`, "not a JSON object"},
		{`{"a":`, "malformed"},
		{`{"proof":[1]}`, "proof[0] is not an object"},
		{`{"proof":` + strings.Repeat(`{"type":"x"},`, 0) + `[` + strings.TrimSuffix(strings.Repeat(`{"type":"x"},`, MaxProofs+1), ",") + `]}`, "over the limit of 32"},
	} {
		if _, err := v.Verify(context.Background(), []byte(tc.doc)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one saying %q", tc.doc, err, tc.want)
		}
	}
	res, err := v.Verify(context.Background(), []byte(`{"@context":"https://www.w3.org/ns/credentials/v2"}`))
	if err != nil || res.Verified || !errors.Is(res.Err(), ErrNoProof) {
		t.Errorf("no proof: %v %v", err, res.Err())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	signed := readFile(t, "testdata/di-eddsa/ob3-1edtech/signed-credential.json")
	if _, err := v.Verify(ctx, signed); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// TestControlCharacters checks that a control character in a literal is
// escaped in the canonical N-Quads (RDFC-1.0 §4.3; json-gold writes it
// raw, which no other implementation would reproduce).
func TestControlCharacters(t *testing.T) {
	s, doc := didKeySigner(t, testKey(t), "")
	_, diag, err := s.sign(context.Background(), doc, &ProofOptions{Created: time.Unix(0, 0)}, true)
	if err != nil {
		t.Fatal(err)
	}
	want := `<https://schema.org/name> "Teamwork \u0007 <badge> & more" .`
	if !bytes.Contains(diag.CanonicalDocument, []byte(want)) {
		t.Errorf("canonical document lacks %s:\n%s", want, diag.CanonicalDocument)
	}
}

// TestProofs checks that Proofs reads the proofs as received.
func TestProofs(t *testing.T) {
	got, err := Proofs(readFile(t, "testdata/di-eddsa/TestVectors/proof-set-chain/signedProofChain2.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 || got[2].ID != "urn:uuid:d94f792a-c546-4d06-b38a-da070ab56c23" || len(got[2].PreviousProof) != 2 || got[3].PreviousProof[0] != got[2].ID || got[3].Suite() != EdDSARDFC2022 {
		t.Errorf("Proofs = %+v", got)
	}
}

// TestLegacyEdDSA2022 verifies a proof made with the cryptosuite's draft
// name, eddsa-2022, which wallets issued before 2023: it is eddsa-rdfc-2022
// under another name, the name itself being part of what is signed. No
// published vector exists, so the proof is made here by hand, step by step.
func TestLegacyEdDSA2022(t *testing.T) {
	s, doc := didKeySigner(t, testKey(t), "")
	e := &s.engine
	e.init(nil, Limits{}, false)
	d, err := e.parseDocument(doc)
	if err != nil {
		t.Fatal(err)
	}
	p := &proofJSON{Type: TypeDataIntegrityProof, Cryptosuite: EdDSA2022, Created: "2022-06-01T00:00:00Z", VerificationMethod: s.VerificationMethod, ProofPurpose: "assertionMethod"}
	m, err := p.asMap()
	if err != nil {
		t.Fatal(err)
	}
	st, _ := suiteFor(TypeDataIntegrityProof, EdDSA2022)
	hashData, _, err := e.hashData(context.Background(), st, crypto.SHA256, input{d: d}, proofConfig(m, d.unsecured()["@context"], true), true)
	if err != nil {
		t.Fatal(err)
	}
	p.ProofValue = "z" + base58.Encode(ed25519.Sign(testKey(t), hashData))
	raw, _ := marshalJSON(p)
	signed, err := spliceProof(doc, raw, true)
	if err != nil {
		t.Fatal(err)
	}
	res, err := (&Verifier{}).Verify(context.Background(), signed)
	if err != nil || !res.Verified {
		t.Fatalf("eddsa-2022 proof: %v %v", err, res.Err())
	}
	// The same signature under the current name does not verify: the
	// name is signed.
	renamed := bytes.Replace(signed, []byte(`"eddsa-2022"`), []byte(`"eddsa-rdfc-2022"`), 1)
	res, err = (&Verifier{}).Verify(context.Background(), renamed)
	if err != nil || res.Verified || !errors.Is(res.Proofs[0].Err, ErrSignature) {
		t.Fatalf("renamed proof: %v %v", err, res.Err())
	}
}

// poisonDocument is the W3C RDFC-1.0 poison graph (test074) written as
// JSON-LD: n blank nodes, each linked to every one of them. Canonicalizing
// it takes factorial time; it must fail fast with ErrWorkLimit instead.
func poisonDocument(n int) []byte {
	var nodes []string
	for i := range n {
		var links []string
		for j := range n {
			links = append(links, fmt.Sprintf(`{"@id":"_:e%d"}`, j))
		}
		nodes = append(nodes, fmt.Sprintf(`{"@id":"_:e%d","http://example.com/p":[%s]}`, i, strings.Join(links, ",")))
	}
	return []byte(`{"@context":{"@version":1.1},"@graph":[` + strings.Join(nodes, ",") + `]}`)
}

// TestPoisonGraph checks that signing and verifying a poison graph stop
// at the work bound, and that a cancelled context stops them too.
func TestPoisonGraph(t *testing.T) {
	doc := poisonDocument(10)
	s := &Signer{Key: testKey(t), VerificationMethod: "did:example:1#k"}
	start := time.Now()
	_, err := s.Sign(context.Background(), doc, nil)
	if !errors.Is(err, ErrWorkLimit) {
		t.Fatalf("Sign: %v, want ErrWorkLimit", err)
	}
	t.Logf("stopped after %v: %v", time.Since(start), err)

	// A signed poison document (a proof appended by hand) fails the same
	// way at verification, as a failed proof, not a hang.
	signed, err := spliceProof(doc, []byte(`{"type":"DataIntegrityProof","cryptosuite":"eddsa-rdfc-2022","verificationMethod":"did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2","proofPurpose":"assertionMethod","proofValue":"z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCzpvJpwTWd3GAVFuUfjoJdcnTMuVor51aX"}`), true)
	if err != nil {
		t.Fatal(err)
	}
	res, err := (&Verifier{}).Verify(context.Background(), signed)
	if err != nil {
		t.Fatal(err)
	}
	if res.Verified || !errors.Is(res.Proofs[0].Err, ErrWorkLimit) {
		t.Errorf("Verify: %v, want ErrWorkLimit", res.Proofs[0].Err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	unbounded := &Signer{Key: testKey(t), VerificationMethod: "did:example:1#k", Limits: Limits{MaxWork: -1}}
	if _, err := unbounded.Sign(ctx, doc, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Sign without a work bound under a deadline: %v, want context.DeadlineExceeded", err)
	}
}

// spliceProof is insertProof on a document as parseDocument reads it.
func spliceProof(doc, proof []byte, asArray bool) ([]byte, error) {
	e := &engine{}
	e.init(nil, Limits{}, true)
	d, err := e.parseDocument(doc)
	if err != nil {
		return nil, err
	}
	return insertProof(doc, d, proof, asArray), nil
}

// TestProofAsMap checks that asMap builds what a JSON round trip of the
// proof gives.
func TestProofAsMap(t *testing.T) {
	for _, p := range []*proofJSON{
		{Type: TypeDataIntegrityProof, VerificationMethod: "did:example:1#k", ProofPurpose: "assertionMethod"},
		{ID: "urn:p:2", Type: TypeDataIntegrityProof, Cryptosuite: EdDSARDFC2022, Created: "2024-01-01T00:00:00Z", Expires: "2025-01-01T00:00:00Z",
			VerificationMethod: "did:example:1#k", ProofPurpose: "authentication", PreviousProof: "urn:p:1", Domain: []string{"a", "b"},
			Challenge: "c", Nonce: "n", Context: []any{"https://www.w3.org/ns/credentials/v2"}, ProofValue: "z1"},
		{Type: TypeDataIntegrityProof, VerificationMethod: "did:example:1#k", ProofPurpose: "assertionMethod", PreviousProof: []string{"urn:p:1", "urn:p:2"}, Domain: "d"},
	} {
		raw, err := marshalJSON(p)
		if err != nil {
			t.Fatal(err)
		}
		var want map[string]any
		if err := json.Unmarshal(raw, &want); err != nil {
			t.Fatal(err)
		}
		got, err := p.asMap()
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("asMap (-JSON round trip +asMap):\n%s", d)
		}
	}
}
