package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/verify"
	"github.com/google/go-cmp/cmp"
)

// The table for testdata/badges at 2026-01-01, with nothing but the badges.
// Each badge names an https issuer that publishes no document (the 1EdTech
// validator's fixtures), so no key can be confirmed as its issuer's: the
// badges that verified before (with a warning that nothing binds the key to
// the issuer) are now INCONCLUSIVE, on purpose unlike the 1EdTech
// validator, and the reason says which document to supply. The expired
// one and the VCDM 1.1 JWT whose context is not embedded fail whatever the
// documents. The OB 2.0 badges are INCONCLUSIVE too (ob20Inconclusive).
var wantTable = `FILE                            ISSUER              ACHIEVEMENT    RECIPIENT                                                                                             VERDICT       WHY
credential-status-revoked.json  1EdTech Testing     Achievement 1  did:web:dc.1edtech.org:wellspring2022:wellspring-portal:learner:6896f98f-6b42-4c75-98ec-8befd0dc0b29  INCONCLUSIVE  ` + proofUnconfirmed(issuer1EdTech, keyJSON) + `
` + ob20Inconclusive + `simple-err-expired.json         Example Corp        Teamwork       did:example:ebfeb1f712ebc6f1c276e12ec21                                                               NOT VERIFIED  validity: expired: validUntil was 2010-01-01T00:00:00Z
simple-json.png                 Example Corp        Teamwork       did:example:ebfeb1f712ebc6f1c276e12ec21                                                               INCONCLUSIVE  ` + proofUnconfirmed(issuerExampleCom, keyPNG) + `
simple-jwt.svg                  Example Corp        Teamwork       did:example:ebfeb1f712ebc6f1c276e12ec21                                                               INCONCLUSIVE  ` + jwkUnconfirmed(issuer1EdTech) + `
simple.json                     Example Corp        Teamwork       did:example:ebfeb1f712ebc6f1c276e12ec21                                                               INCONCLUSIVE  ` + proofUnconfirmed(issuerExampleCom, keyJSON) + `
simple.jwt                      Example University  -              did:example:ebfeb1f712ebc6f1c276e12ec21                                                               NOT VERIFIED  jsonld: JSON-LD: loading remote context failed: dereferencing a URL did not result in a valid JSON-LD context (https://imsglobal.github.io/openbadges-specification/context.json): schema: unknown JSON-LD context "https://imsglobal.github.io/openbadges-specification/context.json" (not embedded, and fetching is off)
`

// With the issuers' documents (testdata/offline/issuers, made for the
// tests: see its README) but not the revocation list: the keys are
// confirmed and the badges verify (no warning is left about the key; the
// JWT's one warning is that it has no sub claim); the revoked one's status
// cannot be decided, which is not verified. The maps also serve the OB 2.0
// badges' documents (testdata/offline/ob20): they verify, as JSON, by URL
// and baked in a PNG, but for the one the issuer's revocation list names.
const wantTableIssuers = `FILE                            ISSUER                   ACHIEVEMENT             RECIPIENT                                                                                             VERDICT       WHY
credential-status-revoked.json  1EdTech Testing          Achievement 1           did:web:dc.1edtech.org:wellspring2022:wellspring-portal:learner:6896f98f-6b42-4c75-98ec-8befd0dc0b29  ` + revokedInconclusive + `
ob20-hosted.json                An Example Badge Issuer  Awesome Robotics Badge  hashed email                                                                                          VERIFIED      no warnings
ob20-hosted.url                 An Example Badge Issuer  Awesome Robotics Badge  hashed email                                                                                          VERIFIED      no warnings
ob20-revoked.jws                An Example Badge Issuer  Awesome Robotics Badge  hashed email                                                                                          NOT VERIFIED  status: revoked: the issuer's revocation list https://example.org/revocationList.json lists it, with the reason "Honor code violation"
ob20-signed.png                 An Example Badge Issuer  Awesome Robotics Badge  hashed email                                                                                          VERIFIED      no warnings
simple-err-expired.json         Example Corp             Teamwork                did:example:ebfeb1f712ebc6f1c276e12ec21                                                               NOT VERIFIED  validity: expired: validUntil was 2010-01-01T00:00:00Z
simple-json.png                 Example Corp             Teamwork                did:example:ebfeb1f712ebc6f1c276e12ec21                                                               VERIFIED      no warnings
simple-jwt.svg                  Example Corp             Teamwork                did:example:ebfeb1f712ebc6f1c276e12ec21                                                               VERIFIED      1 warning
simple.json                     Example Corp             Teamwork                did:example:ebfeb1f712ebc6f1c276e12ec21                                                               VERIFIED      no warnings
simple.jwt                      Example University       -                       did:example:ebfeb1f712ebc6f1c276e12ec21                                                               NOT VERIFIED  jsonld: JSON-LD: loading remote context failed: dereferencing a URL did not result in a valid JSON-LD context (https://imsglobal.github.io/openbadges-specification/context.json): schema: unknown JSON-LD context "https://imsglobal.github.io/openbadges-specification/context.json" (not embedded, and fetching is off)
`

