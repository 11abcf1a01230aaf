package status

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
)

// fuzzMaxListBytes keeps the fuzzers' decompression small and fast.
const fuzzMaxListBytes = 1 << 17

func FuzzParseBitstring(f *testing.F) {
	for _, name := range []string{"w3c/example3-status-list-credential.json", "1edtech/testlist.json", "dcc/revocation-list-signed.json"} {
		f.Add(encodedListOf(f, name))
	}
	f.Add(string(bytes.TrimSpace(readTestdata(f, "dcc/encodedlist-262144.txt"))))
	f.Add("u")
	f.Add("uH4sI")
	f.Add(multibase(gzipBytes(f, make([]byte, fuzzMaxListBytes+1))))
	f.Add(multibase(append(gzipBytes(f, []byte{1, 2, 3}), gzipBytes(f, []byte{4})...)))
	f.Fuzz(func(t *testing.T, encoded string) {
		b, err := ParseBitstring(encoded, fuzzMaxListBytes)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrListTooLarge) {
				t.Fatalf("error %v wraps neither ErrMalformed nor ErrListTooLarge", err)
			}
			if b != nil {
				t.Fatal("bits with an error")
			}
			return
		}
		if len(b) == 0 || len(b) > fuzzMaxListBytes {
			t.Fatalf("%d bytes decoded, limit %d", len(b), fuzzMaxListBytes)
		}
		again, err := ParseBitstring(b.Encode(), fuzzMaxListBytes)
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("Encode then ParseBitstring: %v", err)
		}
		if b.Count() > b.Len() {
			t.Fatal("more bits set than there are")
		}
	})
}

func FuzzListJSON(f *testing.F) {
	l, _ := NewList(testURL, &ListOptions{Purpose: Suspension})
	_ = l.Allocated.Set(3, true)
	_ = l.Status.Set(3, true)
	data, err := l.MarshalJSON()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	ml, _ := NewList(msgURL, &ListOptions{Purpose: Message, StatusSize: 3, StatusMessage: NewStatusMessages("a", "b", "c", "d", "e", "f", "g", "h"), StatusReference: []string{msgRef}})
	_ = ml.Allocated.Set(9, true)
	_ = ml.Status.SetValue(9, 3, 5)
	data, err = ml.MarshalJSON()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	ed, _ := NewList("https://example.edu/revocations", &ListOptions{Method: Method1EdTech})
	_ = ed.revokeID("urn:uuid:1", "reason", fixedNow)
	data, _ = ed.MarshalJSON()
	f.Add(data)
	f.Add([]byte(`{"format":"openbadges-status-list/1"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var l List
		if err := l.UnmarshalJSON(data); err != nil {
			return
		}
		out, err := l.MarshalJSON()
		if err != nil {
			t.Fatalf("a list that decoded does not encode: %v", err)
		}
		var back List
		if err := back.UnmarshalJSON(out); err != nil {
			t.Fatalf("a list that encoded does not decode: %v", err)
		}
		if back.URL != l.URL || !bytes.Equal(back.Status, l.Status) || !bytes.Equal(back.Allocated, l.Allocated) || len(back.Revoked) != len(l.Revoked) ||
			back.StatusSize != l.StatusSize || len(back.StatusMessage) != len(l.StatusMessage) || len(back.StatusReference) != len(l.StatusReference) {
			t.Fatal("the round trip changed the list")
		}
		if l.Method == MethodBitstring && l.Status.Len() != l.Length()*l.StatusSize {
			t.Fatalf("%d status bits for %d entries of %d bits", l.Status.Len(), l.Length(), l.StatusSize)
		}
	})
}

// FuzzEntry fuzzes the reader of one credentialStatus entry: its
// statusSize, statusMessage and statusReference above all.
func FuzzEntry(f *testing.F) {
	f.Add([]byte(`{"type":"BitstringStatusListEntry","statusPurpose":"message","statusListIndex":"7","statusSize":2,` +
		`"statusMessage":[{"status":"0x0","message":"pending_review"},{"status":"0x1","message":"accepted"},{"status":"0x2","message":"rejected"},{"status":"0x3","message":"undefined"}],` +
		`"statusReference":"https://example.org/status-dictionary/","statusListCredential":"https://example.com/credentials/status/8"}`))
	f.Add([]byte(`{"statusSize":1,"statusMessage":[{"status":"0x01","message":"b","x":1},{"status":"0x0","message":""}],"statusReference":["https://a.example","urn:x"]}`))
	f.Add([]byte(`{"statusSize":3,"statusMessage":[{"status":"0xZ"}],"statusReference":7}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		e := parseEntry(raw)
		if e.Err != nil {
			if !errors.Is(e.Err, ErrMalformed) && !errors.Is(e.Err, ErrIndexOutOfRange) && !errors.Is(e.Err, ErrUnsupported) {
				t.Fatalf("error %v wraps none of ErrMalformed, ErrIndexOutOfRange, ErrUnsupported", e.Err)
			}
			return
		}
		if e.Entry.StatusSize < 0 || len(e.Entry.StatusMessage) > 1<<MaxStatusSize {
			t.Fatalf("statusSize %d, %d messages", e.Entry.StatusSize, len(e.Entry.StatusMessage))
		}
		size := max(e.Entry.StatusSize, 1)
		if err := checkStatusMessages(size, e.Entry.StatusMessage); err == nil {
			seen := map[string]bool{}
			for v := range 1 << size {
				for _, m := range e.Entry.StatusMessage {
					if x, _ := m.Value(); x == v {
						seen[m.Status] = true
					}
				}
			}
			if len(seen) != 1<<size {
				t.Fatalf("statusMessage accepted for statusSize %d, but %d values have a message", size, len(seen))
			}
		}
		if len(e.Entry.StatusReference) > 0 {
			data, err := json.Marshal(e.Entry.StatusReference)
			if err != nil {
				t.Fatal(err)
			}
			var back References
			if err := back.UnmarshalJSON(data); err != nil || len(back) != len(e.Entry.StatusReference) {
				t.Fatalf("references %q do not round trip: %v", e.Entry.StatusReference, err)
			}
		}
	})
}
