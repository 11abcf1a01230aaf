package fetch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// newTLSServer starts an https test server; its Client trusts it.
func newTLSServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewTLSServer(h)
	t.Cleanup(srv.Close)
	return srv
}

const ctxBody = `{"@context": {"ex": "https://example.org/vocab#"}}`

func TestHTTP(t *testing.T) {
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, ctxBody)
	}))
	t.Cleanup(plain.Close)

	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept"), "application/ld+json") {
			http.Error(w, "bad Accept", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/ld+json")
		fmt.Fprint(w, ctxBody)
	})
	mux.HandleFunc("/exact", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, strings.Repeat("x", 64))
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, strings.Repeat("x", 65)) // with Content-Length
	})
	mux.HandleFunc("/stream", func(w http.ResponseWriter, r *http.Request) {
		// An endless chunked body: Fetch must stop reading at the limit.
		chunk := []byte(strings.Repeat("x", 1024))
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
			w.(http.Flusher).Flush()
		}
	})
	mux.HandleFunc("/missing", http.NotFound)
	mux.HandleFunc("/cookies", func(w http.ResponseWriter, r *http.Request) {
		for _, c := range r.Cookies() {
			fmt.Fprint(w, c.Name)
		}
	})
	mux.HandleFunc("/nocontent", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	mux.HandleFunc("/to-http", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, plain.URL+"/ctx", http.StatusFound)
	})
	mux.HandleFunc("/hop/", func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscanf(strings.TrimPrefix(r.URL.Path, "/hop/"), "%d", &n)
		if n == 0 {
			fmt.Fprint(w, ctxBody)
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/hop/%d", n-1), http.StatusFound)
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	})
	srv := newTLSServer(t, mux)
	client := srv.Client()
	// The test server is on a loopback address, which only a listed host
	// may be at.
	local := []string{srv.Listener.Addr().String()}

	tests := []struct {
		name    string
		f       HTTP
		url     string
		want    string // body on success
		wantIs  error
		wantErr string
	}{
		{name: "https", f: HTTP{Client: client, AllowHosts: local}, url: srv.URL + "/ok", want: ctxBody},
		{name: "at the limit", f: HTTP{Client: client, AllowHosts: local, MaxBytes: 64}, url: srv.URL + "/exact", want: strings.Repeat("x", 64)},
		{name: "over the limit", f: HTTP{Client: client, AllowHosts: local, MaxBytes: 64}, url: srv.URL + "/big", wantIs: ErrResponseTooLarge},
		{name: "endless body", f: HTTP{Client: client, AllowHosts: local, MaxBytes: 10000}, url: srv.URL + "/stream", wantIs: ErrResponseTooLarge},
		{name: "404", f: HTTP{Client: client, AllowHosts: local}, url: srv.URL + "/missing", wantErr: "status 404"},
		{name: "204", f: HTTP{Client: client, AllowHosts: local}, url: srv.URL + "/nocontent", wantErr: "status 204"},
		{name: "http URL", f: HTTP{Client: plain.Client()}, url: plain.URL + "/ctx", wantIs: ErrNotHTTPS},
		{name: "file URL", f: HTTP{}, url: "file:///etc/passwd", wantIs: ErrNotHTTPS},
		{name: "ftp URL", f: HTTP{}, url: "ftp://example.org/ctx", wantIs: ErrNotHTTPS},
		{name: "relative URL", f: HTTP{}, url: "/ctx", wantIs: ErrNotHTTPS},
		{name: "no host", f: HTTP{}, url: "https:///ctx", wantErr: "no host"},
		{name: "redirect to http", f: HTTP{Client: client, AllowHosts: local}, url: srv.URL + "/to-http", wantIs: ErrNotHTTPS},
		{name: "three redirects", f: HTTP{Client: client, AllowHosts: local}, url: srv.URL + "/hop/3", want: ctxBody},
		{name: "four redirects", f: HTTP{Client: client, AllowHosts: local}, url: srv.URL + "/hop/4", wantErr: "too many redirects (more than 3)"},
		{name: "one redirect allowed", f: HTTP{Client: client, AllowHosts: local, MaxRedirects: 1}, url: srv.URL + "/hop/2", wantErr: "too many redirects (more than 1)"},
		{name: "redirects off", f: HTTP{Client: client, AllowHosts: local, MaxRedirects: -1}, url: srv.URL + "/hop/1", wantErr: "redirects are not followed"},
		{name: "timeout", f: HTTP{Client: client, AllowHosts: local, Timeout: 50 * time.Millisecond}, url: srv.URL + "/slow", wantIs: context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.f.Fetch(context.Background(), tt.url)
			if tt.wantIs == nil && tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Fetch: %v", err)
				}
				if string(got) != tt.want {
					t.Errorf("Fetch = %q, want %q", got, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("Fetch = %q, want an error", got)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("Fetch error %v does not wrap %v", err, tt.wantIs)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Fetch error %q does not contain %q", err, tt.wantErr)
			}
			if got != nil {
				t.Errorf("Fetch returned a body with the error")
			}
		})
	}

	t.Run("status error type", func(t *testing.T) {
		_, err := HTTP{Client: client, AllowHosts: local}.Fetch(context.Background(), srv.URL+"/missing")
		var se *StatusError
		if !errors.As(err, &se) || se.StatusCode != http.StatusNotFound || se.URL != srv.URL+"/missing" {
			t.Errorf("Fetch = %v, want *StatusError{404}", err)
		}
	})

	t.Run("context deadline", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := HTTP{Client: client, AllowHosts: local}.Fetch(ctx, srv.URL+"/slow")
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Fetch = %v, want context.DeadlineExceeded", err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("Fetch took %v after a 50ms deadline", d)
		}
	})

	t.Run("client not modified", func(t *testing.T) {
		c := srv.Client()
		called := false
		c.CheckRedirect = func(*http.Request, []*http.Request) error { called = true; return nil }
		if _, err := (HTTP{Client: c, AllowHosts: local}).Fetch(context.Background(), srv.URL+"/to-http"); !errors.Is(err, ErrNotHTTPS) {
			t.Errorf("Fetch = %v, want ErrNotHTTPS", err)
		}
		if called {
			t.Error("the Client's own CheckRedirect was used")
		}
		if c.CheckRedirect == nil {
			t.Error("Fetch modified the caller's Client")
		}
	})

	t.Run("credentials in the URL", func(t *testing.T) {
		u := strings.Replace(srv.URL, "https://", "https://user:secret@", 1) + "/ok"
		_, err := HTTP{Client: client, AllowHosts: local}.Fetch(context.Background(), u)
		if err == nil || !strings.Contains(err.Error(), "carries credentials") || strings.Contains(err.Error(), "secret") {
			t.Errorf("Fetch = %v, want a refusal that does not repeat the password", err)
		}
	})

	t.Run("no cookies", func(t *testing.T) {
		jar, err := cookiejar.New(nil)
		if err != nil {
			t.Fatal(err)
		}
		c := srv.Client()
		c.Jar = jar
		u, _ := url.Parse(srv.URL)
		jar.SetCookies(u, []*http.Cookie{{Name: "session", Value: "s3cret"}})
		body, err := HTTP{Client: c, AllowHosts: local}.Fetch(context.Background(), srv.URL+"/cookies")
		if err != nil || string(body) != "" {
			t.Errorf("Fetch sent cookies %q (%v)", body, err)
		}
	})
}
