package rdfc

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// AppendQuad appends q to dst as one canonical N-Quads line, including the
// final "\n", and returns the extended slice. Terms are written as RDFC-1.0
// requires: IRIs verbatim between angle brackets, blank nodes as "_:label",
// literals with the canonical escapes (\" \\ \n \r \b \t \f, other control
// characters as \u00XX with upper-case hex), "@lang" for language-tagged
// literals, "^^<datatype>" unless the datatype is xsd:string, and no graph
// name for the default graph. AppendQuad does not validate q; terms that
// [Canonicalize] or [ParseNQuads] accept always give a parseable line.
func AppendQuad(dst []byte, q Quad) []byte {
	dst = appendTerm(dst, &q.Subject)
	dst = append(dst, ' ')
	dst = appendTerm(dst, &q.Predicate)
	dst = append(dst, ' ')
	dst = appendTerm(dst, &q.Object)
	if q.Graph.Kind != DefaultGraph {
		dst = append(dst, ' ')
		dst = appendTerm(dst, &q.Graph)
	}
	return append(dst, " .\n"...)
}

// appendTerm appends the canonical N-Quads form of t; the default graph
// appends nothing.
func appendTerm(dst []byte, t *Term) []byte {
	switch t.Kind {
	case IRI:
		dst = append(dst, '<')
		dst = append(dst, t.Value...)
		return append(dst, '>')
	case BlankNode:
		dst = append(dst, "_:"...)
		return append(dst, t.Value...)
	case Literal:
		dst = append(dst, '"')
		dst = appendEscaped(dst, t.Value)
		dst = append(dst, '"')
		if t.Language != "" {
			dst = append(dst, '@')
			return append(dst, t.Language...)
		}
		if t.Datatype != "" && t.Datatype != xsdString {
			dst = append(dst, "^^<"...)
			dst = append(dst, t.Datatype...)
			dst = append(dst, '>')
		}
	}
	return dst
}

// literalEscape[c] is the escape for the ASCII byte c inside a canonical
// literal: 0 means verbatim, 'u' means \u00XX, anything else is the ECHAR
// letter.
var literalEscape = [128]byte{
	0x00: 'u', 0x01: 'u', 0x02: 'u', 0x03: 'u', 0x04: 'u', 0x05: 'u', 0x06: 'u', 0x07: 'u',
	0x08: 'b', 0x09: 't', 0x0A: 'n', 0x0B: 'u', 0x0C: 'f', 0x0D: 'r', 0x0E: 'u', 0x0F: 'u',
	0x10: 'u', 0x11: 'u', 0x12: 'u', 0x13: 'u', 0x14: 'u', 0x15: 'u', 0x16: 'u', 0x17: 'u',
	0x18: 'u', 0x19: 'u', 0x1A: 'u', 0x1B: 'u', 0x1C: 'u', 0x1D: 'u', 0x1E: 'u', 0x1F: 'u',
	'"': '"', '\\': '\\', 0x7F: 'u',
}

const upperHex = "0123456789ABCDEF"

// appendEscaped appends the literal lexical form s with the canonical
// N-Quads escapes. Only ASCII bytes are escaped, so it works on UTF-8 bytes.
func appendEscaped(dst []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || literalEscape[c] == 0 {
			continue
		}
		dst = append(dst, s[start:i]...)
		start = i + 1
		if e := literalEscape[c]; e != 'u' {
			dst = append(dst, '\\', e)
		} else {
			dst = append(dst, '\\', 'u', '0', '0', upperHex[c>>4], upperHex[c&0xF])
		}
	}
	return append(dst, s[start:]...)
}

// ParseNQuads parses an N-Quads 1.1 document strictly: statements separated
// by line ends, '#' comments, blank lines, IRIs (absolute, with UCHAR
// escapes), blank node labels, and literals (with ECHAR and UCHAR escapes,
// an optional language tag or datatype IRI). Terms are returned normalized
// as in Result.Quads. Beyond the grammar it rejects input that is not UTF-8,
// escapes that give surrogates or characters an IRI may not contain, and
// rdf:langString literals without a language tag. Errors name the line
// number (the first line is 1). The parser is iterative, so its stack use
// does not depend on the input.
func ParseNQuads(data []byte) ([]Quad, error) {
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("rdfc: N-Quads line %d: invalid UTF-8", invalidUTF8Line(data))
	}
	p := parser{data: data, line: 1}
	var quads []Quad
	for {
		p.skipSpace()
		if p.pos >= len(p.data) {
			return quads, nil
		}
		switch c := p.data[p.pos]; c {
		case '\n', '\r':
			p.eol()
			continue
		case '#':
			p.skipComment()
			continue
		}
		q, err := p.statement()
		if err != nil {
			return nil, fmt.Errorf("rdfc: N-Quads line %d: %w", p.line, err)
		}
		quads = append(quads, q)
	}
}

