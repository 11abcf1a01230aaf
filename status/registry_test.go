package status

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const testURL = "https://example.edu/status/1"

func newTestRegistry(t testing.TB, s Store) *Registry {
	t.Helper()
	c := newClock(fixedNow)
	return &Registry{Store: s, Rand: seededRand(1), Now: c.Now}
}

func TestCreate(t *testing.T) {
	ctx := context.Background()
	r := newTestRegistry(t, &MemoryStore{})
	l, err := r.Create(ctx, testURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	if l.Method != MethodBitstring || l.Purpose != Revocation || l.Length() != MinListLength || l.AllocatedCount() != 0 || !l.Created.Equal(fixedNow) {
		t.Errorf("default list: %s %s %d entries %d allocated, created %v", l.Method, l.Purpose, l.Length(), l.AllocatedCount(), l.Created)
	}
	if _, err := r.Create(ctx, testURL, nil); !errors.Is(err, ErrExists) {
		t.Errorf("second Create: %v, want ErrExists", err)
	}
	tests := []struct {
		name string
		url  string
		opts *ListOptions
		want error
	}{
		{"suspension", "https://example.edu/status/s", &ListOptions{Purpose: Suspension}, nil},
		{"long", "https://example.edu/status/long", &ListOptions{Length: 2 * MinListLength}, nil},
		{"1EdTech", "https://example.edu/revocations", &ListOptions{Method: Method1EdTech}, nil},
		{"loopback http", "http://127.0.0.1:8080/status/1", nil, nil},
		{"localhost http", "http://localhost/status/1", nil, nil},
		{"too short", "https://example.edu/status/short", &ListOptions{Length: MinListLength - 8}, ErrMalformed},
		{"too long", "https://example.edu/status/huge", &ListOptions{Length: MaxListLength + 8}, ErrMalformed},
		{"not a multiple of 8", "https://example.edu/status/odd", &ListOptions{Length: MinListLength + 1}, ErrMalformed},
		{"message purpose", "https://example.edu/status/m", &ListOptions{Purpose: "message"}, ErrUnsupported},
		{"1EdTech suspension", "https://example.edu/revocations-s", &ListOptions{Method: Method1EdTech, Purpose: Suspension}, ErrUnsupported},
		{"1EdTech length", "https://example.edu/revocations-l", &ListOptions{Method: Method1EdTech, Length: MinListLength}, ErrMalformed},
		{"unknown method", "https://example.edu/status/x", &ListOptions{Method: "StatusList2021"}, ErrUnsupported},
		{"http", "http://example.edu/status/1", nil, ErrMalformed},
		{"fragment", "https://example.edu/status/1#list", nil, ErrMalformed},
		{"relative", "/status/1", nil, ErrMalformed},
		{"userinfo", "https://user:pw@example.edu/status/1", nil, ErrMalformed},
		{"empty", "", nil, ErrMalformed},
		{"not a URL", "https://exa mple.edu/%zz", nil, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := r.Create(ctx, tt.url, tt.opts)
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("Create: %v, want %v", err, tt.want)
			}
		})
	}
	urls, err := r.Store.URLs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"http://127.0.0.1:8080/status/1", "http://localhost/status/1", testURL, "https://example.edu/revocations", "https://example.edu/status/long", "https://example.edu/status/s"}
	sort.Strings(want)
	if d := cmp.Diff(want, urls); d != "" {
		t.Errorf("URLs (-want +got):\n%s", d)
	}
}

