package obapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-openbadges/openbadges/obapi/hoststore"
)

func TestRegistration(t *testing.T) {
	f := newFixture(t, nil)
	edit := func(k string, v any) string {
		r := registration(allScopes)
		if v == nil {
			delete(r, k)
		} else {
			r[k] = v
		}
		return string(mustJSON(t, r))
	}
	tests := []struct {
		name, ctype, body, code string
	}{
		{"no client_name", "application/json", edit("client_name", nil), "invalid_client_metadata"},
		{"no software_id", "application/json", edit("software_id", nil), "invalid_client_metadata"},
		{"http client_uri", "application/json", edit("client_uri", "http://client.example.net"), "invalid_client_metadata"},
		{"no tos_uri", "application/json", edit("tos_uri", nil), "invalid_client_metadata"},
		{"no redirect_uris", "application/json", edit("redirect_uris", nil), "invalid_redirect_uri"},
		{"http redirect", "application/json", edit("redirect_uris", []string{"http://client.example.net/cb"}), "invalid_redirect_uri"},
		{"fragment redirect", "application/json", edit("redirect_uris", []string{"https://client.example.net/cb#x"}), "invalid_redirect_uri"},
		{"loopback http redirect", "application/json", edit("redirect_uris", []string{"http://127.0.0.1:8080/cb"}), "invalid_redirect_uri"},
		{"redirect on another host", "application/json", edit("redirect_uris", []string{"https://attacker.example/cb"}), "invalid_redirect_uri"},
		{"logo on another host", "application/json", edit("logo_uri", "https://cdn.example.org/logo.png"), "invalid_client_metadata"},
		{"custom scheme", "application/json", edit("redirect_uris", []string{"javascript:alert(1)"}), "invalid_redirect_uri"},
		{"unknown scope", "application/json", edit("scope", "openid"), "invalid_client_metadata"},
		{"no scope", "application/json", edit("scope", nil), "invalid_client_metadata"},
		{"auth method", "application/json", edit("token_endpoint_auth_method", "none"), "invalid_client_metadata"},
		{"implicit", "application/json", edit("grant_types", []string{"implicit"}), "invalid_client_metadata"},
		{"token response", "application/json", edit("response_types", []string{"token"}), "invalid_client_metadata"},
		{"not JSON", "application/json", `{"client_name": `, "invalid_client_metadata"},
		{"form", "application/x-www-form-urlencoded", "client_name=x", "invalid_client_metadata"},
		{"too large", "application/json", `{"client_name": "` + strings.Repeat("x", MaxFormBytes) + `"}`, "invalid_client_metadata"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := f.do(t, "POST", APIPath+"/oauth/register", http.Header{"Content-Type": {tt.ctype}}, tt.body)
			var e OAuthError
			json.Unmarshal(read(t, resp), &e)
			if resp.StatusCode != 400 || e.Code != tt.code {
				t.Errorf("%d %+v, want 400 %s", resp.StatusCode, e, tt.code)
			}
		})
	}
	t.Run("offline_access", func(t *testing.T) {
		resp := f.do(t, "POST", APIPath+"/oauth/register", http.Header{"Content-Type": {"application/json"}},
			edit("scope", ScopeCredentialReadonly+" offline_access"))
		if resp.StatusCode != 201 {
			t.Errorf("%d %s", resp.StatusCode, read(t, resp))
		}
	})
	t.Run("response", func(t *testing.T) {
		resp := f.do(t, "POST", APIPath+"/oauth/register", http.Header{"Content-Type": {"application/json"}}, edit("contacts", nil))
		var m map[string]any
		json.Unmarshal(read(t, resp), &m)
		for _, k := range []string{"client_id", "client_secret", "client_id_issued_at", "client_secret_expires_at", "client_name", "redirect_uris", "scope"} {
			if _, ok := m[k]; !ok {
				t.Errorf("no %s in %v", k, m)
			}
		}
	})
}

