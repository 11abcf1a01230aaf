package did_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/did"
	"github.com/go-openbadges/openbadges/keys"
)

// fake is a Resolver that records its calls and answers as told.
type fake struct {
	name  string
	vm    *did.VerificationMethod
	err   error
	calls *[]string
}

func (f fake) Resolve(ctx context.Context, ref string) (*did.VerificationMethod, error) {
	*f.calls = append(*f.calls, f.name)
	return f.vm, f.err
}

func TestChain(t *testing.T) {
	found := &did.VerificationMethod{ID: "x#1", Type: "Multikey", Controller: "x", PublicKey: parseKey(t, w3cEd25519), Binding: did.BindingLocal}
	unsupported := fmt.Errorf("%w: not mine", did.ErrUnsupported)
	notFound := fmt.Errorf("%w: not here", did.ErrNoMethod)
	noFetcher := fmt.Errorf("%w: offline", did.ErrNoFetcher)
	invalid := fmt.Errorf("%w: bad document", did.ErrInvalid)
	network := errors.New("connection reset")
	notListed := fmt.Errorf("%w: not in the document", did.ErrNotListed)
	unavailable := fmt.Errorf("%w: status 500", did.ErrUnavailable)
	noDocument := fmt.Errorf("%w: %w: 404", did.ErrNoMethod, did.ErrNoDocument)

	type step struct {
		vm  *did.VerificationMethod
		err error
	}
	tests := []struct {
		name      string
		steps     []step
		wantCalls []string
		wantVM    *did.VerificationMethod
		wantErr   string
		wantIs    []error
	}{
		{
			name:      "first resolves",
			steps:     []step{{vm: found}, {err: invalid}},
			wantCalls: []string{"r1"},
			wantVM:    found,
		},
		{
			name:      "unsupported, not found, no fetcher: the next one tries",
			steps:     []step{{err: unsupported}, {err: notFound}, {err: noFetcher}, {vm: found}},
			wantCalls: []string{"r1", "r2", "r3", "r4"},
			wantVM:    found,
		},
		{
			name:      "invalid stops",
			steps:     []step{{err: notFound}, {err: invalid}, {vm: found}},
			wantCalls: []string{"r1", "r2"},
			wantErr:   "did: invalid: bad document",
			wantIs:    []error{did.ErrInvalid},
		},
		{
			name:      "not listed stops: the document was had",
			steps:     []step{{err: notFound}, {err: notListed}, {vm: found}},
			wantCalls: []string{"r1", "r2"},
			wantErr:   "did: the controller's document does not list the verification method: not in the document",
			wantIs:    []error{did.ErrNotListed},
		},
		{
			name:      "unavailable stops: no fallback when the document could not be had",
			steps:     []step{{err: unavailable}, {vm: found}},
			wantCalls: []string{"r1"},
			wantErr:   "did: the document could not be had: status 500",
			wantIs:    []error{did.ErrUnavailable},
		},
		{
			name:      "no document: the next one tries",
			steps:     []step{{err: noDocument}, {vm: found}},
			wantCalls: []string{"r1", "r2"},
			wantVM:    found,
		},
		{
			name:      "any other error stops",
			steps:     []step{{err: network}, {vm: found}},
			wantCalls: []string{"r1"},
			wantErr:   "connection reset",
			wantIs:    []error{network},
		},
		{
			name:      "unsupported key type stops",
			steps:     []step{{err: keys.ErrUnsupportedKey}, {vm: found}},
			wantCalls: []string{"r1"},
			wantErr:   "keys: unsupported key",
		},
		{
			name:      "all fail",
			steps:     []step{{err: unsupported}, {err: notFound}, {err: noFetcher}},
			wantCalls: []string{"r1", "r2", "r3"},
			wantErr: `did: no resolver resolved "x#1"; [1] did: unsupported reference: not mine; ` +
				`[2] did: verification method not found: not here; [3] did: no fetcher, and the reference needs the network: offline`,
			wantIs: []error{did.ErrUnsupported, did.ErrNoMethod, did.ErrNoFetcher},
		},
		{
			name:    "empty",
			wantErr: `did: no resolver resolved "x#1": the chain is empty`,
			wantIs:  []error{did.ErrUnsupported},
		},
		{
			name:      "neither method nor error",
			steps:     []step{{}},
			wantCalls: []string{"r1"},
			wantErr:   `did: resolving "x#1": did_test.fake returned neither a verification method nor an error`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls []string
			var c did.Chain
			for i, s := range tt.steps {
				c = append(c, fake{name: fmt.Sprintf("r%d", i+1), vm: s.vm, err: s.err, calls: &calls})
			}
			c = append(c, nil) // skipped
			vm, err := c.Resolve(context.Background(), "x#1")
			if diff := cmp.Diff(tt.wantCalls, calls); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
			if vm != tt.wantVM {
				t.Errorf("Resolve = %+v, want %+v", vm, tt.wantVM)
			}
			if diff := cmp.Diff(tt.wantErr, errorString(err)); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			for _, target := range tt.wantIs {
				if !errors.Is(err, target) {
					t.Errorf("error does not wrap %v", target)
				}
			}
		})
	}
}

