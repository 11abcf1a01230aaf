package obapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/go-openbadges/openbadges/obapi/hoststore"
)

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
