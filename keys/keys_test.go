package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestGenerate makes a key of each type and takes it through every
// encoding it has.
func TestGenerate(t *testing.T) {
	for _, c := range []struct {
		typ      Type
		alg      Algorithm
		bits     int
		multikey bool
	}{
		{Ed25519, EdDSA, 0, true},
		{P256, ES256, 256, true},
		{P384, ES384, 384, true},
		{RSA2048, RS256, 2048, false},
		{RSA3072, RS256, 3072, false},
	} {
		t.Run(string(c.typ), func(t *testing.T) {
			t.Parallel()
			s := mustGenerate(t, c.typ)
			pub := s.Public()
			switch k := pub.(type) {
			case ed25519.PublicKey:
			case *ecdsa.PublicKey:
				if k.Curve.Params().BitSize != c.bits {
					t.Errorf("curve of %d bits, want %d", k.Curve.Params().BitSize, c.bits)
				}
			case *rsa.PublicKey:
				if k.N.BitLen() != c.bits {
					t.Errorf("modulus of %d bits, want %d", k.N.BitLen(), c.bits)
				}
			}
			if alg, err := AlgorithmOf(pub); err != nil || alg != c.alg {
				t.Errorf("AlgorithmOf = %v, %v; want %v", alg, err, c.alg)
			}
			if typ, err := TypeOf(pub); err != nil || typ != c.typ {
				t.Errorf("TypeOf = %v, %v; want %v", typ, err, c.typ)
			}
			if typ, err := ParseType(string(c.typ)); err != nil || typ != c.typ {
				t.Errorf("ParseType(%q) = %v, %v", c.typ, typ, err)
			}
			k := mustKey(t, "did:web:example.edu#k", "did:web:example.edu", s)
			if k.Algorithm != c.alg || !equalKeys(k.Public, pub) || k.Signer == nil || !equalKeys(k.Signer.Public(), pub) {
				t.Errorf("NewKey = %v", k)
			}
			msg := []byte("a badge")
			if !verifies(t, pub, msg, signDigest(t, s, msg)) {
				t.Error("signature does not verify")
			}
			tp, err := Thumbprint(pub)
			if err != nil {
				t.Fatal(err)
			}

			// JWK, both ways.
			pj, err := PublicJWK(pub, "kid-1")
			if err != nil {
				t.Fatal(err)
			}
			p2, kid, err := ParsePublicJWK(pj)
			if err != nil || kid != "kid-1" || !equalKeys(p2, pub) {
				t.Errorf("ParsePublicJWK(PublicJWK) = %v, %q, %v", p2, kid, err)
			}
			if tp2, _ := Thumbprint(p2); tp2 != tp {
				t.Errorf("thumbprint changed through a JWK: %s, %s", tp, tp2)
			}
			sj, err := PrivateJWK(s, "kid-1")
			if err != nil {
				t.Fatal(err)
			}
			s2, _, err := ParsePrivateJWK(sj)
			if err != nil || !equalKeys(s2.Public(), pub) {
				t.Fatalf("ParsePrivateJWK(PrivateJWK) = %v", err)
			}
			if !verifies(t, pub, msg, signDigest(t, s2, msg)) {
				t.Error("the key read back from its private JWK does not sign")
			}
			if _, _, err := ParsePublicJWK(sj); err == nil {
				t.Error("ParsePublicJWK accepted a private JWK")
			}

			// did:jwk.
			did, err := DIDJWK(pub)
			if err != nil {
				t.Fatal(err)
			}
			vm, _ := DIDJWKVerificationMethod(pub)
			if vm != did+"#0" {
				t.Errorf("DIDJWKVerificationMethod = %s", vm)
			}
			for _, d := range []string{did, vm} {
				if p, err := ParseDIDJWK(d); err != nil || !equalKeys(p, pub) {
					t.Errorf("ParseDIDJWK(%s) = %v", d, err)
				}
			}

			// Multikey and did:key.
			mb, err := PublicKeyMultibase(pub)
			if !c.multikey {
				if err == nil {
					t.Errorf("PublicKeyMultibase of %s = %s, want an error", c.typ, mb)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p, err := ParsePublicKeyMultibase(mb); err != nil || !equalKeys(p, pub) {
				t.Errorf("ParsePublicKeyMultibase: %v", err)
			}
			prefix := map[Type]string{Ed25519: "z6Mk", P256: "zDna", P384: "z82L"}[c.typ]
			if !strings.HasPrefix(mb, prefix) {
				t.Errorf("publicKeyMultibase %s does not start with %s", mb, prefix)
			}
			sm, err := SecretKeyMultibase(s)
			if err != nil {
				t.Fatal(err)
			}
			if s3, err := ParseSecretKeyMultibase(sm); err != nil || !equalKeys(s3.Public(), pub) {
				t.Errorf("ParseSecretKeyMultibase: %v", err)
			} else if sm2, _ := SecretKeyMultibase(s3); sm2 != sm {
				t.Error("secretKeyMultibase does not round-trip")
			}
			dk, err := DIDKey(pub)
			if err != nil || dk != "did:key:"+mb {
				t.Errorf("DIDKey = %s, %v", dk, err)
			}
			dvm, _ := DIDKeyVerificationMethod(pub)
			if p, err := ParseDIDKey(dvm); err != nil || !equalKeys(p, pub) {
				t.Errorf("ParseDIDKey(%s): %v", dvm, err)
			}
		})
	}
}

func TestAlgorithmOfUnsupported(t *testing.T) {
	p224, _ := ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
	for _, pub := range []crypto.PublicKey{
		nil,
		ed25519.PublicKey(make([]byte, 31)),
		&p224.PublicKey,
		(*ecdsa.PublicKey)(nil),
		(*rsa.PublicKey)(nil),
		&rsa.PublicKey{},
		"a string",
	} {
		if alg, err := AlgorithmOf(pub); err == nil {
			t.Errorf("AlgorithmOf(%T) = %s, want an error", pub, alg)
		}
		if typ, err := TypeOf(pub); err == nil {
			t.Errorf("TypeOf(%T) = %s, want an error", pub, typ)
		}
	}
	if _, err := NewKey("k", "c", nil); err == nil {
		t.Error("NewKey accepted a nil signer")
	}
}

func TestParseTypeAliases(t *testing.T) {
	got := map[string]Type{}
	for _, s := range []string{"Ed25519", "P-256", "p-384", "P-521", "RSA", "rsa3072"} {
		typ, err := ParseType(s)
		if err != nil {
			t.Fatal(err)
		}
		got[s] = typ
	}
	want := map[string]Type{"Ed25519": Ed25519, "P-256": P256, "p-384": P384, "P-521": P521, "RSA": RSA2048, "rsa3072": RSA3072}
	if diff := cmpDiff(want, got); diff != "" {
		t.Error(diff)
	}
	if diff := cmpDiff([]Type{Ed25519, P256, P384, P521, RSA2048, RSA3072}, Types()); diff != "" {
		t.Error(diff)
	}
}

// TestKeyRedacts prints a Key with every verb and checks that its private
// key never shows.
func TestKeyRedacts(t *testing.T) {
	for _, typ := range []Type{Ed25519, P256, RSA2048} {
		s := mustGenerate(t, typ)
		secrets := secretStrings(t, s)
		if e, ok := s.(ed25519.PrivateKey); ok {
			secrets = append(secrets, fmt.Sprint([]byte(e.Seed()))[:20]) // "[12 34 56 …" as %v prints bytes
		}
		k := mustKey(t, "did:web:example.edu#key-1", "did:web:example.edu", s)
		k.NotBefore = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		want := `Key{ID: "did:web:example.edu#key-1", Controller: "did:web:example.edu", Algorithm: ` + string(k.Algorithm) + `, Signer: [redacted], NotBefore: 2024-01-01T00:00:00Z}`
		for _, f := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.3v"} {
			for _, v := range []any{k, *k, []*Key{k}, []Key{*k}, struct{ K *Key }{k}, map[string]Key{"k": *k}} {
				out := fmt.Sprintf(f, v)
				assertNoSecret(t, fmt.Sprintf("Sprintf(%q, %T)", f, v), out, secrets)
			}
			if got := fmt.Sprintf(f, k); got != want {
				t.Errorf("Sprintf(%q, k) = %s, want %s", f, got, want)
			}
		}
		if got := k.String(); got != want {
			t.Errorf("String = %s", got)
		}
	}
}

func TestValidAt(t *testing.T) {
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	t1 := t0.Add(24 * time.Hour)
	k := &Key{NotBefore: t0, NotAfter: t1}
	got := map[string]bool{}
	for name, at := range map[string]time.Time{
		"before":      t0.Add(-time.Nanosecond),
		"NotBefore":   t0,
		"inside":      t0.Add(time.Hour),
		"just before": t1.Add(-time.Nanosecond),
		"NotAfter":    t1,
		"after":       t1.Add(time.Hour),
	} {
		got[name] = k.ValidAt(at)
	}
	want := map[string]bool{"before": false, "NotBefore": true, "inside": true, "just before": true, "NotAfter": false, "after": false}
	if diff := cmpDiff(want, got); diff != "" {
		t.Errorf("ValidAt (-want +got):\n%s", diff)
	}
	if !(&Key{}).ValidAt(t0) || (&Key{}).Retired() || !k.Retired() {
		t.Error("a key without a window is valid at any time and not retired")
	}
}
