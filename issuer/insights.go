package issuer

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Insights answers what an issuer's records say in aggregate: how many
// awards were granted, denied, sent to review, revoked or suspended, per
// achievement and period; how long awards take; every decision, for a
// spreadsheet. It works from the records' History (see Event), so it
// counts changes of state when they happened, not only where records
// stand now. MemoryRecords and DirRecords implement it by scanning their
// records; package sqlstore's Records with indexed SQL. Every
// implementation gives the same answers for the same records (the rules
// are below, and a conformance test holds them to it).
//
// Results are paged: a page has at most the query's Limit items and a Next
// cursor, empty on the last page, to pass as the next query's After.
type Insights interface {
	// Counts returns, per achievement, period and state (and reviewer,
	// with ByReviewer), how many changes into that state happened in
	// [Since, Until), ordered by achievement id, period, state, reviewer.
	// A change from suspended back to issued (lifting a suspension) is
	// not counted: an award is counted once, when it is made or
	// reinstated. Groups of zero are left out.
	Counts(ctx context.Context, q InsightQuery) (*CountPage, error)
	// TimeToAward returns, per achievement (ordered by id), the time from
	// each award key's first submission (Record.Submitted) to its first
	// award (its first change into issued), over the award keys whose
	// first award falls in [Since, Until): how many, the median and the
	// 90th percentile, both by nearest rank (the ⌈p·n⌉-th smallest
	// duration). It is not paged: it has one row per achievement.
	TimeToAward(ctx context.Context, q InsightQuery) ([]AwardTiming, error)
	// Decisions returns the changes of state in [Since, Until), ordered
	// by time, award key and state, for export. Learner ids are included
	// only when q.Learners is set.
	Decisions(ctx context.Context, q InsightQuery) (*DecisionPage, error)
}

// A Period is the length of the time buckets Counts groups by.
type Period string

// The periods. Periods start at midnight in the query's Location: a day,
// an ISO week (from Monday), a calendar month.
const (
	PeriodNone  Period = "" // one bucket for the whole range
	PeriodDay   Period = "day"
	PeriodWeek  Period = "week"
	PeriodMonth Period = "month"
)

// Bounds of Insights queries.
const (
	// DefaultPageSize is a query's Limit when it sets none.
	DefaultPageSize = 1000
	// MaxPageSize is the largest Limit a query may set.
	MaxPageSize = 10000
	// MaxPeriods is how many periods a Counts query may span: 30 years
	// of days.
	MaxPeriods = 11000
)

// The range of times a query may name: within what a time in nanoseconds
// since 1970 holds (1678 to 2262), which stores and cursors use.
var (
	minQueryTime = time.Date(1700, 1, 1, 0, 0, 0, 0, time.UTC)
	maxQueryTime = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
)

// ErrQuery is wrapped by the error of an Insights query that cannot be
// answered as asked: an unknown period, a range of too many periods, a
// limit out of bounds, a cursor that is not one.
var ErrQuery = errors.New("issuer: bad insights query")

// InsightQuery selects what an Insights question is about. The zero value
// selects everything, in one bucket, a page of DefaultPageSize.
type InsightQuery struct {
	// Since and Until bound the time of the changes counted: [Since,
	// Until). Zero: unbounded. Counts with a Period needs both.
	Since, Until time.Time
	// AchievementID, if set, selects one achievement.
	AchievementID string
	// Period groups Counts by day, week or month.
	Period Period
	// Location is the time zone periods start their days in. Nil: UTC.
	Location *time.Location
	// ByReviewer makes Counts group by Event.By and count only the
	// changes a person decided (reviews, reinstatements): reviewer
	// throughput.
	ByReviewer bool
	// Learners makes Decisions include each record's learner id, which
	// is personal data: only when the report's reader may see it.
	Learners bool
	// After is the cursor of the page to return: the previous page's
	// Next. Empty: the first page.
	After string
	// Limit is the most items a page holds. Zero: DefaultPageSize.
	Limit int
}

