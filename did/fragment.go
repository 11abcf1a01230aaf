package did

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/go-openbadges/openbadges/keys"
)

// Fragment reads the key from the reference itself: an absolute URL or DID
// whose fragment is a publicKeyMultibase, the form the Open Badges 3.0
// examples and the 1EdTech validator use
// ("https://example.edu/issuers/565049#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi").
// The result has Type "Multikey", the reference without its fragment as
// Controller, and BindingAsserted: nothing but the reference ties the key to
// the controller, so anyone can make one for any issuer. It never touches
// the network. The zero Fragment is ready to use.
//
// The key it reads is a hint, never a confirmation: the proof verifiers of
// this library use it only to tell a signature that does not match
// (failed) from one whose key nobody has confirmed yet (ErrUnconfirmed),
// and never verify a proof with it. NewResolver leaves it out; a Chain that
// includes it does not make its keys trusted.
type Fragment struct{}

var _ Resolver = Fragment{}

// Resolve implements Resolver. A reference with no scheme, no fragment, or a
// fragment that is not base58btc multibase ("z" and base58 characters) is
// ErrUnsupported, as are did:key and did:jwk DID URLs (Key and JWK read
// those); one whose fragment does not decode to a key is ErrInvalid.
func (Fragment) Resolve(ctx context.Context, ref string) (*VerificationMethod, error) {
	if err := checkLen(ref); err != nil {
		return nil, err
	}
	base, frag, ok := strings.Cut(ref, "#")
	switch s := scheme(base); {
	case !ok:
		return nil, fmt.Errorf("%w: %s has no fragment to read a key from", ErrUnsupported, quote(ref))
	case s == "":
		return nil, fmt.Errorf("%w: %s is not an absolute URL or a DID", ErrUnsupported, quote(ref))
	case strings.HasPrefix(ref, "did:key:") || strings.HasPrefix(ref, "did:jwk:"):
		return nil, fmt.Errorf("%w: %s is a %s; its key is in the DID", ErrUnsupported, quote(ref), ref[:7])
	case !looksMultibase(frag):
		return nil, fmt.Errorf("%w: the fragment of %s is not a publicKeyMultibase", ErrUnsupported, quote(ref))
	case s == "did":
		if _, err := parseDIDURL(ref); err != nil {
			return nil, err
		}
	default:
		if err := checkChars(ref); err != nil {
			return nil, err
		}
		if u, err := url.Parse(base); err != nil || u.Opaque == "" && u.Host == "" && u.Path == "" {
			return nil, invalidf("%s is not a URL", quote(base))
		}
	}
	pub, err := keys.ParsePublicKeyMultibase(frag)
	if err != nil {
		return nil, invalidf("the fragment of %s: %w", quote(ref), err)
	}
	return &VerificationMethod{
		ID:         ref,
		Type:       "Multikey",
		Controller: base,
		PublicKey:  pub,
		Binding:    BindingAsserted,
	}, nil
}

// looksMultibase reports whether s has the form of a base58btc multibase
// value: "z" and at least one base58 character.
func looksMultibase(s string) bool {
	if len(s) < 2 || s[0] != 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !isAlnum(c) || c == '0' || c == 'O' || c == 'I' || c == 'l' {
			return false
		}
	}
	return true
}
