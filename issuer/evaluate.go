package issuer

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-openbadges/openbadges/credential"
)

// ErrWrongAchievement is wrapped by the error a built-in evaluator returns
// when the submission's AchievementID is not the ID of the achievement it
// is asked to judge it against: the caller picked the wrong achievement,
// which says nothing about the learner.
var ErrWrongAchievement = errors.New("issuer: the submission is for another achievement")

// The built-in evaluators.
var (
	_ Evaluator = Completion{}
	_ Evaluator = MinScore{}
	_ Evaluator = RequiredEvidence{}
	_ Evaluator = RubricLevel{}
	_ Evaluator = Prerequisites{}
	_ Evaluator = TimeWindow{}
	_ Evaluator = ReviewWhen{}
	_ Evaluator = Func(nil)
	_ Evaluator = combination{}
)

// maxNumberLen bounds the length of a number read from a score, so that
// reading one is cheap whatever an LMS sends.
const maxNumberLen = 64

// maxQuoted bounds how much of an untrusted value a reason quotes.
const maxQuoted = 40

// Completion awards a submission whose Completed is true and denies any
// other. Its zero value is ready to use.
type Completion struct {
	// ResultDescription, if set, is the id of one of the achievement's
	// result descriptions (usually of type Status); an award then carries
	// a Result for it with status Completed. If empty, the decision
	// carries no result.
	ResultDescription string
}

// Evaluate implements Evaluator.
func (c Completion) Evaluate(_ context.Context, s *Submission, a *credential.Achievement) (Decision, error) {
	if err := begin("Completion", s, a); err != nil {
		return Decision{}, err
	}
	var rd *credential.ResultDescription
	if c.ResultDescription != "" {
		var err error
		if rd, err = findResultDescription("Completion", a, c.ResultDescription); err != nil {
			return Decision{}, err
		}
	}
	if !s.Completed {
		return Decision{Verdict: Deny, Reasons: []string{"the activity is not completed"}}, nil
	}
	d := Decision{Verdict: Award, Reasons: []string{"the activity is completed"}}
	if rd != nil {
		d.Results = []credential.Result{{
			Type:              credential.Types{"Result"},
			ResultDescription: rd.ID,
			Status:            credential.ResultStatusCompleted,
		}}
	}
	return d, nil
}

// MinScore awards a submission whose score for one of the achievement's
// result descriptions reaches a minimum. Every decision it makes about a
// score it could read carries a Result (type Result, the description's id,
// the learner's value) for the credential; it sets no status, which OB 3.0
// reserves for results of type Status.
//
// How a value is read and compared depends on the description's
// ResultType:
//
//   - Percent: "87%" (a "%" suffix, spaces allowed before it) is always 87
//     percent. A bare number is a fraction of 1 ("0.87" is 87%) when the
//     description's ValueMax is 1 or less, and a percentage ("87" is 87%)
//     otherwise. A bare number above 0 and at most 1 on a percentage scale
//     could be either ("0.87": 0.87% or 87%?); when the two readings
//     disagree on the outcome the submission goes to Review, and a Min
//     written that way is a config error (write "1%" or set ValueMax).
//   - RawScore, ScaledScore, RubricScore, GradePointAverage,
//     PredictedScore: decimal numbers ("87", "3.5", "-2"; no exponents,
//     no thousands separators, no decimal comma), compared exactly.
//   - LetterGrade: one of the description's AllowedValue, which OB 3.0
//     orders from low to high; a grade reaches the minimum when it is
//     listed at or after it. Case is ignored when no value matches
//     exactly; the Result carries the value as listed.
//   - PerformanceLevel, Result and "ext:" types: by AllowedValue like a
//     letter grade when the description lists allowed values, as decimal
//     numbers otherwise.
//   - Status, RubricCriterion, RubricCriterionLevel: not scores; a config
//     error (use Completion or RubricLevel).
//
// A number outside the description's ValueMin to ValueMax (inclusive,
// either may be unset) is a denial. A score equal to the minimum reaches
// it. A submission with no score for the description, with two different
// ones, or with a value that cannot be read is denied with a reason that
// says so. Scores for other result descriptions are ignored.
type MinScore struct {
	// ResultDescription is the id of the achievement's result description
	// the score is for. If empty, the achievement must have exactly one.
	ResultDescription string
	// Min is the lowest passing value, written on the description's scale
	// (see above). If empty, the description's RequiredValue is used; if
	// that is empty too, it is a config error.
	Min string
}

