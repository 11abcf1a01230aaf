// Command lms simulates what an LMS does at the end of a term: a stream of
// course events (a learner finished a course, with a score and a project)
// goes through each achievement's criteria into batch issuance. Awarded
// badges are written as JSON, as baked PNGs, and as the certificates a
// learner shares and prints (an HTML page and a PDF, each carrying the
// credential), with what a verifier needs to check them offline.
//
//	go run ./examples/lms -out DIR [-n 1000] [-seed 1] [-concurrency N] [-db URL -key FILE]
//
// The three courses make a program (an issuer.Pathway): a learner who
// holds all three is awarded the Data Science program the moment the last
// one is awarded, with the three course credentials as its evidence,
// exactly once also when several instances share a database.
//
// It writes:
//
//	DIR/<id>.json          each awarded credential (eddsa-rdfc-2022), programs too
//	DIR/<id>.png           the same, baked into a badge
//	DIR/<id>.html          its certificate page, with the credential embedded
//	DIR/<id>.pdf           its certificate for print, with the credential attached
//	DIR/issuer.json        the issuer's DID and public key (a did:key needs no document to verify)
//	DIR/status-1.json      the signed revocation list the credentials point at
//	DIR/offline-map.json   for `openbadges verify --offline-map DIR/offline-map.json DIR/<id>.png`
//	DIR/summary.json       awarded, denied and in review, in all and per achievement; programs awarded
//	DIR/report.html        the term's report for a funder (package report), and report.json
//
// Events are made up from -seed, so a run is reproducible.
//
// At the end of the term it prints the report of the term's decisions (see
// package report): per course, the awards, denials, reviews and award
// rate, with every count below -min-group (5) shown as <5, so that no
// learner can be picked out. summary.json counts the same things from the
// batch's results, as the records do: a change of state per award, so a
// learner denied twice for a course is one denial (the other is in
// "repeated", with the awards handed back again); for a run on fresh
// records the two agree.
//
// By default the issuer keeps its records and its revocation list in
// memory, for the one run, under a new key. With -db, they are in a
// database that several instances share (sqlite:FILE on one machine,
// postgres://USER@HOST/DB for many; see package sqlstore), and with -key
// the instances share the issuer's key too: run two at once on the same
// events and every award, each program's too, is issued once, by one of
// them, the other handing back the same credential; run again and nothing
// new is issued.
//
//	go run ./examples/lms -out a -db sqlite:lms.db -key issuer.jwk &
//	go run ./examples/lms -out b -db sqlite:lms.db -key issuer.jwk
//
// With -server, the LMS awards into a running examples/issuer-server
// instead (see server.go): each event goes to its POST /awards, and
// DIR/awards.json keeps what to hand each learner, their credential offer
// and the code to sign in to the OB 3.0 API with.
//
//	OPENBADGES_AWARD_TOKEN=… go run ./examples/lms -out DIR -server https://127.0.0.1:8443 -cacert cert.pem
package main

import (
	"bytes"
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/issuer"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
	"github.com/go-openbadges/openbadges/render"
	"github.com/go-openbadges/openbadges/report"
	"github.com/go-openbadges/openbadges/sqlstore"
	"github.com/go-openbadges/openbadges/status"
	"github.com/go-openbadges/openbadges/status/statussign"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "lms:", err)
		os.Exit(1)
	}
}

const statusURL = "https://example.edu/status/1"

// course is an achievement with its criteria.
type course struct {
	id, name, exam string
	criteria       func(exam string) issuer.Evaluator
}

var courses = []course{
	{"https://example.edu/achievements/stats-101", "Statistics 101", "https://example.edu/achievements/stats-101/final",
		func(exam string) issuer.Evaluator {
			return issuer.AllOf(issuer.Completion{}, issuer.AnyOf(
				issuer.MinScore{ResultDescription: exam},
				issuer.ReviewWhen{Evaluator: issuer.MinScore{ResultDescription: exam, Min: "60"}, Reason: "a score from 60% to 70% needs a person"},
			))
		}},
	{"https://example.edu/achievements/data-viz", "Data Visualization", "https://example.edu/achievements/data-viz/final",
		func(exam string) issuer.Evaluator {
			return issuer.AllOf(issuer.Completion{}, issuer.MinScore{ResultDescription: exam}, issuer.RequiredEvidence{Kinds: []string{"project"}})
		}},
	{"https://example.edu/achievements/ml-201", "Machine Learning 201", "https://example.edu/achievements/ml-201/final",
		func(exam string) issuer.Evaluator {
			return issuer.AllOf(issuer.Completion{}, issuer.MinScore{ResultDescription: exam, Min: "75"},
				issuer.Prerequisites{Achievements: []string{"https://example.edu/achievements/stats-101"}})
		}},
}

