package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/go-openbadges/openbadges/status"
)

// StatusStore is a status.Store in the database's openbadges_status_lists
// table: one row per list, holding it in the JSON form of
// status.List.MarshalJSON, whatever its kind (a message list's statusSize,
// default statusMessage and statusReference are members of that JSON, so
// no column depends on them). Update is one transaction holding the list's
// row lock, so that processes allocating from one list never hand out the
// same index, and no revocation or status value is lost. Get it from
// DB.Status.
type StatusStore struct {
	db *DB
}

var _ status.Store = (*StatusStore)(nil)

// Create implements status.Store.
func (s *StatusStore) Create(ctx context.Context, l *status.List) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	data, err := l.MarshalJSON() // refuses an inconsistent list
	if err != nil {
		return err
	}
	return s.db.write(ctx, func(q querier) error {
		res, err := q.ExecContext(ctx, s.db.q.createList, l.URL, data)
		if err != nil {
			return fmt.Errorf("sqlstore: creating status list %s: %w", l.URL, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("sqlstore: creating status list %s: %w", l.URL, err)
		} else if n == 0 {
			return fmt.Errorf("%w: %s", status.ErrExists, l.URL)
		}
		return nil
	})
}

// Load implements status.Store.
func (s *StatusStore) Load(ctx context.Context, url string) (*status.List, error) {
	return s.load(ctx, s.db.db, s.db.q.loadList, url)
}

// load reads the list at url with query (loadList, or lockList within a
// transaction).
func (s *StatusStore) load(ctx context.Context, q querier, query, url string) (*status.List, error) {
	var data []byte
	err := q.QueryRowContext(ctx, query, url).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: %s", status.ErrNoList, url)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: reading status list %s: %w", url, err)
	}
	if len(data) > status.MaxListJSONBytes {
		return nil, fmt.Errorf("%w: stored status list %s has more than %d bytes", status.ErrListTooLarge, url, status.MaxListJSONBytes)
	}
	l := new(status.List)
	if err := l.UnmarshalJSON(data); err != nil {
		return nil, fmt.Errorf("sqlstore: stored status list %s: %w", url, err)
	}
	if l.URL != url {
		return nil, fmt.Errorf("sqlstore: the row of status list %s holds the list at %s", url, l.URL)
	}
	return l, nil
}

// Update implements status.Store: in one transaction, the list's row is
// read and locked (SELECT … FOR UPDATE in PostgreSQL; in SQLite the
// transaction holds the database's write lock from its start), fn changes
// a copy, status.CheckUpdate checks it, and the row is written. In
// PostgreSQL a transaction aborted as a serialization failure or a
// deadlock runs again, so fn may be called more than once. fn runs inside
// the transaction: it must not use the store.
func (s *StatusStore) Update(ctx context.Context, url string, fn func(*status.List) error) error {
	return s.db.write(ctx, func(q querier) error {
		before, err := s.load(ctx, q, s.db.q.lockList, url)
		if err != nil {
			return err
		}
		after := before.Clone()
		if err := fn(after); err != nil {
			return err
		}
		if err := status.CheckUpdate(before, after); err != nil {
			return err
		}
		after.Revision = before.Revision + 1
		data, err := after.MarshalJSON()
		if err != nil {
			return err
		}
		if _, err := q.ExecContext(ctx, s.db.q.updateList, url, data); err != nil {
			return fmt.Errorf("sqlstore: writing status list %s: %w", url, err)
		}
		return nil
	})
}

// URLs implements status.Store.
func (s *StatusStore) URLs(ctx context.Context) ([]string, error) {
	rows, err := s.db.db.QueryContext(ctx, s.db.q.listURLs)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: listing status lists: %w", err)
	}
	defer rows.Close()
	var urls []string
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			return nil, fmt.Errorf("sqlstore: listing status lists: %w", err)
		}
		urls = append(urls, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: listing status lists: %w", err)
	}
	return urls, nil
}
