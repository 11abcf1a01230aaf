package keys

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	crand "crypto/rand"
	"crypto/rsa"
	"errors"
	"strings"
	"testing"
)

// TestDID: a key's own DID is its did:key where Multikey encodes the key,
// its did:jwk otherwise, and each verification method is the one that
// DID's document lists; a key neither encodes is refused.
func TestDID(t *testing.T) {
	ed := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{3}, ed25519.SeedSize)).Public()
	p256, err := ecdsa.GenerateKey(elliptic.P256(), crand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	rsaKey, err := rsa.GenerateKey(crand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p224, err := ecdsa.GenerateKey(elliptic.P224(), crand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		pub    crypto.PublicKey
		did    func(crypto.PublicKey) (string, error)
		method func(crypto.PublicKey) (string, error)
		prefix string
	}{
		{"Ed25519", ed, DIDKey, DIDKeyVerificationMethod, "did:key:z6Mk"},
		{"P-256", p256.Public(), DIDKey, DIDKeyVerificationMethod, "did:key:zDn"},
		{"RSA", rsaKey.Public(), DIDJWK, DIDJWKVerificationMethod, "did:jwk:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := DID(tt.pub)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := tt.did(tt.pub)
			if d != want || !strings.HasPrefix(d, tt.prefix) {
				t.Errorf("DID = %s, want %s", d, want)
			}
			m, err := DIDVerificationMethod(tt.pub)
			if err != nil {
				t.Fatal(err)
			}
			if want, _ := tt.method(tt.pub); m != want || !strings.HasPrefix(m, d+"#") {
				t.Errorf("DIDVerificationMethod = %s, want %s", m, want)
			}
		})
	}
	if _, err := DID(p224.Public()); !errors.Is(err, ErrUnsupportedKey) {
		t.Errorf("DID of a P-224 key: %v", err)
	}
	if _, err := DIDVerificationMethod(p224.Public()); !errors.Is(err, ErrUnsupportedKey) {
		t.Errorf("DIDVerificationMethod of a P-224 key: %v", err)
	}
}
