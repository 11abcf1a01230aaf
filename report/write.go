package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-openbadges/openbadges/issuer"
)

// stateHeads are the columns of States, as the table and the page name
// them, and stateKeys as CSV names them.
var (
	stateHeads = []string{"Awarded", "Denied", "In review", "Rejected", "Revoked", "Suspended"}
	stateKeys  = []string{"awarded", "denied", "in_review", "rejected", "revoked", "suspended"}
)

// cells returns the counts of s in column order.
func (s States) cells() []Count {
	return []Count{s.Awarded, s.Denied, s.InReview, s.Rejected, s.Revoked, s.Suspended}
}

// Range says which changes the report counts, in its time zone: "from
// 2026-01-01 to 2026-03-31" when both ends are midnights (the last day
// included), with times of day otherwise.
func (r *Report) Range() string {
	until := r.Until
	layout := "2006-01-02 15:04"
	if !r.Since.IsZero() && until.Sub(r.Since) < 24*time.Hour {
		layout += ":05"
	}
	end := until.Format(layout)
	if midnight(until) {
		end = until.AddDate(0, 0, -1).Format("2006-01-02")
		if !r.Since.IsZero() && !until.AddDate(0, 0, -1).After(r.Since) {
			end = r.Since.Format("2006-01-02")
		}
	}
	if r.Since.IsZero() {
		return "up to " + end
	}
	start := r.Since.Format(layout)
	if midnight(r.Since) {
		start = r.Since.Format("2006-01-02")
	}
	if midnight(r.Since) && midnight(until) && until.Sub(r.Since) <= 25*time.Hour {
		return "on " + start
	}
	return "from " + start + " to " + end
}

// midnight reports whether t is at the start of its day.
func midnight(t time.Time) bool {
	h, m, s := t.Clock()
	return h == 0 && m == 0 && s == 0 && t.Nanosecond() == 0
}

// Suppression says in a sentence what "<5" and "x" mean, for every format.
func (r *Report) Suppression() string {
	if r.MinGroup <= 1 {
		return "Every count is shown: this report is for readers who may see each learner's records."
	}
	return fmt.Sprintf("Counts from 1 to %d are shown as <%d, and figures that would give them away as x: a count that small can identify a learner.", r.MinGroup-1, r.MinGroup)
}

// periodHead names the period column.
func (r *Report) periodHead() string {
	switch r.Period {
	case issuer.PeriodDay:
		return "Day"
	case issuer.PeriodWeek:
		return "Week"
	}
	return "Month"
}

// WriteTable writes the report as aligned text for a terminal: the
// achievements, the periods, the reviewers and the backlog.
func (r *Report) WriteTable(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%s (%s), made %s\n%s\n", r.Title, upperFirst(r.Range()), r.TimeZone, r.Generated.Format("2006-01-02 15:04"), r.Suppression())

	rows := [][]string{append(append([]string{"ACHIEVEMENT"}, upper(stateHeads)...), "AWARD RATE", "MEDIAN TO AWARD", "P90 TO AWARD")}
	for _, a := range r.Achievements {
		rows = append(rows, append(append([]string{a.Name}, strs(a.cells())...), a.AwardRate.String(), a.MedianTimeToAward.String(), a.P90TimeToAward.String()))
	}
	if len(r.Achievements) == 0 {
		rows = append(rows, []string{"(no achievement)"})
	}
	b.WriteString("\n")
	align(&b, rows)

	if r.Period != issuer.PeriodNone {
		rows = [][]string{append([]string{strings.ToUpper(r.periodHead())}, upper(stateHeads)...)}
		for _, p := range r.Periods {
			rows = append(rows, append([]string{p.Label}, strs(p.cells())...))
		}
		b.WriteString("\n")
		align(&b, rows)
	}

	b.WriteString("\n")
	if len(r.Reviewers) == 0 {
		b.WriteString("No review was decided.\n")
	} else {
		rows = [][]string{{"REVIEWER", "AWARDED", "REJECTED"}}
		for _, v := range r.Reviewers {
			rows = append(rows, []string{v.Reviewer, v.Awarded.String(), v.Rejected.String()})
		}
		align(&b, rows)
	}
	if r.Backlog != nil {
		fmt.Fprintf(&b, "\n%s\n", r.Backlog.sentence())
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// sentence says how the review queue stands.
func (b *Backlog) sentence() string {
	switch {
	case b.Pending.Status == Shown && b.Pending.N == 0:
		return "No submission waits for review."
	case b.Oldest.Status == Shown:
		return fmt.Sprintf("Waiting for review now: %s, the oldest for %s.", b.Pending, b.Oldest)
	}
	return fmt.Sprintf("Waiting for review now: %s.", b.Pending)
}

// upper returns ss in capitals.
func upper(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.ToUpper(s)
	}
	return out
}

// upperFirst returns s with its first letter a capital.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// strs returns the counts as shown.
func strs(cs []Count) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.String()
	}
	return out
}

