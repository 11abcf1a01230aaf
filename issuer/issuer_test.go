package issuer

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
	"github.com/go-openbadges/openbadges/proof/jose"
	"github.com/go-openbadges/openbadges/status"
	"github.com/go-openbadges/openbadges/status/statussign"
	"github.com/go-openbadges/openbadges/verify"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// fixed is an evaluator that always gives the same decision.
type fixed Decision

func (f fixed) Evaluate(ctx context.Context, s *Submission, a *credential.Achievement) (Decision, error) {
	return Decision(f), nil
}

// testIssuer is a did:key issuer with a memory key store and achievements
// "award", "deny", "review" and "none" (no evaluator).
func testIssuer(t testing.TB, edit func(*Config)) (*Issuer, *Config) {
	t.Helper()
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{3}, 32))
	did, _ := keys.DIDKey(key.Public())
	vm, _ := keys.DIDKeyVerificationMethod(key.Public())
	k, err := keys.NewKey(vm, did, key)
	if err != nil {
		t.Fatal(err)
	}
	store := &keys.MemoryStore{}
	if err := store.Add(context.Background(), k); err != nil {
		t.Fatal(err)
	}
	ach := func(id string) *credential.Achievement {
		return &credential.Achievement{
			ID: "https://example.edu/achievements/" + id, Name: "Statistics " + id, Description: "Descriptive statistics.",
			Criteria: &credential.Criteria{Narrative: "Pass the exam."},
			ResultDescription: credential.List[credential.ResultDescription]{{
				ID: "https://example.edu/achievements/" + id + "/final", Name: "Final exam",
				ResultType: credential.ResultTypePercent, ValueMin: "0", ValueMax: "100", RequiredValue: "70",
			}},
		}
	}
	result := credential.Result{ResultDescription: "https://example.edu/achievements/award/final", Value: "87"}
	cfg := &Config{
		Issuer: &credential.Profile{ID: did, Name: "Example College"},
		Keys:   store,
		Achievements: []Achievement{
			{Achievement: ach("award"), Evaluator: fixed{Verdict: Award, Reasons: []string{"score 87 >= 70"}, Results: []credential.Result{result}}},
			{Achievement: ach("deny"), Evaluator: fixed{Verdict: Deny, Reasons: []string{"score 50 < 70"}}},
			{Achievement: ach("review"), Evaluator: fixed{Verdict: Review, Reasons: []string{"score 68 is borderline"}}},
			{Achievement: ach("none")},
		},
		Now: func() time.Time { return t0 },
	}
	if edit != nil {
		edit(cfg)
	}
	is, err := New(*cfg)
	if err != nil {
		t.Fatal(err)
	}
	return is, cfg
}

func submission(achievement string) *Submission {
	return &Submission{
		Learner:       Learner{Email: "Ada@Example.org", Name: "Ada Lovelace"},
		AchievementID: "https://example.edu/achievements/" + achievement,
		Completed:     true,
		Evidence:      []Evidence{{URL: "https://lms.example.edu/submissions/1", Kind: "project", Name: "Final project", Text: "A crawler."}},
	}
}

