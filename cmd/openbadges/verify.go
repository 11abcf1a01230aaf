package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/fetch"
	"github.com/go-openbadges/openbadges/verify"
)

// repeated collects a flag given several times.
type repeated []string

func (r *repeated) String() string     { return strings.Join(*r, ",") }
func (r *repeated) Set(v string) error { *r = append(*r, v); return nil }

// exitUndecided is verify's exit status for a credential that is not
// verified only because something could not be decided (no check failed):
// a key whose issuer's document could not be had, a status list that could
// not be had or checked.
const exitUndecided = 3

// verifyHelp is what `openbadges verify --help` says after the flags.
const verifyHelp = `
What VERIFIED means: every check passed. The proof's key is confirmed as
the issuer's: the issuer is the did:key or did:jwk itself, or the issuer's
own DID document (did:web) or controller document (https) lists the key
under assertionMethod. A key named only in the verification method's URL
fragment (issuer#z6Mk...) or in a JWT header's jwk is a hint, never a
confirmation. The status (revocation, suspension) was decided; the
credential is within its validity window; with --recipient, it is that
person's; with --trust, its issuer is one of those listed (which never
makes a key confirmed).

The issuer's document: offline, supply it with --offline-map, a JSON
object from DID or URL to the document (a file path relative to the map,
or the document itself), e.g.
  {"did:web:example.edu": "did.json",
   "https://example.edu/issuers/1": "issuer.json",
   "https://example.edu/status/1": "status-list.json"}
or let it be fetched with --allow-network (https only; loopback and
private addresses refused).

Presentations: a presentation (JSON with a Data Integrity proof, a vp+jwt,
an EnvelopedVerifiablePresentation) is VERIFIED when its proof is by its
holder's key (as a credential's must be its issuer's, listed under
authentication), carries the --challenge and --domain given, and every
credential inside is VERIFIED; each credential gets its own report below
the presentation's. Without --challenge nothing prevents replay (a
warning). A presentation without a proof is NOT VERIFIED unless
--allow-unbound.

Open Badges 2.0: an assertion (JSON, a signed JWS, baked in a PNG or
SVG, or a file holding the URL of a hosted one) is VERIFIED when its
BadgeClass and its issuer's Profile, read from their ids, are valid, and
it is the issuer's: signed with a key the Profile lists whose
CryptographicKey names the issuer as owner, or hosted at its id (the copy
there is the one given) within the Profile's allowedOrigins (by default
the issuer's own host); not revoked (revocation list, revoked copy, 410
Gone), not expired. The offline map serves those documents by id.

Exit status:
  0  verified
  1  not verified: a check failed (forged, tampered, revoked, expired, ...)
  2  could not run: bad usage, unreadable input, not a credential
  3  not verified, inconclusive: nothing failed, but something could not
     be decided (the issuer's document or the status list could not be
     had); the report says what to supply. --allow-unknown-status accepts
     an undecided status (exit 0), for a wallet that knows it is offline.
With several files (openbadges verify --offline-map map.json badges/*.json),
each is verified and reported in turn (with --json, one line per file:
{"file", "report"}), a tally ends on standard error, and the exit status
is the worst: 2, then 1, then 3, then 0.
`

