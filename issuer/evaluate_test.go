package issuer

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/credential"
)

const (
	gradedID    = "https://example.edu/achievements/go"
	rdExam      = "https://example.edu/rd/exam"      // Percent, 0 to 100
	rdQuiz      = "https://example.edu/rd/quiz"      // Percent, as a fraction of 1
	rdProject   = "https://example.edu/rd/project"   // RawScore, 0 to 50
	rdGPA       = "https://example.edu/rd/gpa"       // GradePointAverage, no required value
	rdGrade     = "https://example.edu/rd/grade"     // LetterGrade D, C, B, A
	rdStars     = "https://example.edu/rd/stars"     // ext:Stars, allowed values
	rdExtNum    = "https://example.edu/rd/extnum"    // ext:Points, numbers
	rdTalk      = "https://example.edu/rd/talk"      // rubric, points ascending
	rdPlain     = "https://example.edu/rd/plain"     // rubric, no points, no required level
	rdBackwards = "https://example.edu/rd/backwards" // rubric listed high to low by points
	rdStatus    = "https://example.edu/rd/status"    // Status
	lvlNovice   = "https://example.edu/levels/novice"
	lvlProf     = "https://example.edu/levels/proficient"
	lvlExpert   = "https://example.edu/levels/expert"
	lvlHigh     = "https://example.edu/levels/high"
	lvlLow      = "https://example.edu/levels/low"
)

// gradedAchievement returns an achievement with a result description of
// each kind the evaluators read.
func gradedAchievement() *credential.Achievement {
	return &credential.Achievement{
		ID:          gradedID,
		Name:        "Go",
		Description: "Go programming.",
		Criteria:    &credential.Criteria{Narrative: "Pass the exam."},
		ResultDescription: []credential.ResultDescription{
			{ID: rdExam, Name: "Final exam", ResultType: credential.ResultTypePercent, RequiredValue: "60"},
			{ID: rdQuiz, Name: "Quiz", ResultType: credential.ResultTypePercent, ValueMin: "0", ValueMax: "1", RequiredValue: "0.7"},
			{ID: rdProject, Name: "Project", ResultType: credential.ResultTypeRawScore, ValueMin: "0", ValueMax: "50", RequiredValue: "30"},
			{ID: rdGPA, Name: "GPA", ResultType: credential.ResultTypeGradePointAverage, ValueMax: "4.0"},
			{ID: rdGrade, Name: "Project grade", ResultType: credential.ResultTypeLetterGrade, AllowedValue: []string{"D", "C", "B", "A"}, RequiredValue: "C"},
			{ID: rdStars, Name: "Stars", ResultType: "ext:Stars", AllowedValue: []string{"one", "two", "three"}, RequiredValue: "two"},
			{ID: rdExtNum, Name: "Points", ResultType: "ext:Points", RequiredValue: "10"},
			{ID: rdTalk, Name: "Talk", ResultType: credential.ResultTypeRubricCriterionLevel, RequiredLevel: lvlProf,
				RubricCriterionLevel: []credential.RubricCriterionLevel{
					{ID: lvlNovice, Name: "Novice", Points: "1"},
					{ID: lvlProf, Name: "Proficient", Points: "2"},
					{ID: lvlExpert, Name: "Expert", Points: "3"},
				}},
			// Listed from low to high, whatever the names suggest.
			{ID: rdPlain, Name: "Plain", ResultType: credential.ResultTypeRubricCriterionLevel,
				RubricCriterionLevel: []credential.RubricCriterionLevel{
					{ID: lvlHigh, Level: "High"},
					{ID: lvlLow, Level: "Low"},
				}},
			{ID: rdBackwards, Name: "Backwards", ResultType: credential.ResultTypeRubricCriterionLevel, RequiredLevel: lvlNovice,
				RubricCriterionLevel: []credential.RubricCriterionLevel{
					{ID: lvlExpert, Name: "Expert", Points: "3"},
					{ID: lvlNovice, Name: "Novice", Points: "1"},
				}},
			{ID: rdStatus, Name: "Status", ResultType: credential.ResultTypeStatus},
		},
	}
}

// learnerSub returns a completed submission for the test achievement, changed by
// each of mods.
func learnerSub(mods ...func(*Submission)) *Submission {
	s := &Submission{
		Learner:       Learner{ID: "did:example:ada"},
		AchievementID: gradedID,
		Completed:     true,
	}
	for _, m := range mods {
		m(s)
	}
	return s
}

func withScores(kv ...string) func(*Submission) {
	return func(s *Submission) {
		for i := 0; i+1 < len(kv); i += 2 {
			s.Scores = append(s.Scores, Score{ResultDescription: kv[i], Value: kv[i+1]})
		}
	}
}

func withLevel(rd, lvl string) func(*Submission) {
	return func(s *Submission) { s.Levels = map[string]string{rd: lvl} }
}

func withEvidence(e ...Evidence) func(*Submission) {
	return func(s *Submission) { s.Evidence = e }
}

func scoreResult(rd, value string) credential.Result {
	return credential.Result{Type: credential.Types{"Result"}, ResultDescription: rd, Value: value}
}

func rubricResult(rd, lvl string) credential.Result {
	return credential.Result{Type: credential.Types{"Result"}, ResultDescription: rd, AchievedLevel: lvl}
}

func resultList(r ...credential.Result) []credential.Result { return r }

func why(r ...string) []string { return r }

type evalCase struct {
	name    string
	e       Evaluator
	a       *credential.Achievement // if nil, gradedAchievement()
	s       *Submission             // if nil, learnerSub()
	want    Decision
	wantErr error // checked with errors.Is; want is then ignored
}

