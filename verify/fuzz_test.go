package verify

import (
	"context"
	"testing"
	"time"
)

// FuzzVerify feeds arbitrary inputs to Verify: it must never panic, every
// report must list all thirteen checks, and a verified report must have a
// proof check that passed or warned.
func FuzzVerify(f *testing.F) {
	for _, p := range []string{
		"testdata/ob30/simple.json",
		"testdata/ob30/simple.jwt",
		"testdata/ob30/simple-jwt.svg",
		"testdata/ob30/complete.json",
	} {
		f.Add(mustRead(f, p))
	}
	v, err := New(Options{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), MaxBytes: 256 << 10})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, input []byte) {
		rep, err := v.Verify(context.Background(), input)
		if err != nil {
			return
		}
		if len(rep.Checks) != 13 {
			t.Fatalf("%d checks", len(rep.Checks))
		}
		if p := rep.Check(CheckProof); rep.Verified && (p == nil || p.Outcome != Passed && p.Outcome != Warning) {
			t.Fatalf("verified without a proof: %s", rep)
		}
	})
}
