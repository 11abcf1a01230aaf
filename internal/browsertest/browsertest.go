// Package browsertest runs tests in a real headless Chromium through chromedp: it
// starts the browser, checks pages with axe-core, takes screenshots to compare
// with golden PNGs, and records the requests that a page makes.
// Only tests import it, and where a browser, axe-core or a tool is missing it
// skips the test, or fails it when OPENBADGES_CI=1 (as .ci/run sets, after it
// installed all of them).
package browsertest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Timeout bounds each helper of this package: starting the browser, opening a
// tab, navigating, running axe-core, taking a screenshot.
const Timeout = 60 * time.Second

// Width and Height are the size in CSS pixels of the browser window and of
// each tab's viewport, and so the size in pixels of a Screenshot (the device
// scale factor is 1). Headless Chromium keeps part of its window for browser
// controls it does not draw, so New and NewTab set the viewport to this size
// with Emulation.setDeviceMetricsOverride; a test may set another with
// chromedp.EmulateViewport.
const (
	Width  = 1280
	Height = 900
)

// Environment variables that this package reads.
const (
	// EnvChromium names the browser to run, a path. When it is set and
	// names no executable file, no browser is found: the path is not
	// replaced by one on PATH.
	EnvChromium = "OPENBADGES_CHROMIUM"
	// EnvAxe names axe.min.js, a path.
	EnvAxe = "OPENBADGES_AXE"
	// EnvInteropJS names the folder interop/js, where `npm ci` installed
	// axe-core under node_modules.
	EnvInteropJS = "OPENBADGES_INTEROP_JS"
	// EnvCI set to 1 turns each skip for a missing browser, axe-core or
	// tool into a failure.
	EnvCI = "OPENBADGES_CI"
	// EnvUpdateGolden set to 1 makes Golden write the golden files
	// instead of comparing with them.
	EnvUpdateGolden = "OPENBADGES_UPDATE_GOLDEN"
)

// viewport makes a tab's viewport Width by Height, at device scale factor 1.
var viewport = chromedp.EmulateViewport(Width, Height)

// browserNames are the programs looked up on PATH, in order, when EnvChromium
// is not set.
var browserNames = []string{"chromium", "chromium-browser", "google-chrome"}

// missing skips the test, or fails it under OPENBADGES_CI=1, for something the
// test needs that this machine does not have.
func missing(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv(EnvCI) == "1" {
		t.Fatalf("%s (%s=1: CI must have it)", msg, EnvCI)
	}
	t.Skip(msg)
}

// FindChromium returns the browser that New runs: the path in
// OPENBADGES_CHROMIUM when that is set, else the first of chromium,
// chromium-browser and google-chrome on PATH. It returns an error when there
// is none, or when OPENBADGES_CHROMIUM names no executable file.
func FindChromium() (string, error) {
	if p := os.Getenv(EnvChromium); p != "" {
		fi, err := os.Stat(p)
		if err != nil {
			return "", fmt.Errorf("%s=%s: %w", EnvChromium, p, err)
		}
		if fi.IsDir() || fi.Mode().Perm()&0o111 == 0 {
			return "", fmt.Errorf("%s=%s: not an executable file", EnvChromium, p)
		}
		return p, nil
	}
	for _, name := range browserNames {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("none of %v on PATH, and %s is not set", browserNames, EnvChromium)
}

// New starts a fresh headless Chromium for the test and returns the context of
// its first tab, for chromedp.Run and for the other helpers of this package.
// The browser stops, and its profile (under t.TempDir) goes, when the test
// ends. Start one browser per test and open more tabs with NewTab: a browser
// takes about a second to start.
//
// The browser is the one FindChromium returns; without one, New skips the
// test, or fails it under OPENBADGES_CI=1. It runs with no sandbox, no GPU,
// no background networking, component updates, sync, QUIC or first-run
// pages, in a 1280x900 window and viewport at device scale factor 1 with hidden
// scrollbars and no font hinting, so that screenshots are the same from run to run. Its
// host resolver resolves nothing but localhost, 127.0.0.1 and ::1, so a page
// can reach only servers on loopback (see Serve) and a request elsewhere fails at once,
// without touching the network; Network still records it.
func New(t testing.TB) context.Context {
	t.Helper()
	exe, err := FindChromium()
	if err != nil {
		missing(t, "browsertest: no headless Chromium: %v; apt-get install chromium, or set %s; .ci/run installs it", err, EnvChromium)
	}
	profile := filepath.Join(t.TempDir(), "chromium-profile")
	if err := os.Mkdir(profile, 0o700); err != nil {
		t.Fatalf("browsertest: %v", err)
	}
	output := &limitedBuffer{max: 64 << 10}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("no-pings", true),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1, EXCLUDE ::1"),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(Width, Height),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("force-device-scale-factor", "1"),
		chromedp.Flag("font-render-hinting", "none"),
		chromedp.CombinedOutput(output),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		// Close the browser gracefully, so that it is gone, with its
		// child processes, before t.TempDir removes the profile.
		cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		_ = chromedp.Cancel(cctx)
		cancelBrowser()
		cancelAlloc()
	})

	// The first Run starts the browser and binds it to its context, which
	// therefore must have no deadline: a timer cancels it instead.
	timer := time.AfterFunc(Timeout, cancelBrowser)
	err = chromedp.Do(ctx, viewport)
	stopped := timer.Stop()
	if err != nil {
		if !stopped {
			err = fmt.Errorf("not started after %v: %w", Timeout, err)
		}
		t.Fatalf("browsertest: starting %s: %v\n%s", exe, err, output.String())
	}
	return ctx
}

