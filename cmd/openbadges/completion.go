package main

import (
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
)

// completionHelp is what `openbadges help completion` says after the usage.
const completionHelp = `Prints a script that completes openbadges's commands, subcommands and
flags in a shell (file names after them are the shell's own completion).
It is generated from the commands themselves, so it is as current as the
program that prints it: print it again after an upgrade.

Installation:
  bash  in ~/.bashrc:  source <(openbadges completion bash)
        or, for every user, write it to
        /usr/share/bash-completion/completions/openbadges
  zsh   write it as _openbadges in a folder of $fpath, before compinit
        runs in ~/.zshrc:
          mkdir -p ~/.zfunc && openbadges completion zsh > ~/.zfunc/_openbadges
          # in ~/.zshrc: fpath=(~/.zfunc $fpath); autoload -U compinit; compinit
        or, after compinit: source <(openbadges completion zsh)
  fish  openbadges completion fish > ~/.config/fish/completions/openbadges.fish

Exit status: 0 printed, 2 no such shell.`

// shells are the shells completion writes scripts for.
var shells = []string{"bash", "zsh", "fish"}

// runCompletion prints the completion script of one shell.
func runCompletion(e env, args []string) int {
	fs := newFlags(e, "completion", "bash|zsh|fish")
	if status, ok := parseFlags(fs, args); !ok {
		return status
	}
	if fs.NArg() != 1 || !slices.Contains(shells, fs.Arg(0)) {
		fs.Usage()
		return exitCantRun
	}
	tree := completionTree(commands())
	var err error
	switch fs.Arg(0) {
	case "bash":
		err = writeBash(e.stdout, tree)
	case "zsh":
		err = writeZsh(e.stdout, tree)
	case "fish":
		err = writeFish(e.stdout, tree)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "openbadges completion: %v\n", err)
		return exitCantRun
	}
	return exitOK
}

// compCommand is what completion knows of a command or subcommand.
type compCommand struct {
	name    string // "status", or "status create" for a subcommand
	summary string
	// words are the fixed words the next argument may be: the subcommands,
	// the commands (help), the shells (completion).
	words []string
	flags []compFlag
	// files says the arguments are files.
	files bool
}

// compFlag is one flag of a command.
type compFlag struct {
	name, usage string
	value       bool // it takes a value
}

// completionTree describes every command and subcommand of cmds, sorted
// by name, each with its flags as the command defines them (commandFlags).
func completionTree(cmds map[string]command) []compCommand {
	var tree []compCommand
	for _, name := range slices.Sorted(maps.Keys(cmds)) {
		c := cmds[name]
		cc := compCommand{name: name, summary: c.summary}
		switch {
		case name == "help":
			cc.words = slices.Sorted(maps.Keys(cmds))
		case name == "completion":
			cc.words = shells
		case len(c.subcommands) > 0:
			cc.words = c.subcommands
			for _, sub := range c.subcommands {
				tree = append(tree, compCommand{name: name + " " + sub, flags: compFlags(commandFlags(c, sub)), files: true})
			}
		default:
			cc.flags, cc.files = compFlags(commandFlags(c)), true
		}
		tree = append(tree, cc)
	}
	slices.SortFunc(tree, func(a, b compCommand) int { return strings.Compare(a.name, b.name) })
	return tree
}

// compFlags lists the flags of sets, but deprecated aliases.
func compFlags(sets []*flag.FlagSet) []compFlag {
	var flags []compFlag
	for _, fs := range sets {
		fs.VisitAll(func(f *flag.Flag) {
			if hiddenFlag(f) {
				return
			}
			_, usage := flag.UnquoteUsage(f)
			flags = append(flags, compFlag{name: f.Name, usage: shortUsage(usage), value: !isBoolFlag(f)})
		})
	}
	return flags
}

