package issuer

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/credential"
)

// Pathways: an achievement made of others, awarded the moment the last of
// them is.

// ErrPathway is wrapped by the error Issue, Approve and Reinstate return
// when the award they made stands (issued and recorded, returned with the
// error) but a pathway it completed could not be awarded: the pathway's
// award was not recorded, and Issuer.CompletePathways (or the same call
// again) tries it anew.
var ErrPathway = errors.New("issuer: a pathway the award completed could not be awarded")

// A Pathway defines an achievement as a combination of others: a program
// made of courses, a certificate made of modules. When a learner's records
// satisfy it, the issuer awards the pathway's achievement automatically:
// an award of one of its achievements (by Issue, Batch, Approve or
// Reinstate) submits the pathway's award for the same learner, which goes
// through the pathway achievement's evaluator, review and records like any
// other, exactly once also when several issuer instances share the
// records. Pathways nest: a pathway's achievement may be one of another's.
//
// A learner holds an achievement of the pathway when its award at the
// issuer is in state issued with a credential that has not expired: a
// suspended, revoked, denied or pending one does not count.
//
// The credential of a pathway's award names the credentials it rests on as
// its evidence (one Evidence each, of genre "credential", whose id is the
// credential's id). The relations between the achievements (each is part
// of the pathway's; with Ordered, each precedes the next) are what
// Issuer.Associations returns and what a CLR carries (Issuer.CLR): an Open
// Badges 3.0 credential has no property for them.
//
// CompletePathways awards the pathways a learner's records satisfy (a
// pathway added after its achievements were awarded, say, or one whose
// award was cut short: a process that stops between an award and the
// pathway's leaves the pathway to the learner's next award, to Issue
// again, or to CompletePathways), with the same evidence;
// CompleteAllPathways does so for every learner the records name by id.
// Issue with a submission for a pathway's achievement decides it the same
// way, from the records, but the credential carries the submission's
// evidence.
//
// A pathway award stands on the credentials of its achievements when it
// was made. Revoking one of them later does not revoke it: that is for a
// person to decide (Revoke the pathway's award key too).
type Pathway struct {
	// Of lists the ids of the achievements the pathway is made of, each
	// one an achievement of the same issuer (Config.Achievements).
	// Required; no id twice, and never the pathway's own achievement, or
	// one whose own pathway leads back to it.
	Of []string
	// N is how many of them a learner must hold. Zero means all of them;
	// below zero or above len(Of) is a config error.
	N int
	// Ordered says that Of lists the achievements in the order they are
	// taken: each precedes the next (a "precedes" association). It
	// describes the program; it does not make the learner earn them in
	// that order (Prerequisites on an achievement's criteria does).
	Ordered bool
	// Within, if not zero, is the longest time from the first to the last
	// of the N awards counted (by their awardedDate): "three courses
	// within two years". Negative is a config error.
	Within time.Duration
}

// check reports what is wrong with p, as the pathway of the achievement
// id, among the achievements known (nil: any).
func (p *Pathway) check(id string, known map[string]*Achievement) error {
	switch {
	case len(p.Of) == 0:
		return fmt.Errorf("%w: the pathway of %s lists no achievements", ErrConfig, id)
	case p.N < 0 || p.N > len(p.Of):
		return fmt.Errorf("%w: the pathway of %s needs %d of %d achievements: want 1 to %d, or 0 for all", ErrConfig, id, p.N, len(p.Of), len(p.Of))
	case p.Within < 0:
		return fmt.Errorf("%w: the pathway of %s: a negative Within (%s)", ErrConfig, id, p.Within)
	}
	seen := map[string]bool{}
	for _, of := range p.Of {
		switch {
		case of == id:
			return fmt.Errorf("%w: the pathway of %s lists %s itself", ErrConfig, id, id)
		case seen[of]:
			return fmt.Errorf("%w: the pathway of %s lists %s twice", ErrConfig, id, of)
		case known != nil && known[of] == nil:
			return fmt.Errorf("%w: the pathway of %s lists %s, which is not one of the issuer's achievements", ErrConfig, id, of)
		}
		seen[of] = true
	}
	return nil
}

