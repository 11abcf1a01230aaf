package present_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/present"
	"github.com/go-openbadges/openbadges/verify"
)

// A wallet presents a credential to a verifier: the holder's key comes from
// its key store, the challenge and domain from the verifier, and the
// verifier checks the presentation and the credential inside with package
// verify.
func Example() {
	ctx := context.Background()
	// The holder's key, a did:key, as a wallet keeps it.
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{3}, ed25519.SeedSize))
	holder, _ := keys.DIDKey(key.Public())
	vm, _ := keys.DIDKeyVerificationMethod(key.Public())
	k, err := keys.NewKey(vm, holder, key)
	if err != nil {
		log.Fatal(err)
	}
	store := &keys.MemoryStore{}
	if err := store.Add(ctx, k); err != nil {
		log.Fatal(err)
	}
	cred, err := os.ReadFile("testdata/credential.json")
	if err != nil {
		log.Fatal(err)
	}

	h, err := present.FromStore(ctx, store, holder)
	if err != nil {
		log.Fatal(err)
	}
	vp, err := h.Present(ctx, [][]byte{cred}, &present.Options{Challenge: "3f9c1a7e", Domain: "verifier.example"})
	if err != nil {
		log.Fatal(err)
	}

	// The verifier, with the challenge it gave.
	rep, err := verify.Verify(ctx, vp, nil, &verify.Policy{Challenge: "3f9c1a7e", Domain: "verifier.example", VCOnly: true})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rep.Verified, rep.Holder == holder, len(rep.Credentials))
	fmt.Println(rep.Check(verify.CheckChallenge).Message)
	// Output:
	// true true 1
	// the proof carries the challenge "3f9c1a7e" and the domain "verifier.example" asked for
}

// A presentation the caller built (as the VC API's POST /presentations
// receives it) signed as a vp+jwt, with its credentials enveloped.
func ExampleHolder_Sign() {
	ctx := context.Background()
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{3}, ed25519.SeedSize))
	vm, _ := keys.DIDKeyVerificationMethod(key.Public())
	token, err := os.ReadFile("testdata/credential.jwt")
	if err != nil {
		log.Fatal(err)
	}
	unsigned, err := present.NewPresentation("", "urn:uuid:2", [][]byte{token})
	if err != nil {
		log.Fatal(err)
	}

	h := &present.Holder{Key: key, VerificationMethod: vm, Format: present.Enveloped}
	vp, err := h.Sign(ctx, unsigned, &present.Options{Challenge: "3f9c1a7e"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(strings.SplitAfter(string(vp), "vp+jwt,")[0] + "…")

	rep, err := verify.Verify(ctx, vp, nil, &verify.Policy{Challenge: "3f9c1a7e", VCOnly: true})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rep.Verified, rep.Input, rep.Encoding)
	// The presentation names no holder: the key's controller presented it.
	fmt.Println(rep.Check(verify.CheckHolder).Outcome)
	// Output:
	// {"@context":"https://www.w3.org/ns/credentials/v2","id":"data:application/vp+jwt,…
	// true enveloped jwt
	// warning
}
