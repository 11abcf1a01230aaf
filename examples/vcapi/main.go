// Vcapi is an HTTP server speaking the W3C VC API, the adapter the W3C test
// suites (vc-data-model-2.0, vc-di-eddsa, vc-di-ecdsa, vc-jose-cose,
// vc-bitstring-status-list) run against: it issues credentials with this
// library's signers and verifies them with package verify.
//
//	go run ./examples/vcapi                        # http://localhost:8080
//	go run ./examples/vcapi -tls -addr :40443 -base-url https://localhost:40443
//	go run ./examples/vcapi -status revocation -allow-network
//
// At start it makes two issuers, each a did:key: an Ed25519 key (eddsa
// suites, EdDSA JWTs) and a P-256 key (ecdsa suites, ES256 JWTs); -key-ed25519
// and -key-p256 load them from private JWK files instead (openbadges keygen
// writes them). GET /issuers lists them with their DID document and JWK Set
// URLs and status lists. Everything else is in memory and lost on exit.
//
// # Endpoints
//
//	POST /credentials/issue   {"credential": {…}, "options": {…}} → 201 {"verifiableCredential": …}
//	POST /credentials/verify  {"verifiableCredential": …, "options": {…}} → 200 verified, 422 not
//	POST /credentials/status  {"credentialId": "…", "credentialStatus": [{"type": "BitstringStatusListEntry", "status": "revoked"}]}
//	POST /presentations/verify {"verifiablePresentation": …, "options": {"challenge": …, "domain": …}} → 200 verified, 422 not
//	POST /presentations       {"presentation": {…}, "options": {…}} → 201 {"verifiablePresentation": …}, signed as one of the server's DIDs
//	GET  /status/{issuer}/{purpose}/{n}   the signed BitstringStatusListCredential
//	GET  /issuers                         the issuers: DIDs, keys, suites, URLs
//	GET  /issuers/{did}                   the did:key's DID document
//	GET  /issuers/{did}/jwks              its JWK Set
//
// Issue options: "cryptosuite" (eddsa-rdfc-2022, the default, eddsa-jcs-2022,
// ecdsa-rdfc-2019, ecdsa-jcs-2019), or "format": "jwt" (the Open Badges 3.0
// VC-JWT, returned as the compact JWS string) or "vc+jwt" (W3C VC-JOSE,
// returned as an EnvelopedVerifiableCredential whose id is
// data:application/vc+jwt,<JWS>, as the VC API and VC-JOSE-COSE specify);
// "credentialStatus" (true, "revocation", "suspension", {"statusPurpose":
// …}, or an array; false for none); "credentialId". The credential's issuer,
// if given, must be one of the server's DIDs (422 otherwise) and picks the
// key; if absent it is filled in with the key the suite needs (Ed25519 for
// JWTs). A credential the W3C VC Data Model forbids is refused (400, a
// problem detail per fault) before it is signed, and every credential
// issued is verified before it is returned.
//
// Verify accepts a JSON credential, a compact JWS string, or an
// EnvelopedVerifiableCredential. The response has "verified", "checks" (the
// IDs of the checks passed), "warnings", "errors" and, when not verified,
// "problemDetails" (RFC 9457 objects with type, title, detail and, for the
// VC Data Model's and Bitstring Status List's types, code), and "results"
// (every check with its outcome). Verification is offline: the server's own
// status lists are handed to verify.Trust.Documents and did:key needs no
// document; -documents FILE adds the issuers' DID and controller documents
// the operator trusts (an offline map, as openbadges verify --offline-map
// reads it); -allow-network adds a fetch.HTTP fetcher for everything else.
// A key a request names (options.verificationMethod) is never trusted: it
// is the word of the party being verified. A status that cannot be decided
// fails verification. By default any Verifiable Credential is verified
// (verify.Policy.VCOnly), since the W3C suites send credentials that are
// not Open Badges; -ob, or "vcOnly": false in the options, runs the Open
// Badges 3.0 schema and rules too.
//
// # The W3C test suites
//
// conformance.sh runs the five suites against this server and prints one
// line per suite with its passing, failing and pending counts:
//
//	examples/vcapi/conformance.sh --prepare /path/to/suites   # once: clone and npm install
//	examples/vcapi/conformance.sh /path/to/suites
//
// It starts the server with -tls, fixed keys and the right -base-url, and
// writes each suite's localConfig.cjs from GET /issuers. README.md shows
// each of those configurations, and which tests do not apply and why.
//
// The server has no authentication: it is a test adapter, not an issuer to
// put on the Internet.
package main

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/go-openbadges/openbadges/fetch"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/status"
	"github.com/go-openbadges/openbadges/verify"
)

