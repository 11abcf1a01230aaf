package issuer

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/credential"
)

var (
	alTeamwork  = credential.Alignment{TargetName: "Teamwork", TargetURL: "https://example.org/skills/teamwork", TargetType: credential.AlignmentTargetCFItem}
	alListening = credential.Alignment{TargetName: "Active listening", TargetURL: "https://example.org/skills/listening"}
	alCafe      = credential.Alignment{TargetName: "Café", TargetURL: "https://example.org/skills/cafe"}
)

func TestRuleAssessor(t *testing.T) {
	teamwork := Rule{Keywords: []string{"TEAMWORK", "feedback"}, Alignment: alTeamwork}
	listening := Rule{Keywords: []string{"active listening"}, Kinds: []string{"Reflection"}, Alignment: alListening}
	reflection := func(text string) Evidence { return Evidence{Kind: "reflection", Name: "Week 3", Text: text} }

	for _, tc := range []struct {
		name     string
		rules    []Rule
		evidence []Evidence
		want     Assessment
		wantErr  error
	}{
		{
			name:     "all keywords, any case",
			rules:    []Rule{teamwork},
			evidence: []Evidence{reflection("Our Teamwork improved after peer Feedback.")},
			want: Assessment{Alignments: []credential.Alignment{alTeamwork}, Confident: true,
				Notes: why(`Teamwork: rule 1 matched evidence 1 (reflection "Week 3")`)},
		},
		{
			name:     "a missing keyword",
			rules:    []Rule{teamwork},
			evidence: []Evidence{reflection("Our teamwork improved.")},
			want:     Assessment{Notes: why("no rule matched the evidence")},
		},
		{
			name:     "whole words only",
			rules:    []Rule{teamwork},
			evidence: []Evidence{reflection("teamworking gave feedbacks")},
			want:     Assessment{Notes: why("no rule matched the evidence")},
		},
		{
			name:     "keywords must be in the same piece",
			rules:    []Rule{teamwork},
			evidence: []Evidence{reflection("teamwork"), reflection("feedback")},
			want:     Assessment{Notes: why("no rule matched the evidence")},
		},
		{
			name:     "a phrase across punctuation and case",
			rules:    []Rule{listening},
			evidence: []Evidence{reflection("I practised Active-Listening, mostly.")},
			want: Assessment{Alignments: []credential.Alignment{alListening}, Confident: true,
				Notes: why(`Active listening: rule 1 matched evidence 1 (reflection "Week 3")`)},
		},
		{
			name:     "a phrase's words in order",
			rules:    []Rule{listening},
			evidence: []Evidence{reflection("listening was active")},
			want:     Assessment{Notes: why("no rule matched the evidence")},
		},
		{
			name:     "a phrase at the end of the text",
			rules:    []Rule{listening},
			evidence: []Evidence{reflection("I am working on active")},
			want:     Assessment{Notes: why("no rule matched the evidence")},
		},
		{
			name:     "kinds, without regard to case",
			rules:    []Rule{listening},
			evidence: []Evidence{{Kind: "photo", Text: "active listening"}, {Kind: "REFLECTION", Text: "active listening"}},
			want: Assessment{Alignments: []credential.Alignment{alListening}, Confident: true,
				Notes: why("Active listening: rule 1 matched evidence 2 (REFLECTION)")},
		},
		{
			name:     "other kinds are not read",
			rules:    []Rule{listening},
			evidence: []Evidence{{Kind: "photo", Text: "active listening"}},
			want:     Assessment{Notes: why("no rule matched the evidence")},
		},
		{
			name:     "empty Kinds read every kind",
			rules:    []Rule{teamwork},
			evidence: []Evidence{{Text: "teamwork and feedback"}},
			want: Assessment{Alignments: []credential.Alignment{alTeamwork}, Confident: true,
				Notes: why("Teamwork: rule 1 matched evidence 1 (unnamed)")},
		},
		{
			name:     "only Text is read",
			rules:    []Rule{teamwork},
			evidence: []Evidence{{Kind: "project", Name: "teamwork", Description: "feedback", Text: "a web server"}},
			want:     Assessment{Notes: why("no rule matched the evidence")},
		},
		{
			name:     "non-ASCII words",
			rules:    []Rule{{Keywords: []string{"café"}, Alignment: alCafe}},
			evidence: []Evidence{reflection("Opening a CAFÉ!")},
			want: Assessment{Alignments: []credential.Alignment{alCafe}, Confident: true,
				Notes: why(`Café: rule 1 matched evidence 1 (reflection "Week 3")`)},
		},
		{
			name: "several rules, an alignment once",
			rules: []Rule{
				listening,
				{Keywords: []string{"collaboration"}, Alignment: alTeamwork},
				teamwork,
			},
			evidence: []Evidence{reflection("collaboration"), reflection("teamwork, feedback, active listening")},
			want: Assessment{Alignments: []credential.Alignment{alListening, alTeamwork}, Confident: true, Notes: why(
				`Active listening: rule 1 matched evidence 2 (reflection "Week 3")`,
				`Teamwork: rule 2 matched evidence 1 (reflection "Week 3")`,
				`Teamwork: rule 3 matched evidence 2 (reflection "Week 3")`,
			)},
		},
		{
			name:  "no evidence",
			rules: []Rule{teamwork},
			want:  Assessment{Notes: why("no evidence to assess")},
		},
		{name: "a rule without keywords", rules: []Rule{{Alignment: alTeamwork}}, wantErr: ErrConfig},
		{name: "a keyword without words", rules: []Rule{{Keywords: []string{"teamwork", "--"}, Alignment: alTeamwork}}, wantErr: ErrConfig},
		{name: "an alignment without URL", rules: []Rule{{Keywords: []string{"x"}, Alignment: credential.Alignment{TargetName: "X"}}}, wantErr: ErrConfig},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := RuleAssessor{Rules: tc.rules}.Assess(context.Background(), tc.evidence, gradedAchievement())
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("error = %v, want one wrapping %v", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("assessment (-want +got):\n%s", diff)
			}
		})
	}
}

