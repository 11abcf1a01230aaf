package did_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/did"
	"github.com/go-openbadges/openbadges/keys"
)

// listCase is a controller and what a MethodLister must list for it.
type listCase struct {
	name       string
	controller string
	want       []summary
	wantErr    string
	wantIs     []error
}

func runListCases(t *testing.T, l did.MethodLister, tests []listCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, err := l.Methods(context.Background(), tt.controller)
			checkError(t, err, tt.wantErr)
			for _, target := range tt.wantIs {
				if !errors.Is(err, target) {
					t.Errorf("Methods(%s) error does not wrap %v", tt.controller, target)
				}
			}
			if err != nil {
				if ms != nil {
					t.Errorf("Methods(%s) returned methods with its error", tt.controller)
				}
				return
			}
			var got []summary
			for _, vm := range ms {
				got = append(got, summarize(t, vm))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Methods(%s) (-want +got):\n%s", tt.controller, diff)
			}
		})
	}
}

// findDocMethods are the methods of findDoc(c) that this package reads, in
// the document's order: not the secp256k1, BLS and X25519 keys.
func findDocMethods(c string) []summary {
	return []summary{
		{ID: c + "#auth", Type: "Multikey", Controller: c, Key: w3cEd25519, Binding: did.BindingDocument, Relationships: []string{did.Authentication}},
		{ID: c + "#assert", Type: "Multikey", Controller: c, Key: w3cEd25519, Binding: did.BindingDocument, Relationships: []string{did.AssertionMethod}},
		{ID: c + "#p256", Type: "Multikey", Controller: c, Key: w3cP256, Binding: did.BindingDocument, Relationships: []string{did.AssertionMethod}},
		{ID: c + "#other", Type: "Multikey", Controller: c, Key: w3cP384, Binding: did.BindingDocument},
	}
}

// TestMapMethods lists the methods of documents in a Map: every method the
// document defines under its own id, as Resolve gives it, and nothing from
// a document that is not a controller document, that defines a method
// badly, or whose method's fragment names another key.
func TestMapMethods(t *testing.T) {
	const (
		web    = "did:web:example.edu"
		issuer = "https://example.edu/issuers/1"
	)
	m := did.Map{
		web:    []byte(findDoc(web)),
		issuer: []byte(findDoc(issuer)),
		"did:web:foreign.example": []byte(fmt.Sprintf(`{"id": "did:web:foreign.example", "verificationMethod": [%s], "assertionMethod": ["did:web:other.example#k"]}`,
			multikey("did:web:other.example#k", "did:web:foreign.example", w3cEd25519))),
		"did:web:lying.example": []byte(fmt.Sprintf(`{"id": "did:web:lying.example", "verificationMethod": [%s], "assertionMethod": ["#%s"]}`,
			multikey("#"+obKey, "did:web:lying.example", w3cEd25519), obKey)),
		"did:web:empty.example":    []byte(`{"id": "did:web:empty.example"}`),
		"https://example.edu/jwks": []byte(`{"keys": [` + publicJWK(t, parseKey(t, w3cEd25519), "k") + `]}`),
		"https://example.edu/twice": []byte(fmt.Sprintf(`{"id": "https://example.edu/twice", "verificationMethod": [%s], "assertionMethod": [%s]}`,
			multikey("#k", "https://example.edu/twice", w3cEd25519), multikey("#k", "https://example.edu/twice", w3cP256))),
	}
	runListCases(t, m, []listCase{
		{name: "did:web", controller: web, want: findDocMethods(web)},
		{name: "https", controller: issuer, want: findDocMethods(issuer)},
		{name: "a method of another document's id", controller: "did:web:foreign.example", want: nil},
		{name: "no methods", controller: "did:web:empty.example", want: nil},
		{
			name: "a fragment naming another key", controller: "did:web:lying.example",
			wantErr: `did: invalid: the document for "did:web:lying.example" lists "did:web:lying.example#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi" with a key other than the one its fragment names`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name: "a method defined twice, differently", controller: "https://example.edu/twice",
			wantErr: `did: invalid: the document for "https://example.edu/twice" defines "https://example.edu/twice#k" more than once, differently`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name: "a JWK Set", controller: "https://example.edu/jwks",
			wantErr: `did: invalid: the document for "https://example.edu/jwks" is a JWK, a JWK Set or a lone verification method, not a controller document to look a key up in`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name: "no document", controller: "did:web:none.example",
			wantErr: `did: verification method not found: no document for "did:web:none.example" in the map`,
			wantIs:  []error{did.ErrNoMethod},
		},
	})
}

