package obapi

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func FuzzParseRegistration(f *testing.F) {
	f.Add([]byte(`{"client_name": "x", "redirect_uris": ["https://a.example/cb"], "scope": "` + ScopeProfileReadonly + `"}`))
	f.Add([]byte(`{"redirect_uris": [1]}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		reg, err := ParseRegistration(data)
		if (reg == nil) == (err == nil) {
			t.Fatalf("registration %v and error %v", reg, err)
		}
		if reg != nil {
			for _, r := range reg.RedirectURIs {
				if _, ok := httpsHost(r); !ok {
					t.Fatalf("accepted redirect %q", r)
				}
			}
		}
	})
}

func FuzzParsePage(f *testing.F) {
	f.Add("limit=10&offset=20&since=2024-01-01T00:00:00Z")
	f.Add("limit=99999999999999999999")
	f.Add("offset=-1")
	f.Fuzz(func(t *testing.T, query string) {
		q, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		p, err := ParsePage(q)
		if err == nil && (p.Limit < 1 || p.Limit > MaxLimit || p.Offset < 0) {
			t.Fatalf("page %+v", p)
		}
	})
}

// FuzzUpsert sends anything as a credential: nothing is stored that does
// not verify, and every answer is the specification's.
func FuzzUpsert(f *testing.F) {
	fx := newFixture(f, nil)
	_, tk := fx.login(f, ScopeCredentialUpsert)
	f.Add("application/json", string(fx.issued.json[0]))
	f.Add("text/plain", fx.issued.jwt[0])
	f.Add("application/json", `{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"]}`)
	f.Add("text/plain", "a.b.c")
	f.Fuzz(func(t *testing.T, ctype, body string) {
		h := bearer(tk.access)
		h.Set("Content-Type", ctype)
		resp := fx.do(t, "POST", APIPath+"/credentials", h, body)
		switch resp.StatusCode {
		case http.StatusOK, http.StatusCreated:
			if body != string(fx.issued.json[0]) && body != fx.issued.jwt[0] {
				t.Fatalf("stored %q", body)
			}
		case http.StatusBadRequest, http.StatusUnsupportedMediaType, http.StatusRequestEntityTooLarge:
			fx.valid(t, "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_imsx_statusinfo_schema.json", read(t, resp))
		default:
			t.Fatalf("%d %s", resp.StatusCode, read(t, resp))
		}
	})
}

// FuzzAuthorize sends any query to the authorization endpoint: the
// browser is sent back only to the registered redirect URI, and only with
// a code for a request that had every part right.
func FuzzAuthorize(f *testing.F) {
	fx := newFixture(f, nil)
	c := fx.register(f, ScopeCredentialReadonly)
	_, challenge := pkce()
	ok := url.Values{"response_type": {"code"}, "client_id": {c.id}, "redirect_uri": {redirectURI}, "scope": {ScopeCredentialReadonly},
		"state": {"s"}, "code_challenge": {challenge}, "code_challenge_method": {"S256"}}
	f.Add(ok.Encode())
	f.Add(strings.Replace(ok.Encode(), "client.example.net", "attacker.example", 1))
	f.Add("client_id=" + c.id + "&redirect_uri=javascript:alert(1)")
	f.Fuzz(func(t *testing.T, query string) {
		r := httptest.NewRequest("GET", testBase+APIPath+"/oauth/authorize", nil)
		r.URL.RawQuery = query
		w := httptest.NewRecorder()
		fx.srv.ServeHTTP(w, r)
		loc := w.Result().Header.Get("Location")
		if loc == "" {
			return
		}
		if !strings.HasPrefix(loc, redirectURI+"?") {
			t.Fatalf("redirected to %q", loc)
		}
		u, _ := url.Parse(loc)
		if u.Query().Get("code") != "" {
			q, _ := url.ParseQuery(query)
			if q.Get("code_challenge_method") != "S256" || q.Get("response_type") != "code" || q.Get("client_id") != c.id {
				t.Fatalf("a code for %q", query)
			}
		}
	})
}