// TestIssue issues credentials in each format and checks what they say
// and that they verify.
func TestIssue(t *testing.T) {
	ctx := context.Background()
	for _, f := range []Formats{FormatDataIntegrity, FormatJWT, FormatBoth} {
		is, cfg := testIssuer(t, func(c *Config) { c.Formats = f; c.Validity = 365 * 24 * time.Hour })
		out, err := is.Issue(ctx, submission("award"))
		if err != nil {
			t.Fatal(err)
		}
		if out.State != StateIssued || out.Existing || out.Report == nil || !out.Report.Verified {
			t.Fatalf("format %d: %+v", f, out)
		}
		if (len(out.Credential) > 0) != (f != FormatJWT) || (out.JWT != "") != (f != FormatDataIntegrity) {
			t.Errorf("format %d: credential %d bytes, JWT %d bytes", f, len(out.Credential), len(out.JWT))
		}
		doc := out.Credential
		if f == FormatJWT {
			res, err := (&jose.Verifier{}).Verify(ctx, []byte(out.JWT))
			if err != nil || !res.Verified {
				t.Fatalf("JWT: %v %v", err, res.Err)
			}
			doc = res.Credential
		}
		c, err := credential.ParseAchievementCredential(doc, nil)
		if err != nil {
			t.Fatal(err)
		}
		if c.Issuer.ID != cfg.Issuer.ID || string(c.ValidFrom) != "2026-03-01T12:00:00Z" || string(c.ValidUntil) != "2027-03-01T12:00:00Z" || string(c.AwardedDate) != "2026-03-01T12:00:00Z" {
			t.Errorf("format %d: dates/issuer %s %s %s %s", f, c.Issuer.ID, c.ValidFrom, c.ValidUntil, c.AwardedDate)
		}
		if bytes.Contains(bytes.ToLower(doc), []byte("ada@example.org")) {
			t.Errorf("format %d: the credential holds the email address in the clear", f)
		}
		if ok, _ := c.CredentialSubject.Identifier[0].Match("ada@example.org"); !ok {
			t.Errorf("format %d: the hashed identifier does not match the learner", f)
		}
		if len(c.Evidence) != 1 || c.Evidence[0].Genre != "project" || c.Evidence[0].Narrative != "A crawler." {
			t.Errorf("format %d: evidence %+v", f, c.Evidence)
		}
		if len(c.CredentialSubject.Result) != 1 || c.CredentialSubject.Result[0].Value != "87" {
			t.Errorf("format %d: results %+v", f, c.CredentialSubject.Result)
		}
		if f == FormatBoth {
			// The JWT's credential carries the Data Integrity proof.
			res, _ := (&jose.Verifier{}).Verify(ctx, []byte(out.JWT))
			if !bytes.Equal(res.Credential, out.Credential) {
				t.Error("the JWT does not carry the credential with its Data Integrity proof")
			}
		}
		// A wallet verifies it, and finds it is Ada's.
		input := out.Credential
		if f == FormatJWT {
			input = []byte(out.JWT)
		}
		rep, err := verify.Verify(ctx, input, nil, &verify.Policy{Now: t0.Add(time.Hour), Recipient: &verify.Identity{Type: "emailAddress", Value: "ada@example.org"}})
		if err != nil || !rep.Verified || rep.Check(verify.CheckRecipient).Outcome != verify.Passed {
			t.Errorf("format %d: %v\n%s", f, err, rep)
		}
	}
}

// TestDecisions checks denial, review (approve and reject), and the guards.
func TestDecisions(t *testing.T) {
	ctx := context.Background()
	is, _ := testIssuer(t, nil)

	out, err := is.Issue(ctx, submission("deny"))
	if err != nil || out.State != StateDenied || len(out.Credential) != 0 || out.Decision.Reasons[0] != "score 50 < 70" {
		t.Fatalf("deny: %v %+v", err, out)
	}
	rec, err := is.Records().Get(ctx, out.AwardKey)
	if err != nil || rec.State != StateDenied || !cmp.Equal(rec.Reasons, []string{"score 50 < 70"}) {
		t.Errorf("deny record: %v %+v", err, rec)
	}

	out, err = is.Issue(ctx, submission("review"))
	if err != nil || out.State != StateInReview || out.ReviewID == "" {
		t.Fatalf("review: %v %+v", err, out)
	}
	again, err := is.Issue(ctx, submission("review"))
	if err != nil || again.State != StateInReview || again.ReviewID != out.ReviewID {
		t.Errorf("a submission in review is not queued twice: %v %+v", err, again)
	}
	pending, _ := is.ReviewQueue().Pending(ctx)
	if len(pending) != 1 {
		t.Errorf("%d pending reviews, want 1", len(pending))
	}
	approved, err := is.Approve(ctx, out.ReviewID, "prof. smith", "the project is strong")
	if err != nil || approved.State != StateIssued || len(approved.Credential) == 0 {
		t.Fatalf("approve: %v %+v", err, approved)
	}
	if _, err := is.Approve(ctx, out.ReviewID, "prof. smith", "again"); err == nil {
		t.Error("a review approved twice")
	}

	s := submission("review")
	s.Learner = Learner{ID: "did:example:bob"}
	out, err = is.Issue(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if err := is.Reject(ctx, out.ReviewID, "prof. smith", "plagiarized"); err != nil {
		t.Fatal(err)
	}
	rec, _ = is.Records().Get(ctx, out.AwardKey)
	if rec.State != StateRejected || rec.Reasons[len(rec.Reasons)-1] != "rejected by prof. smith: plagiarized" {
		t.Errorf("reject record: %+v", rec)
	}

	for _, tc := range []struct {
		s    *Submission
		want error
	}{
		{submission("none"), ErrNoEvaluator},
		{submission("other"), ErrUnknownAchievement},
		{&Submission{AchievementID: "https://example.edu/achievements/award"}, ErrNoRecipient},
	} {
		if _, err := is.Issue(ctx, tc.s); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.s.AchievementID, err, tc.want)
		}
	}
}

