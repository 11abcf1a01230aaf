// Command openbadges builds, checks and inspects Open Badges 3.0 credentials
// from the command line; every command is a thin layer over the library.
//
// Usage:
//
//	openbadges <command> [flags] [arguments]
//
// Commands:
//
//	validate   check a credential against the OB 3.0 JSON Schema and data model rules
//	keygen     generate a signing key (private JWK to a 0600 file, public facts on stdout)
//	did        resolve a DID or key URL to its public key and controller (offline unless --network)
//	bake       bake a credential into a PNG or SVG badge image
//	extract    print the credential in a PNG or SVG image, or an HTML or PDF certificate
//	render     write a credential's certificate: an HTML page, a baked SVG or a PDF
//	init       create a ready issuer folder: key, issuer.json, database, public/
//	issue      decide a submission against an achievement's criteria and issue the credential
//	revoke     revoke an award: the issuer's record and its status lists together
//	suspend    suspend an award until unsuspend (a suspension list), or lift it: unsuspend
//	reinstate  issue a revoked or rejected award anew, on a person's word
//	review     the submissions waiting for a person: list, approve, reject
//	publish    write the issuer's documents, signed status lists and an offline map
//	records    list what the issuer decided
//	sign       sign a credential: a Data Integrity proof (eddsa-rdfc-2022 by default) or a VC-JWT
//	present    sign a presentation of credentials with the holder's key, for a verifier's challenge
//	verify     verify a credential (JSON, JWT, PNG, SVG, HTML or PDF) or a presentation: proof, status, validity, recipient
//	status     revocation and suspension lists: create, allocate, revoke, publish, check
//	version    print the version of this program
//	help       print help for a command
//
// Conventions shared by every command: results go to standard output and
// diagnostics to standard error; --json gives machine-readable output; a
// file argument of "-" reads standard input. The exit status is 0 when the
// command succeeded and its answer is yes (the credential is valid), 1 when
// it ran and the answer is no, and 2 when it could not run at all (bad
// usage, an unreadable file, input that is not JSON); verify also exits 3
// when the credential is not verified only because something could not be
// decided (see openbadges verify --help).
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sort"
	"strings"
)

// Exit statuses.
const (
	exitOK      = 0 // done, and the answer is yes
	exitNo      = 1 // done, and the answer is no (an invalid credential)
	exitCantRun = 2 // usage error, unreadable input, input that is not JSON
)

// env is what a command may touch: its arguments and standard streams.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

// command is one subcommand.
type command struct {
	summary string
	usage   string // after "openbadges <name> "
	help    string // more, for `openbadges help <name>` (and the command's --help, which prints it too)
	run     func(e env, args []string) int
}

