package keys

import (
	"crypto/ed25519"
	"os"
	"strings"
	"testing"
)

// Seeds shared by the fuzz tests: published keys and near misses.
var (
	multibaseSeeds = []string{
		edPub, edSecret, edPub2,
		"zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP",
		"z42twTcNeSYcnqg1FLuSFs2bsGH3ZqbRHFmvS9XMsYhjxvHN",
		"z82LkuBieyGShVBhvtE2zoiD6Kma4tJGFtkAhxR5pfkp5QPw4LutoYWhvQCnGjdVn14kujQ",
		"z2fanyY7zgwNpZGxX5fXXibvScNaUWNprHU9dKx7qpVj7mws9J8LLt4mDB5TyH2GLHWkUc",
		"zrv2bqTbNwCTsRrHFcJCPjVAduh4Ezcnoq1A3ZxH1GWTNkxipLVuaAoMFmze2gFN9oNXfJjufxSHWVZzsJiUsMHFMcx",
		"zDnaeQRy3dcKsKa1zmKtVKsTy3m2HYoQnFnfKuxD6HfSTQgYg",
		"zQhVUSQB8r3ACLXMQ8ZQ5LScK2FJMWTHMWfePRsSFou3J3afZ",
		"z", "z1", "z111", "",
		// Ed25519 keys off the curve (y = 2), not canonical (y = p + 3),
		// and of small order (the identity).
		"z6Mkeb4rtEhc8DUtvt5ehaVjdx3TLbQPpnTArkXhqfb1Mq75",
		"z6Mkvg2JPc7mj3oXZCpWHB9ScRB6BvScZqnrR4Ew9Gjrd75G",
		"z6MkeXATEjyXENzBXBxgC5EHk2JE5aqd7qMGGtDpLUH1e2Sj",
	}
	jwkSeeds = []string{
		edJWK, edPrivJWK, p256JWK, p384JWK,
		`{"alg":"ES256","crv":"P-256","d":"` + p256D + `","kty":"EC","x":"WfTi93YuhsQxKbD0ftnjOXJndqhnJ5kgDV-ZDGyrhBQ","y":"qUd_55EjX0mjKZ6W6mF4UXVYTQ41K6jfdnYFwN5uPyk"}`,
		`{"kty":"oct","k":"AAAA"}`,
		`{"kty":"RSA","n":"AQAB","e":"AQAB"}`,
		`{}`, `[]`, `{"kty":"OKP","crv":"Ed25519","x":"NvUhsjZe7Mdv8Esoc60o3ma1U5j2tFUTDsOQd39xMnI","x":"NvUhsjZe7Mdv8Esoc60o3ma1U5j2tFUTDsOQd39xMnI"}`,
		// edJWK with one bit flipped, off the curve.
		`{"kty":"OKP","crv":"Ed25519","x":"FvUhsjZe7Mdv8Esoc60o3ma1U5j2tFUTDsOQd39xMnI"}`,
	}
)

// checkValidEd25519 fails the test if a parser accepted an Ed25519 key
// that the oracle ed25519Valid calls invalid (off the curve, not canonical,
// of small order).
func checkValidEd25519(t *testing.T, pub any) {
	t.Helper()
	if k, ok := pub.(ed25519.PublicKey); ok && !ed25519Valid(k) {
		t.Fatalf("accepted the invalid Ed25519 public key %x", []byte(k))
	}
}

func addFileSeeds(f *testing.F, paths ...string) {
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

func FuzzParsePublicKeyMultibase(f *testing.F) {
	for _, s := range multibaseSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		pub, err := ParsePublicKeyMultibase(s)
		if err != nil {
			return
		}
		checkValidEd25519(t, pub)
		// The encoding is canonical: a key has one publicKeyMultibase.
		out, err := PublicKeyMultibase(pub)
		if err != nil {
			t.Fatalf("PublicKeyMultibase of a parsed key: %v", err)
		}
		if out != s {
			t.Fatalf("%q parsed and encoded back as %q", s, out)
		}
	})
}

