package did_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/go-openbadges/openbadges/did"
	"github.com/go-openbadges/openbadges/keys"
)

// findCase is a controller and a key, and what a KeyFinder must make of
// them.
type findCase struct {
	name       string
	controller string
	key        string // the publicKeyMultibase of the key looked for
	want       summary
	wantErr    string
	wantIs     []error
	notIs      []error
}

func runFindCases(t *testing.T, f did.KeyFinder, tests []findCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vm, err := f.FindKey(context.Background(), tt.controller, parseKey(t, tt.key))
			checkResolved(t, resolveCase{ref: tt.controller, want: tt.want, wantErr: tt.wantErr, wantIs: tt.wantIs, notIs: tt.notIs}, vm, err)
		})
	}
}

// notListedErr is the error of a controller document that holds no method
// with the key looked for.
func notListedErr(controller string) string {
	return fmt.Sprintf(`did: the controller's document does not list the verification method: the document for %q lists no method with that key`, controller)
}

func TestKeyFindKey(t *testing.T) {
	runFindCases(t, did.Key{}, []findCase{
		{name: "Ed25519", controller: "did:key:" + w3cEd25519, key: w3cEd25519, want: didKeyMethod(w3cEd25519)},
		{name: "P-384", controller: "did:key:" + w3cP384, key: w3cP384, want: didKeyMethod(w3cP384)},
		{
			name:       "another key",
			controller: "did:key:" + w3cEd25519,
			key:        obKey,
			wantErr:    `did: the controller's document does not list the verification method: the key of "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2" is another key`,
			wantIs:     []error{did.ErrNotListed},
		},
		{
			name:       "not a did:key",
			controller: "did:web:example.edu",
			key:        w3cEd25519,
			wantErr:    `did: unsupported reference: "did:web:example.edu" is not a did:key`,
			wantIs:     []error{did.ErrUnsupported},
		},
		{
			name:       "invalid did:key",
			controller: "did:key:z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq",
			key:        w3cEd25519,
			wantErr:    `did: invalid: did:key: ` + keysMessage,
			wantIs:     []error{did.ErrInvalid},
		},
	})
}

func TestJWKFindKey(t *testing.T) {
	id, err := keys.DIDJWK(parseKey(t, w3cP256))
	if err != nil {
		t.Fatal(err)
	}
	runFindCases(t, did.JWK{}, []findCase{
		{
			name: "P-256", controller: id, key: w3cP256,
			want: summary{ID: id + "#0", Type: "JsonWebKey", Controller: id, Key: w3cP256, Binding: did.BindingSelf, Relationships: selfRels},
		},
		{
			name:       "another key",
			controller: id,
			key:        w3cP384,
			wantErr:    `did: the controller's document does not list the verification method: the key of ` + quoted(id) + ` is another key`,
			wantIs:     []error{did.ErrNotListed},
		},
		{
			name:       "not a did:jwk",
			controller: "did:key:" + w3cP256,
			key:        w3cP256,
			wantErr:    `did: unsupported reference: "did:key:zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP" is not a did:jwk`,
			wantIs:     []error{did.ErrUnsupported},
		},
	})
}

// quoted quotes s as the package's errors do: shortened past 100 bytes.
func quoted(s string) string {
	if len(s) > 100 {
		return fmt.Sprintf("%q…", s[:100])
	}
	return fmt.Sprintf("%q", s)
}

// memLister is a memStore that can list a controller's keys.
type memLister struct{ memStore }

func (l memLister) Keys(ctx context.Context, controller string) ([]*keys.Key, error) {
	if l.err != nil {
		return nil, l.err
	}
	var ks []*keys.Key
	for _, k := range l.keys {
		if k.Controller == controller {
			ks = append(ks, k)
		}
	}
	if len(ks) == 0 {
		return nil, fmt.Errorf("%w: no keys of %q", keys.ErrNoKey, controller)
	}
	sort.Slice(ks, func(i, j int) bool { return ks[i].ID < ks[j].ID })
	return ks, nil
}

