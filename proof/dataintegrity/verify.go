package dataintegrity

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/did"
	"github.com/go-openbadges/openbadges/schema"
)

// Errors a proof's check fails with, for callers to branch on with
// errors.Is. ErrMalformed, ErrUnsupportedSuite, ErrKeyType, ErrSafeMode and
// ErrWorkLimit are the others.
var (
	// ErrNoProof: the document carries no proof.
	ErrNoProof = errors.New("dataintegrity: the document has no proof")
	// ErrSignature: the signature does not match the document and the
	// proof configuration under the verification method's key. The
	// document, the proof, or both were changed after signing, or the key
	// is not the one that signed.
	ErrSignature = errors.New("dataintegrity: the signature does not verify")
	// ErrPurpose: the proofPurpose is not the one asked for, or the
	// verification method's controller does not authorize the method for
	// it.
	ErrPurpose = errors.New("dataintegrity: wrong proof purpose")
	// ErrControllerMismatch: the verification method's controller is not
	// the credential's issuer, or not the presentation's holder, so the
	// proof, however valid, was not made by them.
	ErrControllerMismatch = errors.New("dataintegrity: the verification method's controller is not the issuer or holder")
	// ErrResolve: the verification method could not be resolved to a key.
	ErrResolve = errors.New("dataintegrity: cannot resolve the verification method")
	// ErrExpired: the proof's expires time has passed.
	ErrExpired = errors.New("dataintegrity: the proof has expired")
	// ErrPreviousProof: a proof chain names a previous proof the document
	// does not carry.
	ErrPreviousProof = errors.New("dataintegrity: a previous proof is missing")
	// ErrDomain: the proof's domain or challenge is not the one expected.
	ErrDomain = errors.New("dataintegrity: wrong domain or challenge")
)

// A Verifier checks the Data Integrity proofs of documents. The zero
// Verifier checks assertionMethod proofs offline: it resolves did:key and
// did:jwk verification methods, and reads contexts only from those package
// schema embeds. A Verifier is safe for concurrent use once its fields are
// set.
//
// A proof verifies only with a key confirmed as the issuer's: the issuer is
// the did:key or did:jwk itself, or the issuer's DID or controller document
// lists the key under the proof's purpose, or the caller's own key store
// holds it. A key the Resolver cannot confirm for want of a document
// (did.Undecided) fails the proof with an error wrapping
// did.ErrUnconfirmed, after its signature is checked with the key the
// reference's fragment names, if it names one.
//
// A Verifiable Presentation (a document whose type includes
// VerifiablePresentation) is its holder's: its proof's key must be
// confirmed as the holder's in the same way, and listed under the purpose
// (set Purpose to "authentication" for a presentation). A presentation
// that names no holder binds its proof to no one in particular: the key
// must still be confirmed as its controller's and authorized by it for
// the purpose, and ProofResult.Method says who that controller is (VCDM
// 2.0 §4.13: without a holder, who presented is what the securing
// mechanism says).
type Verifier struct {
	// Resolver resolves verification methods to keys. If nil,
	// did.NewResolver(did.Options{}), which never touches the network.
	Resolver did.Resolver
	// Loader serves JSON-LD contexts. If nil, schema.NewLoader with the
	// zero options: the embedded contexts, nothing fetched.
	Loader *schema.Loader
	// Purpose is the proofPurpose a proof must have. If empty,
	// "assertionMethod", the purpose of a credential's proof.
	Purpose string
	// Domain and Challenge, when set, must appear in the proof (for a
	// presentation's proof, against replay). If empty, not checked.
	Domain, Challenge string
	// Now is the time an expires member is compared with. If zero, the
	// current time.
	Now time.Time
	// Limits bounds the work on one document. The zero Limits use the
	// defaults.
	Limits Limits
	// Diagnostics, when true, keeps the canonical forms and hashes of every
	// proof in its result, not only of the proofs that fail.
	Diagnostics bool

	engine engine
	shared *engine // the engine of the Verifier With derived this one from
}

// Result is what Verify found: one ProofResult per proof, in the
// document's order.
type Result struct {
	// Verified is true when the document has at least one proof and every
	// proof verified.
	Verified bool
	// Proofs holds one result per proof.
	Proofs []ProofResult
}

