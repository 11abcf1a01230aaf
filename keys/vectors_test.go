package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math/big"
	"testing"
)

// multikeyVector is a published Multikey pair and what its secret key
// re-encodes to (the published string, unless noted).
type multikeyVector struct {
	name      string
	public    string // publicKeyMultibase
	secret    string // secretKeyMultibase (or privateKeyMultibase)
	reencoded string // SecretKeyMultibase of the decoded secret key
	typ       Type
}

// multikeyVectors reads every Multikey pair in testdata.
func multikeyVectors(t *testing.T) []multikeyVector {
	t.Helper()
	type pair struct {
		Public  string `json:"publicKeyMultibase"`
		Private string `json:"privateKeyMultibase"`
		Secret  string `json:"secretKeyMultibase"`
	}
	var out []multikeyVector
	add := func(name string, p pair, typ Type) {
		secret := p.Secret
		if secret == "" {
			secret = p.Private
		}
		out = append(out, multikeyVector{name: name, public: p.Public, secret: secret, reencoded: secret, typ: typ})
	}
	var one pair
	readJSON(t, "di-eddsa/keyPair.json", &one)
	add("di-eddsa/keyPair", one, Ed25519)
	var chain map[string]pair
	readJSON(t, "di-eddsa/multiKeyPairs.json", &chain)
	for _, n := range []string{"keyPair1", "keyPair2", "keyPair3", "keyPair4"} {
		add("di-eddsa/multiKeyPairs/"+n, chain[n], Ed25519)
	}
	var p256, p384 pair
	readJSON(t, "di-ecdsa/p256KeyPair.json", &p256)
	add("di-ecdsa/p256KeyPair", p256, P256)
	readJSON(t, "di-ecdsa/p384KeyPair.json", &p384)
	add("di-ecdsa/p384KeyPair", p384, P384)
	var sd struct {
		Base  pair `json:"baseKeyPair"`
		Proof pair `json:"proofKeyPair"`
	}
	readJSON(t, "di-ecdsa/SDKeyMaterial.json", &sd)
	add("di-ecdsa/SDKeyMaterial/baseKeyPair", sd.Base, P256)
	add("di-ecdsa/SDKeyMaterial/proofKeyPair", sd.Proof, P256)

	var ob obVector
	readJSON(t, "ob3/ob-keypair-and-intermediates.json", &ob)
	add("ob3/ob-keypair", pair{Public: ob.PublicKeyMultibase, Secret: ob.SecretKeyMultibase}, Ed25519)
	// 1EdTech wrote the 64-byte seed-and-public-key form; SecretKeyMultibase
	// writes the 32-byte seed the Multikey format defines (computed
	// independently of this package: base58btc(0x80 0x26 || seed)).
	out[len(out)-1].reencoded = "z3u2XqMnz4u2o6Wu7kJhQyzVd5Qw9d3ffREwtjHsHdyEkM3R"
	return out
}

type obVector struct {
	ID                 string `json:"id"`
	Controller         string `json:"controller"`
	PublicKeyHex       string `json:"publicKeyHex"`
	PrivateKeyHex      string `json:"privateKeyHex_seed_plus_public"`
	PublicKeyMultibase string `json:"publicKeyMultibase"`
	SecretKeyMultibase string `json:"secretKeyMultibase"`
	DataToSignHex      string `json:"dataToSignHex"`
	SignatureHex       string `json:"signatureHex"`
}

