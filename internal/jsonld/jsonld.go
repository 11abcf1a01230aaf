// Package jsonld converts JSON-LD documents to RDF in a real safe mode: a
// term no context defines, a relative @id or @type, an invalid IRI or
// anything else the conversion would silently drop is an error, not a
// statement missing from what is signed. It is shared by the proof suites
// and by anything that must refuse what they would refuse.
package jsonld

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	"github.com/piprate/json-gold/ld"

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