func TestStoreResolverFindKey(t *testing.T) {
	const issuer = "https://example.edu/issuers/1"
	store := memLister{memStore{keys: map[string]*keys.Key{
		issuer + "#key-1": {ID: issuer + "#key-1", Controller: issuer, Algorithm: keys.EdDSA, Public: parseKey(t, w3cEd25519)},
		issuer + "#key-2": {ID: issuer + "#key-2", Controller: issuer, Algorithm: keys.ES256, Public: parseKey(t, w3cP256)},
		"other#key-1":     {ID: "other#key-1", Controller: "other", Algorithm: keys.EdDSA, Public: parseKey(t, obKey)},
	}}}
	runFindCases(t, did.StoreResolver{Store: store}, []findCase{
		{
			name: "found", controller: issuer, key: w3cP256,
			want: summary{ID: issuer + "#key-2", Type: "Multikey", Controller: issuer, Key: w3cP256, Binding: did.BindingLocal},
		},
		{
			name: "another controller's key", controller: issuer, key: obKey,
			wantErr: `did: verification method not found: the key store holds no such key of "https://example.edu/issuers/1"`,
			wantIs:  []error{did.ErrNoMethod},
			notIs:   []error{did.ErrNotListed},
		},
		{
			name: "no keys of the controller", controller: "https://example.edu/issuers/2", key: obKey,
			wantErr: `did: verification method not found: keys: no such key: no keys of "https://example.edu/issuers/2"`,
			wantIs:  []error{did.ErrNoMethod, keys.ErrNoKey},
		},
	})
	// A store that lists another controller's key among the issuer's.
	mixedUp := memLister{memStore{keys: map[string]*keys.Key{
		issuer + "#key-1": {ID: issuer + "#key-1", Controller: issuer, Algorithm: keys.EdDSA, Public: parseKey(t, w3cEd25519)},
		"other#key-1":     {ID: "other#key-1", Controller: "other", Algorithm: keys.EdDSA, Public: parseKey(t, obKey)},
	}}}
	runFindCases(t, did.StoreResolver{Store: listsAll{mixedUp}}, []findCase{{
		name: "a store listing another controller's key", controller: issuer, key: obKey,
		wantErr: `did: key store: listed "other#key-1" among the keys of "https://example.edu/issuers/1", a key of "other"`,
		notIs:   []error{did.ErrNoMethod, did.ErrNotListed},
	}})
	outage := errors.New("kms: unavailable")
	runFindCases(t, did.StoreResolver{Store: memLister{memStore{err: outage}}}, []findCase{{
		name: "store failure", controller: issuer, key: w3cP256,
		wantErr: `did: key store: listing the keys of "https://example.edu/issuers/1": kms: unavailable`,
		wantIs:  []error{outage},
	}})
	runFindCases(t, did.StoreResolver{Store: store.memStore}, []findCase{{
		name: "a store that cannot list", controller: issuer, key: w3cP256,
		wantErr: `did: unsupported reference: the key store cannot list keys`,
		wantIs:  []error{did.ErrUnsupported},
	}})
	runFindCases(t, did.StoreResolver{}, []findCase{{
		name: "no store", controller: issuer, key: w3cP256,
		wantErr: `did: unsupported reference: the key store cannot list keys`,
		wantIs:  []error{did.ErrUnsupported},
	}})
}

// findDoc is a controller document for c with one key under several
// methods, the first of them not authorized for assertionMethod, and keys
// of types this package does not read.
func findDoc(c string) string {
	return fmt.Sprintf(`{"id": %q,
	  "verificationMethod": [%s, %s, %s, %s,
	    {"id": "#secp", "type": "JsonWebKey", "controller": %q, "publicKeyJwk": {"kty": "EC", "crv": "secp256k1", "x": "WfY7Px6AgH6x-_dgAoRbg8weYRJA36ON-gQiFnETrqw", "y": "lIBzT5LinS0VHlx84EgMZF5JY86PJpFkS0X7exrLnOc"}},
	    {"id": "#bls", "type": "Bls12381G2Key2020", "controller": %q, "publicKeyBase58": "25EEkQtcLKsEzQ6JTo9cg4W7NHpaurn4Wg6LaNPFq6JQXnrP91SDviupBAG2jiZr"}],
	  "authentication": ["#auth"],
	  "assertionMethod": ["#assert", "#p256"],
	  "keyAgreement": [{"id": "#x25519", "type": "Multikey", "controller": %q, "publicKeyMultibase": "z6LSbysY2xFMRpGMhb7tFTLMpeuPRaqaWM1yECx2AtzE3KCc"}]}`,
		c,
		multikey("#auth", c, w3cEd25519), multikey("#assert", c, w3cEd25519), multikey("#p256", c, w3cP256), multikey("#other", c, w3cP384),
		c, c, c)
}