// TestChainNested: a Chain that fails with a chain-continuing error lets an
// enclosing Chain go on.
func TestChainNested(t *testing.T) {
	var calls []string
	inner := did.Chain{fake{name: "inner", err: did.ErrNoMethod, calls: &calls}}
	outer := did.Chain{inner, fake{name: "outer", vm: &did.VerificationMethod{ID: "x"}, calls: &calls}}
	if _, err := outer.Resolve(context.Background(), "x"); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"inner", "outer"}, calls); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	var ce *did.ChainError
	_, err := did.Chain{inner}.Resolve(context.Background(), "x")
	if !errors.As(err, &ce) || len(ce.Errs) != 1 || ce.Ref != "x" {
		t.Errorf("error %v is not a ChainError with one error", err)
	}
}

func TestChainCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var calls []string
	c := did.Chain{
		fake{name: "r1", err: did.ErrNoMethod, calls: &calls},
		did.ResolverFunc(func(ctx context.Context, ref string) (*did.VerificationMethod, error) {
			cancel()
			return nil, did.ErrUnsupported
		}),
		fake{name: "r3", vm: &did.VerificationMethod{ID: "x"}, calls: &calls},
	}
	_, err := c.Resolve(ctx, "x")
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Resolve after cancel: %v, want context.Canceled", err)
	}
	if diff := cmp.Diff([]string{"r1"}, calls); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
}

// TestNewResolverOffline: whatever the reference, the default chain never
// touches the network when it resolves without it, and it never reads a key
// from a reference's fragment: a reference that no document confirms fails
// with an error for which Undecided is true.
func TestNewResolverOffline(t *testing.T) {
	const issuer = "https://example.edu/issuers/565049"
	jwkDID, err := keys.DIDJWKVerificationMethod(parseKey(t, w3cP256))
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string][]byte{issuer: readFile(t, "testdata/di-eddsa/ob3-1edtech/controller-document.SYNTHESIZED.json")}
	withFetcher := did.NewResolver(did.Options{Fetcher: noFetch(t), Documents: docs})
	offline := did.NewResolver(did.Options{Documents: docs})
	tests := []struct {
		ref           string
		want          did.Binding
		wantIs        error
		wantUndecided bool
	}{
		{ref: "did:key:" + w3cEd25519, want: did.BindingSelf},
		{ref: "did:key:" + w3cP384 + "#" + w3cP384, want: did.BindingSelf},
		{ref: jwkDID, want: did.BindingSelf},
		{ref: issuer + "#" + obKey, want: did.BindingDocument},
		// Nothing can confirm a key named under a URN or an unknown DID
		// method: no resolver handles them, so the chain stays undecided
		// (it used to read the key from the fragment, as asserted).
		{ref: "urn:uuid:4ca4a241-fc3b-4d92-978e-f56fa96ae795#" + obKey, wantIs: did.ErrUnsupported, wantUndecided: true},
		{ref: "did:example:123#" + obKey, wantIs: did.ErrUnsupported, wantUndecided: true},
		{ref: "did:example:123#key-1", wantIs: did.ErrUnsupported, wantUndecided: true},
		{ref: "http://example.edu/issuers/1#" + obKey, wantIs: did.ErrInvalid},
		{ref: "did:key:" + w3cEd25519 + "#" + obKey, wantIs: did.ErrInvalid},
		// The issuer's document, given offline, does not list this id.
		{ref: issuer + "#key-1", wantIs: did.ErrNotListed},
	}
	for _, tt := range tests {
		for name, r := range map[string]did.Resolver{"with fetcher": withFetcher, "offline": offline} {
			vm, err := r.Resolve(context.Background(), tt.ref)
			if tt.wantIs != nil {
				if vm != nil || !errors.Is(err, tt.wantIs) || did.Undecided(err) != tt.wantUndecided {
					t.Errorf("%s: Resolve(%s) = %v, %v (Undecided %v); want %v, Undecided %v", name, tt.ref, vm, err, did.Undecided(err), tt.wantIs, tt.wantUndecided)
				}
				continue
			}
			if err != nil || vm.Binding != tt.want {
				t.Errorf("%s: Resolve(%s) = %v, %v; want binding %v", name, tt.ref, vm, err, tt.want)
			}
		}
	}

	// Offline, https and did:web references not in Documents need their
	// document: the chain fails, undecided, and never says asserted.
	for _, ref := range []string{"https://example.edu/issuers/1#" + obKey, "did:web:example.edu#" + obKey, "did:web:example.edu#key-1"} {
		vm, err := offline.Resolve(context.Background(), ref)
		var ce *did.ChainError
		if vm != nil || !errors.As(err, &ce) || !errors.Is(err, did.ErrNoFetcher) || !did.Undecided(err) {
			t.Errorf("offline: Resolve(%s) = %v, %v; want a ChainError wrapping ErrNoFetcher, undecided", ref, vm, err)
		}
	}
}

