package pdf

import "unicode"

// Arabic shaping for the PDF: fpdf draws one glyph per character and has
// no OpenType layout, so the contextual forms of Arabic letters are
// chosen here, as the Unicode presentation forms (Arabic Presentation
// Forms-B, U+FE70–U+FEFF, and a few of Forms-A for Persian and Urdu
// letters), which DejaVu Sans has. The rules are those of the Unicode
// Standard, chapter 9.2 (ArabicShaping.txt): a letter joins the letter
// before it when that one joins forward (dual-joining or join-causing)
// and it joins backward itself; transparent characters (harakat and other
// marks) are skipped; lam followed by alef becomes one ligature.

// arabicForms are a letter's presentation forms: isolated, final,
// initial, medial. A right-joining letter has no initial or medial form
// (zero).
type arabicForms [4]rune

// The forms, as indexes of arabicForms.
const (
	arabicIsolated = iota
	arabicFinal
	arabicInitial
	arabicMedial
)

// arabicLetters are the letters that are shaped, U+0621–U+064A (Forms-B)
// and the Persian and Urdu letters of Forms-A that DejaVu Sans has.
var arabicLetters = map[rune]arabicForms{
	0x0621: {0xfe80, 0, 0, 0},                // hamza (non-joining)
	0x0622: {0xfe81, 0xfe82, 0, 0},           // alef with madda above
	0x0623: {0xfe83, 0xfe84, 0, 0},           // alef with hamza above
	0x0624: {0xfe85, 0xfe86, 0, 0},           // waw with hamza above
	0x0625: {0xfe87, 0xfe88, 0, 0},           // alef with hamza below
	0x0626: {0xfe89, 0xfe8a, 0xfe8b, 0xfe8c}, // yeh with hamza above
	0x0627: {0xfe8d, 0xfe8e, 0, 0},           // alef
	0x0628: {0xfe8f, 0xfe90, 0xfe91, 0xfe92}, // beh
	0x0629: {0xfe93, 0xfe94, 0, 0},           // teh marbuta
	0x062a: {0xfe95, 0xfe96, 0xfe97, 0xfe98}, // teh
	0x062b: {0xfe99, 0xfe9a, 0xfe9b, 0xfe9c}, // theh
	0x062c: {0xfe9d, 0xfe9e, 0xfe9f, 0xfea0}, // jeem
	0x062d: {0xfea1, 0xfea2, 0xfea3, 0xfea4}, // hah
	0x062e: {0xfea5, 0xfea6, 0xfea7, 0xfea8}, // khah
	0x062f: {0xfea9, 0xfeaa, 0, 0},           // dal
	0x0630: {0xfeab, 0xfeac, 0, 0},           // thal
	0x0631: {0xfead, 0xfeae, 0, 0},           // reh
	0x0632: {0xfeaf, 0xfeb0, 0, 0},           // zain
	0x0633: {0xfeb1, 0xfeb2, 0xfeb3, 0xfeb4}, // seen
	0x0634: {0xfeb5, 0xfeb6, 0xfeb7, 0xfeb8}, // sheen
	0x0635: {0xfeb9, 0xfeba, 0xfebb, 0xfebc}, // sad
	0x0636: {0xfebd, 0xfebe, 0xfebf, 0xfec0}, // dad
	0x0637: {0xfec1, 0xfec2, 0xfec3, 0xfec4}, // tah
	0x0638: {0xfec5, 0xfec6, 0xfec7, 0xfec8}, // zah
	0x0639: {0xfec9, 0xfeca, 0xfecb, 0xfecc}, // ain
	0x063a: {0xfecd, 0xfece, 0xfecf, 0xfed0}, // ghain
	0x0641: {0xfed1, 0xfed2, 0xfed3, 0xfed4}, // feh
	0x0642: {0xfed5, 0xfed6, 0xfed7, 0xfed8}, // qaf
	0x0643: {0xfed9, 0xfeda, 0xfedb, 0xfedc}, // kaf
	0x0644: {0xfedd, 0xfede, 0xfedf, 0xfee0}, // lam
	0x0645: {0xfee1, 0xfee2, 0xfee3, 0xfee4}, // meem
	0x0646: {0xfee5, 0xfee6, 0xfee7, 0xfee8}, // noon
	0x0647: {0xfee9, 0xfeea, 0xfeeb, 0xfeec}, // heh
	0x0648: {0xfeed, 0xfeee, 0, 0},           // waw
	0x0649: {0xfeef, 0xfef0, 0xfbe8, 0xfbe9}, // alef maksura (dual-joining)
	0x064a: {0xfef1, 0xfef2, 0xfef3, 0xfef4}, // yeh
	0x067e: {0xfb56, 0xfb57, 0xfb58, 0xfb59}, // peh
	0x0686: {0xfb7a, 0xfb7b, 0xfb7c, 0xfb7d}, // tcheh
	0x0698: {0xfb8a, 0xfb8b, 0, 0},           // jeh
	0x06a9: {0xfb8e, 0xfb8f, 0xfb90, 0xfb91}, // keheh
	0x06af: {0xfb92, 0xfb93, 0xfb94, 0xfb95}, // gaf
	0x06cc: {0xfbfc, 0xfbfd, 0xfbfe, 0xfbff}, // farsi yeh
}

