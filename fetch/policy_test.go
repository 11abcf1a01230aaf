package fetch

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestAddrKind classifies addresses exactly: each special range at its
// edges, its neighbours, and the IPv6 forms that lead to an IPv4 address.
func TestAddrKind(t *testing.T) {
	tests := []struct {
		addr string
		want string // "" for public
	}{
		// IPv4.
		{"0.0.0.0", "unspecified"},
		{"0.1.2.3", "this-network"},
		{"0.255.255.255", "this-network"},
		{"1.0.0.0", ""},
		{"1.1.1.1", ""},
		{"8.8.8.8", ""},
		{"9.255.255.255", ""},
		{"10.0.0.0", "private"},
		{"10.255.255.255", "private"},
		{"11.0.0.0", ""},
		{"100.63.255.255", ""},
		{"100.64.0.0", "shared (carrier-grade NAT)"},
		{"100.127.255.255", "shared (carrier-grade NAT)"},
		{"100.128.0.0", ""},
		{"126.255.255.255", ""},
		{"127.0.0.1", "loopback"},
		{"127.255.255.254", "loopback"},
		{"128.0.0.0", ""},
		{"169.253.255.255", ""},
		{"169.254.0.1", "link-local"},
		{"169.254.169.254", "link-local"},
		{"169.255.0.0", ""},
		{"172.15.255.255", ""},
		{"172.16.0.0", "private"},
		{"172.31.255.255", "private"},
		{"172.32.0.0", ""},
		{"192.0.0.8", "IETF protocol assignment"},
		{"192.0.1.1", ""},
		{"192.0.2.1", "documentation"},
		{"192.88.99.1", "6to4 relay anycast"},
		{"192.167.255.255", ""},
		{"192.168.0.1", "private"},
		{"192.168.255.255", "private"},
		{"192.169.0.0", ""},
		{"198.17.255.255", ""},
		{"198.18.0.1", "benchmarking"},
		{"198.19.255.255", "benchmarking"},
		{"198.20.0.0", ""},
		{"198.51.100.7", "documentation"},
		{"203.0.113.9", "documentation"},
		{"223.255.255.255", ""},
		{"224.0.0.1", "multicast"},
		{"239.255.255.250", "multicast"},
		{"240.0.0.1", "reserved"},
		{"255.255.255.254", "reserved"},
		{"255.255.255.255", "broadcast"},

		// IPv6.
		{"::", "unspecified"},
		{"::1", "loopback"},
		{"::2", "reserved"},
		{"::127.0.0.1", "reserved"}, // IPv4-compatible, deprecated
		{"fe80::1", "link-local"},
		{"fe80::1%eth0", "link-local"},
		{"febf:ffff::1", "link-local"},
		{"fec0::1", "site-local"},
		{"fc00::1", "unique local (private)"},
		{"fd12:3456:789a::1", "unique local (private)"},
		{"ff02::1", "multicast"},
		{"ff0e::101", "multicast"},
		{"100::1", "discard-only"},
		{"64:ff9b:1::1", "local-use NAT64"},
		{"2001::1", "IETF protocol assignment"}, // Teredo
		{"2001:2::1", "benchmarking"},
		{"2001:1ff:ffff::1", "IETF protocol assignment"},
		{"2001:200::1", ""},
		{"2001:db8::1", "documentation"},
		{"3fff::1", "documentation"},
		{"3ffe::1", ""},
		{"2606:4700:4700::1111", ""},
		{"2001:4860:4860::8888", ""},
		{"1fff:ffff::1", "reserved"},
		{"4000::1", "reserved"},
		{"5f00::1", "reserved"},

		// IPv4-mapped IPv6: what the IPv4 address is.
		{"::ffff:0.0.0.0", "unspecified"},
		{"::ffff:127.0.0.1", "loopback"},
		{"::ffff:10.1.2.3", "private"},
		{"::ffff:100.64.0.1", "shared (carrier-grade NAT)"},
		{"::ffff:169.254.169.254", "link-local"},
		{"::ffff:192.168.1.1", "private"},
		{"::ffff:255.255.255.255", "broadcast"},
		{"::ffff:8.8.8.8", ""},
		// NAT64 (64:ff9b::/96) and 6to4 (2002::/16): what the IPv4 address
		// they lead to is.
		{"64:ff9b::7f00:1", "loopback"},
		{"64:ff9b::a9fe:a9fe", "link-local"},
		{"64:ff9b::a00:1", "private"},
		{"64:ff9b::808:808", ""},
		{"2002:7f00:1::1", "loopback"},
		{"2002:c0a8:101::1", "private"},
		{"2002:808:808::1", ""},
	}
	for _, tt := range tests {
		a := netip.MustParseAddr(tt.addr)
		if got := addrKind(a); got != tt.want {
			t.Errorf("addrKind(%s) = %q, want %q", tt.addr, got, tt.want)
		}
	}
}

