package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// ErrForbiddenAddress is wrapped by the error [HTTP] returns when its
// network policy refuses a request: the host is at an address that is not
// public (loopback, private, link-local, ...), or the address it would
// connect to cannot be checked (through a proxy, or a Client.Transport that
// is not an [*http.Transport]). The error is an [*AddressError].
var ErrForbiddenAddress = errors.New("fetch: address not allowed")

// An AddressError reports a request that the network policy of [HTTP]
// refused. It wraps [ErrForbiddenAddress].
type AddressError struct {
	// Host is the host and port the request was for, as in its URL, with
	// the default port added: "localhost:8443", "example.edu:443". For a
	// redirect it is the host redirected to.
	Host string

	// Addr is the address refused: the one the connection would have
	// been made to, or was made to when Client.Transport dials with a
	// function of its own. It is the zero Addr when the address could not
	// be checked.
	Addr netip.Addr

	// Reason is what Addr is ("loopback", "private", "link-local", ...)
	// or, when Addr is the zero Addr, why the address could not be
	// checked.
	Reason string
}

// Error implements the error interface.
func (e *AddressError) Error() string {
	if !e.Addr.IsValid() {
		return fmt.Sprintf("host %q: its address cannot be checked: %s; list the host in fetch.HTTP's AllowHosts to fetch it anyway, or set AllowAnyAddress if something else enforces a network policy", e.Host, e.Reason)
	}
	return fmt.Sprintf("host %q is at %v (%s), not a public address; list the host in fetch.HTTP's AllowHosts to fetch it", e.Host, e.Addr, e.Reason)
}

// Unwrap returns [ErrForbiddenAddress].
func (e *AddressError) Unwrap() error { return ErrForbiddenAddress }

// Dialer settings of the transports HTTP makes, as in http.DefaultTransport.
const (
	dialTimeout   = 30 * time.Second
	dialKeepAlive = 30 * time.Second
)

// The transports used when HTTP.Client (or its Transport) is nil, shared
// so that connections are reused across Fetches. Neither uses a proxy: the
// address connected to is then always the one checked. open serves hosts
// the policy allows at any address, guarded every other host; the two
// never share a connection, so a connection made for an allowed host is
// never reused for a request whose policy does not allow it.
var (
	sharedOpen    = newTransport((&net.Dialer{Timeout: dialTimeout, KeepAlive: dialKeepAlive}).DialContext)
	sharedGuarded = newTransport(guardedDial)
)

// newTransport returns a transport with the settings of
// http.DefaultTransport, dialing with dial, and without a proxy.
func newTransport(dial func(ctx context.Context, network, addr string) (net.Conn, error)) *http.Transport {
	return &http.Transport{
		Proxy:                 nil, // never ProxyFromEnvironment: see sharedGuarded
		DialContext:           dial,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: 1 * time.Second,
	}
}

// guardedDial dials addr (host:port) like net.Dialer, refusing, after name
// resolution and before connecting, every address that is not public. When
// a name has several addresses, only the public ones are tried.
func guardedDial(ctx context.Context, network, addr string) (net.Conn, error) {
	d := net.Dialer{
		Timeout:   dialTimeout,
		KeepAlive: dialKeepAlive,
		ControlContext: func(_ context.Context, _, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return &AddressError{Host: addr, Reason: fmt.Sprintf("%q is not an IP address and port", address)}
			}
			if kind := addrKind(ap.Addr()); kind != "" {
				return &AddressError{Host: addr, Addr: ap.Addr(), Reason: kind}
			}
			return nil
		},
	}
	return d.DialContext(ctx, network, addr)
}

// checkConn wraps a dial function of a caller's transport, which HTTP
// cannot make check addresses before connecting: it checks the remote
// address of each connection the function returns, before anything is
// sent on it, and closes the connection if the policy refuses it.
func checkConn(dial func(ctx context.Context, network, addr string) (net.Conn, error)) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		var ip netip.Addr
		switch ra := conn.RemoteAddr().(type) {
		case *net.TCPAddr:
			ip, _ = netip.AddrFromSlice(ra.IP)
			if ip.IsValid() && ra.Zone != "" {
				ip = ip.WithZone(ra.Zone)
			}
		case nil:
		default:
			if ap, err := netip.ParseAddrPort(ra.String()); err == nil {
				ip = ap.Addr()
			}
		}
		if !ip.IsValid() {
			conn.Close()
			return nil, &AddressError{Host: addr, Reason: fmt.Sprintf("the Client's Transport dialed a connection whose remote address %v is not an IP address", conn.RemoteAddr())}
		}
		if kind := addrKind(ip); kind != "" {
			conn.Close()
			return nil, &AddressError{Host: addr, Addr: ip, Reason: kind}
		}
		return conn, nil
	}
}

