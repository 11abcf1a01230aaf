package credential

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Minimal conforming documents the rule table edits.
const (
	vc20 = `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],` +
		`"issuer":"did:example:issuer","credentialSubject":{"id":"did:example:subject"}}`
	vc11 = `{"@context":["https://www.w3.org/2018/credentials/v1"],"type":["VerifiableCredential"],` +
		`"issuer":"did:example:issuer","issuanceDate":"2010-01-01T19:23:24Z","credentialSubject":{"id":"did:example:subject"}}`
	vp20 = `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"],` +
		`"holder":"did:example:holder","verifiableCredential":[` + vc20 + `]}`
	vp11 = `{"@context":["https://www.w3.org/2018/credentials/v1"],"type":["VerifiablePresentation"],` +
		`"verifiableCredential":["eyJhbGciOiJFZERTQSJ9.eyJ2YyI6e319.c2ln",` + vc11 + `]}`
	envelopedVC = `{"@context":"https://www.w3.org/ns/credentials/v2","type":"EnvelopedVerifiableCredential",` +
		`"id":"data:application/vc+jwt,eyJhbGciOiJFUzI1NiJ9.eyJAY29udGV4dCI6W119.c2ln"}`

	// The digests of https://www.w3.org/ns/credentials/v2 as the schema
	// package embeds it (SHA-256 59955ced…, pinned there).
	v2SRI384       = "sha384-l/HrjlBCNWyAX91hr6LFV2Y3heB5Tcr6IeE4/Tje8YyzYBM8IhqjHWiWpr8+ZbYU"
	v2Multibase    = "uEiBZlVztZpfWHgPyslVv6-UwirFoQoRvW1htfx963sknNA" // base64url multihash, sha2-256
	v2Base58       = "zQmUNM6HqwZxuJ5k6cYRKAiqjUkx1qxWJe4WTqsg7ZJtEFm" // base58btc multihash, sha2-256
	v2Multibase384 = "uIDCX8euOUEI1bIBf3WGvosVXZjeF4HlNyvoh4Tj9ON7xjLNgEzwiGqMdaJamvz5lthQ"
	// What the W3C VCDM 2.0 test suite (tests/fixtures.js @ 6e075243)
	// sends as the digests of the v2 context: those of the July 2024
	// draft of the context, not of the context as published (the
	// multibase one is also a bare digest, not a Multihash).
	suiteSRI       = "sha384-NSOcNpmdIVUxIJGvGUoe22FjTWrXiaXlsZ8q6912LdnR3KraQO2n75Ica4wK4Qeg"
	suiteMultibase = "uJKGMkOmFbVJhEfKTduMC2XCyvRAYLjOVmZWwIH1wQ7k"
)

