package credential_test

import (
	"fmt"
	"log"
	"os"
	"time"

	"github.com/go-openbadges/openbadges/credential"
)

// Build the credential an LMS issues when a learner passes a course.
func ExampleNewAchievementCredential() {
	cred, err := credential.NewAchievementCredential(credential.Award{
		Issuer: &credential.Profile{ID: "https://example.edu/issuers/1", Name: "Example University"},
		Achievement: &credential.Achievement{
			ID:          "https://example.edu/achievements/intro-go",
			Name:        "Introduction to Go",
			Description: "Completed the introductory Go course.",
			Criteria:    &credential.Criteria{Narrative: "Pass the final exam."},
		},
		RecipientID: "did:example:ada",
		ID:          "urn:uuid:5b6c8a8e-2f5e-4b0a-9d57-6a1f1c0c6d2e", // usually left empty: a fresh urn:uuid
		ValidFrom:   time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC),  // usually left empty: now
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cred.Context.URLs())
	fmt.Println(cred.Type, cred.ValidFrom)
	fmt.Println(cred.CredentialSubject.Achievement.Type, cred.CredentialSchema[0].Type)
	// Output:
	// [https://www.w3.org/ns/credentials/v2 https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json https://purl.imsglobal.org/spec/ob/v3p0/extensions.json]
	// [VerifiableCredential OpenBadgeCredential] 2026-11-28T12:00:00Z
	// [Achievement] 1EdTechJsonSchemaValidator2019
}

// Read a credential received from elsewhere.
func ExampleParseAchievementCredential() {
	data, err := os.ReadFile("testdata/validator/ob30/simple.json")
	if err != nil {
		log.Fatal(err)
	}
	cred, err := credential.ParseAchievementCredential(data, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cred.Version(), cred.Issuer.Name, cred.CredentialSubject.Achievement.Name)
	fmt.Println(cred.Proof[0].Cryptosuite)
	// Output:
	// VCDM 2.0 Example Corp Teamwork
	// eddsa-rdfc-2022
}

// Check a document the way `openbadges validate` does: JSON Schema and
// data model rules, with JSON pointers.
func ExampleCheck() {
	data, err := os.ReadFile("testdata/validator/ob30/simple-err-issuer-type.json")
	if err != nil {
		log.Fatal(err)
	}
	res, err := credential.Check(data, nil) // err: not JSON, or over the size limits
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Class, res.Version, "valid:", res.Valid())
	for _, p := range res.Problems {
		fmt.Println(p)
	}
	// Output:
	// AchievementCredential VCDM 2.0 valid: false
	// /issuer/type: type must include "Profile", got "InvalidProfile" [type]
}

// Validate reports every rule a credential breaks.
func ExampleAchievementCredential_Validate() {
	cred := &credential.AchievementCredential{}
	cred.Context = credential.ContextURLs(credential.ContextVCDM20, credential.ContextOB)
	cred.ID = "urn:uuid:1"
	cred.Type = credential.Types{"VerifiableCredential", "OpenBadgeCredential"}
	cred.Issuer = &credential.Profile{ID: "https://example.edu/issuers/1"}
	cred.ValidFrom = "2026-11-28T12:00:00" // no time zone
	cred.CredentialSubject = credential.AchievementSubject{
		Type:        credential.Types{"AchievementSubject"},
		Achievement: &credential.Achievement{ID: "https://example.edu/a", Type: credential.Types{"Achievement"}, Name: "A", Description: "B", Criteria: &credential.Criteria{}},
	}
	if err := cred.Validate(); err != nil {
		for _, p := range err.(*credential.ValidationError).Problems {
			fmt.Println(p)
		}
	}
	// Output:
	// /credentialSubject/achievement/criteria/id: criteria needs an id (a page describing them) or a narrative [criteria]
	// /credentialSubject/id: credentialSubject needs an id or at least one identifier [subject-id]
	// /validFrom: validFrom: date-time "2026-11-28T12:00:00" has no time zone [datetime]
}

// Name the learner by a salted hash of their email address, and later check
// that an address is theirs.
func ExampleNewHashedIdentity() {
	id := credential.NewHashedIdentity(credential.IdentifierTypeEmailAddress, "ada@example.org")
	fmt.Println(id.Hashed, len(id.Salt))
	ok, err := id.Match("ada@example.org")
	fmt.Println(ok, err)
	ok, err = id.Match("eve@example.org")
	fmt.Println(ok, err)
	// Output:
	// true 32
	// true <nil>
	// false <nil>
}

// The spec's example of an IdentityHash.
func ExampleHashIdentity() {
	fmt.Println(credential.HashIdentity("a@example.com", "Kosher"))
	// Output:
	// sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399
}

// Check any Verifiable Credential, Open Badge or not, against the W3C VC
// Data Model, as an issuer does before signing what it was sent.
func ExampleCheckDataModel() {
	res, err := credential.CheckDataModel([]byte(`{
		"@context": ["https://www.w3.org/ns/credentials/v2"],
		"type": ["VerifiableCredential"],
		"issuer": "did:example:issuer",
		"validFrom": "2025-01-01T00:00:00Z",
		"credentialSubject": {"id": "did:example:subject"},
		"credentialStatus": {"id": "https://example.org/status/1#94567"}
	}`), nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Class, res.Version, res.Valid())
	for _, p := range res.Problems {
		fmt.Println(p)
	}
	// Output:
	// VerifiableCredential VCDM 2.0 false
	// /credentialStatus/type: each credentialStatus entry must have a type, such as BitstringStatusListEntry [vcdm/credentialStatus-type]
}

// Check a presentation and the credentials in it.
func ExampleCheckPresentationDataModel() {
	res, err := credential.CheckPresentationDataModel([]byte(`{
		"@context": ["https://www.w3.org/ns/credentials/v2"],
		"type": ["VerifiablePresentation"],
		"holder": {"name": "Acme"},
		"verifiableCredential": ["eyJhbGciOiJFUzI1NiJ9.e30.c2ln"]
	}`), nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range res.Problems {
		fmt.Println(p.Pointer, p.Rule)
	}
	// Output:
	// /holder/id vcdm/holder
	// /verifiableCredential/0 vcdm/verifiableCredential
}
