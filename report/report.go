// Package report turns an issuer's records into the report a program
// manager sends to a funder (who earned what, how often criteria award, how
// long awards take, where reviews pile up, what was revoked) as a terminal
// table, CSV, JSON or an accessible HTML page, and exports the decisions
// behind it for a spreadsheet. It shows no learner, and no count small
// enough to point at one.
//
// # Small groups
//
// In a program of twelve learners, "1 revoked" in a course names the one
// learner everybody knows left. So every count from 1 to MinGroup-1 (4 by
// default) is shown as "<5", never as its number, in every format; zero
// stays zero, as it names nobody. A figure computed from such a group (an
// award rate, a time to award, the age of the oldest pending review) is
// withheld ("x"). And since the per-period rows of a state add up to the
// same total as its per-achievement rows, a small count that is the only
// one hidden among them could be worked out by subtraction: the smallest
// other count is withheld too ("x"). This is the primary and complementary
// suppression of official statistics, kept simple; it does not protect
// against what a reader knows from elsewhere, and the report has no
// grand-total row for the same reason.
package report

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/issuer"
)

// DefaultMinGroup is Options.MinGroup when it is zero: counts from 1 to 4
// are shown as "<5".
const DefaultMinGroup = 5

// Source is what a report is built from.
type Source struct {
	// Insights answers the questions about the records: Issuer.Insights,
	// or a store's records directly.
	Insights issuer.Insights
	// Review is the review queue, for the backlog (how many submissions
	// wait for a person, since when). Nil: the report has no backlog.
	Review issuer.ReviewQueue
	// Achievements names the achievements, by id. An achievement named
	// here has a row even with nothing decided; one decided but not named
	// is shown by its id.
	Achievements map[string]string
	// Issuer names who awards, for the report's title. Empty: no name.
	Issuer string
}

// Options say what a report covers. The zero value reports everything up
// to now, per achievement, in UTC, hiding counts below 5.
type Options struct {
	// Since and Until bound the changes counted: [Since, Until). Zero
	// Since: from the first; zero Until: Now.
	Since, Until time.Time
	// AchievementID, if set, reports on that achievement alone: with a
	// Period, its own rows per period.
	AchievementID string
	// Period adds a row per day, week or month (in Location) of the range;
	// PeriodNone (zero) gives per-achievement rows only.
	Period issuer.Period
	// Location is the time zone of the periods and of the dates shown.
	// Nil: UTC.
	Location *time.Location
	// MinGroup is the smallest count shown as its number (see the package
	// doc): 0 means DefaultMinGroup, 1 shows every count, for a reader
	// who may see each learner's records anyway.
	MinGroup int
	// Now returns the current time. Nil: time.Now.
	Now func() time.Time
}

// Status says whether a figure of a report is shown and, if not, why.
type Status uint8

// The statuses of a figure.
const (
	// Shown: the figure is its value.
	Shown Status = iota
	// None: there is nothing to compute it from (a rate without
	// decisions, a time without awards); shown as "—".
	None
	// Small: a count from 1 to MinGroup-1, shown as "<5" (for a MinGroup
	// of 5).
	Small
	// Withheld: a figure computed from a small group, or a count that
	// would give a small one away; shown as "x".
	Withheld
)

// A Count is a number of changes of state, as the report shows it. A
// Count that is not Shown keeps no number.
type Count struct {
	// N is the number; zero unless Status is Shown.
	N int
	// Status is Shown, Small or Withheld.
	Status Status
	// below is the MinGroup a Small count is below.
	below int
}

// String returns the count as every format shows it: its number, "<5"
// or "x".
func (c Count) String() string {
	switch c.Status {
	case Small:
		return "<" + strconv.Itoa(c.below)
	case Withheld:
		return "x"
	}
	return strconv.Itoa(c.N)
}

// MarshalJSON writes a shown count as a number, a hidden one as its
// String ("<5", "x").
func (c Count) MarshalJSON() ([]byte, error) {
	if c.Status == Shown {
		return strconv.AppendInt(nil, int64(c.N), 10), nil
	}
	return []byte(strconv.Quote(c.String())), nil
}

