package pdf

import (
	"golang.org/x/text/unicode/bidi"
)

// The Unicode Bidirectional Algorithm (UAX #9) for the PDF, which fpdf
// draws strictly left to right: the levels of a paragraph are resolved
// here and each line is put in visual order before it is drawn.
//
// The character data (bidi classes, paired brackets) is that of
// golang.org/x/text/unicode/bidi. Its Paragraph and Ordering are not
// used: they give runs in logical order with only the parity of their
// level, so a number inside an Arabic run of a left-to-right line cannot
// be placed; their bracket pairing compares an opening bracket with its
// closing one and never matches, so "Hello (world)" in a right-to-left
// paragraph ends with a misplaced bracket; and Line forgets the
// paragraph's direction.
//
// What is implemented is the implicit algorithm: rules W1–W7, N0–N2,
// I1–I2 and L1–L2, with mirroring (L4). The explicit embedding, override
// and isolate characters (U+202A–U+202E, U+2066–U+2069) never reach it:
// the PDF drops them (see pdfClean), so that no text can reverse or
// disguise what follows it; each field is a paragraph of its own.

// bidiClass returns r's bidi class.
func bidiClass(r rune) bidi.Class {
	p, _ := bidi.LookupRune(r)
	return p.Class()
}

// bidiBaseRTL applies rules P2 and P3: a paragraph is right to left when
// its first strong character is, left to right when it is left to right,
// and rtl when it has none.
func bidiBaseRTL(rs []rune, rtl bool) bool {
	for _, r := range rs {
		switch bidiClass(r) {
		case bidi.L:
			return false
		case bidi.R, bidi.AL:
			return true
		}
	}
	return rtl
}

// bidiNeedsWork reports whether rs has a right-to-left character or an
// Arabic number, the only things that make a line's visual order differ
// from its logical one (explicit controls being dropped). A
// right-to-left paragraph always needs the work.
func bidiNeedsWork(rs []rune, rtl bool) bool {
	if rtl {
		return true
	}
	for _, r := range rs {
		switch bidiClass(r) {
		case bidi.R, bidi.AL, bidi.AN:
			return true
		}
	}
	return false
}

