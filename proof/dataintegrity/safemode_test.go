package dataintegrity

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/go-openbadges/openbadges/schema"
)

// TestSafeMode checks that what JSON-LD would silently drop or leave
// relative is refused, with the reason, before anything is signed: the
// cases jsonld.js's safe mode refuses (lib/events.js, _notSafeEventCodes),
// plus invalid IRIs that json-gold's own writer would drop.
func TestSafeMode(t *testing.T) {
	const v2 = `"@context":["https://www.w3.org/ns/credentials/v2"]`
	const v1 = `"@context":["https://www.w3.org/2018/credentials/v1"]`
	cred := func(ctx, extra string) string {
		date := `"validFrom"`
		if ctx == v1 {
			date = `"issuanceDate"`
		}
		return `{` + ctx + `,"type":["VerifiableCredential"],"issuer":"did:example:1",` + date + `:"2020-01-01T00:00:00Z","credentialSubject":{"id":"did:example:2"}` + extra + `}`
	}
	for _, tc := range []struct {
		name, doc, want string
		safe            bool // the error wraps ErrSafeMode
	}{
		{"undefined term", cred(v1, `,"foo":"bar"`), `JSON-LD safe mode: /foo: "foo" is not defined by any context (it does not expand to an absolute IRI)`, true},
		{"term undefined in VCDM 2.0", cred(v2, `,"issuanceDate":"2020-01-01T00:00:00Z"`), `JSON-LD safe mode: /issuanceDate: "issuanceDate" is not defined by any context (it does not expand to an absolute IRI); add the context that defines it (for a term of your own under VCDM 2.0, https://www.w3.org/ns/credentials/undefined-terms/v2)`, true},
		{"term undefined inside a typed node", `{"@context":["https://www.w3.org/ns/credentials/v2","https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],"type":["VerifiableCredential","OpenBadgeCredential"],"issuer":{"id":"did:example:1","type":["Profile"]},"validFrom":"2020-01-01T00:00:00Z","credentialSubject":{"type":["AchievementSubject"],"achievement":{"id":"urn:a","type":["Achievement"],"name":"n","criteria":{"narrative":"x"},"grade":"A"}}}`, `JSON-LD safe mode: /credentialSubject/achievement/grade: "grade" is not defined by any context`, true},
		{"term defined only by another type's context", `{"@context":["https://www.w3.org/ns/credentials/v2","https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],"type":["VerifiableCredential","OpenBadgeCredential"],"issuer":{"id":"did:example:1","type":["Profile"]},"validFrom":"2020-01-01T00:00:00Z","credentialSubject":{"type":["InvalidAchievementSubject"],"achievement":{"id":"urn:a"}}}`, `/credentialSubject/achievement: "achievement" is not defined by any context`, true},
		{"undefined type", `{` + v1 + `,"type":["VerifiableCredential","Undefined"],"issuer":"did:example:1","issuanceDate":"2020-01-01T00:00:00Z","credentialSubject":{"id":"did:example:2"}}`, "JSON-LD safe mode: Undefined: @type is not an absolute IRI (a relative reference, or a term no context defines)", true},
		{"relative id", `{` + v2 + `,"type":["VerifiableCredential"],"issuer":"did:example:1","credentialSubject":{"id":"relative/path"}}`, "JSON-LD safe mode: relative/path: @id is not an absolute IRI (a relative reference, or a term no context defines)", true},
		{"relative id in a value", cred(v2, `,"name":{"@id":"rel"}`), "JSON-LD safe mode: rel: @id is not an absolute IRI (a relative reference, or a term no context defines)", true},
		{"IRI with a space", `{` + v2 + `,"type":["VerifiableCredential"],"issuer":"https://exa mple.com","credentialSubject":{"id":"did:example:2"}}`, "JSON-LD safe mode: https://exa mple.com: @id is not a valid IRI: it contains ' '", true},
		{"IRI with a control character", `{` + v2 + `,"type":["VerifiableCredential"],"issuer":"did:example:1\u0007","credentialSubject":{"id":"did:example:2"}}`, `JSON-LD safe mode: did:example:1` + "\a" + `: @id is not a valid IRI: it contains '\a'`, true},
		{"bad language tag", cred(v2, `,"name":{"@value":"x","@language":"en_US"}`), "JSON-LD safe mode: en_us: not a valid language tag", true},
		{"bad direction", cred(v2, `,"name":{"@value":"x","@language":"ar","@direction":"RTL"}`), `JSON-LD safe mode: /name/@direction: @direction "RTL" is not a base direction: it must be "ltr" or "rtl"`, true},
		{"default direction", `{"@context":["https://www.w3.org/ns/credentials/v2",{"@direction":"rtl"}],"type":["VerifiableCredential"],"issuer":"did:example:1","name":"x","credentialSubject":{"id":"did:example:2"}}`, `JSON-LD safe mode: @context: a default @direction ("rtl") is lost by jsonld.js`, true},
		{"blank node predicate", `{"@context":["https://www.w3.org/ns/credentials/v2",{"foo":"_:bar"}],"type":["VerifiableCredential"],"issuer":"did:example:1","foo":"x","credentialSubject":{"id":"did:example:2"}}`, "JSON-LD safe mode: _:b1: a property expands to a blank node identifier, which RDF does not allow as a predicate", true},
		{"free-floating value object", `{` + v2 + `,"@graph":[{"@value":"x"},{"id":"did:example:3","name":"y"}]}`, "JSON-LD safe mode: 2 top-level node(s) expanded to 1: an empty object, an object with only an id, or a free-floating value is dropped by JSON-LD and would not be signed", true},
		{"free-floating scalar", `{` + v2 + `,"@graph":["x",{"id":"did:example:3","name":"y"}]}`, "JSON-LD safe mode: /@graph/0: a free-floating value in @graph is not a statement about anything", true},
		{"top-level object with only an id", `{"@context":["https://www.w3.org/ns/credentials/v2"],"@graph":[{"id":"did:example:1"},{"id":"did:example:3","name":"y"}]}`, "JSON-LD safe mode: 2 top-level node(s) expanded to 1", true},
		{"document with only an id", `{"@context":["https://www.w3.org/ns/credentials/v2"],"id":"did:example:1","name":null}`, "JSON-LD safe mode: 1 top-level node(s) expanded to 0", true},
		{"null id", cred(v2, `,"evidence":{"id":null,"name":"x"}`), "JSON-LD safe mode: /evidence/id: a null id would be dropped", true},
		{"only @language", cred(v2, `,"name":{"@language":"en"}`), "JSON-LD safe mode: /name: an object with only @language says nothing and would be dropped", true},
		{"reserved term", cred(v2, `,"@foo":"x"`), `JSON-LD safe mode: /@foo: "@foo" is reserved for JSON-LD keywords and would be dropped`, true},
		{"unknown context", `{"@context":["https://www.w3.org/ns/credentials/v2","https://example.com/unknown"],"type":["VerifiableCredential"]}`, `schema: unknown JSON-LD context "https://example.com/unknown" (not embedded, and fetching is off)`, false},
		{"typed value with a relative type", cred(v2, `,"name":{"@value":"x","@type":"rel"}`), "invalid typed value", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &Signer{Key: testKey(t), VerificationMethod: "did:example:1#key"}
			out, err := s.Sign(context.Background(), []byte(tc.doc), nil)
			if err == nil {
				t.Fatalf("signed: %s", out)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q\ndoes not say %q", err, tc.want)
			}
			if got := errors.Is(err, ErrSafeMode); got != tc.safe {
				t.Errorf("errors.Is(err, ErrSafeMode) = %v, want %v", got, tc.safe)
			}
			if tc.name == "unknown context" && !errors.Is(err, schema.ErrUnknownContext) {
				t.Errorf("error does not wrap schema.ErrUnknownContext: %v", err)
			}
		})
	}
}
