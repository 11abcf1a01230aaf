// Package jsonobj decodes and encodes JSON objects into Go structs while
// keeping the members a struct does not model, and reports where in a
// document a value went wrong as an RFC 6901 JSON pointer.
//
// It exists because the data model must survive a read/write round trip:
// unknown properties and the lexical form of values are kept verbatim,
// which encoding/json alone does not do.
package jsonobj

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Fields describes how one struct type maps to a JSON object. Build it once
// per type with FieldsOf and reuse it; it is immutable and safe for
// concurrent use.
type Fields struct {
	typ    reflect.Type
	byName map[string]*field
	order  []*field
}

type field struct {
	name      string
	index     []int
	omitEmpty bool
}

// FieldsOf describes the struct type t. Exported fields with a json tag name
// (other than "-") become object members; anonymous (embedded) struct fields
// without a tag contribute their own fields, as in encoding/json. Members are
// encoded in the order given by order first (names not in t are a
// programming error and panic), then in declaration order.
func FieldsOf(t reflect.Type, order ...string) *Fields {
	if t.Kind() != reflect.Struct {
		panic("jsonobj: FieldsOf needs a struct type, got " + t.String())
	}
	f := &Fields{typ: t, byName: make(map[string]*field)}
	var walk func(t reflect.Type, prefix []int)
	walk = func(t reflect.Type, prefix []int) {
		for i := range t.NumField() {
			sf := t.Field(i)
			idx := append(slices.Clone(prefix), i)
			tag, hasTag := sf.Tag.Lookup("json")
			if sf.Anonymous && !hasTag && sf.Type.Kind() == reflect.Struct {
				walk(sf.Type, idx)
				continue
			}
			if !sf.IsExported() || !hasTag {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			if name == "-" || name == "" {
				continue
			}
			if _, dup := f.byName[name]; dup {
				panic("jsonobj: duplicate member " + name + " in " + t.String())
			}
			fl := &field{name: name, index: idx, omitEmpty: strings.Contains(","+opts+",", ",omitempty,")}
			f.byName[name] = fl
			f.order = append(f.order, fl)
		}
	}
	walk(t, nil)
	if len(order) > 0 {
		var sorted []*field
		for _, name := range order {
			fl, ok := f.byName[name]
			if !ok {
				panic("jsonobj: order names unknown member " + name + " of " + t.String())
			}
			sorted = append(sorted, fl)
		}
		for _, fl := range f.order {
			if !slices.Contains(order, fl.name) {
				sorted = append(sorted, fl)
			}
		}
		f.order = sorted
	}
	return f
}

// Names returns the names of the members the struct models, in no
// particular order.
func (f *Fields) Names() []string {
	names := make([]string, 0, len(f.byName))
	for name := range f.byName {
		names = append(names, name)
	}
	return names
}

// Has reports whether name is a member the struct models.
func (f *Fields) Has(name string) bool {
	_, ok := f.byName[name]
	return ok
}

// Decode decodes the JSON object data into the struct v points to. Members
// the struct models are decoded into their fields with encoding/json (so
// field types may implement json.Unmarshaler); every other member is stored
// verbatim in *extra, which is set to nil when there are none. A value that
// is not an object, or a member that fails to decode, gives an *Error whose
// Pointer locates it. JSON null members are treated as absent.
func (f *Fields) Decode(data []byte, v any, extra *map[string]json.RawMessage, class string) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.Elem().Type() != f.typ {
		panic("jsonobj: Decode needs a *" + f.typ.String())
	}
	if Describe(data) != "an object" {
		return &Error{Err: fmt.Errorf("want %s object, got %s", class, Describe(data))}
	}
	// The object is walked twice, without making a list of its members:
	// first to find what splitObject would refuse, then to decode.
	if err := eachMember(data, func(quoted, _ []byte) error {
		if plainName(quoted) {
			return nil
		}
		_, err := decodeName(quoted)
		return err
	}); err != nil {
		return &Error{Err: err}
	}
	sv := rv.Elem()
	var ext map[string]json.RawMessage
	// A later member of the same name wins, as in encoding/json (Scan
	// refuses such documents before they get here).
	err := eachMember(data, func(quoted, value []byte) error {
		var fl *field
		var name string
		if plainName(quoted) {
			// Looked up without making a string of the name.
			fl = f.byName[string(quoted[1:len(quoted)-1])]
		} else {
			name, _ = decodeName(quoted) // checked above
			fl = f.byName[name]
		}
		if fl == nil {
			if name == "" {
				name = string(quoted[1 : len(quoted)-1])
			}
			if ext == nil {
				ext = make(map[string]json.RawMessage)
			}
			ext[name] = slices.Clone(value) // not an alias of the caller's buffer
			return nil
		}
		if isNull(value) {
			return nil
		}
		if err := decodeValue(value, sv.FieldByIndex(fl.index)); err != nil {
			return At(fl.name, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	*extra = ext
	return nil
}

// plainName reports whether the member name written as quoted is its own
// decoding, quotes aside: no escape, control character or non-ASCII byte.
func plainName(quoted []byte) bool {
	for _, c := range quoted[1 : len(quoted)-1] {
		if c == '\\' || c < 0x20 || c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// DecodeValue decodes raw into the value v points to: through its
// UnmarshalJSON method if it has one, called directly so the bytes are not
// checked again, and otherwise with encoding/json.
func DecodeValue(raw []byte, v any) error {
	return decodeValue(raw, reflect.ValueOf(v).Elem())
}

func decodeValue(raw []byte, fv reflect.Value) error {
	if fv.Type() == numberType && Describe(raw) != "a number" {
		// encoding/json would take a string holding a number.
		return fmt.Errorf("want a number, got %s", Describe(raw))
	}
	if fv.Kind() == reflect.Pointer {
		if fv.IsNil() {
			fv.Set(reflect.New(fv.Type().Elem()))
		}
		if u, ok := fv.Interface().(json.Unmarshaler); ok {
			return u.UnmarshalJSON(raw)
		}
	} else if u, ok := fv.Addr().Interface().(json.Unmarshaler); ok {
		return u.UnmarshalJSON(raw)
	}
	if fv.Kind() == reflect.String && fv.Type() != numberType {
		if s, ok := DecodeString(raw); ok {
			fv.SetString(s)
			return nil
		}
	}
	if err := json.Unmarshal(raw, fv.Addr().Interface()); err != nil {
		return explain(err)
	}
	return nil
}

// Encode encodes the struct v (a struct value or pointer) and extra as one
// JSON object: modelled members first, in the order FieldsOf fixed, with
// omitempty members left out when empty (zero values, nil pointers, empty
// slices and maps); then the extra members sorted by name. HTML characters
// are not escaped. An extra member that duplicates a modelled one is an
// error.
func (f *Fields) Encode(v any, extra map[string]json.RawMessage) ([]byte, error) {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer {
		rv = rv.Elem()
	}
	if rv.Type() != f.typ {
		panic("jsonobj: Encode needs a " + f.typ.String())
	}
	var buf bytes.Buffer
	buf.WriteByte('{')
	first := true
	member := func(name string) {
		if !first {
			buf.WriteByte(',')
		}
		first = false
		writeString(&buf, name)
		buf.WriteByte(':')
	}
	for _, fl := range f.order {
		fv := rv.FieldByIndex(fl.index)
		if fl.omitEmpty && isEmpty(fv) {
			continue
		}
		b, err := Marshal(fv.Interface())
		if err != nil {
			return nil, At(fl.name, err)
		}
		member(fl.name)
		buf.Write(b)
	}
	names := make([]string, 0, len(extra))
	for name := range extra {
		if _, dup := f.byName[name]; dup {
			return nil, &Error{Err: fmt.Errorf("extra member %q duplicates a modelled field", name)}
		}
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		raw := extra[name]
		if len(raw) == 0 {
			raw = json.RawMessage("null")
		}
		member(name)
		if err := json.Compact(&buf, raw); err != nil {
			return nil, At(name, fmt.Errorf("extra member is not valid JSON: %w", err))
		}
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// Marshal is json.Marshal without HTML escaping and without the trailing
// newline an Encoder adds.
func Marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func writeString(buf *bytes.Buffer, s string) {
	b, _ := Marshal(s) // a string always marshals
	buf.Write(b)
}

var numberType = reflect.TypeFor[json.Number]()

func isNull(raw json.RawMessage) bool {
	return string(bytes.TrimSpace(raw)) == "null"
}

func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Slice, reflect.Map:
		return v.Len() == 0
	case reflect.Pointer, reflect.Interface:
		return v.IsNil()
	}
	return v.IsZero()
}

// Describe names the kind of JSON value data holds, for error messages:
// "a string", "an array", "an object", "a number", "a boolean", "null" or
// "invalid JSON".
func Describe(data []byte) string {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return "nothing"
	}
	switch data[0] {
	case '"':
		return "a string"
	case '[':
		return "an array"
	case '{':
		return "an object"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	if data[0] == '-' || (data[0] >= '0' && data[0] <= '9') {
		return "a number"
	}
	return "invalid JSON"
}

// explain turns encoding/json's errors into messages about the document.
func explain(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		want := kindName(te.Type)
		e := &Error{Err: fmt.Errorf("want %s, got %s", want, article(te.Value))}
		if te.Field != "" {
			for _, part := range slices.Backward(strings.Split(te.Field, ".")) {
				e.Pointer = "/" + escape(part) + e.Pointer
			}
		}
		return e
	}
	return err
}

func article(jsonKind string) string {
	switch jsonKind {
	case "array", "object":
		return "an " + jsonKind
	case "string", "number", "bool":
		if jsonKind == "bool" {
			jsonKind = "boolean"
		}
		return "a " + jsonKind
	}
	if strings.HasPrefix(jsonKind, "number") {
		return "the number" + strings.TrimPrefix(jsonKind, "number")
	}
	return jsonKind
}

func kindName(t reflect.Type) string {
	if t == numberType {
		return "a number"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "a number"
	}
	return t.String()
}

// Error reports a problem with the value at Pointer in a JSON document.
type Error struct {
	Pointer string // RFC 6901 JSON pointer; "" is the whole document
	Err     error
}

func (e *Error) Error() string {
	p := e.Pointer
	if p == "" {
		p = "/"
	}
	return p + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// At locates err under the object member name: an *Error gets "/name"
// prefixed to its pointer, any other error becomes an *Error at "/name".
func At(name string, err error) error {
	return prefix("/"+escape(name), err)
}

// AtIndex locates err under array element i.
func AtIndex(i int, err error) error {
	return prefix("/"+strconv.Itoa(i), err)
}

func prefix(seg string, err error) error {
	if err == nil {
		return nil
	}
	if e, ok := err.(*Error); ok {
		return &Error{Pointer: seg + e.Pointer, Err: e.Err}
	}
	return &Error{Pointer: seg, Err: err}
}

// Escape escapes one reference token for a JSON pointer (RFC 6901 §3).
func Escape(token string) string { return escape(token) }

func escape(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}
