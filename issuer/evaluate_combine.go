package issuer

import (
	"context"
	"fmt"
	"slices"

	"github.com/go-openbadges/openbadges/credential"
)

// AllOf returns an evaluator that awards when every one of evaluators
// awards, sends to Review when none denies but some send to review, and
// denies when any denies.
//
// Like AnyOf and NOf, it asks every evaluator, in order (no short cut, so
// that a denial lists every unmet criterion), and returns the first error
// any returns. Its decision carries the reasons of the evaluators whose
// verdict is its own; the Results and Alignments of those that awarded,
// when it awards; of those that awarded or sent to review, when it sends
// to review (what a reviewer approves); and of all of them when it denies
// (what was measured). Identical reasons, results and alignments appear
// once. AllOf of no evaluators is a config error.
func AllOf(evaluators ...Evaluator) Evaluator {
	return combination{name: "AllOf", all: true, evaluators: slices.Clone(evaluators)}
}

// AnyOf returns an evaluator that awards when any one of evaluators
// awards, sends to Review when none awards but some send to review, and
// denies when all deny. It merges decisions like AllOf. AnyOf of no
// evaluators is a config error.
func AnyOf(evaluators ...Evaluator) Evaluator {
	return combination{name: "AnyOf", n: 1, evaluators: slices.Clone(evaluators)}
}

// NOf returns an evaluator that awards when at least n of evaluators
// award, sends to Review when fewer award but awards and reviews together
// reach n, and denies otherwise. Its reasons start with a count ("2 of 3
// criteria met, 2 required"); it merges decisions like AllOf. An n below
// 1 or above the number of evaluators is a config error.
func NOf(n int, evaluators ...Evaluator) Evaluator {
	return combination{name: "NOf", n: n, count: true, evaluators: slices.Clone(evaluators)}
}

// combination is AllOf, AnyOf and NOf: all three count awards and
// reviews against a number needed.
type combination struct {
	name       string
	all        bool // n is the number of evaluators
	n          int
	count      bool // reasons start with the count
	evaluators []Evaluator
}

// Evaluate implements Evaluator.
func (c combination) Evaluate(ctx context.Context, s *Submission, a *credential.Achievement) (Decision, error) {
	if err := begin(c.name, s, a); err != nil {
		return Decision{}, err
	}
	if len(c.evaluators) == 0 {
		return Decision{}, fmt.Errorf("%w: %s of no evaluators", ErrConfig, c.name)
	}
	need := c.n
	if c.all {
		need = len(c.evaluators)
	}
	if need < 1 || need > len(c.evaluators) {
		return Decision{}, fmt.Errorf("%w: %s(%d) of %d evaluators", ErrConfig, c.name, need, len(c.evaluators))
	}
	for i, e := range c.evaluators {
		if e == nil {
			return Decision{}, fmt.Errorf("%w: %s: evaluator %d is nil", ErrConfig, c.name, i+1)
		}
	}
	decisions := make([]Decision, len(c.evaluators))
	awards, reviews := 0, 0
	for i, e := range c.evaluators {
		if err := ctx.Err(); err != nil {
			return Decision{}, fmt.Errorf("issuer: %s: %w", c.name, err)
		}
		d, err := e.Evaluate(ctx, s, a)
		if err != nil {
			return Decision{}, fmt.Errorf("%s: evaluator %d: %w", c.name, i+1, err)
		}
		switch d.Verdict {
		case Award:
			awards++
		case Review:
			reviews++
		default:
			d.Verdict = Deny // an unknown verdict is no award
		}
		decisions[i] = d
	}
	out := Decision{Verdict: Deny}
	switch {
	case awards >= need:
		out.Verdict = Award
	case awards+reviews >= need:
		out.Verdict = Review
	}
	if c.count {
		summary := fmt.Sprintf("%d of %d criteria met, %d required", awards, len(decisions), need)
		if reviews > 0 {
			summary = fmt.Sprintf("%d of %d criteria met and %d for review, %d required", awards, len(decisions), reviews, need)
		}
		out.Reasons = []string{summary}
	}
	for _, d := range decisions {
		if d.Verdict == out.Verdict {
			out.Reasons = appendNew(out.Reasons, d.Reasons...)
		}
		if supports(d.Verdict, out.Verdict) {
			out.Results = appendNew(out.Results, d.Results...)
			out.Alignments = appendNew(out.Alignments, d.Alignments...)
		}
	}
	return out, nil
}

// supports reports whether the results of a decision with verdict v
// belong in a combined decision with verdict combined.
func supports(v, combined Verdict) bool {
	switch combined {
	case Award:
		return v == Award
	case Review:
		return v == Award || v == Review
	}
	return true
}

// ReviewWhen sends to a person what an evaluator would award: where
// Evaluator awards, ReviewWhen returns Review, with Reason first among the
// reasons and the award's results; where it denies or sends to review,
// ReviewWhen returns the same decision.
//
// It marks a band of doubt. "Award from 70, a person decides from 60,
// deny below" is
//
//	AnyOf(
//		MinScore{ResultDescription: exam, Min: "70"},
//		ReviewWhen{Evaluator: MinScore{ResultDescription: exam, Min: "60"}, Reason: "a score from 60 to 70 needs a person"},
//	)
type ReviewWhen struct {
	// Evaluator is the evaluator whose awards are sent to review.
	// Required.
	Evaluator Evaluator
	// Reason tells the reviewer why. If empty, the reasons are the
	// evaluator's alone.
	Reason string
}

// Evaluate implements Evaluator.
func (r ReviewWhen) Evaluate(ctx context.Context, s *Submission, a *credential.Achievement) (Decision, error) {
	const name = "ReviewWhen"
	if err := begin(name, s, a); err != nil {
		return Decision{}, err
	}
	if r.Evaluator == nil {
		return Decision{}, fmt.Errorf("%w: %s: no Evaluator", ErrConfig, name)
	}
	d, err := r.Evaluator.Evaluate(ctx, s, a)
	if err != nil {
		return Decision{}, fmt.Errorf("%s: %w", name, err)
	}
	if d.Verdict != Award {
		return d, nil
	}
	d.Verdict = Review
	if r.Reason != "" {
		d.Reasons = append([]string{r.Reason}, d.Reasons...)
	}
	return d, nil
}
