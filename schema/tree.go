package schema

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/go-openbadges/openbadges/internal/jsonobj"
)

// This file holds the validator the embedded schemas are checked with: each
// schema file is compiled into a graph of treeSchemas that walks a
// jsonobj.Tree and decides, without allocating, whether the document is
// valid. It knows only the keywords the embedded schemas use (see
// treeKeywords); a schema with any other keyword is not compiled, and is
// left to the general validator. A document it finds invalid is validated
// again by the general validator, whose error tree gives the Problems: this
// one decides, and only the rare invalid document pays for the details.
// TestTreeEquivalence and FuzzTreeEquivalence show that both validators
// give the same verdict.

// treeKeywords are the keywords a treeSchema knows: assertions and
// applicators of draft 2019-09, and annotations it ignores. A schema that
// uses any other keyword is not compiled.
var treeKeywords = map[string]bool{
	// Applied.
	"type": true, "enum": true, "format": true, "pattern": true,
	"$ref": true, "properties": true, "required": true, "additionalProperties": true,
	"items": true, "additionalItems": true, "minItems": true, "contains": true,
	"allOf": true, "oneOf": true, "anyOf": true, "propertyNames": true,
	// Not applied: identification, definitions and annotations. "$id" is
	// accepted at the root of a document only (a nested one would change
	// the base of the references under it).
	"$schema": true, "$id": true, "$defs": true, "$comment": true,
	"title": true, "description": true,
}

// JSON types as a bit set.
const (
	typeNull uint8 = 1 << iota
	typeBoolean
	typeNumber
	typeString
	typeArray
	typeObject
)

var typeBits = map[string]uint8{
	"null": typeNull, "boolean": typeBoolean, "number": typeNumber,
	"string": typeString, "array": typeArray, "object": typeObject,
}

// kindBits maps a node kind to its JSON type.
var kindBits = [...]uint8{
	jsonobj.Null: typeNull, jsonobj.False: typeBoolean, jsonobj.True: typeBoolean,
	jsonobj.Number: typeNumber, jsonobj.String: typeString,
	jsonobj.Array: typeArray, jsonobj.Object: typeObject,
}

// Formats a treeSchema asserts.
const (
	formatNone = iota
	formatDate
	formatDateTime
)

// A treeSchema is one compiled schema (or subschema).
type treeSchema struct {
	// boolean is set for the schemas true and false, which have nothing
	// else; always is the value.
	boolean, always bool

	types   uint8    // allowed JSON types; 0 for any
	enum    []string // if not nil, the value must be one of these strings
	format  int
	pattern *regexp.Regexp
	ref     *treeSchema

	properties map[string]*treeSchema
	required   []string
	// additional is the additionalProperties schema, nil if absent.
	additional *treeSchema

	items     *treeSchema   // items as one schema
	itemList  []*treeSchema // items as an array of schemas
	addItems  *treeSchema   // additionalItems, only with itemList
	minItems  int           // -1 if absent
	contains  *treeSchema
	allOf     []*treeSchema
	oneOf     []*treeSchema
	anyOf     []*treeSchema
	names     *treeSchema // propertyNames, nil if absent (tree_names.go)
	hasObject bool        // properties, required, additional or names is set
	hasArray  bool        // an array keyword is set
}

// errUnsupported is wrapped by the error of compiling a schema that uses
// what a treeSchema does not know.
var errUnsupported = errors.New("not supported by the tree validator")

// treeCompiler compiles one schema document.
type treeCompiler struct {
	root     any
	byPtr    map[string]*treeSchema // compiled subschemas by JSON pointer
	patterns map[string]*regexp.Regexp
}

// compileTree compiles doc, a schema document decoded by jsonobj.Parse, at
// its root. Only references within the document ("#…") are followed.
func compileTree(doc any) (*treeSchema, error) {
	c := &treeCompiler{root: doc, byPtr: make(map[string]*treeSchema), patterns: make(map[string]*regexp.Regexp)}
	s, err := c.compile(doc, "")
	if err != nil {
		return nil, err
	}
	// A cycle of schemas applied to the same value ($ref, allOf, oneOf)
	// would never end; the general validator reports it as an error.
	state := make(map[*treeSchema]int) // 1 on the path, 2 done
	var visit func(s *treeSchema) bool
	visit = func(s *treeSchema) bool {
		switch state[s] {
		case 1:
			return false
		case 2:
			return true
		}
		state[s] = 1
		for _, sub := range slices.Concat([]*treeSchema{s.ref}, s.allOf, s.oneOf, s.anyOf) {
			if sub != nil && !visit(sub) {
				return false
			}
		}
		state[s] = 2
		return true
	}
	for _, sub := range c.byPtr {
		if !visit(sub) {
			return nil, fmt.Errorf("a cycle of references that never reaches into the value: %w", errUnsupported)
		}
	}
	return s, nil
}

