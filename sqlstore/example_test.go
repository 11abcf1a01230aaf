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
