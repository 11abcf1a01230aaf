package keys

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSelfDID(t *testing.T) {
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	other, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	mustDID := func(f func(any) (string, error), k any) string {
		s, err := f(k)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	didKey, vmKey := mustDID(func(k any) (string, error) { return DIDKey(k) }, pub), mustDID(func(k any) (string, error) { return DIDKeyVerificationMethod(k) }, pub)
	didJWK, vmJWK := mustDID(func(k any) (string, error) { return DIDJWK(k) }, pub), mustDID(func(k any) (string, error) { return DIDJWKVerificationMethod(k) }, pub)
	otherKey := mustDID(func(k any) (string, error) { return DIDKey(k) }, other)
	otherJWK := mustDID(func(k any) (string, error) { return DIDJWK(k) }, other)
	type result struct {
		DID, Method string
		Self        bool
		OtherKey    bool
		Err         bool
	}
	for _, c := range []struct {
		name       string
		controller string
		key        any
		want       result
	}{
		{"the bare method did:key", "did:key", pub, result{DID: didKey, Method: vmKey, Self: true}},
		{"the key's own did:key", didKey, pub, result{DID: didKey, Method: vmKey, Self: true}},
		{"the bare method did:jwk", "did:jwk", pub, result{DID: didJWK, Method: vmJWK, Self: true}},
		{"the key's own did:jwk", didJWK, pub, result{DID: didJWK, Method: vmJWK, Self: true}},
		{"another key's did:key", otherKey, pub, result{Self: true, OtherKey: true, Err: true}},
		{"another key's did:jwk", otherJWK, pub, result{Self: true, OtherKey: true, Err: true}},
		{"an RSA key has no did:key", "did:key", &rk.PublicKey, result{Self: true, Err: true}},
		{"did:web is not a key", "did:web:example.edu", pub, result{}},
		{"https is not a key", "https://example.edu/issuer", pub, result{}},
		{"did:keyring is not did:key", "did:keyring:x", pub, result{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			did, m, self, err := SelfDID(c.controller, c.key)
			got := result{DID: did, Method: m, Self: self, OtherKey: errors.Is(err, ErrOtherKey), Err: err != nil}
			if c.want.Err {
				got.DID, got.Method = "", ""
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("SelfDID(%q) (-want +got):\n%s (err %v)", c.controller, diff, err)
			}
		})
	}
}
