package issuer

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/bake"
	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/render"
	"github.com/go-openbadges/openbadges/status"
	"github.com/go-openbadges/openbadges/verify"
)

// Issued is what Issue did with a submission.
type Issued struct {
	// AwardKey identifies the learner and achievement.
	AwardKey string
	// AchievementID is the achievement's id, in what Issue, Approve and
	// Reinstate return and in Pathways.
	AchievementID string
	// Decision is the evaluator's (for an existing credential, empty).
	Decision Decision
	// State is the record's state: issued, denied or in review; for an
	// award a person decided before, rejected, revoked or suspended.
	State State
	// ReviewID is the review item, when the submission went to review.
	ReviewID string
	// Existing is true when the credential was issued before and is
	// returned again (Issue is idempotent).
	Existing bool
	// Credential is the credential as JSON with its Data Integrity proof
	// (empty for FormatJWT), JWT its VC-JWT (empty for
	// FormatDataIntegrity).
	Credential []byte
	JWT        string
	// Report is the verification of the credential before it was handed
	// out (nil for an existing one).
	Report *verify.Report
	// Certificate holds the certificate forms (HTML, SVG, PDF) of an
	// issued credential, when Config.Certificates has a Renderer; nil
	// otherwise.
	Certificate *render.Rendered
	// Pathways are the awards of the pathways this award completed (see
	// Pathway), each as Issue returned it, with the pathways it completed
	// in turn.
	Pathways []*Issued
}

// Bake returns img (a PNG or SVG) with the credential baked in: the JWT
// when there is one, the JSON credential otherwise.
func (is *Issued) Bake(img []byte) ([]byte, error) {
	switch {
	case is.JWT != "":
		return bake.Bake(img, []byte(is.JWT), nil)
	case len(is.Credential) > 0:
		return bake.Bake(img, is.Credential, nil)
	}
	return nil, ErrNotIssued
}

// Issue decides a submission and, when it is awarded, issues the
// credential: built from the achievement, the learner (an email address
// salted and hashed unless Learner.Plain), the evidence and the results
// the evaluator measured; given a status entry; checked against the OB 3.0
// and W3C VC Data Model rules (a credential that breaks one, through an
// endorsement of the achievement say, is not signed: the error wraps a
// *credential.ValidationError); signed; and verified before it is
// returned. A submission the evaluator sends to review is
// queued (Approve issues it later); a denial is recorded with its reasons.
// The package documentation draws the lifecycle: a revoked award is not
// issued again (Issue returns StateRevoked and no credential), an award a
// reviewer rejected goes back to review rather than to issuance, and a
// denied one is awarded once the criteria are met.
//
// Issue is idempotent: for an award key that already has a credential it
// returns that credential (Existing), never a second one, also when called
// concurrently, and also from several processes sharing the Records (see
// RecordSwapper): of two that decide the same award key at once, the first
// to store its record wins, and the other returns that record as it stands
// (its own credential, signed but never handed out, is dropped; its status
// entry stays allocated and unused). The error is for what stopped the
// decision or the issuance, not for a denial.
//
// An award also completes the pathways its achievement is part of (see
// Pathway): their awards are in Issued.Pathways.
func (i *Issuer) Issue(ctx context.Context, s *Submission) (out *Issued, err error) {
	defer func() { out, err = i.afterAward(ctx, s, out, err) }()
	defer func() { out, err = i.certify(ctx, out, err, s) }()
	a, key, err := i.prepare(s)
	if err != nil {
		return nil, err
	}
	unlock := i.lock(key)
	defer unlock()
	var from State // the state of the record a decision replaces; "" for none
	var prev *Record
	if rec, err := i.records.Get(ctx, key); err == nil {
		prev = rec
		switch rec.State {
		case StateIssued, StateInReview:
			return i.standing(ctx, a, rec), nil
		case StateRevoked, StateSuspended:
			// A revoked or suspended award is not issued again by a
			// submission: the revocation or suspension was someone's
			// decision, and Issue cannot know it no longer holds.
			i.log.InfoContext(ctx, "award "+string(rec.State)+"; not issued again", "award_key", key, "achievement", a.ID)
			return &Issued{AwardKey: key, State: rec.State}, nil
		}
		from = rec.State
	} else if !errors.Is(err, ErrRecordNotFound) {
		return nil, err
	}
	d, err := a.Evaluator.Evaluate(ctx, s, a.Achievement)
	if err != nil {
		i.log.WarnContext(ctx, "evaluation failed", "award_key", key, "achievement", a.ID, "error", err.Error())
		return nil, fmt.Errorf("issuer: evaluating: %w", err)
	}
	if from == StateRejected && d.Verdict == Award {
		// A person rejected this award: the criteria alone do not
		// overrule them. New evidence goes back to a person.
		d.Verdict = Review
		d.Reasons = append(d.Reasons, "a reviewer rejected this award before, so a person decides again")
	}
	i.log.InfoContext(ctx, "decision", "award_key", key, "achievement", a.ID, "verdict", d.Verdict.String(), "reasons", len(d.Reasons))
	rec := i.newRecord(key, a.ID, s, prev)
	rec.Reasons = d.Reasons
	switch d.Verdict {
	case Deny:
		rec.State = StateDenied
		if won, err := i.settle(ctx, rec, from, ""); err != nil {
			return nil, err
		} else if won != nil {
			return i.standing(ctx, a, won), nil
		}
		return &Issued{AwardKey: key, Decision: d, State: StateDenied}, nil
	case Review:
		id, err := i.review.Submit(ctx, ReviewItem{Submission: *s, Decision: d, AwardKey: key, Created: i.now()})
		if err != nil {
			return nil, fmt.Errorf("issuer: queueing for review: %w", err)
		}
		rec.State, rec.ReviewID = StateInReview, id
		if won, err := i.settle(ctx, rec, from, ""); err != nil {
			return nil, err
		} else if won != nil {
			return i.standing(ctx, a, won), nil
		}
		i.log.InfoContext(ctx, "sent to review", "award_key", key, "achievement", a.ID, "review", id)
		return &Issued{AwardKey: key, Decision: d, State: StateInReview, ReviewID: id}, nil
	}
	out, err = i.issue(ctx, a, s, d, rec, nil, from, "")
	if err != nil {
		return nil, err
	}
	if !out.Existing {
		out.Decision = d
	}
	return out, nil
}