// UnmarshalJSON reads what MarshalJSON writes.
func (c *Count) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) != nil {
		*c = Count{}
		return json.Unmarshal(b, &c.N)
	}
	switch {
	case s == "x":
		*c = Count{Status: Withheld}
	case strings.HasPrefix(s, "<"):
		n, err := strconv.Atoi(s[1:])
		if err != nil {
			return fmt.Errorf("report: a count of %q", s)
		}
		*c = Count{Status: Small, below: n}
	default:
		return fmt.Errorf("report: a count of %q", s)
	}
	return nil
}

// A Rate is a share from 0 to 1, as the report shows it.
type Rate struct {
	// Value is the share; zero unless Status is Shown.
	Value float64
	// Status is Shown, None or Withheld.
	Status Status
}

// String returns the rate as a percentage with one decimal, "—" or "x".
func (r Rate) String() string {
	switch r.Status {
	case None:
		return "—"
	case Withheld:
		return "x"
	}
	return strconv.FormatFloat(r.Value*100, 'f', 1, 64) + "%"
}

// MarshalJSON writes a shown rate as a number (four decimals), None as
// null and Withheld as "x".
func (r Rate) MarshalJSON() ([]byte, error) {
	switch r.Status {
	case None:
		return []byte("null"), nil
	case Withheld:
		return []byte(`"x"`), nil
	}
	return strconv.AppendFloat(nil, r.Value, 'f', 4, 64), nil
}

// A Span is a length of time, as the report shows it.
type Span struct {
	// D is the length; zero unless Status is Shown.
	D time.Duration
	// Status is Shown, None or Withheld.
	Status Status
}

// String returns the span in days and hours, hours and minutes, or
// minutes ("2d 4h", "3h 5m", "12m", "<1m"), "—" or "x".
func (s Span) String() string {
	switch s.Status {
	case None:
		return "—"
	case Withheld:
		return "x"
	}
	m := int64(s.D / time.Minute)
	switch {
	case m >= 24*60:
		return fmt.Sprintf("%dd %dh", m/(24*60), m%(24*60)/60)
	case m >= 60:
		return fmt.Sprintf("%dh %dm", m/60, m%60)
	case m >= 1:
		return fmt.Sprintf("%dm", m)
	}
	return "<1m"
}

// MarshalJSON writes a shown span as whole seconds, None as null and
// Withheld as "x".
func (s Span) MarshalJSON() ([]byte, error) {
	switch s.Status {
	case None:
		return []byte("null"), nil
	case Withheld:
		return []byte(`"x"`), nil
	}
	return strconv.AppendInt(nil, int64(s.D/time.Second), 10), nil
}

// States are the changes into each state in a group: an award is counted
// when it is made or reinstated (not when a suspension is lifted), and a
// learner denied, then awarded, is counted in both.
type States struct {
	Awarded   Count `json:"awarded"`
	Denied    Count `json:"denied"`
	InReview  Count `json:"inReview"`
	Rejected  Count `json:"rejected"`
	Revoked   Count `json:"revoked"`
	Suspended Count `json:"suspended"`
}

// AchievementRow is what a report says about one achievement.
type AchievementRow struct {
	// ID is the achievement's id, Name its name (its id if the Source
	// names it not).
	ID   string `json:"id"`
	Name string `json:"name"`
	States
	// AwardRate is Awarded over the decisions: Awarded + Denied +
	// Rejected.
	AwardRate Rate `json:"awardRate"`
	// MedianTimeToAward and P90TimeToAward are how long the awards made
	// in the range took from the first submission (nearest rank).
	MedianTimeToAward Span `json:"medianTimeToAwardSeconds"`
	P90TimeToAward    Span `json:"p90TimeToAwardSeconds"`
}

// PeriodRow is what a report says about one period, over every
// achievement (or the one of Options.AchievementID).
type PeriodRow struct {
	// Start is when the period starts, in the report's time zone.
	Start time.Time `json:"start"`
	// Label names it: 2026-03-05, 2026-W10, 2026-03.
	Label string `json:"label"`
	States
}

