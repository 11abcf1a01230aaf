package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"

	"github.com/lestrrat-go/jwx/v2/jwk"

	"github.com/go-openbadges/openbadges/internal/jsonobj"
)

// ErrJWK is wrapped by every error decoding a JWK.
var ErrJWK = errors.New("keys: invalid JWK")

// MaxJWKSize bounds the JWKs this package decodes, in bytes; an RSA-4096
// private JWK takes about 3.3 KB.
const MaxJWKSize = 16 << 10

// privateMembers are the JWK members that carry private key material (RFC
// 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2).
var privateMembers = []string{"d", "p", "q", "dp", "dq", "qi", "oth", "k"}

// PublicJWK encodes pub as a public JWK with members kty, crv/x/y or n/e,
// alg, and kid when kid is not empty.
func PublicJWK(pub crypto.PublicKey, kid string) ([]byte, error) {
	alg, err := AlgorithmOf(pub)
	if err != nil {
		return nil, err
	}
	return encodeJWK(pub, alg, kid)
}

// PrivateJWK encodes signer as a private JWK (with the private members d,
// and for RSA p, q, dp, dq, qi), alg, and kid when kid is not empty. Treat
// the result like the key itself.
func PrivateJWK(signer crypto.Signer, kid string) ([]byte, error) {
	alg, err := AlgorithmOf(signer.Public())
	if err != nil {
		return nil, err
	}
	switch signer.(type) {
	case ed25519.PrivateKey, *ecdsa.PrivateKey, *rsa.PrivateKey:
	default:
		return nil, fmt.Errorf("%w: %T keeps its private key elsewhere; it cannot be written as a JWK", ErrUnsupportedKey, signer)
	}
	return encodeJWK(signer, alg, kid)
}

func encodeJWK(raw any, alg Algorithm, kid string) ([]byte, error) {
	k, err := jwk.FromRaw(raw)
	if err != nil {
		return nil, fmt.Errorf("keys: encoding a JWK: %w", err)
	}
	if err := k.Set(jwk.AlgorithmKey, string(alg)); err != nil {
		return nil, err
	}
	if kid != "" {
		if err := k.Set(jwk.KeyIDKey, kid); err != nil {
			return nil, err
		}
	}
	return json.Marshal(k)
}

// ParsePublicJWK decodes a public JWK: an Ed25519 (OKP), P-256, P-384 or
// P-521 (EC) or RSA key of at least MinRSABits. It returns the key and the
// JWK's kid ("" if none). It refuses a JWK carrying private members (a public key
// was expected; accepting one would let a private key travel where only
// public ones should), symmetric keys, coordinates and integers not in the
// exact form RFC 7518 prescribes (unpadded base64url, full-length EC
// coordinates, RSA integers without leading zeros), duplicate members, an
// alg or use that does not fit the key, and a key_ops, x5c, x5t, x5t#S256
// or x5u (never read) not of its JSON type. An Ed25519 key or an EC point
// that is not a valid public key (as ParsePublicKeyMultibase checks) is
// refused with an error wrapping both ErrJWK and ErrInvalidPublicKey.
func ParsePublicJWK(data []byte) (crypto.PublicKey, string, error) {
	members, err := jwkMembers(data)
	if err != nil {
		return nil, "", err
	}
	if _, err := jwkKeyType(members); err != nil {
		return nil, "", err
	}
	for _, m := range privateMembers {
		if _, ok := members[m]; ok {
			return nil, "", fmt.Errorf("%w: private member %q where a public key is expected", ErrJWK, m)
		}
	}
	return parseJWK(data, members)
}

// ParsePrivateJWK decodes a private JWK of a key type ParsePublicJWK
// accepts, checking that its private part matches its public part. Its
// errors never quote the private members.
func ParsePrivateJWK(data []byte) (crypto.Signer, string, error) {
	members, err := jwkMembers(data)
	if err != nil {
		return nil, "", err
	}
	if _, ok := members["d"]; !ok {
		return nil, "", fmt.Errorf("%w: no private key (member \"d\")", ErrJWK)
	}
	k, kid, err := parseJWK(data, members)
	if err != nil {
		return nil, "", err
	}
	signer, ok := k.(crypto.Signer)
	if !ok {
		return nil, "", fmt.Errorf("%w: %T is not a private key", ErrJWK, k)
	}
	return signer, kid, nil
}

// maxJWKDepth bounds the nesting of a JWK's JSON; the deepest member a JWK
// may have ("oth", an array of objects) needs 3 levels.
const maxJWKDepth = 8

