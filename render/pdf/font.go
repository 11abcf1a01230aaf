package pdf

import (
	_ "embed" // the DejaVu fonts
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"unicode"
)

// The fonts every PDF can use: DejaVu Sans and DejaVu Sans Bold (Latin,
// Greek, Cyrillic, Armenian, Georgian, Hebrew, Arabic and its
// presentation forms), under the license in fonts/LICENSE. Only the PDF
// writer refers to them, through dejaVu, so that programs that never
// write a PDF leave them out when they link.
var (
	//go:embed fonts/DejaVuSans.ttf
	dejaVuSansTTF []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	dejaVuSansBoldTTF []byte
)

// dejaVuCache holds the embedded fonts, parsed once per process. It is
// a zero value until dejaVu runs, so that nothing but dejaVu refers to
// the fonts' bytes.
var dejaVuCache struct {
	once   sync.Once
	family *pdfFamily
	err    error
}

// dejaVu returns the embedded fonts.
func dejaVu() (*pdfFamily, error) {
	dejaVuCache.once.Do(func() {
		regular, err := ttfParse(dejaVuSansTTF)
		if err != nil {
			dejaVuCache.err = fmt.Errorf("render: the embedded DejaVu Sans: %w", err)
			return
		}
		bold, err := ttfParse(dejaVuSansBoldTTF)
		if err != nil {
			dejaVuCache.err = fmt.Errorf("render: the embedded DejaVu Sans Bold: %w", err)
			return
		}
		dejaVuCache.family = &pdfFamily{
			label:   "the embedded DejaVu Sans",
			regular: &pdfFace{name: "DejaVuSans", ttf: regular, data: dejaVuSansTTF},
			bold:    &pdfFace{name: "DejaVuSans-Bold", ttf: bold, data: dejaVuSansBoldTTF, bold: true},
		}
	})
	return dejaVuCache.family, dejaVuCache.err
}

// systemFontPaths are the system fonts with CJK characters the PDF writer
// looks for, in order, when no other font has a character: Debian's
// fonts-droid-fallback, then WenQuanYi Zen Hei and Micro Hei (the first
// face of their collections). Noto Sans CJK (fonts-noto-cjk) is not in
// the list: its outlines are CFF, which fpdf cannot embed.
var systemFontPaths = [len(systemFontCache)]string{
	"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
	"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
	"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
}

// systemFontCache holds each of systemFontPaths, read at most once per
// process, the first time a text needs it; a missing or unusable font is
// remembered as nil. Each file is bounded by ttfMaxBytes, so the cache
// holds at most len(systemFontPaths) of them.
var systemFontCache [3]struct {
	once   sync.Once
	family *pdfFamily
}

// systemFont returns the i-th of systemFontPaths, or nil.
func systemFont(i int) *pdfFamily {
	c := &systemFontCache[i]
	c.once.Do(func() {
		path := systemFontPaths[i]
		if face, err := readSystemFont(path, fmt.Sprintf("System%d", i)); err == nil {
			c.family = &pdfFamily{label: path, regular: face}
		}
	})
	return c.family
}

// readSystemFont reads and parses the font at path.
func readSystemFont(path, name string) (*pdfFace, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, ttfMaxBytes+1))
	if err != nil {
		return nil, err
	}
	ttf, err := ttfParse(data)
	if err != nil {
		return nil, err
	}
	pdfData, err := ttf.forFPDF()
	if err != nil {
		return nil, err
	}
	return &pdfFace{name: name, ttf: ttf, data: pdfData}, nil
}

// pdfFace is one font file as the PDF writer uses it.
type pdfFace struct {
	// name is the family name given to fpdf, unique in a document.
	name string
	ttf  *ttfFont
	// data is what fpdf reads (see ttfFont.forFPDF).
	data []byte
	// bold is set for a bold face; bold text in a face that is not is
	// drawn thicker (stroked as well as filled).
	bold bool
}

