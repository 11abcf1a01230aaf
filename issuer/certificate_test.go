package issuer

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/go-openbadges/openbadges/render"
	"github.com/go-openbadges/openbadges/verify"
)

// TestCertificates: an issuer configured for certificates hands out each
// credential with its forms, the same when asked again, each carrying the
// credential so that it verifies; the learner's name shows only when
// asked for and never enters the credential; a certificate that cannot be
// made leaves the credential issued and says so.
func TestCertificates(t *testing.T) {
	r, err := render.New(render.Config{VerifyURL: "https://verify.example.edu/?id={id}"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		certs    Certificates
		formats  Formats
		want     []string // forms made
		showName bool
	}{
		{name: "default forms", certs: Certificates{Renderer: r}, want: []string{"html"}},
		{name: "page and PDF", certs: Certificates{Renderer: r, Forms: render.FormHTML | render.FormPDF}, want: []string{"html", "pdf"}},
		{name: "all, with the name, in French", certs: Certificates{Renderer: r, Forms: render.FormHTML | render.FormSVG | render.FormPDF, ShowName: true, Lang: "fr"},
			want: []string{"html", "svg", "pdf"}, showName: true},
		{name: "a JWT", formats: FormatJWT, certs: Certificates{Renderer: r, Forms: render.FormHTML}, want: []string{"html"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is, _ := testIssuer(t, func(c *Config) { c.Certificates = tt.certs; c.Formats = tt.formats })
			ctx := context.Background()
			for _, again := range []bool{false, true} {
				out, err := is.Issue(ctx, submission("award"))
				if err != nil {
					t.Fatal(err)
				}
				if out.Existing != again || out.Certificate == nil {
					t.Fatalf("existing %v, certificate %v", out.Existing, out.Certificate != nil)
				}
				forms := map[string][]byte{"html": out.Certificate.HTML, "svg": out.Certificate.SVG, "pdf": out.Certificate.PDF}
				var made []string
				for _, f := range []string{"html", "svg", "pdf"} {
					if forms[f] != nil {
						made = append(made, f)
					}
				}
				if strings.Join(made, ",") != strings.Join(tt.want, ",") {
					t.Errorf("forms %v, want %v", made, tt.want)
				}
				for _, f := range made {
					rep, err := verify.Verify(ctx, forms[f], nil, &verify.Policy{Now: t0})
					if err != nil {
						t.Fatal(err)
					}
					if !rep.Verified || rep.Input != f {
						t.Errorf("%s: verified %v, input %q:\n%s", f, rep.Verified, rep.Input, rep)
					}
				}
				html := out.Certificate.HTML
				if shown := bytes.Contains(html, []byte("Ada Lovelace")); shown != tt.showName {
					t.Errorf("the learner's name shown: %v, want %v", shown, tt.showName)
				}
				if bytes.Contains(out.Credential, []byte("Lovelace")) || strings.Contains(out.JWT, "Lovelace") {
					t.Error("the learner's name went into the credential")
				}
				if tt.certs.Lang == "fr" && !bytes.Contains(html, []byte(`<html lang="fr"`)) {
					t.Error("the certificate is not in French")
				}
			}
		})
	}

	t.Run("cannot be made", func(t *testing.T) {
		bad, err := render.New(render.Config{VerifyURL: "https://verify.example.edu/" + strings.Repeat("x", 1100) + "?id={id}"})
		if err != nil {
			t.Fatal(err)
		}
		is, _ := testIssuer(t, func(c *Config) { c.Certificates = Certificates{Renderer: bad} })
		out, err := is.Issue(context.Background(), submission("award"))
		if !errors.Is(err, ErrCertificate) || !errors.Is(err, render.ErrCredential) {
			t.Fatalf("err = %v, want ErrCertificate wrapping render.ErrCredential", err)
		}
		if out == nil || out.State != StateIssued || len(out.Credential) == 0 || out.Certificate != nil {
			t.Fatalf("the issued credential was not returned with the error: %+v", out)
		}
		again, _ := is.Issue(context.Background(), submission("award"))
		if again == nil || !again.Existing || !bytes.Equal(again.Credential, out.Credential) {
			t.Error("the credential was not kept")
		}
	})

	t.Run("denied: no certificate", func(t *testing.T) {
		is, _ := testIssuer(t, func(c *Config) { c.Certificates = Certificates{Renderer: r} })
		out, err := is.Issue(context.Background(), submission("deny"))
		if err != nil || out.Certificate != nil {
			t.Errorf("denied: err %v, certificate %v", err, out.Certificate != nil)
		}
	})
}
