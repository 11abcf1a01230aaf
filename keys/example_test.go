package keys_test

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/go-openbadges/openbadges/keys"
)

// A new key is described by NewKey; printing a Key never shows its private
// key.
func ExampleNewKey() {
	signer, err := keys.Generate(keys.P256)
	if err != nil {
		log.Fatal(err)
	}
	k, err := keys.NewKey("did:web:example.edu#key-1", "did:web:example.edu", signer)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(k.Algorithm)
	fmt.Println(k)
	// Output:
	// ES256
	// Key{ID: "did:web:example.edu#key-1", Controller: "did:web:example.edu", Algorithm: ES256, Signer: [redacted]}
}

// A public key's Multikey and did:key forms. The key is the W3C vc-di-eddsa
// test key.
func ExamplePublicKeyMultibase() {
	signer, err := keys.ParseSecretKeyMultibase("z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq")
	if err != nil {
		log.Fatal(err)
	}
	mb, err := keys.PublicKeyMultibase(signer.Public())
	if err != nil {
		log.Fatal(err)
	}
	did, _ := keys.DIDKey(signer.Public())
	vm, _ := keys.DIDKeyVerificationMethod(signer.Public())
	fmt.Println(mb)
	fmt.Println(did)
	fmt.Println(vm)

	pub, err := keys.ParseDIDKey(vm)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(pub.(ed25519.PublicKey).Equal(signer.Public()))
	// Output:
	// z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2
	// did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2
	// did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2
	// true
}

// Rotating a key retires the active one: it keeps verifying what it signed
// in its window, but it can no longer sign.
func ExampleMemoryStore_Rotate() {
	ctx := context.Background()
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	store := &keys.MemoryStore{Now: func() time.Time { return now }}

	first, _ := keys.Generate(keys.Ed25519)
	k1, _ := keys.NewKey("did:web:example.edu#key-1", "did:web:example.edu", first)
	if err := store.Add(ctx, k1); err != nil {
		log.Fatal(err)
	}

	now = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	second, _ := keys.Generate(keys.Ed25519)
	k2, _ := keys.NewKey("did:web:example.edu#key-2", "", second)
	if err := store.Rotate(ctx, "did:web:example.edu", k2); err != nil {
		log.Fatal(err)
	}

	active, _ := store.ActiveKey(ctx, "did:web:example.edu")
	fmt.Println("signs now:", active.ID)
	old, _ := store.Key(ctx, "did:web:example.edu#key-1")
	fmt.Println(old)
	fmt.Println("can sign:", old.Signer != nil)
	fmt.Println("valid in 2025:", old.ValidAt(time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)))
	fmt.Println("valid in 2026:", old.ValidAt(time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)))

	err := store.Add(ctx, k1)
	fmt.Println(errors.Is(err, keys.ErrKeyExists))
	// Output:
	// signs now: did:web:example.edu#key-2
	// Key{ID: "did:web:example.edu#key-1", Controller: "did:web:example.edu", Algorithm: EdDSA, NotAfter: 2026-01-01T00:00:01Z}
	// can sign: false
	// valid in 2025: true
	// valid in 2026: false
	// true
}

// A DirStore keeps each key in a JWK file of mode 0600, and refuses key
// files that others may read.
func ExampleOpenDir() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "keys")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	store, err := keys.OpenDir(dir)
	if err != nil {
		log.Fatal(err)
	}
	signer, _ := keys.Generate(keys.Ed25519)
	k, _ := keys.NewKey("did:web:example.edu#key-1", "did:web:example.edu", signer)
	if err := store.Add(ctx, k); err != nil {
		log.Fatal(err)
	}

	// Another process, or the next run, opens the same directory.
	again, err := keys.OpenDir(dir)
	if err != nil {
		log.Fatal(err)
	}
	active, err := again.ActiveKey(ctx, "did:web:example.edu")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(active.ID, active.Signer != nil)

	files, _ := filepath.Glob(filepath.Join(dir, "*.jwk"))
	fi, _ := os.Stat(files[0])
	fmt.Println(fi.Mode())

	// A key file that others can read is refused.
	if err := os.Chmod(files[0], 0o644); err != nil {
		log.Fatal(err)
	}
	_, err = keys.OpenDir(dir)
	var modeErr *keys.ModeError
	fmt.Println(errors.As(err, &modeErr), modeErr.Mode)
	// Output:
	// did:web:example.edu#key-1 true
	// -rw-------
	// true -rw-r--r--
}

