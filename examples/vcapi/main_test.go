package main

import (
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/status"
)

const testBase = "https://vcapi.test"

// testKeys are fixed for the whole test binary, so that DIDs are known.
var testEd25519, testP256 = mustGenerate(keys.Ed25519), mustGenerate(keys.P256)

func mustGenerate(t keys.Type) crypto.Signer {
	s, err := keys.Generate(t)
	if err != nil {
		panic(err)
	}
	return s
}

func mustDID(t *testing.T, s crypto.Signer) string {
	t.Helper()
	d, err := keys.DIDKey(s.Public())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// newTestServer returns the handler for cfg with the test keys and base
// URL filled in.
func newTestServer(t *testing.T, cfg config) http.Handler {
	t.Helper()
	cfg.BaseURL, cfg.Ed25519, cfg.P256 = testBase, testEd25519, testP256
	h, err := newServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// do sends a request to h and returns the status code and the decoded
// JSON body (nil if the body is not JSON).
func do(t *testing.T, h http.Handler, method, path, body string) (int, map[string]any, string) {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var m map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &m)
	return rec.Code, m, rec.Body.String()
}

// unsigned is a VCDM 2.0 credential like those the W3C suites send:
// not an Open Badge.
func unsigned(id string, extra string) string {
	return `{"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],` +
		`"id":"` + id + `","type":["VerifiableCredential","ExampleAlumniCredential"],` + extra +
		`"validFrom":"2024-01-01T00:00:00Z","credentialSubject":{"id":"did:example:ebfeb1f712ebc6f1c276e12ec21","alumniOf":"Example University"}}`
}

func issueBody(cred, options string) string {
	if options == "" {
		options = "{}"
	}
	return `{"credential":` + cred + `,"options":` + options + `}`
}

// issue issues and returns the verifiableCredential as JSON.
func issue(t *testing.T, h http.Handler, cred, options string) json.RawMessage {
	t.Helper()
	code, m, body := do(t, h, "POST", "/credentials/issue", issueBody(cred, options))
	if code != http.StatusCreated {
		t.Fatalf("issue %s: %d, want 201:\n%s", options, code, body)
	}
	vc, err := json.Marshal(m["verifiableCredential"])
	if err != nil || m["verifiableCredential"] == nil {
		t.Fatalf("issue: no verifiableCredential:\n%s", body)
	}
	return vc
}

func verifyBody(vc json.RawMessage) string {
	return `{"verifiableCredential":` + string(vc) + `,"options":{}}`
}

// problemTypes returns the types of the problemDetails of a verify
// response.
func problemTypes(m map[string]any) []string {
	var out []string
	pds, _ := m["problemDetails"].([]any)
	for _, p := range pds {
		pm, _ := p.(map[string]any)
		typ, _ := pm["type"].(string)
		out = append(out, typ)
		if title, _ := pm["title"].(string); title == "" {
			out = append(out, "(no title)")
		}
	}
	return out
}

func TestIssueThenVerify(t *testing.T) {
	h := newTestServer(t, config{})
	edDID, pDID := mustDID(t, testEd25519), mustDID(t, testP256)
	tests := []struct {
		name, options, issuer string
		wantIssuer            string
		wantSuite             string // "" for a JWT
		wantForm              string // "object", "jwt" (a string), "enveloped"
	}{
		{"default", ``, ``, edDID, "eddsa-rdfc-2022", "object"},
		{"eddsa-rdfc-2022", `{"cryptosuite":"eddsa-rdfc-2022"}`, ``, edDID, "eddsa-rdfc-2022", "object"},
		{"eddsa-jcs-2022", `{"cryptosuite":"eddsa-jcs-2022"}`, `"issuer":"` + edDID + `",`, edDID, "eddsa-jcs-2022", "object"},
		{"ecdsa-rdfc-2019", `{"cryptosuite":"ecdsa-rdfc-2019"}`, ``, pDID, "ecdsa-rdfc-2019", "object"},
		{"ecdsa-jcs-2019", `{"cryptosuite":"ecdsa-jcs-2019"}`, `"issuer":{"id":"` + pDID + `","name":"P"},`, pDID, "ecdsa-jcs-2019", "object"},
		{"P-256 issuer picks ecdsa", ``, `"issuer":"` + pDID + `",`, pDID, "ecdsa-rdfc-2019", "object"},
		{"OB VC-JWT", `{"format":"jwt"}`, ``, edDID, "", "jwt"},
		{"VC-JOSE ES256", `{"format":"vc+jwt"}`, `"issuer":"` + pDID + `",`, pDID, "", "enveloped"},
		{"VC-JOSE EdDSA", `{"format":"vc+jwt"}`, ``, edDID, "", "enveloped"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vc := issue(t, h, unsigned("urn:uuid:issue-"+string(rune('a'+i)), tt.issuer), tt.options)
			switch tt.wantForm {
			case "object":
				var got struct {
					Issuer json.RawMessage `json:"issuer"`
					Proof  []struct {
						Cryptosuite        string `json:"cryptosuite"`
						VerificationMethod string `json:"verificationMethod"`
					} `json:"proof"`
				}
				if err := json.Unmarshal(vc, &got); err != nil || len(got.Proof) != 1 {
					t.Fatalf("not a credential with one proof (%v):\n%s", err, vc)
				}
				if id, _ := idOf(got.Issuer); id != tt.wantIssuer {
					t.Errorf("issuer = %s, want %s", got.Issuer, tt.wantIssuer)
				}
				if got.Proof[0].Cryptosuite != tt.wantSuite || !strings.HasPrefix(got.Proof[0].VerificationMethod, tt.wantIssuer+"#") {
					t.Errorf("proof = %+v, want %s by %s", got.Proof[0], tt.wantSuite, tt.wantIssuer)
				}
			case "jwt":
				var tok string
				if err := json.Unmarshal(vc, &tok); err != nil || strings.Count(tok, ".") != 2 {
					t.Fatalf("not a compact JWS: %s", vc)
				}
			case "enveloped":
				var env envelope
				if err := json.Unmarshal(vc, &env); err != nil || env.Type != "EnvelopedVerifiableCredential" ||
					env.Context != contextV2 || !strings.HasPrefix(env.ID, "data:application/vc+jwt,ey") {
					t.Fatalf("not an EnvelopedVerifiableCredential: %s", vc)
				}
			}
			code, m, body := do(t, h, "POST", "/credentials/verify", verifyBody(vc))
			if code != http.StatusOK || m["verified"] != true {
				t.Fatalf("verify: %d, want 200 verified:\n%s", code, body)
			}
			checks, _ := m["checks"].([]any)
			if !slices.Contains(checks, any("proof")) {
				t.Errorf("checks %v lack proof", checks)
			}
			if errs, _ := m["errors"].([]any); len(errs) != 0 {
				t.Errorf("errors = %v, want none", errs)
			}
			if _, ok := m["problemDetails"]; ok {
				t.Errorf("a verified result has problemDetails: %s", body)
			}
		})
	}
}

