package issuer

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/go-openbadges/openbadges/status"
)

// The lifecycle of an award after its first decision: reviews decided,
// credentials revoked, suspended, reissued and reinstated. The package
// doc draws the states.

// Approve resolves a review by approving it and issues the credential.
func (i *Issuer) Approve(ctx context.Context, reviewID, reviewer, note string) (out *Issued, err error) {
	item, err := i.review.Resolve(ctx, reviewID, Resolution{Approve: true, Reviewer: reviewer, Note: note, At: i.now()})
	if err != nil {
		return nil, err
	}
	s := item.Submission
	defer func() { out, err = i.afterAward(ctx, &s, out, err) }()
	defer func() { out, err = i.certify(ctx, out, err, &s) }()
	a, key, err := i.prepare(&s)
	if err != nil {
		return nil, err
	}
	unlock := i.lock(key)
	defer unlock()
	var from State
	var prev *Record
	if rec, err := i.records.Get(ctx, key); err == nil {
		if rec.State == StateIssued {
			return &Issued{AwardKey: key, State: StateIssued, Existing: true, Credential: rec.Credential, JWT: rec.JWT}, nil
		}
		from, prev = rec.State, rec
	} else if !errors.Is(err, ErrRecordNotFound) {
		return nil, err
	}
	d := item.Decision
	d.Verdict = Award
	d.Reasons = append(d.Reasons, "approved by "+reviewer)
	i.log.InfoContext(ctx, "review approved", "award_key", key, "achievement", a.ID, "review", reviewID)
	rec := i.newRecord(key, a.ID, &s, prev)
	rec.Reasons, rec.ReviewID = d.Reasons, reviewID
	out, err = i.issue(ctx, a, &s, d, rec, nil, from, reviewer)
	if err != nil {
		return nil, i.requeue(ctx, item, prev, err)
	}
	if !out.Existing {
		out.Decision, out.ReviewID = d, reviewID
	}
	return out, nil
}

// requeue puts the submission of an approved review item back in the
// queue when issuing failed after the approval (the signing key was not
// there, the self-check failed): the queue says approved and cannot be
// asked again, and without a new item the award would wait in review for
// ever. The record, if it is still in review, names the new item. It
// returns cause, wrapped with what it did.
func (i *Issuer) requeue(ctx context.Context, item ReviewItem, rec *Record, cause error) error {
	id, err := i.review.Submit(ctx, ReviewItem{Submission: item.Submission, Decision: item.Decision, AwardKey: item.AwardKey, Created: i.now()})
	if err != nil {
		i.log.ErrorContext(ctx, "approved, not issued, and not queued again", "award_key", item.AwardKey, "review", item.ID, "error", err.Error())
		return fmt.Errorf("%w (and queueing it again for review failed: %v)", cause, err)
	}
	if rec != nil && rec.State == StateInReview {
		rec.ReviewID, rec.Updated = id, i.now()
		if err := i.save(ctx, rec, StateInReview, ""); err != nil {
			return fmt.Errorf("%w (queued again for review as %s, but the record still names %s: %v)", cause, id, item.ID, err)
		}
	}
	i.log.WarnContext(ctx, "approved but not issued; queued again for review", "award_key", item.AwardKey, "review", item.ID, "new_review", id, "error", cause.Error())
	return fmt.Errorf("%w; nothing was issued, and the submission is queued again for review as %s", cause, id)
}

// Reject resolves a review by rejecting it; the award key's record says
// so, with the reviewer's note.
func (i *Issuer) Reject(ctx context.Context, reviewID, reviewer, note string) error {
	item, err := i.review.Resolve(ctx, reviewID, Resolution{Approve: false, Reviewer: reviewer, Note: note, At: i.now()})
	if err != nil {
		return err
	}
	unlock := i.lock(item.AwardKey)
	defer unlock()
	rec, err := i.records.Get(ctx, item.AwardKey)
	if err != nil {
		return err
	}
	from := rec.State
	rec.State, rec.Updated = StateRejected, i.now()
	rec.Reasons = append(rec.Reasons, "rejected by "+reviewer+": "+note)
	i.log.InfoContext(ctx, "review rejected", "award_key", item.AwardKey, "review", reviewID)
	return i.save(ctx, rec, from, reviewer)
}

