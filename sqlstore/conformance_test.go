package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/issuer"
	"github.com/go-openbadges/openbadges/status"
)

// The conformance tests run each case against every backend: the memory
// stores of packages issuer and status, whose behaviour is the reference,
// SQLite, and PostgreSQL.

func record(key, achievement string, state issuer.State) *issuer.Record {
	return &issuer.Record{
		AwardKey:      key,
		AchievementID: achievement,
		Learner:       issuer.Learner{Email: "ada@example.org", Name: "Ada Lovelace"},
		State:         state,
		Reasons:       []string{"score 87 >= 70", "a <b>bold</b> & \"quoted\" reason"},
		Updated:       t0,
	}
}

func issuedRecord(key string) *issuer.Record {
	r := record(key, "https://example.edu/achievements/stats", issuer.StateIssued)
	r.CredentialID = "urn:uuid:" + key
	r.Credential = json.RawMessage(`{"id":"urn:uuid:` + key + `","name":"<b>Stats</b> & more","n":1.50,"s":"\u00e9"}`)
	r.JWT = "eyJhbGciOiJFZERTQSJ9.e30.c2ln"
	r.Status = []status.Entry{{
		ID: "https://example.edu/status/1#42", Type: "BitstringStatusListEntry", StatusPurpose: status.Revocation,
		StatusListIndex: "42", StatusListCredential: "https://example.edu/status/1",
	}}
	r.AwardedAt, r.IssuedAt = t0, t0.Add(time.Hour)
	return r
}

