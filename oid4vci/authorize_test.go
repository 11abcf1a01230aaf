package oid4vci

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// authFixture is a fixture whose LMS signs the learner in at once, as
// the learner of the award the wallet asks for (award, or the offer's).
func authFixture(t *testing.T, award func(f *fixture, req *AuthorizationRequest) string) *fixture {
	var f *fixture
	f = newFixture(t, testBase, func(c *Config) {
		c.Login = LoginFunc(func(w http.ResponseWriter, r *http.Request, req *AuthorizationRequest) {
			if err := f.srv.Authorize(w, r, req.ID, award(f, req)); err != nil {
				http.Error(w, err.Error(), http.StatusForbidden)
			}
		})
	})
	return f
}

const walletRedirect = "https://wallet.example/cb"

// pkce returns a code verifier and its S256 challenge.
func pkce() (verifier, challenge string) {
	verifier = secret()
	sum := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(sum[:])
}

// authorize sends the wallet's authorization request and returns where
// the browser is sent back to.
func (f *fixture) authorize(t *testing.T, q url.Values) (*url.URL, response) {
	t.Helper()
	r := f.do(t, "GET", f.srv.path+"/authorize?"+q.Encode(), "", "", nil)
	loc, _ := url.Parse(r.header.Get("Location"))
	return loc, r
}

func authQuery(challenge, issuerState string) url.Values {
	q := url.Values{"response_type": {"code"}, "client_id": {"wallet"}, "redirect_uri": {walletRedirect}, "state": {"xyz"},
		"code_challenge": {challenge}, "code_challenge_method": {"S256"}, "resource": {testBase}}
	if issuerState != "" {
		q.Set("issuer_state", issuerState)
	}
	return q
}

func codeForm(code, verifier string) url.Values {
	return url.Values{"grant_type": {"authorization_code"}, "code": {code}, "code_verifier": {verifier}, "client_id": {"wallet"}, "redirect_uri": {walletRedirect}}
}

// TestAuthorizationCodeFlow: a wallet takes an offer by the Authorization
// Code Flow, or asks on its own by scope; the LMS signs the learner in;
// the credential is the wallet's.
func TestAuthorizationCodeFlow(t *testing.T) {
	f := authFixture(t, func(f *fixture, req *AuthorizationRequest) string { return f.issued })
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		offer bool
		scope string
	}{
		{"offer", true, ""},
		{"scope", false, "Statistics_jwt_vc_json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			verifier, challenge := pkce()
			q := authQuery(challenge, "")
			config := tc.scope
			if tc.offer {
				o, err := f.srv.Offer(ctx, f.issued, &OfferOptions{AuthorizationCode: true})
				if err != nil {
					t.Fatal(err)
				}
				co := offerOf(t, o)
				if _, pre := co.Grants[GrantPreAuthorized]; pre || co.Grants["authorization_code"].IssuerState == "" {
					t.Fatalf("grants %+v", co.Grants)
				}
				q.Set("issuer_state", co.Grants["authorization_code"].IssuerState)
				config = "Statistics_ldp_vc"
			} else {
				q.Set("scope", tc.scope)
			}
			loc, r := f.authorize(t, q)
			if r.status != http.StatusFound || !strings.HasPrefix(loc.String(), walletRedirect+"?") || loc.Query().Get("state") != "xyz" || loc.Query().Get("iss") != testBase {
				t.Fatalf("authorize: %d %s %s", r.status, loc, r.raw)
			}
			tr := f.token(t, codeForm(loc.Query().Get("code"), verifier))
			if tr.status != 200 {
				t.Fatalf("token: %d %s", tr.status, tr.raw)
			}
			w := newWallet(t, false)
			cr := f.credential(t, tr.str("access_token"), map[string]any{"credential_configuration_id": config, "proofs": proofsOf(w.proof(t, testBase, f.nonce(t), false, f.clock.Now()))})
			if cr.status != 200 {
				t.Fatalf("credential: %d %s", cr.status, cr.raw)
			}
			format := FormatLDP
			if strings.HasSuffix(config, FormatJWT) {
				format = FormatJWT
			}
			checkCredential(t, cr.body["credentials"].([]any)[0].(map[string]any)["credential"], format, w.did)
		})
	}
	as := f.do(t, "GET", "/.well-known/oauth-authorization-server/lms", "", "", nil)
	if as.str("authorization_endpoint") != testBase+"/authorize" {
		t.Errorf("authorization server metadata: %s", as.raw)
	}
}

