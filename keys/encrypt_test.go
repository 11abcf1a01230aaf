package keys

import (
	"context"
	"crypto"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// testLogN is the scrypt work factor tests encrypt with: the smallest a
// file may name, so that a test takes milliseconds, not seconds.
const testLogN = MinScryptLogN

var testPassphrase = []byte("correct horse battery staple")

// openSealed opens dir with passphrase (none if nil) at testLogN.
func openSealed(t *testing.T, dir string, passphrase []byte) *DirStore {
	t.Helper()
	s, err := OpenDirWithOptions(dir, &DirOptions{Passphrase: passphrase, ScryptLogN: testLogN})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// readMembers reads a key file's members.
func readMembers(t *testing.T, path string) map[string]json.RawMessage {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestDirStoreEncrypted writes keys of each family encrypted and reads
// them back with the passphrase, with none and with a wrong one.
func TestDirStoreEncrypted(t *testing.T) {
	ctx := context.Background()
	msg := []byte("a credential")
	for _, typ := range []Type{Ed25519, P256, P384, RSA2048} {
		t.Run(string(typ), func(t *testing.T) {
			dir := t.TempDir()
			signer := mustGenerate(t, typ)
			id := issuer + "#key-1"
			s := openSealed(t, dir, testPassphrase)
			if err := s.Add(ctx, mustKey(t, id, issuer, signer)); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, fileName(id))
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if checkModes && fi.Mode().Perm() != 0o600 {
				t.Errorf("mode %v, want 0600", fi.Mode().Perm())
			}
			// The public members in clear, the private ones gone.
			m := readMembers(t, path)
			for _, name := range privateMembers {
				if _, ok := m[name]; ok {
					t.Errorf("private member %q in clear", name)
				}
			}
			for _, name := range []string{"kid", "kty", "controller", "encrypted"} {
				if _, ok := m[name]; !ok {
					t.Errorf("no member %q", name)
				}
			}
			data, _ := os.ReadFile(path)
			assertNoSecret(t, "the encrypted key file", string(data), secretStrings(t, signer))
			sk, err := parseSealedKey(m["encrypted"])
			if err != nil {
				t.Fatal(err)
			}
			if sk.N != 1<<testLogN || sk.R != 8 || sk.P != 1 {
				t.Errorf("scrypt parameters N=%d r=%d p=%d", sk.N, sk.R, sk.P)
			}

			tests := []struct {
				name       string
				passphrase []byte
				ok         bool
				msg        string
			}{
				{"right passphrase", testPassphrase, true, ""},
				{"no passphrase", nil, false, "is encrypted at rest, and the key directory was opened without a passphrase"},
				{"wrong passphrase", []byte("Correct horse battery staple"), false, "the passphrase does not decrypt the key"},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					s := openSealed(t, dir, tt.passphrase)
					// The public part reads whatever the passphrase.
					keys, err := s.Keys(ctx, issuer)
					if err != nil || len(keys) != 1 || !keys[0].Public.(interface{ Equal(crypto.PublicKey) bool }).Equal(signer.Public()) {
						t.Fatalf("Keys: %v, %v", keys, err)
					}
					k, err := s.ActiveKey(ctx, issuer)
					if !tt.ok {
						checkErr(t, "ActiveKey", err, ErrPassphrase, tt.msg)
						k, err := s.Key(ctx, id)
						if err != nil {
							t.Fatal(err)
						}
						digest, opts := prehash(k.Algorithm, msg)
						_, err = k.Signer.Sign(nil, digest, opts)
						checkErr(t, "Sign", err, ErrPassphrase, tt.msg)
						return
					}
					if err != nil {
						t.Fatal(err)
					}
					if k.Signer == nil || !verifies(t, signer.Public(), msg, signDigest(t, k.Signer, msg)) {
						t.Error("the decrypted key does not sign as the original")
					}
					// Key's Signer decrypts when it first signs.
					k, err = s.Key(ctx, id)
					if err != nil {
						t.Fatal(err)
					}
					if !verifies(t, signer.Public(), msg, signDigest(t, k.Signer, msg)) {
						t.Error("Key's Signer does not sign as the original")
					}
				})
			}

			// A rotation writes the retired key public only, and the next
			// one encrypted.
			s.Now = func() time.Time { return t1 }
			next := mustKey(t, issuer+"#key-2", issuer, mustGenerate(t, typ))
			if err := s.Rotate(ctx, issuer, next); err != nil {
				t.Fatal(err)
			}
			if _, ok := readMembers(t, path)["encrypted"]; ok {
				t.Error("the retired key's file keeps its encrypted private key")
			}
			if _, ok := readMembers(t, filepath.Join(dir, fileName(next.ID)))["encrypted"]; !ok {
				t.Error("the next key's file is not encrypted")
			}
			if k, err := openSealed(t, dir, testPassphrase).ActiveKey(ctx, issuer); err != nil || k.ID != next.ID {
				t.Errorf("after the rotation: %v, %v", k, err)
			}
		})
	}
}

