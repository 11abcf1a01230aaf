// What a value must look like for the rules' own tags: absolute URIs,
// compact JWS, language codes, identity hashes, coordinates.

package credential

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/lestrrat-go/jwx/v2/jwa"
	"github.com/lestrrat-go/jwx/v2/jws"
)

var (
	// languageCode is the inLanguage pattern of the OB 3.0 JSON Schema.
	languageCode = regexp.MustCompile(`^[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$`)
	// compactJWS is the CompactJws pattern of the OB 3.0 JSON Schema.
	compactJWS = regexp.MustCompile(`^[a-zA-Z0-9_-]+\.[a-zA-Z0-9_-]*\.[a-zA-Z0-9_-]+$`)
	// identityHash is the IdentityHash form: algorithm, "$", hex digest.
	identityHash = regexp.MustCompile(`^(sha256\$[0-9a-fA-F]{64}|md5\$[0-9a-fA-F]{32})$`)
)

// hasURIScheme reports whether s starts with RFC 3986's scheme followed by
// the colon: a letter, then letters, digits, "+", "-" or ".".
func hasURIScheme(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return true
		default:
			return false
		}
	}
	return false
}

// isAbsoluteURI reports whether s is an absolute URI (RFC 3986 §4.3: a
// scheme, then a hierarchical or opaque part): "https://x", "urn:uuid:…",
// "did:key:…", "data:image/png;base64,…". Relative references are not:
// JSON-LD would resolve them against a base the verifier cannot know.
//
// The verdict is net/url.Parse's (a scheme, and an opaque part, a host or
// a path), read without building a URL: every credential check asks it of
// several ids. Only an authority other than a plain host[:port] (user
// information, an IP literal, escapes) is handed to url.Parse itself.
func isAbsoluteURI(s string) bool {
	if !hasURIScheme(s) || strings.ContainsAny(s, " \t\r\n<>\"{}|\\^`") {
		return false
	}
	// url.Parse cuts the fragment off first and checks its escapes alone;
	// control bytes are refused only before it.
	u, frag, _ := strings.Cut(s, "#")
	if !wellEscaped(frag) || hasControlByte(u) {
		return false
	}
	_, rest, _ := strings.Cut(u, ":") // the scheme is non-empty: hasURIScheme
	rest, _, _ = strings.Cut(rest, "?")
	switch {
	case !strings.HasPrefix(rest, "/"):
		return rest != "" // opaque: url.Parse checks nothing in it
	case !strings.HasPrefix(rest, "//"):
		return wellEscaped(rest) // a non-empty path
	}
	authority, path := rest[2:], ""
	if i := strings.IndexByte(authority, '/'); i >= 0 {
		authority, path = authority[:i], authority[i:]
	}
	if !isPlainHost(authority) {
		u, err := url.Parse(s)
		return err == nil && u.Scheme != "" && (u.Opaque != "" || u.Host != "" || u.Path != "")
	}
	return wellEscaped(path) && (authority != "" || path != "")
}

// wellEscaped reports whether every "%" in s starts an escape of two hex
// digits, all url.Parse asks of a path or a fragment.
func wellEscaped(s string) bool {
	for i := strings.IndexByte(s, '%'); i >= 0; i = strings.IndexByte(s, '%') {
		if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
			return false
		}
		s = s[i+3:]
	}
	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// hasControlByte reports whether s holds an ASCII control byte, which
// url.Parse refuses.
func hasControlByte(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] == 0x7f {
			return true
		}
	}
	return false
}

// isPlainHost reports whether an authority is a host name of unreserved
// characters with at most a ":port" of digits, which url.Parse takes as
// it is; any other authority is left to url.Parse.
func isPlainHost(a string) bool {
	host, port, hasPort := strings.Cut(a, ":")
	for i := 0; i < len(host); i++ {
		c := host[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
			return false
		}
	}
	if hasPort {
		for i := 0; i < len(port); i++ {
			if port[i] < '0' || port[i] > '9' {
				return false
			}
		}
	}
	return true
}

// isCompactJWS reports whether s is a compact JWS whose protected header
// decodes and names a signature algorithm. It does not verify the signature.
func isCompactJWS(s string) bool {
	if !compactJWS.MatchString(s) {
		return false
	}
	msg, err := jws.Parse([]byte(s), jws.WithCompact())
	if err != nil || len(msg.Signatures()) != 1 {
		return false
	}
	alg := msg.Signatures()[0].ProtectedHeaders().Algorithm()
	return alg != "" && alg != jwa.NoSignature
}

func inRange(s string, limit float64) bool {
	f, err := strconv.ParseFloat(s, 64)
	return err == nil && f >= -limit && f <= limit
}