// TestAllocateRandomUnique: indices are distinct, spread over the list,
// and not in the order they were handed out.
func TestAllocateRandomUnique(t *testing.T) {
	ctx := context.Background()
	r := newTestRegistry(t, &MemoryStore{})
	if _, err := r.Create(ctx, testURL, nil); err != nil {
		t.Fatal(err)
	}
	const n = 2000
	seen := make(map[int]bool, n)
	var order []int
	for range n {
		e, err := r.Allocate(ctx, testURL)
		if err != nil {
			t.Fatal(err)
		}
		i, err := e.Index()
		if err != nil {
			t.Fatal(err)
		}
		if seen[i] {
			t.Fatalf("index %d allocated twice", i)
		}
		seen[i] = true
		order = append(order, i)
		want := Entry{
			ID: testURL + "#" + strconv.Itoa(i), Type: "BitstringStatusListEntry", StatusPurpose: Revocation,
			StatusListIndex: strconv.Itoa(i), StatusListCredential: testURL,
		}
		if d := cmp.Diff(want, *e); d != "" {
			t.Fatalf("entry (-want +got):\n%s", d)
		}
	}
	l, err := r.Store.Load(ctx, testURL)
	if err != nil {
		t.Fatal(err)
	}
	if l.AllocatedCount() != n || l.Revision != n {
		t.Errorf("%d allocated, revision %d; want %d", l.AllocatedCount(), l.Revision, n)
	}
	if l.Status.Count() != 0 {
		t.Error("allocating set a status bit")
	}
	sorted := append([]int(nil), order...)
	sort.Ints(sorted)
	if sorted[0] > MinListLength/50 || sorted[n-1] < MinListLength-MinListLength/50 {
		t.Errorf("indices span only [%d, %d] of [0, %d)", sorted[0], sorted[n-1], MinListLength)
	}
	ascending := 0
	for i := 1; i < n; i++ {
		if order[i] > order[i-1] {
			ascending++
		}
	}
	if ascending < n/3 || ascending > 2*n/3 {
		t.Errorf("%d of %d steps ascend: the order is not random", ascending, n-1)
	}
	// Every quarter of the list gets about a quarter of the indices.
	var quarters [4]int
	for i := range seen {
		quarters[i*4/MinListLength]++
	}
	for q, c := range quarters {
		if c < n/4-n/10 || c > n/4+n/10 {
			t.Errorf("quarter %d holds %d of %d indices", q, c, n)
		}
	}
}

// nearlyFull stores a list at url with every index allocated but free.
func nearlyFull(t testing.TB, s Store, url string, purpose Purpose, free ...int) {
	t.Helper()
	l, err := NewList(url, &ListOptions{Purpose: purpose})
	if err != nil {
		t.Fatal(err)
	}
	for i := range l.Allocated {
		l.Allocated[i] = 0xff
	}
	for _, i := range free {
		_ = l.Allocated.Set(i, false)
	}
	l.Created, l.Updated = fixedNow, fixedNow
	if err := s.Create(context.Background(), l); err != nil {
		t.Fatal(err)
	}
}

func TestAllocateFull(t *testing.T) {
	ctx := context.Background()
	s := &MemoryStore{}
	r := newTestRegistry(t, s)
	nearlyFull(t, s, testURL, Revocation, 5, 77777, MinListLength-1)
	var got []int
	for range 3 {
		e, err := r.Allocate(ctx, testURL)
		if err != nil {
			t.Fatal(err)
		}
		i, _ := e.Index()
		got = append(got, i)
	}
	sort.Ints(got)
	if d := cmp.Diff([]int{5, 77777, MinListLength - 1}, got); d != "" {
		t.Errorf("the last free indices (-want +got):\n%s", d)
	}
	if _, err := r.Allocate(ctx, testURL); !errors.Is(err, ErrListFull) {
		t.Errorf("Allocate from a full list: %v, want ErrListFull", err)
	}
	l, _ := s.Load(ctx, testURL)
	if !l.Full() || l.Next != "" {
		t.Errorf("Full() = %v, Next = %q", l.Full(), l.Next)
	}
}

