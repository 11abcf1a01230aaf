package jose

import (
	"bytes"
	"context"
	"crypto"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/did"
	"github.com/go-openbadges/openbadges/internal/jsonobj"
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

// Header is what the token's protected header says.
type Header struct {
	Algorithm   string          // alg
	KeyID       string          // kid, if any
	Type        string          // typ, if any
	ContentType string          // cty, if any
	JWK         json.RawMessage // jwk, if any: a public key
}

// Claims are the registered claims of the payload, as read.
type Claims struct {
	Issuer    string     // iss
	ID        string     // jti
	Subject   string     // sub
	Audience  []string   // aud
	NotBefore *time.Time // nbf
	Expires   *time.Time // exp
	// IssuedAt is iat when it is a NumericDate. (The W3C VC-JOSE vectors
	// write it as a date-time string, which is tolerated and ignored.)
	IssuedAt *time.Time
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
	token, headerJSON, payload, _, err := splitCompact(token, maxBytes)
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

// readHeader reads the protected header strictly.
func (v *Verifier) readHeader(data []byte, h *Header) error {
	var t jsonobj.Tree
	if err := jsonobj.ParseTree(data, 64<<10, 16, &t); err != nil {
		return fmt.Errorf("%w: header: %w", ErrMalformed, err)
	}
	if t.Nodes[0].Kind != jsonobj.Object {
		return fmt.Errorf("%w: the header is not a JSON object", ErrMalformed)
	}
	m := rawMembers(data, &t)
	str := func(name string, dst *string) error {
		raw, ok := m[name]
		if !ok {
			return nil
		}
		if err := json.Unmarshal(raw, dst); err != nil {
			return fmt.Errorf("%w: %s is not a string", ErrHeader, name)
		}
		return nil
	}
	for _, e := range []error{str("alg", &h.Algorithm), str("kid", &h.KeyID), str("typ", &h.Type), str("cty", &h.ContentType)} {
		if e != nil {
			return e
		}
	}
	h.JWK = m["jwk"]
	for _, name := range []string{"crit", "b64", "x5c", "x5u", "x5t", "x5t#S256", "jku"} {
		if _, ok := m[name]; ok {
			why := map[string]string{
				"crit": "it makes extensions critical, and none is understood here",
				"b64":  "an unencoded payload (RFC 7797) is not a credential's form",
				"jku":  "keys are not fetched from a URL the token names",
				"x5u":  "keys are not fetched from a URL the token names",
			}[name]
			if why == "" {
				why = "X.509 certificates are not a key source here"
			}
			return fmt.Errorf("%w: %q: %s", ErrHeader, name, why)
		}
	}
	alg := keys.Algorithm(h.Algorithm)
	switch {
	case h.Algorithm == "":
		return fmt.Errorf("%w: the header has no alg", ErrAlgorithm)
	case strings.EqualFold(h.Algorithm, "none"):
		return fmt.Errorf("%w: alg %q: an unsigned token proves nothing", ErrAlgorithm, h.Algorithm)
	case strings.HasPrefix(h.Algorithm, "HS"):
		return fmt.Errorf("%w: alg %q: a shared-secret MAC cannot show who issued a credential", ErrAlgorithm, h.Algorithm)
	case !slices.Contains(accepted, alg):
		return fmt.Errorf("%w: alg %q is not one of RS256, ES256, ES384, ES512, EdDSA", ErrAlgorithm, h.Algorithm)
	case len(v.Algorithms) > 0 && !slices.Contains(v.Algorithms, alg):
		return fmt.Errorf("%w: alg %q is not allowed by this verifier", ErrAlgorithm, h.Algorithm)
	}
	return nil
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

// confirmed reports whether a key so bound is confirmed as its
// controller's.
func confirmed(b did.Binding) bool {
	return b == did.BindingSelf || b == did.BindingDocument || b == did.BindingLocal
}

// A keyOwner is whose key a token must be signed with.
type keyOwner struct {
	id   string // the issuer of a credential, the holder of a presentation; "" if unknown
	iss  string // the token's iss claim; "" if absent
	role string // "issuer" or "holder", for messages
	rel  string // the verification relationship the key needs: did.AssertionMethod, did.Authentication
}

// thumbprintURI is the prefix of a JWK Thumbprint URI (RFC 9278) of a
// SHA-256 thumbprint.
const thumbprintURI = "urn:ietf:params:oauth:jwk-thumbprint:sha-256:"

// findKey finds the key the header names for a token of owner: the one
// its kid names, or the owner's that its jwk holds. A key that cannot be
// confirmed as the owner's for want of the owner's document (the jwk, or
// the key a kid's fragment names) comes back with unconfirmed set: it
// serves only to tell a signature that does not match from one whose key
// nobody has confirmed. err is set when there is no key to check with at
// all.
//
// The kid is read as VC-JOSE-COSE's Key Discovery reads it:
//
//   - an absolute URL or DID URL is the verification method's id;
//   - a kid the Resolver resolves as it is (a resolver of the caller's
//     keyed by kid) is that method;
//   - otherwise the kid is a hint to pick one key of the controller that
//     the iss claim names ("if kid is also present, it is used to
//     distinguish the specific key used"), and without iss it is refused:
//     "when iss is absent, and the issuer is identified as a URL, the kid
//     MUST be an absolute URL to a verification method";
//   - "#key-1" is then the method iss#key-1 of iss's document;
//   - any other kid, or a JWK Thumbprint URI (RFC 9278), is the RFC 7638
//     SHA-256 thumbprint of one of the keys iss's document lists
//     (did.MethodLister): the thumbprint is computed from each key, never
//     read from a label the document gives it, so the kid picks a key by
//     what it is, among keys the document already confirms as iss's.
//
// The key is never confirmed by the kid: only by the document, DID or
// key store the Resolver finds it in.
func findKey(ctx context.Context, resolver did.Resolver, h *Header, jwkKey crypto.PublicKey, owner keyOwner) (vm *did.VerificationMethod, unconfirmed, err error) {
	kid := h.KeyID
	if kid == "" {
		if jwkKey == nil {
			return nil, nil, fmt.Errorf("%w: the header has neither kid nor jwk", ErrKey)
		}
		return keyByValue(ctx, resolver, jwkKey, owner)
	}
	if uriScheme(kid) != "" && !strings.HasPrefix(kid, thumbprintURI) {
		return keyByID(ctx, resolver, kid, kid, jwkKey, owner)
	}
	if !strings.HasPrefix(kid, "#") {
		// The Resolver may know the kid itself (a resolver of the
		// caller's keyed by kid); this package's never do.
		vm, err := resolver.Resolve(ctx, kid)
		switch {
		case err == nil:
			return checkedMethod(kid, vm, jwkKey)
		case !did.Undecided(err):
			return nil, nil, fmt.Errorf("%w: kid %q: %w", ErrKey, kid, err)
		}
	}
	if owner.iss == "" {
		return nil, nil, fmt.Errorf("%w: kid %q is not an absolute URL or DID URL, and without an iss claim there is no controller to find it under (VC-JOSE-COSE: when iss is absent, the kid must be an absolute URL of a verification method)", ErrKey, kid)
	}
	if strings.HasPrefix(kid, "#") {
		return keyByID(ctx, resolver, kid, owner.iss+kid, jwkKey, owner)
	}
	return keyByThumbprint(ctx, resolver, kid, strings.TrimPrefix(kid, thumbprintURI), jwkKey, owner)
}

// checkedMethod checks vm, which the kid resolved to, against the header's
// jwk, and says whether it is confirmed.
func checkedMethod(kid string, vm *did.VerificationMethod, jwkKey crypto.PublicKey) (_ *did.VerificationMethod, unconfirmed, err error) {
	switch {
	case jwkKey != nil && !publicEqual(jwkKey, vm.PublicKey):
		return nil, nil, fmt.Errorf("%w: the header's jwk is not the key its kid %q names", ErrKey, kid)
	case !confirmed(vm.Binding):
		unconfirmed = fmt.Errorf("%w: %w: kid %q is bound to %s only as %s", ErrKey, did.ErrUnconfirmed, kid, vm.Controller, vm.Binding)
	}
	return vm, unconfirmed, nil
}

// keyByID finds the method ref, which the kid names.
func keyByID(ctx context.Context, resolver did.Resolver, kid, ref string, jwkKey crypto.PublicKey, owner keyOwner) (vm *did.VerificationMethod, unconfirmed, err error) {
	vm, err = resolver.Resolve(ctx, ref)
	base, _, _ := strings.Cut(ref, "#")
	switch {
	case err != nil && !did.Undecided(err):
		return nil, nil, fmt.Errorf("%w: kid %q: %w", ErrKey, kid, err)
	case err != nil && owner.id != "" && base != owner.id:
		// Resolvers bind a method to the DID or URL it is under: no
		// document of the owner could confirm one under another.
		return nil, nil, fmt.Errorf("%w: kid %q is not under the %s %q, so no document of the %s could confirm it: %w", ErrKey, kid, owner.role, owner.id, owner.role, err)
	case err != nil:
		unconfirmed = fmt.Errorf("%w: %w: kid %q: %w", ErrKey, did.ErrUnconfirmed, kid, err)
		if jwkKey != nil {
			return &did.VerificationMethod{ID: ref, Type: "JsonWebKey", PublicKey: jwkKey, Binding: did.BindingAsserted}, unconfirmed, nil
		}
		if vm, err = (did.Fragment{}).Resolve(ctx, ref); err != nil {
			return nil, nil, unconfirmed
		}
		return vm, unconfirmed, nil
	}
	return checkedMethod(kid, vm, jwkKey)
}

// keyByThumbprint finds, among the methods of owner.iss, the one whose
// key's RFC 7638 thumbprint is tp, which the kid gives; of several, one
// that owner.iss authorizes for owner.rel.
func keyByThumbprint(ctx context.Context, resolver did.Resolver, kid, tp string, jwkKey crypto.PublicKey, owner keyOwner) (vm *did.VerificationMethod, unconfirmed, err error) {
	var ms []*did.VerificationMethod
	if l, ok := resolver.(did.MethodLister); ok {
		ms, err = l.Methods(ctx, owner.iss)
	} else {
		err = fmt.Errorf("%w: the Resolver (%T) cannot list a controller's keys", did.ErrUnsupported, resolver)
	}
	if err != nil {
		if !did.Undecided(err) {
			return nil, nil, fmt.Errorf("%w: kid %q, a key of %q by its thumbprint: %w", ErrKey, kid, owner.iss, err)
		}
		unconfirmed = fmt.Errorf("%w: %w: kid %q names a key of %q by its thumbprint, and the keys of %q could not be had: %w", ErrKey, did.ErrUnconfirmed, kid, owner.iss, owner.iss, err)
		if jwkKey == nil {
			return nil, nil, unconfirmed
		}
		if got, _ := keys.Thumbprint(jwkKey); got != tp {
			return nil, nil, fmt.Errorf("%w: the header's jwk is not the key its kid %q names", ErrKey, kid)
		}
		return &did.VerificationMethod{Type: "JsonWebKey", Controller: owner.iss, PublicKey: jwkKey, Binding: did.BindingAsserted}, unconfirmed, nil
	}
	for _, m := range ms {
		if got, err := keys.Thumbprint(m.PublicKey); err != nil || got != tp {
			continue
		}
		if vm == nil || !slices.Contains(vm.Relationships, owner.rel) && slices.Contains(m.Relationships, owner.rel) {
			vm = m
		}
	}
	if vm == nil {
		return nil, nil, fmt.Errorf("%w: kid %q: %w: %q lists no key whose JWK thumbprint (RFC 7638) is %q", ErrKey, kid, did.ErrNotListed, owner.iss, tp)
	}
	return checkedMethod(kid, vm, jwkKey)
}

// keyByValue finds the owner's method that holds jwkKey, the header's jwk,
// when there is no kid.
func keyByValue(ctx context.Context, resolver did.Resolver, jwkKey crypto.PublicKey, owner keyOwner) (vm *did.VerificationMethod, unconfirmed, err error) {
	if owner.id == "" {
		return nil, nil, fmt.Errorf("%w: the header's jwk names no key id, and there is no %s whose keys it could be looked up in", ErrKey, owner.role)
	}
	if finder, ok := resolver.(did.KeyFinder); ok {
		vm, err = finder.FindKey(ctx, owner.id, jwkKey)
	} else {
		err = fmt.Errorf("%w: the Resolver (%T) cannot look a key up by its value", did.ErrUnsupported, resolver)
	}
	switch {
	case err != nil && !did.Undecided(err):
		return nil, nil, fmt.Errorf("%w: the header's jwk is not a key of the %s %q: %w", ErrKey, owner.role, owner.id, err)
	case err != nil:
		unconfirmed = fmt.Errorf("%w: %w: the header's jwk: %w", ErrKey, did.ErrUnconfirmed, err)
		vm = &did.VerificationMethod{Type: "JsonWebKey", Controller: owner.id, PublicKey: jwkKey, Binding: did.BindingAsserted}
	case !confirmed(vm.Binding):
		unconfirmed = fmt.Errorf("%w: %w: the header's jwk is bound to %s only as %s", ErrKey, did.ErrUnconfirmed, vm.Controller, vm.Binding)
	}
	return vm, unconfirmed, nil
}

// uriScheme returns the scheme an absolute URI (RFC 3986 §3.1) such as a
// URL, a DID or a URN starts with, or "" if s does not start with one.
func uriScheme(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return s[:i]
		default:
			return ""
		}
	}
	return ""
}

// readPayload reads the payload, decides its format, and finds the
// credential and its facts (res.facts), for compareClaims.
func readPayload(res *Result) error {
	t := trees.Get()
	defer trees.Put(t)
	if err := jsonobj.ParseTree(res.Payload, DefaultMaxBytes, 64, t); err != nil {
		return fmt.Errorf("%w: payload: %w", ErrNotCredential, err)
	}
	if t.Nodes[0].Kind != jsonobj.Object {
		return fmt.Errorf("%w: the payload is not a JSON object", ErrNotCredential)
	}
	members := rawMembers(res.Payload, t)
	claims, err := readClaims(members)
	if err != nil {
		return err
	}
	res.Claims = *claims

	typ := strings.ToLower(strings.TrimPrefix(strings.ToLower(res.Header.Type), "application/"))
	credential, exclude := 0, []string(nil)
	vc, hasVC := members["vc"]
	switch {
	case typ == "vc+jwt" || typ == "vc+ld+json+jwt":
		res.Format = FormatVCJOSE
		if cty := strings.TrimPrefix(strings.ToLower(res.Header.ContentType), "application/"); cty != "" && cty != "vc" && cty != "vc+ld+json" {
			return fmt.Errorf("%w: cty %q with typ %q: want \"vc\"", ErrHeader, res.Header.ContentType, res.Header.Type)
		}
		if _, hasVP := members["vp"]; hasVC || hasVP {
			return fmt.Errorf("%w: a vc+jwt payload is the credential itself; it must not have a vc or vp claim", ErrNotCredential)
		}
		res.Credential = res.Payload
	case typ != "" && typ != "jwt":
		return fmt.Errorf("%w: typ %q is not a credential's (JWT or vc+jwt)", ErrHeader, res.Header.Type)
	case hasVC:
		res.Format = FormatVCDM11
		res.Credential = bytes.TrimSpace(vc)
		credential = t.Child(0, "vc")
		res.Warnings = append(res.Warnings, "a VCDM 1.1 JWT (credential in the vc claim): a legacy format")
	default:
		res.Format = FormatVCJWT
		res.Credential = removeMembers(res.Payload, t, claimNames)
		exclude = claimNames
	}
	c, err := credentialFacts(t, credential, exclude)
	if err != nil {
		return err
	}
	res.facts = c
	return nil
}

// claimNames are the registered claims cut from a VC-JWT payload to give
// the credential.
var claimNames = []string{"iss", "jti", "sub", "aud", "nbf", "exp", "iat"}

// readClaims reads the registered claims with their JSON types checked:
// NumericDates must be numbers (iat may also be the string the W3C vectors
// use), aud a string or an array of strings.
func readClaims(m map[string]json.RawMessage) (*Claims, error) {
	c := &Claims{}
	str := func(name string, dst *string) error {
		if raw, ok := m[name]; ok && json.Unmarshal(raw, dst) != nil {
			return fmt.Errorf("%w: the %s claim is not a string", ErrClaims, name)
		}
		return nil
	}
	date := func(name string, dst **time.Time, tolerateString bool) error {
		raw, ok := m[name]
		if !ok {
			return nil
		}
		var n json.Number
		if len(raw) > 0 && raw[0] != '"' && json.Unmarshal(raw, &n) == nil {
			f, err := n.Float64()
			if err != nil || math.IsInf(f, 0) || f < 0 || f > 1e13 {
				return fmt.Errorf("%w: the %s claim %s is not a NumericDate", ErrClaims, name, n)
			}
			sec, frac := math.Modf(f)
			t := time.Unix(int64(sec), int64(frac*1e9)).UTC()
			*dst = &t
			return nil
		}
		var s string
		if tolerateString && json.Unmarshal(raw, &s) == nil {
			return nil
		}
		return fmt.Errorf("%w: the %s claim is not a NumericDate", ErrClaims, name)
	}
	for _, err := range []error{
		str("iss", &c.Issuer), str("jti", &c.ID), str("sub", &c.Subject),
		date("nbf", &c.NotBefore, false), date("exp", &c.Expires, false), date("iat", &c.IssuedAt, true),
	} {
		if err != nil {
			return nil, err
		}
	}
	if raw, ok := m["aud"]; ok {
		var one string
		if json.Unmarshal(raw, &one) == nil {
			c.Audience = []string{one}
		} else if json.Unmarshal(raw, &c.Audience) != nil {
			return nil, fmt.Errorf("%w: the aud claim is not a string or an array of strings", ErrClaims)
		}
	}
	return c, nil
}

// compareClaims checks that the claims say what the credential says.
//
// iss must be the issuer's id, always. jti must be the credential's id
// and nbf its validFrom (issuanceDate for VCDM 1.1), to the second, when
// either side has them; a VC-JWT (OB 3.0 §8.2.4) must carry iss and nbf
// (and jti when the credential has an id). exp must be validUntil
// (expirationDate), both or neither. sub, when present, must be the
// subject's id; when it is absent and the subject has an id, that is a
// warning, not a failure: the 1EdTech reference issuer puts the subject in
// aud instead, and its tokens are otherwise sound.
func compareClaims(res *Result, c *facts) error {
	cl := &res.Claims
	strict := res.Format == FormatVCJWT
	if cl.Issuer == "" {
		if strict {
			return fmt.Errorf("%w: no iss claim (it must be the issuer's id, %q)", ErrClaims, c.issuer)
		}
		cl.Issuer = c.issuer
	} else if cl.Issuer != c.issuer {
		return fmt.Errorf("%w: iss %q is not the issuer %q", ErrClaims, cl.Issuer, c.issuer)
	}
	switch {
	case cl.ID != "" && cl.ID != c.id:
		return fmt.Errorf("%w: jti %q is not the credential's id %q", ErrClaims, cl.ID, c.id)
	case cl.ID == "" && c.id != "" && strict:
		return fmt.Errorf("%w: no jti claim (it must be the credential's id, %q)", ErrClaims, c.id)
	}
	switch {
	case cl.Subject != "" && cl.Subject != c.subject:
		return fmt.Errorf("%w: sub %q is not the credentialSubject's id %q", ErrClaims, cl.Subject, c.subject)
	case cl.Subject == "" && c.subject != "" && res.Format != FormatVCJOSE:
		w := "no sub claim; OB 3.0 puts the credentialSubject's id there"
		if slices.Contains(cl.Audience, c.subject) {
			w += " (this token has it in aud, as the 1EdTech reference issuer does)"
		}
		res.Warnings = append(res.Warnings, w)
	}
	from, until := "validFrom", "validUntil"
	if c.version11 {
		from, until = "issuanceDate", "expirationDate"
	}
	switch {
	case cl.NotBefore != nil && c.validFrom != nil && cl.NotBefore.Unix() != c.validFrom.Unix():
		return fmt.Errorf("%w: nbf %s is not %s %s", ErrClaims, cl.NotBefore.Format(time.RFC3339), from, c.validFrom.Format(time.RFC3339Nano))
	case cl.NotBefore == nil && strict && c.validFrom != nil:
		return fmt.Errorf("%w: no nbf claim (it must be %s)", ErrClaims, from)
	case cl.NotBefore != nil && c.validFrom == nil && res.Format != FormatVCDM11:
		return fmt.Errorf("%w: nbf is set but the credential has no %s", ErrClaims, from)
	}
	switch {
	case cl.Expires != nil && c.validUntil != nil && cl.Expires.Unix() != c.validUntil.Unix():
		return fmt.Errorf("%w: exp %s is not %s %s", ErrClaims, cl.Expires.Format(time.RFC3339), until, c.validUntil.Format(time.RFC3339Nano))
	case cl.Expires == nil && c.validUntil != nil && strict:
		return fmt.Errorf("%w: no exp claim, but the credential has %s", ErrClaims, until)
	case cl.Expires != nil && c.validUntil == nil && res.Format != FormatVCDM11:
		return fmt.Errorf("%w: exp is set but the credential has no %s", ErrClaims, until)
	}
	return nil
}

// removeMembers returns data, a JSON object, with its top-level members of
// the given names cut out of the bytes; the rest is kept exactly.
func removeMembers(data []byte, t *jsonobj.Tree, names []string) []byte {
	type span struct{ start, end int }
	var cut []span
	first := true
	open := bytes.IndexByte(data, '{') + 1 // where the first member's cut starts
	prevEnd := open                        // after '{' or the previous value
	for m := 1; m < int(t.Nodes[0].End); m = int(t.Nodes[m].End) {
		nd := &t.Nodes[m]
		before, end := prevEnd, int(nd.Stop)
		prevEnd = end
		if slices.Contains(names, nd.Key) {
			if first {
				// Cut through the comma that follows, if any.
				rest := bytes.TrimLeft(data[end:], " \t\r\n")
				if len(rest) > 0 && rest[0] == ',' {
					end = len(data) - len(rest) + 1
				}
			}
			cut = append(cut, span{before, end})
			continue
		}
		first = false
	}
	out := make([]byte, 0, len(data))
	at := 0
	for _, s := range cut {
		// A cut after a leading cut starts inside it (at the comma it
		// already took).
		out = append(out, data[at:max(at, s.start)]...)
		at = s.end
	}
	return append(out, data[at:]...)
}

// rawMembers returns the members of the object at the root of t, parsed
// from data, each as its bytes.
func rawMembers(data []byte, t *jsonobj.Tree) map[string]json.RawMessage {
	m := make(map[string]json.RawMessage)
	for c := 1; c < int(t.Nodes[0].End); c = int(t.Nodes[c].End) {
		nd := &t.Nodes[c]
		m[nd.Key] = data[nd.Start:nd.Stop:nd.Stop]
	}
	return m
}

// publicEqual reports whether two public keys are the same key.
func publicEqual(a, b crypto.PublicKey) bool {
	type equaler interface{ Equal(crypto.PublicKey) bool }
	e, ok := a.(equaler)
	return ok && e.Equal(b)
}
