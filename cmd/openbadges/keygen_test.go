package main

import (
	"crypto"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-openbadges/openbadges/keys"
)

func TestKeygen(t *testing.T) {
	tests := []struct {
		typ, wantType, didPrefix string
		alg                      keys.Algorithm
		multibase                bool
	}{
		{"ed25519", "ed25519", "did:key:z6Mk", keys.EdDSA, true},
		{"p256", "p256", "did:key:zDn", keys.ES256, true},
		{"P-384", "p384", "did:key:z82", keys.ES384, true},
		{"p521", "p521", "did:jwk:", keys.ES512, false},
		{"rsa", "rsa2048", "did:jwk:", keys.RS256, false},
	}
	for _, tt := range tests {
		t.Run(tt.typ, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "issuer.jwk")
			status, stdout, stderr := call(t, "", "keygen", "--type", tt.typ, "--out", out)
			if status != 0 || stderr != "" {
				t.Fatalf("status %d, stderr %q", status, stderr)
			}
			var rep keygenReport
			if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
				t.Fatalf("stdout is not the report: %v\n%s", err, stdout)
			}
			if rep.File != out || string(rep.Type) != tt.wantType || rep.Algorithm != tt.alg ||
				!strings.HasPrefix(rep.DID, tt.didPrefix) || !strings.HasPrefix(rep.KeyID, rep.DID+"#") ||
				(rep.PublicKeyMultibase != "") != tt.multibase {
				t.Errorf("report %+v", rep)
			}
			info, err := os.Stat(out)
			if err != nil {
				t.Fatal(err)
			}
			if mode := info.Mode().Perm(); mode != 0o600 {
				t.Errorf("key file mode %v, want 0600", mode)
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			signer, kid, err := keys.ParsePrivateJWK(data)
			if err != nil || kid != rep.KeyID {
				t.Fatalf("key file: kid %q, %v", kid, err)
			}
			pub, pubKid, err := keys.ParsePublicJWK(rep.JWK)
			if err != nil || pubKid != rep.KeyID || !signer.Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(pub) {
				t.Errorf("printed JWK does not match the key file: %v", err)
			}
			if strings.Contains(stdout, `"d"`) {
				t.Error("stdout carries a private member")
			}
			// Never overwrite.
			status, _, stderr = call(t, "", "keygen", "--type", tt.typ, "--out", out)
			if status != 2 || !strings.Contains(stderr, "already exists") {
				t.Errorf("second keygen: status %d, stderr %q", status, stderr)
			}
			if again, _ := os.ReadFile(out); string(again) != string(data) {
				t.Error("the key file was replaced")
			}
		})
	}
}

func TestKeygenDefaultFile(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	status, stdout, stderr := call(t, "", "keygen")
	if status != 0 {
		t.Fatalf("status %d: %s", status, stderr)
	}
	var rep keygenReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(rep.File, "ed25519-") || !strings.HasSuffix(rep.File, ".jwk") {
		t.Errorf("default file %q", rep.File)
	}
	if _, err := os.Stat(filepath.Join(dir, rep.File)); err != nil {
		t.Error(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("keygen left %d files, want just the key", len(entries))
	}
}

func TestKeygenBadUsage(t *testing.T) {
	for _, args := range [][]string{{"keygen", "--type", "dsa"}, {"keygen", "extra"}, {"keygen", "--out", "/nonexistent/dir/k.jwk"}} {
		status, stdout, stderr := call(t, "", args...)
		if status != 2 || stdout != "" || stderr == "" {
			t.Errorf("%v: status %d, stdout %q, stderr %q", args, status, stdout, stderr)
		}
	}
}
