package obapi

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
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

// clientNever is when a registered client expires: never, in practice.
var clientNever = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

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
}

// An OAuthError is an error of an OAuth endpoint (RFC 6749 §5.2, RFC 7591
// §3.2.2, RFC 7009).
type OAuthError struct {
	Code        string `json:"error"`
	Description string `json:"error_description,omitempty"`
}

// Error implements error.
func (e *OAuthError) Error() string { return "obapi: " + e.Code + ": " + e.Description }

// oauthError answers with e.
func oauthError(w http.ResponseWriter, code int, e *OAuthError) {
	if code == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="obapi"`)
	}
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, code, &OAuthError{Code: e.Code, Description: asciiDescription(e.Description)})
}

// asciiDescription returns d with only the characters RFC 6749 §5.2 allows
// in an error_description (%x20-21 / %x23-5B / %x5D-7E): a quote becomes
// an apostrophe, anything else outside them a question mark.
func asciiDescription(d string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '"':
			return '\''
		case r == '\\' || r < 0x20 || r > 0x7e:
			return '?'
		}
		return r
	}, d)
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
	if err := s.cfg.Store.Put(r.Context(), key("client", c.ID), b, clientNever); err != nil {
		s.log.ErrorContext(r.Context(), "registration not stored", "error", err)
		oauthError(w, http.StatusServiceUnavailable, &OAuthError{Code: "temporarily_unavailable", Description: "the registration could not be stored"})
		return
	}
	s.log.InfoContext(r.Context(), "client registered", "client_id", c.ID)
	writeJSON(w, http.StatusCreated, registrationResponse{ClientID: c.ID, ClientSecret: secret,
		ClientIDIssuedAt: c.Issued.Unix(), Registration: *reg})
}

// loadClient returns the client of id, or hoststore.ErrNotFound.
func (s *Server) loadClient(ctx context.Context, id string) (*client, error) {
	if id == "" || len(id) > 64 {
		return nil, hoststore.ErrNotFound
	}
	b, err := s.cfg.Store.Get(ctx, key("client", id), s.cfg.Now())
	if err != nil {
		return nil, err
	}
	var c client
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("obapi: a stored client: %w", err)
	}
	return &c, nil
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

// An AuthorizationRequest is a client's authorization request, as the
// Server checked it, waiting for the host to sign its user in and ask
// their consent.
type AuthorizationRequest struct {
	// ClientID, ClientName and ClientURI are the client's, as it
	// registered: the host shows them to the user.
	ClientID, ClientName, ClientURI string
	// RedirectURI is where the user's browser goes back to.
	RedirectURI string
	// Scopes are the scopes asked for: the host shows them to the user.
	Scopes []string
	// State is the client's state, sent back with the code.
	State string
	// CodeChallenge is the PKCE challenge (S256).
	CodeChallenge string
}

// A Login signs a user in at the host during an authorization request.
//
// The Server checks the request (the client, its redirect URI, response
// type code, the scopes, a PKCE S256 challenge) and then calls Login,
// which answers the user's browser as the host does: its login page, its
// single sign-on, its consent page showing req.ClientName and req.Scopes.
// Once the user agrees, the host calls Server.Authorize with the request
// and the user's account identifier, which sends the browser back to the
// client with an authorization code; or Server.Deny. A host that signs in
// over several requests keeps the authorization request's query and
// checks it again with Server.ParseAuthorizationRequest.
type Login interface {
	Login(w http.ResponseWriter, r *http.Request, req *AuthorizationRequest)
}

// LoginFunc is a Login that is a function.
type LoginFunc func(w http.ResponseWriter, r *http.Request, req *AuthorizationRequest)

// Login implements Login.
func (f LoginFunc) Login(w http.ResponseWriter, r *http.Request, req *AuthorizationRequest) {
	f(w, r, req)
}

// ParseAuthorizationRequest checks the authorization request of query.
// An error that is not an *OAuthError says the client or its redirect URI
// is unknown: the browser must then not be sent back to it (RFC 6749
// §4.1.2.1). An *OAuthError goes back to the client, with Server.Deny's
// redirect, as the request's AuthorizationRequest holds enough for it.
func (s *Server) ParseAuthorizationRequest(ctx context.Context, query url.Values) (*AuthorizationRequest, error) {
	for k, v := range query {
		if len(v) > 1 {
			return nil, fmt.Errorf("obapi: the parameter %s is repeated", k)
		}
	}
	c, err := s.loadClient(ctx, query.Get("client_id"))
	if err != nil {
		return nil, fmt.Errorf("obapi: unknown client_id: %w", err)
	}
	redirect := query.Get("redirect_uri")
	if redirect == "" && len(c.RedirectURIs) == 1 {
		redirect = c.RedirectURIs[0]
	}
	if !slices.Contains(c.RedirectURIs, redirect) {
		return nil, errors.New("obapi: redirect_uri is not one the client registered")
	}
	req := &AuthorizationRequest{ClientID: c.ID, ClientName: c.Name, ClientURI: c.URI, RedirectURI: redirect,
		State: query.Get("state"), CodeChallenge: query.Get("code_challenge")}
	switch {
	case query.Get("response_type") != "code":
		return req, &OAuthError{Code: "unsupported_response_type", Description: "response_type must be code"}
	case query.Get("code_challenge_method") != "S256" || !validChallenge(req.CodeChallenge):
		return req, &OAuthError{Code: "invalid_request", Description: "PKCE is required: a code_challenge with code_challenge_method S256"}
	case len(req.State) > maxURLBytes:
		return req, &OAuthError{Code: "invalid_request", Description: "state is too long"}
	}
	req.Scopes = strings.Fields(query.Get("scope"))
	if len(req.Scopes) == 0 {
		return req, &OAuthError{Code: "invalid_scope", Description: "scope is required"}
	}
	for _, sc := range req.Scopes {
		if !slices.Contains(c.Scopes, sc) {
			return req, &OAuthError{Code: "invalid_scope", Description: fmt.Sprintf("scope %q is not one the client registered", sc)}
		}
	}
	return req, nil
}

// validChallenge reports whether c may be an S256 code challenge: the
// base64url SHA-256 of a verifier, 43 characters.
func validChallenge(c string) bool {
	b, err := base64.RawURLEncoding.DecodeString(c)
	return err == nil && len(b) == sha256.Size
}

// authorize is the authorization endpoint.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	req, err := s.ParseAuthorizationRequest(r.Context(), r.URL.Query())
	var oerr *OAuthError
	switch {
	case errors.As(err, &oerr):
		s.redirect(w, r, req, url.Values{"error": {oerr.Code}, "error_description": {asciiDescription(oerr.Description)}})
		return
	case err != nil:
		w.Header().Set("Cache-Control", "no-store")
		http.Error(w, "This authorization request cannot be answered: "+strings.TrimPrefix(err.Error(), "obapi: ")+".", http.StatusBadRequest)
		return
	}
	s.cfg.Login.Login(w, r, req)
}

// redirect sends the browser back to req's client with params and req's
// state.
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, req *AuthorizationRequest, params url.Values) {
	u, err := url.Parse(req.RedirectURI)
	if err != nil {
		http.Error(w, "bad redirect URI", http.StatusBadRequest)
		return
	}
	q := u.Query()
	for k, v := range params {
		q[k] = v
	}
	if req.State != "" {
		q.Set("state", req.State)
	}
	u.RawQuery = q.Encode()
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, u.String(), http.StatusSeeOther)
}

// code is an authorization code's record.
type code struct {
	Client    string   `json:"c"`
	User      string   `json:"u"`
	Scopes    []string `json:"s"`
	Redirect  string   `json:"r"`
	Challenge string   `json:"p"`
}

// Authorize sends the browser back to req's client with an authorization
// code for user (the host's account identifier, as its hoststore.Records know it)
// and req.Scopes (the host may narrow them before, with the user). It
// checks req again, as Server.ParseAuthorizationRequest would have.
func (s *Server) Authorize(w http.ResponseWriter, r *http.Request, req *AuthorizationRequest, user string) error {
	if user == "" {
		return errors.New("obapi: Authorize: no user")
	}
	c, err := s.loadClient(r.Context(), req.ClientID)
	if err != nil {
		return fmt.Errorf("obapi: Authorize: %w", err)
	}
	if !slices.Contains(c.RedirectURIs, req.RedirectURI) || !validChallenge(req.CodeChallenge) || len(req.Scopes) == 0 {
		return errors.New("obapi: Authorize: not a request the Server checked")
	}
	for _, sc := range req.Scopes {
		if !slices.Contains(c.Scopes, sc) {
			return fmt.Errorf("obapi: Authorize: scope %q is not the client's", sc)
		}
	}
	secret := random(32)
	b, _ := json.Marshal(code{Client: c.ID, User: user, Scopes: req.Scopes, Redirect: req.RedirectURI, Challenge: req.CodeChallenge})
	if err := s.cfg.Store.Put(r.Context(), key("code", secret), b, s.cfg.Now().Add(CodeTTL)); err != nil {
		return fmt.Errorf("obapi: storing the code: %w", err)
	}
	s.redirect(w, r, req, url.Values{"code": {secret}, "scope": {strings.Join(req.Scopes, " ")}})
	return nil
}

// Deny sends the browser back to req's client with the error
// access_denied: the user did not agree, or could not sign in. A request
// whose client or redirect URI is not registered gets a 400 page instead,
// never a redirect.
func (s *Server) Deny(w http.ResponseWriter, r *http.Request, req *AuthorizationRequest) {
	if c, err := s.loadClient(r.Context(), req.ClientID); err != nil || !slices.Contains(c.RedirectURIs, req.RedirectURI) {
		http.Error(w, "This authorization request cannot be answered.", http.StatusBadRequest)
		return
	}
	s.redirect(w, r, req, url.Values{"error": {"access_denied"}})
}

// tokenResponse is the token endpoint's answer.
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	RefreshToken string `json:"refresh_token,omitempty"`
	Scope        string `json:"scope"`
}

// grant is an access or refresh token's record.
type grant struct {
	Client  string    `json:"c"`
	User    string    `json:"u"`
	Scopes  []string  `json:"s"`
	Expires time.Time `json:"e"`
	Access  string    `json:"a,omitempty"` // a refresh token's access token's key
}

// token is the token endpoint.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	form, err := readForm(w, r)
	if err != nil {
		oauthError(w, http.StatusBadRequest, &OAuthError{Code: "invalid_request", Description: err.Error()})
		return
	}
	c, ok := s.authenticate(r)
	if !ok {
		oauthError(w, http.StatusUnauthorized, &OAuthError{Code: "invalid_client", Description: "the client authenticates with HTTP Basic: its client_id and client_secret"})
		return
	}
	ctx, now := r.Context(), s.cfg.Now()
	var g grant
	// replaced is the Store key of the code or refresh token this request
	// uses up, and until how long it could have been used: its successor
	// is remembered, so that a second use revokes what the first gave.
	var replaced string
	var until time.Time
	switch form.Get("grant_type") {
	case "authorization_code":
		b, err := s.cfg.Store.Take(ctx, key("code", form.Get("code")), now)
		if err != nil {
			// A code used twice was stolen, or the client is broken:
			// the tokens it gave are revoked (RFC 6749 §4.1.2).
			s.revokeSuccessors(ctx, key("code", form.Get("code")), now)
			oauthError(w, http.StatusBadRequest, &OAuthError{Code: "invalid_grant", Description: "the code is unknown, used or expired"})
			return
		}
		replaced, until = key("code", form.Get("code")), now.Add(CodeTTL)
		var cd code
		if json.Unmarshal(b, &cd) != nil || cd.Client != c.ID {
			oauthError(w, http.StatusBadRequest, &OAuthError{Code: "invalid_grant", Description: "the code is not this client's"})
			return
		}
		if form.Get("redirect_uri") != cd.Redirect {
			oauthError(w, http.StatusBadRequest, &OAuthError{Code: "invalid_grant", Description: "redirect_uri is not the authorization request's"})
			return
		}
		sum := sha256.Sum256([]byte(form.Get("code_verifier")))
		challenge := base64.RawURLEncoding.EncodeToString(sum[:])
		if v := form.Get("code_verifier"); len(v) < 43 || len(v) > 128 || subtle.ConstantTimeCompare([]byte(challenge), []byte(cd.Challenge)) != 1 {
			oauthError(w, http.StatusBadRequest, &OAuthError{Code: "invalid_grant", Description: "code_verifier does not match the code_challenge"})
			return
		}
		g = grant{Client: c.ID, User: cd.User, Scopes: cd.Scopes}
	case "refresh_token":
		if !c.Refresh {
			oauthError(w, http.StatusBadRequest, &OAuthError{Code: "unauthorized_client", Description: "the client did not register the refresh_token grant type"})
			return
		}
		b, err := s.cfg.Store.Take(ctx, key("refresh", form.Get("refresh_token")), now)
		if err != nil {
			// A refresh token used again after it was replaced: the
			// tokens that replaced it are revoked too (RFC 9700 §4.14.2).
			s.revokeSuccessors(ctx, key("refresh", form.Get("refresh_token")), now)
			oauthError(w, http.StatusBadRequest, &OAuthError{Code: "invalid_grant", Description: "the refresh token is unknown, used, revoked or expired"})
			return
		}
		if json.Unmarshal(b, &g) != nil || g.Client != c.ID {
			oauthError(w, http.StatusBadRequest, &OAuthError{Code: "invalid_grant", Description: "the refresh token is not this client's"})
			return
		}
		// The refresh token is replaced, and so is the access token
		// it came with.
		if g.Access != "" {
			s.cfg.Store.Take(ctx, g.Access, now)
		}
		g.Access = ""
		replaced, until = key("refresh", form.Get("refresh_token")), g.Expires
	default:
		oauthError(w, http.StatusBadRequest, &OAuthError{Code: "unsupported_grant_type", Description: "grant_type must be authorization_code or refresh_token"})
		return
	}
	if asked := strings.Fields(form.Get("scope")); len(asked) > 0 {
		for _, sc := range asked {
			if !slices.Contains(g.Scopes, sc) {
				oauthError(w, http.StatusBadRequest, &OAuthError{Code: "invalid_scope", Description: fmt.Sprintf("scope %q was not granted", sc)})
				return
			}
		}
		g.Scopes = asked
	}
	// A refresh token only for a client that registered the grant type
	// (the specification's default is authorization_code alone).
	access, refresh := random(32), ""
	if c.Refresh {
		refresh = random(32)
	}
	at := grant{Client: g.Client, User: g.User, Scopes: g.Scopes, Expires: now.Add(s.cfg.AccessTokenTTL)}
	ab, _ := json.Marshal(at)
	err = s.cfg.Store.Put(ctx, key("access", access), ab, at.Expires)
	successor := key("access", access)
	if err == nil && refresh != "" {
		rt := grant{Client: g.Client, User: g.User, Scopes: g.Scopes, Expires: now.Add(s.cfg.RefreshTokenTTL), Access: key("access", access)}
		rb, _ := json.Marshal(rt)
		err = s.cfg.Store.Put(ctx, key("refresh", refresh), rb, rt.Expires)
		successor = key("refresh", refresh)
	}
	if err == nil && replaced != "" {
		err = s.cfg.Store.Put(ctx, "obapi:next:"+replaced, []byte(successor), until)
	}
	if err != nil {
		s.log.ErrorContext(ctx, "token not stored", "error", err)
		oauthError(w, http.StatusServiceUnavailable, &OAuthError{Code: "temporarily_unavailable", Description: "the token could not be stored"})
		return
	}
	s.log.InfoContext(ctx, "token issued", "client_id", c.ID, "grant_type", form.Get("grant_type"))
	writeJSON(w, http.StatusOK, tokenResponse{AccessToken: access, TokenType: "Bearer",
		ExpiresIn: int64(s.cfg.AccessTokenTTL / time.Second), RefreshToken: refresh, Scope: strings.Join(g.Scopes, " ")})
}

// maxSuccessors bounds how many refresh tokens revokeSuccessors follows.
const maxSuccessors = 1000

// revokeSuccessors revokes the tokens that replaced the code or refresh
// token of Store key k, one after the other, if it was used up already:
// each refresh token with its access token (or, for a client without
// refresh tokens, the access token a code gave).
func (s *Server) revokeSuccessors(ctx context.Context, k string, now time.Time) {
	for n := 0; n < maxSuccessors; n++ {
		next, err := s.cfg.Store.Get(ctx, "obapi:next:"+k, now)
		if err != nil {
			if n > 0 {
				s.log.WarnContext(ctx, "a code or refresh token was used again: the tokens it gave are revoked", "revoked", n)
			}
			return
		}
		if b, err := s.cfg.Store.Take(ctx, string(next), now); err == nil {
			var g grant
			if json.Unmarshal(b, &g) == nil && g.Access != "" {
				s.cfg.Store.Take(ctx, g.Access, now)
			}
		}
		k = string(next)
	}
}

// revoke is the revocation endpoint (RFC 7009): it revokes an access or a
// refresh token of the client's (a refresh token with its access token),
// and answers 200 for a token it does not know.
func (s *Server) revoke(w http.ResponseWriter, r *http.Request) {
	form, err := readForm(w, r)
	if err != nil {
		oauthError(w, http.StatusBadRequest, &OAuthError{Code: "invalid_request", Description: err.Error()})
		return
	}
	c, ok := s.authenticate(r)
	if !ok {
		oauthError(w, http.StatusUnauthorized, &OAuthError{Code: "invalid_client", Description: "the client authenticates with HTTP Basic"})
		return
	}
	ctx, now, tok := r.Context(), s.cfg.Now(), form.Get("token")
	if tok == "" {
		oauthError(w, http.StatusBadRequest, &OAuthError{Code: "invalid_request", Description: "token is required"})
		return
	}
	for _, kind := range []string{"access", "refresh"} {
		k := key(kind, tok)
		b, err := s.cfg.Store.Get(ctx, k, now)
		if err != nil {
			continue
		}
		var g grant
		if json.Unmarshal(b, &g) != nil || g.Client != c.ID {
			oauthError(w, http.StatusBadRequest, &OAuthError{Code: "unauthorized_client", Description: "the token is not this client's"})
			return
		}
		s.cfg.Store.Take(ctx, k, now)
		if g.Access != "" {
			s.cfg.Store.Take(ctx, g.Access, now)
		}
		s.log.InfoContext(ctx, "token revoked", "client_id", c.ID, "kind", kind)
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
}

// readForm reads r's application/x-www-form-urlencoded body, at most
// MaxFormBytes, with no parameter repeated.
func readForm(w http.ResponseWriter, r *http.Request) (url.Values, error) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		return nil, errors.New("the request is sent as application/x-www-form-urlencoded")
	}
	b, err := readBody(w, r, MaxFormBytes)
	if err != nil {
		return nil, err
	}
	form, err := url.ParseQuery(string(b))
	if err != nil {
		return nil, errors.New("the form cannot be read")
	}
	for k, v := range form {
		if len(v) > 1 {
			return nil, fmt.Errorf("the parameter %s is repeated", k)
		}
	}
	return form, nil
}

// readBody reads r's body, at most limit bytes.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var mb *http.MaxBytesError
	switch {
	case errors.As(err, &mb):
		return nil, errors.New("the body is larger than " + strconv.FormatInt(limit, 10) + " bytes")
	case err != nil:
		return nil, errors.New("the body cannot be read")
	}
	return b, nil
}

// bearerToken returns the token of an Authorization header of the Bearer
// scheme (RFC 6750 §2.1; the scheme's name is case-insensitive).
func bearerToken(h string) (string, bool) {
	scheme, tok, ok := strings.Cut(h, " ")
	tok = strings.TrimLeft(tok, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || tok == "" || len(tok) > 512 {
		return "", false
	}
	return tok, true
}

// bearer wraps h: the request must carry an access token that is live and
// grants scope. h gets the token's user in the request's context.
func (s *Server) bearer(scope string, h func(w http.ResponseWriter, r *http.Request, user string)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		realm := `Bearer realm="obapi"`
		tok, ok := bearerToken(r.Header.Get("Authorization"))
		if !ok {
			w.Header().Set("WWW-Authenticate", realm)
			s.status(w, http.StatusUnauthorized, "unauthorizedrequest", "an access token is needed (Authorization: Bearer)")
			return
		}
		b, err := s.cfg.Store.Get(r.Context(), key("access", tok), s.cfg.Now())
		var g grant
		if err == nil {
			err = json.Unmarshal(b, &g)
		}
		if err != nil && !errors.Is(err, hoststore.ErrNotFound) {
			s.log.ErrorContext(r.Context(), "token lookup failed", "error", err)
			s.status(w, http.StatusInternalServerError, "internal_server_error", "the access token could not be checked")
			return
		}
		if err != nil || !s.cfg.Now().Before(g.Expires) {
			w.Header().Set("WWW-Authenticate", realm+`, error="invalid_token"`)
			s.status(w, http.StatusUnauthorized, "unauthorizedrequest", "the access token is unknown, expired or revoked")
			return
		}
		if !slices.Contains(g.Scopes, scope) {
			w.Header().Set("WWW-Authenticate", realm+`, error="insufficient_scope", scope="`+scope+`"`)
			s.status(w, http.StatusForbidden, "forbidden", "the access token does not grant the scope "+scope)
			return
		}
		h(w, r, g.User)
	}
}
