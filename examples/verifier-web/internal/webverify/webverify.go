// Package webverify is what the verification page runs: the same
// verify.Verify, under the same Trust and Policy rules as `openbadges
// verify`, with the answer shaped for a person (a View) instead of a
// terminal. It is plain Go, built for the browser (GOOS=js, by the page's
// main package) and for the tests alike; nothing in it touches the network
// or the DOM: the network comes in as a fetch.Fetcher, only when the
// visitor turns it on, and the certificate view as a Certificates.
package webverify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-openbadges/openbadges/fetch"
	"github.com/go-openbadges/openbadges/schema"
	"github.com/go-openbadges/openbadges/verify"
)

// MaxInput is the largest badge the page verifies, the limit of
// `openbadges verify` (verify.DefaultMaxBytes).
const MaxInput = verify.DefaultMaxBytes

// MaxTrustFile bounds each trust file (an issuer's document, a status
// list, an offline map), as verify.ParseDocumentMap bounds the files a map
// names.
const MaxTrustFile = verify.MaxMapDocumentBytes

// Options are the visitor's choices, the page's form of `openbadges
// verify`'s flags: each field says which flag it is.
type Options struct {
	// Files are the trust files the visitor supplied (--offline-map): an
	// issuer's DID or controller document, a status list credential, any
	// document keyed by its own "id"; or an offline map, a JSON object from
	// DID or URL to a document or to the name of another supplied file.
	Files []File `json:"files,omitempty"`
	// TrustedIssuers are the issuer ids to accept (--trust); empty accepts
	// any issuer whose key is confirmed.
	TrustedIssuers []string `json:"trustedIssuers,omitempty"`
	// Now is the time to verify at, RFC 3339 (--now); empty is now.
	Now string `json:"now,omitempty"`
	// Strict treats warnings as failures (--strict).
	Strict bool `json:"strict,omitempty"`
	// AllowUnknownStatus accepts a status that cannot be decided
	// (--allow-unknown-status).
	AllowUnknownStatus bool `json:"allowUnknownStatus,omitempty"`
	// Network allows fetching what the trust files do not hold
	// (--allow-network). It has effect only when the page has a Fetcher.
	Network bool `json:"network,omitempty"`
	// Lang is the language of the certificate view; empty is "en".
	Lang string `json:"lang,omitempty"`
}

// File is a file the visitor dropped or picked.
type File struct {
	Name string `json:"name"`
	Data []byte `json:"data"`
}

// ErrTrustFile is wrapped by the error of a trust file that is neither a
// document with an id nor an offline map.
var ErrTrustFile = errors.New("not an issuer's document, a status list or an offline map")

// TrustFile says what a trust file gave: the DIDs and URLs it serves.
type TrustFile struct {
	Name  string   `json:"name"`
	Serve []string `json:"serves,omitempty"`
	Error string   `json:"error,omitempty"`
}

