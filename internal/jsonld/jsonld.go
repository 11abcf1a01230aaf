// Package jsonld converts JSON-LD documents to RDF in a real safe mode: a
// term no context defines, a relative @id or @type, an invalid IRI or
// anything else the conversion would silently drop is an error, not a
// statement missing from what is signed. It is shared by the proof suites
// and by anything that must refuse what they would refuse.
package jsonld

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/piprate/json-gold/ld"

	"github.com/go-openbadges/openbadges/internal/jcs"
	"github.com/go-openbadges/openbadges/internal/jsonobj"
	"github.com/go-openbadges/openbadges/internal/rdfc"
)

// IRIs the conversion to RDF writes.
const (
	rdfType        = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
	rdfFirst       = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first"
	rdfRest        = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest"
	rdfNil         = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil"
	rdfJSON        = "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON"
	rdfLangString  = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
	xsdString      = "http://www.w3.org/2001/XMLSchema#string"
	xsdBoolean     = "http://www.w3.org/2001/XMLSchema#boolean"
	xsdInteger     = "http://www.w3.org/2001/XMLSchema#integer"
	xsdDouble      = "http://www.w3.org/2001/XMLSchema#double"
	maxListLength  = 1 << 16
	blankPrefix    = "_:"
	defaultGraphID = "@default"
)

// ErrSafeMode is wrapped by the error of a document that JSON-LD safe mode
// refuses: something in it would be silently dropped or changed by the
// conversion to RDF, and so would not be covered by the signature.
var ErrSafeMode = errors.New("JSON-LD safe mode")

// ErrProcessor is wrapped by the error of a document that made the JSON-LD
// processor fail unexpectedly (a panic inside json-gold, recovered).
var ErrProcessor = errors.New("JSON-LD processor failure on this document")

// A SafeModeError says what JSON-LD safe mode refused and where.
type SafeModeError struct {
	// Path locates the fault: a JSON pointer into the document where it is
	// known, otherwise the expanded IRI or term concerned.
	Path string
	// Reason says what is wrong, for a person.
	Reason string
}

func (e *SafeModeError) Error() string {
	if e.Path == "" {
		return "JSON-LD safe mode: " + e.Reason
	}
	return fmt.Sprintf("JSON-LD safe mode: %s: %s", e.Path, e.Reason)
}

// Unwrap returns ErrSafeMode.
func (e *SafeModeError) Unwrap() error { return ErrSafeMode }

func safeModeErr(path, format string, args ...any) error {
	return &SafeModeError{Path: path, Reason: fmt.Sprintf(format, args...)}
}

// ToRDF converts the JSON-LD document doc (decoded with UseNumber, or
// built of maps, slices, strings, bools, json.Number and float64) to an RDF
// dataset, in JSON-LD safe mode: every term must be defined by a context,
// every @id and @type must be an absolute IRI or a blank node identifier,
// every IRI and language tag must be valid. Where the JSON-LD to RDF
// algorithm would drop a statement, toRDF returns an error instead.
//
// json-gold expands the document and builds its node map. The RDF
// statements are then written here rather than by json-gold, whose writer
// drops invalid statements silently and formats large integers differently
// from the JSON-LD specification.
//
// json-gold panics on some hostile documents (a member named "" whose value
// is an array of numbers, found by FuzzToRDF); such a panic is recovered
// and returned as an error wrapping ErrProcessor, never passed on to the
// caller.
func ToRDF(ctx context.Context, doc map[string]any, loader ld.DocumentLoader) ([]rdfc.Quad, error) {
	return (&Converter{Loader: loader}).ToRDF(ctx, doc)
}

// maxCachedContexts bounds the top-level contexts a Converter keeps.
const maxCachedContexts = 64

// A Converter is ToRDF that keeps the contexts it has processed, so that
// documents with the same @context (every credential an issuer signs,
// every proof configuration) do not process them again: the top-level
// list, and the type- and property-scoped contexts applied under it. With
// them, most documents take a fast path from JSON to RDF (see fast.go),
// and the rest are expanded by json-gold. It is safe for concurrent use;
// the zero value needs its Loader set.
type Converter struct {
	// Loader serves the contexts.
	Loader ld.DocumentLoader

	cache        sync.Map // contextKey to *fastContext
	nCached      atomic.Int64
	derivedCount atomic.Int64
	free         sync.Pool // scratches to reuse
	intern       atomic.Pointer[map[string]string]
	// wholeRoot, set by tests, has the general path expand with the whole
	// top-level context rather than prunedRoot's.
	wholeRoot bool
}

// scratch is the work space of one Canonical call, kept for the next.
type scratch struct {
	quads []rdfc.Quad
	rdfc  rdfc.Scratch
	tree  jsonobj.Tree // a map document, as a tree
}

// maxScratchQuads bounds the quads a kept scratch holds room for, so that
// one huge document does not keep its memory for ever: 16,384 quads (3.5
// MiB), a credential with about 2,500 alignments. Below it a large
// credential reuses its work space rather than regrowing it from 64 quads
// at every call (1,000 alignments: 11.4 ms and 9.1 MB per signature at a
// bound of 4,096, 5.6 ms and 0.34 MB at this one).
const maxScratchQuads = 1 << 14

