package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/go-openbadges/openbadges/issuer"
)

// The issuer's lifecycle on the command line, on top of package issuer:
// revoke an award (its records and its status lists together), decide the
// reviews, list the records. Each takes the --config (and --db) that
// `openbadges issue` takes, and honours the database in it.

// lifecycleFlags are the flags every lifecycle command shares.
type lifecycleFlags struct {
	config, db *string
	timeout    *time.Duration
}

func addLifecycleFlags(fs *flag.FlagSet) lifecycleFlags {
	return lifecycleFlags{
		config:  fs.String("config", "", "issuer configuration, as for openbadges issue"),
		db:      fs.String("db", "", "the database the records, review queue and status lists are in (default: the config's)"),
		timeout: fs.Duration("timeout", time.Minute, "give up after this long"),
	}
}

// open loads the issuer; the caller defers the returned close.
func (f lifecycleFlags) open(e env) (context.Context, *issuer.Issuer, func(), error) {
	ctx, cancel := context.WithTimeout(context.Background(), *f.timeout)
	iss, _, closeDB, err := loadIssuer(ctx, e, *f.config, *f.db)
	return ctx, iss, func() { closeDB(); cancel() }, err
}

const revokeHelp = `Revokes an award: the issuer's record says revoked, and the credential's
entry in every status list it names is set, in one step, so that the next
openbadges issue for the same learner and achievement does not hand the
credential back (it says the award is revoked). Verifiers see the
revocation once the lists are published again (openbadges status publish).
The award is named by --award-key (as openbadges records list prints it),
or by --achievement and --recipient as openbadges issue takes them.

Exit status: 0 revoked, 1 there is no issued credential to revoke, 2 could
not run.`

const suspendHelp = `Suspends an award until openbadges unsuspend: the issuer's record says
suspended and the credential's entry in its suspension list is set, in one
step; openbadges issue hands out nothing for it meanwhile. Verifiers see it
once the lists are published again (openbadges publish).

An Open Badges 3.0 credential has one status entry, so only credentials
issued from a list of purpose suspension can be suspended: set
"status": {"bitstring": URL, "purpose": "suspension"} in the configuration
before issuing. (Revoking such a credential suspends it for good.)

Exit status: 0 suspended, 1 there is no issued credential to suspend, 2
could not run.`

const unsuspendHelp = `Lifts the suspension of an award (see openbadges suspend): the record says
issued again and the credential's list entry is cleared, in one step. A
revoked award stays revoked.

Exit status: 0 lifted, 1 the award is not suspended, 2 could not run.`

// runRevoke revokes an award in the records and the status lists together.
func runRevoke(e env, args []string) int { return runAwardChange(e, "revoke", args) }

// runSuspend suspends an award in the records and the status lists together.
func runSuspend(e env, args []string) int { return runAwardChange(e, "suspend", args) }

// runUnsuspend lifts an award's suspension in the records and the lists.
func runUnsuspend(e env, args []string) int { return runAwardChange(e, "unsuspend", args) }

