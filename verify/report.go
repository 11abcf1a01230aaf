package verify

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Outcome is how one check ended.
type Outcome string

// The outcomes. Failed is fatal: the credential is not verified.
// Indeterminate is inconclusive: the check could not decide (a key whose
// issuer's document cannot be had, a status list that cannot be reached),
// and the credential is not verified either, unless the check is the
// status and Policy.AllowUnknownStatus accepts that. Warning passes with
// something a person should know; Skipped did not apply or was not asked
// for.
const (
	Passed        Outcome = "passed"
	Failed        Outcome = "failed"
	Warning       Outcome = "warning"
	Skipped       Outcome = "skipped"
	Indeterminate Outcome = "indeterminate"
)

// The IDs of the checks, in the order they run (the order of OB 3.0's
// Verification section). They are stable: programs may branch on them.
// A presentation's report has input, jsonld, context, rules, proof,
// holder, challenge, validity and credentials, in that order; an Open
// Badges 2.0 assertion's (or endorsement's) has input, context, rules,
// badge, proof, issuer, status, validity, recipient and endorsements.
const (
	// CheckInput: the input is a JSON credential, a compact JWS, a PNG or
	// SVG with one baked in, or an HTML page or a PDF with one in it (a
	// <script> element, an embedded file; see package bake); or a
	// presentation (a JSON one, a JWT, an EnvelopedVerifiablePresentation);
	// or an Open Badges 2.0 assertion as JSON, a compact JWS or the URL of
	// a hosted one, or baked in a PNG or SVG in any of these forms (a URL
	// is fetched here: indeterminate when it cannot be had). An Open
	// Badges 1.x assertion fails.
	CheckInput = "input"
	// CheckJSONLD: the credential reads as JSON-LD in safe mode over the
	// bundled contexts (no term undefined, nothing dropped).
	CheckJSONLD = "jsonld"
	// CheckContext: @context and type are those of a VCDM 2.0 (or, as
	// legacy, 1.1) credential and, unless VCOnly, an OB 3.0 one; or of an
	// Open Badges 2.0 Assertion (or Endorsement).
	CheckContext = "context"
	// CheckSchema: the embedded 1EdTech JSON Schema of the credential's
	// class.
	CheckSchema = "schema"
	// CheckCredentialSchema: the schemas the credential names in
	// credentialSchema.
	CheckCredentialSchema = "credential-schema"
	// CheckRules: the data model rules: the W3C VC Data Model's (id,
	// type, issuer, credentialSubject, dates, the types of
	// credentialStatus, evidence and the like, relatedResource digests)
	// and, unless VCOnly, the OB 3.0 rules (subject id or identifier,
	// issuer a Profile, criteria id or narrative, the types inside); for
	// a presentation, the VC Data Model's rules of presentations (a URL id
	// and holder, credentials that are objects, at most
	// Trust.MaxCredentials of them); for an Open Badges 2.0 object, the
	// properties OB 2.0 requires and their forms. Details: the findings,
	// each with its JSON pointer and rule.
	CheckRules = "rules"
	// CheckBadge: an Open Badges 2.0 assertion's BadgeClass (embedded, or
	// read from its id) and the Profile of the issuer it names (of an
	// endorsement: its issuer's), always read from the issuer's id, from
	// Trust.Documents or the network: an embedded copy is never trusted.
	// Indeterminate when a document cannot be had. Details: badgeClass,
	// badgeClassFrom ("embedded" or "its id"), issuer.
	CheckBadge = "badge"
	// CheckProof: at least one valid Data Integrity proof, or the JWT,
	// with a key confirmed as the issuer's; every proof is listed in the
	// details, with its binding: "self" (the issuer is the did:key or
	// did:jwk), "document" (the issuer's DID or controller document lists
	// the key), "local" (Trust.Keys holds it) or "asserted" (the key was
	// read from the verification method's fragment or a JWT header's jwk
	// and nothing confirmed it: the check is then indeterminate, never
	// passed). A presentation's proof is its holder's, by a key listed
	// under authentication, and must carry Policy.Challenge and
	// Policy.Domain; a presentation without one fails unless
	// Policy.AllowUnboundPresentation accepts it.
	//
	// For an Open Badges 2.0 object: a SignedBadge's JWS verifies with a
	// key the issuer's Profile lists under publicKey (the one
	// verification.creator names, if it names one), whose CryptographicKey
	// document, read from its id, names the issuer as owner; details list
	// each key tried (id, owner, algorithm, verified, error). A
	// HostedBadge's copy at its id is the object given, and its id is
	// within the issuer's verification policy (startsWith, allowedOrigins,
	// by default the host of the issuer's id); details: url, host,
	// allowedOrigins, startsWith, and the JSON pointer where the object
	// given and the hosted copy differ.
	CheckProof = "proof"
	// CheckHolder: who presented a presentation: its holder, whose key the
	// proof is by, or (a warning) the controller of that key when it names
	// no holder. Details: holder and binding.
	CheckHolder = "holder"
	// CheckChallenge: a presentation's proof carries the challenge and
	// domain the Policy asks for; with no Policy.Challenge, a warning that
	// nothing prevents replay.
	CheckChallenge = "challenge"
	// CheckIssuer: the issuer is one of Trust.TrustedIssuers.
	CheckIssuer = "issuer"
	// CheckRefresh: the 1EdTechCredentialRefresh service, when the caller
	// allows fetching.
	CheckRefresh = "refresh"
	// CheckStatus: the credentialStatus entries: revocation and suspension,
	// and the value and message of a message entry. For an Open Badges 2.0
	// object: a hosted one is revoked when its copy says so or its id
	// answers 410 Gone; a signed one when the revocation list its issuer's
	// Profile names lists its id (or uid); details: list, reason.
	CheckStatus = "status"
	// CheckValidity: validFrom and validUntil against Policy.Now (a JWT
	// presentation's exp and nbf; an Open Badges 2.0 object's issuedOn and
	// expires).
	CheckValidity = "validity"
	// CheckRecipient: the subject (an Open Badges 2.0 assertion's
	// recipient, hashed or not) is Policy.Recipient.
	CheckRecipient = "recipient"
	// CheckEndorsements: the embedded endorsements, each verified with its
	// own report; for an Open Badges 2.0 assertion, the endorsements of the
	// assertion, its BadgeClass and its issuer's Profile, embedded or by
	// URL (endorsements of endorsements are not followed).
	CheckEndorsements = "endorsements"
	// CheckCredentials: every credential a presentation encloses (or a
	// Comprehensive Learner Record embeds) verifies, each with its own
	// report in Report.Credentials.
	CheckCredentials = "credentials"
)

