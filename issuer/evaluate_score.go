package issuer

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/go-openbadges/openbadges/credential"
)

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