// Err returns nil if the result is verified, otherwise an error joining
// the failed proofs' errors (or ErrNoProof).
func (r *Result) Err() error {
	if r.Verified {
		return nil
	}
	if len(r.Proofs) == 0 {
		return ErrNoProof
	}
	var errs []error
	for i, p := range r.Proofs {
		if p.Err != nil {
			errs = append(errs, fmt.Errorf("proof[%d] (%s): %w", i, p.Proof.Suite(), p.Err))
		}
	}
	return errors.Join(errs...)
}

// ProofResult is what the check of one proof found.
type ProofResult struct {
	// Proof is what the proof says.
	Proof Proof
	// Verified is true when the signature verified and every other check
	// of the proof passed.
	Verified bool
	// SignatureValid is true when the signature matches the document and
	// the proof under the resolved key, whatever else failed (the
	// controller, the purpose, the expiry).
	SignatureValid bool
	// Method is the verification method the proof's key resolved to, with
	// its controller and how the key is bound to it; for a key that could
	// not be confirmed, the key the reference's fragment names, with
	// BindingAsserted; nil if there is neither.
	Method *did.VerificationMethod
	// Issuer is the credential's issuer id the controller was compared
	// with; empty when the document names no issuer.
	Issuer string
	// Holder is the presentation's holder id the controller was compared
	// with; empty when the document is not a presentation or names no
	// holder.
	Holder string
	// Err says why the proof did not verify; nil when it did. It wraps one
	// of this package's Err values.
	Err error
	// Diagnostics holds the canonical forms and hashes. It is set when
	// the proof got as far as hashing and either failed or
	// Verifier.Diagnostics is true.
	Diagnostics *Diagnostics
}

// Verify checks every proof embedded in doc, a JSON document as received
// (its bytes are read as they are, never re-encoded from Go values).
//
// Each proof is checked by its suite: the document without its proofs
// (with the proofs a chain's previousProof names) and the proof
// configuration are canonicalized in JSON-LD safe mode, hashed and checked
// against the signature under the key of the verification method, which
// must be authorized for the purpose and controlled by the document's
// issuer (a presentation's holder).
//
// The error is non-nil only when doc cannot be checked at all: it is not a
// JSON object within the limits, or ctx ends. A document whose proofs fail
// gives a Result whose Verified is false and whose ProofResults say why.
func (v *Verifier) Verify(ctx context.Context, doc []byte) (*Result, error) {
	e := v.eng()
	if e.err != nil {
		return nil, e.err
	}
	d, err := e.parseDocument(doc)
	if err != nil {
		return nil, err
	}
	defer e.release(d)
	res := &Result{Proofs: make([]ProofResult, len(d.proofs))}
	cache := map[string]*docCanon{}
	for i := range d.proofs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		pr := &res.Proofs[i]
		v.verifyOne(ctx, d, i, pr, cache)
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	res.Verified = len(res.Proofs) > 0
	for _, p := range res.Proofs {
		res.Verified = res.Verified && p.Verified
	}
	return res, nil
}

// With returns a Verifier like v (its Purpose, Domain, Challenge, Limits
// and Diagnostics) but with the Resolver r and the time now, which shares
// v's prepared contexts: for a caller that verifies with a resolver or a
// clock of its own per call, at no cost of preparing contexts again. v's
// fields must not change afterwards.
func (v *Verifier) With(r did.Resolver, now time.Time) *Verifier {
	return &Verifier{
		Resolver: r, Loader: v.Loader, Purpose: v.Purpose, Domain: v.Domain, Challenge: v.Challenge,
		Now: now, Limits: v.Limits, Diagnostics: v.Diagnostics, shared: v.eng(),
	}
}

// eng returns the engine, set up.
func (v *Verifier) eng() *engine {
	if v.shared != nil {
		return v.shared
	}
	v.engine.init(v.Loader, v.Limits, false)
	return &v.engine
}

// docCanon caches a document's hash across the proofs of a set.
type docCanon struct {
	hash []byte
	err  error
}