// need returns how many achievements of p a learner must hold.
func (p *Pathway) need() int {
	if p.N == 0 {
		return len(p.Of)
	}
	return p.N
}

// setupPathways checks the configured pathways (every achievement known,
// no cycle), indexes which pathways each achievement is part of, and gives
// every pathway achievement its evaluator: the pathway's, and the
// achievement's own Evaluator as well if it has one (both must award).
func (i *Issuer) setupPathways() error {
	i.partOf = map[string][]string{}
	for k := range i.cfg.Achievements {
		a := &i.cfg.Achievements[k]
		if a.Pathway == nil {
			continue
		}
		p := *a.Pathway
		p.Of = slices.Clone(p.Of)
		a.Pathway = &p
		if err := p.check(a.ID, i.achievements); err != nil {
			return err
		}
		for _, of := range p.Of {
			i.partOf[of] = append(i.partOf[of], a.ID)
		}
		var e Evaluator = PathwayEvaluator{Pathway: p, Records: i.records, IssuerID: i.cfg.Issuer.ID, Now: i.cfg.Now}
		if a.Evaluator != nil {
			e = AllOf(e, a.Evaluator)
		}
		a.Evaluator = e
	}
	// A cycle (a program made of a certificate made of the program) would
	// award each on the other's award, for ever: a depth-first search over
	// the pathways finds one.
	const (
		visiting = 1
		done     = 2
	)
	mark := map[string]int{}
	var visit func(id string, path []string) error
	visit = func(id string, path []string) error {
		switch mark[id] {
		case visiting:
			at := slices.Index(path, id)
			return fmt.Errorf("%w: pathways form a cycle: %s", ErrConfig, strings.Join(append(path[at:], id), " is part of "))
		case done:
			return nil
		}
		mark[id] = visiting
		for _, parent := range i.partOf[id] {
			if err := visit(parent, append(path, id)); err != nil {
				return err
			}
		}
		mark[id] = done
		return nil
	}
	for _, a := range i.cfg.Achievements {
		if err := visit(a.ID, nil); err != nil {
			return err
		}
	}
	return nil
}

// PathwayEvaluator decides a submission for a pathway's achievement from
// the learner's records: it awards when the learner holds (see Pathway)
// at least the N achievements the pathway needs, within its time, and
// denies otherwise, naming each achievement held (with its awardedDate)
// and each missing. The Issuer makes one for every achievement with a
// Pathway; it is exported to evaluate a pathway elsewhere.
type PathwayEvaluator struct {
	// Pathway is the definition. Its achievements are not checked
	// against a configuration here (the Issuer does that).
	Pathway Pathway
	// Records are the issuer's records, read by award key. Required.
	Records Records
	// IssuerID is the issuer's id, which award keys are made with.
	// Required.
	IssuerID string
	// Now returns the time expiry is judged at. If nil, time.Now.
	Now func() time.Time
}

var _ Evaluator = PathwayEvaluator{}

// Evaluate implements Evaluator.
func (e PathwayEvaluator) Evaluate(ctx context.Context, s *Submission, a *credential.Achievement) (Decision, error) {
	const name = "Pathway"
	if err := begin(name, s, a); err != nil {
		return Decision{}, err
	}
	if e.Records == nil || e.IssuerID == "" {
		return Decision{}, fmt.Errorf("%w: %s: Records and IssuerID are required", ErrConfig, name)
	}
	if err := e.Pathway.check(a.ID, nil); err != nil {
		return Decision{}, err
	}
	held, missing, err := e.holdings(ctx, s.Learner)
	if err != nil {
		return Decision{}, err
	}
	return e.Pathway.decide(held, missing), nil
}

// holding is an award of one of a pathway's achievements that a learner
// holds.
type holding struct {
	id  string // the achievement's
	rec *Record
	// name is the achievement's name in the credential; until its
	// validUntil, if any.
	name  string
	until time.Time
}

