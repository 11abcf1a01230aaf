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

// TestInitP256: init --key-type p256 makes an issuer whose VC-JWTs are
// ES256 (and whose proofs ecdsa-rdfc-2019), published in its DID document,
// and both forms verify offline from public/map.json; init again keeps
// the key and says the flag did not replace it.
func TestInitP256(t *testing.T) {
	t.Chdir(t.TempDir())
	status, _, stderr := call(t, "", "init", "--dir", "inst", "--name", "Example University", "--url", "https://example.edu", "--key-type", "p256", "--formats", "both")
	if status != exitOK {
		t.Fatalf("init: exit %d\n%s", status, stderr)
	}
	status, stdout, stderr := call(t, "", "issue", "--config", "inst/issuer.json", "--achievement", "https://example.edu/achievements/example",
		"--recipient", "emailAddress:ada@example.org", "--score", "90", "--evidence", "project=https://lms.example.edu/p/1")
	if status != exitOK {
		t.Fatalf("issue: exit %d\n%s", status, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[1], "eyJ") {
		t.Fatalf("want the credential and its JWT, got %d lines", len(lines))
	}
	if status, _, stderr := call(t, "", "publish", "--config", "inst/issuer.json", "--out", "inst/public"); status != exitOK {
		t.Fatalf("publish: exit %d\n%s", status, stderr)
	}
	for name, want := range map[string]string{"cred.json": "ecdsa-rdfc-2019 by did:web:example.edu", "cred.jwt": "ES256 by did:web:example.edu"} {
		body := lines[0]
		if name == "cred.jwt" {
			body = lines[1]
		}
		if err := os.WriteFile(name, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		status, stdout, stderr := call(t, "", "verify", "--offline-map", "inst/public/map.json", name)
		if status != exitOK || !strings.Contains(stdout, want) || !strings.Contains(stdout, "key bound to its controller: document") {
			t.Errorf("verify %s: exit %d, want %q\n%s%s", name, status, want, stdout, stderr)
		}
	}
	status, _, stderr = call(t, "", "init", "--dir", "inst", "--name", "Example University", "--url", "https://example.edu", "--key-type", "ed25519")
	if status != exitOK || !strings.Contains(stderr, "the kept key is p256, not ed25519: a key is never replaced by init") {
		t.Errorf("init again with another key type: exit %d\n%s", status, stderr)
	}
	if status, _, stderr := call(t, "", "init", "--dir", "other", "--name", "A", "--url", "https://example.edu", "--key-type", "rsa"); status != exitCantRun || !strings.Contains(stderr, `--key-type "rsa": want ed25519 or p256`) {
		t.Errorf("--key-type rsa: exit %d\n%s", status, stderr)
	}
}
