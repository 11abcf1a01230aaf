package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// ErrDID is wrapped by every error parsing a did:key or did:jwk.
var ErrDID = errors.New("keys: invalid DID")

// MaxDIDLen bounds the DIDs and DID URLs this package parses; a did:jwk of
// an RSA-4096 key is under 1 KB.
const MaxDIDLen = 4096

// DIDKey returns the did:key DID of pub: "did:key:" followed by its
// publicKeyMultibase. Ed25519, P-256 and P-384 keys have one; RSA keys do
// not (use DIDJWK).
func DIDKey(pub crypto.PublicKey) (string, error) {
	mb, err := PublicKeyMultibase(pub)
	if err != nil {
		return "", err
	}
	return "did:key:" + mb, nil
}

// DIDKeyVerificationMethod returns the id of the one verification method of
// pub's did:key: the DID, "#", and the publicKeyMultibase again.
func DIDKeyVerificationMethod(pub crypto.PublicKey) (string, error) {
	did, err := DIDKey(pub)
	if err != nil {
		return "", err
	}
	return did + "#" + strings.TrimPrefix(did, "did:key:"), nil
}

// DID returns the DID that is pub itself, needing no document: its did:key
// for the types Multikey encodes (Ed25519, P-256, P-384), its did:jwk for
// the others (RSA). An issuer without a did:web or https identifier of its
// own uses it as its id.
func DID(pub crypto.PublicKey) (string, error) {
	d, err := DIDKey(pub)
	if errors.Is(err, ErrUnsupportedKey) {
		return DIDJWK(pub)
	}
	return d, err
}

// DIDVerificationMethod returns the id of the one verification method of
// DID(pub): DIDKeyVerificationMethod's or DIDJWKVerificationMethod's.
func DIDVerificationMethod(pub crypto.PublicKey) (string, error) {
	m, err := DIDKeyVerificationMethod(pub)
	if errors.Is(err, ErrUnsupportedKey) {
		return DIDJWKVerificationMethod(pub)
	}
	return m, err
}

// ErrOtherKey is wrapped by SelfDID's error when the controller is a
// did:key or did:jwk DID of another key than the one given.
var ErrOtherKey = errors.New("keys: the DID is another key's")

// SelfDID tells whether controller is a DID that is a key itself, a
// did:key or did:jwk DID (or the bare method name, "did:key" or
// "did:jwk", for "the key's own"), and if it is, returns pub's DID of that
// method and the id of its one verification method. Such a controller is
// the key: nothing else can sign for it, so a did:key or did:jwk DID of
// another key is an error wrapping ErrOtherKey. For any other controller
// (did:web, an https URL), whose document names its keys, ok is false.
func SelfDID(controller string, pub crypto.PublicKey) (did, method string, ok bool, err error) {
	for _, self := range []struct {
		method string
		did    func(crypto.PublicKey) (string, error)
		vm     func(crypto.PublicKey) (string, error)
	}{{"did:key", DIDKey, DIDKeyVerificationMethod}, {"did:jwk", DIDJWK, DIDJWKVerificationMethod}} {
		if controller != self.method && !strings.HasPrefix(controller, self.method+":") {
			continue
		}
		if did, err = self.did(pub); err != nil {
			return "", "", true, err
		}
		if controller != self.method && controller != did {
			return "", "", true, fmt.Errorf("%w: %s is the %s of another key than %s", ErrOtherKey, controller, self.method, did)
		}
		method, err = self.vm(pub)
		return did, method, true, err
	}
	return "", "", false, nil
}

