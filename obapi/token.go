package obapi

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
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
	var g grant
	// replaced is the Store key of the code or refresh token this request
	// uses up, and until how long it could have been used: its successor
	// is remembered, so that a second use revokes what the first gave.
	var replaced string
	var until time.Time
	switch form.Get("grant_type") {
	case "authorization_code":
		b, own, err := s.takeOwn(ctx, key("code", form.Get("code")), c.ID, now)
		if !own {
			oauthError(w, http.StatusBadRequest, &OAuthError{Code: "invalid_grant", Description: "the code is not this client's"})
			return
		}
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
		b, own, err := s.takeOwn(ctx, key("refresh", form.Get("refresh_token")), c.ID, now)
		if !own {
			oauthError(w, http.StatusBadRequest, &OAuthError{Code: "invalid_grant", Description: "the refresh token is not this client's"})
			return
		}
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

// takeOwn takes the code or refresh token of Store key k if it is the
// client's, and reports whether it is: another client's is left where it
// is, so that a client cannot spend or destroy what was given to another
// (RFC 6749 §10.4, RFC 6819 §5.2.2.3). Its error is the Take's.
func (s *Server) takeOwn(ctx context.Context, k, client string, now time.Time) ([]byte, bool, error) {
	if b, err := s.cfg.Store.Get(ctx, k, now); err == nil {
		var owner struct {
			Client string `json:"c"`
		}
		if json.Unmarshal(b, &owner) != nil || owner.Client != client {
			return nil, false, nil
		}
	}
	b, err := s.cfg.Store.Take(ctx, k, now)
	return b, true, err
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
