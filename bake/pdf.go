package bake

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"strconv"
	"strings"
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
					return nil, false, fmt.Errorf("%w: the embedded credential inflates to more than the limit of %d bytes", ErrSizeLimit, max)
				}
				return nil, false, fmt.Errorf("%w: the embedded credential is %d bytes, more than the limit of %d", ErrSizeLimit, len(s.data), max)
			}
			*budget -= n
			if *budget < 0 {
				return nil, false, fmt.Errorf("%w: the PDF's embedded files decode to more than %d bytes", ErrSizeLimit, pdfBudgetFactor*max)
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
