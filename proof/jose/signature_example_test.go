package jose_test

import (
	"fmt"
	"os"

	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/proof/jose"
)

// ExampleVerifySignature checks a JWS whose payload is not a credential
// with a key the caller found and trusts: here the example of RFC 7515
// Appendix A.4; a signed Open Badges 2.0 assertion is checked the same
// way, with the key of its issuer's CryptographicKey.
func ExampleVerifySignature() {
	token, err := os.ReadFile("testdata/rfc7515/a4.jws")
	if err != nil {
		panic(err)
	}
	jwk, err := os.ReadFile("testdata/rfc7515/a4-key.json")
	if err != nil {
		panic(err)
	}
	key, _, err := keys.ParsePrivateJWK(jwk)
	if err != nil {
		panic(err)
	}
	header, payload, err := jose.VerifySignature(token, key.Public())
	if err != nil {
		fmt.Println("not verified:", err)
		return
	}
	fmt.Printf("%s: %s\n", header.Algorithm, payload)
	// Output: ES512: Payload
}
