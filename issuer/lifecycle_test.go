package issuer

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-openbadges/openbadges/credential"
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
