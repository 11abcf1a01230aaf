package issuer_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/internal/insightstest"
	"github.com/go-openbadges/openbadges/issuer"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/status"
)

// TestInsightsConformance: the memory and folder stores answer every
// question about a generated history as the reference does.
func TestInsightsConformance(t *testing.T) {
	recs := insightstest.History(1, 300)
	ctx := context.Background()
	dir, err := issuer.OpenDirRecords(filepath.Join(t.TempDir(), "records"))
	if err != nil {
		t.Fatal(err)
	}
	mem := &issuer.MemoryRecords{}
	for _, r := range recs {
		if err := mem.Create(ctx, r); err != nil {
			t.Fatal(err)
		}
		if err := dir.Create(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("memory", func(t *testing.T) { insightstest.Check(t, mem, recs) })
	t.Run("folder", func(t *testing.T) { insightstest.Check(t, dir, recs) })
}

// TestInsightsHandCount: a small history made by a real Issuer, on a clock
// the test moves, counted by hand.
func TestInsightsHandCount(t *testing.T) {
	ctx := context.Background()
	clock := time.Date(2026, 3, 31, 23, 30, 0, 0, time.UTC) // 1 April in Berlin
	is, recs := handIssuer(t, func() time.Time { return clock })
	step := func(d time.Duration) { clock = clock.Add(d) }

	// Ada: awarded at once (31 March 23:30 UTC). Bob: denied, then awarded
	// a day later. Cy: to review, approved by grace. Dee: to review,
	// rejected by alan. Ada's award is then revoked.
	ada := handSubmission("ada", 90)
	ada.SubmittedAt = clock.Add(-2 * time.Hour)
	mustIssue(t, is, ada)
	step(time.Hour)
	bob := handSubmission("bob", 40)
	mustIssue(t, is, bob)
	step(24 * time.Hour)
	bob = handSubmission("bob", 80)
	mustIssue(t, is, bob)
	cy := mustIssue(t, is, handSubmission("cy", 65))
	dee := mustIssue(t, is, handSubmission("dee", 62))
	step(48 * time.Hour)
	if _, err := is.Approve(ctx, cy.ReviewID, "grace", "fine"); err != nil {
		t.Fatal(err)
	}
	if err := is.Reject(ctx, dee.ReviewID, "alan", "no"); err != nil {
		t.Fatal(err)
	}
	step(24 * time.Hour)
	if err := is.Revoke(ctx, is.AwardKey(handAchievement, issuer.Learner{Email: "ada@example.org"}), "error"); err != nil {
		t.Fatal(err)
	}

	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	month := func(m time.Month) time.Time { return time.Date(2026, m, 1, 0, 0, 0, 0, berlin) }
	page, err := recs.Counts(ctx, issuer.InsightQuery{Since: month(3), Until: month(5), Period: issuer.PeriodMonth, Location: berlin})
	if err != nil {
		t.Fatal(err)
	}
	a := handAchievement
	want := []issuer.Count{
		// Every event falls in April in Berlin, Ada's award too.
		{AchievementID: a, Period: month(4), State: issuer.StateDenied, N: 1},
		{AchievementID: a, Period: month(4), State: issuer.StateInReview, N: 2},
		{AchievementID: a, Period: month(4), State: issuer.StateIssued, N: 3},
		{AchievementID: a, Period: month(4), State: issuer.StateRejected, N: 1},
		{AchievementID: a, Period: month(4), State: issuer.StateRevoked, N: 1},
	}
	sameTime := cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })
	if diff := cmp.Diff(want, page.Counts, sameTime); diff != "" {
		t.Errorf("Counts (-want +got):\n%s", diff)
	}
	// In UTC, Ada's award is in March.
	page, _ = recs.Counts(ctx, issuer.InsightQuery{Since: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), Until: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), Period: issuer.PeriodMonth})
	if got := page.Counts[0]; got.Period.Month() != time.March || got.State != issuer.StateIssued || got.N != 1 {
		t.Errorf("UTC: first count %+v, want Ada's award in March", got)
	}
	// Reviewers: grace approved one, alan rejected one.
	page, _ = recs.Counts(ctx, issuer.InsightQuery{ByReviewer: true})
	wantBy := []issuer.Count{
		{AchievementID: a, State: issuer.StateIssued, By: "grace", N: 1},
		{AchievementID: a, State: issuer.StateRejected, By: "alan", N: 1},
	}
	if diff := cmp.Diff(wantBy, page.Counts); diff != "" {
		t.Errorf("ByReviewer (-want +got):\n%s", diff)
	}
	// Time to award: Ada 2h (from her SubmittedAt), Bob 24h (from his
	// first submission, denied), Cy 48h (in review): median 24h, p90 48h.
	timing, err := recs.TimeToAward(ctx, issuer.InsightQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]issuer.AwardTiming{{AchievementID: a, N: 3, Median: 24 * time.Hour, P90: 48 * time.Hour}}, timing); diff != "" {
		t.Errorf("TimeToAward (-want +got):\n%s", diff)
	}
	// The export: eight changes, no learner data unless asked.
	dec, err := recs.Decisions(ctx, issuer.InsightQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(dec.Decisions) != 8 || dec.Decisions[0].State != issuer.StateIssued || dec.Decisions[7].State != issuer.StateRevoked || dec.Decisions[0].LearnerID != "" {
		t.Errorf("Decisions: %+v", dec.Decisions)
	}
	// A learner's record, by the identifier the issuer knows.
	lr, err := is.LearnerRecords(ctx, issuer.Learner{Email: "bob@example.org"})
	if err != nil || len(lr) != 1 || lr[0].State != issuer.StateIssued || len(lr[0].History) != 2 {
		t.Errorf("LearnerRecords(bob): %+v, %v", lr, err)
	}
}