// Canonical returns the RDFC-1.0 canonical N-Quads of doc's RDF (see
// ToRDF), what the RDFC proof suites hash. It reuses its work space from
// one call to the next.
func (c *Converter) Canonical(ctx context.Context, doc map[string]any, opts rdfc.Options) ([]byte, error) {
	var out []byte
	err := c.canonical(ctx, source{doc: doc}, opts, func(quads []rdfc.Quad, opts rdfc.Options) (err error) {
		out, err = rdfc.CanonicalNQuads(ctx, quads, opts)
		return err
	})
	return out, err
}

// Check converts doc to RDF and discards it: it returns the error ToRDF
// would, without keeping the quads.
func (c *Converter) Check(ctx context.Context, doc map[string]any) error {
	return c.check(ctx, source{doc: doc})
}

// CheckTree is Check of the object at n of t, without its member skip
// (if not ""): what a caller that parsed the document with
// jsonobj.ParseTree hands over, so that nothing is decoded twice.
func (c *Converter) CheckTree(ctx context.Context, t *jsonobj.Tree, n int, skip string) error {
	return c.check(ctx, source{tree: t, n: n, skip: skip})
}

func (c *Converter) check(ctx context.Context, src source) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	sc := c.getScratch()
	defer c.putScratch(sc)
	t, n, skip, err := src.treeIn(&sc.tree)
	var root *fastContext
	if err == nil {
		if err := c.checkInlineTree(t, n, skip); err != nil {
			return err
		}
		w := &fastWriter{discard: true, t: t, skip: skip}
		if c.fastRun(w, n) {
			return nil
		}
		root = w.root
	} else if err := c.checkInlineValue(src.asMap()); err != nil {
		return err
	}
	_, err = c.generalWith(ctx, src.asMap(), root)
	return err
}

// CanonicalTo writes what Canonical returns to w (a hash, say) without
// keeping it.
func (c *Converter) CanonicalTo(ctx context.Context, w io.Writer, doc map[string]any, opts rdfc.Options) error {
	return c.canonical(ctx, source{doc: doc}, opts, func(quads []rdfc.Quad, opts rdfc.Options) error {
		return rdfc.WriteCanonical(ctx, w, quads, opts)
	})
}

// CanonicalTreeTo is CanonicalTo of the object at n of t, without its
// member skip (if not "").
func (c *Converter) CanonicalTreeTo(ctx context.Context, w io.Writer, t *jsonobj.Tree, n int, skip string, opts rdfc.Options) error {
	return c.canonical(ctx, source{tree: t, n: n, skip: skip}, opts, func(quads []rdfc.Quad, opts rdfc.Options) error {
		return rdfc.WriteCanonical(ctx, w, quads, opts)
	})
}

// CanonicalBuiltTo writes the canonical N-Quads of the quads build appends
// to the Converter's work space, for a caller that writes RDF itself. If build
// reports false, nothing is written and CanonicalBuiltTo returns false.
func (c *Converter) CanonicalBuiltTo(ctx context.Context, w io.Writer, build func(dst []rdfc.Quad) ([]rdfc.Quad, bool), opts rdfc.Options) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	sc := c.getScratch()
	defer c.putScratch(sc)
	quads, ok := build(sc.quads[:0])
	if !ok {
		return false, nil
	}
	sc.quads = quads
	opts.Scratch = &sc.rdfc
	return true, rdfc.WriteCanonical(ctx, w, quads, opts)
}

// A source is what a conversion reads: a document as a map, or the object
// at n of a tree without its member skip.
type source struct {
	doc  map[string]any
	tree *jsonobj.Tree
	n    int
	skip string
}

// treeIn returns the source as a tree, using scratch for a map.
func (s source) treeIn(scratch *jsonobj.Tree) (*jsonobj.Tree, int, string, error) {
	if s.tree != nil {
		return s.tree, s.n, s.skip, nil
	}
	return scratch, 0, "", scratch.SetValue(s.doc)
}

// asMap returns the source as the map the general path reads.
func (s source) asMap() map[string]any {
	if s.tree == nil {
		return s.doc
	}
	m, _ := s.tree.Value(s.n).(map[string]any)
	if s.skip != "" {
		delete(m, s.skip)
	}
	return m
}

// canonical converts the source with a scratch and passes the quads to
// write, with the scratch's rdfc work space in opts.
func (c *Converter) canonical(ctx context.Context, src source, opts rdfc.Options, write func([]rdfc.Quad, rdfc.Options) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	sc := c.getScratch()
	defer c.putScratch(sc)
	t, n, skip, err := src.treeIn(&sc.tree)
	var quads []rdfc.Quad
	var ok bool
	var root *fastContext
	if err == nil {
		if err := c.checkInlineTree(t, n, skip); err != nil {
			return err
		}
		w := &fastWriter{quads: sc.quads[:0], t: t, skip: skip}
		ok, quads, root = c.fastRun(w, n), w.quads, w.root
	} else if err := c.checkInlineValue(src.asMap()); err != nil {
		return err
	}
	if ok {
		sc.quads = quads
	} else if quads, err = c.generalWith(ctx, src.asMap(), root); err != nil {
		return err
	}
	opts.Scratch = &sc.rdfc
	return write(quads, opts)
}

// getScratch takes a scratch from the free list, or makes one. The free
// list is a sync.Pool, for the reasons jsonobj.Trees gives.
func (c *Converter) getScratch() *scratch {
	if sc, ok := c.free.Get().(*scratch); ok {
		return sc
	}
	return &scratch{quads: make([]rdfc.Quad, 0, 64)}
}

