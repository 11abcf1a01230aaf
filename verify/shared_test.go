package verify

import (
	"context"
	"sync"
	"testing"
)

// TestVerifyConcurrent verifies from many goroutines at once, each with a
// Verifier of its own or one shared (run with -race): the contexts,
// compiled schemas and parse trees that every Verifier shares are safe for
// concurrent use.
func TestVerifyConcurrent(t *testing.T) {
	is := newIssuer(t, 1)
	inputs := [][]byte{is.signDI(t, is.award(t, nil)), is.signJWT(t, is.award(t, nil))}
	shared, err := New(Trust{})
	if err != nil {
		t.Fatal(err)
	}
	p := &Policy{Now: t2026}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			v := shared
			if i%2 == 0 {
				var err error
				if v, err = New(Trust{}); err != nil {
					t.Error(err)
					return
				}
			}
			for range 3 {
				for _, in := range inputs {
					rep, err := v.Verify(context.Background(), in, p)
					if err != nil || !rep.Verified {
						t.Errorf("goroutine %d: Verify = %v, %v", i, err, rep)
					}
				}
			}
		})
	}
	wg.Wait()
}
