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

// An issuer signs an Open Badges 3.0 credential as a VC-JWT whose kid is its
// did:key, and a verifier checks it offline.
func Example() {
	ctx := context.Background()
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{2}, 32)) // use keys.Generate in real code
	kid, _ := keys.DIDKeyVerificationMethod(key.Public())
	issuer, _, _ := strings.Cut(kid, "#")

	credential := []byte(`{
  "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
  "id": "urn:uuid:0b7b5d2c-8a3e-4f4b-9d61-3c2e1f0a9b87",
  "type": ["VerifiableCredential", "OpenBadgeCredential"],
  "issuer": {"id": "` + issuer + `", "type": ["Profile"], "name": "Example College"},
  "validFrom": "2026-06-01T00:00:00Z",
  "name": "Intro to Statistics",
  "credentialSubject": {
    "id": "did:example:learner-7",
    "type": ["AchievementSubject"],
    "achievement": {
      "id": "https://example.edu/achievements/stats-101",
      "type": ["Achievement"],
      "name": "Intro to Statistics",
      "criteria": {"narrative": "Pass the final exam."}
    }
  }
}`)
	token, err := (&jose.Signer{Key: key, KeyID: kid}).Sign(ctx, credential)
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := (&jose.Verifier{}).Verify(ctx, []byte(token))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("verified:", res.Verified, res.Format, res.Header.Algorithm)
	fmt.Println("iss:", res.Claims.Issuer == issuer, "nbf:", res.Claims.NotBefore.Format("2006-01-02"))
	fmt.Println("same credential:", bytes.Equal(res.Credential, credential))
	// Output:
	// verified: true VC-JWT EdDSA
	// iss: true nbf: 2026-06-01
	// same credential: true
}

// A token whose algorithm is "none" is refused, whatever it says.
func ExampleVerifier_Verify_algNone() {
	token := "eyJhbGciOiJub25lIn0.eyJpc3MiOiJkaWQ6ZXhhbXBsZToxIn0."
	res, err := (&jose.Verifier{}).Verify(context.Background(), []byte(token))
	fmt.Println(err, res.Verified, res.Err)
	// Output:
	// <nil> false jose: algorithm refused: alg "none": an unsigned token proves nothing
}
