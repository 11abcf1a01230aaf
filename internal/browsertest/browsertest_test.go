package browsertest

import (
	"bytes"
	"context"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"
)

// A page that passes WCAG 2.2 AA, and one whose image has no text
// alternative.
const (
	accessiblePage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Badge</title></head>
<body><main><h1>Badge</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==" alt="A white square">
<p>Awarded to Ada.</p></main></body></html>`
	imageWithoutAlt = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Badge</title></head>
<body><main><h1>Badge</h1>
<img id="logo" src="data:image/gif;base64,R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==">
</main></body></html>`
)

// page serves html at / with a Content-Security-Policy that allows nothing
// from elsewhere, as the verifier page's does.
func page(html string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", "default-src 'none'; img-src data:; style-src 'unsafe-inline'")
		w.Write([]byte(html))
	})
}

func TestAxe(t *testing.T) {
	ctx := New(t)
	bad := Serve(t, page(imageWithoutAlt))
	good := Serve(t, page(accessiblePage))

	Navigate(ctx, t, bad)
	vs, err := Axe(ctx, t)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, v := range vs {
		ids = append(ids, v.ID)
	}
	if diff := cmp.Diff([]string{"image-alt"}, ids); diff != "" {
		t.Fatalf("Axe on an image without alt (-want +got):\n%s\n%v", diff, vs)
	}
	v := vs[0]
	if v.Impact != "critical" || v.Help == "" || len(v.Nodes) != 1 ||
		!strings.HasPrefix(v.Nodes[0], "#logo: <img id=\"logo\"") {
		t.Errorf("image-alt violation = %#v", v)
	}

	// Accessible fails the test with the rule and the element.
	f := runFake(t, func(tb testing.TB) { Accessible(ctx, tb) })
	if e := f.errors(); !f.Failed() || !strings.Contains(e, "image-alt (critical)") || !strings.Contains(e, "#logo") {
		t.Errorf("Accessible on an image without alt: failed %v with %q", f.Failed(), e)
	}

	// A second run on the same page does not inject axe-core again.
	if vs2, err := Axe(ctx, t); err != nil || len(vs2) != 1 {
		t.Errorf("Axe again = %v, %v", vs2, err)
	}

	// An accessible page, in another tab: no violation.
	tab := NewTab(t, ctx)
	Navigate(tab, t, good)
	if vs, err := Axe(tab, t); err != nil || len(vs) != 0 {
		t.Errorf("Axe on an accessible page = %v, %v; want none", vs, err)
	}
	Accessible(tab, t)

	// The same page as a data: URL.
	Navigate(tab, t, "data:text/html;charset=utf-8,"+strings.ReplaceAll(accessiblePage, "#", "%23"))
	Accessible(tab, t)
}

func TestAxeMissing(t *testing.T) {
	t.Setenv(EnvAxe, filepath.Join(t.TempDir(), "axe.min.js"))
	t.Setenv(EnvCI, "")
	f := runFake(t, func(tb testing.TB) { Axe(context.Background(), tb) })
	if !f.Skipped() || !strings.Contains(f.logged(), "npm ci") {
		t.Errorf("Axe with no axe.min.js: skipped %v with %q, want a skip that says how to install it", f.Skipped(), f.logged())
	}
	t.Setenv(EnvCI, "1")
	f = runFake(t, func(tb testing.TB) { Axe(context.Background(), tb) })
	if !f.Failed() || f.Skipped() {
		t.Errorf("Axe with no axe.min.js under %s=1: failed %v, skipped %v; want a failure", EnvCI, f.Failed(), f.Skipped())
	}
}

func TestAxePath(t *testing.T) {
	t.Setenv(EnvAxe, "")
	dir := t.TempDir()
	axe := filepath.Join(dir, "node_modules", "axe-core", "axe.min.js")
	if err := os.MkdirAll(filepath.Dir(axe), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(axe, []byte("// axe"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvInteropJS, dir)
	if got, err := AxePath(); err != nil || got != axe {
		t.Errorf("AxePath under %s = %q, %v; want %q", EnvInteropJS, got, err, axe)
	}
	t.Setenv(EnvInteropJS, "")
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "internal", "browsertest")); err != nil {
		t.Fatalf("module root %s: %v", root, err)
	}
	want := filepath.Join(root, "interop", "js", "node_modules", "axe-core", "axe.min.js")
	if got, _ := AxePath(); got != "" && got != want {
		t.Errorf("AxePath from the module root = %q, want %q", got, want)
	}
}

func TestNoBrowser(t *testing.T) {
	t.Setenv(EnvChromium, "/nonexistent/chromium")
	if p, err := FindChromium(); err == nil {
		t.Fatalf("FindChromium with %s naming no file = %q", EnvChromium, p)
	}
	t.Setenv(EnvCI, "")
	f := runFake(t, func(tb testing.TB) { New(tb) })
	if !f.Skipped() || f.Failed() || !strings.Contains(f.logged(), "apt-get install chromium") {
		t.Errorf("New with no browser: skipped %v, failed %v, with %q; want a skip that says how to install one", f.Skipped(), f.Failed(), f.logged())
	}
	t.Setenv(EnvCI, "1")
	f = runFake(t, func(tb testing.TB) { New(tb) })
	if !f.Failed() || f.Skipped() {
		t.Errorf("New with no browser under %s=1: failed %v, skipped %v; want a failure", EnvCI, f.Failed(), f.Skipped())
	}
}

