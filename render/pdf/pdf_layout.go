package pdf

import (
	"github.com/go-openbadges/openbadges/render"
	"strings"
)

// The layout of the page: a column of centred blocks (pdfBlock) that
// shrinks until it fits above the footer, and the footer: the issuer and
// dates, the signatures, and the QR code with how to verify.

// Styles of the page's text.
func (w *pdfWriter) style(size float64, bold bool, c pdfColor) pdfStyle {
	return pdfStyle{size: size, bold: bold, color: c}
}

// pdfBlock is a block of the centred column: a heading line, and lines
// of text or a fixed height (an image, a rule).
type pdfBlock struct {
	heading *pdfText // drawn above, when the block has lines
	text    *pdfText
	// x and width are the block's box, on a left-to-right page (mirrored
	// for right to left); align is how its lines sit in it.
	x, width float64
	align    int
	// lines is how many lines are shown now, from maxLines down; softMin
	// and hardMin are how far shrinking may go, first for every block,
	// then again; prio orders the blocks that shrink (lower first).
	lines, softMin, hardMin, prio int
	gap                           float64 // space above, mm
	fixed                         float64 // height of a block with no text
	draw                          func(y float64)
	// laid are the lines laid out for laidFor-1 lines (laidFor 0: none).
	laid    []pdfLine
	laidFor int
	// columns, when set, are blocks side by side, all shown with lines.
	columns []*pdfBlock
}

// height is the block's height with its current number of lines.
func (b *pdfBlock) height(w *pdfWriter) float64 {
	if b.columns != nil {
		h := 0.0
		for _, c := range b.columns {
			c.lines = b.lines
			h = max(h, c.height(w)-c.gap)
		}
		if h == 0 {
			return 0
		}
		return b.gap + h
	}
	if b.text == nil {
		if b.lines == 0 {
			return 0
		}
		return b.gap + b.fixed
	}
	if b.lines == 0 || b.text.empty() {
		b.laid = nil
		return 0
	}
	if b.laidFor != b.lines+1 {
		b.laid, b.laidFor = w.lines(b.text, b.width, b.lines), b.lines+1
	}
	if len(b.laid) == 0 {
		return 0
	}
	h := b.gap + float64(len(b.laid))*b.text.style.lineHeight()
	if !b.heading.empty() {
		h += b.heading.style.lineHeight()
	}
	return h
}

// fit takes lines away from blocks, a block at a time, until they fit
// in avail (mm): first down to each block's soft minimum, then to its hard
// one, lower prio first. It returns their height.
func (w *pdfWriter) fit(blocks []*pdfBlock, avail float64) float64 {
	total := func() float64 {
		t := 0.0
		for _, b := range blocks {
			t += b.height(w)
		}
		return t
	}
	h := total()
	for h > avail {
		var pick *pdfBlock
		for pass := 0; pass < 2 && pick == nil; pass++ {
			for _, b := range blocks {
				lim := b.softMin
				if pass == 1 {
					lim = b.hardMin
				}
				if b.lines > lim && (pick == nil || b.prio < pick.prio) {
					pick = b
				}
			}
		}
		if pick == nil {
			break // every block is at its hard minimum, which fits on both papers
		}
		pick.lines--
		h = total()
	}
	return h
}

// body lays out the centred column between the top and bottom (mm).
func (w *pdfWriter) body(bottom float64) error {
	blocks, err := w.blocks()
	if err != nil {
		return err
	}
	avail := bottom - pdfTop
	h := w.fit(blocks, avail)
	// Spread what is left: up to 60% more in the gaps, the rest above and
	// below.
	gaps := 0.0
	for _, b := range blocks {
		if b.height(w) > 0 {
			gaps += b.gap
		}
	}
	stretch := 1.0
	if gaps > 0 {
		stretch = 1 + min(0.6, max(0, avail-h)/gaps)
	}
	y := pdfTop + max(0, avail-h-(stretch-1)*gaps)/2
	w.drawStack(blocks, y, stretch)
	return nil
}

// drawStack draws blocks one under the other from y, their gaps
// multiplied by stretch. It returns the y below them.
func (w *pdfWriter) drawStack(blocks []*pdfBlock, y, stretch float64) float64 {
	for _, b := range blocks {
		bh := b.height(w)
		if bh == 0 {
			continue
		}
		y += b.gap * stretch
		w.drawBlock(b, y)
		y += bh - b.gap
	}
	return y
}

