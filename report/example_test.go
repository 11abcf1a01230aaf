package report_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/internal/insightstest"
	"github.com/go-openbadges/openbadges/issuer"
	"github.com/go-openbadges/openbadges/report"
)

// The first quarter of an issuer's decisions, by month, as a table; the
// same report is CSV, JSON or a page for a funder with WriteCSV, WriteJSON
// and WriteHTML.
func ExampleBuild() {
	// In a program: in, _ := iss.Insights(), and Review: iss.ReviewQueue().
	recs := &issuer.MemoryRecords{}
	for _, r := range insightstest.History(1, 300) {
		recs.Create(context.Background(), r)
	}
	rep, err := report.Build(context.Background(), report.Source{
		Insights: recs,
		Achievements: map[string]string{
			insightstest.Achievements[0]: "Statistics 101",
			insightstest.Achievements[1]: "Data Visualization",
			insightstest.Achievements[2]: "Machine Learning 201",
		},
		Issuer: "Example University",
	}, report.Options{
		Since:  time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		Until:  time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC),
		Period: issuer.PeriodMonth,
		Now:    func() time.Time { return time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		log.Fatal(err)
	}
	rep.WriteTable(os.Stdout)
	// Output:
	// Example University: badges awarded
	// From 2026-01-01 to 2026-03-31 (UTC), made 2026-04-01 09:00
	// Counts from 1 to 4 are shown as <5, and figures that would give them away as x: a count that small can identify a learner.
	//
	// ACHIEVEMENT           AWARDED  DENIED  IN REVIEW  REJECTED  REVOKED  SUSPENDED  AWARD RATE  MEDIAN TO AWARD  P90 TO AWARD
	// Data Visualization         12      <5          9         x        0          0           x           1d 21h        2d 17h
	// Machine Learning 201       12      <5          x        <5        0         <5           x            1d 2h         3d 1h
	// Statistics 101             17       8         <5         0       <5         <5       68.0%           1d 20h        3d 16h
	//
	// MONTH    AWARDED  DENIED  IN REVIEW  REJECTED  REVOKED  SUSPENDED
	// 2026-01       16       x         <5         0        0         <5
	// 2026-02       10      <5          x        <5       <5          0
	// 2026-03       15       5          9        <5        0         <5
	//
	// REVIEWER  AWARDED  REJECTED
	// ada            <5        <5
	// alan           <5        <5
	// grace          <5        <5
}

// The decisions of March as CSV for a spreadsheet: no learner and no
// award key, as Learners is not set.
func ExampleExport() {
	recs := &issuer.MemoryRecords{}
	for _, r := range insightstest.History(1, 40) {
		recs.Create(context.Background(), r)
	}
	q := issuer.InsightQuery{
		Since:         time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
		Until:         time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC),
		AchievementID: insightstest.Achievements[0],
	}
	var out strings.Builder
	if err := report.Export(context.Background(), recs, &out, "csv", q); err != nil {
		log.Fatal(err)
	}
	// Each award is named by a pseudonym made for this export.
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	fmt.Println(lines[0])
	fmt.Println("decisions:", len(lines)-1)
	// Output:
	// at,award,achievement,from,state,by
	// decisions: 1
}
