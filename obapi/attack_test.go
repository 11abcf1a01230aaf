package obapi

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-openbadges/openbadges/obapi/hoststore"
	"github.com/go-openbadges/openbadges/schema"
	"github.com/go-openbadges/openbadges/sqlstore"
)

// TestSecretsNotCached: every answer that holds a token or a client
// secret says caches must not keep it, with both headers RFC 6749 §5.1
// asks for (Pragma for HTTP/1.0 caches and proxies, which ignore
// Cache-Control): an intermediary that keeps a token response hands the
// next user of the cache another user's tokens.
func TestSecretsNotCached(t *testing.T) {
	f := newFixture(t, nil)
	check := func(t *testing.T, what string, resp *http.Response) {
		t.Helper()
		if resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("Pragma") != "no-cache" {
			t.Errorf("%s: Cache-Control %q, Pragma %q; want no-store, no-cache", what, resp.Header.Get("Cache-Control"), resp.Header.Get("Pragma"))
		}
	}
	resp := f.do(t, "POST", APIPath+"/oauth/register", http.Header{"Content-Type": {"application/json"}}, string(mustJSON(t, registration(allScopes))))
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("register: %d", resp.StatusCode)
	}
	check(t, "registration (client_secret)", resp)
	c := f.register(t, allScopes)
	verifier, challenge := pkce()
	q := f.authorize(t, c, allScopes, challenge)
	resp, m := f.tokenRequest(t, c, url.Values{"grant_type": {"authorization_code"}, "code": {q.Get("code")},
		"redirect_uri": {redirectURI}, "code_verifier": {verifier}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("token: %d %v", resp.StatusCode, m)
	}
	check(t, "token (authorization_code)", resp)
	resp, m = f.tokenRequest(t, c, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {m["refresh_token"].(string)}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("refresh: %d %v", resp.StatusCode, m)
	}
	check(t, "token (refresh_token)", resp)
}