// Evaluate implements Evaluator.
func (m MinScore) Evaluate(_ context.Context, s *Submission, a *credential.Achievement) (Decision, error) {
	const name = "MinScore"
	if err := begin(name, s, a); err != nil {
		return Decision{}, err
	}
	rd, err := findResultDescription(name, a, m.ResultDescription)
	if err != nil {
		return Decision{}, err
	}
	label := describe(rd)
	sc, err := newScale(rd)
	if err != nil {
		return Decision{}, fmt.Errorf("%w: %s: %s: %v", ErrConfig, name, label, err)
	}
	minText := strings.TrimSpace(m.Min)
	if minText == "" {
		minText = strings.TrimSpace(rd.RequiredValue)
	}
	if minText == "" {
		return Decision{}, fmt.Errorf("%w: %s: no Min, and %s has no requiredValue", ErrConfig, name, label)
	}
	mins, problem := sc.read(minText)
	switch {
	case problem != "":
		return Decision{}, fmt.Errorf("%w: %s: %s: minimum %s", ErrConfig, name, label, problem)
	case len(mins) > 1:
		return Decision{}, fmt.Errorf("%w: %s: %s: minimum %s could be %s or %s; write it with %% or set valueMax",
			ErrConfig, name, label, minText, mins[0].text, mins[1].text)
	}
	least := mins[0]

	value, problem := oneScore(s, rd.ID)
	if problem != "" {
		return deny(label + ": " + problem), nil
	}
	readings, problem := sc.read(value)
	if problem != "" {
		return deny(label + ": score " + problem), nil
	}
	result := credential.Result{
		Type:              credential.Types{"Result"},
		ResultDescription: rd.ID,
		Value:             readings[0].value,
	}
	d := Decision{Results: []credential.Result{result}}
	// With two readings, the first is the lower one.
	low, high := readings[0], readings[len(readings)-1]
	switch {
	case sc.cmp(low, least) >= 0:
		d.Verdict = Award
		d.Reasons = []string{fmt.Sprintf("%s: score %s meets the minimum %s", label, low.text, least.text)}
	case sc.cmp(high, least) < 0:
		d.Verdict = Deny
		text := low.text
		if len(readings) > 1 {
			text = fmt.Sprintf("%s (read as %s or %s)", value, low.text, high.text)
		}
		d.Reasons = []string{fmt.Sprintf("%s: score %s is below the minimum %s", label, text, least.text)}
	default:
		d.Verdict = Review
		d.Reasons = []string{fmt.Sprintf("%s: score %s could be %s or %s; the minimum is %s",
			label, value, low.text, high.text, least.text)}
	}
	return d, nil
}

// RequiredEvidence awards a submission with at least Count pieces of
// evidence of the given kinds. A piece counts when it has something to
// look at (a URL or a Text); pieces with the same URL (or, without one,
// the same Text) count once. Its zero value requires one piece of
// evidence of any kind.
//
// To require several kinds each (a project and a reflection), combine
// evaluators with AllOf.
type RequiredEvidence struct {
	// Count is how many pieces are needed. If zero, one. Negative is a
	// config error.
	Count int
	// Kinds lists the Evidence.Kind values that count, compared without
	// regard to case. If empty, every kind counts.
	Kinds []string
}

