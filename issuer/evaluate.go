package issuer

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
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

// maxQuoted bounds how much of an untrusted value a reason quotes.
const maxQuoted = 40

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

// quote quotes an untrusted value for a reason, shortened if long.
func quote(s string) string {
	if utf8.RuneCountInString(s) > maxQuoted {
		r := []rune(s)
		return strconv.Quote(string(r[:maxQuoted])) + "…"
	}
	return strconv.Quote(s)
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
