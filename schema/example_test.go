package schema_test

import (
	"context"
	"errors"
	"fmt"
	"github.com/go-openbadges/openbadges/fetch"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/schema"
	"github.com/piprate/json-gold/ld"
)

func ExampleNewLoader() {
	loader, err := schema.NewLoader(schema.LoaderOptions{})
	if err != nil {
		log.Fatal(err)
	}

	doc, err := loader.LoadDocument("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json")
	if err != nil {
		log.Fatal(err)
	}
	terms := doc.Document.(map[string]any)["@context"].(map[string]any)
	fmt.Println(terms["OpenBadgeCredential"])

	// Contexts that are not embedded are refused, never fetched.
	_, err = loader.LoadDocument("https://example.com/my-context.jsonld")
	fmt.Println(err)
	fmt.Println(errors.Is(err, schema.ErrUnknownContext))
	// Output:
	// map[@id:https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential]
	// schema: unknown JSON-LD context "https://example.com/my-context.jsonld" (not embedded, and fetching is off)
	// true
}

// The Loader plugs into json-gold as its DocumentLoader, so credentials are
// expanded and canonicalized without the network.
func ExampleLoader_jsonGold() {
	loader, err := schema.NewLoader(schema.LoaderOptions{})
	if err != nil {
		log.Fatal(err)
	}
	credential := map[string]any{
		"@context": []any{
			"https://www.w3.org/ns/credentials/v2",
			"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
		},
		"id":   "urn:uuid:0a1b2c3d-0000-4000-8000-000000000001",
		"type": []any{"VerifiableCredential", "OpenBadgeCredential"},
		"name": "Teamwork Badge",
	}
	opts := ld.NewJsonLdOptions("")
	opts.DocumentLoader = loader
	opts.Algorithm = ld.AlgorithmURDNA2015
	opts.Format = "application/n-quads"
	nquads, err := ld.NewJsonLdProcessor().Normalize(credential, opts)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(nquads)
	// Output:
	// <urn:uuid:0a1b2c3d-0000-4000-8000-000000000001> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential> .
	// <urn:uuid:0a1b2c3d-0000-4000-8000-000000000001> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://www.w3.org/2018/credentials#VerifiableCredential> .
	// <urn:uuid:0a1b2c3d-0000-4000-8000-000000000001> <https://schema.org/name> "Teamwork Badge" .
}

func ExampleNewValidator() {
	validator, err := schema.NewValidator(schema.ValidatorOptions{})
	if err != nil {
		log.Fatal(err)
	}
	credential := `{
	  "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
	  "id": "urn:uuid:0a1b2c3d-0000-4000-8000-000000000001",
	  "type": ["VerifiableCredential", "OpenBadgeCredential"],
	  "issuer": {"type": ["Profile"], "name": "Example Corp"},
	  "validFrom": "2010-13-01T00:00:00Z",
	  "credentialSubject": {
	    "type": "AchievementSubject",
	    "achievement": {
	      "id": "https://example.com/achievements/teamwork",
	      "type": ["Achievement"],
	      "name": "Teamwork",
	      "description": "Works well in a team.",
	      "criteria": {"narrative": "Nominated by peers."}
	    }
	  }
	}`
	err = validator.Validate(schema.AchievementCredentialSchemaURL, []byte(credential))
	var invalid *schema.ValidationError
	if errors.As(err, &invalid) {
		for _, p := range invalid.Problems {
			fmt.Println(p.Message)
		}
		fmt.Println(invalid.Problems[0].Keyword, invalid.Problems[0].Pointer)
	}
	// Output:
	// /credentialSubject/type: want an array, got a string
	// /issuer/id: required property is missing
	// /validFrom: "2010-13-01T00:00:00Z" is not a valid date-time: invalid date element: parsing time "2010-13-01": month out of range
	// type /credentialSubject/type
}

// A fetch.HTTP lets a Loader (or a Validator) fetch what is not embedded,
// over https only, with a timeout and a size limit.
func ExampleNewLoader_fetcher() {
	// A stand-in for an issuer's server hosting an extension context.
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/ld+json")
		fmt.Fprint(w, `{"@context": {"score": "https://example.org/vocab#score"}}`)
	}))
	defer srv.Close()

	loader, err := schema.NewLoader(schema.LoaderOptions{
		Fetcher: fetch.HTTP{
			Client:     srv.Client(),                           // nil uses a client with http.DefaultTransport
			AllowHosts: []string{srv.Listener.Addr().String()}, // the test server is on loopback
			Timeout:    5 * time.Second,
			MaxBytes:   64 << 10,
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	doc, err := loader.LoadDocumentContext(ctx, srv.URL+"/contexts/score-v1.jsonld")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(doc.Document)

	// Plain http is refused.
	_, err = loader.LoadDocument(strings.Replace(srv.URL, "https:", "http:", 1) + "/other")
	fmt.Println(errors.Is(err, fetch.ErrNotHTTPS))
	// Output:
	// map[@context:map[score:https://example.org/vocab#score]]
	// true
}

func ExampleValidator_ValidateValue() {
	validator, err := schema.NewValidator(schema.ValidatorOptions{})
	if err != nil {
		log.Fatal(err)
	}
	profile := map[string]any{
		"id":    "https://example.com/issuers/876543",
		"type":  []any{"Profile"},
		"name":  "Example Corp",
		"image": map[string]any{"id": "https://example.com/logo.png", "type": "Image", "width": 64},
	}
	err = validator.ValidateValue(schema.ProfileSchemaURL, profile)
	fmt.Println(err)
	// Output:
	// schema: document does not match https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_profile_schema.json: /image/width: property "width" is not allowed
}

func ExampleFiles() {
	for _, f := range schema.Files() {
		if strings.HasSuffix(f.URL, "/context-3.0.3.json") {
			fmt.Println(f.Kind, f.Name, f.SHA256[:16])
		}
	}
	// Output:
	// context contexts/ob-v3p0-context-3.0.3.validator-bundled.json 3d34f4d4ef1bce69
	// alternate context contexts/ob-v3p0-context-3.0.3.json ef2fa9c7846dce23
}
