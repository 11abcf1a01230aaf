// Package fetch is how this library reaches the network, and the only way:
// every package that can use a remote document (contexts, schemas, DID
// documents, keys, status lists) takes a Fetcher from its caller and never
// fetches without one. HTTP is the Fetcher for https with timeouts, size
// limits, bounded redirects, and a network policy: it connects only to
// public addresses, so that a server verifying credentials for others cannot
// be made to reach its own network (server-side request forgery). Start with
// HTTP{}, and pass it where an Options struct asks for a Fetcher.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// A Fetcher retrieves the document at an absolute URL. The packages of this
// library use one only when the caller passes it; without one they never
// touch the network.
//
// Fetch returns the response body. It must respect ctx, and it should bound
// the time it takes and the size of what it returns: the body is held in
// memory. An implementation must be safe for concurrent use.
type Fetcher interface {
	Fetch(ctx context.Context, url string) ([]byte, error)
}

// Defaults for the zero fields of [HTTP].
const (
	DefaultTimeout      = 10 * time.Second
	DefaultMaxBytes     = 1 << 20 // 1 MiB
	DefaultMaxRedirects = 3
	// DefaultAccept asks for the JSON forms documents this library fetches
	// come in: JSON-LD contexts and credentials, DID documents, JSON
	// Schemas, JWK Sets.
	DefaultAccept = "application/ld+json, application/did+ld+json, application/did+json, application/schema+json;q=0.9, application/jwk-set+json;q=0.9, application/json;q=0.8"
)

// ErrNotHTTPS is wrapped by the error [HTTP] returns for a URL, or
// a redirect target, whose scheme is not https.
var ErrNotHTTPS = errors.New("fetch: only https URLs are fetched")

// ErrResponseTooLarge is wrapped by the error [HTTP] returns when a
// response body exceeds its size limit.
var ErrResponseTooLarge = errors.New("fetch: response too large")

// ErrTooLarge is ErrResponseTooLarge's old name.
//
// Deprecated: use ErrResponseTooLarge (bake, credential and sqlstore have
// size errors of their own).
var ErrTooLarge = ErrResponseTooLarge

// A StatusError reports a response whose status was not 200 OK.
type StatusError struct {
	URL        string // the URL requested
	StatusCode int    // the status of the final response
}

// Error implements the error interface.
func (e *StatusError) Error() string {
	return fmt.Sprintf("fetch: %q: status %d %s, want 200", e.URL, e.StatusCode, http.StatusText(e.StatusCode))
}

// HTTP is a [Fetcher] that makes GET requests over https. Its zero value is
// ready to use.
//
// It refuses every URL whose scheme is not https and every URL that carries
// credentials (user:password@), follows redirects only to https URLs,
// sends no cookies and no credentials, accepts only a 200 OK response, and
// stops reading a body as soon as it exceeds the size limit, so a huge body
// is never held in memory.
//
// # Network policy
//
// HTTP connects only to public addresses. It refuses, with an error wrapping
// [ErrForbiddenAddress], to connect to a loopback, private (RFC 1918, IPv6
// unique local), link-local, multicast, unspecified, broadcast, carrier-grade
// NAT (100.64.0.0/10) or other special-purpose address, or to an IPv4-mapped,
// NAT64 or 6to4 IPv6 address that leads to one. It checks the address it is
// about to connect to, after the host name is resolved, on every connection,
// including those for redirects: a host name that resolves to a private
// address, or a redirect to one, is refused as an address literal in the URL
// would be. Hosts listed in AllowHosts may be at any address.
//
// HTTP's own transports never use a proxy, not even one named by the
// HTTPS_PROXY environment variable: through a proxy, the address connected
// to could not be checked. To fetch through a proxy, pass a Client whose
// Transport has one, and set AllowAnyAddress to leave the policy to the
// proxy (or list the hosts to fetch in AllowHosts).
type HTTP struct {
	// Client sends the requests. HTTP uses a shallow copy of Client
	// without a cookie jar, with a CheckRedirect that enforces the rules
	// above (replacing the Client's own), and with a Transport that
	// enforces the network policy. The caller's Client and Transport are
	// not modified.
	//
	// If Client, or its Transport, is nil, HTTP uses transports of its
	// own, shared by all HTTP values, with the settings of
	// [http.DefaultTransport] but no proxy.
	//
	// Requests for hosts listed in AllowHosts go through Client.Transport
	// as it is. For any other host:
	//   - if Client.Transport is an [*http.Transport], HTTP uses a copy of
	//     it, made for each Fetch (so its connections are not reused by the
	//     next), that checks every address before it connects. If the Transport has a DialContext (or Dial) of its
	//     own, HTTP checks the remote address of each connection it
	//     returns, before anything is sent on it. If its Proxy sends the
	//     request to a proxy, or it has a DialTLSContext (or DialTLS), the
	//     address cannot be checked and the request is refused;
	//   - any other RoundTripper cannot be checked, and the request is
	//     refused.
	// Set AllowAnyAddress to leave the policy to such a Transport.
	Client *http.Client

	// Timeout bounds each Fetch, including redirects and reading the body.
	// Zero means DefaultTimeout.
	Timeout time.Duration

	// MaxBytes bounds the size of a response body. Zero means
	// DefaultMaxBytes.
	MaxBytes int64

	// MaxRedirects is how many redirects a Fetch follows. Zero means
	// DefaultMaxRedirects; a negative value means redirects are not
	// followed, and a redirect response is an error.
	MaxRedirects int

	// Accept is the Accept header sent. Empty means DefaultAccept.
	Accept string

	// AllowHosts lists the hosts that may be fetched whatever address they
	// are at, including loopback and private ones; if empty, every host
	// must be at a public address. An element is a host name
	// ("intranet.example.edu"), an IP address ("10.1.2.3", "::1", "[::1]"),
	// or either with a port ("localhost:8443", "[::1]:8443"); without a
	// port it allows every port. It is compared with the host of each URL
	// requested, redirects included, as written in the URL: names without
	// regard to case or to a final dot, addresses as addresses (so "::1"
	// allows https://[0::1]/, but neither allows https://localhost/). An
	// element that is none of these makes every Fetch fail.
	//
	// Listing a host trusts it, and whoever controls its name's DNS, with
	// access to the network HTTP runs in: list only hosts that you control.
	AllowHosts []string

	// AllowAnyAddress turns the network policy off: every host may be at
	// any address, and Client.Transport, if set, is used as it is, with its
	// proxy. Set it only where something else enforces a policy (a
	// firewall, an egress proxy, a Client.Transport of your own), or in
	// tests. If false, the policy is on.
	AllowAnyAddress bool
}