func TestScreenshot(t *testing.T) {
	ctx := New(t)
	// Boxes and no text, so that the golden image does not depend on the
	// fonts installed.
	Navigate(ctx, t, "data:text/html,"+strings.ReplaceAll(`<!doctype html><html lang="en"><title>boxes</title>
<body style="margin:0;background:#fff">
<div style="position:absolute;left:40px;top:40px;width:400px;height:200px;background:#1a5fb4"></div>
<div style="position:absolute;left:500px;top:100px;width:300px;height:300px;border-radius:50%;background:#e66100"></div>
<div style="position:absolute;left:0;top:860px;width:1280px;height:40px;background:#26a269"></div>
<div style="position:absolute;left:0;top:1700px;width:10px;height:100px;background:#000"></div>
</body></html>`, "#", "%23"))

	shot := Screenshot(ctx, t)
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != Width || b.Dy() != Height {
		t.Errorf("Screenshot is %dx%d, want %dx%d", b.Dx(), b.Dy(), Width, Height)
	}
	Golden(t, filepath.Join("testdata", "boxes.png"), shot, 0.001)

	full := FullScreenshot(ctx, t)
	img, err = png.Decode(bytes.NewReader(full))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != Width || b.Dy() != 1800 {
		t.Errorf("FullScreenshot is %dx%d, want %dx1800", b.Dx(), b.Dy(), Width)
	}
	// The viewport is as it was.
	if again := Screenshot(ctx, t); !bytes.Equal(again, shot) {
		if f, err := Compare(shot, again); err != nil || f > 0 {
			t.Errorf("Screenshot after FullScreenshot differs: %v, %v", f, err)
		}
	}
}

func TestNetwork(t *testing.T) {
	var mu sync.Mutex
	var served []string
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		served = append(served, r.URL.Path)
		mu.Unlock()
		switch r.URL.Path {
		case "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(`<!doctype html><html lang="en"><title>t</title>
<img alt="" src="data:image/gif;base64,R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==">
<script>
window.done = fetch("/status.json").then(r => r.json()).then(j => j.ok)
  .then(ok => fetch("https://issuer.example/key").then(() => "reached", e => ok ? "refused" : "not ok"));
</script>`))
		case "/status.json":
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"ok": true}`))
		default:
			http.NotFound(w, r)
		}
	})
	base := Serve(t, mux)

	ctx := New(t)
	reqs := Network(ctx)
	Navigate(ctx, t, base+"/")
	res, err := chromedp.Run(ctx, chromedp.Evaluate[string](`window.done`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	// The host resolver finds no name outside loopback.
	if res != "refused" {
		t.Errorf("the page's fetches ended with %q, want refused", res)
	}
	urls := reqs.URLs()
	for _, want := range []string{base + "/", base + "/status.json", "https://issuer.example/key"} {
		if !slices.Contains(urls, want) {
			t.Errorf("URLs() = %q, missing %s", urls, want)
		}
	}
	if !slices.ContainsFunc(urls, func(u string) bool { return strings.HasPrefix(u, "data:image/gif") }) {
		t.Errorf("URLs() = %q, missing the data: image", urls)
	}
	if diff := cmp.Diff([]string{"https://issuer.example/key"}, reqs.External(base)); diff != "" {
		t.Errorf("External(%s) (-want +got):\n%s", base, diff)
	}
	// Without allowed origins: every http(s) request, and no data: URL.
	// (Chromium may ask the server for /favicon.ico too.)
	ext := reqs.External()
	for _, want := range []string{base + "/", base + "/status.json", "https://issuer.example/key"} {
		if !slices.Contains(ext, want) {
			t.Errorf("External() = %q, missing %s", ext, want)
		}
	}
	if slices.ContainsFunc(ext, func(u string) bool { return !strings.HasPrefix(u, "http") }) {
		t.Errorf("External() = %q, want only http(s) URLs", ext)
	}
	mu.Lock()
	defer mu.Unlock()
	if !slices.Contains(served, "/status.json") {
		t.Errorf("the server saw %q, not the fetch", served)
	}
}

func TestOrigin(t *testing.T) {
	tests := map[string]string{
		"http://127.0.0.1:8080/a?b#c": "http://127.0.0.1:8080",
		"HTTP://Example.ORG/":         "http://example.org",
		"https://example.org:443/x":   "https://example.org",
		"http://[::1]:80/":            "http://[::1]",
		"http://[::1]:81/":            "http://[::1]:81",
		"data:text/plain,hi":          "",
		"about:blank":                 "",
	}
	for in, want := range tests {
		if got := origin(in); got != want {
			t.Errorf("origin(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTool(t *testing.T) {
	if p := Tool(t, "sh", "dash"); p == "" {
		t.Error("Tool(sh) is empty")
	}
	t.Setenv(EnvCI, "")
	f := runFake(t, func(tb testing.TB) { Tool(tb, "no-such-tool-here", "no-such-package") })
	if !f.Skipped() || !strings.Contains(f.logged(), "apt-get install no-such-package") {
		t.Errorf("Tool of a missing program: skipped %v with %q", f.Skipped(), f.logged())
	}
	t.Setenv(EnvCI, "1")
	f = runFake(t, func(tb testing.TB) { Tool(tb, "no-such-tool-here", "no-such-package") })
	if !f.Failed() {
		t.Errorf("Tool of a missing program under %s=1 did not fail", EnvCI)
	}
}
