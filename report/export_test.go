package report

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/internal/insightstest"
	"github.com/go-openbadges/openbadges/issuer"
)

// TestExport writes the decisions of March in both formats, with and
// without learners, in pages of 4: the same rows in order, learner ids
// and award keys only when asked for, the same pseudonym for the same
// award within an export.
func TestExport(t *testing.T) {
	recs := records(t)
	march := issuer.InsightQuery{Since: day(time.March, 1, 0), Until: day(time.April, 1, 0), AchievementID: stats, Limit: 4}
	tests := []struct {
		format   string
		learners bool
		want     string
	}{
		{"csv", true, `at,award,achievement,from,state,by,learner
2026-03-01T09:00:00Z,key-stats-101#h,https://example.edu/achievements/stats-101,,denied,,did:example:learner-stats-101#h
2026-03-02T08:00:00Z,key-stats-101#i,https://example.edu/achievements/stats-101,,in-review,,did:example:learner-stats-101#i
2026-03-04T08:00:00Z,key-stats-101#i,https://example.edu/achievements/stats-101,in-review,issued,grace,did:example:learner-stats-101#i
2026-03-05T08:00:00Z,key-stats-101#j,https://example.edu/achievements/stats-101,,in-review,,did:example:learner-stats-101#j
2026-03-06T08:00:00Z,key-stats-101#j,https://example.edu/achievements/stats-101,in-review,rejected,alan,did:example:learner-stats-101#j
2026-03-15T08:00:00Z,key-stats-101#a,https://example.edu/achievements/stats-101,issued,revoked,,did:example:learner-stats-101#a
2026-03-30T07:00:00Z,key-stats-101#k,https://example.edu/achievements/stats-101,,in-review,,did:example:learner-stats-101#k
`},
		{"jsonl", true, `{"at":"2026-03-01T09:00:00Z","award":"key-stats-101#h","achievement":"https://example.edu/achievements/stats-101","state":"denied","learner":"did:example:learner-stats-101#h"}
{"at":"2026-03-02T08:00:00Z","award":"key-stats-101#i","achievement":"https://example.edu/achievements/stats-101","state":"in-review","learner":"did:example:learner-stats-101#i"}
{"at":"2026-03-04T08:00:00Z","award":"key-stats-101#i","achievement":"https://example.edu/achievements/stats-101","from":"in-review","state":"issued","by":"grace","learner":"did:example:learner-stats-101#i"}
{"at":"2026-03-05T08:00:00Z","award":"key-stats-101#j","achievement":"https://example.edu/achievements/stats-101","state":"in-review","learner":"did:example:learner-stats-101#j"}
{"at":"2026-03-06T08:00:00Z","award":"key-stats-101#j","achievement":"https://example.edu/achievements/stats-101","from":"in-review","state":"rejected","by":"alan","learner":"did:example:learner-stats-101#j"}
{"at":"2026-03-15T08:00:00Z","award":"key-stats-101#a","achievement":"https://example.edu/achievements/stats-101","from":"issued","state":"revoked","learner":"did:example:learner-stats-101#a"}
{"at":"2026-03-30T07:00:00Z","award":"key-stats-101#k","achievement":"https://example.edu/achievements/stats-101","state":"in-review","learner":"did:example:learner-stats-101#k"}
`},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			q := march
			q.Learners = tt.learners
			var buf bytes.Buffer
			if err := Export(context.Background(), recs, &buf, tt.format, q); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, buf.String()); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}

			// Without learners: the same rows, with a pseudonym for the
			// award key and no learner.
			buf.Reset()
			if err := Export(context.Background(), recs, &buf, tt.format, march); err != nil {
				t.Fatal(err)
			}
			if s := buf.String(); strings.Contains(s, "did:example") || strings.Contains(s, "key-") || strings.Contains(s, "learner") {
				t.Errorf("personal data without Learners:\n%s", s)
			}
			awards := exportedAwards(t, tt.format, buf.Bytes())
			if len(awards) != 7 || awards[1] != awards[2] || awards[3] != awards[4] || awards[0] == awards[1] || len(awards[0]) != 16 {
				t.Errorf("pseudonyms %q: want 16 hex digits, the same for the same award", awards)
			}
		})
	}
	if err := Export(context.Background(), recs, &bytes.Buffer{}, "xlsx", march); err == nil {
		t.Error("an export as xlsx")
	}
}

// exportedAwards returns the award column of an export.
func exportedAwards(t *testing.T, format string, b []byte) []string {
	t.Helper()
	var out []string
	if format == "csv" {
		rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows[1:] {
			out = append(out, r[1])
		}
		return out
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	for dec.More() {
		var d Decision
		if err := dec.Decode(&d); err != nil {
			t.Fatal(err)
		}
		out = append(out, d.Award)
	}
	return out
}

// TestExportYear exports a generated year page by page: every decision,
// once, in order.
func TestExportYear(t *testing.T) {
	recs := &issuer.MemoryRecords{}
	want := 0
	for _, r := range insightstest.History(3, 400) {
		want += len(r.History)
		if err := recs.Create(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := Export(context.Background(), recs, &buf, "jsonl", issuer.InsightQuery{Limit: 37, Learners: true}); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(&buf)
	var prev time.Time
	n := 0
	for dec.More() {
		var d Decision
		if err := dec.Decode(&d); err != nil {
			t.Fatal(err)
		}
		if d.At.Before(prev) || d.Learner == "" {
			t.Fatalf("row %d: %+v after %v", n, d, prev)
		}
		prev = d.At
		n++
	}
	if n != want {
		t.Errorf("%d rows, want %d", n, want)
	}
}
