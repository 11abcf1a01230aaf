package did

import "strings"

// A didURL is a DID URL split into its parts (W3C DID Core §3.2):
// "did:" method ":" msid, then an optional path, query and fragment.
type didURL struct {
	did      string // "did:" method ":" msid
	method   string
	msid     string // the method-specific identifier, percent-encoding kept
	path     string // "" or starting with "/"
	query    string // without the "?"
	fragment string // without the "#"
	hasQuery bool
	hasFrag  bool
}

// parseDIDURL parses a DID URL by the ABNF of DID Core §3.1 and §3.2 and RFC
// 3986: the method name is lowercase letters and digits; the
// method-specific identifier is colon-separated runs of ALPHA, DIGIT, ".",
// "-", "_" and percent-encodings, the last run not empty; path, query and
// fragment hold only the characters RFC 3986 allows there.
func parseDIDURL(s string) (didURL, error) {
	var u didURL
	if err := checkLen(s); err != nil {
		return u, err
	}
	rest, ok := strings.CutPrefix(s, "did:")
	if !ok {
		return u, invalidf("%s is not a DID", quote(s))
	}
	i := 0
	for i < len(rest) && (rest[i] >= 'a' && rest[i] <= 'z' || rest[i] >= '0' && rest[i] <= '9') {
		i++
	}
	if i == 0 || i == len(rest) || rest[i] != ':' {
		return u, invalidf("%s: a DID's method name is lowercase letters and digits followed by \":\"", quote(s))
	}
	u.method = rest[:i]
	rest = rest[i+1:]

	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	u.msid = rest[:end]
	if err := checkMSID(u.msid); err != nil {
		return u, invalidf("%s: %v", quote(s), err)
	}
	u.did = s[:len("did:")+len(u.method)+1+end]
	rest = rest[end:]

	if end := strings.IndexAny(rest, "?#"); end < 0 {
		u.path, rest = rest, ""
	} else {
		u.path, rest = rest[:end], rest[end:]
	}
	if err := checkURIPart(u.path, "/:@"); err != nil {
		return u, invalidf("%s: path: %v", quote(s), err)
	}
	if q, ok := strings.CutPrefix(rest, "?"); ok {
		u.hasQuery = true
		var frag string
		var hasFrag bool
		u.query, frag, hasFrag = strings.Cut(q, "#")
		rest = ""
		if hasFrag {
			rest = "#" + frag
		}
		if err := checkURIPart(u.query, "/?:@"); err != nil {
			return u, invalidf("%s: query: %v", quote(s), err)
		}
	}
	if f, ok := strings.CutPrefix(rest, "#"); ok {
		u.hasFrag = true
		u.fragment = f
		if err := checkURIPart(u.fragment, "/?:@"); err != nil {
			return u, invalidf("%s: fragment: %v", quote(s), err)
		}
	}
	return u, nil
}

// String reassembles the DID URL.
func (u didURL) String() string {
	s := u.did + u.path
	if u.hasQuery {
		s += "?" + u.query
	}
	if u.hasFrag {
		s += "#" + u.fragment
	}
	return s
}

// checkMSID checks a method-specific identifier:
// *( *idchar ":" ) 1*idchar, idchar = ALPHA / DIGIT / "." / "-" / "_" /
// pct-encoded.
func checkMSID(msid string) error {
	if msid == "" || msid[len(msid)-1] == ':' {
		return errString("the method-specific identifier is empty or ends with \":\"")
	}
	for i := 0; i < len(msid); i++ {
		c := msid[i]
		switch {
		case isAlnum(c) || c == '.' || c == '-' || c == '_' || c == ':':
		case c == '%':
			if i+2 >= len(msid) || !isHex(msid[i+1]) || !isHex(msid[i+2]) {
				return errString("\"%\" not followed by two hex digits")
			}
			i += 2
		default:
			return errString("character " + quoteByte(c) + " has no place in a DID")
		}
	}
	return nil
}

// checkURIPart checks that s holds only unreserved characters, sub-delims,
// percent-encodings and the characters in extra (RFC 3986 pchar and the
// like).
func checkURIPart(s, extra string) error {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isAlnum(c) || strings.IndexByte("-._~!$&'()*+,;=", c) >= 0 || strings.IndexByte(extra, c) >= 0:
		case c == '%':
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return errString("\"%\" not followed by two hex digits")
			}
			i += 2
		default:
			return errString("character " + quoteByte(c) + " is not allowed")
		}
	}
	return nil
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

func quoteByte(c byte) string {
	if c > ' ' && c < 0x7f {
		return "'" + string(rune(c)) + "'"
	}
	const hex = "0123456789abcdef"
	return "0x" + string([]byte{hex[c>>4], hex[c&15]})
}

// errString is an error with a fixed message, for the parsers' details.
type errString string

func (e errString) Error() string { return string(e) }
