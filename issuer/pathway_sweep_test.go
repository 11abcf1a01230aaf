package issuer_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/issuer"
)

var (
	bob = issuer.Learner{ID: "did:example:bob"}
	cy  = issuer.Learner{ID: "did:example:cy"}
	dee = issuer.Learner{ID: "did:example:dee"}
	eve = issuer.Learner{ID: "did:example:eve", Email: "eve@example.org"}
)

// cutShort fills recs as a crash would leave them: the courses of
// pathwayConfig issued by an issuer that had no pathways configured, so
// no pathway was awarded. Bob holds a, b and c (the certificate and the
// program are his due), Cy a and b (the certificate), Dee a, Eve c, and
// Ada (known by her email address alone) a and b.
func cutShort(t *testing.T, recs issuer.Records) {
	t.Helper()
	ctx := context.Background()
	before := pwIssuer(t, func(c *issuer.Config) {
		c.Achievements = c.Achievements[:3]
		c.Records = recs
	})
	for _, aw := range []struct {
		l   issuer.Learner
		ids []string
	}{
		{bob, []string{pwA, pwB, pwC}},
		{cy, []string{pwA, pwB}},
		{dee, []string{pwA}},
		{eve, []string{pwC}},
		{ada, []string{pwA, pwB}},
	} {
		for _, id := range aw.ids {
			if out, err := before.Issue(ctx, completed(id, aw.l)); err != nil || out.State != issuer.StateIssued {
				t.Fatalf("%s: %+v, %v", id, out, err)
			}
		}
	}
}

// award is one pathway award a sweep made: the achievement, the award
// key, the state.
type award struct{ ID, Key, State string }

// flatten lists the awards in out and the pathways each completed in
// turn, sorted.
func flatten(out []*issuer.Issued) []award {
	var all []award
	var walk func([]*issuer.Issued)
	walk = func(list []*issuer.Issued) {
		for _, is := range list {
			all = append(all, award{is.AchievementID, is.AwardKey, string(is.State)})
			walk(is.Pathways)
		}
	}
	walk(out)
	slices.SortFunc(all, func(a, b award) int { return strings.Compare(a.ID+a.Key, b.ID+b.Key) })
	return all
}

