package issuer

import (
	"context"
	"fmt"

	"github.com/go-openbadges/openbadges/render"
	"github.com/go-openbadges/openbadges/render/pdf"
)

// Certificates says which certificate forms each issued credential gets:
// the page a learner shares (package render), the PDF they print
// (package render/pdf).
type Certificates struct {
	// Renderer lays them out in the issuer's design. Nil: no certificates.
	Renderer *render.Renderer
	// Forms are the forms made: render.FormHTML, FormSVG, FormPDF. Zero
	// means HTML only: a page takes about as long as signing, a PDF some
	// twenty times longer (its fonts are read again for each document),
	// so batches ask for PDFs explicitly.
	Forms render.Form
	// PDF writes the PDF form; nil means A4 with the embedded and
	// installed fonts.
	PDF *pdf.Writer
	// Lang is the certificates' language. Empty: the credential's, else
	// the Renderer's.
	Lang string
	// ShowName shows the learner's Name on the certificate. The name
	// still never goes into the credential, so no signature covers it.
	ShowName bool
}

// certify adds the certificate forms to what Issue, Approve and Reissue
// return for an issued credential, when the issuer makes certificates.
// When they cannot be made, the credential stands (issued and recorded;
// asking again returns it) and the error wraps ErrCertificate.
func (i *Issuer) certify(ctx context.Context, out *Issued, err error, s *Submission) (*Issued, error) {
	c := i.cfg.Certificates
	if err != nil || out == nil || out.State != StateIssued || c.Renderer == nil {
		return out, err
	}
	forms := c.Forms
	if forms == 0 {
		forms = render.FormHTML
	}
	opts := &render.Options{Lang: c.Lang}
	if c.ShowName {
		opts.Learner = s.Learner.Name
	}
	doc := out.Credential // the JSON credential when there is one
	if len(doc) == 0 {
		doc = []byte(out.JWT)
	}
	cert, err := c.Renderer.Render(ctx, doc, forms, opts)
	if err == nil && forms&render.FormPDF != 0 {
		cert.PDF, err = c.PDF.Write(cert.Certificate)
	}
	if err != nil {
		i.log.WarnContext(ctx, "certificate not made", "award_key", out.AwardKey, "error", err.Error())
		return out, fmt.Errorf("%w: %w", ErrCertificate, err)
	}
	out.Certificate = cert
	return out, nil
}
