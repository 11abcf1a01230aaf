package verify

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkVerifyClr verifies a record of n credentials (the record's own
// proof over all of them, then each one) beside its baseline: the same n
// credentials verified one by one (parts). The difference is what the
// record adds: its proof, which canonicalizes every credential inside it
// once more, and its rules.
func BenchmarkVerifyClr(b *testing.B) {
	p := newClrParties(b)
	v, err := New(Trust{})
	if err != nil {
		b.Fatal(err)
	}
	policy := &Policy{Now: t2026}
	for _, n := range []int{1, 10} {
		creds := make([][]byte, n)
		for i := range creds {
			creds[i] = p.provider.signDI(b, p.provider.award(b, nil))
		}
		record := p.record(b, creds...)
		b.Run(fmt.Sprintf("record/credentials=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				rep, err := v.Verify(context.Background(), record, policy)
				if err != nil || !rep.Verified {
					b.Fatal(err, rep)
				}
			}
		})
		b.Run(fmt.Sprintf("parts/credentials=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, c := range creds {
					rep, err := v.Verify(context.Background(), c, policy)
					if err != nil || !rep.Verified {
						b.Fatal(err, rep)
					}
				}
			}
		})
	}
}
