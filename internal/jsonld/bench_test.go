package jsonld

import (
	"context"
	"os"
	"testing"

	"github.com/go-openbadges/openbadges/internal/rdfc"
)

// BenchmarkConvert converts the typical credential of the proof
// benchmarks on the fast path (to quads, to a safe-mode verdict, to
// canonical N-Quads) and on the general path.
func BenchmarkConvert(b *testing.B) {
	raw, err := os.ReadFile("../../proof/dataintegrity/testdata/bench/typical.json")
	if err != nil {
		b.Fatal(err)
	}
	v, err := decodeJSON(raw)
	if err != nil {
		b.Fatal(err)
	}
	doc := v.(map[string]any)
	c := testConverter(b)
	ctx := context.Background()
	b.Run("fast", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, ok := c.fastToRDF(nil, doc); !ok {
				b.Fatal("not taken")
			}
		}
	})
	b.Run("check", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := c.Check(ctx, doc); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("canonical", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Canonical(ctx, doc, rdfc.Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("general", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.general(ctx, doc); err != nil {
				b.Fatal(err)
			}
		}
	})
}