// ReviewerRow is how many reviews one person decided in the range.
type ReviewerRow struct {
	Reviewer string `json:"reviewer"`
	// Awarded counts approvals and reinstatements, Rejected rejections.
	Awarded  Count `json:"awarded"`
	Rejected Count `json:"rejected"`
}

// Backlog is the review queue as it stands when the report is built.
type Backlog struct {
	// Pending is how many submissions wait for a person.
	Pending Count `json:"pending"`
	// Oldest is how long the oldest of them has waited.
	Oldest Span `json:"oldestSeconds"`
}

// A Report is what Build found, with every small group hidden: nothing
// in it counts fewer than MinGroup learners.
type Report struct {
	// Title names the report.
	Title string `json:"title"`
	// Since (zero: from the first change) and Until bound the changes
	// counted, in TimeZone.
	Since time.Time `json:"since,omitzero"`
	Until time.Time `json:"until"`
	// TimeZone is the IANA name of the time zone of the periods.
	TimeZone string `json:"timeZone"`
	// Period is how Periods is grouped, if at all.
	Period issuer.Period `json:"period,omitempty"`
	// MinGroup is the smallest count shown as its number.
	MinGroup int `json:"minGroup"`
	// Generated is when the report was built.
	Generated time.Time `json:"generated"`
	// Achievements has a row per achievement, by name.
	Achievements []AchievementRow `json:"achievements"`
	// AchievementID is the one achievement reported on, if only one.
	AchievementID string `json:"achievement,omitempty"`
	// Periods has a row per period of the range, with Period.
	Periods []PeriodRow `json:"periods,omitempty"`
	// Reviewers has a row per person who decided a review, by name.
	Reviewers []ReviewerRow `json:"reviewers"`
	// Backlog is the review queue now; nil without Source.Review.
	Backlog *Backlog `json:"backlog,omitempty"`
}

// stateOrder is the order of the columns.
var stateOrder = []issuer.State{issuer.StateIssued, issuer.StateDenied, issuer.StateInReview, issuer.StateRejected, issuer.StateRevoked, issuer.StateSuspended}

// raw is the counts of a group before suppression, by column.
type raw [6]int

func (r *raw) add(s issuer.State, n int) {
	if i := slices.Index(stateOrder, s); i >= 0 {
		r[i] += n
	}
}

