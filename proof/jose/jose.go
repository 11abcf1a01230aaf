// Package jose signs and verifies credentials as compact JWS: the Open
// Badges 3.0 VC-JWT (typ JWT, the credential as the payload with iss, jti,
// sub, nbf and exp claims), the W3C VC-JOSE form (typ vc+jwt), and, for
// verification only, VCDM 1.1 JWTs that carry the credential in a vc claim.
// Start with Signer.Sign and Verifier.Verify.
//
// It is strict where JOSE is loose: only RS256, ES256, ES384, ES512 and
// EdDSA are accepted, never "none" or an HMAC; the algorithm must fit the
// key; a header jwk must be a public key and is reported as unconfirmed
// unless something binds it to the issuer; a kid is only a hint of which
// of the issuer's keys signed; crit, b64 and certificate or URL key sources
// are refused; and the claims must say what the credential says.
// The compact JWS is written and checked with the standard library's
// crypto; a header jwk is read with keys.ParsePublicJWK.
package jose

import (
	"errors"
	"fmt"

	"github.com/go-openbadges/openbadges/keys"
)

// Format is the kind of JWT a credential travels in.
type Format int

const (
	// FormatVCJWT is the Open Badges 3.0 VC-JWT: header typ "JWT", payload
	// the credential with the registered claims iss, jti, sub, nbf and exp
	// added at its top level.
	FormatVCJWT Format = iota + 1
	// FormatVCJOSE is the W3C VC-JOSE-COSE form: header typ "vc+jwt" (and
	// cty "vc"), payload the credential itself.
	FormatVCJOSE
	// FormatVCDM11 is a VCDM 1.1 JWT: the credential in the vc claim, its
	// issuer, id, subject and dates in iss, jti, sub, nbf and exp. Verified
	// only.
	FormatVCDM11
)

// String returns "VC-JWT", "VC-JOSE" or "VCDM 1.1 JWT".
func (f Format) String() string {
	switch f {
	case FormatVCJWT:
		return "VC-JWT"
	case FormatVCJOSE:
		return "VC-JOSE"
	case FormatVCDM11:
		return "VCDM 1.1 JWT"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// DefaultMaxBytes bounds a token's size when no other limit is set.
const DefaultMaxBytes = 1 << 20

// The algorithms accepted, the only ones: RS256 (what the OB 3.0 spec
// requires every implementation to support, and the signing default for RSA
// keys), ES256, ES384, ES512 (P-521) and EdDSA (Ed25519).
var accepted = []keys.Algorithm{keys.RS256, keys.ES256, keys.ES384, keys.ES512, keys.EdDSA}

// Errors a token fails with, for callers to branch on with errors.Is.
var (
	// ErrMalformed: not a compact JWS, or a header or payload that is not
	// the JSON object it must be, or over the size limit.
	ErrMalformed = errors.New("jose: malformed token")
	// ErrAlgorithm: "none", an HMAC algorithm, any algorithm not accepted,
	// or one that does not fit the key.
	ErrAlgorithm = errors.New("jose: algorithm refused")
	// ErrHeader: a header this package refuses: crit (no extension is
	// understood), b64, x5c, x5u or jku, a jwk with private members, a typ
	// or cty that is not a credential's.
	ErrHeader = errors.New("jose: header refused")
	// ErrKey: the header names no key (neither kid nor jwk), the kid does
	// not resolve (or, being no URL, has no iss claim to be resolved
	// under, or is the thumbprint of none of the iss claim's keys, then
	// also did.ErrNotListed), kid and jwk name different keys, the key is
	// not confirmed as the issuer's (then also did.ErrUnconfirmed), the
	// issuer's document does not list it under assertionMethod, or its
	// controller is not the issuer.
	ErrKey = errors.New("jose: no usable key")
	// ErrSignature: the signature does not verify with the key.
	ErrSignature = errors.New("jose: the signature does not verify")
	// ErrClaims: a registered claim contradicts the credential (iss is not
	// the issuer, jti not the id, sub not the subject, nbf not validFrom, exp
	// not validUntil), or a claim is missing that must be there.
	ErrClaims = errors.New("jose: the claims do not match the credential")
	// ErrNotCredential: the payload is not a credential.
	ErrNotCredential = errors.New("jose: the payload is not a credential")
)
