package schema

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/go-openbadges/openbadges/fetch"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/piprate/json-gold/ld"
)

// ErrUnknownContext is wrapped by the error a [Loader] returns for a URL it
// neither embeds nor was given, when it has no [fetch.Fetcher].
var ErrUnknownContext = errors.New("schema: unknown JSON-LD context")

// An UnknownContextError reports a context URL that a [Loader] refused to
// serve because it is not embedded, not in [LoaderOptions].Extra, and the
// Loader has no Fetcher. It wraps [ErrUnknownContext].
type UnknownContextError struct {
	// URL is the URL as it was requested.
	URL string
}

// Error implements the error interface.
func (e *UnknownContextError) Error() string {
	return fmt.Sprintf("schema: unknown JSON-LD context %q (not embedded, and fetching is off)", e.URL)
}

// Unwrap returns [ErrUnknownContext].
func (e *UnknownContextError) Unwrap() error { return ErrUnknownContext }

// DefaultMaxCacheBytes is the bound on the bytes of fetched documents a
// [Loader] keeps when [LoaderOptions].MaxCacheBytes is zero.
const DefaultMaxCacheBytes = 8 << 20

// LoaderOptions configures a [Loader]. The zero value serves exactly the
// embedded contexts and never touches the network.
type LoaderOptions struct {
	// Extra adds contexts the caller supplies, such as extension contexts,
	// keyed by the exact URL they are served at. Each document must be a JSON
	// object with an "@context" member. A key must be an absolute URL without
	// a fragment and must not be a URL already embedded: overriding an
	// embedded context is refused, so a pinned context can never be replaced.
	// NewLoader copies the bytes; the caller may reuse the map and slices.
	Extra map[string][]byte

	// Fetcher, if not nil, is asked for any URL that is neither embedded nor
	// in Extra, and the result is cached. If nil, such URLs are refused with
	// an *UnknownContextError and nothing is ever fetched.
	Fetcher fetch.Fetcher

	// MaxCacheBytes bounds the total size of fetched documents kept in the
	// cache; the oldest are evicted first. Zero means DefaultMaxCacheBytes;
	// a negative value disables the cache, so every request is fetched.
	MaxCacheBytes int64

	// PublishedOB303 selects which copy of
	// https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json is served.
	//
	// By default the Loader serves the copy bundled with the 1EdTech
	// validator (contexts/ob-v3p0-context-3.0.3.validator-bundled.json). It
	// is a strict superset of the published file: it also defines the
	// top-level terms "jti" and "endorsementJwt", which the OB 3.0 JSON
	// Schema allows in a credential. With the published copy those terms are
	// undefined, so a credential that uses them fails JSON-LD safe mode,
	// although the official validator accepts it. The bundled copy only adds
	// those two terms, so a credential that uses neither expands (and is
	// canonicalized and signed) identically with both copies.
	//
	// If PublishedOB303 is true, the published file
	// (contexts/ob-v3p0-context-3.0.3.json, byte-exact from the 1EdTech
	// specification repository) is served instead, for callers who want only
	// terms the specification has published.
	PublishedOB303 bool

	// MaxInlineContextBytes bounds the size of the JSON-LD contexts that a
	// document read with this Loader writes inline, as a JSON object
	// rather than a URL: in its top-level @context or in an @context on
	// any object within it, all of them together, measured as compact JSON
	// (white space aside, each string counted by its UTF-8 length). A
	// context named by URL is served by the Loader and not counted. Such
	// contexts cost the reader of every document that carries them, and
	// credentials rarely have any, so a document over the limit is refused
	// with an *[InlineContextError] before its contexts are processed. If
	// zero, [DefaultMaxInlineContextBytes]; if negative, no limit. Raising
	// it raises the work a hostile document can ask for: the general
	// JSON-LD processor copies the active context for every typed object.
	MaxInlineContextBytes int

	// MaxInlineContextTerms bounds the term definitions of the same inline
	// contexts (every member whose name is not a keyword, those of scoped
	// contexts nested in them included), as MaxInlineContextBytes bounds
	// their size. If zero, [DefaultMaxInlineContextTerms]; if negative, no
	// limit.
	MaxInlineContextTerms int
}

