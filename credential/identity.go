package credential

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// SaltSize is the number of random bytes NewHashedIdentity uses as salt
// (hex-encoded in the IdentityObject).
const SaltSize = 16

// ErrUnsupportedHash is wrapped by Match when an identityHash names an
// algorithm other than sha256 or md5, or is not hex.
var ErrUnsupportedHash = errors.New("credential: identityHash is not sha256$<hex> or md5$<hex>")

// HashIdentity returns the OB 3.0 IdentityHash of identifier salted with
// salt: "sha256$" followed by the lower-case hex SHA-256 of the UTF-8 bytes
// of identifier+salt. For example HashIdentity("a@example.com", "Kosher")
// is "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399".
func HashIdentity(identifier, salt string) string {
	sum := sha256.Sum256([]byte(identifier + salt))
	return "sha256$" + hex.EncodeToString(sum[:])
}

// NewHashedIdentity returns an IdentityObject for identifier, hashed with
// SHA-256 and a fresh random salt of SaltSize bytes, so the credential does
// not reveal the identifier to those who do not already know it. Normalize
// the identifier first (for instance, lower-case an email address) the same
// way everyone who will check it does.
func NewHashedIdentity(typ IdentifierType, identifier string) IdentityObject {
	salt := make([]byte, SaltSize)
	rand.Read(salt) // never fails (crypto/rand)
	s := hex.EncodeToString(salt)
	return IdentityObject{
		Type:         "IdentityObject",
		Hashed:       true,
		IdentityHash: HashIdentity(identifier, s),
		IdentityType: typ,
		Salt:         s,
	}
}

// NewPlainIdentity returns an IdentityObject holding identifier unhashed.
// Prefer NewHashedIdentity for anything personal.
func NewPlainIdentity(typ IdentifierType, identifier string) IdentityObject {
	return IdentityObject{Type: "IdentityObject", IdentityHash: identifier, IdentityType: typ}
}

// Match reports whether identifier is the one o identifies. An unhashed
// IdentityObject is compared with identifier as is; a hashed one by hashing
// identifier with o's salt using the algorithm o names: "sha256$" or
// "md5$" (the two OB 3.0 allows) followed by the hex digest, in either case.
// Comparisons take time independent of where the values differ. The error
// is non-nil, wrapping ErrUnsupportedHash, only when o cannot be checked.
func (o IdentityObject) Match(identifier string) (bool, error) {
	if !o.Hashed {
		return subtle.ConstantTimeCompare([]byte(o.IdentityHash), []byte(identifier)) == 1, nil
	}
	alg, digest, ok := strings.Cut(o.IdentityHash, "$")
	if !ok {
		return false, fmt.Errorf("%w: no algorithm prefix", ErrUnsupportedHash)
	}
	want, err := hex.DecodeString(digest)
	if err != nil {
		return false, fmt.Errorf("%w: digest is not hex", ErrUnsupportedHash)
	}
	var got []byte
	switch strings.ToLower(alg) {
	case "sha256":
		sum := sha256.Sum256([]byte(identifier + o.Salt))
		got = sum[:]
	case "md5":
		sum := md5.Sum([]byte(identifier + o.Salt))
		got = sum[:]
	default:
		return false, fmt.Errorf("%w: algorithm %q", ErrUnsupportedHash, alg)
	}
	if len(want) != len(got) {
		return false, fmt.Errorf("%w: %s digest of %d bytes", ErrUnsupportedHash, alg, len(want))
	}
	return subtle.ConstantTimeCompare(want, got) == 1, nil
}