func (c *treeCompiler) compile(v any, ptr string) (*treeSchema, error) {
	if s, ok := c.byPtr[ptr]; ok {
		return s, nil
	}
	s := &treeSchema{minItems: -1}
	c.byPtr[ptr] = s // before the members: a reference may lead back here
	if b, ok := v.(bool); ok {
		s.boolean, s.always = true, b
		return s, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("schema at %q is a %T, not an object or a boolean", ptr, v)
	}
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names) // errors in a stable order
	for _, k := range names {
		if !treeKeywords[k] {
			return nil, fmt.Errorf("keyword %q at %q: %w", k, ptr, errUnsupported)
		}
		if err := c.keyword(s, k, m[k], ptr+"/"+escapeToken(k)); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// keyword compiles the member k of a schema, whose value v is at ptr.
func (c *treeCompiler) keyword(s *treeSchema, k string, v any, ptr string) error {
	var err error
	bad := func(want string) error { return fmt.Errorf("%s at %q is a %T, not %s", k, ptr, v, want) }
	switch k {
	case "$schema", "$comment", "title", "description", "$defs":
		// $defs are compiled where they are referred to.
	case "$id":
		if strings.Count(ptr, "/") != 1 {
			return fmt.Errorf("$id at %q below the root: %w", ptr, errUnsupported)
		}
	case "type":
		switch t := v.(type) {
		case string:
			if s.types = typeBits[t]; s.types == 0 {
				return fmt.Errorf("type %q at %q: %w", t, ptr, errUnsupported)
			}
		case []any:
			for _, e := range t {
				name, _ := e.(string)
				b := typeBits[name]
				if b == 0 {
					return fmt.Errorf("type %v at %q: %w", e, ptr, errUnsupported)
				}
				s.types |= b
			}
			if s.types == 0 {
				return fmt.Errorf("empty type at %q: %w", ptr, errUnsupported)
			}
		default:
			return bad("a string or an array")
		}
	case "enum":
		list, ok := v.([]any)
		if !ok {
			return bad("an array")
		}
		s.enum = make([]string, 0, len(list))
		for _, e := range list {
			str, ok := e.(string)
			if !ok {
				return fmt.Errorf("enum value %v at %q is not a string: %w", e, ptr, errUnsupported)
			}
			s.enum = append(s.enum, str)
		}
	case "format":
		switch v {
		case "date":
			s.format = formatDate
		case "date-time":
			s.format = formatDateTime
		default:
			return fmt.Errorf("format %v at %q: %w", v, ptr, errUnsupported)
		}
	case "pattern":
		p, ok := v.(string)
		if !ok {
			return bad("a string")
		}
		if s.pattern = c.patterns[p]; s.pattern == nil {
			if s.pattern, err = regexp.Compile(p); err != nil {
				return fmt.Errorf("pattern at %q: %w", ptr, err)
			}
			c.patterns[p] = s.pattern
		}
	case "$ref":
		r, ok := v.(string)
		if !ok {
			return bad("a string")
		}
		s.ref, err = c.ref(r)
		return err
	case "properties":
		m, ok := v.(map[string]any)
		if !ok {
			return bad("an object")
		}
		s.hasObject = true
		s.properties = make(map[string]*treeSchema, len(m))
		for name, sub := range m {
			if s.properties[name], err = c.compile(sub, ptr+"/"+escapeToken(name)); err != nil {
				return err
			}
		}
	case "required":
		list, ok := v.([]any)
		if !ok {
			return bad("an array")
		}
		s.hasObject = true
		for _, e := range list {
			name, ok := e.(string)
			if !ok {
				return bad("an array of strings")
			}
			s.required = append(s.required, name)
		}
	case "additionalProperties":
		s.hasObject = true
		s.additional, err = c.compile(v, ptr)
	case "items":
		s.hasArray = true
		if list, ok := v.([]any); ok {
			s.itemList = make([]*treeSchema, len(list))
			for i, sub := range list {
				if s.itemList[i], err = c.compile(sub, ptr+"/"+strconv.Itoa(i)); err != nil {
					return err
				}
			}
			return nil
		}
		s.items, err = c.compile(v, ptr)
	case "additionalItems":
		s.hasArray = true
		s.addItems, err = c.compile(v, ptr)
	case "minItems":
		n, ok := v.(json.Number)
		if !ok {
			return bad("a number")
		}
		i, perr := strconv.Atoi(string(n))
		if perr != nil || i < 0 {
			return fmt.Errorf("minItems %v at %q: %w", v, ptr, errUnsupported)
		}
		s.hasArray, s.minItems = true, i
	case "contains":
		s.hasArray = true
		s.contains, err = c.compile(v, ptr)
	case "propertyNames":
		s.hasObject = true
		s.names, err = c.compileNames(v, ptr)
	case "allOf", "oneOf", "anyOf":
		list, ok := v.([]any)
		if !ok || len(list) == 0 {
			return bad("a non-empty array")
		}
		subs := make([]*treeSchema, len(list))
		for i, sub := range list {
			if subs[i], err = c.compile(sub, ptr+"/"+strconv.Itoa(i)); err != nil {
				return err
			}
		}
		switch k {
		case "allOf":
			s.allOf = subs
		case "oneOf":
			s.oneOf = subs
		default:
			s.anyOf = subs
		}
	default:
		return fmt.Errorf("keyword %q at %q: %w", k, ptr, errUnsupported)
	}
	return err
}

// ref compiles the target of a reference within the document.
func (c *treeCompiler) ref(r string) (*treeSchema, error) {
	frag, ok := strings.CutPrefix(r, "#")
	if !ok {
		return nil, fmt.Errorf("$ref %q outside the document: %w", r, errUnsupported)
	}
	frag, err := url.PathUnescape(frag)
	if err != nil {
		return nil, fmt.Errorf("$ref %q: %w", r, err)
	}
	if frag != "" && !strings.HasPrefix(frag, "/") {
		return nil, fmt.Errorf("$ref %q to an anchor: %w", r, errUnsupported)
	}
	v := c.root
	for _, tok := range strings.Split(frag, "/")[1:] {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch x := v.(type) {
		case map[string]any:
			if v, ok = x[tok]; !ok {
				return nil, fmt.Errorf("$ref %q: no %q", r, tok)
			}
		default:
			return nil, fmt.Errorf("$ref %q: %w", r, errUnsupported)
		}
	}
	return c.compile(v, frag)
}

// valid reports whether the value at node n of t is valid against s. It
// allocates nothing (a failing format check aside).
func (s *treeSchema) valid(t *jsonobj.Tree, n int) bool {
	if s.boolean {
		return s.always
	}
	nd := &t.Nodes[n]
	if s.types != 0 && s.types&kindBits[nd.Kind] == 0 {
		return false
	}
	if s.enum != nil && (nd.Kind != jsonobj.String || !slices.Contains(s.enum, nd.Str)) {
		return false
	}
	if nd.Kind == jsonobj.String {
		switch s.format {
		case formatDate:
			if !validDate(nd.Str) {
				return false
			}
		case formatDateTime:
			if !validDateTime(nd.Str) {
				return false
			}
		}
		if s.pattern != nil && !s.pattern.MatchString(nd.Str) {
			return false
		}
	}
	if s.ref != nil && !s.ref.valid(t, n) {
		return false
	}
	switch {
	case nd.Kind == jsonobj.Object && s.hasObject:
		if !s.validObject(t, n) {
			return false
		}
	case nd.Kind == jsonobj.Array && s.hasArray:
		if !s.validArray(t, n) {
			return false
		}
	}
	for _, sub := range s.allOf {
		if !sub.valid(t, n) {
			return false
		}
	}
	if s.oneOf != nil {
		matched := 0
		for _, sub := range s.oneOf {
			if sub.valid(t, n) {
				matched++
			}
		}
		if matched != 1 {
			return false
		}
	}
	if s.anyOf != nil {
		for _, sub := range s.anyOf {
			if sub.valid(t, n) {
				return true
			}
		}
		return false
	}
	return true
}

func (s *treeSchema) validObject(t *jsonobj.Tree, n int) bool {
	for _, name := range s.required {
		if t.Child(n, name) < 0 {
			return false
		}
	}
	end := int(t.Nodes[n].End)
	for c := n + 1; c < end; c = int(t.Nodes[c].End) {
		if s.names != nil && !s.names.validName(t.Nodes[c].Key) {
			return false
		}
		if sub, ok := s.properties[t.Nodes[c].Key]; ok {
			if !sub.valid(t, c) {
				return false
			}
		} else if s.additional != nil && !s.additional.valid(t, c) {
			return false
		}
	}
	return true
}

func (s *treeSchema) validArray(t *jsonobj.Tree, n int) bool {
	end := int(t.Nodes[n].End)
	count := 0
	matched := false
	for c := n + 1; c < end; c = int(t.Nodes[c].End) {
		switch {
		case s.items != nil:
			if !s.items.valid(t, c) {
				return false
			}
		case count < len(s.itemList):
			if !s.itemList[count].valid(t, c) {
				return false
			}
		case s.itemList != nil && s.addItems != nil:
			if !s.addItems.valid(t, c) {
				return false
			}
		}
		if s.contains != nil && !matched && s.contains.valid(t, c) {
			matched = true
		}
		count++
	}
	if count < s.minItems {
		return false
	}
	return s.contains == nil || matched
}
