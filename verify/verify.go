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
	"bytes"
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-openbadges/openbadges/bake"
	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/did"
	"github.com/go-openbadges/openbadges/fetch"
	"github.com/go-openbadges/openbadges/internal/jsonld"
	"github.com/go-openbadges/openbadges/internal/jsonobj"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
	"github.com/go-openbadges/openbadges/proof/jose"
	"github.com/go-openbadges/openbadges/schema"
	"github.com/go-openbadges/openbadges/status"
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
	// addresses unless told otherwise. If nil, nothing is fetched.
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
	// zero, DefaultMaxCredentials.
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
	status    *status.Checker
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
	v.status = &status.Checker{Loader: v.loader}
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

// call is the state one Verify call shares across the credential, its
// endorsements and its refreshed copy: its policy, and what it fetched,
// recorded by its own fetcher.
type call struct {
	v        *Verifier
	policy   *Policy
	rec      *recorder
	fetcher  *sourceFetcher
	resolver did.Chain
	di       *dataintegrity.Verifier
	jwt      *jose.Verifier

	// split is the last JSON object members split, and of what bytes.
	split struct {
		of  []byte
		doc map[string]json.RawMessage
		ok  bool
	}
}

// members returns the members of b, a JSON object, and whether b is one
// (valid JSON, an object). The input is looked at from several sides (a
// presentation? Open Badges 2.0? enveloped?); it is checked and split once.
func (c *call) members(b []byte) (map[string]json.RawMessage, bool) {
	if s := &c.split; len(s.of) == len(b) && len(b) > 0 && &s.of[0] == &b[0] {
		return s.doc, s.ok
	}
	var doc map[string]json.RawMessage
	ok := json.Valid(b)
	if ok {
		var err error
		doc, err = jsonobj.SplitObject(b)
		ok = err == nil
	}
	c.split.of, c.split.doc, c.split.ok = b, doc, ok
	return doc, ok
}

// newCall prepares a call: its fetcher records what it reads, and the
// resolver chain and proof verifiers read through it.
func (v *Verifier) newCall(p *Policy) *call {
	c := &call{v: v, policy: p, rec: &recorder{}}
	c.fetcher = &sourceFetcher{docs: v.trust.Documents, net: v.trust.Fetcher, rec: c.rec}
	chain := make(did.Chain, 0, 6+len(v.trust.Resolvers))
	chain = append(chain, did.Key{}, did.JWK{})
	if v.trust.Keys != nil {
		chain = append(chain, did.StoreResolver{Store: v.trust.Keys})
	}
	if len(v.trust.Documents) > 0 {
		chain = append(chain, mapDocs{m: did.Map(v.trust.Documents), rec: c.rec})
	}
	chain = append(chain, v.trust.Resolvers...)
	c.resolver = append(chain, did.Web{Fetcher: c.fetcher}, did.HTTP{Fetcher: c.fetcher})
	c.di = v.di.With(c.resolver, p.Now)
	c.jwt = &jose.Verifier{Resolver: c.resolver}
	return c
}

// withoutRecipient returns the call for endorsements and refreshed
// credentials: the same, but with no recipient (an endorsement's subject
// is the thing endorsed).
func (c *call) withoutRecipient() *call {
	if c.policy.Recipient == nil {
		return c
	}
	cp := *c
	p := *c.policy
	p.Recipient = nil
	cp.policy = &p
	return &cp
}

// run is the state of one verification.
type run struct {
	c    *call
	rep  *Report
	cred []byte // the credential's JSON
	jwt  *jose.Result
	doc  map[string]json.RawMessage
	// depthRefreshed is true for a refreshed credential, whose own
	// refresh service is not followed.
	depthRefreshed bool
	// ob is set when the input is an Open Badges 2.0 (or older) object,
	// which has checks of its own.
	ob *ob20
}

func (r *run) add(id string, o Outcome, details any, format string, args ...any) {
	r.rep.Checks = append(r.rep.Checks, Check{ID: id, Outcome: o, Message: fmt.Sprintf(format, args...), Details: details})
}

func (c *call) verify(ctx context.Context, input []byte, depth int) (*Report, error) {
	// Room for every check of a credential.
	r := &run{c: c, rep: &Report{Checks: make([]Check, 0, 16), Fetched: []Fetched{}}}
	return r.runAll(ctx, input, depth)
}

// runAll runs every check in order.
func (r *run) runAll(ctx context.Context, input []byte, depth int) (*Report, error) {
	if err := r.input(ctx, input); err != nil {
		return nil, err
	}
	if r.ob != nil {
		return r.ob.runAll(ctx, depth)
	}
	steps := [...]func(context.Context) error{
		r.checkJSONLD, r.checkContext, r.checkSchemaAndRules, r.checkCredentialSchema,
		r.checkProof, r.checkIssuer, r.checkRefresh, r.checkStatus, r.checkValidity,
		r.checkRecipient,
	}
	for _, step := range steps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := step(ctx); err != nil {
			return nil, err
		}
	}
	if err := r.checkEndorsements(ctx, depth); err != nil {
		return nil, err
	}
	r.finish()
	return r.rep, nil
}

