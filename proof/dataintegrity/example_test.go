package dataintegrity_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"fmt"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
)

// An issuer signs an Open Badges 3.0 credential with eddsa-rdfc-2022 and a
// did:key, and a verifier checks it offline.
func Example() {
	ctx := context.Background()
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{1}, 32)) // use keys.Generate in real code
	vm, _ := keys.DIDKeyVerificationMethod(key.Public())
	issuer, _, _ := strings.Cut(vm, "#")

	credential := []byte(`{
  "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
  "id": "urn:uuid:2e3c5b7a-9d1f-4c8e-b6a0-1f2d3c4b5a69",
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
      "criteria": {"narrative": "Pass the final exam with 70% or more."}
    }
  }
}`)

	signer := &dataintegrity.Signer{Key: key, VerificationMethod: vm}
	signed, err := signer.Sign(ctx, credential, &dataintegrity.ProofOptions{
		Created: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC),
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	res, err := (&dataintegrity.Verifier{}).Verify(ctx, signed)
	if err != nil {
		fmt.Println(err)
		return
	}
	p := res.Proofs[0]
	fmt.Println("verified:", res.Verified)
	fmt.Println("suite:", p.Proof.Suite())
	fmt.Println("key bound to issuer by:", p.Method.Binding)

	// Any change to what was signed breaks the proof.
	tampered := bytes.Replace(signed, []byte("70%"), []byte("50%"), 1)
	res, _ = (&dataintegrity.Verifier{}).Verify(ctx, tampered)
	fmt.Println("tampered verified:", res.Verified)
	// Output:
	// verified: true
	// suite: eddsa-rdfc-2022
	// key bound to issuer by: self
	// tampered verified: false
}

// A document that uses a term no context defines is refused before it is
// signed, instead of signing it without that term.
func ExampleSigner_Sign_safeMode() {
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{1}, 32))
	signer := &dataintegrity.Signer{Key: key, VerificationMethod: "did:example:issuer#key-1"}
	_, err := signer.Sign(context.Background(), []byte(`{
  "@context": ["https://www.w3.org/ns/credentials/v2"],
  "type": ["VerifiableCredential"],
  "issuer": "did:example:issuer",
  "credentialSubject": {"id": "relative/learner"}
}`), nil)
	fmt.Println(err)
	// Output:
	// dataintegrity: JSON-LD safe mode: relative/learner: @id is not an absolute IRI (a relative reference, or a term no context defines)
}

// A verifier that knows the issuer's controller document checks a proof
// whose verification method is an https URL, as the 1EdTech examples use.
func ExampleVerifier_Verify() {
	// See package did: did.NewResolver(did.Options{Documents: …}) for
	// documents the caller holds, or did.Options.Fetcher to fetch them.
	v := &dataintegrity.Verifier{}
	res, err := v.Verify(context.Background(), []byte(`{"@context": ["https://www.w3.org/ns/credentials/v2"]}`))
	fmt.Println(res.Verified, err, res.Err())
	// Output:
	// false <nil> dataintegrity: the document has no proof
}
