package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"modernc.org/sqlite" // also the "sqlite" database/sql driver
)

// A Dialect names a database engine.
type Dialect string

// The engines a DB works on.
const (
	// SQLite through modernc.org/sqlite, whose database/sql driver is
	// named "sqlite".
	SQLite Dialect = "sqlite"
	// PostgreSQL through github.com/jackc/pgx/v5/stdlib, whose
	// database/sql driver is named "pgx".
	PostgreSQL Dialect = "postgres"
)

// Errors of Open and OpenDB, for callers to branch on with errors.Is.
var (
	// ErrURL: the database URL is not one Open takes: an unknown scheme,
	// an in-memory SQLite database, a URL that does not parse.
	ErrURL = errors.New("sqlstore: unsupported database URL")
	// ErrSchemaVersion: the database's schema is newer than this package
	// knows (a newer program migrated it); it is not written to.
	ErrSchemaVersion = errors.New("sqlstore: the database schema is newer than this program")
	// ErrTooLarge: a record, review item, award key or OID4VCI entry
	// larger than the limits below, or a stored value larger than them.
	ErrTooLarge = errors.New("sqlstore: value too large")
)

// Limits on what is stored, and read back.
const (
	// MaxAwardKeyBytes bounds an award key.
	MaxAwardKeyBytes = 1024
	// MaxRecordBytes bounds a record: its JSON without the credential,
	// and the credential, each.
	MaxRecordBytes = 16 << 20
	// MaxReviewItemBytes bounds a review item's JSON (the submission with
	// its evidence, the decision) and a resolution's.
	MaxReviewItemBytes = 16 << 20
)

// Options configure Open and OpenDB. The zero Options are ready to use.
type Options struct {
	// Now returns the current time, for review items and resolutions
	// given no time. If nil, time.Now.
	Now func() time.Time
	// MaxOpenConns bounds the connections Open's pool opens (OpenDB leaves
	// the caller's pool as it is). If zero, 8 for PostgreSQL, and for
	// SQLite GOMAXPROCS, at least 4 (writes take one at a time).
	MaxOpenConns int
	// BusyTimeout is how long a SQLite write waits for another process
	// to release the database's write lock before it fails (the context
	// may end the wait sooner). If zero, 30 seconds.
	BusyTimeout time.Duration
}

// A DB holds an issuer's records, review queue and status lists in one SQL
// database. It is safe for concurrent use, and several DBs, in one process
// or many, may share one database.
type DB struct {
	db      *sql.DB
	dialect Dialect
	own     bool // Close closes db
	now     func() time.Time
	q       *queries

	// SQLite: write transactions take turns within the process, rather
	// than wait on the file lock.
	writeTurn chan struct{}
	busyMS    int64
	setBusy   bool // the pool is the caller's: set busy_timeout per write

	records *Records
	review  *ReviewQueue
	status  *StatusStore
	oid4vci *OID4VCIStore
}

// Open opens the database at rawURL, creates or migrates its tables, and
// returns a DB whose pool it owns (Close closes it). rawURL is one of:
//
//	sqlite:FILE            a SQLite database file (created, mode 0600, if it
//	                       does not exist; its folder must); FILE is taken
//	                       as it is, relative to the working directory
//	sqlite:///ABS/PATH     the same, as a URL
//	postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=…
//	postgresql://…         a PostgreSQL database, in the URL form libpq and
//	                       pgx take (parameters included)
//
// An in-memory SQLite database ("sqlite::memory:") is refused: each
// connection of the pool would see a database of its own. Use the
// issuer's and status's memory stores for that. Errors never hold the
// URL's password.
func Open(ctx context.Context, rawURL string, opts *Options) (*DB, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	d, target, err := parseURL(rawURL)
	if err != nil {
		return nil, err
	}
	busy := o.BusyTimeout
	if busy <= 0 {
		busy = 30 * time.Second
	}
	var db *sql.DB
	switch d {
	case SQLite:
		if err := createFile(target); err != nil {
			return nil, err
		}
		if err := walMode(ctx, target, busy); err != nil {
			return nil, err
		}
		q := url.Values{}
		q.Set("_busy_timeout", fmt.Sprint(busy.Milliseconds()))
		q.Set("_synchronous", "FULL")
		q.Set("_foreign_keys", "1")
		u := url.URL{Scheme: "file", Path: target, RawQuery: q.Encode()}
		if db, err = sql.Open("sqlite", u.String()); err != nil {
			return nil, fmt.Errorf("sqlstore: sqlite:%s: %w", target, err)
		}
		n := o.MaxOpenConns
		if n <= 0 {
			n = max(4, runtime.GOMAXPROCS(0))
		}
		db.SetMaxOpenConns(n)
		db.SetMaxIdleConns(n)
	case PostgreSQL:
		cfg, err := pgx.ParseConfig(target)
		if err != nil {
			return nil, parseFailure(rawURL, err)
		}
		db = stdlib.OpenDB(*cfg)
		n := o.MaxOpenConns
		if n <= 0 {
			n = 8
		}
		db.SetMaxOpenConns(n)
		db.SetMaxIdleConns(n)
	}
	s, err := newDB(ctx, db, d, &o, true)
	if err != nil {
		db.Close()
		if d == PostgreSQL {
			return nil, fmt.Errorf("%w (database %s)", err, Redact(rawURL))
		}
		return nil, err
	}
	return s, nil
}

