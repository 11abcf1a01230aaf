package issuer

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"github.com/go-openbadges/openbadges/credential"
)

// An Assessor reads a learner's evidence and says which skills or
// competencies it shows, as alignments to the nodes of a framework. A
// program (rules, a model reading a reflection) or a person implements
// it.
//
// Doubt is an answer, not an error: an assessor that cannot tell returns
// an Assessment with Confident false. An error means it could not assess
// at all (the service it calls is down); the submission is then neither
// awarded nor denied.
type Assessor interface {
	Assess(ctx context.Context, evidence []Evidence, a *credential.Achievement) (Assessment, error)
}

// An Assessment is what an Assessor found in the evidence.
type Assessment struct {
	// Alignments are the skills or competencies the evidence shows.
	Alignments []credential.Alignment
	// Confident says the assessor stands by its Alignments. When false,
	// a person should look.
	Confident bool
	// Notes explain, for a person, what was found where, or what is in
	// doubt.
	Notes []string
}

var (
	_ Assessor  = RuleAssessor{}
	_ Evaluator = Assessed{}
)

// A Rule aligns evidence that mentions some keywords to a framework node.
type Rule struct {
	// Keywords must all appear in one piece of evidence's Text, as whole
	// words, without regard to case. A keyword may be a phrase ("active
	// listening"): its words must appear in order, separated by anything
	// that is not a letter or digit, so "problem-solving" matches
	// "problem solving" and "Problem-Solving," alike. A rule without
	// keywords, or with a keyword that has no letter or digit, is a config
	// error.
	Keywords []string
	// Kinds lists the Evidence.Kind values the rule reads, compared
	// without regard to case. If empty, it reads every kind.
	Kinds []string
	// Alignment is what the rule finds when it matches. Its TargetName
	// and TargetURL are required.
	Alignment credential.Alignment
}

// RuleAssessor is a deterministic Assessor: each Rule that matches some
// piece of evidence contributes its Alignment (once, in rule order, an
// alignment two rules give appearing once), and the assessment is
// Confident when at least one rule matched. Its Notes say which rule
// matched which piece of evidence.
//
// It reads Evidence.Text only, the part of the evidence meant for an
// assessor.
type RuleAssessor struct {
	// Rules are tried in order.
	Rules []Rule
}

// Assess implements Assessor. A rule set up wrong is an error wrapping
// ErrConfig.
func (ra RuleAssessor) Assess(ctx context.Context, evidence []Evidence, _ *credential.Achievement) (Assessment, error) {
	if err := ctx.Err(); err != nil {
		return Assessment{}, err
	}
	keywords := make([][][]string, len(ra.Rules)) // rule, keyword, word
	for i, r := range ra.Rules {
		if r.Alignment.TargetName == "" || r.Alignment.TargetURL == "" {
			return Assessment{}, fmt.Errorf("%w: RuleAssessor: rule %d: its Alignment needs a TargetName and a TargetURL", ErrConfig, i+1)
		}
		if len(r.Keywords) == 0 {
			return Assessment{}, fmt.Errorf("%w: RuleAssessor: rule %d (%s) has no keywords", ErrConfig, i+1, r.Alignment.TargetName)
		}
		for _, k := range r.Keywords {
			words := words(k)
			if len(words) == 0 {
				return Assessment{}, fmt.Errorf("%w: RuleAssessor: rule %d (%s): keyword %q has no word", ErrConfig, i+1, r.Alignment.TargetName, k)
			}
			keywords[i] = append(keywords[i], words)
		}
	}
	if len(evidence) == 0 {
		return Assessment{Notes: []string{"no evidence to assess"}}, nil
	}
	texts := make([]map[string][]int, len(evidence)) // per piece: word to positions
	textWords := make([][]string, len(evidence))
	for i, e := range evidence {
		textWords[i] = words(e.Text)
		texts[i] = make(map[string][]int)
		for p, w := range textWords[i] {
			texts[i][w] = append(texts[i][w], p)
		}
	}
	var out Assessment
	for i, r := range ra.Rules {
		for j, e := range evidence {
			if !kindMatches(r.Kinds, e.Kind) || !allAppear(keywords[i], textWords[j], texts[j]) {
				continue
			}
			out.Alignments = appendNew(out.Alignments, r.Alignment)
			out.Notes = append(out.Notes, fmt.Sprintf("%s: rule %d matched evidence %d (%s)", r.Alignment.TargetName, i+1, j+1, evidenceName(e)))
			break
		}
	}
	out.Confident = len(out.Alignments) > 0
	if !out.Confident {
		out.Notes = []string{"no rule matched the evidence"}
	}
	return out, nil
}

