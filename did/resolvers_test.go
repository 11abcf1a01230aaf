package did_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/did"
	"github.com/go-openbadges/openbadges/keys"
)

// resolveCase is a reference, and what a Resolver must make of it.
type resolveCase struct {
	name    string
	ref     string
	want    summary
	wantErr string
	wantIs  []error
	notIs   []error // errors it must not wrap
}

func runResolveCases(t *testing.T, r did.Resolver, tests []resolveCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vm, err := r.Resolve(context.Background(), tt.ref)
			checkResolved(t, tt, vm, err)
		})
	}
}

// checkResolved compares what Resolve returned with what tt expects.
func checkResolved(t *testing.T, tt resolveCase, vm *did.VerificationMethod, err error) {
	t.Helper()
	checkError(t, err, tt.wantErr)
	for _, target := range tt.wantIs {
		if !errors.Is(err, target) {
			t.Errorf("Resolve(%s) error does not wrap %v", tt.ref, target)
		}
	}
	for _, target := range tt.notIs {
		if errors.Is(err, target) {
			t.Errorf("Resolve(%s) error wraps %v", tt.ref, target)
		}
	}
	if err != nil {
		if vm != nil {
			t.Errorf("Resolve(%s) returned a method with its error", tt.ref)
		}
		return
	}
	if diff := cmp.Diff(tt.want, summarize(t, vm)); diff != "" {
		t.Errorf("Resolve(%s) (-want +got):\n%s", tt.ref, diff)
	}
}

func TestKey(t *testing.T) {
	runResolveCases(t, did.Key{}, []resolveCase{
		{name: "Ed25519", ref: "did:key:" + w3cEd25519 + "#" + w3cEd25519, want: didKeyMethod(w3cEd25519)},
		{name: "P-256, bare DID", ref: "did:key:" + w3cP256, want: didKeyMethod(w3cP256)},
		{name: "P-384", ref: "did:key:" + w3cP384 + "#" + w3cP384, want: didKeyMethod(w3cP384)},
		{
			name:    "fragment names another key",
			ref:     "did:key:" + w3cEd25519 + "#" + obKey,
			wantErr: `did: invalid: did:key: ` + keysMessage,
			wantIs:  []error{did.ErrInvalid, keys.ErrDID},
		},
		{
			name:    "path",
			ref:     "did:key:" + w3cEd25519 + "/path",
			wantErr: `did: invalid: did:key: ` + keysMessage,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name:    "secret key",
			ref:     "did:key:z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq",
			wantErr: `did: invalid: did:key: ` + keysMessage,
			wantIs:  []error{did.ErrInvalid, keys.ErrMultibase},
		},
		{
			name:    "not a did:key",
			ref:     "did:jwk:eyJ9",
			wantErr: `did: unsupported reference: "did:jwk:eyJ9" is not a did:key`,
			wantIs:  []error{did.ErrUnsupported},
		},
	})
}

func TestJWK(t *testing.T) {
	p256 := parseKey(t, w3cP256)
	id, err := keys.DIDJWK(p256)
	if err != nil {
		t.Fatal(err)
	}
	enc := func(jwk string) string { return "did:jwk:" + base64.RawURLEncoding.EncodeToString([]byte(jwk)) }
	private := enc(`{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"}`)
	runResolveCases(t, did.JWK{}, []resolveCase{
		{
			name: "P-256",
			ref:  id + "#0",
			want: summary{ID: id + "#0", Type: "JsonWebKey", Controller: id, Key: w3cP256, Binding: did.BindingSelf, Relationships: selfRels},
		},
		{
			name: "bare DID",
			ref:  id,
			want: summary{ID: id + "#0", Type: "JsonWebKey", Controller: id, Key: w3cP256, Binding: did.BindingSelf, Relationships: selfRels},
		},
		{
			name:    "private members",
			ref:     private + "#0",
			wantErr: `did: invalid: did:jwk "` + private[:100] + `"…: ` + keysMessage,
			wantIs:  []error{did.ErrInvalid, keys.ErrJWK},
		},
		{
			name:    "fragment other than 0",
			ref:     id + "#1",
			wantErr: `did: invalid: did:jwk "` + (id + "#1")[:100] + `"…: ` + keysMessage,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name:    "not a did:jwk",
			ref:     "did:key:" + w3cP256,
			wantErr: `did: unsupported reference: "did:key:zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP" is not a did:jwk`,
			wantIs:  []error{did.ErrUnsupported},
		},
	})
}

