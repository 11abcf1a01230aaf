// Quickstart: the main job of the library in one page. A learner finished
// a course with 87% and handed in a project; the issuer's criteria decide,
// the badge is issued (signed with eddsa-rdfc-2022, revocable), baked into
// a PNG, and verified as a wallet would, offline. The report is printed.
//
//	go run ./examples/quickstart
//
// Everything is in memory and made on the spot: the issuer's key (a
// did:key, so the badge verifies offline), its revocation list, the badge
// image. A real issuer keeps its key in a keys.Store, names it with its
// did:web or https URL, and keeps records and lists in files or a
// database; see examples/lms.
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"log"
	"os"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/issuer"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
	"github.com/go-openbadges/openbadges/status"
	"github.com/go-openbadges/openbadges/status/statussign"
	"github.com/go-openbadges/openbadges/verify"
)

func main() {
	log.SetFlags(0)
	if err := run(os.Stdout, os.Stderr); err != nil {
		log.Fatal(err)
	}
}

// The achievement and its one result: a final exam, 70% to pass.
const (
	achievementID = "https://example.edu/achievements/intro-go"
	finalExam     = "https://example.edu/achievements/intro-go/results/final"
	statusList    = "https://example.edu/status/1"
)

// run issues, bakes and verifies the badge: the verification report on
// stdout, what happened on stderr.
func run(stdout, stderr io.Writer) error {
	ctx := context.Background()

	// 1. The issuer: a key, the DID that names it, a revocation list.
	signer, err := keys.Generate(keys.Ed25519)
	if err != nil {
		return err
	}
	did, err := keys.DIDKey(signer.Public())
	if err != nil {
		return err
	}
	method, err := keys.DIDKeyVerificationMethod(signer.Public())
	if err != nil {
		return err
	}
	key, err := keys.NewKey(method, did, signer)
	if err != nil {
		return err
	}
	keyStore := &keys.MemoryStore{}
	if err := keyStore.Add(ctx, key); err != nil {
		return err
	}
	lists := &status.Registry{Store: &status.MemoryStore{}}
	if _, err := lists.Create(ctx, statusList, nil); err != nil {
		return err
	}

	// 2. The achievement and its criteria: finish the course, score 70%
	// or more (a person decides from 60%), hand in a project.
	achievement := &credential.Achievement{
		ID:              achievementID,
		AchievementType: credential.AchievementTypeCourse,
		Name:            "Introduction to Go",
		Description:     "Completed the introductory Go course.",
		Criteria:        &credential.Criteria{Narrative: "Finish every module, score at least 70% on the final exam, and hand in a project."},
		ResultDescription: []credential.ResultDescription{{
			ID: finalExam, Name: "Final exam", ResultType: credential.ResultTypePercent,
			ValueMin: "0", ValueMax: "100", RequiredValue: "70",
		}},
	}
	criteria := issuer.AllOf(
		issuer.Completion{},
		issuer.AnyOf(
			issuer.MinScore{ResultDescription: finalExam},
			issuer.ReviewWhen{Evaluator: issuer.MinScore{ResultDescription: finalExam, Min: "60"}, Reason: "a score from 60% to 70% needs a person"},
		),
		issuer.RequiredEvidence{Kinds: []string{"project"}},
	)
	iss, err := issuer.New(issuer.Config{
		Issuer:       &credential.Profile{ID: did, Name: "Example University", URL: "https://example.edu"},
		Keys:         keyStore,
		Achievements: []issuer.Achievement{{Achievement: achievement, Evaluator: criteria}},
		Status:       issuer.StatusConfig{Registry: lists, Bitstring: statusList},
		Validity:     3 * 365 * 24 * time.Hour,
	})
	if err != nil {
		return err
	}

	// 3. What the LMS reports. The email address goes into the badge
	// salted and hashed.
	submission := &issuer.Submission{
		Learner:       issuer.Learner{Email: "ada@example.org"},
		AchievementID: achievementID,
		Completed:     true,
		CompletedAt:   time.Now(),
		Scores:        []issuer.Score{{ResultDescription: finalExam, Value: "87"}},
		Evidence: []issuer.Evidence{{
			URL: "https://lms.example.edu/submissions/4711", Kind: "project",
			Name: "Final project: a concurrent web crawler",
		}},
	}
	issued, err := iss.Issue(ctx, submission)
	if err != nil {
		return err
	}
	if issued.State != issuer.StateIssued {
		return fmt.Errorf("not awarded (%s): %s", issued.State, strings.Join(issued.Decision.Reasons, "; "))
	}
	fmt.Fprintf(stderr, "awarded: %s\n", strings.Join(issued.Decision.Reasons, "; "))

	// 4. Bake it into the badge image.
	baked, err := issued.Bake(badgeImage())
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "baked into a %d-byte PNG\n", len(baked))

	// 5. A wallet verifies the PNG, offline, and checks it is Ada's. The
	// issuer publishes its status list; the wallet holds a copy.
	list, err := lists.Publish(ctx, statusList, &status.PublishOptions{
		Issuer: did,
		Signer: statussign.DataIntegrity(&dataintegrity.Signer{Key: key.Signer, VerificationMethod: key.ID}, nil),
	})
	if err != nil {
		return err
	}
	report, err := verify.Verify(ctx, baked,
		&verify.Trust{Documents: map[string][]byte{statusList: list}},
		&verify.Policy{Recipient: &verify.Identity{Type: "emailAddress", Value: "ada@example.org"}})
	if err != nil {
		return err
	}
	fmt.Fprint(stdout, report)
	if !report.Verified {
		return errors.New("the badge does not verify")
	}
	return nil
}

// badgeImage draws a small badge: a disc on a transparent square.
func badgeImage() []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 64, 64))
	for y := range 64 {
		for x := range 64 {
			if dx, dy := x-32, y-32; dx*dx+dy*dy < 30*30 {
				img.Set(x, y, color.NRGBA{R: 0x1f, G: 0x6f, B: 0xb5, A: 0xff})
			}
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return buf.Bytes()
}
