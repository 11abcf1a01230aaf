package main

import (
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/go-openbadges/openbadges/issuer"
)

const pathwaysUsage = "--config FILE [--db URL] [--learner TYPE:VALUE] [--json]"

const pathwaysHelp = `Awards the pathways (a program made of courses, a certificate made of
modules: "pathway" in the configuration's criteria) that learners have
completed but were not awarded. An award that completes a pathway awards
it at once; this is for a process that stopped between a learner's last
course and the program, and for a pathway added to the configuration
after its courses were awarded. It never awards anything twice: a
pathway awarded, in review, revoked or decided by a person is left as it
is, so the command may run again, or from cron, at any time.

With --learner (emailAddress:ADDRESS or id:URI, as openbadges issue takes
--recipient) it looks at that learner. Without it, at every learner the
records name by id who holds one of the pathways' achievements. The
records keep no email address, so a learner known by one alone is found
only with --learner; the command says how many such awards it could not
look at. It reads the records a page at a time; --timeout (a minute by
default) bounds the whole run, so a first run over many learners may
need more.

Each award it makes is printed on standard output, a line each (award
key, achievement, state, credential id), or with --json as
{learners, unnamed, failed, awarded: [{awardKey, achievement, state,
credentialId, reviewId}]}. The credentials are in the records: openbadges
issue with the learner and the pathway's achievement prints one again.

Exit status: 0 done, whether or not there was anything to award; 2 could
not run, or a learner's pathway could not be awarded (what was awarded
is printed; run the command again to retry).`

// pathwayRow is one pathway award, as pathways prints it.
type pathwayRow struct {
	AwardKey     string `json:"awardKey"`
	Achievement  string `json:"achievement"`
	State        string `json:"state"`
	CredentialID string `json:"credentialId,omitempty"`
	ReviewID     string `json:"reviewId,omitempty"`
}

// pathwaysResult is what pathways --json prints.
type pathwaysResult struct {
	// Learners is how many learners were looked at; Unnamed, how many
	// awards of learners known by an email address alone were not.
	Learners int          `json:"learners"`
	Unnamed  int          `json:"unnamed"`
	Failed   int          `json:"failed"`
	Awarded  []pathwayRow `json:"awarded"`
}

// runPathways awards the pathways learners completed but were not
// awarded (issuer.Issuer.CompletePathways, CompleteAllPathways).
func runPathways(e env, args []string) int {
	fs := newFlags(e, "pathways", pathwaysUsage)
	lf := addLifecycleFlags(fs)
	learner := fs.String("learner", "", "only this learner: emailAddress:ADDRESS or id:URI, as openbadges issue takes --recipient (default: every learner the records name by id)")
	asJSON := fs.Bool("json", false, "print {learners, unnamed, failed, awarded} as JSON")
	if status, ok := parseFlags(fs, args); !ok {
		return status
	}
	if *lf.config == "" || fs.NArg() != 0 {
		fs.Usage()
		return exitCantRun
	}
	fail := func(err error) int {
		fmt.Fprintf(e.stderr, "openbadges pathways: %s\n", forPeople(err.Error()))
		return exitCantRun
	}
	var l issuer.Learner
	if *learner != "" {
		var err error
		if l, err = parseRecipient(*learner); err != nil {
			return fail(errors.New(replaceFlag(err.Error())))
		}
	}
	ctx, iss, done, err := lf.open(e)
	defer done()
	if err != nil {
		return fail(err)
	}

	var res pathwaysResult
	var awarded []*issuer.Issued
	if *learner != "" {
		res.Learners = 1
		awarded, err = iss.CompletePathways(ctx, l)
		if err != nil {
			res.Failed = 1
		}
	} else {
		var sweep *issuer.PathwaySweep
		sweep, err = iss.CompleteAllPathways(ctx)
		if sweep != nil {
			res.Learners, res.Unnamed, res.Failed, awarded = sweep.Learners, sweep.Unnamed, sweep.Failed, sweep.Awarded
		}
	}
	res.Awarded = []pathwayRow{}
	var walk func([]*issuer.Issued)
	walk = func(list []*issuer.Issued) {
		for _, is := range list {
			// An award another process made meanwhile is its, not ours.
			if !(is.State == issuer.StateIssued && is.Existing) {
				row := pathwayRow{AwardKey: is.AwardKey, Achievement: is.AchievementID, State: string(is.State), ReviewID: is.ReviewID}
				if is.State == issuer.StateIssued {
					if rec, err := iss.Records().Get(ctx, is.AwardKey); err == nil {
						row.CredentialID = rec.CredentialID
					}
				}
				res.Awarded = append(res.Awarded, row)
			}
			walk(is.Pathways)
		}
	}
	walk(awarded)

	status := exitOK
	if *asJSON {
		status = printJSON(e, "pathways", res)
	} else if len(res.Awarded) > 0 {
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "AWARD KEY\tACHIEVEMENT\tSTATE\tCREDENTIAL")
		for _, r := range res.Awarded {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.AwardKey, r.Achievement, r.State, firstOf(r.CredentialID, r.ReviewID))
		}
		tw.Flush()
	}
	counts := map[string]int{}
	for _, r := range res.Awarded {
		counts[r.State]++
	}
	summary := fmt.Sprintf("%d pathways issued, %d sent to review", counts[string(issuer.StateIssued)], counts[string(issuer.StateInReview)])
	if n := counts[string(issuer.StateDenied)]; n > 0 {
		summary += fmt.Sprintf(", %d denied", n)
	}
	if *learner == "" {
		summary = fmt.Sprintf("looked at %d learners: %s", res.Learners, summary)
	}
	fmt.Fprintln(e.stderr, summary)
	if res.Unnamed > 0 {
		fmt.Fprintf(e.stderr, "%d awards of the pathways' achievements are of learners known by an email address alone, which the records do not keep: for each, run openbadges pathways --learner emailAddress:ADDRESS\n", res.Unnamed)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "openbadges pathways: %s; run the command again to retry\n", forPeople(err.Error()))
		return exitCantRun
	}
	return status
}
