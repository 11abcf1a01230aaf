package filestore

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var errMode = errors.New("mode refused")

// newDir returns a Dir in a new directory, with mode errors that say
// which mode they refused.
func newDir(t *testing.T) *Dir {
	t.Helper()
	path, err := Open(filepath.Join(t.TempDir(), "store"), "test")
	if err != nil {
		t.Fatal(err)
	}
	return &Dir{
		Path: path, Prefix: "test", Noun: "item file",
		DirModeError: func(path string, mode fs.FileMode) error {
			return fmt.Errorf("%w: directory %s %04o: %w", errMode, path, mode.Perm(), fs.ErrPermission)
		},
		FileModeError: func(path string, mode fs.FileMode) error {
			return fmt.Errorf("%w: file %s %04o: %w", errMode, path, mode.Perm(), fs.ErrPermission)
		},
	}
}

// newCache returns a Cache of d whose items are the files' text, which
// must begin with the file's name, and which counts its decodings.
func newCache(d *Dir, decoded *int) *Cache[string] {
	return &Cache[string]{Dir: d, MaxBytes: 64, Decode: func(path, name string, data []byte) (string, error) {
		*decoded++
		s := string(data)
		if !strings.HasPrefix(s, name+":") {
			return "", fmt.Errorf("test: item file %s holds %q, not an item of its name", path, s)
		}
		return s, nil
	}}
}

func TestOpen(t *testing.T) {
	d := newDir(t)
	fi, err := os.Stat(d.Path)
	if err != nil {
		t.Fatal(err)
	}
	if CheckModes && fi.Mode().Perm() != 0o700 {
		t.Errorf("a new directory has mode %04o, want 0700", fi.Mode().Perm())
	}
	if got, _ := Open(d.Path+"/./", "test"); got != d.Path {
		t.Errorf("Open returns %q, want the path cleaned, %q", got, d.Path)
	}
	file := d.Join("file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(filepath.Join(file, "sub"), "test"); err == nil || !strings.HasPrefix(err.Error(), "test: ") {
		t.Errorf("Open under a file: %v", err)
	}
}

// TestCheckDir: the directory must be one, and one that group and others
// cannot write to.
func TestCheckDir(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(d *Dir)
		wantErr string // "" for no error
		perm    bool   // the error wraps fs.ErrPermission
	}{
		{name: "0700", setup: func(d *Dir) {}},
		{name: "0755", setup: func(d *Dir) { os.Chmod(d.Path, 0o755) }},
		{name: "group-writable", setup: func(d *Dir) { os.Chmod(d.Path, 0o770) }, wantErr: "mode refused: directory", perm: true},
		{name: "world-writable", setup: func(d *Dir) { os.Chmod(d.Path, 0o707) }, wantErr: "mode refused: directory", perm: true},
		{name: "missing", setup: func(d *Dir) { os.Remove(d.Path) }, wantErr: "test: stat "},
		{name: "a file", setup: func(d *Dir) {
			os.Remove(d.Path)
			os.WriteFile(d.Path, nil, 0o600)
		}, wantErr: "is not a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !CheckModes && tt.perm {
				t.Skip("file modes do not describe access on this system")
			}
			d := newDir(t)
			tt.setup(d)
			err := d.CheckDir()
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("CheckDir: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("CheckDir: %v, want an error saying %q", err, tt.wantErr)
			case errors.Is(err, fs.ErrPermission) != tt.perm:
				t.Errorf("CheckDir: %v wraps fs.ErrPermission: %v, want %v", err, !tt.perm, tt.perm)
			}
		})
	}
}

