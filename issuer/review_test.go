package issuer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var (
	queueT0 = time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	queueT1 = queueT0.Add(time.Hour)
)

func reviewItem(key string) ReviewItem {
	return ReviewItem{
		Submission: *learnerSub(withScores(rdExam, "65")),
		Decision:   Decision{Verdict: Review, Reasons: why("Final exam: score 65% needs a person")},
		AwardKey:   key,
	}
}

func TestMemoryQueue(t *testing.T) {
	testQueue(t, func(now func() time.Time) ReviewQueue { return &MemoryQueue{Now: now} })
}

func TestDirQueue(t *testing.T) {
	dir := t.TempDir()
	testQueue(t, func(now func() time.Time) ReviewQueue {
		q, err := OpenDirQueue(dir)
		if err != nil {
			t.Fatal(err)
		}
		q.Now = now
		return q
	})
	// What it wrote, another process reads: a new DirQueue on the folder.
	q, err := OpenDirQueue(dir)
	if err != nil {
		t.Fatal(err)
	}
	pending, err := q.Pending(context.Background())
	if err != nil || len(pending) != 1 || pending[0].AwardKey != "key-a" {
		t.Errorf("a second DirQueue on the folder: pending %+v, %v; want key-a's new attempt", pending, err)
	}
}

// testQueue runs a queue through submit, pending, resolve and resubmit.
func testQueue(t *testing.T, open func(now func() time.Time) ReviewQueue) {
	ctx := context.Background()
	clock := queueT0
	q := open(func() time.Time { return clock })

	idA, err := q.Submit(ctx, reviewItem("key-a"))
	if err != nil {
		t.Fatal(err)
	}
	b := reviewItem("key-b")
	b.Created = queueT0.Add(-time.Minute) // the caller's time is kept
	b.ID = "ignored"
	idB, err := q.Submit(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	if idA == "" || idB == "" || idA == idB || idB == "ignored" {
		t.Fatalf("ids %q and %q: want two new, different ids", idA, idB)
	}

	wantA := reviewItem("key-a")
	wantA.ID, wantA.Created = idA, queueT0
	wantB := reviewItem("key-b")
	wantB.ID, wantB.Created = idB, queueT0.Add(-time.Minute)

	pending, err := q.Pending(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]ReviewItem{wantA, wantB}, pending); diff != "" {
		t.Errorf("Pending (-want +got):\n%s", diff)
	}

	// Submitting the same award key again while it is pending is safe.
	again, err := q.Submit(ctx, reviewItem("key-a"))
	if err != nil || again != idA {
		t.Errorf("Submit of a pending award key = %q, %v; want %q, nil", again, err, idA)
	}

	// Approve A.
	clock = queueT1
	got, err := q.Resolve(ctx, idA, Resolution{Approve: true, Reviewer: "grace", Note: "fine"})
	if err != nil {
		t.Fatal(err)
	}
	wantA.Resolved = &Resolution{Approve: true, Reviewer: "grace", Note: "fine", At: queueT1}
	if diff := cmp.Diff(wantA, got); diff != "" {
		t.Errorf("Resolve (-want +got):\n%s", diff)
	}
	if got, err := q.Get(ctx, idA); err != nil || !cmp.Equal(wantA, got) {
		t.Errorf("Get after Resolve = %+v, %v; want %+v", got, err, wantA)
	}

	// Resolving twice fails and shows the first resolution.
	got, err = q.Resolve(ctx, idA, Resolution{Approve: false, Reviewer: "alan"})
	if !errors.Is(err, ErrResolved) {
		t.Errorf("second Resolve: error = %v, want ErrResolved", err)
	}
	if diff := cmp.Diff(wantA, got); diff != "" {
		t.Errorf("second Resolve returned (-want +got):\n%s", diff)
	}

	// Reject B, at the reviewer's time.
	at := queueT1.Add(time.Minute)
	got, err = q.Resolve(ctx, idB, Resolution{Approve: false, Reviewer: "alan", Note: "copied", At: at})
	if err != nil {
		t.Fatal(err)
	}
	wantB.Resolved = &Resolution{Reviewer: "alan", Note: "copied", At: at}
	if diff := cmp.Diff(wantB, got); diff != "" {
		t.Errorf("Resolve (-want +got):\n%s", diff)
	}

	pending, err = q.Pending(ctx)
	if err != nil || len(pending) != 0 {
		t.Errorf("Pending after resolving all = %v, %v; want none", pending, err)
	}

	// Once resolved, the award key can be queued again (a new attempt).
	idA2, err := q.Submit(ctx, reviewItem("key-a"))
	if err != nil || idA2 == idA {
		t.Errorf("Submit after resolution = %q, %v; want a new id", idA2, err)
	}
}

