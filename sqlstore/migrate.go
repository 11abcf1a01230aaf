package sqlstore

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/issuer"
)

// The migrations, one SQL file per schema version and dialect, named
// NNN_what.sql and applied in order: migrations/sqlite/001_init.sql, ….
//
//go:embed migrations
var migrationFiles embed.FS

// A migration brings the schema from version-1 to version.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the migrations of d, in order; their versions are
// 1, 2, 3….
func migrations(d Dialect) ([]migration, error) {
	dir := path.Join("migrations", string(d))
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: migrations: %w", err)
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("sqlstore: migration %s: want NNN_name.sql", e.Name())
		}
		b, err := fs.ReadFile(migrationFiles, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("sqlstore: migration %s: %w", e.Name(), err)
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(b)})
	}
	slices.SortFunc(ms, func(a, b migration) int { return a.version - b.version })
	for k, m := range ms {
		if m.version != k+1 {
			return nil, fmt.Errorf("sqlstore: migration %s: want version %d", m.name, k+1)
		}
	}
	return ms, nil
}

// SchemaVersion is the version of the schema this package creates and
// migrates databases to.
const SchemaVersion = 7

// migrationLock is the key of the PostgreSQL advisory lock that
// serializes migrations: "obsqlmig".
const migrationLock = 0x6f6273716c6d6967

// migrate brings the database's schema to SchemaVersion, in one
// transaction that first takes a lock (PostgreSQL: an advisory lock held
// until the transaction ends; SQLite: BEGIN IMMEDIATE's write lock), so
// that instances starting at once migrate one after the other, and the
// later ones find nothing to do. A database whose version is newer is
// refused with ErrSchemaVersion.
func (s *DB) migrate(ctx context.Context) error {
	ms, err := migrations(s.dialect)
	if err != nil {
		return err
	}
	if len(ms) != SchemaVersion {
		return fmt.Errorf("sqlstore: %d migrations for %s, want %d", len(ms), s.dialect, SchemaVersion)
	}
	return s.write(ctx, func(q querier) error {
		if s.dialect == PostgreSQL {
			if _, err := q.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrationLock)); err != nil {
				return fmt.Errorf("sqlstore: waiting for the migration lock: %w", err)
			}
		}
		if _, err := q.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS openbadges_schema_version (
			version    INTEGER NOT NULL PRIMARY KEY,
			applied_at TEXT NOT NULL
		)`); err != nil {
			return fmt.Errorf("sqlstore: the schema version table: %w", err)
		}
		var current int
		if err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM openbadges_schema_version`).Scan(&current); err != nil {
			return fmt.Errorf("sqlstore: reading the schema version: %w", err)
		}
		if current > len(ms) {
			return fmt.Errorf("%w: the database is at schema version %d, this program knows versions up to %d: run a newer program", ErrSchemaVersion, current, len(ms))
		}
		for _, m := range ms[current:] {
			if _, err := q.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("sqlstore: migration %s/%s: %w", s.dialect, m.name, err)
			}
			if _, err := q.ExecContext(ctx, rebind(s.dialect, `INSERT INTO openbadges_schema_version (version, applied_at) VALUES ($1, $2)`),
				m.version, s.now().UTC().Format(time.RFC3339Nano)); err != nil {
				return fmt.Errorf("sqlstore: recording schema version %d: %w", m.version, err)
			}
		}
		return s.afterMigrations(ctx, q, current)
	})
}

// afterMigrations does, in the migrations' transaction, after the SQL
// files of the versions after from, what SQL cannot do alike in both
// dialects, or exactly: for a database of a version before 3, fill in the
// events of its records (see backfillEvents), in the tables as they are at
// SchemaVersion.
func (s *DB) afterMigrations(ctx context.Context, q querier, from int) error {
	if from < 3 {
		if err := s.backfillEvents(ctx, q); err != nil {
			return fmt.Errorf("sqlstore: migration %s to version 3: %w", s.dialect, err)
		}
	}
	return nil
}

// backfillBatch is how many records backfillEvents reads at a time.
const backfillBatch = 500

// backfillEvents fills in, for the records written before schema version
// 3, their rows of openbadges_events and their first_award and
// time_to_award columns, from the history each record's JSON holds. It is done in Go,
// with the code that writes them for every record since, because the
// events' times have nanoseconds, which neither SQLite's date functions
// nor PostgreSQL's timestamptz keep, and so that the rule of the first
// award (issuer.Record.FirstAward) is written once.
func (s *DB) backfillEvents(ctx context.Context, q querier) error {
	page := rebind(s.dialect, `SELECT record FROM openbadges_records WHERE award_key > $1 ORDER BY award_key LIMIT $2`)
	after := ""
	for {
		recs, err := s.backfillPage(ctx, q, page, after)
		if err != nil {
			return err
		}
		for _, rec := range recs {
			firstAward, timeToAward := recordTimes(rec)
			if _, err := q.ExecContext(ctx, s.q.setRecordTimes, rec.AwardKey, firstAward, timeToAward); err != nil {
				return fmt.Errorf("the times of %s: %w", rec.AwardKey, err)
			}
			if err := s.saveHistory(ctx, q, rec); err != nil {
				return err
			}
		}
		if len(recs) < backfillBatch {
			return nil
		}
		after = recs[len(recs)-1].AwardKey
	}
}

// backfillPage reads the records after the award key after.
func (s *DB) backfillPage(ctx context.Context, q querier, page, after string) ([]*issuer.Record, error) {
	rows, err := q.QueryContext(ctx, page, after, backfillBatch)
	if err != nil {
		return nil, fmt.Errorf("reading records: %w", err)
	}
	defer rows.Close()
	var out []*issuer.Record
	for rows.Next() {
		var raw []byte
		if err := rows.Scan(&raw); err != nil {
			return nil, fmt.Errorf("reading records: %w", err)
		}
		rec, err := decodeRecord(raw, nil)
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading records: %w", err)
	}
	return out, nil
}
