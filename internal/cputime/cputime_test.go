package cputime

import (
	"runtime"
	"testing"
	"time"
)

// TestProcess checks that, where the platform tells it, the CPU time grows
// while the process works.
func TestProcess(t *testing.T) {
	start, ok := Process()
	if !ok {
		t.Skipf("the process's CPU time is not read on %s", runtime.GOOS)
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		end, ok := Process()
		if !ok {
			t.Fatal("the CPU time was read once, then not")
		}
		if end < start {
			t.Fatalf("CPU time %v, then %v: it went back", start, end)
		}
		if end > start {
			return
		}
	}
	t.Errorf("CPU time still %v after 10s of work", start)
}
