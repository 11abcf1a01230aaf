// Wallet: what a wallet or verifier app does with a folder of badges. Every
// file in the folder is read and, if it holds a badge (an Open Badges 3.0
// credential: JSON, a VC-JWT, or a PNG or SVG with one baked in; or an Open
// Badges 2.0 assertion: JSON, a signed JWS, baked in a PNG or SVG, or the
// URL of a hosted one; found by content, whatever the file is called),
// verified offline with package verify. A table says, for each badge, who
// issued it, for what, to whom, and whether it verified:
//
//	go run ./examples/wallet [-offline-map FILE] [-now RFC3339] [-recipient TYPE:VALUE] DIR
//	go run ./examples/wallet -now 2026-01-01T00:00:00Z examples/wallet/testdata/badges
//
// The verdict is VERIFIED, NOT VERIFIED (a check failed: the first failed
// check is shown) or INCONCLUSIVE (nothing failed, but a check could not
// decide, such as a revocation list the wallet does not hold). Nothing is
// fetched: -offline-map names a JSON object from URL or DID to the file
// holding its document (a path relative to the map's folder), for the
// status lists and key documents the wallet keeps, and for OB 2.0 badges
// their issuers' Profiles and keys, BadgeClasses, revocation lists and
// hosted assertions; `openbadges verify --offline-map` reads the same
// form. -recipient checks that every badge was issued
// to TYPE:VALUE, such as emailAddress:ada@example.org.
//
// Files that hold no badge are skipped with a note on standard error;
// folders inside DIR are not entered.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/verify"
)

func main() {
	log.SetFlags(0)
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			log.Print("wallet: ", err)
		}
		os.Exit(2)
	}
}

// maxOfflineMap bounds the offline map and each document it names.
const maxOfflineMap = 4 << 20

// run verifies every badge in the folder args names and prints the table
// on stdout, notes about skipped files on stderr. The error is non-nil only
// when it could not run: bad arguments, an unreadable folder or map.
func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("wallet", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: wallet [-offline-map FILE] [-now RFC3339] [-recipient TYPE:VALUE] DIR")
		fs.PrintDefaults()
	}
	mapFile := fs.String("offline-map", "", "JSON object from URL or DID to the file holding its document (status lists, key documents)")
	nowFlag := fs.String("now", "", "verify as of this time, RFC 3339 (default: now)")
	recipient := fs.String("recipient", "", "check each badge was issued to TYPE:VALUE, such as emailAddress:ada@example.org")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("want one folder")
	}
	dir := fs.Arg(0)

	// The trust and the policy, set once; the Verifier prepares contexts,
	// schemas and documents once and is used for every file.
	var trust verify.Trust
	var policy verify.Policy
	if *nowFlag != "" {
		t, err := time.Parse(time.RFC3339, *nowFlag)
		if err != nil {
			return fmt.Errorf("-now: %w", err)
		}
		policy.Now = t
	}
	if *recipient != "" {
		typ, value, ok := strings.Cut(*recipient, ":")
		if !ok || typ == "" || value == "" {
			return fmt.Errorf("-recipient %q: want TYPE:VALUE, such as emailAddress:ada@example.org", *recipient)
		}
		policy.Recipient = &verify.Identity{Type: typ, Value: value}
	}
	if *mapFile != "" {
		docs, err := readOfflineMap(*mapFile)
		if err != nil {
			return err
		}
		trust.Documents = docs
	}
	v, err := verify.New(trust)
	if err != nil {
		return err
	}

	entries, err := os.ReadDir(dir) // sorted by name
	if err != nil {
		return err
	}
	ctx := context.Background()
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FILE\tISSUER\tACHIEVEMENT\tRECIPIENT\tVERDICT\tWHY")
	for _, ent := range entries {
		name := ent.Name()
		if !ent.Type().IsRegular() {
			fmt.Fprintf(stderr, "skipped %s: not a regular file\n", name)
			continue
		}
		data, err := readFile(filepath.Join(dir, name), verify.DefaultMaxBytes)
		if err != nil {
			fmt.Fprintf(stderr, "skipped %s: %v\n", name, err)
			continue
		}
		rep, err := v.Verify(ctx, data, &policy)
		if errors.Is(err, verify.ErrInput) {
			// Neither JSON, a compact JWS, a PNG nor an SVG.
			fmt.Fprintf(stderr, "skipped %s: not a badge (%s)\n", name, http.DetectContentType(data))
			continue
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if len(rep.Credential) == 0 && rep.Check(verify.CheckInput).Outcome == verify.Failed {
			// An image with nothing baked in: the input check says so.
			fmt.Fprintf(stderr, "skipped %s: not a badge (%s)\n", name, rep.Check(verify.CheckInput).Message)
			continue
		}
		verdict, why := summarize(rep)
		issuer, achievement, subject := describe(rep)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", name, issuer, achievement, subject, verdict, why)
	}
	return tw.Flush()
}

