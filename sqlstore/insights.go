package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/issuer"
)

// Records answers issuer.Insights from openbadges_events, the records'
// histories one change of state a row, and from the records' first_award
// and time_to_award columns, with the rules of package issuer (Event.Counted,
// Record.FirstAward, InsightQuery.Periods, NearestRank and the cursors),
// so that its answers are those of issuer.ScanInsights over the same
// records.
var _ issuer.Insights = (*Records)(nil)

// periodsPerQuery bounds the periods one statement of Counts counts in.
const periodsPerQuery = 128

// Counts implements issuer.Insights. It counts in the indexes, with no
// sort of the events: for each achievement in order (from the cursor's),
// one statement lists the states its events entered (and with ByReviewer
// the reviewers, from an index of only the changes a person decided),
// each by one step of the index, and counts the events of each state (and
// reviewer) in each period as a range of the index: the periods are those
// of q.Periods, computed in Go in the query's time zone, passed as a list
// of ranges of Unix nanoseconds. It stops once it has one count more than
// the page holds. Its work is bounded by the number of events, plus the
// achievements after the cursor and, for each, its states (and reviewers)
// times the periods.
func (r *Records) Counts(ctx context.Context, q issuer.InsightQuery) (*issuer.CountPage, error) {
	q, err := q.Check()
	if err != nil {
		return nil, err
	}
	var after *issuer.Count
	if q.After != "" {
		c, err := issuer.ParseCountCursor(q.After)
		if err != nil {
			return nil, err
		}
		after = &c
	}
	bs, err := buckets(q)
	if err != nil {
		return nil, err
	}
	counts := []issuer.Count{}
	err = r.db.read(ctx, func(tx querier) error {
		ach, ok := q.AchievementID, true
		switch {
		case ach != "" && after != nil && ach < after.AchievementID:
			return nil
		case ach == "":
			from := ""
			if after != nil {
				from = after.AchievementID
			}
			if ach, ok, err = r.nextAchievement(ctx, tx, from, true); err != nil {
				return err
			}
		}
		for ok {
			first := 0
			if after != nil && ach == after.AchievementID {
				// The periods before the cursor's hold nothing after it.
				first = sort.Search(len(bs), func(k int) bool { return !bs[k].start.Before(after.Period) })
			}
			for k := first; k < len(bs); k += periodsPerQuery {
				cs, err := r.countPeriods(ctx, tx, q, ach, bs[k:min(k+periodsPerQuery, len(bs))])
				if err != nil {
					return err
				}
				for _, c := range cs {
					if after == nil || compareCounts(c, *after) > 0 {
						counts = append(counts, c)
					}
				}
				if len(counts) > q.Limit {
					return nil
				}
			}
			if q.AchievementID != "" {
				return nil
			}
			if ach, ok, err = r.nextAchievement(ctx, tx, ach, false); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	page := &issuer.CountPage{Counts: counts}
	if len(counts) > q.Limit {
		page.Counts = counts[:q.Limit]
		page.Next = issuer.CountCursor(page.Counts[q.Limit-1])
	}
	return page, nil
}

// A bucket is one period of a Counts query: its start (zero for
// PeriodNone), and the range of Unix nanoseconds [lo, hi) of the events
// counted in it, the period cut to the query's [Since, Until).
type bucket struct {
	start  time.Time
	lo, hi int64
}

// buckets returns the periods of q, in order.
func buckets(q issuer.InsightQuery) ([]bucket, error) {
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	if !q.Since.IsZero() {
		lo = q.Since.UnixNano()
	}
	if !q.Until.IsZero() {
		hi = q.Until.UnixNano()
	}
	if q.Period == issuer.PeriodNone {
		return []bucket{{lo: lo, hi: hi}}, nil
	}
	starts, err := q.Periods()
	if err != nil {
		return nil, err
	}
	out := make([]bucket, len(starts))
	for k, p := range starts {
		out[k] = bucket{start: p, lo: max(p.UnixNano(), lo), hi: hi}
		if k+1 < len(starts) {
			out[k].hi = starts[k+1].UnixNano()
		}
	}
	return out, nil
}

// compareCounts orders counts as Counts returns them, as package issuer
// does.
func compareCounts(a, b issuer.Count) int {
	return cmp.Or(strings.Compare(a.AchievementID, b.AchievementID), a.Period.Compare(b.Period),
		strings.Compare(string(a.State), string(b.State)), strings.Compare(a.By, b.By))
}

// nextAchievement returns the first achievement id of the events after
// from (or equal to it, if inclusive), and false if there is none.
func (r *Records) nextAchievement(ctx context.Context, q querier, from string, inclusive bool) (string, bool, error) {
	op := ">"
	if inclusive {
		op = ">="
	}
	var ach string
	err := q.QueryRowContext(ctx, rebind(r.db.dialect,
		`SELECT achievement_id FROM openbadges_events WHERE achievement_id `+op+` $1 ORDER BY achievement_id LIMIT 1`), from).Scan(&ach)
	switch {
	case err == nil:
		return ach, true, nil
	case errors.Is(err, sql.ErrNoRows):
		return "", false, nil
	}
	return "", false, fmt.Errorf("sqlstore: counting: %w", ctxErr(ctx, err))
}

// countPeriods returns the counts of the achievement ach in the periods
// bs, in order.
func (r *Records) countPeriods(ctx context.Context, q querier, in issuer.InsightQuery, ach string, bs []bucket) ([]issuer.Count, error) {
	args := []any{ach, string(issuer.StateIssued), string(issuer.StateSuspended)}
	var values strings.Builder
	for k, b := range bs {
		if k > 0 {
			values.WriteString(", ")
		}
		n := len(args)
		fmt.Fprintf(&values, "(CAST($%d AS BIGINT), CAST($%d AS BIGINT), CAST($%d AS BIGINT))", n+1, n+2, n+3)
		args = append(args, k, b.lo, b.hi)
	}
	query := countQuery
	if in.ByReviewer {
		query = countByReviewerQuery
	}
	collate := ""
	if r.db.dialect == PostgreSQL {
		collate = ` COLLATE "C"`
	}
	query = strings.NewReplacer("{periods}", values.String(), "{collate}", collate).Replace(query)
	rows, err := q.QueryContext(ctx, rebind(r.db.dialect, query), args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: counting: %w", ctxErr(ctx, err))
	}
	defer rows.Close()
	type group struct {
		period    int
		state, by string
		n         int
	}
	var groups []group
	for rows.Next() {
		var g group
		if err := rows.Scan(&g.period, &g.state, &g.by, &g.n); err != nil {
			return nil, fmt.Errorf("sqlstore: counting: %w", err)
		}
		if g.n > 0 {
			groups = append(groups, g)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: counting: %w", ctxErr(ctx, err))
	}
	slices.SortFunc(groups, func(a, b group) int {
		return cmp.Or(cmp.Compare(a.period, b.period), strings.Compare(a.state, b.state), strings.Compare(a.by, b.by))
	})
	out := make([]issuer.Count, len(groups))
	for k, g := range groups {
		out[k] = issuer.Count{AchievementID: ach, Period: bs[g.period].start, State: issuer.State(g.state), By: g.by, N: g.n}
	}
	return out, nil
}

// countQuery counts the events of the achievement $1 into each state in
// each period of {periods} (index, lo, hi), except the lifting of a
// suspension (into $2 from $3). The recursive s lists the states, one step
// of the index openbadges_events_counts each (SQL has no loose index scan
// of its own); each count is a range of that index.
const countQuery = `WITH RECURSIVE s(s) AS (
	SELECT (SELECT state FROM openbadges_events WHERE achievement_id = $1 ORDER BY state LIMIT 1)
	UNION ALL
	SELECT (SELECT state FROM openbadges_events WHERE achievement_id = $1 AND state > s.s{collate} ORDER BY state LIMIT 1)
	FROM s WHERE s.s IS NOT NULL
), p(i, lo, hi) AS (VALUES {periods})
SELECT p.i, s.s, '', (SELECT count(*) FROM openbadges_events e
	WHERE e.achievement_id = $1 AND e.state = s.s AND e.at >= p.lo AND e.at < p.hi AND NOT (e.state = $2 AND e.from_state = $3))
FROM s, p WHERE s.s IS NOT NULL`

// countByReviewerQuery is countQuery for the changes a person decided,
// per person: t lists the states and reviewers, and the counts are ranges
// of the index openbadges_events_reviewers, which holds only them.
const countByReviewerQuery = `WITH RECURSIVE s(s) AS (
	SELECT (SELECT state FROM openbadges_events WHERE achievement_id = $1 AND by_whom <> '' ORDER BY state LIMIT 1)
	UNION ALL
	SELECT (SELECT state FROM openbadges_events WHERE achievement_id = $1 AND by_whom <> '' AND state > s.s{collate} ORDER BY state LIMIT 1)
	FROM s WHERE s.s IS NOT NULL
), t(s, b) AS (
	SELECT s.s, (SELECT by_whom FROM openbadges_events WHERE achievement_id = $1 AND state = s.s AND by_whom <> '' ORDER BY by_whom LIMIT 1)
	FROM s WHERE s.s IS NOT NULL
	UNION ALL
	SELECT t.s, (SELECT by_whom FROM openbadges_events WHERE achievement_id = $1 AND state = t.s AND by_whom <> '' AND by_whom > t.b{collate} ORDER BY by_whom LIMIT 1)
	FROM t WHERE t.b IS NOT NULL
), p(i, lo, hi) AS (VALUES {periods})
SELECT p.i, t.s, t.b, (SELECT count(*) FROM openbadges_events e
	WHERE e.achievement_id = $1 AND e.state = t.s AND e.by_whom = t.b AND e.by_whom <> '' AND e.at >= p.lo AND e.at < p.hi
		AND NOT (e.state = $2 AND e.from_state = $3))
FROM t, p WHERE t.b IS NOT NULL`

// TimeToAward implements issuer.Insights, from the records'
// time_to_award and first_award columns (see recordTimes), whose index
// lists each achievement's times to award in order: per achievement, it
// counts those whose first award is in [Since, Until), n, and walks the
// index to the ⌈n/2⌉-th and the ⌈9n/10⌉-th of them, with no sort. Its work
// is bounded by the number of awarded records.
func (r *Records) TimeToAward(ctx context.Context, q issuer.InsightQuery) ([]issuer.AwardTiming, error) {
	q, err := q.Check()
	if err != nil {
		return nil, err
	}
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	if !q.Since.IsZero() {
		lo = q.Since.UnixNano()
	}
	if !q.Until.IsZero() {
		hi = q.Until.UnixNano()
	}
	const awarded = ` FROM openbadges_records WHERE achievement_id = $1 AND time_to_award IS NOT NULL AND first_award >= $2 AND first_award < $3`
	count := rebind(r.db.dialect, `SELECT count(*)`+awarded)
	rank := rebind(r.db.dialect, `SELECT time_to_award`+awarded+` ORDER BY time_to_award LIMIT 1 OFFSET $4`)
	const after = `SELECT achievement_id FROM openbadges_records WHERE time_to_award IS NOT NULL AND achievement_id %s $1
		ORDER BY achievement_id LIMIT 1`
	first, next := rebind(r.db.dialect, fmt.Sprintf(after, ">=")), rebind(r.db.dialect, fmt.Sprintf(after, ">"))
	out := []issuer.AwardTiming{}
	err = r.db.read(ctx, func(tx querier) error {
		ach := q.AchievementID
		for k := 0; ; k++ {
			if q.AchievementID == "" {
				find := next
				if k == 0 {
					find = first
				}
				err := tx.QueryRowContext(ctx, find, ach).Scan(&ach)
				if errors.Is(err, sql.ErrNoRows) {
					return nil
				}
				if err != nil {
					return fmt.Errorf("sqlstore: time to award: %w", ctxErr(ctx, err))
				}
			}
			t := issuer.AwardTiming{AchievementID: ach}
			if err := tx.QueryRowContext(ctx, count, ach, lo, hi).Scan(&t.N); err != nil {
				return fmt.Errorf("sqlstore: time to award: %w", ctxErr(ctx, err))
			}
			if t.N > 0 {
				// The nearest ranks ⌈n·p⌉, in integers, as 1-based
				// offsets.
				for _, p := range []struct {
					k int
					d *time.Duration
				}{{(t.N + 1) / 2, &t.Median}, {(9*t.N + 9) / 10, &t.P90}} {
					var ns int64
					if err := tx.QueryRowContext(ctx, rank, ach, lo, hi, p.k-1).Scan(&ns); err != nil {
						return fmt.Errorf("sqlstore: time to award: %w", ctxErr(ctx, err))
					}
					*p.d = time.Duration(ns)
				}
				out = append(out, t)
			}
			if q.AchievementID != "" {
				return nil
			}
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Decisions implements issuer.Insights: a page of openbadges_events in the
// order of its primary key (time, award key, state), after the cursor's
// row, by the index of one achievement's events if q names one.
func (r *Records) Decisions(ctx context.Context, q issuer.InsightQuery) (*issuer.DecisionPage, error) {
	q, err := q.Check()
	if err != nil {
		return nil, err
	}
	var where []string
	var args []any
	if !q.Since.IsZero() {
		args = append(args, q.Since.UnixNano())
		where = append(where, fmt.Sprintf("at >= $%d", len(args)))
	}
	if !q.Until.IsZero() {
		args = append(args, q.Until.UnixNano())
		where = append(where, fmt.Sprintf("at < $%d", len(args)))
	}
	if q.AchievementID != "" {
		args = append(args, q.AchievementID)
		where = append(where, fmt.Sprintf("achievement_id = $%d", len(args)))
	}
	if q.After != "" {
		c, err := issuer.ParseDecisionCursor(q.After)
		if err != nil {
			return nil, err
		}
		args = append(args, c.At.UnixNano(), c.AwardKey, string(c.State))
		n := len(args)
		where = append(where, fmt.Sprintf("(at, award_key, state) > ($%d, $%d, $%d)", n-2, n-1, n))
	}
	cols := "at, award_key, achievement_id, from_state, state, by_whom"
	if q.Learners {
		cols += ", learner_id"
	}
	query := "SELECT " + cols + " FROM openbadges_events"
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	args = append(args, q.Limit+1)
	query = rebind(r.db.dialect, query+fmt.Sprintf(" ORDER BY at, award_key, state LIMIT $%d", len(args)))
	rows, err := r.db.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: listing decisions: %w", ctxErr(ctx, err))
	}
	defer rows.Close()
	var out []issuer.DecisionRow
	for rows.Next() {
		var d issuer.DecisionRow
		var at int64
		var from, state string
		dest := []any{&at, &d.AwardKey, &d.AchievementID, &from, &state, &d.By}
		if q.Learners {
			dest = append(dest, &d.LearnerID)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("sqlstore: listing decisions: %w", err)
		}
		d.At, d.From, d.State = time.Unix(0, at).UTC(), issuer.State(from), issuer.State(state)
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: listing decisions: %w", ctxErr(ctx, err))
	}
	page := &issuer.DecisionPage{Decisions: out}
	if len(out) > q.Limit {
		page.Decisions = out[:q.Limit]
		page.Next = issuer.DecisionCursor(page.Decisions[q.Limit-1])
	}
	return page, nil
}
