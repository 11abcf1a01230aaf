// Issuer-server is an issuer a wallet can take badges from: it serves the
// OpenID4VCI endpoints of package oid4vci and the Open Badges 3.0 API of
// package obapi over TLS, for an issuer folder as openbadges init writes
// it, with its offers, codes, tokens and learners' credentials in the
// issuer's database (sqlstore), so that several instances may serve it.
// An LMS awards a learner with POST /awards and gets the credential offer
// (a URI, a QR code) back, as JSON or on the learner's certificate page.
// The issuer keeps each credential it awards for the learner, whose
// backpack or wallet app fetches it with the OB 3.0 API (getCredentials),
// once the learner signed in with the one-time code the award gave.
//
// Usage:
//
//	openbadges init --name "Example University" --url https://example.edu --dir issuer
//	OPENBADGES_AWARD_TOKEN=… go run ./examples/issuer-server -config issuer/issuer.json
//
// Flags:
//
//	-addr HOST:PORT  where to listen (default 127.0.0.1:8443)
//	-config FILE     the issuer's configuration (openbadges init's issuer.json)
//	-db URL          the database (sqlite:FILE or postgres://…); default: the
//	                 configuration's
//	-url URL         the Credential Issuer Identifier wallets see; default
//	                 https://ADDR
//	-cert FILE       also write the TLS certificate (never its key) to FILE
//	-terms URL       the terms of service the OB 3.0 API's Service
//	                 Description Document names; default: the issuer's
//	                 URL + /terms
//	-privacy URL     its privacy policy; default: the issuer's URL + /privacy
//
// The TLS certificate is self-signed, made at start for the host of -url,
// localhost and the loopback addresses, and kept in memory with its key;
// its SHA-256 fingerprint is printed for wallets to pin. Behind a proxy
// that ends TLS, or with a real certificate, change serve.
//
// POST /awards takes a submission as JSON and needs the bearer token of
// $OPENBADGES_AWARD_TOKEN (without it, /awards is not served):
//
//	{"achievement": "https://example.edu/achievements/example",
//	 "learner": {"email": "ada@example.org", "name": "Ada"},
//	 "completed": true, "scores": {"https://example.edu/achievements/example/final": "87"},
//	 "evidence": [{"kind": "project", "url": "https://lms.example.edu/p/1"}],
//	 "txCode": true}
//
// It answers {"state", "offer", "txCode", "expires", "signIn",
// "signInExpires"}, or, when the request accepts text/html, the certificate
// page (package render) showing the offer's QR code and link. signIn is a
// one-time code, for the learner to sign in with when an OB 3.0 API client
// asks for their badges (the LMS hands it to them, as it does the txCode).
// Instances that share the database must share the offers' secret too:
// $OPENBADGES_OID4VCI_SECRET, 32 bytes or more (else each makes its own).
// An encrypted key directory is opened with $OPENBADGES_PASSPHRASE.
//
// The OB 3.0 API is at /ims/ob/v3p0/ (discovery, credentials, profile, and
// its OAuth 2.0 endpoints under /ims/ob/v3p0/oauth/). A client registers,
// sends the learner's browser to the authorization endpoint, where the
// learner enters their sign-in code (POST /signin), and exchanges the code
// it gets for tokens. The learner's credentials are those the issuer
// awarded them (by email address, or id), and those their clients upsert;
// an upserted credential is kept only if it verifies, against the issuer's
// own keys (the issuer hosts its own badges, not others').
package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/issuer"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/obapi"
	"github.com/go-openbadges/openbadges/obapi/hoststore"
	"github.com/go-openbadges/openbadges/oid4vci"
	"github.com/go-openbadges/openbadges/render"
	"github.com/go-openbadges/openbadges/sqlstore"
)

// Environment variables the server reads.
const (
	envAwardToken = "OPENBADGES_AWARD_TOKEN"
	envSecret     = "OPENBADGES_OID4VCI_SECRET"
	envPassphrase = "OPENBADGES_PASSPHRASE"
)

// maxAwardBytes bounds an award request.
const maxAwardBytes = 256 << 10

// signInTTL is how long a learner's sign-in code lasts.
const signInTTL = 7 * 24 * time.Hour

