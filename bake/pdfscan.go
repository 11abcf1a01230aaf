package bake

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
)

// scan reads the PDF's top level once, in file order: each "N G obj"
// object (stream data skipped by its length), the cross-reference tables
// (skipped), trailers and startxref. Anything else is skipped up to the
// next "N G obj". Stream data is never parsed.
func (f *pdfFile) scan() error {
	b := f.b
	p := 0
	for {
		p = skipPDFSpace(b, p)
		if p >= len(b) {
			return nil
		}
		switch {
		case isDigit(b[p]):
			if ref, body, ok := objHeader(b, p); ok {
				end, err := f.object(ref, p, body)
				if err != nil {
					return err
				}
				p = end
				continue
			}
		case hasKeyword(b, p, "xref"):
			k := bytes.Index(b[p:], []byte("trailer"))
			if k < 0 {
				return nil
			}
			p += k
			continue
		case hasKeyword(b, p, "trailer"):
			v, end, err := (&pdfParser{b: b}).value(p+len("trailer"), 0)
			if err != nil {
				return pdfError(p, "the trailer cannot be read", err)
			}
			if _, ok := v.get("Encrypt"); ok {
				f.encrypted = true
			}
			p = end
			continue
		case hasKeyword(b, p, "startxref"):
			p = skipPDFSpace(b, p+len("startxref"))
			for p < len(b) && isDigit(b[p]) {
				p++
			}
			continue
		}
		p = f.nextHeader(p + 1)
	}
}

// object reads the object whose header "N G obj" is at b[at:], its body
// at b[body:], and returns the offset after its "endobj".
func (f *pdfFile) object(ref pdfRef, at, body int) (int, error) {
	b := f.b
	bad := func(reason string, err error) error {
		return pdfError(at, fmt.Sprintf("object %s: %s", ref, reason), err)
	}
	var (
		v   pdfValue
		end int
		err error
	)
	var specs []fileSpec
	p := &pdfParser{b: b, onDict: func(d *pdfValue) {
		if ef, ok := d.get("EF"); ok && ef.kind == pdfDict {
			specs = append(specs, fileSpecOf(ref, at, d, ef))
		}
	}}
	if q := skipPDFSpace(b, body); hasKeyword(b, q, "endobj") {
		end = q // an empty object: null
	} else if v, end, err = p.value(body, 0); err != nil {
		return 0, bad("cannot be read", err)
	}
	end = skipPDFSpace(b, end)
	if hasKeyword(b, end, "stream") {
		if v.kind != pdfDict {
			return 0, bad("a stream without a dictionary", nil)
		}
		start := end + len("stream")
		switch {
		case bytes.HasPrefix(b[start:], []byte("\r\n")):
			start += 2
		case bytes.HasPrefix(b[start:], []byte("\n")):
			start++
		default:
			return 0, bad("the stream keyword is not followed by an end of line", nil)
		}
		data, after, err := f.streamData(v, start)
		if err != nil {
			return 0, bad(err.Error(), nil)
		}
		t, _ := v.get("Type")
		s := &pdfStream{ref: ref, at: at, data: data, embedded: t.isName("EmbeddedFile"), dup: v.dup}
		s.flate, s.why = streamFilter(v)
		f.streams = append(f.streams, s)
		if _, ok := v.get("Encrypt"); ok && t.isName("XRef") {
			f.encrypted = true
		}
		end = skipPDFSpace(b, after)
	}
	if !hasKeyword(b, end, "endobj") {
		return 0, bad("no endobj", nil)
	}
	f.latest[ref] = at
	if len(f.specs)+len(specs) > maxFileSpecs {
		return 0, bad(fmt.Sprintf("more than %d file specifications in the PDF", maxFileSpecs), nil)
	}
	f.specs = append(f.specs, specs...)
	return end + len("endobj"), nil
}

// streamData returns a stream's data, which starts at b[start:], and the
// offset after its "endstream". The data is /Length bytes long when that
// (a direct integer, or an indirect one given as "N G obj <int> endobj")
// ends just before "endstream" (after an end of line); otherwise it runs
// to the next "endstream", less the end of line before it.
func (f *pdfFile) streamData(dict pdfValue, start int) ([]byte, int, error) {
	b := f.b
	length, _ := dict.get("Length")
	n, ok := -1, false
	switch length.kind {
	case pdfInt:
		n, ok = int(length.n), length.n >= 0 && length.n <= int64(len(b))
	case pdfIndirect:
		n, ok = f.resolveLength(pdfRef{length.n, length.gen})
	}
	if ok && n <= len(b)-start {
		e := start + n
		if k := skipPDFWhite(b, e); hasKeyword(b, k, "endstream") {
			return b[start:e], k + len("endstream"), nil
		}
	}
	k := bytes.Index(b[start:], []byte("endstream"))
	if k < 0 {
		return nil, 0, errors.New("a stream with no endstream")
	}
	end := start + k
	switch {
	case end-start >= 2 && b[end-2] == '\r' && b[end-1] == '\n':
		end -= 2
	case end > start && (b[end-1] == '\n' || b[end-1] == '\r'):
		end--
	}
	return b[start:end], start + k + len("endstream"), nil
}