func TestMemoryQueueErrors(t *testing.T) {
	ctx := context.Background()
	var q MemoryQueue // the zero value is ready
	if _, err := q.Get(ctx, "nope"); !errors.Is(err, ErrReviewNotFound) {
		t.Errorf("Get unknown: error = %v, want ErrReviewNotFound", err)
	}
	if _, err := q.Resolve(ctx, "nope", Resolution{Reviewer: "grace"}); !errors.Is(err, ErrReviewNotFound) {
		t.Errorf("Resolve unknown: error = %v, want ErrReviewNotFound", err)
	}
	resolved := reviewItem("")
	resolved.Resolved = &Resolution{Approve: true, Reviewer: "grace"}
	if _, err := q.Submit(ctx, resolved); !errors.Is(err, ErrResolved) {
		t.Errorf("Submit resolved: error = %v, want ErrResolved", err)
	}
	id, err := q.Submit(ctx, reviewItem(""))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := q.Resolve(ctx, id, Resolution{Approve: true}); err == nil {
		t.Error("Resolve without a reviewer: no error")
	}
	if it, _ := q.Get(ctx, id); it.Resolved != nil {
		t.Error("a refused resolution was recorded")
	}
	if it, _ := q.Get(ctx, id); it.Created.IsZero() {
		t.Error("Created not set")
	}
	// Items without an award key are never merged.
	id2, err := q.Submit(ctx, reviewItem(""))
	if err != nil || id2 == id {
		t.Errorf("second Submit without award key = %q, %v; want a new id", id2, err)
	}

	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := q.Submit(canceled, reviewItem("")); !errors.Is(err, context.Canceled) {
		t.Errorf("Submit canceled: error = %v", err)
	}
	if _, err := q.Pending(canceled); !errors.Is(err, context.Canceled) {
		t.Errorf("Pending canceled: error = %v", err)
	}
	if _, err := q.Get(canceled, id); !errors.Is(err, context.Canceled) {
		t.Errorf("Get canceled: error = %v", err)
	}
	if _, err := q.Resolve(canceled, id, Resolution{Reviewer: "grace"}); !errors.Is(err, context.Canceled) {
		t.Errorf("Resolve canceled: error = %v", err)
	}
}

