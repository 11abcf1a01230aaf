package keys

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-openbadges/openbadges/internal/atomicfile"
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

	dir        string
	passphrase []byte // encrypts the private keys written; may be empty
	logN       int    // the scrypt work factor for the keys written

	mu      sync.Mutex
	files   map[string]*dirFile // by file name: each key file as last read
	active  map[string]string   // controller -> file name of its active key
	ignored []IgnoredFile       // as of the last scan, by name
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

// dirFile is a key file as last read.
type dirFile struct {
	info fs.FileInfo // for change detection
	key  *Key        // never modified; handed out as copies
}

const (
	keyFileExt = ".jwk"
	tempPrefix = ".tmp-"
	// checkModes is whether file modes describe access on this system.
	checkModes = runtime.GOOS != "windows"
)

// A ModeError reports a key file whose permissions let group or others
// read or change it (from a DirStore or ReadPrivateFile), or a key
// directory others can write to. It wraps fs.ErrPermission.
type ModeError struct {
	Path string      // the file or directory
	Mode fs.FileMode // its mode
}

// Error names the file or directory, its mode, and the command that
// fixes it (chmod 600 FILE, or chmod go-w DIR).
func (e *ModeError) Error() string {
	if e.Mode.IsDir() {
		return fmt.Sprintf("keys: key directory %s has mode %04o (%s): group and others must not be able to write to it (chmod go-w %s)", e.Path, e.Mode.Perm(), e.Mode, e.Path)
	}
	return fmt.Sprintf("keys: key file %s has mode %04o (%s): group and others must have no access to it (chmod 600 %s)", e.Path, e.Mode.Perm(), e.Mode, e.Path)
}

// Unwrap returns fs.ErrPermission.
func (e *ModeError) Unwrap() error { return fs.ErrPermission }

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
	if err := os.MkdirAll(path, 0o700); err != nil {
		return nil, fmt.Errorf("keys: %w", err)
	}
	s := &DirStore{dir: filepath.Clean(path), passphrase: bytes.Clone(o.Passphrase), logN: o.ScryptLogN}
	if err := s.checkDir(); err != nil {
		return nil, err
	}
	if err := s.removeTemps(); err != nil {
		return nil, err
	}
	if err := s.scan(); err != nil {
		return nil, err
	}
	return s, nil
}

// Dir returns the store's directory.
func (s *DirStore) Dir() string { return s.dir }

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
	if _, ok := s.files[name]; ok {
		return fmt.Errorf("%w: %q", ErrKeyExists, c.ID)
	}
	if a, ok := s.active[c.Controller]; ok && !c.Retired() {
		return fmt.Errorf("%w: %q has active key %q", ErrActiveKeyExists, c.Controller, s.files[a].key.ID)
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
		return fmt.Errorf("%w: %q has no active key to rotate", ErrNotFound, controller)
	}
	retired, active, err := rotation(s.files[oldName].key, next, controller, nowFunc(s.Now))
	if err != nil {
		return err
	}
	newName := fileName(active.ID)
	if _, ok := s.files[newName]; ok {
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
// error wrapping ErrNotFound. It reads the key's file again if it changed
// since it was last read.
func (s *DirStore) Key(ctx context.Context, id string) (*Key, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k, err := s.read(fileName(id))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %q", ErrNotFound, id)
	}
	if err != nil {
		return nil, err
	}
	return k.clone(), nil
}

// ActiveKey returns a copy of controller's active key, or an error
// wrapping ErrNotFound. If the key's file changed since it was last read
// (another process rotated the key, say), the directory is read again.
func (s *DirStore) ActiveKey(ctx context.Context, controller string) (*Key, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if name, ok := s.active[controller]; ok {
		k, err := s.read(name)
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
		return nil, fmt.Errorf("%w: %q has no active key", ErrNotFound, controller)
	}
	return unsealed(s.files[name].key)
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
// oldest first (by NotBefore, then ID), or an error wrapping ErrNotFound if
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
	for _, f := range s.files {
		if f.key.Controller == controller {
			list = append(list, f.key)
		}
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("%w: %q has no keys", ErrNotFound, controller)
	}
	return sortedClones(list), nil
}

// fileName is the name of the file holding the key whose ID is id.
func fileName(id string) string { return atomicfile.HashedName(id, keyFileExt) }

