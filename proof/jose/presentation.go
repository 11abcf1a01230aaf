package jose

import (
	"bytes"
	"context"
	"crypto"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-openbadges/openbadges/did"
	"github.com/go-openbadges/openbadges/internal/jsonobj"
	"github.com/go-openbadges/openbadges/keys"
)

// Verifiable Presentations secured with JOSE (VC-JOSE-COSE §3.1.2): the
// presentation is the payload of a compact JWS whose typ is vp+jwt (cty
// vp), signed by its holder. VC-JOSE-COSE leaves replay protection to the
// protocol; the verifier's challenge travels in the nonce claim and its
// domain in aud, as in OpenID for Verifiable Presentations and the VCDM
// 1.1 JWT form. For verification only, a VCDM 1.1 JWT presentation is read
// too: typ JWT (or none), the presentation in the vp claim.

// ErrNotPresentation is wrapped when a presentation's token or payload is
// not a presentation as VC-JOSE-COSE secures it: no @context, a type
// without VerifiablePresentation, a holder that is no id, a vc or vp claim
// in a vp+jwt, a credential in it that is not enveloped.
var ErrNotPresentation = errors.New("jose: the payload is not a presentation")

// ErrChallenge is wrapped when a presentation's nonce is not the challenge
// asked for, or its aud does not name the domain asked for: it may be a
// replay of a presentation made for another verifier or another session.
var ErrChallenge = errors.New("jose: the presentation's nonce or aud is not the one expected")

// PresentationOptions are what a presentation's token says beyond the
// presentation itself (when signing), or must say (when verifying).
type PresentationOptions struct {
	// Challenge is the verifier's challenge. Signing writes it as the nonce
	// claim; verifying, if it is set, requires the nonce to be it.
	Challenge string
	// Domain is the verifier's domain. Signing writes it as the aud claim;
	// verifying, if it is set, requires aud to name it.
	Domain string
	// IssuedAt and Expires, when signing and not zero, are written as the
	// iat and exp claims. Verifying ignores them: the time is the
	// caller's to compare with PresentationResult.Claims.
	IssuedAt, Expires time.Time
}

// vpClaimNames are the JWT claims cut from a vp+jwt payload to give the
// presentation.
var vpClaimNames = append(slices.Clone(claimNames), "nonce")

// presentationClaims are the claims SignPresentation may add, which the
// presentation must not have already.
var presentationClaims = []string{"nonce", "aud", "iat", "exp", "vc", "vp"}

