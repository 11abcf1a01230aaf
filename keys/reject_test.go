package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
)

// Published keys the rejections below are made from.
const (
	edPub     = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2" // di-eddsa/keyPair.json
	edSecret  = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
	edPub2    = "z6MkhWqdDBPojHA7cprTGTt5yHv5yUi1B8cnXn8ReLumkw6E" // di-eddsa/multiKeyPairs.json keyPair2
	p256JWK   = `{"alg":"ES256","crv":"P-256","kty":"EC","x":"WfTi93YuhsQxKbD0ftnjOXJndqhnJ5kgDV-ZDGyrhBQ","y":"qUd_55EjX0mjKZ6W6mF4UXVYTQ41K6jfdnYFwN5uPyk"}`
	p256D     = "J_a5KH6A2Ru7iOAzvUkQEjKCJQCdxUXVajaW3CaPORs" // jose/vm-p256.json
	p384JWK   = `{"alg":"ES384","crv":"P-384","kty":"EC","x":"PBM13G1rU-NPczSpFO7QGc-uSUHqoDPZSbshgR820ligqFB2yGFbE90VnpTiSswG","y":"x7mdD6reunUlSQ5LoC2GDpLOrjbIMLnt1TEGgxoyXSaKScPPRYY7hTr3geCvEZpf"}`
	edJWK     = `{"alg":"EdDSA","crv":"Ed25519","kty":"OKP","x":"NvUhsjZe7Mdv8Esoc60o3ma1U5j2tFUTDsOQd39xMnI"}`
	edD       = "cbxP1TvbhLteRSspEvwxEuFKRDHWpGmPla8ePI0cmv8" // jose/vm-ed25519.json
	edPrivJWK = `{"alg":"EdDSA","crv":"Ed25519","d":"` + edD + `","kty":"OKP","x":"NvUhsjZe7Mdv8Esoc60o3ma1U5j2tFUTDsOQd39xMnI"}`
)

