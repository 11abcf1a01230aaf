// Package verify answers, in one call and offline by default, whether an
// Open Badges 3.0 credential is genuine, current, not revoked and this
// person's: given a JSON credential, a compact JWS, a PNG or SVG with one
// baked in, or a certificate with one in it (an HTML page, a PDF; see
// package bake), it runs the checks of the OB 3.0 Verification section in
// order and returns a Report that explains each. It answers the same of
// Open Badges 2.0 assertions (see below). Start with New and
// Verifier.Verify, or the Verify function for a one-off.
//
// What a Verifier trusts is set once, in a Trust: the issuers' documents,
// the caller's own keys, whether and how the network may be used, trusted
// issuers, contexts and schemas. What one verification asks is a Policy:
// the time, a recipient, strictness, whether an undecided status may pass.
// A credential is verified only when its proof's key is confirmed as the
// issuer's (the issuer is the did:key or did:jwk itself, or the issuer's
// own document lists the key) and nothing that matters is left undecided:
// an unconfirmed key or an unknown status is never a pass unless the
// Policy accepts an unknown status. Only an unusable input or a cancelled
// context is an error: every finding about the credential, including
// failure, is in the Report.
//
// # Reports
//
// A Report lists every check in order, each with its outcome, a message a
// person can act on, and typed details (see Check.Details: a proof's key
// binding and canonical forms, each status entry, the schema findings);
// and a Summary, what a wallet shows of the credential (issuer,
// achievement, recipient's name, dates) without reading it again. Its JSON
// encoding is versioned (ReportVersion): within a version keys are only
// ever added.
//
// # Presentations
//
// The same call verifies a Verifiable Presentation, what a holder (a
// wallet) shows a verifier: credentials, signed together by the holder
// over the verifier's challenge. It comes as a JSON presentation with a
// Data Integrity proof (proofPurpose authentication), a compact JWS (typ
// vp+jwt, or a VCDM 1.1 JWT with a vp claim), an
// EnvelopedVerifiablePresentation holding such a JWS in a data: URL, or
// that data: URL alone. It is verified when its proof verifies with a key
// confirmed as its holder's (as a credential's must be its issuer's: the
// holder is the did:key or did:jwk itself, or the holder's own DID or
// controller document lists the key under authentication, or Trust.Keys
// holds it), carries the challenge and domain the Policy asks for
// (Policy.Challenge, Policy.Domain), and every credential it encloses
// verifies on its own with the full credential rules, under the same Trust
// and Policy, each with its own Report in Report.Credentials.
//
// What VCDM 2.0 leaves open is decided as a demanding verifier would. A
// presentation that names no holder is bound to the controller of the key
// that signed it, who must still be confirmed; Report.Holder names them
// and the holder check warns (VCDM 2.0 §4.13: the holder is then what the
// securing mechanism says). A presentation without a proof shows nothing
// about who presented it and can be replayed at will: it is not verified,
// unless Policy.AllowUnboundPresentation accepts it, and never when a
// challenge is asked for. With no Policy.Challenge nothing prevents
// replay, and the challenge check warns. Credentials must be objects,
// embedded or enveloped (a JWT string is taken only in a VCDM 1.1
// presentation), at most Trust.MaxCredentials of them.
//
// # Open Badges 2.0
//
// The same call verifies an Open Badges 2.0 assertion, as most badges in
// circulation are: as JSON, as a compact JWS (a signed badge), as the URL
// of a hosted one, or baked in a PNG or SVG in any of these forms. Its
// report has the checks input, context, rules, badge, proof, issuer,
// status, validity, recipient and endorsements, and the same verdict
// rules. Its BadgeClass and its issuer's Profile are read from their ids
// (Trust.Documents, or the network through Trust.Fetcher); an embedded
// Profile is never trusted. A signed assertion is verified when its JWS
// verifies with a key the Profile lists under publicKey and whose
// CryptographicKey names the issuer as owner; a hosted one when its copy
// at its id is the assertion given, within the Profile's verification
// policy (allowedOrigins and startsWith; by default the host of the
// issuer's id). It must not be revoked (the issuer's revocation list, a
// revoked hosted copy, or 410 Gone) nor expired; Policy.Recipient is
// compared with its recipient, hashed or not; its endorsements are
// verified as the OB 2.0 spec verifies them. A document that cannot be
// had leaves the check indeterminate. Open Badges 1.x is not verified.
package verify

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/did"
	"github.com/go-openbadges/openbadges/fetch"
	"github.com/go-openbadges/openbadges/internal/jsonld"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
	"github.com/go-openbadges/openbadges/schema"
	"github.com/go-openbadges/openbadges/status/statuscheck"
)

// DefaultMaxBytes bounds the input (an image with a credential baked in)
// when Trust.MaxBytes is zero.
const DefaultMaxBytes = 16 << 20

// maxEndorsements bounds the endorsements verified per credential, and
// maxDepth how deeply endorsements of endorsements are followed.
const (
	maxEndorsements = 32
	maxDepth        = 2
)