// TestIdempotent issues the same award from many goroutines at once: one
// credential, returned to all.
func TestIdempotent(t *testing.T) {
	ctx := context.Background()
	is, _ := testIssuer(t, nil)
	var wg sync.WaitGroup
	outs := make([]*Issued, 32)
	errs := make([]error, 32)
	for k := range outs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			outs[k], errs[k] = is.Issue(ctx, submission("award"))
		}()
	}
	wg.Wait()
	fresh := 0
	for k, o := range outs {
		if errs[k] != nil {
			t.Fatal(errs[k])
		}
		if !o.Existing {
			fresh++
		}
		if !bytes.Equal(o.Credential, outs[0].Credential) {
			t.Fatal("two different credentials for one award")
		}
	}
	recs, _ := is.Records().List(ctx, Filter{})
	if fresh != 1 || len(recs) != 1 {
		t.Errorf("%d fresh issuances and %d records, want 1 and 1", fresh, len(recs))
	}
	// The same learner by email, differently written, is the same award.
	s := submission("award")
	s.Learner.Email = " ada@EXAMPLE.org "
	if o, err := is.Issue(ctx, s); err != nil || !o.Existing {
		t.Errorf("the same email address, differently written: %v %+v", err, o)
	}
}

// TestReissue reissues a credential: same id, newer validFrom, same
// awardedDate.
func TestReissue(t *testing.T) {
	ctx := context.Background()
	now := t0
	is, _ := testIssuer(t, func(c *Config) { c.Now = func() time.Time { return now } })
	first, err := is.Issue(ctx, submission("award"))
	if err != nil {
		t.Fatal(err)
	}
	now = t0.Add(24 * time.Hour)
	second, err := is.Reissue(ctx, submission("award"))
	if err != nil {
		t.Fatal(err)
	}
	a, _ := credential.ParseAchievementCredential(first.Credential, nil)
	b, _ := credential.ParseAchievementCredential(second.Credential, nil)
	if a.ID != b.ID || string(b.ValidFrom) != "2026-03-02T12:00:00Z" || b.AwardedDate != a.AwardedDate {
		t.Errorf("reissue: id %s→%s validFrom %s awardedDate %s→%s", a.ID, b.ID, b.ValidFrom, a.AwardedDate, b.AwardedDate)
	}
	if _, err := is.Reissue(ctx, submission("deny")); !errors.Is(err, ErrRecordNotFound) {
		t.Errorf("reissue of what was never issued: %v", err)
	}
}

// brokenSigner signs with a key that is not the one it claims.
type brokenSigner struct{ ed25519.PrivateKey }

func (b brokenSigner) Sign(r io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	other := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, 32))
	return other.Sign(r, digest, opts)
}

