package main

import (
	"bytes"
	"encoding/json"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/bake"
)

// callCmd runs one command function with binary stdin and returns its
// exit status and outputs.
func callCmd(t *testing.T, fn func(env, []string) int, stdin []byte, args ...string) (status int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	status = fn(env{stdin: bytes.NewReader(stdin), stdout: &out, stderr: &errOut}, args)
	return status, out.String(), errOut.String()
}

// writePNG writes a small unbaked PNG into dir.
func writePNG(t *testing.T, dir string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(dir, "badge.png")
	if err := os.WriteFile(name, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return name
}

func readTestFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestBakeExtract bakes the 1EdTech credentials into a PNG and an SVG and
// extracts them again: the exact credential comes back.
func TestBakeExtract(t *testing.T) {
	dir := t.TempDir()
	pngFile := writePNG(t, dir)
	jwt := bytes.TrimSpace(readTestFile(t, "testdata/bake/simple.jwt"))
	jsonCred := bytes.TrimSpace(readTestFile(t, "testdata/bake/simple.json")) // CR LF line ends
	tests := []struct {
		name, image, cred string
		msg               string // stdout of bake
		want              []byte // stdout of extract, less its newline
	}{
		{"JWS into PNG", pngFile, "testdata/bake/simple.jwt", "a JWS credential (PNG image, ", jwt},
		{"JSON into PNG", pngFile, "testdata/bake/simple.json", "a JSON credential (PNG image, ", jsonCred},
		{"JWS into SVG", "testdata/bake/badge.svg", "testdata/bake/simple.jwt", "a JWS credential (SVG image, ", jwt},
		// XML reads CR LF as LF, so that is what an SVG can carry.
		{"JSON into SVG", "testdata/bake/badge.svg", "testdata/bake/simple.json", "a JSON credential (SVG image, ", bytes.ReplaceAll(jsonCred, []byte("\r\n"), []byte("\n"))},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(dir, "baked"+string(rune('a'+i))+filepath.Ext(tt.image))
			status, stdout, stderr := callCmd(t, runBake, nil, "--image", tt.image, "--credential", tt.cred, "--out", out)
			if status != exitOK || stderr != "" || !strings.HasPrefix(stdout, out+": baked "+tt.msg) {
				t.Fatalf("bake: status %d, stdout %q, stderr %q", status, stdout, stderr)
			}
			if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o644 {
				t.Errorf("output file: %v %v", fi, err)
			}
			status, stdout, stderr = callCmd(t, runExtract, nil, out)
			if status != exitOK || stderr != "" {
				t.Fatalf("extract: status %d, stderr %q", status, stderr)
			}
			if stdout != string(tt.want)+"\n" {
				t.Errorf("extract printed\n%q\nwant\n%q", stdout, tt.want)
			}
		})
	}
}

// TestBakeInPlace bakes twice into the same file: one credential, the new
// one.
func TestBakeInPlace(t *testing.T) {
	dir := t.TempDir()
	pngFile := writePNG(t, dir)
	for _, cred := range []string{"testdata/bake/simple.json", "testdata/bake/simple.jwt"} {
		if status, _, stderr := callCmd(t, runBake, nil, "--image", pngFile, "--credential", cred, "--out", pngFile); status != exitOK {
			t.Fatalf("bake %s: %d %s", cred, status, stderr)
		}
	}
	baked := readTestFile(t, pngFile)
	if n := bytes.Count(baked, []byte(bake.PNGKeyword)); n != 1 {
		t.Errorf("%d credential chunks, want 1", n)
	}
	status, stdout, _ := callCmd(t, runExtract, nil, "--json", pngFile)
	var rep extractReport
	if err := json.Unmarshal([]byte(stdout), &rep); status != exitOK || err != nil {
		t.Fatalf("extract --json: %d %v %s", status, err, stdout)
	}
	want := extractReport{File: pngFile, Format: "PNG", Kind: "JWS", Credential: string(bytes.TrimSpace(readTestFile(t, "testdata/bake/simple.jwt")))}
	if d := cmp.Diff(want, rep); d != "" {
		t.Errorf("report (-want +got):\n%s", d)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

// TestBakeStdio reads the image from stdin and writes the baked image to
// stdout; extract then reads it from stdin.
func TestBakeStdio(t *testing.T) {
	svg := readTestFile(t, "testdata/bake/badge.svg")
	status, baked, stderr := callCmd(t, runBake, svg, "--image", "-", "--credential", "testdata/bake/simple.jwt", "--out", "-")
	if status != exitOK || stderr != "" || !strings.Contains(baked, "<openbadges:credential verify=") {
		t.Fatalf("bake: %d %q\n%s", status, stderr, baked)
	}
	status, stdout, stderr := callCmd(t, runExtract, []byte(baked), "-")
	if status != exitOK || stderr != "" || stdout != string(bytes.TrimSpace(readTestFile(t, "testdata/bake/simple.jwt")))+"\n" {
		t.Errorf("extract: %d %q %q", status, stdout, stderr)
	}
}

func TestExtractCommand(t *testing.T) {
	dir := t.TempDir()
	pngFile := writePNG(t, dir)
	jwt := string(bytes.TrimSpace(readTestFile(t, "testdata/bake/simple.jwt")))
	tests := []struct {
		name   string
		stdin  string
		args   []string
		status int
		stdout string // exact
		stderr string // substring; "" means empty
	}{
		{"1EdTech fixture", "", []string{"testdata/bake/simple-jwt.svg"}, 0, jwt + "\n", ""},
		{"JSON report", "", []string{"--json", "testdata/bake/simple-jwt.svg"}, 0,
			"{\n  \"file\": \"testdata/bake/simple-jwt.svg\",\n  \"format\": \"SVG\",\n  \"kind\": \"JWS\",\n  \"legacy\": false,\n  \"credential\": \"" + jwt + "\"\n}\n", ""},
		{"unbaked PNG", "", []string{pngFile}, 1, "", pngFile + ": bake: the image holds no baked credential: the PNG has no iTXt chunk with keyword openbadgecredential"},
		{"unbaked SVG", "", []string{"testdata/bake/badge.svg"}, 1, "", "holds no baked credential"},
		{"legacy", "", []string{"testdata/bake/legacy.svg"}, 1, "", "holds Open Badges 2.0 data (URL), not an Open Badges 3.0 credential; add --legacy to print it"},
		{"legacy printed", "", []string{"--legacy", "testdata/bake/legacy.svg"}, 0, "https://example.org/assertions/1\n", ""},
		{"legacy JSON report", "", []string{"--legacy", "--json", "testdata/bake/legacy.svg"}, 0,
			"{\n  \"file\": \"testdata/bake/legacy.svg\",\n  \"format\": \"SVG\",\n  \"kind\": \"URL\",\n  \"legacy\": true,\n  \"credential\": \"https://example.org/assertions/1\"\n}\n", ""},
		{"not an image", "", []string{"testdata/bake/simple.json"}, 2, "", "testdata/bake/simple.json: bake: not a PNG or SVG image: it looks like a credential, not an image"},
		{"empty stdin", "", []string{"-"}, 2, "", "standard input: bake: not a PNG or SVG image: the file is empty"},
		{"broken SVG", "<svg><g></svg>", []string{"-"}, 2, "", "standard input: bake: SVG at byte 8: not well-formed XML"},
		{"entities", `<!DOCTYPE svg [<!ENTITY a "b">]><svg>&a;</svg>`, []string{"-"}, 2, "", "entity declarations and DTD internal subsets are refused"},
		{"missing file", "", []string{"testdata/bake/nope.png"}, 2, "", "no such file"},
		{"no file", "", nil, 2, "", "usage: openbadges extract [--json] [--legacy] IMAGE|-"},
		{"two files", "", []string{"a", "b"}, 2, "", "usage: openbadges extract"},
		{"bad flag", "", []string{"--nope", "x"}, 2, "", "flag provided but not defined: -nope"},
		{"help", "", []string{"-h"}, 0, "", "usage: openbadges extract"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, stdout, stderr := callCmd(t, runExtract, []byte(tt.stdin), tt.args...)
			if status != tt.status {
				t.Errorf("exit status %d, want %d (stderr: %s)", status, tt.status, stderr)
			}
			if stdout != tt.stdout {
				t.Errorf("stdout:\n%s\nwant:\n%s", stdout, tt.stdout)
			}
			if tt.stderr == "" && stderr != "" || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr %q, want it to contain %q", stderr, tt.stderr)
			}
		})
	}
}

