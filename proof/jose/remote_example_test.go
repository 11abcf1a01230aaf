package jose_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/proof/jose"
)

// remoteKey stands for a key in a cloud KMS: each signature is a network
// call that takes latency. It implements keys.ContextSigner, so the
// context given to Signer.Sign reaches SignContext, and the call stops
// when that context's deadline passes.
type remoteKey struct {
	key     ed25519.PrivateKey // in the KMS, never here
	latency time.Duration
}

var _ keys.ContextSigner = (*remoteKey)(nil)

func (k *remoteKey) Public() crypto.PublicKey { return k.key.Public() }

// Sign is SignContext without a deadline, for callers that have no context.
func (k *remoteKey) Sign(_ io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	return k.SignContext(context.Background(), digest, opts)
}

// SignContext is where a real KMS client sends its request with ctx
// (kms.AsymmetricSign(ctx, …)). This fake knows its latency: a call that
// cannot finish before ctx's deadline fails at once, as the real one would
// when the deadline passed; one under way stops when ctx is done.
func (k *remoteKey) SignContext(ctx context.Context, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	if d, ok := ctx.Deadline(); ok && time.Until(d) < k.latency {
		return nil, fmt.Errorf("kms: AsymmetricSign: %w", context.DeadlineExceeded)
	}
	select {
	case <-time.After(k.latency):
		return k.key.Sign(nil, digest, opts)
	case <-ctx.Done():
		return nil, fmt.Errorf("kms: AsymmetricSign: %w", ctx.Err())
	}
}

// A key in a remote KMS is given the context of Sign: a deadline bounds
// the network call, and the KMS's error comes back wrapped.
func ExampleSigner_Sign_remoteKey() {
	seed := bytes.Repeat([]byte{3}, 32)
	kms := &remoteKey{key: ed25519.NewKeyFromSeed(seed), latency: 10 * time.Millisecond}
	kid, _ := keys.DIDKeyVerificationMethod(kms.Public())
	issuer, _, _ := strings.Cut(kid, "#")
	credential := []byte(`{
  "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
  "id": "urn:uuid:5d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
  "type": ["VerifiableCredential", "OpenBadgeCredential"],
  "issuer": {"id": "` + issuer + `", "type": ["Profile"], "name": "Example College"},
  "validFrom": "2026-06-01T00:00:00Z",
  "name": "Intro to Statistics",
  "credentialSubject": {
    "type": ["AchievementSubject"],
    "achievement": {
      "id": "https://example.edu/achievements/stats-101",
      "type": ["Achievement"],
      "name": "Intro to Statistics",
      "criteria": {"narrative": "Pass the final exam."}
    }
  }
}`)
	signer := &jose.Signer{Key: kms, KeyID: kid}

	// A deadline the KMS meets.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	token, err := signer.Sign(ctx, credential)
	fmt.Println("signed:", err == nil && strings.Count(token, ".") == 2)

	// A KMS slower than the deadline: the call fails.
	kms.latency = time.Hour
	ctx, cancel = context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err = signer.Sign(ctx, credential)
	fmt.Println(err)
	fmt.Println("deadline exceeded:", errors.Is(err, context.DeadlineExceeded))
	// Output:
	// signed: true
	// jose: signing: kms: AsymmetricSign: context deadline exceeded
	// deadline exceeded: true
}