func TestParseAllowHosts(t *testing.T) {
	valid := []struct {
		in   string
		want hostEntry
	}{
		{"example.edu", hostEntry{name: "example.edu"}},
		{"Example.EDU.", hostEntry{name: "example.edu"}},
		{"localhost:8443", hostEntry{name: "localhost", port: "8443"}},
		{"xn--bcher-kva.example", hostEntry{name: "xn--bcher-kva.example"}},
		{"127.0.0.1", hostEntry{addr: netip.MustParseAddr("127.0.0.1")}},
		{"127.0.0.1:8443", hostEntry{addr: netip.MustParseAddr("127.0.0.1"), port: "8443"}},
		{"::1", hostEntry{addr: netip.MustParseAddr("::1")}},
		{"[::1]", hostEntry{addr: netip.MustParseAddr("::1")}},
		{"[::1]:8443", hostEntry{addr: netip.MustParseAddr("::1"), port: "8443"}},
		{"fe80::1%eth0", hostEntry{addr: netip.MustParseAddr("fe80::1%eth0")}},
	}
	for _, tt := range valid {
		got, err := parseAllowHosts([]string{tt.in})
		if err != nil {
			t.Errorf("parseAllowHosts(%q): %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff([]hostEntry{tt.want}, got, cmp.AllowUnexported(hostEntry{}), cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
			t.Errorf("parseAllowHosts(%q) (-want +got):\n%s", tt.in, diff)
		}
	}

	invalid := []struct {
		in, want string
	}{
		{"", `fetch: AllowHosts: "" is not a host name, an IP address, or either with a port: empty host`},
		{".", `fetch: AllowHosts: "." is not a host name, an IP address, or either with a port: empty host`},
		{"https://example.edu", `fetch: AllowHosts: "https://example.edu" is not a host name, an IP address, or either with a port: invalid port "//example.edu"`},
		{"example.edu/status", `fetch: AllowHosts: "example.edu/status" is not a host name, an IP address, or either with a port: invalid character '/'`},
		{"example.edu:", `fetch: AllowHosts: "example.edu:" is not a host name, an IP address, or either with a port: invalid port ""`},
		{"example.edu:0", `fetch: AllowHosts: "example.edu:0" is not a host name, an IP address, or either with a port: invalid port "0"`},
		{"example.edu:65536", `fetch: AllowHosts: "example.edu:65536" is not a host name, an IP address, or either with a port: invalid port "65536"`},
		{"example.edu:https", `fetch: AllowHosts: "example.edu:https" is not a host name, an IP address, or either with a port: invalid port "https"`},
		{"user@example.edu", `fetch: AllowHosts: "user@example.edu" is not a host name, an IP address, or either with a port: invalid character '@'`},
		{"*.example.edu", `fetch: AllowHosts: "*.example.edu" is not a host name, an IP address, or either with a port: invalid character '*'`},
		{"exa mple.edu", `fetch: AllowHosts: "exa mple.edu" is not a host name, an IP address, or either with a port: invalid character ' '`},
		{"[::1", `fetch: AllowHosts: "[::1" is not a host name, an IP address, or either with a port: invalid character '['`},
	}
	for _, tt := range invalid {
		_, err := parseAllowHosts([]string{"example.org", tt.in})
		if err == nil {
			t.Errorf("parseAllowHosts(%q) succeeded, want an error", tt.in)
			continue
		}
		if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
			t.Errorf("parseAllowHosts(%q) error (-want +got):\n%s", tt.in, diff)
		}
	}

	// An invalid element fails every Fetch, before any connection.
	_, err := HTTP{AllowHosts: []string{"https://example.edu"}}.Fetch(context.Background(), "https://example.edu/")
	if err == nil || !strings.Contains(err.Error(), "AllowHosts") {
		t.Errorf("Fetch with an invalid AllowHosts = %v, want an error naming AllowHosts", err)
	}
}

