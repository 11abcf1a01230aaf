package render

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/go-openbadges/openbadges/internal/browsertest"
)

// TestHTMLInBrowser loads each page in headless Chromium: axe-core finds
// no WCAG 2.2 AA violation, the page reflows without horizontal scrolling
// on a desktop, at 200% zoom, on a phone and at 320 CSS pixels (WCAG
// 1.4.10), right-to-left pages lay out right to left, no script of the
// credential's runs, and the first screens match golden images.
func TestHTMLInBrowser(t *testing.T) {
	browser := browsertest.New(t)
	logo := badgePNG(t)
	tests := []struct {
		name   string
		cfg    Config
		opts   *Options
		cred   []byte
		dir    string
		golden string
	}{
		{name: "en", cred: signed(t, nil), dir: "ltr", golden: "page-en.png",
			cfg: Config{VerifyURL: "https://verify.example.edu/?id={id}",
				Brand: Brand{Signatures: []Signature{{Name: "Grace Hopper", Title: "Dean"}}}}},
		{name: "ar", opts: &Options{Lang: "ar"}, dir: "rtl", golden: "page-ar.png",
			cred: signed(t, func(d obj) {
				a := achievementOf(d)
				a["name"] = []any{obj{"@value": "Teamwork", "@language": "en"}, obj{"@value": "العمل الجماعي", "@language": "ar"}}
				a["description"] = []any{obj{"@value": "Works well with others.", "@language": "en"}, obj{"@value": "يعمل بشكل جيد مع الآخرين.", "@language": "ar"}}
			})},
		{name: "zh", opts: &Options{Lang: "zh"}, dir: "ltr", golden: "page-zh.png",
			cred: signed(t, func(d obj) {
				achievementOf(d)["name"] = []any{obj{"@value": "Teamwork", "@language": "en"}, obj{"@value": "团队合作", "@language": "zh"}}
			})},
		{name: "es", opts: &Options{Lang: "es"}, dir: "ltr", cred: signed(t, nil)},
		{name: "fr", opts: &Options{Lang: "fr"}, dir: "ltr", cred: signed(t, nil)},
		{name: "de", opts: &Options{Lang: "de"}, dir: "ltr", cred: signed(t, nil),
			cfg: Config{Brand: Brand{Logo: logo, Primary: "#6b2c91", Accent: "#2f5d1e", Font: "Georgia, serif"}}},
		{name: "bare", dir: "ltr", cred: sampleBare},
		{name: "endorsement", dir: "ltr", cred: []byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],
			"id":"https://guild.example.org/endorsements/1","type":["VerifiableCredential","EndorsementCredential"],
			"issuer":{"id":"https://guild.example.org","name":"The Guild"},"validFrom":"2026-02-03T10:00:00Z",
			"credentialSubject":{"id":"https://example.edu/achievements/1","type":["EndorsementSubject"],"endorsementComment":"A fine badge."}}`)},
		{name: "hostile", dir: "ltr", cred: credentialWith(t, func(d obj) {
			a := achievementOf(d)
			a["name"] = hostile + strings.Repeat("W", 10000)
			a["description"] = hostile + strings.Repeat("long ", 2000)
			d["issuer"].(obj)["name"] = hostile
			subjectOf(d)["identifier"].([]any)[0].(obj)["identityHash"] = hostile + strings.Repeat("N", 900)
		})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRenderer(t, tt.cfg)
			html, err := r.HTML(context.Background(), tt.cred, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			base := browsertest.Serve(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				w.Write(html)
			}))
			ctx := browsertest.NewTab(t, browser)
			dialogs := 0
			_ = chromedp.Listen(ctx, func(ev any) {
				if _, ok := ev.(*page.EventJavascriptDialogOpening); ok {
					dialogs++
				}
			})
			net := browsertest.Network(ctx)
			browsertest.Navigate(ctx, t, base+"/")
			if ext := net.External(base); len(ext) > 0 {
				t.Errorf("the page requested %q: a certificate is self-contained", ext)
			}
			pwned := eval[string](ctx, t, `String(window.pwned)`)
			dir := eval[string](ctx, t, `getComputedStyle(document.documentElement).direction`)
			landmarks := eval[int](ctx, t, `document.querySelectorAll('main, aside').length`)
			if pwned != "undefined" || dialogs > 0 {
				t.Errorf("a script of the credential ran: window.pwned = %s, %d dialogs", pwned, dialogs)
			}
			if dir != tt.dir || landmarks != 2 {
				t.Errorf("direction %q with %d landmarks, want %q and 2", dir, landmarks, tt.dir)
			}
			if tt.dir == "rtl" {
				// Right to left: the certificate (first) is on the right,
				// the verification panel on its left.
				mainX := eval[float64](ctx, t, `document.querySelector('main').getBoundingClientRect().left`)
				asideX := eval[float64](ctx, t, `document.querySelector('aside').getBoundingClientRect().left`)
				if mainX <= asideX {
					t.Errorf("main at x=%v, aside at x=%v: the page is not laid out right to left", mainX, asideX)
				}
			}
			browsertest.Accessible(ctx, t)
			if tt.golden != "" {
				browsertest.Golden(t, filepath.Join("testdata", "golden", tt.golden), browsertest.Screenshot(ctx, t), 0.02)
			}
			for _, width := range []int64{640, 390, 320} {
				if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 800)); err != nil {
					t.Fatal(err)
				}
				scroll := eval[int64](ctx, t, `document.documentElement.scrollWidth`)
				inner := eval[int64](ctx, t, `window.innerWidth`)
				if scroll > inner {
					t.Errorf("at %d CSS pixels the page is %d wide: it does not reflow", width, scroll)
				}
				if width == 390 && tt.golden == "page-en.png" {
					browsertest.Golden(t, filepath.Join("testdata", "golden", "page-en-phone.png"), browsertest.Screenshot(ctx, t), 0.02)
				}
			}
			if t.Failed() {
				keep(t, tt.name+".html", html)
			}
		})
	}
}

// TestQRDecodes: the QR code on the page and in the SVG image, as the
// browser draws them, decode with an independent reader (zbarimg) to the
// verification URL.
func TestQRDecodes(t *testing.T) {
	zbar := browsertest.Tool(t, "zbarimg", "zbar-tools")
	browser := browsertest.New(t)
	r := newRenderer(t, Config{VerifyURL: "https://verify.example.edu/?id={id}"})
	cred := signed(t, nil)
	want := "https://verify.example.edu/?id=https%3A%2F%2Fexample.edu%2Fcredentials%2F3732"
	html, err := r.HTML(context.Background(), cred, nil)
	if err != nil {
		t.Fatal(err)
	}
	img, err := r.SVG(context.Background(), cred, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, typ string
		body      []byte
	}{{"html", "text/html", html}, {"svg", "image/svg+xml", img}} {
		t.Run(tt.name, func(t *testing.T) {
			base := browsertest.Serve(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", tt.typ)
				w.Write(tt.body)
			}))
			ctx := browsertest.NewTab(t, browser)
			browsertest.Navigate(ctx, t, base+"/")
			shot := browsertest.Screenshot(ctx, t)
			path := filepath.Join(t.TempDir(), "qr.png")
			if err := os.WriteFile(path, shot, 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(zbar, "--raw", "-q", path).Output()
			if err != nil {
				t.Fatalf("zbarimg found no code: %v", err)
			}
			if got := strings.TrimSpace(string(out)); got != want {
				t.Errorf("the QR code reads %q, want %q", got, want)
			}
		})
	}
}

// TestSVGInBrowser: the SVG certificate, as Chromium draws it, matches its
// golden images left to right and right to left.
func TestSVGInBrowser(t *testing.T) {
	browser := browsertest.New(t)
	r := newRenderer(t, Config{VerifyURL: "https://verify.example.edu/?id={id}"})
	for _, lang := range []string{"en", "ar"} {
		t.Run(lang, func(t *testing.T) {
			img, err := r.SVG(context.Background(), signed(t, func(d obj) {
				achievementOf(d)["name"] = []any{obj{"@value": "Teamwork", "@language": "en"}, obj{"@value": "العمل الجماعي", "@language": "ar"}}
			}), &Options{Lang: lang})
			if err != nil {
				t.Fatal(err)
			}
			wellFormed(t, img)
			ctx := browsertest.NewTab(t, browser)
			browsertest.Navigate(ctx, t, svgPage(t, img, lang))
			browsertest.Golden(t, filepath.Join("testdata", "golden", "svg-"+lang+".png"), browsertest.Screenshot(ctx, t), 0.02)
		})
	}
}

// svgPage serves a page showing img at its size and returns its URL.
func svgPage(t *testing.T, img []byte, lang string) string {
	return browsertest.Serve(t, http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.URL.Path == "/c.svg" {
			w.Header().Set("Content-Type", "image/svg+xml")
			w.Write(img)
			return
		}
		fmt.Fprintf(w, `<!DOCTYPE html><html lang="%s"><head><title>SVG</title></head><body style="margin:0;background:#fff"><main><img src="/c.svg" alt="certificate" width="1100" height="780"></main></body></html>`, lang)
	})) + "/"
}

// eval evaluates a JavaScript expression in the tab of ctx.
func eval[T any](ctx context.Context, t *testing.T, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// keep writes a failing test's page where a person can look at it.
func keep(t *testing.T, name string, b []byte) {
	dir, err := os.MkdirTemp("", "render-failed-")
	if err != nil {
		return
	}
	p := filepath.Join(dir, name)
	if os.WriteFile(p, b, 0o644) == nil {
		t.Logf("the page is kept at %s", p)
	}
}