func TestAuthorize(t *testing.T) {
	f := newFixture(t, nil)
	c := f.register(t, ScopeCredentialReadonly+" "+ScopeProfileReadonly)
	_, challenge := pkce()
	base := url.Values{"response_type": {"code"}, "client_id": {c.id}, "redirect_uri": {redirectURI},
		"scope": {ScopeCredentialReadonly}, "state": {"s1"}, "code_challenge": {challenge}, "code_challenge_method": {"S256"}}
	with := func(k, v string) url.Values {
		q := url.Values{}
		for k, v := range base {
			q[k] = v
		}
		if v == "" {
			q.Del(k)
		} else {
			q.Set(k, v)
		}
		return q
	}
	tests := []struct {
		name  string
		query url.Values
		error string // "" for no redirect: a 400 page
	}{
		{"unknown client", with("client_id", "nobody"), ""},
		{"unregistered redirect", with("redirect_uri", "https://attacker.example/cb"), ""},
		{"redirect prefix", with("redirect_uri", redirectURI+"/more"), ""},
		{"token response", with("response_type", "token"), "unsupported_response_type"},
		{"no PKCE", with("code_challenge", ""), "invalid_request"},
		{"plain PKCE", with("code_challenge_method", "plain"), "invalid_request"},
		{"unregistered scope", with("scope", ScopeCredentialUpsert), "invalid_scope"},
		{"no scope", with("scope", ""), "invalid_scope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := f.do(t, "GET", APIPath+"/oauth/authorize?"+tt.query.Encode(), nil, "")
			if tt.error == "" {
				if resp.StatusCode != 400 || resp.Header.Get("Location") != "" {
					t.Errorf("%d to %q, want 400 and no redirect", resp.StatusCode, resp.Header.Get("Location"))
				}
				return
			}
			loc, _ := url.Parse(resp.Header.Get("Location"))
			if resp.StatusCode != 303 || loc.Query().Get("error") != tt.error || loc.Query().Get("state") != "s1" || loc.Query().Get("code") != "" {
				t.Errorf("%d to %q, want error %s", resp.StatusCode, loc, tt.error)
			}
		})
	}
	t.Run("denied", func(t *testing.T) {
		f.user = ""
		defer func() { f.user = "user-1" }()
		resp := f.do(t, "GET", APIPath+"/oauth/authorize?"+base.Encode(), nil, "")
		loc, _ := url.Parse(resp.Header.Get("Location"))
		if loc.Query().Get("error") != "access_denied" || loc.Query().Get("code") != "" {
			t.Errorf("redirected to %q", loc)
		}
	})
}

func TestToken(t *testing.T) {
	f := newFixture(t, nil)
	scope := ScopeCredentialReadonly
	c := f.register(t, scope)
	other := f.register(t, scope)
	code := func() (string, string) {
		verifier, challenge := pkce()
		return f.authorize(t, c, scope, challenge).Get("code"), verifier
	}
	exchange := func(cl testClient, code, verifier, redirect string) (*http.Response, map[string]any) {
		return f.tokenRequest(t, cl, url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirect}, "code_verifier": {verifier}})
	}
	wantErr := func(t *testing.T, resp *http.Response, m map[string]any, status int, code string) {
		t.Helper()
		if resp.StatusCode != status || m["error"] != code || m["access_token"] != nil {
			t.Errorf("%d %v, want %d %s", resp.StatusCode, m, status, code)
		}
	}
	t.Run("wrong verifier", func(t *testing.T) {
		cd, _ := code()
		other, _ := pkce()
		resp, m := exchange(c, cd, other, redirectURI)
		wantErr(t, resp, m, 400, "invalid_grant")
	})
	t.Run("no verifier", func(t *testing.T) {
		cd, _ := code()
		resp, m := exchange(c, cd, "", redirectURI)
		wantErr(t, resp, m, 400, "invalid_grant")
	})
	t.Run("replayed code", func(t *testing.T) {
		cd, v := code()
		resp, first := exchange(c, cd, v, redirectURI)
		if resp.StatusCode != 200 {
			t.Fatalf("%d %v", resp.StatusCode, first)
		}
		resp, m := exchange(c, cd, v, redirectURI)
		wantErr(t, resp, m, 400, "invalid_grant")
		// What the code gave is revoked: it may have been stolen.
		f.wantStatus(t, f.do(t, "GET", APIPath+"/credentials", bearer(first["access_token"].(string)), ""), 401, "unauthorizedrequest")
		resp, m = f.tokenRequest(t, c, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {first["refresh_token"].(string)}})
		wantErr(t, resp, m, 400, "invalid_grant")
	})
	t.Run("redirect mismatch", func(t *testing.T) {
		cd, v := code()
		resp, m := exchange(c, cd, v, "https://client.example.net/other")
		wantErr(t, resp, m, 400, "invalid_grant")
		// The code was used up by the failed attempt.
		resp, m = exchange(c, cd, v, redirectURI)
		wantErr(t, resp, m, 400, "invalid_grant")
	})
	t.Run("another client's code", func(t *testing.T) {
		cd, v := code()
		resp, m := exchange(other, cd, v, redirectURI)
		wantErr(t, resp, m, 400, "invalid_grant")
	})
	t.Run("wrong secret", func(t *testing.T) {
		cd, v := code()
		resp, m := exchange(testClient{c.id, other.secret}, cd, v, redirectURI)
		wantErr(t, resp, m, 401, "invalid_client")
		if resp.Header.Get("WWW-Authenticate") == "" {
			t.Error("no WWW-Authenticate")
		}
	})
	t.Run("expired code", func(t *testing.T) {
		cd, v := code()
		f.clock.Add(CodeTTL + time.Second)
		resp, m := exchange(c, cd, v, redirectURI)
		wantErr(t, resp, m, 400, "invalid_grant")
	})
	t.Run("grant type", func(t *testing.T) {
		resp, m := f.tokenRequest(t, c, url.Values{"grant_type": {"client_credentials"}})
		wantErr(t, resp, m, 400, "unsupported_grant_type")
	})
	t.Run("repeated parameter", func(t *testing.T) {
		cd, v := code()
		resp, m := f.tokenRequest(t, c, url.Values{"grant_type": {"authorization_code"}, "code": {cd, cd}, "redirect_uri": {redirectURI}, "code_verifier": {v}})
		wantErr(t, resp, m, 400, "invalid_request")
	})
}

