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
		Client:   srv.Client(), // nil: a client with http.DefaultTransport
		Timeout:  5 * time.Second,
		MaxBytes: 64 << 10,
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