// OpenDB returns a DB on a pool the caller opened and manages (Close
// leaves it open), for a database of dialect d, after creating or
// migrating its tables. For SQLite, the pool should open the file in WAL
// mode (_journal_mode=WAL with modernc.org/sqlite); a DB sets the busy
// timeout (Options.BusyTimeout) on each connection it writes with, and
// begins its write transactions with BEGIN IMMEDIATE whatever the pool's
// settings.
func OpenDB(ctx context.Context, db *sql.DB, d Dialect, opts *Options) (*DB, error) {
	if db == nil {
		return nil, errors.New("sqlstore: OpenDB needs a *sql.DB")
	}
	if d != SQLite && d != PostgreSQL {
		return nil, fmt.Errorf("sqlstore: unknown dialect %q: want %q or %q", d, SQLite, PostgreSQL)
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	return newDB(ctx, db, d, &o, false)
}

func newDB(ctx context.Context, db *sql.DB, d Dialect, o *Options, own bool) (*DB, error) {
	s := &DB{db: db, dialect: d, own: own, now: o.Now, q: newQueries(d)}
	if s.now == nil {
		s.now = time.Now
	}
	if d == SQLite {
		s.writeTurn = make(chan struct{}, 1)
		busy := o.BusyTimeout
		if busy <= 0 {
			busy = 30 * time.Second
		}
		s.busyMS = busy.Milliseconds()
		s.setBusy = !own
	}
	if err := db.PingContext(ctx); err != nil {
		return nil, fmt.Errorf("sqlstore: connecting to the database: %w", ctxErr(ctx, err))
	}
	s.records = &Records{db: s}
	s.review = &ReviewQueue{db: s}
	s.status = &StatusStore{db: s}
	s.oid4vci = newOID4VCIStore(s)
	if err := s.migrate(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Records returns the issuer's record store.
func (s *DB) Records() *Records { return s.records }

// Review returns the review queue.
func (s *DB) Review() *ReviewQueue { return s.review }

// Status returns the status list store.
func (s *DB) Status() *StatusStore { return s.status }

// Dialect returns the database's engine.
func (s *DB) Dialect() Dialect { return s.dialect }

// Close closes the pool Open opened; for OpenDB's, it does nothing.
func (s *DB) Close() error {
	if !s.own {
		return nil
	}
	return s.db.Close()
}

// parseURL returns the dialect of a database URL, and what its driver
// opens: an absolute file name for SQLite, the URL for PostgreSQL.
func parseURL(raw string) (Dialect, string, error) {
	scheme, rest, ok := strings.Cut(raw, ":")
	switch {
	case !ok || scheme == "":
		return "", "", fmt.Errorf("%w: want sqlite:FILE or postgres://…", ErrURL)
	case scheme == "sqlite":
		name := rest
		if strings.HasPrefix(rest, "//") {
			u, err := url.Parse(raw)
			if err != nil {
				return "", "", fmt.Errorf("%w: %w", ErrURL, err)
			}
			if u.Host != "" && u.Host != "localhost" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
				return "", "", fmt.Errorf("%w: %q: a SQLite URL names a local file: sqlite:FILE or sqlite:///ABS/PATH", ErrURL, raw)
			}
			name = u.Path
		}
		switch {
		case name == "":
			return "", "", fmt.Errorf("%w: sqlite: needs a file name: sqlite:FILE", ErrURL)
		case strings.Contains(name, ":memory:") || strings.Contains(name, "mode=memory"):
			return "", "", fmt.Errorf("%w: %q: an in-memory SQLite database is not shared by a pool's connections; use a file, or the issuer's memory stores", ErrURL, raw)
		case strings.ContainsAny(name, "?#\x00"):
			return "", "", fmt.Errorf("%w: %q: a SQLite file name with ?, # or NUL (a URL's parameters are not taken)", ErrURL, raw)
		}
		abs, err := filepath.Abs(name)
		if err != nil {
			return "", "", fmt.Errorf("sqlstore: sqlite:%s: %w", name, err)
		}
		return SQLite, abs, nil
	case scheme == "postgres" || scheme == "postgresql":
		if !strings.HasPrefix(rest, "//") {
			return "", "", fmt.Errorf("%w: want postgres://HOST/DATABASE", ErrURL)
		}
		return PostgreSQL, raw, nil
	case scheme == "file" || strings.HasPrefix(scheme, "sqlite"):
		return "", "", fmt.Errorf("%w: scheme %q: want sqlite:FILE", ErrURL, scheme)
	case !schemeRE.MatchString(scheme):
		return "", "", fmt.Errorf("%w: want sqlite:FILE or postgres://…", ErrURL)
	}
	return "", "", fmt.Errorf("%w: scheme %q: want sqlite:FILE or postgres://…", ErrURL, scheme)
}

var schemeRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]{0,31}$`)

// Redact returns a database URL fit to print: a password in the URL's user
// information or in its password or sslpassword parameter is replaced by
// "xxxxx". A URL that does not parse is replaced whole.
func Redact(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "(a database URL that does not parse)"
	}
	if u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
	}
	if q := u.Query(); len(q) > 0 {
		changed := false
		for k := range q {
			switch strings.ToLower(k) {
			case "password", "sslpassword":
				q.Set(k, "xxxxx")
				changed = true
			}
		}
		if changed {
			u.RawQuery = q.Encode()
		}
	}
	return u.String()
}

// parseFailure reports a PostgreSQL URL pgx could not parse. pgx's message
// quotes the URL, redacted as best it can; this one says why without the
// URL, and without anything that looks like a secret in it.
func parseFailure(raw string, err error) error {
	why := "it cannot be parsed"
	inner := errors.Unwrap(err)
	var ue *url.Error
	if errors.As(inner, &ue) {
		inner = ue.Err
	}
	if inner != nil {
		why = inner.Error()
	}
	for _, secret := range secrets(raw) {
		if strings.Contains(why, secret) {
			why = "it cannot be parsed"
		}
	}
	return fmt.Errorf("%w: %s: %s", ErrURL, Redact(raw), why)
}

// secrets returns what may be a password in a URL, even one that does not
// parse: the user information, and the values of password parameters.
func secrets(raw string) []string {
	var out []string
	if _, rest, ok := strings.Cut(raw, "://"); ok {
		authority := rest
		if i := strings.IndexAny(rest, "/?#"); i >= 0 {
			authority = rest[:i]
		}
		if i := strings.LastIndex(authority, "@"); i > 0 {
			out = append(out, authority[:i])
			if _, pw, ok := strings.Cut(authority[:i], ":"); ok && pw != "" {
				out = append(out, pw)
			}
		}
	}
	if _, query, ok := strings.Cut(raw, "?"); ok {
		for _, kv := range strings.Split(query, "&") {
			k, v, _ := strings.Cut(kv, "=")
			if k = strings.ToLower(k); (k == "password" || k == "sslpassword") && v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}

// walMode puts the SQLite database file name in write-ahead-log mode,
// which the file keeps, before any pool opens it. The switch takes the
// database's exclusive lock, and SQLite answers SQLITE_BUSY at once,
// without calling the busy handler, when another connection holds a
// lock the switch cannot wait for (another process or DB opening the same
// new file at the same moment). So it is done here, on a connection of
// its own, retried for up to busy; the pool's connections then find the
// file in WAL mode and never switch it.
func walMode(ctx context.Context, name string, busy time.Duration) error {
	q := url.Values{}
	q.Set("_busy_timeout", fmt.Sprint(busy.Milliseconds()))
	u := url.URL{Scheme: "file", Path: name, RawQuery: q.Encode()}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		return fmt.Errorf("sqlstore: sqlite:%s: %w", name, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	deadline := time.Now().Add(busy)
	wait := time.Millisecond
	for {
		var mode string
		err := db.QueryRowContext(ctx, "PRAGMA journal_mode=WAL").Scan(&mode)
		if err == nil {
			return nil
		}
		if !sqliteBusy(err) || time.Now().After(deadline) {
			return fmt.Errorf("sqlstore: sqlite:%s: setting WAL mode: %w", name, ctxErr(ctx, err))
		}
		t := time.NewTimer(wait + rand.N(wait))
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("sqlstore: sqlite:%s: setting WAL mode: %w", name, ctx.Err())
		case <-t.C:
		}
		wait = min(2*wait, 50*time.Millisecond)
	}
}

// sqliteBusy reports whether err is SQLite's SQLITE_BUSY or SQLITE_LOCKED,
// extended codes included.
func sqliteBusy(err error) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	switch e.Code() & 0xff {
	case 5, 6: // SQLITE_BUSY, SQLITE_LOCKED
		return true
	}
	return false
}

// createFile creates the SQLite file, readable by its owner only, if it
// does not exist: SQLite gives the files beside it (-wal, -shm) the same
// mode.
func createFile(name string) error {
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("sqlstore: sqlite: %w", err)
	}
	return f.Close()
}

// querier runs statements: a *sql.DB, *sql.Tx or *sql.Conn.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// maxTxAttempts bounds how often a PostgreSQL transaction that failed as a
// serialization failure or a deadlock runs.
const maxTxAttempts = 5

// write runs fn in a write transaction, and commits it if fn returns nil;
// fn's error is returned as it is. In PostgreSQL the transaction is READ
// COMMITTED (rows are locked with FOR UPDATE where it matters), and runs
// again, up to maxTxAttempts times, if the server aborts it as a
// serialization failure or a deadlock: fn may be called more than once.
// In SQLite it begins with BEGIN IMMEDIATE, which takes the database's
// write lock before anything is read, so that a transaction that reads and
// then writes never fails half-way because another process wrote first.
func (s *DB) write(ctx context.Context, fn func(q querier) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.dialect == SQLite {
		return s.writeSQLite(ctx, fn)
	}
	for attempt := 1; ; attempt++ {
		err := s.writePostgres(ctx, fn)
		if err == nil || attempt == maxTxAttempts || !retryable(err) {
			return err
		}
		// Back off a little, at random, so that the transactions that
		// collided do not collide again.
		wait := time.Duration(rand.Int64N(int64(attempt) * int64(5*time.Millisecond)))
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

func (s *DB) writePostgres(ctx context.Context, fn func(q querier) error) error {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelReadCommitted})
	if err != nil {
		return fmt.Errorf("sqlstore: beginning a transaction: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlstore: committing: %w", err)
	}
	return nil
}

func (s *DB) writeSQLite(ctx context.Context, fn func(q querier) error) (err error) {
	select {
	case s.writeTurn <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-s.writeTurn }()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("sqlstore: %w", err)
	}
	defer conn.Close()
	if s.setBusy {
		if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", s.busyMS)); err != nil {
			return fmt.Errorf("sqlstore: setting the busy timeout: %w", err)
		}
	}
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return fmt.Errorf("sqlstore: beginning a transaction: %w", ctxErr(ctx, err))
	}
	if err := fn(conn); err != nil {
		rollback(ctx, conn)
		return err
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		rollback(ctx, conn)
		return fmt.Errorf("sqlstore: committing: %w", ctxErr(ctx, err))
	}
	return nil
}

// read runs fn in a read-only transaction, so that its statements all see
// the database as it was when the first began (SQLite: a read transaction,
// in WAL mode; PostgreSQL: REPEATABLE READ). In PostgreSQL it also turns
// off JIT compilation, which the planner would start, for nothing, on its
// estimates of the recursive queries of Records.Counts.
func (s *DB) read(ctx context.Context, fn func(q querier) error) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if s.dialect == PostgreSQL {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := s.db.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("sqlstore: beginning a transaction: %w", ctxErr(ctx, err))
	}
	defer tx.Rollback()
	if s.dialect == PostgreSQL {
		if _, err := tx.ExecContext(ctx, "SET LOCAL jit = off"); err != nil {
			return fmt.Errorf("sqlstore: %w", ctxErr(ctx, err))
		}
	}
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlstore: ending a transaction: %w", ctxErr(ctx, err))
	}
	return nil
}

// rollback ends the transaction on conn; if that fails, the connection is
// dropped from the pool rather than handed out in a transaction.
func rollback(ctx context.Context, conn *sql.Conn) {
	if _, err := conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK"); err != nil {
		conn.Raw(func(any) error { return driver.ErrBadConn })
	}
}

// ctxErr returns err, or, when ctx is done (the driver may report an
// interrupted statement in words of its own), an error that wraps both
// ctx's error and err.
func ctxErr(ctx context.Context, err error) error {
	if c := ctx.Err(); c != nil && !errors.Is(err, c) {
		return fmt.Errorf("%w: %w", c, err)
	}
	return err
}

// PostgreSQL's SQLSTATEs this package branches on.
const (
	pgSerializationFailure = "40001"
	pgDeadlockDetected     = "40P01"
)

// retryable reports whether err is PostgreSQL aborting a transaction that
// may succeed if it runs again.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == pgSerializationFailure || pe.Code == pgDeadlockDetected)
}

// queries are the statements of one dialect, written with $1, $2… and
// rewritten for SQLite as ?1, ?2….
type queries struct {
	getRecord, createRecord, putRecord, swapRecord, recordState string
	listRecords, setRecordTimes                                 string
	recordEvents, deleteEvent                                   string

	submitReview, pendingReviewID, pendingReviews, getReview, resolveReview, keepReview string

	createList, loadList, lockList, updateList, listURLs string
}

var placeholder = regexp.MustCompile(`\$(\d+)`)

func newQueries(d Dialect) *queries {
	forUpdate := " FOR UPDATE"
	if d == SQLite {
		forUpdate = "" // BEGIN IMMEDIATE has locked the database
	}
	q := &queries{
		getRecord:    `SELECT record, credential FROM openbadges_records WHERE award_key = $1`,
		createRecord: `INSERT INTO openbadges_records (award_key, achievement_id, state, record, credential, first_award, time_to_award) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
		putRecord: `INSERT INTO openbadges_records (award_key, achievement_id, state, record, credential, first_award, time_to_award) VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (award_key) DO UPDATE SET achievement_id = excluded.achievement_id, state = excluded.state, record = excluded.record, credential = excluded.credential,
				first_award = excluded.first_award, time_to_award = excluded.time_to_award`,
		swapRecord:     `UPDATE openbadges_records SET achievement_id = $2, state = $3, record = $4, credential = $5, first_award = $6, time_to_award = $7 WHERE award_key = $1 AND state = $8`,
		recordState:    `SELECT state FROM openbadges_records WHERE award_key = $1`,
		setRecordTimes: `UPDATE openbadges_records SET first_award = $2, time_to_award = $3 WHERE award_key = $1`,
		listRecords:    `SELECT record, credential FROM openbadges_records`,

		recordEvents: `SELECT at, state, from_state, by_whom, achievement_id, learner_id FROM openbadges_events WHERE award_key = $1`,
		deleteEvent:  `DELETE FROM openbadges_events WHERE at = $1 AND award_key = $2 AND state = $3`,

		submitReview:    `INSERT INTO openbadges_review (id, award_key, item) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
		pendingReviewID: `SELECT id FROM openbadges_review WHERE award_key = $1 AND resolution IS NULL`,
		pendingReviews:  `SELECT id, item FROM openbadges_review WHERE resolution IS NULL ORDER BY seq`,
		getReview:       `SELECT item, resolution FROM openbadges_review WHERE id = $1`,
		resolveReview:   `UPDATE openbadges_review SET resolution = $2 WHERE id = $1 AND resolution IS NULL RETURNING item`,
		keepReview:      `UPDATE openbadges_review SET item = $2 WHERE id = $1`,

		createList: `INSERT INTO openbadges_status_lists (url, list) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
		loadList:   `SELECT list FROM openbadges_status_lists WHERE url = $1`,
		lockList:   `SELECT list FROM openbadges_status_lists WHERE url = $1` + forUpdate,
		updateList: `UPDATE openbadges_status_lists SET list = $2 WHERE url = $1`,
		listURLs:   `SELECT url FROM openbadges_status_lists ORDER BY url`,
	}
	if d == SQLite {
		for _, p := range []*string{
			&q.getRecord, &q.createRecord, &q.putRecord, &q.swapRecord, &q.recordState, &q.listRecords, &q.setRecordTimes,
			&q.recordEvents, &q.deleteEvent,
			&q.submitReview, &q.pendingReviewID, &q.pendingReviews, &q.getReview, &q.resolveReview, &q.keepReview,
			&q.createList, &q.loadList, &q.lockList, &q.updateList, &q.listURLs,
		} {
			*p = rebind(d, *p)
		}
	}
	return q
}

// rebind rewrites the placeholders $1, $2… of query for d.
func rebind(d Dialect, query string) string {
	if d == SQLite {
		return placeholder.ReplaceAllString(query, "?${1}")
	}
	return query
}
