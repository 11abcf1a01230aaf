package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCLRExamples runs the examples of openbadges help clr, in order, in a
// folder where what they name exists: a did:web issuer made by init whose
// configuration has three courses and a program made of them, a learner
// who holds credentials of it (by email address, and by id, two of them
// in badges/, one baked), and its published documents.
func TestCLRExamples(t *testing.T) {
	t.Chdir(t.TempDir())
	if status, _, stderr := call(t, "", "init", "--dir", "issuer", "--name", "Example University", "--url", "https://example.edu"); status != exitOK {
		t.Fatalf("init: %s", stderr)
	}
	cfg, err := os.ReadFile(filepath.Join(origDir, "testdata", "script", "clr.txt"))
	if err != nil {
		t.Fatal(err)
	}
	// The configuration clr.txt holds: the courses and the program.
	_, conf, ok := bytes.Cut(cfg, []byte("-- issuer.json --\n"))
	if !ok {
		t.Fatal("clr.txt holds no issuer.json")
	}
	conf, _, _ = bytes.Cut(conf, []byte("\n-- "))
	if err := os.WriteFile("issuer/issuer.json", conf, 0o644); err != nil {
		t.Fatal(err)
	}
	badge, err := os.ReadFile(filepath.Join(origDir, "testdata", "issue", "badge.png"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("badge.png", badge, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir("badges", 0o755); err != nil {
		t.Fatal(err)
	}
	issue := func(achievement, recipient string, extra ...string) string {
		t.Helper()
		args := append([]string{"issue", "--config", "issuer/issuer.json", "--achievement", "https://example.edu/achievements/" + achievement, "--recipient", recipient}, extra...)
		status, stdout, stderr := call(t, "", args...)
		if status != exitOK {
			t.Fatalf("%q: %s", args, stderr)
		}
		return stdout
	}
	issue("stats-101", "emailAddress:ada@example.org")
	issue("data-viz", "emailAddress:ada@example.org")
	if err := os.WriteFile("badges/a.json", []byte(issue("stats-101", "id:did:example:ada")), 0o644); err != nil {
		t.Fatal(err)
	}
	issue("data-viz", "id:did:example:ada", "--bake", "badge.png", "--out", "badges/b.png")
	if status, _, stderr := call(t, "", "publish", "--config", "issuer/issuer.json", "--out", "issuer/public"); status != exitOK {
		t.Fatalf("publish: %s", stderr)
	}
	for _, ex := range commands()["clr"].examples {
		t.Run(ex.line, func(t *testing.T) { runExample(t, ex.line) })
	}
	// The first example's record verifies offline, each credential in it.
	status, stdout, stderr := call(t, "", "verify", "--offline-map", "issuer/public/map.json", "ada-clr.json")
	if status != exitOK || !strings.Contains(stdout, "ada-clr.json: VERIFIED: json ClrCredential") || !strings.Contains(stdout, "2 embedded credential(s) verify") {
		t.Errorf("verify ada-clr.json: exit %d\n%s%s", status, stdout, stderr)
	}
}