// TestNewResolverConfirms: with a Fetcher, an issuer#publicKeyMultibase
// reference is confirmed from the issuer's document when it lists the key,
// and refused otherwise, never read from the fragment: a finding
// (Undecided false) when there is no document (404), the document does not
// list the key, or lists it with another key; undecided when the fetch
// fails.
func TestNewResolverConfirms(t *testing.T) {
	const issuer = "https://example.edu/issuers/565049"
	ref := issuer + "#" + obKey
	chainPrefix := `did: no resolver resolved "` + ref + `"; ` +
		`[1] did: unsupported reference: "` + ref + `" is not a did:key; ` +
		`[2] did: unsupported reference: "` + ref + `" is not a did:jwk; ` +
		`[3] did: unsupported reference: "` + ref + `" is not a did:web; `
	tests := []struct {
		name          string
		status        int
		body          string
		want          did.Binding
		wantErr       string
		wantIs        []error
		wantUndecided bool
	}{
		{name: "listed", status: 200, body: string(readFile(t, "testdata/di-eddsa/ob3-1edtech/controller-document.SYNTHESIZED.json")), want: did.BindingDocument},
		{
			name: "no document", status: http.StatusNotFound,
			wantErr: chainPrefix + `[4] did: no document for "` + ref + `" at "https://example.edu/issuers/565049": fetch: "https://example.edu/issuers/565049": status 404 Not Found, want 200`,
			wantIs:  []error{did.ErrNoMethod, did.ErrNoDocument},
		},
		{
			name: "a profile without keys", status: 200, body: `{"id": "` + issuer + `", "type": "Profile"}`,
			wantErr: `did: the controller's document does not list the verification method: the document for "https://example.edu/issuers/565049" does not list "` + ref + `"`,
			wantIs:  []error{did.ErrNotListed},
		},
		{
			name: "listed with another key", status: 200,
			body:    `{"id": "` + issuer + `", "verificationMethod": [` + multikey(ref, issuer, w3cEd25519) + `]}`,
			wantErr: `did: invalid: the document for "https://example.edu/issuers/565049" lists "https://example.edu/issuers/565049#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi" with a key other than the one its fragment names`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name: "server error", status: http.StatusServiceUnavailable,
			wantErr:       `did: the document could not be had: fetching "https://example.edu/issuers/565049" for "https://example.edu/issuers/565049#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi": fetch: "https://example.edu/issuers/565049": status 503 Service Unavailable, want 200`,
			wantIs:        []error{did.ErrUnavailable},
			wantUndecided: true,
		},
	}
	s := newSite(t)
	f := &countingFetcher{f: s.fetcher()}
	r := did.NewResolver(did.Options{Fetcher: f})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s.serve(issuer, tt.status, tt.body)
			f.urls = nil
			vm, err := r.Resolve(context.Background(), ref)
			if diff := cmp.Diff(tt.wantErr, errorString(err)); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			for _, target := range tt.wantIs {
				if !errors.Is(err, target) {
					t.Errorf("error does not wrap %v", target)
				}
			}
			if got := did.Undecided(err); got != tt.wantUndecided {
				t.Errorf("Undecided = %v, want %v", got, tt.wantUndecided)
			}
			if diff := cmp.Diff([]string{issuer}, f.urls); diff != "" {
				t.Errorf("fetches (-want +got):\n%s", diff)
			}
			if err == nil && vm.Binding != tt.want {
				t.Errorf("Binding = %v, want %v", vm.Binding, tt.want)
			}
		})
	}
}