// TestAllocateRollover: with NextURL, a full list hands over to a new one,
// and later allocations pass through to it.
func TestAllocateRollover(t *testing.T) {
	ctx := context.Background()
	s := &MemoryStore{}
	r := newTestRegistry(t, s)
	r.NextURL = NextNumberedURL
	nearlyFull(t, s, testURL, Suspension, 42)
	e, err := r.Allocate(ctx, testURL)
	if err != nil {
		t.Fatal(err)
	}
	if e.StatusListCredential != testURL || e.StatusListIndex != "42" || e.StatusPurpose != Suspension {
		t.Errorf("last index: %+v", e)
	}
	const next = "https://example.edu/status/2"
	seen := map[string]bool{}
	for range 10 {
		e, err := r.Allocate(ctx, testURL)
		if err != nil {
			t.Fatal(err)
		}
		if e.StatusListCredential != next || e.StatusPurpose != Suspension {
			t.Fatalf("after rollover: %+v", e)
		}
		if seen[e.StatusListIndex] {
			t.Fatalf("index %s twice", e.StatusListIndex)
		}
		seen[e.StatusListIndex] = true
	}
	first, _ := s.Load(ctx, testURL)
	second, err := s.Load(ctx, next)
	if err != nil {
		t.Fatal(err)
	}
	if first.Next != next || second.Purpose != Suspension || second.AllocatedCount() != 10 || second.Length() != MinListLength {
		t.Errorf("first.Next %q; second: %s, %d allocated of %d", first.Next, second.Purpose, second.AllocatedCount(), second.Length())
	}
	// A crash between linking and creating: the link is there, the list
	// is not; Allocate creates it.
	nearlyFull(t, s, "https://example.edu/status/10", Revocation)
	if err := s.Update(ctx, "https://example.edu/status/10", func(l *List) error {
		l.Next = "https://example.edu/status/11"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if e, err := r.Allocate(ctx, "https://example.edu/status/10"); err != nil || e.StatusListCredential != "https://example.edu/status/11" {
		t.Errorf("Allocate through a dangling link: %+v, %v", e, err)
	}
	// A successor of another purpose is refused.
	nearlyFull(t, s, "https://example.edu/status/20", Revocation)
	if _, err := r.Create(ctx, "https://example.edu/status/21", &ListOptions{Purpose: Suspension}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Allocate(ctx, "https://example.edu/status/20"); err == nil {
		t.Error("Allocate rolled over into a list of another purpose")
	}
	// A NextURL that names the full list itself does not loop.
	nearlyFull(t, s, "https://example.edu/status/30", Revocation)
	r.NextURL = func(full string) (string, error) { return full, nil }
	if _, err := r.Allocate(ctx, "https://example.edu/status/30"); !errors.Is(err, ErrListFull) {
		t.Errorf("Allocate with a NextURL that loops: %v", err)
	}
}

func TestNextNumberedURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://example.edu/status/1", "https://example.edu/status/2"},
		{"https://example.edu/status/9", "https://example.edu/status/10"},
		{"https://example.edu/status/list-009", "https://example.edu/status/list-010"},
		{"https://example.edu/status/099/", "https://example.edu/status/100/"},
		{"https://example.edu/revocations", "https://example.edu/revocations-2"},
		{"https://example.edu/revocations-2", "https://example.edu/revocations-3"},
		{"https://example.edu/status/1?format=vc", "https://example.edu/status/2?format=vc"},
		{"https://example.edu/v2/status", "https://example.edu/v2/status-2"},
	}
	for _, tt := range tests {
		got, err := NextNumberedURL(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("NextNumberedURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"https://example.edu", "https://example.edu/", "%zz"} {
		if got, err := NextNumberedURL(bad); err == nil {
			t.Errorf("NextNumberedURL(%q) = %q, want an error", bad, got)
		}
	}
}

func TestRevokeSuspend(t *testing.T) {
	ctx := context.Background()
	s := &MemoryStore{}
	r := newTestRegistry(t, s)
	const rev, sus, ed = "https://example.edu/status/r", "https://example.edu/status/s", "https://example.edu/revocations"
	for _, c := range []struct {
		url  string
		opts *ListOptions
	}{{rev, nil}, {sus, &ListOptions{Purpose: Suspension}}, {ed, &ListOptions{Method: Method1EdTech}}} {
		if _, err := r.Create(ctx, c.url, c.opts); err != nil {
			t.Fatal(err)
		}
	}
	re, _ := r.Allocate(ctx, rev)
	ri, _ := re.Index()
	se, _ := r.Allocate(ctx, sus)
	si, _ := se.Index()
	unallocated := (ri + 1) % MinListLength
	tests := []struct {
		name    string
		do      func() error
		want    error
		url     string
		wantSet []int
	}{
		{"revoke", func() error { return r.Revoke(ctx, rev, ri) }, nil, rev, []int{ri}},
		{"revoke again", func() error { return r.Revoke(ctx, rev, ri) }, nil, rev, []int{ri}},
		{"revoke unallocated", func() error { return r.Revoke(ctx, rev, unallocated) }, ErrNotAllocated, rev, []int{ri}},
		{"revoke out of range", func() error { return r.Revoke(ctx, rev, MinListLength) }, ErrIndexOutOfRange, rev, []int{ri}},
		{"revoke negative", func() error { return r.Revoke(ctx, rev, -1) }, ErrIndexOutOfRange, rev, []int{ri}},
		{"unsuspend a revocation", func() error { return r.Unsuspend(ctx, rev, ri) }, ErrPurpose, rev, []int{ri}},
		{"suspend in a revocation list", func() error { return r.Suspend(ctx, rev, ri) }, ErrPurpose, rev, []int{ri}},
		{"revoke in a suspension list", func() error { return r.Revoke(ctx, sus, si) }, ErrPurpose, sus, nil},
		{"suspend", func() error { return r.Suspend(ctx, sus, si) }, nil, sus, []int{si}},
		{"suspend again", func() error { return r.Suspend(ctx, sus, si) }, nil, sus, []int{si}},
		{"unsuspend", func() error { return r.Unsuspend(ctx, sus, si) }, nil, sus, nil},
		{"unsuspend again", func() error { return r.Unsuspend(ctx, sus, si) }, nil, sus, nil},
		{"suspend once more", func() error { return r.Suspend(ctx, sus, si) }, nil, sus, []int{si}},
		{"no such list", func() error { return r.Revoke(ctx, "https://example.edu/nope", 1) }, ErrNoList, rev, []int{ri}},
		{"index in a 1EdTech list", func() error { return r.Revoke(ctx, ed, 1) }, ErrUnsupported, rev, []int{ri}},
		{"id in a bitstring list", func() error { return r.RevokeID(ctx, rev, "urn:uuid:1", "") }, ErrUnsupported, rev, []int{ri}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.do()
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want %v", err, tt.want)
			}
			l, err := s.Load(ctx, tt.url)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.wantSet, setBits(l.Status)); d != "" {
				t.Errorf("status bits of %s (-want +got):\n%s", tt.url, d)
			}
		})
	}
}

