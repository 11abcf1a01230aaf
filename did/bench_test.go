package did_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
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

// For comparison: the issuer#z6Mk… form offline, and a controller document
// from a Map (parsed on each call).
//
// NewResolver no longer reads a key from the fragment (Fragment is out of
// its chain: the key is the reference's word, not the issuer's), so offline
// this reference resolves to nothing. What a verifier still does with it is
// measured here under the old name: the default chain declines it (four
// resolvers, the last for want of a fetcher), the error is classified as
// undecided, and Fragment reads the key as a hint.
func BenchmarkNewResolverFragment(b *testing.B) {
	ctx := context.Background()
	r := did.NewResolver(did.Options{})
	ref := "https://example.edu/issuers/565049#" + obKey
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Resolve(ctx, ref); !did.Undecided(err) {
			b.Fatalf("Resolve: %v, want an undecided error", err)
		}
		if vm, err := (did.Fragment{}).Resolve(ctx, ref); err != nil || vm.Binding != did.BindingAsserted {
			b.Fatalf("Fragment: %v, %v", vm, err)
		}
	}
}

func BenchmarkNewResolverMap(b *testing.B) {
	docs := map[string][]byte{"https://example.edu/issuers/565049": readFile(b, "testdata/di-eddsa/ob3-1edtech/controller-document.SYNTHESIZED.json")}
	benchmarkResolve(b, did.NewResolver(did.Options{Documents: docs}), "https://example.edu/issuers/565049#"+obKey)
}

// FindKey in the same document as BenchmarkNewResolverMap.
func BenchmarkFindKeyMap(b *testing.B) {
	const issuer = "https://example.edu/issuers/565049"
	m := did.Map{issuer: readFile(b, "testdata/di-eddsa/ob3-1edtech/controller-document.SYNTHESIZED.json")}
	benchmarkFindKey(b, m, issuer, obKey)
}

// FindKey in a hostile document near MaxDocumentSize: MaxMethods methods in
// verificationMethod and in each relationship, none with the key looked
// for. It reads the document once, so this costs about as much as reading
// every method once (it used to read the whole document again for each
// method: hundreds of times as much).
func BenchmarkFindKeyLargeDocument(b *testing.B) {
	const c = "did:web:example.com"
	var members []string
	for _, name := range []string{"verificationMethod", did.AssertionMethod, did.Authentication, did.CapabilityInvocation, did.CapabilityDelegation, did.KeyAgreement} {
		var list []string
		for i := range did.MaxMethods {
			list = append(list, fmt.Sprintf(`{"id": "#%s-%d", "type": "Multikey", "controller": %q, "publicKeyMultibase": %q, "x": %q}`,
				name, i, c, w3cEd25519, strings.Repeat("x", 250)))
		}
		members = append(members, fmt.Sprintf("%q: [%s]", name, strings.Join(list, ", ")))
	}
	doc := fmt.Sprintf(`{"id": %q, %s}`, c, strings.Join(members, ", "))
	if len(doc) > did.MaxDocumentSize {
		b.Fatalf("document of %d bytes", len(doc))
	}
	m := did.Map{c: []byte(doc)}
	pub := parseKey(b, w3cP256)
	ctx := context.Background()
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.FindKey(ctx, c, pub); !errors.Is(err, did.ErrNotListed) {
			b.Fatal(err)
		}
	}
}

func benchmarkFindKey(b *testing.B, f did.KeyFinder, controller, key string) {
	ctx := context.Background()
	pub := parseKey(b, key)
	if _, err := f.FindKey(ctx, controller, pub); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.FindKey(ctx, controller, pub); err != nil {
			b.Fatal(err)
		}
	}
}

// Resolve in a hostile document near MaxDocumentSize that defines one
// method MaxMethods times in verificationMethod, the first definition
// padded with spaces to most of the document: the definitions are compared
// with the first one decoded once, not once per comparison.
func BenchmarkResolveDuplicateDefinitions(b *testing.B) {
	const c = "did:web:example.com"
	mk := fmt.Sprintf(`{"id": "#k", "type": "Multikey", "controller": %q, "publicKeyMultibase": %q}`, c, w3cEd25519)
	padded := strings.Replace(mk, `{`, `{`+strings.Repeat(" ", 200<<10), 1)
	defs := append([]string{padded}, slices.Repeat([]string{mk}, did.MaxMethods-1)...)
	doc := fmt.Sprintf(`{"id": %q, "verificationMethod": [%s], "assertionMethod": ["#k"]}`, c, strings.Join(defs, ", "))
	if len(doc) > did.MaxDocumentSize {
		b.Fatalf("document of %d bytes", len(doc))
	}
	b.SetBytes(int64(len(doc)))
	benchmarkResolve(b, did.Map{c: []byte(doc)}, c+"#k")
}