func TestAllowed(t *testing.T) {
	allow := []string{"example.edu", "intranet.example.edu:8443", "127.0.0.1", "[::1]:8443", "10.1.2.3:443"}
	tests := []struct {
		url  string
		want bool
	}{
		{"https://example.edu/", true},
		{"https://EXAMPLE.edu./", true},
		{"https://example.edu:8443/", true},
		{"https://www.example.edu/", false},
		{"https://example.edu.evil.example/", false},
		{"https://intranet.example.edu:8443/", true},
		{"https://intranet.example.edu/", false},
		{"https://127.0.0.1/", true},
		{"https://127.0.0.1:9000/", true},
		{"https://[::ffff:127.0.0.1]/", false},
		{"https://localhost/", false},
		{"https://127.0.0.2/", false},
		{"https://[::1]:8443/", true},
		{"https://[0:0::1]:8443/", true},
		{"https://[::1]/", false},
		{"https://10.1.2.3/", true},
		{"https://10.1.2.3:443/", true},
		{"https://10.1.2.3:8443/", false},
	}
	entries, err := parseAllowHosts(allow)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.url)
		if err != nil {
			t.Fatal(err)
		}
		port := u.Port()
		if port == "" {
			port = "443"
		}
		if got := allowed(entries, u.Hostname(), port); got != tt.want {
			t.Errorf("allowed(%q) = %v, want %v", tt.url, got, tt.want)
		}
	}
}

// roundTripFunc is a RoundTripper that is not an *http.Transport.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }

