// Package keys is where an issuer's signing keys live and how they are
// written down: a Store of keys (any crypto.Signer, so a cloud KMS or an HSM
// fits), key generation, and the encodings verifiers read (JWK, Multikey,
// did:key, did:jwk). Start with Generate and NewKey, and a Store:
// MemoryStore, OpenDir, or your own over a KMS.
//
// It knows nothing about credentials. Package did resolves the encodings
// written here back to public keys; the proof packages sign with a Key's
// Signer.
package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"filippo.io/edwards25519"
)

// Type names a kind of key this package generates and encodes.
type Type string

// The key types.
const (
	Ed25519 Type = "ed25519" // Ed25519 (EdDSA), the OB 3.0 Data Integrity key
	P256    Type = "p256"    // ECDSA on NIST P-256 (ES256)
	P384    Type = "p384"    // ECDSA on NIST P-384 (ES384)
	P521    Type = "p521"    // ECDSA on NIST P-521 (ES512)
	RSA2048 Type = "rsa2048" // RSA with a 2048-bit modulus (RS256)
	RSA3072 Type = "rsa3072" // RSA with a 3072-bit modulus (RS256)
)

// Types lists every Type, in the order above.
func Types() []Type { return []Type{Ed25519, P256, P384, P521, RSA2048, RSA3072} }

// ParseType reads a key type name: one of the Type constants, or the
// aliases "p-256", "p-384", "p-521" and "rsa" (RSA2048).
func ParseType(s string) (Type, error) {
	switch strings.ToLower(s) {
	case "ed25519":
		return Ed25519, nil
	case "p256", "p-256":
		return P256, nil
	case "p384", "p-384":
		return P384, nil
	case "p521", "p-521":
		return P521, nil
	case "rsa", "rsa2048":
		return RSA2048, nil
	case "rsa3072":
		return RSA3072, nil
	}
	return "", fmt.Errorf("keys: unknown key type %q (want ed25519, p256, p384, p521, rsa2048 or rsa3072)", s)
}

// Generate makes a new private key of type t with crypto/rand.
func Generate(t Type) (crypto.Signer, error) {
	switch t {
	case Ed25519:
		_, priv, err := ed25519.GenerateKey(rand.Reader)
		return priv, err
	case P256:
		return ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case P384:
		return ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	case P521:
		return ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	case RSA2048:
		return rsa.GenerateKey(rand.Reader, 2048)
	case RSA3072:
		return rsa.GenerateKey(rand.Reader, 3072)
	}
	return nil, fmt.Errorf("keys: cannot generate a key of unknown type %q", t)
}

// Algorithm is a JOSE signature algorithm name (RFC 7518, RFC 8037).
type Algorithm string

// The algorithms a Key signs with, one per key family.
const (
	EdDSA Algorithm = "EdDSA" // Ed25519
	ES256 Algorithm = "ES256" // ECDSA P-256 with SHA-256
	ES384 Algorithm = "ES384" // ECDSA P-384 with SHA-384
	ES512 Algorithm = "ES512" // ECDSA P-521 with SHA-512
	RS256 Algorithm = "RS256" // RSASSA-PKCS1-v1_5 with SHA-256
)

// MinRSABits is the smallest RSA modulus this package accepts, in bits.
const MinRSABits = 2048

// ErrUnsupportedKey is wrapped by errors about a key of a type or size this
// package does not handle.
var ErrUnsupportedKey = errors.New("keys: unsupported key")

// ErrInvalidPublicKey is wrapped by errors about a public key that is
// encoded correctly but is not a usable key: an Ed25519 key that is not the
// canonical encoding of a point on the curve, or a point of small order, and
// an ECDSA point that is not on its curve. The did:key specification calls
// this error invalidPublicKey, the name its message carries.
var ErrInvalidPublicKey = errors.New("keys: invalid public key (invalidPublicKey)")

