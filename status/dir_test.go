package status

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	mrand "math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-openbadges/openbadges/internal/filestore"
)

func TestDirStoreFiles(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "lists")
	s, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	r := newTestRegistry(t, s)
	if _, err := r.Create(ctx, testURL, nil); err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(dir, listFileName(testURL))
	if runtime.GOOS != "windows" {
		for path, want := range map[string]fs.FileMode{dir: 0o700, name: 0o600, filepath.Join(dir, ".lock"): 0o600} {
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm() != want {
				t.Errorf("%s has mode %04o, want %04o", path, fi.Mode().Perm(), want)
			}
		}
	}
	// Another store on the same directory sees this one's changes.
	other, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Load(ctx, testURL); err != nil {
		t.Fatal(err)
	}
	e, err := r.Allocate(ctx, testURL)
	if err != nil {
		t.Fatal(err)
	}
	i, _ := e.Index()
	if err := r.Revoke(ctx, testURL, i); err != nil {
		t.Fatal(err)
	}
	l, err := other.Load(ctx, testURL)
	if err != nil {
		t.Fatal(err)
	}
	if set, _ := l.Status.Bit(i); !set || l.Revision != 2 {
		t.Errorf("the other store sees revision %d, bit %d set %v", l.Revision, i, set)
	}
	// Leftover temporary files are removed when the directory is opened.
	tmp := filepath.Join(dir, ".tmp-123456")
	if err := os.WriteFile(tmp, []byte("half a list"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenDir(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(tmp); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the temporary file is still there: %v", err)
	}
	// Other files are ignored.
	if err := os.WriteFile(filepath.Join(dir, "README"), []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	if urls, err := s.URLs(ctx); err != nil || len(urls) != 1 {
		t.Errorf("URLs: %v, %v", urls, err)
	}
	if runtime.GOOS == "windows" {
		return
	}
	// A list file others can read is refused.
	if err := os.Chmod(name, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(ctx, testURL); !errors.Is(err, fs.ErrPermission) {
		t.Errorf("Load of a 0644 file: %v", err)
	}
	if err := os.Chmod(name, 0o600); err != nil {
		t.Fatal(err)
	}
	// A directory others can write is refused.
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenDir(dir); !errors.Is(err, fs.ErrPermission) {
		t.Errorf("OpenDir of a 0777 directory: %v", err)
	}
	if _, err := r.Allocate(ctx, testURL); !errors.Is(err, fs.ErrPermission) {
		t.Errorf("Allocate in a 0777 directory: %v", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	// A list file under another list's name is refused.
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	const elsewhere = "https://example.edu/status/other"
	if err := os.WriteFile(filepath.Join(dir, listFileName(elsewhere)), data, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(ctx, elsewhere); err == nil || errors.Is(err, ErrNoList) {
		t.Errorf("Load of a misnamed file: %v", err)
	}
	os.Remove(filepath.Join(dir, listFileName(elsewhere)))
	// A symbolic link is refused.
	if err := os.Symlink(name, filepath.Join(dir, listFileName(elsewhere))); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(ctx, elsewhere); err == nil || errors.Is(err, ErrNoList) {
		t.Errorf("Load through a symbolic link: %v", err)
	}
	os.Remove(filepath.Join(dir, listFileName(elsewhere)))
	// A damaged file is an error, never a panic or an empty list.
	if err := os.WriteFile(name, data[:len(data)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(ctx, testURL); err == nil {
		t.Error("Load of a truncated file succeeded")
	}
	if _, err := OpenDir(""); err == nil {
		t.Error("OpenDir(\"\") succeeded")
	}
}

// The crash test. TestDirStoreCrash starts this test binary again as a
// child that runs TestDirStoreChild: it allocates, revokes, suspends and
// revokes by id in a loop, printing each change on stdout only after the
// call that made it returned. The parent kills it (SIGKILL) at a random
// moment, reopens the store, and checks that every change the child
// printed is there.
const (
	childDirEnv   = "STATUS_TEST_CHILD_DIR"
	childCountEnv = "STATUS_TEST_CHILD_COUNT"
	// childReserveEnv, if set, is the child's Registry's ReserveBlock.
	childReserveEnv = "STATUS_TEST_CHILD_RESERVE"
	crashRunsEnv    = "STATUS_CRASH_RUNS"
)

const (
	crashRevURL = "https://example.edu/status/crash-revocation"
	crashSusURL = "https://example.edu/status/crash-suspension"
	crashMsgURL = "https://example.edu/status/crash-message"
	crash1EdURL = "https://example.edu/status/crash-revocations"
)

func TestDirStoreChild(t *testing.T) {
	dir := os.Getenv(childDirEnv)
	if dir == "" {
		t.Skip("run by TestDirStoreCrash and TestDirStoreTwoProcesses")
	}
	count := -1 // until killed
	if c := os.Getenv(childCountEnv); c != "" {
		count, _ = strconv.Atoi(c)
	}
	ctx := context.Background()
	s, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	r := &Registry{Store: s}
	if b, err := strconv.Atoi(os.Getenv(childReserveEnv)); err == nil {
		r.ReserveBlock = b
	}
	out := os.Stdout
	say := func(format string, args ...any) {
		// One write per line: a pipe write under PIPE_BUF is atomic, so
		// the parent sees whole lines or nothing.
		if _, err := io.WriteString(out, fmt.Sprintf(format, args...)+"\n"); err != nil {
			t.Fatal(err)
		}
	}
	pid := os.Getpid()
	suspended := map[int]bool{}
	for n := 0; count < 0 || n < count; n++ {
		e, err := r.Allocate(ctx, crashRevURL)
		if err != nil {
			t.Fatal(err)
		}
		i, _ := e.Index()
		say("A %d", i)
		if count >= 0 {
			continue // the two-process test only allocates
		}
		if n%2 == 0 {
			if err := r.Revoke(ctx, crashRevURL, i); err != nil {
				t.Fatal(err)
			}
			say("R %d", i)
		}
		if n%3 == 0 {
			e, err := r.Allocate(ctx, crashSusURL)
			if err != nil {
				t.Fatal(err)
			}
			j, _ := e.Index()
			if err := r.Suspend(ctx, crashSusURL, j); err != nil {
				t.Fatal(err)
			}
			suspended[j] = true
			say("S %d", j)
			for k := range suspended {
				if k != j && n%2 == 0 {
					// Announce the unsuspension first: if the child dies
					// during it, the store may hold it unconfirmed.
					say("P %d", k)
					if err := r.Unsuspend(ctx, crashSusURL, k); err != nil {
						t.Fatal(err)
					}
					delete(suspended, k)
					say("U %d", k)
					break
				}
			}
		}
		if n%4 == 0 {
			e, err := r.Allocate(ctx, crashMsgURL)
			if err != nil {
				t.Fatal(err)
			}
			j, _ := e.Index()
			say("B %d", j)
			v := 1 + n%3
			if err := r.SetStatus(ctx, crashMsgURL, j, v); err != nil {
				t.Fatal(err)
			}
			say("M %d %d", j, v)
		}
		if n%5 == 0 {
			id := fmt.Sprintf("urn:uuid:%d-%d", pid, n)
			if err := r.RevokeID(ctx, crash1EdURL, id, "crash test"); err != nil {
				t.Fatal(err)
			}
			say("I %s", id)
		}
	}
}

// childLines collects the complete lines a child prints.
func childLines(r io.Reader, done chan<- []string, first chan<- struct{}) {
	br := bufio.NewReader(r)
	var lines []string
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			break // a partial last line was not confirmed
		}
		line = strings.TrimSuffix(line, "\n")
		if len(line) < 3 || !strings.Contains("ARSUPIBM", line[:1]) || line[1] != ' ' {
			continue // the testing package's own output
		}
		if len(lines) == 0 {
			close(first)
		}
		lines = append(lines, line)
	}
	done <- lines
}

func setUpCrashLists(t *testing.T, dir string) {
	t.Helper()
	s, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	r := &Registry{Store: s}
	ctx := context.Background()
	for _, c := range []struct {
		url  string
		opts *ListOptions
	}{
		{crashRevURL, nil},
		{crashSusURL, &ListOptions{Purpose: Suspension}},
		{crash1EdURL, &ListOptions{Method: Method1EdTech}},
		{crashMsgURL, &ListOptions{Purpose: Message, StatusSize: 2, StatusMessage: NewStatusMessages("none", "one", "two", "three")}},
	} {
		if _, err := r.Create(ctx, c.url, c.opts); err != nil {
			t.Fatal(err)
		}
	}
}

func childCommand(dir string, extraEnv ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestDirStoreChild$", "-test.count=1", "-test.v=false")
	cmd.Env = append(append(os.Environ(), childDirEnv+"="+dir), extraEnv...)
	cmd.Stderr = io.Discard
	return cmd
}

// TestDirStoreCrash kills a child process that is writing to a DirStore
// at random moments, again and again (every other run with a Registry
// reserving indices in blocks), and checks that no change it confirmed was
// lost. STATUS_CRASH_RUNS sets the number of runs (default
// 20, 5 with -short).
func TestDirStoreCrash(t *testing.T) {
	if os.Getenv(childDirEnv) != "" {
		t.Skip("in the child")
	}
	runs := 20
	if testing.Short() {
		runs = 5
	}
	if n, err := strconv.Atoi(os.Getenv(crashRunsEnv)); err == nil && n > 0 {
		runs = n
	}
	rng := mrand.New(mrand.NewPCG(uint64(time.Now().UnixNano()), 7))
	var confirmed, midWrite int
	for run := range runs {
		dir := t.TempDir()
		setUpCrashLists(t, dir)
		var env []string
		reserve := 0
		if run%2 == 1 {
			reserve = 8 // indices reserved in blocks
			env = append(env, childReserveEnv+"="+strconv.Itoa(reserve))
		}
		cmd := childCommand(dir, env...)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done, first := make(chan []string, 1), make(chan struct{})
		go childLines(stdout, done, first)
		select {
		case <-first:
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			t.Fatal("the child printed nothing in 30 s")
		}
		time.Sleep(time.Duration(rng.IntN(40_000)) * time.Microsecond)
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		_ = cmd.Wait()
		lines := <-done
		confirmed += len(lines)
		if temps, _ := filepath.Glob(filepath.Join(dir, filestore.TempPrefix+"*")); len(temps) > 0 {
			midWrite++ // killed between creating a temporary file and renaming it
		}
		checkCrashStore(t, run, dir, lines, reserve)
	}
	t.Logf("%d runs, %d changes confirmed before the kill, all found after it; %d runs killed in the middle of a write", runs, confirmed, midWrite)
}

// checkCrashStore reopens the store and checks every confirmed change, made
// by a Registry whose ReserveBlock was reserve.
func checkCrashStore(t *testing.T, run int, dir string, lines []string, reserve int) {
	t.Helper()
	ctx := context.Background()
	s, err := OpenDir(dir)
	if err != nil {
		t.Fatalf("run %d: reopening: %v", run, err)
	}
	rev, err := s.Load(ctx, crashRevURL)
	if err != nil {
		t.Fatalf("run %d: %v", run, err)
	}
	sus, err := s.Load(ctx, crashSusURL)
	if err != nil {
		t.Fatalf("run %d: %v", run, err)
	}
	ed, err := s.Load(ctx, crash1EdURL)
	if err != nil {
		t.Fatalf("run %d: %v", run, err)
	}
	msg, err := s.Load(ctx, crashMsgURL)
	if err != nil {
		t.Fatalf("run %d: %v", run, err)
	}
	revokedIDs := map[string]bool{}
	for _, r := range ed.Revoked {
		revokedIDs[r.ID] = true
	}
	allocated, suspendedNow, pending, unsuspended := 0, map[int]bool{}, map[int]bool{}, map[int]bool{}
	for _, line := range lines {
		kind, arg, _ := strings.Cut(line, " ")
		i, _ := strconv.Atoi(arg)
		switch kind {
		case "A":
			allocated++
			if set, _ := rev.Allocated.Bit(i); !set {
				t.Errorf("run %d: index %d was allocated, and is free after the crash", run, i)
			}
		case "R":
			if set, _ := rev.Status.Bit(i); !set {
				t.Errorf("run %d: index %d was revoked, and is not after the crash", run, i)
			}
		case "S":
			suspendedNow[i] = true
		case "P":
			pending[i] = true
		case "U":
			delete(suspendedNow, i)
			delete(pending, i)
			unsuspended[i] = true
		case "I":
			if !revokedIDs[arg] {
				t.Errorf("run %d: %s was revoked, and is not after the crash", run, arg)
			}
		case "B":
			if set, _ := msg.Allocated.Bit(i); !set {
				t.Errorf("run %d: message index %d was allocated, and is free after the crash", run, i)
			}
		case "M":
			idx, val, _ := strings.Cut(arg, " ")
			j, _ := strconv.Atoi(idx)
			want, _ := strconv.Atoi(val)
			if got, _ := msg.Status.Value(j, 2); got != want {
				t.Errorf("run %d: message index %d was set to %d, and is %d after the crash", run, j, want, got)
			}
		default:
			t.Fatalf("run %d: the child said %q", run, line)
		}
	}
	for i := range suspendedNow {
		if set, _ := sus.Status.Bit(i); !set && !pending[i] {
			t.Errorf("run %d: index %d was suspended, and is not after the crash", run, i)
		}
	}
	for i := range unsuspended {
		if set, _ := sus.Status.Bit(i); set {
			t.Errorf("run %d: index %d was unsuspended, and is suspended after the crash", run, i)
		}
	}
	// At most the one change in flight when the child died is there
	// without having been confirmed: one index, or one block of them.
	if n := rev.AllocatedCount(); n < allocated || n > allocated+max(1, reserve) {
		t.Errorf("run %d: %d indices allocated in the store, %d confirmed", run, n, allocated)
	}
	// And the store goes on working.
	e, err := (&Registry{Store: s}).Allocate(ctx, crashRevURL)
	if err != nil {
		t.Fatalf("run %d: allocating after the crash: %v", run, err)
	}
	if i, _ := e.Index(); slices.Contains(lines, "A "+strconv.Itoa(i)) {
		t.Errorf("run %d: index %d allocated again after the crash", run, i)
	}
}

// TestDirStoreTwoProcesses has two processes allocate from one list at
// once: flock keeps them from handing out an index twice or losing one.
func TestDirStoreTwoProcesses(t *testing.T) {
	if os.Getenv(childDirEnv) != "" {
		t.Skip("in the child")
	}
	if !filestore.CrossProcessLock {
		t.Skip("no flock on this system")
	}
	for _, reserve := range []int{0, 8} {
		t.Run(fmt.Sprintf("reserve=%d", reserve), func(t *testing.T) {
			dir := t.TempDir()
			setUpCrashLists(t, dir)
			const per = 60
			var cmds []*exec.Cmd
			var dones []chan []string
			for range 2 {
				cmd := childCommand(dir, childCountEnv+"="+strconv.Itoa(per), childReserveEnv+"="+strconv.Itoa(reserve))
				stdout, err := cmd.StdoutPipe()
				if err != nil {
					t.Fatal(err)
				}
				done := make(chan []string, 1)
				go childLines(stdout, done, make(chan struct{}))
				cmds, dones = append(cmds, cmd), append(dones, done)
			}
			for _, cmd := range cmds {
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
			}
			seen := map[string]bool{}
			for i, cmd := range cmds {
				lines := <-dones[i]
				if err := cmd.Wait(); err != nil {
					t.Fatalf("child %d: %v", i, err)
				}
				if len(lines) != per {
					t.Fatalf("child %d confirmed %d allocations, want %d", i, len(lines), per)
				}
				for _, l := range lines {
					if seen[l] {
						t.Fatalf("%q allocated by both processes", l)
					}
					seen[l] = true
				}
			}
			s, err := OpenDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			l, err := s.Load(context.Background(), crashRevURL)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case reserve <= 1 && (l.AllocatedCount() != 2*per || l.Revision != 2*per):
				t.Errorf("%d allocated, revision %d; want %d", l.AllocatedCount(), l.Revision, 2*per)
			case reserve > 1 && (l.AllocatedCount() < 2*per || l.Revision > uint64(2*(per/reserve+1))):
				t.Errorf("%d allocated in %d updates, reserving %d at a time; want %d in at most %d", l.AllocatedCount(), l.Revision, reserve, 2*per, 2*(per/reserve+1))
			}
		})
	}
}
