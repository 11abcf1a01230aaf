package jsonld

import (
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/piprate/json-gold/ld"

	"github.com/go-openbadges/openbadges/internal/rdfc"
)

// The fast path converts the documents that credentials are made of
// straight from JSON to RDF, without building json-gold's expanded form
// and node map: node objects with @id and @type, properties whose terms the
// contexts define (with @id, @vocab or datatype coercion, @set and @list
// containers, type- and property-scoped contexts) and plain JSON values.
// It follows json-gold's expansion step by step for what it covers, using
// the term definitions json-gold made from the contexts, so that the RDF it
// writes is the same set of quads (up to blank node labels, which RDFC-1.0
// replaces). For anything else it gives up, and the general path converts
// the document and reports its errors: a fast path never reports an error
// of its own. TestFastPathAgrees and FuzzFastPath compare the two.

// maxDerivedContexts bounds the scoped contexts a Converter keeps; past it,
// derived contexts are still made, but not kept.
const maxDerivedContexts = 1024

// A fastContext is an active context as the fast path reads it: json-gold's
// processed context, and the context that a type-scoped context reverts to.
type fastContext struct {
	ld *ld.Context
	// previous is the context before type-scoped contexts were applied
	// (json-gold's previousContext), nil if none were.
	previous *fastContext
	// ok is false if the context has something the fast path does not
	// handle: a @base, a default language or direction.
	ok bool

	conv    *Converter
	derived sync.Map // deriveKey to *fastContext
	props   sync.Map // property name to *propInfo
	nProps  atomic.Int64
	types   sync.Map // type name to its IRI, "" if it has none
	nTypes  atomic.Int64
}

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

func (c *Converter) newFastContext(active *ld.Context, previous *fastContext) *fastContext {
	v := active.Values
	return &fastContext{
		ld:       active,
		previous: previous,
		ok:       v != nil && v.Base == "" && !v.HasLanguage && v.Direction == "",
		conv:     c,
	}
}

// derive returns fc with the scoped context of td applied, as json-gold
// applies it, or nil if json-gold would fail or the fast path cannot tell.
func (fc *fastContext) derive(td *ld.TermDefinition, propagate bool) *fastContext {
	if td.Context == nil {
		// A null context resets everything: the general path does it.
		return nil
	}
	return fc.cached(deriveKey{td: td, propagate: propagate}, td.Context)
}

// embed returns fc with the embedded context local applied, as json-gold
// applies an object's @context.
func (fc *fastContext) embed(local any) *fastContext {
	key, err := contextKey(local)
	if err != nil {
		return nil
	}
	return fc.cached(deriveKey{propagate: true, embedded: key}, local)
}

// cached returns the derived context of key, made from local if not kept.
func (fc *fastContext) cached(key deriveKey, local any) *fastContext {
	if d, ok := fc.derived.Load(key); ok {
		return d.(*fastContext)
	}
	d := fc.makeDerived(local, key.propagate)
	if fc.conv.derivedCount.Load() < maxDerivedContexts {
		// One context per key, so that what is kept on it is kept once.
		// A nil one (json-gold refused the context) is kept too, so that
		// it is not tried again.
		kept, loaded := fc.derived.LoadOrStore(key, d)
		if loaded {
			return kept.(*fastContext)
		}
		fc.conv.derivedCount.Add(1)
	}
	return d
}

func (fc *fastContext) makeDerived(local any, propagate bool) (d *fastContext) {
	defer func() {
		if recover() != nil {
			d = nil
		}
	}()
	// @propagate in the context would change what reverts; a null context
	// resets everything. Neither occurs in the contexts credentials use;
	// the general path handles both.
	if local == nil || fc.conv.changesPropagation(local, 0) {
		return nil
	}
	// json-gold's own Parse processes with propagate true and without
	// overriding protected terms. The terms it defines do not depend on
	// propagate (only the previous context does, kept here); a
	// property-scoped context that redefines a protected term differently
	// (which json-gold allows) fails here and goes to the general path.
	active, err := fc.ld.Parse(local)
	if err != nil {
		return nil
	}
	previous := fc.previous
	if !propagate && previous == nil {
		previous = fc
	}
	return fc.conv.newFastContext(active, previous)
}

// maxContextDepth bounds how deeply changesPropagation follows contexts
// into the contexts they load.
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
	terms := fc.ld.TermDefinitions
	if vocab {
		if td, has := terms[v]; has {
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
		if td, has := terms[prefix]; has {
			if td == nil {
				return "", false
			}
			if td.ID != "" && td.Prefix != nil && *td.Prefix {
				return td.ID + suffix, true
			}
		}
		if u, err := url.Parse(v); err == nil && u.IsAbs() {
			return v, true
		}
	}
	if vocab && fc.ld.Values.Vocab != nil {
		return *fc.ld.Values.Vocab + v, true
	}
	// A relative reference: safe mode refuses it, in the general path.
	return "", false
}

