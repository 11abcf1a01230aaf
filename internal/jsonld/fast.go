package jsonld

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/piprate/json-gold/ld"

	"github.com/go-openbadges/openbadges/internal/jsonobj"
	"github.com/go-openbadges/openbadges/internal/rdfc"
)

// The fast path converts the documents that credentials are made of
// straight from JSON (a jsonobj.Tree) to RDF, without building json-gold's
// expanded form and node map: node objects with @id and @type, properties
// whose terms the contexts define (with @id, @vocab or datatype coercion,
// @set, @list and @graph containers, type- and property-scoped and
// embedded contexts) and plain JSON values.
// It follows json-gold's expansion step by step for what it covers, using
// the term definitions json-gold made from the contexts, so that the RDF it
// writes is the same set of quads (up to blank node labels, which RDFC-1.0
// replaces). For anything else it gives up, and the general path converts
// the document and reports its errors: a fast path never reports an error
// of its own. TestFastPathAgrees and FuzzFastPath compare the two.

// maxDerivedContexts bounds the scoped contexts a Converter keeps; past it,
// derived contexts are still made, but not kept.
const maxDerivedContexts = 1024

// A fastContext is an active context as the fast path reads it: the term
// definitions json-gold made from the contexts, and the context that a
// type-scoped context reverts to.
//
// The term definitions of a root context (a document's top-level
// @context) are json-gold's own map, shared by every context derived
// from it and never changed. A derived context (a scoped or embedded
// context applied) holds only the definitions it changes, made by
// json-gold from a context holding only the definitions the scoped
// context can refer to (see makeDerived): deriving costs what the scoped
// context has, not what the whole active context has, which an inline
// context in the document can make as large as it likes.
type fastContext struct {
	// ld is json-gold's processed context, what the general path expands
	// with (see prunedRoot), and local the @context it was processed
	// from; only a root has them.
	ld    *ld.Context
	local any
	// part is what rootPart returns, made once.
	partOnce sync.Once
	part     map[string]*ld.TermDefinition
	// base holds the root's term definitions; terms, if not nil, those
	// that a derived context defines over them (deletedTerm where it
	// removes one).
	base, terms map[string]*ld.TermDefinition
	values      *ld.Values
	// previous is the context before type-scoped contexts were applied
	// (json-gold's previousContext), nil if none were.
	previous *fastContext
	// ok is false if the context has something the fast path does not
	// handle: a @base, a default language or direction.
	ok bool
	// kept is true for a context the Converter keeps (a cached root, or
	// one derived from a kept context and kept on it): what is derived
	// from it counts toward maxDerivedContexts. What is derived from a
	// context that is not kept lives as long as the document's conversion
	// and is not counted.
	kept bool

	conv    *Converter
	derived sync.Map // deriveKey to *fastContext
	props   sync.Map // property name to *propInfo
	nProps  atomic.Int64
	types   sync.Map // type name to its IRI, "" if it has none
	nTypes  atomic.Int64
}

// deletedTerm marks, in a derived context's terms, a term that the scoped
// context removed (json-gold deletes a definition that names an ignored
// keyword-like IRI).
var deletedTerm = new(ld.TermDefinition)

// A deriveKey names a scoped context applied to a fastContext: the term
// definition that holds it, and whether it propagates (property-scoped) or
// not (type-scoped).
type deriveKey struct {
	td        *ld.TermDefinition
	propagate bool
	// embedded is the contextKey of an embedded @context, applied
	// instead of a scoped one.
	embedded string
}

// newRoot returns the fast context of json-gold's processed context
// active.
func (c *Converter) newRoot(active *ld.Context, kept bool) *fastContext {
	return c.newFastContext(active.TermDefinitions, nil, active.Values, nil, kept)
}

func (c *Converter) newFastContext(base, terms map[string]*ld.TermDefinition, v *ld.Values, previous *fastContext, kept bool) *fastContext {
	return &fastContext{
		base:     base,
		terms:    terms,
		values:   v,
		previous: previous,
		ok:       v != nil && v.Base == "" && !v.HasLanguage && v.Direction == "",
		kept:     kept,
		conv:     c,
	}
}

// term returns the definition of the term k, and whether it has one (which
// may be nil: a term defined as null), as json-gold's TermDefinitions map.
func (fc *fastContext) term(k string) (*ld.TermDefinition, bool) {
	if td, ok := fc.terms[k]; ok {
		if td == deletedTerm {
			return nil, false
		}
		return td, true
	}
	td, ok := fc.base[k]
	return td, ok
}

