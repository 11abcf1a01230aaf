package verify

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fixtureNow is the time the 1EdTech fixtures are verified at: after
// every validFrom of the valid ones, before 2040 (simple-err-issued).
var fixtureNow = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// TestValidatorFixtures verifies every fixture of the 1EdTech validator
// (testdata/ob30, see its README in ../shared/vectors/ob3) offline and
// checks the verdict and exactly which checks fail, warn or cannot decide.
// Each simple-err-* fixture fails on the check its name gives.
//
// Where the verdict differs from the 1EdTech validator's, the row says why:
//   - simple-did-key-method.json: its proof's key is a did:key whose
//     controller is not the issuer (a urn:uuid). The validator does not
//     compare them; digitalbazaar's vc does ("Credential issuer must match
//     the verification method controller", seen in interop/js) and so does
//     this library (dataintegrity.ErrControllerMismatch).
//   - sd/derivedcredential.json: ecdsa-sd-2023 (selective disclosure) is
//     not implemented here; its proof is reported as an unsupported suite.
//   - complete_v1.json and credential-status-revoked.json name an https key
//     and a 1EdTech revocation list on the network: offline, the key cannot
//     be had and the status is indeterminate.
//   - simple-multiple-proofs.json: the validator reports its undefined proof
//     type as a JSON-LD error, and so does the jsonld check here; the proof
//     check on its own would accept the other, valid proof (a warning).
func TestValidatorFixtures(t *testing.T) {
	for _, tc := range []struct {
		file                          string
		verified                      bool
		failed, warning, inconclusive []string
		errCheck                      string // for simple-err-*: the check the name gives
	}{
		{"complete.json", true, nil, []string{"rules", "proof", "endorsements"}, []string{"status"}, ""},
		{"complete_v1.json", false, []string{"jsonld", "rules", "proof", "validity"}, []string{"context", "endorsements"}, []string{"status"}, ""},
		{"credential-status-revoked.json", true, nil, []string{"context", "rules", "proof"}, []string{"status"}, ""},
		{"endorsement-err-schema-status-refresh.json", false, []string{"credential-schema", "proof"}, []string{"context", "rules"}, []string{"status"}, ""},
		{"endorsement-valid.json", true, nil, []string{"proof"}, nil, ""},
		{"simple-context-alias.json", true, nil, []string{"proof"}, nil, ""},
		{"simple-context-version.json", true, nil, []string{"context", "rules", "proof"}, nil, ""},
		{"simple-did-key-method.json", false, []string{"proof"}, nil, nil, ""},
		{"simple-did-web-method.json", true, nil, []string{"schema", "proof"}, nil, ""},
		{"simple-eddsa-2022.json", true, nil, []string{"context", "rules", "proof"}, nil, ""},
		{"simple-err-context.json", false, []string{"jsonld", "context", "rules", "proof"}, nil, nil, "context"},
		{"simple-err-credential-subject-achievement-result-description-type.json", false, []string{"jsonld", "rules", "proof"}, nil, nil, "rules"},
		{"simple-err-credential-subject-identifier-type.json", false, []string{"jsonld", "rules", "proof"}, nil, nil, "rules"},
		{"simple-err-credential-subject-profile-type.json", false, []string{"jsonld", "rules", "proof"}, nil, nil, "rules"},
		{"simple-err-credential-subject-result-type.json", false, []string{"jsonld", "rules", "proof"}, nil, nil, "rules"},
		{"simple-err-credential-subject-type.json", false, []string{"jsonld", "rules", "proof"}, nil, nil, "rules"},
		{"simple-err-evidence-type.json", false, []string{"jsonld", "rules", "proof"}, nil, nil, "rules"},
		{"simple-err-expired.json", false, []string{"validity"}, []string{"proof"}, nil, "validity"},
		{"simple-err-issued.json", false, []string{"rules", "validity"}, []string{"proof"}, nil, "validity"},
		{"simple-err-issuer-otheridentifier-type.json", false, []string{"jsonld", "rules", "proof"}, nil, nil, "rules"},
		{"simple-err-issuer-parentorg-type.json", false, []string{"jsonld", "rules", "proof"}, nil, nil, "rules"},
		{"simple-err-issuer-type.json", false, []string{"jsonld", "rules", "proof"}, nil, nil, "rules"},
		{"simple-err-issuer.json", false, []string{"rules"}, []string{"proof"}, nil, "rules"},
		{"simple-err-proof-method-no-scheme.json", false, []string{"jsonld", "rules", "proof"}, nil, nil, "proof"},
		{"simple-err-proof-method-unknown-did-method.json", false, []string{"proof"}, nil, nil, "proof"},
		{"simple-err-proof-method-unknown-scheme.json", false, []string{"proof"}, nil, nil, "proof"},
		{"simple-err-proof-method.json", false, []string{"proof"}, []string{"schema"}, nil, "proof"},
		{"simple-err-proof-value.json", false, []string{"proof"}, nil, nil, "proof"},
		{"simple-err-type.json", false, []string{"jsonld", "context", "rules", "proof"}, nil, nil, "context"},
		{"simple-json.png", true, nil, []string{"proof"}, nil, ""},
		{"simple-json.svg", true, nil, []string{"proof"}, nil, ""},
		{"simple-jwt.png", true, nil, []string{"proof"}, nil, ""},
		{"simple-jwt.svg", true, nil, []string{"proof"}, nil, ""},
		{"simple-jwt_v1.png", true, nil, []string{"context", "rules", "proof"}, nil, ""},
		{"simple-jwt_v1.svg", true, nil, []string{"context", "rules", "proof"}, nil, ""},
		{"simple-multiple-proofs.json", false, []string{"jsonld"}, []string{"proof"}, nil, ""},
		{"simple-noproof.json", false, []string{"rules", "proof"}, []string{"context"}, nil, ""},
		{"simple.1ob", true, nil, []string{"proof"}, nil, ""},
		{"simple.json", true, nil, []string{"proof"}, nil, ""},
		{"simple.jwt", false, []string{"jsonld", "context", "rules", "proof"}, nil, nil, ""},
		{"simple_v1.json", true, nil, []string{"context", "rules", "proof"}, nil, ""},
		{"velocity.jwt", false, []string{"jsonld", "rules", "proof"}, []string{"context"}, []string{"status"}, ""},
		{"sd/derivedcredential.json", false, []string{"proof"}, nil, nil, ""},
	} {
		t.Run(tc.file, func(t *testing.T) {
			input, err := os.ReadFile(filepath.Join("testdata/ob30", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			rep, err := Verify(context.Background(), input, &Options{Now: fixtureNow})
			if err != nil {
				t.Fatal(err)
			}
			got := outcomes(rep)
			want := map[Outcome][]string{Failed: tc.failed, Warning: tc.warning, Indeterminate: tc.inconclusive}
			if d := cmp.Diff(want, got); d != "" || rep.Verified != tc.verified {
				t.Errorf("verified %v, want %v; outcomes (-want +got):\n%s\n%s", rep.Verified, tc.verified, d, rep)
			}
			if tc.errCheck != "" && !slices.Contains(tc.failed, tc.errCheck) {
				t.Errorf("the fixture's name says %s, which is not among the failed checks", tc.errCheck)
			}
			if len(rep.Checks) != 13 {
				t.Errorf("%d checks, want all 13 reported", len(rep.Checks))
			}
		})
	}
}

// outcomes groups the IDs of the checks that did not pass or skip.
func outcomes(rep *Report) map[Outcome][]string {
	got := map[Outcome][]string{Failed: nil, Warning: nil, Indeterminate: nil}
	for _, c := range rep.Checks {
		if c.Outcome == Failed || c.Outcome == Warning || c.Outcome == Indeterminate {
			got[c.Outcome] = append(got[c.Outcome], c.ID)
		}
	}
	return got
}

// TestFixtureMessages checks that the failing checks say, in words, what
// the fixture's defect is.
func TestFixtureMessages(t *testing.T) {
	for _, tc := range []struct{ file, check, want string }{
		{"simple-err-expired.json", CheckValidity, "expired: validUntil was 2010-01-01T00:00:00Z"},
		{"simple-err-issued.json", CheckValidity, "not yet valid: validFrom is 2040-01-01T00:00:00Z"},
		{"simple-err-issuer-type.json", CheckRules, `/issuer/type: type must include "Profile", got "InvalidProfile"`},
		{"simple-err-proof-value.json", CheckProof, "the signature does not verify"},
		{"simple-err-credential-subject-type.json", CheckJSONLD, `/credentialSubject/achievement: "achievement" is not defined by any context`},
		{"simple-err-type.json", CheckContext, `type ["VerifiableCredential" "OtherCredential"] is neither an AchievementCredential`},
		{"simple-noproof.json", CheckProof, "the credential has no proof"},
		{"simple-did-key-method.json", CheckProof, "the verification method's controller is not the issuer"},
	} {
		input, err := os.ReadFile(filepath.Join("testdata/ob30", tc.file))
		if err != nil {
			t.Fatal(err)
		}
		rep, err := Verify(context.Background(), input, &Options{Now: fixtureNow})
		if err != nil {
			t.Fatal(err)
		}
		c := rep.Check(tc.check)
		if c == nil || !strings.Contains(c.Message, tc.want) {
			t.Errorf("%s: %s check says %q, want it to say %q", tc.file, tc.check, c, tc.want)
		}
	}
	// simple-err-issuer.json has no issuer: the rules check points at it.
	input, _ := os.ReadFile("testdata/ob30/simple-err-issuer.json")
	rep, _ := Verify(context.Background(), input, &Options{Now: fixtureNow})
	if ps, _ := rep.Check(CheckRules).Details.([]problemDetail); !slices.ContainsFunc(ps, func(p problemDetail) bool { return p.Pointer == "/issuer" && p.Severity == "error" }) {
		t.Errorf("simple-err-issuer.json: no rules problem at /issuer: %+v", ps)
	}
}
