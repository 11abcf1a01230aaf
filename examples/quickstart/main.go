// Quickstart: a learner finished a course, so build the Open Badges 3.0
// credential that says so, check it against the spec, sign it with
// eddsa-rdfc-2022 (the proof OB 3.0 requires), verify it as a wallet would,
// and print it.
//
//	go run ./examples/quickstart
//
// The issuer here is a did:key made on the spot, so the example needs no
// setup and the proof verifies offline; a real issuer keeps its key in a
// keys.Store and names it with its did:web or https URL. Baking into an
// image and revocation come in later steps as the library grows.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"time"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
)

func main() {
	log.SetFlags(0)
	if err := run(os.Stdout, os.Stderr); err != nil {
		log.Fatal(err)
	}
}

// run builds, checks, signs, verifies and prints the credential: the JSON
// on stdout, what it found on stderr.
func run(stdout, stderr io.Writer) error {
	ctx := context.Background()

	// The issuer's signing key, and the DID that names it.
	key, err := keys.Generate(keys.Ed25519)
	if err != nil {
		return err
	}
	issuerDID, err := keys.DIDKey(key.Public())
	if err != nil {
		return err
	}
	method, err := keys.DIDKeyVerificationMethod(key.Public())
	if err != nil {
		return err
	}

	// What the LMS knows: who issues, what was achieved, who achieved it.
	issuer := &credential.Profile{
		ID:   issuerDID,
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

	// Sign: the proof is added to the checked bytes as they are.
	out, err := credential.MarshalIndent(cred, "", "  ")
	if err != nil {
		return err
	}
	signer := &dataintegrity.Signer{Key: key, VerificationMethod: method}
	signed, err := signer.Sign(ctx, out, nil)
	if err != nil {
		return fmt.Errorf("signing: %w", err)
	}

	// Verify, as a wallet would: offline, the key read from the did:key.
	vr, err := (&dataintegrity.Verifier{}).Verify(ctx, signed)
	if err != nil {
		return err
	}
	if err := vr.Err(); err != nil {
		return fmt.Errorf("the signed credential does not verify: %w", err)
	}
	fmt.Fprintf(stderr, "valid %s (%s), signed with %s by %s, verified:\n",
		res.Class, res.Version, vr.Proofs[0].Proof.Suite(), issuerDID)
	_, err = fmt.Fprintln(stdout, string(signed))
	return err
}
