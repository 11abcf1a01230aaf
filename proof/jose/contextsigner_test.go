package jose

import (
	"context"
	"crypto"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/go-openbadges/openbadges/keys"
)

// kmsKey is a keys.ContextSigner standing for a remote key: it records
// the deadline and a value of the context it is given, and either signs
// with the key inside or blocks until the context is done.
type kmsKey struct {
	crypto.Signer
	block    bool
	deadline time.Time
	tenant   any
}

var _ keys.ContextSigner = (*kmsKey)(nil)

type tenantKey struct{}

// kmsError is the remote signer's own error type.
type kmsError struct{ err error }

func (e *kmsError) Error() string { return "kms: " + e.err.Error() }
func (e *kmsError) Unwrap() error { return e.err }

func (k *kmsKey) Sign(io.Reader, []byte, crypto.SignerOpts) ([]byte, error) {
	return nil, errors.New("kmsKey: Sign called instead of SignContext")
}

func (k *kmsKey) SignContext(ctx context.Context, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	k.deadline, _ = ctx.Deadline()
	k.tenant = ctx.Value(tenantKey{})
	if k.block {
		<-ctx.Done()
		return nil, &kmsError{ctx.Err()}
	}
	return k.Signer.Sign(nil, digest, opts)
}

// TestContextSigner: Sign and SignPresentation hand their context to a
// keys.ContextSigner, with every algorithm: its deadline and values reach
// the remote call, the token verifies, and when the deadline passes the
// signer's error comes back wrapped (errors.Is and errors.As find it).
func TestContextSigner(t *testing.T) {
	holder := newHolder(t, 9)
	for alg, key := range testKeys(t) {
		issuer, kid := identityFor(t, key.Public())
		sign := map[string]func(ctx context.Context, k crypto.Signer) (string, error){
			"Sign": func(ctx context.Context, k crypto.Signer) (string, error) {
				return (&Signer{Key: k, KeyID: kid, Check: true}).Sign(ctx, credentialFor(issuer))
			},
			"SignPresentation": func(ctx context.Context, k crypto.Signer) (string, error) {
				return (&Signer{Key: k, KeyID: kid, Check: true}).SignPresentation(ctx, presentationOf(t, holder.did), nil)
			},
		}
		for name, sign := range sign {
			t.Run(string(alg)+"/"+name, func(t *testing.T) {
				deadline := time.Now().Add(time.Hour)
				ctx, cancel := context.WithDeadline(context.WithValue(context.Background(), tenantKey{}, "tenant-7"), deadline)
				defer cancel()
				k := &kmsKey{Signer: key}
				token, err := sign(ctx, k)
				if err != nil {
					t.Fatal(err)
				}
				if _, _, err := VerifySignature([]byte(token), key.Public()); err != nil {
					t.Errorf("the token does not verify: %v", err)
				}
				if !k.deadline.Equal(deadline) || k.tenant != "tenant-7" {
					t.Errorf("the signer saw deadline %v and tenant %v, want %v and tenant-7", k.deadline, k.tenant, deadline)
				}

				ctx, cancel = context.WithTimeout(context.Background(), 5*time.Millisecond)
				defer cancel()
				_, err = sign(ctx, &kmsKey{Signer: key, block: true})
				var ke *kmsError
				if !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &ke) {
					t.Errorf("err = %v, want the signer's error wrapping context.DeadlineExceeded", err)
				}
			})
		}
	}
}
