package main

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestReportRange checks how report reads --since, --until and --tz: a
// date is midnight in the zone (--until: the midnight after, so that the
// day is included), a time is as written, and a mistake names the flag
// and an example.
func TestReportRange(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		since, until, tz string
		want             [2]time.Time
		err              string
	}{
		{tz: "UTC"},
		{since: "2026-01-01", until: "2026-03-31", tz: "Europe/Berlin",
			want: [2]time.Time{time.Date(2026, 1, 1, 0, 0, 0, 0, berlin), time.Date(2026, 4, 1, 0, 0, 0, 0, berlin)}},
		{since: "2026-01-01T09:30:00+01:00", until: "2026-01-02", tz: "UTC",
			want: [2]time.Time{time.Date(2026, 1, 1, 8, 30, 0, 0, time.UTC), time.Date(2026, 1, 3, 0, 0, 0, 0, time.UTC)}},
		{since: "2026-01-01", until: "2026-01-01", tz: "UTC",
			want: [2]time.Time{time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)}},
		{tz: "Berlin", err: `--tz "Berlin" is not a time zone: give its IANA name, such as Europe/Berlin or America/New_York, or UTC`},
		{tz: "Local", err: `--tz "Local": give a time zone by its IANA name, such as Europe/Berlin or America/New_York, or UTC`},
		{since: "yesterday", tz: "UTC", err: `--since "yesterday": want a date, such as 2026-01-31, or a time, such as 2026-01-31T09:00:00+01:00`},
		{until: "2026-02-30", tz: "UTC", err: `--until "2026-02-30": want a date, such as 2026-01-31, or a time, such as 2026-01-31T09:00:00+01:00`},
		{since: "2026-02-02", until: "2026-02-01", tz: "UTC", err: `--since 2026-02-02 is not before --until 2026-02-01`},
	}
	for _, tt := range tests {
		since, until, tz := tt.since, tt.until, tt.tz
		loc, s, u, err := rangeFlags{since: &since, until: &until, tz: &tz}.parse()
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.err {
			t.Errorf("--since %q --until %q --tz %q: error %q, want %q", since, until, tz, got, tt.err)
			continue
		}
		if err != nil {
			continue
		}
		if d := cmp.Diff(tt.want, [2]time.Time{s, u}); d != "" || loc.String() != tz {
			t.Errorf("--since %q --until %q --tz %q: zone %s (-want +got):\n%s", since, until, tz, loc, d)
		}
	}
}
