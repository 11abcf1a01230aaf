package pdf

import (
	"github.com/go-openbadges/openbadges/render"
	"strings"
)

// The footer: at the start side the issuer and the dates, in the middle
// the signatures, and in the end corner the QR code with how to verify.
// On a right-to-left page it is mirrored.

// pdfQRMaxSize bounds the QR codes drawn: version 40 has 177 modules.
const pdfQRMaxSize = 177

// pdfValidQR returns q when its modules are the square it says.
func pdfValidQR(q *render.QR) *render.QR {
	if q == nil || q.Size < 1 || q.Size > pdfQRMaxSize || len(q.Modules) != q.Size {
		return nil
	}
	for _, row := range q.Modules {
		if len(row) != q.Size {
			return nil
		}
	}
	return q
}

// footer draws the footer and returns its top (mm).
func (w *pdfWriter) footer() (float64, error) {
	c := w.c
	bottom := w.h - pdfInset
	left, right := pdfInset+3, w.w-pdfInset
	height := 28.0
	qr := pdfValidQR(c.QR)
	var module, side float64
	if qr != nil {
		module = pdfQRMin / float64(qr.Size)
		side = module * float64(qr.Size+8)
		height = max(height, side)
	}
	top := bottom - height
	verifyRight := right
	textTop := top
	if qr != nil {
		x := w.mirrorX(right-side, side)
		w.drawQR(qr, x, bottom-side, module)
		if u := pdfLinkURL(c.VerifyURL); u != "" {
			w.pdf.LinkString(x, bottom-side, side, side, u)
		}
		verifyRight = right - side
		textTop = bottom - side + 1
	}

	// How to verify, beside the code.
	const verifyW = 66.0
	verifyX := verifyRight - verifyW
	vs, err := w.verifyBlocks(verifyX, verifyW)
	if err != nil {
		return 0, err
	}
	w.fit(vs, bottom-textTop)
	w.drawStack(vs, textTop, 1)

	// The issuer and the dates.
	const issuerW = 66.0
	is, err := w.issuerBlocks(left, issuerW)
	if err != nil {
		return 0, err
	}
	ih := w.fit(is, height)
	w.drawStack(is, bottom-ih, 1)

	// The signatures, between them.
	if err := w.signatures(left+issuerW+6, verifyX-6, top, bottom); err != nil {
		return 0, err
	}
	return top, nil
}

// verifyBlocks are the lines beside the QR code: Labels.Verify, the hint,
// the link and the credential's id.
func (w *pdfWriter) verifyBlocks(x, width float64) ([]*pdfBlock, error) {
	c := w.c
	var bs []*pdfBlock
	add := func(s string, st pdfStyle, maxLines, softMin, prio int, gap float64, anywhere bool) error {
		if strings.TrimSpace(s) == "" {
			return nil
		}
		t, err := w.text(s, st, maxLines, anywhere, false)
		if err != nil || t.empty() {
			return err
		}
		bs = append(bs, &pdfBlock{text: t, x: x, width: width, align: pdfAlignStart,
			lines: maxLines, softMin: softMin, hardMin: 0, prio: prio, gap: gap})
		return nil
	}
	if c.VerifyURL != "" {
		if err := add(c.Labels.Verify, w.style(9, true, w.primary), 1, 1, 50, 0, false); err != nil {
			return nil, err
		}
		if err := add(c.Labels.VerifyHint, w.style(7.5, false, pdfMuted), 3, 1, 30, 0.8, false); err != nil {
			return nil, err
		}
		if err := add(c.VerifyURL, w.style(7, false, w.primary), 3, 1, 15, 1.2, true); err != nil {
			return nil, err
		}
	}
	if c.ID != "" {
		id := pdfCut(c.ID, 2000)
		if c.Labels.CredentialID != "" {
			id = pdfCut(c.Labels.CredentialID, 200) + ": " + id
		}
		if err := add(id, w.style(6.5, false, pdfMuted), 3, 1, 20, 1.2, true); err != nil {
			return nil, err
		}
	}
	return bs, nil
}

