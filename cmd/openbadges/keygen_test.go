package main

import (
	"context"
	"crypto"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

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
			status, stdout, stderr := call(t, "", "keygen", "--type", tt.typ, "--out", out, "--json")
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
			status, _, stderr = call(t, "", "keygen", "--type", tt.typ, "--out", out, "--json")
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
	status, stdout, stderr := call(t, "", "keygen", "--json")
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
	for _, args := range [][]string{{"keygen", "--type", "dsa"}, {"keygen", "extra"}, {"keygen", "--out", "/nonexistent/dir/k.jwk"}, {"keygen", "--out", "-"}} {
		status, stdout, stderr := call(t, "", args...)
		if status != 2 || stdout != "" || stderr == "" {
			t.Errorf("%v: status %d, stdout %q, stderr %q", args, status, stdout, stderr)
		}
	}
}

// TestKeygenStore adds keys to a key directory with each kind of
// controller and checks the report and the store's view of the key.
func TestKeygenStore(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name       string
		args       []string
		controller string // "" for the key's own DID
		kid        string // "" for the key's own DID's method
		didPrefix  string
		encrypted  bool
	}{
		{"https", []string{"--controller", "https://example.edu/issuers/1"}, "https://example.edu/issuers/1", "https://example.edu/issuers/1#key-1", "did:key:z6Mk", false},
		{"did:web with --id", []string{"--controller", "did:web:example.edu", "--id", "did:web:example.edu#2026"}, "did:web:example.edu", "did:web:example.edu#2026", "did:key:z6Mk", false},
		{"did:key", []string{"--controller", "did:key", "--type", "p256"}, "", "", "did:key:zDn", false},
		{"did:jwk", []string{"--controller", "did:jwk", "--type", "rsa"}, "", "", "did:jwk:", false},
		{"encrypted", []string{"--controller", "https://example.edu/issuers/1", "--encrypt", "--scrypt-log-n", "10"}, "https://example.edu/issuers/1", "https://example.edu/issuers/1#key-1", "did:key:z6Mk", true},
	}
	t.Setenv(passphraseEnv, "correct horse battery staple")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "keys")
			status, stdout, stderr := call(t, "", append([]string{"keygen", "--json", "--store", dir}, tt.args...)...)
			if status != 0 || stderr != "" {
				t.Fatalf("status %d, stderr %q", status, stderr)
			}
			var rep keygenReport
			if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
				t.Fatal(err)
			}
			controller, kid := tt.controller, tt.kid
			if controller == "" {
				controller, kid = rep.DID, rep.DID+"#"+strings.TrimPrefix(rep.DID, "did:key:")
				if strings.HasPrefix(rep.DID, "did:jwk:") {
					kid = rep.DID + "#0"
				}
			}
			want := keygenReport{Store: dir, Controller: controller, Type: rep.Type, Algorithm: rep.Algorithm, KeyID: kid, DID: rep.DID,
				PublicKeyMultibase: rep.PublicKeyMultibase, JWK: rep.JWK, Encrypted: tt.encrypted}
			if diff := cmp.Diff(want, rep); diff != "" || !strings.HasPrefix(rep.DID, tt.didPrefix) {
				t.Errorf("report (-want +got):\n%s", diff)
			}
			// The store holds it as the controller's active key, signing
			// with the passphrase when it is encrypted.
			store, err := keys.OpenDirWithOptions(dir, &keys.DirOptions{Passphrase: []byte("correct horse battery staple")})
			if err != nil {
				t.Fatal(err)
			}
			k, err := store.ActiveKey(ctx, controller)
			if err != nil {
				t.Fatal(err)
			}
			pub, pubKid, err := keys.ParsePublicJWK(rep.JWK)
			if err != nil || pubKid != kid || k.ID != kid || !k.Public.(interface{ Equal(crypto.PublicKey) bool }).Equal(pub) {
				t.Errorf("the store's key %v is not the printed one (%v)", k, err)
			}
			entries, err := os.ReadDir(dir)
			if err != nil || len(entries) != 1 {
				t.Fatalf("the directory holds %d entries (%v)", len(entries), err)
			}
			data, err := os.ReadFile(filepath.Join(dir, entries[0].Name()))
			if err != nil {
				t.Fatal(err)
			}
			if hasD := strings.Contains(string(data), `"d":`); hasD == tt.encrypted {
				t.Errorf("encrypted %v, but the key file has a d member: %v", tt.encrypted, hasD)
			}
			if info, _ := entries[0].Info(); info.Mode().Perm() != 0o600 {
				t.Errorf("key file mode %v", info.Mode().Perm())
			}
		})
	}
}