// remoteSigner stands for a key in a cloud KMS or an HSM: the private key
// never leaves it, and each signature is a call to it (here counted).
type remoteSigner struct {
	key   crypto.Signer // inside the KMS
	calls atomic.Int64
}

func (r *remoteSigner) Public() crypto.PublicKey { return r.key.Public() }

func (r *remoteSigner) Sign(rand io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	r.calls.Add(1) // a network round trip, in a real KMS
	return r.key.Sign(rand, digest, opts)
}

// kmsStore is a Store whose one key is in the KMS.
type kmsStore struct{ key *keys.Key }

func (s kmsStore) Key(ctx context.Context, id string) (*keys.Key, error) {
	if id != s.key.ID {
		return nil, fmt.Errorf("%w: %q", keys.ErrNoKey, id)
	}
	k := *s.key
	return &k, nil
}

func (s kmsStore) ActiveKey(ctx context.Context, controller string) (*keys.Key, error) {
	if controller != s.key.Controller {
		return nil, fmt.Errorf("%w: %q", keys.ErrNoKey, controller)
	}
	k := *s.key
	return &k, nil
}

// Any crypto.Signer plugs in: a Store returns Keys whose Signer calls a
// KMS, an HSM or a remote signer, and whoever signs through the Store never
// knows the difference.
func ExampleStore() {
	inKMS, _ := keys.Generate(keys.P256)
	remote := &remoteSigner{key: inKMS}
	k, err := keys.NewKey("did:web:example.edu#kms-1", "did:web:example.edu", remote)
	if err != nil {
		log.Fatal(err)
	}
	var store keys.Store = kmsStore{key: k}

	// What an issuer does for each credential.
	for range 3 {
		active, err := store.ActiveKey(context.Background(), "did:web:example.edu")
		if err != nil {
			log.Fatal(err)
		}
		digest := sha256.Sum256([]byte("a credential"))
		if _, err := active.Signer.Sign(nil, digest[:], crypto.SHA256); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Println("signatures made in the KMS:", remote.calls.Load())

	// The key can be published like any other; only its private part
	// cannot be exported.
	mb, _ := keys.PublicKeyMultibase(k.Public)
	fmt.Println(mb[:4])
	_, err = keys.PrivateJWK(k.Signer, k.ID)
	fmt.Println(errors.Is(err, keys.ErrUnsupportedKey))
	// Output:
	// signatures made in the KMS: 3
	// zDna
	// true
}

// An issuer publishes its keys, the retired ones too, as a did:web DID
// document and as a JWK Set.
func ExampleDIDDocument() {
	ctx := context.Background()
	store := &keys.MemoryStore{Now: func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }}
	// The W3C test keys, so that the output is fixed.
	old, _ := keys.ParseSecretKeyMultibase("z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq")
	current, _ := keys.ParseSecretKeyMultibase("z42twTcNeSYcnqg1FLuSFs2bsGH3ZqbRHFmvS9XMsYhjxvHN")
	k1, _ := keys.NewKey("did:web:example.edu#key-1", "did:web:example.edu", old)
	k2, _ := keys.NewKey("did:web:example.edu#key-2", "did:web:example.edu", current)
	if err := store.Add(ctx, k1); err != nil {
		log.Fatal(err)
	}
	if err := store.Rotate(ctx, "did:web:example.edu", k2); err != nil {
		log.Fatal(err)
	}

	doc, err := keys.DIDDocument(ctx, store, "did:web:example.edu")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(doc))

	set, err := keys.JWKSet(ctx, store, "did:web:example.edu")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(set))
	// Output:
	// {
	//   "@context": [
	//     "https://www.w3.org/ns/did/v1",
	//     "https://w3id.org/security/multikey/v1"
	//   ],
	//   "id": "did:web:example.edu",
	//   "verificationMethod": [
	//     {
	//       "id": "did:web:example.edu#key-1",
	//       "type": "Multikey",
	//       "controller": "did:web:example.edu",
	//       "publicKeyMultibase": "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
	//     },
	//     {
	//       "id": "did:web:example.edu#key-2",
	//       "type": "Multikey",
	//       "controller": "did:web:example.edu",
	//       "publicKeyMultibase": "zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP"
	//     }
	//   ],
	//   "assertionMethod": [
	//     "did:web:example.edu#key-1",
	//     "did:web:example.edu#key-2"
	//   ]
	// }
	// {
	//   "keys": [
	//     {
	//       "alg": "EdDSA",
	//       "crv": "Ed25519",
	//       "kid": "did:web:example.edu#key-1",
	//       "kty": "OKP",
	//       "x": "sA2Nk45_dz1RVlqtNqYj9TRPf10ZYPnPPo4SYg6igQ8"
	//     },
	//     {
	//       "alg": "ES256",
	//       "crv": "P-256",
	//       "kid": "did:web:example.edu#key-2",
	//       "kty": "EC",
	//       "x": "YP7UuiVanTHJYet0xjVtaMBJuJI7Yfps5mliLmDyn7Y",
	//       "y": "eQP-EAi4vJmkGunpVii8ZPLxsgwtfp9Rd6PClNRGIpk"
	//     }
	//   ]
	// }
}

