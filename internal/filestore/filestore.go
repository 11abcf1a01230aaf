// Package filestore is the core of the stores that keep one item per file
// in a directory of their own (keys.DirStore, status.DirStore,
// issuer.DirRecords): the directory's rules (a directory group and others
// cannot write to, regular files they cannot access, symbolic links
// refused), reading each file with Lstat and decoding it once per version,
// replacing and creating files atomically and durably (package atomicfile),
// removing the temporary files a crash left behind, and an exclusive lock
// between processes. Each store keeps its own wording of errors.
package filestore

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/go-openbadges/openbadges/internal/atomicfile"
)

const (
	// TempPrefix begins the names of the temporary files a Dir writes.
	TempPrefix = ".tmp-"
	// LockName is the file of a directory that Lock locks.
	LockName = ".lock"
	// CheckModes is whether file modes describe access on this system: not
	// on Windows, where a Dir checks no mode.
	CheckModes = runtime.GOOS != "windows"
)

// A Dir is a store's directory, with the store's wording of what it
// refuses. Its zero value is not usable: set Path and Prefix, and Noun and
// the mode errors for CheckDir and CheckFile.
type Dir struct {
	// Path is the directory.
	Path string
	// Prefix begins every error: the store's package name ("keys").
	Prefix string
	// Noun names one of the store's files in errors ("key file").
	Noun string
	// DirModeError is the error for a directory, of mode mode, that group
	// or others can write to. It should wrap fs.ErrPermission.
	DirModeError func(path string, mode fs.FileMode) error
	// FileModeError is the error for a file, of mode mode, that group or
	// others can access. It should wrap fs.ErrPermission.
	FileModeError func(path string, mode fs.FileMode) error
}

// Open creates the directory at path (mode 0700) if it does not exist and
// returns path cleaned.
func Open(path, prefix string) (string, error) {
	if err := os.MkdirAll(path, 0o700); err != nil {
		return "", fmt.Errorf("%s: %w", prefix, err)
	}
	return filepath.Clean(path), nil
}

// Join returns the path of the file name in the directory.
func (d *Dir) Join(name string) string { return filepath.Join(d.Path, name) }

// CheckDir checks that the directory is a directory that group and others
// cannot write to.
func (d *Dir) CheckDir() error {
	fi, err := os.Stat(d.Path)
	if err != nil {
		return fmt.Errorf("%s: %w", d.Prefix, err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s: %s is not a directory", d.Prefix, d.Path)
	}
	if CheckModes && fi.Mode().Perm()&0o022 != 0 {
		return d.DirModeError(d.Path, fi.Mode())
	}
	return nil
}

// CheckFile checks that fi describes a regular file (not a symbolic link:
// describe it with os.Lstat) that group and others have no access to.
func (d *Dir) CheckFile(path string, fi fs.FileInfo) error {
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s: %s %s is not a regular file (%s)", d.Prefix, d.Noun, path, fi.Mode().Type())
	}
	if CheckModes && fi.Mode().Perm()&0o077 != 0 {
		return d.FileModeError(path, fi.Mode())
	}
	return nil
}

// RemoveTemps removes the temporary files (TempPrefix…) a crash left
// behind. A store calls it when no other writer can be writing: when it
// opens the directory, holding Lock if other processes may write.
func (d *Dir) RemoveTemps() error {
	entries, err := os.ReadDir(d.Path)
	if err != nil {
		return fmt.Errorf("%s: %w", d.Prefix, err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), TempPrefix) {
			if err := os.Remove(d.Join(e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("%s: removing a leftover temporary file: %w", d.Prefix, err)
			}
		}
	}
	return nil
}

// Lock takes an exclusive flock(2) on the directory's LockName file,
// waiting for it, and returns the function that releases it. It serializes
// writers in several processes where CrossProcessLock is true; elsewhere
// it does nothing. Writers in one process need a mutex besides.
func (d *Dir) Lock() (unlock func(), err error) {
	f, err := os.OpenFile(d.Join(LockName), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", d.Prefix, err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: locking %s: %w", d.Prefix, f.Name(), err)
	}
	return func() {
		_ = unlockFile(f) // closing releases it too
		f.Close()
	}, nil
}

