package pdf_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-openbadges/openbadges/bake"
	"github.com/go-openbadges/openbadges/internal/browsertest"
	"github.com/go-openbadges/openbadges/internal/forgerytest"
	"github.com/go-openbadges/openbadges/render"
	"github.com/go-openbadges/openbadges/render/pdf"
	"github.com/go-openbadges/openbadges/verify"
)

// unsigned is an Open Badge issued by the did:web victim of package
// forgerytest: the identifiers institutions use, not did:key.
const unsigned = `{
  "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
  "id": "https://example.edu/credentials/3732",
  "type": ["VerifiableCredential", "OpenBadgeCredential"],
  "issuer": {"id": "did:web:victim.example", "type": ["Profile"], "name": "Example University"},
  "validFrom": "2025-12-20T00:00:00Z",
  "validUntil": "2030-01-01T00:00:00Z",
  "credentialSubject": {
    "type": ["AchievementSubject"],
    "identifier": [{"type": "IdentityObject", "hashed": false, "identityHash": "Ada Lovelace", "identityType": "name"}],
    "achievement": {"id": "https://example.edu/achievements/1", "type": ["Achievement"], "name": "Teamwork",
      "description": "Works well with others.", "criteria": {"narrative": "Complete the team project."}}
  }
}`

func signed(t testing.TB) []byte {
	t.Helper()
	return forgerytest.SignDI(t, forgerytest.VictimKey(), forgerytest.VictimDID+"#key-1", []byte(unsigned))
}

func certificate(t testing.TB, cred []byte, lang string) *render.Certificate {
	t.Helper()
	r, err := render.New(render.Config{VerifyURL: "https://verify.example.edu/?id={id}"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := r.Certificate(context.Background(), cred, &render.Options{Lang: lang})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func verifyBytes(t testing.TB, input []byte) *verify.Report {
	t.Helper()
	rep, err := verify.Verify(context.Background(), input, &verify.Trust{Documents: forgerytest.VictimDocuments(t).ByID()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestSignedPDFVerifies: the PDF of a signed credential carries it, byte
// for byte, and verifies against the did:web issuer's published
// document; with the attached credential tampered with, the proof fails.
func TestSignedPDFVerifies(t *testing.T) {
	cred := signed(t)
	c := certificate(t, cred, "en")
	doc, err := (&pdf.Writer{}).Write(c)
	if err != nil {
		t.Fatal(err)
	}
	b, err := bake.Extract(doc, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal([]byte(b.Credential), bytes.TrimSpace(cred)) {
		t.Error("the attached credential is not the one signed, byte for byte")
	}
	if rep := verifyBytes(t, doc); !rep.Verified || rep.Input != "pdf" {
		t.Errorf("verified %v (input %q):\n%s", rep.Verified, rep.Input, rep)
	}
	forged := *c
	forged.Credential = bytes.Replace(c.Credential, []byte("Works well with others."), []byte("Works well with ofhers."), 1)
	doc, err = (&pdf.Writer{}).Write(&forged)
	if err != nil {
		t.Fatal(err)
	}
	rep := verifyBytes(t, doc)
	var failed []string
	for _, ch := range rep.Failed() {
		failed = append(failed, ch.ID)
	}
	if rep.Verified || strings.Join(failed, ",") != verify.CheckProof {
		t.Errorf("tampered: verified %v, failed %q, want false, %q", rep.Verified, failed, verify.CheckProof)
	}
}

// TestPDFText: the PDF, read back by an independent tool (poppler's
// pdftotext), says who earned what and when, in English and Spanish, on
// both papers.
func TestPDFText(t *testing.T) {
	pdftotext := browsertest.Tool(t, "pdftotext", "poppler-utils")
	cred := signed(t)
	for _, tt := range []struct {
		lang  string
		paper pdf.Paper
		want  []string
	}{
		{"en", pdf.A4, []string{"Ada Lovelace", "Teamwork", "Works well with others.", "Issued on 20 December 2025", "Valid until 1 January 2030", "Issued by", "Example University"}},
		{"es", pdf.Letter, []string{"Ada Lovelace", "Teamwork", "Emitido el 20 de diciembre de 2025", "Válido hasta 1 de enero de 2030"}},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			t.Parallel()
			doc, err := (&pdf.Writer{Paper: tt.paper}).Write(certificate(t, cred, tt.lang))
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "c.pdf")
			if err := os.WriteFile(path, doc, 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(pdftotext, "-layout", path, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			text := strings.Join(strings.Fields(string(out)), " ")
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("pdftotext does not find %q in:\n%s", w, text)
				}
			}
		})
	}
}