// An issuer identified by an HTTPS URL hosts a controller document there.
func ExampleMultikeyDocument() {
	ctx := context.Background()
	// The Open Badges 3.0 implementation guide's test key.
	signer, _ := keys.ParseSecretKeyMultibase("zrv2bqTbNwCTsRrHFcJCPjVAduh4Ezcnoq1A3ZxH1GWTNkxipLVuaAoMFmze2gFN9oNXfJjufxSHWVZzsJiUsMHFMcx")
	mb, _ := keys.PublicKeyMultibase(signer.Public())
	issuer := "https://example.edu/issuers/565049"
	k, _ := keys.NewKey(issuer+"#"+mb, issuer, signer)
	var store keys.MemoryStore // the zero value is ready to use
	if err := store.Add(ctx, k); err != nil {
		log.Fatal(err)
	}

	doc, err := keys.MultikeyDocument(ctx, &store, issuer)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(doc))
	// Output:
	// {
	//   "@context": [
	//     "https://www.w3.org/ns/did/v1",
	//     "https://w3id.org/security/multikey/v1"
	//   ],
	//   "id": "https://example.edu/issuers/565049",
	//   "verificationMethod": [
	//     {
	//       "id": "https://example.edu/issuers/565049#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi",
	//       "type": "Multikey",
	//       "controller": "https://example.edu/issuers/565049",
	//       "publicKeyMultibase": "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
	//     }
	//   ],
	//   "assertionMethod": [
	//     "https://example.edu/issuers/565049#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
	//   ]
	// }
}

// A JWK carrying private members is refused where a public key is
// expected.
func ExampleParsePublicJWK() {
	pub, kid, err := keys.ParsePublicJWK([]byte(`{"kty":"OKP","crv":"Ed25519","kid":"key-4","x":"NvUhsjZe7Mdv8Esoc60o3ma1U5j2tFUTDsOQd39xMnI"}`))
	if err != nil {
		log.Fatal(err)
	}
	alg, _ := keys.AlgorithmOf(pub)
	fmt.Println(kid, alg)

	_, _, err = keys.ParsePublicJWK([]byte(`{"kty":"OKP","crv":"Ed25519","x":"NvUhsjZe7Mdv8Esoc60o3ma1U5j2tFUTDsOQd39xMnI","d":"cbxP1TvbhLteRSspEvwxEuFKRDHWpGmPla8ePI0cmv8"}`))
	fmt.Println(err)
	// Output:
	// key-4 EdDSA
	// keys: invalid JWK: private member "d" where a public key is expected
}

