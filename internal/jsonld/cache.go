package jsonld

import (
	"slices"
	"strconv"
	"strings"

	"github.com/piprate/json-gold/ld"

	"github.com/go-openbadges/openbadges/internal/jsonobj"
)

// maxCachedContexts bounds the top-level contexts a Converter keeps.
const maxCachedContexts = 64

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

// contextValue returns the @context at n of t decoded as json-gold
// processes it: numbers as float64 (it compares "@version" with 1.1), as
// deepCopy gives the general path.
func contextValue(t *jsonobj.Tree, n int) any {
	return copyJSON(t.Value(n), true)
}
