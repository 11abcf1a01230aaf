package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/keys"
)

// TestSignVerifyJWT signs credentials as VC-JWT and VC-JOSE from the
// command line and verifies them, with the 1EdTech fixtures beside.
func TestSignVerifyJWT(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	unsigned, err := os.ReadFile("testdata/sign/unsigned-credential.json")
	if err != nil {
		t.Fatal(err)
	}
	ed, _ := keys.Generate(keys.Ed25519)
	edJWK, _ := keys.PrivateJWK(ed, "")
	edFile := write("ed.jwk", edJWK)
	didKey, _ := keys.DIDKey(ed.Public())

	byDIDKey := strings.Replace(string(unsigned), `"https://example.edu/issuers/565049"`, `"`+didKey+`"`, 1)
	rsaKey, _ := keys.Generate(keys.RSA2048)
	rsaJWK, _ := keys.PrivateJWK(rsaKey, "")
	rsaFile := write("rsa.jwk", rsaJWK)

	status, jwt, stderr := call(t, byDIDKey, "sign", "--format", "jwt", "--key", edFile, "-")
	if status != 0 || strings.Count(jwt, ".") != 2 {
		t.Fatalf("sign --format jwt: %d %q %s", status, jwt, stderr)
	}
	jwtFile := write("badge.jwt", []byte(jwt))
	status, vcjose, stderr := call(t, byDIDKey, "sign", "--format", "vc+jwt", "--key", edFile, "-")
	if status != 0 {
		t.Fatalf("sign --format vc+jwt: %d %s", status, stderr)
	}
	vcjoseFile := write("badge.vcjwt", []byte(vcjose))
	status, rsaJWT, stderr := call(t, string(unsigned), "sign", "--format", "jwt", "--key", rsaFile, "-")
	if status != 0 {
		t.Fatalf("sign --format jwt with RSA: %d %s", status, stderr)
	}
	rsaJWTFile := write("rsa.jwt", []byte(rsaJWT))
	parts := strings.Split(strings.TrimSpace(jwt), ".")
	tamperedFile := write("tampered.jwt", []byte(parts[0]+"."+parts[1][:len(parts[1])-4]+"AAAA."+parts[2]))

	for _, tc := range []struct {
		name   string
		args   []string
		status int
		stdout string // exact, unless it starts with "~": substring
		stderr string
	}{
		{"VC-JWT", []string{"verify", jwtFile}, 0,
			"~  proof             passed        verified: VC-JWT EdDSA by " + didKey + " (key bound to its controller: self)\n", ""},
		{"VC-JOSE", []string{"verify", vcjoseFile}, 0,
			"~  proof             passed        verified: VC-JOSE EdDSA by " + didKey + " (key bound to its controller: self)\n", ""},
		{"RSA with the key in the header", []string{"verify", rsaJWTFile}, 0,
			"~  proof             warning       verified, but: the key comes from the header's jwk and nothing binds it to the issuer: its provenance is unconfirmed\n", ""},
		{"tampered", []string{"verify", tamperedFile}, 1, "~the signature does not verify", ""},
		{"1EdTech VC-JWT", []string{"verify", "testdata/sign/simple-jwt.jwt"}, 0,
			"~  proof             warning       verified, but: no sub claim; OB 3.0 puts the credentialSubject's id there (this token has it in aud, as the 1EdTech reference issuer does); the key comes from the header's jwk and nothing binds it to the issuer: its provenance is unconfirmed\n", ""},
		{"1EdTech token naming no key", []string{"verify", "testdata/sign/simple.jwt"}, 1,
			"~  proof             failed        no proof verifies: VCDM 1.1 JWT RS256: jose: no usable key: the header has neither kid nor jwk\n", ""},
		{"JSON report", []string{"verify", "--json", jwtFile}, 0, `~"type": "VC-JWT EdDSA"`, ""},
		{"alg not the key's", []string{"sign", "--format", "jwt", "--alg", "ES256", "--key", edFile, "testdata/sign/unsigned-credential.json"}, 2, "", "ES256 does not fit a Ed25519 key"},
		{"alg with Data Integrity", []string{"sign", "--alg", "EdDSA", "--key", edFile, "testdata/sign/unsigned-credential.json"}, 2, "", "--alg and --embed-jwk are for --format jwt"},
		{"unknown format", []string{"sign", "--format", "cose", "--key", edFile, "testdata/sign/unsigned-credential.json"}, 2, "", "usage: openbadges sign"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, stdout, stderr := call(t, "", tc.args...)
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
