package bake

import (
	"bytes"
	"fmt"
	"strings"
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
