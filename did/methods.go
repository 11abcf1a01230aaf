package did

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/go-openbadges/openbadges/keys"
)

// A MethodLister lists the verification methods a controller publishes,
// for a verifier that must pick one by something other than its id: a JWT
// whose kid is a JWK thumbprint (RFC 7638) rather than a URL, which
// VC-JOSE-COSE lets a token use beside its iss claim. Every method listed
// is bound to the controller as its Binding says, as Resolve would give it.
//
// Methods keeps Resolver's error contract: ErrUnsupported when it does not
// handle this kind of controller, ErrNoMethod or ErrNoFetcher to let the
// next MethodLister of a Chain try, ErrInvalid for a document that is not a
// controller document or defines a method badly. The zero-config
// resolvers of this package (Key, JWK, StoreResolver, Map, Web, HTTP) and
// Chain implement it.
type MethodLister interface {
	Methods(ctx context.Context, controller string) ([]*VerificationMethod, error)
}

var (
	_ MethodLister = Key{}
	_ MethodLister = JWK{}
	_ MethodLister = StoreResolver{}
	_ MethodLister = Map(nil)
	_ MethodLister = Web{}
	_ MethodLister = HTTP{}
	_ MethodLister = Chain(nil)
)

// Methods implements MethodLister: each Resolver of the Chain that is also
// a MethodLister is asked in turn, with the same rules as Resolve.
func (c Chain) Methods(ctx context.Context, controller string) ([]*VerificationMethod, error) {
	var errs []error
	for _, r := range c {
		l, ok := r.(MethodLister)
		if !ok || r == nil {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("did: listing the methods of %s: %w", quote(controller), err)
		}
		ms, err := l.Methods(ctx, controller)
		if err == nil {
			return ms, nil
		}
		if !continues(err) {
			return nil, err
		}
		errs = append(errs, err)
	}
	return nil, &ChainError{Ref: controller, Errs: errs}
}

// Methods implements MethodLister for a did:key controller: its one method.
func (k Key) Methods(ctx context.Context, controller string) ([]*VerificationMethod, error) {
	if !strings.HasPrefix(controller, "did:key:") || strings.Contains(controller, "#") {
		return nil, fmt.Errorf("%w: %s is not a did:key DID", ErrUnsupported, quote(controller))
	}
	return one(k.Resolve(ctx, controller))
}

// Methods implements MethodLister for a did:jwk controller: its one
// method.
func (j JWK) Methods(ctx context.Context, controller string) ([]*VerificationMethod, error) {
	if !strings.HasPrefix(controller, "did:jwk:") || strings.Contains(controller, "#") {
		return nil, fmt.Errorf("%w: %s is not a did:jwk DID", ErrUnsupported, quote(controller))
	}
	return one(j.Resolve(ctx, controller))
}

func one(vm *VerificationMethod, err error) ([]*VerificationMethod, error) {
	if err != nil {
		return nil, err
	}
	return []*VerificationMethod{vm}, nil
}

// keys lists the controller's keys in the Store, when the Store is a
// keys.Lister (ErrUnsupported otherwise; ErrNoMethod for none).
func (s StoreResolver) keys(ctx context.Context, controller string) ([]*keys.Key, error) {
	l, ok := s.Store.(keys.Lister)
	if !ok {
		return nil, fmt.Errorf("%w: the key store cannot list keys", ErrUnsupported)
	}
	ks, err := l.Keys(ctx, controller)
	if errors.Is(err, keys.ErrNoKey) {
		return nil, fmt.Errorf("%w: %w", ErrNoMethod, err)
	}
	if err != nil {
		return nil, fmt.Errorf("did: key store: listing the keys of %s: %w", quote(controller), err)
	}
	return ks, nil
}

// Methods implements MethodLister with the controller's keys in the Store,
// when the Store is a keys.Lister (ErrUnsupported otherwise).
func (s StoreResolver) Methods(ctx context.Context, controller string) ([]*VerificationMethod, error) {
	ks, err := s.keys(ctx, controller)
	if err != nil {
		return nil, err
	}
	ms := make([]*VerificationMethod, 0, len(ks))
	for _, k := range ks {
		if k == nil {
			continue
		}
		vm, err := s.Resolve(ctx, k.ID)
		if err != nil {
			return nil, err
		}
		if vm.Controller != controller {
			return nil, fmt.Errorf("did: key store: listed %s among the keys of %s, a key of %s", quote(k.ID), quote(controller), quote(vm.Controller))
		}
		ms = append(ms, vm)
	}
	return ms, nil
}

// Methods implements MethodLister with the controller's document in the
// Map.
func (m Map) Methods(ctx context.Context, controller string) ([]*VerificationMethod, error) {
	body, err := m.document(controller)
	if err != nil {
		return nil, err
	}
	return methodsInDocument(controller, body)
}

// Methods implements MethodLister for a did:web controller, fetching its
// DID document.
func (w Web) Methods(ctx context.Context, controller string) ([]*VerificationMethod, error) {
	body, err := w.document(ctx, controller)
	if err != nil {
		return nil, err
	}
	return methodsInDocument(controller, body)
}

// Methods implements MethodLister for an https controller, fetching its
// controller document. An http controller is ErrInvalid, as in Resolve.
func (h HTTP) Methods(ctx context.Context, controller string) ([]*VerificationMethod, error) {
	body, err := h.document(ctx, controller)
	if err != nil {
		return nil, err
	}
	return methodsInDocument(controller, body)
}

// document returns the controller's document from the Map.
func (m Map) document(controller string) ([]byte, error) {
	if err := checkLen(controller); err != nil {
		return nil, err
	}
	body, ok := m[controller]
	if !ok {
		return nil, fmt.Errorf("%w: no document for %s in the map", ErrNoMethod, quote(controller))
	}
	return body, nil
}

// document fetches the DID document of the did:web controller.
func (w Web) document(ctx context.Context, controller string) ([]byte, error) {
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
	return body, nil
}

// document fetches the controller document of the https controller. An
// http controller is refused (ErrInvalid), not left to the next resolver.
func (h HTTP) document(ctx context.Context, controller string) ([]byte, error) {
	switch scheme(controller) {
	case "https":
	case "http":
		return nil, invalidf("%s: controller documents are fetched over https only, never http", quote(controller))
	default:
		return nil, fmt.Errorf("%w: %s is not an https URL", ErrUnsupported, quote(controller))
	}
	if strings.Contains(controller, "#") {
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
	return body, nil
}

// methodsInDocument returns every method body, the controller document of
// base, defines under its own id, in the order the document first names
// them, each as Resolve would give it for its id: a method Resolve would
// refuse (defined more than once differently, under another controller,
// with a key its issuer#z6Mk… id does not name) makes the document
// invalid, while one of a key type package keys does not read is left
// out. The document is read once.
func methodsInDocument(base string, body []byte) ([]*VerificationMethod, error) {
	var ms []*VerificationMethod
	err := eachMethod(base, body, func(src source, vm *VerificationMethod) error {
		if err := checkFragmentKey(src, vm); err != nil {
			return err
		}
		ms = append(ms, vm)
		return nil
	})
	return ms, err
}
