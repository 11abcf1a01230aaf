package pdf

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// This file reads what the PDF writer needs of a TrueType font: which
// characters it has (the cmap, formats 4 and 12) and how wide they are
// (hmtx). It also checks the tables that fpdf, which embeds the font,
// reads without checking, so that a damaged or hostile font is refused
// here with an error rather than crashing or misleading fpdf. Fonts come
// from callers (Config.Fonts) and from the system: the bytes are
// untrusted. Every read is bounds-checked and the work is linear in the
// size of the tables read; nothing is allocated in proportion to the font
// but the small table of its faces.

// ttfMaxBytes bounds a font file the PDF writer reads.
const ttfMaxBytes = 64 << 20

// errTTF is the cause of every error of the TrueType reader; it is
// wrapped with ErrFont by the font set.
var errTTF = errors.New("not a usable TrueType font")

// ttfFont is a parsed TrueType face. It refers to the font's bytes; it
// does not copy them.
type ttfFont struct {
	data []byte
	// dir is the offset of the face's table directory: 0 for a .ttf, the
	// first face's offset in a TrueType collection (.ttc).
	dir int
	// unitsPerEm scales advances to the 1000-unit em of PDF widths.
	unitsPerEm  int
	numGlyphs   int
	numHMetrics int
	hmtx        []byte
	// cmap4 is the format 4 subtable fpdf maps characters with: the first
	// Unicode (platform 0) or Windows Unicode BMP (3, 1) subtable of
	// format 4. Only the characters it maps can be written by fpdf.
	cmap4 ttfCmap4
	// cmap12 is a format 12 subtable (full Unicode), when the font has
	// one; zero otherwise.
	cmap12 ttfCmap12
	// collection is set for a face read from a TrueType collection.
	collection bool
	// loca and glyf locate the outlines, for their bounding boxes;
	// longLoca is set for 32-bit locations.
	loca, glyf ttfTable
	longLoca   bool
}

// ttfCmap4 is a format 4 (segment mapping to delta values) subtable:
// the offsets of its arrays in the font's data.
type ttfCmap4 struct {
	start, end int // the subtable's bounds in data
	segCount   int
	endCodes   int
	startCodes int
	idDeltas   int
	idRanges   int
}

// ttfCmap12 is a format 12 (segmented coverage) subtable.
type ttfCmap12 struct {
	groups    int // offset of the first group
	numGroups int
}

// Table tags.
const (
	ttfCmapTag = "cmap"
	ttfHeadTag = "head"
	ttfHheaTag = "hhea"
	ttfHmtxTag = "hmtx"
	ttfMaxpTag = "maxp"
	ttfLocaTag = "loca"
	ttfGlyfTag = "glyf"
	ttfPostTag = "post"
	ttfNameTag = "name"
	ttfOS2Tag  = "OS/2"
)

// ttfParse reads a TrueType font (.ttf) or the first face of a TrueType
// collection (.ttc). It fails for OpenType fonts with CFF outlines
// (.otf, and the .ttc files of Noto CJK), which fpdf cannot embed, and for
// fonts whose license forbids embedding.
func ttfParse(data []byte) (*ttfFont, error) {
	if len(data) > ttfMaxBytes {
		return nil, fmt.Errorf("%w: %d bytes, more than %d", errTTF, len(data), ttfMaxBytes)
	}
	f := &ttfFont{data: data}
	tag, ok := f.u32(0)
	if !ok {
		return nil, fmt.Errorf("%w: too short", errTTF)
	}
	if tag == 0x74746366 { // "ttcf"
		n, ok1 := f.u32(8)
		off, ok2 := f.u32(12)
		if !ok1 || !ok2 || n == 0 {
			return nil, fmt.Errorf("%w: a damaged TrueType collection header", errTTF)
		}
		f.dir, f.collection = int(off), true
		if tag, ok = f.u32(f.dir); !ok {
			return nil, fmt.Errorf("%w: the collection's first face is outside the file", errTTF)
		}
	}
	switch tag {
	case 0x00010000, 0x74727565: // TrueType outlines ("true" on old Apple fonts)
	case 0x4f54544f: // "OTTO"
		return nil, fmt.Errorf("%w: OpenType with CFF outlines, which the PDF writer cannot embed; use a font with TrueType outlines (.ttf)", errTTF)
	default:
		return nil, fmt.Errorf("%w: unknown signature %#08x", errTTF, tag)
	}
	tables, err := f.tables()
	if err != nil {
		return nil, err
	}
	for _, t := range []string{ttfCmapTag, ttfHeadTag, ttfHheaTag, ttfHmtxTag, ttfMaxpTag, ttfLocaTag, ttfGlyfTag, ttfPostTag, ttfNameTag} {
		if _, ok := tables[t]; !ok {
			return nil, fmt.Errorf("%w: no %q table", errTTF, t)
		}
	}
	if err := f.readMetrics(tables); err != nil {
		return nil, err
	}
	if err := f.checkForFPDF(tables); err != nil {
		return nil, err
	}
	if err := f.readCmap(tables[ttfCmapTag]); err != nil {
		return nil, err
	}
	return f, nil
}