// A Loader is a json-gold [ld.DocumentLoader] that serves JSON-LD contexts
// from memory: the embedded contexts, the caller's extra contexts and,
// only if a [fetch.Fetcher] was configured, fetched ones.
//
// URLs are matched exactly, with one exception: a fragment ("#…") is
// removed before matching, because a fragment never selects a different
// document (RFC 3986, section 3.5). No other normalization is done: http and
// https, or a URL with and without a trailing slash, are different URLs.
//
// Every document is parsed once. Because json-gold can modify the documents
// it loads (processing "@import" merges the importing context into the
// imported document's "@context" map), each call returns a fresh deep copy
// of the parsed document, never a shared value.
//
// A Loader is safe for concurrent use.
type Loader struct {
	docs    map[string]*loadedDoc // embedded and Extra; read-only after NewLoader
	fetcher fetch.Fetcher
	cache   *docCache // nil without a Fetcher

	// maxInlineBytes and maxInlineTerms are the limits of
	// InlineContextLimits, -1 for none.
	maxInlineBytes, maxInlineTerms int
}

// loadedDoc is a parsed context document and the bytes it was parsed from.
// An embedded one is read, checked against its pinned SHA-256 and parsed
// when first served (see embeddedContext); the others are parsed when
// they are added.
type loadedDoc struct {
	raw   []byte
	value map[string]any

	file File // an embedded document's file; its Name is empty for others
	once sync.Once
	err  error
}

// load reads and parses an embedded document the first time it is asked
// for, and returns the error of doing so, if any.
func (d *loadedDoc) load() error {
	if d.file.Name == "" {
		return nil
	}
	d.once.Do(func() {
		raw, err := readVerified(d.file)
		if err != nil {
			d.err = err
			return
		}
		v, err := parseContext(raw)
		if err != nil {
			d.err = fmt.Errorf("schema: embedded %s: %w", d.file.Name, err)
			return
		}
		d.raw, d.value = raw, v
	})
	return d.err
}

// embeddedContexts holds one loadedDoc per embedded context file, shared
// by every Loader: each file is read, checked and parsed once per process,
// when first served, and never changed afterwards.
var embeddedContexts = func() map[string]*loadedDoc {
	m := make(map[string]*loadedDoc)
	for _, f := range files {
		if f.Kind != KindSchema {
			m[f.Name] = &loadedDoc{file: f}
		}
	}
	return m
}()

// standardKey is what a Loader without extra contexts and without a
// Fetcher is made of: such Loaders are immutable, so NewLoader returns the
// same one for the same options (see standardLoaders).
type standardKey struct {
	published      bool
	maxInlineBytes int
	maxInlineTerms int
}

// maxStandardLoaders bounds standardLoaders: options beyond it (inline
// limits of many different values) get a Loader of their own each time.
const maxStandardLoaders = 16

// standardLoaders holds the Loaders NewLoader has made without extra
// contexts and without a Fetcher, by their options, so that the work
// prepared for a Loader (its contexts processed, see package
// proof/dataintegrity) is shared by every Signer and Verifier that asks
// for the same options.
var standardLoaders struct {
	mu sync.Mutex
	m  map[standardKey]*Loader
}