// invalidUTF8Line returns the line number of the first invalid UTF-8 byte
// in data.
func invalidUTF8Line(data []byte) int {
	line := 1
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			break
		}
		if r == '\n' || r == '\r' && (i+1 >= len(data) || data[i+1] != '\n') {
			line++
		}
		i += n
	}
	return line
}

type parser struct {
	data []byte
	pos  int
	line int
	buf  []byte // scratch for unescaping
}

func (p *parser) skipSpace() {
	for p.pos < len(p.data) && (p.data[p.pos] == ' ' || p.data[p.pos] == '\t') {
		p.pos++
	}
}

// eol consumes one line end ("\n", "\r\n" or a lone "\r") and counts it.
func (p *parser) eol() {
	if p.data[p.pos] == '\r' && p.pos+1 < len(p.data) && p.data[p.pos+1] == '\n' {
		p.pos++
	}
	p.pos++
	p.line++
}

// skipComment consumes a comment up to, not including, the line end.
func (p *parser) skipComment() {
	for p.pos < len(p.data) && p.data[p.pos] != '\n' && p.data[p.pos] != '\r' {
		p.pos++
	}
}

func (p *parser) statement() (Quad, error) {
	var q Quad
	var err error
	if q.Subject, err = p.term("subject"); err != nil {
		return q, err
	}
	if q.Subject.Kind == Literal {
		return q, errors.New("subject: a literal is not allowed here")
	}
	p.skipSpace()
	if q.Predicate, err = p.term("predicate"); err != nil {
		return q, err
	}
	if q.Predicate.Kind != IRI {
		return q, fmt.Errorf("predicate: a %s is not allowed here", kindName(q.Predicate.Kind))
	}
	p.skipSpace()
	if q.Object, err = p.term("object"); err != nil {
		return q, err
	}
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] != '.' {
		if q.Graph, err = p.term("graph"); err != nil {
			return q, err
		}
		if q.Graph.Kind == Literal {
			return q, errors.New("graph: a literal is not allowed here")
		}
		p.skipSpace()
	}
	if p.pos >= len(p.data) || p.data[p.pos] != '.' {
		return q, errors.New("expected '.' at the end of the statement")
	}
	p.pos++
	p.skipSpace()
	if p.pos < len(p.data) {
		switch p.data[p.pos] {
		case '#':
			p.skipComment()
		case '\n', '\r':
		default:
			return q, errors.New("unexpected text after '.'")
		}
	}
	// The terms were checked while parsing; normalizing only fills in the
	// implied datatypes.
	_, err = normalizeQuad(&q)
	return q, err
}

// term parses one IRI, blank node or literal at p.pos.
func (p *parser) term(pos string) (Term, error) {
	if p.pos >= len(p.data) {
		return Term{}, fmt.Errorf("%s: unexpected end of input", pos)
	}
	switch c := p.data[p.pos]; c {
	case '<':
		v, err := p.iri()
		if err != nil {
			return Term{}, fmt.Errorf("%s: %w", pos, err)
		}
		return Term{Kind: IRI, Value: v}, nil
	case '_':
		v, err := p.blankNode()
		if err != nil {
			return Term{}, fmt.Errorf("%s: %w", pos, err)
		}
		return Term{Kind: BlankNode, Value: v}, nil
	case '"':
		t, err := p.literal()
		if err != nil {
			return Term{}, fmt.Errorf("%s: %w", pos, err)
		}
		return t, nil
	case '\n', '\r':
		return Term{}, fmt.Errorf("%s: unexpected end of line", pos)
	default:
		r, _ := utf8.DecodeRune(p.data[p.pos:])
		return Term{}, fmt.Errorf("%s: unexpected character %q", pos, r)
	}
}

