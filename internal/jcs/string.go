package jcs

import (
	"encoding/binary"
	"unicode/utf8"
)

// plain[c] is true for the ASCII bytes that appear unchanged inside a
// canonical string: everything from U+0020 to U+007F except '"' and '\'.
var plain = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// special8 reports whether any of the eight bytes packed in x is not plain:
// below 0x20, '"', '\\' or non-ASCII. Each test is the classic "some byte is
// zero/below n" bit trick, exact whenever no byte has its high bit set,
// which the first term checks.
func special8(x uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	q := x ^ ones*'"'
	b := x ^ ones*'\\'
	return (x|(x-ones*0x20)&^x|(q-ones)&^q|(b-ones)&^b)&highs != 0
}

// str parses the string starting at p.pos (a '"') and appends its canonical
// form to p.out. It reports whether the input used any escape, that is
// whether the decoded string differs from the raw bytes between the quotes.
func (p *parser) str() (escaped bool, err error) {
	data := p.data
	start := p.pos
	p.out = append(p.out, '"')
	i := start + 1
	run := i // start of the bytes not yet copied to p.out
	for {
		// Skip plain ASCII eight bytes at a time, then a byte at a time.
		for i+8 <= len(data) && !special8(binary.LittleEndian.Uint64(data[i:])) {
			i += 8
		}
		for i < len(data) && data[i] < utf8.RuneSelf && plain[data[i]] {
			i++
		}
		if i == len(data) {
			return escaped, p.errAt(ErrSyntax, i, "unexpected end of input in string starting at offset "+itoa(start))
		}
		c := data[i]
		if c < utf8.RuneSelf {
			p.out = append(p.out, data[run:i]...)
			switch {
			case c == '"':
				p.out = append(p.out, '"')
				p.pos = i + 1
				return escaped, nil
			case c == '\\':
				escaped = true
				if i, err = p.escape(i); err != nil {
					return escaped, err
				}
			default:
				return escaped, p.errAt(ErrSyntax, i, "control character U+00"+string(hexDigits[c>>4])+string(hexDigits[c&0xF])+" must be escaped in a string")
			}
			run = i
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			return escaped, p.errAt(ErrInvalidUTF8, i, "invalid UTF-8 byte "+quoteByte(c)+" in string")
		}
		i += size
	}
}

// escape decodes the escape sequence at data[i] (a '\'), appends the
// canonical form of the character it stands for and returns the offset just
// past it.
func (p *parser) escape(i int) (int, error) {
	data := p.data
	if i+1 == len(data) {
		return i, p.errAt(ErrSyntax, i+1, "unexpected end of input in string escape")
	}
	switch e := data[i+1]; e {
	case '"', '\\':
		p.out = append(p.out, '\\', e)
	case '/':
		p.out = append(p.out, '/')
	case 'b':
		p.out = append(p.out, '\\', 'b')
	case 'f':
		p.out = append(p.out, '\\', 'f')
	case 'n':
		p.out = append(p.out, '\\', 'n')
	case 'r':
		p.out = append(p.out, '\\', 'r')
	case 't':
		p.out = append(p.out, '\\', 't')
	case 'u':
		r, err := p.hex4(i)
		if err != nil {
			return i, err
		}
		switch {
		case r >= 0xD800 && r < 0xDC00:
			lo := rune(-1)
			if i+7 < len(data) && data[i+6] == '\\' && data[i+7] == 'u' {
				if lo, err = p.hex4(i + 6); err != nil {
					return i, err
				}
			}
			if lo < 0xDC00 || lo > 0xDFFF {
				return i, p.errAt(ErrLoneSurrogate, i, "lone surrogate "+string(data[i:i+6])+" in string: a high surrogate must be followed by a \\u escape of a low surrogate")
			}
			r = 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00)
			p.out = utf8.AppendRune(p.out, r)
			return i + 12, nil
		case r >= 0xDC00 && r <= 0xDFFF:
			return i, p.errAt(ErrLoneSurrogate, i, "lone surrogate "+string(data[i:i+6])+" in string: a low surrogate must follow a high surrogate")
		}
		p.out = appendRune(p.out, r)
		return i + 6, nil
	default:
		return i, p.errAt(ErrSyntax, i+1, "invalid character "+quoteByte(e)+" in string escape")
	}
	return i + 2, nil
}

// hex4 decodes the four hex digits of the \u escape at data[i].
func (p *parser) hex4(i int) (rune, error) {
	var r rune
	for j := i + 2; j < i+6; j++ {
		if j == len(p.data) {
			return 0, p.errAt(ErrSyntax, j, "unexpected end of input in \\u escape")
		}
		c := p.data[j]
		var v byte
		switch {
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		default:
			return 0, p.errAt(ErrSyntax, j, "invalid character "+quoteByte(c)+" in \\u escape, want a hex digit")
		}
		r = r<<4 | rune(v)
	}
	return r, nil
}

const hexDigits = "0123456789abcdef"

// appendRune appends the canonical string form of the (non-surrogate)
// character r: the short escapes for '"', '\' and the five controls that have
// one, \u00xx with lowercase hex for the other controls, and UTF-8 for
// everything else.
func appendRune(dst []byte, r rune) []byte {
	switch r {
	case '"', '\\':
		return append(dst, '\\', byte(r))
	case '\b':
		return append(dst, '\\', 'b')
	case '\f':
		return append(dst, '\\', 'f')
	case '\n':
		return append(dst, '\\', 'n')
	case '\r':
		return append(dst, '\\', 'r')
	case '\t':
		return append(dst, '\\', 't')
	}
	if r < 0x20 {
		return append(dst, '\\', 'u', '0', '0', hexDigits[r>>4], hexDigits[r&0xF])
	}
	return utf8.AppendRune(dst, r)
}

// appendUnescaped appends the string that the body of a canonical string
// literal s (without its quotes) stands for. s uses only the escapes that
// appendRune writes.
func appendUnescaped(dst, s []byte) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			dst = append(dst, c)
			continue
		}
		i++
		switch s[i] {
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u': // \u00xx
			dst = append(dst, unhex(s[i+3])<<4|unhex(s[i+4]))
			i += 4
		default: // '"' or '\'
			dst = append(dst, s[i])
		}
	}
	return dst
}

func unhex(c byte) byte {
	if c <= '9' {
		return c - '0'
	}
	return c - 'a' + 10
}
