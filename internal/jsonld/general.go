package jsonld

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/piprate/json-gold/ld"

	"github.com/go-openbadges/openbadges/internal/jsonobj"
	"github.com/go-openbadges/openbadges/internal/rdfc"
)

// expand is json-gold's expansion of doc (JsonLdProcessor.Expand), with
// the top-level context fc, or if nil the one the cache has or makes.
func (c *Converter) expand(doc map[string]any, opts *ld.JsonLdOptions, fc *fastContext) ([]any, error) {
	if fc == nil {
		var err error
		if fc, err = c.fastRoot(doc["@context"]); err != nil {
			return nil, err
		}
	}
	active := c.prunedRoot(fc, doc)
	body := make(map[string]any, len(doc))
	for k, v := range doc {
		if k != "@context" {
			body[k] = v
		}
	}
	expanded, err := ld.NewJsonLdApi().Expand(active, "", body, opts, false, nil)
	if err != nil {
		return nil, err
	}
	// The final step of the Expansion Algorithm, as JsonLdProcessor does it.
	m, isMap := expanded.(map[string]any)
	if isMap && len(m) == 0 {
		expanded = nil
	}
	if graph, hasGraph := m["@graph"]; isMap && hasGraph && len(m) == 1 {
		expanded = graph
	} else if expanded == nil {
		expanded = []any{}
	}
	if list, isList := expanded.([]any); isList {
		return list, nil
	}
	return []any{expanded}, nil
}

// general is ToRDF through json-gold's expansion and node map.
func (c *Converter) general(ctx context.Context, doc map[string]any) ([]rdfc.Quad, error) {
	return c.generalWith(ctx, doc, nil)
}

