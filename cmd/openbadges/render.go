package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/go-openbadges/openbadges/bake"
	"github.com/go-openbadges/openbadges/render"
	"github.com/go-openbadges/openbadges/render/pdf"
)

const renderHelp = `Writes the certificate a person sees for a credential: an accessible HTML
page (the default), a baked SVG image, or a PDF for print. Each form
carries the credential, so it verifies as saved (openbadges verify reads
HTML and PDF too). The credential may be JSON, a compact JWS, or a PNG,
SVG, HTML or PDF that carries one. Rendering does not verify: run
openbadges verify first.

The language is --lang, else the credential's, else English; supported:
` + "en, es, fr, de, ar (right to left), zh" + `. --verify-url is the issuer's
verification page: {id} in it becomes the credential's id; the QR code
links there. --template DIR holds the issuer's own certificate.html and/or
certificate.svg (Go html/template; see package render); a template error
is reported before anything is written.

The output is the certificate, written to --out FILE or, by default or
with --out -, to standard output; there is no report and no --json.

Exit status: 0 written, 2 could not be.`

// runRender writes a credential's certificate.
func runRender(e env, args []string) int {
	const usageLine = "[--format html|svg|pdf] [--lang TAG] [--verify-url URL] [--template DIR] [--paper a4|letter] [--logo FILE|-] [--primary #RRGGBB] [--accent #RRGGBB] [--name NAME] [--out FILE|-] CREDENTIAL|-"
	fs := newFlags(e, "render", usageLine)
	format := fs.String("format", "html", "html, svg or pdf")
	lang := fs.String("lang", "", "the reader's language (BCP 47): en, es, fr, de, ar, zh")
	verifyURL := fs.String("verify-url", "", "the issuer's verification page; {id} becomes the credential's id")
	templates := fs.String("template", "", "a folder with the issuer's certificate.html and/or certificate.svg")
	paper := fs.String("paper", "a4", "the PDF's paper: a4 or letter")
	logo := fs.String("logo", "", "the issuer's logo (PNG, JPEG, GIF, WebP or SVG; - for standard input)")
	primary := fs.String("primary", "", "the main colour, #RRGGBB (contrast at least 4.5:1 on white)")
	accent := fs.String("accent", "", "the border colour, #RRGGBB (contrast at least 4.5:1 on white)")
	name := fs.String("name", "", "the learner's name, when the credential carries none (no signature covers it)")
	out := fs.String("out", "-", `where to write it ("-" for standard output)`)
	if status, ok := parseFlags(fs, args); !ok {
		return status
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitCantRun
	}
	fail := func(err error) int {
		fmt.Fprintf(e.stderr, "openbadges render: %s\n", forPeople(err.Error()))
		return exitCantRun
	}
	if err := oneStdin(stdinUse{"--logo", *logo}, stdinUse{"the credential", fs.Arg(0)}); err != nil {
		return fail(err)
	}
	if err := notStdin("--template", *templates); err != nil {
		return fail(err)
	}
	form, err := render.ParseForm(*format)
	if err != nil || strings.Contains(*format, ",") {
		return fail(fmt.Errorf("--format %q: want html, svg or pdf", *format))
	}
	cfg := render.Config{VerifyURL: *verifyURL, Brand: render.Brand{Primary: *primary, Accent: *accent}}
	var printer pdf.Writer
	switch strings.ToLower(*paper) {
	case "a4":
	case "letter":
		printer.Paper = pdf.Letter
	default:
		return fail(fmt.Errorf("--paper %q: want a4 or letter", *paper))
	}
	if *logo != "" {
		if cfg.Brand.Logo, err = readInput(e, *logo, 2<<20); err != nil {
			return fail(err)
		}
	}
	if *templates != "" {
		st, err := os.Stat(*templates)
		if err != nil {
			return fail(err)
		}
		if !st.IsDir() {
			return fail(fmt.Errorf("--template %s is not a folder", *templates))
		}
		cfg.Templates = os.DirFS(*templates)
	}
	r, err := render.New(cfg)
	if err != nil {
		return fail(err)
	}
	input, err := readInput(e, fs.Arg(0), bake.DefaultMaxImageBytes)
	if err != nil {
		return fail(err)
	}
	cred := input
	if b, err := bake.Extract(input, nil); err == nil {
		cred = []byte(b.Credential)
	} else if !errors.Is(err, bake.ErrUnknownFormat) {
		return fail(fmt.Errorf("%s: %w", displayName(fs.Arg(0)), err))
	}
	doc, err := r.Render(context.Background(), cred, form, &render.Options{Lang: *lang, Learner: *name})
	if err != nil {
		return fail(fmt.Errorf("%s: %w", displayName(fs.Arg(0)), err))
	}
	data := doc.HTML
	switch form {
	case render.FormSVG:
		data = doc.SVG
	case render.FormPDF:
		if data, err = printer.Write(doc.Certificate); err != nil {
			return fail(fmt.Errorf("%s: %w", displayName(fs.Arg(0)), err))
		}
	}
	if *out == "-" {
		if _, err := e.stdout.Write(data); err != nil {
			return fail(err)
		}
		return 0
	}
	if err := writeFileAtomic(*out, data, 0o644); err != nil {
		return fail(err)
	}
	return 0
}