// TestCacheRead reads files of every kind a store meets: what it accepts
// it decodes once per version; what it refuses (a mode that lets others
// in, a symbolic link, a folder, a file in the wrong place, a file too
// large) it refuses every time, and forgets.
func TestCacheRead(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(t *testing.T, d *Dir) // writes the file "a"
		want    string
		wantErr string
		perm    bool // the error wraps fs.ErrPermission
		missing bool // the error wraps fs.ErrNotExist
	}{
		{name: "0600", setup: write("a", "a: one", 0o600), want: "a: one"},
		{name: "0400", setup: write("a", "a: one", 0o400), want: "a: one"},
		{name: "0640", setup: write("a", "a: one", 0o640), wantErr: "test: mode refused: file", perm: true},
		{name: "0604", setup: write("a", "a: one", 0o604), wantErr: "test: mode refused: file", perm: true},
		{name: "missing", setup: func(*testing.T, *Dir) {}, missing: true},
		{name: "symbolic link to a good file", setup: func(t *testing.T, d *Dir) {
			write("b", "a: one", 0o600)(t, d)
			if err := os.Symlink(d.Join("b"), d.Join("a")); err != nil {
				t.Skip(err)
			}
		}, wantErr: "test: test: item file " /* the Dir's prefix, then CheckFile's */},
		{name: "dangling symbolic link", setup: func(t *testing.T, d *Dir) {
			if err := os.Symlink(d.Join("nowhere"), d.Join("a")); err != nil {
				t.Skip(err)
			}
		}, wantErr: "is not a regular file (L"},
		{name: "a folder", setup: func(t *testing.T, d *Dir) { os.Mkdir(d.Join("a"), 0o700) }, wantErr: "is not a regular file (d"},
		{name: "another item", setup: write("a", "b: two", 0o600), wantErr: `holds "b: two"`},
		{name: "too large", setup: write("a", "a:"+strings.Repeat("x", 63), 0o600), wantErr: "test: item file: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !CheckModes && tt.perm {
				t.Skip("file modes do not describe access on this system")
			}
			d := newDir(t)
			tt.setup(t, d)
			var decoded int
			c := newCache(d, &decoded)
			for range 2 {
				got, err := c.Read("a")
				switch {
				case tt.missing:
					if !errors.Is(err, fs.ErrNotExist) {
						t.Fatalf("Read: %v, want fs.ErrNotExist", err)
					}
				case tt.wantErr != "":
					if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
						t.Fatalf("Read: %q, %v; want an error saying %q", got, err, tt.wantErr)
					}
					if errors.Is(err, fs.ErrPermission) != tt.perm {
						t.Errorf("Read: %v wraps fs.ErrPermission: %v, want %v", err, !tt.perm, tt.perm)
					}
				default:
					if err != nil || got != tt.want {
						t.Fatalf("Read: %q, %v; want %q", got, err, tt.want)
					}
				}
				if _, ok := c.Item("a"); ok != (tt.want != "") {
					t.Errorf("cached: %v", ok)
				}
			}
			if tt.want != "" && decoded != 1 {
				t.Errorf("decoded %d times for one version of the file", decoded)
			}
		})
	}
}

func write(name, content string, perm fs.FileMode) func(t *testing.T, d *Dir) {
	return func(t *testing.T, d *Dir) {
		t.Helper()
		if err := os.WriteFile(d.Join(name), []byte(content), perm); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(d.Join(name), perm); err != nil { // past the umask
			t.Fatal(err)
		}
	}
}

