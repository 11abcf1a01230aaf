// Package verify answers, in one call and offline by default, whether an
// Open Badges 3.0 credential is genuine, current, not revoked and this
// person's: given a JSON credential, a compact JWS, or a PNG or SVG with one
// baked in, it runs the checks of the OB 3.0 Verification section in order
// and returns a Report that explains each. Start with New and
// Verifier.Verify, or the Verify function for a one-off.
//
// Nothing is fetched unless Options.Fetcher is set; Options.Documents serves
// status lists, DID and key documents, refresh services and schemas from
// the caller's own copies. Only an unusable input or a cancelled context is
// an error: every finding about the credential, including failure, is in
// the Report.
package verify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
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
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
	"github.com/go-openbadges/openbadges/proof/jose"
	"github.com/go-openbadges/openbadges/schema"
	"github.com/go-openbadges/openbadges/status"
)

// DefaultMaxBytes bounds the input (an image with a credential baked in)
// when Options.MaxBytes is zero.
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
	// credentialSubject.id when it is an IRI of that kind.
	Type string
	// Value is the identifier: "ada@example.org", "did:example:123".
	Value string
}

// Options configures a Verifier. The zero Options verify offline, with the
// embedded contexts and schemas, at the current time, with no clock skew.
type Options struct {
	// Fetcher, if set, allows the network: status lists, did:web and
	// https key documents, refresh services and credentialSchema URLs are
	// fetched with it (fetch.HTTP is the usual one). If nil, nothing is
	// fetched.
	Fetcher fetch.Fetcher
	// Documents serves documents offline, keyed by URL or DID: status list
	// credentials, DID and controller documents, schemas, refreshed
	// credentials. They are used before the network.
	Documents map[string][]byte
	// TrustedIssuers, if not empty, lists the issuer ids to accept; any
	// other issuer fails the issuer check. If empty, the check is skipped
	// (a verified credential then says only that its issuer signed it).
	TrustedIssuers []string
	// VCOnly checks any Verifiable Credential: the OB 3.0 JSON Schema and
	// rules are skipped.
	VCOnly bool
	// Strict turns warnings into failures: legacy forms (VCDM 1.1,
	// Ed25519Signature2020, eddsa-2022, older OB contexts), keys nothing
	// binds to the issuer, schema findings JSON-LD reads the same way.
	Strict bool
	// Now is the time the validity window is checked at. If zero, the
	// current time.
	Now time.Time
	// ClockSkew widens the validity window at both ends, for clocks that
	// disagree. Zero means none.
	ClockSkew time.Duration
	// MaxBytes bounds the input. If zero, DefaultMaxBytes.
	MaxBytes int
	// Contexts adds JSON-LD contexts by URL (extensions this library does
	// not embed). Embedded contexts cannot be replaced.
	Contexts map[string][]byte
	// Recipient, if set, is checked against the credential's subject.
	Recipient *Identity
	// Loader and Schemas, if set, are the prepared JSON-LD contexts and
	// JSON Schemas to use, shared with other Verifiers (preparing them is
	// most of what New costs). If nil, New prepares them from Contexts and
	// the embedded files; when Loader is set, Contexts is ignored.
	Loader  *schema.Loader
	Schemas *schema.Validator
	// RequireStatus makes an indeterminate status (a list that cannot be
	// had, or whose proof does not verify) fail the verification. By
	// default it is reported as indeterminate and the report is marked
	// Inconclusive.
	RequireStatus bool
}

// A Verifier verifies credentials with one set of Options. It prepares the
// contexts, schemas and resolvers once; it is safe for concurrent use.
type Verifier struct {
	opts      Options
	loader    *schema.Loader
	conv      *jsonld.Converter
	schemas   *schema.Validator
	resolver  did.Resolver
	di        *dataintegrity.Verifier
	jwt       *jose.Verifier
	status    *status.Checker
	fetcher   *sourceFetcher
	checkOpts *credential.CheckOptions
}

