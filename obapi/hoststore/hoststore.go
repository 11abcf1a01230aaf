// Package hoststore defines what an Open Badges 3.0 API host (package
// obapi) keeps: its authorization server's codes and tokens (a Store) and
// its users' credentials and profiles (Records), with implementations in
// memory. It imports nothing of the handlers, so that a store in SQL
// (package sqlstore) implements it without them.
package hoststore

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-openbadges/openbadges/internal/kv"
)

// Errors of a Store and of Records. They are the same values as package
// oid4vci's, so that one store implementation may serve both.
var (
	// ErrNotFound is wrapped by a Store's error for a key it does not
	// hold, or holds no longer (taken, or expired), and by
	// Records.Profile's for a user without a profile.
	ErrNotFound = kv.ErrNotFound
	// ErrExists is wrapped by Store.Put's error for a key already held.
	ErrExists = kv.ErrExists
	// ErrFull is wrapped by Store.Put's error when the store holds as
	// many entries as it may.
	ErrFull = kv.ErrFull
)

// A Store keeps the authorization server's records: registered clients,
// authorization codes, access and refresh tokens, each until it expires.
// Keys are a kind and a hash of the secret, never the secret itself, so a
// copy of a store gives away no usable code or token; values are small
// JSON documents.
//
// Implementations must be safe for concurrent use, and Take must be
// atomic: it is what makes codes and refresh tokens single use, also
// across the instances of a host sharing one store. Expired entries must
// never be returned. It is the contract of oid4vci.Store: sqlstore's
// DB.OBAPI implements it in SQL.
type Store interface {
	// Put stores value under key until expires, or fails with an error
	// wrapping ErrExists if key is held.
	Put(ctx context.Context, key string, value []byte, expires time.Time) error
	// Get returns the value of key, if it has not expired at now, or an
	// error wrapping ErrNotFound.
	Get(ctx context.Context, key string, now time.Time) ([]byte, error)
	// Take returns the value of key, if it has not expired at now, and
	// removes it, in one step: of two Takes of the same key, one fails
	// with an error wrapping ErrNotFound.
	Take(ctx context.Context, key string, now time.Time) ([]byte, error)
}

// MemoryStore is a Store in memory, for one process. The zero value is
// ready to use; its Max bounds the entries (zero: 100,000), and Put fails
// with ErrFull beyond.
type MemoryStore struct {
	kv.Memory
}

var _ Store = (*MemoryStore)(nil)

// A Credential is a credential a user keeps at the host, as it was
// upserted.
type Credential struct {
	// Key identifies it among the user's credentials, by the
	// specification's credential equality: the issuer's id and the
	// credential's id (see obapi.EqualityKey), or, for a credential
	// without an id, the SHA-256 of its bytes. An upsert with the key of a
	// held credential replaces it.
	Key string
	// Data is the credential as received: JSON, or a compact JWS.
	Data []byte
	// JWS reports whether Data is a compact JWS (a VC-JWT).
	JWS bool
	// Issued is when it was issued (its validFrom, or issuanceDate), for
	// getCredentials' since; the time it was upserted when it says none.
	Issued time.Time
}

// A Page asks Records for part of a user's credentials, ordered by Issued
// and then Key.
type Page struct {
	// Since, if not zero, keeps only the credentials issued after it.
	Since time.Time
	// Offset is how many to skip; Limit how many to return at most.
	Offset, Limit int
}

// Records keep what the host holds for each user: their credentials and
// their profile. The user is the host's own identifier of an account, as
// the host gave it to obapi.Server.Authorize. Implementations must be
// safe for concurrent use. sqlstore's DB.OBAPIRecords implements it in
// SQL; MemoryRecords in memory.
type Records interface {
	// Credentials returns the page of the user's credentials p asks for,
	// and how many of them there are since p.Since in all.
	Credentials(ctx context.Context, user string, p Page) (page []Credential, total int, err error)
	// Upsert stores c for the user, replacing the credential of the same
	// Key, and reports whether it was created rather than replaced. It
	// must be atomic: of two Upserts of a new Key, one creates it.
	Upsert(ctx context.Context, user string, c Credential) (created bool, err error)
	// Profile returns the user's profile JSON, or an error wrapping
	// ErrNotFound.
	Profile(ctx context.Context, user string) ([]byte, error)
	// PutProfile stores the user's profile JSON, replacing any.
	PutProfile(ctx context.Context, user string, profile []byte) error
}

// MemoryRecords are Records in memory, for one process and for tests. The
// zero value is ready to use.
type MemoryRecords struct {
	mu       sync.Mutex
	creds    map[string][]Credential // by user, in no order
	profiles map[string][]byte
}

var _ Records = (*MemoryRecords)(nil)

// Credentials implements Records.
func (m *MemoryRecords) Credentials(ctx context.Context, user string, p Page) ([]Credential, int, error) {
	m.mu.Lock()
	var all []Credential
	for _, c := range m.creds[user] {
		if p.Since.IsZero() || c.Issued.After(p.Since) {
			all = append(all, c)
		}
	}
	m.mu.Unlock()
	sortCredentials(all)
	total := len(all)
	lo := min(max(p.Offset, 0), total)
	hi := min(lo+max(p.Limit, 0), total)
	return slices.Clone(all[lo:hi]), total, nil
}

// sortCredentials sorts cs as Records return them: by Issued, then by Key.
func sortCredentials(cs []Credential) {
	slices.SortFunc(cs, func(a, b Credential) int {
		if c := a.Issued.Compare(b.Issued); c != 0 {
			return c
		}
		return strings.Compare(a.Key, b.Key)
	})
}

// Upsert implements Records.
func (m *MemoryRecords) Upsert(ctx context.Context, user string, c Credential) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.creds == nil {
		m.creds = map[string][]Credential{}
	}
	c.Data = slices.Clone(c.Data)
	list := m.creds[user]
	for i := range list {
		if list[i].Key == c.Key {
			list[i] = c
			return false, nil
		}
	}
	m.creds[user] = append(list, c)
	return true, nil
}

// Profile implements Records.
func (m *MemoryRecords) Profile(ctx context.Context, user string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.profiles[user]
	if !ok {
		return nil, ErrNotFound
	}
	return slices.Clone(p), nil
}

// PutProfile implements Records.
func (m *MemoryRecords) PutProfile(ctx context.Context, user string, profile []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.profiles == nil {
		m.profiles = map[string][]byte{}
	}
	m.profiles[user] = slices.Clone(profile)
	return nil
}
