// Package atomicfile writes files so that a crash leaves either the old
// content or the new, never a mix: the data goes to a temporary file in the
// same directory (mode 0600, or the mode WriteFileMode is given), is
// synced, and is renamed over the target (or linked to it, to create
// without replacing), and the directory is synced so that the rename itself
// is durable. The key, status and record stores (through package
// filestore) and the command line write their files with it.
package atomicfile

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// WriteFile replaces path with data, mode 0600. Temporary files are named
// tempPrefix followed by random characters, so that a store can remove the
// ones a crash left behind.
func WriteFile(path string, data []byte, tempPrefix string) error {
	return WriteFileMode(path, data, 0o600, tempPrefix)
}

// WriteFileMode is WriteFile with the new file's mode perm, set exactly
// (the umask does not apply), for a file others are meant to read.
func WriteFileMode(path string, data []byte, perm fs.FileMode, tempPrefix string) error {
	tmp, err := writeTemp(filepath.Dir(path), data, perm, tempPrefix)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return SyncDir(filepath.Dir(path))
}

// CreateFile writes data to path only if path does not exist: it fails
// with an error wrapping os.ErrExist otherwise, atomically, also against
// other processes (a hard link of the temporary file, which fails if the
// name exists).
func CreateFile(path string, data []byte, tempPrefix string) error {
	tmp, err := writeTemp(filepath.Dir(path), data, 0o600, tempPrefix)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	if err := os.Link(tmp, path); err != nil {
		return err
	}
	return SyncDir(filepath.Dir(path))
}

// writeTemp writes data to a new temporary file in dir, of mode perm,
// synced and closed, and returns its name.
func writeTemp(dir string, data []byte, perm fs.FileMode, prefix string) (name string, err error) {
	f, err := os.CreateTemp(dir, prefix+"*")
	if err != nil {
		return "", err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if perm != 0o600 { // os.CreateTemp's
		if err = f.Chmod(perm); err != nil {
			return "", fmt.Errorf("setting the mode of %s: %w", tmp, err)
		}
	}
	if _, err = f.Write(data); err != nil {
		return "", fmt.Errorf("writing %s: %w", tmp, err)
	}
	if err = f.Sync(); err != nil {
		return "", fmt.Errorf("syncing %s: %w", tmp, err)
	}
	if err = f.Close(); err != nil {
		return "", fmt.Errorf("closing %s: %w", tmp, err)
	}
	return tmp, nil
}

// SyncDir syncs a directory, making the renames and links in it durable.
// It does nothing on Windows, where directories cannot be synced.
func SyncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("syncing directory %s: %w", dir, err)
	}
	return nil
}

// ReadFile reads the file at path, which os.Lstat described as fi, as a
// store reads the files it keeps: it opens the file, checks that it is
// still the file fi describes (not swapped between the two), applies check
// to what was opened (the store's rules on type and mode), and reads at
// most maxBytes; a larger file is an error. It returns the data and what
// the opened file is.
func ReadFile(path string, fi fs.FileInfo, maxBytes int, check func(path string, fi fs.FileInfo) error) ([]byte, fs.FileInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if !os.SameFile(fi, info) {
		return nil, nil, fmt.Errorf("%s was replaced while being opened", path)
	}
	if err := check(path, info); err != nil {
		return nil, nil, err
	}
	data, err := io.ReadAll(io.LimitReader(f, int64(maxBytes)+1))
	if err != nil {
		clear(data)
		return nil, nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if len(data) > maxBytes {
		clear(data)
		return nil, nil, fmt.Errorf("%s is larger than %d bytes", path, maxBytes)
	}
	return data, info, nil
}

// SameVersion reports whether a and b describe the same version of a
// file. A store that writes with WriteFile renames a new file into place
// for every change, so a changed file is a different file.
func SameVersion(a, b fs.FileInfo) bool {
	return os.SameFile(a, b) && a.Size() == b.Size() && a.ModTime().Equal(b.ModTime())
}

// HashedName is the name of the file a store keeps the item named key in:
// the hex SHA-256 of key, then ext. Any key gives a safe, fixed-length
// name.
func HashedName(key, ext string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:]) + ext
}

// IsHashedName reports whether name has the form HashedName gives with
// ext, so that a store skips the other files in its directory.
func IsHashedName(name, ext string) bool {
	h, ok := strings.CutSuffix(name, ext)
	if !ok || len(h) != 2*sha256.Size {
		return false
	}
	for _, c := range []byte(h) {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
