package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/present"
)

// presentation returns an unsigned presentation by holder (none if empty)
// of the credentials.
func presentation(holder string, creds ...json.RawMessage) string {
	h := ""
	if holder != "" {
		h = `"holder":"` + holder + `",`
	}
	var list []string
	for _, c := range creds {
		list = append(list, string(c))
	}
	return `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"],` + h + `"verifiableCredential":[` + strings.Join(list, ",") + `]}`
}

// presentVP has the server sign a presentation; it returns the
// verifiablePresentation.
func presentVP(t *testing.T, h http.Handler, vp, options string) json.RawMessage {
	t.Helper()
	code, m, body := do(t, h, "POST", "/presentations", `{"presentation":`+vp+`,"options":`+options+`}`)
	if code != http.StatusCreated {
		t.Fatalf("present %s: %d, want 201:\n%s", options, code, body)
	}
	out, err := json.Marshal(m["verifiablePresentation"])
	if err != nil || m["verifiablePresentation"] == nil {
		t.Fatalf("present: no verifiablePresentation:\n%s", body)
	}
	return out
}

// TestPresentations: the server signs presentations as a holder (POST
// /presentations) and verifies them (POST /presentations/verify): 200 for
// one whose holder's proof, challenge and credentials verify, 422 with
// problem details naming the part that fails, 400 for a malformed
// request.
func TestPresentations(t *testing.T) {
	h := newTestServer(t, config{})
	ed := mustDID(t, testEd25519)
	vc := issue(t, h, unsigned("urn:uuid:p1", ""), "")
	env := issue(t, h, unsigned("urn:uuid:p2", ""), `{"format":"vc+jwt"}`)
	asked := `{"challenge":"c-1","domain":"verifier.example"}`
	signed := presentVP(t, h, presentation(ed, vc, env), asked)
	if !bytes.Contains(signed, []byte(`"proofPurpose":"authentication"`)) || !bytes.Contains(signed, []byte(`"challenge":"c-1"`)) {
		t.Fatalf("not an authentication proof with the challenge: %s", signed)
	}
	jwt := presentVP(t, h, presentation("", env), `{"challenge":"c-1","format":"vp+jwt"}`)
	if !bytes.Contains(jwt, []byte(`"data:application/vp+jwt,`)) {
		t.Fatalf("not an EnvelopedVerifiablePresentation: %s", jwt)
	}
	tampered := presentVP(t, h, presentation(ed, json.RawMessage(strings.Replace(string(vc), "Example University", "Another University", 1))), asked)
	unsignedVP := presentation(ed, vc)

	// A presentation signed elsewhere, by a did:key that is not the
	// server's, naming no holder: as the W3C data-model suite sends them.
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, ed25519.SeedSize))
	vm, _ := keys.DIDKeyVerificationMethod(key.Public())
	elsewhere, err := (&present.Holder{Key: key, VerificationMethod: vm}).Sign(context.Background(), []byte(presentation("", vc)), &present.Options{Challenge: "c-1"})
	if err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name, body string
		code       int
		problems   []string
		creds      []bool // each credentialResults' verified
	}{
		{"Data Integrity, challenge and domain", `{"verifiablePresentation":` + string(signed) + `,"options":` + asked + `}`, http.StatusOK, nil, []bool{true, true}},
		{"vp+jwt, enveloped", `{"verifiablePresentation":` + string(jwt) + `,"options":{"challenge":"c-1"}}`, http.StatusOK, nil, []bool{true}},
		{"signed elsewhere, no holder", `{"verifiablePresentation":` + string(elsewhere) + `,"options":{"challenge":"c-1"}}`, http.StatusOK, nil, []bool{true}},
		{"another challenge", `{"verifiablePresentation":` + string(signed) + `,"options":{"challenge":"c-2"}}`, http.StatusUnprocessableEntity, []string{problemProof, problemChallenge}, []bool{true, true}},
		{"another domain", `{"verifiablePresentation":` + string(signed) + `,"options":{"challenge":"c-1","domain":"other.example"}}`, http.StatusUnprocessableEntity, []string{problemProof, problemChallenge}, []bool{true, true}},
		{"a tampered credential inside", `{"verifiablePresentation":` + string(tampered) + `,"options":` + asked + `}`, http.StatusUnprocessableEntity, []string{problemCredential}, []bool{false}},
		{"no proof", `{"verifiablePresentation":` + unsignedVP + `}`, http.StatusUnprocessableEntity, []string{problemProof}, []bool{true}},
		{"a credential, not a presentation", `{"verifiablePresentation":` + string(vc) + `}`, http.StatusUnprocessableEntity, []string{problemMalformed}, []bool{}},
		{"a nonconforming document", `{"verifiablePresentation":{"type":["NonconformingDocument"]}}`, http.StatusUnprocessableEntity, []string{problemMalformed}, []bool{}},
		{"missing", `{"options":{}}`, http.StatusBadRequest, []string{problemParsing}, nil},
		{"a number", `{"verifiablePresentation":5}`, http.StatusBadRequest, []string{problemParsing}, nil},
		{"a string that is no JWS", `{"verifiablePresentation":"{}"}`, http.StatusBadRequest, []string{problemParsing}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, m, body := do(t, h, "POST", "/presentations/verify", tc.body)
			if code != tc.code {
				t.Fatalf("%d, want %d:\n%s", code, tc.code, body)
			}
			if code == http.StatusBadRequest {
				if typ, _ := m["type"].(string); typ != tc.problems[0] {
					t.Errorf("problem %q, want %q:\n%s", typ, tc.problems[0], body)
				}
				return
			}
			if d := cmp.Diff(tc.problems, problemTypes(m)); d != "" {
				t.Errorf("problem types (-want +got):\n%s\n%s", d, body)
			}
			got := []bool{}
			results, _ := m["credentialResults"].([]any)
			for _, r := range results {
				v, _ := r.(map[string]any)["verified"].(bool)
				got = append(got, v)
			}
			if d := cmp.Diff(tc.creds, got); d != "" {
				t.Errorf("credentialResults verified (-want +got):\n%s", d)
			}
		})
	}
}