// Check is one check's finding.
type Check struct {
	// ID is one of the Check… constants.
	ID string `json:"id"`
	// Outcome is how it ended.
	Outcome Outcome `json:"outcome"`
	// Message says what was found, in words a person can act on.
	Message string `json:"message"`
	// Details holds what the check looked at, nil when there is nothing
	// to detail. In a Report from Verify it is one of these types (Go
	// callers read it with a type assertion):
	//
	//   - jsonld: *SafeModeDetail or *InlineContextDetail
	//   - schema, rules: []ProblemDetail
	//   - credential-schema: []CredentialSchemaDetail
	//   - proof: []ProofDetail; of an Open Badges 2.0 object,
	//     []OB20KeyDetail (signed) or *OB20HostedDetail (hosted)
	//   - badge: *BadgeDetail
	//   - holder: *HolderDetail
	//   - challenge: *ChallengeDetail
	//   - refresh: *RefreshDetail
	//   - status: []StatusDetail; of an Open Badges 2.0 object,
	//     *RevocationDetail
	//   - validity: *ValidityDetail
	//
	// A Report decoded from JSON holds the JSON values instead (maps and
	// slices); their keys are the types' (see ReportVersion).
	Details any `json:"details,omitempty"`
}

// Fetched is one document the verification read from outside the input.
type Fetched struct {
	// URL is what was asked for.
	URL string `json:"url"`
	// From is "offline map" or "network".
	From string `json:"from"`
	// Bytes is the size of what came back.
	Bytes int `json:"bytes"`
	// Error is why it could not be had, if it could not.
	Error string `json:"error,omitempty"`
}

// ReportVersion is the version of the Report's JSON encoding, which every
// report (an endorsement's, a presentation's credential's too) carries in
// reportVersion. Within a version keys are only ever added, and a
// program reading reports may ignore those it does not know. A key
// removed or renamed, or a value whose type or meaning changes, makes a
// new version: a program that reads reports refuses a version it does not
// know. The keys are those of Report, Check, Fetched, Summary and the
// detail types (see Check.Details); a test pins them.
const ReportVersion = 1

