package verify_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/go-openbadges/openbadges/verify"
)

// A wallet verifies a badge file it holds, offline.
func Example() {
	badge, err := os.ReadFile("testdata/ob30/simple.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := verify.Verify(context.Background(), badge, &verify.Options{
		Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), // omit for the current time
	})
	if err != nil {
		fmt.Println("cannot verify:", err)
		return
	}
	fmt.Println("verified:", rep.Verified)
	fmt.Println("issuer:", rep.Issuer)
	fmt.Println(rep.Check(verify.CheckValidity).Message)
	// Output:
	// verified: true
	// issuer: https://example.com/issuers/876543
	// valid since 2010-01-01T00:00:00Z, with no end
}

// A hiring platform verifies a baked PNG a candidate uploaded, and checks it
// was issued to the candidate's email address.
func Example_bakedPNG() {
	img, err := os.ReadFile("testdata/ob30/simple-json.png")
	if err != nil {
		fmt.Println(err)
		return
	}
	v, err := verify.New(verify.Options{
		Now:       time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		Recipient: &verify.Identity{Type: "id", Value: "did:example:ebfeb1f712ebc6f1c276e12ec21"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := v.Verify(context.Background(), img)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rep.Input, rep.Verified)
	fmt.Println(rep.Check(verify.CheckRecipient).Message)
	// Output:
	// png true
	// the subject's id is did:example:ebfeb1f712ebc6f1c276e12ec21
}

// An LMS receives a VC-JWT from an API and prints the report a person reads.
func Example_jwt() {
	token, err := os.ReadFile("testdata/ob30/simple.jwt")
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := verify.Verify(context.Background(), token, &verify.Options{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range rep.Failed() {
		fmt.Println(c.ID)
	}
	// Output:
	// jsonld
	// context
	// rules
	// proof
}