// TestMultikeyVectors decodes each published pair, encodes it back to the
// same strings (publicKeyMultibase, secretKeyMultibase, did:key), checks
// that its JWK form is the same key, and signs with it.
func TestMultikeyVectors(t *testing.T) {
	for _, v := range multikeyVectors(t) {
		t.Run(v.name, func(t *testing.T) {
			pub, err := ParsePublicKeyMultibase(v.public)
			if err != nil {
				t.Fatalf("ParsePublicKeyMultibase: %v", err)
			}
			sk, err := ParseSecretKeyMultibase(v.secret)
			if err != nil {
				t.Fatalf("ParseSecretKeyMultibase: %v", err)
			}
			if !sk.Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(pub) {
				t.Fatal("the secret key's public key is not the published public key")
			}
			if typ, err := TypeOf(pub); err != nil || typ != v.typ {
				t.Errorf("TypeOf = %v, %v; want %v", typ, err, v.typ)
			}

			got := map[string]string{}
			got["publicKeyMultibase"], _ = PublicKeyMultibase(pub)
			got["secretKeyMultibase"], _ = SecretKeyMultibase(sk)
			got["did:key"], _ = DIDKey(pub)
			got["verification method"], _ = DIDKeyVerificationMethod(pub)
			want := map[string]string{
				"publicKeyMultibase":  v.public,
				"secretKeyMultibase":  v.reencoded,
				"did:key":             "did:key:" + v.public,
				"verification method": "did:key:" + v.public + "#" + v.public,
			}
			if diff := cmpDiff(want, got); diff != "" {
				t.Errorf("encodings (-want +got):\n%s", diff)
			}
			for _, did := range []string{want["did:key"], want["verification method"]} {
				k, err := ParseDIDKey(did)
				if err != nil || !equalKeys(k, pub) {
					t.Errorf("ParseDIDKey(%s) = %v, %v; want the published key", did, k, err)
				}
			}

			// The JWK forms are the same key.
			pj, err := PublicJWK(pub, "")
			if err != nil {
				t.Fatal(err)
			}
			pub2, _, err := ParsePublicJWK(pj)
			if err != nil || !equalKeys(pub2, pub) {
				t.Errorf("public JWK %s parses to %v, %v", pj, pub2, err)
			}
			sj, err := PrivateJWK(sk, "")
			if err != nil {
				t.Fatal(err)
			}
			sk2, _, err := ParsePrivateJWK(sj)
			if err != nil {
				t.Fatalf("ParsePrivateJWK: %v", err)
			}
			if s, _ := SecretKeyMultibase(sk2); s != v.reencoded {
				t.Errorf("private JWK re-encodes to a different secretKeyMultibase")
			}
			if dj, err := DIDJWK(pub); err != nil {
				t.Error(err)
			} else if k, err := ParseDIDJWK(dj); err != nil || !equalKeys(k, pub) {
				t.Errorf("ParseDIDJWK(%s) = %v, %v", dj, k, err)
			}

			msg := []byte("a badge")
			if sig := signDigest(t, sk, msg); !verifies(t, pub, msg, sig) {
				t.Error("a signature by the decoded secret key does not verify with the decoded public key")
			}
		})
	}
}

// TestOBVectorHex checks the OB 3.0 test key against its hex forms and
// reproduces its published signature (Ed25519 is deterministic).
func TestOBVectorHex(t *testing.T) {
	var ob obVector
	readJSON(t, "ob3/ob-keypair-and-intermediates.json", &ob)
	pub, err := ParsePublicKeyMultibase(ob.PublicKeyMultibase)
	if err != nil {
		t.Fatal(err)
	}
	if got := hex.EncodeToString(pub.(ed25519.PublicKey)); got != ob.PublicKeyHex {
		t.Errorf("public key %s, want %s", got, ob.PublicKeyHex)
	}
	sk, err := ParseSecretKeyMultibase(ob.SecretKeyMultibase)
	if err != nil {
		t.Fatal(err)
	}
	if got := hex.EncodeToString(sk.(ed25519.PrivateKey)); got != ob.PrivateKeyHex {
		t.Error("the secret key is not the published seed and public key")
	}
	msg, _ := hex.DecodeString(ob.DataToSignHex)
	sig, err := sk.Sign(nil, msg, crypto.Hash(0))
	if err != nil {
		t.Fatal(err)
	}
	if got := hex.EncodeToString(sig); got != ob.SignatureHex {
		t.Errorf("signature %s, want %s", got, ob.SignatureHex)
	}
	if id := ob.Controller + "#" + ob.PublicKeyMultibase; id != ob.ID {
		t.Errorf("verification method %s, want %s", id, ob.ID)
	}
}

// TestDataIntegritySignatures checks the W3C vectors' signatures: the
// Ed25519 one is reproduced byte for byte, the ECDSA ones (randomized)
// verify with the decoded public keys.
func TestDataIntegritySignatures(t *testing.T) {
	var ed, p256, p384 struct {
		Public  string `json:"publicKeyMultibase"`
		Private string `json:"privateKeyMultibase"`
	}
	readJSON(t, "di-eddsa/keyPair.json", &ed)
	readJSON(t, "di-ecdsa/p256KeyPair.json", &p256)
	readJSON(t, "di-ecdsa/p384KeyPair.json", &p384)

	sk, err := ParseSecretKeyMultibase(ed.Private)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := sk.Sign(nil, readHex(t, "di-eddsa/combinedHashDataInt.txt"), crypto.Hash(0))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := hex.EncodeToString(sig), hex.EncodeToString(readHex(t, "di-eddsa/sigHexDataInt.txt")); got != want {
		t.Errorf("eddsa-rdfc-2022 signature %s, want %s", got, want)
	}

	for _, c := range []struct {
		name, public, data, sig string
		digest                  func([]byte) []byte
	}{
		{"ecdsa-rdfc-2019-p256", p256.Public, "di-ecdsa/combinedHashECDSAP256.txt", "di-ecdsa/sigHexECDSAP256.txt",
			func(b []byte) []byte { d := sha256.Sum256(b); return d[:] }},
		{"ecdsa-rdfc-2019-p384", p384.Public, "di-ecdsa/combinedHashECDSAP384.txt", "di-ecdsa/sigHexECDSAP384.txt",
			func(b []byte) []byte { d := sha512.Sum384(b); return d[:] }},
	} {
		pub, err := ParsePublicKeyMultibase(c.public)
		if err != nil {
			t.Fatal(err)
		}
		sig := readHex(t, c.sig)
		r := new(big.Int).SetBytes(sig[:len(sig)/2])
		s := new(big.Int).SetBytes(sig[len(sig)/2:])
		if !ecdsa.Verify(pub.(*ecdsa.PublicKey), c.digest(readHex(t, c.data)), r, s) {
			t.Errorf("%s: the published signature does not verify with the decoded key", c.name)
		}
	}
}

