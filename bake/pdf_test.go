package bake

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/go-openbadges/openbadges/internal/browsertest"
)

// certificatePDF makes a one-page certificate with fpdf, as a renderer
// does, with the attachments given. compress is fpdf's page compression;
// fpdf always compresses attachments (FlateDecode).
func certificatePDF(t testing.TB, compress bool, atts ...fpdf.Attachment) []byte {
	t.Helper()
	pdf := fpdf.New("L", "mm", "A4", "")
	pdf.SetCompression(compress)
	when := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	pdf.SetCreationDate(when)
	pdf.SetModificationDate(when)
	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 24)
	pdf.CellFormat(0, 20, "Certificate of Achievement", "", 1, "C", false, 0, "")
	pdf.SetFont("Helvetica", "", 14)
	pdf.CellFormat(0, 10, "Ada Lovelace: Statistics", "", 1, "C", false, 0, "")
	if len(atts) > 0 {
		pdf.SetAttachments(atts)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func attachment(name, content string) fpdf.Attachment {
	return fpdf.Attachment{Filename: name, Content: []byte(content), Description: "attached " + name}
}

// objAt is the offset of "n 0 obj" in a PDF.
func objAt(t testing.TB, doc []byte, n int) int {
	t.Helper()
	i := bytes.Index(doc, []byte(fmt.Sprintf("\n%d 0 obj", n)))
	if i < 0 {
		t.Fatalf("no object %d", n)
	}
	return i + 1
}

// rawPDF assembles a PDF by hand from objects written out in full.
func rawPDF(objects ...string) []byte {
	return []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + strings.Join(objects, "\n") + "\ntrailer\n<< /Root 1 0 R >>\nstartxref\n0\n%%EOF\n")
}

// streamObj is "n 0 obj << dict /Length len(data) >> stream data endstream endobj".
func streamObj(n int, dict, data string) string {
	return fmt.Sprintf("%d 0 obj\n<< %s /Length %d >>\nstream\n%s\nendstream\nendobj", n, dict, len(data), data)
}

// fileSpecObj names stream target name.
func fileSpecObj(n int, name string, target int) string {
	return fmt.Sprintf("%d 0 obj\n<< /Type /Filespec /F (%s) /UF (%s) /EF << /F %d 0 R >> >>\nendobj", n, name, name, target)
}

func deflate(s string) string {
	var buf bytes.Buffer
	zw := zlib.NewWriter(&buf)
	zw.Write([]byte(s))
	zw.Close()
	return buf.String()
}

const catalog = "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj"

// pdfCase is a PDF and what Extract makes of it.
type pdfCase struct {
	name  string
	doc   []byte
	opts  *Options
	want  *Baked // nil when an error is expected
	class string // errorClass of the error
	msg   string // substring of the error
}