// checkDir checks that the store's directory is a directory that group
// and others cannot write to.
func (s *DirStore) checkDir() error {
	fi, err := os.Stat(s.dir)
	if err != nil {
		return fmt.Errorf("keys: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("keys: %s is not a directory", s.dir)
	}
	if checkModes && fi.Mode().Perm()&0o022 != 0 {
		return &ModeError{Path: s.dir, Mode: fi.Mode()}
	}
	return nil
}

// checkFile checks that fi describes a regular file that group and others
// have no access to.
func checkFile(path string, fi fs.FileInfo) error {
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("keys: key file %s is not a regular file (%s)", path, fi.Mode().Type())
	}
	if checkModes && fi.Mode().Perm()&0o077 != 0 {
		return &ModeError{Path: path, Mode: fi.Mode()}
	}
	return nil
}

// removeTemps removes the temporary files a crash left behind.
func (s *DirStore) removeTemps() error {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return fmt.Errorf("keys: %w", err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), tempPrefix) {
			if err := os.Remove(filepath.Join(s.dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("keys: removing a leftover temporary file: %w", err)
			}
		}
	}
	return nil
}

// scan reads the directory, rereading the key files that changed, and
// rebuilds the index of active keys; s.mu is held (or s is not yet
// shared).
func (s *DirStore) scan() error {
	if err := s.checkDir(); err != nil {
		return err
	}
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return fmt.Errorf("keys: %w", err)
	}
	if s.files == nil {
		s.files = make(map[string]*dirFile)
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
		k, err := s.read(name)
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
				filepath.Join(s.dir, other), filepath.Join(s.dir, name), k.Controller)
		}
		active[k.Controller] = name
	}
	for name := range s.files {
		if !seen[name] {
			delete(s.files, name)
		}
	}
	s.active, s.ignored = active, ignored
	return nil
}

// read returns the key in the file name, from what was last read if the
// file has not changed since, and checking its mode either way. An error
// wraps fs.ErrNotExist if there is no such file. s.mu is held.
func (s *DirStore) read(name string) (*Key, error) {
	if s.files == nil {
		s.files = make(map[string]*dirFile)
	}
	path := filepath.Join(s.dir, name)
	fi, err := os.Lstat(path)
	if err == nil {
		err = checkFile(path, fi)
	}
	if err != nil {
		delete(s.files, name)
		return nil, fmt.Errorf("keys: %w", err)
	}
	if f, ok := s.files[name]; ok && atomicfile.SameVersion(f.info, fi) {
		return f.key, nil
	}
	k, info, err := loadKeyFile(path, fi, s.passphrase)
	if err != nil {
		delete(s.files, name)
		return nil, err
	}
	if fileName(k.ID) != name {
		delete(s.files, name)
		return nil, fmt.Errorf("keys: key file %s holds key %q, whose file would be %s", path, k.ID, fileName(k.ID))
	}
	s.files[name] = &dirFile{info: info, key: k}
	return k, nil
}

// loadKeyFile reads and parses the key file at path, which Lstat described
// as fi, checking the opened file again.
func loadKeyFile(path string, fi fs.FileInfo, passphrase []byte) (*Key, fs.FileInfo, error) {
	var checkErr error
	check := func(path string, fi fs.FileInfo) error {
		checkErr = checkFile(path, fi)
		return checkErr
	}
	data, info, err := atomicfile.ReadFile(path, fi, MaxJWKSize, check)
	defer clear(data)
	switch {
	case err != nil && err == checkErr:
		return nil, nil, err // already says what and where
	case err != nil:
		return nil, nil, fmt.Errorf("keys: key file: %w", err)
	}
	k, err := parseKeyFile(data, passphrase)
	if err != nil {
		return nil, nil, fmt.Errorf("keys: key file %s: %w", path, err)
	}
	return k, info, nil
}