// New returns a Verifier for opts. It fails only on options it cannot use:
// an extra context that is not a JSON-LD context or replaces an embedded
// one.
func New(opts Options) (*Verifier, error) {
	v := &Verifier{opts: opts}
	v.fetcher = &sourceFetcher{docs: opts.Documents, net: opts.Fetcher}
	var err error
	if v.loader = opts.Loader; v.loader == nil {
		if v.loader, err = schema.NewLoader(schema.LoaderOptions{Extra: opts.Contexts}); err != nil {
			return nil, fmt.Errorf("verify: %w", err)
		}
	}
	v.conv = &jsonld.Converter{Loader: v.loader}
	if v.schemas = opts.Schemas; v.schemas == nil {
		if v.schemas, err = schema.NewValidator(schema.ValidatorOptions{Fetcher: v.fetcher}); err != nil {
			return nil, fmt.Errorf("verify: %w", err)
		}
	}
	didOpts := did.Options{Documents: opts.Documents}
	if opts.Fetcher != nil {
		didOpts.Fetcher = &sourceFetcher{net: opts.Fetcher}
	}
	v.resolver = did.NewResolver(didOpts)
	v.di = &dataintegrity.Verifier{Resolver: v.resolver, Loader: v.loader, Now: opts.Now}
	v.jwt = &jose.Verifier{Resolver: v.resolver}
	v.checkOpts = &credential.CheckOptions{Schemas: v.schemas}
	v.status = newStatusChecker(v)
	return v, nil
}

// Verify is New(*opts) and Verifier.Verify, for a single input. A nil opts
// is the zero Options.
func Verify(ctx context.Context, input []byte, opts *Options) (*Report, error) {
	if opts == nil {
		opts = &Options{}
	}
	v, err := New(*opts)
	if err != nil {
		return nil, err
	}
	return v.Verify(ctx, input)
}

// Verify checks input: a JSON credential, a compact JWS, or a PNG or SVG
// with a credential baked in. The error is non-nil only when input is none
// of those or is over the size limit (ErrInput), or ctx ends.
func (v *Verifier) Verify(ctx context.Context, input []byte) (*Report, error) {
	maxBytes := v.opts.MaxBytes
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	if len(input) > maxBytes {
		return nil, fmt.Errorf("%w: %d bytes, over the limit of %d", ErrInput, len(input), maxBytes)
	}
	rec := &recorder{}
	ctx = context.WithValue(ctx, recorderKey{}, rec)
	rep, err := v.verify(ctx, input, 0)
	if err != nil {
		return nil, err
	}
	rep.Fetched = rec.list()
	return rep, nil
}

// run is the state of one verification.
type run struct {
	v    *Verifier
	rep  *Report
	cred []byte // the credential's JSON
	jwt  *jose.Result
	doc  map[string]json.RawMessage
	// depthRefreshed is true for a refreshed credential, whose own
	// refresh service is not followed.
	depthRefreshed bool
}

func (r *run) add(id string, o Outcome, details any, format string, args ...any) {
	r.rep.Checks = append(r.rep.Checks, Check{ID: id, Outcome: o, Message: fmt.Sprintf(format, args...), Details: details})
}

func (v *Verifier) verify(ctx context.Context, input []byte, depth int) (*Report, error) {
	r := &run{v: v, rep: &Report{Checks: []Check{}, Fetched: []Fetched{}}}
	return r.runAll(ctx, input, depth)
}