// pdfCases are PDFs made by fpdf, as the certificates are, and by hand,
// for what other writers and attackers do.
func pdfCases(t testing.TB) []pdfCase {
	const cred = `{"id":"urn:x","name":"Badge"}`
	jsonBaked := &Baked{Format: FormatPDF, Kind: KindJSON, Credential: []byte(cred)}
	jwsBaked := &Baked{Format: FormatPDF, Kind: KindJWS, Credential: []byte(jws)}
	credJSON := attachment("credential.json", cred)
	credJWT := attachment("credential.jwt", jws)
	notes := attachment("notes.txt", "Ada passed the exam.\n")
	two := certificatePDF(t, true, credJSON, credJWT)
	unnamed := certificatePDF(t, true, attachment("data.json", `{"x":1}`), attachment("more.json", `{"y":2}`))
	bomb := `{"a":"` + strings.Repeat("x", 1<<20) + `"}`
	inner := rawPDF(catalog, streamObj(3, "/Type /EmbeddedFile", cred), fileSpecObj(4, "credential.json", 3))
	dfl := deflate(cred)

	return []pdfCase{
		// Made with fpdf.
		{"fpdf, JSON", certificatePDF(t, true, credJSON), nil, jsonBaked, "", ""},
		{"fpdf, JSON, pages not compressed", certificatePDF(t, false, credJSON), nil, jsonBaked, "", ""},
		{"fpdf, JWT", certificatePDF(t, true, credJWT), nil, jwsBaked, "", ""},
		{"fpdf, JWT, pages not compressed", certificatePDF(t, false, credJWT), nil, jwsBaked, "", ""},
		{"fpdf, no attachment", certificatePDF(t, true), nil, nil, "not baked", "the PDF has no embedded file"},
		{"fpdf, no attachment, pages not compressed", certificatePDF(t, false), nil, nil, "not baked", "the PDF has no embedded file"},
		{"fpdf, only a text file", certificatePDF(t, true, notes), nil, nil, "not baked", "none of the PDF's 1 embedded files holds a JSON object or a compact JWS"},
		{"fpdf, credential and text file", certificatePDF(t, true, credJSON, notes), nil, jsonBaked, "", ""},
		{"fpdf, text file and credential", certificatePDF(t, false, notes, credJWT), nil, jwsBaked, "", ""},
		{"fpdf, two credentials", two, nil, nil, "multiple",
			fmt.Sprintf(`two embedded files hold credentials ("credential.json" in object 3 0 at byte %d, "credential.jwt" in object 5 0 at byte %d)`, objAt(t, two, 3), objAt(t, two, 5))},
		{"fpdf, two credentials, pages not compressed", certificatePDF(t, false, credJSON, notes, credJSON), nil, nil, "multiple", "two embedded files hold credentials"},
		{"fpdf, another name", certificatePDF(t, true, notes, attachment("badge.json", cred)), nil, jsonBaked, "", ""},
		{"fpdf, the name in another case", certificatePDF(t, true, attachment("data.json", `{"x":1}`), attachment("Credential.JSON", cred)), nil, jsonBaked, "", ""},
		{"fpdf, credential.json preferred to other JSON", certificatePDF(t, true, attachment("data.json", `{"x":1}`), credJSON, attachment("more.json", `{"y":2}`)), nil, jsonBaked, "", ""},
		{"fpdf, two other JSON files", unnamed, nil, nil, "multiple",
			fmt.Sprintf(`two embedded files hold credentials ("data.json" in object 3 0 at byte %d, "more.json" in object 5 0 at byte %d)`, objAt(t, unnamed, 3), objAt(t, unnamed, 5))},
		{"fpdf, whitespace and a byte order mark", certificatePDF(t, true, attachment("credential.json", "\ufeff\r\n "+cred+"\n")), nil, jsonBaked, "", ""},
		{"fpdf, credential.json holding text", certificatePDF(t, true, attachment("credential.json", "hello")), nil, nil, "image", `the embedded file "credential.json": the baked credential is not valid`},
		{"fpdf, credential.json holding a JWS", certificatePDF(t, true, attachment("credential.json", jws)), nil, nil, "image", `the embedded file "credential.json" holds JWS`},
		{"fpdf, credential.jwt holding JSON", certificatePDF(t, true, attachment("credential.jwt", cred)), nil, nil, "image", `the embedded file "credential.jwt" holds JSON`},
		{"fpdf, credential.txt holding a JWS", certificatePDF(t, true, attachment("credential.txt", jws)), nil, jwsBaked, "", ""},
		{"fpdf, compression bomb", certificatePDF(t, true, attachment("credential.json", bomb)), &Options{MaxCredentialBytes: 1000}, nil, "too large", "the embedded credential inflates to more than the limit of 1000 bytes"},
		{"fpdf, unnamed compression bomb", certificatePDF(t, true, attachment("data.json", bomb)), &Options{MaxCredentialBytes: 1000}, nil, "too large", "inflates to more than the limit of 1000 bytes"},
		{"fpdf, a large file that is not a credential", certificatePDF(t, true, attachment("log.txt", strings.Repeat("# line\n", 1<<18)), credJWT), &Options{MaxCredentialBytes: 1000}, jwsBaked, "", ""},
		{"fpdf, a large base64url file that is not a credential", certificatePDF(t, true, attachment("data.b64", "QUJD QUJD"+strings.Repeat("QUJD", 1<<18))), &Options{MaxCredentialBytes: 1000}, nil, "not baked", "none of the PDF's 1 embedded files"},
		{"fpdf, a large base64url file", certificatePDF(t, true, attachment("data.b64", strings.Repeat("QUJD", 1<<18))), &Options{MaxCredentialBytes: 1000}, nil, "too large", "inflates to more than the limit of 1000 bytes"},
		{"fpdf, too large", certificatePDF(t, true, credJSON), &Options{MaxImageBytes: 100}, nil, "too large", "more than the limit of 100"},

		// Made by hand.
		{"no filter", rawPDF(catalog, streamObj(3, "/Type /EmbeddedFile", cred), fileSpecObj(4, "credential.json", 3)), nil, jsonBaked, "", ""},
		{"no file specification", rawPDF(catalog, streamObj(3, "/Type /EmbeddedFile", jws)), nil, jwsBaked, "", ""},
		{"FlateDecode over plain text", rawPDF(catalog, "3 0 obj<</Type/EmbeddedFile/Length 29/Filter/FlateDecode>>stream\n"+cred+"\nendstream\nendobj"), nil, nil, "image", "does not inflate"},
		{"no spaces, flate", rawPDF(catalog, fmt.Sprintf("3 0 obj<</Type/EmbeddedFile/Length %d/Filter/FlateDecode>>stream\n%s\nendstream endobj", len(dfl), dfl)), nil, jsonBaked, "", ""},
		{"no Type, named by /EF", rawPDF(catalog, streamObj(3, "", cred), fileSpecObj(4, "c.json", 3)), nil, jsonBaked, "", ""},
		{"no Type and no /EF", rawPDF(catalog, streamObj(3, "", cred)), nil, nil, "not baked", "the PDF has no embedded file"},
		{"a file specification inside another object", rawPDF(catalog, streamObj(3, "", cred), "4 0 obj\n<< /Names [(a) << /Type /Filespec /UF (credential.json) /EF << /F 3 0 R >> >>] >>\nendobj", streamObj(5, "/Type /EmbeddedFile", `{"other":1}`)), nil, jsonBaked, "", ""},
		{"a UTF-16 name in hexadecimal", rawPDF(catalog, streamObj(3, "/Type /EmbeddedFile", `{"other":1}`), streamObj(5, "/Type /EmbeddedFile", cred), "6 0 obj\n<< /F (x) /UF <FEFF00630072006500640065006E007400690061006C002E006A0073006F006E> /EF << /F 5 0 R >> >>\nendobj"), nil, jsonBaked, "", ""},
		{"a name with escapes", rawPDF(catalog, streamObj(3, "/Type /EmbeddedFile", `{"other":1}`), streamObj(5, "/Type /EmbeddedFile", cred), "6 0 obj\n<< /F (dir\\\\cred\\145ntial.json) /EF << /F 5 0 R >> >>\nendobj"), nil, jsonBaked, "", ""},
		{"indirect length after the stream", rawPDF(catalog, "3 0 obj\n<< /Type /EmbeddedFile /Length 4 0 R >>\nstream\n"+cred+"\nendstream\nendobj", "4 0 obj\n29\nendobj"), nil, jsonBaked, "", ""},
		{"indirect length before the stream", rawPDF(catalog, "4 0 obj 29 endobj", "3 0 obj\n<< /Type /EmbeddedFile /Length 4 0 R >>\nstream\n"+cred+"endstream\nendobj"), nil, jsonBaked, "", ""},
		{"indirect length, binary data", rawPDF(catalog, fmt.Sprintf("3 0 obj\n<< /Type /EmbeddedFile /Filter /FlateDecode /Length 4 0 R >>\nstream\n%s\nendstream\nendobj\n4 0 obj\n%d\nendobj", dfl, len(dfl))), nil, jsonBaked, "", ""},
		{"indirect length missing", rawPDF(catalog, "3 0 obj\n<< /Type /EmbeddedFile /Length 9 0 R >>\nstream\r\n"+cred+"\r\nendstream\nendobj"), nil, jsonBaked, "", ""},
		{"indirect length wrong", rawPDF(catalog, "3 0 obj\n<< /Type /EmbeddedFile /Length 4 0 R >>\nstream\n"+cred+"\nendstream\nendobj", "4 0 obj 5 endobj"), nil, jsonBaked, "", ""},
		{"direct length wrong", rawPDF(catalog, "3 0 obj\n<< /Type /EmbeddedFile /Length 1000 >>\nstream\n"+cred+"\nendstream\nendobj"), nil, jsonBaked, "", ""},
		{"no length", rawPDF(catalog, "3 0 obj\n<< /Type /EmbeddedFile >>\nstream\n"+cred+"\nendstream\nendobj"), nil, jsonBaked, "", ""},
		{"CR LF after stream", rawPDF(catalog, "3 0 obj\n<< /Type /EmbeddedFile /Length 29 >>\nstream\r\n"+cred+"\r\nendstream\r\nendobj"), nil, jsonBaked, "", ""},
		{"flate in an array", rawPDF(catalog, streamObj(3, "/Type /EmbeddedFile /Filter [/FlateDecode]", dfl)), nil, jsonBaked, "", ""},
		{"empty filter array", rawPDF(catalog, streamObj(3, "/Type /EmbeddedFile /Filter [] /DecodeParms null", cred)), nil, jsonBaked, "", ""},
		{"another filter", rawPDF(catalog, streamObj(3, "/Type /EmbeddedFile /Filter /ASCIIHexDecode", "7b7d>")), nil, nil, "not baked", "none of the PDF's 1 embedded files holds a JSON object or a compact JWS; 1 cannot be read here (filter /ASCIIHexDecode)"},
		{"two filters", rawPDF(catalog, streamObj(3, "/Type /EmbeddedFile /Filter [/ASCIIHexDecode /FlateDecode]", "00>")), nil, nil, "not baked", "it has 2 filters"},
		{"decode parameters", rawPDF(catalog, streamObj(3, "/Type /EmbeddedFile /Filter /FlateDecode /DecodeParms << /Predictor 12 >>", dfl)), nil, nil, "not baked", "it has decode parameters"},
		{"an external file", rawPDF(catalog, streamObj(3, "/Type /EmbeddedFile /F (cred.json)", "")), nil, nil, "not baked", "its data is in an external file"},
		{"another filter, named credential.json", rawPDF(catalog, streamObj(3, "/Type /EmbeddedFile /Filter /LZWDecode", "x"), fileSpecObj(4, "credential.json", 3), streamObj(5, "/Type /EmbeddedFile", cred)), nil, nil, "not baked",
			`the PDF's embedded file "credential.json" cannot be read: filter /LZWDecode`},
		{"another filter beside a credential", rawPDF(catalog, streamObj(3, "/Type /EmbeddedFile /Filter /LZWDecode", "x"), streamObj(5, "/Type /EmbeddedFile", cred)), nil, jsonBaked, "", ""},

		// What hides or fakes an embedded file.
		{"a PDF attached uncompressed", rawPDF(catalog, streamObj(3, "/Type /EmbeddedFile", string(inner)), fileSpecObj(4, "inner.pdf", 3)), nil, nil, "not baked", "none of the PDF's 1 embedded files"},
		{"a PDF attached beside the credential", rawPDF(catalog, streamObj(3, "/Type /EmbeddedFile", string(inner)), streamObj(5, "/Type /EmbeddedFile", jws)), nil, jwsBaked, "", ""},
		{"in a comment", rawPDF(catalog, "%3 0 obj << /Type /EmbeddedFile /Length 29 >> stream\n"+cred+"\nendstream endobj"), nil, nil, "not baked", "the PDF has no embedded file"},
		{"in a string", rawPDF(catalog, "5 0 obj\n<< /Title (\n"+streamObj(3, "/Type /EmbeddedFile", cred)+"\n) >>\nendobj"), nil, nil, "not baked", "the PDF has no embedded file"},
		{"in a page's content", rawPDF(catalog, streamObj(3, "", "BT\n"+streamObj(4, "/Type /EmbeddedFile", cred)+"\nET")), nil, nil, "not baked", "the PDF has no embedded file"},
		{"replaced by an incremental update", append(rawPDF(catalog, streamObj(3, "/Type /EmbeddedFile", `{"old":1}`)), rawPDF(streamObj(3, "/Type /EmbeddedFile", cred))[len("%PDF-1.7\n"):]...), nil, jsonBaked, "", ""},
		{"removed by an incremental update", append(rawPDF(catalog, streamObj(3, "/Type /EmbeddedFile", cred)), "3 0 obj null endobj\n"...), nil, nil, "not baked", "the PDF has no embedded file"},
		{"junk between objects", rawPDF(catalog, "junk ] >> 12", streamObj(3, "/Type /EmbeddedFile", cred), "%%EOF", "\x00\x01garbage"), nil, jsonBaked, "", ""},
		{"an empty object", rawPDF(catalog, "5 0 obj\nendobj", streamObj(3, "/Type /EmbeddedFile", cred)), nil, jsonBaked, "", ""},
		{"every kind of value", rawPDF(catalog, "5 0 obj\n[true false null -1 +2 .5 -.5 3. /N#41me (a(b)c\\)\\n\\\r\n) <41 42 4> <<>> [] 1 0 R 9999999999999999999999]\nendobj", streamObj(3, "/Type /EmbeddedFile", cred)), nil, jsonBaked, "", ""},
		{"an xref table", rawPDF(catalog, "xref\n0 1\n0000000000 65535 f \n4 0 obj fake", streamObj(3, "/Type /EmbeddedFile", cred)), nil, nil, "not baked", "the PDF has no embedded file"},

		// Broken PDFs.
		{"encrypted", append(rawPDF(catalog, streamObj(3, "/Type /EmbeddedFile", cred)), "trailer << /Encrypt 9 0 R >>\n"...), nil, nil, "image", "the PDF is encrypted"},
		{"encrypted, with an xref stream", rawPDF(catalog, streamObj(3, "/Type /EmbeddedFile", cred), streamObj(4, "/Type /XRef /Encrypt 9 0 R", "")), nil, nil, "image", "the PDF is encrypted"},
		{"no endobj", rawPDF(catalog, "3 0 obj\n<< /Type /EmbeddedFile /Length 29 >>\nstream\n"+cred+"\nendstream\n4 0 obj 1 endobj"), nil, nil, "image", "object 3 0: no endobj"},
		{"no endstream", rawPDF(catalog, "3 0 obj\n<< /Type /EmbeddedFile /Length 29 >>\nstream\n"+cred), nil, nil, "image", "object 3 0: a stream with no endstream"},
		{"stream keyword without end of line", rawPDF(catalog, "3 0 obj\n<< /Type /EmbeddedFile /Length 29 >>\nstream "+cred+"\nendstream\nendobj"), nil, nil, "image", "the stream keyword is not followed by an end of line"},
		{"stream without a dictionary", rawPDF(catalog, "3 0 obj\n[1]\nstream\n"+cred+"\nendstream\nendobj"), nil, nil, "image", "a stream without a dictionary"},
		{"a string not closed", rawPDF(catalog, "3 0 obj\n<< /T (abc >>\nendobj"), nil, nil, "image", "a string that is not closed"},
		{"a hexadecimal string not closed", []byte("%PDF-1.7\n3 0 obj\n<< /T <abc"), nil, nil, "image", "a hexadecimal string that is not closed"},
		{"a dictionary not closed", []byte("%PDF-1.7\n3 0 obj\n<< /T 1"), nil, nil, "image", "a dictionary key that is not a name"},
		{"an array not closed", []byte("%PDF-1.7\n3 0 obj\n[1 2"), nil, nil, "image", "unexpected end of file"},
		{"bad hexadecimal string", rawPDF(catalog, "3 0 obj\n<< /T <abz> >>\nendobj"), nil, nil, "image", `'z' in a hexadecimal string`},
		{"nested too deeply", rawPDF(catalog, "3 0 obj\n"+strings.Repeat("[", 40)+strings.Repeat("]", 40)+"\nendobj"), nil, nil, "image", "nested more than 32 deep"},
		{"a key that is not a name", rawPDF(catalog, "3 0 obj\n<< 1 2 >>\nendobj"), nil, nil, "image", "a dictionary key that is not a name"},
		{"an unknown keyword", rawPDF(catalog, "3 0 obj\n<< /A foo >>\nendobj"), nil, nil, "image", `unexpected "foo"`},
		{"a broken trailer", append(rawPDF(catalog), "trailer << /Size"...), nil, nil, "image", "the trailer cannot be read"},
		{"two lengths", rawPDF(catalog, "3 0 obj\n<< /Type /EmbeddedFile /Length 29 /Length 3 >>\nstream\n"+cred+"\nendstream\nendobj"), nil, nil, "image", "the embedded file in object 3 0 has two /Length entries"},
		{"not zlib", rawPDF(catalog, streamObj(3, "/Type /EmbeddedFile /Filter /FlateDecode", "not zlib")), nil, nil, "image", "the embedded file in object 3 0 does not inflate"},
		{"zlib cut short", rawPDF(catalog, streamObj(3, "/Type /EmbeddedFile /Filter /FlateDecode", dfl[:len(dfl)-6]), fileSpecObj(4, "credential.json", 3)), nil, nil, "image", "does not inflate"},
		{"bad zlib checksum", rawPDF(catalog, streamObj(3, "/Type /EmbeddedFile /Filter /FlateDecode", dfl[:len(dfl)-1]+"\x00"), fileSpecObj(4, "credential.json", 3)), nil, nil, "image", "does not inflate"},
		{"only a header", []byte("%PDF-1.7"), nil, nil, "not baked", "the PDF has no embedded file"},
	}
}

