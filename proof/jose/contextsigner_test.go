package jose

import (
	"context"
	"crypto"
	"errors"
	"testing"
	"time"

	"github.com/go-openbadges/openbadges/internal/signature/signaturetest"
)

type tenantKey struct{}

// TestContextSigner: Sign and SignPresentation hand their context to a
// keys.ContextSigner, with every algorithm: its deadline and values reach
// the remote call, the token verifies, and when the deadline passes during
// the call the signer's error comes back wrapped (errors.Is and errors.As
// find it).
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
				k := &signaturetest.RemoteKey{Signer: key, ValueKey: tenantKey{}}
				token, err := sign(ctx, k)
				if err != nil {
					t.Fatal(err)
				}
				if _, _, err := VerifySignature([]byte(token), key.Public()); err != nil {
					t.Errorf("the token does not verify: %v", err)
				}
				if d, v, n := k.Seen(); !d.Equal(deadline) || v != "tenant-7" || n != 1 {
					t.Errorf("the signer saw deadline %v and tenant %v in %d calls, want %v and tenant-7 in 1", d, v, n, deadline)
				}

				ctx, expire := signaturetest.Expiring(context.Background(), deadline)
				_, err = sign(ctx, &signaturetest.RemoteKey{Signer: key, Expire: expire})
				var ke *signaturetest.Error
				if !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &ke) {
					t.Errorf("err = %v, want the signer's error wrapping context.DeadlineExceeded", err)
				}
			})
		}
	}
}
