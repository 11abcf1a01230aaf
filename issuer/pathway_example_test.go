package issuer_test

import (
	"context"
	"fmt"
	"log"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/issuer"
	"github.com/go-openbadges/openbadges/keys"
)

// exampleKeys returns a did:key issuer's id and key store.
func exampleKeys(ctx context.Context) (string, keys.Store) {
	signer, err := keys.Generate(keys.Ed25519)
	if err != nil {
		log.Fatal(err)
	}
	did, _ := keys.DIDKey(signer.Public())
	vm, _ := keys.DIDKeyVerificationMethod(signer.Public())
	k, err := keys.NewKey(vm, did, signer)
	if err != nil {
		log.Fatal(err)
	}
	store := &keys.MemoryStore{}
	if err := store.Add(ctx, k); err != nil {
		log.Fatal(err)
	}
	return did, store
}

// A program made of two courses, awarded the moment the learner holds
// both: the award of the second course completes it, and Issue returns
// the program's award in Pathways.
func ExamplePathway() {
	ctx := context.Background()
	did, store := exampleKeys(ctx)
	const (
		stats   = "https://example.edu/achievements/stats-101"
		viz     = "https://example.edu/achievements/data-viz"
		program = "https://example.edu/achievements/data-science"
	)
	achievement := func(id, name string) *credential.Achievement {
		return &credential.Achievement{ID: id, Name: name, Description: "The " + name + ".", Criteria: &credential.Criteria{Narrative: "Complete it."}}
	}
	iss, err := issuer.New(issuer.Config{
		Issuer: &credential.Profile{ID: did, Name: "Example University"},
		Keys:   store,
		Achievements: []issuer.Achievement{
			{Achievement: achievement(stats, "Statistics 101"), Evaluator: issuer.Completion{}},
			{Achievement: achievement(viz, "Data Visualization"), Evaluator: issuer.Completion{}},
			// All of them (N: 0), in this order; N: 1 would be either.
			{Achievement: achievement(program, "Data Science Program"), Pathway: &issuer.Pathway{Of: []string{stats, viz}, Ordered: true}},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	ada := issuer.Learner{Email: "ada@example.org"}
	for _, course := range []string{stats, viz} {
		out, err := iss.Issue(ctx, &issuer.Submission{Learner: ada, AchievementID: course, Completed: true})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(out.AchievementID, out.State)
		for _, p := range out.Pathways {
			fmt.Println("  completes", p.AchievementID, p.State)
			fmt.Println("  ", p.Decision.Reasons[0])
		}
	}
	for _, a := range iss.Associations() {
		fmt.Println(a.SourceID, a.AssociationType, a.TargetID)
	}
	// Output:
	// https://example.edu/achievements/stats-101 issued
	// https://example.edu/achievements/data-viz issued
	//   completes https://example.edu/achievements/data-science issued
	//    2 of 2 achievements of the pathway held, 2 required
	// https://example.edu/achievements/stats-101 isPartOf https://example.edu/achievements/data-science
	// https://example.edu/achievements/data-viz isPartOf https://example.edu/achievements/data-science
	// https://example.edu/achievements/stats-101 precedes https://example.edu/achievements/data-viz
}

// A pathway in a configuration file, among an achievement's criteria:
// two of three courses within two years.
func ExampleFilePathway() {
	fc, err := issuer.ParseConfig([]byte(`{
  "issuer": "did:web:example.edu",
  "achievements": [
    {"achievement": {"id": "https://example.edu/achievements/stats-101", "type": ["Achievement"], "name": "Statistics 101", "description": "A course.", "criteria": {"narrative": "Complete it."}},
     "criteria": {"completion": true}},
    {"achievement": {"id": "https://example.edu/achievements/data-viz", "type": ["Achievement"], "name": "Data Visualization", "description": "A course.", "criteria": {"narrative": "Complete it."}},
     "criteria": {"completion": true}},
    {"achievement": {"id": "https://example.edu/achievements/ml-201", "type": ["Achievement"], "name": "Machine Learning 201", "description": "A course.", "criteria": {"narrative": "Complete it."}},
     "criteria": {"completion": true}},
    {"achievement": {"id": "https://example.edu/achievements/data-science", "type": ["Achievement"], "name": "Data Science Certificate", "description": "Two of the three courses.", "criteria": {"narrative": "Earn two of the three course badges within two years."}},
     "criteria": {"pathway": {"nOf": 2, "of": ["https://example.edu/achievements/stats-101", "https://example.edu/achievements/data-viz", "https://example.edu/achievements/ml-201"], "within": "17520h"}}}
  ]
}`))
	if err != nil {
		log.Fatal(err)
	}
	awards, err := fc.Awards()
	if err != nil {
		log.Fatal(err)
	}
	p := awards[3].Pathway
	fmt.Println(p.N, "of", len(p.Of), "within", p.Within)
	// Output:
	// 2 of 3 within 17520h0m0s
}
