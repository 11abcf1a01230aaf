// Package signature is the one place the proof packages make and check
// raw signatures: it dispatches on the key's type (Ed25519, ECDSA, RSA),
// hashes with crypto.SignMessage, turns ECDSA's ASN.1 DER into the
// fixed-size r ‖ s that JWS (RFC 7518 §3.4) and the Data Integrity ECDSA
// cryptosuites both use, and lets a context reach a keys.ContextSigner.
// The callers decide which hash and which key type a format allows.
package signature

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"fmt"
	"math/big"

	"golang.org/x/crypto/cryptobyte"
	casn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/go-openbadges/openbadges/keys"
)

// ErrMalformed is wrapped when a signer returns a signature that is not
// one of its key type: an Ed25519 signature of the wrong size, an ECDSA
// one that is not ASN.1 DER (r, s) or does not fit the curve.
var ErrMalformed = errors.New("the signer returned a malformed signature")

// ErrKeyType is wrapped when the public key is none of Ed25519, ECDSA and
// RSA.
var ErrKeyType = errors.New("unsupported key type")

// Sign signs msg with key, whose public key is pub: Ed25519 signs msg as
// it is (h must be 0), ECDSA and RSA (PKCS #1 v1.5) its digest by h. An
// ECDSA signature is returned as r ‖ s, each padded to the curve's size.
//
// A key that is a keys.ContextSigner is called with ctx and the digest (or
// the message, for Ed25519); any other key through crypto.SignMessage, so
// a crypto.MessageSigner gets the message, after ctx is checked once. The
// signer's error is returned as it is, for the caller to wrap.
func Sign(ctx context.Context, key crypto.Signer, pub crypto.PublicKey, h crypto.Hash, msg []byte) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var size int
	switch k := pub.(type) {
	case ed25519.PublicKey:
		if h != 0 {
			return nil, fmt.Errorf("%w: Ed25519 signs the message, not a %v digest", ErrKeyType, h)
		}
	case *ecdsa.PublicKey:
		size = (k.Curve.Params().BitSize + 7) / 8
		if h == 0 {
			return nil, errors.New("ECDSA signs a digest: no hash given")
		}
	case *rsa.PublicKey:
		if h == 0 {
			return nil, errors.New("RSA signs a digest: no hash given")
		}
	default:
		return nil, fmt.Errorf("%w: %T", ErrKeyType, pub)
	}
	var sig []byte
	var err error
	if cs, ok := key.(keys.ContextSigner); ok {
		d := msg
		if h != 0 {
			d = Digest(h, msg)
		}
		sig, err = cs.SignContext(ctx, d, h)
	} else {
		sig, err = crypto.SignMessage(key, rand.Reader, msg, h)
	}
	if err != nil {
		return nil, err
	}
	switch pub.(type) {
	case ed25519.PublicKey:
		if len(sig) != ed25519.SignatureSize {
			return nil, fmt.Errorf("%w: a %d-byte Ed25519 signature", ErrMalformed, len(sig))
		}
	case *ecdsa.PublicKey:
		return rawECDSA(sig, size)
	}
	return sig, nil
}

// rawECDSA returns the ASN.1 DER ECDSA signature der as r ‖ s, each
// size bytes (IEEE P1363). der must be exactly DER: a SEQUENCE of two
// positive, minimally encoded INTEGERs and nothing else, read with
// cryptobyte as crypto/ecdsa reads it.
func rawECDSA(der []byte, size int) ([]byte, error) {
	var r, s []byte
	in := cryptobyte.String(der)
	var seq cryptobyte.String
	if !in.ReadASN1(&seq, casn1.SEQUENCE) || !in.Empty() ||
		!seq.ReadASN1Integer(&r) || !seq.ReadASN1Integer(&s) || !seq.Empty() ||
		isZero(r) || isZero(s) {
		return nil, fmt.Errorf("%w: an ECDSA signature that is not ASN.1 DER (r, s)", ErrMalformed)
	}
	if len(r) > size || len(s) > size {
		return nil, fmt.Errorf("%w: an ECDSA signature that does not fit the curve's %d bytes", ErrMalformed, size)
	}
	sig := make([]byte, 2*size)
	copy(sig[size-len(r):size], r)
	copy(sig[2*size-len(s):], s)
	return sig, nil
}

// isZero reports whether the big-endian integer b is 0.
func isZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// Verify reports whether sig is pub's signature of msg: Ed25519 over msg
// itself (h is ignored), ECDSA (r ‖ s, each the curve's size) or RSA
// PKCS #1 v1.5 over its digest by h.
func Verify(pub crypto.PublicKey, h crypto.Hash, msg, sig []byte) bool {
	switch k := pub.(type) {
	case ed25519.PublicKey:
		return len(k) == ed25519.PublicKeySize && len(sig) == ed25519.SignatureSize && ed25519.Verify(k, msg, sig)
	case *ecdsa.PublicKey:
		size := (k.Curve.Params().BitSize + 7) / 8
		if len(sig) != 2*size || h == 0 {
			return false
		}
		r, s := new(big.Int).SetBytes(sig[:size]), new(big.Int).SetBytes(sig[size:])
		return ecdsa.Verify(k, Digest(h, msg), r, s)
	case *rsa.PublicKey:
		return h != 0 && rsa.VerifyPKCS1v15(k, h, Digest(h, msg), sig) == nil
	}
	return false
}

// Digest returns the digest of b by h, one of SHA-256, SHA-384 and
// SHA-512, without the allocation of h.New.
func Digest(h crypto.Hash, b []byte) []byte {
	switch h {
	case crypto.SHA384:
		d := sha512.Sum384(b)
		return d[:]
	case crypto.SHA512:
		d := sha512.Sum512(b)
		return d[:]
	case crypto.SHA256:
		d := sha256.Sum256(b)
		return d[:]
	}
	hh := h.New()
	hh.Write(b)
	return hh.Sum(nil)
}
