// Package present makes Verifiable Presentations for a holder: one or more
// credentials, carried exactly as received, signed with the holder's key
// over a verifier's challenge, as a Data Integrity proof or a vp+jwt.
// Start with a Holder (FromStore, or a crypto.Signer and its verification
// method) and Holder.Present; package verify checks what it makes.
//
// It is a package of its own, above proof/dataintegrity, proof/jose, keys
// and bake, because a presentation is the holder's business, not a proof
// format's: which credentials go in and in which form (an embedded
// credential with its proof, a JWT as an EnvelopedVerifiableCredential, a
// badge image's credential), whose key signs, and which securing mechanism
// carries the verifier's challenge. The proof packages sign any document
// and stay unaware of holders; verify stays the one place that decides
// what verifies.
package present

import (
	"bytes"
	"context"
	"crypto"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/bake"
	"github.com/go-openbadges/openbadges/did"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
	"github.com/go-openbadges/openbadges/proof/jose"
	"github.com/go-openbadges/openbadges/schema"
)

// ContextVCDM20 is the VCDM 2.0 context, the first of every presentation
// this package makes.
const ContextVCDM20 = "https://www.w3.org/ns/credentials/v2"

// ErrCredential is wrapped by the error of a credential that cannot go in
// a presentation: not a JSON object, a compact JWS, a data: URL or a badge
// image holding one; an Open Badges 2.0 assertion; a presentation; or a
// JSON credential with an embedded proof in a presentation secured as a
// JWT, which carries only enveloped credentials.
var ErrCredential = errors.New("present: not a credential that can be presented")

// ErrHolder is wrapped when the key is not the holder's: its verification
// method is not under the holder's DID or URL, or the presentation to sign
// names another holder. Verifiers would refuse what it signed.
var ErrHolder = errors.New("present: the key is not the holder's")

// Format is how a presentation is secured.
type Format int

const (
	// DataIntegrity is a JSON presentation with an embedded Data Integrity
	// proof (proofPurpose authentication, the challenge and domain in the
	// proof). Its credentials may be embedded (with their own proofs) or
	// enveloped.
	DataIntegrity Format = iota
	// JWT is a compact JWS whose typ is vp+jwt (VC-JOSE-COSE), the
	// challenge in its nonce claim and the domain in aud. Its credentials
	// must be enveloped: compact JWS credentials, or envelopes.
	JWT
	// Enveloped is the JWT in an EnvelopedVerifiablePresentation (VCDM 2.0
	// §4.13.2), the JSON form the VC API returns.
	Enveloped
)