// ParseDIDKey returns the public key a did:key DID, or the DID URL of its
// verification method, stands for. A fragment must repeat the key; paths
// and queries are refused. A key that is not a valid public key (see
// ParsePublicKeyMultibase) is refused with an error wrapping ErrDID,
// ErrMultibase and ErrInvalidPublicKey.
func ParseDIDKey(s string) (crypto.PublicKey, error) {
	if len(s) > MaxDIDLen {
		return nil, fmt.Errorf("%w: %d characters, the limit is %d", ErrDID, len(s), MaxDIDLen)
	}
	rest, ok := strings.CutPrefix(s, "did:key:")
	if !ok {
		return nil, fmt.Errorf("%w: %q is not a did:key", ErrDID, s)
	}
	mb, frag, hasFrag := strings.Cut(rest, "#")
	if strings.ContainsAny(mb, "/?:") {
		return nil, fmt.Errorf("%w: %q: did:key takes no path, query or version", ErrDID, s)
	}
	if hasFrag && frag != mb {
		return nil, fmt.Errorf("%w: %q: the fragment of a did:key verification method must repeat the key", ErrDID, s)
	}
	pub, err := ParsePublicKeyMultibase(mb)
	if err != nil {
		return nil, nest(ErrDID, fmt.Sprintf("%q: ", s), err)
	}
	return pub, nil
}

// DIDJWK returns the did:jwk DID of pub (any key this package supports,
// RSA included): "did:jwk:" followed by the base64url encoding of its
// public JWK, written with only the members that define the key, sorted
// (kty with crv, x, y or e, n), so the same key always gives the same DID.
func DIDJWK(pub crypto.PublicKey) (string, error) {
	if _, err := AlgorithmOf(pub); err != nil {
		return "", err
	}
	full, err := PublicJWK(pub, "")
	if err != nil {
		return "", err
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(full, &members); err != nil {
		return "", err
	}
	keep := map[string]json.RawMessage{"kty": members["kty"]}
	switch pub.(type) {
	case ed25519.PublicKey:
		keep["crv"], keep["x"] = members["crv"], members["x"]
	case *ecdsa.PublicKey:
		keep["crv"], keep["x"], keep["y"] = members["crv"], members["x"], members["y"]
	case *rsa.PublicKey:
		keep["e"], keep["n"] = members["e"], members["n"]
	}
	minimal, err := json.Marshal(keep) // encoding/json sorts map keys
	if err != nil {
		return "", err
	}
	return "did:jwk:" + base64.RawURLEncoding.EncodeToString(minimal), nil
}

// DIDJWKVerificationMethod returns the id of the one verification method of
// a did:jwk: the DID followed by "#0".
func DIDJWKVerificationMethod(pub crypto.PublicKey) (string, error) {
	did, err := DIDJWK(pub)
	if err != nil {
		return "", err
	}
	return did + "#0", nil
}

// ParseDIDJWK returns the public key a did:jwk DID, or its verification
// method "did:jwk:…#0", stands for. The JWK must be public and a valid
// key (see ParsePublicJWK); an invalid one is refused with an error
// wrapping ErrDID, ErrJWK and ErrInvalidPublicKey.
func ParseDIDJWK(s string) (crypto.PublicKey, error) {
	if len(s) > MaxDIDLen {
		return nil, fmt.Errorf("%w: %d characters, the limit is %d", ErrDID, len(s), MaxDIDLen)
	}
	rest, ok := strings.CutPrefix(s, "did:jwk:")
	if !ok {
		return nil, fmt.Errorf("%w: %q is not a did:jwk", ErrDID, s)
	}
	enc, frag, hasFrag := strings.Cut(rest, "#")
	if hasFrag && frag != "0" {
		return nil, fmt.Errorf("%w: the verification method of a did:jwk is \"#0\", not %q", ErrDID, "#"+frag)
	}
	raw, err := base64.RawURLEncoding.DecodeString(enc)
	if err != nil {
		return nil, fmt.Errorf("%w: did:jwk is not base64url: %v", ErrDID, err)
	}
	pub, _, err := ParsePublicJWK(raw)
	if err != nil {
		return nil, nest(ErrDID, "did:jwk: ", err)
	}
	return pub, nil
}
