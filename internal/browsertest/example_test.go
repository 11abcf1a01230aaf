package browsertest_test

import (
	"net/http"
	"path/filepath"
	"testing"

	"github.com/go-openbadges/openbadges/internal/browsertest"
)

// A test of a page: serve it on loopback, load it in headless Chromium, check
// that it makes no request elsewhere, that it passes WCAG 2.2 AA, and that it
// looks as it did.
func Example() {
	// In func TestVerifierPage(t *testing.T), t is the test's.
	var t *testing.T
	var page http.Handler // the page under test

	base := browsertest.Serve(t, page)
	ctx := browsertest.New(t) // one browser per test; browsertest.NewTab(t, ctx) for more tabs
	reqs := browsertest.Network(ctx)
	browsertest.Navigate(ctx, t, base+"/")
	if ext := reqs.External(base); len(ext) > 0 {
		t.Errorf("the page reached out to %q", ext)
	}
	browsertest.Accessible(ctx, t)
	browsertest.Golden(t, filepath.Join("testdata", "verifier.png"), browsertest.Screenshot(ctx, t), 0.002)

	// A test that reads a PDF needs pdftotext, from Debian's poppler-utils.
	pdftotext := browsertest.Tool(t, "pdftotext", "poppler-utils")
	_ = pdftotext
}