// Evaluate implements Evaluator.
func (r RequiredEvidence) Evaluate(_ context.Context, s *Submission, a *credential.Achievement) (Decision, error) {
	const name = "RequiredEvidence"
	if err := begin(name, s, a); err != nil {
		return Decision{}, err
	}
	if r.Count < 0 {
		return Decision{}, fmt.Errorf("%w: %s: negative Count %d", ErrConfig, name, r.Count)
	}
	if slices.ContainsFunc(r.Kinds, func(k string) bool { return strings.TrimSpace(k) == "" }) {
		return Decision{}, fmt.Errorf("%w: %s: an empty kind in Kinds", ErrConfig, name)
	}
	need := max(r.Count, 1)
	seen := make(map[string]bool)
	for _, e := range s.Evidence {
		if !kindMatches(r.Kinds, e.Kind) {
			continue
		}
		key := "url " + strings.TrimSpace(e.URL)
		if strings.TrimSpace(e.URL) == "" {
			key = "text " + strings.TrimSpace(e.Text)
			if strings.TrimSpace(e.Text) == "" {
				continue
			}
		}
		seen[key] = true
	}
	what := "evidence"
	if len(r.Kinds) > 0 {
		what = "evidence of kind " + strings.Join(r.Kinds, " or ")
	}
	reason := fmt.Sprintf("%s: %d handed in, %d required", what, len(seen), need)
	if len(seen) >= need {
		return award(reason), nil
	}
	return deny(reason), nil
}

// RubricLevel awards a submission whose rubric level for one of the
// achievement's result descriptions (Submission.Levels) reaches a
// required level. Levels are ordered as the description's
// RubricCriterionLevel list gives them, which OB 3.0 orders from low to
// high. When every level has numeric Points and they decrease somewhere
// along the list, the description contradicts itself: a config error. Every
// decision about a level it could read carries a Result with the
// description's id and the AchievedLevel.
//
// A submission with no level for the description, or a level that is not
// one of the description's, is denied with a reason.
type RubricLevel struct {
	// ResultDescription is the id of the achievement's result description
	// whose rubric is used. If empty, the achievement must have exactly
	// one.
	ResultDescription string
	// Min is the id of the lowest passing RubricCriterionLevel. If empty,
	// the description's RequiredLevel is used; if that is empty too, it
	// is a config error.
	Min string
}

// Evaluate implements Evaluator.
func (r RubricLevel) Evaluate(_ context.Context, s *Submission, a *credential.Achievement) (Decision, error) {
	const name = "RubricLevel"
	if err := begin(name, s, a); err != nil {
		return Decision{}, err
	}
	rd, err := findResultDescription(name, a, r.ResultDescription)
	if err != nil {
		return Decision{}, err
	}
	label := describe(rd)
	levels := rd.RubricCriterionLevel
	if len(levels) == 0 {
		return Decision{}, fmt.Errorf("%w: %s: %s has no rubricCriterionLevel", ErrConfig, name, label)
	}
	if err := pointsAscend(levels); err != nil {
		return Decision{}, fmt.Errorf("%w: %s: %s: %v", ErrConfig, name, label, err)
	}
	minID := r.Min
	if minID == "" {
		minID = rd.RequiredLevel
	}
	if minID == "" {
		return Decision{}, fmt.Errorf("%w: %s: no Min, and %s has no requiredLevel", ErrConfig, name, label)
	}
	least := levelIndex(levels, minID)
	if least < 0 {
		return Decision{}, fmt.Errorf("%w: %s: level %q is not one of the levels of %s", ErrConfig, name, minID, label)
	}
	got := strings.TrimSpace(s.Levels[rd.ID])
	if got == "" {
		return deny(label + ": no rubric level"), nil
	}
	reached := levelIndex(levels, got)
	if reached < 0 {
		return deny(fmt.Sprintf("%s: level %s is not one of the rubric's levels", label, quote(got))), nil
	}
	d := Decision{Results: []credential.Result{{
		Type:              credential.Types{"Result"},
		ResultDescription: rd.ID,
		AchievedLevel:     levels[reached].ID,
	}}}
	if reached >= least {
		d.Verdict = Award
		d.Reasons = []string{fmt.Sprintf("%s: level %s meets the required level %s",
			label, levelName(levels[reached]), levelName(levels[least]))}
	} else {
		d.Verdict = Deny
		d.Reasons = []string{fmt.Sprintf("%s: level %s is below the required level %s",
			label, levelName(levels[reached]), levelName(levels[least]))}
	}
	return d, nil
}

