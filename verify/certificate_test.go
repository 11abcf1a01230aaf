package verify

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"codeberg.org/go-pdf/fpdf"
	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/bake"
	"github.com/go-openbadges/openbadges/credential"
)

// certificatePage is a minimal certificate page with the credential in a
// <script> element, written as a renderer writes it (bake.ScriptType,
// bake.EscapeScript).
func certificatePage(cred []byte) []byte {
	return []byte(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Certificate: Statistics</title>
<script type="` + bake.ScriptType(cred) + `">` + string(bake.EscapeScript(cred)) + `</script>
</head>
<body><h1>Statistics</h1><p>Awarded to Ada.</p></body>
</html>
`)
}

// certificatePDF is a one-page certificate made with fpdf, with the
// credential attached as credential.json or credential.jwt (or nothing
// attached, when cred is nil).
func certificatePDF(t testing.TB, cred []byte) []byte {
	t.Helper()
	pdf := fpdf.New("L", "mm", "A4", "")
	pdf.SetCreationDate(t2025)
	pdf.SetModificationDate(t2025)
	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 24)
	pdf.CellFormat(0, 20, "Statistics", "", 1, "C", false, 0, "")
	if cred != nil {
		name := "credential.json"
		if bake.ScriptType(cred) == "application/vc+jwt" {
			name = "credential.jwt"
		}
		pdf.SetAttachments([]fpdf.Attachment{
			{Filename: name, Content: cred, Description: "The signed credential"},
			{Filename: "readme.txt", Content: []byte("Verify the attached credential.\n")},
		})
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// tamper changes one character of a credential: the t of "Pass the exam."
// in the criteria, in the JSON or in the JWT's payload.
func tamper(t testing.TB, cred []byte) []byte {
	t.Helper()
	if i := bytes.Index(cred, []byte("Pass the exam.")); i >= 0 {
		out := bytes.Clone(cred)
		out[i+5] = 'T'
		return out
	}
	// A JWT: one character of the payload, in its middle.
	dot := bytes.IndexByte(cred, '.')
	out := bytes.Clone(cred)
	i := dot + (bytes.LastIndexByte(cred, '.')-dot)/2
	if out[i] == 'A' {
		out[i] = 'B'
	} else {
		out[i] = 'A'
	}
	return out
}

// TestCertificates verifies credentials in the certificates made for
// people: an HTML page and a PDF, each holding a credential secured by a
// Data Integrity proof or as a VC-JWT. Changing one character of the
// credential fails the proof, and only the proof (of a VC-JWT, the input
// check: a JWT whose signature fails is not read).
func TestCertificates(t *testing.T) {
	ctx := context.Background()
	is := newIssuer(t, 1)
	good := is.signDI(t, is.award(t, nil))
	goodJWT := is.signJWT(t, is.award(t, nil))
	// Markup in the credential: the page carries it escaped, and the
	// proof, which covers the value and not the bytes, still verifies.
	markup := is.signDI(t, is.award(t, func(c *credential.AchievementCredential) {
		c.Name = `Statistics <101> & "more" </script><script>alert(1)</script>`
	}))
	if !bytes.Contains(markup, []byte("</script>")) {
		t.Fatalf("the credential does not hold the markup: %s", markup)
	}
	page := certificatePage(good)
	tamperedPage := bytes.Replace(page, []byte("Pass the exam."), []byte("Pass The exam."), 1)
	if bytes.Equal(page, tamperedPage) {
		t.Fatal("the page was not changed")
	}

	for _, tc := range []struct {
		name     string
		input    []byte
		kind     string // Report.Input
		encoding string // Report.Encoding
		verified bool
		failed   []string
		message  string // of the input check, or of the first failed check
	}{
		{"HTML, Data Integrity", page, "html", "json", true, nil, "a JSON credential in an HTML page"},
		{"HTML, VC-JWT", certificatePage(goodJWT), "html", "jwt", true, nil, "a VC-JWT in an HTML page"},
		{"HTML, markup in the credential", certificatePage(markup), "html", "json", true, nil, "a JSON credential in an HTML page"},
		{"PDF, Data Integrity", certificatePDF(t, good), "pdf", "json", true, nil, "a JSON credential attached to a PDF"},
		{"PDF, VC-JWT", certificatePDF(t, goodJWT), "pdf", "jwt", true, nil, "a VC-JWT attached to a PDF"},
		{"PDF, markup in the credential", certificatePDF(t, markup), "pdf", "json", true, nil, "a JSON credential attached to a PDF"},

		{"HTML, one character changed", tamperedPage, "html", "json", false, []string{CheckProof}, "the signature does not verify"},
		{"PDF, one character changed", certificatePDF(t, tamper(t, good)), "pdf", "json", false, []string{CheckProof}, "the signature does not verify"},
		// A JWT whose signature fails is refused before its credential is
		// read, so the input check fails, saying why (as for a bare JWT).
		{"HTML, VC-JWT, one character changed", certificatePage(tamper(t, goodJWT)), "html", "jwt", false, []string{CheckInput}, "the signature does not verify"},
		{"PDF, VC-JWT, one character changed", certificatePDF(t, tamper(t, goodJWT)), "pdf", "jwt", false, []string{CheckInput}, "the signature does not verify"},

		{"HTML without a credential", certificatePage(nil), "html", "", false, []string{CheckInput}, "the HTML page has no <script> element of type application/vc"},
		{"PDF without a credential", certificatePDF(t, nil), "pdf", "", false, []string{CheckInput}, "the PDF has no embedded file"},
		{"HTML with two credentials", bytes.Replace(page, []byte("</head>"), []byte(`<script type="application/vc+jwt">`+string(goodJWT)+"</script></head>"), 1), "html", "", false, []string{CheckInput}, "two credential <script> elements"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := Verify(ctx, tc.input, nil, &Policy{Now: t2026})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Verified != tc.verified || rep.Input != tc.kind || rep.Encoding != tc.encoding {
				t.Errorf("Verified %v Input %q Encoding %q, want %v %q %q\n%s", rep.Verified, rep.Input, rep.Encoding, tc.verified, tc.kind, tc.encoding, rep)
			}
			got := outcomes(rep)
			delete(got, Warning)
			want := map[Outcome][]string{Failed: tc.failed, Indeterminate: nil}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("failed and indeterminate checks (-want +got):\n%s\n%s", d, rep)
			}
			check := CheckInput
			if len(tc.failed) > 0 {
				check = tc.failed[0]
			}
			if c := rep.Check(check); c == nil || !strings.Contains(c.Message, tc.message) {
				t.Errorf("%s check: %+v, want it to say %q", check, c, tc.message)
			}
			if tc.verified {
				if c := rep.Check(CheckProof); c == nil || c.Outcome != Passed {
					t.Errorf("proof check: %+v", c)
				}
			}
		})
	}
}

// TestCertificateInputError: something that is none of the forms is an
// ErrInput error that names them all.
func TestCertificateInputError(t *testing.T) {
	_, err := Verify(context.Background(), []byte("hello"), nil, nil)
	const want = "verify: not a credential: neither JSON, a compact JWS, a PNG nor an SVG, nor an HTML page or a PDF with a credential in it"
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
}