// TestDirStoreEncryptedTamper changes an encrypted key file in every way
// an attacker who can write it might, and checks that none yields a
// signer: each fails to decrypt (ErrPassphrase) or to parse.
func TestDirStoreEncryptedTamper(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	id := issuer + "#key-1"
	if err := openSealed(t, dir, testPassphrase).Add(ctx, mustKey(t, id, issuer, mustGenerate(t, Ed25519))); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, fileName(id))
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	other, err := PublicJWK(mustGenerate(t, Ed25519).Public(), "")
	if err != nil {
		t.Fatal(err)
	}
	var otherX struct {
		X string `json:"x"`
	}
	if err := json.Unmarshal(other, &otherX); err != nil {
		t.Fatal(err)
	}
	// edit returns the file with f applied to its members and sealed member.
	edit := func(f func(m map[string]json.RawMessage, sk map[string]any)) []byte {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(orig, &m); err != nil {
			t.Fatal(err)
		}
		var sk map[string]any
		if err := json.Unmarshal(m["encrypted"], &sk); err != nil {
			t.Fatal(err)
		}
		f(m, sk)
		m["encrypted"], _ = json.Marshal(sk)
		out, _ := json.Marshal(m)
		return out
	}
	flip := func(field string, i int) func(map[string]json.RawMessage, map[string]any) {
		return func(_ map[string]json.RawMessage, sk map[string]any) {
			b, err := base64.RawURLEncoding.DecodeString(sk[field].(string))
			if err != nil {
				t.Fatal(err)
			}
			if i < 0 {
				i += len(b) // from the end
			}
			b[i] ^= 1
			sk[field] = base64.RawURLEncoding.EncodeToString(b)
		}
	}
	tests := []struct {
		name       string
		data       []byte
		is         error  // at ActiveKey, or nil for a parse error at OpenDir
		controller string // if not issuer
	}{
		{"ciphertext byte 0", edit(flip("ciphertext", 0)), ErrPassphrase, ""},
		{"ciphertext byte 10", edit(flip("ciphertext", 10)), ErrPassphrase, ""},
		{"tag's last byte", edit(flip("ciphertext", -1)), ErrPassphrase, ""},
		{"salt", edit(flip("salt", 3)), ErrPassphrase, ""},
		{"nonce", edit(flip("nonce", 5)), ErrPassphrase, ""},
		{"N halved", edit(func(_ map[string]json.RawMessage, sk map[string]any) { sk["N"] = 1 << (testLogN + 1) }), ErrPassphrase, ""},
		{"another public key", edit(func(m map[string]json.RawMessage, _ map[string]any) { m["x"], _ = json.Marshal(otherX.X) }), ErrPassphrase, ""},
		{"another controller", edit(func(m map[string]json.RawMessage, _ map[string]any) {
			m["controller"] = json.RawMessage(`"did:web:evil.example"`)
		}), ErrPassphrase, "did:web:evil.example"},
		{"a private member in clear too", edit(func(m map[string]json.RawMessage, _ map[string]any) {
			m["d"] = json.RawMessage(`"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"`)
		}), nil, ""},
		{"r changed", edit(func(_ map[string]json.RawMessage, sk map[string]any) { sk["r"] = 16 }), nil, ""},
		{"N too large", edit(func(_ map[string]json.RawMessage, sk map[string]any) { sk["N"] = 1 << 30 }), nil, ""},
		{"retired", edit(func(m map[string]json.RawMessage, _ map[string]any) {
			m["notAfter"] = json.RawMessage(`"2025-01-01T00:00:00Z"`)
		}), nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := os.WriteFile(path, tt.data, 0o600); err != nil {
				t.Fatal(err)
			}
			s, err := OpenDirWithOptions(dir, &DirOptions{Passphrase: testPassphrase})
			if tt.is == nil {
				if err == nil {
					t.Fatal("opened")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			controller := issuer
			if tt.controller != "" {
				controller = tt.controller
			}
			k, err := s.ActiveKey(ctx, controller)
			if !errors.Is(err, tt.is) {
				t.Fatalf("ActiveKey: %v, %v; want %v", k, err, tt.is)
			}
		})
	}
}

