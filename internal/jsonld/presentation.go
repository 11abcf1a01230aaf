package jsonld

import "slices"

// contextVCDM20 is the VCDM 2.0 context's URL.
const contextVCDM20 = "https://www.w3.org/ns/credentials/v2"

// graphPresentationCredentials makes explicit, for json-gold, the graph
// container of a VCDM 2.0 presentation's verifiableCredential: each object
// value becomes a graph object ({"@graph": value}), what expansion makes of
// it. json-gold 0.9.1 reads a term's container mapping from the context
// its scoped context gives, not from the one that defines the term, and
// VCDM 2.0 scopes verifiableCredential with a null context: it would
// write each credential into the presentation's own graph, not a graph of
// its own, and canonicalize the presentation unlike every other processor
// (the fast path follows the specification). The VCDM 2.0 context protects
// VerifiablePresentation and its verifiableCredential, so below a node
// whose @context lists it (the document, or a node embedded with a context
// of its own), a VerifiablePresentation's verifiableCredential is always
// that graph container. Every such presentation node is rewritten, the
// top-level one and those nested in the document (in @graph, or as a
// value); doc is the general path's own copy.
func graphPresentationCredentials(doc map[string]any) {
	graphCredentials(doc, false)
}

// graphCredentials rewrites the presentation nodes in v, a part of a
// document outside its contexts (see graphPresentationCredentials); v2
// says whether the VCDM 2.0 context is active there.
func graphCredentials(v any, v2 bool) {
	switch x := v.(type) {
	case map[string]any:
		if ctx, ok := x["@context"]; ok && listsContext(ctx, contextVCDM20) {
			v2 = true
		}
		if v2 && hasType(x["type"], "VerifiablePresentation") {
			wrap := func(v any) any {
				m, ok := v.(map[string]any)
				if !ok {
					return v
				}
				if _, isGraph := m["@graph"]; isGraph {
					return v
				}
				return map[string]any{"@graph": []any{m}}
			}
			switch vc := x["verifiableCredential"].(type) {
			case map[string]any:
				x["verifiableCredential"] = wrap(vc)
			case []any:
				for i, e := range vc {
					vc[i] = wrap(e)
				}
			}
		}
		for k, e := range x {
			if k != "@context" {
				graphCredentials(e, v2)
			}
		}
	case []any:
		for _, e := range x {
			graphCredentials(e, v2)
		}
	}
}

// listsContext reports whether a @context value is, or is a list holding,
// the context URL u.
func listsContext(ctx any, u string) bool {
	switch x := ctx.(type) {
	case string:
		return x == u
	case []any:
		return slices.Contains(x, any(u))
	}
	return false
}

// hasType reports whether a decoded type member (a string or an array) is
// or lists t.
func hasType(v any, t string) bool {
	switch x := v.(type) {
	case string:
		return x == t
	case []any:
		return slices.Contains(x, any(t))
	}
	return false
}