// pdfFamily is a regular face and an optional bold one.
type pdfFamily struct {
	// label names the font in error messages.
	label         string
	regular, bold *pdfFace
}

// pdfFonts chooses a font for each character of a document: the caller's
// fonts in order, then DejaVu Sans, then the system's CJK fonts. A
// pdfFonts belongs to one document.
type pdfFonts struct {
	families []*pdfFamily
	// system is how many of systemFontPaths have been tried.
	system int
}

// newPDFFonts parses the caller's fonts and prepares the embedded ones.
// A font that cannot be used fails with ErrFont.
func newPDFFonts(fonts []Font) (*pdfFonts, error) {
	s := &pdfFonts{}
	for i, f := range fonts {
		label := fmt.Sprintf("Config.Fonts[%d] (%q)", i, f.Name)
		fam := &pdfFamily{label: label}
		for _, v := range []struct {
			data []byte
			face **pdfFace
			kind string
		}{{f.Regular, &fam.regular, "regular"}, {f.Bold, &fam.bold, "bold"}} {
			if v.data == nil && v.kind == "bold" {
				continue
			}
			ttf, err := ttfParse(v.data)
			if err != nil {
				return nil, fmt.Errorf("%w: %s, %s: %w", ErrFont, label, v.kind, err)
			}
			data, err := ttf.forFPDF()
			if err != nil {
				return nil, fmt.Errorf("%w: %s, %s: %w", ErrFont, label, v.kind, err)
			}
			*v.face = &pdfFace{name: fmt.Sprintf("Font%d%s", i, v.kind[:1]), ttf: ttf, data: data, bold: v.kind == "bold"}
		}
		s.families = append(s.families, fam)
	}
	d, err := dejaVu()
	if err != nil {
		return nil, err
	}
	s.families = append(s.families, d)
	return s, nil
}

// face returns the face to write r in: for bold text, each family's bold
// face and then its regular one; the first that has r. When none has it,
// the system's fonts are read, one at a time, until one has it; when
// still none has it, face fails with ErrFont, naming r and its script.
func (s *pdfFonts) face(r rune, bold bool) (*pdfFace, error) {
	for {
		for _, fam := range s.families {
			if bold && fam.bold != nil && fam.bold.ttf.has(r) {
				return fam.bold, nil
			}
			if fam.regular.ttf.has(r) {
				return fam.regular, nil
			}
		}
		if s.system == len(systemFontPaths) {
			return nil, fontMissing(r, s.families)
		}
		fam := systemFont(s.system)
		s.system++
		if fam != nil {
			s.families = append(s.families, fam)
		}
	}
}

// errNonBMP explains characters past U+FFFF.
var errNonBMP = errors.New("the PDF writer (fpdf) encodes text in 16 bits and cannot write characters past U+FFFF, such as emoji")

// fontMissing is the error for a character no font has.
func fontMissing(r rune, families []*pdfFamily) error {
	script := fontScript(r)
	if r > 0xffff {
		return fmt.Errorf("%w: %U %q (%s): %w", ErrFont, r, r, script, errNonBMP)
	}
	tried := ""
	for i, f := range families {
		if i > 0 {
			tried += ", "
		}
		tried += f.label
	}
	return fmt.Errorf("%w: no font has %U %q (%s script); tried %s. "+
		"Add a TrueType (.ttf) font that has it to Config.Fonts, "+
		"or install a system font: Debian's fonts-droid-fallback or fonts-wqy-zenhei for Chinese, Japanese and Korean "+
		"(Noto Sans CJK cannot be used: its outlines are CFF)", ErrFont, r, r, script, tried)
}

// fontScript names r's Unicode script.
func fontScript(r rune) string {
	for name, table := range unicode.Scripts {
		if name != "Common" && name != "Inherited" && unicode.Is(table, r) {
			return name
		}
	}
	if unicode.Is(unicode.Inherited, r) {
		return "Inherited"
	}
	return "Common"
}
