package oid4vci_test

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"log"
	"net/http"
	"net/url"
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

// An LMS that lets wallets use the Authorization Code Flow gives the
// Server its login: the learner signs in as usual, and once they have, the
// LMS authorizes the award the wallet asked for.
func ExampleServer_Authorize() {
	var srv *oid4vci.Server
	login := oid4vci.LoginFunc(func(w http.ResponseWriter, r *http.Request, req *oid4vci.AuthorizationRequest) {
		learner, ok := signedIn(r) // the LMS's own session
		if !ok {
			// The LMS's login page, which comes back here afterwards.
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.String()), http.StatusFound)
			return
		}
		awardKey := req.AwardKey // the offer's award, if the wallet took an offer
		if awardKey == "" {
			awardKey = learner.awardFor(req.ConfigurationIDs)
		}
		if err := srv.Authorize(w, r, req.ID, awardKey); err != nil {
			http.Error(w, "This badge is not yours, or the request has expired.", http.StatusForbidden)
		}
	})
	var err error
	srv, err = oid4vci.New(oid4vci.Config{Issuer: lmsIssuer, BaseURL: "https://lms.example.edu/badges", Login: login})
	if err != nil {
		log.Fatal(err)
	}
}

// The LMS's own sessions and awards, for ExampleServer_Authorize.
var lmsIssuer *issuer.Issuer

type lmsLearner struct{}

func signedIn(r *http.Request) (*lmsLearner, bool)            { return nil, false }
func (l *lmsLearner) awardFor(configurations []string) string { return "" }
