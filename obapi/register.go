package obapi

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/obapi/hoststore"
)

// Limits on a client's registration.
const (
	maxRedirectURIs = 10
	maxURLBytes     = 2048
	maxNameBytes    = 256
	maxContacts     = 10
)

// clientNever is when a client that got a token expires: never, in
// practice.
var clientNever = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// UnusedClientTTL is how long a registration is kept before its client
// exchanges a first authorization code: registration is open to anyone,
// and registrations nobody uses must not fill the Store for good.
const UnusedClientTTL = 24 * time.Hour

// A Registration is a client's registration request (RFC 7591 §2, as the
// specification profiles it): the metadata it sends to the registration
// endpoint, and, in the response, the client_id and client_secret it gets.
type Registration struct {
	ClientName              string   `json:"client_name"`
	ClientURI               string   `json:"client_uri"`
	LogoURI                 string   `json:"logo_uri"`
	TOSURI                  string   `json:"tos_uri"`
	PolicyURI               string   `json:"policy_uri"`
	SoftwareID              string   `json:"software_id"`
	SoftwareVersion         string   `json:"software_version"`
	RedirectURIs            []string `json:"redirect_uris"`
	TokenEndpointAuthMethod string   `json:"token_endpoint_auth_method,omitempty"`
	GrantTypes              []string `json:"grant_types,omitempty"`
	ResponseTypes           []string `json:"response_types,omitempty"`
	Scope                   string   `json:"scope"`
	Contacts                []string `json:"contacts,omitempty"`
}

// registrationResponse is the registration endpoint's answer.
type registrationResponse struct {
	ClientID              string `json:"client_id"`
	ClientSecret          string `json:"client_secret"`
	ClientIDIssuedAt      int64  `json:"client_id_issued_at"`
	ClientSecretExpiresAt int64  `json:"client_secret_expires_at"`
	Registration
}

// ParseRegistration decodes and checks a registration request as the
// specification has it: its required metadata (client_name, client_uri,
// logo_uri, tos_uri, policy_uri, software_id, software_version,
// redirect_uris, scope), every URL https and of one hostname, scopes of
// the specification (and offline_access, which its examples ask for), and
// the one auth method (client_secret_basic), grant types
// (authorization_code, and refresh_token if asked for: the default is
// authorization_code alone) and response type (code) it allows. Its error
// is an *OAuthError: RFC 7591's code and description.
func ParseRegistration(data []byte) (*Registration, error) {
	var reg Registration
	dec := json.NewDecoder(strings.NewReader(string(data)))
	if err := dec.Decode(&reg); err != nil {
		return nil, &OAuthError{Code: "invalid_client_metadata", Description: "the registration is not a JSON object of client metadata: " + err.Error()}
	}
	if dec.More() {
		return nil, &OAuthError{Code: "invalid_client_metadata", Description: "data after the registration"}
	}
	bad := func(f string, a ...any) (*Registration, error) {
		return nil, &OAuthError{Code: "invalid_client_metadata", Description: fmt.Sprintf(f, a...)}
	}
	for name, v := range map[string]string{"client_name": reg.ClientName, "software_id": reg.SoftwareID, "software_version": reg.SoftwareVersion} {
		if v == "" || len(v) > maxNameBytes {
			return bad("%s is required, of at most %d bytes", name, maxNameBytes)
		}
	}
	host := ""
	for _, f := range []struct{ name, v string }{{"client_uri", reg.ClientURI}, {"logo_uri", reg.LogoURI}, {"tos_uri", reg.TOSURI}, {"policy_uri", reg.PolicyURI}} {
		h, ok := httpsHost(f.v)
		switch {
		case !ok:
			return bad("%s is required, an https URL", f.name)
		case host == "":
			host = h
		case h != host:
			return bad("%s is not on the hostname of client_uri: all the client's URLs have one hostname", f.name)
		}
	}
	if len(reg.RedirectURIs) == 0 || len(reg.RedirectURIs) > maxRedirectURIs {
		return nil, &OAuthError{Code: "invalid_redirect_uri", Description: fmt.Sprintf("redirect_uris is required: 1 to %d URLs", maxRedirectURIs)}
	}
	for _, r := range reg.RedirectURIs {
		h, ok := httpsHost(r)
		if !ok || strings.Contains(r, "#") {
			return nil, &OAuthError{Code: "invalid_redirect_uri", Description: fmt.Sprintf("redirect URI %q: want an https URL without a fragment", r)}
		}
		if h != host {
			return nil, &OAuthError{Code: "invalid_redirect_uri", Description: fmt.Sprintf("redirect URI %q is not on the hostname of client_uri", r)}
		}
	}
	scopes := strings.Fields(reg.Scope)
	if len(scopes) == 0 {
		return bad("scope is required")
	}
	for _, sc := range scopes {
		if !slices.Contains(scopeList, sc) && sc != ScopeOfflineAccess {
			return bad("scope %q is not one of the specification's", sc)
		}
	}
	if m := reg.TokenEndpointAuthMethod; m != "" && m != "client_secret_basic" {
		return bad("token_endpoint_auth_method %q: only client_secret_basic", m)
	}
	reg.TokenEndpointAuthMethod = "client_secret_basic"
	for _, g := range reg.GrantTypes {
		if g != "authorization_code" && g != "refresh_token" {
			return bad("grant type %q: only authorization_code and refresh_token", g)
		}
	}
	if len(reg.GrantTypes) == 0 {
		reg.GrantTypes = []string{"authorization_code"}
	}
	for _, t := range reg.ResponseTypes {
		if t != "code" {
			return bad("response type %q: only code", t)
		}
	}
	reg.ResponseTypes = []string{"code"}
	if len(reg.Contacts) > maxContacts {
		return bad("at most %d contacts", maxContacts)
	}
	for _, c := range reg.Contacts {
		if len(c) > maxNameBytes {
			return bad("a contact of more than %d bytes", maxNameBytes)
		}
	}
	return &reg, nil
}

