package jose

import (
	"bytes"
	"context"
	"crypto"
	"encoding/base64"
	"fmt"
	"slices"

	"github.com/go-openbadges/openbadges/did"
	"github.com/go-openbadges/openbadges/keys"
)

// A Verifier checks compact JWS credentials. The zero Verifier works
// offline: it resolves did:key and did:jwk kids, and a header's jwk that is
// the key of a did:key or did:jwk issuer. It is safe for concurrent use
// once its fields are set.
//
// A token verifies only with a key confirmed as the issuer's: the issuer
// is the did:key or did:jwk itself, or the issuer's DID or controller
// document lists the key under assertionMethod (the method the kid names,
// the one of the iss claim's keys whose JWK thumbprint the kid is, found
// with did.MethodLister, or the one holding the header's jwk, found with
// did.KeyFinder), or the caller's own key store holds it. A jwk, or a key
// a kid's fragment names, that the Resolver cannot confirm for want of a
// document (did.Undecided) fails the token with an error wrapping
// did.ErrUnconfirmed, after the signature is checked with it; so does a
// kid that is a thumbprint when the iss claim's keys cannot be had.
type Verifier struct {
	// Resolver resolves the header's kid to a key. If nil,
	// did.NewResolver(did.Options{}), which never touches the network.
	Resolver did.Resolver
	// MaxBytes bounds the token's size. If zero, DefaultMaxBytes.
	MaxBytes int
	// Algorithms narrows the accepted algorithms (RS256, ES256, ES384,
	// ES512, EdDSA) further. If empty, all five.
	Algorithms []keys.Algorithm
}

// Result is what Verify found.
type Result struct {
	// Verified is true when the signature verified with a key confirmed
	// as the issuer's, and the claims match the credential.
	Verified bool
	// SignatureValid is true when the signature verified, whatever else
	// failed.
	SignatureValid bool
	// Format is the kind of JWT.
	Format Format
	// Header and Claims are what the token says.
	Header Header
	Claims Claims
	// Payload is the payload's bytes, exactly as signed.
	Payload []byte
	// Credential is the credential: the payload with the registered claims
	// (iss, jti, sub, aud, nbf, exp, iat) cut out of its bytes for a VC-JWT,
	// the payload for VC-JOSE, the vc claim's bytes for a VCDM 1.1 JWT.
	Credential []byte
	// Method is the key the token was checked with, its controller and how
	// it is bound to the issuer (BindingAsserted for a key nothing
	// confirmed); nil when no key was found.
	Method *did.VerificationMethod
	// Warnings are findings that do not fail the token: a legacy format,
	// a subject in aud instead of sub.
	Warnings []string
	// Err says why the token did not verify; nil when it did.
	Err error

	facts      *facts // what the claims are compared with
	payloadErr error  // why the payload is not a credential
}

// Verify checks a compact JWS credential: its header, its signature with
// the key its kid or jwk names, and that its claims say what the
// credential says. It does not check time (nbf, exp) against the clock,
// which is the business of a full verification.
//
// The error is non-nil only when the token cannot be checked at all: it is
// not a compact JWS within the size limit, or ctx ends. A token that fails
// a check gives a Result whose Err says why.
func (v *Verifier) Verify(ctx context.Context, token []byte) (*Result, error) {
	maxBytes := v.MaxBytes
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	// The header is decoded into a buffer kept from one call to the next:
	// readHeader copies what it keeps of it.
	bp := scratch.Get().(*[]byte)
	defer putScratch(bp)
	token, headerJSON, payload, _, err := splitCompactInto(token, maxBytes, *bp)
	if cap(headerJSON) > cap(*bp) {
		*bp = headerJSON[:0] // grown: keep the larger buffer
	}
	if err != nil {
		return nil, err
	}
	res := &Result{Payload: payload}
	if err := v.readHeader(headerJSON, &res.Header); err != nil {
		res.Err = err
		return res, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// The credential is read before the signature is checked, so that a
	// token that fails still shows what it claims to be.
	res.payloadErr = readPayload(res)
	v.check(ctx, token, res)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res.Verified = res.Err == nil
	return res, nil
}

// check runs every check after the header's and records the outcome in
// res.
func (v *Verifier) check(ctx context.Context, token []byte, res *Result) {
	h := &res.Header
	var jwkKey crypto.PublicKey
	if len(h.JWK) > 0 {
		pub, _, err := keys.ParsePublicJWK(h.JWK)
		if err != nil {
			res.Err = fmt.Errorf("%w: jwk: %w", ErrHeader, err)
			return
		}
		jwkKey = pub
	}
	// The key (see findKey). One that is not confirmed as the issuer's
	// for want of the issuer's document is used only to tell a signature
	// that does not match from one whose key nobody has confirmed: the
	// token never verifies with it.
	resolver := v.Resolver
	if resolver == nil {
		resolver = did.NewResolver(did.Options{})
	}
	issuer := res.Claims.Issuer
	if issuer == "" && res.facts != nil {
		issuer = res.facts.issuer
	}
	vm, unconfirmed, err := findKey(ctx, resolver, h, jwkKey, keyOwner{id: issuer, iss: res.Claims.Issuer, role: "issuer", rel: did.AssertionMethod})
	if err != nil {
		res.Err = err
		return
	}
	res.Method = vm
	pub := vm.PublicKey
	keyAlg, err := keys.AlgorithmOf(pub)
	if err != nil || string(keyAlg) != h.Algorithm {
		res.Err = fmt.Errorf("%w: alg %s does not fit the %s key", ErrAlgorithm, h.Algorithm, keyKind(pub))
		return
	}

	// The signature.
	dot := bytes.LastIndexByte(token, '.')
	sig, err := base64.RawURLEncoding.DecodeString(string(token[dot+1:]))
	if err != nil {
		res.Err = fmt.Errorf("%w: the signature is not base64url: %w", ErrSignature, err)
		return
	}
	if !verifyJWS(pub, keyAlg, token[:dot], sig) {
		res.Err = fmt.Errorf("%w: the signature does not verify with the %s key", ErrSignature, keyKind(pub))
		return
	}
	res.SignatureValid = true

	// The payload and its claims.
	if res.payloadErr != nil {
		res.Err = res.payloadErr
		return
	}
	if err := compareClaims(res, res.facts); err != nil {
		res.Err = err
		return
	}
	// Who signed: a key confirmed as the issuer's, and authorized by the
	// issuer for assertions (a key of the caller's own store is the
	// caller's to vouch for).
	if unconfirmed != nil {
		res.Err = unconfirmed
		return
	}
	m := res.Method
	if m.Binding != did.BindingLocal && !slices.Contains(m.Relationships, did.AssertionMethod) {
		res.Err = fmt.Errorf("%w: %s does not list %s under %s", ErrKey, m.Controller, m.ID, did.AssertionMethod)
		return
	}
	if issuer := res.Claims.Issuer; m.Controller != issuer {
		res.Err = fmt.Errorf("%w: the key's controller %q is not the issuer %q", ErrKey, m.Controller, issuer)
	}
}
