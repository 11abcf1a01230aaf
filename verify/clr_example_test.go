package verify_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/go-openbadges/openbadges/verify"
)

// Verify a learner's Comprehensive Learner Record: the record's own proof
// and checks, then every credential it holds, each with its own report.
func ExampleVerify_clr() {
	record, err := os.ReadFile("testdata/clr20/simple.json")
	if err != nil {
		log.Fatal(err)
	}
	// The issuers' controller documents, which confirm their keys (here,
	// test documents; in production, fetched or kept by the verifier).
	docs := map[string][]byte{}
	for issuer, file := range map[string]string{
		"https://example.edu/issuers/565049": "testdata/issuers/example.edu_issuers_565049.json",
		"https://example.com/issuers/876543": "testdata/issuers/example.com_issuers_876543.json",
	} {
		if docs[issuer], err = os.ReadFile(file); err != nil {
			log.Fatal(err)
		}
	}
	rep, err := verify.Verify(context.Background(), record, &verify.Trust{Documents: docs},
		&verify.Policy{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rep.Class, rep.Verified, rep.Check(verify.CheckCredentials).Message)
	for i, c := range rep.Credentials {
		fmt.Println(i, c.Class, c.Issuer, c.Verified)
	}
	// Output:
	// ClrCredential true 1 embedded credential(s) verify
	// 0 AchievementCredential https://example.com/issuers/876543 true
}