// ErrInput is wrapped by the error of an input that is none of the forms a
// credential comes in, or is over the size limit.
var ErrInput = errors.New("verify: not a credential")

// Identity is a recipient as the caller knows them.
type Identity struct {
	// Type is the kind of identifier: "id" (compared with
	// credentialSubject.id), or an OB 3.0 identity type such as
	// "emailAddress", "url", "phone", "did", compared with the subject's
	// identifier entries (hashed or plain) of that type, and with
	// credentialSubject.id when it is an IRI of that kind. An Open Badges
	// 2.0 assertion's recipient is compared when its type is the OB 2.0
	// one of these ("email", "url", "telephone", "id"; those names are
	// accepted too).
	Type string
	// Value is the identifier: "ada@example.org", "did:example:123".
	Value string
}

// Trust is the material a Verifier trusts, prepared once in New and shared
// by every verification: where the issuers' keys, status lists and other
// documents come from, and which issuers to accept. The zero Trust
// verifies offline, with the embedded contexts and schemas, and confirms
// only did:key and did:jwk issuers' keys: a did:web or https issuer's key
// is then not confirmed, and its credentials are inconclusive until its
// document is supplied (Documents) or fetching is allowed (Fetcher).
type Trust struct {
	// Fetcher, if set, allows the network: did:web DID documents, https
	// controller documents, status lists, refresh services and
	// credentialSchema URLs are fetched with it, and an Open Badges 2.0
	// badge's documents (its hosted copy, BadgeClass, issuer Profile,
	// keys, revocation list, endorsements). fetch.HTTP is the usual
	// one; it fetches https only and refuses loopback and private
	// addresses unless told otherwise. One verification fetches at most
	// MaxFetches documents. If nil, nothing is fetched.
	Fetcher fetch.Fetcher
	// Documents serves documents offline, before the network, keyed by
	// the DID or URL they are for: an issuer's DID document
	// ("did:web:example.edu", or its https URL) or controller document
	// ("https://example.edu/issuers/1"), status list credentials,
	// schemas, refreshed credentials; an Open Badges 2.0 badge's
	// documents, by their ids. A DID or controller document (or OB 2.0
	// Profile) given here is taken as the issuer's: the keys it lists are
	// confirmed, and a key it does not list fails. The map is copied; the documents must
	// not be modified afterwards.
	Documents map[string][]byte
	// Keys, if set, is the caller's own key store: a key it holds is
	// confirmed as its controller's (an issuer checking what it signed
	// passes its store). If nil, there is none.
	Keys keys.Store
	// Resolvers are asked after Keys and Documents and before the network,
	// for DID methods or key sources this library does not know. Each must
	// keep did.Resolver's contract, and say truly how a key is bound to its
	// controller: only BindingSelf, BindingDocument and BindingLocal keys
	// verify.
	Resolvers []did.Resolver
	// TrustedIssuers, if not empty, lists the issuer ids to accept; any
	// other issuer fails the issuer check. It never makes a key confirmed:
	// a trusted issuer's credential still needs a key the issuer's own
	// document lists. If empty, the check is skipped (a verified
	// credential then says only that its issuer signed it).
	TrustedIssuers []string
	// Contexts adds JSON-LD contexts by URL (extensions this library does
	// not embed). Embedded contexts cannot be replaced.
	Contexts map[string][]byte
	// MaxInlineContextBytes and MaxInlineContextTerms bound the JSON-LD
	// contexts a credential writes inline (all of them together, in
	// bytes and in term definitions): a credential over either is refused
	// by the jsonld check before any context is processed. Real
	// credentials name their contexts by URL; an attacker's inline context
	// of megabytes would otherwise cost seconds. If zero,
	// schema.DefaultMaxInlineContextBytes (64 KiB) and
	// schema.DefaultMaxInlineContextTerms (1,000); if negative, no limit.
	// When Loader is set, its own limits apply instead.
	MaxInlineContextBytes, MaxInlineContextTerms int
	// Loader and Schemas, if set, are the prepared JSON-LD contexts and
	// JSON Schemas to use, shared with other Verifiers (preparing them is
	// most of what New costs). If nil, New prepares them from Contexts and
	// the embedded files; when Loader is set, Contexts is ignored.
	Loader  *schema.Loader
	Schemas *schema.Validator
	// MaxBytes bounds the input. If zero, DefaultMaxBytes.
	MaxBytes int
	// MaxCredentials bounds the credentials a presentation may enclose: a
	// presentation with more is not verified, and none of them is. If
	// zero, DefaultMaxCredentials. When set, it bounds a Comprehensive
	// Learner Record's embedded credentials too (see ClassClr).
	MaxCredentials int
}