// NewTab opens a new tab in the browser of browserCtx (from New) and returns
// its context; the tab closes when the test ends. Tabs of one browser share
// its cookies and storage.
func NewTab(t testing.TB, browserCtx context.Context) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browserCtx)
	t.Cleanup(cancel)
	timer := time.AfterFunc(Timeout, cancel)
	err := chromedp.Do(ctx, viewport)
	stopped := timer.Stop()
	if err != nil {
		if !stopped {
			err = fmt.Errorf("not open after %v: %w", Timeout, err)
		}
		t.Fatalf("browsertest: opening a tab: %v", err)
	}
	return ctx
}

// Navigate loads url in the tab of ctx and waits for its load event; it fails
// the test when the page does not load, or not within Timeout.
func Navigate(ctx context.Context, t testing.TB, url string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("browsertest: navigating to %s: %v", shorten(url, 200), err)
	}
}

// Screenshot returns a PNG of the viewport of the tab of ctx, Width by Height
// pixels.
func Screenshot(ctx context.Context, t testing.TB) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("browsertest: screenshot: %v", err)
	}
	return png
}

// FullScreenshot returns a PNG of the whole page in the tab of ctx, Width
// pixels wide and as high as the page's content.
func FullScreenshot(ctx context.Context, t testing.TB) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("browsertest: full-page screenshot: %v", err)
	}
	return png
}

// Tool returns the path of the program name on PATH. Without it, Tool skips
// the test with how to install the Debian package debianPackage that has it
// (the test fails instead under OPENBADGES_CI=1).
func Tool(t testing.TB, name, debianPackage string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		missing(t, "browsertest: %s not found: apt-get install %s; .ci/run installs it", name, debianPackage)
	}
	return p
}

// Serve serves h on 127.0.0.1 for the length of the test and returns its base
// URL, "http://127.0.0.1:PORT".
func Serve(t testing.TB, h http.Handler) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("browsertest: listening on loopback: %v", err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Listener.Close()
	srv.Listener = l
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL
}

// moduleRoot returns the nearest folder at or above the working directory
// that has a go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod at or above the working directory")
		}
		dir = parent
	}
}

// shorten returns s cut to at most n bytes, marked with "…" when cut.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// limitedBuffer keeps the first max bytes written to it (the browser's
// output, shown when it fails to start), and is safe for concurrent use.
type limitedBuffer struct {
	mu  sync.Mutex
	max int
	buf bytes.Buffer
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if room := b.max - b.buf.Len(); room > 0 {
		b.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func (b *limitedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