// edit returns doc with the members of set (JSON object members, as they
// are written between braces) added or replaced and those named in del
// removed.
func edit(t testing.TB, doc, set string, del ...string) []byte {
	t.Helper()
	var m, add map[string]json.RawMessage
	if err := json.Unmarshal([]byte(doc), &m); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte("{"+set+"}"), &add); err != nil {
		t.Fatalf("set %s: %v", set, err)
	}
	for k, v := range add {
		m[k] = v
	}
	for _, k := range del {
		delete(m, k)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestCheckDataModelRules: each rule, broken by a minimal document, is
// reported at the value at fault, and by nothing else.
func TestCheckDataModelRules(t *testing.T) {
	e := func(ptr, rule string) finding { return finding{ptr, rule, SeverityError} }
	type tc struct {
		name string
		doc  []byte
		vp   bool // checked with CheckPresentationDataModel
		want []finding
	}
	tests := []tc{
		// Conforming documents.
		{"vc20", []byte(vc20), false, nil},
		{"vc11", []byte(vc11), false, nil},
		{"vp20", []byte(vp20), false, nil},
		{"vp11 with a JWT credential", []byte(vp11), false, nil},
		{"enveloped credential", []byte(envelopedVC), false, nil},

		// @context
		{"no @context", edit(t, vc20, ``, "@context"), false, []finding{e("/@context", "vcdm/context")}},
		{"@context a number", edit(t, vc20, `"@context":3`), false, []finding{e("/@context", "vcdm/context")}},
		{"@context empty", edit(t, vc20, `"@context":[]`), false, []finding{e("/@context", "vcdm/context")}},
		{"@context one URL, the v2 context", edit(t, vc20, `"@context":"https://www.w3.org/ns/credentials/v2"`), false, nil},
		{"@context one URL, not the v2 context", edit(t, vc20, `"@context":"https://www.w3.org/ns/credentials/examples/v2"`), false, []finding{e("/@context", "vcdm/context")}},
		{"@context without the base context", edit(t, vc20, `"@context":["https://www.w3.org/ns/credentials/examples/v2"]`), false, []finding{e("/@context/0", "vcdm/context")}},
		{"@context base context second", edit(t, vc20, `"@context":[{"ex":"https://example.org/#"},"https://www.w3.org/ns/credentials/v2"]`), false, []finding{e("/@context/0", "vcdm/context")}},
		{"@context item not a URL", edit(t, vc20, `"@context":["https://www.w3.org/ns/credentials/v2","https ://not-a-url/contexts/example/v1"]`), false, []finding{e("/@context/1", "vcdm/context")}},
		{"@context item a number", edit(t, vc20, `"@context":["https://www.w3.org/ns/credentials/v2",123192875]`), false, []finding{e("/@context/1", "vcdm/context")}},
		{"@context both base contexts", edit(t, vc20, `"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/2018/credentials/v1"]`), false, []finding{e("/@context/1", "vcdm/context")}},
		{"@context URLs and objects", edit(t, vc20, `"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2",{"ex":"https://example.org/#"}]`), false, nil},

		// id
		{"id two URLs", edit(t, vc20, `"id":["https://example.org/credentials/1","https://example.net/credentials/1"]`), false, []finding{e("/id", "vcdm/id")}},
		{"id null", edit(t, vc20, `"id":null`), false, []finding{e("/id", "vcdm/id")}},
		{"id not a URL", edit(t, vc20, `"id":"https ://not-a-url/vcs/1"`), false, []finding{e("/id", "vcdm/id")}},
		{"id relative", edit(t, vc20, `"id":"credentials/1"`), false, []finding{e("/id", "vcdm/id")}},
		{"id a URN", edit(t, vc20, `"id":"urn:uuid:0c07c1ce-57cb-41af-bef2-1b932b986873"`), false, nil},

		// type
		{"no type", edit(t, vc20, ``, "type"), false, []finding{e("/type", "vcdm/type")}},
		{"type a number", edit(t, vc20, `"type":3`), false, []finding{e("/type", "vcdm/type")}},
		{"type empty", edit(t, vc20, `"type":[]`), false, []finding{e("/type", "vcdm/type")}},
		{"type without VerifiableCredential", edit(t, vc20, `"type":["RelationshipCredential"]`), false, []finding{e("/type", "vcdm/type")}},
		{"type one string", edit(t, vc20, `"type":"VerifiableCredential"`), false, nil},
		{"type with a URL", edit(t, vc20, `"type":["https://example.org/#Cred","VerifiableCredential"]`), false, nil},

		// name and description
		{"name a number", edit(t, vc20, `"name":3`), false, []finding{e("/name", "vcdm/name")}},
		{"name a language value", edit(t, vc20, `"name":{"@value":"Example","@language":"en","@direction":"ltr"}`), false, nil},
		{"name in two languages", edit(t, vc20, `"name":[{"@value":"Example","@language":"en"},{"@value":"Beispiel","@language":"de"}]`), false, nil},
		{"name with an extra member", edit(t, vc20, `"name":{"@value":"Example","@language":"en","url":"did:example:credential"}`), false, []finding{e("/name/url", "vcdm/name")}},
		{"name without @value", edit(t, vc20, `"name":{"@language":"en"}`), false, []finding{e("/name/@value", "vcdm/name")}},
		{"name @value a number", edit(t, vc20, `"name":{"@value":1}`), false, []finding{e("/name/@value", "vcdm/name")}},
		{"name @language not a tag", edit(t, vc20, `"name":{"@value":"x","@language":"not a tag"}`), false, []finding{e("/name/@language", "vcdm/name")}},
		{"name @direction", edit(t, vc20, `"name":{"@value":"x","@direction":"up"}`), false, []finding{e("/name/@direction", "vcdm/name")}},
		{"name empty array", edit(t, vc20, `"name":[]`), false, []finding{e("/name", "vcdm/name")}},
		{"name array with a number", edit(t, vc20, `"name":["Example",3]`), false, []finding{e("/name/1", "vcdm/name")}},
		{"description with an extra member", edit(t, vc20, `"description":{"@value":"An Example","@language":"en","url":"did:example:credential"}`), false, []finding{e("/description/url", "vcdm/description")}},
		{"description null", edit(t, vc20, `"description":null`), false, []finding{e("/description", "vcdm/description")}},
		{"issuer name with an extra member", edit(t, vc20, `"issuer":{"id":"did:example:issuer","name":{"@value":"Issuer","url":"did:example:issuer"}}`), false, []finding{e("/issuer/name/url", "vcdm/name")}},
		{"issuer description a number", edit(t, vc20, `"issuer":{"id":"did:example:issuer","description":7}`), false, []finding{e("/issuer/description", "vcdm/description")}},

		// issuer
		{"no issuer", edit(t, vc20, ``, "issuer"), false, []finding{e("/issuer", "vcdm/issuer")}},
		{"issuer null", edit(t, vc20, `"issuer":null`), false, []finding{e("/issuer", "vcdm/issuer")}},
		{"issuer not a URL", edit(t, vc20, `"issuer":"fake-issuer"`), false, []finding{e("/issuer", "vcdm/issuer")}},
		{"issuer an array", edit(t, vc20, `"issuer":["did:example:issuer"]`), false, []finding{e("/issuer", "vcdm/issuer")}},
		{"issuer object without id", edit(t, vc20, `"issuer":{"name":"Example"}`), false, []finding{e("/issuer/id", "vcdm/issuer")}},
		{"issuer object id null", edit(t, vc20, `"issuer":{"id":null}`), false, []finding{e("/issuer/id", "vcdm/issuer")}},
		{"issuer object id not a URL", edit(t, vc20, `"issuer":{"id":"fake-issuer"}`), false, []finding{e("/issuer/id", "vcdm/issuer")}},
		{"issuer object", edit(t, vc20, `"issuer":{"id":"https://example.edu/issuers/14","name":"Example University"}`), false, nil},

		// credentialSubject
		{"no credentialSubject", edit(t, vc20, ``, "credentialSubject"), false, []finding{e("/credentialSubject", "vcdm/credentialSubject")}},
		{"credentialSubject empty", edit(t, vc20, `"credentialSubject":{}`), false, []finding{e("/credentialSubject", "vcdm/credentialSubject")}},
		{"credentialSubject empty array", edit(t, vc20, `"credentialSubject":[]`), false, []finding{e("/credentialSubject", "vcdm/credentialSubject")}},
		{"credentialSubject a string", edit(t, vc20, `"credentialSubject":"did:example:subject"`), false, []finding{e("/credentialSubject", "vcdm/credentialSubject")}},
		{"credentialSubject an empty one of two", edit(t, vc20, `"credentialSubject":[{"id":"did:example:subject"},{}]`), false, []finding{e("/credentialSubject/1", "vcdm/credentialSubject")}},
		{"credentialSubject not an object", edit(t, vc20, `"credentialSubject":[{"id":"did:example:subject"},3]`), false, []finding{e("/credentialSubject/1", "vcdm/credentialSubject")}},
		{"credentialSubject two ids", edit(t, vc20, `"credentialSubject":{"id":["did:example:one","did:example:two"]}`), false, []finding{e("/credentialSubject/id", "vcdm/id")}},
		{"credentialSubject without id", edit(t, vc20, `"credentialSubject":{"name":"Alice"}`), false, nil},

		// validFrom, validUntil
		{"validFrom not a date", edit(t, vc20, `"validFrom":"Sat 25 Feb 2023 07:16:31 PM CST"`), false, []finding{e("/validFrom", "vcdm/validFrom")}},
		{"validFrom without zone", edit(t, vc20, `"validFrom":"2023-02-26T01:21:51"`), false, []finding{e("/validFrom", "vcdm/validFrom")}},
		{"validFrom a number", edit(t, vc20, `"validFrom":2023`), false, []finding{e("/validFrom", "vcdm/validFrom")}},
		{"validFrom lower-case", edit(t, vc20, `"validFrom":"2023-02-26t01:21:51z"`), false, []finding{e("/validFrom", "vcdm/validFrom")}},
		{"validFrom 30 February", edit(t, vc20, `"validFrom":"2024-02-30T00:00:00Z"`), false, []finding{e("/validFrom", "vcdm/validFrom")}},
		{"validFrom 29 February 2023", edit(t, vc20, `"validFrom":"2023-02-29T00:00:00Z"`), false, []finding{e("/validFrom", "vcdm/validFrom")}},
		{"validFrom 29 February 2100", edit(t, vc20, `"validFrom":"2100-02-29T00:00:00Z"`), false, []finding{e("/validFrom", "vcdm/validFrom")}},
		{"validFrom 29 February 2000", edit(t, vc20, `"validFrom":"2000-02-29T00:00:00Z"`), false, nil},
		{"validFrom zone +15:00", edit(t, vc20, `"validFrom":"2024-01-01T00:00:00+15:00"`), false, []finding{e("/validFrom", "vcdm/validFrom")}},
		{"validFrom 24:00:00", edit(t, vc20, `"validFrom":"2024-01-01T24:00:00Z"`), false, nil},
		{"validFrom fractions and offset", edit(t, vc20, `"validFrom":"2024-01-01T12:00:00.123456789-08:00"`), false, nil},
		{"validFrom far future", edit(t, vc20, `"validFrom":"12024-01-01T00:00:00Z"`), false, nil},
		{"validUntil not a date", edit(t, vc20, `"validFrom":"2023-02-26T01:21:51Z","validUntil":"Sun, 26 Feb 2023 01:22:14 +0000"`), false, []finding{e("/validUntil", "vcdm/validUntil")}},
		{"validUntil before validFrom", edit(t, vc20, `"validFrom":"2026-01-01T00:00:00Z","validUntil":"2025-01-01T00:00:00Z"`), false, []finding{e("/validUntil", "vcdm/validity-period")}},
		{"validUntil before validFrom, zones", edit(t, vc20, `"validFrom":"2025-01-01T10:00:00-02:00","validUntil":"2025-01-01T11:00:00Z"`), false, []finding{e("/validUntil", "vcdm/validity-period")}},
		{"validUntil at validFrom", edit(t, vc20, `"validFrom":"2024-01-01T24:00:00Z","validUntil":"2024-01-02T00:00:00Z"`), false, nil},
		{"validUntil after validFrom, zones", edit(t, vc20, `"validFrom":"2025-01-01T10:00:00+02:00","validUntil":"2025-01-01T09:00:00Z"`), false, nil},

		// credentialStatus
		{"credentialStatus without type", edit(t, vc20, `"credentialStatus":{"id":"did:example:status"}`), false, []finding{e("/credentialStatus/type", "vcdm/credentialStatus-type")}},
		{"credentialStatus type a number", edit(t, vc20, `"credentialStatus":{"id":"did:example:status","type":2}`), false, []finding{e("/credentialStatus/type", "vcdm/credentialStatus-type")}},
		{"credentialStatus second without type", edit(t, vc20, `"credentialStatus":[{"type":"BitstringStatusListEntry"},{"id":"did:example:status"}]`), false, []finding{e("/credentialStatus/1/type", "vcdm/credentialStatus-type")}},
		{"credentialStatus two ids", edit(t, vc20, `"credentialStatus":{"id":["did:example:status:1","did:example:status:2"],"type":"BitstringStatusListEntry"}`), false, []finding{e("/credentialStatus/id", "vcdm/id")}},
		{"credentialStatus id not a URL", edit(t, vc20, `"credentialStatus":{"id":"https ://not-a-url/statusList/4","type":"BitstringStatusListEntry"}`), false, []finding{e("/credentialStatus/id", "vcdm/id")}},
		{"credentialStatus a string", edit(t, vc20, `"credentialStatus":"https://example.org/status/1"`), false, []finding{e("/credentialStatus", "vcdm/credentialStatus")}},
		{"credentialStatus empty array", edit(t, vc20, `"credentialStatus":[]`), false, []finding{e("/credentialStatus", "vcdm/credentialStatus")}},
		{"credentialStatus without id", edit(t, vc20, `"credentialStatus":{"type":"BitstringStatusListEntry"}`), false, nil},

		// credentialSchema, refreshService, termsOfUse, evidence
		{"credentialSchema without type", edit(t, vc20, `"credentialSchema":{"id":"did:example:schemas/1"}`), false, []finding{e("/credentialSchema/type", "vcdm/credentialSchema-type")}},
		{"credentialSchema without id", edit(t, vc20, `"credentialSchema":{"type":"JsonSchema"}`), false, []finding{e("/credentialSchema/id", "vcdm/credentialSchema-id")}},
		{"credentialSchema id not a URL", edit(t, vc20, `"credentialSchema":{"type":"JsonSchema","id":"https ://not-a-url.org/1"}`), false, []finding{e("/credentialSchema/id", "vcdm/id")}},
		{"refreshService without type", edit(t, vc20, `"refreshService":{"id":"did:example:refresh/1"}`), false, []finding{e("/refreshService/type", "vcdm/refreshService-type")}},
		{"refreshService without id", edit(t, vc20, `"refreshService":{"type":"VerifiableCredentialRefreshService2021"}`), false, nil},
		{"termsOfUse empty", edit(t, vc20, `"termsOfUse":{}`), false, []finding{e("/termsOfUse/type", "vcdm/termsOfUse-type")}},
		{"termsOfUse without type", edit(t, vc20, `"termsOfUse":{"id":"did:example:terms/1"}`), false, []finding{e("/termsOfUse/type", "vcdm/termsOfUse-type")}},
		{"evidence empty", edit(t, vc20, `"evidence":{}`), false, []finding{e("/evidence/type", "vcdm/evidence-type")}},
		{"evidence not an object", edit(t, vc20, `"evidence":[{"type":"Evidence"},3]`), false, []finding{e("/evidence/1", "vcdm/evidence")}},
		{"evidence id not a URL", edit(t, vc20, `"evidence":{"type":"Evidence","id":"evidence 1"}`), false, []finding{e("/evidence/id", "vcdm/id")}},

		// relatedResource
		{"relatedResource digestSRI", edit(t, vc20, `"relatedResource":{"id":"https://www.w3.org/ns/credentials/v2","digestSRI":"`+v2SRI384+`"}`), false, nil},
		{"relatedResource digestMultibase", edit(t, vc20, `"relatedResource":[{"id":"https://www.w3.org/ns/credentials/v2","mediaType":"application/ld+json","digestMultibase":["`+v2Multibase+`","`+v2Base58+`","`+v2Multibase384+`"]}]`), false, nil},
		{"relatedResource not held", edit(t, vc20, `"relatedResource":[{"id":"https://example.org/image.png","digestSRI":"`+v2SRI384+`"}]`), false, nil},
		{"relatedResource URLs", edit(t, vc20, `"relatedResource":["https://www.w3.org/ns/credentials/v2"]`), false, []finding{e("/relatedResource/0", "vcdm/relatedResource")}},
		{"relatedResource without id", edit(t, vc20, `"relatedResource":[{"digestMultibase":"`+v2Multibase+`"}]`), false, []finding{e("/relatedResource/0/id", "vcdm/relatedResource-id")}},
		{"relatedResource id not a URL", edit(t, vc20, `"relatedResource":[{"id":"credentials/v2","digestMultibase":"`+v2Multibase+`"}]`), false, []finding{e("/relatedResource/0/id", "vcdm/id")}},
		{"relatedResource twice", edit(t, vc20, `"relatedResource":[{"id":"https://www.w3.org/ns/credentials/v2","digestSRI":"`+v2SRI384+`"},{"id":"https://www.w3.org/ns/credentials/v2","digestMultibase":"`+v2Multibase+`"}]`), false, []finding{e("/relatedResource/1/id", "vcdm/relatedResource-id")}},
		{"relatedResource without digest", edit(t, vc20, `"relatedResource":[{"id":"https://www.w3.org/ns/credentials/v2"}]`), false, []finding{e("/relatedResource/0", "vcdm/relatedResource-digest")}},
		{"relatedResource digestSRI base64url", edit(t, vc20, `"relatedResource":[{"id":"https://www.w3.org/ns/credentials/v2","digestSRI":"sha384-_rCVIV7fSXXTNIvpiq26jRDyj8JG8TDjij-tD0ewLk4JpnXEz6a5AeeY_1qQ0d0P"}]`), false, []finding{e("/relatedResource/0/digestSRI", "vcdm/relatedResource-digest")}},
		{"relatedResource digestSRI md5", edit(t, vc20, `"relatedResource":[{"id":"https://example.org/a","digestSRI":"md5-1B2M2Y8AsgTpgAmY7PhCfg=="}]`), false, []finding{e("/relatedResource/0/digestSRI", "vcdm/relatedResource-digest")}},
		{"relatedResource digestSRI short", edit(t, vc20, `"relatedResource":[{"id":"https://example.org/a","digestSRI":"sha384-AAAA"}]`), false, []finding{e("/relatedResource/0/digestSRI", "vcdm/relatedResource-digest")}},
		{"relatedResource digestSRI two in one string", edit(t, vc20, `"relatedResource":[{"id":"https://example.org/a","digestSRI":"`+v2SRI384+` `+v2SRI384+`"}]`), false, []finding{e("/relatedResource/0/digestSRI", "vcdm/relatedResource-digest")}},
		{"relatedResource digestSRI array", edit(t, vc20, `"relatedResource":[{"id":"https://example.org/a","digestSRI":["`+v2SRI384+`",3]}]`), false, []finding{e("/relatedResource/0/digestSRI/1", "vcdm/relatedResource-digest")}},
		{"relatedResource digestMultibase bare digest", edit(t, vc20, `"relatedResource":[{"id":"https://example.org/a","digestMultibase":"uM4RgWQc3RUDtjJCSgTJtTfvpZ7SPEg_LNO0ESlovQC0"}]`), false, []finding{e("/relatedResource/0/digestMultibase", "vcdm/relatedResource-digest")}},
		{"relatedResource digestMultibase base64 with padding", edit(t, vc20, `"relatedResource":[{"id":"https://example.org/a","digestMultibase":"mEiBZlVztZpfWHgPyslVv6+UwirFoQoRvW1htfx963sknNA=="}]`), false, []finding{e("/relatedResource/0/digestMultibase", "vcdm/relatedResource-digest")}},
		{"relatedResource digestMultibase unknown hash", edit(t, vc20, `"relatedResource":[{"id":"https://example.org/a","digestMultibase":"uESBZlVztZpfWHgPyslVv6-UwirFoQoRvW1htfx963sknNA"}]`), false, []finding{e("/relatedResource/0/digestMultibase", "vcdm/relatedResource-digest")}},
		{"relatedResource mediaType", edit(t, vc20, `"relatedResource":[{"id":"https://example.org/a","mediaType":"json","digestSRI":"`+v2SRI384+`"}]`), false, []finding{e("/relatedResource/0/mediaType", "vcdm/relatedResource-mediaType")}},
		{"relatedResource digestSRI of another resource", edit(t, vc20, `"relatedResource":[{"id":"https://www.w3.org/ns/credentials/examples/v2","digestSRI":"`+v2SRI384+`"}]`), false, []finding{e("/relatedResource/0/digestSRI", "vcdm/relatedResource-integrity")}},
		{"relatedResource digestMultibase of another resource", edit(t, vc20, `"relatedResource":[{"id":"https://www.w3.org/ns/credentials/examples/v2","digestMultibase":["`+v2Base58+`"]}]`), false, []finding{e("/relatedResource/0/digestMultibase/0", "vcdm/relatedResource-integrity")}},
		// The W3C suite's digests are of a draft of the v2 context: refused.
		{"relatedResource suite's digestSRI", edit(t, vc20, `"relatedResource":{"id":"https://www.w3.org/ns/credentials/v2","digestSRI":"`+suiteSRI+`"}`), false, []finding{e("/relatedResource/digestSRI", "vcdm/relatedResource-integrity")}},
		{"relatedResource suite's digestMultibase", edit(t, vc20, `"relatedResource":{"id":"https://www.w3.org/ns/credentials/v2","digestMultibase":"`+suiteMultibase+`"}`), false, []finding{e("/relatedResource/digestMultibase", "vcdm/relatedResource-digest")}},

		// VCDM 1.1
		{"1.1 no issuanceDate", edit(t, vc11, ``, "issuanceDate"), false, []finding{e("/issuanceDate", "vcdm/issuanceDate")}},
		{"1.1 issuanceDate without zone", edit(t, vc11, `"issuanceDate":"2010-01-01T19:23:24"`), false, nil},
		{"1.1 issuanceDate a date", edit(t, vc11, `"issuanceDate":"2010-01-01"`), false, []finding{e("/issuanceDate", "vcdm/issuanceDate")}},
		{"1.1 expirationDate", edit(t, vc11, `"expirationDate":"soon"`), false, []finding{e("/expirationDate", "vcdm/expirationDate")}},
		{"1.1 first context", edit(t, vc11, `"@context":["https://example.org/context","https://www.w3.org/2018/credentials/v1"]`), false, []finding{e("/@context/0", "vcdm/context")}},
		{"1.1 type", edit(t, vc11, `"type":["UniversityDegreeCredential"]`), false, []finding{e("/type", "vcdm/type")}},
		{"1.1 issuer", edit(t, vc11, `"issuer":"Example University"`), false, []finding{e("/issuer", "vcdm/issuer")}},
		{"1.1 credentialSubject", edit(t, vc11, ``, "credentialSubject"), false, []finding{e("/credentialSubject", "vcdm/credentialSubject")}},
		{"1.1 credentialStatus without id", edit(t, vc11, `"credentialStatus":{"type":"StatusList2021Entry"}`), false, []finding{e("/credentialStatus/id", "vcdm/credentialStatus-id")}},
		{"1.1 credentialStatus without type", edit(t, vc11, `"credentialStatus":{"id":"https://example.edu/status/24"}`), false, []finding{e("/credentialStatus/type", "vcdm/credentialStatus-type")}},
		{"1.1 credentialSchema without type", edit(t, vc11, `"credentialSchema":{"id":"https://example.org/schema.json"}`), false, []finding{e("/credentialSchema/type", "vcdm/credentialSchema-type")}},
		{"1.1 refreshService without id", edit(t, vc11, `"refreshService":{"type":"ManualRefreshService2018"}`), false, []finding{e("/refreshService/id", "vcdm/refreshService-id")}},
		{"1.1 termsOfUse without type", edit(t, vc11, `"termsOfUse":[{"id":"https://example.com/tou/1"}]`), false, []finding{e("/termsOfUse/0/type", "vcdm/termsOfUse-type")}},
		{"1.1 evidence without type", edit(t, vc11, `"evidence":[{"id":"https://example.edu/evidence/1"}]`), false, []finding{e("/evidence/0/type", "vcdm/evidence-type")}},
		{"1.1 name is not checked", edit(t, vc11, `"name":3`), false, nil},

		// Presentations
		{"vp no type", edit(t, vp20, ``, "type"), true, []finding{e("/type", "vcdm/type")}},
		{"vp type without VerifiablePresentation", edit(t, vp20, `"type":["CredentialManagerPresentation"]`), true, []finding{e("/type", "vcdm/type")}},
		{"vp no @context", edit(t, vp20, ``, "@context"), false, []finding{e("/@context", "vcdm/context")}},
		{"vp @context order", edit(t, vp20, `"@context":["https://www.w3.org/ns/credentials/examples/v2","https://www.w3.org/ns/credentials/v2"]`), false, []finding{e("/@context/0", "vcdm/context")}},
		{"vp id", edit(t, vp20, `"id":"urn:uuid 1"`), false, []finding{e("/id", "vcdm/id")}},
		{"vp holder not a URL", edit(t, vp20, `"holder":"z6MkpJySvETLnxhQG9DzEdmKJtysBDjuuTeDfUj1uNNCUqcj"`), false, []finding{e("/holder", "vcdm/holder")}},
		{"vp holder without id", edit(t, vp20, `"holder":{"name":"Acme"}`), false, []finding{e("/holder/id", "vcdm/holder")}},
		{"vp holder id not a URL", edit(t, vp20, `"holder":{"id":"z6MkpJySvETLnxhQG9DzEdmKJtysBDjuuTeDfUj1uNNCUqcj"}`), false, []finding{e("/holder/id", "vcdm/holder")}},
		{"vp holder object", edit(t, vp20, `"holder":{"id":"did:example:holder","name":"Acme"}`), false, nil},
		{"vp credential a JWT", edit(t, vp20, `"verifiableCredential":["eyJhbGciOiJFZERTQSJ9.eyJ2YyI6e319.c2ln"]`), false, []finding{e("/verifiableCredential/0", "vcdm/verifiableCredential")}},
		{"vp no credentials", edit(t, vp20, `"verifiableCredential":[]`), false, []finding{e("/verifiableCredential", "vcdm/verifiableCredential")}},
		{"vp one credential", edit(t, vp20, `"verifiableCredential":`+vc20), false, nil},
		{"vp credential without type", edit(t, vp20, `"verifiableCredential":[`+string(edit(t, vc20, `"type":[]`))+`]`), false, []finding{e("/verifiableCredential/0/type", "vcdm/type")}},
		{"vp credential broken", edit(t, vp20, `"verifiableCredential":`+string(edit(t, vc20, `"credentialStatus":{"id":"did:example:status"}`))), false, []finding{e("/verifiableCredential/credentialStatus/type", "vcdm/credentialStatus-type")}},
		{"vp enveloped credential", edit(t, vp20, `"verifiableCredential":[`+envelopedVC+`]`), false, nil},
		{"vp enveloped credential id", edit(t, vp20, `"verifiableCredential":[`+string(edit(t, envelopedVC, `"id":"https://example.org/vc/1"`))+`]`), false, []finding{e("/verifiableCredential/0/id", "vcdm/enveloped-id")}},
		{"vp enveloped credential no @context", edit(t, vp20, `"verifiableCredential":[`+string(edit(t, envelopedVC, ``, "@context"))+`]`), false, []finding{e("/verifiableCredential/0/@context", "vcdm/context")}},
		{"vp termsOfUse without type", edit(t, vp20, `"termsOfUse":{"id":"https://example.org/tou"}`), false, []finding{e("/termsOfUse/type", "vcdm/termsOfUse-type")}},
		{"vp11 credential not a credential", edit(t, vp11, `"verifiableCredential":[3]`), false, []finding{e("/verifiableCredential/0", "vcdm/verifiableCredential")}},
		{"vp11 credential without issuanceDate", edit(t, vp11, `"verifiableCredential":[`+string(edit(t, vc11, ``, "issuanceDate"))+`]`), false, []finding{e("/verifiableCredential/0/issuanceDate", "vcdm/issuanceDate")}},

		// Enveloped documents
		{"enveloped credential id", edit(t, envelopedVC, `"id":"https://example.org/vc/1"`), false, []finding{e("/id", "vcdm/enveloped-id")}},
		{"enveloped credential no id", edit(t, envelopedVC, ``, "id"), false, []finding{e("/id", "vcdm/enveloped-id")}},
		{"enveloped presentation", edit(t, envelopedVC, `"type":"EnvelopedVerifiablePresentation","id":"data:application/vp+jwt,eyJ9.e30.c2ln"`), false, nil},

		// Not a document
		{"an array", []byte(`[` + vc20 + `]`), false, []finding{e("", "vcdm/document")}},
		{"a duplicate member", []byte(`{"id":"urn:a","id":"urn:b"}`), false, []finding{e("/id", "decode")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check := CheckDataModel
			if tt.vp {
				check = CheckPresentationDataModel
			}
			res, err := check(tt.doc, nil)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, findings(res.Problems)); diff != "" {
				t.Errorf("findings (-want +got):\n%s\ndocument: %s", diff, tt.doc)
			}
			for _, p := range res.Problems {
				if p.Message == "" || (p.Rule != "decode" && DataModelRules[p.Rule] == "") {
					t.Errorf("%s: rule %q is not in DataModelRules, or the problem has no message", p.Pointer, p.Rule)
				}
			}
		})
	}
}