// TestVectorVerificationMethods resolves the did:key verification methods
// the W3C proofs name to the vectors' public keys.
func TestVectorVerificationMethods(t *testing.T) {
	var ed, p256, p384 struct {
		Public string `json:"publicKeyMultibase"`
	}
	readJSON(t, "di-eddsa/keyPair.json", &ed)
	readJSON(t, "di-ecdsa/p256KeyPair.json", &p256)
	readJSON(t, "di-ecdsa/p384KeyPair.json", &p384)
	for _, c := range []struct{ file, public string }{
		{"di-eddsa/proofConfigEdSig.json", ed.Public},
		{"di-eddsa/proofConfigJCS.json", ed.Public},
		{"di-eddsa/proofConfigDataInt.json", ed.Public},
		{"di-ecdsa/proofConfigECDSAP256.json", p256.Public},
		{"di-ecdsa/proofConfigECDSAP384.json", p384.Public},
	} {
		var proof struct {
			VerificationMethod string `json:"verificationMethod"`
		}
		readJSON(t, c.file, &proof)
		got, err := ParseDIDKey(proof.VerificationMethod)
		if err != nil {
			t.Errorf("%s: %v", c.file, err)
			continue
		}
		want, _ := ParsePublicKeyMultibase(c.public)
		if !equalKeys(got, want) {
			t.Errorf("%s: %s is not the vector's key", c.file, proof.VerificationMethod)
		}
		vm, _ := DIDKeyVerificationMethod(got)
		if vm != proof.VerificationMethod {
			t.Errorf("%s: DIDKeyVerificationMethod = %s, want %s", c.file, vm, proof.VerificationMethod)
		}
	}
}

// joseVM is a JsonWebKey verification method with its secret key, from
// the VC-JOSE-COSE test suite.
type joseVM struct {
	ID           string          `json:"id"`
	Controller   string          `json:"controller"`
	PublicKeyJwk json.RawMessage `json:"publicKeyJwk"`
	SecretKeyJwk json.RawMessage `json:"secretKeyJwk"`
}

