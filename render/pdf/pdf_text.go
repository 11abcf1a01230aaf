package pdf

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The PDF's text engine: a field of the certificate becomes paragraphs
// of shaped characters, each with its font and width; paragraphs are
// broken into lines that fit a width, the last one cut with an ellipsis
// when the text does not fit; each line is put in visual order for
// drawing. Every step is linear in the length of the text, which is
// bounded first (pdfMaxRunes).

// pdfPtToMM converts points to millimetres.
const pdfPtToMM = 25.4 / 72

// pdfEllipsis ends a line whose text goes on.
const pdfEllipsis = '…'

// pdfStyle is how a piece of text looks.
type pdfStyle struct {
	size  float64 // points
	bold  bool
	color pdfColor
}

// lineHeight is the distance between baselines, in mm.
func (s pdfStyle) lineHeight() float64 { return s.size * pdfPtToMM * 1.28 }

// pdfChar is a character ready to draw.
type pdfChar struct {
	r    rune
	face *pdfFace
	adv  int // thousandths of an em
}

// pdfPara is a paragraph: shaped characters in logical order, their
// levels, and the paragraph's direction.
type pdfPara struct {
	chars  []pdfChar
	levels []uint8 // nil when the visual order is the logical one
	rtl    bool
	// cut is set when the text was longer than pdfMaxRunes: the
	// paragraph's last line ends with an ellipsis.
	cut bool
}

// pdfLine is a line in visual order, left to right.
type pdfLine struct {
	chars []pdfChar
	width float64 // mm
	rtl   bool    // the paragraph's direction
}

// pdfIsDropped reports the characters the PDF never draws: controls
// other than tab and newline, the explicit bidi embeddings, overrides
// and isolates (dropped so that no text can reverse what follows it),
// noncharacters, and invisible format characters other than those
// shaping and the bidi algorithm read (ZWJ, ZWNJ, LRM, RLM, ALM).
func pdfIsDropped(r rune) bool {
	switch {
	case r == '\t' || r == '\n':
		return false
	case r < 0x20 || (r >= 0x7f && r < 0xa0):
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x200c || r == 0x200d || r == 0x200e || r == 0x200f || r == 0x061c:
		return false
	case r >= 0xfdd0 && r <= 0xfdef, r&0xfffe == 0xfffe:
		return true
	case unicode.Is(unicode.Cf, r):
		return true
	}
	return false
}

// pdfIsInvisible reports the format characters kept for shaping and the
// bidi algorithm, which are not drawn.
func pdfIsInvisible(r rune) bool {
	return r == 0x200c || r == 0x200d || r == 0x200e || r == 0x200f || r == 0x061c
}

// pdfClean prepares text for the PDF: at most limit characters (cut
// reports that there were more), invalid UTF-8 replaced, dropped
// characters removed (pdfIsDropped), tabs and runs of spaces made one
// space (no-break spaces are kept), and each line (at a newline, or a line or paragraph separator)
// one paragraph, without the spaces around it; with multiline false the
// lines are joined by a space.
func pdfClean(s string, limit int, multiline bool) (paras [][]rune, cut bool) {
	var cur []rune
	space := false
	flush := func() {
		if len(cur) > 0 {
			paras = append(paras, cur)
		}
		cur, space = nil, false
	}
	n := 0
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		s = s[size:]
		if n == limit {
			cut = true
			break
		}
		if r == '\r' || r == 0x2028 || r == 0x2029 {
			r = '\n'
		}
		if pdfIsDropped(r) {
			continue
		}
		if r == '\n' && multiline {
			flush()
			continue
		}
		if r == '\n' || r == '\t' || (unicode.IsSpace(r) && !pdfNoBreakSpace(r)) {
			if len(cur) > 0 {
				space = true
			}
			continue
		}
		if space {
			cur = append(cur, ' ')
			n++
			space = false
			if n == limit {
				cut = true
				break
			}
		}
		cur = append(cur, r)
		n++
	}
	flush()
	return paras, cut
}

