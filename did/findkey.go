package did

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/go-openbadges/openbadges/keys"
)

// A KeyFinder finds, among the verification methods a controller
// publishes, the one that holds a given public key. A verifier needs it for
// a JWT whose header carries its key (jwk) and no kid: the key is only a
// hint, confirmed when the issuer's own document lists it.
//
// FindKey keeps Resolver's error contract: ErrUnsupported when it does not
// handle this kind of controller, ErrNoMethod or ErrNoFetcher to let the
// next KeyFinder of a Chain try, ErrNotListed when the controller's
// document was had and holds no method with that key. The zero-config
// resolvers of this package (Key, JWK, StoreResolver, Map, Web, HTTP) and
// Chain implement it.
type KeyFinder interface {
	FindKey(ctx context.Context, controller string, pub crypto.PublicKey) (*VerificationMethod, error)
}

var (
	_ KeyFinder = Key{}
	_ KeyFinder = JWK{}
	_ KeyFinder = StoreResolver{}
	_ KeyFinder = Map(nil)
	_ KeyFinder = Web{}
	_ KeyFinder = HTTP{}
	_ KeyFinder = Chain(nil)
)

// FindKey implements KeyFinder: each Resolver of the Chain that is also a
// KeyFinder is asked in turn, with the same rules as Resolve.
func (c Chain) FindKey(ctx context.Context, controller string, pub crypto.PublicKey) (*VerificationMethod, error) {
	var errs []error
	for _, r := range c {
		f, ok := r.(KeyFinder)
		if !ok || r == nil {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("did: finding a key of %s: %w", quote(controller), err)
		}
		vm, err := f.FindKey(ctx, controller, pub)
		if err == nil {
			if vm == nil {
				return nil, fmt.Errorf("did: finding a key of %s: %T returned neither a verification method nor an error", quote(controller), r)
			}
			return vm, nil
		}
		if !continues(err) {
			return nil, err
		}
		errs = append(errs, err)
	}
	return nil, &ChainError{Ref: controller, Errs: errs}
}

// FindKey implements KeyFinder for a did:key controller: its one key.
func (k Key) FindKey(ctx context.Context, controller string, pub crypto.PublicKey) (*VerificationMethod, error) {
	if !strings.HasPrefix(controller, "did:key:") {
		return nil, fmt.Errorf("%w: %s is not a did:key", ErrUnsupported, quote(controller))
	}
	return selfKey(k.Resolve(ctx, controller))(controller, pub)
}

// FindKey implements KeyFinder for a did:jwk controller: its one key.
func (j JWK) FindKey(ctx context.Context, controller string, pub crypto.PublicKey) (*VerificationMethod, error) {
	if !strings.HasPrefix(controller, "did:jwk:") {
		return nil, fmt.Errorf("%w: %s is not a did:jwk", ErrUnsupported, quote(controller))
	}
	return selfKey(j.Resolve(ctx, controller))(controller, pub)
}

// selfKey compares the one key of a did:key or did:jwk with pub.
func selfKey(vm *VerificationMethod, err error) func(string, crypto.PublicKey) (*VerificationMethod, error) {
	return func(controller string, pub crypto.PublicKey) (*VerificationMethod, error) {
		if err != nil {
			return nil, err
		}
		if !sameKey(vm.PublicKey, pub) {
			return nil, fmt.Errorf("%w: the key of %s is another key", ErrNotListed, quote(controller))
		}
		return vm, nil
	}
}

// FindKey implements KeyFinder with the controller's keys in the Store,
// when the Store is a keys.Lister (ErrUnsupported otherwise).
func (s StoreResolver) FindKey(ctx context.Context, controller string, pub crypto.PublicKey) (*VerificationMethod, error) {
	ks, err := s.keys(ctx, controller)
	if err != nil {
		return nil, err
	}
	for _, k := range ks {
		if k == nil || !sameKey(k.Public, pub) {
			continue
		}
		vm, err := s.Resolve(ctx, k.ID)
		if err == nil && vm.Controller != controller {
			return nil, fmt.Errorf("did: key store: listed %s among the keys of %s, a key of %s", quote(k.ID), quote(controller), quote(vm.Controller))
		}
		return vm, err
	}
	return nil, fmt.Errorf("%w: the key store holds no such key of %s", ErrNoMethod, quote(controller))
}

