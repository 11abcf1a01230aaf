package jose

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/go-openbadges/openbadges/internal/jsonobj"
	"github.com/go-openbadges/openbadges/keys"
)

// Header is what the token's protected header says.
type Header struct {
	Algorithm   string          // alg
	KeyID       string          // kid, if any
	Type        string          // typ, if any
	ContentType string          // cty, if any
	JWK         json.RawMessage // jwk, if any: a public key
}

// headerStrings are the names and values a protected header mostly has,
// which its parse tree uses rather than copies (jsonobj.Tree.Intern).
var headerStrings = func() map[string]string {
	m := map[string]string{}
	for _, s := range []string{
		"alg", "kid", "typ", "cty", "jwk", "crit", "b64", "x5c", "x5u", "x5t", "x5t#S256", "jku",
		"EdDSA", "ES256", "ES384", "ES512", "RS256",
		"JWT", "jwt", "vc+jwt", "vc+ld+json+jwt", "vp+jwt", "vp+ld+json+jwt", "vc", "vp",
		"application/vc+jwt", "application/vc+ld+json+jwt", "application/vp+jwt", "application/vp+ld+json+jwt",
		"kty", "crv", "OKP", "EC", "RSA", "Ed25519", "P-256", "P-384", "P-521",
	} {
		m[s] = s
	}
	return m
}()

// readHeader reads the protected header strictly.
func (v *Verifier) readHeader(data []byte, h *Header) error {
	t := trees.Get()
	defer trees.Put(t)
	t.Intern = headerStrings
	if err := jsonobj.ParseTree(data, 64<<10, 16, t); err != nil {
		return fmt.Errorf("%w: header: %w", ErrMalformed, err)
	}
	if t.Nodes[0].Kind != jsonobj.Object {
		return fmt.Errorf("%w: the header is not a JSON object", ErrMalformed)
	}
	m := object{data, t}
	str := func(name string, dst *string) error {
		if !m.str(name, dst) {
			return fmt.Errorf("%w: %s is not a string", ErrHeader, name)
		}
		return nil
	}
	for _, e := range []error{str("alg", &h.Algorithm), str("kid", &h.KeyID), str("typ", &h.Type), str("cty", &h.ContentType)} {
		if e != nil {
			return e
		}
	}
	// A copy: data may be a buffer the caller reuses.
	jwk, _ := m.get("jwk")
	h.JWK = bytes.Clone(jwk)
	for _, name := range []string{"crit", "b64", "x5c", "x5u", "x5t", "x5t#S256", "jku"} {
		if _, ok := m.get(name); ok {
			why := map[string]string{
				"crit": "it makes extensions critical, and none is understood here",
				"b64":  "an unencoded payload (RFC 7797) is not a credential's form",
				"jku":  "keys are not fetched from a URL the token names",
				"x5u":  "keys are not fetched from a URL the token names",
			}[name]
			if why == "" {
				why = "X.509 certificates are not a key source here"
			}
			return fmt.Errorf("%w: %q: %s", ErrHeader, name, why)
		}
	}
	alg := keys.Algorithm(h.Algorithm)
	switch {
	case h.Algorithm == "":
		return fmt.Errorf("%w: the header has no alg", ErrAlgorithm)
	case strings.EqualFold(h.Algorithm, "none"):
		return fmt.Errorf("%w: alg %q: an unsigned token proves nothing", ErrAlgorithm, h.Algorithm)
	case strings.HasPrefix(h.Algorithm, "HS"):
		return fmt.Errorf("%w: alg %q: a shared-secret MAC cannot show who issued a credential", ErrAlgorithm, h.Algorithm)
	case !slices.Contains(accepted, alg):
		return fmt.Errorf("%w: alg %q is not one of RS256, ES256, ES384, ES512, EdDSA", ErrAlgorithm, h.Algorithm)
	case len(v.Algorithms) > 0 && !slices.Contains(v.Algorithms, alg):
		return fmt.Errorf("%w: alg %q is not allowed by this verifier", ErrAlgorithm, h.Algorithm)
	}
	return nil
}