// words splits s into lower-case words: runs of letters, digits and
// combining marks.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r)
	})
}

// allAppear reports whether every keyword (a sequence of words) appears
// in text, whose words index gives the positions of.
func allAppear(keywords [][]string, text []string, index map[string][]int) bool {
	for _, k := range keywords {
		found := false
		for _, p := range index[k[0]] {
			if p+len(k) <= len(text) && equalWords(text[p:p+len(k)], k) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func equalWords(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// evidenceName names a piece of evidence in a note.
func evidenceName(e Evidence) string {
	var parts []string
	if e.Kind != "" {
		parts = append(parts, e.Kind)
	}
	if e.Name != "" {
		parts = append(parts, quote(e.Name))
	}
	if len(parts) == 0 {
		return "unnamed"
	}
	return strings.Join(parts, " ")
}

// Assessed is an evaluator that asks an Assessor about the submission's
// evidence. It awards, with the assessor's alignments, when the assessor
// is Confident and found at least MinAlignments; otherwise it sends the
// submission to Review with the alignments found, so that a reviewer who
// approves awards them. It never denies: an assessor's doubt is for a
// person to settle. To deny submissions without enough evidence, combine
// it with RequiredEvidence in AllOf.
//
// An alignment without a TargetName or TargetURL (which no credential can
// carry) is dropped, with a reason, and does not count.
type Assessed struct {
	// Assessor reads the evidence. Required.
	Assessor Assessor
	// MinAlignments is how many alignments an award needs. If zero, one.
	// Negative is a config error.
	MinAlignments int
}

// Evaluate implements Evaluator. An error from the assessor is returned,
// wrapped.
func (e Assessed) Evaluate(ctx context.Context, s *Submission, a *credential.Achievement) (Decision, error) {
	const name = "Assessed"
	if err := begin(name, s, a); err != nil {
		return Decision{}, err
	}
	switch {
	case e.Assessor == nil:
		return Decision{}, fmt.Errorf("%w: %s: no Assessor", ErrConfig, name)
	case e.MinAlignments < 0:
		return Decision{}, fmt.Errorf("%w: %s: negative MinAlignments %d", ErrConfig, name, e.MinAlignments)
	}
	need := max(e.MinAlignments, 1)
	as, err := e.Assessor.Assess(ctx, s.Evidence, a)
	if err != nil {
		return Decision{}, fmt.Errorf("%s: %w", name, err)
	}
	var d Decision
	var names, dropped []string
	for i, al := range as.Alignments {
		if al.TargetName == "" || al.TargetURL == "" {
			dropped = append(dropped, fmt.Sprintf("the assessor's alignment %d has no targetName or targetUrl; dropped", i+1))
			continue
		}
		if !containsEqual(d.Alignments, al) {
			d.Alignments = append(d.Alignments, al)
			names = append(names, al.TargetName)
		}
	}
	found := fmt.Sprintf("the assessor found %d alignment%s", len(names), plural(len(names)))
	if len(names) > 0 {
		found += " (" + strings.Join(names, ", ") + ")"
	}
	switch {
	case !as.Confident:
		d.Verdict = Review
		d.Reasons = []string{found + " but is not confident"}
	case len(names) < need:
		d.Verdict = Review
		d.Reasons = []string{fmt.Sprintf("%s, %d required", found, need)}
	default:
		d.Verdict = Award
		d.Reasons = []string{found}
	}
	d.Reasons = append(d.Reasons, dropped...)
	d.Reasons = append(d.Reasons, as.Notes...)
	return d, nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
