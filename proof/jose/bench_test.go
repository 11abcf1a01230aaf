package jose

import (
	"context"
	"crypto/rand"
	"testing"

	"github.com/go-openbadges/openbadges/keys"
)

// BenchmarkSign signs a typical OB 3.0 credential as a VC-JWT with each
// algorithm, side by side with the raw signature over the same bytes (the
// floor).
func BenchmarkSign(b *testing.B) {
	for alg, key := range testKeys(b) {
		issuer, kid := identityFor(b, key.Public())
		cred := credentialFor(issuer)
		s := &Signer{Key: key, KeyID: kid}
		b.Run(string(alg)+"/sign", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Sign(context.Background(), cred); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(string(alg)+"/raw-signature", func(b *testing.B) {
			input := make([]byte, len(cred)*4/3+300)
			rand.Read(input)
			for b.Loop() {
				if _, err := signRaw(key, string(alg), input); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkVerify verifies what BenchmarkSign signs, side by side with the
// raw signature check.
func BenchmarkVerify(b *testing.B) {
	for alg, key := range testKeys(b) {
		issuer, kid := identityFor(b, key.Public())
		token, err := (&Signer{Key: key, KeyID: kid}).Sign(context.Background(), credentialFor(issuer))
		if err != nil {
			b.Fatal(err)
		}
		v := &Verifier{}
		b.Run(string(alg)+"/verify", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				res, err := v.Verify(context.Background(), []byte(token))
				if err != nil || !res.Verified {
					b.Fatal(err, res.Err)
				}
			}
		})
		b.Run(string(alg)+"/raw-signature", func(b *testing.B) {
			pub := key.Public()
			input, sig := signingInput(token)
			for b.Loop() {
				if !rawVerify(pub, alg, input, sig) {
					b.Fatal("raw verify failed")
				}
			}
		})
	}
	_ = keys.EdDSA
}