// findCases are the cases every KeyFinder of documents must agree on, for a
// controller c that publishes findDoc(c).
func findCases(c string) []findCase {
	return []findCase{
		{
			name: "the assertionMethod one of two", controller: c, key: w3cEd25519,
			want: summary{ID: c + "#assert", Type: "Multikey", Controller: c, Key: w3cEd25519, Binding: did.BindingDocument, Relationships: []string{did.AssertionMethod}},
		},
		{
			name: "in assertionMethod", controller: c, key: w3cP256,
			want: summary{ID: c + "#p256", Type: "Multikey", Controller: c, Key: w3cP256, Binding: did.BindingDocument, Relationships: []string{did.AssertionMethod}},
		},
		{
			name: "under no relationship", controller: c, key: w3cP384,
			want: summary{ID: c + "#other", Type: "Multikey", Controller: c, Key: w3cP384, Binding: did.BindingDocument},
		},
		{
			name: "another key", controller: c, key: obKey,
			wantErr: notListedErr(c),
			wantIs:  []error{did.ErrNotListed},
			notIs:   []error{did.ErrNoMethod},
		},
	}
}

func TestMapFindKey(t *testing.T) {
	const (
		web    = "did:web:example.edu"
		issuer = "https://example.edu/issuers/1"
	)
	only := func(c, rel string) string {
		return fmt.Sprintf(`{"id": %q, "verificationMethod": [%s], %q: ["#k"]}`, c, multikey("#k", c, w3cEd25519), rel)
	}
	m := did.Map{
		web:    []byte(findDoc(web)),
		issuer: []byte(findDoc(issuer)),
		// Only under authentication: found, for what it is.
		"did:web:auth.example": []byte(only("did:web:auth.example", did.Authentication)),
		// A DID resolution result.
		"did:web:result.example": []byte(`{"didDocument": ` + only("did:web:result.example", did.AssertionMethod) + `, "didDocumentMetadata": {}}`),
		// A method whose id is in another document: Resolve would never
		// read it here.
		"did:web:foreign.example": []byte(fmt.Sprintf(`{"id": "did:web:foreign.example", "verificationMethod": [%s], "assertionMethod": ["did:web:other.example#k"]}`,
			multikey("did:web:other.example#k", "did:web:foreign.example", w3cEd25519))),
		// A method whose fragment names another key than it holds: Resolve
		// refuses it, and so does FindKey.
		"did:web:lying.example": []byte(fmt.Sprintf(`{"id": "did:web:lying.example", "verificationMethod": [%s], "assertionMethod": ["#%s"]}`,
			multikey("#"+obKey, "did:web:lying.example", w3cEd25519), obKey)),
		// A method with a key that does not decode.
		"did:web:bad.example": []byte(fmt.Sprintf(`{"id": "did:web:bad.example", "verificationMethod": [%s, %s]}`,
			multikey("#k", "did:web:bad.example", w3cEd25519), multikey("#bad", "did:web:bad.example", "z6MkjZRsdasZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"))),
		// Documents that are no controller documents.
		"https://example.edu/jwks":   []byte(`{"keys": [` + publicJWK(t, parseKey(t, w3cEd25519), "k") + `]}`),
		"https://example.edu/jwk":    []byte(publicJWK(t, parseKey(t, w3cEd25519), "k")),
		"https://example.edu/mixed":  []byte(`{"id": "https://example.edu/mixed", "verificationMethod": [` + multikey("#k", "https://example.edu/mixed", w3cEd25519) + `], "keys": []}`),
		"https://example.edu/wrong":  []byte(`{"id": "https://example.edu/other", "verificationMethod": []}`),
		"https://example.edu/script": []byte(`<script>`),
	}
	tests := append(findCases(web), findCases(issuer)...)
	tests = append(tests,
		findCase{
			name: "only under authentication", controller: "did:web:auth.example", key: w3cEd25519,
			want: summary{ID: "did:web:auth.example#k", Type: "Multikey", Controller: "did:web:auth.example", Key: w3cEd25519, Binding: did.BindingDocument, Relationships: []string{did.Authentication}},
		},
		findCase{
			name: "a DID resolution result", controller: "did:web:result.example", key: w3cEd25519,
			want: summary{ID: "did:web:result.example#k", Type: "Multikey", Controller: "did:web:result.example", Key: w3cEd25519, Binding: did.BindingDocument, Relationships: []string{did.AssertionMethod}},
		},
		findCase{
			name: "no document", controller: "did:web:none.example", key: w3cEd25519,
			wantErr: `did: verification method not found: no document for "did:web:none.example" in the map`,
			wantIs:  []error{did.ErrNoMethod},
		},
		findCase{
			name: "a method of another document's id", controller: "did:web:foreign.example", key: w3cEd25519,
			wantErr: notListedErr("did:web:foreign.example"),
			wantIs:  []error{did.ErrNotListed},
		},
		findCase{
			name: "a fragment naming another key", controller: "did:web:lying.example", key: w3cEd25519,
			wantErr: `did: invalid: the document for "did:web:lying.example" lists "did:web:lying.example#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi" with a key other than the one its fragment names`,
			wantIs:  []error{did.ErrInvalid},
		},
		findCase{
			name: "another method's key does not decode", controller: "did:web:bad.example", key: w3cEd25519,
			wantErr: `did: invalid: verification method "did:web:bad.example#bad": publicKeyMultibase: ` + keysMessage,
			wantIs:  []error{did.ErrInvalid, keys.ErrMultibase},
		},
		findCase{
			name: "a JWK Set", controller: "https://example.edu/jwks", key: w3cEd25519,
			wantErr: `did: invalid: the document for "https://example.edu/jwks" is a JWK, a JWK Set or a lone verification method, not a controller document to look a key up in`,
			wantIs:  []error{did.ErrInvalid},
		},
		findCase{
			name: "a JWK", controller: "https://example.edu/jwk", key: w3cEd25519,
			wantErr: `did: invalid: the document for "https://example.edu/jwk" is a JWK, a JWK Set or a lone verification method, not a controller document to look a key up in`,
			wantIs:  []error{did.ErrInvalid},
		},
		findCase{
			// Resolve reads it as a JWK Set, so FindKey does not read it
			// as a controller document.
			name: "a controller document with keys", controller: "https://example.edu/mixed", key: w3cEd25519,
			wantErr: `did: invalid: the document for "https://example.edu/mixed" is a JWK, a JWK Set or a lone verification method, not a controller document to look a key up in`,
			wantIs:  []error{did.ErrInvalid},
		},
		findCase{
			name: "another id", controller: "https://example.edu/wrong", key: w3cEd25519,
			wantErr: `did: invalid: the document for "https://example.edu/wrong" has id "https://example.edu/other": a document must be for the DID or URL it was retrieved for`,
			wantIs:  []error{did.ErrInvalid},
		},
		findCase{
			name: "not JSON", controller: "https://example.edu/script", key: w3cEd25519,
			wantErr: `did: invalid: the document for "https://example.edu/script": invalid JSON at byte 1: invalid character '<' looking for beginning of value`,
			wantIs:  []error{did.ErrInvalid},
		},
	)
	runFindCases(t, m, tests)

	// The key types FindKey skips are ones Resolve says it does not read.
	runResolveCases(t, m, []resolveCase{
		{
			name:    "Resolve: X25519 Multikey",
			ref:     web + "#x25519",
			wantErr: `did: invalid: verification method "did:web:example.edu#x25519": publicKeyMultibase: keys: invalid Multikey encoding: unknown multicodec 0xec (keys: unsupported key)`,
			wantIs:  []error{did.ErrInvalid, keys.ErrMultibase, keys.ErrUnsupportedKey},
		},
		{
			name:    "Resolve: secp256k1 JWK",
			ref:     web + "#secp",
			wantErr: `did: invalid: verification method "did:web:example.edu#secp": publicKeyJwk: ` + keysMessage,
			wantIs:  []error{did.ErrInvalid, keys.ErrJWK, keys.ErrUnsupportedKey},
		},
		{
			name:    "Resolve: Bls12381G2Key2020",
			ref:     web + "#bls",
			wantErr: `keys: unsupported key: verification method "did:web:example.edu#bls" is of type "Bls12381G2Key2020"; this package reads Multikey, JsonWebKey, JsonWebKey2020 and Ed25519VerificationKey2020`,
			wantIs:  []error{keys.ErrUnsupportedKey},
		},
		{
			// A value that does not decode is no key type: invalid.
			name:    "Resolve: a key that does not decode",
			ref:     "did:web:bad.example#bad",
			wantErr: `did: invalid: verification method "did:web:bad.example#bad": publicKeyMultibase: ` + keysMessage,
			wantIs:  []error{did.ErrInvalid, keys.ErrMultibase},
			notIs:   []error{keys.ErrUnsupportedKey},
		},
	})

	// Which method is preferred does not depend on the order of the
	// document.
	const c = "did:web:order.example"
	for _, vms := range [][]string{
		{multikey("#a", c, w3cEd25519), multikey("#b", c, w3cEd25519)},
		{multikey("#b", c, w3cEd25519), multikey("#a", c, w3cEd25519)},
	} {
		doc := fmt.Sprintf(`{"id": %q, "verificationMethod": [%s], "authentication": ["#a"], "assertionMethod": ["#b"]}`, c, strings.Join(vms, ", "))
		runFindCases(t, did.Map{c: []byte(doc)}, []findCase{{
			name: "order", controller: c, key: w3cEd25519,
			want: summary{ID: c + "#b", Type: "Multikey", Controller: c, Key: w3cEd25519, Binding: did.BindingDocument, Relationships: []string{did.AssertionMethod}},
		}})
	}
}

