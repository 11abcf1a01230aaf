package sqlstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/go-openbadges/openbadges/internal/kv"
	"github.com/go-openbadges/openbadges/obapi/hoststore"
	"github.com/go-openbadges/openbadges/oid4vci"
)

var (
	_ oid4vci.Store   = (*OID4VCIStore)(nil)
	_ hoststore.Store = (*OBAPIStore)(nil)
)

// oid4vciBackend is one oid4vci.Store under test: oid4vci.MemoryStore,
// the reference, and the SQL stores.
type oid4vciBackend struct {
	name string
	sql  bool
	url  func(t testing.TB) string
	open func(t testing.TB, now func() time.Time) oid4vci.Store
	// of is a SQL backend's store of db.
	of func(db *DB) oid4vci.Store
}

func oid4vciBackends() []oid4vciBackend {
	out := []oid4vciBackend{{name: "memory", open: func(t testing.TB, now func() time.Time) oid4vci.Store {
		return &oid4vci.MemoryStore{Now: now}
	}}}
	// The OB 3.0 API host's store keeps the same contract, in a table of
	// its own.
	out = append(out, oid4vciBackend{name: "obapi-memory", open: func(t testing.TB, now func() time.Time) oid4vci.Store {
		return &hoststore.MemoryStore{Memory: kv.Memory{Now: now}}
	}})
	for _, of := range []struct {
		prefix string
		of     func(db *DB) oid4vci.Store
	}{
		{"", func(db *DB) oid4vci.Store { return db.OID4VCI() }},
		{"obapi-", func(db *DB) oid4vci.Store { return db.OBAPI() }},
	} {
		for _, b := range sqlBackends() {
			out = append(out, oid4vciBackend{name: of.prefix + b.name, sql: true, url: b.url, of: of.of, open: func(t testing.TB, now func() time.Time) oid4vci.Store {
				return of.of(openURL(t, b.url(t), &Options{Now: now}))
			}})
		}
	}
	return out
}

// clock is a settable time for a store's Put and the test's Get and Take.
type clock struct{ ns atomic.Int64 }

func newClock(t time.Time) *clock {
	c := &clock{}
	c.set(t)
	return c
}

func (c *clock) now() time.Time      { return time.Unix(0, c.ns.Load()).UTC() }
func (c *clock) set(t time.Time)     { c.ns.Store(t.UnixNano()) }
func (c *clock) add(d time.Duration) { c.ns.Add(int64(d)) }

