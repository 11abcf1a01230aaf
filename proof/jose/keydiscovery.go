package jose

import (
	"context"
	"crypto"
	"fmt"
	"slices"
	"strings"

	"github.com/go-openbadges/openbadges/did"
	"github.com/go-openbadges/openbadges/keys"
)

// confirmed reports whether a key so bound is confirmed as its
// controller's.
func confirmed(b did.Binding) bool {
	return b == did.BindingSelf || b == did.BindingDocument || b == did.BindingLocal
}

// A keyOwner is whose key a token must be signed with.
type keyOwner struct {
	id   string // the issuer of a credential, the holder of a presentation; "" if unknown
	iss  string // the token's iss claim; "" if absent
	role string // "issuer" or "holder", for messages
	rel  string // the verification relationship the key needs: did.AssertionMethod, did.Authentication
}

// thumbprintURI is the prefix of a JWK Thumbprint URI (RFC 9278) of a
// SHA-256 thumbprint.
const thumbprintURI = "urn:ietf:params:oauth:jwk-thumbprint:sha-256:"

// findKey finds the key the header names for a token of owner: the one
// its kid names, or the owner's that its jwk holds. A key that cannot be
// confirmed as the owner's for want of the owner's document (the jwk, or
// the key a kid's fragment names) comes back with unconfirmed set: it
// serves only to tell a signature that does not match from one whose key
// nobody has confirmed. err is set when there is no key to check with at
// all.
//
// The kid is read as VC-JOSE-COSE's Key Discovery reads it:
//
//   - an absolute URL or DID URL is the verification method's id;
//   - a kid the Resolver resolves as it is (a resolver of the caller's
//     keyed by kid) is that method;
//   - otherwise the kid is a hint to pick one key of the controller that
//     the iss claim names ("if kid is also present, it is used to
//     distinguish the specific key used"), and without iss it is refused:
//     "when iss is absent, and the issuer is identified as a URL, the kid
//     MUST be an absolute URL to a verification method";
//   - "#key-1" is then the method iss#key-1 of iss's document;
//   - any other kid, or a JWK Thumbprint URI (RFC 9278), is the RFC 7638
//     SHA-256 thumbprint of one of the keys iss's document lists
//     (did.MethodLister): the thumbprint is computed from each key, never
//     read from a label the document gives it, so the kid picks a key by
//     what it is, among keys the document already confirms as iss's.
//
// The key is never confirmed by the kid: only by the document, DID or
// key store the Resolver finds it in.
func findKey(ctx context.Context, resolver did.Resolver, h *Header, jwkKey crypto.PublicKey, owner keyOwner) (vm *did.VerificationMethod, unconfirmed, err error) {
	kid := h.KeyID
	if kid == "" {
		if jwkKey == nil {
			return nil, nil, fmt.Errorf("%w: the header has neither kid nor jwk", ErrKey)
		}
		return keyByValue(ctx, resolver, jwkKey, owner)
	}
	if uriScheme(kid) != "" && !strings.HasPrefix(kid, thumbprintURI) {
		return keyByID(ctx, resolver, kid, kid, jwkKey, owner)
	}
	if !strings.HasPrefix(kid, "#") {
		// The Resolver may know the kid itself (a resolver of the
		// caller's keyed by kid); this package's never do.
		vm, err := resolver.Resolve(ctx, kid)
		switch {
		case err == nil:
			return checkedMethod(kid, vm, jwkKey)
		case !did.Undecided(err):
			return nil, nil, fmt.Errorf("%w: kid %q: %w", ErrKey, kid, err)
		}
	}
	if owner.iss == "" {
		return nil, nil, fmt.Errorf("%w: kid %q is not an absolute URL or DID URL, and without an iss claim there is no controller to find it under (VC-JOSE-COSE: when iss is absent, the kid must be an absolute URL of a verification method)", ErrKey, kid)
	}
	if strings.HasPrefix(kid, "#") {
		return keyByID(ctx, resolver, kid, owner.iss+kid, jwkKey, owner)
	}
	return keyByThumbprint(ctx, resolver, kid, strings.TrimPrefix(kid, thumbprintURI), jwkKey, owner)
}

// checkedMethod checks vm, which the kid resolved to, against the header's
// jwk, and says whether it is confirmed.
func checkedMethod(kid string, vm *did.VerificationMethod, jwkKey crypto.PublicKey) (_ *did.VerificationMethod, unconfirmed, err error) {
	switch {
	case jwkKey != nil && !publicEqual(jwkKey, vm.PublicKey):
		return nil, nil, fmt.Errorf("%w: the header's jwk is not the key its kid %q names", ErrKey, kid)
	case !confirmed(vm.Binding):
		unconfirmed = fmt.Errorf("%w: %w: kid %q is bound to %s only as %s", ErrKey, did.ErrUnconfirmed, kid, vm.Controller, vm.Binding)
	}
	return vm, unconfirmed, nil
}

