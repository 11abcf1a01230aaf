package filestore

import (
	"errors"
	"os"
	"strings"
	"syscall"
	"testing"
)

// TestReplaceFails makes writes fail part way, as a full disk or a crash
// does: with the file size limit (RLIMIT_FSIZE) below the new data, the
// temporary file cannot be written whole. The old file stays as it was,
// the cache keeps answering with it, and no temporary file is left.
// (Go ignores SIGXFSZ, so the write returns EFBIG.) Package status's
// kill tests crash real processes mid-write; package keys's leaves a
// half-written temporary file as a crash does.
func TestReplaceFails(t *testing.T) {
	tests := []struct {
		name  string
		limit uint64 // the file size limit while writing
		data  int    // bytes written
	}{
		{"nothing fits", 0, 10},
		{"part fits", 100, 4096},
		{"one byte short", 4095, 4096},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDir(t)
			var decoded int
			c := newCache(d, &decoded)
			fi, err := d.Replace("a", []byte("a: old"))
			if err != nil {
				t.Fatal(err)
			}
			c.Put("a", fi, "a: old")
			data := []byte("a:" + strings.Repeat("n", tt.data-2))
			withFileSizeLimit(t, tt.limit, func() {
				_, err = d.Replace("a", data)
			})
			if !errors.Is(err, syscall.EFBIG) || !strings.HasPrefix(err.Error(), "test: ") {
				t.Fatalf("Replace past the limit: %v, want EFBIG", err)
			}
			if b, _ := os.ReadFile(d.Join("a")); string(b) != "a: old" {
				t.Errorf("the file after a failed write: %q", b)
			}
			if got, err := c.Read("a"); err != nil || got != "a: old" || decoded != 0 {
				t.Errorf("Read after a failed write: %q, %v (decoded %d)", got, err, decoded)
			}
			if names := dirNames(t, d); len(names) != 1 {
				t.Errorf("files after a failed write: %q", names)
			}
			// Create fails alike, and leaves no file.
			withFileSizeLimit(t, tt.limit, func() {
				err = d.Create("b", data)
			})
			if !errors.Is(err, syscall.EFBIG) {
				t.Errorf("Create past the limit: %v", err)
			}
			if names := dirNames(t, d); len(names) != 1 {
				t.Errorf("files after a failed create: %q", names)
			}
		})
	}
}

// withFileSizeLimit runs f with the process's file size limit at limit
// bytes. Nothing else in this package writes files meanwhile: its tests
// do not run in parallel.
func withFileSizeLimit(t *testing.T, limit uint64, f func()) {
	t.Helper()
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
		t.Fatal(err)
	}
	lim := old
	lim.Cur = limit
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		t.Skipf("cannot set RLIMIT_FSIZE: %v", err)
	}
	defer func() {
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
			t.Fatal(err)
		}
	}()
	f()
}
