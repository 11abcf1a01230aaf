package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-openbadges/openbadges/issuer"
	"github.com/go-openbadges/openbadges/status"
)

// The environment of the PostgreSQL tests: OPENBADGES_TEST_POSTGRES is the
// URL of a server whose user may create schemas (.ci/run starts one, see
// .ci/postgres.sh); OPENBADGES_CI=1 makes its absence a failure.
const (
	envPostgres = "OPENBADGES_TEST_POSTGRES"
	envCI       = "OPENBADGES_CI"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// postgresURL returns the test server's URL. Without one, the test fails
// in CI and is skipped, saying how to have one, when run by hand.
func postgresURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(envPostgres)
	if u == "" {
		if os.Getenv(envCI) == "1" {
			t.Fatalf("%s is not set, and %s=1: CI must test on PostgreSQL (.ci/run starts a server)", envPostgres, envCI)
		}
		t.Skipf("no PostgreSQL server: set %s=postgres://USER@HOST:PORT/DB?sslmode=disable (a user who may create schemas), "+
			"or start a throwaway one with: source .ci/postgres.sh && postgres_start", envPostgres)
	}
	return u
}

// freshPostgres returns the URL of a schema of the test's own on the test
// server (as its search_path), dropped when the test ends, so that tests
// never see each other's tables.
func freshPostgres(t testing.TB) string {
	t.Helper()
	base := postgresURL(t)
	u, drop, err := newPostgresSchema(base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := drop(); err != nil {
			t.Error(err)
		}
	})
	return u
}

// newPostgresSchema creates a schema of a random name on the server at
// base, and returns the URL of it (as its search_path) and a function that
// drops it.
func newPostgresSchema(base string) (string, func() error, error) {
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return "", nil, err
	}
	var b [8]byte
	rand.Read(b[:])
	schema := "openbadges_test_" + hex.EncodeToString(b[:])
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("PostgreSQL at %s: %w", Redact(base), err)
	}
	drop := func() error {
		defer admin.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			return fmt.Errorf("dropping schema %s: %w", schema, err)
		}
		return nil
	}
	u, err := url.Parse(base)
	if err != nil {
		drop()
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), drop, nil
}

// sqliteURL returns the URL of a new SQLite file in the test's temporary
// folder.
func sqliteURL(t testing.TB) string {
	return "sqlite:" + filepath.Join(t.TempDir(), "issuer.db")
}

// openURL opens a DB the test closes when it ends.
func openURL(t testing.TB, u string, opts *Options) *DB {
	t.Helper()
	db, err := Open(context.Background(), u, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Error(err)
		}
	})
	return db
}

// stores are the three stores a backend provides.
type stores struct {
	records issuer.RecordSwapper
	review  issuer.ReviewQueue
	status  status.Store
}

// backend is one implementation under test; the memory one is the
// reference whose behaviour the database ones must have.
type backend struct {
	name string
	sql  bool
	// url returns a URL of a fresh, empty database (SQL backends).
	url  func(t testing.TB) string
	open func(t testing.TB, now func() time.Time) stores
}

func sqlBackend(name string, url func(t testing.TB) string) backend {
	return backend{name: name, sql: true, url: url, open: func(t testing.TB, now func() time.Time) stores {
		db := openURL(t, url(t), &Options{Now: now})
		return stores{db.Records(), db.Review(), db.Status()}
	}}
}

var backends = []backend{
	{name: "memory", open: func(t testing.TB, now func() time.Time) stores {
		return stores{&issuer.MemoryRecords{}, &issuer.MemoryQueue{Now: now}, &status.MemoryStore{}}
	}},
	sqlBackend("sqlite", sqliteURL),
	sqlBackend("postgres", freshPostgres),
}

// sqlBackends are the database backends.
func sqlBackends() []backend {
	var out []backend
	for _, b := range backends {
		if b.sql {
			out = append(out, b)
		}
	}
	return out
}
