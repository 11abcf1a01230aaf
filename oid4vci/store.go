package oid4vci

import (
	"context"
	"sync"
	"time"

	"github.com/go-openbadges/openbadges/internal/kv"
)

// Errors of a Store. They are the same values as package obapi's, so
// that one store implementation (sqlstore's) may serve both without
// importing either.
var (
	// ErrNotFound is wrapped by a Store's error for a key it does not
	// hold, or holds no longer (taken, or expired).
	ErrNotFound = kv.ErrNotFound
	// ErrExists is wrapped by Store.Put's error for a key already held.
	ErrExists = kv.ErrExists
	// ErrFull is wrapped by Store.Put's error when the store holds as
	// many entries as it may.
	ErrFull = kv.ErrFull
)

// A Store keeps what the issuance flows hand out and take back: credential
// offers and their pre-authorized codes, authorization codes, access
// tokens, deferred issuance transactions, and the c_nonces and
// authorization requests used up (which are handed out sealed with
// Config.Secret, not stored), each until it expires. Keys
// are derived from the secrets (a hash), never the secrets themselves, so a
// copy of a store gives away no usable code or token.
//
// Implementations must be safe for concurrent use, and Take must be atomic:
// it is what makes codes and nonces single use, also across the instances
// of an issuer sharing one store (a SQL table with the key as primary key,
// and DELETE … RETURNING, does it). Expired entries must never be returned;
// removing them is the implementation's business.
type Store interface {
	// Put stores value under key until expires, or fails with an error
	// wrapping ErrExists if key is held: atomically, for marking a
	// c_nonce or an authorization request used relies on it (an INSERT
	// on the primary key).
	Put(ctx context.Context, key string, value []byte, expires time.Time) error
	// Get returns the value of key, if it has not expired at now, or an
	// error wrapping ErrNotFound.
	Get(ctx context.Context, key string, now time.Time) ([]byte, error)
	// Take returns the value of key, if it has not expired at now, and
	// removes it, in one step: of two Takes of the same key, one fails
	// with an error wrapping ErrNotFound.
	Take(ctx context.Context, key string, now time.Time) ([]byte, error)
}

// DefaultMaxEntries is how many entries a MemoryStore holds at most when
// its Max is zero.
const DefaultMaxEntries = kv.DefaultMaxEntries

// MemoryStore is a Store in memory, for one process. The zero value is
// ready to use.
type MemoryStore struct {
	// Max is how many entries it holds at most (expired ones are dropped
	// first); Put fails with ErrFull beyond. Zero means DefaultMaxEntries.
	// It is read when the store is first used.
	Max int
	// Now returns the current time, for Put to tell expired entries. If
	// nil, time.Now. It is read when the store is first used.
	Now func() time.Time

	once sync.Once
	m    kv.Memory
}

var _ Store = (*MemoryStore)(nil)

// mem returns the store's entries, set up with Max and Now at first use.
func (m *MemoryStore) mem() *kv.Memory {
	m.once.Do(func() { m.m.Max, m.m.Now = m.Max, m.Now })
	return &m.m
}

// Put implements Store.
func (m *MemoryStore) Put(ctx context.Context, key string, value []byte, expires time.Time) error {
	return m.mem().Put(ctx, key, value, expires)
}

// Get implements Store.
func (m *MemoryStore) Get(ctx context.Context, key string, now time.Time) ([]byte, error) {
	return m.mem().Get(ctx, key, now)
}

// Take implements Store.
func (m *MemoryStore) Take(ctx context.Context, key string, now time.Time) ([]byte, error) {
	return m.mem().Take(ctx, key, now)
}
