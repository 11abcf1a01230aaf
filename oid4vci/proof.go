package oid4vci

import (
	"bytes"
	"context"
	"crypto"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/did"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/proof/jose"
)

// Errors of a key proof.
var (
	// errProof: the proof is malformed, or does not verify.
	errProof = errors.New("invalid key proof")
	// errNonce: the proof's nonce is not a c_nonce the Server gave, or was
	// used, or expired.
	errNonce = errors.New("invalid c_nonce")
)

// proofClockSkew is how far in the future a proof's iat may be.
const proofClockSkew = 5 * time.Minute

// keyProof is a key proof JWT as read, before its signature is checked.
type keyProof struct {
	alg, kid string
	jwk      json.RawMessage
	aud      []string
	iat      int64
	nonce    string
}

// parseProof reads a key proof JWT: its header must say typ
// openid4vci-proof+jwt, an asymmetric alg, and exactly one of kid and jwk
// (x5c, key attestations and trust chains are not supported), and its
// claims aud, iat and nonce. The signature is not checked.
func parseProof(token string) (*keyProof, error) {
	if len(token) > MaxProofBytes {
		return nil, fmt.Errorf("%w: over %d bytes", errProof, MaxProofBytes)
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, fmt.Errorf("%w: not a compact JWS", errProof)
	}
	hb, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil {
		return nil, fmt.Errorf("%w: the header is not base64url", errProof)
	}
	var h map[string]json.RawMessage
	if err := strictJSON(hb, &h); err != nil {
		return nil, fmt.Errorf("%w: the header: %w", errProof, err)
	}
	p := &keyProof{}
	var typ string
	for name, dst := range map[string]*string{"typ": &typ, "alg": &p.alg, "kid": &p.kid} {
		if v, ok := h[name]; ok {
			if err := json.Unmarshal(v, dst); err != nil {
				return nil, fmt.Errorf("%w: the header's %s is not a string", errProof, name)
			}
		}
	}
	if typ != proofType {
		return nil, fmt.Errorf("%w: typ is %q, not %s", errProof, typ, proofType)
	}
	if !slices.Contains(proofAlgorithms, p.alg) {
		return nil, fmt.Errorf("%w: alg %q is not one of %s", errProof, p.alg, strings.Join(proofAlgorithms, ", "))
	}
	for _, m := range []string{"x5c", "key_attestation", "trust_chain", "crit", "jku", "x5u"} {
		if _, ok := h[m]; ok {
			return nil, fmt.Errorf("%w: the header's %s is not supported", errProof, m)
		}
	}
	p.jwk = h["jwk"]
	if (p.kid == "") == (len(p.jwk) == 0) {
		return nil, fmt.Errorf("%w: the header must name the key by kid or give it as jwk, one of them", errProof)
	}
	pb, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return nil, fmt.Errorf("%w: the payload is not base64url", errProof)
	}
	var c struct {
		Aud   json.RawMessage `json:"aud"`
		Iat   *json.Number    `json:"iat"`
		Nonce *string         `json:"nonce"`
	}
	if err := strictJSON(pb, &c); err != nil {
		return nil, fmt.Errorf("%w: the claims: %w", errProof, err)
	}
	var one string
	switch {
	case len(c.Aud) == 0:
		return nil, fmt.Errorf("%w: no aud", errProof)
	case json.Unmarshal(c.Aud, &one) == nil:
		p.aud = []string{one}
	case json.Unmarshal(c.Aud, &p.aud) != nil:
		return nil, fmt.Errorf("%w: aud is neither a string nor strings", errProof)
	}
	if c.Iat == nil {
		return nil, fmt.Errorf("%w: no iat", errProof)
	}
	f, err := c.Iat.Float64()
	if err != nil || f < 0 || f > 1e12 {
		return nil, fmt.Errorf("%w: iat is not a time", errProof)
	}
	p.iat = int64(f)
	if c.Nonce == nil || *c.Nonce == "" {
		return nil, fmt.Errorf("%w: no nonce: ask the nonce endpoint for a c_nonce", errProof)
	}
	p.nonce = *c.Nonce
	return p, nil
}

// strictJSON decodes one JSON object, of at most MaxProofBytes, with no
// duplicate member names at its top level.
func strictJSON(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	t, err := d.Token()
	if err != nil || t != json.Delim('{') {
		return errors.New("not a JSON object")
	}
	seen := map[string]bool{}
	for d.More() {
		t, err := d.Token()
		if err != nil {
			return errors.New("not JSON")
		}
		name, _ := t.(string)
		if seen[name] {
			return fmt.Errorf("%q is repeated", name)
		}
		seen[name] = true
		var skip json.RawMessage
		if err := d.Decode(&skip); err != nil {
			return errors.New("not JSON")
		}
	}
	if _, err := d.Token(); err != nil {
		return errors.New("not JSON")
	}
	if d.More() {
		return errors.New("data after the object")
	}
	if err := json.Unmarshal(b, v); err != nil {
		return errors.New("members of the wrong type")
	}
	return nil
}

