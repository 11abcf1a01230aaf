package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/issuer"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/sqlstore"
	"github.com/go-openbadges/openbadges/status"
)

// The file `openbadges issue --config` reads is an issuer.FileConfig
// (see issuer.ParseConfig): the issuer, its key or key directory, its
// stores, and the achievements with their criteria. Paths in it are
// relative to the file's folder, the file of a sqlite: database URL too.
// An encrypted key directory is opened with $OPENBADGES_PASSPHRASE.

// configStores is what a configuration file keeps its state in: the
// records, review queue and status lists, in its database or folders.
type configStores struct {
	fc      *issuer.FileConfig
	rel     func(string) string // a path in the file, relative to its folder
	records issuer.Records      // nil: in memory
	review  issuer.ReviewQueue  // nil: in memory
	lists   status.Store        // nil: the file names no status lists
	close   func()
}

// openConfig reads the configuration file at path (or standard input for
// "-") and opens the stores it names, or the database dbURL instead when
// it is set. The caller calls close, even on error.
func openConfig(ctx context.Context, e env, path, dbURL string) (*configStores, error) {
	cs := &configStores{close: func() {}}
	data, err := readInput(e, path, maxOfflineMap)
	if err != nil {
		return cs, err
	}
	fc, err := issuer.ParseConfig(data)
	if err != nil {
		return cs, fmt.Errorf("%s: %w", path, err)
	}
	cs.fc = fc
	dir := filepath.Dir(path)
	if path == "-" {
		dir = "."
	}
	cs.rel = func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(dir, p)
	}
	database := "--db"
	if dbURL == "" {
		database, dbURL = "database", fc.Database
		if name, ok := strings.CutPrefix(dbURL, "sqlite:"); ok && !strings.HasPrefix(name, "//") && name != "" && !filepath.IsAbs(name) {
			dbURL = "sqlite:" + cs.rel(name)
		}
	}
	switch {
	case dbURL != "" && fc.Records != "":
		return cs, fmt.Errorf("%s: records (a folder) and %s are both set: the database keeps the records; set one", path, database)
	case dbURL != "" && fc.Review != "":
		return cs, fmt.Errorf("%s: review (a folder) and %s are both set: the database keeps the review queue; set one", path, database)
	case dbURL != "" && fc.Status != nil && fc.Status.Store != "":
		return cs, fmt.Errorf("%s: status.store (a folder) and %s are both set: the database keeps the status lists; set one", path, database)
	case dbURL != "":
		db, err := sqlstore.Open(ctx, dbURL, nil)
		if err != nil {
			return cs, err
		}
		cs.close = func() { db.Close() }
		cs.records, cs.review = db.Records(), db.Review()
		if fc.Status != nil {
			cs.lists = db.Status()
		}
	case fc.Records != "":
		if cs.records, err = issuer.OpenDirRecords(cs.rel(fc.Records)); err != nil {
			return cs, err
		}
		// The review queue lives beside the records, so that what goes to
		// a person outlives the command.
		review := fc.Review
		if review == "" {
			review = "review"
		}
		if cs.review, err = issuer.OpenDirQueue(cs.rel(review)); err != nil {
			return cs, err
		}
	}
	if fc.Status != nil && cs.lists == nil {
		if cs.lists, err = status.OpenDir(cs.rel(fc.Status.Store)); err != nil {
			return cs, err
		}
	}
	return cs, nil
}

// loadIssuer reads the configuration file at path and returns its Issuer,
// its achievements by id, and a function that closes its database.
func loadIssuer(ctx context.Context, e env, path, dbURL string) (iss *issuer.Issuer, byID map[string]*credential.Achievement, closeDB func(), err error) {
	return loadIssuerWith(ctx, e, path, dbURL, nil)
}

