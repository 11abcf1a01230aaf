package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/issuer"
)

// ReviewQueue is the issuer's review queue in the database's
// openbadges_review table: one row per item, in the order submitted, with
// a unique index on the award keys of the pending items, so that an award
// goes to review once however many processes submit it. Get it from
// DB.Review.
type ReviewQueue struct {
	db *DB
}

var _ issuer.ReviewQueue = (*ReviewQueue)(nil)

// reviewJSON is what a row's item column holds.
type reviewJSON struct {
	Submission issuer.Submission `json:"submission"`
	Decision   issuer.Decision   `json:"decision"`
	Created    time.Time         `json:"created"`
	AwardKey   string            `json:"awardKey"`
}

// maxSubmitAttempts bounds how often Submit looks again for the pending
// item that kept its own from being queued, when that item is resolved
// in between.
const maxSubmitAttempts = 8

// Submit implements issuer.ReviewQueue: an INSERT that does nothing when a
// pending item has the same non-empty award key, whose id is then
// returned.
func (q *ReviewQueue) Submit(ctx context.Context, item issuer.ReviewItem) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if item.Resolved != nil {
		return "", fmt.Errorf("%w: a resolved item cannot be submitted", issuer.ErrResolved)
	}
	if len(item.AwardKey) > MaxAwardKeyBytes {
		return "", fmt.Errorf("%w: an award key of %d bytes (the limit is %d)", ErrValueTooLarge, len(item.AwardKey), MaxAwardKeyBytes)
	}
	if item.Created.IsZero() {
		item.Created = q.db.now()
	}
	data, err := encodeJSON(reviewJSON{Submission: item.Submission, Decision: item.Decision, Created: item.Created, AwardKey: item.AwardKey}, "review item")
	if err != nil {
		return "", err
	}
	for range maxSubmitAttempts {
		id := credential.NewID()
		var found string
		err := q.db.write(ctx, func(tx querier) error {
			found = ""
			res, err := tx.ExecContext(ctx, q.db.q.submitReview, id, item.AwardKey, data)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil {
				return err
			} else if n == 1 {
				found = id
				return nil
			}
			err = tx.QueryRowContext(ctx, q.db.q.pendingReviewID, item.AwardKey).Scan(&found)
			if errors.Is(err, sql.ErrNoRows) {
				return nil // resolved in between: try again
			}
			return err
		})
		if err != nil {
			return "", fmt.Errorf("sqlstore: queueing for review: %w", err)
		}
		if found != "" {
			return found, nil
		}
	}
	return "", fmt.Errorf("sqlstore: queueing for review: the pending item of %s kept being resolved", item.AwardKey)
}

// Pending implements issuer.ReviewQueue. Items come in the order they were
// submitted.
func (q *ReviewQueue) Pending(ctx context.Context) ([]issuer.ReviewItem, error) {
	rows, err := q.db.db.QueryContext(ctx, q.db.q.pendingReviews)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: listing pending reviews: %w", err)
	}
	defer rows.Close()
	var out []issuer.ReviewItem
	for rows.Next() {
		var id string
		var data []byte
		if err := rows.Scan(&id, &data); err != nil {
			return nil, fmt.Errorf("sqlstore: listing pending reviews: %w", err)
		}
		it, err := decodeItem(id, data, nil)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: listing pending reviews: %w", err)
	}
	return out, nil
}

// Get implements issuer.ReviewQueue.
func (q *ReviewQueue) Get(ctx context.Context, id string) (issuer.ReviewItem, error) {
	var data, res []byte
	err := q.db.db.QueryRowContext(ctx, q.db.q.getReview, id).Scan(&data, &res)
	if errors.Is(err, sql.ErrNoRows) {
		return issuer.ReviewItem{}, fmt.Errorf("%w: %q", issuer.ErrReviewNotFound, id)
	}
	if err != nil {
		return issuer.ReviewItem{}, fmt.Errorf("sqlstore: reading review %q: %w", id, err)
	}
	return decodeItem(id, data, res)
}