func Test1EdTechRegistry(t *testing.T) {
	ctx := context.Background()
	s := &MemoryStore{}
	r := newTestRegistry(t, s)
	const ed = "https://example.edu/revocations"
	if _, err := r.Create(ctx, ed, &ListOptions{Method: Method1EdTech}); err != nil {
		t.Fatal(err)
	}
	e, err := r.Allocate(ctx, ed)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(Entry{ID: ed, Type: "1EdTechRevocationList"}, *e); d != "" {
		t.Errorf("entry (-want +got):\n%s", d)
	}
	if e.Context() != ContextOBExtensions || e.ListURL() != ed {
		t.Errorf("Context %q, ListURL %q", e.Context(), e.ListURL())
	}
	if err := r.RevokeID(ctx, ed, "urn:uuid:a", "issued in error"); err != nil {
		t.Fatal(err)
	}
	if err := r.RevokeID(ctx, ed, "urn:uuid:a", "again"); err != nil {
		t.Fatal(err)
	}
	if err := r.RevokeID(ctx, ed, "urn:uuid:b", ""); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []struct {
		id, reason string
		want       error
	}{{"", "", ErrMalformed}, {"urn:x", string(make([]byte, maxReasonLen+1)), ErrMalformed}} {
		if err := r.RevokeID(ctx, ed, bad.id, bad.reason); !errors.Is(err, bad.want) {
			t.Errorf("RevokeID(%q): %v, want %v", bad.id, err, bad.want)
		}
	}
	if err := r.Suspend(ctx, ed, 0); !errors.Is(err, ErrUnsupported) {
		t.Errorf("Suspend in a 1EdTech list: %v", err)
	}
	l, _ := s.Load(ctx, ed)
	want := []RevokedCredential{{ID: "urn:uuid:a", Reason: "issued in error", Revoked: fixedNow}, {ID: "urn:uuid:b", Revoked: fixedNow}}
	if d := cmp.Diff(want, l.Revoked); d != "" {
		t.Errorf("revoked (-want +got):\n%s", d)
	}
}

