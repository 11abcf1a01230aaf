package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/go-openbadges/openbadges/obapi/hoststore"
)

// Limits on what an OBAPIRecords keeps.
const (
	// MaxOBAPIUserBytes bounds a user's identifier.
	MaxOBAPIUserBytes = 256
	// MaxOBAPIKeyBytes bounds a credential's key (an issuer's id and a
	// credential's id).
	MaxOBAPIKeyBytes = 4096
	// MaxOBAPIDataBytes bounds a credential or a profile.
	MaxOBAPIDataBytes = 16 << 20
)

// OBAPIStore is a hoststore.Store (package obapi's clients, codes and
// tokens) in the database's openbadges_obapi_tokens table, for the
// instances of an OB 3.0 API host to share. It works as OID4VCIStore
// does: a Take is one DELETE … RETURNING, so that of two instances taking
// one code or refresh token, exactly one gets it. Get it from DB.OBAPI.
type OBAPIStore struct {
	e *entries
}

var _ hoststore.Store = (*OBAPIStore)(nil)

// OBAPI returns the store of package obapi's clients, codes and tokens. It
// is a new value each time, over the same table: call it once, and keep
// it.
func (s *DB) OBAPI() *OBAPIStore {
	return &OBAPIStore{e: newEntries(s, "openbadges_obapi_tokens", "OB API")}
}

// Put implements hoststore.Store: an error wrapping hoststore.ErrExists if
// key holds an entry that has not expired, or ErrValueTooLarge for a key or
// value beyond MaxOID4VCIKeyBytes or MaxOID4VCIValueBytes.
func (o *OBAPIStore) Put(ctx context.Context, key string, value []byte, expires time.Time) error {
	return o.e.put(ctx, key, value, expires)
}

// Get implements hoststore.Store.
func (o *OBAPIStore) Get(ctx context.Context, key string, now time.Time) ([]byte, error) {
	return o.e.get(ctx, key, now)
}

// Take implements hoststore.Store.
func (o *OBAPIStore) Take(ctx context.Context, key string, now time.Time) ([]byte, error) {
	return o.e.take(ctx, key, now)
}

// Sweep removes the entries that have expired by the DB's clock, and
// returns how many it removed (see OID4VCIStore.Sweep).
func (o *OBAPIStore) Sweep(ctx context.Context) (int64, error) { return o.e.sweepAll(ctx) }

// OBAPIRecords are hoststore.Records (an OB 3.0 API host's users'
// credentials and profiles) in the database's openbadges_obapi_credentials
// and openbadges_obapi_profiles tables. An upsert is one INSERT … ON
// CONFLICT on the user and the credential's key, so that of two
// instances upserting a new credential at once, one creates it. Get it
// from DB.OBAPIRecords.
type OBAPIRecords struct {
	db                                  *DB
	count, page, upsert, profile, putPr string
}

var _ hoststore.Records = (*OBAPIRecords)(nil)

// OBAPIRecords returns the users' credentials and profiles of package
// obapi's host.
func (s *DB) OBAPIRecords() *OBAPIRecords {
	return &OBAPIRecords{
		db:    s,
		count: rebind(s.dialect, `SELECT COUNT(*) FROM openbadges_obapi_credentials WHERE user_id = $1 AND issued > $2`),
		page: rebind(s.dialect, `SELECT cred_key, jws, data, issued FROM openbadges_obapi_credentials
			WHERE user_id = $1 AND issued > $2 ORDER BY issued, cred_key LIMIT $3 OFFSET $4`),
		upsert: rebind(s.dialect, `INSERT INTO openbadges_obapi_credentials (user_id, cred_key, jws, data, issued) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (user_id, cred_key) DO UPDATE SET jws = excluded.jws, data = excluded.data, issued = excluded.issued`),
		profile: rebind(s.dialect, `SELECT data FROM openbadges_obapi_profiles WHERE user_id = $1`),
		putPr: rebind(s.dialect, `INSERT INTO openbadges_obapi_profiles (user_id, data) VALUES ($1, $2)
			ON CONFLICT (user_id) DO UPDATE SET data = excluded.data`),
	}
}

