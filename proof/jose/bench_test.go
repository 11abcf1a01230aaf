package jose

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"os"
	"testing"

	"github.com/go-openbadges/openbadges/keys"
)

// benchKeys are the keys of the benchmarks, by algorithm.
func benchKeys(tb testing.TB) []struct {
	alg keys.Algorithm
	key crypto.Signer
} {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		tb.Fatal(err)
	}
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ed := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32))
	return []struct {
		alg keys.Algorithm
		key crypto.Signer
	}{{keys.EdDSA, ed}, {keys.RS256, rsaKey}, {keys.ES256, p256}}
}

// benchCredential is testdata/bench/typical.json issued by issuer.
func benchCredential(tb testing.TB, issuer string) []byte {
	doc, err := os.ReadFile("testdata/bench/typical.json")
	if err != nil {
		tb.Fatal(err)
	}
	const typicalIssuer = "did:key:z6MkvDqGT54cXesYGvABpF1UapVNwjCqRcafi4Px6Thv5T3Z"
	if !bytes.Contains(doc, []byte(typicalIssuer)) {
		tb.Fatal("typical.json is not issued by " + typicalIssuer)
	}
	return bytes.ReplaceAll(doc, []byte(typicalIssuer), []byte(issuer))
}

// BenchmarkIssue signs the typical credential as a VC-JWT with each
// algorithm (jwt-EdDSA, jwt-RS256, jwt-ES256), side by side with the bare
// signature over a signing input of the same size (the floor).
func BenchmarkIssue(b *testing.B) {
	ctx := context.Background()
	for _, k := range benchKeys(b) {
		issuer, kid := identityFor(b, k.key.Public())
		cred := benchCredential(b, issuer)
		s := &Signer{Key: k.key, KeyID: kid}
		b.Run("jwt-"+string(k.alg), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(cred)))
			for b.Loop() {
				if _, err := s.Sign(ctx, cred); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("jwt-"+string(k.alg)+"-signature-only", func(b *testing.B) {
			input := make([]byte, len(cred)*4/3+300)
			rand.Read(input)
			for b.Loop() {
				if _, err := signRaw(k.key, string(k.alg), input); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkVerify verifies what BenchmarkIssue signs, side by side with
// the bare signature check.
func BenchmarkVerify(b *testing.B) {
	ctx := context.Background()
	for _, k := range benchKeys(b) {
		issuer, kid := identityFor(b, k.key.Public())
		token, err := (&Signer{Key: k.key, KeyID: kid}).Sign(ctx, benchCredential(b, issuer))
		if err != nil {
			b.Fatal(err)
		}
		v := &Verifier{}
		b.Run("jwt-"+string(k.alg), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(token)))
			for b.Loop() {
				res, err := v.Verify(ctx, []byte(token))
				if err != nil || !res.Verified {
					b.Fatal(err, res.Err)
				}
			}
		})
		b.Run("jwt-"+string(k.alg)+"-signature-only", func(b *testing.B) {
			pub := k.key.Public()
			input, sig := signingInput(token)
			for b.Loop() {
				if !rawVerify(pub, k.alg, input, sig) {
					b.Fatal("raw verify failed")
				}
			}
		})
	}
}

// BenchmarkNewSigner signs the typical credential as a VC-JWT (EdDSA) with
// a Signer made for the call (new-per-call) beside one reused (reused):
// the contexts of the safe-mode check are shared by the whole process, so
// the two should cost about the same.
func BenchmarkNewSigner(b *testing.B) {
	ctx := context.Background()
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32))
	issuer, kid := identityFor(b, key.Public())
	doc := benchCredential(b, issuer)
	run := func(b *testing.B, s func() *Signer) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s().Sign(ctx, doc); err != nil {
				b.Fatal(err)
			}
		}
	}
	reused := &Signer{Key: key, KeyID: kid}
	b.Run("reused", func(b *testing.B) { run(b, func() *Signer { return reused }) })
	b.Run("new-per-call", func(b *testing.B) { run(b, func() *Signer { return &Signer{Key: key, KeyID: kid} }) })
}
