package jsonld

import (
	"encoding/json"
	"strconv"

	"github.com/go-openbadges/openbadges/internal/jsonobj"
	"github.com/go-openbadges/openbadges/schema"
)

// Inline contexts, those a document writes as JSON objects rather than
// naming by URL, are the one part of JSON-LD processing whose cost the
// document's author chooses freely: json-gold processes every term
// definition, and copies the whole active context for every typed object
// it expands. They are bounded by the limits of the Converter's Loader
// (schema.LoaderOptions.MaxInlineContextBytes and MaxInlineContextTerms),
// checked in one pass over the document before anything is processed.

// An inlineLimiter is a Loader that sets the limits on inline contexts
// (*schema.Loader is one).
type inlineLimiter interface {
	InlineContextLimits() (maxBytes, maxTerms int)
}

// inlineLimits returns the limits on a document's inline contexts: its
// Loader's, or the defaults; -1 means none.
func (c *Converter) inlineLimits() (maxBytes, maxTerms int) {
	if l, ok := c.Loader.(inlineLimiter); ok {
		return l.InlineContextLimits()
	}
	return schema.DefaultMaxInlineContextBytes, schema.DefaultMaxInlineContextTerms
}

// inlineUsage is what a document's inline contexts add up to.
type inlineUsage struct {
	bytes, terms int
}

// within returns an *schema.InlineContextError if u is over a limit.
func (u inlineUsage) within(maxBytes, maxTerms int) error {
	if maxBytes >= 0 && u.bytes > maxBytes {
		return &schema.InlineContextError{Limit: "MaxInlineContextBytes", Max: maxBytes, Size: u.bytes}
	}
	if maxTerms >= 0 && u.terms > maxTerms {
		return &schema.InlineContextError{Limit: "MaxInlineContextTerms", Max: maxTerms, Size: u.terms}
	}
	return nil
}

// checkInlineTree checks the inline contexts of the object at n of t,
// without its member skip (if not ""), against the limits.
func (c *Converter) checkInlineTree(t *jsonobj.Tree, n int, skip string) error {
	maxBytes, maxTerms := c.inlineLimits()
	if maxBytes < 0 && maxTerms < 0 {
		return nil
	}
	return inlineInTree(t, n, skip).within(maxBytes, maxTerms)
}

// checkInlineValue is checkInlineTree of a document as a map.
func (c *Converter) checkInlineValue(doc map[string]any) error {
	maxBytes, maxTerms := c.inlineLimits()
	if maxBytes < 0 && maxTerms < 0 {
		return nil
	}
	var u inlineUsage
	u.inValue(doc)
	return u.within(maxBytes, maxTerms)
}

// inlineInTree adds up the inline contexts of the object at n of t,
// without its member skip: the value of every member named @context, but
// within another one, less the URLs in it (a string, or an array's string
// element).
func inlineInTree(t *jsonobj.Tree, n int, skip string) inlineUsage {
	var u inlineUsage
	for c := n + 1; c < int(t.Nodes[n].End); c = int(t.Nodes[c].End) {
		if skip != "" && t.Nodes[c].Key == skip {
			continue
		}
		for i, end := c, int(t.Nodes[c].End); i < end; {
			if t.Nodes[i].Key == "@context" {
				u.addContext(t, i)
				i = int(t.Nodes[i].End)
			} else {
				i++
			}
		}
	}
	return u
}

// addContext adds the @context value at i of t.
func (u *inlineUsage) addContext(t *jsonobj.Tree, i int) {
	nd := &t.Nodes[i]
	switch nd.Kind {
	case jsonobj.String:
	case jsonobj.Array:
		for e := i + 1; e < int(nd.End); e = int(t.Nodes[e].End) {
			if t.Nodes[e].Kind != jsonobj.String {
				u.addTree(t, e)
			}
		}
	default:
		u.addTree(t, i)
	}
}

// addTree adds the value at i of t: its length as compact JSON (without
// escapes) and its members whose names are not keywords.
func (u *inlineUsage) addTree(t *jsonobj.Tree, i int) {
	end := int(t.Nodes[i].End)
	// Every node but the first follows a comma or opens its container:
	// one comma per node, less one per container that has any.
	u.bytes += end - i - 1
	for k := i; k < end; k++ {
		nd := &t.Nodes[k]
		if k > i && nd.Key != "" {
			u.bytes += len(nd.Key) + 3 // "name":
			if nd.Key[0] != '@' {
				u.terms++
			}
		}
		switch nd.Kind {
		case jsonobj.String:
			u.bytes += len(nd.Str) + 2
		case jsonobj.Number:
			u.bytes += len(nd.Str)
		case jsonobj.Null, jsonobj.True:
			u.bytes += 4
		case jsonobj.False:
			u.bytes += 5
		case jsonobj.Array, jsonobj.Object:
			u.bytes += 2
			if int(nd.End) > k+1 {
				u.bytes--
			}
		}
	}
}

// inValue adds the inline contexts of v, a document as a map, as
// inlineInTree does.
func (u *inlineUsage) inValue(v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if k != "@context" {
				u.inValue(e)
				continue
			}
			switch c := e.(type) {
			case string:
			case []any:
				for _, el := range c {
					if _, isURL := el.(string); !isURL {
						u.addValue(el, "")
					}
				}
			default:
				u.addValue(c, "")
			}
		}
	case []any:
		for _, e := range x {
			u.inValue(e)
		}
	}
}

// addValue adds v, the value of member key ("" for an array element or a
// context itself), as addTree does.
func (u *inlineUsage) addValue(v any, key string) {
	if key != "" {
		u.bytes += len(key) + 3
		if key[0] != '@' {
			u.terms++
		}
	}
	switch x := v.(type) {
	case string:
		u.bytes += len(x) + 2
	case json.Number:
		u.bytes += len(x)
	case float64:
		u.bytes += len(strconv.FormatFloat(x, 'g', -1, 64))
	case nil:
		u.bytes += 4
	case bool:
		u.bytes += 5
		if x {
			u.bytes--
		}
	case []any:
		u.bytes += 2 + max(len(x)-1, 0)
		for _, e := range x {
			u.addValue(e, "")
		}
	case map[string]any:
		u.bytes += 2 + max(len(x)-1, 0)
		for k, e := range x {
			u.addValue(e, k)
		}
	}
}