func TestRecordsConformance(t *testing.T) {
	cases := []struct {
		name string
		run  func(t *testing.T, ctx context.Context, s issuer.RecordSwapper)
	}{
		{"get missing", func(t *testing.T, ctx context.Context, s issuer.RecordSwapper) {
			if _, err := s.Get(ctx, "nope"); !errors.Is(err, issuer.ErrRecordNotFound) {
				t.Errorf("Get: %v, want ErrRecordNotFound", err)
			}
		}},
		{"create and get", func(t *testing.T, ctx context.Context, s issuer.RecordSwapper) {
			want := issuedRecord("k1")
			if err := s.Create(ctx, want); err != nil {
				t.Fatal(err)
			}
			got, err := s.Get(ctx, "k1")
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("Get (-created +got):\n%s", d)
			}
			if string(got.Credential) != string(want.Credential) {
				t.Errorf("the credential's bytes changed: %s", got.Credential)
			}
			got.Reasons[0], got.Credential[2] = "changed", 'X'
			again, _ := s.Get(ctx, "k1")
			if d := cmp.Diff(want, again); d != "" {
				t.Errorf("changing what Get returned changed the store:\n%s", d)
			}
		}},
		{"create twice", func(t *testing.T, ctx context.Context, s issuer.RecordSwapper) {
			first := issuedRecord("k1")
			if err := s.Create(ctx, first); err != nil {
				t.Fatal(err)
			}
			second := record("k1", "urn:other", issuer.StateDenied)
			if err := s.Create(ctx, second); !errors.Is(err, issuer.ErrRecordExists) {
				t.Errorf("second Create: %v, want ErrRecordExists", err)
			}
			got, _ := s.Get(ctx, "k1")
			if d := cmp.Diff(first, got); d != "" {
				t.Errorf("a failed Create changed the record:\n%s", d)
			}
		}},
		{"put adds and replaces", func(t *testing.T, ctx context.Context, s issuer.RecordSwapper) {
			r := record("k1", "urn:a", issuer.StateDenied)
			if err := s.Put(ctx, r); err != nil {
				t.Fatal(err)
			}
			r2 := issuedRecord("k1")
			if err := s.Put(ctx, r2); err != nil {
				t.Fatal(err)
			}
			got, _ := s.Get(ctx, "k1")
			if d := cmp.Diff(r2, got); d != "" {
				t.Errorf("after Put (-want +got):\n%s", d)
			}
			r3 := record("k1", "urn:a", issuer.StateRevoked) // no credential any more
			if err := s.Put(ctx, r3); err != nil {
				t.Fatal(err)
			}
			got, _ = s.Get(ctx, "k1")
			if d := cmp.Diff(r3, got); d != "" {
				t.Errorf("after a Put without a credential (-want +got):\n%s", d)
			}
		}},
		{"swap", func(t *testing.T, ctx context.Context, s issuer.RecordSwapper) {
			denied := record("k1", "urn:a", issuer.StateDenied)
			if err := s.Create(ctx, denied); err != nil {
				t.Fatal(err)
			}
			if err := s.Swap(ctx, issuedRecord("nope"), issuer.StateDenied); !errors.Is(err, issuer.ErrRecordNotFound) {
				t.Errorf("Swap of a missing record: %v", err)
			}
			if err := s.Swap(ctx, issuedRecord("k1"), issuer.StateRejected); !errors.Is(err, issuer.ErrRecordChanged) {
				t.Errorf("Swap from the wrong state: %v", err)
			}
			if got, _ := s.Get(ctx, "k1"); !cmp.Equal(denied, got) {
				t.Errorf("a failed Swap changed the record: %s", cmp.Diff(denied, got))
			}
			issued := issuedRecord("k1")
			if err := s.Swap(ctx, issued, issuer.StateDenied); err != nil {
				t.Fatal(err)
			}
			if got, _ := s.Get(ctx, "k1"); !cmp.Equal(issued, got) {
				t.Errorf("after Swap: %s", cmp.Diff(issued, got))
			}
			if err := s.Swap(ctx, record("k1", "urn:a", issuer.StateDenied), issuer.StateDenied); !errors.Is(err, issuer.ErrRecordChanged) {
				t.Errorf("a second Swap from the same state: %v", err)
			}
		}},
		{"list", func(t *testing.T, ctx context.Context, s issuer.RecordSwapper) {
			// Keys that sort differently by byte and by a locale's rules.
			for _, r := range []*issuer.Record{
				record("b", "urn:x", issuer.StateDenied),
				record("B", "urn:y", issuer.StateDenied),
				issuedRecord("a-2"),
				record("_c", "urn:x", issuer.StateInReview),
				record("a10", "urn:x", issuer.StateDenied),
				record("é", "urn:y", issuer.StateIssued),
				record("A", "urn:x", issuer.StateRevoked),
			} {
				if err := s.Put(ctx, r); err != nil {
					t.Fatal(err)
				}
			}
			keys := func(f issuer.Filter) []string {
				t.Helper()
				rs, err := s.List(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				var out []string
				for _, r := range rs {
					out = append(out, r.AwardKey)
				}
				return out
			}
			for _, tc := range []struct {
				f    issuer.Filter
				want []string
			}{
				{issuer.Filter{}, []string{"A", "B", "_c", "a-2", "a10", "b", "é"}},
				{issuer.Filter{AchievementID: "urn:x"}, []string{"A", "_c", "a10", "b"}},
				{issuer.Filter{State: issuer.StateDenied}, []string{"B", "a10", "b"}},
				{issuer.Filter{AchievementID: "urn:y", State: issuer.StateIssued}, []string{"é"}},
				{issuer.Filter{AchievementID: "urn:none"}, nil},
				// Pages: by award key, byte-wise, after the last one seen.
				{issuer.Filter{Limit: 3}, []string{"A", "B", "_c"}},
				{issuer.Filter{After: "_c", Limit: 3}, []string{"a-2", "a10", "b"}},
				{issuer.Filter{After: "b", Limit: 3}, []string{"é"}},
				{issuer.Filter{After: "é", Limit: 3}, nil},
				{issuer.Filter{AchievementID: "urn:x", After: "A", Limit: 2}, []string{"_c", "a10"}},
				{issuer.Filter{State: issuer.StateDenied, After: "B"}, []string{"a10", "b"}},
			} {
				if d := cmp.Diff(tc.want, keys(tc.f), cmpopts.EquateEmpty()); d != "" {
					t.Errorf("List(%+v) (-want +got):\n%s", tc.f, d)
				}
			}
			rs, _ := s.List(ctx, issuer.Filter{State: issuer.StateIssued, AchievementID: "https://example.edu/achievements/stats"})
			if len(rs) != 1 || !cmp.Equal(rs[0], issuedRecord("a-2")) {
				t.Errorf("List returns the records whole: %s", cmp.Diff([]*issuer.Record{issuedRecord("a-2")}, rs))
			}
		}},
		{"concurrent create", func(t *testing.T, ctx context.Context, s issuer.RecordSwapper) {
			var wg sync.WaitGroup
			errs := make([]error, 16)
			for k := range errs {
				wg.Go(func() {
					r := issuedRecord("k1")
					r.CredentialID = fmt.Sprint(k)
					errs[k] = s.Create(ctx, r)
				})
			}
			wg.Wait()
			oneWinner(t, "Create of one award key", errs, issuer.ErrRecordExists)
		}},
	}
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					tc.run(t, context.Background(), b.open(t, nil).records)
				})
			}
		})
	}
}

