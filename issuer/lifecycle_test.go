package issuer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/status"
)

// verdictOf is an evaluator whose verdict the test sets.
type verdictOf struct{ v *Verdict }

func (e verdictOf) Evaluate(ctx context.Context, s *Submission, a *credential.Achievement) (Decision, error) {
	return Decision{Verdict: *e.v, Reasons: []string{"as the test says"}}, nil
}

// TestLifecycle: the rules of the lifecycle that the package doc draws.
// A revoked award is never issued again by Issue; an award a reviewer
// rejected goes back to review, not to issuance, when new evidence makes
// the criteria say award; a denied award is awarded once the criteria are
// met.
func TestLifecycle(t *testing.T) {
	ctx := context.Background()
	verdict := Award
	newIssuer := func(t *testing.T) *Issuer {
		reg := &status.Registry{Store: &status.MemoryStore{}, Now: func() time.Time { return t0 }}
		const listURL = "https://example.edu/status/1"
		if _, err := reg.Create(ctx, listURL, nil); err != nil {
			t.Fatal(err)
		}
		is, _ := testIssuer(t, func(c *Config) {
			c.Status = StatusConfig{Registry: reg, Bitstring: listURL}
			c.Achievements = append(c.Achievements, Achievement{
				Achievement: &credential.Achievement{
					ID: "https://example.edu/achievements/set", Name: "Set", Description: "Set by the test.",
					Criteria: &credential.Criteria{Narrative: "As the test says."},
				},
				Evaluator: verdictOf{&verdict},
			})
		})
		return is
	}

	t.Run("revoked stays revoked", func(t *testing.T) {
		is := newIssuer(t)
		verdict = Award
		first, err := is.Issue(ctx, submission("set"))
		if err != nil {
			t.Fatal(err)
		}
		if err := is.Revoke(ctx, first.AwardKey, "issued in error"); err != nil {
			t.Fatal(err)
		}
		again, err := is.Issue(ctx, submission("set"))
		if err != nil {
			t.Fatal(err)
		}
		if again.State != StateRevoked || len(again.Credential) > 0 || again.JWT != "" {
			t.Errorf("after a revocation Issue gave state %s and a credential of %d bytes, want revoked and none", again.State, len(again.Credential))
		}
		rec, _ := is.Records().Get(ctx, first.AwardKey)
		if rec.State != StateRevoked || string(rec.Credential) != string(first.Credential) {
			t.Errorf("the record changed: state %s", rec.State)
		}
	})

	t.Run("rejected goes back to review", func(t *testing.T) {
		is := newIssuer(t)
		verdict = Review
		first, err := is.Issue(ctx, submission("set"))
		if err != nil || first.State != StateInReview {
			t.Fatalf("%v %+v", err, first)
		}
		if err := is.Reject(ctx, first.ReviewID, "grace", "the project is someone else's"); err != nil {
			t.Fatal(err)
		}
		verdict = Award // new evidence: the criteria now say award
		again, err := is.Issue(ctx, submission("set"))
		if err != nil {
			t.Fatal(err)
		}
		if again.State != StateInReview || again.ReviewID == "" || again.ReviewID == first.ReviewID || len(again.Credential) > 0 {
			t.Fatalf("after a rejection an award gave state %s (review %q), want a new review and no credential", again.State, again.ReviewID)
		}
		if !strings.Contains(strings.Join(again.Decision.Reasons, "; "), "rejected") {
			t.Errorf("the reasons do not say why a person decides again: %q", again.Decision.Reasons)
		}
		// The reviewer may now approve it.
		out, err := is.Approve(ctx, again.ReviewID, "grace", "the new project is theirs")
		if err != nil || out.State != StateIssued || len(out.Credential) == 0 {
			t.Fatalf("approval: %v %+v", err, out)
		}
	})

	t.Run("rejected, then denied by the criteria", func(t *testing.T) {
		is := newIssuer(t)
		verdict = Review
		first, _ := is.Issue(ctx, submission("set"))
		if err := is.Reject(ctx, first.ReviewID, "grace", "no"); err != nil {
			t.Fatal(err)
		}
		verdict = Deny
		again, err := is.Issue(ctx, submission("set"))
		if err != nil || again.State != StateDenied {
			t.Fatalf("%v: state %s, want denied", err, again.State)
		}
	})

	t.Run("denied, then awarded", func(t *testing.T) {
		is := newIssuer(t)
		verdict = Deny
		first, _ := is.Issue(ctx, submission("set"))
		if first.State != StateDenied {
			t.Fatalf("state %s", first.State)
		}
		verdict = Award
		again, err := is.Issue(ctx, submission("set"))
		if err != nil || again.State != StateIssued || len(again.Credential) == 0 {
			t.Fatalf("%v: state %s, want issued", err, again.State)
		}
	})
}

