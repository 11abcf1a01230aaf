package verify

import (
	"encoding/json"
	"maps"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-openbadges/openbadges/bake"
)

// valDocs serves the 1EdTech validator's OB 2.0 assets
// (testdata/ob20/val/assets) as its test server does, at
// https://www.example.org/, https://example.org/ and http://example.org/
// followed by the file's name, and also at the id each says it has, for
// the documents that say so of one id only (the issuers of the
// allowedOrigins cases all say http://example.org/issuer-with-allowed-origins:
// each case serves its own there).
func valDocs(t testing.TB) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob("testdata/ob20/val/assets/*")
	if err != nil || len(files) == 0 {
		t.Fatalf("no assets: %v", err)
	}
	docs := map[string][]byte{}
	byID := map[string][][]byte{}
	for _, f := range files {
		b := mustRead(t, f)
		for _, host := range []string{"https://www.example.org/", "https://example.org/", "http://example.org/"} {
			docs[host+filepath.Base(f)] = b
		}
		var head struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(b, &head) == nil && head.ID != "" {
			byID[head.ID] = append(byID[head.ID], b)
		}
	}
	for id, bs := range byID {
		if _, ok := docs[id]; !ok && len(bs) == 1 {
			docs[id] = bs[0]
		}
	}
	return docs
}

