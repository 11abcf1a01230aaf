package keys

import (
	"fmt"
	"io"
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