// iri parses an IRIREF at p.pos, which is '<'.
func (p *parser) iri() (string, error) {
	p.pos++ // '<'
	p.buf = p.buf[:0]
	for {
		if p.pos >= len(p.data) {
			return "", errors.New("unterminated IRI")
		}
		c := p.data[p.pos]
		switch {
		case c == '>':
			p.pos++
			if len(p.buf) == 0 {
				return "", errors.New("empty IRI")
			}
			if !hasScheme(p.buf) {
				return "", fmt.Errorf("relative IRI <%s>", p.buf)
			}
			return string(p.buf), nil
		case c == '\\':
			r, err := p.uchar()
			if err != nil {
				return "", err
			}
			if r < 0x80 && iriForbidden[r] {
				return "", fmt.Errorf("escape gives %q, which an IRI may not contain", r)
			}
			p.buf = utf8.AppendRune(p.buf, r)
		case c < 0x80:
			if iriForbidden[c] {
				return "", fmt.Errorf("character %q not allowed in an IRI", rune(c))
			}
			p.buf = append(p.buf, c)
			p.pos++
		default:
			if err := p.appendUTF8(); err != nil {
				return "", err
			}
		}
	}
}

// hasScheme reports whether iri starts with a scheme: ALPHA *( ALPHA / DIGIT
// / "+" / "-" / "." ) ":".
func hasScheme(iri []byte) bool {
	for i, c := range iri {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return true
		default:
			return false
		}
	}
	return false
}

// appendUTF8 copies the multi-byte UTF-8 sequence at p.pos to p.buf.
func (p *parser) appendUTF8() error {
	r, n := utf8.DecodeRune(p.data[p.pos:])
	if r == utf8.RuneError && n <= 1 {
		return errors.New("invalid UTF-8")
	}
	p.buf = append(p.buf, p.data[p.pos:p.pos+n]...)
	p.pos += n
	return nil
}

// uchar parses a \uXXXX or \UXXXXXXXX escape at p.pos, which is '\'.
func (p *parser) uchar() (rune, error) {
	if p.pos+1 >= len(p.data) {
		return 0, errors.New("unterminated escape")
	}
	var n int
	switch p.data[p.pos+1] {
	case 'u':
		n = 4
	case 'U':
		n = 8
	default:
		return 0, fmt.Errorf("invalid escape %q", p.escapeText(2))
	}
	start := p.pos + 2
	if start+n > len(p.data) {
		return 0, fmt.Errorf("invalid escape %q", p.escapeText(2+n))
	}
	var r rune
	for _, c := range p.data[start : start+n] {
		var d byte
		switch {
		case '0' <= c && c <= '9':
			d = c - '0'
		case 'a' <= c && c <= 'f':
			d = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, fmt.Errorf("invalid escape %q", p.escapeText(2+n))
		}
		r = r<<4 | rune(d)
	}
	if r > utf8.MaxRune || 0xD800 <= r && r <= 0xDFFF {
		return 0, fmt.Errorf("escape %q is not a Unicode scalar value", p.escapeText(2+n))
	}
	p.pos = start + n
	return r, nil
}

// escapeText returns up to n bytes of input at p.pos, for messages.
func (p *parser) escapeText(n int) string {
	end := min(p.pos+n, len(p.data))
	return string(p.data[p.pos:end])
}

// blankNode parses a BLANK_NODE_LABEL at p.pos, which is '_'.
func (p *parser) blankNode() (string, error) {
	if p.pos+1 >= len(p.data) || p.data[p.pos+1] != ':' {
		return "", errors.New("expected ':' after '_'")
	}
	start := p.pos + 2
	i := start
	end := start // end of the label without trailing '.'
	for i < len(p.data) {
		r, n := rune(p.data[i]), 1
		if r >= 0x80 {
			r, n = utf8.DecodeRune(p.data[i:])
			if r == utf8.RuneError && n <= 1 {
				return "", errors.New("invalid UTF-8")
			}
		}
		ok := false
		switch {
		case i == start:
			ok = pnCharsU(r) || '0' <= r && r <= '9'
		case r == '.':
			ok = true
		default:
			ok = pnChars(r)
		}
		if !ok {
			break
		}
		i += n
		if r != '.' {
			end = i
		}
	}
	if end == start {
		if start < len(p.data) {
			if r, _ := utf8.DecodeRune(p.data[start:]); r == '.' || pnChars(r) {
				return "", fmt.Errorf("blank node label may not start with %q", r)
			}
		}
		return "", errors.New("empty blank node label")
	}
	p.pos = end
	return string(p.data[start:end]), nil
}

