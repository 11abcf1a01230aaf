package pdf

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"sort"
	"strings"
	"testing"

	"codeberg.org/go-pdf/fpdf"
)

// ttfTestFont describes a small TrueType font built for the tests: glyph 0
// is .notdef, glyphs 1.. are simple (one empty contour) unless composite.
type ttfTestFont struct {
	numGlyphs int
	upem      int
	advances  []int // per glyph; the last repeats
	// seg4 are format 4 segments: start, end, delta (idRangeOffset 0);
	// array is one more segment mapped through the glyph array.
	seg4  [][3]int
	array struct {
		start int
		ids   []int
	}
	seg12     [][3]uint32 // format 12 groups: start, end, first glyph
	composite map[int][]int
	fsType    int
	noGlyf    bool
	signature uint32
}

func ttfDefaultTestFont() ttfTestFont {
	tf := ttfTestFont{numGlyphs: 8, upem: 1000, advances: []int{500, 600, 700, 0}, fsType: 0}
	tf.seg4 = [][3]int{{'A', 'C', 1 - 'A'}} // A B C: glyphs 1 2 3
	tf.array.start = 0x05d0                 // alef bet gimel: 4 5 0
	tf.array.ids = []int{4, 5, 0}
	tf.seg12 = [][3]uint32{{'A', 'C', 1}, {0x1f600, 0x1f600, 6}}
	tf.composite = map[int][]int{7: {1, 2}}
	return tf
}

type ttfWriter struct{ bytes.Buffer }

func (w *ttfWriter) u16(v int)    { binary.Write(&w.Buffer, binary.BigEndian, uint16(v)) }
func (w *ttfWriter) u32(v uint32) { binary.Write(&w.Buffer, binary.BigEndian, v) }

