package render

import (
	"context"
	"testing"
	"time"

	"github.com/go-openbadges/openbadges/internal/forgerytest"
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
)

// The cost of each form per credential, beside the cost of signing the
// same credential (eddsa-rdfc-2022, what issuers sign with by default), so
// that rendering is shown not to be the slow step of batch issuance:
//
//	go test -p 1 -run - -bench 'Sign|HTML|SVG|PDF$|Render' -benchmem ./render/ ./render/pdf/

func benchCredential(b *testing.B) []byte {
	return signed(b, nil)
}

func BenchmarkHTML(b *testing.B) {
	r := newRenderer(b, Config{VerifyURL: "https://verify.example.edu/?id={id}"})
	cred := benchCredential(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.HTML(ctx, cred, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSVG(b *testing.B) {
	r := newRenderer(b, Config{VerifyURL: "https://verify.example.edu/?id={id}"})
	cred := benchCredential(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.SVG(ctx, cred, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderAll makes the page and the image from one reading, as an
// issuer configured for both does.
func BenchmarkRenderAll(b *testing.B) {
	r := newRenderer(b, Config{VerifyURL: "https://verify.example.edu/?id={id}"})
	cred := benchCredential(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Render(ctx, cred, FormHTML|FormSVG, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSignBaseline signs the credential the forms are made from: the
// step rendering is compared with.
func BenchmarkSignBaseline(b *testing.B) {
	doc := credentialWith(b, func(d obj) { d["issuer"].(obj)["id"] = forgerytest.VictimDID })
	s := &dataintegrity.Signer{Key: forgerytest.VictimKey(), VerificationMethod: forgerytest.VictimDID + "#key-1"}
	ctx := context.Background()
	opts := &dataintegrity.ProofOptions{Created: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Sign(ctx, doc, opts); err != nil {
			b.Fatal(err)
		}
	}
}
