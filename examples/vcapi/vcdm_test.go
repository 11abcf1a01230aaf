package main

import (
	"crypto"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/status"
)

// countingSigner counts the signatures made with its key.
type countingSigner struct {
	crypto.Signer
	n *atomic.Int64
}

func (s countingSigner) Sign(rand io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	s.n.Add(1)
	return s.Signer.Sign(rand, digest, opts)
}

// TestIssueRefusesDataModelFaults: a credential the VC Data Model forbids
// is refused with 400 and a problem detail per fault, before anything is
// signed (or a status entry allocated); a conforming one is signed.
func TestIssueRefusesDataModelFaults(t *testing.T) {
	var signs atomic.Int64
	h, err := newServer(config{BaseURL: testBase,
		Ed25519: countingSigner{testEd25519, &signs}, P256: countingSigner{testP256, &signs},
		Status: []status.Purpose{status.Revocation}})
	if err != nil {
		t.Fatal(err)
	}
	edDID := mustDID(t, testEd25519)
	cred := func(extra string) string {
		return `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],` + extra +
			`"credentialSubject":{"id":"did:example:subject"}}`
	}
	detail := func(s string) []string { return []string{s} }
	tests := []struct {
		name, cred, options string
		want                []string // the details of the problems, each MALFORMED_VALUE_ERROR
	}{
		{"credentialStatus without type", cred(`"credentialStatus":{"id":"did:example:status"},`), `{"credentialStatus":false}`,
			detail("/credentialStatus/type: each credentialStatus entry must have a type, such as BitstringStatusListEntry [vcdm/credentialStatus-type]")},
		{"credentialStatus without type, as a JWT", cred(`"credentialStatus":{"id":"did:example:status"},`), `{"format":"vc+jwt","credentialStatus":false}`,
			detail("/credentialStatus/type: each credentialStatus entry must have a type, such as BitstringStatusListEntry [vcdm/credentialStatus-type]")},
		{"evidence without type", cred(`"evidence":{},`), ``,
			detail("/evidence/type: each evidence entry must have a type, such as Evidence [vcdm/evidence-type]")},
		{"credentialSchema without id", cred(`"credentialSchema":{"type":"JsonSchema"},`), ``,
			detail("/credentialSchema/id: each credentialSchema entry must have an id, a URL [vcdm/credentialSchema-id]")},
		{"no credentialSubject", `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"]}`, ``,
			detail("/credentialSubject: credentialSubject is required: the subject the credential makes claims about, and the claims [vcdm/credentialSubject]")},
		{"validFrom", cred(`"validFrom":"Sat 25 Feb 2023 07:16:31 PM CST",`), ``,
			detail(`/validFrom: validFrom: "Sat 25 Feb 2023 07:16:31 PM CST" is not an XML Schema dateTimeStamp (a date-time with a time zone) such as 2024-03-01T12:00:00Z [vcdm/validFrom]`)},
		{"id and type", `{"@context":["https://www.w3.org/ns/credentials/v2"],"id":"https ://not-a-url/1","type":["RelationshipCredential"],"credentialSubject":{"id":"did:example:subject"}}`, ``, []string{
			`/id: id must be a URL (with a scheme, such as https:, urn: or did:), got "https ://not-a-url/1" [vcdm/id]`,
			`/type: type must include "VerifiableCredential", got "RelationshipCredential" [vcdm/type]`}},
		{"issuer's name", cred(`"issuer":{"id":"` + edDID + `","name":{"@value":"Example","url":"did:example:issuer"}},`), ``,
			detail(`/issuer/name/url: a language value object holds only @value, @language and @direction, not "url" [vcdm/name]`)},
		{"a presentation", `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"]}`, ``,
			detail("the credential is a VerifiablePresentation: POST /credentials/issue signs credentials")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			signs.Store(0)
			code, m, body := do(t, h, "POST", "/credentials/issue", issueBody(tt.cred, tt.options))
			if code != http.StatusBadRequest {
				t.Fatalf("issue: %d, want 400:\n%s", code, body)
			}
			var got []string
			pds, _ := m["problemDetails"].([]any)
			for _, p := range pds {
				pm, _ := p.(map[string]any)
				if pm["type"] != problemMalformed || pm["title"] != "MALFORMED_VALUE_ERROR" {
					t.Errorf("problem type %v, title %v; want %s", pm["type"], pm["title"], problemMalformed)
				}
				d, _ := pm["detail"].(string)
				got = append(got, d)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problem details (-want +got):\n%s", diff)
			}
			if n := signs.Load(); n != 0 {
				t.Errorf("%d signatures made for a refused credential", n)
			}
		})
	}

	// The same credential, with its credentialStatus typed, is signed.
	signs.Store(0)
	vc := issue(t, h, cred(`"credentialStatus":{"id":"did:example:status","type":"BitstringStatusListEntry"},`), `{"credentialStatus":false}`)
	if n := signs.Load(); n == 0 || !strings.Contains(string(vc), `"proof"`) {
		t.Errorf("a conforming credential: %d signatures, credential %s", n, vc)
	}
}