func runEval(t *testing.T, cases []evalCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, s := tc.a, tc.s
			if a == nil {
				a = gradedAchievement()
			}
			if s == nil {
				s = learnerSub()
			}
			got, err := tc.e.Evaluate(context.Background(), s, a)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("error = %v, want one wrapping %v", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Evaluate: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("decision (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCompletion(t *testing.T) {
	runEval(t, []evalCase{
		{
			name: "completed",
			e:    Completion{},
			want: Decision{Verdict: Award, Reasons: why("the activity is completed")},
		},
		{
			name: "not completed",
			e:    Completion{},
			s:    learnerSub(func(s *Submission) { s.Completed = false }),
			want: Decision{Verdict: Deny, Reasons: why("the activity is not completed")},
		},
		{
			name: "status result",
			e:    Completion{ResultDescription: rdStatus},
			want: Decision{Verdict: Award, Reasons: why("the activity is completed"), Results: resultList(credential.Result{
				Type: credential.Types{"Result"}, ResultDescription: rdStatus, Status: credential.ResultStatusCompleted,
			})},
		},
		{
			name: "status result, not completed",
			e:    Completion{ResultDescription: rdStatus},
			s:    learnerSub(func(s *Submission) { s.Completed = false }),
			want: Decision{Verdict: Deny, Reasons: why("the activity is not completed")},
		},
		{name: "unknown result description", e: Completion{ResultDescription: "https://example.edu/rd/none"}, wantErr: ErrConfig},
		{name: "another achievement", e: Completion{}, s: learnerSub(func(s *Submission) { s.AchievementID = "https://example.edu/achievements/other" }), wantErr: ErrWrongAchievement},
		{name: "no achievement id", e: Completion{}, s: learnerSub(func(s *Submission) { s.AchievementID = "" }), wantErr: ErrWrongAchievement},
	})
}

func TestMinScore(t *testing.T) {
	exam := MinScore{ResultDescription: rdExam}
	quiz := MinScore{ResultDescription: rdQuiz}
	project := MinScore{ResultDescription: rdProject}
	grade := MinScore{ResultDescription: rdGrade}
	runEval(t, []evalCase{
		// Percent, 0 to 100.
		{
			name: "percent above the required value",
			e:    exam,
			s:    learnerSub(withScores(rdExam, "87")),
			want: Decision{Verdict: Award, Reasons: why("Final exam: score 87% meets the minimum 60%"), Results: resultList(scoreResult(rdExam, "87"))},
		},
		{
			name: "percent equal to the minimum",
			e:    exam,
			s:    learnerSub(withScores(rdExam, "60")),
			want: Decision{Verdict: Award, Reasons: why("Final exam: score 60% meets the minimum 60%"), Results: resultList(scoreResult(rdExam, "60"))},
		},
		{
			name: "percent just below",
			e:    exam,
			s:    learnerSub(withScores(rdExam, "59.99")),
			want: Decision{Verdict: Deny, Reasons: why("Final exam: score 59.99% is below the minimum 60%"), Results: resultList(scoreResult(rdExam, "59.99"))},
		},
		{
			name: "percent sign, spaces trimmed",
			e:    exam,
			s:    learnerSub(withScores(rdExam, " 87 % ")),
			want: Decision{Verdict: Award, Reasons: why("Final exam: score 87% meets the minimum 60%"), Results: resultList(scoreResult(rdExam, "87 %"))},
		},
		{
			name: "Min overrides the required value",
			e:    MinScore{ResultDescription: rdExam, Min: "90%"},
			s:    learnerSub(withScores(rdExam, "87")),
			want: Decision{Verdict: Deny, Reasons: why("Final exam: score 87% is below the minimum 90%"), Results: resultList(scoreResult(rdExam, "87"))},
		},
		{
			name: "fraction on a 0 to 100 scale: a person decides",
			e:    exam,
			s:    learnerSub(withScores(rdExam, "0.87")),
			want: Decision{Verdict: Review, Reasons: why("Final exam: score 0.87 could be 0.87% or 87%; the minimum is 60%"), Results: resultList(scoreResult(rdExam, "0.87"))},
		},
		{
			name: "1 on a 0 to 100 scale could be 100%",
			e:    exam,
			s:    learnerSub(withScores(rdExam, "1")),
			want: Decision{Verdict: Review, Reasons: why("Final exam: score 1 could be 1% or 100%; the minimum is 60%"), Results: resultList(scoreResult(rdExam, "1"))},
		},
		{
			name: "fraction too low either way",
			e:    exam,
			s:    learnerSub(withScores(rdExam, "0.3")),
			want: Decision{Verdict: Deny, Reasons: why("Final exam: score 0.3 (read as 0.3% or 30%) is below the minimum 60%"), Results: resultList(scoreResult(rdExam, "0.3"))},
		},
		{
			name: "fraction high enough either way",
			e:    MinScore{ResultDescription: rdExam, Min: "0.5%"},
			s:    learnerSub(withScores(rdExam, "0.87")),
			want: Decision{Verdict: Award, Reasons: why("Final exam: score 0.87% meets the minimum 0.5%"), Results: resultList(scoreResult(rdExam, "0.87"))},
		},
		{
			name: "zero is not ambiguous",
			e:    exam,
			s:    learnerSub(withScores(rdExam, "0")),
			want: Decision{Verdict: Deny, Reasons: why("Final exam: score 0% is below the minimum 60%"), Results: resultList(scoreResult(rdExam, "0"))},
		},
		// Percent, as a fraction of 1 (valueMax 1).
		{
			name: "fraction equal to the minimum",
			e:    quiz,
			s:    learnerSub(withScores(rdQuiz, "0.7")),
			want: Decision{Verdict: Award, Reasons: why("Quiz: score 0.7 (70%) meets the minimum 0.7 (70%)"), Results: resultList(scoreResult(rdQuiz, "0.7"))},
		},
		{
			name: "fraction compared exactly",
			e:    MinScore{ResultDescription: rdQuiz, Min: "57%"},
			s:    learnerSub(withScores(rdQuiz, "0.57")),
			want: Decision{Verdict: Award, Reasons: why("Quiz: score 0.57 (57%) meets the minimum 57%"), Results: resultList(scoreResult(rdQuiz, "0.57"))},
		},
		{
			name: "percent sign on a fraction scale",
			e:    quiz,
			s:    learnerSub(withScores(rdQuiz, "69.5%")),
			want: Decision{Verdict: Deny, Reasons: why("Quiz: score 69.5% is below the minimum 0.7 (70%)"), Results: resultList(scoreResult(rdQuiz, "69.5%"))},
		},
		{
			name: "percentage on a fraction scale",
			e:    quiz,
			s:    learnerSub(withScores(rdQuiz, "87")),
			want: Decision{Verdict: Deny, Reasons: why("Quiz: score 87 (8700%) is above the highest possible value 100%")},
		},
		// Malformed and missing scores.
		{
			name: "missing score",
			e:    exam,
			s:    learnerSub(withScores(rdQuiz, "0.9")),
			want: Decision{Verdict: Deny, Reasons: why("Final exam: no score")},
		},
		{
			name: "empty score",
			e:    exam,
			s:    learnerSub(withScores(rdExam, " ")),
			want: Decision{Verdict: Deny, Reasons: why("Final exam: no score")},
		},
		{
			name: "score for an unknown result description is ignored",
			e:    exam,
			s:    learnerSub(withScores("https://example.edu/rd/none", "99", rdExam, "70")),
			want: Decision{Verdict: Award, Reasons: why("Final exam: score 70% meets the minimum 60%"), Results: resultList(scoreResult(rdExam, "70"))},
		},
		{
			name: "two different scores",
			e:    exam,
			s:    learnerSub(withScores(rdExam, "87", rdExam, "55")),
			want: Decision{Verdict: Deny, Reasons: why(`Final exam: 2 different scores ("87", "55"), one expected`)},
		},
		{
			name: "the same score twice",
			e:    exam,
			s:    learnerSub(withScores(rdExam, "87", rdExam, "87")),
			want: Decision{Verdict: Award, Reasons: why("Final exam: score 87% meets the minimum 60%"), Results: resultList(scoreResult(rdExam, "87"))},
		},
		{
			name: "not a number",
			e:    exam,
			s:    learnerSub(withScores(rdExam, "eighty")),
			want: Decision{Verdict: Deny, Reasons: why(`Final exam: score "eighty" is not a number`)},
		},
		{
			name: "exponent refused",
			e:    exam,
			s:    learnerSub(withScores(rdExam, "1e9999999")),
			want: Decision{Verdict: Deny, Reasons: why(`Final exam: score "1e9999999" is not a number`)},
		},
		{
			name: "decimal comma refused",
			e:    exam,
			s:    learnerSub(withScores(rdExam, "87,5")),
			want: Decision{Verdict: Deny, Reasons: why(`Final exam: score "87,5" is not a number`)},
		},
		{
			name: "long value shortened in the reason",
			e:    exam,
			s:    learnerSub(withScores(rdExam, "0123456789012345678901234567890123456789xyz")),
			want: Decision{Verdict: Deny, Reasons: why(`Final exam: score "0123456789012345678901234567890123456789"… is not a number`)},
		},
		// Raw scores.
		{
			name: "raw score equal to the minimum",
			e:    project,
			s:    learnerSub(withScores(rdProject, "30")),
			want: Decision{Verdict: Award, Reasons: why("Project: score 30 meets the minimum 30"), Results: resultList(scoreResult(rdProject, "30"))},
		},
		{
			name: "raw score below",
			e:    project,
			s:    learnerSub(withScores(rdProject, "29.5")),
			want: Decision{Verdict: Deny, Reasons: why("Project: score 29.5 is below the minimum 30"), Results: resultList(scoreResult(rdProject, "29.5"))},
		},
		{
			name: "raw score above the maximum",
			e:    project,
			s:    learnerSub(withScores(rdProject, "51")),
			want: Decision{Verdict: Deny, Reasons: why("Project: score 51 is above the highest possible value 50")},
		},
		{
			name: "raw score below the lowest",
			e:    project,
			s:    learnerSub(withScores(rdProject, "-1")),
			want: Decision{Verdict: Deny, Reasons: why("Project: score -1 is below the lowest possible value 0")},
		},
		{
			name: "grade point average with Min",
			e:    MinScore{ResultDescription: rdGPA, Min: "3.0"},
			s:    learnerSub(withScores(rdGPA, "3.5")),
			want: Decision{Verdict: Award, Reasons: why("GPA: score 3.5 meets the minimum 3.0"), Results: resultList(scoreResult(rdGPA, "3.5"))},
		},
		// Letter grades, ordered low to high by allowedValue.
		{
			name: "letter grade above",
			e:    grade,
			s:    learnerSub(withScores(rdGrade, "B")),
			want: Decision{Verdict: Award, Reasons: why("Project grade: score B meets the minimum C"), Results: resultList(scoreResult(rdGrade, "B"))},
		},
		{
			name: "letter grade equal",
			e:    grade,
			s:    learnerSub(withScores(rdGrade, "C")),
			want: Decision{Verdict: Award, Reasons: why("Project grade: score C meets the minimum C"), Results: resultList(scoreResult(rdGrade, "C"))},
		},
		{
			name: "letter grade below",
			e:    grade,
			s:    learnerSub(withScores(rdGrade, "D")),
			want: Decision{Verdict: Deny, Reasons: why("Project grade: score D is below the minimum C"), Results: resultList(scoreResult(rdGrade, "D"))},
		},
		{
			name: "letter grade in another case",
			e:    MinScore{ResultDescription: rdGrade, Min: "a"},
			s:    learnerSub(withScores(rdGrade, "a")),
			want: Decision{Verdict: Award, Reasons: why("Project grade: score A meets the minimum A"), Results: resultList(scoreResult(rdGrade, "A"))},
		},
		{
			name: "letter grade not allowed",
			e:    grade,
			s:    learnerSub(withScores(rdGrade, "E")),
			want: Decision{Verdict: Deny, Reasons: why(`Project grade: score "E" is not one of the allowed values D, C, B, A`)},
		},
		// Extension types.
		{
			name: "extension type with allowed values",
			e:    MinScore{ResultDescription: rdStars},
			s:    learnerSub(withScores(rdStars, "three")),
			want: Decision{Verdict: Award, Reasons: why("Stars: score three meets the minimum two"), Results: resultList(scoreResult(rdStars, "three"))},
		},
		{
			name: "extension type with numbers",
			e:    MinScore{ResultDescription: rdExtNum},
			s:    learnerSub(withScores(rdExtNum, "9")),
			want: Decision{Verdict: Deny, Reasons: why("Points: score 9 is below the minimum 10"), Results: resultList(scoreResult(rdExtNum, "9"))},
		},
		// The only result description.
		{
			name: "no ResultDescription, the achievement has one",
			e:    MinScore{},
			a: &credential.Achievement{ID: gradedID, ResultDescription: []credential.ResultDescription{
				{ID: rdExam, Name: "Final exam", ResultType: credential.ResultTypePercent, RequiredValue: "50"},
			}},
			s:    learnerSub(withScores(rdExam, "50")),
			want: Decision{Verdict: Award, Reasons: why("Final exam: score 50% meets the minimum 50%"), Results: resultList(scoreResult(rdExam, "50"))},
		},
		// Config errors.
		{name: "no ResultDescription, the achievement has many", e: MinScore{}, wantErr: ErrConfig},
		{name: "unknown result description", e: MinScore{ResultDescription: "https://example.edu/rd/none", Min: "1"}, wantErr: ErrConfig},
		{name: "no Min, no required value", e: MinScore{ResultDescription: rdGPA}, wantErr: ErrConfig},
		{name: "status is not a score", e: MinScore{ResultDescription: rdStatus, Min: "1"}, wantErr: ErrConfig},
		{name: "rubric is not a score", e: MinScore{ResultDescription: rdTalk, Min: "1"}, wantErr: ErrConfig},
		{name: "Min not a number", e: MinScore{ResultDescription: rdExam, Min: "sixty"}, wantErr: ErrConfig},
		{name: "Min ambiguous", e: MinScore{ResultDescription: rdExam, Min: "0.6"}, wantErr: ErrConfig},
		{name: "Min out of range", e: MinScore{ResultDescription: rdProject, Min: "60"}, wantErr: ErrConfig},
		{name: "Min not an allowed value", e: MinScore{ResultDescription: rdGrade, Min: "F"}, wantErr: ErrConfig},
		{
			name: "letter grade without allowed values",
			e:    MinScore{ResultDescription: rdExam, Min: "C"},
			a: &credential.Achievement{ID: gradedID, ResultDescription: []credential.ResultDescription{
				{ID: rdExam, ResultType: credential.ResultTypeLetterGrade},
			}},
			wantErr: ErrConfig,
		},
		{
			name: "malformed valueMax",
			e:    MinScore{ResultDescription: rdExam, Min: "1"},
			a: &credential.Achievement{ID: gradedID, ResultDescription: []credential.ResultDescription{
				{ID: rdExam, ResultType: credential.ResultTypeRawScore, ValueMax: "lots"},
			}},
			wantErr: ErrConfig,
		},
		{name: "another achievement", e: exam, s: learnerSub(func(s *Submission) { s.AchievementID = "https://example.edu/achievements/other" }), wantErr: ErrWrongAchievement},
	})
}

func TestRequiredEvidence(t *testing.T) {
	project := Evidence{URL: "https://example.edu/work/1", Kind: "project"}
	reflection := Evidence{Kind: "Reflection", Text: "What I learned."}
	photo := Evidence{URL: "https://example.edu/work/2.jpg", Kind: "photo"}
	runEval(t, []evalCase{
		{
			name: "zero value, no evidence",
			e:    RequiredEvidence{},
			want: Decision{Verdict: Deny, Reasons: why("evidence: 0 handed in, 1 required")},
		},
		{
			name: "zero value, one piece",
			e:    RequiredEvidence{},
			s:    learnerSub(withEvidence(photo)),
			want: Decision{Verdict: Award, Reasons: why("evidence: 1 handed in, 1 required")},
		},
		{
			name: "empty Kinds count every kind",
			e:    RequiredEvidence{Count: 3},
			s:    learnerSub(withEvidence(project, reflection, photo)),
			want: Decision{Verdict: Award, Reasons: why("evidence: 3 handed in, 3 required")},
		},
		{
			name: "kinds, without regard to case",
			e:    RequiredEvidence{Count: 2, Kinds: []string{"Project", "reflection"}},
			s:    learnerSub(withEvidence(project, reflection, photo)),
			want: Decision{Verdict: Award, Reasons: why("evidence of kind Project or reflection: 2 handed in, 2 required")},
		},
		{
			name: "other kinds do not count",
			e:    RequiredEvidence{Count: 2, Kinds: []string{"project"}},
			s:    learnerSub(withEvidence(project, reflection, photo)),
			want: Decision{Verdict: Deny, Reasons: why("evidence of kind project: 1 handed in, 2 required")},
		},
		{
			name: "the same URL counts once",
			e:    RequiredEvidence{Count: 2},
			s:    learnerSub(withEvidence(project, project, Evidence{URL: " https://example.edu/work/1", Kind: "project", Name: "again"})),
			want: Decision{Verdict: Deny, Reasons: why("evidence: 1 handed in, 2 required")},
		},
		{
			name: "evidence with nothing to look at does not count",
			e:    RequiredEvidence{},
			s:    learnerSub(withEvidence(Evidence{Kind: "project", Name: "My project", Text: "  "})),
			want: Decision{Verdict: Deny, Reasons: why("evidence: 0 handed in, 1 required")},
		},
		{name: "negative count", e: RequiredEvidence{Count: -1}, wantErr: ErrConfig},
		{name: "blank kind", e: RequiredEvidence{Kinds: []string{"project", " "}}, wantErr: ErrConfig},
		{name: "another achievement", e: RequiredEvidence{}, s: learnerSub(func(s *Submission) { s.AchievementID = "x" }), wantErr: ErrWrongAchievement},
	})
}

func TestRubricLevel(t *testing.T) {
	talk := RubricLevel{ResultDescription: rdTalk}
	runEval(t, []evalCase{
		{
			name: "above the required level",
			e:    talk,
			s:    learnerSub(withLevel(rdTalk, lvlExpert)),
			want: Decision{Verdict: Award, Reasons: why("Talk: level Expert meets the required level Proficient"), Results: resultList(rubricResult(rdTalk, lvlExpert))},
		},
		{
			name: "at the required level",
			e:    talk,
			s:    learnerSub(withLevel(rdTalk, lvlProf)),
			want: Decision{Verdict: Award, Reasons: why("Talk: level Proficient meets the required level Proficient"), Results: resultList(rubricResult(rdTalk, lvlProf))},
		},
		{
			name: "below the required level",
			e:    talk,
			s:    learnerSub(withLevel(rdTalk, lvlNovice)),
			want: Decision{Verdict: Deny, Reasons: why("Talk: level Novice is below the required level Proficient"), Results: resultList(rubricResult(rdTalk, lvlNovice))},
		},
		{
			name: "Min overrides the required level",
			e:    RubricLevel{ResultDescription: rdTalk, Min: lvlExpert},
			s:    learnerSub(withLevel(rdTalk, lvlProf)),
			want: Decision{Verdict: Deny, Reasons: why("Talk: level Proficient is below the required level Expert"), Results: resultList(rubricResult(rdTalk, lvlProf))},
		},
		{
			name: "the list order, not the names",
			e:    RubricLevel{ResultDescription: rdPlain, Min: lvlHigh},
			s:    learnerSub(withLevel(rdPlain, lvlLow)),
			want: Decision{Verdict: Award, Reasons: why("Plain: level Low meets the required level High"), Results: resultList(rubricResult(rdPlain, lvlLow))},
		},
		{
			name: "no level",
			e:    talk,
			want: Decision{Verdict: Deny, Reasons: why("Talk: no rubric level")},
		},
		{
			name: "a level for another result description",
			e:    talk,
			s:    learnerSub(withLevel(rdPlain, lvlHigh)),
			want: Decision{Verdict: Deny, Reasons: why("Talk: no rubric level")},
		},
		{
			name: "unknown level",
			e:    talk,
			s:    learnerSub(withLevel(rdTalk, lvlHigh)),
			want: Decision{Verdict: Deny, Reasons: why(`Talk: level "https://example.edu/levels/high" is not one of the rubric's levels`)},
		},
		{name: "points contradict the list order", e: RubricLevel{ResultDescription: rdBackwards}, s: learnerSub(withLevel(rdBackwards, lvlExpert)), wantErr: ErrConfig},
		{name: "no Min, no required level", e: RubricLevel{ResultDescription: rdPlain}, s: learnerSub(withLevel(rdPlain, lvlLow)), wantErr: ErrConfig},
		{name: "Min not a level", e: RubricLevel{ResultDescription: rdTalk, Min: lvlHigh}, wantErr: ErrConfig},
		{name: "no levels", e: RubricLevel{ResultDescription: rdExam, Min: lvlHigh}, wantErr: ErrConfig},
		{name: "unknown result description", e: RubricLevel{ResultDescription: "https://example.edu/rd/none"}, wantErr: ErrConfig},
	})
}

func TestPrerequisites(t *testing.T) {
	const a1, a2 = "https://example.edu/achievements/a1", "https://example.edu/achievements/a2"
	earned := func(ids ...string) func(*Submission) { return func(s *Submission) { s.Earned = ids } }
	runEval(t, []evalCase{
		{
			name: "all held",
			e:    Prerequisites{Achievements: []string{a1, a2}},
			s:    learnerSub(earned(a2, "https://example.edu/achievements/other", a1)),
			want: Decision{Verdict: Award, Reasons: why("holds prerequisite "+a1, "holds prerequisite "+a2)},
		},
		{
			name: "one missing",
			e:    Prerequisites{Achievements: []string{a1, a2}},
			s:    learnerSub(earned(a1)),
			want: Decision{Verdict: Deny, Reasons: why("missing prerequisite " + a2)},
		},
		{
			name: "none held",
			e:    Prerequisites{Achievements: []string{a1, a2}},
			want: Decision{Verdict: Deny, Reasons: why("missing prerequisite "+a1, "missing prerequisite "+a2)},
		},
		{name: "empty", e: Prerequisites{}, wantErr: ErrConfig},
	})
}

func TestTimeWindow(t *testing.T) {
	open := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	closed := time.Date(2026, 6, 30, 23, 59, 59, 0, time.UTC)
	w := TimeWindow{NotBefore: open, NotAfter: closed}
	completed := func(t time.Time) func(*Submission) { return func(s *Submission) { s.CompletedAt = t } }
	runEval(t, []evalCase{
		{
			name: "at NotBefore: inclusive",
			e:    w,
			s:    learnerSub(completed(open)),
			want: Decision{Verdict: Award, Reasons: why("completed at 2026-01-01T00:00:00Z, within the window")},
		},
		{
			name: "at NotAfter: inclusive",
			e:    w,
			s:    learnerSub(completed(closed)),
			want: Decision{Verdict: Award, Reasons: why("completed at 2026-06-30T23:59:59Z, within the window")},
		},
		{
			name: "just before",
			e:    w,
			s:    learnerSub(completed(open.Add(-time.Nanosecond))),
			want: Decision{Verdict: Deny, Reasons: why("completed at 2025-12-31T23:59:59.999999999Z, before the window opens at 2026-01-01T00:00:00Z")},
		},
		{
			name: "just after",
			e:    w,
			s:    learnerSub(completed(closed.Add(time.Nanosecond))),
			want: Decision{Verdict: Deny, Reasons: why("completed at 2026-06-30T23:59:59.000000001Z, after the window closed at 2026-06-30T23:59:59Z")},
		},
		{
			name: "other zones compare as instants",
			e:    w,
			s:    learnerSub(completed(time.Date(2026, 7, 1, 1, 0, 0, 0, time.FixedZone("CEST", 2*3600)))),
			want: Decision{Verdict: Award, Reasons: why("completed at 2026-06-30T23:00:00Z, within the window")},
		},
		{
			name: "SubmittedAt when CompletedAt is zero",
			e:    w,
			s:    learnerSub(func(s *Submission) { s.SubmittedAt = closed.Add(time.Hour) }),
			want: Decision{Verdict: Deny, Reasons: why("submitted at 2026-07-01T00:59:59Z, after the window closed at 2026-06-30T23:59:59Z")},
		},
		{
			name: "CompletedAt before SubmittedAt",
			e:    w,
			s:    learnerSub(completed(closed), func(s *Submission) { s.SubmittedAt = closed.Add(time.Hour) }),
			want: Decision{Verdict: Award, Reasons: why("completed at 2026-06-30T23:59:59Z, within the window")},
		},
		{
			name: "the time of evaluation when both are zero",
			e:    TimeWindow{NotAfter: closed, Now: func() time.Time { return open }},
			want: Decision{Verdict: Award, Reasons: why("evaluated at 2026-01-01T00:00:00Z, within the window")},
		},
		{
			name: "open end",
			e:    TimeWindow{NotBefore: open},
			s:    learnerSub(completed(closed.AddDate(10, 0, 0))),
			want: Decision{Verdict: Award, Reasons: why("completed at 2036-06-30T23:59:59Z, within the window")},
		},
		{name: "no bounds", e: TimeWindow{}, wantErr: ErrConfig},
		{name: "reversed bounds", e: TimeWindow{NotBefore: closed, NotAfter: open}, wantErr: ErrConfig},
	})
}

// always returns an evaluator that always decides d.
func always(d Decision) Evaluator {
	return Func(func(context.Context, *Submission, *credential.Achievement) (Decision, error) { return d, nil })
}

func TestCombinations(t *testing.T) {
	r1, r2, r3 := scoreResult(rdExam, "1"), scoreResult(rdExam, "2"), scoreResult(rdExam, "3")
	al := credential.Alignment{TargetName: "Teamwork", TargetURL: "https://example.org/skills/teamwork"}
	award1 := always(Decision{Verdict: Award, Reasons: why("a1"), Results: resultList(r1)})
	award2 := always(Decision{Verdict: Award, Reasons: why("a2", "shared"), Results: resultList(r1, r2)})
	review := always(Decision{Verdict: Review, Reasons: why("r"), Results: resultList(r2), Alignments: []credential.Alignment{al}})
	deny1 := always(Decision{Verdict: Deny, Reasons: why("d1", "shared"), Results: resultList(r3)})
	deny2 := always(Decision{Verdict: Deny, Reasons: why("d2")})
	odd := always(Decision{Verdict: Verdict(42), Reasons: why("odd")})
	boom := errors.New("boom")
	failing := Func(func(context.Context, *Submission, *credential.Achievement) (Decision, error) { return Decision{}, boom })

	runEval(t, []evalCase{
		// AllOf.
		{
			name: "AllOf: all award",
			e:    AllOf(award1, award2),
			want: Decision{Verdict: Award, Reasons: why("a1", "a2", "shared"), Results: resultList(r1, r2)},
		},
		{
			name: "AllOf: a review and no denial",
			e:    AllOf(award1, review),
			want: Decision{Verdict: Review, Reasons: why("r"), Results: resultList(r1, r2), Alignments: []credential.Alignment{al}},
		},
		{
			name: "AllOf: a denial wins, every unmet criterion listed",
			e:    AllOf(deny1, award1, review, deny2),
			want: Decision{Verdict: Deny, Reasons: why("d1", "shared", "d2"), Results: resultList(r3, r1, r2), Alignments: []credential.Alignment{al}},
		},
		{
			name: "AllOf: an unknown verdict is no award",
			e:    AllOf(award1, odd),
			want: Decision{Verdict: Deny, Reasons: why("odd"), Results: resultList(r1)},
		},
		// AnyOf.
		{
			name: "AnyOf: an award wins, with only what awarded",
			e:    AnyOf(deny1, review, award1),
			want: Decision{Verdict: Award, Reasons: why("a1"), Results: resultList(r1)},
		},
		{
			name: "AnyOf: a review and no award",
			e:    AnyOf(deny1, review),
			want: Decision{Verdict: Review, Reasons: why("r"), Results: resultList(r2), Alignments: []credential.Alignment{al}},
		},
		{
			name: "AnyOf: all deny",
			e:    AnyOf(deny1, deny2),
			want: Decision{Verdict: Deny, Reasons: why("d1", "shared", "d2"), Results: resultList(r3)},
		},
		// NOf.
		{
			name: "NOf: enough awards",
			e:    NOf(2, award1, deny2, award2),
			want: Decision{Verdict: Award, Reasons: why("2 of 3 criteria met, 2 required", "a1", "a2", "shared"), Results: resultList(r1, r2)},
		},
		{
			name: "NOf: awards and reviews reach n",
			e:    NOf(2, award1, review, deny2),
			want: Decision{Verdict: Review, Reasons: why("1 of 3 criteria met and 1 for review, 2 required", "r"), Results: resultList(r1, r2), Alignments: []credential.Alignment{al}},
		},
		{
			name: "NOf: too few",
			e:    NOf(2, award1, deny1, deny2),
			want: Decision{Verdict: Deny, Reasons: why("1 of 3 criteria met, 2 required", "d1", "shared", "d2"), Results: resultList(r1, r3)},
		},
		{
			name: "NOf: n of n is AllOf",
			e:    NOf(2, award1, award2),
			want: Decision{Verdict: Award, Reasons: why("2 of 2 criteria met, 2 required", "a1", "a2", "shared"), Results: resultList(r1, r2)},
		},
		// Nesting.
		{
			name: "AllOf of AnyOf",
			e:    AllOf(award1, AnyOf(deny2, review)),
			want: Decision{Verdict: Review, Reasons: why("r"), Results: resultList(r1, r2), Alignments: []credential.Alignment{al}},
		},
		// Errors.
		{name: "AllOf of nothing", e: AllOf(), wantErr: ErrConfig},
		{name: "AnyOf of nothing", e: AnyOf(), wantErr: ErrConfig},
		{name: "NOf zero", e: NOf(0, award1), wantErr: ErrConfig},
		{name: "NOf more than given", e: NOf(3, award1, award2), wantErr: ErrConfig},
		{name: "a nil evaluator", e: AnyOf(award1, nil), wantErr: ErrConfig},
		{name: "an error is returned", e: AnyOf(award1, failing), wantErr: boom},
		{name: "a config error inside", e: AllOf(award1, MinScore{ResultDescription: "https://example.edu/rd/none", Min: "1"}), wantErr: ErrConfig},
		{name: "another achievement", e: AllOf(award1), s: learnerSub(func(s *Submission) { s.AchievementID = "x" }), wantErr: ErrWrongAchievement},
	})
}

func TestCombinationCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	first := Func(func(context.Context, *Submission, *credential.Achievement) (Decision, error) {
		calls++
		cancel()
		return Decision{Verdict: Award}, nil
	})
	_, err := AllOf(first, first).Evaluate(ctx, learnerSub(), gradedAchievement())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v, want context.Canceled", err)
	}
	if calls != 1 {
		t.Errorf("%d evaluations after cancellation, want 1", calls-1)
	}
}

