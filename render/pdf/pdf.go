package pdf

import (
	"bytes"
	"fmt"
	"github.com/go-openbadges/openbadges/render"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"
)

// The PDF form of a certificate, written with fpdf (codeberg.org/go-pdf/fpdf):
// pure Go, with TrueType fonts embedded as subsets and text kept
// selectable (Unicode mapped), document attachments, and no cgo or
// external program. What fpdf lacks for this page (Arabic shaping, the
// bidi algorithm, font fallback per character, line breaking with
// ellipses) is in shape.go, bidi.go, font.go and pdf_text.go.

// pdfColor is an RGB colour.
type pdfColor struct{ r, g, b int }

// The colours of the design besides the brand's.
var (
	pdfInk       = pdfColor{0x20, 0x21, 0x24} // body text
	pdfMuted     = pdfColor{0x55, 0x5a, 0x60} // labels: 6.6:1 on white
	pdfRule      = pdfColor{0xb8, 0xbc, 0xc2}
	pdfPrimary   = pdfColor{0x1b, 0x36, 0x5d} // when Style.Primary is unset
	pdfAccent    = pdfColor{0x8a, 0x6a, 0x12} // when Style.Accent is unset
	pdfQRDark    = pdfColor{0, 0, 0}
	pdfFixedDate = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
)

// parsePDFColor reads "#rrggbb", or returns def.
func parsePDFColor(s string, def pdfColor) pdfColor {
	var c pdfColor
	if len(s) != 7 || s[0] != '#' {
		return def
	}
	if _, err := fmt.Sscanf(s[1:], "%02x%02x%02x", &c.r, &c.g, &c.b); err != nil {
		return def
	}
	return c
}

// pdfWriter lays out one certificate.
type pdfWriter struct {
	pdf   *fpdf.Fpdf
	c     *render.Certificate
	fonts *pdfFonts
	rtl   bool
	// added are the faces given to fpdf so far.
	added map[*pdfFace]bool
	// images are the images registered so far, by their data.
	images map[*render.Image]pdfImage
	// w and h are the page's size in mm.
	w, h             float64
	primary, accent  pdfColor
	lastFace         *pdfFace
	lastSize         float64
	lastColor        pdfColor
	lastColorWritten bool
}

// Page geometry, in mm.
const (
	pdfFrameOuter = 8.0  // inset of the outer border
	pdfFrameInner = 11.0 // inset of the inner border
	pdfInset      = 15.0 // inset of the footer's corners
	pdfSide       = 22.0 // inset of the text column
	pdfTop        = 16.0 // top of the content
	pdfQRMin      = 26.0 // width of the QR code without its quiet zone
)

// writePDF writes c as a one-page landscape PDF on paper, with fonts
// tried before the embedded DejaVu Sans and the system's CJK fonts.
//
// The page shows, centred, the certificate's heading (Labels.Certificate,
// or Labels.Endorsement), the issuer's logo, who earned what, the
// description, criteria, results, credits and skills, and at its foot the
// issuer and dates, the signatures (as many as fit, up to four) and, in a
// corner, the QR code of VerifyURL with how to verify and the
// credential's id. Text wraps within
// the margins and what does not fit is cut with an ellipsis: the page
// never overflows and there is always one page. Right-to-left text
// (c.Dir "rtl") is shaped (Arabic) and reordered, and the page mirrored.
//
// Fonts are embedded as subsets, and text is selectable. The credential
// (c.Credential) is attached as credential.json or credential.jwt, per
// c.MediaType, byte for byte. The document's title, author, subject,
// language and dates (c.Issued, or a fixed date) are set, so the same
// certificate gives the same bytes.
//
// A character no font has fails with an error wrapping ErrFont. Images
// that are not PNG, JPEG or GIF (SVG, WebP) or that do not decode are
// left out. The work is linear in the size of c: each text is read only
// as far as the page can show it.
func writePDF(c *render.Certificate, paper Paper, fonts []Font) (out []byte, err error) {
	defer func() {
		// fpdf reads fonts and images without checking every offset; what
		// is checked before it is given them should keep it from
		// panicking, and this keeps a panic from escaping if not.
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("render: writing the PDF: %v", r)
		}
	}()
	set, err := newPDFFonts(fonts)
	if err != nil {
		return nil, err
	}
	size := "A4"
	if paper == Letter {
		size = "Letter"
	}
	f := fpdf.New("L", "mm", size, "")
	w := &pdfWriter{
		pdf: f, c: c, fonts: set, rtl: c.Dir == "rtl",
		added: map[*pdfFace]bool{}, images: map[*render.Image]pdfImage{},
		primary: parsePDFColor(c.Style.Primary, pdfPrimary),
		accent:  parsePDFColor(c.Style.Accent, pdfAccent),
	}
	w.w, w.h = f.GetPageSize()
	w.metadata()
	f.SetMargins(0, 0, 0)
	f.SetAutoPageBreak(false, 0)
	f.SetCatalogSort(true)
	f.AddPage()
	w.frame()
	footerTop, err := w.footer()
	if err != nil {
		return nil, err
	}
	if err := w.body(footerTop - 3); err != nil {
		return nil, err
	}
	if err := f.Error(); err != nil {
		return nil, fmt.Errorf("render: writing the PDF: %w", err)
	}
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		return nil, fmt.Errorf("render: writing the PDF: %w", err)
	}
	return buf.Bytes(), nil
}

