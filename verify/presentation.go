package verify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/did"
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
	"github.com/go-openbadges/openbadges/proof/jose"
)

// Presentations: see the package documentation for what verifies one.

// DefaultMaxCredentials bounds the credentials a presentation may enclose
// when Trust.MaxCredentials is zero.
const DefaultMaxCredentials = 32

// ClassPresentation is Report.Class for a presentation.
const ClassPresentation = "VerifiablePresentation"

// isPresentation reports whether input is a presentation in one of the
// forms Verify takes (see above), judging by its type, its JWS header, or
// its data: URL's media type; it does not check it.
func (c *call) isPresentation(input []byte) bool {
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(input, []byte("\xef\xbb\xbf")))
	switch {
	case len(trimmed) == 0:
		return false
	case trimmed[0] == '{':
		doc, ok := c.members(trimmed)
		if !ok {
			return false
		}
		return hasTypeMember(doc["type"], ClassPresentation) || hasTypeMember(doc["type"], presentationEnvelope.typ)
	case jose.IsCompact(trimmed):
		return jose.IsPresentationToken(trimmed)
	case bytes.HasPrefix(trimmed, []byte("data:")):
		jws, err := presentationEnvelope.dataURL(string(trimmed))
		if err != nil {
			return false
		}
		header, _, _ := bytes.Cut(trimmed[len("data:"):], []byte(","))
		return !bytes.HasPrefix(bytes.ToLower(header), []byte("application/jwt")) || jose.IsPresentationToken(jws)
	}
	return false
}

// presentationRun is the state of one presentation's verification.
type presentationRun struct {
	c   *call
	rep *Report
	// vp is the presentation's JSON, doc its members; nil once the input
	// check failed.
	vp  []byte
	doc map[string]json.RawMessage
	// jwt is the JWT's result, for a JWT presentation.
	jwt *jose.PresentationResult
	// proofs are the Data Integrity proofs' results, for a JSON one.
	proofs []dataintegrity.ProofResult
	// verifiedBy is the key of the proof that verified, if one did.
	verifiedBy *did.VerificationMethod
	// credentials are the enclosed credentials, as received.
	credentials []json.RawMessage
	// legacy is true for a VCDM 1.1 presentation.
	legacy bool
}

func (r *presentationRun) add(id string, o Outcome, details any, format string, args ...any) {
	r.rep.Checks = append(r.rep.Checks, Check{ID: id, Outcome: o, Message: fmt.Sprintf(format, args...), Details: details})
}

// skipAll is true when the input check failed: every later check is then
// skipped.
func (r *presentationRun) skipAll(id string) bool {
	if r.vp != nil {
		return false
	}
	r.add(id, Skipped, nil, "no presentation to check")
	return true
}

// verifyPresentation verifies a presentation (isPresentation) and the
// credentials it encloses.
func (c *call) verifyPresentation(ctx context.Context, input []byte) (*Report, error) {
	r := &presentationRun{c: c, rep: &Report{ReportVersion: ReportVersion, Class: ClassPresentation, Checks: []Check{}, Fetched: []Fetched{}}}
	if err := r.input(ctx, input); err != nil {
		return nil, err
	}
	steps := []func(context.Context) error{
		r.checkJSONLD, r.checkContext, r.checkRules, r.checkProof, r.checkHolder,
		r.checkChallenge, r.checkValidity, r.checkCredentials,
	}
	for _, step := range steps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := step(ctx); err != nil {
			return nil, err
		}
	}
	r.finish()
	return r.rep, nil
}

// finish decides the verdict: verified when no check failed and none was
// left undecided. A credential's status that the Policy accepts as
// unknown leaves the presentation verified and inconclusive, as it leaves
// the credential.
func (r *presentationRun) finish() {
	rep := r.rep
	decide(rep, r.c.policy, func(Check) bool { return false })
	for _, cr := range rep.Credentials {
		rep.Inconclusive = rep.Inconclusive || cr.Inconclusive
	}
}