// runAwardChange revokes, suspends or unsuspends (name) an award named by
// its key or by achievement and learner.
func runAwardChange(e env, name string, args []string) int {
	usageLine := "--config FILE [--db URL] (--award-key KEY | --achievement ID --recipient TYPE:VALUE) [--reason TEXT]"
	fs := newFlags(e, name, usageLine)
	lf := addLifecycleFlags(fs)
	awardKey := fs.String("award-key", "", "the award's key, as openbadges records list prints it")
	achievement := fs.String("achievement", "", "with --recipient: the achievement's id")
	recipient := fs.String("recipient", "", "with --achievement: the learner, emailAddress:ADDRESS or id:URI")
	why := "why (kept in the issuer's records and audit log)"
	if name == "revoke" {
		why = "why (kept in the issuer's records and audit log, and published in a 1EdTech revocation list)"
	}
	reason := fs.String("reason", "", why)
	if status, ok := parseFlags(fs, args); !ok {
		return status
	}
	byKey := *awardKey != ""
	byLearner := *achievement != "" && *recipient != ""
	if *lf.config == "" || byKey == byLearner || fs.NArg() != 0 {
		fs.Usage()
		return exitCantRun
	}
	fail := func(err error) int {
		fmt.Fprintf(e.stderr, "openbadges %s: %s\n", name, forPeople(err.Error()))
		return exitCantRun
	}
	ctx, iss, done, err := lf.open(e)
	defer done()
	if err != nil {
		return fail(err)
	}
	key := *awardKey
	if byLearner {
		l, err := parseRecipient(*recipient)
		if err != nil {
			return fail(err)
		}
		key = iss.AwardKey(*achievement, l)
	}
	change, past := iss.Revoke, "revoked"
	switch name {
	case "suspend":
		change, past = iss.Suspend, "suspended"
	case "unsuspend":
		change, past = iss.Unsuspend, "lifted the suspension of"
	}
	switch err := change(ctx, key, *reason); {
	case errors.Is(err, issuer.ErrRecordNotFound):
		fmt.Fprintf(e.stderr, "openbadges %s: no award %s: nothing was decided for it\n", name, key)
		return exitNo
	case errors.Is(err, issuer.ErrNotIssued), errors.Is(err, issuer.ErrState):
		fmt.Fprintf(e.stderr, "openbadges %s: %s\n", name, forPeople(err.Error()))
		return exitNo
	case err != nil:
		return fail(err)
	}
	fmt.Fprintf(e.stderr, "%s %s; publish the status lists for verifiers to see it (openbadges publish)\n", past, key)
	return exitOK
}

const reviewUsage = `usage: openbadges review <subcommand> --config FILE [--db URL] [flags]

The submissions an achievement's criteria sent to a person:

  list                          the pending ones, oldest first (--json for all their fields)
  approve ID --reviewer NAME    award it: the credential is issued and printed
  reject ID --reviewer NAME     reject it (--note says why); a later submission goes to review again

An item is named by its ID (as list prints it), or by --achievement and
--recipient as openbadges issue takes them.

The review queue is in the config's database, or, for a config that keeps
its records in folders, in its "review" folder (default: review, beside
the config).
Learners are shown by award key; --show-learner adds their email or id.
`

// runReview lists and decides the review queue.
func runReview(e env, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, reviewUsage)
		return exitCantRun
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "list":
		return runReviewList(e, rest)
	case "approve", "reject":
		return runReviewDecide(e, sub, rest)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(e.stdout, reviewUsage)
		return exitOK
	}
	fmt.Fprintf(e.stderr, "openbadges review: unknown subcommand %q\n\n%s", sub, reviewUsage)
	return exitCantRun
}

// reviewRow is one pending item as `review list --json` prints it.
type reviewRow struct {
	ID          string    `json:"id"`
	AwardKey    string    `json:"awardKey"`
	Achievement string    `json:"achievement"`
	Created     time.Time `json:"created"`
	Reasons     []string  `json:"reasons"`
	Evidence    []string  `json:"evidence,omitempty"`
	Learner     string    `json:"learner,omitempty"`
}

