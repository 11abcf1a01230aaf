package bake

import (
	"bytes"
	"errors"
	"image/png"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const (
	ob3NS = `xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"`
	jws   = "eyJhbGciOiJFZERTQSJ9.eyJpZCI6InVybjp4In0.c2lnbmF0dXJl"
)

// svgImages are unbaked SVGs of the shapes a baker meets.
// rest, when set, is the document a baked copy must equal once the
// credential element and namespace declaration are taken out again.
var svgImages = []struct{ name, doc, rest string }{
	{"plain", `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>`, ""},
	{"self-closing root", `<svg xmlns="http://www.w3.org/2000/svg"/>`, `<svg xmlns="http://www.w3.org/2000/svg"></svg>`},
	{"self-closing root with space", "<svg xmlns=\"http://www.w3.org/2000/svg\"\n/>\n", "<svg xmlns=\"http://www.w3.org/2000/svg\"\n></svg>\n"},
	{"no namespace", `<svg><g/></svg>`, ""},
	{"BOM, declaration, comments", "\ufeff<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- made by hand -->\n<?pi x?>\n<svg xmlns=\"http://www.w3.org/2000/svg\">\r\n  <g/>\r\n</svg>\r\n<!-- the end -->\n", ""},
	{"external DOCTYPE", "<?xml version=\"1.0\"?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n<svg xmlns=\"http://www.w3.org/2000/svg\"><text>&amp;&#233;</text></svg>", ""},
	{"prefixed root", `<s:svg xmlns:s="http://www.w3.org/2000/svg" ><s:g/></s:svg>`, ""},
	{"multi-line start tag", "<svg\n  xmlns=\"http://www.w3.org/2000/svg\"\n  width=\"10\"\n>\n<g/></svg>", ""},
	{"ascii declaration", `<?xml version="1.0" encoding="US-ASCII"?><svg/>`, `<?xml version="1.0" encoding="US-ASCII"?><svg></svg>`},
}

// credentials are what the round trips bake.
var credentials = []struct{ name, cred string }{
	{"JWS", jws},
	{"compact JSON", `{"id":"urn:x","name":"Badge"}`},
	{"pretty JSON", "{\n  \"id\": \"urn:x\",\n\t\"name\": \"Bädge ✓ 𝄞\"\n}"},
	{"JSON with ]]>", `{"a":"]]>","b":"]]]]>>","c":"x]]"}`},
	{"JSON with markup", `{"a":"<svg>&amp;</svg>","b":"<![CDATA[x"}`},
	{"JSON with escapes", `{"a":"\u0000\r\n\"\\"}`},
}

// TestRoundTrip bakes every credential into every image: extraction gives
// the exact bytes back, baking again changes nothing, and everything but
// the inserted element (and namespace declaration) is byte-identical.
func TestRoundTrip(t *testing.T) {
	type image struct {
		name       string
		data, rest []byte
	}
	images := []image{{"png", newPNG(t), nil}}
	for _, s := range svgImages {
		rest := s.rest
		if rest == "" {
			rest = s.doc
		}
		images = append(images, image{"svg " + s.name, []byte(s.doc), []byte(rest)})
	}
	for _, img := range images {
		for _, c := range credentials {
			t.Run(img.name+"/"+c.name, func(t *testing.T) {
				t.Parallel()
				out, err := Bake(img.data, []byte(c.cred), nil)
				if err != nil {
					t.Fatal(err)
				}
				got, err := Extract(out, nil)
				if err != nil {
					t.Fatal(err)
				}
				kind := KindJSON
				if c.cred == jws {
					kind = KindJWS
				}
				format := FormatSVG
				if img.name == "png" {
					format = FormatPNG
				}
				want := &Baked{Format: format, Kind: kind, Credential: []byte(c.cred)}
				if d := cmp.Diff(want, got); d != "" {
					t.Errorf("Extract(Bake(...)) (-want +got):\n%s", d)
				}
				again, err := Bake(out, []byte(c.cred), nil)
				if err != nil || !bytes.Equal(again, out) {
					t.Errorf("baking twice is not baking once (%v)", err)
				}
				if format == FormatPNG {
					checkPNG(t, out, img.data)
					return
				}
				// Remove what SVG added: the rest must be the original.
				elem := `<openbadges:credential verify="` + c.cred + `"></openbadges:credential>`
				if kind == KindJSON {
					elem = "<openbadges:credential><![CDATA[" + strings.ReplaceAll(c.cred, "]]>", "]]]]><![CDATA[>") + "]]></openbadges:credential>"
				}
				// The declaration comes with a space unless one is there.
				rest := strings.Replace(string(out), elem, "", 1)
				withSpace, without := strings.Replace(rest, " "+ob3NS, "", 1), strings.Replace(rest, ob3NS, "", 1)
				if withSpace != string(img.rest) && without != string(img.rest) {
					t.Errorf("the rest of the SVG changed:\n got %q\nwant %q", rest, img.rest)
				}
			})
		}
	}
}

// checkPNG: the baked PNG decodes to the same pixels, holds one credential
// chunk right after IHDR, and keeps every other chunk byte for byte.
func checkPNG(t *testing.T, out, orig []byte) {
	t.Helper()
	a, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("image/png cannot decode the baked PNG: %v", err)
	}
	b, _ := png.Decode(bytes.NewReader(orig))
	if !a.Bounds().Eq(b.Bounds()) || a.At(1, 1) != b.At(1, 1) {
		t.Error("the pixels changed")
	}
	rawOut, typesOut := chunksOf(t, out)
	rawIn, _ := chunksOf(t, orig)
	if typesOut[1] != "iTXt" || !bytes.HasPrefix(rawOut[1][8:], []byte(PNGKeyword+"\x00\x00\x00\x00\x00")) {
		t.Errorf("the second chunk is not an uncompressed openbadgecredential iTXt: %q", rawOut[1][:min(len(rawOut[1]), 40)])
	}
	rawOut = append(rawOut[:1], rawOut[2:]...)
	if d := cmp.Diff(rawIn, rawOut); d != "" {
		t.Errorf("the other chunks changed (-orig +baked):\n%s", d)
	}
}