// standing returns what Issue returns for an award key whose record
// stands: the credential issued before (Existing), or the review it waits
// for.
func (i *Issuer) standing(ctx context.Context, a *Achievement, rec *Record) *Issued {
	switch rec.State {
	case StateInReview:
		return &Issued{AwardKey: rec.AwardKey, State: rec.State, ReviewID: rec.ReviewID}
	case StateSuspended:
		return &Issued{AwardKey: rec.AwardKey, State: rec.State}
	}
	i.log.InfoContext(ctx, "award already issued", "award_key", rec.AwardKey, "achievement", a.ID, "credential", rec.CredentialID)
	return &Issued{AwardKey: rec.AwardKey, State: rec.State, Existing: true, Credential: rec.Credential, JWT: rec.JWT}
}

// prepare finds the submission's achievement and award key.
func (i *Issuer) prepare(s *Submission) (*Achievement, string, error) {
	if s == nil {
		return nil, "", errors.New("issuer: nil submission")
	}
	a, ok := i.achievements[s.AchievementID]
	if !ok {
		return nil, "", fmt.Errorf("%w: %q", ErrUnknownAchievement, s.AchievementID)
	}
	if a.Evaluator == nil {
		return nil, "", fmt.Errorf("%w: %s", ErrNoEvaluator, a.ID)
	}
	if s.Learner.ID == "" && s.Learner.Email == "" {
		return nil, "", ErrNoRecipient
	}
	return a, AwardKey(i.cfg.Issuer.ID, a.ID, s.Learner), nil
}

