package obapi

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/obapi/hoststore"
)

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
	// The tokens this request gives, named before the code or refresh
	// token is spent (see spend). A refresh token only for a client that
	// registered the grant type (the specification's default is
	// authorization_code alone).
	access, refresh := random(32), ""
	successor := key("access", access)
	if c.Refresh {
		refresh = random(32)
		successor = key("refresh", refresh)
	}
	var g grant
	switch form.Get("grant_type") {
	case "authorization_code":
		b, err := s.spend(ctx, key("code", form.Get("code")), c.ID, successor, now, func([]byte) time.Time { return now.Add(CodeTTL) })
		if err != nil {
			// A code used twice was stolen, or the client is broken:
			// spend revoked the tokens it gave (RFC 6749 §4.1.2).
			s.grantError(ctx, w, "the code", err)
			return
		}
		var cd code
		if json.Unmarshal(b, &cd) != nil || cd.Client != c.ID {
			oauthError(w, http.StatusBadRequest, &OAuthError{Code: "invalid_grant", Description: "the code is not this client's"})
			return
		}
		// RFC 6749 §4.1.3: redirect_uri is required here if the
		// authorization request had it; never another one.
		if got := form.Get("redirect_uri"); got != cd.Redirect && (got != "" || !cd.RedirectOmitted) {
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
		b, err := s.spend(ctx, key("refresh", form.Get("refresh_token")), c.ID, successor, now, func(b []byte) time.Time {
			var g grant
			json.Unmarshal(b, &g)
			return g.Expires
		})
		if err != nil {
			// A refresh token used again after it was replaced: spend
			// revoked the tokens that replaced it (RFC 9700 §4.14.2).
			s.grantError(ctx, w, "the refresh token", err)
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
	at := grant{Client: g.Client, User: g.User, Scopes: g.Scopes, Expires: now.Add(s.cfg.AccessTokenTTL)}
	ab, _ := json.Marshal(at)
	err = s.cfg.Store.Put(ctx, key("access", access), ab, at.Expires)
	if err == nil && refresh != "" {
		rt := grant{Client: g.Client, User: g.User, Scopes: g.Scopes, Expires: now.Add(s.cfg.RefreshTokenTTL), Access: key("access", access)}
		rb, _ := json.Marshal(rt)
		err = s.cfg.Store.Put(ctx, key("refresh", refresh), rb, rt.Expires)
	}
	if errors.Is(err, hoststore.ErrExists) {
		// A second use of the code or refresh token, at the same time,
		// revoked the successor before it was stored (see spend).
		s.cfg.Store.Take(ctx, key("access", access), now)
		s.grantError(ctx, w, "the "+strings.ReplaceAll(form.Get("grant_type"), "_", " "), errSpent)
		return
	}
	if err == nil {
		err = s.keepClient(ctx, c)
	}
	if err != nil {
		s.log.ErrorContext(ctx, "token not stored", "error", err)
		oauthError(w, http.StatusServiceUnavailable, &OAuthError{Code: "temporarily_unavailable", Description: "the token could not be stored"})
		return
	}
	s.log.InfoContext(ctx, "token issued", "client_id", c.ID, "grant_type", form.Get("grant_type"))
	w.Header().Set("Pragma", "no-cache") // RFC 6749 §5.1, with writeJSON's Cache-Control
	writeJSON(w, http.StatusOK, tokenResponse{AccessToken: access, TokenType: "Bearer",
		ExpiresIn: int64(s.cfg.AccessTokenTTL / time.Second), RefreshToken: refresh, Scope: strings.Join(g.Scopes, " ")})
}

// Errors of spend.
var (
	errForeign = errors.New("is not this client's")
	errSpent   = errors.New("is unknown, used, revoked or expired")
)

// spend takes the code or refresh token of Store key k, if it is the
// client's, for the tokens of which successor is the Store key (the
// refresh token's, or the access token's if there is none). Another
// client's is left where it is (errForeign): a client cannot spend or
// destroy what was given to another (RFC 6749 §10.4, RFC 6819 §5.2.2.3).
// One already used fails with errSpent, and what its first use gave is
// revoked: the successor is recorded before the take, under a key only
// one request may create, so that of two uses at once, the second always
// finds the first's successor, and revokes it even before it is stored.
// until gives how long the successor is remembered, from k's value.
func (s *Server) spend(ctx context.Context, k, client, successor string, now time.Time, until func([]byte) time.Time) ([]byte, error) {
	b, err := s.cfg.Store.Get(ctx, k, now)
	if errors.Is(err, hoststore.ErrNotFound) {
		s.revokeSuccessors(ctx, k, now)
		return nil, errSpent
	}
	if err != nil {
		return nil, err
	}
	var owner struct {
		Client string `json:"c"`
	}
	if err := json.Unmarshal(b, &owner); err != nil {
		return nil, fmt.Errorf("obapi: a stored grant: %w", err)
	}
	switch {
	case owner.Client == "": // revokedGrant
		return nil, errSpent
	case owner.Client != client:
		return nil, errForeign
	}
	if err := s.cfg.Store.Put(ctx, "obapi:next:"+k, []byte(successor), until(b)); err != nil {
		if errors.Is(err, hoststore.ErrExists) {
			s.revokeSuccessors(ctx, k, now)
			return nil, errSpent
		}
		return nil, err
	}
	if b, err = s.cfg.Store.Take(ctx, k, now); err != nil {
		// Revoked (RFC 7009) or expired since the Get.
		s.cfg.Store.Take(ctx, "obapi:next:"+k, now)
		if errors.Is(err, hoststore.ErrNotFound) {
			return nil, errSpent
		}
		return nil, err
	}
	return b, nil
}

// grantError answers a token request whose code or refresh token (what)
// spend refused.
func (s *Server) grantError(ctx context.Context, w http.ResponseWriter, what string, err error) {
	if errors.Is(err, errForeign) || errors.Is(err, errSpent) {
		oauthError(w, http.StatusBadRequest, &OAuthError{Code: "invalid_grant", Description: what + " " + err.Error()})
		return
	}
	s.log.ErrorContext(ctx, "grant not read", "error", err)
	oauthError(w, http.StatusServiceUnavailable, &OAuthError{Code: "temporarily_unavailable", Description: what + " could not be read"})
}

// revokedGrant holds the key of a token revoked before it was stored.
var revokedGrant = []byte(`{"c":"","e":"0001-01-01T00:00:00Z"}`)

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
		b, err := s.cfg.Store.Take(ctx, string(next), now)
		// Not stored yet (its request is still at work), or gone
		// already: revokedGrant, a grant that expired long ago, holds
		// the key, so that the request's Put fails. If the Put finds
		// the key held, it was stored meanwhile.
		if errors.Is(err, hoststore.ErrNotFound) && errors.Is(s.cfg.Store.Put(ctx, string(next), revokedGrant, now.Add(CodeTTL)), hoststore.ErrExists) {
			b, err = s.cfg.Store.Take(ctx, string(next), now)
		}
		if err == nil {
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
		if json.Unmarshal(b, &g) == nil && g.Client == "" {
			continue // revokedGrant: revoked already
		}
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
