package issuer_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/issuer"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/status"
	"github.com/go-openbadges/openbadges/verify"
)

const (
	pwA       = "https://example.edu/achievements/a"
	pwB       = "https://example.edu/achievements/b"
	pwC       = "https://example.edu/achievements/c"
	pwCert    = "https://example.edu/achievements/cert"
	pwProgram = "https://example.edu/achievements/program"
	pwListURL = "https://example.edu/status/1"
)

// pwAchievement is an achievement named name.
func pwAchievement(id, name string) *credential.Achievement {
	return &credential.Achievement{ID: id, Name: name, Description: "The " + name + ".", Criteria: &credential.Criteria{Narrative: "Complete it."}}
}

// pathwayConfig is a did:web issuer, its key in memory, a revocation
// list, and three courses awarded on completion: a certificate made of a
// and b (in that order), and a program made of the certificate and c.
func pathwayConfig(t testing.TB) issuer.Config {
	t.Helper()
	ctx := context.Background()
	const id = "did:web:example.edu"
	signer, err := keys.Generate(keys.Ed25519)
	if err != nil {
		t.Fatal(err)
	}
	k, err := keys.NewKey(id+"#key-1", id, signer)
	if err != nil {
		t.Fatal(err)
	}
	store := &keys.MemoryStore{}
	if err := store.Add(ctx, k); err != nil {
		t.Fatal(err)
	}
	reg := &status.Registry{Store: &status.MemoryStore{}, NextURL: status.NextNumberedURL}
	if _, err := reg.Create(ctx, pwListURL, nil); err != nil {
		t.Fatal(err)
	}
	return issuer.Config{
		Issuer: &credential.Profile{ID: id, Name: "Example University", URL: "https://example.edu"},
		Keys:   store,
		Status: issuer.StatusConfig{Registry: reg, Bitstring: pwListURL},
		Achievements: []issuer.Achievement{
			{Achievement: pwAchievement(pwA, "Course A"), Evaluator: issuer.Completion{}},
			{Achievement: pwAchievement(pwB, "Course B"), Evaluator: issuer.Completion{}},
			{Achievement: pwAchievement(pwC, "Course C"), Evaluator: issuer.Completion{}},
			{Achievement: pwAchievement(pwCert, "Certificate"), Pathway: &issuer.Pathway{Of: []string{pwA, pwB}, Ordered: true}},
			{Achievement: pwAchievement(pwProgram, "Program"), Pathway: &issuer.Pathway{Of: []string{pwCert, pwC}}},
		},
	}
}

func pwIssuer(t testing.TB, edit func(*issuer.Config)) *issuer.Issuer {
	t.Helper()
	cfg := pathwayConfig(t)
	if edit != nil {
		edit(&cfg)
	}
	is, err := issuer.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return is
}

var ada = issuer.Learner{Email: "ada@example.org"}

func completed(id string, l issuer.Learner) *issuer.Submission {
	return &issuer.Submission{Learner: l, AchievementID: id, Completed: true}
}

// awardedIDs lists the achievements of the new awards in is and the
// pathway awards it completed, depth first.
func awardedIDs(t testing.TB, is *issuer.Issued) []string {
	t.Helper()
	var out []string
	if is.State == issuer.StateIssued && !is.Existing {
		c, err := credential.ParseAchievementCredential(is.Credential, nil)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c.CredentialSubject.Achievement.ID)
	}
	for _, p := range is.Pathways {
		out = append(out, awardedIDs(t, p)...)
	}
	return out
}

