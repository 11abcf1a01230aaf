package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
)

func usage(w io.Writer, cmds map[string]command) {
	fmt.Fprintln(w, "usage: openbadges <command> [flags] [arguments]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "commands:")
	for _, n := range slices.Sorted(maps.Keys(cmds)) {
		fmt.Fprintf(w, "  %-10s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Flags go before or after the arguments; -- ends them. Commands that print")
	fmt.Fprintln(w, "data print text, or JSON with --json. A file of - is standard input (or,")
	fmt.Fprintln(w, "for --out, standard output). Nothing is fetched without --allow-network.")
	fmt.Fprintln(w, "openbadges help <command> shows a command's flags and examples.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "exit status: 0 yes/done, 1 no (e.g. invalid), 2 could not run")
}

// runHelp prints the help of the command named in args (its usage,
// description, flags and examples), or the list of commands.
func runHelp(e env, args []string) int {
	cmds := commands()
	c, ok := command{}, false
	if len(args) == 1 {
		c, ok = cmds[args[0]]
	}
	if !ok {
		usage(e.stdout, cmds)
		return exitOK
	}
	name, w := args[0], e.stdout
	fmt.Fprintf(w, "%s\n\n%s\n", strings.TrimSpace("usage: openbadges "+name+" "+c.usage), c.summary)
	if c.help != "" {
		fmt.Fprintf(w, "\n%s\n", strings.Trim(c.help, "\n"))
	}
	if len(c.subcommands) > 0 {
		fmt.Fprintf(w, "\nsubcommands: %s\n(openbadges %s SUBCOMMAND --help lists a subcommand's flags)\n", strings.Join(c.subcommands, ", "), name)
	} else if sets := commandFlags(c); len(sets) == 1 && visibleFlags(sets[0]) > 0 {
		fmt.Fprintf(w, "\nflags:\n")
		printFlags(w, sets[0])
	}
	fmt.Fprintf(w, "\nexamples:\n")
	for _, ex := range c.examples {
		fmt.Fprintf(w, "  # %s\n  %s\n", ex.what, ex.line)
	}
	return exitOK
}