// TestAuthorizationCodeRefusals: PKCE is required and checked, codes are
// single use, short lived and for the client and redirect URI they were
// issued to, an offer's issuer_state is single use, and the LMS cannot
// authorize another award than the offer's.
func TestAuthorizationCodeRefusals(t *testing.T) {
	ctx := context.Background()
	offerState := func(f *fixture) string {
		o, err := f.srv.Offer(ctx, f.issued, &OfferOptions{AuthorizationCode: true})
		if err != nil {
			t.Fatal(err)
		}
		return offerOf(t, o).Grants["authorization_code"].IssuerState
	}
	t.Run("authorization endpoint", func(t *testing.T) {
		for _, tc := range []struct {
			name     string
			edit     func(f *fixture, q url.Values)
			redirect bool // the error goes back to the wallet
			code     string
		}{
			{"no client_id", func(f *fixture, q url.Values) { q.Del("client_id") }, false, "invalid_request"},
			{"no redirect_uri", func(f *fixture, q url.Values) { q.Del("redirect_uri") }, false, "invalid_request"},
			{"javascript redirect_uri", func(f *fixture, q url.Values) { q.Set("redirect_uri", "javascript:alert(1)") }, false, "invalid_request"},
			{"http redirect_uri", func(f *fixture, q url.Values) { q.Set("redirect_uri", "http://wallet.example/cb") }, false, "invalid_request"},
			{"no PKCE", func(f *fixture, q url.Values) { q.Del("code_challenge"); q.Del("code_challenge_method") }, true, "invalid_request"},
			{"plain PKCE", func(f *fixture, q url.Values) { q.Set("code_challenge_method", "plain") }, true, "invalid_request"},
			{"token response type", func(f *fixture, q url.Values) { q.Set("response_type", "token") }, true, "unsupported_response_type"},
			{"unknown issuer_state", func(f *fixture, q url.Values) { q.Set("issuer_state", "made-up") }, true, "invalid_request"},
			{"used issuer_state", func(f *fixture, q url.Values) {
				st := offerState(f)
				_, c := pkce()
				f.authorize(t, authQuery(c, st))
				q.Set("issuer_state", st)
			}, true, "invalid_request"},
			{"unknown scope", func(f *fixture, q url.Values) { q.Set("scope", "Diploma") }, true, "invalid_scope"},
			{"another resource", func(f *fixture, q url.Values) {
				q.Set("issuer_state", offerState(f))
				q.Set("resource", "https://evil.example")
			}, true, "invalid_target"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				f := authFixture(t, func(f *fixture, req *AuthorizationRequest) string { return f.issued })
				_, c := pkce()
				q := authQuery(c, "")
				tc.edit(f, q)
				loc, r := f.authorize(t, q)
				if tc.redirect {
					if r.status != http.StatusFound || loc.Query().Get("error") != tc.code || loc.Query().Get("code") != "" {
						t.Errorf("%d %s %s, want a redirect with %s", r.status, loc, r.raw, tc.code)
					}
					return
				}
				if r.status != 400 || r.str("error") != tc.code || r.header.Get("Location") != "" {
					t.Errorf("%d %s, want 400 %s and no redirect", r.status, r.raw, tc.code)
				}
			})
		}
	})
	t.Run("token endpoint", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			run  func(f *fixture, code, verifier string) response
		}{
			{"wrong verifier", func(f *fixture, code, _ string) response { v, _ := pkce(); return f.token(t, codeForm(code, v)) }},
			{"replayed code", func(f *fixture, code, verifier string) response {
				if r := f.token(t, codeForm(code, verifier)); r.status != 200 {
					t.Fatalf("first use: %d %s", r.status, r.raw)
				}
				return f.token(t, codeForm(code, verifier))
			}},
			{"expired code", func(f *fixture, code, verifier string) response {
				f.clock.Add(AuthorizationCodeTTL + time.Second)
				return f.token(t, codeForm(code, verifier))
			}},
			{"another client", func(f *fixture, code, verifier string) response {
				form := codeForm(code, verifier)
				form.Set("client_id", "other")
				return f.token(t, form)
			}},
			{"another redirect_uri", func(f *fixture, code, verifier string) response {
				form := codeForm(code, verifier)
				form.Set("redirect_uri", "https://evil.example/cb")
				return f.token(t, form)
			}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				f := authFixture(t, func(f *fixture, req *AuthorizationRequest) string { return f.issued })
				verifier, challenge := pkce()
				loc, r := f.authorize(t, authQuery(challenge, offerState(f)))
				if loc.Query().Get("code") == "" {
					t.Fatalf("authorize: %d %s %s", r.status, loc, r.raw)
				}
				if r := tc.run(f, loc.Query().Get("code"), verifier); r.status != 400 || r.str("error") != "invalid_grant" {
					t.Errorf("%d %s, want invalid_grant", r.status, r.raw)
				}
			})
		}
	})
	t.Run("the LMS signs in another learner", func(t *testing.T) {
		f := authFixture(t, func(f *fixture, req *AuthorizationRequest) string { return f.review.AwardKey })
		_, challenge := pkce()
		loc, r := f.authorize(t, authQuery(challenge, offerState(f)))
		if r.status != http.StatusForbidden || loc.String() != "" {
			t.Errorf("%d %s %s", r.status, loc, r.raw)
		}
		if err := f.srv.Authorize(nil, httptestRequest(), "made-up", f.issued); !errors.Is(err, ErrAuthorization) {
			t.Errorf("an unknown request: %v", err)
		}
	})
	t.Run("offer without Login", func(t *testing.T) {
		f := newFixture(t, testBase, nil)
		if _, err := f.srv.Offer(ctx, f.issued, &OfferOptions{AuthorizationCode: true}); err == nil {
			t.Error("an Authorization Code offer without Login")
		}
		if r := f.token(t, codeForm("x", strings.Repeat("v", 43))); r.str("error") != "unsupported_grant_type" {
			t.Errorf("authorization_code grant without Login: %d %s", r.status, r.raw)
		}
	})
}

