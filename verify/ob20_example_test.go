package verify_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/go-openbadges/openbadges/verify"
)

// Example_openBadges20 verifies a signed Open Badges 2.0 assertion offline:
// the issuer's Profile, its key (a CryptographicKey with publicKeyPem), the
// BadgeClass and the revocation list come from the offline map, as a
// wallet keeps them.
func Example_openBadges20() {
	dir := "testdata/ob20/jose"
	m, err := os.ReadFile(dir + "/offline-map.json")
	if err != nil {
		panic(err)
	}
	docs, err := verify.ParseDocumentMap(m, dir)
	if err != nil {
		panic(err)
	}
	badge, err := os.ReadFile(dir + "/recipient-embedded-badge.jws")
	if err != nil {
		panic(err)
	}
	v, err := verify.New(verify.Trust{Documents: docs})
	if err != nil {
		panic(err)
	}
	rep, err := v.Verify(context.Background(), badge, &verify.Policy{
		Now:       time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		Recipient: &verify.Identity{Type: "emailAddress", Value: "nobody@example.org"},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(rep.Verified, rep.Version, rep.Class, rep.Encoding, rep.Issuer)
	for _, id := range []string{verify.CheckBadge, verify.CheckProof, verify.CheckStatus, verify.CheckRecipient} {
		c := rep.Check(id)
		fmt.Printf("%s %s: %s\n", c.ID, c.Outcome, c.Message)
	}
	// Output:
	// true OB 2.0 Assertion signed https://example.org/organization.json
	// badge passed: BadgeClass "Ephemeral Robotics Badge" (urn:uuid:0e4d7c1f-2b7a-4f1e-8a53-1f2e3d4c5b6a, embedded) by An Example Badge Issuer, whose Profile was read from its id
	// proof passed: verified: RS256 by https://example.org/publicKey.json, a key of the issuer's Profile that names the issuer as its owner
	// status passed: not revoked: the issuer's revocation list https://example.org/revocationList.json does not list it
	// recipient passed: the recipient's email (hashed) matches
}