// pdfNoBreakSpace reports the spaces kept as they are: no line breaks
// at them.
func pdfNoBreakSpace(r rune) bool { return r == 0xa0 || r == 0x2007 || r == 0x202f }

// pdfMaxRunes bounds the characters a field is read to for maxLines
// lines: more than the widest line can hold at the smallest size.
func pdfMaxRunes(maxLines int) int { return 64 + 400*maxLines }

// newPara shapes and measures one paragraph of logical text for style,
// choosing each character's font. docRTL is the document's direction,
// used when the text has no strong character.
func (w *pdfWriter) newPara(rs []rune, st pdfStyle, docRTL, cut bool) (pdfPara, error) {
	rs = shapeArabic(rs)
	rtl := bidiBaseRTL(rs, docRTL)
	var levels []uint8
	if bidiNeedsWork(rs, rtl) {
		levels = bidiLevels(rs, rtl)
	}
	p := pdfPara{chars: make([]pdfChar, 0, len(rs)), rtl: rtl, cut: cut}
	var kept []uint8
	if levels != nil {
		kept = make([]uint8, 0, len(rs))
	}
	var prev *pdfFace
	for i, r := range rs {
		if pdfIsInvisible(r) {
			continue
		}
		var face *pdfFace
		// Spaces, punctuation and marks stay in the font of the text
		// around them when it has them.
		if prev != nil && !unicode.IsLetter(r) && !unicode.IsDigit(r) && prev.ttf.has(r) {
			face = prev
		} else {
			f, err := w.fonts.face(r, st.bold)
			if err != nil {
				return pdfPara{}, err
			}
			face = f
		}
		prev = face
		p.chars = append(p.chars, pdfChar{r: r, face: face, adv: face.ttf.advance(r)})
		if levels != nil {
			kept = append(kept, levels[i])
		}
	}
	p.levels = kept
	return p, nil
}

// pdfText is a field of the certificate ready to break into lines.
type pdfText struct {
	paras []pdfPara
	style pdfStyle
	// anywhere lets lines break between any two characters (URLs, IDs).
	anywhere bool
}

// text prepares s in style st for at most maxLines lines.
func (w *pdfWriter) text(s string, st pdfStyle, maxLines int, anywhere, multiline bool) (*pdfText, error) {
	raw, cut := pdfClean(s, pdfMaxRunes(maxLines), multiline)
	t := &pdfText{style: st, anywhere: anywhere}
	for i, rs := range raw {
		p, err := w.newPara(rs, st, w.rtl, cut && i == len(raw)-1)
		if err != nil {
			return nil, err
		}
		if len(p.chars) > 0 {
			t.paras = append(t.paras, p)
		}
	}
	return t, nil
}

// empty reports whether there is nothing to draw.
func (t *pdfText) empty() bool { return t == nil || len(t.paras) == 0 }

// mm returns a width in thousandths of an em in mm at size.
func (st pdfStyle) mm(adv int) float64 { return float64(adv) * st.size / 1000 * pdfPtToMM }

// lines breaks t into at most maxLines lines no wider than width (mm),
// in visual order. Text that does not fit ends the last line with an
// ellipsis.
func (w *pdfWriter) lines(t *pdfText, width float64, maxLines int) []pdfLine {
	if t.empty() || maxLines < 1 {
		return nil
	}
	var out []pdfLine
	for pi, p := range t.paras {
		ls, more := w.breakPara(p, t.style, t.anywhere, width, maxLines-len(out))
		out = append(out, ls...)
		if more {
			return out // its last line ends with an ellipsis
		}
		if len(out) == maxLines {
			if pi < len(t.paras)-1 {
				out[len(out)-1] = w.ellipsize(out[len(out)-1], t.style, width)
			}
			return out
		}
	}
	return out
}

// pdfSpan is a line's range in its paragraph's logical order.
type pdfSpan struct {
	a, b     int
	ellipsis bool
}