// TestParseSealedKey checks the encrypted member's parser on what it
// refuses.
func TestParseSealedKey(t *testing.T) {
	salt := base64.RawURLEncoding.EncodeToString(make([]byte, 16))
	nonce := base64.RawURLEncoding.EncodeToString([]byte("twelve bytes"))
	ct := base64.RawURLEncoding.EncodeToString(make([]byte, 48))
	valid := `{"kdf":"scrypt","N":1024,"r":8,"p":1,"salt":"` + salt + `","cipher":"A256GCM","nonce":"` + nonce + `","ciphertext":"` + ct + `"}`
	tests := []struct {
		name, in, msg string
	}{
		{"valid", valid, ""},
		{"unknown member", strings.Replace(valid, `"kdf"`, `"x":1,"kdf"`, 1), "unknown field"},
		{"other kdf", strings.Replace(valid, "scrypt", "pbkdf2", 1), `kdf "pbkdf2"`},
		{"other cipher", strings.Replace(valid, "A256GCM", "A128GCM", 1), `cipher "A128GCM"`},
		{"N not a power of two", strings.Replace(valid, "1024", "1000", 1), "scrypt N 1000 is not a power of two"},
		{"N too small", strings.Replace(valid, "1024", "512", 1), "scrypt N 512"},
		{"N too large", strings.Replace(valid, "1024", "2097152", 1), "scrypt N 2097152"},
		{"N negative", strings.Replace(valid, "1024", "-1024", 1), "scrypt N -1024"},
		{"N a float", strings.Replace(valid, "1024", "1024.5", 1), "cannot unmarshal"},
		{"r", strings.Replace(valid, `"r":8`, `"r":1`, 1), "scrypt r 1 and p 1"},
		{"p", strings.Replace(valid, `"p":1`, `"p":2`, 1), "scrypt r 8 and p 2"},
		{"short salt", strings.Replace(valid, salt, "AAAA", 1), "salt of 3 bytes, want 16"},
		{"padded nonce", strings.Replace(valid, nonce, nonce+"=", 1), "nonce is not unpadded base64url"},
		{"short ciphertext", strings.Replace(valid, ct, "AAAA", 1), "ciphertext shorter than its tag"},
		{"two values", valid + valid, "more than one JSON value"},
		{"not an object", `"scrypt"`, "cannot unmarshal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseSealedKey([]byte(tt.in))
			if tt.msg == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			checkErr(t, tt.name, err, ErrJWK, tt.msg)
		})
	}
}

// FuzzParseSealedKey checks that the encrypted member's parser never
// panics, and that what it accepts is within its bounds and reads back the
// same once written again.
func FuzzParseSealedKey(f *testing.F) {
	salt := base64.RawURLEncoding.EncodeToString(make([]byte, 16))
	nonce := base64.RawURLEncoding.EncodeToString(make([]byte, 12))
	f.Add([]byte(`{"kdf":"scrypt","N":1024,"r":8,"p":1,"salt":"` + salt + `","cipher":"A256GCM","nonce":"` + nonce + `","ciphertext":"AAAAAAAAAAAAAAAAAAAAAA"}`))
	f.Add([]byte(`{"kdf":"scrypt","N":262144,"r":8,"p":1}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := parseSealedKey(data)
		if err != nil {
			if !errors.Is(err, ErrJWK) {
				t.Fatalf("error %v does not wrap ErrJWK", err)
			}
			return
		}
		if s.logN() < MinScryptLogN || s.logN() > MaxScryptLogN || 1<<s.logN() != s.N ||
			len(s.salt) != saltSize || len(s.nonce) != nonceSize || len(s.ciphertext) < 16 {
			t.Fatalf("accepted out of bounds: %+v", s)
		}
		again, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		s2, err := parseSealedKey(again)
		if err != nil {
			t.Fatalf("written again, it does not parse: %v\n%s", err, again)
		}
		if diff := cmpDiff(s, s2, cmpAllUnexported()); diff != "" {
			t.Errorf("written again, it reads differently:\n%s", diff)
		}
	})
}

// cmpAllUnexported compares sealedKey's decoded fields too.
func cmpAllUnexported() cmp.Option { return cmp.AllowUnexported(sealedKey{}) }
