// Package kv holds what the stores of short-lived secrets' records share,
// whoever implements them: the error values of their contract, and an
// implementation in memory for one process. The handler packages
// (oid4vci, obapi) re-export the errors as their own, so that package
// sqlstore implements their stores without importing them.
package kv

import (
	"context"
	"errors"
	"sync"
	"time"
)

// Errors of a store.
var (
	// ErrNotFound is wrapped by a store's error for a key it does not
	// hold, or holds no longer (taken, or expired).
	ErrNotFound = errors.New("no such entry")
	// ErrExists is wrapped by a store's Put error for a key already held.
	ErrExists = errors.New("the entry exists")
	// ErrFull is wrapped by a store's Put error when the store holds as
	// many entries as it may.
	ErrFull = errors.New("the store is full")
)

// DefaultMaxEntries is how many entries a Memory holds at most when its
// Max is zero.
const DefaultMaxEntries = 100_000

// Memory keeps entries, each until it expires, in memory, for one process.
// The zero value is ready to use; it is safe for concurrent use.
type Memory struct {
	// Max is how many entries it holds at most (expired ones are dropped
	// first); Put fails with ErrFull beyond. Zero means DefaultMaxEntries.
	Max int
	// Now returns the current time, for Put to tell expired entries. If
	// nil, time.Now.
	Now func() time.Time

	mu      sync.Mutex
	entries map[string]memoryEntry
	// soonest is no later than the expiry of any entry held: while now
	// is before it, a full Memory has nothing to drop, and Put fails
	// without looking at every entry (a flood of Puts on a full store
	// must not hold the lock for a scan each).
	soonest time.Time
}

type memoryEntry struct {
	value   []byte
	expires time.Time
}

// Put stores value under key until expires, or fails with ErrExists if key
// holds an entry that has not expired.
func (m *Memory) Put(ctx context.Context, key string, value []byte, expires time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.entries == nil {
		m.entries = map[string]memoryEntry{}
	}
	now := time.Now()
	if m.Now != nil {
		now = m.Now()
	}
	if e, ok := m.entries[key]; ok && now.Before(e.expires) {
		return ErrExists
	}
	max := m.Max
	if max <= 0 {
		max = DefaultMaxEntries
	}
	if len(m.entries) >= max {
		if now.Before(m.soonest) {
			return ErrFull
		}
		m.soonest = time.Time{}
		for k, e := range m.entries {
			switch {
			case !now.Before(e.expires):
				delete(m.entries, k)
			case m.soonest.IsZero() || e.expires.Before(m.soonest):
				m.soonest = e.expires
			}
		}
		if len(m.entries) >= max {
			return ErrFull
		}
	}
	if len(m.entries) == 0 || expires.Before(m.soonest) {
		m.soonest = expires
	}
	m.entries[key] = memoryEntry{value: append([]byte(nil), value...), expires: expires}
	return nil
}

// Get returns the value of key, if it has not expired at now, or
// ErrNotFound.
func (m *Memory) Get(ctx context.Context, key string, now time.Time) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.entries[key]
	if !ok || !now.Before(e.expires) {
		return nil, ErrNotFound
	}
	return append([]byte(nil), e.value...), nil
}

// Take returns the value of key, if it has not expired at now, and
// removes it, in one step; or ErrNotFound.
func (m *Memory) Take(ctx context.Context, key string, now time.Time) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.entries[key]
	if !ok {
		return nil, ErrNotFound
	}
	delete(m.entries, key)
	if !now.Before(e.expires) {
		return nil, ErrNotFound
	}
	return e.value, nil
}