// assessorFunc adapts a function to an Assessor.
type assessorFunc func(context.Context, []Evidence, *credential.Achievement) (Assessment, error)

func (f assessorFunc) Assess(ctx context.Context, e []Evidence, a *credential.Achievement) (Assessment, error) {
	return f(ctx, e, a)
}

func answers(as Assessment) Assessor {
	return assessorFunc(func(context.Context, []Evidence, *credential.Achievement) (Assessment, error) { return as, nil })
}

func TestAssessed(t *testing.T) {
	rules := RuleAssessor{Rules: []Rule{
		{Keywords: []string{"teamwork"}, Alignment: alTeamwork},
		{Keywords: []string{"active listening"}, Alignment: alListening},
	}}
	boom := errors.New("model unavailable")
	runEval(t, []evalCase{
		{
			name: "confident, enough alignments",
			e:    Assessed{Assessor: rules},
			s:    learnerSub(withEvidence(Evidence{Kind: "reflection", Text: "teamwork"})),
			want: Decision{Verdict: Award, Alignments: []credential.Alignment{alTeamwork},
				Reasons: why("the assessor found 1 alignment (Teamwork)", "Teamwork: rule 1 matched evidence 1 (reflection)")},
		},
		{
			name: "confident, too few alignments: review",
			e:    Assessed{Assessor: rules, MinAlignments: 2},
			s:    learnerSub(withEvidence(Evidence{Kind: "reflection", Text: "teamwork"})),
			want: Decision{Verdict: Review, Alignments: []credential.Alignment{alTeamwork},
				Reasons: why("the assessor found 1 alignment (Teamwork), 2 required", "Teamwork: rule 1 matched evidence 1 (reflection)")},
		},
		{
			name: "exactly MinAlignments",
			e:    Assessed{Assessor: rules, MinAlignments: 2},
			s:    learnerSub(withEvidence(Evidence{Kind: "reflection", Text: "teamwork and active listening"})),
			want: Decision{Verdict: Award, Alignments: []credential.Alignment{alTeamwork, alListening},
				Reasons: why("the assessor found 2 alignments (Teamwork, Active listening)",
					"Teamwork: rule 1 matched evidence 1 (reflection)", "Active listening: rule 2 matched evidence 1 (reflection)")},
		},
		{
			name: "nothing found: review, not denial",
			e:    Assessed{Assessor: rules},
			s:    learnerSub(withEvidence(Evidence{Kind: "reflection", Text: "I wrote a server"})),
			want: Decision{Verdict: Review, Reasons: why("the assessor found 0 alignments but is not confident", "no rule matched the evidence")},
		},
		{
			name: "no evidence: review",
			e:    Assessed{Assessor: rules},
			want: Decision{Verdict: Review, Reasons: why("the assessor found 0 alignments but is not confident", "no evidence to assess")},
		},
		{
			name: "not confident, with alignments: a reviewer approves them",
			e: Assessed{Assessor: answers(Assessment{Alignments: []credential.Alignment{alTeamwork},
				Notes: why("the reflection is vague")})},
			want: Decision{Verdict: Review, Alignments: []credential.Alignment{alTeamwork},
				Reasons: why("the assessor found 1 alignment (Teamwork) but is not confident", "the reflection is vague")},
		},
		{
			name: "unusable and repeated alignments do not count",
			e: Assessed{Assessor: answers(Assessment{Confident: true, Alignments: []credential.Alignment{
				alTeamwork, {TargetName: "Made up"}, alTeamwork,
			}}), MinAlignments: 2},
			want: Decision{Verdict: Review, Alignments: []credential.Alignment{alTeamwork}, Reasons: why(
				"the assessor found 1 alignment (Teamwork), 2 required",
				"the assessor's alignment 2 has no targetName or targetUrl; dropped",
			)},
		},
		{
			name: "with RequiredEvidence, no evidence is a denial",
			e:    AllOf(RequiredEvidence{Kinds: []string{"reflection"}}, Assessed{Assessor: rules}),
			want: Decision{Verdict: Deny, Reasons: why("evidence of kind reflection: 0 handed in, 1 required")},
		},
		{
			name: "the assessor fails",
			e: Assessed{Assessor: assessorFunc(func(context.Context, []Evidence, *credential.Achievement) (Assessment, error) {
				return Assessment{}, boom
			})},
			wantErr: boom,
		},
		{name: "a rule set up wrong", e: Assessed{Assessor: RuleAssessor{Rules: []Rule{{Alignment: alTeamwork}}}}, wantErr: ErrConfig},
		{name: "no assessor", e: Assessed{}, wantErr: ErrConfig},
		{name: "negative MinAlignments", e: Assessed{Assessor: rules, MinAlignments: -1}, wantErr: ErrConfig},
		{name: "another achievement", e: Assessed{Assessor: rules}, s: learnerSub(func(s *Submission) { s.AchievementID = "x" }), wantErr: ErrWrongAchievement},
	})
}

