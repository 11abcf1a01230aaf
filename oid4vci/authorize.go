package oid4vci

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// The Authorization Code Flow's lifetimes.
const (
	// AuthorizationTTL is how long a learner has to sign in, from the
	// wallet's authorization request to Server.Authorize.
	AuthorizationTTL = 15 * time.Minute
	// AuthorizationCodeTTL is how long an authorization code may be
	// exchanged for an access token.
	AuthorizationCodeTTL = time.Minute
)

// ErrAuthorization is wrapped by Authorize's error for an authorization
// request that is unknown, used or expired, or for another award than the
// one its offer was for.
var ErrAuthorization = errors.New("oid4vci: no such authorization request")

// A Login signs the learner in at the LMS during the Authorization Code
// Flow, for wallets that take an offer that way or start on their own.
//
// The Server checks the wallet's authorization request (response_type
// code, client_id, redirect_uri, PKCE with S256, and what is asked for:
// the offer's issuer_state, or a scope naming a credential configuration)
// and then calls Login, which answers the learner's browser as the LMS
// does (its login page, its single sign-on). Once the learner is signed
// in, the LMS calls Server.Authorize with the request's ID and the award
// key of the learner's award, which sends the browser back to the wallet
// with an authorization code. The LMS should show the learner where the
// badge goes (req.RedirectURI) before it does.
type Login interface {
	Login(w http.ResponseWriter, r *http.Request, req *AuthorizationRequest)
}

// LoginFunc adapts a function to Login.
type LoginFunc func(w http.ResponseWriter, r *http.Request, req *AuthorizationRequest)

// Login implements Login.
func (f LoginFunc) Login(w http.ResponseWriter, r *http.Request, req *AuthorizationRequest) {
	f(w, r, req)
}

// An AuthorizationRequest is a wallet's request for authorization, as the
// Server checked it, waiting for the learner to sign in.
type AuthorizationRequest struct {
	// ID identifies it, for Server.Authorize.
	ID string
	// AwardKey is the award of the offer the wallet took (by its
	// issuer_state); empty when the wallet asked on its own (by scope),
	// and the LMS decides which of the learner's awards it is.
	AwardKey string
	// ConfigurationIDs are the credential configurations asked for.
	ConfigurationIDs []string
	// ClientID and RedirectURI are the wallet's: where the learner's
	// browser goes back to, with the code.
	ClientID, RedirectURI string
}

// pending is an authorization request as the Server seals it into its ID:
// with the wallet's state and PKCE challenge, which it carries through.
type pending struct {
	AwardKey    string   `json:"k,omitempty"`
	Configs     []string `json:"c"`
	ClientID    string   `json:"ci"`
	RedirectURI string   `json:"r"`
	State       string   `json:"s,omitempty"`
	Challenge   string   `json:"pk"`
}

// authorizationCode is what the Server keeps of an authorization code.
type authorizationCode struct {
	AwardKey    string   `json:"k"`
	Configs     []string `json:"c"`
	ClientID    string   `json:"ci"`
	RedirectURI string   `json:"r"`
	Challenge   string   `json:"pk"`
}

// authorizationRequest is the authorization endpoint.
func (s *Server) authorizationRequest(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	for k, v := range q {
		if len(v) > 1 || len(v[0]) > 2048 {
			s.writeError(w, r, fail(http.StatusBadRequest, "invalid_request", "%s is repeated or too long", k))
			return
		}
	}
	req := &pending{ClientID: q.Get("client_id"), RedirectURI: q.Get("redirect_uri"), State: q.Get("state")}
	// Until the redirect URI is known good, errors go to the browser,
	// not to it.
	if req.ClientID == "" {
		s.writeError(w, r, fail(http.StatusBadRequest, "invalid_request", "client_id is missing"))
		return
	}
	ru, err := url.Parse(req.RedirectURI)
	if err != nil || ru.Scheme == "" || ru.Fragment != "" || strings.EqualFold(ru.Scheme, "javascript") || strings.EqualFold(ru.Scheme, "data") ||
		(ru.Scheme == "http" && !isLoopback(ru.Hostname())) {
		s.writeError(w, r, fail(http.StatusBadRequest, "invalid_request", "redirect_uri is missing, or not an absolute URI the wallet can be reached at"))
		return
	}
	if e := s.checkAuthorizationRequest(r, q, req); e != nil {
		s.log.InfoContext(r.Context(), "oid4vci authorization refused", "error", e.code)
		redirect(w, r, req.RedirectURI, url.Values{"error": {e.code}, "error_description": {asciiDescription(e.description)}, "state": {req.State}, "iss": {s.base}})
		return
	}
	// The request is sealed into its ID, not stored: anyone may call this
	// endpoint, and it writes nothing. Authorize uses it up.
	doc, err := json.Marshal(req)
	if err != nil {
		s.writeError(w, r, s.serverError(r, "encoding the authorization request", err))
		return
	}
	s.cfg.Login.Login(w, r, &AuthorizationRequest{
		ID:               s.sealer.seal("authz", doc, s.now().Add(AuthorizationTTL)),
		AwardKey:         req.AwardKey,
		ConfigurationIDs: slices.Clone(req.Configs),
		ClientID:         req.ClientID,
		RedirectURI:      req.RedirectURI,
	})
}

