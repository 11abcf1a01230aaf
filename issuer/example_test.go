package issuer_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"fmt"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/issuer"
	"github.com/go-openbadges/openbadges/keys"
)

// An LMS reports that a learner finished a course with 87%; the issuer's
// criteria award the badge and the signed credential comes back, checked.
// The same report again gives back the same credential.
func ExampleIssuer_Issue() {
	ctx := context.Background()
	signer := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{4}, 32)) // keys.Generate in real code
	did, _ := keys.DIDKey(signer.Public())
	vm, _ := keys.DIDKeyVerificationMethod(signer.Public())
	key, _ := keys.NewKey(vm, did, signer)
	store := &keys.MemoryStore{}
	if err := store.Add(ctx, key); err != nil {
		fmt.Println(err)
		return
	}
	const exam = "https://example.edu/achievements/go/final"
	iss, err := issuer.New(issuer.Config{
		Issuer: &credential.Profile{ID: did, Name: "Example University"},
		Keys:   store,
		Achievements: []issuer.Achievement{{
			Achievement: &credential.Achievement{
				ID: "https://example.edu/achievements/go", Name: "Introduction to Go",
				Description: "Completed the introductory Go course.",
				Criteria:    &credential.Criteria{Narrative: "Finish the course with 70% or more."},
				ResultDescription: []credential.ResultDescription{{
					ID: exam, Name: "Final exam", ResultType: credential.ResultTypePercent,
					ValueMin: "0", ValueMax: "100", RequiredValue: "70",
				}},
			},
			Evaluator: issuer.AllOf(issuer.Completion{}, issuer.MinScore{ResultDescription: exam}),
		}},
		Now: func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	s := &issuer.Submission{
		Learner:       issuer.Learner{Email: "ada@example.org"},
		AchievementID: "https://example.edu/achievements/go",
		Completed:     true,
		Scores:        []issuer.Score{{ResultDescription: exam, Value: "87"}},
	}
	out, err := iss.Issue(ctx, s)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(out.State, strings.Join(out.Decision.Reasons, "; "))
	fmt.Println("verified before it was returned:", out.Report.Verified)
	again, _ := iss.Issue(ctx, s)
	fmt.Println("second time, existing:", again.Existing, bytes.Equal(again.Credential, out.Credential))
	// Output:
	// issued the activity is completed; Final exam: score 87% meets the minimum 70%
	// verified before it was returned: true
	// second time, existing: true true
}
