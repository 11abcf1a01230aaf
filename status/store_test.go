package status

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// stores are the Store implementations every store test runs against.
var stores = []struct {
	name string
	new  func(t testing.TB) Store
}{
	{"memory", func(testing.TB) Store { return &MemoryStore{} }},
	{"dir", func(t testing.TB) Store {
		s, err := OpenDir(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return s
	}},
}

func TestStoreContract(t *testing.T) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			ctx := context.Background()
			s := st.new(t)
			l, err := NewList(testURL, nil)
			if err != nil {
				t.Fatal(err)
			}
			l.Created, l.Updated = fixedNow, fixedNow
			if _, err := s.Load(ctx, testURL); !errors.Is(err, ErrNoList) {
				t.Errorf("Load before Create: %v", err)
			}
			if err := s.Update(ctx, testURL, func(*List) error { return nil }); !errors.Is(err, ErrNoList) {
				t.Errorf("Update before Create: %v", err)
			}
			if err := s.Create(ctx, l); err != nil {
				t.Fatal(err)
			}
			if err := s.Create(ctx, l); !errors.Is(err, ErrExists) {
				t.Errorf("Create twice: %v", err)
			}
			// The store keeps its own copy.
			_ = l.Allocated.Set(1, true)
			got, err := s.Load(ctx, testURL)
			if err != nil {
				t.Fatal(err)
			}
			if got.AllocatedCount() != 0 || got.Revision != 0 {
				t.Errorf("the store shares the caller's list: %d allocated, revision %d", got.AllocatedCount(), got.Revision)
			}
			_ = got.Allocated.Set(2, true) // and hands out copies
			if err := s.Update(ctx, testURL, func(l *List) error {
				if l.AllocatedCount() != 0 {
					t.Error("Update sees a change made to a Loaded copy")
				}
				_ = l.Allocated.Set(7, true)
				return l.setStatus(7, opRevoke)
			}); err != nil {
				t.Fatal(err)
			}
			boom := errors.New("boom")
			if err := s.Update(ctx, testURL, func(l *List) error {
				_ = l.Allocated.Set(8, true)
				return boom
			}); !errors.Is(err, boom) {
				t.Errorf("Update returned %v, want fn's error", err)
			}
			// Changes that would lose an allocation or a revocation, or
			// make the list inconsistent, are refused.
			for name, fn := range map[string]func(*List) error{
				"free an index":     func(l *List) error { return l.Allocated.Set(7, false) },
				"undo a revocation": func(l *List) error { return l.Status.Set(7, false) },
				"unallocated bit":   func(l *List) error { return l.Status.Set(9, true) },
				"change the URL":    func(l *List) error { l.URL = "https://example.edu/other"; return nil },
				"change the method": func(l *List) error { l.Method = Method1EdTech; return nil },
				"change purpose":    func(l *List) error { l.Purpose = Suspension; return nil },
				"shorten":           func(l *List) error { l.Status, l.Allocated = l.Status[:1024], l.Allocated[:1024]; return nil },
				"creation time":     func(l *List) error { l.Created = l.Created.Add(1); return nil },
			} {
				if err := s.Update(ctx, testURL, fn); err == nil {
					t.Errorf("Update allowed to %s", name)
				}
			}
			got, err = s.Load(ctx, testURL)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff([]int{7}, setBits(got.Allocated)); d != "" {
				t.Errorf("allocated (-want +got):\n%s", d)
			}
			if d := cmp.Diff([]int{7}, setBits(got.Status)); d != "" {
				t.Errorf("status (-want +got):\n%s", d)
			}
			if got.Revision != 1 {
				t.Errorf("revision %d, want 1", got.Revision)
			}
			ed, _ := NewList("https://example.edu/revocations", &ListOptions{Method: Method1EdTech})
			if err := s.Create(ctx, ed); err != nil {
				t.Fatal(err)
			}
			if err := s.Update(ctx, ed.URL, func(l *List) error { return l.revokeID("urn:uuid:1", "", fixedNow) }); err != nil {
				t.Fatal(err)
			}
			if err := s.Update(ctx, ed.URL, func(l *List) error { l.Revoked = nil; return nil }); err == nil {
				t.Error("Update allowed to undo a 1EdTech revocation")
			}
			urls, err := s.URLs(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff([]string{"https://example.edu/revocations", testURL}, urls); d != "" {
				t.Errorf("URLs (-want +got):\n%s", d)
			}
			cancelled, cancel := context.WithCancel(ctx)
			cancel()
			if _, err := s.Load(cancelled, testURL); !errors.Is(err, context.Canceled) {
				t.Errorf("Load with a cancelled context: %v", err)
			}
			if err := s.Update(cancelled, testURL, func(*List) error { return nil }); !errors.Is(err, context.Canceled) {
				t.Errorf("Update with a cancelled context: %v", err)
			}
		})
	}
}

