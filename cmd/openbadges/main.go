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
//	did        resolve a DID or key URL to its public key and controller (offline unless --allow-network)
//	bake       bake a credential into a PNG or SVG badge image
//	extract    print the credential in a PNG or SVG image, or an HTML or PDF certificate
//	render     write a credential's certificate: an HTML page, a baked SVG or a PDF
//	init       create a ready issuer folder: key, issuer.json, database, public/
//	issue      decide a submission against an achievement's criteria and issue the credential
//	revoke     revoke an award: the issuer's record and its status lists together
//	suspend    suspend an award until unsuspend (a suspension list), or lift it: unsuspend
//	reinstate  issue a revoked or rejected award anew, on a person's word
//	review     the submissions waiting for a person: list, approve, reject
//	clr        issue a learner's Comprehensive Learner Record: their credentials and how their achievements relate
//	pathways   award the pathways (programs of courses) learners completed but were not awarded
//	publish    write the issuer's documents, signed status lists and an offline map
//	records    list what the issuer decided, a page at a time
//	report     who earned what, how fast, where reviews pile up: a table, CSV, JSON or an HTML page
//	sign       sign a credential: a Data Integrity proof (eddsa-rdfc-2022 by default) or a VC-JWT
//	present    sign a presentation of credentials with the holder's key, for a verifier's challenge
//	verify     verify a credential (JSON, JWT, PNG, SVG, HTML or PDF) or a presentation: proof, status, validity, recipient
//	status     revocation and suspension lists: create, allocate, revoke, publish, check
//	version    print the version of this program
//	help       print help for a command: its usage, flags and examples
//	completion print a shell completion script: bash, zsh or fish
//
// Conventions shared by every command: flags go before or after the
// arguments, and "--" ends them (a file named like a flag follows it);
// results go to standard output and diagnostics to standard error; a
// command that prints data prints text for people, and JSON with --json; a
// file argument or flag of "-" reads standard input (one per command), and
// --out - writes standard output, so no file named "-" is ever read or
// written; a command that may fetch does so only with --allow-network.
// openbadges help COMMAND shows a command's flags and examples, and
// openbadges completion bash|zsh|fish prints a shell completion script.
// The exit status is 0 when the
// command succeeded and its answer is yes (the credential is valid), 1 when
// it ran and the answer is no, and 2 when it could not run at all (bad
// usage, an unreadable file, input that is not JSON); verify also exits 3
// when the credential is not verified only because something could not be
// decided (see openbadges verify --help).
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
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
	// flagSets, if set, is called by newFlags with each FlagSet a command
	// makes. commandFlags sets it and runs a command with --help alone:
	// that is how help and completion learn each command's flags from the
	// command itself, with no second list to keep in step. So a command
	// makes its FlagSet (newFlags) and parses it (parseFlags) before it
	// does anything else; TestCommandFlags checks each has one.
	flagSets func(*flag.FlagSet)
}

// command is one subcommand.
type command struct {
	summary string
	usage   string // after "openbadges <name> "
	help    string // more, for `openbadges help <name>` (and the command's --help, which prints it too)
	// subcommands are the words that come after the command's name (status
	// create, review list), for help and completion; each makes a FlagSet
	// named "<name> <subcommand>".
	subcommands []string
	// examples are command lines that work, for `openbadges help <name>`:
	// at least one per command.
	examples []example
	run      func(e env, args []string) int
}

// example is one example of a command line.
type example struct {
	what string // what it does, shown as a comment above it
	line string // the command line, from "openbadges"
}