func TestFragment(t *testing.T) {
	asserted := func(ref string, key string) summary {
		base, _, _ := strings.Cut(ref, "#")
		return summary{ID: ref, Type: "Multikey", Controller: base, Key: key, Binding: did.BindingAsserted}
	}
	runResolveCases(t, did.Fragment{}, []resolveCase{
		{name: "https", ref: "https://example.com/issuers/876543#" + obKey, want: asserted("https://example.com/issuers/876543#"+obKey, obKey)},
		{name: "urn:uuid", ref: "urn:uuid:4ca4a241-fc3b-4d92-978e-f56fa96ae795#" + obKey, want: asserted("urn:uuid:4ca4a241-fc3b-4d92-978e-f56fa96ae795#"+obKey, obKey)},
		{name: "did:web", ref: "did:web:example.edu#" + w3cP256, want: asserted("did:web:example.edu#"+w3cP256, w3cP256)},
		{name: "P-384", ref: "https://example.edu/issuers/1#" + w3cP384, want: asserted("https://example.edu/issuers/1#"+w3cP384, w3cP384)},
		{
			name:    "bad key",
			ref:     "https://example.edu/issuers/565049#z6MkjZRsdasZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi",
			wantErr: `did: invalid: the fragment of "https://example.edu/issuers/565049#z6MkjZRsdasZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi": ` + keysMessage,
			wantIs:  []error{did.ErrInvalid, keys.ErrMultibase},
		},
		{
			name:    "secret key",
			ref:     "https://example.edu/issuers/1#z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq",
			wantErr: `did: invalid: the fragment of "https://example.edu/issuers/1#z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq": ` + keysMessage,
			wantIs:  []error{did.ErrInvalid, keys.ErrMultibase},
		},
		{
			name:    "not a multibase fragment",
			ref:     "https://example.edu/issuers/1#key-1",
			wantErr: `did: unsupported reference: the fragment of "https://example.edu/issuers/1#key-1" is not a publicKeyMultibase`,
			wantIs:  []error{did.ErrUnsupported},
		},
		{
			name:    "no fragment",
			ref:     "https://example.edu/issuers/1",
			wantErr: `did: unsupported reference: "https://example.edu/issuers/1" has no fragment to read a key from`,
			wantIs:  []error{did.ErrUnsupported},
		},
		{
			name:    "no scheme",
			ref:     "/issuers/1#" + obKey,
			wantErr: `did: unsupported reference: "/issuers/1#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi" is not an absolute URL or a DID`,
			wantIs:  []error{did.ErrUnsupported},
		},
		{
			name:    "did:key",
			ref:     "did:key:" + w3cEd25519 + "#" + obKey,
			wantErr: `did: unsupported reference: "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXb"… is a did:key; its key is in the DID`,
			wantIs:  []error{did.ErrUnsupported},
		},
		{
			name:    "invalid DID",
			ref:     "did:web:exa mple.edu#" + obKey,
			wantErr: `did: invalid: "did:web:exa mple.edu#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi": character 0x20 has no place in a DID`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name:    "space",
			ref:     "https://example.edu/a b#" + obKey,
			wantErr: `did: invalid: "https://example.edu/a b#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi": byte 0x20 at 21 has no place in a DID or URL`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name:    "empty URL",
			ref:     "https:#" + obKey,
			wantErr: `did: invalid: "https:" is not a URL`,
			wantIs:  []error{did.ErrInvalid},
		},
	})
}

