package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/issuer"
	"github.com/go-openbadges/openbadges/status"
)

func TestParseURL(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		url     string
		dialect Dialect
		target  string
		errText string // the error's text has this, and none of the URL's secrets
	}{
		{url: "sqlite:issuer.db", dialect: SQLite, target: filepath.Join(wd, "issuer.db")},
		{url: "sqlite:/var/lib/badges/issuer.db", dialect: SQLite, target: "/var/lib/badges/issuer.db"},
		{url: "sqlite:///var/lib/badges/issuer.db", dialect: SQLite, target: "/var/lib/badges/issuer.db"},
		{url: "sqlite://localhost/var/lib/issuer.db", dialect: SQLite, target: "/var/lib/issuer.db"},
		{url: "sqlite:dir with space/a b.db", dialect: SQLite, target: filepath.Join(wd, "dir with space/a b.db")},
		{url: "postgres://u:s3cret@db.example:5432/badges?sslmode=require", dialect: PostgreSQL, target: "postgres://u:s3cret@db.example:5432/badges?sslmode=require"},
		{url: "postgresql://db.example/badges", dialect: PostgreSQL, target: "postgresql://db.example/badges"},
		{url: "sqlite::memory:", errText: "in-memory"},
		{url: "sqlite:file::memory:?cache=shared", errText: "in-memory"},
		{url: "sqlite:", errText: "needs a file name"},
		{url: "sqlite:x.db?_pragma=foo", errText: "?, # or NUL"},
		{url: "sqlite://db.example/x.db", errText: "names a local file"},
		{url: "file:issuer.db", errText: `scheme "file": want sqlite:FILE`},
		{url: "sqlite3:issuer.db", errText: `scheme "sqlite3": want sqlite:FILE`},
		{url: "mysql://u:s3cret@db.example/badges", errText: `scheme "mysql": want sqlite:FILE or postgres://`},
		{url: "issuer.db", errText: "want sqlite:FILE or postgres://"},
		{url: "", errText: "want sqlite:FILE or postgres://"},
		{url: "postgres:badges", errText: "want postgres://HOST/DATABASE"},
		{url: "p@ss w0rd://x", errText: "want sqlite:FILE or postgres://"},
	} {
		d, target, err := parseURL(tc.url)
		switch {
		case tc.errText != "":
			if !errors.Is(err, ErrURL) || !strings.Contains(err.Error(), tc.errText) {
				t.Errorf("parseURL(%q): %v, want ErrURL saying %q", tc.url, err, tc.errText)
			}
			if err != nil && (strings.Contains(err.Error(), "s3cret") || strings.Contains(err.Error(), "w0rd")) {
				t.Errorf("parseURL(%q): the error shows a secret: %v", tc.url, err)
			}
		case err != nil || d != tc.dialect || target != tc.target:
			t.Errorf("parseURL(%q) = %q, %q, %v; want %q, %q", tc.url, d, target, err, tc.dialect, tc.target)
		}
	}
}

