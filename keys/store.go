package keys

import (
	"cmp"
	"context"
	"crypto"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// ErrNoKey is wrapped by the error a Store returns when it has no key
// with the ID, or no active key for the controller, asked for.
var ErrNoKey = errors.New("keys: no such key")

// ErrNotFound is ErrNoKey's old name.
//
// Deprecated: use ErrNoKey, whose name says what is missing (did, status
// and the stores have their own "not found" errors).
var ErrNotFound = ErrNoKey

// ErrKeyExists is wrapped by the error Add or Rotate returns when the store
// already holds a key with the new key's ID.
var ErrKeyExists = errors.New("keys: a key with this ID already exists")

// ErrActiveKeyExists is wrapped by the error Add returns when the new key is
// active and its controller already has an active key: a controller has one
// active key at a time, and Rotate is how it changes.
var ErrActiveKeyExists = errors.New("keys: the controller already has an active key")

// A Store holds signing keys: several per issuer (controller), of which one
// is active and signs new credentials, while retired ones stay to verify
// what they signed while in service.
//
// Key and ActiveKey return errors wrapping ErrNoKey when there is no such
// key; any other error means the store could not answer (I/O, a KMS
// outage). Returned Keys are the caller's to read; a Store must not change
// them afterwards. Implementations must be safe for concurrent use.
//
// A key kept in a cloud KMS, an HSM or a remote signer fits as long as it
// yields a crypto.Signer: the Store returns a Key whose Signer calls it.
type Store interface {
	// Key returns the key whose ID is id, active or retired.
	Key(ctx context.Context, id string) (*Key, error)
	// ActiveKey returns the key controller signs with now.
	ActiveKey(ctx context.Context, controller string) (*Key, error)
}

// A Lister is a Store that can list a controller's keys, active and
// retired, which publishing (a DID document, a JWK Set) needs.
type Lister interface {
	Store
	// Keys returns every key of controller, oldest first (by NotBefore,
	// then ID), or an error wrapping ErrNoKey if it has none.
	Keys(ctx context.Context, controller string) ([]*Key, error)
}

// The built-in stores implement Lister.
var (
	_ Lister = (*MemoryStore)(nil)
	_ Lister = (*DirStore)(nil)
)

// clone returns a shallow copy of k: the copy shares k's public key and
// Signer, which are never modified, and nothing else.
func (k *Key) clone() *Key {
	c := *k
	return &c
}

// checkedKey validates a key given to Add and returns the copy a store
// keeps: Public and Algorithm filled in from the Signer when empty, and the
// Signer dropped if the key is already retired (a retired key never signs).
func checkedKey(k *Key) (*Key, error) {
	if k == nil {
		return nil, errors.New("keys: nil Key")
	}
	c := k.clone()
	if c.ID == "" {
		return nil, errors.New("keys: a Key needs an ID")
	}
	if c.Controller == "" {
		return nil, fmt.Errorf("keys: key %q has no Controller", c.ID)
	}
	if c.Public == nil && c.Signer != nil {
		c.Public = c.Signer.Public()
	}
	if c.Public == nil {
		return nil, fmt.Errorf("keys: key %q has no public key", c.ID)
	}
	alg, err := AlgorithmOf(c.Public)
	if err != nil {
		return nil, fmt.Errorf("keys: key %q: %w", c.ID, err)
	}
	if c.Algorithm == "" {
		c.Algorithm = alg
	} else if c.Algorithm != alg {
		return nil, fmt.Errorf("keys: key %q: Algorithm %s does not fit a key that signs with %s", c.ID, c.Algorithm, alg)
	}
	if c.Signer != nil {
		pub, ok := c.Signer.Public().(interface{ Equal(crypto.PublicKey) bool })
		if !ok || !pub.Equal(c.Public) {
			return nil, fmt.Errorf("keys: key %q: the Signer's public key is not Public", c.ID)
		}
	}
	if !c.NotBefore.IsZero() && !c.NotAfter.IsZero() && !c.NotBefore.Before(c.NotAfter) {
		return nil, fmt.Errorf("keys: key %q: NotBefore %s is not before NotAfter %s", c.ID, stamp(c.NotBefore), stamp(c.NotAfter))
	}
	if c.Retired() {
		c.Signer = nil
	} else if c.Signer == nil {
		return nil, fmt.Errorf("keys: key %q is active (no NotAfter) but has no Signer", c.ID)
	}
	return c, nil
}

// rotation computes a rotation at now of controller's active key old to
// next: the retired copy of old (NotAfter set, Signer dropped) and the
// checked copy of next (NotBefore set unless given).
//
// The windows are in whole seconds and both include the second in which
// the rotation happens: old's NotAfter is the end of that second, next's
// NotBefore its start. A proof's creation time is usually written in whole
// seconds, so a proof made by either key during that second still falls in
// its key's window; the windows overlap by that one second.
func rotation(old, next *Key, controller string, now time.Time) (retired, active *Key, err error) {
	if next == nil {
		return nil, nil, errors.New("keys: Rotate needs the next key")
	}
	n := next.clone()
	switch n.Controller {
	case "":
		n.Controller = controller
	case controller:
	default:
		return nil, nil, fmt.Errorf("keys: Rotate for %q given a key of controller %q", controller, n.Controller)
	}
	if n.Retired() {
		return nil, nil, fmt.Errorf("keys: Rotate given key %q, which is retired", n.ID)
	}
	if n, err = checkedKey(n); err != nil {
		return nil, nil, err
	}
	if n.ID == old.ID {
		return nil, nil, fmt.Errorf("%w: Rotate from key %q to itself", ErrKeyExists, n.ID)
	}
	start := now.Truncate(time.Second)
	end := start.Add(time.Second)
	r := old.clone()
	r.NotAfter, r.Signer = end, nil
	if !r.NotBefore.IsZero() && !r.NotBefore.Before(r.NotAfter) {
		return nil, nil, fmt.Errorf("keys: cannot retire key %q at %s, before its NotBefore %s", r.ID, stamp(r.NotAfter), stamp(r.NotBefore))
	}
	switch {
	case n.NotBefore.IsZero():
		n.NotBefore = start
	case n.NotBefore.After(now):
		return nil, nil, fmt.Errorf("keys: Rotate given key %q whose NotBefore %s is later than now (%s)", n.ID, stamp(n.NotBefore), stamp(now))
	}
	return r, n, nil
}

// byAge orders keys oldest first: by NotBefore (zero first), then by ID.
func byAge(a, b *Key) int {
	return cmp.Or(a.NotBefore.Compare(b.NotBefore), strings.Compare(a.ID, b.ID))
}

// sortedClones returns copies of ks, oldest first.
func sortedClones(ks []*Key) []*Key {
	out := make([]*Key, len(ks))
	for i, k := range ks {
		out[i] = k.clone()
	}
	slices.SortFunc(out, byAge)
	return out
}

// stamp formats t for messages and files: RFC 3339 in UTC, with as many
// fractional digits as it needs.
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// nowFunc returns now if it is set, else time.Now.
func nowFunc(now func() time.Time) time.Time {
	if now != nil {
		return now()
	}
	return time.Now()
}
