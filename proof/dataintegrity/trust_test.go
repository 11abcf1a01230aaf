package dataintegrity

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"testing"
	"time"

	"github.com/go-openbadges/openbadges/did"
	"github.com/go-openbadges/openbadges/keys"
)

// TestKeyConfirmation: a proof verifies only with a key confirmed as the
// issuer's. Here the issuer is did:web:victim.example, whose DID document
// is given to the Verifier or not; an attacker signs with a key of their
// own named in the verification method's fragment, as the OB 3.0 examples
// name keys. Each case says how the proof must end.
func TestKeyConfirmation(t *testing.T) {
	const victim = "did:web:victim.example"
	ctx := context.Background()
	victimKey := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{0x76}, 32))
	attacker := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{0x61}, 32))
	mb := func(k ed25519.PrivateKey) string {
		s, err := keys.PublicKeyMultibase(k.Public())
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	// The victim's real document, listing its own key only.
	var store keys.MemoryStore
	k, err := keys.NewKey(victim+"#key-1", victim, victimKey)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Add(ctx, k); err != nil {
		t.Fatal(err)
	}
	doc, err := keys.DIDDocument(ctx, &store, victim)
	if err != nil {
		t.Fatal(err)
	}
	withDoc := did.NewResolver(did.Options{Documents: map[string][]byte{victim: doc}})

	// The credential didKeySigner makes, issued by the victim.
	_, unsigned := didKeySigner(t, victimKey, "")
	unsigned = bytes.Replace(unsigned, []byte(mustDIDKey(t, victimKey)), []byte(victim), 1)
	if !bytes.Contains(unsigned, []byte(`"id": "`+victim+`"`)) {
		t.Fatal("the credential's issuer is not the victim")
	}
	created := &ProofOptions{Created: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	sign := func(key ed25519.PrivateKey, vm string) []byte {
		out, err := (&Signer{Key: key, VerificationMethod: vm}).Sign(ctx, unsigned, created)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	forged := sign(attacker, victim+"#"+mb(attacker))
	tampered := bytes.Replace(forged, []byte("Teamwork"), []byte("Tamwork"), 1)
	for _, tc := range []struct {
		name      string
		resolver  did.Resolver
		doc       []byte
		is        error // what the proof's error wraps
		isNot     error // and what it must not
		signature bool
		binding   did.Binding // of Method, 0 for none
	}{
		// Without the victim's document the key cannot be confirmed or
		// refuted: undecided, although the signature holds with the key
		// the fragment names.
		{"forged, no document", nil, forged, did.ErrUnconfirmed, ErrControllerMismatch, true, did.BindingAsserted},
		// Tampering fails whatever the key.
		{"forged and tampered, no document", nil, tampered, ErrSignature, did.ErrUnconfirmed, false, did.BindingAsserted},
		// The victim's document does not list the attacker's key.
		{"forged, the victim's document", withDoc, forged, did.ErrNotListed, did.ErrUnconfirmed, false, 0},
		// A method under another DID than the issuer's: no document of the
		// issuer could confirm it.
		{"method under another DID", nil, sign(attacker, "did:web:attacker.example#key-1"), ErrControllerMismatch, did.ErrUnconfirmed, false, 0},
		// The victim's own key, no document: undecided; a method id that
		// names no key gives no hint to check the signature with.
		{"real key, no document", nil, sign(victimKey, victim+"#key-1"), did.ErrUnconfirmed, ErrSignature, false, 0},
		{"real key, the victim's document", withDoc, sign(victimKey, victim+"#key-1"), nil, nil, true, did.BindingDocument},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := (&Verifier{Resolver: tc.resolver}).Verify(ctx, tc.doc)
			if err != nil {
				t.Fatal(err)
			}
			p := res.Proofs[0]
			if tc.is == nil {
				if !res.Verified || p.Method.Binding != tc.binding {
					t.Fatalf("Verified=%v (%v), binding %v; want verified, %v", res.Verified, p.Err, p.Method.Binding, tc.binding)
				}
				return
			}
			if res.Verified || !errors.Is(p.Err, tc.is) || errors.Is(p.Err, tc.isNot) || p.SignatureValid != tc.signature {
				t.Errorf("Verified=%v SignatureValid=%v err=%v; want an error wrapping %v and not %v, SignatureValid %v", res.Verified, p.SignatureValid, p.Err, tc.is, tc.isNot, tc.signature)
			}
			var got did.Binding
			if p.Method != nil {
				got = p.Method.Binding
			}
			if got != tc.binding {
				t.Errorf("binding %v, want %v", got, tc.binding)
			}
		})
	}
}

func mustDIDKey(t *testing.T, k ed25519.PrivateKey) string {
	t.Helper()
	d, err := keys.DIDKey(k.Public())
	if err != nil {
		t.Fatal(err)
	}
	return d
}