// verifyProof checks a key proof as the specification says (#verifying-
// key-proof): its form (parseProof), the key it names or gives (a DID URL
// resolved with the Server's Resolver to a key bound to its DID, or a
// public JWK, which becomes a did:jwk), its signature with that key and
// nothing else, its aud (the Credential Issuer Identifier), its iat (not
// in the future), and its nonce, a c_nonce of the Server's, which it
// uses up. It returns the DID of the key: the credential's subject.
// The error wraps errProof or errNonce.
func (s *Server) verifyProof(ctx context.Context, token string) (holder string, err error) {
	p, err := parseProof(token)
	if err != nil {
		return "", err
	}
	var pub crypto.PublicKey
	if p.kid != "" {
		if !strings.HasPrefix(p.kid, "did:") || len(p.kid) > did.MaxReferenceLen {
			return "", fmt.Errorf("%w: kid is not a DID URL", errProof)
		}
		vm, err := s.resolver.Resolve(ctx, p.kid)
		if err != nil {
			return "", fmt.Errorf("%w: the key %s: %w", errProof, p.kid, err)
		}
		if vm.Binding != did.BindingSelf && vm.Binding != did.BindingDocument {
			return "", fmt.Errorf("%w: the key %s is not confirmed as its DID's (%s)", errProof, p.kid, vm.Binding)
		}
		if vm.Relationships != nil && !slices.Contains(vm.Relationships, did.Authentication) && !slices.Contains(vm.Relationships, did.AssertionMethod) {
			return "", fmt.Errorf("%w: %s's document does not list the key %s for authentication", errProof, vm.Controller, p.kid)
		}
		pub, holder = vm.PublicKey, vm.Controller
	} else {
		if len(p.jwk) > keys.MaxJWKSize {
			return "", fmt.Errorf("%w: the jwk is over %d bytes", errProof, keys.MaxJWKSize)
		}
		if pub, _, err = keys.ParsePublicJWK(p.jwk); err != nil {
			return "", fmt.Errorf("%w: the jwk: %w", errProof, err)
		}
		// The did:jwk is the JWK as the wallet wrote it (compacted), not
		// as this package would: a wallet that makes its did:jwk from its
		// own JWK then finds it in the credential, byte for byte.
		var compact bytes.Buffer
		if err := json.Compact(&compact, p.jwk); err != nil {
			return "", fmt.Errorf("%w: the jwk: %w", errProof, err)
		}
		holder = "did:jwk:" + base64.RawURLEncoding.EncodeToString(compact.Bytes())
		if _, err := keys.ParseDIDJWK(holder); err != nil {
			return "", fmt.Errorf("%w: the jwk as a did:jwk: %w", errProof, err)
		}
	}
	if _, _, err := jose.VerifySignature([]byte(token), pub); err != nil {
		return "", fmt.Errorf("%w: %w", errProof, err)
	}
	if !slices.Contains(p.aud, s.base) {
		return "", fmt.Errorf("%w: aud is not this Credential Issuer (%s)", errProof, s.base)
	}
	now := s.now()
	if time.Unix(p.iat, 0).After(now.Add(proofClockSkew)) {
		return "", fmt.Errorf("%w: iat is in the future", errProof)
	}
	// The nonce is used up last, so that a forged or malformed proof does
	// not spend a wallet's nonce.
	payload, exp, err := s.sealer.open("nonce", p.nonce, now)
	if err != nil || len(payload) != 8 {
		return "", fmt.Errorf("%w: not one of this issuer's, or expired: ask the nonce endpoint for another", errNonce)
	}
	if err := s.store.Put(ctx, storeKey("nonce", p.nonce), nil, exp); err != nil {
		if errors.Is(err, ErrExists) {
			return "", fmt.Errorf("%w: used: ask the nonce endpoint for another", errNonce)
		}
		return "", err
	}
	issued := time.Unix(int64(binary.BigEndian.Uint64(payload)), 0)
	if time.Unix(p.iat, 0).Before(issued.Add(-proofClockSkew)) {
		return "", fmt.Errorf("%w: the proof's iat is before the nonce was given", errProof)
	}
	return holder, nil
}
