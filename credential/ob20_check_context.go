package credential

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sync"
)

// ob2ContextTerms returns the term definitions of the embedded OB 2.0
// context, read once.
var ob2ContextTerms = sync.OnceValues(func() (map[string]any, error) {
	l, err := defaultLoader()
	if err != nil {
		return nil, err
	}
	b, err := l.ContextBytes(ContextOB20)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Context map[string]any `json:"@context"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, err
	}
	return doc.Context, nil
})

// isOB2InlineContext reports whether ctx is the OB 2.0 context written
// inline: the embedded context's terms, with targetFramework mapped either
// as now or as before the 2020 correction (schema:targetFramework).
func isOB2InlineContext(ctx map[string]any) bool {
	terms, err := ob2ContextTerms()
	if err != nil || len(ctx) != len(terms) {
		return false
	}
	for k, v := range terms {
		got, ok := ctx[k]
		if !ok {
			return false
		}
		if k == "targetFramework" {
			if m, ok := got.(map[string]any); ok && len(m) == 1 && m["@id"] == "schema:targetFramework" {
				continue
			}
		}
		if !reflect.DeepEqual(normalizeJSON(got), v) {
			return false
		}
	}
	return true
}

// normalizeJSON turns json.Number into float64, as encoding/json decodes
// numbers into any, so trees from the two decoders compare.
func normalizeJSON(v any) any {
	switch v := v.(type) {
	case json.Number:
		f, _ := v.Float64()
		return f
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = normalizeJSON(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = normalizeJSON(e)
		}
		return out
	}
	return v
}

// context checks the root @context and decides whether types are checked
// against the OB 2.0 context's terms.
func (c *ob2Checker) context(doc map[string]any) {
	v, ok := doc["@context"]
	if !ok {
		c.add("", "ob2/context", SeverityError, "no @context: an OB 2.0 document names %s", ContextOB20)
		return
	}
	entries, ptr := []any{v}, func(int) string { return "/@context" }
	if a, ok := v.([]any); ok {
		entries, ptr = a, func(i int) string { return fmt.Sprintf("/@context/%d", i) }
	}
	ob2, only, inline := false, true, -1
	for i, e := range entries {
		switch e := e.(type) {
		case string:
			switch e {
			case ContextOB20, ContextOB20Published:
				ob2 = true
				continue
			case ContextOB11:
				c.add(ptr(i), "ob2/context", SeverityError, "%s is the Open Badges 1.1 context: this is an OB 1.1 document, which OB 2.0 replaced (its context is %s)", e, ContextOB20)
			}
		case map[string]any:
			inner, nested := e["@context"].(map[string]any)
			if !nested {
				inner = e
			}
			if isOB2InlineContext(inner) {
				ob2, inline = true, i
				continue
			}
		}
		only = false
	}
	switch {
	case !ob2 && len(entries) > 0:
		if !slices.Contains(entries, any(ContextOB11)) {
			c.add(ptr(0), "ob2/context", SeverityError, "@context does not name the Open Badges 2.0 context %s", ContextOB20)
		}
	case inline >= 0:
		c.add(ptr(inline), "ob2/context", SeverityWarning, "the Open Badges 2.0 context is written out inline instead of named by its URL %s; software that looks for the URL will not recognise the document", ContextOB20)
	}
	if ob2 && only {
		if terms, err := ob2ContextTerms(); err == nil {
			c.terms = make(map[string]string, len(terms))
			for k, v := range terms {
				if s, ok := v.(string); ok {
					c.terms[k] = s
				} else {
					c.terms[k] = ""
				}
			}
		}
	}
}