// fastWriter converts one document.
type fastWriter struct {
	quads  []rdfc.Quad
	blanks int
	// discard, when true, checks the document without keeping its
	// quads.
	discard bool
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
	return rdfc.Term{Kind: rdfc.BlankNode, Value: "f" + itoa(n)}
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	return string(b[i:])
}

func (w *fastWriter) add(s, p, o, g rdfc.Term) {
	if w.discard {
		return
	}
	w.quads = append(w.quads, rdfc.Quad{Subject: s, Predicate: p, Object: o, Graph: g})
}

// fastToRDF converts doc on the fast path, appending to dst, or returns ok
// false.
func (c *Converter) fastToRDF(dst []rdfc.Quad, doc map[string]any) ([]rdfc.Quad, bool) {
	if dst == nil {
		dst = make([]rdfc.Quad, 0, 64)
	}
	w := &fastWriter{quads: dst}
	if !c.fastRun(w, doc) {
		return nil, false
	}
	return w.quads, true
}

// fastCheck is fastToRDF that keeps no quads: it reports whether the fast
// path takes doc, and so whether the conversion succeeds.
func (c *Converter) fastCheck(doc map[string]any) bool {
	return c.fastRun(&fastWriter{discard: true}, doc)
}

func (c *Converter) fastRun(w *fastWriter, doc map[string]any) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	local, has := doc["@context"]
	if !has {
		return false
	}
	fc, err := c.fastRoot(local)
	if err != nil || fc == nil {
		return false
	}
	_, ok = w.node(fc, "", doc, rdfc.Term{}, true)
	return ok
}