// Documents reads the trust files into verify.Trust.Documents, the map
// `openbadges verify --offline-map` builds. A file that is an offline map
// (a JSON object whose every member's name is a DID or an absolute URL)
// serves what it maps, each path it names read from the supplied file of
// that name; any other JSON object with an "id" serves itself at that id.
// Keys are DIDs or absolute URLs, as verify.ParseDocumentMap requires, and
// each document keeps its bytes as the file holds them, as on the command
// line. Each file's outcome is in the returned list; the error is the
// first file's that could not be used (the others are used all the same).
func Documents(files []File) (map[string][]byte, []TrustFile, error) {
	byName := map[string][]byte{}
	for _, f := range files {
		byName[path.Base(f.Name)] = f.Data
	}
	docs := map[string]json.RawMessage{}
	named := map[string]bool{} // files a map names, which serve nothing themselves
	out := make([]TrustFile, len(files))
	var first error
	fail := func(i int, err error) {
		out[i].Error = err.Error()
		if first == nil {
			first = fmt.Errorf("%s: %w", files[i].Name, err)
		}
	}
	for i, f := range files {
		out[i].Name = f.Name
		if len(f.Data) > MaxTrustFile {
			fail(i, fmt.Errorf("larger than %d bytes", MaxTrustFile))
			continue
		}
		var obj map[string]json.RawMessage
		if json.Unmarshal(f.Data, &obj) != nil || obj == nil {
			if isCompactJWS(f.Data) {
				continue // a JWT status list or document: an offline map names it
			}
			fail(i, fmt.Errorf("%w: not a JSON object", ErrTrustFile))
			continue
		}
		if isDocumentMap(obj) {
			m := map[string]json.RawMessage{}
			for _, k := range slices.Sorted(maps.Keys(obj)) {
				v := obj[k]
				var p string
				if t := bytes.TrimSpace(v); len(t) == 0 || t[0] != '{' && t[0] != '"' || t[0] == '"' && (json.Unmarshal(t, &p) != nil || p == "") {
					fail(i, fmt.Errorf("the map's %s: want a document (a JSON object) or the name of its file", k))
					m = nil
					break
				}
				if p != "" {
					b, ok := byName[path.Base(p)]
					if !ok {
						fail(i, fmt.Errorf("the map names %q for %s: supply that file too", p, k))
						m = nil
						break
					}
					named[path.Base(p)] = true
					if isCompactJWS(b) {
						m[k] = b // a JWT, as the file holds it
						continue
					}
					v = b
				}
				m[k] = v
			}
			if m == nil {
				continue
			}
			for _, k := range slices.Sorted(maps.Keys(m)) {
				docs[k] = m[k]
				out[i].Serve = append(out[i].Serve, k)
			}
			continue
		}
		var id string
		if json.Unmarshal(obj["id"], &id) != nil || id == "" {
			fail(i, fmt.Errorf("%w: it has no \"id\" to serve it at (write an offline map for it)", ErrTrustFile))
			continue
		}
		if !isLocator(id) {
			fail(i, fmt.Errorf("%w: its id %q is not a DID or an absolute URL", ErrTrustFile, id))
			continue
		}
		docs[id] = f.Data
		out[i].Serve = []string{id}
	}
	for i, f := range files {
		if named[path.Base(f.Name)] && len(out[i].Serve) == 0 && out[i].Error == "" {
			out[i].Serve = []string{"(named by a map)"}
		}
	}
	if len(docs) == 0 {
		return nil, out, first
	}
	result := make(map[string][]byte, len(docs))
	for k, v := range docs {
		result[k] = v
	}
	return result, out, first
}

// isLocator reports whether k may key an offline map: a DID or an absolute
// URL, the rule of verify.ParseDocumentMap.
func isLocator(k string) bool {
	u, err := url.Parse(k)
	return err == nil && u.IsAbs() && (u.Opaque != "" || u.Host != "")
}

// isDocumentMap reports whether obj is an offline map: not empty, and
// every member's name a DID or an absolute URL (a document has "id",
// "@context", "type", which are not).
func isDocumentMap(obj map[string]json.RawMessage) bool {
	if len(obj) == 0 {
		return false
	}
	for k := range obj {
		if !isLocator(k) {
			return false
		}
	}
	return true
}

func isCompactJWS(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) > 0 && b[0] != '{' && bytes.Count(b, []byte{'.'}) == 2
}

// Setup returns the Trust and the Policy of o, exactly as `openbadges
// verify` makes them from the same flags: documents as an offline map
// gives them, the trusted issuers, and the Fetcher only when o.Network is
// on (net may be nil: the page then stays offline whatever o says).
func (o *Options) Setup(net fetch.Fetcher) (verify.Trust, verify.Policy, error) {
	var trust verify.Trust
	policy := verify.Policy{Strict: o.Strict, AllowUnknownStatus: o.AllowUnknownStatus}
	for _, t := range o.TrustedIssuers {
		if t = strings.TrimSpace(t); t != "" {
			trust.TrustedIssuers = append(trust.TrustedIssuers, t)
		}
	}
	if s := strings.TrimSpace(o.Now); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return trust, policy, fmt.Errorf("the time to verify at: %w", err)
		}
		policy.Now = t
	}
	if len(o.Files) > 0 {
		docs, _, err := Documents(o.Files)
		if err != nil {
			return trust, policy, err
		}
		trust.Documents = docs
	}
	if o.Network && net != nil {
		trust.Fetcher = net
	}
	return trust, policy, nil
}

// Certificates makes the certificate view of a credential: a complete
// HTML page, shown in a sandboxed frame where no script runs. Package
// render makes them (the page's main package adapts it); nil is a page
// without certificates.
type Certificates interface {
	Certificate(ctx context.Context, credential []byte, lang string) (html string, err error)
}

// Verifier verifies for the page. It keeps one verify.Verifier for as long
// as the trust stays the same, so that the contexts and schemas are
// prepared once, not per badge. It is safe for concurrent use.
type Verifier struct {
	// Fetcher is the network, used only when Options.Network is on; nil
	// keeps the page offline.
	Fetcher fetch.Fetcher
	// Certificates, if set, makes the certificate view.
	Certificates Certificates

	mu     sync.Mutex
	warm   bool           // Prepare verified the sample once
	loader *schema.Loader // the embedded contexts, prepared once for every trust
	key    string
	v      *verify.Verifier
}

