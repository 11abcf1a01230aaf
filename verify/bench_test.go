package verify

import (
	"context"
	"testing"

	"github.com/go-openbadges/openbadges/internal/cputime"
)

// BenchmarkVerify runs a full offline verification of a Data Integrity
// credential and of a VC-JWT, with one Verifier (contexts and schemas
// prepared once).
func BenchmarkVerify(b *testing.B) {
	is := newIssuer(b, 1)
	di := is.signDI(b, is.award(b, nil))
	jwt := is.signJWT(b, is.award(b, nil))
	v, err := New(Trust{})
	if err != nil {
		b.Fatal(err)
	}
	p := &Policy{Now: t2026}
	for name, input := range map[string][]byte{"data-integrity": di, "vc-jwt": jwt} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			// cpu-ns/op, the process's CPU time (GC included), is what
			// compares runs on a machine others load.
			start, ok := cputime.Process()
			for b.Loop() {
				rep, err := v.Verify(context.Background(), input, p)
				if err != nil || !rep.Verified {
					b.Fatal(err, rep)
				}
			}
			if end, _ := cputime.Process(); ok {
				b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
			}
		})
	}
}

// BenchmarkNew runs BenchmarkVerify's Data Integrity verification with a
// Verifier made by New for the call (new-per-call), as the Verify function
// does, beside one reused (reused): contexts and compiled schemas are
// shared by the whole process, so the two should cost about the same.
func BenchmarkNew(b *testing.B) {
	is := newIssuer(b, 1)
	di := is.signDI(b, is.award(b, nil))
	p := &Policy{Now: t2026}
	ctx := context.Background()
	reused, err := New(Trust{})
	if err != nil {
		b.Fatal(err)
	}
	run := func(b *testing.B, v func() *Verifier) {
		b.ReportAllocs()
		for b.Loop() {
			rep, err := v().Verify(ctx, di, p)
			if err != nil || !rep.Verified {
				b.Fatal(err, rep)
			}
		}
	}
	b.Run("reused", func(b *testing.B) { run(b, func() *Verifier { return reused }) })
	b.Run("new-per-call", func(b *testing.B) {
		run(b, func() *Verifier {
			v, err := New(Trust{})
			if err != nil {
				b.Fatal(err)
			}
			return v
		})
	})
}
