package issuer

import (
	"context"
	"time"

	"github.com/go-openbadges/openbadges/credential"
)

// A Submission is what an LMS reports about one learner and one
// achievement: what they completed, scored and handed in. Evaluators judge
// it; the issuer turns an award into a credential.
type Submission struct {
	// Learner is who the submission is about.
	Learner Learner
	// AchievementID is the id of the achievement it is for, as configured.
	AchievementID string
	// Completed says the learner finished the activity (a course, a
	// module); CompletedAt when. StartedAt is when they began, if known.
	Completed   bool
	CompletedAt time.Time
	StartedAt   time.Time
	// Scores are what the learner scored, each against one of the
	// achievement's result descriptions.
	Scores []Score
	// Levels are the rubric levels the learner reached: result description
	// id to the id of the RubricCriterionLevel reached.
	Levels map[string]string
	// Evidence is what the learner handed in.
	Evidence []Evidence
	// Earned lists the ids of achievements the learner already holds
	// (prerequisites).
	Earned []string
	// SubmittedAt is when the LMS reported it. If zero, the time of
	// evaluation.
	SubmittedAt time.Time
}

// Learner names the recipient. At least one of ID and Email is needed.
type Learner struct {
	// ID is a URI the learner controls, such as a DID; it becomes
	// credentialSubject.id.
	ID string
	// Email is the learner's email address. It goes into the credential
	// salted and hashed, unless Plain is set.
	Email string
	// Name is for records and review only; it is never put in a credential.
	Name string
	// Plain puts Email in the credential unhashed: only when the learner
	// has asked for it.
	Plain bool
}

// Score is one measured result.
type Score struct {
	// ResultDescription is the id of the achievement's ResultDescription
	// the score is for.
	ResultDescription string
	// Value is the score as the LMS has it: "87", "0.87", "B+".
	Value string
}

// Evidence is one piece of work the learner handed in.
type Evidence struct {
	// URL locates it, if it is online; it becomes the Evidence id.
	URL string
	// Kind says what it is: "project", "reflection", "photo", "quiz"…
	// Evaluators can require kinds; it becomes the Evidence genre.
	Kind string
	// Name and Description are shown with the credential.
	Name, Description string
	// Text is what an assessor reads: the reflection itself, a project
	// summary, a photo's caption. It becomes the Evidence narrative.
	Text string
}

// Verdict is what an evaluator decided.
type Verdict int

const (
	// Deny: the criteria are not met; Decision.Reasons say why.
	Deny Verdict = iota
	// Award: the criteria are met.
	Award
	// Review: a person must decide; Decision.Reasons say what to look at.
	Review
)

// String returns "deny", "award" or "review".
func (v Verdict) String() string {
	switch v {
	case Award:
		return "award"
	case Review:
		return "review"
	}
	return "deny"
}

// A Decision is an evaluator's verdict on a submission, with what it
// measured.
type Decision struct {
	// Verdict is award, deny or review. The zero Decision denies.
	Verdict Verdict
	// Reasons say, for a person, why: each unmet criterion for a denial,
	// what to look at for a review, what was met for an award.
	Reasons []string
	// Results are what the evaluator measured, as the credential will
	// carry them (credentialSubject.result), each naming its result
	// description.
	Results []credential.Result
	// Alignments are skills or competencies found in the evidence (by an
	// Assessor), added to the credential's results.
	Alignments []credential.Alignment
}

// An Evaluator decides whether a submission meets an achievement's
// criteria. It must not award what the criteria do not justify: when in
// doubt, it returns Review. An error means it could not decide at all (a
// service it needs is down); the submission is then neither awarded nor
// denied.
type Evaluator interface {
	Evaluate(ctx context.Context, s *Submission, a *credential.Achievement) (Decision, error)
}