// putScratch wipes what sc holds of a document and keeps it.
func (c *Converter) putScratch(sc *scratch) {
	if cap(sc.quads) > maxScratchQuads {
		return
	}
	// The whole array: a conversion that gave up may have left quads
	// past the length.
	clear(sc.quads[:cap(sc.quads)])
	sc.quads = sc.quads[:0]
	clear(sc.tree.Nodes)
	sc.tree.Nodes = sc.tree.Nodes[:0]
	c.free.Put(sc)
}

// options returns the processing options of every conversion.
func (c *Converter) options() *ld.JsonLdOptions {
	opts := ld.NewJsonLdOptions("")
	opts.DocumentLoader = c.Loader
	opts.ProcessingMode = ld.JsonLd_1_1
	opts.SafeMode = true
	return opts
}

// maxCachedInline bounds the size of the inline part of a @context (see
// inlineUsage) that a Converter keeps processed, at the top of documents or
// embedded in them: a larger one, rare in credentials, is processed for
// each document that has it, so that a few large ones do not keep their
// memory for ever.
const maxCachedInline = 16 << 10

// contextKey returns the cache key of a @context value (see rootKey), or
// ok false if it is not to be kept.
func contextKey(local any) (key string, ok bool) {
	var t jsonobj.Tree
	if t.SetValue(local) != nil {
		return "", false
	}
	return rootKey(&t, 0)
}

// rootKey returns the cache key of the @context at n of t: the URLs
// themselves for the usual list of URLs, else an encoding of the JSON
// value (members in the order of their names). ok is false for a context
// whose inline part is over maxCachedInline, which is not to be kept.
func rootKey(t *jsonobj.Tree, n int) (key string, ok bool) {
	if key, ok := stringsKey(t, n); ok {
		return key, true
	}
	var u inlineUsage
	u.addContext(t, n)
	if u.bytes > maxCachedInline {
		return "", false
	}
	var b strings.Builder
	b.WriteByte('j')
	writeKey(&b, t, n)
	return b.String(), true
}

// writeKey writes the value at n of t to b, each string with its length
// before it, so that no two values write the same; the members of an
// object in the order of their names, so that every decoding of the same
// object writes the same.
func writeKey(b *strings.Builder, t *jsonobj.Tree, n int) {
	nd := &t.Nodes[n]
	str := func(s string) {
		b.WriteString(strconv.Itoa(len(s)))
		b.WriteByte(':')
		b.WriteString(s)
	}
	b.WriteByte(byte('0' + nd.Kind))
	switch nd.Kind {
	case jsonobj.String, jsonobj.Number:
		str(nd.Str)
	case jsonobj.Array:
		for e := n + 1; e < int(nd.End); e = int(t.Nodes[e].End) {
			writeKey(b, t, e)
		}
		b.WriteByte(']')
	case jsonobj.Object:
		var members []int
		for e := n + 1; e < int(nd.End); e = int(t.Nodes[e].End) {
			members = append(members, e)
		}
		slices.SortFunc(members, func(x, y int) int { return strings.Compare(t.Nodes[x].Key, t.Nodes[y].Key) })
		for _, e := range members {
			str(t.Nodes[e].Key)
			writeKey(b, t, e)
		}
		b.WriteByte('}')
	}
}

// stringsKey returns the key rootKey gives the @context at n of t if it is
// a URL or a list of URLs, the usual case, without decoding it.
func stringsKey(t *jsonobj.Tree, n int) (string, bool) {
	nd := &t.Nodes[n]
	switch nd.Kind {
	case jsonobj.String:
		return "s" + nd.Str, true
	case jsonobj.Array:
		size := 1
		for e := n + 1; e < int(nd.End); e = int(t.Nodes[e].End) {
			if t.Nodes[e].Kind != jsonobj.String {
				return "", false
			}
			size += len(t.Nodes[e].Str) + 1
		}
		var b strings.Builder
		b.Grow(size)
		b.WriteByte('l')
		for e := n + 1; e < int(nd.End); e = int(t.Nodes[e].End) {
			b.WriteString(t.Nodes[e].Str)
			b.WriteByte(0)
		}
		return b.String(), true
	}
	return "", false
}

// fastRoot returns the context of a document whose top-level @context is
// local, processed once per distinct value (see rootOf).
func (c *Converter) fastRoot(local any) (*fastContext, error) {
	key, keep := contextKey(local)
	return c.rootOf(key, keep, func() any { return local })
}

// fastRootTree is fastRoot of the @context at n of t, decoded only if it
// is not kept yet.
func (c *Converter) fastRootTree(t *jsonobj.Tree, n int) (*fastContext, error) {
	key, keep := rootKey(t, n)
	return c.rootOf(key, keep, func() any { return contextValue(t, n) })
}

// rootOf returns the context of the top-level @context that decode gives,
// whose key is key: the one kept, or a new one, kept if keep is true and
// there is room.
func (c *Converter) rootOf(key string, keep bool, decode func() any) (*fastContext, error) {
	if keep {
		if fc, ok := c.cache.Load(key); ok {
			return fc.(*fastContext), nil
		}
	}
	local := decode()
	var err error
	active := ld.NewContext(nil, c.options())
	if local != nil {
		if active, err = active.Parse(local); err != nil {
			return nil, err
		}
	}
	// The bound may be passed by as many contexts as are made at the same
	// moment, no more.
	keep = keep && c.nCached.Load() < maxCachedContexts
	fc := c.newRoot(active, keep)
	fc.ld, fc.local = active, local
	// A top-level context with @propagate leaves json-gold a previous
	// context the fast path does not know of.
	fc.ok = fc.ok && !c.changesPropagation(local, 0)
	if !keep {
		return fc, nil
	}
	c.addTerms(active)
	kept, loaded := c.cache.LoadOrStore(key, fc)
	if loaded {
		return kept.(*fastContext), nil
	}
	c.nCached.Add(1)
	return fc, nil
}

