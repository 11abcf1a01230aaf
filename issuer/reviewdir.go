package issuer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/internal/atomicfile"
)

// DirQueue keeps the review queue in a directory, for an issuer that keeps
// its records in files (DirRecords): one JSON file per item, written
// atomically, and one marker file per award key with a pending item. It is
// safe for concurrent use, and between processes sharing the directory:
// submitting an award key twice queues it once (the marker is created with
// a hard link, which fails if it exists), and of two resolutions of an
// item only one succeeds (each first claims the item with a file of its
// own, created the same way).
//
// A crash between a resolution's claim and its write leaves the item
// pending but claimed: resolving it then fails with ErrResolved until the
// claim file (".claim-" and the item's file name) is removed by hand.
type DirQueue struct {
	// Now returns the current time, for Created and Resolution.At. If
	// nil, time.Now.
	Now func() time.Time

	dir string
	mu  sync.Mutex // within the process, orders Submit's read and create
}

var _ ReviewQueue = (*DirQueue)(nil)

// OpenDirQueue opens (creating it, 0700) the directory dir as a review
// queue.
func OpenDirQueue(dir string) (*DirQueue, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("issuer: review: %w", err)
	}
	return &DirQueue{dir: dir}, nil
}

// An item's file is "item-", the time it was queued (UTC, nanoseconds, so
// that names sort in the order submitted) and the item id's hash.
const (
	itemPrefix   = "item-"
	markerPrefix = "pending-"
	claimPrefix  = ".claim-"
)

// itemFile is an item's file name; ids are found by listing, so the name
// only has to be unique and sortable.
func itemFile(created time.Time, id string) string {
	return fmt.Sprintf("%s%020d-%s", itemPrefix, created.UTC().UnixNano(), atomicfile.HashedName(id, ".json"))
}

// markerFile is the file that holds the id of an award key's pending item.
func markerFile(awardKey string) string {
	return markerPrefix + atomicfile.HashedName(awardKey, ".id")
}

// Submit implements ReviewQueue.
func (q *DirQueue) Submit(ctx context.Context, item ReviewItem) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if item.Resolved != nil {
		return "", fmt.Errorf("%w: a resolved item cannot be submitted", ErrResolved)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if item.AwardKey != "" {
		id, ok, err := q.pendingID(item.AwardKey)
		if err != nil {
			return "", err
		}
		if ok {
			cur, _, err := q.find(ctx, id)
			if err == nil && cur.Resolved == nil {
				return id, nil
			}
			// A marker a crash left behind, after its item was resolved
			// or before it was written: it holds nothing pending.
			os.Remove(filepath.Join(q.dir, markerFile(item.AwardKey)))
		}
	}
	item = cloneItem(item)
	item.ID = credential.NewID()
	if item.Created.IsZero() {
		item.Created = q.now()
	}
	name := itemFile(time.Now(), item.ID) // wall time: names sort in the order submitted
	if err := q.write(name, item, false); err != nil {
		return "", err
	}
	if item.AwardKey != "" {
		err := atomicfile.CreateFile(filepath.Join(q.dir, markerFile(item.AwardKey)), []byte(item.ID), tempPrefix)
		if errors.Is(err, os.ErrExist) {
			// Another process queued it first: that item stands.
			os.Remove(filepath.Join(q.dir, name))
			id, _, err := q.pendingID(item.AwardKey)
			return id, err
		}
		if err != nil {
			os.Remove(filepath.Join(q.dir, name))
			return "", fmt.Errorf("issuer: review: %w", err)
		}
	}
	return item.ID, nil
}

// pendingID returns the id of the award key's pending item, if it has one.
func (q *DirQueue) pendingID(awardKey string) (string, bool, error) {
	b, err := os.ReadFile(filepath.Join(q.dir, markerFile(awardKey)))
	if errors.Is(err, os.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("issuer: review: %w", err)
	}
	return string(b), true, nil
}

// Pending implements ReviewQueue. Items come in the order they were
// submitted.
func (q *DirQueue) Pending(ctx context.Context) ([]ReviewItem, error) {
	items, _, err := q.all(ctx)
	if err != nil {
		return nil, err
	}
	var out []ReviewItem
	for _, it := range items {
		if it.Resolved == nil {
			out = append(out, it)
		}
	}
	return out, nil
}

// Get implements ReviewQueue.
func (q *DirQueue) Get(ctx context.Context, id string) (ReviewItem, error) {
	it, _, err := q.find(ctx, id)
	return it, err
}