// NewLoader returns a Loader configured by opts. Each embedded context is
// read, checked against its pinned SHA-256 and parsed once per process,
// when first served; contexts in opts.Extra are parsed here.
//
// Loaders without Extra contexts and without a Fetcher hold nothing that
// changes, and NewLoader returns the same Loader for the same options: the
// contexts processed for it are then shared by everything that uses it.
func NewLoader(opts LoaderOptions) (*Loader, error) {
	maxBytes := inlineLimit(opts.MaxInlineContextBytes, DefaultMaxInlineContextBytes)
	maxTerms := inlineLimit(opts.MaxInlineContextTerms, DefaultMaxInlineContextTerms)
	standard := len(opts.Extra) == 0 && opts.Fetcher == nil
	key := standardKey{opts.PublishedOB303, maxBytes, maxTerms}
	if standard {
		standardLoaders.mu.Lock()
		l := standardLoaders.m[key]
		standardLoaders.mu.Unlock()
		if l != nil {
			return l, nil
		}
	}
	l := &Loader{
		docs:           make(map[string]*loadedDoc, len(files)+len(opts.Extra)),
		fetcher:        opts.Fetcher,
		maxInlineBytes: maxBytes,
		maxInlineTerms: maxTerms,
	}
	for _, f := range files {
		switch {
		case f.Kind == KindSchema:
			continue
		case f.URL == ob303ContextURL && (f.Kind == KindAlternateContext) != opts.PublishedOB303:
			continue
		}
		l.docs[f.URL] = embeddedContexts[f.Name]
	}
	for u, b := range opts.Extra {
		if _, ok := l.docs[u]; ok || isEmbeddedContextURL(u) {
			return nil, fmt.Errorf("schema: extra context %q would override an embedded context", u)
		}
		if err := checkDocURL(u); err != nil {
			return nil, fmt.Errorf("schema: extra context %q: %w", u, err)
		}
		raw := bytes.Clone(b)
		v, err := parseContext(raw)
		if err != nil {
			return nil, fmt.Errorf("schema: extra context %q: %w", u, err)
		}
		l.docs[u] = &loadedDoc{raw: raw, value: v}
	}
	if opts.Fetcher != nil && opts.MaxCacheBytes >= 0 {
		limit := opts.MaxCacheBytes
		if limit == 0 {
			limit = DefaultMaxCacheBytes
		}
		l.cache = &docCache{limit: limit, docs: make(map[string]*loadedDoc)}
	}
	if standard {
		standardLoaders.mu.Lock()
		defer standardLoaders.mu.Unlock()
		if kept := standardLoaders.m[key]; kept != nil {
			return kept, nil // made at the same moment by another caller
		}
		if standardLoaders.m == nil {
			standardLoaders.m = make(map[standardKey]*Loader)
		}
		if len(standardLoaders.m) < maxStandardLoaders {
			standardLoaders.m[key] = l
		}
	}
	return l, nil
}

// isEmbeddedContextURL reports whether any embedded context, including one
// not selected by the options, is served at u.
func isEmbeddedContextURL(u string) bool {
	for _, f := range files {
		if f.Kind != KindSchema && f.URL == u {
			return true
		}
	}
	return false
}

// checkDocURL checks that u is an absolute URL without a fragment.
func checkDocURL(u string) error {
	p, err := url.Parse(u)
	if err != nil {
		return err
	}
	if !p.IsAbs() {
		return errors.New("not an absolute URL")
	}
	if strings.Contains(u, "#") {
		return errors.New("URL has a fragment")
	}
	return nil
}

// parseContext parses a JSON-LD context document: a JSON object with an
// "@context" member. Numbers are decoded as float64, as json-gold expects
// (it compares "@version" with the float64 1.1).
func parseContext(raw []byte) (map[string]any, error) {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, fmt.Errorf("not JSON: %w", err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("not a JSON object")
	}
	if _, ok := m["@context"]; !ok {
		return nil, errors.New(`no "@context" member`)
	}
	return m, nil
}

// LoadDocument implements [ld.DocumentLoader]. It is LoadDocumentContext
// with [context.Background]; the Fetcher's own limits (such as
// [fetch.HTTP].Timeout) still apply. Use LoadDocumentContext to bound or
// cancel a fetch.
func (l *Loader) LoadDocument(u string) (*ld.RemoteDocument, error) {
	return l.LoadDocumentContext(context.Background(), u)
}

