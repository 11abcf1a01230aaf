package status_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
	"github.com/go-openbadges/openbadges/status"
	"github.com/go-openbadges/openbadges/status/statussign"
)

// exampleKey is a fixed Ed25519 key, so that the examples' signatures are
// the same on every run; use keys.Generate or a keys.Store in real code.
func exampleKey() (ed25519.PrivateKey, string, string) {
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	issuer, _ := keys.DIDKey(key.Public())
	vm, _ := keys.DIDKeyVerificationMethod(key.Public())
	return key, issuer, vm
}

// An issuer creates a revocation list and gives each new credential an
// entry in it.
func ExampleRegistry_Allocate() {
	ctx := context.Background()
	reg := &status.Registry{Store: &status.MemoryStore{}}
	if _, err := reg.Create(ctx, "https://example.edu/status/1", nil); err != nil {
		log.Fatal(err)
	}
	entry, err := reg.Allocate(ctx, "https://example.edu/status/1")
	if err != nil {
		log.Fatal(err)
	}
	// The index is random; put the whole entry in the credential's
	// credentialStatus before signing it.
	index, _ := entry.Index()
	fmt.Println(entry.Type, entry.StatusPurpose, entry.StatusListCredential, index < status.MinListLength)
	// Output: BitstringStatusListEntry revocation https://example.edu/status/1 true
}

// Revoking sets the credential's bit; the change reaches verifiers with
// the next published list.
func ExampleRegistry_Revoke() {
	ctx := context.Background()
	store := &status.MemoryStore{}
	reg := &status.Registry{Store: store}
	reg.Create(ctx, "https://example.edu/status/1", nil)
	entry, _ := reg.Allocate(ctx, "https://example.edu/status/1")
	index, _ := entry.Index()

	if err := reg.Revoke(ctx, "https://example.edu/status/1", index); err != nil {
		log.Fatal(err)
	}
	list, _ := store.Load(ctx, "https://example.edu/status/1")
	revoked, _ := list.Status.Bit(index)
	fmt.Println("revoked:", revoked)
	// Revocation is for good; suspension lists can be undone.
	fmt.Println(reg.Unsuspend(ctx, "https://example.edu/status/1", index) != nil)
	// Output:
	// revoked: true
	// true
}

// A suspension list's bits can be set and cleared again.
func ExampleRegistry_Suspend() {
	ctx := context.Background()
	store := &status.MemoryStore{}
	reg := &status.Registry{Store: store}
	reg.Create(ctx, "https://example.edu/status/suspended", &status.ListOptions{Purpose: status.Suspension})
	entry, _ := reg.Allocate(ctx, "https://example.edu/status/suspended")
	index, _ := entry.Index()

	reg.Suspend(ctx, "https://example.edu/status/suspended", index)
	list, _ := store.Load(ctx, "https://example.edu/status/suspended")
	fmt.Println(entry.StatusPurpose, list.Status.Count())
	reg.Unsuspend(ctx, "https://example.edu/status/suspended", index)
	list, _ = store.Load(ctx, "https://example.edu/status/suspended")
	fmt.Println(list.Status.Count())
	// Output:
	// suspension 1
	// 0
}

// A credential can be revoked from its own bytes: every entry it has in
// the Store's lists is.
func ExampleRegistry_RevokeCredential() {
	ctx := context.Background()
	reg := &status.Registry{Store: &status.MemoryStore{}}
	reg.Create(ctx, "https://example.edu/status/1", nil)
	entry, _ := reg.Allocate(ctx, "https://example.edu/status/1")
	cred, _ := json.Marshal(map[string]any{
		"@context":         []string{"https://www.w3.org/ns/credentials/v2"},
		"id":               "urn:uuid:0d2a3a2e-5b0a-4f7e-8d8b-0b6c6f3f1a11",
		"type":             []string{"VerifiableCredential"},
		"issuer":           "https://example.edu/issuers/1",
		"credentialStatus": entry,
	})
	revoked, err := reg.RevokeCredential(ctx, "", cred, "issued in error")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(revoked), revoked[0].StatusListCredential)
	// Output: 1 https://example.edu/status/1
}

