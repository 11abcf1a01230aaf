package keys

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"encoding/binary"
	"errors"
	"fmt"
	"github.com/go-openbadges/openbadges/internal/base58"
	"math/big"
)

// Multicodec codes of the keys Multikey encodes (multiformats table).
const (
	codecEd25519Pub  = 0xed
	codecEd25519Priv = 0x1300
	codecP256Pub     = 0x1200
	codecP384Pub     = 0x1201
	codecP256Priv    = 0x1306
	codecP384Priv    = 0x1307
)

// ErrMultibase is wrapped by every error decoding a multibase or
// multicodec value.
var ErrMultibase = errors.New("keys: invalid Multikey encoding")

// MaxMultibaseLen bounds the multibase strings this package decodes; the
// longest key it handles (a P-384 secret key) needs under 80 characters.
const MaxMultibaseLen = 256

// PublicKeyMultibase encodes a public key as a Multikey publicKeyMultibase:
// "z" (base58btc) followed by the multicodec code (ed25519-pub, p256-pub or
// p384-pub) and the key: 32 bytes for Ed25519, the compressed point for
// ECDSA. RSA has no Multikey encoding and is an error wrapping
// ErrUnsupportedKey.
func PublicKeyMultibase(pub crypto.PublicKey) (string, error) {
	switch k := pub.(type) {
	case ed25519.PublicKey:
		if len(k) != ed25519.PublicKeySize {
			return "", fmt.Errorf("%w: Ed25519 public key of %d bytes", ErrUnsupportedKey, len(k))
		}
		return multibase(codecEd25519Pub, k), nil
	case *ecdsa.PublicKey:
		raw, err := k.Bytes()
		if err != nil {
			return "", fmt.Errorf("%w: %v", ErrUnsupportedKey, err)
		}
		switch k.Curve {
		case elliptic.P256():
			return multibase(codecP256Pub, compress(raw)), nil
		case elliptic.P384():
			return multibase(codecP384Pub, compress(raw)), nil
		}
		return "", fmt.Errorf("%w: ECDSA on %s has no Multikey encoding here", ErrUnsupportedKey, k.Curve.Params().Name)
	}
	return "", fmt.Errorf("%w: %T has no Multikey encoding", ErrUnsupportedKey, pub)
}

// ParsePublicKeyMultibase decodes a Multikey publicKeyMultibase written by
// PublicKeyMultibase. It refuses an unknown multibase prefix or multicodec
// and a key of the wrong length; an Ed25519 key that is not the canonical
// encoding of a point on the curve, or is a point of small order, and an
// ECDSA point that is not on its curve are refused with an error wrapping
// both ErrMultibase and ErrInvalidPublicKey.
func ParsePublicKeyMultibase(s string) (crypto.PublicKey, error) {
	code, key, err := unmultibase(s)
	if err != nil {
		return nil, err
	}
	switch code {
	case codecEd25519Pub:
		if len(key) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("%w: ed25519-pub key of %d bytes, want %d", ErrMultibase, len(key), ed25519.PublicKeySize)
		}
		if err := checkEd25519(key); err != nil {
			return nil, nest(ErrMultibase, "", err)
		}
		return ed25519.PublicKey(key), nil
	case codecP256Pub:
		return decompress(elliptic.P256(), key)
	case codecP384Pub:
		return decompress(elliptic.P384(), key)
	case codecEd25519Priv, codecP256Priv, codecP384Priv:
		return nil, fmt.Errorf("%w: this is a secret key where a public key is expected", ErrMultibase)
	}
	return nil, fmt.Errorf("%w: unknown multicodec 0x%x", ErrMultibase, code)
}

// SecretKeyMultibase encodes a private key as a Multikey secretKeyMultibase
// (ed25519-priv: the 32-byte seed; p256-priv, p384-priv: the scalar). Treat
// the result like the key itself.
func SecretKeyMultibase(signer crypto.Signer) (string, error) {
	switch k := signer.(type) {
	case ed25519.PrivateKey:
		if len(k) != ed25519.PrivateKeySize {
			return "", fmt.Errorf("%w: Ed25519 private key of %d bytes", ErrUnsupportedKey, len(k))
		}
		return multibase(codecEd25519Priv, k.Seed()), nil
	case *ecdsa.PrivateKey:
		d, err := k.Bytes()
		if err != nil {
			return "", fmt.Errorf("%w: %v", ErrUnsupportedKey, err)
		}
		switch k.Curve {
		case elliptic.P256():
			return multibase(codecP256Priv, d), nil
		case elliptic.P384():
			return multibase(codecP384Priv, d), nil
		}
		return "", fmt.Errorf("%w: ECDSA on %s", ErrUnsupportedKey, k.Curve.Params().Name)
	}
	return "", fmt.Errorf("%w: %T has no Multikey encoding", ErrUnsupportedKey, signer)
}