// checkEd25519 checks that b is a public key an Ed25519 signature can be
// bound to: the canonical encoding (RFC 8032 §5.1.2) of a point on the
// curve, of more than small order. Its errors wrap ErrInvalidPublicKey.
//
// A point of small order (the identity and the other seven points whose
// order divides the cofactor 8) is refused because it has no private key:
// with one, a signature made by nobody passes a cofactorless verification
// (with the identity, S = r and R = [r]B verify any message), so a key made
// of it is a key anyone can sign for. Honest key generation never yields
// one, and the test costs three point doublings.
//
// A point with a small-order component added to a point of prime order
// ("mixed order") is kept: signing with it still needs the private scalar,
// so it cannot forge; refusing it would take a full scalar multiplication
// per key parsed, and crypto/ed25519 accepts it too.
//
// A non-canonical encoding (a y coordinate of p or more, which
// edwards25519 accepts, as most implementations do) is refused so that a
// key has one encoding, and so one did:key.
//
// The check costs a square root in the field, several times what reading
// the key otherwise costs; a verifier meets the same issuers' keys again
// and again, so the keys that passed are remembered (validEd25519).
func checkEd25519(b []byte) error {
	if len(b) != ed25519.PublicKeySize {
		return fmt.Errorf("%w: Ed25519 public key of %d bytes, want %d", ErrInvalidPublicKey, len(b), ed25519.PublicKeySize)
	}
	key := [ed25519.PublicKeySize]byte(b)
	if _, ok := validEd25519.Load(key); ok {
		return nil
	}
	p, err := new(edwards25519.Point).SetBytes(b)
	if err != nil {
		return fmt.Errorf("%w: Ed25519 key is not a point on the curve", ErrInvalidPublicKey)
	}
	if !canonicalY(b) {
		return fmt.Errorf("%w: Ed25519 key is not the canonical encoding of its point", ErrInvalidPublicKey)
	}
	if new(edwards25519.Point).MultByCofactor(p).Equal(edwards25519.NewIdentityPoint()) == 1 {
		return fmt.Errorf("%w: Ed25519 key is a point of small order, for which anyone can forge signatures", ErrInvalidPublicKey)
	}
	if _, loaded := validEd25519.LoadOrStore(key, struct{}{}); !loaded && validEd25519N.Add(1) > maxValidEd25519 {
		validEd25519.Clear()
		validEd25519N.Store(0)
	}
	return nil
}

// canonicalY reports whether b is a canonical Ed25519 encoding (RFC 8032
// §5.1.2): its y coordinate (little-endian, the top bit being the sign of
// x) below p = 2^255 - 19, and no sign bit set for x = 0, which only the
// points with y = 1 and y = p - 1 have.
func canonicalY(b []byte) bool {
	mid := func(c byte) bool { // bytes 1..30 all c
		for _, x := range b[1:31] {
			if x != c {
				return false
			}
		}
		return true
	}
	top := b[31] & 0x7f
	switch {
	case top == 0x7f && b[0] >= 0xed && mid(0xff): // y >= p
		return false
	case b[31]&0x80 != 0 && (top == 0 && b[0] == 1 && mid(0) || top == 0x7f && b[0] == 0xec && mid(0xff)): // x = -0
		return false
	}
	return true
}

// validEd25519 holds Ed25519 keys checkEd25519 accepted, as
// [ed25519.PublicKeySize]byte; validEd25519N counts them, and the set is
// emptied when it passes maxValidEd25519, which bounds its memory.
var (
	validEd25519    sync.Map
	validEd25519N   atomic.Int64
	maxValidEd25519 int64 = 4096
)

// wrapErr is an error with a message of its own that wraps several
// errors, so that a JWK error about an unsupported key is both ErrJWK and
// ErrUnsupportedKey without saying "keys:" twice.
type wrapErr struct {
	msg  string
	errs []error
}

func (e *wrapErr) Error() string   { return e.msg }
func (e *wrapErr) Unwrap() []error { return e.errs }

// nest returns an error wrapping outer and inner that reads outer's
// message, ": ", prefix, and inner's message without its "keys: ".
func nest(outer error, prefix string, inner error) error {
	return &wrapErr{
		msg:  outer.Error() + ": " + prefix + strings.TrimPrefix(inner.Error(), "keys: "),
		errs: []error{outer, inner},
	}
}

// unsupportedJWK returns an error wrapping ErrJWK and ErrUnsupportedKey.
func unsupportedJWK(format string, args ...any) error {
	return nest(ErrJWK, "", fmt.Errorf("%w: "+format, append([]any{ErrUnsupportedKey}, args...)...))
}

// AlgorithmOf returns the algorithm a public key signs with: EdDSA for
// Ed25519, ES256 for P-256, ES384 for P-384, ES512 for P-521, RS256 for
// RSA of at least MinRSABits. Other keys are an error wrapping
// ErrUnsupportedKey.
func AlgorithmOf(pub crypto.PublicKey) (Algorithm, error) {
	switch k := pub.(type) {
	case ed25519.PublicKey:
		if len(k) != ed25519.PublicKeySize {
			return "", fmt.Errorf("%w: Ed25519 public key of %d bytes", ErrUnsupportedKey, len(k))
		}
		return EdDSA, nil
	case *ecdsa.PublicKey:
		if k == nil || k.Curve == nil {
			return "", fmt.Errorf("%w: ECDSA public key without a curve", ErrUnsupportedKey)
		}
		switch k.Curve {
		case elliptic.P256():
			return ES256, nil
		case elliptic.P384():
			return ES384, nil
		case elliptic.P521():
			return ES512, nil
		}
		return "", fmt.Errorf("%w: ECDSA on %s", ErrUnsupportedKey, k.Curve.Params().Name)
	case *rsa.PublicKey:
		if k == nil || k.N == nil {
			return "", fmt.Errorf("%w: RSA public key without a modulus", ErrUnsupportedKey)
		}
		if k.N.BitLen() < MinRSABits {
			return "", fmt.Errorf("%w: RSA key of %d bits, the minimum is %d", ErrUnsupportedKey, k.N.BitLen(), MinRSABits)
		}
		if k.N.Bit(0) == 0 || k.E < 3 || k.E&1 == 0 {
			return "", fmt.Errorf("%w: RSA key with an even modulus or exponent, or an exponent below 3", ErrUnsupportedKey)
		}
		return RS256, nil
	}
	return "", fmt.Errorf("%w: %T", ErrUnsupportedKey, pub)
}

