package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/go-openbadges/openbadges/credential"
)

// TestQuickstart runs the example and checks what it prints: a valid,
// unsigned OpenBadgeCredential for the hashed learner.
func TestQuickstart(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run(&stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	if got, want := stderr.String(), "valid AchievementCredential (VCDM 2.0), not yet signed:\n"; got != want {
		t.Errorf("stderr = %q, want %q", got, want)
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
	if len(c.Proof) != 0 {
		t.Error("the quickstart does not sign yet, but a proof is present")
	}
}
