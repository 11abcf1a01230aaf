package signature

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/asn1"
	"errors"
	"io"
	"math/big"
	"testing"
	"time"

	"github.com/go-openbadges/openbadges/internal/signature/signaturetest"
)

func mustECDSA(t testing.TB, c elliptic.Curve) *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(c, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestSignVerify signs with every key type and checks the signature's
// size, that it verifies, and that a change to the message, the signature
// or the key makes it fail (the tamper test of the core).
func TestSignVerify(t *testing.T) {
	_, ed, _ := ed25519.GenerateKey(rand.Reader)
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	other := mustECDSA(t, elliptic.P256())
	tests := []struct {
		name string
		key  crypto.Signer
		h    crypto.Hash
		size int
	}{
		{"Ed25519", ed, 0, 64},
		{"P-256 SHA-256", mustECDSA(t, elliptic.P256()), crypto.SHA256, 64},
		{"P-384 SHA-384", mustECDSA(t, elliptic.P384()), crypto.SHA384, 96},
		{"P-521 SHA-512", mustECDSA(t, elliptic.P521()), crypto.SHA512, 132},
		{"RSA SHA-256", rk, crypto.SHA256, 256},
	}
	msg := []byte("header.payload")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pub := tt.key.Public()
			sig, err := Sign(context.Background(), tt.key, pub, tt.h, msg)
			if err != nil {
				t.Fatal(err)
			}
			if len(sig) != tt.size {
				t.Errorf("signature is %d bytes, want %d", len(sig), tt.size)
			}
			if !Verify(pub, tt.h, msg, sig) {
				t.Fatal("the signature does not verify")
			}
			for _, i := range []int{0, len(sig) / 2, len(sig) - 1} {
				bad := bytes.Clone(sig)
				bad[i] ^= 1
				if Verify(pub, tt.h, msg, bad) {
					t.Errorf("a signature changed at byte %d verifies", i)
				}
			}
			if Verify(pub, tt.h, []byte("header.payloae"), sig) {
				t.Error("the signature verifies another message")
			}
			if Verify(pub, tt.h, msg, sig[:len(sig)-1]) || Verify(pub, tt.h, msg, append(bytes.Clone(sig), 0)) {
				t.Error("a signature of the wrong size verifies")
			}
			if Verify(other.Public(), tt.h, msg, sig) {
				t.Error("the signature verifies with another key")
			}
		})
	}
}

// derSigner returns a fixed signature, as a faulty or hostile HSM might.
type derSigner struct {
	pub crypto.PublicKey
	sig []byte
}

func (s derSigner) Public() crypto.PublicKey { return s.pub }
func (s derSigner) Sign(io.Reader, []byte, crypto.SignerOpts) ([]byte, error) {
	return s.sig, nil
}

func der(t *testing.T, r, s *big.Int) []byte {
	b, err := asn1.Marshal(struct{ R, S *big.Int }{r, s})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSignMalformed: a signer's output that is not a signature of its key
// type is refused with ErrMalformed, never passed on.
func TestSignMalformed(t *testing.T) {
	p256 := mustECDSA(t, elliptic.P256()).Public()
	edPub, _, _ := ed25519.GenerateKey(rand.Reader)
	one := big.NewInt(1)
	big33 := new(big.Int).Lsh(one, 8*32) // 33 bytes
	tests := []struct {
		name string
		pub  crypto.PublicKey
		h    crypto.Hash
		sig  []byte
	}{
		{"Ed25519, 63 bytes", edPub, 0, make([]byte, 63)},
		{"ECDSA, raw not DER", p256, crypto.SHA256, make([]byte, 64)},
		{"ECDSA, trailing bytes", p256, crypto.SHA256, append(der(t, one, one), 0)},
		{"ECDSA, r zero", p256, crypto.SHA256, der(t, big.NewInt(0), one)},
		{"ECDSA, s negative", p256, crypto.SHA256, der(t, one, big.NewInt(-1))},
		{"ECDSA, r too long", p256, crypto.SHA256, der(t, big33, one)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Sign(context.Background(), derSigner{tt.pub, tt.sig}, tt.pub, tt.h, []byte("m"))
			if !errors.Is(err, ErrMalformed) {
				t.Errorf("err = %v, want ErrMalformed", err)
			}
		})
	}
	// A short r and s are padded, not refused.
	sig, err := Sign(context.Background(), derSigner{p256, der(t, one, big.NewInt(2))}, p256, crypto.SHA256, []byte("m"))
	if err != nil || len(sig) != 64 || sig[31] != 1 || sig[63] != 2 || !bytes.Equal(sig[:31], make([]byte, 31)) {
		t.Errorf("Sign = %x, %v; want r and s padded to 32 bytes", sig, err)
	}
}

