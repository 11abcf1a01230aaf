package issuer

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/go-openbadges/openbadges/credential"
)

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

// kindMatches reports whether an evidence kind is one of kinds (all, if
// kinds is empty), without regard to case.
func kindMatches(kinds []string, kind string) bool {
	if len(kinds) == 0 {
		return true
	}
	kind = strings.TrimSpace(kind)
	return slices.ContainsFunc(kinds, func(k string) bool { return strings.EqualFold(strings.TrimSpace(k), kind) })
}
