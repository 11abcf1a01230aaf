package render

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"testing"
)

// FuzzCertificate: any input either is refused with ErrCredential or makes
// a page with exactly one script element (the credential's) and an SVG
// that is well-formed XML, without panicking.
func FuzzCertificate(f *testing.F) {
	f.Add(sampleFull)
	f.Add(sampleBare)
	f.Add([]byte(`{"type":"OpenBadgeCredential","credentialSubject":{"achievement":{"name":[{"@value":"x","@language":"ar"}]}},"issuer":{"name":{"en":"a"}}}`))
	f.Add([]byte(`{"type":["EndorsementCredential"],"credentialSubject":[{"endorsementComment":"\u202e<script>"}],"validFrom":"2026-01-01"}`))
	f.Add(jws(f, `{"vc":{"type":["OpenBadgeCredential"]}}`))
	r, err := New(Config{VerifyURL: "https://verify.example.edu/?id={id}"})
	if err != nil {
		f.Fatal(err)
	}
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, data []byte) {
		page, err := r.HTML(ctx, data, &Options{Lang: "ar"})
		if err != nil {
			if !errors.Is(err, ErrCredential) {
				t.Fatalf("an error that is not ErrCredential: %v", err)
			}
			return
		}
		if n := bytes.Count(bytes.ToLower(page), []byte("<script")); n != 1 {
			t.Fatalf("%d script elements", n)
		}
		if IsTranscript(data) {
			return // a CLR is a page only (FuzzTranscript)
		}
		img, err := r.SVG(ctx, data, nil)
		if err != nil {
			t.Fatalf("the page was made but not the SVG: %v", err)
		}
		d := xml.NewDecoder(bytes.NewReader(img))
		for {
			if _, err := d.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("the SVG is not well-formed: %v", err)
			}
		}
	})
}
