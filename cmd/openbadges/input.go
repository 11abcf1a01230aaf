package main

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// readInput reads the named file, or standard input for "-", refusing more
// than limit bytes.
func readInput(e env, name string, limit int64) ([]byte, error) {
	var r io.Reader = e.stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes", displayName(name), limit)
	}
	return data, nil
}

// stdinUse is a flag or argument of a command and the file it names.
type stdinUse struct{ what, name string }

// oneStdin returns an error when more than one of uses names "-": a
// command has one standard input.
func oneStdin(uses ...stdinUse) error {
	var on []string
	for _, u := range uses {
		if u.name == "-" {
			on = append(on, u.what)
		}
	}
	switch len(on) {
	case 0, 1:
		return nil
	case 2:
		return fmt.Errorf("%s and %s both read standard input (-), and there is one: give one of them as a file", on[0], on[1])
	}
	return fmt.Errorf("%s and %s all read standard input (-), and there is one: give all but one as files", strings.Join(on[:len(on)-1], ", "), on[len(on)-1])
}

// notStdin returns an error when a flag that names a folder is "-": a
// folder is never standard input, and never a folder named "-".
func notStdin(flagName, dir string) error {
	if dir == "-" {
		return fmt.Errorf("%s -: %s names a folder, which cannot be standard input", flagName, flagName)
	}
	return nil
}

func displayName(name string) string {
	if name == "-" {
		return "standard input"
	}
	return name
}