func TestVerifyTampered(t *testing.T) {
	h := newTestServer(t, config{})
	tamperJSON := func(vc json.RawMessage) json.RawMessage {
		out := strings.Replace(string(vc), "Example University", "Example Universitx", 1)
		if out == string(vc) {
			t.Fatal("nothing tampered")
		}
		return json.RawMessage(out)
	}
	tamperJWS := func(vc json.RawMessage) json.RawMessage {
		var tok string
		if err := json.Unmarshal(vc, &tok); err != nil {
			t.Fatal(err)
		}
		// Change the payload: the signature no longer covers it.
		parts := strings.Split(tok, ".")
		parts[1] = parts[1][:10] + flip(parts[1][10]) + parts[1][11:]
		b, _ := json.Marshal(strings.Join(parts, "."))
		return b
	}
	tests := []struct {
		name, options string
		tamper        func(json.RawMessage) json.RawMessage
		wantType      string
	}{
		{"eddsa-rdfc-2022", `{"cryptosuite":"eddsa-rdfc-2022"}`, tamperJSON, problemProof},
		{"eddsa-jcs-2022", `{"cryptosuite":"eddsa-jcs-2022"}`, tamperJSON, problemProof},
		{"ecdsa-rdfc-2019", `{"cryptosuite":"ecdsa-rdfc-2019"}`, tamperJSON, problemProof},
		{"ecdsa-jcs-2019", `{"cryptosuite":"ecdsa-jcs-2019"}`, tamperJSON, problemProof},
		{"jwt", `{"format":"jwt"}`, tamperJWS, problemCrypto},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vc := tt.tamper(issue(t, h, unsigned("urn:uuid:tamper-"+tt.name, ""), tt.options))
			code, m, body := do(t, h, "POST", "/credentials/verify", verifyBody(vc))
			if code != http.StatusUnprocessableEntity || m["verified"] != false {
				t.Fatalf("verify tampered: %d, want 422 not verified:\n%s", code, body)
			}
			if types := problemTypes(m); !slices.Contains(types, tt.wantType) || slices.Contains(types, "(no title)") {
				t.Errorf("problemDetails types = %v, want %s, each with a title:\n%s", types, tt.wantType, body)
			}
		})
	}
}

