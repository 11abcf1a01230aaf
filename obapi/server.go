package obapi

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/obapi/hoststore"
	"github.com/go-openbadges/openbadges/schema"
	"github.com/go-openbadges/openbadges/verify"
)

// The specification's OAuth 2.0 scopes, one per operation.
const (
	ScopeCredentialReadonly = "https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.readonly"
	ScopeCredentialUpsert   = "https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.upsert"
	ScopeProfileReadonly    = "https://purl.imsglobal.org/spec/ob/v3p0/scope/profile.readonly"
	ScopeProfileUpdate      = "https://purl.imsglobal.org/spec/ob/v3p0/scope/profile.update"
	// ScopeOfflineAccess is accepted, as the specification's examples ask
	// for it, and grants no operation: a client gets refresh tokens when
	// it registers the refresh_token grant type.
	ScopeOfflineAccess = "offline_access"
)

// scopeList is the specification's scopes, in its order.
var scopeList = []string{ScopeCredentialReadonly, ScopeCredentialUpsert, ScopeProfileReadonly, ScopeProfileUpdate}

// APIPath is where the API is, under the base URL's path.
const APIPath = "/ims/ob/v3p0"

// Defaults of Config.
const (
	DefaultAccessTokenTTL  = time.Hour
	DefaultRefreshTokenTTL = 30 * 24 * time.Hour
	// CodeTTL is how long an authorization code may be exchanged: the
	// specification's recommended 600 seconds.
	CodeTTL = 10 * time.Minute
	// DefaultMaxBodyBytes bounds an upserted credential or a profile.
	DefaultMaxBodyBytes = 1 << 20
	// MaxFormBytes bounds a request to the OAuth endpoints.
	MaxFormBytes = 64 << 10
	// DefaultLimit and MaxLimit are getCredentials' page size when the
	// client gives no limit, and the most it may ask for.
	DefaultLimit = 100
	MaxLimit     = 1000
)

// ErrConfig is wrapped by New's error for an unusable Config.
var ErrConfig = errors.New("obapi: bad configuration")

// Config configures a Server. Fields marked required must be set.
type Config struct {
	// BaseURL is the host's https URL (https://host[:port][/path]): the
	// API is at BaseURL + APIPath, and the Server's routes are under the
	// URL's path. Required.
	BaseURL string
	// Title, TermsOfService and PrivacyPolicy are the Service Description
	// Document's info: the host's name and the URLs of its terms of
	// service and privacy policy. Required. Image, if set, is the URL (or
	// data: URL) of the host's image.
	Title, TermsOfService, PrivacyPolicy, Image string
	// Login signs users in at an authorization request. Required.
	Login Login
	// Store keeps clients, codes and tokens. If nil, a hoststore.MemoryStore.
	Store hoststore.Store
	// Records keep the users' credentials and profiles. If nil,
	// hoststore.MemoryRecords.
	Records hoststore.Records
	// Verifier checks each upserted credential; Policy is the policy it
	// is checked with (nil: the zero Policy, which fails closed on a
	// status it cannot decide). Verifier is required: a host holds only
	// credentials it could confirm.
	Verifier *verify.Verifier
	Policy   *verify.Policy
	// DefaultProfile, if set, returns the profile getProfile answers with
	// for a user who has put none: the host's own statement of the
	// account (its name, its email), as the Host certification expects
	// every user to have a profile. It is checked against the Profile
	// schema as a put profile is, and not stored: the user's first
	// putProfile replaces it. An error wrapping hoststore.ErrNotFound
	// answers not_found. If nil, a user without a profile gets not_found.
	DefaultProfile func(ctx context.Context, user string) ([]byte, error)
	// Schemas checks profiles against the specification's Profile schema.
	// If nil, a schema.Validator of the embedded schemas.
	Schemas *schema.Validator
	// AccessTokenTTL and RefreshTokenTTL are how long tokens last. If
	// zero, DefaultAccessTokenTTL and DefaultRefreshTokenTTL.
	AccessTokenTTL, RefreshTokenTTL time.Duration
	// MaxBodyBytes bounds an upserted credential or a profile. If zero,
	// DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Now returns the current time. If nil, time.Now.
	Now func() time.Time
	// Logger receives what the Server does, never a secret, a token or a
	// user's data. If nil, nothing is logged.
	Logger *slog.Logger
}

// A Server is the OB 3.0 API of a host and its authorization server: an
// http.Handler. It is safe for concurrent use.
type Server struct {
	cfg     Config
	base    *url.URL
	prefix  string // the base URL's path, without a trailing slash
	mux     *http.ServeMux
	log     *slog.Logger
	schemas *schema.Validator
	sysName string // the imsx_codeMinorFieldName
}

