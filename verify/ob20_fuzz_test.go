package verify

import (
	"context"
	"testing"
)

// FuzzVerifyOB20 feeds Verify inputs seeded with Open Badges 2.0
// assertions, signed and hosted, with their issuers' documents: it must
// never panic, every report must list the ten OB 2.0 checks in order (or
// be an OB 3.0 report), and a verified report must have a proof that
// passed or warned, and nothing failed or undecided.
func FuzzVerifyOB20(f *testing.F) {
	for _, p := range []string{
		"testdata/ob20/jose/spec-rs256.jws",
		"testdata/ob20/jose/recipient-embedded-badge.jws",
		"testdata/ob20/hosted/assertion.json",
		"testdata/ob20/hosted/linked-data.json",
	} {
		f.Add(mustRead(f, p))
	}
	f.Add([]byte("https://example.org/beths-robotics-badge.json"))
	docs := ob20Map(f, "jose")
	for k, v := range ob20Map(f, "hosted") {
		docs[k] = v
	}
	v, err := New(Trust{MaxBytes: 256 << 10, Documents: docs})
	if err != nil {
		f.Fatal(err)
	}
	p := &Policy{Now: t2017}
	f.Fuzz(func(t *testing.T, input []byte) {
		rep, err := v.Verify(context.Background(), input, p)
		if err != nil {
			return
		}
		if rep.Version == versionOB20 || rep.Version == "OB 1.x" {
			for i, c := range rep.Checks {
				if i >= len(ob20Checks) || c.ID != ob20Checks[i] {
					t.Fatalf("checks out of order: %s", rep)
				}
			}
			if len(rep.Checks) != len(ob20Checks) {
				t.Fatalf("%d checks: %s", len(rep.Checks), rep)
			}
		}
		if p := rep.Check(CheckProof); rep.Verified && (p == nil || p.Outcome != Passed && p.Outcome != Warning) {
			t.Fatalf("verified without a proof: %s", rep)
		}
		if rep.Verified && (rep.Inconclusive || len(rep.Failed()) > 0) {
			t.Fatalf("verified with a check failed or undecided: %s", rep)
		}
	})
}
