package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/go-openbadges/openbadges/verify"
)

// goNames turns the library's names of its options, in the messages it
// returns and the reports it writes for Go programs, into what a person
// at the command line does: the flag that supplies the same thing. The
// phrases come first, the option names alone after them.
var goNames = strings.NewReplacer(
	// verify
	"not in Trust.Documents, and fetching is off: supply it in Trust.Documents (openbadges verify --offline-map) or allow fetching (Trust.Fetcher, --allow-network)", "not available offline: pass --offline-map FILE (openbadges publish writes one) or --allow-network",
	"supply it in Trust.Documents (openbadges verify --offline-map) or allow fetching (Trust.Fetcher, --allow-network)", "pass --offline-map FILE (openbadges publish writes one) or --allow-network",
	"not in Trust.Documents, and fetching is off", "not available offline: pass --offline-map FILE (openbadges publish writes one) or --allow-network",
	"fetching is off and Trust.Documents does not hold it", "it is not in the --offline-map, and --allow-network is off",
	"pass it in Trust.Documents, or allow fetching", "pass --offline-map FILE or --allow-network",
	"(set Policy.Challenge, --challenge, to a fresh value per presentation)", "(pass --challenge with a fresh value per presentation)",
	"accepted by Policy.AllowUnboundPresentation", "accepted by --allow-unbound",
	"(Policy.AllowUnboundPresentation accepts an unsigned one)", "(--allow-unbound accepts an unsigned one)",
	"is accepted by Policy.AllowUnknownStatus", "is accepted by --allow-unknown-status",
	" (Trust.MaxCredentials)", "",
	// did
	"did: no fetcher, and the reference needs the network", "did: the document is not available offline, and --allow-network is off",
	// render/pdf (the command line takes no font files)
	"Add a TrueType (.ttf) font that has it to Config.Fonts, or install a system font:", "Install a system font that has it:",
	// status
	"no document for it, and no fetcher to retrieve it with", "it is not in the --offline-map, and --allow-network is off",
	// keys
	" (DirOptions.Passphrase)", "",
	"DirOptions.ScryptLogN", "--scrypt-log-n",
)

// inlineLimit is verify's advice on a limit of inline contexts, which no
// flag raises.
var inlineLimit = regexp.MustCompile(`; to accept it, raise verify\.Trust\.\w+ \(negative for no limit\)`)

// forPeople rewrites a message of the library for a person at the command
// line: what the library names by a Go option becomes the flag to pass.
func forPeople(msg string) string {
	return inlineLimit.ReplaceAllString(goNames.Replace(msg), " (a limit that protects the verifier; the command line keeps it)")
}

// reportForPeople rewrites the messages of a verification report, and of
// the reports inside it, with forPeople.
func reportForPeople(rep *verify.Report) {
	for i := range rep.Checks {
		rep.Checks[i].Message = forPeople(rep.Checks[i].Message)
	}
	for i := range rep.Fetched {
		rep.Fetched[i].Error = forPeople(rep.Fetched[i].Error)
	}
	for _, r := range rep.Endorsements {
		reportForPeople(r)
	}
	for _, r := range rep.Credentials {
		reportForPeople(r)
	}
}

// printJSON prints v as indented JSON on standard output, for the --json
// of command name: exit 0, or 2 if it could not be written.
func printJSON(e env, name string, v any) int {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		fmt.Fprintf(e.stderr, "openbadges %s: %v\n", name, err)
		return exitCantRun
	}
	return exitOK
}