var _ Fetcher = HTTP{}

// Fetch implements [Fetcher].
func (f HTTP) Fetch(ctx context.Context, rawURL string) ([]byte, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("fetch: %q: %w", rawURL, err)
	}
	if u.Scheme != "https" {
		return nil, fmt.Errorf("fetch: %q: %w", rawURL, ErrNotHTTPS)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("fetch: %q: URL has no host", rawURL)
	}
	if u.User != nil {
		return nil, fmt.Errorf("fetch: %q: URL carries credentials, which are never sent", u.Redacted())
	}

	timeout := f.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	maxBytes := f.MaxBytes
	if maxBytes == 0 {
		maxBytes = DefaultMaxBytes
	}
	maxRedirects := f.MaxRedirects
	if maxRedirects == 0 {
		maxRedirects = DefaultMaxRedirects
	}

	accept := f.Accept
	if accept == "" {
		accept = DefaultAccept
	}

	transport, done, err := f.policy()
	if err != nil {
		return nil, err
	}
	defer done()

	var client http.Client
	if f.Client != nil {
		client = *f.Client
	}
	client.Transport = transport
	client.Jar = nil
	client.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if req.URL.Scheme != "https" {
			return fmt.Errorf("redirect to %q: %w", req.URL.Redacted(), ErrNotHTTPS)
		}
		if req.URL.User != nil {
			return fmt.Errorf("redirect to %q: URL carries credentials", req.URL.Redacted())
		}
		if maxRedirects < 0 {
			return errors.New("redirects are not followed")
		}
		if len(via) > maxRedirects {
			return fmt.Errorf("too many redirects (more than %d)", maxRedirects)
		}
		return nil
	}

	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, fmt.Errorf("fetch: %q: %w", rawURL, err)
	}
	req.Header.Set("Accept", accept)
	resp, err := client.Do(req)
	if err != nil {
		// A refusal by the policy reads better without the layers of
		// net/http and net around it.
		var ae *AddressError
		if errors.As(err, &ae) {
			var ue *url.Error
			if errors.As(err, &ue) && ue.URL != req.URL.String() {
				return nil, fmt.Errorf("fetch: %q: redirected to %q: %w", rawURL, ue.URL, ae)
			}
			return nil, fmt.Errorf("fetch: %q: %w", rawURL, ae)
		}
		return nil, fmt.Errorf("fetch: %q: %w", rawURL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, &StatusError{URL: rawURL, StatusCode: resp.StatusCode}
	}
	if resp.ContentLength > maxBytes {
		return nil, fmt.Errorf("fetch: %q: %w: Content-Length %d exceeds %d bytes", rawURL, ErrResponseTooLarge, resp.ContentLength, maxBytes)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("fetch: %q: reading body: %w", rawURL, err)
	}
	if int64(len(body)) > maxBytes {
		return nil, fmt.Errorf("fetch: %q: %w: body exceeds %d bytes", rawURL, ErrResponseTooLarge, maxBytes)
	}
	return body, nil
}
