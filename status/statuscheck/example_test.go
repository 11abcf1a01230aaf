package statuscheck_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"log"
	"time"

	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
	"github.com/go-openbadges/openbadges/status"
	"github.com/go-openbadges/openbadges/status/statuscheck"
	"github.com/go-openbadges/openbadges/status/statussign"
)

// A verifier checks a credential's status against the published list,
// here from an offline map; set Fetcher (fetch.HTTP) to fetch lists.
func ExampleChecker_Check() {
	ctx := context.Background()
	key, issuer, vm := exampleKey()
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	const listURL = "https://example.edu/status/1"

	// The issuer's side.
	reg := &status.Registry{Store: &status.MemoryStore{}}
	reg.Create(ctx, listURL, nil)
	good, _ := reg.Allocate(ctx, listURL)
	bad, _ := reg.Allocate(ctx, listURL)
	badIndex, _ := bad.Index()
	reg.Revoke(ctx, listURL, badIndex)
	list, _ := reg.Publish(ctx, listURL, &status.PublishOptions{
		Issuer:    issuer,
		Signer:    statussign.DataIntegrity(&dataintegrity.Signer{Key: key, VerificationMethod: vm}, nil),
		ValidFrom: now,
	})
	credential := func(e *status.Entry) []byte {
		c, _ := json.Marshal(map[string]any{"id": "urn:uuid:1", "issuer": issuer, "credentialStatus": e})
		return c
	}

	// The verifier's side.
	checker := &statuscheck.Checker{
		Documents: map[string][]byte{listURL: list},
		Now:       func() time.Time { return now.Add(time.Hour) },
	}
	for _, e := range []*status.Entry{good, bad} {
		results, err := checker.Check(ctx, credential(e))
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(statuscheck.Combine(results))
	}
	// Without the list there is no answer, and no answer is not "not revoked".
	results, _ := (&statuscheck.Checker{}).Check(ctx, credential(good))
	fmt.Println(results[0].Standing, "-", results[0].Err != nil)
	// Output:
	// not revoked
	// revoked
	// indeterminate - true
}

func ExampleCombine() {
	results := []statuscheck.Result{{Standing: statuscheck.NotRevoked}, {Standing: statuscheck.Indeterminate}}
	fmt.Println(statuscheck.Combine(results))
	results = append(results, statuscheck.Result{Standing: statuscheck.Suspended})
	fmt.Println(statuscheck.Combine(results))
	// Output:
	// indeterminate
	// suspended
}

// A message list's entries take statusSize bits: each value stands for one
// of the messages the credential's entry lists. The issuer sets an entry's
// value, and a verifier reads it back with its message; a message neither
// revokes nor suspends.
func ExampleChecker_Check_message() {
	ctx := context.Background()
	key, issuer, vm := exampleKey()
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
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
	list, _ := reg.Publish(ctx, listURL, &status.PublishOptions{
		Issuer:    issuer,
		Signer:    statussign.DataIntegrity(&dataintegrity.Signer{Key: key, VerificationMethod: vm}, nil),
		ValidFrom: now,
	})

	cred, _ := json.Marshal(map[string]any{"id": "urn:uuid:1", "issuer": issuer, "credentialStatus": entry})
	checker := &statuscheck.Checker{
		Documents: map[string][]byte{listURL: list},
		Now:       func() time.Time { return now.Add(time.Hour) },
	}
	results, err := checker.Check(ctx, cred)
	if err != nil {
		log.Fatal(err)
	}
	r := results[0]
	fmt.Println(entry.StatusSize, len(entry.StatusMessage), entry.StatusReference)
	fmt.Println(r.Standing, r.Value, r.Message)
	// Output:
	// 2 4 [https://example.edu/status/review-codes]
	// not revoked 2 rejected
}

// exampleKey is a fixed Ed25519 key, so that the examples' signatures are
// the same on every run; use keys.Generate or a keys.Store in real code.
func exampleKey() (ed25519.PrivateKey, string, string) {
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	issuer, _ := keys.DIDKey(key.Public())
	vm, _ := keys.DIDKeyVerificationMethod(key.Public())
	return key, issuer, vm
}
