//go:build js && wasm

package main

import (
	"net/http"

	"github.com/go-openbadges/openbadges/examples/verifier-web/internal/webverify"
	"github.com/go-openbadges/openbadges/fetch"
)

// browserFetcher is the page's network, used only when the visitor turns it
// on: fetch.HTTP, with the limits `openbadges verify --allow-network` has
// (https only, 10 s, 1 MiB, no credentials in URLs, a 200 answer only),
// over the browser's own fetch.
//
// fetch.HTTP's address policy (no loopback or private addresses) checks
// each address as it dials; in a browser nothing dials but the browser,
// which applies its own rules (mixed content, CORS, Private Network
// Access), so the policy is left to it (AllowAnyAddress). A server's answer
// is readable only when the server allows other sites to read it (CORS); a
// redirect is refused rather than followed, because the browser would
// follow it without letting the page check that it stays on https.
func browserFetcher() fetch.Fetcher {
	return fetch.HTTP{
		Client:          &http.Client{Transport: browserTransport{&http.Transport{}}},
		AllowAnyAddress: true,
		// Short enough (under 128 bytes) to be a CORS-safelisted header,
		// so that a plain GET needs no preflight.
		Accept: "application/did+json, application/did+ld+json, application/ld+json, application/json",
	}
}

// badgeFetcher reads a badge from a link: the same, up to the size of a
// badge.
func badgeFetcher() fetch.Fetcher {
	f := browserFetcher().(fetch.HTTP)
	f.MaxBytes = webverify.MaxInput
	f.Accept = "application/ld+json, application/json, application/jwt, image/png, image/svg+xml, */*;q=0.1"
	return f
}

// browserTransport sets the options of the browser's fetch that net/http
// takes as pseudo-headers: no cookies or HTTP authentication (omit), a
// cross-origin read that the server must allow (cors), and no redirects
// (error).
type browserTransport struct{ base http.RoundTripper }

// RoundTrip sets the options and sends req with the browser's fetch.
func (t browserTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Set("js.fetch:credentials", "omit")
	req.Header.Set("js.fetch:mode", "cors")
	req.Header.Set("js.fetch:redirect", "error")
	return t.base.RoundTrip(req)
}