// TestRedirectURIBinding: the code is bound to the redirect URI of its
// authorization request. RFC 6749 §4.1.3 asks the token request for
// redirect_uri only if the authorization request had it: a client that
// left it out (it registered one) gets its tokens without it, and still
// cannot name another URI; a client that gave it must give it again.
func TestRedirectURIBinding(t *testing.T) {
	f := newFixture(t, nil)
	scope := ScopeCredentialReadonly
	c := f.register(t, scope)
	code := func(t *testing.T, withRedirect bool) (string, string) {
		t.Helper()
		verifier, challenge := pkce()
		q := url.Values{"response_type": {"code"}, "client_id": {c.id}, "scope": {scope},
			"code_challenge": {challenge}, "code_challenge_method": {"S256"}}
		if withRedirect {
			q.Set("redirect_uri", redirectURI)
		}
		resp := f.do(t, "GET", APIPath+"/oauth/authorize?"+q.Encode(), nil, "")
		loc, err := url.Parse(resp.Header.Get("Location"))
		if resp.StatusCode != http.StatusSeeOther || err != nil || !strings.HasPrefix(loc.String(), redirectURI+"?") {
			t.Fatalf("authorize: %d %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		return loc.Query().Get("code"), verifier
	}
	tests := []struct {
		name         string
		withRedirect bool
		redirect     []string // the token request's redirect_uri, if any
		status       int
	}{
		{"omitted at both", false, nil, 200},
		{"omitted, then given", false, []string{redirectURI}, 200},
		{"omitted, then another", false, []string{"https://client.example.net/other"}, 400},
		{"omitted, then empty", false, []string{""}, 200},
		{"given, then omitted", true, nil, 400},
		{"given, then empty", true, []string{""}, 400},
		{"given at both", true, []string{redirectURI}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cd, verifier := code(t, tt.withRedirect)
			form := url.Values{"grant_type": {"authorization_code"}, "code": {cd}, "code_verifier": {verifier}}
			if tt.redirect != nil {
				form["redirect_uri"] = tt.redirect
			}
			resp, m := f.tokenRequest(t, c, form)
			if resp.StatusCode != tt.status || (tt.status != 200 && m["error"] != "invalid_grant") {
				t.Errorf("%d %v, want %d", resp.StatusCode, m, tt.status)
			}
		})
	}
}

// TestUpsertDuplicateID: a signed credential with a second id appended
// (JSON parsers disagree on which of two members wins) must not be kept
// under the id the issuer did not sign, where it would replace another of
// the user's credentials of the same issuer.
func TestUpsertDuplicateID(t *testing.T) {
	f := newFixture(t, nil)
	_, tk := f.login(t, ScopeCredentialUpsert+" "+ScopeCredentialReadonly)
	cred := f.issued.json[0]
	i := bytes.LastIndexByte(cred, '}')
	dup := string(cred[:i]) + `, "id": "urn:uuid:00000000-0000-4000-8000-000000000000"}`
	h := bearer(tk.access)
	h.Set("Content-Type", "application/json")
	f.wantStatus(t, f.do(t, "POST", APIPath+"/credentials", h, dup), http.StatusBadRequest, "invalid_data")
}

// TestDefaultProfile: a host's DefaultProfile answers getProfile for a
// user who has put none, for that user only, checked against the Profile
// schema; the user's own profile replaces it.
func TestDefaultProfile(t *testing.T) {
	defaults := map[string]string{
		"user-1": `{"id": "https://host.example.org/users/1", "type": ["Profile"], "name": "Ada Lovelace"}`,
		"user-2": `{"id": "https://host.example.org/users/2", "name": "no type"}`,
	}
	f := newFixture(t, func(c *Config) {
		c.DefaultProfile = func(ctx context.Context, user string) ([]byte, error) {
			p, ok := defaults[user]
			if !ok {
				return nil, hoststore.ErrNotFound
			}
			return []byte(p), nil
		}
	})
	get := func(t *testing.T, tok string) (*http.Response, string) {
		t.Helper()
		resp := f.do(t, "GET", APIPath+"/profile", bearer(tok), "")
		return resp, string(read(t, resp))
	}
	_, tk := f.login(t, ScopeProfileReadonly+" "+ScopeProfileUpdate)
	resp, body := get(t, tk.access)
	if resp.StatusCode != 200 || body != defaults["user-1"] || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("default: %d %s", resp.StatusCode, body)
	}
	f.valid(t, schema.ProfileSchemaURL, []byte(body))
	own := `{"id": "did:example:ada", "type": ["Profile"], "name": "Ada"}`
	h := bearer(tk.access)
	h.Set("Content-Type", "application/json")
	if resp := f.do(t, "PUT", APIPath+"/profile", h, own); resp.StatusCode != 200 {
		t.Fatalf("put: %d", resp.StatusCode)
	}
	if resp, body := get(t, tk.access); resp.StatusCode != 200 || body != own {
		t.Errorf("after put: %d %s", resp.StatusCode, body)
	}
	// A default that is not a valid Profile is the host's fault: 500, not
	// a document no client could read.
	f.user = "user-2"
	_, tk2 := f.login(t, ScopeProfileReadonly)
	f.wantStatus(t, f.do(t, "GET", APIPath+"/profile", bearer(tk2.access), ""), http.StatusInternalServerError, "internal_server_error")
	f.user = "user-3"
	_, tk3 := f.login(t, ScopeProfileReadonly)
	f.wantStatus(t, f.do(t, "GET", APIPath+"/profile", bearer(tk3.access), ""), http.StatusNotFound, "not_found")
}

// TestUnusedClientExpires: registration is open to anyone, so a flood of
// registrations nobody uses must not stay in the Store for good (filling
// a bounded store against every user's codes and tokens, or a database
// without end). A registration is kept UnusedClientTTL until its client
// exchanges a first code, and for good after.
func TestUnusedClientExpires(t *testing.T) {
	f := newFixture(t, nil)
	scope := ScopeCredentialReadonly
	unused := f.register(t, scope)
	used, tk := f.login(t, scope)
	f.clock.Add(UnusedClientTTL + time.Minute)
	_, challenge := pkce()
	q := url.Values{"response_type": {"code"}, "client_id": {unused.id}, "redirect_uri": {redirectURI}, "scope": {scope},
		"code_challenge": {challenge}, "code_challenge_method": {"S256"}}
	resp := f.do(t, "GET", APIPath+"/oauth/authorize?"+q.Encode(), nil, "")
	if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" {
		t.Errorf("an unused registration after UnusedClientTTL: %d %q, want 400 and no redirect", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, m := f.tokenRequest(t, unused, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"x"}}); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("an unused registration authenticates after UnusedClientTTL: %d %v", resp.StatusCode, m)
	}
	// The client that got tokens is kept, and so are its tokens.
	f.authorize(t, used, scope, challenge)
	if resp, m := f.tokenRequest(t, used, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tk.refresh}}); resp.StatusCode != http.StatusOK {
		t.Errorf("refresh by a client in use: %d %v", resp.StatusCode, m)
	}
}