// input finds the presentation in input and, for a JWT, checks the JWT.
func (r *presentationRun) input(ctx context.Context, input []byte) error {
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(input, []byte("\xef\xbb\xbf")))
	var jws []byte
	switch {
	case trimmed[0] == '{':
		if !json.Valid(trimmed) {
			return fmt.Errorf("%w: not valid JSON", ErrInput)
		}
		var doc map[string]json.RawMessage
		if json.Unmarshal(trimmed, &doc) != nil {
			return fmt.Errorf("%w: not a JSON object", ErrInput)
		}
		r.rep.Input = "json"
		if hasTypeMember(doc["type"], presentationEnvelope.typ) {
			r.rep.Input = "enveloped"
			var err error
			if jws, err = presentationEnvelope.open(doc); err != nil {
				r.add(CheckInput, Failed, nil, "%v", err)
				return nil
			}
		} else {
			r.vp, r.doc = trimmed, doc
		}
	case bytes.HasPrefix(trimmed, []byte("data:")):
		r.rep.Input = "enveloped"
		var err error
		if jws, err = presentationEnvelope.dataURL(string(trimmed)); err != nil {
			return fmt.Errorf("%w: %v", ErrInput, err)
		}
	default:
		r.rep.Input, jws = "jwt", trimmed
	}
	if jws != nil {
		r.rep.Encoding = "jwt"
		res, err := r.c.jwt.VerifyPresentation(ctx, jws, &jose.PresentationOptions{Challenge: r.c.policy.Challenge, Domain: r.c.policy.Domain})
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			r.add(CheckInput, Failed, nil, "a JWT that cannot be read: %v", err)
			return nil
		}
		r.jwt = res
		if len(res.Presentation) == 0 {
			r.add(CheckInput, Failed, nil, "the JWT is refused before its presentation can be read: %v", res.Err)
			return nil
		}
		if json.Unmarshal(res.Presentation, &r.doc) != nil || r.doc == nil {
			r.add(CheckInput, Failed, nil, "the JWT's presentation is not a JSON object")
			return nil
		}
		r.vp = res.Presentation
	} else {
		r.rep.Encoding = "json"
	}
	r.rep.Presentation = json.RawMessage(r.vp)
	r.rep.Holder = idOf(r.doc["holder"])
	msg := "a JSON presentation"
	switch {
	case r.jwt != nil && r.jwt.Legacy:
		msg = "a VCDM 1.1 JWT presentation (vp claim)"
	case r.jwt != nil:
		msg = "a vp+jwt presentation (VC-JOSE)"
	}
	if r.rep.Input == "enveloped" {
		msg += " in an EnvelopedVerifiablePresentation"
	}
	r.add(CheckInput, Passed, nil, "%s", msg)
	return nil
}

// checkJSONLD reads the presentation, the credentials it embeds included,
// as JSON-LD in safe mode, as a credential is read.
func (r *presentationRun) checkJSONLD(ctx context.Context) error {
	if r.skipAll(CheckJSONLD) {
		return nil
	}
	return (&run{c: r.c, rep: r.rep, cred: r.vp}).checkJSONLD(ctx)
}

// checkContext checks @context and type.
func (r *presentationRun) checkContext(ctx context.Context) error {
	if r.skipAll(CheckContext) {
		return nil
	}
	var ctxs []any
	if json.Unmarshal(r.doc["@context"], &ctxs) != nil {
		var one any
		if json.Unmarshal(r.doc["@context"], &one) != nil || one == nil {
			r.add(CheckContext, Failed, nil, "@context is missing")
			return nil
		}
		ctxs = []any{one}
	}
	if len(ctxs) == 0 {
		r.add(CheckContext, Failed, nil, "@context is empty")
		return nil
	}
	first, _ := ctxs[0].(string)
	switch first {
	case contextVCDM20:
		r.rep.Version = "VCDM 2.0"
	case contextVCDM11:
		r.rep.Version = "VCDM 1.1"
		r.legacy = true
	default:
		r.add(CheckContext, Failed, nil, "the first @context is %q, not %s", first, contextVCDM20)
		return nil
	}
	if !hasTypeMember(r.doc["type"], ClassPresentation) {
		r.add(CheckContext, Failed, nil, "type does not include %s", ClassPresentation)
		return nil
	}
	if r.legacy {
		r.add(CheckContext, Warning, nil, "%s; a VCDM 1.1 presentation: a legacy data model", ClassPresentation)
		return nil
	}
	r.add(CheckContext, Passed, nil, "%s, %s", ClassPresentation, r.rep.Version)
	return nil
}

