package issuer_test

import (
	"context"
	"fmt"
	"log"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/issuer"
)

// A program added to the configuration after learners finished its
// courses (or whose award a stop cut short): CompleteAllPathways, run at
// start-up or from a scheduled job, awards it to every learner the
// records name by id who completed it; run again, it awards nothing.
func ExampleIssuer_CompleteAllPathways() {
	ctx := context.Background()
	did, store := exampleKeys(ctx)
	const (
		stats   = "https://example.edu/achievements/stats-101"
		viz     = "https://example.edu/achievements/data-viz"
		program = "https://example.edu/achievements/data-science"
	)
	achievement := func(id, name string) *credential.Achievement {
		return &credential.Achievement{ID: id, Name: name, Description: "The " + name + ".", Criteria: &credential.Criteria{Narrative: "Complete it."}}
	}
	courses := []issuer.Achievement{
		{Achievement: achievement(stats, "Statistics 101"), Evaluator: issuer.Completion{}},
		{Achievement: achievement(viz, "Data Visualization"), Evaluator: issuer.Completion{}},
	}
	records := &issuer.MemoryRecords{} // a database, in production (package sqlstore)
	before, err := issuer.New(issuer.Config{Issuer: &credential.Profile{ID: did, Name: "Example University"}, Keys: store, Records: records, Achievements: courses})
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range []string{"did:example:ada", "did:example:bob"} {
		for _, course := range []string{stats, viz} {
			if l == "did:example:bob" && course == viz {
				continue // Bob has one course to go
			}
			if _, err := before.Issue(ctx, &issuer.Submission{Learner: issuer.Learner{ID: l}, AchievementID: course, Completed: true}); err != nil {
				log.Fatal(err)
			}
		}
	}

	// The program is configured; the records already hold the courses.
	iss, err := issuer.New(issuer.Config{
		Issuer: &credential.Profile{ID: did, Name: "Example University"}, Keys: store, Records: records,
		Achievements: append(courses, issuer.Achievement{Achievement: achievement(program, "Data Science Program"), Pathway: &issuer.Pathway{Of: []string{stats, viz}}}),
	})
	if err != nil {
		log.Fatal(err)
	}
	for range 2 {
		sweep, err := iss.CompleteAllPathways(ctx)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("looked at", sweep.Learners, "learners")
		for _, a := range sweep.Awarded {
			fmt.Println("  ", a.AchievementID, a.State, a.AwardKey == iss.AwardKey(program, issuer.Learner{ID: "did:example:ada"}))
		}
	}
	// Output:
	// looked at 2 learners
	//    https://example.edu/achievements/data-science issued true
	// looked at 2 learners
}