// LoadDocumentContext returns the context document served at u, with any
// fragment removed. The context is used only if the document must be
// fetched. For a URL that is neither embedded nor in
// [LoaderOptions].Extra, it returns an *[UnknownContextError] if the Loader
// has no Fetcher; otherwise it fetches the document, which must be a JSON
// object with an "@context" member, and caches it.
//
// The returned document is the caller's own copy. Concurrent requests for
// the same URL that is not yet cached may each fetch it.
func (l *Loader) LoadDocumentContext(ctx context.Context, u string) (*ld.RemoteDocument, error) {
	key, _, _ := strings.Cut(u, "#")
	if d, ok := l.docs[key]; ok {
		if err := d.load(); err != nil {
			return nil, err
		}
		return remote(key, d), nil
	}
	if l.fetcher == nil {
		return nil, &UnknownContextError{URL: u}
	}
	if d := l.cache.get(key); d != nil {
		return remote(key, d), nil
	}
	raw, err := l.fetcher.Fetch(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("schema: fetching JSON-LD context %q: %w", key, err)
	}
	v, err := parseContext(raw)
	if err != nil {
		return nil, fmt.Errorf("schema: fetched JSON-LD context %q: %w", key, err)
	}
	d := &loadedDoc{raw: raw, value: v}
	l.cache.put(key, d)
	return remote(key, d), nil
}

// remote wraps a deep copy of d for json-gold.
//
// Sharing the parsed value would not be safe: json-gold v0.9.1 modifies
// loaded documents. Context.parse (ld/context.go), handling "@import", merges
// the importing context into the imported document's "@context" map in place
// (importCtxMap[k] = v), so a shared imported context would carry the
// importer's terms, and its "@import", into the next expansion, which then
// fails. TestLoaderSurvivesImport shows it. Copying the parsed value is still
// much cheaper than parsing the JSON again.
func remote(u string, d *loadedDoc) *ld.RemoteDocument {
	return &ld.RemoteDocument{DocumentURL: u, Document: ld.CloneDocument(d.value)}
}

// ContextBytes returns a copy of the exact bytes served at u: an embedded
// context (the copy of the 3.0.3 context selected by the options) or one from
// [LoaderOptions].Extra. It never fetches, and does not return fetched
// documents; for any other URL it returns an *[UnknownContextError].
// As in LoadDocument, a fragment is removed from u.
func (l *Loader) ContextBytes(u string) ([]byte, error) {
	key, _, _ := strings.Cut(u, "#")
	d, ok := l.docs[key]
	if !ok {
		return nil, &UnknownContextError{URL: u}
	}
	if err := d.load(); err != nil {
		return nil, err
	}
	return bytes.Clone(d.raw), nil
}

// URLs returns the sorted URLs of every context the Loader serves without
// fetching: the embedded ones and those in [LoaderOptions].Extra.
func (l *Loader) URLs() []string {
	urls := make([]string, 0, len(l.docs))
	for u := range l.docs {
		urls = append(urls, u)
	}
	slices.Sort(urls)
	return urls
}

var _ ld.DocumentLoader = (*Loader)(nil)

// docCache holds fetched documents, evicting the oldest when the total size
// of their bytes would exceed limit. A nil *docCache caches nothing.
type docCache struct {
	limit int64

	mu    sync.Mutex
	docs  map[string]*loadedDoc
	order []string // insertion order, oldest first
	size  int64
}

func (c *docCache) get(u string) *loadedDoc {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.docs[u]
}

func (c *docCache) put(u string, d *loadedDoc) {
	if c == nil {
		return
	}
	n := int64(len(d.raw))
	if n > c.limit {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.docs[u]; ok {
		return // fetched concurrently by another caller
	}
	for c.size+n > c.limit && len(c.order) > 0 {
		old := c.order[0]
		c.order = c.order[1:]
		c.size -= int64(len(c.docs[old].raw))
		delete(c.docs, old)
	}
	c.docs[u] = d
	c.order = append(c.order, u)
	c.size += n
}