// ttfTable is a table's bounds in the font's data.
type ttfTable struct{ off, len int }

// tables reads the table directory. Every table lies within the data.
func (f *ttfFont) tables() (map[string]ttfTable, error) {
	n, ok := f.u16(f.dir + 4)
	if !ok || n == 0 {
		return nil, fmt.Errorf("%w: no table directory", errTTF)
	}
	if f.dir+12+16*n > len(f.data) {
		return nil, fmt.Errorf("%w: the table directory is cut short", errTTF)
	}
	m := make(map[string]ttfTable, min(n, 64))
	for i := range n {
		rec := f.dir + 12 + 16*i
		tag := string(f.data[rec : rec+4])
		off := int(binary.BigEndian.Uint32(f.data[rec+8:]))
		length := int(binary.BigEndian.Uint32(f.data[rec+12:]))
		if off < 0 || length < 0 || off > len(f.data) || length > len(f.data)-off {
			return nil, fmt.Errorf("%w: table %q lies outside the file", errTTF, tag)
		}
		if _, dup := m[tag]; !dup {
			m[tag] = ttfTable{off, length}
		}
	}
	return m, nil
}

// readMetrics reads head, hhea, maxp and hmtx.
func (f *ttfFont) readMetrics(t map[string]ttfTable) error {
	head, hhea, maxp, hmtx := t[ttfHeadTag], t[ttfHheaTag], t[ttfMaxpTag], t[ttfHmtxTag]
	if head.len < 54 || hhea.len < 36 || maxp.len < 6 {
		return fmt.Errorf("%w: head, hhea or maxp is too short", errTTF)
	}
	upem, _ := f.u16(head.off + 18)
	if upem < 16 || upem > 16384 {
		return fmt.Errorf("%w: %d units per em", errTTF, upem)
	}
	if format, _ := f.u16(head.off + 52); format != 0 {
		return fmt.Errorf("%w: glyph data format %d", errTTF, format)
	}
	if format, _ := f.u16(hhea.off + 32); format != 0 {
		return fmt.Errorf("%w: horizontal metrics format %d", errTTF, format)
	}
	f.unitsPerEm = upem
	f.numGlyphs, _ = f.u16(maxp.off + 4)
	f.numHMetrics, _ = f.u16(hhea.off + 34)
	if f.numGlyphs == 0 || f.numHMetrics == 0 || f.numHMetrics > f.numGlyphs {
		return fmt.Errorf("%w: %d glyphs, %d horizontal metrics", errTTF, f.numGlyphs, f.numHMetrics)
	}
	// fpdf reads the long metrics and, past them, one left side bearing
	// per glyph: the table must hold both.
	if need := 4*f.numHMetrics + 2*(f.numGlyphs-f.numHMetrics); hmtx.len < need {
		return fmt.Errorf("%w: hmtx holds %d bytes, %d needed", errTTF, hmtx.len, need)
	}
	f.hmtx = f.data[hmtx.off : hmtx.off+hmtx.len]
	return nil
}