// loadIssuerWith is loadIssuer, with edit (if not nil) changing the
// issuer's Config before the Issuer is made.
func loadIssuerWith(ctx context.Context, e env, path, dbURL string, edit func(*issuer.Config)) (iss *issuer.Issuer, byID map[string]*credential.Achievement, closeDB func(), err error) {
	cs, err := openConfig(ctx, e, path, dbURL)
	closeDB = cs.close
	if err != nil {
		return nil, nil, closeDB, err
	}
	fc := cs.fc
	if fc.Key == "" && fc.KeyStore == "" {
		return nil, nil, closeDB, fmt.Errorf("%s: issuer and key (or keyStore) are required", path)
	}
	profile, err := fc.Profile()
	if err != nil {
		return nil, nil, closeDB, fmt.Errorf("%s: %w", path, err)
	}
	store, kid, err := issuerKeys(e, path, profile.ID, fc, cs.rel)
	if err != nil {
		return nil, nil, closeDB, err
	}
	cfg := issuer.Config{Issuer: profile, Keys: store, KeyID: kid, Records: cs.records, Review: cs.review}
	if cfg.Formats, cfg.Validity, err = fc.Settings(); err != nil {
		return nil, nil, closeDB, fmt.Errorf("%s: %w", path, err)
	}
	if cs.lists != nil {
		// The lists the config names are created on first use.
		if cfg.Status, err = fc.StatusConfig(ctx, cs.lists); err != nil {
			return nil, nil, closeDB, fmt.Errorf("%s: %w", path, err)
		}
	}
	if cfg.Achievements, err = fc.Awards(); err != nil {
		return nil, nil, closeDB, fmt.Errorf("%s: %w", path, err)
	}
	byID = map[string]*credential.Achievement{}
	for _, a := range cfg.Achievements {
		byID[a.Achievement.ID] = a.Achievement
	}
	if edit != nil {
		edit(&cfg)
	}
	iss, err = issuer.New(cfg)
	return iss, byID, closeDB, err
}

// flagSet reports whether the flag name was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// parseRecipient reads --recipient: emailAddress:ADDRESS or id:URI.
func parseRecipient(v string) (issuer.Learner, error) {
	typ, value, ok := strings.Cut(v, ":")
	if !ok || value == "" {
		return issuer.Learner{}, fmt.Errorf("--recipient %q: want emailAddress:ADDRESS or id:URI", v)
	}
	switch typ {
	case "emailAddress":
		return issuer.Learner{Email: value}, nil
	case "id":
		return issuer.Learner{ID: value}, nil
	}
	return issuer.Learner{}, fmt.Errorf("--recipient type %q: want emailAddress or id", typ)
}

// issuerKeyID returns the id of the verification method the issuer signs
// with: the id under which the issuer's own document lists the key, so
// that a verifier holding that document can confirm the key. keyID is the
// config's keyId and keyName the key file's name, for messages.
//
// For an issuer that is the key's own did:key or did:jwk, it is that DID's
// verification method (keyId, if set, must be it); another did:key or
// did:jwk is an error. Otherwise it is, in this order: keyId; the key
// file's own id (its kid, or a Multikey pair's id), when that is a
// verification method of the issuer, as a keys.DirStore file's kid is the
// id keys.DIDDocument and keys.MultikeyDocument publish. For any other issuer
// (did:web, an https URL) there is nothing to go by, and guessing an id
// (such as the issuer, "#" and the key's publicKeyMultibase) would sign
// credentials that nothing confirms, so that is an error that asks for
// keyId. A keyId that is not a verification method of the issuer (the
// issuer, "#" and a fragment), or that differs from the key file's own id
// for the issuer, and a key file whose controller is not the issuer, are
// errors too. set says, in the error for a key that names no method, how
// to name one: "set keyId to" (issue), "pass --vm with" (sign); that error
// is a *noMethodError.
func issuerKeyID(issuerID, keyID, keyName string, kf *keyFile, set string) (string, error) {
	// A did:key or did:jwk issuer is its key: its method comes from the
	// key, whatever the file says.
	if d, m, self, err := keys.SelfDID(issuerID, kf.signer.Public()); self {
		method := "did:key"
		if strings.HasPrefix(issuerID, "did:jwk") {
			method = "did:jwk"
		}
		if d == "" || d != issuerID {
			return "", fmt.Errorf("the issuer %s is a %s of another key than %s", issuerID, method, keyName)
		}
		if err == nil && keyID != "" && keyID != m {
			return "", fmt.Errorf("keyId %s is not the verification method of the %s issuer %s (want %s)", keyID, method, issuerID, m)
		}
		return m, err
	}
	methodOf := func(id string) bool {
		frag, ok := strings.CutPrefix(id, issuerID+"#")
		return ok && frag != ""
	}
	if kf.controller != "" && kf.controller != issuerID {
		return "", fmt.Errorf("key %s belongs to %s (its controller), not to the issuer %s", keyName, kf.controller, issuerID)
	}
	own := "" // the key file's id, if it is one of the issuer's
	switch {
	case methodOf(kf.id):
		own = kf.id
	case kf.id != "" && kf.controller == issuerID:
		return "", fmt.Errorf("key %s names %s as its id, which is not a verification method of its controller %s (want %s#…)", keyName, kf.id, issuerID, issuerID)
	}
	// An id of another DID, such as the did:key id keygen writes, names the
	// key, not one of the issuer's verification methods: it is not used.
	switch {
	case keyID != "" && !methodOf(keyID):
		return "", fmt.Errorf("keyId %s is not a verification method of the issuer %s (want %s#…)", keyID, issuerID, issuerID)
	case keyID != "" && own != "" && keyID != own:
		return "", fmt.Errorf("keyId %s and the id in key %s, %s, differ: the issuer's document lists the key under one id", keyID, keyName, own)
	case keyID != "":
		return keyID, nil
	case own != "":
		return own, nil
	}
	return "", &noMethodError{keyName: keyName, issuer: issuerID, set: set}
}