// jwkMembers bounds, checks (one well-formed JSON object, no duplicate
// members, which parsers resolve differently) and pre-reads a JWK's members.
func jwkMembers(data []byte) (map[string]json.RawMessage, error) {
	if err := jsonobj.Scan(data, MaxJWKSize, maxJWKDepth); err != nil {
		return nil, nest(ErrJWK, "", err)
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(data, &members); err != nil || members == nil {
		return nil, fmt.Errorf("%w: not a JSON object", ErrJWK)
	}
	return members, nil
}

// stringMember reads the string member name; ok is false when it is
// absent.
func stringMember(members map[string]json.RawMessage, name string) (s string, ok bool, err error) {
	raw, ok := members[name]
	if !ok {
		return "", false, nil
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", true, fmt.Errorf("%w: member %q is not a string", ErrJWK, name)
	}
	return s, true, nil
}

// octetsMember reads the base64url (unpadded, RFC 7515 §2) member name.
// The error names the member and never quotes its value.
func octetsMember(members map[string]json.RawMessage, name string) ([]byte, bool, error) {
	s, ok, err := stringMember(members, name)
	if !ok || err != nil {
		return nil, ok, err
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil {
		return nil, true, fmt.Errorf("%w: member %q is not unpadded base64url", ErrJWK, name)
	}
	return b, true, nil
}

// checkMembers checks the members of a JWK before it is decoded: the key
// type and curve, and the exact form of each value, which jwx does not
// check (it accepts short EC coordinates, padded base64, and RSA exponents
// it then truncates to an int).
func checkMembers(members map[string]json.RawMessage) error {
	kty, err := jwkKeyType(members)
	if err != nil {
		return err
	}
	// The members this package never reads must still have the JSON type
	// RFC 7517 §4 gives them, as jwx requires of every JWK.
	for _, m := range []string{"x5u", "x5t", "x5t#S256"} {
		if _, _, err := stringMember(members, m); err != nil {
			return err
		}
	}
	for _, m := range []string{"key_ops", "x5c"} {
		var list []string
		if raw, ok := members[m]; ok && json.Unmarshal(raw, &list) != nil {
			return fmt.Errorf("%w: member %q is not an array of strings", ErrJWK, m)
		}
	}
	// fixed checks a member that must be present (or, for "d", may be
	// absent) and exactly size bytes long.
	fixed := func(name string, size int, required bool) error {
		b, ok, err := octetsMember(members, name)
		if err != nil {
			return err
		}
		if !ok {
			if required {
				return fmt.Errorf("%w: %s key without member %q", ErrJWK, kty, name)
			}
			return nil
		}
		if len(b) != size {
			return fmt.Errorf("%w: member %q of %d bytes, want %d", ErrJWK, name, len(b), size)
		}
		return nil
	}
	switch kty {
	case "OKP":
		crv, _, err := stringMember(members, "crv")
		if err != nil {
			return err
		}
		if crv != "Ed25519" {
			return unsupportedJWK("OKP curve %q (want Ed25519)", crv)
		}
		if err := fixed("x", ed25519.PublicKeySize, true); err != nil {
			return err
		}
		return fixed("d", ed25519.SeedSize, false)
	case "EC":
		crv, _, err := stringMember(members, "crv")
		if err != nil {
			return err
		}
		var size int
		switch crv {
		case "P-256":
			size = 32
		case "P-384":
			size = 48
		case "P-521":
			size = 66
		default:
			return unsupportedJWK("EC curve %q (want P-256, P-384 or P-521)", crv)
		}
		for _, m := range []string{"x", "y"} {
			if err := fixed(m, size, true); err != nil {
				return err
			}
		}
		return fixed("d", size, false)
	case "RSA":
		if _, ok := members["oth"]; ok {
			return unsupportedJWK("multi-prime RSA key (member \"oth\")")
		}
		for _, m := range []string{"n", "e", "d", "p", "q", "dp", "dq", "qi"} {
			b, ok, err := octetsMember(members, m)
			if err != nil {
				return err
			}
			if !ok {
				if m == "n" || m == "e" {
					return fmt.Errorf("%w: RSA key without member %q", ErrJWK, m)
				}
				continue
			}
			// RFC 7518 §6.3: the minimum number of octets; zero has none.
			if len(b) == 0 || b[0] == 0 {
				return fmt.Errorf("%w: member %q is not a minimal big-endian integer", ErrJWK, m)
			}
			if m == "e" && len(b) > 4 {
				return unsupportedJWK("RSA public exponent of %d bytes", len(b))
			}
		}
		if _, ok := members["d"]; ok {
			for _, m := range []string{"p", "q"} {
				if _, ok := members[m]; !ok {
					return fmt.Errorf("%w: RSA private key without member %q", ErrJWK, m)
				}
			}
		}
	}
	return nil
}

// jwkKeyType returns a JWK's kty if it is one this package accepts.
func jwkKeyType(members map[string]json.RawMessage) (string, error) {
	kty, ok, err := stringMember(members, "kty")
	switch {
	case err != nil:
		return "", err
	case !ok:
		return "", fmt.Errorf("%w: no kty", ErrJWK)
	case kty == "oct":
		return "", unsupportedJWK("symmetric key (kty \"oct\"); only public-key signatures are accepted")
	case kty != "OKP" && kty != "EC" && kty != "RSA":
		return "", unsupportedJWK("key type %q (want OKP, EC or RSA)", kty)
	}
	return kty, nil
}

// parseJWK decodes a JWK whose members checkMembers accepts. A public
// JWK (no "d") is decoded here, with the standard library: what a
// verifier reads (did:jwk, DID documents, a header jwk) needs nothing of
// jwx, whose checks of a public key are a subset of checkMembers' and
// crypto/ecdsa's. A private JWK, which is a key being imported, is decoded
// by jwx, and its key checked against its public members here.
func parseJWK(data []byte, members map[string]json.RawMessage) (any, string, error) {
	if err := checkMembers(members); err != nil {
		return nil, "", err
	}
	alg, _, err := stringMember(members, "alg")
	if err != nil {
		return nil, "", err
	}
	use, _, err := stringMember(members, "use")
	if err != nil {
		return nil, "", err
	}
	kid, _, err := stringMember(members, "kid")
	if err != nil {
		return nil, "", err
	}
	var raw any
	if _, private := members["d"]; !private {
		raw, err = publicKeyOf(members)
	} else {
		raw, err = privateKeyOf(data, members)
	}
	if err != nil {
		return nil, "", err
	}
	var pub crypto.PublicKey = raw
	if s, ok := raw.(crypto.Signer); ok {
		pub = s.Public()
	}
	want, err := AlgorithmOf(pub)
	if err != nil {
		return nil, "", nest(ErrJWK, "", err)
	}
	if alg != "" && alg != string(want) {
		return nil, "", fmt.Errorf("%w: alg %q does not fit a key that signs with %s", ErrJWK, alg, want)
	}
	if use != "" && use != "sig" {
		return nil, "", fmt.Errorf("%w: use %q; a signing key needs \"sig\"", ErrJWK, use)
	}
	return raw, kid, nil
}

// jwkCurves are the EC curves a JWK may name, by crv.
var jwkCurves = map[string]elliptic.Curve{"P-256": elliptic.P256(), "P-384": elliptic.P384(), "P-521": elliptic.P521()}

// publicKeyOf decodes the public key of a JWK whose members checkMembers
// accepts: an Ed25519 key that is a valid point (checkEd25519), an EC point
// on its curve (crypto/ecdsa checks), an RSA modulus and exponent.
func publicKeyOf(members map[string]json.RawMessage) (crypto.PublicKey, error) {
	kty, _, _ := stringMember(members, "kty")
	switch kty {
	case "OKP":
		x, _, _ := octetsMember(members, "x")
		if err := checkEd25519(x); err != nil {
			return nil, nest(ErrJWK, "", err)
		}
		return ed25519.PublicKey(x), nil
	case "EC":
		return ecPublicKey(members)
	case "RSA":
		n, _, _ := octetsMember(members, "n")
		e, _, _ := octetsMember(members, "e")
		var exp int
		for _, b := range e { // at most 4 bytes (checkMembers)
			exp = exp<<8 | int(b)
		}
		return &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: exp}, nil
	}
	return nil, unsupportedJWK("key type %q", kty)
}

// ecPublicKey decodes the point x, y of an EC JWK with
// ecdsa.ParseUncompressedPublicKey, which refuses a point off the curve.
func ecPublicKey(members map[string]json.RawMessage) (*ecdsa.PublicKey, error) {
	crv, _, _ := stringMember(members, "crv")
	x, _, _ := octetsMember(members, "x")
	y, _, _ := octetsMember(members, "y")
	pub, err := ecdsa.ParseUncompressedPublicKey(jwkCurves[crv], append(append([]byte{4}, x...), y...))
	if err != nil {
		return nil, nest(ErrJWK, "", fmt.Errorf("%w: not a point on %s", ErrInvalidPublicKey, crv))
	}
	return pub, nil
}

// privateKeyOf decodes a private JWK with jwx and checks what jwx leaves
// to its callers: an EC private key is rebuilt from the JWK's members
// with crypto/ecdsa (which checks that d is in range and x, y on the
// curve) and must match x, y; an RSA private key is rebuilt and checked
// by crypto/rsa (jwx leaves it half precomputed).
func privateKeyOf(data []byte, members map[string]json.RawMessage) (crypto.Signer, error) {
	key, err := jwk.ParseKey(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrJWK, err)
	}
	var raw any
	if err := key.Raw(&raw); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrJWK, err)
	}
	switch k := raw.(type) {
	case ed25519.PrivateKey:
		// jwx has checked that x is the public key of the seed d.
		if len(k) != ed25519.PrivateKeySize {
			return nil, fmt.Errorf("%w: Ed25519 private key of %d bytes", ErrJWK, len(k))
		}
		return k, nil
	case *ecdsa.PrivateKey:
		pub, err := ecPublicKey(members)
		if err != nil {
			return nil, err
		}
		d, _, _ := octetsMember(members, "d")
		defer clear(d)
		priv, err := ecdsa.ParseRawPrivateKey(pub.Curve, d)
		if err != nil {
			return nil, fmt.Errorf("%w: ECDSA private key out of range", ErrJWK)
		}
		if !priv.PublicKey.Equal(pub) {
			return nil, fmt.Errorf("%w: ECDSA private key does not match its public key", ErrJWK)
		}
		return priv, nil
	case *rsa.PrivateKey:
		return checkRSA(k)
	}
	return nil, unsupportedJWK("%T", raw)
}