// TestSelfCheck checks that a faulty signer's credential is never handed
// out: the issuer's own verification catches it.
func TestSelfCheck(t *testing.T) {
	ctx := context.Background()
	_, cfg := testIssuer(t, nil)
	k, _ := cfg.Keys.ActiveKey(ctx, cfg.Issuer.ID)
	bad := *k
	bad.Signer = brokenSigner{k.Signer.(ed25519.PrivateKey)}
	store := &keys.MemoryStore{}
	if err := store.Add(ctx, &bad); err != nil {
		t.Fatal(err)
	}
	cfg.Keys = store
	is, err := New(*cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, err = is.Issue(ctx, submission("award"))
	if !errors.Is(err, ErrSelfCheck) || !strings.Contains(err.Error(), "proof: no proof verifies") {
		t.Fatalf("Issue with a broken signer: %v", err)
	}
	if recs, _ := is.Records().List(ctx, Filter{State: StateIssued}); len(recs) != 0 {
		t.Error("a credential that failed its check was recorded as issued")
	}
}

// TestRevoke issues with a status entry, revokes, publishes, and a
// verifier sees it.
func TestRevoke(t *testing.T) {
	ctx := context.Background()
	reg := &status.Registry{Store: &status.MemoryStore{}, Now: func() time.Time { return t0 }}
	const listURL = "https://example.edu/status/1"
	if _, err := reg.Create(ctx, listURL, nil); err != nil {
		t.Fatal(err)
	}
	is, cfg := testIssuer(t, func(c *Config) { c.Status = StatusConfig{Registry: reg, Bitstring: listURL} })
	out, err := is.Issue(ctx, submission("award"))
	if err != nil {
		t.Fatal(err)
	}
	if err := is.Revoke(ctx, out.AwardKey, "issued in error"); err != nil {
		t.Fatal(err)
	}
	k, _ := cfg.Keys.ActiveKey(ctx, cfg.Issuer.ID)
	list, err := reg.Publish(ctx, listURL, &status.PublishOptions{Issuer: cfg.Issuer.ID, Signer: statussign.DataIntegrity(dataintegritySigner(k), nil)})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := verify.Verify(ctx, out.Credential, &verify.Trust{Documents: map[string][]byte{listURL: list}}, &verify.Policy{Now: t0.Add(time.Hour)})
	if err != nil || rep.Verified || rep.Check(verify.CheckStatus).Outcome != verify.Failed {
		t.Errorf("revoked: %v\n%s", err, rep)
	}
	rec, _ := is.Records().Get(ctx, out.AwardKey)
	if rec.State != StateRevoked {
		t.Errorf("record state %s", rec.State)
	}
	if err := is.Revoke(ctx, out.AwardKey, ""); !errors.Is(err, ErrNotIssued) {
		t.Errorf("revoking twice: %v", err)
	}
}

// TestBatch issues a batch with failing items, with progress and
// cancellation.
func TestBatch(t *testing.T) {
	ctx := context.Background()
	is, _ := testIssuer(t, nil)
	var subs []*Submission
	for k := range 20 {
		s := submission("award")
		s.Learner = Learner{ID: "did:example:learner-" + string(rune('a'+k))}
		if k%5 == 0 {
			s.AchievementID = "https://example.edu/achievements/other"
		}
		subs = append(subs, s)
	}
	var calls, last int
	res := is.Batch(ctx, subs, &BatchOptions{Concurrency: 4, Progress: func(done, total int) { calls++; last = done }})
	failed := 0
	for k, r := range res {
		if r.Index != k {
			t.Fatalf("result %d has index %d", k, r.Index)
		}
		switch {
		case k%5 == 0:
			if !errors.Is(r.Err, ErrUnknownAchievement) {
				t.Errorf("item %d: %v", k, r.Err)
			}
			failed++
		case r.Err != nil || r.Issued.State != StateIssued:
			t.Errorf("item %d: %v %+v", k, r.Err, r.Issued)
		}
	}
	if failed != 4 || calls != 20 || last != 20 {
		t.Errorf("failed %d, progress calls %d, last %d", failed, calls, last)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	for _, r := range is.Batch(cctx, subs[:3], nil) {
		if !errors.Is(r.Err, context.Canceled) {
			t.Errorf("cancelled batch: %v", r.Err)
		}
	}
}

// TestEndorse has an accreditor endorse the achievement; the endorsement is
// embedded in the credentials issued for it and verifies with them.
func TestEndorse(t *testing.T) {
	ctx := context.Background()
	akey := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{5}, 32))
	adid, _ := keys.DIDKey(akey.Public())
	avm, _ := keys.DIDKeyVerificationMethod(akey.Public())
	ak, _ := keys.NewKey(avm, adid, akey)
	e, err := Endorse(ctx, &Endorsement{Endorser: &credential.Profile{ID: adid, Name: "Accreditor"}, Key: ak, SubjectID: "https://example.edu/achievements/award", Name: "Accredited", Comment: "Meets the standard.", ValidFrom: t0})
	if err != nil {
		t.Fatal(err)
	}
	is, _ := testIssuer(t, func(c *Config) { c.Achievements[0].Endorsements = [][]byte{e} })
	out, err := is.Issue(ctx, submission("award"))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := verify.Verify(ctx, out.Credential, nil, &verify.Policy{Now: t0.Add(time.Hour)})
	if err != nil || !rep.Verified || rep.Check(verify.CheckEndorsements).Outcome != verify.Passed || len(rep.Endorsements) != 1 {
		t.Errorf("%v\n%s", err, rep)
	}
}

