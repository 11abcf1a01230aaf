package keys

import (
	"fmt"
	"io"
	"io/fs"
	"os"
)

// ReadPrivateFile reads the file at path, which holds a private key (a
// JWK, a Multikey pair, any encoding), and returns its content. It refuses,
// with a *ModeError, a file whose mode gives group or others any access
// (mode&0o077 != 0): others could read the key, or replace it with theirs.
// The mode is that of the file opened, so the file checked is the file
// read; any kind of file is accepted if its mode passes, a pipe from
// another program included. On Windows, where file modes do not describe
// access, the mode is not checked. A file larger than limit bytes is
// refused too. Errors never include the file's content.
func ReadPrivateFile(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("keys: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("keys: %w", err)
	}
	if checkModes && fi.Mode().Perm()&0o077 != 0 {
		return nil, &ModeError{Path: path, Mode: fi.Mode()}
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("keys: reading %s: %w", path, err)
	}
	if int64(len(data)) > limit {
		clear(data)
		return nil, fmt.Errorf("keys: key file %s is larger than %d bytes", path, limit)
	}
	return data, nil
}

// A ModeError reports a key file whose permissions let group or others
// read or change it (from a DirStore or ReadPrivateFile), or a key
// directory others can write to. It wraps fs.ErrPermission.
type ModeError struct {
	Path string      // the file or directory
	Mode fs.FileMode // its mode
}

// Error names the file or directory, its mode, and the command that
// fixes it (chmod 600 FILE, or chmod go-w DIR).
func (e *ModeError) Error() string {
	if e.Mode.IsDir() {
		return fmt.Sprintf("keys: key directory %s has mode %04o (%s): group and others must not be able to write to it (chmod go-w %s)", e.Path, e.Mode.Perm(), e.Mode, e.Path)
	}
	return fmt.Sprintf("keys: key file %s has mode %04o (%s): group and others must have no access to it (chmod 600 %s)", e.Path, e.Mode.Perm(), e.Mode, e.Path)
}

// Unwrap returns fs.ErrPermission.
func (e *ModeError) Unwrap() error { return fs.ErrPermission }

// modeError is the *ModeError of a key file or directory whose mode lets
// group or others in.
func modeError(path string, mode fs.FileMode) error { return &ModeError{Path: path, Mode: mode} }
