package bake

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// checkCertificate: what Extract found in a page or PDF is a trimmed
// credential of the kind it claims, never legacy, and a page written the
// way a renderer writes one (ScriptType, EscapeScript) gives it back,
// escaped.
func checkCertificate(t *testing.T, f Format, b *Baked) {
	t.Helper()
	if b.Format != f || b.Legacy || b.HostedURL != "" {
		t.Fatalf("found %+v in a %v", b, f)
	}
	if len(b.Credential) == 0 || !bytes.Equal(trimCredential(b.Credential), b.Credential) {
		t.Fatalf("credential %q is empty or untrimmed", b.Credential)
	}
	if k := classify(b.Credential); k != b.Kind || k == KindUnknown {
		t.Fatalf("kind %v, but the credential is %v", b.Kind, k)
	}
	text := EscapeScript(b.Credential)
	page := []byte(`<!DOCTYPE html><title>x</title><script type="` + ScriptType(b.Credential) + `">` + string(text) + `</script>`)
	again, err := Extract(page, nil)
	if err != nil || !bytes.Equal(again.Credential, text) || again.Kind != b.Kind {
		t.Fatalf("a page written with the credential: %v %+v, want %q", err, again, text)
	}
}

// FuzzExtractHTML: the HTML scanner never panics, fails only with
// documented errors, returns text as found in the page, and a comment
// before the page (with a credential script in it) changes nothing.
func FuzzExtractHTML(f *testing.F) {
	for _, c := range htmlCases() {
		f.Add(c.page)
	}
	f.Add([]byte(`<script type="application/vc">{"a":1}</script>`))
	f.Add([]byte(`<script><!--<script></script><script type="application/vc">{"a":1}</script>--></script>`))
	f.Add([]byte(`<a b='<script type=application/vc>'><!--->--!><![CDATA[x]]><?x?></ x><textarea></textarea ><plaintext>`))
	opts := &Options{MaxCredentialBytes: 1 << 16}
	const fake = `<!-- <script type="application/vc">{"fake":1}</script> -->`
	f.Fuzz(func(t *testing.T, page []byte) {
		b, err := extractHTML(page, opts)
		b2, err2 := extractHTML(append([]byte(fake), page...), opts)
		if errorClass(err) != errorClass(err2) || (b == nil) != (b2 == nil) || b != nil && !bytes.Equal(b.Credential, b2.Credential) {
			t.Fatalf("a comment before the page changes the result: %v %+v, then %v %+v", err, b, err2, b2)
		}
		if err != nil {
			checkExtractError(t, err)
			return
		}
		if !bytes.Contains(page, b.Credential) {
			t.Fatalf("the credential %q is not in the page", b.Credential)
		}
		checkCertificate(t, FormatHTML, b)
	})
}

// FuzzExtractPDF: the PDF scanner never panics and fails only with
// documented errors, and what it finds is a credential.
func FuzzExtractPDF(f *testing.F) {
	for _, c := range pdfCases(f) {
		if len(c.doc) < 1<<16 {
			f.Add(c.doc)
		}
	}
	opts := &Options{MaxCredentialBytes: 1 << 16}
	f.Fuzz(func(t *testing.T, doc []byte) {
		b, err := extractPDF(doc, opts)
		if err != nil {
			checkExtractError(t, err)
			return
		}
		checkCertificate(t, FormatPDF, b)
	})
}

// FuzzEscapeScript: escaped JSON is the same JSON value, holds no markup,
// and a page carrying it gives it back.
func FuzzEscapeScript(f *testing.F) {
	for _, c := range credentials {
		f.Add([]byte(c.cred))
	}
	f.Add([]byte(`{"a":"</script><script>alert(1)</script>","b":"\u2028<!--"}`))
	f.Add([]byte("[\"\u2029&\",1,null]"))
	f.Fuzz(func(t *testing.T, doc []byte) {
		if !json.Valid(doc) {
			return
		}
		esc := EscapeScript(doc)
		want, err := decodeJSON(doc)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeJSON(esc)
		if err != nil {
			t.Fatalf("escaped JSON %q does not parse: %v", esc, err)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Fatalf("escaped JSON is another value (-want +got):\n%s", d)
		}
		if bytes.ContainsAny(esc, "<>&\u2028\u2029") {
			t.Fatalf("escaped JSON %q holds markup", esc)
		}
		if ScriptType(doc) == "" {
			return
		}
		page := []byte(`<!DOCTYPE html><script type="` + ScriptType(doc) + `">` + string(esc) + `</script>`)
		b, err := Extract(page, nil)
		if err != nil || !bytes.Equal(b.Credential, trimCredential(esc)) {
			t.Fatalf("the page gives back %v %+v, want %q", err, b, trimCredential(esc))
		}
	})
}