// Prerequisites awards a submission whose learner already holds every one
// of a list of achievements (Submission.Earned, compared exactly). A
// denial names each missing one.
type Prerequisites struct {
	// Achievements lists the ids of the achievements required. If empty,
	// it is a config error: an evaluator that awards everything is a
	// mistake, not a default.
	Achievements []string
}

// Evaluate implements Evaluator.
func (p Prerequisites) Evaluate(_ context.Context, s *Submission, a *credential.Achievement) (Decision, error) {
	const name = "Prerequisites"
	if err := begin(name, s, a); err != nil {
		return Decision{}, err
	}
	if len(p.Achievements) == 0 {
		return Decision{}, fmt.Errorf("%w: %s: no achievements listed", ErrConfig, name)
	}
	var held, missing []string
	for _, id := range p.Achievements {
		if slices.Contains(s.Earned, id) {
			held = append(held, "holds prerequisite "+id)
		} else {
			missing = append(missing, "missing prerequisite "+id)
		}
	}
	if len(missing) > 0 {
		return deny(missing...), nil
	}
	return award(held...), nil
}

// TimeWindow awards a submission made within a window of time. The time
// judged is the submission's CompletedAt; if that is zero, its
// SubmittedAt; if that is zero too, the time of evaluation. Both bounds
// are inclusive, as their names say: a submission at NotBefore or at
// NotAfter is within the window.
type TimeWindow struct {
	// NotBefore is when the window opens. If zero, it has no start.
	NotBefore time.Time
	// NotAfter is when it closes. If zero, it has no end. Both zero, or
	// NotAfter before NotBefore, is a config error.
	NotAfter time.Time
	// Now returns the time of evaluation. If nil, time.Now.
	Now func() time.Time
}

// Evaluate implements Evaluator.
func (w TimeWindow) Evaluate(_ context.Context, s *Submission, a *credential.Achievement) (Decision, error) {
	const name = "TimeWindow"
	if err := begin(name, s, a); err != nil {
		return Decision{}, err
	}
	switch {
	case w.NotBefore.IsZero() && w.NotAfter.IsZero():
		return Decision{}, fmt.Errorf("%w: %s: neither NotBefore nor NotAfter is set", ErrConfig, name)
	case !w.NotBefore.IsZero() && !w.NotAfter.IsZero() && w.NotAfter.Before(w.NotBefore):
		return Decision{}, fmt.Errorf("%w: %s: NotAfter is before NotBefore", ErrConfig, name)
	}
	t, what := s.CompletedAt, "completed"
	if t.IsZero() {
		t, what = s.SubmittedAt, "submitted"
	}
	if t.IsZero() {
		now := time.Now
		if w.Now != nil {
			now = w.Now
		}
		t, what = now(), "evaluated"
	}
	when := fmt.Sprintf("%s at %s", what, formatTime(t))
	switch {
	case !w.NotBefore.IsZero() && t.Before(w.NotBefore):
		return deny(fmt.Sprintf("%s, before the window opens at %s", when, formatTime(w.NotBefore))), nil
	case !w.NotAfter.IsZero() && t.After(w.NotAfter):
		return deny(fmt.Sprintf("%s, after the window closed at %s", when, formatTime(w.NotAfter))), nil
	}
	return award(when + ", within the window"), nil
}

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

// Func adapts a function to an Evaluator, as http.HandlerFunc does a
// handler. It calls the function as it is: unlike the built-in
// evaluators, it does not check that the submission is for the
// achievement. A nil Func is a config error.
type Func func(ctx context.Context, s *Submission, a *credential.Achievement) (Decision, error)

