// Package insightstest holds what every implementation of issuer.Insights
// is tested with: a generated history of decisions, and a check that an
// implementation answers every question about it as issuer.ScanInsights,
// the reference, does.
package insightstest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/issuer"
)

// Start is when the generated histories begin: 2026-01-01 UTC.
var Start = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// Achievements are the achievements the histories are about.
var Achievements = []string{
	"https://example.edu/achievements/a",
	"https://example.edu/achievements/b",
	"https://example.edu/achievements/c",
}

// Reviewers decide the reviews.
var Reviewers = []string{"grace", "alan", "ada"}

// History returns n records with the histories an issuer gives them over
// a year from Start, the same for the same seed: each award key is first
// submitted at a random time, then awarded, denied (and maybe awarded
// later) or sent to review (approved or rejected by a reviewer, or still
// pending), and some awards are revoked, suspended, or suspended and
// lifted, or reinstated.
func History(seed uint64, n int) []*issuer.Record {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	out := make([]*issuer.Record, 0, n)
	for k := range n {
		rec := &issuer.Record{
			AwardKey:      fmt.Sprintf("%032x", uint64(k)*0x9e3779b97f4a7c15^seed),
			AchievementID: Achievements[r.IntN(len(Achievements))],
			Learner:       issuer.Learner{ID: fmt.Sprintf("did:example:learner%d", k)},
		}
		at := Start.Add(time.Duration(r.Int64N(int64(365 * 24 * time.Hour)))).Truncate(time.Second)
		rec.Submitted = at
		step := func(to issuer.State, by string) {
			at = at.Add(time.Duration(1 + r.Int64N(int64(72*time.Hour)))).Truncate(time.Second)
			from := rec.State
			rec.State, rec.Updated = to, at
			rec.History = append(rec.History, issuer.Event{At: at, From: from, State: to, By: by})
		}
		switch r.IntN(10) {
		case 0, 1, 2, 3, 4:
			step(issuer.StateIssued, "")
		case 5, 6:
			step(issuer.StateDenied, "")
			if r.IntN(2) == 0 {
				step(issuer.StateIssued, "")
			}
		default:
			step(issuer.StateInReview, "")
			switch r.IntN(3) {
			case 0:
				step(issuer.StateIssued, Reviewers[r.IntN(len(Reviewers))])
			case 1:
				step(issuer.StateRejected, Reviewers[r.IntN(len(Reviewers))])
				if r.IntN(3) == 0 {
					step(issuer.StateIssued, "alan")
				}
			}
		}
		if rec.State == issuer.StateIssued {
			switch r.IntN(20) {
			case 0:
				step(issuer.StateRevoked, "")
				if r.IntN(2) == 0 {
					step(issuer.StateIssued, "grace")
				}
			case 1:
				step(issuer.StateSuspended, "")
			case 2:
				step(issuer.StateSuspended, "")
				step(issuer.StateIssued, "")
			}
		}
		if rec.State == issuer.StateIssued {
			rec.CredentialID = "urn:uuid:" + rec.AwardKey
			rec.AwardedAt, _ = rec.FirstAward()
			rec.IssuedAt = rec.Updated
		}
		out = append(out, rec)
	}
	return out
}

// Queries are the questions Check asks: each period, time zones, one
// achievement, reviewers, learners, small pages.
func Queries() []issuer.InsightQuery {
	tokyo := time.FixedZone("UTC+9", 9*3600)
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		ny = time.FixedZone("UTC-5", -5*3600)
	}
	year := Start.AddDate(1, 0, 14)
	return []issuer.InsightQuery{
		{},
		{Since: Start, Until: year, Period: issuer.PeriodMonth},
		{Since: Start, Until: year, Period: issuer.PeriodMonth, Location: ny},
		{Since: Start.AddDate(0, 2, 0), Until: Start.AddDate(0, 5, 0), Period: issuer.PeriodWeek, Location: tokyo},
		{Since: Start.AddDate(0, 3, 0), Until: Start.AddDate(0, 4, 0), Period: issuer.PeriodDay, Location: ny},
		{AchievementID: Achievements[1], Since: Start, Until: year, Period: issuer.PeriodMonth},
		{ByReviewer: true, Since: Start, Until: year, Period: issuer.PeriodMonth},
		{Since: Start.AddDate(0, 6, 0)},
		{Until: Start.AddDate(0, 6, 0), Learners: true},
		{AchievementID: Achievements[2], Since: Start, Until: year, Period: issuer.PeriodMonth, Limit: 7},
		{AchievementID: Achievements[0], Limit: 40, Learners: true},
	}
}

