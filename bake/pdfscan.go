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