// TestOB20ValidatorFixtures verifies the 1EdTech validator's OB 2.0 test
// inputs (testdata/ob20/val, see its README) with its assets, and states
// for each the validator's verdict and this package's, and why they differ
// where they do. Two things differ throughout, on purpose:
//
//   - a hosted assertion is verified by its copy at its id (the spec's
//     HostedBadge steps), which the validator's test server does not serve
//     (the validator trusts the JSON given): here each input is also served
//     at its own id, as its issuer would host it;
//   - verify checks badges: a BadgeClass, Profile or other document given
//     alone is not one (credential.CheckOB2 checks those; its fixture test
//     has the validator's verdicts on them).
func TestOB20ValidatorFixtures(t *testing.T) {
	docs := valDocs(t)
	const notAssertion = "not an assertion: a badge is an Assertion (credential.CheckOB2 checks the rules of any OB 2.0 document)"
	none := func(class string) ob20Want {
		w := ob20Want{outcomes: map[string]Outcome{CheckInput: Failed}, at: CheckInput, message: "an Open Badges 2.0 " + class + ", " + notAssertion}
		for _, id := range ob20Checks[1:] {
			w.outcomes[id] = Skipped
		}
		return w
	}
	verified := ob20Want{verified: true}
	moved := func(badge string) ob20Want {
		return ob20Want{verified: true, outcomes: map[string]Outcome{CheckBadge: Warning}, at: CheckBadge,
			message: "the BadgeClass named https://example.org/" + badge + ".json says its id is http://example.org/" + badge +
				"; the issuer named http://example.org/issuer-with-allowed-origins" + strings.TrimPrefix(badge, "badgeclass-with-verification") +
				".json says its id is http://example.org/issuer-with-allowed-origins, where it was read"}
	}
	outsidePolicy := func(badge, why string) ob20Want {
		w := moved(badge)
		w.verified, w.outcomes[CheckProof] = false, Failed
		w.at, w.message = CheckProof, "hosted at https://example.org/beths-robotics-badge.json, outside the issuer's verification policy: "+why
		return w
	}
	notAssertionType := func(types string) ob20Want {
		return ob20Want{outcomes: map[string]Outcome{CheckContext: Failed, CheckRules: Failed, CheckBadge: Failed, CheckProof: Failed, CheckStatus: Skipped, CheckValidity: Failed},
			at: CheckContext, message: "type " + types + " does not include Assertion"}
	}
	for _, tc := range []struct {
		file      string
		validator string
		// issuer is the asset served at
		// http://example.org/issuer-with-allowed-origins, if any.
		issuer string
		want   ob20Want
	}{
		{"basic-assertion.json", "valid", "", verified},
		{"basic-assertion-with-language.json", "valid", "", verified},
		{"basic-assertion-no-public-key.json", "valid", "", verified},
		{"simple-badge.png", "valid", "", verified},
		{"simple.jwt", "valid", "", ob20Want{verified: true, outcomes: map[string]Outcome{CheckStatus: Skipped}, at: CheckStatus,
			message: "the issuer's Profile names no revocationList"}},
		{"simple-not-revoked.jwt", "valid", "", verified},
		{"assertion-with-endorsements.json", "valid", "", ob20Want{verified: true, outcomes: map[string]Outcome{CheckEndorsements: Passed}, at: CheckEndorsements,
			message: "4 endorsement(s) verify: 2 of the assertion, 2 of its BadgeClass"}},
		{"assertion-with-extension-node-basic.json", "valid", "", verified},
		{"assertion-with-multiple-extensions.json", "valid", "", verified},
		// The BadgeClass and the issuer are each named by a URL whose
		// document says its id is another: read there, as the Python
		// validator does (which warns); the Java one serves by path.
		{"basic-assertion-with-allowed-origins.json", "valid", "issuer-with-allowed-origins.json", moved("badgeclass-with-verification")},
		{"basic-assertion-with-allowed-origins-valid-starts-with.json", "valid", "issuer-with-allowed-origins-valid-starts-with.json", moved("badgeclass-with-verification-valid-starts-with")},
		{"basic-assertion-with-allowed-origins-valid-multiple-starts-with.json", "valid", "issuer-with-allowed-origins-valid-multiple-starts-with.json", moved("badgeclass-with-verification-valid-multiple-starts-with")},
		{"basic-assertion-with-allowed-origins-invalid-starts-with.json", "invalid", "issuer-with-allowed-origins-invalid-starts-with.json",
			outsidePolicy("badgeclass-with-verification-invalid-starts-with", `the id starts with none of the issuer's startsWith ["https://example.org/NOT"]`)},
		{"basic-assertion-with-allowed-origins-invalid-multiple-starts-with.json", "invalid", "issuer-with-allowed-origins-invalid-multiple-starts-with.json",
			outsidePolicy("badgeclass-with-verification-invalid-multiple-starts-with", `the id starts with none of the issuer's startsWith ["https://example.org/NOT" "http://example.com/ALSONOT"]`)},
		{"warning-with-redirection.json", "a warning", "", ob20Want{verified: true, outcomes: map[string]Outcome{CheckBadge: Warning}, at: CheckBadge,
			message: "the BadgeClass named http://example.org/altbadgeurl.json says its id is https://example.org/robotics-badge.json, where it was read"}},
		{"basic-assertion-invalid-context.json", "invalid (context)", "", ob20Want{outcomes: map[string]Outcome{CheckContext: Failed, CheckRules: Failed}, at: CheckContext,
			message: "@context does not name the Open Badges 2.0 context https://w3id.org/openbadges/v2"}},
		{"basic-assertion-invalid-type.json", "invalid (type)", "", ob20Want{outcomes: map[string]Outcome{CheckContext: Failed, CheckRules: Failed}, at: CheckContext,
			message: `type ["OtherAssertion"] does not include Assertion`}},
		{"simple-revoked.jwt", "invalid (revoked)", "", ob20Want{outcomes: map[string]Outcome{CheckStatus: Failed}, at: CheckStatus,
			message: `revoked: the issuer's revocation list http://example.org/revocation-list.json lists it, with the reason "A good reason, for sure"`}},
		{"assertion-with-data-image.json", "invalid", "", ob20Want{outcomes: map[string]Outcome{CheckRules: Failed}, at: CheckRules,
			message: "Open Badges 2.0 Assertion rules: /image: an assertion's image must be a URL: the IMS validators refuse a data URI here (a BadgeClass or Profile image may be one)"}},
		{"basic-assertion-expired.json", "invalid", "", ob20Want{outcomes: map[string]Outcome{CheckValidity: Failed}, at: CheckValidity,
			message: "expired: expires was 2022-11-15T23:59:59Z"}},
		{"basic-assertion-expired-before-issued.json", "invalid", "", ob20Want{outcomes: map[string]Outcome{CheckRules: Failed, CheckValidity: Failed}, at: CheckRules,
			message: "Open Badges 2.0 Assertion rules: /expires: expires (2022-11-15T23:59:59Z) is before issuedOn (2022-12-31T23:59:59Z)"}},
		{"basic-assertion-in-future.json", "invalid", "", ob20Want{outcomes: map[string]Outcome{CheckValidity: Failed}, at: CheckValidity,
			message: "not yet valid: issuedOn is 2100-12-31T23:59:59Z"}},
		// The validator also validates extensions against the JSON Schema
		// their context names, fetched; verify does not: the extension
		// is read as data, and the badge verifies.
		{"assertion-with-extension-node-invalid.json", "invalid (extension)", "", verified},
		// The issuer's Profile, at https://example.org/bad-issuer.json,
		// says its id is a urn:uuid: the validator warns that it has "no
		// HTTP domain to enforce hosted verification policy against" and
		// accepts it; verify fails closed.
		{"warning-issuer-non-http.json", "a warning", "", ob20Want{outcomes: map[string]Outcome{CheckBadge: Failed, CheckProof: Skipped}, at: CheckBadge,
			message: `the issuer's Profile https://example.org/bad-issuer.json says its id is "urn:uuid:2d391246-6e0d-4dab-906c-b29770bd7aa6", where it cannot be read: a document counts only at its own id`}},
		// Documents that are not badges.
		{"badge-class-with-language.json", "valid", "", none("BadgeClass")},
		{"issuer-compact-iri-validation.json", "valid", "", none("Issuer")},
		{"assets/badgeclass1.json", "valid", "", none("BadgeClass")},
		{"assets/badge-with-data-image.json", "valid", "", none("BadgeClass")},
		{"assets/badgeclass-with-complex-image.json", "valid", "", none("BadgeClass")},
		{"rdf-validation/valid-badge-class.json", "valid", "", none("BadgeClass")},
		{"rdf-validation/valid-issuer-extension.json", "valid", "", none("Issuer")},
		{"rdf-validation/valid-alignment-object.json", "valid", "", none("AlignmentObject")},
		{"rdf-validation/valid-badge-class-empty-criteria-type.json", "valid", "", none("BadgeClass")},
		{"rdf-validation/valid-cool-class.json", "valid", "", notAssertionType(`["http://example.com/CoolClass"]`)},
		{"rdf-validation/invalid-class.json", "invalid", "", notAssertionType(`["NotAKnownClass"]`)},
		{"rdf-validation/invalid-empty-type.json", "invalid", "", notAssertionType(`[]`)},
		{"rdf-validation/invalid-one-invalid-class.json", "invalid", "", none("Issuer")},
		{"rdf-validation/badge-class-invalid-issuer-type.json", "invalid", "", none("BadgeClass")},
	} {
		t.Run(tc.file, func(t *testing.T) {
			input := mustRead(t, "testdata/ob20/val/"+tc.file)
			d := maps.Clone(docs)
			// Serve the assertion at its id, as its issuer hosts it.
			hosted := input
			if strings.HasSuffix(tc.file, ".png") {
				b, err := bake.Extract(input, nil)
				if err != nil {
					t.Fatal(err)
				}
				hosted = b.Credential
			}
			var head struct {
				ID string `json:"id"`
			}
			if json.Unmarshal(hosted, &head) == nil && isHTTPURL([]byte(head.ID)) {
				d[head.ID] = hosted
			}
			if tc.issuer != "" {
				d["http://example.org/issuer-with-allowed-origins"] = mustRead(t, "testdata/ob20/val/assets/"+tc.issuer)
			}
			rep := verifyOB20(t, input, Trust{Documents: d}, Policy{Now: t2026})
			tc.want.check(t, rep)
		})
	}
	// Not JSON (the validator's test server serves it at two URLs).
	if _, err := Verify(t.Context(), mustRead(t, "testdata/ob20/val/redirected-validation-subject.json"), nil, nil); err == nil {
		t.Error("redirected-validation-subject.json (not JSON) was taken as input")
	}
}