// A private key file is read only if group and others have no access to
// it; the error says how to fix the mode.
func ExampleReadPrivateFile() {
	dir, err := os.MkdirTemp("", "keys-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	signer, err := keys.Generate(keys.Ed25519)
	if err != nil {
		log.Fatal(err)
	}
	jwk, err := keys.PrivateJWK(signer, "")
	if err != nil {
		log.Fatal(err)
	}
	path := filepath.Join(dir, "issuer.jwk")
	if err := os.WriteFile(path, jwk, 0o644); err != nil { // a mistake
		log.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil { // whatever the umask
		log.Fatal(err)
	}

	_, err = keys.ReadPrivateFile(path, keys.MaxJWKSize)
	var modeErr *keys.ModeError
	fmt.Println(errors.As(err, &modeErr), modeErr.Mode)

	if err := os.Chmod(path, 0o600); err != nil {
		log.Fatal(err)
	}
	data, err := keys.ReadPrivateFile(path, keys.MaxJWKSize)
	if err != nil {
		log.Fatal(err)
	}
	again, _, err := keys.ParsePrivateJWK(data)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(again.Public().(ed25519.PublicKey).Equal(signer.Public()))
	// Output:
	// true -rw-r--r--
	// true
}

// A key directory can keep its private keys encrypted under a passphrase:
// publishing needs none, signing does. (The example uses the smallest
// scrypt work factor to run fast; leave ScryptLogN zero for the strong
// default.)
func ExampleOpenDirWithOptions() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "keys-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	passphrase := []byte("correct horse battery staple")
	store, err := keys.OpenDirWithOptions(dir, &keys.DirOptions{Passphrase: passphrase, ScryptLogN: keys.MinScryptLogN})
	if err != nil {
		log.Fatal(err)
	}
	signer, err := keys.Generate(keys.Ed25519)
	if err != nil {
		log.Fatal(err)
	}
	k, err := keys.NewKey("did:web:example.edu#key-1", "did:web:example.edu", signer)
	if err != nil {
		log.Fatal(err)
	}
	if err := store.Add(ctx, k); err != nil {
		log.Fatal(err)
	}

	// Without the passphrase: the public keys, but no signing.
	public, err := keys.OpenDir(dir)
	if err != nil {
		log.Fatal(err)
	}
	list, err := public.Keys(ctx, "did:web:example.edu")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(list), list[0].ID)
	_, err = public.ActiveKey(ctx, "did:web:example.edu")
	fmt.Println(errors.Is(err, keys.ErrPassphrase))

	// With it, the active key signs.
	active, err := store.ActiveKey(ctx, "did:web:example.edu")
	if err != nil {
		log.Fatal(err)
	}
	sig, err := active.Signer.Sign(nil, []byte("hello"), crypto.Hash(0))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ed25519.Verify(signer.Public().(ed25519.PublicKey), []byte("hello"), sig))
	// Output:
	// 1 did:web:example.edu#key-1
	// true
	// true
}

// A file put in a key directory by hand, such as a JWK written by another
// tool, is not read; Ignored names it and says what to do.
func ExampleDirStore_Ignored() {
	dir, err := os.MkdirTemp("", "keys-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, "issuer.jwk"), []byte(`{}`), 0o600); err != nil {
		log.Fatal(err)
	}
	store, err := keys.OpenDir(dir)
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range store.Ignored() {
		fmt.Printf("%s: %s\n", f.Name, f.Reason)
	}
	// Output:
	// issuer.jwk: named issuer.jwk, not the SHA-256 of its kid, so the store does not read it: add the key with keys.DirStore.Add (openbadges keygen --store DIR --controller ID --import FILE), which names its file, then remove this one
}

// A key is also an identifier of its own: a did:key (or, for an RSA key, a
// did:jwk) that a verifier resolves without any document.
func ExampleDID() {
	signer := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	did, _ := keys.DID(signer.Public())
	vm, _ := keys.DIDVerificationMethod(signer.Public())
	fmt.Println(did)
	fmt.Println(vm == did+"#"+did[len("did:key:"):])
	// Output:
	// did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp
	// true
}