// issue builds, signs, checks and records a credential for an awarded
// submission. prev, for a reissue, is the record of the earlier one; from
// is the state of the record the new one replaces ("" for none). If
// another process settled the award key first, issue returns what stands
// instead (see settle).
func (i *Issuer) issue(ctx context.Context, a *Achievement, s *Submission, d Decision, rec *Record, prev *Record, from State, by string) (*Issued, error) {
	now := i.now().UTC().Truncate(time.Second)
	// The decision's results and alignments are copied: building the
	// credential fills in their types, and an evaluator may hand the same
	// values to concurrent issuances.
	results, err := copyJSON(&d.Results)
	if err != nil {
		return nil, fmt.Errorf("issuer: the decision's results: %w", err)
	}
	alignments, err := copyJSON(&d.Alignments)
	if err != nil {
		return nil, fmt.Errorf("issuer: the decision's alignments: %w", err)
	}
	d.Results, d.Alignments = *results, *alignments
	award := credential.Award{
		Issuer:      i.cfg.Issuer,
		Achievement: a.Achievement,
		RecipientID: s.Learner.ID,
		Results:     d.Results,
		ValidFrom:   now,
		AwardedDate: now,
	}
	if s.Learner.Email != "" {
		if s.Learner.Plain {
			award.Identifier = []credential.IdentityObject{credential.NewPlainIdentity(credential.IdentifierTypeEmailAddress, s.Learner.Email)}
		} else {
			award.Identifier = []credential.IdentityObject{credential.NewHashedIdentity(credential.IdentifierTypeEmailAddress, strings.ToLower(strings.TrimSpace(s.Learner.Email)))}
		}
	}
	if len(d.Alignments) > 0 {
		award.Results = append(award.Results, credential.Result{Status: credential.ResultStatusCompleted, Alignment: d.Alignments})
	}
	for _, e := range s.Evidence {
		award.Evidence = append(award.Evidence, credential.Evidence{ID: e.URL, Name: e.Name, Description: e.Description, Narrative: e.Text, Genre: e.Kind})
	}
	validity := i.cfg.Validity
	if a.Validity != 0 {
		validity = a.Validity
	}
	if validity > 0 {
		award.ValidUntil = now.Add(validity)
	}
	if prev != nil {
		award.ID = prev.CredentialID
		award.AwardedDate = prev.AwardedAt
	}
	c, err := credential.NewAchievementCredential(award)
	if err != nil {
		return nil, fmt.Errorf("issuer: building the credential: %w", err)
	}
	for _, e := range a.Endorsements {
		parsed, err := credential.ParseEndorsementCredential(e, nil)
		if err != nil {
			return nil, fmt.Errorf("%w: an endorsement of %s: %w", ErrConfig, a.ID, err)
		}
		c.Endorsement = append(c.Endorsement, *parsed)
	}
	var entries []status.Entry
	if prev != nil {
		entries = prev.Status
	} else {
		if entries, err = i.allocate(ctx); err != nil {
			return nil, err
		}
	}
	for _, e := range entries {
		c.CredentialStatus = append(c.CredentialStatus, credential.CredentialStatus{ID: e.ID, Type: credential.TypeName(e.Type), Extra: e.Extra()})
	}
	doc, err := credential.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("issuer: encoding the credential: %w", err)
	}
	if err := checkBeforeSigning(doc); err != nil {
		i.log.ErrorContext(ctx, "the credential breaks the data model; not signed", "award_key", rec.AwardKey, "achievement", a.ID, "error", err.Error())
		return nil, fmt.Errorf("issuer: the credential for %s: %w", a.ID, err)
	}
	signed, jwt, err := i.sign(ctx, doc)
	if err != nil {
		return nil, err
	}
	rep, err := i.check(ctx, signed, jwt, now)
	if err != nil {
		i.log.ErrorContext(ctx, "self-check failed", "award_key", rec.AwardKey, "achievement", a.ID, "error", err.Error())
		return nil, err
	}
	rec.State, rec.CredentialID, rec.Credential, rec.JWT, rec.Status = StateIssued, c.ID, signed, jwt, entries
	// IssuedAt is the credential's validFrom, to the second; Updated (and
	// the History event it dates) is when the record changed, exactly, so
	// that changes within one second keep their order.
	rec.IssuedAt, rec.Updated = now, i.now().UTC()
	rec.AwardedAt = now
	if prev != nil {
		rec.AwardedAt = prev.AwardedAt
	}
	if won, err := i.settle(ctx, rec, from, by); err != nil {
		return nil, err
	} else if won != nil {
		i.log.InfoContext(ctx, "decided elsewhere first; the new credential is dropped", "award_key", rec.AwardKey, "achievement", a.ID, "credential", c.ID)
		return i.standing(ctx, a, won), nil
	}
	i.log.InfoContext(ctx, "issued", "award_key", rec.AwardKey, "achievement", a.ID, "credential", c.ID, "reissue", prev != nil)
	return &Issued{AwardKey: rec.AwardKey, State: StateIssued, Credential: signed, JWT: jwt, Report: rep}, nil
}

// allocate gets the credential's status entries.
func (i *Issuer) allocate(ctx context.Context) ([]status.Entry, error) {
	var entries []status.Entry
	for _, url := range []string{i.cfg.Status.Bitstring, i.cfg.Status.RevocationList} {
		if url == "" {
			continue
		}
		e, err := i.cfg.Status.Registry.Allocate(ctx, url)
		if err != nil {
			return nil, fmt.Errorf("issuer: allocating a status entry in %s: %w", url, err)
		}
		entries = append(entries, *e)
	}
	return entries, nil
}
