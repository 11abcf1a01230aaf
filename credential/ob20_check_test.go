package credential

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// mutate returns the JSON document base with the members at the given
// paths ("a/b") set to the given JSON values, or removed when the value is
// "".
func mutate(t *testing.T, base []byte, changes map[string]string) []byte {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(base, &doc); err != nil {
		t.Fatal(err)
	}
	for path, value := range changes {
		parts := strings.Split(path, "/")
		m := doc
		for _, p := range parts[:len(parts)-1] {
			next, ok := m[p].(map[string]any)
			if !ok {
				next = map[string]any{}
				m[p] = next
			}
			m = next
		}
		last := parts[len(parts)-1]
		if value == "" {
			delete(m, last)
			continue
		}
		var v any
		if err := json.Unmarshal([]byte(value), &v); err != nil {
			t.Fatalf("%s: %v", value, err)
		}
		m[last] = v
	}
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCheckOB2Rules changes one thing at a time in valid documents and
// states exactly what CheckOB2 finds.
func TestCheckOB2Rules(t *testing.T) {
	const (
		assertion = "val/basic-assertion.json"
		issuer    = "spec/issuer.json"
		badge     = "spec/badgeclass.json"
		revList   = "spec/revocation-list.json"
	)
	embeddedBadge := `{"type":"BadgeClass","id":"https://example.org/b","name":"B","description":"D","image":"https://example.org/b.png","criteria":{"narrative":"Do it"},` +
		`"issuer":{"type":"Profile","id":"https://example.org/i","name":"I","url":"https://example.org","email":"a@example.org","verification":{"allowedOrigins":["example.org","badges.example.org"],"startsWith":"https://example.org/badges/"}}}`
	tests := []struct {
		name    string
		base    string
		changes map[string]string
		want    []Problem
	}{
		{"embedded badge and issuer", assertion, map[string]string{"badge": embeddedBadge}, nil},
		{"verify alias", assertion, map[string]string{"verification": "", "verify": `{"type":"hosted"}`}, nil},
		{"no recipient", assertion, map[string]string{"recipient": ""},
			[]Problem{{"/recipient", "ob2/required", "recipient is required", SeverityError}}},
		{"no verification", assertion, map[string]string{"verification": ""},
			[]Problem{{"/verification", "ob2/required", "verification is required", SeverityError}}},
		{"recipient is a string", assertion, map[string]string{"recipient": `"nobody@example.org"`},
			[]Problem{{"/recipient", "ob2/value", "recipient must be an object, not a string", SeverityError}}},
		{"hashed is a string", assertion, map[string]string{"recipient/hashed": `"true"`},
			[]Problem{{"/recipient/hashed", "ob2/boolean", "hashed must be true or false, not a string", SeverityError}}},
		{"hashed identity not a hash", assertion, map[string]string{"recipient/identity": `"nobody@example.org"`},
			[]Problem{{"/recipient/identity", "ob2/identity", `a hashed identity is sha256$ and 64 hex digits, or md5$ and 32; got "nobody@example.org"`, SeverityError}}},
		{"sha1 identity", assertion, map[string]string{"recipient/identity": `"sha1$da39a3ee5e6b4b0d3255bfef95601890afd80709"`},
			[]Problem{{"/recipient/identity", "ob2/identity", `a hashed identity is sha256$ and 64 hex digits, or md5$ and 32; got "sha1$da39a3ee5e6b4b0d3255bfef95601890afd80709"`, SeverityError}}},
		{"plain identity", assertion, map[string]string{"recipient/identity": `"nobody@example.org"`, "recipient/hashed": "false", "recipient/salt": ""}, nil},
		{"md5 identity", assertion, map[string]string{"recipient/identity": `"md5$df7f6ab472edfcaf9040a8bbdee36400"`}, nil},
		{"unusual identity type", assertion, map[string]string{"recipient/type": `"sourcedId"`},
			[]Problem{{"/recipient/type", "ob2/identity-type", `recipient type "sourcedId" is not one of id, email, url and telephone, the identifier properties verifiers know`, SeverityWarning}}},
		{"no identity type", assertion, map[string]string{"recipient/type": ""},
			[]Problem{{"/recipient/type", "ob2/required", "type is required: the profile property the identity is a value of, such as email", SeverityError}}},
		{"signed verification", assertion, map[string]string{"verification": `{"type":"SignedBadge","creator":"https://example.org/key.json"}`}, nil},
		{"verification type array", assertion, map[string]string{"verification/type": `["HostedBadge"]`}, nil},
		{"verification type unknown", assertion, map[string]string{"verification/type": `"LinkedDataSignature"`},
			[]Problem{{"/verification/type", "ob2/type", `"LinkedDataSignature" is not a type the Open Badges 2.0 context defines, nor an IRI`, SeverityError},
				{"/verification/type", "ob2/verification", "the verification type must be HostedBadge or SignedBadge (or their aliases hosted and signed)", SeverityError}}},
		{"creator not an IRI", assertion, map[string]string{"verification": `{"type":"signed","creator":"key1"}`},
			[]Problem{{"/verification/creator", "ob2/iri", `creator must be an IRI (an http or https URL, a urn:uuid or a blank node _:...), got "key1"`, SeverityError}}},
		{"hosted urn:uuid id", assertion, map[string]string{"id": `"urn:uuid:a953081a-4bbd-4927-9653-7219bca00e3b"`},
			[]Problem{{"/id", "ob2/hosted-id", `a hosted assertion is verified by fetching its id, so the id must be an http or https URL; got "urn:uuid:a953081a-4bbd-4927-9653-7219bca00e3b"`, SeverityError}}},
		{"id not an IRI", assertion, map[string]string{"id": `"did:example:123"`},
			[]Problem{{"/id", "ob2/iri", `id must be an IRI (an http or https URL, a urn:uuid or a blank node _:...), got "did:example:123"`, SeverityError}}},
		{"Unix timestamp", assertion, map[string]string{"issuedOn": "1483228799"},
			[]Problem{{"/issuedOn", "ob2/datetime", "issuedOn is a Unix timestamp (1483228799), which OB 1.0 allowed; OB 2.0 requires an ISO 8601 string with a time zone, such as 2016-12-31T23:59:59+00:00", SeverityError}}},
		{"no time zone", assertion, map[string]string{"issuedOn": `"2016-12-31T23:59:59"`},
			[]Problem{{"/issuedOn", "ob2/datetime", `issuedOn must be an ISO 8601 date-time with a time zone, such as 2016-12-31T23:59:59+00:00; got "2016-12-31T23:59:59"`, SeverityError}}},
		{"expires before issuedOn", assertion, map[string]string{"expires": `"2016-12-31T23:59:58+00:00"`},
			[]Problem{{"/expires", "ob2/expires", "expires (2016-12-31T23:59:58+00:00) is before issuedOn (2016-12-31T23:59:59Z)", SeverityError}}},
		{"expires in another zone, after", assertion, map[string]string{"expires": `"2016-12-31T20:00:00-04:00"`}, nil},
		{"badge not an IRI", assertion, map[string]string{"badge": `"robotics-badge.json"`},
			[]Problem{{"/badge", "ob2/iri", `badge must be an IRI or an object, got "robotics-badge.json"`, SeverityError}}},
		{"evidence array", assertion, map[string]string{"evidence": `["https://example.org/1",{"narrative":"n","genre":"Film"}]`}, nil},
		{"evidence bad", assertion, map[string]string{"evidence": `[42]`},
			[]Problem{{"/evidence/0", "ob2/value", "evidence must be an IRI or an object, not a number", SeverityError}}},
		{"two badges", assertion, map[string]string{"badge": `["https://example.org/a","https://example.org/b"]`},
			[]Problem{{"/badge", "ob2/value", "badge takes one value, not an array", SeverityError}}},
		{"image object", assertion, map[string]string{"image": `{"id":"https://example.org/i.png","caption":"c"}`}, nil},
		{"image object without id", assertion, map[string]string{"image": `{"caption":"c"}`},
			[]Problem{{"/image/id", "ob2/required", "an Image object's id (its URL or data URI) is required", SeverityError}}},
		{"image not a URL", assertion, map[string]string{"image": `"ftp://example.org/i.png"`},
			[]Problem{{"/image", "ob2/image", `image must be an http or https URL or a data URI, got "ftp://example.org/i.png"`, SeverityError}}},
		{"revoked, stripped", assertion, map[string]string{"revoked": "true", "recipient": "", "badge": "", "verification": "", "issuedOn": "", "type": ""}, nil},
		{"revoked, no id", assertion, map[string]string{"revoked": "true", "id": "", "type": ""},
			[]Problem{{"/id", "ob2/required", "id is required", SeverityError}}},
		{"revoked not boolean", assertion, map[string]string{"revoked": `"yes"`},
			[]Problem{{"/revoked", "ob2/boolean", "revoked must be true or false, not a string", SeverityError}}},
		{"OB 1.1 context", assertion, map[string]string{"@context": `"https://w3id.org/openbadges/v1"`},
			[]Problem{{"/@context", "ob2/context", "https://w3id.org/openbadges/v1 is the Open Badges 1.1 context: this is an OB 1.1 document, which OB 2.0 replaced (its context is https://w3id.org/openbadges/v2)", SeverityError}}},
		{"published context URL", assertion, map[string]string{"@context": `"https://openbadgespec.org/v2/context.json"`}, nil},
		{"extra context: types not checked", assertion, map[string]string{"@context": `["https://w3id.org/openbadges/v2",{"Thing":"https://example.org/Thing"}]`, "evidence": `{"type":"Thing"}`}, nil},
		{"type not a term", assertion, map[string]string{"evidence": `{"type":"Thing"}`},
			[]Problem{{"/evidence/type", "ob2/type", `"Thing" is not a type the Open Badges 2.0 context defines, nor an IRI`, SeverityError}}},
		{"type compact IRI and IRI", assertion, map[string]string{"type": `["Assertion","extensions:Thing","https://example.org/Thing"]`}, nil},
		{"type unknown prefix", assertion, map[string]string{"type": `["Assertion","ex:Thing"]`},
			[]Problem{{"/type/1", "ob2/type", `"ex:Thing" is not a type the Open Badges 2.0 context defines, nor an IRI`, SeverityError}}},
		{"language", assertion, map[string]string{"@language": `"en US"`},
			[]Problem{{"/@language", "ob2/language", `@language must be a language tag such as en or pt-BR, got "en US"`, SeverityError}}},

		{"issuer without email", issuer, map[string]string{"email": ""},
			[]Problem{{"/email", "ob2/required", "email is required", SeverityError}}},
		{"issuer bad email", issuer, map[string]string{"email": `"contact"`},
			[]Problem{{"/email", "ob2/email", `email must be an email address, got "contact"`, SeverityError}}},
		{"issuer two emails", issuer, map[string]string{"email": `["a@example.org","b@example.org"]`}, nil},
		{"issuer url not http", issuer, map[string]string{"url": `"example.org"`},
			[]Problem{{"/url", "ob2/url", `url must be an http or https URL, got "example.org"`, SeverityError}}},
		{"issuer telephone", issuer, map[string]string{"telephone": `"+1 617 555 1212"`},
			[]Problem{{"/telephone", "ob2/telephone", `telephone must be a telephone number in E.164 form such as +16175551212, got "+1 617 555 1212"`, SeverityError}}},
		{"issuer origins", issuer, map[string]string{"verification": `{"allowedOrigins":["example.org","https://example.org","example.org:8443"]}`},
			[]Problem{
				{"/verification/allowedOrigins/1", "ob2/origin", `allowedOrigins entries are host names such as example.org (no scheme, port or path), got "https://example.org"`, SeverityError},
				{"/verification/allowedOrigins/2", "ob2/origin", `allowedOrigins entries are host names such as example.org (no scheme, port or path), got "example.org:8443"`, SeverityError}}},
		{"issuer startsWith", issuer, map[string]string{"verification": `{"type":"VerificationObject","startsWith":"example.org/badges"}`},
			[]Problem{{"/verification/startsWith", "ob2/url", `startsWith must be an http or https URL, got "example.org/badges"`, SeverityError}}},
		{"issuer verificationProperty", issuer, map[string]string{"verification": `{"verificationProperty":"id"}`}, nil},
		{"issuer embedded keys", issuer, map[string]string{"publicKey": `[{"type":"CryptographicKey","id":"https://example.org/k","owner":"https://example.org/organization.json","publicKeyPem":"-----BEGIN PUBLIC KEY-----"},"https://example.org/k2"]`}, nil},
		{"issuer urn id", issuer, map[string]string{"id": `"urn:uuid:2d391246-6e0d-4dab-906c-b29770bd7aa6"`},
			[]Problem{{"/id", "ob2/issuer-id", `the issuer's id "urn:uuid:2d391246-6e0d-4dab-906c-b29770bd7aa6" is not an http or https URL: its profile cannot be fetched, and many platforms handle only issuers hosted at one`, SeverityWarning}}},
		{"issuer wrong type", issuer, map[string]string{"type": `["Profile2","Issuer2"]`},
			[]Problem{{"/type", "ob2/class", "type names no Open Badges 2.0 class (Assertion, BadgeClass, Issuer, Profile, Endorsement, CryptographicKey, RevocationList, AlignmentObject, Criteria, Evidence, Image)", SeverityError}}},

		{"badge class data image", badge, map[string]string{"image": `"data:image/png;base64,iVBORw0KGgo="`}, nil},
		{"badge class no criteria", badge, map[string]string{"criteria": ""},
			[]Problem{{"/criteria", "ob2/required", "criteria is required", SeverityError}}},
		{"alignment without url", badge, map[string]string{"alignment": `{"targetName":"x"}`},
			[]Problem{{"/alignment/targetUrl", "ob2/required", "targetUrl is required", SeverityError}}},
		{"tags not text", badge, map[string]string{"tags": `["a",1]`},
			[]Problem{{"/tags/1", "ob2/text", "tags must be text, not a number", SeverityError}}},
		{"embedded issuer wrong type", badge, map[string]string{"issuer": `{"id":"https://example.org/i","type":["Issuer2","obi:Thing"],"name":"I","url":"https://example.org","email":"a@example.org"}`},
			[]Problem{{"/issuer/type", "ob2/type", "type must include Issuer or Profile", SeverityError},
				{"/issuer/type/0", "ob2/type", `"Issuer2" is not a type the Open Badges 2.0 context defines, nor an IRI`, SeverityError}}},
		{"embedded issuer incomplete", badge, map[string]string{"issuer": `{"id":"https://example.org/i","type":"Issuer"}`},
			[]Problem{{"/issuer/email", "ob2/required", "email is required", SeverityError},
				{"/issuer/name", "ob2/required", "name is required", SeverityError},
				{"/issuer/url", "ob2/required", "url is required", SeverityError}}},

		{"revocation entry without id", revList, map[string]string{"revokedAssertions": `[{"revocationReason":"x"}]`},
			[]Problem{{"/revokedAssertions/0", "ob2/revoked-entry", "a revoked assertion is identified by its id (or, for OB 1.x, its uid); this entry has neither", SeverityError}}},
		{"revocation entry not an IRI", revList, map[string]string{"revokedAssertions": `"abc123"`},
			[]Problem{{"/revokedAssertions", "ob2/iri", `a revoked assertion given as a string is its id, an IRI; got "abc123"`, SeverityError}}},
		{"revocation list without entries", revList, map[string]string{"revokedAssertions": ""},
			[]Problem{{"/revokedAssertions", "ob2/required", "revokedAssertions is required", SeverityError}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := CheckOB2(mutate(t, readOB2(t, tt.base), tt.changes), nil)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, r.Problems); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckOB2Input(t *testing.T) {
	tests := []struct {
		name string
		data string
		want *OB2CheckResult
		err  bool
	}{
		{"array", `[]`, &OB2CheckResult{Problems: []Problem{{"", "ob2/value", "an OB 2.0 document is a JSON object, not an array", SeverityError}}}, false},
		{"duplicate member", `{"@context":"https://w3id.org/openbadges/v2","type":"Assertion","type":"BadgeClass"}`,
			&OB2CheckResult{Problems: []Problem{{"/type", "decode", `duplicate object member "type"`, SeverityError}}}, false},
		{"not JSON", `{"a":`, nil, true},
		{"too deep", strings.Repeat("[", 100) + strings.Repeat("]", 100), nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := CheckOB2([]byte(tt.data), nil)
			if (err != nil) != tt.err {
				t.Fatalf("err = %v", err)
			}
			if diff := cmp.Diff(tt.want, r); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
