package obapi

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

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

	// redirectOmitted reports that the request had no redirect_uri (the
	// client registered one): the token request may then leave it out
	// too (RFC 6749 §4.1.3).
	redirectOmitted bool
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
	omitted := redirect == ""
	if omitted && len(c.RedirectURIs) == 1 {
		redirect = c.RedirectURIs[0]
	}
	if !slices.Contains(c.RedirectURIs, redirect) {
		return nil, errors.New("obapi: redirect_uri is not one the client registered")
	}
	req := &AuthorizationRequest{ClientID: c.ID, ClientName: c.Name, ClientURI: c.URI, RedirectURI: redirect,
		State: query.Get("state"), CodeChallenge: query.Get("code_challenge"), redirectOmitted: omitted}
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
	// RedirectOmitted: the authorization request had no redirect_uri.
	RedirectOmitted bool `json:"o,omitempty"`
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
	b, _ := json.Marshal(code{Client: c.ID, User: user, Scopes: req.Scopes, Redirect: req.RedirectURI, Challenge: req.CodeChallenge, RedirectOmitted: req.redirectOmitted})
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
