package bake

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// checkExtractError fails unless err is one the package documents.
func checkExtractError(t *testing.T, err error) {
	t.Helper()
	var ie *ImageError
	if !errors.Is(err, ErrNotBaked) && !errors.Is(err, ErrSizeLimit) && !errors.Is(err, ErrUnknownFormat) && !errors.As(err, &ie) {
		t.Fatalf("undocumented error %T: %v", err, err)
	}
}

// checkFound: what Extract returns is a trimmed credential of the kind it
// claims, and baking it into the same image gives it back.
func checkFound(t *testing.T, img []byte, b *Baked, opts *Options) {
	t.Helper()
	if len(b.Credential) == 0 || !bytes.Equal(trimCredential(b.Credential), b.Credential) {
		t.Fatalf("credential %q is empty or untrimmed", b.Credential)
	}
	if k := classifyLegacy(b.Credential); k != b.Kind || !b.Legacy && k == KindURL {
		t.Fatalf("kind %v, but the credential is %v (legacy %v)", b.Kind, k, b.Legacy)
	}
	switch {
	case b.Kind == KindURL && b.HostedURL != string(b.Credential),
		b.HostedURL != "" && (!b.Legacy || classifyLegacy([]byte(b.HostedURL)) != KindURL),
		b.HostedURL != "" && b.Kind != KindURL && b.Kind != KindJSON:
		t.Fatalf("hosted URL %q beside a %v credential %q (legacy %v)", b.HostedURL, b.Kind, b.Credential, b.Legacy)
	}
	if b.Legacy {
		return
	}
	out, err := Bake(img, b.Credential, opts)
	if err != nil {
		if errors.Is(err, ErrSizeLimit) {
			return
		}
		t.Fatalf("cannot bake what was extracted: %v", err)
	}
	again, err := Extract(out, opts)
	want := b.Credential
	if b.Format == FormatSVG {
		want = normalizeNewlines(want) // a CR written as &#13;
	}
	if err != nil || again.Legacy || !bytes.Equal(again.Credential, want) {
		t.Fatalf("bake then extract: %v, %+v, want %q", err, again, want)
	}
}