// TestOID4VCIStoreConformance runs the contract of oid4vci.Store against
// its memory implementation and the SQL ones.
func TestOID4VCIStoreConformance(t *testing.T) {
	const key = "token:47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU"
	value := []byte{0, 1, 2, 0xff, '{', '"'}
	exp := t0.Add(time.Minute)
	type step struct {
		op      string // put, get, take, tick (advance the clock by d)
		key     string // if empty, key
		value   []byte // put
		expires time.Time
		d       time.Duration
		want    []byte
		err     error
	}
	cases := []struct {
		name  string
		steps []step
	}{
		{"get and take missing", []step{
			{op: "get", err: oid4vci.ErrNotFound},
			{op: "take", err: oid4vci.ErrNotFound},
		}},
		{"get keeps, take removes", []step{
			{op: "put", value: value, expires: exp},
			{op: "get", want: value},
			{op: "get", want: value},
			{op: "take", want: value},
			{op: "take", err: oid4vci.ErrNotFound},
			{op: "get", err: oid4vci.ErrNotFound},
			{op: "put", value: []byte("again"), expires: exp},
			{op: "get", want: []byte("again")},
		}},
		{"no value", []step{
			{op: "put", expires: exp},
			{op: "get", want: []byte{}},
			{op: "take", want: []byte{}},
			{op: "put", expires: exp},
			{op: "put", expires: exp, err: oid4vci.ErrExists},
		}},
		{"live entry kept", []step{
			{op: "put", value: value, expires: exp},
			{op: "put", value: []byte("other"), expires: exp.Add(time.Hour), err: oid4vci.ErrExists},
			{op: "tick", d: time.Minute - time.Nanosecond},
			{op: "put", value: []byte("other"), expires: exp.Add(time.Hour), err: oid4vci.ErrExists},
			{op: "get", want: value},
		}},
		{"expired entry replaced", []step{
			{op: "put", value: value, expires: exp},
			{op: "tick", d: time.Minute},
			{op: "get", err: oid4vci.ErrNotFound},
			{op: "put", value: []byte("new"), expires: exp.Add(time.Hour)},
			{op: "take", want: []byte("new")},
		}},
		{"expiry is exclusive", []step{
			{op: "put", value: value, expires: exp},
			{op: "tick", d: time.Minute - time.Nanosecond},
			{op: "get", want: value},
			{op: "tick", d: time.Nanosecond},
			{op: "get", err: oid4vci.ErrNotFound},
			{op: "take", err: oid4vci.ErrNotFound},
		}},
		{"born expired", []step{
			{op: "put", value: value, expires: t0.Add(-time.Second)},
			{op: "get", err: oid4vci.ErrNotFound},
			{op: "take", err: oid4vci.ErrNotFound},
			{op: "put", value: value, expires: time.Time{}},
			{op: "get", err: oid4vci.ErrNotFound},
		}},
		{"far future", []step{
			{op: "put", value: value, expires: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)},
			{op: "tick", d: 100 * 365 * 24 * time.Hour},
			{op: "take", want: value},
		}},
		{"keys apart", []step{
			{op: "put", key: "nonce:a", value: []byte("a"), expires: exp},
			{op: "put", key: "nonce:b", value: []byte("b"), expires: exp},
			{op: "take", key: "nonce:a", want: []byte("a")},
			{op: "get", key: "nonce:b", want: []byte("b")},
			{op: "get", key: "nonce:A", err: oid4vci.ErrNotFound},
		}},
	}
	for _, b := range oid4vciBackends() {
		t.Run(b.name, func(t *testing.T) {
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					ctx := context.Background()
					clk := newClock(t0)
					s := b.open(t, clk.now)
					for i, st := range c.steps {
						k := st.key
						if k == "" {
							k = key
						}
						var got []byte
						var err error
						switch st.op {
						case "put":
							err = s.Put(ctx, k, st.value, st.expires)
						case "get":
							got, err = s.Get(ctx, k, clk.now())
						case "take":
							got, err = s.Take(ctx, k, clk.now())
						case "tick":
							clk.add(st.d)
							continue
						}
						if !errors.Is(err, st.err) || (err != nil) != (st.err != nil) {
							t.Fatalf("step %d, %s: %v, want %v", i, st.op, err, st.err)
						}
						if d := cmp.Diff(st.want, got, cmpopts.EquateEmpty()); d != "" {
							t.Errorf("step %d, %s (-want +got):\n%s", i, st.op, d)
						}
						if len(got) > 0 {
							got[0] ^= 0xff // what it returned is the caller's
						}
					}
				})
			}
		})
	}
}

// TestOID4VCIStoreCopies checks that a store keeps its own copy of the
// value it is given, and gives out copies.
func TestOID4VCIStoreCopies(t *testing.T) {
	for _, b := range oid4vciBackends() {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			s := b.open(t, nil)
			v := []byte("value")
			if err := s.Put(ctx, "k", v, time.Now().Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			v[0] = 'X'
			got, err := s.Get(ctx, "k", time.Now())
			if err != nil || string(got) != "value" {
				t.Fatalf("Get after the caller changed its value: %q, %v", got, err)
			}
			got[0] = 'Y'
			if got, _ := s.Take(ctx, "k", time.Now()); string(got) != "value" {
				t.Errorf("Take after the caller changed what Get returned: %q", got)
			}
		})
	}
}

// TestOID4VCITakeOnce takes each of many keys from many goroutines at
// once, through two DBs on one database (as two instances of an issuer
// would), and checks that each key is taken exactly once; and puts one
// key from many goroutines, of which one may succeed.
func TestOID4VCITakeOnce(t *testing.T) {
	for _, b := range oid4vciBackends() {
		if !b.sql {
			continue
		}
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			u := b.url(t)
			stores := []oid4vci.Store{b.of(openURL(t, u, nil)), b.of(openURL(t, u, nil))}
			const keys, takers = 20, 8
			exp := time.Now().Add(time.Hour)
			for k := range keys {
				if err := stores[k%2].Put(ctx, fmt.Sprintf("code:%d", k), []byte{byte(k)}, exp); err != nil {
					t.Fatal(err)
				}
			}
			var won [keys]atomic.Int32
			var wg sync.WaitGroup
			for g := range takers {
				wg.Go(func() {
					for k := range keys {
						v, err := stores[g%2].Take(ctx, fmt.Sprintf("code:%d", k), time.Now())
						switch {
						case err == nil && bytes.Equal(v, []byte{byte(k)}):
							won[k].Add(1)
						case err == nil:
							t.Errorf("Take of code:%d: %v", k, v)
						case !errors.Is(err, oid4vci.ErrNotFound):
							t.Errorf("Take of code:%d: %v", k, err)
						}
					}
				})
			}
			wg.Wait()
			for k := range keys {
				if n := won[k].Load(); n != 1 {
					t.Errorf("code:%d taken %d times, want once", k, n)
				}
			}

			var put atomic.Int32
			for g := range takers {
				wg.Go(func() {
					err := stores[g%2].Put(ctx, "nonce:used", nil, exp)
					switch {
					case err == nil:
						put.Add(1)
					case !errors.Is(err, oid4vci.ErrExists):
						t.Errorf("Put: %v", err)
					}
				})
			}
			wg.Wait()
			if n := put.Load(); n != 1 {
				t.Errorf("%d Puts of one key succeeded, want 1", n)
			}
		})
	}
}