// A Count is the number of changes into a State in one group.
type Count struct {
	// AchievementID is the achievement's id.
	AchievementID string `json:"achievement"`
	// Period is the start of the period (in the query's Location); zero
	// for PeriodNone.
	Period time.Time `json:"period,omitzero"`
	// State is the state entered.
	State State `json:"state"`
	// By is the person who decided, with ByReviewer.
	By string `json:"by,omitempty"`
	// N is how many.
	N int `json:"n"`
}

// CountPage is a page of Counts.
type CountPage struct {
	Counts []Count
	// Next is the cursor of the next page; empty on the last one.
	Next string
}

// AwardTiming is how long one achievement's awards took.
type AwardTiming struct {
	AchievementID string        `json:"achievement"`
	N             int           `json:"n"`
	Median        time.Duration `json:"median"`
	P90           time.Duration `json:"p90"`
}

// A DecisionRow is one change of state, as Decisions exports it.
type DecisionRow struct {
	At            time.Time `json:"at"`
	AwardKey      string    `json:"awardKey"`
	AchievementID string    `json:"achievement"`
	From          State     `json:"from,omitempty"`
	State         State     `json:"state"`
	By            string    `json:"by,omitempty"`
	// LearnerID is the record's Learner.ID, with InsightQuery.Learners.
	LearnerID string `json:"learner,omitempty"`
}

// DecisionPage is a page of Decisions.
type DecisionPage struct {
	Decisions []DecisionRow
	// Next is the cursor of the next page; empty on the last one.
	Next string
}

// Check returns the query with its defaults filled in (Location, Limit),
// or an error wrapping ErrQuery.
func (q InsightQuery) Check() (InsightQuery, error) {
	if q.Location == nil {
		q.Location = time.UTC
	}
	switch {
	case q.Limit == 0:
		q.Limit = DefaultPageSize
	case q.Limit < 0 || q.Limit > MaxPageSize:
		return q, fmt.Errorf("%w: a limit of %d (want 1 to %d)", ErrQuery, q.Limit, MaxPageSize)
	}
	switch q.Period {
	case PeriodNone:
	case PeriodDay, PeriodWeek, PeriodMonth:
		if q.Since.IsZero() || q.Until.IsZero() {
			return q, fmt.Errorf("%w: counting by %s needs both ends of the range (since and until)", ErrQuery, q.Period)
		}
		if _, err := q.Periods(); err != nil {
			return q, err
		}
	default:
		return q, fmt.Errorf("%w: period %q (want day, week or month)", ErrQuery, q.Period)
	}
	for _, t := range []time.Time{q.Since, q.Until} {
		if !t.IsZero() && (t.Before(minQueryTime) || t.After(maxQueryTime)) {
			return q, fmt.Errorf("%w: %s is outside the years 1700 to 2200", ErrQuery, t.Format(time.RFC3339))
		}
	}
	if !q.Since.IsZero() && !q.Until.IsZero() && !q.Since.Before(q.Until) {
		return q, fmt.Errorf("%w: since %s is not before until %s", ErrQuery, q.Since.Format(time.RFC3339), q.Until.Format(time.RFC3339))
	}
	return q, nil
}

// PeriodStart returns the start of the period t falls in, in the query's
// Location (UTC if nil); t itself's zero for PeriodNone.
func (q InsightQuery) PeriodStart(t time.Time) time.Time {
	loc := q.Location
	if loc == nil {
		loc = time.UTC
	}
	t = t.In(loc)
	switch q.Period {
	case PeriodDay:
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	case PeriodWeek:
		back := (int(t.Weekday()) + 6) % 7 // days since Monday
		return time.Date(t.Year(), t.Month(), t.Day()-back, 0, 0, 0, 0, loc)
	case PeriodMonth:
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, loc)
	}
	return time.Time{}
}

// Periods returns the starts of the periods that [Since, Until) meets, in
// order: the first is the start of Since's period, and each period ends
// where the next starts. A store groups by them (an event at t is in the
// last period that starts at or before t). It fails with ErrQuery for more
// than MaxPeriods.
func (q InsightQuery) Periods() ([]time.Time, error) {
	if q.Period == PeriodNone {
		return nil, nil
	}
	var out []time.Time
	for p := q.PeriodStart(q.Since); p.Before(q.Until); p = q.next(p) {
		if len(out) == MaxPeriods {
			return nil, fmt.Errorf("%w: more than %d %s periods from %s to %s", ErrQuery, MaxPeriods, q.Period, q.Since.Format(time.RFC3339), q.Until.Format(time.RFC3339))
		}
		out = append(out, p)
	}
	return out, nil
}

