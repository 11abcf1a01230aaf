package jose

import "bytes"

// IsCompact reports whether b has the form of a compact JWS (RFC 7515
// §7.1): three base64url parts separated by dots, the header and payload
// not empty. It decodes nothing; Verifier.Verify says whether the JWS is
// one this package accepts.
func IsCompact(b []byte) bool {
	first := bytes.IndexByte(b, '.')
	last := bytes.LastIndexByte(b, '.')
	if first <= 0 || last == first || last == first+1 || bytes.Count(b, []byte(".")) != 2 {
		return false
	}
	for _, c := range b {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}