// FindKey implements KeyFinder with the controller's document in the Map.
func (m Map) FindKey(ctx context.Context, controller string, pub crypto.PublicKey) (*VerificationMethod, error) {
	body, err := m.document(controller)
	if err != nil {
		return nil, err
	}
	return findInDocument(controller, body, pub)
}

// FindKey implements KeyFinder for a did:web controller, fetching its DID
// document.
func (w Web) FindKey(ctx context.Context, controller string, pub crypto.PublicKey) (*VerificationMethod, error) {
	body, err := w.document(ctx, controller)
	if err != nil {
		return nil, err
	}
	return findInDocument(controller, body, pub)
}

// FindKey implements KeyFinder for an https controller, fetching its
// controller document. An http controller is ErrInvalid, as in Resolve: its
// document is never fetched, and no other KeyFinder is asked.
func (h HTTP) FindKey(ctx context.Context, controller string, pub crypto.PublicKey) (*VerificationMethod, error) {
	body, err := h.document(ctx, controller)
	if err != nil {
		return nil, err
	}
	return findInDocument(controller, body, pub)
}

// findInDocument finds the method holding pub in body, the controller
// document of base. Of several methods with that key, the first one the
// document authorizes for assertionMethod is preferred, else the first.
// Only a method that Resolve, given its id and the same document, would
// resolve to that key is found: its id is base and a fragment, and if the
// fragment is a publicKeyMultibase, it is that key. Every method the
// document defines is read (eachMethod), so the cost is linear in its
// size.
func findInDocument(base string, body []byte, pub crypto.PublicKey) (*VerificationMethod, error) {
	var found *VerificationMethod
	err := eachMethod(base, body, func(src source, vm *VerificationMethod) error {
		if !sameKey(vm.PublicKey, pub) {
			return nil
		}
		if err := checkFragmentKey(src, vm); err != nil {
			return err
		}
		if found == nil || !slices.Contains(found.Relationships, AssertionMethod) && slices.Contains(vm.Relationships, AssertionMethod) {
			found = vm
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if found == nil {
		return nil, fmt.Errorf("%w: the document for %s lists no method with that key", ErrNotListed, quote(base))
	}
	return found, nil
}

// eachMethod calls fn with each method body, the controller document of
// base, defines under its own id (base and a fragment), in the order the
// document first names them, until fn returns an error. Every method the
// document defines is read, whatever the order: one that is invalid or
// defined more than once differently makes the document invalid, while one
// of a key type package keys does not read is skipped. A JWK, a JWK Set or
// a lone verification method is no controller document (ErrInvalid). The
// document is read once.
func eachMethod(base string, body []byte, fn func(src source, vm *VerificationMethod) error) error {
	didOnly := strings.HasPrefix(base, "did:")
	if err := scanDocument(base, body); err != nil {
		return err
	}
	top, err := object(body)
	if err != nil {
		return invalidf("the document for %s: %v", quote(base), err)
	}
	if dd, ok := top["didDocument"]; ok && !has(top, "id") {
		if top, err = object(dd); err != nil {
			return invalidf("the DID resolution result for %s: didDocument: %v", quote(base), err)
		}
	}
	// A JWK, a JWK Set or a lone verification method names no controller
	// document to look in (and Resolve would read the document as one of
	// those).
	if documentForm(top, didOnly) != formController {
		return invalidf("the document for %s is a JWK, a JWK Set or a lone verification method, not a controller document to look a key up in", quote(base))
	}
	id, ids, entries, err := indexDocument(base, top)
	if err != nil {
		return err
	}
	for _, ref := range ids {
		e := entries[ref]
		if e.defs == 0 {
			continue // only referred to: Resolve would refuse it, and it holds no key
		}
		doc, frag, hasFrag := strings.Cut(ref, "#")
		if doc != base {
			continue // not an id Resolve would look for in this document
		}
		src := source{base: base, ref: ref, frag: frag, hasFrag: hasFrag, didOnly: didOnly}
		vm, err := definedMethod(src, id, e)
		if errors.Is(err, keys.ErrUnsupportedKey) {
			continue // a key of a type not read here, such as a key agreement key
		}
		if err != nil {
			return err
		}
		if err := fn(src, vm); err != nil {
			return err
		}
	}
	return nil
}