// next returns the start of the period after the one starting at p.
func (q InsightQuery) next(p time.Time) time.Time {
	switch q.Period {
	case PeriodDay:
		return time.Date(p.Year(), p.Month(), p.Day()+1, 0, 0, 0, 0, p.Location())
	case PeriodWeek:
		return time.Date(p.Year(), p.Month(), p.Day()+7, 0, 0, 0, 0, p.Location())
	}
	return time.Date(p.Year(), p.Month()+1, 1, 0, 0, 0, 0, p.Location())
}

// In reports whether t is in [Since, Until).
func (q InsightQuery) In(t time.Time) bool {
	return (q.Since.IsZero() || !t.Before(q.Since)) && (q.Until.IsZero() || t.Before(q.Until))
}

// Counted reports whether Counts counts the event e: every change of state
// but the lifting of a suspension, and with byReviewer only the changes a
// person decided.
func (e Event) Counted(byReviewer bool) bool {
	if e.From == StateSuspended && e.State == StateIssued {
		return false
	}
	return !byReviewer || e.By != ""
}

// FirstAward returns the time of r's first award (its first change into
// issued), and false if it has none.
func (r *Record) FirstAward() (time.Time, bool) {
	for _, e := range r.History {
		if e.State == StateIssued && e.From != StateSuspended {
			return e.At, true
		}
	}
	return time.Time{}, false
}

// NearestRank returns the ⌈pct·n/100⌉-th smallest of sorted (ascending),
// the nearest-rank percentile pct (1 to 100), in integers so that every
// store computes the same rank; zero for none.
func NearestRank(sorted []time.Duration, pct int) time.Duration {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	k := (n*pct + 99) / 100
	return sorted[min(max(k, 1), n)-1]
}

// ScanInsights answers Insights questions by scanning records: how
// MemoryRecords and DirRecords do it, and what a store without native
// queries can use. list returns every record of the query's achievement
// (all, if empty).
type ScanInsights struct {
	List func(ctx context.Context, achievementID string) ([]*Record, error)
}

var _ Insights = ScanInsights{}

// Counts implements Insights.
func (s ScanInsights) Counts(ctx context.Context, q InsightQuery) (*CountPage, error) {
	q, err := q.Check()
	if err != nil {
		return nil, err
	}
	recs, err := s.List(ctx, q.AchievementID)
	if err != nil {
		return nil, err
	}
	type key struct {
		ach    string
		period int64
		state  State
		by     string
	}
	n := map[key]int{}
	for _, r := range recs {
		for _, e := range r.History {
			if !q.In(e.At) || !e.Counted(q.ByReviewer) {
				continue
			}
			k := key{ach: r.AchievementID, state: e.State}
			if q.Period != PeriodNone {
				k.period = q.PeriodStart(e.At).UnixNano()
			}
			if q.ByReviewer {
				k.by = e.By
			}
			n[k]++
		}
	}
	counts := make([]Count, 0, len(n))
	for k, v := range n {
		c := Count{AchievementID: k.ach, State: k.state, By: k.by, N: v}
		if q.Period != PeriodNone {
			c.Period = time.Unix(0, k.period).In(q.Location)
		}
		counts = append(counts, c)
	}
	slices.SortFunc(counts, compareCounts)
	page, next, err := pageOf(counts, q, ParseCountCursor, compareCounts, CountCursor)
	if err != nil {
		return nil, err
	}
	return &CountPage{Counts: page, Next: next}, nil
}

// pageOf returns the page of sorted (ordered by compare) that q asks for:
// at most q.Limit items after the one q.After names (parsed with parse),
// and the cursor of the next page (made with cursor), empty on the last.
func pageOf[T any](sorted []T, q InsightQuery, parse func(string) (T, error), compare func(a, b T) int, cursor func(T) string) ([]T, string, error) {
	start := 0
	if q.After != "" {
		after, err := parse(q.After)
		if err != nil {
			return nil, "", err
		}
		var found bool
		if start, found = slices.BinarySearchFunc(sorted, after, compare); found {
			start++
		}
	}
	end := min(start+q.Limit, len(sorted))
	var next string
	if end < len(sorted) {
		next = cursor(sorted[end-1])
	}
	return sorted[start:end], next, nil
}

