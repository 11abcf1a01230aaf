package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/go-openbadges/openbadges/issuer"
)

// Records is the issuer's record store in the database's
// openbadges_records table: one row per award key, whose primary key makes
// Create atomic across processes. Get it from DB.Records.
type Records struct {
	db *DB
}

var _ issuer.RecordSwapper = (*Records)(nil)

// Get implements issuer.Records.
func (r *Records) Get(ctx context.Context, key string) (*issuer.Record, error) {
	var rec, cred []byte
	err := r.db.db.QueryRowContext(ctx, r.db.q.getRecord, key).Scan(&rec, &cred)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: %s", issuer.ErrRecordNotFound, key)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: reading the record of %s: %w", key, err)
	}
	return decodeRecord(rec, cred)
}

// Create implements issuer.Records: an INSERT that does nothing if the
// award key has a row, which is then an error wrapping
// issuer.ErrRecordExists.
func (r *Records) Create(ctx context.Context, rec *issuer.Record) error {
	args, err := recordArgs(rec)
	if err != nil {
		return err
	}
	return r.db.write(ctx, func(q querier) error {
		res, err := q.ExecContext(ctx, r.db.q.createRecord, args...)
		if err != nil {
			return fmt.Errorf("sqlstore: creating the record of %s: %w", rec.AwardKey, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("sqlstore: creating the record of %s: %w", rec.AwardKey, err)
		} else if n == 0 {
			return fmt.Errorf("%w: %s", issuer.ErrRecordExists, rec.AwardKey)
		}
		return nil
	})
}

// Put implements issuer.Records.
func (r *Records) Put(ctx context.Context, rec *issuer.Record) error {
	args, err := recordArgs(rec)
	if err != nil {
		return err
	}
	return r.db.write(ctx, func(q querier) error {
		if _, err := q.ExecContext(ctx, r.db.q.putRecord, args...); err != nil {
			return fmt.Errorf("sqlstore: storing the record of %s: %w", rec.AwardKey, err)
		}
		return nil
	})
}

// Swap implements issuer.RecordSwapper: an UPDATE of the award key's row
// where its state is from.
func (r *Records) Swap(ctx context.Context, rec *issuer.Record, from issuer.State) error {
	args, err := recordArgs(rec)
	if err != nil {
		return err
	}
	return r.db.write(ctx, func(q querier) error {
		res, err := q.ExecContext(ctx, r.db.q.swapRecord, append(args, string(from))...)
		if err != nil {
			return fmt.Errorf("sqlstore: storing the record of %s: %w", rec.AwardKey, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("sqlstore: storing the record of %s: %w", rec.AwardKey, err)
		} else if n == 1 {
			return nil
		}
		var state string
		err = q.QueryRowContext(ctx, r.db.q.recordState, rec.AwardKey).Scan(&state)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("%w: %s", issuer.ErrRecordNotFound, rec.AwardKey)
		case err != nil:
			return fmt.Errorf("sqlstore: reading the record of %s: %w", rec.AwardKey, err)
		}
		return fmt.Errorf("%w: %s is %s, not %s", issuer.ErrRecordChanged, rec.AwardKey, state, from)
	})
}

// List implements issuer.Records.
func (r *Records) List(ctx context.Context, f issuer.Filter) ([]*issuer.Record, error) {
	query := r.db.q.listRecords
	var where []string
	var args []any
	if f.AchievementID != "" {
		args = append(args, f.AchievementID)
		where = append(where, fmt.Sprintf("achievement_id = $%d", len(args)))
	}
	if f.State != "" {
		args = append(args, string(f.State))
		where = append(where, fmt.Sprintf("state = $%d", len(args)))
	}
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query = rebind(r.db.dialect, query+" ORDER BY award_key")
	rows, err := r.db.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: listing records: %w", err)
	}
	defer rows.Close()
	var out []*issuer.Record
	for rows.Next() {
		var rec, cred []byte
		if err := rows.Scan(&rec, &cred); err != nil {
			return nil, fmt.Errorf("sqlstore: listing records: %w", err)
		}
		d, err := decodeRecord(rec, cred)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: listing records: %w", err)
	}
	return out, nil
}

// recordArgs returns the columns of a record's row: award_key,
// achievement_id, state, record (its JSON, without the credential) and
// credential (its bytes exactly, or NULL).
func recordArgs(r *issuer.Record) ([]any, error) {
	switch {
	case r == nil:
		return nil, errors.New("sqlstore: a nil record")
	case r.AwardKey == "":
		return nil, errors.New("sqlstore: a record needs an award key")
	case len(r.AwardKey) > MaxAwardKeyBytes:
		return nil, fmt.Errorf("%w: an award key of %d bytes (the limit is %d)", ErrTooLarge, len(r.AwardKey), MaxAwardKeyBytes)
	case len(r.Credential) > MaxRecordBytes:
		return nil, fmt.Errorf("%w: the credential of %s has %d bytes (the limit is %d)", ErrTooLarge, r.AwardKey, len(r.Credential), MaxRecordBytes)
	case len(r.Credential) > 0 && !json.Valid(r.Credential):
		return nil, fmt.Errorf("sqlstore: the credential of %s is not JSON", r.AwardKey)
	}
	c := *r
	c.Credential = nil
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&c); err != nil {
		return nil, fmt.Errorf("sqlstore: encoding the record of %s: %w", r.AwardKey, err)
	}
	rec := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	if len(rec) > MaxRecordBytes {
		return nil, fmt.Errorf("%w: the record of %s has %d bytes (the limit is %d)", ErrTooLarge, r.AwardKey, len(rec), MaxRecordBytes)
	}
	var cred []byte // NULL for none
	if len(r.Credential) > 0 {
		cred = r.Credential
	}
	return []any{r.AwardKey, r.AchievementID, string(r.State), rec, cred}, nil
}

// decodeRecord reads a record's row back.
func decodeRecord(rec, cred []byte) (*issuer.Record, error) {
	if len(rec) > MaxRecordBytes || len(cred) > MaxRecordBytes {
		return nil, fmt.Errorf("%w: a stored record has more than %d bytes", ErrTooLarge, MaxRecordBytes)
	}
	var r issuer.Record
	if err := json.Unmarshal(rec, &r); err != nil {
		return nil, fmt.Errorf("sqlstore: a stored record: %w", err)
	}
	if len(cred) > 0 {
		r.Credential = cred
	}
	return &r, nil
}
