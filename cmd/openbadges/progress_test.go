package main

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestProgress: off a terminal, one plain line at each tenth of the way
// (or after ten quiet seconds) and at the end, with the rate and the time
// left; on a terminal, one line redrawn in place at most ten times a
// second, ended with a newline.
func TestProgress(t *testing.T) {
	t0 := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name    string
		tty     bool
		total   int
		updates int           // how many updates come
		every   time.Duration // one each this long after the start
		want    string
	}{
		{
			name: "log", total: 20, updates: 20, every: 500 * time.Millisecond,
			want: "progress:   5% 1/20 rows, 2.0/s, 10s left\n" +
				"progress:  10% 2/20 rows, 2.0/s, 9s left\n" +
				"progress:  20% 4/20 rows, 2.0/s, 8s left\n" +
				"progress:  30% 6/20 rows, 2.0/s, 7s left\n" +
				"progress:  40% 8/20 rows, 2.0/s, 6s left\n" +
				"progress:  50% 10/20 rows, 2.0/s, 5s left\n" +
				"progress:  60% 12/20 rows, 2.0/s, 4s left\n" +
				"progress:  70% 14/20 rows, 2.0/s, 3s left\n" +
				"progress:  80% 16/20 rows, 2.0/s, 2s left\n" +
				"progress:  90% 18/20 rows, 2.0/s, 1s left\n" +
				"progress: 100% 20/20 rows, 2.0/s, took 10s\n",
		},
		{
			name: "slow log: a line every ten seconds", total: 1000, updates: 4, every: 4 * time.Second,
			want: "progress:   0% 1/1000 rows, 0.2/s, 1h6m36s left\n" +
				"progress:   0% 4/1000 rows, 0.2/s, 1h6m24s left\n",
		},
		{
			name: "terminal: redrawn at most ten times a second", tty: true, total: 5, updates: 5, every: 60 * time.Millisecond,
			want: "\r 40% 2/5 rows, 17/s, under 1s left\033[K" +
				"\r 80% 4/5 rows, 17/s, under 1s left\033[K" +
				"\r100% 5/5 rows, 17/s, took 300ms\033[K\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf strings.Builder
			now := t0
			p := &progress{w: &buf, tty: tc.tty, now: func() time.Time { return now }, what: "rows", lastTenth: -1, start: t0, last: t0}
			for d := 1; d <= tc.updates; d++ {
				now = t0.Add(time.Duration(d) * tc.every)
				p.update(d, tc.total)
			}
			if diff := cmp.Diff(tc.want, buf.String()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	if isTerminal(&strings.Builder{}) {
		t.Error("a strings.Builder is a terminal")
	}
}