// issuerBlocks are the issuer and the dates.
func (w *pdfWriter) issuerBlocks(x, width float64) ([]*pdfBlock, error) {
	c := w.c
	var bs []*pdfBlock
	add := func(s string, st pdfStyle, maxLines, softMin, prio int, gap float64) error {
		if strings.TrimSpace(s) == "" {
			return nil
		}
		t, err := w.text(s, st, maxLines, false, false)
		if err != nil || t.empty() {
			return err
		}
		bs = append(bs, &pdfBlock{text: t, x: x, width: width, align: pdfAlignStart,
			lines: maxLines, softMin: softMin, hardMin: 0, prio: prio, gap: gap})
		return nil
	}
	if c.Issuer.Name != "" {
		if err := add(c.Labels.IssuedBy, w.style(7.5, false, pdfMuted), 1, 1, 40, 0); err != nil {
			return nil, err
		}
		if err := add(c.Issuer.Name, w.style(11, true, w.primary), 2, 1, 30, 0.3); err != nil {
			return nil, err
		}
	}
	gap := 1.5
	for _, d := range []struct{ label, text string }{
		{c.Labels.IssuedOn, c.IssuedText},
		{c.Labels.ValidFrom, c.ValidFromText},
		{c.Labels.ValidUntil, c.ValidUntilText},
	} {
		if d.text == "" {
			continue
		}
		s := pdfCut(d.text, 200)
		if d.label != "" {
			s = pdfCut(d.label, 200) + " " + s
		}
		if err := add(s, w.style(8.5, false, pdfInk), 1, 1, 60, gap); err != nil {
			return nil, err
		}
		gap = 0.3
	}
	return bs, nil
}

// signatures draws up to as many signatures as fit between x0 and x1:
// the image above a line, the name and title below it.
func (w *pdfWriter) signatures(x0, x1, top, bottom float64) error {
	sigs := w.c.Style.Signatures
	if len(sigs) == 0 || x1-x0 < 34 {
		return nil
	}
	n := min(len(sigs), int((x1-x0)/34), 4)
	colW := min(60, (x1-x0)/float64(n))
	start := x0 + (x1-x0-colW*float64(n))/2
	nameSt := w.style(9, true, pdfInk)
	titleSt := w.style(7.5, false, pdfMuted)
	for i, s := range sigs[:n] {
		cx := start + colW*float64(i)
		if w.rtl {
			cx = start + colW*float64(n-1-i)
		}
		tw := colW - 4
		name, err := w.text(s.Name, nameSt, 2, false, false)
		if err != nil {
			return err
		}
		title, err := w.text(s.Title, titleSt, 2, false, false)
		if err != nil {
			return err
		}
		nl := w.lines(name, tw, 2)
		tl := w.lines(title, tw, 4-len(nl))
		textH := float64(len(nl))*nameSt.lineHeight() + float64(len(tl))*titleSt.lineHeight()
		lineY := bottom - textH - 1
		if img := w.image(s.Image); img != nil {
			imgH := min(14, lineY-top-1)
			if imgH > 4 {
				w.drawImage(img, cx+2, lineY-0.5-imgH, tw, imgH, true)
			}
		}
		w.setDraw(pdfRule)
		w.pdf.SetLineWidth(0.3)
		w.pdf.Line(cx+5, lineY, cx+colW-5, lineY)
		y := w.drawLines(nl, nameSt, cx+2, lineY+1, tw, pdfAlignCenter)
		w.drawLines(tl, titleSt, cx+2, y, tw, pdfAlignCenter)
	}
	return nil
}

// drawQR draws the code at x, y with its quiet zone of four modules, each
// row's dark modules as rectangles (one per run).
func (w *pdfWriter) drawQR(q *render.QR, x, y, module float64) {
	f := w.pdf
	side := module * float64(q.Size+8)
	w.setFill(pdfColor{255, 255, 255})
	f.Rect(x, y, side, side, "F")
	w.setFill(pdfQRDark)
	ox, oy := x+4*module, y+4*module
	for r, row := range q.Modules {
		for c := 0; c < len(row); {
			if !row[c] {
				c++
				continue
			}
			e := c
			for e < len(row) && row[e] {
				e++
			}
			// A hair taller, so rows do not show seams when rasterized.
			f.Rect(ox+float64(c)*module, oy+float64(r)*module, float64(e-c)*module, module+0.02, "F")
			c = e
		}
	}
}

// pdfLinkURL returns u when it is an http or https URL to link to.
func pdfLinkURL(u string) string {
	if len(u) > 2000 || !(strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")) {
		return ""
	}
	for _, r := range u {
		if r <= ' ' || r >= 0x7f {
			return ""
		}
	}
	return u
}