// finish decides the verdict: verified when no check failed and none was
// left undecided, but for a status the Policy accepts as unknown.
func (r *run) finish() {
	decide(r.rep, r.c.policy, func(c Check) bool {
		return c.ID == CheckStatus && r.c.policy.AllowUnknownStatus
	})
}

// decide sets rep's verdict from its checks: verified when none failed
// and none was left undecided, except those accepted says the Policy
// accepts undecided (they make the report inconclusive only). In strict
// mode a warning is a failure.
func decide(rep *Report, p *Policy, accepted func(Check) bool) {
	rep.Verified = true
	for i, c := range rep.Checks {
		if c.Outcome == Warning && p.Strict {
			rep.Checks[i].Outcome = Failed
			rep.Checks[i].Message += " (a failure in strict mode)"
			c = rep.Checks[i]
		}
		switch c.Outcome {
		case Failed:
			rep.Verified = false
		case Indeterminate:
			rep.Inconclusive = true
			if !accepted(c) {
				rep.Verified = false
			}
		}
	}
}

// input decides what the input is and finds the credential in it.
func (r *run) input(ctx context.Context, input []byte) error {
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(input, []byte("\xef\xbb\xbf")))
	var text []byte
	var doc map[string]json.RawMessage // text's members, when already split
	switch {
	case len(trimmed) == 0:
		return fmt.Errorf("%w: the input is empty", ErrInput)
	case trimmed[0] == '{':
		var ok bool
		if doc, ok = r.c.members(trimmed); !ok {
			var v any
			err := json.Unmarshal(trimmed, &v)
			return fmt.Errorf("%w: not valid JSON: %v", ErrInput, err)
		}
		if v := obLegacyVersion(doc); v != "" {
			r.ob = &ob20{r: r, in: ob20Input{form: "json", text: trimmed, version: v}}
			return nil
		}
		r.rep.Input, text = "json", trimmed
		if isEnveloped(doc) {
			jws, err := openEnvelope(doc)
			if err != nil {
				r.rep.Input = "enveloped"
				r.add(CheckInput, Failed, nil, "%v", err)
				r.finishEarly()
				return nil
			}
			r.rep.Input, text, doc = "enveloped", jws, nil
		}
	case jose.IsCompact(trimmed):
		if in, ok := legacyInput("", trimmed); ok {
			r.ob = &ob20{r: r, in: in}
			return nil
		}
		r.rep.Input, text = "jwt", trimmed
	case isHTTPURL(trimmed):
		in, _ := legacyInput("url", trimmed)
		r.ob = &ob20{r: r, in: in}
		return nil
	case bytes.HasPrefix(trimmed, []byte("data:")):
		jws, err := dataURL(string(trimmed))
		if err != nil {
			return fmt.Errorf("%w: %v", ErrInput, err)
		}
		r.rep.Input, text = "enveloped", jws
	default:
		baked, err := bake.Extract(input, &bake.Options{MaxImageBytes: len(input) + 1})
		switch {
		case errors.Is(err, bake.ErrUnknownFormat):
			return fmt.Errorf("%w: neither JSON, a compact JWS, a PNG nor an SVG, nor an HTML page or a PDF with a credential in it", ErrInput)
		case err != nil:
			r.rep.Input = imageName(input)
			r.add(CheckInput, Failed, nil, "%v", err)
			r.finishEarly()
			return nil
		}
		r.rep.Input = strings.ToLower(baked.Format.String())
		if in, ok := bakedLegacy(baked); ok {
			r.ob = &ob20{r: r, in: in}
			return nil
		}
		text = baked.Credential
	}
	if jose.IsCompact(text) {
		r.rep.Encoding = "jwt"
		res, err := r.c.jwt.Verify(ctx, text)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			r.add(CheckInput, Failed, nil, "a JWT that cannot be read: %v", err)
			r.finishEarly()
			return nil
		}
		r.jwt = res
		r.cred = res.Credential
		if len(r.cred) == 0 {
			r.add(CheckInput, Failed, nil, "the JWT is refused before its credential can be read: %v", res.Err)
			r.finishEarly()
			return nil
		}
		doc = nil
	} else {
		r.rep.Encoding = "json"
		r.cred = text
	}
	if doc == nil {
		doc, _ = r.c.members(r.cred)
	}
	if r.doc = doc; r.doc == nil {
		r.add(CheckInput, Failed, nil, "the credential is not a JSON object")
		r.finishEarly()
		return nil
	}
	r.rep.Credential = json.RawMessage(r.cred)
	r.rep.Issuer = idOf(r.doc["issuer"])
	subject := r.doc["credentialSubject"]
	if len(subject) > 0 && subject[0] == '[' {
		if subjects, err := jsonobj.SplitArray(subject); err == nil && len(subjects) > 0 {
			subject = subjects[0]
		}
	}
	r.rep.Subject = idOf(subject)
	msg := "a JSON credential"
	if r.rep.Encoding == "jwt" {
		msg = "a " + r.jwt.Format.String()
	}
	if r.rep.Input == "enveloped" {
		msg += " in an EnvelopedVerifiableCredential"
	}
	switch r.rep.Input {
	case "png", "svg":
		msg += " baked into " + strings.ToUpper(r.rep.Input)
	case "html":
		msg += " in an HTML page"
	case "pdf":
		msg += " attached to a PDF"
	}
	r.add(CheckInput, Passed, nil, "%s", msg)
	return nil
}

