package keys

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-openbadges/openbadges/internal/atomicfile"
	"github.com/go-openbadges/openbadges/internal/filestore"
)

// A DirStore is a Store that keeps each key in a file of its own in a
// directory: a JWK (RFC 7517) with the key's metadata as extra members.
//
// An active key's file is its private JWK; a retired key's file is its
// public JWK only, since Rotate destroys the private part of the key it
// retires (rewriting the file without it). The members are those of the
// JWK (kty, crv, x, y, d, n, e, p, q, dp, dq, qi, alg) and:
//
//	kid         the key's ID
//	controller  the key's controller
//	notBefore   NotBefore, RFC 3339 in UTC, omitted when zero
//	notAfter    NotAfter, RFC 3339 in UTC, omitted when zero (an active key)
//
// for example
//
//	{"alg":"EdDSA","crv":"Ed25519","kid":"did:web:example.edu#key-1","kty":"OKP","x":"…","controller":"did:web:example.edu","notBefore":"2024-01-01T00:00:00Z","notAfter":"2025-01-01T00:00:00Z"}
//
// A file is named by the hex SHA-256 of its key's ID followed by ".jwk",
// so that no ID, whatever it holds, can name a path outside the directory;
// a file whose kid does not hash to its name is refused. Other files in the
// directory are ignored, and Ignored lists them (all but dot-files) with
// what to do about each: a JWK copied in by hand, named anything else, is
// not read until it is added with Add, which names its file.
//
// An active key's private members may be kept encrypted at rest under a
// passphrase (see DirOptions): the file then holds, in their place, one
// member "encrypted" (see ErrPassphrase for what failing to decrypt means),
// and every other member stays in clear, so that Key, Keys and the
// documents published from them need no passphrase; only signing does.
//
//	{"alg":"EdDSA","crv":"Ed25519","kid":"…","kty":"OKP","x":"…","controller":"…","encrypted":{"kdf":"scrypt","N":262144,"r":8,"p":1,"salt":"…","cipher":"A256GCM","nonce":"…","ciphertext":"…"}}
//
// The private members, as a JSON object, are sealed with AES-256-GCM under
// a key scrypt derives from the passphrase and a random salt (the scheme
// of age's passphrase files), with the key's ID, controller and JWK
// thumbprint as additional data, so that a sealed key moved to another
// file, or a changed public member, fails to decrypt.
//
// Files are written atomically: a temporary file (named ".tmp-…") created
// with mode 0600 in the same directory is written, synced, renamed over the
// key file, and the directory synced, so that a crash leaves either the old
// file or the new one, never a part of one. OpenDir removes temporary files
// that a crash left behind; they are otherwise ignored.
//
// Key files must not be readable or writable by group or others (mode 0600
// or stricter), and the directory must not be writable by group or others,
// since whoever can write it can replace a key file (a retired key's public
// key, or its window). Every read checks this, and a file that fails it is
// refused with a *ModeError naming the file and its mode; files that are not
// regular files (symbolic links among them) are refused too. On Windows,
// where file modes do not describe access, neither is checked.
//
// A DirStore reads the directory when it is opened and keeps what it read,
// but each Key and ActiveKey call checks (with one stat: the file's
// identity, size and modification time) that the file it answers from has
// not changed, and rereads it if it has, so that another process's
// rotation is seen: once a key's file says it is retired, this store no
// longer hands out its Signer either. Writers in several processes are
// not coordinated, though: Add and Rotate from two processes at once may
// break the one-active-key rule, which the next scan then reports.
//
// A DirStore is safe for concurrent use. Its errors never include private
// key material.
type DirStore struct {
	// Now returns the current time, which Rotate records as the moment of
	// rotation. If nil, time.Now is used. Set it before the store is used.
	Now func() time.Time

	dir        filestore.Dir
	passphrase []byte // encrypts the private keys written; may be empty
	logN       int    // the scrypt work factor for the keys written

	mu      sync.Mutex
	files   filestore.Cache[*Key] // each key file as last read; keys never modified, handed out as copies
	active  map[string]string     // controller -> file name of its active key
	ignored []IgnoredFile         // as of the last scan, by name
}

