package status

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Tests of entries of more than one bit (statusSize) and of the "message"
// purpose, with statusMessage and statusReference.

const (
	msgURL = "https://example.edu/status/msg"
	msgRef = "https://example.edu/status/dictionary"
)

func TestBitstringValue(t *testing.T) {
	tests := []struct {
		name        string
		size, index int
		value       int
		wantBytes   []byte // the first bytes after setting
	}{
		{"1 bit", 1, 3, 1, []byte{0b0001_0000, 0}},
		{"2 bits, first", 2, 0, 2, []byte{0b1000_0000, 0}},
		{"2 bits, second", 2, 1, 2, []byte{0b0010_0000, 0}},
		{"2 bits, value 1", 2, 3, 1, []byte{0b0000_0001, 0}},
		{"3 bits across a byte", 3, 2, 0b101, []byte{0b0000_0010, 0b1000_0000}},
		{"8 bits", 8, 1, 0xa5, []byte{0, 0xa5}},
		{"16 bits", 16, 0, 0xbeef, []byte{0xbe, 0xef}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, _ := NewBitstring(64)
			if err := b.SetValue(tt.index, tt.size, tt.value); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.wantBytes, []byte(b[:len(tt.wantBytes)])); d != "" {
				t.Errorf("bytes (-want +got):\n%s", d)
			}
			got, err := b.Value(tt.index, tt.size)
			if err != nil || got != tt.value {
				t.Errorf("Value = %d, %v; want %d", got, err, tt.value)
			}
			if err := b.SetValue(tt.index, tt.size, 0); err != nil || b.Count() != 0 {
				t.Errorf("SetValue 0: %v, %d bits left set", err, b.Count())
			}
		})
	}
	b, _ := NewBitstring(16)
	errs := []struct {
		name             string
		index, size, v   int
		wantGet, wantSet error
	}{
		{"last entry", 7, 2, 3, nil, nil},
		{"past the end", 8, 2, 1, ErrIndexOutOfRange, ErrIndexOutOfRange},
		{"straddles the end", 1, 9, 1, ErrIndexOutOfRange, ErrIndexOutOfRange},
		{"negative", -1, 2, 1, ErrIndexOutOfRange, ErrIndexOutOfRange},
		{"size 0", 0, 0, 0, ErrUnsupported, ErrUnsupported},
		{"size 17", 0, 17, 0, ErrUnsupported, ErrUnsupported},
		{"value too large", 0, 2, 4, nil, ErrMalformed},
		{"value negative", 0, 2, -1, nil, ErrMalformed},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := b.Value(tt.index, tt.size); !errors.Is(err, tt.wantGet) && !(err == nil && tt.wantGet == nil) {
				t.Errorf("Value: %v, want %v", err, tt.wantGet)
			}
			if err := b.SetValue(tt.index, tt.size, tt.v); !errors.Is(err, tt.wantSet) && !(err == nil && tt.wantSet == nil) {
				t.Errorf("SetValue: %v, want %v", err, tt.wantSet)
			}
		})
	}
}

