package oid4vci_test

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"log"
	"net/http"
	"strings"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/issuer"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/oid4vci"
)

// An LMS issues a badge, then offers it to the learner's wallet: the
// offer's QR code on the certificate page, its transaction code in an
// email. The Server is mounted on the LMS's own mux.
func Example() {
	ctx := context.Background()
	_, key, _ := ed25519.GenerateKey(nil)
	did, _ := keys.DIDKey(key.Public())
	vm, _ := keys.DIDKeyVerificationMethod(key.Public())
	k, _ := keys.NewKey(vm, did, key)
	store := &keys.MemoryStore{}
	store.Add(ctx, k)
	stats := &credential.Achievement{
		ID: "https://lms.example.edu/achievements/stats", Name: "Statistics", Description: "Descriptive statistics.",
		Criteria: &credential.Criteria{Narrative: "Pass the final exam."}, InLanguage: "en",
	}
	is, err := issuer.New(issuer.Config{
		Issuer:       &credential.Profile{ID: did, Name: "Example College"},
		Keys:         store,
		Achievements: []issuer.Achievement{{Achievement: stats, Evaluator: issuer.Completion{}}},
	})
	if err != nil {
		log.Fatal(err)
	}
	issued, err := is.Issue(ctx, &issuer.Submission{
		Learner:       issuer.Learner{Email: "ada@example.org"},
		AchievementID: stats.ID,
		Completed:     true,
	})
	if err != nil {
		log.Fatal(err)
	}

	srv, err := oid4vci.New(oid4vci.Config{
		Issuer:       is,
		BaseURL:      "https://lms.example.edu/badges",
		Display:      []oid4vci.Display{{Name: "Example College", Locale: "en"}},
		Achievements: map[string]*credential.Achievement{"Statistics": stats},
	})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/badges/", srv)
	mux.Handle("/.well-known/", srv)

	offer, err := srv.Offer(ctx, issued.AwardKey, &oid4vci.OfferOptions{TxCode: true, TxCodeDescription: "The code in your email"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(strings.HasPrefix(offer.URI, "openid-credential-offer://?credential_offer="))
	fmt.Println(offer.ConfigurationIDs)
	fmt.Println(len(offer.TxCode), "digits to send by email")
	fmt.Println(offer.QR.Size > 0)
	// Output:
	// true
	// [Statistics_ldp_vc Statistics_jwt_vc_json]
	// 6 digits to send by email
	// true
}
