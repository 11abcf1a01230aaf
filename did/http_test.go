package did_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/did"
	"github.com/go-openbadges/openbadges/fetch"
	"github.com/go-openbadges/openbadges/keys"
)

func TestHTTP(t *testing.T) {
	const (
		issuer = "https://example.edu/issuers/565049"
		jose   = "https://example.issuer/vc-jose-cose"
		jwks   = "https://example.edu/.well-known/jwks.json"
	)
	ed := parseKey(t, w3cEd25519)
	p256 := parseKey(t, w3cP256)
	edJWK := publicJWK(t, ed, "ed")
	p256JWK := publicJWK(t, p256, "p256")
	joseP256, _, err := keys.ParsePublicJWK([]byte(`{"kty": "EC", "crv": "P-256", "x": "WfTi93YuhsQxKbD0ftnjOXJndqhnJ5kgDV-ZDGyrhBQ", "y": "qUd_55EjX0mjKZ6W6mF4UXVYTQ41K6jfdnYFwN5uPyk"}`))
	if err != nil {
		t.Fatal(err)
	}
	joseKey := keyString(t, joseP256)
	vmP256 := string(readFile(t, "testdata/jose/vm-p256.json"))
	secretJWK := vmP256[strings.Index(vmP256, `"secretKeyJwk": `)+len(`"secretKeyJwk": `) : len(vmP256)-2]

	tests := []struct {
		name    string
		url     string // where body is served
		status  int
		body    string
		ref     string
		want    summary
		wantErr string
		wantIs  []error
		notIs   []error // errors it must not wrap
	}{
		{
			name: "controller document",
			url:  issuer,
			body: string(readFile(t, "testdata/di-eddsa/ob3-1edtech/controller-document.SYNTHESIZED.json")),
			ref:  issuer + "#" + obKey,
			want: summary{ID: issuer + "#" + obKey, Type: "Multikey", Controller: issuer, Key: obKey, Binding: did.BindingDocument, Relationships: []string{did.AssertionMethod}},
		},
		{
			name: "controller document, relative id",
			url:  issuer,
			body: `{"id": "` + issuer + `", "verificationMethod": [` + multikey("#key-1", issuer, w3cP384) + `], "assertionMethod": ["#key-1"]}`,
			ref:  issuer + "#key-1",
			want: summary{ID: issuer + "#key-1", Type: "Multikey", Controller: issuer, Key: w3cP384, Binding: did.BindingDocument, Relationships: []string{did.AssertionMethod}},
		},
		{
			name: "Multikey document",
			url:  issuer,
			body: `{"@context": "https://w3id.org/security/multikey/v1", "id": "` + issuer + `#key-1", "type": "Multikey", "controller": "` + issuer + `", "publicKeyMultibase": "` + w3cEd25519 + `"}`,
			ref:  issuer + "#key-1",
			want: summary{ID: issuer + "#key-1", Type: "Multikey", Controller: issuer, Key: w3cEd25519, Binding: did.BindingDocument},
		},
		{
			name: "JsonWebKey document",
			url:  jose,
			body: string(readFile(t, "testdata/synthesized/vm-p256-public.json")),
			ref:  jose + "#key-1",
			want: summary{ID: jose + "#key-1", Type: "JsonWebKey", Controller: jose, Key: joseKey, Binding: did.BindingDocument},
		},
		{
			name:    "JsonWebKey document with its secret key",
			url:     jose,
			body:    vmP256,
			ref:     jose + "#key-1",
			wantErr: `did: invalid: verification method "https://example.issuer/vc-jose-cose#key-1" publishes a private key (secretKeyJwk)`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name:    "verification method document for another id",
			url:     issuer,
			body:    multikey(issuer+"#key-2", issuer, w3cEd25519),
			ref:     issuer + "#key-1",
			wantErr: `did: invalid: the verification method at "https://example.edu/issuers/565049" has id "https://example.edu/issuers/565049#key-2", not "https://example.edu/issuers/565049#key-1"`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name:    "verification method document naming another controller",
			url:     "https://evil.example/key",
			body:    multikey("https://evil.example/key", issuer, w3cEd25519),
			ref:     "https://evil.example/key",
			wantErr: `did: invalid: verification method "https://evil.example/key" has controller "https://example.edu/issuers/565049", not "https://evil.example/key"`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name: "JWK, kid is the fragment",
			url:  "https://example.edu/keys/ed",
			body: edJWK,
			ref:  "https://example.edu/keys/ed#ed",
			want: summary{ID: "https://example.edu/keys/ed#ed", Type: "JsonWebKey", Controller: "https://example.edu/keys/ed", Key: w3cEd25519, Binding: did.BindingDocument},
		},
		{
			name: "JWK, no fragment",
			url:  "https://example.edu/keys/ed",
			body: edJWK,
			ref:  "https://example.edu/keys/ed",
			want: summary{ID: "https://example.edu/keys/ed", Type: "JsonWebKey", Controller: "https://example.edu/keys/ed", Key: w3cEd25519, Binding: did.BindingDocument},
		},
		{
			name:    "JWK, kid is not the fragment",
			url:     "https://example.edu/keys/ed",
			body:    edJWK,
			ref:     "https://example.edu/keys/ed#other",
			wantErr: `did: invalid: the JWK at "https://example.edu/keys/ed" has kid "ed", not "other"`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name:    "JWK with private members",
			url:     "https://example.edu/keys/p256",
			body:    secretJWK,
			ref:     "https://example.edu/keys/p256",
			wantErr: `did: invalid: the JWK at "https://example.edu/keys/p256": ` + keysMessage,
			wantIs:  []error{did.ErrInvalid, keys.ErrJWK},
		},
		{
			name: "JWK Set",
			url:  jwks,
			body: `{"keys": [` + edJWK + `, ` + p256JWK + `]}`,
			ref:  jwks + "#p256",
			want: summary{ID: jwks + "#p256", Type: "JsonWebKey", Controller: jwks, Key: w3cP256, Binding: did.BindingDocument},
		},
		{
			name: "JWK Set of one, no fragment",
			url:  jwks,
			body: `{"keys": [` + edJWK + `]}`,
			ref:  jwks,
			want: summary{ID: jwks, Type: "JsonWebKey", Controller: jwks, Key: w3cEd25519, Binding: did.BindingDocument},
		},
		{
			name:    "JWK Set of two, no fragment",
			url:     jwks,
			body:    `{"keys": [` + edJWK + `, ` + p256JWK + `]}`,
			ref:     jwks,
			wantErr: `did: invalid: the JWK Set at "https://example.edu/.well-known/jwks.json" holds 2 keys and "https://example.edu/.well-known/jwks.json" names none (no fragment)`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name:    "JWK Set, no such kid",
			url:     jwks,
			body:    `{"keys": [` + edJWK + `, ` + p256JWK + `]}`,
			ref:     jwks + "#p384",
			wantErr: `did: the controller's document does not list the verification method: the JWK Set at "https://example.edu/.well-known/jwks.json" has no key with kid "p384"`,
			wantIs:  []error{did.ErrNotListed},
			notIs:   []error{did.ErrNoMethod},
		},
		{
			name:    "JWK Set, empty",
			url:     jwks,
			body:    `{"keys": []}`,
			ref:     jwks + "#p256",
			wantErr: `did: the controller's document does not list the verification method: the JWK Set at "https://example.edu/.well-known/jwks.json" is empty`,
			wantIs:  []error{did.ErrNotListed},
			notIs:   []error{did.ErrNoMethod},
		},
		{
			name:    "JWK Set with a private key",
			url:     jwks,
			body:    `{"keys": [` + edJWK + `, ` + secretJWK + `]}`,
			ref:     jwks + "#ed",
			wantErr: `did: invalid: the JWK Set at "https://example.edu/.well-known/jwks.json": keys[1] has private member "d"`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name:    "JWK Set, kid twice",
			url:     jwks,
			body:    `{"keys": [` + edJWK + `, ` + edJWK + `]}`,
			ref:     jwks + "#ed",
			wantErr: `did: invalid: the JWK Set at "https://example.edu/.well-known/jwks.json" has 2 keys with kid "ed"`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			// An OB 3.0 issuer Profile at the issuer's URL says nothing of keys.
			name:    "profile without keys",
			url:     issuer,
			body:    `{"@context": ["https://www.w3.org/ns/credentials/v2"], "id": "` + issuer + `", "type": ["Profile"], "name": "Example University"}`,
			ref:     issuer + "#" + obKey,
			wantErr: `did: the controller's document does not list the verification method: the document for "https://example.edu/issuers/565049" does not list "https://example.edu/issuers/565049#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"`,
			wantIs:  []error{did.ErrNotListed},
			notIs:   []error{did.ErrNoMethod},
		},
		{
			name:    "404",
			url:     issuer,
			status:  http.StatusNotFound,
			ref:     issuer + "#key-1",
			wantErr: `did: no document for "https://example.edu/issuers/565049#key-1" at "https://example.edu/issuers/565049": fetch: "https://example.edu/issuers/565049": status 404 Not Found, want 200`,
			wantIs:  []error{did.ErrNoMethod, did.ErrNoDocument},
			notIs:   []error{did.ErrUnavailable},
		},
		{
			name:    "controller document for another URL",
			url:     issuer,
			body:    `{"id": "https://example.edu/issuers/1", "verificationMethod": [` + multikey("#key-1", "https://example.edu/issuers/1", w3cEd25519) + `]}`,
			ref:     issuer + "#key-1",
			wantErr: `did: invalid: the document for "https://example.edu/issuers/565049" has id "https://example.edu/issuers/1": a document must be for the DID or URL it was retrieved for`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name:    "controller document with another key under the fragment's",
			url:     issuer,
			body:    `{"id": "` + issuer + `", "verificationMethod": [` + multikey("#"+obKey, issuer, w3cEd25519) + `]}`,
			ref:     issuer + "#" + obKey,
			wantErr: `did: invalid: the document for "https://example.edu/issuers/565049" lists "https://example.edu/issuers/565049#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi" with a key other than the one its fragment names`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name:    "http",
			ref:     "http://example.edu/issuers/565049#key-1",
			wantErr: `did: invalid: "http://example.edu/issuers/565049#key-1": verification methods are fetched over https only, never http`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name:    "HTTP in capitals",
			ref:     "HTTP://example.edu/issuers/565049#" + obKey,
			wantErr: `did: invalid: "HTTP://example.edu/issuers/565049#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi": verification methods are fetched over https only, never http`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name:    "userinfo",
			ref:     "https://user:secret@example.edu/issuers/565049#key-1",
			wantErr: `did: invalid: "https://user:xxxxx@example.edu/issuers/565049#key-1": a URL with userinfo is never fetched`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name:    "no host",
			ref:     "https:///issuers/565049#key-1",
			wantErr: `did: invalid: "https:///issuers/565049#key-1": an https URL needs a host`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name:    "space",
			ref:     "https://example.edu/issuers/565049 #key-1",
			wantErr: `did: invalid: "https://example.edu/issuers/565049 #key-1": byte 0x20 at 34 has no place in a DID or URL`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name:    "not https",
			ref:     "urn:uuid:4ca4a241-fc3b-4d92-978e-f56fa96ae795#" + obKey,
			wantErr: `did: unsupported reference: "urn:uuid:4ca4a241-fc3b-4d92-978e-f56fa96ae795#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi" is not an https URL`,
			wantIs:  []error{did.ErrUnsupported},
		},
	}
	s := newSite(t)
	h := did.HTTP{Fetcher: s.fetcher()}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.url != "" {
				status := tt.status
				if status == 0 {
					status = http.StatusOK
				}
				s.serve(tt.url, status, tt.body)
			}
			vm, err := h.Resolve(context.Background(), tt.ref)
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
				return
			}
			if diff := cmp.Diff(tt.want, summarize(t, vm)); diff != "" {
				t.Errorf("Resolve(%s) (-want +got):\n%s", tt.ref, diff)
			}
		})
	}
}