// String returns "di", "jwt" or "enveloped", the names the command line
// uses.
func (f Format) String() string {
	switch f {
	case DataIntegrity:
		return "di"
	case JWT:
		return "jwt"
	case Enveloped:
		return "enveloped"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// A Holder signs presentations with one key. Set Key and
// VerificationMethod, or use FromStore; the zero value of every other
// field is useful. A Holder is safe for concurrent use once its fields are
// set.
type Holder struct {
	// ID is the holder's DID or URL, written as the presentation's holder.
	// If empty, the DID or URL VerificationMethod is under (before its
	// "#"). VerificationMethod must be under it: verifiers require the
	// proof's key to be the holder's.
	ID string
	// Key signs: Ed25519 (eddsa-rdfc-2022, EdDSA), P-256 or P-384
	// (ecdsa-rdfc-2019, ES256, ES384), or RSA (RS256, JWT only). Any
	// crypto.Signer will do, such as a key in a KMS (keys.Key.Signer).
	Key crypto.Signer
	// VerificationMethod is the URL of the key that verifiers resolve,
	// such as "did:key:z6Mk…#z6Mk…" or "did:web:ada.example#key-1". The
	// holder's document must list it under authentication (a did:key or
	// did:jwk lists its key so).
	VerificationMethod string
	// Format is how presentations are secured. The zero value is
	// DataIntegrity.
	Format Format
	// Suite is the Data Integrity cryptosuite. If empty, eddsa-rdfc-2022
	// for an Ed25519 key and ecdsa-rdfc-2019 for P-256 and P-384.
	Suite string
	// Loader serves the JSON-LD contexts the presentation is read with
	// (JSON-LD safe mode, before anything is signed). If nil, the embedded
	// contexts.
	Loader *schema.Loader
}

// Options are what varies per presentation.
type Options struct {
	// Challenge is the verifier's one-time challenge, and Domain the
	// verifier's domain (a Data Integrity proof's challenge and domain, a
	// JWT's nonce and aud). A verifier that asks for them refuses a
	// presentation without them; ask the verifier for both.
	Challenge, Domain string
	// ID, if set, is the presentation's id: a URL such as urn:uuid:….
	ID string
	// Created is when the proof is made (a JWT's iat). If zero, the
	// current time.
	Created time.Time
	// Expires, if not zero, is when the presentation stops being valid
	// (the proof's expires, a JWT's exp). Presentations should be short
	// lived: a few minutes.
	Expires time.Time
}

// FromStore returns a Holder that signs with the active key of holder in
// store: its Controller is the holder and its ID the verification method.
// The error wraps keys.ErrNoKey when holder has no active key.
func FromStore(ctx context.Context, store keys.Store, holder string) (*Holder, error) {
	k, err := store.ActiveKey(ctx, holder)
	if err != nil {
		return nil, fmt.Errorf("present: %w", err)
	}
	if k.Signer == nil {
		return nil, fmt.Errorf("present: key %s of %s has no private key", k.ID, holder)
	}
	return &Holder{ID: k.Controller, Key: k.Signer, VerificationMethod: k.ID}, nil
}

// holderID returns the holder's id, checking that the verification method
// is under it.
func (h *Holder) holderID() (string, error) {
	if h.Key == nil {
		return "", errors.New("present: Holder has no Key")
	}
	if h.VerificationMethod == "" {
		return "", errors.New("present: Holder has no VerificationMethod")
	}
	base, _, _ := strings.Cut(h.VerificationMethod, "#")
	if h.ID == "" {
		return base, nil
	}
	if base != h.ID {
		return "", fmt.Errorf("%w: the verification method %s is not under the holder %s", ErrHolder, h.VerificationMethod, h.ID)
	}
	return h.ID, nil
}

// Present returns a presentation of credentials by h, signed as h.Format
// says: a JSON presentation with a Data Integrity proof, a compact JWS, or
// an EnvelopedVerifiablePresentation (JSON). Each credential is what
// NewPresentation takes.
func (h *Holder) Present(ctx context.Context, credentials [][]byte, opts *Options) ([]byte, error) {
	if opts == nil {
		opts = &Options{}
	}
	holder, err := h.holderID()
	if err != nil {
		return nil, err
	}
	vp, err := newPresentation(holder, opts.ID, credentials, h.Format != DataIntegrity)
	if err != nil {
		return nil, err
	}
	return h.sign(ctx, vp, opts)
}

// Sign signs presentation, an unsigned presentation as the caller built
// it (its bytes are kept; a Data Integrity proof is added to them, or they
// become a JWT's payload), as h.Format says. Its holder, if it names one,
// must be h's; opts.ID is not used.
func (h *Holder) Sign(ctx context.Context, presentation []byte, opts *Options) ([]byte, error) {
	if opts == nil {
		opts = &Options{}
	}
	holder, err := h.holderID()
	if err != nil {
		return nil, err
	}
	var probe struct {
		Holder json.RawMessage `json:"holder"`
	}
	if err := json.Unmarshal(presentation, &probe); err != nil {
		return nil, fmt.Errorf("present: the presentation is not a JSON object: %w", err)
	}
	if len(probe.Holder) > 0 {
		if named := idOf(probe.Holder); named != holder {
			return nil, fmt.Errorf("%w: the presentation's holder is %q, the key's %q", ErrHolder, named, holder)
		}
	}
	return h.sign(ctx, presentation, opts)
}

// sign secures vp as h.Format says.
func (h *Holder) sign(ctx context.Context, vp []byte, opts *Options) ([]byte, error) {
	created := opts.Created
	if created.IsZero() {
		created = time.Now()
	}
	switch h.Format {
	case DataIntegrity:
		s := &dataintegrity.Signer{Key: h.Key, VerificationMethod: h.VerificationMethod, Suite: h.Suite, Loader: h.Loader, Check: true}
		po := &dataintegrity.ProofOptions{Purpose: did.Authentication, Challenge: opts.Challenge, Created: created, Expires: opts.Expires}
		if opts.Domain != "" {
			po.Domain = []string{opts.Domain}
		}
		out, err := s.Sign(ctx, vp, po)
		if err != nil {
			return nil, fmt.Errorf("present: %w", err)
		}
		return out, nil
	case JWT, Enveloped:
		if h.Suite != "" {
			return nil, fmt.Errorf("present: a cryptosuite (%s) is for a Data Integrity presentation, not a JWT", h.Suite)
		}
		s := &jose.Signer{Key: h.Key, KeyID: h.VerificationMethod, Loader: h.Loader, Check: true}
		tok, err := s.SignPresentation(ctx, vp, &jose.PresentationOptions{Challenge: opts.Challenge, Domain: opts.Domain, IssuedAt: created, Expires: opts.Expires})
		if err != nil {
			return nil, fmt.Errorf("present: %w", err)
		}
		if h.Format == JWT {
			return []byte(tok), nil
		}
		return envelope("EnvelopedVerifiablePresentation", "application/vp+jwt", tok), nil
	}
	return nil, fmt.Errorf("present: unknown %v", h.Format)
}

// NewPresentation returns an unsigned VCDM 2.0 presentation by holder
// (omitted if empty) with the id id (omitted if empty) holding
// credentials, in order. Each credential is carried as received: a JSON
// credential (with its embedded proofs) or EnvelopedVerifiableCredential
// byte for byte, a compact JWS (an OB 3.0 VC-JWT, a VC-JOSE vc+jwt) or
// the data: URL of one in a new EnvelopedVerifiableCredential, and the
// credential baked into a PNG or SVG badge as it is (JSON or JWS). An
// error wraps ErrCredential and names the credential by its index.
func NewPresentation(holder, id string, credentials [][]byte) ([]byte, error) {
	return newPresentation(holder, id, credentials, false)
}

// newPresentation is NewPresentation; envelopedOnly refuses JSON
// credentials, which a JWT presentation cannot carry.
func newPresentation(holder, id string, credentials [][]byte, envelopedOnly bool) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`{"@context":["` + ContextVCDM20 + `"],`)
	str := func(name, v string) {
		q, _ := json.Marshal(v) // a string always encodes
		b.WriteString(`"` + name + `":`)
		b.Write(q)
		b.WriteByte(',')
	}
	if id != "" {
		str("id", id)
	}
	b.WriteString(`"type":["VerifiablePresentation"]`)
	if holder != "" {
		b.WriteByte(',')
		str("holder", holder)
		b.Truncate(b.Len() - 1)
	}
	if len(credentials) > 0 {
		b.WriteString(`,"verifiableCredential":[`)
		for i, c := range credentials {
			entry, err := credentialEntry(c, envelopedOnly)
			if err != nil {
				return nil, fmt.Errorf("credential %d: %w", i, err)
			}
			if i > 0 {
				b.WriteByte(',')
			}
			b.Write(entry)
		}
		b.WriteByte(']')
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// credentialEntry returns what a credential is in a presentation's
// verifiableCredential (see NewPresentation).
func credentialEntry(c []byte, envelopedOnly bool) ([]byte, error) {
	c = bytes.TrimSpace(bytes.TrimPrefix(c, []byte("\xef\xbb\xbf")))
	switch {
	case len(c) == 0:
		return nil, fmt.Errorf("%w: it is empty", ErrCredential)
	case c[0] == '{':
		var probe struct {
			Type json.RawMessage `json:"type"`
		}
		if err := json.Unmarshal(c, &probe); err != nil {
			return nil, fmt.Errorf("%w: not a JSON object: %v", ErrCredential, err)
		}
		switch {
		case hasType(probe.Type, "EnvelopedVerifiableCredential"):
			return c, nil
		case hasType(probe.Type, "VerifiablePresentation"), hasType(probe.Type, "EnvelopedVerifiablePresentation"):
			return nil, fmt.Errorf("%w: it is a presentation", ErrCredential)
		case !hasType(probe.Type, "VerifiableCredential"):
			return nil, fmt.Errorf("%w: its type does not include VerifiableCredential", ErrCredential)
		case envelopedOnly:
			return nil, fmt.Errorf("%w: a JSON credential goes in a Data Integrity presentation; a JWT presentation carries only enveloped credentials (VC-JOSE-COSE), such as a credential signed as a JWT", ErrCredential)
		}
		return c, nil
	case bytes.HasPrefix(c, []byte("data:")):
		header, _, ok := bytes.Cut(c, []byte(","))
		if !ok || bytes.ContainsAny(c, "\"\\ \t\r\n") {
			return nil, fmt.Errorf("%w: a data: URL that is not well formed", ErrCredential)
		}
		if mt := string(bytes.ToLower(header[len("data:"):])); strings.HasPrefix(mt, "application/vp") {
			return nil, fmt.Errorf("%w: it is a presentation (%s)", ErrCredential, mt)
		}
		return envelopeURL("EnvelopedVerifiableCredential", string(c)), nil
	case jose.IsCompact(c):
		return envelope("EnvelopedVerifiableCredential", credentialMediaType(c), string(c)), nil
	}
	baked, err := bake.Extract(c, nil)
	switch {
	case errors.Is(err, bake.ErrUnknownFormat):
		return nil, fmt.Errorf("%w: neither JSON, a compact JWS, a data: URL, a PNG nor an SVG", ErrCredential)
	case err != nil:
		return nil, fmt.Errorf("%w: %w", ErrCredential, err)
	case baked.Legacy:
		return nil, fmt.Errorf("%w: the image holds an Open Badges 2.0 assertion, not a verifiable credential", ErrCredential)
	case baked.Credential[0] != '{' && !jose.IsCompact(baked.Credential):
		return nil, fmt.Errorf("%w: the image holds neither a JSON credential nor a compact JWS", ErrCredential)
	}
	return credentialEntry(baked.Credential, envelopedOnly)
}

// credentialMediaType is the media type of a compact JWS credential's
// data: URL: application/vc+jwt for VC-JOSE (typ vc+jwt), application/jwt
// for an OB 3.0 VC-JWT (typ JWT) or a VCDM 1.1 JWT.
func credentialMediaType(jws []byte) string {
	head, _, _ := bytes.Cut(jws, []byte("."))
	var h struct {
		Type string `json:"typ"`
	}
	if raw, err := base64.RawURLEncoding.DecodeString(string(head)); err == nil && json.Unmarshal(raw, &h) == nil {
		switch strings.TrimPrefix(strings.ToLower(h.Type), "application/") {
		case "vc+jwt", "vc+ld+json+jwt":
			return "application/vc+jwt"
		}
	}
	return "application/jwt"
}

// envelope returns an envelope of type typ holding token in a data: URL
// of mediaType (VCDM 2.0 §4.13.1, §4.13.2).
func envelope(typ, mediaType, token string) []byte {
	return envelopeURL(typ, "data:"+mediaType+","+token)
}

// envelopeURL returns an envelope of type typ whose id is the data: URL u.
func envelopeURL(typ, u string) []byte {
	b, _ := json.Marshal(struct {
		Context string `json:"@context"`
		ID      string `json:"id"`
		Type    string `json:"type"`
	}{ContextVCDM20, u, typ})
	return b
}

// hasType reports whether a type member (a string or an array of
// strings) includes t.
func hasType(raw json.RawMessage, t string) bool {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return one == t
	}
	var many []string
	if json.Unmarshal(raw, &many) != nil {
		return false
	}
	for _, m := range many {
		if m == t {
			return true
		}
	}
	return false
}

// idOf returns a member that is an id string, or an object's id.
func idOf(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var obj struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(raw, &obj) == nil {
		return obj.ID
	}
	return ""
}
