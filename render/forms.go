package render

import (
	"context"
	"fmt"
	"strings"
)

// Form is a set of certificate forms.
type Form int

// The certificate forms; combine them with |.
const (
	FormHTML Form = 1 << iota
	FormSVG
	// FormPDF is the print form, which package render/pdf writes; Render
	// leaves it to that package.
	FormPDF
)

// ParseForm reads a comma-separated list of form names ("html", "svg",
// "pdf"), as a command line takes it.
func ParseForm(s string) (Form, error) {
	var f Form
	for _, name := range strings.Split(s, ",") {
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "html":
			f |= FormHTML
		case "svg":
			f |= FormSVG
		case "pdf":
			f |= FormPDF
		default:
			return 0, fmt.Errorf("render: unknown form %q (want html, svg or pdf)", name)
		}
	}
	return f, nil
}

// Rendered holds the forms of one certificate; a form not asked for is
// nil. Render makes HTML and SVG; PDF is for the caller that writes it
// with package render/pdf (package issuer does).
type Rendered struct {
	HTML, SVG, PDF []byte
	// Certificate is what the forms show.
	Certificate *Certificate
}

// Render reads the credential once and lays it out in the HTML and SVG
// forms asked for (FormPDF is ignored: see package render/pdf). The
// Certificate it read is returned with them, for a PDF writer. A
// Comprehensive Learner Record has the HTML form alone, its transcript
// (TranscriptHTML), and no Certificate.
func (r *Renderer) Render(ctx context.Context, credential []byte, forms Form, opts *Options) (*Rendered, error) {
	if IsTranscript(credential) {
		return r.renderTranscript(ctx, credential, forms, opts) // a CLR: transcript.go
	}
	c, err := r.build(ctx, credential, opts)
	if err != nil {
		return nil, err
	}
	out := &Rendered{Certificate: c}
	if forms&FormHTML != 0 {
		if out.HTML, err = r.PageHTML(c); err != nil {
			return nil, err
		}
	}
	if forms&FormSVG != 0 {
		if out.SVG, err = r.ImageSVG(c); err != nil {
			return nil, err
		}
	}
	return out, nil
}
