// Quickstart: a learner finished a course, so build the Open Badges 3.0
// credential that says so, check it against the spec, and print it.
//
//	go run ./examples/quickstart
//
// Signing, baking into an image and verifying come in later steps of this
// example as the library grows; see the README.
package main

import (
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"time"

	"github.com/go-openbadges/openbadges/credential"
)

func main() {
	log.SetFlags(0)
	if err := run(os.Stdout, os.Stderr); err != nil {
		log.Fatal(err)
	}
}

// run builds, checks and prints the credential: the JSON on stdout, what it
// found on stderr.
func run(stdout, stderr io.Writer) error {
	// What the LMS knows: who issues, what was achieved, who achieved it.
	issuer := &credential.Profile{
		ID:   "https://example.edu/issuers/565049",
		Name: "Example University",
		URL:  "https://example.edu",
	}
	achievement := &credential.Achievement{
		ID:              "https://example.edu/achievements/intro-go",
		AchievementType: credential.AchievementTypeCourse,
		Name:            "Introduction to Go",
		Description:     "Completed the introductory Go course.",
		Criteria:        &credential.Criteria{Narrative: "Pass every assignment and score at least 70% on the final exam."},
		ResultDescription: []credential.ResultDescription{{
			ID:            "https://example.edu/achievements/intro-go/results/final",
			Name:          "Final exam",
			ResultType:    credential.ResultTypePercent,
			ValueMin:      "0",
			ValueMax:      "100",
			RequiredValue: "70",
		}},
	}
	// The learner is named by a salted hash of their email address, so the
	// badge does not reveal it to those who do not already know it.
	learner := credential.NewHashedIdentity(credential.IdentifierTypeEmailAddress, "ada@example.org")

	cred, err := credential.NewAchievementCredential(credential.Award{
		Issuer:      issuer,
		Achievement: achievement,
		Identifier:  []credential.IdentityObject{learner},
		Results: []credential.Result{{
			ResultDescription: "https://example.edu/achievements/intro-go/results/final",
			Value:             "87",
		}},
		Evidence: []credential.Evidence{{
			ID:   "https://example.edu/submissions/4711",
			Name: "Final project: a concurrent web crawler",
		}},
		ValidUntil: time.Now().AddDate(3, 0, 0),
	})
	if err != nil {
		return fmt.Errorf("building the credential: %w", err)
	}

	// Check the document as a verifier would read it: the 1EdTech JSON
	// Schema and the data model rules, offline.
	doc, err := credential.Marshal(cred)
	if err != nil {
		return err
	}
	res, err := credential.Check(doc, nil)
	if err != nil {
		return err
	}
	for _, p := range res.Problems {
		fmt.Fprintln(stderr, p)
	}
	if !res.Valid() {
		return errors.New("the credential is not valid")
	}

	// The recipient can later prove it is theirs.
	if ok, _ := learner.Match("ada@example.org"); !ok {
		return errors.New("the identity hash does not match")
	}

	out, err := credential.MarshalIndent(cred, "", "  ")
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "valid %s (%s), not yet signed:\n", res.Class, res.Version)
	_, err = fmt.Fprintln(stdout, string(out))
	return err
}
