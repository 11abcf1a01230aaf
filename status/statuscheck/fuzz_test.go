package statuscheck

import (
	"context"
	"errors"
	"maps"
	"testing"
	"time"

	. "github.com/go-openbadges/openbadges/status"
)

// testURL is the URL fuzzed lists are read as retrieved from.
const testURL = "https://example.edu/status/1"

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
			if (r.Standing == Indeterminate) != (r.Err != nil) || r.Reason == "" {
				t.Fatalf("outcome %v, error %v, reason %q", r.Standing, r.Err, r.Reason)
			}
			if read := r.Value >= 0; read != (r.Message != "") || read && r.Standing == Indeterminate || read && r.Value >= 1<<r.StatusSize {
				t.Fatalf("outcome %v, value %d of %d bits, message %q", r.Standing, r.Value, r.StatusSize, r.Message)
			}
			if r.Purpose == Message && r.Standing != NotRevoked && r.Standing != Indeterminate {
				t.Fatalf("a message entry is %v", r.Standing)
			}
		}
		if _, err := ParseEntries(cred); err != nil && !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrIndexOutOfRange) && !errors.Is(err, ErrListTooLarge) {
			t.Fatalf("ParseEntries: %v", err)
		}
	})
}

// fuzzMaxListBytes keeps the fuzzers' decompression small and fast.
const fuzzMaxListBytes = 1 << 17
