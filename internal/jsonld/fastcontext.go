package jsonld

import (
	"strings"
	"sync"
	"sync/atomic"

	"github.com/piprate/json-gold/ld"

	"github.com/go-openbadges/openbadges/internal/jsonobj"
	"github.com/go-openbadges/openbadges/internal/rdfc"
)

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