// align writes rows as columns two spaces apart, the first left-aligned
// and the others right-aligned, without trailing spaces. A name is cut
// at 48 characters, and control characters become spaces, so that no
// name can redraw the terminal.
func align(b *strings.Builder, rows [][]string) {
	var widths []int
	for _, row := range rows {
		for i := range row {
			row[i] = clean(row[i], i == 0)
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], utf8.RuneCountInString(row[i]))
		}
	}
	for _, row := range rows {
		var line strings.Builder
		for i, cell := range row {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(cell))
			switch {
			case i == 0:
				line.WriteString(cell + pad)
			default:
				line.WriteString("  " + pad + cell)
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	}
}

// clean makes s safe and short enough for a terminal's column.
func clean(s string, name bool) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029' || (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069') {
			return ' '
		}
		return r
	}, s)
	if name && utf8.RuneCountInString(s) > 48 {
		s = string([]rune(s)[:47]) + "…"
	}
	return s
}

// WriteCSV writes the report as CSV in long form, for a spreadsheet or a
// BI tool to pivot: a header, then one figure a line as table (achievement,
// period, reviewer, backlog), key (the achievement's id, the period's
// start date, the reviewer), name (the achievement's name, the period's
// label), measure and value. A value is a number, "<5" or "x" as in the
// table, or empty for none; rates are fractions (0.7231), times are
// seconds. A cell a spreadsheet would run as a formula (a name starting
// with =, +, -, @) is written with a ' before it.
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	put := func(rec ...string) {
		for i := range rec {
			rec[i] = defuse(rec[i])
		}
		_ = cw.Write(rec)
	}
	put("table", "key", "name", "measure", "value")
	for _, a := range r.Achievements {
		for i, c := range a.cells() {
			put("achievement", a.ID, a.Name, stateKeys[i], c.String())
		}
		put("achievement", a.ID, a.Name, "award_rate", csvRate(a.AwardRate))
		put("achievement", a.ID, a.Name, "median_time_to_award_seconds", csvSpan(a.MedianTimeToAward))
		put("achievement", a.ID, a.Name, "p90_time_to_award_seconds", csvSpan(a.P90TimeToAward))
	}
	for _, p := range r.Periods {
		for i, c := range p.cells() {
			put("period", p.Start.Format("2006-01-02"), p.Label, stateKeys[i], c.String())
		}
	}
	for _, v := range r.Reviewers {
		put("reviewer", v.Reviewer, v.Reviewer, "awarded", v.Awarded.String())
		put("reviewer", v.Reviewer, v.Reviewer, "rejected", v.Rejected.String())
	}
	if r.Backlog != nil {
		put("backlog", "", "", "pending", r.Backlog.Pending.String())
		put("backlog", "", "", "oldest_pending_seconds", csvSpan(r.Backlog.Oldest))
	}
	cw.Flush()
	return cw.Error()
}

func csvRate(r Rate) string {
	switch r.Status {
	case None:
		return ""
	case Withheld:
		return "x"
	}
	return strconv.FormatFloat(r.Value, 'f', 4, 64)
}

func csvSpan(s Span) string {
	switch s.Status {
	case None:
		return ""
	case Withheld:
		return "x"
	}
	return strconv.FormatInt(int64(s.D/time.Second), 10)
}

// WriteJSON writes the report as indented JSON: a count is a number, or
// "<5" or "x" when hidden; a rate is a fraction and a time whole seconds,
// null when there is nothing to compute them from.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}
