// Package render turns a credential into the certificate a person sees:
// an accessible, translated HTML page and an SVG image (and, with package
// render/pdf, a PDF for print), each carrying the credential so that it
// verifies as saved. It shows
// Open Badges 3.0 AchievementCredentials and EndorsementCredentials (and a
// Comprehensive Learner Record, CLR 2.0, as an HTML transcript: see
// TranscriptHTML), in an issuer's design (Brand, or its own html/template files) and in
// English, Spanish, French, German, Arabic (right to left) or Chinese.
//
// A Renderer is built once from a Config and is safe for concurrent use:
//
//	r, err := render.New(render.Config{VerifyURL: "https://verify.example.edu/?id={id}"})
//	page, err := r.HTML(ctx, credential, &render.Options{Lang: "fr"})
//	img, err := r.SVG(ctx, credential, nil)  // baked: the image holds the credential
//
// Package render/pdf writes the print form from the same Certificate, so
// that programs that show only pages (a verifier compiled to WebAssembly)
// do not carry a PDF writer and its fonts:
//
//	c, err := r.Certificate(ctx, credential, nil)
//	doc, err := (&pdf.Writer{Paper: pdf.Letter}).Write(c)  // the credential is an attached file
//
// Every form shows the learner (by name when the credential carries one,
// and never a hashed identifier, an email address or a DID), the
// achievement, its criteria and results, the issuer, the dates in the
// reader's language, and a QR code and link to the issuer's verification
// page. Rendering does not check signatures: verify first (package
// verify), then show. Text from the credential is escaped for each form,
// cut to a bounded length, and kept from reordering the text around it.
package render