// Check asks in every question of Queries, following every page, and
// fails t where its answers differ from the reference's over recs.
func Check(t *testing.T, in issuer.Insights, recs []*issuer.Record) {
	t.Helper()
	ctx := context.Background()
	ref := issuer.ScanInsights{List: func(ctx context.Context, ach string) ([]*issuer.Record, error) {
		var out []*issuer.Record
		for _, r := range recs {
			if ach == "" || r.AchievementID == ach {
				out = append(out, r)
			}
		}
		return out, nil
	}}
	sameTime := cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })
	for k, q := range Queries() {
		want, err := AllCounts(ctx, ref, q)
		if err != nil {
			t.Fatal(err)
		}
		got, err := AllCounts(ctx, in, q)
		if err != nil {
			t.Fatalf("query %d (%+v): Counts: %v", k, q, err)
		}
		if diff := cmp.Diff(want, got, sameTime); diff != "" {
			t.Errorf("query %d (%+v): Counts (-reference +got):\n%s", k, q, diff)
		}
		wt, _ := ref.TimeToAward(ctx, q)
		gt, err := in.TimeToAward(ctx, q)
		if err != nil {
			t.Fatalf("query %d: TimeToAward: %v", k, err)
		}
		if diff := cmp.Diff(wt, gt); diff != "" {
			t.Errorf("query %d (%+v): TimeToAward (-reference +got):\n%s", k, q, diff)
		}
		wd, err := AllDecisions(ctx, ref, q)
		if err != nil {
			t.Fatal(err)
		}
		gd, err := AllDecisions(ctx, in, q)
		if err != nil {
			t.Fatalf("query %d: Decisions: %v", k, err)
		}
		if diff := cmp.Diff(wd, gd, sameTime); diff != "" {
			t.Errorf("query %d (%+v): Decisions (-reference +got):\n%s", k, q, diff)
		}
	}
	for _, bad := range []issuer.InsightQuery{
		{Period: issuer.PeriodMonth},
		{Since: Start, Until: Start.AddDate(40, 0, 0), Period: issuer.PeriodDay},
		{Period: "year", Since: Start, Until: Start.AddDate(1, 0, 0)},
		{Limit: issuer.MaxPageSize + 1},
		{After: "not a cursor"},
		{Since: Start, Until: Start},
		{Since: time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC), Until: Start},
		{Since: Start, Until: time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		if _, err := in.Counts(ctx, bad); err == nil {
			t.Errorf("Counts(%+v) answered; want an error wrapping ErrQuery", bad)
		}
	}
}

// AllCounts follows every page of a Counts question.
func AllCounts(ctx context.Context, in issuer.Insights, q issuer.InsightQuery) ([]issuer.Count, error) {
	var out []issuer.Count
	for pages := 0; ; pages++ {
		p, err := in.Counts(ctx, q)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Counts...)
		if p.Next == "" {
			return out, nil
		}
		if pages > 100000 {
			return nil, fmt.Errorf("insightstest: Counts gave more than 100000 pages")
		}
		q.After = p.Next
	}
}

// AllDecisions follows every page of a Decisions question.
func AllDecisions(ctx context.Context, in issuer.Insights, q issuer.InsightQuery) ([]issuer.DecisionRow, error) {
	var out []issuer.DecisionRow
	for pages := 0; ; pages++ {
		p, err := in.Decisions(ctx, q)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Decisions...)
		if p.Next == "" {
			return out, nil
		}
		if pages > 100000 {
			return nil, fmt.Errorf("insightstest: Decisions gave more than 100000 pages")
		}
		q.After = p.Next
	}
}
