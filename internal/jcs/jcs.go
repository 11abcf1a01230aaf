// Package jcs turns JSON text into its RFC 8785 JSON Canonicalization Scheme
// (JCS) form, the exact bytes that the eddsa-jcs-2022 and ecdsa-jcs-2019 Data
// Integrity cryptosuites hash and sign. It is a strict single-pass parser that
// rejects any input without a single canonical form (duplicate member names,
// invalid Unicode, numbers beyond IEEE 754 doubles) instead of guessing.
package jcs

import (
	"slices"
	"sync"
	"unicode/utf8"
)

// MaxDepth is the deepest nesting of arrays and objects that Transform
// accepts: a document may have at most MaxDepth containers open at once, so
// 128 nested "[" are accepted and 129 are rejected with ErrTooDeep. It bounds
// the parser's recursion on hostile input; real credentials nest a handful of
// levels.
const MaxDepth = 128

// Transform returns the RFC 8785 canonical form of the JSON text data.
//
// data must be one JSON value (RFC 8259), optionally surrounded by the four
// JSON whitespace characters; a byte order mark is not accepted. Transform
// rejects invalid JSON, invalid UTF-8 (including UTF-8 encoded surrogates),
// duplicate object member names (compared after unescaping), lone surrogates
// in \u escapes, numbers that are not finite IEEE 754 doubles (e.g. 1e400;
// numbers that underflow, like 1e-400, become 0 as in ECMAScript), and
// nesting deeper than MaxDepth. Every error is an *Error.
//
// In the output, object members are sorted by the UTF-16 code units of their
// names, strings use the fewest escapes, numbers are written as ECMAScript's
// Number.prototype.toString writes them, and there is no whitespace.
func Transform(data []byte) ([]byte, error) {
	out, err := Append(make([]byte, 0, len(data)), data)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Append appends the RFC 8785 canonical form of the JSON text data to dst
// and returns the extended slice, like Transform. On error it returns dst
// unchanged (bytes past len(dst) in its array may have been overwritten).
func Append(dst, data []byte) ([]byte, error) {
	p := parserPool.Get().(*parser)
	p.data, p.pos, p.out, p.depth = data, 0, dst, 0
	err := p.document()
	out := p.out
	p.release()
	if err != nil {
		return dst, err
	}
	return out, nil
}

// member is one parsed object member while its object is being sorted. The
// decoded name is data[nameStart:nameEnd] when the input spelled it without
// escapes (then the raw bytes are the decoded name), or
// names[nameStart:nameEnd] when it had to be unescaped. The canonical
// `"name":value` text is out[start:end].
type member struct {
	nameStart, nameEnd int
	unescaped          bool
	start, end         int
	offset             int // of the name's opening quote in data
}

type parser struct {
	data  []byte
	pos   int
	out   []byte
	depth int

	// Stacks shared by all the objects being parsed: an object's members
	// and unescaped names sit above those of the objects enclosing it and
	// are popped when it closes.
	members []member
	names   []byte
	// scratch holds an object's members while they are written back sorted.
	scratch []byte
}

var parserPool = sync.Pool{New: func() any { return new(parser) }}

// maxPooled and maxPooledMembers cap the buffers a pooled parser keeps, so
// that one huge document does not pin its memory for the life of the process.
const (
	maxPooled        = 64 << 10
	maxPooledMembers = 1 << 10
)

func (p *parser) release() {
	p.data, p.out = nil, nil
	p.members = p.members[:0]
	p.names = p.names[:0]
	p.scratch = p.scratch[:0]
	if cap(p.members) > maxPooledMembers {
		p.members = nil
	}
	if cap(p.names) > maxPooled {
		p.names = nil
	}
	if cap(p.scratch) > maxPooled {
		p.scratch = nil
	}
	parserPool.Put(p)
}

func (p *parser) document() error {
	p.skipSpace()
	if p.pos == len(p.data) {
		if len(p.data) == 0 {
			return p.errAt(ErrSyntax, p.pos, "empty input")
		}
		return p.errAt(ErrSyntax, p.pos, "no JSON value, only whitespace")
	}
	if err := p.value(); err != nil {
		return err
	}
	p.skipSpace()
	if p.pos != len(p.data) {
		return p.errAt(ErrSyntax, p.pos, "invalid character "+quoteByte(p.data[p.pos])+" after top-level value")
	}
	return nil
}

func (p *parser) skipSpace() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

// value parses the value starting at p.pos (no leading whitespace) and
// appends its canonical form to p.out.
func (p *parser) value() error {
	if p.pos == len(p.data) {
		return p.errAt(ErrSyntax, p.pos, "unexpected end of input, want a value")
	}
	switch c := p.data[p.pos]; c {
	case '{':
		return p.object()
	case '[':
		return p.array()
	case '"':
		_, err := p.str()
		return err
	case 't':
		return p.literal("true")
	case 'f':
		return p.literal("false")
	case 'n':
		return p.literal("null")
	default:
		if c == '-' || c >= '0' && c <= '9' {
			return p.number()
		}
		if c >= utf8.RuneSelf {
			return p.errAt(ErrSyntax, p.pos, "invalid byte "+quoteByte(c)+" looking for the beginning of a value")
		}
		return p.errAt(ErrSyntax, p.pos, "invalid character "+quoteByte(c)+" looking for the beginning of a value")
	}
}

func (p *parser) literal(lit string) error {
	for i := 0; i < len(lit); i++ {
		if p.pos+i == len(p.data) {
			return p.errAt(ErrSyntax, p.pos+i, "unexpected end of input in literal "+lit)
		}
		if p.data[p.pos+i] != lit[i] {
			return p.errAt(ErrSyntax, p.pos+i, "invalid character "+quoteByte(p.data[p.pos+i])+" in literal "+lit)
		}
	}
	p.pos += len(lit)
	p.out = append(p.out, lit...)
	return nil
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > MaxDepth {
		return p.errAt(ErrTooDeep, p.pos, "more than "+itoa(MaxDepth)+" nested arrays and objects")
	}
	return nil
}

func (p *parser) array() error {
	if err := p.enter(); err != nil {
		return err
	}
	p.pos++ // '['
	p.out = append(p.out, '[')
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		p.out = append(p.out, ']')
		p.depth--
		return nil
	}
	for i := 0; ; i++ {
		p.skipSpace()
		if err := p.value(); err != nil {
			return atIndex(i, err)
		}
		p.skipSpace()
		if p.pos == len(p.data) {
			return p.errAt(ErrSyntax, p.pos, "unexpected end of input in array, want ',' or ']'")
		}
		switch c := p.data[p.pos]; c {
		case ',':
			p.pos++
			p.out = append(p.out, ',')
		case ']':
			p.pos++
			p.out = append(p.out, ']')
			p.depth--
			return nil
		default:
			return p.errAt(ErrSyntax, p.pos, "invalid character "+quoteByte(c)+" after array element, want ',' or ']'")
		}
	}
}

