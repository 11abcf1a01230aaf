package issuer

import (
	"context"
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/go-openbadges/openbadges/credential"
)

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