// bytes assembles the font.
func (tf ttfTestFont) bytes() []byte {
	tables := map[string][]byte{}
	var head ttfWriter
	head.u32(0x00010000)
	head.u32(0)
	head.u32(0)
	head.u32(0x5f0f3cf5)
	head.u16(0)
	head.u16(tf.upem)
	head.Write(make([]byte, 16)) // created, modified
	head.Write(make([]byte, 8))  // bbox
	head.Write(make([]byte, 6))  // macStyle, lowestRecPPEM, direction
	head.u16(0)                  // indexToLocFormat: short
	head.u16(0)                  // glyphDataFormat
	tables["head"] = head.Bytes()

	nh := len(tf.advances)
	var hhea ttfWriter
	hhea.u32(0x00010000)
	hhea.u16(800)
	hhea.u16(0xff38) // -200
	hhea.Write(make([]byte, 24))
	hhea.u16(0)
	hhea.u16(nh)
	tables["hhea"] = hhea.Bytes()

	var hmtx ttfWriter
	for _, a := range tf.advances {
		hmtx.u16(a)
		hmtx.u16(0)
	}
	for range tf.numGlyphs - nh {
		hmtx.u16(0)
	}
	tables["hmtx"] = hmtx.Bytes()

	var maxp ttfWriter
	maxp.u32(0x00005000)
	maxp.u16(tf.numGlyphs)
	tables["maxp"] = maxp.Bytes()

	var glyf, loca ttfWriter
	for g := range tf.numGlyphs {
		loca.u16(glyf.Len() / 2)
		if g == 0 {
			continue
		}
		if comps, ok := tf.composite[g]; ok {
			glyf.u16(0xffff) // -1 contours
			glyf.Write(make([]byte, 8))
			for i, c := range comps {
				flags := 0
				if i < len(comps)-1 {
					flags = ttfCompositeMore
				}
				glyf.u16(flags)
				glyf.u16(c)
				glyf.Write([]byte{0, 0}) // byte offsets
			}
			continue
		}
		glyf.u16(1)
		glyf.u16(10) // xMin
		glyf.u16(0)
		glyf.u16(400)
		glyf.u16(700)
		glyf.u16(0) // endPts
		glyf.u16(0) // instructionLength
		glyf.Write([]byte{1, 0})
	}
	loca.u16(glyf.Len() / 2)
	if !tf.noGlyf {
		tables["glyf"] = glyf.Bytes()
	}
	tables["loca"] = loca.Bytes()

	var post ttfWriter
	post.u32(0x00030000)
	post.Write(make([]byte, 28))
	tables["post"] = post.Bytes()

	var name ttfWriter
	name.u16(0)
	name.u16(1)
	name.u16(18)
	name.u16(3)
	name.u16(1)
	name.u16(0x409)
	name.u16(1)
	name.u16(8)
	name.u16(0)
	name.Write([]byte{0, 'T', 0, 'e', 0, 's', 0, 't'})
	tables["name"] = name.Bytes()

	var os2 ttfWriter
	os2.u16(1)
	os2.u16(500)
	os2.u16(400)
	os2.u16(5)
	os2.u16(tf.fsType)
	os2.Write(make([]byte, 86-10))
	tables["OS/2"] = os2.Bytes()

	// cmap: (3,1) format 4 and (3,10) format 12.
	var f4 ttfWriter
	segs := append([][3]int(nil), tf.seg4...)
	type seg struct{ start, end, delta, rangeOff int }
	var all []seg
	for _, s := range segs {
		all = append(all, seg{s[0], s[1], s[2], 0})
	}
	if len(tf.array.ids) > 0 {
		all = append(all, seg{tf.array.start, tf.array.start + len(tf.array.ids) - 1, 0, 1})
	}
	all = append(all, seg{0xffff, 0xffff, 1, 0})
	sort.SliceStable(all, func(i, j int) bool { return all[i].end < all[j].end })
	n := len(all)
	length := 16 + 8*n + 2*len(tf.array.ids)
	f4.u16(4)
	f4.u16(length)
	f4.u16(0)
	f4.u16(2 * n)
	f4.u16(0)
	f4.u16(0)
	f4.u16(0)
	for _, s := range all {
		f4.u16(s.end)
	}
	f4.u16(0)
	for _, s := range all {
		f4.u16(s.start)
	}
	for _, s := range all {
		f4.u16(s.delta & 0xffff)
	}
	for i, s := range all {
		if s.rangeOff != 0 {
			// From this idRangeOffset entry to the glyph array after the
			// last entry.
			f4.u16(2 * (n - i))
			continue
		}
		f4.u16(0)
	}
	for _, id := range tf.array.ids {
		f4.u16(id)
	}
	var f12 ttfWriter
	f12.u16(12)
	f12.u16(0)
	f12.u32(uint32(16 + 12*len(tf.seg12)))
	f12.u32(0)
	f12.u32(uint32(len(tf.seg12)))
	for _, g := range tf.seg12 {
		f12.u32(g[0])
		f12.u32(g[1])
		f12.u32(g[2])
	}
	var cmap ttfWriter
	cmap.u16(0)
	cmap.u16(2)
	cmap.u16(3)
	cmap.u16(1)
	cmap.u32(20)
	cmap.u16(3)
	cmap.u16(10)
	cmap.u32(uint32(20 + f4.Len()))
	cmap.Write(f4.Bytes())
	cmap.Write(f12.Bytes())
	tables["cmap"] = cmap.Bytes()

	tags := make([]string, 0, len(tables))
	for t := range tables {
		tags = append(tags, t)
	}
	sort.Strings(tags)
	var out ttfWriter
	sig := tf.signature
	if sig == 0 {
		sig = 0x00010000
	}
	out.u32(sig)
	out.u16(len(tags))
	out.u16(0)
	out.u16(0)
	out.u16(0)
	off := 12 + 16*len(tags)
	var body bytes.Buffer
	for _, t := range tags {
		data := tables[t]
		out.WriteString(t)
		out.u32(0)
		out.u32(uint32(off + body.Len()))
		out.u32(uint32(len(data)))
		body.Write(data)
		for body.Len()%4 != 0 {
			body.WriteByte(0)
		}
	}
	out.Write(body.Bytes())
	return out.Bytes()
}