func TestMap(t *testing.T) {
	const (
		issuer = "https://example.edu/issuers/565049"
		webDID = "did:web:dc.1edtech.org:wellspring2022:wellspring-portal:org:da1e96e9-afcc-4eed-b9a2-2ddf7353214c"
	)
	m := did.Map{
		issuer:                    readFile(t, "testdata/di-eddsa/ob3-1edtech/controller-document.SYNTHESIZED.json"),
		webDID:                    readFile(t, "testdata/synthesized/did-web-1edtech.json"),
		"https://example.edu/jwk": []byte(publicJWK(t, parseKey(t, w3cP256), "k")),
		"did:web:example.edu":     []byte(publicJWK(t, parseKey(t, w3cP256), "k")),
		"did:web:exa mple.edu":    []byte(`{}`),
		"https://exa mple.edu":    []byte(`{}`),
		"https://example.edu/big": []byte(`{"id": "https://example.edu/big", "x": "` + strings.Repeat("x", did.MaxDocumentSize) + `"}`),
	}
	runResolveCases(t, m, []resolveCase{
		{
			name: "controller document",
			ref:  issuer + "#" + obKey,
			want: summary{ID: issuer + "#" + obKey, Type: "Multikey", Controller: issuer, Key: obKey, Binding: did.BindingDocument, Relationships: []string{did.AssertionMethod}},
		},
		{
			name: "DID document",
			ref:  webDID + "#" + obKey,
			want: summary{ID: webDID + "#" + obKey, Type: "Multikey", Controller: webDID, Key: obKey, Binding: did.BindingDocument, Relationships: []string{did.AssertionMethod}},
		},
		{
			name: "JWK at a URL",
			ref:  "https://example.edu/jwk#k",
			want: summary{ID: "https://example.edu/jwk#k", Type: "JsonWebKey", Controller: "https://example.edu/jwk", Key: w3cP256, Binding: did.BindingDocument},
		},
		{
			name:    "a DID's document must be a DID document",
			ref:     "did:web:example.edu#k",
			wantErr: `did: invalid: the document for "did:web:example.edu" has id "": a document must be for the DID or URL it was retrieved for`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name:    "no such method",
			ref:     issuer + "#key-1",
			wantErr: `did: the controller's document does not list the verification method: the document for "https://example.edu/issuers/565049" does not list "https://example.edu/issuers/565049#key-1"`,
			wantIs:  []error{did.ErrNotListed},
			notIs:   []error{did.ErrNoMethod},
		},
		{
			name:    "no document",
			ref:     "https://example.edu/issuers/1#key-1",
			wantErr: `did: verification method not found: no document for "https://example.edu/issuers/1" in the map`,
			wantIs:  []error{did.ErrNoMethod},
		},
		{
			name:    "invalid DID",
			ref:     "did:web:exa mple.edu#k",
			wantErr: `did: invalid: "did:web:exa mple.edu#k": character 0x20 has no place in a DID`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name:    "invalid URL",
			ref:     "https://exa mple.edu#k",
			wantErr: `did: invalid: "https://exa mple.edu#k": byte 0x20 at 11 has no place in a DID or URL`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name:    "oversize",
			ref:     "https://example.edu/big#k",
			wantErr: `did: invalid: the document for "https://example.edu/big": document too large: 262186 bytes, the limit is 262144`,
			wantIs:  []error{did.ErrInvalid},
		},
	})
	runResolveCases(t, did.Map(nil), []resolveCase{{
		name:    "nil Map",
		ref:     issuer + "#" + obKey,
		wantErr: `did: verification method not found: no document for "https://example.edu/issuers/565049" in the map`,
		wantIs:  []error{did.ErrNoMethod},
	}})
}

// memStore is a keys.Store in memory.
type memStore struct {
	keys map[string]*keys.Key
	err  error // returned by every call if set
}

