//go:build unix

package atomicfile

import (
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestWriteFileMode: the mode is the one asked for, whatever the umask, on
// a new file and on one replaced.
func TestWriteFileMode(t *testing.T) {
	old := syscall.Umask(0o077)
	defer syscall.Umask(old)
	dir := t.TempDir()
	p := filepath.Join(dir, "badge.png")
	for _, perm := range []fs.FileMode{0o644, 0o600, 0o640} {
		if err := WriteFileMode(p, []byte(perm.String()), perm, ".badge.png."); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(p); fi.Mode().Perm() != perm || string(b) != perm.String() {
			t.Errorf("mode %v, content %q; want %v", fi.Mode().Perm(), b, perm)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d files: a temporary file was left behind", len(entries))
	}
}
