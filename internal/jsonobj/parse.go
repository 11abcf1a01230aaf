package jsonobj

import (
	"encoding/json"
	"errors"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// A Member is one member of a JSON object that ParseObject read: its name,
// its value decoded, and where the value's bytes are in the input.
type Member struct {
	Name  string
	Value any
	// Start and End delimit the value's bytes, data[Start:End].
	Start, End int
}

// Parse decodes data, a single JSON value, as encoding/json decodes into
// an interface value with UseNumber: objects as map[string]any, arrays as
// []any, numbers as json.Number, strings, booleans and nil. It accepts
// exactly what Scan accepts (at most maxBytes bytes, valid UTF-8, nesting
// at most maxDepth deep, no member named twice) and fails with Scan's error
// otherwise. It exists because the proof suites read every document they
// sign or verify, and encoding/json's generic decoding, after Scan, costs
// more than the rest of a signature.
func Parse(data []byte, maxBytes, maxDepth int) (any, error) {
	p := parser{data: data, maxDepth: maxDepth}
	if len(data) <= maxBytes && utf8.Valid(data) {
		p.skipSpace()
		v, ok := p.value(0)
		if ok {
			p.skipSpace()
			if p.i == len(data) {
				return v, nil
			}
		}
	}
	return nil, p.explain(maxBytes)
}

// ParseObject is Parse for a document that must be a JSON object; it
// returns the object's members in document order, with their places, and
// the offset of the object's closing brace.
func ParseObject(data []byte, maxBytes, maxDepth int) (members []Member, closing int, err error) {
	p := parser{data: data, maxDepth: maxDepth}
	if len(data) <= maxBytes && utf8.Valid(data) {
		p.skipSpace()
		if p.i < len(data) && data[p.i] == '{' {
			members, ok := p.members(0)
			if ok {
				closing = p.i - 1
				p.skipSpace()
				if p.i == len(data) {
					return members, closing, nil
				}
			}
		} else if p.i < len(data) {
			if err := Scan(data, maxBytes, maxDepth); err != nil {
				return nil, 0, err
			}
			return nil, 0, &Error{Err: errors.New("the document is not a JSON object")}
		}
	}
	return nil, 0, p.explain(maxBytes)
}

// explain returns Scan's error for a document the parser refused. Scan
// says where and why; the parser only knows that it failed.
func (p *parser) explain(maxBytes int) error {
	if err := Scan(p.data, maxBytes, p.maxDepth); err != nil {
		return err
	}
	// Scan and the parser disagree: the parser must not accept less.
	return &Error{Err: errors.New("invalid JSON")}
}

type parser struct {
	data     []byte
	i        int
	maxDepth int
	intern   map[string]string // strings to use instead of new copies
}

func (p *parser) skipSpace() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// value reads one value at p.i (after whitespace); depth is the number of
// arrays and objects it is inside.
func (p *parser) value(depth int) (any, bool) {
	if p.i >= len(p.data) {
		return nil, false
	}
	switch c := p.data[p.i]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		return p.string()
	case c == 't':
		return true, p.literal("true")
	case c == 'f':
		return false, p.literal("false")
	case c == 'n':
		return nil, p.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	}
	return nil, false
}

func (p *parser) literal(s string) bool {
	if len(p.data)-p.i < len(s) || string(p.data[p.i:p.i+len(s)]) != s {
		return false
	}
	p.i += len(s)
	return true
}

// members reads an object at p.i.
func (p *parser) members(depth int) ([]Member, bool) {
	if depth >= p.maxDepth {
		return nil, false
	}
	p.i++ // {
	p.skipSpace()
	var members []Member
	var seen map[string]struct{} // the names, once there are many
	if p.i < len(p.data) && p.data[p.i] == '}' {
		p.i++
		return members, true
	}
	for {
		if p.i >= len(p.data) || p.data[p.i] != '"' {
			return nil, false
		}
		name, ok := p.string()
		if !ok {
			return nil, false
		}
		if seen != nil {
			if _, dup := seen[name]; dup {
				return nil, false
			}
			seen[name] = struct{}{}
		} else {
			for _, m := range members {
				if m.Name == name {
					return nil, false
				}
			}
			if len(members) == 16 {
				seen = make(map[string]struct{}, 32)
				for _, m := range members {
					seen[m.Name] = struct{}{}
				}
				seen[name] = struct{}{}
			}
		}
		p.skipSpace()
		if p.i >= len(p.data) || p.data[p.i] != ':' {
			return nil, false
		}
		p.i++
		p.skipSpace()
		start := p.i
		v, ok := p.value(depth + 1)
		if !ok {
			return nil, false
		}
		members = append(members, Member{Name: name, Value: v, Start: start, End: p.i})
		p.skipSpace()
		if p.i >= len(p.data) {
			return nil, false
		}
		switch p.data[p.i] {
		case ',':
			p.i++
			p.skipSpace()
		case '}':
			p.i++
			return members, true
		default:
			return nil, false
		}
	}
}

