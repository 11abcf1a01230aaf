package pdf_test

import (
	"context"
	"fmt"
	"log"

	"github.com/go-openbadges/openbadges/bake"
	"github.com/go-openbadges/openbadges/render"
	"github.com/go-openbadges/openbadges/render/pdf"
)

// The certificate for print, US Letter, with the credential attached as
// credential.json so the PDF itself verifies.
func ExampleWriter_Write() {
	r, err := render.New(render.Config{VerifyURL: "https://verify.example.edu/?id={id}"})
	if err != nil {
		log.Fatal(err)
	}
	c, err := r.Certificate(context.Background(), []byte(unsigned), &render.Options{Lang: "de"})
	if err != nil {
		log.Fatal(err)
	}
	doc, err := (&pdf.Writer{Paper: pdf.Letter}).Write(c)
	if err != nil {
		log.Fatal(err)
	}
	inside, err := bake.Extract(doc, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(doc[:5]), inside.Format, c.IssuedText)
	// Output: %PDF- PDF 20. Dezember 2025
}
