package verify

import (
	"context"
	"encoding/base64"
	"fmt"
	"testing"

	"github.com/go-openbadges/openbadges/proof/jose"
	"github.com/google/go-cmp/cmp"
)

// TestEnveloped verifies VC-JOSE credentials in an
// EnvelopedVerifiableCredential and as a bare data: URL, and refuses
// envelopes that VC-JOSE-COSE and the VC Data Model do not allow: the
// envelope is not signed, so what it claims beyond its data: URL is never
// taken on trust.
func TestEnveloped(t *testing.T) {
	ctx := context.Background()
	is := newIssuer(t, 1)
	jws, err := (&jose.Signer{Key: is.key, KeyID: is.vm, Format: jose.FormatVCJOSE}).Sign(ctx, is.award(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	tampered := []byte(jws)
	if i := len(tampered) - 5; tampered[i] == 'A' {
		tampered[i] = 'B'
	} else {
		tampered[i] = 'A'
	}
	envelope := func(ctxJSON, typ, id string) string {
		return fmt.Sprintf(`{"@context": %s, "id": %q, "type": %s}`, ctxJSON, id, typ)
	}
	const v2 = `"https://www.w3.org/ns/credentials/v2"`
	const typ = `"EnvelopedVerifiableCredential"`
	good := "data:application/vc+jwt," + jws
	for _, tc := range []struct {
		name      string
		input     string
		wantInput string
		verified  bool
		message   string // the input check's
	}{
		{"envelope", envelope(v2, typ, good), "enveloped", true, "a VC-JOSE in an EnvelopedVerifiableCredential"},
		{"envelope, context array", envelope(`[`+v2+`]`, `[`+typ+`]`, good), "enveloped", true, "a VC-JOSE in an EnvelopedVerifiableCredential"},
		{"envelope, base64", envelope(v2, typ, "data:application/vc+jwt;base64,"+base64.StdEncoding.EncodeToString([]byte(jws))), "enveloped", true, "a VC-JOSE in an EnvelopedVerifiableCredential"},
		{"data: URL alone", good, "enveloped", true, "a VC-JOSE in an EnvelopedVerifiableCredential"},
		{"tampered JWS", envelope(v2, typ, "data:application/vc+jwt,"+string(tampered)), "enveloped", false, "a VC-JOSE in an EnvelopedVerifiableCredential"},
		{"empty context", envelope(`[]`, typ, good), "enveloped", false, "not a well-formed EnvelopedVerifiableCredential: @context is empty; its first item must be https://www.w3.org/ns/credentials/v2"},
		{"VCDM 1.1 context", envelope(`"https://www.w3.org/2018/credentials/v1"`, typ, good), "enveloped", false, "not a well-formed EnvelopedVerifiableCredential: the first @context must be https://www.w3.org/ns/credentials/v2"},
		{"no context", `{"id": "` + good + `", "type": "EnvelopedVerifiableCredential"}`, "enveloped", false, "not a well-formed EnvelopedVerifiableCredential: @context is missing"},
		{"context not a URL", envelope(`[`+v2+`, "credentials"]`, typ, good), "enveloped", false, `not a well-formed EnvelopedVerifiableCredential: @context[1] "credentials" is not a URL`},
		{"another type too", envelope(v2, `["EnvelopedVerifiableCredential", "VerifiableCredential"]`, good), "enveloped", false, `not a well-formed EnvelopedVerifiableCredential: type ["EnvelopedVerifiableCredential" "VerifiableCredential"] must be EnvelopedVerifiableCredential alone`},
		{"unsigned claims beside", `{"@context": ` + v2 + `, "id": "` + good + `", "type": ` + typ + `, "name": "Doctorate"}`, "enveloped", false, `not a well-formed EnvelopedVerifiableCredential: member "name" is not part of an envelope and would not be verified`},
		{"id not a data: URL", envelope(v2, typ, "https://example.edu/credentials/1"), "enveloped", false, "not a well-formed EnvelopedVerifiableCredential: id is not a data: URL"},
		{"unknown media type", envelope(v2, typ, "data:application/json,{}"), "enveloped", false, `not a well-formed EnvelopedVerifiableCredential: media type "application/json": want one of application/vc+jwt, application/vc-ld+jwt, application/vc+ld+json+jwt, application/jwt`},
		{"not a JWS", envelope(v2, typ, "data:application/vc+jwt,hello"), "enveloped", false, "not a well-formed EnvelopedVerifiableCredential: the data: URL does not hold a compact JWS"},
		{"bad base64", envelope(v2, typ, "data:application/vc+jwt;base64,!!"), "enveloped", false, "not a well-formed EnvelopedVerifiableCredential: the data: URL is not valid base64: illegal base64 data at input byte 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := Verify(ctx, []byte(tc.input), nil, &Policy{Now: t2026})
			if err != nil {
				t.Fatal(err)
			}
			got := []any{rep.Input, rep.Verified, rep.Check(CheckInput).Message}
			want := []any{tc.wantInput, tc.verified, tc.message}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s\n%s", diff, rep)
			}
			if tc.name == "tampered JWS" && rep.Check(CheckProof).Outcome != Failed {
				t.Errorf("tampered: proof %s", rep.Check(CheckProof).Outcome)
			}
		})
	}
	// A data: URL that is not one is not an input at all.
	if _, err := Verify(ctx, []byte("data:text/plain,hello"), nil, nil); err == nil {
		t.Error("data:text/plain: no error")
	}
}
