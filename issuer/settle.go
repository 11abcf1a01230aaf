package issuer

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// atRest is what a Record keeps of a learner: the id they control, which
// the credential names anyway, and neither their email address nor their
// name. Revocation and reissue go by award key (a hash), and the email
// address is in the credential only salted and hashed (unless Plain), so
// a copied records store gives away no address.
func atRest(l Learner) Learner { return Learner{ID: l.ID} }

// newRecord returns the record of a new decision about key, for
// achievement and the submission s, carrying over what the award key's
// record prev (nil for none) knew: when the first submission came, and the
// history of its states.
func (i *Issuer) newRecord(key, achievement string, s *Submission, prev *Record) *Record {
	rec := &Record{AwardKey: key, AchievementID: achievement, Learner: atRest(s.Learner), Updated: i.now()}
	if prev != nil {
		rec.Submitted, rec.History = prev.Submitted, slices.Clone(prev.History)
	}
	if rec.Submitted.IsZero() {
		rec.Submitted = s.SubmittedAt
		if rec.Submitted.IsZero() || rec.Submitted.After(rec.Updated) {
			rec.Submitted = rec.Updated
		}
	}
	return rec
}

// save stores rec in place of the award key's record, which was in state
// from ("" for none): with Create for a first record, so that of two
// processes deciding the same award key at once only one succeeds; with
// Swap, when the Records has it, in place of an existing one. The record's
// History gains the change of state, if there is one.
// by names the person who decided it (see Event.By).
func (i *Issuer) save(ctx context.Context, rec *Record, from State, by string) error {
	rec.enter(from, by)
	if from == "" {
		return i.records.Create(ctx, rec)
	}
	if sw, ok := i.records.(RecordSwapper); ok {
		return sw.Swap(ctx, rec, from)
	}
	return i.records.Put(ctx, rec)
}

// maxSettleAttempts bounds how often settle tries again when other
// processes keep changing a record.
const maxSettleAttempts = 8

// settle stores rec as the outcome of a decision about its award key,
// whose record was in state from. If another process stored a record for
// the key meanwhile and that record stands (a credential, or a review
// under way), settle stores nothing and returns that record; a record rec
// may replace (a denial, a rejection, a revocation) it replaces.
func (i *Issuer) settle(ctx context.Context, rec *Record, from State, by string) (won *Record, err error) {
	for range maxSettleAttempts {
		err := i.save(ctx, rec, from, by)
		if err == nil || (!errors.Is(err, ErrRecordExists) && !errors.Is(err, ErrRecordChanged)) {
			return nil, err
		}
		cur, err := i.records.Get(ctx, rec.AwardKey)
		switch {
		case errors.Is(err, ErrRecordNotFound):
			from = ""
		case err != nil:
			return nil, err
		case cur.State == StateIssued || cur.State == StateInReview || cur.State == StateSuspended:
			return cur, nil
		default:
			from = cur.State
		}
	}
	return nil, fmt.Errorf("%w: %s kept changing while it was being stored", ErrRecordChanged, rec.AwardKey)
}