// DirOptions configures a DirStore opened with OpenDirWithOptions. The zero
// value opens it as OpenDir does: private keys in clear.
type DirOptions struct {
	// Passphrase, if not empty, encrypts the private key of every active
	// key that Add and Rotate write, and decrypts the encrypted ones the
	// store reads, when an active key is asked for (ActiveKey) or first
	// signs. If empty, keys are written in clear, and an encrypted key's
	// Signer fails with an error wrapping ErrPassphrase (its public part
	// is read all the same). Files written in clear are read either way.
	// The store keeps a copy; the caller may clear its own.
	Passphrase []byte
	// ScryptLogN is the scrypt work factor, log2 of N, of the keys this
	// store encrypts, from MinScryptLogN to MaxScryptLogN. If zero,
	// DefaultScryptLogN is used: about a second and 256 MiB per key
	// encrypted or decrypted. Each file records its own, so a store reads
	// files written with any work factor within the bounds.
	ScryptLogN int
}

// An IgnoredFile is an entry of a key directory that the store does not
// read, as Ignored lists it.
type IgnoredFile struct {
	// Name is the entry's name in the directory.
	Name string
	// Reason says why the store ignores it, and how to make a key in it
	// one the store reads.
	Reason string
}

const (
	keyFileExt = ".jwk"
	tempPrefix = filestore.TempPrefix
	// checkModes is whether file modes describe access on this system.
	checkModes = filestore.CheckModes
)

// OpenDir opens the key directory at path, creating it (mode 0700) if it
// does not exist, and reads every key file in it. It fails if the
// directory or a key file has a mode DirStore refuses, if a key file
// cannot be read or parsed, or if a controller has more than one active
// key.
func OpenDir(path string) (*DirStore, error) {
	return OpenDirWithOptions(path, nil)
}

// OpenDirWithOptions opens the key directory at path as OpenDir does,
// with the options opts (nil for the zero DirOptions). A wrong passphrase
// is not detected here, but when an encrypted active key is asked for.
func OpenDirWithOptions(path string, opts *DirOptions) (*DirStore, error) {
	if path == "" {
		return nil, errors.New("keys: OpenDir needs a directory")
	}
	var o DirOptions
	if opts != nil {
		o = *opts
	}
	switch {
	case o.ScryptLogN == 0:
		o.ScryptLogN = DefaultScryptLogN
	case o.ScryptLogN < MinScryptLogN || o.ScryptLogN > MaxScryptLogN:
		return nil, fmt.Errorf("keys: DirOptions.ScryptLogN %d is not from %d to %d", o.ScryptLogN, MinScryptLogN, MaxScryptLogN)
	}
	clean, err := filestore.Open(path, "keys")
	if err != nil {
		return nil, err
	}
	s := &DirStore{passphrase: bytes.Clone(o.Passphrase), logN: o.ScryptLogN}
	s.dir = filestore.Dir{Path: clean, Prefix: "keys", Noun: "key file", DirModeError: modeError, FileModeError: modeError}
	s.files = filestore.Cache[*Key]{Dir: &s.dir, MaxBytes: MaxJWKSize, Decode: func(path, name string, data []byte) (*Key, error) {
		return decodeKeyFile(path, name, data, s.passphrase)
	}}
	if err := s.dir.CheckDir(); err != nil {
		return nil, err
	}
	if err := s.dir.RemoveTemps(); err != nil {
		return nil, err
	}
	if err := s.scan(); err != nil {
		return nil, err
	}
	return s, nil
}

// Dir returns the store's directory.
func (s *DirStore) Dir() string { return s.dir.Path }