func runReviewList(e env, args []string) int {
	fs := newFlags(e, "review list", "--config FILE [--db URL] [--json] [--show-learner]")
	lf := addLifecycleFlags(fs)
	asJSON := fs.Bool("json", false, "print JSON, one object per item")
	showLearner := fs.Bool("show-learner", false, "show each learner's email address or id (personal data: only where it is needed)")
	if status, ok := parseFlags(fs, args); !ok {
		return status
	}
	if *lf.config == "" || fs.NArg() != 0 {
		fs.Usage()
		return exitCantRun
	}
	ctx, iss, done, err := lf.open(e)
	defer done()
	if err != nil {
		fmt.Fprintf(e.stderr, "openbadges review list: %s\n", forPeople(err.Error()))
		return exitCantRun
	}
	items, err := iss.ReviewQueue().Pending(ctx)
	if err != nil {
		fmt.Fprintf(e.stderr, "openbadges review list: %s\n", forPeople(err.Error()))
		return exitCantRun
	}
	rows := make([]reviewRow, 0, len(items))
	for _, it := range items {
		r := reviewRow{ID: it.ID, AwardKey: it.AwardKey, Achievement: it.Submission.AchievementID, Created: it.Created.UTC(), Reasons: it.Decision.Reasons}
		for _, ev := range it.Submission.Evidence {
			if ev.URL != "" {
				r.Evidence = append(r.Evidence, ev.URL)
			}
		}
		if *showLearner {
			r.Learner = firstOf(it.Submission.Learner.ID, it.Submission.Learner.Email)
		}
		rows = append(rows, r)
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		for _, r := range rows {
			if err := enc.Encode(r); err != nil {
				return exitCantRun
			}
		}
		return exitOK
	}
	if len(rows) == 0 {
		fmt.Fprintln(e.stderr, "no review is pending")
		return exitOK
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tAWARD KEY\tACHIEVEMENT\tQUEUED\tWHY")
	for _, r := range rows {
		why := strings.Join(r.Reasons, "; ")
		if r.Learner != "" {
			why = r.Learner + ": " + why
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.ID, r.AwardKey, r.Achievement, r.Created.Format(time.RFC3339), why)
	}
	tw.Flush()
	return exitOK
}

func runReviewDecide(e env, sub string, args []string) int {
	name := "review " + sub
	fs := newFlags(e, name, "(ID | --achievement ID --recipient TYPE:VALUE) --config FILE [--db URL] --reviewer NAME [--note TEXT]")
	lf := addLifecycleFlags(fs)
	reviewer := fs.String("reviewer", "", "who decides (kept in the records)")
	note := fs.String("note", "", "what they say about it (kept in the records)")
	achievement := fs.String("achievement", "", "with --recipient, instead of ID: the pending item for this achievement")
	recipient := fs.String("recipient", "", "with --achievement: the learner, emailAddress:ADDRESS or id:URI")
	// The item's id first, flags after it, as the usage shows; flags first
	// work too.
	var id string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		id, args = args[0], args[1:]
	}
	if status, ok := parseFlags(fs, args); !ok {
		return status
	}
	if id == "" && fs.NArg() == 1 {
		id = fs.Arg(0)
	} else if fs.NArg() != 0 {
		id = ""
	}
	byLearner := *achievement != "" && *recipient != ""
	if *lf.config == "" || (id == "") == !byLearner || *reviewer == "" {
		fs.Usage()
		return exitCantRun
	}
	fail := func(err error) int {
		fmt.Fprintf(e.stderr, "openbadges %s: %s\n", name, forPeople(err.Error()))
		if errors.Is(err, issuer.ErrReviewNotFound) || errors.Is(err, issuer.ErrResolved) {
			return exitNo
		}
		return exitCantRun
	}
	ctx, iss, done, err := lf.open(e)
	defer done()
	if err != nil {
		return fail(err)
	}
	if byLearner {
		if id, err = pendingFor(ctx, iss, *achievement, *recipient); err != nil {
			return fail(err)
		}
	}
	if sub == "reject" {
		if err := iss.Reject(ctx, id, *reviewer, *note); err != nil {
			return fail(err)
		}
		fmt.Fprintf(e.stderr, "rejected %s\n", id)
		return exitOK
	}
	res, err := iss.Approve(ctx, id, *reviewer, *note)
	status, err := pathwayOutcome(e, name, res, err)
	if err != nil {
		return fail(err)
	}
	if res.Existing {
		fmt.Fprintln(e.stderr, "already issued: the existing credential is printed")
	} else {
		fmt.Fprintf(e.stderr, "approved %s: issued %s\n", id, res.AwardKey)
	}
	printPathways(e, res)
	if len(res.Credential) > 0 {
		fmt.Fprintln(e.stdout, string(res.Credential))
	}
	if res.JWT != "" {
		fmt.Fprintln(e.stdout, res.JWT)
	}
	return status
}

