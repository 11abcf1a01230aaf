package keys

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// mutableStore is what both built-in stores offer.
type mutableStore interface {
	Lister
	Add(ctx context.Context, k *Key) error
	Rotate(ctx context.Context, controller string, next *Key) error
}

// clock is a settable time source for a store's Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// storeKinds opens an empty store of each built-in kind.
var storeKinds = []struct {
	name string
	open func(t testing.TB, now func() time.Time) mutableStore
}{
	{"MemoryStore", func(t testing.TB, now func() time.Time) mutableStore {
		return &MemoryStore{Now: now}
	}},
	{"DirStore", func(t testing.TB, now func() time.Time) mutableStore {
		s, err := OpenDir(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		s.Now = now
		return s
	}},
}

// summary is what a test compares of a Key.
type summary struct {
	ID, Controller      string
	Algorithm           Algorithm
	NotBefore, NotAfter time.Time
	CanSign             bool
}

func summarize(ks ...*Key) []summary {
	out := make([]summary, len(ks))
	for i, k := range ks {
		out[i] = summary{k.ID, k.Controller, k.Algorithm, k.NotBefore, k.NotAfter, k.Signer != nil}
	}
	return out
}

var (
	t0 = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	t1 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	t2 = time.Date(2026, 6, 1, 8, 30, 0, 0, time.UTC)
)

const issuer = "did:web:example.edu"

func TestStoreRotation(t *testing.T) {
	ctx := context.Background()
	for _, kind := range storeKinds {
		t.Run(kind.name, func(t *testing.T) {
			clk := &clock{t: t0}
			s := kind.open(t, clk.Now)
			k1 := mustKey(t, issuer+"#key-1", issuer, mustGenerate(t, Ed25519))
			k1.NotBefore = t0
			if err := s.Add(ctx, k1); err != nil {
				t.Fatal(err)
			}
			s2 := mustGenerate(t, P256)
			clk.Set(t1)
			if err := s.Rotate(ctx, issuer, mustKey(t, issuer+"#key-2", "", s2)); err != nil {
				t.Fatal(err)
			}
			clk.Set(t2)
			if err := s.Rotate(ctx, issuer, mustKey(t, issuer+"#key-3", issuer, mustGenerate(t, Ed25519))); err != nil {
				t.Fatal(err)
			}

			want := []summary{
				{issuer + "#key-1", issuer, EdDSA, t0, t1.Add(time.Second), false},
				{issuer + "#key-2", issuer, ES256, t1, t2.Add(time.Second), false},
				{issuer + "#key-3", issuer, EdDSA, t2, time.Time{}, true},
			}
			ks, err := s.Keys(ctx, issuer)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmpDiff(want, summarize(ks...)); diff != "" {
				t.Errorf("Keys (-want +got):\n%s", diff)
			}
			active, err := s.ActiveKey(ctx, issuer)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmpDiff(want[2:], summarize(active)); diff != "" {
				t.Errorf("ActiveKey (-want +got):\n%s", diff)
			}
			for i, w := range want {
				k, err := s.Key(ctx, w.ID)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmpDiff(want[i:i+1], summarize(k)); diff != "" {
					t.Errorf("Key(%s) (-want +got):\n%s", w.ID, diff)
				}
			}

			// The retired key 2 still verifies what it signed in its window.
			old, _ := s.Key(ctx, issuer+"#key-2")
			msg := []byte("badge signed in 2025")
			if !verifies(t, old.Public, msg, signDigest(t, s2, msg)) {
				t.Error("the retired key no longer verifies")
			}
			got := map[string]bool{
				"before its window": old.ValidAt(t1.Add(-time.Second)),
				"at rotation 1":     old.ValidAt(t1),
				"inside":            old.ValidAt(t1.Add(time.Hour)),
				"at rotation 2":     old.ValidAt(t2),
				"a second later":    old.ValidAt(t2.Add(time.Second)),
			}
			wantValid := map[string]bool{"before its window": false, "at rotation 1": true, "inside": true, "at rotation 2": true, "a second later": false}
			if diff := cmpDiff(wantValid, got); diff != "" {
				t.Errorf("ValidAt (-want +got):\n%s", diff)
			}
			if old.Signer != nil || old.Retired() == false {
				t.Error("a retired key can still sign")
			}
		})
	}
}

// TestRotationWindowRounding rotates at a time with a fraction of a
// second: the old key's window ends at the end of that second, the new
// key's starts at its start.
func TestRotationWindowRounding(t *testing.T) {
	ctx := context.Background()
	for _, kind := range storeKinds {
		t.Run(kind.name, func(t *testing.T) {
			at := t1.Add(300 * time.Millisecond)
			s := kind.open(t, func() time.Time { return at })
			if err := s.Add(ctx, mustKey(t, issuer+"#key-1", issuer, mustGenerate(t, Ed25519))); err != nil {
				t.Fatal(err)
			}
			if err := s.Rotate(ctx, issuer, mustKey(t, issuer+"#key-2", issuer, mustGenerate(t, Ed25519))); err != nil {
				t.Fatal(err)
			}
			ks, err := s.Keys(ctx, issuer)
			if err != nil {
				t.Fatal(err)
			}
			want := []summary{
				{issuer + "#key-1", issuer, EdDSA, time.Time{}, t1.Add(time.Second), false},
				{issuer + "#key-2", issuer, EdDSA, t1, time.Time{}, true},
			}
			if diff := cmpDiff(want, summarize(ks...)); diff != "" {
				t.Errorf("Keys (-want +got):\n%s", diff)
			}
			// A proof created at the rotation, written in whole seconds, fits
			// either key.
			if !ks[0].ValidAt(t1) || !ks[1].ValidAt(t1) {
				t.Error("a proof dated the second of the rotation fits neither key")
			}
		})
	}
}

func TestStoreRules(t *testing.T) {
	ctx := context.Background()
	for _, kind := range storeKinds {
		t.Run(kind.name, func(t *testing.T) {
			s := kind.open(t, func() time.Time { return t1 })
			signer := mustGenerate(t, Ed25519)
			k1 := mustKey(t, issuer+"#key-1", issuer, signer)
			if err := s.Add(ctx, k1); err != nil {
				t.Fatal(err)
			}
			other := mustGenerate(t, Ed25519)
			retiredWithSigner := &Key{ID: issuer + "#old", Controller: issuer, Signer: other, NotBefore: t0, NotAfter: t1}

			for _, c := range []struct {
				name string
				err  error
				is   error
				msg  string
			}{
				{"second active key", s.Add(ctx, mustKey(t, issuer+"#key-2", issuer, mustGenerate(t, Ed25519))), ErrActiveKeyExists, `"did:web:example.edu" has active key "did:web:example.edu#key-1"`},
				{"same ID", s.Add(ctx, mustKey(t, issuer+"#key-1", "did:web:other.edu", mustGenerate(t, Ed25519))), ErrKeyExists, `"did:web:example.edu#key-1"`},
				{"rotate to an existing ID", s.Rotate(ctx, issuer, mustKey(t, issuer+"#key-1", issuer, mustGenerate(t, Ed25519))), ErrKeyExists, "to itself"},
				{"rotate a controller without keys", s.Rotate(ctx, "did:web:nobody.edu", mustKey(t, "did:web:nobody.edu#1", "", mustGenerate(t, Ed25519))), ErrNoKey, "has no active key to rotate"},
				{"rotate to another controller's key", s.Rotate(ctx, issuer, mustKey(t, "did:web:other.edu#1", "did:web:other.edu", mustGenerate(t, Ed25519))), nil, `given a key of controller "did:web:other.edu"`},
				{"rotate to a retired key", s.Rotate(ctx, issuer, &Key{ID: issuer + "#r", Controller: issuer, Public: other.Public(), NotAfter: t1}), nil, "which is retired"},
				{"rotate to a key not yet valid", s.Rotate(ctx, issuer, &Key{ID: issuer + "#f", Signer: other, NotBefore: t2}), nil, "is later than now"},
				{"rotate to nil", s.Rotate(ctx, issuer, nil), nil, "needs the next key"},
				{"nil key", s.Add(ctx, nil), nil, "nil Key"},
				{"no ID", s.Add(ctx, &Key{Controller: issuer, Signer: other}), nil, "needs an ID"},
				{"no controller", s.Add(ctx, &Key{ID: "x", Signer: other}), nil, "has no Controller"},
				{"no public key", s.Add(ctx, &Key{ID: "x", Controller: "c", NotAfter: t1}), nil, "has no public key"},
				{"active without a signer", s.Add(ctx, &Key{ID: "x", Controller: "c", Public: other.Public()}), nil, "is active (no NotAfter) but has no Signer"},
				{"signer of another key", s.Add(ctx, &Key{ID: "x", Controller: "c", Public: signer.Public(), Signer: other}), nil, "the Signer's public key is not Public"},
				{"wrong algorithm", s.Add(ctx, &Key{ID: "x", Controller: "c", Signer: other, Algorithm: ES256}), nil, "Algorithm ES256 does not fit a key that signs with EdDSA"},
				{"empty window", s.Add(ctx, &Key{ID: "x", Controller: "c", Public: other.Public(), NotBefore: t1, NotAfter: t1}), nil, "is not before NotAfter"},
				{"unsupported key", s.Add(ctx, &Key{ID: "x", Controller: "c", Public: "not a key", NotAfter: t1}), ErrUnsupportedKey, `key "x"`},
				{"Key not found", keyErr(s.Key(ctx, "did:web:example.edu#nope")), ErrNoKey, `"did:web:example.edu#nope"`},
				{"ActiveKey not found", keyErr(s.ActiveKey(ctx, "did:web:nobody.edu")), ErrNoKey, `"did:web:nobody.edu" has no active key`},
				{"Keys not found", keysErr(s.Keys(ctx, "did:web:nobody.edu")), ErrNoKey, `"did:web:nobody.edu" has no keys`},
			} {
				checkErr(t, c.name, c.err, c.is, c.msg)
			}

			// A retired key may be added beside the active one; it keeps no
			// Signer.
			if err := s.Add(ctx, retiredWithSigner); err != nil {
				t.Fatal(err)
			}
			k, err := s.Key(ctx, issuer+"#old")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmpDiff(summarize(&Key{ID: issuer + "#old", Controller: issuer, Algorithm: EdDSA, NotBefore: t0, NotAfter: t1}), summarize(k)); diff != "" {
				t.Errorf("retired key (-want +got):\n%s", diff)
			}
			if retiredWithSigner.Signer == nil {
				t.Error("Add changed the caller's Key")
			}

			// Failed calls changed nothing.
			ks, err := s.Keys(ctx, issuer)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmpDiff([]string{issuer + "#key-1", issuer + "#old"}, ids(ks)); diff != "" {
				t.Errorf("keys (-want +got):\n%s", diff)
			}

			// Returned keys are copies.
			a, _ := s.ActiveKey(ctx, issuer)
			a.NotAfter, a.Signer, a.ID = t2, nil, "changed"
			b, _ := s.ActiveKey(ctx, issuer)
			if b.ID != issuer+"#key-1" || b.Signer == nil || b.Retired() {
				t.Error("changing a returned Key changed the store")
			}

			// A cancelled context stops every method.
			cancelled, cancel := context.WithCancel(ctx)
			cancel()
			for name, err := range map[string]error{
				"Add":       s.Add(cancelled, mustKey(t, "c#1", "c", other)),
				"Rotate":    s.Rotate(cancelled, issuer, mustKey(t, "c#2", "", other)),
				"Key":       keyErr(s.Key(cancelled, issuer+"#key-1")),
				"ActiveKey": keyErr(s.ActiveKey(cancelled, issuer)),
				"Keys":      keysErr(s.Keys(cancelled, issuer)),
			} {
				if !errors.Is(err, context.Canceled) {
					t.Errorf("%s with a cancelled context: %v", name, err)
				}
			}
		})
	}
}

func keyErr(_ *Key, err error) error    { return err }
func keysErr(_ []*Key, err error) error { return err }
func ids(ks []*Key) []string {
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = k.ID
	}
	return out
}