// ttfTestCollection wraps a font in a TrueType collection of one face.
func ttfTestCollection(font []byte) []byte {
	var w ttfWriter
	w.WriteString("ttcf")
	w.u32(0x00010000)
	w.u32(1)
	w.u32(16)
	// The face's directory at 16, its tables moved by 16 bytes.
	n := int(binary.BigEndian.Uint16(font[4:]))
	dir := append([]byte(nil), font[:12+16*n]...)
	for i := range n {
		rec := dir[12+16*i:]
		binary.BigEndian.PutUint32(rec[8:], binary.BigEndian.Uint32(rec[8:])+16)
	}
	w.Write(dir)
	w.Write(font[12+16*n:])
	return w.Bytes()
}

func TestFontCmap(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"ttf", ttfDefaultTestFont().bytes()},
		{"ttc", ttfTestCollection(ttfDefaultTestFont().bytes())},
	} {
		f, err := ttfParse(tc.data)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		for r, want := range map[rune]int{
			'A': 1, 'B': 2, 'C': 3, 'D': 0, '@': 0,
			0x05d0: 4, 0x05d1: 5, 0x05d2: 0, 0x05d3: 0,
			0xffff: 0, 0x1f600: 0, -1: 0, 0x110000: 0,
		} {
			if got := f.glyph(r); got != want {
				t.Errorf("%s: glyph(%U) = %d, want %d", tc.name, r, got, want)
			}
		}
		if got := f.glyph12(0x1f600); got != 6 {
			t.Errorf("%s: glyph12(U+1F600) = %d, want 6", tc.name, got)
		}
		if f.has(0x1f600) || !f.hasAnywhere(0x1f600) {
			t.Errorf("%s: U+1F600 is in format 12 only: the PDF cannot use it", tc.name)
		}
		for r, want := range map[rune]int{'A': 600, 'B': 700, 'C': 0, 0x05d0: 0, 'D': 0} {
			if got := f.advance(r); got != want {
				t.Errorf("%s: advance(%q) = %d, want %d", tc.name, r, got, want)
			}
		}
		if x0, y0, x1, y1 := f.bbox('A'); x0 != 10 || y0 != 0 || x1 != 400 || y1 != 700 {
			t.Errorf("%s: bbox(A) = %d %d %d %d", tc.name, x0, y0, x1, y1)
		}
		b, err := f.forFPDF()
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		g, err := ttfParse(b)
		if err != nil || g.collection || g.glyph('B') != 2 {
			t.Errorf("%s: the bytes for fpdf do not read as the face: %v", tc.name, err)
		}
	}
}

func TestFontRejects(t *testing.T) {
	mutate := func(f func(*ttfTestFont)) []byte {
		tf := ttfDefaultTestFont()
		f(&tf)
		return tf.bytes()
	}
	good := ttfDefaultTestFont().bytes()
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "too short"},
		{"cff", mutate(func(tf *ttfTestFont) { tf.signature = 0x4f54544f }), "CFF"},
		{"no glyf", mutate(func(tf *ttfTestFont) { tf.noGlyf = true }), `no "glyf"`},
		{"restricted license", mutate(func(tf *ttfTestFont) { tf.fsType = 2 }), "license"},
		{"no subsetting", mutate(func(tf *ttfTestFont) { tf.fsType = 0x0100 }), "license"},
		{"overlapping segments", mutate(func(tf *ttfTestFont) {
			tf.seg4 = [][3]int{{'A', 'C', 1 - 'A'}, {'B', 'Z', 1 - 'A'}}
		}), "out of order"},
		{"composite cycle", mutate(func(tf *ttfTestFont) { tf.composite = map[int][]int{6: {7}, 7: {6}} }), "contains itself"},
		{"composite self", mutate(func(tf *ttfTestFont) { tf.composite = map[int][]int{7: {7}} }), "contains itself"},
		{"composite out of range", mutate(func(tf *ttfTestFont) { tf.composite = map[int][]int{7: {99}} }), "refers to glyph 99"},
		{"composite bomb", mutate(func(tf *ttfTestFont) {
			// Each glyph holds the one before it twice: 2^n glyphs.
			tf.numGlyphs = 40
			tf.composite = map[int][]int{}
			for g := 2; g < 40; g++ {
				tf.composite[g] = []int{g - 1, g - 1}
			}
		}), "expands to more than"},
		{"format 12 out of order", mutate(func(tf *ttfTestFont) {
			tf.seg12 = [][3]uint32{{'B', 'C', 1}, {'A', 'A', 1}}
		}), "format 12"},
		{"format 12 past Unicode", mutate(func(tf *ttfTestFont) { tf.seg12 = [][3]uint32{{0x10fff0, 0x110000, 1}} }), "format 12"},
		{"truncated", good[:len(good)-100], "outside the file"},
		{"too large", make([]byte, ttfMaxBytes+1), "more than"},
		{"directory cut", good[:40], "cut short"},
	} {
		_, err := ttfParse(tc.data)
		if !errors.Is(err, errTTF) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error saying %q", tc.name, err, tc.want)
		}
	}
}