// pendingFor returns the id of the pending review item of a learner and
// an achievement.
func pendingFor(ctx context.Context, iss *issuer.Issuer, achievement, recipient string) (string, error) {
	l, err := parseRecipient(recipient)
	if err != nil {
		return "", err
	}
	key := iss.AwardKey(achievement, l)
	items, err := iss.ReviewQueue().Pending(ctx)
	if err != nil {
		return "", err
	}
	for _, it := range items {
		if it.AwardKey == key {
			return it.ID, nil
		}
	}
	return "", fmt.Errorf("%w: nothing is pending for %s and %s (award key %s)", issuer.ErrReviewNotFound, recipient, achievement, key)
}

const recordsUsage = `usage: openbadges records list --config FILE [--db URL] [--state STATE] [--achievement ID] [--limit N [--after KEY]] [--json]

Lists what the issuer decided, one award per line: its award key,
achievement, state (issued, denied, in review, rejected, revoked, suspended), when it
last changed, and the credential's id. No learner data is printed.
`

// runRecords lists the issuer's records.
func runRecords(e env, args []string) int {
	if len(args) == 0 || args[0] != "list" {
		if len(args) > 0 && (args[0] == "help" || args[0] == "-h" || args[0] == "--help") {
			fmt.Fprint(e.stdout, recordsUsage)
			return exitOK
		}
		fmt.Fprint(e.stderr, recordsUsage)
		return exitCantRun
	}
	fs := newFlags(e, "records list", "--config FILE [--db URL] [--state STATE] [--achievement ID] [--limit N [--after KEY]] [--json]")
	lf := addLifecycleFlags(fs)
	state := fs.String("state", "", "only records in this state: issued, denied, in-review, rejected, revoked, suspended")
	achievement := fs.String("achievement", "", "only this achievement's records")
	asJSON := fs.Bool("json", false, "print JSON, one object per record")
	limit := fs.Int("limit", 0, "print at most this many records, a page (default: all)")
	after := fs.String("after", "", "start after this award key: the next page, as the last page's end names it")
	if status, ok := parseFlags(fs, args[1:]); !ok {
		return status
	}
	if *lf.config == "" || fs.NArg() != 0 {
		fs.Usage()
		return exitCantRun
	}
	if *limit < 0 {
		fmt.Fprintf(e.stderr, "openbadges records list: --limit %d: want a positive number of records\n", *limit)
		return exitCantRun
	}
	f := issuer.Filter{AchievementID: *achievement, State: issuer.State(strings.NewReplacer(" ", "-", "_", "-").Replace(*state)), After: *after, Limit: *limit}
	if f.State != "" && !knownState(f.State) {
		fmt.Fprintf(e.stderr, "openbadges records list: --state %q: want issued, denied, in-review, rejected, revoked or suspended\n", *state)
		return exitCantRun
	}
	ctx, iss, done, err := lf.open(e)
	defer done()
	if err != nil {
		fmt.Fprintf(e.stderr, "openbadges records list: %s\n", forPeople(err.Error()))
		return exitCantRun
	}
	recs, err := iss.Records().List(ctx, f)
	if err != nil {
		fmt.Fprintf(e.stderr, "openbadges records list: %s\n", forPeople(err.Error()))
		return exitCantRun
	}
	type row struct {
		AwardKey     string    `json:"awardKey"`
		Achievement  string    `json:"achievement"`
		State        string    `json:"state"`
		Updated      time.Time `json:"updated"`
		CredentialID string    `json:"credentialId,omitempty"`
		ReviewID     string    `json:"reviewId,omitempty"`
	}
	if *limit > 0 && len(recs) == *limit {
		// After the page, where a reader of a long page looks for it.
		defer fmt.Fprintf(e.stderr, "more records may follow: --after %s\n", recs[len(recs)-1].AwardKey)
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		for _, r := range recs {
			if err := enc.Encode(row{r.AwardKey, r.AchievementID, string(r.State), r.Updated.UTC(), r.CredentialID, r.ReviewID}); err != nil {
				return exitCantRun
			}
		}
		return exitOK
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "AWARD KEY\tACHIEVEMENT\tSTATE\tUPDATED\tCREDENTIAL")
	for _, r := range recs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.AwardKey, r.AchievementID, r.State, r.Updated.UTC().Format(time.RFC3339), r.CredentialID)
	}
	tw.Flush()
	return exitOK
}