// TestForeignGrantLeftAlone: a client that presents another client's
// code or refresh token (it leaked: a log, a Referer, a shared proxy) is
// refused, and what it presented still works for its own client: a
// registered client, which anyone may be, cannot sign another client's
// users out.
func TestForeignGrantLeftAlone(t *testing.T) {
	f := newFixture(t, nil)
	scope := ScopeCredentialReadonly
	victim, tk := f.login(t, scope)
	attacker := f.register(t, scope)
	verifier, challenge := pkce()
	code := f.authorize(t, victim, scope, challenge).Get("code")
	exchange := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirectURI}, "code_verifier": {verifier}}
	refresh := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tk.refresh}}
	for _, form := range []url.Values{exchange, refresh} {
		if resp, m := f.tokenRequest(t, attacker, form); resp.StatusCode != http.StatusBadRequest || m["error"] != "invalid_grant" {
			t.Errorf("%s by another client: %d %v", form.Get("grant_type"), resp.StatusCode, m)
		}
		if resp, m := f.tokenRequest(t, victim, form); resp.StatusCode != http.StatusOK {
			t.Errorf("%s by its own client after another's attempt: %d %v", form.Get("grant_type"), resp.StatusCode, m)
		}
	}
}

// pausingStore is a Store that stops the first Put or Take of a key with
// prefix until the test lets it go on: a request caught between two of
// its steps.
type pausingStore struct {
	hoststore.Store
	op, prefix       string
	paused           atomic.Bool
	reached, release chan struct{}
}

func (p *pausingStore) wait(op, key string) {
	if op == p.op && strings.HasPrefix(key, p.prefix) && p.paused.CompareAndSwap(false, true) {
		close(p.reached)
		<-p.release
	}
}

func (p *pausingStore) Put(ctx context.Context, key string, value []byte, expires time.Time) error {
	p.wait("put", key)
	return p.Store.Put(ctx, key, value, expires)
}

func (p *pausingStore) Take(ctx context.Context, key string, now time.Time) ([]byte, error) {
	p.wait("take", key)
	return p.Store.Take(ctx, key, now)
}

