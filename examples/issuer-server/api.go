package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/issuer"
	"github.com/go-openbadges/openbadges/obapi"
	"github.com/go-openbadges/openbadges/obapi/hoststore"
	"github.com/go-openbadges/openbadges/verify"
)

// maxSignInBytes bounds a sign-in form.
const maxSignInBytes = 16 << 10

// newAPI makes the OB 3.0 API of the issuer: its clients, codes and
// tokens, and its learners' credentials and profiles, in the database.
func (s *server) newAPI(log *slog.Logger) error {
	// Upserted credentials must be the issuer's own: the keys of its key
	// directory are the only ones confirmed. Their status is the
	// issuer's to know, and its lists are published elsewhere: an
	// undecided status does not stop a credential of its own keys.
	verifier, err := verify.New(verify.Trust{Keys: s.keys})
	if err != nil {
		return err
	}
	terms, privacy := s.opts.Terms, s.opts.Privacy
	if terms == "" {
		terms = s.site + "/terms"
	}
	if privacy == "" {
		privacy = s.site + "/privacy"
	}
	s.tokens = s.db.OBAPI()
	s.api, err = obapi.New(obapi.Config{
		BaseURL: strings.TrimSuffix(s.opts.BaseURL, "/"), Title: s.profile,
		TermsOfService: terms, PrivacyPolicy: privacy,
		Login: obapi.LoginFunc(s.login), Store: s.tokens, Records: s.db.OBAPIRecords(),
		Verifier: verifier, Policy: &verify.Policy{AllowUnknownStatus: true}, Logger: log,
	})
	return err
}

// learnerUser is the API's user of a learner: their email address, or id.
func learnerUser(l issuer.Learner) string {
	switch {
	case l.Email != "":
		return "mailto:" + strings.ToLower(l.Email)
	case l.ID != "":
		return l.ID
	}
	return ""
}

// hold keeps the awarded credential for user, for the API, and gives the
// learner a sign-in code.
func (s *server) hold(ctx context.Context, user string, out *issuer.Issued, resp *awardResponse) error {
	cred := out.Credential
	if len(cred) == 0 {
		cred = []byte(out.JWT)
	}
	if _, err := s.api.Hold(ctx, user, cred); err != nil {
		return err
	}
	b := make([]byte, 32)
	rand.Read(b)
	code := base64.RawURLEncoding.EncodeToString(b)
	exp := time.Now().Add(signInTTL)
	if err := s.tokens.Put(ctx, signInKey(code), []byte(user), exp); err != nil {
		return err
	}
	resp.SignIn, resp.SignInExpires = code, &exp
	return nil
}

// origin is the server's web origin, as browsers send it.
func (s *server) origin() string {
	u, err := url.Parse(s.opts.BaseURL)
	if err != nil {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// signInKey is where a sign-in code is kept: a hash, never the code.
func signInKey(code string) string {
	sum := sha256.Sum256([]byte(code))
	return "issuer-server:signin:" + base64.RawURLEncoding.EncodeToString(sum[:])
}

// scopeNames are the API's scopes in words.
var scopeNames = map[string]string{
	obapi.ScopeCredentialReadonly: "see your badges",
	obapi.ScopeCredentialUpsert:   "add badges to your record here",
	obapi.ScopeProfileReadonly:    "see your profile",
	obapi.ScopeProfileUpdate:      "change your profile",
}

// signInPage asks the learner for their sign-in code, and their consent.
var signInPage = template.Must(template.New("signin").Parse(`<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in – {{.Issuer}}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}
label{display:block;font-weight:600;margin-top:1rem}input{font:inherit;padding:.4rem;width:100%;box-sizing:border-box}
button{font:inherit;margin-top:1rem;padding:.5rem 1.2rem;background:#1d4ed8;color:#fff;border:0;border-radius:.25rem}
a{color:#1d4ed8}.error{color:#b91c1c;font-weight:600}</style></head>
<body><main>
<h1>Sign in to {{.Issuer}}</h1>
<p><a href="{{.ClientURI}}">{{.Client}}</a> asks to:</p>
<ul>{{range .Scopes}}<li>{{.}}</li>{{end}}</ul>
{{with .RedirectHost}}<p>You will then be sent to <strong>{{.}}</strong>.</p>{{end}}
{{with .Error}}<p class="error" role="alert">{{.}}</p>{{end}}
<form method="post" action="{{.Action}}">
<input type="hidden" name="request" value="{{.Request}}">
<label for="code">Your sign-in code (sent with your badge)</label>
<input id="code" name="code" autocomplete="one-time-code" required>
<button type="submit">Sign in and allow</button>
</form>
</main></body></html>
`))

// login is the API's Login: the sign-in page.
func (s *server) login(w http.ResponseWriter, r *http.Request, req *obapi.AuthorizationRequest) {
	s.signInForm(w, http.StatusOK, req, r.URL.RawQuery, "")
}

func (s *server) signInForm(w http.ResponseWriter, code int, req *obapi.AuthorizationRequest, query, msg string) {
	var scopes []string
	for _, sc := range req.Scopes {
		scopes = append(scopes, scopeNames[sc])
	}
	// Anyone may register a client, with any name: the learner is shown
	// where their browser goes next, the one thing a client cannot choose
	// freely (it is the hostname of its client_uri).
	redirectHost := ""
	if u, err := url.Parse(req.RedirectURI); err == nil {
		redirectHost = u.Hostname()
	}
	var b bytes.Buffer
	err := signInPage.Execute(&b, map[string]any{"Issuer": s.profile, "Client": req.ClientName, "ClientURI": req.ClientURI, "RedirectHost": redirectHost,
		"Scopes": scopes, "Request": query, "Error": msg, "Action": strings.TrimSuffix(s.opts.BaseURL, "/") + "/signin"})
	if err != nil {
		http.Error(w, "the sign-in page could not be made", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
	w.WriteHeader(code)
	w.Write(b.Bytes())
}

// signIn is POST /signin: the learner's sign-in code, used once, for the
// authorization request the form carries.
func (s *server) signIn(w http.ResponseWriter, r *http.Request) {
	// The form is this server's own: a post from another site's page (a
	// browser says where from) is refused, so that no one signs a
	// learner in with a code of their choosing.
	if o := r.Header.Get("Origin"); o != "" && o != s.origin() {
		http.Error(w, "This form is posted from its own page only.", http.StatusForbidden)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxSignInBytes)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "the sign-in form cannot be read", http.StatusBadRequest)
		return
	}
	query, err := url.ParseQuery(r.PostForm.Get("request"))
	if err != nil {
		http.Error(w, "the sign-in form cannot be read", http.StatusBadRequest)
		return
	}
	ctx := r.Context()
	req, err := s.api.ParseAuthorizationRequest(ctx, query)
	if err != nil {
		http.Error(w, "This authorization request cannot be answered.", http.StatusBadRequest)
		return
	}
	user, err := s.tokens.Take(ctx, signInKey(r.PostForm.Get("code")), time.Now())
	if errors.Is(err, hoststore.ErrNotFound) {
		s.signInForm(w, http.StatusUnauthorized, req, r.PostForm.Get("request"), "This code is not valid: it may have been used, or have expired.")
		return
	}
	if err != nil {
		s.log().ErrorContext(ctx, "sign-in failed", "error", err)
		http.Error(w, "the sign-in could not be checked", http.StatusInternalServerError)
		return
	}
	if err := s.api.Authorize(w, r, req, string(user)); err != nil {
		s.log().ErrorContext(ctx, "authorization failed", "error", err)
		http.Error(w, "the authorization could not be made", http.StatusInternalServerError)
	}
}
