package status

import (
	"context"
	"testing"
)

// BenchmarkAllocate measures Registry.Allocate from a list of
// MinListLength entries: a random index recorded in the Store (for a
// DirStore, written and synced to disk).
func BenchmarkAllocate(b *testing.B) {
	for _, st := range stores {
		b.Run(st.name, func(b *testing.B) {
			ctx := context.Background()
			r := &Registry{Store: st.new(b), NextURL: NextNumberedURL}
			if _, err := r.Create(ctx, testURL, nil); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := r.Allocate(ctx, testURL); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRevoke measures Registry.Revoke of allocated indices.
func BenchmarkRevoke(b *testing.B) {
	for _, st := range stores {
		b.Run(st.name, func(b *testing.B) {
			ctx := context.Background()
			r := &Registry{Store: st.new(b)}
			if _, err := r.Create(ctx, testURL, nil); err != nil {
				b.Fatal(err)
			}
			var idx []int
			for range 256 {
				e, err := r.Allocate(ctx, testURL)
				if err != nil {
					b.Fatal(err)
				}
				i, _ := e.Index()
				idx = append(idx, i)
			}
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				if err := r.Revoke(ctx, testURL, idx[n%len(idx)]); err != nil {
					b.Fatal(err)
				}
				n++
			}
		})
	}
}

// BenchmarkParseBitstring measures decoding a 131,072-entry list.
func BenchmarkParseBitstring(b *testing.B) {
	encoded := encodedListOf(b, "dcc/revocation-list-signed.json")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseBitstring(encoded, 0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncode measures encoding a 131,072-entry list with 1,000 bits
// set.
func BenchmarkEncode(b *testing.B) {
	bits, _ := NewBitstring(MinListLength)
	for i := range 1000 {
		_ = bits.Set(i*131, true)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = bits.Encode()
	}
}