func TestBakeCommandErrors(t *testing.T) {
	dir := t.TempDir()
	pngFile := writePNG(t, dir)
	notCred := filepath.Join(dir, "note.txt")
	if err := os.WriteFile(notCred, []byte("not a credential"), 0o600); err != nil {
		t.Fatal(err)
	}
	dtd := filepath.Join(dir, "dtd.svg")
	if err := os.WriteFile(dtd, []byte(`<!DOCTYPE svg [<!ENTITY a "b">]><svg/>`), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.png")
	tests := []struct {
		name   string
		stdin  string
		args   []string
		stderr string // substring
	}{
		{"no flags", "", nil, "usage: openbadges bake --image FILE|- --credential FILE|- --out FILE|-"},
		{"no out", "", []string{"--image", pngFile, "--credential", "testdata/bake/simple.jwt"}, "usage: openbadges bake"},
		{"extra argument", "", []string{"--image", pngFile, "--credential", "testdata/bake/simple.jwt", "--out", out, "x"}, "usage: openbadges bake"},
		{"both stdin", "", []string{"--image", "-", "--credential", "-", "--out", out}, "both read standard input (-), and there is one: give one of them as a file"},
		{"not a credential", "", []string{"--image", pngFile, "--credential", notCred, "--out", out}, notCred + ": bake: not a JSON object or a compact JWS: it is not a compact JWS"},
		{"credential from stdin", "{broken", []string{"--image", pngFile, "--credential", "-", "--out", out}, "standard input: bake: not a JSON object or a compact JWS: it starts with { but is not valid JSON"},
		{"not an image", "", []string{"--image", "testdata/bake/simple.json", "--credential", "testdata/bake/simple.jwt", "--out", out}, "testdata/bake/simple.json: bake: not a PNG or SVG image"},
		{"entities", "", []string{"--image", dtd, "--credential", "testdata/bake/simple.jwt", "--out", out}, "refused"},
		{"missing image", "", []string{"--image", "testdata/bake/nope.png", "--credential", "testdata/bake/simple.jwt", "--out", out}, "no such file"},
		{"unwritable out", "", []string{"--image", pngFile, "--credential", "testdata/bake/simple.jwt", "--out", filepath.Join(dir, "no", "such", "dir.png")}, "no such file or directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, stdout, stderr := callCmd(t, runBake, []byte(tt.stdin), tt.args...)
			if status != exitCantRun || stdout != "" {
				t.Errorf("exit status %d, stdout %q; want 2 and nothing", status, stdout)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr %q, want it to contain %q", stderr, tt.stderr)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("%s was written", out)
			}
		})
	}
}

// TestBakeRegistered checks that bake and extract are commands of the
// program, as help lists them.
func TestBakeRegistered(t *testing.T) {
	status, stdout, _ := call(t, "", "help")
	if status != 0 || !strings.Contains(stdout, "  bake ") || !strings.Contains(stdout, "  extract ") {
		t.Errorf("help: %d\n%s", status, stdout)
	}
}
