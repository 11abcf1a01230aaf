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
func locateUndefined(doc map[string]any, opts *ld.JsonLdOptions) (pointer, term string) {
	defer func() {
		if recover() != nil {
			pointer, term = "", ""
		}
	}()
	visited := 0
	var walk func(v any, base *ld.Context, ptr string) (string, string)
	walk = func(v any, base *ld.Context, ptr string) (string, string) {
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
			if local, ok := x["@context"]; ok {
				c, err := active.Parse(local)
				if err != nil {
					return "", ""
				}
				active, base = c, c
			}
			if _, isValue := x["@value"]; isValue {
				return "", ""
			}
			// Type-scoped contexts, in lexicographic order of the types.
			var types []string
			for k, val := range x {
				if e, err := base.ExpandIri(k, false, true, nil, nil); err == nil && e == "@type" {
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
				if td := base.GetTermDefinition(t); td != nil && td.HasContext {
					c, err := active.Parse(td.Context)
					if err != nil {
						return "", ""
					}
					active = c
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
				e, err := active.ExpandIri(k, false, true, nil, nil)
				if err != nil {
					return "", ""
				}
				if e == "" || !ld.IsKeyword(e) && !strings.Contains(e, ":") {
					return p, k
				}
				if ld.IsKeyword(e) && e != "@graph" && e != "@included" && e != "@nest" && e != "@reverse" {
					continue
				}
				child := base
				if td := active.GetTermDefinition(k); td != nil && td.HasContext {
					c, err := base.Parse(td.Context)
					if err != nil {
						return "", ""
					}
					child = c
				}
				if p, t := walk(x[k], child, p); p != "" {
					return p, t
				}
			}
		}
		return "", ""
	}
	return walk(doc, ld.NewContext(nil, opts), "")
}
