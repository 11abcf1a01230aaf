package report

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/issuer"
)

var berlin = mustLoad("Europe/Berlin")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// day returns the time h o'clock on day d of month m of 2026 in Berlin.
func day(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, berlin) }

// step is one change of a hand-made record.
type step struct {
	at    time.Time
	state issuer.State
	by    string
}

const (
	stats    = "https://example.edu/achievements/stats-101"
	viz      = "https://example.edu/achievements/data-viz"
	ml       = "https://example.edu/achievements/ml-201"
	teamwork = "https://example.edu/achievements/teamwork"
	old      = "https://example.edu/achievements/old"
)

var names = map[string]string{stats: "Statistics 101", viz: "Data Visualization", ml: "Machine Learning 201", teamwork: "Teamwork"}

// history is the hand-made first quarter of 2026 the golden files show.
// By achievement (the counts a person can check):
//
//	Statistics 101: 8 awarded (one after a denial, one by grace), 2 denied,
//	  3 in review, 1 rejected (by alan), 1 revoked
//	Data Visualization: 6 awarded, 7 denied, 1 suspended
//	Machine Learning 201: 6 denied
//	Teamwork: nothing
//	old (not named): 1 awarded
//
// and by month, awarded: January 9, February 4, March 2; denied: February
// 8, March 7.
func history() map[string][]step {
	h := map[string][]step{}
	add := func(key string, steps ...step) { h[key] = steps }
	for k := range 6 {
		m, d := time.January, 5+k
		if k >= 3 {
			m = time.February
		}
		add(stats+"#"+string(rune('a'+k)), step{at: day(m, d, 9)}, step{day(m, d+1, 9), issuer.StateIssued, ""})
	}
	h[stats+"#a"] = append(h[stats+"#a"], step{day(time.March, 15, 9), issuer.StateRevoked, ""})
	add(stats+"#g", step{at: day(time.February, 3, 9)}, step{day(time.February, 3, 9), issuer.StateDenied, ""}, step{day(time.February, 10, 9), issuer.StateIssued, ""})
	add(stats+"#h", step{at: day(time.March, 1, 9)}, step{day(time.March, 1, 10), issuer.StateDenied, ""})
	add(stats+"#i", step{at: day(time.March, 2, 9)}, step{day(time.March, 2, 9), issuer.StateInReview, ""}, step{day(time.March, 4, 9), issuer.StateIssued, "grace"})
	add(stats+"#j", step{at: day(time.March, 5, 9)}, step{day(time.March, 5, 9), issuer.StateInReview, ""}, step{day(time.March, 6, 9), issuer.StateRejected, "alan"})
	add(stats+"#k", step{at: day(time.March, 30, 9)}, step{day(time.March, 30, 9), issuer.StateInReview, ""})
	for k := range 5 {
		add(viz+"#"+string(rune('a'+k)), step{at: day(time.January, 10, 9)}, step{day(time.January, 12+k, 9+k), issuer.StateIssued, ""})
	}
	for k := range 7 {
		add(viz+"#d"+string(rune('a'+k)), step{at: day(time.February, 10+k, 9)}, step{day(time.February, 10+k, 9), issuer.StateDenied, ""})
	}
	add(viz+"#s", step{at: day(time.March, 10, 9)}, step{day(time.March, 11, 9), issuer.StateIssued, ""}, step{day(time.March, 20, 9), issuer.StateSuspended, ""})
	for k := range 6 {
		add(ml+"#"+string(rune('a'+k)), step{at: day(time.March, 1+k, 9)}, step{day(time.March, 1+k, 9), issuer.StateDenied, ""})
	}
	add(old+"#a", step{at: day(time.January, 20, 9)}, step{day(time.January, 20, 12), issuer.StateIssued, ""})
	return h
}

