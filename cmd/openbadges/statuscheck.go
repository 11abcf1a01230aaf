package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/did"
	"github.com/go-openbadges/openbadges/fetch"
	"github.com/go-openbadges/openbadges/status/statuscheck"
)

// statusCheckReport is what `status check --json` prints.
type statusCheckReport struct {
	File    string              `json:"file"`
	Outcome string              `json:"outcome"`
	Entries []statusEntryReport `json:"entries"`
}

// statusEntryReport is one credentialStatus entry's line in the report.
type statusEntryReport struct {
	Position int               `json:"position"`
	Type     string            `json:"type"`
	Purpose  string            `json:"purpose,omitempty"`
	ListURL  string            `json:"listURL,omitempty"`
	Index    *int              `json:"index,omitempty"`
	Outcome  string            `json:"outcome"`
	Reason   string            `json:"reason"`
	Warnings []string          `json:"warnings,omitempty"`
	List     *statusListReport `json:"list,omitempty"`
}

// statusListReport describes the list an entry was checked against.
type statusListReport struct {
	Source             string `json:"source"`
	Cached             bool   `json:"cached,omitempty"`
	Issuer             string `json:"issuer,omitempty"`
	Format             string `json:"format,omitempty"`
	VerificationMethod string `json:"verificationMethod,omitempty"`
	Binding            string `json:"binding,omitempty"`
	Length             int    `json:"length,omitempty"`
	ValidFrom          string `json:"validFrom,omitempty"`
	ValidUntil         string `json:"validUntil,omitempty"`
}

func runStatusCheck(e env, args []string) int {
	const usageLine = "[--json] [--offline-map FILE|-] [--allow-network] [--now TIME] [--any-issuer] FILE|-"
	fs := newFlags(e, "status check", usageLine)
	asJSON := fs.Bool("json", false, "print a JSON report")
	mapFile := fs.String("offline-map", "", "JSON object from URL or DID to a document, or to the path of a file holding it (relative to the map's folder): status lists, DID and key documents")
	network := fs.Bool("allow-network", false, "fetch lists and keys the offline map does not hold (https only, 10 s, 1 MiB each)")
	deprecatedAlias(e, fs, "network", "allow-network")
	nowFlag := fs.String("now", "", "check as of this time, RFC 3339 (default: now)")
	anyIssuer := fs.Bool("any-issuer", false, "accept a list whose issuer is not the credential's")
	timeout := fs.Duration("timeout", time.Minute, "give up after this long")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitCantRun
	}
	name := fs.Arg(0)
	fail := func(err error) int { return statusFail(e, "check", err) }
	if err := oneStdin(stdinUse{"the credential", name}, stdinUse{"--offline-map", *mapFile}); err != nil {
		return fail(err)
	}
	c := &statuscheck.Checker{AnyIssuer: *anyIssuer}
	var opts did.Options
	if *mapFile != "" {
		docs, err := readOfflineMap(e, *mapFile)
		if err != nil {
			return fail(err)
		}
		c.Documents, opts.Documents = docs, docs
	}
	if *network {
		c.Fetcher, opts.Fetcher = fetch.HTTP{}, fetch.HTTP{}
	}
	c.Resolver = did.NewResolver(opts)
	if *nowFlag != "" {
		t, err := time.Parse(time.RFC3339, *nowFlag)
		if err != nil {
			return fail(fmt.Errorf("--now: %w", err))
		}
		c.Now = func() time.Time { return t }
	}
	cred, err := readInput(e, name, maxCredential)
	if err != nil {
		return fail(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	results, err := c.Check(ctx, cred)
	if err != nil {
		return fail(fmt.Errorf("%s: %w", displayName(name), err))
	}
	outcome := statuscheck.Combine(results)
	rep := statusCheckReport{File: displayName(name), Outcome: outcome.String(), Entries: []statusEntryReport{}}
	for _, r := range results {
		rep.Entries = append(rep.Entries, statusEntry(r))
	}
	if *asJSON {
		if code := writeStatusJSON(e, "check", rep); code != exitOK {
			return code
		}
	} else {
		writeStatusText(e.stdout, rep)
	}
	switch outcome {
	case statuscheck.NotRevoked:
		return exitOK
	case statuscheck.Revoked, statuscheck.Suspended:
		return exitNo
	}
	return exitCantRun
}

// statusEntry reports one Result.
func statusEntry(r statuscheck.Result) statusEntryReport {
	er := statusEntryReport{
		Position: r.Position, Type: r.Type, Purpose: string(r.Purpose), ListURL: r.ListURL,
		Outcome: r.Standing.String(), Reason: r.Reason, Warnings: r.Warnings,
	}
	if r.Index >= 0 {
		i := r.Index
		er.Index = &i
	}
	if l := r.List; l != nil {
		lr := &statusListReport{Source: l.Source, Cached: l.Cached, Issuer: l.Issuer, Format: l.Format, VerificationMethod: l.VerificationMethod, Length: l.Length}
		if l.Binding != 0 {
			lr.Binding = l.Binding.String()
		}
		if !l.ValidFrom.IsZero() {
			lr.ValidFrom = l.ValidFrom.UTC().Format(time.RFC3339)
		}
		if !l.ValidUntil.IsZero() {
			lr.ValidUntil = l.ValidUntil.UTC().Format(time.RFC3339)
		}
		er.List = lr
	}
	return er
}

// writeStatusText prints the report for a person.
func writeStatusText(w io.Writer, rep statusCheckReport) {
	for _, er := range rep.Entries {
		var where strings.Builder
		where.WriteString(er.Type)
		if er.Purpose != "" {
			where.WriteString(" (" + er.Purpose + ")")
		}
		if er.ListURL != "" {
			where.WriteString(" " + er.ListURL)
		}
		if er.Index != nil {
			where.WriteString(" index " + strconv.Itoa(*er.Index))
		}
		fmt.Fprintf(w, "credentialStatus[%d] %s: %s: %s\n", er.Position, strings.TrimSpace(where.String()), er.Outcome, er.Reason)
		if l := er.List; l != nil && l.Format != "" && er.Outcome != statuscheck.Indeterminate.String() {
			line := "  list: " + l.Format
			if l.Issuer != "" {
				line += " by " + l.Issuer
			}
			if l.Binding != "" {
				line += " (key " + l.Binding + ")"
			}
			if l.ValidUntil != "" {
				line += ", valid until " + l.ValidUntil
			}
			fmt.Fprintln(w, line)
		}
		for _, warn := range er.Warnings {
			fmt.Fprintf(w, "  warning: %s\n", warn)
		}
	}
	if len(rep.Entries) == 0 {
		fmt.Fprintf(w, "%s: no credentialStatus: nothing can revoke it\n", rep.File)
		return
	}
	fmt.Fprintf(w, "%s: %s\n", rep.File, rep.Outcome)
}