// termDef is json-gold's GetTermDefinition.
func (fc *fastContext) termDef(k string) *ld.TermDefinition {
	td, _ := fc.term(k)
	return td
}

// derive returns fc with the scoped context of td applied, as json-gold
// applies it, or nil if json-gold would fail or the fast path cannot tell.
func (fc *fastContext) derive(td *ld.TermDefinition, propagate bool) *fastContext {
	return fc.cached(deriveKey{td: td, propagate: propagate}, func() any { return td.Context })
}

// embed returns fc with the @context at n of t applied, as json-gold
// applies an object's embedded context. One with a large inline part is
// applied for this object only, never kept.
func (fc *fastContext) embed(t *jsonobj.Tree, n int) *fastContext {
	decode := func() any { return contextValue(t, n) }
	key, keep := rootKey(t, n)
	if !keep {
		return fc.makeDerived(decode(), true, false)
	}
	return fc.cached(deriveKey{propagate: true, embedded: key}, decode)
}

// cached returns the derived context of key, made from the context decode
// gives if not kept.
func (fc *fastContext) cached(key deriveKey, decode func() any) *fastContext {
	if d, ok := fc.derived.Load(key); ok {
		return d.(*fastContext)
	}
	if !fc.kept {
		// Kept for the rest of this document only.
		d, _ := fc.derived.LoadOrStore(key, fc.makeDerived(decode(), key.propagate, false))
		return d.(*fastContext)
	}
	if fc.conv.derivedCount.Load() >= maxDerivedContexts {
		return fc.makeDerived(decode(), key.propagate, false)
	}
	// One context per key, so that what is kept on it is kept once.
	// A nil one (json-gold refused the context) is kept too, so that
	// it is not tried again.
	d := fc.makeDerived(decode(), key.propagate, true)
	kept, loaded := fc.derived.LoadOrStore(key, d)
	if !loaded {
		fc.conv.derivedCount.Add(1)
	}
	return kept.(*fastContext)
}

// makeDerived returns fc with the context local applied, as json-gold's
// Parse applies it to json-gold's context of fc, or nil if json-gold fails
// or the fast path does not follow local.
//
// Parse would copy every term definition of fc; instead it is given a
// context holding only the definitions that processing local can look up
// (see contextRefs), and the definitions it changes in that context are
// those it would change in the whole one.
func (fc *fastContext) makeDerived(local any, propagate, kept bool) (d *fastContext) {
	defer func() {
		if recover() != nil {
			d = nil
		}
	}()
	// @propagate in the context would change what reverts; a null context
	// resets everything; a @base changes the URLs json-gold loads. None
	// occurs in the contexts credentials use; the general path handles
	// them (contextRefs refuses them, and the fast path does not take a
	// node under a @base).
	if local == nil && propagate && fc.values.Base == "" {
		// A property-scoped null context, as VCDM's verifiableCredential
		// has: a new active context with no terms (JSON-LD 1.1 Context
		// Processing step 5.1), which nothing reverts. The value's own
		// @context then applies to it alone.
		return fc.conv.newFastContext(map[string]*ld.TermDefinition{}, nil, ld.NewContext(nil, fc.conv.options()).Values, nil, kept)
	}
	refs := map[string]struct{}{}
	if local == nil || fc.values.Base != "" || !fc.conv.contextRefs(local, refs, 0) {
		return nil
	}
	sparse := ld.NewContext(nil, fc.conv.options())
	*sparse.Values = *fc.values
	for name := range refs {
		if td, ok := fc.term(name); ok {
			sparse.TermDefinitions[name] = td
		}
	}
	// json-gold's own Parse processes with propagate true and without
	// overriding protected terms. The terms it defines do not depend on
	// propagate (only the previous context does, kept here); a
	// property-scoped context that redefines a protected term differently
	// (which json-gold allows) fails here and goes to the general path.
	active, err := sparse.Parse(local)
	if err != nil {
		return nil
	}
	terms := make(map[string]*ld.TermDefinition, len(fc.terms)+len(active.TermDefinitions))
	for name, td := range fc.terms {
		terms[name] = td
	}
	for name, td := range active.TermDefinitions {
		if old, had := sparse.TermDefinitions[name]; !had || old != td {
			terms[name] = td
		}
	}
	for name := range sparse.TermDefinitions {
		if _, still := active.TermDefinitions[name]; !still {
			terms[name] = deletedTerm
		}
	}
	previous := fc.previous
	if !propagate && previous == nil {
		previous = fc
	}
	return fc.conv.newFastContext(fc.base, terms, active.Values, previous, kept)
}