// drawBlock draws b with its top at y.
func (w *pdfWriter) drawBlock(b *pdfBlock, y float64) {
	if b.columns != nil {
		var shown []*pdfBlock
		for _, c := range b.columns {
			if c.height(w) > 0 {
				shown = append(shown, c)
			}
		}
		colW := b.columns[0].width + 6
		x := (w.w - colW*float64(len(shown))) / 2
		for i, c := range shown {
			cx := x + colW*float64(i)
			if w.rtl {
				cx = x + colW*float64(len(shown)-1-i)
			}
			w.drawText(c, cx+3, y, c.width, pdfAlignCenter)
		}
		return
	}
	if b.text == nil {
		b.draw(y)
		return
	}
	w.drawText(b, w.mirrorX(b.x, b.width), y, b.width, b.align)
}

// drawText draws a text block's heading and lines in [x, x+width].
func (w *pdfWriter) drawText(b *pdfBlock, x, y, width float64, align int) {
	if !b.heading.empty() {
		hl := w.lines(b.heading, width, 1)
		y = w.drawLines(hl, b.heading.style, x, y, width, align)
	}
	w.drawLines(b.laid, b.text.style, x, y, width, align)
}

// blocks makes the centred column.
func (w *pdfWriter) blocks() ([]*pdfBlock, error) {
	c := w.c
	colW := w.w - 2*pdfSide - 16
	var bs []*pdfBlock
	var err error
	add := func(s string, st pdfStyle, maxLines, softMin, hardMin, prio int, gap, width float64, multiline bool) *pdfBlock {
		if err != nil || strings.TrimSpace(s) == "" {
			return nil
		}
		var t *pdfText
		t, err = w.text(s, st, maxLines, false, multiline)
		if err != nil || t.empty() {
			return nil
		}
		b := &pdfBlock{text: t, x: (w.w - width) / 2, width: width, align: pdfAlignCenter,
			lines: maxLines, softMin: softMin, hardMin: hardMin, prio: prio, gap: gap}
		bs = append(bs, b)
		return b
	}
	muted := w.style(11, false, pdfMuted)

	if img := w.logo(); img != nil {
		bs = append(bs, w.imageBlock(img, 20, 64))
	}
	heading := c.Labels.Certificate
	if c.Kind == render.KindEndorsement {
		heading = c.Labels.Endorsement
	}
	if add(pdfUpper(heading, c.Lang), w.style(24, true, w.primary), 1, 1, 1, 100, 2, colW, false) != nil {
		bs = append(bs, w.ruleBlock())
	}

	if c.Kind == render.KindEndorsement {
		add(c.Issuer.Name, w.style(22, true, pdfInk), 2, 1, 1, 60, 3, colW, false)
		add(c.Labels.Endorses, muted, 1, 1, 0, 55, 1.5, colW, false)
		add(c.Title, w.style(20, true, w.primary), 2, 1, 1, 70, 1.5, colW, false)
		if c.Endorsement != nil {
			if b := add(c.Endorsement.Comment, w.style(10, false, pdfInk), 5, 1, 0, 10, 4, min(colW, 210), true); b != nil {
				b.heading, err = w.textOrNil(pdfUpper(c.Labels.Comment, c.Lang), w.style(7.5, true, w.primary))
			}
			if b := add(c.Endorsement.About, w.style(7.5, false, pdfMuted), 1, 0, 0, 5, 2, colW, false); b != nil {
				b.text.anywhere = true
			}
		}
		return bs, err
	}

	if c.Learner != "" {
		add(c.Labels.Awarded, muted, 1, 1, 0, 55, 3, colW, false)
		if b := add(c.Learner, w.style(26, true, pdfInk), 1, 1, 1, 100, 1, colW, false); b != nil {
			bs = append(bs, w.underlineBlock(b))
		}
		add(c.Labels.HasEarned, muted, 1, 1, 0, 55, 2, colW, false)
	} else {
		add(c.Labels.Earned, muted, 1, 1, 0, 55, 3, colW, false)
	}
	add(c.Title, w.style(22, true, w.primary), 2, 1, 1, 70, 1, colW, false)
	add(pdfUpper(c.AchievementType, c.Lang), w.style(8.5, false, pdfMuted), 1, 0, 0, 8, 0.5, colW, false)
	add(c.Description, w.style(10, false, pdfInk), 3, 1, 0, 12, 3, min(colW, 215), true)
	if b := add(c.Criteria, w.style(9, false, pdfInk), 2, 0, 0, 5, 3, min(colW, 215), true); b != nil {
		b.heading, err = w.textOrNil(pdfUpper(c.Labels.Criteria, c.Lang), w.style(7.5, true, w.primary))
	}
	if err != nil {
		return nil, err
	}
	facts, err := w.facts(colW)
	if err != nil {
		return nil, err
	}
	if facts != nil {
		bs = append(bs, facts)
	}
	return bs, nil
}

