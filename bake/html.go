package bake

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// The media types of the <script> elements that carry a credential in an
// HTML page. Other types are not credentials: application/ld+json in
// particular is the schema.org markup that search engines read, on pages
// of every kind.
const (
	scriptVC        = "application/vc"             // VCDM 2.0, JSON
	scriptVCLD      = "application/vc+ld+json"     // VCDM 1.1 and OB 3.0, JSON
	scriptVCJWT     = "application/vc+jwt"         // VC-JOSE and OB 3.0 VC-JWT
	scriptVCLDJWT   = "application/vc+ld+json+jwt" // VCDM 1.1 JWT
	credentialTypes = "application/vc, application/vc+ld+json, application/vc+jwt or application/vc+ld+json+jwt"
)

// ScriptType returns the type attribute for the <script> element that
// carries credential in an HTML page: "application/vc+ld+json" for a JSON
// object, "application/vc+jwt" for a compact JWS, and "" for anything else
// (surrounding whitespace and a leading byte order mark aside). Extract
// reads both, and also application/vc and application/vc+ld+json+jwt.
func ScriptType(credential []byte) string {
	switch classify(trimCredential(credential)) {
	case KindJSON:
		return scriptVCLD
	case KindJWS:
		return scriptVCJWT
	}
	return ""
}