func TestRedact(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"postgres://u:s3cret@db.example:5432/badges?sslmode=disable", "postgres://u:xxxxx@db.example:5432/badges?sslmode=disable"},
		{"postgres://u@db.example/badges", "postgres://u@db.example/badges"},
		{"postgres://db.example/badges?user=u&password=s3cret", "postgres://db.example/badges?password=xxxxx&user=u"},
		{"postgres://db.example/badges?sslpassword=s3cret", "postgres://db.example/badges?sslpassword=xxxxx"},
		{"postgres://u:s3cret@db.example:bad port/x", "(a database URL that does not parse)"},
		{"sqlite:/var/lib/issuer.db", "sqlite:/var/lib/issuer.db"},
	} {
		if got := Redact(tc.in); got != tc.want {
			t.Errorf("Redact(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestOpenErrors checks that what Open refuses says why, and never shows
// the password of a PostgreSQL URL, whether pgx cannot parse the URL or
// cannot connect.
func TestOpenErrors(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, tc := range []struct {
		url  string
		want string
	}{
		{"postgres://u:s3cret@127.0.0.1:1/x?sslmode=disable&connect_timeout=5", "(database postgres://u:xxxxx@127.0.0.1:1/x?"},
		{"postgres://u@127.0.0.1:1/x?sslmode=disable&password=s3cret", "password=xxxxx"},
		{"postgres://u:s3cret@127.0.0.1:99999999/x", "sqlstore: unsupported database URL: "},
		{"postgres://u:s3cret@127.0.0.1/x?sslmode=sometimes", "sqlstore: unsupported database URL: postgres://u:xxxxx@127.0.0.1/x?sslmode=sometimes: "},
		{"postgres://u:s3cret@127.0.0.1/x?connect_timeout=s3cret", "sqlstore: unsupported database URL: postgres://u:xxxxx@127.0.0.1/x?connect_timeout=s3cret: it cannot be parsed"},
		{"sqlite:" + filepath.Join(t.TempDir(), "no such folder", "x.db"), "no such file or directory"},
	} {
		db, err := Open(ctx, tc.url, nil)
		if err == nil {
			db.Close()
			t.Errorf("Open(%q): no error", tc.url)
			continue
		}
		msg := strings.ReplaceAll(err.Error(), "connect_timeout=s3cret", "")
		if !strings.Contains(err.Error(), tc.want) || strings.Contains(msg, "s3cret") {
			t.Errorf("Open(%q): %v\nwant it to say %q, and no password", tc.url, err, tc.want)
		}
	}
}

// TestSQLiteFile checks the SQLite file: created readable by its owner only,
// in WAL mode, and opened again as it is.
func TestSQLiteFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "issuer.db")
	db := openURL(t, "sqlite:"+path, nil)
	if err := db.Records().Put(ctx, issuedRecord("k1")); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the database file's mode: %v %v", fi.Mode(), err)
	}
	var mode string
	if err := db.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal mode %q %v, want wal", mode, err)
	}
	if fi, err := os.Stat(path + "-wal"); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the WAL file's mode: %v %v", fi.Mode(), err)
	}
	again := openURL(t, "sqlite:"+path, nil)
	if r, err := again.Records().Get(ctx, "k1"); err != nil || !cmp.Equal(r, issuedRecord("k1")) {
		t.Errorf("the record, read through a second DB: %v %s", err, cmp.Diff(issuedRecord("k1"), r))
	}
	// A file name is taken as it is, whatever a URL would make of it.
	odd := filepath.Join(t.TempDir(), "a b%20c;d.db")
	openURL(t, "sqlite:"+odd, nil)
	if _, err := os.Stat(odd); err != nil {
		t.Errorf("sqlite:%s: %v", odd, err)
	}
}

// TestOpenDB uses pools the caller opened and keeps open.
func TestOpenDB(t *testing.T) {
	ctx := context.Background()
	// Each pool is opened with the subtest's t: freshPostgres skips (or,
	// in CI, fails) the test it is given when there is no server.
	pools := map[Dialect]func(t *testing.T) (*sql.DB, error){
		SQLite: func(t *testing.T) (*sql.DB, error) {
			return sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "x.db")+"?_journal_mode=WAL")
		},
		PostgreSQL: func(t *testing.T) (*sql.DB, error) { return sql.Open("pgx", freshPostgres(t)) },
	}
	for _, d := range []Dialect{SQLite, PostgreSQL} {
		t.Run(string(d), func(t *testing.T) {
			pool, err := pools[d](t)
			if err != nil {
				t.Fatal(err)
			}
			defer pool.Close()
			db, err := OpenDB(ctx, pool, d, nil)
			if err != nil {
				t.Fatal(err)
			}
			if db.Dialect() != d {
				t.Errorf("Dialect() = %q", db.Dialect())
			}
			if err := db.Records().Create(ctx, issuedRecord("k1")); err != nil {
				t.Fatal(err)
			}
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			if err := pool.PingContext(ctx); err != nil {
				t.Errorf("Close closed the caller's pool: %v", err)
			}
			var n int
			if err := pool.QueryRowContext(ctx, "SELECT count(*) FROM openbadges_records").Scan(&n); err != nil || n != 1 {
				t.Errorf("%d records, %v", n, err)
			}
		})
	}
	if _, err := OpenDB(ctx, nil, SQLite, nil); err == nil {
		t.Error("OpenDB(nil): no error")
	}
	pool, _ := sql.Open("sqlite", filepath.Join(t.TempDir(), "y.db"))
	defer pool.Close()
	if _, err := OpenDB(ctx, pool, "mysql", nil); err == nil || !strings.Contains(err.Error(), `unknown dialect "mysql"`) {
		t.Errorf("OpenDB with an unknown dialect: %v", err)
	}
}

