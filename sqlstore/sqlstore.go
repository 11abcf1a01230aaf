package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	// also the "sqlite" database/sql driver
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
	// ErrValueTooLarge: a record, review item, award key or OID4VCI entry
	// larger than the limits below, or a stored value larger than them.
	ErrValueTooLarge = errors.New("sqlstore: value too large")
	// ErrTooLarge is ErrValueTooLarge's old name.
	//
	// Deprecated: use ErrValueTooLarge (bake, credential and fetch have
	// size errors of their own).
	ErrTooLarge = ErrValueTooLarge
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