// TestOID4VCISweep checks that Sweep removes the expired entries, only
// them, and that Put sweeps now and then.
func TestOID4VCISweep(t *testing.T) {
	for _, b := range sqlBackends() {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			clk := newClock(t0)
			db := openURL(t, b.url(t), &Options{Now: clk.now})
			s := db.OID4VCI()
			count := func() int {
				t.Helper()
				var n int
				if err := db.db.QueryRowContext(ctx, "SELECT count(*) FROM openbadges_oid4vci").Scan(&n); err != nil {
					t.Fatal(err)
				}
				return n
			}
			for k := range 2*sweepBatch + 10 {
				if err := s.Put(ctx, fmt.Sprintf("nonce:%d", k), nil, t0.Add(time.Duration(1+k%2)*time.Hour)); err != nil {
					t.Fatal(err)
				}
			}
			clk.add(90 * time.Minute)
			n, err := s.Sweep(ctx)
			if err != nil || n != sweepBatch+5 {
				t.Errorf("Sweep: %d, %v; want %d", n, err, sweepBatch+5)
			}
			if got := count(); got != sweepBatch+5 {
				t.Errorf("%d entries after Sweep, want %d", got, sweepBatch+5)
			}
			clk.add(time.Hour)
			if err := s.Put(ctx, "nonce:last", nil, clk.now().Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			if got := count(); got != 6 {
				t.Errorf("%d entries after a Put that sweeps, want 6", got)
			}
			if n, err := s.Sweep(ctx); n != 5 || err != nil {
				t.Errorf("Sweep: %d, %v; want 5", n, err)
			}
		})
	}
}

// TestOID4VCILimits checks the limits on keys and values, and that a
// cancelled context is an error.
func TestOID4VCILimits(t *testing.T) {
	for _, b := range sqlBackends() {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			s := openURL(t, b.url(t), nil).OID4VCI()
			exp := time.Now().Add(time.Hour)
			long := strings.Repeat("k", MaxOID4VCIKeyBytes+1)
			if err := s.Put(ctx, long, nil, exp); !errors.Is(err, ErrValueTooLarge) {
				t.Errorf("Put of a long key: %v", err)
			}
			if err := s.Put(ctx, "k", make([]byte, MaxOID4VCIValueBytes+1), exp); !errors.Is(err, ErrValueTooLarge) {
				t.Errorf("Put of a large value: %v", err)
			}
			if err := s.Put(ctx, "", nil, exp); err == nil {
				t.Error("Put of an empty key succeeded")
			}
			if _, err := s.Get(ctx, long, time.Now()); !errors.Is(err, oid4vci.ErrNotFound) {
				t.Errorf("Get of a long key: %v", err)
			}
			if _, err := s.Take(ctx, long, time.Now()); !errors.Is(err, oid4vci.ErrNotFound) {
				t.Errorf("Take of a long key: %v", err)
			}
			big := bytes.Repeat([]byte{7}, MaxOID4VCIValueBytes)
			if err := s.Put(ctx, "k", big, exp); err != nil {
				t.Fatal(err)
			}
			if got, err := s.Take(ctx, "k", time.Now()); err != nil || !bytes.Equal(got, big) {
				t.Errorf("Take of the largest value: %d bytes, %v", len(got), err)
			}

			cancelled, cancel := context.WithCancel(ctx)
			cancel()
			calls := map[string]func() error{
				"Put":   func() error { return s.Put(cancelled, "c", nil, exp) },
				"Get":   func() error { _, err := s.Get(cancelled, "k", time.Now()); return err },
				"Take":  func() error { _, err := s.Take(cancelled, "k", time.Now()); return err },
				"Sweep": func() error { _, err := s.Sweep(cancelled); return err },
			}
			for name, call := range calls {
				if err := call(); !errors.Is(err, context.Canceled) {
					t.Errorf("%s with a cancelled context: %v", name, err)
				}
			}
		})
	}
}