// TestCheckDataModelClass: the class and version reported.
func TestCheckDataModelClass(t *testing.T) {
	type got struct {
		Class   string
		Version Version
	}
	tests := []struct {
		doc  []byte
		vp   bool
		want got
	}{
		{[]byte(vc20), false, got{"VerifiableCredential", VCDM20}},
		{[]byte(vc11), false, got{"VerifiableCredential", VCDM11}},
		{[]byte(vp20), false, got{"VerifiablePresentation", VCDM20}},
		{[]byte(vp11), false, got{"VerifiablePresentation", VCDM11}},
		{[]byte(envelopedVC), false, got{"EnvelopedVerifiableCredential", VCDM20}},
		{edit(t, envelopedVC, `"type":"EnvelopedVerifiablePresentation"`), false, got{"EnvelopedVerifiablePresentation", VCDM20}},
		{[]byte(vc20), true, got{"VerifiablePresentation", VCDM20}},
		{edit(t, vc20, ``, "@context"), false, got{"VerifiableCredential", VersionUnknown}},
	}
	for _, tt := range tests {
		check := CheckDataModel
		if tt.vp {
			check = CheckPresentationDataModel
		}
		res, err := check(tt.doc, nil)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, got{res.Class, res.Version}); diff != "" {
			t.Errorf("%s: (-want +got):\n%s", tt.doc, diff)
		}
	}
}

