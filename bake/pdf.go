package bake

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
)

// pdfHeader starts every PDF.
var pdfHeader = []byte("%PDF-")

// maxPDFDepth bounds how deeply PDF arrays and dictionaries nest.
const maxPDFDepth = 32

// pdfBudgetFactor times the credential limit bounds the bytes decoded from
// all of a PDF's embedded files together.
const pdfBudgetFactor = 4

// pdfRef names an indirect object.
type pdfRef struct{ num, gen int64 }

func (r pdfRef) String() string { return fmt.Sprintf("%d %d", r.num, r.gen) }

type pdfKind int

const (
	pdfNull pdfKind = iota
	pdfBool
	pdfInt
	pdfReal
	pdfName
	pdfString
	pdfArray
	pdfDict
	pdfIndirect
)

// pdfValue is a PDF object, reduced to what extraction reads: so that
// memory stays a small multiple of the input, a dictionary keeps only the
// entries whose keys isPDFKey accepts (the first of each), an array its
// first few elements, and a string or name its first bytes; an object
// whose values kept would be more than maxPDFKept is refused.
type pdfValue struct {
	kind  pdfKind
	n     int64      // an integer; an indirect reference's object number
	gen   int64      // an indirect reference's generation
	s     []byte     // a name (without "/", #xx decoded) or a string (decoded)
	arr   []pdfValue // an array's first maxPDFArray elements
	dict  []pdfEntry // a dictionary's entries whose keys isPDFKey accepts
	count int        // how many elements or entries an array or dictionary has
	dup   string     // a key isPDFKey accepts that a dictionary has twice
}

type pdfEntry struct {
	key string
	val pdfValue
}

// Bounds on what a pdfValue keeps.
const (
	maxPDFArray  = 4       // elements of an array
	maxPDFString = 1024    // bytes of a string or name
	maxPDFKept   = 1 << 16 // values of one object
	maxFileSpecs = 10000
)

// isPDFKey reports whether extraction reads the dictionary entries with
// key k.
func isPDFKey(k []byte) bool {
	switch string(k) {
	case "Type", "Length", "Filter", "DecodeParms", "F", "UF", "DOS", "Mac", "Unix", "EF", "Encrypt":
		return true
	}
	return false
}

// get returns the value of key in a dictionary, if it has one.
func (v pdfValue) get(key string) (pdfValue, bool) {
	for _, e := range v.dict {
		if e.key == key {
			return e.val, true
		}
	}
	return pdfValue{}, false
}

func (v pdfValue) isName(name string) bool { return v.kind == pdfName && string(v.s) == name }

// pdfStream is a stream object found at the top level of a PDF.
type pdfStream struct {
	ref      pdfRef
	at       int    // the offset of its "N G obj"
	data     []byte // its bytes between "stream" and "endstream", as stored
	embedded bool   // its /Type is /EmbeddedFile
	flate    bool   // its data is Flate-compressed
	why      string // why its data cannot be decoded here, or ""
	dup      string // a key its dictionary has twice, or ""
}

// pdfFile is what one pass over a PDF found.
type pdfFile struct {
	b         []byte
	latest    map[pdfRef]int // the offset of each object's last definition
	streams   []*pdfStream   // in file order
	specs     []fileSpec     // in file order
	names     map[pdfRef][]string
	efRefs    map[pdfRef]bool // streams a file specification's /EF names
	encrypted bool

	// Built when first needed: the offsets of every "N G obj" in the file,
	// the last of each object, and the lengths resolved.
	headers []int
	lastDef map[pdfRef]int
	lengths map[pdfRef]lengthResult
	indexed bool
}

// fileSpec is a file specification (a dictionary with /EF) found in the
// object at offset at.
type fileSpec struct {
	owner   pdfRef
	at      int
	name    string
	targets []pdfRef
}

type lengthResult struct {
	n  int
	ok bool
}

// pdfError is an *ImageError for a PDF.
func pdfError(at int, reason string, err error) error {
	return &ImageError{Format: FormatPDF, Offset: int64(at), Reason: reason, Err: err}
}

