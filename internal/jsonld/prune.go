package jsonld

import (
	"github.com/piprate/json-gold/ld"
)

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
