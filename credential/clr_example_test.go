package credential_test

import (
	"encoding/json"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/go-openbadges/openbadges/credential"
)

// Assemble a learner's record from the credentials they hold. Each signed
// credential goes in as the bytes its issuer signed (json.RawMessage),
// never re-encoded, so that its proof still verifies inside the record.
func ExampleNewClrCredential() {
	signed, err := os.ReadFile("testdata/validator/ob30/simple.json") // a signed OpenBadgeCredential
	if err != nil {
		log.Fatal(err)
	}
	clr, err := credential.NewClrCredential(credential.LearnerRecord{
		Issuer:      &credential.Profile{ID: "https://example.edu/issuers/565049", Name: "Example University"},
		LearnerID:   "did:example:ebfeb1f712ebc6f1c276e12ec21",
		Name:        "Transcript of Ada Lovelace",
		Credentials: []json.RawMessage{signed},
		Achievements: []credential.Achievement{{
			ID:          "https://example.edu/programs/teamwork-program",
			Name:        "Teamwork Program",
			Description: "The program the teamwork badge is part of.",
			Criteria:    &credential.Criteria{Narrative: "Earn every badge of the program."},
		}},
		Associations: []credential.Association{{
			AssociationType: credential.AssociationIsPartOf,
			SourceID:        "https://example.com/achievements/21st-century-skills/teamwork",
			TargetID:        "https://example.edu/programs/teamwork-program",
		}},
		ID:        "urn:uuid:0f7e9a42-8c1d-4c55-9a55-7c0a2d3b9e11", // usually left empty: a fresh urn:uuid
		ValidFrom: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC),    // usually left empty: now
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(clr.Context.URLs())
	fmt.Println(clr.Type, clr.CredentialSubject.Type)
	fmt.Println(clr.CredentialSubject.AchievementIDs())

	// Writing the record writes the embedded credential's bytes, compacted.
	out, err := credential.Marshal(clr)
	if err != nil {
		log.Fatal(err)
	}
	back, err := credential.ParseClrCredential(out, nil)
	if err != nil {
		log.Fatal(err)
	}
	inner, err := back.CredentialSubject.Credentials()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(inner[0].Issuer.Name, inner[0].Proof[0].Cryptosuite)
	// Output:
	// [https://www.w3.org/ns/credentials/v2 https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json https://purl.imsglobal.org/spec/ob/v3p0/extensions.json]
	// [VerifiableCredential ClrCredential] [ClrSubject]
	// [https://example.edu/programs/teamwork-program https://example.com/achievements/21st-century-skills/teamwork]
	// Example Corp eddsa-rdfc-2022
}

// Read a record received from elsewhere and list what it holds.
func ExampleParseClrCredential() {
	data, err := os.ReadFile("testdata/validator/clr20/simple.json")
	if err != nil {
		log.Fatal(err)
	}
	clr, err := credential.ParseClrCredential(data, nil)
	if err != nil {
		log.Fatal(err)
	}
	creds, err := clr.CredentialSubject.Credentials()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(clr.Name, "from", clr.Issuer.Name)
	for _, c := range creds {
		fmt.Println("-", c.CredentialSubject.Achievement.Name, "from", c.Issuer.Name)
	}
	for _, a := range clr.CredentialSubject.Association {
		fmt.Println(a.SourceID, a.AssociationType, a.TargetID)
	}
	// Output:
	// Sample Transcript from Example University
	// - Teamwork from Example Corp
	// urn:uuid:a7467ef6-56cb-11ec-bf63-0242ac130002 isParentOf urn:uuid:dd887f0a-56cb-11ec-bf63-0242ac130002
}