// checkRules checks the data model's rules for a presentation
// (credential.CheckPresentationDataModel: VCDM 2.0 §4.13, a URL id and
// holder, credentials that are objects, embedded or enveloped) and the
// bound on its credentials, and finds the credentials for
// checkCredentials. What the data model says of each credential is in
// that credential's own report.
func (r *presentationRun) checkRules(ctx context.Context) error {
	if r.skipAll(CheckRules) {
		return nil
	}
	opts := *r.c.v.checkOpts
	opts.Loader = r.c.v.loader
	res, err := credential.CheckPresentationDataModel(r.vp, &opts)
	if err != nil {
		r.add(CheckRules, Failed, nil, "%v", err)
		return nil
	}
	var found []credential.Problem
	for _, p := range res.Problems {
		if strings.HasPrefix(p.Pointer, "/verifiableCredential/") && p.Rule != "vcdm/verifiableCredential" {
			continue // the credential's own
		}
		found = append(found, p)
	}
	if raw, ok := r.doc["verifiableCredential"]; ok {
		var list []json.RawMessage
		if json.Unmarshal(raw, &list) != nil {
			list = []json.RawMessage{raw}
		}
		max := r.c.v.trust.MaxCredentials
		if max <= 0 {
			max = DefaultMaxCredentials
		}
		if len(list) > max {
			found = append(found, credential.Problem{Pointer: "/verifiableCredential", Rule: "presentation/max-credentials", Message: fmt.Sprintf("%d credentials, over the limit of %d (Trust.MaxCredentials)", len(list), max)})
			list = nil
		}
		for _, c := range list {
			c = bytes.TrimSpace(c)
			var s string
			switch {
			case len(c) > 0 && c[0] == '{':
				r.credentials = append(r.credentials, c)
			case json.Unmarshal(c, &s) == nil && jose.IsCompact([]byte(s)) && (r.legacy || r.jwt != nil && r.jwt.Legacy):
				// A VCDM 1.1 presentation lists JWT credentials as
				// strings.
				r.credentials = append(r.credentials, json.RawMessage(s))
			}
		}
	}
	ps, errs := problemDetails(found)
	(&run{c: r.c, rep: r.rep}).reportProblems(CheckRules, "VC Data Model rules of a presentation", ps, errs)
	return nil
}

