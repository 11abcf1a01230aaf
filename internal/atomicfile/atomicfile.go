// Package atomicfile writes files so that a crash leaves either the old
// content or the new, never a mix: the data goes to a temporary file in the
// same directory (mode 0600), is synced, and is renamed over the target (or
// linked to it, to create without replacing), and the directory is synced
// so that the rename itself is durable. The key, status and record stores
// keep their files with it.
package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// WriteFile replaces path with data. Temporary files are named tempPrefix
// followed by random characters, so that a store can remove the ones a
// crash left behind.
func WriteFile(path string, data []byte, tempPrefix string) error {
	tmp, err := writeTemp(filepath.Dir(path), data, tempPrefix)
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
	tmp, err := writeTemp(filepath.Dir(path), data, tempPrefix)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	if err := os.Link(tmp, path); err != nil {
		return err
	}
	return SyncDir(filepath.Dir(path))
}

// writeTemp writes data to a new temporary file in dir, synced and closed,
// and returns its name.
func writeTemp(dir string, data []byte, prefix string) (name string, err error) {
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