// TestExtractPDF extracts pdfCases.
func TestExtractPDF(t *testing.T) {
	for _, tt := range pdfCases(t) {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Extract(tt.doc, tt.opts)
			if class := errorClass(err); class != tt.class {
				t.Fatalf("error %v (class %q), want class %q", err, class, tt.class)
			}
			if err != nil && !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q, want it to contain %q", err, tt.msg)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("Extract (-want +got):\n%s", d)
			}
		})
	}
}

// TestExtractPDFErrors: the errors point at the object.
func TestExtractPDFErrors(t *testing.T) {
	two := certificatePDF(t, false, attachment("credential.json", `{"id":"urn:a"}`), attachment("credential.json", `{"id":"urn:b"}`))
	notJSON := rawPDF(catalog, streamObj(3, "/Type /EmbeddedFile", "{"), fileSpecObj(4, "credential.json", 3))
	broken := rawPDF(catalog, "3 0 obj\n<< /A [1 2 >>\nendobj")
	for _, tt := range []struct {
		name string
		doc  []byte
		want ImageError
	}{
		{"two", two, ImageError{Format: FormatPDF, Offset: int64(objAt(t, two, 5)),
			Reason: fmt.Sprintf(`two embedded files hold credentials ("credential.json" in object 3 0 at byte %d, "credential.json" in object 5 0 at byte %d)`, objAt(t, two, 3), objAt(t, two, 5)),
			Err:    ErrMultiple}},
		{"not JSON", notJSON, ImageError{Format: FormatPDF, Offset: int64(objAt(t, notJSON, 3)), Reason: `the embedded file "credential.json": the baked credential is not valid`, Err: ErrNotCredential}},
		{"broken object", broken, ImageError{Format: FormatPDF, Offset: int64(objAt(t, broken, 3)), Reason: "object 3 0: cannot be read"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Extract(tt.doc, nil)
			var ie *ImageError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v is not an *ImageError", err)
			}
			got := *ie
			if tt.name == "broken object" {
				if got.Err == nil {
					t.Fatal("no underlying error")
				}
				got.Err = nil
			}
			if d := cmp.Diff(tt.want, got, cmpopts.EquateErrors()); d != "" {
				t.Errorf("error (-want +got):\n%s", d)
			}
		})
	}
}

