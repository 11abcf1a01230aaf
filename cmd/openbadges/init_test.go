package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInitToPublishedIssuer is issue 21's new user, start to finish, from
// an empty folder: init a did:web issuer, issue a term of 100 results from
// a CSV (and one borderline), revoke one, approve the borderline one,
// publish, and check every badge offline from public/map.json alone: 99
// and the approved one verified, with the key confirmed by the published
// DID document, and the revoked one failing its status.
func TestInitToPublishedIssuer(t *testing.T) {
	t.Chdir(t.TempDir())
	must := func(want int, args ...string) string {
		t.Helper()
		status, stdout, stderr := call(t, "", args...)
		if status != want {
			t.Fatalf("openbadges %s: exit %d, want %d\n%s%s", strings.Join(args, " "), status, want, stdout, stderr)
		}
		return stdout
	}
	must(exitOK, "init", "--dir", "inst", "--name", "Example University", "--url", "https://example.edu")
	var csv strings.Builder
	csv.WriteString("achievement,recipient,score,evidence\n")
	for n := 1; n <= 100; n++ {
		fmt.Fprintf(&csv, "https://example.edu/achievements/example,emailAddress:learner%03d@example.org,%d,project=https://lms.example.edu/p/%d\n", n, 70+n%30, n)
	}
	csv.WriteString("https://example.edu/achievements/example,emailAddress:borderline@example.org,65,project=https://lms.example.edu/p/101\n")
	if err := os.WriteFile("results.csv", []byte(csv.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	must(exitOK, "issue", "--config", "inst/issuer.json", "--batch", "results.csv", "--out-dir", "badges")
	must(exitOK, "revoke", "--config", "inst/issuer.json", "--achievement", "https://example.edu/achievements/example",
		"--recipient", "emailAddress:learner007@example.org", "--reason", "issued in error")
	approved := must(exitOK, "review", "approve", "--achievement", "https://example.edu/achievements/example",
		"--recipient", "emailAddress:borderline@example.org", "--config", "inst/issuer.json", "--reviewer", "grace")
	if err := os.WriteFile(filepath.Join("badges", "approved.json"), []byte(approved), 0o644); err != nil {
		t.Fatal(err)
	}
	must(exitOK, "publish", "--config", "inst/issuer.json", "--out", "inst/public")

	files, _ := filepath.Glob(filepath.Join("badges", "*.json"))
	if len(files) != 101 {
		t.Fatalf("%d badges, want 100 and the approved one", len(files))
	}
	verified, revoked := 0, 0
	for _, f := range files {
		status, stdout, stderr := call(t, "", "verify", "--offline-map", "inst/public/map.json", f)
		switch {
		case status == exitOK && strings.Contains(stdout, "key bound to its controller: document"):
			verified++
		case status == exitNo && strings.Contains(stdout, "  status            failed        revoked"):
			revoked++
		default:
			t.Errorf("%s: exit %d\n%s%s", f, status, stdout, stderr)
		}
	}
	if verified != 100 || revoked != 1 {
		t.Errorf("%d verified and %d revoked, want 100 and 1", verified, revoked)
	}
}
