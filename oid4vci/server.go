package oid4vci

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/did"
	"github.com/go-openbadges/openbadges/issuer"
	"github.com/go-openbadges/openbadges/keys"
)

// The credential formats, as OpenID4VCI names them.
const (
	// FormatLDP is a credential with an embedded Data Integrity proof.
	FormatLDP = "ldp_vc"
	// FormatJWT is a credential as a VC-JWT.
	FormatJWT = "jwt_vc_json"
)

// GrantPreAuthorized is the grant type of the Pre-Authorized Code Flow.
const GrantPreAuthorized = "urn:ietf:params:oauth:grant-type:pre-authorized_code"

// proofType is the JWT key proof's typ.
const proofType = "openid4vci-proof+jwt"

// Defaults of a Config's zero fields.
const (
	DefaultOfferTTL         = 10 * time.Minute
	DefaultTokenTTL         = 10 * time.Minute
	DefaultNonceTTL         = 5 * time.Minute
	DefaultDeferredTTL      = 30 * 24 * time.Hour
	DefaultDeferredInterval = time.Hour
	DefaultTxCodeAttempts   = 5
)

// Limits on what a request may carry.
const (
	// MaxBodyBytes bounds a request body.
	MaxBodyBytes = 64 << 10
	// MaxProofBytes bounds a key proof JWT.
	MaxProofBytes = 16 << 10
)

// ErrConfig is wrapped by New's error for a Config that cannot be used.
var ErrConfig = errors.New("oid4vci: bad configuration")

// ErrNotOffered is wrapped by Offer's error for an award key whose award
// cannot be offered: it has no record, or its record is neither issued nor
// in review.
var ErrNotOffered = errors.New("oid4vci: the award cannot be offered")

// Display is how the Credential Issuer, or a credential, is shown in a
// wallet, in one language.
type Display struct {
	// Name is the display name.
	Name string `json:"name,omitempty"`
	// Locale is its language, a BCP 47 tag ("en", "fr-CA").
	Locale string `json:"locale,omitempty"`
	// Logo is the logo, if any.
	Logo *Logo `json:"logo,omitempty"`
	// Description describes a credential (not the issuer).
	Description string `json:"description,omitempty"`
}

// Logo is an image a wallet shows.
type Logo struct {
	// URI is where the image is: https or data.
	URI string `json:"uri"`
	// AltText is its text alternative.
	AltText string `json:"alt_text,omitempty"`
}