// flip changes a base64url character into another.
func flip(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}

func TestRequestErrors(t *testing.T) {
	h := newTestServer(t, config{MaxBodyBytes: 4096})
	edDID := mustDID(t, testEd25519)
	other := "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
	big := `{"credential":` + unsigned("urn:uuid:big", `"padding":"`+strings.Repeat("x", 5000)+`",`) + `}`
	tests := []struct {
		name, method, path, body string
		contentType              string // if empty, application/json
		wantCode                 int
		wantType                 string // the problem type, if any
	}{
		{"issue malformed JSON", "POST", "/credentials/issue", `{"credential": {`, "", 400, problemParsing},
		{"verify malformed JSON", "POST", "/credentials/verify", `{"verifiableCredential": [`, "", 400, problemParsing},
		{"issue trailing data", "POST", "/credentials/issue", issueBody(unsigned("urn:uuid:x", ""), "") + ` {}`, "", 400, problemParsing},
		{"issue without credential", "POST", "/credentials/issue", `{"options":{}}`, "", 400, problemParsing},
		{"issue credential not an object", "POST", "/credentials/issue", `{"credential":[1]}`, "", 400, problemParsing},
		{"issue body not an object", "POST", "/credentials/issue", `[]`, "", 400, problemParsing},
		{"issue duplicate issuer", "POST", "/credentials/issue", issueBody(unsigned("urn:uuid:x", `"issuer":"`+edDID+`","issuer":"`+other+`",`), ""), "", 400, problemParsing},
		{"verify without credential", "POST", "/credentials/verify", `{"options":{}}`, "", 400, problemParsing},
		{"verify a number", "POST", "/credentials/verify", `{"verifiableCredential":42}`, "", 400, problemParsing},
		{"issue oversize", "POST", "/credentials/issue", big, "", 413, problemBadRequest},
		{"verify oversize", "POST", "/credentials/verify", `{"verifiableCredential":` + strings.Repeat(" ", 5000) + `{}}`, "", 413, problemBadRequest},
		{"issue as text/plain", "POST", "/credentials/issue", issueBody(unsigned("urn:uuid:x", ""), ""), "text/plain", 415, problemBadRequest},
		{"GET issue", "GET", "/credentials/issue", "", "", 405, ""},
		{"PUT verify", "PUT", "/credentials/verify", `{}`, "", 405, ""},
		{"DELETE status", "DELETE", "/credentials/status", "", "", 405, ""},
		{"POST status list", "POST", "/status/ed25519/revocation/1", `{}`, "", 405, ""},
		{"issuer mismatch", "POST", "/credentials/issue", issueBody(unsigned("urn:uuid:x", `"issuer":"`+other+`",`), ""), "", 422, problemIssuer},
		{"issuer object mismatch", "POST", "/credentials/issue", issueBody(unsigned("urn:uuid:x", `"issuer":{"id":"https://example.edu/issuers/1"},`), ""), "", 422, problemIssuer},
		{"issuer key cannot sign suite", "POST", "/credentials/issue", issueBody(unsigned("urn:uuid:x", `"issuer":"`+edDID+`",`), `{"cryptosuite":"ecdsa-rdfc-2019"}`), "", 422, problemIssuer},
		{"issuer without id", "POST", "/credentials/issue", issueBody(unsigned("urn:uuid:x", `"issuer":{"name":"X"},`), ""), "", 400, problemMalformed},
		{"unknown cryptosuite", "POST", "/credentials/issue", issueBody(unsigned("urn:uuid:x", ""), `{"cryptosuite":"bbs-2023"}`), "", 400, problemBadRequest},
		{"unknown format", "POST", "/credentials/issue", issueBody(unsigned("urn:uuid:x", ""), `{"format":"mso_mdoc"}`), "", 400, problemBadRequest},
		{"format and cryptosuite", "POST", "/credentials/issue", issueBody(unsigned("urn:uuid:x", ""), `{"format":"jwt","cryptosuite":"eddsa-rdfc-2022"}`), "", 400, problemBadRequest},
		{"options not an object", "POST", "/credentials/issue", issueBody(unsigned("urn:uuid:x", ""), `"eddsa"`), "", 400, problemParsing},
		{"undefined term (safe mode)", "POST", "/credentials/issue", issueBody(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"undefinedTerm":1,"credentialSubject":{"id":"did:example:1"}}`, ""), "", 400, problemMalformed},
		{"JWT without validFrom", "POST", "/credentials/issue", issueBody(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"credentialSubject":{"id":"did:example:1"}}`, `{"format":"jwt"}`), "", 400, problemMalformed},
		{"bad status option", "POST", "/credentials/issue", issueBody(unsigned("urn:uuid:x", ""), `{"credentialStatus":"refresh"}`), "", 400, problemBadRequest},
		{"verify not a credential", "POST", "/credentials/verify", `{"verifiableCredential":"hello"}`, "", 400, problemParsing},
		{"verify a credential as a string", "POST", "/credentials/verify", `{"verifiableCredential":` + strconv.Quote(unsigned("urn:uuid:u", `"issuer":"`+edDID+`",`)) + `}`, "", 400, problemParsing},
		{"verify enveloped, empty context", "POST", "/credentials/verify", `{"verifiableCredential":{"@context":[],"type":"EnvelopedVerifiableCredential","id":"data:application/vc+jwt,eyJhbGciOiJFZERTQSJ9.e30.c2ln"}}`, "", 422, problemMalformed},
		{"verify enveloped, VCDM 1.1 context", "POST", "/credentials/verify", `{"verifiableCredential":{"@context":"https://www.w3.org/2018/credentials/v1","type":"EnvelopedVerifiableCredential","id":"data:application/vc+jwt,eyJhbGciOiJFZERTQSJ9.e30.c2ln"}}`, "", 422, problemMalformed},
		{"verify enveloped SD-JWT", "POST", "/credentials/verify", `{"verifiableCredential":{"@context":"https://www.w3.org/ns/credentials/v2","type":"EnvelopedVerifiableCredential","id":"data:application/vc+sd-jwt,eyJ"}}`, "", 422, problemMalformed},
		{"verify enveloped without data URL", "POST", "/credentials/verify", `{"verifiableCredential":{"@context":"https://www.w3.org/ns/credentials/v2","type":"EnvelopedVerifiableCredential","id":"https://example.com/vc"}}`, "", 422, problemMalformed},
		{"verify unsigned", "POST", "/credentials/verify", `{"verifiableCredential":` + unsigned("urn:uuid:u", `"issuer":"`+edDID+`",`) + `}`, "", 422, problemProof},
		{"status without credentialId", "POST", "/credentials/status", `{"credentialStatus":[{"type":"BitstringStatusListEntry","status":"revoked"}]}`, "", 400, problemBadRequest},
		{"status of unknown credential", "POST", "/credentials/status", `{"credentialId":"urn:uuid:nope","credentialStatus":[{"type":"BitstringStatusListEntry","status":"revoked"}]}`, "", 404, problemNotFound},
		{"status un-revoke", "POST", "/credentials/status", `{"credentialId":"urn:uuid:nope","credentialStatus":{"type":"BitstringStatusList","statusPurpose":"revocation"},"status":false}`, "", 400, problemBadRequest},
		{"status unknown word", "POST", "/credentials/status", `{"credentialId":"urn:uuid:nope","credentialStatus":[{"status":"archived"}]}`, "", 400, problemBadRequest},
		{"unknown status list", "GET", "/status/ed25519/revocation/9", "", "", 404, problemNotFound},
		{"unknown DID", "GET", "/issuers/" + other, "", "", 404, problemNotFound},
		{"unknown path", "GET", "/nope", "", "", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body))
			ct := tt.contentType
			if ct == "" {
				ct = "application/json"
			}
			req.Header.Set("Content-Type", ct)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tt.wantCode {
				t.Fatalf("%s %s: %d, want %d:\n%s", tt.method, tt.path, rec.Code, tt.wantCode, rec.Body)
			}
			if tt.wantType == "" {
				return
			}
			var m map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
				t.Fatalf("body is not JSON: %v\n%s", err, rec.Body)
			}
			var types []string
			if typ, ok := m["type"].(string); ok { // a single problem (RFC 9457)
				types = []string{typ}
				if m["status"] != float64(tt.wantCode) || m["title"] == "" || m["detail"] == "" {
					t.Errorf("problem lacks status %d, title or detail: %s", tt.wantCode, rec.Body)
				}
				if got := rec.Header().Get("Content-Type"); got != "application/problem+json" {
					t.Errorf("Content-Type = %q, want application/problem+json", got)
				}
			} else {
				types = problemTypes(m)
				if tt.wantCode == 422 && tt.path == "/credentials/verify" && m["verified"] != false {
					t.Errorf("verified = %v, want false", m["verified"])
				}
			}
			if !slices.Contains(types, tt.wantType) {
				t.Errorf("problem types = %v, want %s:\n%s", types, tt.wantType, rec.Body)
			}
		})
	}
}