// runAll runs every check in order.
func (r *run) runAll(ctx context.Context, input []byte, depth int) (*Report, error) {
	if err := r.input(ctx, input); err != nil {
		return nil, err
	}
	steps := []func(context.Context) error{
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

// finish decides the verdict.
func (r *run) finish() {
	rep := r.rep
	rep.Verified = true
	for i, c := range rep.Checks {
		if c.Outcome == Warning && r.v.opts.Strict {
			rep.Checks[i].Outcome = Failed
			rep.Checks[i].Message += " (a failure in strict mode)"
			c = rep.Checks[i]
		}
		switch c.Outcome {
		case Failed:
			rep.Verified = false
		case Indeterminate:
			rep.Inconclusive = true
			if r.v.opts.RequireStatus && c.ID == CheckStatus {
				rep.Verified = false
			}
		}
	}
}

// input decides what the input is and finds the credential in it.
func (r *run) input(ctx context.Context, input []byte) error {
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(input, []byte("\xef\xbb\xbf")))
	var text []byte
	switch {
	case len(trimmed) == 0:
		return fmt.Errorf("%w: the input is empty", ErrInput)
	case trimmed[0] == '{':
		if !json.Valid(trimmed) {
			var v any
			err := json.Unmarshal(trimmed, &v)
			return fmt.Errorf("%w: not valid JSON: %v", ErrInput, err)
		}
		r.rep.Input, text = "json", trimmed
	case isJWS(trimmed):
		r.rep.Input, text = "jwt", trimmed
	default:
		baked, err := bake.Extract(input, &bake.Options{MaxImageBytes: len(input) + 1})
		switch {
		case errors.Is(err, bake.ErrUnknownFormat):
			return fmt.Errorf("%w: neither JSON, a compact JWS, a PNG nor an SVG", ErrInput)
		case err != nil:
			r.rep.Input = imageName(input)
			r.add(CheckInput, Failed, nil, "%v", err)
			r.finishEarly()
			return nil
		}
		r.rep.Input = strings.ToLower(baked.Format.String())
		if baked.Legacy {
			r.add(CheckInput, Failed, map[string]any{"legacy": string(baked.Credential)}, "the image holds an Open Badges 2.0 assertion, not an OB 3.0 credential")
			r.finishEarly()
			return nil
		}
		text = baked.Credential
	}
	if isJWS(text) {
		r.rep.Encoding = "jwt"
		res, err := r.v.jwt.Verify(ctx, text)
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
	} else {
		r.rep.Encoding = "json"
		r.cred = text
	}
	if err := json.Unmarshal(r.cred, &r.doc); err != nil || r.doc == nil {
		r.add(CheckInput, Failed, nil, "the credential is not a JSON object")
		r.finishEarly()
		return nil
	}
	r.rep.Credential = json.RawMessage(r.cred)
	r.rep.Issuer = idOf(r.doc["issuer"])
	subject := r.doc["credentialSubject"]
	var subjects []json.RawMessage
	if json.Unmarshal(subject, &subjects) == nil && len(subjects) > 0 {
		subject = subjects[0]
	}
	r.rep.Subject = idOf(subject)
	msg := "a JSON credential"
	if r.rep.Encoding == "jwt" {
		msg = "a " + r.jwt.Format.String()
	}
	if r.rep.Input == "png" || r.rep.Input == "svg" {
		msg += " baked into " + strings.ToUpper(r.rep.Input)
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

func isJWS(b []byte) bool {
	if bytes.Count(b, []byte(".")) != 2 {
		return false
	}
	for _, c := range b {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

func imageName(b []byte) string {
	if bytes.HasPrefix(b, []byte("\x89PNG")) {
		return "png"
	}
	return "svg"
}

// idOf returns a member that is an id string or an object with an id.
func idOf(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var obj struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(raw, &obj) == nil {
		return obj.ID
	}
	return ""
}

// checkJSONLD reads the credential as JSON-LD in safe mode.
func (r *run) checkJSONLD(ctx context.Context) error {
	if r.skipAll(CheckJSONLD) {
		return nil
	}
	var tree jsonobj.Tree
	if err := jsonobj.ParseTree(r.cred, len(r.cred), 64, &tree); err != nil || tree.Nodes[0].Kind != jsonobj.Object {
		r.add(CheckJSONLD, Failed, nil, "the credential is not a JSON object: %v", err)
		return nil
	}
	// Proofs are read too: a proof of a type no context defines is
	// refused here, as the 1EdTech validator refuses it.
	if err := r.v.conv.CheckTree(ctx, &tree, 0, ""); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var sm *jsonld.SafeModeError
		var details any
		if errors.As(err, &sm) {
			details = map[string]string{"path": sm.Path, "reason": sm.Reason}
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

// checkContext checks @context and type.
func (r *run) checkContext(ctx context.Context) error {
	if r.skipAll(CheckContext) {
		return nil
	}
	var ctxs []any
	var one any
	if json.Unmarshal(r.doc["@context"], &ctxs) != nil {
		if json.Unmarshal(r.doc["@context"], &one) != nil || one == nil {
			r.add(CheckContext, Failed, nil, "@context is missing")
			return nil
		}
		ctxs = []any{one}
	}
	var types []string
	var oneType string
	if json.Unmarshal(r.doc["type"], &types) != nil {
		if json.Unmarshal(r.doc["type"], &oneType) == nil {
			types = []string{oneType}
		}
	}
	if len(ctxs) == 0 {
		r.add(CheckContext, Failed, nil, "@context is empty")
		return nil
	}
	first, _ := ctxs[0].(string)
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
	case r.v.opts.VCOnly:
		r.rep.Class = "VerifiableCredential"
	default:
		r.add(CheckContext, Failed, nil, "type %q is neither an AchievementCredential (OpenBadgeCredential) nor an EndorsementCredential", types)
		return nil
	}
	if r.rep.Class != "VerifiableCredential" {
		ob := ""
		for _, c := range ctxs {
			if s, ok := c.(string); ok && strings.HasPrefix(s, contextOBBase) {
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
// rules (credential.Check) and reports them as two checks.
func (r *run) checkSchemaAndRules(ctx context.Context) error {
	if r.cred == nil {
		r.skipAll(CheckSchema)
		r.skipAll(CheckRules)
		return nil
	}
	if r.v.opts.VCOnly {
		r.add(CheckSchema, Skipped, nil, "VC only: the OB 3.0 JSON Schema is not applied")
		r.add(CheckRules, Skipped, nil, "VC only: the OB 3.0 rules are not applied")
		return nil
	}
	res, err := credential.Check(r.cred, r.v.checkOpts)
	if err != nil {
		r.add(CheckSchema, Failed, nil, "%v", err)
		r.add(CheckRules, Skipped, nil, "the credential could not be read")
		return nil
	}
	var schemaP, ruleP []problemDetail
	schemaErr, ruleErr := 0, 0
	for _, p := range res.Problems {
		d := problemDetail{Pointer: p.Pointer, Rule: p.Rule, Message: p.Message, Severity: map[bool]string{true: "warning", false: "error"}[p.Severity == credential.SeverityWarning]}
		isErr := p.Severity != credential.SeverityWarning
		if strings.HasPrefix(p.Rule, "schema/") {
			schemaP = append(schemaP, d)
			if isErr {
				schemaErr++
			}
		} else {
			ruleP = append(ruleP, d)
			if isErr {
				ruleErr++
			}
		}
	}
	report := func(id, what string, ps []problemDetail, errs int) {
		switch {
		case errs > 0:
			r.add(id, Failed, ps, "%s: %s", what, firstError(ps))
		case len(ps) > 0:
			r.add(id, Warning, ps, "%s: %s", what, ps[0].Message)
		default:
			r.add(id, Passed, nil, "%s: no findings", what)
		}
	}
	if res.Version == credential.VCDM11 {
		r.add(CheckSchema, Skipped, nil, "the OB 3.0 JSON Schema describes VCDM 2.0 credentials; this one is VCDM 1.1")
	} else {
		report(CheckSchema, "1EdTech JSON Schema of the "+res.Class, schemaP, schemaErr)
	}
	report(CheckRules, "OB 3.0 rules", ruleP, ruleErr)
	return nil
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
		err := r.v.schemas.ValidateContext(ctx, e.ID, r.cred)
		var unknown *schema.UnknownSchemaError
		switch {
		case err == nil:
			results = append(results, result{e.ID, "passed", ""})
		case errors.As(err, &unknown) || errors.Is(err, errNotAvailable):
			results = append(results, result{e.ID, "skipped", err.Error()})
			if outcome == Passed {
				outcome = Skipped
			}
			msgs = append(msgs, fmt.Sprintf("%s could not be had (not embedded; pass it in Options.Documents, or allow fetching)", e.ID))
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
// is enough; every proof is listed.
func (r *run) checkProof(ctx context.Context) error {
	if r.skipAll(CheckProof) {
		return nil
	}
	var details []proofDetail
	verified := false
	var warnings, failures []string
	if j := r.jwt; j != nil {
		d := proofDetail{Type: j.Format.String() + " " + j.Header.Algorithm, VerificationMethod: j.Header.KeyID, Verified: j.Verified, SignatureValid: j.SignatureValid, Warnings: j.Warnings}
		if j.Method != nil {
			d.Controller, d.Binding = j.Method.Controller, j.Method.Binding.String()
		}
		if j.Err != nil {
			d.Error = j.Err.Error()
			failures = append(failures, d.Type+": "+d.Error)
		}
		details = append(details, d)
		verified = j.Verified
		if verified {
			warnings = append(warnings, j.Warnings...)
		}
	}
	if _, hasProof := r.doc["proof"]; hasProof {
		res, err := r.v.di.Verify(ctx, r.cred)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			failures = append(failures, err.Error())
		} else {
			for _, p := range res.Proofs {
				d := diDetail(p)
				details = append(details, d)
				if p.Verified {
					verified = true
					warnings = append(warnings, d.Warnings...)
				} else {
					failures = append(failures, d.Type+": "+d.Error)
				}
			}
		}
	}
	switch {
	case len(details) == 0:
		r.add(CheckProof, Failed, nil, "the credential has no proof")
	case !verified:
		r.add(CheckProof, Failed, details, "no proof verifies: %s", strings.Join(failures, "; "))
	case r.jwt != nil && !r.jwt.Verified:
		r.add(CheckProof, Failed, details, "the JWT does not verify: %s", r.jwt.Err)
	case len(warnings) > 0:
		r.add(CheckProof, Warning, details, "verified, but: %s", strings.Join(warnings, "; "))
	case len(failures) > 0:
		r.add(CheckProof, Warning, details, "verified, but another proof does not: %s", strings.Join(failures, "; "))
	default:
		r.add(CheckProof, Passed, details, "%s", proofSummary(details))
	}
	return nil
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
		if p.Verified && p.Method.Binding == did.BindingAsserted {
			d.Warnings = append(d.Warnings, "the key is read from the verification method URL itself ("+p.Proof.VerificationMethod+"): nothing confirms the issuer published it")
		}
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
	case len(r.v.opts.TrustedIssuers) == 0:
		r.add(CheckIssuer, Skipped, nil, "no trusted issuers given")
	case slices.Contains(r.v.opts.TrustedIssuers, r.rep.Issuer):
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
	now := r.v.opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	skew := r.v.opts.ClockSkew
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

// checkRecipient compares the subject with Options.Recipient.
func (r *run) checkRecipient(ctx context.Context) error {
	if r.skipAll(CheckRecipient) {
		return nil
	}
	want := r.v.opts.Recipient
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
	sub := r.v.withoutRecipient()
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

// withoutRecipient returns a Verifier for endorsements: the same, but with
// no recipient (an endorsement's subject is the thing endorsed).
func (v *Verifier) withoutRecipient() *Verifier {
	if v.opts.Recipient == nil {
		return v
	}
	cp := *v
	cp.opts.Recipient = nil
	return &cp
}

// errNotAvailable is wrapped when a document is neither in the offline
// map nor fetchable.
var errNotAvailable = errors.New("not in Options.Documents, and fetching is off")

// sourceFetcher serves Documents first, then the network if allowed, and
// records what it served in the recorder of the context.
type sourceFetcher struct {
	docs map[string][]byte
	net  fetch.Fetcher
}

func (f *sourceFetcher) Fetch(ctx context.Context, url string) ([]byte, error) {
	rec, _ := ctx.Value(recorderKey{}).(*recorder)
	if d, ok := f.docs[url]; ok {
		rec.add(Fetched{URL: url, From: "offline map", Bytes: len(d)})
		return d, nil
	}
	if f.net == nil {
		return nil, errNotAvailable // callers name the URL
	}
	b, err := f.net.Fetch(ctx, url)
	got := Fetched{URL: url, From: "network", Bytes: len(b)}
	if err != nil {
		got.Error = err.Error()
	}
	rec.add(got)
	return b, err
}

type recorderKey struct{}

// recorder collects what one verification fetched.
type recorder struct {
	mu   sync.Mutex
	seen []Fetched
}

func (r *recorder) add(f Fetched) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seen = append(r.seen, f)
}

func (r *recorder) list() []Fetched {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Fetched{}, r.seen...)
}