// TestHTTPPolicy fetches from a local https server, at 127.0.0.1, under
// the network policy: refused unless allowed, whether the URL names the
// address, a name that resolves to it, or redirects to it, and whatever
// Client.Transport dials with.
func TestHTTPPolicy(t *testing.T) {
	const body = `{"id": "did:web:example.com"}`
	mux := http.NewServeMux()
	srv := newQuietTLSServer(t, mux)
	srvAddr := srv.Listener.Addr().String() // 127.0.0.1:port
	_, port, _ := net.SplitHostPort(srvAddr)
	localhost := "localhost:" + port
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, body) })
	mux.HandleFunc("/to-localhost", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://"+localhost+"/ok", http.StatusFound)
	})

	// A client that trusts the test server's certificate, and dials as
	// HTTP's own transports do, so that they check every address before
	// connecting.
	direct := func() *http.Client {
		return &http.Client{Transport: &http.Transport{TLSClientConfig: srvTLS(srv)}}
	}
	// The same, accepting the test certificate (for example.com) whatever
	// name it connected to.
	named := func() *http.Client {
		cfg := srvTLS(srv)
		cfg.ServerName = "example.com"
		return &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}
	}
	// srv.Client() has a DialContext of its own, which sends example.com to
	// the test server: DNS as an attacker who controls it would have it.
	// Its connections are checked after they are made.
	rebinding := srv.Client()
	// A client whose Transport makes its TLS connections itself.
	dialTLS := func() *http.Client {
		cfg := srvTLS(srv)
		return &http.Client{Transport: &http.Transport{
			DialTLSContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				return (&tls.Dialer{Config: cfg}).DialContext(ctx, network, addr)
			},
		}}
	}
	// A client whose Transport is not an *http.Transport.
	canned := &http.Client{Transport: roundTripFunc(func(req *http.Request) (*http.Response, error) {
		return &http.Response{
			StatusCode: http.StatusOK,
			Body:       io.NopCloser(strings.NewReader("canned")),
			Request:    req,
		}, nil
	})}
	// A client whose Transport has a Proxy that never applies.
	noProxy := func() *http.Client {
		c := direct()
		c.Transport.(*http.Transport).Proxy = func(*http.Request) (*url.URL, error) { return nil, nil }
		return c
	}

	type refusal struct {
		host   string
		addr   string // "" when the address could not be checked; "loopback" for any loopback address
		reason string // a substring of AddressError.Reason
	}
	loopback := func(host string) *refusal { return &refusal{host: host, addr: "loopback", reason: "loopback"} }
	tests := []struct {
		name    string
		f       HTTP
		url     string
		want    string   // the body, if allowed
		refused *refusal // or the refusal
		wantErr string   // a substring of the error's message
	}{
		// The address in the URL.
		{name: "loopback address", f: HTTP{Client: direct()}, url: srv.URL + "/ok",
			refused: &refusal{host: srvAddr, addr: "127.0.0.1", reason: "loopback"},
			wantErr: fmt.Sprintf(`fetch: "%s/ok": host %q is at 127.0.0.1 (loopback), not a public address; list the host in fetch.HTTP's AllowHosts to fetch it`, srv.URL, srvAddr)},
		{name: "loopback address listed with its port", f: HTTP{Client: direct(), AllowHosts: []string{srvAddr}}, url: srv.URL + "/ok", want: body},
		{name: "loopback address listed", f: HTTP{Client: direct(), AllowHosts: []string{"127.0.0.1"}}, url: srv.URL + "/ok", want: body},
		{name: "loopback address listed with another port", f: HTTP{Client: direct(), AllowHosts: []string{"127.0.0.1:1"}}, url: srv.URL + "/ok",
			refused: &refusal{host: srvAddr, addr: "127.0.0.1", reason: "loopback"}},
		{name: "a name listed, its address requested", f: HTTP{Client: direct(), AllowHosts: []string{"localhost"}}, url: srv.URL + "/ok",
			refused: &refusal{host: srvAddr, addr: "127.0.0.1", reason: "loopback"}},
		{name: "any address allowed", f: HTTP{Client: direct(), AllowAnyAddress: true}, url: srv.URL + "/ok", want: body},

		// A name that resolves to a loopback address: refused when dialing.
		{name: "localhost", f: HTTP{Client: named()}, url: "https://" + localhost + "/ok", refused: loopback(localhost)},
		{name: "localhost listed", f: HTTP{Client: named(), AllowHosts: []string{"LOCALHOST."}}, url: "https://" + localhost + "/ok", want: body},

		// Redirects: each hop is checked when it dials.
		{name: "redirect from a listed host to another", f: HTTP{Client: named(), AllowHosts: []string{srvAddr}}, url: srv.URL + "/to-localhost",
			refused: loopback(localhost),
			wantErr: fmt.Sprintf(`fetch: "%s/to-localhost": redirected to "https://%s/ok": host %q is at`, srv.URL, localhost, localhost)},
		{name: "redirect between listed hosts", f: HTTP{Client: named(), AllowHosts: []string{srvAddr, "localhost"}}, url: srv.URL + "/to-localhost", want: body},

		// A Client.Transport that dials with a function of its own: the
		// connection it returns is checked.
		{name: "own DialContext", f: HTTP{Client: rebinding}, url: "https://example.com/ok",
			refused: &refusal{host: "example.com:443", addr: "127.0.0.1", reason: "loopback"}},
		{name: "own DialContext, loopback address", f: HTTP{Client: rebinding}, url: srv.URL + "/ok",
			refused: &refusal{host: srvAddr, addr: "127.0.0.1", reason: "loopback"}},
		{name: "own DialContext, loopback address listed", f: HTTP{Client: rebinding, AllowHosts: []string{"127.0.0.1"}}, url: srv.URL + "/ok", want: body},
		{name: "own DialContext, host listed", f: HTTP{Client: rebinding, AllowHosts: []string{"example.com"}}, url: "https://example.com/ok", want: body},
		{name: "own DialContext, any address", f: HTTP{Client: rebinding, AllowAnyAddress: true}, url: "https://example.com/ok", want: body},

		// Transports whose connections cannot be checked.
		{name: "own DialTLSContext", f: HTTP{Client: dialTLS()}, url: srv.URL + "/ok",
			refused: &refusal{host: srvAddr, reason: "DialTLSContext"}},
		{name: "own DialTLSContext, host listed", f: HTTP{Client: dialTLS(), AllowHosts: []string{"127.0.0.1"}}, url: srv.URL + "/ok", want: body},
		{name: "not an *http.Transport", f: HTTP{Client: canned}, url: "https://example.com/x",
			refused: &refusal{host: "example.com:443", reason: "the Client's Transport is a fetch.roundTripFunc, not an *http.Transport"},
			wantErr: `fetch: "https://example.com/x": host "example.com:443": its address cannot be checked: the Client's Transport is a fetch.roundTripFunc, not an *http.Transport whose connections HTTP could check; list the host in fetch.HTTP's AllowHosts to fetch it anyway, or set AllowAnyAddress if something else enforces a network policy`},
		{name: "not an *http.Transport, host listed", f: HTTP{Client: canned, AllowHosts: []string{"example.com"}}, url: "https://example.com/x", want: "canned"},
		{name: "not an *http.Transport, any address", f: HTTP{Client: canned, AllowAnyAddress: true}, url: "https://example.com/x", want: "canned"},
		{name: "a proxy that does not apply", f: HTTP{Client: noProxy()}, url: srv.URL + "/ok",
			refused: &refusal{host: srvAddr, addr: "127.0.0.1", reason: "loopback"}},

		// HTTP's own transports (no Client), which refuse before they
		// connect: none of these reaches the network.
		{name: "own transport, loopback", f: HTTP{}, url: srv.URL + "/ok", refused: &refusal{host: srvAddr, addr: "127.0.0.1", reason: "loopback"}},
		{name: "own transport, localhost", f: HTTP{}, url: "https://" + localhost + "/ok", refused: loopback(localhost)},
		{name: "own transport, Client without Transport", f: HTTP{Client: &http.Client{Timeout: time.Minute}}, url: srv.URL + "/ok", refused: &refusal{host: srvAddr, addr: "127.0.0.1", reason: "loopback"}},
		{name: "own transport, 0.0.0.0", f: HTTP{}, url: "https://0.0.0.0:" + port + "/ok", refused: &refusal{host: "0.0.0.0:" + port, addr: "0.0.0.0", reason: "unspecified"}},
		{name: "own transport, mapped loopback", f: HTTP{}, url: "https://[::ffff:127.0.0.1]:" + port + "/ok", refused: &refusal{host: "[::ffff:127.0.0.1]:" + port, addr: "loopback", reason: "loopback"}},
		{name: "own transport, metadata service", f: HTTP{}, url: "https://169.254.169.254/latest/meta-data/", refused: &refusal{host: "169.254.169.254:443", addr: "169.254.169.254", reason: "link-local"}},
		{name: "own transport, private", f: HTTP{}, url: "https://10.0.0.1/", refused: &refusal{host: "10.0.0.1:443", addr: "10.0.0.1", reason: "private"}},
		{name: "own transport, carrier-grade NAT", f: HTTP{}, url: "https://100.64.0.1/", refused: &refusal{host: "100.64.0.1:443", addr: "100.64.0.1", reason: "carrier-grade NAT"}},
		{name: "own transport, broadcast", f: HTTP{}, url: "https://255.255.255.255/", refused: &refusal{host: "255.255.255.255:443", addr: "255.255.255.255", reason: "broadcast"}},
	}
	if ipv6Loopback() {
		tests = append(tests, []struct {
			name    string
			f       HTTP
			url     string
			want    string
			refused *refusal
			wantErr string
		}{
			{name: "own transport, IPv6 loopback", f: HTTP{}, url: "https://[::1]:" + port + "/ok", refused: &refusal{host: "[::1]:" + port, addr: "::1", reason: "loopback"}},
			{name: "own transport, IPv6 unique local", f: HTTP{}, url: "https://[fd00::1]/", refused: &refusal{host: "[fd00::1]:443", addr: "fd00::1", reason: "unique local"}},
			{name: "own transport, NAT64 to link-local", f: HTTP{}, url: "https://[64:ff9b::a9fe:a9fe]/", refused: &refusal{host: "[64:ff9b::a9fe:a9fe]:443", addr: "64:ff9b::a9fe:a9fe", reason: "link-local"}},
		}...)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.f.Timeout == 0 {
				tt.f.Timeout = 5 * time.Second // today's code would try to connect
			}
			got, err := tt.f.Fetch(context.Background(), tt.url)
			if tt.refused == nil {
				if err != nil {
					t.Fatalf("Fetch: %v", err)
				}
				if string(got) != tt.want {
					t.Errorf("Fetch = %q, want %q", got, tt.want)
				}
				return
			}
			if !errors.Is(err, ErrForbiddenAddress) {
				t.Fatalf("Fetch = %q, %v; want an error wrapping ErrForbiddenAddress", got, err)
			}
			var ae *AddressError
			if !errors.As(err, &ae) {
				t.Fatalf("Fetch error %v is not an *AddressError", err)
			}
			if ae.Host != tt.refused.host {
				t.Errorf("AddressError.Host = %q, want %q", ae.Host, tt.refused.host)
			}
			switch tt.refused.addr {
			case "":
				if ae.Addr.IsValid() {
					t.Errorf("AddressError.Addr = %v, want none", ae.Addr)
				}
			case "loopback":
				if !ae.Addr.Unmap().IsLoopback() {
					t.Errorf("AddressError.Addr = %v, want a loopback address", ae.Addr)
				}
			default:
				if want := netip.MustParseAddr(tt.refused.addr); ae.Addr != want {
					t.Errorf("AddressError.Addr = %v, want %v", ae.Addr, want)
				}
			}
			if !strings.Contains(ae.Reason, tt.refused.reason) {
				t.Errorf("AddressError.Reason = %q, want it to contain %q", ae.Reason, tt.refused.reason)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Fetch error:\n%s\nwant it to contain:\n%s", err, tt.wantErr)
			}
			if got != nil {
				t.Errorf("Fetch returned a body with the error")
			}
		})
	}
}