// TestCheckDataModelMessages pins the words of findings a person acts on.
func TestCheckDataModelMessages(t *testing.T) {
	tests := []struct {
		doc  []byte
		want string
	}{
		{edit(t, vc20, `"credentialStatus":{"id":"did:example:status"}`),
			"/credentialStatus/type: each credentialStatus entry must have a type, such as BitstringStatusListEntry [vcdm/credentialStatus-type]"},
		{edit(t, vc20, `"validFrom":"2023-02-26T01:21:51"`),
			`/validFrom: validFrom: "2023-02-26T01:21:51" is not an XML Schema dateTimeStamp (a date-time with a time zone) such as 2024-03-01T12:00:00Z [vcdm/validFrom]`},
		{edit(t, vc20, `"validFrom":"2023-02-29T00:00:00Z"`),
			`/validFrom: validFrom: "2023-02-29T00:00:00Z" is not a date: month 2 has no day 29 [vcdm/validFrom]`},
		{edit(t, vc20, `"issuer":{"id":"fake-issuer"}`),
			`/issuer/id: the issuer's id must be a URL (with a scheme, such as https: or did:), got "fake-issuer" [vcdm/issuer]`},
		{edit(t, vc20, `"relatedResource":{"id":"https://www.w3.org/ns/credentials/v2","digestSRI":"`+suiteSRI+`"}`),
			"/relatedResource/digestSRI: the digest does not match https://www.w3.org/ns/credentials/v2 as this library holds it (a pinned copy of the published document), whose SHA-384 digest is " + v2SRI384 + ": the digest is wrong, or was made from another version of the resource [vcdm/relatedResource-integrity]"},
		{edit(t, vc20, `"relatedResource":{"id":"https://www.w3.org/ns/credentials/examples/v2","digestMultibase":"`+v2Multibase+`"}`),
			"/relatedResource/digestMultibase: the digest does not match https://www.w3.org/ns/credentials/examples/v2 as this library holds it (a pinned copy of the published document), whose SHA-256 digest is uEiBXOT-8adbvubm13Jy2uYgLCUQ2Cr_i6vRZyeWM8iedfA: the digest is wrong, or was made from another version of the resource [vcdm/relatedResource-integrity]"},
		{edit(t, vc20, `"relatedResource":{"id":"https://www.w3.org/ns/credentials/v2","digestMultibase":"`+suiteMultibase+`"}`),
			`/relatedResource/digestMultibase: digestMultibase "` + suiteMultibase + `" is not a Multihash (a hash code, a length, then the digest): hash code 0x24 is none of SHA-256, SHA-384, SHA-512 and SHA3-256 to SHA3-512 [vcdm/relatedResource-digest]`},
	}
	for _, tt := range tests {
		res, err := CheckDataModel(tt.doc, nil)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range res.Problems {
			got = append(got, p.String())
		}
		if diff := cmp.Diff([]string{tt.want}, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.doc, diff)
		}
	}
}