func (p *parser) object() error {
	if err := p.enter(); err != nil {
		return err
	}
	p.pos++ // '{'
	p.out = append(p.out, '{')
	body := len(p.out)
	base, namesBase := len(p.members), len(p.names)
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		p.out = append(p.out, '}')
		p.depth--
		return nil
	}
	for {
		p.skipSpace()
		if p.pos == len(p.data) {
			return p.errAt(ErrSyntax, p.pos, "unexpected end of input in object, want a member name")
		}
		if c := p.data[p.pos]; c != '"' {
			return p.errAt(ErrSyntax, p.pos, "invalid character "+quoteByte(c)+" looking for an object member name")
		}
		m := member{start: len(p.out), offset: p.pos}
		escaped, err := p.str()
		if err != nil {
			return err
		}
		if escaped {
			// Recover the decoded name from its canonical spelling, which
			// uses only the few escapes that appendUnescaped understands.
			m.unescaped = true
			m.nameStart = len(p.names)
			p.names = appendUnescaped(p.names, p.out[m.start+1:len(p.out)-1])
			m.nameEnd = len(p.names)
		} else {
			m.nameStart, m.nameEnd = m.offset+1, p.pos-1
		}
		p.skipSpace()
		if p.pos == len(p.data) {
			return atName(p.name(m), p.errAt(ErrSyntax, p.pos, "unexpected end of input after object member name, want ':'"))
		}
		if c := p.data[p.pos]; c != ':' {
			return atName(p.name(m), p.errAt(ErrSyntax, p.pos, "invalid character "+quoteByte(c)+" after object member name, want ':'"))
		}
		p.pos++
		p.out = append(p.out, ':')
		p.skipSpace()
		if err := p.value(); err != nil {
			return atName(p.name(m), err)
		}
		m.end = len(p.out)
		p.members = append(p.members, m)
		p.skipSpace()
		if p.pos == len(p.data) {
			return p.errAt(ErrSyntax, p.pos, "unexpected end of input in object, want ',' or '}'")
		}
		c := p.data[p.pos]
		if c == '}' {
			break
		}
		if c != ',' {
			return p.errAt(ErrSyntax, p.pos, "invalid character "+quoteByte(c)+" after object member, want ',' or '}'")
		}
		p.pos++
		p.out = append(p.out, ',')
	}
	if err := p.sortMembers(body, base); err != nil {
		return err
	}
	p.pos++ // '}'
	p.out = append(p.out, '}')
	p.members = p.members[:base]
	p.names = p.names[:namesBase]
	p.depth--
	return nil
}

