package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/internal/insightstest"
	"github.com/go-openbadges/openbadges/issuer"
)

// putAll stores recs as Put does, in one transaction.
func putAll(t testing.TB, db *DB, recs []*issuer.Record) {
	t.Helper()
	ctx := context.Background()
	err := db.write(ctx, func(q querier) error {
		for _, rec := range recs {
			args, err := recordArgs(rec)
			if err != nil {
				return err
			}
			if _, err := q.ExecContext(ctx, db.q.putRecord, args...); err != nil {
				return err
			}
			if err := db.saveHistory(ctx, q, rec); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// oddRecords are records whose strings order differently byte by byte
// than in a language's collation (upper case, accents, a prefix), for
// Counts and Decisions to order as Go does.
func oddRecords() []*issuer.Record {
	at := insightstest.Start.AddDate(0, 2, 3)
	var out []*issuer.Record
	for k, c := range []struct{ ach, by string }{
		{"https://example.edu/achievements/B", "Zoë"},
		{"https://example.edu/achievements/é", "zoe"},
		{"https://example.edu/achievements/a-", "Émile"},
		{"https://example.edu/achievements/a", "emile"},
		{"https://example.edu/achievements/Ä", "ada"},
	} {
		for j, by := range []string{c.by, "", "ZZ"} {
			sub := at.Add(time.Duration(k*3+j) * time.Hour)
			out = append(out, &issuer.Record{
				AwardKey:      "odd-" + c.ach[len(c.ach)-2:] + "-" + by,
				AchievementID: c.ach,
				Learner:       issuer.Learner{ID: "did:example:odd" + by},
				State:         issuer.StateRejected,
				Updated:       sub.Add(2 * time.Hour),
				Submitted:     sub,
				History: []issuer.Event{
					{At: sub.Add(time.Hour), State: issuer.StateInReview},
					{At: sub.Add(2 * time.Hour), From: issuer.StateInReview, State: "Rejected", By: by},
					{At: sub.Add(2 * time.Hour), From: issuer.StateInReview, State: issuer.StateRejected, By: by},
				},
			})
		}
	}
	return out
}

// TestInsightsConformance holds each database's answers to the reference's
// (issuer.ScanInsights) on a generated history of decisions, in every
// question insightstest asks.
func TestInsightsConformance(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 600
	}
	recs := append(insightstest.History(22, n), oddRecords()...)
	for _, b := range sqlBackends() {
		t.Run(b.name, func(t *testing.T) {
			db := openURL(t, b.url(t), nil)
			putAll(t, db, recs)
			insightstest.Check(t, db.Records(), recs)
		})
	}
}

// TestMigrateEvents: the records of a database written by the program of
// schema version 2, which kept their histories only in their JSON, or of
// versions 3 and 4, which kept when they were submitted, are counted once
// the database is opened by this version.
func TestMigrateEvents(t *testing.T) {
	recs := append(insightstest.History(5, 700), oddRecords()...)
	for _, b := range sqlBackends() {
		for _, v := range []int{2, 3, 4} {
			t.Run(fmt.Sprintf("%s/version=%d", b.name, v), func(t *testing.T) {
				u := b.url(t)
				oldDatabase(t, u, v, recs...)
				db := openURL(t, u, nil)
				insightstest.Check(t, db.Records(), recs)
			})
		}
	}
}

// TestInsightsIssuerPath issues, revokes and reinstates credentials
// through an Issuer, which stores each record with
// Create and then Swap as its History grows, and checks that each change
// of state is one event, as the reference counts the records.
func TestInsightsIssuerPath(t *testing.T) {
	for _, b := range sqlBackends() {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			db := openURL(t, b.url(t), nil)
			// The Issuer's clock ticks a second a call: the Issuer keeps
			// the time of an issuance to the second only (Record.Updated,
			// which Record.enter takes as the event's time), so that on
			// the wall clock an issuance and a reinstatement in one second
			// would be one event, (award key, time, state), in a history
			// out of time order: a bug of the issuer's, for its owner.
			var mu sync.Mutex
			clock := time.Now().Truncate(time.Second)
			tick := func(c *issuer.Config) {
				c.Now = func() time.Time {
					mu.Lock()
					defer mu.Unlock()
					clock = clock.Add(time.Second)
					return clock
				}
			}
			iss, err := newIssuer(db.Records(), db.Review(), db.Status(), tick)
			if err != nil {
				t.Fatal(err)
			}
			var keys []string
			for l := range 3 {
				out, err := iss.Issue(ctx, procSubmission(l))
				if err != nil {
					t.Fatal(err)
				}
				keys = append(keys, out.AwardKey)
				if _, err := iss.Issue(ctx, procSubmission(l)); err != nil { // changes nothing
					t.Fatal(err)
				}
			}
			if err := iss.Revoke(ctx, keys[0], "a test"); err != nil {
				t.Fatal(err)
			}
			if _, err := iss.Reinstate(ctx, procSubmission(0), "rita", "a test"); err != nil {
				t.Fatal(err)
			}
			if err := iss.Revoke(ctx, keys[1], "a test"); err != nil {
				t.Fatal(err)
			}
			all, err := db.Records().Decisions(ctx, issuer.InsightQuery{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, d := range all.Decisions {
				got = append(got, d.AwardKey[:4]+" "+string(d.From)+">"+string(d.State)+" "+d.By)
			}
			k0, k1, k2 := keys[0][:4], keys[1][:4], keys[2][:4]
			want := []string{k0 + " >issued ", k1 + " >issued ", k2 + " >issued ",
				k0 + " issued>revoked ", k0 + " revoked>issued rita", k1 + " issued>revoked "}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("decisions (-want +got):\n%s", diff)
			}
			recs, err := db.Records().List(ctx, issuer.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			insightstest.Check(t, db.Records(), recs)
		})
	}
}

// TestInsightsRewrite checks that the events of an award key are its
// record's History whatever replaces the record: a Put of the same record
// adds nothing, a changed event or learner id is changed, an event the
// history no longer has is gone, and a failed Create or Swap writes none.
func TestInsightsRewrite(t *testing.T) {
	at := insightstest.Start
	ev := func(h int, from, to issuer.State, by string) issuer.Event {
		return issuer.Event{At: at.Add(time.Duration(h) * time.Hour), From: from, State: to, By: by}
	}
	rec := func(learner string, st issuer.State, h ...issuer.Event) *issuer.Record {
		return &issuer.Record{AwardKey: "k1", AchievementID: "urn:a", Learner: issuer.Learner{ID: learner},
			State: st, Submitted: at, Updated: at, History: h}
	}
	inReview := ev(1, "", issuer.StateInReview, "")
	approved := ev(2, issuer.StateInReview, issuer.StateIssued, "rita")
	for _, b := range sqlBackends() {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			db := openURL(t, b.url(t), nil)
			r := db.Records()
			decisions := func(what string, want ...string) {
				t.Helper()
				p, err := r.Decisions(ctx, issuer.InsightQuery{Learners: true})
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, d := range p.Decisions {
					got = append(got, d.At.Sub(at).String()+" "+string(d.From)+">"+string(d.State)+" by "+d.By+" for "+d.LearnerID)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s: decisions (-want +got):\n%s", what, diff)
				}
			}
			steps := []struct {
				what string
				do   func() error
				want []string
			}{
				{"create", func() error { return r.Create(ctx, rec("ada", issuer.StateInReview, inReview)) },
					[]string{"1h0m0s >in-review by  for ada"}},
				{"create again", func() error {
					err := r.Create(ctx, rec("bob", issuer.StateInReview, inReview, ev(5, "", "x", "")))
					if !errors.Is(err, issuer.ErrRecordExists) {
						t.Errorf("Create: %v, want ErrRecordExists", err)
					}
					return nil
				}, []string{"1h0m0s >in-review by  for ada"}},
				{"swap", func() error {
					return r.Swap(ctx, rec("ada", issuer.StateIssued, inReview, approved), issuer.StateInReview)
				},
					[]string{"1h0m0s >in-review by  for ada", "2h0m0s in-review>issued by rita for ada"}},
				{"swap from another state", func() error {
					err := r.Swap(ctx, rec("ada", issuer.StateRevoked, inReview, approved, ev(3, issuer.StateIssued, issuer.StateRevoked, "")), issuer.StateInReview)
					if !errors.Is(err, issuer.ErrRecordChanged) {
						t.Errorf("Swap: %v, want ErrRecordChanged", err)
					}
					return nil
				}, []string{"1h0m0s >in-review by  for ada", "2h0m0s in-review>issued by rita for ada"}},
				{"put the same", func() error { return r.Put(ctx, rec("ada", issuer.StateIssued, inReview, approved)) },
					[]string{"1h0m0s >in-review by  for ada", "2h0m0s in-review>issued by rita for ada"}},
				{"put a changed event and learner", func() error {
					return r.Put(ctx, rec("ada2", issuer.StateIssued, inReview, ev(2, issuer.StateInReview, issuer.StateIssued, "sam")))
				}, []string{"1h0m0s >in-review by  for ada2", "2h0m0s in-review>issued by sam for ada2"}},
				{"put a shorter history", func() error { return r.Put(ctx, rec("ada2", issuer.StateIssued, ev(4, "", issuer.StateIssued, ""))) },
					[]string{"4h0m0s >issued by  for ada2"}},
				{"put no history", func() error { return r.Put(ctx, rec("ada2", issuer.StateIssued)) }, nil},
			}
			for _, s := range steps {
				if err := s.do(); err != nil {
					t.Fatalf("%s: %v", s.what, err)
				}
				decisions(s.what, s.want...)
			}
		})
	}
}

// TestInsightsManyPeriods asks for more periods than one statement of
// Counts counts (periodsPerQuery), in pages that end inside and between
// its statements, and compares every page with the reference's.
func TestInsightsManyPeriods(t *testing.T) {
	recs := append(insightstest.History(9, 800), oddRecords()...)
	ref := issuer.ScanInsights{List: func(ctx context.Context, ach string) ([]*issuer.Record, error) {
		var out []*issuer.Record
		for _, r := range recs {
			if ach == "" || r.AchievementID == ach {
				out = append(out, r)
			}
		}
		return out, nil
	}}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip(err)
	}
	start, end := insightstest.Start.AddDate(0, 0, -3), insightstest.Start.AddDate(1, 1, 0)
	queries := []issuer.InsightQuery{
		{Since: start, Until: end, Period: issuer.PeriodDay, Location: ny, Limit: 37},
		{Since: start, Until: end, Period: issuer.PeriodDay, Location: ny, ByReviewer: true, Limit: 5},
		{Since: start, Until: end, Period: issuer.PeriodDay, AchievementID: insightstest.Achievements[2], Limit: 17},
		{Since: start, Until: end, Period: issuer.PeriodWeek, Limit: 3},
	}
	if periods, _ := queries[0].Periods(); len(periods) <= 2*periodsPerQuery {
		t.Fatalf("%d periods: not enough for three statements", len(periods))
	}
	for _, b := range sqlBackends() {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			db := openURL(t, b.url(t), nil)
			putAll(t, db, recs)
			for k, q := range queries {
				for p := q; ; {
					want, err := ref.Counts(ctx, p)
					if err != nil {
						t.Fatal(err)
					}
					got, err := db.Records().Counts(ctx, p)
					if err != nil {
						t.Fatalf("query %d: %v", k, err)
					}
					if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
						t.Fatalf("query %d, after %q (-reference +got):\n%s", k, p.After, diff)
					}
					if got.Next == "" {
						break
					}
					p.After = got.Next
				}
			}
		})
	}
}