func FuzzParseSecretKeyMultibase(f *testing.F) {
	for _, s := range multibaseSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sk, err := ParseSecretKeyMultibase(s)
		if err != nil {
			return
		}
		out, err := SecretKeyMultibase(sk)
		if err != nil {
			t.Fatalf("SecretKeyMultibase of a parsed key: %v", err)
		}
		// Only the 64-byte Ed25519 form is written differently.
		if _, ed := sk.(ed25519.PrivateKey); out != s && !(ed && len(s) > len(out)) {
			t.Fatalf("%q parsed and encoded back as %q", s, out)
		}
		sk2, err := ParseSecretKeyMultibase(out)
		if err != nil || !equalKeys(sk2.Public(), sk.Public()) {
			t.Fatalf("the re-encoded key does not parse back: %v", err)
		}
	})
}

func FuzzParsePublicJWK(f *testing.F) {
	for _, s := range jwkSeeds {
		f.Add([]byte(s))
	}
	addFileSeeds(f, "testdata/golden/jwks.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		pub, kid, err := ParsePublicJWK(data)
		if err != nil {
			return
		}
		checkValidEd25519(t, pub)
		out, err := PublicJWK(pub, kid)
		if err != nil {
			t.Fatalf("PublicJWK of a parsed key: %v", err)
		}
		pub2, kid2, err := ParsePublicJWK(out)
		if err != nil || kid2 != kid || !equalKeys(pub2, pub) {
			t.Fatalf("%s does not parse back to the same key: %v", out, err)
		}
		did, err := DIDJWK(pub)
		if err != nil {
			t.Fatal(err)
		}
		if pub3, err := ParseDIDJWK(did); err != nil || !equalKeys(pub3, pub) {
			t.Fatalf("did:jwk %s does not parse back: %v", did, err)
		}
	})
}

func FuzzParsePrivateJWK(f *testing.F) {
	for _, s := range jwkSeeds {
		f.Add([]byte(s))
	}
	addFileSeeds(f, "testdata/rsa2048-test-key.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		sk, kid, err := ParsePrivateJWK(data)
		if err != nil {
			if strings.Contains(err.Error(), `"d":`) {
				t.Fatalf("error quotes the private member: %v", err)
			}
			return
		}
		out, err := PrivateJWK(sk, kid)
		if err != nil {
			t.Fatalf("PrivateJWK of a parsed key: %v", err)
		}
		sk2, kid2, err := ParsePrivateJWK(out)
		if err != nil || kid2 != kid || !equalKeys(sk2.Public(), sk.Public()) {
			t.Fatalf("the private JWK does not parse back to the same key: %v", err)
		}
		if _, _, err := ParsePublicJWK(data); err == nil {
			t.Fatal("ParsePublicJWK accepted a private JWK")
		}
	})
}

func FuzzParseDIDKey(f *testing.F) {
	for _, s := range multibaseSeeds {
		f.Add("did:key:" + s)
		f.Add("did:key:" + s + "#" + s)
	}
	f.Add("did:key:" + edPub + "#" + edPub2)
	f.Fuzz(func(t *testing.T, s string) {
		pub, err := ParseDIDKey(s)
		if err != nil {
			return
		}
		checkValidEd25519(t, pub)
		did, err := DIDKey(pub)
		if err != nil {
			t.Fatal(err)
		}
		vm, _ := DIDKeyVerificationMethod(pub)
		if s != did && s != vm {
			t.Fatalf("%q parsed and encoded back as %q", s, did)
		}
	})
}

func FuzzParseDIDJWK(f *testing.F) {
	for _, s := range jwkSeeds {
		f.Add("did:jwk:" + b64([]byte(s)))
		f.Add("did:jwk:" + b64([]byte(s)) + "#0")
	}
	f.Add("did:jwk:eyJjcnYiOiJFZDI1NTE5Iiwia3R5IjoiT0tQIiwieCI6Ik52VWhzalplN01kdjhFc29jNjBvM21hMVU1ajJ0RlVURHNPUWQzOXhNbkkifQ")
	f.Fuzz(func(t *testing.T, s string) {
		pub, err := ParseDIDJWK(s)
		if err != nil {
			return
		}
		checkValidEd25519(t, pub)
		did, err := DIDJWK(pub)
		if err != nil {
			t.Fatal(err)
		}
		if pub2, err := ParseDIDJWK(did); err != nil || !equalKeys(pub2, pub) {
			t.Fatalf("%s does not parse back: %v", did, err)
		}
	})
}