// finishEarly marks a verification that cannot go past the input.
func (r *run) finishEarly() { r.cred = nil }

// skipAll is true when the input check failed: every later check is then
// skipped with that reason.
func (r *run) skipAll(id string) bool {
	if r.cred != nil {
		return false
	}
	r.add(id, Skipped, nil, "no credential to check")
	return true
}

// imageName names the kind of input bake.Extract could not read: "png",
// "svg", "html" or "pdf".
func imageName(b []byte) string {
	if f := bake.Detect(b); f != bake.FormatUnknown {
		return strings.ToLower(f.String())
	}
	return "svg"
}

// idOf returns a member that is an id string or an object with an id. raw
// is a part of a document known to be valid JSON.
func idOf(raw json.RawMessage) string {
	if len(raw) > 0 && raw[0] == '{' {
		raw, _ = jsonobj.Member(raw, "id")
	}
	if s, ok := jsonobj.DecodeString(raw); ok {
		return s
	}
	return ""
}

// trees are the parse trees of the jsonld check, kept from one call to the
// next by every Verifier.
var trees jsonobj.Trees

// checkJSONLD reads the credential as JSON-LD in safe mode.
func (r *run) checkJSONLD(ctx context.Context) error {
	if r.skipAll(CheckJSONLD) {
		return nil
	}
	tree := trees.Get()
	defer trees.Put(tree)
	tree.Intern = r.c.v.conv.Interned()
	if err := jsonobj.ParseTree(r.cred, len(r.cred), 64, tree); err != nil || tree.Nodes[0].Kind != jsonobj.Object {
		r.add(CheckJSONLD, Failed, nil, "the credential is not a JSON object: %v", err)
		return nil
	}
	// Proofs are read too: a proof of a type no context defines is
	// refused here, as the 1EdTech validator refuses it.
	if err := r.c.v.conv.CheckTree(ctx, tree, 0, ""); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var sm *jsonld.SafeModeError
		var ice *schema.InlineContextError
		var details any
		switch {
		case errors.As(err, &sm):
			details = map[string]string{"path": sm.Path, "reason": sm.Reason}
		case errors.As(err, &ice):
			details = map[string]any{"limit": ice.Limit, "max": ice.Max, "size": ice.Size}
			r.add(CheckJSONLD, Failed, details, "the credential's inline JSON-LD contexts are over a limit (%d, more than %d): real credentials name their contexts by URL; to accept it, raise verify.Trust.%s (negative for no limit)", ice.Size, ice.Max, ice.Limit)
			return nil
		}
		r.add(CheckJSONLD, Failed, details, "%v", err)
		return nil
	}
	r.add(CheckJSONLD, Passed, nil, "every term is defined and nothing is dropped (JSON-LD safe mode)")
	return nil
}

// The contexts of the data model versions and of Open Badges 3.0.
const (
	contextVCDM20 = "https://www.w3.org/ns/credentials/v2"
	contextVCDM11 = "https://www.w3.org/2018/credentials/v1"
	contextOB     = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
	contextOBBase = "https://purl.imsglobal.org/spec/ob/v3p0/context"
)

// contextURL returns the @context entry raw if it is a URL (a JSON
// string), or "".
func contextURL(raw json.RawMessage) string {
	if len(raw) == 0 || raw[0] != '"' {
		return ""
	}
	s, _ := jsonobj.DecodeString(raw)
	return s
}