// contextRefs adds to refs every name that json-gold's processing of the
// context local can look up among the active context's term definitions:
// each string in local, name or value, and the part of each before its
// first colon (a prefix), and so for the contexts local names by URL,
// loaded as json-gold loads them (with no @base). This is more
// than processing looks up (the keys of a term definition, the strings of
// a scoped context within it), never less: json-gold reads a definition
// only by the name of a term being defined, or of an IRI, compact IRI or
// vocabulary value being expanded, or by their prefix.
//
// It reports false if local has what makeDerived does not follow, or
// cannot tell: a null (which resets the active context), @propagate (which
// changes what a type-scoped context reverts to), @import (whose merged
// result this does not read), @base (which changes what the URLs that
// follow resolve to), a context that does not load, or nesting deeper
// than maxContextDepth.
func (c *Converter) contextRefs(local any, refs map[string]struct{}, depth int) bool {
	if depth > maxContextDepth {
		return false
	}
	for _, e := range ld.Arrayify(local) {
		switch x := e.(type) {
		case map[string]any:
			// json-gold reads a context object's own @context in its
			// place.
			for m := x; m != nil; {
				_, propagate := m["@propagate"]
				_, imports := m["@import"]
				_, base := m["@base"]
				if propagate || imports || base {
					return false
				}
				nested, has := m["@context"]
				if m, _ = nested.(map[string]any); has && nested != nil && m == nil {
					return false
				}
			}
			addStrings(x, refs)
		case string:
			if c.Loader == nil {
				return false
			}
			rd, err := c.Loader.LoadDocument(x)
			if err != nil {
				return false
			}
			doc, _ := rd.Document.(map[string]any)
			inner, ok := doc["@context"]
			if !ok || !c.contextRefs(inner, refs, depth+1) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// addStrings adds every string in v to refs (see addString).
func addStrings(v any, refs map[string]struct{}) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			addString(k, refs)
			addStrings(e, refs)
		}
	case []any:
		for _, e := range x {
			addStrings(e, refs)
		}
	case string:
		addString(x, refs)
	}
}

// addString adds s, and the part of s before its first colon, to refs:
// json-gold looks a term definition up by the whole of a string, or by
// that prefix.
func addString(s string, refs map[string]struct{}) {
	refs[s] = struct{}{}
	if colon := strings.IndexByte(s, ':'); colon > 0 {
		refs[s[:colon]] = struct{}{}
	}
}

// maxContextDepth bounds how deeply changesPropagation, contextRefs and
// the general path's rootRefs and valueRefs follow contexts into the
// contexts they load.
const maxContextDepth = 8

// changesPropagation reports whether the context local, or a context it
// loads, has @propagate (which changes what a type-scoped context reverts
// to, and which the fast path does not follow) or @import (whose merged
// result the fast path does not read for @propagate), or whether it cannot
// tell.
func (c *Converter) changesPropagation(local any, depth int) bool {
	if depth > maxContextDepth {
		return true
	}
	switch x := local.(type) {
	case []any:
		for _, e := range x {
			if c.changesPropagation(e, depth+1) {
				return true
			}
		}
	case map[string]any:
		_, propagate := x["@propagate"]
		_, imports := x["@import"]
		return propagate || imports
	case string:
		if c.Loader == nil {
			return true
		}
		rd, err := c.Loader.LoadDocument(x)
		if err != nil {
			return true
		}
		doc, _ := rd.Document.(map[string]any)
		inner, ok := doc["@context"]
		return !ok || c.changesPropagation(inner, depth+1)
	}
	return false
}

// revert is json-gold's RevertToPreviousContext.
func (fc *fastContext) revert() *fastContext {
	if fc.previous != nil {
		return fc.previous
	}
	return fc
}

// isKeyword reports whether s is a JSON-LD keyword json-gold knows.
func isKeyword(s string) bool { return len(s) > 1 && s[0] == '@' && ld.IsKeyword(s) }

