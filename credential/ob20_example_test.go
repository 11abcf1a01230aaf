package credential_test

import (
	"fmt"
	"log"
	"os"

	"github.com/go-openbadges/openbadges/credential"
)

// Read an Open Badges 2.0 assertion, such as the JSON baked into a badge
// image or the payload of a signed badge.
func ExampleParseOB2Assertion() {
	data, err := os.ReadFile("testdata/ob20/val/basic-assertion.json")
	if err != nil {
		log.Fatal(err)
	}
	a, err := credential.ParseOB2Assertion(data, nil)
	if err != nil {
		log.Fatal(err)
	}
	issued, err := a.IssuedOn.Time()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(a.ID)
	fmt.Println("badge:", a.Badge.ID, "(a link:", a.Badge.Reference, ")")
	fmt.Println("hosted:", a.Verification.Hosted(), "issued:", issued)
	// Output:
	// https://example.org/beths-robotics-badge.json
	// badge: https://example.org/robotics-badge.json (a link: true )
	// hosted: true issued: 2016-12-31 23:59:59 +0000 UTC
}

// Check an OB 2.0 document against the specification's rules.
func ExampleCheckOB2() {
	data, err := os.ReadFile("testdata/ob20/spec/intro-assertion.json")
	if err != nil {
		log.Fatal(err)
	}
	r, err := credential.CheckOB2(data, nil)
	if err != nil {
		log.Fatal(err) // not JSON, or too large
	}
	fmt.Println(r.Class, r.Valid())
	for _, p := range r.Problems {
		fmt.Println(p)
	}
	// Output:
	// Assertion false
	// /recipient/hashed: hashed is required [ob2/required]
}

// Is this badge awarded to nobody@example.org? OB 2.0 recipients are
// usually hashed with a salt.
func ExampleOB2IdentityObject_Match() {
	recipient := credential.OB2IdentityObject{
		Type:     "email",
		Hashed:   true,
		Salt:     "deadsea",
		Identity: "sha256$ecf5409f3f4b91ab60cc5ef4c02aef7032354375e70cf4d8e43f6a1d29891942",
	}
	for _, email := range []string{"nobody@example.org", "Nobody@Example.org", "somebody@example.org"} {
		ok, err := recipient.Match(email)
		if err != nil {
			log.Fatal(err) // not sha256$ or md5$ and a hex digest
		}
		fmt.Println(email, ok)
	}
	// Output:
	// nobody@example.org true
	// Nobody@Example.org true
	// somebody@example.org false
}