const handAchievement = "https://example.edu/achievements/stats"

// handIssuer returns an Issuer on the given clock whose one achievement
// awards 70 or more, sends 60 to 70 to review and denies the rest, and its
// records.
func handIssuer(t *testing.T, now func() time.Time) (*issuer.Issuer, *issuer.MemoryRecords) {
	t.Helper()
	ctx := context.Background()
	signer, err := keys.Generate(keys.Ed25519)
	if err != nil {
		t.Fatal(err)
	}
	did, _ := keys.DIDKey(signer.Public())
	vm, _ := keys.DIDKeyVerificationMethod(signer.Public())
	k, err := keys.NewKey(vm, did, signer)
	if err != nil {
		t.Fatal(err)
	}
	store := &keys.MemoryStore{}
	if err := store.Add(ctx, k); err != nil {
		t.Fatal(err)
	}
	reg := &status.Registry{Store: &status.MemoryStore{}, Now: now}
	if _, err := reg.Create(ctx, "https://example.edu/status/1", nil); err != nil {
		t.Fatal(err)
	}
	fc := &issuer.FileCriteria{Completion: true, ReviewFrom: "60"}
	fc.MinScore = &struct {
		ResultDescription string `json:"resultDescription"`
		Min               string `json:"min"`
	}{handAchievement + "/final", "70"}
	recs := &issuer.MemoryRecords{}
	is, err := issuer.New(issuer.Config{
		Issuer: &credential.Profile{ID: did, Name: "Example College"},
		Keys:   store,
		Achievements: []issuer.Achievement{{
			Achievement: &credential.Achievement{
				ID: handAchievement, Name: "Statistics", Description: "Statistics.", Criteria: &credential.Criteria{Narrative: "70% or more."},
				ResultDescription: credential.List[credential.ResultDescription]{{
					ID: handAchievement + "/final", Name: "Final", ResultType: credential.ResultTypePercent, ValueMin: "0", ValueMax: "100",
				}},
			},
			Evaluator: fc.Evaluator(),
		}},
		Status:  issuer.StatusConfig{Registry: reg, Bitstring: "https://example.edu/status/1"},
		Records: recs,
		Now:     now,
	})
	if err != nil {
		t.Fatal(err)
	}
	return is, recs
}

// handSubmission is a learner's completed submission with a score.
func handSubmission(name string, score int) *issuer.Submission {
	return &issuer.Submission{
		Learner:       issuer.Learner{Email: name + "@example.org"},
		AchievementID: handAchievement,
		Completed:     true,
		Scores:        []issuer.Score{{ResultDescription: handAchievement + "/final", Value: fmt.Sprint(score)}},
	}
}

func mustIssue(t *testing.T, is *issuer.Issuer, s *issuer.Submission) *issuer.Issued {
	t.Helper()
	out, err := is.Issue(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestNearestRank: the ⌈pct·n/100⌉-th smallest, in integers, for every n
// up to 1,000 and the percentiles the report uses.
func TestNearestRank(t *testing.T) {
	for n := 1; n <= 1000; n++ {
		sorted := make([]time.Duration, n)
		for k := range sorted {
			sorted[k] = time.Duration(k + 1)
		}
		for _, pct := range []int{1, 50, 90, 99, 100} {
			rank := n * pct / 100
			if n*pct%100 != 0 {
				rank++
			}
			if got := issuer.NearestRank(sorted, pct); got != time.Duration(rank) {
				t.Fatalf("n=%d pct=%d: %d, want %d", n, pct, got, rank)
			}
		}
	}
	if got := issuer.NearestRank(nil, 90); got != 0 {
		t.Errorf("no durations: %v", got)
	}
}
