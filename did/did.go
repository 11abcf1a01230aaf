// Package did resolves the verification method a proof names (a DID URL or
// an https URL) to the public key it stands for and the controller that key
// belongs to. Resolvers for did:key, did:jwk, did:web, https documents, an
// offline map, a keys.Store and the issuer#publicKeyMultibase form chain
// together, and none of them touches the network unless the caller passes a
// fetch.Fetcher. Start with NewResolver.
package did

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Limits on the input this package reads. Anything larger is refused with an
// error wrapping ErrInvalid.
const (
	// MaxReferenceLen bounds a verification method reference (a DID URL or
	// a URL), in bytes.
	MaxReferenceLen = 4096
	// MaxDocumentSize bounds a document this package parses (a DID or
	// controller document, a verification method, a JWK or a JWK Set),
	// fetched or from a Map, in bytes.
	MaxDocumentSize = 256 << 10
	// MaxDocumentDepth bounds how deeply a document nests arrays and
	// objects.
	MaxDocumentDepth = 32
	// MaxMethods bounds the entries of a document's verificationMethod and
	// of each of its verification relationships, and the keys of a JWK Set.
	MaxMethods = 100
)

// The verification relationships a controller document can authorize a
// verification method for (W3C Controlled Identifiers §2.3). A Data
// Integrity proof whose proofPurpose is "assertionMethod" needs a method the
// controller lists under AssertionMethod.
const (
	AssertionMethod      = "assertionMethod"
	Authentication       = "authentication"
	CapabilityInvocation = "capabilityInvocation"
	CapabilityDelegation = "capabilityDelegation"
	KeyAgreement         = "keyAgreement"
)

// relationships lists the verification relationships in the order
// VerificationMethod.Relationships reports them.
var relationships = [...]string{AssertionMethod, Authentication, CapabilityInvocation, CapabilityDelegation, KeyAgreement}

// Binding says how a resolved key is tied to its controller, which is what
// a verifier must weigh before it trusts that the controller signed.
type Binding int

// The bindings. The zero Binding is none of them.
const (
	// BindingSelf: the identifier is the key (did:key, did:jwk), so the
	// controller is whoever holds the private key.
	BindingSelf Binding = iota + 1
	// BindingDocument: the controller's own document lists the key: a
	// did:web DID document, a document fetched from the controller's https
	// URL, or a document the caller supplied in a Map.
	BindingDocument
	// BindingLocal: the caller's own keys.Store holds the key.
	BindingLocal
	// BindingAsserted: the key was read from the reference itself
	// (issuer#z6Mk…, see Fragment) or from a JWT header's jwk, and nothing
	// ties it to the controller: anyone can sign with a key of their own
	// and name it under any issuer's URL. Such a key is only a hint of
	// which key to look up; a proof never verifies with it (see
	// ErrUnconfirmed).
	BindingAsserted
)

// String returns "self", "document", "local" or "asserted".
func (b Binding) String() string {
	switch b {
	case BindingSelf:
		return "self"
	case BindingDocument:
		return "document"
	case BindingLocal:
		return "local"
	case BindingAsserted:
		return "asserted"
	}
	return "Binding(" + strconv.Itoa(int(b)) + ")"
}

// A VerificationMethod is what a reference resolved to: a public key, its
// controller, and how the two are known to belong together.
type VerificationMethod struct {
	// ID is the id of the verification method resolved: the reference as
	// given, or for a bare did:key or did:jwk DID the id of its one method
	// ("did:key:z…#z…", "did:jwk:…#0").
	ID string
	// Type is the verification method type as the document says
	// ("Multikey", "JsonWebKey", "JsonWebKey2020",
	// "Ed25519VerificationKey2020"), or the type implied where there is no
	// document: "Multikey" for did:key and the issuer#z6Mk… form,
	// "JsonWebKey" for did:jwk, a JWK or a JWK Set.
	Type string
	// Controller is the DID or URL of the key's controller. For a JWK or a
	// JWK Set fetched over https it is the URL the key was published at
	// (without the fragment), as nothing else names a controller.
	Controller string
	// PublicKey is the key: ed25519.PublicKey, *ecdsa.PublicKey (P-256,
	// P-384, P-521) or *rsa.PublicKey.
	PublicKey crypto.PublicKey
	// Binding says how the key is tied to the controller.
	Binding Binding
	// Relationships lists the verification relationships the controller
	// authorizes the method for (AssertionMethod, Authentication, …): those
	// of the controller document that list it, or those the DID method
	// implies for did:key and did:jwk (every one but KeyAgreement). It is
	// nil when nothing says: a key from a keys.Store, an asserted key, a
	// JWK, a JWK Set, or a verification method document served on its own.
	Relationships []string
	// NotBefore and NotAfter are the key's service window when it is known
	// (from a keys.Store; see keys.Key.ValidAt); zero otherwise.
	NotBefore, NotAfter time.Time
}

