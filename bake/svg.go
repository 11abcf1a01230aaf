package bake

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

const svgNamespace = "http://www.w3.org/2000/svg"

// svgElem is an OB 3.0 <credential> or OB 2.0 <assertion> element.
type svgElem struct {
	start, end int  // its bytes are img[start:end]
	depth      int  // of its start tag; the root is at depth 0
	legacy     bool // an OB 2.0 assertion
	verify     []byte
	hasVerify  bool
	content    []byte // character data, as XML reads it
	problem    string // why it is not a usable credential element, or ""
	problemAt  int
}

// svgDoc is what baking and extraction need to know about an SVG.
type svgDoc struct {
	rootEnd     int    // the root start tag is img[rootStart:rootEnd]
	rootName    string // the root's name as written, perhaps with a prefix
	selfClosing bool   // the root is <svg .../>
	// prefixURI is the namespace the root binds "openbadges" to, if
	// prefixBound.
	prefixURI   string
	prefixBound bool
	elems       []*svgElem // every credential and assertion element, in order
}

// only returns the one OB 3.0 (or, if legacy, OB 2.0) element, nil if
// there is none, or an *ImageError wrapping ErrMultiple if there are more.
func (d *svgDoc) only(legacy bool) (*svgElem, error) {
	var first *svgElem
	for _, e := range d.elems {
		if e.legacy != legacy {
			continue
		}
		if first == nil {
			first = e
			continue
		}
		what := "<credential> elements in namespace " + SVGNamespace
		if legacy {
			what = "Open Badges 2.0 <assertion> elements in namespace " + legacyNamespace
		}
		return nil, svgError(e.start, fmt.Sprintf("two %s (at bytes %d and %d)", what, first.start, e.start), ErrMultiple)
	}
	return first, nil
}

func svgError(off int, reason string, err error) error {
	return &ImageError{Format: FormatSVG, Offset: int64(off), Reason: reason, Err: err}
}

// errEncoding is returned for an XML declaration naming an encoding other
// than UTF-8.
var errEncoding = errors.New("only UTF-8 is supported")

// parseSVG reads a whole SVG document with encoding/xml, checking that it is
// well-formed, that it declares no entities, and that its root is <svg>, and
// finds its credential elements. encoding/xml never fetches a DTD and never
// expands an entity other than the five predefined ones and character
// references: anything else is a syntax error.
func parseSVG(img []byte) (*svgDoc, error) {
	base := 0
	if bytes.HasPrefix(img, utf8BOM) {
		base = len(utf8BOM)
	}
	d := xml.NewDecoder(bytes.NewReader(img[base:]))
	d.Strict = true
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		switch strings.ToLower(label) {
		case "us-ascii", "ascii":
			return r, nil // a subset of UTF-8
		}
		return nil, errEncoding
	}
	var (
		doc                             svgDoc
		depth                           int
		rootSeen, rootDone, doctypeSeen bool
		cur                             *svgElem
	)
	for {
		o0 := base + int(d.InputOffset())
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			if errors.Is(err, errEncoding) {
				return nil, svgError(o0, "the XML declaration names an encoding other than UTF-8", errEncoding)
			}
			return nil, svgError(o0, "not well-formed XML", err)
		}
		o1 := base + int(d.InputOffset())
		switch t := tok.(type) {
		case xml.StartElement:
			switch {
			case depth == 0 && rootDone:
				return nil, svgError(o0, "a second root element", nil)
			case depth == 0:
				name := rawName(img[o0:o1])
				if t.Name.Local != "svg" || t.Name.Space != svgNamespace && t.Name.Space != "" {
					return nil, fmt.Errorf("%w: an XML document whose root element is <%s>, not <svg>", ErrUnknownFormat, name)
				}
				if dup, ok := duplicateAttr(t.Attr); ok {
					return nil, svgError(o0, fmt.Sprintf("the root element has two %s attributes", attrName(dup)), nil)
				}
				rootSeen = true
				doc.rootEnd, doc.rootName = o1, name
				doc.selfClosing = bytes.HasSuffix(img[o0:o1], []byte("/>"))
				for _, a := range t.Attr {
					if a.Name.Space == "xmlns" && a.Name.Local == "openbadges" {
						doc.prefixURI, doc.prefixBound = a.Value, true
					}
				}
			case cur != nil:
				if cur.problem == "" {
					cur.problem, cur.problemAt = "the credential element contains an element", o0
				}
			case t.Name.Local == "credential" && t.Name.Space == SVGNamespace,
				t.Name.Local == "assertion" && t.Name.Space == legacyNamespace:
				cur = &svgElem{start: o0, depth: depth, legacy: t.Name.Space == legacyNamespace}
				if dup, ok := duplicateAttr(t.Attr); ok {
					cur.problem, cur.problemAt = fmt.Sprintf("the credential element has two %s attributes", attrName(dup)), o0
				}
				for _, a := range t.Attr {
					if a.Name.Space == "" && a.Name.Local == "verify" {
						cur.verify, cur.hasVerify = []byte(a.Value), true
					}
				}
			}
			depth++
		case xml.EndElement:
			depth--
			if depth == 0 {
				rootDone = true
			}
			if cur != nil && depth == cur.depth {
				cur.end = o1
				doc.elems = append(doc.elems, cur)
				cur = nil
			}
		case xml.CharData:
			switch {
			case depth == 0:
				if len(bytes.Trim(t, " \t\r\n")) > 0 {
					return nil, svgError(o0, "text outside the root element", nil)
				}
			case cur != nil:
				cur.content = append(cur.content, t...)
			}
		case xml.Directive:
			switch {
			case bytes.Contains(t, []byte("ENTITY")) || bytes.HasPrefix(t, []byte("DOCTYPE")) && bytes.ContainsRune(t, '['):
				return nil, svgError(o0, "entity declarations and DTD internal subsets are refused", ErrDTD)
			case !bytes.HasPrefix(t, []byte("DOCTYPE")) || rootSeen || doctypeSeen:
				return nil, svgError(o0, fmt.Sprintf("unexpected declaration <!%s>", truncate(t, 40)), nil)
			}
			doctypeSeen = true
		}
	}
	if !rootSeen {
		return nil, fmt.Errorf("%w: an XML document with no root element", ErrUnknownFormat)
	}
	return &doc, nil
}