func TestTokenLifetime(t *testing.T) {
	f := newFixture(t, nil)
	get := func(tok string) *http.Response { return f.do(t, "GET", APIPath+"/credentials", bearer(tok), "") }
	refresh := func(c testClient, rt string) (*http.Response, map[string]any) {
		return f.tokenRequest(t, c, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}})
	}
	t.Run("expired", func(t *testing.T) {
		_, tk := f.login(t, ScopeCredentialReadonly)
		if resp := get(tk.access); resp.StatusCode != 200 {
			t.Fatalf("%d", resp.StatusCode)
		}
		f.clock.Add(DefaultAccessTokenTTL)
		f.wantStatus(t, get(tk.access), 401, "unauthorizedrequest")
	})
	t.Run("refresh", func(t *testing.T) {
		c, tk := f.login(t, ScopeCredentialReadonly+" "+ScopeProfileReadonly)
		resp, m := refresh(c, tk.refresh)
		if resp.StatusCode != 200 || m["access_token"] == nil || m["refresh_token"] == tk.refresh {
			t.Fatalf("%d %v", resp.StatusCode, m)
		}
		// The old access token is gone (and the refresh token is single
		// use: see "refresh token replayed").
		f.wantStatus(t, get(tk.access), 401, "unauthorizedrequest")
		if resp := get(m["access_token"].(string)); resp.StatusCode != 200 {
			t.Errorf("new access token: %d", resp.StatusCode)
		}
		// Narrowing the scope on refresh.
		resp, m2 := f.tokenRequest(t, c, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {m["refresh_token"].(string)}, "scope": {ScopeProfileReadonly}})
		if resp.StatusCode != 200 || m2["scope"] != ScopeProfileReadonly {
			t.Fatalf("%d %v", resp.StatusCode, m2)
		}
		f.wantStatus(t, get(m2["access_token"].(string)), 403, "forbidden")
		// Widening is refused.
		resp, m3 := f.tokenRequest(t, c, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {m2["refresh_token"].(string)}, "scope": {ScopeCredentialReadonly}})
		if resp.StatusCode != 400 || m3["error"] != "invalid_scope" {
			t.Errorf("widened: %d %v", resp.StatusCode, m3)
		}
	})
	t.Run("refresh token replayed", func(t *testing.T) {
		// old → second → third; old used again revokes third, the live
		// one, and its access token.
		c, tk := f.login(t, ScopeCredentialReadonly)
		_, second := refresh(c, tk.refresh)
		_, third := refresh(c, second["refresh_token"].(string))
		if third["access_token"] == nil {
			t.Fatalf("third: %v", third)
		}
		if resp, m := refresh(c, tk.refresh); resp.StatusCode != 400 || m["error"] != "invalid_grant" {
			t.Errorf("replayed: %d %v", resp.StatusCode, m)
		}
		f.wantStatus(t, get(third["access_token"].(string)), 401, "unauthorizedrequest")
		if resp, m := refresh(c, third["refresh_token"].(string)); resp.StatusCode != 400 {
			t.Errorf("the live refresh token after a replay: %d %v", resp.StatusCode, m)
		}
	})
	t.Run("refresh by another client", func(t *testing.T) {
		_, tk := f.login(t, ScopeCredentialReadonly)
		other := f.register(t, ScopeCredentialReadonly)
		if resp, m := refresh(other, tk.refresh); resp.StatusCode != 400 || m["error"] != "invalid_grant" {
			t.Errorf("%d %v", resp.StatusCode, m)
		}
	})
	t.Run("expired refresh", func(t *testing.T) {
		c, tk := f.login(t, ScopeCredentialReadonly)
		f.clock.Add(DefaultRefreshTokenTTL)
		if resp, m := refresh(c, tk.refresh); resp.StatusCode != 400 || m["error"] != "invalid_grant" {
			t.Errorf("%d %v", resp.StatusCode, m)
		}
	})
	revoke := func(c testClient, tok string) *http.Response {
		h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
		req := &http.Request{Header: http.Header{}}
		req.SetBasicAuth(c.id, c.secret)
		h.Set("Authorization", req.Header.Get("Authorization"))
		return f.do(t, "POST", APIPath+"/oauth/revoke", h, url.Values{"token": {tok}}.Encode())
	}
	t.Run("revoke access", func(t *testing.T) {
		c, tk := f.login(t, ScopeCredentialReadonly)
		if resp := revoke(c, tk.access); resp.StatusCode != 200 {
			t.Fatalf("%d", resp.StatusCode)
		}
		f.wantStatus(t, get(tk.access), 401, "unauthorizedrequest")
	})
	t.Run("revoke refresh", func(t *testing.T) {
		c, tk := f.login(t, ScopeCredentialReadonly)
		if resp := revoke(c, tk.refresh); resp.StatusCode != 200 {
			t.Fatalf("%d", resp.StatusCode)
		}
		// The access token that came with it goes too.
		f.wantStatus(t, get(tk.access), 401, "unauthorizedrequest")
		if resp, _ := refresh(c, tk.refresh); resp.StatusCode != 400 {
			t.Errorf("revoked refresh token: %d", resp.StatusCode)
		}
	})
	t.Run("revoke another client's", func(t *testing.T) {
		_, tk := f.login(t, ScopeCredentialReadonly)
		other := f.register(t, ScopeCredentialReadonly)
		if resp := revoke(other, tk.access); resp.StatusCode != 400 {
			t.Errorf("%d", resp.StatusCode)
		}
		if resp := get(tk.access); resp.StatusCode != 200 {
			t.Errorf("the token was revoked by another client: %d", resp.StatusCode)
		}
	})
	t.Run("revoke unknown", func(t *testing.T) {
		c := f.register(t, ScopeCredentialReadonly)
		if resp := revoke(c, "nothing"); resp.StatusCode != 200 {
			t.Errorf("%d", resp.StatusCode)
		}
	})
}

