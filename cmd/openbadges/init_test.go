package main

import (
	"os"
	"strings"
	"testing"
)

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
