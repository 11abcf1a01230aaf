package jsonld

import (
	"fmt"
	"slices"
	"strings"

	"github.com/piprate/json-gold/ld"
)

// maxLocateNodes bounds the nodes locateUndefined visits.
const maxLocateNodes = 4096

// locateUndefined finds a member of doc whose name no context in scope
// defines, and returns its JSON pointer and name, or "" if it finds none.
// It follows the contexts as expansion does, closely enough to name the
// term in the messages of safe mode errors: the document's @context, an
// embedded @context, the contexts a type scopes (for that node only), and
// the contexts a property scopes (for its value). It runs only after
// expansion has already failed, to explain the failure.
//
// It reads the contexts as the fast path does (see fastContext), so that
// a scoped context costs what it has, not what the whole active context
// has; where the fast path cannot apply a context, it gives up.
func (c *Converter) locateUndefined(doc map[string]any) (pointer, term string) {
	defer func() {
		if recover() != nil {
			pointer, term = "", ""
		}
	}()
	visited := 0
	var walk func(v any, base *fastContext, ptr string) (string, string)
	walk = func(v any, base *fastContext, ptr string) (string, string) {
		if visited++; visited > maxLocateNodes {
			return "", ""
		}
		switch x := v.(type) {
		case []any:
			for i, e := range x {
				if p, t := walk(e, base, fmt.Sprintf("%s/%d", ptr, i)); p != "" {
					return p, t
				}
			}
			return "", ""
		case map[string]any:
			active := base
			if local, ok := x["@context"]; ok || active == nil {
				var fc *fastContext
				if active == nil {
					// The top of the document.
					fc, _ = c.fastRoot(local)
				} else {
					fc = active.makeDerived(local, true, false)
				}
				if fc == nil {
					return "", ""
				}
				active, base = fc, fc
			}
			if _, isValue := x["@value"]; isValue {
				return "", ""
			}
			// Type-scoped contexts, in lexicographic order of the types.
			var types []string
			for k, val := range x {
				if base.expandVocab(k) == "@type" {
					switch tv := val.(type) {
					case string:
						types = append(types, tv)
					case []any:
						for _, t := range tv {
							if s, ok := t.(string); ok {
								types = append(types, s)
							}
						}
					}
				}
			}
			slices.Sort(types)
			for _, t := range types {
				if td := base.termDef(t); td != nil && td.HasContext {
					if active = active.derive(td, false); active == nil {
						return "", ""
					}
				}
			}
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				if k == "@context" {
					continue
				}
				p := ptr + "/" + strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1")
				e := active.expandVocab(k)
				if e == "" || !ld.IsKeyword(e) && !strings.Contains(e, ":") {
					return p, k
				}
				if ld.IsKeyword(e) && e != "@graph" && e != "@included" && e != "@nest" && e != "@reverse" {
					continue
				}
				child := base
				if td := active.termDef(k); td != nil && td.HasContext {
					if child = base.derive(td, true); child == nil {
						return "", ""
					}
				}
				if p, t := walk(x[k], child, p); p != "" {
					return p, t
				}
			}
		}
		return "", ""
	}
	return walk(doc, nil, "")
}

// expandVocab is json-gold's Context.ExpandIri of v as a vocabulary term
// (relative false, vocab true), outside context processing.
func (fc *fastContext) expandVocab(v string) string {
	if ld.IsKeyword(v) {
		return v
	}
	if len(v) > 1 && v[0] == '@' && isAlpha(v[1:]) {
		return ""
	}
	if td, has := fc.term(v); has {
		if td == nil {
			return ""
		}
		return td.ID
	}
	if colon := strings.IndexByte(v, ':'); colon > 0 {
		prefix, suffix := v[:colon], v[colon+1:]
		if prefix == "_" || strings.HasPrefix(suffix, "//") {
			return v
		}
		// As json-gold, this panics on a prefix defined as null.
		if td, has := fc.term(prefix); has && td.ID != "" && td.Prefix != nil && *td.Prefix {
			return td.ID + suffix
		} else if ld.IsAbsoluteIri(v) {
			return v
		}
	}
	if fc.values.Vocab != nil {
		return *fc.values.Vocab + v
	}
	return v
}