// Config configures a Server: a plain struct whose zero fields have useful
// defaults, except Issuer and BaseURL.
type Config struct {
	// Issuer issues the credentials (issuer.Issuer.IssueTo) and keeps the
	// records offers are made from.
	Issuer *issuer.Issuer
	// BaseURL is the Credential Issuer Identifier: an https URL with no
	// query or fragment ("https://lms.example.edu/badges"). The
	// endpoints are under it (BaseURL+"/token", …); the metadata is at
	// the host's /.well-known/openid-credential-issuer followed by its
	// path, as the specification places it (and, for wallets that look
	// there, under BaseURL too). An http URL is accepted only for a
	// loopback host, for tests.
	BaseURL string
	// Algorithm is the JOSE algorithm of the issuer's signing key (EdDSA,
	// ES256, ES384), which the metadata announces. Zero means EdDSA.
	Algorithm keys.Algorithm
	// Display is how wallets show the Credential Issuer, per language.
	Display []Display
	// Achievements names the achievements offered with a credential
	// configuration of their own (two: NAME_ldp_vc and NAME_jwt_vc_json),
	// whose display (name, description, image as logo, language) is the
	// achievement's. An award of another achievement is offered as the
	// generic OpenBadgeCredential_ldp_vc and OpenBadgeCredential_jwt_vc_json.
	Achievements map[string]*credential.Achievement
	// Translations are more languages for the achievements of
	// Achievements, by name: how wallets show the credential in each
	// (Name and Locale required, one per language; a translation without
	// a Logo has the achievement's).
	Translations map[string][]Display
	// Store keeps offers, codes, tokens, nonces and transactions. If nil,
	// a MemoryStore: enough for one process, not for several.
	Store Store
	// Resolver resolves the DID URL a key proof names in kid to the
	// wallet's key. If nil, did.NewResolver with no Fetcher: did:key and
	// did:jwk, offline.
	Resolver did.Resolver
	// Secret keys what the Server hands out without keeping it until it
	// is used (c_nonces, authorization requests while the learner signs
	// in, notification ids): at least 32 random bytes, the same for every
	// instance that shares the Store, kept like a signing key. If nil, a
	// random secret of this Server: enough for one process, not for
	// several.
	Secret []byte
	// OfferTTL is how long an offer and its pre-authorized code may be
	// used; TokenTTL how long an access token; NonceTTL a c_nonce;
	// DeferredTTL a deferred issuance transaction (an award in review).
	// Zero means the Default… constant.
	OfferTTL, TokenTTL, NonceTTL, DeferredTTL time.Duration
	// DeferredInterval is how long a wallet is asked to wait before it asks
	// again for a deferred credential. Zero means DefaultDeferredInterval.
	DeferredInterval time.Duration
	// TxCodeAttempts is how many wrong transaction codes end an offer.
	// Zero means DefaultTxCodeAttempts.
	TxCodeAttempts int
	// Login, if set, signs learners in at the LMS for the Authorization
	// Code Flow (with PKCE), for wallets that take an offer that way
	// (OfferOptions.AuthorizationCode) or start on their own. If nil,
	// only the Pre-Authorized Code Flow is served.
	Login Login
	// Notify, if set, receives the wallets' notifications: the award key
	// and the event (credential_accepted, credential_failure,
	// credential_deleted).
	Notify func(ctx context.Context, awardKey, event string)
	// Logger receives one record per request refused or served, with the
	// award key and the error code, and never a code, token, nonce or the
	// learner's data (their wallet's DID included). If nil, nothing is
	// logged.
	Logger *slog.Logger
	// Now returns the current time. If nil, time.Now.
	Now func() time.Time
}

// configuration is one credential configuration.
type configuration struct {
	format      string
	name        string                  // the achievement's, in Config.Achievements
	achievement *credential.Achievement // nil for the generic ones
}

// A Server is the OpenID4VCI Credential Issuer and authorization server of
// an issuer: an http.Handler. It is safe for concurrent use.
//
// Its errors are the specification's: at the token endpoint,
// unsupported_grant_type, invalid_request (a tx_code missing or not
// expected) and invalid_grant (a code unknown, used, expired, or with the
// wrong tx_code); at the credential endpoint, invalid_token (401) and
// insufficient_scope (403) for the access token, and
// invalid_credential_request, unknown_credential_configuration,
// unknown_credential_identifier, invalid_proof, invalid_nonce,
// invalid_encryption_parameters and credential_request_denied; at the
// deferred credential endpoint also invalid_transaction_id; at the
// notification endpoint invalid_notification_id and
// invalid_notification_request.
//
// Wallets of the drafts before 1.0 (draft 13, "ID1"), many still in use,
// are served too: the token response carries a c_nonce, and a credential
// request with one proof and a format rather than a configuration is
// answered in that form (one credential, a fresh c_nonce; a refused proof
// gets invalid_proof with a c_nonce, and an unknown format
// unsupported_credential_format).
type Server struct {
	cfg      Config
	base     string // BaseURL, without a trailing slash
	path     string // its path, without a trailing slash
	store    Store
	resolver did.Resolver
	log      *slog.Logger
	configs  map[string]configuration
	byAch    map[string]string // achievement id → configuration name
	metadata []byte
	asMeta   []byte
	mux      *http.ServeMux
	sealer   *sealer
}