// A policy is the RoundTripper of the client one Fetch uses. It sends a
// request (the first, and each redirect) for a host listed in AllowHosts
// through open, and any other through guarded, which refuses addresses that
// are not public when it dials; or refuses it with refuse as the reason,
// when there is no transport that could check.
type policy struct {
	allow []hostEntry
	open  http.RoundTripper

	// For hosts not allowed: refuse if set, else proxy (may be nil), then
	// guarded.
	refuse string
	proxy  func(*http.Request) (*url.URL, error)

	mu      sync.Mutex
	base    *http.Transport // cloned into guarded on first use, if set
	guarded http.RoundTripper
	clone   *http.Transport // guarded, when it is a clone of base
}

// RoundTrip implements http.RoundTripper.
func (p *policy) RoundTrip(req *http.Request) (*http.Response, error) {
	host, port := req.URL.Hostname(), req.URL.Port()
	if port == "" {
		port = "443"
	}
	if allowed(p.allow, host, port) {
		return p.open.RoundTrip(req)
	}
	refuse := func(reason string) (*http.Response, error) {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, &AddressError{Host: net.JoinHostPort(host, port), Reason: reason}
	}
	if p.refuse != "" {
		return refuse(p.refuse)
	}
	if p.proxy != nil {
		u, err := p.proxy(req)
		if err != nil {
			if req.Body != nil {
				req.Body.Close()
			}
			return nil, err
		}
		if u != nil {
			return refuse(fmt.Sprintf("the Client's Transport sends the request through the proxy %s", u.Redacted()))
		}
	}
	return p.guardedTransport().RoundTrip(req)
}

// guardedTransport returns guarded, cloning base into it the first time.
func (p *policy) guardedTransport() http.RoundTripper {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.guarded == nil {
		t := p.base.Clone()
		t.Proxy = nil // checked in RoundTrip: a proxy that applies refuses
		switch {
		case t.DialContext != nil:
			t.DialContext = checkConn(t.DialContext)
		//lint:ignore SA1019 a caller's Transport may still set the deprecated Dial; its connections are checked like any other
		case t.Dial != nil:
			//lint:ignore SA1019 as above
			dial := t.Dial
			t.DialContext = checkConn(func(_ context.Context, network, addr string) (net.Conn, error) {
				return dial(network, addr)
			})
		default:
			t.DialContext = guardedDial
		}
		//lint:ignore SA1019 as above: DialContext replaces it
		t.Dial = nil
		p.guarded, p.clone = t, t
	}
	return p.guarded
}

// close releases what the policy made for one Fetch.
func (p *policy) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.clone != nil {
		p.clone.CloseIdleConnections()
	}
}

// policy returns the RoundTripper that enforces f's network policy for one
// Fetch, and a function to call when the Fetch is done.
func (f HTTP) policy() (http.RoundTripper, func(), error) {
	allow, err := parseAllowHosts(f.AllowHosts)
	if err != nil {
		return nil, nil, err
	}
	var base http.RoundTripper
	if f.Client != nil {
		base = f.Client.Transport
	}
	if f.AllowAnyAddress {
		if base == nil {
			base = sharedOpen
		}
		return base, func() {}, nil
	}
	p := &policy{allow: allow}
	switch t := base.(type) {
	case nil:
		p.open, p.guarded = sharedOpen, sharedGuarded
	case *http.Transport:
		p.open = t
		//lint:ignore SA1019 a caller's Transport may still set the deprecated DialTLS, which HTTP cannot check either
		if t.DialTLSContext != nil || t.DialTLS != nil {
			p.refuse = "the Client's Transport makes its TLS connections itself (DialTLSContext), so HTTP cannot check them before they are used"
		} else {
			p.base, p.proxy = t, t.Proxy
		}
	default:
		p.open = t
		p.refuse = fmt.Sprintf("the Client's Transport is a %T, not an *http.Transport whose connections HTTP could check", t)
	}
	return p, p.close, nil
}

// A hostEntry is a parsed element of HTTP.AllowHosts: a name (lower case,
// without a final dot) or an address, and a port or "" for any.
type hostEntry struct {
	name string
	addr netip.Addr
	port string
}

// parseAllowHosts parses HTTP.AllowHosts.
func parseAllowHosts(hosts []string) ([]hostEntry, error) {
	var entries []hostEntry
	for _, s := range hosts {
		e, err := parseHostEntry(s)
		if err != nil {
			return nil, fmt.Errorf("fetch: AllowHosts: %q is not a host name, an IP address, or either with a port: %s", s, err)
		}
		entries = append(entries, e)
	}
	return entries, nil
}

func parseHostEntry(s string) (hostEntry, error) {
	host, port, err := net.SplitHostPort(s)
	switch {
	case err == nil:
		if n, err := strconv.ParseUint(port, 10, 16); err != nil || n == 0 {
			return hostEntry{}, fmt.Errorf("invalid port %q", port)
		}
	case strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]"):
		host = s[1 : len(s)-1]
	default:
		host = s
	}
	if a, err := netip.ParseAddr(host); err == nil {
		return hostEntry{addr: a, port: port}, nil
	}
	name := normalizeName(host)
	if name == "" {
		return hostEntry{}, errors.New("empty host")
	}
	if i := strings.IndexFunc(name, func(r rune) bool {
		return r <= ' ' || r == 0x7f || strings.ContainsRune("/\\?#@[]:%*", r)
	}); i >= 0 {
		return hostEntry{}, fmt.Errorf("invalid character %q", name[i])
	}
	return hostEntry{name: name, port: port}, nil
}

