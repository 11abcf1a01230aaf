package keys

import (
	"bytes"
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"slices"
	"strings"
	"sync"

	"golang.org/x/crypto/scrypt"
)

// ErrPassphrase is wrapped by the error about a private key encrypted at
// rest that could not be decrypted: the passphrase is wrong or missing, or
// the key file was changed (a changed ciphertext cannot be told from a
// wrong passphrase, and is never decrypted to another key).
var ErrPassphrase = errors.New("keys: the passphrase does not decrypt the key (wrong passphrase, or the key file was changed)")

// The work factor of the scrypt key derivation that encrypts private keys
// at rest, as log2 of scrypt's N (r is 8 and p is 1, as age uses them).
// Each step up doubles the time and memory an encryption or decryption
// takes, and an attacker's cost per guessed passphrase: at
// DefaultScryptLogN (18, age's choice for files) a derivation takes about
// a second and 256 MiB. Files may name any N from 2^MinScryptLogN to
// 2^MaxScryptLogN (1 GiB); others are refused, so that a planted key file
// cannot make a reader spend unbounded memory.
const (
	DefaultScryptLogN = 18
	MinScryptLogN     = 10
	MaxScryptLogN     = 20
)

const (
	scryptR, scryptP = 8, 1
	saltSize         = 16
	nonceSize        = 12 // AES-GCM's standard nonce
	sealKDF          = "scrypt"
	sealCipher       = "A256GCM"
	// encryptedMember is the key file member holding the sealed private
	// members.
	encryptedMember = "encrypted"
	// sealAADPrefix starts the additional data that binds a sealed private
	// key to its file's kid, controller and public key.
	sealAADPrefix = "openbadges keys.DirStore sealed private key v1\x00"
)

// sealedKey is the "encrypted" member of a key file: the key file's
// private JWK members, as a JSON object, sealed with AES-256-GCM under a
// key that scrypt derives from the passphrase. Its additional data is the
// key's ID, controller and public key's JWK thumbprint (sealAAD), so that a
// sealed private key moved to another file does not open.
//
//	{"kdf":"scrypt","N":262144,"r":8,"p":1,"salt":"…","cipher":"A256GCM","nonce":"…","ciphertext":"…"}
//
// salt, nonce and ciphertext (with GCM's tag at its end) are unpadded
// base64url.
type sealedKey struct {
	KDF        string `json:"kdf"`
	N          int    `json:"N"`
	R          int    `json:"r"`
	P          int    `json:"p"`
	Salt       string `json:"salt"`
	Cipher     string `json:"cipher"`
	Nonce      string `json:"nonce"`
	Ciphertext string `json:"ciphertext"`

	salt, nonce, ciphertext []byte // decoded by parseSealedKey
}

