package main

import (
	"fmt"
	"io"
	"os"
	"time"
)

// progress reports a long run's progress on standard error: on a terminal,
// one line redrawn in place at most ten times a second, with the rate and
// the time left; otherwise (a log, a pipe) a plain line at every tenth of
// the way or every ten seconds, whichever comes first, so that a log is
// neither empty for an hour nor flooded.
type progress struct {
	w    io.Writer
	tty  bool
	now  func() time.Time
	what string // what is counted: "rows"

	start, last time.Time
	lastTenth   int
}

// newProgress returns a progress reporter writing to w, which it treats
// as a terminal when w is a character device.
func newProgress(w io.Writer, what string) *progress {
	p := &progress{w: w, tty: isTerminal(w), now: time.Now, what: what, lastTenth: -1}
	p.start = p.now()
	p.last = p.start
	return p
}

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// update reports that done of total are done. Calls come one at a time,
// with done going up.
func (p *progress) update(done, total int) {
	t := p.now()
	if total <= 0 {
		return
	}
	tenth := done * 10 / total
	if p.tty {
		if done != total && t.Sub(p.last) < 100*time.Millisecond {
			return
		}
	} else if done != total && tenth == p.lastTenth && t.Sub(p.last) < 10*time.Second {
		return
	}
	p.last, p.lastTenth = t, tenth
	line := fmt.Sprintf("%3d%% %d/%d %s", done*100/total, done, total, p.what)
	if elapsed := t.Sub(p.start); elapsed > 0 && done > 0 {
		rate := float64(done) / elapsed.Seconds()
		if rate < 10 {
			line += fmt.Sprintf(", %.1f/s", rate)
		} else {
			line += fmt.Sprintf(", %.0f/s", rate)
		}
		if left := time.Duration(float64(total-done) / rate * float64(time.Second)); done == total {
			line += ", took " + elapsed.Round(time.Millisecond).String()
		} else if left < time.Second {
			line += ", under 1s left"
		} else {
			line += ", " + left.Round(time.Second).String() + " left"
		}
	}
	if p.tty {
		// \r and clearing the rest of the line redraw it in place.
		fmt.Fprintf(p.w, "\r%s\033[K", line)
		if done == total {
			fmt.Fprintln(p.w)
		}
		return
	}
	fmt.Fprintf(p.w, "progress: %s\n", line)
}