// checkRSA rebuilds an RSA private key from its public key, private
// exponent and primes, precomputes its CRT values, checks that any CRT
// values the JWK gave agree with them, and validates the key.
func checkRSA(k *rsa.PrivateKey) (*rsa.PrivateKey, error) {
	if len(k.Primes) != 2 || k.D == nil {
		return nil, fmt.Errorf("%w: RSA private key needs d, p and q", ErrJWK)
	}
	priv := &rsa.PrivateKey{PublicKey: k.PublicKey, D: k.D, Primes: []*big.Int{k.Primes[0], k.Primes[1]}}
	if _, err := AlgorithmOf(&priv.PublicKey); err != nil {
		return nil, nest(ErrJWK, "", err)
	}
	if err := priv.Validate(); err != nil {
		return nil, fmt.Errorf("%w: RSA private key does not validate", ErrJWK)
	}
	priv.Precompute()
	given := []*big.Int{k.Precomputed.Dp, k.Precomputed.Dq, k.Precomputed.Qinv}
	derived := []*big.Int{priv.Precomputed.Dp, priv.Precomputed.Dq, priv.Precomputed.Qinv}
	for i, g := range given {
		if g != nil && (derived[i] == nil || g.Cmp(derived[i]) != 0) {
			return nil, fmt.Errorf("%w: RSA private key: %s does not match p, q and d", ErrJWK, []string{"dp", "dq", "qi"}[i])
		}
	}
	return priv, nil
}