// TestCheckDataModelConforming: the OB 3.0 examples and fixtures, and the
// W3C VCDM 2.0 examples, break no data model rule; the fixtures that
// break one are those whose fault is a data model fault too.
func TestCheckDataModelConforming(t *testing.T) {
	e := func(ptr, rule string) finding { return finding{ptr, rule, SeverityError} }
	faults := map[string][]finding{
		// Not a credential: an example's fragment.
		"spec/subject-email-identifier-fragment.json": {e("/@context", "vcdm/context"), e("/issuer", "vcdm/issuer"), e("/type", "vcdm/type")},
		"validator/ob30/simple-err-context.json":      {e("/@context/0", "vcdm/context")},
		"validator/ob30/simple-err-issuer.json":       {e("/issuer", "vcdm/issuer")},
	}
	var paths []string
	for _, pattern := range []string{"testdata/*/*.json", "testdata/validator/*/*.json"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, m...)
	}
	if len(paths) < 70 {
		t.Fatalf("only %d documents found", len(paths))
	}
	for _, path := range paths {
		name := filepath.ToSlash(strings.TrimPrefix(path, "testdata"+string(filepath.Separator)))
		res, err := CheckDataModel(readFile(t, path), nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if diff := cmp.Diff(faults[name], findings(res.Problems)); diff != "" {
			t.Errorf("%s: findings (-want +got):\n%s", name, diff)
		}
	}
}