// records loads the history into MemoryRecords, each award with a
// learner id (which no report may show).
func records(t testing.TB) *issuer.MemoryRecords {
	t.Helper()
	recs := &issuer.MemoryRecords{}
	for key, steps := range history() {
		ach, _, _ := strings.Cut(key, "#")
		r := &issuer.Record{AwardKey: "key-" + key[strings.LastIndex(key, "/")+1:], AchievementID: ach,
			Learner: issuer.Learner{ID: "did:example:learner-" + key[strings.LastIndex(key, "/")+1:]}, Submitted: steps[0].at}
		for _, s := range steps[1:] {
			r.History = append(r.History, issuer.Event{At: s.at, From: r.State, State: s.state, By: s.by})
			r.State, r.Updated = s.state, s.at
		}
		if err := recs.Create(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	return recs
}

// queue returns a review queue with n pending items, the oldest queued on
// 2026-03-30 09:00 in Berlin.
func queue(t testing.TB, n int) *issuer.MemoryQueue {
	t.Helper()
	q := &issuer.MemoryQueue{}
	for k := range n {
		_, err := q.Submit(context.Background(), issuer.ReviewItem{AwardKey: "pending-" + string(rune('a'+k)), Created: day(time.March, 30, 9+k),
			Submission: issuer.Submission{AchievementID: stats, Learner: issuer.Learner{ID: "did:example:pending"}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	return q
}

// quarter is the options of the golden reports: the first quarter of
// 2026 in Berlin, made on 1 April at 10:00.
func quarter(period issuer.Period, minGroup int) Options {
	return Options{Since: day(time.January, 1, 0), Until: day(time.April, 1, 0), Period: period, Location: berlin, MinGroup: minGroup,
		Now: func() time.Time { return day(time.April, 1, 10) }}
}

// golden compares got with testdata/name, or writes it with
// OPENBADGES_UPDATE_GOLDEN=1.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if os.Getenv("OPENBADGES_UPDATE_GOLDEN") == "1" {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (OPENBADGES_UPDATE_GOLDEN=1 writes it)", err)
	}
	if d := cmp.Diff(string(want), string(got)); d != "" {
		t.Errorf("%s (-want +got):\n%s", path, d)
	}
}

// TestGolden builds the quarter's report by month, suppressed and not,
// and without periods, and writes it in every format, each compared
// with its golden file.
func TestGolden(t *testing.T) {
	recs := records(t)
	tests := []struct {
		name    string
		opts    Options
		pending int
		formats []string
	}{
		{"month", quarter(issuer.PeriodMonth, 0), 1, []string{"txt", "csv", "json", "html"}},
		{"month-all", quarter(issuer.PeriodMonth, 1), 6, []string{"txt", "json"}},
		{"quarter", quarter(issuer.PeriodNone, 0), 6, []string{"txt", "csv"}},
		{"week", quarter(issuer.PeriodWeek, 0), 0, []string{"txt"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := Build(context.Background(), Source{Insights: recs, Review: queue(t, tt.pending), Achievements: names, Issuer: "Example University"}, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range tt.formats {
				var buf bytes.Buffer
				write := map[string]func(*bytes.Buffer) error{
					"txt":  func(b *bytes.Buffer) error { return rep.WriteTable(b) },
					"csv":  func(b *bytes.Buffer) error { return rep.WriteCSV(b) },
					"json": func(b *bytes.Buffer) error { return rep.WriteJSON(b) },
					"html": func(b *bytes.Buffer) error { return rep.WriteHTML(b) },
				}[f]
				if err := write(&buf); err != nil {
					t.Fatal(err)
				}
				if strings.Contains(buf.String(), "did:example") || strings.Contains(buf.String(), "key-") {
					t.Errorf("%s: a learner or an award key in the report:\n%s", f, buf.String())
				}
				golden(t, "report-"+tt.name+"."+f, buf.Bytes())
			}
		})
	}
}

// TestNumbers checks the figures of the quarter's report by month, as a
// person counts them in history.
func TestNumbers(t *testing.T) {
	rep, err := Build(context.Background(), Source{Insights: records(t), Review: queue(t, 6), Achievements: names}, quarter(issuer.PeriodMonth, 0))
	if err != nil {
		t.Fatal(err)
	}
	shown := func(n int) Count { return Count{N: n} }
	small, withheld := Count{Status: Small, below: 5}, Count{Status: Withheld}
	type row struct {
		Name   string
		States States
		Rate   Rate
		Median Span
	}
	var got []row
	for _, a := range rep.Achievements {
		got = append(got, row{a.Name, a.States, a.AwardRate, a.MedianTimeToAward})
	}
	want := []row{
		// Awarded: old's 1 is small, the only one among the achievements,
		// so the smallest other (6) is withheld. Denied: Statistics's 2
		// alone is small, so ML's 6 is withheld.
		{"Data Visualization", States{Awarded: withheld, Denied: shown(7), Suspended: small}, Rate{Status: Withheld}, Span{D: 73 * time.Hour}},
		{"Machine Learning 201", States{Denied: withheld}, Rate{Status: Withheld}, Span{Status: None}},
		{"Statistics 101", States{Awarded: shown(8), Denied: small, InReview: small, Rejected: small, Revoked: small}, Rate{Status: Withheld}, Span{D: 24 * time.Hour}},
		{"Teamwork", States{}, Rate{Status: None}, Span{Status: None}},
		{old, States{Awarded: small}, Rate{Status: Withheld}, Span{Status: Withheld}},
	}
	if d := cmp.Diff(want, got, cmp.AllowUnexported(Count{})); d != "" {
		t.Errorf("achievements (-want +got):\n%s", d)
	}
	var awarded, denied []Count
	for _, p := range rep.Periods {
		awarded, denied = append(awarded, p.Awarded), append(denied, p.Denied)
	}
	// January 9, February 4, March 2: two small ones, none more withheld.
	if d := cmp.Diff([]Count{shown(9), small, small}, awarded, cmp.AllowUnexported(Count{})); d != "" {
		t.Errorf("awarded by month (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]Count{{}, shown(8), shown(7)}, denied, cmp.AllowUnexported(Count{})); d != "" {
		t.Errorf("denied by month (-want +got):\n%s", d)
	}
	if b := rep.Backlog; b.Pending != shown(6) || b.Oldest != (Span{D: 49 * time.Hour}) {
		t.Errorf("backlog %+v, want 6 pending, the oldest for 49h", b)
	}

	// With MinGroup 1, the rates are what they are.
	rep, err = Build(context.Background(), Source{Insights: records(t), Achievements: names}, quarter(issuer.PeriodNone, 1))
	if err != nil {
		t.Fatal(err)
	}
	var rates []string
	for _, a := range rep.Achievements {
		rates = append(rates, a.AwardRate.String())
	}
	// 6/13, 0/6, 8/11, none, 1/1.
	if d := cmp.Diff([]string{"46.2%", "0.0%", "72.7%", "—", "100.0%"}, rates); d != "" {
		t.Errorf("rates (-want +got):\n%s", d)
	}
	if rep.Backlog != nil || rep.Since != day(time.January, 1, 0) || rep.TimeZone != "Europe/Berlin" {
		t.Errorf("backlog %v, since %v, zone %s", rep.Backlog, rep.Since, rep.TimeZone)
	}
}

// TestOneAchievement: a report on one achievement has its row, its own
// rows per period, and its own backlog.
func TestOneAchievement(t *testing.T) {
	opts := quarter(issuer.PeriodMonth, 1)
	opts.AchievementID = stats
	rep, err := Build(context.Background(), Source{Insights: records(t), Review: queue(t, 2), Achievements: names}, opts)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Label            string
		Awarded, Denied  int
		InReview, Status int
	}
	var got []row
	for _, a := range rep.Achievements {
		got = append(got, row{a.Name, a.Awarded.N, a.Denied.N, a.InReview.N, int(a.Awarded.Status)})
	}
	for _, p := range rep.Periods {
		got = append(got, row{p.Label, p.Awarded.N, p.Denied.N, p.InReview.N, int(p.Awarded.Status)})
	}
	want := []row{{"Statistics 101", 8, 2, 3, 0}, {"2026-01", 3, 0, 0, 0}, {"2026-02", 4, 1, 0, 0}, {"2026-03", 1, 1, 3, 0}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if rep.Backlog.Pending.N != 2 || rep.AchievementID != stats {
		t.Errorf("backlog %+v of %s", rep.Backlog, rep.AchievementID)
	}
	opts.AchievementID = ml
	if rep, err = Build(context.Background(), Source{Insights: records(t), Review: queue(t, 2), Achievements: names}, opts); err != nil || rep.Backlog.Pending.N != 0 || len(rep.Achievements) != 1 {
		t.Errorf("%v: %+v", err, rep)
	}
}

// TestSuppression checks how counts around MinGroup are shown, and when
// a second count is withheld.
func TestSuppression(t *testing.T) {
	counts := []struct {
		n, min int
		want   string
	}{
		{0, 5, "0"}, {1, 5, "<5"}, {4, 5, "<5"}, {5, 5, "5"}, {1, 1, "1"}, {2, 3, "<3"}, {3, 3, "3"},
	}
	for _, tt := range counts {
		c := suppressor{min: tt.min}.count(tt.n)
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.Encode(c)
		b := bytes.TrimSpace(buf.Bytes())
		want := tt.want
		if strings.HasPrefix(want, "<") {
			want = `"` + want + `"`
		}
		if c.String() != tt.want || string(b) != want {
			t.Errorf("count(%d) with MinGroup %d: %s, JSON %s; want %s", tt.n, tt.min, c, b, tt.want)
		}
		var back Count
		if err := json.Unmarshal(b, &back); err != nil || back != c {
			t.Errorf("%s read back as %+v, %v", b, back, err)
		}
	}
	columns := []struct {
		name  string
		sides [][]int
		want  [][]string
	}{
		{"one table: only small ones hidden", [][]int{{1, 4, 5, 0}}, [][]string{{"<5", "<5", "5", "0"}}},
		{"one small in a breakdown: the next smallest withheld", [][]int{{3, 9, 6, 0}, {12, 6}}, [][]string{{"<5", "9", "x", "0"}, {"12", "6"}}},
		{"two small in a breakdown: none more there", [][]int{{3, 2, 9}, {10, 4}}, [][]string{{"<5", "<5", "9"}, {"x", "<5"}}},
		{"the only nonzero count small", [][]int{{3, 0}, {3}}, [][]string{{"<5", "0"}, {"<5"}}},
		{"no small one", [][]int{{0, 5}, {5, 0}}, [][]string{{"0", "5"}, {"5", "0"}}},
	}
	for _, tt := range columns {
		var sides [][]*Count
		for _, vs := range tt.sides {
			cells := make([]*Count, len(vs))
			for i := range cells {
				cells[i] = &Count{}
			}
			sides = append(sides, cells)
		}
		suppressor{min: 5}.column(sides, tt.sides)
		var got [][]string
		for _, cells := range sides {
			var s []string
			for _, c := range cells {
				s = append(s, c.String())
			}
			got = append(got, s)
		}
		if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, d)
		}
	}
}

// TestHostileNames: names that are markup, formulas or terminal controls
// are shown as text in every format.
func TestHostileNames(t *testing.T) {
	hostile := map[string]string{
		stats: `<script>window.pwned=1</script><img src=x onerror=alert(1)>`,
		viz:   "=HYPERLINK(\"http://evil.example\")\x1b[2J",
		ml:    "Machine </title></svg> Learning",
	}
	rep, err := Build(context.Background(), Source{Insights: records(t), Achievements: hostile, Issuer: "<b>Evil</b> & Co"}, quarter(issuer.PeriodMonth, 0))
	if err != nil {
		t.Fatal(err)
	}
	var html, csv, table bytes.Buffer
	if err := rep.WriteHTML(&html); err != nil {
		t.Fatal(err)
	}
	rep.WriteCSV(&csv)
	rep.WriteTable(&table)
	for _, bad := range []string{"<script", "<img", "</svg> Learning", "<b>Evil"} {
		if strings.Contains(html.String(), bad) {
			t.Errorf("the page has %q unescaped", bad)
		}
	}
	if !strings.Contains(html.String(), "&lt;script&gt;window.pwned=1&lt;/script&gt;") {
		t.Error("the hostile name is not shown as text")
	}
	if strings.Contains(csv.String(), "\n"+`achievement,https://example.edu/achievements/data-viz,=`) || !strings.Contains(csv.String(), `'=HYPERLINK`) {
		t.Errorf("a formula in the CSV:\n%s", csv.String())
	}
	if strings.Contains(table.String(), "\x1b") {
		t.Error("an escape sequence reached the terminal")
	}
}

// TestBuildErrors: what Build refuses.
func TestBuildErrors(t *testing.T) {
	recs := records(t)
	for _, tt := range []struct {
		name string
		src  Source
		opts Options
	}{
		{"no insights", Source{}, Options{}},
		{"since after until", Source{Insights: recs}, Options{Since: day(time.March, 1, 0), Until: day(time.February, 1, 0)}},
		{"negative min group", Source{Insights: recs}, Options{MinGroup: -1}},
		{"too many days", Source{Insights: recs}, Options{Since: day(time.January, 1, 0).AddDate(-40, 0, 0), Until: day(time.January, 1, 0), Period: issuer.PeriodDay}},
		{"a period that is not one", Source{Insights: recs}, Options{Since: day(time.January, 1, 0), Period: "year"}},
	} {
		if _, err := Build(context.Background(), tt.src, tt.opts); err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
	// Periods without a start: from the first change's period.
	rep, err := Build(context.Background(), Source{Insights: recs}, Options{Period: issuer.PeriodMonth, Location: berlin, Now: func() time.Time { return day(time.April, 1, 10) }})
	if err != nil || len(rep.Periods) != 4 || rep.Periods[0].Label != "2026-01" || rep.Range() != "from 2026-01-01 to 2026-04-01 10:00" {
		t.Errorf("%v; periods %+v, %s", err, rep.Periods, rep.Range())
	}
}
