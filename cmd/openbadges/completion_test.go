package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// completionScript returns the completion script for shell.
func completionScript(t *testing.T, shell string) string {
	t.Helper()
	status, stdout, stderr := call(t, "", "completion", shell)
	if status != exitOK || stderr != "" {
		t.Fatalf("completion %s: exit %d, stderr %q", shell, status, stderr)
	}
	return stdout
}

// TestCompletionScripts checks that each shell's script names every
// command, subcommand and flag (but deprecated aliases), from the commands
// themselves.
func TestCompletionScripts(t *testing.T) {
	tree := completionTree(commands())
	for _, shell := range shells {
		t.Run(shell, func(t *testing.T) {
			script := completionScript(t, shell)
			for _, c := range tree {
				for _, word := range strings.Fields(c.name) {
					if !strings.Contains(script, word) {
						t.Errorf("no %q", word)
					}
				}
				for _, f := range c.flags {
					want := "--" + f.name
					if shell == "fish" {
						want = "-l " + f.name
					}
					if !strings.Contains(script, want) {
						t.Errorf("%s: no %s", c.name, want)
					}
				}
			}
			// A sample, as a person would look for it.
			for _, want := range map[string][]string{
				"bash": {"'verify') words='--allow-network --allow-unbound --allow-unknown-status", "status) words='create allocate revoke", "complete -o default -F _openbadges openbadges"},
				"zsh":  {"#compdef openbadges", "'verify:verify a credential", "'*--offline-map=[", "(status) words_=(create allocate revoke"},
				"fish": {"complete -c openbadges -n '__openbadges_is verify' -l allow-network -d 'fetch what the offline map does not hold'", "complete -c openbadges -n '__openbadges_is did resolve' -l offline-map -r -F"},
			}[shell] {
				if !strings.Contains(script, want) {
					t.Errorf("no %q in:\n%s", want, script)
				}
			}
			// Deprecated aliases are not offered.
			for _, c := range tree {
				if c.name != "verify" && c.name != "did resolve" {
					continue
				}
				for _, f := range c.flags {
					if f.name == "network" {
						t.Errorf("%s: offers the deprecated --network", c.name)
					}
				}
			}
		})
	}
	status, _, stderr := call(t, "", "completion", "powershell")
	if status != exitCantRun || !strings.HasPrefix(stderr, "usage: openbadges completion bash|zsh|fish\n") {
		t.Errorf("completion powershell: exit %d, stderr %q", status, stderr)
	}
}

// TestCompletionBash runs the bash script: it parses, and completes as a
// person at the shell would see it.
func TestCompletionBash(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	script := filepath.Join(t.TempDir(), "openbadges.bash")
	if err := os.WriteFile(script, []byte(completionScript(t, "bash")), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bash, "-n", script).CombinedOutput(); err != nil {
		t.Fatalf("bash -n: %v\n%s", err, out)
	}
	for _, tt := range []struct {
		words []string // COMP_WORDS, the last the word being completed
		want  string   // COMPREPLY, space-separated
	}{
		{[]string{"openbadges", "ver"}, "verify version"},
		{[]string{"openbadges", "verify", "--al"}, "--allow-network --allow-unbound --allow-unknown-status"},
		{[]string{"openbadges", "verify", "badge.png", "--js"}, "--json"},
		{[]string{"openbadges", "status", "ch"}, "check"},
		{[]string{"openbadges", "status", "check", "--off"}, "--offline-map"},
		{[]string{"openbadges", "did", ""}, "resolve"},
		{[]string{"openbadges", "did", "resolve", "--all"}, "--allow-network"},
		{[]string{"openbadges", "review", "approve", "--rev"}, "--reviewer"},
		{[]string{"openbadges", "help", "re"}, "records reinstate render report review revoke"},
		{[]string{"openbadges", "completion", ""}, "bash zsh fish"},
		{[]string{"openbadges", "verify", "ba"}, ""}, // files: the shell's own
	} {
		cmd := exec.Command(bash, "--norc", "--noprofile", "-c",
			`source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _openbadges; echo "${COMPREPLY[*]}"`,
			"bash", script)
		cmd.Args = append(cmd.Args, tt.words...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%q: %v\n%s", tt.words, err, out)
		}
		if diff := cmp.Diff(tt.want, strings.TrimSuffix(string(out), "\n")); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tt.words, diff)
		}
	}
}
