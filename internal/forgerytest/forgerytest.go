// Package forgerytest holds the parties of the forgery tests: a victim
// issuer with a did:web DID and an https issuer id, each publishing a
// document that lists the victim's own key, and an attacker who signs
// credentials in the victim's name with a key of their own. Only tests use
// it, each driving its own target (the verify package, openbadges verify,
// the VC API) with these parties.
package forgerytest

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"testing"
	"time"

	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
	"github.com/go-openbadges/openbadges/proof/jose"
)

// The victim's identities.
const (
	// VictimDID is the victim's did:web DID.
	VictimDID = "did:web:victim.example"
	// VictimDIDURL is where the DID document of VictimDID is published.
	VictimDIDURL = "https://victim.example/.well-known/did.json"
	// VictimHTTPS is the victim's https issuer id, where its controller
	// document is published.
	VictimHTTPS = "https://victim.example/issuer"
)

// VictimKey returns the victim's Ed25519 key. Its seed is fixed, so the
// key, and the DIDs made from it in failure messages, are the same on
// every run.
func VictimKey() ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{0x76}, ed25519.SeedSize))
}

// AttackerKey returns the attacker's own Ed25519 key, which no document of
// the victim lists; its seed is fixed too.
func AttackerKey() ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{0x61}, ed25519.SeedSize))
}

// Documents are the documents the victim publishes.
type Documents struct {
	// DID is the DID document of VictimDID, published at VictimDIDURL.
	DID []byte
	// HTTPS is the controller document of VictimHTTPS, published at that
	// URL.
	HTTPS []byte
}

// VictimDocuments returns the victim's documents, made by
// keys.DIDDocument and keys.MultikeyDocument from a key store that holds
// VictimKey as #key-1 of each of its identities, and nothing else: each
// lists that key under assertionMethod, never the attacker's.
func VictimDocuments(t testing.TB) Documents {
	t.Helper()
	ctx := context.Background()
	store := &keys.MemoryStore{}
	for _, c := range []string{VictimDID, VictimHTTPS} {
		k, err := keys.NewKey(c+"#key-1", c, VictimKey())
		if err != nil {
			t.Fatal(err)
		}
		if err := store.Add(ctx, k); err != nil {
			t.Fatal(err)
		}
	}
	didDoc, err := keys.DIDDocument(ctx, store, VictimDID)
	if err != nil {
		t.Fatal(err)
	}
	httpsDoc, err := keys.MultikeyDocument(ctx, store, VictimHTTPS)
	if err != nil {
		t.Fatal(err)
	}
	return Documents{DID: didDoc, HTTPS: httpsDoc}
}

// ByID returns the documents by the identity each describes, as
// verify.Trust.Documents and an offline map hold them.
func (d Documents) ByID() map[string][]byte {
	return map[string][]byte{VictimDID: d.DID, VictimHTTPS: d.HTTPS}
}

// ByURL returns the documents by the URL each is published at, as the
// victim's web server serves them.
func (d Documents) ByURL() map[string][]byte {
	return map[string][]byte{VictimDIDURL: d.DID, VictimHTTPS: d.HTTPS}
}

// SignDI returns cred with a Data Integrity proof by key (eddsa-rdfc-2022
// for an Ed25519 key), naming vm as its verification method, created
// 2025-01-01.
func SignDI(t testing.TB, key crypto.Signer, vm string, cred []byte) []byte {
	t.Helper()
	s := &dataintegrity.Signer{Key: key, VerificationMethod: vm}
	out, err := s.Sign(context.Background(), cred, &dataintegrity.ProofOptions{Created: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// SignJWT signs cred as a VC-JWT by key, with kid, or with the public key
// in the header's jwk (and no kid) when kid is "".
func SignJWT(t testing.TB, key crypto.Signer, kid string, cred []byte) []byte {
	t.Helper()
	s := &jose.Signer{Key: key, KeyID: kid, EmbedJWK: kid == ""}
	tok, err := s.Sign(context.Background(), cred)
	if err != nil {
		t.Fatal(err)
	}
	return []byte(tok)
}
