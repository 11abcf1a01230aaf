package sqlstore

import (
	"context"
	"sync"
	"testing"

	"github.com/go-openbadges/openbadges/status"
)

// TestReserveBlockInstances allocates from two instances (two DBs open on
// one database, each with its Registry reserving blocks of indices),
// concurrently: no index is handed out twice, and each is allocated in the
// stored list.
func TestReserveBlockInstances(t *testing.T) {
	const list = "https://example.edu/status/1"
	for _, b := range sqlBackends() {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			u := b.url(t)
			var regs [2]*status.Registry
			for i := range regs {
				regs[i] = &status.Registry{Store: openURL(t, u, nil).Status(), NextURL: status.NextNumberedURL, ReserveBlock: 16}
			}
			if _, err := regs[0].Create(ctx, list, nil); err != nil {
				t.Fatal(err)
			}
			const perGoroutine = 60
			var mu sync.Mutex
			seen := map[string]bool{}
			var wg sync.WaitGroup
			for g := range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range perGoroutine {
						e, err := regs[g%2].Allocate(ctx, list)
						if err != nil {
							t.Error(err)
							return
						}
						mu.Lock()
						if seen[e.StatusListIndex] {
							t.Errorf("%s handed out twice", e.ID)
						}
						seen[e.StatusListIndex] = true
						mu.Unlock()
					}
				}()
			}
			wg.Wait()
			l, err := regs[1].Store.Load(ctx, list)
			if err != nil {
				t.Fatal(err)
			}
			for id := range seen {
				e := status.Entry{StatusListIndex: id}
				i, err := e.Index()
				if err != nil {
					t.Fatal(err)
				}
				if set, _ := l.Allocated.Bit(i); !set {
					t.Errorf("index %d handed out, not allocated in the database", i)
				}
			}
			if len(seen) != 4*perGoroutine || l.AllocatedCount() < len(seen) || l.Revision > 4*perGoroutine/16+8 {
				t.Errorf("%d entries, %d allocated in %d updates", len(seen), l.AllocatedCount(), l.Revision)
			}
		})
	}
}