// A Resolver resolves a verification method reference, as a proof's
// verificationMethod or a JWS kid names it, to its public key and
// controller.
//
// Resolve returns an error wrapping ErrUnsupported when it does not handle
// this kind of reference, ErrNoMethod when it does but has no document or
// key for it, and ErrNoFetcher when it would need the network and was
// given no Fetcher: each of these lets the next Resolver of a Chain try.
// Any other error stops a Chain: the controller's document does not list
// the method (ErrNotListed), the reference or a document is invalid
// (wrapping ErrInvalid), a key type is not supported (wrapping
// keys.ErrUnsupportedKey), the network failed (ErrUnavailable), a store
// failed, or ctx ended.
//
// Every key a Resolver returns must be bound to its controller as its
// Binding says; a Resolver that can only guess (Fragment) says
// BindingAsserted, and no proof verifies with such a key.
//
// A Resolver must be safe for concurrent use, and must not touch the
// returned VerificationMethod afterwards.
type Resolver interface {
	Resolve(ctx context.Context, ref string) (*VerificationMethod, error)
}

// ResolverFunc adapts a function to a Resolver, as http.HandlerFunc does a
// Handler. The function must keep Resolver's error contract.
type ResolverFunc func(ctx context.Context, ref string) (*VerificationMethod, error)

// Resolve calls f(ctx, ref).
func (f ResolverFunc) Resolve(ctx context.Context, ref string) (*VerificationMethod, error) {
	return f(ctx, ref)
}

var (
	// ErrUnsupported is wrapped by a Resolver's error when it does not
	// handle the kind of reference it was given. A Chain tries the next
	// Resolver.
	ErrUnsupported = errors.New("did: unsupported reference")
	// ErrNoMethod is wrapped by a Resolver's error when the reference is of
	// its kind but there is no document for it (an https 404 or 410, which
	// also wrap ErrNoDocument; no entry in a Map; no key in a Store). A
	// Chain tries the next Resolver.
	ErrNoMethod = errors.New("did: verification method not found")
	// ErrNotFound is ErrNoMethod's old name.
	//
	// Deprecated: use ErrNoMethod, which a reader does not take for
	// keys.ErrNoKey (a Store's missing key, which a Store resolver wraps
	// in ErrNoMethod).
	ErrNotFound = ErrNoMethod
	// ErrNoFetcher is wrapped by a Resolver's error when the reference
	// needs the network and the Resolver was given no fetch.Fetcher. A
	// Chain tries the next Resolver.
	ErrNoFetcher = errors.New("did: no fetcher, and the reference needs the network")
	// ErrInvalid is wrapped by errors about what a reference or a document
	// says: a malformed DID, URL or document, a key that does not decode, a
	// document whose id or controller does not match, private key material
	// where only public keys belong, an http URL where https is required,
	// input over this package's limits. It stops a Chain; a verifier should
	// treat it as a failed check, not an inconclusive one.
	ErrInvalid = errors.New("did: invalid")
)

var (
	// ErrNotListed is wrapped by a Resolver's error when the controller's
	// document was had (from a Map, or fetched) and does not list the
	// method, or (for a JWK Set) has no key of that kid. The document is
	// the controller's word, so this is a finding, not a gap: it stops a
	// Chain, and a verifier treats it as a failed check.
	ErrNotListed = errors.New("did: the controller's document does not list the verification method")
	// ErrNoDocument is wrapped, together with ErrNoMethod, by a Resolver's
	// error when the place the controller's document is published at
	// answers that there is none (an https 404 or 410). A Chain tries the
	// next Resolver; a verifier treats it as a finding, not a gap.
	ErrNoDocument = errors.New("did: no document where the controller would publish it")
	// ErrUnavailable is wrapped by a Resolver's error when the document
	// that would confirm a key could not be had for a reason other than
	// its absence: the network failed, a server answered other than 200,
	// 404 or 410, or the fetcher refused the address. It stops a Chain; a
	// verifier treats it as inconclusive.
	ErrUnavailable = errors.New("did: the document could not be had")
	// ErrUnconfirmed is wrapped by the error of a proof whose key is not
	// confirmed as its controller's: it was read only from a reference's
	// fragment or a JWT header's jwk (BindingAsserted), because the
	// controller's document could not be had. Packages proof/dataintegrity
	// and proof/jose wrap it together with the resolution error; a verifier
	// treats it as inconclusive and says which document would confirm the
	// key.
	ErrUnconfirmed = errors.New("did: the key is not confirmed as the controller's")
)

