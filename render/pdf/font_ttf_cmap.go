package pdf

import (
	"fmt"
)

// readCmap finds the format 4 subtable fpdf uses and a format 12 one,
// and checks both.
func (f *ttfFont) readCmap(cmap ttfTable) error {
	if cmap.len < 4 {
		return fmt.Errorf("%w: cmap is too short", errTTF)
	}
	n, _ := f.u16(cmap.off + 2)
	if 4+8*n > cmap.len {
		return fmt.Errorf("%w: cmap has %d subtables in %d bytes", errTTF, n, cmap.len)
	}
	found4, found12 := false, false
	for i := range n {
		rec := cmap.off + 4 + 8*i
		platform, _ := f.u16(rec)
		encoding, _ := f.u16(rec + 2)
		off32, _ := f.u32(rec + 4)
		off := cmap.off + int(off32)
		if int(off32) > cmap.len {
			return fmt.Errorf("%w: cmap subtable %d lies outside cmap", errTTF, i)
		}
		format, ok := f.u16(off)
		if !ok {
			return fmt.Errorf("%w: cmap subtable %d lies outside the file", errTTF, i)
		}
		unicode := platform == 0 || (platform == 3 && encoding == 1)
		full := (platform == 0 && (encoding == 4 || encoding == 6)) || (platform == 3 && encoding == 10)
		switch {
		case format == 4 && unicode && !found4:
			c, err := f.readCmap4(off)
			if err != nil {
				return err
			}
			f.cmap4, found4 = c, true
		case format == 12 && full && !found12:
			c, err := f.readCmap12(off)
			if err != nil {
				return err
			}
			f.cmap12, found12 = c, true
		}
	}
	if !found4 {
		return fmt.Errorf("%w: no Unicode cmap of format 4, which the PDF writer maps characters with", errTTF)
	}
	return nil
}

// readCmap4 checks a format 4 subtable at off: its arrays lie within it
// and its segments are in order.
func (f *ttfFont) readCmap4(off int) (ttfCmap4, error) {
	length, ok1 := f.u16(off + 2)
	segX2, ok2 := f.u16(off + 6)
	if !ok1 || !ok2 || segX2 == 0 || segX2%2 != 0 {
		return ttfCmap4{}, fmt.Errorf("%w: a damaged cmap format 4 header", errTTF)
	}
	seg := segX2 / 2
	c := ttfCmap4{
		start: off, end: off + length, segCount: seg,
		endCodes: off + 14,
	}
	c.startCodes = c.endCodes + 2*seg + 2 // after reservedPad
	c.idDeltas = c.startCodes + 2*seg
	c.idRanges = c.idDeltas + 2*seg
	if c.idRanges+2*seg > c.end || c.end > len(f.data) {
		return ttfCmap4{}, fmt.Errorf("%w: cmap format 4 with %d segments in %d bytes", errTTF, seg, length)
	}
	// Segments in order and apart: fpdf reads every character of every
	// segment, so overlapping segments would cost it up to 2³¹ steps.
	prev := -1
	for i := range seg {
		end, _ := f.u16(c.endCodes + 2*i)
		start, _ := f.u16(c.startCodes + 2*i)
		if end <= prev || (start <= end && start <= prev) {
			return ttfCmap4{}, fmt.Errorf("%w: cmap format 4 segments out of order", errTTF)
		}
		prev = end
	}
	// Every mapping names a glyph the font has: fpdf looks glyphs up
	// without checking.
	for i := range seg {
		end, _ := f.u16(c.endCodes + 2*i)
		start, _ := f.u16(c.startCodes + 2*i)
		for r := start; r <= end; r++ {
			if g := f.rawGlyph4(c, i, r); g >= f.numGlyphs {
				return ttfCmap4{}, fmt.Errorf("%w: cmap maps %U to glyph %d of %d", errTTF, r, g, f.numGlyphs)
			}
		}
	}
	return c, nil
}