func main() {
	addr := flag.String("addr", "127.0.0.1:8443", "where to listen")
	config := flag.String("config", "issuer.json", "the issuer's configuration, as openbadges init writes it")
	dbURL := flag.String("db", "", "the database (sqlite:FILE or postgres://…); default: the configuration's")
	base := flag.String("url", "", "the Credential Issuer Identifier (default https://ADDR)")
	certOut := flag.String("cert", "", "also write the TLS certificate (not its key) to this file")
	terms := flag.String("terms", "", "the URL of the terms of service (default: the issuer's URL + /terms)")
	privacy := flag.String("privacy", "", "the URL of the privacy policy (default: the issuer's URL + /privacy)")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(*addr, *config, *dbURL, *base, *certOut, *terms, *privacy, log); err != nil {
		fmt.Fprintln(os.Stderr, "issuer-server:", err)
		os.Exit(1)
	}
}

func run(addr, config, dbURL, base, certOut, terms, privacy string, log *slog.Logger) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	if base == "" {
		base = "https://" + ln.Addr().String()
	}
	s, err := newServer(ctx, options{
		Config: config, DB: dbURL, BaseURL: base, Terms: terms, Privacy: privacy,
		AwardToken: os.Getenv(envAwardToken), Secret: []byte(os.Getenv(envSecret)),
		Passphrase: []byte(os.Getenv(envPassphrase)), Logger: log,
	})
	if err != nil {
		ln.Close()
		return err
	}
	defer s.Close()
	if certOut != "" {
		if err := os.WriteFile(certOut, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.cert.Certificate[0]}), 0o644); err != nil {
			ln.Close()
			return err
		}
	}
	fmt.Printf("serving %s at %s\nTLS certificate SHA-256 %s\n", base, ln.Addr(), s.Fingerprint())
	if s.opts.AwardToken == "" {
		fmt.Printf("POST /awards is off: set %s to award learners\n", envAwardToken)
	}
	// Every body is bounded in size, and here in time: a client sending
	// one a byte at a time does not hold a connection for good.
	hs := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, IdleTimeout: 2 * time.Minute, TLSConfig: s.TLSConfig()}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		hs.Shutdown(shutdown)
	}()
	if err := hs.ServeTLS(ln, "", ""); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// options configure a server.
type options struct {
	// Config is the issuer's configuration file; DB, if set, its database
	// URL instead of the file's.
	Config, DB string
	// BaseURL is the Credential Issuer Identifier: https://HOST[:PORT][/PATH].
	BaseURL string
	// AwardToken is the bearer token of POST /awards; empty: not served.
	AwardToken string
	// Secret is oid4vci.Config.Secret; empty: a random one.
	Secret []byte
	// Passphrase opens an encrypted key directory.
	Passphrase []byte
	// Terms and Privacy are the URLs of the terms of service and privacy
	// policy; empty: the issuer's URL + /terms and /privacy.
	Terms, Privacy string
	// Logger receives what the server does, never a code, token or
	// learner's data. If nil, nothing is logged.
	Logger *slog.Logger
}

// A server is the issuer's OpenID4VCI endpoints, its OB 3.0 API and its
// award endpoint.
type server struct {
	opts     options
	db       *sqlstore.DB
	keys     keys.Store
	profile  string // the issuer's name
	site     string // the issuer's URL, or BaseURL
	issuer   *issuer.Issuer
	wallets  *oid4vci.Server
	api      *obapi.Server
	tokens   hoststore.Store // the API's, and the learners' sign-in codes
	renderer *render.Renderer
	cert     tls.Certificate
	mux      *http.ServeMux
}

