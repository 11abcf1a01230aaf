package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/obapi/hoststore"
)

// recordsBackends are the hoststore.Records under test: the memory ones,
// the reference, and the SQL ones.
func recordsBackends() []struct {
	name string
	sql  bool
	url  func(testing.TB) string
	open func(t testing.TB) hoststore.Records
} {
	type rb = struct {
		name string
		sql  bool
		url  func(testing.TB) string
		open func(t testing.TB) hoststore.Records
	}
	out := []rb{{name: "memory", open: func(t testing.TB) hoststore.Records { return &hoststore.MemoryRecords{} }}}
	for _, b := range sqlBackends() {
		out = append(out, rb{name: b.name, sql: true, url: b.url, open: func(t testing.TB) hoststore.Records {
			return openURL(t, b.url(t), nil).OBAPIRecords()
		}})
	}
	return out
}

// TestOBAPIRecordsConformance runs the contract of hoststore.Records
// against its memory implementation and the SQL ones.
func TestOBAPIRecordsConformance(t *testing.T) {
	ctx := context.Background()
	cred := func(key string, minutes int, jws bool) hoststore.Credential {
		data := `{"id": "` + key + `"}`
		if jws {
			data = "eyJ." + key + ".sig"
		}
		return hoststore.Credential{Key: key, Data: []byte(data), JWS: jws, Issued: t0.Add(time.Duration(minutes) * time.Minute)}
	}
	keys := func(cs []hoststore.Credential) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Key)
		}
		return out
	}
	for _, b := range recordsBackends() {
		t.Run(b.name, func(t *testing.T) {
			r := b.open(t)
			// Issued out of order, two at the same time: the order is by
			// issue time, then key.
			for _, c := range []hoststore.Credential{cred("c", 3, false), cred("a", 1, true), cred("e", 5, false), cred("b", 3, false), cred("d", 4, true)} {
				created, err := r.Upsert(ctx, "ada", c)
				if err != nil || !created {
					t.Fatalf("Upsert %s: %v %v", c.Key, created, err)
				}
			}
			if _, err := r.Upsert(ctx, "bob", cred("a", 1, false)); err != nil {
				t.Fatal(err)
			}
			replaced := cred("c", 0, true)
			if created, err := r.Upsert(ctx, "ada", replaced); err != nil || created {
				t.Fatalf("replace: %v %v", created, err)
			}
			tests := []struct {
				page  hoststore.Page
				want  []string
				total int
			}{
				{hoststore.Page{Limit: 10}, []string{"c", "a", "b", "d", "e"}, 5},
				{hoststore.Page{Limit: 2}, []string{"c", "a"}, 5},
				{hoststore.Page{Limit: 2, Offset: 2}, []string{"b", "d"}, 5},
				{hoststore.Page{Limit: 2, Offset: 4}, []string{"e"}, 5},
				{hoststore.Page{Limit: 2, Offset: 9}, nil, 5},
				{hoststore.Page{Limit: 10, Since: t0.Add(3 * time.Minute)}, []string{"d", "e"}, 2},
				{hoststore.Page{Limit: 10, Since: t0.Add(time.Hour)}, nil, 0},
			}
			for _, tt := range tests {
				page, total, err := r.Credentials(ctx, "ada", tt.page)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tt.want, keys(page)); diff != "" || total != tt.total {
					t.Errorf("%+v: total %d, want %d; (-want +got):\n%s", tt.page, total, tt.total, diff)
				}
			}
			page, _, err := r.Credentials(ctx, "ada", hoststore.Page{Limit: 1})
			if err != nil || len(page) != 1 {
				t.Fatal(page, err)
			}
			if diff := cmp.Diff(replaced, page[0]); diff != "" {
				t.Errorf("the replaced credential (-want +got):\n%s", diff)
			}
			if page, total, err := r.Credentials(ctx, "carol", hoststore.Page{Limit: 10}); err != nil || total != 0 || len(page) != 0 {
				t.Errorf("carol: %v %d %v", page, total, err)
			}

			if _, err := r.Profile(ctx, "ada"); !errors.Is(err, hoststore.ErrNotFound) {
				t.Errorf("no profile: %v", err)
			}
			for _, p := range []string{`{"id": "did:example:ada"}`, `{"id": "did:example:ada", "name": "Ada"}`} {
				if err := r.PutProfile(ctx, "ada", []byte(p)); err != nil {
					t.Fatal(err)
				}
				if got, err := r.Profile(ctx, "ada"); err != nil || string(got) != p {
					t.Errorf("Profile: %s %v, want %s", got, err, p)
				}
			}
			if _, err := r.Profile(ctx, "bob"); !errors.Is(err, hoststore.ErrNotFound) {
				t.Errorf("bob's profile: %v", err)
			}
		})
	}
}

// TestOBAPIUpsertOnce upserts one new credential from many goroutines,
// on two handles of one database: exactly one creates it.
func TestOBAPIUpsertOnce(t *testing.T) {
	for _, b := range recordsBackends() {
		if !b.sql {
			continue
		}
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			u := b.url(t)
			rs := []*OBAPIRecords{openURL(t, u, nil).OBAPIRecords(), openURL(t, u, nil).OBAPIRecords()}
			for round := range 5 {
				var wg sync.WaitGroup
				var mu sync.Mutex
				created := 0
				for g := range 8 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						c := hoststore.Credential{Key: fmt.Sprintf("k%d", round), Data: []byte(`{}`), Issued: t0}
						ok, err := rs[g%2].Upsert(ctx, "ada", c)
						if err != nil {
							t.Error(err)
						}
						if ok {
							mu.Lock()
							created++
							mu.Unlock()
						}
					}()
				}
				wg.Wait()
				if created != 1 {
					t.Errorf("round %d: %d upserts created the credential, want 1", round, created)
				}
			}
		})
	}
}

// TestOBAPIRecordsLimits checks the limits on users, keys and data.
func TestOBAPIRecordsLimits(t *testing.T) {
	for _, b := range sqlBackends() {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			r := openURL(t, b.url(t), nil).OBAPIRecords()
			long := strings.Repeat("u", MaxOBAPIUserBytes+1)
			if _, err := r.Upsert(ctx, long, hoststore.Credential{Key: "k", Data: []byte("{}")}); !errors.Is(err, ErrValueTooLarge) {
				t.Errorf("a long user: %v", err)
			}
			if _, err := r.Upsert(ctx, "ada", hoststore.Credential{Key: strings.Repeat("k", MaxOBAPIKeyBytes+1), Data: []byte("{}")}); !errors.Is(err, ErrValueTooLarge) {
				t.Errorf("a long key: %v", err)
			}
			if err := r.PutProfile(ctx, long, []byte("{}")); !errors.Is(err, ErrValueTooLarge) {
				t.Errorf("a long user's profile: %v", err)
			}
			if _, err := r.Upsert(ctx, "", hoststore.Credential{Key: "k"}); err == nil {
				t.Error("no user")
			}
			cancelled, cancel := context.WithCancel(ctx)
			cancel()
			if _, _, err := r.Credentials(cancelled, "ada", hoststore.Page{Limit: 1}); !errors.Is(err, context.Canceled) {
				t.Errorf("cancelled: %v", err)
			}
		})
	}
}