// textOrNil prepares a one-line heading, or nil for an empty one.
func (w *pdfWriter) textOrNil(s string, st pdfStyle) (*pdfText, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	return w.text(s, st, 1, false, false)
}

// facts is the row of results, credits and skills, each a column with a
// heading.
func (w *pdfWriter) facts(colW float64) (*pdfBlock, error) {
	c := w.c
	st := w.style(9, false, pdfInk)
	hs := w.style(7.5, true, w.primary)
	var cols []*pdfBlock
	addCol := func(label, s string) error {
		if strings.TrimSpace(s) == "" {
			return nil
		}
		t, err := w.text(s, st, 4, false, true)
		if err != nil || t.empty() {
			return err
		}
		h, err := w.textOrNil(pdfUpper(label, c.Lang), hs)
		if err != nil {
			return err
		}
		cols = append(cols, &pdfBlock{text: t, heading: h, lines: 4})
		return nil
	}
	var results []string
	for i, r := range c.Results {
		if i == 20 {
			break
		}
		name, value := pdfCut(r.Name, 200), pdfCut(r.Value, 200)
		switch {
		case name != "" && value != "":
			results = append(results, name+": "+value)
		case value != "":
			results = append(results, value)
		}
	}
	if err := addCol(c.Labels.Results, strings.Join(results, "\n")); err != nil {
		return nil, err
	}
	if err := addCol(c.Labels.Credits, c.Credits); err != nil {
		return nil, err
	}
	var skills []string
	for i, s := range c.Skills {
		if i == 40 {
			break
		}
		// Lines break between skills rather than inside one.
		skills = append(skills, strings.ReplaceAll(pdfCut(strings.TrimSpace(s), 200), " ", "\u00a0"))
	}
	if err := addCol(c.Labels.Skills, strings.Join(skills, " · ")); err != nil {
		return nil, err
	}
	if len(cols) == 0 {
		return nil, nil
	}
	colWidth := min(80, colW/float64(len(cols)))
	for _, col := range cols {
		col.width = colWidth - 6
	}
	return &pdfBlock{columns: cols, width: colW, lines: 4, softMin: 1, hardMin: 0, prio: 6, gap: 4}, nil
}

// ruleBlock is the short accent rule under the heading.
func (w *pdfWriter) ruleBlock() *pdfBlock {
	return &pdfBlock{fixed: 3, gap: 1, lines: 1, softMin: 1, hardMin: 1, prio: 100, draw: func(y float64) {
		f, mid := w.pdf, w.w/2
		w.setDraw(w.accent)
		f.SetLineWidth(0.5)
		f.Line(mid-32, y+1.5, mid-4, y+1.5)
		f.Line(mid+4, y+1.5, mid+32, y+1.5)
		w.setFill(w.accent)
		w.diamond(mid, y+1.5, 1.6)
	}}
}

// underlineBlock is the thin line under the learner's name.
func (w *pdfWriter) underlineBlock(name *pdfBlock) *pdfBlock {
	return &pdfBlock{fixed: 1, gap: 0.5, lines: 1, softMin: 1, hardMin: 1, prio: 100, draw: func(y float64) {
		if len(name.laid) == 0 {
			return
		}
		lw := min(name.width, max(90, name.laid[0].width+16))
		w.setDraw(w.accent)
		w.pdf.SetLineWidth(0.3)
		w.pdf.Line((w.w-lw)/2, y+0.5, (w.w+lw)/2, y+0.5)
	}}
}

// pdfUpper upper-cases a label in scripts that have case, for headings.
// It reads at most the first 400 characters.
func pdfUpper(s, lang string) string {
	s = pdfCut(s, 400)
	if strings.HasPrefix(lang, "tr") || strings.HasPrefix(lang, "az") {
		return s // dotted and dotless i: leave it to the translation
	}
	return strings.ToUpper(s)
}

// pdfCut returns s cut after n characters, with an ellipsis when it was
// longer; the work is bounded by n, not by len(s).
func pdfCut(s string, n int) string {
	i := 0
	for k := range s {
		if i == n {
			return s[:k] + string(pdfEllipsis)
		}
		i++
	}
	return s
}