// TestCompleteAllPathways: after a crash that left pathways unawarded,
// the sweep awards each learner named by id the pathways they completed,
// nested ones too, once (a second sweep awards nothing), counts the
// awards of learners it cannot name, and reads the records a page at a
// time; on the memory records and a records directory.
func TestCompleteAllPathways(t *testing.T) {
	ctx := context.Background()
	stores := map[string]func(t *testing.T) issuer.Records{
		"memory": func(*testing.T) issuer.Records { return &issuer.MemoryRecords{} },
		"dir": func(t *testing.T) issuer.Records {
			d, err := issuer.OpenDirRecords(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			return d
		},
	}
	for name, open := range stores {
		t.Run(name, func(t *testing.T) {
			// One record a page, whatever the sweep asks for: the
			// records are read in many pages.
			recs := &pagedRecords{Records: open(t), max: 1}
			cutShort(t, recs)
			is := pwIssuer(t, func(c *issuer.Config) { c.Records = recs })
			recs.reset()

			got, err := is.CompleteAllPathways(ctx)
			if err != nil {
				t.Fatal(err)
			}
			want := []award{
				{pwCert, is.AwardKey(pwCert, bob), "issued"},
				{pwCert, is.AwardKey(pwCert, cy), "issued"},
				{pwProgram, is.AwardKey(pwProgram, bob), "issued"},
			}
			slices.SortFunc(want, func(a, b award) int { return strings.Compare(a.ID+a.Key, b.ID+b.Key) })
			if d := cmp.Diff(want, flatten(got.Awarded)); d != "" {
				t.Errorf("awarded (-want +got):\n%s", d)
			}
			if got.Learners != 4 || got.Unnamed != 2 || got.Failed != 0 {
				t.Errorf("learners %d, unnamed %d, failed %d; want 4, 2, 0", got.Learners, got.Unnamed, got.Failed)
			}
			// Every List asked for a page of issued awards of one of the
			// pathways' achievements; and there were more Lists than
			// records (a page each, and an empty one to end).
			for _, f := range recs.lists() {
				if f.Limit <= 0 || f.State != issuer.StateIssued || !slices.Contains([]string{pwA, pwB, pwC, pwCert}, f.AchievementID) {
					t.Errorf("List(%+v): not a page of a pathway's issued awards", f)
				}
			}
			// The 9 issued awards of a, b and c, and the 2 certificates the
			// sweep issued before it read the certificates' records.
			if n := len(recs.lists()); n != 11+4 {
				t.Errorf("%d Lists, want a page for each of the 11 records and 4 empty ones", n)
			}

			// The certificate and the program rest on the courses: the
			// program's evidence is Bob's certificate and his c.
			prog, err := is.Records().Get(ctx, is.AwardKey(pwProgram, bob))
			if err != nil {
				t.Fatal(err)
			}
			pc, err := credential.ParseAchievementCredential(prog.Credential, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(pc.Evidence) != 2 || pc.CredentialSubject.ID != bob.ID {
				t.Errorf("the program's credential: subject %q, evidence %+v", pc.CredentialSubject.ID, pc.Evidence)
			}

			// Again: nothing new; the same learners looked at.
			again, err := is.CompleteAllPathways(ctx)
			if err != nil || len(again.Awarded) != 0 || again.Learners != 4 || again.Unnamed != 2 {
				t.Errorf("again: %+v, %v", again, err)
			}
			for _, id := range []string{pwCert, pwProgram} {
				all, err := recs.Records.List(ctx, issuer.Filter{AchievementID: id}) // not a page

				if err != nil {
					t.Fatal(err)
				}
				var keys []string
				for _, r := range all {
					keys = append(keys, r.AwardKey+" "+string(r.State))
				}
				want := []string{is.AwardKey(id, bob) + " issued"}
				if id == pwCert {
					want = append(want, is.AwardKey(id, cy)+" issued")
				}
				slices.Sort(want)
				if d := cmp.Diff(want, keys); d != "" {
					t.Errorf("records of %s (-want +got):\n%s", id, d)
				}
			}

			// Ada, whom the records cannot name, by her address.
			byAddress, err := is.CompletePathways(ctx, ada)
			if d := cmp.Diff([]award{{pwCert, is.AwardKey(pwCert, ada), "issued"}}, flatten(byAddress)); err != nil || d != "" {
				t.Errorf("Ada's (-want +got):\n%s%v", d, err)
			}
		})
	}
}

// TestCompleteAllPathwaysErrors: a learner whose pathway fails does not
// stop the others, and the error says how many failed and why; an error
// of the records, or of the context, stops the sweep.
func TestCompleteAllPathwaysErrors(t *testing.T) {
	ctx := context.Background()
	down := errors.New("the registrar's service is down")

	recs := &issuer.MemoryRecords{}
	cutShort(t, recs)
	is := pwIssuer(t, func(c *issuer.Config) {
		c.Records = recs
		// The certificate fails for Cy alone.
		c.Achievements[3].Evaluator = issuer.Func(func(ctx context.Context, s *issuer.Submission, a *credential.Achievement) (issuer.Decision, error) {
			if s.Learner.ID == cy.ID {
				return issuer.Decision{}, down
			}
			return issuer.Decision{Verdict: issuer.Award}, nil
		})
	})
	got, err := is.CompleteAllPathways(ctx)
	// Cy is found by his award of a, the first achievement of a pathway.
	if !errors.Is(err, down) || !strings.Contains(err.Error(), "the pathways of 1 of 4 learners could not be awarded\nthe learner of award "+is.AwardKey(pwA, cy)+": ") {
		t.Errorf("error: %v", err)
	}
	want := []award{
		{pwCert, is.AwardKey(pwCert, bob), "issued"},
		{pwProgram, is.AwardKey(pwProgram, bob), "issued"},
	}
	if d := cmp.Diff(want, flatten(got.Awarded)); d != "" || got.Failed != 1 || got.Learners != 4 {
		t.Errorf("awarded (-want +got):\n%sfailed %d, learners %d", d, got.Failed, got.Learners)
	}

	broken := errors.New("the disk is gone")
	is = pwIssuer(t, func(c *issuer.Config) { c.Records = &pagedRecords{Records: recs, err: broken} })
	if got, err := is.CompleteAllPathways(ctx); !errors.Is(err, broken) || got.Learners != 0 {
		t.Errorf("records that fail: %+v, %v", got, err)
	}

	is = pwIssuer(t, func(c *issuer.Config) { c.Records = recs })
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if got, err := is.CompleteAllPathways(cancelled); !errors.Is(err, context.Canceled) || len(got.Awarded) != 0 {
		t.Errorf("a cancelled context: %+v, %v", got, err)
	}
}

// pagedRecords is a Records whose List returns at most max records (if
// max is positive), or fails with err, and keeps the filters it was
// given.
type pagedRecords struct {
	issuer.Records
	max int
	err error

	mu      sync.Mutex
	filters []issuer.Filter
}

func (p *pagedRecords) lists() []issuer.Filter {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.filters)
}

func (p *pagedRecords) reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.filters = nil
}

func (p *pagedRecords) List(ctx context.Context, f issuer.Filter) ([]*issuer.Record, error) {
	p.mu.Lock()
	p.filters = append(p.filters, f)
	p.mu.Unlock()
	if p.err != nil {
		return nil, p.err
	}
	out, err := p.Records.List(ctx, f)
	if p.max > 0 && len(out) > p.max {
		out = out[:p.max]
	}
	return out, err
}