// TestNewResolverOrder: the caller's store and documents come before the
// network.
func TestNewResolverOrder(t *testing.T) {
	const issuer = "https://example.edu/issuers/565049"
	ref := issuer + "#" + obKey
	k := &keys.Key{ID: ref, Controller: issuer, Algorithm: keys.EdDSA, Public: parseKey(t, obKey)}
	docs := map[string][]byte{issuer: readFile(t, "testdata/di-eddsa/ob3-1edtech/controller-document.SYNTHESIZED.json")}

	r := did.NewResolver(did.Options{Fetcher: noFetch(t), Documents: docs, Store: memStore{keys: map[string]*keys.Key{ref: k}}})
	if vm, err := r.Resolve(context.Background(), ref); err != nil || vm.Binding != did.BindingLocal {
		t.Errorf("with a store: %v, %v; want BindingLocal", vm, err)
	}
	r = did.NewResolver(did.Options{Fetcher: noFetch(t), Documents: docs, Store: memStore{}})
	if vm, err := r.Resolve(context.Background(), ref); err != nil || vm.Binding != did.BindingDocument {
		t.Errorf("not in the store: %v, %v; want BindingDocument", vm, err)
	}
	// NewResolver copies the map.
	delete(docs, issuer)
	if vm, err := r.Resolve(context.Background(), ref); err != nil || vm.Binding != did.BindingDocument {
		t.Errorf("after changing the caller's map: %v, %v; want BindingDocument", vm, err)
	}
}

// TestUndecided: what each kind of resolution error says of the key. A gap
// (no fetcher, a failed fetch, nothing that handles the reference, none of
// the caller's sources holding it) leaves it undecided; a finding about the
// controller's document (it does not list the method, there is none where
// the controller would publish it, it or the reference is invalid) decides
// it, as does any other error.
func TestUndecided(t *testing.T) {
	unsupported := fmt.Errorf("%w: not mine", did.ErrUnsupported)
	notFound := fmt.Errorf("%w: no document in the map", did.ErrNoMethod)
	noFetcher := fmt.Errorf("%w: offline", did.ErrNoFetcher)
	unavailable := fmt.Errorf("%w: status 503", did.ErrUnavailable)
	noDocument := fmt.Errorf("%w: %w: 404", did.ErrNoMethod, did.ErrNoDocument)
	notListed := fmt.Errorf("%w: not in the document", did.ErrNotListed)
	invalid := fmt.Errorf("%w: bad document", did.ErrInvalid)
	chain := func(errs ...error) error { return &did.ChainError{Ref: "x#1", Errs: errs} }
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"ErrNoFetcher", noFetcher, true},
		{"ErrUnavailable", unavailable, true},
		{"ErrUnavailable wrapping a network error", fmt.Errorf("%w: %w", did.ErrUnavailable, errors.New("connection refused")), true},
		{"ErrUnsupported", unsupported, true},
		{"ErrNoMethod", notFound, true},
		{"ErrNoMethod with ErrNoDocument", noDocument, false},
		{"ErrNoDocument alone", did.ErrNoDocument, false},
		{"ErrNotListed", notListed, false},
		{"ErrInvalid", invalid, false},
		{"ErrInvalid with ErrUnsupported", fmt.Errorf("%w: %w", did.ErrInvalid, did.ErrUnsupported), false},
		{"ErrNotListed with ErrNoFetcher", fmt.Errorf("%w: %w", did.ErrNotListed, did.ErrNoFetcher), false},
		{"unsupported key type", keys.ErrUnsupportedKey, false},
		{"store failure", errors.New("kms: unavailable"), false},
		{"context canceled", fmt.Errorf("did: resolving: %w", context.Canceled), false},
		{"context deadline", context.DeadlineExceeded, false},
		{"ErrUnconfirmed alone", did.ErrUnconfirmed, false},
		{"ErrUnconfirmed wrapping an undecided resolution", fmt.Errorf("%w: %w", did.ErrUnconfirmed, noFetcher), true},
		{"ErrUnconfirmed wrapping a finding", fmt.Errorf("%w: %w", did.ErrUnconfirmed, notListed), false},

		{"ChainError, empty", chain(), true},
		{"ChainError, all unsupported", chain(unsupported, unsupported), true},
		{"ChainError, no fetcher", chain(unsupported, notFound, noFetcher), true},
		{"ChainError, not in the caller's map", chain(unsupported, notFound), true},
		{"ChainError, no document", chain(unsupported, noDocument, unsupported), false},
		{"ChainError, no fetcher and no document", chain(noFetcher, noDocument), false},
		{"ChainError, nested", chain(unsupported, chain(notFound, noFetcher)), true},
		{"ChainError, nested, no document", chain(unsupported, chain(noDocument)), false},
		{"ChainError wrapped", fmt.Errorf("proof: %w", chain(noFetcher)), true},
	}
	for _, tt := range tests {
		if got := did.Undecided(tt.err); got != tt.want {
			t.Errorf("%s: Undecided(%v) = %v, want %v", tt.name, tt.err, got, tt.want)
		}
	}
}