// resolveLength returns the integer that the last definition of object r
// holds, if that is "N G obj <int> endobj".
func (f *pdfFile) resolveLength(r pdfRef) (int, bool) {
	f.index()
	if res, ok := f.lengths[r]; ok {
		return res.n, res.ok
	}
	res := lengthResult{}
	if at, ok := f.lastDef[r]; ok {
		if _, body, ok := objHeader(f.b, at); ok {
			p := skipPDFSpace(f.b, body)
			q := p
			for q < len(f.b) && q-p < 12 && isDigit(f.b[q]) {
				q++
			}
			if n, err := strconv.Atoi(string(f.b[p:q])); err == nil && q > p && hasKeyword(f.b, skipPDFSpace(f.b, q), "endobj") {
				res = lengthResult{n, true}
			}
		}
	}
	f.lengths[r] = res
	return res.n, res.ok
}

// index finds every "N G obj" in the file, once, wherever it is (stream
// data included: a definition found there is checked before it is used).
func (f *pdfFile) index() {
	if f.indexed {
		return
	}
	f.indexed = true
	f.lastDef, f.lengths = map[pdfRef]int{}, map[pdfRef]lengthResult{}
	b := f.b
	for i := 0; ; {
		k := bytes.Index(b[i:], []byte("obj"))
		if k < 0 {
			return
		}
		k += i
		i = k + 3
		if start, ok := headerBefore(b, k); ok {
			if ref, _, ok := objHeader(b, start); ok {
				f.headers = append(f.headers, start)
				f.lastDef[ref] = start
			}
		}
	}
}

// headerBefore returns where "N G" starts if the "obj" at b[k:] ends an
// "N G obj" header that starts a line or follows white space.
func headerBefore(b []byte, k int) (int, bool) {
	if k+3 < len(b) && !isPDFDelimiter(b[k+3]) && !isPDFSpace(b[k+3]) {
		return 0, false
	}
	j := k
	for part := 0; part < 2; part++ {
		s := j
		for j > 0 && isPDFSpace(b[j-1]) {
			j--
		}
		if j == s {
			return 0, false
		}
		d := j
		for j > 0 && isDigit(b[j-1]) && d-j < 10 {
			j--
		}
		if j == d {
			return 0, false
		}
	}
	if j > 0 && !isPDFSpace(b[j-1]) {
		return 0, false
	}
	return j, true
}

// nextHeader returns the offset of the first "N G obj" at or after p, or
// len(b).
func (f *pdfFile) nextHeader(p int) int {
	f.index()
	i := sort.SearchInts(f.headers, p)
	if i == len(f.headers) {
		return len(f.b)
	}
	return f.headers[i]
}

// objHeader reads "N G obj" at b[p:] and returns the offset after "obj".
func objHeader(b []byte, p int) (pdfRef, int, bool) {
	num, p, ok := pdfUint(b, p, 10)
	if !ok || p >= len(b) || !isPDFSpace(b[p]) {
		return pdfRef{}, 0, false
	}
	gen, p, ok := pdfUint(b, skipPDFWhite(b, p), 5)
	if !ok || p >= len(b) || !isPDFSpace(b[p]) {
		return pdfRef{}, 0, false
	}
	p = skipPDFWhite(b, p)
	if !hasKeyword(b, p, "obj") {
		return pdfRef{}, 0, false
	}
	return pdfRef{num, gen}, p + 3, true
}

// pdfUint reads at most max digits.
func pdfUint(b []byte, p, max int) (int64, int, bool) {
	s := p
	var n int64
	for p < len(b) && isDigit(b[p]) {
		if p-s == max {
			return 0, 0, false
		}
		n = n*10 + int64(b[p]-'0')
		p++
	}
	return n, p, p > s
}

// fileSpecOf is the file specification d (a dictionary with /EF, ef),
// found in object owner defined at offset at: the name it gives and the
// streams it points at.
func fileSpecOf(owner pdfRef, at int, d *pdfValue, ef pdfValue) fileSpec {
	sp := fileSpec{owner: owner, at: at}
	for _, key := range []string{"UF", "F", "Unix", "DOS", "Mac"} {
		if s, _ := d.get(key); s.kind == pdfString {
			sp.name = pdfText(s.s)
			break
		}
	}
	for _, e := range ef.dict {
		if e.val.kind == pdfIndirect {
			sp.targets = append(sp.targets, pdfRef{e.val.n, e.val.gen})
		}
	}
	return sp
}

// pdfText decodes a PDF text string: UTF-16BE or UTF-8 after their byte
// order marks, otherwise PDFDocEncoding (read as Latin-1, which it equals
// for the letters of file names).
func pdfText(s []byte) string {
	switch {
	case len(s) >= 2 && s[0] == 0xfe && s[1] == 0xff:
		u := make([]uint16, 0, len(s)/2)
		for i := 2; i+1 < len(s); i += 2 {
			u = append(u, uint16(s[i])<<8|uint16(s[i+1]))
		}
		return string(utf16.Decode(u))
	case bytes.HasPrefix(s, utf8BOM):
		return strings.ToValidUTF8(string(s[3:]), "\uFFFD")
	}
	var b strings.Builder
	for _, c := range s {
		b.WriteRune(rune(c))
	}
	return b.String()
}

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
