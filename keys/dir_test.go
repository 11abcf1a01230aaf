package keys

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

func skipWithoutModes(t *testing.T) {
	t.Helper()
	if !checkModes {
		t.Skip("file modes are not checked on " + runtime.GOOS)
	}
}

// vectorSigner is the Ed25519 key of the W3C vc-di-eddsa vectors.
func vectorSigner(t testing.TB) ed25519.PrivateKey {
	t.Helper()
	s, err := ParseSecretKeyMultibase(edSecret)
	if err != nil {
		t.Fatal(err)
	}
	return s.(ed25519.PrivateKey)
}

// TestDirStoreFiles checks the exact contents and modes of the files a
// rotation writes.
func TestDirStoreFiles(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	s.Now = func() time.Time { return t1 }
	k1 := mustKey(t, issuer+"#key-1", issuer, vectorSigner(t))
	k1.NotBefore = t0
	if err := s.Add(ctx, k1); err != nil {
		t.Fatal(err)
	}
	active, err := os.ReadFile(filepath.Join(dir, fileName(k1.ID)))
	if err != nil {
		t.Fatal(err)
	}
	// x and d are the vector key's public key and seed in base64url, and
	// the file name is the SHA-256 of the ID (computed independently).
	want := `{"alg":"EdDSA","crv":"Ed25519","d":"yW756hDF5BTEcXI6_53nLDX6W3D66X6IMuysfS4rjtY","kid":"did:web:example.edu#key-1","kty":"OKP","x":"sA2Nk45_dz1RVlqtNqYj9TRPf10ZYPnPPo4SYg6igQ8","controller":"did:web:example.edu","notBefore":"2024-01-01T00:00:00Z"}` + "\n"
	if diff := cmpDiff(want, string(active)); diff != "" {
		t.Errorf("active key file (-want +got):\n%s", diff)
	}

	if err := s.Rotate(ctx, issuer, mustKey(t, issuer+"#key-2", issuer, mustGenerate(t, P256))); err != nil {
		t.Fatal(err)
	}
	retired, err := os.ReadFile(filepath.Join(dir, fileName(k1.ID)))
	if err != nil {
		t.Fatal(err)
	}
	want = `{"alg":"EdDSA","crv":"Ed25519","kid":"did:web:example.edu#key-1","kty":"OKP","x":"sA2Nk45_dz1RVlqtNqYj9TRPf10ZYPnPPo4SYg6igQ8","controller":"did:web:example.edu","notBefore":"2024-01-01T00:00:00Z","notAfter":"2025-03-01T12:00:01Z"}` + "\n"
	if diff := cmpDiff(want, string(retired)); diff != "" {
		t.Errorf("retired key file (-want +got):\n%s", diff)
	}

	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
		fi, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		if checkModes && fi.Mode() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", e.Name(), fi.Mode())
		}
	}
	wantNames := []string{fileName(issuer + "#key-1"), fileName(issuer + "#key-2")}
	slices.Sort(wantNames)
	if diff := cmpDiff(wantNames, names); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	if fileName(issuer+"#key-1") != "bc33b800bc2e59f7071a521e300277b3fddf4560c1fd7802bff34a440ddbb7ba.jwk" {
		t.Errorf("fileName = %s", fileName(issuer+"#key-1"))
	}
}