func TestWebFindKey(t *testing.T) {
	const d = "did:web:example.edu"
	s := newSite(t)
	s.serve("https://example.edu/.well-known/did.json", http.StatusOK, findDoc(d))
	s.serve("https://example.edu/down/did.json", http.StatusServiceUnavailable, "")
	s.serve("https://example.edu/gone/did.json", http.StatusGone, "")
	w := did.Web{Fetcher: serverFetcher{s}}
	runFindCases(t, w, append(findCases(d),
		findCase{
			name: "no document", controller: "did:web:example.edu:gone", key: w3cEd25519,
			wantErr: `did: no document for "did:web:example.edu:gone" at "https://example.edu/gone/did.json": fetch: "https://example.edu/gone/did.json": status 410 Gone, want 200`,
			wantIs:  []error{did.ErrNoMethod, did.ErrNoDocument},
		},
		findCase{
			name: "server error", controller: "did:web:example.edu:down", key: w3cEd25519,
			wantErr: `did: the document could not be had: fetching "https://example.edu/down/did.json" for "did:web:example.edu:down": fetch: "https://example.edu/down/did.json": status 503 Service Unavailable, want 200`,
			wantIs:  []error{did.ErrUnavailable},
			notIs:   []error{did.ErrNoMethod},
		},
		findCase{
			name: "a DID URL", controller: d + "#key-1", key: w3cEd25519,
			wantErr: `did: invalid: "did:web:example.edu#key-1" is a DID URL; WebURL takes a did:web DID, without path, query or fragment`,
			wantIs:  []error{did.ErrInvalid},
		},
		findCase{
			name: "not a did:web", controller: "https://example.edu", key: w3cEd25519,
			wantErr: `did: unsupported reference: "https://example.edu" is not a did:web`,
			wantIs:  []error{did.ErrUnsupported},
		},
	))
	runFindCases(t, did.Web{}, []findCase{{
		name: "no fetcher", controller: d, key: w3cEd25519,
		wantErr: `did: no fetcher, and the reference needs the network: "did:web:example.edu" is at https://example.edu/.well-known/did.json`,
		wantIs:  []error{did.ErrNoFetcher},
	}})
}