// breakPara breaks p into at most room lines, greedily: at spaces, next
// to wide (CJK) characters, after a hyphen or slash, or, for anywhere
// text and words longer than a line, between any two characters. more
// reports text left over.
func (w *pdfWriter) breakPara(p pdfPara, st pdfStyle, anywhere bool, width float64, room int) (ls []pdfLine, more bool) {
	n := len(p.chars)
	// cum[i] is the width of chars[:i], in thousandths of an em.
	cum := make([]int, n+1)
	for i, c := range p.chars {
		cum[i+1] = cum[i] + c.adv
	}
	limit := int(width / (st.size * pdfPtToMM) * 1000)
	var spans []pdfSpan
	start := 0
	for start < n && len(spans) < room {
		for start < n && p.chars[start].r == ' ' {
			start++
		}
		if start == n {
			break
		}
		if cum[n]-cum[start] <= limit {
			spans = append(spans, pdfSpan{start, n, false})
			start = n
			break
		}
		// The last break opportunity that fits, else the last character
		// that fits.
		brk, fit := -1, start
		for i := start + 1; i <= n; i++ {
			if cum[i]-cum[start] > limit {
				break
			}
			fit = i
			if i < n && pdfCanBreak(p.chars, i, anywhere) {
				brk = i
			}
		}
		end := brk
		if end <= start {
			end = max(fit, start+1)
			for end < n && end > start+1 && pdfIsMark(p.chars[end].r) {
				end-- // keep marks with their letter
			}
		}
		spans = append(spans, pdfSpan{start, end, false})
		start = end
	}
	for start < n && p.chars[start].r == ' ' {
		start++
	}
	more = start < n || p.cut
	for _, s := range spans {
		ls = append(ls, w.visual(p, st, s))
	}
	if more && len(ls) > 0 {
		// Let ellipsize work on the logical text of the last line.
		s := spans[len(spans)-1]
		s.ellipsis = true
		ls[len(ls)-1] = w.visual(p, st, w.fitEllipsis(p, st, s, limit))
	}
	return ls, more
}

// fitEllipsis shortens s until it and an ellipsis fit in limit.
func (w *pdfWriter) fitEllipsis(p pdfPara, st pdfStyle, s pdfSpan, limit int) pdfSpan {
	total := w.ellipsisChar(p, st, s).adv
	for i := s.a; i < s.b; i++ {
		total += p.chars[i].adv
	}
	for s.b > s.a && (total > limit || p.chars[s.b-1].r == ' ') {
		s.b--
		total -= p.chars[s.b].adv
	}
	// A letter goes with all its marks or not at all.
	for s.b > s.a && s.b < len(p.chars) && pdfIsMark(p.chars[s.b].r) {
		s.b--
	}
	s.ellipsis = true
	return s
}

// ellipsisChar is the ellipsis that ends span s: in the font of the text
// before it when that font has one.
func (w *pdfWriter) ellipsisChar(p pdfPara, st pdfStyle, s pdfSpan) pdfChar {
	if s.b > s.a {
		if f := p.chars[s.b-1].face; f.ttf.has(pdfEllipsis) {
			return pdfChar{r: pdfEllipsis, face: f, adv: f.ttf.advance(pdfEllipsis)}
		}
	}
	return w.ellipsisIn(st)
}

// ellipsisIn is the ellipsis in the first font that has it.
func (w *pdfWriter) ellipsisIn(st pdfStyle) pdfChar {
	f, err := w.fonts.face(pdfEllipsis, st.bold)
	if err != nil { // DejaVu has it: not reached
		panic(err)
	}
	return pdfChar{r: pdfEllipsis, face: f, adv: f.ttf.advance(pdfEllipsis)}
}

// ellipsize ends a line with an ellipsis, at its end in reading order:
// used when the paragraphs after it do not fit.
func (w *pdfWriter) ellipsize(l pdfLine, st pdfStyle, width float64) pdfLine {
	e := w.ellipsisIn(st)
	ew := st.mm(e.adv)
	chars := append([]pdfChar(nil), l.chars...)
	total := l.width
	if l.rtl {
		for len(chars) > 0 && (total+ew > width || chars[0].r == ' ') {
			total -= st.mm(chars[0].adv)
			chars = chars[1:]
		}
		chars = append([]pdfChar{e}, chars...)
	} else {
		for len(chars) > 0 && (total+ew > width || chars[len(chars)-1].r == ' ') {
			total -= st.mm(chars[len(chars)-1].adv)
			chars = chars[:len(chars)-1]
		}
		chars = append(chars, e)
	}
	return pdfLine{chars: chars, width: total + ew, rtl: l.rtl}
}