// With the issuers' documents and the revocation list (-offline-map) and a
// recipient none of them was issued to.
const wantTableMapAda = `FILE                            ISSUER                   ACHIEVEMENT             RECIPIENT                                                                                             VERDICT       WHY
credential-status-revoked.json  1EdTech Testing          Achievement 1           did:web:dc.1edtech.org:wellspring2022:wellspring-portal:learner:6896f98f-6b42-4c75-98ec-8befd0dc0b29  ` + revokedNotVerified + `
ob20-hosted.json                An Example Badge Issuer  Awesome Robotics Badge  hashed email                                                                                          NOT VERIFIED  recipient: the assertion is not issued to this email
ob20-hosted.url                 An Example Badge Issuer  Awesome Robotics Badge  hashed email                                                                                          NOT VERIFIED  recipient: the assertion is not issued to this email
ob20-revoked.jws                An Example Badge Issuer  Awesome Robotics Badge  hashed email                                                                                          NOT VERIFIED  status: revoked: the issuer's revocation list https://example.org/revocationList.json lists it, with the reason "Honor code violation"
ob20-signed.png                 An Example Badge Issuer  Awesome Robotics Badge  hashed email                                                                                          NOT VERIFIED  recipient: the assertion is not issued to this email
simple-err-expired.json         Example Corp             Teamwork                did:example:ebfeb1f712ebc6f1c276e12ec21                                                               NOT VERIFIED  validity: expired: validUntil was 2010-01-01T00:00:00Z
simple-json.png                 Example Corp             Teamwork                did:example:ebfeb1f712ebc6f1c276e12ec21                                                               NOT VERIFIED  recipient: the credential is not issued to this emailAddress
simple-jwt.svg                  Example Corp             Teamwork                did:example:ebfeb1f712ebc6f1c276e12ec21                                                               NOT VERIFIED  recipient: the credential is not issued to this emailAddress
simple.json                     Example Corp             Teamwork                did:example:ebfeb1f712ebc6f1c276e12ec21                                                               NOT VERIFIED  recipient: the credential is not issued to this emailAddress
simple.jwt                      Example University       -                       did:example:ebfeb1f712ebc6f1c276e12ec21                                                               NOT VERIFIED  jsonld: JSON-LD: loading remote context failed: dereferencing a URL did not result in a valid JSON-LD context (https://imsglobal.github.io/openbadges-specification/context.json): schema: unknown JSON-LD context "https://imsglobal.github.io/openbadges-specification/context.json" (not embedded, and fetching is off)
`