// shortUsage is the start of a flag's usage, for a shell's menu: up to the
// first parenthesis, semicolon or colon that ends a clause, at most 70
// bytes.
func shortUsage(s string) string {
	for _, sep := range []string{" (", "; ", ": ", "\n"} {
		if i := strings.Index(s, sep); i > 0 {
			s = s[:i]
		}
	}
	s = strings.TrimSpace(s)
	if len(s) > 70 {
		i := strings.LastIndexByte(s[:70], ' ')
		if i < 0 {
			i = 70
		}
		s = s[:i] + "…"
	}
	return s
}

// top returns the commands of tree that are not subcommands.
func top(tree []compCommand) []compCommand {
	var out []compCommand
	for _, c := range tree {
		if !strings.Contains(c.name, " ") {
			out = append(out, c)
		}
	}
	return out
}

// flagWords returns --name for each flag.
func flagWords(flags []compFlag) []string {
	var out []string
	for _, f := range flags {
		out = append(out, "--"+f.name)
	}
	return out
}

// names returns the names of cs.
func names(cs []compCommand) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.name)
	}
	return out
}

// shellQuote quotes s in single quotes for bash, zsh or fish, a single
// quote inside as quote, backslash, quote, quote (which fish reads as a
// quote too).
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// writeBash writes the bash completion script: a function for complete -F
// that offers the commands, then a command's subcommands or words, then
// its flags after a "-"; anything else falls back to file names
// (complete -o default).
func writeBash(w io.Writer, tree []compCommand) error {
	var b strings.Builder
	b.WriteString(`# bash completion for openbadges, generated by "openbadges completion bash".
# Install: source <(openbadges completion bash), e.g. in ~/.bashrc.

_openbadges() {
    local cur=${COMP_WORDS[COMP_CWORD]} cmd words
    COMPREPLY=()
    if ((COMP_CWORD == 1)); then
`)
	fmt.Fprintf(&b, "        COMPREPLY=($(compgen -W %s -- \"$cur\"))\n", shellQuote(strings.Join(names(top(tree)), " ")))
	b.WriteString(`        return
    fi
    cmd=${COMP_WORDS[1]}
    if ((COMP_CWORD == 2)); then
        case $cmd in
`)
	for _, c := range top(tree) {
		if len(c.words) > 0 {
			fmt.Fprintf(&b, "        %s) words=%s ;;\n", c.name, shellQuote(strings.Join(c.words, " ")))
		}
	}
	b.WriteString(`        esac
        if [[ -n $words && $cur != -* ]]; then
            COMPREPLY=($(compgen -W "$words" -- "$cur"))
            return
        fi
    fi
    case $cmd in
`)
	var withSubs []string
	for _, c := range top(tree) {
		if len(c.words) > 0 && !c.files && c.name != "help" && c.name != "completion" {
			withSubs = append(withSubs, c.name)
		}
	}
	if len(withSubs) > 0 {
		fmt.Fprintf(&b, "    %s) ((COMP_CWORD > 2)) && cmd=\"$cmd ${COMP_WORDS[2]}\" ;;\n", strings.Join(withSubs, "|"))
	}
	b.WriteString(`    esac
    [[ $cur == -* ]] || return
    case $cmd in
`)
	for _, c := range tree {
		if len(c.flags) > 0 {
			fmt.Fprintf(&b, "    %s) words=%s ;;\n", shellQuote(c.name), shellQuote(strings.Join(flagWords(c.flags), " ")))
		}
	}
	b.WriteString(`    *) return ;;
    esac
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _openbadges openbadges
`)
	_, err := io.WriteString(w, b.String())
	return err
}

