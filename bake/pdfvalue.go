package bake

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
)

// pdfParser reads PDF objects (not stream data).
type pdfParser struct {
	b    []byte
	kept int // values kept so far
	// onDict, if set, is called with every dictionary read, as kept.
	onDict func(d *pdfValue)
}

// keep counts one more value kept, and fails past maxPDFKept.
func (p *pdfParser) keep() error {
	if p.kept >= maxPDFKept {
		return fmt.Errorf("more than %d dictionary entries and array elements to keep", maxPDFKept)
	}
	p.kept++
	return nil
}

// value reads one PDF object at b[i:] and returns it and the offset after
// it.
func (p *pdfParser) value(i, depth int) (pdfValue, int, error) {
	b := p.b
	if depth > maxPDFDepth {
		return pdfValue{}, 0, fmt.Errorf("at byte %d: nested more than %d deep", i, maxPDFDepth)
	}
	i = skipPDFSpace(b, i)
	if i >= len(b) {
		return pdfValue{}, 0, errors.New("unexpected end of file")
	}
	switch c := b[i]; {
	case c == '/':
		name, end := readPDFName(b, i+1)
		return pdfValue{kind: pdfName, s: name}, end, nil
	case c == '(':
		s, end, err := pdfLiteral(b, i)
		return pdfValue{kind: pdfString, s: s}, end, err
	case c == '<' && i+1 < len(b) && b[i+1] == '<':
		v := pdfValue{kind: pdfDict}
		i += 2
		for {
			i = skipPDFSpace(b, i)
			if i+1 < len(b) && b[i] == '>' && b[i+1] == '>' {
				if p.onDict != nil {
					p.onDict(&v)
				}
				return v, i + 2, nil
			}
			if i >= len(b) || b[i] != '/' {
				return pdfValue{}, 0, fmt.Errorf("at byte %d: a dictionary key that is not a name", i)
			}
			key, end := readPDFName(b, i+1)
			val, end, err := p.value(end, depth+1)
			if err != nil {
				return pdfValue{}, 0, err
			}
			v.count++
			if isPDFKey(key) {
				if _, dup := v.get(string(key)); dup {
					if v.dup == "" {
						v.dup = string(key)
					}
				} else {
					if err := p.keep(); err != nil {
						return pdfValue{}, 0, err
					}
					v.dict = append(v.dict, pdfEntry{string(key), val})
				}
			}
			i = end
		}
	case c == '<':
		s, end, err := pdfHex(b, i)
		return pdfValue{kind: pdfString, s: s}, end, err
	case c == '[':
		v := pdfValue{kind: pdfArray}
		i++
		for {
			i = skipPDFSpace(b, i)
			if i < len(b) && b[i] == ']' {
				return v, i + 1, nil
			}
			val, end, err := p.value(i, depth+1)
			if err != nil {
				return pdfValue{}, 0, err
			}
			v.count++
			if len(v.arr) < maxPDFArray {
				if err := p.keep(); err != nil {
					return pdfValue{}, 0, err
				}
				v.arr = append(v.arr, val)
			}
			i = end
		}
	case isDigit(c) || c == '+' || c == '-' || c == '.':
		return pdfNumber(b, i)
	case isASCIILetter(c):
		end := i
		for end < len(b) && !isPDFSpace(b[end]) && !isPDFDelimiter(b[end]) {
			end++
		}
		switch string(b[i:end]) {
		case "true", "false":
			return pdfValue{kind: pdfBool}, end, nil
		case "null":
			return pdfValue{kind: pdfNull}, end, nil
		}
		return pdfValue{}, 0, fmt.Errorf("at byte %d: unexpected %q", i, truncate(b[i:end], 20))
	}
	return pdfValue{}, 0, fmt.Errorf("at byte %d: unexpected %q", i, b[i])
}

// pdfNumber reads a number at b[p:] and, after an integer, the rest of an
// indirect reference "N G R" if one is there.
func pdfNumber(b []byte, p int) (pdfValue, int, error) {
	start := p
	if b[p] == '+' || b[p] == '-' {
		p++
	}
	digits, dot := 0, false
	for p < len(b) && (isDigit(b[p]) || b[p] == '.' && !dot) {
		if b[p] == '.' {
			dot = true
		} else {
			digits++
		}
		p++
	}
	if digits == 0 {
		return pdfValue{}, 0, fmt.Errorf("at byte %d: a number with no digits", start)
	}
	if dot {
		return pdfValue{kind: pdfReal}, p, nil
	}
	n, err := strconv.ParseInt(string(b[start:p]), 10, 64)
	if err != nil {
		return pdfValue{kind: pdfReal}, p, nil // too large for an integer
	}
	if b[start] != '+' && b[start] != '-' {
		// An indirect reference: "N G R".
		q := skipPDFSpace(b, p)
		if q > p {
			if gen, r, ok := pdfUint(b, q, 10); ok {
				r2 := skipPDFSpace(b, r)
				if r2 > r && hasKeyword(b, r2, "R") {
					return pdfValue{kind: pdfIndirect, n: n, gen: gen}, r2 + 1, nil
				}
			}
		}
	}
	return pdfValue{kind: pdfInt, n: n}, p, nil
}

