package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteAndCreate(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f.json")
	if err := CreateFile(p, []byte("one"), ".tmp-"); err != nil {
		t.Fatal(err)
	}
	if err := CreateFile(p, []byte("two"), ".tmp-"); !errors.Is(err, os.ErrExist) {
		t.Errorf("CreateFile over an existing file: %v", err)
	}
	if b, _ := os.ReadFile(p); string(b) != "one" {
		t.Errorf("content %q after a refused create", b)
	}
	if err := WriteFile(p, []byte("three"), ".tmp-"); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p)
	fi, _ := os.Stat(p)
	if string(b) != "three" || fi.Mode().Perm() != 0o600 {
		t.Errorf("content %q mode %v", b, fi.Mode())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("%d files: a temporary file was left behind", len(entries))
	}
	if err := WriteFile(filepath.Join(dir, "missing", "f"), nil, ".tmp-"); err == nil {
		t.Error("writing into a missing directory did not fail")
	}
}