// arabicLamAlef are the lam-alef ligatures, isolated and final, by the alef.
var arabicLamAlef = map[rune][2]rune{
	0x0622: {0xfef5, 0xfef6},
	0x0623: {0xfef7, 0xfef8},
	0x0625: {0xfef9, 0xfefa},
	0x0627: {0xfefb, 0xfefc},
}

// Joining types (ArabicShaping.txt).
const (
	arabicJoinNone        = iota // U: non-joining
	arabicJoinRight              // R: joins the letter before it only
	arabicJoinDual               // D: joins on both sides
	arabicJoinCausing            // C: tatweel and ZWJ: joins on both sides, not shaped
	arabicJoinTransparent        // T: marks, skipped
)

// Characters shapeArabic treats specially.
const (
	arabicLam = 0x0644
	arabicZWJ = 0x200d
)

// arabicJoining returns r's joining type.
func arabicJoining(r rune) int {
	if f, ok := arabicLetters[r]; ok {
		switch {
		case f[arabicInitial] != 0:
			return arabicJoinDual
		case f[arabicFinal] != 0:
			return arabicJoinRight
		}
		return arabicJoinNone
	}
	switch {
	case r == 0x0640 || r == arabicZWJ: // tatweel, zero width joiner
		return arabicJoinCausing
	case r == 0x200c: // zero width non-joiner
		return arabicJoinNone
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		return arabicJoinTransparent
	}
	return arabicJoinNone
}

// shapeArabic returns rs with each Arabic letter replaced by the
// presentation form its neighbours call for and each lam-alef pair by its
// ligature. Other characters are kept, in order; rs itself is returned
// when it has no Arabic letter. The work is linear in len(rs).
func shapeArabic(rs []rune) []rune {
	has := false
	for _, r := range rs {
		if r >= 0x0621 && r <= 0x06cc {
			has = true
			break
		}
	}
	if !has {
		return rs
	}
	types := make([]int, len(rs))
	for i, r := range rs {
		types[i] = arabicJoining(r)
	}
	// next returns the first character after i that is not transparent,
	// or -1.
	next := func(i int) int {
		for j := i + 1; j < len(rs); j++ {
			if types[j] != arabicJoinTransparent {
				return j
			}
		}
		return -1
	}
	out := make([]rune, 0, len(rs))
	prevJoins := false // the character before joins forward
	for i := 0; i < len(rs); i++ {
		r, t := rs[i], types[i]
		if t == arabicJoinTransparent {
			out = append(out, r)
			continue
		}
		forms, letter := arabicLetters[r]
		if !letter {
			out = append(out, r)
			prevJoins = t == arabicJoinCausing || t == arabicJoinDual
			continue
		}
		joinsBack := prevJoins && t != arabicJoinNone
		n := next(i)
		if r == arabicLam && n >= 0 {
			if lig, ok := arabicLamAlef[rs[n]]; ok {
				form := lig[0]
				if joinsBack {
					form = lig[1]
				}
				out = append(out, form)
				// The marks between lam and alef, and the alef's, follow
				// the ligature.
				out = append(out, rs[i+1:n]...)
				i = n
				prevJoins = false // the ligature ends with alef, right-joining
				continue
			}
		}
		joinsForward := t == arabicJoinDual && n >= 0 && types[n] != arabicJoinNone
		form := arabicIsolated
		switch {
		case joinsBack && joinsForward:
			form = arabicMedial
		case joinsBack:
			form = arabicFinal
		case joinsForward:
			form = arabicInitial
		}
		if forms[form] != 0 {
			out = append(out, forms[form])
		} else {
			out = append(out, forms[arabicIsolated])
		}
		prevJoins = t == arabicJoinDual
	}
	return out
}
