package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/keys"
)

const initHelp = `Creates a ready issuer folder, DIR (default: the current folder):

  keys/          the issuer's signing key, as a key directory (0600):
                 Ed25519 (EdDSA), or P-256 with --key-type p256 (ES256 JWTs
                 and ecdsa-rdfc-2019 proofs, for wallets that want them)
  issuer.json    the issuer, its key directory, its database, its status
                 list and an example achievement with criteria to edit
  issuer.db      the SQLite database of records, reviews and status lists
                 (or --db postgres://… to use PostgreSQL instead)
  public/        what must be served at the institution's URL: the did:web
                 DID document (/.well-known/did.json) or the https issuer's
                 document, the JWK Set, the signed status list, and map.json
                 for openbadges verify --offline-map

The issuer's identifier is --id, else did:web of --url (did:web:example.edu
for https://example.edu). Running init again never overwrites a key or
issuer.json: it keeps them and publishes again. Then:

  openbadges issue --config DIR/issuer.json --batch results.csv --out-dir badges
  openbadges publish --config DIR/issuer.json --out DIR/public

Without --name or --url, init asks for them when run in a terminal.`

// runInit creates an issuer folder, or completes one.
func runInit(e env, args []string) int {
	fs := newFlags(e, "init", "--name NAME --url URL [--id did:web:…|https://…] [--dir DIR] [--db URL] [--key-type ed25519|p256] [--formats di|jwt|both] [--encrypt]")
	name := fs.String("name", "", "the institution's name, as credentials show it")
	site := fs.String("url", "", "the institution's web site, where public/ is served: https://example.edu")
	id := fs.String("id", "", "the issuer's identifier: did:web:… or an https URL (default: did:web of --url)")
	dir := fs.String("dir", ".", "the folder to create or complete")
	dbURL := fs.String("db", "", "the database: sqlite:FILE (default sqlite:issuer.db in DIR) or postgres://USER@HOST/DB")
	keyType := fs.String("key-type", "ed25519", "the signing key: ed25519 (EdDSA, eddsa-rdfc-2022) or p256 (ES256 JWTs, ecdsa-rdfc-2019)")
	formats := fs.String("formats", "di", "what credentials carry: di (a Data Integrity proof), jwt (a VC-JWT) or both")
	encrypt := fs.Bool("encrypt", false, "encrypt the private key with a passphrase from $OPENBADGES_PASSPHRASE or --passphrase-file")
	passFile := fs.String("passphrase-file", "", "with --encrypt: a file (0600) holding the passphrase")
	asJSON := fs.Bool("json", false, "print each public file as JSON, one object per line: {\"file\", \"url\"}")
	if status, ok := parseFlags(fs, args); !ok {
		return status
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return exitCantRun
	}
	fail := func(err error) int {
		fmt.Fprintf(e.stderr, "openbadges init: %s\n", forPeople(err.Error()))
		return exitCantRun
	}
	if err := askMissing(e, map[string]*string{"name": name, "url": site}, []string{"name", "url"}); err != nil {
		return fail(err)
	}
	if *name == "" || *site == "" {
		fs.Usage()
		return exitCantRun
	}
	u, err := url.Parse(*site)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return fail(fmt.Errorf("--url %q: want the https URL of the institution's site", *site))
	}
	base := strings.TrimSuffix(u.String(), "/")
	if *id == "" {
		*id = "did:web:" + strings.ReplaceAll(u.Host, ":", "%3A")
		for _, seg := range strings.Split(strings.Trim(u.Path, "/"), "/") {
			if seg != "" {
				*id += ":" + seg
			}
		}
	}
	kt := keys.Type(strings.ToLower(*keyType))
	if kt != keys.Ed25519 && kt != keys.P256 {
		return fail(fmt.Errorf("--key-type %q: want ed25519 or p256", *keyType))
	}
	if *formats != "di" && *formats != "jwt" && *formats != "both" {
		return fail(fmt.Errorf("--formats %q: want di, jwt or both", *formats))
	}
	if !strings.HasPrefix(*id, "did:web:") && !strings.HasPrefix(*id, "https://") {
		return fail(fmt.Errorf("--id %q: want a did:web DID or an https URL (a did:key issuer needs no folder: use keygen)", *id))
	}
	if err := notStdin("--dir", *dir); err != nil {
		return fail(err)
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		return fail(err)
	}

	// The key: kept if the directory has one for the issuer.
	opts := &keys.DirOptions{}
	if *encrypt {
		if opts.Passphrase, err = readPassphraseInput(e, *passFile); err != nil {
			return fail(err)
		}
		defer clear(opts.Passphrase)
	}
	store, err := openKeyStore(e, filepath.Join(*dir, "keys"), opts)
	if err != nil {
		return fail(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	switch k, err := store.ActiveKey(ctx, *id); {
	case err == nil:
		fmt.Fprintf(e.stderr, "kept the key %s\n", k.ID)
		if have, _ := keys.TypeOf(k.Signer.Public()); flagSet(fs, "key-type") && have != kt {
			fmt.Fprintf(e.stderr, "openbadges init: the kept key is %s, not %s: a key is never replaced by init (openbadges keygen --store %s --rotate does it)\n", have, kt, filepath.Join(*dir, "keys"))
		}
	case errors.Is(err, keys.ErrNoKey):
		signer, err := keys.Generate(kt)
		if err != nil {
			return fail(err)
		}
		k, err := keys.NewKey(*id+"#key-1", *id, signer)
		if err != nil {
			return fail(err)
		}
		if err := store.Add(ctx, k); err != nil {
			return fail(err)
		}
		fmt.Fprintf(e.stderr, "made the key %s\n", k.ID)
	default:
		return fail(err)
	}

	// The configuration: kept if it exists.
	config := filepath.Join(*dir, "issuer.json")
	if _, err := os.Stat(config); err == nil {
		fmt.Fprintf(e.stderr, "kept %s\n", config)
	} else if errors.Is(err, os.ErrNotExist) {
		db := *dbURL
		if db == "" {
			db = "sqlite:issuer.db"
		}
		data, err := initConfig(*id, *name, base, db, *formats)
		if err != nil {
			return fail(err)
		}
		if err := writeFileAtomic(config, data, 0o644); err != nil {
			return fail(err)
		}
		fmt.Fprintf(e.stderr, "wrote %s: edit its achievements and criteria\n", config)
	} else {
		return fail(err)
	}

	// The database, the status list, and what to serve.
	ictx, iss, done, err := lifecycleFlags{config: &config, db: new(string), timeout: ptr(time.Minute)}.open(e)
	defer done()
	if err != nil {
		return fail(err)
	}
	public := filepath.Join(*dir, "public")
	pub, err := iss.Publish(ictx, public, nil)
	if err != nil {
		return fail(err)
	}
	if err := printPublished(e, pub, "public", *asJSON); err != nil {
		return fail(err)
	}
	fmt.Fprintf(e.stderr, "serve %s at %s; then: openbadges issue --config %s …\n", public, base, config)
	return exitOK
}

// initConfig is the issuer.json init writes: the issuer, its key
// directory, its database and status list, and an example achievement.
func initConfig(id, name, base, db, formats string) ([]byte, error) {
	ach := base + "/achievements/example"
	cfg := map[string]any{
		"comment":  "Written by openbadges init. Edit the achievements and their criteria; see openbadges help issue.",
		"issuer":   map[string]any{"id": id, "type": []string{"Profile"}, "name": name, "url": base},
		"keyStore": "keys",
		"formats":  formats,
		"validity": "26280h",
		"database": db,
		"status":   map[string]any{"bitstring": base + "/status/1"},
		"achievements": []any{map[string]any{
			"comment": "An example: completed, 70% or more on the final exam (60 to 70: a person decides), one project handed in.",
			"achievement": map[string]any{
				"id": ach, "type": []string{"Achievement"}, "achievementType": "Certificate",
				"name":        "Example Course",
				"description": "What the learner can now do, in a sentence or two.",
				"criteria":    map[string]any{"narrative": "Complete the course, score 70% or more on the final exam, and hand in a project."},
				"resultDescription": []any{map[string]any{
					"id": ach + "/final", "type": []string{"ResultDescription"}, "name": "Final exam",
					"resultType": "Percent", "valueMin": "0", "valueMax": "100", "requiredValue": "70",
				}},
			},
			"criteria": map[string]any{
				"completion": true,
				"minScore":   map[string]any{"resultDescription": ach + "/final", "min": "70"},
				"reviewFrom": "60",
				"evidence":   map[string]any{"count": 1, "kinds": []string{"project"}},
			},
		}},
	}
	b, err := json.MarshalIndent(cfg, "", "  ")
	return append(b, '\n'), err
}

// askMissing asks for each empty value in order, when standard input is a
// terminal; otherwise it leaves them empty.
func askMissing(e env, vals map[string]*string, order []string) error {
	f, ok := e.stdin.(*os.File)
	if !ok {
		return nil
	}
	if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	in := bufio.NewReader(e.stdin)
	for _, k := range order {
		if *vals[k] != "" {
			continue
		}
		fmt.Fprintf(e.stderr, "%s: ", k)
		line, err := in.ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		*vals[k] = strings.TrimSpace(line)
	}
	return nil
}

func ptr[T any](v T) *T { return &v }
