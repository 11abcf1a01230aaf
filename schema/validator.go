package schema

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/go-openbadges/openbadges/fetch"
	"github.com/go-openbadges/openbadges/internal/jsonobj"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// ErrUnknownSchema is wrapped by the error a [Validator] returns for a schema
// URL it neither embeds nor was given, when it has no [fetch.Fetcher].
var ErrUnknownSchema = errors.New("schema: unknown JSON Schema")

// An UnknownSchemaError reports a schema URL that a [Validator] does not
// know. It wraps [ErrUnknownSchema].
type UnknownSchemaError struct {
	// URL is the URL as it was requested.
	URL string
}

// Error implements the error interface.
func (e *UnknownSchemaError) Error() string {
	return fmt.Sprintf("schema: unknown JSON Schema %q (not embedded, and fetching is off)", e.URL)
}

// Unwrap returns [ErrUnknownSchema].
func (e *UnknownSchemaError) Unwrap() error { return ErrUnknownSchema }

// MaxFetchedSchemas bounds the fetched schema documents a [Validator]
// holds, and those one validation may fetch (a schema and the schemas it
// refers to). Compiled schemas refer to each other and cannot be evicted one
// by one: when a Validator holding this many must compile another, it drops
// every fetched schema it holds and starts afresh, fetching again what it
// needs. A failed fetch is not held: it is an error of that validation
// only, and the next validation naming the schema tries again (a
// [fetch.Fetcher] that caches decides how often the network is asked).
const MaxFetchedSchemas = 64

// maxValueDepth bounds the nesting of a value given to ValidateValue.
const maxValueDepth = 1000

// ValidatorOptions configures a [Validator]. The zero value knows exactly
// the embedded schemas and never touches the network.
type ValidatorOptions struct {
	// Extra adds JSON Schemas the caller supplies, keyed by the exact URL
	// they are known by. They are compiled by NewValidator and may refer to
	// the embedded schemas, to each other, and (only with a Fetcher) to
	// other URLs. A key must be an absolute URL without a fragment, and must
	// not be the URL of an embedded schema.
	Extra map[string][]byte

	// Fetcher, if not nil, is used to fetch a schema that is neither
	// embedded nor in Extra: one passed to Validate, or one a schema refers
	// to. Fetched schemas are compiled once and kept, up to
	// MaxFetchedSchemas documents; a failed fetch is not kept. If nil,
	// nothing is ever fetched and such a schema URL is an
	// *UnknownSchemaError.
	Fetcher fetch.Fetcher
}

// A Validator checks JSON documents against JSON Schemas: the embedded
// Open Badges 3.0 and CLR 2.0 schemas (draft 2019-09), those given in
// [ValidatorOptions].Extra and, only with a Fetcher, fetched ones.
//
// Format keywords are asserted, so a "date-time" must be a real RFC 3339
// date and time ("2010-13-01T00:00:00Z" is refused). Schema URLs are matched
// exactly; each embedded schema is known by its purl URL (such as
// [AchievementCredentialSchemaURL]) and by each "$id" it carries; see
// [Files].
//
// The embedded schemas are compiled once per process, each when first
// used, and shared by every Validator. A document valid against one of
// them is decided by a validator of their own that walks a parse tree
// without allocating (it knows exactly the keywords they use); an invalid
// one is validated again by santhosh-tekuri/jsonschema, which reports the
// problems, as it validates every schema given in Extra or fetched.
//
// A Validator is immutable once built, except for its cache of fetched
// schemas, and is safe for concurrent use.
type Validator struct {
	extra map[string]*jsonschema.Schema // read-only after NewValidator

	// Only with a Fetcher: the loader and the compiler (made when first
	// needed, unless Extra schemas needed it), kept to compile fetched
	// schemas, and the schemas compiled so far. compileMu serializes compiles (the
	// compiler is not safe for concurrent use); fetchedMu guards fetched, so
	// a slow fetch does not hold up schemas that are already compiled.
	compileMu sync.Mutex
	compiler  *jsonschema.Compiler
	loader    *schemaLoader
	fetchedMu sync.RWMutex
	fetched   map[string]*jsonschema.Schema
}

