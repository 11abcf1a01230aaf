package oid4vci

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"time"
)

// errSealed is the error of a sealed value that is not one of the
// Server's of that kind, or has expired.
var errSealed = errors.New("oid4vci: not a value of this server's, or expired")

// maxSealed bounds a sealed value, encoded.
const maxSealed = 16 << 10

// sealer keeps what the Server hands out without storing it until it is
// used: c_nonces, and authorization requests while the learner signs in.
// So the endpoints anyone may call write nothing to the Store; what is
// used up there is marked used, by the wallet with an access token or the
// LMS with a signed-in learner.
type sealer struct {
	aead map[string]cipher.AEAD // per kind
}

func newSealer(secret []byte, kinds ...string) (*sealer, error) {
	s := &sealer{aead: map[string]cipher.AEAD{}}
	for _, kind := range kinds {
		m := hmac.New(sha256.New, secret)
		m.Write([]byte("openbadges oid4vci " + kind))
		block, err := aes.NewCipher(m.Sum(nil))
		if err != nil {
			return nil, err
		}
		if s.aead[kind], err = cipher.NewGCM(block); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// seal returns payload, sealed as a value of kind that expires at exp.
func (s *sealer) seal(kind string, payload []byte, exp time.Time) string {
	a := s.aead[kind]
	nonce := make([]byte, a.NonceSize(), a.NonceSize()+8+len(payload)+a.Overhead())
	rand.Read(nonce)
	plain := binary.BigEndian.AppendUint64(nil, uint64(exp.Unix()))
	return base64.RawURLEncoding.EncodeToString(a.Seal(nonce, nonce, append(plain, payload...), []byte(kind)))
}

// open returns the payload of v, a value of kind sealed by seal that has
// not expired at now, or errSealed.
func (s *sealer) open(kind, v string, now time.Time) ([]byte, time.Time, error) {
	a := s.aead[kind]
	if len(v) > maxSealed {
		return nil, time.Time{}, errSealed
	}
	b, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil || len(b) < a.NonceSize()+8+a.Overhead() {
		return nil, time.Time{}, errSealed
	}
	plain, err := a.Open(nil, b[:a.NonceSize()], b[a.NonceSize():], []byte(kind))
	if err != nil {
		return nil, time.Time{}, errSealed
	}
	exp := time.Unix(int64(binary.BigEndian.Uint64(plain)), 0)
	if !now.Before(exp) {
		return nil, time.Time{}, errSealed
	}
	return plain[8:], exp, nil
}