// decodeJSON reads JSON with numbers as written, so that any valid JSON
// reads.
func decodeJSON(doc []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(doc))
	d.UseNumber()
	var v any
	err := d.Decode(&v)
	return v, err
}

// TestHostileCertificates: inputs made to cost a reader time or memory
// are read in one pass (a reader that went back over its input would take
// hours on these) and fail as they should.
func TestHostileCertificates(t *testing.T) {
	const n = 1 << 20
	opts := &Options{MaxImageBytes: 1 << 23}
	for _, tt := range []struct {
		name, in, class string
	}{
		{"HTML comment starts", "<!DOCTYPE html>" + strings.Repeat("<!--", n/4), "not baked"},
		{"HTML comment dashes", "<!DOCTYPE html><!--" + strings.Repeat("--x", n/3), "not baked"},
		{"HTML script escapes", "<!DOCTYPE html><script>" + strings.Repeat("<!--<script>", n/12), "not baked"},
		{"HTML script end tags, almost", "<!DOCTYPE html><script>" + strings.Repeat("</scrip", n/7), "not baked"},
		{"HTML raw text end tags, almost", "<!DOCTYPE html><style>" + strings.Repeat("</styl", n/6), "not baked"},
		{"HTML tags", "<!DOCTYPE html>" + strings.Repeat("<a ", n/3), "not baked"},
		{"HTML attributes", "<!DOCTYPE html><a" + strings.Repeat(" b=c", n/4), "not baked"},
		{"HTML character references", `<!DOCTYPE html><script type="` + strings.Repeat("&#47;&sol", n/9) + `">`, "not baked"},
		{"HTML credential scripts", "<!DOCTYPE html>" + strings.Repeat(`<script type="application/vc">{}</script>`, n/42), "multiple"},
		{"PDF headers", "%PDF-1.7\n" + strings.Repeat("1 0 obj ", n/8), "image"},
		{"PDF junk and headers", "%PDF-1.7\nx" + strings.Repeat(" 1 0 obj", n/8), "image"},
		{"PDF strings", "%PDF-1.7\n" + strings.Repeat("1 0 obj (", n/9), "image"},
		{"PDF nested strings", "%PDF-1.7\n1 0 obj <</F " + strings.Repeat("(", n/4) + strings.Repeat(")", n/4) + ">> endobj", "not baked"},
		{"PDF array", "%PDF-1.7\n1 0 obj [" + strings.Repeat("1 ", n/2) + "] endobj", "not baked"},
		{"PDF file specifications", "%PDF-1.7\n1 0 obj [" + strings.Repeat("<</Type 1/F 2/UF 3/EF<</F 1 0 R>>>>", n/36) + "] endobj", "image"},
		{"PDF streams with a length elsewhere", "%PDF-1.7\n" + strings.Repeat("1 0 obj<</Length 3 0 R>>stream\nx\nendstream endobj\n3 0 obj 99 endobj\n", n/70), "not baked"},
		{"PDF streams without endstream", "%PDF-1.7\n" + strings.Repeat("1 0 obj<</Length 2 0 R>>stream\nx\n", n/32), "image"},
		{"PDF white space", "%PDF-1.7\n1" + strings.Repeat(" ", n) + "0 obj", "image"},
		{"PDF cross-reference tables", "%PDF-1.7\n" + strings.Repeat("xref\n", n/5), "not baked"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Extract([]byte(tt.in), opts)
			if class := errorClass(err); class != tt.class {
				t.Errorf("error %v (class %q), want class %q", err, class, tt.class)
			}
		})
	}
}