func reviewItem(key string, score string) issuer.ReviewItem {
	return issuer.ReviewItem{
		AwardKey: key,
		Submission: issuer.Submission{
			Learner:       issuer.Learner{Email: "ada@example.org", Name: "Ada"},
			AchievementID: "https://example.edu/achievements/stats",
			Completed:     true,
			CompletedAt:   t0.Add(-time.Hour),
			Scores:        []issuer.Score{{ResultDescription: "https://example.edu/achievements/stats/final", Value: score}},
			Levels:        map[string]string{"https://example.edu/rubric": "https://example.edu/rubric/good"},
			Evidence:      []issuer.Evidence{{URL: "https://lms.example.edu/p/1", Kind: "project", Name: "Project", Text: "A <crawler> & more."}},
			Earned:        []string{"https://example.edu/achievements/intro"},
			SubmittedAt:   t0,
		},
		Decision: issuer.Decision{
			Verdict:    issuer.Review,
			Reasons:    []string{"score " + score + " is borderline"},
			Results:    []credential.Result{{ResultDescription: "https://example.edu/achievements/stats/final", Value: score}},
			Alignments: []credential.Alignment{{TargetName: "Statistics", TargetURL: "https://example.edu/skills/stats", TargetType: "ceterms:Skill"}},
		},
	}
}

// cmpItem compares review items; ids are compared by the tests that care.
var cmpItem = cmpopts.IgnoreFields(issuer.ReviewItem{}, "ID")

