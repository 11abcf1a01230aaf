package jose

import (
	"bytes"
	"context"
	"crypto"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/go-openbadges/openbadges/internal/jsonld"
	"github.com/go-openbadges/openbadges/internal/jsonobj"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/schema"
)

// A Signer signs credentials as compact JWS with one key. Set Key and at
// least one of KeyID and EmbedJWK; the zero value of every other field is
// useful. A Signer is safe for concurrent use once its fields are set.
//
// To give a credential both proofs, as OB 3.0 allows, add the Data
// Integrity proof first (package dataintegrity) and sign the result here:
// the JWT then covers the credential with its embedded proof.
type Signer struct {
	// Key signs: RSA (RS256), P-256 (ES256), P-384 (ES384), P-521 (ES512)
	// or Ed25519 (EdDSA). Any crypto.Signer will do, such as a key in a
	// KMS. A key that is also a keys.ContextSigner is called with the
	// context given to Sign, so its deadline reaches a remote signer; a
	// crypto.MessageSigner is given the signing input rather than its
	// digest.
	Key crypto.Signer
	// KeyID, if set, is the header's kid: a DID URL or an https URL that
	// dereferences to the public key ("did:web:example.edu#key-1").
	KeyID string
	// EmbedJWK, when true, puts the public key in the header's jwk, for
	// verifiers that cannot dereference the kid. A verifier can confirm
	// such a key only through something else (a did:jwk issuer, the
	// issuer's published keys), so prefer KeyID.
	EmbedJWK bool
	// Algorithm is the JWS alg. If empty, the key's (keys.AlgorithmOf):
	// RS256 for RSA, ES256, ES384, ES512, EdDSA. It must fit the key.
	Algorithm keys.Algorithm
	// Format is the kind of JWT. If zero, FormatVCJWT, what Open Badges 3.0
	// specifies; FormatVCJOSE for the W3C form.
	Format Format
	// Loader serves the JSON-LD contexts the credential is checked with
	// (JSON-LD safe mode, as Data Integrity signing does). If nil, the
	// embedded contexts with the OB 3.0.3 context as 1EdTech publishes it.
	Loader *schema.Loader
	// MaxBytes bounds the credential's size. If zero, DefaultMaxBytes.
	MaxBytes int
	// Check, when true, verifies every token right after making it with the
	// key's public half, to catch a faulty signer before anything is handed
	// out.
	Check bool

	once sync.Once
	conv *jsonld.Converter
	err  error
}

// Sign returns the credential signed as a compact JWS. credential is the
// JSON credential as the caller holds it; for FormatVCJWT the registered
// claims are spliced into its bytes, which are otherwise kept exactly.
//
// The credential must be a JSON object with a @context, a type and an
// issuer, and must pass JSON-LD safe mode (an error wrapping
// dataintegrity.ErrSafeMode says what is undefined); for FormatVCJWT it
// must not already have top-level iss, jti, sub, nbf, exp or iat members.
func (s *Signer) Sign(ctx context.Context, credential []byte) (string, error) {
	pub, alg, err := s.key()
	if err != nil {
		return "", err
	}
	format := s.Format
	if format == 0 {
		format = FormatVCJWT
	}
	if format != FormatVCJWT && format != FormatVCJOSE {
		return "", fmt.Errorf("jose: cannot sign %s", format)
	}
	t, err := s.parse(credential)
	if err != nil {
		return "", err
	}
	defer trees.Put(t)
	c, err := credentialFacts(t, 0, nil)
	if err != nil {
		return "", err
	}
	payload := [][]byte{credential}
	if format == FormatVCJWT {
		claims, err := claimsOf(c)
		if err != nil {
			return "", err
		}
		// The claims go before the closing brace, after the last member.
		closing := int(t.Nodes[0].Stop) - 1
		at := len(bytes.TrimRight(credential[:closing], " \t\r\n"))
		payload = [][]byte{credential[:at], claims, credential[at:]}
	}
	// The credential must pass JSON-LD safe mode; an embedded proof's
	// terms are the proof suite's business.
	if err := s.conv.CheckTree(ctx, t, 0, "proof"); err != nil {
		return "", fmt.Errorf("jose: %w", err)
	}

	var typ, cty, kid string
	switch format {
	case FormatVCJWT:
		typ = "JWT"
	case FormatVCJOSE:
		typ, cty = "vc+jwt", "vc"
	}
	kid = s.KeyID
	var embedded []byte
	if s.EmbedJWK {
		if embedded, err = keys.PublicJWK(pub, ""); err != nil {
			return "", err
		}
	}
	token, err := compactJWS(ctx, s.Key, pub, alg, protectedHeader(alg, typ, cty, kid, embedded), payload...)
	if err != nil {
		return "", fmt.Errorf("jose: signing: %w", err)
	}
	if s.Check {
		i := strings.LastIndexByte(token, '.')
		sig, err := base64.RawURLEncoding.DecodeString(token[i+1:])
		if err != nil || !verifyJWS(pub, alg, []byte(token[:i]), sig) {
			return "", fmt.Errorf("%w: the key's own signature does not verify; the signer is faulty", ErrSignature)
		}
	}
	return token, nil
}

