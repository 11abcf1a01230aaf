package dataintegrity

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
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

// TestContextSigner: Sign hands its context to a keys.ContextSigner, with
// every suite it creates: the deadline and values reach the remote call,
// the proof verifies, and when the deadline passes the signer's error
// comes back wrapped (errors.Is and errors.As find it).
func TestContextSigner(t *testing.T) {
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	for _, tc := range []struct {
		key   crypto.Signer
		suite string
	}{
		{testKey(t), EdDSARDFC2022},
		{testKey(t), EdDSAJCS2022},
		{p256, ECDSARDFC2019},
		{p384, ECDSAJCS2019},
	} {
		t.Run(tc.suite+"/"+keyName(tc.key), func(t *testing.T) {
			deadline := time.Now().Add(time.Hour)
			ctx, cancel := context.WithDeadline(context.WithValue(context.Background(), tenantKey{}, "tenant-7"), deadline)
			defer cancel()
			k := &kmsKey{Signer: tc.key}
			s, doc := didKeySigner(t, k, tc.suite)
			signed, err := s.Sign(ctx, doc, nil)
			if err != nil {
				t.Fatal(err)
			}
			res, err := (&Verifier{}).Verify(context.Background(), signed)
			if err != nil || !res.Verified {
				t.Errorf("the proof does not verify: %v %+v", err, res)
			}
			if !k.deadline.Equal(deadline) || k.tenant != "tenant-7" {
				t.Errorf("the signer saw deadline %v and tenant %v, want %v and tenant-7", k.deadline, k.tenant, deadline)
			}

			ctx, cancel = context.WithTimeout(context.Background(), 5*time.Millisecond)
			defer cancel()
			s.Key = &kmsKey{Signer: tc.key, block: true}
			_, err = s.Sign(ctx, doc, nil)
			var ke *kmsError
			if !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &ke) {
				t.Errorf("err = %v, want the signer's error wrapping context.DeadlineExceeded", err)
			}
		})
	}
}
