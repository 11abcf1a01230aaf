package main

import (
	"bytes"
	"context"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/go-openbadges/openbadges/keys"
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
			"usage: openbadges validate [--json] FILE|-\n\ncheck a credential against the OB 3.0 JSON Schema and data model rules\n\n" +
				"flags:\n" +
				"  --json\n    \tprint the result as JSON\n" +
				"  --max-bytes int\n    \trefuse documents larger than this many bytes (default 4194304)\n\n" +
				"examples:\n" +
				"  # check a credential: exit 0 valid, 1 invalid, 2 unreadable\n" +
				"  openbadges validate credential.json\n" +
				"  # check the credential baked into a badge, the problems as JSON\n" +
				"  openbadges extract baked.png | openbadges validate --json -\n", ""},
		{"flags after the file", "", []string{"validate", "testdata/valid.json", "--max-bytes", "100"}, 2, "", "testdata/valid.json is larger than 100 bytes"},
		{"a file named like a flag, after --", "", []string{"validate", "--", "--json"}, 2, "", "open --json: no such file"},
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
	status, stdout, _ = call(t, "", "version", "--json")
	var rep versionReport
	if err := json.Unmarshal([]byte(stdout), &rep); status != 0 || err != nil {
		t.Fatalf("version --json: %d %v %q", status, err, stdout)
	}
	if want := (versionReport{Version: "(devel)", Go: runtime.Version()}); rep.Version != "" && rep != want && rep.Go != want.Go {
		t.Errorf("version --json: %+v, want %+v", rep, want)
	}
}