// TestPDFDetach checks the fpdf certificates with an independent reader,
// poppler's pdfdetach: it lists the same attachments and saves the same
// credential that Extract returns.
func TestPDFDetach(t *testing.T) {
	pdfdetach := browsertest.Tool(t, "pdfdetach", "poppler-utils")
	const cred = `{"id":"urn:x","name":"Badge"}`
	dir := t.TempDir()
	for _, compress := range []bool{true, false} {
		for _, tt := range []struct {
			name string
			atts []fpdf.Attachment
			list string
		}{
			{"credential.json", []fpdf.Attachment{attachment("credential.json", cred), attachment("notes.txt", "Ada.\n")}, "2 embedded files\n1: credential.json\n2: notes.txt\n"},
			{"credential.jwt", []fpdf.Attachment{attachment("credential.jwt", jws)}, "1 embedded files\n1: credential.jwt\n"},
		} {
			t.Run(fmt.Sprintf("%s, compression %v", tt.name, compress), func(t *testing.T) {
				doc := certificatePDF(t, compress, tt.atts...)
				file := filepath.Join(dir, "certificate.pdf")
				if err := os.WriteFile(file, doc, 0o644); err != nil {
					t.Fatal(err)
				}
				out, err := exec.Command(pdfdetach, "-list", file).CombinedOutput()
				if err != nil {
					t.Fatalf("pdfdetach -list: %v\n%s", err, out)
				}
				if d := cmp.Diff(tt.list, string(out)); d != "" {
					t.Errorf("pdfdetach -list (-want +got):\n%s", d)
				}
				saved := filepath.Join(dir, "saved")
				if out, err := exec.Command(pdfdetach, "-save", "1", "-o", saved, file).CombinedOutput(); err != nil {
					t.Fatalf("pdfdetach -save: %v\n%s", err, out)
				}
				b, err := Extract(doc, nil)
				if err != nil {
					t.Fatal(err)
				}
				if want := readFile(t, saved); !bytes.Equal(b.Credential, want) {
					t.Errorf("Extract returned %q, pdfdetach saved %q", b.Credential, want)
				}
			})
		}
	}
}