// The Open Badges 2.0 badges without their issuers' documents: the
// BadgeClass, the issuer's Profile and key, the hosted copy cannot be had,
// so nothing is confirmed (INCONCLUSIVE); the hosted assertion given by
// URL cannot even be read.
const ob20Inconclusive = `ob20-hosted.json                -                   -              hashed email                                                                                          ` + ob20BadgeClassMissing + `
ob20-hosted.url                 -                   -              -                                                                                                     ` + ob20URLMissing + `
ob20-revoked.jws                -                   -              hashed email                                                                                          ` + ob20BadgeClassMissing + `
ob20-signed.png                 -                   -              hashed email                                                                                          ` + ob20BadgeClassMissing + `
`

const (
	ob20BadgeClassMissing = "INCONCLUSIVE  badge: the BadgeClass https://example.org/robotics-badge.json is not in Trust.Documents, and fetching is off: supply it in Trust.Documents (openbadges verify --offline-map) or allow fetching (Trust.Fetcher, --allow-network)"
	ob20URLMissing        = "INCONCLUSIVE  input: the URL of an Open Badges 2.0 assertion, https://example.org/beths-robotics-badge.json, which cannot be read: https://example.org/beths-robotics-badge.json is not in Trust.Documents, and fetching is off: supply it in Trust.Documents (openbadges verify --offline-map) or allow fetching (Trust.Fetcher, --allow-network)"
)

// With the documents and the subject's id as recipient: the OB 3.0
// badges' recipient check passes where it can, and the revocation is now
// known; the OB 2.0 assertions are issued to an email address, not an id.
const wantTableMapID = `FILE                            ISSUER                   ACHIEVEMENT             RECIPIENT                                                                                             VERDICT       WHY
credential-status-revoked.json  1EdTech Testing          Achievement 1           did:web:dc.1edtech.org:wellspring2022:wellspring-portal:learner:6896f98f-6b42-4c75-98ec-8befd0dc0b29  ` + revokedNotVerified + `
ob20-hosted.json                An Example Badge Issuer  Awesome Robotics Badge  hashed email                                                                                          NOT VERIFIED  recipient: the assertion is issued to a recipient of type email, not id
ob20-hosted.url                 An Example Badge Issuer  Awesome Robotics Badge  hashed email                                                                                          NOT VERIFIED  recipient: the assertion is issued to a recipient of type email, not id
ob20-revoked.jws                An Example Badge Issuer  Awesome Robotics Badge  hashed email                                                                                          NOT VERIFIED  status: revoked: the issuer's revocation list https://example.org/revocationList.json lists it, with the reason "Honor code violation"
ob20-signed.png                 An Example Badge Issuer  Awesome Robotics Badge  hashed email                                                                                          NOT VERIFIED  recipient: the assertion is issued to a recipient of type email, not id
simple-err-expired.json         Example Corp             Teamwork                did:example:ebfeb1f712ebc6f1c276e12ec21                                                               NOT VERIFIED  validity: expired: validUntil was 2010-01-01T00:00:00Z
simple-json.png                 Example Corp             Teamwork                did:example:ebfeb1f712ebc6f1c276e12ec21                                                               VERIFIED      no warnings
simple-jwt.svg                  Example Corp             Teamwork                did:example:ebfeb1f712ebc6f1c276e12ec21                                                               VERIFIED      1 warning
simple.json                     Example Corp             Teamwork                did:example:ebfeb1f712ebc6f1c276e12ec21                                                               VERIFIED      no warnings
simple.jwt                      Example University       -                       did:example:ebfeb1f712ebc6f1c276e12ec21                                                               NOT VERIFIED  jsonld: JSON-LD: loading remote context failed: dereferencing a URL did not result in a valid JSON-LD context (https://imsglobal.github.io/openbadges-specification/context.json): schema: unknown JSON-LD context "https://imsglobal.github.io/openbadges-specification/context.json" (not embedded, and fetching is off)
`

