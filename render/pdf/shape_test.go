package pdf

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// shapeHex writes rs as code points, for readable diffs.
func shapeHex(rs []rune) string {
	var b strings.Builder
	for i, r := range rs {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%04X", r)
	}
	return b.String()
}

func TestShapeArabic(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []rune
	}{
		// sheen initial, heh medial, alef final, dal and teh marbuta
		// isolated (alef and dal do not join forward).
		{"شهادة", []rune{0xfeb7, 0xfeec, 0xfe8e, 0xfea9, 0xfe93}},
		{"لا", []rune{0xfefb}},
		// alef isolated, lam initial, seen medial, lam-alef final (the
		// lam joins the seen), meem isolated (the ligature ends in alef).
		{"السلام", []rune{0xfe8d, 0xfedf, 0xfeb4, 0xfefc, 0xfee1}},
		{"محمد", []rune{0xfee3, 0xfea4, 0xfee4, 0xfeaa}},
		// Harakat are transparent: the letters join across them, and
		// stay after their letter.
		{"مُحَمَّد", []rune{0xfee3, 0x064f, 0xfea4, 0x064e, 0xfee4, 0x064e, 0x0651, 0xfeaa}},
		// Lam, a mark, alef: the ligature, then the mark.
		{"لَا", []rune{0xfefb, 0x064e}},
		{"ب ب", []rune{0xfe8f, ' ', 0xfe8f}},
		// Tatweel joins; ZWNJ does not; ZWJ joins.
		{"بـ", []rune{0xfe91, 0x0640}},
		{"ب\u200cب", []rune{0xfe8f, 0x200c, 0xfe8f}},
		{"ب\u200d", []rune{0xfe91, 0x200d}},
		// Persian letters from Forms-A: peh initial, farsi yeh final.
		{"پی", []rune{0xfb58, 0xfbfd}},
		// Latin and digits are left as they are.
		{"abc 2026", []rune("abc 2026")},
		{"منحت 7", []rune{0xfee3, 0xfee8, 0xfea4, 0xfe96, ' ', '7'}},
	} {
		got := shapeArabic([]rune(tc.in))
		if diff := cmp.Diff(shapeHex(tc.want), shapeHex(got)); diff != "" {
			t.Errorf("shapeArabic(%q) (-want +got):\n%s", tc.in, diff)
		}
	}
}

// TestShapeFormsInDejaVu checks that the embedded fonts have every form
// shapeArabic writes.
func TestShapeFormsInDejaVu(t *testing.T) {
	d, err := dejaVu()
	if err != nil {
		t.Fatal(err)
	}
	for base, forms := range arabicLetters {
		for _, r := range append(forms[:], base) {
			if r != 0 && (!d.regular.ttf.has(r) || !d.bold.ttf.has(r)) {
				t.Errorf("DejaVu Sans lacks %U (a form of %U)", r, base)
			}
		}
	}
	for _, l := range arabicLamAlef {
		for _, r := range l {
			if !d.regular.ttf.has(r) || !d.bold.ttf.has(r) {
				t.Errorf("DejaVu Sans lacks %U", r)
			}
		}
	}
}

// bidiString runs a line through the PDF's bidi steps: levels, visual
// order, mirroring.
func bidiString(s string, rtl bool) string {
	rs := []rune(s)
	levels := bidiLevels(rs, rtl)
	var base uint8
	if rtl {
		base = 1
	}
	order, lv := bidiVisual(levels, base, func(i int) bool { return rs[i] == ' ' })
	out := make([]rune, len(rs))
	for i, j := range order {
		out[i] = rs[j]
		if lv[j]%2 == 1 {
			out[i] = bidiMirror(rs[j])
		}
	}
	return string(out)
}

// bidiRev reverses s, for writing expected Arabic in visual order.
func bidiRev(s string) string {
	rs := []rune(s)
	for i, j := 0, len(rs)-1; i < j; i, j = i+1, j-1 {
		rs[i], rs[j] = rs[j], rs[i]
	}
	return string(rs)
}

func TestBidiVisual(t *testing.T) {
	for _, tc := range []struct {
		in   string
		rtl  bool
		want string
	}{
		// Numbers keep their order inside Arabic text.
		{"منحت في 7 ديسمبر 2026", true, "2026 " + bidiRev("ديسمبر") + " 7 " + bidiRev("في") + " " + bidiRev("منحت")},
		{"منحت: 1,000.5 نقطة", true, bidiRev("نقطة") + " 1,000.5 :" + bidiRev("منحت")},
		// Arabic-Indic digits too.
		{"رقم ١٢٣", true, "١٢٣ " + bidiRev("رقم")},
		// A Latin run in Arabic text keeps its order.
		{"صادرة عن Example University", true, "Example University " + bidiRev("عن") + " " + bidiRev("صادرة")},
		// Brackets are mirrored in right-to-left text, and paired: the
		// pair around Latin text after Latin text is left to right.
		{"(منحت)", true, "(" + bidiRev("منحت") + ")"},
		{"Hello (world)", true, "Hello (world)"},
		{"جامعة (UK)", true, "(UK) " + bidiRev("جامعة")},
		// In a left-to-right line, an Arabic phrase with a number in it
		// reads right to left as a whole.
		{"abc منحت 123 في def", false, "abc " + bidiRev("في") + " 123 " + bidiRev("منحت") + " def"},
		{"Issued by جامعة المستقبل", false, "Issued by " + bidiRev("المستقبل") + " " + bidiRev("جامعة")},
		// Hebrew is reordered (and not shaped).
		{"שלום 123", true, "123 " + bidiRev("שלום")},
		{"plain text", false, "plain text"},
		{"", true, ""},
	} {
		if got := bidiString(tc.in, tc.rtl); got != tc.want {
			t.Errorf("visual(%q, rtl=%v) = %q, want %q", tc.in, tc.rtl, got, tc.want)
		}
	}
}

func TestBidiBase(t *testing.T) {
	for _, tc := range []struct {
		in       string
		doc, rtl bool
	}{
		{"Data Science", true, false},
		{"علم البيانات", false, true},
		{"2026", true, true},
		{"2026", false, false},
		{"2026 Data", true, false},
	} {
		if got := bidiBaseRTL([]rune(tc.in), tc.doc); got != tc.rtl {
			t.Errorf("bidiBaseRTL(%q, %v) = %v", tc.in, tc.doc, got)
		}
	}
}

// TestBidiLinear checks that hostile lines (deep brackets, long runs)
// are resolved and reordered, in time linear in their length.
func TestBidiLinear(t *testing.T) {
	for _, s := range []string{
		strings.Repeat("(", 5000) + "منحت" + strings.Repeat(")", 5000),
		strings.Repeat("(a)", 5000),
		strings.Repeat("a ب 1 ", 5000),
	} {
		for _, rtl := range []bool{false, true} {
			if got := bidiString(s, rtl); len([]rune(got)) != len([]rune(s)) {
				t.Fatalf("visual lost characters")
			}
		}
	}
}
