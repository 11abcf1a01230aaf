package render

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/bake"
)

//go:embed templates/certificate.html templates/certificate.svg
var defaultTemplates embed.FS

// Renderer makes certificates in one issuer's design. It is safe for
// concurrent use.
type Renderer struct {
	cfg   Config
	style Style
	html  *template.Template
	svg   *template.Template
}

// The default colours: a dark blue and a dark gold, both readable on
// white (contrast 11.4:1 and 5.0:1).
const (
	defaultPrimary = "#1a3a6b"
	defaultAccent  = "#8a6a14"
	defaultFont    = `"DejaVu Serif", Georgia, "Times New Roman", "Noto Serif", "Noto Naskh Arabic", "Noto Serif CJK SC", "Droid Sans Fallback", serif`
)

// New checks cfg and prepares its templates. An issuer template that does
// not parse, fails on a sample certificate, or drops the embedded
// credential (so the page would not verify as saved) fails with
// ErrTemplate; an unusable brand with ErrBrand.
func New(cfg Config) (*Renderer, error) {
	r := &Renderer{cfg: cfg}
	if err := r.resolveStyle(); err != nil {
		return nil, err
	}
	var err error
	if r.html, err = loadTemplate(cfg.Templates, "certificate.html"); err != nil {
		return nil, err
	}
	if r.svg, err = loadTemplate(cfg.Templates, "certificate.svg"); err != nil {
		return nil, err
	}
	if cfg.Templates != nil {
		if err := r.tryTemplates(); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// loadTemplate parses the issuer's template name from fsys, or the
// default one when fsys is nil or lacks it.
func loadTemplate(fsys fs.FS, name string) (*template.Template, error) {
	src, err := fs.ReadFile(defaultTemplates, "templates/"+name)
	if err != nil {
		return nil, err
	}
	own := false
	if fsys != nil {
		b, err := fs.ReadFile(fsys, name)
		switch {
		case err == nil:
			src, own = b, true
		case !errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("%w: %s: %v", ErrTemplate, name, err)
		}
	}
	t, err := template.New(name).Funcs(funcs).Parse(string(src))
	if err != nil {
		if own {
			return nil, fmt.Errorf("%w: %v", ErrTemplate, err)
		}
		return nil, err
	}
	return t.Option("missingkey=error"), nil
}

// tryTemplates runs the issuer's templates on sample certificates (with
// everything, and with nothing optional), so a template error shows at
// load rather than as a broken certificate.
func (r *Renderer) tryTemplates() error {
	for _, lang := range []string{"en", "ar"} {
		for _, sample := range [][]byte{sampleFull, sampleBare} {
			c, err := r.build(context.Background(), sample, &Options{Lang: lang})
			if err != nil {
				return fmt.Errorf("render: the sample certificate: %w", err)
			}
			page, err := r.execute(r.html, c)
			if err != nil {
				return fmt.Errorf("%w: certificate.html: %v", ErrTemplate, err)
			}
			if !bytes.Contains(page, []byte(`<script type="`+c.MediaType+`"`)) {
				return fmt.Errorf("%w: certificate.html does not embed the credential: call {{embed .}} in it", ErrTemplate)
			}
			if _, err := r.execute(r.svg, c); err != nil {
				return fmt.Errorf("%w: certificate.svg: %v", ErrTemplate, err)
			}
		}
	}
	return nil
}

// execute runs t on c.
func (r *Renderer) execute(t *template.Template, c *Certificate) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(16 << 10)
	if err := t.Execute(&buf, c); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Certificate reads what a certificate shows from a credential (a JSON
// credential or a compact JWS; its signature is not checked) in the
// language opts, the credential or the Config ask for. It fails with
// ErrCredential for anything but an AchievementCredential or an
// EndorsementCredential.
func (r *Renderer) Certificate(ctx context.Context, credential []byte, opts *Options) (*Certificate, error) {
	return r.build(ctx, credential, opts)
}

// HTML returns the certificate as one self-contained HTML page: inline
// styles, images as data: URIs, the QR code as inline SVG, Open Graph and
// Twitter card metadata, and the credential itself in a <script
// type="application/vc+ld+json"> (or "application/vc+jwt") element, so the
// page saved to disk still verifies (package bake reads it back). A
// Comprehensive Learner Record is shown as a transcript (TranscriptHTML).
func (r *Renderer) HTML(ctx context.Context, credential []byte, opts *Options) ([]byte, error) {
	if IsTranscript(credential) {
		return r.TranscriptHTML(ctx, credential, opts) // a CLR: transcript.go
	}
	c, err := r.build(ctx, credential, opts)
	if err != nil {
		return nil, err
	}
	return r.PageHTML(c)
}

// PageHTML lays out a Certificate as an HTML page (see HTML).
func (r *Renderer) PageHTML(c *Certificate) ([]byte, error) {
	page, err := r.execute(r.html, c)
	if err != nil {
		return nil, fmt.Errorf("render: certificate.html: %w", err)
	}
	return page, nil
}

// SVG returns the certificate as an SVG image (1100×780, landscape) with
// the credential baked in (package bake), so the image itself verifies.
func (r *Renderer) SVG(ctx context.Context, credential []byte, opts *Options) ([]byte, error) {
	c, err := r.build(ctx, credential, opts)
	if err != nil {
		return nil, err
	}
	return r.ImageSVG(c)
}

// ImageSVG lays out a Certificate as a baked SVG image (see SVG).
func (r *Renderer) ImageSVG(c *Certificate) ([]byte, error) {
	img, err := r.execute(r.svg, c)
	if err != nil {
		return nil, fmt.Errorf("render: certificate.svg: %w", err)
	}
	baked, err := bake.SVG(img, c.Credential, nil)
	if err != nil {
		return nil, fmt.Errorf("render: baking the SVG: %w", err)
	}
	return baked, nil
}

// funcs are the functions templates may call.
var funcs = template.FuncMap{
	// embed writes the credential's <script> element.
	"embed": func(c *Certificate) template.HTML {
		return template.HTML(`<script type="` + c.MediaType + `" id="credential">` +
			string(bake.EscapeScript(c.Credential)) + "</script>")
	},
	// qr writes the QR code as an inline SVG labelled for screen readers.
	"qr": func(c *Certificate) template.HTML {
		if c.QR == nil {
			return ""
		}
		return template.HTML(`<svg class="qr" role="img" viewBox="` + c.QR.ViewBox() +
			`" aria-label="` + template.HTMLEscapeString(c.Labels.QRAlt) +
			`"><rect width="100%" height="100%" fill="#fff"/><path fill="#000" d="` + c.QR.SVGPath() + `"/></svg>`)
	},
	// datetime writes a time as an HTML datetime attribute value.
	"datetime": func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	// src allows an embedded image's data: URI as an attribute value.
	"src": func(img *Image) template.URL {
		if img == nil || !strings.HasPrefix(img.Src, "data:image/") {
			return ""
		}
		return template.URL(img.Src)
	},
	// css allows a checked colour or font list in a style sheet.
	"css": func(s string) template.CSS { return template.CSS(s) },
	"add": func(a, b int) int { return a + b },
	"mul": func(a, b int) int { return a * b },
	// wrap breaks text into lines for the SVG form, which cannot wrap.
	"wrap": wrap,
	// autodir is the direction of a text from its first strong character,
	// as HTML's dir="auto" finds it, for the SVG form, which lacks it.
	"autodir": autoDir,
}

// resolveStyle checks the Brand and decodes its images.
func (r *Renderer) resolveStyle() error {
	b := r.cfg.Brand
	s := Style{Primary: defaultPrimary, Accent: defaultAccent, Font: defaultFont}
	for _, c := range []struct {
		name string
		val  string
		dst  *string
	}{{"Primary", b.Primary, &s.Primary}, {"Accent", b.Accent, &s.Accent}} {
		if c.val == "" {
			continue
		}
		ratio, err := contrastOnWhite(c.val)
		if err != nil {
			return fmt.Errorf("%w: %s: %v", ErrBrand, c.name, err)
		}
		if ratio < 4.5 {
			return fmt.Errorf("%w: %s %s has a contrast of %.2f:1 on white; WCAG 2.2 AA needs 4.5:1: choose a darker colour", ErrBrand, c.name, c.val, ratio)
		}
		*c.dst = strings.ToLower(c.val)
	}
	if b.Font != "" {
		if strings.ContainsAny(b.Font, ";{}<>\\") || len(b.Font) > 500 {
			return fmt.Errorf("%w: Font %q is not a CSS font-family list", ErrBrand, b.Font)
		}
		s.Font = b.Font + ", " + defaultFont
	}
	if len(b.Logo) > 0 {
		img, err := newImage(b.Logo)
		if err != nil {
			return fmt.Errorf("%w: Logo: %v", ErrBrand, err)
		}
		s.Logo = img
	}
	for i, sig := range b.Signatures {
		sv := Signer{Name: clip(sig.Name, maxName), Title: clip(sig.Title, maxName)}
		if len(sig.Image) > 0 {
			img, err := newImage(sig.Image)
			if err != nil {
				return fmt.Errorf("%w: Signatures[%d].Image: %v", ErrBrand, i, err)
			}
			sv.Image = img
		}
		s.Signatures = append(s.Signatures, sv)
	}
	r.style = s
	return nil
}

// contrastOnWhite returns the WCAG contrast ratio of a #rrggbb colour
// against white.
func contrastOnWhite(hex string) (float64, error) {
	if len(hex) != 7 || hex[0] != '#' {
		return 0, fmt.Errorf("%q is not a #rrggbb colour", hex)
	}
	v, err := strconv.ParseUint(hex[1:], 16, 32)
	if err != nil {
		return 0, fmt.Errorf("%q is not a #rrggbb colour", hex)
	}
	lum := 0.0
	for i, w := range []float64{0.2126, 0.7152, 0.0722} {
		c := float64((v>>(16-8*i))&0xff) / 255
		if c <= 0.04045 {
			c /= 12.92
		} else {
			c = math.Pow((c+0.055)/1.055, 2.4)
		}
		lum += w * c
	}
	return 1.05 / (lum + 0.05), nil
}