// TestStoreHoldsNoSecret checks that the store's keys and values name no
// code, token or client secret.
func TestStoreHoldsNoSecret(t *testing.T) {
	var keys []string
	var values []string
	rec := &recordingStore{put: func(k string, v []byte) { keys = append(keys, k); values = append(values, string(v)) }}
	f := newFixture(t, func(c *Config) { c.Store = rec })
	c, tk := f.login(t, ScopeCredentialReadonly)
	all := strings.Join(keys, " ") + strings.Join(values, " ")
	for name, secret := range map[string]string{"client secret": c.secret, "access token": tk.access, "refresh token": tk.refresh} {
		if strings.Contains(all, secret) {
			t.Errorf("the store holds the %s", name)
		}
	}
}

// recordingStore is a hoststore.MemoryStore that tells what is put.
type recordingStore struct {
	hoststore.MemoryStore
	put func(k string, v []byte)
}

func (r *recordingStore) Put(ctx context.Context, key string, value []byte, expires time.Time) error {
	r.put(key, value)
	return r.MemoryStore.Put(ctx, key, value, expires)
}

// TestStoreDown: a store that fails is the host's fault (500), not the
// client's token (401); and the Bearer scheme's name is case-insensitive.
func TestStoreDown(t *testing.T) {
	st := &failingStore{}
	f := newFixture(t, func(c *Config) { c.Store = st })
	_, tk := f.login(t, ScopeCredentialReadonly)
	if resp := f.do(t, "GET", APIPath+"/credentials", http.Header{"Authorization": {"bearer  " + tk.access}}, ""); resp.StatusCode != 200 {
		t.Errorf("lower-case bearer: %d", resp.StatusCode)
	}
	st.down = true
	f.wantStatus(t, f.do(t, "GET", APIPath+"/credentials", bearer(tk.access), ""), http.StatusInternalServerError, "internal_server_error")
}