// checkContext checks @context and type.
func (r *run) checkContext(ctx context.Context) error {
	if r.skipAll(CheckContext) {
		return nil
	}
	// The members are parts of a valid JSON object: each is split, and
	// only the strings are decoded.
	var ctxs []json.RawMessage
	switch raw := r.doc["@context"]; {
	case len(raw) > 0 && raw[0] == '[':
		elems, _ := jsonobj.SplitArray(raw)
		for _, e := range elems {
			ctxs = append(ctxs, e)
		}
	case len(raw) == 0:
		r.add(CheckContext, Failed, nil, "@context is missing")
		return nil
	case string(raw) == "null":
		// None, as encoding/json reads null into a slice: empty.
	default:
		ctxs = []json.RawMessage{raw}
	}
	types, ok := jsonobj.DecodeStrings(r.doc["type"])
	if !ok {
		if oneType, ok := jsonobj.DecodeString(r.doc["type"]); ok {
			types = []string{oneType}
		}
	}
	if len(ctxs) == 0 {
		r.add(CheckContext, Failed, nil, "@context is empty")
		return nil
	}
	first := contextURL(ctxs[0])
	var warnings []string
	switch first {
	case contextVCDM20:
		r.rep.Version = "VCDM 2.0"
	case contextVCDM11:
		r.rep.Version = "VCDM 1.1"
		warnings = append(warnings, "a VCDM 1.1 credential: a legacy data model")
	default:
		r.add(CheckContext, Failed, nil, "the first @context is %q, not %s", first, contextVCDM20)
		return nil
	}
	if !slices.Contains(types, "VerifiableCredential") {
		r.add(CheckContext, Failed, nil, "type %q does not include VerifiableCredential", types)
		return nil
	}
	switch {
	case slices.Contains(types, "AchievementCredential") || slices.Contains(types, "OpenBadgeCredential"):
		r.rep.Class = "AchievementCredential"
	case slices.Contains(types, "EndorsementCredential"):
		r.rep.Class = "EndorsementCredential"
	case r.c.policy.VCOnly:
		r.rep.Class = "VerifiableCredential"
	default:
		r.add(CheckContext, Failed, nil, "type %q is neither an AchievementCredential (OpenBadgeCredential) nor an EndorsementCredential", types)
		return nil
	}
	if r.rep.Class != "VerifiableCredential" {
		ob := ""
		for _, c := range ctxs {
			if s := contextURL(c); strings.HasPrefix(s, contextOBBase) {
				ob = s
			}
		}
		switch {
		case ob == "":
			r.add(CheckContext, Failed, nil, "no Open Badges 3.0 context (%s)", contextOB)
			return nil
		case ob != contextOB:
			warnings = append(warnings, fmt.Sprintf("Open Badges context %s, not the current %s", ob, contextOB))
		}
	}
	if len(warnings) > 0 {
		r.add(CheckContext, Warning, nil, "%s; %s", r.rep.Class, strings.Join(warnings, "; "))
		return nil
	}
	r.add(CheckContext, Passed, nil, "%s, %s", r.rep.Class, r.rep.Version)
	return nil
}

// problemDetail is a schema or rule finding in a check's details.
type problemDetail struct {
	Pointer  string `json:"pointer"`
	Rule     string `json:"rule"`
	Message  string `json:"message"`
	Severity string `json:"severity"`
}

// checkSchemaAndRules runs the embedded JSON Schema and the data model
// rules (credential.Check: the OB 3.0 rules and the VC Data Model's) and
// reports them as two checks. With VCOnly the schema is not applied and
// the rules are the VC Data Model's alone (credential.CheckDataModel).
func (r *run) checkSchemaAndRules(ctx context.Context) error {
	if r.cred == nil {
		r.skipAll(CheckSchema)
		r.skipAll(CheckRules)
		return nil
	}
	// relatedResource digests are compared with the contexts this
	// Verifier holds, Trust.Contexts included.
	opts := *r.c.v.checkOpts
	opts.Loader = r.c.v.loader
	if r.c.policy.VCOnly {
		r.add(CheckSchema, Skipped, nil, "VC only: the OB 3.0 JSON Schema is not applied")
		res, err := credential.CheckDataModel(r.cred, &opts)
		if err != nil {
			r.add(CheckRules, Failed, nil, "%v", err)
			return nil
		}
		ps, errs := problemDetails(r.suppliedByJWT(res.Problems))
		r.reportProblems(CheckRules, "VC Data Model rules", ps, errs)
		return nil
	}
	res, err := credential.Check(r.cred, &opts)
	if err != nil {
		r.add(CheckSchema, Failed, nil, "%v", err)
		r.add(CheckRules, Skipped, nil, "the credential could not be read")
		return nil
	}
	var schemaFound, ruleFound []credential.Problem
	for _, p := range r.suppliedByJWT(res.Problems) {
		if strings.HasPrefix(p.Rule, "schema/") {
			schemaFound = append(schemaFound, p)
		} else {
			ruleFound = append(ruleFound, p)
		}
	}
	if res.Version == credential.VCDM11 {
		r.add(CheckSchema, Skipped, nil, "the OB 3.0 JSON Schema describes VCDM 2.0 credentials; this one is VCDM 1.1")
	} else {
		ps, errs := problemDetails(schemaFound)
		r.reportProblems(CheckSchema, "1EdTech JSON Schema of the "+res.Class, ps, errs)
	}
	ps, errs := problemDetails(ruleFound)
	r.reportProblems(CheckRules, "OB 3.0 and VC Data Model rules", ps, errs)
	return nil
}

// suppliedByJWT drops the findings that the claims of a VCDM 1.1 JWT
// answer: its nbf is the credential's issuanceDate (VC-JWT 1.1, the
// transformation rules), which the vc claim may then leave out.
func (r *run) suppliedByJWT(found []credential.Problem) []credential.Problem {
	if r.jwt == nil || r.jwt.Format != jose.FormatVCDM11 || r.jwt.Claims.NotBefore == nil {
		return found
	}
	if _, ok := r.doc["issuanceDate"]; ok {
		return found
	}
	var out []credential.Problem
	for _, p := range found {
		if p.Pointer == "/issuanceDate" && (p.Rule == "vcdm/issuanceDate" || p.Rule == "required") {
			continue
		}
		out = append(out, p)
	}
	return out
}