// TestPathwayChain: the award that completes a pathway awards it, and
// the pathway's award completes the one it is part of, on a did:web
// issuer with the real clock; the program's credential names what it
// rests on as evidence, verifies with the published documents, and the
// associations say what is part of what.
func TestPathwayChain(t *testing.T) {
	ctx := context.Background()
	is := pwIssuer(t, nil)
	steps := []struct {
		id   string
		want []string
	}{
		{pwA, []string{pwA}},
		{pwC, []string{pwC}},
		{pwB, []string{pwB, pwCert, pwProgram}},
		{pwB, nil}, // again: the same credential, nothing new
	}
	var last *issuer.Issued
	for _, s := range steps {
		out, err := is.Issue(ctx, completed(s.id, ada))
		if err != nil {
			t.Fatalf("%s: %v", s.id, err)
		}
		if d := cmp.Diff(s.want, awardedIDs(t, out)); d != "" {
			t.Errorf("issuing %s awarded (-want +got):\n%s", s.id, d)
		}
		if last == nil && len(out.Pathways) > 0 {
			last = out
		}
	}
	cert := last.Pathways[0]
	program := cert.Pathways[0]
	if want := []string{"2 of 2 achievements of the pathway held, 2 required"}; !slices.Equal(program.Decision.Reasons[:1], want) {
		t.Errorf("program reasons: %q", program.Decision.Reasons)
	}

	// The program's evidence: the certificate's and c's credentials.
	recs := map[string]*issuer.Record{}
	for _, id := range []string{pwA, pwB, pwC, pwCert, pwProgram} {
		r, err := is.Records().Get(ctx, is.AwardKey(id, ada))
		if err != nil || r.State != issuer.StateIssued {
			t.Fatalf("%s: %+v, %v", id, r, err)
		}
		recs[id] = r
	}
	pc, err := credential.ParseAchievementCredential(program.Credential, nil)
	if err != nil {
		t.Fatal(err)
	}
	var evidence []string
	for _, e := range pc.Evidence {
		evidence = append(evidence, e.ID+" "+e.Genre+" "+e.Name)
	}
	want := []string{recs[pwCert].CredentialID + " credential Certificate", recs[pwC].CredentialID + " credential Course C"}
	slices.Sort(want)
	slices.Sort(evidence)
	if d := cmp.Diff(want, evidence); d != "" {
		t.Errorf("program evidence (-want +got):\n%s", d)
	}
	if pc.CredentialSubject.Identifier == nil {
		t.Errorf("the program's credential names no learner")
	}

	// It verifies as the institution's, with the documents it publishes.
	dir := t.TempDir()
	pub, err := is.Publish(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := os.ReadFile(filepath.Join(dir, pub.Map))
	if err != nil {
		t.Fatal(err)
	}
	docs, err := verify.ParseDocumentMap(m, dir)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := verify.Verify(ctx, program.Credential, &verify.Trust{Documents: docs}, nil)
	if err != nil || !rep.Verified || rep.Check(verify.CheckStatus).Outcome != verify.Passed {
		t.Errorf("program credential: %v\n%s", err, rep)
	}

	wantAssoc := []credential.Association{
		{AssociationType: credential.AssociationIsPartOf, SourceID: pwA, TargetID: pwCert},
		{AssociationType: credential.AssociationIsPartOf, SourceID: pwB, TargetID: pwCert},
		{AssociationType: credential.AssociationPrecedes, SourceID: pwA, TargetID: pwB},
		{AssociationType: credential.AssociationIsPartOf, SourceID: pwCert, TargetID: pwProgram},
		{AssociationType: credential.AssociationIsPartOf, SourceID: pwC, TargetID: pwProgram},
	}
	if d := cmp.Diff(wantAssoc, is.Associations()); d != "" {
		t.Errorf("associations (-want +got):\n%s", d)
	}
}

// TestPathwayConfig: a pathway set up wrong is refused when the issuer is
// made, saying what is wrong.
func TestPathwayConfig(t *testing.T) {
	tests := []struct {
		name string
		edit func(c *issuer.Config)
		want string
	}{
		{"unknown", func(c *issuer.Config) { c.Achievements[3].Pathway.Of[1] = "https://example.edu/nope" },
			"the pathway of https://example.edu/achievements/cert lists https://example.edu/nope, which is not one of the issuer's achievements"},
		{"itself", func(c *issuer.Config) { c.Achievements[3].Pathway.Of[1] = pwCert },
			"the pathway of https://example.edu/achievements/cert lists https://example.edu/achievements/cert itself"},
		{"twice", func(c *issuer.Config) { c.Achievements[3].Pathway.Of[1] = pwA },
			"lists https://example.edu/achievements/a twice"},
		{"empty", func(c *issuer.Config) { c.Achievements[3].Pathway.Of = nil }, "lists no achievements"},
		{"n too big", func(c *issuer.Config) { c.Achievements[3].Pathway.N = 3 }, "needs 3 of 2 achievements: want 1 to 2, or 0 for all"},
		{"n negative", func(c *issuer.Config) { c.Achievements[3].Pathway.N = -1 }, "needs -1 of 2"},
		{"within negative", func(c *issuer.Config) { c.Achievements[3].Pathway.Within = -time.Hour }, "a negative Within"},
		{"cycle", func(c *issuer.Config) { c.Achievements[3].Pathway.Of[1] = pwProgram },
			"pathways form a cycle: https://example.edu/achievements/cert is part of https://example.edu/achievements/program is part of https://example.edu/achievements/cert"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := pathwayConfig(t)
			cfg.Achievements[3].Pathway = &issuer.Pathway{Of: []string{pwA, pwB}}
			tt.edit(&cfg)
			_, err := issuer.New(cfg)
			if !errors.Is(err, issuer.ErrConfig) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New: %v, want ErrConfig saying %q", err, tt.want)
			}
		})
	}
	// New keeps its own copy: the caller's pathway may change after.
	cfg := pathwayConfig(t)
	is, err := issuer.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Achievements[3].Pathway.Of[0] = pwC
	if got := is.Associations()[0].SourceID; got != pwA {
		t.Errorf("the issuer's pathway changed with the caller's: %s", got)
	}
}

