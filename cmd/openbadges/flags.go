package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
)

// commandFlags returns the FlagSets c makes when run with args and then
// --help, in the mode where newFlags reports them (env.flagSets) and
// nothing is printed: for a command with subcommands, args is the
// subcommand.
func commandFlags(c command, args ...string) []*flag.FlagSet {
	var sets []*flag.FlagSet
	e := env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard,
		flagSets: func(fs *flag.FlagSet) { sets = append(sets, fs) }}
	c.run(e, append(slices.Clip(args), "--help"))
	return sets
}

// newFlags returns a FlagSet for a command that reports usage errors on
// stderr and never exits the process. Its usage lists the flags as the
// command line takes them, --name, without deprecated aliases.
func newFlags(e env, name, usageLine string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, strings.TrimSpace("usage: openbadges "+name+" "+usageLine))
		printFlags(e.stderr, fs)
	}
	if e.flagSets != nil {
		e.flagSets(fs)
	}
	return fs
}

// parseFlags parses args, flags and arguments in any order: "verify
// --json cred.json" and "verify cred.json --json" are the same. "--" ends
// the flags (what follows is arguments, even if it starts with "-"), and
// "-" is an argument (standard input or output). Afterwards fs.Args() is
// the arguments, in order. It returns the exit status to use if parsing
// failed (or help was asked for) and ok false.
func parseFlags(fs *flag.FlagSet, args []string) (status int, ok bool) {
	var flags, positional []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			positional = append(positional, args[i+1:]...)
			break
		}
		if a == "-" || !strings.HasPrefix(a, "-") {
			positional = append(positional, a)
			continue
		}
		flags = append(flags, a)
		// A flag without "=" that is not boolean takes the next argument
		// as its value, as the flag package reads it. An unknown flag is
		// left for fs.Parse to report.
		name := strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-")
		if strings.Contains(name, "=") {
			continue
		}
		f := fs.Lookup(name)
		if f == nil || isBoolFlag(f) {
			continue
		}
		if i+1 == len(args) {
			// fs.Parse would take the "--" below for its value.
			fmt.Fprintf(fs.Output(), "flag needs an argument: %s\n", a)
			fs.Usage()
			return exitCantRun, false
		}
		i++
		flags = append(flags, args[i])
	}
	if err := fs.Parse(append(append(flags, "--"), positional...)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK, false
		}
		return exitCantRun, false
	}
	return 0, true
}

func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// deprecatedFlag is a flag kept so that old command lines still work:
// usage and completion leave it out, and using it prints a notice.
type deprecatedFlag struct {
	flag.Value
	notice func()
}

func (d deprecatedFlag) Set(s string) error { d.notice(); return d.Value.Set(s) }

func (d deprecatedFlag) IsBoolFlag() bool {
	b, ok := d.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// deprecatedAlias defines --old as a deprecated alias of fs's flag --name,
// which must already be defined: it sets the same value, after a one-line
// notice on stderr.
func deprecatedAlias(e env, fs *flag.FlagSet, old, name string) {
	f := fs.Lookup(name)
	fs.Var(deprecatedFlag{f.Value, func() {
		fmt.Fprintf(e.stderr, "openbadges %s: --%s is deprecated: use --%s\n", fs.Name(), old, name)
	}}, old, "deprecated: use --"+name)
}

// hiddenFlag reports whether f is left out of usage and completion.
func hiddenFlag(f *flag.Flag) bool {
	_, ok := f.Value.(deprecatedFlag)
	return ok
}

// visibleFlags counts the flags of fs that usage lists.
func visibleFlags(fs *flag.FlagSet) int {
	n := 0
	fs.VisitAll(func(f *flag.Flag) {
		if !hiddenFlag(f) {
			n++
		}
	})
	return n
}

// printFlags lists the flags of fs as flag.PrintDefaults does, but named
// as the command line takes them (--name) and without deprecated aliases.
func printFlags(w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		if hiddenFlag(f) {
			return
		}
		var b strings.Builder
		fmt.Fprintf(&b, "  --%s", f.Name)
		typ, text := flag.UnquoteUsage(f)
		if typ != "" {
			b.WriteString(" " + typ)
		}
		b.WriteString("\n    \t")
		b.WriteString(strings.ReplaceAll(text, "\n", "\n    \t"))
		switch f.DefValue {
		case "", "false", "0", "0s":
		default:
			if typ == "string" {
				fmt.Fprintf(&b, " (default %q)", f.DefValue)
			} else {
				fmt.Fprintf(&b, " (default %v)", f.DefValue)
			}
		}
		fmt.Fprintln(w, b.String())
	})
}