// failingStore is a MemoryStore whose Get fails when down.
type failingStore struct {
	hoststore.MemoryStore
	down bool
}

func (s *failingStore) Get(ctx context.Context, key string, now time.Time) ([]byte, error) {
	if s.down {
		return nil, errors.New("the database is down")
	}
	return s.MemoryStore.Get(ctx, key, now)
}

// TestNoRefreshGrant: a client that did not register the refresh_token
// grant type (the specification's default) gets no refresh token, and may
// not refresh; its code used twice revokes the access token it gave.
func TestNoRefreshGrant(t *testing.T) {
	f := newFixture(t, nil)
	reg := registration(ScopeCredentialReadonly)
	delete(reg, "grant_types")
	resp := f.do(t, "POST", APIPath+"/oauth/register", http.Header{"Content-Type": {"application/json"}}, string(mustJSON(t, reg)))
	var r struct {
		ID         string   `json:"client_id"`
		Secret     string   `json:"client_secret"`
		GrantTypes []string `json:"grant_types"`
	}
	if err := json.Unmarshal(read(t, resp), &r); err != nil || resp.StatusCode != 201 {
		t.Fatal(resp.StatusCode, err)
	}
	if len(r.GrantTypes) != 1 || r.GrantTypes[0] != "authorization_code" {
		t.Errorf("grant_types %v", r.GrantTypes)
	}
	c := testClient{r.ID, r.Secret}
	verifier, challenge := pkce()
	q := f.authorize(t, c, ScopeCredentialReadonly, challenge)
	form := url.Values{"grant_type": {"authorization_code"}, "code": {q.Get("code")}, "redirect_uri": {redirectURI}, "code_verifier": {verifier}}
	resp, m := f.tokenRequest(t, c, form)
	if resp.StatusCode != 200 || m["refresh_token"] != nil || m["access_token"] == nil {
		t.Fatalf("%d %v", resp.StatusCode, m)
	}
	if resp, m := f.tokenRequest(t, c, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"x"}}); resp.StatusCode != 400 || m["error"] != "unauthorized_client" {
		t.Errorf("refresh: %d %v", resp.StatusCode, m)
	}
	if resp, _ := f.tokenRequest(t, c, form); resp.StatusCode != 400 {
		t.Errorf("the code again: %d", resp.StatusCode)
	}
	f.wantStatus(t, f.do(t, "GET", APIPath+"/credentials", bearer(m["access_token"].(string)), ""), 401, "unauthorizedrequest")
}

// TestErrorDescriptionASCII: error_description keeps to RFC 6749's
// characters, whatever the client sent.
func TestErrorDescriptionASCII(t *testing.T) {
	f := newFixture(t, nil)
	resp := f.do(t, "POST", APIPath+"/oauth/register", http.Header{"Content-Type": {"application/json"}},
		string(mustJSON(t, map[string]any{"client_name": "x", "client_uri": "https://a.example", "logo_uri": "https://a.example/l",
			"tos_uri": "https://a.example/t", "policy_uri": "https://a.example/p", "software_id": "s", "software_version": "1",
			"redirect_uris": []string{"https://a.example/cb"}, "scope": "\"é\\\u0007"})))
	var e OAuthError
	json.Unmarshal(read(t, resp), &e)
	for _, r := range e.Description {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			t.Fatalf("error_description %q has %q", e.Description, r)
		}
	}
	if resp.StatusCode != 400 || e.Code != "invalid_client_metadata" {
		t.Errorf("%d %+v", resp.StatusCode, e)
	}
}