// Revoke revokes the credential of an award key, with reason (kept in a
// 1EdTech list and in the record, and logged: write it without learner
// data). The record and the status lists change together; verifiers see
// it once the lists are published again. A revocation is final: Issue
// never brings the award back, and only Reinstate, on a person's word,
// issues it anew.
//
// An Open Badges 3.0 credential has one status entry. Revoke sets it in
// a revocation list; a credential whose entry is in a suspension list
// (StatusConfig.Bitstring naming a list of purpose suspension) is
// suspended for good instead: verifiers see it suspended, and Unsuspend
// refuses a revoked award.
func (i *Issuer) Revoke(ctx context.Context, awardKey, reason string) error {
	unlock := i.lock(awardKey)
	defer unlock()
	rec, err := i.changeable(ctx, awardKey, "revoked")
	if err != nil {
		return err
	}
	doc := rec.document()
	switch {
	case hasPurpose(rec.Status, status.Revocation) || hasType(rec.Status, string(status.Method1EdTech)):
		_, err = i.cfg.Status.Registry.RevokeCredential(ctx, "", doc, reason)
	case rec.State == StateIssued:
		_, err = i.cfg.Status.Registry.SuspendCredential(ctx, "", doc)
	}
	if err != nil {
		return fmt.Errorf("issuer: revoking: %w", err)
	}
	return i.changeState(ctx, rec, StateRevoked, "revoked", reason)
}

// Suspend suspends the credential of an award key until Unsuspend: the
// record says suspended and the credential's entry in its suspension list
// is set, together. Issue hands out no credential while it is suspended.
// The credential's status entry must be in a suspension list (an Open
// Badges 3.0 credential has one entry, so an issuer that suspends issues
// from a list of purpose suspension; see Revoke); otherwise Suspend fails
// with an error wrapping ErrConfig.
func (i *Issuer) Suspend(ctx context.Context, awardKey, reason string) error {
	unlock := i.lock(awardKey)
	defer unlock()
	rec, err := i.changeable(ctx, awardKey, "suspended")
	if err != nil {
		return err
	}
	if rec.State != StateIssued {
		return fmt.Errorf("%w: %s is %s", ErrNotIssued, awardKey, rec.State)
	}
	if !hasPurpose(rec.Status, status.Suspension) {
		return fmt.Errorf("%w: the credential's status entry is for revocation, not suspension: an issuer that suspends issues from a status list of purpose suspension", ErrConfig)
	}
	if _, err := i.cfg.Status.Registry.SuspendCredential(ctx, "", rec.document()); err != nil {
		return fmt.Errorf("issuer: suspending: %w", err)
	}
	return i.changeState(ctx, rec, StateSuspended, "suspended", reason)
}

// Unsuspend lifts the suspension of an award key's credential: the record
// says issued again and the list entry is cleared, together. An award
// that is not suspended (a revoked one above all) fails with an error
// wrapping ErrState.
func (i *Issuer) Unsuspend(ctx context.Context, awardKey, reason string) error {
	unlock := i.lock(awardKey)
	defer unlock()
	rec, err := i.records.Get(ctx, awardKey)
	if err != nil {
		return err
	}
	if rec.State != StateSuspended {
		return fmt.Errorf("%w: %s is %s, not suspended", ErrState, awardKey, rec.State)
	}
	if _, err := i.cfg.Status.Registry.UnsuspendCredential(ctx, "", rec.document()); err != nil {
		return fmt.Errorf("issuer: lifting the suspension: %w", err)
	}
	return i.changeState(ctx, rec, StateIssued, "unsuspended", reason)
}

// changeState moves rec, whose credential's status entry was just changed, to
// the state to: the record says so with event and reason in its Reasons,
// the audit log says so, and the record is saved in place of the one in
// rec's previous state.
func (i *Issuer) changeState(ctx context.Context, rec *Record, to State, event, reason string) error {
	from := rec.State
	rec.State, rec.Updated = to, i.now()
	rec.Reasons = append(rec.Reasons, note(event, "", reason))
	i.log.InfoContext(ctx, event, "award_key", rec.AwardKey, "credential", rec.CredentialID, "reason", reason)
	return i.save(ctx, rec, from, "")
}

// changeable returns the record of an award key whose credential's status
// can change (to what, for messages): issued or suspended, with a status
// entry.
func (i *Issuer) changeable(ctx context.Context, awardKey, what string) (*Record, error) {
	rec, err := i.records.Get(ctx, awardKey)
	if err != nil {
		return nil, err
	}
	if rec.State != StateIssued && rec.State != StateSuspended {
		return nil, fmt.Errorf("%w: %s is %s", ErrNotIssued, awardKey, rec.State)
	}
	if i.cfg.Status.Registry == nil || len(rec.Status) == 0 {
		return nil, fmt.Errorf("%w: the credential has no status entry, so it cannot be %s", ErrConfig, what)
	}
	return rec, nil
}