// httpsHost returns the hostname of s, if s is an absolute https URL of
// a sane length, without user information.
func httpsHost(s string) (string, bool) {
	if len(s) > maxURLBytes {
		return "", false
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil {
		return "", false
	}
	return strings.ToLower(u.Hostname()), true
}

// client is a registered client, as stored: its secret only as a hash.
type client struct {
	ID           string    `json:"id"`
	SecretHash   []byte    `json:"secret"`
	Name         string    `json:"name"`
	URI          string    `json:"uri"`
	RedirectURIs []string  `json:"redirect_uris"`
	Scopes       []string  `json:"scopes"`
	Refresh      bool      `json:"refresh,omitempty"` // registered the refresh_token grant
	Issued       time.Time `json:"issued"`

	unused bool // kept under the "newclient" kind, until UnusedClientTTL
}

// register is the registration endpoint.
func (s *Server) register(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		oauthError(w, http.StatusBadRequest, &OAuthError{Code: "invalid_client_metadata", Description: "the registration is sent as application/json"})
		return
	}
	data, err := readBody(w, r, MaxFormBytes)
	if err != nil {
		oauthError(w, http.StatusBadRequest, &OAuthError{Code: "invalid_client_metadata", Description: err.Error()})
		return
	}
	reg, err := ParseRegistration(data)
	var oerr *OAuthError
	if errors.As(err, &oerr) {
		oauthError(w, http.StatusBadRequest, oerr)
		return
	}
	now := s.cfg.Now()
	c := client{ID: random(16), Name: reg.ClientName, URI: reg.ClientURI, RedirectURIs: reg.RedirectURIs,
		Scopes: strings.Fields(reg.Scope), Refresh: slices.Contains(reg.GrantTypes, "refresh_token"), Issued: now.UTC().Truncate(time.Second)}
	secret := random(32)
	sum := sha256.Sum256([]byte(secret))
	c.SecretHash = sum[:]
	b, _ := json.Marshal(c)
	if err := s.cfg.Store.Put(r.Context(), key("newclient", c.ID), b, now.Add(UnusedClientTTL)); err != nil {
		s.log.ErrorContext(r.Context(), "registration not stored", "error", err)
		oauthError(w, http.StatusServiceUnavailable, &OAuthError{Code: "temporarily_unavailable", Description: "the registration could not be stored"})
		return
	}
	s.log.InfoContext(r.Context(), "client registered", "client_id", c.ID)
	w.Header().Set("Pragma", "no-cache") // the answer holds the client's secret (RFC 6749 §5.1)
	writeJSON(w, http.StatusCreated, registrationResponse{ClientID: c.ID, ClientSecret: secret,
		ClientIDIssuedAt: c.Issued.Unix(), Registration: *reg})
}

// loadClient returns the client of id, or hoststore.ErrNotFound.
func (s *Server) loadClient(ctx context.Context, id string) (*client, error) {
	if id == "" || len(id) > 64 {
		return nil, hoststore.ErrNotFound
	}
	now := s.cfg.Now()
	b, err := s.cfg.Store.Get(ctx, key("client", id), now)
	unused := errors.Is(err, hoststore.ErrNotFound)
	if unused {
		b, err = s.cfg.Store.Get(ctx, key("newclient", id), now)
	}
	if err != nil {
		return nil, err
	}
	var c client
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("obapi: a stored client: %w", err)
	}
	c.unused = unused
	return &c, nil
}

// keepClient keeps c for good once it has exchanged a code: it is then
// in use by a user who signed in and agreed.
func (s *Server) keepClient(ctx context.Context, c *client) error {
	if !c.unused {
		return nil
	}
	b, err := json.Marshal(c)
	if err != nil {
		return err
	}
	if err := s.cfg.Store.Put(ctx, key("client", c.ID), b, clientNever); err != nil && !errors.Is(err, hoststore.ErrExists) {
		return err
	}
	return nil
}

// authenticate returns the client of r's HTTP Basic credentials.
func (s *Server) authenticate(r *http.Request) (*client, bool) {
	id, secret, ok := r.BasicAuth()
	if !ok {
		return nil, false
	}
	// RFC 6749 §2.3.1: the id and secret are form-urlencoded first.
	if v, err := url.QueryUnescape(id); err == nil {
		id = v
	}
	if v, err := url.QueryUnescape(secret); err == nil {
		secret = v
	}
	c, err := s.loadClient(r.Context(), id)
	sum := sha256.Sum256([]byte(secret))
	if err != nil {
		return nil, false
	}
	return c, subtle.ConstantTimeCompare(sum[:], c.SecretHash) == 1
}
