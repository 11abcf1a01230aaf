package obapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/obapi/hoststore"
	"github.com/go-openbadges/openbadges/schema"
)

// operation is an endpoint of the specification's OpenAPI document.
type operation struct {
	method, path, id, scope string
}

// specOperations reads the operations and their scopes from the
// specification's OpenAPI document.
func specOperations(t *testing.T) []operation {
	t.Helper()
	data, err := os.ReadFile("testdata/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var oas struct {
		Paths map[string]map[string]struct {
			OperationID string                `json:"operationId"`
			Security    []map[string][]string `json:"security"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(data, &oas); err != nil {
		t.Fatal(err)
	}
	var ops []operation
	for path, methods := range oas.Paths {
		for m, op := range methods {
			o := operation{method: strings.ToUpper(m), path: path, id: op.OperationID}
			for _, s := range op.Security {
				for _, sc := range s["OAuth2ACG"] {
					o.scope = sc
				}
			}
			ops = append(ops, o)
		}
	}
	slices.SortFunc(ops, func(a, b operation) int { return strings.Compare(a.id, b.id) })
	return ops
}

func TestDiscovery(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.Image = "https://host.example.org/logo.png" })
	resp := f.do(t, "GET", APIPath+"/discovery", nil, "")
	body := read(t, resp)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	f.valid(t, sddSchemaURL, body)
	var sdd struct {
		Info       map[string]string `json:"info"`
		Components struct {
			SecuritySchemes struct {
				OAuth2ACG struct {
					Type         string `json:"type"`
					Registration string `json:"x-imssf-registrationUrl"`
					Flows        struct {
						AuthorizationCode struct {
							AuthorizationURL string            `json:"authorizationUrl"`
							TokenURL         string            `json:"tokenUrl"`
							RefreshURL       string            `json:"refreshUrl"`
							Scopes           map[string]string `json:"scopes"`
						} `json:"authorizationCode"`
					} `json:"flows"`
				} `json:"OAuth2ACG"`
			} `json:"securitySchemes"`
		} `json:"components"`
		Paths map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(body, &sdd); err != nil {
		t.Fatal(err)
	}
	sch := sdd.Components.SecuritySchemes.OAuth2ACG
	flow := sch.Flows.AuthorizationCode
	got := []string{sdd.Info["x-imssf-privacyPolicyUrl"], sdd.Info["termsOfService"], sdd.Info["x-imssf-image"], sch.Type,
		sch.Registration, flow.AuthorizationURL, flow.TokenURL, flow.RefreshURL}
	want := []string{"https://host.example.org/privacy", "https://host.example.org/terms", "https://host.example.org/logo.png", "oauth2",
		testBase + APIPath + "/oauth/register", testBase + APIPath + "/oauth/authorize", testBase + APIPath + "/oauth/token", testBase + APIPath + "/oauth/token"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("SDD (-want +got):\n%s", diff)
	}
	var scopes []string
	for s := range flow.Scopes {
		scopes = append(scopes, s)
	}
	slices.Sort(scopes)
	var specScopes []string
	for _, op := range specOperations(t) {
		if op.scope != "" {
			specScopes = append(specScopes, op.scope)
		}
		if sdd.Paths[op.path][strings.ToLower(op.method)] == nil {
			t.Errorf("the SDD lacks %s %s", op.method, op.path)
		}
	}
	slices.Sort(specScopes)
	if diff := cmp.Diff(specScopes, scopes); diff != "" {
		t.Errorf("scopes (-spec +SDD):\n%s", diff)
	}
}

// TestScopes calls every operation of the specification with a token of
// each scope: only the operation's own scope is let through.
func TestScopes(t *testing.T) {
	f := newFixture(t, nil)
	iss := f.issued
	tok := map[string]string{}
	for _, sc := range scopeList {
		_, tk := f.login(t, sc)
		tok[sc] = tk.access
	}
	bodies := map[string]struct{ ctype, body string }{
		"upsertCredential": {"application/json", string(iss.json[0])},
		"putProfile":       {"application/json", `{"id": "did:example:ada", "type": ["Profile"], "name": "Ada"}`},
	}
	for _, op := range specOperations(t) {
		if op.scope == "" {
			continue
		}
		for _, sc := range scopeList {
			t.Run(op.id+"/"+sc[strings.LastIndex(sc, "/")+1:], func(t *testing.T) {
				h := bearer(tok[sc])
				b := bodies[op.id]
				if b.ctype != "" {
					h.Set("Content-Type", b.ctype)
				}
				resp := f.do(t, op.method, APIPath+op.path, h, b.body)
				if sc != op.scope {
					if !strings.Contains(resp.Header.Get("WWW-Authenticate"), `error="insufficient_scope"`) {
						t.Errorf("WWW-Authenticate %q", resp.Header.Get("WWW-Authenticate"))
					}
					f.wantStatus(t, resp, http.StatusForbidden, "forbidden")
					return
				}
				if resp.StatusCode >= 300 && !(op.id == "getProfile" && resp.StatusCode == 404) {
					t.Errorf("%d %s", resp.StatusCode, read(t, resp))
				}
			})
		}
		t.Run(op.id+"/no-token", func(t *testing.T) {
			f.wantStatus(t, f.do(t, op.method, APIPath+op.path, nil, ""), http.StatusUnauthorized, "unauthorizedrequest")
		})
		t.Run(op.id+"/other-scheme", func(t *testing.T) {
			h := http.Header{"Authorization": {"Basic " + tok[op.scope]}}
			f.wantStatus(t, f.do(t, op.method, APIPath+op.path, h, ""), http.StatusUnauthorized, "unauthorizedrequest")
		})
		t.Run(op.id+"/unknown-token", func(t *testing.T) {
			resp := f.do(t, op.method, APIPath+op.path, bearer(random(32)), "")
			if !strings.Contains(resp.Header.Get("WWW-Authenticate"), `error="invalid_token"`) {
				t.Errorf("WWW-Authenticate %q", resp.Header.Get("WWW-Authenticate"))
			}
			f.wantStatus(t, resp, http.StatusUnauthorized, "unauthorizedrequest")
		})
	}
	t.Run("method", func(t *testing.T) {
		resp := f.do(t, "DELETE", APIPath+"/credentials", bearer(tok[ScopeCredentialUpsert]), "")
		if resp.Header.Get("Allow") == "" {
			t.Error("no Allow header")
		}
		f.wantStatus(t, resp, http.StatusMethodNotAllowed, "not_allowed")
	})
}

func TestCredentials(t *testing.T) {
	f := newFixture(t, nil)
	iss := f.issued
	_, tk := f.login(t, ScopeCredentialReadonly+" "+ScopeCredentialUpsert)
	upsert := func(ctype, body string) *http.Response {
		h := bearer(tk.access)
		h.Set("Content-Type", ctype)
		return f.do(t, "POST", APIPath+"/credentials", h, body)
	}
	for i, c := range iss.json {
		resp := upsert("application/json", string(c))
		body := read(t, resp)
		if resp.StatusCode != http.StatusCreated || !bytes.Equal(body, c) {
			t.Fatalf("upsert %d: %d %s", i, resp.StatusCode, body)
		}
		f.valid(t, schema.AchievementCredentialSchemaURL, body)
	}
	// The same credential again replaces it.
	resp := upsert("application/json; charset=utf-8", string(iss.json[0]))
	if body := read(t, resp); resp.StatusCode != http.StatusOK || !bytes.Equal(body, iss.json[0]) {
		t.Fatalf("replace: %d %s", resp.StatusCode, body)
	}
	for _, j := range iss.jwt[:2] {
		resp := upsert("text/plain", j+"\n")
		body := read(t, resp)
		if resp.StatusCode != http.StatusCreated || string(body) != j || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
			t.Fatalf("upsert JWT: %d %s", resp.StatusCode, body)
		}
	}
	const total = 7
	type page struct {
		query, links string
		count        int
	}
	link := func(limit, offset int, rel string) string {
		return "<" + testBase + APIPath + "/credentials?limit=" + strconv.Itoa(limit) + "&offset=" + strconv.Itoa(offset) + `>; rel="` + rel + `"`
	}
	tests := []page{
		{"", link(100, 0, "last") + ", " + link(100, 0, "first"), total},
		{"?limit=3", link(3, 3, "next") + ", " + link(3, 6, "last") + ", " + link(3, 0, "first"), 3},
		{"?limit=3&offset=3", link(3, 6, "next") + ", " + link(3, 6, "last") + ", " + link(3, 0, "first") + ", " + link(3, 0, "prev"), 3},
		{"?limit=3&offset=6", link(3, 6, "last") + ", " + link(3, 0, "first") + ", " + link(3, 3, "prev"), 1},
		{"?offset=10", link(100, 0, "last") + ", " + link(100, 0, "first") + ", " + link(100, 0, "prev"), 0},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		resp := f.do(t, "GET", APIPath+"/credentials"+tt.query, bearer(tk.access), "")
		body := read(t, resp)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", tt.query, resp.StatusCode, body)
		}
		f.valid(t, schema.GetOpenBadgeCredentialsResponseSchemaURL, body)
		var got struct {
			Credential []json.RawMessage `json:"credential"`
			JWS        []string          `json:"compactJwsString"`
		}
		if err := json.Unmarshal(body, &got); err != nil {
			t.Fatal(err)
		}
		if n := len(got.Credential) + len(got.JWS); n != tt.count {
			t.Errorf("%s: %d credentials, want %d", tt.query, n, tt.count)
		}
		if tt.query != "" {
			for _, c := range got.Credential {
				seen[string(c)] = true
			}
			for _, j := range got.JWS {
				seen[j] = true
			}
		}
		if h := resp.Header.Get("X-Total-Count"); h != strconv.Itoa(total) {
			t.Errorf("%s: X-Total-Count %q", tt.query, h)
		}
		if diff := cmp.Diff(tt.links, resp.Header.Get("Link")); diff != "" {
			t.Errorf("%s: Link (-want +got):\n%s", tt.query, diff)
		}
	}
	if len(seen) != total {
		t.Errorf("the pages held %d credentials, want %d", len(seen), total)
	}
	// since: the credentials were all issued a moment ago.
	for q, want := range map[string]string{
		"?since=" + url.QueryEscape(time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)): "7",
		"?since=" + url.QueryEscape(time.Now().Add(time.Hour).UTC().Format(time.RFC3339)):  "0",
	} {
		resp := f.do(t, "GET", APIPath+"/credentials"+q, bearer(tk.access), "")
		if resp.StatusCode != 200 || resp.Header.Get("X-Total-Count") != want {
			t.Errorf("%s: %d, X-Total-Count %q, want %s", q, resp.StatusCode, resp.Header.Get("X-Total-Count"), want)
		}
		f.valid(t, schema.GetOpenBadgeCredentialsResponseSchemaURL, read(t, resp))
	}
	for _, q := range []string{"?limit=0", "?limit=-1", "?limit=x", "?offset=-1", "?since=yesterday", "?limit=1&limit=2"} {
		f.wantStatus(t, f.do(t, "GET", APIPath+"/credentials"+q, bearer(tk.access), ""), http.StatusBadRequest, "invalid_query_parameter")
	}
	// Another user sees none of them.
	f.user = "user-2"
	_, tk2 := f.login(t, ScopeCredentialReadonly)
	resp = f.do(t, "GET", APIPath+"/credentials", bearer(tk2.access), "")
	if body := read(t, resp); resp.StatusCode != 200 || resp.Header.Get("X-Total-Count") != "0" || string(body) != `{}` {
		t.Errorf("user-2: %d %s %s", resp.StatusCode, resp.Header.Get("X-Total-Count"), body)
	}
}

// TestUpsertRefused sends what a host must not keep.
func TestUpsertRefused(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.MaxBodyBytes = 64 << 10 })
	iss := f.issued
	_, tk := f.login(t, ScopeCredentialUpsert+" "+ScopeCredentialReadonly)
	tampered := bytes.Replace(iss.json[0], []byte("Introduction to Go"), []byte("Doctorate in Go"), 1)
	forged, err := iss.forger.Issue(t.Context(), &issuerSubmission)
	if err != nil {
		t.Fatal(err)
	}
	jwtParts := strings.Split(iss.jwt[0], ".")
	tests := []struct {
		name, ctype, body string
		code              int
	}{
		{"tampered", "application/json", string(tampered), 400},
		{"forged: a key the issuer's document does not list", "application/json", string(forged.Credential), 400},
		{"tampered JWT", "text/plain", jwtParts[0] + "." + jwtParts[1] + "x." + jwtParts[2], 400},
		{"JWT as JSON", "application/json", iss.jwt[0], 400},
		{"JSON as text", "text/plain", string(iss.json[0]), 400},
		{"not JSON", "application/json", `{"@context": [`, 400},
		{"an array", "application/json", `[` + string(iss.json[0]) + `]`, 400},
		{"not a credential", "application/json", `{"hello": "world"}`, 400},
		{"empty", "application/json", ``, 400},
		{"form", "application/x-www-form-urlencoded", "a=b", 415},
		{"too large", "application/json", `{"a": "` + strings.Repeat("x", 65<<10) + `"}`, 413},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := bearer(tk.access)
			h.Set("Content-Type", tt.ctype)
			f.wantStatus(t, f.do(t, "POST", APIPath+"/credentials", h, tt.body), tt.code, "invalid_data")
		})
	}
	resp := f.do(t, "GET", APIPath+"/credentials", bearer(tk.access), "")
	if resp.Header.Get("X-Total-Count") != "0" {
		t.Errorf("the host kept %s credentials", resp.Header.Get("X-Total-Count"))
	}
}

func TestProfile(t *testing.T) {
	f := newFixture(t, nil)
	_, tk := f.login(t, ScopeProfileReadonly+" "+ScopeProfileUpdate)
	f.wantStatus(t, f.do(t, "GET", APIPath+"/profile", bearer(tk.access), ""), http.StatusNotFound, "not_found")
	profile := `{"id": "did:example:ada", "type": ["Profile"], "name": "Ada Lovelace", "email": "ada@example.org"}`
	put := func(ctype, body string) *http.Response {
		h := bearer(tk.access)
		h.Set("Content-Type", ctype)
		return f.do(t, "PUT", APIPath+"/profile", h, body)
	}
	resp := put("application/json", profile)
	if body := read(t, resp); resp.StatusCode != 200 || string(body) != profile {
		t.Fatalf("put: %d %s", resp.StatusCode, body)
	}
	resp = f.do(t, "GET", APIPath+"/profile", bearer(tk.access), "")
	body := read(t, resp)
	if resp.StatusCode != 200 || string(body) != profile {
		t.Fatalf("get: %d %s", resp.StatusCode, body)
	}
	f.valid(t, schema.ProfileSchemaURL, body)
	for name, tt := range map[string]struct {
		ctype, body string
		code        int
	}{
		"no type":        {"application/json", `{"id": "did:example:ada", "name": "Ada"}`, 400},
		"not a Profile":  {"application/json", `{"id": "did:example:ada", "type": ["Achievement"]}`, 400},
		"bad email":      {"application/json", `{"id": "did:example:ada", "type": ["Profile"], "email": 7}`, 400},
		"not JSON":       {"application/json", `{"id": `, 400},
		"text":           {"text/plain", profile, 415},
		"too large":      {"application/json", `{"id": "did:example:ada", "type": ["Profile"], "name": "` + strings.Repeat("x", 2<<20) + `"}`, 413},
		"not an object":  {"application/json", `"Ada"`, 400},
		"trailing bytes": {"application/json", profile + `{}`, 400},
	} {
		t.Run(name, func(t *testing.T) { f.wantStatus(t, put(tt.ctype, tt.body), tt.code, "invalid_data") })
	}
	// What was refused left the profile as it was.
	if body := read(t, f.do(t, "GET", APIPath+"/profile", bearer(tk.access), "")); string(body) != profile {
		t.Errorf("profile now %s", body)
	}
}

// TestHold keeps credentials a host receives otherwise, with the same
// checks.
func TestHold(t *testing.T) {
	f := newFixture(t, nil)
	iss := f.issued
	ctx := t.Context()
	for _, tt := range []struct {
		name        string
		cred        []byte
		created     bool
		wantRefused bool
	}{
		{"json", iss.json[1], true, false},
		{"again", iss.json[1], false, false},
		{"jwt", []byte(iss.jwt[1]), true, false},
		{"tampered", bytes.Replace(iss.json[2], []byte("Introduction"), []byte("Advanced"), 1), false, true},
		{"not a credential", []byte(`{"a": 1}`), false, true},
	} {
		created, err := f.srv.Hold(ctx, "user-9", tt.cred)
		if errors.Is(err, ErrRefused) != tt.wantRefused || (err != nil && !tt.wantRefused) || created != tt.created {
			t.Errorf("%s: %v %v", tt.name, created, err)
		}
	}
	_, total, _ := f.records.Credentials(ctx, "user-9", hoststore.Page{Limit: 10})
	if total != 2 {
		t.Errorf("%d held, want 2", total)
	}
}

// TestDiscoveryRefs: every schema the Service Description Document refers
// to is one of the specification's OpenAPI document.
func TestDiscoveryRefs(t *testing.T) {
	f := newFixture(t, nil)
	body := read(t, f.do(t, "GET", APIPath+"/discovery", nil, ""))
	data, err := os.ReadFile("testdata/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var oas struct {
		Components struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(data, &oas); err != nil {
		t.Fatal(err)
	}
	refs := regexp.MustCompile(`"\$ref":"([^"]*)"`).FindAllStringSubmatch(string(body), -1)
	if len(refs) == 0 {
		t.Fatal("no $ref")
	}
	for _, m := range refs {
		name, ok := strings.CutPrefix(m[1], "https://purl.imsglobal.org/spec/ob/v3p0/schema/openapi/ob_v3p0_oas.json#/components/schemas/")
		if !ok || oas.Components.Schemas[name] == nil {
			t.Errorf("$ref %s is not a schema of the specification's document", m[1])
		}
	}
}

// TestEqualityKey follows the specification's credential equality: the
// issuer's and the credential's ids, percent-decoded, then trimmed.
func TestEqualityKey(t *testing.T) {
	a := EqualityKey("https://example.edu/issuers/565049", "http://example.edu/credentials/3732")
	tests := []struct {
		issuer, id string
		same       bool
	}{
		{"https://example.edu/issuers/565049", "http://example.edu/credentials/3732", true},
		{"https://example.edu/issuers/%35%36%35049", "http://example.edu/credentials/3732", true},
		{" https://example.edu/issuers/565049\n", "%20http://example.edu/credentials/3732%09", true},
		{"https://example.edu/issuers/565049", "http://example.edu/credentials/3733", false},
		{"https://example.edu/issuers/565048", "http://example.edu/credentials/3732", false},
		{"https://example.edu/issuers/565049 http://example.edu/credentials/3732", "", false},
	}
	if EqualityKey("a b", "c") == EqualityKey("a", "b c") {
		t.Error("two pairs make one key")
	}
	for _, tt := range tests {
		if got := EqualityKey(tt.issuer, tt.id) == a; got != tt.same {
			t.Errorf("EqualityKey(%q, %q) same as A: %v, want %v", tt.issuer, tt.id, got, tt.same)
		}
	}
}