// TestSignKeyType: a key type with no signature format, and a hash that
// does not suit the key, are refused before the signer is called.
func TestSignKeyType(t *testing.T) {
	edPub, ed, _ := ed25519.GenerateKey(rand.Reader)
	p256 := mustECDSA(t, elliptic.P256())
	for _, tc := range []struct {
		name string
		key  crypto.Signer
		pub  crypto.PublicKey
		h    crypto.Hash
	}{
		{"unknown key type", ed, []byte("not a key"), 0},
		{"Ed25519 with a hash", ed, edPub, crypto.SHA256},
		{"ECDSA without a hash", p256, p256.Public(), 0},
	} {
		if _, err := Sign(context.Background(), tc.key, tc.pub, tc.h, []byte("m")); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

// TestContextSigner: the caller's context reaches a keys.ContextSigner,
// a deadline that passes during the remote call stops it, the signer's
// error comes back unchanged for errors.Is and errors.As, and a context
// already done never reaches the signer.
func TestContextSigner(t *testing.T) {
	_, ed, _ := ed25519.GenerateKey(rand.Reader)
	p256 := mustECDSA(t, elliptic.P256())
	msg := []byte("m")
	type valueKey struct{}
	for _, tc := range []struct {
		name string
		key  crypto.Signer
		h    crypto.Hash
	}{
		{"Ed25519", ed, 0},
		{"P-256", p256, crypto.SHA256},
	} {
		t.Run(tc.name, func(t *testing.T) {
			deadline := time.Now().Add(time.Hour)
			ctx, cancel := context.WithDeadline(context.WithValue(context.Background(), valueKey{}, "v"), deadline)
			defer cancel()
			k := &signaturetest.RemoteKey{Signer: tc.key, ValueKey: valueKey{}}
			sig, err := Sign(ctx, k, tc.key.Public(), tc.h, msg)
			if err != nil || !Verify(tc.key.Public(), tc.h, msg, sig) {
				t.Fatalf("Sign = %x, %v", sig, err)
			}
			if d, v, n := k.Seen(); !d.Equal(deadline) || v != "v" || n != 1 {
				t.Errorf("the signer saw deadline %v and value %v in %d calls, want %v and v in 1", d, v, n, deadline)
			}

			ctx, expire := signaturetest.Expiring(context.Background(), deadline)
			_, err = Sign(ctx, &signaturetest.RemoteKey{Signer: tc.key, Expire: expire}, tc.key.Public(), tc.h, msg)
			var ke *signaturetest.Error
			if !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &ke) {
				t.Errorf("err = %v, want the signer's error wrapping context.DeadlineExceeded", err)
			}

			done := &signaturetest.RemoteKey{Signer: tc.key}
			ctx, cancel = context.WithCancel(context.Background())
			cancel()
			if _, err = Sign(ctx, done, tc.key.Public(), tc.h, msg); !errors.Is(err, context.Canceled) {
				t.Errorf("err = %v, want context.Canceled", err)
			}
			if _, _, n := done.Seen(); n != 0 {
				t.Errorf("the signer was called %d times with a context already done", n)
			}
		})
	}
}

// messageSigner records what crypto.SignMessage hands a MessageSigner.
type messageSigner struct {
	*ecdsa.PrivateKey
	got []byte
}

func (m *messageSigner) SignMessage(rand io.Reader, msg []byte, opts crypto.SignerOpts) ([]byte, error) {
	m.got = msg
	return m.PrivateKey.Sign(rand, Digest(opts.HashFunc(), msg), opts)
}

// TestMessageSigner: a crypto.MessageSigner is given the message, not its
// digest, and the signature is converted like any other.
func TestMessageSigner(t *testing.T) {
	m := &messageSigner{PrivateKey: mustECDSA(t, elliptic.P384())}
	msg := []byte("header.payload")
	sig, err := Sign(context.Background(), m, m.Public(), crypto.SHA384, msg)
	if err != nil || !Verify(m.Public(), crypto.SHA384, msg, sig) {
		t.Fatalf("Sign = %x, %v", sig, err)
	}
	if !bytes.Equal(m.got, msg) {
		t.Errorf("SignMessage got %q, want the message %q", m.got, msg)
	}
}