// Build asks src the questions of a report over the range of opts and
// returns the report, small groups hidden (see the package doc). The
// error is the Source's, or one wrapping issuer.ErrQuery for a range it
// cannot answer (Since not before Until, too many periods).
func Build(ctx context.Context, src Source, opts Options) (*Report, error) {
	if src.Insights == nil {
		return nil, fmt.Errorf("report: no Insights in the Source")
	}
	minGroup := cmp.Or(opts.MinGroup, DefaultMinGroup)
	if minGroup < 1 {
		return nil, fmt.Errorf("report: a MinGroup of %d (want 1 or more; 0 for %d)", opts.MinGroup, DefaultMinGroup)
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	loc := opts.Location
	if loc == nil {
		loc = time.UTC
	}
	generated := now()
	until := opts.Until
	if until.IsZero() {
		until = generated
	}
	q := issuer.InsightQuery{Since: opts.Since, Until: until, Location: loc, AchievementID: opts.AchievementID}
	if q.Since.IsZero() && opts.Period != issuer.PeriodNone {
		// Periods need a start: the first change's period.
		first, err := src.Insights.Decisions(ctx, issuer.InsightQuery{Until: until, AchievementID: opts.AchievementID, Limit: 1})
		if err != nil {
			return nil, err
		}
		q.Since = until.Add(-time.Nanosecond)
		if len(first.Decisions) > 0 {
			q.Since = first.Decisions[0].At
		}
		q.Since = issuer.InsightQuery{Period: opts.Period, Location: loc}.PeriodStart(q.Since)
	}
	if _, err := q.Check(); err != nil {
		return nil, err
	}
	rep := &Report{
		Title: "Badges awarded", Since: inLoc(q.Since, loc), Until: until.In(loc), TimeZone: loc.String(),
		Period: opts.Period, AchievementID: opts.AchievementID, MinGroup: minGroup, Generated: generated.In(loc),
	}
	if src.Issuer != "" {
		rep.Title = src.Issuer + ": badges awarded"
	}

	// Per achievement.
	counts, err := allCounts(ctx, src.Insights, q)
	if err != nil {
		return nil, err
	}
	byAch := map[string]*raw{}
	for id := range src.Achievements {
		if opts.AchievementID == "" || id == opts.AchievementID {
			byAch[id] = &raw{}
		}
	}
	if opts.AchievementID != "" {
		byAch[opts.AchievementID] = &raw{}
	}
	for _, c := range counts {
		if byAch[c.AchievementID] == nil {
			byAch[c.AchievementID] = &raw{}
		}
		byAch[c.AchievementID].add(c.State, c.N)
	}
	name := func(id string) string { return cmp.Or(src.Achievements[id], id) }
	ids := slices.SortedFunc(maps.Keys(byAch), func(a, b string) int {
		return cmp.Or(strings.Compare(name(a), name(b)), strings.Compare(a, b))
	})

	// Per period, over every achievement.
	var starts []time.Time
	var byPeriod []raw
	if opts.Period != issuer.PeriodNone {
		pq := q
		pq.Period = opts.Period
		if starts, err = pq.Periods(); err != nil {
			return nil, err
		}
		byPeriod = make([]raw, len(starts))
		counts, err := allCounts(ctx, src.Insights, pq)
		if err != nil {
			return nil, err
		}
		for _, c := range counts {
			if i, ok := slices.BinarySearchFunc(starts, c.Period, time.Time.Compare); ok {
				byPeriod[i].add(c.State, c.N)
			}
		}
	}

	// Hide the small counts, and whatever would give one away.
	s := suppressor{min: minGroup}
	achCells := make([][6]Count, len(ids))
	perCells := make([][6]Count, len(starts))
	for col := range stateOrder {
		sides, vals := make([][]*Count, 1, 2), make([][]int, 1, 2)
		for i, id := range ids {
			sides[0], vals[0] = append(sides[0], &achCells[i][col]), append(vals[0], byAch[id][col])
		}
		if len(starts) > 0 {
			sides, vals = append(sides, nil), append(vals, nil)
			for i := range starts {
				sides[1], vals[1] = append(sides[1], &perCells[i][col]), append(vals[1], byPeriod[i][col])
			}
		}
		s.column(sides, vals)
	}

	timings, err := src.Insights.TimeToAward(ctx, q)
	if err != nil {
		return nil, err
	}
	for i, id := range ids {
		row := AchievementRow{ID: id, Name: name(id), States: states(achCells[i])}
		r := byAch[id]
		decided := r[0] + r[1] + r[3]
		switch {
		case decided == 0:
			row.AwardRate = Rate{Status: None}
		case decided < minGroup || hidden(row.Awarded, row.Denied, row.Rejected):
			row.AwardRate = Rate{Status: Withheld}
		default:
			row.AwardRate = Rate{Value: float64(r[0]) / float64(decided)}
		}
		row.MedianTimeToAward, row.P90TimeToAward = Span{Status: None}, Span{Status: None}
		if k := slices.IndexFunc(timings, func(t issuer.AwardTiming) bool { return t.AchievementID == id }); k >= 0 && timings[k].N > 0 {
			row.MedianTimeToAward, row.P90TimeToAward = Span{D: timings[k].Median}, Span{D: timings[k].P90}
			if timings[k].N < minGroup {
				row.MedianTimeToAward, row.P90TimeToAward = Span{Status: Withheld}, Span{Status: Withheld}
			}
		}
		rep.Achievements = append(rep.Achievements, row)
	}
	for i, start := range starts {
		rep.Periods = append(rep.Periods, PeriodRow{Start: start, Label: PeriodLabel(opts.Period, start), States: states(perCells[i])})
	}

	// Reviewers.
	rq := q
	rq.ByReviewer = true
	counts, err = allCounts(ctx, src.Insights, rq)
	if err != nil {
		return nil, err
	}
	byReviewer := map[string]*raw{}
	for _, c := range counts {
		if byReviewer[c.By] == nil {
			byReviewer[c.By] = &raw{}
		}
		byReviewer[c.By].add(c.State, c.N)
	}
	rep.Reviewers = []ReviewerRow{}
	for _, by := range slices.Sorted(maps.Keys(byReviewer)) {
		r := byReviewer[by]
		rep.Reviewers = append(rep.Reviewers, ReviewerRow{Reviewer: by, Awarded: s.count(r[0]), Rejected: s.count(r[3])})
	}

	// The backlog, now.
	if src.Review != nil {
		items, err := src.Review.Pending(ctx)
		if err != nil {
			return nil, err
		}
		if opts.AchievementID != "" {
			items = slices.DeleteFunc(items, func(it issuer.ReviewItem) bool { return it.Submission.AchievementID != opts.AchievementID })
		}
		b := &Backlog{Pending: s.count(len(items)), Oldest: Span{Status: None}}
		if len(items) > 0 {
			oldest := items[0].Created
			for _, it := range items {
				if it.Created.Before(oldest) {
					oldest = it.Created
				}
			}
			b.Oldest = Span{D: max(generated.Sub(oldest), 0)}
			if b.Pending.Status != Shown {
				b.Oldest = Span{Status: Withheld}
			}
		}
		rep.Backlog = b
	}
	return rep, nil
}

// inLoc returns t in loc, and a zero t as it is.
func inLoc(t time.Time, loc *time.Location) time.Time {
	if t.IsZero() {
		return t
	}
	return t.In(loc)
}

// allCounts follows every page of a Counts question.
func allCounts(ctx context.Context, in issuer.Insights, q issuer.InsightQuery) ([]issuer.Count, error) {
	var out []issuer.Count
	for {
		p, err := in.Counts(ctx, q)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Counts...)
		if p.Next == "" || p.Next == q.After {
			return out, nil
		}
		q.After = p.Next
	}
}