// init sets up the JSON-LD converter of the safe-mode check, which every
// Sign shares.
func (s *Signer) init() {
	s.once.Do(func() {
		loader := s.Loader
		if loader == nil {
			if loader, s.err = schema.NewLoader(schema.LoaderOptions{PublishedOB303: true}); s.err != nil {
				return
			}
		}
		s.conv = jsonld.ConverterFor(loader)
	})
}

// tree returns a tree to parse a credential into, with the names the
// converter's contexts define interned.
func (s *Signer) tree() *jsonobj.Tree {
	t := trees.Get()
	t.Intern = s.conv.Interned()
	return t
}

// trees are the parse trees of credentials, kept from one call to the next
// by every Signer: one made per call parses into a tree made before.
var trees jsonobj.Trees

// registeredClaims are the JWT claims a VC-JWT adds to the credential.
var registeredClaims = []string{"iss", "jti", "sub", "nbf", "exp", "iat"}

// claimsOf returns the members iss, jti, sub, nbf and exp that a VC-JWT
// adds to the credential c, each after a comma.
func claimsOf(c *facts) ([]byte, error) {
	for _, name := range registeredClaims {
		if c.has(name) {
			return nil, fmt.Errorf("%w: the credential already has a top-level %q member, which a VC-JWT uses as a claim", ErrClaims, name)
		}
	}
	if c.validFrom == nil {
		return nil, fmt.Errorf("%w: an OB 3.0 VC-JWT needs validFrom for its nbf claim", ErrNotCredential)
	}
	claims := make([]byte, 0, 64+len(c.issuer)+len(c.id)+len(c.subject))
	str := func(name, v string) {
		claims = append(claims, `,"`+name+`":`...)
		q, _ := json.Marshal(v) // a string always encodes
		claims = append(claims, q...)
	}
	str("iss", c.issuer)
	if c.id != "" {
		str("jti", c.id)
	}
	if c.subject != "" {
		str("sub", c.subject)
	}
	claims = strconv.AppendInt(append(claims, `,"nbf":`...), c.validFrom.Unix(), 10)
	if c.validUntil != nil {
		claims = strconv.AppendInt(append(claims, `,"exp":`...), c.validUntil.Unix(), 10)
	}
	return claims, nil
}

// key checks the Signer's key settings and returns its public key, read
// once (a KMS key may make a round trip for it), and its algorithm.
func (s *Signer) key() (crypto.PublicKey, keys.Algorithm, error) {
	if s.Key == nil {
		return nil, "", errors.New("jose: Signer has no Key")
	}
	if s.KeyID == "" && !s.EmbedJWK {
		return nil, "", fmt.Errorf("%w: set KeyID or EmbedJWK, or verifiers cannot find the key", ErrKey)
	}
	pub := s.Key.Public()
	alg, err := keys.AlgorithmOf(pub)
	if err != nil {
		return nil, "", fmt.Errorf("%w: %w", ErrAlgorithm, err)
	}
	if s.Algorithm != "" && s.Algorithm != alg {
		return nil, "", fmt.Errorf("%w: %s does not fit a %s key (use %s)", ErrAlgorithm, s.Algorithm, keyKind(pub), alg)
	}
	return pub, alg, nil
}

// parse reads doc into a tree from the Signer's pool, within MaxBytes;
// the caller puts the tree back (trees.Put) when done with it.
func (s *Signer) parse(doc []byte) (*jsonobj.Tree, error) {
	maxBytes := s.MaxBytes
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	s.init()
	if s.err != nil {
		return nil, s.err
	}
	t := s.tree()
	if err := jsonobj.ParseTree(doc, maxBytes, 64, t); err != nil {
		trees.Put(t)
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	return t, nil
}