// TestAuditLog checks that every decision and issuance is logged with the
// award key and never with the learner's data.
func TestAuditLog(t *testing.T) {
	ctx := context.Background()
	var buf bytes.Buffer
	is, _ := testIssuer(t, func(c *Config) { c.Logger = slog.New(slog.NewJSONHandler(&buf, nil)) })
	out, _ := is.Issue(ctx, submission("award"))
	is.Issue(ctx, submission("deny"))
	log := buf.String()
	for _, want := range []string{`"msg":"decision"`, `"verdict":"award"`, `"verdict":"deny"`, `"msg":"issued"`, `"award_key":"` + out.AwardKey + `"`} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %s:\n%s", want, log)
		}
	}
	for _, secret := range []string{"ada@example.org", "lovelace", "a crawler"} {
		if strings.Contains(strings.ToLower(log), secret) {
			t.Errorf("log holds %q:\n%s", secret, log)
		}
	}
}

// TestMemoryRecords checks that the memory store keeps a credential's
// bytes exactly.
func TestMemoryRecords(t *testing.T) {
	ctx := context.Background()
	s := &MemoryRecords{}
	r := &Record{AwardKey: "k", Credential: []byte(`{"a":"<b>&</b>"}`)}
	if err := s.Create(ctx, r); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Get(ctx, "k")
	if string(got.Credential) != `{"a":"<b>&</b>"}` {
		t.Errorf("bytes changed: %s", got.Credential)
	}
	if err := s.Create(ctx, r); !errors.Is(err, ErrRecordExists) {
		t.Errorf("second Create: %v", err)
	}
}