// normalizeName returns a host name in the form AllowHosts compares.
func normalizeName(host string) string {
	return strings.ToLower(strings.TrimSuffix(host, "."))
}

// allowed reports whether a URL's host (as url.URL.Hostname returns it)
// and port are listed in allow.
func allowed(allow []hostEntry, host, port string) bool {
	if len(allow) == 0 {
		return false
	}
	a, err := netip.ParseAddr(host)
	name := ""
	if err != nil {
		name = normalizeName(host)
	}
	for _, e := range allow {
		if e.port != "" && e.port != port {
			continue
		}
		if a.IsValid() && e.addr == a || name != "" && e.name == name {
			return true
		}
	}
	return false
}

// A special range of addresses that are not public, and what they are.
type special struct {
	prefix netip.Prefix
	kind   string
}

// The ranges of the IANA special-purpose address registries (RFC 6890 and
// later) that are not globally reachable, and a few that are but that no
// document this library fetches is served from, most specific first.
var (
	special4 = []special{
		{netip.MustParsePrefix("0.0.0.0/32"), "unspecified"},
		{netip.MustParsePrefix("0.0.0.0/8"), "this-network"},
		{netip.MustParsePrefix("10.0.0.0/8"), "private"},
		{netip.MustParsePrefix("100.64.0.0/10"), "shared (carrier-grade NAT)"},
		{netip.MustParsePrefix("127.0.0.0/8"), "loopback"},
		{netip.MustParsePrefix("169.254.0.0/16"), "link-local"},
		{netip.MustParsePrefix("172.16.0.0/12"), "private"},
		{netip.MustParsePrefix("192.0.0.0/24"), "IETF protocol assignment"},
		{netip.MustParsePrefix("192.0.2.0/24"), "documentation"},
		{netip.MustParsePrefix("192.88.99.0/24"), "6to4 relay anycast"},
		{netip.MustParsePrefix("192.168.0.0/16"), "private"},
		{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking"},
		{netip.MustParsePrefix("198.51.100.0/24"), "documentation"},
		{netip.MustParsePrefix("203.0.113.0/24"), "documentation"},
		{netip.MustParsePrefix("224.0.0.0/4"), "multicast"},
		{netip.MustParsePrefix("255.255.255.255/32"), "broadcast"},
		{netip.MustParsePrefix("240.0.0.0/4"), "reserved"},
	}
	special6 = []special{
		{netip.MustParsePrefix("::/128"), "unspecified"},
		{netip.MustParsePrefix("::1/128"), "loopback"},
		{netip.MustParsePrefix("fe80::/10"), "link-local"},
		{netip.MustParsePrefix("fec0::/10"), "site-local"},
		{netip.MustParsePrefix("fc00::/7"), "unique local (private)"},
		{netip.MustParsePrefix("ff00::/8"), "multicast"},
		{netip.MustParsePrefix("100::/64"), "discard-only"},
		{netip.MustParsePrefix("64:ff9b:1::/48"), "local-use NAT64"},
		{netip.MustParsePrefix("2001:2::/48"), "benchmarking"},
		{netip.MustParsePrefix("2001:db8::/32"), "documentation"},
		{netip.MustParsePrefix("2001::/23"), "IETF protocol assignment"},
		{netip.MustParsePrefix("3fff::/20"), "documentation"},
	}
	// Ranges that embed an IPv4 address, which is then checked: an IPv6
	// address is refused if the IPv4 address it leads to would be.
	nat64  = netip.MustParsePrefix("64:ff9b::/96") // last 32 bits
	sixTo4 = netip.MustParsePrefix("2002::/16")    // the 32 bits after 2002:
	// The global unicast space, outside which no IPv6 address is public.
	global6 = netip.MustParsePrefix("2000::/3")
)

// addrKind returns "" if a is a public address, one that HTTP may connect
// to without an allowance, or else what it is ("loopback", "private",
// ...). An IPv4-mapped IPv6 address, or one of NAT64 or 6to4, is what the
// IPv4 address it leads to is.
func addrKind(a netip.Addr) string {
	a = a.WithZone("")
	if a.Is4In6() {
		a = a.Unmap()
	}
	if a.Is4() {
		for _, s := range special4 {
			if s.prefix.Contains(a) {
				return s.kind
			}
		}
		if !a.IsGlobalUnicast() { // not reached: a safety net for the table
			return "reserved"
		}
		return ""
	}
	if !a.Is6() {
		return "invalid"
	}
	b := a.As16()
	switch {
	case nat64.Contains(a):
		return addrKind(netip.AddrFrom4([4]byte(b[12:16])))
	case sixTo4.Contains(a):
		return addrKind(netip.AddrFrom4([4]byte(b[2:6])))
	}
	for _, s := range special6 {
		if s.prefix.Contains(a) {
			return s.kind
		}
	}
	if !global6.Contains(a) || !a.IsGlobalUnicast() {
		return "reserved"
	}
	return ""
}