func commands() map[string]command {
	return map[string]command{
		"validate": {
			summary: "check a credential against the OB 3.0 JSON Schema and data model rules",
			usage:   "[--json] FILE|-",
			examples: []example{
				{"check a credential: exit 0 valid, 1 invalid, 2 unreadable", "openbadges validate credential.json"},
				{"check the credential baked into a badge, the problems as JSON", "openbadges extract baked.png | openbadges validate --json -"},
			},
			run: runValidate,
		},
		"keygen": {
			summary: "generate a signing key: private JWK to a 0600 file, public facts on stdout",
			usage:   keygenUsage,
			examples: []example{
				{"an Ed25519 key in a new file here (0600), its did:key on standard output", "openbadges keygen"},
				{"a P-256 key in p256.jwk, its public facts as JSON", "openbadges keygen --type p256 --out p256.jwk --json"},
				{"the signing key of a did:web issuer, in a key directory", "openbadges keygen --store keys --controller did:web:example.edu"},
				{"a new key for that issuer; the old one is retired, its public key kept", "openbadges keygen --store keys --controller did:web:example.edu --rotate"},
			},
			run: runKeygen,
		},
		"did": {
			summary:     "resolve a DID or key URL to its public key and controller",
			usage:       "resolve [--offline-map FILE] [--allow-network] [--json] DID|URL",
			subcommands: []string{"resolve"},
			examples: []example{
				{"the key and controller of a did:key", "openbadges did resolve did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"},
				{"a did:web issuer's key, offline, from what openbadges publish wrote", "openbadges did resolve --offline-map public/map.json did:web:example.edu#key-1"},
				{"the same key fetched from the issuer's web site, as JSON", "openbadges did resolve --allow-network --json did:web:example.edu#key-1"},
			},
			run: runDID,
		},
		"init": {
			summary: "create a ready issuer folder: a key, issuer.json, a database, and public/ to serve at the institution's URL",
			usage:   "--name NAME --url URL [--id did:web:…|https://…] [--dir DIR] [--db URL] [--encrypt]",
			help:    initHelp,
			examples: []example{
				{"a did:web issuer in the folder issuer, asking nothing", "openbadges init --name 'Example University' --url https://example.edu --dir issuer"},
				{"the same, its private key encrypted with $OPENBADGES_PASSPHRASE", "openbadges init --name 'Example University' --url https://example.edu --dir issuer --encrypt"},
			},
			run: runInit,
		},
		"issue": {
			summary: "decide a learner's submission against an achievement's criteria and issue the signed credential",
			usage:   "--config FILE [--db sqlite:FILE|postgres://…] --achievement ID --recipient TYPE:VALUE [--score VALUE]... [--evidence URL]... [--bake IMAGE --out FILE]",
			examples: []example{
				{"decide a learner's result; if awarded, print the signed credential", "openbadges issue --config issuer/issuer.json --achievement https://example.edu/achievements/example --recipient emailAddress:ada@example.org --score 92"},
				{"the same, baked into the badge image", "openbadges issue --config issuer/issuer.json --achievement https://example.edu/achievements/example --recipient emailAddress:ada@example.org --score 92 --bake badge.png --out ada.png"},
				{"a CSV of results, each awarded credential written to badges/", "openbadges issue --config issuer/issuer.json --batch results.csv --out-dir badges"},
			},
			run: runIssue,
		},
		"sign": {
			summary: "sign a credential: a Data Integrity proof (eddsa-rdfc-2022 by default) or a VC-JWT",
			usage:   "--key FILE|--store DIR [--format di|jwt|vc+jwt] [--suite SUITE] [--alg ALG] [--vm URL] [--embed-jwk] [--created TIME] [--proof-object] [--no-check] [FILE|-]",
			help:    signHelp,
			examples: []example{
				{"add an eddsa-rdfc-2022 proof with a key file", "openbadges sign --key issuer.jwk credential.json > signed.json"},
				{"sign with the issuer's active key in a key directory", "openbadges sign --store keys credential.json > signed.json"},
				{"a VC-JWT instead of an embedded proof", "openbadges sign --key issuer.jwk --format jwt credential.json > signed.jwt"},
			},
			run: runSign,
		},
		"present": {
			summary: "sign a presentation of credentials (JSON, JWT, PNG or SVG) with the holder's key, for a verifier's challenge",
			usage:   "--key FILE [--holder ID] [--vm URL] [--challenge C] [--domain D] [--format di|jwt|enveloped] [--suite SUITE] [--id URL] [--created TIME] [--expires DURATION] CRED...",
			help:    presentHelp,
			examples: []example{
				{"present a badge for the challenge and domain a verifier gave", "openbadges present --key holder.jwk --challenge 4f2a9c --domain verifier.example.org baked.png > presentation.json"},
				{"two JWT credentials as a vp+jwt", "openbadges present --key holder.jwk --format jwt --challenge 4f2a9c one.jwt two.jwt"},
			},
			run: runPresent,
		},
		"verify": {
			summary: "verify a credential (JSON, JWT, PNG, SVG, HTML or PDF) or a presentation: proof, status, validity, recipient; offline by default",
			usage:   "[--json] [--now RFC3339] [--offline-map FILE] [--allow-network] [--recipient TYPE:VALUE] [--trust ISSUER]... [--strict] [--allow-unknown-status] [--vc-only] [--context URL=FILE]... [--challenge C] [--domain D] [--allow-unbound] FILE|-...",
			help:    verifyHelp,
			examples: []example{
				{"verify a badge offline, with the documents openbadges publish wrote", "openbadges verify --offline-map public/map.json baked.png"},
				{"verify a whole term's badges; the exit status is the worst of them", "openbadges verify --offline-map public/map.json badges/*.json"},
				{"fetch the issuer's document and status list; the report as JSON", "openbadges verify --allow-network --json signed.json"},
				{"verify that a badge is this learner's", "openbadges verify --offline-map public/map.json --recipient id:did:example:ada baked.png"},
				{"verify a presentation made for your challenge", "openbadges verify --offline-map public/map.json --challenge 4f2a9c --domain verifier.example.org presentation.json"},
			},
			run: runVerify,
		},
		"bake": {
			summary: "bake a credential (JSON or compact JWS) into a PNG or SVG badge image",
			usage:   "--image FILE|- --credential FILE|- --out FILE|- [--keep-legacy] [--unsigned]",
			help:    bakeHelp,
			examples: []example{
				{"bake a signed credential into a PNG badge", "openbadges bake --image badge.png --credential signed.json --out baked.png"},
				{"sign and bake in one pipeline", "openbadges sign --key issuer.jwk credential.json | openbadges bake --image badge.svg --credential - --out baked.svg"},
			},
			run: runBake,
		},
		"suspend": {
			summary: "suspend an award until unsuspend: the issuer's record and its status list together",
			usage:   "--config FILE [--db URL] (--award-key KEY | --achievement ID --recipient TYPE:VALUE) [--reason TEXT]",
			help:    suspendHelp,
			examples: []example{
				{"suspend a learner's award while a complaint is looked into", "openbadges suspend --config issuer/issuer.json --achievement https://example.edu/achievements/example --recipient emailAddress:ada@example.org --reason 'under review'"},
				{"suspend by award key, as openbadges records list prints it", "openbadges suspend --config issuer/issuer.json --award-key 3f1c9a0e"},
			},
			run: runSuspend,
		},
		"unsuspend": {
			summary: "lift an award's suspension: the issuer's record and its status list together",
			usage:   "--config FILE [--db URL] (--award-key KEY | --achievement ID --recipient TYPE:VALUE) [--reason TEXT]",
			help:    unsuspendHelp,
			examples: []example{
				{"lift a learner's suspension", "openbadges unsuspend --config issuer/issuer.json --achievement https://example.edu/achievements/example --recipient emailAddress:ada@example.org"},
				{"lift it by award key", "openbadges unsuspend --config issuer/issuer.json --award-key 3f1c9a0e --reason 'complaint withdrawn'"},
			},
			run: runUnsuspend,
		},
		"reinstate": {
			summary: "issue a revoked or rejected award anew, on a person's word: who (--by) and why (--reason) are kept",
			usage:   "--config FILE [--db URL] --achievement ID --recipient TYPE:VALUE --by NAME --reason TEXT [--score VALUE]... [--evidence [KIND=]URL]...",
			help:    reinstateHelp,
			examples: []example{
				{"issue a revoked award anew, saying who decided and why", "openbadges reinstate --config issuer/issuer.json --achievement https://example.edu/achievements/example --recipient emailAddress:ada@example.org --by grace --reason 'revoked in error'"},
			},
			run: runReinstate,
		},
		"revoke": {
			summary: "revoke an award: the issuer's record and its status lists together",
			usage:   "--config FILE [--db URL] (--award-key KEY | --achievement ID --recipient TYPE:VALUE) [--reason TEXT]",
			help:    revokeHelp,
			examples: []example{
				{"revoke a learner's award", "openbadges revoke --config issuer/issuer.json --achievement https://example.edu/achievements/example --recipient emailAddress:ada@example.org --reason 'issued in error'"},
				{"revoke by award key, as openbadges records list prints it", "openbadges revoke --config issuer/issuer.json --award-key 3f1c9a0e"},
			},
			run: runRevoke,
		},
		"clr": {
			summary: "issue a learner's Comprehensive Learner Record: their credentials, embedded as signed, and how their achievements relate, in one signed credential",
			usage:   clrUsage,
			help:    clrHelp,
			examples: []example{
				{"a learner's record of every credential the issuer awarded them", "openbadges clr --config issuer/issuer.json --learner emailAddress:ada@example.org > ada-clr.json"},
				{"the same, with the ids of the credentials it embeds, as JSON", "openbadges clr --config issuer/issuer.json --learner emailAddress:ada@example.org --json"},
				{"a record of the credentials a learner hands in, named", "openbadges clr --config issuer/issuer.json --learner id:did:example:ada --name 'Transcript of Ada Lovelace' badges/a.json badges/b.png"},
			},
			run: runCLR,
		},
		"pathways": {
			summary: "award the pathways (programs made of courses) that learners completed but were not awarded, after a crash or a new pathway",
			usage:   pathwaysUsage,
			help:    pathwaysHelp,
			examples: []example{
				{"award what every learner the records name by id has completed", "openbadges pathways --config issuer/issuer.json"},
				{"one learner's, by email address, as JSON", "openbadges pathways --config issuer/issuer.json --learner emailAddress:ada@example.org --json"},
			},
			run: runPathways,
		},
		"publish": {
			summary: "write what verifiers need from the issuer: its documents, its signed status lists, an offline map",
			usage:   "--config FILE [--db URL] --out DIR [--validity DURATION]",
			help:    publishHelp,
			examples: []example{
				{"write what to serve at the issuer's URL, and map.json for offline verifiers", "openbadges publish --config issuer/issuer.json --out issuer/public"},
				{"status lists valid for a week", "openbadges publish --config issuer/issuer.json --out issuer/public --validity 168h"},
			},
			run: runPublish,
		},
		"review": {
			summary:     "the submissions waiting for a person: list, approve, reject",
			usage:       "list|approve|reject [ID] --config FILE [--db URL] [flags] (openbadges review help)",
			subcommands: []string{"list", "approve", "reject"},
			examples: []example{
				{"the submissions waiting for a person", "openbadges review list --config issuer/issuer.json"},
				{"approve one: the credential is issued and printed", "openbadges review approve --config issuer/issuer.json --achievement https://example.edu/achievements/example --recipient emailAddress:ada@example.org --reviewer grace"},
				{"reject one, saying why", "openbadges review reject --config issuer/issuer.json --achievement https://example.edu/achievements/example --recipient emailAddress:ada@example.org --reviewer grace --note 'the project link is broken'"},
			},
			run: runReview,
		},
		"records": {
			summary:     "list what the issuer decided: award key, achievement, state, credential",
			usage:       "list --config FILE [--db URL] [--state STATE] [--achievement ID] [--json]",
			subcommands: []string{"list"},
			examples: []example{
				{"what the issuer decided, one award a line", "openbadges records list --config issuer/issuer.json"},
				{"the revoked awards, as JSON", "openbadges records list --config issuer/issuer.json --state revoked --json"},
			},
			run: runRecords,
		},
		"report": {
			summary: "report what the issuer decided, per achievement and period, with small groups hidden; export the decisions",
			usage:   reportUsage + " | export [flags]",
			help:    reportHelp,
			examples: []example{
				{"this year so far, per achievement and month, in Berlin time", "openbadges report --config issuer/issuer.json --since 2026-01-01 --by month --tz Europe/Berlin"},
				{"the page to send to a funder: charts and tables, no learner named", "openbadges report --config issuer/issuer.json --by month --format html --out report.html"},
				{"every decision as CSV for a spreadsheet, without learners", "openbadges report export --config issuer/issuer.json --format csv --out decisions.csv"},
			},
			run: runReport,
		},
		"render": {
			summary: "write a credential's certificate: an accessible HTML page, a baked SVG or a PDF, in the reader's language",
			usage:   "[--format html|svg|pdf] [--lang TAG] [--verify-url URL] [--template DIR] [--paper a4|letter] [--out FILE|-] CREDENTIAL|-",
			help:    renderHelp,
			examples: []example{
				{"an accessible HTML certificate", "openbadges render --out certificate.html signed.json"},
				{"a PDF on US Letter paper, in French, from a baked badge", "openbadges render --format pdf --paper letter --lang fr --out certificate.pdf baked.png"},
				{"an SVG whose QR code links to the issuer's verification page", "openbadges render --format svg --verify-url 'https://example.edu/verify?id={id}' --out certificate.svg signed.json"},
			},
			run: runRender,
		},
		"extract": {
			summary: "print the credential in a PNG or SVG image, or an HTML or PDF certificate (exit 1 if none)",
			usage:   "[--json] [--legacy] IMAGE|-",
			examples: []example{
				{"print the credential baked into a badge", "openbadges extract baked.png"},
				{"the credential in a PDF certificate, with its format and kind, as JSON", "openbadges extract --json certificate.pdf"},
			},
			run: runExtract,
		},
		"status": {
			summary:     "revocation and suspension lists: create, allocate, revoke, suspend, publish, check",
			usage:       "create|allocate|revoke|suspend|unsuspend|publish|check [flags] (openbadges status help)",
			subcommands: []string{"create", "allocate", "revoke", "suspend", "unsuspend", "publish", "check"},
			examples: []example{
				{"a revocation list to publish at a URL", "openbadges status create --store lists --url https://example.edu/status/1"},
				{"revoke a credential in it", "openbadges status revoke --store lists --url https://example.edu/status/1 --credential signed.json"},
				{"sign the list, to serve at its URL", "openbadges status publish --store lists --url https://example.edu/status/1 --key issuer.jwk --out public/status/1"},
				{"check a credential's status offline", "openbadges status check --offline-map public/map.json signed.json"},
			},
			run: runStatus,
		},
		"version": {
			summary: "print the version of this program",
			usage:   "",
			examples: []example{
				{"the version of this program", "openbadges version"},
				{"the same, and the Go version it was built with, as JSON", "openbadges version --json"},
			},
			run: runVersion,
		},
		"help": {
			summary: "print help for a command: its usage, flags and examples",
			usage:   "[COMMAND]",
			examples: []example{
				{"every command, in a line each", "openbadges help"},
				{"one command: what it does, its flags, examples", "openbadges help verify"},
			},
			run: runHelp,
		},
		"completion": {
			summary: "print a shell completion script: bash, zsh or fish",
			usage:   "bash|zsh|fish",
			help:    completionHelp,
			examples: []example{
				{"complete openbadges in this bash session", "source <(openbadges completion bash)"},
				{"zsh, for every new shell (a folder in $fpath)", "openbadges completion zsh > ~/.zfunc/_openbadges"},
				{"fish, for every new shell", "openbadges completion fish > ~/.config/fish/completions/openbadges.fish"},
			},
			run: runCompletion,
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
	case "-h", "-help", "--help":
		name = "help"
	}
	c, ok := cmds[name]
	if !ok {
		fmt.Fprintf(e.stderr, "openbadges: unknown command %q\n\n", name)
		usage(e.stderr, cmds)
		return exitCantRun
	}
	return c.run(e, rest)
}