// TestCacheVersions: a file replaced, by this store or another, is read
// again; one swapped for a symbolic link or given a looser mode is refused
// and forgotten, however recently it was read.
func TestCacheVersions(t *testing.T) {
	d := newDir(t)
	var decoded int
	c := newCache(d, &decoded)
	other := *d // another store on the same directory
	fi, err := d.Replace("a", []byte("a: one"))
	if err != nil {
		t.Fatal(err)
	}
	c.Put("a", fi, "a: one")
	read := func(want string) {
		t.Helper()
		if got, err := c.Read("a"); err != nil || got != want {
			t.Fatalf("Read: %q, %v; want %q", got, err, want)
		}
	}
	read("a: one")
	if decoded != 0 {
		t.Errorf("what Replace wrote and Put recorded was decoded again")
	}
	time.Sleep(10 * time.Millisecond)
	if _, err := other.Replace("a", []byte("a: two")); err != nil {
		t.Fatal(err)
	}
	read("a: two")
	read("a: two")
	if decoded != 1 {
		t.Errorf("decoded %d times, want once for the new version", decoded)
	}
	if CheckModes {
		if err := os.Chmod(d.Join("a"), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Read("a"); !errors.Is(err, fs.ErrPermission) {
			t.Errorf("a file made readable by others, once read: %v", err)
		}
		if _, ok := c.Item("a"); ok {
			t.Error("a refused file is still cached")
		}
		os.Chmod(d.Join("a"), 0o600)
	}
	read("a: two")
	if err := os.Rename(d.Join("a"), d.Join("b")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(d.Join("b"), d.Join("a")); err != nil {
		t.Skip(err)
	}
	if _, err := c.Read("a"); err == nil || !strings.Contains(err.Error(), "is not a regular file") {
		t.Errorf("a file swapped for a symbolic link: %v", err)
	}
	if got := c.Names(); len(got) != 0 {
		t.Errorf("cached after the swap: %q", got)
	}
}

// TestReplaceAndCreate: files are written 0600, whole, with no temporary
// file left; Create never replaces.
func TestReplaceAndCreate(t *testing.T) {
	d := newDir(t)
	if err := d.Create("a", []byte("a: one")); err != nil {
		t.Fatal(err)
	}
	if err := d.Create("a", []byte("a: two")); !errors.Is(err, fs.ErrExist) || !strings.HasPrefix(err.Error(), "test: ") {
		t.Errorf("Create over a file: %v", err)
	}
	if b, _ := os.ReadFile(d.Join("a")); string(b) != "a: one" {
		t.Errorf("after a refused Create: %q", b)
	}
	fi, err := d.Replace("a", []byte("a: three"))
	if err != nil {
		t.Fatal(err)
	}
	now, _ := os.Lstat(d.Join("a"))
	if !os.SameFile(fi, now) || (CheckModes && fi.Mode().Perm() != 0o600) {
		t.Errorf("Replace returned %v, the file is %v", fi.Mode(), now.Mode())
	}
	names := dirNames(t, d)
	if d := cmp.Diff([]string{"a"}, names); d != "" {
		t.Errorf("files (-want +got):\n%s", d)
	}
	if _, err := d.Replace(filepath.Join("missing", "a"), nil); err == nil || !strings.HasPrefix(err.Error(), "test: ") {
		t.Errorf("Replace into a missing folder: %v", err)
	}
}

// TestRemoveTemps removes what a crash leaves and nothing else.
func TestRemoveTemps(t *testing.T) {
	d := newDir(t)
	for _, name := range []string{TempPrefix + "123", TempPrefix + "x.json", "a", ".tmp", ".lock", "b" + TempPrefix} {
		write(name, name+":", 0o600)(t, d)
	}
	if err := d.RemoveTemps(); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{".lock", ".tmp", "a", "b" + TempPrefix}, dirNames(t, d)); diff != "" {
		t.Errorf("left (-want +got):\n%s", diff)
	}
}

// TestLock: a second Lock, as another process's, waits for the first to be
// released.
func TestLock(t *testing.T) {
	if !CrossProcessLock {
		t.Skip("no cross-process lock on this system")
	}
	d := newDir(t)
	unlock, err := d.Lock()
	if err != nil {
		t.Fatal(err)
	}
	other := *d
	got := make(chan func())
	go func() {
		u, err := other.Lock()
		if err != nil {
			t.Error(err)
			u = func() {}
		}
		got <- u
	}()
	select {
	case <-got:
		t.Fatal("a second Lock was taken while the first was held")
	case <-time.After(100 * time.Millisecond):
	}
	unlock()
	select {
	case u := <-got:
		u()
	case <-time.After(10 * time.Second):
		t.Fatal("the second Lock was not taken once the first was released")
	}
	if fi, err := os.Stat(d.Join(LockName)); err != nil || (CheckModes && fi.Mode().Perm() != 0o600) {
		t.Errorf("lock file: %v, %v", fi, err)
	}
}

func dirNames(t *testing.T, d *Dir) []string {
	t.Helper()
	entries, err := os.ReadDir(d.Path)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}
