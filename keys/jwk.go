package keys

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/lestrrat-go/jwx/v2/jwk"
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

// ParsePublicJWK decodes a public JWK: an Ed25519 (OKP), P-256 or P-384
// (EC) or RSA key of at least MinRSABits. It returns the key and the JWK's
// kid ("" if none). It refuses a JWK carrying private members (a public key
// was expected; accepting one would let a private key travel where only
// public ones should), symmetric keys, EC points not on their curve, and an
// alg or use that does not fit the key.
func ParsePublicJWK(data []byte) (crypto.PublicKey, string, error) {
	members, err := jwkMembers(data)
	if err != nil {
		return nil, "", err
	}
	for _, m := range privateMembers {
		if _, ok := members[m]; ok {
			return nil, "", fmt.Errorf("%w: private member %q where a public key is expected", ErrJWK, m)
		}
	}
	k, kid, err := parseJWK(data, members)
	if err != nil {
		return nil, "", err
	}
	return k, kid, nil
}

// ParsePrivateJWK decodes a private JWK of a key type ParsePublicJWK
// accepts, checking that its private part matches its public part.
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

// jwkMembers bounds and pre-reads a JWK's members.
func jwkMembers(data []byte) (map[string]json.RawMessage, error) {
	if len(data) > MaxJWKSize {
		return nil, fmt.Errorf("%w: %d bytes, the limit is %d", ErrJWK, len(data), MaxJWKSize)
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(data, &members); err != nil || members == nil {
		return nil, fmt.Errorf("%w: not a JSON object", ErrJWK)
	}
	return members, nil
}

// parseJWK decodes a JWK with jwx and checks what jwx leaves to its callers.
func parseJWK(data []byte, members map[string]json.RawMessage) (any, string, error) {
	var kty string
	if err := json.Unmarshal(members["kty"], &kty); err != nil {
		return nil, "", fmt.Errorf("%w: no kty", ErrJWK)
	}
	if !slices.Contains([]string{"OKP", "EC", "RSA"}, kty) {
		return nil, "", fmt.Errorf("%w: key type %q (want OKP, EC or RSA)", ErrJWK, kty)
	}
	key, err := jwk.ParseKey(data)
	if err != nil {
		return nil, "", fmt.Errorf("%w: %v", ErrJWK, err)
	}
	var raw any
	if err := key.Raw(&raw); err != nil {
		return nil, "", fmt.Errorf("%w: %v", ErrJWK, err)
	}
	raw, err = checkRaw(raw)
	if err != nil {
		return nil, "", err
	}
	var pub crypto.PublicKey = raw
	if s, ok := raw.(crypto.Signer); ok {
		pub = s.Public()
	}
	alg, err := AlgorithmOf(pub)
	if err != nil {
		return nil, "", fmt.Errorf("%w: %v", ErrJWK, err)
	}
	if a := key.Algorithm().String(); a != "" && a != string(alg) {
		return nil, "", fmt.Errorf("%w: alg %q does not fit a key that signs with %s", ErrJWK, a, alg)
	}
	if u := key.KeyUsage(); u != "" && u != "sig" {
		return nil, "", fmt.Errorf("%w: use %q; a signing key needs \"sig\"", ErrJWK, u)
	}
	return raw, key.KeyID(), nil
}

// checkRaw validates what jwx decoded: EC points on their curve (jwx does
// not check), Ed25519 keys whose halves agree, RSA keys that pass
// rsa.PrivateKey.Validate.
func checkRaw(raw any) (any, error) {
	switch k := raw.(type) {
	case ed25519.PublicKey:
		if len(k) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("%w: Ed25519 public key of %d bytes", ErrJWK, len(k))
		}
	case ed25519.PrivateKey:
		if len(k) != ed25519.PrivateKeySize || !bytes.Equal(ed25519.NewKeyFromSeed(k.Seed())[32:], k[32:]) {
			return nil, fmt.Errorf("%w: Ed25519 private key does not match its public key", ErrJWK)
		}
	case *ecdsa.PublicKey:
		return checkedPoint(k)
	case *ecdsa.PrivateKey:
		pub, err := checkedPoint(&k.PublicKey)
		if err != nil {
			return nil, err
		}
		d, err := k.Bytes()
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrJWK, err)
		}
		priv, err := ecdsa.ParseRawPrivateKey(k.Curve, d)
		if err != nil || !priv.PublicKey.Equal(pub) {
			return nil, fmt.Errorf("%w: ECDSA private key does not match its public key", ErrJWK)
		}
		return priv, nil
	case *rsa.PrivateKey:
		if err := k.Validate(); err != nil {
			return nil, fmt.Errorf("%w: RSA private key: %v", ErrJWK, err)
		}
	case *rsa.PublicKey:
	default:
		return nil, fmt.Errorf("%w: %T", ErrJWK, raw)
	}
	return raw, nil
}

// checkedPoint rebuilds an ECDSA public key through its SEC 1 encoding, so
// that a point off the curve is refused.
func checkedPoint(k *ecdsa.PublicKey) (*ecdsa.PublicKey, error) {
	if k.Curve != elliptic.P256() && k.Curve != elliptic.P384() {
		return nil, fmt.Errorf("%w: ECDSA curve %s", ErrJWK, k.Curve.Params().Name)
	}
	x, y := k.X, k.Y // the coordinates jwx decoded (deprecated fields, read to validate)
	if x == nil || y == nil || x.Sign() < 0 || y.Sign() < 0 || x.Cmp(k.Curve.Params().P) >= 0 || y.Cmp(k.Curve.Params().P) >= 0 {
		return nil, fmt.Errorf("%w: not a point on %s", ErrJWK, k.Curve.Params().Name)
	}
	pub, err := uncompressedKey(k.Curve, x, y)
	if err != nil {
		return nil, fmt.Errorf("%w: not a point on %s", ErrJWK, k.Curve.Params().Name)
	}
	return pub, nil
}

// Thumbprint returns the RFC 7638 JWK thumbprint of pub (SHA-256,
// base64url without padding): a stable key ID.
func Thumbprint(pub crypto.PublicKey) (string, error) {
	if _, err := AlgorithmOf(pub); err != nil {
		return "", err
	}
	k, err := jwk.FromRaw(pub)
	if err != nil {
		return "", fmt.Errorf("keys: %w", err)
	}
	sum, err := k.Thumbprint(crypto.SHA256)
	if err != nil {
		return "", fmt.Errorf("keys: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(sum), nil
}