// pnCharsU reports whether r matches PN_CHARS_U of N-Quads (which includes
// ':').
func pnCharsU(r rune) bool {
	switch {
	case 'A' <= r && r <= 'Z', 'a' <= r && r <= 'z', r == '_', r == ':':
		return true
	case r < 0xC0:
		return false
	case r <= 0xD6, 0xD8 <= r && r <= 0xF6, 0xF8 <= r && r <= 0x2FF,
		0x370 <= r && r <= 0x37D, 0x37F <= r && r <= 0x1FFF,
		0x200C <= r && r <= 0x200D, 0x2070 <= r && r <= 0x218F,
		0x2C00 <= r && r <= 0x2FEF, 0x3001 <= r && r <= 0xD7FF,
		0xF900 <= r && r <= 0xFDCF, 0xFDF0 <= r && r <= 0xFFFD,
		0x10000 <= r && r <= 0xEFFFF:
		return true
	}
	return false
}

// pnChars reports whether r matches PN_CHARS.
func pnChars(r rune) bool {
	switch {
	case pnCharsU(r), r == '-', '0' <= r && r <= '9', r == 0xB7,
		0x300 <= r && r <= 0x36F, 0x203F <= r && r <= 0x2040:
		return true
	}
	return false
}

// literal parses a literal at p.pos, which is '"'.
func (p *parser) literal() (Term, error) {
	p.pos++ // '"'
	p.buf = p.buf[:0]
	for {
		if p.pos >= len(p.data) {
			return Term{}, errors.New("unterminated string")
		}
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			t := Term{Kind: Literal, Value: string(p.buf)}
			return p.literalSuffix(t)
		case c == '\n' || c == '\r':
			return Term{}, errors.New("unterminated string")
		case c == '\\':
			if p.pos+1 < len(p.data) {
				if e := unescapeECHAR(p.data[p.pos+1]); e != 0 {
					p.buf = append(p.buf, e)
					p.pos += 2
					continue
				}
			}
			r, err := p.uchar()
			if err != nil {
				return Term{}, err
			}
			p.buf = utf8.AppendRune(p.buf, r)
		case c < 0x80:
			p.buf = append(p.buf, c)
			p.pos++
		default:
			if err := p.appendUTF8(); err != nil {
				return Term{}, err
			}
		}
	}
}

// unescapeECHAR returns the character an ECHAR \c stands for, or 0.
func unescapeECHAR(c byte) byte {
	switch c {
	case 't':
		return '\t'
	case 'b':
		return '\b'
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 'f':
		return '\f'
	case '"', '\'', '\\':
		return c
	}
	return 0
}

// literalSuffix parses the optional language tag or datatype after the
// closing quote of a literal.
func (p *parser) literalSuffix(t Term) (Term, error) {
	save := p.pos
	p.skipSpace()
	if p.pos >= len(p.data) {
		p.pos = save
		return t, nil
	}
	switch p.data[p.pos] {
	case '@':
		p.pos++
		start := p.pos
		for p.pos < len(p.data) && isLangChar(p.data[p.pos]) {
			p.pos++
		}
		tag := string(p.data[start:p.pos])
		if !validLangTag(tag) {
			return t, fmt.Errorf("invalid language tag %q", tag)
		}
		t.Language = tag
		return t, nil
	case '^':
		if p.pos+1 >= len(p.data) || p.data[p.pos+1] != '^' {
			return t, errors.New("expected '^^' before the datatype")
		}
		p.pos += 2
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != '<' {
			return t, errors.New("expected datatype IRI after '^^'")
		}
		dt, err := p.iri()
		if err != nil {
			return t, fmt.Errorf("datatype: %w", err)
		}
		if dt == rdfLangStrng {
			return t, errors.New("rdf:langString literal without a language tag")
		}
		t.Datatype = dt
		return t, nil
	}
	p.pos = save
	return t, nil
}

func isLangChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-'
}
