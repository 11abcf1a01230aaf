package did_test

import (
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/did"
	"github.com/go-openbadges/openbadges/fetch"
	"github.com/go-openbadges/openbadges/keys"
)

// The key of the 1EdTech OB 3.0 vector and of most validator fixtures
// (testdata/di-eddsa/ob3-1edtech/keypair.json).
const obKey = "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"

// The W3C vc-di-eddsa and vc-di-ecdsa keys (testdata/di-*/TestVectors/*.json).
const (
	w3cEd25519 = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
	w3cP256    = "zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP"
	w3cP384    = "z82LkuBieyGShVBhvtE2zoiD6Kma4tJGFtkAhxR5pfkp5QPw4LutoYWhvQCnGjdVn14kujQ"
)

// summary is what tests compare of a VerificationMethod: everything, with
// the key written out as its publicKeyMultibase (or "jwk:" and its RFC 7638
// thumbprint for an RSA key).
type summary struct {
	ID, Type, Controller string
	Key                  string
	Binding              did.Binding
	Relationships        []string
	NotBefore, NotAfter  time.Time
}

func summarize(t testing.TB, vm *did.VerificationMethod) summary {
	t.Helper()
	if vm == nil {
		t.Fatal("nil VerificationMethod")
	}
	return summary{
		ID: vm.ID, Type: vm.Type, Controller: vm.Controller, Key: keyString(t, vm.PublicKey),
		Binding: vm.Binding, Relationships: vm.Relationships, NotBefore: vm.NotBefore, NotAfter: vm.NotAfter,
	}
}

func keyString(t testing.TB, pub crypto.PublicKey) string {
	t.Helper()
	if mb, err := keys.PublicKeyMultibase(pub); err == nil {
		return mb
	}
	tp, err := keys.Thumbprint(pub)
	if err != nil {
		t.Fatalf("key %T: %v", pub, err)
	}
	return "jwk:" + tp
}

// parseKey decodes a publicKeyMultibase the test relies on.
func parseKey(t testing.TB, mb string) crypto.PublicKey {
	t.Helper()
	pub, err := keys.ParsePublicKeyMultibase(mb)
	if err != nil {
		t.Fatal(err)
	}
	return pub
}

// publicJWK encodes pub as a public JWK.
func publicJWK(t testing.TB, pub crypto.PublicKey, kid string) string {
	t.Helper()
	j, err := keys.PublicJWK(pub, kid)
	if err != nil {
		t.Fatal(err)
	}
	return string(j)
}

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.FromSlash(name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// jsonMember reads a string member at a path of object members from a JSON
// file in testdata; a "proof" that is an array is read at its first entry.
func jsonMember(t testing.TB, file string, path ...string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(readFile(t, "testdata/"+file), &v); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	for _, p := range path {
		if a, ok := v.([]any); ok && len(a) > 0 {
			v = a[0]
		}
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%s: no %q", file, p)
		}
		v = m[p]
	}
	s, ok := v.(string)
	if !ok {
		t.Fatalf("%s: %v is not a string", file, path)
	}
	return s
}

// fetcherFunc adapts a function to fetch.Fetcher.
type fetcherFunc func(ctx context.Context, url string) ([]byte, error)

func (f fetcherFunc) Fetch(ctx context.Context, url string) ([]byte, error) { return f(ctx, url) }

// noFetch is a Fetcher that fails the test if it is ever called.
func noFetch(t testing.TB) fetch.Fetcher {
	return fetcherFunc(func(ctx context.Context, url string) ([]byte, error) {
		t.Errorf("unexpected fetch of %s", url)
		return nil, errors.New("unexpected fetch")
	})
}

// countingFetcher counts the fetches it passes on, by URL.
type countingFetcher struct {
	f    fetch.Fetcher
	mu   sync.Mutex
	urls []string
}

func (c *countingFetcher) Fetch(ctx context.Context, url string) ([]byte, error) {
	c.mu.Lock()
	c.urls = append(c.urls, url)
	c.mu.Unlock()
	return c.f.Fetch(ctx, url)
}

// site serves documents by host and path over https: a stand-in for the
// web. Its Fetcher sends every https URL to the test server, through the
// server's own client, whatever host the URL names.
type site struct {
	srv  *httptest.Server
	mu   sync.Mutex
	docs map[string]response // "host/path" → response
}

type response struct {
	status int
	body   string
	header map[string]string
}

func newSite(t testing.TB) *site {
	s := &site{docs: map[string]response{}}
	s.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		resp, ok := s.docs[r.Host+r.URL.EscapedPath()]
		s.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		for k, v := range resp.header {
			w.Header().Set(k, v)
		}
		if resp.status != 0 {
			w.WriteHeader(resp.status)
		}
		w.Write([]byte(resp.body))
	}))
	t.Cleanup(s.srv.Close)
	return s
}

// serve sets the response for an https URL.
func (s *site) serve(url string, status int, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.docs[strings.TrimPrefix(url, "https://")] = response{status: status, body: body}
}

// redirect makes an https URL redirect to another.
func (s *site) redirect(url, to string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.docs[strings.TrimPrefix(url, "https://")] = response{status: http.StatusFound, header: map[string]string{"Location": to}}
}

// fetcher returns a Fetcher of the site's documents.
func (s *site) fetcher() fetch.Fetcher { return serverFetcher{s} }

// serverFetcher is a fetch.Fetcher that sends every https URL to a site's
// TLS test server through the server's own client, whatever host the URL
// names; the host asked for goes in the Host header, by which the site
// serves. It answers as fetch.HTTP does (a *fetch.StatusError for a status
// other than 200), without depending on fetch.HTTP's network policy (which
// refuses a loopback address such as the test server's unless told
// otherwise) or its other rules, which package fetch tests: these tests say
// what package did does with what a Fetcher returns.
type serverFetcher struct{ s *site }

func (f serverFetcher) Fetch(ctx context.Context, rawURL string) ([]byte, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "https" {
		return nil, fmt.Errorf("serverFetcher: %q: %w", rawURL, fetch.ErrNotHTTPS)
	}
	to := *u
	to.Host = f.s.srv.Listener.Addr().String()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, to.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Host = u.Host
	client := *f.s.srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("serverFetcher: %q: %w", rawURL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, &fetch.StatusError{URL: rawURL, StatusCode: resp.StatusCode}
	}
	return io.ReadAll(io.LimitReader(resp.Body, 1<<20))
}

// keysMessage ends an expected error message whose rest is the text of an
// error from package keys: its wording is that package's to change, so the
// tests check only that there is one, and the sentinel it wraps.
const keysMessage = "<package keys' message>"

// checkError checks err's message against want: exactly, or up to
// keysMessage.
func checkError(t testing.TB, err error, want string) {
	t.Helper()
	got := errorString(err)
	if prefix, ok := strings.CutSuffix(want, keysMessage); ok {
		if !strings.HasPrefix(got, prefix+"keys: ") {
			t.Errorf("error %q, want %q followed by an error of package keys", got, prefix)
		}
		return
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("error (-want +got):\n%s", diff)
	}
}

// errorString is err's message, or "" for nil.
func errorString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