// EscapeScript returns json with every "<", ">" and "&" written as the JSON
// escapes \u003c, \u003e and \u0026, and U+2028 and U+2029 as \u2028 and
// \u2029, so that it can be the text of a <script> element: an HTML parser
// ends a script at the first "</script" and treats "<!--" specially, and
// neither can then occur. json must be JSON: outside strings these
// characters cannot occur in JSON, so only strings change, and the result
// is the same JSON value (every JSON parser reads it back equal; proofs,
// which sign the value and not its bytes, still verify). A compact JWS has
// none of these characters and comes back unchanged. For text that is not
// JSON the result is meaningless.
func EscapeScript(json []byte) []byte {
	n := 0
	for i := 0; i < len(json); i++ {
		switch json[i] {
		case '<', '>', '&':
			n++
		case 0xe2:
			if i+2 < len(json) && json[i+1] == 0x80 && (json[i+2] == 0xa8 || json[i+2] == 0xa9) {
				n++
			}
		}
	}
	if n == 0 {
		return bytes.Clone(json)
	}
	const hex = "0123456789abcdef"
	out := make([]byte, 0, len(json)+5*n)
	for i := 0; i < len(json); i++ {
		c := json[i]
		switch {
		case c == '<' || c == '>' || c == '&':
			out = append(out, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		case c == 0xe2 && i+2 < len(json) && json[i+1] == 0x80 && (json[i+2] == 0xa8 || json[i+2] == 0xa9):
			out = append(out, '\\', 'u', '2', '0', '2', hex[json[i+2]-0xa0])
			i += 2
		default:
			out = append(out, c)
		}
	}
	return out
}

// isHTMLStart reports whether b, which starts with "<", is the start of an
// HTML page: "<!DOCTYPE html" or "<html", after any HTML comments and
// whitespace.
func isHTMLStart(b []byte) bool {
	for {
		if !bytes.HasPrefix(b, []byte("<!--")) {
			break
		}
		end := commentEnd(b, 0)
		if end >= len(b) {
			return false
		}
		b = bytes.TrimLeft(b[end:], " \t\r\n\f")
	}
	switch {
	case hasPrefixFold(b, "<!doctype"):
		rest := bytes.TrimLeft(b[len("<!doctype"):], " \t\r\n\f")
		return hasPrefixFold(rest, "html") && (len(rest) == 4 || isHTMLSpace(rest[4]) || rest[4] == '>')
	case hasPrefixFold(b, "<html"):
		return len(b) == 5 || isHTMLSpace(b[5]) || b[5] == '>' || b[5] == '/'
	}
	return false
}

// htmlScript is a <script> element whose type is a credential's.
type htmlScript struct {
	start   int    // the offset of its start tag
	typ     string // its media type, lower case, without parameters
	content []byte // its text, as the HTML parser reads it (but for line ends)
	closed  bool   // an end tag ends it (if not, the page does)
}

// extractHTML returns the text of the one credential script in page.
func extractHTML(page []byte, opts *Options) (*Baked, error) {
	scripts := scanHTML(page)
	switch len(scripts) {
	case 0:
		return nil, fmt.Errorf("%w: the HTML page has no <script> element of type %s", ErrNotBaked, credentialTypes)
	case 1:
	default:
		first, second := scripts[0], scripts[1]
		return nil, &ImageError{
			Format: FormatHTML,
			Offset: int64(second.start),
			Reason: fmt.Sprintf("two credential <script> elements (%s at byte %d, %s at byte %d)", first.typ, first.start, second.typ, second.start),
			Err:    ErrMultiple,
		}
	}
	s := scripts[0]
	bad := func(reason string, err error) error {
		return &ImageError{Format: FormatHTML, Offset: int64(s.start), Reason: reason, Err: err}
	}
	if !s.closed {
		return nil, bad("the credential <script> element has no end tag", nil)
	}
	b, err := found(FormatHTML, s.content, false, opts)
	if err != nil {
		if ie, ok := err.(*ImageError); ok && ie.Offset < 0 {
			ie.Offset = int64(s.start)
		}
		return nil, err
	}
	want := KindJSON
	if s.typ == scriptVCJWT || s.typ == scriptVCLDJWT {
		want = KindJWS
	}
	if b.Kind != want {
		return nil, bad(fmt.Sprintf("the <script> element of type %s holds %s, not %s", s.typ, b.Kind, want), ErrNotCredential)
	}
	return b, nil
}

// scanHTML finds the <script> elements of page whose type is a
// credential's, by the rules of the HTML tokenizer for HTML content:
// comments, the DOCTYPE, processing instructions and CDATA sections (bogus
// comments, in HTML) hide what they hold; the text of script, style,
// textarea, title, xmp, iframe, noembed, noframes and noscript elements
// (the last as a browser that runs scripts reads it) is text, whatever
// looks like a tag in it; a script ends at its end tag, except where the
// script data escape rules ("<!--" then "<script") say otherwise; and
// after <plaintext> everything is text. Attributes may be quoted with " or
// ' or not quoted, names are compared in ASCII lower case, the first of two
// attributes of the same name wins, and numeric and the few named
// character references that can make up a media type are decoded. Foreign
// content (inline <svg> and <math>), where CDATA sections and script
// elements follow other rules, is not told apart. The cost is linear in
// the page's length.
func scanHTML(page []byte) []htmlScript {
	var scripts []htmlScript
	i := 0
	for i < len(page) {
		j := bytes.IndexByte(page[i:], '<')
		if j < 0 {
			break
		}
		j += i
		if j+1 >= len(page) {
			break
		}
		switch c := page[j+1]; {
		case c == '!':
			if bytes.HasPrefix(page[j:], []byte("<!--")) {
				i = commentEnd(page, j)
			} else {
				i = bogusCommentEnd(page, j+2)
			}
		case c == '?':
			i = bogusCommentEnd(page, j+1)
		case c == '/':
			switch {
			case j+2 < len(page) && isASCIILetter(page[j+2]):
				t := readTag(page, j+2)
				i = t.end
			case j+2 < len(page) && page[j+2] == '>':
				i = j + 3
			case j+2 >= len(page):
				i = len(page)
			default:
				i = bogusCommentEnd(page, j+2)
			}
		case isASCIILetter(c):
			t := readTag(page, j+1)
			if !t.complete {
				return scripts // a tag cut off by the end of the page is dropped
			}
			i = t.end
			switch t.name {
			case "script":
				end, next, closed := scriptDataEnd(page, i)
				if typ, ok := credentialScriptType(t.typ, t.hasType); ok {
					scripts = append(scripts, htmlScript{start: j, typ: typ, content: page[i:end], closed: closed})
				}
				i = next
			case "style", "xmp", "iframe", "noembed", "noframes", "noscript", "title", "textarea":
				_, i = rawTextEnd(page, i, t.name)
			case "plaintext":
				return scripts
			}
		default:
			i = j + 1
		}
	}
	return scripts
}

// credentialScriptType returns the media type of a script's type
// attribute, without parameters and in lower case, if it is a
// credential's.
func credentialScriptType(v string, present bool) (string, bool) {
	if !present {
		return "", false
	}
	if k := strings.IndexByte(v, ';'); k >= 0 {
		v = v[:k]
	}
	v = strings.ToLower(strings.Trim(v, " \t\n\f\r"))
	switch v {
	case scriptVC, scriptVCLD, scriptVCJWT, scriptVCLDJWT:
		return v, true
	}
	return "", false
}

// commentEnd returns the offset just after the comment that starts with
// "<!--" at page[start:]: after "-->" or "--!>", or after the abrupt
// "<!-->" and "<!--->"; len(page) if the comment is not closed.
func commentEnd(page []byte, start int) int {
	k := start + 4
	switch {
	case bytes.HasPrefix(page[k:], []byte(">")):
		return k + 1
	case bytes.HasPrefix(page[k:], []byte("->")):
		return k + 2
	}
	for {
		d := bytes.Index(page[k:], []byte("--"))
		if d < 0 {
			return len(page)
		}
		m := k + d + 2
		for m < len(page) && page[m] == '-' {
			m++
		}
		switch {
		case m < len(page) && page[m] == '>':
			return m + 1
		case m+1 < len(page) && page[m] == '!' && page[m+1] == '>':
			return m + 2
		}
		k = m
	}
}

// bogusCommentEnd returns the offset after the first ">" at or after k, or
// len(page).
func bogusCommentEnd(page []byte, k int) int {
	if k >= len(page) {
		return len(page)
	}
	e := bytes.IndexByte(page[k:], '>')
	if e < 0 {
		return len(page)
	}
	return k + e + 1
}

// rawTextEnd returns, for a RAWTEXT or RCDATA element named name whose
// text starts at page[i:], where its text ends and the offset after its end
// tag; both are len(page) if it has none.
func rawTextEnd(page []byte, i int, name string) (contentEnd, next int) {
	for {
		k := bytes.Index(page[i:], []byte("</"))
		if k < 0 {
			return len(page), len(page)
		}
		k += i
		if isEndTag(page, k, name) {
			return k, readTag(page, k+2).end
		}
		i = k + 2
	}
}

// isEndTag reports whether page[k:] is "</" name (in any case) followed by
// whitespace, "/" or ">": an end tag that ends a raw text element.
func isEndTag(page []byte, k int, name string) bool {
	e := k + 2 + len(name)
	if e >= len(page) || page[k] != '<' || page[k+1] != '/' || !hasPrefixFold(page[k+2:], name) {
		return false
	}
	c := page[e]
	return isHTMLSpace(c) || c == '/' || c == '>'
}

// The states of the script data part of the HTML tokenizer (HTML Living
// Standard, 13.2.5.15 to 13.2.5.31) that matter for where a script ends.
const (
	scriptData = iota
	scriptEscaped
	scriptEscapedDash
	scriptEscapedDashDash
	scriptDoubleEscaped
	scriptDoubleEscapedDash
	scriptDoubleEscapedDashDash
)

// scriptDataEnd returns, for a script whose text starts at page[i:], where
// its text ends, the offset after its end tag, and whether it has one. A
// script ends at the first "</script" followed by whitespace, "/" or ">",
// but for the script data escape rules: after "<!--", a "<script" starts
// a part where "</script" does not end the element (until "</script" or
// "-->"), as it does in every browser.
func scriptDataEnd(page []byte, i int) (contentEnd, next int, closed bool) {
	st := scriptData
	for j := i; j < len(page); j++ {
		c := page[j]
		switch st {
		case scriptData:
			if c != '<' {
				k := bytes.IndexByte(page[j:], '<')
				if k < 0 {
					return len(page), len(page), false
				}
				j += k - 1
				continue
			}
			if isEndTag(page, j, "script") {
				return j, readTag(page, j+2).end, true
			}
			if bytes.HasPrefix(page[j:], []byte("<!--")) {
				st = scriptEscapedDashDash
				j += 3
			}
		case scriptEscaped, scriptEscapedDash, scriptEscapedDashDash:
			switch {
			case c == '-':
				if st == scriptEscaped {
					st = scriptEscapedDash
				} else {
					st = scriptEscapedDashDash
				}
			case c == '>' && st == scriptEscapedDashDash:
				st = scriptData
			case c == '<':
				if isEndTag(page, j, "script") {
					return j, readTag(page, j+2).end, true
				}
				st = scriptEscaped
				// "<" then letters: script data double escape start.
				k := j + 1
				for k < len(page) && isASCIILetter(page[k]) {
					k++
				}
				if k > j+1 && k < len(page) && (isHTMLSpace(page[k]) || page[k] == '/' || page[k] == '>') && k-j-1 == len("script") && hasPrefixFold(page[j+1:], "script") {
					st = scriptDoubleEscaped
					j = k // the character after the name is consumed
				} else {
					j = k - 1 // letters are text; reconsume what follows
				}
			default:
				st = scriptEscaped
			}
		default: // double escaped
			switch {
			case c == '-':
				if st == scriptDoubleEscaped {
					st = scriptDoubleEscapedDash
				} else {
					st = scriptDoubleEscapedDashDash
				}
			case c == '>' && st == scriptDoubleEscapedDashDash:
				st = scriptData
			case c == '<':
				st = scriptDoubleEscaped
				if j+1 < len(page) && page[j+1] == '/' {
					// Script data double escape end.
					k := j + 2
					for k < len(page) && isASCIILetter(page[k]) {
						k++
					}
					if k < len(page) && (isHTMLSpace(page[k]) || page[k] == '/' || page[k] == '>') && k-j-2 == len("script") && hasPrefixFold(page[j+2:], "script") {
						st = scriptEscaped
						j = k
					} else {
						j = k - 1
					}
				}
			default:
				st = scriptDoubleEscaped
			}
		}
	}
	return len(page), len(page), false
}

// htmlTag is what scanHTML needs to know of a tag.
type htmlTag struct {
	name     string // lower case; "" if longer than any name that matters
	typ      string // the first type attribute, character references decoded
	hasType  bool
	end      int  // the offset after the tag's ">"
	complete bool // the tag ends before the page does
}

// maxTagName is the length of the longest tag name scanHTML cares about
// ("plaintext").
const maxTagName = 9

// The states of the HTML tokenizer inside a tag (13.2.5.8 and 13.2.5.32 to
// 13.2.5.40).
const (
	stTagName = iota
	stBeforeAttrName
	stAttrName
	stAfterAttrName
	stBeforeAttrValue
	stAttrValueDouble
	stAttrValueSingle
	stAttrValueUnquoted
	stAfterAttrValueQuoted
	stSelfClosingStartTag
)

// readTag reads a start or end tag whose name starts at page[i] (an ASCII
// letter), as the HTML tokenizer does.
func readTag(page []byte, i int) htmlTag {
	var (
		t          htmlTag
		name       [maxTagName]byte
		nameLen    int
		attr       []byte // the current attribute's name, lower case, while it may be "type"
		attrLong   bool   // the current attribute's name is longer than "type"
		valueStart int
		isType     bool // the current attribute is the first type attribute
	)
	st := stTagName
	finishValue := func(end int) {
		if isType {
			t.typ = decodeCharRefs(page[valueStart:end])
			isType = false
		}
	}
	startAttr := func() {
		attr, attrLong = attr[:0], false
	}
	endAttrName := func() {
		if !attrLong && string(attr) == "type" && !t.hasType {
			t.hasType, isType = true, true // a type attribute with no value is empty
		}
	}
	for j := i; j < len(page); j++ {
		c := page[j]
		switch st {
		case stTagName:
			switch {
			case isHTMLSpace(c):
				st = stBeforeAttrName
			case c == '/':
				st = stSelfClosingStartTag
			case c == '>':
				t.end, t.complete = j+1, true
			default:
				if nameLen < maxTagName {
					name[nameLen] = lowerASCII(c)
				}
				nameLen++
			}
		case stBeforeAttrName:
			switch {
			case isHTMLSpace(c):
			case c == '/' || c == '>':
				st = stAfterAttrName
				j--
			case c == '=':
				startAttr()
				attr = append(attr, '=')
				st = stAttrName
			default:
				startAttr()
				st = stAttrName
				j--
			}
		case stAttrName:
			switch {
			case isHTMLSpace(c) || c == '/' || c == '>':
				endAttrName()
				st = stAfterAttrName
				j--
			case c == '=':
				endAttrName()
				st = stBeforeAttrValue
			default:
				if len(attr) < len("type") && !attrLong {
					attr = append(attr, lowerASCII(c))
				} else {
					attrLong = true
				}
			}
		case stAfterAttrName:
			switch {
			case isHTMLSpace(c):
			case c == '/':
				isType = false
				st = stSelfClosingStartTag
			case c == '=':
				st = stBeforeAttrValue
			case c == '>':
				isType = false
				t.end, t.complete = j+1, true
			default:
				isType = false
				startAttr()
				st = stAttrName
				j--
			}
		case stBeforeAttrValue:
			switch {
			case isHTMLSpace(c):
			case c == '"':
				st, valueStart = stAttrValueDouble, j+1
			case c == '\'':
				st, valueStart = stAttrValueSingle, j+1
			case c == '>':
				isType = false
				t.end, t.complete = j+1, true
			default:
				st, valueStart = stAttrValueUnquoted, j
				j--
			}
		case stAttrValueDouble, stAttrValueSingle:
			q := byte('"')
			if st == stAttrValueSingle {
				q = '\''
			}
			k := bytes.IndexByte(page[j:], q)
			if k < 0 {
				return htmlTag{end: len(page)}
			}
			j += k
			finishValue(j)
			st = stAfterAttrValueQuoted
		case stAttrValueUnquoted:
			switch {
			case isHTMLSpace(c):
				finishValue(j)
				st = stBeforeAttrName
			case c == '>':
				finishValue(j)
				t.end, t.complete = j+1, true
			}
		case stAfterAttrValueQuoted:
			switch {
			case isHTMLSpace(c):
				st = stBeforeAttrName
			case c == '/':
				st = stSelfClosingStartTag
			case c == '>':
				t.end, t.complete = j+1, true
			default:
				st = stBeforeAttrName
				j--
			}
		case stSelfClosingStartTag:
			if c == '>' {
				t.end, t.complete = j+1, true
			} else {
				st = stBeforeAttrName
				j--
			}
		}
		if t.complete {
			if nameLen <= maxTagName {
				t.name = string(name[:nameLen])
			}
			return t
		}
	}
	return htmlTag{end: len(page)}
}

// namedRefs are the named character references that can stand for a
// character of a media type with parameters; other references cannot make
// a credential's type, so they are left as they are.
var namedRefs = map[string]string{
	"sol": "/", "plus": "+", "semi": ";", "equals": "=", "period": ".",
	"comma": ",", "colon": ":", "lowbar": "_", "amp": "&", "quot": `"`,
	"apos": "'", "Tab": "\t", "NewLine": "\n", "nbsp": "\u00a0",
}

// decodeCharRefs decodes the numeric character references of an attribute
// value, and the named ones in namedRefs (with their semicolon).
func decodeCharRefs(v []byte) string {
	if bytes.IndexByte(v, '&') < 0 {
		return string(v)
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] != '&' {
			b.WriteByte(v[i])
			continue
		}
		if r, n := numericRef(v[i:]); n > 0 {
			b.WriteRune(r)
			i += n - 1
			continue
		}
		k := i + 1
		for k < len(v) && k-i <= 8 && isASCIIAlnum(v[k]) {
			k++
		}
		if k < len(v) && v[k] == ';' {
			if s, ok := namedRefs[string(v[i+1:k])]; ok {
				b.WriteString(s)
				i = k
				continue
			}
		}
		b.WriteByte('&')
	}
	return b.String()
}

