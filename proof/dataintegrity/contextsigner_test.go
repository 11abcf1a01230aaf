package dataintegrity

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"testing"
	"time"

	"github.com/go-openbadges/openbadges/internal/signature/signaturetest"
)

type tenantKey struct{}

// TestContextSigner: Sign hands its context to a keys.ContextSigner, with
// every suite it creates: the deadline and values reach the remote call,
// the proof verifies, and when the deadline passes during the call the
// signer's error comes back wrapped (errors.Is and errors.As find it).
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
			k := &signaturetest.RemoteKey{Signer: tc.key, ValueKey: tenantKey{}}
			s, doc := didKeySigner(t, k, tc.suite)
			signed, err := s.Sign(ctx, doc, nil)
			if err != nil {
				t.Fatal(err)
			}
			res, err := (&Verifier{}).Verify(context.Background(), signed)
			if err != nil || !res.Verified {
				t.Errorf("the proof does not verify: %v %+v", err, res)
			}
			if d, v, n := k.Seen(); !d.Equal(deadline) || v != "tenant-7" || n != 1 {
				t.Errorf("the signer saw deadline %v and tenant %v in %d calls, want %v and tenant-7 in 1", d, v, n, deadline)
			}

			ctx, expire := signaturetest.Expiring(context.Background(), deadline)
			s.Key = &signaturetest.RemoteKey{Signer: tc.key, Expire: expire}
			_, err = s.Sign(ctx, doc, nil)
			var ke *signaturetest.Error
			if !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &ke) {
				t.Errorf("err = %v, want the signer's error wrapping context.DeadlineExceeded", err)
			}
		})
	}
}
