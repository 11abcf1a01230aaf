package did

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-openbadges/openbadges/fetch"
)

// WebURL returns the https URL of the DID document of a did:web DID, by the
// did:web method specification's Read steps: the host (with a port only as
// "%3A" followed by the port), then the colon-separated path, or
// "/.well-known", then "/did.json":
//
//	did:web:example.com                  https://example.com/.well-known/did.json
//	did:web:example.com:user:alice       https://example.com/user/alice/did.json
//	did:web:example.com%3A8443:user      https://example.com:8443/user/did.json
//	did:web:example.com:8443             https://example.com/8443/did.json
//
// It refuses, with an error wrapping ErrInvalid, anything that could reach
// another resource than the one the DID names: a DID URL (path, query or
// fragment), a host that is not a DNS name (an IP address, which the spec
// forbids; userinfo; percent-encoding other than the port's colon), a bad
// port, and path segments that are empty, "." or "..", or that
// percent-encode "/", "\", "?", "#", "%" or a control character.
func WebURL(did string) (string, error) {
	u, err := parseDIDURL(did)
	if err != nil {
		return "", err
	}
	if u.method != "web" {
		return "", invalidf("%s is not a did:web", quote(did))
	}
	if u.path != "" || u.hasQuery || u.hasFrag {
		return "", invalidf("%s is a DID URL; WebURL takes a did:web DID, without path, query or fragment", quote(did))
	}
	segs := strings.Split(u.msid, ":")
	host, err := webHost(segs[0])
	if err != nil {
		return "", invalidf("did:web %s: %v", quote(did), err)
	}
	var b strings.Builder
	b.WriteString("https://")
	b.WriteString(host)
	if len(segs) == 1 {
		b.WriteString("/.well-known")
	}
	for _, seg := range segs[1:] {
		if err := webPathSegment(seg); err != nil {
			return "", invalidf("did:web %s: path segment %s: %v", quote(did), quote(seg), err)
		}
		b.WriteByte('/')
		b.WriteString(seg)
	}
	b.WriteString("/did.json")
	return b.String(), nil
}

// webHost checks and decodes the host part of a did:web: a DNS name,
// optionally followed by "%3A" and a port.
func webHost(s string) (string, error) {
	name, port, hasPort := cutFold(s, "%3A")
	if strings.Contains(name, "%") {
		if i := strings.Index(name, "%"); i+3 <= len(name) && unhex(name[i+1])<<4|unhex(name[i+2]) == '@' {
			return "", errString("userinfo (\"%40\") has no place in the host")
		}
		return "", errString("the host may percent-encode only the colon before a port (\"%3A\")")
	}
	if name == "" {
		return "", errString("the host is empty")
	}
	if len(name) > 253 {
		return "", errString("the host name is longer than 253 characters")
	}
	if net.ParseIP(name) != nil {
		return "", errString("the host is an IP address, which did:web does not allow")
	}
	labels := strings.Split(name, ".")
	for _, l := range labels {
		if l == "" || len(l) > 63 {
			return "", errString("the host has an empty label or one longer than 63 characters")
		}
		if l[0] == '-' || l[len(l)-1] == '-' {
			return "", errString("a host label starts or ends with \"-\"")
		}
		for i := 0; i < len(l); i++ {
			if !isAlnum(l[i]) && l[i] != '-' {
				return "", errString("the host has character " + quoteByte(l[i]) + ", not allowed in a DNS name")
			}
		}
	}
	if _, err := strconv.Atoi(labels[len(labels)-1]); err == nil {
		return "", errString("the host's last label is numeric: an IP address, which did:web does not allow, or not a DNS name")
	}
	if !hasPort {
		return name, nil
	}
	if strings.Contains(port, "%") {
		return "", errString("the port is not a decimal number (a second \"%3A\"?)")
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 || port[0] == '0' || port[0] == '+' {
		return "", errString("the port " + strconv.Quote(port) + " is not a number from 1 to 65535")
	}
	return name + ":" + port, nil
}

// cutFold is strings.Cut with an ASCII case-insensitive separator.
func cutFold(s, sep string) (before, after string, found bool) {
	if i := strings.Index(strings.ToUpper(s), strings.ToUpper(sep)); i >= 0 {
		return s[:i], s[i+len(sep):], true
	}
	return s, "", false
}

// webPathSegment checks a did:web path segment, which goes into the URL as
// it is written (its percent-encoding kept).
func webPathSegment(seg string) error {
	if seg == "" {
		return errString("it is empty")
	}
	var dec strings.Builder
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		if c == '%' { // checkMSID made sure two hex digits follow
			c = unhex(seg[i+1])<<4 | unhex(seg[i+2])
			i += 2
			switch {
			case c == '/' || c == '\\':
				return errString("it percent-encodes a path separator")
			case c == '?' || c == '#' || c == '%':
				return errString("it percent-encodes " + quoteByte(c))
			case c < 0x20 || c == 0x7f:
				return errString("it percent-encodes a control character")
			}
		}
		dec.WriteByte(c)
	}
	if d := dec.String(); d == "." || d == ".." {
		return errString("it is a dot-segment")
	}
	return nil
}