// SignPresentation returns the presentation signed by its holder as a
// compact JWS with typ vp+jwt and cty vp, as VC-JOSE-COSE secures
// presentations: the presentation's bytes are the payload, with the nonce,
// aud, iat and exp claims opts asks for spliced in before its closing
// brace. The Signer's Key must be the holder's, and KeyID one of the
// holder's verification methods (verifiers require it to be listed under
// authentication); Format is ignored.
//
// presentation must be a JSON object with a @context and a type that
// includes VerifiablePresentation, must pass JSON-LD safe mode, and must not
// have top-level nonce, aud, iat, exp, vc or vp members. Its credentials
// must be EnvelopedVerifiableCredential objects, each with its JWS in a
// data: URL (VC-JOSE-COSE §3.1.2).
func (s *Signer) SignPresentation(ctx context.Context, presentation []byte, opts *PresentationOptions) (string, error) {
	if opts == nil {
		opts = &PresentationOptions{}
	}
	pub, alg, err := s.key()
	if err != nil {
		return "", err
	}
	t, err := s.parse(presentation)
	if err != nil {
		return "", err
	}
	defer trees.Put(t)
	if _, err := readPresentationFacts(t, 0); err != nil {
		return "", err
	}
	if err := checkEnveloped(t, 0); err != nil {
		return "", err
	}
	for _, name := range presentationClaims {
		if t.Child(0, name) >= 0 {
			return "", fmt.Errorf("%w: the presentation already has a top-level %q member, which its JWT would use as a claim", ErrClaims, name)
		}
	}
	if err := s.conv.CheckTree(ctx, t, 0, "proof"); err != nil {
		return "", fmt.Errorf("jose: %w", err)
	}
	var claims []byte
	str := func(name, v string) {
		q, _ := json.Marshal(v) // a string always encodes
		claims = append(append(claims, `,"`+name+`":`...), q...)
	}
	num := func(name string, at time.Time) {
		claims = strconv.AppendInt(append(claims, `,"`+name+`":`...), at.Unix(), 10)
	}
	if opts.Challenge != "" {
		str("nonce", opts.Challenge)
	}
	if opts.Domain != "" {
		str("aud", opts.Domain)
	}
	if !opts.IssuedAt.IsZero() {
		num("iat", opts.IssuedAt)
	}
	if !opts.Expires.IsZero() {
		num("exp", opts.Expires)
	}
	// The claims go before the closing brace, after the last member.
	closing := int(t.Nodes[0].Stop) - 1
	at := len(bytes.TrimRight(presentation[:closing], " \t\r\n"))
	var embedded []byte
	if s.EmbedJWK {
		if embedded, err = keys.PublicJWK(pub, ""); err != nil {
			return "", err
		}
	}
	token, err := compactJWS(ctx, s.Key, pub, alg, protectedHeader(alg, "vp+jwt", "vp", s.KeyID, embedded), presentation[:at], claims, presentation[at:])
	if err != nil {
		return "", fmt.Errorf("jose: signing: %w", err)
	}
	if s.Check {
		i := strings.LastIndexByte(token, '.')
		sig, err := base64.RawURLEncoding.DecodeString(token[i+1:])
		if err != nil || !verifyJWS(pub, alg, []byte(token[:i]), sig) {
			return "", fmt.Errorf("%w: the key's own signature does not verify; the signer is faulty", ErrSignature)
		}
	}
	return token, nil
}

// PresentationResult is what VerifyPresentation found.
type PresentationResult struct {
	// Verified is true when the signature verified with a key confirmed as
	// the holder's and listed under its authentication relationship, and
	// the claims match the presentation and what was asked.
	Verified bool
	// SignatureValid is true when the signature verified, whatever else
	// failed.
	SignatureValid bool
	// Legacy is true for a VCDM 1.1 JWT presentation (the presentation in
	// the vp claim).
	Legacy bool
	// Header and Claims are what the token says; Nonce is its nonce claim.
	Header Header
	Claims Claims
	Nonce  string
	// Payload is the payload's bytes, exactly as signed.
	Payload []byte
	// Presentation is the presentation: the payload of a vp+jwt with the
	// JWT's claims (iss, jti, sub, aud, nbf, exp, iat, nonce) cut out of
	// its bytes, as they are the token's, not statements of the
	// presentation's JSON-LD; the vp claim's bytes of a VCDM 1.1 JWT.
	Presentation []byte
	// Holder is who presented: the presentation's holder id, or, when it
	// names none, the iss claim, or, when there is neither, the controller
	// of the key that signed.
	Holder string
	// Method is the key the token was checked with, its controller and how
	// it is bound (BindingAsserted for a key nothing confirmed); nil when
	// no key was found.
	Method *did.VerificationMethod
	// Warnings are findings that do not fail the token: a legacy format.
	Warnings []string
	// Err says why the token did not verify; nil when it did. It wraps one
	// of this package's Err values (ErrKey also when the key is not the
	// holder's, and did.ErrUnconfirmed when nothing confirms it).
	Err error
}