// problemDetails converts findings to check details and counts the
// errors among them.
func problemDetails(found []credential.Problem) (ps []problemDetail, errs int) {
	for _, p := range found {
		d := problemDetail{Pointer: p.Pointer, Rule: p.Rule, Message: p.Message, Severity: p.Severity.String()}
		if p.Severity != credential.SeverityWarning {
			errs++
		}
		ps = append(ps, d)
	}
	return ps, errs
}

// reportProblems adds check id: failed if a finding is an error, a
// warning if there are only warnings, passed if there are none.
func (r *run) reportProblems(id, what string, ps []problemDetail, errs int) {
	switch {
	case errs > 0:
		r.add(id, Failed, ps, "%s: %s", what, firstError(ps))
	case len(ps) > 0:
		r.add(id, Warning, ps, "%s: %s", what, ps[0].Message)
	default:
		r.add(id, Passed, nil, "%s: no findings", what)
	}
}

func firstError(ps []problemDetail) string {
	for _, p := range ps {
		if p.Severity == "error" {
			if p.Pointer != "" {
				return p.Pointer + ": " + p.Message
			}
			return p.Message
		}
	}
	return ""
}

// checkCredentialSchema validates against the schemas credentialSchema
// names.
func (r *run) checkCredentialSchema(ctx context.Context) error {
	if r.skipAll(CheckCredentialSchema) {
		return nil
	}
	var entries []struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	}
	raw := r.doc["credentialSchema"]
	if len(raw) == 0 {
		r.add(CheckCredentialSchema, Skipped, nil, "the credential names no schema")
		return nil
	}
	if json.Unmarshal(raw, &entries) != nil {
		var one struct {
			ID   string `json:"id"`
			Type string `json:"type"`
		}
		if json.Unmarshal(raw, &one) != nil {
			r.add(CheckCredentialSchema, Failed, nil, "credentialSchema is neither an object nor an array of objects")
			return nil
		}
		entries = append(entries, one)
	}
	type result struct {
		ID      string `json:"id"`
		Outcome string `json:"outcome"`
		Error   string `json:"error,omitempty"`
	}
	var results []result
	outcome := Passed
	var msgs []string
	embedded := map[string]string{
		"AchievementCredential": schema.AchievementCredentialSchemaURL,
		"EndorsementCredential": schema.EndorsementCredentialSchemaURL,
	}[r.rep.Class]
	for _, e := range entries {
		if e.ID == embedded && r.rep.Version == "VCDM 2.0" {
			// The schema check above applied this very schema, with
			// JSON-LD's equivalent forms (a lone proof object for an
			// array) as warnings; its verdict stands for this entry.
			sc := r.rep.Check(CheckSchema)
			o := "passed"
			if sc != nil && sc.Outcome == Failed {
				o, outcome = "failed", Failed
				msgs = append(msgs, e.ID+": see the schema check")
			}
			results = append(results, result{e.ID, o, "the embedded copy, as the schema check applied it"})
			continue
		}
		err := r.c.v.schemas.ValidateContext(ctx, e.ID, r.cred)
		var unknown *schema.UnknownSchemaError
		switch {
		case err == nil:
			results = append(results, result{e.ID, "passed", ""})
		case errors.As(err, &unknown) || errors.Is(err, errNotAvailable):
			results = append(results, result{e.ID, "skipped", err.Error()})
			if outcome == Passed {
				outcome = Skipped
			}
			msgs = append(msgs, fmt.Sprintf("%s could not be had (not embedded; pass it in Trust.Documents, or allow fetching)", e.ID))
		default:
			results = append(results, result{e.ID, "failed", err.Error()})
			outcome = Failed
			msgs = append(msgs, fmt.Sprintf("%s: %v", e.ID, err))
		}
	}
	if outcome == Passed {
		r.add(CheckCredentialSchema, Passed, results, "%d schema(s) named in credentialSchema pass", len(results))
		return nil
	}
	r.add(CheckCredentialSchema, outcome, results, "%s", strings.Join(msgs, "; "))
	return nil
}

// proofDetail is one proof in the proof check's details.
type proofDetail struct {
	Type               string   `json:"type"`
	VerificationMethod string   `json:"verificationMethod,omitempty"`
	Verified           bool     `json:"verified"`
	SignatureValid     bool     `json:"signatureValid"`
	Controller         string   `json:"controller,omitempty"`
	Binding            string   `json:"binding,omitempty"`
	Error              string   `json:"error,omitempty"`
	Warnings           []string `json:"warnings,omitempty"`
	CanonicalDocument  string   `json:"canonicalDocument,omitempty"`
	CanonicalProof     string   `json:"canonicalProof,omitempty"`
	DocumentHash       string   `json:"documentHash,omitempty"`
	ProofHash          string   `json:"proofHash,omitempty"`
}