// verifier returns the verify.Verifier for trust, made anew only when the
// trust changed.
func (w *Verifier) verifier(trust verify.Trust) (*verify.Verifier, error) {
	h, _ := json.Marshal(struct {
		D   map[string][]byte
		T   []string
		Net bool
	}{trust.Documents, trust.TrustedIssuers, trust.Fetcher != nil})
	key := string(h)
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.v != nil && w.key == key {
		return w.v, nil
	}
	// The contexts do not depend on the trust (the page adds none), so
	// they are prepared once: verify.New would make the same Loader from
	// the zero LoaderOptions each time the visitor changes a trust file.
	if w.loader == nil {
		l, err := schema.NewLoader(schema.LoaderOptions{})
		if err != nil {
			return nil, err
		}
		w.loader = l
	}
	trust.Loader = w.loader
	v, err := verify.New(trust)
	if err != nil {
		return nil, err
	}
	w.v, w.key = v, key
	return v, nil
}

// Prepare makes the verifier for o ahead of the first badge, and warms it
// with a sample credential (unsigned, so that nothing is fetched): the
// contexts are processed and the schemas compiled now rather than while
// the visitor waits for their badge's answer.
func (w *Verifier) Prepare(ctx context.Context, o *Options) error {
	trust, policy, err := o.Setup(w.Fetcher)
	if err != nil {
		return err
	}
	v, err := w.verifier(trust)
	if err != nil {
		return err
	}
	w.mu.Lock()
	warm := !w.warm
	w.warm = true
	w.mu.Unlock()
	if warm {
		policy.Now = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		_, _ = v.Verify(ctx, sample, &policy)
	}
	return nil
}

// sample is an Open Badges 3.0 credential with no proof and no status:
// verifying it reads every embedded context and schema an ordinary badge
// needs, and fetches nothing.
var sample = []byte(`{
  "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
  "id": "urn:uuid:00000000-0000-4000-8000-000000000000",
  "type": ["VerifiableCredential", "OpenBadgeCredential"],
  "issuer": {"id": "https://issuer.invalid/", "type": ["Profile"], "name": "Sample"},
  "validFrom": "2025-01-01T00:00:00Z",
  "name": "Sample",
  "credentialSubject": {
    "id": "did:example:sample",
    "type": ["AchievementSubject"],
    "achievement": {"id": "https://issuer.invalid/a", "type": ["Achievement"], "criteria": {"narrative": "None."}, "description": "A sample.", "name": "Sample"}
  }
}`)

// Verify verifies input under o and describes the result. It always
// returns a View: one whose Verdict is VerdictError when the input could
// not be verified at all (the command line's exit status 2), saying why.
func (w *Verifier) Verify(ctx context.Context, input []byte, o *Options) *View {
	if o == nil {
		o = &Options{}
	}
	if len(input) > MaxInput {
		return errorView(fmt.Sprintf("The file is too large to be a badge: %d bytes, over the limit of %d.", len(input), MaxInput))
	}
	trust, policy, err := o.Setup(w.Fetcher)
	if err != nil {
		return errorView("Your trust settings cannot be used: " + err.Error())
	}
	v, err := w.verifier(trust)
	if err != nil {
		return errorView("Your trust settings cannot be used: " + err.Error())
	}
	rep, err := v.Verify(ctx, input, &policy)
	if err != nil {
		if errors.Is(err, verify.ErrInput) {
			return errorView("This is not a badge: it is neither a credential (JSON or a JWT) nor an image (PNG, SVG), a page (HTML) or a PDF with one in it. (" + err.Error() + ")")
		}
		return errorView("The badge could not be verified: " + err.Error())
	}
	view := NewView(rep)
	view.Network = trust.Fetcher != nil
	// The certificate is drawn only for a verified badge: what a forged
	// or tampered one claims is not shown as a certificate.
	if w.Certificates != nil && rep.Verified && len(rep.Credential) > 0 && rep.Class != verify.ClassPresentation {
		lang := o.Lang
		if lang == "" {
			lang = "en"
		}
		html, err := w.Certificates.Certificate(ctx, rep.Credential, lang)
		if err != nil {
			view.CertificateError = err.Error()
		} else {
			view.Certificate = html
		}
	}
	return view
}