// rawName returns the element name at the start of a start tag, as written.
func rawName(tag []byte) string {
	tag = tag[1:] // '<'
	if i := bytes.IndexAny(tag, " \t\r\n/>"); i >= 0 {
		tag = tag[:i]
	}
	return string(tag)
}

func duplicateAttr(attrs []xml.Attr) (xml.Name, bool) {
	seen := make(map[xml.Name]bool, len(attrs))
	for _, a := range attrs {
		if seen[a.Name] {
			return a.Name, true
		}
		seen[a.Name] = true
	}
	return xml.Name{}, false
}

func attrName(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return "{" + n.Space + "}" + n.Local
}

func truncate(b []byte, n int) string {
	if len(b) <= n {
		return string(b)
	}
	return string(b[:n]) + "..."
}

// result is the credential an element holds.
func (e *svgElem) result(opts *Options) (*Baked, error) {
	if e.problem != "" {
		return nil, svgError(e.problemAt, e.problem, nil)
	}
	content := trimCredential(e.content)
	what := "the credential element"
	if e.legacy {
		what = "the Open Badges 2.0 assertion element"
	}
	var (
		b   *Baked
		err error
	)
	switch {
	case e.hasVerify && len(content) > 0 && e.legacy:
		b, err = legacyBoth(e, opts)
	case e.hasVerify && len(content) > 0:
		return nil, svgError(e.start, what+" has both a verify attribute and content", nil)
	case e.hasVerify:
		b, err = found(FormatSVG, e.verify, e.legacy, opts)
		if err == nil && !e.legacy && b.Kind != KindJWS {
			err = svgError(e.start, "the verify attribute holds "+b.Kind.String()+", not a compact JWS", ErrNotCredential)
		}
	default:
		b, err = found(FormatSVG, e.content, e.legacy, opts)
		if err == nil && !e.legacy && b.Kind != KindJSON {
			err = svgError(e.start, "the credential element's content is a "+b.Kind.String()+", not JSON (a JWS belongs in the verify attribute)", ErrNotCredential)
		}
	}
	var ie *ImageError
	if errors.As(err, &ie) && ie.Offset < 0 {
		ie.Offset = int64(e.start)
	}
	if err != nil {
		return nil, err
	}
	return b, nil
}

// legacyBoth reads an OB 2.0 <assertion> element with both a verify
// attribute and content. The OB 2.0 baking specification's example bakes
// a hosted assertion that way: the assertion's URL in verify, its JSON as
// content. Any other pair (a JWS beside JSON, say) leaves it unclear which
// the badge is, and is refused.
func legacyBoth(e *svgElem, opts *Options) (*Baked, error) {
	u := trimCredential(e.verify)
	if classifyLegacy(u) != KindURL {
		return nil, svgError(e.start, "the Open Badges 2.0 assertion element has content and a verify attribute that is not the URL of the hosted assertion", ErrNotCredential)
	}
	b, err := found(FormatSVG, e.content, true, opts)
	if err != nil {
		return nil, err
	}
	if b.Kind != KindJSON {
		return nil, svgError(e.start, "the Open Badges 2.0 assertion element has a verify attribute and content that is "+b.Kind.String()+", not the assertion's JSON", ErrNotCredential)
	}
	b.HostedURL = string(u)
	return b, nil
}

