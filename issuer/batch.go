package issuer

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
)

// BatchOptions configures Batch. The zero value uses GOMAXPROCS workers
// and reports no progress.
type BatchOptions struct {
	// Concurrency is how many submissions are processed at once. If zero,
	// runtime.GOMAXPROCS(0).
	Concurrency int
	// Progress, if set, is called after each submission with how many are
	// done of how many in all: done goes up by one at each call, never
	// back, and the last call has done == total. It is called from
	// several goroutines, one call at a time, so it should return quickly.
	Progress func(done, total int)
}

// BatchResult is the outcome of one submission of a batch.
type BatchResult struct {
	// Index is the submission's position in the batch.
	Index int
	// Issued is what Issue returned: nil when Err is set, unless Err
	// wraps ErrCertificate or ErrPathway, whose award was made and
	// recorded all the same.
	Issued *Issued
	// Err is why the submission could not be processed.
	Err error
}

// Batch issues many submissions with bounded concurrency and returns one
// result per submission, in order. One failing submission does not stop
// the others. When ctx ends, the submissions not yet started fail with
// ctx's error.
func (i *Issuer) Batch(ctx context.Context, subs []*Submission, opts *BatchOptions) []BatchResult {
	if opts == nil {
		opts = &BatchOptions{}
	}
	n := opts.Concurrency
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	results := make([]BatchResult, len(subs))
	var next atomic.Int64
	var progressMu sync.Mutex
	done := 0 // guarded by progressMu
	var wg sync.WaitGroup
	for range min(n, len(subs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k := int(next.Add(1)) - 1
				if k >= len(subs) {
					return
				}
				r := BatchResult{Index: k}
				if err := ctx.Err(); err != nil {
					r.Err = err
				} else {
					r.Issued, r.Err = i.Issue(ctx, subs[k])
				}
				results[k] = r
				// Counted and reported under one lock: counting outside it
				// let a worker report 99 after another reported 100.
				progressMu.Lock()
				done++
				if opts.Progress != nil {
					opts.Progress(done, len(subs))
				}
				progressMu.Unlock()
			}
		}()
	}
	wg.Wait()
	return results
}
