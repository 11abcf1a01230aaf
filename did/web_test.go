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
	"github.com/go-openbadges/openbadges/fetch"
	"github.com/go-openbadges/openbadges/keys"
)

func TestWebURL(t *testing.T) {
	tests := []struct{ did, want string }{
		// The did:web specification's examples.
		{"did:web:w3c-ccg.github.io", "https://w3c-ccg.github.io/.well-known/did.json"},
		{"did:web:w3c-ccg.github.io:user:alice", "https://w3c-ccg.github.io/user/alice/did.json"},
		{"did:web:example.com%3A3000", "https://example.com:3000/.well-known/did.json"},
		{"did:web:example.com%3A3000:user:alice", "https://example.com:3000/user/alice/did.json"},
		// A port is only ever after "%3A": ":8080" is a path segment.
		{"did:web:example.com:8080", "https://example.com/8080/did.json"},
		{"did:web:example.com%3a8443", "https://example.com:8443/.well-known/did.json"},
		{"did:web:example.com%3A65535", "https://example.com:65535/.well-known/did.json"},
		// The did:web of the 1EdTech validator fixtures.
		{"did:web:dc.1edtech.org:wellspring2022:wellspring-portal:org:da1e96e9-afcc-4eed-b9a2-2ddf7353214c",
			"https://dc.1edtech.org/wellspring2022/wellspring-portal/org/da1e96e9-afcc-4eed-b9a2-2ddf7353214c/did.json"},
		// Percent-encoding in the path is kept as written.
		{"did:web:example.com:a%20b:c%3Ad", "https://example.com/a%20b/c%3Ad/did.json"},
		{"did:web:example.com:8080%3A1", "https://example.com/8080%3A1/did.json"},
		{"did:web:example.com:...:_x_", "https://example.com/.../_x_/did.json"},
		{"did:web:Example.COM", "https://Example.COM/.well-known/did.json"},
		{"did:web:xn--bcher-kva.example", "https://xn--bcher-kva.example/.well-known/did.json"},
		{"did:web:localhost%3A8443", "https://localhost:8443/.well-known/did.json"},
	}
	for _, tt := range tests {
		got, err := did.WebURL(tt.did)
		if err != nil || got != tt.want {
			t.Errorf("WebURL(%s) = %q, %v; want %q", tt.did, got, err, tt.want)
		}
	}
}

