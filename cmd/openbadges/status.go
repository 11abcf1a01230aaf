package main

import (
	"bytes"
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
	"github.com/go-openbadges/openbadges/proof/jose"
	"github.com/go-openbadges/openbadges/status"
	"github.com/go-openbadges/openbadges/status/statussign"
)

// statusUsage lists the status subcommands.
const statusUsage = `usage: openbadges status <subcommand> [flags]

An issuer's revocation and suspension lists, one per URL, kept in a
directory (--store) or where an issuer configuration keeps them (--config
FILE, and --db URL in place of its database), and a verifier's check of a
credential's status.

The lists of an issuer configuration change together with its records:
revoke, suspend and unsuspend its credentials with openbadges revoke,
suspend and unsuspend --config FILE, which change both (status revoke
refuses --config), and publish them all with openbadges publish --config.

subcommands:
  create     (--store DIR | --config FILE) --url URL [--purpose revocation|suspension] [--type bitstring|1edtech] [--length N]
             make an empty list that will be published at URL
  allocate   (--store DIR | --config FILE) --url URL
             print a new credentialStatus entry to put in a credential (a new
             list, URL numbered up, takes over when the list is full)
  revoke     --store DIR --url URL (--index N | --credential FILE) [--reason TEXT]
  suspend    --store DIR --url URL (--index N | --credential FILE)
  unsuspend  --store DIR --url URL (--index N | --credential FILE)
             change a credential's status; publish again for verifiers to see it
  publish    (--store DIR | --config FILE) --url URL [--key FILE] [--issuer ID] [--validity DURATION]
             [--valid-from TIME] [--format di|jwt|vc+jwt] [--vm URL] [--out FILE]
             write the signed BitstringStatusListCredential (or the 1EdTech JSON
             list) to serve at URL
  check      [--json] [--offline-map FILE] [--allow-network] [--now TIME] [--any-issuer] FILE|-
             check a credential's credentialStatus: exit 0 not revoked, 1 revoked
             or suspended, 2 indeterminate or could not run

Run "openbadges status <subcommand> --help" for a subcommand's flags.
`

// runStatus dispatches the status subcommands.
func runStatus(e env, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, statusUsage)
		return exitCantRun
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "create":
		return runStatusCreate(e, rest)
	case "allocate":
		return runStatusAllocate(e, rest)
	case "revoke", "suspend", "unsuspend":
		return runStatusChange(e, sub, rest)
	case "publish":
		return runStatusPublish(e, rest)
	case "check":
		return runStatusCheck(e, rest)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(e.stdout, statusUsage)
		return exitOK
	}
	fmt.Fprintf(e.stderr, "openbadges status: unknown subcommand %q\n\n%s", sub, statusUsage)
	return exitCantRun
}

// statusFail prints an error of a status subcommand and returns exitCantRun.
func statusFail(e env, sub string, err error) int {
	fmt.Fprintf(e.stderr, "openbadges status %s: %s\n", sub, forPeople(err.Error()))
	return exitCantRun
}

// listFlags are the flags naming where a status subcommand's lists are:
// a folder (--store), or the lists of an issuer's configuration (--config,
// and --db in place of its database), and the list (--url).
type listFlags struct {
	store, config, db, url *string
}

// statusStoreFlags adds --store, --config, --db and --url to fs.
func statusStoreFlags(fs *flag.FlagSet) listFlags {
	return listFlags{
		store:  fs.String("store", "", "directory of the lists (created 0700 if missing)"),
		config: fs.String("config", "", "instead of --store: the lists of this issuer configuration (its database or status folder), as openbadges issue takes it"),
		db:     fs.String("db", "", "with --config: the database the lists are in (default: the config's)"),
		url:    fs.String("url", "", "the list's URL: where it is published, https"),
	}
}

// ok reports whether exactly one of --store and --config is set, and
// --url.
func (f listFlags) ok() bool {
	return (*f.store == "") != (*f.config == "") && *f.url != "" && (*f.db == "" || *f.config != "")
}

// where says where the lists are, for messages.
func (f listFlags) where() string {
	if *f.config != "" {
		return "the lists of " + *f.config
	}
	return *f.store
}

