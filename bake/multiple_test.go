package bake

import (
	"bytes"
	"errors"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestExtractMultiple: an image that holds two credentials is refused with
// an *ImageError wrapping ErrMultiple that points at the second, whichever
// chunk types or element prefixes they use, whether they agree or not, and
// even when the first is broken.
func TestExtractMultiple(t *testing.T) {
	pngImg := newPNG(t)
	const ihdrEnd = 33 // signature (8) and IHDR (25): where withChunks(..., true, ...) inserts
	ob3 := chunk("iTXt", iTXt(PNGKeyword, 0, 0, "", "", []byte(jws)))
	other := chunk("iTXt", iTXt(PNGKeyword, 0, 0, "", "", []byte(`{"id":"urn:other"}`)))
	zipped := chunk("iTXt", iTXt(PNGKeyword, 1, 0, "en", "Badge", []byte(`{"id":"urn:other"}`)))
	broken := chunk("iTXt", iTXt(PNGKeyword, 0, 0, "", "", []byte("nonsense")))
	text := chunk("tEXt", []byte(PNGKeyword+"\x00"+`{"id":"urn:other"}`))
	ztext := chunk("zTXt", []byte(PNGKeyword+"\x00\x00x"))
	legacyJSON := chunk("iTXt", iTXt(legacyKeyword, 0, 0, "", "", []byte(`{"type":"Assertion"}`)))
	legacyURL := chunk("tEXt", []byte(legacyKeyword+"\x00https://example.org/a/1"))

	// The last chunk before IEND of a withChunks(..., false, ...) image.
	beforeIEND := func(img, c []byte) int { return len(img) - 12 - len(c) }
	twoAtEnds := withChunks(t, withChunks(t, pngImg, false, other), true, ob3)

	const ob3Elem = `<openbadges:credential verify="` + jws + `"/>`
	const otherElem = `<ob:credential xmlns:ob="` + SVGNamespace + `"><![CDATA[{"id":"urn:other"}]]></ob:credential>`
	svgNested := svg(ob3Elem + `<g><metadata>` + otherElem + `</metadata></g>`)
	svgBroken := svg(`<openbadges:credential verify="x"><y/></openbadges:credential>` + ob3Elem)
	svgLegacy := []byte(`<svg xmlns:o2="http://openbadges.org"><o2:assertion verify="https://x.org/1"/><o2:assertion><![CDATA[{"a":1}]]></o2:assertion></svg>`)
	at := func(img []byte, elem string, n int) int64 {
		off := 0
		for range n {
			off += bytes.Index(img[off:], []byte(elem)) + 1
		}
		return int64(off - 1)
	}

	pngErr := func(first, second string, firstAt, secondAt int, kw string) *ImageError {
		return &ImageError{
			Format: FormatPNG,
			Offset: int64(secondAt),
			Reason: "two chunks with keyword " + kw + " (" + first + " at byte " + strconv.Itoa(firstAt) + ", " + second + " at byte " + strconv.Itoa(secondAt) + ")",
			Err:    ErrMultiple,
		}
	}
	svgErr := func(what string, first, second int64) *ImageError {
		return &ImageError{
			Format: FormatSVG,
			Offset: second,
			Reason: "two " + what + " (at bytes " + strconv.FormatInt(first, 10) + " and " + strconv.FormatInt(second, 10) + ")",
			Err:    ErrMultiple,
		}
	}
	const (
		credElems   = "<credential> elements in namespace https://purl.imsglobal.org/ob/v3p0"
		legacyElems = "Open Badges 2.0 <assertion> elements in namespace http://openbadges.org"
	)

	for _, c := range []struct {
		name string
		img  []byte
		want *ImageError
	}{
		{"PNG the same credential twice", withChunks(t, pngImg, true, ob3, ob3),
			pngErr("iTXt", "iTXt", ihdrEnd, ihdrEnd+len(ob3), PNGKeyword)},
		{"PNG two credentials", withChunks(t, pngImg, true, ob3, other),
			pngErr("iTXt", "iTXt", ihdrEnd, ihdrEnd+len(ob3), PNGKeyword)},
		{"PNG one after IHDR, one before IEND", twoAtEnds,
			pngErr("iTXt", "iTXt", ihdrEnd, beforeIEND(twoAtEnds, other), PNGKeyword)},
		{"PNG compressed and uncompressed", withChunks(t, pngImg, true, zipped, ob3),
			pngErr("iTXt", "iTXt", ihdrEnd, ihdrEnd+len(zipped), PNGKeyword)},
		{"PNG the first broken", withChunks(t, pngImg, true, broken, ob3),
			pngErr("iTXt", "iTXt", ihdrEnd, ihdrEnd+len(broken), PNGKeyword)},
		{"PNG iTXt and tEXt", withChunks(t, pngImg, true, ob3, text),
			pngErr("iTXt", "tEXt", ihdrEnd, ihdrEnd+len(ob3), PNGKeyword)},
		{"PNG tEXt and iTXt", withChunks(t, pngImg, true, text, ob3),
			pngErr("tEXt", "iTXt", ihdrEnd, ihdrEnd+len(text), PNGKeyword)},
		{"PNG zTXt and iTXt", withChunks(t, pngImg, true, ztext, ob3),
			pngErr("zTXt", "iTXt", ihdrEnd, ihdrEnd+len(ztext), PNGKeyword)},
		{"PNG two legacy, no credential", withChunks(t, pngImg, true, legacyJSON, legacyURL),
			pngErr("iTXt", "tEXt", ihdrEnd, ihdrEnd+len(legacyJSON), legacyKeyword)},
		{"SVG two credentials", svg(ob3Elem + otherElem),
			svgErr(credElems, at(svg(ob3Elem+otherElem), "<openbadges:credential", 1), at(svg(ob3Elem+otherElem), "<ob:credential", 1))},
		{"SVG one nested deep", svgNested,
			svgErr(credElems, at(svgNested, "<openbadges:credential", 1), at(svgNested, "<ob:credential", 1))},
		{"SVG the first broken", svgBroken,
			svgErr(credElems, at(svgBroken, "<openbadges:credential", 1), at(svgBroken, "<openbadges:credential", 2))},
		{"SVG two legacy, no credential", svgLegacy,
			svgErr(legacyElems, at(svgLegacy, "<o2:assertion", 1), at(svgLegacy, "<o2:assertion", 2))},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, err := Extract(c.img, nil)
			if got != nil {
				t.Errorf("Extract returned %+v", got)
			}
			if !errors.Is(err, ErrMultiple) {
				t.Fatalf("error %v does not wrap ErrMultiple", err)
			}
			var ie *ImageError
			if !errors.As(err, &ie) {
				t.Fatalf("error %T is not an *ImageError", err)
			}
			if d := cmp.Diff(*c.want, *ie, cmpopts.EquateErrors()); d != "" {
				t.Errorf("error (-want +got):\n%s", d)
			}
		})
	}
}

