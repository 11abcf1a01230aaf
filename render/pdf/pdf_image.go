package pdf

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"github.com/go-openbadges/openbadges/render"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"

	"codeberg.org/go-pdf/fpdf"
)

// Images in the PDF: PNG, JPEG and GIF, the formats fpdf embeds. Each is
// decoded with the standard library first, within pdfMaxPixels, so that
// an image fpdf would fail on (which would fail the whole document) is
// left out instead, and so that the work is bounded. A JPEG or an 8-bit,
// non-interlaced PNG is embedded as it is; anything else as a PNG
// re-encoded from the decoded image.

// pdfMaxPixels bounds an image's width × height (4 megapixels: 16 MB
// decoded), and pdfMaxSide each side.
const (
	pdfMaxPixels = 4 << 20
	pdfMaxSide   = 8192
)

// pdfImage is an image registered with fpdf.
type pdfImage struct {
	name          string // empty when the image cannot be shown
	width, height int    // pixels
}

// logo returns the issuer's logo (Style.Logo, else Issuer.Image), when
// the PDF can show it.
func (w *pdfWriter) logo() *pdfImage {
	for _, img := range []*render.Image{w.c.Style.Logo, w.c.Issuer.Image} {
		if r := w.image(img); r != nil {
			return r
		}
	}
	return nil
}

// image registers img with fpdf, or returns nil when it is not a PNG,
// JPEG or GIF within the bounds, or does not decode.
func (w *pdfWriter) image(img *render.Image) *pdfImage {
	if img == nil || len(img.Data) == 0 {
		return nil
	}
	if r, ok := w.images[img]; ok {
		if r.name == "" {
			return nil
		}
		return &r
	}
	r := w.registerImage(img)
	w.images[img] = r
	if r.name == "" {
		return nil
	}
	return &r
}

// registerImage decodes img within the bounds and gives it to fpdf; the
// zero pdfImage when it cannot be shown.
func (w *pdfWriter) registerImage(img *render.Image) pdfImage {
	data := img.Data
	var (
		cfg    image.Config
		err    error
		decode func() (image.Image, error)
	)
	rd := func() *bytes.Reader { return bytes.NewReader(data) }
	switch img.Type {
	case "image/png":
		cfg, err = png.DecodeConfig(rd())
		decode = func() (image.Image, error) { return png.Decode(rd()) }
	case "image/jpeg":
		cfg, err = jpeg.DecodeConfig(rd())
		decode = func() (image.Image, error) { return jpeg.Decode(rd()) }
	case "image/gif":
		cfg, err = gif.DecodeConfig(rd())
		decode = func() (image.Image, error) { return gif.Decode(rd()) }
	default: // SVG and WebP: fpdf cannot embed them
		return pdfImage{}
	}
	if err != nil || cfg.Width < 1 || cfg.Height < 1 || cfg.Width > pdfMaxSide || cfg.Height > pdfMaxSide ||
		cfg.Width*cfg.Height > pdfMaxPixels {
		return pdfImage{}
	}
	m, err := decode()
	if err != nil {
		return pdfImage{}
	}
	kind, payload := "PNG", data
	switch {
	case img.Type == "image/jpeg" && (cfg.ColorModel == color.GrayModel || cfg.ColorModel == color.YCbCrModel):
		kind = "JPG"
	case img.Type == "image/png" && pdfPNGAsIs(data):
	default:
		var buf bytes.Buffer
		enc := png.Encoder{CompressionLevel: png.BestSpeed}
		if err := enc.Encode(&buf, m); err != nil {
			return pdfImage{}
		}
		payload = buf.Bytes()
	}
	name := fmt.Sprintf("image%d", len(w.images))
	info := w.pdf.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: kind}, bytes.NewReader(payload))
	if info == nil || w.pdf.Err() {
		return pdfImage{}
	}
	return pdfImage{name: name, width: cfg.Width, height: cfg.Height}
}

// pdfPNGAsIs reports a PNG fpdf reads as it is: 8 bits or fewer per
// sample, not interlaced.
func pdfPNGAsIs(data []byte) bool {
	// Signature (8), IHDR length and type (8), width, height (8), then
	// bit depth, colour type, compression, filter, interlace.
	if len(data) < 29 || string(data[12:16]) != "IHDR" || binary.BigEndian.Uint32(data[8:]) != 13 {
		return false
	}
	return data[24] <= 8 && data[28] == 0
}

// pdfFitImage returns the size (mm) of img scaled to fit maxW × maxH.
func pdfFitImage(img *pdfImage, maxW, maxH float64) (float64, float64) {
	iw, ih := float64(img.width), float64(img.height)
	s := min(maxW/iw, maxH/ih)
	return iw * s, ih * s
}

// drawImage draws img in the box at x, y of maxW × maxH, centred
// horizontally and at the box's bottom when bottom is set, else its top.
func (w *pdfWriter) drawImage(img *pdfImage, x, y, maxW, maxH float64, bottom bool) {
	iw, ih := pdfFitImage(img, maxW, maxH)
	if bottom {
		y += maxH - ih
	}
	w.pdf.ImageOptions(img.name, x+(maxW-iw)/2, y, iw, ih, false, fpdf.ImageOptions{}, 0, "")
}

// imageBlock is a centred image of at most maxH × maxW mm in the column.
func (w *pdfWriter) imageBlock(img *pdfImage, maxH, maxW float64) *pdfBlock {
	_, ih := pdfFitImage(img, maxW, maxH)
	return &pdfBlock{fixed: ih, gap: 0, lines: 1, softMin: 1, hardMin: 0, prio: 50, draw: func(y float64) {
		w.drawImage(img, (w.w-maxW)/2, y, maxW, ih, false)
	}}
}