// TestPathwayNOfWithin: two of three, within 30 days of each other: the
// first two awards, 60 days apart, do not make it; the third, 10 days
// after the second, does, and the evidence is the two counted.
func TestPathwayNOfWithin(t *testing.T) {
	ctx := context.Background()
	var mu sync.Mutex
	now := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	is := pwIssuer(t, func(c *issuer.Config) {
		c.Now = clock
		c.Achievements = c.Achievements[:4]
		c.Achievements[3].Pathway = &issuer.Pathway{Of: []string{pwA, pwB, pwC}, N: 2, Within: 30 * 24 * time.Hour}
	})
	out, err := is.Issue(ctx, completed(pwA, ada))
	if err != nil || len(out.Pathways) != 0 {
		t.Fatalf("a: %+v, %v", out, err)
	}
	advance(60 * 24 * time.Hour)
	if out, err = is.Issue(ctx, completed(pwB, ada)); err != nil || len(out.Pathways) != 0 {
		t.Fatalf("b, 60 days later: %+v, %v", out, err)
	}
	// Nothing was recorded for the pathway: no denial at every step.
	if _, err := is.Records().Get(ctx, is.AwardKey(pwCert, ada)); !errors.Is(err, issuer.ErrRecordNotFound) {
		t.Errorf("a record for the pathway before it is complete: %v", err)
	}
	advance(10 * 24 * time.Hour)
	out, err = is.Issue(ctx, completed(pwC, ada))
	if err != nil || len(out.Pathways) != 1 || out.Pathways[0].State != issuer.StateIssued {
		t.Fatalf("c, 10 days later: %+v, %v", out, err)
	}
	d := out.Pathways[0].Decision
	if !strings.HasPrefix(d.Reasons[0], "3 of 3 achievements of the pathway held, 2 required, within 720h0m0s") {
		t.Errorf("reasons: %q", d.Reasons)
	}
	pc, _ := credential.ParseAchievementCredential(out.Pathways[0].Credential, nil)
	if len(pc.Evidence) != 2 || !strings.Contains(pc.Evidence[0].Name, "Course B") || !strings.Contains(pc.Evidence[1].Name, "Course C") {
		t.Errorf("evidence: %+v", pc.Evidence)
	}
}