// TestMigrate opens one new database from many goroutines at once, and
// then refuses it once it claims a schema version newer than the
// package's.
func TestMigrate(t *testing.T) {
	for _, b := range sqlBackends() {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			u := b.url(t)
			dbs := make([]*DB, 8)
			var wg sync.WaitGroup
			for k := range dbs {
				wg.Go(func() {
					var err error
					if dbs[k], err = Open(ctx, u, &Options{MaxOpenConns: 2}); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
			for _, db := range dbs {
				if db != nil {
					defer db.Close()
				}
			}
			if t.Failed() {
				t.FailNow()
			}
			db := dbs[0]
			var versions []int
			rows, err := db.db.QueryContext(ctx, "SELECT version FROM openbadges_schema_version ORDER BY version")
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var v int
				rows.Scan(&v)
				versions = append(versions, v)
			}
			rows.Close()
			var want []int
			for v := 1; v <= SchemaVersion; v++ {
				want = append(want, v)
			}
			if d := cmp.Diff(want, versions); d != "" {
				t.Errorf("schema versions (-want +got):\n%s", d)
			}
			if err := dbs[3].Records().Put(ctx, issuedRecord("k1")); err != nil {
				t.Fatal(err)
			}
			if _, err := dbs[5].Records().Get(ctx, "k1"); err != nil {
				t.Errorf("a record written through one DB, read through another: %v", err)
			}

			if _, err := db.db.ExecContext(ctx, rebind(db.dialect, "INSERT INTO openbadges_schema_version (version, applied_at) VALUES ($1, 'later')"), SchemaVersion+1); err != nil {
				t.Fatal(err)
			}
			_, err = Open(ctx, u, nil)
			if !errors.Is(err, ErrSchemaVersion) || !strings.Contains(err.Error(), fmt.Sprintf("schema version %d, this program knows versions up to %d", SchemaVersion+1, SchemaVersion)) {
				t.Errorf("Open of a newer schema: %v", err)
			}
		})
	}
}

// TestMigrations checks the embedded migrations of each dialect: numbered
// 1, 2, … up to SchemaVersion, creating the same tables.
func TestMigrations(t *testing.T) {
	for _, d := range []Dialect{SQLite, PostgreSQL} {
		ms, err := migrations(d)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != SchemaVersion {
			t.Errorf("%s: %d migrations, want %d", d, len(ms), SchemaVersion)
		}
		for _, table := range []string{"openbadges_records", "openbadges_review", "openbadges_status_lists", "openbadges_review_pending"} {
			if !strings.Contains(ms[0].sql, table+" ") {
				t.Errorf("%s: migration 1 does not create %s", d, table)
			}
		}
	}
}

// TestCancelled checks that every method returns the context's error when
// the context is done before it starts.
func TestCancelled(t *testing.T) {
	for _, b := range sqlBackends() {
		t.Run(b.name, func(t *testing.T) {
			s := b.open(t, nil)
			setup := context.Background()
			if err := s.records.Create(setup, issuedRecord("k1")); err != nil {
				t.Fatal(err)
			}
			if err := s.status.Create(setup, newList(t, listURL, nil)); err != nil {
				t.Fatal(err)
			}
			id, err := s.review.Submit(setup, reviewItem("a", "65"))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			calls := map[string]func() error{
				"Records.Get":    func() error { _, err := s.records.Get(ctx, "k1"); return err },
				"Records.Create": func() error { return s.records.Create(ctx, issuedRecord("k2")) },
				"Records.Put":    func() error { return s.records.Put(ctx, issuedRecord("k2")) },
				"Records.Swap":   func() error { return s.records.Swap(ctx, issuedRecord("k1"), issuer.StateIssued) },
				"Records.List":   func() error { _, err := s.records.List(ctx, issuer.Filter{}); return err },
				"Records.Counts": func() error {
					_, err := s.records.(issuer.Insights).Counts(ctx, issuer.InsightQuery{})
					return err
				},
				"Records.TimeToAward": func() error {
					_, err := s.records.(issuer.Insights).TimeToAward(ctx, issuer.InsightQuery{})
					return err
				},
				"Records.Decisions": func() error {
					_, err := s.records.(issuer.Insights).Decisions(ctx, issuer.InsightQuery{})
					return err
				},
				"Review.Submit":  func() error { _, err := s.review.Submit(ctx, reviewItem("b", "65")); return err },
				"Review.Pending": func() error { _, err := s.review.Pending(ctx); return err },
				"Review.Get":     func() error { _, err := s.review.Get(ctx, id); return err },
				"Review.Resolve": func() error {
					_, err := s.review.Resolve(ctx, id, issuer.Resolution{Reviewer: "rita"})
					return err
				},
				"Status.Create": func() error { return s.status.Create(ctx, newList(t, list2URL, nil)) },
				"Status.Load":   func() error { _, err := s.status.Load(ctx, listURL); return err },
				"Status.Update": func() error {
					return s.status.Update(ctx, listURL, func(l *status.List) error { return l.Allocated.Set(1, true) })
				},
				"Status.URLs": func() error { _, err := s.status.URLs(ctx); return err },
			}
			for name, call := range calls {
				if err := call(); !errors.Is(err, context.Canceled) {
					t.Errorf("%s: %v, want context.Canceled", name, err)
				}
			}
			// Nothing was changed.
			if r, _ := s.records.List(setup, issuer.Filter{}); len(r) != 1 {
				t.Errorf("%d records", len(r))
			}
			if l, _ := s.status.Load(setup, listURL); l.Revision != 0 {
				t.Errorf("the list has revision %d", l.Revision)
			}
			if it, _ := s.review.Get(setup, id); it.Resolved != nil {
				t.Error("the review item was resolved")
			}
		})
	}
}

