package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	// also the "sqlite" database/sql driver
)

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
