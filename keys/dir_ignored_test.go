package keys

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDirStoreIgnored checks that every entry the store does not read is
// listed with a reason, except dot-files, and that the list follows the
// directory.
func TestDirStoreIgnored(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Add(ctx, mustKey(t, issuer+"#key-1", issuer, vectorSigner(t))); err != nil {
		t.Fatal(err)
	}
	// A key made elsewhere and copied in by hand: a valid private JWK,
	// named as its maker named it.
	jwk, err := PrivateJWK(mustGenerate(t, Ed25519), "did:web:example.edu#key-2")
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"k.jwk":                          jwk,
		"K2.JWK":                         jwk,
		"notes.txt":                      []byte("hello"),
		".hidden":                        []byte("x"),
		strings.Repeat("A", 64) + ".jwk": jwk, // upper-case hex is not a name the store writes
	} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "old"), 0o700); err != nil {
		t.Fatal(err)
	}
	if s, err = OpenDir(dir); err != nil {
		t.Fatal(err)
	}
	got := s.Ignored()
	jwkReason := func(name string) string {
		return "named " + name + ", not the SHA-256 of its kid, so the store does not read it: add the key with keys.DirStore.Add (openbadges keygen --store DIR --controller ID --import FILE), which names its file, then remove this one"
	}
	const other = "not a key file: the store reads only files named by the SHA-256 of their kid with .jwk, as keys.DirStore.Add (openbadges keygen --store) writes them"
	want := []IgnoredFile{
		{strings.Repeat("A", 64) + ".jwk", jwkReason(strings.Repeat("A", 64) + ".jwk")},
		{"K2.JWK", jwkReason("K2.JWK")},
		{"k.jwk", jwkReason("k.jwk")},
		{"notes.txt", other},
		{"old", "a folder: the store reads only the key files directly in its directory"},
	}
	if diff := cmpDiff(want, got); diff != "" {
		t.Errorf("Ignored (-want +got):\n%s", diff)
	}
	// The key store itself still works, and the hand-made key is not one
	// of its keys.
	if _, err := s.ActiveKey(ctx, issuer); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Key(ctx, "did:web:example.edu#key-2"); err == nil {
		t.Error("a key in an ignored file was read")
	}
	// Fixing it empties the list at the next reading of the directory.
	for _, f := range want {
		if err := os.RemoveAll(filepath.Join(dir, f.Name)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Keys(ctx, issuer); err != nil {
		t.Fatal(err)
	}
	if got := s.Ignored(); len(got) != 0 {
		t.Errorf("after the fix, Ignored = %v", got)
	}
}