// TestDeadlineWhileLocked holds the lock an Update needs (the list's row in
// PostgreSQL, the write lock in SQLite) from another connection, and
// checks that the Update gives up at its context's deadline, changing
// nothing, and succeeds once the lock is released.
func TestDeadlineWhileLocked(t *testing.T) {
	for _, b := range sqlBackends() {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			u := b.url(t)
			db := openURL(t, u, nil)
			if err := db.Status().Create(ctx, newList(t, listURL, nil)); err != nil {
				t.Fatal(err)
			}
			// Another instance, holding the lock.
			other := openURL(t, u, nil)
			conn, err := other.db.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			lock := "BEGIN IMMEDIATE"
			if db.dialect == PostgreSQL {
				lock = "BEGIN"
			}
			if _, err := conn.ExecContext(ctx, lock); err != nil {
				t.Fatal(err)
			}
			if db.dialect == PostgreSQL {
				if _, err := conn.ExecContext(ctx, "SELECT list FROM openbadges_status_lists WHERE url = $1 FOR UPDATE", listURL); err != nil {
					t.Fatal(err)
				}
			}
			reg := &status.Registry{Store: db.Status()}
			short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
			defer cancel()
			start := time.Now()
			_, err = reg.Allocate(short, listURL)
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("Allocate while the list is locked: %v, want context.DeadlineExceeded", err)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("Allocate gave up after %s", d)
			}
			if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
				t.Fatal(err)
			}
			if l, err := db.Status().Load(ctx, listURL); err != nil || l.Revision != 0 {
				t.Errorf("after the timed-out Allocate: revision %d, %v", l.Revision, err)
			}
			if _, err := reg.Allocate(ctx, listURL); err != nil {
				t.Errorf("Allocate once the lock is released: %v", err)
			}
		})
	}
}

// TestLimits checks that what is too large to store is refused, with
// ErrValueTooLarge, and so is a credential that is not JSON.
func TestLimits(t *testing.T) {
	for _, b := range sqlBackends() {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			s := b.open(t, nil)
			long := strings.Repeat("k", MaxAwardKeyBytes+1)
			big := issuedRecord("k1")
			big.Credential = json.RawMessage(`"` + strings.Repeat("x", MaxRecordBytes) + `"`)
			bigReasons := record("k1", "urn:a", issuer.StateDenied)
			bigReasons.Reasons = []string{strings.Repeat("r", MaxRecordBytes)}
			bigItem := reviewItem("a", "65")
			bigItem.Submission.Evidence[0].Text = strings.Repeat("e", MaxReviewItemBytes)
			for name, err := range map[string]error{
				"a long award key":        s.records.Create(ctx, record(long, "urn:a", issuer.StateDenied)),
				"a large credential":      s.records.Put(ctx, big),
				"a large record":          s.records.Put(ctx, bigReasons),
				"a long award key (swap)": s.records.Swap(ctx, record(long, "urn:a", issuer.StateDenied), issuer.StateDenied),
				"a large review item":     func() error { _, err := s.review.Submit(ctx, bigItem); return err }(),
				"a long review award key": func() error { _, err := s.review.Submit(ctx, reviewItem(long, "65")); return err }(),
			} {
				if !errors.Is(err, ErrValueTooLarge) {
					t.Errorf("%s: %v, want ErrValueTooLarge", name, err)
				}
			}
			notJSON := issuedRecord("k1")
			notJSON.Credential = json.RawMessage(`{"a":`)
			if err := s.records.Create(ctx, notJSON); err == nil || !strings.Contains(err.Error(), "not JSON") {
				t.Errorf("a credential that is not JSON: %v", err)
			}
			if err := s.records.Create(ctx, record("", "urn:a", issuer.StateDenied)); err == nil {
				t.Error("a record without an award key: accepted")
			}
			if rs, _ := s.records.List(ctx, issuer.Filter{}); len(rs) != 0 {
				t.Errorf("%d records stored", len(rs))
			}
		})
	}
}