func TestRevokeCredential(t *testing.T) {
	ctx := context.Background()
	s := &MemoryStore{}
	r := newTestRegistry(t, s)
	const rev, sus, ed = "https://example.edu/status/r", "https://example.edu/status/s", "https://example.edu/revocations"
	r.Create(ctx, rev, nil)
	r.Create(ctx, sus, &ListOptions{Purpose: Suspension})
	r.Create(ctx, ed, &ListOptions{Method: Method1EdTech})
	re, _ := r.Allocate(ctx, rev)
	se, _ := r.Allocate(ctx, sus)
	ee, _ := r.Allocate(ctx, ed)
	ri, _ := re.Index()
	si, _ := se.Index()
	cred := credentialWith(t, "urn:uuid:c1", "did:example:issuer", re, se, ee,
		bitEntry("https://other.example/status/1", Revocation, 5)) // a list this store does not keep
	got, err := r.RevokeCredential(ctx, "", cred, "fraud")
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]Entry{*re, *ee}, got); d != "" {
		t.Errorf("revoked entries (-want +got):\n%s", d)
	}
	got, err = r.SuspendCredential(ctx, sus, cred)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]Entry{*se}, got); d != "" {
		t.Errorf("suspended entries (-want +got):\n%s", d)
	}
	lr, _ := s.Load(ctx, rev)
	ls, _ := s.Load(ctx, sus)
	le, _ := s.Load(ctx, ed)
	if d := cmp.Diff([]int{ri}, setBits(lr.Status)); d != "" {
		t.Error(d)
	}
	if d := cmp.Diff([]int{si}, setBits(ls.Status)); d != "" {
		t.Error(d)
	}
	if len(le.Revoked) != 1 || le.Revoked[0].ID != "urn:uuid:c1" || le.Revoked[0].Reason != "fraud" {
		t.Errorf("1EdTech list: %+v", le.Revoked)
	}
	if _, err := r.UnsuspendCredential(ctx, "", cred); err != nil {
		t.Error(err)
	}
	ls, _ = s.Load(ctx, sus)
	if ls.Status.Count() != 0 {
		t.Error("UnsuspendCredential left the bit set")
	}
	// Only entries of the named list.
	if _, err := r.RevokeCredential(ctx, "https://example.edu/status/none", cred, ""); !errors.Is(err, ErrNoList) {
		t.Errorf("RevokeCredential in a list the credential does not name: %v", err)
	}
	// A credential with no entry in the store.
	other := credentialWith(t, "urn:uuid:c2", "did:example:issuer", bitEntry("https://other.example/status/1", Revocation, 5))
	if _, err := r.RevokeCredential(ctx, "", other, ""); !errors.Is(err, ErrNoList) {
		t.Errorf("RevokeCredential of a foreign credential: %v", err)
	}
	// A 1EdTech entry in a credential without an id.
	noID := credentialWith(t, "", "did:example:issuer", ee)
	if _, err := r.RevokeCredential(ctx, ed, noID, ""); !errors.Is(err, ErrMalformed) {
		t.Errorf("RevokeCredential without an id: %v", err)
	}
	// An entry with an index the list never allocated.
	stray := credentialWith(t, "urn:uuid:c3", "did:example:issuer", bitEntry(rev, Revocation, (ri+1)%MinListLength))
	if _, err := r.RevokeCredential(ctx, "", stray, ""); !errors.Is(err, ErrNotAllocated) {
		t.Errorf("RevokeCredential of an unallocated index: %v", err)
	}
	if _, err := r.RevokeCredential(ctx, "", []byte("not a credential"), ""); !errors.Is(err, ErrMalformed) {
		t.Errorf("RevokeCredential of garbage: %v", err)
	}
}