// parseSealedKey decodes and checks an "encrypted" member: every member
// present and none other, the KDF and cipher this package writes, N a power
// of two within the bounds, r 8, p 1, a 16-byte salt, a 12-byte nonce and a
// ciphertext at least as long as GCM's tag. It decrypts nothing and its
// errors wrap ErrJWK.
func parseSealedKey(raw []byte) (*sealedKey, error) {
	if len(raw) > MaxJWKSize {
		return nil, fmt.Errorf("%w: member %q is too large", ErrJWK, encryptedMember)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var s sealedKey
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("%w: member %q: %v", ErrJWK, encryptedMember, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: member %q: more than one JSON value", ErrJWK, encryptedMember)
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: member %q: "+format, append([]any{ErrJWK, encryptedMember}, args...)...)
	}
	switch {
	case s.KDF != sealKDF:
		return nil, bad("kdf %q, want %q", s.KDF, sealKDF)
	case s.Cipher != sealCipher:
		return nil, bad("cipher %q, want %q", s.Cipher, sealCipher)
	case s.N <= 0 || s.N&(s.N-1) != 0 || s.N < 1<<MinScryptLogN || s.N > 1<<MaxScryptLogN:
		return nil, bad("scrypt N %d is not a power of two from 2^%d to 2^%d", s.N, MinScryptLogN, MaxScryptLogN)
	case s.R != scryptR || s.P != scryptP:
		return nil, bad("scrypt r %d and p %d, want %d and %d", s.R, s.P, scryptR, scryptP)
	}
	var err error
	for _, m := range []struct {
		name string
		s    string
		b    *[]byte
		n    int // exact length, or 0
	}{{"salt", s.Salt, &s.salt, saltSize}, {"nonce", s.Nonce, &s.nonce, nonceSize}, {"ciphertext", s.Ciphertext, &s.ciphertext, 0}} {
		if *m.b, err = base64.RawURLEncoding.Strict().DecodeString(m.s); err != nil {
			return nil, bad("%s is not unpadded base64url", m.name)
		}
		if m.n != 0 && len(*m.b) != m.n {
			return nil, bad("%s of %d bytes, want %d", m.name, len(*m.b), m.n)
		}
	}
	if len(s.ciphertext) < 16 {
		return nil, bad("ciphertext shorter than its tag")
	}
	return &s, nil
}

// logN returns log2 of s.N, which parseSealedKey checked is a power of two.
func (s *sealedKey) logN() int { return bits.TrailingZeros(uint(s.N)) }

// sealAAD is the additional data a sealed private key is bound to.
func sealAAD(id, controller string, pub crypto.PublicKey) ([]byte, error) {
	thumb, err := Thumbprint(pub)
	if err != nil {
		return nil, err
	}
	aad := []byte(sealAADPrefix)
	for _, s := range []string{id, controller, thumb} {
		aad = append(aad, s...)
		aad = append(aad, 0)
	}
	return aad, nil
}

// aead derives the AES-256-GCM key from passphrase with scrypt.
func aead(passphrase, salt []byte, logN int) (cipher.AEAD, error) {
	key, err := scrypt.Key(passphrase, salt, 1<<logN, scryptR, scryptP, 32)
	if err != nil {
		return nil, fmt.Errorf("keys: scrypt: %w", err)
	}
	defer clear(key)
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// seal encrypts the private members of the private JWK jwk under
// passphrase, returning the "encrypted" member. jwk is not changed.
func seal(jwk, passphrase, aad []byte, logN int) ([]byte, error) {
	members, err := jwkMembers(jwk)
	if err != nil {
		return nil, err
	}
	private := make(map[string]json.RawMessage)
	for _, m := range privateMembers {
		if v, ok := members[m]; ok {
			private[m] = v
		}
	}
	plaintext, err := json.Marshal(private) // sorted by name
	if err != nil {
		return nil, err
	}
	defer clear(plaintext)
	s := &sealedKey{KDF: sealKDF, N: 1 << logN, R: scryptR, P: scryptP, Cipher: sealCipher,
		salt: make([]byte, saltSize), nonce: make([]byte, nonceSize)}
	if _, err := io.ReadFull(rand.Reader, s.salt); err != nil {
		return nil, err
	}
	if _, err := io.ReadFull(rand.Reader, s.nonce); err != nil {
		return nil, err
	}
	a, err := aead(passphrase, s.salt, logN)
	if err != nil {
		return nil, err
	}
	s.ciphertext = a.Seal(nil, s.nonce, plaintext, aad)
	enc := base64.RawURLEncoding.EncodeToString
	s.Salt, s.Nonce, s.Ciphertext = enc(s.salt), enc(s.nonce), enc(s.ciphertext)
	return json.Marshal(s)
}

// open decrypts the sealed private members with passphrase and returns the
// private key of the file whose members (the public ones, in clear) are
// clear. Any failure to authenticate wraps ErrPassphrase; the private
// members must be private members only, none of them already in clear, and
// the key they make must be the public key in clear.
func (s *sealedKey) open(clearMembers map[string]json.RawMessage, passphrase, aad []byte, pub crypto.PublicKey) (crypto.Signer, error) {
	a, err := aead(passphrase, s.salt, s.logN())
	if err != nil {
		return nil, err
	}
	plaintext, err := a.Open(nil, s.nonce, s.ciphertext, aad) // constant-time tag check
	if err != nil {
		return nil, ErrPassphrase
	}
	defer clear(plaintext)
	var private map[string]json.RawMessage
	if err := json.Unmarshal(plaintext, &private); err != nil || private == nil {
		return nil, fmt.Errorf("%w: the decrypted private key is not a JSON object", ErrJWK)
	}
	merged := make(map[string]json.RawMessage, len(clearMembers)+len(private))
	for name, v := range clearMembers {
		if name != encryptedMember {
			merged[name] = v
		}
	}
	for name, v := range private {
		if !slices.Contains(privateMembers, name) {
			return nil, fmt.Errorf("%w: the decrypted private key has member %q, which is not a private member", ErrJWK, name)
		}
		if _, dup := merged[name]; dup {
			return nil, fmt.Errorf("%w: private member %q is both in clear and encrypted", ErrJWK, name)
		}
		merged[name] = v
	}
	jwk, err := json.Marshal(merged)
	if err != nil {
		return nil, err
	}
	defer clear(jwk)
	signer, _, err := ParsePrivateJWK(jwk)
	if err != nil {
		return nil, err
	}
	if p, ok := signer.Public().(interface{ Equal(crypto.PublicKey) bool }); !ok || !p.Equal(pub) {
		return nil, fmt.Errorf("%w: the decrypted private key is not the file's public key", ErrJWK)
	}
	return signer, nil
}

// sealedSigner is the Signer of an active key whose private key a key file
// keeps encrypted: its public key is known, and its private key is
// decrypted (once, since scrypt is slow by design) when it first signs.
type sealedSigner struct {
	pub    crypto.PublicKey
	opener func() (crypto.Signer, error) // sync.OnceValues
}

// newSealedSigner returns the Signer of a sealed key. With no passphrase,
// it fails with an error wrapping ErrPassphrase that says so.
func newSealedSigner(id string, pub crypto.PublicKey, s *sealedKey, clearMembers map[string]json.RawMessage, passphrase, aad []byte) *sealedSigner {
	return &sealedSigner{pub: pub, opener: sync.OnceValues(func() (crypto.Signer, error) {
		if len(passphrase) == 0 {
			return nil, &wrapErr{
				msg:  fmt.Sprintf("keys: the private key of %q is encrypted at rest, and the key directory was opened without a passphrase (DirOptions.Passphrase)", id),
				errs: []error{ErrPassphrase},
			}
		}
		signer, err := s.open(clearMembers, passphrase, aad, pub)
		if err != nil {
			return nil, &wrapErr{msg: fmt.Sprintf("keys: key %q: %s", id, strings.TrimPrefix(err.Error(), "keys: ")), errs: []error{err}}
		}
		return signer, nil
	})}
}

// Public returns the public key.
func (s *sealedSigner) Public() crypto.PublicKey { return s.pub }

// Sign decrypts the private key if it has not yet, and signs with it.
func (s *sealedSigner) Sign(r io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	signer, err := s.opener()
	if err != nil {
		return nil, err
	}
	return signer.Sign(r, digest, opts)
}