// TestPathwayReview: a pathway whose achievement also asks a person goes
// to review when complete; approving it awards it, and the approval
// completes the pathway it is part of.
func TestPathwayReview(t *testing.T) {
	ctx := context.Background()
	is := pwIssuer(t, func(c *issuer.Config) {
		c.Achievements[3].Evaluator = issuer.ReviewWhen{Evaluator: issuer.Completion{}, Reason: "the registrar signs certificates off"}
	})
	for _, id := range []string{pwC, pwA} {
		if _, err := is.Issue(ctx, completed(id, ada)); err != nil {
			t.Fatal(err)
		}
	}
	out, err := is.Issue(ctx, completed(pwB, ada))
	if err != nil || len(out.Pathways) != 1 || out.Pathways[0].State != issuer.StateInReview {
		t.Fatalf("b: %+v, %v", out, err)
	}
	item, err := is.ReviewQueue().Get(ctx, out.Pathways[0].ReviewID)
	if err != nil || item.Decision.Reasons[0] != "the registrar signs certificates off" || len(item.Submission.Evidence) != 2 {
		t.Fatalf("review item: %+v, %v", item, err)
	}
	// Issuing b again changes nothing: the certificate waits for review.
	if out, err := is.Issue(ctx, completed(pwB, ada)); err != nil || len(out.Pathways) != 0 {
		t.Errorf("b again: %+v, %v", out, err)
	}
	got, err := is.Approve(ctx, out.Pathways[0].ReviewID, "Registrar", "checked")
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{pwCert, pwProgram}, awardedIDs(t, got)); d != "" {
		t.Errorf("approving awarded (-want +got):\n%s", d)
	}
}

// TestPathwayRevoked: a revoked achievement does not count towards a
// pathway, and revoking one after the pathway's award leaves that award
// standing (a person decides about it); Reinstate, like any award,
// completes a pathway.
func TestPathwayRevoked(t *testing.T) {
	ctx := context.Background()
	is := pwIssuer(t, nil)
	bob := issuer.Learner{ID: "did:example:bob"}
	for _, id := range []string{pwA, pwB, pwC} {
		if _, err := is.Issue(ctx, completed(id, ada)); err != nil {
			t.Fatal(err)
		}
	}
	// After: the program stands.
	if err := is.Revoke(ctx, is.AwardKey(pwC, ada), "awarded in error"); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{pwCert, pwProgram} {
		if r, err := is.Records().Get(ctx, is.AwardKey(id, ada)); err != nil || r.State != issuer.StateIssued {
			t.Errorf("%s after revoking c: %+v, %v", id, r, err)
		}
	}
	// Before: c revoked, the program is not awarded.
	if _, err := is.Issue(ctx, completed(pwC, bob)); err != nil {
		t.Fatal(err)
	}
	if err := is.Revoke(ctx, is.AwardKey(pwC, bob), "awarded in error"); err != nil {
		t.Fatal(err)
	}
	if _, err := is.Issue(ctx, completed(pwA, bob)); err != nil {
		t.Fatal(err)
	}
	out, err := is.Issue(ctx, completed(pwB, bob))
	if err != nil || !slices.Equal(awardedIDs(t, out), []string{pwB, pwCert}) {
		t.Fatalf("b: %q, %v", awardedIDs(t, out), err)
	}
	if got, err := is.CompletePathways(ctx, bob); err != nil || len(got) != 0 {
		t.Errorf("CompletePathways with c revoked: %+v, %v", got, err)
	}
	if _, err := is.Records().Get(ctx, is.AwardKey(pwProgram, bob)); !errors.Is(err, issuer.ErrRecordNotFound) {
		t.Errorf("program with c revoked: %v", err)
	}
	out, err = is.Reinstate(ctx, completed(pwC, bob), "Registrar", "the revocation was a mistake")
	if err != nil || !slices.Equal(awardedIDs(t, out), []string{pwC, pwProgram}) {
		t.Errorf("reinstating c: %q, %v", awardedIDs(t, out), err)
	}
}

