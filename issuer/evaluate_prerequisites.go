package issuer

import (
	"context"
	"fmt"
	"slices"

	"github.com/go-openbadges/openbadges/credential"
)

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