// Replace replaces the file name with data atomically and durably
// (atomicfile.WriteFile: mode 0600) and returns what the new file is, for
// a Cache.
func (d *Dir) Replace(name string, data []byte) (fs.FileInfo, error) {
	path := d.Join(name)
	if err := atomicfile.WriteFile(path, data, TempPrefix); err != nil {
		return nil, fmt.Errorf("%s: %w", d.Prefix, err)
	}
	fi, err := os.Lstat(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", d.Prefix, err)
	}
	return fi, nil
}

// Create writes data to the new file name atomically and durably, also
// against other processes (atomicfile.CreateFile). If name exists, the
// error wraps fs.ErrExist and nothing is written.
func (d *Dir) Create(name string, data []byte) error {
	if err := atomicfile.CreateFile(d.Join(name), data, TempPrefix); err != nil {
		return fmt.Errorf("%s: %w", d.Prefix, err)
	}
	return nil
}

// A Cache holds what a store decoded from each file of its Dir, by file
// name, with the version of the file it came from: Read decodes a file
// again only when it changed (atomicfile.SameVersion). It is not safe for
// concurrent use: the store's mutex guards it.
type Cache[T any] struct {
	// Dir is the directory, whose rules (CheckFile) every Read applies.
	Dir *Dir
	// MaxBytes bounds a file.
	MaxBytes int
	// Decode decodes the data of the file name, at path, into an item, or
	// returns the store's error (which says which file). It must check
	// that the item belongs in a file of that name. The data is cleared
	// when it returns.
	Decode func(path, name string, data []byte) (T, error)

	files map[string]version[T]
}

type version[T any] struct {
	info fs.FileInfo
	item T
}

// Read returns the item in the file name: the one last read if the file
// is the same version, else read and decoded again; either way the file is
// described with os.Lstat and checked against the Dir's rules (a symbolic
// link is refused, not followed), and checked again once opened. If there
// is no such file, the error wraps fs.ErrNotExist. Any error forgets the
// file.
func (c *Cache[T]) Read(name string) (T, error) {
	var zero T
	if c.files == nil {
		c.files = make(map[string]version[T])
	}
	d := c.Dir
	path := d.Join(name)
	fi, err := os.Lstat(path)
	if err == nil {
		err = d.CheckFile(path, fi)
	}
	if err != nil {
		delete(c.files, name)
		if errors.Is(err, fs.ErrNotExist) {
			return zero, err
		}
		return zero, fmt.Errorf("%s: %w", d.Prefix, err)
	}
	if v, ok := c.files[name]; ok && atomicfile.SameVersion(v.info, fi) {
		return v.item, nil
	}
	item, info, err := c.load(path, name, fi)
	if err != nil {
		delete(c.files, name)
		return zero, err
	}
	c.files[name] = version[T]{info: info, item: item}
	return item, nil
}

// load reads and decodes the file at path, which Lstat described as fi,
// checking the opened file again.
func (c *Cache[T]) load(path, name string, fi fs.FileInfo) (T, fs.FileInfo, error) {
	var zero T
	var checkErr error
	check := func(path string, fi fs.FileInfo) error {
		checkErr = c.Dir.CheckFile(path, fi)
		return checkErr
	}
	data, info, err := atomicfile.ReadFile(path, fi, c.MaxBytes, check)
	defer clear(data)
	switch {
	case err != nil && err == checkErr:
		return zero, nil, err // already says what and where
	case err != nil:
		return zero, nil, fmt.Errorf("%s: %s: %w", c.Dir.Prefix, c.Dir.Noun, err)
	}
	item, err := c.Decode(path, name, data)
	if err != nil {
		return zero, nil, err
	}
	return item, info, nil
}

// Put records that the file name, which fi describes (as Replace returned
// it), holds item.
func (c *Cache[T]) Put(name string, fi fs.FileInfo, item T) {
	if c.files == nil {
		c.files = make(map[string]version[T])
	}
	c.files[name] = version[T]{info: fi, item: item}
}

// Forget forgets the file name.
func (c *Cache[T]) Forget(name string) { delete(c.files, name) }

// Item returns the item last read from the file name, without looking at
// the file.
func (c *Cache[T]) Item(name string) (T, bool) {
	v, ok := c.files[name]
	return v.item, ok
}

// Names returns the names of the files cached.
func (c *Cache[T]) Names() []string {
	names := make([]string, 0, len(c.files))
	for n := range c.files {
		names = append(names, n)
	}
	return names
}