// checkForFPDF checks what fpdf reads of the font without checking: the
// glyph locations, the name records, post and OS/2, and the embedding
// permission.
func (f *ttfFont) checkForFPDF(t map[string]ttfTable) error {
	head, loca, glyf := t[ttfHeadTag], t[ttfLocaTag], t[ttfGlyfTag]
	locFormat, _ := f.u16(head.off + 50)
	size := 2
	if locFormat == 1 {
		size = 4
	} else if locFormat != 0 {
		return fmt.Errorf("%w: loca format %d", errTTF, locFormat)
	}
	f.loca, f.glyf, f.longLoca = loca, glyf, size == 4
	if loca.len < (f.numGlyphs+1)*size {
		return fmt.Errorf("%w: loca is too short for %d glyphs", errTTF, f.numGlyphs)
	}
	prev := 0
	for i := 0; i <= f.numGlyphs; i++ {
		var pos int
		if size == 2 {
			v, _ := f.u16(loca.off + 2*i)
			pos = 2 * v
		} else {
			v, _ := f.u32(loca.off + 4*i)
			pos = int(v)
		}
		if pos < prev || pos > glyf.len {
			return fmt.Errorf("%w: glyph %d lies outside glyf", errTTF, i)
		}
		prev = pos
	}
	if err := f.checkComposites(); err != nil {
		return err
	}
	if t[ttfPostTag].len < 16 {
		return fmt.Errorf("%w: post is too short", errTTF)
	}
	name := t[ttfNameTag]
	if name.len < 6 {
		return fmt.Errorf("%w: name is too short", errTTF)
	}
	format, _ := f.u16(name.off)
	count, _ := f.u16(name.off + 2)
	storage, _ := f.u16(name.off + 4)
	if format != 0 || 6+12*count > name.len {
		return fmt.Errorf("%w: name table format %d with %d records", errTTF, format, count)
	}
	for i := range count {
		rec := name.off + 6 + 12*i
		platform, _ := f.u16(rec)
		length, _ := f.u16(rec + 8)
		off, _ := f.u16(rec + 10)
		if name.off+storage+off+length > len(f.data) {
			return fmt.Errorf("%w: name record %d lies outside the file", errTTF, i)
		}
		if platform == 3 && length%2 != 0 { // UTF-16
			return fmt.Errorf("%w: name record %d has an odd length", errTTF, i)
		}
	}
	if os2, ok := t[ttfOS2Tag]; ok {
		version, _ := f.u16(os2.off)
		need := 72
		if version > 1 {
			need = 90
		}
		if os2.len < need {
			return fmt.Errorf("%w: OS/2 is too short", errTTF)
		}
		// fsType: restricted license embedding, no subsetting, or bitmap
		// embedding only.
		if fsType, _ := f.u16(os2.off + 8); fsType&0x000f == 0x0002 || fsType&0x0300 != 0 {
			return fmt.Errorf("%w: its license (OS/2 fsType %#04x) does not allow embedding a subset in a document", errTTF, fsType)
		}
	}
	return nil
}

// ttfMaxExpansion bounds the glyphs a composite glyph stands for,
// counting shared components each time: fpdf walks composites that way
// when it subsets a font. Real fonts stay under a dozen.
const ttfMaxExpansion = 1024

// Composite glyph flags.
const (
	ttfCompositeWords    = 0x0001
	ttfCompositeScale    = 0x0008
	ttfCompositeMore     = 0x0020
	ttfCompositeXYScale  = 0x0040
	ttfCompositeTwoByTwo = 0x0080
)

// components returns the glyphs composite glyph g refers to, or nil for
// a simple glyph; it fails when a record leaves the glyph or names a
// glyph the font does not have.
func (f *ttfFont) components(g int, buf []int) ([]int, error) {
	start, end := f.glyphRange(g)
	if end-start < 10 {
		return nil, nil
	}
	p := f.glyf.off + start
	if n, _ := f.u16(p); n < 0x8000 { // numberOfContours >= 0: simple
		return nil, nil
	}
	buf = buf[:0]
	for pos := p + 10; ; {
		if pos+4 > f.glyf.off+end {
			return nil, fmt.Errorf("%w: composite glyph %d is cut short", errTTF, g)
		}
		flags, _ := f.u16(pos)
		c, _ := f.u16(pos + 2)
		if c >= f.numGlyphs {
			return nil, fmt.Errorf("%w: composite glyph %d refers to glyph %d of %d", errTTF, g, c, f.numGlyphs)
		}
		buf = append(buf, c)
		pos += 4
		if flags&ttfCompositeWords != 0 {
			pos += 4
		} else {
			pos += 2
		}
		switch {
		case flags&ttfCompositeScale != 0:
			pos += 2
		case flags&ttfCompositeXYScale != 0:
			pos += 4
		case flags&ttfCompositeTwoByTwo != 0:
			pos += 8
		}
		if pos > f.glyf.off+end {
			return nil, fmt.Errorf("%w: composite glyph %d is cut short", errTTF, g)
		}
		if flags&ttfCompositeMore == 0 {
			return buf, nil
		}
	}
}

// glyphRange returns glyph g's bounds in glyf.
func (f *ttfFont) glyphRange(g int) (start, end int) {
	if f.longLoca {
		a, _ := f.u32(f.loca.off + 4*g)
		b, _ := f.u32(f.loca.off + 4*g + 4)
		return int(a), int(b)
	}
	a, _ := f.u16(f.loca.off + 2*g)
	b, _ := f.u16(f.loca.off + 2*g + 2)
	return 2 * a, 2 * b
}