// checkProof verifies the JWT or the Data Integrity proofs: one valid proof
// is enough; every proof is listed. A proof whose key cannot be confirmed
// as the issuer's for want of the issuer's document leaves the check
// indeterminate (when no other proof verifies and its signature holds):
// not verified, and the message says which document would settle it.
func (r *run) checkProof(ctx context.Context) error {
	if r.skipAll(CheckProof) {
		return nil
	}
	var details []proofDetail
	verified := false
	var warnings, failures []string
	var unconfirmed []string // proofs whose signature holds with a key nothing confirmed
	jwtUnconfirmed := false
	if j := r.jwt; j != nil {
		d := proofDetail{Type: j.Format.String() + " " + j.Header.Algorithm, VerificationMethod: j.Header.KeyID, Verified: j.Verified, SignatureValid: j.SignatureValid, Warnings: j.Warnings}
		if j.Method != nil {
			d.Controller, d.Binding = j.Method.Controller, j.Method.Binding.String()
		}
		if j.Err != nil {
			d.Error = j.Err.Error()
			if errors.Is(j.Err, did.ErrUnconfirmed) && (j.SignatureValid || j.Method == nil) {
				jwtUnconfirmed = true
				unconfirmed = append(unconfirmed, d.Type+": "+d.Error)
			} else {
				failures = append(failures, d.Type+": "+d.Error)
			}
		}
		details = append(details, d)
		verified = j.Verified
		if verified {
			warnings = append(warnings, j.Warnings...)
		}
	}
	if _, hasProof := r.doc["proof"]; hasProof {
		res, err := r.c.di.Verify(ctx, r.cred)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			failures = append(failures, err.Error())
		} else {
			for _, p := range res.Proofs {
				d := diDetail(p)
				details = append(details, d)
				switch {
				case p.Verified:
					verified = true
					warnings = append(warnings, d.Warnings...)
				case errors.Is(p.Err, did.ErrUnconfirmed) && (p.SignatureValid || p.Method == nil):
					unconfirmed = append(unconfirmed, d.Type+": "+d.Error)
				default:
					failures = append(failures, d.Type+": "+d.Error)
				}
			}
		}
	}
	switch {
	case len(details) == 0:
		r.add(CheckProof, Failed, nil, "the credential has no proof")
	case r.jwt != nil && !r.jwt.Verified && jwtUnconfirmed:
		r.add(CheckProof, Indeterminate, details, "%s", r.unconfirmedMessage(unconfirmed))
	case r.jwt != nil && !r.jwt.Verified:
		r.add(CheckProof, Failed, details, "the JWT does not verify: %s", r.jwt.Err)
	case !verified && len(unconfirmed) > 0:
		r.add(CheckProof, Indeterminate, details, "%s", r.unconfirmedMessage(unconfirmed))
	case !verified:
		r.add(CheckProof, Failed, details, "no proof verifies: %s", strings.Join(failures, "; "))
	case len(warnings) > 0:
		r.add(CheckProof, Warning, details, "verified, but: %s", strings.Join(warnings, "; "))
	case len(failures) > 0 || len(unconfirmed) > 0:
		r.add(CheckProof, Warning, details, "verified, but another proof does not: %s", strings.Join(append(failures, unconfirmed...), "; "))
	default:
		r.add(CheckProof, Passed, details, "%s", proofSummary(details))
	}
	return nil
}

// unconfirmedMessage says why a proof's key is not confirmed and what
// would confirm it: the issuer's document, from Trust.Documents or the
// network.
func (r *run) unconfirmedMessage(why []string) string {
	return unconfirmedKeyMessage("issuer", r.rep.Issuer, why)
}

func proofSummary(ds []proofDetail) string {
	var parts []string
	for _, d := range ds {
		if d.Verified {
			parts = append(parts, fmt.Sprintf("%s by %s (key bound to its controller: %s)", d.Type, d.Controller, d.Binding))
		}
	}
	return "verified: " + strings.Join(parts, "; ")
}

// diDetail describes one Data Integrity proof's result.
func diDetail(p dataintegrity.ProofResult) proofDetail {
	d := proofDetail{Type: p.Proof.Suite(), VerificationMethod: p.Proof.VerificationMethod, Verified: p.Verified, SignatureValid: p.SignatureValid}
	if p.Method != nil {
		d.Controller, d.Binding = p.Method.Controller, p.Method.Binding.String()
	}
	switch p.Proof.Suite() {
	case dataintegrity.TypeEd25519Signature2020, dataintegrity.EdDSA2022:
		if p.Verified {
			d.Warnings = append(d.Warnings, p.Proof.Suite()+" is a legacy proof suite; OB 3.0 uses eddsa-rdfc-2022")
		}
	}
	if p.Err != nil {
		d.Error = p.Err.Error()
	}
	if diag := p.Diagnostics; diag != nil {
		d.CanonicalDocument, d.CanonicalProof = string(diag.CanonicalDocument), string(diag.CanonicalProof)
		d.DocumentHash, d.ProofHash = fmt.Sprintf("%x", diag.DocumentHash), fmt.Sprintf("%x", diag.ProofHash)
	}
	return d
}

// checkIssuer compares the issuer with the trusted ones.
func (r *run) checkIssuer(ctx context.Context) error {
	if r.skipAll(CheckIssuer) {
		return nil
	}
	switch {
	case len(r.c.v.trust.TrustedIssuers) == 0:
		r.add(CheckIssuer, Skipped, nil, "no trusted issuers given")
	case slices.Contains(r.c.v.trust.TrustedIssuers, r.rep.Issuer):
		r.add(CheckIssuer, Passed, nil, "%s is a trusted issuer", r.rep.Issuer)
	default:
		r.add(CheckIssuer, Failed, nil, "%s is not one of the trusted issuers", r.rep.Issuer)
	}
	return nil
}

