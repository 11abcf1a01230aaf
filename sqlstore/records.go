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
//
// Each record's History is kept beside it, one row per change of state in
// openbadges_events, written in the transaction that writes the record,
// so that the two never disagree; Records answers issuer.Insights from
// them with indexed queries (see Counts).
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
		return r.db.saveHistory(ctx, q, rec)
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
		return r.db.saveHistory(ctx, q, rec)
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
			return r.db.saveHistory(ctx, q, rec)
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
	if f.After != "" {
		args = append(args, f.After)
		where = append(where, fmt.Sprintf("award_key > $%d", len(args)))
	}
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY award_key"
	if f.Limit > 0 {
		args = append(args, f.Limit)
		query += fmt.Sprintf(" LIMIT $%d", len(args))
	}
	query = rebind(r.db.dialect, query)
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
// achievement_id, state, record (its JSON, without the credential),
// credential (its bytes exactly, or NULL), first_award and time_to_award
// (see recordTimes).
func recordArgs(r *issuer.Record) ([]any, error) {
	switch {
	case r == nil:
		return nil, errors.New("sqlstore: a nil record")
	case r.AwardKey == "":
		return nil, errors.New("sqlstore: a record needs an award key")
	case len(r.AwardKey) > MaxAwardKeyBytes:
		return nil, fmt.Errorf("%w: an award key of %d bytes (the limit is %d)", ErrValueTooLarge, len(r.AwardKey), MaxAwardKeyBytes)
	case len(r.Credential) > MaxRecordBytes:
		return nil, fmt.Errorf("%w: the credential of %s has %d bytes (the limit is %d)", ErrValueTooLarge, r.AwardKey, len(r.Credential), MaxRecordBytes)
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
		return nil, fmt.Errorf("%w: the record of %s has %d bytes (the limit is %d)", ErrValueTooLarge, r.AwardKey, len(rec), MaxRecordBytes)
	}
	var cred []byte // NULL for none
	if len(r.Credential) > 0 {
		cred = r.Credential
	}
	firstAward, timeToAward := recordTimes(r)
	return []any{r.AwardKey, r.AchievementID, string(r.State), rec, cred, firstAward, timeToAward}, nil
}

// recordTimes returns the values of a record's first_award and
// time_to_award columns: when the award key was first awarded
// (Record.FirstAward), in Unix nanoseconds, and how long after it was
// first submitted (Record.Submitted), in nanoseconds, as
// issuer.Insights.TimeToAward counts it; NULL for none.
func recordTimes(r *issuer.Record) (firstAward, timeToAward any) {
	at, ok := r.FirstAward()
	if !ok {
		return nil, nil
	}
	firstAward = at.UnixNano()
	if !r.Submitted.IsZero() {
		timeToAward = int64(max(at.Sub(r.Submitted), 0))
	}
	return firstAward, timeToAward
}

// An event is a row of openbadges_events: one change of a record's state.
type event struct {
	at                int64 // Unix nanoseconds
	state, from, by   string
	achievement, whom string // the record's achievement and learner id
}

// eventKey identifies an award key's event.
type eventKey struct {
	at    int64
	state string
}

// events returns the rows of rec's History. Two changes into the same
// state at the same time are one row, the later one's.
func events(rec *issuer.Record) []event {
	out := make([]event, 0, len(rec.History))
	seen := make(map[eventKey]int, len(rec.History))
	for _, e := range rec.History {
		ev := event{at: e.At.UnixNano(), state: string(e.State), from: string(e.From), by: e.By,
			achievement: rec.AchievementID, whom: rec.Learner.ID}
		k := eventKey{ev.at, ev.state}
		if i, ok := seen[k]; ok {
			out[i] = ev
			continue
		}
		seen[k] = len(out)
		out = append(out, ev)
	}
	return out
}

// eventsPerInsert bounds the rows of one INSERT of events (7 values each).
const eventsPerInsert = 100

// saveHistory makes the award key's rows of openbadges_events those of
// rec's History, in the transaction q that writes rec: it reads the rows
// there are, inserts the new ones and updates the changed ones (an INSERT
// … ON CONFLICT DO UPDATE, so that an event written twice is one row), and
// deletes those the history no longer has (Put may replace a record with
// any other). The record's row, written first, is locked until q ends, so
// two transactions never write one award key's events at once.
func (s *DB) saveHistory(ctx context.Context, q querier, rec *issuer.Record) error {
	want := events(rec)
	have, err := s.storedEvents(ctx, q, rec.AwardKey)
	if err != nil {
		return err
	}
	var put []event
	for _, ev := range want {
		k := eventKey{ev.at, ev.state}
		if old, ok := have[k]; !ok || old != ev {
			put = append(put, ev)
		}
		delete(have, k)
	}
	for len(put) > 0 {
		n := min(len(put), eventsPerInsert)
		if err := s.putEvents(ctx, q, rec.AwardKey, put[:n]); err != nil {
			return err
		}
		put = put[n:]
	}
	for k := range have {
		if _, err := q.ExecContext(ctx, s.q.deleteEvent, k.at, rec.AwardKey, k.state); err != nil {
			return fmt.Errorf("sqlstore: deleting an event of %s: %w", rec.AwardKey, err)
		}
	}
	return nil
}

// storedEvents returns the rows of openbadges_events of an award key.
func (s *DB) storedEvents(ctx context.Context, q querier, key string) (map[eventKey]event, error) {
	rows, err := q.QueryContext(ctx, s.q.recordEvents, key)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: reading the events of %s: %w", key, err)
	}
	defer rows.Close()
	out := map[eventKey]event{}
	for rows.Next() {
		var ev event
		if err := rows.Scan(&ev.at, &ev.state, &ev.from, &ev.by, &ev.achievement, &ev.whom); err != nil {
			return nil, fmt.Errorf("sqlstore: reading the events of %s: %w", key, err)
		}
		out[eventKey{ev.at, ev.state}] = ev
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: reading the events of %s: %w", key, err)
	}
	return out, nil
}

// putEvents inserts or updates the events evs of an award key, in one
// statement.
func (s *DB) putEvents(ctx context.Context, q querier, key string, evs []event) error {
	var b strings.Builder
	b.WriteString(`INSERT INTO openbadges_events (at, award_key, state, from_state, by_whom, achievement_id, learner_id) VALUES `)
	args := make([]any, 0, 7*len(evs))
	for k, ev := range evs {
		if k > 0 {
			b.WriteString(", ")
		}
		n := len(args)
		fmt.Fprintf(&b, "($%d, $%d, $%d, $%d, $%d, $%d, $%d)", n+1, n+2, n+3, n+4, n+5, n+6, n+7)
		args = append(args, ev.at, key, ev.state, ev.from, ev.by, ev.achievement, ev.whom)
	}
	b.WriteString(` ON CONFLICT (at, award_key, state) DO UPDATE SET from_state = excluded.from_state, by_whom = excluded.by_whom,
		achievement_id = excluded.achievement_id, learner_id = excluded.learner_id`)
	if _, err := q.ExecContext(ctx, rebind(s.dialect, b.String()), args...); err != nil {
		return fmt.Errorf("sqlstore: storing the events of %s: %w", key, err)
	}
	return nil
}

// decodeRecord reads a record's row back.
func decodeRecord(rec, cred []byte) (*issuer.Record, error) {
	if len(rec) > MaxRecordBytes || len(cred) > MaxRecordBytes {
		return nil, fmt.Errorf("%w: a stored record has more than %d bytes", ErrValueTooLarge, MaxRecordBytes)
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
