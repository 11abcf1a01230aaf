// Package signaturetest provides a fake remote key (a keys.ContextSigner)
// and a context whose deadline passes on demand, for the tests of the
// packages that sign: what happens when a deadline passes during a remote
// signing call is then tested the same way whatever the machine's load.
package signaturetest

import (
	"context"
	"crypto"
	"errors"
	"io"
	"sync"
	"time"

	"github.com/go-openbadges/openbadges/keys"
)

// RemoteKey stands for a key in a KMS: SignContext records the deadline
// of its context and the value under ValueKey, then signs with the
// Signer inside, or, if Expire is set, calls it (the deadline passes
// during the call), waits for the context to be done and returns an
// *Error wrapping ctx.Err().
type RemoteKey struct {
	crypto.Signer
	ValueKey any    // the context key whose value SignContext records
	Expire   func() // if set, the call outlives its deadline

	mu       sync.Mutex
	deadline time.Time
	value    any
	calls    int
}

var _ keys.ContextSigner = (*RemoteKey)(nil)

// Error is the remote key's own error type.
type Error struct{ Err error }

func (e *Error) Error() string { return "kms: " + e.Err.Error() }

// Unwrap returns e.Err.
func (e *Error) Unwrap() error { return e.Err }

// Sign fails: the code under test must call SignContext.
func (k *RemoteKey) Sign(io.Reader, []byte, crypto.SignerOpts) ([]byte, error) {
	return nil, errors.New("signaturetest: Sign called instead of SignContext")
}

// SignContext signs digest as the key inside does, after recording what
// ctx carries.
func (k *RemoteKey) SignContext(ctx context.Context, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	k.mu.Lock()
	k.deadline, _ = ctx.Deadline()
	if k.ValueKey != nil {
		k.value = ctx.Value(k.ValueKey)
	}
	k.calls++
	k.mu.Unlock()
	if k.Expire != nil {
		k.Expire()
		<-ctx.Done()
		return nil, &Error{ctx.Err()}
	}
	return k.Signer.Sign(nil, digest, opts)
}

// Seen returns the deadline and the value the last SignContext saw, and
// how many times it was called.
func (k *RemoteKey) Seen() (deadline time.Time, value any, calls int) {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.deadline, k.value, k.calls
}

// Expiring returns a context with parent's values whose deadline is
// deadline but which is done, with context.DeadlineExceeded, only when
// expire is called.
func Expiring(parent context.Context, deadline time.Time) (ctx context.Context, expire func()) {
	c := &expiring{Context: parent, deadline: deadline, done: make(chan struct{})}
	return c, func() { c.once.Do(func() { close(c.done) }) }
}

type expiring struct {
	context.Context // for Value
	deadline        time.Time
	done            chan struct{}
	once            sync.Once
}

func (c *expiring) Deadline() (time.Time, bool) { return c.deadline, true }
func (c *expiring) Done() <-chan struct{}       { return c.done }
func (c *expiring) Err() error {
	select {
	case <-c.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}
