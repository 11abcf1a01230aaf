package jsonld

import (
	"net/url"
	"strings"
	"unicode/utf8"
)

func isAlpha(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// ValidIRI reports whether s is an absolute IRI that the conversion to RDF
// accepts (see checkIRI).
func ValidIRI(s string) bool { return checkIRI(s, "") == nil }

// checkIRI returns a safe mode error unless s is an absolute IRI: a scheme
// (a letter, then letters, digits, "+", "-" or "."), a colon, and no
// character that RFC 3987 forbids anywhere in an IRI (controls, space,
// <>"{}|\^`). A relative reference is what a term no context defines, or a
// relative @id or @type, turns into.
func checkIRI(s, role string) error {
	if colon := strings.IndexByte(s, ':'); colon <= 0 || !validScheme(s[:colon]) {
		return safeModeErr(s, "%s is not an absolute IRI (a relative reference, or a term no context defines)", role)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < utf8.RuneSelf {
			if iriForbidden[c] {
				return safeModeErr(s, "%s is not a valid IRI: it contains %q", role, rune(c))
			}
			continue
		}
		// U+FFFD, what invalid UTF-8 decodes to, is refused too.
		if r, size := utf8.DecodeRuneInString(s[i:]); r == utf8.RuneError {
			return safeModeErr(s, "%s is not a valid IRI: it contains %q", role, r)
		} else {
			i += size - 1
		}
	}
	return nil
}

// iriForbidden marks the ASCII characters RFC 3987 allows nowhere in an
// IRI: controls, space, DEL and <>"{}|\^`.
var iriForbidden = func() (t [utf8.RuneSelf]bool) {
	for c := 0; c <= 0x20; c++ {
		t[c] = true
	}
	t[0x7f] = true
	for _, c := range "<>\"{}|\\^`" {
		t[c] = true
	}
	return t
}()

// absoluteIRI is json-gold's IsAbsoluteIri: url.Parse succeeds and finds
// a scheme. The common case (a scheme, then an opaque part: urn:uuid:…,
// did:key:…) is decided without url.Parse, as url.Parse decides it: it
// accepts any opaque part without control characters, and checks escapes
// only in the fragment, so one without '%' needs no parsing.
func absoluteIRI(v string) bool {
	if colon := strings.IndexByte(v, ':'); colon > 0 && validScheme(v[:colon]) && !strings.HasPrefix(v[colon+1:], "/") {
		simple := true
		for i := 0; i < len(v) && simple; i++ {
			c := v[i]
			simple = c >= 0x20 && c != 0x7f && c != '%'
		}
		if simple {
			return true
		}
	}
	u, err := url.Parse(v)
	return err == nil && u.IsAbs()
}

// validScheme reports whether s is a URL scheme as url.Parse reads one, and
// RFC 3987 defines one: a letter, then letters, digits, '+', '-' or '.'.
func validScheme(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !letter && (i == 0 || !(c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	return s != ""
}
