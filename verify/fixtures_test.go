package verify

import (
	"context"
	"encoding/json"
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

// issuerDocuments returns the issuers' documents of testdata/issuers
// (made for the tests: see its README), keyed by issuer as its
// offline-map.json says, for Trust.Documents.
func issuerDocuments(t testing.TB) map[string][]byte {
	t.Helper()
	var files map[string]string
	if err := json.Unmarshal(mustRead(t, "testdata/issuers/offline-map.json"), &files); err != nil {
		t.Fatal(err)
	}
	docs := make(map[string][]byte, len(files))
	for issuer, file := range files {
		docs[issuer] = mustRead(t, filepath.Join("testdata/issuers", file))
	}
	return docs
}

// fixtureWant is how a fixture's verification ends: the verdict, and
// exactly which checks fail, warn or cannot decide.
type fixtureWant struct {
	verified                   bool
	failed, warning, undecided []string
}

// TestValidatorFixtures verifies every fixture of the 1EdTech validator
// (testdata/ob30, see its README in ../shared/vectors/ob3) twice, offline:
// with no documents, and with the issuers' documents of testdata/issuers
// in Trust.Documents. It checks the verdict and exactly which checks
// fail, warn or cannot decide. Each simple-err-* fixture fails on the
// check its name gives once the issuer's document is there (without it,
// a proof error that only the document can reveal is undecided).
//
// Where the verdict differs from the 1EdTech validator's, the row says why:
//   - Every fixture whose issuer is an https URL (or a did:web) that
//     publishes no document, its key only in the verification method's
//     fragment (issuer#z6Mk…) or in a VC-JWT header's jwk, is NOT verified
//     without the issuer's document: the proof check is indeterminate and
//     the report inconclusive, its message naming the document and how to
//     supply it. Anyone can put their own key in a fragment or a header
//     under any issuer's name, so such a key is only a hint; the validator
//     accepts it, and this is the one place where our verdict departs from
//     the validator's on purpose. With a document that lists the key
//     (testdata/issuers, standing for "the issuer published this"), the
//     proof passes with binding "document" and the fixture gets the
//     validator's verdict.
//   - A status that cannot be decided (complete.json,
//     credential-status-revoked.json, velocity.jwt name 1EdTech lists on
//     the network) makes the credential not verified: fail closed, unless
//     Policy.AllowUnknownStatus (checked below for those with nothing else
//     against them).
//   - simple-did-key-method.json: its proof's key is a did:key whose
//     controller is not the issuer (a urn:uuid). The validator does not
//     compare them; digitalbazaar's vc does ("Credential issuer must match
//     the verification method controller", seen in interop/js) and so does
//     this library (dataintegrity.ErrControllerMismatch).
//   - sd/derivedcredential.json: ecdsa-sd-2023 (selective disclosure) is
//     not implemented here; its proof is reported as an unsupported suite.
//   - complete_v1.json names https://1edtech.edu/issuers/565049#key-1, a
//     key no fragment holds: undecided without the issuer's document, and
//     failed with the test document, which does not list it.
//   - simple-multiple-proofs.json: the validator reports its undefined proof
//     type as a JSON-LD error, and so does the jsonld check here; the proof
//     check on its own accepts the other, valid proof (a warning).
func TestValidatorFixtures(t *testing.T) {
	docs := issuerDocuments(t)
	for _, tc := range []struct {
		file string
		// offline is the outcome with no documents, withDocs with the
		// issuers' documents.
		offline, withDocs fixtureWant
		errCheck          string // for simple-err-*: the check the name gives
	}{
		// Before: verified, the proof warning that nothing confirmed the
		// key. Now the key needs the issuer's document; with it, the
		// 1EdTech revocation list on the network is still undecided.
		{"complete.json",
			fixtureWant{false, nil, []string{"rules", "endorsements"}, []string{"proof", "status"}},
			fixtureWant{false, nil, []string{"rules", "endorsements"}, []string{"status"}}, ""},
		// Before: the proof failed (#key-1 could not be resolved); now it
		// is undecided until the issuer's document says whether it lists
		// #key-1, and the test document does not.
		{"complete_v1.json",
			fixtureWant{false, []string{"jsonld", "rules", "validity"}, []string{"context", "endorsements"}, []string{"proof", "status"}},
			fixtureWant{false, []string{"jsonld", "rules", "proof", "validity"}, []string{"context", "endorsements"}, []string{"status"}}, ""},
		// Before: verified (the status was only indeterminate). Its issuer
		// is a did:web whose key is in the fragment; its revocation list
		// is on the network, so its status stays undecided.
		{"credential-status-revoked.json",
			fixtureWant{false, nil, []string{"context", "rules"}, []string{"proof", "status"}},
			fixtureWant{false, nil, []string{"context", "rules", "proof"}, []string{"status"}}, ""},
		// A signature that does not match fails with or without the
		// document: the key in the fragment tells tampering from an
		// unconfirmed key.
		{"endorsement-err-schema-status-refresh.json",
			fixtureWant{false, []string{"credential-schema", "proof"}, []string{"context", "rules"}, []string{"status"}},
			fixtureWant{false, []string{"credential-schema", "proof"}, []string{"context", "rules"}, []string{"status"}}, ""},
		// Before: verified with a warning (asserted key). Now: inconclusive
		// without the document, verified with it.
		{"endorsement-valid.json",
			fixtureWant{false, nil, nil, []string{"proof"}},
			fixtureWant{true, nil, nil, nil}, ""},
		{"simple-context-alias.json",
			fixtureWant{false, nil, nil, []string{"proof"}},
			fixtureWant{true, nil, nil, nil}, ""},
		{"simple-context-version.json",
			fixtureWant{false, nil, []string{"context", "rules"}, []string{"proof"}},
			fixtureWant{true, nil, []string{"context", "rules"}, nil}, ""},
		{"simple-did-key-method.json",
			fixtureWant{false, []string{"proof"}, nil, nil},
			fixtureWant{false, []string{"proof"}, nil, nil}, ""},
		{"simple-did-web-method.json",
			fixtureWant{false, nil, []string{"schema"}, []string{"proof"}},
			fixtureWant{true, nil, []string{"schema"}, nil}, ""},
		// With the document, the proof warns of the legacy eddsa-2022.
		{"simple-eddsa-2022.json",
			fixtureWant{false, nil, []string{"context", "rules"}, []string{"proof"}},
			fixtureWant{true, nil, []string{"context", "rules", "proof"}, nil}, ""},
		{"simple-err-context.json",
			fixtureWant{false, []string{"jsonld", "context", "rules", "proof"}, nil, nil},
			fixtureWant{false, []string{"jsonld", "context", "rules", "proof"}, nil, nil}, "context"},
		{"simple-err-credential-subject-achievement-result-description-type.json",
			fixtureWant{false, []string{"jsonld", "rules", "proof"}, nil, nil},
			fixtureWant{false, []string{"jsonld", "rules", "proof"}, nil, nil}, "rules"},
		{"simple-err-credential-subject-identifier-type.json",
			fixtureWant{false, []string{"jsonld", "rules", "proof"}, nil, nil},
			fixtureWant{false, []string{"jsonld", "rules", "proof"}, nil, nil}, "rules"},
		{"simple-err-credential-subject-profile-type.json",
			fixtureWant{false, []string{"jsonld", "rules", "proof"}, nil, nil},
			fixtureWant{false, []string{"jsonld", "rules", "proof"}, nil, nil}, "rules"},
		{"simple-err-credential-subject-result-type.json",
			fixtureWant{false, []string{"jsonld", "rules", "proof"}, nil, nil},
			fixtureWant{false, []string{"jsonld", "rules", "proof"}, nil, nil}, "rules"},
		{"simple-err-credential-subject-type.json",
			fixtureWant{false, []string{"jsonld", "rules", "proof"}, nil, nil},
			fixtureWant{false, []string{"jsonld", "rules", "proof"}, nil, nil}, "rules"},
		{"simple-err-evidence-type.json",
			fixtureWant{false, []string{"jsonld", "rules", "proof"}, nil, nil},
			fixtureWant{false, []string{"jsonld", "rules", "proof"}, nil, nil}, "rules"},
		// Before, the proof warned (asserted key); now it is undecided
		// without the document, and passes with it.
		{"simple-err-expired.json",
			fixtureWant{false, []string{"validity"}, nil, []string{"proof"}},
			fixtureWant{false, []string{"validity"}, nil, nil}, "validity"},
		{"simple-err-issued.json",
			fixtureWant{false, []string{"rules", "validity"}, nil, []string{"proof"}},
			fixtureWant{false, []string{"rules", "validity"}, nil, nil}, "validity"},
		{"simple-err-issuer-otheridentifier-type.json",
			fixtureWant{false, []string{"jsonld", "rules", "proof"}, nil, nil},
			fixtureWant{false, []string{"jsonld", "rules", "proof"}, nil, nil}, "rules"},
		{"simple-err-issuer-parentorg-type.json",
			fixtureWant{false, []string{"jsonld", "rules", "proof"}, nil, nil},
			fixtureWant{false, []string{"jsonld", "rules", "proof"}, nil, nil}, "rules"},
		{"simple-err-issuer-type.json",
			fixtureWant{false, []string{"jsonld", "rules", "proof"}, nil, nil},
			fixtureWant{false, []string{"jsonld", "rules", "proof"}, nil, nil}, "rules"},
		// No issuer: the rules fail; the proof's key is confirmed by the
		// document of the URL it is under, as nothing else names one.
		{"simple-err-issuer.json",
			fixtureWant{false, []string{"rules"}, nil, []string{"proof"}},
			fixtureWant{false, []string{"rules"}, nil, nil}, "rules"},
		// A verification method that is not under the issuer can never be
		// confirmed as the issuer's: failed, with or without documents.
		{"simple-err-proof-method-no-scheme.json",
			fixtureWant{false, []string{"jsonld", "rules", "proof"}, nil, nil},
			fixtureWant{false, []string{"jsonld", "rules", "proof"}, nil, nil}, "proof"},
		{"simple-err-proof-method-unknown-did-method.json",
			fixtureWant{false, []string{"proof"}, nil, nil},
			fixtureWant{false, []string{"proof"}, nil, nil}, "proof"},
		{"simple-err-proof-method-unknown-scheme.json",
			fixtureWant{false, []string{"proof"}, nil, nil},
			fixtureWant{false, []string{"proof"}, nil, nil}, "proof"},
		// Its fragment is no key, under the issuer's URL: only the
		// issuer's document can say it is not the issuer's. Before, it
		// failed offline.
		{"simple-err-proof-method.json",
			fixtureWant{false, nil, []string{"schema"}, []string{"proof"}},
			fixtureWant{false, []string{"proof"}, []string{"schema"}, nil}, "proof"},
		{"simple-err-proof-value.json",
			fixtureWant{false, []string{"proof"}, nil, nil},
			fixtureWant{false, []string{"proof"}, nil, nil}, "proof"},
		{"simple-err-type.json",
			fixtureWant{false, []string{"jsonld", "context", "rules", "proof"}, nil, nil},
			fixtureWant{false, []string{"jsonld", "context", "rules", "proof"}, nil, nil}, "context"},
		{"simple-json.png",
			fixtureWant{false, nil, nil, []string{"proof"}},
			fixtureWant{true, nil, nil, nil}, ""},
		{"simple-json.svg",
			fixtureWant{false, nil, nil, []string{"proof"}},
			fixtureWant{true, nil, nil, nil}, ""},
		// VC-JWTs with a header jwk and no kid: the jwk is looked up among
		// the keys the issuer's document lists. With it, the proof warns
		// of the missing sub claim.
		{"simple-jwt.png",
			fixtureWant{false, nil, nil, []string{"proof"}},
			fixtureWant{true, nil, []string{"proof"}, nil}, ""},
		{"simple-jwt.svg",
			fixtureWant{false, nil, nil, []string{"proof"}},
			fixtureWant{true, nil, []string{"proof"}, nil}, ""},
		{"simple-jwt_v1.png",
			fixtureWant{false, nil, []string{"context", "rules"}, []string{"proof"}},
			fixtureWant{true, nil, []string{"context", "rules", "proof"}, nil}, ""},
		{"simple-jwt_v1.svg",
			fixtureWant{false, nil, []string{"context", "rules"}, []string{"proof"}},
			fixtureWant{true, nil, []string{"context", "rules", "proof"}, nil}, ""},
		// Offline, the valid proof's key is undecided and the other proof
		// is of an unknown type: the proof check is indeterminate.
		{"simple-multiple-proofs.json",
			fixtureWant{false, []string{"jsonld"}, nil, []string{"proof"}},
			fixtureWant{false, []string{"jsonld"}, []string{"proof"}, nil}, ""},
		{"simple-noproof.json",
			fixtureWant{false, []string{"rules", "proof"}, []string{"context"}, nil},
			fixtureWant{false, []string{"rules", "proof"}, []string{"context"}, nil}, ""},
		{"simple.1ob",
			fixtureWant{false, nil, nil, []string{"proof"}},
			fixtureWant{true, nil, nil, nil}, ""},
		{"simple.json",
			fixtureWant{false, nil, nil, []string{"proof"}},
			fixtureWant{true, nil, nil, nil}, ""},
		{"simple.jwt",
			fixtureWant{false, []string{"jsonld", "context", "rules", "proof"}, nil, nil},
			fixtureWant{false, []string{"jsonld", "context", "rules", "proof"}, nil, nil}, ""},
		{"simple_v1.json",
			fixtureWant{false, nil, []string{"context", "rules"}, []string{"proof"}},
			fixtureWant{true, nil, []string{"context", "rules", "proof"}, nil}, ""},
		// Its kid is a did:velocity key, not under its did:web issuer.
		{"velocity.jwt",
			fixtureWant{false, []string{"jsonld", "rules", "proof"}, []string{"context"}, []string{"status"}},
			fixtureWant{false, []string{"jsonld", "rules", "proof"}, []string{"context"}, []string{"status"}}, ""},
		{"sd/derivedcredential.json",
			fixtureWant{false, []string{"proof"}, nil, nil},
			fixtureWant{false, []string{"proof"}, nil, nil}, ""},
	} {
		input, err := os.ReadFile(filepath.Join("testdata/ob30", tc.file))
		if err != nil {
			t.Fatal(err)
		}
		for _, run := range []struct {
			name  string
			trust *Trust
			want  fixtureWant
		}{
			{"without documents", nil, tc.offline},
			{"with documents", &Trust{Documents: docs}, tc.withDocs},
		} {
			t.Run(tc.file+"/"+run.name, func(t *testing.T) {
				rep, err := Verify(context.Background(), input, run.trust, &Policy{Now: fixtureNow})
				if err != nil {
					t.Fatal(err)
				}
				want := map[Outcome][]string{Failed: run.want.failed, Warning: run.want.warning, Indeterminate: run.want.undecided}
				if d := cmp.Diff(want, outcomes(rep)); d != "" || rep.Verified != run.want.verified || rep.Inconclusive != (len(run.want.undecided) > 0) {
					t.Errorf("verified %v inconclusive %v, want %v %v; outcomes (-want +got):\n%s\n%s", rep.Verified, rep.Inconclusive, run.want.verified, len(run.want.undecided) > 0, d, rep)
				}
				if len(rep.Checks) != 13 {
					t.Errorf("%d checks, want all 13 reported", len(rep.Checks))
				}
				if tc.errCheck != "" && !slices.Contains(run.want.failed, tc.errCheck) && !slices.Contains(run.want.undecided, tc.errCheck) {
					t.Errorf("the fixture's name says %s, which is neither failed nor undecided", tc.errCheck)
				}
				if tc.errCheck != "" && run.trust != nil && !slices.Contains(run.want.failed, tc.errCheck) {
					t.Errorf("the fixture's name says %s, which is not among the failed checks", tc.errCheck)
				}
				proof := rep.Check(CheckProof)
				// An undecided proof says which document would settle it,
				// and how to supply it.
				if proof.Outcome == Indeterminate && (rep.Issuer != "" && !strings.Contains(proof.Message, "document of "+rep.Issuer+" ") || !strings.Contains(proof.Message, "supply it in Trust.Documents")) {
					t.Errorf("the proof check does not name the document of %q and how to supply it: %s", rep.Issuer, proof.Message)
				}
				// A proof that passes with the documents is confirmed by
				// them.
				if run.trust != nil && (proof.Outcome == Passed || proof.Outcome == Warning) {
					for _, d := range proof.Details.([]ProofDetail) {
						if d.Verified && d.Binding != "document" {
							t.Errorf("proof %s verified with binding %q, want document", d.Type, d.Binding)
						}
					}
				}
				// An undecided status is all that keeps it from verifying:
				// the caller may accept that.
				if run.trust != nil && len(run.want.failed) == 0 && slices.Equal(run.want.undecided, []string{CheckStatus}) {
					rep, err := Verify(context.Background(), input, run.trust, &Policy{Now: fixtureNow, AllowUnknownStatus: true})
					if err != nil {
						t.Fatal(err)
					}
					if !rep.Verified || !rep.Inconclusive || rep.Check(CheckStatus).Outcome != Indeterminate {
						t.Errorf("with AllowUnknownStatus: verified %v inconclusive %v, want true true\n%s", rep.Verified, rep.Inconclusive, rep)
					}
				}
			})
		}
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

// TestFixtureMessages checks that the failing or undecided checks say, in
// words, what the fixture's defect is, or what would settle it.
func TestFixtureMessages(t *testing.T) {
	docs := issuerDocuments(t)
	const howToSupply = "supply it in Trust.Documents (openbadges verify --offline-map) or allow fetching (Trust.Fetcher, --allow-network)"
	for _, tc := range []struct {
		file      string
		documents bool // with the issuers' documents of testdata/issuers
		check     string
		outcome   Outcome
		want      string
	}{
		{"simple-err-expired.json", true, CheckValidity, Failed, "expired: validUntil was 2010-01-01T00:00:00Z"},
		{"simple-err-issued.json", true, CheckValidity, Failed, "not yet valid: validFrom is 2040-01-01T00:00:00Z"},
		{"simple-err-issuer-type.json", true, CheckRules, Failed, `/issuer/type: type must include "Profile", got "InvalidProfile"`},
		{"simple-err-proof-value.json", true, CheckProof, Failed, "the signature does not verify"},
		// A signature that does not match is tampering, with or without
		// the issuer's document: the hinted key tells it from an
		// unconfirmed one.
		{"simple-err-proof-value.json", false, CheckProof, Failed, "the signature does not verify"},
		{"simple-err-credential-subject-type.json", true, CheckJSONLD, Failed, `/credentialSubject/achievement: "achievement" is not defined by any context`},
		{"simple-err-type.json", true, CheckContext, Failed, `type ["VerifiableCredential" "OtherCredential"] is neither an AchievementCredential`},
		{"simple-noproof.json", true, CheckProof, Failed, "the credential has no proof"},
		{"simple-did-key-method.json", true, CheckProof, Failed, "the verification method's controller is not the issuer"},
		{"simple-err-proof-method.json", true, CheckProof, Failed, `does not list the verification method`},
		{"simple-err-proof-method-unknown-did-method.json", false, CheckProof, Failed, `cannot resolve the verification method "did:example:z6Mk`},
		// Without the issuer's document, the message names it and says
		// how to supply it.
		{"simple.json", false, CheckProof, Indeterminate, "not verified: the key that signed is not confirmed as the issuer's; the controller document of https://example.com/issuers/876543 (published at that URL) would confirm or refute it: " + howToSupply},
		{"simple-jwt.png", false, CheckProof, Indeterminate, "the controller document of https://1edtech.edu/issuers/565049 (published at that URL) would confirm or refute it: " + howToSupply},
		{"credential-status-revoked.json", false, CheckProof, Indeterminate, "the DID document of did:web:dc.1edtech.org:wellspring2022:wellspring-portal:org:da1e96e9-afcc-4eed-b9a2-2ddf7353214c (published at https://dc.1edtech.org/wellspring2022/wellspring-portal/org/da1e96e9-afcc-4eed-b9a2-2ddf7353214c/did.json) would confirm or refute it: " + howToSupply},
		{"simple-err-proof-method.json", false, CheckProof, Indeterminate, "the controller document of https://example.edu/issuers/565049 (published at that URL) would confirm or refute it"},
		// With it, the key is confirmed.
		{"simple.json", true, CheckProof, Passed, "verified: eddsa-rdfc-2022 by https://example.com/issuers/876543 (key bound to its controller: document)"},
		{"complete.json", true, CheckStatus, Indeterminate, "the status could not be decided: status: the status list could not be retrieved: https://1edtech.edu/credentials/3732/revocations"},
	} {
		input, err := os.ReadFile(filepath.Join("testdata/ob30", tc.file))
		if err != nil {
			t.Fatal(err)
		}
		trust := &Trust{}
		if tc.documents {
			trust.Documents = docs
		}
		rep, err := Verify(context.Background(), input, trust, &Policy{Now: fixtureNow})
		if err != nil {
			t.Fatal(err)
		}
		c := rep.Check(tc.check)
		if c == nil || c.Outcome != tc.outcome || !strings.Contains(c.Message, tc.want) {
			t.Errorf("%s (documents %v): %s check: %+v, want %s saying %q", tc.file, tc.documents, tc.check, c, tc.outcome, tc.want)
		}
	}
	// simple-err-issuer.json has no issuer: the rules check points at it.
	input, _ := os.ReadFile("testdata/ob30/simple-err-issuer.json")
	rep, _ := Verify(context.Background(), input, &Trust{Documents: docs}, &Policy{Now: fixtureNow})
	if ps, _ := rep.Check(CheckRules).Details.([]ProblemDetail); !slices.ContainsFunc(ps, func(p ProblemDetail) bool { return p.Pointer == "/issuer" && p.Severity == "error" }) {
		t.Errorf("simple-err-issuer.json: no rules problem at /issuer: %+v", ps)
	}
}
