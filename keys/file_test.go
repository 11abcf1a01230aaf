package keys

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestReadPrivateFile: a private key file is read only when group and
// others have no access to it, and the refusal names the file, its mode
// and the fix.
func TestReadPrivateFile(t *testing.T) {
	if !checkModes {
		t.Skip("file modes do not describe access here")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "issuer.jwk")
	content := []byte(edPrivJWK)
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		mode fs.FileMode
		ok   bool
	}{
		{0o600, true},
		{0o400, true},
		{0o700, true},
		{0o644, false},
		{0o640, false},
		{0o604, false},
		{0o660, false},
		{0o620, false},
		{0o602, false},
		{0o610, false},
		{0o601, false},
		{0o666, false},
	} {
		t.Run(c.mode.String(), func(t *testing.T) {
			if err := os.Chmod(path, c.mode); err != nil {
				t.Fatal(err)
			}
			got, err := ReadPrivateFile(path, MaxJWKSize)
			if c.ok {
				if err != nil {
					t.Fatal(err)
				}
				if d := cmp.Diff(content, got); d != "" {
					t.Errorf("content (-want +got):\n%s", d)
				}
				return
			}
			if got != nil {
				t.Errorf("returned %d bytes with the error", len(got))
			}
			var me *ModeError
			if !errors.As(err, &me) {
				t.Fatalf("error %v is not a *ModeError", err)
			}
			if d := cmp.Diff(ModeError{Path: path, Mode: c.mode}, *me); d != "" {
				t.Errorf("ModeError (-want +got):\n%s", d)
			}
			if !errors.Is(err, fs.ErrPermission) {
				t.Errorf("%v does not wrap fs.ErrPermission", err)
			}
			want := "keys: key file " + path + " has mode " + fmt.Sprintf("%04o", c.mode.Perm()) + " (" + c.mode.String() + "): group and others must have no access to it (chmod 600 " + path + ")"
			if d := cmp.Diff(want, err.Error()); d != "" {
				t.Errorf("message (-want +got):\n%s", d)
			}
		})
	}

	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := ReadPrivateFile(path, 10)
	if want := "keys: key file " + path + " is larger than 10 bytes"; err == nil || err.Error() != want {
		t.Errorf("a file over the limit: %v, want %q", err, want)
	}
	_, err = ReadPrivateFile(filepath.Join(dir, "missing.jwk"), MaxJWKSize)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing file: %v, want fs.ErrNotExist", err)
	}
}