// TestCheckIncludesDataModel: Check reports the data model findings of an
// Open Badge, of the endorsements in it too, and leaves out those an OB
// rule already reports at the same place.
func TestCheckIncludesDataModel(t *testing.T) {
	e := func(ptr, rule string) finding { return finding{ptr, rule, SeverityError} }
	basic := string(readFile(t, "testdata/spec/basic-openbadgecredential.json"))
	endorsement := string(readFile(t, "testdata/spec/endorsementcredential.json"))
	tests := []struct {
		name string
		doc  []byte
		want []finding
	}{
		{"validity period", edit(t, basic, `"validFrom":"2026-01-01T00:00:00Z","validUntil":"2025-01-01T00:00:00Z"`), []finding{e("/validUntil", "vcdm/validity-period")}},
		{"relatedResource", edit(t, basic, `"relatedResource":[{"id":"https://www.w3.org/ns/credentials/v2"}]`), []finding{e("/relatedResource/0", "vcdm/relatedResource-digest")}},
		{"termsOfUse as a string", edit(t, basic, `"termsOfUse":"https://example.org/tou"`), []finding{e("/termsOfUse", "decode")}},
		// The OB rule's finding stands alone.
		{"no issuer", edit(t, basic, ``, "issuer"), []finding{e("/issuer", "required")}},
		{"credentialStatus without type", edit(t, basic, `"credentialStatus":{"id":"https://example.org/status/1"}`), []finding{e("/credentialStatus/type", "required")}},
		{"base context not first", edit(t, basic, `"@context":["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json","https://www.w3.org/ns/credentials/v2"]`), []finding{e("/@context", "context")}},
		// OB findings point into the document as received.
		{"endorsementJwt one string", edit(t, basic, `"endorsementJwt":"not-a-jws"`), []finding{e("/endorsementJwt", "jws")}},
		// Endorsements are credentials too.
		{"endorsement's validity period", edit(t, basic, `"endorsement":[`+string(edit(t, endorsement, `"validUntil":"2009-01-01T00:00:00Z"`))+`]`), []finding{e("/endorsement/0/validUntil", "vcdm/validity-period")}},
		{"endorsement", edit(t, basic, `"endorsement":[`+endorsement+`]`), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Check(tt.doc, nil)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, findings(res.Problems)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCheckDataModelErrors: input that cannot be checked is an error, a
// *DecodeError.
func TestCheckDataModelErrors(t *testing.T) {
	for _, in := range []string{``, `{`, "{\"a\":\"\xff\"}", `{"a":1} {}`} {
		_, err := CheckDataModel([]byte(in), nil)
		var de *DecodeError
		if !errors.As(err, &de) {
			t.Errorf("%q: error %v, want a *DecodeError", in, err)
		}
	}
	_, err := CheckDataModel([]byte(vc20), &CheckOptions{Parse: ParseOptions{MaxBytes: 10}})
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("over MaxBytes: %v, want ErrTooLarge", err)
	}
	_, err = CheckDataModel([]byte(`{"a":[[[[1]]]]}`), &CheckOptions{Parse: ParseOptions{MaxDepth: 3}})
	if !errors.Is(err, ErrTooDeep) {
		t.Errorf("over MaxDepth: %v, want ErrTooDeep", err)
	}
}

// FuzzCheckDataModel: any input is either refused with a *DecodeError or
// checked without panicking, every finding naming a listed rule and a
// pointer into the document.
func FuzzCheckDataModel(f *testing.F) {
	for _, s := range []string{vc20, vc11, vp20, vp11, envelopedVC, `{}`, `[]`, `{"@context":3}`,
		`{"relatedResource":[{"id":"https://www.w3.org/ns/credentials/v2","digestSRI":"` + v2SRI384 + `","digestMultibase":"` + v2Base58 + `"}]}`,
		`{"validFrom":"-0004-02-29T24:00:00.0+14:00","validUntil":"99999-12-31T23:59:59Z"}`,
		`{"type":"VerifiablePresentation","verifiableCredential":[{"type":"EnvelopedVerifiableCredential"},{"endorsement":{}}]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := CheckDataModel(data, &CheckOptions{Parse: ParseOptions{MaxBytes: 1 << 16}})
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error %T %v is not a *DecodeError", err, err)
			}
			return
		}
		for _, p := range res.Problems {
			if p.Message == "" || (p.Rule != "decode" && DataModelRules[p.Rule] == "") {
				t.Fatalf("finding %+v names no listed rule or has no message", p)
			}
			if p.Pointer != "" && !strings.HasPrefix(p.Pointer, "/") {
				t.Fatalf("finding %+v has no JSON pointer", p)
			}
		}
		// Check merges these findings with the OB rules' and moves the
		// OB rules' pointers onto the document: it must not fail where
		// CheckDataModel did not.
		if _, err := Check(data, &CheckOptions{Parse: ParseOptions{MaxBytes: 1 << 16}}); err != nil {
			t.Fatalf("CheckDataModel checked the document but Check failed: %v", err)
		}
	})
}