func seeds(f *testing.F, glob string) {
	names, err := filepath.Glob(glob)
	if err != nil || len(names) == 0 {
		f.Fatalf("no seeds for %s: %v", glob, err)
	}
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// FuzzExtractPNG: the PNG reader never panics, fails only with documented
// errors, and what it finds can be baked back.
func FuzzExtractPNG(f *testing.F) {
	seeds(f, "testdata/validator/*.png")
	seeds(f, "testdata/ob20/*.png")
	small := newPNG(f)
	f.Add(small)
	for _, extra := range [][]byte{
		chunk("iTXt", iTXt(PNGKeyword, 0, 0, "", "", []byte(`{"a":1}`))),
		chunk("iTXt", iTXt(PNGKeyword, 1, 0, "en", "k", []byte(jws))),
		chunk("iTXt", iTXt(legacyKeyword, 0, 0, "", "", []byte(jws))),
		chunk("tEXt", []byte(legacyKeyword+"\x00https://example.org/a")),
		chunk("tEXt", []byte(PNGKeyword+"\x00{}")),
	} {
		f.Add(withChunks(f, small, true, extra))
	}
	// Two credentials, and two legacy assertions: refused.
	f.Add(withChunks(f, small, true, chunk("iTXt", iTXt(PNGKeyword, 0, 0, "", "", []byte(jws))), chunk("iTXt", iTXt(PNGKeyword, 0, 0, "", "", []byte(`{"a":1}`)))))
	f.Add(withChunks(f, small, true, chunk("iTXt", iTXt(legacyKeyword, 0, 0, "", "", []byte(jws))), chunk("tEXt", []byte(legacyKeyword+"\x00https://example.org/a"))))
	opts := &Options{MaxCredentialBytes: 1 << 16}
	f.Fuzz(func(t *testing.T, img []byte) {
		b, err := extractPNG(img, opts)
		if err != nil {
			checkExtractError(t, err)
			return
		}
		// One credential: an OB 3.0 one, or else one OB 2.0 assertion.
		var ob3, ob2 int
		for _, c := range textChunks(t, img) {
			switch c {
			case "iTXt:" + PNGKeyword, "tEXt:" + PNGKeyword, "zTXt:" + PNGKeyword:
				ob3++
			case "iTXt:" + legacyKeyword, "tEXt:" + legacyKeyword:
				ob2++
			}
		}
		if ob3 > 1 || ob3 == 0 && ob2 > 1 {
			t.Fatalf("accepted a PNG with %d credential and %d legacy chunks: %v", ob3, ob2, textChunks(t, img))
		}
		checkFound(t, img, b, opts)
	})
}

// FuzzExtractSVG: the SVG reader never panics, fails only with documented
// errors, and what it finds can be baked back.
func FuzzExtractSVG(f *testing.F) {
	seeds(f, "testdata/validator/*.svg")
	for _, s := range svgImages {
		f.Add([]byte(s.doc))
	}
	for _, s := range []string{
		`<openbadges:credential><![CDATA[{"a":"]]]]><![CDATA[>"}]]></openbadges:credential>`,
		`<openbadges:credential verify="eyJh&#46;eyJi.c2ln"/>`,
		` <openbadges:credential> {"a": <![CDATA["<b>"]]>&#x7d; </openbadges:credential>`,
		`<g><openbadges:credential>{&quot;a&quot;:1}</openbadges:credential></g>`,
		`<openbadges:credential verify="x">{}<y/></openbadges:credential>`,
		`<openbadges:credential verify="` + jws + `"/><g><openbadges:credential>{}</openbadges:credential></g>`,
	} {
		f.Add(svg(s))
	}
	f.Add([]byte(`<!DOCTYPE svg [<!ENTITY a "b">]><svg>&a;</svg>`))
	f.Add([]byte(`<svg xmlns:openbadges="http://openbadges.org"><openbadges:assertion verify="https://x.org/1"/></svg>`))
	f.Add([]byte(`<svg xmlns:openbadges="http://openbadges.org"><openbadges:assertion verify="https://x.org/1"><![CDATA[{"id":"https://x.org/1"}]]></openbadges:assertion></svg>`))
	f.Add([]byte(`<svg xmlns:openbadges="http://openbadges.org"><openbadges:assertion verify="` + jws + `">{}</openbadges:assertion></svg>`))
	seeds(f, "testdata/ob20/*.svg")
	opts := &Options{MaxCredentialBytes: 1 << 16}
	f.Fuzz(func(t *testing.T, img []byte) {
		b, err := extractSVG(img, opts)
		if err != nil {
			checkExtractError(t, err)
			return
		}
		checkFound(t, img, b, opts)
	})
}

// FuzzBake: any credential that bakes comes back exactly (SVG: with XML's
// line ends), and baking twice is baking once.
func FuzzBake(f *testing.F) {
	for _, c := range credentials {
		f.Add([]byte(c.cred), false)
		f.Add([]byte(c.cred), true)
	}
	f.Add([]byte("{\"a\":\"\r]]>\uffff\"}"), true)
	images := [][]byte{newPNG(f), []byte(`<svg xmlns:openbadges="http://openbadges.org"><openbadges:assertion/></svg>`)}
	f.Fuzz(func(t *testing.T, cred []byte, toSVG bool) {
		img := images[0]
		if toSVG {
			img = images[1]
		}
		out, err := Bake(img, cred, nil)
		if err != nil {
			if !errors.Is(err, ErrNotCredential) && !errors.Is(err, ErrSizeLimit) && !bytes.Contains([]byte(err.Error()), []byte("XML cannot carry")) {
				t.Fatalf("undocumented error: %v", err)
			}
			return
		}
		want := trimCredential(cred)
		if toSVG {
			want = normalizeNewlines(want)
		}
		b, err := Extract(out, nil)
		if err != nil || b.Legacy || !bytes.Equal(b.Credential, want) {
			t.Fatalf("Extract: %v %+v, want %q", err, b, want)
		}
		again, err := Bake(out, cred, nil)
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("baking twice differs (%v)", err)
		}
	})
}