// What the queue hands out and takes in is copied: changing it does not
// change the queue.
func TestMemoryQueueCopies(t *testing.T) {
	ctx := context.Background()
	var q MemoryQueue
	in := reviewItem("k")
	in.Submission.Levels = map[string]string{rdTalk: lvlExpert}
	id, err := q.Submit(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	in.Decision.Reasons[0] = "changed by the caller"
	in.Submission.Levels[rdTalk] = lvlNovice

	got, _ := q.Get(ctx, id)
	got.Decision.Reasons[0] = "changed again"
	got.Submission.Scores[0].Value = "100"
	pending, _ := q.Pending(ctx)
	pending[0].Submission.Evidence = append(pending[0].Submission.Evidence, Evidence{Kind: "x"})

	resolved, _ := q.Resolve(ctx, id, Resolution{Approve: true, Reviewer: "grace"})
	resolved.Resolved.Approve = false

	final, _ := q.Get(ctx, id)
	if final.Decision.Reasons[0] != "Final exam: score 65% needs a person" ||
		final.Submission.Levels[rdTalk] != lvlExpert ||
		final.Submission.Scores[0].Value != "65" ||
		len(final.Submission.Evidence) != 0 ||
		!final.Resolved.Approve {
		t.Errorf("the queue's item was changed from outside: %+v", final)
	}
}

// Run with -race.
func TestMemoryQueueConcurrent(t *testing.T) {
	ctx := context.Background()
	var q MemoryQueue
	const n = 32

	// Many submitters of distinct and shared award keys.
	var wg sync.WaitGroup
	ids := make([]string, n)
	shared := make([]string, n)
	for i := range n {
		wg.Go(func() {
			var err error
			if ids[i], err = q.Submit(ctx, reviewItem(fmt.Sprint("key-", i))); err != nil {
				t.Error(err)
			}
			if shared[i], err = q.Submit(ctx, reviewItem("shared")); err != nil {
				t.Error(err)
			}
			if _, err := q.Pending(ctx); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	for i := range shared {
		if shared[i] != shared[0] {
			t.Fatalf("one award key queued as %q and %q", shared[0], shared[i])
		}
	}
	pending, _ := q.Pending(ctx)
	if len(pending) != n+1 {
		t.Fatalf("%d pending, want %d", len(pending), n+1)
	}

	// Many reviewers racing to resolve the same items: one wins each.
	var mu sync.Mutex
	wins := map[string]string{}
	for r := range 4 {
		for _, id := range ids {
			wg.Go(func() {
				reviewer := fmt.Sprint("reviewer-", r)
				_, err := q.Resolve(ctx, id, Resolution{Approve: r%2 == 0, Reviewer: reviewer})
				switch {
				case err == nil:
					mu.Lock()
					if w, ok := wins[id]; ok {
						t.Errorf("%s resolved by %s and %s", id, w, reviewer)
					}
					wins[id] = reviewer
					mu.Unlock()
				case !errors.Is(err, ErrResolved):
					t.Error(err)
				}
			})
		}
	}
	wg.Wait()
	if len(wins) != n {
		t.Errorf("%d items resolved, want %d", len(wins), n)
	}
	for id, w := range wins {
		it, err := q.Get(ctx, id)
		if err != nil || it.Resolved == nil || it.Resolved.Reviewer != w {
			t.Errorf("item %s: %+v, %v; want resolved by %s", id, it.Resolved, err, w)
		}
	}
	pending, _ = q.Pending(ctx)
	if len(pending) != 1 || pending[0].ID != shared[0] {
		t.Errorf("pending after resolution: %d items, want only the shared one", len(pending))
	}
}

// TestDirQueueProcesses: DirQueues on one folder, as processes sharing it
// have, queue an award key once however many submit it at once, and let
// exactly one of many resolve an item.
func TestDirQueueProcesses(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	const n = 8
	queues := make([]*DirQueue, n)
	for k := range queues {
		q, err := OpenDirQueue(dir)
		if err != nil {
			t.Fatal(err)
		}
		queues[k] = q
	}
	ids := make([]string, n)
	var wg sync.WaitGroup
	for k := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id, err := queues[k].Submit(ctx, reviewItem("key-shared"))
			if err != nil {
				t.Error(err)
			}
			ids[k] = id
		}()
	}
	wg.Wait()
	for _, id := range ids {
		if id != ids[0] || id == "" {
			t.Fatalf("ids %q: want one", ids)
		}
	}
	pending, err := queues[0].Pending(ctx)
	if err != nil || len(pending) != 1 {
		t.Fatalf("pending %d, %v: want 1", len(pending), err)
	}
	var ok, resolved int
	var mu sync.Mutex
	for k := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := queues[k].Resolve(ctx, ids[0], Resolution{Approve: k%2 == 0, Reviewer: fmt.Sprint("r", k)})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case errors.Is(err, ErrResolved):
				resolved++
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if ok != 1 || resolved != n-1 {
		t.Errorf("%d resolutions succeeded and %d were refused, want 1 and %d", ok, resolved, n-1)
	}
	if p, _ := queues[3].Pending(ctx); len(p) != 0 {
		t.Errorf("still pending: %d", len(p))
	}
}

// TestDirQueueStaleMarker: a marker a crash left behind (its item resolved
// or never written) does not keep an award key from being queued.
func TestDirQueueStaleMarker(t *testing.T) {
	ctx := context.Background()
	q, err := OpenDirQueue(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(q.dir, markerFile("key-a")), []byte("urn:uuid:gone"), 0o600); err != nil {
		t.Fatal(err)
	}
	id, err := q.Submit(ctx, reviewItem("key-a"))
	if err != nil || id == "urn:uuid:gone" {
		t.Fatalf("Submit = %q, %v; want a new item", id, err)
	}
	if p, _ := q.Pending(ctx); len(p) != 1 || p[0].ID != id {
		t.Errorf("pending %+v", p)
	}
}