func TestWebURLRefused(t *testing.T) {
	tests := []struct{ did, wantErr string }{
		// Path traversal.
		{"did:web:example.com:..:x", `did: invalid: did:web "did:web:example.com:..:x": path segment "..": it is a dot-segment`},
		{"did:web:example.com:.", `did: invalid: did:web "did:web:example.com:.": path segment ".": it is a dot-segment`},
		{"did:web:example.com:%2E%2E:x", `did: invalid: did:web "did:web:example.com:%2E%2E:x": path segment "%2E%2E": it is a dot-segment`},
		{"did:web:example.com:.%2e", `did: invalid: did:web "did:web:example.com:.%2e": path segment ".%2e": it is a dot-segment`},
		{"did:web:example.com:a%2Fb", `did: invalid: did:web "did:web:example.com:a%2Fb": path segment "a%2Fb": it percent-encodes a path separator`},
		{"did:web:example.com:a%2f..%2fb", `did: invalid: did:web "did:web:example.com:a%2f..%2fb": path segment "a%2f..%2fb": it percent-encodes a path separator`},
		{"did:web:example.com:a%5Cb", `did: invalid: did:web "did:web:example.com:a%5Cb": path segment "a%5Cb": it percent-encodes a path separator`},
		{"did:web:example.com:%252F", `did: invalid: did:web "did:web:example.com:%252F": path segment "%252F": it percent-encodes '%'`},
		{"did:web:example.com:a%3Fb", `did: invalid: did:web "did:web:example.com:a%3Fb": path segment "a%3Fb": it percent-encodes '?'`},
		{"did:web:example.com:a%00", `did: invalid: did:web "did:web:example.com:a%00": path segment "a%00": it percent-encodes a control character`},
		{"did:web:example.com::x", `did: invalid: did:web "did:web:example.com::x": path segment "": it is empty`},
		{"did:web:example.com:", `did: invalid: "did:web:example.com:": the method-specific identifier is empty or ends with ":"`},
		// The port in the wrong place, or wrong.
		{"did:web:example.com%3A", `did: invalid: did:web "did:web:example.com%3A": the port "" is not a number from 1 to 65535`},
		{"did:web:example.com%3A0", `did: invalid: did:web "did:web:example.com%3A0": the port "0" is not a number from 1 to 65535`},
		{"did:web:example.com%3A08080", `did: invalid: did:web "did:web:example.com%3A08080": the port "08080" is not a number from 1 to 65535`},
		{"did:web:example.com%3A65536", `did: invalid: did:web "did:web:example.com%3A65536": the port "65536" is not a number from 1 to 65535`},
		{"did:web:example.com%3Ahttps", `did: invalid: did:web "did:web:example.com%3Ahttps": the port "https" is not a number from 1 to 65535`},
		{"did:web:example.com%3A80%3A81", `did: invalid: did:web "did:web:example.com%3A80%3A81": the port is not a decimal number (a second "%3A"?)`},
		// Hosts that are not DNS names.
		{"did:web:user%40example.com", `did: invalid: did:web "did:web:user%40example.com": userinfo ("%40") has no place in the host`},
		{"did:web:%3A8080", `did: invalid: did:web "did:web:%3A8080": the host is empty`},
		{"did:web:127.0.0.1", `did: invalid: did:web "did:web:127.0.0.1": the host is an IP address, which did:web does not allow`},
		{"did:web:127.0.0.1%3A8443", `did: invalid: did:web "did:web:127.0.0.1%3A8443": the host is an IP address, which did:web does not allow`},
		{"did:web:2130706433", `did: invalid: did:web "did:web:2130706433": the host's last label is numeric: an IP address, which did:web does not allow, or not a DNS name`},
		{"did:web:example%2Ecom", `did: invalid: did:web "did:web:example%2Ecom": the host may percent-encode only the colon before a port ("%3A")`},
		{"did:web:exa_mple.com", `did: invalid: did:web "did:web:exa_mple.com": the host has character '_', not allowed in a DNS name`},
		{"did:web:-example.com", `did: invalid: did:web "did:web:-example.com": a host label starts or ends with "-"`},
		{"did:web:example..com", `did: invalid: did:web "did:web:example..com": the host has an empty label or one longer than 63 characters`},
		// Not a DID: userinfo, queries, parameters, paths, fragments.
		{"did:web:user@example.com", `did: invalid: "did:web:user@example.com": character '@' has no place in a DID`},
		{"did:web:example.com?service=files", `did: invalid: "did:web:example.com?service=files" is a DID URL; WebURL takes a did:web DID, without path, query or fragment`},
		{"did:web:example.com;service=files", `did: invalid: "did:web:example.com;service=files": character ';' has no place in a DID`},
		{"did:web:example.com/path", `did: invalid: "did:web:example.com/path" is a DID URL; WebURL takes a did:web DID, without path, query or fragment`},
		{"did:web:example.com#key-1", `did: invalid: "did:web:example.com#key-1" is a DID URL; WebURL takes a did:web DID, without path, query or fragment`},
		{"did:web:", `did: invalid: "did:web:": the method-specific identifier is empty or ends with ":"`},
		{"did:web:exa mple.com", `did: invalid: "did:web:exa mple.com": character 0x20 has no place in a DID`},
		{"did:web:example.com%zz", `did: invalid: "did:web:example.com%zz": "%" not followed by two hex digits`},
		{"did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi", `did: invalid: "did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi" is not a did:web`},
		{"https://example.com", `did: invalid: "https://example.com" is not a DID`},
		{"did:WEB:example.com", `did: invalid: "did:WEB:example.com": a DID's method name is lowercase letters and digits followed by ":"`},
		{"did:web:" + strings.Repeat("a", 4096), `did: invalid: reference of 4104 bytes, the limit is 4096`},
		{"did:web:" + strings.Repeat(strings.Repeat("a", 63)+".", 4) + "com", `did: invalid: did:web "did:web:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.aaaaaaaaaaaaaaaaaaaaaaaaaaaa"…: the host name is longer than 253 characters`},
		{"did:web:" + strings.Repeat("a", 64) + ".com", `did: invalid: did:web "did:web:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com": the host has an empty label or one longer than 63 characters`},
	}
	for _, tt := range tests {
		got, err := did.WebURL(tt.did)
		if err == nil {
			t.Errorf("WebURL(%s) = %q, want an error", tt.did, got)
			continue
		}
		if diff := cmp.Diff(tt.wantErr, err.Error()); diff != "" {
			t.Errorf("WebURL(%s) error (-want +got):\n%s", tt.did, diff)
		}
		if !errors.Is(err, did.ErrInvalid) {
			t.Errorf("WebURL(%s) error does not wrap ErrInvalid", tt.did)
		}
	}
}