// generalWith is general with the context of doc's top-level @context,
// root, if not nil (processed by the fast path, which gave up).
func (c *Converter) generalWith(ctx context.Context, doc map[string]any, root *fastContext) (quads []rdfc.Quad, err error) {
	defer func() {
		if r := recover(); r != nil {
			quads, err = nil, fmt.Errorf("%w: %v", ErrProcessor, r)
		}
	}()
	if err := preScan(doc, "", true); err != nil {
		return nil, err
	}
	opts := c.options()
	// json-gold may rewrite the maps it is given; it gets a copy.
	doc = deepCopy(doc)
	graphPresentationCredentials(doc)
	expanded, err := c.expand(doc, opts, root)
	if err != nil {
		err = expansionError(err)
		var sm *SafeModeError
		if errors.As(err, &sm) && sm.Path == "" {
			if ptr, term := c.locateUndefined(doc); ptr != "" {
				sm.Path = ptr
				sm.Reason = fmt.Sprintf("%q is not defined by any context (it does not expand to an absolute IRI); add the context that defines it (for a term of your own under VCDM 2.0, https://www.w3.org/ns/credentials/undefined-terms/v2)", term)
			}
		}
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := checkExpanded(doc, expanded); err != nil {
		return nil, err
	}
	api := ld.NewJsonLdApi()
	issuer := ld.NewIdentifierIssuer("_:b")
	nodeMap := map[string]any{defaultGraphID: map[string]any{}}
	if _, err := api.GenerateNodeMap(expanded, nodeMap, defaultGraphID, issuer, "", "", nil); err != nil {
		return nil, expansionError(err)
	}
	w := rdfWriter{issuer: issuer}
	for _, g := range sortedKeys(nodeMap) {
		var graph rdfc.Term
		if g != defaultGraphID {
			if graph, err = w.nodeTerm(g, "graph name"); err != nil {
				return nil, err
			}
		}
		nodes, _ := nodeMap[g].(map[string]any)
		if err := w.graph(graph, nodes); err != nil {
			return nil, err
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	if w.directions {
		// json-gold has read the contexts' directions leniently.
		if err := c.checkDirections(doc); err != nil {
			return nil, err
		}
	}
	return w.quads, nil
}

// expansionError turns a json-gold error into ours: a safe mode refusal
// becomes a *SafeModeError; anything else keeps its chain, so that a
// context the loader does not have still matches schema.ErrUnknownContext.
func expansionError(err error) error {
	var code ld.ErrorCode
	var jerr *ld.JsonLdError
	var jval ld.JsonLdError
	switch {
	case errors.As(err, &jerr):
		code = jerr.Code
	case errors.As(err, &jval):
		code = jval.Code
	}
	if code == ld.InvalidProperty {
		return safeModeErr("", "a property is not defined by any context (it does not expand to an absolute IRI); add the context that defines it (for a term of your own under VCDM 2.0, https://www.w3.org/ns/credentials/undefined-terms/v2)")
	}
	return fmt.Errorf("JSON-LD: %w", err)
}

// checkExpanded compares the expanded document with the input for what
// expansion drops without a word at the top level: a document or @graph
// entry that is empty, only an @id, a free-floating value or list. Such an
// entry says nothing, yet was in the document; JSON-LD safe mode (as
// jsonld.js implements it) refuses it, and so does this.
func checkExpanded(doc any, expanded []any) error {
	m, _ := doc.(map[string]any)
	want := 1
	if g, ok := m["@graph"].([]any); ok {
		only := true
		for k := range m {
			only = only && (k == "@context" || k == "@graph")
		}
		if only {
			want = len(g)
		}
	}
	if len(expanded) < want {
		return safeModeErr("", "%d top-level node(s) expanded to %d: an empty object, an object with only an id, or a free-floating value is dropped by JSON-LD and would not be signed", want, len(expanded))
	}
	for i, v := range expanded {
		e, _ := v.(map[string]any)
		if _, onlyID := e["@id"]; len(e) == 0 || len(e) == 1 && onlyID {
			return safeModeErr(fmt.Sprintf("/@graph/%d", i), "a top-level object with nothing but an id says nothing and would not be signed")
		}
		if _, isValue := e["@value"]; isValue {
			return safeModeErr(fmt.Sprintf("/@graph/%d", i), "a free-floating value is not a statement about anything")
		}
		if _, isList := e["@list"]; isList {
			return safeModeErr(fmt.Sprintf("/@graph/%d", i), "a free-floating list is not a statement about anything")
		}
	}
	return nil
}

// preScan walks the input (but not its contexts) for what JSON-LD
// expansion drops and jsonld.js's safe mode refuses: a null @id or @value,
// an object with only @language, a free-floating scalar in @graph, and a
// key that looks like a keyword but is none (a reserved term), a @direction
// outside a value object; and for a @direction other than "ltr" or "rtl",
// which json-gold would take.
func preScan(v any, ptr string, top bool) error {
	switch x := v.(type) {
	case map[string]any:
		if _, ok := x["@language"]; ok && len(x) == 1 {
			return safeModeErr(ptr, "an object with only @language says nothing and would be dropped")
		}
		for _, k := range sortedKeys(x) {
			e := x[k]
			p := ptr + "/" + jsonobj.Escape(k)
			if k == "@context" {
				continue
			}
			if e == nil && (k == "@id" || k == "id" || k == "@value") {
				return safeModeErr(p, "a null %s would be dropped", k)
			}
			if k == "@direction" && !validDirection(e) {
				return safeModeErr(p, "@direction %s is not a base direction: it must be \"ltr\" or \"rtl\"", quoteJSON(e))
			}
			if _, isValue := x["@value"]; k == "@direction" && !isValue {
				return safeModeErr(p, "@direction on an object that is not a value (with @value) would be dropped: only text has a direction")
			}
			if strings.HasPrefix(k, "@") && len(k) > 1 && isAlpha(k[1:]) && !ld.IsKeyword(k) {
				return safeModeErr(p, "%q is reserved for JSON-LD keywords and would be dropped", k)
			}
			if k == "@graph" && top {
				if g, ok := e.([]any); ok {
					for i, item := range g {
						switch item.(type) {
						case map[string]any, []any:
						default:
							return safeModeErr(fmt.Sprintf("%s/%d", p, i), "a free-floating value in @graph is not a statement about anything")
						}
					}
				}
			}
			if err := preScan(e, p, false); err != nil {
				return err
			}
		}
	case []any:
		for i, e := range x {
			if err := preScan(e, fmt.Sprintf("%s/%d", ptr, i), false); err != nil {
				return err
			}
		}
	}
	return nil
}

// deepCopy copies maps and slices of a decoded JSON value. Numbers inside
// an @context become float64, the form json-gold's context processing
// compares with ("@version": 1.1); elsewhere they stay json.Number, so that
// their text is what is converted to RDF.
func deepCopy(v map[string]any) map[string]any {
	m, _ := copyJSON(v, false).(map[string]any)
	return m
}

// copyJSON copies v as deepCopy does; inContext says v is inside an
// @context already.
func copyJSON(v any, inContext bool) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = copyJSON(e, inContext || k == "@context")
		}
		return m
	case []any:
		s := make([]any, len(x))
		for i, e := range x {
			s[i] = copyJSON(e, inContext)
		}
		return s
	case json.Number:
		if inContext {
			if f, err := x.Float64(); err == nil {
				return f
			}
		}
	}
	return v
}