// TestPresentErrors: what POST /presentations refuses, and with which
// status.
func TestPresentErrors(t *testing.T) {
	h := newTestServer(t, config{})
	p256 := mustDID(t, testP256)
	vc := issue(t, h, unsigned("urn:uuid:p3", ""), "")
	for _, tc := range []struct {
		name, body string
		code       int
		problem    string
	}{
		{"not our holder", `{"presentation":` + presentation("did:example:bob", vc) + `}`, http.StatusUnprocessableEntity, problemHolder},
		{"a suite the holder's key cannot sign with", `{"presentation":` + presentation(p256, vc) + `,"options":{"cryptosuite":"eddsa-rdfc-2022"}}`, http.StatusUnprocessableEntity, problemHolder},
		{"an unknown suite", `{"presentation":` + presentation("", vc) + `,"options":{"cryptosuite":"nope"}}`, http.StatusBadRequest, problemBadRequest},
		{"an unknown format", `{"presentation":` + presentation("", vc) + `,"options":{"format":"xml"}}`, http.StatusBadRequest, problemBadRequest},
		{"a JSON credential in a vp+jwt", `{"presentation":` + presentation("", vc) + `,"options":{"format":"vp+jwt"}}`, http.StatusBadRequest, problemMalformed},
		{"not a presentation", `{"presentation":5}`, http.StatusBadRequest, problemParsing},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, m, body := do(t, h, "POST", "/presentations", tc.body)
			if typ, _ := m["type"].(string); code != tc.code || typ != tc.problem {
				t.Errorf("%d %q, want %d %q:\n%s", code, typ, tc.code, tc.problem, body)
			}
		})
	}
	// The P-256 identity signs with an ECDSA suite.
	vp := presentVP(t, h, presentation(p256, vc), `{"cryptosuite":"ecdsa-rdfc-2019","challenge":"c"}`)
	if !bytes.Contains(vp, []byte(`"cryptosuite":"ecdsa-rdfc-2019"`)) {
		t.Errorf("not signed with ecdsa-rdfc-2019: %s", vp)
	}
	if code, _, body := do(t, h, "POST", "/presentations/verify", `{"verifiablePresentation":`+string(vp)+`,"options":{"challenge":"c"}}`); code != http.StatusOK {
		t.Errorf("verify: %d:\n%s", code, body)
	}
}
