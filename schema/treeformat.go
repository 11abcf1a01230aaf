package schema

import (
	"strconv"
	"strings"
	"time"
)

// The formats the embedded schemas assert, "date" and "date-time", checked
// as the general validator (santhosh-tekuri/jsonschema v6) checks them:
// the same tests in the same order, so that both accept exactly the same
// strings, without allocating for a valid one. TestTreeFormats and
// FuzzTreeFormats compare them.

// validDate reports whether s is a full-date of RFC 3339 (YYYY-MM-DD), as
// time.Parse reads one.
func validDate(s string) bool {
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

// validDateTime reports whether s is an RFC 3339 date-time.
func validDateTime(s string) bool {
	// min: yyyy-mm-ddThh:mm:ssZ
	if len(s) < 20 {
		return false
	}
	if s[10] != 't' && s[10] != 'T' {
		return false
	}
	return validDate(s[:10]) && validTime(s[11:])
}

// splitN splits s around sep into at most len(out) substrings, as
// strings.SplitN(s, sep, len(out)) would, into out, and returns how many
// there are.
func splitN(s string, sep byte, out []string) int {
	k := 0
	for k < len(out)-1 {
		i := strings.IndexByte(s, sep)
		if i < 0 {
			break
		}
		out[k] = s[:i]
		k++
		s = s[i+1:]
	}
	out[k] = s
	return k + 1
}

// atoiAll reads each token as strconv.Atoi does into nums, and reports
// whether every one is a non-negative integer.
func atoiAll(toks []string, nums []int) bool {
	for i, tok := range toks {
		n, err := strconv.Atoi(tok)
		if err != nil || n < 0 {
			return false
		}
		nums[i] = n
	}
	return true
}

// validTime reports whether s is an RFC 3339 full-time (hh:mm:ss, an
// optional fraction, and Z or an offset).
func validTime(str string) bool {
	// min: hh:mm:ssZ
	if len(str) < 9 {
		return false
	}
	if str[2] != ':' || str[5] != ':' {
		return false
	}

	// parse hh:mm:ss
	var toks [3]string
	var hms [3]int
	k := splitN(str[:8], ':', toks[:])
	if !atoiAll(toks[:k], hms[:]) || k != 3 {
		return false
	}
	h, m, s := hms[0], hms[1], hms[2]
	if h > 23 || m > 59 || s > 60 {
		return false
	}
	str = str[8:]

	// parse sec-frac if present
	if rem, ok := strings.CutPrefix(str, "."); ok {
		numDigits := 0
		for _, ch := range rem {
			if ch >= '0' && ch <= '9' {
				numDigits++
			} else {
				break
			}
		}
		if numDigits == 0 {
			return false
		}
		str = rem[numDigits:]
	}

	if str != "z" && str != "Z" {
		// parse time-numoffset
		if len(str) != 6 {
			return false
		}
		var sign int
		switch str[0] {
		case '+':
			sign = -1
		case '-':
			sign = +1
		default:
			return false
		}
		str = str[1:]
		if str[2] != ':' {
			return false
		}
		var zhm [2]int
		k := splitN(str, ':', toks[:2])
		if !atoiAll(toks[:k], zhm[:]) {
			return false
		}
		zh, zm := zhm[0], zhm[1]
		if zh > 23 || zm > 59 {
			return false
		}

		// apply timezone
		hm := (h*60 + m) + sign*(zh*60+zm)
		if hm < 0 {
			hm += 24 * 60
		}
		h, m = hm/60, hm%60
	}

	// check leap second
	if s >= 60 && (h != 23 || m != 59) {
		return false
	}
	return true
}