// NewValidator returns a Validator of the embedded schemas and of every
// schema in opts.Extra, which it compiles. Each embedded schema is checked
// against its pinned SHA-256 and compiled when first used, once per
// process (an embedded file that does not match its pin is then an error
// of Validate).
func NewValidator(opts ValidatorOptions) (*Validator, error) {
	sl := &schemaLoader{docs: make(map[string]any), fetcher: opts.Fetcher}
	extra := make([]string, 0, len(opts.Extra))
	for u, b := range opts.Extra {
		if _, ok := builtin.compileAt[u]; ok {
			return nil, fmt.Errorf("schema: extra schema %q would override an embedded schema", u)
		}
		if err := checkDocURL(u); err != nil {
			return nil, fmt.Errorf("schema: extra schema %q: %w", u, err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("schema: extra schema %q: %w", u, err)
		}
		sl.docs[u] = doc
		extra = append(extra, u)
	}
	slices.Sort(extra)

	v := &Validator{extra: make(map[string]*jsonschema.Schema, len(extra))}
	if len(extra) == 0 && opts.Fetcher == nil {
		return v, nil
	}
	var c *jsonschema.Compiler // made only if there is something to compile
	if len(extra) > 0 {
		c = newCompiler(sl)
	}
	for _, u := range extra {
		sch, err := sl.compile(context.Background(), c, u)
		if err != nil {
			return nil, err
		}
		v.extra[u] = sch
	}
	if opts.Fetcher != nil {
		v.compiler, v.loader = c, sl
		v.fetched = make(map[string]*jsonschema.Schema)
	}
	return v, nil
}

// newCompiler returns a compiler of the Open Badges schemas' draft that
// asserts formats and loads schemas with l.
func newCompiler(l jsonschema.URLLoader) *jsonschema.Compiler {
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2019)
	c.AssertFormat()
	c.UseLoader(l)
	return c
}

// URLs returns the sorted URLs of every schema the Validator knows without
// fetching: the embedded ones, each under every URL that names it, and
// those in [ValidatorOptions].Extra.
func (v *Validator) URLs() []string {
	urls := make([]string, 0, len(builtin.compileAt)+len(v.extra))
	for u := range builtin.compileAt {
		urls = append(urls, u)
	}
	for u := range v.extra {
		urls = append(urls, u)
	}
	slices.Sort(urls)
	return urls
}

// Validate checks the JSON document data against the schema known by
// schemaURL. It is ValidateContext with [context.Background].
func (v *Validator) Validate(schemaURL string, data []byte) error {
	return v.ValidateContext(context.Background(), schemaURL, data)
}

// ValidateContext checks the JSON document data against the schema known by
// schemaURL. The context is used only if the schema must be fetched.
//
// It returns nil if the document is valid, and a *[ValidationError] listing
// every problem if it is not. It returns an *[UnknownSchemaError] for a
// schema URL it does not know and cannot fetch, and an error wrapping a
// *[json.SyntaxError] (or another encoding/json error) if data is not a
// single JSON value. Numbers are decoded exactly, as [json.Number].
//
// Validate holds the whole document in memory, decoded: bounding the size of
// data is the caller's business.
func (v *Validator) ValidateContext(ctx context.Context, schemaURL string, data []byte) error {
	if ts := builtin.treeSchema(schemaURL); ts != nil {
		t := docTrees.Get()
		if jsonobj.ParseTree(data, len(data), maxValueDepth, t) == nil {
			if ts.valid(t, 0) {
				docTrees.Put(t)
				return nil
			}
			// Invalid: the general validator says why, of the value
			// jsonschema.UnmarshalJSON would decode (numbers as
			// json.Number), taken from the tree.
			doc := t.Value(0)
			docTrees.Put(t)
			sch, err := v.schema(ctx, schemaURL)
			if err != nil {
				return err
			}
			return validate(sch, schemaURL, doc)
		}
		// Not read by the tree parser (a member named twice, say): the
		// general validator decodes it as it always has.
		docTrees.Put(t)
	}
	sch, err := v.schema(ctx, schemaURL)
	if err != nil {
		return err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("schema: decoding document: %w", err)
	}
	return validate(sch, schemaURL, doc)
}

// ValidateValue checks an already decoded document against the schema known
// by schemaURL. It is ValidateValueContext with [context.Background].
func (v *Validator) ValidateValue(schemaURL string, doc any) error {
	return v.ValidateValueContext(context.Background(), schemaURL, doc)
}

