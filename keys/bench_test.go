package keys

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"testing"
)

func BenchmarkGenerate(b *testing.B) {
	for _, typ := range []Type{Ed25519, P256} {
		b.Run(string(typ), func(b *testing.B) {
			for b.Loop() {
				if _, err := Generate(typ); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSignThroughStore measures what a signer does per credential:
// find the controller's active key in a store and sign a 32-byte digest.
func BenchmarkSignThroughStore(b *testing.B) {
	ctx := context.Background()
	digest := sha256.Sum256([]byte("a credential"))
	for _, kind := range storeKinds {
		for _, typ := range []Type{Ed25519, P256} {
			b.Run(kind.name+"/"+string(typ), func(b *testing.B) {
				s := kind.open(b, nil)
				if err := s.Add(ctx, mustKey(b, issuer+"#key-1", issuer, mustGenerate(b, typ))); err != nil {
					b.Fatal(err)
				}
				var opts crypto.SignerOpts = crypto.SHA256
				if typ == Ed25519 {
					opts = crypto.Hash(0)
				}
				b.ReportAllocs()
				for b.Loop() {
					k, err := s.ActiveKey(ctx, issuer)
					if err != nil {
						b.Fatal(err)
					}
					if _, err := k.Signer.Sign(rand.Reader, digest[:], opts); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkActiveKey measures the store lookup alone.
func BenchmarkActiveKey(b *testing.B) {
	ctx := context.Background()
	for _, kind := range storeKinds {
		b.Run(kind.name, func(b *testing.B) {
			s := kind.open(b, nil)
			if err := s.Add(ctx, mustKey(b, issuer+"#key-1", issuer, mustGenerate(b, Ed25519))); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.ActiveKey(ctx, issuer); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkParsePublicKeyMultibase(b *testing.B) {
	for name, s := range map[string]string{
		"ed25519": edPub,
		"p256":    "zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP",
		"p384":    "z82LkuBieyGShVBhvtE2zoiD6Kma4tJGFtkAhxR5pfkp5QPw4LutoYWhvQCnGjdVn14kujQ",
	} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParsePublicKeyMultibase(s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkDIDKey(b *testing.B) {
	pub, err := ParsePublicKeyMultibase(edPub)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DIDKey(pub); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParsePublicJWK(b *testing.B) {
	for name, s := range map[string]string{"ed25519": edJWK, "p256": p256JWK} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := ParsePublicJWK([]byte(s)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