// Policy is what one verification asks, beyond what the Trust settles.
// The zero Policy verifies an Open Badges 3.0 credential at the current
// time, with no clock skew, no recipient, and fails closed on an
// undecided status; a presentation only with its holder's proof, warning
// that without a challenge nothing prevents replay.
type Policy struct {
	// Now is the time the validity window, status lists and proof
	// expiry are checked at. If zero, the current time.
	Now time.Time
	// ClockSkew widens the validity window at both ends, for clocks that
	// disagree. Zero means none.
	ClockSkew time.Duration
	// Recipient, if set, is checked against the credential's subject.
	Recipient *Identity
	// VCOnly checks any Verifiable Credential: the OB 3.0 JSON Schema and
	// rules are skipped; the W3C VC Data Model's rules still apply.
	VCOnly bool
	// Strict turns warnings into failures: legacy forms (VCDM 1.1,
	// Ed25519Signature2020, eddsa-2022, older OB contexts), schema
	// findings JSON-LD reads the same way, an endorsement that does not
	// verify.
	Strict bool
	// Challenge and Domain are what a presentation's proof must carry:
	// the verifier's fresh, one-time challenge and its own domain (a Data
	// Integrity proof's challenge and domain, a JWT's nonce and aud), so
	// that a presentation made for another verification cannot be
	// replayed here. If Challenge is empty, none is required, and the
	// report warns that replay is not prevented (a failure in strict
	// mode); if Domain is empty, the domain is not checked. A lone
	// credential ignores both.
	Challenge, Domain string
	// AllowUnboundPresentation lets a presentation without a proof be
	// verified when its credentials are: nothing then shows who presented
	// it, and anyone can replay it; the report says so. By default a
	// presentation must carry its holder's proof. A presentation without a
	// proof never passes when Challenge or Domain is set.
	AllowUnboundPresentation bool
	// AllowUnknownStatus lets a credential whose status cannot be decided
	// (its list cannot be had, does not verify, is out of its validity
	// window, of the wrong type or too short) be verified all the same:
	// for a wallet that knows it is offline. The report still marks the
	// status check indeterminate and the report Inconclusive. By default
	// an undecided status makes the credential not verified.
	AllowUnknownStatus bool
}

// A Verifier verifies credentials with one Trust. It prepares the
// contexts, schemas and documents once; it is safe for concurrent use.
type Verifier struct {
	trust     Trust
	loader    *schema.Loader
	conv      *jsonld.Converter
	schemas   *schema.Validator
	di        *dataintegrity.Verifier
	status    *statuscheck.Checker
	checkOpts *credential.CheckOptions
}

// New returns a Verifier for t. It fails only on material it cannot use:
// an extra context that is not a JSON-LD context or replaces an embedded
// one.
func New(t Trust) (*Verifier, error) {
	t.Documents = maps.Clone(t.Documents)
	t.TrustedIssuers = slices.Clone(t.TrustedIssuers)
	t.Resolvers = slices.Clone(t.Resolvers)
	v := &Verifier{trust: t}
	var err error
	if v.loader = t.Loader; v.loader == nil {
		if v.loader, err = schema.NewLoader(schema.LoaderOptions{Extra: t.Contexts, MaxInlineContextBytes: t.MaxInlineContextBytes, MaxInlineContextTerms: t.MaxInlineContextTerms}); err != nil {
			return nil, fmt.Errorf("verify: %w", err)
		}
	}
	v.conv = jsonld.ConverterFor(v.loader)
	if v.schemas = t.Schemas; v.schemas == nil {
		if v.schemas, err = schema.NewValidator(schema.ValidatorOptions{Fetcher: &sourceFetcher{docs: t.Documents, net: t.Fetcher}}); err != nil {
			return nil, fmt.Errorf("verify: %w", err)
		}
	}
	v.di = &dataintegrity.Verifier{Loader: v.loader}
	v.checkOpts = &credential.CheckOptions{Schemas: v.schemas}
	v.status = &statuscheck.Checker{Loader: v.loader}
	return v, nil
}

// Verify is New(*t) and Verifier.Verify, for a single input. A nil t is the
// zero Trust, a nil p the zero Policy.
func Verify(ctx context.Context, input []byte, t *Trust, p *Policy) (*Report, error) {
	if t == nil {
		t = &Trust{}
	}
	v, err := New(*t)
	if err != nil {
		return nil, err
	}
	return v.Verify(ctx, input, p)
}

// Verify checks input, a JSON credential, a compact JWS, a PNG or SVG with
// a credential baked in, an HTML page or a PDF with a credential in it (as
// bake.Extract reads them), or a presentation in any of its forms, or an
// Open Badges 2.0 assertion in any of its forms (see the package
// documentation), under the Policy p (nil is the zero Policy). The error
// is non-nil only when input is none of those or is over the size limit
// (ErrInput), or ctx ends.
func (v *Verifier) Verify(ctx context.Context, input []byte, p *Policy) (*Report, error) {
	maxBytes := v.trust.MaxBytes
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	if len(input) > maxBytes {
		return nil, fmt.Errorf("%w: %d bytes, over the limit of %d", ErrInput, len(input), maxBytes)
	}
	var policy Policy
	if p != nil {
		policy = *p
	}
	c := v.newCall(&policy)
	var rep *Report
	var err error
	if c.isPresentation(input) {
		rep, err = c.verifyPresentation(ctx, input)
	} else {
		rep, err = c.verify(ctx, input, 0)
	}
	if err != nil {
		return nil, err
	}
	rep.Fetched = c.rec.list()
	return rep, nil
}