// Ignored lists the entries of the directory that the store does not read,
// as of its last reading of the directory (when it was opened, and by Add,
// Rotate and Keys), by name: files not named as the store names key files
// (a JWK copied in by hand among them), and folders. Dot-files, temporary
// files among them, are not listed. A command that opens a key directory
// should tell its user about each, since a key put there by hand is
// otherwise silently not used.
func (s *DirStore) Ignored() []IgnoredFile {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.ignored)
}

// ignoredReason says why the store ignores the directory entry e, which
// is not a key file, or "" if it says nothing about it.
func ignoredReason(e fs.DirEntry) string {
	name := e.Name()
	switch {
	case strings.HasPrefix(name, "."):
		return ""
	case e.IsDir():
		return "a folder: the store reads only the key files directly in its directory"
	case strings.HasSuffix(strings.ToLower(name), keyFileExt):
		return fmt.Sprintf("named %s, not the SHA-256 of its kid, so the store does not read it: add the key with keys.DirStore.Add (openbadges keygen --store DIR --controller ID --import FILE), which names its file, then remove this one", name)
	}
	return "not a key file: the store reads only files named by the SHA-256 of their kid with .jwk, as keys.DirStore.Add (openbadges keygen --store) writes them"
}

// Add writes k to the store with the rules of MemoryStore.Add. An active
// key's Signer must be a key in memory (ed25519.PrivateKey,
// *ecdsa.PrivateKey or *rsa.PrivateKey), since its file holds the private
// key; a Signer in a KMS is an error wrapping ErrUnsupportedKey.
func (s *DirStore) Add(ctx context.Context, k *Key) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c, err := checkedKey(k)
	if err != nil {
		return err
	}
	data, err := fileBytes(c, s.passphrase, s.logN)
	if err != nil {
		return err
	}
	defer clear(data)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.scan(); err != nil {
		return err
	}
	name := fileName(c.ID)
	if _, ok := s.files.Item(name); ok {
		return fmt.Errorf("%w: %q", ErrKeyExists, c.ID)
	}
	if a, ok := s.active[c.Controller]; ok && !c.Retired() {
		k, _ := s.files.Item(a)
		return fmt.Errorf("%w: %q has active key %q", ErrActiveKeyExists, c.Controller, k.ID)
	}
	if err := s.write(name, data, c); err != nil {
		return err
	}
	if !c.Retired() {
		s.active[c.Controller] = name
	}
	return nil
}

// Rotate retires controller's active key and makes next its active key,
// with the rules and window of MemoryStore.Rotate. The retired key's file
// is rewritten without its private key before next's file is written, so
// that no crash can leave two active keys; if writing next's file fails,
// the error says so and controller has no active key until one is added.
// (The old file's blocks may stay on disk until reused: a rewrite is not a
// secure erase.)
func (s *DirStore) Rotate(ctx context.Context, controller string, next *Key) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.scan(); err != nil {
		return err
	}
	oldName, ok := s.active[controller]
	if !ok {
		return fmt.Errorf("%w: %q has no active key to rotate", ErrNoKey, controller)
	}
	old, _ := s.files.Item(oldName)
	retired, active, err := rotation(old, next, controller, nowFunc(s.Now))
	if err != nil {
		return err
	}
	newName := fileName(active.ID)
	if _, ok := s.files.Item(newName); ok {
		return fmt.Errorf("%w: %q", ErrKeyExists, active.ID)
	}
	// Encode both files before writing either, so that a key that cannot
	// be written changes nothing.
	activeData, err := fileBytes(active, s.passphrase, s.logN)
	if err != nil {
		return err
	}
	defer clear(activeData)
	retiredData, err := fileBytes(retired, nil, 0)
	if err != nil {
		return err
	}
	if err := s.write(oldName, retiredData, retired); err != nil {
		return err
	}
	delete(s.active, controller)
	if err := s.write(newName, activeData, active); err != nil {
		return fmt.Errorf("keys: key %q was retired, but its successor %q could not be written, so %q has no active key until one is added: %w", retired.ID, active.ID, controller, err)
	}
	s.active[controller] = newName
	return nil
}