// ParseSecretKeyMultibase decodes a Multikey secretKeyMultibase. For
// Ed25519 it accepts the 32-byte seed the Multikey format defines and also
// the 64-byte seed-and-public-key form some publishers use (the Open Badges
// 3.0 implementation guide's test key is written that way), whose public
// half must then match the seed. SecretKeyMultibase always writes the
// 32-byte form. Its errors never quote the key.
func ParseSecretKeyMultibase(s string) (crypto.Signer, error) {
	code, key, err := unmultibase(s)
	if err != nil {
		return nil, err
	}
	defer clear(key)
	switch code {
	case codecEd25519Priv:
		switch len(key) {
		case ed25519.SeedSize:
			return ed25519.NewKeyFromSeed(key), nil
		case ed25519.PrivateKeySize:
			priv := ed25519.NewKeyFromSeed(key[:ed25519.SeedSize])
			if !bytes.Equal(priv[ed25519.SeedSize:], key[ed25519.SeedSize:]) {
				return nil, fmt.Errorf("%w: ed25519-priv key whose public half does not match its seed", ErrMultibase)
			}
			return priv, nil
		}
		return nil, fmt.Errorf("%w: ed25519-priv key of %d bytes, want %d (or %d, seed and public key)", ErrMultibase, len(key), ed25519.SeedSize, ed25519.PrivateKeySize)
	case codecP256Priv:
		return parseScalar(elliptic.P256(), key)
	case codecP384Priv:
		return parseScalar(elliptic.P384(), key)
	case codecEd25519Pub, codecP256Pub, codecP384Pub:
		return nil, fmt.Errorf("%w: this is a public key where a secret key is expected", ErrMultibase)
	}
	return nil, fmt.Errorf("%w: unknown multicodec 0x%x", ErrMultibase, code)
}

func parseScalar(c elliptic.Curve, d []byte) (*ecdsa.PrivateKey, error) {
	k, err := ecdsa.ParseRawPrivateKey(c, d)
	if err != nil {
		return nil, fmt.Errorf("%w: %s secret key: %v", ErrMultibase, c.Params().Name, err)
	}
	return k, nil
}

// multibase returns "z" + base58btc(varint(code) || key).
func multibase(code uint64, key []byte) string {
	buf := binary.AppendUvarint(nil, code)
	return "z" + base58.Encode(append(buf, key...))
}

// unmultibase reverses multibase.
func unmultibase(s string) (uint64, []byte, error) {
	if len(s) > MaxMultibaseLen {
		return 0, nil, fmt.Errorf("%w: %d characters, the limit is %d", ErrMultibase, len(s), MaxMultibaseLen)
	}
	if s == "" || s[0] != 'z' {
		return 0, nil, fmt.Errorf("%w: want a base58btc multibase value starting with \"z\"", ErrMultibase)
	}
	raw, err := base58.Decode(s[1:])
	if err != nil {
		return 0, nil, fmt.Errorf("%w: %w", ErrMultibase, err)
	}
	code, n := binary.Uvarint(raw)
	if n <= 0 {
		return 0, nil, fmt.Errorf("%w: no multicodec prefix", ErrMultibase)
	}
	// Multicodec varints are minimal: re-encoding must give the same bytes.
	if n != len(binary.AppendUvarint(nil, code)) {
		return 0, nil, fmt.Errorf("%w: non-minimal multicodec varint", ErrMultibase)
	}
	return code, raw[n:], nil
}

// compress turns an uncompressed SEC 1 point (0x04 || X || Y) into its
// compressed form (0x02 or 0x03 by the parity of Y, then X).
func compress(uncompressed []byte) []byte {
	size := (len(uncompressed) - 1) / 2
	x, y := uncompressed[1:1+size], uncompressed[1+size:]
	out := make([]byte, 1+size)
	out[0] = 2 | y[size-1]&1
	copy(out[1:], x)
	return out
}

// decompress parses a compressed SEC 1 point on curve c, refusing points
// that are not on it.
func decompress(c elliptic.Curve, compressed []byte) (*ecdsa.PublicKey, error) {
	size := (c.Params().BitSize + 7) / 8
	if len(compressed) != 1+size {
		return nil, fmt.Errorf("%w: %s compressed point of %d bytes, want %d", ErrMultibase, c.Params().Name, len(compressed), 1+size)
	}
	x, y := elliptic.UnmarshalCompressed(c, compressed)
	if x == nil {
		return nil, nest(ErrMultibase, "", fmt.Errorf("%w: not a point on %s", ErrInvalidPublicKey, c.Params().Name))
	}
	return uncompressedKey(c, x, y)
}

// uncompressedKey builds a public key from coordinates through the SEC 1
// encoding, which ecdsa checks lies on the curve.
func uncompressedKey(c elliptic.Curve, x, y *big.Int) (*ecdsa.PublicKey, error) {
	size := (c.Params().BitSize + 7) / 8
	raw := make([]byte, 1+2*size)
	raw[0] = 4
	x.FillBytes(raw[1 : 1+size])
	y.FillBytes(raw[1+size:])
	k, err := ecdsa.ParseUncompressedPublicKey(c, raw)
	if err != nil {
		return nil, nest(ErrMultibase, "", fmt.Errorf("%w: %s point: %v", ErrInvalidPublicKey, c.Params().Name, err))
	}
	return k, nil
}
