package statussign_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"log"

	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
	"github.com/go-openbadges/openbadges/proof/jose"
	"github.com/go-openbadges/openbadges/status"
	"github.com/go-openbadges/openbadges/status/statussign"
)

// A list published as a VC-JWT.
func ExampleJOSE() {
	ctx := context.Background()
	key, issuer, vm := exampleKey()
	reg := &status.Registry{Store: &status.MemoryStore{}}
	reg.Create(ctx, "https://example.edu/status/1", nil)
	token, err := reg.Publish(ctx, "https://example.edu/status/1", &status.PublishOptions{
		Issuer: issuer,
		Signer: statussign.JOSE(&jose.Signer{Key: key, KeyID: vm}),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(bytes.Count(token, []byte(".")), "dots: a compact JWS")
	// Output: 2 dots: a compact JWS
}

// exampleKey is a fixed Ed25519 key, so that the examples' signatures are
// the same on every run; use keys.Generate or a keys.Store in real code.
// A list published with a Data Integrity proof, eddsa-rdfc-2022 for an
// Ed25519 key.
func ExampleDataIntegrity() {
	ctx := context.Background()
	key, issuer, vm := exampleKey()
	reg := &status.Registry{Store: &status.MemoryStore{}}
	reg.Create(ctx, "https://example.edu/status/1", nil)
	list, err := reg.Publish(ctx, "https://example.edu/status/1", &status.PublishOptions{
		Issuer: issuer,
		Signer: statussign.DataIntegrity(&dataintegrity.Signer{Key: key, VerificationMethod: vm}, nil),
	})
	if err != nil {
		log.Fatal(err)
	}
	var doc struct {
		Proof []struct {
			Cryptosuite        string `json:"cryptosuite"`
			VerificationMethod string `json:"verificationMethod"`
		} `json:"proof"`
	}
	if err := json.Unmarshal(list, &doc); err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(doc.Proof), doc.Proof[0].Cryptosuite, doc.Proof[0].VerificationMethod == vm)
	// Output: 1 eddsa-rdfc-2022 true
}

func exampleKey() (ed25519.PrivateKey, string, string) {
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	issuer, _ := keys.DIDKey(key.Public())
	vm, _ := keys.DIDKeyVerificationMethod(key.Public())
	return key, issuer, vm
}
