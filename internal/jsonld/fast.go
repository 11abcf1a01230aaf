package jsonld

import (
	"slices"
	"strconv"

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
