package issuer_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/issuer"
)

// courseAchievement is an achievement earned with a final exam score.
func courseAchievement() *credential.Achievement {
	return &credential.Achievement{
		ID:          "https://example.edu/achievements/intro-go",
		Name:        "Introduction to Go",
		Description: "Completed the introductory Go course.",
		Criteria:    &credential.Criteria{Narrative: "Score 70% or more on the final exam and hand in a project."},
		ResultDescription: []credential.ResultDescription{{
			ID:            "https://example.edu/achievements/intro-go/exam",
			Name:          "Final exam",
			ResultType:    credential.ResultTypePercent,
			RequiredValue: "70",
		}},
	}
}

// An achievement's criteria as evaluators: a minimum exam score (the
// result description's requiredValue) and a project handed in.
func ExampleAllOf() {
	course := courseAchievement()
	criteria := issuer.AllOf(
		issuer.MinScore{ResultDescription: "https://example.edu/achievements/intro-go/exam"},
		issuer.RequiredEvidence{Kinds: []string{"project"}},
	)

	for _, s := range []*issuer.Submission{
		{
			Learner:       issuer.Learner{ID: "did:example:ada"},
			AchievementID: course.ID,
			Scores:        []issuer.Score{{ResultDescription: "https://example.edu/achievements/intro-go/exam", Value: "87"}},
			Evidence:      []issuer.Evidence{{URL: "https://git.example.edu/ada/server", Kind: "project"}},
		},
		{
			Learner:       issuer.Learner{ID: "did:example:alan"},
			AchievementID: course.ID,
			Scores:        []issuer.Score{{ResultDescription: "https://example.edu/achievements/intro-go/exam", Value: "64%"}},
		},
	} {
		d, err := criteria.Evaluate(context.Background(), s, course)
		if err != nil {
			log.Fatal(err) // the evaluators or the achievement are set up wrong
		}
		fmt.Println(s.Learner.ID, d.Verdict)
		for _, r := range d.Reasons {
			fmt.Println("  ", r)
		}
		for _, r := range d.Results {
			fmt.Println("   result:", r.Value)
		}
	}
	// Output:
	// did:example:ada award
	//    Final exam: score 87% meets the minimum 70%
	//    evidence of kind project: 1 handed in, 1 required
	//    result: 87
	// did:example:alan deny
	//    Final exam: score 64% is below the minimum 70%
	//    evidence of kind project: 0 handed in, 1 required
	//    result: 64%
}

// A band of doubt: award from 70%, a person decides from 60% to 70%, deny
// below 60%.
func ExampleReviewWhen() {
	course := courseAchievement()
	exam := "https://example.edu/achievements/intro-go/exam"
	criteria := issuer.AnyOf(
		issuer.MinScore{ResultDescription: exam, Min: "70"},
		issuer.ReviewWhen{
			Evaluator: issuer.MinScore{ResultDescription: exam, Min: "60"},
			Reason:    "a score from 60% to 70% needs a person",
		},
	)
	for _, score := range []string{"75", "65", "55"} {
		s := &issuer.Submission{
			Learner:       issuer.Learner{Email: "learner@example.edu"},
			AchievementID: course.ID,
			Scores:        []issuer.Score{{ResultDescription: exam, Value: score}},
		}
		d, err := criteria.Evaluate(context.Background(), s, course)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(score, d.Verdict, d.Reasons[0])
	}
	// Output:
	// 75 award Final exam: score 75% meets the minimum 70%
	// 65 review a score from 60% to 70% needs a person
	// 55 deny Final exam: score 55% is below the minimum 70%
}

// Keyword rules find skills in a learner's reflection; Assessed awards
// what they find and sends the rest to a person.
func ExampleRuleAssessor() {
	course := courseAchievement()
	assessor := issuer.RuleAssessor{Rules: []issuer.Rule{
		{
			Keywords:  []string{"code review", "feedback"},
			Kinds:     []string{"reflection"},
			Alignment: credential.Alignment{TargetName: "Giving feedback", TargetURL: "https://example.org/skills/feedback"},
		},
		{
			Keywords:  []string{"test"},
			Alignment: credential.Alignment{TargetName: "Testing", TargetURL: "https://example.org/skills/testing"},
		},
	}}
	criteria := issuer.Assessed{Assessor: assessor}

	s := &issuer.Submission{
		Learner:       issuer.Learner{ID: "did:example:ada"},
		AchievementID: course.ID,
		Evidence: []issuer.Evidence{{
			Kind: "reflection",
			Text: "In the Code-Review sessions I learned to give feedback kindly.",
		}},
	}
	d, err := criteria.Evaluate(context.Background(), s, course)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(d.Verdict)
	for _, a := range d.Alignments {
		fmt.Println(a.TargetName, a.TargetURL)
	}
	// Output:
	// award
	// Giving feedback https://example.org/skills/feedback
}

// A submission sent to review, and a person's decision on it.
func ExampleMemoryQueue() {
	ctx := context.Background()
	q := &issuer.MemoryQueue{}
	id, err := q.Submit(ctx, issuer.ReviewItem{
		Submission: issuer.Submission{Learner: issuer.Learner{Name: "Ada"}, AchievementID: "https://example.edu/achievements/intro-go"},
		Decision:   issuer.Decision{Verdict: issuer.Review, Reasons: []string{"a score from 60% to 70% needs a person"}},
		AwardKey:   "ada/intro-go",
	})
	if err != nil {
		log.Fatal(err)
	}

	pending, _ := q.Pending(ctx)
	for _, it := range pending {
		fmt.Println(it.Submission.Learner.Name, it.Decision.Reasons)
	}

	item, err := q.Resolve(ctx, id, issuer.Resolution{
		Approve:  true,
		Reviewer: "grace@example.edu",
		Note:     "the project makes up for the exam",
		At:       time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(item.Resolved.Approve, item.Resolved.Reviewer, item.Resolved.At.Format(time.DateOnly))

	_, err = q.Resolve(ctx, id, issuer.Resolution{Reviewer: "alan@example.edu"})
	fmt.Println(errors.Is(err, issuer.ErrResolved))
	// Output:
	// Ada [a score from 60% to 70% needs a person]
	// true grace@example.edu 2026-05-01
	// true
}