// TestDirRecords checks the file store: atomic create, put, get, list.
func TestDirRecords(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "records")
	s, err := OpenDirRecords(dir)
	if err != nil {
		t.Fatal(err)
	}
	r := &Record{AwardKey: "abc123", AchievementID: "urn:a", State: StateIssued, Updated: t0, Credential: []byte(`{"a":"<b>&</b>","n":1.50}`)}
	if err := s.Create(ctx, r); err != nil {
		t.Fatal(err)
	}
	if err := s.Create(ctx, r); !errors.Is(err, ErrRecordExists) {
		t.Errorf("second Create: %v", err)
	}
	r2 := &Record{AwardKey: "def456", AchievementID: "urn:b", State: StateDenied, Updated: t0}
	if err := s.Put(ctx, r2); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, "abc123")
	if err != nil || !cmp.Equal(got, r) {
		t.Errorf("Get: %v %s", err, cmp.Diff(r, got))
	}
	if string(got.Credential) != `{"a":"<b>&</b>","n":1.50}` {
		t.Errorf("the credential's bytes changed in the store: %s", got.Credential)
	}
	if _, err := s.Get(ctx, "nope"); !errors.Is(err, ErrRecordNotFound) {
		t.Errorf("Get missing: %v", err)
	}
	if _, err := s.Get(ctx, "../etc/passwd"); err == nil {
		t.Error("an award key naming another path was accepted")
	}
	list, _ := s.List(ctx, Filter{State: StateDenied})
	if len(list) != 1 || list[0].AwardKey != "def456" {
		t.Errorf("List: %+v", list)
	}
	fi, err := os.Stat(filepath.Join(dir, "abc123.json"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("record file mode: %v %v", err, fi.Mode())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Errorf("%d files, want 2 records and the scrubbed marker (no temporary files left)", len(entries))
	}
}

func dataintegritySigner(k *keys.Key) *dataintegrity.Signer {
	return &dataintegrity.Signer{Key: k.Signer, VerificationMethod: k.ID}
}

// TestIssueSharedRecords runs two Issuers on one Records and one status
// Store, as two processes sharing a database would: their in-process locks
// do not serialize them, the Records do. Each award key gets one credential,
// handed to every caller, with one status index; a denial racing an award
// never replaces the credential; and an award after a denial is issued
// once.
func TestIssueSharedRecords(t *testing.T) {
	ctx := context.Background()
	records := &MemoryRecords{}
	reg := &status.Registry{Store: &status.MemoryStore{}}
	const listURL = "https://example.edu/status/1"
	if _, err := reg.Create(ctx, listURL, nil); err != nil {
		t.Fatal(err)
	}
	// "mixed" awards a completed submission and denies the others.
	mixed := Func(func(ctx context.Context, s *Submission, a *credential.Achievement) (Decision, error) {
		if s.Completed {
			return Decision{Verdict: Award, Reasons: []string{"completed"}}, nil
		}
		return Decision{Verdict: Deny, Reasons: []string{"not completed"}}, nil
	})
	var issuers [2]*Issuer
	for k := range issuers {
		issuers[k], _ = testIssuer(t, func(c *Config) {
			c.Records = records
			c.Status = StatusConfig{Registry: reg, Bitstring: listURL}
			c.Now = nil
			a := c.Achievements[0]
			a.Achievement = &credential.Achievement{ID: "https://example.edu/achievements/mixed", Name: "Mixed", Description: "Mixed.", Criteria: &credential.Criteria{Narrative: "Finish."}}
			a.Evaluator = mixed
			c.Achievements = append(c.Achievements, a)
		})
	}
	learner := func(n int, completed bool) *Submission {
		s := submission("mixed")
		s.Learner = Learner{ID: fmt.Sprintf("did:example:learner-%d", n)}
		s.Completed = completed
		return s
	}
	// Learner 0: awards only. Learner 1: denied first, then awards. Learner
	// 2: denials and awards at once.
	if out, err := issuers[0].Issue(ctx, learner(1, false)); err != nil || out.State != StateDenied {
		t.Fatalf("denial: %v %+v", err, out)
	}
	type result struct {
		learner int
		out     *Issued
		err     error
	}
	results := make(chan result, 3*32)
	var wg sync.WaitGroup
	for g := range 32 {
		for n := range 3 {
			wg.Go(func() {
				completed := n != 2 || g%2 == 0
				out, err := issuers[g%2].Issue(ctx, learner(n, completed))
				results <- result{n, out, err}
			})
		}
	}
	wg.Wait()
	close(results)
	fresh := map[int]int{}
	creds := map[int]map[string]bool{}
	for r := range results {
		if r.err != nil {
			t.Fatalf("learner %d: %v", r.learner, r.err)
		}
		switch {
		case r.out.State == StateDenied && r.learner == 2:
		case r.out.State != StateIssued:
			t.Errorf("learner %d: %s", r.learner, r.out.State)
		default:
			if !r.out.Existing {
				fresh[r.learner]++
			}
			if creds[r.learner] == nil {
				creds[r.learner] = map[string]bool{}
			}
			creds[r.learner][string(r.out.Credential)] = true
		}
	}
	seen := map[string]bool{}
	for n := range 3 {
		rec, err := records.Get(ctx, AwardKey(issuers[0].cfg.Issuer.ID, "https://example.edu/achievements/mixed", learner(n, true).Learner))
		if err != nil {
			t.Fatal(err)
		}
		if fresh[n] != 1 || len(creds[n]) != 1 || rec.State != StateIssued || !creds[n][string(rec.Credential)] {
			t.Errorf("learner %d: %d fresh issuances, %d different credentials handed out, record %s", n, fresh[n], len(creds[n]), rec.State)
		}
		if i := rec.Status[0].StatusListIndex; seen[i] {
			t.Errorf("status index %s went to two credentials", i)
		} else {
			seen[i] = true
		}
	}
}

