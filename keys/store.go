package keys

import (
	"context"
	"errors"
)

// ErrNotFound is wrapped by the error a Store returns when it has no key
// with the ID, or no active key for the controller, asked for.
var ErrNotFound = errors.New("keys: no such key")

// A Store holds signing keys: several per issuer (controller), of which one
// is active and signs new credentials, while retired ones stay to verify
// what they signed while in service.
//
// Key and ActiveKey return errors wrapping ErrNotFound when there is no such
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
	// Keys returns every key of controller, oldest first.
	Keys(ctx context.Context, controller string) ([]*Key, error)
}