// zshEscape escapes s for the description of an _arguments spec inside
// single quotes: brackets and colons are special there.
func zshEscape(s string) string {
	s = strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`, `:`, `\:`).Replace(s)
	return strings.ReplaceAll(s, "'", `'\''`)
}

// writeZsh writes the zsh completion script, for $fpath (as _openbadges)
// or to source after compinit.
func writeZsh(w io.Writer, tree []compCommand) error {
	var b strings.Builder
	b.WriteString(`#compdef openbadges
# zsh completion for openbadges, generated by "openbadges completion zsh".
# Install: write it as _openbadges in a folder of $fpath (before compinit),
# or source <(openbadges completion zsh) after compinit.

_openbadges() {
    local -a commands words_
    local cmd
    commands=(
`)
	for _, c := range top(tree) {
		// _describe splits at the first colon: the name has none.
		fmt.Fprintf(&b, "        %s\n", shellQuote(c.name+":"+c.summary))
	}
	b.WriteString(`    )
    if (( CURRENT == 2 )); then
        _describe -t commands 'openbadges command' commands
        return
    fi
    cmd=$words[2]
    if (( CURRENT == 3 )); then
        case $cmd in
`)
	for _, c := range top(tree) {
		if len(c.words) > 0 {
			fmt.Fprintf(&b, "        (%s) words_=(%s) ;;\n", c.name, strings.Join(c.words, " "))
		}
	}
	b.WriteString(`        esac
        if (( $#words_ )); then
            compadd -a words_
            return
        fi
    fi
    case $cmd in
`)
	for _, c := range top(tree) {
		if len(c.words) > 0 && !c.files && c.name != "help" && c.name != "completion" {
			fmt.Fprintf(&b, "        (%s) cmd=\"$cmd $words[3]\"; shift words; (( CURRENT-- )) ;;\n", c.name)
		}
	}
	b.WriteString(`    esac
    shift words; (( CURRENT-- ))
    case $cmd in
`)
	for _, c := range tree {
		if len(c.flags) == 0 {
			continue
		}
		fmt.Fprintf(&b, "        (%s)\n            _arguments -S \\\n", shellQuote(c.name))
		for _, f := range c.flags {
			if f.value {
				fmt.Fprintf(&b, "                '*--%s=[%s]:value:_files' \\\n", f.name, zshEscape(f.usage))
			} else {
				fmt.Fprintf(&b, "                '*--%s[%s]' \\\n", f.name, zshEscape(f.usage))
			}
		}
		b.WriteString("                '*:file:_files' ;;\n")
	}
	b.WriteString(`    esac
}

if [[ $funcstack[1] == _openbadges ]]; then
    _openbadges "$@"
else
    compdef _openbadges openbadges
fi
`)
	_, err := io.WriteString(w, b.String())
	return err
}

// writeFish writes the fish completion script.
func writeFish(w io.Writer, tree []compCommand) error {
	var b strings.Builder
	b.WriteString(`# fish completion for openbadges, generated by "openbadges completion fish".
# Install: openbadges completion fish > ~/.config/fish/completions/openbadges.fish

# __openbadges_args N: the command line before the cursor has N words.
function __openbadges_args
    test (count (commandline -opc)) -eq $argv[1]
end

# __openbadges_is CMD [SUB]: the command line is openbadges CMD [SUB] ...
function __openbadges_is
    set -l words (commandline -opc)
    test (count $words) -gt (count $argv); or return 1
    for i in (seq (count $argv))
        test "$words[(math $i + 1)]" = "$argv[$i]"; or return 1
    end
end

complete -c openbadges -f
`)
	for _, c := range top(tree) {
		fmt.Fprintf(&b, "complete -c openbadges -n '__openbadges_args 1' -a %s -d %s\n", c.name, shellQuote(c.summary))
	}
	for _, c := range top(tree) {
		for _, word := range c.words {
			fmt.Fprintf(&b, "complete -c openbadges -n '__openbadges_args 2; and __openbadges_is %s' -a %s\n", c.name, word)
		}
	}
	for _, c := range tree {
		cond := "__openbadges_is " + c.name
		// A command with subcommands has no flags of its own.
		if c.files {
			fmt.Fprintf(&b, "complete -c openbadges -n '%s' -F\n", cond)
		}
		for _, f := range c.flags {
			value := ""
			if f.value {
				value = " -r -F"
			}
			fmt.Fprintf(&b, "complete -c openbadges -n '%s' -l %s%s -d %s\n", cond, f.name, value, shellQuote(f.usage))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