func commands() map[string]command {
	return map[string]command{
		"validate": {
			summary: "check a credential against the OB 3.0 JSON Schema and data model rules",
			usage:   "[--json] FILE|-",
			run:     runValidate,
		},
		"keygen": {
			summary: "generate a signing key: private JWK to a 0600 file, public facts on stdout",
			usage:   keygenUsage,
			run:     runKeygen,
		},
		"did": {
			summary: "resolve a DID or key URL to its public key and controller",
			usage:   "resolve [--offline-map FILE] [--network] DID|URL",
			run:     runDID,
		},
		"init": {
			summary: "create a ready issuer folder: a key, issuer.json, a database, and public/ to serve at the institution's URL",
			usage:   "--name NAME --url URL [--id did:web:…|https://…] [--dir DIR] [--db URL] [--encrypt]",
			help:    initHelp,
			run:     runInit,
		},
		"issue": {
			summary: "decide a learner's submission against an achievement's criteria and issue the signed credential",
			usage:   "--config FILE [--db sqlite:FILE|postgres://…] --achievement ID --recipient TYPE:VALUE [--score VALUE]... [--evidence URL]... [--bake IMAGE --out FILE]",
			run:     runIssue,
		},
		"sign": {
			summary: "sign a credential: a Data Integrity proof (eddsa-rdfc-2022 by default) or a VC-JWT",
			usage:   "--key FILE|--store DIR [--format di|jwt|vc+jwt] [--suite SUITE] [--alg ALG] [--vm URL] [--embed-jwk] [--created TIME] [--proof-object] [--no-check] [FILE|-]",
			run:     runSign,
		},
		"present": {
			summary: "sign a presentation of credentials (JSON, JWT, PNG or SVG) with the holder's key, for a verifier's challenge",
			usage:   "--key FILE [--holder ID] [--vm URL] [--challenge C] [--domain D] [--format di|jwt|enveloped] [--suite SUITE] [--id URL] [--created TIME] [--expires DURATION] CRED...",
			help:    presentHelp,
			run:     runPresent,
		},
		"verify": {
			summary: "verify a credential (JSON, JWT, PNG, SVG, HTML or PDF) or a presentation: proof, status, validity, recipient; offline by default",
			usage:   "[--json] [--now RFC3339] [--offline-map FILE] [--allow-network] [--recipient TYPE:VALUE] [--trust ISSUER]... [--strict] [--allow-unknown-status] [--vc-only] [--context URL=FILE]... [--challenge C] [--domain D] [--allow-unbound] FILE|-",
			help:    verifyHelp,
			run:     runVerify,
		},
		"bake": {
			summary: "bake a credential (JSON or compact JWS) into a PNG or SVG badge image",
			usage:   "--image FILE|- --credential FILE|- --out FILE|- [--keep-legacy] [--unsigned]",
			run:     runBake,
		},
		"suspend": {
			summary: "suspend an award until unsuspend: the issuer's record and its status list together",
			usage:   "--config FILE [--db URL] (--award-key KEY | --achievement ID --recipient TYPE:VALUE) [--reason TEXT]",
			help:    suspendHelp,
			run:     runSuspend,
		},
		"unsuspend": {
			summary: "lift an award's suspension: the issuer's record and its status list together",
			usage:   "--config FILE [--db URL] (--award-key KEY | --achievement ID --recipient TYPE:VALUE) [--reason TEXT]",
			help:    unsuspendHelp,
			run:     runUnsuspend,
		},
		"reinstate": {
			summary: "issue a revoked or rejected award anew, on a person's word: who (--by) and why (--reason) are kept",
			usage:   "--config FILE [--db URL] --achievement ID --recipient TYPE:VALUE --by NAME --reason TEXT [--score VALUE]... [--evidence [KIND=]URL]...",
			help:    reinstateHelp,
			run:     runReinstate,
		},
		"revoke": {
			summary: "revoke an award: the issuer's record and its status lists together",
			usage:   "--config FILE [--db URL] (--award-key KEY | --achievement ID --recipient TYPE:VALUE) [--reason TEXT]",
			help:    revokeHelp,
			run:     runRevoke,
		},
		"publish": {
			summary: "write what verifiers need from the issuer: its documents, its signed status lists, an offline map",
			usage:   "--config FILE [--db URL] --out DIR [--validity DURATION]",
			help:    publishHelp,
			run:     runPublish,
		},
		"review": {
			summary: "the submissions waiting for a person: list, approve, reject",
			usage:   "list|approve|reject [ID] --config FILE [--db URL] [flags] (openbadges review help)",
			run:     runReview,
		},
		"records": {
			summary: "list what the issuer decided: award key, achievement, state, credential",
			usage:   "list --config FILE [--db URL] [--state STATE] [--achievement ID] [--json]",
			run:     runRecords,
		},
		"render": {
			summary: "write a credential's certificate: an accessible HTML page, a baked SVG or a PDF, in the reader's language",
			usage:   "[--format html|svg|pdf] [--lang TAG] [--verify-url URL] [--template DIR] [--paper a4|letter] [--out FILE|-] CREDENTIAL|-",
			help:    renderHelp,
			run:     runRender,
		},
		"extract": {
			summary: "print the credential in a PNG or SVG image, or an HTML or PDF certificate (exit 1 if none)",
			usage:   "[--json] [--legacy] IMAGE|-",
			run:     runExtract,
		},
		"status": {
			summary: "revocation and suspension lists: create, allocate, revoke, suspend, publish, check",
			usage:   "create|allocate|revoke|suspend|unsuspend|publish|check [flags] (openbadges status help)",
			run:     runStatus,
		},
		"version": {
			summary: "print the version of this program",
			usage:   "",
			run:     runVersion,
		},
	}
}

func main() {
	os.Exit(run(os.Args[1:], env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}))
}

// run executes one command line and returns the exit status.
func run(args []string, e env) int {
	cmds := commands()
	if len(args) == 0 {
		usage(e.stderr, cmds)
		return exitCantRun
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(rest) == 1 {
			if c, ok := cmds[rest[0]]; ok {
				fmt.Fprintf(e.stdout, "usage: openbadges %s %s\n\n%s\n", rest[0], c.usage, c.summary)
				if c.help != "" {
					fmt.Fprintf(e.stdout, "%s\n(openbadges %s --help lists the flags)\n", c.help, rest[0])
				}
				return exitOK
			}
		}
		usage(e.stdout, cmds)
		return exitOK
	}
	c, ok := cmds[name]
	if !ok {
		fmt.Fprintf(e.stderr, "openbadges: unknown command %q\n\n", name)
		usage(e.stderr, cmds)
		return exitCantRun
	}
	return c.run(e, rest)
}

func usage(w io.Writer, cmds map[string]command) {
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintln(w, "usage: openbadges <command> [flags] [arguments]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "commands:")
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintln(w, "  help       print help for a command: openbadges help <command>")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "exit status: 0 yes/done, 1 no (e.g. invalid), 2 could not run")
}

// newFlags returns a FlagSet for a command that reports usage errors on
// stderr and never exits the process.
func newFlags(e env, name, usageLine string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: openbadges %s %s\n", name, usageLine)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, returning the exit status to use if parsing
// failed (or help was asked for) and ok false.
func parseFlags(fs *flag.FlagSet, args []string) (status int, ok bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK, false
		}
		return exitCantRun, false
	}
	return 0, true
}

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

func displayName(name string) string {
	if name == "-" {
		return "standard input"
	}
	return name
}

func runVersion(e env, args []string) int {
	fs := newFlags(e, "version", "")
	if status, ok := parseFlags(fs, args); !ok {
		return status
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return exitCantRun
	}
	v := "(devel)"
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" {
		v = info.Main.Version
	}
	fmt.Fprintln(e.stdout, "openbadges", strings.TrimSpace(v))
	return exitOK
}
