package credential

import (
	"bytes"
	"encoding/base64"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// found is the part of a Problem the fixture table states.
type found struct {
	Pointer string
	Rule    string
	Warning bool
}

func foundOf(ps []Problem) []found {
	var out []found
	for _, p := range ps {
		out = append(out, found{p.Pointer, p.Rule, p.Severity == SeverityWarning})
	}
	return out
}

// jwsPayload returns the decoded payload of a compact JWS file.
func jwsPayload(t *testing.T, data []byte) []byte {
	t.Helper()
	parts := bytes.Split(bytes.TrimSpace(data), []byte("."))
	if len(parts) != 3 {
		t.Fatalf("not a compact JWS: %d parts", len(parts))
	}
	p, err := base64.RawURLEncoding.DecodeString(string(parts[1]))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestOB2Fixtures checks every OB 2.0 fixture: the class CheckOB2 reads it
// as and exactly the problems it reports. The IMS validator's verdict on
// each val/ file (OB20Tests.java) is noted where it is not simply "valid".
func TestOB2Fixtures(t *testing.T) {
	const (
		inline = "/@context" // the OB 2.0 context written inline: a warning
	)
	ctxWarn := found{inline, "ob2/context", true}
	noImage := found{"/image", "ob2/required", true}
	tests := []struct {
		file  string
		class string
		want  []found
	}{
		{"val/basic-assertion.json", "Assertion", nil},
		{"val/basic-assertion-expired.json", "Assertion", nil},   // expired: for verify, which knows the time
		{"val/basic-assertion-in-future.json", "Assertion", nil}, // likewise
		{"val/basic-assertion-with-language.json", "Assertion", nil},
		{"val/basic-assertion-with-allowed-origins.json", "Assertion", nil},
		{"val/basic-assertion-invalid-context.json", "Assertion", []found{{"/@context", "ob2/context", false}}},
		{"val/basic-assertion-invalid-type.json", "", []found{{"/type", "ob2/class", false}}},
		{"val/assertion-with-data-image.json", "Assertion", []found{{"/image", "ob2/image", false}}}, // the validator: invalid
		{"val/assertion-with-endorsements.json", "Assertion", nil},
		{"val/assertion-with-extension-node-basic.json", "Assertion", nil},
		{"val/assertion-with-multiple-extensions.json", "Assertion", nil},
		{"val/warning-issuer-non-http.json", "Assertion", nil}, // the warning is about the linked issuer
		{"val/badge-class-with-language.json", "BadgeClass", []found{noImage}},
		{"val/issuer-compact-iri-validation.json", "Issuer", nil},
		{"val/rdf-badge-class-invalid-issuer-type.json", "BadgeClass", []found{noImage}}, // its linked issuer is the fault
		{"val/rdf-invalid-class.json", "", []found{ctxWarn, {"/type", "ob2/class", false}}},
		{"val/rdf-invalid-empty-type.json", "", []found{ctxWarn, {"/type", "ob2/class", false}}},
		{"val/rdf-valid-alignment-object.json", "AlignmentObject", []found{ctxWarn}},
		{"val/rdf-valid-badge-class-empty-criteria-type.json", "BadgeClass", []found{ctxWarn, noImage}},
		{"val/assets-robotics-badge.json", "BadgeClass", nil},
		{"val/assets-badgeclass1.json", "BadgeClass", []found{ctxWarn}},
		{"val/assets-badgeclass-with-complex-image.json", "BadgeClass", nil},
		{"val/assets-badgeclass-with-verification.json", "BadgeClass", []found{ctxWarn}},
		{"val/assets-badge-with-data-image.json", "BadgeClass", nil},
		{"val/assets-badgecriteria.json", "", []found{{"", "ob2/class", false}, {"", "ob2/context", false}}},
		{"val/assets-criteria-no-type.json", "", []found{{"", "ob2/class", false}, ctxWarn}},
		{"val/assets-issuer-invalid-type.json", "Criteria", []found{ctxWarn}},
		{"val/assets-issuer1.json", "Issuer", []found{ctxWarn}},
		{"val/assets-issuer-with-allowed-origins.json", "Issuer", []found{ctxWarn}},
		{"val/assets-issuer-with-allowed-origins-valid-starts-with.json", "Issuer", []found{ctxWarn}},
		{"val/assets-organization.json", "Issuer", nil},
		{"val/assets-organization-no-public-key.json", "Issuer", nil},
		{"val/assets-organization-with-revocation-list.json", "Issuer", nil},
		{"val/assets-key1.json", "CryptographicKey", nil},
		{"val/assets-key2.json", "CryptographicKey", nil},
		{"val/assets-key3.json", "CryptographicKey", nil},
		{"val/assets-revocation-list.json", "RevocationList", nil},
		{"val/assets-empty-revocation-list.json", "RevocationList", nil},
		{"val/assets-endorsement-1.json", "Endorsement", nil},
		{"val/assets-bad-issuer.json", "Issuer", []found{ctxWarn, {"/id", "ob2/issuer-id", true}}},
		{"val/simple.jwt", "Assertion", nil},
		{"val/simple-revoked.jwt", "Assertion", nil},
		{"val/simple-not-revoked.jwt", "Assertion", nil},

		{"spec/assertion.json", "Assertion", nil},
		{"spec/intro-assertion.json", "Assertion", []found{{"/recipient/hashed", "ob2/required", false}}}, // the spec's own first example omits hashed, which its table requires
		{"spec/badgeclass.json", "BadgeClass", nil},
		{"spec/issuer.json", "Issuer", nil},
		{"spec/signed-assertion-claims.json", "Assertion", nil},
		{"spec/signed-badge-example.jws", "Assertion", nil}, // uses the alias verify
		{"spec/cryptographic-key.json", "CryptographicKey", nil},
		{"spec/revocation-list.json", "RevocationList", nil},
		{"spec/revoked-hosted-assertion.json", "Assertion", nil},
		{"spec/endorsement-badgeclass.json", "Endorsement", nil},
		{"spec/endorsement-assertion.json", "Endorsement", nil},
		{"spec/endorsement-profile-email.json", "Endorsement", nil},
		{"spec/endorsement-revoked.json", "Endorsement", nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data := readOB2(t, tt.file)
			if bytes.HasSuffix([]byte(tt.file), []byte("jwt")) || bytes.HasSuffix([]byte(tt.file), []byte("jws")) {
				data = jwsPayload(t, data)
			}
			r, err := CheckOB2(data, nil)
			if err != nil {
				t.Fatal(err)
			}
			if r.Class != tt.class {
				t.Errorf("Class = %q, want %q", r.Class, tt.class)
			}
			if diff := cmp.Diff(tt.want, foundOf(r.Problems)); diff != "" {
				t.Errorf("problems (-want +got):\n%s\nall: %v", diff, r.Problems)
			}
			wantValid := true
			for _, f := range tt.want {
				wantValid = wantValid && f.Warning
			}
			if r.Valid() != wantValid {
				t.Errorf("Valid() = %v, want %v", r.Valid(), wantValid)
			}
			// Every document of a class decodes into its type.
			var derr error
			switch r.Class {
			case "Assertion":
				_, derr = ParseOB2Assertion(data, nil)
			case "BadgeClass":
				_, derr = ParseOB2BadgeClass(data, nil)
			case "Issuer", "Profile":
				_, derr = ParseOB2Profile(data, nil)
			case "CryptographicKey":
				_, derr = ParseOB2CryptographicKey(data, nil)
			case "RevocationList":
				_, derr = ParseOB2RevocationList(data, nil)
			case "Endorsement":
				_, derr = ParseOB2Endorsement(data, nil)
			}
			if derr != nil {
				t.Errorf("decoding as %s: %v", r.Class, derr)
			}
		})
	}
}

func TestCheckOB2NotJSON(t *testing.T) {
	_, err := CheckOB2(readOB2(t, "val/redirected-validation-subject.json"), nil)
	var de *DecodeError
	if !errors.As(err, &de) {
		t.Fatalf("CheckOB2 of a file with comments: err = %v, want a *DecodeError", err)
	}
}