// didDoc writes a DID document for id with the given verification methods
// (JSON objects) and assertionMethod references.
func didDoc(id string, methods []string, assertion ...string) string {
	var a []string
	for _, r := range assertion {
		a = append(a, fmt.Sprintf("%q", r))
	}
	return fmt.Sprintf(`{"@context": ["https://www.w3.org/ns/did/v1"], "id": %q, "verificationMethod": [%s], "assertionMethod": [%s]}`,
		id, strings.Join(methods, ", "), strings.Join(a, ", "))
}

// multikey writes a Multikey verification method.
func multikey(id, controller, mb string) string {
	return fmt.Sprintf(`{"id": %q, "type": "Multikey", "controller": %q, "publicKeyMultibase": %q}`, id, controller, mb)
}

func TestWeb(t *testing.T) {
	const (
		d   = "did:web:example.edu"
		url = "https://example.edu/.well-known/did.json"
	)
	p256 := parseKey(t, w3cP256)
	p256JWK := publicJWK(t, p256, "")
	mk := multikey(d+"#key-1", d, w3cEd25519)
	tests := []struct {
		name    string
		status  int    // 0: 200
		body    string // served at url
		ref     string
		want    summary
		wantErr string
		wantIs  []error
		notIs   []error // errors it must not wrap
	}{
		{
			name: "Multikey by full id",
			body: didDoc(d, []string{mk}, d+"#key-1"),
			ref:  d + "#key-1",
			want: summary{ID: d + "#key-1", Type: "Multikey", Controller: d, Key: w3cEd25519, Binding: did.BindingDocument, Relationships: []string{did.AssertionMethod}},
		},
		{
			name: "relative id, several relationships",
			body: `{"id": "did:web:example.edu", "verificationMethod": [` + multikey("#key-1", d, w3cEd25519) + `],
				"authentication": ["#key-1"], "assertionMethod": ["did:web:example.edu#key-1"], "keyAgreement": ["#key-2"]}`,
			ref:  d + "#key-1",
			want: summary{ID: d + "#key-1", Type: "Multikey", Controller: d, Key: w3cEd25519, Binding: did.BindingDocument, Relationships: []string{did.AssertionMethod, did.Authentication}},
		},
		{
			name: "listed under no relationship",
			body: didDoc(d, []string{mk}),
			ref:  d + "#key-1",
			want: summary{ID: d + "#key-1", Type: "Multikey", Controller: d, Key: w3cEd25519, Binding: did.BindingDocument},
		},
		{
			name: "JsonWebKey embedded in assertionMethod",
			body: `{"id": "did:web:example.edu", "assertionMethod": [{"id": "#k", "type": "JsonWebKey", "controller": "did:web:example.edu", "publicKeyJwk": ` + p256JWK + `}]}`,
			ref:  d + "#k",
			want: summary{ID: d + "#k", Type: "JsonWebKey", Controller: d, Key: w3cP256, Binding: did.BindingDocument, Relationships: []string{did.AssertionMethod}},
		},
		{
			name: "JsonWebKey2020",
			body: didDoc(d, []string{`{"id": "#k", "type": "JsonWebKey2020", "controller": "did:web:example.edu", "publicKeyJwk": ` + p256JWK + `}`}, "#k"),
			ref:  d + "#k",
			want: summary{ID: d + "#k", Type: "JsonWebKey2020", Controller: d, Key: w3cP256, Binding: did.BindingDocument, Relationships: []string{did.AssertionMethod}},
		},
		{
			name: "Ed25519VerificationKey2020",
			body: didDoc(d, []string{`{"id": "#k", "type": "Ed25519VerificationKey2020", "controller": "did:web:example.edu", "publicKeyMultibase": "` + w3cEd25519 + `"}`}, "#k"),
			ref:  d + "#k",
			want: summary{ID: d + "#k", Type: "Ed25519VerificationKey2020", Controller: d, Key: w3cEd25519, Binding: did.BindingDocument, Relationships: []string{did.AssertionMethod}},
		},
		{
			name: "DID resolution result",
			body: `{"@context": "https://w3id.org/did-resolution/v1", "didDocument": ` + didDoc(d, []string{mk}, "#key-1") + `, "didDocumentMetadata": {}}`,
			ref:  d + "#key-1",
			want: summary{ID: d + "#key-1", Type: "Multikey", Controller: d, Key: w3cEd25519, Binding: did.BindingDocument, Relationships: []string{did.AssertionMethod}},
		},
		{
			name: "fragment that is the key",
			body: didDoc(d, []string{multikey("#"+w3cEd25519, d, w3cEd25519)}, "#"+w3cEd25519),
			ref:  d + "#" + w3cEd25519,
			want: summary{ID: d + "#" + w3cEd25519, Type: "Multikey", Controller: d, Key: w3cEd25519, Binding: did.BindingDocument, Relationships: []string{did.AssertionMethod}},
		},

		// No document: the next resolver may try, and the error says the
		// controller publishes none (ErrNoDocument).
		{
			name:    "404",
			status:  http.StatusNotFound,
			ref:     d + "#key-1",
			wantErr: `did: no document for "did:web:example.edu#key-1" at "https://example.edu/.well-known/did.json": fetch: "https://example.edu/.well-known/did.json": status 404 Not Found, want 200`,
			wantIs:  []error{did.ErrNoMethod, did.ErrNoDocument},
			notIs:   []error{did.ErrUnavailable, did.ErrNotListed},
		},
		{
			name:    "410",
			status:  http.StatusGone,
			ref:     d + "#key-1",
			wantErr: `did: no document for "did:web:example.edu#key-1" at "https://example.edu/.well-known/did.json": fetch: "https://example.edu/.well-known/did.json": status 410 Gone, want 200`,
			wantIs:  []error{did.ErrNoMethod, did.ErrNoDocument},
			notIs:   []error{did.ErrUnavailable, did.ErrNotListed},
		},

		// Errors that stop a chain.
		{
			name:    "no such method",
			body:    didDoc(d, []string{mk}, "#key-1"),
			ref:     d + "#key-2",
			wantErr: `did: the controller's document does not list the verification method: the document for "did:web:example.edu" does not list "did:web:example.edu#key-2"`,
			wantIs:  []error{did.ErrNotListed},
			notIs:   []error{did.ErrNoMethod, did.ErrNoDocument},
		},
		{
			name:    "no verification methods",
			body:    `{"id": "did:web:example.edu"}`,
			ref:     d + "#key-1",
			wantErr: `did: the controller's document does not list the verification method: the document for "did:web:example.edu" does not list "did:web:example.edu#key-1"`,
			wantIs:  []error{did.ErrNotListed},
			notIs:   []error{did.ErrNoMethod, did.ErrNoDocument},
		},
		{
			name:    "server error",
			status:  http.StatusInternalServerError,
			ref:     d + "#key-1",
			wantErr: `did: the document could not be had: fetching "https://example.edu/.well-known/did.json" for "did:web:example.edu#key-1": fetch: "https://example.edu/.well-known/did.json": status 500 Internal Server Error, want 200`,
			wantIs:  []error{did.ErrUnavailable},
			notIs:   []error{did.ErrNoMethod, did.ErrNoDocument},
		},
		{
			name:    "forbidden",
			status:  http.StatusForbidden,
			ref:     d + "#key-1",
			wantErr: `did: the document could not be had: fetching "https://example.edu/.well-known/did.json" for "did:web:example.edu#key-1": fetch: "https://example.edu/.well-known/did.json": status 403 Forbidden, want 200`,
			wantIs:  []error{did.ErrUnavailable},
			notIs:   []error{did.ErrNoMethod, did.ErrNoDocument},
		},
		{
			name:    "id mismatch",
			body:    didDoc("did:web:example.com", []string{multikey("#key-1", "did:web:example.com", w3cEd25519)}, "#key-1"),
			ref:     d + "#key-1",
			wantErr: `did: invalid: the document for "did:web:example.edu" has id "did:web:example.com": a document must be for the DID or URL it was retrieved for`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name:    "no id",
			body:    `{"verificationMethod": [` + mk + `]}`,
			ref:     d + "#key-1",
			wantErr: `did: invalid: the document for "did:web:example.edu" has id "": a document must be for the DID or URL it was retrieved for`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name:    "controller mismatch",
			body:    didDoc(d, []string{multikey("#key-1", "did:web:evil.example", w3cEd25519)}, "#key-1"),
			ref:     d + "#key-1",
			wantErr: `did: invalid: verification method "did:web:example.edu#key-1" has controller "did:web:evil.example", not "did:web:example.edu"`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name:    "no controller",
			body:    didDoc(d, []string{`{"id": "#key-1", "type": "Multikey", "publicKeyMultibase": "` + w3cEd25519 + `"}`}, "#key-1"),
			ref:     d + "#key-1",
			wantErr: `did: invalid: verification method "did:web:example.edu#key-1" has no controller`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name: "private members in publicKeyJwk",
			body: didDoc(d, []string{`{"id": "#k", "type": "JsonWebKey", "controller": "did:web:example.edu", "publicKeyJwk": ` +
				string(readFile(t, "testdata/jose/vm-p256.json")[strings.Index(string(readFile(t, "testdata/jose/vm-p256.json")), `"secretKeyJwk": `)+len(`"secretKeyJwk": `):len(readFile(t, "testdata/jose/vm-p256.json"))-2]) + `}`}, "#k"),
			ref:     d + "#k",
			wantErr: `did: invalid: verification method "did:web:example.edu#k": publicKeyJwk: ` + keysMessage,
			wantIs:  []error{did.ErrInvalid, keys.ErrJWK},
		},
		{
			name:    "secretKeyMultibase",
			body:    didDoc(d, []string{`{"id": "#k", "type": "Multikey", "controller": "did:web:example.edu", "publicKeyMultibase": "` + w3cP256 + `", "secretKeyMultibase": "z42twTcNeSYcnqg1FLuSFs2bsGH3ZqbRHFmvS9XMsYhjxvHN"}`}, "#k"),
			ref:     d + "#k",
			wantErr: `did: invalid: verification method "did:web:example.edu#k" publishes a private key (secretKeyMultibase)`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name:    "fragment names another key",
			body:    didDoc(d, []string{multikey("#"+w3cEd25519, d, obKey)}, "#"+w3cEd25519),
			ref:     d + "#" + w3cEd25519,
			wantErr: `did: invalid: the document for "did:web:example.edu" lists "did:web:example.edu#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2" with a key other than the one its fragment names`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name:    "defined twice, differently",
			body:    `{"id": "did:web:example.edu", "verificationMethod": [` + mk + `], "assertionMethod": [` + multikey("#key-1", d, obKey) + `]}`,
			ref:     d + "#key-1",
			wantErr: `did: invalid: the document for "did:web:example.edu" defines "did:web:example.edu#key-1" more than once, differently`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name:    "referred to, not defined",
			body:    didDoc(d, []string{mk}, "#key-2"),
			ref:     d + "#key-2",
			wantErr: `did: invalid: the document for "did:web:example.edu" refers to "did:web:example.edu#key-2" but does not define it`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name:    "unsupported type",
			body:    didDoc(d, []string{`{"id": "#k", "type": "EcdsaSecp256k1VerificationKey2019", "controller": "did:web:example.edu", "publicKeyHex": "02"}`}, "#k"),
			ref:     d + "#k",
			wantErr: `keys: unsupported key: verification method "did:web:example.edu#k" is of type "EcdsaSecp256k1VerificationKey2019"; this package reads Multikey, JsonWebKey, JsonWebKey2020 and Ed25519VerificationKey2020`,
			wantIs:  []error{keys.ErrUnsupportedKey},
		},
		{
			name:    "both key forms",
			body:    didDoc(d, []string{`{"id": "#k", "type": "Multikey", "controller": "did:web:example.edu", "publicKeyMultibase": "` + w3cP256 + `", "publicKeyJwk": ` + p256JWK + `}`}, "#k"),
			ref:     d + "#k",
			wantErr: `did: invalid: verification method "did:web:example.edu#k" has both publicKeyMultibase and publicKeyJwk`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name:    "Multikey without publicKeyMultibase",
			body:    didDoc(d, []string{`{"id": "#k", "type": "Multikey", "controller": "did:web:example.edu", "publicKeyJwk": ` + p256JWK + `}`}, "#k"),
			ref:     d + "#k",
			wantErr: `did: invalid: verification method "did:web:example.edu#k" of type Multikey has no publicKeyMultibase`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name:    "Ed25519VerificationKey2020 with a P-256 key",
			body:    didDoc(d, []string{`{"id": "#k", "type": "Ed25519VerificationKey2020", "controller": "did:web:example.edu", "publicKeyMultibase": "` + w3cP256 + `"}`}, "#k"),
			ref:     d + "#k",
			wantErr: `did: invalid: verification method "did:web:example.edu#k" of type Ed25519VerificationKey2020 holds a p256 key`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name:    "bad key",
			body:    didDoc(d, []string{multikey("#k", d, "z6MkjZRsdasZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi")}, "#k"),
			ref:     d + "#k",
			wantErr: `did: invalid: verification method "did:web:example.edu#k": publicKeyMultibase: ` + keysMessage,
			wantIs:  []error{did.ErrInvalid, keys.ErrMultibase},
		},
		{
			name:    "not JSON",
			body:    `<html>did</html>`,
			ref:     d + "#k",
			wantErr: `did: invalid: the document for "did:web:example.edu": invalid JSON at byte 1: invalid character '<' looking for beginning of value`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name:    "not an object",
			body:    `["did:web:example.edu"]`,
			ref:     d + "#k",
			wantErr: `did: invalid: the document for "did:web:example.edu": not a JSON object`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name:    "duplicate member",
			body:    `{"id": "did:web:example.edu", "id": "did:web:example.com"}`,
			ref:     d + "#k",
			wantErr: `did: invalid: the document for "did:web:example.edu": /id: duplicate object member "id"`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name:    "wrong member type",
			body:    `{"id": "did:web:example.edu", "verificationMethod": {"id": "#k"}}`,
			ref:     d + "#k",
			wantErr: `did: invalid: the document for "did:web:example.edu": verificationMethod is not an array`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name:    "oversize",
			body:    `{"id": "did:web:example.edu", "x": "` + strings.Repeat("x", did.MaxDocumentSize) + `"}`,
			ref:     d + "#k",
			wantErr: `did: invalid: the document for "did:web:example.edu": document too large: 262182 bytes, the limit is 262144`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name:    "too deep",
			body:    `{"id": "did:web:example.edu", "x": ` + strings.Repeat("[", did.MaxDocumentDepth) + strings.Repeat("]", did.MaxDocumentDepth) + `}`,
			ref:     d + "#k",
			wantErr: `did: invalid: the document for "did:web:example.edu": /x/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0: document nested too deeply: the limit is 32 levels`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name:    "too many methods",
			body:    didDoc(d, strings.Split(strings.Repeat(mk+"\x00", did.MaxMethods+1), "\x00")[:did.MaxMethods+1]),
			ref:     d + "#key-1",
			wantErr: `did: invalid: the document for "did:web:example.edu" has 101 verification methods, the limit is 100`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name:    "path in the reference",
			ref:     d + "/path#key-1",
			wantErr: `did: invalid: "did:web:example.edu/path#key-1": a did:web verification method has no path or query, only a fragment`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name:    "query in the reference",
			ref:     d + "?versionId=1#key-1",
			wantErr: `did: invalid: "did:web:example.edu?versionId=1#key-1": a did:web verification method has no path or query, only a fragment`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name:    "path traversal",
			ref:     "did:web:example.edu:..:admin#key-1",
			wantErr: `did: invalid: did:web "did:web:example.edu:..:admin": path segment "..": it is a dot-segment`,
			wantIs:  []error{did.ErrInvalid},
		},
		{
			name:    "not a did:web",
			ref:     "https://example.edu#key-1",
			wantErr: `did: unsupported reference: "https://example.edu#key-1" is not a did:web`,
			wantIs:  []error{did.ErrUnsupported},
		},
	}
	s := newSite(t)
	w := did.Web{Fetcher: s.fetcher()}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status := tt.status
			if status == 0 {
				status = http.StatusOK
			}
			s.serve(url, status, tt.body)
			vm, err := w.Resolve(context.Background(), tt.ref)
			checkResolved(t, resolveCase{ref: tt.ref, want: tt.want, wantErr: tt.wantErr, wantIs: tt.wantIs, notIs: tt.notIs}, vm, err)
		})
	}
}