// continues reports whether err lets a Chain try its next Resolver.
func continues(err error) bool {
	return errors.Is(err, ErrUnsupported) || errors.Is(err, ErrNoMethod) || errors.Is(err, ErrNoFetcher)
}

// Undecided reports whether err, from a Resolver or a KeyFinder, means the
// key could be neither confirmed nor refuted for want of its document: no
// Fetcher for a document that needs the network (ErrNoFetcher), a network
// failure (ErrUnavailable), no Resolver that handles the reference, or
// none of the caller's sources (a Map, a keys.Store) holding it. It is
// false for a finding about the reference: the controller's document does
// not list the method (ErrNotListed), the controller publishes no document
// where it would (ErrNoDocument), or the reference or document is invalid
// (ErrInvalid), and for any other error.
func Undecided(err error) bool {
	if err == nil || errors.Is(err, ErrNoDocument) || errors.Is(err, ErrNotListed) || errors.Is(err, ErrInvalid) {
		return false
	}
	return errors.Is(err, ErrNoFetcher) || errors.Is(err, ErrUnavailable) || errors.Is(err, ErrUnsupported) || errors.Is(err, ErrNoMethod)
}

// A Chain is a Resolver that asks each of its Resolvers in turn, until one
// resolves the reference or fails with an error that stops the chain (see
// Resolver). Nil entries are skipped.
type Chain []Resolver

var _ Resolver = Chain(nil)

// Resolve implements Resolver. If every Resolver fails with an error that
// lets the next one try, it returns a *ChainError holding them all, which
// itself lets an enclosing Chain try its next Resolver.
func (c Chain) Resolve(ctx context.Context, ref string) (*VerificationMethod, error) {
	var errs []error
	for _, r := range c {
		if r == nil {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("did: resolving %s: %w", quote(ref), err)
		}
		vm, err := r.Resolve(ctx, ref)
		if err == nil {
			if vm == nil {
				return nil, fmt.Errorf("did: resolving %s: %T returned neither a verification method nor an error", quote(ref), r)
			}
			return vm, nil
		}
		if !continues(err) {
			return nil, err
		}
		errs = append(errs, err)
	}
	return nil, &ChainError{Ref: ref, Errs: errs}
}

// A ChainError is the error of a Chain none of whose Resolvers resolved a
// reference: what each one said, in order. Each of those errors wraps
// ErrUnsupported, ErrNoMethod or ErrNoFetcher, and so, through Unwrap, does
// the ChainError (ErrUnsupported when the Chain is empty).
type ChainError struct {
	Ref  string  // the reference
	Errs []error // each Resolver's error, in the Chain's order
}

// Error lists what each Resolver said, on one line.
func (e *ChainError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "did: no resolver resolved %s", quote(e.Ref))
	if len(e.Errs) == 0 {
		b.WriteString(": the chain is empty")
	}
	for i, err := range e.Errs {
		fmt.Fprintf(&b, "; [%d] %v", i+1, err)
	}
	return b.String()
}

// Unwrap returns Errs, or ErrUnsupported if Errs is empty.
func (e *ChainError) Unwrap() []error {
	if len(e.Errs) == 0 {
		return []error{ErrUnsupported}
	}
	return e.Errs
}

// quote quotes s for an error message, shortened if it is long: a
// reference can be up to MaxReferenceLen bytes, and hostile.
func quote(s string) string {
	const max = 100
	if len(s) > max {
		return strconv.Quote(s[:max]) + "…"
	}
	return strconv.Quote(s)
}

// invalidf returns an error wrapping ErrInvalid (and any %w in format).
func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...)
}

// checkLen refuses a reference over MaxReferenceLen.
func checkLen(ref string) error {
	if len(ref) > MaxReferenceLen {
		return invalidf("reference of %d bytes, the limit is %d", len(ref), MaxReferenceLen)
	}
	return nil
}

// checkChars refuses a reference with characters no URI has: anything but
// printable ASCII other than space.
func checkChars(ref string) error {
	for i := 0; i < len(ref); i++ {
		if c := ref[i]; c <= ' ' || c >= 0x7f {
			return invalidf("%s: byte 0x%02x at %d has no place in a DID or URL", quote(ref), c, i)
		}
	}
	return nil
}

// scheme returns the lowercased URI scheme of ref (RFC 3986 §3.1), or "" if
// ref does not start with one.
func scheme(ref string) string {
	for i := 0; i < len(ref); i++ {
		c := ref[i]
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return strings.ToLower(ref[:i])
		default:
			return ""
		}
	}
	return ""
}