// The combinations copy their list of evaluators.
func TestCombinationCopiesEvaluators(t *testing.T) {
	list := []Evaluator{Completion{}}
	e := AllOf(list...)
	list[0] = nil
	d, err := e.Evaluate(context.Background(), learnerSub(), gradedAchievement())
	if err != nil || d.Verdict != Award {
		t.Fatalf("Evaluate = %v, %v; want an award", d, err)
	}
}

func TestReviewWhen(t *testing.T) {
	exam := func(min string) MinScore { return MinScore{ResultDescription: rdExam, Min: min} }
	band := AnyOf(exam("70"), ReviewWhen{Evaluator: exam("60"), Reason: "a score from 60 to 70 needs a person"})
	al := credential.Alignment{TargetName: "Teamwork", TargetURL: "https://example.org/skills/teamwork"}
	runEval(t, []evalCase{
		{
			name: "award becomes review",
			e:    ReviewWhen{Evaluator: exam("60"), Reason: "check the exam"},
			s:    learnerSub(withScores(rdExam, "65")),
			want: Decision{Verdict: Review, Reasons: why("check the exam", "Final exam: score 65% meets the minimum 60%"), Results: resultList(scoreResult(rdExam, "65"))},
		},
		{
			name: "no Reason",
			e:    ReviewWhen{Evaluator: always(Decision{Verdict: Award, Reasons: why("met"), Alignments: []credential.Alignment{al}})},
			want: Decision{Verdict: Review, Reasons: why("met"), Alignments: []credential.Alignment{al}},
		},
		{
			name: "denial unchanged",
			e:    ReviewWhen{Evaluator: exam("60"), Reason: "check the exam"},
			s:    learnerSub(withScores(rdExam, "55")),
			want: Decision{Verdict: Deny, Reasons: why("Final exam: score 55% is below the minimum 60%"), Results: resultList(scoreResult(rdExam, "55"))},
		},
		{
			name: "review unchanged",
			e:    ReviewWhen{Evaluator: always(Decision{Verdict: Review, Reasons: why("look")}), Reason: "check"},
			want: Decision{Verdict: Review, Reasons: why("look")},
		},
		{
			name: "band: above",
			e:    band,
			s:    learnerSub(withScores(rdExam, "70")),
			want: Decision{Verdict: Award, Reasons: why("Final exam: score 70% meets the minimum 70%"), Results: resultList(scoreResult(rdExam, "70"))},
		},
		{
			name: "band: within",
			e:    band,
			s:    learnerSub(withScores(rdExam, "65")),
			want: Decision{Verdict: Review, Reasons: why("a score from 60 to 70 needs a person", "Final exam: score 65% meets the minimum 60%"), Results: resultList(scoreResult(rdExam, "65"))},
		},
		{
			name: "band: below",
			e:    band,
			s:    learnerSub(withScores(rdExam, "55")),
			want: Decision{Verdict: Deny, Reasons: why("Final exam: score 55% is below the minimum 70%", "Final exam: score 55% is below the minimum 60%"), Results: resultList(scoreResult(rdExam, "55"))},
		},
		{name: "no Evaluator", e: ReviewWhen{Reason: "x"}, wantErr: ErrConfig},
	})
}