// Evaluate implements Evaluator by calling f.
func (f Func) Evaluate(ctx context.Context, s *Submission, a *credential.Achievement) (Decision, error) {
	if f == nil {
		return Decision{}, fmt.Errorf("%w: nil Func", ErrConfig)
	}
	return f(ctx, s, a)
}

// begin checks what every built-in evaluator needs before it looks at a
// submission.
func begin(name string, s *Submission, a *credential.Achievement) error {
	switch {
	case a == nil:
		return fmt.Errorf("%w: %s: no achievement", ErrConfig, name)
	case s == nil:
		return fmt.Errorf("issuer: %s: no submission", name)
	case s.AchievementID != a.ID:
		return fmt.Errorf("%w: %s: submission for %q, achievement %q", ErrWrongAchievement, name, s.AchievementID, a.ID)
	}
	return nil
}

func award(reasons ...string) Decision { return Decision{Verdict: Award, Reasons: reasons} }
func deny(reasons ...string) Decision  { return Decision{Verdict: Deny, Reasons: reasons} }

// appendNew appends to list each of items not already in it.
func appendNew[T any](list []T, items ...T) []T {
	for _, it := range items {
		if !containsEqual(list, it) {
			list = append(list, it)
		}
	}
	return list
}

// containsEqual reports whether list holds a value deeply equal to v.
func containsEqual[T any](list []T, v T) bool {
	return slices.ContainsFunc(list, func(x T) bool { return reflect.DeepEqual(x, v) })
}

// findResultDescription returns the achievement's result description
// with the given id, or its only one when id is empty.
func findResultDescription(name string, a *credential.Achievement, id string) (*credential.ResultDescription, error) {
	if id == "" {
		if len(a.ResultDescription) != 1 {
			return nil, fmt.Errorf("%w: %s: no ResultDescription given, and achievement %q has %d",
				ErrConfig, name, a.ID, len(a.ResultDescription))
		}
		return &a.ResultDescription[0], nil
	}
	for i := range a.ResultDescription {
		if a.ResultDescription[i].ID == id {
			return &a.ResultDescription[i], nil
		}
	}
	return nil, fmt.Errorf("%w: %s: achievement %q has no result description %q", ErrConfig, name, a.ID, id)
}

// describe names a result description for a person.
func describe(rd *credential.ResultDescription) string {
	if rd.Name != "" {
		return rd.Name
	}
	return rd.ID
}

// oneScore returns the submission's one value for a result description,
// or a problem for a reason: none, or two that differ.
func oneScore(s *Submission, id string) (value, problem string) {
	var values []string
	for _, sc := range s.Scores {
		if sc.ResultDescription != id {
			continue
		}
		v := strings.TrimSpace(sc.Value)
		if v != "" && !slices.Contains(values, v) {
			values = append(values, v)
		}
	}
	switch {
	case len(values) == 0:
		return "", "no score"
	case len(values) > 1:
		quoted := make([]string, len(values))
		for i, v := range values {
			quoted[i] = quote(v)
		}
		return "", fmt.Sprintf("%d different scores (%s), one expected", len(values), strings.Join(quoted, ", "))
	}
	return values[0], ""
}

// scaleKind is how the values of a result description compare.
type scaleKind int

const (
	numeric scaleKind = iota
	percent
	ordinal
)

// A scale reads and compares the values of one result description.
type scale struct {
	kind     scaleKind
	fraction bool     // percent: bare numbers are fractions of 1
	lo, hi   *big.Rat // numeric and percent (in percent): bounds, nil if none
	allowed  []string // ordinal: values from low to high
}

// A reading is one way to understand a value on a scale.
type reading struct {
	num   *big.Rat // numeric and percent (in percent)
	index int      // ordinal: position in allowed
	value string   // for the Result: the value as given, or as allowed lists it
	text  string   // for a reason
}

// hundred returns 100, to turn fractions into percentages.
func hundred() *big.Rat { return big.NewRat(100, 1) }