// extractPDF returns the credential a PDF holds as an embedded file.
func extractPDF(b []byte, opts *Options) (*Baked, error) {
	f := &pdfFile{b: b, latest: map[pdfRef]int{}, names: map[pdfRef][]string{}, efRefs: map[pdfRef]bool{}}
	if err := f.scan(); err != nil {
		return nil, err
	}
	if f.encrypted {
		return nil, pdfError(-1, "the PDF is encrypted: its embedded files cannot be read", nil)
	}
	for _, sp := range f.specs {
		if f.latest[sp.owner] != sp.at {
			continue
		}
		for _, r := range sp.targets {
			f.efRefs[r] = true
			if sp.name != "" && len(f.names[r]) < 4 {
				f.names[r] = append(f.names[r], sp.name)
			}
		}
	}
	var files, named []*pdfStream
	for _, s := range f.streams {
		if f.latest[s.ref] != s.at {
			continue // replaced by a later definition (an incremental update)
		}
		if !s.embedded && !f.efRefs[s.ref] {
			continue
		}
		if s.dup != "" {
			return nil, pdfError(s.at, fmt.Sprintf("the embedded file in object %s has two /%s entries", s.ref, s.dup), nil)
		}
		files = append(files, s)
		if f.isCredentialFile(s.ref) {
			named = append(named, s)
		}
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%w: the PDF has no embedded file", ErrNotBaked)
	}
	max := opts.maxCredential()
	budget := pdfBudgetFactor * max
	if len(named) > 0 {
		return f.namedCredential(named, max, &budget, opts)
	}
	var (
		creds       []*pdfStream
		contents    [][]byte
		unsupported []string
	)
	for _, s := range files {
		if s.why != "" {
			unsupported = append(unsupported, s.why)
			continue
		}
		content, maybe, err := readEmbedded(s, max, &budget, true)
		if err != nil {
			return nil, err
		}
		c := trimCredential(content)
		if !maybe || classify(c) == KindUnknown {
			continue
		}
		creds = append(creds, s)
		contents = append(contents, content)
		if len(creds) == 2 {
			return nil, f.multiple(creds[0], creds[1])
		}
	}
	if len(creds) == 0 {
		why := ""
		if len(unsupported) > 0 {
			why = fmt.Sprintf("; %d cannot be read here (%s)", len(unsupported), strings.Join(unsupported, "; "))
		}
		return nil, fmt.Errorf("%w: none of the PDF's %d embedded files holds a JSON object or a compact JWS%s", ErrNotBaked, len(files), why)
	}
	return f.result(creds[0], contents[0], opts)
}

// namedCredential reads the one embedded file named credential.*.
func (f *pdfFile) namedCredential(named []*pdfStream, max int, budget *int, opts *Options) (*Baked, error) {
	if len(named) > 1 {
		return nil, f.multiple(named[0], named[1])
	}
	s := named[0]
	if s.why != "" {
		return nil, fmt.Errorf("%w: the PDF's embedded file %s cannot be read: %s", ErrNotBaked, f.name(s.ref), s.why)
	}
	content, _, err := readEmbedded(s, max, budget, false)
	if err != nil {
		return nil, err
	}
	return f.result(s, content, opts)
}

// result is the Baked for the content of embedded file s.
func (f *pdfFile) result(s *pdfStream, content []byte, opts *Options) (*Baked, error) {
	b, err := found(FormatPDF, content, false, opts)
	if err != nil {
		if ie, ok := err.(*ImageError); ok && ie.Offset < 0 {
			ie.Offset = int64(s.at)
			ie.Reason = "the embedded file " + f.name(s.ref) + ": " + ie.Reason
		}
		return nil, err
	}
	name := strings.ToLower(f.rawName(s.ref))
	switch {
	case strings.HasSuffix(name, ".json") && b.Kind != KindJSON,
		strings.HasSuffix(name, ".jwt") && b.Kind != KindJWS:
		return nil, pdfError(s.at, fmt.Sprintf("the embedded file %s holds %s", f.name(s.ref), b.Kind), ErrNotCredential)
	}
	return b, nil
}

// multiple is the error for a PDF with two credential files.
func (f *pdfFile) multiple(first, second *pdfStream) error {
	return pdfError(second.at, fmt.Sprintf("two embedded files hold credentials (%s in object %s at byte %d, %s in object %s at byte %d)",
		f.name(first.ref), first.ref, first.at, f.name(second.ref), second.ref, second.at), ErrMultiple)
}

// name is an embedded file's name for messages: the first a file
// specification gives it, quoted, or "(unnamed)".
func (f *pdfFile) name(r pdfRef) string {
	if n := f.rawName(r); n != "" {
		return strconv.Quote(n)
	}
	return "(unnamed)"
}

// rawName is the first name a file specification gives a stream, or "".
func (f *pdfFile) rawName(r pdfRef) string {
	if n := f.names[r]; len(n) > 0 {
		return n[0]
	}
	return ""
}