// checkValidity compares the validity window with the clock.
func (r *run) checkValidity(ctx context.Context) error {
	if r.skipAll(CheckValidity) {
		return nil
	}
	from, until := "validFrom", "validUntil"
	if r.rep.Version == "VCDM 1.1" {
		from, until = "issuanceDate", "expirationDate"
	}
	now := r.c.policy.Now
	if now.IsZero() {
		now = time.Now()
	}
	skew := r.c.policy.ClockSkew
	details := map[string]string{"now": now.UTC().Format(time.RFC3339)}
	read := func(name string) (*time.Time, error) {
		raw, ok := r.doc[name]
		if !ok {
			return nil, nil
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, fmt.Errorf("%s is not a string", name)
		}
		details[name] = s
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return nil, fmt.Errorf("%s %q is not a date-time with a time zone", name, s)
		}
		return &t, nil
	}
	start, err := read(from)
	if err != nil {
		r.add(CheckValidity, Failed, details, "%v", err)
		return nil
	}
	end, err := read(until)
	if err != nil {
		r.add(CheckValidity, Failed, details, "%v", err)
		return nil
	}
	switch {
	case start != nil && now.Add(skew).Before(*start):
		r.add(CheckValidity, Failed, details, "not yet valid: %s is %s", from, start.Format(time.RFC3339))
	case end != nil && now.Add(-skew).After(*end):
		r.add(CheckValidity, Failed, details, "expired: %s was %s", until, end.Format(time.RFC3339))
	case start == nil && end == nil:
		r.add(CheckValidity, Skipped, details, "the credential gives no %s or %s", from, until)
	case start == nil:
		r.add(CheckValidity, Passed, details, "valid until %s", end.Format(time.RFC3339))
	case end == nil:
		r.add(CheckValidity, Passed, details, "valid since %s, with no end", start.Format(time.RFC3339))
	default:
		r.add(CheckValidity, Passed, details, "valid from %s until %s", start.Format(time.RFC3339), end.Format(time.RFC3339))
	}
	return nil
}

// checkRecipient compares the subject with Policy.Recipient.
func (r *run) checkRecipient(ctx context.Context) error {
	if r.skipAll(CheckRecipient) {
		return nil
	}
	want := r.c.policy.Recipient
	if want == nil {
		r.add(CheckRecipient, Skipped, nil, "no recipient given")
		return nil
	}
	if want.Type == "id" {
		if r.rep.Subject != "" && r.rep.Subject == want.Value {
			r.add(CheckRecipient, Passed, nil, "the subject's id is %s", r.rep.Subject)
		} else {
			r.add(CheckRecipient, Failed, nil, "the subject's id is %q, not %q", r.rep.Subject, want.Value)
		}
		return nil
	}
	if r.rep.Subject != "" && r.rep.Subject == idForm(want) {
		r.add(CheckRecipient, Passed, nil, "the subject's id is %s", r.rep.Subject)
		return nil
	}
	var subj struct {
		Identifier json.RawMessage `json:"identifier"`
	}
	raw := r.doc["credentialSubject"]
	var many []json.RawMessage
	if json.Unmarshal(raw, &many) == nil && len(many) > 0 {
		raw = many[0]
	}
	_ = json.Unmarshal(raw, &subj)
	var ids []credential.IdentityObject
	if len(subj.Identifier) > 0 {
		var list credential.List[credential.IdentityObject]
		if err := json.Unmarshal(subj.Identifier, &list); err != nil {
			r.add(CheckRecipient, Failed, nil, "credentialSubject.identifier cannot be read: %v", err)
			return nil
		}
		ids = list
	}
	checked := 0
	for _, o := range ids {
		if string(o.IdentityType) != want.Type {
			continue
		}
		checked++
		ok, err := o.Match(want.Value)
		if err != nil {
			r.add(CheckRecipient, Indeterminate, nil, "an identifier cannot be checked: %v", err)
			return nil
		}
		if ok {
			how := "plain"
			if o.Hashed {
				how = "hashed"
			}
			r.add(CheckRecipient, Passed, nil, "the subject's %s identifier (%s) matches", o.IdentityType, how)
			return nil
		}
	}
	if checked == 0 && r.rep.Subject == "" {
		r.add(CheckRecipient, Failed, nil, "the credential names no subject of type %s", want.Type)
		return nil
	}
	r.add(CheckRecipient, Failed, nil, "the credential is not issued to this %s", want.Type)
	return nil
}

// idForm is the credentialSubject.id form of an identity: the value for
// "id" and "did", mailto: for an email address, the URL for "url".
func idForm(id *Identity) string {
	switch id.Type {
	case "emailAddress":
		return "mailto:" + id.Value
	}
	return id.Value
}