// compareCounts orders counts as Counts returns them.
func compareCounts(a, b Count) int {
	return cmp.Or(strings.Compare(a.AchievementID, b.AchievementID), a.Period.Compare(b.Period),
		strings.Compare(string(a.State), string(b.State)), strings.Compare(a.By, b.By))
}

// CountCursor returns the cursor of the page after the one that ends with
// c: what every implementation of Insights gives as CountPage.Next.
func CountCursor(c Count) string {
	period := ""
	if !c.Period.IsZero() {
		period = strconv.FormatInt(c.Period.UnixNano(), 10)
	}
	return cursor(c.AchievementID, period, string(c.State), c.By)
}

// ParseCountCursor reads a CountPage.Next: the last count of the page
// before (only its achievement, period, state and reviewer), for a store
// to continue after it. The error wraps ErrQuery.
func ParseCountCursor(s string) (Count, error) {
	f, err := uncursor(s, 4)
	if err != nil {
		return Count{}, err
	}
	c := Count{AchievementID: f[0], State: State(f[2]), By: f[3]}
	if f[1] != "" {
		ns, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil {
			return Count{}, fmt.Errorf("%w: a cursor that is not one", ErrQuery)
		}
		c.Period = time.Unix(0, ns)
	}
	return c, nil
}

// TimeToAward implements Insights.
func (s ScanInsights) TimeToAward(ctx context.Context, q InsightQuery) ([]AwardTiming, error) {
	q, err := q.Check()
	if err != nil {
		return nil, err
	}
	recs, err := s.List(ctx, q.AchievementID)
	if err != nil {
		return nil, err
	}
	by := map[string][]time.Duration{}
	for _, r := range recs {
		at, ok := r.FirstAward()
		if !ok || !q.In(at) || r.Submitted.IsZero() {
			continue
		}
		by[r.AchievementID] = append(by[r.AchievementID], max(at.Sub(r.Submitted), 0))
	}
	out := make([]AwardTiming, 0, len(by))
	for ach, ds := range by {
		slices.Sort(ds)
		out = append(out, AwardTiming{AchievementID: ach, N: len(ds), Median: NearestRank(ds, 50), P90: NearestRank(ds, 90)})
	}
	slices.SortFunc(out, func(a, b AwardTiming) int { return strings.Compare(a.AchievementID, b.AchievementID) })
	return out, nil
}

// Decisions implements Insights.
func (s ScanInsights) Decisions(ctx context.Context, q InsightQuery) (*DecisionPage, error) {
	q, err := q.Check()
	if err != nil {
		return nil, err
	}
	recs, err := s.List(ctx, q.AchievementID)
	if err != nil {
		return nil, err
	}
	var rows []DecisionRow
	for _, r := range recs {
		for _, e := range r.History {
			if !q.In(e.At) {
				continue
			}
			row := DecisionRow{At: e.At.UTC(), AwardKey: r.AwardKey, AchievementID: r.AchievementID, From: e.From, State: e.State, By: e.By}
			if q.Learners {
				row.LearnerID = r.Learner.ID
			}
			rows = append(rows, row)
		}
	}
	slices.SortFunc(rows, compareDecisions)
	page, next, err := pageOf(rows, q, ParseDecisionCursor, compareDecisions, DecisionCursor)
	if err != nil {
		return nil, err
	}
	return &DecisionPage{Decisions: page, Next: next}, nil
}

// compareDecisions orders decisions as Decisions returns them.
func compareDecisions(a, b DecisionRow) int {
	return cmp.Or(a.At.Compare(b.At), strings.Compare(a.AwardKey, b.AwardKey), strings.Compare(string(a.State), string(b.State)))
}

// DecisionCursor returns the cursor of the page after the one that ends
// with d: what every implementation of Insights gives as
// DecisionPage.Next.
func DecisionCursor(d DecisionRow) string {
	return cursor(strconv.FormatInt(d.At.UnixNano(), 10), d.AwardKey, string(d.State))
}

