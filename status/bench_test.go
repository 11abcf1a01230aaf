package status

import (
	"context"
	"testing"
	"time"
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

// BenchmarkCheck measures Checker.Check of a credential with one entry:
// with the list cached (the usual case), and retrieving and verifying it
// every time (MaxCacheAge < 0), for a Data Integrity list, a VC-JWT list
// and a 1EdTech list.
func BenchmarkCheck(b *testing.B) {
	f := newCheckerFixture(b)
	now := func() time.Time { return fixedNow }
	creds := map[string][]byte{
		"di":      f.cred(b, bitEntry(fxRev, Revocation, f.revIdx)),
		"jwt":     f.cred(b, bitEntry(fxJWT, Revocation, f.okIdx)),
		"1edtech": credentialWith(b, "urn:uuid:revoked", f.issuer.did, map[string]any{"id": fxEd, "type": "1EdTechRevocationList"}),
	}
	for _, cached := range []bool{true, false} {
		for _, kind := range []string{"di", "jwt", "1edtech"} {
			name := kind + "/uncached"
			c := &Checker{Documents: f.docs, Now: now, MaxCacheAge: -1}
			if cached {
				name = kind + "/cached"
				c = &Checker{Documents: f.docs, Now: now}
			}
			cred := creds[kind]
			b.Run(name, func(b *testing.B) {
				ctx := context.Background()
				if _, err := c.Check(ctx, cred); err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				for b.Loop() {
					rs, err := c.Check(ctx, cred)
					if err != nil || rs[0].Outcome == Indeterminate {
						b.Fatalf("%v %+v", err, rs)
					}
				}
			})
		}
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
