package issuer

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/status"
	"github.com/go-openbadges/openbadges/verify"
)

// TestPublish: what Publish writes is all a verifier needs, served from
// the folder or read offline through its map.json: for a did:web and an
// https issuer, credentials verify with the key confirmed by the issuer's
// own published document, and a revoked one fails its status check once
// published again; a list on another host goes under its host's folder.
func TestPublish(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name, id string
		want     []string // the files, sorted
	}{
		{"did:web", "did:web:example.edu", []string{".well-known/did.json", ".well-known/jwks.json", "lists.example.org/revocations/1", "status/1"}},
		{"https", "https://example.edu/issuer", []string{".well-known/jwks.json", "issuer", "lists.example.org/revocations/1", "status/1"}},
		{"did:key", "", []string{"example.edu/status/1", "lists.example.org/revocations/1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32))
			id, vm := tt.id, tt.id+"#key-1"
			if id == "" {
				id, _ = keys.DIDKey(key.Public())
				vm, _ = keys.DIDKeyVerificationMethod(key.Public())
			}
			k, err := keys.NewKey(vm, id, key)
			if err != nil {
				t.Fatal(err)
			}
			store := &keys.MemoryStore{}
			if err := store.Add(ctx, k); err != nil {
				t.Fatal(err)
			}
			reg := &status.Registry{Store: &status.MemoryStore{}, Now: func() time.Time { return t0 }}
			const bitstring, onOtherHost = "https://example.edu/status/1", "https://lists.example.org/revocations/1"
			if _, err := reg.Create(ctx, bitstring, nil); err != nil {
				t.Fatal(err)
			}
			if _, err := reg.Create(ctx, onOtherHost, &status.ListOptions{Method: status.Method1EdTech}); err != nil {
				t.Fatal(err)
			}
			is, _ := testIssuer(t, func(c *Config) {
				c.Issuer = &credential.Profile{ID: id, Name: "Example College"}
				c.Keys = store
				// The list on another host is an older one, still published.
				c.Status = StatusConfig{Registry: reg, Bitstring: bitstring}
			})
			kept, err := is.Issue(ctx, submission("award"))
			if err != nil {
				t.Fatal(err)
			}
			s := submission("award")
			s.Learner = Learner{Email: "bob@example.org"}
			gone, err := is.Issue(ctx, s)
			if err != nil {
				t.Fatal(err)
			}
			if err := is.Revoke(ctx, gone.AwardKey, "issued in error"); err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(t.TempDir(), "public")
			pub, err := is.Publish(ctx, dir, nil)
			if err != nil {
				t.Fatal(err)
			}
			var files []string
			for _, f := range pub.Files {
				files = append(files, f)
				fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(f)))
				if err != nil {
					t.Fatal(err)
				}
				if fi.Mode().Perm() != 0o644 {
					t.Errorf("%s has mode %v, want 0644 for a web server", f, fi.Mode().Perm())
				}
			}
			sort.Strings(files)
			if diff := cmp.Diff(tt.want, files); diff != "" {
				t.Errorf("files (-want +got):\n%s", diff)
			}
			m, err := os.ReadFile(filepath.Join(dir, pub.Map))
			if err != nil {
				t.Fatal(err)
			}
			docs, err := verify.ParseDocumentMap(m, dir)
			if err != nil {
				t.Fatal(err)
			}
			trust := &verify.Trust{Documents: docs}
			policy := &verify.Policy{Now: t0.Add(time.Hour)}
			rep, err := verify.Verify(ctx, kept.Credential, trust, policy)
			if err != nil || !rep.Verified {
				t.Fatalf("the kept credential: %v\n%s", err, rep)
			}
			if tt.id != "" && rep.Check(verify.CheckProof).Outcome != verify.Passed {
				t.Errorf("proof: %s", rep.Check(verify.CheckProof).Message)
			}
			rep, err = verify.Verify(ctx, gone.Credential, trust, policy)
			if err != nil || rep.Verified || rep.Check(verify.CheckStatus).Outcome != verify.Failed {
				t.Errorf("the revoked credential: %v\n%s", err, rep)
			}
		})
	}
}
