package render

import (
	"fmt"
	"strconv"
	"strings"

	goqr "github.com/piglig/go-qr"
)

// maxQRText bounds what a QR code encodes: past a few hundred bytes the
// modules get too small to scan from paper.
const maxQRText = 1024

// NewQR encodes text as a QR code with at least medium error correction
// (15% of the code may be damaged or dirty; higher when the version
// chosen has room for it), as certificates carry it. Text longer than
// 1,024 bytes is refused with ErrCredential: its modules would be too
// small to scan from paper.
func NewQR(text string) (*QR, error) {
	if len(text) > maxQRText {
		return nil, fmt.Errorf("%w: a verification URL of %d bytes is too long for a QR code read from paper (at most %d)", ErrCredential, len(text), maxQRText)
	}
	q, err := goqr.EncodeText(text, goqr.Medium)
	if err != nil {
		return nil, fmt.Errorf("render: QR code: %w", err)
	}
	n := q.Size()
	m := make([][]bool, n)
	cells := make([]bool, n*n)
	for y := range m {
		m[y] = cells[y*n : (y+1)*n]
		for x := range m[y] {
			m[y][x] = q.Module(x, y)
		}
	}
	return &QR{Size: n, Modules: m, Text: text}, nil
}

// SVGPath returns the dark modules as one SVG path in a coordinate system
// of one unit per module, quiet zone included (Size+8 units wide): a few
// kilobytes where one rectangle per module would take tens.
func (q *QR) SVGPath() string {
	if q == nil {
		return ""
	}
	var b strings.Builder
	for y, row := range q.Modules {
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			start := x
			for x < len(row) && row[x] {
				x++
			}
			b.WriteByte('M')
			b.WriteString(strconv.Itoa(start + 4))
			b.WriteByte(' ')
			b.WriteString(strconv.Itoa(y + 4))
			b.WriteByte('h')
			b.WriteString(strconv.Itoa(x - start))
			b.WriteString("v1h-")
			b.WriteString(strconv.Itoa(x - start))
			b.WriteByte('z')
		}
	}
	return b.String()
}

// ViewBox is the SVG viewBox of SVGPath: the code and its quiet zone.
func (q *QR) ViewBox() string {
	if q == nil {
		return "0 0 0 0"
	}
	n := strconv.Itoa(q.Size + 8)
	return "0 0 " + n + " " + n
}
