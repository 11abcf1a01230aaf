package browsertest

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Requests is the list of the requests that a tab made since Network began to
// record them. It is safe for concurrent use.
type Requests struct {
	mu   sync.Mutex
	urls []string
}

// Network begins to record every request that the page in the tab of ctx
// makes from now on (each Network.requestWillBeSent event, so a redirect adds
// its target too, and a request that fails is there as well): documents,
// scripts, images, fetch and XHR, data: and blob: URLs, and the request that
// Chromium itself may make for /favicon.ico of the page's origin (a page with
// a <link rel="icon"> of its own avoids it). Call it before
// Navigate. It does not see requests of workers, or of iframes from other
// sites (Chromium runs them as targets of their own). It panics when ctx is
// not a tab from New or NewTab that is still open.
func Network(ctx context.Context) *Requests {
	r := &Requests{}
	tctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	// chromedp enables the network domain on each tab it opens; enabling
	// it again changes nothing, and makes this independent of that.
	if _, err := chromedp.Call(tctx, network.Enable, network.EnableParams{}); err != nil {
		panic(fmt.Sprintf("browsertest.Network: enabling the network domain: %v", err))
	}
	err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok && e.Request != nil {
			u := e.Request.URL
			if e.Request.URLFragment != "" {
				u += e.Request.URLFragment
			}
			r.mu.Lock()
			r.urls = append(r.urls, u)
			r.mu.Unlock()
		}
	})
	if err != nil {
		panic(fmt.Sprintf("browsertest.Network: %v", err))
	}
	return r
}

// URLs returns the URL of each request recorded so far, in order.
func (r *Requests) URLs() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.urls)
}

// External returns the URLs of the requests recorded so far, in order, less
// those of data: and blob: URLs (which reach nothing outside the page), and
// less those whose origin is one of allowed, each given as a URL such as
// "http://127.0.0.1:8080" (the URL that Serve returns; a path is ignored).
// A page that must make no request elsewhere has none.
func (r *Requests) External(allowed ...string) []string {
	origins := make([]string, 0, len(allowed))
	for _, a := range allowed {
		if o := origin(a); o != "" {
			origins = append(origins, o)
		}
	}
	var out []string
	for _, u := range r.URLs() {
		scheme, _, _ := strings.Cut(u, ":")
		scheme = strings.ToLower(scheme)
		if scheme == "data" || scheme == "blob" {
			continue
		}
		if o := origin(u); o != "" && slices.Contains(origins, o) {
			continue
		}
		out = append(out, u)
	}
	return out
}

// origin returns the scheme and host of the URL s, lower-cased, with its port
// unless that is the scheme's default, or "" when s has no host.
func origin(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return ""
	}
	scheme, host := strings.ToLower(u.Scheme), strings.ToLower(u.Hostname())
	port := u.Port()
	if port == "" || (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		if strings.Contains(host, ":") {
			return scheme + "://[" + host + "]"
		}
		return scheme + "://" + host
	}
	return scheme + "://" + net.JoinHostPort(host, port)
}
