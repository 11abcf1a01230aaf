package main

// The command line tested as scripts: each file in testdata/script/*.txt is
// one test, a sequence of command lines run in order in a fresh temporary
// directory, then the files the script starts with. For example:
//
//	# A valid credential: exit 0, the verdict on stdout.
//	exec validate badge.json
//	stdout '^badge.json: valid AchievementCredential'
//	! stderr .
//
//	-- badge.json --
//	{"@context": ...}
//
// Lines, one command each (blank lines are ignored):
//
//	# TEXT              a comment
//	exec ARGS...        run `openbadges ARGS...` in this process (the run
//	                    function of main.go) and want exit status 0
//	! exec ARGS...      the same, and want exit status 1: done, and the
//	                    answer is no (invalid, not verified, revoked)
//	!! exec ARGS...     the same, and want exit status 2: could not run
//	                    (bad usage, an unreadable file)
//	? exec ARGS...      the same, and want exit status 3: verify's "not
//	                    verified, inconclusive" (nothing failed; the
//	                    issuer's document or a status list was missing)
//	stdout REGEXP       the last exec's standard output matches REGEXP
//	stdout -count=N REGEXP  it matches exactly N times (stderr too)
//	! stdout REGEXP     it does not
//	stderr REGEXP       the last exec's standard error matches REGEXP
//	! stderr REGEXP     it does not
//	stdin FILE          the next exec reads FILE as its standard input
//	                    (otherwise it reads nothing)
//	cp SRC... DST       copy files or folders (recursively); DST is a folder
//	                    when there are several SRC or it is one; SRC may be
//	                    "stdout" or "stderr", the last exec's output
//	exists FILE         FILE exists; "! exists FILE": it does not
//	chmod MODE FILE...  set the files' permissions to MODE, in octal (a
//	                    script's files and copies are written 0644, and
//	                    a private key file must be chmod 600 to be used)
//	cmp A B             files A and B (or "stdout", "stderr") are identical
//	env NAME=VALUE      set the environment variable NAME for the rest of
//	                    the script (restored when it ends); "env NAME=" sets
//	                    it empty
//
// Arguments are separated by spaces; a single-quoted argument keeps its
// spaces ('a b'), and in one, two single quotes stand for one: 'it''s'.
// $WORK is the script's directory (also the working directory while it
// runs, so relative paths resolve there) and $TESTDATA the absolute path
// of cmd/openbadges/testdata, whose fixtures scripts copy in with cp;
// ${WORK} and ${TESTDATA} are the same. An exec argument holding * is a
// pattern (filepath.Glob) replaced by the files it matches, in order, as a
// shell would, and an error when it matches none. Nothing else is
// expanded, so a $ in a regular expression is an anchor. Regular expressions are Go's, in
// multi-line mode: ^ and $ match at line boundaries.
//
// The end of a script, from the first line "-- NAME --", is the files it
// starts with, each NAME (a slash-separated path relative to $WORK)
// followed by its content, up to the next such line, as in
// golang.org/x/tools/txtar.
//
// A script stops at its first failing line, which the failure names as
// FILE:LINE, with the last exec's output; go test -v shows every line as
// it runs. Each script is a subtest named after its file: go test -run
// TestScripts/verify. Commands whose output depends on the time are given
// it (verify --now, sign --created, status publish --valid-from); a script
// that issues a credential (valid from the moment it is issued) checks it
// at the current time and asserts only what does not change. Scripts run
// one at a time, since each changes the working directory.

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestScripts runs testdata/script/*.txt.
func TestScripts(t *testing.T) {
	testdata, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("testdata/script/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no scripts in testdata/script")
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txt")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			work := t.TempDir()
			s := &script{t: t, file: file, work: work, testdata: testdata}
			lines, err := s.writeFiles(data)
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			t.Chdir(work) // not parallel: the working directory is the process's
			s.run(lines)
		})
	}
}

// script is one script's state while it runs.
type script struct {
	t              *testing.T
	file           string
	work, testdata string
	lineNo         int

	stdin          []byte // for the next exec
	ran            bool   // an exec has run
	stdout, stderr string // of the last exec
}

// writeFiles writes the files section into the work directory and returns
// the command lines before it.
func (s *script) writeFiles(data []byte) ([]string, error) {
	lines := strings.SplitAfter(string(data), "\n")
	var cmds []string
	var name string
	var content strings.Builder
	flush := func() error {
		if name == "" {
			return nil
		}
		if err := s.writeFile(name, content.String()); err != nil {
			return err
		}
		content.Reset()
		return nil
	}
	for _, line := range lines {
		if n, ok := fileMarker(line); ok {
			if err := flush(); err != nil {
				return nil, err
			}
			name = n
			continue
		}
		if name == "" {
			cmds = append(cmds, strings.TrimRight(line, "\r\n"))
		} else {
			content.WriteString(line)
		}
	}
	return cmds, flush()
}

// fileMarker reports whether line is "-- NAME --", and the NAME.
func fileMarker(line string) (string, bool) {
	line = strings.TrimRight(line, "\r\n")
	if !strings.HasPrefix(line, "-- ") || !strings.HasSuffix(line, " --") || len(line) < len("-- x --") {
		return "", false
	}
	return strings.TrimSpace(line[3 : len(line)-3]), true
}

func (s *script) writeFile(name, content string) error {
	if !filepath.IsLocal(filepath.FromSlash(name)) {
		return fmt.Errorf("file %q: want a relative path inside $WORK", name)
	}
	path := filepath.Join(s.work, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(content), 0o644)
}

// run runs the command lines, stopping at the first that fails.
func (s *script) run(lines []string) {
	for i, line := range lines {
		s.lineNo = i + 1
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		s.t.Logf("> %s", line)
		args, err := s.split(line)
		if err != nil {
			s.fatalf("%v", err)
		}
		want := 0 // exec: the exit status; 1 otherwise: negated
		switch args[0] {
		case "!":
			want, args = 1, args[1:]
		case "!!":
			want, args = 2, args[1:]
		case "?":
			want, args = 3, args[1:]
		}
		if len(args) == 0 {
			s.fatalf("nothing after %q", line)
		}
		cmd, args := args[0], args[1:]
		switch {
		case want == 2 && cmd != "exec":
			s.fatalf("!! is for exec only")
		case want == 3 && cmd != "exec":
			s.fatalf("? is for exec only")
		case want == 1 && cmd != "exec" && cmd != "stdout" && cmd != "stderr" && cmd != "exists":
			s.fatalf("! is for exec, stdout, stderr and exists")
		}
		switch cmd {
		case "exec":
			s.exec(want, args)
		case "stdout", "stderr":
			s.match(cmd, want == 1, args)
		case "stdin":
			s.needArgs(cmd, args, 1)
			b, err := os.ReadFile(args[0])
			if err != nil {
				s.fatalf("stdin: %v", err)
			}
			s.stdin = b
		case "cp":
			s.cp(args)
		case "exists":
			s.needArgs(cmd, args, 1)
			_, err := os.Stat(args[0])
			switch {
			case want == 0 && err != nil:
				s.fatalf("%v", err)
			case want == 1 && err == nil:
				s.fatalf("%s exists", args[0])
			}
		case "chmod":
			s.chmod(args)
		case "env":
			s.needArgs(cmd, args, 1)
			name, value, ok := strings.Cut(args[0], "=")
			if !ok || name == "" {
				s.fatalf("usage: env NAME=VALUE")
			}
			s.t.Setenv(name, value)
		case "cmp":
			s.needArgs(cmd, args, 2)
			a, b := s.read(args[0]), s.read(args[1])
			if a != b {
				s.fatalf("%s and %s differ:\n%s\n---\n%s", args[0], args[1], a, b)
			}
		default:
			s.fatalf("unknown command %q", cmd)
		}
	}
}

// exec runs one command line in this process and checks its exit status.
func (s *script) exec(want int, args []string) {
	var expanded []string
	for _, a := range args {
		if !strings.Contains(a, "*") {
			expanded = append(expanded, a)
			continue
		}
		matches, err := filepath.Glob(a)
		if err != nil || len(matches) == 0 {
			s.fatalf("exec: no file matches %s", a)
		}
		expanded = append(expanded, matches...)
	}
	args = expanded
	var stdout, stderr bytes.Buffer
	status := run(args, env{stdin: bytes.NewReader(s.stdin), stdout: &stdout, stderr: &stderr})
	s.stdin, s.ran = nil, true
	s.stdout, s.stderr = stdout.String(), stderr.String()
	if status != want {
		s.fatalf("exit status %d, want %d", status, want)
	}
}

// match checks the last exec's output against a regular expression.
func (s *script) match(stream string, negate bool, args []string) {
	count := -1
	if len(args) == 2 && strings.HasPrefix(args[0], "-count=") {
		n, err := strconv.Atoi(strings.TrimPrefix(args[0], "-count="))
		if err != nil || n < 0 || negate {
			s.fatalf("%s: %s: want -count=N, N ≥ 0, and no !", stream, args[0])
		}
		count, args = n, args[1:]
	}
	s.needArgs(stream, args, 1)
	if !s.ran {
		s.fatalf("%s before any exec", stream)
	}
	re, err := regexp.Compile("(?m)" + args[0])
	if err != nil {
		s.fatalf("%s: %v", stream, err)
	}
	out := s.stdout
	if stream == "stderr" {
		out = s.stderr
	}
	if count >= 0 {
		if n := len(re.FindAllStringIndex(out, -1)); n != count {
			s.fatalf("%s matches %q %d times, want %d", stream, args[0], n, count)
		}
		return
	}
	switch matched := re.MatchString(out); {
	case !negate && !matched:
		s.fatalf("%s does not match %q", stream, args[0])
	case negate && matched:
		s.fatalf("%s matches %q: %q", stream, args[0], re.FindString(out))
	}
}

// cp copies files and folders; "stdout" and "stderr" are the last exec's.
func (s *script) cp(args []string) {
	if len(args) < 2 {
		s.fatalf("usage: cp SRC... DST")
	}
	srcs, dst := args[:len(args)-1], args[len(args)-1]
	fi, err := os.Stat(dst)
	intoDir := err == nil && fi.IsDir()
	if len(srcs) > 1 && !intoDir {
		s.fatalf("cp: %s is not a folder", dst)
	}
	for _, src := range srcs {
		to := dst
		if intoDir {
			to = filepath.Join(dst, filepath.Base(src))
		}
		if src == "stdout" || src == "stderr" {
			if err := os.WriteFile(to, []byte(s.read(src)), 0o644); err != nil {
				s.fatalf("cp: %v", err)
			}
			continue
		}
		if err := copyTree(src, to); err != nil {
			s.fatalf("cp: %v", err)
		}
	}
}

// chmod sets the permissions of files: chmod MODE FILE..., MODE in octal.
func (s *script) chmod(args []string) {
	if len(args) < 2 {
		s.fatalf("usage: chmod MODE FILE...")
	}
	mode, err := strconv.ParseUint(args[0], 8, 32)
	if err != nil || mode > 0o777 {
		s.fatalf("chmod: mode %q: want octal permissions such as 600", args[0])
	}
	for _, name := range args[1:] {
		if err := os.Chmod(name, fs.FileMode(mode)); err != nil {
			s.fatalf("chmod: %v", err)
		}
	}
}

// copyTree copies the file or folder src to dst.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
}

// read returns the last exec's output for "stdout" and "stderr", else the
// named file's content.
func (s *script) read(name string) string {
	switch name {
	case "stdout", "stderr":
		if !s.ran {
			s.fatalf("%s before any exec", name)
		}
		if name == "stdout" {
			return s.stdout
		}
		return s.stderr
	}
	b, err := os.ReadFile(name)
	if err != nil {
		s.fatalf("%v", err)
	}
	return string(b)
}

func (s *script) needArgs(cmd string, args []string, n int) {
	if len(args) != n {
		s.fatalf("%s wants %d argument(s), got %d (quote an argument with spaces: 'a b')", cmd, n, len(args))
	}
}

// fatalf stops the script, naming its line and showing the last exec's
// output.
func (s *script) fatalf(format string, args ...any) {
	s.t.Helper()
	msg := fmt.Sprintf("%s:%d: %s", s.file, s.lineNo, fmt.Sprintf(format, args...))
	if s.ran {
		msg += "\n[stdout]\n" + s.stdout + "[stderr]\n" + s.stderr
	}
	s.t.Fatal(msg)
}

// expand replaces $WORK and $TESTDATA (and ${WORK}, ${TESTDATA}).
func (s *script) expand(arg string) string {
	return strings.NewReplacer(
		"${WORK}", s.work, "$WORK", s.work,
		"${TESTDATA}", s.testdata, "$TESTDATA", s.testdata,
	).Replace(arg)
}

// split splits a line into arguments: separated by spaces, a single-quoted
// argument keeping its spaces, two single quotes in one standing for one.
func (s *script) split(line string) ([]string, error) {
	var args []string
	var cur strings.Builder
	inArg, quoted := false, false
	r := bufio.NewReader(strings.NewReader(line))
	for {
		c, _, err := r.ReadRune()
		if err != nil {
			break
		}
		switch {
		case quoted && c == '\'':
			if next, _, err := r.ReadRune(); err == nil && next == '\'' {
				cur.WriteRune('\'')
				continue
			} else if err == nil {
				r.UnreadRune()
			}
			quoted = false
		case quoted:
			cur.WriteRune(c)
		case c == '\'':
			quoted, inArg = true, true
		case c == ' ' || c == '\t':
			if inArg {
				args = append(args, s.expand(cur.String()))
				cur.Reset()
				inArg = false
			}
		default:
			cur.WriteRune(c)
			inArg = true
		}
	}
	if quoted {
		return nil, fmt.Errorf("unterminated quote")
	}
	if inArg {
		args = append(args, s.expand(cur.String()))
	}
	return args, nil
}