// TestStoreConcurrent allocates and revokes from many goroutines at once
// (run it with -race): no index is handed out twice, none is lost, every
// revocation is kept.
func TestStoreConcurrent(t *testing.T) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			ctx := context.Background()
			s := st.new(t)
			r := &Registry{Store: s} // crypto/rand is safe for concurrent use
			if _, err := r.Create(ctx, testURL, nil); err != nil {
				t.Fatal(err)
			}
			workers, per := 8, 40
			if testing.Short() {
				per = 10
			}
			var mu sync.Mutex
			allocated := map[int]bool{}
			revoked := map[int]bool{}
			var wg sync.WaitGroup
			errs := make(chan error, workers)
			for w := range workers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range per {
						e, err := r.Allocate(ctx, testURL)
						if err != nil {
							errs <- err
							return
						}
						idx, _ := e.Index()
						mu.Lock()
						if allocated[idx] {
							mu.Unlock()
							errs <- fmt.Errorf("index %d allocated twice", idx)
							return
						}
						allocated[idx] = true
						mu.Unlock()
						if (w+i)%3 == 0 {
							if err := r.Revoke(ctx, testURL, idx); err != nil {
								errs <- err
								return
							}
							mu.Lock()
							revoked[idx] = true
							mu.Unlock()
						}
						if _, err := s.Load(ctx, testURL); err != nil {
							errs <- err
							return
						}
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
			l, err := s.Load(ctx, testURL)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(sortedKeys(allocated), setBits(l.Allocated)); d != "" {
				t.Errorf("allocated (-want +got):\n%s", d)
			}
			if d := cmp.Diff(sortedKeys(revoked), setBits(l.Status)); d != "" {
				t.Errorf("revoked (-want +got):\n%s", d)
			}
			if want := uint64(len(allocated) + len(revoked)); l.Revision != want {
				t.Errorf("revision %d, want %d", l.Revision, want)
			}
		})
	}
}

func sortedKeys(m map[int]bool) []int {
	out := make([]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Ints(out)
	if len(out) == 0 {
		return nil
	}
	return out
}

func TestListJSONRoundTrip(t *testing.T) {
	l, _ := NewList(testURL, &ListOptions{Purpose: Suspension, Length: 2 * MinListLength})
	l.Created, l.Updated, l.Revision, l.Next = fixedNow, fixedNow.Add(1e9), 9, "https://example.edu/status/2"
	for _, i := range []int{0, 3, 200000} {
		_ = l.Allocated.Set(i, true)
	}
	_ = l.Status.Set(3, true)
	data, err := l.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var back List
	if err := back.UnmarshalJSON(data); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(l, &back); d != "" {
		t.Errorf("round trip (-want +got):\n%s", d)
	}
	ed, _ := NewList("https://example.edu/revocations", &ListOptions{Method: Method1EdTech})
	ed.Created, ed.Updated = fixedNow, fixedNow
	_ = ed.revokeID("urn:uuid:1", "because", fixedNow)
	data, err = ed.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"format":"openbadges-status-list/1","url":"https://example.edu/revocations","method":"1EdTechRevocationList","purpose":"revocation","revoked":[{"id":"urn:uuid:1","reason":"because","revoked":"2025-06-01T12:00:00Z"}],"created":"2025-06-01T12:00:00Z","updated":"2025-06-01T12:00:00Z","revision":0}`
	if string(data) != want {
		t.Errorf("1EdTech list JSON:\n%s\nwant\n%s", data, want)
	}
	var back2 List
	if err := back2.UnmarshalJSON(data); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(ed, &back2); d != "" {
		t.Errorf("round trip (-want +got):\n%s", d)
	}
}

func TestListUnmarshalErrors(t *testing.T) {
	good, _ := NewList(testURL, nil)
	good.Created, good.Updated = fixedNow, fixedNow
	ok, err := good.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	short, _ := NewBitstring(1024)
	tests := []struct {
		name string
		doc  string
	}{
		{"not JSON", "{"},
		{"array", "[]"},
		{"unknown member", `{"format":"openbadges-status-list/1","extra":1}`},
		{"wrong format", string(ok[:len(ok)-1]) + `,"format":"x"}`},
		{"duplicate member", `{"format":"openbadges-status-list/1","format":"openbadges-status-list/1"}`},
		{"no bits", `{"format":"openbadges-status-list/1","url":"https://example.edu/s","method":"BitstringStatusList","purpose":"revocation","length":131072,"created":"2025-01-01T00:00:00Z","updated":"2025-01-01T00:00:00Z","revision":0}`},
		{"short bits", `{"format":"openbadges-status-list/1","url":"https://example.edu/s","method":"BitstringStatusList","purpose":"revocation","length":131072,"status":"` + short.Encode() + `","allocated":"` + short.Encode() + `","created":"2025-01-01T00:00:00Z","updated":"2025-01-01T00:00:00Z","revision":0}`},
		{"bad length", `{"format":"openbadges-status-list/1","url":"https://example.edu/s","method":"BitstringStatusList","purpose":"revocation","length":7}`},
		{"1EdTech with bits", `{"format":"openbadges-status-list/1","url":"https://example.edu/s","method":"1EdTechRevocationList","purpose":"revocation","length":131072}`},
		{"duplicate id", `{"format":"openbadges-status-list/1","url":"https://example.edu/s","method":"1EdTechRevocationList","purpose":"revocation","revoked":[{"id":"a","revoked":"2025-01-01T00:00:00Z"},{"id":"a","revoked":"2025-01-01T00:00:00Z"}],"created":"2025-01-01T00:00:00Z","updated":"2025-01-01T00:00:00Z","revision":0}`},
		{"bad URL", `{"format":"openbadges-status-list/1","url":"ftp://example.edu/s","method":"1EdTechRevocationList","purpose":"revocation","created":"2025-01-01T00:00:00Z","updated":"2025-01-01T00:00:00Z","revision":0}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var l List
			if err := l.UnmarshalJSON([]byte(tt.doc)); err == nil {
				t.Error("accepted")
			}
		})
	}
	// A status bit at an unallocated index is inconsistent.
	bad := good.Clone()
	_ = bad.Status.Set(5, true)
	if _, err := bad.MarshalJSON(); !errors.Is(err, ErrMalformed) {
		t.Errorf("MarshalJSON of an inconsistent list: %v", err)
	}
}
