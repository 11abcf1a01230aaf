package verify

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDataModelRules: the rules check applies the W3C VC Data Model's
// rules, with VCOnly (where the OB 3.0 rules are not applied) too. Each
// credential is signed by a did:key issuer, so that its proof verifies and
// the rules alone decide.
func TestDataModelRules(t *testing.T) {
	is := newIssuer(t, 7)
	vc := func(extra string) []byte {
		return is.signDI(t, []byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],`+
			`"issuer":"`+is.did+`","validFrom":"2025-01-01T00:00:00Z",`+extra+`"credentialSubject":{"id":"did:example:subject"}}`))
	}
	type finding struct{ Pointer, Rule string }
	// An Open Badge whose relatedResource names the v2 context with the
	// digest of another context: the OB rules do not model relatedResource,
	// the data model rules refuse it.
	ob := is.award(t, nil)
	ob = append(ob[:len(ob)-1], `,"relatedResource":[{"id":"https://www.w3.org/ns/credentials/v2","digestMultibase":"uEiBXOT-8adbvubm13Jy2uYgLCUQ2Cr_i6vRZyeWM8iedfA"}]}`...)
	tests := []struct {
		name     string
		cred     []byte
		policy   Policy
		verified bool
		rules    Outcome
		want     []finding // the rules check's details
	}{
		{"VCOnly, conforming", vc(``), Policy{VCOnly: true}, true, Passed, nil},
		{"VCOnly, credentialStatus without type", vc(`"credentialStatus":{"id":"https://example.org/status/1"},`),
			Policy{VCOnly: true, AllowUnknownStatus: true}, false, Failed, []finding{{"/credentialStatus/type", "vcdm/credentialStatus-type"}}},
		{"VCOnly, evidence without type", vc(`"evidence":{"id":"https://example.org/evidence/1"},`),
			Policy{VCOnly: true}, false, Failed, []finding{{"/evidence/type", "vcdm/evidence-type"}}},
		{"VCOnly, empty credentialSubject", is.signDI(t, []byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"`+is.did+`","credentialSubject":{}}`)),
			Policy{VCOnly: true}, false, Failed, []finding{{"/credentialSubject", "vcdm/credentialSubject"}}},
		{"VCOnly, relatedResource of another version", vc(`"relatedResource":[{"id":"https://www.w3.org/ns/credentials/v2","digestSRI":"sha384-NSOcNpmdIVUxIJGvGUoe22FjTWrXiaXlsZ8q6912LdnR3KraQO2n75Ica4wK4Qeg"}],`),
			Policy{VCOnly: true}, false, Failed, []finding{{"/relatedResource/0/digestSRI", "vcdm/relatedResource-integrity"}}},
		{"Open Badge, relatedResource of another version", is.signDI(t, ob), Policy{Now: t2026}, false, Failed,
			[]finding{{"/relatedResource/0/digestMultibase", "vcdm/relatedResource-integrity"}}},
		{"Open Badge, conforming", is.signDI(t, is.award(t, nil)), Policy{Now: t2026}, true, Passed, nil},
	}

	v, err := New(Trust{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := v.Verify(context.Background(), tt.cred, &tt.policy)
			if err != nil {
				t.Fatal(err)
			}
			rules := rep.Check(CheckRules)
			if rep.Verified != tt.verified || rules == nil || rules.Outcome != tt.rules {
				t.Fatalf("verified %v, rules %+v; want %v, %s\n%s", rep.Verified, rules, tt.verified, tt.rules, rep)
			}
			var got []finding
			ps, _ := rules.Details.([]ProblemDetail)
			for _, p := range ps {
				got = append(got, finding{p.Pointer, p.Rule})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("rules findings (-want +got):\n%s", diff)
			}
			// Nothing else fails: the rules decide.
			for _, c := range rep.Failed() {
				if c.ID != CheckRules {
					t.Errorf("check %s failed too: %s", c.ID, c.Message)
				}
			}
		})
	}
}

// TestDataModelRulesJWT11: a VCDM 1.1 JWT may leave issuanceDate out of
// its vc claim, its nbf claim saying it (VC-JWT 1.1's transformation
// rules): the rules check reads it there, with VCOnly and without.
func TestDataModelRulesJWT11(t *testing.T) {
	is := newIssuer(t, 7)
	b64 := base64.RawURLEncoding.EncodeToString
	token := func(payload string) []byte {
		in := b64([]byte(`{"alg":"EdDSA","typ":"JWT","kid":"`+is.vm+`"}`)) + "." + b64([]byte(payload))
		return []byte(in + "." + b64(ed25519.Sign(is.key, []byte(in))))
	}
	vc := `{"@context":["https://www.w3.org/2018/credentials/v1"],"type":["VerifiableCredential"],"issuer":"` + is.did + `","credentialSubject":{"id":"did:example:subject"}}`
	withNbf := token(`{"iss":"` + is.did + `","nbf":1735689600,"vc":` + vc + `}`)
	without := token(`{"iss":"` + is.did + `","vc":` + vc + `}`)
	tests := []struct {
		name   string
		token  []byte
		vcOnly bool
		want   []string // the rules of the findings at /issuanceDate
	}{
		{"nbf, VCOnly", withNbf, true, nil},
		{"nbf, Open Badges", withNbf, false, nil},
		{"no nbf, VCOnly", without, true, []string{"vcdm/issuanceDate"}},
		{"no nbf, Open Badges", without, false, []string{"required"}},
	}
	v, err := New(Trust{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		rep, err := v.Verify(context.Background(), tt.token, &Policy{VCOnly: tt.vcOnly, Now: t2026})
		if err != nil {
			t.Fatal(err)
		}
		c := rep.Check(CheckRules)
		if c == nil {
			t.Fatalf("%s: no rules check\n%s", tt.name, rep)
		}
		var got []string
		ps, _ := c.Details.([]ProblemDetail)
		for _, p := range ps {
			if p.Pointer == "/issuanceDate" {
				got = append(got, p.Rule)
			}
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: findings at /issuanceDate (-want +got):\n%s", tt.name, diff)
		}
		if tt.vcOnly && (c.Outcome == Passed) != (tt.want == nil) {
			t.Errorf("%s: rules %s", tt.name, c.Outcome)
		}
	}
}