// maxInterned bounds Interned.
const maxInterned = 4096

// Interned returns the names the contexts processed so far define, their
// types' names among them: the strings a credential repeats, for a JSON
// parser to use rather than copy (jsonobj.Tree.Intern). The map must not
// be changed; it is replaced, not changed, as contexts are added.
func (c *Converter) Interned() map[string]string {
	if p := c.intern.Load(); p != nil {
		return *p
	}
	return nil
}

// addTerms adds the terms of active, and of the contexts its terms scope,
// to Interned.
func (c *Converter) addTerms(active *ld.Context) {
	old := c.Interned()
	m := make(map[string]string, len(old)+len(active.TermDefinitions))
	for k, v := range old {
		m[k] = v
	}
	var walk func(v any, depth int)
	walk = func(v any, depth int) {
		if depth > maxContextDepth {
			return
		}
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if len(m) < maxInterned {
					m[k] = k
				}
				walk(e, depth+1)
			}
		case []any:
			for _, e := range x {
				walk(e, depth+1)
			}
		}
	}
	for term, td := range active.TermDefinitions {
		if len(m) < maxInterned {
			m[term] = term
		}
		if td != nil && td.HasContext {
			walk(td.Context, 0)
		}
	}
	c.intern.Store(&m)
}

// expand is json-gold's expansion of doc (JsonLdProcessor.Expand), with
// the top-level context fc, or if nil the one the cache has or makes.
func (c *Converter) expand(doc map[string]any, opts *ld.JsonLdOptions, fc *fastContext) ([]any, error) {
	if fc == nil {
		var err error
		if fc, err = c.fastRoot(doc["@context"]); err != nil {
			return nil, err
		}
	}
	active := c.prunedRoot(fc, doc)
	body := make(map[string]any, len(doc))
	for k, v := range doc {
		if k != "@context" {
			body[k] = v
		}
	}
	expanded, err := ld.NewJsonLdApi().Expand(active, "", body, opts, false, nil)
	if err != nil {
		return nil, err
	}
	// The final step of the Expansion Algorithm, as JsonLdProcessor does it.
	m, isMap := expanded.(map[string]any)
	if isMap && len(m) == 0 {
		expanded = nil
	}
	if graph, hasGraph := m["@graph"]; isMap && hasGraph && len(m) == 1 {
		expanded = graph
	} else if expanded == nil {
		expanded = []any{}
	}
	if list, isList := expanded.([]any); isList {
		return list, nil
	}
	return []any{expanded}, nil
}

// prunedRoot returns json-gold's context of the root fc, for expanding
// doc, with only the term definitions that expansion can look up: those
// whose names are strings of doc, of the contexts it names or embeds, or
// of the values (not the names) of the root's term definitions, their
// scoped contexts and the contexts these load. json-gold copies the active
// context for every typed object and for every object below one; with
// every definition of a large inline context, that is a copy of the whole
// context per object, with these, a copy of what the document uses. What
// expansion looks up, it looks up by such a string or by the part of one
// before a colon (see contextRefs); a definition it never looks up cannot
// change what it makes. If the root has @propagate or @import (which this
// does not follow), or a context does not load, prunedRoot returns the
// whole context.
func (c *Converter) prunedRoot(fc *fastContext, doc map[string]any) *ld.Context {
	part, ok := fc.rootPart()
	if !ok || c.wholeRoot {
		return fc.ld
	}
	refs := map[string]struct{}{"": {}}
	for k, v := range doc {
		if k != "@context" && !c.valueRefs(k, v, refs, 0) {
			return fc.ld
		}
		addString(k, refs)
	}
	pruned := ld.NewContext(nil, c.options())
	*pruned.Values = *fc.ld.Values
	for name, td := range part {
		pruned.TermDefinitions[name] = td
	}
	for name := range refs {
		if td, ok := fc.base[name]; ok {
			pruned.TermDefinitions[name] = td
		}
	}
	// Of Protected, json-gold reads only whether it is empty (a context
	// with protected terms cannot be nullified).
	for name := range fc.ld.Protected {
		pruned.Protected[name] = true
		break
	}
	return pruned
}

// rootPart returns the term definitions of the root fc that prunedRoot
// keeps for any document: those named by a string of the values of its
// term definitions (see prunedRoot), and those whose names are keywords
// or empty. It is worked out once per root.
func (fc *fastContext) rootPart() (map[string]*ld.TermDefinition, bool) {
	fc.partOnce.Do(func() {
		c := fc.conv
		if fc.ld == nil || c.changesPropagation(fc.local, 0) {
			return
		}
		refs := map[string]struct{}{}
		if !c.rootRefs(fc.local, refs, 0) {
			return
		}
		part := map[string]*ld.TermDefinition{}
		for name := range refs {
			if td, ok := fc.base[name]; ok {
				part[name] = td
			}
		}
		for name, td := range fc.base {
			if name == "" || name[0] == '@' {
				part[name] = td
			}
		}
		fc.part = part
	})
	return fc.part, fc.part != nil
}