func TestFunc(t *testing.T) {
	var got *Submission
	f := Func(func(_ context.Context, s *Submission, a *credential.Achievement) (Decision, error) {
		got = s
		return Decision{Verdict: Award, Reasons: why(a.Name)}, nil
	})
	s := learnerSub(func(s *Submission) { s.AchievementID = "not checked by Func" })
	d, err := f.Evaluate(context.Background(), s, gradedAchievement())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Decision{Verdict: Award, Reasons: why("Go")}, d); diff != "" {
		t.Errorf("decision (-want +got):\n%s", diff)
	}
	if got != s {
		t.Error("the function did not get the submission")
	}
	if _, err := Func(nil).Evaluate(context.Background(), s, gradedAchievement()); !errors.Is(err, ErrConfig) {
		t.Errorf("nil Func: error = %v, want ErrConfig", err)
	}
}

func TestNilArguments(t *testing.T) {
	for _, e := range []Evaluator{Completion{}, MinScore{}, RequiredEvidence{}, RubricLevel{}, Prerequisites{}, TimeWindow{}, AllOf(Completion{}), ReviewWhen{}, Assessed{}} {
		if _, err := e.Evaluate(context.Background(), learnerSub(), nil); !errors.Is(err, ErrConfig) {
			t.Errorf("%T with no achievement: error = %v, want ErrConfig", e, err)
		}
		if _, err := e.Evaluate(context.Background(), nil, gradedAchievement()); err == nil {
			t.Errorf("%T with no submission: no error", e)
		}
	}
}