// VerifyPresentation checks a presentation secured as a compact JWS: typ
// vp+jwt, or a VCDM 1.1 JWT whose vp claim holds the presentation. The key
// (the kid, or the header's jwk found among the holder's keys) must be
// confirmed as the holder's, as a credential's must be the issuer's, and
// listed under authentication; with no holder, the iss claim stands for it,
// and with neither, the key is bound to its own controller, who must
// still be confirmed. iss, when present, must be the holder, and jti the
// presentation's id. With opts.Challenge the nonce must be it, with
// opts.Domain aud must name it. The credentials inside are not verified
// here, nor is time (exp, nbf): both are the business of a full
// verification (package verify).
//
// The error is non-nil only when the token cannot be checked at all: it is
// not a compact JWS within the size limit, or ctx ends.
func (v *Verifier) VerifyPresentation(ctx context.Context, token []byte, opts *PresentationOptions) (*PresentationResult, error) {
	if opts == nil {
		opts = &PresentationOptions{}
	}
	maxBytes := v.MaxBytes
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	token, headerJSON, payload, _, err := splitCompact(token, maxBytes)
	if err != nil {
		return nil, err
	}
	res := &PresentationResult{Payload: payload}
	if err := v.readHeader(headerJSON, &res.Header); err != nil {
		res.Err = err
		return res, nil
	}
	facts, payloadErr := readPresentationPayload(res)
	res.Err = v.checkPresentation(ctx, token, res, facts, payloadErr, opts)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res.Verified = res.Err == nil
	return res, nil
}