// holdings returns the learner's awards of the pathway's achievements that
// count (issued, not expired), in the pathway's order, and a reason for
// each achievement that does not.
func (e PathwayEvaluator) holdings(ctx context.Context, l Learner) (held []holding, missing []string, err error) {
	now := time.Now
	if e.Now != nil {
		now = e.Now
	}
	t := now()
	for _, id := range e.Pathway.Of {
		rec, err := e.Records.Get(ctx, AwardKey(e.IssuerID, id, l))
		switch {
		case errors.Is(err, ErrRecordNotFound):
			missing = append(missing, "not yet awarded "+id)
			continue
		case err != nil:
			return nil, nil, fmt.Errorf("issuer: reading the record of %s: %w", id, err)
		case rec.State != StateIssued:
			missing = append(missing, fmt.Sprintf("%s is %s, not awarded", id, rec.State))
			continue
		}
		h := holding{id: id, rec: rec}
		if c, err := recordedCredential(rec); err == nil {
			h.name = c.CredentialSubject.Achievement.Name
			if u, err := time.Parse(time.RFC3339, string(c.ValidUntil)); err == nil {
				h.until = u
			}
		} else {
			return nil, nil, fmt.Errorf("issuer: the credential of %s: %w", id, err)
		}
		if !h.until.IsZero() && !t.Before(h.until) {
			missing = append(missing, fmt.Sprintf("the credential of %s expired at %s", id, formatTime(h.until)))
			continue
		}
		held = append(held, h)
	}
	return held, missing, nil
}

// decide is the pathway's decision on the achievements held.
func (p *Pathway) decide(held []holding, missing []string) Decision {
	need := p.need()
	summary := fmt.Sprintf("%d of %d achievements of the pathway held, %d required", len(held), len(p.Of), need)
	if len(held) < need {
		return deny(append([]string{summary}, missing...)...)
	}
	var reasons []string
	for _, h := range held {
		reasons = append(reasons, fmt.Sprintf("holds %s, awarded %s", h.id, formatTime(h.rec.AwardedAt)))
	}
	if p.Within > 0 {
		if _, ok := p.within(held); !ok {
			return deny(append([]string{summary, fmt.Sprintf("no %d of them were awarded within %s of each other", need, p.Within)}, reasons...)...)
		}
		summary += fmt.Sprintf(", within %s", p.Within)
	}
	return award(append([]string{summary}, reasons...)...)
}

// within returns the N awards of held earned within the pathway's Within
// of each other (the earliest such run, by awardedDate), and whether there
// are any.
func (p *Pathway) within(held []holding) ([]holding, bool) {
	need := p.need()
	byTime := slices.Clone(held)
	slices.SortStableFunc(byTime, func(a, b holding) int { return a.rec.AwardedAt.Compare(b.rec.AwardedAt) })
	for k := 0; k+need <= len(byTime); k++ {
		if p.Within == 0 || byTime[k+need-1].rec.AwardedAt.Sub(byTime[k].rec.AwardedAt) <= p.Within {
			return byTime[k : k+need], true
		}
	}
	return nil, false
}