// isCredentialFile reports whether a file specification names the stream
// credential.* (credential.json, credential.jwt, in any case).
func (f *pdfFile) isCredentialFile(r pdfRef) bool {
	for _, n := range f.names[r] {
		base := n[strings.LastIndexAny(n, `/\:`)+1:]
		if strings.HasPrefix(strings.ToLower(base), "credential.") {
			return true
		}
	}
	return false
}

// streamFilter says whether a stream is Flate-compressed, or why it cannot
// be read here.
func streamFilter(d pdfValue) (flate bool, why string) {
	if _, ok := d.get("F"); ok {
		return false, "its data is in an external file"
	}
	if p, ok := d.get("DecodeParms"); ok && p.kind != pdfNull && !(p.kind == pdfDict && p.count == 0) {
		return false, "it has decode parameters"
	}
	filter, ok := d.get("Filter")
	if !ok || filter.kind == pdfNull {
		return false, ""
	}
	if filter.kind == pdfArray {
		switch filter.count {
		case 0:
			return false, ""
		case 1:
			filter = filter.arr[0]
		default:
			return false, fmt.Sprintf("it has %d filters", filter.count)
		}
	}
	if filter.isName("FlateDecode") {
		return true, ""
	}
	if filter.kind == pdfName {
		return false, "filter /" + string(filter.s)
	}
	return false, "a filter that is not a name"
}

// readEmbedded returns the content of an embedded file, inflated if it is
// compressed, no longer than max bytes and taking from the budget every
// byte it decodes. If sniff, it stops as soon as the content cannot be a
// credential, and maybe is then false.
func readEmbedded(s *pdfStream, max int, budget *int, sniff bool) (content []byte, maybe bool, err error) {
	flate := s.flate
	var r io.Reader = bytes.NewReader(s.data)
	if flate {
		zr, err := zlib.NewReader(bytes.NewReader(s.data))
		if err != nil {
			return nil, false, pdfError(s.at, "the embedded file in object "+s.ref.String()+" does not inflate", err)
		}
		r = zr
	}
	var (
		sn  credentialSniffer
		buf []byte
		tmp [32 << 10]byte
	)
	for {
		// Never more than one byte past the limit.
		n, rerr := r.Read(tmp[:min(len(tmp), max+1-len(buf))])
		if n > 0 {
			if sniff && !sn.feed(tmp[:n]) {
				return nil, false, nil
			}
			if len(buf)+n > max {
				if flate {
					return nil, false, fmt.Errorf("%w: the embedded credential inflates to more than the limit of %d bytes", ErrTooLarge, max)
				}
				return nil, false, fmt.Errorf("%w: the embedded credential is %d bytes, more than the limit of %d", ErrTooLarge, len(s.data), max)
			}
			*budget -= n
			if *budget < 0 {
				return nil, false, fmt.Errorf("%w: the PDF's embedded files decode to more than %d bytes", ErrTooLarge, pdfBudgetFactor*max)
			}
			buf = append(buf, tmp[:n]...)
		}
		if rerr == io.EOF {
			return buf, true, nil
		}
		if rerr != nil {
			return nil, false, pdfError(s.at, "the embedded file in object "+s.ref.String()+" does not inflate", rerr)
		}
	}
}

// credentialSniffer tells, from the first bytes of a file, when it cannot
// be a credential: after a byte order mark and whitespace, a credential
// starts with "{" (JSON) or is base64url and dots (a JWS) up to trailing
// whitespace. It never says no to what classify could accept.
type credentialSniffer struct {
	state int // 0 leading, 1 JSON, 2 JWS, 3 JWS trailing space, 4 not a credential
	pos   int // bytes seen
	bom   int // how many of the first bytes were those of a byte order mark
}

// feed reports whether the bytes so far can still start a credential.
func (s *credentialSniffer) feed(p []byte) bool {
	for _, c := range p {
		switch s.state {
		case 0:
			switch {
			case s.pos == s.bom && s.bom < len(utf8BOM) && c == utf8BOM[s.bom]:
				s.bom++
			case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			case c == '{':
				s.state = 1
			case isJWSByte(c):
				s.state = 2
			default:
				s.state = 4
			}
		case 1:
			return true // JSON: read to the end
		case 2:
			switch {
			case isJWSByte(c):
			case c == ' ' || c == '\t' || c == '\r' || c == '\n':
				s.state = 3
			default:
				s.state = 4
			}
		case 3:
			if !(c == ' ' || c == '\t' || c == '\r' || c == '\n') {
				s.state = 4
			}
		}
		if s.state == 4 {
			return false
		}
		s.pos++
	}
	return true
}

func isJWSByte(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.'
}

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