// TestFetchedMethods lists the methods of a did:web and an https
// controller from their fetched documents, and says why when there is no
// document or no fetcher.
func TestFetchedMethods(t *testing.T) {
	const (
		web    = "did:web:example.edu"
		issuer = "https://example.edu/issuers/1"
	)
	s := newSite(t)
	s.serve("https://example.edu/.well-known/did.json", http.StatusOK, findDoc(web))
	s.serve(issuer, http.StatusOK, findDoc(issuer))
	s.serve("https://example.edu/issuers/down", http.StatusInternalServerError, "")
	runListCases(t, did.Web{Fetcher: serverFetcher{s}}, []listCase{
		{name: "did:web", controller: web, want: findDocMethods(web)},
		{
			name: "not a did:web", controller: issuer,
			wantErr: `did: unsupported reference: "https://example.edu/issuers/1" is not a did:web`,
			wantIs:  []error{did.ErrUnsupported},
		},
	})
	runListCases(t, did.HTTP{Fetcher: serverFetcher{s}}, []listCase{
		{name: "https", controller: issuer, want: findDocMethods(issuer)},
		{
			name: "no document", controller: "https://example.edu/issuers/2",
			wantErr: `did: no document for "https://example.edu/issuers/2" at "https://example.edu/issuers/2": fetch: "https://example.edu/issuers/2": status 404 Not Found, want 200`,
			wantIs:  []error{did.ErrNoMethod, did.ErrNoDocument},
		},
		{
			name: "server error", controller: "https://example.edu/issuers/down",
			wantErr: `did: the document could not be had: fetching "https://example.edu/issuers/down" for "https://example.edu/issuers/down": fetch: "https://example.edu/issuers/down": status 500 Internal Server Error, want 200`,
			wantIs:  []error{did.ErrUnavailable},
		},
		{
			name: "http", controller: "http://example.edu/issuers/1",
			wantErr: `did: invalid: "http://example.edu/issuers/1": controller documents are fetched over https only, never http`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name: "a fragment", controller: issuer + "#key-1",
			wantErr: `did: unsupported reference: "https://example.edu/issuers/1#key-1" is not an https URL without a fragment`,
			wantIs:  []error{did.ErrUnsupported},
		},
	})
	runListCases(t, did.Web{}, []listCase{{
		name: "did:web, no fetcher", controller: web,
		wantErr: `did: no fetcher, and the reference needs the network: "did:web:example.edu" is at https://example.edu/.well-known/did.json`,
		wantIs:  []error{did.ErrNoFetcher},
	}})
	runListCases(t, did.HTTP{}, []listCase{{
		name: "https, no fetcher", controller: issuer,
		wantErr: `did: no fetcher, and the reference needs the network: "https://example.edu/issuers/1"`,
		wantIs:  []error{did.ErrNoFetcher},
	}})
}

// TestChainMethods lists methods through the Chain NewResolver builds: a
// did:key's and a did:jwk's one method, the caller's store, the caller's
// documents; offline, an https controller in neither is undecided.
func TestChainMethods(t *testing.T) {
	const issuer = "https://example.edu/issuers/1"
	const local = "https://example.edu/issuers/local"
	// A P-521 key, which has no Multikey form: a JsonWebKey.
	p521, _, err := keys.ParsePublicJWK([]byte(`{"kty":"EC","crv":"P-521","x":"Ac8mt4TvYd3TOrYtTk_YTQ5QQMpl58OnrU7uRxQEUoOO_6QnRBM0Xan8KQI_0dPKzcKBak0ZSEXcc5SNFUBHYfbP","y":"ADP_cowssurHA7uMHy4IODl247oQjCxZWFX7Gtr3cFmfVIwEyKGegrJh9ooZy5FsvFVbYwAmLKVfGZs7O15RBsO-"}`))
	if err != nil {
		t.Fatal(err)
	}
	store := memLister{memStore{keys: map[string]*keys.Key{
		local + "#key-1": {ID: local + "#key-1", Controller: local, Algorithm: keys.EdDSA, Public: parseKey(t, obKey)},
		local + "#key-2": {ID: local + "#key-2", Controller: local, Algorithm: keys.ES512, Public: p521},
	}}}
	jwkDID, err := keys.DIDJWK(parseKey(t, w3cP256))
	if err != nil {
		t.Fatal(err)
	}
	r := did.NewResolver(did.Options{Store: store, Documents: map[string][]byte{issuer: []byte(findDoc(issuer))}})
	keyURL := "did:key:" + w3cEd25519 + "#" + w3cEd25519
	// The Resolvers' errors after a ChainError's first line, whose
	// reference here is long enough to be shortened.
	each := func(errs ...string) string {
		return strings.TrimPrefix(chainErr("", errs...), `did: no resolver resolved ""`)
	}
	runListCases(t, r, []listCase{
		{name: "did:key", controller: "did:key:" + w3cEd25519, want: []summary{didKeyMethod(w3cEd25519)}},
		{name: "did:jwk", controller: jwkDID, want: []summary{{ID: jwkDID + "#0", Type: "JsonWebKey", Controller: jwkDID, Key: w3cP256, Binding: did.BindingSelf, Relationships: selfRels}}},
		{name: "from the store", controller: local, want: []summary{
			{ID: local + "#key-1", Type: "Multikey", Controller: local, Key: obKey, Binding: did.BindingLocal},
			{ID: local + "#key-2", Type: "JsonWebKey", Controller: local, Key: "jwk:KQsihxP-LTeTZO2ETEfduP153UBIiFRhI8nSklMSmm0", Binding: did.BindingLocal},
		}},
		{name: "from the documents", controller: issuer, want: findDocMethods(issuer)},
		{
			name: "a did:key URL", controller: keyURL,
			wantErr: `did: no resolver resolved ` + quoted(keyURL) + each(
				`did: unsupported reference: `+quoted(keyURL)+` is not a did:key DID`,
				`did: unsupported reference: `+quoted(keyURL)+` is not a did:jwk DID`,
				`did: verification method not found: keys: no such key: no keys of "`+keyURL+`"`,
				`did: verification method not found: no document for `+quoted(keyURL)+` in the map`,
				`did: unsupported reference: `+quoted(keyURL)+` is not a did:web`,
				`did: unsupported reference: `+quoted(keyURL)+` is not an https URL`),
			wantIs: []error{did.ErrUnsupported},
		},
	})
	ms, err := r.Methods(context.Background(), "https://example.edu/issuers/2")
	if ms != nil || !errors.Is(err, did.ErrNoFetcher) || !did.Undecided(err) {
		t.Errorf("offline Methods = %v, %v; want an undecided error wrapping ErrNoFetcher", ms, err)
	}
}