// TestBakeTrims: surrounding whitespace and a byte order mark are not part
// of a credential; what is baked is what is extracted.
func TestBakeTrims(t *testing.T) {
	for _, img := range [][]byte{newPNG(t), []byte("<svg/>")} {
		out, err := Bake(img, []byte("\ufeff \r\n"+jws+"\n\n"), nil)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(out, []byte(jws)) || bytes.Contains(out, []byte(jws+"\n")) {
			t.Errorf("whitespace was baked")
		}
		if got, err := Extract(out, nil); err != nil || string(got.Credential) != jws {
			t.Errorf("Extract: %v %+v", err, got)
		}
	}
}

// TestSVGLineEnds: XML reads CR LF as LF, so SVG bakes LF and Extract
// agrees with every XML reader. PNG carries CRs untouched.
func TestSVGLineEnds(t *testing.T) {
	cred := "{\r\n  \"a\": 1,\r  \"b\": 2\r\n}"
	out, err := SVG([]byte("<svg/>"), []byte(cred), nil)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.ContainsRune(out, '\r') {
		t.Errorf("the baked SVG holds a CR: %q", out)
	}
	got, err := Extract(out, nil)
	if err != nil || string(got.Credential) != "{\n  \"a\": 1,\n  \"b\": 2\n}" {
		t.Errorf("Extract: %v %+v", err, got)
	}
	out, err = PNG(newPNG(t), []byte(cred), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := Extract(out, nil); err != nil || string(got.Credential) != cred {
		t.Errorf("PNG Extract: %v %+v", err, got)
	}
}

// TestPNGReplace bakes into the 1EdTech fixture, whose credential sits
// before IEND: it is removed and the new one goes after IHDR, once. OB 2.0
// chunks go too, unless KeepLegacy.
func TestPNGReplace(t *testing.T) {
	fixture := readFile(t, "testdata/validator/simple-json.png")
	legacy := chunk("iTXt", iTXt(legacyKeyword, 0, 0, "", "", []byte(`{"type":"Assertion"}`)))
	hosted := chunk("tEXt", []byte(legacyKeyword+"\x00https://example.org/assertion/1"))
	textOnly := chunk("tEXt", []byte(PNGKeyword+"\x00"+jws))
	img := withChunks(t, fixture, false, legacy, hosted, textOnly, chunk("iTXt", iTXt(PNGKeyword, 1, 0, "en", "x", []byte(jws))))
	base := []string{"tEXt:date:create", "tEXt:date:modify"}
	tests := []struct {
		name string
		opts *Options
		want []string
	}{
		{"default", nil, append([]string{"iTXt:" + PNGKeyword}, base...)},
		{"keep legacy", &Options{KeepLegacy: true}, append(append([]string{"iTXt:" + PNGKeyword}, base...), "iTXt:openbadges", "tEXt:openbadges")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := PNG(append(img, "trailing junk"...), []byte(jws), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, textChunks(t, out)); d != "" {
				t.Errorf("text chunks (-want +got):\n%s", d)
			}
			_, types := chunksOf(t, out)
			if types[1] != "iTXt" {
				t.Errorf("chunk order %v: the credential is not right after IHDR", types)
			}
			if !bytes.HasSuffix(out, []byte("IEND\xaeB`\x82")) {
				t.Error("bytes after IEND were kept")
			}
			if _, err := png.Decode(bytes.NewReader(out)); err != nil {
				t.Errorf("image/png: %v", err)
			}
		})
	}
}

