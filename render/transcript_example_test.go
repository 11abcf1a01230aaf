package render_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/go-openbadges/openbadges/render"
)

// Show a learner's Comprehensive Learner Record as a transcript: HTML
// recognises a ClrCredential and lays it out as a table of achievements
// with their results and dates, and the associations between them.
func ExampleRenderer_Transcript() {
	record, err := os.ReadFile("testdata/clr20/simple.json") // a 1EdTech sample record
	if err != nil {
		log.Fatal(err)
	}
	r, err := render.New(render.Config{})
	if err != nil {
		log.Fatal(err)
	}
	t, err := r.Transcript(context.Background(), record, &render.Options{Lang: "fr"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(t.Words.Transcript, "·", t.Title, "·", t.Issuer.Name)
	for _, e := range t.Entries {
		fmt.Printf("%s: %s (%s)\n", e.Anchor, e.Title, e.Issuer)
	}
	for _, a := range t.Associations {
		fmt.Println(a.Source, a.Relation, a.Target)
	}
	page, err := r.HTML(context.Background(), record, &render.Options{Lang: "fr"}) // the same, as a page
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(page) > 0)
	// Output:
	// Relevé complet des acquis · Sample Transcript · Example University
	// a1: Teamwork (Example Corp)
	// a2: Achievement 1 ()
	// a3: Achievement 2 ()
	// Achievement 1 englobe Achievement 2
	// true
}