func TestStatus(t *testing.T) {
	h := newTestServer(t, config{})
	verifyCode := func(t *testing.T, vc json.RawMessage) (int, []string) {
		t.Helper()
		code, m, _ := do(t, h, "POST", "/credentials/verify", verifyBody(vc))
		return code, problemTypes(m)
	}
	update := func(t *testing.T, body string, want int) {
		t.Helper()
		if code, _, b := do(t, h, "POST", "/credentials/status", body); code != want {
			t.Fatalf("update status %s: %d, want %d:\n%s", body, code, want, b)
		}
	}

	t.Run("revoke by credentialId", func(t *testing.T) {
		vc := issue(t, h, unsigned("urn:uuid:revoke-me", ""), `{"credentialStatus":"revocation"}`)
		var got struct {
			CredentialStatus status.Entry `json:"credentialStatus"`
		}
		if err := json.Unmarshal(vc, &got); err != nil {
			t.Fatal(err)
		}
		e := got.CredentialStatus
		if e.Type != "BitstringStatusListEntry" || e.StatusPurpose != status.Revocation ||
			e.StatusListCredential != testBase+"/status/ed25519/revocation/1" || e.StatusListIndex == "" {
			t.Fatalf("credentialStatus = %+v", e)
		}
		if code, types := verifyCode(t, vc); code != 200 {
			t.Fatalf("before revocation: %d %v, want 200", code, types)
		}
		update(t, `{"credentialId":"urn:uuid:revoke-me","credentialStatus":[{"type":"BitstringStatusListEntry","status":"revoked"}]}`, 200)
		if code, types := verifyCode(t, vc); code != 422 || !slices.Equal(types, []string{problemRevoked}) {
			t.Fatalf("after revocation: %d %v, want 422 [%s]", code, types, problemRevoked)
		}
		// Revocation cannot be undone.
		update(t, `{"credentialId":"urn:uuid:revoke-me","credentialStatus":{"type":"BitstringStatusList","statusPurpose":"revocation"},"status":false}`, 400)
		// The list is served, signed, with the bit set.
		code, m, body := do(t, h, "GET", "/status/ed25519/revocation/1", "")
		if code != 200 || !slices.Contains(m["type"].([]any), any("BitstringStatusListCredential")) || m["proof"] == nil {
			t.Fatalf("GET status list: %d\n%s", code, body)
		}
		sub, _ := m["credentialSubject"].(map[string]any)
		bits, err := status.ParseBitstring(sub["encodedList"].(string), 0)
		if err != nil {
			t.Fatal(err)
		}
		idx, _ := e.Index()
		if set, _ := bits.Bit(idx); !set || bits.Count() != 1 {
			t.Errorf("bit %d set = %v, %d bits set; want only it", idx, set, bits.Count())
		}
	})

	t.Run("suspend and unsuspend, P-256", func(t *testing.T) {
		vc := issue(t, h, unsigned("urn:uuid:suspend-me", ""), `{"cryptosuite":"ecdsa-rdfc-2019","credentialStatus":[{"type":"BitstringStatusListEntry","statusPurpose":"suspension"},"revocation"]}`)
		if !strings.Contains(string(vc), testBase+"/status/p256/suspension/1") || !strings.Contains(string(vc), testBase+"/status/p256/revocation/1") {
			t.Fatalf("want entries in the P-256 issuer's lists:\n%s", vc)
		}
		update(t, `{"credentialId":"urn:uuid:suspend-me","credentialStatus":{"type":"BitstringStatusList","statusPurpose":"suspension"},"status":true}`, 200)
		if code, types := verifyCode(t, vc); code != 422 || !slices.Equal(types, []string{problemSuspended}) {
			t.Fatalf("suspended: %d %v, want 422 [%s]", code, types, problemSuspended)
		}
		update(t, `{"credentialId":"urn:uuid:suspend-me","credentialStatus":[{"type":"BitstringStatusListEntry","status":"unsuspended"}]}`, 200)
		if code, types := verifyCode(t, vc); code != 200 {
			t.Fatalf("unsuspended: %d %v, want 200", code, types)
		}
	})

	t.Run("revoke by credential, JWT", func(t *testing.T) {
		vc := issue(t, h, unsigned("urn:uuid:jwt-status", ""), `{"format":"vc+jwt","credentialStatus":true}`)
		if code, types := verifyCode(t, vc); code != 200 {
			t.Fatalf("before: %d %v", code, types)
		}
		update(t, `{"credential":`+string(vc)+`,"credentialStatus":[{"type":"BitstringStatusListEntry","status":"revoked"}]}`, 200)
		if code, types := verifyCode(t, vc); code != 422 || !slices.Equal(types, []string{problemRevoked}) {
			t.Fatalf("after: %d %v, want 422 [%s]", code, types, problemRevoked)
		}
		// No suspension entry to suspend.
		update(t, `{"credential":`+string(vc)+`,"credentialStatus":[{"status":"suspended"}]}`, 404)
	})

	t.Run("server default and opt-out", func(t *testing.T) {
		h := newTestServer(t, config{Status: []status.Purpose{status.Revocation}})
		vc := issue(t, h, unsigned("urn:uuid:default", ""), ``)
		if !strings.Contains(string(vc), `"credentialStatus"`) {
			t.Errorf("-status revocation: no credentialStatus:\n%s", vc)
		}
		vc = issue(t, h, unsigned("urn:uuid:optout", ""), `{"credentialStatus":false}`)
		if strings.Contains(string(vc), `"credentialStatus"`) {
			t.Errorf("credentialStatus false: has one:\n%s", vc)
		}
	})

	t.Run("status of another issuer is refused", func(t *testing.T) {
		update(t, `{"credential":`+unsigned("urn:uuid:forged", `"issuer":"did:example:x",`)+`,"credentialStatus":[{"status":"revoked"}]}`, 422)
	})
}

