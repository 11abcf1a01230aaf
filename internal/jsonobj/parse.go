package jsonobj

import (
	"errors"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// Parse decodes data, a single JSON value, as encoding/json decodes into
// an interface value with UseNumber: objects as map[string]any, arrays as
// []any, numbers as json.Number, strings, booleans and nil. It accepts
// exactly what Scan accepts (at most maxBytes bytes, valid UTF-8, nesting
// at most maxDepth deep, no member named twice) and fails with Scan's error
// otherwise. It is ParseTree, then Tree.Value; a caller that reads the
// value once (a proof suite, a safe-mode check) does better with the tree.
func Parse(data []byte, maxBytes, maxDepth int) (any, error) {
	var t Tree
	if err := ParseTree(data, maxBytes, maxDepth, &t); err != nil {
		return nil, err
	}
	return t.Value(0), nil
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

func (p *parser) literal(s string) bool {
	if len(p.data)-p.i < len(s) || string(p.data[p.i:p.i+len(s)]) != s {
		return false
	}
	p.i += len(s)
	return true
}

// number reads a number in RFC 8259's grammar, which is encoding/json's.
func (p *parser) number() (string, bool) {
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
		return "", false
	}
	if i < len(d) && d[i] == '.' {
		i++
		if !digits() {
			return "", false
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if !digits() {
			return "", false
		}
	}
	p.i = i
	return string(d[start:i]), true
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