// Publishing signs the list for verifiers; serve the result at the list's
// URL, again after every change and before validUntil.
func ExampleRegistry_Publish() {
	ctx := context.Background()
	key, issuer, vm := exampleKey()
	reg := &status.Registry{Store: &status.MemoryStore{}}
	reg.Create(ctx, "https://example.edu/status/1", nil)

	signed, err := reg.Publish(ctx, "https://example.edu/status/1", &status.PublishOptions{
		Issuer:    issuer,
		Signer:    statussign.DataIntegrity(&dataintegrity.Signer{Key: key, VerificationMethod: vm}, nil),
		ValidFrom: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC),
		Validity:  24 * time.Hour,
	})
	if err != nil {
		log.Fatal(err)
	}
	var c struct {
		Type              []string
		ValidUntil        string
		CredentialSubject struct{ StatusPurpose, EncodedList string }
		Proof             []struct{ Cryptosuite string }
	}
	json.Unmarshal(signed, &c)
	fmt.Println(c.Type, c.ValidUntil, c.CredentialSubject.StatusPurpose, c.Proof[0].Cryptosuite)
	bits, _ := status.ParseBitstring(c.CredentialSubject.EncodedList, 0)
	fmt.Println(bits.Len(), "entries")
	// Output:
	// [VerifiableCredential BitstringStatusListCredential] 2025-06-02T00:00:00Z revocation eddsa-rdfc-2022
	// 131072 entries
}