// metadata sets the document information, language and attachment.
func (w *pdfWriter) metadata() {
	c, f := w.c, w.pdf
	title := pdfPlain(c.Title, 500)
	f.SetTitle(title, true)
	f.SetAuthor(pdfPlain(c.Issuer.Name, 500), true)
	heading := c.Labels.Certificate
	if c.Kind == render.KindEndorsement {
		heading = c.Labels.Endorsement
	}
	subject := title
	if h := pdfPlain(heading, 100); h != "" && title != "" {
		subject = h + ": " + title
	}
	f.SetSubject(subject, true)
	f.SetCreator("github.com/go-openbadges/openbadges/render/pdf", false)
	f.SetKeywords("Open Badges 3.0, verifiable credential", false)
	if pdfLangOK(c.Lang) {
		f.SetLang(c.Lang)
	}
	date := c.Issued
	if date.IsZero() {
		date = pdfFixedDate
	}
	f.SetCreationDate(date.UTC())
	f.SetModificationDate(date.UTC())
	if len(c.Credential) > 0 {
		name, desc := "credential.json", "Open Badges 3.0 credential (application/vc+ld+json)"
		if c.MediaType == "application/vc+jwt" {
			name, desc = "credential.jwt", "Open Badges 3.0 credential (application/vc+jwt)"
		}
		f.SetAttachments([]fpdf.Attachment{{Content: c.Credential, Filename: name, Description: desc}})
	}
}

// pdfPlain is s on one line, cleaned as for the page, of at most limit
// characters.
func pdfPlain(s string, limit int) string {
	paras, cut := pdfClean(s, limit, false)
	if len(paras) == 0 {
		return ""
	}
	var b strings.Builder
	for _, r := range paras[0] {
		if r <= 0xffff { // fpdf writes UTF-16 without surrogates
			b.WriteRune(r)
		}
	}
	if cut {
		b.WriteRune(pdfEllipsis)
	}
	return b.String()
}

// pdfLangOK reports a language tag safe to write as it is: fpdf writes
// /Lang without escaping.
func pdfLangOK(s string) bool {
	if s == "" || len(s) > 35 {
		return false
	}
	for _, r := range s {
		if !(r == '-' || r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))) {
			return false
		}
	}
	return true
}

// frame draws the border: a thick line and a thin one in the accent
// colour, with a diamond at each inner corner.
func (w *pdfWriter) frame() {
	f := w.pdf
	w.setDraw(w.accent)
	f.SetLineWidth(1.4)
	f.Rect(pdfFrameOuter, pdfFrameOuter, w.w-2*pdfFrameOuter, w.h-2*pdfFrameOuter, "D")
	f.SetLineWidth(0.3)
	f.Rect(pdfFrameInner, pdfFrameInner, w.w-2*pdfFrameInner, w.h-2*pdfFrameInner, "D")
	w.setFill(w.accent)
	for _, p := range [][2]float64{
		{pdfFrameInner, pdfFrameInner}, {w.w - pdfFrameInner, pdfFrameInner},
		{pdfFrameInner, w.h - pdfFrameInner}, {w.w - pdfFrameInner, w.h - pdfFrameInner},
	} {
		w.diamond(p[0], p[1], 2.2)
	}
}

// diamond fills a square turned 45° centred at x, y, of half-diagonal r.
func (w *pdfWriter) diamond(x, y, r float64) {
	w.pdf.Polygon([]fpdf.PointType{{X: x, Y: y - r}, {X: x + r, Y: y}, {X: x, Y: y + r}, {X: x - r, Y: y}}, "F")
}

// setDraw sets the colour of lines.
func (w *pdfWriter) setDraw(c pdfColor) { w.pdf.SetDrawColor(c.r, c.g, c.b) }

// setFill sets the colour of filled shapes.
func (w *pdfWriter) setFill(c pdfColor) { w.pdf.SetFillColor(c.r, c.g, c.b) }

// Alignments of a line in its box.
const (
	pdfAlignStart = iota // left, or right in a right-to-left document
	pdfAlignCenter
	pdfAlignEnd
)

