// Package pdf writes the print form of a certificate: one landscape page,
// A4 or US Letter, its fonts embedded and its text selectable, with the
// credential attached as credential.json or credential.jwt so that the PDF
// itself verifies. It lays out a render.Certificate, in every language
// package render writes, right to left included (Arabic is shaped and
// reordered here, as PDF viewers do neither).
//
//	c, err := r.Certificate(ctx, credential, &render.Options{Lang: "ar"})
//	doc, err := (&pdf.Writer{}).Write(c)
//
// It is a package of its own so that programs that show only pages do not
// link a PDF writer and its fonts.
package pdf

import (
	"errors"

	"github.com/go-openbadges/openbadges/render"
)

// ErrFont: no font given, embedded or installed has a character the
// certificate shows. The error names the character, its script and the
// fonts tried.
var ErrFont = errors.New("render/pdf: no font for the text")

// Paper is a page size.
type Paper int

// The paper sizes; the zero value is A4.
const (
	A4 Paper = iota
	Letter
)

// String returns "A4" or "Letter".
func (p Paper) String() string {
	if p == Letter {
		return "Letter"
	}
	return "A4"
}

// Font is a TrueType font.
type Font struct {
	// Name is the family name the PDF uses for it.
	Name string
	// Regular and Bold are the font files (.ttf); Bold may be nil, and
	// Regular is then drawn thicker for bold text.
	Regular, Bold []byte
}

// Writer writes certificates as PDFs. Its zero value writes A4 pages
// with the embedded and installed fonts. It is safe for concurrent use.
type Writer struct {
	// Paper is the page size; the zero value is A4.
	Paper Paper
	// Fonts are TrueType fonts (glyf outlines: a .ttf, not a CFF .otf such
	// as Noto Sans CJK), tried in order before the embedded DejaVu Sans
	// (Latin, Greek, Cyrillic, Arabic, Hebrew) and the system's CJK fonts
	// (Droid Sans Fallback, WenQuanYi). A character none of them has, or
	// one beyond U+FFFF (an emoji), fails with ErrFont.
	Fonts []Font
}

// Write lays c out as a one-page PDF. The same certificate gives the
// same bytes: the document's dates are c.Issued's.
func (w *Writer) Write(c *render.Certificate) ([]byte, error) {
	if w == nil {
		w = &Writer{}
	}
	return writePDF(c, w.Paper, w.Fonts)
}