// TestRecordsKeepNoEmail: a records store holds no learner's email
// address or name (issue 21: "learner data at rest"), whether the award
// was issued, denied or decided after review; revocation still works by
// award key.
func TestRecordsKeepNoEmail(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	records, err := OpenDirRecords(filepath.Join(dir, "records"))
	if err != nil {
		t.Fatal(err)
	}
	reg := &status.Registry{Store: &status.MemoryStore{}, Now: func() time.Time { return t0 }}
	if _, err := reg.Create(ctx, "https://example.edu/status/1", nil); err != nil {
		t.Fatal(err)
	}
	is, _ := testIssuer(t, func(c *Config) {
		c.Records = records
		c.Status = StatusConfig{Registry: reg, Bitstring: "https://example.edu/status/1"}
	})
	out, err := is.Issue(ctx, submission("award"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := is.Issue(ctx, submission("deny")); err != nil {
		t.Fatal(err)
	}
	rev, err := is.Issue(ctx, submission("review"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := is.Approve(ctx, rev.ReviewID, "grace", "fine"); err != nil {
		t.Fatal(err)
	}
	if err := is.Revoke(ctx, out.AwardKey, "test"); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "records", "*.json"))
	if len(files) != 3 {
		t.Fatalf("%d records, want 3", len(files))
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{"Ada@Example.org", "ada@example.org", "Ada Lovelace"} {
			if strings.Contains(string(b), secret) {
				t.Errorf("%s keeps %q", filepath.Base(f), secret)
			}
		}
	}
	// A learner known by id keeps it: it is what the credential names.
	s := submission("award")
	s.Learner = Learner{ID: "did:example:ada", Email: "ada@example.org", Name: "Ada"}
	byID, err := is.Issue(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := is.Records().Get(ctx, byID.AwardKey)
	if err != nil || rec.Learner != (Learner{ID: "did:example:ada"}) {
		t.Errorf("record learner %+v, %v; want only the id", rec.Learner, err)
	}
}

// listBit reads the published bit of a credential's status entry.
func listBit(t *testing.T, reg *status.Registry, e status.Entry) bool {
	t.Helper()
	l, err := reg.Store.Load(context.Background(), e.StatusListCredential)
	if err != nil {
		t.Fatal(err)
	}
	i, err := strconv.Atoi(e.StatusListIndex)
	if err != nil {
		t.Fatal(err)
	}
	bit, err := l.Status.Bit(i)
	if err != nil {
		t.Fatal(err)
	}
	return bit
}

// TestSuspension: an issuer whose credentials carry a suspension entry
// suspends and lifts the suspension by award key, records and list
// together; Issue hands out nothing while it lasts; a revocation of such
// a credential suspends it for good, and Unsuspend refuses it.
func TestSuspension(t *testing.T) {
	ctx := context.Background()
	const listURL = "https://example.edu/status/suspension"
	newIssuer := func(t *testing.T, purpose status.Purpose) (*Issuer, *status.Registry) {
		reg := &status.Registry{Store: &status.MemoryStore{}, Now: func() time.Time { return t0 }}
		if _, err := reg.Create(ctx, listURL, &status.ListOptions{Purpose: purpose}); err != nil {
			t.Fatal(err)
		}
		is, _ := testIssuer(t, func(c *Config) { c.Status = StatusConfig{Registry: reg, Bitstring: listURL} })
		return is, reg
	}
	state := func(t *testing.T, is *Issuer, key string) State {
		t.Helper()
		rec, err := is.Records().Get(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		return rec.State
	}

	t.Run("suspend and lift", func(t *testing.T) {
		is, reg := newIssuer(t, status.Suspension)
		out, err := is.Issue(ctx, submission("award"))
		if err != nil {
			t.Fatal(err)
		}
		rec, _ := is.Records().Get(ctx, out.AwardKey)
		if err := is.Suspend(ctx, out.AwardKey, "under investigation"); err != nil {
			t.Fatal(err)
		}
		if got := state(t, is, out.AwardKey); got != StateSuspended || !listBit(t, reg, rec.Status[0]) {
			t.Fatalf("after Suspend: state %s, bit %v; want suspended, set", got, listBit(t, reg, rec.Status[0]))
		}
		again, err := is.Issue(ctx, submission("award"))
		if err != nil || again.State != StateSuspended || len(again.Credential) > 0 {
			t.Fatalf("Issue while suspended: %v, state %s, %d bytes; want suspended and no credential", err, again.State, len(again.Credential))
		}
		if err := is.Suspend(ctx, out.AwardKey, "twice"); !errors.Is(err, ErrNotIssued) {
			t.Errorf("Suspend twice: %v, want ErrNotIssued", err)
		}
		if err := is.Unsuspend(ctx, out.AwardKey, "cleared"); err != nil {
			t.Fatal(err)
		}
		if got := state(t, is, out.AwardKey); got != StateIssued || listBit(t, reg, rec.Status[0]) {
			t.Fatalf("after Unsuspend: state %s; want issued, bit clear", got)
		}
		back, err := is.Issue(ctx, submission("award"))
		if err != nil || !back.Existing || string(back.Credential) != string(out.Credential) {
			t.Fatalf("Issue after Unsuspend: %v %+v; want the same credential", err, back)
		}
		rec, _ = is.Records().Get(ctx, out.AwardKey)
		if got := strings.Join(rec.Reasons, "; "); !strings.Contains(got, "suspended: under investigation") || !strings.Contains(got, "unsuspended: cleared") {
			t.Errorf("the record's reasons %q do not tell the story", got)
		}
	})

	t.Run("revoked through a suspension list stays suspended", func(t *testing.T) {
		is, reg := newIssuer(t, status.Suspension)
		out, _ := is.Issue(ctx, submission("award"))
		rec, _ := is.Records().Get(ctx, out.AwardKey)
		if err := is.Suspend(ctx, out.AwardKey, "checking"); err != nil {
			t.Fatal(err)
		}
		if err := is.Revoke(ctx, out.AwardKey, "plagiarism"); err != nil {
			t.Fatal(err)
		}
		if got := state(t, is, out.AwardKey); got != StateRevoked || !listBit(t, reg, rec.Status[0]) {
			t.Fatalf("state %s; want revoked, bit set", got)
		}
		if err := is.Unsuspend(ctx, out.AwardKey, "oops"); !errors.Is(err, ErrState) {
			t.Errorf("Unsuspend of a revoked award: %v, want ErrState", err)
		}
		if !listBit(t, reg, rec.Status[0]) {
			t.Error("the bit of a revoked credential was cleared")
		}
	})

	t.Run("a revocation list cannot suspend", func(t *testing.T) {
		is, _ := newIssuer(t, status.Revocation)
		out, _ := is.Issue(ctx, submission("award"))
		if err := is.Suspend(ctx, out.AwardKey, "x"); !errors.Is(err, ErrConfig) {
			t.Errorf("Suspend with a revocation list: %v, want ErrConfig", err)
		}
		if got := state(t, is, out.AwardKey); got != StateIssued {
			t.Errorf("state %s after a failed Suspend, want issued", got)
		}
	})
}

// TestReinstate: a revoked or rejected award comes back only through
// Reinstate, which needs who and why, keeps both in the record and the
// audit log, issues a new credential (the revoked one stays revoked), and
// still obeys the criteria.
func TestReinstate(t *testing.T) {
	ctx := context.Background()
	verdict := Award
	var logBuf strings.Builder
	newIssuer := func(t *testing.T) (*Issuer, *status.Registry) {
		reg := &status.Registry{Store: &status.MemoryStore{}, Now: func() time.Time { return t0 }}
		const listURL = "https://example.edu/status/1"
		if _, err := reg.Create(ctx, listURL, nil); err != nil {
			t.Fatal(err)
		}
		logBuf.Reset()
		is, _ := testIssuer(t, func(c *Config) {
			c.Status = StatusConfig{Registry: reg, Bitstring: listURL}
			c.Logger = slog.New(slog.NewJSONHandler(&logBuf, nil))
			c.Achievements = append(c.Achievements, Achievement{
				Achievement: &credential.Achievement{
					ID: "https://example.edu/achievements/set", Name: "Set", Description: "Set by the test.",
					Criteria: &credential.Criteria{Narrative: "As the test says."},
				},
				Evaluator: verdictOf{&verdict},
			})
		})
		return is, reg
	}

	t.Run("revoked", func(t *testing.T) {
		is, reg := newIssuer(t)
		verdict = Award
		first, _ := is.Issue(ctx, submission("set"))
		old, _ := is.Records().Get(ctx, first.AwardKey)
		if err := is.Revoke(ctx, first.AwardKey, "issued in error"); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct{ by, reason string }{{"", "appeal upheld"}, {"grace", ""}, {" ", " "}} {
			if _, err := is.Reinstate(ctx, submission("set"), tc.by, tc.reason); !errors.Is(err, ErrOverride) {
				t.Errorf("Reinstate(%q, %q): %v, want ErrOverride", tc.by, tc.reason, err)
			}
		}
		verdict = Deny
		denied, err := is.Reinstate(ctx, submission("set"), "grace", "appeal upheld")
		if err != nil || denied.State != StateRevoked || len(denied.Credential) > 0 {
			t.Fatalf("Reinstate against the criteria: %v %+v; want still revoked", err, denied)
		}
		verdict = Award
		out, err := is.Reinstate(ctx, submission("set"), "grace", "appeal upheld")
		if err != nil || out.State != StateIssued || len(out.Credential) == 0 || out.Existing {
			t.Fatalf("Reinstate: %v %+v", err, out)
		}
		rec, _ := is.Records().Get(ctx, first.AwardKey)
		if rec.CredentialID == old.CredentialID || rec.Status[0].ID == old.Status[0].ID {
			t.Errorf("the reinstated credential reuses the revoked one's id or status entry")
		}
		if !listBit(t, reg, old.Status[0]) || listBit(t, reg, rec.Status[0]) {
			t.Errorf("list bits: revoked %v, new %v; want set, clear", listBit(t, reg, old.Status[0]), listBit(t, reg, rec.Status[0]))
		}
		if got := strings.Join(rec.Reasons, "; "); !strings.Contains(got, "revoked: issued in error") || !strings.Contains(got, "reinstated by grace: appeal upheld") {
			t.Errorf("reasons %q", got)
		}
		if !strings.Contains(logBuf.String(), `"msg":"reinstated"`) || !strings.Contains(logBuf.String(), `"by":"grace"`) {
			t.Errorf("the audit log does not say who reinstated it:\n%s", logBuf.String())
		}
		if strings.Contains(logBuf.String(), "Example.org") {
			t.Error("the audit log holds the learner's email")
		}
		// Issue now returns the new credential.
		again, err := is.Issue(ctx, submission("set"))
		if err != nil || !again.Existing || string(again.Credential) != string(out.Credential) {
			t.Errorf("Issue after Reinstate: %v %+v", err, again)
		}
	})

	t.Run("rejected", func(t *testing.T) {
		is, _ := newIssuer(t)
		verdict = Review
		first, _ := is.Issue(ctx, submission("set"))
		if err := is.Reject(ctx, first.ReviewID, "grace", "no"); err != nil {
			t.Fatal(err)
		}
		out, err := is.Reinstate(ctx, submission("set"), "alan", "second opinion")
		if err != nil || out.State != StateIssued || len(out.Credential) == 0 {
			t.Fatalf("Reinstate of a rejection: %v %+v", err, out)
		}
	})

	t.Run("other states", func(t *testing.T) {
		is, _ := newIssuer(t)
		if _, err := is.Reinstate(ctx, submission("set"), "grace", "why"); !errors.Is(err, ErrRecordNotFound) {
			t.Errorf("no record: %v, want ErrRecordNotFound", err)
		}
		for _, v := range []Verdict{Award, Deny, Review} {
			is, _ := newIssuer(t)
			verdict = v
			first, _ := is.Issue(ctx, submission("set"))
			if _, err := is.Reinstate(ctx, submission("set"), "grace", "why"); !errors.Is(err, ErrState) {
				t.Errorf("Reinstate of %s: %v, want ErrState", first.State, err)
			}
		}
	})
}

// TestDirRecordsScrubOldRecords: records an earlier version wrote with the
// learner's email address and name lose them when the directory is
// opened, once; the rest of each record stays as it was.
func TestDirRecordsScrubOldRecords(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	old := `{"awardKey":"k1","achievementId":"https://example.edu/a","learner":{"ID":"did:example:ada","Email":"ada@example.org","Name":"Ada Lovelace","Plain":true},"state":"denied","reasons":["score 50 < 70"],"updated":"2026-01-02T03:04:05Z"}` + "\n"
	if err := os.WriteFile(filepath.Join(dir, "k1.json"), []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := OpenDirRecords(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "k1.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"ada@example.org", "Ada Lovelace"} {
		if strings.Contains(string(b), secret) {
			t.Errorf("the record keeps %q after the directory was opened: %s", secret, b)
		}
	}
	got, err := s.Get(ctx, "k1")
	if err != nil {
		t.Fatal(err)
	}
	want := &Record{AwardKey: "k1", AchievementID: "https://example.edu/a", Learner: Learner{ID: "did:example:ada"}, State: StateDenied,
		Reasons: []string{"score 50 < 70"}, Updated: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("record (-want +got):\n%s", diff)
	}
	// Once: a record written by hand later is not read at every open.
	if err := os.WriteFile(filepath.Join(dir, "k2.json"), []byte(strings.ReplaceAll(old, "k1", "k2")), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenDirRecords(dir); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "k2.json")); !strings.Contains(string(b), "ada@example.org") {
		t.Error("the directory was scrubbed again at the second open")
	}
	if recs, err := s.List(ctx, Filter{}); err != nil || len(recs) != 2 {
		t.Errorf("List: %d records, %v; want 2 (the marker is not a record)", len(recs), err)
	}
}

// TestRecordsPaging: List pages by award key, with a filter, in every
// store of this package: the pages put together are the whole list.
func TestRecordsPaging(t *testing.T) {
	ctx := context.Background()
	dir, err := OpenDirRecords(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]Records{"memory": &MemoryRecords{}, "folder": dir} {
		t.Run(name, func(t *testing.T) {
			var issued []string
			for k := 9; k >= 1; k-- { // created out of order
				r := &Record{AwardKey: fmt.Sprintf("k%d", k), AchievementID: "https://example.edu/a", State: StateIssued, Updated: t0}
				if k%3 == 0 {
					r.State = StateDenied
				} else {
					issued = append([]string{r.AwardKey}, issued...)
				}
				if err := s.Create(ctx, r); err != nil {
					t.Fatal(err)
				}
			}
			for _, tc := range []struct {
				f    Filter
				want [][]string
			}{
				{Filter{Limit: 4}, [][]string{{"k1", "k2", "k3", "k4"}, {"k5", "k6", "k7", "k8"}, {"k9"}}},
				{Filter{State: StateIssued, Limit: 2}, [][]string{{"k1", "k2"}, {"k4", "k5"}, {"k7", "k8"}}},
				{Filter{After: "k7"}, [][]string{{"k8", "k9"}}},
				{Filter{State: StateDenied, After: "k3", Limit: 5}, [][]string{{"k6", "k9"}}},
			} {
				var got [][]string
				f := tc.f
				for {
					page, err := s.List(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					if len(page) == 0 {
						break
					}
					var keys []string
					for _, r := range page {
						keys = append(keys, r.AwardKey)
					}
					got = append(got, keys)
					if f.Limit == 0 || len(page) < f.Limit {
						break
					}
					f.After = keys[len(keys)-1]
				}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("%+v (-want +got):\n%s", tc.f, diff)
				}
			}
			if all, _ := s.List(ctx, Filter{State: StateIssued}); len(all) != len(issued) {
				t.Errorf("%d issued, want %d", len(all), len(issued))
			}
		})
	}
}

// failingKeys is a key store whose ActiveKey fails while fail is set.
type failingKeys struct {
	keys.Store
	fail *bool
}

func (f failingKeys) ActiveKey(ctx context.Context, controller string) (*keys.Key, error) {
	if *f.fail {
		return nil, errors.New("the key store is down")
	}
	return f.Store.ActiveKey(ctx, controller)
}

// TestApproveFailsThenRequeues: an approval whose issuance fails (the key
// store is down) does not leave the award waiting in review for ever: the
// submission is queued again, the record names the new item, and a person
// approves it once the cause is fixed.
func TestApproveFailsThenRequeues(t *testing.T) {
	ctx := context.Background()
	down := false
	is, _ := testIssuer(t, func(c *Config) { c.Keys = failingKeys{c.Keys, &down} })
	first, err := is.Issue(ctx, submission("review"))
	if err != nil || first.State != StateInReview {
		t.Fatalf("%v %+v", err, first)
	}
	down = true
	_, err = is.Approve(ctx, first.ReviewID, "grace", "fine")
	if err == nil || !strings.Contains(err.Error(), "the key store is down") || !strings.Contains(err.Error(), "queued again for review as") {
		t.Fatalf("Approve with the key store down: %v", err)
	}
	pending, err := is.ReviewQueue().Pending(ctx)
	if err != nil || len(pending) != 1 || pending[0].ID == first.ReviewID || pending[0].Submission.Learner.Email != "Ada@Example.org" {
		t.Fatalf("pending after the failed approval: %+v, %v", pending, err)
	}
	rec, _ := is.Records().Get(ctx, first.AwardKey)
	if rec.State != StateInReview || rec.ReviewID != pending[0].ID {
		t.Fatalf("record %s naming %s, want in review naming %s", rec.State, rec.ReviewID, pending[0].ID)
	}
	down = false
	out, err := is.Approve(ctx, pending[0].ID, "grace", "fine, again")
	if err != nil || out.State != StateIssued || len(out.Credential) == 0 {
		t.Fatalf("the second approval: %v %+v", err, out)
	}
}

// TestResolvedItemsKeepNoEmail: once a person decides, the queue keeps the
// item without the learner's email address and name; Resolve still hands
// them to the approval that issues.
func TestResolvedItemsKeepNoEmail(t *testing.T) {
	ctx := context.Background()
	dq, err := OpenDirQueue(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for name, q := range map[string]ReviewQueue{"memory": &MemoryQueue{}, "folder": dq} {
		t.Run(name, func(t *testing.T) {
			s := *submission("review")
			s.Learner.ID = "did:example:ada"
			id, err := q.Submit(ctx, ReviewItem{Submission: s, AwardKey: "k-" + name})
			if err != nil {
				t.Fatal(err)
			}
			got, err := q.Resolve(ctx, id, Resolution{Approve: true, Reviewer: "grace"})
			if err != nil || got.Submission.Learner != s.Learner {
				t.Fatalf("Resolve returned learner %+v, %v; want %+v", got.Submission.Learner, err, s.Learner)
			}
			kept, err := q.Get(ctx, id)
			if err != nil || kept.Submission.Learner != (Learner{ID: "did:example:ada"}) || kept.Resolved == nil {
				t.Errorf("kept learner %+v, resolved %v, %v; want only the id", kept.Submission.Learner, kept.Resolved, err)
			}
			if _, err := q.Resolve(ctx, id, Resolution{Reviewer: "alan"}); !errors.Is(err, ErrResolved) {
				t.Errorf("second Resolve: %v", err)
			}
		})
	}
}