// checkAuthorizationRequest reads what the wallet asks for into req.
func (s *Server) checkAuthorizationRequest(r *http.Request, q url.Values, req *pending) *oauthError {
	if q.Get("response_type") != "code" {
		return fail(http.StatusBadRequest, "unsupported_response_type", "response_type must be code")
	}
	if q.Get("code_challenge_method") != "S256" || len(q.Get("code_challenge")) != 43 {
		return fail(http.StatusBadRequest, "invalid_request", "PKCE with code_challenge_method S256 is required")
	}
	req.Challenge = q.Get("code_challenge")
	if res := q.Get("resource"); res != "" && res != s.base {
		return fail(http.StatusBadRequest, "invalid_target", "resource is not this Credential Issuer")
	}
	if q.Has("authorization_details") {
		return fail(http.StatusBadRequest, "invalid_request", "authorization_details is not supported: use the offer's issuer_state, or scope")
	}
	if st := q.Get("issuer_state"); st != "" {
		var g grant
		if err := s.get(r.Context(), "state", st, true, &g); err != nil {
			return fail(http.StatusBadRequest, "invalid_request", "issuer_state is unknown, used or expired")
		}
		req.AwardKey, req.Configs = g.AwardKey, g.Configs
		return nil
	}
	for sc := range strings.FieldsSeq(q.Get("scope")) {
		if _, ok := s.configs[sc]; ok && !slices.Contains(req.Configs, sc) {
			req.Configs = append(req.Configs, sc)
		}
	}
	if len(req.Configs) == 0 {
		return fail(http.StatusBadRequest, "invalid_scope", "ask for a credential configuration by its scope, or take an offer")
	}
	return nil
}

// Authorize ends the Authorization Code Flow's authorization request id,
// once the LMS has signed the learner in: it sends the browser back to the
// wallet with an authorization code for the award of awardKey, which must
// be the award of the offer the wallet took, if it took one. It fails,
// without answering w, with an error wrapping ErrAuthorization for an
// unknown, used or expired id, or another award.
func (s *Server) Authorize(w http.ResponseWriter, r *http.Request, id, awardKey string) error {
	doc, exp, err := s.sealer.open("authz", id, s.now())
	if err != nil {
		return fmt.Errorf("%w: %w", ErrAuthorization, err)
	}
	var req pending
	if err := json.Unmarshal(doc, &req); err != nil {
		return fmt.Errorf("%w: %w", ErrAuthorization, err)
	}
	if err := s.store.Put(r.Context(), storeKey("authz", id), nil, exp); err != nil {
		if errors.Is(err, ErrExists) {
			return fmt.Errorf("%w: it was used", ErrAuthorization)
		}
		return fmt.Errorf("oid4vci: marking the authorization request used: %w", err)
	}
	if req.AwardKey != "" && subtle.ConstantTimeCompare([]byte(req.AwardKey), []byte(awardKey)) != 1 {
		return fmt.Errorf("%w: the offer was for another award", ErrAuthorization)
	}
	code := secret()
	c := authorizationCode{AwardKey: awardKey, Configs: req.Configs, ClientID: req.ClientID, RedirectURI: req.RedirectURI, Challenge: req.Challenge}
	if err := s.put(r.Context(), "authcode", code, c, s.now().Add(AuthorizationCodeTTL)); err != nil {
		return fmt.Errorf("oid4vci: keeping the authorization code: %w", err)
	}
	s.log.InfoContext(r.Context(), "authorization code issued", "award_key", awardKey)
	v := url.Values{"code": {code}, "iss": {s.base}}
	if req.State != "" {
		v.Set("state", req.State)
	}
	redirect(w, r, req.RedirectURI, v)
	return nil
}

// redirect sends the browser to uri with the parameters v added to its
// query.
func redirect(w http.ResponseWriter, r *http.Request, uri string, v url.Values) {
	u, _ := url.Parse(uri)
	q := u.Query()
	for k, vs := range v {
		if vs[0] != "" {
			q.Set(k, vs[0])
		}
	}
	u.RawQuery = q.Encode()
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, u.String(), http.StatusFound)
}

// authorizationCodeGrant is the token endpoint's authorization_code
// grant: the code, single use, for the client and redirect URI it was
// issued to, with the PKCE verifier of its challenge.
func (s *Server) authorizationCodeGrant(r *http.Request, form url.Values) (*grant, *oauthError) {
	code := form.Get("code")
	if code == "" {
		return nil, fail(http.StatusBadRequest, "invalid_request", "code is missing")
	}
	verifier := form.Get("code_verifier")
	if len(verifier) < 43 || len(verifier) > 128 {
		return nil, fail(http.StatusBadRequest, "invalid_request", "code_verifier is missing or not 43 to 128 characters")
	}
	var c authorizationCode
	if err := s.get(r.Context(), "authcode", code, true, &c); err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, fail(http.StatusBadRequest, "invalid_grant", "the authorization code is unknown, used or expired")
		}
		return nil, s.serverError(r, "reading the authorization code", err)
	}
	sum := sha256.Sum256([]byte(verifier))
	switch {
	case form.Get("client_id") != c.ClientID:
		return nil, fail(http.StatusBadRequest, "invalid_grant", "the code was issued to another client_id")
	case form.Get("redirect_uri") != c.RedirectURI:
		return nil, fail(http.StatusBadRequest, "invalid_grant", "redirect_uri is not the authorization request's")
	case subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(c.Challenge)) != 1:
		return nil, fail(http.StatusBadRequest, "invalid_grant", "code_verifier does not match the code_challenge")
	}
	return &grant{AwardKey: c.AwardKey, Configs: c.Configs}, nil
}