// swapless is a Records without Swap: the Issuer falls back to Put.
type swapless struct{ Records }

// TestIssueWithoutSwap checks an Issuer on a Records that cannot swap: a
// denial is replaced by an award, and the award is issued once.
func TestIssueWithoutSwap(t *testing.T) {
	ctx := context.Background()
	records := swapless{&MemoryRecords{}}
	is, _ := testIssuer(t, func(c *Config) {
		c.Records = records
		c.Achievements[1].ID = c.Achievements[0].ID // "deny" and "award" are the same achievement by id …
		c.Achievements = []Achievement{c.Achievements[1]}
	})
	out, err := is.Issue(ctx, submission("award"))
	if err != nil || out.State != StateDenied {
		t.Fatalf("%v %+v", err, out)
	}
	is2, _ := testIssuer(t, func(c *Config) { c.Records = records })
	out, err = is2.Issue(ctx, submission("award"))
	if err != nil || out.State != StateIssued || out.Existing {
		t.Fatalf("an award after a denial: %v %+v", err, out)
	}
	again, err := is2.Issue(ctx, submission("award"))
	if err != nil || !again.Existing || !bytes.Equal(again.Credential, out.Credential) {
		t.Errorf("again: %v %+v", err, again)
	}
}

// TestNewRefusesTwoStatusLists: an OB 3.0 credential has one
// credentialStatus, so a configuration that would give it two (which then
// failed every issuance's own check) is refused when the Issuer is made.
func TestNewRefusesTwoStatusLists(t *testing.T) {
	_, cfg := testIssuer(t, nil)
	cfg.Status = StatusConfig{Registry: &status.Registry{Store: &status.MemoryStore{}}, Bitstring: "https://example.edu/status/1", RevocationList: "https://example.edu/revocations"}
	_, err := New(*cfg)
	if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), "not both") {
		t.Errorf("New with two status lists: %v, want ErrConfig saying not both", err)
	}
}

// TestBatchProgressMonotonic: progress never goes back (99% after 100%):
// the count and the report of it are one step. Submissions for an unknown
// achievement fail at once, so workers finish close together and race.
func TestBatchProgressMonotonic(t *testing.T) {
	is, _ := testIssuer(t, nil)
	subs := make([]*Submission, 64)
	for k := range subs {
		subs[k] = submission("unknown")
	}
	for range 300 {
		last := 0
		back := false
		is.Batch(context.Background(), subs, &BatchOptions{Concurrency: 8, Progress: func(done, total int) {
			if done < last {
				back = true
			}
			last = done
		}})
		if back || last != len(subs) {
			t.Fatalf("progress went back or stopped short: last %d of %d", last, len(subs))
		}
	}
}