// The assessor gets the submission's evidence and the achievement.
func TestAssessedPassesEvidence(t *testing.T) {
	ev := []Evidence{{Kind: "reflection", Text: "hello"}}
	var gotEvidence []Evidence
	var gotAchievement *credential.Achievement
	a := gradedAchievement()
	e := Assessed{Assessor: assessorFunc(func(_ context.Context, e []Evidence, a *credential.Achievement) (Assessment, error) {
		gotEvidence, gotAchievement = e, a
		return Assessment{}, nil
	})}
	if _, err := e.Evaluate(context.Background(), learnerSub(withEvidence(ev...)), a); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(ev, gotEvidence); diff != "" || gotAchievement != a {
		t.Errorf("assessor got evidence (-want +got):\n%s\nachievement %p, want %p", diff, gotAchievement, a)
	}
}

// Whatever a learner writes, the rules assess it without an error or a
// panic, and a match is always reported with its alignment.
func FuzzRuleAssessor(f *testing.F) {
	for _, v := range []string{"teamwork and feedback", "Active-Listening", "", "CAFÉ", "\xff\xfe", "listening active"} {
		f.Add(v)
	}
	ra := RuleAssessor{Rules: []Rule{
		{Keywords: []string{"teamwork", "feedback"}, Alignment: alTeamwork},
		{Keywords: []string{"active listening"}, Alignment: alListening},
		{Keywords: []string{"café"}, Alignment: alCafe},
	}}
	f.Fuzz(func(t *testing.T, text string) {
		as, err := ra.Assess(context.Background(), []Evidence{{Kind: "reflection", Text: text}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if as.Confident != (len(as.Alignments) > 0) || len(as.Notes) == 0 {
			t.Fatalf("%q: %+v", text, as)
		}
	})
}
