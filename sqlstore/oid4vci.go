package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"sync/atomic"
	"time"

	"github.com/go-openbadges/openbadges/oid4vci"
)

// Limits on the entries of an OID4VCIStore.
const (
	// MaxOID4VCIKeyBytes bounds an entry's key (package oid4vci's keys are
	// a kind and a hash, some 50 bytes).
	MaxOID4VCIKeyBytes = 256
	// MaxOID4VCIValueBytes bounds an entry's value (package oid4vci's are
	// a few hundred bytes: an award key, a holder's DID, an offer).
	MaxOID4VCIValueBytes = 256 << 10
)

// sweepInterval is how often, at most, an OID4VCIStore's Put removes
// expired entries, and sweepBatch how many it removes then.
const (
	sweepInterval = time.Minute
	sweepBatch    = 1000
)

// OID4VCIStore is an oid4vci.Store in the database's openbadges_oid4vci
// table, for the instances of an issuer that deliver credentials to
// wallets (oid4vci.Server) to share: one row per key, the key its primary
// key, with the value as it was given (package oid4vci stores hashes and
// sealed values, never a usable code or token under its own name) and
// the time it expires. Get it from DB.OID4VCI.
//
// Put is an INSERT that fails on a live entry of the same key, and
// replaces an expired one; Get reads an entry only if it has not expired;
// Take is a DELETE … RETURNING of an entry that has not expired, so that,
// of two instances taking one code or nonce at once, exactly one gets it.
// Expiry is compared in SQL, with the time the caller gives Get and Take,
// and, for Put, the DB's clock (Options.Now). Expired entries are never
// returned; Put removes some of them now and then (see also Sweep). There
// is no bound on the number of entries, as there is on a
// oid4vci.MemoryStore's: package oid4vci writes only for a request that
// carries a code or token it handed out.
type OID4VCIStore struct {
	db                    *DB
	put, get, take, sweep string       // the statements, for the DB's dialect
	lastSweep             atomic.Int64 // when Put last swept, in Unix nanoseconds
}

func newOID4VCIStore(s *DB) *OID4VCIStore {
	return &OID4VCIStore{
		db: s,
		put: rebind(s.dialect, `INSERT INTO openbadges_oid4vci (id, value, expires) VALUES ($1, $2, $3)
			ON CONFLICT (id) DO UPDATE SET value = excluded.value, expires = excluded.expires
			WHERE openbadges_oid4vci.expires <= $4`),
		get:  rebind(s.dialect, `SELECT value FROM openbadges_oid4vci WHERE id = $1 AND expires > $2`),
		take: rebind(s.dialect, `DELETE FROM openbadges_oid4vci WHERE id = $1 AND expires > $2 RETURNING value`),
		sweep: rebind(s.dialect, `DELETE FROM openbadges_oid4vci WHERE id IN
			(SELECT id FROM openbadges_oid4vci WHERE expires <= $1 ORDER BY expires LIMIT $2)`),
	}
}

var _ oid4vci.Store = (*OID4VCIStore)(nil)

// OID4VCI returns the store of package oid4vci's codes, tokens and
// nonces.
func (s *DB) OID4VCI() *OID4VCIStore { return s.oid4vci }

// Put implements oid4vci.Store: an error wrapping oid4vci.ErrExists if key
// holds an entry that has not expired, or ErrTooLarge for a key or value
// beyond the limits above.
func (o *OID4VCIStore) Put(ctx context.Context, key string, value []byte, expires time.Time) error {
	if err := checkEntry(key, value); err != nil {
		return err
	}
	if value == nil {
		value = []byte{}
	}
	now := o.db.now()
	err := o.db.write(ctx, func(q querier) error {
		res, err := q.ExecContext(ctx, o.put, key, value, unixNano(expires), unixNano(now))
		if err != nil {
			return fmt.Errorf("sqlstore: storing an OID4VCI entry: %w", ctxErr(ctx, err))
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("sqlstore: storing an OID4VCI entry: %w", err)
		} else if n == 0 {
			return fmt.Errorf("sqlstore: %w", oid4vci.ErrExists)
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

// Get implements oid4vci.Store.
func (o *OID4VCIStore) Get(ctx context.Context, key string, now time.Time) ([]byte, error) {
	if len(key) > MaxOID4VCIKeyBytes {
		return nil, fmt.Errorf("sqlstore: %w", oid4vci.ErrNotFound)
	}
	var value []byte
	err := o.db.db.QueryRowContext(ctx, o.get, key, unixNano(now)).Scan(&value)
	return entryValue(ctx, value, err)
}

// Take implements oid4vci.Store: one DELETE … RETURNING statement, so that
// of two Takes of one key, in one process or many, one gets the value and
// the other an error wrapping oid4vci.ErrNotFound.
func (o *OID4VCIStore) Take(ctx context.Context, key string, now time.Time) ([]byte, error) {
	if len(key) > MaxOID4VCIKeyBytes {
		return nil, fmt.Errorf("sqlstore: %w", oid4vci.ErrNotFound)
	}
	var value []byte
	err := o.db.write(ctx, func(q querier) error {
		value = nil
		err := q.QueryRowContext(ctx, o.take, key, unixNano(now)).Scan(&value)
		if errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if err != nil {
			return fmt.Errorf("sqlstore: taking an OID4VCI entry: %w", ctxErr(ctx, err))
		}
		return nil
	})
	return entryValue(ctx, value, err)
}

// Sweep removes the entries that have expired by the DB's clock
// (Options.Now), a batch at a time, and returns how many it removed. Put
// does it now and then, a batch at most; an issuer that puts seldom may
// call Sweep from time to time to keep the table small.
func (o *OID4VCIStore) Sweep(ctx context.Context) (int64, error) {
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
func (o *OID4VCIStore) sweepBatch(ctx context.Context, now time.Time, batch int) (int64, error) {
	var n int64
	err := o.db.write(ctx, func(q querier) error {
		res, err := q.ExecContext(ctx, o.sweep, unixNano(now), batch)
		if err != nil {
			return fmt.Errorf("sqlstore: removing expired OID4VCI entries: %w", ctxErr(ctx, err))
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// checkEntry refuses a key or value beyond the limits.
func checkEntry(key string, value []byte) error {
	switch {
	case key == "":
		return errors.New("sqlstore: an OID4VCI entry needs a key")
	case len(key) > MaxOID4VCIKeyBytes:
		return fmt.Errorf("%w: an OID4VCI key of %d bytes (the limit is %d)", ErrTooLarge, len(key), MaxOID4VCIKeyBytes)
	case len(value) > MaxOID4VCIValueBytes:
		return fmt.Errorf("%w: an OID4VCI value of %d bytes (the limit is %d)", ErrTooLarge, len(value), MaxOID4VCIValueBytes)
	}
	return nil
}

// entryValue returns the value a Get or Take read, or its error.
func entryValue(ctx context.Context, value []byte, err error) ([]byte, error) {
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("sqlstore: %w", oid4vci.ErrNotFound)
	case err != nil:
		return nil, fmt.Errorf("sqlstore: reading an OID4VCI entry: %w", ctxErr(ctx, err))
	case len(value) > MaxOID4VCIValueBytes:
		return nil, fmt.Errorf("%w: a stored OID4VCI value has more than %d bytes", ErrTooLarge, MaxOID4VCIValueBytes)
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