// ValidateValueContext is like ValidateContext for a document already
// decoded into the values encoding/json produces for an any: map[string]any,
// []any, string, bool, nil, and float64 or [json.Number] (decoding with
// [json.Decoder.UseNumber] keeps numbers exact). Go integer types and float32
// are accepted as numbers too. Any other type (a struct, a map[string]string,
// a []string…), a NaN or infinite float, a malformed json.Number, or nesting
// deeper than 1000 levels is an error, not a *ValidationError. The document
// is not modified.
func (v *Validator) ValidateValueContext(ctx context.Context, schemaURL string, doc any) error {
	sch, err := v.schema(ctx, schemaURL)
	if err != nil {
		return err
	}
	if err := checkValue(doc, nil, 0); err != nil {
		return err
	}
	if ts := builtin.treeSchema(schemaURL); ts != nil {
		t := docTrees.Get()
		valid := t.SetValue(doc) == nil && ts.valid(t, 0)
		docTrees.Put(t)
		if valid {
			return nil
		}
	}
	return validate(sch, schemaURL, doc)
}

// ValidateTree is ValidateValue for the value at node n of a parse tree,
// for this module's packages, which parse a document once for every check.
// The tree is not modified.
func (v *Validator) ValidateTree(schemaURL string, t *jsonobj.Tree, n int) error {
	if ts := builtin.treeSchema(schemaURL); ts != nil && ts.valid(t, n) {
		return nil
	}
	sch, err := v.schema(context.Background(), schemaURL)
	if err != nil {
		return err
	}
	return validate(sch, schemaURL, t.Value(n))
}

// docTrees are the parse trees of the documents validated.
var docTrees jsonobj.Trees

// schema returns the compiled schema known by u, compiling (and fetching) it
// if the Validator has a Fetcher.
func (v *Validator) schema(ctx context.Context, u string) (*jsonschema.Schema, error) {
	if sch, ok, err := builtin.schema(u); ok {
		return sch, err
	}
	if sch, ok := v.extra[u]; ok {
		return sch, nil
	}
	if v.loader == nil {
		return nil, &UnknownSchemaError{URL: u}
	}
	if p, err := url.Parse(u); err != nil || !p.IsAbs() {
		return nil, fmt.Errorf("schema: schema URL %q is not an absolute URL: %w", u, ErrUnknownSchema)
	}
	if sch := v.compiled(u); sch != nil {
		return sch, nil
	}
	v.compileMu.Lock()
	defer v.compileMu.Unlock()
	if sch := v.compiled(u); sch != nil {
		return sch, nil // compiled while we waited
	}
	if v.compiler == nil || v.loader.held >= MaxFetchedSchemas {
		// Hold at most MaxFetchedSchemas fetched documents: drop them
		// all, with the compiler that holds them.
		v.compiler = newCompiler(v.loader)
		v.loader.held = 0
		v.fetchedMu.Lock()
		clear(v.fetched)
		v.fetchedMu.Unlock()
	}
	sch, err := v.loader.compile(ctx, v.compiler, u)
	if err != nil {
		return nil, err
	}
	v.fetchedMu.Lock()
	v.fetched[u] = sch
	v.fetchedMu.Unlock()
	return sch, nil
}

// compiled returns the schema compiled at u after NewValidator, or nil.
func (v *Validator) compiled(u string) *jsonschema.Schema {
	v.fetchedMu.RLock()
	defer v.fetchedMu.RUnlock()
	return v.fetched[u]
}

// validate runs sch on doc and converts a failure to a *ValidationError.
func validate(sch *jsonschema.Schema, schemaURL string, doc any) error {
	err := sch.Validate(doc)
	if err == nil {
		return nil
	}
	var verr *jsonschema.ValidationError
	if !errors.As(err, &verr) {
		return fmt.Errorf("schema: validating against %q: %w", schemaURL, err)
	}
	ps := problems(verr)
	if len(ps) == 0 { // not expected: every failure has a leaf
		ps = []Problem{{Keyword: "schema", SchemaLocation: trimPrechecked(sch.Location), Message: "(root): " + strings.ReplaceAll(verr.Error(), prechecked, "")}}
	}
	return &ValidationError{SchemaURL: schemaURL, Problems: ps}
}