// Key returns a copy of the key whose ID is id, active or retired, or an
// error wrapping ErrNoKey. It reads the key's file again if it changed
// since it was last read.
func (s *DirStore) Key(ctx context.Context, id string) (*Key, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k, err := s.files.Read(fileName(id))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %q", ErrNoKey, id)
	}
	if err != nil {
		return nil, err
	}
	return k.clone(), nil
}

// ActiveKey returns a copy of controller's active key, or an error
// wrapping ErrNoKey. If the key's file changed since it was last read
// (another process rotated the key, say), the directory is read again.
func (s *DirStore) ActiveKey(ctx context.Context, controller string) (*Key, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if name, ok := s.active[controller]; ok {
		k, err := s.files.Read(name)
		switch {
		case err == nil && !k.Retired() && k.Controller == controller:
			return unsealed(k)
		case err != nil && !errors.Is(err, fs.ErrNotExist):
			return nil, err
		}
	}
	if err := s.scan(); err != nil {
		return nil, err
	}
	name, ok := s.active[controller]
	if !ok {
		return nil, fmt.Errorf("%w: %q has no active key", ErrNoKey, controller)
	}
	k, _ := s.files.Item(name)
	return unsealed(k)
}

// unsealed returns a copy of k whose Signer is the private key itself,
// decrypting it if its file keeps it encrypted (once per file version).
func unsealed(k *Key) (*Key, error) {
	c := k.clone()
	if ss, ok := c.Signer.(*sealedSigner); ok {
		signer, err := ss.opener()
		if err != nil {
			return nil, err
		}
		c.Signer = signer
	}
	return c, nil
}

// Keys reads the directory again and returns copies of controller's keys,
// oldest first (by NotBefore, then ID), or an error wrapping ErrNoKey if
// it has none.
func (s *DirStore) Keys(ctx context.Context, controller string) ([]*Key, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.scan(); err != nil {
		return nil, err
	}
	var list []*Key
	for _, name := range s.files.Names() {
		if k, _ := s.files.Item(name); k.Controller == controller {
			list = append(list, k)
		}
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("%w: %q has no keys", ErrNoKey, controller)
	}
	return sortedClones(list), nil
}

// fileName is the name of the file holding the key whose ID is id.
func fileName(id string) string { return atomicfile.HashedName(id, keyFileExt) }

// scan reads the directory, rereading the key files that changed, and
// rebuilds the index of active keys; s.mu is held (or s is not yet
// shared).
func (s *DirStore) scan() error {
	if err := s.dir.CheckDir(); err != nil {
		return err
	}
	entries, err := os.ReadDir(s.dir.Path)
	if err != nil {
		return fmt.Errorf("keys: %w", err)
	}
	seen := make(map[string]bool, len(entries))
	active := make(map[string]string)
	var ignored []IgnoredFile
	for _, e := range entries {
		name := e.Name()
		if !atomicfile.IsHashedName(name, keyFileExt) {
			if r := ignoredReason(e); r != "" {
				ignored = append(ignored, IgnoredFile{Name: name, Reason: r})
			}
			continue
		}
		k, err := s.files.Read(name)
		if errors.Is(err, fs.ErrNotExist) {
			continue // removed since the directory was listed
		}
		if err != nil {
			return err
		}
		seen[name] = true
		if k.Retired() {
			continue
		}
		if other, ok := active[k.Controller]; ok {
			return fmt.Errorf("keys: %s and %s both hold an active key of %q; a controller has one active key at a time",
				s.dir.Join(other), s.dir.Join(name), k.Controller)
		}
		active[k.Controller] = name
	}
	for _, name := range s.files.Names() {
		if !seen[name] {
			s.files.Forget(name)
		}
	}
	s.active, s.ignored = active, ignored
	return nil
}

// write replaces the file name with data atomically and records that it
// holds k; s.mu is held.
func (s *DirStore) write(name string, data []byte, k *Key) error {
	fi, err := s.dir.Replace(name, data)
	if err != nil {
		return err
	}
	s.files.Put(name, fi, k)
	return nil
}