// TestConcurrentReplay: a code or refresh token presented twice at once
// (a thief racing its client) gives no token that works, whichever
// request gets where first: the second use revokes what the first gave
// even while the first is still storing it (RFC 6749 §4.1.2, RFC 9700
// §4.14.2). The Store, in memory and in SQLite, is caught between the
// first request's steps.
func TestConcurrentReplay(t *testing.T) {
	scope := ScopeCredentialReadonly
	stores := map[string]func(t *testing.T) hoststore.Store{
		"memory": func(*testing.T) hoststore.Store { return &hoststore.MemoryStore{} },
		"sqlite": func(t *testing.T) hoststore.Store {
			db, err := sqlstore.Open(t.Context(), "sqlite:"+filepath.Join(t.TempDir(), "host.db"), nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db.OBAPI()
		},
	}
	for name, newStore := range stores {
		for _, grantType := range []string{"authorization_code", "refresh_token"} {
			for _, pause := range []struct{ op, prefix string }{{"put", "obapi:next:"}, {"take", "obapi:code:"}, {"take", "obapi:refresh:"}, {"put", "obapi:access:"}} {
				if pause.op == "take" && (grantType == "authorization_code") != (pause.prefix == "obapi:code:") {
					continue
				}
				t.Run(name+" "+grantType+" "+pause.op+" "+pause.prefix, func(t *testing.T) {
					ps := &pausingStore{Store: newStore(t), reached: make(chan struct{}), release: make(chan struct{})}
					f := newFixture(t, func(c *Config) { c.Store = ps })
					c := f.register(t, scope)
					verifier, challenge := pkce()
					q := f.authorize(t, c, scope, challenge)
					form := url.Values{"grant_type": {"authorization_code"}, "code": {q.Get("code")}, "redirect_uri": {redirectURI}, "code_verifier": {verifier}}
					if grantType == "refresh_token" {
						_, m := f.tokenRequest(t, c, form)
						form = url.Values{"grant_type": {"refresh_token"}, "refresh_token": {m["refresh_token"].(string)}}
					}
					ps.op, ps.prefix = pause.op, pause.prefix
					type answer struct {
						status int
						m      map[string]any
					}
					first := make(chan answer, 1)
					go func() {
						resp, m := f.tokenRequest(t, c, form)
						first <- answer{resp.StatusCode, m}
					}()
					<-ps.reached
					resp, second := f.tokenRequest(t, c, form)
					close(ps.release)
					a := <-first
					for i, got := range []answer{a, {resp.StatusCode, second}} {
						if got.status == http.StatusOK {
							if r := f.do(t, "GET", APIPath+"/credentials", bearer(got.m["access_token"].(string)), ""); r.StatusCode != http.StatusUnauthorized {
								t.Errorf("request %d: its access token still works after the replay: %d", i+1, r.StatusCode)
							}
							r, m := f.tokenRequest(t, c, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {got.m["refresh_token"].(string)}})
							if r.StatusCode != http.StatusBadRequest {
								t.Errorf("request %d: its refresh token still works after the replay: %d %v", i+1, r.StatusCode, m)
							}
						} else if got.m["error"] != "invalid_grant" {
							t.Errorf("request %d: %d %v", i+1, got.status, got.m)
						}
					}
				})
			}
		}
	}
}

// TestReplayThroughRotation: a code replayed after its refresh token was
// rotated revokes the whole chain; the rotated token, whose key now holds
// a revoked grant, is still an unknown token to every endpoint.
func TestReplayThroughRotation(t *testing.T) {
	f := newFixture(t, nil)
	scope := ScopeCredentialReadonly
	c := f.register(t, scope)
	verifier, challenge := pkce()
	exchange := url.Values{"grant_type": {"authorization_code"}, "code": {f.authorize(t, c, scope, challenge).Get("code")},
		"redirect_uri": {redirectURI}, "code_verifier": {verifier}}
	_, first := f.tokenRequest(t, c, exchange)
	rt1 := first["refresh_token"].(string)
	resp, second := f.tokenRequest(t, c, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt1}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("refresh: %d %v", resp.StatusCode, second)
	}
	if resp, m := f.tokenRequest(t, c, exchange); resp.StatusCode != http.StatusBadRequest || m["error"] != "invalid_grant" {
		t.Fatalf("replayed code: %d %v", resp.StatusCode, m)
	}
	f.wantStatus(t, f.do(t, "GET", APIPath+"/credentials", bearer(second["access_token"].(string)), ""), http.StatusUnauthorized, "unauthorizedrequest")
	f.wantStatus(t, f.do(t, "GET", APIPath+"/credentials", bearer(rt1), ""), http.StatusUnauthorized, "unauthorizedrequest")
	for _, tok := range []string{rt1, second["refresh_token"].(string)} {
		if resp, m := f.tokenRequest(t, c, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok}}); resp.StatusCode != http.StatusBadRequest || m["error"] != "invalid_grant" {
			t.Errorf("a revoked refresh token: %d %v", resp.StatusCode, m)
		}
		h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
		req := &http.Request{Header: http.Header{}}
		req.SetBasicAuth(url.QueryEscape(c.id), url.QueryEscape(c.secret))
		h.Set("Authorization", req.Header.Get("Authorization"))
		if resp := f.do(t, "POST", APIPath+"/oauth/revoke", h, url.Values{"token": {tok}}.Encode()); resp.StatusCode != http.StatusOK {
			t.Errorf("revoking a revoked token: %d %s, want 200 (RFC 7009 §2.2)", resp.StatusCode, read(t, resp))
		}
	}
}
