package status

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"maps"
	"testing"
	"time"
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

// FuzzListDocument fuzzes the readers of list documents past their proof:
// the BitstringStatusListCredential reader and the 1EdTech list reader.
func FuzzListDocument(f *testing.F) {
	for _, name := range []string{"w3c/example3-status-list-credential.json", "1edtech/testlist.json", "dcc/revocation-list-signed.json", "w3c/example5-status-list-eddsa-rdfc-2022.json"} {
		f.Add(readTestdata(f, name))
	}
	f.Add([]byte(`{"id":"https://example.edu/revocations","issuer":"did:example:1","revokedCredential":[{"id":"urn:x","revoked":true,"revocationReason":"r"}]}`))
	f.Add([]byte(`{"revokedCredentials":[{"id":"urn:x"},{"id":"urn:x","revoked":false}]}`))
	f.Add([]byte(`{"type":"BitstringStatusListCredential","credentialSubject":{"type":"BitstringStatusList","statusPurpose":"message","statusSize":2,"encodedList":"uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"}}`))
	c := &Checker{MaxListBytes: fuzzMaxListBytes, MinLength: 8}
	f.Fuzz(func(t *testing.T, doc []byte) {
		vl := &verifiedList{info: ListInfo{URL: testURL}}
		if err := c.readBitstringList(vl, doc, 1<<20); err == nil {
			if vl.bits.Len() < 8 || len(vl.info.Purposes) == 0 || vl.statusSize < 0 {
				t.Fatalf("accepted a list of %d bits with purposes %q, statusSize %d", vl.bits.Len(), vl.info.Purposes, vl.statusSize)
			}
		}
		ed := &verifiedList{info: ListInfo{URL: testURL, Method: Method1EdTech}}
		if err := parse1EdTechList(ed, doc, 1<<20); err == nil && ed.revoked == nil {
			t.Fatal("accepted a 1EdTech list without a map")
		}
	})
}

// FuzzCheck checks fuzzed credentials against a fixed set of lists.
func FuzzCheck(f *testing.F) {
	fx := newCheckerFixture(f)
	f.Add(fx.cred(f, bitEntry(fxRev, Revocation, fx.revIdx)))
	f.Add(fx.cred(f, bitEntry(fxSus, Suspension, fx.susIdx), map[string]any{"id": fxEd, "type": "1EdTechRevocationList"}))
	f.Add(readTestdata(f, "w3c/example1-credential.json"))
	f.Add(readTestdata(f, "1edtech/credential-status-revoked.json"))
	f.Add([]byte(`{"credentialStatus":{"type":"BitstringStatusListEntry","statusListIndex":7}}`))
	ctx := context.Background()
	if _, err := fx.reg.Create(ctx, msgURL, &ListOptions{Purpose: Message, StatusSize: 2, StatusMessage: NewStatusMessages("a", "b", "c", "d"), StatusReference: []string{msgRef}}); err != nil {
		f.Fatal(err)
	}
	me, err := fx.reg.Allocate(ctx, msgURL)
	if err != nil {
		f.Fatal(err)
	}
	mi, _ := me.Index()
	_ = fx.reg.SetStatus(ctx, msgURL, mi, 2)
	docs := maps.Clone(fx.docs)
	docs[msgURL], err = fx.reg.Publish(ctx, msgURL, &PublishOptions{Issuer: fx.issuer.did, Signer: fx.issuer.diSigner(), Validity: 48 * time.Hour})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(fx.cred(f, me))
	f.Add(fx.cred(f, me, bitEntry(fxRev, Revocation, fx.revIdx)))
	f.Add([]byte(`{"credentialStatus":{"type":"BitstringStatusListEntry","statusPurpose":"message","statusSize":1,"statusMessage":[{"status":"0x0","message":"a"},{"status":"0x1","message":"b"}],"statusReference":["https://a.example"],"statusListIndex":"3","statusListCredential":"` + msgURL + `"}}`))
	f.Add([]byte("eyJhbGciOiJFZERTQSJ9." + b64(`{"vc":{"credentialStatus":[]}}`) + ".c2ln"))
	c := &Checker{Documents: docs, Now: func() time.Time { return fixedNow }}
	f.Fuzz(func(t *testing.T, cred []byte) {
		rs, err := c.Check(context.Background(), cred)
		if err != nil {
			if rs != nil {
				t.Fatal("results with an error")
			}
			return
		}
		if len(rs) > MaxEntries {
			t.Fatalf("%d results", len(rs))
		}
		for _, r := range rs {
			if (r.Outcome == Indeterminate) != (r.Err != nil) || r.Reason == "" {
				t.Fatalf("outcome %v, error %v, reason %q", r.Outcome, r.Err, r.Reason)
			}
			if read := r.Value >= 0; read != (r.Message != "") || read && r.Outcome == Indeterminate || read && r.Value >= 1<<r.StatusSize {
				t.Fatalf("outcome %v, value %d of %d bits, message %q", r.Outcome, r.Value, r.StatusSize, r.Message)
			}
			if r.Purpose == Message && r.Outcome != NotRevoked && r.Outcome != Indeterminate {
				t.Fatalf("a message entry is %v", r.Outcome)
			}
		}
		if _, err := ParseEntries(cred); err != nil && !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrIndexOutOfRange) && !errors.Is(err, ErrListTooLarge) {
			t.Fatalf("ParseEntries: %v", err)
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
		if e.err != nil {
			if !errors.Is(e.err, ErrMalformed) && !errors.Is(e.err, ErrIndexOutOfRange) && !errors.Is(e.err, ErrUnsupported) {
				t.Fatalf("error %v wraps none of ErrMalformed, ErrIndexOutOfRange, ErrUnsupported", e.err)
			}
			return
		}
		if e.statusSize < 0 || len(e.messages) > 1<<MaxStatusSize {
			t.Fatalf("statusSize %d, %d messages", e.statusSize, len(e.messages))
		}
		size := max(e.statusSize, 1)
		if err := checkStatusMessages(size, e.messages); err == nil {
			seen := map[string]bool{}
			for v := range 1 << size {
				for _, m := range e.messages {
					if x, _ := m.Value(); x == v {
						seen[m.Status] = true
					}
				}
			}
			if len(seen) != 1<<size {
				t.Fatalf("statusMessage accepted for statusSize %d, but %d values have a message", size, len(seen))
			}
		}
		if len(e.references) > 0 {
			data, err := json.Marshal(References(e.references))
			if err != nil {
				t.Fatal(err)
			}
			var back References
			if err := back.UnmarshalJSON(data); err != nil || len(back) != len(e.references) {
				t.Fatalf("references %q do not round trip: %v", e.references, err)
			}
		}
	})
}
