package schema

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
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

// builtin holds the embedded schemas, shared by every Validator.
var builtin = newEmbeddedSchemas()

// embeddedSchemas is the embedded JSON Schemas, each read, checked against
// its pin, decoded and compiled once per process, when first used.
type embeddedSchemas struct {
	// compileAt maps every URL of an embedded schema to the URL its file
	// is compiled at (the first row naming the file), and docs each URL
	// to its file's document; both are read-only.
	compileAt map[string]string
	docs      map[string]*schemaDoc

	mu       sync.Mutex // serializes compiles
	compiler *jsonschema.Compiler
	compiled sync.Map // compile URL to *jsonschema.Schema
}

// schemaDoc is an embedded schema file, decoded when first needed.
type schemaDoc struct {
	file File
	once sync.Once
	doc  any
	err  error

	treeOnce sync.Once
	tree     *treeSchema // nil if the file does not compile for trees
}

// treeSchema returns the file compiled for trees (see tree.go), or nil if
// it uses what the tree validator does not know, or cannot be read: the
// general validator then does all the work, and reports any error.
func (d *schemaDoc) treeSchema() *treeSchema {
	d.treeOnce.Do(func() {
		doc, err := d.load()
		if err != nil {
			return
		}
		d.tree, _ = compileTree(doc)
	})
	return d.tree
}

func newEmbeddedSchemas() *embeddedSchemas {
	e := &embeddedSchemas{compileAt: make(map[string]string), docs: make(map[string]*schemaDoc)}
	byName := make(map[string]string) // file name to the URL it is compiled at
	for _, f := range files {
		if f.Kind != KindSchema {
			continue
		}
		u, ok := byName[f.Name]
		if !ok {
			u = f.URL
			byName[f.Name] = u
			e.docs[u] = &schemaDoc{file: f}
		}
		e.compileAt[f.URL] = u
		e.docs[f.URL] = e.docs[u]
	}
	return e
}

// load returns the decoded document of an embedded schema file.
func (d *schemaDoc) load() (any, error) {
	d.once.Do(func() {
		raw, err := readVerified(d.file)
		if err != nil {
			d.err = err
			return
		}
		// A pinned file: parsed by the faster parser, which decodes as
		// jsonschema.UnmarshalJSON does (numbers as json.Number).
		if d.doc, err = jsonobj.Parse(raw, len(raw), maxValueDepth); err != nil {
			d.err = fmt.Errorf("schema: embedded %s: %w", d.file.Name, err)
		}
	})
	return d.doc, d.err
}

// schema returns the compiled embedded schema known by u, compiling it
// first if need be; ok is false if no embedded schema is known by u.
func (e *embeddedSchemas) schema(u string) (sch *jsonschema.Schema, ok bool, err error) {
	at, ok := e.compileAt[u]
	if !ok {
		return nil, false, nil
	}
	if s, ok := e.compiled.Load(at); ok {
		return s.(*jsonschema.Schema), true, nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if s, ok := e.compiled.Load(at); ok {
		return s.(*jsonschema.Schema), true, nil // compiled while we waited
	}
	if e.compiler == nil {
		e.compiler = newCompiler(embeddedLoader{})
	}
	sch, err = e.compiler.Compile(prechecked + at)
	if err != nil {
		// Not expected: TestEmbeddedSchemasCompile compiles every one.
		// The compiler keeps nothing of a failed compile, so the next
		// call tries again.
		return nil, true, fmt.Errorf("schema: compiling embedded %q: %w", at, err)
	}
	e.compiled.Store(at, sch)
	return sch, true, nil
}

// prechecked is put before the URL of an embedded schema when builtin
// compiles it, and taken off the schema locations of a ValidationError
// (see trimPrechecked). The compiler checks every schema against its
// metaschema (draft 2019-09), at a third of the cost of compiling, except
// the metaschemas themselves: those under https://json-schema.org/. The
// embedded schemas are pinned files, checked against the metaschema once
// and for all by TestEmbeddedSchemasCompile; under this URL the compiler
// takes them as it takes a metaschema. Only builtin's compiler knows the
// URL, and its loader serves nothing else under it.
const prechecked = "https://json-schema.org/x-openbadges-prechecked/"

// trimPrechecked returns the schema location loc without prechecked.
func trimPrechecked(loc string) string {
	return strings.TrimPrefix(loc, prechecked)
}

// embeddedLoader serves the embedded schemas to the compiler of builtin:
// they refer to each other only.
type embeddedLoader struct{}

// Load implements jsonschema.URLLoader.
func (embeddedLoader) Load(u string) (any, error) {
	if d, ok := builtin.docs[strings.TrimPrefix(u, prechecked)]; ok {
		return d.load()
	}
	return nil, &UnknownSchemaError{URL: u}
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

// treeSchema returns the embedded schema known by u compiled for trees, or
// nil if u names no embedded schema or its file does not compile for
// trees.
func (e *embeddedSchemas) treeSchema(u string) *treeSchema {
	if d, ok := e.docs[u]; ok {
		return d.treeSchema()
	}
	return nil
}

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