// summarize gives the verdict and the reason for it: the first failed
// check, the first check that could not decide, or how many warnings there
// were.
func summarize(rep *verify.Report) (verdict, why string) {
	first := func(o verify.Outcome) string {
		for _, c := range rep.Checks {
			if c.Outcome == o {
				return c.ID + ": " + c.Message
			}
		}
		return ""
	}
	switch {
	case len(rep.Failed()) > 0:
		return "NOT VERIFIED", first(verify.Failed)
	case rep.Inconclusive:
		// Not verified, but nothing failed: something (the issuer's
		// document, a status list) could not be had.
		return "INCONCLUSIVE", first(verify.Indeterminate)
	case !rep.Verified:
		return "NOT VERIFIED", ""
	}
	n := 0
	for _, c := range rep.Checks {
		if c.Outcome == verify.Warning {
			n++
		}
	}
	switch n {
	case 0:
		return "VERIFIED", "no warnings"
	case 1:
		return "VERIFIED", "1 warning"
	}
	return "VERIFIED", fmt.Sprintf("%d warnings", n)
}

// describe says who issued the credential (the issuer's name, or its id)
// and the achievement's name, from the report's summary, and who it was
// issued to: the subject's id, or its identifiers, read from the
// credential as received (the wallet's owner may see their own).
func describe(rep *verify.Report) (issuer, achievement, subject string) {
	issuer, achievement, subject = orDash(rep.Issuer), "-", orDash(rep.Subject)
	if s := rep.Summary; s != nil {
		if s.IssuerName != "" {
			issuer = s.IssuerName
		}
		achievement = orDash(s.AchievementName)
	}
	if rep.Version == "OB 2.0" {
		return issuer, achievement, recipientOB20(rep)
	}
	c, err := credential.ParseAchievementCredential(rep.Credential, nil)
	if err != nil {
		return issuer, achievement, subject
	}
	if s := c.CredentialSubject; s.ID == "" && len(s.Identifier) > 0 {
		ids := make([]string, len(s.Identifier))
		for i, o := range s.Identifier {
			ids[i] = identity(o)
		}
		subject = strings.Join(ids, ", ")
	}
	return issuer, achievement, subject
}

// recipientOB20 names an Open Badges 2.0 assertion's recipient: "hashed
// email", or "email ada@example.org" when it is in plain text.
func recipientOB20(rep *verify.Report) string {
	a, err := credential.ParseOB2Assertion(rep.Credential, nil)
	if err != nil || a.Recipient == nil {
		return "-"
	}
	if r := a.Recipient; r.Hashed {
		return "hashed " + string(r.Type)
	}
	return string(a.Recipient.Type) + " " + a.Recipient.Identity
}

// identity names a recipient identifier for a person: "hashed email", or
// "email ada@example.org" when it is in plain text.
func identity(o credential.IdentityObject) string {
	typ := string(o.IdentityType)
	switch o.IdentityType {
	case credential.IdentifierTypeEmailAddress:
		typ = "email"
	case "":
		typ = "identifier"
	}
	if o.Hashed {
		return "hashed " + typ
	}
	return typ + " " + o.IdentityHash
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// readFile reads at most limit bytes of the named file.
func readFile(name string, limit int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("larger than %d bytes", limit)
	}
	return data, nil
}

// readOfflineMap reads an offline map (verify.ParseDocumentMap), paths
// relative to the map's folder.
func readOfflineMap(name string) (map[string][]byte, error) {
	data, err := readFile(name, maxOfflineMap)
	if err != nil {
		return nil, err
	}
	docs, err := verify.ParseDocumentMap(data, filepath.Dir(name))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return docs, nil
}