// Reinstate issues a revoked or rejected award anew, on a person's word:
// by names them and reason says why, both required (an error wrapping
// ErrOverride otherwise); the record and the audit log keep both. It is
// the only way back for such an award, which Issue never re-issues.
//
// The submission is evaluated again, and a person's word overrides a
// rejection or a revocation, not the criteria: if they deny, nothing
// changes and the decision is returned with the record's state. If they
// award or ask a person (the caller is that person), a new credential is
// issued, with a new id, new status entries and a new awardedDate: the
// revoked one stays revoked. Any other state fails with an error wrapping
// ErrState (an issued award is reissued with Reissue, a review decided
// with Approve, a denial is decided again by Issue).
func (i *Issuer) Reinstate(ctx context.Context, s *Submission, by, reason string) (out *Issued, err error) {
	if strings.TrimSpace(by) == "" || strings.TrimSpace(reason) == "" {
		return nil, fmt.Errorf("%w: say who reinstates the award and why", ErrOverride)
	}
	defer func() { out, err = i.afterAward(ctx, s, out, err) }()
	defer func() { out, err = i.certify(ctx, out, err, s) }()
	a, key, err := i.prepare(s)
	if err != nil {
		return nil, err
	}
	unlock := i.lock(key)
	defer unlock()
	prev, err := i.records.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	if prev.State != StateRevoked && prev.State != StateRejected {
		return nil, fmt.Errorf("%w: %s is %s; only a revoked or rejected award is reinstated", ErrState, key, prev.State)
	}
	d, err := a.Evaluator.Evaluate(ctx, s, a.Achievement)
	if err != nil {
		return nil, fmt.Errorf("issuer: evaluating: %w", err)
	}
	if d.Verdict == Deny {
		i.log.InfoContext(ctx, "not reinstated: the criteria deny", "award_key", key, "achievement", a.ID, "by", by)
		return &Issued{AwardKey: key, Decision: d, State: prev.State}, nil
	}
	d.Verdict = Award
	d.Reasons = append(d.Reasons, note("reinstated", by, reason))
	i.log.InfoContext(ctx, "reinstated", "award_key", key, "achievement", a.ID, "from", string(prev.State), "by", by, "reason", reason, "replaces", prev.CredentialID)
	rec := i.newRecord(key, a.ID, s, prev)
	rec.Reasons = append(slices.Clip(prev.Reasons), d.Reasons...)
	out, err = i.issue(ctx, a, s, d, rec, nil, prev.State, by)
	if err != nil {
		return nil, err
	}
	if !out.Existing {
		out.Decision = d
	}
	return out, nil
}

// note is the line a record's Reasons gain for an event.
func note(event, by, reason string) string {
	if by != "" {
		event += " by " + by
	}
	if reason != "" {
		event += ": " + reason
	}
	return event
}

// document returns the record's credential as issued: JSON, or its JWT.
func (r *Record) document() []byte {
	if len(r.Credential) > 0 {
		return []byte(r.Credential)
	}
	return []byte(r.JWT)
}

// hasPurpose reports whether entries hold a bitstring entry of purpose p.
func hasPurpose(entries []status.Entry, p status.Purpose) bool {
	return slices.ContainsFunc(entries, func(e status.Entry) bool { return e.StatusPurpose == p })
}

// hasType reports whether entries hold an entry of type t.
func hasType(entries []status.Entry, t string) bool {
	return slices.ContainsFunc(entries, func(e status.Entry) bool { return e.Type == t })
}

// Reissue issues the credential of an award key again, with the same id,
// status entries and awardedDate and a newer validFrom (a credential with
// the same id and a later validFrom supersedes the earlier one). The
// submission is evaluated again: nothing is reissued that the criteria do
// not justify.
func (i *Issuer) Reissue(ctx context.Context, s *Submission) (out *Issued, err error) {
	defer func() { out, err = i.certify(ctx, out, err, s) }()
	a, key, err := i.prepare(s)
	if err != nil {
		return nil, err
	}
	unlock := i.lock(key)
	defer unlock()
	prev, err := i.records.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	if prev.State != StateIssued {
		return nil, fmt.Errorf("%w: %s is %s", ErrNotIssued, key, prev.State)
	}
	d, err := a.Evaluator.Evaluate(ctx, s, a.Achievement)
	if err != nil {
		return nil, fmt.Errorf("issuer: evaluating: %w", err)
	}
	if d.Verdict != Award {
		return &Issued{AwardKey: key, Decision: d, State: prev.State}, nil
	}
	rec := i.newRecord(key, a.ID, s, prev)
	rec.Reasons = d.Reasons
	out, err = i.issue(ctx, a, s, d, rec, prev, StateIssued, "")
	if err != nil {
		return nil, err
	}
	if !out.Existing {
		out.Decision = d
	}
	return out, nil
}
