package keys

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// A MemoryStore is a Store that keeps keys in memory, for tests, short-lived
// programs, and keys whose Signer lives elsewhere (a KMS, an HSM), for which
// only the description needs keeping. Its zero value is an empty store ready
// to use; it is safe for concurrent use.
type MemoryStore struct {
	// Now returns the current time, which Rotate records as the moment of
	// rotation. If nil, time.Now is used. Set it before the store is used.
	Now func() time.Time

	mu     sync.RWMutex
	byID   map[string]*Key
	owned  map[string][]*Key // by controller, in the order added
	active map[string]*Key   // by controller
}

// Add stores a copy of k. An active key (zero NotAfter) needs a Signer, and
// its controller must not have an active key already (the error wraps
// ErrActiveKeyExists); a key that is already retired is kept without its
// Signer. An ID already in the store is an error wrapping ErrKeyExists.
// Public and Algorithm, when empty, are filled in from the Signer.
func (s *MemoryStore) Add(ctx context.Context, k *Key) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c, err := checkedKey(k)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.byID[c.ID]; ok {
		return fmt.Errorf("%w: %q", ErrKeyExists, c.ID)
	}
	if a, ok := s.active[c.Controller]; ok && !c.Retired() {
		return fmt.Errorf("%w: %q has active key %q", ErrActiveKeyExists, c.Controller, a.ID)
	}
	s.put(c)
	return nil
}

// Rotate retires controller's active key and makes next its active key.
//
// The retired key's NotAfter becomes the end of the second in which the
// rotation happens (see MemoryStore.Now), and the store forgets its
// Signer: from then on the key can only verify, and Key returns it with a
// nil Signer. (Keys returned before the rotation keep theirs; they are the
// caller's.) next's NotBefore, unless set, becomes the start of that
// second; if set, it must not be later than now. Both windows include the
// second of the rotation, so that a proof made in it, its creation time
// written in whole seconds as is usual, falls in the window of the key
// that made it. next's Controller must be controller or empty.
//
// Rotate returns an error wrapping ErrNoKey if controller has no active
// key (use Add for a controller's first key), and one wrapping ErrKeyExists
// if next's ID is taken.
func (s *MemoryStore) Rotate(ctx context.Context, controller string, next *Key) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.active[controller]
	if !ok {
		return fmt.Errorf("%w: %q has no active key to rotate", ErrNoKey, controller)
	}
	retired, active, err := rotation(old, next, controller, nowFunc(s.Now))
	if err != nil {
		return err
	}
	if _, ok := s.byID[active.ID]; ok {
		return fmt.Errorf("%w: %q", ErrKeyExists, active.ID)
	}
	s.replace(old, retired)
	s.put(active)
	return nil
}

// put adds c to the indexes; s.mu is held.
func (s *MemoryStore) put(c *Key) {
	if s.byID == nil {
		s.byID = make(map[string]*Key)
		s.owned = make(map[string][]*Key)
		s.active = make(map[string]*Key)
	}
	s.byID[c.ID] = c
	s.owned[c.Controller] = append(s.owned[c.Controller], c)
	if !c.Retired() {
		s.active[c.Controller] = c
	}
}

// replace puts retired in place of the active key old; s.mu is held. The
// stored Keys are never modified, only replaced, so that copies handed out
// earlier stay as they were.
func (s *MemoryStore) replace(old, retired *Key) {
	s.byID[old.ID] = retired
	list := s.owned[old.Controller]
	for i, k := range list {
		if k == old {
			list[i] = retired
		}
	}
	delete(s.active, old.Controller)
}

// Key returns a copy of the key whose ID is id, active or retired, or an
// error wrapping ErrNoKey.
func (s *MemoryStore) Key(ctx context.Context, id string) (*Key, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	k, ok := s.byID[id]
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrNoKey, id)
	}
	return k.clone(), nil
}

// ActiveKey returns a copy of controller's active key, or an error wrapping
// ErrNoKey.
func (s *MemoryStore) ActiveKey(ctx context.Context, controller string) (*Key, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	k, ok := s.active[controller]
	if !ok {
		return nil, fmt.Errorf("%w: %q has no active key", ErrNoKey, controller)
	}
	return k.clone(), nil
}

// Keys returns copies of controller's keys, oldest first (by NotBefore,
// then ID), or an error wrapping ErrNoKey if it has none.
func (s *MemoryStore) Keys(ctx context.Context, controller string) ([]*Key, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	list := s.owned[controller]
	if len(list) == 0 {
		return nil, fmt.Errorf("%w: %q has no keys", ErrNoKey, controller)
	}
	return sortedClones(list), nil
}