// TestParseFlags checks that every command takes its flags before or after
// its arguments, that -- ends the flags and that - is an argument, on the
// FlagSets the commands themselves make (subcommands included).
func TestParseFlags(t *testing.T) {
	cmds := commands()
	tests := []struct {
		cmd    string // "status check" for a subcommand
		args   []string
		status int               // the exit status when it does not parse (or -h)
		want   []string          // fs.Args()
		flags  map[string]string // values after parsing; nil when it does not parse
	}{
		{"verify", []string{"cred.json", "--json"}, 0, []string{"cred.json"}, map[string]string{"json": "true"}},
		{"verify", []string{"--json", "cred.json"}, 0, []string{"cred.json"}, map[string]string{"json": "true"}},
		{"verify", []string{"cred.json", "--now", "2026-01-01T00:00:00Z", "--trust", "a", "--json", "--trust=b"}, 0, []string{"cred.json"},
			map[string]string{"now": "2026-01-01T00:00:00Z", "trust": "a,b", "json": "true"}},
		{"verify", []string{"-", "--offline-map", "-"}, 0, []string{"-"}, map[string]string{"offline-map": "-"}},
		{"verify", []string{"--json", "--", "--allow-network"}, 0, []string{"--allow-network"}, map[string]string{"json": "true", "allow-network": "false"}},
		{"verify", []string{"--", "-", "--json"}, 0, []string{"-", "--json"}, map[string]string{"json": "false"}},
		{"verify", []string{"cred.json", "--json=false", "-allow-network"}, 0, []string{"cred.json"}, map[string]string{"json": "false", "allow-network": "true"}},
		{"verify", []string{"cred.json", "--nope"}, exitCantRun, nil, nil},
		{"verify", []string{"--now", "cred.json"}, 0, nil, map[string]string{"now": "cred.json"}},
		{"verify", []string{"cred.json", "--now"}, exitCantRun, nil, nil},
		{"verify", []string{"cred.json", "-h"}, exitOK, nil, nil},
		{"validate", []string{"a.json", "--max-bytes", "10", "b.json"}, 0, []string{"a.json", "b.json"}, map[string]string{"max-bytes": "10"}},
		{"sign", []string{"cred.json", "--key", "-", "--format", "jwt"}, 0, []string{"cred.json"}, map[string]string{"key": "-", "format": "jwt"}},
		{"bake", []string{"--out", "-", "--image=badge.png", "--credential", "c.json"}, 0, nil, map[string]string{"out": "-", "image": "badge.png"}},
		{"present", []string{"a.json", "--key", "k.jwk", "b.json", "--challenge", "c"}, 0, []string{"a.json", "b.json"}, map[string]string{"key": "k.jwk", "challenge": "c"}},
		{"render", []string{"cred.json", "--out", "c.pdf", "--format", "pdf"}, 0, []string{"cred.json"}, map[string]string{"out": "c.pdf", "format": "pdf"}},
		{"extract", []string{"baked.png", "--json"}, 0, []string{"baked.png"}, map[string]string{"json": "true"}},
		{"version", []string{"--json"}, 0, nil, map[string]string{"json": "true"}},
		{"keygen", []string{"--json", "--type", "p256"}, 0, nil, map[string]string{"json": "true", "type": "p256"}},
		{"did resolve", []string{"did:web:example.edu", "--allow-network", "--json"}, 0, []string{"did:web:example.edu"}, map[string]string{"allow-network": "true", "json": "true"}},
		{"did resolve", []string{"did:web:example.edu", "--network"}, 0, []string{"did:web:example.edu"}, map[string]string{"allow-network": "true"}},
		{"status check", []string{"cred.json", "--json", "--offline-map", "map.json"}, 0, []string{"cred.json"}, map[string]string{"json": "true", "offline-map": "map.json"}},
		{"status revoke", []string{"--store", "lists", "--url", "https://example.edu/status/1", "--credential", "-"}, 0, nil, map[string]string{"credential": "-"}},
		{"review approve", []string{"ID", "--config", "issuer.json", "--reviewer", "grace"}, 0, []string{"ID"}, map[string]string{"config": "issuer.json", "reviewer": "grace"}},
		{"review list", []string{"--json", "--config", "issuer.json"}, 0, nil, map[string]string{"json": "true"}},
		{"records list", []string{"--config", "issuer.json", "--json", "--state", "revoked"}, 0, nil, map[string]string{"json": "true", "state": "revoked"}},
		{"issue", []string{"--config", "c.json", "--score", "87", "--completed=false", "--score", "90"}, 0, nil, map[string]string{"score": "87,90", "completed": "false"}},
	}
	for _, tt := range tests {
		t.Run(tt.cmd+" "+strings.Join(tt.args, " "), func(t *testing.T) {
			name, sub, _ := strings.Cut(tt.cmd, " ")
			var subArgs []string
			if sub != "" {
				subArgs = []string{sub}
			}
			sets := commandFlags(cmds[name], subArgs...)
			if len(sets) != 1 {
				t.Fatalf("%d FlagSets", len(sets))
			}
			fs := sets[0]
			fs.SetOutput(io.Discard)
			fs.Usage = func() {}
			status, ok := parseFlags(fs, tt.args)
			if wantOK := tt.flags != nil; ok != wantOK || !ok && status != tt.status {
				t.Fatalf("parseFlags: %d, %v; want %d, %v", status, ok, tt.status, wantOK)
			}
			if !ok {
				return
			}
			if diff := cmp.Diff(tt.want, fs.Args(), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("arguments (-want +got):\n%s", diff)
			}
			for name, want := range tt.flags {
				if got := fs.Lookup(name).Value.String(); got != want {
					t.Errorf("--%s = %q, want %q", name, got, want)
				}
			}
		})
	}
}

// TestFlagsAfterArguments runs command lines with the flags after the
// arguments, and before: the output is the same.
func TestFlagsAfterArguments(t *testing.T) {
	const key = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
	for _, tt := range [][2][]string{
		{{"validate", "--json", "testdata/valid.json"}, {"validate", "testdata/valid.json", "--json"}},
		{{"verify", "--json", "--now", "2026-01-01T00:00:00Z", "testdata/valid.json"}, {"verify", "testdata/valid.json", "--now", "2026-01-01T00:00:00Z", "--json"}},
		{{"did", "resolve", "--json", key}, {"did", "resolve", key, "--json"}},
		{{"status", "check", "--json", "testdata/valid.json"}, {"status", "check", "testdata/valid.json", "--json"}},
	} {
		s1, out1, err1 := call(t, "", tt[0]...)
		s2, out2, err2 := call(t, "", tt[1]...)
		if s1 != s2 || out1 != out2 || err1 != err2 || out1 == "" {
			t.Errorf("%q: %d %q %q\n%q: %d %q %q", tt[0], s1, out1, err1, tt[1], s2, out2, err2)
		}
	}
}