// Resolve implements issuer.ReviewQueue: an UPDATE of the item's row where
// it has no resolution yet, so that of two reviewers deciding at once,
// in one process or two, the first decides and the other is told so.
func (q *ReviewQueue) Resolve(ctx context.Context, id string, r issuer.Resolution) (issuer.ReviewItem, error) {
	if err := ctx.Err(); err != nil {
		return issuer.ReviewItem{}, err
	}
	if r.Reviewer == "" {
		return issuer.ReviewItem{}, errors.New("sqlstore: a resolution must name its reviewer")
	}
	if r.At.IsZero() {
		r.At = q.db.now()
	}
	resData, err := encodeJSON(r, "resolution")
	if err != nil {
		return issuer.ReviewItem{}, err
	}
	var item issuer.ReviewItem
	var resolvedBefore bool
	err = q.db.write(ctx, func(tx querier) error {
		resolvedBefore = false
		var data []byte
		err := tx.QueryRowContext(ctx, q.db.q.resolveReview, id, resData).Scan(&data)
		if err == nil {
			if item, err = decodeItem(id, data, resData); err != nil {
				return err
			}
			// The row keeps the item without the learner's email and
			// name (issuer.ReviewQueue); the item returned has them.
			kept := reviewJSON{Submission: item.Submission, Decision: item.Decision, Created: item.Created, AwardKey: item.AwardKey}
			kept.Submission.Learner = issuer.Learner{ID: item.Submission.Learner.ID}
			keptData, err := encodeJSON(kept, "review item")
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, q.db.q.keepReview, id, keptData); err != nil {
				return fmt.Errorf("sqlstore: resolving review %q: %w", id, err)
			}
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("sqlstore: resolving review %q: %w", id, err)
		}
		var prev []byte
		err = tx.QueryRowContext(ctx, q.db.q.getReview, id).Scan(&data, &prev)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%w: %q", issuer.ErrReviewNotFound, id)
		}
		if err != nil {
			return fmt.Errorf("sqlstore: reading review %q: %w", id, err)
		}
		if prev == nil {
			return fmt.Errorf("sqlstore: review %q could not be resolved", id)
		}
		resolvedBefore = true
		item, err = decodeItem(id, data, prev)
		return err
	})
	if err != nil {
		return issuer.ReviewItem{}, err
	}
	if resolvedBefore {
		return item, fmt.Errorf("%w: %q by %s", issuer.ErrResolved, id, item.Resolved.Reviewer)
	}
	return item, nil
}

// encodeJSON encodes v, within MaxReviewItemBytes.
func encodeJSON(v any, what string) ([]byte, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: encoding the %s: %w", what, err)
	}
	if len(data) > MaxReviewItemBytes {
		return nil, fmt.Errorf("%w: the %s has %d bytes (the limit is %d)", ErrValueTooLarge, what, len(data), MaxReviewItemBytes)
	}
	return data, nil
}

// decodeItem reads an item's row back; res is its resolution, if any.
func decodeItem(id string, data, res []byte) (issuer.ReviewItem, error) {
	if len(data) > MaxReviewItemBytes || len(res) > MaxReviewItemBytes {
		return issuer.ReviewItem{}, fmt.Errorf("%w: stored review item %q has more than %d bytes", ErrValueTooLarge, id, MaxReviewItemBytes)
	}
	var j reviewJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return issuer.ReviewItem{}, fmt.Errorf("sqlstore: stored review item %q: %w", id, err)
	}
	it := issuer.ReviewItem{ID: id, Submission: j.Submission, Decision: j.Decision, Created: j.Created, AwardKey: j.AwardKey}
	if res != nil {
		it.Resolved = new(issuer.Resolution)
		if err := json.Unmarshal(res, it.Resolved); err != nil {
			return issuer.ReviewItem{}, fmt.Errorf("sqlstore: the resolution of review item %q: %w", id, err)
		}
	}
	return it, nil
}
