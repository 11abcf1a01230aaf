package statuscheck

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	. "github.com/go-openbadges/openbadges/status"
	"github.com/google/go-cmp/cmp"
)

const (
	msgURL = "https://example.edu/status/msg"
	msgRef = "https://example.edu/status/dictionary"
)

func (f *messageFixture) check(t testing.TB, docs map[string][]byte, c *Checker, entries ...any) []Result {
	t.Helper()
	if c == nil {
		c = &Checker{}
	}
	c.Documents, c.Now = docs, func() time.Time { return fixedNow }
	rs, err := c.Check(context.Background(), credentialWith(t, "urn:uuid:m", f.issuer.did, entries...))
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// TestMessageLifecycle allocates entries of 1, 2 and 8 bits, gives each
// value to one of them, publishes the list and checks every entry: each
// value gets its message.
func TestMessageLifecycle(t *testing.T) {
	ctx := context.Background()
	for _, size := range []int{1, 2, 8} {
		t.Run(fmt.Sprintf("statusSize %d", size), func(t *testing.T) {
			f := newMessageFixture(t, &MemoryStore{})
			url := fmt.Sprintf("%s/%d", msgURL, size)
			texts := make([]string, 1<<size)
			for v := range texts {
				texts[v] = fmt.Sprintf("message %d of %d bits", v, size)
			}
			if _, err := f.reg.Create(ctx, url, &ListOptions{Purpose: Message, StatusSize: size, StatusReference: []string{msgRef}}); err != nil {
				t.Fatal(err)
			}
			entries := make([]*Entry, 1<<size)
			for v := range entries {
				e, err := f.reg.AllocateWith(ctx, url, &AllocateOptions{StatusMessage: NewStatusMessages(texts...)})
				if err != nil {
					t.Fatal(err)
				}
				i, _ := e.Index()
				if err := f.reg.SetStatus(ctx, url, i, v); err != nil {
					t.Fatal(err)
				}
				entries[v] = e
			}
			wantSize := 0
			if size > 1 {
				wantSize = size
			}
			if e := entries[0]; e.StatusSize != wantSize || e.StatusPurpose != Message || len(e.StatusMessage) != 1<<size || !cmp.Equal(e.StatusReference, References{msgRef}) {
				t.Errorf("entry: %+v", e)
			}
			docs := map[string][]byte{url: f.publish(t, url)}
			c := &Checker{}
			for v, e := range entries {
				i, _ := e.Index()
				rs := f.check(t, docs, c, e)
				where := fmt.Sprintf("bit %d of %s", i, url)
				if size > 1 {
					where = fmt.Sprintf("entry %d of %s (bits %d to %d)", i, url, i*size, i*size+size-1)
				}
				want := Result{
					Type: entryTypeBitstring, Purpose: Message, ListURL: url, Index: i, StatusSize: size,
					Value: v, Message: texts[v], StatusReference: []string{msgRef}, Standing: NotRevoked,
					Reason: fmt.Sprintf("%s is 0x%x (%q): a status message", where, v, texts[v]),
				}
				if d := cmp.Diff([]Result{want}, rs, cmpResultNoList); d != "" {
					t.Errorf("value %d (-want +got):\n%s", v, d)
				}
			}
			// The list's bits are the entries' values, most significant
			// bit first.
			l, _ := f.reg.Store.Load(ctx, url)
			for v, e := range entries {
				i, _ := e.Index()
				for k := range size {
					bit, _ := l.Status.Bit(i*size + k)
					if want := v&(1<<(size-1-k)) != 0; bit != want {
						t.Errorf("value %d at entry %d: bit %d is %v", v, i, k, bit)
					}
				}
			}
			// A tampered list fails its proof: the encodedList of another
			// value, under the first list's proof.
			i0, _ := entries[0].Index()
			if err := f.reg.SetStatus(ctx, url, i0, 1); err != nil {
				t.Fatal(err)
			}
			other := f.publish(t, url)
			tampered := strings.Replace(string(docs[url]), encodedListIn(t, docs[url]), encodedListIn(t, other), 1)
			if tampered == string(docs[url]) {
				t.Fatal("nothing tampered")
			}
			rs := f.check(t, map[string][]byte{url: []byte(tampered)}, nil, entries[0])
			if rs[0].Standing != Indeterminate || !errors.Is(rs[0].Err, ErrVerification) || rs[0].Value != -1 || rs[0].Message != "" {
				t.Errorf("tampered list: %v, %v, value %d %q", rs[0].Standing, rs[0].Err, rs[0].Value, rs[0].Message)
			}
		})
	}
}

// cmpResultNoList compares Results without their List and Warnings.
var cmpResultNoList = cmp.Transformer("noList", func(r Result) Result {
	r.List, r.Warnings, r.Err = nil, nil, nil
	return r
})

// TestCheckMultiBit checks entries of more than one bit and message entries
// against lists made by hand: what each purpose makes of a value, and the
// faults the W3C Recommendation names.
func TestCheckMultiBit(t *testing.T) {
	f := newCheckerFixture(t)
	const list = "https://example.edu/status/multi"
	four := NewStatusMessages("pending_review", "accepted", "rejected", "undefined")
	// 2-bit entries: entry 1 is 0, entry 2 is 2, entry 3 is 3; and the
	// last entry of a 2*MinListLength-bit list is 1.
	bits, _ := NewBitstring(2 * MinListLength)
	_ = bits.SetValue(2, 2, 2)
	_ = bits.SetValue(3, 2, 3)
	_ = bits.SetValue(MinListLength-1, 2, 1)
	short, _ := NewBitstring(MinListLength) // enough for 1-bit entries only
	_ = short.SetValue(2, 2, 2)
	listOf := func(purpose string, b Bitstring, mutate func(s map[string]any)) []byte {
		return f.signedList(t, list, func(c, s map[string]any) {
			s["statusPurpose"] = purpose
			s["encodedList"] = b.Encode()
			if mutate != nil {
				c["@context"] = []string{ContextVCDM20, "https://www.w3.org/ns/credentials/undefined-terms/v2"}
				mutate(s)
			}
		})
	}
	entry := func(purpose string, index int, mutate func(e map[string]any)) map[string]any {
		e := bitEntry(list, Purpose(purpose), index)
		e["statusSize"] = 2
		e["statusMessage"] = four
		if mutate != nil {
			mutate(e)
		}
		return e
	}
	tests := []struct {
		name    string
		doc     []byte
		opts    func(*Checker)
		entry   map[string]any
		want    Standing
		wantErr error
		value   int
		message string
		reason  string
	}{
		{name: "message 0", doc: listOf("message", bits, nil), entry: entry("message", 1, nil), want: NotRevoked, value: 0, message: "pending_review",
			reason: `entry 1 of ` + list + ` (bits 2 to 3) is 0x0 ("pending_review"): a status message`},
		{name: "message 2", doc: listOf("message", bits, nil), entry: entry("message", 2, nil), want: NotRevoked, value: 2, message: "rejected",
			reason: `entry 2 of ` + list + ` (bits 4 to 5) is 0x2 ("rejected"): a status message`},
		{name: "message, the last entry", doc: listOf("message", bits, nil), entry: entry("message", MinListLength-1, nil), want: NotRevoked, value: 1, message: "accepted",
			reason: fmt.Sprintf(`entry %d of %s (bits %d to %d) is 0x1 ("accepted"): a status message`, MinListLength-1, list, 2*MinListLength-2, 2*MinListLength-1)},
		{name: "revocation 0", doc: listOf("revocation", bits, nil), entry: entry("revocation", 1, nil), want: NotRevoked, value: 0, message: "pending_review",
			reason: `entry 1 of ` + list + ` (bits 2 to 3) is 0x0 ("pending_review"): not revoked`},
		{name: "revocation 2", doc: listOf("revocation", bits, nil), entry: entry("revocation", 2, nil), want: Revoked, value: 2, message: "rejected",
			reason: `entry 2 of ` + list + ` (bits 4 to 5) is 0x2 ("rejected"): revoked`},
		{name: "suspension 3", doc: listOf("suspension", bits, nil), entry: entry("suspension", 3, nil), want: Suspended, value: 3, message: "undefined",
			reason: `entry 3 of ` + list + ` (bits 6 to 7) is 0x3 ("undefined"): suspended`},
		{name: "message of 1 bit without statusMessage", doc: listOf("message", bits, nil), entry: bitEntry(list, Message, 4), want: NotRevoked, value: 1, message: "set",
			reason: `bit 4 of ` + list + ` is 0x1 ("set"): a status message`},
		{name: "list with statusSize 2", doc: listOf("message", bits, func(s map[string]any) { s["statusSize"] = 2 }), entry: entry("message", 2, nil), want: NotRevoked, value: 2, message: "rejected",
			reason: `entry 2 of ` + list + ` (bits 4 to 5) is 0x2 ("rejected"): a status message`},
		{name: "list with another statusSize", doc: listOf("message", bits, func(s map[string]any) { s["statusSize"] = 3 }), entry: entry("message", 2, nil), want: Indeterminate, wantErr: ErrVerification},
		{name: "list with statusSize 0", doc: listOf("message", bits, func(s map[string]any) { s["statusSize"] = 0 }), entry: entry("message", 2, nil), want: Indeterminate, wantErr: ErrVerification},
		// The list's length divided by statusSize must be at least the minimum.
		{name: "list too short for 2 bits", doc: listOf("message", short, nil), entry: entry("message", 2, nil), want: Indeterminate, wantErr: ErrListLength},
		{name: "list too short, allowed", doc: listOf("message", short, nil), opts: func(c *Checker) { c.MinLength = MinListLength / 2 }, entry: entry("message", 2, nil), want: NotRevoked, value: 2, message: "rejected",
			reason: `entry 2 of ` + list + ` (bits 4 to 5) is 0x2 ("rejected"): a status message`},
		{name: "index past the end", doc: listOf("message", bits, nil), entry: entry("message", MinListLength, nil), want: Indeterminate, wantErr: ErrIndexOutOfRange},
		{name: "purpose not the list's", doc: listOf("revocation", bits, nil), entry: entry("message", 2, nil), want: Indeterminate, wantErr: ErrVerification},
		{name: "no statusMessage", doc: listOf("message", bits, nil), entry: entry("message", 2, func(e map[string]any) { delete(e, "statusMessage") }), want: Indeterminate, wantErr: ErrMalformed},
		{name: "statusMessage as long as statusSize", doc: listOf("message", bits, nil), entry: entry("message", 2, func(e map[string]any) { e["statusMessage"] = four[:2] }), want: Indeterminate, wantErr: ErrMalformed},
		{name: "statusMessage not hex", doc: listOf("message", bits, nil), entry: entry("message", 2, func(e map[string]any) {
			e["statusMessage"] = []StatusMessage{{Status: "0x0", Message: "a"}, {Status: "0x1", Message: "b"}, {Status: "two", Message: "c"}, {Status: "0x3", Message: "d"}}
		}), want: Indeterminate, wantErr: ErrMalformed},
		{name: "statusMessage element without a message", doc: listOf("message", bits, nil), entry: entry("message", 2, func(e map[string]any) {
			e["statusMessage"] = []map[string]string{{"status": "0x0"}, {"status": "0x1"}, {"status": "0x2"}, {"status": "0x3"}}
		}), want: Indeterminate, wantErr: ErrMalformed},
		{name: "statusMessage of 1 bit, wrong length", doc: listOf("message", bits, nil), entry: func() map[string]any {
			e := bitEntry(list, Message, 4)
			e["statusMessage"] = four
			return e
		}(), want: Indeterminate, wantErr: ErrMalformed},
		{name: "statusSize 0", doc: listOf("message", bits, nil), entry: entry("message", 2, func(e map[string]any) { e["statusSize"] = 0 }), want: Indeterminate, wantErr: ErrMalformed},
		{name: "statusSize not an integer", doc: listOf("message", bits, nil), entry: entry("message", 2, func(e map[string]any) { e["statusSize"] = 2.5 }), want: Indeterminate, wantErr: ErrMalformed},
		{name: "statusSize too large", doc: listOf("message", bits, nil), entry: entry("message", 2, func(e map[string]any) { e["statusSize"] = MaxStatusSize + 1 }), want: Indeterminate, wantErr: ErrUnsupported},
		{name: "statusReference relative", doc: listOf("message", bits, nil), entry: entry("message", 2, func(e map[string]any) { e["statusReference"] = "dictionary" }), want: Indeterminate, wantErr: ErrMalformed},
		{name: "statusReference not a string", doc: listOf("message", bits, nil), entry: entry("message", 2, func(e map[string]any) { e["statusReference"] = 7 }), want: Indeterminate, wantErr: ErrMalformed},
		{name: "refresh", doc: listOf("refresh", bits, nil), entry: entry("refresh", 2, nil), want: Indeterminate, wantErr: ErrUnsupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs := map[string][]byte{list: tt.doc}
			c := &Checker{Documents: docs, Now: func() time.Time { return fixedNow }}
			if tt.opts != nil {
				tt.opts(c)
			}
			rs, err := c.Check(context.Background(), f.cred(t, tt.entry))
			if err != nil {
				t.Fatal(err)
			}
			r := rs[0]
			if r.Standing != tt.want || !errors.Is(r.Err, tt.wantErr) || tt.wantErr == nil && r.Err != nil {
				t.Fatalf("outcome %v, error %v; want %v, %v", r.Standing, r.Err, tt.want, tt.wantErr)
			}
			if tt.want == Indeterminate {
				if r.Value != -1 || r.Message != "" {
					t.Errorf("value %d, message %q with no value read", r.Value, r.Message)
				}
				return
			}
			if r.Value != tt.value || r.Message != tt.message || r.Reason != tt.reason {
				t.Errorf("value %d, message %q, reason %q\nwant %d, %q, %q", r.Value, r.Message, r.Reason, tt.value, tt.message, tt.reason)
			}
		})
	}
}