func TestIssuerDocuments(t *testing.T) {
	h := newTestServer(t, config{})
	code, _, body := do(t, h, "GET", "/issuers", "")
	var issuers []issuerInfo
	if err := json.Unmarshal([]byte(body), &issuers); code != 200 || err != nil || len(issuers) != 2 {
		t.Fatalf("GET /issuers: %d %v\n%s", code, err, body)
	}
	for _, k := range []crypto.Signer{testEd25519, testP256} {
		did := mustDID(t, k)
		mb, err := keys.PublicKeyMultibase(k.Public())
		if err != nil {
			t.Fatal(err)
		}
		vm, _ := keys.DIDKeyVerificationMethod(k.Public())
		i := slices.IndexFunc(issuers, func(i issuerInfo) bool { return i.ID == did })
		if i < 0 || issuers[i].DIDDocument != testBase+"/issuers/"+did || issuers[i].VerificationMethod != vm {
			t.Fatalf("GET /issuers lacks %s:\n%s", did, body)
		}

		code, _, body := do(t, h, "GET", "/issuers/"+did, "")
		var doc didDocument
		if err := json.Unmarshal([]byte(body), &doc); code != 200 || err != nil {
			t.Fatalf("DID document: %d %v\n%s", code, err, body)
		}
		if doc.ID != did || len(doc.VerificationMethod) != 1 || doc.VerificationMethod[0].ID != vm ||
			doc.VerificationMethod[0].PublicKeyMultibase != mb || doc.VerificationMethod[0].Controller != did ||
			!slices.Equal(doc.AssertionMethod, []string{vm}) {
			t.Errorf("DID document of %s:\n%s", did, body)
		}

		code, m, body := do(t, h, "GET", "/issuers/"+did+"/jwks", "")
		ks, _ := m["keys"].([]any)
		if code != 200 || len(ks) != 1 || ks[0].(map[string]any)["kid"] != vm {
			t.Errorf("JWK Set of %s: %d\n%s", did, code, body)
		}
		if _, ok := ks[0].(map[string]any)["d"]; ok {
			t.Errorf("the JWK Set holds a private key")
		}
	}
}

