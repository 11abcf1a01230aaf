package report

import (
	"bytes"
	"context"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/go-openbadges/openbadges/internal/browsertest"
	"github.com/go-openbadges/openbadges/issuer"
)

// TestHTMLInBrowser loads the HTML report in headless Chromium: it asks
// for nothing beyond itself, runs no script (not even one in a name),
// passes axe-core's WCAG 2.2 AA rules, reflows at 320 CSS pixels, and
// looks as testdata/golden/report-month.png shows.
func TestHTMLInBrowser(t *testing.T) {
	browser := browsertest.New(t)
	tests := []struct {
		name   string
		src    Source
		golden string
	}{
		{name: "month", src: Source{Achievements: names, Issuer: "Example University"}, golden: "report-month.png"},
		{name: "hostile", src: Source{Issuer: `<script>window.pwned=1</script>`, Achievements: map[string]string{
			stats: `<script>window.pwned=1</script><img src=x onerror="window.pwned=2">`,
			viz:   "</title></svg><script>window.pwned=3</script>" + string(bytes.Repeat([]byte("W"), 300)),
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.src.Insights, tt.src.Review = records(t), queue(t, 6)
			rep, err := Build(context.Background(), tt.src, quarter(issuer.PeriodMonth, 0))
			if err != nil {
				t.Fatal(err)
			}
			var html bytes.Buffer
			if err := rep.WriteHTML(&html); err != nil {
				t.Fatal(err)
			}
			base := browsertest.Serve(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				w.Write(html.Bytes())
			}))
			ctx := browsertest.NewTab(t, browser)
			dialogs := 0
			_ = chromedp.Listen(ctx, func(ev any) {
				if _, ok := ev.(*page.EventJavascriptDialogOpening); ok {
					dialogs++
				}
			})
			reqs := browsertest.Network(ctx)
			browsertest.Navigate(ctx, t, base+"/")
			if ext := reqs.External(base); len(ext) > 0 {
				t.Errorf("the page requested %q: a report is self-contained", ext)
			}
			if pwned := eval[string](ctx, t, `String(window.pwned)`); pwned != "undefined" || dialogs > 0 {
				t.Errorf("a script in a name ran: window.pwned = %s, %d dialogs", pwned, dialogs)
			}
			if n := eval[int](ctx, t, `document.querySelectorAll('svg[role=img] title, table caption, th[scope]').length`); n < 20 {
				t.Errorf("%d chart titles, captions and header cells", n)
			}
			browsertest.Accessible(ctx, t)
			if tt.golden != "" {
				browsertest.Golden(t, filepath.Join("testdata", "golden", tt.golden), browsertest.FullScreenshot(ctx, t), 0.02)
			}
			for _, width := range []int64{390, 320} {
				if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 800)); err != nil {
					t.Fatal(err)
				}
				if scroll, inner := eval[int64](ctx, t, `document.documentElement.scrollWidth`), eval[int64](ctx, t, `window.innerWidth`); scroll > inner {
					t.Errorf("at %d CSS pixels the page is %d wide: it does not reflow", width, scroll)
				}
			}
		})
	}
}

// eval returns the value of a JavaScript expression in the tab.
func eval[T any](ctx context.Context, t *testing.T, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}