// TestHTTPNeverFetchesHTTP: an http reference is refused before any fetch;
// a fetcher's refusal to follow a redirect to http (fetch.HTTP's, wrapping
// fetch.ErrNotHTTPS) and a redirect that is not followed are failed
// fetches. Each stops the default chain, which does not fall back to the
// fragment.
func TestHTTPNeverFetchesHTTP(t *testing.T) {
	ctx := context.Background()
	_, err := did.NewResolver(did.Options{Fetcher: noFetch(t)}).Resolve(ctx, "http://example.edu/issuers/1#"+obKey)
	if !errors.Is(err, did.ErrInvalid) {
		t.Errorf("http reference: %v, want ErrInvalid", err)
	}

	refused := fetcherFunc(func(ctx context.Context, url string) ([]byte, error) {
		return nil, fmt.Errorf("fetch: %q: Get %q: redirect to %q: %w", url, url, "http://example.edu/issuers/1", fetch.ErrNotHTTPS)
	})
	_, err = did.NewResolver(did.Options{Fetcher: refused}).Resolve(ctx, "https://example.edu/issuers/1#"+obKey)
	if !errors.Is(err, fetch.ErrNotHTTPS) || !errors.Is(err, did.ErrUnavailable) {
		t.Errorf("redirect to http: %v, want fetch.ErrNotHTTPS and did.ErrUnavailable", err)
	}
	if errors.Is(err, did.ErrNoMethod) || errors.Is(err, did.ErrUnsupported) || errors.Is(err, did.ErrNoFetcher) {
		t.Errorf("redirect to http: %v lets a chain go on", err)
	}

	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the plain http server was reached: %s", r.URL)
	}))
	defer plain.Close()
	s := newSite(t)
	s.redirect("https://example.edu/issuers/1", plain.URL+"/issuers/1")
	_, err = did.NewResolver(did.Options{Fetcher: s.fetcher()}).Resolve(ctx, "https://example.edu/issuers/1#"+obKey)
	const want = `did: the document could not be had: fetching "https://example.edu/issuers/1" for "https://example.edu/issuers/1#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi": fetch: "https://example.edu/issuers/1": status 302 Found, want 200`
	if diff := cmp.Diff(want, errorString(err)); diff != "" {
		t.Errorf("redirect not followed: error (-want +got):\n%s", diff)
	}
}

func TestHTTPNoFetcher(t *testing.T) {
	_, err := did.HTTP{}.Resolve(context.Background(), "https://example.edu/issuers/1#key-1")
	const want = `did: no fetcher, and the reference needs the network: "https://example.edu/issuers/1#key-1" is at "https://example.edu/issuers/1"`
	if diff := cmp.Diff(want, errorString(err)); diff != "" {
		t.Errorf("error (-want +got):\n%s", diff)
	}
	if !errors.Is(err, did.ErrNoFetcher) {
		t.Errorf("error does not wrap ErrNoFetcher")
	}
}