func TestReviewConformance(t *testing.T) {
	now := t0.Add(2 * time.Hour)
	cases := []struct {
		name string
		run  func(t *testing.T, ctx context.Context, q issuer.ReviewQueue)
	}{
		{"submit, get, pending", func(t *testing.T, ctx context.Context, q issuer.ReviewQueue) {
			a, b, c := reviewItem("a", "65"), reviewItem("", "66"), reviewItem("b", "67")
			c.Created = t0
			var ids []string
			for _, it := range []issuer.ReviewItem{a, b, c} {
				it.ID = "ignored"
				id, err := q.Submit(ctx, it)
				if err != nil {
					t.Fatal(err)
				}
				if id == "" || id == "ignored" || slices.Contains(ids, id) {
					t.Fatalf("Submit returned id %q after %q", id, ids)
				}
				ids = append(ids, id)
			}
			a.Created, b.Created = now, now // zero: set to now
			pending, err := q.Pending(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff([]issuer.ReviewItem{a, b, c}, pending, cmpItem); d != "" {
				t.Errorf("Pending (-want +got):\n%s", d)
			}
			for k, it := range pending {
				if it.ID != ids[k] {
					t.Errorf("pending item %d has id %q, want %q", k, it.ID, ids[k])
				}
				got, err := q.Get(ctx, it.ID)
				if err != nil || !cmp.Equal(it, got) {
					t.Errorf("Get(%q): %v %s", it.ID, err, cmp.Diff(it, got))
				}
			}
			if _, err := q.Get(ctx, "urn:uuid:nope"); !errors.Is(err, issuer.ErrReviewNotFound) {
				t.Errorf("Get of an unknown id: %v", err)
			}
		}},
		{"submit twice", func(t *testing.T, ctx context.Context, q issuer.ReviewQueue) {
			id1, err := q.Submit(ctx, reviewItem("a", "65"))
			if err != nil {
				t.Fatal(err)
			}
			id2, err := q.Submit(ctx, reviewItem("a", "68"))
			if err != nil || id2 != id1 {
				t.Errorf("second Submit of award key a: %q %v, want %q", id2, err, id1)
			}
			e1, _ := q.Submit(ctx, reviewItem("", "65"))
			e2, _ := q.Submit(ctx, reviewItem("", "65"))
			if e1 == e2 {
				t.Error("items without an award key were merged")
			}
			pending, _ := q.Pending(ctx)
			if len(pending) != 3 || pending[0].Submission.Scores[0].Value != "65" {
				t.Errorf("pending: %+v", pending)
			}
			if _, err := q.Resolve(ctx, id1, issuer.Resolution{Reviewer: "rita", Approve: true}); err != nil {
				t.Fatal(err)
			}
			id3, err := q.Submit(ctx, reviewItem("a", "69"))
			if err != nil || id3 == id1 {
				t.Errorf("Submit after the pending item was resolved: %q %v", id3, err)
			}
		}},
		{"submit resolved", func(t *testing.T, ctx context.Context, q issuer.ReviewQueue) {
			it := reviewItem("a", "65")
			it.Resolved = &issuer.Resolution{Reviewer: "rita"}
			if _, err := q.Submit(ctx, it); !errors.Is(err, issuer.ErrResolved) {
				t.Errorf("Submit of a resolved item: %v", err)
			}
			if p, _ := q.Pending(ctx); len(p) != 0 {
				t.Errorf("pending: %+v", p)
			}
		}},
		{"resolve", func(t *testing.T, ctx context.Context, q issuer.ReviewQueue) {
			id, _ := q.Submit(ctx, reviewItem("a", "65"))
			other, _ := q.Submit(ctx, reviewItem("b", "66"))
			if _, err := q.Resolve(ctx, id, issuer.Resolution{Approve: true}); err == nil || errors.Is(err, issuer.ErrResolved) {
				t.Errorf("Resolve without a reviewer: %v", err)
			}
			if _, err := q.Resolve(ctx, "urn:uuid:nope", issuer.Resolution{Reviewer: "rita"}); !errors.Is(err, issuer.ErrReviewNotFound) {
				t.Errorf("Resolve of an unknown id: %v", err)
			}
			got, err := q.Resolve(ctx, id, issuer.Resolution{Approve: true, Reviewer: "rita", Note: "the project <shows> it"})
			if err != nil {
				t.Fatal(err)
			}
			want := reviewItem("a", "65")
			want.ID, want.Created = id, now
			want.Resolved = &issuer.Resolution{Approve: true, Reviewer: "rita", Note: "the project <shows> it", At: now}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("Resolve (-want +got):\n%s", d)
			}
			// Kept without the learner's email and name once decided.
			want.Submission.Learner = issuer.Learner{}
			if g, err := q.Get(ctx, id); err != nil || !cmp.Equal(want, g) {
				t.Errorf("Get after Resolve: %v %s", err, cmp.Diff(want, g))
			}
			again, err := q.Resolve(ctx, id, issuer.Resolution{Approve: false, Reviewer: "sam"})
			if !errors.Is(err, issuer.ErrResolved) || !cmp.Equal(want, again) {
				t.Errorf("second Resolve: %v %s", err, cmp.Diff(want, again))
			}
			at := t0.Add(-time.Minute)
			r2, err := q.Resolve(ctx, other, issuer.Resolution{Reviewer: "sam", At: at})
			if err != nil || !r2.Resolved.At.Equal(at) || r2.Resolved.Approve {
				t.Errorf("Resolve with a time: %v %+v", err, r2.Resolved)
			}
			if p, _ := q.Pending(ctx); len(p) != 0 {
				t.Errorf("resolved items are still pending: %+v", p)
			}
		}},
		{"copies", func(t *testing.T, ctx context.Context, q issuer.ReviewQueue) {
			it := reviewItem("a", "65")
			id, _ := q.Submit(ctx, it)
			it.Submission.Scores[0].Value = "99" // the caller's item is not the queue's
			got, _ := q.Get(ctx, id)
			if got.Submission.Scores[0].Value != "65" {
				t.Error("the queue shares the submitted item")
			}
			got.Submission.Scores[0].Value = "99"
			got.Decision.Reasons[0] = "changed"
			got.Submission.Levels["x"] = "y"
			again, _ := q.Get(ctx, id)
			if again.Submission.Scores[0].Value != "65" || again.Decision.Reasons[0] == "changed" || len(again.Submission.Levels) != 1 {
				t.Error("changing an item Get returned changed the queue")
			}
		}},
		{"concurrent", func(t *testing.T, ctx context.Context, q issuer.ReviewQueue) {
			var wg sync.WaitGroup
			ids := make([]string, 12)
			for k := range ids {
				wg.Go(func() {
					var err error
					if ids[k], err = q.Submit(ctx, reviewItem("a", "65")); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
			for _, id := range ids {
				if id != ids[0] {
					t.Fatalf("concurrent Submits of one award key gave ids %q", ids)
				}
			}
			errs := make([]error, 12)
			for k := range errs {
				wg.Go(func() {
					_, errs[k] = q.Resolve(ctx, ids[0], issuer.Resolution{Reviewer: fmt.Sprint("reviewer ", k)})
				})
			}
			wg.Wait()
			oneWinner(t, "concurrent Resolve", errs, issuer.ErrResolved)
		}},
	}
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					tc.run(t, context.Background(), b.open(t, func() time.Time { return now }).review)
				})
			}
		})
	}
}