// expandIRI is json-gold's Context.ExpandIri outside context processing,
// with an empty base IRI. ok is false where json-gold would do something
// the fast path does not follow (a term defined as null, say).
func (fc *fastContext) expandIRI(v string, vocab bool) (iri string, ok bool) {
	if isKeyword(v) {
		return v, true
	}
	if len(v) > 1 && v[0] == '@' && isAlpha(v[1:]) {
		return "", false
	}
	if vocab {
		if td, has := fc.term(v); has {
			if td == nil || td.ID == "" {
				return "", false
			}
			return td.ID, true
		}
	}
	if colon := strings.IndexByte(v, ':'); colon > 0 {
		prefix, suffix := v[:colon], v[colon+1:]
		if prefix == "_" {
			// A blank node identifier of the document's: the general
			// path relabels them.
			return "", false
		}
		if strings.HasPrefix(suffix, "//") {
			return v, true
		}
		if td, has := fc.term(prefix); has {
			if td == nil {
				return "", false
			}
			if td.ID != "" && td.Prefix != nil && *td.Prefix {
				return td.ID + suffix, true
			}
		}
		if absoluteIRI(v) {
			return v, true
		}
	}
	if vocab && fc.values.Vocab != nil {
		return *fc.values.Vocab + v, true
	}
	// A relative reference: safe mode refuses it, in the general path.
	return "", false
}

// absoluteIRI is json-gold's IsAbsoluteIri: url.Parse succeeds and finds
// a scheme. The common case (a scheme, then an opaque part: urn:uuid:…,
// did:key:…) is decided without url.Parse, as url.Parse decides it: it
// accepts any opaque part without control characters, and checks escapes
// only in the fragment, so one without '%' needs no parsing.
func absoluteIRI(v string) bool {
	if colon := strings.IndexByte(v, ':'); colon > 0 && validScheme(v[:colon]) && !strings.HasPrefix(v[colon+1:], "/") {
		simple := true
		for i := 0; i < len(v) && simple; i++ {
			c := v[i]
			simple = c >= 0x20 && c != 0x7f && c != '%'
		}
		if simple {
			return true
		}
	}
	u, err := url.Parse(v)
	return err == nil && u.IsAbs()
}

