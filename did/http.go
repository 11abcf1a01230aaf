package did

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/go-openbadges/openbadges/fetch"
)

// HTTP resolves https URLs ("https://example.edu/issuers/1#key-1") by
// fetching the URL without its fragment through its Fetcher. What comes
// back may be:
//
//   - a controller document: its id must be the URL fetched, and it must
//     list the method as Web requires of a DID document (its controller
//     the document's id); BindingDocument, with the Relationships it is
//     listed under;
//   - a verification method on its own (Multikey, JsonWebKey, …): its id
//     must be the reference and its controller the URL fetched;
//     BindingDocument;
//   - a JWK: its kid, if it has one, must be the fragment, if there is one;
//   - a JWK Set ({"keys": […]}): the key whose kid is the fragment, or
//     without a fragment the set's only key.
//
// A JWK or JWK Set names no controller: Controller is the URL fetched. Any
// private key material is refused. If the fragment is itself a
// publicKeyMultibase (issuer#z6Mk…), the document must give that key.
//
// An http:// reference is refused with ErrInvalid without fetching, so that
// a chain does not fall back to reading the key from its fragment: keys
// are only fetched over https. The zero HTTP has no Fetcher and fails every
// https reference with ErrNoFetcher.
type HTTP struct {
	// Fetcher fetches documents. If nil, nothing is fetched. fetch.HTTP
	// is the usual one; it refuses redirects to http URLs.
	Fetcher fetch.Fetcher
}

var _ Resolver = HTTP{}

// Resolve implements Resolver. A reference that is not an http or https
// URL is ErrUnsupported; an http URL, or an https URL with userinfo or no
// host, is ErrInvalid; a document that is not there (404, 410) is ErrNoMethod
// and ErrNoDocument; one that does not list the method is ErrNotListed; a
// network failure is ErrUnavailable.
func (h HTTP) Resolve(ctx context.Context, ref string) (*VerificationMethod, error) {
	switch scheme(ref) {
	case "https":
	case "http":
		return nil, invalidf("%s: verification methods are fetched over https only, never http", quote(ref))
	default:
		return nil, fmt.Errorf("%w: %s is not an https URL", ErrUnsupported, quote(ref))
	}
	if _, err := h.check(ref); err != nil {
		return nil, err
	}
	src := newSource(ref, false)
	if h.Fetcher == nil {
		return nil, fmt.Errorf("%w: %s is at %s", ErrNoFetcher, quote(ref), quote(src.base))
	}
	body, err := h.Fetcher.Fetch(ctx, src.base)
	if err != nil {
		return nil, fetchError(ctx, ref, src.base, err)
	}
	return resolveDocument(src, body)
}

// check checks an https reference before anything is fetched for it.
func (HTTP) check(ref string) (*url.URL, error) {
	if err := checkLen(ref); err != nil {
		return nil, err
	}
	if err := checkChars(ref); err != nil {
		return nil, err
	}
	u, err := url.Parse(ref)
	if err != nil {
		return nil, invalidf("%s: %v", quote(ref), err)
	}
	switch {
	case u.Opaque != "" || u.Host == "" || strings.HasPrefix(u.Host, ":"):
		return nil, invalidf("%s: an https URL needs a host", quote(ref))
	case u.User != nil:
		return nil, invalidf("%s: a URL with userinfo is never fetched", quote(u.Redacted()))
	}
	return u, nil
}