// checkComposites checks every composite glyph: its records lie within
// it, it does not contain itself, and it expands to at most
// ttfMaxExpansion glyphs. fpdf recurses through composites without
// checking any of this. The work is linear in the size of glyf.
func (f *ttfFont) checkComposites() error {
	const (
		unseen = iota
		open
		done
	)
	state := make([]uint8, f.numGlyphs)
	cost := make([]int32, f.numGlyphs)
	type frame struct {
		g    int
		comp []int
		next int
	}
	var buf []int
	for root := range f.numGlyphs {
		if state[root] != unseen {
			continue
		}
		comp, err := f.components(root, buf)
		if err != nil {
			return err
		}
		stack := []frame{{g: root, comp: append([]int(nil), comp...)}}
		state[root] = open
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			if top.next < len(top.comp) {
				c := top.comp[top.next]
				top.next++
				switch state[c] {
				case open:
					return fmt.Errorf("%w: composite glyph %d contains itself", errTTF, c)
				case unseen:
					cc, err := f.components(c, buf)
					if err != nil {
						return err
					}
					state[c] = open
					stack = append(stack, frame{g: c, comp: append([]int(nil), cc...)})
				}
				continue
			}
			total := int32(1)
			for _, c := range top.comp {
				total += cost[c]
				if total > ttfMaxExpansion {
					return fmt.Errorf("%w: composite glyph %d expands to more than %d glyphs", errTTF, top.g, ttfMaxExpansion)
				}
			}
			cost[top.g], state[top.g] = total, done
			stack = stack[:len(stack)-1]
		}
	}
	return nil
}

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

// advance returns r's advance width in thousandths of an em, rounded as
// fpdf rounds it in the widths it writes, so that text measured here is
// laid out where fpdf draws it. A character the font lacks measures 0.
func (f *ttfFont) advance(r rune) int {
	g := f.glyph(r)
	if g == 0 {
		return 0
	}
	i := min(g, f.numHMetrics-1)
	adv := int(binary.BigEndian.Uint16(f.hmtx[4*i:]))
	if adv >= 1<<15 {
		adv = 0
	}
	return int(math.Round(1000.0 / float64(f.unitsPerEm) * float64(adv)))
}

// bbox returns the bounding box of r's outline (xMin, yMin, xMax, yMax)
// in font units; zero for a character without one.
func (f *ttfFont) bbox(r rune) (xMin, yMin, xMax, yMax int) {
	g := f.glyph(r)
	if g == 0 {
		return 0, 0, 0, 0
	}
	start, end := f.glyphRange(g)
	if end-start < 10 || end > f.glyf.len { // empty, or checked in ttfParse
		return 0, 0, 0, 0
	}
	p := f.glyf.off + start
	s16 := func(o int) int { return int(int16(binary.BigEndian.Uint16(f.data[p+o:]))) }
	return s16(2), s16(4), s16(6), s16(8)
}

// u16 reads the big-endian uint16 at off; false when it is outside the
// data.
func (f *ttfFont) u16(off int) (int, bool) {
	if off < 0 || off > len(f.data)-2 {
		return 0, false
	}
	return int(binary.BigEndian.Uint16(f.data[off:])), true
}

// u32 reads the big-endian uint32 at off; false when it is outside the
// data.
func (f *ttfFont) u32(off int) (uint32, bool) {
	if off < 0 || off > len(f.data)-4 {
		return 0, false
	}
	return binary.BigEndian.Uint32(f.data[off:]), true
}

// forFPDF returns the bytes to give fpdf: the font itself, or for a face
// of a collection, a copy of the collection whose start is the face's
// table directory (its tables keep their offsets, which count from the
// start of the file). It fails when the directory would overwrite a table.
func (f *ttfFont) forFPDF() ([]byte, error) {
	if !f.collection {
		return f.data, nil
	}
	n, _ := f.u16(f.dir + 4)
	size := 12 + 16*n
	for i := range n {
		off, _ := f.u32(f.dir + 12 + 16*i + 8)
		if int(off) < size {
			return nil, fmt.Errorf("%w: a collection whose tables start in its header", errTTF)
		}
	}
	b := make([]byte, len(f.data))
	copy(b, f.data)
	copy(b, f.data[f.dir:f.dir+size])
	return b, nil
}