// program is the pathway over the three courses.
var program = struct{ id, name string }{"https://example.edu/achievements/data-science", "Data Science Program"}

// tally counts outcomes: the changes of state of the awards (as the
// issuer's records keep them, and the report counts them), and the events
// that changed nothing.
type tally struct {
	Awarded  int `json:"awarded"`
	Denied   int `json:"denied"`
	InReview int `json:"inReview"`
	Failed   int `json:"failed"`
	// Repeated counts events that changed no award: the learner had it
	// already (the existing credential was returned, none was issued),
	// it was waiting for review, or it was denied again.
	Repeated int `json:"repeated"`
}

func (t *tally) add(state issuer.State, changed bool, err error) {
	switch {
	case err != nil:
		t.Failed++
	case !changed:
		t.Repeated++
	case state == issuer.StateIssued:
		t.Awarded++
	case state == issuer.StateInReview:
		t.InReview++
	default:
		t.Denied++
	}
}

// changes tells which results changed their award's state in this run.
type changes map[string]bool

// changed reports whether the result is a change of its award's state:
// a new credential, a new review, or the first denial of the award in
// this run (denied again is no change).
func (c changes) changed(is *issuer.Issued) bool {
	switch {
	case is == nil:
		return false
	case is.State == issuer.StateIssued:
		return !is.Existing
	case is.State == issuer.StateInReview:
		return is.Decision.Verdict == issuer.Review
	case is.State == issuer.StateDenied:
		if c[is.AwardKey] {
			return false
		}
		c[is.AwardKey] = true
		return true
	}
	return false // revoked, suspended, rejected: decided before, and standing
}

