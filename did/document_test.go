package did_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/go-openbadges/openbadges/did"
	"github.com/go-openbadges/openbadges/keys"
)

// TestDocumentShapes: documents of the wrong shape are refused with an
// error that says where, whatever resolver read them (here a Map).
func TestDocumentShapes(t *testing.T) {
	const (
		d = "did:web:example.edu"
		u = "https://example.edu/keys"
	)
	vm := func(members string) string {
		return `{"id": "did:web:example.edu", "verificationMethod": [{"id": "#k", "controller": "did:web:example.edu", ` + members + `}]}`
	}
	many := `"#k"` + strings.Repeat(`, "#k"`, did.MaxMethods)
	edJWK := publicJWK(t, parseKey(t, w3cEd25519), "k")
	tests := []struct {
		name, ref, doc, wantErr string
		wantIs                  error
	}{
		{"didDocument not an object", d + "#k", `{"didDocument": 1}`,
			`did: invalid: the DID resolution result for "did:web:example.edu": didDocument: not a JSON object`, did.ErrInvalid},
		{"id not a string", d + "#k", `{"id": 1}`,
			`did: invalid: the document for "did:web:example.edu": id is not a string`, did.ErrInvalid},
		{"method not an object", d + "#k", `{"id": "did:web:example.edu", "verificationMethod": ["#k"]}`,
			`did: invalid: the document for "did:web:example.edu": verificationMethod[0] is not an object with a string id`, did.ErrInvalid},
		{"relationship not an array", d + "#k", `{"id": "did:web:example.edu", "assertionMethod": "#k"}`,
			`did: invalid: the document for "did:web:example.edu": assertionMethod is not an array`, did.ErrInvalid},
		{"relationship too long", d + "#k", `{"id": "did:web:example.edu", "authentication": [` + many + `]}`,
			`did: invalid: the document for "did:web:example.edu" has 101 entries in authentication, the limit is 100`, did.ErrInvalid},
		{"relationship entry a number", d + "#k", `{"id": "did:web:example.edu", "keyAgreement": [1]}`,
			`did: invalid: the document for "did:web:example.edu": keyAgreement[0] is neither a reference nor a verification method`, did.ErrInvalid},
		{"embedded method without string id", d + "#k", `{"id": "did:web:example.edu", "capabilityInvocation": [{"id": 1}]}`,
			`did: invalid: the document for "did:web:example.edu": capabilityInvocation[0] has no string id`, did.ErrInvalid},
		{"no type", d + "#k", vm(`"publicKeyMultibase": "` + w3cEd25519 + `"`),
			`did: invalid: verification method "did:web:example.edu#k" has no type`, did.ErrInvalid},
		{"type not a string", d + "#k", vm(`"type": ["Multikey"]`),
			`did: invalid: verification method "did:web:example.edu#k": type is not a string`, did.ErrInvalid},
		{"publicKeyMultibase not a string", d + "#k", vm(`"type": "Multikey", "publicKeyMultibase": 1`),
			`did: invalid: verification method "did:web:example.edu#k": publicKeyMultibase is not a string`, did.ErrInvalid},
		{"JsonWebKey without publicKeyJwk", d + "#k", vm(`"type": "JsonWebKey", "publicKeyMultibase": "` + w3cEd25519 + `"`),
			`did: invalid: verification method "did:web:example.edu#k" of type JsonWebKey has no publicKeyJwk`, did.ErrInvalid},
		{"symmetric publicKeyJwk", d + "#k", vm(`"type": "JsonWebKey", "publicKeyJwk": {"kty": "oct", "k": "c2VjcmV0"}`),
			`did: invalid: verification method "did:web:example.edu#k": publicKeyJwk: ` + keysMessage, keys.ErrJWK},
		{"JWK Set keys not an array", u + "#k", `{"keys": {}}`,
			`did: invalid: the JWK Set at "https://example.edu/keys": keys is not an array`, did.ErrInvalid},
		{"JWK Set too large", u + "#k", `{"keys": [` + strings.Repeat(edJWK+",", did.MaxMethods) + edJWK + `]}`,
			`did: invalid: the JWK Set at "https://example.edu/keys" has 101 keys, the limit is 100`, did.ErrInvalid},
		{"JWK Set entry not an object", u + "#k", `{"keys": ["k"]}`,
			`did: invalid: the JWK Set at "https://example.edu/keys": keys[0]: not a JSON object`, did.ErrInvalid},
		{"JWK Set kid not a string", u + "#k", `{"keys": [{"kid": 1}]}`,
			`did: invalid: the JWK Set at "https://example.edu/keys": keys[0]: kid is not a string`, did.ErrInvalid},
		{"JWK Set bad key", u + "#k", `{"keys": [{"kid": "k", "kty": "EC", "crv": "P-256", "x": "AA", "y": "AA"}]}`,
			`did: invalid: the JWK Set at "https://example.edu/keys": ` + keysMessage, keys.ErrJWK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base, _, _ := strings.Cut(tt.ref, "#")
			runResolveCases(t, did.Map{base: []byte(tt.doc)}, []resolveCase{{
				name: tt.name, ref: tt.ref, wantErr: tt.wantErr, wantIs: []error{tt.wantIs},
			}})
		})
	}
}

// TestReferenceLimits: every resolver refuses a reference over
// MaxReferenceLen before doing anything with it.
func TestReferenceLimits(t *testing.T) {
	long := strings.Repeat("a", did.MaxReferenceLen)
	for _, tt := range []struct {
		r   did.Resolver
		ref string
	}{
		{did.Fragment{}, "https://e.example/" + long + "#" + obKey},
		{did.HTTP{}, "https://e.example/" + long},
		{did.Map{}, "https://e.example/" + long},
		{did.StoreResolver{Store: memStore{}}, "https://e.example/" + long},
		{did.Web{}, "did:web:e.example:" + long},
	} {
		runResolveCases(t, tt.r, []resolveCase{{
			name:    fmt.Sprintf("%T", tt.r),
			ref:     tt.ref,
			wantErr: fmt.Sprintf("did: invalid: reference of %d bytes, the limit is 4096", len(tt.ref)),
			wantIs:  []error{did.ErrInvalid},
		}})
	}
}
