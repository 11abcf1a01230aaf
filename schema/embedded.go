// The embedded JSON Schemas: read, checked against their pins and compiled
// once per process, when first used, and shared by every Validator.

package schema

import (
	"fmt"
	"strings"
	"sync"

	"github.com/go-openbadges/openbadges/internal/jsonobj"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

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

// treeSchema returns the embedded schema known by u compiled for trees, or
// nil if u names no embedded schema or its file does not compile for
// trees.
func (e *embeddedSchemas) treeSchema(u string) *treeSchema {
	if d, ok := e.docs[u]; ok {
		return d.treeSchema()
	}
	return nil
}