// TestPathwayFailure: when a pathway's award fails, the award that
// completed it stands and is returned with an error wrapping ErrPathway;
// nothing of the pathway's is recorded or queued; issuing again, or
// CompletePathways, awards it.
func TestPathwayFailure(t *testing.T) {
	ctx := context.Background()
	var fail atomic.Bool
	fail.Store(true)
	is := pwIssuer(t, func(c *issuer.Config) {
		c.Achievements[3].Evaluator = issuer.Func(func(ctx context.Context, s *issuer.Submission, a *credential.Achievement) (issuer.Decision, error) {
			if fail.Load() {
				return issuer.Decision{}, errors.New("the registrar's service is down")
			}
			return issuer.Decision{Verdict: issuer.Award, Reasons: []string{"registrar agrees"}}, nil
		})
	})
	if _, err := is.Issue(ctx, completed(pwA, ada)); err != nil {
		t.Fatal(err)
	}
	out, err := is.Issue(ctx, completed(pwB, ada))
	if !errors.Is(err, issuer.ErrPathway) || !strings.Contains(err.Error(), "the registrar's service is down") {
		t.Fatalf("b: %v", err)
	}
	if out == nil || out.State != issuer.StateIssued || len(out.Credential) == 0 {
		t.Fatalf("b's award is not returned with the error: %+v", out)
	}
	if _, err := is.Records().Get(ctx, is.AwardKey(pwCert, ada)); !errors.Is(err, issuer.ErrRecordNotFound) {
		t.Errorf("a record of the failed pathway: %v", err)
	}
	if p, err := is.ReviewQueue().Pending(ctx); err != nil || len(p) != 0 {
		t.Errorf("review items of the failed pathway: %+v, %v", p, err)
	}
	fail.Store(false)
	again, err := is.Issue(ctx, completed(pwB, ada))
	if err != nil || !again.Existing || !slices.Equal(awardedIDs(t, again), []string{pwCert}) {
		t.Errorf("b again: %q, %+v, %v", awardedIDs(t, again), again, err)
	}

	// CompletePathways does the same for a pathway added after the
	// awards were made.
	later := pwIssuer(t, func(c *issuer.Config) { c.Achievements = c.Achievements[:3] })
	for _, id := range []string{pwA, pwB} {
		if _, err := later.Issue(ctx, completed(id, ada)); err != nil {
			t.Fatal(err)
		}
	}
	cfg := pathwayConfig(t)
	cfg.Records = later.Records()
	full, err := issuer.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	got, err := full.CompletePathways(ctx, ada)
	if err != nil || len(got) != 1 || !slices.Equal(awardedIDs(t, got[0]), []string{pwCert}) {
		t.Errorf("CompletePathways: %+v, %v", got, err)
	}
	if got, err := full.CompletePathways(ctx, ada); err != nil || len(got) != 0 {
		t.Errorf("CompletePathways again: %+v, %v", got, err)
	}
}

// TestPathwayConcurrent: one issuer, many goroutines completing the
// achievements of many learners in every order at once: each learner gets
// each pathway award once.
func TestPathwayConcurrent(t *testing.T) {
	ctx := context.Background()
	is := pwIssuer(t, nil)
	const learners = 12
	var mu sync.Mutex
	awarded := map[string]int{}
	var wg sync.WaitGroup
	for n := range learners {
		l := issuer.Learner{ID: "did:example:learner-" + string(rune('a'+n))}
		for _, id := range []string{pwA, pwB, pwC} {
			wg.Go(func() {
				out, err := is.Issue(ctx, completed(id, l))
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				for _, a := range awardedIDs(t, out) {
					awarded[a]++
				}
				mu.Unlock()
			})
		}
	}
	wg.Wait()
	want := map[string]int{pwA: learners, pwB: learners, pwC: learners, pwCert: learners, pwProgram: learners}
	if d := cmp.Diff(want, awarded); d != "" {
		t.Errorf("awards (-want +got):\n%s", d)
	}
}