// TestBakeReplacesMultiple: baking into an image that holds several
// credentials replaces them all, so the result holds the one baked.
func TestBakeReplacesMultiple(t *testing.T) {
	two := chunk("iTXt", iTXt(PNGKeyword, 0, 0, "", "", []byte(`{"id":"urn:one"}`)))
	text := chunk("tEXt", []byte(PNGKeyword+"\x00"+`{"id":"urn:two"}`))
	const cred = `{"id":"urn:new"}`
	for _, c := range []struct {
		name string
		img  []byte
	}{
		{"PNG", withChunks(t, newPNG(t), false, two, text, two)},
		{"SVG", svg(`<openbadges:credential verify="` + jws + `"/><g><openbadges:credential>{"id":"urn:two"}</openbadges:credential></g>`)},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if _, err := Extract(c.img, nil); !errors.Is(err, ErrMultiple) {
				t.Fatalf("Extract before baking: %v, want ErrMultiple", err)
			}
			out, err := Bake(c.img, []byte(cred), nil)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Extract(out, nil)
			if err != nil {
				t.Fatal(err)
			}
			format := FormatPNG
			if c.name == "SVG" {
				format = FormatSVG
			}
			if d := cmp.Diff(&Baked{Format: format, Kind: KindJSON, Credential: []byte(cred)}, got); d != "" {
				t.Errorf("Extract(Bake(...)) (-want +got):\n%s", d)
			}
		})
	}
}
