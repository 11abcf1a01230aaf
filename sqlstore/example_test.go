package sqlstore_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/issuer"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/sqlstore"
	"github.com/go-openbadges/openbadges/status"
)

// An issuer whose records, review queue and revocation list are in a
// SQLite file: another instance opening the same file (or, with a
// postgres:// URL, the same PostgreSQL database) shares them, and hands
// out the same credential for the same award.
func ExampleOpen() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "sqlstore-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)

	db, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(dir, "issuer.db"), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()

	const listURL = "https://example.edu/status/1"
	registry := &status.Registry{Store: db.Status(), NextURL: status.NextNumberedURL}
	if _, err := registry.Create(ctx, listURL, nil); err != nil && !errors.Is(err, status.ErrExists) {
		fmt.Println(err) // another instance may have created it
		return
	}
	signer := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{4}, 32)) // keys.Generate in real code
	did, _ := keys.DIDKey(signer.Public())
	vm, _ := keys.DIDKeyVerificationMethod(signer.Public())
	key, _ := keys.NewKey(vm, did, signer)
	store := &keys.MemoryStore{}
	if err := store.Add(ctx, key); err != nil {
		fmt.Println(err)
		return
	}
	cfg := issuer.Config{
		Issuer: &credential.Profile{ID: did, Name: "Example University"},
		Keys:   store,
		Achievements: []issuer.Achievement{{
			Achievement: &credential.Achievement{
				ID: "https://example.edu/achievements/go", Name: "Introduction to Go",
				Description: "Completed the introductory Go course.",
				Criteria:    &credential.Criteria{Narrative: "Finish the course."},
			},
			Evaluator: issuer.Completion{},
		}},
		Records: db.Records(),
		Review:  db.Review(),
		Status:  issuer.StatusConfig{Registry: registry, Bitstring: listURL},
	}
	iss, err := issuer.New(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	s := &issuer.Submission{
		Learner:       issuer.Learner{Email: "ada@example.org"},
		AchievementID: "https://example.edu/achievements/go",
		Completed:     true,
	}
	out, err := iss.Issue(ctx, s)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(out.State, "existing:", out.Existing)

	// A second instance on the same database.
	db2, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(dir, "issuer.db"), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db2.Close()
	cfg.Records, cfg.Review = db2.Records(), db2.Review()
	cfg.Status.Registry = &status.Registry{Store: db2.Status()}
	iss2, err := issuer.New(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	again, err := iss2.Issue(ctx, s)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(again.State, "existing:", again.Existing, "same credential:", bytes.Equal(again.Credential, out.Credential))
	list, _ := db2.Status().Load(ctx, listURL)
	fmt.Println("status indices allocated:", list.AllocatedCount())
	// Output:
	// issued existing: false
	// issued existing: true same credential: true
	// status indices allocated: 1
}

// A program that manages its own connection pool (here to a SQLite file,
// with the driver sqlstore registers) hands it to OpenDB, which creates
// the tables in it and leaves the pool open on Close.
func ExampleOpenDB() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "sqlstore-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	pool, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "app.db")+"?_journal_mode=WAL")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer pool.Close()

	db, err := sqlstore.OpenDB(ctx, pool, sqlstore.SQLite, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()
	rec := &issuer.Record{AwardKey: "3f2a", AchievementID: "https://example.edu/achievements/go", State: issuer.StateDenied}
	fmt.Println(db.Records().Create(ctx, rec))
	fmt.Println(errors.Is(db.Records().Create(ctx, rec), issuer.ErrRecordExists))
	// Output:
	// <nil>
	// true
}

// Counts per month in the issuer's time zone, from the records' histories
// (which an Issuer writes as it decides), and every decision for a
// spreadsheet, a page at a time.
func ExampleRecords_Counts() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "sqlstore-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	db, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(dir, "issuer.db"), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()

	// Two learners' records, as an Issuer leaves them.
	berlin := time.FixedZone("CET", 3600) // time.LoadLocation("Europe/Berlin") in real code
	at := func(day, hour int) time.Time { return time.Date(2026, 1, day, hour, 0, 0, 0, berlin) }
	for k, r := range []*issuer.Record{
		{AchievementID: "https://example.edu/achievements/go", State: issuer.StateIssued, Submitted: at(30, 9),
			History: []issuer.Event{{At: at(32, 0), State: issuer.StateIssued}}}, // February in Berlin, January in UTC
		{AchievementID: "https://example.edu/achievements/go", State: issuer.StateIssued, Submitted: at(30, 9),
			History: []issuer.Event{
				{At: at(30, 10), State: issuer.StateInReview},
				{At: at(33, 11), From: issuer.StateInReview, State: issuer.StateIssued, By: "grace"},
			}},
	} {
		r.AwardKey, r.Updated = fmt.Sprint("key", k), r.History[len(r.History)-1].At
		if err := db.Records().Create(ctx, r); err != nil {
			fmt.Println(err)
			return
		}
	}

	q := issuer.InsightQuery{Since: at(1, 0), Until: at(60, 0), Period: issuer.PeriodMonth, Location: berlin}
	for {
		page, err := db.Records().Counts(ctx, q)
		if err != nil {
			fmt.Println(err)
			return
		}
		for _, c := range page.Counts {
			fmt.Println(c.Period.Format("2006-01"), c.State, c.N)
		}
		if page.Next == "" {
			break
		}
		q.After = page.Next
	}
	times, err := db.Records().TimeToAward(ctx, q)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("median time to award:", times[0].Median)

	export, err := db.Records().Decisions(ctx, issuer.InsightQuery{Limit: 100})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range export.Decisions {
		line := fmt.Sprintf("%s %s %s->%s", d.At.Format(time.RFC3339), d.AwardKey, d.From, d.State)
		if d.By != "" {
			line += " by " + d.By
		}
		fmt.Println(line)
	}
	// Output:
	// 2026-01 in-review 1
	// 2026-02 issued 2
	// median time to award: 39h0m0s
	// 2026-01-30T09:00:00Z key1 ->in-review
	// 2026-01-31T23:00:00Z key0 ->issued
	// 2026-02-02T10:00:00Z key1 in-review->issued by grace
}