// knownState reports whether s is a state records are in.
func knownState(s issuer.State) bool {
	switch s {
	case issuer.StateIssued, issuer.StateDenied, issuer.StateInReview, issuer.StateRejected, issuer.StateRevoked, issuer.StateSuspended:
		return true
	}
	return false
}

// firstOf returns the first of ss that is not empty.
func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

const publishHelp = `Writes into --out everything a verifier needs from the issuer: its
document (a did:web DID document at /.well-known/did.json, or an https
issuer's controller document at its path) and JWK Set, and every status
list, signed with the issuer's key, laid out as the web root to serve at
the issuer's URL (a list on another host goes under its host's folder);
and map.json, the offline map of all of it, so that

    openbadges verify --offline-map OUT/map.json BADGE

checks the issuer's badges with nothing served. Publish again after every
revocation and before the lists' validity (--validity, 30 days by
default) passes.`

// publishedFile is one file openbadges publish (or init) wrote, as --json
// prints it: its path under the folder and the URL to serve it at.
type publishedFile struct {
	File string `json:"file"`
	URL  string `json:"url"`
}

// printPublished prints what Publish wrote: one "FILE<TAB>URL" line per
// file, or with asJSON one JSON object per line; files are shown under
// prefix.
func printPublished(e env, pub *issuer.Published, prefix string, asJSON bool) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	for _, u := range slices.Sorted(maps.Keys(pub.Files)) {
		f := filepath.ToSlash(filepath.Join(prefix, pub.Files[u]))
		if asJSON {
			if err := enc.Encode(publishedFile{File: f, URL: u}); err != nil {
				return err
			}
			continue
		}
		if _, err := fmt.Fprintf(e.stdout, "%s\t%s\n", f, u); err != nil {
			return err
		}
	}
	return nil
}

// runPublish writes the issuer's public files.
func runPublish(e env, args []string) int {
	fs := newFlags(e, "publish", "--config FILE [--db URL] --out DIR [--validity DURATION] [--json]")
	lf := addLifecycleFlags(fs)
	out := fs.String("out", "", "the folder to write, the web root of the issuer's URL")
	validity := fs.Duration("validity", 30*24*time.Hour, "how long the status lists are valid (their validUntil)")
	asJSON := fs.Bool("json", false, "print each file written as JSON, one object per line: {\"file\", \"url\"}")
	if status, ok := parseFlags(fs, args); !ok {
		return status
	}
	if *lf.config == "" || *out == "" || fs.NArg() != 0 {
		fs.Usage()
		return exitCantRun
	}
	if err := notStdin("--out", *out); err != nil {
		fmt.Fprintf(e.stderr, "openbadges publish: %v\n", err)
		return exitCantRun
	}
	ctx, iss, done, err := lf.open(e)
	defer done()
	if err == nil {
		var pub *issuer.Published
		if pub, err = iss.Publish(ctx, *out, &issuer.PublishOptions{Validity: *validity}); err == nil {
			if err = printPublished(e, pub, "", *asJSON); err == nil {
				fmt.Fprintf(e.stderr, "published %d files and %s in %s\n", len(pub.Files), pub.Map, *out)
				return exitOK
			}
		}
	}
	fmt.Fprintf(e.stderr, "openbadges publish: %s\n", forPeople(err.Error()))
	return exitCantRun
}
