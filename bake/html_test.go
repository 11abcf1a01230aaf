package bake

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/go-openbadges/openbadges/internal/browsertest"
)

// htmlPage is a small certificate page with extra in its head and body.
func htmlPage(head, body string) []byte {
	return []byte("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Certificate</title>\n" + head + "\n</head>\n<body>\n<h1>Certificate</h1>\n" + body + "\n</body>\n</html>\n")
}

// script is a <script> element with the given start tag attributes.
func script(attrs, text string) string { return "<script " + attrs + ">" + text + "</script>" }

func TestDetect(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Format
	}{
		{"\x89PNG\r\n\x1a\n", FormatPNG},
		{"\x89PNG", FormatPNG},
		{"%PDF-1.7\n", FormatPDF},
		{"%PDF-", FormatPDF},
		{"%PDF1.7", FormatUnknown},
		{" %PDF-1.7", FormatUnknown},
		{"<!DOCTYPE html>", FormatHTML},
		{"<!doctype HTML>", FormatHTML},
		{"<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" \"x\">", FormatHTML},
		{"\ufeff \r\n\t<!DOCTYPE html>", FormatHTML},
		{"<!-- made by hand --><!DOCTYPE html>", FormatHTML},
		{"<!-- a --> <!----> \n<html>", FormatHTML},
		{"<html>", FormatHTML},
		{"<HTML lang=en>", FormatHTML},
		{"<html\n>", FormatHTML},
		{"<html/>", FormatHTML},
		{"<html", FormatHTML},
		{"<!DOCTYPE html", FormatHTML},
		{"<!DOCTYPE htmlx>", FormatSVG},
		{"<htmlx>", FormatSVG},
		{"<!-- not closed <html>", FormatSVG},
		{"<?xml version=\"1.0\"?><html/>", FormatSVG},
		{"<svg/>", FormatSVG},
		{"<?xml version=\"1.0\"?>\n<svg/>", FormatSVG},
		{"<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"x\"><svg/>", FormatSVG},
		{"<!-- c --><svg/>", FormatSVG},
		{"", FormatUnknown},
		{"GIF89a", FormatUnknown},
		{"  " + jws, FormatUnknown},
	} {
		if got := Detect([]byte(tt.in)); got != tt.want {
			t.Errorf("Detect(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// htmlCase is a page and what Extract makes of it.
type htmlCase struct {
	name  string
	page  []byte
	opts  *Options
	want  *Baked
	class string // errorClass of the error
	msg   string // substring of the error
}

// htmlCases are the pages a reader meets: the credential scripts of every
// type, and what hides or fakes one.
func htmlCases() []htmlCase {
	const cred = `{"id":"urn:x","name":"Badge"}`
	jsonBaked := &Baked{Format: FormatHTML, Kind: KindJSON, Credential: []byte(cred)}
	jwsBaked := &Baked{Format: FormatHTML, Kind: KindJWS, Credential: []byte(jws)}
	vc := script(`type="application/vc"`, cred)
	return []htmlCase{
		// The four types, and how attributes are written.
		{"application/vc", htmlPage(vc, ""), nil, jsonBaked, "", ""},
		{"application/vc+ld+json", htmlPage(script(`type="application/vc+ld+json"`, cred), ""), nil, jsonBaked, "", ""},
		{"application/vc+jwt", htmlPage(script(`type="application/vc+jwt"`, jws), ""), nil, jwsBaked, "", ""},
		{"application/vc+ld+json+jwt", htmlPage(script(`type="application/vc+ld+json+jwt"`, jws), ""), nil, jwsBaked, "", ""},
		{"type in another case, with parameters", htmlPage(script(`TYPE=" Application/VC+LD+JSON ; charset=utf-8"`, cred), ""), nil, jsonBaked, "", ""},
		{"single quotes", htmlPage(script(`id='c' type='application/vc+jwt'`, jws), ""), nil, jwsBaked, "", ""},
		{"unquoted", htmlPage("<script type=application/vc+jwt>"+jws+"</script>", ""), nil, jwsBaked, "", ""},
		{"upper case tags", htmlPage(`<SCRIPT Type="application/vc">`+cred+`</SCRIPT >`, ""), nil, jsonBaked, "", ""},
		{"other attributes around", htmlPage(script(`id="credential" type="application/vc" data-x='a"b' nonce=x`, cred), ""), nil, jsonBaked, "", ""},
		{"no space before the attribute", htmlPage(`<script/type="application/vc">`+cred+`</script>`, ""), nil, jsonBaked, "", ""},
		{"self-closing start tag", htmlPage(`<script type="application/vc"/>`+cred+`</script>`, ""), nil, jsonBaked, "", ""},
		{"character references in the type", htmlPage(script(`type="application&#47;vc&plus;jwt"`, jws), ""), nil, jwsBaked, "", ""},
		{"hexadecimal reference", htmlPage(script(`type="application&#x2F;vc"`, cred), ""), nil, jsonBaked, "", ""},
		{"in the body", htmlPage("", "<p>Ada</p>"+vc), nil, jsonBaked, "", ""},
		{"whitespace around the text", htmlPage(script(`type="application/vc"`, "\n  "+cred+"\r\n  "), ""), nil, jsonBaked, "", ""},
		{"escaped markup returned as found", htmlPage(script(`type="application/vc"`, `{"a":"\u003c/script\u003e"}`), ""), nil,
			&Baked{Format: FormatHTML, Kind: KindJSON, Credential: []byte(`{"a":"\u003c/script\u003e"}`)}, "", ""},
		{"an end tag that is not the script's", htmlPage(script(`type="application/vc"`, `{"a":"</scripts></script-x>"}`), ""), nil,
			&Baked{Format: FormatHTML, Kind: KindJSON, Credential: []byte(`{"a":"</scripts></script-x>"}`)}, "", ""},
		{"end tag with attributes", htmlPage(`<script type="application/vc">`+cred+`</script foo=">">`, ""), nil, jsonBaked, "", ""},
		{"byte order mark", append([]byte("\ufeff"), htmlPage(vc, "")...), nil, jsonBaked, "", ""},
		{"page starts with <html>", []byte("<html><head>" + vc + "</head></html>"), nil, jsonBaked, "", ""},

		// What is not a credential script.
		{"no script", htmlPage("", "<p>Ada</p>"), nil, nil, "not baked", "the HTML page has no <script> element of type application/vc, application/vc+ld+json, application/vc+jwt or application/vc+ld+json+jwt"},
		{"schema.org markup", htmlPage(script(`type="application/ld+json"`, `{"@context":"https://schema.org","@type":"EducationalOccupationalCredential"}`), ""), nil, nil, "not baked", "no <script>"},
		{"schema.org markup beside the credential", htmlPage(script(`type="application/ld+json"`, `{"@context":"https://schema.org"}`)+vc, ""), nil, jsonBaked, "", ""},
		{"JavaScript", htmlPage(script(`type="module"`, `console.log(1)`)+script("", "x()"), ""), nil, nil, "not baked", ""},
		{"other types", htmlPage(script(`type="application/vc+sd-jwt"`, jws)+script(`type="application/jwt"`, jws)+script(`type="text/vc"`, cred), ""), nil, nil, "not baked", ""},
		{"no type", htmlPage(script("", cred), ""), nil, nil, "not baked", ""},
		{"empty type", htmlPage(script(`type`, cred), ""), nil, nil, "not baked", ""},
		{"the first of two types wins", htmlPage(script(`type="text/plain" type="application/vc"`, cred), ""), nil, nil, "not baked", ""},
		{"the first of two types wins, the other way", htmlPage(script(`type="application/vc" TYPE="text/plain"`, cred), ""), nil, jsonBaked, "", ""},
		{"type inside another attribute", htmlPage(script(`data-x='type="application/vc"'`, cred), ""), nil, nil, "not baked", ""},
		{"unknown named reference", htmlPage(script(`type="application&slash;vc"`, cred), ""), nil, nil, "not baked", ""},
		{"a start tag cut off", htmlPage("", "")[:20], nil, nil, "not baked", ""},
		{"a start tag cut off at the end", []byte(`<!DOCTYPE html><script type="application/vc"`), nil, nil, "not baked", ""},

		// Comments and other markup hide, and never fake, a script.
		{"in a comment", htmlPage("<!-- "+vc+" -->", ""), nil, nil, "not baked", ""},
		{"in a comment ended with --!>", htmlPage("<!-- "+vc+" --!>", ""), nil, nil, "not baked", ""},
		{"after a comment ended with --!>", htmlPage("<!-- x --!>"+vc, ""), nil, jsonBaked, "", ""},
		{"after the comment <!-->", htmlPage("<!-->"+vc, ""), nil, jsonBaked, "", ""},
		{"after the comment <!--->", htmlPage("<!--->"+vc, ""), nil, jsonBaked, "", ""},
		{"in a comment that is not closed", htmlPage("<!-- "+vc, ""), nil, nil, "not baked", ""},
		{"a comment's -- inside", htmlPage("<!-- a -- b --->"+vc, ""), nil, jsonBaked, "", ""},
		{"a fake beside the real one", htmlPage("<!-- <script type=\"application/vc\">{\"fake\":1}</script> -->"+vc, ""), nil, jsonBaked, "", ""},
		{"a comment in the credential script is text", htmlPage(script(`type="application/vc"`, `{"a":"<!-- x -->"}`), ""), nil,
			&Baked{Format: FormatHTML, Kind: KindJSON, Credential: []byte(`{"a":"<!-- x -->"}`)}, "", ""},
		{"in a CDATA section (a bogus comment in HTML)", htmlPage("<![CDATA[ "+vc+" ]]>", ""), nil, nil, "not baked", ""},
		{"in a processing instruction", htmlPage("<?php "+vc+" ?>", ""), nil, nil, "not baked", ""},
		{"in a bogus end tag", htmlPage("</ "+vc+">", ""), nil, nil, "not baked", ""},
		{"in an attribute", htmlPage(`<div title='`+vc+`'></div>`, ""), nil, nil, "not baked", ""},
		{"in an unquoted attribute", htmlPage(`<div title=<script>`+cred+`</div>`, ""), nil, nil, "not baked", ""},
		{"in a textarea", htmlPage("", "<textarea>"+vc+"</textarea>"), nil, nil, "not baked", ""},
		{"in a title", htmlPage("<title>"+vc+"</title>", ""), nil, nil, "not baked", ""},
		{"in a style element", htmlPage("<style>"+vc+"</style>", ""), nil, nil, "not baked", ""},
		{"in noscript", htmlPage("", "<noscript>"+vc+"</noscript>"), nil, nil, "not baked", ""},
		{"in xmp, iframe, noembed, noframes", htmlPage("", "<xmp>"+vc+"</xmp><iframe>"+vc+"</iframe><noembed>"+vc+"</noembed><noframes>"+vc+"</noframes>"), nil, nil, "not baked", ""},
		{"after a style element", htmlPage("<STYLE>p{}</Style >"+vc, ""), nil, jsonBaked, "", ""},
		{"after plaintext", htmlPage("", "<plaintext>"+vc), nil, nil, "not baked", ""},
		{"in a JavaScript string", htmlPage(script("", `var s = "`+vc+`";`), ""), nil, nil, "not baked", ""},
		// The script data escape rules: after "<!--", "<script" starts a
		// part where "</script>" does not end the element, so all of this
		// is one JavaScript script.
		{"in an escaped JavaScript script", htmlPage(script("", `<!--<script></script>`+vc+`-->`), ""), nil, nil, "not baked", ""},
		{"after an escaped JavaScript script", htmlPage(script("", `<!-- x -->`)+vc, ""), nil, jsonBaked, "", ""},
		{"after a double escaped JavaScript script", htmlPage(script("", `<!--<script>x</script>-->`)+vc, ""), nil, jsonBaked, "", ""},
		{"an escaped script ends at its end tag", htmlPage(script("", `<!-- x`)+vc, ""), nil, jsonBaked, "", ""},

		// Broken credential scripts.
		{"two", htmlPage(vc+script(`type="application/vc+jwt"`, jws), ""), nil, nil, "multiple", "two credential <script> elements (application/vc at byte 90, application/vc+jwt at byte 158)"},
		{"two, the first broken", htmlPage(script(`type="application/vc"`, "nonsense")+vc, ""), nil, nil, "multiple", "two credential <script> elements"},
		{"two, one in the body", htmlPage(vc, vc), nil, nil, "multiple", ""},
		{"JWT type holding JSON", htmlPage(script(`type="application/vc+jwt"`, cred), ""), nil, nil, "image", "the <script> element of type application/vc+jwt holds JSON, not JWS"},
		{"JSON type holding a JWS", htmlPage(script(`type="application/vc+ld+json"`, jws), ""), nil, nil, "image", "the <script> element of type application/vc+ld+json holds JWS, not JSON"},
		{"broken JSON", htmlPage(script(`type="application/vc"`, `{"a":`), ""), nil, nil, "image", "the baked credential is not valid"},
		{"raw markup breaks the JSON", htmlPage(script(`type="application/vc"`, `{"a":"</script>"}`), ""), nil, nil, "image", "the baked credential is not valid"},
		{"empty", htmlPage(script(`type="application/vc"`, " \n "), ""), nil, nil, "image", "the baked credential is empty"},
		{"not UTF-8", htmlPage(script(`type="application/vc"`, "{\"a\":\"\xff\"}"), ""), nil, nil, "image", "not UTF-8"},
		{"not closed", []byte(`<!DOCTYPE html><script type="application/vc">` + cred), nil, nil, "image", "the credential <script> element has no end tag"},
		{"too large", htmlPage(vc, ""), &Options{MaxCredentialBytes: 10}, nil, "too large", "the baked credential is 29 bytes, more than the limit of 10"},
		{"page too large", htmlPage(vc, ""), &Options{MaxImageBytes: 10}, nil, "too large", "more than the limit of 10"},
	}
}

// TestExtractHTML extracts htmlCases. TestHTMLInBrowser checks the same
// pages against a browser's parser.
func TestExtractHTML(t *testing.T) {
	for _, tt := range htmlCases() {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Extract(tt.page, tt.opts)
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

// TestExtractHTMLErrors: the errors point at the script.
func TestExtractHTMLErrors(t *testing.T) {
	first := `<script type="application/vc">{"id":"urn:a"}</script>`
	second := `<Script type='application/vc+jwt'>` + jws + `</script>`
	page := []byte("<!doctype html><p>x</p>" + first + "<p>y</p>" + second)
	at1, at2 := bytes.Index(page, []byte(first)), bytes.Index(page, []byte(second))
	broken := []byte("<!doctype html><p>x</p>" + `<script type="application/vc+jwt">{}</script>`)
	for _, tt := range []struct {
		name string
		page []byte
		want *ImageError
	}{
		{"two", page, &ImageError{Format: FormatHTML, Offset: int64(at2), Reason: "two credential <script> elements (application/vc at byte " + strconv.Itoa(at1) + ", application/vc+jwt at byte " + strconv.Itoa(at2) + ")", Err: ErrMultiple}},
		{"wrong kind", broken, &ImageError{Format: FormatHTML, Offset: 23, Reason: "the <script> element of type application/vc+jwt holds JSON, not JWS", Err: ErrNotCredential}},
		{"not valid", []byte(`<html><script type="application/vc">{</script>`), &ImageError{Format: FormatHTML, Offset: 6, Reason: "the baked credential is not valid", Err: ErrNotCredential}},
		{"not closed", []byte(`<html><script type="application/vc">{}`), &ImageError{Format: FormatHTML, Offset: 6, Reason: "the credential <script> element has no end tag"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Extract(tt.page, nil)
			var ie *ImageError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v is not an *ImageError", err)
			}
			if d := cmp.Diff(*tt.want, *ie, cmpopts.EquateErrors()); d != "" {
				t.Errorf("error (-want +got):\n%s", d)
			}
		})
	}
}

func TestScriptType(t *testing.T) {
	for _, tt := range []struct{ cred, want string }{
		{`{"id":"urn:x"}`, "application/vc+ld+json"},
		{"\ufeff\n {\"id\":\"urn:x\"} \n", "application/vc+ld+json"},
		{jws, "application/vc+jwt"},
		{" " + jws + "\n", "application/vc+jwt"},
		{`[{"id":"urn:x"}]`, ""},
		{`{"id":`, ""},
		{"hello", ""},
		{"", ""},
	} {
		if got := ScriptType([]byte(tt.cred)); got != tt.want {
			t.Errorf("ScriptType(%q) = %q, want %q", tt.cred, got, tt.want)
		}
	}
}

func TestEscapeScript(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{`{"id":"urn:x"}`, `{"id":"urn:x"}`},
		{`{"a":"</script><script>alert(1)</script>"}`, `{"a":"\u003c/script\u003e\u003cscript\u003ealert(1)\u003c/script\u003e"}`},
		{`{"a":"<!--","b":"-->","c":"&amp;"}`, `{"a":"\u003c!--","b":"--\u003e","c":"\u0026amp;"}`},
		{"{\"a\":\"\u2028\u2029\u2027\u202a\"}", `{"a":"\u2028\u2029` + "\u2027\u202a" + `"}`},
		{`{"a":"\\<"}`, `{"a":"\\\u003c"}`},
		{`{"a":"\u003c"}`, `{"a":"\u003c"}`},
		{jws, jws},
		{"", ""},
		{"\xe2\x80", "\xe2\x80"},
	} {
		got := EscapeScript([]byte(tt.in))
		if string(got) != tt.want {
			t.Errorf("EscapeScript(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// The result is never the argument.
	in := []byte(`{"a":1}`)
	out := EscapeScript(in)
	out[0] = 'x'
	if in[0] != '{' {
		t.Error("EscapeScript returned its argument")
	}
}

// TestEscapeScriptSameValue: escaped JSON is the same JSON value, for every
// credential the tests bake and the validator's fixtures.
func TestEscapeScriptSameValue(t *testing.T) {
	docs := [][]byte{
		jsonCredential(t),
		readFile(t, "testdata/validator/simple.json"),
		[]byte(`{"a":"</script><script>alert(1)</script>","b":["<!--","-->","&lt;","\u2028 \u2029 ` + "\u2028\u2029" + `"],"<k>":{"&":"\\<"}}`),
	}
	for _, c := range credentials {
		if c.cred[0] == '{' {
			docs = append(docs, []byte(c.cred))
		}
	}
	for _, doc := range docs {
		var want, got any
		if err := json.Unmarshal(doc, &want); err != nil {
			t.Fatal(err)
		}
		esc := EscapeScript(doc)
		if err := json.Unmarshal(esc, &got); err != nil {
			t.Fatalf("the escaped JSON does not parse: %v\n%s", err, esc)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("the escaped JSON is another value (-want +got):\n%s", d)
		}
		if bytes.ContainsAny(esc, "<>&\u2028\u2029") {
			t.Errorf("the escaped JSON still holds markup: %s", esc)
		}
	}
}

// TestHTMLRoundTrip: a credential written as a page's script the way a
// renderer does (ScriptType, EscapeScript) is read back as the escaped
// text, which is the same JSON value; markup in it cannot end the script
// or start another.
func TestHTMLRoundTrip(t *testing.T) {
	hostile := `{"id":"urn:x","name":"</script><script>alert(1)</script>","description":"<!--<script>","x":"</script><script type=\"application/vc\">{}</script>"}`
	for _, cred := range []string{hostile, jws, string(jsonCredential(t)), string(jwsCredential(t))} {
		text := EscapeScript([]byte(cred))
		page := htmlPage(`<script type="`+ScriptType([]byte(cred))+`">`+string(text)+`</script>`, "<p>Ada</p>")
		if n := bytes.Count(bytes.ToLower(page), []byte("<script")); n != 1 {
			t.Fatalf("the page has %d script tags", n)
		}
		got, err := Extract(page, nil)
		if err != nil {
			t.Fatal(err)
		}
		kind := KindJSON
		if cred[0] != '{' {
			kind = KindJWS
		}
		if d := cmp.Diff(&Baked{Format: FormatHTML, Kind: kind, Credential: trimCredential(text)}, got); d != "" {
			t.Fatalf("Extract (-want +got):\n%s", d)
		}
		if kind == KindJWS {
			if string(got.Credential) != strings.TrimSpace(cred) {
				t.Errorf("the JWS changed")
			}
			continue
		}
		var want, back any
		if err := json.Unmarshal([]byte(cred), &want); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(got.Credential, &back); err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, back); d != "" {
			t.Errorf("the extracted JSON is another value (-want +got):\n%s", d)
		}
	}
}

// TestBakeCertificate: Bake and SVG refuse a page and a PDF.
func TestBakeCertificate(t *testing.T) {
	for _, tt := range []struct {
		name  string
		bake  func(img, cred []byte, opts *Options) ([]byte, error)
		img   string
		class string
		msg   string
	}{
		{"Bake HTML", Bake, "<!DOCTYPE html><p>x</p>", "unknown format", "bake: not a PNG or SVG image: it is an HTML page, which Bake does not write into"},
		{"Bake PDF", Bake, "%PDF-1.7\n", "unknown format", "bake: not a PNG or SVG image: it is a PDF document, which Bake does not write into"},
		{"SVG HTML", SVG, "<html></html>", "image", "not an SVG image (it looks like HTML)"},
		{"PNG PDF", PNG, "%PDF-1.7\n", "image", "not a PNG image (it looks like PDF)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, err := tt.bake([]byte(tt.img), []byte(jws), nil)
			if class := errorClass(err); class != tt.class || out != nil {
				t.Fatalf("error %v (class %q), want class %q", err, class, tt.class)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q, want it to contain %q", err, tt.msg)
			}
		})
	}
}

// TestHTMLInBrowser reads every page of htmlCases in Chromium, the way a
// verifier running in a browser would (querySelectorAll on the page loaded
// in a frame, with scripting on), and checks that the browser finds the
// same credential scripts as Extract: none, two or more, or one whose text
// is the credential Extract returns (or is one that Extract refuses).
func TestHTMLInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	cases := htmlCases()
	mux := http.NewServeMux()
	mux.HandleFunc("/case/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(r.PathValue("n"))
		if err != nil || n < 0 || n >= len(cases) {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(cases[n].page)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte("<!DOCTYPE html><html lang=en><title>harness</title><body></body></html>"))
	})
	base := browsertest.Serve(t, mux)
	ctx := browsertest.New(t)
	browsertest.Navigate(ctx, t, base+"/")
	const read = `(n) => new Promise((resolve, reject) => {
		const types = ["application/vc", "application/vc+ld+json", "application/vc+jwt", "application/vc+ld+json+jwt"];
		const f = document.createElement("iframe");
		f.src = "/case/" + n;
		f.onload = () => {
			const found = [...f.contentDocument.querySelectorAll("script")].filter(s =>
				s.hasAttribute("type") && types.includes(s.getAttribute("type").split(";")[0].trim().toLowerCase()));
			f.remove();
			resolve({n: found.length, text: found.length ? found[0].textContent : ""});
		};
		f.onerror = reject;
		document.body.appendChild(f);
	})`
	type found struct {
		N    int    `json:"n"`
		Text string `json:"text"`
	}
	for i, c := range cases {
		if c.opts != nil {
			continue // a limit of Extract's, not a matter of parsing
		}
		t.Run(c.name, func(t *testing.T) {
			tctx, cancel := context.WithTimeout(ctx, browsertest.Timeout)
			defer cancel()
			got, err := chromedp.Run(tctx, chromedp.Evaluate[found]("("+read+")("+strconv.Itoa(i)+")", chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case got.N == 0 && c.class != "not baked",
				got.N > 1 && c.class != "multiple",
				got.N == 1 && c.class != "" && c.class != "image":
				t.Fatalf("the browser finds %d credential scripts (the first %q); Extract: class %q", got.N, got.Text, c.class)
			case got.N == 1 && c.want != nil:
				// The browser reads CR LF as LF; Extract leaves the text as it is.
				want := strings.ReplaceAll(string(c.want.Credential), "\r\n", "\n")
				if text := strings.Trim(got.Text, " \t\r\n\ufeff"); text != want {
					t.Errorf("the browser reads %q, Extract %q", text, want)
				}
			}
		})
	}
}