// drawLine draws l with its baseline at y in the box [x, x+width],
// aligned; alignStart and alignEnd follow the document's direction.
//
// Characters are drawn in runs of one font. fpdf does no mark
// positioning: a zero-width combining mark is drawn where its font
// expects the pen to be. Fonts draw a mark either over the glyph drawn
// before it (outline left of the origin: Latin marks) or over the glyph
// drawn after it (right of the origin: DejaVu's Arabic and Hebrew marks),
// so each mark goes after or before its letter accordingly. A second mark
// above one letter is raised over the first.
func (w *pdfWriter) drawLine(l pdfLine, st pdfStyle, x, y, width float64, align int) {
	if w.rtl && align != pdfAlignCenter {
		align = pdfAlignStart + pdfAlignEnd - align
	}
	switch align {
	case pdfAlignCenter:
		x += (width - l.width) / 2
	case pdfAlignEnd:
		x += width - l.width
	}
	w.setTextColor(st.color)
	em := st.size * pdfPtToMM // mm per em
	type raised struct {
		c    pdfChar
		x, y float64
	}
	var (
		rs       []rune
		runFace  *pdfFace
		runX     float64
		pen      = x
		later    []raised
		emitting = func(c pdfChar) {
			if c.face != runFace || len(rs) == 0 {
				if len(rs) > 0 {
					w.drawRun(runFace, st, runX, y, string(rs))
					rs = rs[:0]
				}
				runFace, runX = c.face, pen
			}
			rs = append(rs, c.r)
		}
	)
	isMark := func(c pdfChar) bool { return c.adv == 0 && pdfIsMark(c.r) }
	for i := 0; i < len(l.chars); {
		base := l.chars[i]
		j := i + 1
		for j < len(l.chars) && isMark(l.chars[j]) && !isMark(base) {
			j++
		}
		marks := l.chars[i+1 : j]
		var after []pdfChar
		stackTop := 0
		for _, m := range marks {
			x0, y0, x1, y1 := m.face.ttf.bbox(m.r)
			if y0 >= 0 { // above the letter
				if stackTop > 0 {
					gap := m.face.ttf.unitsPerEm / 20
					unit := em / float64(m.face.ttf.unitsPerEm)
					dy := max(0, float64(stackTop+gap-y0)*unit)
					stackTop += gap + y1 - y0
					mx := pen
					if x0+x1 < 0 {
						mx += st.mm(base.adv)
					}
					later = append(later, raised{m, mx, y - dy})
					continue
				}
				stackTop = y1
			}
			if x0+x1 >= 0 {
				emitting(m) // drawn before the letter, over it
			} else {
				after = append(after, m)
			}
		}
		emitting(base)
		pen += st.mm(base.adv)
		for _, m := range after {
			emitting(m)
		}
		i = j
	}
	if len(rs) > 0 {
		w.drawRun(runFace, st, runX, y, string(rs))
	}
	for _, m := range later {
		w.drawRun(m.c.face, st, m.x, m.y, string(m.c.r))
	}
}

// drawRun draws s in face at x, y. Bold text in a face that has no bold
// is stroked as well as filled, a little thicker.
func (w *pdfWriter) drawRun(face *pdfFace, st pdfStyle, x, y float64, s string) {
	w.setFont(face, st.size)
	fake := st.bold && !face.bold
	if fake {
		w.setDraw(st.color)
		w.pdf.SetLineWidth(st.size * pdfPtToMM * 0.03)
		w.pdf.SetTextRenderingMode(2)
	}
	w.pdf.Text(x, y, s)
	if fake {
		w.pdf.SetTextRenderingMode(0)
	}
}

// setFont selects face at size, giving it to fpdf the first time.
func (w *pdfWriter) setFont(face *pdfFace, size float64) {
	if !w.added[face] {
		// fpdf writes into the font bytes it is given (utf8FontFile.
		// getMetrics appends to a slice of them), so each document gets
		// its own copy: the embedded and cached fonts are shared by every
		// document, also those written at the same time.
		w.pdf.AddUTF8FontFromBytes(face.name, "", bytes.Clone(face.data))
		w.added[face] = true
	}
	if face != w.lastFace || size != w.lastSize {
		w.pdf.SetFont(face.name, "", size)
		w.lastFace, w.lastSize = face, size
	}
}

// setTextColor sets the colour of text, when it changes.
func (w *pdfWriter) setTextColor(c pdfColor) {
	if !w.lastColorWritten || c != w.lastColor {
		w.pdf.SetTextColor(c.r, c.g, c.b)
		w.lastColor, w.lastColorWritten = c, true
	}
}

// drawLines draws ls from top y down, each in a line of st's height.
// It returns the y below them.
func (w *pdfWriter) drawLines(ls []pdfLine, st pdfStyle, x, y, width float64, align int) float64 {
	lh := st.lineHeight()
	for _, l := range ls {
		w.drawLine(l, st, x, y+pdfBaseline(st), width, align)
		y += lh
	}
	return y
}

// pdfBaseline is the distance from the top of a line to its baseline.
func pdfBaseline(st pdfStyle) float64 {
	return (st.lineHeight() + 0.7*st.size*pdfPtToMM) / 2
}

// mirrorX returns the x of a box of width bw placed at x on a
// left-to-right page, on this page.
func (w *pdfWriter) mirrorX(x, bw float64) float64 {
	if w.rtl {
		return w.w - x - bw
	}
	return x
}