// newScale returns the scale of rd, or why it has none.
func newScale(rd *credential.ResultDescription) (scale, error) {
	var sc scale
	switch t := rd.ResultType; t {
	case credential.ResultTypePercent:
		sc.kind = percent
	case credential.ResultTypeRawScore, credential.ResultTypeScaledScore, credential.ResultTypeRubricScore,
		credential.ResultTypeGradePointAverage, credential.ResultTypePredictedScore:
		sc.kind = numeric
	case credential.ResultTypeLetterGrade:
		if len(rd.AllowedValue) == 0 {
			return sc, errors.New("a LetterGrade result description needs allowedValue to order its grades")
		}
		sc.kind = ordinal
	case credential.ResultTypePerformanceLevel, credential.ResultTypeResult:
		sc.kind = numeric
		if len(rd.AllowedValue) > 0 {
			sc.kind = ordinal
		}
	default:
		if !credential.IsExtension(string(t)) {
			return sc, fmt.Errorf("resultType %q is not a score", t)
		}
		sc.kind = numeric
		if len(rd.AllowedValue) > 0 {
			sc.kind = ordinal
		}
	}
	if sc.kind == ordinal {
		sc.allowed = rd.AllowedValue
		return sc, nil
	}
	var err error
	if sc.lo, err = bound("valueMin", rd.ValueMin); err != nil {
		return sc, err
	}
	if sc.hi, err = bound("valueMax", rd.ValueMax); err != nil {
		return sc, err
	}
	if sc.lo != nil && sc.hi != nil && sc.lo.Cmp(sc.hi) > 0 {
		return sc, errors.New("valueMin is above valueMax")
	}
	if sc.kind == percent && sc.hi != nil && sc.hi.Cmp(big.NewRat(1, 1)) <= 0 && !strings.HasSuffix(strings.TrimSpace(rd.ValueMax), "%") {
		sc.fraction = true
		sc.hi.Mul(sc.hi, hundred())
		if sc.lo != nil {
			sc.lo.Mul(sc.lo, hundred())
		}
	}
	return sc, nil
}

// bound reads valueMin or valueMax; a "%" suffix is allowed.
func bound(name, s string) (*big.Rat, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	if s == "" {
		return nil, nil
	}
	r, ok := parseDecimal(s)
	if !ok {
		return nil, fmt.Errorf("%s %s is not a number", name, quote(s))
	}
	return r, nil
}

// read reads v on the scale: one reading, or two (the lower first) for a
// percent that could be a fraction; or a problem, for a reason, starting
// with the value.
func (sc scale) read(v string) ([]reading, string) {
	v = strings.TrimSpace(v)
	if sc.kind == ordinal {
		i := slices.Index(sc.allowed, v)
		if i < 0 {
			i = slices.IndexFunc(sc.allowed, func(a string) bool { return strings.EqualFold(a, v) })
		}
		if i < 0 {
			return nil, fmt.Sprintf("%s is not one of the allowed values %s", quote(v), strings.Join(sc.allowed, ", "))
		}
		return []reading{{index: i, value: sc.allowed[i], text: sc.allowed[i]}}, ""
	}
	num, hasPercent := v, false
	if sc.kind == percent && strings.HasSuffix(v, "%") {
		num, hasPercent = strings.TrimSpace(strings.TrimSuffix(v, "%")), true
	}
	n, ok := parseDecimal(num)
	if !ok {
		return nil, quote(v) + " is not a number"
	}
	var rs []reading
	switch {
	case sc.kind == numeric:
		rs = []reading{{num: n, value: v, text: v}}
	case hasPercent:
		rs = []reading{{num: n, value: v, text: formatRat(n) + "%"}}
	case sc.fraction:
		p := new(big.Rat).Mul(n, hundred())
		rs = []reading{{num: p, value: v, text: fmt.Sprintf("%s (%s%%)", v, formatRat(p))}}
	default:
		rs = []reading{{num: n, value: v, text: formatRat(n) + "%"}}
		if n.Sign() > 0 && n.Cmp(big.NewRat(1, 1)) <= 0 {
			p := new(big.Rat).Mul(n, hundred())
			rs = append(rs, reading{num: p, value: v, text: formatRat(p) + "%"})
		}
	}
	// Keep the readings within the bounds.
	var in []reading
	for _, r := range rs {
		if (sc.lo == nil || r.num.Cmp(sc.lo) >= 0) && (sc.hi == nil || r.num.Cmp(sc.hi) <= 0) {
			in = append(in, r)
		}
	}
	if len(in) > 0 {
		return in, ""
	}
	if sc.lo != nil && rs[0].num.Cmp(sc.lo) < 0 {
		return nil, fmt.Sprintf("%s is below the lowest possible value %s", rs[0].text, sc.boundText(sc.lo))
	}
	return nil, fmt.Sprintf("%s is above the highest possible value %s", rs[len(rs)-1].text, sc.boundText(sc.hi))
}