const (
	listURL  = "https://example.edu/status/1"
	list2URL = "https://example.edu/status/2"
	edtech   = "https://example.edu/revocations"
)

func newList(t *testing.T, u string, opts *status.ListOptions) *status.List {
	t.Helper()
	l, err := status.NewList(u, opts)
	if err != nil {
		t.Fatal(err)
	}
	l.Created, l.Updated = t0, t0
	return l
}

func TestStatusConformance(t *testing.T) {
	cases := []struct {
		name string
		run  func(t *testing.T, ctx context.Context, s status.Store)
	}{
		{"create, load, update", func(t *testing.T, ctx context.Context, s status.Store) {
			if _, err := s.Load(ctx, listURL); !errors.Is(err, status.ErrNoList) {
				t.Errorf("Load before Create: %v", err)
			}
			if err := s.Update(ctx, listURL, func(*status.List) error { return nil }); !errors.Is(err, status.ErrNoList) {
				t.Errorf("Update before Create: %v", err)
			}
			l := newList(t, listURL, nil)
			if err := s.Create(ctx, l); err != nil {
				t.Fatal(err)
			}
			if err := s.Create(ctx, l); !errors.Is(err, status.ErrExists) {
				t.Errorf("Create twice: %v", err)
			}
			_ = l.Allocated.Set(1, true) // the store keeps its own copy
			got, err := s.Load(ctx, listURL)
			if err != nil {
				t.Fatal(err)
			}
			if got.AllocatedCount() != 0 || got.Revision != 0 || got.URL != listURL || !got.Created.Equal(t0) {
				t.Errorf("Load: %d allocated, revision %d, %s, created %s", got.AllocatedCount(), got.Revision, got.URL, got.Created)
			}
			_ = got.Allocated.Set(2, true) // and hands out copies
			if err := s.Update(ctx, listURL, func(l *status.List) error {
				if l.AllocatedCount() != 0 {
					t.Error("Update sees a change made to a Loaded copy")
				}
				_ = l.Allocated.Set(7, true)
				_ = l.Status.Set(7, true)
				l.Updated = t0.Add(time.Hour)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			boom := errors.New("boom")
			if err := s.Update(ctx, listURL, func(l *status.List) error {
				_ = l.Allocated.Set(8, true)
				return boom
			}); !errors.Is(err, boom) {
				t.Errorf("Update returned %v, want fn's error", err)
			}
			got, _ = s.Load(ctx, listURL)
			bit7, _ := got.Status.Bit(7)
			bit8, _ := got.Allocated.Bit(8)
			if got.Revision != 1 || !bit7 || bit8 || got.AllocatedCount() != 1 || !got.Updated.Equal(t0.Add(time.Hour)) {
				t.Errorf("after the updates: revision %d, bit 7 %v, allocated 8 %v, %d allocated, updated %s", got.Revision, bit7, bit8, got.AllocatedCount(), got.Updated)
			}
		}},
		{"refused updates", func(t *testing.T, ctx context.Context, s status.Store) {
			l := newList(t, listURL, nil)
			_ = l.Allocated.Set(7, true)
			_ = l.Status.Set(7, true)
			if err := s.Create(ctx, l); err != nil {
				t.Fatal(err)
			}
			for name, fn := range map[string]func(*status.List) error{
				"free an index":         func(l *status.List) error { return l.Allocated.Set(7, false) },
				"undo a revocation":     func(l *status.List) error { return l.Status.Set(7, false) },
				"set an unallocated":    func(l *status.List) error { return l.Status.Set(9, true) },
				"change the URL":        func(l *status.List) error { l.URL = list2URL; return nil },
				"change the purpose":    func(l *status.List) error { l.Purpose = status.Suspension; return nil },
				"change the length":     func(l *status.List) error { l.Status, l.Allocated = l.Status[:8], l.Allocated[:8]; return nil },
				"change the created":    func(l *status.List) error { l.Created = l.Created.Add(time.Second); return nil },
				"a 1EdTech member list": func(l *status.List) error { l.Revoked = []status.RevokedCredential{{ID: "urn:x"}}; return nil },
			} {
				if err := s.Update(ctx, listURL, fn); err == nil {
					t.Errorf("%s: accepted", name)
				}
			}
			got, _ := s.Load(ctx, listURL)
			if got.Revision != 0 || got.AllocatedCount() != 1 {
				t.Errorf("a refused update was stored: revision %d, %d allocated", got.Revision, got.AllocatedCount())
			}
			bad := newList(t, list2URL, nil)
			_ = bad.Status.Set(3, true) // revoked, never allocated
			if err := s.Create(ctx, bad); err == nil {
				t.Error("Create of an inconsistent list: accepted")
			}
		}},
		{"1EdTech list", func(t *testing.T, ctx context.Context, s status.Store) {
			if err := s.Create(ctx, newList(t, edtech, &status.ListOptions{Method: status.Method1EdTech})); err != nil {
				t.Fatal(err)
			}
			reg := &status.Registry{Store: s, Now: func() time.Time { return t0 }}
			for _, id := range []string{"urn:uuid:1", "urn:uuid:2", "urn:uuid:1"} {
				if err := reg.RevokeID(ctx, edtech, id, "issued <in error> & more"); err != nil {
					t.Fatal(err)
				}
			}
			got, _ := s.Load(ctx, edtech)
			want := []status.RevokedCredential{{ID: "urn:uuid:1", Reason: "issued <in error> & more", Revoked: t0}, {ID: "urn:uuid:2", Reason: "issued <in error> & more", Revoked: t0}}
			if d := cmp.Diff(want, got.Revoked); d != "" || got.Revision != 3 {
				t.Errorf("revision %d; revoked (-want +got):\n%s", got.Revision, d)
			}
			if err := s.Update(ctx, edtech, func(l *status.List) error { l.Revoked = l.Revoked[1:]; return nil }); err == nil {
				t.Error("an update that undoes a revocation: accepted")
			}
		}},
		{"message list", func(t *testing.T, ctx context.Context, s status.Store) {
			reg := &status.Registry{Store: s, Now: func() time.Time { return t0 }}
			four := status.NewStatusMessages("pending_review", "accepted", "rejected", "undefined")
			if _, err := reg.Create(ctx, listURL, &status.ListOptions{Purpose: status.Message, StatusSize: 2, StatusMessage: four, StatusReference: []string{"https://example.edu/codes"}}); err != nil {
				t.Fatal(err)
			}
			const n = 12
			entries := make([]*status.Entry, n)
			var wg sync.WaitGroup
			for k := range entries {
				wg.Go(func() {
					e, err := reg.Allocate(ctx, listURL)
					if err != nil {
						t.Error(err)
						return
					}
					i, _ := e.Index()
					if err := reg.SetStatus(ctx, listURL, i, k%4); err != nil {
						t.Error(err)
					}
					entries[k] = e
				})
			}
			wg.Wait()
			l, err := s.Load(ctx, listURL)
			if err != nil {
				t.Fatal(err)
			}
			for k, e := range entries {
				if e == nil {
					t.FailNow()
				}
				i, _ := e.Index()
				if v, _ := l.Status.Value(i, 2); v != k%4 {
					t.Errorf("entry %d: value %d, want %d", i, v, k%4)
				}
				if e.StatusSize != 2 || !cmp.Equal(e.StatusMessage, four) {
					t.Errorf("entry %+v", e)
				}
			}
			if l.StatusSize != 2 || l.Status.Len() != 2*l.Length() || !cmp.Equal(l.StatusMessage, four) || l.AllocatedCount() != n || l.Revision != 2*n {
				t.Errorf("list: statusSize %d, %d status bits, %d allocated, revision %d", l.StatusSize, l.Status.Len(), l.AllocatedCount(), l.Revision)
			}
			if err := s.Update(ctx, listURL, func(l *status.List) error {
				l.StatusSize, l.Status = 1, l.Status[:len(l.Status)/2]
				return nil
			}); err == nil {
				t.Error("an update that changes the statusSize: accepted")
			}
			if err := reg.SetStatus(ctx, listURL, 0, 4); !errors.Is(err, status.ErrMalformed) && !errors.Is(err, status.ErrNotAllocated) {
				t.Errorf("SetStatus of a value too large: %v", err)
			}
		}},
		{"urls", func(t *testing.T, ctx context.Context, s status.Store) {
			if urls, err := s.URLs(ctx); err != nil || len(urls) != 0 {
				t.Errorf("URLs of an empty store: %q %v", urls, err)
			}
			for _, u := range []string{"https://example.edu/status/b", "https://example.edu/status/B", "https://example.edu/status/a", "https://example.edu/Status/z"} {
				if err := s.Create(ctx, newList(t, u, nil)); err != nil {
					t.Fatal(err)
				}
			}
			urls, err := s.URLs(ctx)
			want := []string{"https://example.edu/Status/z", "https://example.edu/status/B", "https://example.edu/status/a", "https://example.edu/status/b"}
			if d := cmp.Diff(want, urls); err != nil || d != "" {
				t.Errorf("URLs: %v (-want +got):\n%s", err, d)
			}
		}},
		{"concurrent allocation", func(t *testing.T, ctx context.Context, s status.Store) {
			reg := &status.Registry{Store: s, NextURL: status.NextNumberedURL}
			if _, err := reg.Create(ctx, listURL, nil); err != nil {
				t.Fatal(err)
			}
			const n = 48
			entries := make([]*status.Entry, n)
			var wg sync.WaitGroup
			for k := range entries {
				wg.Go(func() {
					var err error
					if entries[k], err = reg.Allocate(ctx, listURL); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
			seen := map[string]bool{}
			for _, e := range entries {
				if e == nil {
					t.FailNow()
				}
				if seen[e.StatusListIndex] {
					t.Errorf("index %s handed out twice", e.StatusListIndex)
				}
				seen[e.StatusListIndex] = true
			}
			for k := 0; k < n; k += 2 {
				wg.Go(func() {
					i := 0
					fmt.Sscan(entries[k].StatusListIndex, &i)
					if err := reg.Revoke(ctx, listURL, i); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
			l, _ := s.Load(ctx, listURL)
			revoked := 0
			for _, e := range entries {
				i := 0
				fmt.Sscan(e.StatusListIndex, &i)
				if bit, _ := l.Status.Bit(i); bit {
					revoked++
				}
			}
			if l.AllocatedCount() != n || revoked != n/2 || l.Revision != n+n/2 {
				t.Errorf("%d allocated, %d revoked, revision %d; want %d, %d, %d", l.AllocatedCount(), revoked, l.Revision, n, n/2, n+n/2)
			}
		}},
	}
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					tc.run(t, context.Background(), b.open(t, nil).status)
				})
			}
		})
	}
}

// oneWinner checks the errors of calls that raced for one thing: exactly
// one succeeded, and every other failed with lost.
func oneWinner(t *testing.T, what string, errs []error, lost error) {
	t.Helper()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, lost):
			t.Errorf("%s: %v, want %v", what, err, lost)
		}
	}
	if won != 1 {
		t.Errorf("%d of %d calls (%s) succeeded, want 1", won, len(errs), what)
	}
}

