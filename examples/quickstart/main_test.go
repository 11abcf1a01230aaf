package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
)

// TestQuickstart runs the example and checks what it prints: a valid,
// signed OpenBadgeCredential for the hashed learner, whose proof verifies
// and is made by its issuer.
func TestQuickstart(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run(&stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	c0, err := credential.ParseAchievementCredential(stdout.Bytes(), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := "valid AchievementCredential (VCDM 2.0), signed with eddsa-rdfc-2022 by " + c0.Issuer.ID + ", verified:\n"
	if got := stderr.String(); got != want {
		t.Errorf("stderr = %q, want %q", got, want)
	}
	vr, err := (&dataintegrity.Verifier{}).Verify(context.Background(), stdout.Bytes())
	if err != nil || !vr.Verified || vr.Proofs[0].Method.Controller != c0.Issuer.ID {
		t.Fatalf("printed credential does not verify as its issuer's: %v %v", err, vr.Err())
	}
	res, err := credential.Check(stdout.Bytes(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Valid() || len(res.Problems) != 0 {
		t.Errorf("printed credential has problems: %v", res.Problems)
	}
	c, err := credential.ParseAchievementCredential(stdout.Bytes(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := c.CredentialSubject.Identifier[0].Match("ada@example.org"); !ok || err != nil {
		t.Errorf("printed credential is not Ada's: %v %v", ok, err)
	}
	if strings.Contains(stdout.String(), "ada@example.org") {
		t.Error("the credential reveals the learner's email address")
	}
	if len(c.Proof) != 1 {
		t.Errorf("%d proofs, want 1", len(c.Proof))
	}
}
