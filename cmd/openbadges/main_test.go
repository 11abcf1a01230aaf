package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// call runs a command line with stdin and returns its exit status and
// outputs.
func call(t *testing.T, stdin string, args ...string) (status int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	status = run(args, env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut})
	return status, out.String(), errOut.String()
}

func TestValidate(t *testing.T) {
	valid, err := os.ReadFile("testdata/valid.json")
	if err != nil {
		t.Fatal(err)
	}
	notJSON := filepath.Join(t.TempDir(), "notjson.json")
	if err := os.WriteFile(notJSON, []byte("this is not JSON"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		stdin  string
		args   []string
		status int
		stdout string // exact
		stderr string // substring; "" means empty
	}{
		{"valid file", "", []string{"validate", "testdata/valid.json"}, 0,
			"testdata/valid.json: valid AchievementCredential (VCDM 2.0; 0 errors, 0 warnings)\n", ""},
		{"valid stdin", string(valid), []string{"validate", "-"}, 0,
			"standard input: valid AchievementCredential (VCDM 2.0; 0 errors, 0 warnings)\n", ""},
		{"invalid", "", []string{"validate", "testdata/invalid-issuer-type.json"}, 1,
			"/issuer/type: type must include \"Profile\", got \"InvalidProfile\" [type]\n" +
				"testdata/invalid-issuer-type.json: invalid AchievementCredential (VCDM 2.0; 1 error, 0 warnings)\n", ""},
		{"valid with a warning", "", []string{"validate", "testdata/warning-proof-object.json"}, 0,
			"warning: /proof: want an array, got an object (JSON-LD reads this form the same way, so the credential is valid; but software that checks plain JSON against the OB 3.0 schema will reject it) [schema/type]\n" +
				"testdata/warning-proof-object.json: valid AchievementCredential (VCDM 2.0; 0 errors, 1 warning)\n", ""},
		{"JSON but not a credential", "[1,2]", []string{"validate", "-"}, 1,
			"/: want an AchievementCredential object, got an array [decode]\n" +
				"standard input: invalid AchievementCredential (1 error, 0 warnings)\n", ""},
		{"duplicate member", `{"id":"a","id":"b"}`, []string{"validate", "-"}, 1,
			"/id: duplicate object member \"id\" [decode]\nstandard input: invalid document (1 error, 0 warnings)\n", ""},
		{"not JSON", "", []string{"validate", notJSON}, 2, "", "invalid JSON at byte 2: invalid character 'h'"},
		{"empty stdin", "", []string{"validate", "-"}, 2, "", "unexpected end of JSON input"},
		{"missing file", "", []string{"validate", "testdata/nope.json"}, 2, "", "no such file"},
		{"too large", string(valid), []string{"validate", "--max-bytes", "100", "-"}, 2, "", "standard input is larger than 100 bytes"},
		{"no file", "", []string{"validate"}, 2, "", "usage: openbadges validate [--json] FILE|-"},
		{"two files", "", []string{"validate", "a", "b"}, 2, "", "usage: openbadges validate"},
		{"bad flag", "", []string{"validate", "--nope", "x"}, 2, "", "flag provided but not defined: -nope"},
		{"no command", "", nil, 2, "", "usage: openbadges <command>"},
		{"unknown command", "", []string{"frobnicate"}, 2, "", `unknown command "frobnicate"`},
		{"help", "", []string{"help"}, 0, "", ""},
		{"help validate", "", []string{"help", "validate"}, 0,
			"usage: openbadges validate [--json] FILE|-\n\ncheck a credential against the OB 3.0 JSON Schema and data model rules\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, stdout, stderr := call(t, tt.stdin, tt.args...)
			if status != tt.status {
				t.Errorf("exit status %d, want %d (stderr: %s)", status, tt.status, stderr)
			}
			if tt.name != "help" && stdout != tt.stdout {
				t.Errorf("stdout:\n%s\nwant:\n%s", stdout, tt.stdout)
			}
			if tt.stderr == "" && stderr != "" || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr %q, want it to contain %q", stderr, tt.stderr)
			}
		})
	}
}

func TestValidateJSON(t *testing.T) {
	status, stdout, stderr := call(t, "", "validate", "--json", "testdata/invalid-issuer-type.json")
	if status != 1 || stderr != "" {
		t.Fatalf("status %d, stderr %q", status, stderr)
	}
	var got validateReport
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, stdout)
	}
	want := validateReport{
		File: "testdata/invalid-issuer-type.json", Valid: false, Class: "AchievementCredential", Version: "VCDM 2.0",
		Problems: []problemReport{{Pointer: "/issuer/type", Rule: "type", Severity: "error", Message: `type must include "Profile", got "InvalidProfile"`}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("report (-want +got):\n%s", diff)
	}

	status, stdout, _ = call(t, "", "validate", "--json", "testdata/valid.json")
	if status != 0 || !strings.Contains(stdout, `"problems": []`) || !strings.Contains(stdout, `"valid": true`) {
		t.Errorf("valid: status %d, output %s", status, stdout)
	}
}

func TestVersion(t *testing.T) {
	status, stdout, _ := call(t, "", "version")
	if status != 0 || !strings.HasPrefix(stdout, "openbadges ") {
		t.Errorf("version: %d %q", status, stdout)
	}
}