func httptestRequest() *http.Request {
	r, _ := http.NewRequest("GET", testBase+"/authorize", nil)
	return r
}

// TestAuthorizeOnce: an authorization request gives one code, however
// often the LMS calls Authorize with it.
func TestAuthorizeOnce(t *testing.T) {
	var ids []string
	f := newFixture(t, testBase, func(c *Config) {
		c.Login = LoginFunc(func(w http.ResponseWriter, r *http.Request, req *AuthorizationRequest) { ids = append(ids, req.ID) })
	})
	_, challenge := pkce()
	q := authQuery(challenge, "")
	q.Set("scope", "Statistics_ldp_vc")
	f.authorize(t, q)
	if len(ids) != 1 {
		t.Fatalf("Login called %d times", len(ids))
	}
	rec := httptest.NewRecorder()
	if err := f.srv.Authorize(rec, httptestRequest(), ids[0], f.issued); err != nil || rec.Code != http.StatusFound {
		t.Fatalf("first: %v %d", err, rec.Code)
	}
	if err := f.srv.Authorize(httptest.NewRecorder(), httptestRequest(), ids[0], f.issued); !errors.Is(err, ErrAuthorization) {
		t.Errorf("second: %v", err)
	}
	f.clock.Add(AuthorizationTTL + time.Second)
	f.authorize(t, q)
	if err := f.srv.Authorize(httptest.NewRecorder(), httptestRequest(), ids[1], f.issued); err != nil {
		t.Errorf("a fresh request: %v", err)
	}
	f.authorize(t, q)
	f.clock.Add(AuthorizationTTL + time.Second)
	if err := f.srv.Authorize(httptest.NewRecorder(), httptestRequest(), ids[2], f.issued); !errors.Is(err, ErrAuthorization) {
		t.Errorf("an expired request: %v", err)
	}
}