// with returns the JSON object obj with members set (a nil value deletes
// the member).
func with(t testing.TB, obj string, set map[string]any) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(obj), &m); err != nil {
		t.Fatal(err)
	}
	for k, v := range set {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// TestRejections checks that malformed and unacceptable keys are refused
// with errors that callers can branch on and people can read.
func TestRejections(t *testing.T) {
	rsa1024, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	rsaSmallJWK, err := json.Marshal(map[string]string{"kty": "RSA", "n": b64(rsa1024.N.Bytes()), "e": "AQAB"})
	if err != nil {
		t.Fatal(err)
	}
	rsaPriv, err := os.ReadFile("testdata/rsa2048-test-key.json")
	if err != nil {
		t.Fatal(err)
	}
	var rsaMembers map[string]string
	json.Unmarshal(rsaPriv, &rsaMembers)
	rsaPub := map[string]any{"kty": "RSA", "n": rsaMembers["n"], "e": rsaMembers["e"]}
	rsaPubJWK, _ := json.Marshal(rsaPub)
	p521, _ := os.ReadFile("testdata/jose/vm-p521.json")
	var p521VM joseVM
	json.Unmarshal(p521, &p521VM)
	p256Priv := with(t, p256JWK, map[string]any{"d": p256D})
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	didJWKOf := func(jwk []byte) string { return "did:jwk:" + b64(jwk) }

	pubMB := func(s string) func() error {
		return func() error { _, err := ParsePublicKeyMultibase(s); return err }
	}
	secMB := func(s string) func() error {
		return func() error { _, err := ParseSecretKeyMultibase(s); return err }
	}
	pubJWK := func(b []byte) func() error {
		return func() error { _, _, err := ParsePublicJWK(b); return err }
	}
	privJWK := func(b []byte) func() error {
		return func() error { _, _, err := ParsePrivateJWK(b); return err }
	}
	didKey := func(s string) func() error {
		return func() error { _, err := ParseDIDKey(s); return err }
	}
	didJWK := func(s string) func() error {
		return func() error { _, err := ParseDIDJWK(s); return err }
	}

	for _, c := range []struct {
		name string
		do   func() error
		is   []error
		msg  string
	}{
		// Multibase and multicodec.
		{"unknown multicodec (secp256k1-pub)", pubMB("zQ3shMQnkqiyfujhRPGFFqSEeD2yV9kUcmyBiu2fT2BXfFPMJ"), []error{ErrMultibase}, "unknown multicodec 0xe7"},
		{"Ed25519 key of 31 bytes", pubMB("z2DQUyFHStG42FqbEhyM6LhkEqqV45NGGqKCwNxVWWu7Yzj"), []error{ErrMultibase}, "ed25519-pub key of 31 bytes, want 32"},
		{"P-256 uncompressed point", pubMB("z4oJ8ZnAi4ZWyiXBMCb2X58sTBdBPSsnwcfJcvAE6L57wW1WsvWZCbUwLCFDGai7YmR3t151yVUGCVLDDNxE7h9UWNJWK"), []error{ErrMultibase}, "P-256 compressed point of 65 bytes, want 33"},
		{"P-256 point not on the curve (x=1)", pubMB("zDnaeQRy3dcKsKa1zmKtVKsTy3m2HYoQnFnfKuxD6HfSTQgYg"), []error{ErrMultibase, ErrInvalidPublicKey}, "not a point on P-256"},
		{"P-256 x equal to p", pubMB("zDnaehfHR8MSkcVwNx8zPfR4zBUXJ1szs6BXzeQAqT7PRYTSN"), []error{ErrMultibase, ErrInvalidPublicKey}, "not a point on P-256"},
		{"P-384 point not on the curve (x=1)", pubMB("z82LkkX8BAipJqAq2Z2WPDdyCexQhowk86yzPDmnKQLPP5wUn8XgeGd2oCy6eGhPJUEUGtp"), []error{ErrMultibase, ErrInvalidPublicKey}, "not a point on P-384"},
		{"non-minimal varint", pubMB("zQhVUSQB8r3ACLXMQ8ZQ5LScK2FJMWTHMWfePRsSFou3J3afZ"), []error{ErrMultibase}, "non-minimal multicodec varint"},
		{"bad base58 character", pubMB("z6Mk0JVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"), []error{ErrMultibase}, "'0' at offset 3 is not a base58btc character"},
		{"not base58btc", pubMB("f" + edPub[1:]), []error{ErrMultibase}, `starting with "z"`},
		{"empty", pubMB(""), []error{ErrMultibase}, `starting with "z"`},
		{"too long", pubMB("z" + strings.Repeat("2", MaxMultibaseLen)), []error{ErrMultibase}, "the limit is 256"},
		{"secret key as public", pubMB(edSecret), []error{ErrMultibase}, "secret key where a public key is expected"},
		{"public key as secret", secMB(edPub), []error{ErrMultibase}, "public key where a secret key is expected"},
		{"P-256 secret of 31 bytes", secMB("zgrKnA5XJbM6d6xLVzmgugwnoaKYhbezL7znYKTr1fbD75"), []error{ErrMultibase}, "P-256 secret key"},
		{"Ed25519 secret whose public half is another key", secMB(multibase(codecEd25519Priv, append(make([]byte, 32), make([]byte, 32)...))), []error{ErrMultibase}, "public half does not match its seed"},
		{"Ed25519 secret of 33 bytes", secMB(multibase(codecEd25519Priv, make([]byte, 33))), []error{ErrMultibase}, "ed25519-priv key of 33 bytes"},

		// JWK.
		{"private members in a public JWK", pubJWK(p256Priv), []error{ErrJWK}, `private member "d" where a public key is expected`},
		{"RSA private members in a public JWK", pubJWK(rsaPriv), []error{ErrJWK}, `private member "d"`},
		{"symmetric JWK", pubJWK([]byte(`{"kty":"oct","k":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}`)), []error{ErrJWK, ErrUnsupportedKey}, `symmetric key (kty "oct")`},
		{"symmetric JWK as private", privJWK([]byte(`{"kty":"oct","k":"AAAA","d":"AAAA"}`)), []error{ErrJWK, ErrUnsupportedKey}, "symmetric key"},
		{"RSA of 1024 bits", pubJWK(rsaSmallJWK), []error{ErrJWK, ErrUnsupportedKey}, "RSA key of 1024 bits, the minimum is 2048"},
		{"RSA exponent with a leading zero", pubJWK(with(t, string(rsaPubJWK), map[string]any{"e": "AAEAAQ"})), []error{ErrJWK}, `member "e" is not a minimal big-endian integer`},
		{"RSA exponent of 9 bytes", pubJWK(with(t, string(rsaPubJWK), map[string]any{"e": b64([]byte{1, 0, 0, 0, 0, 0, 0, 0, 3})})), []error{ErrJWK, ErrUnsupportedKey}, "RSA public exponent of 9 bytes"},
		{"RSA even exponent", pubJWK(with(t, string(rsaPubJWK), map[string]any{"e": "Ag"})), []error{ErrJWK, ErrUnsupportedKey}, "exponent"},
		{"RSA private without primes", privJWK(with(t, string(rsaPriv), map[string]any{"p": nil, "q": nil, "dp": nil, "dq": nil, "qi": nil})), []error{ErrJWK}, `RSA private key without member "p"`},
		{"RSA private with a wrong dp", privJWK(with(t, string(rsaPriv), map[string]any{"dp": "Aw"})), []error{ErrJWK}, "dp does not match"},
		{"alg mismatch", pubJWK(with(t, edJWK, map[string]any{"alg": "ES256"})), []error{ErrJWK}, `alg "ES256" does not fit a key that signs with EdDSA`},
		{"alg none", pubJWK(with(t, p256JWK, map[string]any{"alg": "none"})), []error{ErrJWK}, `alg "none"`},
		{"use enc", pubJWK(with(t, edJWK, map[string]any{"use": "enc"})), []error{ErrJWK}, `use "enc"`},
		{"P-256 JWK point not on the curve", pubJWK(with(t, p256JWK, map[string]any{"y": "qUd_55EjX0mjKZ6W6mF4UXVYTQ41K6jfdnYFwN5uPyo"})), []error{ErrJWK, ErrInvalidPublicKey}, "not a point on P-256"},
		{"P-384 JWK point not on the curve", pubJWK(with(t, p384JWK, map[string]any{"y": "x7mdD6reunUlSQ5LoC2GDpLOrjbIMLnt1TEGgxoyXSaKScPPRYY7hTr3geCvEZpg"})), []error{ErrJWK, ErrInvalidPublicKey}, "not a point on P-384"},
		{"P-256 coordinate of 31 bytes", pubJWK(with(t, p256JWK, map[string]any{"x": "9OL3di6GxDEpsPR-2eM5cmd2qGcnmSANX5kMbKuEFA"})), []error{ErrJWK}, `member "x" of 31 bytes, want 32`},
		{"padded base64", pubJWK(with(t, p256JWK, map[string]any{"x": "WfTi93YuhsQxKbD0ftnjOXJndqhnJ5kgDV-ZDGyrhBQ="})), []error{ErrJWK}, `member "x" is not unpadded base64url`},
		{"coordinate not a string", pubJWK(with(t, p256JWK, map[string]any{"x": 5})), []error{ErrJWK}, `member "x" is not a string`},
		{"P-256 key without y", pubJWK(with(t, p256JWK, map[string]any{"y": nil})), []error{ErrJWK}, `EC key without member "y"`},
		{"P-521 JWK point not on the curve", pubJWK(with(t, string(p521VM.PublicKeyJwk), map[string]any{"y": "ADP_cowssurHA7uMHy4IODl247oQjCxZWFX7Gtr3cFmfVIwEyKGegrJh9ooZy5FsvFVbYwAmLKVfGZs7O15RBsO_"})), []error{ErrJWK, ErrInvalidPublicKey}, "not a point on P-521"},
		{"P-521 coordinate of 65 bytes", pubJWK(with(t, string(p521VM.PublicKeyJwk), map[string]any{"x": "zya3hO9h3dM6ti1OT9hNDlBAymXnw6etTu5HFARSg47_pCdEEzRdqfwpAj_R08rNwoFqTRlIRdxzlI0VQEdh9s8"})), []error{ErrJWK}, `member "x" of 65 bytes, want 66`},
		{"P-521 alg ES384", pubJWK(with(t, string(p521VM.PublicKeyJwk), map[string]any{"alg": "ES384"})), []error{ErrJWK}, `alg "ES384" does not fit a key that signs with ES512`},
		{"secp256k1 JWK", pubJWK([]byte(`{"kty":"EC","crv":"secp256k1","x":"AA","y":"AA"}`)), []error{ErrJWK, ErrUnsupportedKey}, `EC curve "secp256k1"`},
		{"X25519", pubJWK([]byte(`{"kty":"OKP","crv":"X25519","x":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"}`)), []error{ErrJWK, ErrUnsupportedKey}, `OKP curve "X25519"`},
		{"unknown kty", pubJWK([]byte(`{"kty":"AKP"}`)), []error{ErrJWK, ErrUnsupportedKey}, `key type "AKP"`},
		{"no kty", pubJWK([]byte(`{"x":"AA"}`)), []error{ErrJWK}, "no kty"},
		{"duplicate member", pubJWK([]byte(`{"kty":"OKP","crv":"Ed25519","x":"NvUhsjZe7Mdv8Esoc60o3ma1U5j2tFUTDsOQd39xMnI","x":"S96v3i6ovu-t2MaZtcfgcEz1EVTVLheyC3EzfKBMxaU"}`)), []error{ErrJWK}, `duplicate object member "x"`},
		{"not JSON", pubJWK([]byte(`{"kty":`)), []error{ErrJWK}, "unexpected end of JSON input"},
		{"not an object", pubJWK([]byte(`[1]`)), []error{ErrJWK}, "not a JSON object"},
		{"too large", pubJWK([]byte(`{"kty":"OKP","pad":"` + strings.Repeat("a", MaxJWKSize) + `"}`)), []error{ErrJWK}, "document too large"},
		{"no d in a private JWK", privJWK([]byte(edJWK)), []error{ErrJWK}, `no private key (member "d")`},
		{"Ed25519 private key of another public key", privJWK(with(t, edPrivJWK, map[string]any{"x": "S96v3i6ovu-t2MaZtcfgcEz1EVTVLheyC3EzfKBMxaU"})), []error{ErrJWK}, "invalid x value given d value"},
		{"P-256 private key of another public key", privJWK(with(t, string(p256Priv), map[string]any{"d": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAE"})), []error{ErrJWK}, "ECDSA private key does not match its public key"},
		{"P-256 private key zero", privJWK(with(t, string(p256Priv), map[string]any{"d": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})), []error{ErrJWK}, "ECDSA private key out of range"},

		// DIDs.
		{"did:key fragment that is not the key", didKey("did:key:" + edPub + "#" + edPub2), []error{ErrDID}, "the fragment of a did:key verification method must repeat the key"},
		{"did:key with a path", didKey("did:key:" + edPub + "/path"), []error{ErrDID}, "did:key takes no path, query or version"},
		{"did:key with a query", didKey("did:key:" + edPub + "?versionId=1"), []error{ErrDID}, "did:key takes no path, query or version"},
		{"did:key of an unknown multicodec", didKey("did:key:zQ3shMQnkqiyfujhRPGFFqSEeD2yV9kUcmyBiu2fT2BXfFPMJ"), []error{ErrDID, ErrMultibase}, "unknown multicodec 0xe7"},
		{"did:key of a secret key", didKey("did:key:" + edSecret), []error{ErrDID, ErrMultibase}, "secret key where a public key is expected"},
		{"not a did:key", didKey("did:web:example.edu"), []error{ErrDID}, "is not a did:key"},
		{"did:key too long", didKey("did:key:z" + strings.Repeat("2", MaxDIDLen)), []error{ErrDID}, "4105 characters, the limit is 4096"},
		{"did:jwk with private members", didJWK(didJWKOf([]byte(edPrivJWK))), []error{ErrDID, ErrJWK}, `private member "d" where a public key is expected`},
		{"did:jwk of a symmetric key", didJWK(didJWKOf([]byte(`{"kty":"oct","k":"AAAA"}`))), []error{ErrDID, ErrJWK, ErrUnsupportedKey}, "symmetric key"},
		{"did:jwk fragment other than #0", didJWK(didJWKOf([]byte(edJWK)) + "#1"), []error{ErrDID}, `the verification method of a did:jwk is "#0", not "#1"`},
		{"did:jwk not base64url", didJWK("did:jwk:eyJ!"), []error{ErrDID}, "did:jwk is not base64url"},
		{"did:jwk padded", didJWK(didJWKOf([]byte(edJWK)) + "="), []error{ErrDID}, "did:jwk is not base64url"},
		{"not a did:jwk", didJWK("did:key:" + edPub), []error{ErrDID}, "is not a did:jwk"},

		// Encoding what has no encoding.
		{"Multikey of an RSA key", func() error { _, err := PublicKeyMultibase(&rsa1024.PublicKey); return err }, []error{ErrUnsupportedKey}, "has no Multikey encoding"},
		{"did:key of an RSA key", func() error { _, err := DIDKey(&rsaPub2048(t).PublicKey); return err }, []error{ErrUnsupportedKey}, "has no Multikey encoding"},
		{"JWK of a P-224 key", func() error {
			k, _ := ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
			_, err := PublicJWK(&k.PublicKey, "")
			return err
		}, []error{ErrUnsupportedKey}, "ECDSA on P-224"},
		{"Multikey of a P-521 key", func() error {
			k, _ := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
			_, err := PublicKeyMultibase(&k.PublicKey)
			return err
		}, []error{ErrUnsupportedKey}, "ECDSA on P-521 has no Multikey encoding"},
		{"private JWK of a remote signer", func() error { _, err := PrivateJWK(opaqueSigner{ecKey}, ""); return err }, []error{ErrUnsupportedKey}, "keeps its private key elsewhere"},
		{"NewKey of an RSA-1024 key", func() error { _, err := NewKey("k", "c", rsa1024); return err }, []error{ErrUnsupportedKey}, "RSA key of 1024 bits"},
		{"unknown type", func() error { _, err := Generate("dsa"); return err }, nil, `unknown type "dsa"`},
		{"unknown type name", func() error { _, err := ParseType("secp256k1"); return err }, nil, `unknown key type "secp256k1"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.do()
			if err == nil {
				t.Fatal("no error")
			}
			for _, target := range c.is {
				if !errors.Is(err, target) {
					t.Errorf("error %q does not wrap %v", err, target)
				}
			}
			if !strings.Contains(err.Error(), c.msg) {
				t.Errorf("error %q does not say %q", err, c.msg)
			}
			if !strings.HasPrefix(err.Error(), "keys: ") || strings.Count(err.Error(), "keys: ") != 1 {
				t.Errorf("error %q does not start with the package name, once", err)
			}
			for _, secret := range []string{p256D, edD, rsaMembers["d"], rsaMembers["p"]} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q quotes a private key", err)
				}
			}
		})
	}
}

// rsaPub2048 returns the test RSA key in testdata.
func rsaPub2048(t testing.TB) *rsa.PrivateKey {
	t.Helper()
	data, err := os.ReadFile("testdata/rsa2048-test-key.json")
	if err != nil {
		t.Fatal(err)
	}
	s, _, err := ParsePrivateJWK(data)
	if err != nil {
		t.Fatal(err)
	}
	return s.(*rsa.PrivateKey)
}

// opaqueSigner is a crypto.Signer whose private key this package cannot
// see, like one in a KMS.
type opaqueSigner struct{ s *ecdsa.PrivateKey }

func (o opaqueSigner) Public() crypto.PublicKey { return o.s.Public() }
func (o opaqueSigner) Sign(r io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	return o.s.Sign(r, digest, opts)
}