func (v *Verifier) verifyOne(ctx context.Context, d *document, i int, pr *ProofResult, cache map[string]*docCanon) {
	proof, err := readProof(d.proofs[i])
	if proof != nil {
		pr.Proof = *proof
	}
	if err != nil {
		pr.Err = err
		return
	}
	issuer, _ := d.get("issuer")
	pr.Issuer = issuerID(issuer)
	if typ, _ := d.get("type"); hasType(typ, "VerifiablePresentation") {
		holder, _ := d.get("holder")
		pr.Holder = issuerID(holder)
	}
	s, err := suiteFor(proof.Type, proof.Cryptosuite)
	if err != nil {
		pr.Err = err
		return
	}
	fail := func(err error) { pr.Err = err }

	purpose := v.Purpose
	if purpose == "" {
		purpose = did.AssertionMethod
	}
	if proof.ProofPurpose != purpose {
		fail(fmt.Errorf("%w: the proof's purpose is %q, want %q", ErrPurpose, proof.ProofPurpose, purpose))
		return
	}
	if proof.VerificationMethod == "" {
		fail(fmt.Errorf("%w: the proof has no verificationMethod", ErrMalformed))
		return
	}
	if proof.Created != "" {
		if _, err := parseDateTime(proof.Created); err != nil {
			fail(fmt.Errorf("created: %w", err))
			return
		}
	}
	if proof.Expires != "" {
		exp, err := parseDateTime(proof.Expires)
		if err != nil {
			fail(fmt.Errorf("expires: %w", err))
			return
		}
		now := v.Now
		if now.IsZero() {
			now = time.Now()
		}
		if now.After(exp) {
			fail(fmt.Errorf("%w: at %s", ErrExpired, proof.Expires))
			return
		}
	}
	if v.Domain != "" && !slices.Contains(proof.Domain, v.Domain) {
		fail(fmt.Errorf("%w: the proof's domain %q does not include %q", ErrDomain, proof.Domain, v.Domain))
		return
	}
	if v.Challenge != "" && proof.Challenge != v.Challenge {
		fail(fmt.Errorf("%w: the proof's challenge is %q, want %q", ErrDomain, proof.Challenge, v.Challenge))
		return
	}
	sig, err := decodeProofValue(proof.ProofValue)
	if err != nil {
		fail(err)
		return
	}

	// The document the proof was made over.
	in := input{d: d}
	cacheKey := fmt.Sprint(s.canon)
	if len(proof.PreviousProof) > 0 {
		var previous []any
		for _, id := range proof.PreviousProof {
			j := slices.IndexFunc(d.proofs, func(m map[string]any) bool { return m["id"] == id })
			if j < 0 || j == i {
				fail(fmt.Errorf("%w: %q", ErrPreviousProof, id))
				return
			}
			previous = append(previous, d.proofs[j])
		}
		in.m = shallowWith(d.unsecured(), "proof", previous)
		cacheKey += fmt.Sprintf("%q", proof.PreviousProof)
	}
	docCtx, hasCtx := d.get("@context")
	if pctx, ok := d.proofs[i]["@context"]; ok {
		// A proof with its own @context: the document's must start with
		// it, and the document is read with the proof's.
		if !hasCtx || !contextPrefix(pctx, docCtx) {
			fail(fmt.Errorf("%w: the proof's @context is not a prefix of the document's", ErrMalformed))
			return
		}
		in.m = shallowWith(in.asMap(), "@context", pctx)
		docCtx, hasCtx = pctx, true
		cacheKey += fmt.Sprintf("%v", pctx)
	}

	// The key. One that cannot be confirmed as its controller's for want
	// of the controller's document is read from the reference's fragment
	// when it names one, only to tell a signature that does not match
	// from one whose key nobody has confirmed: the proof never verifies
	// with it.
	resolver := v.Resolver
	if resolver == nil {
		resolver = did.NewResolver(did.Options{})
	}
	var unconfirmed error
	vm, err := resolver.Resolve(ctx, proof.VerificationMethod)
	switch {
	case err != nil && !did.Undecided(err):
		fail(fmt.Errorf("%w %q: %w", ErrResolve, proof.VerificationMethod, err))
		return
	case err != nil && !underIssuer(proof.VerificationMethod, pr.Issuer):
		// Resolvers bind a method to the DID or URL it is under: no
		// document of the issuer could confirm one under another.
		fail(fmt.Errorf("%w %q: %w: it is not under the issuer %q, so no document of the issuer could confirm it: %w", ErrResolve, proof.VerificationMethod, ErrControllerMismatch, pr.Issuer, err))
		return
	case err != nil && !underIssuer(proof.VerificationMethod, pr.Holder):
		fail(fmt.Errorf("%w %q: %w: it is not under the holder %q, so no document of the holder could confirm it: %w", ErrResolve, proof.VerificationMethod, ErrControllerMismatch, pr.Holder, err))
		return
	case err != nil:
		unconfirmed = fmt.Errorf("%w: %w %q: %w", did.ErrUnconfirmed, ErrResolve, proof.VerificationMethod, err)
		hint, herr := did.Fragment{}.Resolve(ctx, proof.VerificationMethod)
		if herr != nil {
			fail(unconfirmed)
			return
		}
		vm = hint
	case vm.Binding != did.BindingSelf && vm.Binding != did.BindingDocument && vm.Binding != did.BindingLocal:
		unconfirmed = fmt.Errorf("%w: %s is bound to %s only as %s", did.ErrUnconfirmed, proof.VerificationMethod, vm.Controller, vm.Binding)
	}
	pr.Method = vm
	h, err := s.hashFor(vm.PublicKey)
	if err != nil {
		fail(err)
		return
	}
	cacheKey += h.String()

	// The hashes. The canonical forms are kept only to explain a failure,
	// or when asked for.
	docHash, ok := cache[cacheKey]
	if !ok {
		hash, err := v.eng().hashOf(ctx, s.canon, h, in)
		docHash = &docCanon{hash: hash, err: err}
		cache[cacheKey] = docHash
	}
	if docHash.err != nil {
		fail(fmt.Errorf("the document: %w", docHash.err))
		return
	}
	cfg := proofConfig(d.proofs[i], docCtx, hasCtx)
	proofHash, err := v.eng().hashOf(ctx, s.canon, h, input{m: cfg})
	if err != nil {
		fail(fmt.Errorf("the proof configuration: %w", err))
		return
	}
	hashData := append(append(make([]byte, 0, len(proofHash)+len(docHash.hash)), proofHash...), docHash.hash...)
	pr.SignatureValid = verifySignature(vm.PublicKey, h, hashData, sig)
	if v.Diagnostics || !pr.SignatureValid {
		_, pr.Diagnostics, _ = v.eng().hashData(ctx, s, h, in, cfg, true)
	}
	if !pr.SignatureValid {
		fail(fmt.Errorf("%w (key %s)", ErrSignature, proof.VerificationMethod))
		return
	}

	// Who signed: a key confirmed as the controller's, and authorized by
	// it for the purpose (a key of the caller's own store is the caller's
	// to vouch for).
	if unconfirmed != nil {
		fail(unconfirmed)
		return
	}
	if vm.Binding != did.BindingLocal && !slices.Contains(vm.Relationships, purpose) {
		fail(fmt.Errorf("%w: %s does not list %s under %s", ErrPurpose, vm.Controller, vm.ID, purpose))
		return
	}
	if pr.Issuer != "" && vm.Controller != pr.Issuer {
		fail(fmt.Errorf("%w: the key's controller is %q, the issuer is %q", ErrControllerMismatch, vm.Controller, pr.Issuer))
		return
	}
	if pr.Holder != "" && vm.Controller != pr.Holder {
		fail(fmt.Errorf("%w: the key's controller is %q, the holder is %q", ErrControllerMismatch, vm.Controller, pr.Holder))
		return
	}
	pr.Verified = true
}

// underIssuer reports whether the verification method ref is under the
// DID or URL issuer (issuer#fragment), or the document names no issuer.
// A presentation's holder is checked the same way.
func underIssuer(ref, issuer string) bool {
	base, _, _ := strings.Cut(ref, "#")
	return issuer == "" || base == issuer
}

// issuerID returns the id of a credential's issuer: the issuer member
// itself when it is a string, its id when it is an object.
func issuerID(issuer any) string {
	switch x := issuer.(type) {
	case string:
		return x
	case map[string]any:
		id, _ := x["id"].(string)
		return id
	}
	return ""
}

// hasType reports whether a decoded type member (a string or an array of
// strings) is or lists t.
func hasType(typ any, t string) bool {
	switch x := typ.(type) {
	case string:
		return x == t
	case []any:
		return slices.Contains(x, any(t))
	}
	return false
}

// shallowWith returns a copy of m with key set to v.
func shallowWith(m map[string]any, key string, v any) map[string]any {
	out := make(map[string]any, len(m)+1)
	for k, e := range m {
		out[k] = e
	}
	out[key] = v
	return out
}