// open returns a Registry over the lists, and a function to call when done.
func (f listFlags) open(ctx context.Context, e env) (*status.Registry, func(), error) {
	if err := notStdin("--store", *f.store); err != nil {
		return nil, func() {}, err
	}
	if *f.config == "" {
		reg, err := openStatusRegistry(*f.store)
		return reg, func() {}, err
	}
	cs, err := openConfig(ctx, e, *f.config, *f.db)
	if err != nil {
		return nil, cs.close, err
	}
	if cs.lists == nil {
		return nil, cs.close, fmt.Errorf("%s names no status lists: add \"status\": {\"bitstring\": URL} to it", *f.config)
	}
	return &status.Registry{Store: cs.lists, NextURL: status.NextNumberedURL}, cs.close, nil
}

// openStatusRegistry opens the list directory.
func openStatusRegistry(dir string) (*status.Registry, error) {
	s, err := status.OpenDir(dir)
	if err != nil {
		return nil, err
	}
	return &status.Registry{Store: s, NextURL: status.NextNumberedURL}, nil
}

func runStatusCreate(e env, args []string) int {
	const usageLine = "(--store DIR | --config FILE [--db URL]) --url URL [--purpose revocation|suspension] [--type bitstring|1edtech] [--length N] [--json]"
	fs := newFlags(e, "status create", usageLine)
	lf := statusStoreFlags(fs)
	purpose := fs.String("purpose", "revocation", "what a set bit means: revocation (for good) or suspension (undoable)")
	typ := fs.String("type", "bitstring", "bitstring: a W3C BitstringStatusList; 1edtech: a 1EdTech revocation list")
	length := fs.Int("length", status.MinListLength, "entries of a bitstring list: a multiple of 8, at least 131072")
	asJSON := fs.Bool("json", false, "print the new list as JSON: {url, method, purpose, length}")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if !lf.ok() || fs.NArg() != 0 {
		fs.Usage()
		return exitCantRun
	}
	opts := &status.ListOptions{Purpose: status.Purpose(*purpose)}
	switch *typ {
	case "bitstring":
		opts.Method, opts.Length = status.MethodBitstring, *length
	case "1edtech":
		opts.Method = status.Method1EdTech
	default:
		return statusFail(e, "create", fmt.Errorf("--type %q: want bitstring or 1edtech", *typ))
	}
	ctx := context.Background()
	reg, done, err := lf.open(ctx, e)
	defer done()
	if err != nil {
		return statusFail(e, "create", err)
	}
	l, err := reg.Create(ctx, *lf.url, opts)
	if err != nil {
		return statusFail(e, "create", err)
	}
	if *asJSON {
		return writeStatusJSON(e, "create", struct {
			URL     string         `json:"url"`
			Method  status.Method  `json:"method"`
			Purpose status.Purpose `json:"purpose,omitempty"`
			Length  int            `json:"length,omitempty"`
		}{l.URL, l.Method, l.Purpose, l.Length()})
	}
	if l.Method == status.Method1EdTech {
		fmt.Fprintf(e.stdout, "created the 1EdTech revocation list %s in %s\n", l.URL, lf.where())
	} else {
		fmt.Fprintf(e.stdout, "created the %s list %s (%d entries) in %s\n", l.Purpose, l.URL, l.Length(), lf.where())
	}
	return exitOK
}

func runStatusAllocate(e env, args []string) int {
	fs := newFlags(e, "status allocate", "(--store DIR | --config FILE [--db URL]) --url URL")
	lf := statusStoreFlags(fs)
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if !lf.ok() || fs.NArg() != 0 {
		fs.Usage()
		return exitCantRun
	}
	ctx := context.Background()
	reg, done, err := lf.open(ctx, e)
	defer done()
	if err != nil {
		return statusFail(e, "allocate", err)
	}
	url := lf.url
	entry, err := reg.Allocate(ctx, *url)
	if err != nil {
		return statusFail(e, "allocate", err)
	}
	if entry.ListURL() != *url {
		fmt.Fprintf(e.stderr, "openbadges status allocate: %s is full; the entry is in %s, which follows it: publish that list too\n", *url, entry.ListURL())
	}
	if c := entry.Context(); c != "" {
		fmt.Fprintf(e.stderr, "openbadges status allocate: add %s to the credential's @context\n", c)
	}
	return writeStatusJSON(e, "allocate", entry)
}

// writeStatusJSON prints v as indented JSON, without escaping HTML
// characters (which URLs hold).
func writeStatusJSON(e env, sub string, v any) int {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return statusFail(e, sub, err)
	}
	if _, err := e.stdout.Write(buf.Bytes()); err != nil {
		return statusFail(e, sub, err)
	}
	return exitOK
}