// TestPathwayFile: a pathway written in a configuration file, beside the
// other criteria, and the errors of one written wrong.
func TestPathwayFile(t *testing.T) {
	const head = `{"issuer": "did:web:example.edu", "achievements": [
  {"achievement": {"id": "https://example.edu/achievements/a", "type": ["Achievement"], "name": "A", "description": "A", "criteria": {"narrative": "A"}}, "criteria": {"completion": true}},
  {"achievement": {"id": "https://example.edu/achievements/b", "type": ["Achievement"], "name": "B", "description": "B", "criteria": {"narrative": "B"}}, "criteria": {"completion": true}},
  {"achievement": {"id": "https://example.edu/achievements/c", "type": ["Achievement"], "name": "C", "description": "C", "criteria": {"narrative": "C"}}, "criteria": {"completion": true}},
  {"achievement": {"id": "https://example.edu/achievements/cert", "type": ["Achievement"], "name": "P", "description": "P", "criteria": {"narrative": "P"}}, "criteria": `
	parse := func(criteria string) ([]issuer.Achievement, error) {
		fc, err := issuer.ParseConfig([]byte(head + criteria + "}]}"))
		if err != nil {
			return nil, err
		}
		return fc.Awards()
	}
	good := []struct {
		criteria string
		want     issuer.Pathway
		other    bool
	}{
		{`{"pathway": {"allOf": ["https://example.edu/achievements/a", "https://example.edu/achievements/b"], "ordered": true}}`,
			issuer.Pathway{Of: []string{pwA, pwB}, Ordered: true}, false},
		{`{"pathway": {"nOf": 2, "of": ["https://example.edu/achievements/a", "https://example.edu/achievements/b", "https://example.edu/achievements/c"], "within": "17520h"}, "window": {"notBefore": "2026-01-01T00:00:00Z", "notAfter": "2027-01-01T00:00:00Z"}}`,
			issuer.Pathway{Of: []string{pwA, pwB, pwC}, N: 2, Within: 17520 * time.Hour}, true},
	}
	for _, tt := range good {
		awards, err := parse(tt.criteria)
		if err != nil {
			t.Fatalf("%s: %v", tt.criteria, err)
		}
		if d := cmp.Diff(&tt.want, awards[3].Pathway); d != "" {
			t.Errorf("%s (-want +got):\n%s", tt.criteria, d)
		}
		if (awards[3].Evaluator != nil) != tt.other {
			t.Errorf("%s: evaluator %v", tt.criteria, awards[3].Evaluator)
		}
		// The issuer takes it.
		cfg := pathwayConfig(t)
		cfg.Achievements = awards
		if _, err := issuer.New(cfg); err != nil {
			t.Errorf("%s: New: %v", tt.criteria, err)
		}
	}
	bad := []struct{ criteria, want string }{
		{`{"pathway": {}}`, `no achievements: write "allOf": [ids] or "nOf": N, "of": [ids]`},
		{`{"pathway": {"allOf": ["https://example.edu/achievements/a"], "nOf": 1, "of": ["https://example.edu/achievements/b"]}}`, "allOf, or nOf with of, not both"},
		{`{"pathway": {"nOf": 3, "of": ["https://example.edu/achievements/a", "https://example.edu/achievements/b"]}}`, "nOf 3 of 2 achievements: want 1 to 2"},
		{`{"pathway": {"of": ["https://example.edu/achievements/a"]}}`, "nOf 0 of 1 achievements: want 1 to 1"},
		{`{"pathway": {"allOf": ["https://example.edu/achievements/a"], "within": "2 years"}}`, `within "2 years": want a duration such as 17520h`},
		{`{"pathway": {"all": ["https://example.edu/achievements/a"]}}`, `unknown member "all"`},
	}
	for _, tt := range bad {
		_, err := parse(tt.criteria)
		if !errors.Is(err, issuer.ErrConfig) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want ErrConfig saying %q", tt.criteria, err, tt.want)
		}
	}
	// An unknown achievement is for New to find: the file names it.
	awards, err := parse(`{"pathway": {"allOf": ["https://example.edu/achievements/a", "https://example.edu/achievements/d"]}}`)
	if err != nil {
		t.Fatal(err)
	}
	cfg := pathwayConfig(t)
	cfg.Achievements = awards
	if _, err := issuer.New(cfg); !errors.Is(err, issuer.ErrConfig) || !strings.Contains(err.Error(), "lists https://example.edu/achievements/d, which is not one of the issuer's achievements") {
		t.Errorf("New: %v", err)
	}
}