// rootRefs adds to refs the strings of the values of the term definitions
// of the top-level context local (see prunedRoot), or reports false if a
// context does not load or they nest deeper than maxContextDepth.
func (c *Converter) rootRefs(local any, refs map[string]struct{}, depth int) bool {
	if depth > maxContextDepth {
		return false
	}
	for _, e := range ld.Arrayify(local) {
		switch x := e.(type) {
		case string:
			inner, ok := c.load(x)
			if !ok || !c.rootRefs(inner, refs, depth+1) {
				return false
			}
		case map[string]any:
			for k, v := range x {
				if k == "@context" {
					// json-gold reads it in place of x.
					if !c.rootRefs(v, refs, depth+1) {
						return false
					}
				} else if !c.valueRefs("", v, refs, depth) {
					return false
				}
			}
		}
	}
	return true
}

// valueRefs adds every string of v, the value of member key ("" if none),
// and of the contexts any @context in v names by URL, to refs (with the
// part of each before its first colon); false if such a context does not
// load, or contexts nest deeper than maxContextDepth.
func (c *Converter) valueRefs(key string, v any, refs map[string]struct{}, depth int) bool {
	if depth > maxContextDepth {
		return false
	}
	if key == "@context" {
		for _, e := range ld.Arrayify(v) {
			if s, isURL := e.(string); isURL {
				addString(s, refs)
				inner, ok := c.load(s)
				if !ok || !c.valueRefs("@context", inner, refs, depth+1) {
					return false
				}
			} else if !c.valueRefs("", e, refs, depth+1) {
				return false
			}
		}
		return true
	}
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			addString(k, refs)
			if !c.valueRefs(k, e, refs, depth) {
				return false
			}
		}
	case []any:
		for _, e := range x {
			if !c.valueRefs("", e, refs, depth) {
				return false
			}
		}
	case string:
		addString(x, refs)
	}
	return true
}

// load returns the @context of the context document at u, as json-gold
// loads it, and false if it does not load.
func (c *Converter) load(u string) (any, bool) {
	if c.Loader == nil {
		return nil, false
	}
	rd, err := c.Loader.LoadDocument(u)
	if err != nil {
		return nil, false
	}
	doc, _ := rd.Document.(map[string]any)
	inner, ok := doc["@context"]
	return inner, ok
}

// ToRDF is the package's ToRDF, with the Converter's context cache.
func (c *Converter) ToRDF(ctx context.Context, doc map[string]any) ([]rdfc.Quad, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var t jsonobj.Tree
	var root *fastContext
	if t.SetValue(doc) == nil {
		if err := c.checkInlineTree(&t, 0, ""); err != nil {
			return nil, err
		}
		w := &fastWriter{quads: make([]rdfc.Quad, 0, 64), t: &t}
		if c.fastRun(w, 0) {
			return w.quads, nil
		}
		root = w.root
	} else if err := c.checkInlineValue(doc); err != nil {
		return nil, err
	}
	return c.generalWith(ctx, doc, root)
}

// general is ToRDF through json-gold's expansion and node map.
func (c *Converter) general(ctx context.Context, doc map[string]any) ([]rdfc.Quad, error) {
	return c.generalWith(ctx, doc, nil)
}