// newServer opens the issuer of opts.Config and its database, and makes
// the TLS certificate of opts.BaseURL's host.
func newServer(ctx context.Context, opts options) (*server, error) {
	u, err := url.Parse(opts.BaseURL)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("-url %q: want https://HOST[:PORT]", opts.BaseURL)
	}
	switch {
	case len(opts.Secret) == 0:
		opts.Secret = nil // a random secret of this instance
	case len(opts.Secret) < 32:
		return nil, fmt.Errorf("%s: want 32 bytes or more", envSecret)
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &server{opts: opts, mux: http.NewServeMux()}
	iss, alg, err := s.openIssuer(ctx)
	if err != nil {
		s.Close()
		return nil, err
	}
	s.issuer = iss
	s.wallets, err = oid4vci.New(oid4vci.Config{
		Issuer: iss, BaseURL: strings.TrimSuffix(opts.BaseURL, "/"), Algorithm: alg,
		Store: s.db.OID4VCI(), Secret: opts.Secret, Logger: log,
	})
	if err == nil {
		s.renderer, err = render.New(render.Config{})
	}
	if err == nil {
		err = s.newAPI(log)
	}
	if err == nil {
		s.cert, err = selfSigned(u.Hostname())
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	s.mux.Handle("/", s.wallets)
	s.mux.Handle(obapi.APIPath+"/", s.api)
	s.mux.HandleFunc("POST /signin", s.signIn)
	if opts.AwardToken != "" {
		s.mux.HandleFunc("POST /awards", s.award)
	}
	return s, nil
}

// openIssuer opens the issuer of the configuration file: its key
// directory, its database, and its achievements. It returns the JOSE
// algorithm of the issuer's key too.
func (s *server) openIssuer(ctx context.Context) (*issuer.Issuer, keys.Algorithm, error) {
	path := s.opts.Config
	data, err := readFile(path, issuer.MaxConfigBytes)
	if err != nil {
		return nil, "", err
	}
	fc, err := issuer.ParseConfig(data)
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", path, err)
	}
	rel := func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(filepath.Dir(path), p)
	}
	if fc.KeyStore == "" {
		return nil, "", fmt.Errorf("%s: no keyStore: this server signs with a key directory, as openbadges init makes it", path)
	}
	dbURL := s.opts.DB
	if dbURL == "" {
		dbURL = fc.Database
		if name, ok := strings.CutPrefix(dbURL, "sqlite:"); ok && name != "" && !strings.HasPrefix(name, "//") {
			dbURL = "sqlite:" + rel(name)
		}
	}
	if dbURL == "" {
		return nil, "", fmt.Errorf("%s: no database: instances share their offers and codes through it (set database, or -db)", path)
	}
	profile, err := fc.Profile()
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", path, err)
	}
	store, err := keys.OpenDirWithOptions(rel(fc.KeyStore), &keys.DirOptions{Passphrase: s.opts.Passphrase})
	if err != nil {
		return nil, "", fmt.Errorf("%s: keyStore: %w", path, err)
	}
	s.keys, s.profile, s.site = store, profile.Name, strings.TrimSuffix(profile.URL, "/")
	if s.site == "" {
		s.site = strings.TrimSuffix(s.opts.BaseURL, "/")
	}
	key, err := store.ActiveKey(ctx, profile.ID)
	if err != nil {
		return nil, "", fmt.Errorf("%s: the key of %s: %w", path, profile.ID, err)
	}
	if s.db, err = sqlstore.Open(ctx, dbURL, nil); err != nil {
		return nil, "", err
	}
	cfg := issuer.Config{Issuer: profile, Keys: store, Records: s.db.Records(), Review: s.db.Review()}
	if cfg.Formats, cfg.Validity, err = fc.Settings(); err != nil {
		return nil, "", fmt.Errorf("%s: %w", path, err)
	}
	if fc.Status != nil {
		if cfg.Status, err = fc.StatusConfig(ctx, s.db.Status()); err != nil {
			return nil, "", fmt.Errorf("%s: %w", path, err)
		}
	}
	if cfg.Achievements, err = fc.Awards(); err != nil {
		return nil, "", fmt.Errorf("%s: %w", path, err)
	}
	iss, err := issuer.New(cfg)
	return iss, key.Algorithm, err
}

// Close closes the database.
func (s *server) Close() error {
	if s.db == nil {
		return nil
	}
	return s.db.Close()
}

// ServeHTTP implements http.Handler.
func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// TLSConfig returns the server's TLS configuration, with its certificate.
func (s *server) TLSConfig() *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{s.cert}, MinVersion: tls.VersionTLS12}
}

// Fingerprint returns the SHA-256 of the TLS certificate, in hex pairs.
func (s *server) Fingerprint() string {
	sum := sha256.Sum256(s.cert.Certificate[0])
	var b strings.Builder
	for i, c := range sum {
		if i > 0 {
			b.WriteByte(':')
		}
		fmt.Fprintf(&b, "%02X", c)
	}
	return b.String()
}

// awardRequest is the body of POST /awards.
type awardRequest struct {
	Achievement string `json:"achievement"`
	Learner     struct {
		ID    string `json:"id"`
		Email string `json:"email"`
		Name  string `json:"name"`
	} `json:"learner"`
	Completed bool              `json:"completed"`
	Scores    map[string]string `json:"scores"`
	Evidence  []struct {
		URL  string `json:"url"`
		Kind string `json:"kind"`
		Name string `json:"name"`
		Text string `json:"text"`
	} `json:"evidence"`
	// TxCode asks for a transaction code, for the LMS to send the learner
	// apart from the offer.
	TxCode bool `json:"txCode"`
}

// awardResponse is the JSON answer of POST /awards.
type awardResponse struct {
	State   issuer.State `json:"state"`
	Reasons []string     `json:"reasons,omitempty"`
	Offer   string       `json:"offer,omitempty"`
	TxCode  string       `json:"txCode,omitempty"`
	Expires *time.Time   `json:"expires,omitempty"`
	// SignIn is the learner's one-time code for the OB 3.0 API's sign-in,
	// until SignInExpires.
	SignIn        string     `json:"signIn,omitempty"`
	SignInExpires *time.Time `json:"signInExpires,omitempty"`
}