func TestSelfSignedCert(t *testing.T) {
	cert, err := selfSignedCert()
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert.Leaf)
	for _, name := range []string{"localhost", "127.0.0.1"} {
		if _, err := cert.Leaf.Verify(x509.VerifyOptions{DNSName: name, Roots: pool}); err != nil {
			t.Errorf("certificate for %s: %v", name, err)
		}
	}
}

func TestRunFlags(t *testing.T) {
	var stderr strings.Builder
	for _, args := range [][]string{{"-nope"}, {"extra"}, {"-status", "refresh", "-addr", "localhost:0"}, {"-key-ed25519", "/nonexistent/key.jwk"}} {
		if err := run(args, &stderr); err == nil {
			t.Errorf("run %v: no error", args)
		}
	}
}

// syncBuffer is a strings.Builder safe for the server's goroutine and the
// test's to share.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestRunTLSAndShutdown runs the program as main does: it serves https on
// a free port, answers, and on SIGINT shuts down and returns nil.
func TestRunTLSAndShutdown(t *testing.T) {
	var stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run([]string{"-tls", "-addr", "127.0.0.1:0", "-base-url", "https://localhost:40443"}, &stderr)
	}()
	var addr string
	deadline := time.Now().Add(20 * time.Second)
	for addr == "" {
		if time.Now().After(deadline) {
			t.Fatalf("the server did not start:\n%s", stderr.String())
		}
		select {
		case err := <-done:
			t.Fatalf("run returned early: %v\n%s", err, stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
		out := stderr.String()
		if _, rest, ok := strings.Cut(out, "(listening on "); ok && strings.Contains(out, "vcapi: issuer did:key:zDn") {
			addr, _, _ = strings.Cut(rest, ")")
		}
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, // the certificate is self-signed; TestSelfSignedCert checks it
	}}
	resp, err := client.Get("https://" + addr + "/issuers")
	if err != nil {
		t.Fatal(err)
	}
	var issuers []issuerInfo
	err = json.NewDecoder(resp.Body).Decode(&issuers)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || len(issuers) != 2 || !strings.HasPrefix(issuers[0].StatusLists["revocation"], "https://localhost:40443/status/") {
		t.Fatalf("GET /issuers over TLS: %d %v %+v", resp.StatusCode, err, issuers)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run after SIGINT: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no shutdown after SIGINT")
	}
	if !strings.Contains(stderr.String(), "shutting down") {
		t.Errorf("stderr:\n%s", stderr.String())
	}
}
