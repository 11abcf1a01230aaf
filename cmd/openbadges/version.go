package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// versionReport is what version --json prints.
type versionReport struct {
	Version string `json:"version"`
	Go      string `json:"go"`
}

func runVersion(e env, args []string) int {
	fs := newFlags(e, "version", "[--json]")
	asJSON := fs.Bool("json", false, "print the version and the Go version as JSON")
	if status, ok := parseFlags(fs, args); !ok {
		return status
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return exitCantRun
	}
	rep := versionReport{Version: "(devel)", Go: runtime.Version()}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" {
		rep.Version = strings.TrimSpace(info.Main.Version)
	}
	if *asJSON {
		return printJSON(e, "version", rep)
	}
	fmt.Fprintln(e.stdout, "openbadges", rep.Version)
	return exitOK
}
