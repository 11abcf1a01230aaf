package bake

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

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
