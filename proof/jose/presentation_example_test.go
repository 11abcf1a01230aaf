package jose_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"fmt"
	"strings"

	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/proof/jose"
)

// A holder signs a presentation as a vp+jwt, with the verifier's challenge
// as its nonce, and the verifier checks the holder's key and the nonce.
// (Package present builds presentations; package verify also checks the
// credentials inside.)
func ExampleSigner_SignPresentation() {
	ctx := context.Background()
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{3}, 32)) // use keys.Generate in real code
	kid, _ := keys.DIDKeyVerificationMethod(key.Public())
	holder, _, _ := strings.Cut(kid, "#")

	presentation := []byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"],"holder":"` + holder + `",` +
		`"verifiableCredential":[{"@context":"https://www.w3.org/ns/credentials/v2","type":"EnvelopedVerifiableCredential","id":"data:application/vc+jwt,eyJhbGciOiJFZERTQSJ9.e30.c2ln"}]}`)
	token, err := (&jose.Signer{Key: key, KeyID: kid}).SignPresentation(ctx, presentation, &jose.PresentationOptions{Challenge: "3f9c1a7e", Domain: "verifier.example"})
	if err != nil {
		fmt.Println(err)
		return
	}

	res, err := (&jose.Verifier{}).VerifyPresentation(ctx, []byte(token), &jose.PresentationOptions{Challenge: "3f9c1a7e", Domain: "verifier.example"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Verified, res.Holder == holder, res.Header.Type, res.Nonce)
	// The presentation is the bytes signed, without the token's claims.
	fmt.Println(bytes.Equal(res.Presentation, presentation))

	// Another verifier's challenge: refused.
	res, _ = (&jose.Verifier{}).VerifyPresentation(ctx, []byte(token), &jose.PresentationOptions{Challenge: "other"})
	fmt.Println(res.Verified, res.Err)
	// Output:
	// true true vp+jwt 3f9c1a7e
	// true
	// false jose: the presentation's nonce or aud is not the one expected: the nonce is "3f9c1a7e", want "other"
}
