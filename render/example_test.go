package render_test

import (
	"bytes"
	"context"
	"fmt"
	"log"

	"github.com/go-openbadges/openbadges/bake"
	"github.com/go-openbadges/openbadges/render"
)

// credential is an Open Badge as an issuer hands it out (its proof left
// out: rendering does not verify).
var credential = []byte(`{
  "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
  "id": "https://example.edu/credentials/3732",
  "type": ["VerifiableCredential", "OpenBadgeCredential"],
  "issuer": {"id": "did:web:example.edu", "type": ["Profile"], "name": "Example University"},
  "validFrom": "2026-06-30T12:00:00Z",
  "credentialSubject": {
    "type": ["AchievementSubject"],
    "identifier": [{"type": "IdentityObject", "hashed": false, "identityType": "name", "identityHash": "Ada Lovelace"}],
    "achievement": {"id": "https://example.edu/achievements/stats", "type": ["Achievement"],
      "name": "Statistics", "description": "Descriptive statistics.", "criteria": {"narrative": "Pass the exam."}}
  }
}`)

// An issuer's certificates: its verification page and colours, set once.
func ExampleNew() {
	r, err := render.New(render.Config{
		VerifyURL: "https://verify.example.edu/?id={id}",
		Brand:     render.Brand{Primary: "#003366", Accent: "#6b2c91"},
	})
	if err != nil {
		log.Fatal(err)
	}
	c, err := r.Certificate(context.Background(), credential, &render.Options{Lang: "es"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.Labels.Awarded, c.Learner, c.Labels.HasEarned, c.Title)
	fmt.Println(c.Labels.IssuedOn, c.IssuedText)
	fmt.Println(c.QR.Text)
	// Output:
	// Se certifica que Ada Lovelace ha obtenido Statistics
	// Emitido el 30 de junio de 2026
	// https://verify.example.edu/?id=https%3A%2F%2Fexample.edu%2Fcredentials%2F3732
}

// The page a learner shares: one self-contained file that carries the
// credential, so the page saved to disk still verifies.
func ExampleRenderer_HTML() {
	r, err := render.New(render.Config{VerifyURL: "https://verify.example.edu/?id={id}"})
	if err != nil {
		log.Fatal(err)
	}
	page, err := r.HTML(context.Background(), credential, &render.Options{Lang: "fr"})
	if err != nil {
		log.Fatal(err)
	}
	inside, err := bake.Extract(page, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(bytes.Contains(page, []byte(`<html lang="fr" dir="ltr">`)), inside.Format, inside.Kind)
	// Output: true HTML JSON
}

// Every form from one reading of the credential, as an issuer makes them.
func ExampleRenderer_Render() {
	r, err := render.New(render.Config{})
	if err != nil {
		log.Fatal(err)
	}
	forms, err := r.Render(context.Background(), credential, render.FormHTML|render.FormSVG, &render.Options{Lang: "ar"})
	if err != nil {
		log.Fatal(err)
	}
	inside, err := bake.Extract(forms.SVG, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(bytes.Contains(forms.HTML, []byte(`dir="rtl"`)), inside.Format, forms.PDF == nil)
	// Output: true SVG true
}