// IsPresentationToken reports whether token, a compact JWS, holds a
// presentation: its typ is vp+jwt, or it is a JWT whose payload has a vp
// claim. It decodes without verifying, to choose between Verify and
// VerifyPresentation.
func IsPresentationToken(token []byte) bool {
	header, payload, ok := cutCompact(bytes.TrimSpace(token))
	if !ok || len(header) > 64<<10 {
		return false
	}
	// The segments are decoded into a buffer kept from one call to the
	// next: nothing decoded here outlives the call.
	bp := scratch.Get().(*[]byte)
	defer putScratch(bp)
	headerJSON, err := base64.RawURLEncoding.AppendDecode((*bp)[:0], header)
	*bp = headerJSON
	if err != nil {
		return false
	}
	var h struct {
		Type string `json:"typ"`
	}
	if json.Unmarshal(headerJSON, &h) != nil {
		return false
	}
	switch typ := mediaName(h.Type); typ {
	case "vp+jwt", "vp+ld+json+jwt":
		return true
	case "", "jwt":
	default:
		return false
	}
	payload, err = base64.RawURLEncoding.AppendDecode((*bp)[:0], payload)
	*bp = payload
	if err != nil || !bytes.Contains(payload, []byte(`"vp"`)) {
		return false
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(payload, &m) != nil {
		return false
	}
	_, ok = m["vp"]
	return ok
}

// cutCompact returns the first two of the three dot-separated parts of
// token; false when it has not exactly two dots.
func cutCompact(token []byte) (header, payload []byte, ok bool) {
	header, rest, ok := bytes.Cut(token, []byte("."))
	if !ok {
		return nil, nil, false
	}
	payload, sig, ok := bytes.Cut(rest, []byte("."))
	if !ok || bytes.IndexByte(sig, '.') >= 0 {
		return nil, nil, false
	}
	return header, payload, true
}

// scratch holds buffers for segments decoded only to be looked at, kept
// from one call to the next.
var scratch = sync.Pool{New: func() any { return new([]byte) }}

// putScratch gives a buffer back to scratch, unless it grew past the
// size of a usual token.
func putScratch(bp *[]byte) {
	if cap(*bp) <= 64<<10 {
		scratch.Put(bp)
	}
}

// mediaName is a typ or cty lowercased, without "application/".
func mediaName(s string) string {
	return strings.TrimPrefix(strings.ToLower(s), "application/")
}

// presentationFacts are what a presentation's claims and key are compared
// with.
type presentationFacts struct {
	id, holder string
}

// readPresentationFacts reads the id and holder of the presentation at node n
// of t, which must be a JSON object with a @context and a type including
// VerifiablePresentation.
func readPresentationFacts(t *jsonobj.Tree, n int) (*presentationFacts, error) {
	if n < 0 || t.Nodes[n].Kind != jsonobj.Object {
		return nil, fmt.Errorf("%w: the presentation is not a JSON object", ErrNotPresentation)
	}
	if t.Child(n, "@context") < 0 {
		return nil, fmt.Errorf("%w: the presentation has no @context", ErrNotPresentation)
	}
	if !hasType(t, t.Child(n, "type"), "VerifiablePresentation") {
		return nil, fmt.Errorf("%w: its type does not include VerifiablePresentation", ErrNotPresentation)
	}
	f := &presentationFacts{}
	if m := t.Child(n, "id"); m >= 0 {
		if t.Nodes[m].Kind != jsonobj.String {
			return nil, fmt.Errorf("%w: the presentation's id is not a string", ErrNotPresentation)
		}
		f.id = t.Nodes[m].Str
	}
	if m := t.Child(n, "holder"); m >= 0 {
		if f.holder = idOf(t, m); f.holder == "" {
			return nil, fmt.Errorf("%w: holder is neither a URL nor an object with an id", ErrNotPresentation)
		}
	}
	return f, nil
}

// checkEnveloped checks that every verifiableCredential of the
// presentation at node n of t is an EnvelopedVerifiableCredential whose id
// is a data: URL, as VC-JOSE-COSE §3.1.2 requires of a vp+jwt: an
// embedded credential would be covered by the holder's signature only, not
// by its issuer's.
func checkEnveloped(t *jsonobj.Tree, n int) error {
	m := t.Child(n, "verifiableCredential")
	if m < 0 {
		return nil
	}
	first, end := m, int(t.Nodes[m].End)
	if t.Nodes[m].Kind == jsonobj.Array {
		first = m + 1
	}
	i := 0
	for c := first; c < end; i++ {
		id := -1
		if t.Nodes[c].Kind == jsonobj.Object {
			id = t.Child(c, "id")
		}
		if id < 0 || !hasType(t, t.Child(c, "type"), "EnvelopedVerifiableCredential") || t.Nodes[id].Kind != jsonobj.String || !strings.HasPrefix(t.Nodes[id].Str, "data:") {
			return fmt.Errorf("%w: verifiableCredential[%d] is not an EnvelopedVerifiableCredential with a data: URL, which a vp+jwt must carry its credentials in", ErrNotPresentation, i)
		}
		if c == m {
			break
		}
		c = int(t.Nodes[c].End)
	}
	return nil
}

// readPresentationPayload decides the token's form from its typ, reads the
// claims and finds the presentation.
func readPresentationPayload(res *PresentationResult) (*presentationFacts, error) {
	var t jsonobj.Tree
	if err := jsonobj.ParseTree(res.Payload, DefaultMaxBytes, 64, &t); err != nil {
		return nil, fmt.Errorf("%w: payload: %w", ErrNotPresentation, err)
	}
	if t.Nodes[0].Kind != jsonobj.Object {
		return nil, fmt.Errorf("%w: the payload is not a JSON object", ErrNotPresentation)
	}
	members := object{res.Payload, &t}
	claims, err := readClaims(members)
	if err != nil {
		return nil, err
	}
	res.Claims = *claims
	if raw, ok := members.get("nonce"); ok && json.Unmarshal(raw, &res.Nonce) != nil {
		return nil, fmt.Errorf("%w: the nonce claim is not a string", ErrClaims)
	}
	_, hasVC := members.get("vc")
	vp, hasVP := members.get("vp")
	node := 0
	switch typ := mediaName(res.Header.Type); {
	case typ == "vp+jwt" || typ == "vp+ld+json+jwt":
		if cty := mediaName(res.Header.ContentType); cty != "" && cty != "vp" && cty != "vp+ld+json" {
			return nil, fmt.Errorf("%w: cty %q with typ %q: want \"vp\"", ErrHeader, res.Header.ContentType, res.Header.Type)
		}
		if hasVC || hasVP {
			return nil, fmt.Errorf("%w: a vp+jwt payload is the presentation itself; it must not have a vc or vp claim", ErrNotPresentation)
		}
		res.Presentation = removeMembers(res.Payload, &t, vpClaimNames)
		if err := checkEnveloped(&t, 0); err != nil {
			return nil, err
		}
	case (typ == "" || typ == "jwt") && hasVP:
		res.Legacy = true
		res.Presentation = bytes.TrimSpace(vp)
		node = t.Child(0, "vp")
		res.Warnings = append(res.Warnings, "a VCDM 1.1 JWT presentation (in the vp claim): a legacy format")
	default:
		return nil, fmt.Errorf("%w: typ %q is not a presentation's (vp+jwt)", ErrHeader, res.Header.Type)
	}
	return readPresentationFacts(&t, node)
}

// checkPresentation runs every check after the header's and returns why
// the token does not verify, or nil.
func (v *Verifier) checkPresentation(ctx context.Context, token []byte, res *PresentationResult, f *presentationFacts, payloadErr error, opts *PresentationOptions) error {
	h := &res.Header
	var jwkKey crypto.PublicKey
	if len(h.JWK) > 0 {
		pub, _, err := keys.ParsePublicJWK(h.JWK)
		if err != nil {
			return fmt.Errorf("%w: jwk: %w", ErrHeader, err)
		}
		jwkKey = pub
	}
	// Whose key it must be: the holder's, or the iss claim's when the
	// presentation names no holder.
	holder := ""
	if f != nil {
		holder = f.holder
	}
	if holder == "" {
		holder = res.Claims.Issuer
	}
	resolver := v.Resolver
	if resolver == nil {
		resolver = did.NewResolver(did.Options{})
	}
	vm, unconfirmed, err := findKey(ctx, resolver, h, jwkKey, keyOwner{id: holder, iss: res.Claims.Issuer, role: "holder", rel: did.Authentication})
	if err != nil {
		return err
	}
	res.Method = vm
	pub := vm.PublicKey
	keyAlg, err := keys.AlgorithmOf(pub)
	if err != nil || string(keyAlg) != h.Algorithm {
		return fmt.Errorf("%w: alg %s does not fit the %s key", ErrAlgorithm, h.Algorithm, keyKind(pub))
	}
	dot := bytes.LastIndexByte(token, '.')
	sig, err := base64.RawURLEncoding.DecodeString(string(token[dot+1:]))
	if err != nil {
		return fmt.Errorf("%w: the signature is not base64url: %w", ErrSignature, err)
	}
	if !verifyJWS(pub, keyAlg, token[:dot], sig) {
		return fmt.Errorf("%w: the signature does not verify with the %s key", ErrSignature, keyKind(pub))
	}
	res.SignatureValid = true
	if payloadErr != nil {
		return payloadErr
	}
	cl := &res.Claims
	switch {
	case cl.Issuer != "" && f.holder != "" && cl.Issuer != f.holder:
		return fmt.Errorf("%w: iss %q is not the holder %q", ErrClaims, cl.Issuer, f.holder)
	case cl.ID != "" && cl.ID != f.id:
		return fmt.Errorf("%w: jti %q is not the presentation's id %q", ErrClaims, cl.ID, f.id)
	}
	if opts.Challenge != "" && res.Nonce != opts.Challenge {
		return fmt.Errorf("%w: the nonce is %q, want %q", ErrChallenge, res.Nonce, opts.Challenge)
	}
	if opts.Domain != "" && !slices.Contains(cl.Audience, opts.Domain) {
		return fmt.Errorf("%w: aud %q does not name %q", ErrChallenge, cl.Audience, opts.Domain)
	}
	// Who signed: a key confirmed as the holder's, and authorized by the
	// holder for authentication (a key of the caller's own store is the
	// caller's to vouch for).
	if unconfirmed != nil {
		return unconfirmed
	}
	if vm.Binding != did.BindingLocal && !slices.Contains(vm.Relationships, did.Authentication) {
		return fmt.Errorf("%w: %s does not list %s under %s", ErrKey, vm.Controller, vm.ID, did.Authentication)
	}
	if holder != "" && vm.Controller != holder {
		return fmt.Errorf("%w: the key's controller %q is not the holder %q", ErrKey, vm.Controller, holder)
	}
	res.Holder = vm.Controller
	return nil
}