// New returns the Server of cfg.
func New(cfg Config) (*Server, error) {
	if cfg.Issuer == nil {
		return nil, fmt.Errorf("%w: Issuer is required", ErrConfig)
	}
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("%w: BaseURL %q is not an https URL without query or fragment", ErrConfig, cfg.BaseURL)
	}
	if u.Scheme != "https" && !(u.Scheme == "http" && isLoopback(u.Hostname())) {
		return nil, fmt.Errorf("%w: BaseURL %q is not https", ErrConfig, cfg.BaseURL)
	}
	s := &Server{cfg: cfg, store: cfg.Store, resolver: cfg.Resolver, log: cfg.Logger}
	s.base = strings.TrimSuffix(cfg.BaseURL, "/")
	s.path = strings.TrimSuffix(u.EscapedPath(), "/")
	if s.store == nil {
		s.store = &MemoryStore{Now: cfg.Now}
	}
	if s.resolver == nil {
		s.resolver = did.NewResolver(did.Options{})
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.cfg.Algorithm == "" {
		s.cfg.Algorithm = keys.EdDSA
	}
	for _, d := range []*time.Duration{&s.cfg.OfferTTL, &s.cfg.TokenTTL, &s.cfg.NonceTTL, &s.cfg.DeferredTTL, &s.cfg.DeferredInterval} {
		if *d < 0 {
			return nil, fmt.Errorf("%w: a negative duration", ErrConfig)
		}
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	def(&s.cfg.OfferTTL, DefaultOfferTTL)
	def(&s.cfg.TokenTTL, DefaultTokenTTL)
	def(&s.cfg.NonceTTL, DefaultNonceTTL)
	def(&s.cfg.DeferredTTL, DefaultDeferredTTL)
	def(&s.cfg.DeferredInterval, DefaultDeferredInterval)
	if s.cfg.TxCodeAttempts <= 0 {
		s.cfg.TxCodeAttempts = DefaultTxCodeAttempts
	}
	s.configs = map[string]configuration{
		"OpenBadgeCredential_" + FormatLDP: {format: FormatLDP},
		"OpenBadgeCredential_" + FormatJWT: {format: FormatJWT},
	}
	s.byAch = map[string]string{}
	for name, a := range cfg.Achievements {
		if name == "" || strings.ContainsAny(name, " \t\r\n\"") || a == nil || a.ID == "" {
			return nil, fmt.Errorf("%w: achievement %q: a name without spaces and an achievement with an id are required", ErrConfig, name)
		}
		if name == "OpenBadgeCredential" {
			return nil, fmt.Errorf("%w: achievement name %q is the generic configuration's", ErrConfig, name)
		}
		if _, dup := s.byAch[a.ID]; dup {
			return nil, fmt.Errorf("%w: achievement %s is named twice", ErrConfig, a.ID)
		}
		s.byAch[a.ID] = name
		s.configs[name+"_"+FormatLDP] = configuration{format: FormatLDP, name: name, achievement: a}
		s.configs[name+"_"+FormatJWT] = configuration{format: FormatJWT, name: name, achievement: a}
	}
	for name, ds := range cfg.Translations {
		a := cfg.Achievements[name]
		if a == nil {
			return nil, fmt.Errorf("%w: Translations of %q, which Achievements does not name", ErrConfig, name)
		}
		locales := map[string]bool{a.InLanguage: true}
		for _, d := range ds {
			if d.Name == "" || d.Locale == "" || locales[d.Locale] {
				return nil, fmt.Errorf("%w: a translation of %q needs a Name and a Locale of its own", ErrConfig, name)
			}
			locales[d.Locale] = true
		}
	}
	secret := cfg.Secret
	if secret == nil {
		secret = make([]byte, 32)
		rand.Read(secret)
	} else if len(secret) < 32 {
		return nil, fmt.Errorf("%w: Secret is shorter than 32 bytes", ErrConfig)
	}
	if s.sealer, err = newSealer(secret, "nonce", "authz", "notification"); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	if s.metadata, err = s.issuerMetadata(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	if s.asMeta, err = s.authorizationServerMetadata(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	m := http.NewServeMux()
	for name, doc := range map[string][]byte{"openid-credential-issuer": s.metadata, "oauth-authorization-server": s.asMeta} {
		m.HandleFunc("GET /.well-known/"+name+s.path, s.serveJSON(doc))
		if s.path != "" {
			m.HandleFunc("GET "+s.path+"/.well-known/"+name, s.serveJSON(doc))
		}
	}
	m.HandleFunc("POST "+s.path+"/token", s.token)
	if cfg.Login != nil {
		m.HandleFunc("GET "+s.path+"/authorize", s.authorizationRequest)
	}
	m.HandleFunc("POST "+s.path+"/nonce", s.nonce)
	m.HandleFunc("POST "+s.path+"/credential", s.credential)
	m.HandleFunc("POST "+s.path+"/deferred_credential", s.deferred)
	m.HandleFunc("POST "+s.path+"/notification", s.notification)
	m.HandleFunc("GET "+s.path+"/offers/{id}", s.offerByReference)
	s.mux = m
	return s, nil
}

// ServeHTTP implements http.Handler. Every endpoint but the
// authorization endpoint (a page the browser navigates to) may be called
// from a web wallet's scripts on any origin (CORS, without cookies: what
// authorizes a request is in it, a code or a Bearer token).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasSuffix(r.URL.Path, "/authorize") {
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", "*")
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Set("Access-Control-Allow-Methods", "GET, POST")
			h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
			h.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
	s.mux.ServeHTTP(w, r)
}

func (s *Server) now() time.Time {
	if s.cfg.Now != nil {
		return s.cfg.Now()
	}
	return time.Now()
}

func isLoopback(host string) bool {
	return host == "localhost" || host == "127.0.0.1" || host == "::1"
}

// serveJSON serves a prepared JSON document.
func (s *Server) serveJSON(doc []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(doc)
	}
}

// issuerMetadata is the Credential Issuer metadata.
func (s *Server) issuerMetadata() ([]byte, error) {
	suite := "eddsa-rdfc-2022"
	switch s.cfg.Algorithm {
	case keys.EdDSA:
	case keys.ES256, keys.ES384:
		suite = "ecdsa-rdfc-2019"
	default:
		return nil, fmt.Errorf("oid4vci: Config.Algorithm %s: the issuer signs with EdDSA, ES256 or ES384", s.cfg.Algorithm)
	}
	types := []string{"VerifiableCredential", "OpenBadgeCredential"}
	proofTypes := map[string]any{"jwt": map[string]any{"proof_signing_alg_values_supported": proofAlgorithms}}
	binding := []string{"did:key", "did:jwk", "jwk"}
	configs := map[string]any{}
	for name, c := range s.configs {
		conf := map[string]any{
			"scope":  name,
			"format": c.format,
			"cryptographic_binding_methods_supported": binding,
			"proof_types_supported":                   proofTypes,
		}
		if c.format == FormatLDP {
			conf["credential_signing_alg_values_supported"] = []string{suite}
			conf["credential_definition"] = map[string]any{"@context": []string{credential.ContextVCDM20, credential.ContextOB}, "type": types}
		} else {
			conf["credential_signing_alg_values_supported"] = []string{string(s.cfg.Algorithm)}
			conf["credential_definition"] = map[string]any{"type": types}
		}
		d := Display{Name: "Open Badge"}
		if a := c.achievement; a != nil {
			d = Display{Name: a.Name, Description: a.Description, Locale: a.InLanguage}
			if a.Image != nil && (strings.HasPrefix(a.Image.ID, "https://") || strings.HasPrefix(a.Image.ID, "data:")) {
				d.Logo = &Logo{URI: a.Image.ID, AltText: a.Image.Caption}
			}
		}
		displays := []Display{d}
		for _, t := range s.cfg.Translations[c.name] {
			if t.Logo == nil {
				t.Logo = d.Logo
			}
			displays = append(displays, t)
		}
		conf["credential_metadata"] = map[string]any{"display": displays}
		// Where the drafts before 1.0 put it, for wallets that read them.
		conf["display"] = displays
		configs[name] = conf
	}
	m := map[string]any{
		"credential_issuer":                   s.base,
		"credential_endpoint":                 s.base + "/credential",
		"nonce_endpoint":                      s.base + "/nonce",
		"deferred_credential_endpoint":        s.base + "/deferred_credential",
		"notification_endpoint":               s.base + "/notification",
		"credential_configurations_supported": configs,
	}
	if len(s.cfg.Display) > 0 {
		m["display"] = s.cfg.Display
	}
	return json.Marshal(m)
}

// proofAlgorithms are the algorithms a key proof may be signed with.
var proofAlgorithms = []string{"EdDSA", "ES256", "ES384"}

// authorizationServerMetadata is the OAuth 2.0 authorization server
// metadata (RFC 8414) of the Pre-Authorized Code Flow.
func (s *Server) authorizationServerMetadata() ([]byte, error) {
	m := map[string]any{
		"issuer":                                s.base,
		"token_endpoint":                        s.base + "/token",
		"grant_types_supported":                 []string{GrantPreAuthorized},
		"token_endpoint_auth_methods_supported": []string{"none"},
		"pre-authorized_grant_anonymous_access_supported": true,
	}
	if s.cfg.Login != nil {
		scopes := make([]string, 0, len(s.configs))
		for name := range s.configs {
			scopes = append(scopes, name)
		}
		slices.Sort(scopes)
		m["grant_types_supported"] = []string{GrantPreAuthorized, "authorization_code"}
		m["authorization_endpoint"] = s.base + "/authorize"
		m["response_types_supported"] = []string{"code"}
		m["code_challenge_methods_supported"] = []string{"S256"}
		m["scopes_supported"] = scopes
		m["authorization_response_iss_parameter_supported"] = true
	}
	return json.Marshal(m)
}

// oauthError is an error response: the OAuth 2.0 and OpenID4VCI JSON form.
type oauthError struct {
	status      int
	code        string
	description string
	// nonce, with its lifetime, is a fresh c_nonce for a drafts' wallet.
	nonce    string
	nonceTTL int
}

func (e *oauthError) Error() string { return e.code + ": " + e.description }

func fail(status int, code, format string, args ...any) *oauthError {
	return &oauthError{status: status, code: code, description: fmt.Sprintf(format, args...)}
}

// writeError answers with e, and logs its code (not its description, which
// may name the wallet's key, the learner's).
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, e *oauthError) {
	s.log.InfoContext(r.Context(), "oid4vci request refused", "path", r.URL.Path, "error", e.code)
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	if e.status == http.StatusUnauthorized || e.status == http.StatusForbidden {
		h.Set("WWW-Authenticate", fmt.Sprintf(`Bearer error=%q, error_description=%q`, e.code, asciiDescription(e.description)))
	}
	w.WriteHeader(e.status)
	body := map[string]any{"error": e.code, "error_description": asciiDescription(e.description)}
	if e.nonce != "" {
		body["c_nonce"], body["c_nonce_expires_in"] = e.nonce, e.nonceTTL
	}
	json.NewEncoder(w).Encode(body)
}