func TestHTTPFindKey(t *testing.T) {
	const issuer = "https://example.edu/issuers/1"
	s := newSite(t)
	s.serve(issuer, http.StatusOK, findDoc(issuer))
	s.serve("https://example.edu/issuers/down", http.StatusInternalServerError, "")
	h := did.HTTP{Fetcher: serverFetcher{s}}
	runFindCases(t, h, append(findCases(issuer),
		findCase{
			name: "no document", controller: "https://example.edu/issuers/2", key: w3cEd25519,
			wantErr: `did: no document for "https://example.edu/issuers/2" at "https://example.edu/issuers/2": fetch: "https://example.edu/issuers/2": status 404 Not Found, want 200`,
			wantIs:  []error{did.ErrNoMethod, did.ErrNoDocument},
		},
		findCase{
			name: "server error", controller: "https://example.edu/issuers/down", key: w3cEd25519,
			wantErr: `did: the document could not be had: fetching "https://example.edu/issuers/down" for "https://example.edu/issuers/down": fetch: "https://example.edu/issuers/down": status 500 Internal Server Error, want 200`,
			wantIs:  []error{did.ErrUnavailable},
		},
		findCase{
			name: "http", controller: "http://example.edu/issuers/1", key: w3cEd25519,
			wantErr: `did: invalid: "http://example.edu/issuers/1": controller documents are fetched over https only, never http`,
			wantIs:  []error{did.ErrInvalid},
		},
		findCase{
			name: "a fragment", controller: issuer + "#key-1", key: w3cEd25519,
			wantErr: `did: unsupported reference: "https://example.edu/issuers/1#key-1" is not an https URL without a fragment`,
			wantIs:  []error{did.ErrUnsupported},
		},
		findCase{
			name: "userinfo", controller: "https://user:pw@example.edu/issuers/1", key: w3cEd25519,
			wantErr: `did: invalid: "https://user:xxxxx@example.edu/issuers/1": a URL with userinfo is never fetched`,
			wantIs:  []error{did.ErrInvalid},
		},
		findCase{
			name: "not https", controller: "did:web:example.edu", key: w3cEd25519,
			wantErr: `did: unsupported reference: "did:web:example.edu" is not an https URL`,
			wantIs:  []error{did.ErrUnsupported},
		},
	))
	runFindCases(t, did.HTTP{}, []findCase{{
		name: "no fetcher", controller: issuer, key: w3cEd25519,
		wantErr: `did: no fetcher, and the reference needs the network: "https://example.edu/issuers/1"`,
		wantIs:  []error{did.ErrNoFetcher},
	}})
}