// runIssue evaluates one submission and, when it is awarded, prints the
// signed credential (or writes it baked into an image). Exit 0 when a
// credential is issued, 1 when it is denied or sent to review, 2 when it
// cannot run.
func runIssue(e env, args []string) int {
	return issueOrReinstate(e, "issue", args)
}

const reinstateHelp = `Issues a revoked award, or one a reviewer rejected, anew: the only way
back for such an award, since openbadges issue never brings it back. It
takes the submission as openbadges issue does (the criteria are still
evaluated: a person's word overrides a revocation or a rejection, not the
criteria) and who decides (--by) and why (--reason), both kept in the
issuer's records and audit log. A revoked credential stays revoked: the
learner gets a new credential with a new id and status entry. Publish the
status lists afterwards (openbadges publish).

Exit status: 0 issued, 1 not reinstated (the criteria deny, or the award
is neither revoked nor rejected), 2 could not run.`

// runReinstate issues a revoked or rejected award anew, on a person's word.
func runReinstate(e env, args []string) int {
	return issueOrReinstate(e, "reinstate", args)
}

// issueOrReinstate runs openbadges issue, or reinstate (name), which
// takes the same submission and who decides and why.
func issueOrReinstate(e env, name string, args []string) int {
	reinstate := name == "reinstate"
	usageLine := "--config FILE [--db URL] (--achievement ID --recipient TYPE:VALUE [--completed=false] [--score VALUE]... [--result-description ID] [--level ID] [--evidence [KIND=]URL]... [--earned ID]... [--bake IMAGE --out FILE] | --batch FILE.csv --out-dir DIR)"
	if reinstate {
		usageLine = "--config FILE [--db URL] --achievement ID --recipient TYPE:VALUE --by NAME --reason TEXT [--score VALUE]... [--evidence [KIND=]URL]... [flags as for issue]"
	}
	fs := newFlags(e, name, usageLine)
	configFile := fs.String("config", "", "issuer configuration: issuer profile, key file, achievements with criteria, where records are kept")
	dbURL := fs.String("db", "", "keep the records, review queue and status lists in this database, shared with other instances: sqlite:FILE or postgres://USER@HOST/DB (default: the config's database, or its folders)")
	achievement := fs.String("achievement", "", "id of the achievement")
	recipient := fs.String("recipient", "", "the learner: emailAddress:ada@example.org (hashed in the credential) or id:did:example:123")
	completed := fs.Bool("completed", true, "the learner completed the activity")
	var scores, evidence, earned repeated
	fs.Var(&scores, "score", "a score, as the LMS has it: 87, 0.87, 87%, B+ (repeatable, with --result-description for each after the first)")
	resultDesc := fs.String("result-description", "", "id of the result description the score is for (default: the achievement's only one)")
	level := fs.String("level", "", "id of the rubric level reached (for --result-description)")
	fs.Var(&evidence, "evidence", "a piece of evidence: URL, or KIND=URL such as project=https://… (repeatable)")
	fs.Var(&earned, "earned", "id of an achievement the learner already holds (repeatable)")
	bakeImage := fs.String("bake", "", "bake the credential into this PNG or SVG")
	out := fs.String("out", "", "with --bake: where to write the baked image")
	batch, outDir, by, reason := new(string), new(string), new(string), new(string)
	if reinstate {
		by = fs.String("by", "", "who decides to reinstate the award (kept in the records and the audit log)")
		reason = fs.String("reason", "", "why (kept in the records and the audit log)")
	} else {
		batch = fs.String("batch", "", "a CSV of results, one learner and achievement a row: columns achievement, recipient, and optionally score, evidence (space-separated, each URL or KIND=URL), completed, name")
		outDir = fs.String("out-dir", "", "with --batch: the folder each issued credential is written to, as AWARDKEY.json")
	}
	timeout := fs.Duration("timeout", time.Minute, "give up after this long (with --batch the default is an hour)")
	asJSON := fs.Bool("json", false, "print the decision as JSON: {awardKey, state, existing, reviewId, reasons, credential, jwt}; with --batch, one object per row instead of CSV")
	if status, ok := parseFlags(fs, args); !ok {
		return status
	}
	single := *achievement != "" || *recipient != ""
	switch {
	case *configFile == "" || fs.NArg() != 0 || (*bakeImage == "") != (*out == ""),
		*batch == "" && (*achievement == "" || *recipient == "" || *outDir != ""),
		*batch != "" && (single || *outDir == "" || *bakeImage != "" || len(scores) > 0 || len(evidence) > 0),
		*asJSON && *bakeImage != "",
		reinstate && (strings.TrimSpace(*by) == "" || strings.TrimSpace(*reason) == ""):
		fs.Usage()
		return exitCantRun
	}
	fail := func(err error) int {
		fmt.Fprintf(e.stderr, "openbadges %s: %s\n", name, forPeople(err.Error()))
		return exitCantRun
	}
	if err := cmp.Or(oneStdin(stdinUse{"--config", *configFile}, stdinUse{"--bake", *bakeImage}, stdinUse{"--batch", *batch}), notStdin("--out-dir", *outDir)); err != nil {
		return fail(err)
	}
	if *batch != "" && !flagSet(fs, "timeout") {
		*timeout = time.Hour
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	iss, achievements, closeDB, err := loadIssuer(ctx, e, *configFile, *dbURL)
	defer closeDB()
	if err != nil {
		return fail(err)
	}
	if *batch != "" {
		return runIssueBatch(e, ctx, iss, achievements, *batch, *outDir, *asJSON)
	}
	if a := achievements[*achievement]; a != nil && *resultDesc == "" && len(a.ResultDescription) == 1 {
		*resultDesc = a.ResultDescription[0].ID
	}
	learner, err := parseRecipient(*recipient)
	if err != nil {
		return fail(err)
	}
	s := &issuer.Submission{Learner: learner, AchievementID: *achievement, Completed: *completed, Earned: earned, SubmittedAt: time.Now()}
	if s.CompletedAt = time.Now(); !*completed {
		s.CompletedAt = time.Time{}
	}
	for _, v := range scores {
		s.Scores = append(s.Scores, issuer.Score{ResultDescription: *resultDesc, Value: v})
	}
	if *level != "" {
		s.Levels = map[string]string{*resultDesc: *level}
	}
	for _, v := range evidence {
		ev := issuer.Evidence{URL: v}
		if kind, u, ok := strings.Cut(v, "="); ok && !strings.Contains(kind, ":") {
			ev.Kind, ev.URL = kind, u
		}
		s.Evidence = append(s.Evidence, ev)
	}
	var res *issuer.Issued
	if reinstate {
		res, err = iss.Reinstate(ctx, s, *by, *reason)
	} else {
		res, err = iss.Issue(ctx, s)
	}
	done, err := pathwayOutcome(e, name, res, err)
	switch {
	case errors.Is(err, issuer.ErrState), errors.Is(err, issuer.ErrRecordNotFound):
		fmt.Fprintf(e.stderr, "openbadges %s: %s\n", name, forPeople(err.Error()))
		return exitNo
	case err != nil:
		return fail(err)
	}
	if *asJSON {
		// The decision as data, whatever it is; the exit status as without
		// --json.
		if err := printIssued(e, res); err != nil {
			return fail(err)
		}
		if res.State == issuer.StateIssued {
			return done
		}
		return exitNo
	}
	switch res.State {
	case issuer.StateDenied:
		fmt.Fprintf(e.stderr, "denied: %s\n", strings.Join(res.Decision.Reasons, "; "))
		return exitNo
	case issuer.StateInReview:
		fmt.Fprintf(e.stderr, "sent to review (%s): %s\n", res.ReviewID, strings.Join(res.Decision.Reasons, "; "))
		return exitNo
	case issuer.StateIssued:
	case issuer.StateRevoked, issuer.StateRejected:
		if reinstate {
			fmt.Fprintf(e.stderr, "not reinstated: the criteria deny: %s\n", strings.Join(res.Decision.Reasons, "; "))
		} else {
			fmt.Fprintf(e.stderr, "the award is %s, and openbadges issue does not bring it back: openbadges reinstate --by NAME --reason TEXT does, on a person's word\n", res.State)
		}
		return exitNo
	case issuer.StateSuspended:
		fmt.Fprintln(e.stderr, "the award is suspended: openbadges unsuspend lifts the suspension")
		return exitNo
	default:
		fmt.Fprintf(e.stderr, "the award is %s\n", res.State)
		return exitNo
	}
	if res.Existing {
		fmt.Fprintln(e.stderr, "already issued: the existing credential is printed")
	} else if reinstate {
		fmt.Fprintf(e.stderr, "reinstated %s: a new credential\n", res.AwardKey)
	}
	printPathways(e, res)
	if *bakeImage != "" {
		img, err := readInput(e, *bakeImage, 16<<20)
		if err != nil {
			return fail(err)
		}
		baked, err := res.Bake(img)
		if err != nil {
			return fail(err)
		}
		if *out == "-" {
			if _, err := e.stdout.Write(baked); err != nil {
				return fail(err)
			}
			fmt.Fprintf(e.stderr, "issued %s, baked\n", res.AwardKey)
			return done
		}
		if err := writeFileAtomic(*out, baked, 0o644); err != nil {
			return fail(err)
		}
		fmt.Fprintf(e.stderr, "issued %s, baked into %s\n", res.AwardKey, *out)
		return done
	}
	if len(res.Credential) > 0 {
		fmt.Fprintln(e.stdout, string(res.Credential))
	}
	if res.JWT != "" {
		fmt.Fprintln(e.stdout, res.JWT)
	}
	return done
}

// issuedJSON is what openbadges issue --json prints for a decision.
type issuedJSON struct {
	AwardKey   string          `json:"awardKey"`
	State      string          `json:"state"`
	Existing   bool            `json:"existing,omitempty"`
	ReviewID   string          `json:"reviewId,omitempty"`
	Reasons    []string        `json:"reasons,omitempty"`
	Credential json.RawMessage `json:"credential,omitempty"`
	JWT        string          `json:"jwt,omitempty"`
}

// printIssued prints a decision as one line of JSON.
func printIssued(e env, res *issuer.Issued) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	return enc.Encode(issuedJSON{AwardKey: res.AwardKey, State: string(res.State), Existing: res.Existing, ReviewID: res.ReviewID,
		Reasons: res.Decision.Reasons, Credential: res.Credential, JWT: res.JWT})
}