// validScheme reports whether s is a URL scheme as url.Parse reads one, and
// RFC 3987 defines one: a letter, then letters, digits, '+', '-' or '.'.
func validScheme(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !letter && (i == 0 || !(c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	return s != ""
}

// fastWriter converts one document.
type fastWriter struct {
	t *jsonobj.Tree
	// skip is a member of the top-level object that is not converted.
	skip   string
	quads  []rdfc.Quad
	blanks int
	// discard, when true, checks the document without keeping its
	// quads.
	discard bool
	// root is the document's top-level context, once processed: what
	// the general path reuses if the fast path gives up.
	root *fastContext
}

// blank returns a new blank node. Its label differs from every label the
// general path could give, which does not matter: the fast path never
// mixes its labels with the document's (it gives up on those).
func (w *fastWriter) blank() rdfc.Term {
	if w.discard {
		return rdfc.Term{Kind: rdfc.BlankNode}
	}
	n := w.blanks
	w.blanks++
	if n < len(blankLabels) {
		return rdfc.Term{Kind: rdfc.BlankNode, Value: blankLabels[n]}
	}
	return rdfc.Term{Kind: rdfc.BlankNode, Value: "f" + strconv.Itoa(n)}
}

// blankLabels are the first labels blank gives, made once.
var blankLabels = func() (l [128]string) {
	for i := range l {
		l[i] = "f" + strconv.Itoa(i)
	}
	return l
}()

func (w *fastWriter) add(s, p, o, g rdfc.Term) {
	if w.discard {
		return
	}
	w.quads = append(w.quads, rdfc.Quad{Subject: s, Predicate: p, Object: o, Graph: g})
}

// fastToRDF converts doc on the fast path, appending to dst, or returns ok
// false.
func (c *Converter) fastToRDF(dst []rdfc.Quad, doc map[string]any) ([]rdfc.Quad, bool) {
	var t jsonobj.Tree
	if t.SetValue(doc) != nil {
		return nil, false
	}
	return c.fastTree(dst, &t, 0, "")
}

// fastTree converts the object at n of t, without its member skip (if not
// ""), on the fast path, appending to dst, or returns ok false.
func (c *Converter) fastTree(dst []rdfc.Quad, t *jsonobj.Tree, n int, skip string) ([]rdfc.Quad, bool) {
	if dst == nil {
		dst = make([]rdfc.Quad, 0, 64)
	}
	w := &fastWriter{quads: dst, t: t, skip: skip}
	if !c.fastRun(w, n) {
		return nil, false
	}
	return w.quads, true
}

// fastCheck is fastTree that keeps no quads: it reports whether the fast
// path takes the object, and so whether the conversion succeeds.
func (c *Converter) fastCheck(t *jsonobj.Tree, n int, skip string) bool {
	return c.fastRun(&fastWriter{discard: true, t: t, skip: skip}, n)
}

func (c *Converter) fastRun(w *fastWriter, n int) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	t := w.t
	if n >= len(t.Nodes) || t.Nodes[n].Kind != jsonobj.Object {
		return false
	}
	ctxNode := t.Child(n, "@context")
	if ctxNode < 0 {
		return false
	}
	fc, err := c.fastRootTree(t, ctxNode)
	if err != nil || fc == nil {
		return false
	}
	w.root = fc
	_, ok = w.node(fc, "", n, rdfc.Term{}, true)
	return ok
}

// node writes the node object at n, the value of property key ("" at the
// top), into graph g and returns its subject.
func (w *fastWriter) node(fc *fastContext, key string, n int, g rdfc.Term, top bool) (rdfc.Term, bool) {
	t := w.t
	end := int(t.Nodes[n].End)
	// The members but @context (and, at the top, the member skipped), to
	// go through several times.
	var membersBuf [24]int32
	members := membersBuf[:0]
	ctxNode := -1
	for c := n + 1; c < end; c = int(t.Nodes[c].End) {
		switch k := t.Nodes[c].Key; {
		case k == "@context":
			ctxNode = c
		case top && w.skip != "" && k == w.skip:
		default:
			members = append(members, int32(c))
		}
	}
	if len(members) > 1<<16 || len(members) == 0 && ctxNode < 0 {
		return rdfc.Term{}, false
	}
	if !top {
		// json-gold's expandElement: a property-scoped context is applied
		// again, after the type-scoped context reverts unless the object
		// is only a reference.
		idOnly := len(members) == 1 && ctxNode < 0 && fc.property(t.Nodes[members[0]].Key).keyword == "@id"
		scoped := fc.termDef(key)
		if !idOnly {
			fc = fc.revert()
		}
		if scoped != nil && scoped.Context != nil {
			if fc = fc.derive(scoped, true); fc == nil {
				return rdfc.Term{}, false
			}
		}
		if ctxNode >= 0 {
			if fc = fc.embed(t, ctxNode); fc == nil {
				return rdfc.Term{}, false
			}
		}
	}
	if !fc.ok {
		return rdfc.Term{}, false
	}
	// The contexts the node's types scope, in lexicographical order of the
	// types, each applied to the result of the one before.
	typeScoped := fc
	typeKey := -1
	var typesBuf [4]string
	var types []string
	for i, c := range members {
		// A member that does not expand (yet: the types may scope its
		// definition) is no @type.
		if fc.property(t.Nodes[c].Key).keyword != "@type" {
			continue
		}
		if typeKey >= 0 {
			return rdfc.Term{}, false
		}
		typeKey = i
		switch nd := &t.Nodes[c]; nd.Kind {
		case jsonobj.String:
			types = append(typesBuf[:0], nd.Str)
		case jsonobj.Array:
			types = typesBuf[:0]
			for e := int(c) + 1; e < int(nd.End); e = int(t.Nodes[e].End) {
				if t.Nodes[e].Kind != jsonobj.String {
					return rdfc.Term{}, false
				}
				types = append(types, t.Nodes[e].Str)
			}
			slices.Sort(types)
		default:
			return rdfc.Term{}, false
		}
	}
	for _, ty := range types {
		if ttd := typeScoped.termDef(ty); ttd != nil && ttd.HasContext {
			if fc = fc.derive(ttd, false); fc == nil || !fc.ok {
				return rdfc.Term{}, false
			}
		}
	}
	if typeKey >= 0 && fc.property(t.Nodes[members[typeKey]].Key).keyword != "@type" {
		// The member must still name the types under the contexts they
		// scope.
		return rdfc.Term{}, false
	}

	// The subject: the node's @id, or a new blank node.
	var subject rdfc.Term
	idKey := -1
	for i, c := range members {
		nd := &t.Nodes[c]
		if i == typeKey || fc.property(nd.Key).keyword != "@id" {
			continue
		}
		if idKey >= 0 || nd.Kind != jsonobj.String {
			return rdfc.Term{}, false
		}
		idKey = i
		id, ok := fc.expandIRI(nd.Str, false)
		if !ok || checkIRI(id, "") != nil {
			return rdfc.Term{}, false
		}
		subject = rdfc.Term{Kind: rdfc.IRI, Value: id}
	}
	if idKey < 0 {
		subject = w.blank()
	} else if top && len(members) == 1 {
		return rdfc.Term{}, false
	}
	if top && len(members) == 0 {
		return rdfc.Term{}, false
	}
	for _, ty := range types {
		iri, ok := typeScoped.typeIRI(ty)
		if !ok {
			return rdfc.Term{}, false
		}
		w.add(subject, rdfc.Term{Kind: rdfc.IRI, Value: rdfType}, rdfc.Term{Kind: rdfc.IRI, Value: iri}, g)
	}

	for i, c := range members {
		if i == typeKey || i == idKey {
			continue
		}
		k := t.Nodes[c].Key
		if k == "" {
			// json-gold drops it (and panics on some values of it).
			return rdfc.Term{}, false
		}
		if !w.property(fc.property(k), subject, k, int(c), g) {
			return rdfc.Term{}, false
		}
	}
	return subject, true
}

// A propInfo is what a property's name means in a context: its IRI, the
// term definition its values are read with and the context they are read
// in, and its container. ok is false if the fast path does not take it.
type propInfo struct {
	// keyword is the keyword the name is an alias of ("@id", "@type",
	// ...), if it is one; ok is then false.
	keyword         string
	ok              bool
	predicate       rdfc.Term
	td              *ld.TermDefinition
	termCtx         *fastContext
	isList, isGraph bool
}

// maxPropInfos bounds the property names a context keeps what it knows
// of; past it, they are worked out every time.
const maxPropInfos = 1024

// typeIRI returns the IRI of the type t in fc, worked out once: it must
// expand to an absolute IRI.
func (fc *fastContext) typeIRI(t string) (string, bool) {
	if iri, ok := fc.types.Load(t); ok {
		s := iri.(string)
		return s, s != ""
	}
	iri, ok := fc.expandIRI(t, true)
	if !ok || checkIRI(iri, "") != nil {
		iri = ""
	}
	if fc.nTypes.Load() < maxPropInfos {
		if _, loaded := fc.types.LoadOrStore(t, iri); !loaded {
			fc.nTypes.Add(1)
		}
	}
	return iri, iri != ""
}

// property returns what the property k means in fc, worked out once.
func (fc *fastContext) property(k string) *propInfo {
	if p, ok := fc.props.Load(k); ok {
		return p.(*propInfo)
	}
	p := fc.makeProperty(k)
	if fc.nProps.Load() < maxPropInfos {
		if _, loaded := fc.props.LoadOrStore(k, p); !loaded {
			fc.nProps.Add(1)
		}
	}
	return p
}

// makeProperty follows json-gold's expandObject (step 7.2 on) for the
// property k: its expansion must be an absolute IRI, its term definition
// one the fast path takes, and a property-scoped context is applied.
func (fc *fastContext) makeProperty(k string) *propInfo {
	no := &propInfo{}
	iri, ok := fc.expandIRI(k, true)
	if ok && isKeyword(iri) {
		return &propInfo{keyword: iri}
	}
	if !ok || iri == "" || strings.HasPrefix(iri, blankPrefix) || checkIRI(iri, "") != nil {
		return no
	}
	p := &propInfo{ok: true, predicate: rdfc.Term{Kind: rdfc.IRI, Value: iri}, termCtx: fc}
	td := fc.termDef(k)
	if td != nil {
		if td.Reverse || td.Nest != "" || td.Type == "@json" || td.HasLanguage || td.HasDirection || td.Index != "" {
			return no
		}
		// The container is the one the term has where it is used
		// (expansion step 13.5), even when its scoped context redefines
		// the term or clears every definition ("@context": null, as
		// VCDM's verifiableCredential does).
		container := td.Container
		if td.HasContext {
			if p.termCtx = fc.derive(td, true); p.termCtx == nil || !p.termCtx.ok {
				return no
			}
			// A scalar value is read with the scoped context's own
			// definition of k, if it has one.
			if td = p.termCtx.termDef(k); td != nil && (td.Reverse || td.Type == "@json" || td.HasLanguage || td.HasDirection) {
				return no
			}
		}
		for _, c := range container {
			switch c {
			case "@set":
			case "@list":
				p.isList = true
			case "@graph":
				p.isGraph = true
			default:
				return no
			}
		}
		if p.isList && p.isGraph {
			return no
		}
		if td != nil && td.Type != "" && td.Type != "@id" && td.Type != "@vocab" && td.Type != "@none" && checkIRI(td.Type, "") != nil {
			return no
		}
	}
	p.td = td
	return p
}

// property writes the values of property k of subject, the node at n, as
// json-gold's expandObject (step 7.5 on) and the node map would.
func (w *fastWriter) property(p *propInfo, subject rdfc.Term, k string, n int, g rdfc.Term) bool {
	if !p.ok {
		return false
	}
	termCtx, td, isList, isGraph, predicate := p.termCtx, p.td, p.isList, p.isGraph, p.predicate
	t := w.t
	// The items: the elements of an array, or the value itself.
	first, end := n, int(t.Nodes[n].End)
	if t.Nodes[n].Kind == jsonobj.Array {
		first = n + 1
	}
	next := func(c int) int {
		if c == n {
			return end
		}
		return int(t.Nodes[c].End)
	}
	if isList {
		head := rdfc.Term{Kind: rdfc.IRI, Value: rdfNil}
		var prev rdfc.Term
		firstTerm := rdfc.Term{Kind: rdfc.IRI, Value: rdfFirst}
		rest := rdfc.Term{Kind: rdfc.IRI, Value: rdfRest}
		count := 0
		for c := first; c < end; c = next(c) {
			if count++; count > maxListLength || t.Nodes[c].Kind == jsonobj.Array {
				return false
			}
			object, ok := w.value(termCtx, td, k, c, g)
			if !ok {
				return false
			}
			cell := w.blank()
			if count == 1 {
				head = cell
			} else {
				w.add(prev, rest, cell, g)
			}
			w.add(cell, firstTerm, object, g)
			prev = cell
		}
		if count > 0 {
			w.add(prev, rest, rdfc.Term{Kind: rdfc.IRI, Value: rdfNil}, g)
		}
		w.add(subject, predicate, head, g)
		return true
	}
	for c := first; c < end; c = next(c) {
		switch t.Nodes[c].Kind {
		case jsonobj.Array:
			return false
		case jsonobj.Object:
		default:
			if isGraph {
				return false
			}
		}
		if isGraph {
			// Each value is a graph of its own, named by a new blank
			// node, which is what the property refers to.
			graph := w.blank()
			if _, ok := w.value(termCtx, td, k, c, graph); !ok {
				return false
			}
			w.add(subject, predicate, graph, g)
			continue
		}
		object, ok := w.value(termCtx, td, k, c, g)
		if !ok {
			return false
		}
		w.add(subject, predicate, object, g)
	}
	return true
}

// value converts the value at n of property k: a node object (written,
// its subject returned) or a scalar.
func (w *fastWriter) value(fc *fastContext, td *ld.TermDefinition, k string, n int, g rdfc.Term) (rdfc.Term, bool) {
	nd := &w.t.Nodes[n]
	if nd.Kind == jsonobj.Object {
		return w.node(fc, k, n, g, false)
	}
	if nd.Kind == jsonobj.String && td != nil && (td.Type == "@id" || td.Type == "@vocab") {
		iri, ok := fc.expandIRI(nd.Str, td.Type == "@vocab")
		if !ok || checkIRI(iri, "") != nil {
			return rdfc.Term{}, false
		}
		return rdfc.Term{Kind: rdfc.IRI, Value: iri}, true
	}
	datatype := ""
	if td != nil && td.Type != "" && td.Type != "@id" && td.Type != "@vocab" && td.Type != "@none" {
		datatype = td.Type // checked by makeProperty
	}
	// As literalTerm converts the decoded value.
	switch nd.Kind {
	case jsonobj.String:
		return plainLiteral(nd.Str, datatype, xsdString), true
	case jsonobj.Number:
		term, err := numberText(nd.Str, datatype)
		return term, err == nil
	case jsonobj.True:
		return plainLiteral("true", datatype, xsdBoolean), true
	case jsonobj.False:
		return plainLiteral("false", datatype, xsdBoolean), true
	}
	// A null is dropped by expansion, but refused by the general path in
	// some places (a null id): it decides. An array in an array has no
	// RDF form here.
	return rdfc.Term{}, false
}