// numericRef decodes a numeric character reference at the start of v
// ("&#" digits or "&#x" hex digits, the ";" optional) and returns its
// character and length, or length 0.
func numericRef(v []byte) (rune, int) {
	if len(v) < 3 || v[1] != '#' {
		return 0, 0
	}
	k, base := 2, 10
	if v[2] == 'x' || v[2] == 'X' {
		k, base = 3, 16
	}
	start := k
	var n int64
	for k < len(v) {
		d := hexDigit(v[k])
		if d < 0 || d >= base {
			break
		}
		if n <= utf8.MaxRune {
			n = n*int64(base) + int64(d)
		}
		k++
	}
	if k == start {
		return 0, 0
	}
	if k < len(v) && v[k] == ';' {
		k++
	}
	r := rune(n)
	if n == 0 || n > utf8.MaxRune || 0xd800 <= n && n <= 0xdfff || 0x80 <= n && n <= 0x9f {
		r = utf8.RuneError // C1 controls become other non-ASCII characters
	}
	return r, k
}

func hexDigit(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

func isHTMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isASCIIAlnum(c byte) bool { return isASCIILetter(c) || '0' <= c && c <= '9' }

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// hasPrefixFold reports whether b starts with prefix, which is lower case
// ASCII, in any case.
func hasPrefixFold(b []byte, prefix string) bool {
	if len(b) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if lowerASCII(b[i]) != prefix[i] {
			return false
		}
	}
	return true
}
