package did

import (
	"context"
	"fmt"
	"strings"

	"github.com/go-openbadges/openbadges/keys"
)

// selfRelationships are the verification relationships the did:key and
// did:jwk methods give a signing key: every one but keyAgreement.
func selfRelationships() []string {
	return []string{AssertionMethod, Authentication, CapabilityInvocation, CapabilityDelegation}
}

// Key resolves did:key DIDs of Ed25519, P-256 and P-384 keys: the DID URL
// of the one verification method ("did:key:z…#z…", the fragment repeating
// the key) or the bare DID, which stands for that method. The result has
// Type "Multikey", the DID as Controller, and BindingSelf. It never touches
// the network. The zero Key is ready to use.
type Key struct{}

var _ Resolver = Key{}

// Resolve implements Resolver. A reference that does not start with
// "did:key:" is ErrUnsupported; a did:key with a path, a query, a fragment
// that does not repeat the key, or a key that does not decode is
// ErrInvalid.
func (Key) Resolve(ctx context.Context, ref string) (*VerificationMethod, error) {
	if !strings.HasPrefix(ref, "did:key:") {
		return nil, fmt.Errorf("%w: %s is not a did:key", ErrUnsupported, quote(ref))
	}
	pub, err := keys.ParseDIDKey(ref)
	if err != nil {
		return nil, invalidf("did:key: %w", err) // err quotes ref
	}
	did, _, _ := strings.Cut(ref, "#")
	return &VerificationMethod{
		ID:            did + "#" + did[len("did:key:"):],
		Type:          "Multikey",
		Controller:    did,
		PublicKey:     pub,
		Binding:       BindingSelf,
		Relationships: selfRelationships(),
	}, nil
}

// JWK resolves did:jwk DIDs: the DID URL of the one verification method
// ("did:jwk:…#0") or the bare DID. The JWK must be a public signing key
// (keys.ParsePublicJWK): private members are refused. The result has Type
// "JsonWebKey", the DID as Controller, and BindingSelf. It never touches the
// network. The zero JWK is ready to use.
type JWK struct{}

var _ Resolver = JWK{}

// Resolve implements Resolver. A reference that does not start with
// "did:jwk:" is ErrUnsupported; one whose fragment is not "0" or whose JWK
// does not decode to a public key is ErrInvalid.
func (JWK) Resolve(ctx context.Context, ref string) (*VerificationMethod, error) {
	if !strings.HasPrefix(ref, "did:jwk:") {
		return nil, fmt.Errorf("%w: %s is not a did:jwk", ErrUnsupported, quote(ref))
	}
	pub, err := keys.ParseDIDJWK(ref)
	if err != nil {
		return nil, invalidf("did:jwk %s: %w", quote(ref), err)
	}
	did, _, _ := strings.Cut(ref, "#")
	return &VerificationMethod{
		ID:            did + "#0",
		Type:          "JsonWebKey",
		Controller:    did,
		PublicKey:     pub,
		Binding:       BindingSelf,
		Relationships: selfRelationships(),
	}, nil
}