// checkProof verifies the presentation's proof: the JWT, or its Data
// Integrity proofs with proofPurpose authentication and the Policy's
// challenge and domain. One proof by a key confirmed as the holder's is
// enough; every proof is listed.
func (r *presentationRun) checkProof(ctx context.Context) error {
	if r.skipAll(CheckProof) {
		return nil
	}
	var details []ProofDetail
	var failures, unconfirmed, warnings []string
	verified := false
	if j := r.jwt; j != nil {
		d := ProofDetail{Type: "vp+jwt " + j.Header.Algorithm, VerificationMethod: j.Header.KeyID, Verified: j.Verified, SignatureValid: j.SignatureValid, Warnings: j.Warnings}
		if j.Legacy {
			d.Type = "JWT " + j.Header.Algorithm
		}
		if j.Method != nil {
			d.Controller, d.Binding = j.Method.Controller, j.Method.Binding.String()
		}
		switch {
		case j.Verified:
			verified, r.verifiedBy = true, j.Method
			warnings = append(warnings, j.Warnings...)
		case errors.Is(j.Err, did.ErrUnconfirmed) && (j.SignatureValid || j.Method == nil):
			d.Error = j.Err.Error()
			unconfirmed = append(unconfirmed, d.Type+": "+d.Error)
		default:
			d.Error = j.Err.Error()
			failures = append(failures, d.Type+": "+d.Error)
		}
		details = append(details, d)
	} else {
		if _, ok := r.doc["proof"]; !ok {
			if r.c.policy.AllowUnboundPresentation {
				r.add(CheckProof, Warning, nil, "the presentation has no proof: nothing shows who presented it, and it can be replayed (accepted by Policy.AllowUnboundPresentation)")
			} else {
				r.add(CheckProof, Failed, nil, "the presentation has no proof: nothing shows who presented it, and it can be replayed; its holder signs it with authentication as the proof's purpose (Policy.AllowUnboundPresentation accepts an unsigned one)")
			}
			return nil
		}
		v := &dataintegrity.Verifier{
			Resolver: r.c.resolver, Loader: r.c.v.loader, Purpose: did.Authentication,
			Challenge: r.c.policy.Challenge, Domain: r.c.policy.Domain, Now: r.c.policy.Now,
		}
		res, err := v.Verify(ctx, r.vp)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			r.add(CheckProof, Failed, nil, "the proof cannot be checked: %v", err)
			return nil
		}
		r.proofs = res.Proofs
		for _, p := range res.Proofs {
			d := diDetail(p)
			details = append(details, d)
			switch {
			case p.Verified && !verified:
				verified, r.verifiedBy = true, p.Method
				warnings = append(warnings, d.Warnings...)
			case p.Verified:
			case errors.Is(p.Err, did.ErrUnconfirmed) && (p.SignatureValid || p.Method == nil):
				unconfirmed = append(unconfirmed, d.Type+": "+d.Error)
			default:
				failures = append(failures, d.Type+": "+d.Error)
			}
		}
	}
	switch {
	case len(details) == 0:
		r.add(CheckProof, Failed, nil, "the presentation's proof holds no proof")
	case !verified && len(failures) == 0 && len(unconfirmed) > 0:
		r.add(CheckProof, Indeterminate, details, "%s", r.unconfirmedMessage(unconfirmed))
	case !verified:
		r.add(CheckProof, Failed, details, "no proof verifies: %s", strings.Join(append(failures, unconfirmed...), "; "))
	case len(warnings) > 0:
		r.add(CheckProof, Warning, details, "verified, but: %s", strings.Join(warnings, "; "))
	case len(failures) > 0 || len(unconfirmed) > 0:
		r.add(CheckProof, Warning, details, "verified, but another proof does not: %s", strings.Join(append(failures, unconfirmed...), "; "))
	default:
		r.add(CheckProof, Passed, details, "%s", proofSummary(details))
	}
	return nil
}

// unconfirmedMessage says why a presentation's key is not confirmed as
// the holder's and what would confirm it.
func (r *presentationRun) unconfirmedMessage(why []string) string {
	return unconfirmedKeyMessage("holder", r.rep.Holder, why)
}

// unconfirmedKeyMessage says why a key is not confirmed as that of id, the
// issuer or holder (role), and what would: id's document, from
// Trust.Documents or the network.
func unconfirmedKeyMessage(role, id string, why []string) string {
	where := "the " + role + "'s DID or controller document"
	switch {
	case strings.HasPrefix(id, "did:web:"):
		if u, err := did.WebURL(id); err == nil {
			where = fmt.Sprintf("the DID document of %s (published at %s)", id, u)
		}
	case strings.HasPrefix(id, "https://"):
		where = fmt.Sprintf("the controller document of %s (published at that URL)", id)
	case id != "":
		where = fmt.Sprintf("the DID or controller document of %s", id)
	}
	return fmt.Sprintf("not verified: the key that signed is not confirmed as the %s's; %s would confirm or refute it: supply it in Trust.Documents (openbadges verify --offline-map) or allow fetching (Trust.Fetcher, --allow-network). %s", role, where, strings.Join(why, "; "))
}

