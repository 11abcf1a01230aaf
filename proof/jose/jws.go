package jose

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"

	"github.com/go-openbadges/openbadges/internal/signature"
	"github.com/go-openbadges/openbadges/keys"
)

// The compact JWS serialization (RFC 7515 §7.1) is written and checked
// here with the standard library's crypto: base64url and one signature,
// made and checked by internal/signature (which also does the conversion
// RFC 7518 §3.4 asks of ECDSA, r ‖ s). The five algorithms are those
// keys.AlgorithmOf names; nothing else is ever produced or accepted. (jwx
// did the same, at twice the cost of the Ed25519 signature itself.)

// protectedHeader returns the JSON of a protected header, members in
// lexicographical order.
func protectedHeader(alg keys.Algorithm, typ, cty, kid string, jwk json.RawMessage) []byte {
	b := []byte(`{"alg":`)
	str := func(s string) {
		q, _ := json.Marshal(s) // a string always encodes
		b = append(b, q...)
	}
	str(string(alg))
	if cty != "" {
		b = append(b, `,"cty":`...)
		str(cty)
	}
	if len(jwk) > 0 {
		b = append(b, `,"jwk":`...)
		b = append(b, jwk...)
	}
	if kid != "" {
		b = append(b, `,"kid":`...)
		str(kid)
	}
	if typ != "" {
		b = append(b, `,"typ":`...)
		str(typ)
	}
	return append(b, '}')
}

// compactJWS signs header and the payload made of parts (concatenated)
// with key, whose public key is pub and which is given ctx if it is a
// keys.ContextSigner, and returns the token.
func compactJWS(ctx context.Context, key crypto.Signer, pub crypto.PublicKey, alg keys.Algorithm, header []byte, parts ...[]byte) (string, error) {
	enc := base64.RawURLEncoding
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	buf := make([]byte, 0, enc.EncodedLen(len(header))+1+enc.EncodedLen(n)+1+enc.EncodedLen(512))
	buf = enc.AppendEncode(buf, header)
	buf = append(buf, '.')
	buf = appendBase64(buf, parts...)
	sig, err := signJWS(ctx, key, pub, alg, buf)
	if err != nil {
		return "", err
	}
	buf = append(buf, '.')
	buf = enc.AppendEncode(buf, sig)
	return string(buf), nil
}

// appendBase64 appends the unpadded base64url encoding of the
// concatenation of parts, without concatenating them.
func appendBase64(dst []byte, parts ...[]byte) []byte {
	enc := base64.RawURLEncoding
	var carry [3]byte
	n := 0 // bytes in carry
	for _, p := range parts {
		for n > 0 && len(p) > 0 {
			carry[n] = p[0]
			n++
			p = p[1:]
			if n == 3 {
				dst = enc.AppendEncode(dst, carry[:])
				n = 0
			}
		}
		if n > 0 {
			continue // p is used up, the carry not yet full
		}
		whole := len(p) / 3 * 3
		dst = enc.AppendEncode(dst, p[:whole])
		n = copy(carry[:], p[whole:])
	}
	return enc.AppendEncode(dst, carry[:n])
}

// signJWS returns the JWS signature of input: Ed25519 over the bytes,
// RSASSA-PKCS1-v1_5 or ECDSA (as r ‖ s) over their SHA-2 digest. A
// keys.ContextSigner is given ctx.
func signJWS(ctx context.Context, key crypto.Signer, pub crypto.PublicKey, alg keys.Algorithm, input []byte) ([]byte, error) {
	h, ok := hashOf(alg)
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrAlgorithm, alg)
	}
	return signature.Sign(ctx, key, pub, h, input)
}

// verifyJWS reports whether sig is alg's signature of input by pub.
func verifyJWS(pub crypto.PublicKey, alg keys.Algorithm, input, sig []byte) bool {
	h, ok := hashOf(alg)
	if !ok {
		return false
	}
	switch k := pub.(type) {
	case ed25519.PublicKey:
		ok = alg == keys.EdDSA
	case *rsa.PublicKey:
		ok = alg == keys.RS256
	case *ecdsa.PublicKey:
		// RFC 7518 §3.4: r and s are 32, 48 and 66 bytes, the curve's
		// order in whole bytes.
		size := 32
		switch alg {
		case keys.ES384:
			size = 48
		case keys.ES512:
			size = 66
		}
		ok = alg != keys.EdDSA && alg != keys.RS256 && (k.Curve.Params().BitSize+7)/8 == size
	default:
		ok = false
	}
	return ok && signature.Verify(pub, h, input, sig)
}

// hashOf returns the hash alg signs the digest of, 0 for EdDSA, which
// signs the input itself; false for an algorithm not accepted.
func hashOf(alg keys.Algorithm) (crypto.Hash, bool) {
	switch alg {
	case keys.EdDSA:
		return 0, true
	case keys.RS256, keys.ES256:
		return crypto.SHA256, true
	case keys.ES384:
		return crypto.SHA384, true
	case keys.ES512:
		return crypto.SHA512, true
	}
	return 0, false
}

// decodeSegment is base64.RawURLEncoding.DecodeString of a JWS segment,
// without a copy of it as a string first.
func decodeSegment(b []byte) ([]byte, error) {
	out := make([]byte, base64.RawURLEncoding.DecodedLen(len(b)))
	n, err := base64.RawURLEncoding.Decode(out, b)
	if err != nil {
		return nil, err
	}
	return out[:n], nil
}

// splitCompact trims token, bounds it by maxBytes, and decodes the header
// and payload of the compact JWS it is; parts are its three parts as
// received. Every error wraps ErrMalformed.
func splitCompact(token []byte, maxBytes int) (trimmed, headerJSON, payload []byte, parts [][]byte, err error) {
	return splitCompactInto(token, maxBytes, nil)
}

// splitCompactInto is splitCompact with the header decoded into
// headerBuf (appended to headerBuf[:0], which grows it if need be).
func splitCompactInto(token []byte, maxBytes int, headerBuf []byte) (trimmed, headerJSON, payload []byte, parts [][]byte, err error) {
	token = bytes.TrimSpace(token)
	if len(token) > maxBytes {
		return nil, nil, nil, nil, fmt.Errorf("%w: %d bytes, over the limit of %d", ErrMalformed, len(token), maxBytes)
	}
	parts = bytes.Split(token, []byte("."))
	if len(parts) != 3 {
		return nil, nil, nil, nil, fmt.Errorf("%w: a compact JWS has three parts separated by dots, this has %d", ErrMalformed, len(parts))
	}
	if headerBuf == nil {
		headerJSON, err = decodeSegment(parts[0])
	} else {
		headerJSON, err = base64.RawURLEncoding.AppendDecode(headerBuf[:0], parts[0])
	}
	if err != nil {
		return nil, nil, nil, nil, fmt.Errorf("%w: header: %w", ErrMalformed, err)
	}
	if payload, err = decodeSegment(parts[1]); err != nil {
		return nil, nil, nil, nil, fmt.Errorf("%w: payload: %w", ErrMalformed, err)
	}
	return token, headerJSON, payload, parts, nil
}
