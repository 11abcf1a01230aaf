package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"sync/atomic"
	"time"

	"github.com/go-openbadges/openbadges/internal/kv"
)

// sweepInterval is how often, at most, a store of entries' Put removes
// expired entries, and sweepBatch how many it removes then.
const (
	sweepInterval = time.Minute
	sweepBatch    = 1000
)

// entries is a table of entries that expire (id, value, expires): the
// store of package oid4vci's and package obapi's codes and tokens. Its
// errors wrap kv's, the values those packages export as their own.
type entries struct {
	db                                *DB
	what                              string       // for errors: "OID4VCI"
	putSQL, getSQL, takeSQL, sweepSQL string       // the statements, for the DB's dialect
	lastSweep                         atomic.Int64 // when Put last swept, in Unix nanoseconds
}

func newEntries(s *DB, table, what string) *entries {
	return &entries{
		db: s, what: what,
		putSQL: rebind(s.dialect, `INSERT INTO `+table+` (id, value, expires) VALUES ($1, $2, $3)
			ON CONFLICT (id) DO UPDATE SET value = excluded.value, expires = excluded.expires
			WHERE `+table+`.expires <= $4`),
		getSQL:  rebind(s.dialect, `SELECT value FROM `+table+` WHERE id = $1 AND expires > $2`),
		takeSQL: rebind(s.dialect, `DELETE FROM `+table+` WHERE id = $1 AND expires > $2 RETURNING value`),
		sweepSQL: rebind(s.dialect, `DELETE FROM `+table+` WHERE id IN
			(SELECT id FROM `+table+` WHERE expires <= $1 ORDER BY expires LIMIT $2)`),
	}
}

// put stores value under key until expires: an INSERT that fails with
// kv.ErrExists on a live entry, and replaces an expired one.
func (o *entries) put(ctx context.Context, key string, value []byte, expires time.Time) error {
	if err := o.checkEntry(key, value); err != nil {
		return err
	}
	if value == nil {
		value = []byte{}
	}
	now := o.db.now()
	err := o.db.write(ctx, func(q querier) error {
		res, err := q.ExecContext(ctx, o.putSQL, key, value, unixNano(expires), unixNano(now))
		if err != nil {
			return fmt.Errorf("sqlstore: storing an %s entry: %w", o.what, ctxErr(ctx, err))
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("sqlstore: storing an %s entry: %w", o.what, err)
		} else if n == 0 {
			return fmt.Errorf("sqlstore: %w", kv.ErrExists)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if last := o.lastSweep.Load(); now.UnixNano()-last >= int64(sweepInterval) && o.lastSweep.CompareAndSwap(last, now.UnixNano()) {
		// A failed sweep is harmless: expired entries are never
		// returned, and the next one removes them.
		o.sweepBatch(ctx, now, sweepBatch)
	}
	return nil
}

// get reads an entry that has not expired at now.
func (o *entries) get(ctx context.Context, key string, now time.Time) ([]byte, error) {
	if len(key) > MaxOID4VCIKeyBytes {
		return nil, fmt.Errorf("sqlstore: %w", kv.ErrNotFound)
	}
	var value []byte
	err := o.db.db.QueryRowContext(ctx, o.getSQL, key, unixNano(now)).Scan(&value)
	return o.entryValue(ctx, value, err)
}

// take is one DELETE … RETURNING of an entry that has not expired at now.
func (o *entries) take(ctx context.Context, key string, now time.Time) ([]byte, error) {
	if len(key) > MaxOID4VCIKeyBytes {
		return nil, fmt.Errorf("sqlstore: %w", kv.ErrNotFound)
	}
	var value []byte
	err := o.db.write(ctx, func(q querier) error {
		value = nil
		err := q.QueryRowContext(ctx, o.takeSQL, key, unixNano(now)).Scan(&value)
		if errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if err != nil {
			return fmt.Errorf("sqlstore: taking an %s entry: %w", o.what, ctxErr(ctx, err))
		}
		return nil
	})
	return o.entryValue(ctx, value, err)
}

// sweepAll removes the entries expired by the DB's clock, a batch at a
// time, and returns how many it removed.
func (o *entries) sweepAll(ctx context.Context) (int64, error) {
	now := o.db.now()
	var total int64
	for {
		n, err := o.sweepBatch(ctx, now, sweepBatch)
		total += n
		if err != nil || n < sweepBatch {
			return total, err
		}
	}
}

// sweepBatch removes up to batch entries expired at now.
func (o *entries) sweepBatch(ctx context.Context, now time.Time, batch int) (int64, error) {
	var n int64
	err := o.db.write(ctx, func(q querier) error {
		res, err := q.ExecContext(ctx, o.sweepSQL, unixNano(now), batch)
		if err != nil {
			return fmt.Errorf("sqlstore: removing expired %s entries: %w", o.what, ctxErr(ctx, err))
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// checkEntry refuses a key or value beyond the limits.
func (o *entries) checkEntry(key string, value []byte) error {
	switch {
	case key == "":
		return fmt.Errorf("sqlstore: an %s entry needs a key", o.what)
	case len(key) > MaxOID4VCIKeyBytes:
		return fmt.Errorf("%w: an %s key of %d bytes (the limit is %d)", ErrValueTooLarge, o.what, len(key), MaxOID4VCIKeyBytes)
	case len(value) > MaxOID4VCIValueBytes:
		return fmt.Errorf("%w: an %s value of %d bytes (the limit is %d)", ErrValueTooLarge, o.what, len(value), MaxOID4VCIValueBytes)
	}
	return nil
}

// entryValue returns the value a get or take read, or its error.
func (o *entries) entryValue(ctx context.Context, value []byte, err error) ([]byte, error) {
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("sqlstore: %w", kv.ErrNotFound)
	case err != nil:
		return nil, fmt.Errorf("sqlstore: reading an %s entry: %w", o.what, ctxErr(ctx, err))
	case len(value) > MaxOID4VCIValueBytes:
		return nil, fmt.Errorf("%w: a stored %s value has more than %d bytes", ErrValueTooLarge, o.what, MaxOID4VCIValueBytes)
	}
	return value, nil
}

// unixNano returns t in Unix nanoseconds, the times before 1678 and after
// 2262 (which an int64 does not hold) as the least and greatest int64.
func unixNano(t time.Time) int64 {
	switch {
	case t.Before(minUnixNano):
		return math.MinInt64
	case t.After(maxUnixNano):
		return math.MaxInt64
	}
	return t.UnixNano()
}

var (
	minUnixNano = time.Unix(0, math.MinInt64)
	maxUnixNano = time.Unix(0, math.MaxInt64)
)