// checkHolder says who presented: the holder, whose key the proof is by,
// or, when the presentation names no holder, the controller of that key.
func (r *presentationRun) checkHolder(ctx context.Context) error {
	if r.skipAll(CheckHolder) {
		return nil
	}
	pc := r.rep.Check(CheckProof)
	vm := r.verifiedBy
	switch {
	case vm == nil && pc != nil && pc.Outcome == Warning:
		if r.rep.Holder != "" {
			r.add(CheckHolder, Warning, nil, "the presentation says its holder is %s, and nothing confirms it: it has no proof", r.rep.Holder)
		} else {
			r.add(CheckHolder, Warning, nil, "the presentation names no holder and has no proof: nobody is shown to have presented it")
		}
	case vm == nil:
		r.add(CheckHolder, Skipped, nil, "no proof verifies (see the proof check)")
	case r.rep.Holder == "":
		r.rep.Holder = vm.Controller
		r.add(CheckHolder, Warning, &HolderDetail{Holder: vm.Controller, Binding: vm.Binding.String()}, "the presentation names no holder; it was presented by %s, whose key signed it (bound to it: %s)", vm.Controller, vm.Binding)
	default:
		r.add(CheckHolder, Passed, &HolderDetail{Holder: vm.Controller, Binding: vm.Binding.String()}, "presented by its holder %s: the key that signed is the holder's (bound to it: %s), authorized for authentication", vm.Controller, vm.Binding)
	}
	return nil
}

// checkChallenge compares the challenge and domain the proof carries with
// those the Policy asks for: without a challenge, nothing prevents replay.
func (r *presentationRun) checkChallenge(ctx context.Context) error {
	if r.skipAll(CheckChallenge) {
		return nil
	}
	want, wantDomain := r.c.policy.Challenge, r.c.policy.Domain
	// What the proofs carry: the JWT's nonce and aud, or each Data
	// Integrity proof's challenge and domain.
	type carried struct {
		challenge string
		domain    []string
	}
	var got []carried
	if j := r.jwt; j != nil {
		got = append(got, carried{j.Nonce, j.Claims.Audience})
	}
	for _, p := range r.proofs {
		got = append(got, carried{p.Proof.Challenge, p.Proof.Domain})
	}
	details := &ChallengeDetail{Challenge: want, Domain: wantDomain}
	if len(got) == 0 {
		switch {
		case want != "" || wantDomain != "":
			r.add(CheckChallenge, Failed, details, "a challenge or domain was asked for, and the presentation has no proof to carry it")
		default:
			r.add(CheckChallenge, Warning, details, "no challenge was asked for, and the presentation has no proof: it may be a replay")
		}
		return nil
	}
	match := slices.ContainsFunc(got, func(c carried) bool {
		return (want == "" || c.challenge == want) && (wantDomain == "" || slices.Contains(c.domain, wantDomain))
	})
	details.Carried = got[0].challenge
	switch {
	case !match && want != "" && !slices.ContainsFunc(got, func(c carried) bool { return c.challenge == want }):
		r.add(CheckChallenge, Failed, details, "the proof's challenge is %q, not the %q asked for: it was made for another verification, or replayed", got[0].challenge, want)
	case !match:
		r.add(CheckChallenge, Failed, details, "the proof's domain is %q, not the %q asked for: it was made for another verifier", got[0].domain, wantDomain)
	case want == "":
		r.add(CheckChallenge, Warning, details, "no challenge was asked for: nothing shows the presentation was made for this verification rather than replayed (set Policy.Challenge, --challenge, to a fresh value per presentation)")
	case wantDomain != "":
		r.add(CheckChallenge, Passed, details, "the proof carries the challenge %q and the domain %q asked for", want, wantDomain)
	default:
		r.add(CheckChallenge, Passed, details, "the proof carries the challenge %q asked for", want)
	}
	return nil
}