// visual puts span s of p in visual order.
func (w *pdfWriter) visual(p pdfPara, st pdfStyle, s pdfSpan) pdfLine {
	chars := make([]pdfChar, 0, s.b-s.a+1)
	chars = append(chars, p.chars[s.a:s.b]...)
	var levels []uint8
	if p.levels != nil {
		levels = make([]uint8, 0, s.b-s.a+1)
		levels = append(levels, p.levels[s.a:s.b]...)
	}
	var baseLevel uint8
	if p.rtl {
		baseLevel = 1
	}
	if s.ellipsis {
		chars = append(chars, w.ellipsisChar(p, st, s))
		if levels != nil {
			levels = append(levels, baseLevel)
		}
	}
	line := pdfLine{rtl: p.rtl}
	if levels == nil {
		line.chars = chars
	} else {
		order, lv := bidiVisual(levels, baseLevel, func(i int) bool { return chars[i].r == ' ' })
		line.chars = make([]pdfChar, len(chars))
		for i, j := range order {
			c := chars[j]
			if lv[j]%2 == 1 {
				if m := bidiMirror(c.r); m != c.r && c.face.ttf.has(m) {
					c.r, c.adv = m, c.face.ttf.advance(m)
				}
			}
			line.chars[i] = c
		}
		pdfMarksAfterBase(line.chars, order, lv)
	}
	for _, c := range line.chars {
		line.width += st.mm(c.adv)
	}
	return line
}

// pdfMarksAfterBase moves the marks of right-to-left text, which the
// reversal put before (left of) their letter, after it, where a font's
// zero-width marks expect to be drawn (rule L3).
func pdfMarksAfterBase(chars []pdfChar, order []int, lv []uint8) {
	for i := 0; i < len(chars); {
		if !pdfIsMark(chars[i].r) || lv[order[i]]%2 == 0 {
			i++
			continue
		}
		j := i
		for j < len(chars) && pdfIsMark(chars[j].r) && lv[order[j]]%2 == 1 {
			j++
		}
		if j == len(chars) || lv[order[j]]%2 == 0 {
			i = j
			continue
		}
		// chars[i:j] are marks of chars[j]: rotate the letter first.
		base := chars[j]
		copy(chars[i+1:j+1], chars[i:j])
		chars[i] = base
		i = j + 1
	}
}

// pdfIsMark reports combining marks.
func pdfIsMark(r rune) bool { return unicode.In(r, unicode.Mn, unicode.Me) }

// pdfCanBreak reports whether a line may break before chars[i].
func pdfCanBreak(chars []pdfChar, i int, anywhere bool) bool {
	prev, r := chars[i-1].r, chars[i].r
	if pdfIsMark(r) {
		return false
	}
	if anywhere {
		return true
	}
	if prev == ' ' {
		return true
	}
	if r == ' ' {
		return false
	}
	if strings.ContainsRune(pdfNoBreakBefore, r) || strings.ContainsRune(pdfNoBreakAfter, prev) {
		return false
	}
	if pdfIsWide(prev) || pdfIsWide(r) {
		return true
	}
	return (prev == '-' || prev == '/' || prev == '‐') && unicode.IsLetter(r)
}

// Characters a line does not start with, or end with (kinsoku).
const (
	pdfNoBreakBefore = "、。，．：；？！）」』】〉》〕｝］,.:;?!)]}»…・ー々ゝゞぁぃぅぇぉっゃゅょァィゥェォッャュョ"
	pdfNoBreakAfter  = "（「『【〈《〔｛［([{«"
)

// pdfIsWide reports the characters of scripts written without spaces,
// between which lines may break: CJK ideographs, kana, fullwidth forms,
// and their punctuation.
func pdfIsWide(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) ||
		(r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef)
}
