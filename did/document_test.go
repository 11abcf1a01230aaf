package did_test

import (
	"context"
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

// TestDuplicateDefinitions: a document may define a method more than once
// (embedded under assertionMethod and again under verificationMethod, as
// digitalbazaar's and the DCC's libraries accept) if every definition is the
// same JSON value, whatever the order of its members and the spacing;
// definitions that differ make the method ambiguous, and the document is
// refused for it. The rule is the same for a DID document and an https
// controller document.
func TestDuplicateDefinitions(t *testing.T) {
	for _, c := range []string{"did:web:example.edu", "https://example.edu/issuers/1"} {
		ref := c + "#k"
		mk := multikey("#k", c, w3cEd25519)
		// The same definition, its members in another order, spaced otherwise.
		reordered := fmt.Sprintf("{\n\t\"publicKeyMultibase\" :%q ,\"controller\":%q,\n\"type\":\"Multikey\",   \"id\":\"#k\"}", w3cEd25519, c)
		doc := func(members string) string { return fmt.Sprintf(`{"id": %q, %s}`, c, members) }
		found := func(rels ...string) summary {
			return summary{ID: ref, Type: "Multikey", Controller: c, Key: w3cEd25519, Binding: did.BindingDocument, Relationships: rels}
		}
		conflict := fmt.Sprintf(`did: invalid: the document for %q defines %q more than once, differently`, c, ref)
		tests := []struct {
			name, doc string
			want      summary
			wantErr   string
		}{
			{
				name: "in verificationMethod and embedded in assertionMethod",
				doc:  doc(`"verificationMethod": [` + mk + `], "assertionMethod": [` + mk + `]`),
				want: found(did.AssertionMethod),
			},
			{
				name: "the same, members reordered and spaced otherwise",
				doc:  doc(`"verificationMethod": [` + mk + `], "assertionMethod": [` + reordered + `]`),
				want: found(did.AssertionMethod),
			},
			{
				name: "embedded in two relationships, and referred to from a third",
				doc:  doc(`"assertionMethod": [` + mk + `], "authentication": [` + reordered + `], "capabilityInvocation": ["#k"]`),
				want: found(did.AssertionMethod, did.Authentication, did.CapabilityInvocation),
			},
			{
				name: "twice in verificationMethod",
				doc:  doc(`"verificationMethod": [` + mk + `, ` + mk + `]`),
				want: found(),
			},
			{
				name: "listed twice in one relationship",
				doc:  doc(`"verificationMethod": [` + mk + `], "assertionMethod": ["#k", ` + mk + `, "#k"]`),
				want: found(did.AssertionMethod),
			},
			{
				name:    "another key",
				doc:     doc(`"verificationMethod": [` + mk + `], "assertionMethod": [` + multikey("#k", c, w3cP256) + `]`),
				wantErr: conflict,
			},
			{
				name:    "another type",
				doc:     doc(`"verificationMethod": [` + mk + `], "assertionMethod": [` + strings.Replace(mk, `"Multikey"`, `"Ed25519VerificationKey2020"`, 1) + `]`),
				wantErr: conflict,
			},
			{
				name:    "a member more",
				doc:     doc(`"verificationMethod": [` + mk + `], "assertionMethod": [` + strings.Replace(mk, `}`, `, "expires": "2030-01-01T00:00:00Z"}`, 1) + `]`),
				wantErr: conflict,
			},
			{
				// Equal as JSON values, not as methods: the ids are
				// spelled differently, and that is enough to refuse.
				name:    "the id absolute in one, relative in the other",
				doc:     doc(`"verificationMethod": [` + mk + `], "assertionMethod": [` + multikey(ref, c, w3cEd25519) + `]`),
				wantErr: conflict,
			},
			{
				name:    "the third differs",
				doc:     doc(`"verificationMethod": [` + mk + `, ` + mk + `], "authentication": [` + multikey("#k", c, obKey) + `]`),
				wantErr: conflict,
			},
		}
		for _, tt := range tests {
			t.Run(c+"/"+tt.name, func(t *testing.T) {
				m := did.Map{c: []byte(tt.doc)}
				vm, err := m.Resolve(context.Background(), ref)
				checkResolved(t, resolveCase{ref: ref, want: tt.want, wantErr: tt.wantErr, wantIs: errorsIf(tt.wantErr != "", did.ErrInvalid)}, vm, err)

				// FindKey reads the document as Resolve does.
				vm, err = m.FindKey(context.Background(), c, parseKey(t, w3cEd25519))
				checkResolved(t, resolveCase{ref: ref, want: tt.want, wantErr: tt.wantErr, wantIs: errorsIf(tt.wantErr != "", did.ErrInvalid)}, vm, err)
			})
		}
	}

	// A conflict in one method does not stop Resolve from reading another;
	// FindKey, which reads them all, refuses the document, wherever the
	// conflict is.
	const c = "did:web:example.edu"
	a, k1, k2 := multikey("#a", c, w3cP256), multikey("#k", c, w3cEd25519), multikey("#k", c, obKey)
	for _, doc := range []string{
		fmt.Sprintf(`{"id": %q, "verificationMethod": [%s, %s], "assertionMethod": ["#a", %s]}`, c, a, k1, k2),
		fmt.Sprintf(`{"id": %q, "verificationMethod": [%s, %s], "assertionMethod": [%s, "#a"]}`, c, k1, a, k2),
	} {
		m := did.Map{c: []byte(doc)}
		vm, err := m.Resolve(context.Background(), c+"#a")
		checkResolved(t, resolveCase{ref: c + "#a", want: summary{
			ID: c + "#a", Type: "Multikey", Controller: c, Key: w3cP256, Binding: did.BindingDocument, Relationships: []string{did.AssertionMethod},
		}}, vm, err)
		vm, err = m.FindKey(context.Background(), c, parseKey(t, w3cP256))
		checkResolved(t, resolveCase{
			ref:     c + "#a",
			wantErr: `did: invalid: the document for "did:web:example.edu" defines "did:web:example.edu#k" more than once, differently`,
			wantIs:  []error{did.ErrInvalid},
		}, vm, err)
	}
}

// errorsIf returns []error{err} if cond holds, nil otherwise.
func errorsIf(cond bool, err error) []error {
	if cond {
		return []error{err}
	}
	return nil
}