// node writes the node object m, the value of property key ("" at the
// top), into graph g and returns its subject.
func (w *fastWriter) node(fc *fastContext, key string, m map[string]any, g rdfc.Term, top bool) (rdfc.Term, bool) {
	if len(m) == 0 || len(m) > 1<<16 {
		return rdfc.Term{}, false
	}
	if !top {
		// json-gold's expandElement: a property-scoped context is applied
		// again, after the type-scoped context reverts unless the object
		// is only a reference.
		idOnly := false
		if len(m) == 1 {
			for k := range m {
				idOnly = fc.property(k).keyword == "@id"
			}
		}
		scoped := fc.ld.GetTermDefinition(key)
		if !idOnly {
			fc = fc.revert()
		}
		if scoped != nil && scoped.Context != nil {
			if fc = fc.derive(scoped, true); fc == nil {
				return rdfc.Term{}, false
			}
		}
		if local, has := m["@context"]; has {
			if fc = fc.embed(local); fc == nil {
				return rdfc.Term{}, false
			}
		}
	}
	if !fc.ok {
		return rdfc.Term{}, false
	}
	// The members but @context, to go through several times.
	var membersBuf [24]member
	members := membersBuf[:0]
	for k, v := range m {
		if k != "@context" {
			members = append(members, member{k, v})
		}
	}
	// The contexts the node's types scope, in lexicographical order of the
	// types, each applied to the result of the one before.
	typeScoped := fc
	typeKey := -1
	var typesBuf [4]string
	var types []string
	for i, mb := range members {
		// A member that does not expand (yet: the types may scope its
		// definition) is no @type.
		if fc.property(mb.k).keyword != "@type" {
			continue
		}
		if typeKey >= 0 {
			return rdfc.Term{}, false
		}
		typeKey = i
		switch x := mb.v.(type) {
		case string:
			types = append(typesBuf[:0], x)
		case []any:
			types = typesBuf[:0]
			for _, t := range x {
				s, isString := t.(string)
				if !isString {
					return rdfc.Term{}, false
				}
				types = append(types, s)
			}
			slices.Sort(types)
		default:
			return rdfc.Term{}, false
		}
	}
	for _, t := range types {
		if ttd := typeScoped.ld.GetTermDefinition(t); ttd != nil && ttd.HasContext {
			if fc = fc.derive(ttd, false); fc == nil || !fc.ok {
				return rdfc.Term{}, false
			}
		}
	}
	if typeKey >= 0 && fc.property(members[typeKey].k).keyword != "@type" {
		// The member must still name the types under the contexts they
		// scope.
		return rdfc.Term{}, false
	}

	// The subject: the node's @id, or a new blank node.
	var subject rdfc.Term
	idKey := -1
	for i, mb := range members {
		if i == typeKey || fc.property(mb.k).keyword != "@id" {
			continue
		}
		s, isString := mb.v.(string)
		if idKey >= 0 || !isString {
			return rdfc.Term{}, false
		}
		idKey = i
		id, ok := fc.expandIRI(s, false)
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
	for _, t := range types {
		iri, ok := typeScoped.typeIRI(t)
		if !ok {
			return rdfc.Term{}, false
		}
		w.add(subject, rdfc.Term{Kind: rdfc.IRI, Value: rdfType}, rdfc.Term{Kind: rdfc.IRI, Value: iri}, g)
	}

	for i, mb := range members {
		if i == typeKey || i == idKey {
			continue
		}
		if mb.k == "" {
			// json-gold drops it (and panics on some values of it).
			return rdfc.Term{}, false
		}
		if !w.property(fc.property(mb.k), subject, mb.k, mb.v, g) {
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

// A member is a member of a node object.
type member struct {
	k string
	v any
}

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
	td := fc.ld.GetTermDefinition(k)
	if td != nil {
		if td.Reverse || td.Nest != "" || td.Type == "@json" || td.HasLanguage || td.HasDirection || td.Index != "" {
			return no
		}
		if td.HasContext {
			if p.termCtx = fc.derive(td, true); p.termCtx == nil || !p.termCtx.ok {
				return no
			}
			// The value is read with the scoped context's own
			// definition of k.
			if td = p.termCtx.ld.GetTermDefinition(k); td != nil && (td.Reverse || td.Type == "@json" || td.HasLanguage || td.HasDirection) {
				return no
			}
		}
		for _, c := range td.Container {
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
		if td.Type != "" && td.Type != "@id" && td.Type != "@vocab" && td.Type != "@none" && checkIRI(td.Type, "") != nil {
			return no
		}
	}
	p.td = td
	return p
}

// property writes the values v of property k of subject, as json-gold's
// expandObject (step 7.5 on) and the node map would.
func (w *fastWriter) property(p *propInfo, subject rdfc.Term, k string, v any, g rdfc.Term) bool {
	if !p.ok {
		return false
	}
	termCtx, td, isList, isGraph, predicate := p.termCtx, p.td, p.isList, p.isGraph, p.predicate
	items, isArray := v.([]any)
	if !isArray {
		items = []any{v}
	}
	if isList {
		if len(items) > maxListLength {
			return false
		}
		head := rdfc.Term{Kind: rdfc.IRI, Value: rdfNil}
		var prev rdfc.Term
		first := rdfc.Term{Kind: rdfc.IRI, Value: rdfFirst}
		rest := rdfc.Term{Kind: rdfc.IRI, Value: rdfRest}
		for i, item := range items {
			if _, nested := item.([]any); nested {
				return false
			}
			object, ok := w.value(termCtx, td, k, item, g)
			if !ok {
				return false
			}
			cell := w.blank()
			if i == 0 {
				head = cell
			} else {
				w.add(prev, rest, cell, g)
			}
			w.add(cell, first, object, g)
			prev = cell
		}
		if len(items) > 0 {
			w.add(prev, rest, rdfc.Term{Kind: rdfc.IRI, Value: rdfNil}, g)
		}
		w.add(subject, predicate, head, g)
		return true
	}
	for _, item := range items {
		if _, nested := item.([]any); nested {
			return false
		}
		if isGraph {
			// Each value is a graph of its own, named by a new blank
			// node, which is what the property refers to.
			if _, isNode := item.(map[string]any); !isNode {
				return false
			}
			graph := w.blank()
			if _, ok := w.value(termCtx, td, k, item, graph); !ok {
				return false
			}
			w.add(subject, predicate, graph, g)
			continue
		}
		object, ok := w.value(termCtx, td, k, item, g)
		if !ok {
			return false
		}
		w.add(subject, predicate, object, g)
	}
	return true
}

// value converts one value of property k: a node object (written, its
// subject returned) or a scalar.
func (w *fastWriter) value(fc *fastContext, td *ld.TermDefinition, k string, v any, g rdfc.Term) (rdfc.Term, bool) {
	switch x := v.(type) {
	case map[string]any:
		return w.node(fc, k, x, g, false)
	case string:
		if td != nil && (td.Type == "@id" || td.Type == "@vocab") {
			iri, ok := fc.expandIRI(x, td.Type == "@vocab")
			if !ok || checkIRI(iri, "") != nil {
				return rdfc.Term{}, false
			}
			return rdfc.Term{Kind: rdfc.IRI, Value: iri}, true
		}
	case nil:
		// Dropped by expansion, but refused by the general path in some
		// places (a null id): it decides.
		return rdfc.Term{}, false
	}
	datatype := ""
	if td != nil && td.Type != "" && td.Type != "@id" && td.Type != "@vocab" && td.Type != "@none" {
		datatype = td.Type // checked by makeProperty
	}
	t, err := literalTerm(v, datatype)
	return t, err == nil
}