// bidiLevels resolves the embedding level of each character of a
// paragraph whose base level is 1 when rtl, else 0. The work is linear in
// len(rs) (bracket pairs are searched with a bounded stack, as BD16
// requires).
func bidiLevels(rs []rune, rtl bool) []uint8 {
	n := len(rs)
	base := bidi.L
	var baseLevel uint8
	if rtl {
		base, baseLevel = bidi.R, 1
	}
	t := make([]bidi.Class, n)
	orig := make([]bidi.Class, n)
	for i, r := range rs {
		c := bidiClass(r)
		switch c {
		case bidi.B, bidi.S: // not expected: a paragraph is one line of text
			c = bidi.WS
		case bidi.BN, bidi.Control, bidi.LRO, bidi.RLO, bidi.LRE, bidi.RLE, bidi.PDF,
			bidi.LRI, bidi.RLI, bidi.FSI, bidi.PDI:
			c = bidi.ON // dropped before; neutral if they were not
		}
		t[i], orig[i] = c, c
	}

	// W1: a mark takes the class of the character before it.
	prev := base
	for i := range t {
		if t[i] == bidi.NSM {
			t[i] = prev
		}
		prev = t[i]
	}
	// W2: a European number after Arabic letters is an Arabic number. W3:
	// Arabic letters are right to left.
	strong := base
	for i, c := range t {
		switch c {
		case bidi.L, bidi.R, bidi.AL:
			strong = c
		case bidi.EN:
			if strong == bidi.AL {
				t[i] = bidi.AN
			}
		}
	}
	for i, c := range t {
		if c == bidi.AL {
			t[i] = bidi.R
		}
	}
	// W4: one separator between two numbers of a kind joins them.
	for i := 1; i+1 < n; i++ {
		switch {
		case t[i] == bidi.ES && t[i-1] == bidi.EN && t[i+1] == bidi.EN:
			t[i] = bidi.EN
		case t[i] == bidi.CS && t[i-1] == bidi.EN && t[i+1] == bidi.EN:
			t[i] = bidi.EN
		case t[i] == bidi.CS && t[i-1] == bidi.AN && t[i+1] == bidi.AN:
			t[i] = bidi.AN
		}
	}
	// W5: terminators next to a European number are part of it.
	for i := 0; i < n; {
		if t[i] != bidi.ET {
			i++
			continue
		}
		j := i
		for j < n && t[j] == bidi.ET {
			j++
		}
		if (i > 0 && t[i-1] == bidi.EN) || (j < n && t[j] == bidi.EN) {
			for k := i; k < j; k++ {
				t[k] = bidi.EN
			}
		}
		i = j
	}
	// W6: other separators and terminators are neutral. W7: a European
	// number in left-to-right text is left to right.
	strong = base
	for i, c := range t {
		switch c {
		case bidi.ES, bidi.ET, bidi.CS:
			t[i] = bidi.ON
		case bidi.L, bidi.R:
			strong = c
		case bidi.EN:
			if strong == bidi.L {
				t[i] = bidi.L
			}
		}
	}
	bidiBrackets(rs, t, orig, base)
	// N1, N2: a run of neutrals takes the direction of the text around it
	// when both sides agree (numbers count as right to left), else the
	// paragraph's.
	dir := func(c bidi.Class) bidi.Class {
		if c == bidi.EN || c == bidi.AN {
			return bidi.R
		}
		return c
	}
	for i := 0; i < n; {
		if !bidiNeutral(t[i]) {
			i++
			continue
		}
		j := i
		for j < n && bidiNeutral(t[j]) {
			j++
		}
		before, after := base, base
		if i > 0 {
			before = dir(t[i-1])
		}
		if j < n {
			after = dir(t[j])
		}
		c := base
		if before == after {
			c = before
		}
		for k := i; k < j; k++ {
			t[k] = c
		}
		i = j
	}
	// I1, I2.
	levels := make([]uint8, n)
	for i, c := range t {
		l := baseLevel
		switch {
		case l%2 == 0 && c == bidi.R:
			l++
		case l%2 == 0 && (c == bidi.AN || c == bidi.EN):
			l += 2
		case l%2 == 1 && (c == bidi.L || c == bidi.EN || c == bidi.AN):
			l++
		}
		levels[i] = l
	}
	return levels
}

// bidiNeutral reports the classes rules N1 and N2 resolve.
func bidiNeutral(c bidi.Class) bool {
	return c == bidi.ON || c == bidi.WS || c == bidi.B || c == bidi.S
}

// bidiMaxDepth is BD16's bound on open brackets.
const bidiMaxDepth = 63

