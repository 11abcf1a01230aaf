package verify_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/go-openbadges/openbadges/verify"
)

// A wallet verifies a badge file it holds, offline. The badge's issuer is
// an https URL: its key is confirmed by the issuer's controller document,
// which the wallet keeps (testdata/issuers holds one made for the
// 1EdTech fixtures). Without it, the report would be inconclusive, not
// verified.
func Example() {
	badge, err := os.ReadFile("testdata/ob30/simple.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	issuerDoc, err := os.ReadFile("testdata/issuers/example.com_issuers_876543.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := verify.Verify(context.Background(), badge, &verify.Trust{
		Documents: map[string][]byte{"https://example.com/issuers/876543": issuerDoc},
	}, &verify.Policy{
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
// was issued to the candidate's email address. It keeps the documents of
// the issuers it accepts, which confirm their keys; with a Fetcher in the
// Trust it could fetch them instead.
func Example_bakedPNG() {
	img, err := os.ReadFile("testdata/ob30/simple-json.png")
	if err != nil {
		fmt.Println(err)
		return
	}
	issuerDoc, err := os.ReadFile("testdata/issuers/example.com_issuers_876543.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	v, err := verify.New(verify.Trust{
		Documents: map[string][]byte{"https://example.com/issuers/876543": issuerDoc},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := v.Verify(context.Background(), img, &verify.Policy{
		Now:       time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		Recipient: &verify.Identity{Type: "id", Value: "did:example:ebfeb1f712ebc6f1c276e12ec21"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rep.Input, rep.Verified)
	fmt.Println(rep.Check(verify.CheckProof).Message)
	fmt.Println(rep.Check(verify.CheckRecipient).Message)
	// Output:
	// png true
	// verified: eddsa-rdfc-2022 by https://example.com/issuers/876543 (key bound to its controller: document)
	// the subject's id is did:example:ebfeb1f712ebc6f1c276e12ec21
}

// An LMS receives a VC-JWT from an API and prints the report a person reads.
func Example_jwt() {
	token, err := os.ReadFile("testdata/ob30/simple.jwt")
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := verify.Verify(context.Background(), token, nil, &verify.Policy{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
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

// A badge whose issuer's document the verifier does not have is not
// verified: nothing failed, but nothing confirmed the key either, and the
// report says what would settle it.
func Example_inconclusive() {
	badge, err := os.ReadFile("testdata/ob30/simple.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := verify.Verify(context.Background(), badge, nil, &verify.Policy{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rep.Verified, rep.Inconclusive, len(rep.Failed()))
	fmt.Println(rep.Check(verify.CheckProof).Outcome)
	// Output:
	// false true 0
	// indeterminate
}

// A wallet shows a badge from its report alone: the summary says who
// issued it and for what, and the typed details say how the key that
// signed it is known to be the issuer's. (What the summary says is
// confirmed only when the report is verified.)
func ExampleCheck_details() {
	badge, err := os.ReadFile("testdata/ob30/simple.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	issuerDoc, err := os.ReadFile("testdata/issuers/example.com_issuers_876543.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := verify.Verify(context.Background(), badge, &verify.Trust{
		Documents: map[string][]byte{"https://example.com/issuers/876543": issuerDoc},
	}, &verify.Policy{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		fmt.Println(err)
		return
	}
	if s := rep.Summary; s != nil && rep.Verified {
		fmt.Printf("%s, by %s, since %s\n", s.AchievementName, s.IssuerName, s.ValidFrom.Format(time.DateOnly))
	}
	proofs, _ := rep.Check(verify.CheckProof).Details.([]verify.ProofDetail)
	for _, p := range proofs {
		fmt.Printf("%s verified=%v binding=%s\n", p.Type, p.Verified, p.Binding)
	}
	if v, ok := rep.Check(verify.CheckValidity).Details.(*verify.ValidityDetail); ok {
		fmt.Println("checked at", v.Now)
	}
	// Output:
	// Teamwork, by Example Corp, since 2010-01-01
	// eddsa-rdfc-2022 verified=true binding=document
	// checked at 2026-01-01T00:00:00Z
}