// TestWebFetchError: a fetch that fails for another reason than the
// document's absence, such as a document over the fetcher's size limit, is
// ErrUnavailable, which stops a chain: not ErrNoMethod.
func TestWebFetchError(t *testing.T) {
	tooLarge := fetcherFunc(func(ctx context.Context, url string) ([]byte, error) {
		return nil, fmt.Errorf("fetch: %q: %w: body exceeds 100 bytes", url, fetch.ErrResponseTooLarge)
	})
	_, err := did.Web{Fetcher: tooLarge}.Resolve(context.Background(), "did:web:example.edu#k")
	checkResolved(t, resolveCase{
		ref:     "did:web:example.edu#k",
		wantErr: `did: the document could not be had: fetching "https://example.edu/.well-known/did.json" for "did:web:example.edu#k": fetch: "https://example.edu/.well-known/did.json": fetch: response too large: body exceeds 100 bytes`,
		wantIs:  []error{did.ErrUnavailable, fetch.ErrResponseTooLarge},
		notIs:   []error{did.ErrNoMethod, did.ErrNoDocument},
	}, nil, err)
	if !did.Undecided(err) {
		t.Errorf("Undecided(%v) = false", err)
	}
}

func TestWebNoFetcher(t *testing.T) {
	_, err := did.Web{}.Resolve(context.Background(), "did:web:example.edu:user:alice#key-1")
	const want = `did: no fetcher, and the reference needs the network: "did:web:example.edu:user:alice" is at https://example.edu/user/alice/did.json`
	if diff := cmp.Diff(want, errorString(err)); diff != "" {
		t.Errorf("error (-want +got):\n%s", diff)
	}
	if !errors.Is(err, did.ErrNoFetcher) {
		t.Errorf("error does not wrap ErrNoFetcher")
	}
}