// bidiBrackets applies rule N0 to t: a pair of brackets takes the
// direction of the strong text inside it, and of the text before it when
// that is the opposite of the paragraph's.
func bidiBrackets(rs []rune, t, orig []bidi.Class, base bidi.Class) {
	type opener struct {
		pos  int
		pair rune // the closing bracket that matches
	}
	type pair struct{ open, close int }
	var stack []opener
	var pairs []pair
	for i, r := range rs {
		if t[i] != bidi.ON {
			continue
		}
		p, _ := bidi.LookupRune(r)
		if !p.IsBracket() {
			continue
		}
		if p.IsOpeningBracket() {
			if len(stack) == bidiMaxDepth {
				break // BD16: stop looking for pairs
			}
			stack = append(stack, opener{i, bidiMirror(r)})
			continue
		}
		for k := len(stack) - 1; k >= 0; k-- {
			if stack[k].pair == r {
				pairs = append(pairs, pair{stack[k].pos, i})
				stack = stack[:k]
				break
			}
		}
	}
	if len(pairs) == 0 {
		return
	}
	// Pairs in the order of their opening brackets.
	bidiSortPairs(pairs, func(a, b pair) bool { return a.open < b.open })
	strongOf := func(c bidi.Class) bidi.Class {
		switch c {
		case bidi.L:
			return bidi.L
		case bidi.R, bidi.EN, bidi.AN:
			return bidi.R
		}
		return bidi.ON
	}
	for _, p := range pairs {
		embedding, opposite := false, false
		for k := p.open + 1; k < p.close; k++ {
			switch strongOf(t[k]) {
			case base:
				embedding = true
			case bidi.ON:
			default:
				opposite = true
			}
			if embedding {
				break
			}
		}
		var c bidi.Class
		switch {
		case embedding:
			c = base
		case opposite:
			c = base
			before := base
			for k := p.open - 1; k >= 0; k-- {
				if s := strongOf(t[k]); s != bidi.ON {
					before = s
					break
				}
			}
			if before != base {
				c = before
			}
		default:
			continue
		}
		t[p.open], t[p.close] = c, c
		// Marks after a bracket follow it.
		for _, k := range []int{p.open, p.close} {
			for k++; k < len(t) && orig[k] == bidi.NSM; k++ {
				t[k] = c
			}
		}
	}
}

// bidiSortPairs sorts s by less; s is short (a line's brackets), and an
// insertion sort keeps this file free of another import.
func bidiSortPairs[T any](s []T, less func(a, b T) bool) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && less(s[j], s[j-1]); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// bidiMirror returns the character that mirrors r (rule L4), or r.
func bidiMirror(r rune) rune {
	if p, _ := bidi.LookupRune(r); p.IsBracket() {
		m := []rune(bidi.ReverseString(string(r)))
		if len(m) == 1 {
			return m[0]
		}
	}
	if m, ok := bidiMirrors[r]; ok {
		return m
	}
	return r
}

// bidiMirrors are the mirrored characters that are not brackets, of
// those a certificate may show.
var bidiMirrors = map[rune]rune{
	'<': '>', '>': '<',
	'«': '»', '»': '«',
	'‹': '›', '›': '‹',
	'≤': '≥', '≥': '≤',
	'≪': '≫', '≫': '≪',
	'∈': '∋', '∋': '∈',
	'⊂': '⊃', '⊃': '⊂',
}

// bidiVisual returns the visual order of a line: order[i] is the logical
// index of the character drawn i-th from the left. levels are the line's
// levels, from bidiLevels; isSpace(i) reports the whitespace rule L1
// resets to the paragraph's level at the end of the line. Characters at
// odd levels are to be mirrored (bidiMirror).
func bidiVisual(levels []uint8, baseLevel uint8, isSpace func(i int) bool) (order []int, lv []uint8) {
	n := len(levels)
	lv = make([]uint8, n)
	copy(lv, levels)
	// L1: trailing whitespace takes the paragraph's level.
	for i := n - 1; i >= 0 && isSpace(i); i-- {
		lv[i] = baseLevel
	}
	order = make([]int, n)
	var highest uint8
	lowestOdd := uint8(255)
	for i := range order {
		order[i] = i
		highest = max(highest, lv[i])
		if lv[i]%2 == 1 {
			lowestOdd = min(lowestOdd, lv[i])
		}
	}
	// L2: from the highest level down to the lowest odd one, reverse every
	// run at that level or higher.
	for level := highest; level >= lowestOdd && level > 0; level-- {
		for i := 0; i < n; {
			if lv[order[i]] < level {
				i++
				continue
			}
			j := i
			for j < n && lv[order[j]] >= level {
				j++
			}
			for a, b := i, j-1; a < b; a, b = a+1, b-1 {
				order[a], order[b] = order[b], order[a]
			}
			i = j
		}
	}
	return order, lv
}