// TestDirStoreReopen checks that what a DirStore wrote is what a new one
// reads.
func TestDirStoreReopen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	s.Now = func() time.Time { return t1.Add(123456789 * time.Nanosecond) }
	var signers []Type
	for i, typ := range Types() {
		signers = append(signers, typ)
		k := mustKey(t, issuer+"#"+string(typ), issuer, mustGenerate(t, typ))
		if i == 0 {
			k.NotBefore = t0.Add(987654321 * time.Nanosecond)
			err = s.Add(ctx, k)
		} else {
			err = s.Rotate(ctx, issuer, k)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	other := &Key{ID: "https://example.org/issuers/1#old", Controller: "https://example.org/issuers/1", Public: mustGenerate(t, P384).Public(), NotAfter: t2}
	if err := s.Add(ctx, other); err != nil {
		t.Fatal(err)
	}
	before, _ := s.Keys(ctx, issuer)

	s2, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	after, err := s2.Keys(ctx, issuer)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmpDiff(summarize(before...), summarize(after...)); diff != "" {
		t.Errorf("keys after reopening (-before +after):\n%s", diff)
	}
	for i := range before {
		if !equalKeys(before[i].Public, after[i].Public) {
			t.Errorf("key %s changed", before[i].ID)
		}
	}
	a, err := s2.ActiveKey(ctx, issuer)
	if err != nil {
		t.Fatal(err)
	}
	msg := []byte("signed after reopening")
	if !verifies(t, a.Public, msg, signDigest(t, a.Signer, msg)) {
		t.Error("the reopened active key does not sign")
	}
	o, err := s2.Key(ctx, other.ID)
	if err != nil || !equalKeys(o.Public, other.Public) || !o.NotAfter.Equal(t2) {
		t.Errorf("Key(%s) = %v, %v", other.ID, o, err)
	}
	if len(signers) != 6 || len(after) != 6 || after[0].NotBefore.Nanosecond() != 987654321 {
		t.Errorf("the window lost precision: %v", after[0].NotBefore)
	}
}

func TestDirStoreModes(t *testing.T) {
	skipWithoutModes(t)
	ctx := context.Background()
	dir := t.TempDir()
	s, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	k := mustKey(t, issuer+"#key-1", issuer, mustGenerate(t, Ed25519))
	if err := s.Add(ctx, k); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, fileName(k.ID))

	for _, mode := range []fs.FileMode{0o644, 0o640, 0o604, 0o620, 0o660} {
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		_, err := OpenDir(dir)
		var me *ModeError
		if !errors.As(err, &me) || me.Path != path || me.Mode.Perm() != mode {
			t.Fatalf("OpenDir with a key file of mode %04o: %v", mode, err)
		}
		if !errors.Is(err, fs.ErrPermission) {
			t.Errorf("%v does not wrap fs.ErrPermission", err)
		}
		if msg := err.Error(); !strings.Contains(msg, path) || !strings.Contains(msg, fmt.Sprintf("has mode %04o", mode)) {
			t.Errorf("error %q does not name the file and its mode", err)
		}
		// The open store checks again on every read.
		if _, err := s.Key(ctx, k.ID); !errors.As(err, &me) {
			t.Errorf("Key from a %04o file: %v", mode, err)
		}
		if _, err := s.ActiveKey(ctx, issuer); !errors.As(err, &me) {
			t.Errorf("ActiveKey from a %04o file: %v", mode, err)
		}
	}
	if err := os.Chmod(path, 0o400); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ActiveKey(ctx, issuer); err != nil {
		t.Errorf("a 0400 key file: %v", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}

	// A directory that others can write to.
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	_, err = OpenDir(dir)
	var me *ModeError
	if !errors.As(err, &me) || me.Path != dir || !strings.Contains(err.Error(), "key directory "+dir+" has mode 0777") {
		t.Errorf("OpenDir of a 0777 directory: %v", err)
	}
	if err := os.Chmod(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenDir(dir); err != nil {
		t.Errorf("OpenDir of a 0750 directory: %v", err)
	}

	// A new directory is created 0700.
	sub := filepath.Join(dir, "new")
	if _, err := OpenDir(sub); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(sub); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("new directory: %v, %v", fi.Mode(), err)
	}
}

// TestDirStoreRefuses checks files that must not be loaded.
func TestDirStoreRefuses(t *testing.T) {
	ctx := context.Background()
	newDir := func(t *testing.T) (string, *DirStore, *Key) {
		dir := t.TempDir()
		s, err := OpenDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		k := mustKey(t, issuer+"#key-1", issuer, vectorSigner(t))
		if err := s.Add(ctx, k); err != nil {
			t.Fatal(err)
		}
		return dir, s, k
	}
	write := func(t *testing.T, path, data string) {
		if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		os.Chmod(path, 0o600)
	}
	d := "yW756hDF5BTEcXI6_53nLDX6W3D66X6IMuysfS4rjtY" // the vector key's seed
	x := "sA2Nk45_dz1RVlqtNqYj9TRPf10ZYPnPPo4SYg6igQ8"

	for _, c := range []struct {
		name    string
		prepare func(t *testing.T, dir string, k *Key)
		msg     string
	}{
		{"a file under another key's name", func(t *testing.T, dir string, k *Key) {
			data, _ := os.ReadFile(filepath.Join(dir, fileName(k.ID)))
			write(t, filepath.Join(dir, fileName("did:web:example.edu#other")), string(data))
		}, "holds key \"did:web:example.edu#key-1\", whose file would be"},
		{"a symbolic link", func(t *testing.T, dir string, k *Key) {
			target := filepath.Join(t.TempDir(), "elsewhere.jwk")
			data, _ := os.ReadFile(filepath.Join(dir, fileName(k.ID)))
			write(t, target, string(data))
			os.Remove(filepath.Join(dir, fileName(k.ID)))
			if err := os.Symlink(target, filepath.Join(dir, fileName(k.ID))); err != nil {
				t.Skip(err)
			}
		}, "is not a regular file"},
		{"a retired key with its private key", func(t *testing.T, dir string, k *Key) {
			write(t, filepath.Join(dir, fileName(k.ID)), `{"crv":"Ed25519","d":"`+d+`","kid":"did:web:example.edu#key-1","kty":"OKP","x":"`+x+`","controller":"did:web:example.edu","notAfter":"2025-01-01T00:00:00Z"}`)
		}, "retired key \"did:web:example.edu#key-1\" still holds its private key"},
		{"an active key without its private key", func(t *testing.T, dir string, k *Key) {
			write(t, filepath.Join(dir, fileName(k.ID)), `{"crv":"Ed25519","kid":"did:web:example.edu#key-1","kty":"OKP","x":"`+x+`","controller":"did:web:example.edu"}`)
		}, "is active (no NotAfter) but has no Signer"},
		{"a private key that is not its public key", func(t *testing.T, dir string, k *Key) {
			write(t, filepath.Join(dir, fileName(k.ID)), `{"crv":"Ed25519","d":"`+d+`","kid":"did:web:example.edu#key-1","kty":"OKP","x":"S96v3i6ovu-t2MaZtcfgcEz1EVTVLheyC3EzfKBMxaU","controller":"did:web:example.edu"}`)
		}, "invalid x value given d value"},
		{"a truncated private key", func(t *testing.T, dir string, k *Key) {
			write(t, filepath.Join(dir, fileName(k.ID)), `{"crv":"Ed25519","d":"`+d+`","kid":"did:web:example.edu#key-1","kty":"OKP","x":"`+x)
		}, "unexpected end of JSON input"},
		{"a mangled private key", func(t *testing.T, dir string, k *Key) {
			write(t, filepath.Join(dir, fileName(k.ID)), `{"crv":"Ed25519","d":"`+d[:40]+`!!!","kid":"did:web:example.edu#key-1","kty":"OKP","x":"`+x+`","controller":"did:web:example.edu"}`)
		}, `member "d" is not unpadded base64url`},
		{"no controller", func(t *testing.T, dir string, k *Key) {
			write(t, filepath.Join(dir, fileName(k.ID)), `{"crv":"Ed25519","d":"`+d+`","kid":"did:web:example.edu#key-1","kty":"OKP","x":"`+x+`"}`)
		}, `no "controller" member`},
		{"a window that is not RFC 3339", func(t *testing.T, dir string, k *Key) {
			write(t, filepath.Join(dir, fileName(k.ID)), `{"crv":"Ed25519","kid":"did:web:example.edu#key-1","kty":"OKP","x":"`+x+`","controller":"did:web:example.edu","notAfter":"yesterday"}`)
		}, `member "notAfter" is not an RFC 3339 time`},
		{"two active keys of one controller", func(t *testing.T, dir string, k *Key) {
			k2 := mustKey(t, issuer+"#key-2", issuer, mustGenerate(t, Ed25519))
			data, err := fileBytes(k2, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			write(t, filepath.Join(dir, fileName(k2.ID)), string(data))
		}, "both hold an active key of \"did:web:example.edu\""},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir, s, k := newDir(t)
			c.prepare(t, dir, k)
			_, err := OpenDir(dir)
			if err == nil || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("OpenDir: %v; want an error saying %q", err, c.msg)
			}
			if err != nil && !strings.Contains(err.Error(), dir) {
				t.Errorf("error %q does not name the file", err)
			}
			if _, kerr := s.Keys(ctx, issuer); kerr == nil {
				t.Error("the open store did not notice the change")
			}
			for _, e := range []error{err} {
				if e != nil {
					assertNoSecret(t, "error", e.Error(), []string{d, d[:40], "c96ef9ea10c5e414c471723aff9de72c35fa5b70fae97e8832ecac7d2e2b8ed6"})
				}
			}
		})
	}
}

