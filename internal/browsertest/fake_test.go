package browsertest

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// fakeTB is a testing.TB that records what a helper reports instead of
// reporting it, so that the tests can check how helpers fail and skip. Name,
// TempDir, Cleanup and the rest come from the real test it wraps.
type fakeTB struct {
	testing.TB
	mu      sync.Mutex
	logs    []string
	errs    []string
	failed  bool
	skipped bool
}

// runFake runs fn with a fakeTB on its own goroutine, as the testing package
// runs a test, so that Fatal and Skip can end it with runtime.Goexit.
func runFake(t *testing.T, fn func(tb testing.TB)) *fakeTB {
	t.Helper()
	f := &fakeTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(f)
	}()
	<-done
	return f
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) record(fail bool, skip bool, msg string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if fail {
		f.failed = true
		f.errs = append(f.errs, msg)
	} else {
		f.logs = append(f.logs, msg)
	}
	if skip {
		f.skipped = true
	}
}

func (f *fakeTB) Log(args ...any) { f.record(false, false, fmt.Sprintln(args...)) }
func (f *fakeTB) Logf(format string, args ...any) {
	f.record(false, false, fmt.Sprintf(format, args...))
}
func (f *fakeTB) Error(args ...any) { f.record(true, false, fmt.Sprintln(args...)) }
func (f *fakeTB) Errorf(format string, args ...any) {
	f.record(true, false, fmt.Sprintf(format, args...))
}
func (f *fakeTB) Fatal(args ...any) { f.record(true, false, fmt.Sprintln(args...)); runtime.Goexit() }
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.record(true, false, fmt.Sprintf(format, args...))
	runtime.Goexit()
}
func (f *fakeTB) Skip(args ...any) { f.record(false, true, fmt.Sprintln(args...)); runtime.Goexit() }
func (f *fakeTB) Skipf(format string, args ...any) {
	f.record(false, true, fmt.Sprintf(format, args...))
	runtime.Goexit()
}
func (f *fakeTB) SkipNow() { f.record(false, true, "SkipNow"); runtime.Goexit() }
func (f *fakeTB) Fail()    { f.record(true, false, "Fail") }
func (f *fakeTB) FailNow() { f.record(true, false, "FailNow"); runtime.Goexit() }
func (f *fakeTB) Failed() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.failed
}
func (f *fakeTB) Skipped() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.skipped
}

// errors returns what the helper failed with, joined.
func (f *fakeTB) errors() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return strings.Join(f.errs, "\n")
}

// logged returns what the helper logged or skipped with, joined.
func (f *fakeTB) logged() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return strings.Join(f.logs, "\n")
}