// TestOB20Baked verifies Open Badges 2.0 badges baked by other software
// (testdata/ob20/baked, see its README), with the 1EdTech validator's
// assets and each baked assertion served at its id: a hosted assertion's
// JSON in a PNG iTXt chunk verifies; a URL baked alone is read from its
// id, here not served (inconclusive); OB 2.0 data that is no assertion
// fails.
func TestOB20Baked(t *testing.T) {
	docs := valDocs(t)
	unread := func(url, in string) ob20Want {
		w := ob20Want{inconclusive: true, outcomes: map[string]Outcome{CheckInput: Indeterminate}, at: CheckInput,
			message: "the URL of an Open Badges 2.0 assertion, " + url + " baked into " + in + ", which cannot be read: " + url +
				" is not in Trust.Documents, and fetching is off: supply it in Trust.Documents (openbadges verify --offline-map) or allow fetching (Trust.Fetcher, --allow-network)"}
		for _, id := range ob20Checks[1:] {
			w.outcomes[id] = Skipped
		}
		return w
	}
	noAssertion := ob20Want{outcomes: map[string]Outcome{CheckInput: Failed}, at: CheckInput, message: "the SVG's Open Badges 2.0 data is not an Open Badges assertion"}
	for _, id := range ob20Checks[1:] {
		noAssertion.outcomes[id] = Skipped
	}
	for _, tc := range []struct {
		file, input string
		want        ob20Want
	}{
		{"validator-core-baked-heart.png", "png", ob20Want{verified: true}},
		{"val-simple-badge.png", "png", ob20Want{verified: true}},
		{"backpack-valid-baked.png", "png", unread("https://example.org/assertion", "PNG")},
		{"bakery-no-json.svg", "svg", unread("http://example.org", "SVG")},
		{"bakery-baked.svg", "svg", noAssertion},
	} {
		t.Run(tc.file, func(t *testing.T) {
			input := mustRead(t, "testdata/ob20/baked/"+tc.file)
			d := maps.Clone(docs)
			if b, err := bake.Extract(input, nil); err == nil {
				var head struct {
					ID string `json:"id"`
				}
				if json.Unmarshal(b.Credential, &head) == nil && head.ID != "" {
					d[head.ID] = b.Credential
				}
			}
			rep := verifyOB20(t, input, Trust{Documents: d}, Policy{Now: t2026})
			tc.want.check(t, rep)
			if rep.Input != tc.input {
				t.Errorf("input %q, want %q", rep.Input, tc.input)
			}
		})
	}
}
