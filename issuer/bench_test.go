package issuer

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkBatch issues batches of 64 credentials (each to a new learner)
// on all cores, per proof format; ns/op is per credential.
func BenchmarkBatch(b *testing.B) {
	for _, f := range []struct {
		name string
		f    Formats
	}{{"data-integrity", FormatDataIntegrity}, {"vc-jwt", FormatJWT}} {
		b.Run(f.name, func(b *testing.B) {
			is, _ := testIssuer(b, func(c *Config) { c.Formats = f.f; c.Now = nil }) // the real clock: one shared self-check Verifier
			n := 0
			b.ReportAllocs()
			for b.Loop() {
				subs := make([]*Submission, 64)
				for k := range subs {
					s := submission("award")
					s.Learner = Learner{ID: fmt.Sprintf("did:example:learner-%d", n)}
					n++
					subs[k] = s
				}
				for _, r := range is.Batch(context.Background(), subs, nil) {
					if r.Err != nil {
						b.Fatal(r.Err)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/credential")
		})
	}
}
