package pdf

import (
	"fmt"
)

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