// summary is DIR/summary.json.
type summary struct {
	Events         int              `json:"events"`
	Seed           uint64           `json:"seed"`
	Issuer         string           `json:"issuer"`
	Total          tally            `json:"total"`
	PerAchievement map[string]tally `json:"perAchievement"`
	// Pathways counts the awards of programs (pathway achievements) the
	// course awards completed, per program: not events, so they are in
	// neither Total nor PerAchievement.
	Pathways map[string]tally `json:"pathways"`
	Seconds  float64          `json:"seconds"`
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("lms", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "directory to write the badges to (created)")
	n := fs.Int("n", 1000, "number of course events")
	seed := fs.Uint64("seed", 1, "seed of the simulated events")
	concurrency := fs.Int("concurrency", 0, "submissions issued at once (default: GOMAXPROCS)")
	dbURL := fs.String("db", "", "keep the records, review queue and revocation list in this database, shared by every instance run on it: sqlite:FILE or postgres://USER@HOST/DB (default: in memory, for this run)")
	minGroup := fs.Int("min-group", report.DefaultMinGroup, "the smallest count the report shows as its number; smaller ones show as <N (1: every count)")
	keyFile := fs.String("key", "", "the issuer's private key, a JWK file, created (0600) if it does not exist; instances sharing a -db share it (default: a new key for this run)")
	remote := remoteFlags(fs) // -server, -cacert: server.go
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || *n < 1 {
		fs.Usage()
		return errors.New("-out is required, and -n must be at least 1")
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	if *remote.server != "" {
		return remote.run(ctx, events(*n, *seed), *out, stdout, stderr)
	}
	start := time.Now()

	// The issuer, its key and its revocation list.
	signer, err := issuerKey(*keyFile)
	if err != nil {
		return err
	}
	did, _ := keys.DIDKey(signer.Public())
	vm, _ := keys.DIDKeyVerificationMethod(signer.Public())
	key, err := keys.NewKey(vm, did, signer)
	if err != nil {
		return err
	}
	store := &keys.MemoryStore{}
	if err := store.Add(ctx, key); err != nil {
		return err
	}
	certs, err := render.New(render.Config{VerifyURL: "https://verify.example.edu/?id={id}"})
	if err != nil {
		return err
	}
	cfg := issuer.Config{
		Issuer:       &credential.Profile{ID: did, Name: "Example University", URL: "https://example.edu"},
		Keys:         store,
		Validity:     4 * 365 * 24 * time.Hour,
		Certificates: issuer.Certificates{Renderer: certs, Forms: render.FormHTML | render.FormPDF},
	}
	var listStore status.Store = &status.MemoryStore{}
	if *dbURL != "" {
		db, err := sqlstore.Open(ctx, *dbURL, nil)
		if err != nil {
			return err
		}
		defer db.Close()
		cfg.Records, cfg.Review, listStore = db.Records(), db.Review(), db.Status()
	}
	lists := &status.Registry{Store: listStore, NextURL: status.NextNumberedURL}
	// Another instance on the same database may have created it.
	if _, err := lists.Create(ctx, statusURL, nil); err != nil && !errors.Is(err, status.ErrExists) {
		return err
	}
	cfg.Status = issuer.StatusConfig{Registry: lists, Bitstring: statusURL}
	for _, c := range courses {
		cfg.Achievements = append(cfg.Achievements, issuer.Achievement{
			Achievement: &credential.Achievement{
				ID: c.id, Name: c.name, Description: "The " + c.name + " course.",
				AchievementType: credential.AchievementTypeCourse,
				Criteria:        &credential.Criteria{Narrative: "Complete the course and pass its final exam."},
				ResultDescription: []credential.ResultDescription{{
					ID: c.exam, Name: "Final exam", ResultType: credential.ResultTypePercent,
					ValueMin: "0", ValueMax: "100", RequiredValue: "70",
				}},
			},
			Evaluator: c.criteria(c.exam),
		})
	}
	// The program: the three courses, in the order they are taken, awarded
	// when the last of them is.
	var ids []string
	for _, c := range courses {
		ids = append(ids, c.id)
	}
	cfg.Achievements = append(cfg.Achievements, issuer.Achievement{
		Achievement: &credential.Achievement{
			ID: program.id, Name: program.name, Description: "The three courses of the data science program.",
			AchievementType: credential.AchievementTypeLearningProgram,
			Criteria:        &credential.Criteria{Narrative: "Earn the badges of Statistics 101, Data Visualization and Machine Learning 201."},
		},
		Pathway: &issuer.Pathway{Of: ids, Ordered: true},
	})
	iss, err := issuer.New(cfg)
	if err != nil {
		return err
	}

	// The term's events, made up from the seed.
	subs := events(*n, *seed)
	bar := newProgress(stderr, len(subs))
	results := iss.Batch(ctx, subs, &issuer.BatchOptions{Concurrency: *concurrency, Progress: bar.update})
	bar.done()

	sum := summary{Events: len(subs), Seed: *seed, Issuer: did, PerAchievement: map[string]tally{}, Pathways: map[string]tally{}}
	img := badgeImage()
	seen := changes{}
	for k, r := range results {
		state := issuer.State("")
		if r.Issued != nil {
			state = r.Issued.State
		}
		changed := seen.changed(r.Issued)
		sum.Total.add(state, changed, r.Err)
		t := sum.PerAchievement[subs[k].AchievementID]
		t.add(state, changed, r.Err)
		sum.PerAchievement[subs[k].AchievementID] = t
		if r.Err != nil {
			fmt.Fprintf(stderr, "event %d: %v\n", k, r.Err)
			if r.Issued == nil {
				continue
			}
		}
		if err := eachPathway(r.Issued, func(p *issuer.Issued) error {
			t := sum.Pathways[p.AchievementID]
			t.add(p.State, seen.changed(p), nil)
			sum.Pathways[p.AchievementID] = t
			if p.State != issuer.StateIssued || p.Existing {
				return nil
			}
			return writeBadge(*out, p, img)
		}); err != nil {
			return err
		}
		if state != issuer.StateIssued || r.Issued.Existing || r.Err != nil {
			continue
		}
		if err := writeBadge(*out, r.Issued, img); err != nil {
			return err
		}
	}

	// What a verifier needs offline: the signed list, and a map to it.
	list, err := lists.Publish(ctx, statusURL, &status.PublishOptions{
		Issuer: did, Validity: 30 * 24 * time.Hour,
		Signer: statussign.DataIntegrity(&dataintegrity.Signer{Key: key.Signer, VerificationMethod: key.ID}, nil),
	})
	if err != nil {
		return err
	}
	pub, _ := keys.PublicKeyMultibase(signer.Public())
	issuerDoc, _ := json.MarshalIndent(map[string]string{"id": did, "verificationMethod": vm, "publicKeyMultibase": pub}, "", "  ")
	sum.Seconds = time.Since(start).Seconds()
	sumJSON, _ := json.MarshalIndent(sum, "", "  ")
	for name, data := range map[string][]byte{
		"status-1.json":    list,
		"offline-map.json": []byte(`{"` + statusURL + `": "status-1.json"}` + "\n"),
		"issuer.json":      append(issuerDoc, '\n'),
		"summary.json":     append(sumJSON, '\n'),
	} {
		if err := os.WriteFile(filepath.Join(*out, name), data, 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "%d events: %d awarded, %d denied, %d in review, %d changed nothing, %d failed; %d programs awarded; in %.1f s; badges in %s\n",
		sum.Events, sum.Total.Awarded, sum.Total.Denied, sum.Total.InReview, sum.Total.Repeated, sum.Total.Failed, sum.Pathways[program.id].Awarded, sum.Seconds, *out)
	return termReport(ctx, iss, start, *minGroup, *out, stdout, stderr)
}

// termReport prints the report of the term's decisions (since start) as
// a table, and writes it as DIR/report.html and DIR/report.json.
func termReport(ctx context.Context, iss *issuer.Issuer, start time.Time, minGroup int, dir string, stdout, stderr io.Writer) error {
	in, ok := iss.Insights()
	if !ok {
		fmt.Fprintln(stderr, "no report: these records cannot answer its questions")
		return nil
	}
	names := map[string]string{}
	for _, c := range courses {
		names[c.id] = c.name
	}
	names[program.id] = program.name
	rep, err := report.Build(ctx, report.Source{Insights: in, Review: iss.ReviewQueue(), Achievements: names, Issuer: "Example University"},
		// An award is recorded at the second its credential is valid from:
		// the term starts at the second it started in.
		report.Options{Since: start.Truncate(time.Second), MinGroup: minGroup})
	if err != nil {
		return err
	}
	var html, js bytes.Buffer
	if err := rep.WriteHTML(&html); err != nil {
		return err
	}
	if err := rep.WriteJSON(&js); err != nil {
		return err
	}
	for name, data := range map[string][]byte{"report.html": html.Bytes(), "report.json": js.Bytes()} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintln(stdout)
	return rep.WriteTable(stdout)
}

// issuerKey returns the issuer's signing key: a new one, or the one in file
// (a private JWK), which it creates, readable by its owner only, if it
// does not exist.
func issuerKey(file string) (crypto.Signer, error) {
	if file == "" {
		return keys.Generate(keys.Ed25519)
	}
	data, err := os.ReadFile(file)
	if err == nil {
		signer, _, err := keys.ParsePrivateJWK(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		return signer, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	signer, err := keys.Generate(keys.Ed25519)
	if err != nil {
		return nil, err
	}
	jwk, err := keys.PrivateJWK(signer, "")
	if err != nil {
		return nil, err
	}
	// Written beside it (CreateTemp makes it 0600) and linked into place,
	// which fails if the name exists: an instance starting at the same
	// moment reads a whole key, never half of one, and both use the
	// first.
	tmp, err := os.CreateTemp(filepath.Dir(file), ".key-*")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(jwk); err != nil {
		tmp.Close()
		return nil, err
	}
	if err := tmp.Close(); err != nil {
		return nil, err
	}
	if err := os.Link(tmp.Name(), file); errors.Is(err, os.ErrExist) {
		return issuerKey(file)
	} else if err != nil {
		return nil, err
	}
	return signer, nil
}

// eachPathway calls f for each pathway award that is made, and those
// they made in turn, depth first.
func eachPathway(is *issuer.Issued, f func(*issuer.Issued) error) error {
	for _, p := range is.Pathways {
		if err := f(p); err != nil {
			return err
		}
		if err := eachPathway(p, f); err != nil {
			return err
		}
	}
	return nil
}

// writeBadge writes an issued credential as DIR/<id>.json and DIR/<id>.png,
// and its certificate as DIR/<id>.html and DIR/<id>.pdf.
func writeBadge(dir string, is *issuer.Issued, img []byte) error {
	var c struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(is.Credential, &c); err != nil {
		return err
	}
	name := strings.TrimPrefix(c.ID, "urn:uuid:")
	baked, err := is.Bake(img)
	if err != nil {
		return err
	}
	for ext, data := range map[string][]byte{
		".json": is.Credential, ".png": baked,
		".html": is.Certificate.HTML, ".pdf": is.Certificate.PDF,
	} {
		if err := os.WriteFile(filepath.Join(dir, name+ext), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// events makes n course events from seed: some n/6 learners finish
// courses (six events each on average, so that some complete the
// program's three), with scores around 72%; most hand in a project, some
// have the prerequisite.
func events(n int, seed uint64) []*issuer.Submission {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	subs := make([]*issuer.Submission, n)
	for k := range subs {
		c := courses[r.IntN(len(courses))]
		learner := r.IntN(n/6 + 1)
		score := min(100, max(0, int(72+r.NormFloat64()*15)))
		s := &issuer.Submission{
			Learner:       issuer.Learner{Email: fmt.Sprintf("learner%d@example.org", learner)},
			AchievementID: c.id,
			Completed:     r.IntN(20) != 0,
			CompletedAt:   time.Now(),
			Scores:        []issuer.Score{{ResultDescription: c.exam, Value: fmt.Sprint(score)}},
		}
		if r.IntN(10) < 8 {
			s.Evidence = []issuer.Evidence{{URL: fmt.Sprintf("https://lms.example.edu/projects/%d", k), Kind: "project", Name: "Course project"}}
		}
		if r.IntN(2) == 0 {
			s.Earned = []string{courses[0].id}
		}
		subs[k] = s
	}
	return subs
}

// progress draws a bar on the terminal.
type progress struct {
	w     io.Writer
	total int
	tty   bool // w is a terminal: redraw one line; else print a line per 10%
	start time.Time
	last  int // the last percentage shown
}

// newProgress reports on w, drawing a bar only when w is a terminal.
func newProgress(w io.Writer, total int) *progress {
	p := &progress{w: w, total: total, start: time.Now(), last: -1}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	return p
}

// update shows done of total, with the rate so far and the time left.
// Batch calls it with done going up by one, never back.
func (p *progress) update(done, total int) {
	pct := done * 100 / total
	step := 1
	if !p.tty {
		step = 10
	}
	if pct/step == p.last/step && done != total {
		return
	}
	p.last = pct
	elapsed := time.Since(p.start).Seconds()
	rate, left := "", ""
	if elapsed > 0 && done > 0 {
		r := float64(done) / elapsed
		rate = fmt.Sprintf(", %.0f/s", r)
		switch secs := float64(total-done) / r; {
		case done == total:
		case secs < 1:
			left = ", under a second left"
		default:
			left = fmt.Sprintf(", about %.0f s left", secs)
		}
	}
	if !p.tty {
		fmt.Fprintf(p.w, "progress: %3d%% %d/%d%s%s\n", pct, done, total, rate, left)
		return
	}
	const width = 40
	fill := done * width / total
	// \033[K clears what a longer line left.
	fmt.Fprintf(p.w, "\r[%s%s] %3d%% %d/%d%s%s\033[K", strings.Repeat("#", fill), strings.Repeat(" ", width-fill), pct, done, total, rate, left)
}

// done ends the bar's line on a terminal.
func (p *progress) done() {
	if p.tty {
		fmt.Fprintln(p.w)
	}
}

// badgeImage draws the badge the credentials are baked into.
func badgeImage() []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 64, 64))
	for y := range 64 {
		for x := range 64 {
			if dx, dy := x-32, y-32; dx*dx+dy*dy < 30*30 {
				img.Set(x, y, color.NRGBA{R: 0xb5, G: 0x4f, B: 0x1f, A: 0xff})
			}
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return buf.Bytes()
}
