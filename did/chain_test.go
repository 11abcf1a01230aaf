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
	notFound := fmt.Errorf("%w: not here", did.ErrNotFound)
	noFetcher := fmt.Errorf("%w: offline", did.ErrNoFetcher)
	invalid := fmt.Errorf("%w: bad document", did.ErrInvalid)
	network := errors.New("connection reset")

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
			wantIs: []error{did.ErrUnsupported, did.ErrNotFound, did.ErrNoFetcher},
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
	inner := did.Chain{fake{name: "inner", err: did.ErrNotFound, calls: &calls}}
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
		fake{name: "r1", err: did.ErrNotFound, calls: &calls},
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
// touches the network when it resolves without it.
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
		ref     string
		want    did.Binding
		wantErr error
	}{
		{"did:key:" + w3cEd25519, did.BindingSelf, nil},
		{"did:key:" + w3cP384 + "#" + w3cP384, did.BindingSelf, nil},
		{jwkDID, did.BindingSelf, nil},
		{issuer + "#" + obKey, did.BindingDocument, nil},
		{"urn:uuid:4ca4a241-fc3b-4d92-978e-f56fa96ae795#" + obKey, did.BindingAsserted, nil},
		{"http://example.edu/issuers/1#" + obKey, 0, did.ErrInvalid},
		{"did:example:123#" + obKey, did.BindingAsserted, nil},
		{"did:example:123#key-1", 0, did.ErrUnsupported},
		{"did:key:" + w3cEd25519 + "#" + obKey, 0, did.ErrInvalid},
	}
	for _, tt := range tests {
		for name, r := range map[string]did.Resolver{"with fetcher": withFetcher, "offline": offline} {
			vm, err := r.Resolve(context.Background(), tt.ref)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Errorf("%s: Resolve(%s) = %v, want %v", name, tt.ref, err, tt.wantErr)
				}
				continue
			}
			if err != nil || vm.Binding != tt.want {
				t.Errorf("%s: Resolve(%s) = %v, %v; want binding %v", name, tt.ref, vm, err, tt.want)
			}
		}
	}

	// Offline, https and did:web references read their fragment.
	for _, ref := range []string{"https://example.edu/issuers/1#" + obKey, "did:web:example.edu#" + obKey} {
		vm, err := offline.Resolve(context.Background(), ref)
		if err != nil || vm.Binding != did.BindingAsserted {
			t.Errorf("offline: Resolve(%s) = %v, %v; want BindingAsserted", ref, vm, err)
		}
	}
	_, err = offline.Resolve(context.Background(), "did:web:example.edu#key-1")
	if !errors.Is(err, did.ErrNoFetcher) {
		t.Errorf("offline did:web#key-1: %v, want ErrNoFetcher", err)
	}
}

// TestNewResolverConfirms: with a Fetcher, an issuer#publicKeyMultibase
// reference is confirmed from the issuer's document when it lists the key,
// read from the fragment when there is no such document or it does not list
// the key, and refused when the document lists it with another key or the
// fetch fails.
func TestNewResolverConfirms(t *testing.T) {
	const issuer = "https://example.edu/issuers/565049"
	ref := issuer + "#" + obKey
	tests := []struct {
		name    string
		status  int
		body    string
		want    did.Binding
		wantErr string
	}{
		{name: "listed", status: 200, body: string(readFile(t, "testdata/di-eddsa/ob3-1edtech/controller-document.SYNTHESIZED.json")), want: did.BindingDocument},
		{name: "no document", status: http.StatusNotFound, want: did.BindingAsserted},
		{name: "a profile without keys", status: 200, body: `{"id": "` + issuer + `", "type": "Profile"}`, want: did.BindingAsserted},
		{
			name: "listed with another key", status: 200,
			body:    `{"id": "` + issuer + `", "verificationMethod": [` + multikey(ref, issuer, w3cEd25519) + `]}`,
			wantErr: `did: invalid: the document for "https://example.edu/issuers/565049" lists "https://example.edu/issuers/565049#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi" with a key other than the one its fragment names`,
		},
		{
			name: "server error", status: http.StatusServiceUnavailable,
			wantErr: `did: fetching "https://example.edu/issuers/565049" for "https://example.edu/issuers/565049#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi": fetch: "https://example.edu/issuers/565049": status 503 Service Unavailable, want 200`,
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