// A 1EdTech revocation list is plain JSON naming the revoked credentials.
func ExampleRegistry_Publish_revocationList1EdTech() {
	ctx := context.Background()
	reg := &status.Registry{Store: &status.MemoryStore{}}
	reg.Create(ctx, "https://example.edu/revocations", &status.ListOptions{Method: status.Method1EdTech})
	entry, _ := reg.Allocate(ctx, "https://example.edu/revocations")
	e, _ := json.Marshal(entry)
	fmt.Printf("%s (needs the context %s)\n", e, entry.Context())

	reg.RevokeID(ctx, "https://example.edu/revocations", "urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002", "issued in error")
	list, err := reg.Publish(ctx, "https://example.edu/revocations", &status.PublishOptions{Issuer: "https://example.edu/issuers/1"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s\n", list)
	// Output:
	// {"id":"https://example.edu/revocations","type":"1EdTechRevocationList"} (needs the context https://purl.imsglobal.org/spec/ob/v3p0/extensions.json)
	// {"id":"https://example.edu/revocations","issuer":"https://example.edu/issuers/1","revokedCredential":[{"id":"urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002","revoked":true,"revocationReason":"issued in error"}]}
}

// A message list's entries take statusSize bits: each value stands for one
// of the messages the credential's entry lists. The issuer sets an entry's
// value, and a verifier reads it back with its message; a message neither
// revokes nor suspends.
func ExampleRegistry_SetStatus() {
	ctx := context.Background()
	const listURL = "https://example.edu/status/review"

	reg := &status.Registry{Store: &status.MemoryStore{}}
	_, err := reg.Create(ctx, listURL, &status.ListOptions{
		Purpose:         status.Message,
		StatusSize:      2,
		StatusMessage:   status.NewStatusMessages("pending_review", "accepted", "rejected", "undefined"),
		StatusReference: []string{"https://example.edu/status/review-codes"},
	})
	if err != nil {
		log.Fatal(err)
	}
	entry, _ := reg.Allocate(ctx, listURL)
	index, _ := entry.Index()
	if err := reg.SetStatus(ctx, listURL, index, 2); err != nil {
		log.Fatal(err)
	}
	// What a verifier reads in the published list (see package
	// statuscheck): the entry's value, and its message.
	list, _ := reg.Store.Load(ctx, listURL)
	v, _ := list.Status.Value(index, list.StatusSize)
	fmt.Println(entry.StatusSize, len(entry.StatusMessage), entry.StatusReference)
	fmt.Println(v, entry.Message(v))
	// Output:
	// 2 4 [https://example.edu/status/review-codes]
	// 2 rejected
}

// An entry can bring its own messages, which its credential commits to when
// it is issued.
func ExampleRegistry_AllocateWith() {
	ctx := context.Background()
	reg := &status.Registry{Store: &status.MemoryStore{}}
	reg.Create(ctx, "https://example.edu/status/m", &status.ListOptions{Purpose: status.Message, StatusSize: 1})
	entry, err := reg.AllocateWith(ctx, "https://example.edu/status/m", &status.AllocateOptions{
		StatusMessage: status.NewStatusMessages("current", "superseded"),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(entry.StatusPurpose, entry.StatusMessage)
	// Output: message [{0x0 current} {0x1 superseded}]
}

// A DirStore keeps lists in files, each change durable before the call
// returns.
func ExampleOpenDir() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "status-example")
	defer os.RemoveAll(dir)

	store, err := status.OpenDir(filepath.Join(dir, "lists"))
	if err != nil {
		log.Fatal(err)
	}
	reg := &status.Registry{Store: store, NextURL: status.NextNumberedURL}
	reg.Create(ctx, "https://example.edu/status/1", nil)
	for range 3 {
		if _, err := reg.Allocate(ctx, "https://example.edu/status/1"); err != nil {
			log.Fatal(err)
		}
	}
	// Another process, or this one after a crash, sees every allocation.
	again, _ := status.OpenDir(filepath.Join(dir, "lists"))
	list, _ := again.Load(ctx, "https://example.edu/status/1")
	fmt.Println(list.AllocatedCount(), "allocated, revision", list.Revision)
	// Output: 3 allocated, revision 3
}

func ExampleParseBitstring() {
	// From the W3C Bitstring Status List Recommendation's Example 3.
	bits, err := status.ParseBitstring("uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA", 0)
	if err != nil {
		log.Fatal(err)
	}
	set, _ := bits.Bit(94567)
	fmt.Println(bits.Len(), "entries,", bits.Count(), "set; 94567 set:", set)
	// Output: 131072 entries, 0 set; 94567 set: false
}

func ExampleBitstring_Encode() {
	bits, _ := status.NewBitstring(status.MinListLength)
	bits.Set(23, true)
	encoded := bits.Encode()
	back, _ := status.ParseBitstring(encoded, 0)
	set, _ := back.Bit(23)
	fmt.Println(encoded[:5], set, back.Count())
	// Output: uH4sI true 1
}

func ExampleNextNumberedURL() {
	for _, u := range []string{"https://example.edu/status/9", "https://example.edu/revocations"} {
		next, _ := status.NextNumberedURL(u)
		fmt.Println(next)
	}
	// Output:
	// https://example.edu/status/10
	// https://example.edu/revocations-2
}

func ExampleParseEntries() {
	cred := []byte(`{
	  "id": "https://example.com/credentials/23894672394",
	  "credentialStatus": [{
	    "id": "https://example.com/credentials/status/3#94567",
	    "type": "BitstringStatusListEntry",
	    "statusPurpose": "revocation",
	    "statusListIndex": "94567",
	    "statusListCredential": "https://example.com/credentials/status/3"
	  }, {
	    "id": "https://example.edu/revocations",
	    "type": "1EdTechRevocationList"
	  }]
	}`)
	entries, err := status.ParseEntries(cred)
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range entries {
		fmt.Println(e.Type, e.ListURL(), e.StatusListIndex)
	}
	// Output:
	// BitstringStatusListEntry https://example.com/credentials/status/3 94567
	// 1EdTechRevocationList https://example.edu/revocations
}

// An issuer maps an Entry into package credential's CredentialStatus.
func ExampleEntry_Extra() {
	e := status.Entry{
		ID: "https://example.edu/status/1#94567", Type: "BitstringStatusListEntry", StatusPurpose: status.Revocation,
		StatusListIndex: "94567", StatusListCredential: "https://example.edu/status/1",
	}
	// As package credential models it:
	cs := credential.CredentialStatus{ID: e.ID, Type: credential.TypeName(e.Type), Extra: e.Extra()}
	fmt.Println(cs.ID, cs.Type, string(cs.Extra["statusListIndex"]))
	// Output: https://example.edu/status/1#94567 BitstringStatusListEntry "94567"
}

func ExampleNewList() {
	l, err := status.NewList("https://example.edu/status/suspended", &status.ListOptions{Purpose: status.Suspension, Length: 2 * status.MinListLength})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(l.Method, l.Purpose, l.Length())
	_, err = status.NewList("http://example.edu/status/1", nil)
	fmt.Println(err != nil)
	// Output:
	// BitstringStatusList suspension 262144
	// true
}

// ReadCredential reads what a credential's status depends on, entry by
// entry: a malformed entry fails alone.
func ExampleReadCredential() {
	cred := []byte(`{
		"id": "urn:uuid:1", "issuer": {"id": "did:web:example.edu"},
		"credentialStatus": [
			{"id": "https://example.edu/status/1#94567", "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
			 "statusListIndex": "94567", "statusListCredential": "https://example.edu/status/1"},
			{"type": "BitstringStatusListEntry", "statusListIndex": "many"}
		]}`)
	info, err := status.ReadCredential(cred)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(info.ID, info.Issuer, info.NumEntries())
	for i := range info.NumEntries() {
		e := info.Entry(i)
		fmt.Println(e.Index, e.Entry.ListURL(), e.Err, e.CheckBitstring() == nil)
	}
	// Output:
	// urn:uuid:1 did:web:example.edu 2
	// 94567 https://example.edu/status/1 <nil> true
	// -1  statusListIndex: status: malformed value: index "many" is not a base-10 integer false
}