// TestStoreConcurrency runs Add, Key, ActiveKey, Keys and Rotate at once;
// run it with -race.
func TestStoreConcurrency(t *testing.T) {
	ctx := context.Background()
	for _, kind := range storeKinds {
		t.Run(kind.name, func(t *testing.T) {
			clk := &clock{t: t0}
			s := kind.open(t, clk.Now)
			if err := s.Add(ctx, mustKey(t, issuer+"#0", issuer, mustGenerate(t, Ed25519))); err != nil {
				t.Fatal(err)
			}
			const workers, rounds = 8, 5
			var wg sync.WaitGroup
			errs := make(chan error, workers*rounds*4)
			for w := range workers {
				wg.Go(func() {
					controller := fmt.Sprintf("did:web:w%d.example", w)
					for r := range rounds {
						k := mustKey(t, fmt.Sprintf("%s#%d", controller, r), controller, mustGenerate(t, Ed25519))
						var err error
						if r == 0 {
							err = s.Add(ctx, k)
						} else {
							err = s.Rotate(ctx, controller, k)
						}
						if err != nil {
							errs <- err
						}
						if a, err := s.ActiveKey(ctx, issuer); err != nil {
							errs <- err
						} else if _, err := a.Signer.Sign(nil, []byte("digest"), crypto.Hash(0)); err != nil {
							errs <- err
						}
						if _, err := s.Key(ctx, issuer+"#0"); err != nil {
							errs <- err
						}
						if _, err := s.Keys(ctx, controller); err != nil {
							errs <- err
						}
					}
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
			for w := range workers {
				ks, err := s.Keys(ctx, fmt.Sprintf("did:web:w%d.example", w))
				if err != nil {
					t.Fatal(err)
				}
				active := 0
				for _, k := range ks {
					if !k.Retired() {
						active++
					}
				}
				if len(ks) != rounds || active != 1 {
					t.Errorf("worker %d: %d keys, %d active; want %d and 1", w, len(ks), active, rounds)
				}
			}
		})
	}
}
