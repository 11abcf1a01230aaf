package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
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

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	if err := WriteFile(p, []byte("hello"), ".tmp-"); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Lstat(p)
	ok := func(string, fs.FileInfo) error { return nil }
	data, info, err := ReadFile(p, fi, 5, ok)
	if err != nil || string(data) != "hello" || !SameVersion(fi, info) {
		t.Fatalf("ReadFile: %q %v", data, err)
	}
	if _, _, err := ReadFile(p, fi, 4, ok); err == nil || !strings.Contains(err.Error(), "is larger than 4 bytes") {
		t.Errorf("over the limit: %v", err)
	}
	refused := errors.New("refused")
	if _, _, err := ReadFile(p, fi, 5, func(string, fs.FileInfo) error { return refused }); err != refused {
		t.Errorf("check's error: %v", err)
	}
	if err := WriteFile(p, []byte("other"), ".tmp-"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ReadFile(p, fi, 5, ok); err == nil || !strings.Contains(err.Error(), "was replaced while being opened") {
		t.Errorf("a file replaced after Lstat: %v", err)
	}
	now, _ := os.Lstat(p)
	if SameVersion(fi, now) {
		t.Error("a rewritten file is the same version")
	}
}

// TestHashedName checks the names HashedName gives and IsHashedName
// recognizes, and what it does not.
func TestHashedName(t *testing.T) {
	name := HashedName("did:web:example.edu#key-1", ".jwk")
	if name != "bc33b800bc2e59f7071a521e300277b3fddf4560c1fd7802bff34a440ddbb7ba.jwk" {
		t.Errorf("HashedName = %s", name)
	}
	for _, tc := range []struct {
		name string
		want bool
	}{
		{name, true},
		{strings.TrimSuffix(name, ".jwk") + ".json", false},
		{strings.ToUpper(name[:64]) + ".jwk", false},
		{name[1:], false},
		{"x" + name, false},
		{".jwk", false},
	} {
		if got := IsHashedName(tc.name, ".jwk"); got != tc.want {
			t.Errorf("IsHashedName(%q) = %v, want %v", tc.name, got, tc.want)
		}
	}
}