// TestPathwayNotFromSubmission: a pathway is decided from the issuer's
// records, never from what a submission claims (Earned): a submission for
// the program naming the courses as held is denied when the records hold
// none of them.
func TestPathwayNotFromSubmission(t *testing.T) {
	ctx := context.Background()
	is := pwIssuer(t, nil)
	s := completed(pwCert, ada)
	s.Earned = []string{pwA, pwB}
	out, err := is.Issue(ctx, s)
	if err != nil || out.State != issuer.StateDenied {
		t.Fatalf("%+v, %v", out, err)
	}
	want := []string{"0 of 2 achievements of the pathway held, 2 required", "not yet awarded " + pwA, "not yet awarded " + pwB}
	if d := cmp.Diff(want, out.Decision.Reasons); d != "" {
		t.Errorf("reasons (-want +got):\n%s", d)
	}
	// Denied, it is decided again once the records hold them.
	for _, id := range []string{pwA, pwB} {
		if _, err := is.Issue(ctx, completed(id, ada)); err != nil {
			t.Fatal(err)
		}
	}
	if r, err := is.Records().Get(ctx, is.AwardKey(pwCert, ada)); err != nil || r.State != issuer.StateIssued {
		t.Errorf("certificate after the courses: %+v, %v", r, err)
	}
}

// FuzzPathwayConfig: any pathway a configuration file writes is read, and
// taken by New, or refused with ErrConfig, never a panic nor a loop (a
// cycle of pathways is found, however long).
func FuzzPathwayConfig(f *testing.F) {
	f.Add(`{"allOf": ["https://example.edu/achievements/a", "https://example.edu/achievements/b"], "ordered": true}`, `{"allOf": ["https://example.edu/achievements/cert", "https://example.edu/achievements/c"]}`)
	f.Add(`{"nOf": 2, "of": ["https://example.edu/achievements/a", "https://example.edu/achievements/b", "https://example.edu/achievements/c"], "within": "17520h"}`, `{"nOf": 1, "of": ["https://example.edu/achievements/cert"]}`)
	f.Add(`{"allOf": ["https://example.edu/achievements/program"]}`, `{"allOf": ["https://example.edu/achievements/cert"]}`)
	f.Add(`{"nOf": -1, "of": []}`, `{"within": "-1h", "allOf": ["x"]}`)
	base := pathwayConfig(f)
	f.Fuzz(func(t *testing.T, cert, program string) {
		doc := `{"issuer": "did:web:example.edu", "achievements": [`
		for _, id := range []string{"a", "b", "c"} {
			doc += `{"achievement": {"id": "https://example.edu/achievements/` + id + `", "name": "` + id + `"}, "criteria": {"completion": true}},`
		}
		doc += `{"achievement": {"id": "https://example.edu/achievements/cert", "name": "cert"}, "criteria": {"pathway": ` + cert + `}},`
		doc += `{"achievement": {"id": "https://example.edu/achievements/program", "name": "program"}, "criteria": {"pathway": ` + program + `}}]}`
		fc, err := issuer.ParseConfig([]byte(doc))
		if err != nil {
			if !errors.Is(err, issuer.ErrConfig) {
				t.Fatalf("not ErrConfig: %v", err)
			}
			return
		}
		awards, err := fc.Awards()
		if err != nil {
			if !errors.Is(err, issuer.ErrConfig) {
				t.Fatalf("awards: not ErrConfig: %v", err)
			}
			return
		}
		cfg := base
		cfg.Achievements = awards
		if _, err := issuer.New(cfg); err != nil && !errors.Is(err, issuer.ErrConfig) {
			t.Fatalf("New: not ErrConfig: %v", err)
		}
	})
}
