package pdf

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// This file and the two beside it read what the PDF writer needs of a
// TrueType font: which characters it has (the cmap, formats 4 and 12, in
// font_ttf_cmap.go) and how wide they are (hmtx). They also check the
// tables that fpdf, which embeds the font, reads without checking
// (font_ttf_fpdf.go), so that a damaged or hostile font is refused
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
