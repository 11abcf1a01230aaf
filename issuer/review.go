package issuer

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/go-openbadges/openbadges/credential"
)

// Errors of a ReviewQueue, for callers to branch on with errors.Is.
var (
	// ErrReviewNotFound: the queue has no item with that id.
	ErrReviewNotFound = errors.New("issuer: no such review item")
	// ErrResolved: the item has already been resolved (approved or
	// rejected); a resolution is final.
	ErrResolved = errors.New("issuer: the review item is already resolved")
)

// A ReviewItem is a submission waiting for, or given, a person's decision.
type ReviewItem struct {
	// ID identifies the item in its queue; the queue assigns it.
	ID string
	// Submission is what the learner's LMS reported.
	Submission Submission
	// Decision is the evaluator's: its Reasons say what to look at, its
	// Results and Alignments are what an approval awards.
	Decision Decision
	// Created is when the item was queued.
	Created time.Time
	// Resolved is the person's decision; nil while the item is pending.
	Resolved *Resolution
	// AwardKey identifies the award the item is about (learner and
	// achievement; see the issuer's AwardKey). While an item is pending,
	// a queue holds no other pending item with the same non-empty key.
	AwardKey string
}

// A Resolution is a person's decision on a review item.
type Resolution struct {
	// Approve is true to award, false to reject.
	Approve bool
	// Reviewer names who decided. Required.
	Reviewer string
	// Note is what they said about it, for the records.
	Note string
	// At is when they decided. If zero, the queue sets it.
	At time.Time
}

// A ReviewQueue holds the submissions an evaluator sends to a person. The
// issuer submits an item when an evaluator returns Review, and issues the
// credential when a person approves it through Resolve.
//
// Each method is one small atomic operation, so that a SQL table (one row
// per item, a partial unique index on award_key where resolved is null)
// can implement it: Submit is an insert, Resolve an update guarded by
// "where resolved is null". Implementations must be safe for concurrent
// use, and must return items that the caller can change without changing
// the queue.
type ReviewQueue interface {
	// Submit queues item as pending and returns its new id; item.ID is
	// ignored, and a zero item.Created is set to now. If a pending item
	// has the same non-empty AwardKey, nothing is queued and that item's
	// id is returned: submitting twice is safe. An item that is already
	// Resolved is an error wrapping ErrResolved.
	Submit(ctx context.Context, item ReviewItem) (id string, err error)
	// Pending returns the unresolved items, oldest first.
	Pending(ctx context.Context) ([]ReviewItem, error)
	// Get returns the item with the given id, pending or resolved, or an
	// error wrapping ErrReviewNotFound.
	Get(ctx context.Context, id string) (ReviewItem, error)
	// Resolve records r as the decision on a pending item and returns the
	// item as resolved. Resolving an unknown id is an error wrapping
	// ErrReviewNotFound; resolving an item already resolved is an error
	// wrapping ErrResolved, returned with the item as it stands (so the
	// caller sees the earlier resolution). r.Reviewer is required; a zero
	// r.At is set to now. The item returned has the whole submission, for
	// an approval to issue with; the queue keeps the resolved item
	// without the learner's email address and name (their id stays), as
	// the records do: nothing needs them once a person has decided.
	Resolve(ctx context.Context, id string, r Resolution) (ReviewItem, error)
}

var _ ReviewQueue = (*MemoryQueue)(nil)

// MemoryQueue is a ReviewQueue in memory, for tests and for programs that
// keep their reviews elsewhere or not at all: it forgets everything when
// the process ends. Its zero value is an empty queue ready to use. It is
// safe for concurrent use; it must not be copied after first use.
type MemoryQueue struct {
	// Now returns the current time, for Created and Resolution.At. If
	// nil, time.Now.
	Now func() time.Time

	mu    sync.Mutex
	items map[string]*ReviewItem
	order []string          // ids, in the order submitted
	byKey map[string]string // award key to the id of its pending item
}

// Submit implements ReviewQueue.
func (q *MemoryQueue) Submit(ctx context.Context, item ReviewItem) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if item.Resolved != nil {
		return "", fmt.Errorf("%w: a resolved item cannot be submitted", ErrResolved)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if id, ok := q.byKey[item.AwardKey]; ok && item.AwardKey != "" {
		return id, nil
	}
	if q.items == nil {
		q.items = make(map[string]*ReviewItem)
		q.byKey = make(map[string]string)
	}
	item = cloneItem(item)
	item.ID = credential.NewID()
	if item.Created.IsZero() {
		item.Created = q.now()
	}
	q.items[item.ID] = &item
	q.order = append(q.order, item.ID)
	if item.AwardKey != "" {
		q.byKey[item.AwardKey] = item.ID
	}
	return item.ID, nil
}

// Pending implements ReviewQueue. Items come in the order they were
// submitted.
func (q *MemoryQueue) Pending(ctx context.Context) ([]ReviewItem, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	var out []ReviewItem
	for _, id := range q.order {
		if it := q.items[id]; it.Resolved == nil {
			out = append(out, cloneItem(*it))
		}
	}
	return out, nil
}

// Get implements ReviewQueue.
func (q *MemoryQueue) Get(ctx context.Context, id string) (ReviewItem, error) {
	if err := ctx.Err(); err != nil {
		return ReviewItem{}, err
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	it, ok := q.items[id]
	if !ok {
		return ReviewItem{}, fmt.Errorf("%w: %q", ErrReviewNotFound, id)
	}
	return cloneItem(*it), nil
}

// Resolve implements ReviewQueue.
func (q *MemoryQueue) Resolve(ctx context.Context, id string, r Resolution) (ReviewItem, error) {
	if err := ctx.Err(); err != nil {
		return ReviewItem{}, err
	}
	if r.Reviewer == "" {
		return ReviewItem{}, errors.New("issuer: a resolution must name its reviewer")
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	it, ok := q.items[id]
	if !ok {
		return ReviewItem{}, fmt.Errorf("%w: %q", ErrReviewNotFound, id)
	}
	if it.Resolved != nil {
		return cloneItem(*it), fmt.Errorf("%w: %q by %s", ErrResolved, id, it.Resolved.Reviewer)
	}
	if r.At.IsZero() {
		r.At = q.now()
	}
	it.Resolved = &r
	delete(q.byKey, it.AwardKey)
	out := cloneItem(*it)
	// Kept without the learner's email and name (see ReviewQueue).
	it.Submission.Learner = atRest(it.Submission.Learner)
	return out, nil
}

func (q *MemoryQueue) now() time.Time {
	if q.Now != nil {
		return q.Now()
	}
	return time.Now()
}

// cloneItem copies an item deeply enough that changing the copy's
// slices, maps and resolution does not change the original. The
// credential values inside Results and Alignments are shared: they are
// read, never changed, by this package.
func cloneItem(it ReviewItem) ReviewItem {
	s := &it.Submission
	s.Scores = slices.Clone(s.Scores)
	s.Levels = maps.Clone(s.Levels)
	s.Evidence = slices.Clone(s.Evidence)
	s.Earned = slices.Clone(s.Earned)
	d := &it.Decision
	d.Reasons = slices.Clone(d.Reasons)
	d.Results = slices.Clone(d.Results)
	d.Alignments = slices.Clone(d.Alignments)
	if it.Resolved != nil {
		r := *it.Resolved
		it.Resolved = &r
	}
	return it
}
