package issuer

import (
	"context"

	"github.com/go-openbadges/openbadges/credential"
)

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
