package jose

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"

	"github.com/go-openbadges/openbadges/keys"
)

// The compact JWS serialization (RFC 7515 §7.1) is written and checked
// here with the standard library's crypto: base64url, one signature, and
// the conversions RFC 7518 §3.4 asks of ECDSA. The five algorithms are
// those keys.AlgorithmOf names; nothing else is ever produced or accepted.
// (jwx did the same, at twice the cost of the Ed25519 signature itself.)

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
// with key and returns the token.
func compactJWS(key crypto.Signer, alg keys.Algorithm, header []byte, parts ...[]byte) (string, error) {
	enc := base64.RawURLEncoding
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	buf := make([]byte, 0, enc.EncodedLen(len(header))+1+enc.EncodedLen(n)+1+enc.EncodedLen(512))
	buf = enc.AppendEncode(buf, header)
	buf = append(buf, '.')
	buf = appendBase64(buf, parts...)
	sig, err := signJWS(key, alg, buf)
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
// RSASSA-PKCS1-v1_5 or ECDSA (as r ‖ s) over their SHA-2 digest.
func signJWS(key crypto.Signer, alg keys.Algorithm, input []byte) ([]byte, error) {
	switch alg {
	case keys.EdDSA:
		return key.Sign(rand.Reader, input, crypto.Hash(0))
	case keys.RS256:
		d := sha256.Sum256(input)
		return key.Sign(rand.Reader, d[:], crypto.SHA256)
	case keys.ES256, keys.ES384, keys.ES512:
		h, size := ecdsaParams(alg)
		d := digest(h, input)
		der, err := key.Sign(rand.Reader, d, h)
		if err != nil {
			return nil, err
		}
		var rs struct{ R, S *big.Int }
		if rest, err := asn1.Unmarshal(der, &rs); err != nil || len(rest) > 0 || rs.R.Sign() <= 0 || rs.S.Sign() <= 0 {
			return nil, errors.New("jose: the ECDSA signer returned a signature that is not ASN.1 DER (r, s)")
		}
		if rs.R.BitLen() > 8*size || rs.S.BitLen() > 8*size {
			return nil, fmt.Errorf("jose: the ECDSA signer's signature does not fit %s", alg)
		}
		sig := make([]byte, 2*size)
		rs.R.FillBytes(sig[:size])
		rs.S.FillBytes(sig[size:])
		return sig, nil
	}
	return nil, fmt.Errorf("%w: %s", ErrAlgorithm, alg)
}

// verifyJWS reports whether sig is alg's signature of input by pub.
func verifyJWS(pub crypto.PublicKey, alg keys.Algorithm, input, sig []byte) bool {
	switch alg {
	case keys.EdDSA:
		k, ok := pub.(ed25519.PublicKey)
		return ok && len(k) == ed25519.PublicKeySize && len(sig) == ed25519.SignatureSize && ed25519.Verify(k, input, sig)
	case keys.RS256:
		k, ok := pub.(*rsa.PublicKey)
		d := sha256.Sum256(input)
		return ok && rsa.VerifyPKCS1v15(k, crypto.SHA256, d[:], sig) == nil
	case keys.ES256, keys.ES384, keys.ES512:
		k, ok := pub.(*ecdsa.PublicKey)
		h, size := ecdsaParams(alg)
		if !ok || (k.Curve.Params().BitSize+7)/8 != size || len(sig) != 2*size {
			return false
		}
		r, s := new(big.Int).SetBytes(sig[:size]), new(big.Int).SetBytes(sig[size:])
		return ecdsa.Verify(k, digest(h, input), r, s)
	}
	return false
}

// ecdsaParams returns the hash and the size in bytes of r and s of an
// ECDSA algorithm (RFC 7518 §3.4: 32, 48 and 66, the curve's order in
// whole bytes).
func ecdsaParams(alg keys.Algorithm) (crypto.Hash, int) {
	switch alg {
	case keys.ES384:
		return crypto.SHA384, 48
	case keys.ES512:
		return crypto.SHA512, 66
	}
	return crypto.SHA256, 32
}

// digest returns the SHA-2 digest h of b.
func digest(h crypto.Hash, b []byte) []byte {
	switch h {
	case crypto.SHA384:
		d := sha512.Sum384(b)
		return d[:]
	case crypto.SHA512:
		d := sha512.Sum512(b)
		return d[:]
	}
	d := sha256.Sum256(b)
	return d[:]
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
	token = bytes.TrimSpace(token)
	if len(token) > maxBytes {
		return nil, nil, nil, nil, fmt.Errorf("%w: %d bytes, over the limit of %d", ErrMalformed, len(token), maxBytes)
	}
	parts = bytes.Split(token, []byte("."))
	if len(parts) != 3 {
		return nil, nil, nil, nil, fmt.Errorf("%w: a compact JWS has three parts separated by dots, this has %d", ErrMalformed, len(parts))
	}
	if headerJSON, err = decodeSegment(parts[0]); err != nil {
		return nil, nil, nil, nil, fmt.Errorf("%w: header: %w", ErrMalformed, err)
	}
	if payload, err = decodeSegment(parts[1]); err != nil {
		return nil, nil, nil, nil, fmt.Errorf("%w: payload: %w", ErrMalformed, err)
	}
	return token, headerJSON, payload, parts, nil
}
