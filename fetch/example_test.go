package fetch_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/go-openbadges/openbadges/fetch"
)

// A Fetcher is passed to whatever may use the network; HTTP bounds what it
// does there.
func ExampleHTTP() {
	// A stand-in for an issuer's web server.
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/did+json")
		fmt.Fprint(w, `{"id": "did:web:example.edu"}`)
	}))
	defer srv.Close()

	var f fetch.Fetcher = fetch.HTTP{
		Client:   srv.Client(), // nil: transports of package fetch's own
		Timeout:  5 * time.Second,
		MaxBytes: 64 << 10,
		// The test server listens on a loopback address, where only a
		// listed host may be.
		AllowHosts: []string{srv.Listener.Addr().String()},
	}
	body, err := f.Fetch(context.Background(), srv.URL+"/.well-known/did.json")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(body))

	_, err = f.Fetch(context.Background(), "http://example.edu/.well-known/did.json")
	fmt.Println(errors.Is(err, fetch.ErrNotHTTPS))
	// Output:
	// {"id": "did:web:example.edu"}
	// true
}

// HTTP connects only to public addresses, unless the host is listed in
// AllowHosts: a server that verifies credentials for others cannot be made
// to fetch from its own network.
func ExampleHTTP_allowHosts() {
	// A stand-in for a status list server on the verifier's own network.
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"type": "BitstringStatusListCredential"}`)
	}))
	defer srv.Close()
	ctx := context.Background()

	f := fetch.HTTP{Client: srv.Client()}
	_, err := f.Fetch(ctx, srv.URL+"/status/1")
	var ae *fetch.AddressError
	if errors.As(err, &ae) {
		fmt.Println(errors.Is(err, fetch.ErrForbiddenAddress), ae.Reason)
	}

	// A cloud's metadata service: refused before any connection is made.
	_, err = fetch.HTTP{}.Fetch(ctx, "https://169.254.169.254/latest/meta-data/")
	fmt.Println(errors.Is(err, fetch.ErrForbiddenAddress))

	f.AllowHosts = []string{srv.Listener.Addr().String()}
	body, err := f.Fetch(ctx, srv.URL+"/status/1")
	fmt.Println(string(body), err)
	// Output:
	// true loopback
	// true
	// {"type": "BitstringStatusListCredential"} <nil>
}