// asciiDescription keeps only the characters an error_description may
// hold (%x20-21 / %x23-5B / %x5D-7E).
func asciiDescription(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '"':
			return '\''
		case r < 0x20 || r > 0x7e || r == '\\':
			return '_'
		}
		return r
	}, s)
}

// writeJSON answers with v, uncacheable.
func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// secret returns a new random secret: 32 bytes, base64url.
func secret() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// storeKey is the key of a secret of a kind in the Store: a hash, so that
// the store holds no usable secret.
func storeKey(kind, secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return kind + ":" + base64.RawURLEncoding.EncodeToString(sum[:])
}

// put stores v as JSON under the key of a secret.
func (s *Server) put(ctx context.Context, kind, secret string, v any, expires time.Time) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return s.store.Put(ctx, storeKey(kind, secret), b, expires)
}

// get reads what the key of a secret holds into v; with take, it is
// removed too.
func (s *Server) get(ctx context.Context, kind, secret string, take bool, v any) error {
	var b []byte
	var err error
	if take {
		b, err = s.store.Take(ctx, storeKey(kind, secret), s.now())
	} else {
		b, err = s.store.Get(ctx, storeKey(kind, secret), s.now())
	}
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// readBody reads a request body of at most MaxBodyBytes.
// A body that cannot be read is refused with the error code code.
func readBody(w http.ResponseWriter, r *http.Request, code string) ([]byte, *oauthError) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, fail(http.StatusRequestEntityTooLarge, code, "the body is over %d bytes", MaxBodyBytes)
		}
		return nil, fail(http.StatusBadRequest, code, "the body could not be read")
	}
	return b, nil
}