func main() {
	log.SetFlags(0)
	if err := run(os.Args[1:], os.Stderr); err != nil {
		log.Fatal(err)
	}
}

// run parses the flags, serves until SIGINT or SIGTERM, then shuts down.
func run(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("vcapi", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "localhost:8080", "address to listen on")
	useTLS := fs.Bool("tls", false, "serve https with a self-signed certificate for localhost, made in memory")
	allowNetwork := fs.Bool("allow-network", false, "let verification fetch did:web and https keys and other issuers' status lists")
	baseURL := fs.String("base-url", "", "the server's external URL, for status list URLs (default http(s)://ADDR)")
	statusFlag := fs.String("status", "", "status entries every credential gets: revocation, suspension, or both (comma-separated)")
	ob := fs.Bool("ob", false, "verify as Open Badges 3.0 by default (schema and rules), not any VC")
	edKey := fs.String("key-ed25519", "", "private JWK file of the Ed25519 key (default: generated)")
	p256Key := fs.String("key-p256", "", "private JWK file of the P-256 key (default: generated)")
	maxBody := fs.Int64("max-body", DefaultMaxBodyBytes, "largest request body, in bytes")
	documents := fs.String("documents", "", "offline map of the issuers' DID and controller documents to trust, as openbadges verify --offline-map reads it (JSON: DID or URL to document or file path)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", fs.Args())
	}

	cfg := config{BaseURL: *baseURL, OpenBadges: *ob, MaxBodyBytes: *maxBody}
	if cfg.BaseURL == "" {
		scheme := "http"
		if *useTLS {
			scheme = "https"
		}
		host, port, err := net.SplitHostPort(*addr)
		if err != nil {
			return fmt.Errorf("-addr %q: %w", *addr, err)
		}
		if host == "" || host == "0.0.0.0" || host == "::" {
			host = "localhost"
		}
		cfg.BaseURL = scheme + "://" + net.JoinHostPort(host, port)
	}
	if *allowNetwork {
		cfg.Fetcher = fetch.HTTP{}
	}
	if *documents != "" {
		var err error
		if cfg.Documents, err = loadDocuments(*documents); err != nil {
			return err
		}
	}
	for _, p := range strings.Split(*statusFlag, ",") {
		if p = strings.TrimSpace(p); p != "" {
			cfg.Status = append(cfg.Status, status.Purpose(p))
		}
	}
	var err error
	if cfg.Ed25519, err = loadKey(*edKey); err != nil {
		return err
	}
	if cfg.P256, err = loadKey(*p256Key); err != nil {
		return err
	}
	s, err := buildServer(cfg)
	if err != nil {
		return err
	}

	srv := newHTTPServer(*addr, s.routes())
	if *useTLS {
		cert, err := selfSignedCert()
		if err != nil {
			return err
		}
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() {
		if *useTLS {
			errc <- srv.ServeTLS(ln, "", "")
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	fmt.Fprintf(stderr, "vcapi: serving the VC API at %s (listening on %s)\n", cfg.BaseURL, ln.Addr())
	for _, ik := range s.issuers {
		fmt.Fprintf(stderr, "vcapi: issuer %s (%s)\n", ik.did, strings.Join(ik.suites, ", "))
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	stop()
	fmt.Fprintln(stderr, "vcapi: shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// loadDocuments reads the operator's offline map (verify.ParseDocumentMap),
// its file paths relative to its folder.
func loadDocuments(path string) (map[string][]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, verify.MaxMapDocumentBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > verify.MaxMapDocumentBytes {
		return nil, fmt.Errorf("-documents %s: larger than %d bytes", path, verify.MaxMapDocumentBytes)
	}
	docs, err := verify.ParseDocumentMap(data, filepath.Dir(path))
	if err != nil {
		return nil, fmt.Errorf("-documents %s: %w", path, err)
	}
	return docs, nil
}

// loadKey reads a private JWK file; an empty path is no key (one is
// generated).
func loadKey(path string) (crypto.Signer, error) {
	if path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	signer, _, err := keys.ParsePrivateJWK(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return signer, nil
}

// selfSignedCert makes a P-256 certificate for localhost, 127.0.0.1 and
// ::1, valid for a week, held only in memory.
func selfSignedCert() (tls.Certificate, error) {
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
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "localhost", Organization: []string{"openbadges vcapi example"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(7 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, nil
}

// newHTTPServer returns the http.Server that serves h on addr, with
// timeouts and a header limit for clients that are slow or send too much.
func newHTTPServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
}