// TestSVGReplace: existing credential elements go, wherever they are and
// whatever their prefix; OB 2.0 assertions go unless KeepLegacy; a root
// that binds "openbadges" to OB 2.0 keeps that binding and the new element
// declares its own.
func TestSVGReplace(t *testing.T) {
	const doc = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">` +
		`<openbadges:assertion verify="https://example.org/a/1"></openbadges:assertion>` +
		`<g><ob:credential xmlns:ob="https://purl.imsglobal.org/ob/v3p0">{"old":1}</ob:credential></g>` +
		`<x:credential xmlns:x="https://purl.imsglobal.org/ob/v3p0" verify="broken"><child/></x:credential></svg>`
	tests := []struct {
		name string
		opts *Options
		want string
	}{
		{"default", nil, `<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">` +
			`<openbadges:credential ` + ob3NS + ` verify="` + jws + `"></openbadges:credential><g></g></svg>`},
		{"keep legacy", &Options{KeepLegacy: true}, `<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">` +
			`<openbadges:credential ` + ob3NS + ` verify="` + jws + `"></openbadges:credential>` +
			`<openbadges:assertion verify="https://example.org/a/1"></openbadges:assertion><g></g></svg>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, err := SVG([]byte(doc), []byte(jws), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != tt.want {
				t.Errorf("got\n%s\nwant\n%s", out, tt.want)
			}
		})
	}
	// The same root, bound to OB 3.0 already: no second declaration.
	out, err := SVG([]byte(`<svg `+ob3NS+`/>`), []byte(jws), nil)
	if err != nil || strings.Count(string(out), "xmlns:openbadges") != 1 {
		t.Errorf("%v %s", err, out)
	}
}

// TestExtract covers what images hold, well or badly.
func TestExtract(t *testing.T) {
	pngImg := newPNG(t)
	cred := []byte(jws)
	ob3 := func(text string) []byte { return chunk("iTXt", iTXt(PNGKeyword, 0, 0, "", "", []byte(text))) }
	baked, _ := PNG(pngImg, cred, nil)
	badCRC := bytes.Clone(baked)
	badCRC[len(pngSignature)+25+10] ^= 1 // inside the credential chunk's data
	raw, _ := chunksOf(t, pngImg)
	noIEND := bytes.Join(append([][]byte{pngSignature}, raw[:len(raw)-1]...), nil)
	huge := binary32(0x80000000)

	tests := []struct {
		name  string
		img   []byte
		opts  *Options
		want  *Baked // nil when an error is expected
		class string // errorClass of the error
		msg   string // substring of the error
	}{
		// Neither PNG nor SVG.
		{"empty", nil, nil, nil, "unknown format", "the file is empty"},
		{"JPEG", []byte("\xff\xd8\xff\xe0\x00\x10JFIF"), nil, nil, "unknown format", "JPEG"},
		{"GIF", []byte("GIF89a..."), nil, nil, "unknown format", "GIF"},
		{"a credential", []byte("  " + jws + "\n"), nil, nil, "unknown format", "looks like a credential"},
		{"text", []byte("hello"), nil, nil, "unknown format", "starts with bytes 68 65 6c 6c 6f"},
		{"UTF-16", []byte("\xff\xfe<\x00s\x00"), nil, nil, "unknown format", "UTF-16"},
		{"HTML", []byte("<!DOCTYPE html><html><body><svg/></body></html>"), nil, nil, "not baked", "the HTML page has no <script> element of type application/vc"},
		{"XML without root", []byte("<!-- nothing -->"), nil, nil, "unknown format", "no root element"},
		{"too large", pngImg, &Options{MaxImageBytes: 10}, nil, "too large", "the limit of 10"},

		// PNG.
		{"PNG", baked, nil, &Baked{Format: FormatPNG, Kind: KindJWS, Credential: cred}, "", ""},
		{"PNG unbaked", pngImg, nil, nil, "not baked", "no iTXt chunk with keyword openbadgecredential"},
		{"PNG credential before IEND", withChunks(t, pngImg, false, ob3(jws)), nil, &Baked{Format: FormatPNG, Kind: KindJWS, Credential: cred}, "", ""},
		{"PNG two credentials", withChunks(t, pngImg, true, ob3(jws), ob3(`{"second":true}`)), nil, nil, "multiple", "two chunks with keyword openbadgecredential"},
		{"PNG first of two is broken", withChunks(t, pngImg, true, ob3("nonsense"), ob3(jws)), nil, nil, "multiple", "two chunks with keyword openbadgecredential"},
		{"PNG whitespace trimmed", withChunks(t, pngImg, true, ob3("\r\n "+jws+" \n")), nil, &Baked{Format: FormatPNG, Kind: KindJWS, Credential: cred}, "", ""},
		{"PNG JSON", withChunks(t, pngImg, true, ob3(`{"a":[1]}`)), nil, &Baked{Format: FormatPNG, Kind: KindJSON, Credential: []byte(`{"a":[1]}`)}, "", ""},
		{"PNG JSON array", withChunks(t, pngImg, true, ob3(`[{"a":1}]`)), nil, nil, "image", "is not valid"},
		{"PNG broken JSON", withChunks(t, pngImg, true, ob3(`{"a":`)), nil, nil, "image", "is not valid"},
		{"PNG JWS with padding", withChunks(t, pngImg, true, ob3("eyJh.eyJi.c2ln==")), nil, nil, "image", "is not valid"},
		{"PNG empty text", withChunks(t, pngImg, true, ob3("  ")), nil, nil, "image", "is empty"},
		{"PNG text not UTF-8", withChunks(t, pngImg, true, ob3("{\"a\":\"\xff\"}")), nil, nil, "image", "not UTF-8"},
		{"PNG compressed", withChunks(t, pngImg, true, chunk("iTXt", iTXt(PNGKeyword, 1, 0, "en", "Badge", cred))), nil, &Baked{Format: FormatPNG, Kind: KindJWS, Credential: cred}, "", ""},
		{"PNG compression bomb", withChunks(t, pngImg, true, chunk("iTXt", iTXt(PNGKeyword, 1, 0, "", "", bytes.Repeat([]byte(" "), 1<<20)))), &Options{MaxCredentialBytes: 1000}, nil, "too large", "inflates to more than the limit of 1000"},
		{"PNG credential too large", withChunks(t, pngImg, true, ob3(`{"a":"`+strings.Repeat("x", 1000)+`"}`)), &Options{MaxCredentialBytes: 1000}, nil, "too large", "1008 bytes"},
		{"PNG bad zlib", withChunks(t, pngImg, true, chunk("iTXt", append(iTXt(PNGKeyword, 0, 0, "", "", nil)[:len(PNGKeyword)+1], "\x01\x00\x00\x00not zlib"...))), nil, nil, "image", "compressed text"},
		{"PNG compression flag 2", withChunks(t, pngImg, true, chunk("iTXt", iTXt(PNGKeyword, 2, 0, "", "", cred))), nil, nil, "image", "compression flag is 2"},
		{"PNG compression method 1", withChunks(t, pngImg, true, chunk("iTXt", iTXt(PNGKeyword, 1, 1, "", "", cred))), nil, nil, "image", "unknown compression method 1"},
		{"PNG iTXt truncated", withChunks(t, pngImg, true, chunk("iTXt", []byte(PNGKeyword+"\x00\x00\x00en"))), nil, nil, "image", "no NUL after the language tag"},
		{"PNG tEXt only", withChunks(t, pngImg, true, chunk("tEXt", []byte(PNGKeyword+"\x00"+jws))), nil, nil, "not baked", "tEXt chunk with keyword openbadgecredential"},
		{"PNG keyword case", withChunks(t, pngImg, true, chunk("iTXt", iTXt("OpenBadgeCredential", 0, 0, "", "", cred))), nil, nil, "not baked", ""},
		{"PNG bad CRC", badCRC, nil, nil, "image", "iTXt chunk CRC is"},
		{"PNG truncated", baked[:len(baked)-30], nil, nil, "image", "data bytes declared"},
		{"PNG truncated header", baked[:len(pngSignature)+5], nil, nil, "image", "truncated chunk header"},
		{"PNG no IEND", noIEND, nil, nil, "image", "truncated: no IEND chunk"},
		{"PNG signature only", pngSignature, nil, nil, "image", "no IEND"},
		{"PNG signature mangled", append([]byte("\x89PNG\r\r\n\x1a\n"), baked[8:]...), nil, nil, "image", "copied as text"},
		{"PNG first chunk not IHDR", bytes.Join([][]byte{pngSignature, chunk("tEXt", []byte("a\x00b")), raw[0], raw[len(raw)-1]}, nil), nil, nil, "image", "first chunk is tEXt"},
		{"PNG chunk length too large", append(bytes.Clone(baked[:33]), append(huge, "IDATdata"...)...), nil, nil, "image", "larger than PNG allows"},
		{"PNG bad chunk type", bytes.Join([][]byte{pngSignature, raw[0], chunk("iT1t", nil), raw[len(raw)-1]}, nil), nil, nil, "image", `invalid chunk type "iT1t"`},
		{"PNG IEND with data", bytes.Join([][]byte{pngSignature, raw[0], chunk("IEND", []byte("x"))}, nil), nil, nil, "image", "IEND chunk has data"},
		{"PNG after IEND ignored", append(bytes.Clone(pngImg), ob3(jws)...), nil, nil, "not baked", ""},
		{"PNG junk after IEND", append(bytes.Clone(baked), "junk"...), nil, &Baked{Format: FormatPNG, Kind: KindJWS, Credential: cred}, "", ""},
		{"PNG legacy JSON", withChunks(t, pngImg, true, chunk("iTXt", iTXt(legacyKeyword, 0, 0, "", "", []byte(`{"type":"Assertion"}`)))), nil, &Baked{Format: FormatPNG, Kind: KindJSON, Legacy: true, Credential: []byte(`{"type":"Assertion"}`)}, "", ""},
		{"PNG legacy hosted URL", withChunks(t, pngImg, true, chunk("tEXt", []byte(legacyKeyword+"\x00https://example.org/a/1"))), nil, &Baked{Format: FormatPNG, Kind: KindURL, Legacy: true, Credential: []byte("https://example.org/a/1"), HostedURL: "https://example.org/a/1"}, "", ""},
		{"PNG legacy garbage", withChunks(t, pngImg, true, chunk("tEXt", []byte(legacyKeyword+"\x00what"))), nil, nil, "image", "Open Badges 2.0 data is not valid"},
		{"PNG OB 3.0 wins over legacy", withChunks(t, pngImg, true, chunk("tEXt", []byte(legacyKeyword+"\x00what")), ob3(jws)), nil, &Baked{Format: FormatPNG, Kind: KindJWS, Credential: cred}, "", ""},
		{"PNG OB 3.0 wins over two legacy", withChunks(t, pngImg, true, chunk("tEXt", []byte(legacyKeyword+"\x00https://example.org/a/1")), chunk("tEXt", []byte(legacyKeyword+"\x00https://example.org/a/2")), ob3(jws)), nil, &Baked{Format: FormatPNG, Kind: KindJWS, Credential: cred}, "", ""},
		{"PNG legacy zTXt ignored", withChunks(t, pngImg, true, chunk("zTXt", []byte(legacyKeyword+"\x00\x00x")), chunk("tEXt", []byte(legacyKeyword+"\x00https://example.org/a/1"))), nil, &Baked{Format: FormatPNG, Kind: KindURL, Legacy: true, Credential: []byte("https://example.org/a/1"), HostedURL: "https://example.org/a/1"}, "", ""},

		// SVG.
		{"SVG JSON", svg(`<openbadges:credential><![CDATA[{"a":1}]]></openbadges:credential>`), nil, &Baked{Format: FormatSVG, Kind: KindJSON, Credential: []byte(`{"a":1}`)}, "", ""},
		{"SVG JWS", svg(`<openbadges:credential verify="` + jws + `"/>`), nil, &Baked{Format: FormatSVG, Kind: KindJWS, Credential: cred}, "", ""},
		{"SVG other prefix", []byte(`<svg xmlns:ob="` + SVGNamespace + `"><ob:credential verify="` + jws + `"/></svg>`), nil, &Baked{Format: FormatSVG, Kind: KindJWS, Credential: cred}, "", ""},
		{"SVG default namespace", []byte(`<svg><credential xmlns="` + SVGNamespace + `">{"a":1}</credential></svg>`), nil, &Baked{Format: FormatSVG, Kind: KindJSON, Credential: []byte(`{"a":1}`)}, "", ""},
		{"SVG right prefix, wrong namespace", []byte(`<svg xmlns:openbadges="https://example.org/ob"><openbadges:credential verify="` + jws + `"/></svg>`), nil, nil, "not baked", "no <credential> element in namespace https://purl.imsglobal.org/ob/v3p0"},
		{"SVG undeclared prefix", []byte(`<svg><openbadges:credential verify="` + jws + `"/></svg>`), nil, nil, "not baked", ""},
		{"SVG deep and late", svg(`<g><g><openbadges:credential verify="` + jws + `"/></g></g>`), nil, &Baked{Format: FormatSVG, Kind: KindJWS, Credential: cred}, "", ""},
		{"SVG two credentials", svg(`<openbadges:credential verify="` + jws + `"/><openbadges:credential>{}</openbadges:credential>`), nil, nil, "multiple", "two <credential> elements"},
		{"SVG BOM, declaration, comments", []byte("\ufeff<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!-- hi -->\n<svg xmlns:openbadges=\"" + SVGNamespace + "\"><!-- c --><openbadges:credential><!-- c --><![CDATA[{}]]></openbadges:credential></svg>"), nil, &Baked{Format: FormatSVG, Kind: KindJSON, Credential: []byte(`{}`)}, "", ""},
		{"SVG split CDATA", svg(`<openbadges:credential><![CDATA[{"a":"]]]]><![CDATA[>"}]]></openbadges:credential>`), nil, &Baked{Format: FormatSVG, Kind: KindJSON, Credential: []byte(`{"a":"]]>"}`)}, "", ""},
		{"SVG text and CDATA", svg(` <openbadges:credential> {"a": <![CDATA["<b>"]]>&#x7d; </openbadges:credential>`), nil, &Baked{Format: FormatSVG, Kind: KindJSON, Credential: []byte(`{"a": "<b>"}`)}, "", ""},
		{"SVG escaped JSON", svg(`<openbadges:credential>{&quot;a&quot;:&quot;&lt;&amp;&gt;&apos;&quot;}</openbadges:credential>`), nil, &Baked{Format: FormatSVG, Kind: KindJSON, Credential: []byte(`{"a":"<&>'"}`)}, "", ""},
		{"SVG CRLF", svg("<openbadges:credential><![CDATA[{\r\n\"a\":1\r}]]></openbadges:credential>"), nil, &Baked{Format: FormatSVG, Kind: KindJSON, Credential: []byte("{\n\"a\":1\n}")}, "", ""},
		{"SVG character references in verify", svg(`<openbadges:credential verify="eyJh&#46;eyJi&#x2e;c2ln"/>`), nil, &Baked{Format: FormatSVG, Kind: KindJWS, Credential: []byte("eyJh.eyJi.c2ln")}, "", ""},
		{"SVG entity in verify", svg(`<openbadges:credential verify="eyJh.&amp;.c2ln"/>`), nil, nil, "image", "the baked credential is not valid"},
		{"SVG undefined entity", svg(`<openbadges:credential verify="&jws;"/>`), nil, nil, "image", "invalid character entity &jws;"},
		{"SVG verify and content", svg(`<openbadges:credential verify="` + jws + `">{}</openbadges:credential>`), nil, nil, "image", "both a verify attribute and content"},
		{"SVG JSON in verify", svg(`<openbadges:credential verify="{}"/>`), nil, nil, "image", "verify attribute holds JSON"},
		{"SVG JWS in content", svg(`<openbadges:credential>` + jws + `</openbadges:credential>`), nil, nil, "image", "a JWS belongs in the verify attribute"},
		{"SVG empty element", svg(`<openbadges:credential/>`), nil, nil, "image", "is empty"},
		{"SVG empty verify", svg(`<openbadges:credential verify=""/>`), nil, nil, "image", "is empty"},
		{"SVG child element", svg(`<openbadges:credential><x/>{}</openbadges:credential>`), nil, nil, "image", "contains an element"},
		{"SVG two verify attributes", svg(`<openbadges:credential verify="` + jws + `" verify="eyJh.eyJi.c2ln"/>`), nil, nil, "image", "two verify attributes"},
		{"SVG credential too large", svg(`<openbadges:credential>{"a":"` + strings.Repeat("x", 100) + `"}</openbadges:credential>`), &Options{MaxCredentialBytes: 100}, nil, "too large", "108 bytes"},
		{"SVG unbaked", []byte(`<svg/>`), nil, nil, "not baked", ""},
		{"SVG legacy", []byte(`<svg xmlns:openbadges="http://openbadges.org"><openbadges:assertion verify="https://example.org/a/1"/></svg>`), nil, &Baked{Format: FormatSVG, Kind: KindURL, Legacy: true, Credential: []byte("https://example.org/a/1"), HostedURL: "https://example.org/a/1"}, "", ""},
		{"SVG legacy JSON", []byte(`<svg xmlns:openbadges="http://openbadges.org"><openbadges:assertion><![CDATA[{"a":1}]]></openbadges:assertion></svg>`), nil, &Baked{Format: FormatSVG, Kind: KindJSON, Legacy: true, Credential: []byte(`{"a":1}`)}, "", ""},
		{"SVG OB 3.0 wins over legacy", []byte(`<svg xmlns:o2="http://openbadges.org" xmlns:o3="` + SVGNamespace + `"><o2:assertion verify="https://x.org/1"/><o3:credential verify="` + jws + `"/></svg>`), nil, &Baked{Format: FormatSVG, Kind: KindJWS, Credential: cred}, "", ""},
		{"SVG OB 3.0 wins over two legacy", []byte(`<svg xmlns:o2="http://openbadges.org" xmlns:o3="` + SVGNamespace + `"><o2:assertion verify="https://x.org/1"/><o2:assertion verify="https://x.org/2"/><o3:credential verify="` + jws + `"/></svg>`), nil, &Baked{Format: FormatSVG, Kind: KindJWS, Credential: cred}, "", ""},

		// SVG that is refused or broken.
		{"SVG internal subset", []byte(`<!DOCTYPE svg [<!ELEMENT svg ANY>]><svg/>`), nil, nil, "dtd", "DTD internal subsets are refused"},
		{"SVG billion laughs", []byte(`<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><svg>&lol2;</svg>`), nil, nil, "dtd", ""},
		{"SVG XXE", []byte(`<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><svg xmlns:openbadges="` + SVGNamespace + `"><openbadges:credential>&xxe;</openbadges:credential></svg>`), nil, nil, "dtd", ""},
		{"SVG entity declaration in body", svg(`<!ENTITY x "y">`), nil, nil, "dtd", ""},
		{"SVG two DOCTYPEs", []byte(`<!DOCTYPE svg><!DOCTYPE svg><svg/>`), nil, nil, "image", "unexpected declaration <!DOCTYPE svg>"},
		{"SVG DOCTYPE after root", []byte(`<svg/><!DOCTYPE svg>`), nil, nil, "image", "unexpected declaration"},
		{"SVG other declaration", []byte(`<!ELEMENT svg ANY><svg/>`), nil, nil, "image", "unexpected declaration <!ELEMENT svg ANY>"},
		{"SVG Latin-1", []byte(`<?xml version="1.0" encoding="ISO-8859-1"?><svg/>`), nil, nil, "image", "encoding other than UTF-8"},
		{"SVG invalid UTF-8", []byte("<svg><text>\xff</text></svg>"), nil, nil, "image", "invalid UTF-8"},
		{"SVG unclosed", []byte(`<svg><g>`), nil, nil, "image", "not well-formed XML"},
		{"SVG mismatched", []byte(`<svg><g></svg>`), nil, nil, "image", "not well-formed XML"},
		{"SVG second root", []byte(`<svg/><svg/>`), nil, nil, "image", "a second root element"},
		{"SVG text before root", []byte(`< svg/>`), nil, nil, "image", "not well-formed"},
		{"SVG text after root", []byte(`<svg/>text`), nil, nil, "image", "text outside the root element"},
		{"SVG duplicate root attribute", []byte(`<svg a="1" a="2"/>`), nil, nil, "image", "two a attributes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Extract(tt.img, tt.opts)
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

// svg wraps content in an SVG root that declares the OB 3.0 namespace.
func svg(content string) []byte {
	return []byte(`<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="` + SVGNamespace + `">` + content + `</svg>`)
}

func binary32(n uint32) []byte { return []byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)} }

// TestImageErrorOffset: an *ImageError says where the problem is.
func TestImageErrorOffset(t *testing.T) {
	img := svg(`<g/><openbadges:credential verify="x"/>`)
	_, err := Extract(img, nil)
	var ie *ImageError
	if !errors.As(err, &ie) {
		t.Fatalf("%T %v", err, err)
	}
	if want := int64(bytes.Index(img, []byte("<openbadges:credential"))); ie.Offset != want || ie.Format != FormatSVG || !errors.Is(err, ErrNotCredential) {
		t.Errorf("%+v, want offset %d", ie, want)
	}
	baked, _ := PNG(newPNG(t), []byte(jws), nil)
	baked[50] ^= 0xff
	_, err = Extract(baked, nil)
	if !errors.As(err, &ie) || ie.Offset != 33 || ie.Format != FormatPNG {
		t.Errorf("%v, want a PNG error at byte 33", err)
	}
}

// TestBakeErrors: what cannot be baked, and why.
func TestBakeErrors(t *testing.T) {
	pngImg := newPNG(t)
	tests := []struct {
		name  string
		bake  func(img, cred []byte, opts *Options) ([]byte, error)
		img   string
		cred  string
		opts  *Options
		class string
		msg   string
	}{
		{"empty credential", Bake, "<svg/>", " \n", nil, "not credential", "the credential is empty"},
		{"plain text", Bake, "<svg/>", "hello", nil, "not credential", "not a compact JWS"},
		{"broken JSON", Bake, "<svg/>", `{"a":`, nil, "not credential", "starts with { but is not valid JSON"},
		{"JSON array", Bake, "<svg/>", `[{"a":1}]`, nil, "not credential", ""},
		{"JSON string", Bake, "<svg/>", `"x"`, nil, "not credential", ""},
		{"JWS with two parts", Bake, "<svg/>", "eyJh.eyJi", nil, "not credential", ""},
		{"JWS with empty signature", Bake, "<svg/>", "eyJh.eyJi.", nil, "not credential", ""},
		{"JWS with quote", Bake, "<svg/>", `eyJh.eyJi.c2l"`, nil, "not credential", ""},
		{"not UTF-8", Bake, "<svg/>", "{\"a\":\"\xff\"}", nil, "not credential", "not UTF-8"},
		{"credential too large", Bake, "<svg/>", jws, &Options{MaxCredentialBytes: 10}, "too large", "the credential is 53 bytes, more than the limit of 10"},
		{"image too large", Bake, "<svg/>", jws, &Options{MaxImageBytes: 5}, "too large", "the image is 6 bytes"},
		{"result too large", Bake, "<svg/>", jws, &Options{MaxImageBytes: 60}, "too large", "the baked image would be"},
		{"unknown format", Bake, "GIF89a", jws, nil, "unknown format", "GIF"},
		{"empty image", Bake, "", jws, nil, "unknown format", "empty"},
		{"PNG given SVG", PNG, "<svg/>", jws, nil, "image", "not a PNG image (it looks like SVG)"},
		{"SVG given PNG", SVG, string(pngImg), jws, nil, "image", "not an SVG image (it looks like PNG)"},
		{"SVG given HTML", SVG, "<html/>", jws, nil, "image", "not an SVG image (it looks like HTML)"},
		{"XHTML given SVG", SVG, "<?xml version=\"1.0\"?><html/>", jws, nil, "unknown format", "root element is <html>"},
		{"SVG with internal subset", SVG, `<!DOCTYPE svg [<!ENTITY a "b">]><svg/>`, jws, nil, "dtd", ""},
		{"SVG broken", SVG, `<svg>`, jws, nil, "image", "not well-formed"},
		{"U+FFFF into SVG", SVG, "<svg/>", "{\"a\":\"\uffff\"}", nil, "other", "U+FFFF, which XML cannot carry"},
		{"PNG broken", PNG, string(pngImg[:50]), jws, nil, "image", "truncated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, err := tt.bake([]byte(tt.img), []byte(tt.cred), tt.opts)
			if class := errorClass(err); class != tt.class || out != nil {
				t.Fatalf("error %v (class %q, %d bytes out), want class %q", err, class, len(out), tt.class)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q, want it to contain %q", err, tt.msg)
			}
		})
	}
	// U+FFFF is fine in a PNG.
	if _, err := PNG(pngImg, []byte("{\"a\":\"\uffff\"}"), nil); err != nil {
		t.Errorf("PNG: %v", err)
	}
}

func TestStrings(t *testing.T) {
	got := []string{FormatPNG.String(), FormatSVG.String(), FormatUnknown.String(), KindJSON.String(), KindJWS.String(), KindURL.String(), KindUnknown.String()}
	want := []string{"PNG", "SVG", "unknown", "JSON", "JWS", "URL", "unknown"}
	if d := cmp.Diff(want, got); d != "" {
		t.Error(d)
	}
	e := &ImageError{Format: FormatPNG, Offset: -1, Reason: "r", Err: ErrNotCredential}
	if e.Error() != "bake: PNG: r: bake: not a JSON object or a compact JWS" {
		t.Error(e.Error())
	}
}
