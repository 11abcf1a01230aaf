package did_test

import (
	"context"
	"testing"

	"github.com/go-openbadges/openbadges/did"
)

func benchmarkResolve(b *testing.B, r did.Resolver, ref string) {
	ctx := context.Background()
	if _, err := r.Resolve(ctx, ref); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Resolve(ctx, ref); err != nil {
			b.Fatal(err)
		}
	}
}

// did:key of the W3C vectors' keys, through Key and through the default
// chain (Key is its first resolver, so the two should be within noise).
func BenchmarkKeyEd25519(b *testing.B) {
	benchmarkResolve(b, did.Key{}, "did:key:"+w3cEd25519+"#"+w3cEd25519)
}

func BenchmarkKeyP256(b *testing.B) {
	benchmarkResolve(b, did.Key{}, "did:key:"+w3cP256+"#"+w3cP256)
}

func BenchmarkNewResolverEd25519(b *testing.B) {
	benchmarkResolve(b, did.NewResolver(did.Options{}), "did:key:"+w3cEd25519+"#"+w3cEd25519)
}

func BenchmarkNewResolverP256(b *testing.B) {
	benchmarkResolve(b, did.NewResolver(did.Options{}), "did:key:"+w3cP256+"#"+w3cP256)
}

// For comparison: the issuer#z6Mk… form offline (five resolvers decline
// before Fragment reads it), and a controller document from a Map (parsed
// on each call).
func BenchmarkNewResolverFragment(b *testing.B) {
	benchmarkResolve(b, did.NewResolver(did.Options{}), "https://example.edu/issuers/565049#"+obKey)
}

func BenchmarkNewResolverMap(b *testing.B) {
	docs := map[string][]byte{"https://example.edu/issuers/565049": readFile(b, "testdata/di-eddsa/ob3-1edtech/controller-document.SYNTHESIZED.json")}
	benchmarkResolve(b, did.NewResolver(did.Options{Documents: docs}), "https://example.edu/issuers/565049#"+obKey)
}
