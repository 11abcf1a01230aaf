package schema

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// A Fetcher retrieves the document at an absolute URL. It is the only way a
// [Loader] or a [Validator] reaches beyond what is embedded, and they use it
// only if the caller configures one.
//
// Fetch returns the response body. It must respect ctx, and it should bound
// the time it takes and the size of what it returns: the body is held in
// memory. An implementation must be safe for concurrent use.
type Fetcher interface {
	Fetch(ctx context.Context, url string) ([]byte, error)
}

// Defaults for the zero fields of an [HTTPFetcher].
const (
	DefaultFetchTimeout  = 10 * time.Second
	DefaultFetchMaxBytes = 1 << 20 // 1 MiB
	DefaultMaxRedirects  = 3
)

// ErrNotHTTPS is wrapped by the error an [HTTPFetcher] returns for a URL, or
// a redirect target, whose scheme is not https.
var ErrNotHTTPS = errors.New("schema: only https URLs are fetched")

// ErrTooLarge is wrapped by the error an [HTTPFetcher] returns when a
// response body exceeds its size limit.
var ErrTooLarge = errors.New("schema: response too large")

// A StatusError reports a response whose status was not 200 OK.
type StatusError struct {
	URL        string // the URL requested
	StatusCode int    // the status of the final response
}

// Error implements the error interface.
func (e *StatusError) Error() string {
	return fmt.Sprintf("schema: fetching %q: status %d %s, want 200", e.URL, e.StatusCode, http.StatusText(e.StatusCode))
}

// An HTTPFetcher is a [Fetcher] that makes GET requests over https. Its zero
// value is ready to use.
//
// It refuses every URL whose scheme is not https, follows redirects only to
// https URLs, accepts only a 200 OK response, and stops reading a body as
// soon as it exceeds the size limit, so a huge body is never held in memory.
type HTTPFetcher struct {
	// Client sends the requests. If nil, a client using
	// [http.DefaultTransport] is used. The HTTPFetcher uses a shallow copy of
	// Client whose CheckRedirect enforces the rules above, replacing any
	// CheckRedirect the Client has.
	Client *http.Client

	// Timeout bounds each Fetch, including redirects and reading the body.
	// Zero means DefaultFetchTimeout.
	Timeout time.Duration

	// MaxBytes bounds the size of a response body. Zero means
	// DefaultFetchMaxBytes.
	MaxBytes int64

	// MaxRedirects is how many redirects a Fetch follows. Zero means
	// DefaultMaxRedirects; a negative value means redirects are not
	// followed, and a redirect response is an error.
	MaxRedirects int
}

var _ Fetcher = HTTPFetcher{}

// Fetch implements [Fetcher].
func (f HTTPFetcher) Fetch(ctx context.Context, rawURL string) ([]byte, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("schema: fetching %q: %w", rawURL, err)
	}
	if u.Scheme != "https" {
		return nil, fmt.Errorf("schema: fetching %q: %w", rawURL, ErrNotHTTPS)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("schema: fetching %q: URL has no host", rawURL)
	}

	timeout := f.Timeout
	if timeout == 0 {
		timeout = DefaultFetchTimeout
	}
	maxBytes := f.MaxBytes
	if maxBytes == 0 {
		maxBytes = DefaultFetchMaxBytes
	}
	maxRedirects := f.MaxRedirects
	if maxRedirects == 0 {
		maxRedirects = DefaultMaxRedirects
	}

	var client http.Client
	if f.Client != nil {
		client = *f.Client
	}
	client.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if req.URL.Scheme != "https" {
			return fmt.Errorf("redirect to %q: %w", req.URL, ErrNotHTTPS)
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
		return nil, fmt.Errorf("schema: fetching %q: %w", rawURL, err)
	}
	req.Header.Set("Accept", "application/ld+json, application/schema+json;q=0.9, application/json;q=0.8")
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("schema: fetching %q: %w", rawURL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, &StatusError{URL: rawURL, StatusCode: resp.StatusCode}
	}
	if resp.ContentLength > maxBytes {
		return nil, fmt.Errorf("schema: fetching %q: %w: Content-Length %d exceeds %d bytes", rawURL, ErrTooLarge, resp.ContentLength, maxBytes)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("schema: fetching %q: reading body: %w", rawURL, err)
	}
	if int64(len(body)) > maxBytes {
		return nil, fmt.Errorf("schema: fetching %q: %w: body exceeds %d bytes", rawURL, ErrTooLarge, maxBytes)
	}
	return body, nil
}