// TestCredentialBytes checks that a credential is kept byte for byte, even
// where JSON would let an encoder change it (white space, escapes).
func TestCredentialBytes(t *testing.T) {
	for _, b := range sqlBackends() {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			s := b.open(t, nil)
			const cred = "{ \"a\" : \"<b>&amp;</b>\\u003c\",\n  \"n\": 1.50e0 }"
			r := issuedRecord("k1")
			r.Credential = json.RawMessage(cred)
			if err := s.records.Create(ctx, r); err != nil {
				t.Fatal(err)
			}
			got, err := s.records.Get(ctx, "k1")
			if err != nil || string(got.Credential) != cred {
				t.Errorf("Get: %v %q, want %q", err, got.Credential, cred)
			}
			rs, err := s.records.List(ctx, issuer.Filter{})
			if err != nil || len(rs) != 1 || string(rs[0].Credential) != cred {
				t.Errorf("List: %v %+v", err, rs)
			}
		})
	}
}

// TestOpenNewFileTogether opens one new SQLite file from many DBs at the
// same moment, again and again. Switching a new file to WAL mode takes a
// lock SQLite does not wait for; with the switch in every pool
// connection's settings, this test failed with SQLITE_BUSY within a few
// rounds (and TestMigrate once in about 300 runs).
func TestOpenNewFileTogether(t *testing.T) {
	ctx := context.Background()
	for round := range 20 {
		name := filepath.Join(t.TempDir(), fmt.Sprintf("r%d.db", round))
		var wg sync.WaitGroup
		start := make(chan struct{})
		for range 16 {
			wg.Go(func() {
				<-start
				db, err := Open(ctx, "sqlite:"+name, &Options{MaxOpenConns: 2})
				if err != nil {
					t.Errorf("round %d: %v", round, err)
					return
				}
				if err := db.db.PingContext(ctx); err != nil {
					t.Errorf("round %d: %v", round, err)
				}
				db.Close()
			})
		}
		close(start)
		wg.Wait()
		if t.Failed() {
			return
		}
	}
}

// TestMigrateScrubsLearners: a database whose records were written before
// schema version 2, holding learners' email addresses and names, keeps
// only their ids once opened by this version; what the Issuer needs (the
// award key, the state, the credential) is untouched.
func TestMigrateScrubsLearners(t *testing.T) {
	for _, b := range sqlBackends() {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			u := b.url(t)
			old := issuedRecord("k1")
			old.Learner = issuer.Learner{ID: "did:example:ada", Email: "ada@example.org", Name: "Ada Lovelace", Plain: true}
			kept := issuedRecord("k2")
			kept.Learner = issuer.Learner{ID: "did:example:bob"}
			oldDatabase(t, u, 1, old, kept)

			db, err := Open(ctx, u, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			var raw []byte
			if err := db.db.QueryRowContext(ctx, rebind(db.dialect, "SELECT record FROM openbadges_records WHERE award_key = $1"), "k1").Scan(&raw); err != nil {
				t.Fatal(err)
			}
			for _, secret := range []string{"ada@example.org", "Ada Lovelace"} {
				if strings.Contains(string(raw), secret) {
					t.Errorf("the migrated record keeps %q: %s", secret, raw)
				}
			}
			for _, want := range []*issuer.Record{old, kept} {
				got, err := db.Records().Get(ctx, want.AwardKey)
				if err != nil {
					t.Fatal(err)
				}
				w := *want
				w.Learner = issuer.Learner{ID: want.Learner.ID}
				if diff := cmp.Diff(&w, got); diff != "" {
					t.Errorf("%s after the migration (-want +got):\n%s", want.AwardKey, diff)
				}
			}
		})
	}
}

