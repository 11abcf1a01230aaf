package verify

import (
	"context"
	"testing"
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
			for b.Loop() {
				rep, err := v.Verify(context.Background(), input, p)
				if err != nil || !rep.Verified {
					b.Fatal(err, rep)
				}
			}
		})
	}
}
