package main

// The command line tested as scripts, with
// github.com/rogpeppe/go-internal/testscript: each file in
// testdata/script/*.txt is one test, a sequence of commands run in order in
// a fresh directory ($WORK) holding the files the script ends with (a txtar
// archive). For example:
//
//	# A valid credential: exit 0, the verdict on stdout.
//	exec openbadges validate badge.json
//	stdout '^badge.json: valid AchievementCredential'
//	! stderr .
//
//	# A file that is not there: exit 2, could not run.
//	exits 2 openbadges validate missing.json
//	stderr 'no such file'
//
//	-- badge.json --
//	{"@context": ...}
//
// The commands are testscript's (go doc
// github.com/rogpeppe/go-internal/testscript lists them: exec, stdout,
// stderr, stdin, cp, exists, chmod, cmp, env, mkdir, ...). openbadges is
// this package's main, run as its own process (the test binary, started
// again under that name), so scripts run in parallel, each with its own
// working directory and environment. Two additions:
//
//	exits N PROGRAM ARGS...  run PROGRAM and want exit status N:
//	                         0 done and yes, 1 done and the answer is no
//	                         (invalid, not verified, revoked), 2 could not
//	                         run (bad usage, an unreadable file), 3 verify's
//	                         "not verified, inconclusive". An argument
//	                         holding * is a pattern (filepath.Glob)
//	                         replaced by the files it matches, in order,
//	                         as a shell would; matching none is an error.
//	$TESTDATA                the absolute path of cmd/openbadges/testdata,
//	                         whose fixtures scripts copy in with cp.
//
// "! exec openbadges" would accept any failure, so a script never uses it:
// "exits 1", "exits 2" or "exits 3" says which (TestScripts refuses the
// other form). "exec openbadges" wants exit status 0.
//
// Single quotes keep spaces, #, and $ in an argument ('a b', '#ffee00',
// 'did:web:example.edu#key-1'); two single quotes in one stand for one
// ('it''s'). Outside quotes, # starts a comment and $NAME is expanded.
// Regular expressions are Go's, in multi-line mode: ^ and $ match at line
// boundaries.
//
// A script stops at its first failing line; the failure shows the script
// up to it, with every command's output. Each script is a subtest named
// after its file: go test -run TestScripts/verify. Commands whose output
// depends on the time are given it (verify --now, sign --created, status
// publish --valid-from); a script that issues a credential (valid from the
// moment it is issued) checks it at the current time and asserts only what
// does not change.

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain runs the tests, or, when the test binary is started again as
// "openbadges" by a script, the command line itself.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"openbadges": main})
}

// TestScripts runs testdata/script/*.txt, in parallel.
func TestScripts(t *testing.T) {
	testdata, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	checkScriptsStrict(t, "testdata/script")
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Setup: func(e *testscript.Env) error {
			e.Setenv("TESTDATA", testdata)
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits": cmdExits,
		},
	})
}

// notStrict is a command line that wants any failure of openbadges, not
// the exit status that tells "no" from "could not run".
var notStrict = regexp.MustCompile(`^\s*!\s*exec\s+openbadges\b`)

// checkScriptsStrict fails for a script that runs openbadges with
// "! exec": it would pass whatever the exit status, as long as it is not 0.
func checkScriptsStrict(t *testing.T, dir string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no scripts in %s", dir)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(line, "-- ") && strings.HasSuffix(strings.TrimSpace(line), " --") {
				break // the files
			}
			if notStrict.MatchString(line) {
				t.Errorf("%s:%d: %s: use exits 1, 2 or 3 to say which failure is wanted", file, i+1, strings.TrimSpace(line))
			}
		}
	}
}

// cmdExits is "exits N PROGRAM ARGS...": it runs PROGRAM and wants exit
// status N; arguments holding * are expanded as a shell would.
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! exits (exits names the status it wants)")
	}
	if len(args) < 2 {
		ts.Fatalf("usage: exits STATUS PROGRAM [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil || want < 0 || want > 255 {
		ts.Fatalf("exits %s: want an exit status, 0 to 255", args[0])
	}
	var expanded []string
	for _, a := range args[1:] {
		if !strings.Contains(a, "*") {
			expanded = append(expanded, a)
			continue
		}
		expanded = append(expanded, glob(ts, a)...)
	}
	err = ts.Exec(expanded[0], expanded[1:]...)
	status := 0
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		status = exit.ExitCode()
	default:
		ts.Fatalf("exits: %v", err)
	}
	if status != want {
		ts.Fatalf("exit status %d, want %d", status, want)
	}
}

// glob returns the files pattern matches, in order, relative to the
// script's directory if pattern is.
func glob(ts *testscript.TestScript, pattern string) []string {
	matches, err := filepath.Glob(ts.MkAbs(pattern))
	if err != nil || len(matches) == 0 {
		ts.Fatalf("exits: no file matches %s", pattern)
	}
	if filepath.IsAbs(pattern) {
		return matches
	}
	cwd := ts.MkAbs(".")
	for i, m := range matches {
		rel, err := filepath.Rel(cwd, m)
		ts.Check(err)
		matches[i] = rel
	}
	return matches
}
