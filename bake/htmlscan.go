package bake

import (
	"bytes"
)

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