// TestHelpEveryCommand checks that every command has a description and
// examples, and that each example's command lines name a command (and
// subcommand) that exists and flags it takes.
func TestHelpEveryCommand(t *testing.T) {
	cmds := commands()
	for _, name := range slices.Sorted(maps.Keys(cmds)) {
		c := cmds[name]
		t.Run(name, func(t *testing.T) {
			if c.summary == "" {
				t.Error("no summary")
			}
			if len(c.examples) == 0 {
				t.Error("no examples")
			}
			for _, ex := range c.examples {
				if ex.what == "" {
					t.Errorf("%s: says not what it does", ex.line)
				}
				lines := exampleCommands(ex.line)
				if len(lines) == 0 || lines[0][0] != name && !slices.ContainsFunc(lines, func(l []string) bool { return l[0] == name }) {
					t.Errorf("%s: not an openbadges %s command line", ex.line, name)
				}
				for _, args := range lines {
					checkExample(t, cmds, ex.line, args)
				}
			}
			_, stdout, _ := call(t, "", "help", name)
			for _, ex := range c.examples {
				if !strings.Contains(stdout, "\n  # "+ex.what+"\n  "+ex.line+"\n") {
					t.Errorf("help %s lacks the example %q:\n%s", name, ex.line, stdout)
				}
			}
		})
	}
}

// exampleCommands returns the arguments of each openbadges command in a
// shell command line: in a pipeline, a redirection, a <( ) substitution.
func exampleCommands(line string) [][]string {
	var out [][]string
	var cur []string
	in := false
	for _, tok := range splitShell(line) {
		switch {
		case tok == "|" || tok == ">" || tok == ")" || tok == "<(":
			if in {
				out = append(out, cur)
			}
			in, cur = false, nil
		case tok == "openbadges" && !in:
			in = true
		case in:
			cur = append(cur, tok)
		}
	}
	if in {
		out = append(out, cur)
	}
	return out
}