func TestStatusMessages(t *testing.T) {
	four := NewStatusMessages("pending_review", "accepted", "rejected", "undefined")
	if d := cmp.Diff([]StatusMessage{{"0x0", "pending_review"}, {"0x1", "accepted"}, {"0x2", "rejected"}, {"0x3", "undefined"}}, four); d != "" {
		t.Errorf("NewStatusMessages (-want +got):\n%s", d)
	}
	with := func(i int, m StatusMessage) []StatusMessage {
		out := append([]StatusMessage(nil), four...)
		out[i] = m
		return out
	}
	tests := []struct {
		name string
		size int
		msgs []StatusMessage
		want error
	}{
		{"2 bits", 2, four, nil},
		{"1 bit", 1, NewStatusMessages("valid", "revoked"), nil},
		{"8 bits", 8, NewStatusMessages(make([]string, 256)...), nil},
		{"any order, leading zeros", 2, []StatusMessage{{"0x03", "c"}, {"0x0", "a"}, {"0x2", "b"}, {"0x1", "d"}}, nil},
		// The W3C test suite's reading: as many messages as statusSize.
		{"as many as statusSize", 2, four[:2], ErrMalformed},
		{"one too many", 1, four[:3], ErrMalformed},
		{"none", 2, nil, ErrMalformed},
		{"not hex", 2, with(1, StatusMessage{"0xZ", "x"}), ErrMalformed},
		{"no prefix", 2, with(1, StatusMessage{"1", "x"}), ErrMalformed},
		{"upper-case prefix", 2, with(1, StatusMessage{"0X1", "x"}), ErrMalformed},
		{"prefix only", 2, with(1, StatusMessage{"0x", "x"}), ErrMalformed},
		{"signed", 2, with(1, StatusMessage{"0x-1", "x"}), ErrMalformed},
		{"too many digits", 2, with(1, StatusMessage{"0x" + strings.Repeat("0", 17) + "1", "x"}), ErrMalformed},
		{"out of range", 2, with(1, StatusMessage{"0x4", "x"}), ErrMalformed},
		{"twice", 2, with(1, StatusMessage{"0x0", "x"}), ErrMalformed},
		{"size too large", 17, four, ErrUnsupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkStatusMessages(tt.size, tt.msgs)
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("checkStatusMessages: %v, want %v", err, tt.want)
			}
		})
	}
	sixteen := NewStatusMessages(make([]string, 16)...)
	if sixteen[10].Status != "0xa" {
		t.Errorf("value 10 is written %q", sixteen[10].Status)
	}
	sixteen[10].Status = "0xA"
	if err := checkStatusMessages(4, sixteen); err != nil {
		t.Errorf("upper-case digits: %v", err)
	}
}

func TestParseStatusMessagesAndReferences(t *testing.T) {
	msgs := []struct {
		raw  string
		want []StatusMessage
		err  error
	}{
		{`[{"status":"0x0","message":"a"},{"status":"0x1","message":"b","extra":1}]`, []StatusMessage{{"0x0", "a"}, {"0x1", "b"}}, nil},
		{`[]`, []StatusMessage{}, nil},
		{`{"status":"0x0","message":"a"}`, nil, ErrMalformed},
		{`null`, nil, ErrMalformed},
		{`["0x0"]`, nil, ErrMalformed},
		{`[null]`, nil, ErrMalformed},
		{`[{"status":"0x0"}]`, nil, ErrMalformed},
		{`[{"message":"a"}]`, nil, ErrMalformed},
		{`[{"status":0,"message":"a"}]`, nil, ErrMalformed},
		{`[{"status":"0x0","message":null}]`, nil, ErrMalformed},
	}
	for _, tt := range msgs {
		got, err := parseStatusMessages(json.RawMessage(tt.raw))
		if !errors.Is(err, tt.err) || tt.err == nil && err != nil {
			t.Errorf("%s: %v, want %v", tt.raw, err, tt.err)
		}
		if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("%s (-want +got):\n%s", tt.raw, d)
		}
	}
	refs := []struct {
		raw     string
		want    References
		err     error
		checked error
	}{
		{`"https://example.org/status-dictionary/"`, References{"https://example.org/status-dictionary/"}, nil, nil},
		{`["https://a.example/x","urn:example:codes"]`, References{"https://a.example/x", "urn:example:codes"}, nil, nil},
		{`["relative/path"]`, References{"relative/path"}, nil, ErrMalformed},
		{`"https:"`, References{"https:"}, nil, ErrMalformed},
		{`7`, nil, ErrMalformed, nil},
		{`[7]`, nil, ErrMalformed, nil},
		{`{"id":"https://a.example"}`, nil, ErrMalformed, nil},
	}
	for _, tt := range refs {
		var got References
		err := got.UnmarshalJSON([]byte(tt.raw))
		if !errors.Is(err, tt.err) || tt.err == nil && err != nil {
			t.Errorf("%s: %v, want %v", tt.raw, err, tt.err)
		}
		if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("%s (-want +got):\n%s", tt.raw, d)
		}
		if err == nil {
			if err := checkReferences(got); !errors.Is(err, tt.checked) || tt.checked == nil && err != nil {
				t.Errorf("%s: checkReferences: %v, want %v", tt.raw, err, tt.checked)
			}
		}
	}
	for _, tt := range []struct {
		refs References
		want string
	}{{References{"https://a.example"}, `"https://a.example"`}, {References{"https://a.example", "https://b.example"}, `["https://a.example","https://b.example"]`}} {
		got, err := json.Marshal(tt.refs)
		if err != nil || string(got) != tt.want {
			t.Errorf("Marshal %q = %s, %v; want %s", tt.refs, got, err, tt.want)
		}
	}
}

