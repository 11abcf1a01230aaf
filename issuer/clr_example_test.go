package issuer_test

import (
	"context"
	"fmt"
	"log"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/issuer"
	"github.com/go-openbadges/openbadges/verify"
)

// A learner's Comprehensive Learner Record: every credential the issuer
// awarded them, embedded as signed, with the relations between their
// achievements, in one signed ClrCredential that verifies whole.
func ExampleIssuer_CLR() {
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
	iss, err := issuer.New(issuer.Config{
		Issuer:  &credential.Profile{ID: did, Name: "Example University"},
		Keys:    store,
		Formats: issuer.FormatBoth,
		Achievements: []issuer.Achievement{
			{Achievement: achievement(stats, "Statistics 101"), Evaluator: issuer.Completion{}},
			{Achievement: achievement(viz, "Data Visualization"), Evaluator: issuer.Completion{}},
			{Achievement: achievement(program, "Data Science Program"), Pathway: &issuer.Pathway{Of: []string{stats, viz}}},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	ada := issuer.Learner{ID: "did:example:ada"}
	for _, course := range []string{stats, viz} {
		if _, err := iss.Issue(ctx, &issuer.Submission{Learner: ada, AchievementID: course, Completed: true}); err != nil {
			log.Fatal(err)
		}
	}

	clr, err := iss.CLR(ctx, ada, &issuer.CLROptions{Name: "Transcript"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(clr.Embedded), "credentials embedded; a VC-JWT too:", clr.JWT != "")

	// Anyone verifies it: the record's proof, then each credential in it.
	rep, err := verify.Verify(ctx, clr.Credential, &verify.Trust{}, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rep.Class, rep.Verified, rep.Check(verify.CheckCredentials).Message)
	c, err := credential.ParseClrCredential(clr.Credential, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range c.CredentialSubject.Association {
		fmt.Println(a.SourceID, a.AssociationType, a.TargetID)
	}
	// Output:
	// 3 credentials embedded; a VC-JWT too: true
	// ClrCredential true 3 embedded credential(s) verify
	// https://example.edu/achievements/stats-101 isPartOf https://example.edu/achievements/data-science
	// https://example.edu/achievements/data-viz isPartOf https://example.edu/achievements/data-science
}