// object reads an object at p.i into a map; members does the same for the
// top level, keeping the members' places.
func (p *parser) object(depth int) (any, bool) {
	if depth >= p.maxDepth {
		return nil, false
	}
	p.i++ // {
	p.skipSpace()
	m := make(map[string]any)
	if p.i < len(p.data) && p.data[p.i] == '}' {
		p.i++
		return m, true
	}
	for {
		if p.i >= len(p.data) || p.data[p.i] != '"' {
			return nil, false
		}
		name, ok := p.string()
		if !ok {
			return nil, false
		}
		if _, dup := m[name]; dup {
			return nil, false
		}
		p.skipSpace()
		if p.i >= len(p.data) || p.data[p.i] != ':' {
			return nil, false
		}
		p.i++
		p.skipSpace()
		v, ok := p.value(depth + 1)
		if !ok {
			return nil, false
		}
		m[name] = v
		p.skipSpace()
		if p.i >= len(p.data) {
			return nil, false
		}
		switch p.data[p.i] {
		case ',':
			p.i++
			p.skipSpace()
		case '}':
			p.i++
			return m, true
		default:
			return nil, false
		}
	}
}

func (p *parser) array(depth int) (any, bool) {
	if depth >= p.maxDepth {
		return nil, false
	}
	p.i++ // [
	p.skipSpace()
	list := []any{}
	if p.i < len(p.data) && p.data[p.i] == ']' {
		p.i++
		return list, true
	}
	for {
		v, ok := p.value(depth + 1)
		if !ok {
			return nil, false
		}
		list = append(list, v)
		p.skipSpace()
		if p.i >= len(p.data) {
			return nil, false
		}
		switch p.data[p.i] {
		case ',':
			p.i++
			p.skipSpace()
		case ']':
			p.i++
			return list, true
		default:
			return nil, false
		}
	}
}

// number reads a number in RFC 8259's grammar, which is encoding/json's.
func (p *parser) number() (any, bool) {
	d, start := p.data, p.i
	i := p.i
	if d[i] == '-' {
		i++
	}
	digits := func() bool {
		j := i
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
		return i > j
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case i < len(d) && d[i] >= '1' && d[i] <= '9':
		digits()
	default:
		return nil, false
	}
	if i < len(d) && d[i] == '.' {
		i++
		if !digits() {
			return nil, false
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if !digits() {
			return nil, false
		}
	}
	p.i = i
	return json.Number(d[start:i]), true
}

// string reads a string at p.i, decoding escapes as encoding/json does: a
// \u escape of a lone surrogate becomes U+FFFD.
func (p *parser) string() (string, bool) {
	d := p.data
	i := p.i + 1
	start := i
	// The common case: no escapes.
	for i < len(d) {
		c := d[i]
		if c == '"' {
			p.i = i + 1
			if s, ok := p.intern[string(d[start:i])]; ok {
				return s, true
			}
			return string(d[start:i]), true
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return "", false
		}
		i++
	}
	buf := make([]byte, 0, i-start+16)
	buf = append(buf, d[start:i]...)
	for i < len(d) {
		c := d[i]
		switch {
		case c == '"':
			p.i = i + 1
			return string(buf), true
		case c < 0x20:
			return "", false
		case c != '\\':
			buf = append(buf, c)
			i++
			continue
		}
		i++
		if i >= len(d) {
			return "", false
		}
		switch d[i] {
		case '"', '\\', '/':
			buf = append(buf, d[i])
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := hex4(d, i+1)
			if !ok {
				return "", false
			}
			i += 4
			if utf16.IsSurrogate(r) {
				// A pair, if a low surrogate escape follows.
				if i+6 < len(d) && d[i+1] == '\\' && d[i+2] == 'u' {
					if r2, ok := hex4(d, i+3); ok {
						if pair := utf16.DecodeRune(r, r2); pair != utf8.RuneError {
							buf = utf8.AppendRune(buf, pair)
							i += 7
							continue
						}
					}
				}
				r = utf8.RuneError
			}
			buf = utf8.AppendRune(buf, r)
		default:
			return "", false
		}
		i++
	}
	return "", false
}

func hex4(d []byte, i int) (rune, bool) {
	if i+4 > len(d) {
		return 0, false
	}
	n, err := strconv.ParseUint(string(d[i:i+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	return rune(n), true
}