// splitShell splits a command line into words, single quotes keeping
// spaces, and |, >, <( and ) as words of their own.
func splitShell(line string) []string {
	var words []string
	var cur strings.Builder
	quoted, inWord := false, false
	flush := func() {
		if inWord {
			words = append(words, cur.String())
		}
		cur.Reset()
		inWord = false
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quoted && c == '\'':
			quoted = false
		case quoted:
			cur.WriteByte(c)
		case c == '\'':
			quoted, inWord = true, true
		case c == ' ':
			flush()
		case c == '<' && i+1 < len(line) && line[i+1] == '(':
			flush()
			words = append(words, "<(")
			i++
		case c == '|' || c == '>' || c == ')':
			flush()
			words = append(words, string(c))
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	flush()
	return words
}

// checkExample checks one openbadges command line of an example.
func checkExample(t *testing.T, cmds map[string]command, line string, args []string) {
	t.Helper()
	if len(args) == 0 {
		t.Errorf("%s: no command", line)
		return
	}
	c, ok := cmds[args[0]]
	if !ok {
		t.Errorf("%s: no command %q", line, args[0])
		return
	}
	rest := args[1:]
	var sub []string
	if len(c.subcommands) > 0 {
		if len(rest) == 0 || !slices.Contains(c.subcommands, rest[0]) {
			t.Errorf("%s: want a subcommand of %s", line, args[0])
			return
		}
		sub, rest = rest[:1], rest[1:]
	}
	sets := commandFlags(c, sub...)
	if len(sets) == 0 {
		return // help takes no flags
	}
	fs := sets[0]
	var msg strings.Builder
	fs.SetOutput(&msg)
	fs.Usage = func() {}
	if status, ok := parseFlags(fs, rest); !ok {
		t.Errorf("%s: %s (exit %d)", line, strings.TrimSpace(msg.String()), status)
	}
}

// TestCommandFlags checks that each command and subcommand makes one
// FlagSet, named after it, when help and completion ask for its flags.
func TestCommandFlags(t *testing.T) {
	cmds := commands()
	for _, name := range slices.Sorted(maps.Keys(cmds)) {
		c := cmds[name]
		if name == "help" {
			continue // its arguments are commands, it has no flags
		}
		subs := []string{""}
		if len(c.subcommands) > 0 {
			subs = c.subcommands
		}
		for _, sub := range subs {
			full, args := name, []string(nil)
			if sub != "" {
				full, args = name+" "+sub, []string{sub}
			}
			sets := commandFlags(c, args...)
			if len(sets) != 1 || sets[0].Name() != full {
				var got []string
				for _, fs := range sets {
					got = append(got, fs.Name())
				}
				t.Errorf("%s: FlagSets %q, want one named %q", full, got, full)
			}
		}
	}
}

// TestOneStdin checks that two inputs of a command cannot both be
// standard input.
func TestOneStdin(t *testing.T) {
	for _, tt := range []struct {
		args   []string
		stderr string
	}{
		{[]string{"bake", "--image", "-", "--credential", "-", "--out", "x.png"}, "openbadges bake: --image and --credential both read standard input (-), and there is one: give one of them as a file\n"},
		{[]string{"sign", "--key", "-"}, "openbadges sign: --key and the credential both read standard input (-), and there is one: give one of them as a file\n"},
		{[]string{"verify", "-", "--offline-map", "-", "--context", "https://example.org/c=-"}, "openbadges verify: the credential, --offline-map and --context https://example.org/c=- all read standard input (-), and there is one: give all but one as files\n"},
		{[]string{"present", "--key", "k.jwk", "-", "-"}, "openbadges present: credential 1 and credential 2 both read standard input (-), and there is one: give one of them as a file\n"},
		{[]string{"render", "--logo", "-", "-"}, "openbadges render: --logo and the credential both read standard input (-), and there is one: give one of them as a file\n"},
		{[]string{"render", "--template", "-", "cred.json"}, "openbadges render: --template -: --template names a folder, which cannot be standard input\n"},
		{[]string{"sign", "--store", "-", "cred.json"}, "openbadges sign: --store -: --store names a folder, which cannot be standard input\n"},
		{[]string{"keygen", "--store", "-", "--controller", "did:key"}, "openbadges keygen: --store -: --store names a folder, which cannot be standard input\n"},
	} {
		status, stdout, stderr := call(t, "", tt.args...)
		if status != exitCantRun || stdout != "" || stderr != tt.stderr {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want 2 and %q", tt.args, status, stdout, stderr, tt.stderr)
		}
	}
	if _, err := os.Stat("-"); err == nil {
		t.Error(`a file or folder named "-" was created`)
	}
}

// goOption matches the name of a library option: what a Go program sets,
// not what a person at the command line does.
var goOption = regexp.MustCompile(`\b(Trust|Policy|Config|Options|DirOptions|CheckOptions|ParseOptions)\.[A-Z]\w*|\bno fetcher\b`)

// TestMessagesForPeople checks that every message of the libraries the
// command line reports (their string literals that name an option of
// theirs) reaches a person as the flag to pass, not as a Go name.
func TestMessagesForPeople(t *testing.T) {
	verbs := regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z]`)
	for _, dir := range []string{"../../verify", "../../did", "../../keys", "../../status", "../../render", "../../render/pdf", "../../bake", "../../present"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, file := range files {
			if strings.HasSuffix(file, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				s, ok := stringConstant(n)
				if !ok {
					return true
				}
				// The label of a font render/pdf was given: the command
				// line gives it none.
				if goOption.MatchString(s) && s != "Config.Fonts[%d] (%q)" {
					msg := verbs.ReplaceAllString(s, "X")
					if got := forPeople(msg); goOption.MatchString(got) {
						t.Errorf("%s: %q reaches people as %q", file, s, got)
					}
				}
				return false // a literal, or a sum of them checked whole
			})
		}
	}
}

// TestExamplesRun runs the examples of the commands that need no issuer
// configuration and no network, in an order where each finds the files
// the ones before it wrote, as a person trying them one after another
// would: they are real command lines that work. (The examples of the
// issuer's commands, issue and the like, and those that fetch with
// --allow-network are checked by TestHelpEveryCommand only.)
func TestExamplesRun(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	const issuer = "did:web:example.edu"
	write := func(name string, data []byte, perm os.FileMode) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, data, perm); err != nil {
			t.Fatal(err)
		}
	}
	copyFile := func(from, to string) {
		t.Helper()
		data, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		write(to, data, 0o644)
	}
	testdata := func(name string) string {
		t.Helper()
		wd, err := filepath.Abs(filepath.Join(origDir, "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return wd
	}
	// What a person has before the first example: a credential of the
	// did:web issuer, the issuer's key (kid: its id in the issuer's
	// document), a holder's did:key, badge images.
	write("credential.json", []byte(`{
  "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
  "id": "urn:uuid:2f0bd2b6-0a3c-4c8e-9b57-0d3d4d1b8d2e",
  "type": ["VerifiableCredential", "OpenBadgeCredential"],
  "issuer": {"id": "`+issuer+`", "type": ["Profile"], "name": "Example University"},
  "validFrom": "2025-01-01T00:00:00Z",
  "name": "Teamwork",
  "credentialSubject": {
    "id": "did:example:ada",
    "type": ["AchievementSubject"],
    "achievement": {
      "id": "https://example.edu/achievements/teamwork",
      "type": ["Achievement"],
      "name": "Teamwork",
      "description": "Works well in a team.",
      "criteria": {"narrative": "Nominated by peers."}
    }
  }
}
`), 0o644)
	for name, kid := range map[string]string{"issuer.jwk": issuer + "#key-0", "holder.jwk": ""} {
		signer, err := keys.Generate(keys.Ed25519)
		if err != nil {
			t.Fatal(err)
		}
		if kid == "" {
			kid, _ = keys.DIDKeyVerificationMethod(signer.Public())
		}
		jwk, err := keys.PrivateJWK(signer, kid)
		if err != nil {
			t.Fatal(err)
		}
		write(name, jwk, 0o600)
	}
	copyFile(testdata("issue/badge.png"), "badge.png")
	copyFile(testdata("bake/badge.svg"), "badge.svg")

	cmds := commands()
	// Between the commands, what a person would do by hand: publish the
	// issuer's DID document (openbadges publish does it for a configured
	// issuer), name the JWTs.
	between := map[string]func(){
		"present": func() {
			store, err := keys.OpenDir("keys")
			if err != nil {
				t.Fatal(err)
			}
			doc, err := keys.DIDDocument(context.Background(), store, issuer)
			if err != nil {
				t.Fatal(err)
			}
			m, _ := json.Marshal(map[string]json.RawMessage{issuer: doc})
			write("public/map.json", m, 0o644)
			copyFile("signed.jwt", "one.jwt")
			copyFile("signed.jwt", "two.jwt")
			os.Mkdir("badges", 0o755)
			copyFile("signed.json", "badges/a.json")
			copyFile("signed.json", "badges/b.json")
		},
	}
	for _, name := range []string{"keygen", "sign", "bake", "render", "extract", "validate", "present", "verify", "did", "version", "help", "completion"} {
		if f := between[name]; f != nil {
			f()
		}
		for _, ex := range cmds[name].examples {
			if strings.Contains(ex.line, "--allow-network") || strings.Contains(ex.line, "~") || strings.Contains(ex.line, "<(") {
				continue
			}
			t.Run(name+"/"+ex.line, func(t *testing.T) {
				runExample(t, ex.line)
			})
		}
	}
}

// origDir is the package's folder, where the tests start.
var origDir, _ = os.Getwd()

// runExample runs a shell command line of openbadges commands, a pipeline
// with a redirection to a file at its end, and wants each to exit 0.
func runExample(t *testing.T, line string) {
	t.Helper()
	words := splitShell(line)
	var stdin string
	for len(words) > 0 {
		i := slices.IndexFunc(words, func(w string) bool { return w == "|" || w == ">" })
		if i < 0 {
			i = len(words)
		}
		var args []string
		for _, w := range words[:i] {
			// A pattern is the files it matches, as a shell expands it.
			if matches, _ := filepath.Glob(w); strings.Contains(w, "*") && len(matches) > 0 {
				args = append(args, matches...)
				continue
			}
			args = append(args, w)
		}
		if len(args) == 0 || args[0] != "openbadges" {
			t.Fatalf("not an openbadges command: %q", args)
		}
		status, stdout, stderr := call(t, stdin, args[1:]...)
		if status != exitOK {
			t.Fatalf("%q: exit %d\n%s%s", args, status, stdout, stderr)
		}
		stdin, words = stdout, words[i:]
		if len(words) > 0 && words[0] == ">" {
			if len(words) != 2 {
				t.Fatalf("a redirection ends the line: %q", words)
			}
			if err := os.WriteFile(words[1], []byte(stdout), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		if len(words) > 0 {
			words = words[1:] // |
		}
	}
}

// stringConstant returns the value of a string literal, or of a sum of
// them ("a " + "b"), as a message split over lines is written.
func stringConstant(n ast.Node) (string, bool) {
	switch n := n.(type) {
	case *ast.BasicLit:
		if n.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(n.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		if n.Op != token.ADD {
			return "", false
		}
		x, ok := stringConstant(n.X)
		if !ok {
			return "", false
		}
		y, ok := stringConstant(n.Y)
		return x + y, ok
	case *ast.ParenExpr:
		return stringConstant(n.X)
	}
	return "", false
}