// runVerify verifies a credential fully: a JSON credential, a compact JWS,
// or a PNG or SVG badge, or a presentation and the credentials in it,
// offline unless --allow-network. Exit 0 when it is
// verified, 1 when it is not, 3 when it is not because something could not
// be decided, 2 when it cannot be verified at all.
func runVerify(e env, args []string) int {
	const usageLine = "[--json] [--now RFC3339] [--offline-map FILE|-] [--allow-network] [--recipient TYPE:VALUE] [--trust ISSUER]... [--strict] [--allow-unknown-status] [--vc-only] [--context URL=FILE]... [--challenge C] [--domain D] [--allow-unbound] FILE|-..."
	fs := newFlags(e, "verify", usageLine)
	asJSON := fs.Bool("json", false, "print the report as JSON")
	nowFlag := fs.String("now", "", "verify as of this time, RFC 3339 (default: now)")
	skew := fs.Duration("clock-skew", 0, "tolerate clocks this far apart at both ends of the validity window")
	mapFile := fs.String("offline-map", "", "JSON object from URL or DID to a document: a file path (relative to the map's folder) or the document itself; serves issuers' DID and controller documents, status lists, refresh services and schemas")
	network := fs.Bool("allow-network", false, "fetch what the offline map does not hold (https only, public addresses only, 10 s, 1 MiB each)")
	deprecatedAlias(e, fs, "network", "allow-network")
	recipient := fs.String("recipient", "", "check the credential was issued to TYPE:VALUE, such as emailAddress:ada@example.org, or id:did:example:123")
	var trusted, contexts repeated
	fs.Var(&trusted, "trust", "accept only this issuer `ID` (repeatable); it never makes a key confirmed")
	fs.Var(&contexts, "context", "add the JSON-LD context `URL=FILE` (repeatable; FILE may be - for standard input)")
	strict := fs.Bool("strict", false, "treat warnings (legacy forms, endorsements that do not verify) as failures")
	allowUnknown := fs.Bool("allow-unknown-status", false, "verify even when the status cannot be decided (the report still says so); by default that is exit 3")
	vcOnly := fs.Bool("vc-only", false, "verify any Verifiable Credential: skip the OB 3.0 schema and rules")
	challenge := fs.String("challenge", "", "a presentation's proof must carry this challenge, the one you gave the holder")
	domain := fs.String("domain", "", "a presentation's proof must carry this domain, yours")
	allowUnbound := fs.Bool("allow-unbound", false, "verify a presentation without a proof when its credentials verify (nothing then shows who presented it)")
	timeout := fs.Duration("timeout", time.Minute, "give up after this long")
	if u := fs.Usage; u != nil {
		fs.Usage = func() { u(); fmt.Fprint(fs.Output(), verifyHelp) }
	}
	if status, ok := parseFlags(fs, args); !ok {
		return status
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return exitCantRun
	}
	names := fs.Args()
	fail := func(err error) int {
		fmt.Fprintf(e.stderr, "openbadges verify: %s\n", forPeople(err.Error()))
		return exitCantRun
	}
	var uses []stdinUse
	for _, n := range names {
		uses = append(uses, stdinUse{"the credential", n})
	}
	uses = append(uses, stdinUse{"--offline-map", *mapFile})
	for _, c := range contexts {
		_, file, _ := strings.Cut(c, "=")
		uses = append(uses, stdinUse{"--context " + c, file})
	}
	if err := oneStdin(uses...); err != nil {
		return fail(err)
	}
	trust := verify.Trust{TrustedIssuers: trusted}
	policy := verify.Policy{ClockSkew: *skew, Strict: *strict, AllowUnknownStatus: *allowUnknown, VCOnly: *vcOnly,
		Challenge: *challenge, Domain: *domain, AllowUnboundPresentation: *allowUnbound}
	if *nowFlag != "" {
		t, err := time.Parse(time.RFC3339, *nowFlag)
		if err != nil {
			return fail(fmt.Errorf("--now: %w", err))
		}
		policy.Now = t
	}
	if *mapFile != "" {
		docs, err := readOfflineMap(e, *mapFile)
		if err != nil {
			return fail(err)
		}
		trust.Documents = docs
	}
	if *network {
		trust.Fetcher = fetch.HTTP{}
	}
	if *recipient != "" {
		typ, value, ok := strings.Cut(*recipient, ":")
		if !ok || typ == "" || value == "" {
			return fail(fmt.Errorf("--recipient %q: want TYPE:VALUE, such as emailAddress:ada@example.org", *recipient))
		}
		policy.Recipient = &verify.Identity{Type: typ, Value: value}
	}
	if len(contexts) > 0 {
		trust.Contexts = map[string][]byte{}
		for _, c := range contexts {
			u, file, ok := strings.Cut(c, "=")
			if !ok {
				return fail(fmt.Errorf("--context %q: want URL=FILE", c))
			}
			b, err := readInput(e, file, maxOfflineMap)
			if err != nil {
				return fail(err)
			}
			trust.Contexts[u] = b
		}
	}
	v, err := verify.New(trust)
	if err != nil {
		return fail(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	if len(names) == 1 {
		return verifyOne(ctx, e, v, &policy, names[0], *asJSON, false)
	}
	// Several files: each verified and reported in turn, the worst outcome
	// is the exit status, and a tally ends the output.
	var worst int
	tally := map[int]int{}
	for _, name := range names {
		status := verifyOne(ctx, e, v, &policy, name, *asJSON, true)
		tally[status]++
		if severity(status) > severity(worst) {
			worst = status
		}
	}
	fmt.Fprintf(e.stderr, "%d files: %d verified, %d not verified, %d undecided, %d could not be read\n",
		len(names), tally[exitOK], tally[exitNo], tally[exitUndecided], tally[exitCantRun])
	return worst
}

// severity orders exit statuses for several files: could not run, then
// not verified, then undecided, then verified.
func severity(status int) int {
	switch status {
	case exitCantRun:
		return 3
	case exitNo:
		return 2
	case exitUndecided:
		return 1
	}
	return 0
}

// verifyOne verifies the file name (or standard input, for "-") and
// prints its report: the text report, or JSON (with several, one line per
// file: {"file", "report"}). It returns the file's exit status.
func verifyOne(ctx context.Context, e env, v *verify.Verifier, policy *verify.Policy, name string, asJSON, several bool) int {
	fail := func(err error) int {
		prefix := "openbadges verify: "
		if several {
			prefix += displayName(name) + ": "
		}
		fmt.Fprintf(e.stderr, "%s%s\n", prefix, forPeople(err.Error()))
		return exitCantRun
	}
	input, err := readInput(e, name, verify.DefaultMaxBytes)
	if err != nil {
		return fail(err)
	}
	rep, err := v.Verify(ctx, input, policy)
	if err != nil {
		return fail(err)
	}
	reportForPeople(rep)
	switch {
	case asJSON && several:
		enc := json.NewEncoder(e.stdout)
		if err := enc.Encode(struct {
			File   string         `json:"file"`
			Report *verify.Report `json:"report"`
		}{name, rep}); err != nil {
			return fail(err)
		}
	case asJSON:
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return fail(err)
		}
	default:
		fmt.Fprintf(e.stdout, "%s: %s", displayName(name), rep)
		if line := summaryLine(rep.Summary); line != "" {
			fmt.Fprintf(e.stdout, "  it says: %s\n", line)
		}
		for _, f := range rep.Fetched {
			line := fmt.Sprintf("  read %s from the %s (%d bytes)", f.URL, f.From, f.Bytes)
			if f.Error != "" {
				line = fmt.Sprintf("  could not read %s from the %s: %s", f.URL, f.From, f.Error)
			}
			fmt.Fprintln(e.stdout, line)
		}
	}
	switch {
	case rep.Verified:
		return exitOK
	case rep.Inconclusive && len(rep.Failed()) == 0:
		return exitUndecided
	}
	return exitNo
}

// summaryLine says what a credential's summary shows a person: the
// achievement, its issuer, its recipient's name and its dates; "" when it
// shows nothing.
func summaryLine(s *verify.Summary) string {
	if s == nil {
		return ""
	}
	var parts []string
	switch {
	case s.AchievementName != "":
		parts = append(parts, fmt.Sprintf("%q", s.AchievementName))
	case s.Name != "":
		parts = append(parts, fmt.Sprintf("%q", s.Name))
	}
	if s.IssuerName != "" {
		parts = append(parts, "by "+s.IssuerName)
	}
	if s.RecipientName != "" {
		parts = append(parts, "to "+s.RecipientName)
	}
	if !s.ValidFrom.IsZero() {
		parts = append(parts, "from "+s.ValidFrom.Format(time.DateOnly))
	}
	if !s.ValidUntil.IsZero() {
		parts = append(parts, "until "+s.ValidUntil.Format(time.DateOnly))
	}
	return strings.Join(parts, ", ")
}

// readOfflineMap reads an offline map (verify.ParseDocumentMap): a JSON
// object whose members map a DID or URL to its document, or to the path of
// a file holding it, relative to the map's folder.
func readOfflineMap(e env, name string) (map[string][]byte, error) {
	data, err := readInput(e, name, maxOfflineMap)
	if err != nil {
		return nil, err
	}
	dir := "."
	if name != "-" {
		dir = filepath.Dir(name)
	}
	docs, err := verify.ParseDocumentMap(data, dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return docs, nil
}
