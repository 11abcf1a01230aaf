package status

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"sync"

	"github.com/go-openbadges/openbadges/internal/atomicfile"
	"github.com/go-openbadges/openbadges/internal/filestore"
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
	dir   filestore.Dir
	mu    sync.Mutex
	lists filestore.Cache[*List] // each list as last read; never modified, handed out as copies
}

var _ Store = (*DirStore)(nil)

const listFileExt = ".json"

// OpenDir opens the list directory at path, creating it (mode 0700) if it
// does not exist, and removes the temporary files a crash left behind.
func OpenDir(path string) (*DirStore, error) {
	if path == "" {
		return nil, errors.New("status: OpenDir needs a directory")
	}
	clean, err := filestore.Open(path, "status")
	if err != nil {
		return nil, err
	}
	s := &DirStore{dir: filestore.Dir{
		Path: clean, Prefix: "status", Noun: "list file",
		DirModeError: func(path string, mode fs.FileMode) error {
			return fmt.Errorf("status: list directory %s has mode %04o: group and others must not be able to write to it (chmod go-w): %w", path, mode.Perm(), fs.ErrPermission)
		},
		FileModeError: func(path string, mode fs.FileMode) error {
			return fmt.Errorf("status: list file %s has mode %04o: group and others must have no access to it (chmod 600): %w", path, mode.Perm(), fs.ErrPermission)
		},
	}}
	s.lists = filestore.Cache[*List]{Dir: &s.dir, MaxBytes: MaxListJSONBytes, Decode: decodeListFile}
	unlock, err := s.lock()
	if err != nil {
		return nil, err
	}
	defer unlock()
	if err := s.dir.RemoveTemps(); err != nil {
		return nil, err
	}
	return s, nil
}

// Dir returns the store's directory.
func (s *DirStore) Dir() string { return s.dir.Path }

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
	if _, err := os.Lstat(s.dir.Join(name)); err == nil {
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
	l, err := s.lists.Read(listFileName(url))
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
	l, err := s.lists.Read(name)
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
	if err := s.dir.CheckDir(); err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(s.dir.Path)
	if err != nil {
		return nil, fmt.Errorf("status: %w", err)
	}
	var urls []string
	for _, e := range entries {
		if !atomicfile.IsHashedName(e.Name(), listFileExt) {
			continue
		}
		l, err := s.lists.Read(e.Name())
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
		return fmt.Errorf("%w: %s", ErrNoList, url)
	}
	return err
}

// lock takes the store's mutex and the directory's flock; the function it
// returns releases both.
func (s *DirStore) lock() (func(), error) {
	s.mu.Lock()
	if err := s.dir.CheckDir(); err != nil {
		s.mu.Unlock()
		return nil, err
	}
	unlock, err := s.dir.Lock()
	if err != nil {
		s.mu.Unlock()
		return nil, err
	}
	return func() {
		unlock()
		s.mu.Unlock()
	}, nil
}

// listFileName is the name of the file holding the list at url.
func listFileName(url string) string { return atomicfile.HashedName(url, listFileExt) }

// decodeListFile decodes the list file name, at path, and checks that it
// holds the list whose file it is.
func decodeListFile(path, name string, data []byte) (*List, error) {
	l := new(List)
	if err := l.UnmarshalJSON(data); err != nil {
		return nil, fmt.Errorf("status: list file %s: %w", path, err)
	}
	if listFileName(l.URL) != name {
		return nil, fmt.Errorf("status: list file %s holds the list at %s, whose file would be %s", path, l.URL, listFileName(l.URL))
	}
	return l, nil
}

// write replaces the file name with data atomically and durably and
// records that it holds l; s.mu and the flock are held.
func (s *DirStore) write(name string, data []byte, l *List) error {
	fi, err := s.dir.Replace(name, data)
	if err != nil {
		return err
	}
	s.lists.Put(name, fi, l)
	return nil
}
