package render

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/internal/browsertest"
)

// TestTranscriptInBrowser loads transcript pages in headless Chromium:
// axe-core finds no WCAG 2.2 AA violation, the page reflows without
// horizontal scrolling down to 320 CSS pixels (WCAG 1.4.10; the table
// becomes one block per achievement), a right-to-left page lays out right
// to left, the association links reach their rows, the page asks for
// nothing outside itself, and no script of the record's runs.
func TestTranscriptInBrowser(t *testing.T) {
	browser := browsertest.New(t)
	long := make([]course, 0, 30)
	for i := range 30 {
		c := adaCourses[i%2]
		c.id += "-" + strings.Repeat("x", i)
		long = append(long, c)
	}
	tests := []struct {
		name, lang, dir string
		cfg             Config
		rec             []byte
		golden          string
	}{
		{name: "en", lang: "en", dir: "ltr", cfg: Config{VerifyURL: "https://verify.example.edu/?id={id}"}, rec: clrRecord(t, nil, adaCourses...), golden: "transcript-en"},
		{name: "ar", lang: "ar", dir: "rtl", rec: clrRecord(t, nil, adaCourses...), golden: "transcript-ar"},
		{name: "zh", lang: "zh", dir: "ltr", rec: clrRecord(t, nil, adaCourses...)},
		{name: "es", lang: "es", dir: "ltr", rec: clrRecord(t, nil, adaCourses...)},
		{name: "fr", lang: "fr", dir: "ltr", rec: clrRecord(t, nil, adaCourses...)},
		{name: "de", lang: "de", dir: "ltr", cfg: Config{Brand: Brand{Logo: badgePNG(t), Primary: "#6b2c91", Accent: "#2f5d1e"}}, rec: clrRecord(t, nil, adaCourses...)},
		{name: "thirty courses", lang: "en", dir: "ltr", rec: clrRecord(t, nil, long...)},
		{name: "hostile", lang: "en", dir: "ltr", rec: clrRecord(t, func(c *credential.ClrCredential) {
			c.Name = hostile + strings.Repeat("W", 3000)
			c.Description = hostile
			c.CredentialSubject.Achievement[0].Name = hostile + strings.Repeat("N", 900)
			c.CredentialSubject.Identifier[0].IdentityHash = hostile
		}, adaCourses...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRenderer(t, tt.cfg)
			html, err := r.HTML(context.Background(), tt.rec, &Options{Lang: tt.lang})
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
				t.Errorf("the page requested %q: a transcript is self-contained", ext)
			}
			if pwned := eval[string](ctx, t, `String(window.pwned)`); pwned != "undefined" || dialogs > 0 {
				t.Errorf("a script of the record ran: window.pwned = %s, %d dialogs", pwned, dialogs)
			}
			dir := eval[string](ctx, t, `getComputedStyle(document.documentElement).direction`)
			landmarks := eval[int](ctx, t, `document.querySelectorAll('main, aside').length`)
			if dir != tt.dir || landmarks != 2 {
				t.Errorf("direction %q with %d landmarks, want %q and 2", dir, landmarks, tt.dir)
			}
			if tt.dir == "rtl" {
				mainX := eval[float64](ctx, t, `document.querySelector('main').getBoundingClientRect().left`)
				asideX := eval[float64](ctx, t, `document.querySelector('aside').getBoundingClientRect().left`)
				if mainX <= asideX {
					t.Errorf("main at x=%v, aside at x=%v: the page is not laid out right to left", mainX, asideX)
				}
			}
			// Every association link names a row of the table.
			if broken := eval[int](ctx, t, `[...document.querySelectorAll('.relations a')].filter(a => !document.getElementById(a.hash.slice(1))?.matches('tr')).length`); broken != 0 {
				t.Errorf("%d association links lead nowhere", broken)
			}
			if rows := eval[int](ctx, t, `document.querySelectorAll('tbody tr').length`); rows < 3 {
				t.Errorf("%d rows in the table", rows)
			}
			browsertest.Accessible(ctx, t)
			if tt.golden != "" {
				browsertest.Golden(t, filepath.Join("testdata", "golden", tt.golden+".png"), browsertest.Screenshot(ctx, t), 0.02)
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
				if width == 390 && tt.golden != "" {
					browsertest.Golden(t, filepath.Join("testdata", "golden", tt.golden+"-phone.png"), browsertest.Screenshot(ctx, t), 0.02)
				}
			}
			browsertest.Accessible(ctx, t) // the narrow layout too
			if t.Failed() {
				keep(t, "transcript-"+tt.name+".html", html)
			}
		})
	}
}
