// What a decoded document may hold: the checks that a value given to
// ValidateValue is JSON, before any schema sees it.

package schema

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/go-openbadges/openbadges/fetch"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// checkValue reports the first part of doc that is not a decoded JSON value.
// path is where doc is; it is built only for the error.
func checkValue(doc any, path []string, depth int) error {
	bad := checkValueAt(doc, depth)
	if bad == nil {
		return nil
	}
	// The tokens were gathered from the bad value up.
	slices.Reverse(bad.path)
	path = append(path, bad.path...)
	return fmt.Errorf("schema: value at %q %s", pointer(path), bad.what)
}

// badValue is what checkValueAt found: the path to the value from the
// value checked, last token first, and what is wrong with it.
type badValue struct {
	path []string
	what string
}

func checkValueAt(doc any, depth int) *badValue {
	if depth > maxValueDepth {
		return &badValue{what: fmt.Sprintf("is nested more than %d levels deep", maxValueDepth)}
	}
	switch x := doc.(type) {
	case nil, bool, string, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return &badValue{what: fmt.Sprintf("is %v, not a JSON number", x)}
		}
	case float32:
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return &badValue{what: fmt.Sprintf("is %v, not a JSON number", x)}
		}
	case json.Number:
		if !validNumber(string(x)) {
			return &badValue{what: fmt.Sprintf("is %q, not a JSON number", string(x))}
		}
	case []any:
		for i, e := range x {
			if bad := checkValueAt(e, depth+1); bad != nil {
				bad.path = append(bad.path, strconv.Itoa(i))
				return bad
			}
		}
	case map[string]any:
		for k, e := range x {
			if bad := checkValueAt(e, depth+1); bad != nil {
				bad.path = append(bad.path, k)
				return bad
			}
		}
	default:
		return &badValue{what: fmt.Sprintf("has Go type %T, which is not a decoded JSON value", doc)}
	}
	return nil
}

// validNumber reports whether s is a JSON number.
func validNumber(s string) bool {
	return s != "" && (s[0] == '-' || '0' <= s[0] && s[0] <= '9') && json.Valid([]byte(s))
}

// schemaLoader serves schema documents to the jsonschema compiler of a
// Validator: the embedded and extra ones from memory and, only with a
// fetcher, others.
// Its fields other than docs are guarded by the Validator's compileMu.
type schemaLoader struct {
	docs    map[string]any // the extra ones; read-only after NewValidator
	fetcher fetch.Fetcher
	ctx     context.Context // the caller's context during a compile
	err     error           // the first Load error during a compile
	fetches int             // fetches during this compile
	held    int             // documents fetched into the Validator's compiler
}

// compile compiles the schema at u with c, which uses l as its loader.
// jsonschema does not let a loader's error be unwrapped, so the first error
// of this compile's Load calls is wrapped instead of the compiler's.
func (l *schemaLoader) compile(ctx context.Context, c *jsonschema.Compiler, u string) (*jsonschema.Schema, error) {
	l.ctx, l.err, l.fetches = ctx, nil, 0
	defer func() { l.ctx, l.err = nil, nil }()
	sch, err := c.Compile(u)
	if err != nil {
		if l.err != nil {
			err = l.err
		}
		return nil, fmt.Errorf("schema: compiling %q: %w", u, err)
	}
	return sch, nil
}

// Load implements jsonschema.URLLoader.
func (l *schemaLoader) Load(u string) (any, error) {
	doc, err := l.load(u)
	if err != nil && l.err == nil {
		l.err = err
	}
	return doc, err
}

func (l *schemaLoader) load(u string) (any, error) {
	if doc, ok := l.docs[u]; ok {
		return doc, nil
	}
	if d, ok := builtin.docs[u]; ok {
		return d.load()
	}
	if l.fetcher == nil {
		return nil, &UnknownSchemaError{URL: u}
	}
	if l.fetches >= MaxFetchedSchemas {
		return nil, fmt.Errorf("schema: not fetching %q: this schema already needed %d documents", u, MaxFetchedSchemas)
	}
	l.fetches++
	ctx := l.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	b, err := l.fetcher.Fetch(ctx, u)
	if err != nil {
		return nil, fmt.Errorf("schema: fetching JSON Schema %q: %w", u, err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("schema: fetched JSON Schema %q: %w", u, err)
	}
	l.held++
	return doc, nil
}