// TestJOSEVectors decodes the test suite's JWKs, checks that each kid is
// the key's RFC 7638 thumbprint, that the private JWK is refused where a
// public one is expected, and that the Multikey and did:jwk forms give the
// same key back.
func TestJOSEVectors(t *testing.T) {
	for _, c := range []struct {
		file string
		typ  Type
		// didJWK is the key's did:jwk, built by hand from the published
		// members: base64url({"crv":…,"kty":…,"x":…[,"y":…]}).
		didJWK string
	}{
		{"jose/vm-did-ed25519.json", Ed25519, "did:jwk:eyJjcnYiOiJFZDI1NTE5Iiwia3R5IjoiT0tQIiwieCI6Ik52VWhzalplN01kdjhFc29jNjBvM21hMVU1ajJ0RlVURHNPUWQzOXhNbkkifQ"},
		{"jose/vm-ed25519.json", Ed25519, "did:jwk:eyJjcnYiOiJFZDI1NTE5Iiwia3R5IjoiT0tQIiwieCI6Ik52VWhzalplN01kdjhFc29jNjBvM21hMVU1ajJ0RlVURHNPUWQzOXhNbkkifQ"},
		{"jose/vm-p256.json", P256, "did:jwk:eyJjcnYiOiJQLTI1NiIsImt0eSI6IkVDIiwieCI6IldmVGk5M1l1aHNReEtiRDBmdG5qT1hKbmRxaG5KNWtnRFYtWkRHeXJoQlEiLCJ5IjoicVVkXzU1RWpYMG1qS1o2VzZtRjRVWFZZVFE0MUs2amZkbllGd041dVB5ayJ9"},
		{"jose/vm-p384.json", P384, "did:jwk:eyJjcnYiOiJQLTM4NCIsImt0eSI6IkVDIiwieCI6IlBCTTEzRzFyVS1OUGN6U3BGTzdRR2MtdVNVSHFvRFBaU2JzaGdSODIwbGlncUZCMnlHRmJFOTBWbnBUaVNzd0ciLCJ5IjoieDdtZEQ2cmV1blVsU1E1TG9DMkdEcExPcmpiSU1MbnQxVEVHZ3hveVhTYUtTY1BQUllZN2hUcjNnZUN2RVpwZiJ9"},
		{"jose/vm-p521.json", P521, "did:jwk:eyJjcnYiOiJQLTUyMSIsImt0eSI6IkVDIiwieCI6IkFjOG10NFR2WWQzVE9yWXRUa19ZVFE1UVFNcGw1OE9uclU3dVJ4UUVVb09PXzZRblJCTTBYYW44S1FJXzBkUEt6Y0tCYWswWlNFWGNjNVNORlVCSFlmYlAiLCJ5IjoiQURQX2Nvd3NzdXJIQTd1TUh5NElPRGwyNDdvUWpDeFpXRlg3R3RyM2NGbWZWSXdFeUtHZWdySmg5b29aeTVGc3ZGVmJZd0FtTEtWZkdaczdPMTVSQnNPLSJ9"},
	} {
		t.Run(c.file, func(t *testing.T) {
			var vm joseVM
			readJSON(t, c.file, &vm)
			var published struct {
				Kid string `json:"kid"`
				Crv string `json:"crv"`
				Kty string `json:"kty"`
				X   string `json:"x"`
				Y   string `json:"y"`
			}
			if err := json.Unmarshal(vm.PublicKeyJwk, &published); err != nil {
				t.Fatal(err)
			}
			pub, kid, err := ParsePublicJWK(vm.PublicKeyJwk)
			if err != nil {
				t.Fatalf("ParsePublicJWK: %v", err)
			}
			if kid != published.Kid {
				t.Errorf("kid %q, want %q", kid, published.Kid)
			}
			if typ, _ := TypeOf(pub); typ != c.typ {
				t.Errorf("TypeOf = %s, want %s", typ, c.typ)
			}
			if tp, err := Thumbprint(pub); err != nil || tp != published.Kid {
				t.Errorf("Thumbprint = %q, %v; want the published kid %q", tp, err, published.Kid)
			}
			sk, skid, err := ParsePrivateJWK(vm.SecretKeyJwk)
			if err != nil {
				t.Fatalf("ParsePrivateJWK: %v", err)
			}
			if skid != published.Kid || !equalKeys(sk.Public(), pub) {
				t.Error("the secret JWK is not the public JWK's key")
			}
			if _, _, err := ParsePublicJWK(vm.SecretKeyJwk); !errors.Is(err, ErrJWK) {
				t.Errorf("ParsePublicJWK(secretKeyJwk) = %v, want an error wrapping ErrJWK", err)
			}
			msg := []byte("a badge")
			if !verifies(t, pub, msg, signDigest(t, sk, msg)) {
				t.Error("a signature by the secret JWK does not verify with the public JWK")
			}

			// Our public JWK has the published members.
			out, err := PublicJWK(pub, kid)
			if err != nil {
				t.Fatal(err)
			}
			var want, got map[string]any
			json.Unmarshal(vm.PublicKeyJwk, &want)
			json.Unmarshal(out, &got)
			if diff := cmpDiff(want, got); diff != "" {
				t.Errorf("PublicJWK (-published +ours):\n%s", diff)
			}

			// The Multikey form is the same key; P-521 has none here.
			mb, err := PublicKeyMultibase(pub)
			if c.typ == P521 {
				if !errors.Is(err, ErrUnsupportedKey) {
					t.Errorf("PublicKeyMultibase(P-521) = %q, %v; want an error wrapping ErrUnsupportedKey", mb, err)
				}
			} else if err != nil {
				t.Fatal(err)
			} else {
				if k, err := ParsePublicKeyMultibase(mb); err != nil || !equalKeys(k, pub) {
					t.Errorf("the Multikey %s is not the same key: %v", mb, err)
				}
				if sm, err := SecretKeyMultibase(sk); err != nil {
					t.Error(err)
				} else if s2, err := ParseSecretKeyMultibase(sm); err != nil || !equalKeys(s2.Public(), pub) {
					t.Errorf("the secret Multikey is not the same key: %v", err)
				}
			}

			did, err := DIDJWK(pub)
			if err != nil {
				t.Fatal(err)
			}
			if did != c.didJWK {
				t.Errorf("DIDJWK = %s, want %s", did, c.didJWK)
			}
			if k, err := ParseDIDJWK(did + "#0"); err != nil || !equalKeys(k, pub) {
				t.Errorf("ParseDIDJWK: %v", err)
			}
		})
	}
}

// equalKeys reports whether a and b are the same public key.
func equalKeys(a, b crypto.PublicKey) bool {
	e, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && e.Equal(b)
}