// New returns the Server of cfg.
func New(cfg Config) (*Server, error) {
	u, err := url.Parse(cfg.BaseURL)
	switch {
	case err != nil || u.Scheme != "https" || u.Host == "" || u.RawQuery != "" || u.Fragment != "":
		return nil, fmt.Errorf("%w: BaseURL %q: want https://host[:port][/path]", ErrConfig, cfg.BaseURL)
	case cfg.Title == "" || cfg.TermsOfService == "" || cfg.PrivacyPolicy == "":
		return nil, fmt.Errorf("%w: Title, TermsOfService and PrivacyPolicy are required (the Service Description Document has them)", ErrConfig)
	case cfg.Login == nil:
		return nil, fmt.Errorf("%w: no Login to sign users in", ErrConfig)
	case cfg.Verifier == nil:
		return nil, fmt.Errorf("%w: no Verifier to check upserted credentials", ErrConfig)
	}
	if cfg.Store == nil {
		cfg.Store = &hoststore.MemoryStore{}
	}
	if cfg.Records == nil {
		cfg.Records = &hoststore.MemoryRecords{}
	}
	if cfg.AccessTokenTTL <= 0 {
		cfg.AccessTokenTTL = DefaultAccessTokenTTL
	}
	if cfg.RefreshTokenTTL <= 0 {
		cfg.RefreshTokenTTL = DefaultRefreshTokenTTL
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{cfg: cfg, base: u, prefix: strings.TrimSuffix(u.Path, "/"), mux: http.NewServeMux(), log: cfg.Logger, sysName: u.Host}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.schemas = cfg.Schemas
	if s.schemas == nil {
		if s.schemas, err = schema.NewValidator(schema.ValidatorOptions{}); err != nil {
			return nil, err
		}
	}
	api := s.prefix + APIPath
	s.route(api+"/discovery", map[string]http.HandlerFunc{"GET": s.discovery})
	s.route(api+"/credentials", map[string]http.HandlerFunc{
		"GET":  s.bearer(ScopeCredentialReadonly, s.getCredentials),
		"POST": s.bearer(ScopeCredentialUpsert, s.upsertCredential),
	})
	s.route(api+"/profile", map[string]http.HandlerFunc{
		"GET": s.bearer(ScopeProfileReadonly, s.getProfile),
		"PUT": s.bearer(ScopeProfileUpdate, s.putProfile),
	})
	s.mux.HandleFunc("POST "+api+"/oauth/register", s.register)
	s.mux.HandleFunc("GET "+api+"/oauth/authorize", s.authorize)
	s.mux.HandleFunc("POST "+api+"/oauth/token", s.token)
	s.mux.HandleFunc("POST "+api+"/oauth/revoke", s.revoke)
	return s, nil
}

// route serves path with a handler per method, and any other method with
// the specification's 405.
func (s *Server) route(path string, methods map[string]http.HandlerFunc) {
	var allow []string
	for m := range methods {
		allow = append(allow, m)
	}
	s.mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		if h, ok := methods[r.Method]; ok {
			h(w, r)
			return
		}
		if r.Method == http.MethodHead && methods["GET"] != nil {
			methods["GET"](w, r)
			return
		}
		w.Header().Set("Allow", strings.Join(allow, ", "))
		s.status(w, http.StatusMethodNotAllowed, "not_allowed", "the method "+r.Method+" is not allowed here")
	})
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// abs returns the absolute URL of path under the base URL.
func (s *Server) abs(path string) string {
	u := *s.base
	u.Path = s.prefix + path
	return u.String()
}

// StatusInfo is the specification's Imsx_StatusInfo: the body of every
// error of the API.
type StatusInfo struct {
	CodeMajor   string     `json:"imsx_codeMajor"`
	Severity    string     `json:"imsx_severity"`
	Description string     `json:"imsx_description,omitempty"`
	CodeMinor   *CodeMinor `json:"imsx_codeMinor,omitempty"`
}

// CodeMinor is the specification's Imsx_CodeMinor.
type CodeMinor struct {
	Fields []CodeMinorField `json:"imsx_codeMinorField"`
}

// CodeMinorField is the specification's Imsx_CodeMinorField.
type CodeMinorField struct {
	Name  string `json:"imsx_codeMinorFieldName"`
	Value string `json:"imsx_codeMinorFieldValue"`
}

// status answers with an Imsx_StatusInfo of code major failure.
func (s *Server) status(w http.ResponseWriter, code int, minor, description string) {
	info := StatusInfo{CodeMajor: "failure", Severity: "error", Description: description,
		CodeMinor: &CodeMinor{Fields: []CodeMinorField{{Name: s.sysName, Value: minor}}}}
	writeJSON(w, code, info)
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	w.Write(b)
}

// random returns n random bytes, base64url-encoded.
func random(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// key returns the Store key of a secret of kind: the kind and the secret's
// SHA-256, never the secret.
func key(kind, secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return "obapi:" + kind + ":" + base64.RawURLEncoding.EncodeToString(sum[:])
}