// TypeOf returns the Type of a public key. An RSA key of 3072 bits or
// more is RSA3072; a smaller one (of at least MinRSABits) is RSA2048.
func TypeOf(pub crypto.PublicKey) (Type, error) {
	alg, err := AlgorithmOf(pub)
	if err != nil {
		return "", err
	}
	switch alg {
	case EdDSA:
		return Ed25519, nil
	case ES256:
		return P256, nil
	case ES384:
		return P384, nil
	case ES512:
		return P521, nil
	}
	if pub.(*rsa.PublicKey).N.BitLen() >= 3072 {
		return RSA3072, nil
	}
	return RSA2048, nil
}

// A Key is a signing key and what a verifier needs to know about it.
//
// Printing a Key (with any fmt verb) shows its metadata and never its
// private key. (fmt cannot call the methods of a value in an unexported
// struct field and prints it field by field; a struct keeping a Key in an
// unexported field should keep a *Key, which fmt prints as an address.)
type Key struct {
	// ID identifies the key: the verification method URL a proof names,
	// such as "did:web:example.edu#key-1" or "https://example.edu/issuers/1#key-1".
	ID string
	// Controller is the DID or URL of whoever controls the key: the issuer.
	Controller string
	// Algorithm is what the key signs with.
	Algorithm Algorithm
	// Public is the public key: ed25519.PublicKey, *ecdsa.PublicKey or
	// *rsa.PublicKey.
	Public crypto.PublicKey
	// Signer performs the private key operation. It is nil for a retired
	// key, of which only the public part is kept. Any crypto.Signer will do:
	// a key in memory, or one whose Sign calls a KMS or an HSM.
	Signer crypto.Signer
	// NotBefore is when the key began to sign; zero means it always could.
	NotBefore time.Time
	// NotAfter is when the key was retired and stopped signing; zero means it
	// has not been.
	NotAfter time.Time
}

// NewKey describes signer as a Key with the given ID and controller; the
// public key and algorithm come from the signer.
func NewKey(id, controller string, signer crypto.Signer) (*Key, error) {
	if signer == nil {
		return nil, errors.New("keys: NewKey needs a signer")
	}
	pub := signer.Public() // once: for a KMS, this may be a call
	alg, err := AlgorithmOf(pub)
	if err != nil {
		return nil, err
	}
	return &Key{ID: id, Controller: controller, Algorithm: alg, Public: pub, Signer: signer}, nil
}

// ValidAt reports whether the key could sign at t: t is not before
// NotBefore and, if the key was retired, before NotAfter. A signature
// dated outside this window was not made with the key in service.
func (k *Key) ValidAt(t time.Time) bool {
	if !k.NotBefore.IsZero() && t.Before(k.NotBefore) {
		return false
	}
	return k.NotAfter.IsZero() || t.Before(k.NotAfter)
}

// Retired reports whether the key has been retired.
func (k *Key) Retired() bool { return !k.NotAfter.IsZero() }

// String describes the key without its private part.
func (k Key) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Key{ID: %q, Controller: %q, Algorithm: %s", k.ID, k.Controller, k.Algorithm)
	if k.Signer != nil {
		b.WriteString(", Signer: [redacted]")
	}
	if !k.NotBefore.IsZero() {
		fmt.Fprintf(&b, ", NotBefore: %s", k.NotBefore.UTC().Format(time.RFC3339))
	}
	if !k.NotAfter.IsZero() {
		fmt.Fprintf(&b, ", NotAfter: %s", k.NotAfter.UTC().Format(time.RFC3339))
	}
	b.WriteString("}")
	return b.String()
}

// Format prints the key as String does, whatever the verb and flags, so
// that no log line can carry the private key by accident.
func (k Key) Format(f fmt.State, verb rune) { fmt.Fprint(f, k.String()) }
