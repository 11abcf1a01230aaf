package status

import (
	"context"
	"fmt"
	"slices"
	"sync"
)

// A Store keeps an issuer's status lists, by URL. Its methods are small
// atomic operations, so that a database with transactions implements it
// directly: Update is one transaction over one list (in SQL, a SELECT … FOR
// UPDATE of the list's row, then an UPDATE), which is all a Registry needs
// to allocate, revoke, suspend and unsuspend without losing a change to a
// concurrent one.
//
// Every method must be safe for concurrent use, and a Store shared between
// processes (a directory, a database) must serialize Updates of one list
// between them. Once Create or Update has returned nil, the change must
// survive a crash of the process (and, for a durable Store, of the machine):
// an index a Registry has handed out, or a revocation or status value it
// has confirmed, is never lost.
type Store interface {
	// Create adds l, a new list (see NewList). It fails with an error
	// wrapping ErrExists if the Store has a list at l.URL. The Store keeps
	// its own copy.
	Create(ctx context.Context, l *List) error

	// Load returns a copy of the list at url, or an error wrapping
	// ErrNoList.
	Load(ctx context.Context, url string) (*List, error)

	// Update changes the list at url in one atomic step. It calls fn with
	// a copy of the list, which fn may change; if fn returns nil, Update
	// stores the changed list, adding one to its Revision, and returns nil
	// only once the change is durable. If fn returns an error, nothing is
	// stored and Update returns that error. No other Update of the same
	// list runs between the read fn sees and the write. fn may be called
	// more than once (a database may retry a transaction that
	// conflicted), so it must do nothing but change the list it is given.
	// The list's URL cannot change, and the Store refuses a list that is
	// not consistent (a status bit set at an index never allocated, say).
	// Update fails with an error wrapping ErrNoList if there is no list
	// at url.
	Update(ctx context.Context, url string, fn func(*List) error) error

	// URLs returns the URLs of the Store's lists, sorted.
	URLs(ctx context.Context) ([]string, error)
}

// A MemoryStore is a Store that keeps lists in memory, for tests and for
// programs that keep lists elsewhere and publish from a copy. Its zero
// value is an empty store ready to use; it is safe for concurrent use.
// Nothing it holds survives the process.
type MemoryStore struct {
	mu    sync.Mutex
	lists map[string]*List
}

var _ Store = (*MemoryStore)(nil)

// Create implements Store.
func (s *MemoryStore) Create(ctx context.Context, l *List) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := l.validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.lists[l.URL]; ok {
		return fmt.Errorf("%w: %s", ErrExists, l.URL)
	}
	if s.lists == nil {
		s.lists = make(map[string]*List)
	}
	s.lists[l.URL] = l.Clone()
	return nil
}

// Load implements Store.
func (s *MemoryStore) Load(ctx context.Context, url string) (*List, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.lists[url]
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrNoList, url)
	}
	return l.Clone(), nil
}

// Update implements Store. fn runs with the store locked: it must not use
// the store.
func (s *MemoryStore) Update(ctx context.Context, url string, fn func(*List) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.lists[url]
	if !ok {
		return fmt.Errorf("%w: %s", ErrNoList, url)
	}
	c := l.Clone()
	if err := fn(c); err != nil {
		return err
	}
	if err := CheckUpdate(l, c); err != nil {
		return err
	}
	c.Revision = l.Revision + 1
	s.lists[url] = c
	return nil
}

// URLs implements Store.
func (s *MemoryStore) URLs(ctx context.Context) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	urls := make([]string, 0, len(s.lists))
	for u := range s.lists {
		urls = append(urls, u)
	}
	slices.Sort(urls)
	return urls, nil
}

// CheckUpdate checks the list an Update's fn returned (after) against the
// one it was given (before), as every Store must before it stores after:
// after is consistent (as List.MarshalJSON requires), has before's URL,
// method, purpose, length, statusSize, creation time and next list (once
// set), and
// keeps every allocation and every revocation before had. MemoryStore and
// DirStore call it; a Store of another package calls it too.
func CheckUpdate(before, after *List) error {
	if after.URL != before.URL || after.Method != before.Method || after.Purpose != before.Purpose ||
		after.Length() != before.Length() || after.StatusSize != before.StatusSize || !after.Created.Equal(before.Created) {
		return fmt.Errorf("status: an update cannot change a list's URL, method, purpose, length, statusSize or creation time")
	}
	if before.Next != "" && after.Next != before.Next {
		return fmt.Errorf("status: an update cannot change the list that took over from %s", before.URL)
	}
	if err := after.validate(); err != nil {
		return err
	}
	if anyAndNot(before.Allocated, after.Allocated) {
		return fmt.Errorf("status: an update cannot free an allocated index of %s", before.URL)
	}
	if before.Purpose == Revocation && anyAndNot(before.Status, after.Status) {
		return fmt.Errorf("status: an update cannot undo a revocation in %s", before.URL)
	}
	if len(before.Revoked) > 0 {
		kept := make(map[string]bool, len(after.Revoked))
		for _, r := range after.Revoked {
			kept[r.ID] = true
		}
		for _, r := range before.Revoked {
			if !kept[r.ID] {
				return fmt.Errorf("status: an update cannot undo the revocation of %q in %s", r.ID, before.URL)
			}
		}
	}
	return nil
}
