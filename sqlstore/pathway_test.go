package sqlstore

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/issuer"
)

// The pathway of TestPathwayInstances: a program made of three courses.
var (
	pwCourses = []string{"https://example.edu/achievements/stats-101", "https://example.edu/achievements/data-viz", "https://example.edu/achievements/ml-201"}
	pwProgram = "https://example.edu/achievements/data-science"
)

// pathwayIssuer is newIssuer's issuer on db, awarding the three courses on
// completion and the program when all three are held. It runs on the real
// clock.
func pathwayIssuer(t testing.TB, db *DB) *issuer.Issuer {
	t.Helper()
	is, err := newIssuer(db.Records(), db.Review(), db.Status(), func(c *issuer.Config) {
		c.Achievements = nil
		for _, id := range pwCourses {
			c.Achievements = append(c.Achievements, issuer.Achievement{
				Achievement: &credential.Achievement{ID: id, Name: id[len("https://example.edu/achievements/"):], Description: "A course.", Criteria: &credential.Criteria{Narrative: "Finish it."}},
				Evaluator:   issuer.Completion{},
			})
		}
		c.Achievements = append(c.Achievements, issuer.Achievement{
			Achievement: &credential.Achievement{ID: pwProgram, Name: "Data Science", Description: "The program.", Criteria: &credential.Criteria{Narrative: "Finish its three courses."}},
			Pathway:     &issuer.Pathway{Of: pwCourses, Ordered: true},
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return is
}

// TestPathwayInstances: two issuer instances on one database (two DBs, as
// two processes have), each completing a different course of the same
// learner at the same moment, the learner holding the third already:
// the program is awarded exactly once, never twice and never not at all.
//
// Why it holds: each instance stores its course's award before it reads
// the learner's records for the pathway, so of the two reads the later
// one comes after both writes and sees all three courses; the program's
// record is created once (a unique award key), the other instance's
// attempt returning it as existing.
func TestPathwayInstances(t *testing.T) {
	rounds := 40
	if testing.Short() {
		rounds = 8
	}
	for _, b := range sqlBackends() {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			u := b.url(t)
			instances := []*issuer.Issuer{pathwayIssuer(t, openURL(t, u, nil)), pathwayIssuer(t, openURL(t, u, nil))}
			awarded := make([][]int, len(instances)) // per instance, new program awards per learner
			for k := range awarded {
				awarded[k] = make([]int, rounds)
			}
			var both atomic.Int64 // learners whose program both instances tried to award
			var wg sync.WaitGroup
			for n := range rounds {
				l := issuer.Learner{ID: fmt.Sprintf("did:example:learner-%d", n)}
				// The first course, already held; the other two at once,
				// one on each instance, in an order that changes.
				if _, err := instances[n%2].Issue(ctx, &issuer.Submission{Learner: l, AchievementID: pwCourses[n%3], Completed: true}); err != nil {
					t.Fatal(err)
				}
				start := make(chan struct{})
				for k, is := range instances {
					course := pwCourses[(n+1+k)%3]
					wg.Go(func() {
						<-start
						out, err := is.Issue(ctx, &issuer.Submission{Learner: l, AchievementID: course, Completed: true})
						if err != nil {
							t.Errorf("learner %d, instance %d: %v", n, k, err)
							return
						}
						for _, p := range out.Pathways {
							switch {
							case p.State == issuer.StateIssued && !p.Existing:
								awarded[k][n]++
							case p.Existing:
								both.Add(1)
							}
						}
					})
				}
				close(start)
			}
			wg.Wait()
			if t.Failed() {
				t.FailNow()
			}
			t.Logf("%d of %d learners' programs were awarded by one instance while the other found it awarded", both.Load(), rounds)
			for n := range rounds {
				if got := awarded[0][n] + awarded[1][n]; got != 1 {
					t.Errorf("learner %d: the program awarded %d times (%d and %d)", n, got, awarded[0][n], awarded[1][n])
				}
			}
			recs, err := instances[0].Records().List(ctx, issuer.Filter{AchievementID: pwProgram})
			if err != nil {
				t.Fatal(err)
			}
			ids := map[string]bool{}
			for _, r := range recs {
				if r.State != issuer.StateIssued || len(r.History) != 1 {
					t.Errorf("program record %s: %s, history %+v", r.AwardKey, r.State, r.History)
				}
				ids[r.CredentialID] = true
			}
			if len(recs) != rounds || len(ids) != rounds {
				t.Errorf("%d program records, %d credentials, for %d learners", len(recs), len(ids), rounds)
			}
		})
	}
}
