package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/go-openbadges/openbadges/bake"
	"github.com/go-openbadges/openbadges/issuer"
	"github.com/go-openbadges/openbadges/verify"
)

const clrUsage = "--config FILE [--db URL] --learner TYPE:VALUE [--name TEXT] [--description TEXT] [--partial] [--offline-map FILE] [--json] [CREDENTIAL...]"

const clrHelp = `Issues a learner's Comprehensive Learner Record (CLR 2.0): one credential,
signed by the issuer in the formats its configuration names, that holds
the learner's credentials, each embedded exactly as it was signed (so
that each still verifies on its own), and the relations between their
achievements that the issuer's pathways define (a course is part of a
program; one course precedes the next). It is printed on standard
output, the JSON credential and then, with "formats": "both", its VC-JWT
on the next line; openbadges verify checks it and every credential in it.

By default the record holds every credential the issuer's records keep
for the learner (--learner, as openbadges issue takes --recipient): the
issued awards that have not expired, not the revoked, suspended or
pending ones. Given CREDENTIAL files instead (JSON credentials, or badges
and certificates with one baked in), it holds those: each must verify
and be about the learner. A credential of another issuer verifies when
its key confirms itself (did:key, did:jwk) or when --offline-map supplies
its issuer's documents.

Exit status: 0 issued, 1 nothing to put in the record (no credential
for the learner, or a credential given that is refused), 2 could not run.`

// clrResult is what clr --json prints.
type clrResult struct {
	ID         string          `json:"id"`
	Embedded   []string        `json:"embedded"`
	Credential json.RawMessage `json:"credential,omitempty"`
	JWT        string          `json:"jwt,omitempty"`
}

// runCLR issues a learner's Comprehensive Learner Record.
func runCLR(e env, args []string) int {
	fs := newFlags(e, "clr", clrUsage)
	lf := addLifecycleFlags(fs)
	learner := fs.String("learner", "", "the learner: emailAddress:ADDRESS or id:URI, as openbadges issue takes --recipient")
	name := fs.String("name", "", `the record's name, such as "Transcript of Ada Lovelace" (default: Comprehensive Learner Record)`)
	description := fs.String("description", "", "what the record is")
	partial := fs.Bool("partial", false, "say the record holds only part of what the issuer knows of the learner")
	mapFile := fs.String("offline-map", "", "documents that confirm the keys (and status lists) of the issuers of the CREDENTIAL files given, as openbadges verify takes it")
	asJSON := fs.Bool("json", false, "print {id, embedded, credential, jwt} as JSON")
	if status, ok := parseFlags(fs, args); !ok {
		return status
	}
	if *lf.config == "" || *learner == "" {
		fs.Usage()
		return exitCantRun
	}
	fail := func(status int, err error) int {
		fmt.Fprintf(e.stderr, "openbadges clr: %s\n", forPeople(err.Error()))
		return status
	}
	l, err := parseRecipient(*learner)
	if err != nil {
		return fail(exitCantRun, errors.New(replaceFlag(err.Error())))
	}
	uses := []stdinUse{{"--offline-map", *mapFile}}
	for _, f := range fs.Args() {
		uses = append(uses, stdinUse{"a CREDENTIAL", f})
	}
	if err := oneStdin(uses...); err != nil {
		return fail(exitCantRun, err)
	}
	var handed [][]byte
	for _, f := range fs.Args() {
		c, err := readHandedIn(e, f)
		if err != nil {
			return fail(exitCantRun, err)
		}
		handed = append(handed, c)
	}
	var check *verify.Trust
	if *mapFile != "" {
		docs, err := readOfflineMap(e, *mapFile)
		if err != nil {
			return fail(exitCantRun, err)
		}
		check = &verify.Trust{Documents: docs}
	}

	ctx, cancel := context.WithTimeout(context.Background(), *lf.timeout)
	defer cancel()
	iss, _, closeDB, err := loadIssuerWith(ctx, e, *lf.config, *lf.db, func(c *issuer.Config) {
		if check != nil {
			c.Check = check
		}
	})
	defer closeDB()
	if err != nil {
		return fail(exitCantRun, err)
	}
	out, err := iss.CLR(ctx, l, &issuer.CLROptions{Credentials: handed, Name: *name, Description: *description, Partial: *partial})
	switch {
	case errors.Is(err, issuer.ErrNotIssued), errors.Is(err, issuer.ErrHandedIn):
		return fail(exitNo, err)
	case err != nil:
		return fail(exitCantRun, err)
	}
	var id struct {
		ID string `json:"id"`
	}
	if len(out.Credential) > 0 {
		_ = json.Unmarshal(out.Credential, &id)
	}
	fmt.Fprintf(e.stderr, "issued the CLR %s of %d credentials\n", id.ID, len(out.Embedded))
	if *asJSON {
		return printJSON(e, "clr", clrResult{ID: id.ID, Embedded: out.Embedded, Credential: out.Credential, JWT: out.JWT})
	}
	if len(out.Credential) > 0 {
		fmt.Fprintln(e.stdout, string(out.Credential))
	}
	if out.JWT != "" {
		fmt.Fprintln(e.stdout, out.JWT)
	}
	return exitOK
}

// replaceFlag names --learner where parseRecipient named --recipient.
func replaceFlag(msg string) string { return strings.ReplaceAll(msg, "--recipient", "--learner") }

// readHandedIn reads a credential given to clr: JSON, or the credential
// baked into a badge or certificate.
func readHandedIn(e env, name string) ([]byte, error) {
	data, err := readInput(e, name, bake.DefaultMaxImageBytes)
	if err != nil {
		return nil, err
	}
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '{' {
		return t, nil
	}
	b, err := bake.Extract(data, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: neither a JSON credential nor a badge or certificate with one baked in: %w", displayName(name), err)
	}
	if b.Legacy {
		return nil, fmt.Errorf("%s: holds Open Badges 2.0 data, which a CLR 2.0 does not embed", displayName(name))
	}
	return b.Credential, nil
}