// TestStatusMessageListReopen: a message list, its values and its
// messages are in the database after it is closed and opened again, and
// single-bit lists are stored as they were.
func TestStatusMessageListReopen(t *testing.T) {
	for _, b := range sqlBackends() {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			u := b.url(t)
			db, err := Open(ctx, u, nil)
			if err != nil {
				t.Fatal(err)
			}
			reg := &status.Registry{Store: db.Status(), Now: func() time.Time { return t0 }}
			msgs := make([]string, 256)
			for v := range msgs {
				msgs[v] = fmt.Sprint("code ", v)
			}
			if _, err := reg.Create(ctx, listURL, &status.ListOptions{Purpose: status.Message, StatusSize: 8}); err != nil {
				t.Fatal(err)
			}
			if _, err := reg.Create(ctx, list2URL, nil); err != nil {
				t.Fatal(err)
			}
			e, err := reg.AllocateWith(ctx, listURL, &status.AllocateOptions{StatusMessage: status.NewStatusMessages(msgs...)})
			if err != nil {
				t.Fatal(err)
			}
			i, _ := e.Index()
			if err := reg.SetStatus(ctx, listURL, i, 0xc3); err != nil {
				t.Fatal(err)
			}
			r, _ := reg.Allocate(ctx, list2URL)
			ri, _ := r.Index()
			if err := reg.Revoke(ctx, list2URL, ri); err != nil {
				t.Fatal(err)
			}
			before, _ := db.Status().Load(ctx, listURL)
			before2, _ := db.Status().Load(ctx, list2URL)
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}

			again := openURL(t, u, nil)
			after, err := again.Status().Load(ctx, listURL)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(before, after); d != "" {
				t.Errorf("the message list after reopening (-before +after):\n%s", d)
			}
			if v, _ := after.Status.Value(i, 8); v != 0xc3 || after.StatusSize != 8 {
				t.Errorf("value %#x, statusSize %d", v, after.StatusSize)
			}
			after2, _ := again.Status().Load(ctx, list2URL)
			if d := cmp.Diff(before2, after2); d != "" {
				t.Errorf("the revocation list after reopening (-before +after):\n%s", d)
			}
			// The revocation list's row is the JSON it always was: no
			// statusSize, statusMessage or statusReference.
			var row []byte
			if err := again.db.QueryRowContext(ctx, again.q.loadList, list2URL).Scan(&row); err != nil {
				t.Fatal(err)
			}
			for _, member := range []string{`"statusSize"`, `"statusMessage"`, `"statusReference"`} {
				if strings.Contains(string(row), member) {
					t.Errorf("the revocation list's row has %s", member)
				}
			}
		})
	}
}
