package jose

import (
	"bytes"
	"crypto"
	"encoding/base64"
	"fmt"

	"github.com/go-openbadges/openbadges/keys"
)

// VerifySignature checks that the compact JWS token is signed by pub, and
// nothing else: its protected header, read as strictly as Verify reads a
// credential's (never "none" or an HMAC; no crit, b64, jku, x5u or
// certificate members), an alg that is the one pub signs with
// (keys.AlgorithmOf), and the signature over the header and payload
// exactly as received. It returns the header and the decoded payload,
// which it does not read.
//
// It is for a JWS whose payload is not a credential, such as a signed Open
// Badges 2.0 assertion: the caller finds pub and decides whose key it is. A
// kid or jwk in the header is returned, never used. The error wraps
// ErrMalformed, ErrHeader, ErrAlgorithm or ErrSignature.
func VerifySignature(token []byte, pub crypto.PublicKey) (*Header, []byte, error) {
	token, headerJSON, payload, parts, err := splitCompact(token, DefaultMaxBytes)
	if err != nil {
		return nil, nil, err
	}
	sig, err := base64.RawURLEncoding.DecodeString(string(parts[2]))
	if err != nil {
		return nil, nil, fmt.Errorf("%w: the signature is not base64url: %w", ErrSignature, err)
	}
	var h Header
	if err := (&Verifier{}).readHeader(headerJSON, &h); err != nil {
		return nil, nil, err
	}
	alg, err := keys.AlgorithmOf(pub)
	if err != nil {
		return &h, payload, fmt.Errorf("%w: %w", ErrAlgorithm, err)
	}
	if string(alg) != h.Algorithm {
		return &h, payload, fmt.Errorf("%w: alg %s does not fit the %s key", ErrAlgorithm, h.Algorithm, keyKind(pub))
	}
	dot := bytes.LastIndexByte(token, '.')
	if !verifyJWS(pub, alg, token[:dot], sig) {
		return &h, payload, fmt.Errorf("%w: the signature does not verify with the %s key", ErrSignature, keyKind(pub))
	}
	return &h, payload, nil
}