// TestCheckMessageCombine: a message entry, whatever its value, neither
// revokes nor suspends the credential; one that cannot be read leaves its
// status undecided.
func TestCheckMessageCombine(t *testing.T) {
	ctx := context.Background()
	f := newMessageFixture(t, &MemoryStore{})
	if _, err := f.reg.Create(ctx, msgURL, &ListOptions{Purpose: Message, StatusSize: 2, StatusMessage: NewStatusMessages("a", "b", "c", "d")}); err != nil {
		t.Fatal(err)
	}
	zero, _ := f.reg.Allocate(ctx, msgURL)
	three, _ := f.reg.Allocate(ctx, msgURL)
	i, _ := three.Index()
	if err := f.reg.SetStatus(ctx, msgURL, i, 3); err != nil {
		t.Fatal(err)
	}
	docs := map[string][]byte{msgURL: f.publish(t, msgURL)}
	tests := []struct {
		name    string
		docs    map[string][]byte
		entries []any
		want    Standing
	}{
		{"value 0", docs, []any{zero}, NotRevoked},
		{"value 3", docs, []any{three}, NotRevoked},
		{"both", docs, []any{zero, three}, NotRevoked},
		{"list missing", map[string][]byte{}, []any{three}, Indeterminate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Combine(f.check(t, tt.docs, nil, tt.entries...)); got != tt.want {
				t.Errorf("Combine = %v, want %v", got, tt.want)
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