// name returns the decoded name of m.
func (p *parser) name(m member) []byte {
	if m.unescaped {
		return p.names[m.nameStart:m.nameEnd]
	}
	return p.data[m.nameStart:m.nameEnd]
}

func (p *parser) compareMembers(a, b member) int {
	return compareUTF16(p.name(a), p.name(b))
}

// sortMembers puts the members p.members[base:], whose comma-separated
// canonical text is p.out[body:], in RFC 8785 order and rejects duplicate
// names. Input that is already in order, such as a canonical document being
// verified, is checked without moving anything.
func (p *parser) sortMembers(body, base int) error {
	ms := p.members[base:]
	inOrder := true
	for i := 1; i < len(ms); i++ {
		c := p.compareMembers(ms[i-1], ms[i])
		if c == 0 {
			return p.duplicate(ms[i])
		}
		if c > 0 {
			inOrder = false
			break
		}
	}
	if inOrder {
		return nil
	}
	slices.SortStableFunc(ms, p.compareMembers)
	for i := 1; i < len(ms); i++ {
		if p.compareMembers(ms[i-1], ms[i]) == 0 {
			// Stable sort: ms[i] came later in the input.
			return p.duplicate(ms[i])
		}
	}
	p.scratch = append(p.scratch[:0], p.out[body:]...)
	p.out = p.out[:body]
	for i, m := range ms {
		if i > 0 {
			p.out = append(p.out, ',')
		}
		p.out = append(p.out, p.scratch[m.start-body:m.end-body]...)
	}
	return nil
}

func (p *parser) duplicate(m member) error {
	name := p.name(m)
	return atName(name, p.errAt(ErrDuplicateName, m.offset, "duplicate object member name "+quote(name)))
}

// compareUTF16 orders two valid UTF-8 strings by their UTF-16 code units, as
// RFC 8785 section 3.2.3 requires. That is code point (and so UTF-8 byte)
// order except that supplementary characters, which UTF-16 writes as
// surrogates D800-DFFF, sort before U+E000-U+FFFF.
func compareUTF16(a, b []byte) int {
	n := min(len(a), len(b))
	i := 0
	for i < n && a[i] == b[i] {
		i++
	}
	if i == n {
		return len(a) - len(b)
	}
	if a[i] < utf8.RuneSelf || b[i] < utf8.RuneSelf {
		// At least one is an ASCII character, which sorts the same in
		// every encoding, against a different character.
		return int(a[i]) - int(b[i])
	}
	// Back up to the start of the character holding the first difference;
	// the bytes before i are the same in both, so it starts at the same
	// place in both.
	for i > 0 && !utf8.RuneStart(a[i]) {
		i--
	}
	ra, _ := utf8.DecodeRune(a[i:])
	rb, _ := utf8.DecodeRune(b[i:])
	return utf16Rank(ra) - utf16Rank(rb)
}

// utf16Rank maps code points to integers in UTF-16 code unit order.
func utf16Rank(r rune) int {
	if r >= 0xE000 && r <= 0xFFFF {
		return int(r) + 0x110000
	}
	return int(r)
}