// newQuietTLSServer is newTLSServer without the log of TLS handshakes
// that fail: those of the connections refused after they were made.
func newQuietTLSServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// srvTLS returns a TLS configuration that trusts srv's certificate.
func srvTLS(srv *httptest.Server) *tls.Config {
	return srv.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
}

// ipv6Loopback reports whether this machine can use ::1.
func ipv6Loopback() bool {
	ln, err := net.Listen("tcp6", "[::1]:0")
	if err != nil {
		return false
	}
	ln.Close()
	return true
}

// TestHTTPPolicyPooledConnection: a connection that Client.Transport made
// for a listed host, and keeps, is not reused for a Fetch whose policy does
// not list the host.
func TestHTTPPolicyPooledConnection(t *testing.T) {
	srv := newTLSServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") }))
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: srvTLS(srv)}}
	if _, err := (HTTP{Client: client, AllowHosts: []string{"127.0.0.1"}}).Fetch(context.Background(), srv.URL); err != nil {
		t.Fatalf("Fetch from a listed host: %v", err)
	}
	if _, err := (HTTP{Client: client}).Fetch(context.Background(), srv.URL); !errors.Is(err, ErrForbiddenAddress) {
		t.Errorf("Fetch from the same host, not listed: %v, want ErrForbiddenAddress", err)
	}
	// The caller's Transport is as it was.
	if tr := client.Transport.(*http.Transport); tr.DialContext != nil || tr.Proxy != nil {
		t.Errorf("Fetch modified the Client's Transport")
	}
}