// Report is what Verify found. Its JSON encoding is stable: fields are
// only ever added (see ReportVersion).
type Report struct {
	// ReportVersion is ReportVersion, the version of this encoding.
	ReportVersion int `json:"reportVersion"`
	// Verified is true when no check failed and none was indeterminate,
	// but for a status check Policy.AllowUnknownStatus accepts as
	// indeterminate.
	Verified bool `json:"verified"`
	// Inconclusive is true when a check was indeterminate: with Verified
	// false and no check failed, the credential is not verified only for
	// want of something (the issuer's document, a status list) that the
	// messages name.
	Inconclusive bool `json:"inconclusive"`
	// Input is how the credential or presentation came: "json", "jwt",
	// "enveloped" (an EnvelopedVerifiableCredential or
	// EnvelopedVerifiablePresentation, or its data: URL alone), "png" or
	// "svg" (a baked image), "html" or "pdf" (a certificate: a page or a
	// PDF with the credential in it); for an Open Badges 2.0 object also
	// "jws" (a compact JWS) or "url" (the URL of a hosted one).
	Input string `json:"input"`
	// Encoding is how the credential itself is secured: "json" (embedded
	// proofs) or "jwt"; for an Open Badges 2.0 object, "signed" or
	// "hosted" (its verification type).
	Encoding string `json:"encoding,omitempty"`
	// Version is the data model version: "VCDM 2.0" or "VCDM 1.1", or
	// "OB 2.0" (or "OB 1.x", which is not verified) for an Open Badges
	// object older than 3.0.
	Version string `json:"version,omitempty"`
	// Class is the OB 3.0 class: "AchievementCredential" or
	// "EndorsementCredential" (or "VerifiableCredential" when VCOnly), or
	// ClassClr for a CLR 2.0 record, or ClassPresentation for a
	// presentation; the OB 2.0 class, "Assertion"
	// or "Endorsement".
	Class string `json:"class,omitempty"`
	// Issuer and Subject are the issuer's and the credentialSubject's ids;
	// for an Open Badges 2.0 object, the id of the issuer its BadgeClass
	// names, and no subject.
	Issuer  string `json:"issuer,omitempty"`
	Subject string `json:"subject,omitempty"`
	// Summary is what a wallet shows of the credential, read from it
	// (see Summary); nil for a presentation, and when no credential could
	// be read.
	Summary *Summary `json:"summary,omitempty"`
	// Credential is the credential's JSON as received (a JWT's payload
	// without its claims, the text baked into an image); for an Open
	// Badges 2.0 object, as verified (a JWS's payload, a hosted one's copy
	// at its id).
	Credential json.RawMessage `json:"credential,omitempty"`
	// Checks lists every check, in order.
	Checks []Check `json:"checks"`
	// Fetched lists the documents read.
	Fetched []Fetched `json:"fetched"`
	// Endorsements holds one report per embedded endorsement.
	Endorsements []*Report `json:"endorsements,omitempty"`
	// Holder is a presentation's holder id or, when it names none, the
	// controller of the key that signed it (see the holder check).
	Holder string `json:"holder,omitempty"`
	// Presentation is the presentation's JSON as received (a vp+jwt's
	// payload, a VCDM 1.1 JWT's vp claim).
	Presentation json.RawMessage `json:"presentation,omitempty"`
	// Credentials holds one report per credential a presentation
	// encloses, or a Comprehensive Learner Record (ClassClr) embeds, in
	// its order.
	Credentials []*Report `json:"credentials,omitempty"`
}

// Check returns the check with the given ID, or nil.
func (r *Report) Check(id string) *Check {
	for i := range r.Checks {
		if r.Checks[i].ID == id {
			return &r.Checks[i]
		}
	}
	return nil
}

// Failed returns the checks that failed.
func (r *Report) Failed() []Check {
	var out []Check
	for _, c := range r.Checks {
		if c.Outcome == Failed {
			out = append(out, c)
		}
	}
	return out
}

// String renders the report for a person: a verdict, then one line per
// check.
func (r *Report) String() string {
	var b strings.Builder
	verdict := "VERIFIED"
	switch {
	case !r.Verified && r.Inconclusive && len(r.Failed()) == 0:
		verdict = "NOT VERIFIED (inconclusive)"
	case !r.Verified:
		verdict = "NOT VERIFIED"
	case r.Inconclusive:
		verdict = "VERIFIED (status unknown, accepted by policy)"
	}
	fmt.Fprintf(&b, "%s: %s", verdict, r.Input)
	if r.Class != "" {
		fmt.Fprintf(&b, " %s", r.Class)
	}
	if r.Version != "" {
		fmt.Fprintf(&b, " (%s)", r.Version)
	}
	if r.Issuer != "" {
		fmt.Fprintf(&b, " from %s", r.Issuer)
	}
	if r.Holder != "" {
		fmt.Fprintf(&b, " by %s", r.Holder)
	}
	b.WriteByte('\n')
	for _, c := range r.Checks {
		fmt.Fprintf(&b, "  %-17s %-13s %s\n", c.ID, c.Outcome, c.Message)
	}
	for i, e := range r.Endorsements {
		fmt.Fprintf(&b, "  endorsement %d: %s", i, indent(e.String()))
	}
	for i, c := range r.Credentials {
		fmt.Fprintf(&b, "  credential %d: %s", i, indent(c.String()))
	}
	return b.String()
}

func indent(s string) string {
	return strings.ReplaceAll(strings.TrimSuffix(s, "\n"), "\n", "\n    ") + "\n"
}