// ParseDecisionCursor reads a DecisionPage.Next: the last row of the page
// before (its time, award key and state). The error wraps ErrQuery.
func ParseDecisionCursor(s string) (DecisionRow, error) {
	f, err := uncursor(s, 3)
	if err != nil {
		return DecisionRow{}, err
	}
	ns, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil {
		return DecisionRow{}, fmt.Errorf("%w: a cursor that is not one", ErrQuery)
	}
	return DecisionRow{At: time.Unix(0, ns).UTC(), AwardKey: f[1], State: State(f[2])}, nil
}

// cursor joins fields into an opaque cursor.
func cursor(fields ...string) string {
	for k, f := range fields {
		fields[k] = strconv.Quote(f)
	}
	return strings.Join(fields, ",")
}

// uncursor splits a cursor into its n fields.
func uncursor(s string, n int) ([]string, error) {
	if len(s) > 4096 {
		return nil, fmt.Errorf("%w: a cursor of %d bytes", ErrQuery, len(s))
	}
	var out []string
	for s != "" && len(out) < n {
		q, err := strconv.QuotedPrefix(s)
		if err != nil {
			return nil, fmt.Errorf("%w: a cursor that is not one", ErrQuery)
		}
		f, _ := strconv.Unquote(q)
		out = append(out, f)
		s = strings.TrimPrefix(s[len(q):], ",")
	}
	if len(out) != n || s != "" {
		return nil, fmt.Errorf("%w: a cursor that is not one", ErrQuery)
	}
	return out, nil
}

// LearnerRecords returns every record of learner l at this issuer, one per
// achievement that has one, in the order of Config.Achievements: the
// learner's transcript, found by award key (as the records keep no email
// address, the learner is named as Issue names them).
func (i *Issuer) LearnerRecords(ctx context.Context, l Learner) ([]*Record, error) {
	if l.ID == "" && l.Email == "" {
		return nil, ErrNoRecipient
	}
	var out []*Record
	for _, a := range i.cfg.Achievements {
		r, err := i.records.Get(ctx, i.AwardKey(a.Achievement.ID, l))
		switch {
		case errors.Is(err, ErrRecordNotFound):
			continue
		case err != nil:
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// Insights returns the issuer's records as Insights, if its Records
// implements it (MemoryRecords, DirRecords and sqlstore's do).
func (i *Issuer) Insights() (Insights, bool) {
	in, ok := i.records.(Insights)
	return in, ok
}

// scanOf answers Insights questions about r by listing its records.
func scanOf(r Records) ScanInsights {
	return ScanInsights{List: func(ctx context.Context, ach string) ([]*Record, error) {
		return r.List(ctx, Filter{AchievementID: ach})
	}}
}

// Counts implements Insights by scanning the records.
func (s *MemoryRecords) Counts(ctx context.Context, q InsightQuery) (*CountPage, error) {
	return scanOf(s).Counts(ctx, q)
}

// TimeToAward implements Insights by scanning the records.
func (s *MemoryRecords) TimeToAward(ctx context.Context, q InsightQuery) ([]AwardTiming, error) {
	return scanOf(s).TimeToAward(ctx, q)
}

// Decisions implements Insights by scanning the records.
func (s *MemoryRecords) Decisions(ctx context.Context, q InsightQuery) (*DecisionPage, error) {
	return scanOf(s).Decisions(ctx, q)
}

// Counts implements Insights by reading every record.
func (s *DirRecords) Counts(ctx context.Context, q InsightQuery) (*CountPage, error) {
	return scanOf(s).Counts(ctx, q)
}

// TimeToAward implements Insights by reading every record.
func (s *DirRecords) TimeToAward(ctx context.Context, q InsightQuery) ([]AwardTiming, error) {
	return scanOf(s).TimeToAward(ctx, q)
}

// Decisions implements Insights by reading every record.
func (s *DirRecords) Decisions(ctx context.Context, q InsightQuery) (*DecisionPage, error) {
	return scanOf(s).Decisions(ctx, q)
}

var (
	_ Insights = (*MemoryRecords)(nil)
	_ Insights = (*DirRecords)(nil)
)
