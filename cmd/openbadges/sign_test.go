package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/keys"
)

// TestSignVector signs the 1EdTech OB 3.0 vector's unsigned credential with
// its key: the default verification method (<issuer id>#<publicKeyMultibase>)
// and the signed credential must be the vector's, value for value.
func TestSignVector(t *testing.T) {
	status, stdout, stderr := call(t, "", "sign", "--key", privateCopy(t, "testdata/sign/keypair.json"), "--created", "2010-01-01T19:23:24Z", "--proof-object", "testdata/sign/unsigned-credential.json")
	if status != 0 {
		t.Fatalf("status %d: %s", status, stderr)
	}
	want, err := os.ReadFile("testdata/sign/signed-credential.json")
	if err != nil {
		t.Fatal(err)
	}
	var got, w any
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, stdout)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(w, got); d != "" {
		t.Errorf("signed credential differs from the vector (-want +got):\n%s", d)
	}
}

func TestSignVerify(t *testing.T) {
	dir := t.TempDir()
	// A key as keygen writes it, and a credential issued by its did:key.
	signer, err := keys.Generate(keys.Ed25519)
	if err != nil {
		t.Fatal(err)
	}
	jwk, err := keys.PrivateJWK(signer, "")
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(dir, "issuer.jwk")
	if err := os.WriteFile(keyFile, jwk, 0o600); err != nil {
		t.Fatal(err)
	}
	didKey, _ := keys.DIDKey(signer.Public())
	vm, _ := keys.DIDKeyVerificationMethod(signer.Public())
	unsigned, err := os.ReadFile("testdata/sign/unsigned-credential.json")
	if err != nil {
		t.Fatal(err)
	}
	unsigned = []byte(strings.Replace(string(unsigned), `"https://example.edu/issuers/565049"`, `"`+didKey+`"`, 1))
	status, signed, stderr := call(t, string(unsigned), "sign", "--key", keyFile, "-")
	if status != 0 {
		t.Fatalf("sign: status %d: %s", status, stderr)
	}
	if !strings.Contains(signed, `"verificationMethod": "`+vm+`"`) {
		t.Errorf("the default method is not the did:key URL:\n%s", signed)
	}
	signedFile := filepath.Join(dir, "signed.json")
	if err := os.WriteFile(signedFile, []byte(signed), 0o600); err != nil {
		t.Fatal(err)
	}
	tampered := filepath.Join(dir, "tampered.json")
	if err := os.WriteFile(tampered, []byte(strings.Replace(signed, "Teamwork Badge", "Leadership Badge", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	notJSON := filepath.Join(dir, "x.json")
	if err := os.WriteFile(notJSON, []byte("nope"), 0o600); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name   string
		stdin  string
		args   []string
		status int
		stdout string // exact, unless it starts with "~": substring
		stderr string // substring; "" means empty
	}{
		{"did:key credential", "", []string{"verify", signedFile}, 0,
			"~" + signedFile + ": VERIFIED: json AchievementCredential (VCDM 2.0) from " + didKey + "\n", ""},
		{"did:key credential, the proof", "", []string{"verify", signedFile}, 0,
			"~  proof             passed        verified: eddsa-rdfc-2022 by " + didKey + " (key bound to its controller: self)\n", ""},
		{"tampered", "", []string{"verify", tampered}, 1,
			"~  proof             failed        no proof verifies: eddsa-rdfc-2022: dataintegrity: the signature does not verify (key " + vm + ")\n", ""},
		{"tampered, JSON with diagnostics", "", []string{"verify", "--json", tampered}, 1,
			`~"documentHash": "`, ""},
		{"1EdTech vector with its controller document", "", []string{"verify", "--now", "2026-01-01T00:00:00Z", "--offline-map", "testdata/sign/offline-map.json", "testdata/sign/signed-credential.json"}, 0,
			"~  proof             passed        verified: eddsa-rdfc-2022 by https://example.edu/issuers/565049 (key bound to its controller: document)\n", ""},
		{"1EdTech vector, key read from the URL", "", []string{"verify", "--now", "2026-01-01T00:00:00Z", "testdata/sign/signed-credential.json"}, 0,
			"~  proof             warning       verified, but: the key is read from the verification method URL itself (https://example.edu/issuers/565049#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi): nothing confirms the issuer published it\n", ""},
		{"1EdTech vector, key read from the URL, strict", "", []string{"verify", "--strict", "--now", "2026-01-01T00:00:00Z", "testdata/sign/signed-credential.json"}, 1,
			"~(a failure in strict mode)", ""},
		{"no proof", "", []string{"verify", "testdata/sign/unsigned-credential.json"}, 1,
			"~  proof             failed        the credential has no proof\n", ""},
		{"not JSON", "", []string{"verify", notJSON}, 2, "", "verify: not a credential: neither JSON, a compact JWS, a PNG nor an SVG"},
		{"JSON but malformed", `{"a":`, []string{"verify", "-"}, 2, "", "openbadges verify: verify: not a credential: not valid JSON: unexpected end of JSON input"},
		{"no file", "", []string{"verify"}, 2, "", "usage: openbadges verify"},
		{"sign without key", "", []string{"sign", "x.json"}, 2, "", "usage: openbadges sign"},
		{"sign with a bad key file", "", []string{"sign", "--key", notJSON, "testdata/sign/unsigned-credential.json"}, 2, "", "openbadges sign: " + notJSON + ": "},
		{"sign with a wrong suite", "", []string{"sign", "--key", keyFile, "--suite", "ecdsa-rdfc-2019", "testdata/sign/unsigned-credential.json"}, 2, "", "ecdsa-rdfc-2019 needs a P-256 or P-384 key, not Ed25519"},
		{"sign a did:key credential of another key", string(unsigned), []string{"sign", "--key", privateCopy(t, "testdata/sign/keypair.json"), "-"}, 2, "", "is a did:key of another key"},
		{"sign a document using an undefined term", `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"https://example.com/i","credentialSubject":{"id":"did:example:1"},"foo":1}`, []string{"sign", "--key", keyFile, "-"}, 2, "", `JSON-LD safe mode: /foo: "foo" is not defined by any context`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, stdout, stderr := call(t, tc.stdin, tc.args...)
			if status != tc.status {
				t.Errorf("status = %d, want %d (stderr %q)", status, tc.status, stderr)
			}
			if sub, ok := strings.CutPrefix(tc.stdout, "~"); ok {
				if !strings.Contains(stdout, sub) {
					t.Errorf("stdout lacks %q:\n%s", sub, stdout)
				}
			} else if d := cmp.Diff(tc.stdout, stdout); d != "" {
				t.Errorf("stdout (-want +got):\n%s", d)
			}
			if tc.stderr == "" && stderr != "" || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("stderr = %q, want it to contain %q", stderr, tc.stderr)
			}
		})
	}
}