// runStatusChange revokes, suspends or unsuspends one credential.
func runStatusChange(e env, sub string, args []string) int {
	usageLine := "--store DIR --url URL (--index N | --credential FILE)"
	if sub == "revoke" {
		usageLine += " [--reason TEXT]"
	}
	fs := newFlags(e, "status "+sub, usageLine)
	lf := statusStoreFlags(fs)
	store, url := lf.store, lf.url
	index := fs.Int("index", -1, "the credential's statusListIndex (bitstring lists)")
	credFile := fs.String("credential", "", "the credential, JSON or compact JWS (- for standard input): its entry in the list, or its id for a 1EdTech list")
	var reason *string
	if sub == "revoke" {
		reason = fs.String("reason", "", "1EdTech lists: the revocationReason to publish")
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if *lf.config != "" {
		// The lists of an issuer change with its records, or the next
		// openbadges issue hands back what the list says is revoked.
		fmt.Fprintf(e.stderr, "openbadges status %s: the lists of an issuer configuration change together with its records: run openbadges %s --config %s (by --award-key, or --achievement and --recipient); status %s --store DIR is for lists alone\n", sub, sub, *lf.config, sub)
		return exitCantRun
	}
	if *store == "" || *url == "" || fs.NArg() != 0 || (*index < 0) == (*credFile == "") {
		fs.Usage()
		if *index >= 0 && *credFile != "" {
			fmt.Fprintln(e.stderr, "give --index or --credential, not both")
		}
		return exitCantRun
	}
	reg, err := openStatusRegistry(*store)
	if err != nil {
		return statusFail(e, sub, err)
	}
	ctx := context.Background()
	past := map[string]string{"revoke": "revoked", "suspend": "suspended", "unsuspend": "unsuspended"}[sub]
	if *index >= 0 {
		switch sub {
		case "revoke":
			err = reg.Revoke(ctx, *url, *index)
		case "suspend":
			err = reg.Suspend(ctx, *url, *index)
		default:
			err = reg.Unsuspend(ctx, *url, *index)
		}
		if err != nil {
			return statusFail(e, sub, err)
		}
		fmt.Fprintf(e.stdout, "%s index %d of %s; publish the list again for verifiers to see it\n", past, *index, *url)
		return exitOK
	}
	cred, err := readInput(e, *credFile, maxCredential)
	if err != nil {
		return statusFail(e, sub, err)
	}
	var done []status.Entry
	switch sub {
	case "revoke":
		done, err = reg.RevokeCredential(ctx, *url, cred, *reason)
	case "suspend":
		done, err = reg.SuspendCredential(ctx, *url, cred)
	default:
		done, err = reg.UnsuspendCredential(ctx, *url, cred)
	}
	if err != nil {
		return statusFail(e, sub, err)
	}
	for _, d := range done {
		if d.Type == string(status.Method1EdTech) {
			fmt.Fprintf(e.stdout, "%s %s in %s; publish the list again for verifiers to see it\n", past, displayName(*credFile), d.ListURL())
			continue
		}
		fmt.Fprintf(e.stdout, "%s index %s of %s; publish the list again for verifiers to see it\n", past, d.StatusListIndex, d.ListURL())
	}
	return exitOK
}

func runStatusPublish(e env, args []string) int {
	const usageLine = "(--store DIR | --config FILE [--db URL]) --url URL [--key FILE] [--issuer ID] [--validity DURATION] [--valid-from TIME] [--format di|jwt|vc+jwt] [--vm URL] [--out FILE]"
	fs := newFlags(e, "status publish", usageLine)
	lf := statusStoreFlags(fs)
	url := lf.url
	keyFlag := fs.String("key", "", "private key to sign with: a JWK as keygen writes it, or a Multikey pair (not needed for a 1EdTech list)")
	issuer := fs.String("issuer", "", "the list's issuer, which must be the credentials' issuer (default: the key's did:key, or did:jwk for RSA)")
	validity := fs.Duration("validity", status.DefaultValidity, "how long the list is valid (validUntil - validFrom): verifiers cache it that long at most")
	validFrom := fs.String("valid-from", "", "the list's validFrom, RFC 3339 (default: now)")
	format := fs.String("format", "di", "di: a Data Integrity proof (eddsa-rdfc-2022 for Ed25519); jwt: an OB 3.0 VC-JWT; vc+jwt: a W3C VC-JOSE token")
	vm := fs.String("vm", "", "verification method URL, the JWT's kid (default: the key's did:key or did:jwk method if the issuer is that DID, else the key file's id when the issuer's document lists it under that id)")
	out := fs.String("out", "-", "file to write (atomically, mode 0600), or - for standard output")
	timeout := fs.Duration("timeout", time.Minute, "give up after this long")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if !lf.ok() || fs.NArg() != 0 {
		fs.Usage()
		return exitCantRun
	}
	fail := func(err error) int { return statusFail(e, "publish", err) }
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	reg, done, err := lf.open(ctx, e)
	defer done()
	if err != nil {
		return fail(err)
	}
	list, err := reg.Store.Load(ctx, *url)
	if err != nil {
		return fail(err)
	}
	opts := &status.PublishOptions{Issuer: *issuer, Validity: *validity, ValidFrom: time.Now()}
	if opts.Validity == 0 {
		opts.Validity = status.DefaultValidity
	}
	if *validFrom != "" {
		if opts.ValidFrom, err = time.Parse(time.RFC3339, *validFrom); err != nil {
			return fail(fmt.Errorf("--valid-from: %w", err))
		}
	}
	var signer crypto.Signer
	var kf *keyFile
	if *keyFlag != "" {
		if kf, err = readKeyFile(e, *keyFlag); err != nil {
			return fail(err)
		}
		signer = kf.signer
		if opts.Issuer == "" {
			if opts.Issuer, err = keys.DID(signer.Public()); err != nil {
				return fail(err)
			}
		}
	}
	if list.Method == status.MethodBitstring {
		if signer == nil {
			return fail(errors.New("--key is required to sign a bitstring list"))
		}
		if opts.Signer, err = statusListSigner(kf, displayName(*keyFlag), opts.Issuer, *format, *vm); err != nil {
			return fail(err)
		}
	} else if opts.Issuer == "" {
		return fail(errors.New("--issuer (or --key, whose DID is then the issuer) is required"))
	}
	doc, err := reg.Publish(ctx, *url, opts)
	if err != nil {
		return fail(err)
	}
	var buf bytes.Buffer
	if len(doc) > 0 && doc[0] == '{' {
		// Indentation changes whitespace only: every value keeps its bytes.
		if err := json.Indent(&buf, doc, "", "  "); err != nil {
			return fail(err)
		}
	} else {
		buf.Write(doc)
	}
	buf.WriteByte('\n')
	if *out == "-" {
		if _, err := e.stdout.Write(buf.Bytes()); err != nil {
			return fail(err)
		}
		return exitOK
	}
	if err := writeFileAtomic(*out, buf.Bytes(), 0o600); err != nil {
		return fail(err)
	}
	switch list.Method {
	case status.Method1EdTech:
		fmt.Fprintf(e.stdout, "wrote %s: %d revoked credentials; serve it at %s\n", *out, len(list.Revoked), *url)
	default:
		until := opts.ValidFrom.UTC().Truncate(time.Second).Add(opts.Validity)
		fmt.Fprintf(e.stdout, "wrote %s: %d of %d entries %s, valid until %s; serve it at %s and publish again before then\n",
			*out, list.Status.Count(), list.Length(), map[status.Purpose]string{status.Revocation: "revoked", status.Suspension: "suspended"}[list.Purpose],
			until.Format(time.RFC3339), *url)
	}
	return exitOK
}

// statusListSigner makes the status.Signer for --format. Without --vm
// the verification method is the one sign would name (signMethod): the
// id under which the issuer's own document lists the key, so that a
// verifier can confirm it.
func statusListSigner(kf *keyFile, keyName, issuer, format, vm string) (status.Signer, error) {
	signer := kf.signer
	if vm == "" {
		doc, err := json.Marshal(map[string]string{"issuer": issuer})
		if err != nil {
			return nil, err
		}
		if vm, err = signMethod(doc, keyName, kf); err != nil {
			return nil, err
		}
	}
	switch format {
	case "di":
		return statussign.DataIntegrity(&dataintegrity.Signer{Key: signer, VerificationMethod: vm, Check: true}, nil), nil
	case "jwt":
		return statussign.JOSE(&jose.Signer{Key: signer, KeyID: vm, Check: true}), nil
	case "vc+jwt":
		return statussign.JOSE(&jose.Signer{Key: signer, KeyID: vm, Format: jose.FormatVCJOSE, Check: true}), nil
	}
	return nil, fmt.Errorf("--format %q: want di, jwt or vc+jwt", format)
}
