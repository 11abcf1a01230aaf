package did

import (
	"context"
	"errors"
	"fmt"

	"github.com/go-openbadges/openbadges/keys"
)

// StoreResolver resolves references from the caller's own keys.Store: the
// key whose keys.Key.ID is the reference. The result has the key's
// Controller, BindingLocal, and the key's NotBefore and NotAfter; its Type
// is "Multikey" for Ed25519 and ECDSA keys and "JsonWebKey" for RSA keys.
// It is for an issuer verifying what it signed, or a verifier with keys it
// was given out of band. The zero StoreResolver has no Store and resolves
// nothing (ErrUnsupported).
type StoreResolver struct {
	// Store holds the keys. Retired keys resolve too: whether a key was in
	// service when it signed is for the caller to judge, with NotBefore
	// and NotAfter.
	Store keys.Store
}

var _ Resolver = StoreResolver{}

// Resolve implements Resolver. A reference the Store has no key for
// (keys.ErrNoKey) is ErrNoMethod; any other error of the Store stops a
// Chain.
func (s StoreResolver) Resolve(ctx context.Context, ref string) (*VerificationMethod, error) {
	if s.Store == nil {
		return nil, fmt.Errorf("%w: StoreResolver has no keys.Store", ErrUnsupported)
	}
	if err := checkLen(ref); err != nil {
		return nil, err
	}
	k, err := s.Store.Key(ctx, ref)
	if errors.Is(err, keys.ErrNoKey) {
		return nil, fmt.Errorf("%w: %w", ErrNoMethod, err)
	}
	if err != nil {
		return nil, fmt.Errorf("did: key store: looking up %s: %w", quote(ref), err)
	}
	if k == nil || k.ID != ref {
		return nil, fmt.Errorf("did: key store: asked for %s, it returned another key", quote(ref))
	}
	if _, err := keys.AlgorithmOf(k.Public); err != nil {
		return nil, fmt.Errorf("did: key store: key %s: %w", quote(ref), err)
	}
	typ := "Multikey"
	if _, err := keys.PublicKeyMultibase(k.Public); err != nil {
		typ = "JsonWebKey" // RSA and P-521 keys have no Multikey form here
	}
	return &VerificationMethod{
		ID:         k.ID,
		Type:       typ,
		Controller: k.Controller,
		PublicKey:  k.Public,
		Binding:    BindingLocal,
		NotBefore:  k.NotBefore,
		NotAfter:   k.NotAfter,
	}, nil
}