// readPDFName reads a name's characters at b[p:] (after its "/"), decoding
// #xx escapes.
func readPDFName(b []byte, p int) ([]byte, int) {
	var out []byte
	for p < len(b) && !isPDFSpace(b[p]) && !isPDFDelimiter(b[p]) {
		c := b[p]
		if c == '#' && p+2 < len(b) && hexDigit(b[p+1]) >= 0 && hexDigit(b[p+2]) >= 0 {
			c = byte(hexDigit(b[p+1])<<4 | hexDigit(b[p+2]))
			p += 2
		}
		if len(out) < maxPDFString {
			out = append(out, c)
		}
		p++
	}
	return out, p
}

// pdfLiteral reads a literal string "(...)" at b[p:], decoding its escapes.
func pdfLiteral(b []byte, p int) ([]byte, int, error) {
	start := p
	var out []byte
	depth := 0
	for p < len(b) {
		c := b[p]
		switch c {
		case '(':
			depth++
			if depth > 1 {
				out = addPDFByte(out, c)
			}
		case ')':
			depth--
			if depth == 0 {
				return out, p + 1, nil
			}
			out = addPDFByte(out, c)
		case '\r':
			out = addPDFByte(out, '\n') // an end of line in a string is a line feed
			if p+1 < len(b) && b[p+1] == '\n' {
				p++
			}
		case '\\':
			p++
			if p >= len(b) {
				break
			}
			switch e := b[p]; e {
			case 'n':
				out = addPDFByte(out, '\n')
			case 'r':
				out = addPDFByte(out, '\r')
			case 't':
				out = addPDFByte(out, '\t')
			case 'b':
				out = addPDFByte(out, '\b')
			case 'f':
				out = addPDFByte(out, '\f')
			case '\r':
				if p+1 < len(b) && b[p+1] == '\n' {
					p++
				}
			case '\n':
			default:
				if '0' <= e && e <= '7' {
					v := 0
					for k := 0; k < 3 && p < len(b) && '0' <= b[p] && b[p] <= '7'; k++ {
						v = v*8 + int(b[p]-'0')
						p++
					}
					out = addPDFByte(out, byte(v))
					continue
				}
				out = addPDFByte(out, e) // \( \) \\ and an unknown escape: the character
			}
		default:
			out = addPDFByte(out, c)
		}
		p++
	}
	return nil, 0, fmt.Errorf("at byte %d: a string that is not closed", start)
}

// pdfHex reads a hexadecimal string "<...>" at b[p:].
func pdfHex(b []byte, p int) ([]byte, int, error) {
	start := p
	var out []byte
	half := -1
	for p++; p < len(b); p++ {
		c := b[p]
		switch {
		case c == '>':
			if half >= 0 {
				out = addPDFByte(out, byte(half<<4))
			}
			return out, p + 1, nil
		case isPDFSpace(c):
		case hexDigit(c) >= 0:
			if half < 0 {
				half = hexDigit(c)
			} else {
				out = addPDFByte(out, byte(half<<4|hexDigit(c)))
				half = -1
			}
		default:
			return nil, 0, fmt.Errorf("at byte %d: %q in a hexadecimal string", p, c)
		}
	}
	return nil, 0, fmt.Errorf("at byte %d: a hexadecimal string that is not closed", start)
}

// addPDFByte appends c to a string being read, up to maxPDFString bytes.
func addPDFByte(out []byte, c byte) []byte {
	if len(out) < maxPDFString {
		out = append(out, c)
	}
	return out
}

// skipPDFSpace skips white space and comments.
func skipPDFSpace(b []byte, p int) int {
	for p < len(b) {
		switch {
		case isPDFSpace(b[p]):
			p++
		case b[p] == '%':
			for p < len(b) && b[p] != '\r' && b[p] != '\n' {
				p++
			}
		default:
			return p
		}
	}
	return p
}

// skipPDFWhite skips white space only.
func skipPDFWhite(b []byte, p int) int {
	for p < len(b) && isPDFSpace(b[p]) {
		p++
	}
	return p
}

// hasKeyword reports whether b[p:] is the keyword kw followed by a
// delimiter, white space or the end.
func hasKeyword(b []byte, p int, kw string) bool {
	if p > len(b) || !bytes.HasPrefix(b[p:], []byte(kw)) {
		return false
	}
	e := p + len(kw)
	return e == len(b) || isPDFSpace(b[e]) || isPDFDelimiter(b[e])
}

func isPDFSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isPDFDelimiter(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
