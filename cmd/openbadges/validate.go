package main

import (
	"encoding/json"
	"fmt"

	"github.com/go-openbadges/openbadges/credential"
)

// validateReport is the --json output of validate.
type validateReport struct {
	File     string          `json:"file"`
	Valid    bool            `json:"valid"`
	Class    string          `json:"class,omitempty"`
	Version  string          `json:"version,omitempty"`
	Problems []problemReport `json:"problems"`
}

type problemReport struct {
	Pointer  string `json:"pointer"`
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
}

// runValidate checks one document with credential.Check: exit 0 when it is
// valid (warnings allowed), 1 when it is not, 2 when it cannot be checked.
func runValidate(e env, args []string) int {
	fs := newFlags(e, "validate", "[--json] FILE|-")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	maxBytes := fs.Int("max-bytes", credential.DefaultMaxBytes, "refuse documents larger than this many bytes")
	if status, ok := parseFlags(fs, args); !ok {
		return status
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitCantRun
	}
	name := fs.Arg(0)
	data, err := readInput(e, name, int64(*maxBytes))
	if err != nil {
		fmt.Fprintf(e.stderr, "openbadges validate: %v\n", err)
		return exitCantRun
	}
	res, err := credential.Check(data, &credential.CheckOptions{Parse: credential.ParseOptions{MaxBytes: *maxBytes}})
	if err != nil {
		fmt.Fprintf(e.stderr, "openbadges validate: %s: %v\n", displayName(name), err)
		return exitCantRun
	}

	if *asJSON {
		rep := validateReport{File: name, Valid: res.Valid(), Class: res.Class, Problems: []problemReport{}}
		if res.Version != credential.VersionUnknown {
			rep.Version = res.Version.String()
		}
		for _, p := range res.Problems {
			rep.Problems = append(rep.Problems, problemReport{Pointer: p.Pointer, Rule: p.Rule, Severity: p.Severity.String(), Message: p.Message})
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintf(e.stderr, "openbadges validate: %v\n", err)
			return exitCantRun
		}
	} else {
		for _, p := range res.Problems {
			fmt.Fprintln(e.stdout, p)
		}
		verdict := "invalid"
		if res.Valid() {
			verdict = "valid"
		}
		class := res.Class
		if class == "" {
			class = "document"
		}
		fmt.Fprintf(e.stdout, "%s: %s %s (%s)\n", displayName(name), verdict, class, summary(res))
	}
	if !res.Valid() {
		return exitNo
	}
	return exitOK
}

// summary counts errors and warnings for the last line of text output.
func summary(res *credential.CheckResult) string {
	var errs, warns int
	for _, p := range res.Problems {
		if p.Severity == credential.SeverityWarning {
			warns++
		} else {
			errs++
		}
	}
	s := count(errs, "error") + ", " + count(warns, "warning")
	if res.Version != credential.VersionUnknown {
		s = res.Version.String() + "; " + s
	}
	return s
}

func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
