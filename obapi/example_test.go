package obapi_test

import (
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/go-openbadges/openbadges/obapi"
	"github.com/go-openbadges/openbadges/verify"
)

// A host serves the OB 3.0 API: it signs its users in with its own login,
// and keeps only credentials that verify. Clients find the OAuth endpoints
// in the Service Description Document.
func ExampleNew() {
	verifier, err := verify.New(verify.Trust{}) // a real host passes a Fetcher, for did:web issuers
	if err != nil {
		log.Fatal(err)
	}
	var srv *obapi.Server
	srv, err = obapi.New(obapi.Config{
		BaseURL: "https://backpack.example.org", Title: "Example Backpack",
		TermsOfService: "https://backpack.example.org/terms", PrivacyPolicy: "https://backpack.example.org/privacy",
		Login: obapi.LoginFunc(func(w http.ResponseWriter, r *http.Request, req *obapi.AuthorizationRequest) {
			// The host's login and consent page goes here; once the user
			// has signed in and agreed to req.Scopes:
			if err := srv.Authorize(w, r, req, "account-42"); err != nil {
				http.Error(w, "try again", http.StatusInternalServerError)
			}
		}),
		Verifier: verifier,
		// Store and Records: sqlstore's DB.OBAPI and DB.OBAPIRecords for
		// several instances; in memory by default.
	})
	if err != nil {
		log.Fatal(err)
	}

	w := httptest.NewRecorder()
	srv.ServeHTTP(w, httptest.NewRequest("GET", "https://backpack.example.org/ims/ob/v3p0/discovery", nil))
	var sdd struct {
		Components struct {
			SecuritySchemes map[string]struct {
				Registration string `json:"x-imssf-registrationUrl"`
			} `json:"securitySchemes"`
		} `json:"components"`
	}
	json.Unmarshal(w.Body.Bytes(), &sdd)
	fmt.Println(w.Code, sdd.Components.SecuritySchemes["OAuth2ACG"].Registration)
	// Output:
	// 200 https://backpack.example.org/ims/ob/v3p0/oauth/register
}