// states returns the cells of a row as States.
func states(c [6]Count) States {
	return States{Awarded: c[0], Denied: c[1], InReview: c[2], Rejected: c[3], Revoked: c[4], Suspended: c[5]}
}

// hidden reports whether any of cs is not shown.
func hidden(cs ...Count) bool {
	return slices.ContainsFunc(cs, func(c Count) bool { return c.Status != Shown })
}

// suppressor hides small counts.
type suppressor struct{ min int }

// count returns n as shown: Small from 1 to min-1.
func (s suppressor) count(n int) Count {
	if n > 0 && n < s.min {
		return Count{Status: Small, below: s.min}
	}
	return Count{N: n}
}

// column sets the cells of one state to vals as shown: the cells of each
// breakdown (by achievement, and by period if the report has periods).
// With two breakdowns, each adding up to the same total, a breakdown where
// one count alone is hidden has its smallest other nonzero count withheld
// too, so that the small one is not the total less the others.
func (s suppressor) column(sides [][]*Count, vals [][]int) {
	for k, cells := range sides {
		for i, v := range vals[k] {
			*cells[i] = s.count(v)
		}
	}
	if len(sides) < 2 {
		return
	}
	for k, cells := range sides {
		if slices.IndexFunc(cells, func(c *Count) bool { return c.Status == Small }) < 0 ||
			len(slices.DeleteFunc(slices.Clone(cells), func(c *Count) bool { return c.Status == Shown })) != 1 {
			continue
		}
		best := -1
		for i, v := range vals[k] {
			if cells[i].Status == Shown && v > 0 && (best < 0 || v < vals[k][best]) {
				best = i
			}
		}
		if best >= 0 {
			*cells[best] = Count{Status: Withheld}
		}
	}
}

// PeriodLabel names the period of p that starts at start: 2026-03-05 for
// a day, 2026-W10 for an ISO week, 2026-03 for a month.
func PeriodLabel(p issuer.Period, start time.Time) string {
	switch p {
	case issuer.PeriodWeek:
		y, w := start.ISOWeek()
		return fmt.Sprintf("%d-W%02d", y, w)
	case issuer.PeriodMonth:
		return start.Format("2006-01")
	}
	return start.Format("2006-01-02")
}