// keyByID finds the method ref, which the kid names.
func keyByID(ctx context.Context, resolver did.Resolver, kid, ref string, jwkKey crypto.PublicKey, owner keyOwner) (vm *did.VerificationMethod, unconfirmed, err error) {
	vm, err = resolver.Resolve(ctx, ref)
	base, _, _ := strings.Cut(ref, "#")
	switch {
	case err != nil && !did.Undecided(err):
		return nil, nil, fmt.Errorf("%w: kid %q: %w", ErrKey, kid, err)
	case err != nil && owner.id != "" && base != owner.id:
		// Resolvers bind a method to the DID or URL it is under: no
		// document of the owner could confirm one under another.
		return nil, nil, fmt.Errorf("%w: kid %q is not under the %s %q, so no document of the %s could confirm it: %w", ErrKey, kid, owner.role, owner.id, owner.role, err)
	case err != nil:
		unconfirmed = fmt.Errorf("%w: %w: kid %q: %w", ErrKey, did.ErrUnconfirmed, kid, err)
		if jwkKey != nil {
			return &did.VerificationMethod{ID: ref, Type: "JsonWebKey", PublicKey: jwkKey, Binding: did.BindingAsserted}, unconfirmed, nil
		}
		if vm, err = (did.Fragment{}).Resolve(ctx, ref); err != nil {
			return nil, nil, unconfirmed
		}
		return vm, unconfirmed, nil
	}
	return checkedMethod(kid, vm, jwkKey)
}

// keyByThumbprint finds, among the methods of owner.iss, the one whose
// key's RFC 7638 thumbprint is tp, which the kid gives; of several, one
// that owner.iss authorizes for owner.rel.
func keyByThumbprint(ctx context.Context, resolver did.Resolver, kid, tp string, jwkKey crypto.PublicKey, owner keyOwner) (vm *did.VerificationMethod, unconfirmed, err error) {
	var ms []*did.VerificationMethod
	if l, ok := resolver.(did.MethodLister); ok {
		ms, err = l.Methods(ctx, owner.iss)
	} else {
		err = fmt.Errorf("%w: the Resolver (%T) cannot list a controller's keys", did.ErrUnsupported, resolver)
	}
	if err != nil {
		if !did.Undecided(err) {
			return nil, nil, fmt.Errorf("%w: kid %q, a key of %q by its thumbprint: %w", ErrKey, kid, owner.iss, err)
		}
		unconfirmed = fmt.Errorf("%w: %w: kid %q names a key of %q by its thumbprint, and the keys of %q could not be had: %w", ErrKey, did.ErrUnconfirmed, kid, owner.iss, owner.iss, err)
		if jwkKey == nil {
			return nil, nil, unconfirmed
		}
		if got, _ := keys.Thumbprint(jwkKey); got != tp {
			return nil, nil, fmt.Errorf("%w: the header's jwk is not the key its kid %q names", ErrKey, kid)
		}
		return &did.VerificationMethod{Type: "JsonWebKey", Controller: owner.iss, PublicKey: jwkKey, Binding: did.BindingAsserted}, unconfirmed, nil
	}
	for _, m := range ms {
		if got, err := keys.Thumbprint(m.PublicKey); err != nil || got != tp {
			continue
		}
		if vm == nil || !slices.Contains(vm.Relationships, owner.rel) && slices.Contains(m.Relationships, owner.rel) {
			vm = m
		}
	}
	if vm == nil {
		return nil, nil, fmt.Errorf("%w: kid %q: %w: %q lists no key whose JWK thumbprint (RFC 7638) is %q", ErrKey, kid, did.ErrNotListed, owner.iss, tp)
	}
	return checkedMethod(kid, vm, jwkKey)
}

// keyByValue finds the owner's method that holds jwkKey, the header's jwk,
// when there is no kid.
func keyByValue(ctx context.Context, resolver did.Resolver, jwkKey crypto.PublicKey, owner keyOwner) (vm *did.VerificationMethod, unconfirmed, err error) {
	if owner.id == "" {
		return nil, nil, fmt.Errorf("%w: the header's jwk names no key id, and there is no %s whose keys it could be looked up in", ErrKey, owner.role)
	}
	if finder, ok := resolver.(did.KeyFinder); ok {
		vm, err = finder.FindKey(ctx, owner.id, jwkKey)
	} else {
		err = fmt.Errorf("%w: the Resolver (%T) cannot look a key up by its value", did.ErrUnsupported, resolver)
	}
	switch {
	case err != nil && !did.Undecided(err):
		return nil, nil, fmt.Errorf("%w: the header's jwk is not a key of the %s %q: %w", ErrKey, owner.role, owner.id, err)
	case err != nil:
		unconfirmed = fmt.Errorf("%w: %w: the header's jwk: %w", ErrKey, did.ErrUnconfirmed, err)
		vm = &did.VerificationMethod{Type: "JsonWebKey", Controller: owner.id, PublicKey: jwkKey, Binding: did.BindingAsserted}
	case !confirmed(vm.Binding):
		unconfirmed = fmt.Errorf("%w: %w: the header's jwk is bound to %s only as %s", ErrKey, did.ErrUnconfirmed, vm.Controller, vm.Binding)
	}
	return vm, unconfirmed, nil
}

// uriScheme returns the scheme an absolute URI (RFC 3986 §3.1) such as a
// URL, a DID or a URN starts with, or "" if s does not start with one.
func uriScheme(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return s[:i]
		default:
			return ""
		}
	}
	return ""
}

// publicEqual reports whether two public keys are the same key.
func publicEqual(a, b crypto.PublicKey) bool {
	type equaler interface{ Equal(crypto.PublicKey) bool }
	e, ok := a.(equaler)
	return ok && e.Equal(b)
}
