package status

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/go-openbadges/openbadges/internal/atomicfile"
)

// A DirStore is a Store that keeps each list in a file of its own in a
// directory, in the JSON form List.MarshalJSON writes, named by the hex
// SHA-256 of the list's URL followed by ".json" (so that no URL can name a
// path outside the directory; a file whose URL does not hash to its name is
// refused). Other files are ignored.
//
// Every change is written atomically and durably before Create or Update
// returns: the new file is written to a temporary file (".tmp-…", mode
// 0600) in the directory, synced, renamed over the list's file, and the
// directory is synced. A process killed at any moment leaves the old file or
// the new one, never a part of one, so an index that Allocate returned or a
// revocation that Revoke confirmed is never lost. OpenDir removes the
// temporary files a crash left behind.
//
// Updates are serialized within the process by a mutex and between
// processes by an exclusive flock(2) on the directory's ".lock" file, held
// from reading a list to renaming its new file into place, so that two
// processes allocating from one list (two runs of `openbadges status
// allocate`, say) never hand out the same index or lose each other's
// changes. (On systems without flock, Windows among them, only one process
// may write a directory at a time.) Load reads without the lock: a rename
// is atomic, so it sees one version or the next.
//
// The directory must not be writable by group or others, and list files
// must be regular files that group and others cannot access (mode 0600 or
// stricter); on Windows, where modes do not describe access, this is not
// checked.
//
// A DirStore is safe for concurrent use.
type DirStore struct {
	dir   string
	mu    sync.Mutex
	cache map[string]*dirList // by file name: each list as last read
}

var _ Store = (*DirStore)(nil)

// dirList is a list file as last read.
type dirList struct {
	info fs.FileInfo // for change detection
	list *List       // never modified; handed out as copies
}

const (
	listFileExt   = ".json"
	lockFileName  = ".lock"
	tempPrefix    = ".tmp-"
	checkDirModes = runtime.GOOS != "windows"
)

// OpenDir opens the list directory at path, creating it (mode 0700) if it
// does not exist, and removes the temporary files a crash left behind.
func OpenDir(path string) (*DirStore, error) {
	if path == "" {
		return nil, errors.New("status: OpenDir needs a directory")
	}
	if err := os.MkdirAll(path, 0o700); err != nil {
		return nil, fmt.Errorf("status: %w", err)
	}
	s := &DirStore{dir: filepath.Clean(path), cache: make(map[string]*dirList)}
	if err := s.checkDir(); err != nil {
		return nil, err
	}
	unlock, err := s.lock()
	if err != nil {
		return nil, err
	}
	defer unlock()
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, fmt.Errorf("status: %w", err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), tempPrefix) {
			if err := os.Remove(filepath.Join(s.dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("status: removing a leftover temporary file: %w", err)
			}
		}
	}
	return s, nil
}

// Dir returns the store's directory.
func (s *DirStore) Dir() string { return s.dir }

// Create implements Store.
func (s *DirStore) Create(ctx context.Context, l *List) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	data, err := l.MarshalJSON()
	if err != nil {
		return err
	}
	unlock, err := s.lock()
	if err != nil {
		return err
	}
	defer unlock()
	name := listFileName(l.URL)
	if _, err := os.Lstat(filepath.Join(s.dir, name)); err == nil {
		return fmt.Errorf("%w: %s", ErrExists, l.URL)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("status: %w", err)
	}
	return s.write(name, data, l.Clone())
}

// Load implements Store.
func (s *DirStore) Load(ctx context.Context, url string) (*List, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	l, err := s.read(listFileName(url))
	if err != nil {
		return nil, notFound(err, url)
	}
	return l.Clone(), nil
}

// Update implements Store.
func (s *DirStore) Update(ctx context.Context, url string, fn func(*List) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	unlock, err := s.lock()
	if err != nil {
		return err
	}
	defer unlock()
	name := listFileName(url)
	l, err := s.read(name)
	if err != nil {
		return notFound(err, url)
	}
	c := l.Clone()
	if err := fn(c); err != nil {
		return err
	}
	if err := CheckUpdate(l, c); err != nil {
		return err
	}
	c.Revision = l.Revision + 1
	data, err := c.MarshalJSON()
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.write(name, data, c)
}