func (sc scale) boundText(r *big.Rat) string {
	if sc.kind == percent {
		return formatRat(r) + "%"
	}
	return formatRat(r)
}

// cmp compares two readings of the scale.
func (sc scale) cmp(a, b reading) int {
	if sc.kind == ordinal {
		return a.index - b.index
	}
	return a.num.Cmp(b.num)
}

// parseDecimal reads a plain decimal number: an optional sign, digits,
// an optional point and more digits. Exponents, which would let a short
// string demand a huge computation, are refused, as are hexadecimal and
// fractions that big.Rat would accept.
func parseDecimal(s string) (*big.Rat, bool) {
	if s == "" || len(s) > maxNumberLen {
		return nil, false
	}
	body := s
	if body[0] == '+' || body[0] == '-' {
		body = body[1:]
	}
	digits, point := 0, false
	for i := 0; i < len(body); i++ {
		switch c := body[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !point:
			point = true
		default:
			return nil, false
		}
	}
	if digits == 0 {
		return nil, false
	}
	return new(big.Rat).SetString(s)
}

// formatRat writes r as a decimal without trailing zeros.
func formatRat(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	s := strings.TrimRight(r.FloatString(maxNumberLen), "0")
	return strings.TrimSuffix(s, ".")
}

// pointsAscend checks that rubric levels with numeric points are listed
// from low to high, as OB 3.0 orders them.
func pointsAscend(levels []credential.RubricCriterionLevel) error {
	var prev *big.Rat
	for i, l := range levels {
		p, ok := parseDecimal(strings.TrimSpace(l.Points))
		if !ok {
			return nil // not every level has numeric points: the list order stands
		}
		if prev != nil && p.Cmp(prev) < 0 {
			return fmt.Errorf("levels are listed from low to high, but level %d (%s, %s points) has fewer points than level %d",
				i+1, levelName(l), l.Points, i)
		}
		prev = p
	}
	return nil
}

func levelIndex(levels []credential.RubricCriterionLevel, id string) int {
	return slices.IndexFunc(levels, func(l credential.RubricCriterionLevel) bool { return l.ID == id })
}

func levelName(l credential.RubricCriterionLevel) string {
	switch {
	case l.Name != "":
		return l.Name
	case l.Level != "":
		return l.Level
	}
	return l.ID
}

// kindMatches reports whether an evidence kind is one of kinds (all, if
// kinds is empty), without regard to case.
func kindMatches(kinds []string, kind string) bool {
	if len(kinds) == 0 {
		return true
	}
	kind = strings.TrimSpace(kind)
	return slices.ContainsFunc(kinds, func(k string) bool { return strings.EqualFold(strings.TrimSpace(k), kind) })
}

// quote quotes an untrusted value for a reason, shortened if long.
func quote(s string) string {
	if utf8.RuneCountInString(s) > maxQuoted {
		r := []rune(s)
		return strconv.Quote(string(r[:maxQuoted])) + "…"
	}
	return strconv.Quote(s)
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
