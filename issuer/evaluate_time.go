package issuer

import (
	"context"
	"fmt"
	"time"

	"github.com/go-openbadges/openbadges/credential"
)

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
