package jsonobj

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// ErrTooLarge is returned by Scan when a document exceeds its size limit.
var ErrTooLarge = errors.New("document too large")

// ErrTooDeep is returned by Scan when a document nests deeper than its limit.
var ErrTooDeep = errors.New("document nested too deeply")

// ErrDuplicateMember is returned by Scan when an object names a member twice.
var ErrDuplicateMember = errors.New("duplicate object member")

// Scan checks, in one pass and without recursion, that data is a single
// well-formed JSON value of at most maxBytes bytes, encoded as UTF-8, nesting
// arrays and objects at most maxDepth deep, and with no object naming a
// member twice (RFC 8259 leaves duplicates undefined, and parsers disagree on
// them, which is how signed documents get misread). Errors are *Error values
// locating the fault when it has a place, wrapping ErrTooLarge, ErrTooDeep or
// ErrDuplicateMember where those apply.
func Scan(data []byte, maxBytes, maxDepth int) error {
	if len(data) > maxBytes {
		return &Error{Err: fmt.Errorf("%w: %d bytes, the limit is %d", ErrTooLarge, len(data), maxBytes)}
	}
	if !utf8.Valid(data) {
		return &Error{Err: errors.New("document is not valid UTF-8")}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	type frame struct {
		object bool
		keys   map[string]struct{}
		index  int    // next array index
		key    string // current member name
		expect bool   // object: next token is a member name
	}
	var stack []*frame
	path := func() string {
		var p []byte
		for _, f := range stack {
			p = append(p, '/')
			if f.object {
				p = append(p, escape(f.key)...)
			} else {
				p = fmt.Appendf(p, "%d", f.index)
			}
		}
		return string(p)
	}
	// value is called after each complete value inside a container.
	value := func() {
		if n := len(stack); n > 0 {
			top := stack[n-1]
			if top.object {
				top.expect = true
			} else {
				top.index++
			}
		}
	}
	var tooDeep error
	scalarOrOpen := func(tok json.Token) {
		switch tok {
		case json.Delim('{'), json.Delim('['):
			if len(stack) >= maxDepth {
				tooDeep = &Error{Pointer: path(), Err: fmt.Errorf("%w: the limit is %d levels", ErrTooDeep, maxDepth)}
				return
			}
			obj := tok == json.Delim('{')
			f := &frame{object: obj, expect: obj}
			if obj {
				f.keys = make(map[string]struct{})
			}
			stack = append(stack, f)
		case json.Delim(']'):
			stack = stack[:len(stack)-1]
			value()
		default:
			value()
		}
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return &Error{Err: errors.New("unexpected end of JSON input")}
		}
		if err != nil {
			return &Error{Pointer: path(), Err: syntaxMessage(err)}
		}
		top := (*frame)(nil)
		if n := len(stack); n > 0 {
			top = stack[n-1]
		}
		switch {
		case top != nil && top.object && top.expect && tok == json.Delim('}'):
			stack = stack[:len(stack)-1]
			value()
		case top != nil && top.object && top.expect:
			key := tok.(string) // the decoder only yields strings here
			top.key = key
			if _, dup := top.keys[key]; dup {
				return &Error{Pointer: path(), Err: fmt.Errorf("%w %q", ErrDuplicateMember, key)}
			}
			top.keys[key] = struct{}{}
			top.expect = false
			continue
		default:
			scalarOrOpen(tok)
		}
		if tooDeep != nil {
			return tooDeep
		}
		if len(stack) == 0 {
			// One complete top-level value; anything after it is an error.
			if dec.More() {
				return &Error{Err: errors.New("more than one JSON value")}
			}
			if _, err := dec.Token(); err != io.EOF {
				return &Error{Err: errors.New("unexpected data after the JSON value")}
			}
			return nil
		}
	}
}

func syntaxMessage(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("invalid JSON at byte %d: %s", se.Offset, se.Error())
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("unexpected end of JSON input")
	}
	return err
}
