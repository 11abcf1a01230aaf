package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestQuickstart runs the example and checks what it prints: the award,
// the baked image, and a verification report in which every check passed
// or was skipped, the status was read from the published list, and the
// recipient is Ada.
func TestQuickstart(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run(&stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s%s", err, stderr.String(), stdout.String())
	}
	for _, want := range []string{"awarded: ", "baked into a "} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
	out := stdout.String()
	for _, want := range []string{
		"VERIFIED: png AchievementCredential (VCDM 2.0) from did:key:",
		"  proof             passed        verified: eddsa-rdfc-2022 by did:key:",
		"  status            passed        not revoked or suspended (1 status entry checked)",
		"  recipient         passed        the subject's emailAddress identifier (hashed) matches",
		"  input             passed        a JSON credential baked into PNG",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
		if !strings.Contains(line, " passed ") && !strings.Contains(line, " skipped ") {
			t.Errorf("a check neither passed nor was skipped: %s", line)
		}
	}
	if strings.Contains(out, "ada@example.org") {
		t.Error("the report shows the learner's email address")
	}
}