// URLs implements Store.
func (s *DirStore) URLs(ctx context.Context) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.checkDir(); err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, fmt.Errorf("status: %w", err)
	}
	var urls []string
	for _, e := range entries {
		if !atomicfile.IsHashedName(e.Name(), listFileExt) {
			continue
		}
		l, err := s.read(e.Name())
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		urls = append(urls, l.URL)
	}
	slices.Sort(urls)
	return urls, nil
}

func notFound(err error, url string) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w: %s", ErrNotFound, url)
	}
	return err
}

// lock takes the store's mutex and the directory's flock; the function it
// returns releases both.
func (s *DirStore) lock() (func(), error) {
	s.mu.Lock()
	if err := s.checkDir(); err != nil {
		s.mu.Unlock()
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(s.dir, lockFileName), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		s.mu.Unlock()
		return nil, fmt.Errorf("status: %w", err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		s.mu.Unlock()
		return nil, fmt.Errorf("status: locking %s: %w", f.Name(), err)
	}
	return func() {
		_ = unlockFile(f) // closing releases it too
		f.Close()
		s.mu.Unlock()
	}, nil
}

// listFileName is the name of the file holding the list at url.
func listFileName(url string) string { return atomicfile.HashedName(url, listFileExt) }

// checkDir checks that the store's directory is a directory that group
// and others cannot write to.
func (s *DirStore) checkDir() error {
	fi, err := os.Stat(s.dir)
	if err != nil {
		return fmt.Errorf("status: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("status: %s is not a directory", s.dir)
	}
	if checkDirModes && fi.Mode().Perm()&0o022 != 0 {
		return fmt.Errorf("status: list directory %s has mode %04o: group and others must not be able to write to it (chmod go-w): %w", s.dir, fi.Mode().Perm(), fs.ErrPermission)
	}
	return nil
}

// checkFile checks that fi describes a regular file group and others
// cannot access.
func checkFile(path string, fi fs.FileInfo) error {
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("status: list file %s is not a regular file (%s)", path, fi.Mode().Type())
	}
	if checkDirModes && fi.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("status: list file %s has mode %04o: group and others must have no access to it (chmod 600): %w", path, fi.Mode().Perm(), fs.ErrPermission)
	}
	return nil
}

// read returns the list in the file name, from what was last read if the
// file is the same version, checking its mode either way. The error wraps
// fs.ErrNotExist if there is no such file. s.mu is held.
func (s *DirStore) read(name string) (*List, error) {
	path := filepath.Join(s.dir, name)
	fi, err := os.Lstat(path)
	if err == nil {
		err = checkFile(path, fi)
	}
	if err != nil {
		delete(s.cache, name)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("status: %w", err)
	}
	if c, ok := s.cache[name]; ok && atomicfile.SameVersion(c.info, fi) {
		return c.list, nil
	}
	l, info, err := loadListFile(path, fi)
	if err != nil {
		delete(s.cache, name)
		return nil, err
	}
	if listFileName(l.URL) != name {
		delete(s.cache, name)
		return nil, fmt.Errorf("status: list file %s holds the list at %s, whose file would be %s", path, l.URL, listFileName(l.URL))
	}
	s.cache[name] = &dirList{info: info, list: l}
	return l, nil
}

// loadListFile reads and parses the list file at path, which Lstat
// described as fi, checking the opened file again.
func loadListFile(path string, fi fs.FileInfo) (*List, fs.FileInfo, error) {
	var checkErr error
	check := func(path string, fi fs.FileInfo) error {
		checkErr = checkFile(path, fi)
		return checkErr
	}
	data, info, err := atomicfile.ReadFile(path, fi, MaxListJSONBytes, check)
	switch {
	case err != nil && err == checkErr:
		return nil, nil, err // already says what and where
	case err != nil:
		return nil, nil, fmt.Errorf("status: list file: %w", err)
	}
	l := new(List)
	if err := l.UnmarshalJSON(data); err != nil {
		return nil, nil, fmt.Errorf("status: list file %s: %w", path, err)
	}
	return l, info, nil
}

// write replaces the file name with data atomically and durably and
// records that it holds l; s.mu and the flock are held.
func (s *DirStore) write(name string, data []byte, l *List) error {
	path := filepath.Join(s.dir, name)
	if err := atomicfile.WriteFile(path, data, tempPrefix); err != nil {
		return fmt.Errorf("status: %w", err)
	}
	fi, err := os.Lstat(path)
	if err != nil {
		return fmt.Errorf("status: %w", err)
	}
	s.cache[name] = &dirList{info: fi, list: l}
	return nil
}