func TestEntryExtra(t *testing.T) {
	e := bitstringEntry(testURL, Suspension, 94567)
	want := map[string]string{"statusPurpose": `"suspension"`, "statusListIndex": `"94567"`, "statusListCredential": fmt.Sprintf("%q", testURL)}
	got := map[string]string{}
	for k, v := range e.Extra() {
		got[k] = string(v)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Extra (-want +got):\n%s", d)
	}
	if e.Context() != "" {
		t.Errorf("a bitstring entry needs context %q", e.Context())
	}
	if x := (Entry{ID: testURL, Type: string(Method1EdTech)}).Extra(); x != nil {
		t.Errorf("a 1EdTech entry's Extra: %v", x)
	}
}

// TestReserveBlock allocates from two Registries reserving blocks of
// indices in one Store, as two instances of an issuer do, concurrently and
// across a full list: no index is handed out twice, each is allocated in
// the Store, and a block takes one Update.
func TestReserveBlock(t *testing.T) {
	for _, tt := range []struct {
		name  string
		block int
		free  []int // the free indices of a full first list; nil for an empty list
		n     int   // allocations by each goroutine
	}{
		{"block 2", 2, nil, 50},
		{"block 64", 64, nil, 100},
		{"block 16 across a full list", 16, []int{3, 77, 900, 1000, 4095}, 40},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s := &MemoryStore{}
			if tt.free != nil {
				nearlyFull(t, s, testURL, Revocation, tt.free...)
			} else if _, err := newTestRegistry(t, s).Create(ctx, testURL, nil); err != nil {
				t.Fatal(err)
			}
			var regs [2]*Registry
			for i := range regs {
				regs[i] = &Registry{Store: s, NextURL: NextNumberedURL, ReserveBlock: tt.block}
			}
			var mu sync.Mutex
			seen := map[string]bool{}
			var wg sync.WaitGroup
			for g := range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range tt.n {
						e, err := regs[g%2].Allocate(ctx, testURL)
						if err != nil {
							t.Error(err)
							return
						}
						mu.Lock()
						if seen[e.ID] {
							t.Errorf("%s handed out twice", e.ID)
						}
						seen[e.ID] = true
						mu.Unlock()
					}
				}()
			}
			wg.Wait()
			if len(seen) != 4*tt.n {
				t.Fatalf("%d entries, want %d", len(seen), 4*tt.n)
			}
			updates := 0
			urls, err := s.URLs(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range urls {
				l, err := s.Load(ctx, u)
				if err != nil {
					t.Fatal(err)
				}
				for id := range seen {
					list, idx, _ := strings.Cut(id, "#")
					i, _ := strconv.Atoi(idx)
					if set, _ := l.Allocated.Bit(i); list == u && !set {
						t.Errorf("%s handed out, not allocated in the store", id)
					}
				}
				updates += int(l.Revision)
			}
			if max := 4*tt.n/tt.block + 2*4 + 2; updates > max {
				t.Errorf("%d updates for %d entries in blocks of %d, want at most %d", updates, 4*tt.n, tt.block, max)
			}
		})
	}
}

// TestReserveBlockCrash drops a Registry holding reserved indices, as a
// crash does, and allocates the rest of the list from a new one: the
// dropped indices are never handed out, by it or by the new Registry.
func TestReserveBlockCrash(t *testing.T) {
	ctx := context.Background()
	s := &MemoryStore{}
	var free []int
	for i := range 20 {
		free = append(free, 100*i+7)
	}
	nearlyFull(t, s, testURL, Revocation, free...)
	seen := map[string]bool{}
	before := &Registry{Store: s, ReserveBlock: 8}
	for range 3 {
		e, err := before.Allocate(ctx, testURL)
		if err != nil {
			t.Fatal(err)
		}
		seen[e.StatusListIndex] = true
	}
	after := &Registry{Store: s, ReserveBlock: 8}
	for {
		e, err := after.Allocate(ctx, testURL)
		if errors.Is(err, ErrListFull) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if seen[e.StatusListIndex] {
			t.Fatalf("index %s handed out twice", e.StatusListIndex)
		}
		seen[e.StatusListIndex] = true
	}
	if got, want := len(seen), len(free)-(8-3); got != want {
		t.Errorf("%d indices handed out, want %d (the 5 reserved by the dropped Registry lost)", got, want)
	}
}
