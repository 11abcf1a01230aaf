package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// axeTags are the axe-core rule tags that Axe and Accessible run: WCAG 2.0,
// 2.1 and 2.2 at levels A and AA.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// axeRel is where `npm ci` puts axe-core under interop/js.
const axeRel = "node_modules/axe-core/axe.min.js"

// A Violation is one axe-core rule that a page fails.
type Violation struct {
	// ID is the rule's id, such as "image-alt" or "color-contrast".
	ID string
	// Impact is "minor", "moderate", "serious" or "critical".
	Impact string
	// Help says in a sentence what the rule asks for.
	Help string
	// HelpURL is the rule's page at Deque University.
	HelpURL string
	// Nodes are the elements that fail the rule, each as its CSS selector,
	// ": ", and the start of its HTML.
	Nodes []string
}

// String returns the violation on several lines, for a test's log.
func (v Violation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s [%s]", v.ID, v.Impact, v.Help, v.HelpURL)
	for _, n := range v.Nodes {
		fmt.Fprintf(&b, "\n\t%s", n)
	}
	return b.String()
}

// AxePath returns the axe.min.js that Axe injects: the path in
// OPENBADGES_AXE; else node_modules/axe-core/axe.min.js under
// OPENBADGES_INTEROP_JS; else that file under interop/js of the module root
// (the nearest folder with a go.mod at or above the working directory). It
// returns an error when the file is not there.
func AxePath() (string, error) {
	var p string
	switch {
	case os.Getenv(EnvAxe) != "":
		p = os.Getenv(EnvAxe)
	case os.Getenv(EnvInteropJS) != "":
		p = filepath.Join(os.Getenv(EnvInteropJS), filepath.FromSlash(axeRel))
	default:
		root, err := moduleRoot()
		if err != nil {
			return "", err
		}
		p = filepath.Join(root, "interop", "js", filepath.FromSlash(axeRel))
	}
	fi, err := os.Stat(p)
	if err != nil {
		return "", err
	}
	if !fi.Mode().IsRegular() {
		return "", &fs.PathError{Op: "stat", Path: p, Err: errors.New("not a regular file")}
	}
	return p, nil
}

// axeRun runs axe-core on the document, once it is loaded, and returns its
// violations in a shape that decodes into axeResult. A page that has axe-core
// already (from an earlier call) is not injected again.
const axeRun = `(async () => {
	const tags = %s;
	const result = await axe.run(document, {
		runOnly: {type: "tag", values: tags},
		resultTypes: ["violations"],
	});
	return result.violations.map(v => ({
		id: v.id,
		impact: v.impact || "",
		help: v.help,
		helpUrl: v.helpUrl,
		nodes: v.nodes.map(n => ({target: n.target.map(String), html: n.html})),
	}));
})()`

type axeResult []struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"`
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Nodes   []struct {
		Target []string `json:"target"`
		HTML   string   `json:"html"`
	} `json:"nodes"`
}

// Axe injects axe-core into the page in the tab of ctx and runs on it the
// rules tagged wcag2a, wcag2aa, wcag21a, wcag21aa and wcag22aa (WCAG 2.0, 2.1
// and 2.2 at levels A and AA), and returns the rules that fail; none for a page that
// passes. Without axe.min.js (see AxePath) it skips the test with how to
// install it, or fails it under OPENBADGES_CI=1. It returns an error when
// axe-core could not run. Content inside iframes is checked only where the
// frame runs axe-core too.
func Axe(ctx context.Context, t testing.TB) ([]Violation, error) {
	t.Helper()
	path, err := AxePath()
	if err != nil {
		missing(t, "browsertest: no axe-core: %v; cd interop/js && npm ci (.ci/run does), or set %s to an axe.min.js", err, EnvAxe)
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("browsertest: reading axe-core: %w", err)
	}
	tags, err := json.Marshal(axeTags)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	present, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === "object" && typeof window.axe.run === "function"`))
	if err != nil {
		return nil, fmt.Errorf("browsertest: axe-core: %w", err)
	}
	if !present {
		// Runtime.evaluate is not subject to the page's
		// Content-Security-Policy, so this works on pages that allow
		// no script from elsewhere.
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](string(src)+"\n;void 0")); err != nil {
			return nil, fmt.Errorf("browsertest: injecting axe-core from %s: %w", path, err)
		}
	}
	res, err := chromedp.Run(ctx, chromedp.Evaluate[axeResult](fmt.Sprintf(axeRun, tags), chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("browsertest: running axe-core: %w", err)
	}
	vs := make([]Violation, 0, len(res))
	for _, r := range res {
		v := Violation{ID: r.ID, Impact: r.Impact, Help: r.Help, HelpURL: r.HelpURL}
		for _, n := range r.Nodes {
			html := strings.Join(strings.Fields(n.HTML), " ")
			v.Nodes = append(v.Nodes, strings.Join(n.Target, " ")+": "+shorten(html, 200))
		}
		vs = append(vs, v)
	}
	return vs, nil
}

// Accessible checks the page in the tab of ctx with axe-core against WCAG 2.2
// level AA (see Axe), and fails the test with each rule that the page breaks,
// its impact, what it asks for, and the elements that break it.
func Accessible(ctx context.Context, t testing.TB) {
	t.Helper()
	vs, err := Axe(ctx, t)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) == 0 {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "axe-core: %d accessibility rule(s) failed:", len(vs))
	for _, v := range vs {
		b.WriteString("\n")
		b.WriteString(v.String())
	}
	t.Error(b.String())
}