// Web resolves did:web DID URLs ("did:web:example.com#key-1") by fetching
// the DID document from the URL WebURL gives, through its Fetcher.
//
// The document's id must be the DID; the method must be defined, by its
// full id or by "#fragment" relative to the document, in verificationMethod
// or embedded in a verification relationship (more than once only if every
// definition is the same JSON value); its controller must be the DID.
// Verification methods of type Multikey, JsonWebKey, JsonWebKey2020 and
// Ed25519VerificationKey2020 are read; a method with private key material
// (secretKeyMultibase, a publicKeyJwk with "d", …) is refused. The result
// has BindingDocument and the Relationships the document lists it under.
//
// The zero Web has no Fetcher and fails every did:web with ErrNoFetcher.
type Web struct {
	// Fetcher fetches DID documents. If nil, nothing is fetched.
	// fetch.HTTP is the usual one.
	Fetcher fetch.Fetcher
}

var _ Resolver = Web{}

// Resolve implements Resolver. A reference that does not start with
// "did:web:" is ErrUnsupported; one with a path or a query, or that WebURL
// refuses, is ErrInvalid; a document that is not there (404, 410) is ErrNoMethod
// and ErrNoDocument; one that does not list the method is ErrNotListed; a
// network failure is ErrUnavailable.
func (w Web) Resolve(ctx context.Context, ref string) (*VerificationMethod, error) {
	if !strings.HasPrefix(ref, "did:web:") {
		return nil, fmt.Errorf("%w: %s is not a did:web", ErrUnsupported, quote(ref))
	}
	u, err := parseDIDURL(ref)
	if err != nil {
		return nil, err
	}
	if u.path != "" || u.hasQuery {
		return nil, invalidf("%s: a did:web verification method has no path or query, only a fragment", quote(ref))
	}
	docURL, err := WebURL(u.did)
	if err != nil {
		return nil, err
	}
	if w.Fetcher == nil {
		return nil, fmt.Errorf("%w: %s is at %s", ErrNoFetcher, quote(u.did), docURL)
	}
	body, err := w.Fetcher.Fetch(ctx, docURL)
	if err != nil {
		return nil, fetchError(ctx, ref, docURL, err)
	}
	return resolveDocument(newSource(ref, true), body)
}

// fetchError wraps an error fetching url for ref: ErrNoMethod and
// ErrNoDocument for a 404 or 410; the context's error as it is; otherwise
// ErrUnavailable.
func fetchError(ctx context.Context, ref, url string, err error) error {
	var se *fetch.StatusError
	switch {
	case errors.As(err, &se) && (se.StatusCode == http.StatusNotFound || se.StatusCode == http.StatusGone):
		return &noDocumentError{url: url, ref: ref, err: err}
	case ctx.Err() != nil:
		return fmt.Errorf("did: fetching %s for %s: %w", quote(url), quote(ref), err)
	}
	return fmt.Errorf("%w: fetching %s for %s: %w", ErrUnavailable, quote(url), quote(ref), err)
}

// noDocumentError is the error for a 404 or 410 where a controller would
// publish its document: ErrNoMethod and ErrNoDocument.
type noDocumentError struct {
	url, ref string
	err      error // the fetcher's
}

func (e *noDocumentError) Error() string {
	return fmt.Sprintf("did: no document for %s at %s: %v", quote(e.ref), quote(e.url), e.err)
}

func (e *noDocumentError) Unwrap() []error { return []error{ErrNoMethod, ErrNoDocument, e.err} }