// generalWith is general with the context of doc's top-level @context,
// root, if not nil (processed by the fast path, which gave up).
func (c *Converter) generalWith(ctx context.Context, doc map[string]any, root *fastContext) (quads []rdfc.Quad, err error) {
	defer func() {
		if r := recover(); r != nil {
			quads, err = nil, fmt.Errorf("%w: %v", ErrProcessor, r)
		}
	}()
	if err := preScan(doc, "", true); err != nil {
		return nil, err
	}
	opts := c.options()
	// json-gold may rewrite the maps it is given; it gets a copy.
	doc = deepCopy(doc)
	graphPresentationCredentials(doc)
	expanded, err := c.expand(doc, opts, root)
	if err != nil {
		err = expansionError(err)
		var sm *SafeModeError
		if errors.As(err, &sm) && sm.Path == "" {
			if ptr, term := c.locateUndefined(doc); ptr != "" {
				sm.Path = ptr
				sm.Reason = fmt.Sprintf("%q is not defined by any context (it does not expand to an absolute IRI); add the context that defines it (for a term of your own under VCDM 2.0, https://www.w3.org/ns/credentials/undefined-terms/v2)", term)
			}
		}
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := checkExpanded(doc, expanded); err != nil {
		return nil, err
	}
	api := ld.NewJsonLdApi()
	issuer := ld.NewIdentifierIssuer("_:b")
	nodeMap := map[string]any{defaultGraphID: map[string]any{}}
	if _, err := api.GenerateNodeMap(expanded, nodeMap, defaultGraphID, issuer, "", "", nil); err != nil {
		return nil, expansionError(err)
	}
	w := rdfWriter{issuer: issuer}
	for _, g := range sortedKeys(nodeMap) {
		var graph rdfc.Term
		if g != defaultGraphID {
			if graph, err = w.nodeTerm(g, "graph name"); err != nil {
				return nil, err
			}
		}
		nodes, _ := nodeMap[g].(map[string]any)
		if err := w.graph(graph, nodes); err != nil {
			return nil, err
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	if w.directions {
		// json-gold has read the contexts' directions leniently.
		if err := c.checkDirections(doc); err != nil {
			return nil, err
		}
	}
	return w.quads, nil
}

// expansionError turns a json-gold error into ours: a safe mode refusal
// becomes a *SafeModeError; anything else keeps its chain, so that a
// context the loader does not have still matches schema.ErrUnknownContext.
func expansionError(err error) error {
	var code ld.ErrorCode
	var jerr *ld.JsonLdError
	var jval ld.JsonLdError
	switch {
	case errors.As(err, &jerr):
		code = jerr.Code
	case errors.As(err, &jval):
		code = jval.Code
	}
	if code == ld.InvalidProperty {
		return safeModeErr("", "a property is not defined by any context (it does not expand to an absolute IRI); add the context that defines it (for a term of your own under VCDM 2.0, https://www.w3.org/ns/credentials/undefined-terms/v2)")
	}
	return fmt.Errorf("JSON-LD: %w", err)
}

// checkExpanded compares the expanded document with the input for what
// expansion drops without a word at the top level: a document or @graph
// entry that is empty, only an @id, a free-floating value or list. Such an
// entry says nothing, yet was in the document; JSON-LD safe mode (as
// jsonld.js implements it) refuses it, and so does this.
func checkExpanded(doc any, expanded []any) error {
	m, _ := doc.(map[string]any)
	want := 1
	if g, ok := m["@graph"].([]any); ok {
		only := true
		for k := range m {
			only = only && (k == "@context" || k == "@graph")
		}
		if only {
			want = len(g)
		}
	}
	if len(expanded) < want {
		return safeModeErr("", "%d top-level node(s) expanded to %d: an empty object, an object with only an id, or a free-floating value is dropped by JSON-LD and would not be signed", want, len(expanded))
	}
	for i, v := range expanded {
		e, _ := v.(map[string]any)
		if _, onlyID := e["@id"]; len(e) == 0 || len(e) == 1 && onlyID {
			return safeModeErr(fmt.Sprintf("/@graph/%d", i), "a top-level object with nothing but an id says nothing and would not be signed")
		}
		if _, isValue := e["@value"]; isValue {
			return safeModeErr(fmt.Sprintf("/@graph/%d", i), "a free-floating value is not a statement about anything")
		}
		if _, isList := e["@list"]; isList {
			return safeModeErr(fmt.Sprintf("/@graph/%d", i), "a free-floating list is not a statement about anything")
		}
	}
	return nil
}

// preScan walks the input (but not its contexts) for what JSON-LD
// expansion drops and jsonld.js's safe mode refuses: a null @id or @value,
// an object with only @language, a free-floating scalar in @graph, and a
// key that looks like a keyword but is none (a reserved term), a @direction
// outside a value object; and for a @direction other than "ltr" or "rtl",
// which json-gold would take.
func preScan(v any, ptr string, top bool) error {
	switch x := v.(type) {
	case map[string]any:
		if _, ok := x["@language"]; ok && len(x) == 1 {
			return safeModeErr(ptr, "an object with only @language says nothing and would be dropped")
		}
		for _, k := range sortedKeys(x) {
			e := x[k]
			p := ptr + "/" + jsonobj.Escape(k)
			if k == "@context" {
				continue
			}
			if e == nil && (k == "@id" || k == "id" || k == "@value") {
				return safeModeErr(p, "a null %s would be dropped", k)
			}
			if k == "@direction" && !validDirection(e) {
				return safeModeErr(p, "@direction %s is not a base direction: it must be \"ltr\" or \"rtl\"", quoteJSON(e))
			}
			if _, isValue := x["@value"]; k == "@direction" && !isValue {
				return safeModeErr(p, "@direction on an object that is not a value (with @value) would be dropped: only text has a direction")
			}
			if strings.HasPrefix(k, "@") && len(k) > 1 && isAlpha(k[1:]) && !ld.IsKeyword(k) {
				return safeModeErr(p, "%q is reserved for JSON-LD keywords and would be dropped", k)
			}
			if k == "@graph" && top {
				if g, ok := e.([]any); ok {
					for i, item := range g {
						switch item.(type) {
						case map[string]any, []any:
						default:
							return safeModeErr(fmt.Sprintf("%s/%d", p, i), "a free-floating value in @graph is not a statement about anything")
						}
					}
				}
			}
			if err := preScan(e, p, false); err != nil {
				return err
			}
		}
	case []any:
		for i, e := range x {
			if err := preScan(e, fmt.Sprintf("%s/%d", ptr, i), false); err != nil {
				return err
			}
		}
	}
	return nil
}

func isAlpha(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// rdfWriter converts a node map to quads.
type rdfWriter struct {
	issuer *ld.IdentifierIssuer
	quads  []rdfc.Quad
	// directions is set once a value with a @direction is written.
	directions bool
}

func (w *rdfWriter) graph(graph rdfc.Term, nodes map[string]any) error {
	for _, id := range sortedKeys(nodes) {
		node, _ := nodes[id].(map[string]any)
		subject, err := w.nodeTerm(id, "@id")
		if err != nil {
			return err
		}
		for _, prop := range sortedKeys(node) {
			values, _ := node[prop].([]any)
			var predicate rdfc.Term
			switch {
			case prop == "@type":
				predicate = rdfc.Term{Kind: rdfc.IRI, Value: rdfType}
				for _, t := range values {
					s, _ := t.(string)
					object, err := w.nodeTerm(s, "@type")
					if err != nil {
						return err
					}
					w.quads = append(w.quads, rdfc.Quad{Subject: subject, Predicate: predicate, Object: object, Graph: graph})
				}
				continue
			case ld.IsKeyword(prop):
				continue
			case strings.HasPrefix(prop, blankPrefix):
				return safeModeErr(prop, "a property expands to a blank node identifier, which RDF does not allow as a predicate")
			default:
				if err := checkIRI(prop, "property"); err != nil {
					return err
				}
				predicate = rdfc.Term{Kind: rdfc.IRI, Value: prop}
			}
			for _, item := range values {
				object, err := w.object(item, graph)
				if err != nil {
					return err
				}
				w.quads = append(w.quads, rdfc.Quad{Subject: subject, Predicate: predicate, Object: object, Graph: graph})
			}
		}
	}
	return nil
}

// nodeTerm returns the term of a node identifier: a blank node or an
// absolute IRI. role names where it came from, for the error.
func (w *rdfWriter) nodeTerm(id, role string) (rdfc.Term, error) {
	if label, ok := strings.CutPrefix(id, blankPrefix); ok {
		if label == "" {
			return rdfc.Term{}, safeModeErr(id, "an empty blank node identifier in %s", role)
		}
		return rdfc.Term{Kind: rdfc.BlankNode, Value: label}, nil
	}
	if err := checkIRI(id, role); err != nil {
		return rdfc.Term{}, err
	}
	return rdfc.Term{Kind: rdfc.IRI, Value: id}, nil
}

// object converts one value of a node map entry: a node reference, a value
// object or a list object.
func (w *rdfWriter) object(item any, graph rdfc.Term) (rdfc.Term, error) {
	m, ok := item.(map[string]any)
	if !ok {
		return rdfc.Term{}, safeModeErr("", "unexpected %T in the node map", item)
	}
	if v, isValue := m["@value"]; isValue {
		if _, ok := m["@direction"]; ok {
			w.directions = true
		}
		return valueTerm(m, v)
	}
	if list, isList := m["@list"]; isList {
		items, _ := list.([]any)
		return w.list(items, graph)
	}
	id, _ := m["@id"].(string)
	return w.nodeTerm(id, "@id")
}

// list writes an RDF collection and returns its head.
func (w *rdfWriter) list(items []any, graph rdfc.Term) (rdfc.Term, error) {
	if len(items) == 0 {
		return rdfc.Term{Kind: rdfc.IRI, Value: rdfNil}, nil
	}
	if len(items) > maxListLength {
		return rdfc.Term{}, fmt.Errorf("a list of %d items is over the limit of %d", len(items), maxListLength)
	}
	first := rdfc.Term{Kind: rdfc.IRI, Value: rdfFirst}
	rest := rdfc.Term{Kind: rdfc.IRI, Value: rdfRest}
	heads := make([]rdfc.Term, len(items))
	for i := range items {
		heads[i] = rdfc.Term{Kind: rdfc.BlankNode, Value: strings.TrimPrefix(w.issuer.GetId(""), blankPrefix)}
	}
	for i, item := range items {
		object, err := w.object(item, graph)
		if err != nil {
			return rdfc.Term{}, err
		}
		w.quads = append(w.quads, rdfc.Quad{Subject: heads[i], Predicate: first, Object: object, Graph: graph})
		next := rdfc.Term{Kind: rdfc.IRI, Value: rdfNil}
		if i+1 < len(items) {
			next = heads[i+1]
		}
		w.quads = append(w.quads, rdfc.Quad{Subject: heads[i], Predicate: rest, Object: next, Graph: graph})
	}
	return heads[0], nil
}

// validLanguage is the language tag shape the JSON-LD to RDF algorithm
// accepts (BCP 47 well-formedness is not checked further by any peer).
var validLanguage = regexp.MustCompile(`^[a-zA-Z]+(-[a-zA-Z0-9]+)*$`)

// valueTerm converts a value object (JSON-LD 1.1 §8.5 "Object to RDF
// Conversion").
func valueTerm(m map[string]any, v any) (rdfc.Term, error) {
	datatype, _ := m["@type"].(string)
	if datatype == "@json" {
		raw, err := json.Marshal(v)
		if err != nil {
			return rdfc.Term{}, fmt.Errorf("a JSON literal: %w", err)
		}
		canon, err := jcs.Transform(raw)
		if err != nil {
			return rdfc.Term{}, fmt.Errorf("a JSON literal: %w", err)
		}
		return rdfc.Term{Kind: rdfc.Literal, Value: string(canon), Datatype: rdfJSON}, nil
	}
	if dir, ok := m["@direction"]; ok {
		return directionTerm(m, v, dir)
	}
	if datatype != "" {
		if err := checkIRI(datatype, "@type of a value"); err != nil {
			return rdfc.Term{}, err
		}
	}
	if s, isString := v.(string); isString {
		if lang, ok := m["@language"].(string); ok {
			if !validLanguage.MatchString(lang) {
				return rdfc.Term{}, safeModeErr(lang, "not a valid language tag")
			}
			return rdfc.Term{Kind: rdfc.Literal, Value: s, Language: lang, Datatype: rdfLangString}, nil
		}
	}
	return literalTerm(v, datatype)
}

// literalTerm converts a JSON value without a language to a literal: of
// the datatype if not empty, else of the JSON type's default.
func literalTerm(v any, datatype string) (rdfc.Term, error) {
	switch x := v.(type) {
	case bool:
		return plainLiteral(strconv.FormatBool(x), datatype, xsdBoolean), nil
	case json.Number:
		return numberText(string(x), datatype)
	case float64:
		return numberTerm(x, datatype)
	case string:
		return plainLiteral(x, datatype, xsdString), nil
	default:
		return rdfc.Term{}, safeModeErr("", "a value of type %T cannot be converted to RDF", v)
	}
}

// plainLiteral is the literal lex of datatype, or def if datatype is "";
// xsd:string is written as no datatype, the form rdfc.Canonicalize
// normalizes to (so that it need not copy the quads).
func plainLiteral(lex, datatype, def string) rdfc.Term {
	if datatype == "" {
		datatype = def
	}
	if datatype == xsdString {
		datatype = ""
	}
	return rdfc.Term{Kind: rdfc.Literal, Value: lex, Datatype: datatype}
}

// numberText converts the JSON number whose text is lex (see numberTerm).
func numberText(lex, datatype string) (rdfc.Term, error) {
	f, err := strconv.ParseFloat(lex, 64)
	if err != nil || math.IsInf(f, 0) {
		return rdfc.Term{}, fmt.Errorf("the number %s is not a finite double", lex)
	}
	return numberTerm(f, datatype)
}

// numberTerm converts a JSON number: an integer (no fractional part and
// less than 10^21 in magnitude) to xsd:integer, anything else, or any number
// typed xsd:double, to the canonical xsd:double form.
func numberTerm(f float64, datatype string) (rdfc.Term, error) {
	if datatype == xsdDouble || f != math.Trunc(f) || math.Abs(f) >= 1e21 {
		if datatype == "" {
			datatype = xsdDouble
		}
		return rdfc.Term{Kind: rdfc.Literal, Value: canonicalDouble(f), Datatype: datatype}, nil
	}
	if datatype == "" {
		datatype = xsdInteger
	}
	lex := "0"
	if f != 0 {
		lex = strconv.FormatFloat(f, 'f', 0, 64)
	}
	return rdfc.Term{Kind: rdfc.Literal, Value: lex, Datatype: datatype}, nil
}

// canonicalDouble writes f as JSON-LD does: 16 significant digits in
// exponent form, then trailing zeros of the mantissa removed (keeping one
// digit after the point), and the exponent without "+" or leading zeros:
// 5.3 → "5.3E0", 1e21 → "1.0E21", -1.5e-7 → "-1.5E-7".
func canonicalDouble(f float64) string {
	s := strconv.FormatFloat(f, 'E', 15, 64)
	mant, exp, _ := strings.Cut(s, "E")
	mant = strings.TrimRight(mant, "0")
	if strings.HasSuffix(mant, ".") {
		mant += "0"
	}
	neg := strings.HasPrefix(exp, "-")
	exp = strings.TrimLeft(exp, "+-")
	exp = strings.TrimLeft(exp, "0")
	if exp == "" {
		exp = "0"
	}
	if neg {
		exp = "-" + exp
	}
	return mant + "E" + exp
}

// ValidIRI reports whether s is an absolute IRI that the conversion to RDF
// accepts (see checkIRI).
func ValidIRI(s string) bool { return checkIRI(s, "") == nil }

// checkIRI returns a safe mode error unless s is an absolute IRI: a scheme
// (a letter, then letters, digits, "+", "-" or "."), a colon, and no
// character that RFC 3987 forbids anywhere in an IRI (controls, space,
// <>"{}|\^`). A relative reference is what a term no context defines, or a
// relative @id or @type, turns into.
func checkIRI(s, role string) error {
	if colon := strings.IndexByte(s, ':'); colon <= 0 || !validScheme(s[:colon]) {
		return safeModeErr(s, "%s is not an absolute IRI (a relative reference, or a term no context defines)", role)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < utf8.RuneSelf {
			if iriForbidden[c] {
				return safeModeErr(s, "%s is not a valid IRI: it contains %q", role, rune(c))
			}
			continue
		}
		// U+FFFD, what invalid UTF-8 decodes to, is refused too.
		if r, size := utf8.DecodeRuneInString(s[i:]); r == utf8.RuneError {
			return safeModeErr(s, "%s is not a valid IRI: it contains %q", role, r)
		} else {
			i += size - 1
		}
	}
	return nil
}

// iriForbidden marks the ASCII characters RFC 3987 allows nowhere in an
// IRI: controls, space, DEL and <>"{}|\^`.
var iriForbidden = func() (t [utf8.RuneSelf]bool) {
	for c := 0; c <= 0x20; c++ {
		t[c] = true
	}
	t[0x7f] = true
	for _, c := range "<>\"{}|\\^`" {
		t[c] = true
	}
	return t
}()

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// deepCopy copies maps and slices of a decoded JSON value. Numbers inside
// an @context become float64, the form json-gold's context processing
// compares with ("@version": 1.1); elsewhere they stay json.Number, so that
// their text is what is converted to RDF.
func deepCopy(v map[string]any) map[string]any {
	m, _ := copyJSON(v, false).(map[string]any)
	return m
}

// copyJSON copies v as deepCopy does; inContext says v is inside an
// @context already.
func copyJSON(v any, inContext bool) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = copyJSON(e, inContext || k == "@context")
		}
		return m
	case []any:
		s := make([]any, len(x))
		for i, e := range x {
			s[i] = copyJSON(e, inContext)
		}
		return s
	case json.Number:
		if inContext {
			if f, err := x.Float64(); err == nil {
				return f
			}
		}
	}
	return v
}

// contextValue returns the @context at n of t decoded as json-gold
// processes it: numbers as float64 (it compares "@version" with 1.1), as
// deepCopy gives the general path.
func contextValue(t *jsonobj.Tree, n int) any {
	return copyJSON(t.Value(n), true)
}