// TestFontDejaVu checks the embedded fonts: Latin, Arabic and Hebrew
// but not CJK, widths as fpdf computes them.
func TestFontDejaVu(t *testing.T) {
	d, err := dejaVu()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range "AéΩЖאب…€" {
		if !d.regular.ttf.has(r) {
			t.Errorf("DejaVu Sans lacks %U", r)
		}
	}
	if d.regular.ttf.has('中') {
		t.Errorf("DejaVu Sans has U+4E2D")
	}
	// 'A' is 1401 units of 2048: 684 thousandths.
	if got := d.regular.ttf.advance('A'); got != 684 {
		t.Errorf("advance(A) = %d, want 684", got)
	}
}

// TestFontFallback checks the order fonts are tried in, and that the
// system's CJK font is found for Chinese.
func TestFontFallback(t *testing.T) {
	lib, err := os.ReadFile("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf")
	if err != nil {
		t.Skip("no Liberation Sans: apt-get install fonts-liberation")
	}
	s, err := newPDFFonts([]Font{{Name: "Liberation", Regular: lib}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		r    rune
		bold bool
		want string
	}{
		{'A', false, "Font0r"},
		{'A', true, "Font0r"}, // no bold given: regular, drawn thicker
		{'ب', false, "DejaVuSans"},
		{'ب', true, "DejaVuSans-Bold"},
	} {
		f, err := s.face(tc.r, tc.bold)
		if err != nil || f.name != tc.want {
			t.Errorf("face(%q, bold=%v) = %v, %v; want %s", tc.r, tc.bold, f, err, tc.want)
		}
	}
	if _, err := os.Stat(systemFontPaths[0]); err != nil {
		if os.Getenv("OPENBADGES_CI") == "1" {
			t.Fatalf("no %s: apt-get install fonts-droid-fallback", systemFontPaths[0])
		}
		t.Skipf("no %s: apt-get install fonts-droid-fallback", systemFontPaths[0])
	}
	f, err := s.face('中', false)
	if err != nil || f.name != "System0" {
		t.Errorf("face(中) = %v, %v; want the Droid fallback font", f, err)
	}
}

// FuzzCmap fuzzes the TrueType reader with the bytes of a font: it must
// not panic, must bound its work, and what it accepts fpdf must embed
// without panicking.
func FuzzCmap(f *testing.F) {
	f.Add(ttfDefaultTestFont().bytes())
	f.Add(ttfTestCollection(ttfDefaultTestFont().bytes()))
	tf := ttfDefaultTestFont()
	tf.composite = map[int][]int{6: {7}, 7: {1, 2, 3}}
	f.Add(tf.bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		font, err := ttfParse(data)
		if err != nil {
			return
		}
		for _, r := range []rune{0, ' ', 'A', 'B', 'C', 0x05d0, 0x05d1, 0xfffe, 0xffff, 0x1f600, 0x10ffff} {
			g := font.glyph(r)
			if g < 0 || g >= font.numGlyphs || font.glyph12(r) >= font.numGlyphs {
				t.Fatalf("glyph(%U) = %d of %d", r, g, font.numGlyphs)
			}
			font.advance(r)
			font.bbox(r)
		}
		b, err := font.forFPDF()
		if err != nil {
			return
		}
		// What the reader accepts, fpdf reads, subsets and writes.
		pdf := fpdf.New("L", "mm", "A4", "")
		pdf.AddPage()
		pdf.AddUTF8FontFromBytes("F", "", b)
		pdf.SetFont("F", "", 12)
		pdf.Text(10, 10, "ABC\u05d0")
		var out bytes.Buffer
		_ = pdf.Output(&out)
	})
}