// TestDirStoreCrash simulates a crash during a write: the temporary file
// left behind is ignored, then removed, and never taken for a key.
func TestDirStoreCrash(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	k1 := mustKey(t, issuer+"#key-1", issuer, mustGenerate(t, Ed25519))
	if err := s.Add(ctx, k1); err != nil {
		t.Fatal(err)
	}
	// The crash: half of the next key's file written to a temporary file,
	// not yet renamed.
	k2 := mustKey(t, issuer+"#key-2", issuer, mustGenerate(t, Ed25519))
	data, err := fileBytes(k2, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(dir, tempPrefix+"123456")
	if err := os.WriteFile(tmp, data[:len(data)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	// Also an unrelated file, which is ignored.
	if err := os.WriteFile(filepath.Join(dir, "README"), []byte("keys"), 0o644); err != nil {
		t.Fatal(err)
	}

	// The running store ignores the temporary file...
	ks, err := s.Keys(ctx, issuer)
	if err != nil || len(ks) != 1 {
		t.Fatalf("Keys = %v, %v", ks, err)
	}
	// ...and a store opened after the crash removes it.
	s2, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(tmp); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the temporary file is still there: %v", err)
	}
	if _, err := s2.Key(ctx, k2.ID); !errors.Is(err, ErrNoKey) {
		t.Errorf("Key(%s) = %v, want ErrNoKey", k2.ID, err)
	}
	if a, err := s2.ActiveKey(ctx, issuer); err != nil || a.ID != k1.ID {
		t.Errorf("ActiveKey = %v, %v", a, err)
	}
	// And the store goes on.
	if err := s2.Rotate(ctx, issuer, k2); err != nil {
		t.Fatal(err)
	}
}

// TestDirStoreSharedDirectory rotates through one DirStore and checks that
// another, open on the same directory, follows: it signs with the new key
// and no longer with the old.
func TestDirStoreSharedDirectory(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	k1 := mustKey(t, issuer+"#key-1", issuer, mustGenerate(t, Ed25519))
	if err := a.Add(ctx, k1); err != nil {
		t.Fatal(err)
	}
	b, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if k, err := a.ActiveKey(ctx, issuer); err != nil || k.ID != k1.ID {
		t.Fatalf("ActiveKey = %v, %v", k, err)
	}
	if err := b.Rotate(ctx, issuer, mustKey(t, issuer+"#key-2", issuer, mustGenerate(t, Ed25519))); err != nil {
		t.Fatal(err)
	}
	k, err := a.ActiveKey(ctx, issuer)
	if err != nil || k.ID != issuer+"#key-2" || k.Signer == nil {
		t.Errorf("ActiveKey after another store rotated = %v, %v", k, err)
	}
	old, err := a.Key(ctx, k1.ID)
	if err != nil || old.Signer != nil || !old.Retired() {
		t.Errorf("Key(%s) after another store retired it = %v, %v", k1.ID, old, err)
	}
	// A key removed by hand is gone.
	os.Remove(filepath.Join(dir, fileName(issuer+"#key-2")))
	if _, err := a.ActiveKey(ctx, issuer); !errors.Is(err, ErrNoKey) {
		t.Errorf("ActiveKey after its file was removed: %v", err)
	}
}

// TestDirStoreKMSSigner checks that a key whose private part the store
// cannot write is refused, and that a refused rotation changes nothing.
func TestDirStoreKMSSigner(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	remote := mustKey(t, issuer+"#kms", issuer, opaqueSigner{mustGenerate(t, P256).(*ecdsa.PrivateKey)})
	if err := s.Add(ctx, remote); !errors.Is(err, ErrUnsupportedKey) || !strings.Contains(err.Error(), "cannot be written to a file") {
		t.Errorf("Add of a KMS key: %v", err)
	}
	k1 := mustKey(t, issuer+"#key-1", issuer, mustGenerate(t, Ed25519))
	if err := s.Add(ctx, k1); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(dir, fileName(k1.ID)))
	if err := s.Rotate(ctx, issuer, remote); !errors.Is(err, ErrUnsupportedKey) {
		t.Errorf("Rotate to a KMS key: %v", err)
	}
	after, _ := os.ReadFile(filepath.Join(dir, fileName(k1.ID)))
	if string(before) != string(after) {
		t.Error("a refused rotation rewrote the active key's file")
	}
	if a, err := s.ActiveKey(ctx, issuer); err != nil || a.ID != k1.ID || a.Signer == nil {
		t.Errorf("ActiveKey after a refused rotation = %v, %v", a, err)
	}
}

// TestDirStoreNoSecretsInOutput checks that a DirStore's keys, the store
// itself and its errors never show the private key.
func TestDirStoreNoSecretsInOutput(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	signer := vectorSigner(t)
	secrets := secretStrings(t, signer)
	if err := s.Add(ctx, mustKey(t, issuer+"#key-1", issuer, signer)); err != nil {
		t.Fatal(err)
	}
	k, err := s.ActiveKey(ctx, issuer)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"%v", "%+v", "%#v", "%s"} {
		assertNoSecret(t, "Key "+f, fmt.Sprintf(f, k), secrets)
		assertNoSecret(t, "DirStore "+f, fmt.Sprintf(f, s), secrets)
	}
	path := filepath.Join(dir, fileName(k.ID))
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var errs []error
	_, _, err = ParsePublicJWK(data)
	errs = append(errs, err)
	// Every way of breaking the file, one byte at a time, gives an error
	// without the key in it.
	for i := range data {
		broken := slices.Clone(data)
		broken[i] ^= 0x01
		if err := os.WriteFile(path, broken, 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := s.Key(ctx, k.ID)
		errs = append(errs, err)
	}
	for _, e := range errs {
		if e != nil {
			assertNoSecret(t, "error", e.Error(), secrets)
		}
	}
}