func TestParseDecimal(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // "" if refused
	}{
		{"87", "87"}, {"+5", "5"}, {"-2.5", "-2.5"}, {"5.", "5"}, {".5", "0.5"}, {"007", "7"},
		{"", ""}, {"-", ""}, {".", ""}, {"1e3", ""}, {"0x10", ""}, {"1/2", ""}, {"1.2.3", ""}, {"NaN", ""}, {"Inf", ""}, {" 1", ""},
		{"1" + string(make([]byte, maxNumberLen)), ""},
	} {
		r, ok := parseDecimal(tc.in)
		got := ""
		if ok {
			got = formatRat(r)
		}
		if got != tc.want {
			t.Errorf("parseDecimal(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// Whatever an LMS sends as a score, MinScore decides without an error or
// a panic, and awards only a value it could read.
func FuzzMinScore(f *testing.F) {
	for _, v := range []string{"87", "0.87", "87%", " 87 % ", "-1", "1e9", "B", "b", "", "１２", "0.", ".5", "+60"} {
		f.Add(v)
	}
	a := gradedAchievement()
	evaluators := []Evaluator{
		MinScore{ResultDescription: rdExam},
		MinScore{ResultDescription: rdQuiz},
		MinScore{ResultDescription: rdProject},
		MinScore{ResultDescription: rdGrade},
		MinScore{ResultDescription: rdExtNum},
	}
	f.Fuzz(func(t *testing.T, v string) {
		for _, e := range evaluators {
			rd := e.(MinScore).ResultDescription
			d, err := e.Evaluate(context.Background(), learnerSub(withScores(rd, v)), a)
			if err != nil {
				t.Fatalf("%s %q: %v", rd, v, err)
			}
			if d.Verdict != Deny && d.Verdict != Award && d.Verdict != Review {
				t.Fatalf("%s %q: verdict %d", rd, v, d.Verdict)
			}
			if len(d.Reasons) != 1 {
				t.Fatalf("%s %q: reasons %q", rd, v, d.Reasons)
			}
			if d.Verdict != Deny && len(d.Results) != 1 {
				t.Fatalf("%s %q: %s without a result", rd, v, d.Verdict)
			}
		}
	})
}