// parseKeyFile decodes the contents of a key file. An encrypted private
// key is not decrypted yet: its Signer is a *sealedSigner that decrypts it
// with passphrase.
func parseKeyFile(data, passphrase []byte) (*Key, error) {
	members, err := jwkMembers(data)
	if err != nil {
		return nil, err
	}
	k := new(Key)
	for _, m := range []struct {
		name string
		s    *string
	}{{"kid", &k.ID}, {"controller", &k.Controller}} {
		v, ok, err := stringMember(members, m.name)
		if err != nil {
			return nil, err
		}
		if !ok || v == "" {
			return nil, fmt.Errorf("no %q member", m.name)
		}
		*m.s = v
	}
	for _, m := range []struct {
		name string
		t    *time.Time
	}{{"notBefore", &k.NotBefore}, {"notAfter", &k.NotAfter}} {
		v, ok, err := stringMember(members, m.name)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		if *m.t, err = time.Parse(time.RFC3339Nano, v); err != nil {
			return nil, fmt.Errorf("member %q is not an RFC 3339 time: %w", m.name, err)
		}
	}
	if raw, sealed := members[encryptedMember]; sealed {
		if k.Retired() {
			return nil, fmt.Errorf("retired key %q still holds its private key (encrypted); remove its member %q", k.ID, encryptedMember)
		}
		sk, err := parseSealedKey(raw)
		if err != nil {
			return nil, err
		}
		clearJWK, err := json.Marshal(withoutMember(members, encryptedMember))
		if err != nil {
			return nil, err
		}
		pub, _, err := ParsePublicJWK(clearJWK) // refuses private members in clear
		if err != nil {
			return nil, err
		}
		aad, err := sealAAD(k.ID, k.Controller, pub)
		if err != nil {
			return nil, err
		}
		k.Public = pub
		k.Signer = newSealedSigner(k.ID, pub, sk, members, passphrase, aad)
	} else if _, private := members["d"]; private {
		if k.Retired() {
			return nil, fmt.Errorf("retired key %q still holds its private key; remove its private members", k.ID)
		}
		signer, _, err := ParsePrivateJWK(data)
		if err != nil {
			return nil, err
		}
		k.Signer = signer
	} else {
		pub, _, err := ParsePublicJWK(data)
		if err != nil {
			return nil, err
		}
		k.Public = pub
	}
	return checkedKey(k)
}

// withoutMember returns a copy of members without name.
func withoutMember(members map[string]json.RawMessage, name string) map[string]json.RawMessage {
	out := make(map[string]json.RawMessage, len(members))
	for n, v := range members {
		if n != name {
			out[n] = v
		}
	}
	return out
}

// fileBytes encodes k as a key file: its private JWK if it has a Signer,
// else its public JWK, with the metadata members. With a passphrase, the
// private members are encrypted under it (with scrypt's work factor
// logN): the file holds the public JWK and the member "encrypted". Clear
// the result after use.
func fileBytes(k *Key, passphrase []byte, logN int) ([]byte, error) {
	var jwk, sealed []byte
	var err error
	if k.Signer != nil {
		jwk, err = PrivateJWK(k.Signer, k.ID)
	} else {
		jwk, err = PublicJWK(k.Public, k.ID)
	}
	if err != nil {
		return nil, fmt.Errorf("keys: key %q cannot be written to a file: %w", k.ID, err)
	}
	defer clear(jwk)
	if k.Signer != nil && len(passphrase) > 0 {
		aad, err := sealAAD(k.ID, k.Controller, k.Public)
		if err == nil {
			sealed, err = seal(jwk, passphrase, aad, logN)
		}
		if err != nil {
			return nil, fmt.Errorf("keys: key %q cannot be encrypted: %w", k.ID, err)
		}
		clear(jwk)
		if jwk, err = PublicJWK(k.Public, k.ID); err != nil {
			return nil, err
		}
	}
	meta := struct {
		Controller string          `json:"controller"`
		NotBefore  string          `json:"notBefore,omitempty"`
		NotAfter   string          `json:"notAfter,omitempty"`
		Encrypted  json.RawMessage `json:"encrypted,omitempty"`
	}{Controller: k.Controller, Encrypted: sealed}
	if !k.NotBefore.IsZero() {
		meta.NotBefore = stamp(k.NotBefore)
	}
	if !k.NotAfter.IsZero() {
		meta.NotAfter = stamp(k.NotAfter)
	}
	var m bytes.Buffer
	enc := json.NewEncoder(&m)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(meta); err != nil {
		return nil, err
	}
	// Both are JSON objects: splice meta's members into jwk's.
	jwk = bytes.TrimSpace(jwk)
	if len(jwk) < 2 || jwk[len(jwk)-1] != '}' {
		return nil, fmt.Errorf("keys: key %q: unexpected JWK encoding", k.ID)
	}
	out := make([]byte, 0, len(jwk)+m.Len()+1)
	out = append(out, jwk[:len(jwk)-1]...)
	out = append(out, ',')
	out = append(out, bytes.TrimSpace(m.Bytes())[1:]...)
	return append(out, '\n'), nil
}

// write replaces the file name with data atomically and records that it
// holds k; s.mu is held.
func (s *DirStore) write(name string, data []byte, k *Key) error {
	path := filepath.Join(s.dir, name)
	if err := atomicfile.WriteFile(path, data, tempPrefix); err != nil {
		return fmt.Errorf("keys: %w", err)
	}
	fi, err := os.Lstat(path)
	if err != nil {
		return fmt.Errorf("keys: %w", err)
	}
	s.files[name] = &dirFile{info: fi, key: k}
	return nil
}