// TestKeygenStoreRotate checks that a second key for a controller is
// refused without --rotate and retires the first with it.
func TestKeygenStoreRotate(t *testing.T) {
	dir := t.TempDir()
	const iss = "https://example.edu/issuers/1"
	for i, tt := range []struct {
		args   []string
		status int
		want   string
	}{
		{nil, 0, `"kid": "` + iss + `#key-1"`},
		{nil, 2, "already has an active key, " + iss + "#key-1"},
		{[]string{"--rotate"}, 0, `"retired": "` + iss + `#key-1"`},
		{[]string{"--rotate"}, 0, `"kid": "` + iss + `#key-3"`},
	} {
		status, stdout, stderr := call(t, "", append([]string{"keygen", "--json", "--store", dir, "--controller", iss}, tt.args...)...)
		if status != tt.status || !strings.Contains(stdout+stderr, tt.want) {
			t.Errorf("%d: status %d, stdout %q, stderr %q; want %d and %q", i, status, stdout, stderr, tt.status, tt.want)
		}
	}
	store, err := keys.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	list, err := store.Keys(context.Background(), iss)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, k := range list {
		got = append(got, fmt.Sprintf("%s retired=%v", k.ID, k.Retired()))
	}
	want := []string{iss + "#key-1 retired=true", iss + "#key-2 retired=true", iss + "#key-3 retired=false"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
}

// TestKeygenStoreNoSecrets checks that neither the passphrase nor the
// private key is ever printed, in success or failure.
func TestKeygenStoreNoSecrets(t *testing.T) {
	const passphrase = "a passphrase nobody sees"
	t.Setenv(passphraseEnv, passphrase)
	dir := t.TempDir()
	out := filepath.Join(t.TempDir(), "k.jwk")
	if status, _, stderr := call(t, "", "keygen", "--out", out); status != 0 {
		t.Fatal(stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var priv struct {
		D string `json:"d"`
	}
	if err := json.Unmarshal(data, &priv); err != nil || priv.D == "" {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, args := range [][]string{
		{"keygen", "--store", dir, "--controller", "did:web:example.edu", "--import", out, "--encrypt", "--scrypt-log-n", "10"},
		{"keygen", "--store", dir, "--controller", "did:web:example.edu", "--import", out, "--encrypt", "--scrypt-log-n", "10"},
		{"keygen", "--store", dir, "--controller", "did:web:example.edu", "--import", out, "--encrypt", "--scrypt-log-n", "10", "--rotate"},
	} {
		_, stdout, stderr := call(t, "", args...)
		all.WriteString(stdout + stderr)
	}
	for _, secret := range []string{passphrase, priv.D} {
		if strings.Contains(all.String(), secret) {
			t.Errorf("output contains a secret:\n%s", all.String())
		}
	}
}

// TestKeygenText checks what keygen prints for a person, which names the
// file and the public facts, never the private key.
func TestKeygenText(t *testing.T) {
	out := filepath.Join(t.TempDir(), "issuer.jwk")
	status, stdout, stderr := call(t, "", "keygen", "--out", out)
	if status != 0 || stderr != "" {
		t.Fatalf("status %d, stderr %q", status, stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	signer, _, err := keys.ParsePrivateJWK(data)
	if err != nil {
		t.Fatal(err)
	}
	did, _ := keys.DIDKey(signer.Public())
	vm, _ := keys.DIDKeyVerificationMethod(signer.Public())
	mb, _ := keys.PublicKeyMultibase(signer.Public())
	want := "wrote the private key to " + out + " (readable by you only: keep it secret)\n" +
		"  type           ed25519, EdDSA\n" +
		"  did            " + did + "\n" +
		"  key id         " + vm + "\n" +
		"  public key     " + mb + "\n"
	if diff := cmp.Diff(want, stdout); diff != "" {
		t.Errorf("stdout (-want +got):\n%s", diff)
	}

	// In a key directory, the controller's key, and the one it retired.
	dir := filepath.Join(t.TempDir(), "keys")
	const iss = "did:web:example.edu"
	for _, args := range [][]string{{"--import", out}, {"--import", "-", "--rotate"}} {
		status, stdout, stderr = call(t, string(data), append([]string{"keygen", "--store", dir, "--controller", iss}, args...)...)
		if status != 0 || stderr != "" {
			t.Fatalf("%v: status %d, stderr %q", args, status, stderr)
		}
	}
	want = "added the key to the key directory " + dir + " as the active key of " + iss + "\n" +
		"  retired        " + iss + "#key-1 (its public key stays, to verify what it signed)\n" +
		"  type           ed25519, EdDSA\n" +
		"  key id         " + iss + "#key-2\n" +
		"  public key     " + mb + "\n"
	if diff := cmp.Diff(want, stdout); diff != "" {
		t.Errorf("--store stdout (-want +got):\n%s", diff)
	}
	// The key and its passphrase cannot both come from standard input.
	status, _, stderr = call(t, "", "keygen", "--store", dir, "--controller", iss, "--import", "-", "--encrypt", "--passphrase-file", "-")
	if want := "openbadges keygen: --import and --passphrase-file both read standard input (-), and there is one: give one of them as a file\n"; status != 2 || stderr != want {
		t.Errorf("two stdins: status %d, stderr %q, want 2 and %q", status, stderr, want)
	}
}