// checkValidity compares a JWT presentation's exp and nbf with the clock.
// A JSON presentation has no validity period of its own; its proof's
// expires is the proof check's.
func (r *presentationRun) checkValidity(ctx context.Context) error {
	if r.skipAll(CheckValidity) {
		return nil
	}
	if r.jwt == nil {
		r.add(CheckValidity, Skipped, nil, "a presentation has no validity period of its own (a proof's expires is checked with the proof)")
		return nil
	}
	now := r.c.policy.Now
	if now.IsZero() {
		now = time.Now()
	}
	skew := r.c.policy.ClockSkew
	cl := &r.jwt.Claims
	details := &ValidityDetail{Now: now.UTC().Format(time.RFC3339)}
	switch {
	case cl.NotBefore != nil && now.Add(skew).Before(*cl.NotBefore):
		r.add(CheckValidity, Failed, details, "not yet valid: nbf is %s", cl.NotBefore.Format(time.RFC3339))
	case cl.Expires != nil && now.Add(-skew).After(*cl.Expires):
		r.add(CheckValidity, Failed, details, "expired: exp was %s", cl.Expires.Format(time.RFC3339))
	case cl.Expires != nil:
		r.add(CheckValidity, Passed, details, "valid until %s", cl.Expires.Format(time.RFC3339))
	default:
		r.add(CheckValidity, Skipped, details, "the JWT has no exp or nbf")
	}
	return nil
}

// checkCredentials verifies each enclosed credential with the full
// credential rules, under the same Policy, each with its own report.
func (r *presentationRun) checkCredentials(ctx context.Context) error {
	if r.skipAll(CheckCredentials) {
		return nil
	}
	if rc := r.rep.Check(CheckRules); len(r.credentials) == 0 && rc != nil && rc.Outcome == Failed {
		r.add(CheckCredentials, Skipped, nil, "no credential could be read (see the rules check)")
		return nil
	}
	if len(r.credentials) == 0 {
		r.add(CheckCredentials, Skipped, nil, "the presentation encloses no credentials")
		return nil
	}
	var failed, undecided, accepted []string
	for i, in := range r.credentials {
		rep, err := r.c.verify(ctx, in, 0)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			rep = &Report{ReportVersion: ReportVersion, Checks: []Check{{ID: CheckInput, Outcome: Failed, Message: err.Error()}}, Fetched: []Fetched{}}
		}
		r.rep.Credentials = append(r.rep.Credentials, rep)
		var ids []string
		for _, c := range rep.Checks {
			if c.Outcome == Failed || c.Outcome == Indeterminate {
				ids = append(ids, c.ID)
			}
		}
		what := fmt.Sprintf("#%d (%s)", i, strings.Join(ids, ", "))
		switch {
		case rep.Verified && rep.Inconclusive:
			accepted = append(accepted, fmt.Sprintf("#%d", i))
		case rep.Verified:
		case len(rep.Failed()) > 0:
			failed = append(failed, what)
		default:
			undecided = append(undecided, what)
		}
	}
	n := len(r.credentials)
	switch {
	case len(failed) > 0:
		msg := fmt.Sprintf("%d of %d credentials do not verify: %s", len(failed), n, strings.Join(failed, "; "))
		if len(undecided) > 0 {
			msg += fmt.Sprintf("; %d could not be decided: %s", len(undecided), strings.Join(undecided, "; "))
		}
		r.add(CheckCredentials, Failed, nil, "%s (see their reports)", msg)
	case len(undecided) > 0:
		r.add(CheckCredentials, Indeterminate, nil, "%d of %d credentials could not be decided: %s (see their reports)", len(undecided), n, strings.Join(undecided, "; "))
	case len(accepted) > 0:
		r.add(CheckCredentials, Passed, nil, "%d credential(s) verify; the status of %s could not be decided and is accepted by Policy.AllowUnknownStatus", n, strings.Join(accepted, ", "))
	default:
		r.add(CheckCredentials, Passed, nil, "%d credential(s) verify", n)
	}
	return nil
}