// readCmap12 checks a format 12 subtable at off: its groups lie within
// it, are in order, do not overlap and stay within Unicode.
func (f *ttfFont) readCmap12(off int) (ttfCmap12, error) {
	length, ok1 := f.u32(off + 4)
	n, ok2 := f.u32(off + 12)
	if !ok1 || !ok2 || int64(n)*12+16 > int64(length) || int64(off)+int64(length) > int64(len(f.data)) {
		return ttfCmap12{}, fmt.Errorf("%w: a damaged cmap format 12 header", errTTF)
	}
	c := ttfCmap12{groups: off + 16, numGroups: int(n)}
	prev := -1
	for i := range c.numGroups {
		g := c.groups + 12*i
		start, _ := f.u32(g)
		end, _ := f.u32(g + 4)
		if int(start) <= prev || end < start || end > 0x10ffff {
			return ttfCmap12{}, fmt.Errorf("%w: cmap format 12 groups out of order", errTTF)
		}
		prev = int(end)
	}
	return c, nil
}

// glyph returns the glyph fpdf writes for r: the format 4 mapping, as
// fpdf reads it. Zero means the font lacks r (glyph 0 is .notdef), as it
// does every character outside the Basic Multilingual Plane, which fpdf
// cannot encode.
func (f *ttfFont) glyph(r rune) int {
	if r < 0 || r > 0xffff {
		return 0
	}
	c := f.cmap4
	lo, hi := 0, c.segCount
	for lo < hi { // the first segment whose end is at least r
		m := int(uint(lo+hi) >> 1)
		end, _ := f.u16(c.endCodes + 2*m)
		if end < int(r) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo == c.segCount {
		return 0
	}
	if start, _ := f.u16(c.startCodes + 2*lo); int(r) < start {
		return 0
	}
	if g := f.rawGlyph4(c, lo, int(r)); g < f.numGlyphs {
		return g
	}
	return 0
}

// rawGlyph4 maps r in segment i of c as fpdf does: a position past the
// subtable maps to glyph 0.
func (f *ttfFont) rawGlyph4(c ttfCmap4, i, r int) int {
	start, _ := f.u16(c.startCodes + 2*i)
	delta, _ := f.u16(c.idDeltas + 2*i)
	rangeOff, _ := f.u16(c.idRanges + 2*i)
	if rangeOff == 0 {
		return (r + delta) & 0xffff
	}
	pos := c.idRanges + 2*i + rangeOff + 2*(r-start)
	if pos >= c.end {
		return 0
	}
	g, ok := f.u16(pos) // may read one byte past the subtable, as fpdf does
	if !ok {
		return 1 << 16 // past the file: refused by readCmap4
	}
	if g != 0 {
		g = (g + delta) & 0xffff
	}
	return g
}

// glyph12 returns r's glyph in the format 12 subtable, or 0.
func (f *ttfFont) glyph12(r rune) int {
	c := f.cmap12
	lo, hi := 0, c.numGroups
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		end, _ := f.u32(c.groups + 12*m + 4)
		if int64(end) < int64(r) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo == c.numGroups {
		return 0
	}
	start, _ := f.u32(c.groups + 12*lo)
	first, _ := f.u32(c.groups + 12*lo + 8)
	if int64(r) < int64(start) {
		return 0
	}
	g := int64(first) + int64(r) - int64(start)
	if g >= int64(f.numGlyphs) {
		return 0
	}
	return int(g)
}

// has reports whether the PDF writer can write r in this font.
func (f *ttfFont) has(r rune) bool { return f.glyph(r) != 0 }

// hasAnywhere reports whether the font has r in any cmap it read, even
// where fpdf cannot reach it (outside the Basic Multilingual Plane).
func (f *ttfFont) hasAnywhere(r rune) bool { return f.glyph(r) != 0 || f.glyph12(r) != 0 }