// TestHTTPPolicyProxy: a request that Client.Transport would send through
// a proxy, where the address it reaches could not be checked, is refused,
// and the proxy never hears of it; unless the host is listed.
func TestHTTPPolicyProxy(t *testing.T) {
	var requests atomic.Int32
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		http.Error(w, "no", http.StatusForbidden)
	}))
	t.Cleanup(proxy.Close)
	proxyURL, _ := url.Parse(proxy.URL)
	tr := &http.Transport{Proxy: http.ProxyURL(proxyURL)}
	t.Cleanup(tr.CloseIdleConnections)
	client := &http.Client{Transport: tr}

	_, err := HTTP{Client: client, Timeout: 5 * time.Second}.Fetch(context.Background(), "https://example.com/status/1")
	var ae *AddressError
	if !errors.As(err, &ae) || ae.Addr.IsValid() || ae.Host != "example.com:443" || ae.Reason != "the Client's Transport sends the request through the proxy "+proxy.URL {
		t.Errorf("Fetch through a proxy = %#v (%v), want a refusal naming the proxy", ae, err)
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("the proxy had %d requests, want 0", n)
	}

	// Listed: the request goes through the proxy (which refuses it).
	_, err = HTTP{Client: client, Timeout: 5 * time.Second, AllowHosts: []string{"example.com"}}.Fetch(context.Background(), "https://example.com/status/1")
	if err == nil || errors.Is(err, ErrForbiddenAddress) {
		t.Errorf("Fetch through a proxy, host listed = %v, want the proxy's refusal", err)
	}
	if n := requests.Load(); n != 1 {
		t.Errorf("the proxy had %d requests, want 1", n)
	}
}

// TestHTTPPolicyEnvironmentProxy: HTTP's own transports ignore HTTPS_PROXY,
// which would otherwise carry a request past the check, and check the
// address they connect to.
func TestHTTPPolicyEnvironmentProxy(t *testing.T) {
	for _, tr := range []*http.Transport{sharedOpen, sharedGuarded} {
		if tr.Proxy != nil {
			t.Errorf("a transport of HTTP's own has a Proxy")
		}
	}
	var requests atomic.Int32
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		http.Error(w, "no", http.StatusForbidden)
	}))
	t.Cleanup(proxy.Close)
	// ProxyFromEnvironment reads the environment once per process, so
	// this tells only if nothing read it before; the check of Proxy
	// above always tells.
	t.Setenv("HTTPS_PROXY", proxy.URL)
	_, err := HTTP{Timeout: 5 * time.Second}.Fetch(context.Background(), "https://10.1.2.3/status/1")
	var ae *AddressError
	if !errors.As(err, &ae) || ae.Host != "10.1.2.3:443" || ae.Addr != netip.MustParseAddr("10.1.2.3") {
		t.Errorf("Fetch = %v, want a refusal of 10.1.2.3", err)
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("the proxy had %d requests, want 0", n)
	}
}
