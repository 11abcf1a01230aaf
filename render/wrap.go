package render

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// wrap breaks s into at most maxLines lines of about width columns (a
// wide East Asian character counts two), at spaces where it can and
// anywhere where it must; text that does not fit ends the last line with
// an ellipsis. It returns at least one line.
func wrap(s string, width, maxLines int) []string {
	if width < 1 {
		width = 1
	}
	if maxLines < 1 {
		maxLines = 1
	}
	var lines []string
	var line strings.Builder
	cols := 0
	flush := func() {
		lines = append(lines, strings.TrimSpace(line.String()))
		line.Reset()
		cols = 0
	}
	words := strings.Fields(s)
	for wi, w := range words {
		ww := columns(w)
		if cols > 0 && cols+1+ww > width {
			flush()
			if len(lines) == maxLines {
				return ellipsize(lines, strings.Join(words[wi:], " "), width)
			}
		}
		if cols > 0 {
			line.WriteByte(' ')
			cols++
		}
		for _, r := range w {
			rw := runeColumns(r)
			if cols+rw > width {
				flush()
				if len(lines) == maxLines {
					return ellipsize(lines, "…", width)
				}
			}
			line.WriteRune(r)
			cols += rw
		}
	}
	if line.Len() > 0 || len(lines) == 0 {
		flush()
	}
	return lines
}

// ellipsize marks the last line as cut short: rest did not fit.
func ellipsize(lines []string, rest string, width int) []string {
	if rest == "" {
		return lines
	}
	last := lines[len(lines)-1]
	for columns(last)+1 > width && last != "" {
		_, size := utf8.DecodeLastRuneInString(last)
		last = last[:len(last)-size]
	}
	lines[len(lines)-1] = strings.TrimSpace(last) + "…"
	return lines
}

// columns is the width of s in columns.
func columns(s string) int {
	n := 0
	for _, r := range s {
		n += runeColumns(r)
	}
	return n
}

// runeColumns is 2 for wide East Asian characters, 0 for marks and format
// characters, 1 otherwise.
func runeColumns(r rune) int {
	switch {
	case unicode.Is(unicode.Mn, r), unicode.Is(unicode.Cf, r):
		return 0
	case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul),
		r >= 0xFF00 && r <= 0xFF60, r >= 0x3000 && r <= 0x303F:
		return 2
	}
	return 1
}