// checkEndorsements verifies each embedded endorsement.
func (r *run) checkEndorsements(ctx context.Context, depth int) error {
	if r.skipAll(CheckEndorsements) {
		return nil
	}
	var objs []json.RawMessage
	var jwts []string
	if raw, ok := r.doc["endorsement"]; ok {
		if json.Unmarshal(raw, &objs) != nil {
			objs = []json.RawMessage{raw}
		}
	}
	if raw, ok := r.doc["endorsementJwt"]; ok {
		if json.Unmarshal(raw, &jwts) != nil {
			var one string
			if json.Unmarshal(raw, &one) == nil {
				jwts = []string{one}
			}
		}
	}
	inputs := objs
	for _, j := range jwts {
		inputs = append(inputs, json.RawMessage(j))
	}
	switch {
	case len(inputs) == 0:
		r.add(CheckEndorsements, Skipped, nil, "no endorsements")
		return nil
	case depth >= maxDepth:
		r.add(CheckEndorsements, Skipped, nil, "endorsements nested deeper than %d are not followed", maxDepth)
		return nil
	case len(inputs) > maxEndorsements:
		r.add(CheckEndorsements, Failed, nil, "%d endorsements, over the limit of %d", len(inputs), maxEndorsements)
		return nil
	}
	sub := r.c.withoutRecipient()
	bad := 0
	for _, in := range inputs {
		rep, err := sub.verify(ctx, in, depth+1)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			rep = &Report{Checks: []Check{{ID: CheckInput, Outcome: Failed, Message: err.Error()}}, Fetched: []Fetched{}}
		}
		if !rep.Verified {
			bad++
		}
		r.rep.Endorsements = append(r.rep.Endorsements, rep)
	}
	if bad > 0 {
		r.add(CheckEndorsements, Warning, nil, "%d of %d endorsements do not verify (see their reports); the credential itself is not affected", bad, len(inputs))
		return nil
	}
	r.add(CheckEndorsements, Passed, nil, "%d endorsement(s) verify", len(inputs))
	return nil
}

// mapDocs resolves from Trust.Documents as did.Map does, and records in
// the call's report each document it read.
type mapDocs struct {
	m   did.Map
	rec *recorder
}

// Resolve implements did.Resolver.
func (d mapDocs) Resolve(ctx context.Context, ref string) (*did.VerificationMethod, error) {
	base, _, _ := strings.Cut(ref, "#")
	d.note(base)
	return d.m.Resolve(ctx, ref)
}

// FindKey implements did.KeyFinder.
func (d mapDocs) FindKey(ctx context.Context, controller string, pub crypto.PublicKey) (*did.VerificationMethod, error) {
	d.note(controller)
	return d.m.FindKey(ctx, controller, pub)
}

// Methods implements did.MethodLister.
func (d mapDocs) Methods(ctx context.Context, controller string) ([]*did.VerificationMethod, error) {
	d.note(controller)
	return d.m.Methods(ctx, controller)
}

// note records that the document of base was read, if there is one.
func (d mapDocs) note(base string) {
	if b, ok := d.m[base]; ok {
		d.rec.add(Fetched{URL: base, From: "offline map", Bytes: len(b)})
	}
}

// errNotAvailable is wrapped when a document is neither in
// Trust.Documents nor fetchable.
var errNotAvailable = errors.New("not in Trust.Documents, and fetching is off")

// sourceFetcher serves Documents first, then the network if allowed, and
// records what it served in rec, if set. With rec, what the network gave
// is kept for the rest of the call: every proof and check of one
// verification reads the same version of a document, fetched once.
type sourceFetcher struct {
	docs map[string][]byte
	net  fetch.Fetcher
	rec  *recorder
}

func (f *sourceFetcher) Fetch(ctx context.Context, url string) ([]byte, error) {
	if d, ok := f.docs[url]; ok {
		f.rec.add(Fetched{URL: url, From: "offline map", Bytes: len(d)})
		return d, nil
	}
	if f.net == nil {
		return nil, errNotAvailable // callers name the URL
	}
	if b, ok := f.rec.fetched(url); ok {
		return b, nil
	}
	b, err := f.net.Fetch(ctx, url)
	got := Fetched{URL: url, From: "network", Bytes: len(b)}
	if err != nil {
		got.Error = err.Error()
	}
	f.rec.add(got)
	if err == nil {
		f.rec.keep(url, b)
	}
	return b, err
}

// recorder collects what one verification fetched, and keeps what the
// network gave.
type recorder struct {
	mu   sync.Mutex
	seen []Fetched
	got  map[string][]byte
}

// keep keeps b, fetched from url, for the rest of the call.
func (r *recorder) keep(url string, b []byte) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.got == nil {
		r.got = map[string][]byte{}
	}
	r.got[url] = b
}

// fetched returns what the network gave for url earlier in the call.
func (r *recorder) fetched(url string) ([]byte, bool) {
	if r == nil {
		return nil, false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	b, ok := r.got[url]
	return b, ok
}

// add records f; a document read again from the offline map is recorded
// once.
func (r *recorder) add(f Fetched) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if f.From == "offline map" && slices.Contains(r.seen, f) {
		return
	}
	r.seen = append(r.seen, f)
}

func (r *recorder) list() []Fetched {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Fetched{}, r.seen...)
}
