package did

import (
	"context"
	"crypto"
	"encoding/json"
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
// handle this kind of controller, ErrNotFound or ErrNoFetcher to let the
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
	l, ok := s.Store.(keys.Lister)
	if !ok {
		return nil, fmt.Errorf("%w: the key store cannot list keys", ErrUnsupported)
	}
	ks, err := l.Keys(ctx, controller)
	if errors.Is(err, keys.ErrNotFound) {
		return nil, fmt.Errorf("%w: %w", ErrNotFound, err)
	}
	if err != nil {
		return nil, fmt.Errorf("did: key store: listing the keys of %s: %w", quote(controller), err)
	}
	for _, k := range ks {
		if sameKey(k.Public, pub) {
			return s.Resolve(ctx, k.ID)
		}
	}
	return nil, fmt.Errorf("%w: the key store holds no such key of %s", ErrNotFound, quote(controller))
}

// FindKey implements KeyFinder with the controller's document in the Map.
func (m Map) FindKey(ctx context.Context, controller string, pub crypto.PublicKey) (*VerificationMethod, error) {
	if err := checkLen(controller); err != nil {
		return nil, err
	}
	body, ok := m[controller]
	if !ok {
		return nil, fmt.Errorf("%w: no document for %s in the map", ErrNotFound, quote(controller))
	}
	return findInDocument(controller, body, pub)
}

// FindKey implements KeyFinder for a did:web controller, fetching its DID
// document.
func (w Web) FindKey(ctx context.Context, controller string, pub crypto.PublicKey) (*VerificationMethod, error) {
	if !strings.HasPrefix(controller, "did:web:") {
		return nil, fmt.Errorf("%w: %s is not a did:web", ErrUnsupported, quote(controller))
	}
	docURL, err := WebURL(controller)
	if err != nil {
		return nil, err
	}
	if w.Fetcher == nil {
		return nil, fmt.Errorf("%w: %s is at %s", ErrNoFetcher, quote(controller), docURL)
	}
	body, err := w.Fetcher.Fetch(ctx, docURL)
	if err != nil {
		return nil, fetchError(ctx, controller, docURL, err)
	}
	return findInDocument(controller, body, pub)
}

// FindKey implements KeyFinder for an https controller, fetching its
// controller document.
func (h HTTP) FindKey(ctx context.Context, controller string, pub crypto.PublicKey) (*VerificationMethod, error) {
	if scheme(controller) != "https" || strings.Contains(controller, "#") {
		return nil, fmt.Errorf("%w: %s is not an https URL without a fragment", ErrUnsupported, quote(controller))
	}
	if _, err := h.check(controller); err != nil {
		return nil, err
	}
	if h.Fetcher == nil {
		return nil, fmt.Errorf("%w: %s", ErrNoFetcher, quote(controller))
	}
	body, err := h.Fetcher.Fetch(ctx, controller)
	if err != nil {
		return nil, fetchError(ctx, controller, controller, err)
	}
	return findInDocument(controller, body, pub)
}

// findInDocument finds the method holding pub in body, the controller
// document of base. Of several methods with that key, one the document
// authorizes for assertionMethod is preferred.
func findInDocument(base string, body []byte, pub crypto.PublicKey) (*VerificationMethod, error) {
	didOnly := strings.HasPrefix(base, "did:")
	if err := scanDocument(base, body); err != nil {
		return nil, err
	}
	top, err := object(body)
	if err != nil {
		return nil, invalidf("the document for %s: %v", quote(base), err)
	}
	if dd, ok := top["didDocument"]; ok && !has(top, "id") {
		if top, err = object(dd); err != nil {
			return nil, invalidf("the DID resolution result for %s: didDocument: %v", quote(base), err)
		}
	}
	var id string
	if err := member(top, "id", &id); err != nil || id != base {
		return nil, invalidf("the document for %s is not a controller document with that id", quote(base))
	}
	// Every method the document defines, by id.
	var ids []string
	collect := func(name string) error {
		var entries []json.RawMessage
		if err := member(top, name, &entries); err != nil {
			return invalidf("the document for %s: %v", quote(base), err)
		}
		if len(entries) > MaxMethods {
			return invalidf("the document for %s has %d entries in %s, the limit is %d", quote(base), len(entries), name, MaxMethods)
		}
		for _, raw := range entries {
			var h struct {
				ID string `json:"id"`
			}
			if len(raw) > 0 && raw[0] == '{' && json.Unmarshal(raw, &h) == nil && h.ID != "" {
				if ref := absolute(id, h.ID); !slices.Contains(ids, ref) {
					ids = append(ids, ref)
				}
			}
		}
		return nil
	}
	for _, name := range append([]string{"verificationMethod"}, relationships[:]...) {
		if err := collect(name); err != nil {
			return nil, err
		}
	}
	var found *VerificationMethod
	for _, ref := range ids {
		vm, err := controllerDocument(source{base: base, ref: ref, didOnly: didOnly}, top)
		if errors.Is(err, keys.ErrUnsupportedKey) {
			continue // a key of a type not read here, such as a key agreement key
		}
		if err != nil {
			return nil, err
		}
		if !sameKey(vm.PublicKey, pub) {
			continue
		}
		if slices.Contains(vm.Relationships, AssertionMethod) {
			return vm, nil
		}
		if found == nil {
			found = vm
		}
	}
	if found == nil {
		return nil, fmt.Errorf("%w: the document for %s lists no method with that key", ErrNotListed, quote(base))
	}
	return found, nil
}
