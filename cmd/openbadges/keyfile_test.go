package main

import (
	"context"
	"crypto"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/keys"
)

// privateCopy copies the key file src into a new temporary folder with
// mode 0600, as a key file must be, and returns the copy's path. (Git
// keeps no file modes but the x bit: a checked-out key file is as
// readable as the umask makes it.)
func privateCopy(t *testing.T, src string) string {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), filepath.Base(src))
	if err := os.WriteFile(dst, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dst, 0o600); err != nil { // whatever the umask
		t.Fatal(err)
	}
	return dst
}

// dirStoreKeyFile adds k to a keys.DirStore in dir/keys and returns the
// path of the one key file the store writes.
func dirStoreKeyFile(t *testing.T, dir string, k *keys.Key) string {
	t.Helper()
	store, err := keys.OpenDir(filepath.Join(dir, "keys"))
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Add(context.Background(), k); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(dir, "keys", "*.jwk"))
	if err != nil || len(files) != 1 {
		t.Fatalf("key files %v: %v", files, err)
	}
	return files[0]
}

// privateJWK returns signer's private key as a JWK with kid (none if kid
// is "").
func privateJWK(t *testing.T, signer crypto.Signer, kid string) []byte {
	t.Helper()
	jwk, err := keys.PrivateJWK(signer, kid)
	if err != nil {
		t.Fatal(err)
	}
	return jwk
}

// multikeyPair returns k as a Multikey key pair file: its id, controller,
// publicKeyMultibase and secretKeyMultibase.
func multikeyPair(t *testing.T, k *keys.Key) []byte {
	t.Helper()
	pub, _ := keys.PublicKeyMultibase(k.Public)
	sec, err := keys.SecretKeyMultibase(k.Signer)
	if err != nil {
		t.Fatal(err)
	}
	pair, _ := json.Marshal(map[string]string{"id": k.ID, "controller": k.Controller, "publicKeyMultibase": pub, "secretKeyMultibase": sec})
	return pair
}

// wantCantRun checks what a command that refuses to run gives: exit
// status 2, nothing on stdout, and want, exactly, on stderr.
func wantCantRun(t *testing.T, status int, stdout, stderr, want string) {
	t.Helper()
	if status != exitCantRun {
		t.Errorf("exit status %d, want %d", status, exitCantRun)
	}
	if stdout != "" {
		t.Errorf("stdout %.200q, want nothing", stdout)
	}
	if d := cmp.Diff(want, stderr); d != "" {
		t.Errorf("stderr (-want +got):\n%s", d)
	}
}

// TestKeyFileMode: every command that reads a private key file refuses one
// that group or others have any access to, with exit status 2 and a
// message that says how to fix it; a file only its owner can read is used.
func TestKeyFileMode(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("file modes do not describe access on Windows")
	}
	const unsigned = "testdata/sign/unsigned-credential.json"
	// Each case stages its key file (and what goes with it) and returns
	// its path and the command line that reads it.
	commands := []struct {
		name  string
		stage func(t *testing.T) (key string, args []string)
	}{
		{"sign", func(t *testing.T) (string, []string) {
			key := privateCopy(t, "testdata/sign/keypair.json")
			return key, []string{"sign", "--key", key, "--created", "2010-01-01T19:23:24Z", unsigned}
		}},
		{"sign --format jwt", func(t *testing.T) (string, []string) {
			key := privateCopy(t, "testdata/sign/keypair.json")
			return key, []string{"sign", "--key", key, "--format", "jwt", unsigned}
		}},
		{"sign --format vc+jwt", func(t *testing.T) (string, []string) {
			key := privateCopy(t, "testdata/sign/keypair.json")
			return key, []string{"sign", "--key", key, "--format", "vc+jwt", unsigned}
		}},
		{"issue (the config's key)", func(t *testing.T) (string, []string) {
			key := privateCopy(t, "testdata/issue/issuer-key.json")
			cfg := filepath.Join(filepath.Dir(key), "config.json")
			data, err := os.ReadFile("testdata/issue/config.json")
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(cfg, data, 0o600); err != nil {
				t.Fatal(err)
			}
			return key, []string{"issue", "--config", cfg, "--achievement", "https://example.edu/achievements/stats-101",
				"--recipient", "id:did:example:cy", "--score", "95", "--evidence", "project=https://lms.example.edu/projects/4"}
		}},
		{"status publish", func(t *testing.T) (string, []string) {
			key := privateCopy(t, "testdata/issue/issuer-key.json")
			store := filepath.Join(filepath.Dir(key), "lists")
			const url = "https://example.edu/status/1"
			if status, _, stderr := call(t, "", "status", "create", "--store", store, "--url", url); status != exitOK {
				t.Fatalf("status create: %s", stderr)
			}
			return key, []string{"status", "publish", "--store", store, "--url", url, "--key", key, "--valid-from", "2026-01-01T00:00:00Z"}
		}},
	}
	for _, c := range commands {
		for _, mode := range []fs.FileMode{0o600, 0o400, 0o644, 0o640, 0o604, 0o660, 0o620, 0o602, 0o610, 0o601} {
			t.Run(fmt.Sprintf("%s/%04o", c.name, mode), func(t *testing.T) {
				key, args := c.stage(t)
				if err := os.Chmod(key, mode); err != nil {
					t.Fatal(err)
				}
				status, stdout, stderr := call(t, "", args...)
				if mode&0o077 == 0 {
					if status != exitOK || stdout == "" {
						t.Fatalf("exit status %d, stdout %.100q, stderr %s", status, stdout, stderr)
					}
					return
				}
				cmdName := "openbadges " + args[0]
				if args[0] == "status" {
					cmdName += " " + args[1]
				}
				wantCantRun(t, status, stdout, stderr, fmt.Sprintf("%s: keys: key file %s has mode %04o (%s): group and others must have no access to it (chmod 600 %s)\n",
					cmdName, key, mode.Perm(), mode, key))
			})
		}
	}
}