// The issuers and keys of the badges, and the reasons a key is not
// confirmed without the issuer's document.
const (
	issuer1EdTech    = "https://1edtech.edu/issuers/565049"
	issuerExampleCom = "https://example.com/issuers/876543"
	keyJSON          = "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi" // simple.json and the revoked credential
	keyPNG           = "z6MkrvfzkMnvCroEUP2DVc9SHPE48CRsvHiVSusHioxTYu1x"
)

// proofUnconfirmed is the reason for a Data Integrity proof whose key,
// named in the verification method's fragment, the issuer's document would
// confirm.
func proofUnconfirmed(issuer, key string) string {
	return "proof: not verified: the key that signed is not confirmed as the issuer's; the controller document of " + issuer +
		" (published at that URL) would confirm or refute it: supply it in Trust.Documents (openbadges verify --offline-map) or allow fetching (Trust.Fetcher, --allow-network). " +
		"eddsa-rdfc-2022: did: the key is not confirmed as the controller's: dataintegrity: cannot resolve the verification method \"" + issuer + "#" + key +
		"\": did: the document could not be had: fetching \"" + issuer + "\" for \"" + issuer + "#" + key + "\": not in Trust.Documents, and fetching is off"
}

// jwkUnconfirmed is the reason for a VC-JWT whose key, in the header's
// jwk, the issuer's document would confirm.
func jwkUnconfirmed(issuer string) string {
	return "proof: not verified: the key that signed is not confirmed as the issuer's; the controller document of " + issuer +
		" (published at that URL) would confirm or refute it: supply it in Trust.Documents (openbadges verify --offline-map) or allow fetching (Trust.Fetcher, --allow-network). " +
		"VC-JWT RS256: jose: no usable key: did: the key is not confirmed as the controller's: the header's jwk: did: the document could not be had: fetching \"" + issuer +
		"\" for \"" + issuer + "\": not in Trust.Documents, and fetching is off"
}

// The files that are not badges, whatever their names say.
const wantNotes = `skipped notes.txt: not a badge (text/plain; charset=utf-8)
skipped unbaked.svg: not a badge (bake: the image holds no baked credential: the SVG has no <credential> element in namespace https://purl.imsglobal.org/ob/v3p0)
`

func TestWallet(t *testing.T) {
	const now = "2026-01-01T00:00:00Z"
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"offline, no map", []string{"-now", now, "testdata/badges"}, wantTable},
		{"the issuers' documents", []string{"-now", now, "-offline-map", "testdata/offline/issuers/offline-map.json", "testdata/badges"}, wantTableIssuers},
		{"map and recipient", []string{"-now", now, "-offline-map", "testdata/offline/offline-map.json",
			"-recipient", "emailAddress:ada@example.org", "testdata/badges"}, wantTableMapAda},
		{"map and the subject's id", []string{"-now", now, "-offline-map", "testdata/offline/offline-map.json",
			"-recipient", "id:did:example:ebfeb1f712ebc6f1c276e12ec21", "testdata/badges"},
			wantTableMapID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if err := run(tt.args, &stdout, &stderr); err != nil {
				t.Fatalf("run: %v\n%s", err, stderr.String())
			}
			if diff := cmp.Diff(tt.want, stdout.String()); diff != "" {
				t.Errorf("table (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(wantNotes, stderr.String()); diff != "" {
				t.Errorf("notes (-want +got):\n%s", diff)
			}
		})
	}
}

// The row of the revoked credential, without and with its list.
const (
	revokedInconclusive = "INCONCLUSIVE  status: the status could not be decided: status: the status list could not be retrieved: https://raw.githubusercontent.com/1EdTech/digital-credentials-public-validator/refs/heads/main/inspector-vc/src/test/resources/ob30/bit-string-list/testlist: not in Trust.Documents, and fetching is off"
	revokedNotVerified  = "NOT VERIFIED  status: revoked: bit 23 of https://raw.githubusercontent.com/1EdTech/digital-credentials-public-validator/refs/heads/main/inspector-vc/src/test/resources/ob30/bit-string-list/testlist is 1: revoked"
)

func TestWalletErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string // in the error
	}{
		{"no folder", nil, "want one folder"},
		{"two folders", []string{"a", "b"}, "want one folder"},
		{"bad time", []string{"-now", "yesterday", "testdata/badges"}, "-now: parsing time"},
		{"bad recipient", []string{"-recipient", "ada", "testdata/badges"}, `-recipient "ada": want TYPE:VALUE`},
		{"missing map", []string{"-offline-map", "testdata/nope.json", "testdata/badges"}, "no such file"},
		{"map is not a map", []string{"-offline-map", "testdata/offline/testlist", "testdata/badges"}, "is not a DID or an absolute URL (is the file a document rather than a map of them?)"},
		{"missing folder", []string{"testdata/nope"}, "no such file"},
		{"bad flag", []string{"-nope", "testdata/badges"}, "flag provided but not defined: -nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(tt.args, &stdout, &stderr)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want it to contain %q", err, tt.want)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout: %q", stdout.String())
			}
		})
	}
}

func TestIdentity(t *testing.T) {
	for _, tt := range []struct {
		o    credential.IdentityObject
		want string
	}{
		{credential.NewHashedIdentity(credential.IdentifierTypeEmailAddress, "ada@example.org"), "hashed email"},
		{credential.NewPlainIdentity(credential.IdentifierTypeEmailAddress, "ada@example.org"), "email ada@example.org"},
		{credential.NewHashedIdentity(credential.IdentifierTypeSourcedID, "12345"), "hashed sourcedId"},
	} {
		if got := identity(tt.o); got != tt.want {
			t.Errorf("identity(%+v) = %q, want %q", tt.o, got, tt.want)
		}
	}
}

// TestSummarize checks the verdict for each kind of report. A report that
// is not verified only because something could not be decided was shown
// as NOT VERIFIED with no reason once Verify stopped verifying such
// reports; it is INCONCLUSIVE, with the undecided check.
func TestSummarize(t *testing.T) {
	proofUndecided := verify.Check{ID: verify.CheckProof, Outcome: verify.Indeterminate, Message: "key not confirmed"}
	statusUndecided := verify.Check{ID: verify.CheckStatus, Outcome: verify.Indeterminate, Message: "list not held"}
	expired := verify.Check{ID: verify.CheckValidity, Outcome: verify.Failed, Message: "expired"}
	warning := verify.Check{ID: verify.CheckSchema, Outcome: verify.Warning, Message: "legacy form"}
	passed := verify.Check{ID: verify.CheckInput, Outcome: verify.Passed}
	for _, tt := range []struct {
		name         string
		rep          verify.Report
		verdict, why string
	}{
		{"verified", verify.Report{Verified: true, Checks: []verify.Check{passed}}, "VERIFIED", "no warnings"},
		{"verified with warnings", verify.Report{Verified: true, Checks: []verify.Check{warning, passed, warning}}, "VERIFIED", "2 warnings"},
		{"failed", verify.Report{Checks: []verify.Check{passed, expired}}, "NOT VERIFIED", "validity: expired"},
		{"failed and undecided", verify.Report{Inconclusive: true, Checks: []verify.Check{proofUndecided, expired}}, "NOT VERIFIED", "validity: expired"},
		{"undecided key", verify.Report{Inconclusive: true, Checks: []verify.Check{passed, proofUndecided, statusUndecided}}, "INCONCLUSIVE", "proof: key not confirmed"},
		{"undecided status", verify.Report{Inconclusive: true, Checks: []verify.Check{passed, statusUndecided}}, "INCONCLUSIVE", "status: list not held"},
	} {
		verdict, why := summarize(&tt.rep)
		if verdict != tt.verdict || why != tt.why {
			t.Errorf("%s: %q, %q; want %q, %q", tt.name, verdict, why, tt.verdict, tt.why)
		}
	}
}