// extractSVG returns the content of the OB 3.0 credential element or,
// when there is none, of the OB 2.0 assertion element. An image with two
// elements of the kind it would read is refused with ErrMultiple.
func extractSVG(img []byte, opts *Options) (*Baked, error) {
	doc, err := parseSVG(img)
	if err != nil {
		return nil, err
	}
	for _, legacy := range []bool{false, true} {
		e, err := doc.only(legacy)
		if err != nil {
			return nil, err
		}
		if e != nil {
			return e.result(opts)
		}
	}
	return nil, fmt.Errorf("%w: the SVG has no <credential> element in namespace %s", ErrNotBaked, SVGNamespace)
}

// SVG returns a copy of img, an SVG image, with credential baked into an
// <openbadges:credential> element placed directly after the <svg> start
// tag: a JWS in its verify attribute, JSON in a CDATA section (with CR LF
// and CR line ends written as LF, which is how every XML reader reads them
// anyway). The root gets an xmlns:openbadges declaration unless it already
// has one. Credential elements already present (and, unless
// opts.KeepLegacy, OB 2.0 assertion elements) are removed; every other byte
// is kept. The credential must be a JSON object or a compact JWS;
// surrounding whitespace and a leading byte order mark are dropped.
func SVG(img, credential []byte, opts *Options) ([]byte, error) {
	if f, err := detect(img, opts); err != nil {
		return nil, err
	} else if f != FormatSVG {
		return nil, &ImageError{Format: FormatSVG, Offset: 0, Reason: "not an SVG image (it looks like " + f.String() + ")"}
	}
	cred, kind, err := prepare(credential, opts)
	if err != nil {
		return nil, err
	}
	if kind == KindJSON {
		cred = normalizeNewlines(cred)
		if r, ok := nonXMLChar(cred); ok {
			return nil, fmt.Errorf("bake: the credential holds the character %U, which XML cannot carry; bake it into a PNG instead", r)
		}
	}
	doc, err := parseSVG(img)
	if err != nil {
		return nil, err
	}

	var out bytes.Buffer
	out.Grow(len(img) + len(cred) + 128)
	head := img[:doc.rootEnd-1] // up to the start tag's '>'
	if doc.selfClosing {
		head = img[:doc.rootEnd-2]
	}
	out.Write(head)
	if !doc.prefixBound {
		if c := head[len(head)-1]; c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			out.WriteByte(' ')
		}
		out.WriteString(`xmlns:openbadges="` + SVGNamespace + `"`)
	}
	out.WriteByte('>')
	out.WriteString("<openbadges:credential")
	if doc.prefixBound && doc.prefixURI != SVGNamespace {
		// The root binds the prefix to something else (OB 2.0's namespace,
		// usually): rebind it on the element itself.
		out.WriteString(` xmlns:openbadges="` + SVGNamespace + `"`)
	}
	if kind == KindJWS {
		out.WriteString(` verify="`)
		out.Write(cred) // base64url and dots: nothing to escape
		out.WriteString(`"></openbadges:credential>`)
	} else {
		out.WriteString("><![CDATA[")
		out.Write(bytes.ReplaceAll(cred, []byte("]]>"), []byte("]]]]><![CDATA[>")))
		out.WriteString("]]></openbadges:credential>")
	}
	if doc.selfClosing {
		out.WriteString("</" + doc.rootName + ">")
	}
	pos := doc.rootEnd
	for _, e := range doc.elems {
		if e.legacy && opts.keepLegacy() {
			continue
		}
		out.Write(img[pos:e.start])
		pos = e.end
	}
	out.Write(img[pos:])

	if max := opts.maxImage(); out.Len() > max {
		return nil, fmt.Errorf("%w: the baked image would be %d bytes, more than the limit of %d", ErrSizeLimit, out.Len(), max)
	}
	// Read the result back: what was written must be what is read.
	b, err := extractSVG(out.Bytes(), opts)
	if err != nil || b.Legacy || !bytes.Equal(b.Credential, cred) {
		return nil, fmt.Errorf("bake: internal error: the baked SVG does not read back (%v)", err)
	}
	return out.Bytes(), nil
}

// normalizeNewlines turns CR LF and lone CR into LF, as XML readers do.
func normalizeNewlines(b []byte) []byte {
	if !bytes.ContainsRune(b, '\r') {
		return b
	}
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	return bytes.ReplaceAll(b, []byte("\r"), []byte("\n"))
}

// nonXMLChar returns the first rune of b that is not an XML 1.0 Char.
func nonXMLChar(b []byte) (rune, bool) {
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		b = b[n:]
		if r == 0x09 || r == 0x0a || r == 0x0d || 0x20 <= r && r <= 0xd7ff || 0xe000 <= r && r <= 0xfffd || 0x10000 <= r && r <= 0x10ffff {
			if r == utf8.RuneError && n == 1 {
				return r, true
			}
			continue
		}
		return r, true
	}
	return 0, false
}