// oldDatabase gives the empty database at u the schema of version v, as a
// program of that version would have created it, with the records recs in
// it as that program wrote them (from version 3, with their events, and
// at versions 3 and 4 with when they were submitted and first awarded).
func oldDatabase(t testing.TB, u string, v int, recs ...*issuer.Record) {
	t.Helper()
	ctx := context.Background()
	db, d := openRaw(t, u)
	defer db.Close()
	ms, err := migrations(d)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `CREATE TABLE openbadges_schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	for _, m := range ms[:v] {
		if _, err := db.ExecContext(ctx, m.sql); err != nil {
			t.Fatalf("%s: %v", m.name, err)
		}
		if _, err := db.ExecContext(ctx, rebind(d, `INSERT INTO openbadges_schema_version (version, applied_at) VALUES ($1, 'earlier')`), m.version); err != nil {
			t.Fatal(err)
		}
	}
	insert := rebind(d, `INSERT INTO openbadges_records (award_key, achievement_id, state, record, credential) VALUES ($1, $2, $3, $4, $5)`)
	if v >= 3 && v < 5 {
		insert = rebind(d, `INSERT INTO openbadges_records (award_key, achievement_id, state, record, credential, submitted, first_award)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`)
	}
	insertEvent := rebind(d, `INSERT INTO openbadges_events (at, award_key, state, from_state, by_whom, achievement_id, learner_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for _, r := range recs {
		args, err := recordArgs(r)
		if err != nil {
			t.Fatal(err)
		}
		args = args[:5]
		if v >= 3 && v < 5 {
			var submitted, firstAward any
			if !r.Submitted.IsZero() {
				submitted = r.Submitted.UnixNano()
			}
			if at, ok := r.FirstAward(); ok {
				firstAward = at.UnixNano()
			}
			args = append(args, submitted, firstAward)
		}
		if _, err := tx.ExecContext(ctx, insert, args...); err != nil {
			t.Fatal(err)
		}
		if v < 3 {
			continue
		}
		for _, e := range events(r) {
			if _, err := tx.ExecContext(ctx, insertEvent, e.at, r.AwardKey, e.state, e.from, e.by, e.achievement, e.whom); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// TestMigrateScrubsReviews: review items resolved before schema version 4
// keep the learner's email address and name; opened by this version, they
// keep only the id, and pending items keep everything (an approval issues
// with them).
func TestMigrateScrubsReviews(t *testing.T) {
	for _, b := range sqlBackends() {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			u := b.url(t)
			// A database of version 3, its items resolved as the earlier
			// program did: left whole.
			oldDatabase(t, u, 3)
			raw, d := openRaw(t, u)
			learner := issuer.Learner{ID: "did:example:ada", Email: "ada@example.org", Name: "Ada Lovelace"}
			ids := []string{"urn:uuid:resolved", "urn:uuid:pending"}
			res, _ := json.Marshal(issuer.Resolution{Approve: true, Reviewer: "grace", At: t0})
			for k, key := range []string{"resolved", "pending"} {
				item, _ := json.Marshal(reviewJSON{Submission: issuer.Submission{Learner: learner, AchievementID: "https://example.edu/a"}, Created: t0, AwardKey: key})
				var resolution any
				if k == 0 {
					resolution = res
				}
				if _, err := raw.ExecContext(ctx, rebind(d, "INSERT INTO openbadges_review (id, award_key, item, resolution) VALUES ($1, $2, $3, $4)"),
					ids[k], key, item, resolution); err != nil {
					t.Fatal(err)
				}
			}
			raw.Close()

			db, err := Open(ctx, u, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			got, err := db.Review().Get(ctx, ids[0])
			if err != nil || got.Submission.Learner != (issuer.Learner{ID: "did:example:ada"}) || got.Resolved == nil {
				t.Errorf("resolved item after the migration: learner %+v, resolved %v, %v", got.Submission.Learner, got.Resolved, err)
			}
			got, err = db.Review().Get(ctx, ids[1])
			if err != nil || got.Submission.Learner != learner {
				t.Errorf("pending item after the migration: learner %+v, %v; want it whole", got.Submission.Learner, err)
			}
		})
	}
}

// openRaw opens a pool on the database at u, with no migration.
func openRaw(t testing.TB, u string) (*sql.DB, Dialect) {
	t.Helper()
	d, target, err := parseURL(u)
	if err != nil {
		t.Fatal(err)
	}
	driver := "pgx"
	if d == SQLite {
		driver, target = "sqlite", "file:"+target
	}
	db, err := sql.Open(driver, target)
	if err != nil {
		t.Fatal(err)
	}
	return db, d
}