// award is POST /awards: it decides a submission and, for an award issued
// or in review, makes its credential offer.
func (s *server) award(w http.ResponseWriter, r *http.Request) {
	want := sha256.Sum256([]byte("Bearer " + s.opts.AwardToken))
	got := sha256.Sum256([]byte(r.Header.Get("Authorization")))
	if subtle.ConstantTimeCompare(want[:], got[:]) != 1 {
		w.Header().Set("WWW-Authenticate", `Bearer realm="awards"`)
		http.Error(w, "a bearer token is needed", http.StatusUnauthorized)
		return
	}
	var req awardRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxAwardBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		http.Error(w, "the award: "+err.Error(), http.StatusBadRequest)
		return
	}
	sub := &issuer.Submission{
		Learner:       issuer.Learner{ID: req.Learner.ID, Email: req.Learner.Email, Name: req.Learner.Name},
		AchievementID: req.Achievement, Completed: req.Completed,
	}
	for rd, v := range req.Scores {
		sub.Scores = append(sub.Scores, issuer.Score{ResultDescription: rd, Value: v})
	}
	for _, e := range req.Evidence {
		sub.Evidence = append(sub.Evidence, issuer.Evidence{URL: e.URL, Kind: e.Kind, Name: e.Name, Text: e.Text})
	}
	ctx := r.Context()
	out, err := s.issuer.Issue(ctx, sub)
	if err != nil {
		// The error may name the learner: it goes to the LMS, not the log.
		s.log().WarnContext(ctx, "award refused")
		http.Error(w, "the award: "+err.Error(), http.StatusUnprocessableEntity)
		return
	}
	resp := awardResponse{State: out.State}
	if out.Decision.Reasons != nil {
		resp.Reasons = out.Decision.Reasons
	}
	var offer *oid4vci.Offer
	if out.State == issuer.StateIssued || out.State == issuer.StateInReview {
		offer, err = s.wallets.Offer(ctx, out.AwardKey, &oid4vci.OfferOptions{TxCode: req.TxCode})
		if err != nil {
			s.log().ErrorContext(ctx, "offer failed", "state", out.State, "error", err)
			http.Error(w, "the offer could not be made", http.StatusInternalServerError)
			return
		}
		resp.Offer, resp.TxCode, resp.Expires = offer.URI, offer.TxCode, &offer.Expires
	}
	if user := learnerUser(sub.Learner); user != "" && out.State == issuer.StateIssued {
		if err := s.hold(ctx, user, out, &resp); err != nil {
			s.log().ErrorContext(ctx, "the credential is not held for the API", "error", err)
			http.Error(w, "the award's sign-in could not be made", http.StatusInternalServerError)
			return
		}
	}
	s.log().InfoContext(ctx, "awarded", "state", out.State, "offered", offer != nil)
	w.Header().Set("Cache-Control", "no-store")
	if offer != nil && len(out.Credential) > 0 && acceptsHTML(r) {
		page, err := s.page(ctx, out.Credential, req.Learner.Name, offer)
		if err != nil {
			s.log().ErrorContext(ctx, "certificate failed", "error", err)
			http.Error(w, "the certificate could not be made", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(resp)
}

func (s *server) log() *slog.Logger {
	if s.opts.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.opts.Logger
}

// page returns the certificate page of credential, showing the offer's
// QR code and link.
func (s *server) page(ctx context.Context, credential []byte, learner string, o *oid4vci.Offer) ([]byte, error) {
	return s.renderer.HTML(ctx, credential, &render.Options{Learner: learner,
		Offer: &render.Offer{URI: o.URI, Expires: o.Expires, TxCode: o.TxCode != ""}})
}

// acceptsHTML reports whether r asks for a page.
func acceptsHTML(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "text/html")
}

// selfSigned makes a TLS certificate, and its P-256 key, for host,
// localhost and the loopback addresses, valid for a year.
func selfSigned(host string) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return tls.Certificate{}, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: host},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.AddDate(1, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		// A certificate of its own authority, so that a client may trust
		// it as a CA (NODE_EXTRA_CA_CERTS, an OS store).
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	if ip := net.ParseIP(host); ip != nil {
		tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
	} else if host != "localhost" {
		tmpl.DNSNames = append(tmpl.DNSNames, host)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}

// readFile reads at most limit bytes of the file name.
func readFile(name string, limit int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: more than %d bytes", name, limit)
	}
	return data, nil
}