func (s memStore) Key(ctx context.Context, id string) (*keys.Key, error) {
	if s.err != nil {
		return nil, s.err
	}
	if k, ok := s.keys[id]; ok {
		return k, nil
	}
	return nil, fmt.Errorf("%w: %q", keys.ErrNoKey, id)
}

func (s memStore) ActiveKey(ctx context.Context, controller string) (*keys.Key, error) {
	return nil, keys.ErrNoKey
}

func TestStoreResolver(t *testing.T) {
	const issuer = "https://example.edu/issuers/1"
	ed := ed25519.NewKeyFromSeed(make([]byte, 32))
	edKey, err := keys.NewKey(issuer+"#key-1", issuer, ed)
	if err != nil {
		t.Fatal(err)
	}
	edKey.NotBefore = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	edKey.NotAfter = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	edMB, _ := keys.PublicKeyMultibase(ed.Public())
	// An RSA public key (only its public part is needed): 2048 bits.
	n, _ := new(big.Int).SetString("c"+strings.Repeat("5", 511), 16)
	rsaPub := &rsa.PublicKey{N: n, E: 65537}
	rsaTP, err := keys.Thumbprint(rsaPub)
	if err != nil {
		t.Fatal(err)
	}
	store := memStore{keys: map[string]*keys.Key{
		edKey.ID:          edKey,
		issuer + "#rsa":   {ID: issuer + "#rsa", Controller: issuer, Algorithm: keys.RS256, Public: rsaPub},
		issuer + "#other": edKey,
		issuer + "#weak":  {ID: issuer + "#weak", Controller: issuer, Public: &rsa.PublicKey{N: big.NewInt(3233), E: 17}},
	}}
	runResolveCases(t, did.StoreResolver{Store: store}, []resolveCase{
		{
			name: "Ed25519, retired",
			ref:  issuer + "#key-1",
			want: summary{ID: issuer + "#key-1", Type: "Multikey", Controller: issuer, Key: edMB, Binding: did.BindingLocal, NotBefore: edKey.NotBefore, NotAfter: edKey.NotAfter},
		},
		{
			name: "RSA",
			ref:  issuer + "#rsa",
			want: summary{ID: issuer + "#rsa", Type: "JsonWebKey", Controller: issuer, Key: "jwk:" + rsaTP, Binding: did.BindingLocal},
		},
		{
			name:    "not in the store",
			ref:     issuer + "#key-2",
			wantErr: `did: verification method not found: keys: no such key: "https://example.edu/issuers/1#key-2"`,
			wantIs:  []error{did.ErrNoMethod, keys.ErrNoKey},
		},
		{
			name:    "the store returns another key",
			ref:     issuer + "#other",
			wantErr: `did: key store: asked for "https://example.edu/issuers/1#other", it returned another key`,
		},
		{
			name:    "a key this package does not verify with",
			ref:     issuer + "#weak",
			wantErr: `did: key store: key "https://example.edu/issuers/1#weak": ` + keysMessage,
			wantIs:  []error{keys.ErrUnsupportedKey},
		},
	})
	outage := errors.New("kms: unavailable")
	runResolveCases(t, did.StoreResolver{Store: memStore{err: outage}}, []resolveCase{{
		name:    "store failure",
		ref:     issuer + "#key-1",
		wantErr: `did: key store: looking up "https://example.edu/issuers/1#key-1": kms: unavailable`,
		wantIs:  []error{outage},
	}})
	runResolveCases(t, did.StoreResolver{}, []resolveCase{{
		name:    "no store",
		ref:     issuer + "#key-1",
		wantErr: `did: unsupported reference: StoreResolver has no keys.Store`,
		wantIs:  []error{did.ErrUnsupported},
	}})
}

func TestBindingString(t *testing.T) {
	got := fmt.Sprint(did.BindingSelf, did.BindingDocument, did.BindingLocal, did.BindingAsserted, did.Binding(0))
	if want := "self document local asserted Binding(0)"; got != want {
		t.Errorf("Binding strings = %q, want %q", got, want)
	}
}