// Credentials implements hoststore.Records: one read transaction, so that
// the page and the total agree.
func (o *OBAPIRecords) Credentials(ctx context.Context, user string, p hoststore.Page) ([]hoststore.Credential, int, error) {
	since := int64(-1 << 63)
	if !p.Since.IsZero() {
		since = unixNano(p.Since)
	}
	if p.Limit <= 0 {
		return nil, 0, errors.New("sqlstore: a page of credentials needs a limit")
	}
	var out []hoststore.Credential
	var total int
	err := o.db.read(ctx, func(q querier) error {
		out = nil
		if err := q.QueryRowContext(ctx, o.count, user, since).Scan(&total); err != nil {
			return fmt.Errorf("sqlstore: counting credentials: %w", ctxErr(ctx, err))
		}
		rows, err := q.QueryContext(ctx, o.page, user, since, p.Limit, max(p.Offset, 0))
		if err != nil {
			return fmt.Errorf("sqlstore: reading credentials: %w", ctxErr(ctx, err))
		}
		defer rows.Close()
		for rows.Next() {
			var c hoststore.Credential
			var issued int64
			if err := rows.Scan(&c.Key, &c.JWS, &c.Data, &issued); err != nil {
				return fmt.Errorf("sqlstore: reading credentials: %w", err)
			}
			c.Issued = time.Unix(0, issued).UTC()
			out = append(out, c)
		}
		return ctxErr(ctx, rows.Err())
	})
	return out, total, err
}

// Upsert implements hoststore.Records.
func (o *OBAPIRecords) Upsert(ctx context.Context, user string, c hoststore.Credential) (bool, error) {
	switch {
	case user == "" || c.Key == "":
		return false, errors.New("sqlstore: a credential needs a user and a key")
	case len(user) > MaxOBAPIUserBytes || len(c.Key) > MaxOBAPIKeyBytes || len(c.Data) > MaxOBAPIDataBytes:
		return false, fmt.Errorf("%w: a credential's user, key or data", ErrValueTooLarge)
	}
	var created bool
	err := o.db.write(ctx, func(q querier) error {
		if o.db.dialect == PostgreSQL {
			// xmax is 0 for a row this statement inserted, not for one
			// it updated: of two upserts of a new key, the one that
			// waited on the other's row updates it.
			err := q.QueryRowContext(ctx, o.upsert+` RETURNING (xmax = 0)`, user, c.Key, c.JWS, c.Data, unixNano(c.Issued)).Scan(&created)
			if err != nil {
				return fmt.Errorf("sqlstore: upserting a credential: %w", ctxErr(ctx, err))
			}
			return nil
		}
		// SQLite: the transaction holds the write lock from its start
		// (BEGIN IMMEDIATE), so what it reads stays true.
		var n int
		err := q.QueryRowContext(ctx, rebind(o.db.dialect, `SELECT COUNT(*) FROM openbadges_obapi_credentials WHERE user_id = $1 AND cred_key = $2`), user, c.Key).Scan(&n)
		if err != nil {
			return fmt.Errorf("sqlstore: upserting a credential: %w", ctxErr(ctx, err))
		}
		if _, err := q.ExecContext(ctx, o.upsert, user, c.Key, c.JWS, c.Data, unixNano(c.Issued)); err != nil {
			return fmt.Errorf("sqlstore: upserting a credential: %w", ctxErr(ctx, err))
		}
		created = n == 0
		return nil
	})
	return created, err
}

// Profile implements hoststore.Records.
func (o *OBAPIRecords) Profile(ctx context.Context, user string) ([]byte, error) {
	var data []byte
	err := o.db.db.QueryRowContext(ctx, o.profile, user).Scan(&data)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("sqlstore: %w", hoststore.ErrNotFound)
	case err != nil:
		return nil, fmt.Errorf("sqlstore: reading a profile: %w", ctxErr(ctx, err))
	}
	return data, nil
}

// PutProfile implements hoststore.Records.
func (o *OBAPIRecords) PutProfile(ctx context.Context, user string, profile []byte) error {
	switch {
	case user == "":
		return errors.New("sqlstore: a profile needs a user")
	case len(user) > MaxOBAPIUserBytes || len(profile) > MaxOBAPIDataBytes:
		return fmt.Errorf("%w: a profile's user or data", ErrValueTooLarge)
	}
	return o.db.write(ctx, func(q querier) error {
		if _, err := q.ExecContext(ctx, o.putPr, user, profile); err != nil {
			return fmt.Errorf("sqlstore: storing a profile: %w", ctxErr(ctx, err))
		}
		return nil
	})
}