// Thumbprint returns the RFC 7638 JWK thumbprint of pub (SHA-256,
// base64url without padding): a stable key ID. It is computed here, not
// with jwx: the required members in lexicographic order, with no
// whitespace, are all RFC 7638 hashes.
func Thumbprint(pub crypto.PublicKey) (string, error) {
	if _, err := AlgorithmOf(pub); err != nil {
		return "", err
	}
	enc := base64.RawURLEncoding
	var b []byte
	switch k := pub.(type) {
	case ed25519.PublicKey:
		b = append(b, `{"crv":"Ed25519","kty":"OKP","x":"`...)
		b = enc.AppendEncode(b, k)
		b = append(b, `"}`...)
	case *ecdsa.PublicKey:
		point, err := k.Bytes() // 0x04 ‖ x ‖ y
		if err != nil {
			return "", fmt.Errorf("keys: %w", err)
		}
		size := (len(point) - 1) / 2
		b = append(b, `{"crv":"`+k.Curve.Params().Name+`","kty":"EC","x":"`...)
		b = enc.AppendEncode(b, point[1:1+size])
		b = append(b, `","y":"`...)
		b = enc.AppendEncode(b, point[1+size:])
		b = append(b, `"}`...)
	case *rsa.PublicKey:
		e := big.NewInt(int64(k.E)).Bytes()
		b = append(b, `{"e":"`...)
		b = enc.AppendEncode(b, e)
		b = append(b, `","kty":"RSA","n":"`...)
		b = enc.AppendEncode(b, k.N.Bytes())
		b = append(b, `"}`...)
	}
	sum := sha256.Sum256(b)
	return enc.EncodeToString(sum[:]), nil
}
