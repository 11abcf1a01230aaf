package main

import (
	"strings"
	"testing"
)

// TestVerifyCommand checks the full verification from the command line:
// each flag, the exit statuses, and a report a person can read.
func TestVerifyCommand(t *testing.T) {
	const d = "testdata/verify/"
	for _, tc := range []struct {
		name   string
		args   []string
		status int
		stdout []string // substrings
		stderr string
	}{
		{"baked PNG", []string{"verify", "--now", "2026-01-01T00:00:00Z", d + "simple-json.png"}, 0,
			[]string{d + "simple-json.png: VERIFIED: png AchievementCredential (VCDM 2.0) from https://example.com/issuers/876543\n", "  input             passed        a JSON credential baked into PNG\n"}, ""},
		{"recipient", []string{"verify", "--now", "2026-01-01T00:00:00Z", "--recipient", "id:did:example:ebfeb1f712ebc6f1c276e12ec21", d + "simple-json.png"}, 0,
			[]string{"  recipient         passed        the subject's id is did:example:ebfeb1f712ebc6f1c276e12ec21\n"}, ""},
		{"wrong recipient", []string{"verify", "--now", "2026-01-01T00:00:00Z", "--recipient", "id:did:example:eve", d + "simple-json.png"}, 1,
			[]string{"NOT VERIFIED", "  recipient         failed        the subject's id is \"did:example:ebfeb1f712ebc6f1c276e12ec21\", not \"did:example:eve\"\n"}, ""},
		{"untrusted issuer", []string{"verify", "--now", "2026-01-01T00:00:00Z", "--trust", "https://example.org/other", d + "simple-json.png"}, 1,
			[]string{"  issuer            failed        https://example.com/issuers/876543 is not one of the trusted issuers\n"}, ""},
		{"expired", []string{"verify", "--now", "2026-01-01T00:00:00Z", d + "simple-err-expired.json"}, 1,
			[]string{"  validity          failed        expired: validUntil was 2010-01-01T00:00:00Z\n"}, ""},
		{"revoked, list from the offline map", []string{"verify", "--now", "2026-01-01T00:00:00Z", "--offline-map", d + "offline-map.json", d + "credential-status-revoked.json"}, 1,
			[]string{"  status            failed        revoked: bit 23 of ", "  read https://raw.githubusercontent.com/1EdTech/digital-credentials-public-validator/refs/heads/main/inspector-vc/src/test/resources/ob30/bit-string-list/testlist from the offline map ("}, ""},
		{"status unknown offline", []string{"verify", "--now", "2026-01-01T00:00:00Z", d + "credential-status-revoked.json"}, 0,
			[]string{"VERIFIED (inconclusive)", "  status            indeterminate the status could not be decided: "}, ""},
		{"status unknown offline, required", []string{"verify", "--require-status", "--now", "2026-01-01T00:00:00Z", d + "credential-status-revoked.json"}, 1,
			[]string{"NOT VERIFIED"}, ""},
		{"JSON report", []string{"verify", "--json", "--now", "2026-01-01T00:00:00Z", d + "simple-err-expired.json"}, 1,
			[]string{`"verified": false`, `"id": "validity",` + "\n" + `      "outcome": "failed",`}, ""},
		{"bad --now", []string{"verify", "--now", "yesterday", d + "simple-json.png"}, 2, nil, "--now: parsing time"},
		{"bad --recipient", []string{"verify", "--recipient", "ada", d + "simple-json.png"}, 2, nil, `--recipient "ada": want TYPE:VALUE`},
		{"bad --context", []string{"verify", "--context", "nofile", d + "simple-json.png"}, 2, nil, `--context "nofile": want URL=FILE`},
		{"missing map file", []string{"verify", "--offline-map", d + "nope.json", d + "simple-json.png"}, 2, nil, "no such file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, stdout, stderr := call(t, "", tc.args...)
			if status != tc.status {
				t.Errorf("status = %d, want %d (stderr %q)\n%s", status, tc.status, stderr, stdout)
			}
			for _, s := range tc.stdout {
				if !strings.Contains(stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, stdout)
				}
			}
			if tc.stderr == "" && stderr != "" || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("stderr = %q, want it to contain %q", stderr, tc.stderr)
			}
		})
	}
}