func TestCreateMessageList(t *testing.T) {
	ctx := context.Background()
	r := newTestRegistry(t, &MemoryStore{})
	four := NewStatusMessages("a", "b", "c", "d")
	tests := []struct {
		name string
		opts *ListOptions
		want error
	}{
		{"2 bits", &ListOptions{Purpose: Message, StatusSize: 2}, nil},
		{"1 bit", &ListOptions{Purpose: Message, StatusSize: 1}, nil},
		{"16 bits", &ListOptions{Purpose: Message, StatusSize: MaxStatusSize}, nil},
		{"with messages and a reference", &ListOptions{Purpose: Message, StatusSize: 2, StatusMessage: four, StatusReference: []string{msgRef}}, nil},
		{"revocation with messages", &ListOptions{StatusMessage: NewStatusMessages("valid", "revoked")}, nil},
		{"no statusSize", &ListOptions{Purpose: Message}, ErrUnsupported},
		{"statusSize too large", &ListOptions{Purpose: Message, StatusSize: MaxStatusSize + 1}, ErrMalformed},
		{"statusSize negative", &ListOptions{Purpose: Message, StatusSize: -1}, ErrMalformed},
		{"too many bits in all", &ListOptions{Purpose: Message, StatusSize: 16, Length: MaxListLength}, ErrMalformed},
		{"revocation of 2 bits", &ListOptions{StatusSize: 2}, ErrUnsupported},
		{"suspension of 2 bits", &ListOptions{Purpose: Suspension, StatusSize: 2}, ErrUnsupported},
		{"refresh", &ListOptions{Purpose: "refresh", StatusSize: 1}, ErrUnsupported},
		{"messages of the wrong length", &ListOptions{Purpose: Message, StatusSize: 2, StatusMessage: four[:2]}, ErrMalformed},
		{"message not hex", &ListOptions{Purpose: Message, StatusSize: 1, StatusMessage: []StatusMessage{{"0x0", "a"}, {"one", "b"}}}, ErrMalformed},
		{"relative reference", &ListOptions{Purpose: Message, StatusSize: 2, StatusReference: []string{"dictionary"}}, ErrMalformed},
		{"1EdTech with statusSize", &ListOptions{Method: Method1EdTech, StatusSize: 1}, ErrUnsupported},
		{"1EdTech with messages", &ListOptions{Method: Method1EdTech, StatusMessage: four}, ErrUnsupported},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := fmt.Sprintf("%s/%d", msgURL, i)
			l, err := r.Create(ctx, url, tt.opts)
			if tt.want != nil {
				if !errors.Is(err, tt.want) {
					t.Errorf("Create: %v, want %v", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			size := max(tt.opts.StatusSize, 1)
			if l.StatusSize != size || l.Length() != MinListLength || l.Status.Len() != MinListLength*size || l.Allocated.Len() != MinListLength {
				t.Errorf("list: statusSize %d, %d entries, %d status bits, %d allocation bits", l.StatusSize, l.Length(), l.Status.Len(), l.Allocated.Len())
			}
		})
	}
}

// messageFixture is a message list of one statusSize in a store, with a
// verifier's view of it.
type messageFixture struct {
	issuer *testIssuer
	reg    *Registry
}

func newMessageFixture(t testing.TB, s Store) *messageFixture {
	return &messageFixture{issuer: newTestIssuer(t, 1), reg: &Registry{Store: s, Rand: seededRand(9), Now: func() time.Time { return fixedNow }}}
}

func (f *messageFixture) publish(t testing.TB, url string) []byte {
	t.Helper()
	doc, err := f.reg.Publish(context.Background(), url, &PublishOptions{Issuer: f.issuer.did, Signer: f.issuer.diSigner(), Validity: 48 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// encodedListIn returns the encodedList of a published list credential.
func encodedListIn(t testing.TB, doc []byte) string {
	t.Helper()
	var c struct {
		CredentialSubject struct {
			EncodedList string `json:"encodedList"`
		} `json:"credentialSubject"`
	}
	if err := json.Unmarshal(doc, &c); err != nil || c.CredentialSubject.EncodedList == "" {
		t.Fatalf("no encodedList: %v", err)
	}
	return c.CredentialSubject.EncodedList
}

func TestAllocateMessageEntry(t *testing.T) {
	ctx := context.Background()
	s := &MemoryStore{}
	r := newTestRegistry(t, s)
	four := NewStatusMessages("pending_review", "accepted", "rejected", "undefined")
	const (
		bare    = msgURL + "/bare"
		withDef = msgURL + "/defaults"
		rev     = msgURL + "/rev"
		ed      = "https://example.edu/revocations"
	)
	for _, c := range []struct {
		url  string
		opts *ListOptions
	}{
		{bare, &ListOptions{Purpose: Message, StatusSize: 2}},
		{withDef, &ListOptions{Purpose: Message, StatusSize: 2, StatusMessage: four, StatusReference: []string{msgRef}}},
		{rev, nil},
		{ed, &ListOptions{Method: Method1EdTech}},
	} {
		if _, err := r.Create(ctx, c.url, c.opts); err != nil {
			t.Fatal(err)
		}
	}
	own := NewStatusMessages("w", "x", "y", "z")
	tests := []struct {
		name    string
		url     string
		opts    *AllocateOptions
		want    error
		msgs    []StatusMessage
		refs    References
		size    int
		purpose Purpose
	}{
		{"the list's messages", withDef, nil, nil, four, References{msgRef}, 2, Message},
		{"its own messages", withDef, &AllocateOptions{StatusMessage: own, StatusReference: []string{"https://other.example/codes", msgRef}}, nil, own, References{"https://other.example/codes", msgRef}, 2, Message},
		{"messages for a list without", bare, &AllocateOptions{StatusMessage: own}, nil, own, nil, 2, Message},
		{"no messages at all", bare, nil, ErrMalformed, nil, nil, 0, ""},
		{"messages of the wrong length", withDef, &AllocateOptions{StatusMessage: own[:2]}, ErrMalformed, nil, nil, 0, ""},
		{"messages not hex", bare, &AllocateOptions{StatusMessage: []StatusMessage{{"0x0", "a"}, {"0x1", "b"}, {"2", "c"}, {"0x3", "d"}}}, ErrMalformed, nil, nil, 0, ""},
		{"relative reference", withDef, &AllocateOptions{StatusReference: []string{"codes"}}, ErrMalformed, nil, nil, 0, ""},
		{"revocation entry with messages", rev, &AllocateOptions{StatusMessage: NewStatusMessages("valid", "revoked")}, nil, NewStatusMessages("valid", "revoked"), nil, 0, Revocation},
		{"revocation entry, 4 messages", rev, &AllocateOptions{StatusMessage: own}, ErrMalformed, nil, nil, 0, ""},
		{"1EdTech with messages", ed, &AllocateOptions{StatusMessage: own}, ErrUnsupported, nil, nil, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := s.Load(ctx, tt.url)
			e, err := r.AllocateWith(ctx, tt.url, tt.opts)
			after, _ := s.Load(ctx, tt.url)
			if tt.want != nil {
				if !errors.Is(err, tt.want) {
					t.Errorf("AllocateWith: %v, want %v", err, tt.want)
				}
				if after.AllocatedCount() != before.AllocatedCount() || after.Revision != before.Revision {
					t.Errorf("a refused entry changed the list: %d allocated, revision %d", after.AllocatedCount(), after.Revision)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := *bitstringEntry(tt.url, tt.purpose, 0)
			want.ID, want.StatusListIndex = e.ID, e.StatusListIndex
			want.StatusSize, want.StatusMessage, want.StatusReference = tt.size, tt.msgs, tt.refs
			if d := cmp.Diff(&want, e); d != "" {
				t.Errorf("entry (-want +got):\n%s", d)
			}
			if after.AllocatedCount() != before.AllocatedCount()+1 {
				t.Errorf("%d allocated, was %d", after.AllocatedCount(), before.AllocatedCount())
			}
		})
	}
	// The entry as JSON, in the W3C example's terms and order of members.
	e, err := r.Allocate(ctx, withDef)
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf(`{"id":"%s#%s","type":"BitstringStatusListEntry","statusPurpose":"message","statusListIndex":"%s","statusListCredential":"%s","statusSize":2,`+
		`"statusMessage":[{"status":"0x0","message":"pending_review"},{"status":"0x1","message":"accepted"},{"status":"0x2","message":"rejected"},{"status":"0x3","message":"undefined"}],`+
		`"statusReference":"%s"}`, withDef, e.StatusListIndex, e.StatusListIndex, withDef, msgRef)
	if string(got) != want {
		t.Errorf("entry JSON:\n got %s\nwant %s", got, want)
	}
	// ParseEntries and Extra give it back as it was.
	parsed, err := ParseEntries(credentialWith(t, "urn:uuid:p", "did:example:i", e))
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]Entry{*e}, parsed); d != "" {
		t.Errorf("ParseEntries (-want +got):\n%s", d)
	}
	members := e.Extra()
	members["id"], _ = json.Marshal(e.ID)
	members["type"], _ = json.Marshal(e.Type)
	cs, err := json.Marshal(members)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(mustJSON(t, got), mustJSON(t, cs)); d != "" {
		t.Errorf("Extra (-entry +id, type and Extra):\n%s", d)
	}
}

func TestSetStatus(t *testing.T) {
	ctx := context.Background()
	s := &MemoryStore{}
	r := newTestRegistry(t, s)
	const (
		rev = msgURL + "/rev"
		sus = msgURL + "/sus"
		ed  = "https://example.edu/revocations"
	)
	four := NewStatusMessages("a", "b", "c", "d")
	for _, c := range []struct {
		url  string
		opts *ListOptions
	}{
		{msgURL, &ListOptions{Purpose: Message, StatusSize: 2, StatusMessage: four}},
		{rev, nil}, {sus, &ListOptions{Purpose: Suspension}}, {ed, &ListOptions{Method: Method1EdTech}},
	} {
		if _, err := r.Create(ctx, c.url, c.opts); err != nil {
			t.Fatal(err)
		}
	}
	alloc := func(url string) int {
		e, err := r.Allocate(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		i, _ := e.Index()
		return i
	}
	m, rv, sp := alloc(msgURL), alloc(rev), alloc(sus)
	free := (m + 1) % MinListLength
	tests := []struct {
		name  string
		url   string
		index int
		value int
		want  error
		after int // the value read back, if no error
	}{
		{"message 3", msgURL, m, 3, nil, 3},
		{"message 3 again", msgURL, m, 3, nil, 3},
		{"message back to 0", msgURL, m, 0, nil, 0},
		{"message 2", msgURL, m, 2, nil, 2},
		{"message too large", msgURL, m, 4, ErrMalformed, 2},
		{"message negative", msgURL, m, -1, ErrMalformed, 2},
		{"message not allocated", msgURL, free, 1, ErrNotAllocated, 0},
		{"message out of range", msgURL, MinListLength, 1, ErrIndexOutOfRange, 0},
		{"revocation 0 before", rev, rv, 0, nil, 0},
		{"revocation 1", rev, rv, 1, nil, 1},
		{"revocation undone", rev, rv, 0, ErrPurpose, 1},
		{"revocation 2", rev, rv, 2, ErrMalformed, 1},
		{"suspension 1", sus, sp, 1, nil, 1},
		{"suspension 0", sus, sp, 0, nil, 0},
		{"1EdTech", ed, 0, 1, ErrUnsupported, 0},
		{"no such list", "https://example.edu/status/none", 0, 1, ErrNoList, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := r.SetStatus(ctx, tt.url, tt.index, tt.value)
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("SetStatus: %v, want %v", err, tt.want)
			}
			l, err := s.Load(ctx, tt.url)
			if err != nil || l.Method != MethodBitstring || tt.index >= l.Length() {
				return
			}
			if got, _ := l.Status.Value(tt.index, l.StatusSize); got != tt.after {
				t.Errorf("value %d, want %d", got, tt.after)
			}
		})
	}
	// Revoke, Suspend and Unsuspend are for revocation and suspension
	// lists; a message list's values change only with SetStatus.
	for name, f := range map[string]func(context.Context, string, int) error{"Revoke": r.Revoke, "Suspend": r.Suspend, "Unsuspend": r.Unsuspend} {
		if err := f(ctx, msgURL, m); !errors.Is(err, ErrPurpose) {
			t.Errorf("%s in a message list: %v, want ErrPurpose", name, err)
		}
	}
	// An update may not change a list's statusSize.
	err := s.Update(ctx, msgURL, func(l *List) error {
		l.StatusSize = 1
		l.Status = l.Status[:len(l.Status)/2]
		return nil
	})
	if err == nil {
		t.Error("an update changed the statusSize")
	}
	// RevokeCredential refuses an entry whose statusSize is not its list's.
	cred := credentialWith(t, "urn:uuid:r", "did:example:i", map[string]any{
		"type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": fmt.Sprint(rv), "statusListCredential": rev,
		"statusSize": 2, "statusMessage": four,
	})
	if _, err := r.RevokeCredential(ctx, rev, cred, ""); !errors.Is(err, ErrMalformed) {
		t.Errorf("RevokeCredential of a 2-bit entry in a 1-bit list: %v, want ErrMalformed", err)
	}
}

// TestMessageRollover: the list that takes over from a full message list
// has its statusSize and messages.
func TestMessageRollover(t *testing.T) {
	ctx := context.Background()
	s := &MemoryStore{}
	r := newTestRegistry(t, s)
	r.NextURL = NextNumberedURL
	four := NewStatusMessages("a", "b", "c", "d")
	l, err := NewList(testURL, &ListOptions{Purpose: Message, StatusSize: 2, StatusMessage: four, StatusReference: []string{msgRef}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range l.Allocated {
		l.Allocated[i] = 0xff
	}
	if err := s.Create(ctx, l); err != nil {
		t.Fatal(err)
	}
	e, err := r.Allocate(ctx, testURL)
	if err != nil {
		t.Fatal(err)
	}
	const next = "https://example.edu/status/2"
	if e.StatusListCredential != next || e.StatusSize != 2 || !cmp.Equal(e.StatusMessage, four) || !cmp.Equal(e.StatusReference, References{msgRef}) {
		t.Errorf("entry after rollover: %+v", e)
	}
	second, err := s.Load(ctx, next)
	if err != nil {
		t.Fatal(err)
	}
	if second.Purpose != Message || second.StatusSize != 2 || !cmp.Equal(second.StatusMessage, four) || second.Status.Len() != 2*MinListLength {
		t.Errorf("the next list: %s, statusSize %d, %d status bits", second.Purpose, second.StatusSize, second.Status.Len())
	}
	// A successor of another statusSize is refused.
	l3, _ := NewList("https://example.edu/status/30", &ListOptions{Purpose: Message, StatusSize: 2, StatusMessage: four})
	for i := range l3.Allocated {
		l3.Allocated[i] = 0xff
	}
	l3.Next = "https://example.edu/status/31"
	if err := s.Create(ctx, l3); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Create(ctx, l3.Next, &ListOptions{Purpose: Message, StatusSize: 3}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Allocate(ctx, l3.URL); err == nil {
		t.Error("Allocate rolled over into a list of another statusSize")
	}
}

// TestMessageListPersistence: a message list's statusSize, defaults and
// values survive reopening a DirStore; single-bit lists are written as
// they always were.
func TestMessageListPersistence(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	f := newMessageFixture(t, s)
	eight := make([]string, 256)
	for v := range eight {
		eight[v] = fmt.Sprint("m", v)
	}
	if _, err := f.reg.Create(ctx, msgURL, &ListOptions{Purpose: Message, StatusSize: 8, StatusMessage: NewStatusMessages(eight...), StatusReference: []string{msgRef}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.reg.Create(ctx, testURL, nil); err != nil {
		t.Fatal(err)
	}
	e, err := f.reg.Allocate(ctx, msgURL)
	if err != nil {
		t.Fatal(err)
	}
	i, _ := e.Index()
	if err := f.reg.SetStatus(ctx, msgURL, i, 0xa7); err != nil {
		t.Fatal(err)
	}
	before, _ := s.Load(ctx, msgURL)
	published := f.publish(t, msgURL)

	reopened, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	after, err := reopened.Load(ctx, msgURL)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(before, after); d != "" {
		t.Errorf("reopened (-before +after):\n%s", d)
	}
	if v, _ := after.Status.Value(i, 8); v != 0xa7 || after.StatusSize != 8 {
		t.Errorf("value %#x, statusSize %d", v, after.StatusSize)
	}
	f.reg.Store = reopened
	if again := f.publish(t, msgURL); string(again) != string(published) {
		t.Error("the reopened list publishes otherwise")
	}
	bits, err := ParseBitstring(encodedListIn(t, published), 0)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := bits.Value(i, 8); v != 0xa7 || e.Message(v) != "m167" {
		t.Errorf("published: %d %q (%v)", v, e.Message(v), err)
	}
	// The file of a single-bit list has the members it always had.
	for url, want := range map[string][]string{
		testURL: {"allocated", "created", "format", "length", "method", "purpose", "revision", "status", "updated", "url"},
		msgURL:  {"allocated", "created", "format", "length", "method", "purpose", "revision", "status", "statusMessage", "statusReference", "statusSize", "updated", "url"},
	} {
		l, _ := reopened.Load(ctx, url)
		data, err := l.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		got := slices.Sorted(maps.Keys(m))
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%s: members (-want +got):\n%s", url, d)
		}
	}
}

func TestListJSONMultiBitErrors(t *testing.T) {
	l, err := NewList(msgURL, &ListOptions{Purpose: Message, StatusSize: 2, StatusMessage: NewStatusMessages("a", "b", "c", "d")})
	if err != nil {
		t.Fatal(err)
	}
	_ = l.Allocated.Set(5, true)
	_ = l.Status.SetValue(5, 2, 3)
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
	var m map[string]any
	_ = json.Unmarshal(data, &m)
	half, _ := NewBitstring(MinListLength)
	tests := []struct {
		name   string
		mutate func(m map[string]any)
	}{
		{"statusSize 17", func(m map[string]any) { m["statusSize"] = 17 }},
		{"statusSize negative", func(m map[string]any) { m["statusSize"] = -2 }},
		{"status bits of 1-bit entries", func(m map[string]any) { m["status"] = half.Encode() }},
		{"statusSize on a revocation list", func(m map[string]any) { m["purpose"] = "revocation" }},
		{"messages of another size", func(m map[string]any) { m["statusSize"] = 1; m["status"] = half.Encode() }},
		{"bad reference", func(m map[string]any) { m["statusReference"] = []string{"x"} }},
		{"set at an unallocated entry", func(m map[string]any) { m["allocated"] = half.Encode() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := map[string]any{}
			for k, v := range m {
				c[k] = v
			}
			tt.mutate(c)
			data, _ := json.Marshal(c)
			var l List
			if err := l.UnmarshalJSON(data); !errors.Is(err, ErrMalformed) {
				t.Errorf("UnmarshalJSON: %v, want ErrMalformed", err)
			}
		})
	}
}