// Resolve implements ReviewQueue.
func (q *DirQueue) Resolve(ctx context.Context, id string, r Resolution) (ReviewItem, error) {
	if r.Reviewer == "" {
		return ReviewItem{}, errors.New("issuer: a resolution must name its reviewer")
	}
	it, name, err := q.find(ctx, id)
	if err != nil {
		return ReviewItem{}, err
	}
	if it.Resolved != nil {
		return it, fmt.Errorf("%w: %q by %s", ErrResolved, id, it.Resolved.Reviewer)
	}
	claim := filepath.Join(q.dir, claimPrefix+name)
	if err := atomicfile.CreateFile(claim, []byte(r.Reviewer), tempPrefix); err != nil {
		if errors.Is(err, os.ErrExist) {
			// Another resolution claimed it first; show it as it stands.
			if now, _, err2 := q.find(ctx, id); err2 == nil && now.Resolved != nil {
				it = now
			}
			return it, fmt.Errorf("%w: %q is being resolved by another reviewer", ErrResolved, id)
		}
		return ReviewItem{}, fmt.Errorf("issuer: review: %w", err)
	}
	// Read it again under the claim: a resolution that claimed, wrote and
	// released it since it was read above must win.
	if it, err = q.read(name); err != nil {
		os.Remove(claim)
		return ReviewItem{}, err
	}
	if it.Resolved != nil {
		os.Remove(claim)
		return it, fmt.Errorf("%w: %q by %s", ErrResolved, id, it.Resolved.Reviewer)
	}
	if r.At.IsZero() {
		r.At = q.now()
	}
	it.Resolved = &r
	// Kept without the learner's email and name: the item returned has
	// them, for an approval to issue with, and nothing needs them after.
	kept := it
	kept.Submission.Learner = atRest(it.Submission.Learner)
	if err := q.write(name, kept, true); err != nil {
		os.Remove(claim)
		return ReviewItem{}, err
	}
	if it.AwardKey != "" {
		os.Remove(filepath.Join(q.dir, markerFile(it.AwardKey)))
	}
	os.Remove(claim)
	return cloneItem(it), nil
}

// all reads every item, in the order submitted, with its file's name.
func (q *DirQueue) all(ctx context.Context) ([]ReviewItem, []string, error) {
	entries, err := os.ReadDir(q.dir)
	if err != nil {
		return nil, nil, fmt.Errorf("issuer: review: %w", err)
	}
	var names []string
	for _, e := range entries {
		if n := e.Name(); strings.HasPrefix(n, itemPrefix) && strings.HasSuffix(n, ".json") {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	items := make([]ReviewItem, 0, len(names))
	for _, n := range names {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		it, err := q.read(n)
		if err != nil {
			return nil, nil, err
		}
		items = append(items, it)
	}
	return items, names, nil
}

// find returns the item whose id is id, and its file's name.
func (q *DirQueue) find(ctx context.Context, id string) (ReviewItem, string, error) {
	if err := ctx.Err(); err != nil {
		return ReviewItem{}, "", err
	}
	suffix := "-" + atomicfile.HashedName(id, ".json")
	entries, err := os.ReadDir(q.dir)
	if err != nil {
		return ReviewItem{}, "", fmt.Errorf("issuer: review: %w", err)
	}
	for _, e := range entries {
		if n := e.Name(); strings.HasPrefix(n, itemPrefix) && strings.HasSuffix(n, suffix) {
			it, err := q.read(n)
			return it, n, err
		}
	}
	return ReviewItem{}, "", fmt.Errorf("%w: %q", ErrReviewNotFound, id)
}

func (q *DirQueue) read(name string) (ReviewItem, error) {
	b, err := os.ReadFile(filepath.Join(q.dir, name))
	if err != nil {
		return ReviewItem{}, fmt.Errorf("issuer: review: %w", err)
	}
	var it ReviewItem
	if err := json.Unmarshal(b, &it); err != nil {
		return ReviewItem{}, fmt.Errorf("issuer: review: %s: %w", name, err)
	}
	return it, nil
}

// write stores an item in its file: created anew (failing if it exists),
// or replacing it.
func (q *DirQueue) write(name string, it ReviewItem, replace bool) error {
	b, err := json.Marshal(it)
	if err != nil {
		return fmt.Errorf("issuer: review: %w", err)
	}
	p := filepath.Join(q.dir, name)
	if replace {
		err = atomicfile.WriteFile(p, append(b, '\n'), tempPrefix)
	} else {
		err = atomicfile.CreateFile(p, append(b, '\n'), tempPrefix)
	}
	if err != nil {
		return fmt.Errorf("issuer: review: %w", err)
	}
	return nil
}

func (q *DirQueue) now() time.Time {
	if q.Now != nil {
		return q.Now()
	}
	return time.Now()
}