func TestChainFindKey(t *testing.T) {
	const issuer = "https://example.edu/issuers/1"
	ctx := context.Background()
	store := memLister{memStore{keys: map[string]*keys.Key{
		issuer + "#local": {ID: issuer + "#local", Controller: issuer, Algorithm: keys.EdDSA, Public: parseKey(t, obKey)},
	}}}
	r := did.NewResolver(did.Options{Fetcher: noFetch(t), Store: store, Documents: map[string][]byte{issuer: []byte(findDoc(issuer))}})
	runFindCases(t, r, []findCase{
		{name: "did:key", controller: "did:key:" + w3cEd25519, key: w3cEd25519, want: didKeyMethod(w3cEd25519)},
		{
			name: "from the store", controller: issuer, key: obKey,
			want: summary{ID: issuer + "#local", Type: "Multikey", Controller: issuer, Key: obKey, Binding: did.BindingLocal},
		},
		{
			name: "from the documents", controller: issuer, key: w3cEd25519,
			want: summary{ID: issuer + "#assert", Type: "Multikey", Controller: issuer, Key: w3cEd25519, Binding: did.BindingDocument, Relationships: []string{did.AssertionMethod}},
		},
		{
			// The store does not hold it (the next one tries); the document
			// does not list it (a finding: the chain stops).
			name: "in neither", controller: issuer, key: "z6MktgKTsu1QhX6QPbyqG6geXdw6FQCZBPq7uQpieWbiQiG7",
			wantErr: notListedErr(issuer),
			wantIs:  []error{did.ErrNotListed},
		},
		{
			name: "did:key, another key", controller: "did:key:" + w3cEd25519, key: obKey,
			wantErr: `did: the controller's document does not list the verification method: the key of "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2" is another key`,
			wantIs:  []error{did.ErrNotListed},
		},
		{
			name: "handled by none", controller: "urn:example:issuer", key: obKey,
			wantErr: chainErr("urn:example:issuer",
				`did: unsupported reference: "urn:example:issuer" is not a did:key`,
				`did: unsupported reference: "urn:example:issuer" is not a did:jwk`,
				`did: verification method not found: keys: no such key: no keys of "urn:example:issuer"`,
				`did: verification method not found: no document for "urn:example:issuer" in the map`,
				`did: unsupported reference: "urn:example:issuer" is not a did:web`,
				`did: unsupported reference: "urn:example:issuer" is not an https URL`),
			wantIs: []error{did.ErrUnsupported, did.ErrNoMethod},
		},
	})

	// Offline, a did:web or https controller not in the documents is
	// undecided.
	offline := did.NewResolver(did.Options{})
	for _, c := range []string{"did:web:example.edu", "https://example.edu/issuers/2"} {
		vm, err := offline.FindKey(ctx, c, parseKey(t, w3cEd25519))
		var ce *did.ChainError
		if vm != nil || !errors.As(err, &ce) || !errors.Is(err, did.ErrNoFetcher) || !did.Undecided(err) {
			t.Errorf("offline FindKey(%s) = %v, %v; want a ChainError wrapping ErrNoFetcher, undecided", c, vm, err)
		}
	}

	// Resolvers that are not KeyFinders, such as Fragment (which would
	// only echo the key back) and a ResolverFunc, and nil entries, are
	// skipped; a nested Chain is asked.
	var calls int
	fn := did.ResolverFunc(func(ctx context.Context, ref string) (*did.VerificationMethod, error) {
		calls++
		return nil, did.ErrUnsupported
	})
	vm, err := did.Chain{did.Fragment{}, fn, nil}.FindKey(ctx, issuer+"#"+obKey, parseKey(t, obKey))
	checkResolved(t, resolveCase{ref: issuer, wantErr: `did: no resolver resolved "https://example.edu/issuers/1#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi": the chain is empty`, wantIs: []error{did.ErrUnsupported}}, vm, err)
	if calls != 0 || !did.Undecided(err) {
		t.Errorf("a Chain of no KeyFinders: %d calls, Undecided %v; want 0 calls, undecided", calls, did.Undecided(err))
	}
	vm, err = did.Chain{did.Fragment{}, did.Chain{did.Key{}}}.FindKey(ctx, "did:key:"+w3cEd25519, parseKey(t, w3cEd25519))
	checkResolved(t, resolveCase{ref: "did:key:" + w3cEd25519, want: didKeyMethod(w3cEd25519)}, vm, err)

	// A canceled context stops the Chain before its next KeyFinder.
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = r.FindKey(canceled, issuer, parseKey(t, w3cEd25519))
	checkResolved(t, resolveCase{ref: issuer, wantErr: `did: finding a key of "https://example.edu/issuers/1": context canceled`, wantIs: []error{context.Canceled}}, nil, err)
	if did.Undecided(err) {
		t.Errorf("Undecided(%v) = true", err)
	}
}

var _ keys.Lister = memLister{}

// listsAll is a faulty keys.Lister that lists every key it holds, whatever
// controller it is asked for.
type listsAll struct{ memLister }

func (l listsAll) Keys(ctx context.Context, controller string) ([]*keys.Key, error) {
	var ks []*keys.Key
	for _, k := range l.keys {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool { return ks[i].ID < ks[j].ID })
	return ks, nil
}