// CompletePathways awards learner l every pathway achievement that l's
// records satisfy and that has no standing record (issued, in review,
// suspended, revoked or rejected: each is a decision already made), in
// the order of Config.Achievements, and returns what was issued or sent
// to review. Awards complete pathways by themselves; this is for a
// pathway added to a configuration after its achievements were awarded,
// and to try again after ErrPathway. CompleteAllPathways does it for
// every learner the records name by id.
func (i *Issuer) CompletePathways(ctx context.Context, l Learner) ([]*Issued, error) {
	if l.ID == "" && l.Email == "" {
		return nil, ErrNoRecipient
	}
	var out []*Issued
	var errs []error
	for _, a := range i.cfg.Achievements {
		if a.Pathway == nil {
			continue
		}
		is, err := i.completePathway(ctx, a.ID, l)
		if is != nil {
			out = append(out, is)
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return out, errors.Join(errs...)
}

// afterAward completes the pathways that the award out of the submission
// s is part of, once its award key is unlocked, and adds them to
// out.Pathways. It runs for an award returned again (Existing) too: Issue
// is how a caller tries again after ErrPathway.
func (i *Issuer) afterAward(ctx context.Context, s *Submission, out *Issued, err error) (*Issued, error) {
	if out != nil {
		out.AchievementID = s.AchievementID
	}
	if out == nil || out.State != StateIssued || len(i.partOf[s.AchievementID]) == 0 || (err != nil && !errors.Is(err, ErrCertificate)) {
		return out, err
	}
	var errs []error
	for _, id := range i.partOf[s.AchievementID] {
		is, perr := i.completePathway(ctx, id, s.Learner)
		if is != nil {
			out.Pathways = append(out.Pathways, is)
		}
		if perr != nil {
			errs = append(errs, perr)
		}
	}
	if len(errs) > 0 {
		return out, errors.Join(err, fmt.Errorf("%w: %w", ErrPathway, errors.Join(errs...)))
	}
	return out, err
}

// completePathway submits the award of the pathway achievement id to
// learner l if l's records satisfy its pathway and its award key has no
// standing record; nil when there was nothing to submit.
//
// Across instances sharing the records it awards exactly once: every
// instance stores the award it made before it reads the records here, so
// of two instances completing the last two achievements at the same time
// at least one reads both awards (the later of the two reads comes after
// both writes); and the pathway's record is created once (Records.Create,
// a unique key), the other instance's Issue returning it as Existing.
func (i *Issuer) completePathway(ctx context.Context, id string, l Learner) (*Issued, error) {
	a := i.achievements[id]
	key := i.AwardKey(id, l)
	rec, err := i.records.Get(ctx, key)
	switch {
	case err == nil && rec.State != StateDenied:
		return nil, nil // decided: awarded, pending, or a person's decision
	case err != nil && !errors.Is(err, ErrRecordNotFound):
		return nil, fmt.Errorf("issuer: pathway %s: %w", id, err)
	}
	pe := PathwayEvaluator{Pathway: *a.Pathway, Records: i.records, IssuerID: i.cfg.Issuer.ID, Now: i.cfg.Now}
	held, missing, err := pe.holdings(ctx, l)
	if err != nil {
		return nil, fmt.Errorf("issuer: pathway %s: %w", id, err)
	}
	if pe.Pathway.decide(held, missing).Verdict != Award {
		return nil, nil // not yet: nothing recorded, no denial for every step
	}
	// The awards counted: with Within, those earned within it of each
	// other; otherwise every one held.
	counted := held
	if pe.Pathway.Within > 0 {
		counted, _ = pe.Pathway.within(held)
	}
	s := &Submission{Learner: l, AchievementID: id, Completed: true, SubmittedAt: i.now()}
	for _, h := range counted {
		s.CompletedAt = maxTime(s.CompletedAt, h.rec.AwardedAt)
		s.Earned = append(s.Earned, h.id)
		name := h.name
		if name == "" {
			name = h.id
		}
		s.Evidence = append(s.Evidence, Evidence{
			URL: h.rec.CredentialID, Kind: "credential", Name: name,
			Description: "The credential for " + name + ", awarded " + h.rec.AwardedAt.UTC().Format(time.DateOnly) + ".",
		})
	}
	i.log.InfoContext(ctx, "pathway complete", "award_key", key, "achievement", id, "held", len(held))
	is, err := i.Issue(ctx, s)
	if err != nil {
		return is, fmt.Errorf("issuer: pathway %s: %w", id, err)
	}
	return is, nil
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// Associations returns the relations the configured pathways define
// between achievements (CLR 2.0 associations, by achievement id), in the
// order of Config.Achievements: for each pathway, each of its achievements
// is part of (isPartOf) the pathway's achievement, and, in an Ordered
// one, each precedes the next.
func (i *Issuer) Associations() []credential.Association {
	var out []credential.Association
	for _, a := range i.cfg.Achievements {
		if a.Pathway == nil {
			continue
		}
		for _, of := range a.Pathway.Of {
			out = append(out, credential.Association{AssociationType: credential.AssociationIsPartOf, SourceID: of, TargetID: a.ID})
		}
		if a.Pathway.Ordered {
			for k := 1; k < len(a.Pathway.Of); k++ {
				out = append(out, credential.Association{AssociationType: credential.AssociationPrecedes, SourceID: a.Pathway.Of[k-1], TargetID: a.Pathway.Of[k]})
			}
		}
	}
	return out
}
