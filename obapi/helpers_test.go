package obapi

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/issuer"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/obapi/hoststore"
	"github.com/go-openbadges/openbadges/schema"
	"github.com/go-openbadges/openbadges/verify"
)

const (
	testBase  = "https://host.example.org/backpack"
	issuerDID = "did:web:example.edu"
	// sddSchemaURL is the URL the tests know the OpenAPI document's
	// ServiceDescriptionDocument schema by.
	sddSchemaURL = "https://openbadges.test/ob_v3p0_servicedescriptiondocument.json"
	redirectURI  = "https://client.example.net/callback"
)

// clock is a settable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// issued holds credentials of a did:web issuer, and what verifies them.
type issued struct {
	json     [][]byte // Data Integrity credentials, one per learner
	jwt      []string // VC-JWTs
	trust    verify.Trust
	verifier *verify.Verifier
	forger   *issuer.Issuer // the same issuer id, with a key its document does not list
}

var (
	issuedOnce sync.Once
	issuedData *issued
	issuedErr  error
)

// testIssued returns credentials issued by did:web:example.edu, made once.
func testIssued(t testing.TB) *issued {
	t.Helper()
	issuedOnce.Do(func() { issuedData, issuedErr = makeIssued() })
	if issuedErr != nil {
		t.Fatal(issuedErr)
	}
	return issuedData
}

func newIssuer(store keys.Store, formats issuer.Formats) (*issuer.Issuer, error) {
	return issuer.New(issuer.Config{
		Issuer:  &credential.Profile{ID: issuerDID, Name: "Example University", URL: "https://example.edu"},
		Keys:    store,
		Formats: formats,
		Achievements: []issuer.Achievement{{
			Achievement: &credential.Achievement{
				ID: "https://example.edu/achievements/go", Name: "Introduction to Go",
				Description: "Completed the introductory Go course.",
				Criteria:    &credential.Criteria{Narrative: "Finish the course."},
			},
			Evaluator: issuer.Completion{},
		}},
	})
}

func makeIssued() (*issued, error) {
	ctx := context.Background()
	keyStore := func() (*keys.MemoryStore, error) {
		signer, err := keys.Generate(keys.Ed25519)
		if err != nil {
			return nil, err
		}
		k, err := keys.NewKey(issuerDID+"#key-1", issuerDID, signer)
		if err != nil {
			return nil, err
		}
		s := &keys.MemoryStore{}
		return s, s.Add(ctx, k)
	}
	store, err := keyStore()
	if err != nil {
		return nil, err
	}
	doc, err := keys.DIDDocument(ctx, store, issuerDID)
	if err != nil {
		return nil, err
	}
	out := &issued{trust: verify.Trust{Documents: map[string][]byte{issuerDID: doc}}}
	if out.verifier, err = verify.New(out.trust); err != nil {
		return nil, err
	}
	ldp, err := newIssuer(store, issuer.FormatDataIntegrity)
	if err != nil {
		return nil, err
	}
	jwt, err := newIssuer(store, issuer.FormatJWT)
	if err != nil {
		return nil, err
	}
	for i := range 5 {
		sub := &issuer.Submission{Learner: issuer.Learner{Email: fmt.Sprintf("learner%d@example.org", i)},
			AchievementID: "https://example.edu/achievements/go", Completed: true}
		o, err := ldp.Issue(ctx, sub)
		if err != nil {
			return nil, err
		}
		out.json = append(out.json, o.Credential)
		o, err = jwt.Issue(ctx, sub)
		if err != nil {
			return nil, err
		}
		out.jwt = append(out.jwt, o.JWT)
	}
	forged, err := keyStore()
	if err != nil {
		return nil, err
	}
	out.forger, err = newIssuer(forged, issuer.FormatDataIntegrity)
	return out, err
}

// fixture is a Server with a Login that signs in the user the test says.
type fixture struct {
	srv     *Server
	clock   *clock
	records *hoststore.MemoryRecords
	store   *hoststore.MemoryStore
	user    string // whom Login signs in; "" denies
	issued  *issued
	schemas *schema.Validator
}

func newFixture(t testing.TB, edit func(*Config)) *fixture {
	t.Helper()
	f := &fixture{clock: &clock{t: time.Now()}, records: &hoststore.MemoryRecords{}, store: &hoststore.MemoryStore{}, user: "user-1", issued: testIssued(t)}
	cfg := Config{
		BaseURL: testBase, Title: "Example Backpack",
		TermsOfService: "https://host.example.org/terms", PrivacyPolicy: "https://host.example.org/privacy",
		Login: LoginFunc(func(w http.ResponseWriter, r *http.Request, req *AuthorizationRequest) {
			if f.user == "" {
				f.srv.Deny(w, r, req)
				return
			}
			if err := f.srv.Authorize(w, r, req, f.user); err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
			}
		}),
		Store: f.store, Records: f.records, Verifier: f.issued.verifier, Now: f.clock.Now,
	}
	if edit != nil {
		edit(&cfg)
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.srv = srv
	f.schemas = testSchemas(t)
	return f
}

// testSchemas returns a Validator of the embedded schemas and of the
// OpenAPI document's ServiceDescriptionDocument.
func testSchemas(t testing.TB) *schema.Validator {
	t.Helper()
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
	// The OpenAPI 3.0 schema objects are JSON Schema; their references
	// point into components/schemas, which become $defs.
	defs := strings.ReplaceAll(string(mustJSON(t, oas.Components.Schemas)), `"#/components/schemas/`, `"#/$defs/`)
	doc := `{"$schema": "https://json-schema.org/draft/2019-09/schema", "$id": "` + sddSchemaURL + `",
		"$ref": "#/$defs/ServiceDescriptionDocument", "$defs": ` + defs + `}`
	v, err := schema.NewValidator(schema.ValidatorOptions{Extra: map[string][]byte{sddSchemaURL: []byte(doc)}})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// do serves one request.
func (f *fixture) do(t testing.TB, method, path string, header http.Header, body string) *http.Response {
	t.Helper()
	r := httptest.NewRequest(method, testBase+path, strings.NewReader(body))
	for k, v := range header {
		r.Header[k] = v
	}
	w := httptest.NewRecorder()
	f.srv.ServeHTTP(w, r)
	return w.Result()
}

// read returns the body of resp.
func read(t testing.TB, resp *http.Response) []byte {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// valid checks data against the schema at url.
func (f *fixture) valid(t testing.TB, url string, data []byte) {
	t.Helper()
	if err := f.schemas.Validate(url, data); err != nil {
		t.Errorf("not valid against %s: %v\n%s", url, err, data)
	}
}

// wantStatus checks that resp is an Imsx_StatusInfo error of code and
// minor, valid against the specification's schema.
func (f *fixture) wantStatus(t testing.TB, resp *http.Response, code int, minor string) {
	t.Helper()
	body := read(t, resp)
	if resp.StatusCode != code {
		t.Fatalf("status %d, want %d: %s", resp.StatusCode, code, body)
	}
	f.valid(t, schema.IMSXStatusInfoSchemaURL, body)
	var info StatusInfo
	if err := json.Unmarshal(body, &info); err != nil {
		t.Fatal(err)
	}
	if info.CodeMajor != "failure" || info.Severity != "error" || info.CodeMinor == nil || info.CodeMinor.Fields[0].Value != minor {
		t.Errorf("status info %s, want failure/error/%s", body, minor)
	}
}

// registration is a valid registration request.
func registration(scope string) map[string]any {
	return map[string]any{
		"client_name": "Example Wallet", "client_uri": "https://client.example.net",
		"logo_uri": "https://client.example.net/logo.png", "tos_uri": "https://client.example.net/tos",
		"policy_uri": "https://client.example.net/privacy", "software_id": "c88b6ed8-269e-448e-99be-7e2ff47167d1",
		"software_version": "1.0", "redirect_uris": []string{redirectURI},
		"token_endpoint_auth_method": "client_secret_basic", "grant_types": []string{"authorization_code", "refresh_token"},
		"response_types": []string{"code"}, "scope": scope, "contacts": []string{"dev@client.example.net"},
	}
}

// testClient is a registered client.
type testClient struct {
	id, secret string
}

func (f *fixture) register(t testing.TB, scope string) testClient {
	t.Helper()
	resp := f.do(t, "POST", APIPath+"/oauth/register", http.Header{"Content-Type": {"application/json"}}, string(mustJSON(t, registration(scope))))
	body := read(t, resp)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("register: %d %s", resp.StatusCode, body)
	}
	var r struct {
		ID     string `json:"client_id"`
		Secret string `json:"client_secret"`
	}
	if err := json.Unmarshal(body, &r); err != nil || r.ID == "" || r.Secret == "" {
		t.Fatalf("register: %s %v", body, err)
	}
	return testClient{r.ID, r.Secret}
}

// pkce returns a verifier and its S256 challenge.
func pkce() (verifier, challenge string) {
	verifier = random(32)
	sum := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(sum[:])
}

// authorize runs an authorization request and returns the redirect's
// query.
func (f *fixture) authorize(t testing.TB, c testClient, scope, challenge string) url.Values {
	t.Helper()
	q := url.Values{"response_type": {"code"}, "client_id": {c.id}, "redirect_uri": {redirectURI}, "scope": {scope},
		"state": {"xyz"}, "code_challenge": {challenge}, "code_challenge_method": {"S256"}}
	resp := f.do(t, "GET", APIPath+"/oauth/authorize?"+q.Encode(), nil, "")
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("authorize: %d %s", resp.StatusCode, read(t, resp))
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || !strings.HasPrefix(loc.String(), redirectURI+"?") {
		t.Fatalf("authorize: redirected to %q", resp.Header.Get("Location"))
	}
	if loc.Query().Get("state") != "xyz" || loc.Query().Get("scope") != scope {
		t.Errorf("state %q, scope %q", loc.Query().Get("state"), loc.Query().Get("scope"))
	}
	return loc.Query()
}

// tokenRequest posts form to the token endpoint as c.
func (f *fixture) tokenRequest(t testing.TB, c testClient, form url.Values) (*http.Response, map[string]any) {
	t.Helper()
	h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	req := &http.Request{Header: http.Header{}}
	req.SetBasicAuth(url.QueryEscape(c.id), url.QueryEscape(c.secret))
	h.Set("Authorization", req.Header.Get("Authorization"))
	resp := f.do(t, "POST", APIPath+"/oauth/token", h, form.Encode())
	var m map[string]any
	json.Unmarshal(read(t, resp), &m)
	return resp, m
}

// tokens is a token response.
type tokens struct {
	access, refresh string
}

// login registers a client for scope, and runs the flow to tokens.
func (f *fixture) login(t testing.TB, scope string) (testClient, tokens) {
	t.Helper()
	c := f.register(t, scope)
	verifier, challenge := pkce()
	q := f.authorize(t, c, scope, challenge)
	resp, m := f.tokenRequest(t, c, url.Values{"grant_type": {"authorization_code"}, "code": {q.Get("code")},
		"redirect_uri": {redirectURI}, "code_verifier": {verifier}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("token: %d %v", resp.StatusCode, m)
	}
	if m["token_type"] != "Bearer" || m["scope"] != scope || resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("token response %v", m)
	}
	return c, tokens{m["access_token"].(string), m["refresh_token"].(string)}
}

func bearer(tok string) http.Header { return http.Header{"Authorization": {"Bearer " + tok}} }

// allScopes is every scope, space-separated.
var allScopes = strings.Join(scopeList, " ")

// issuerSubmission is a learner's completed course.
var issuerSubmission = issuer.Submission{Learner: issuer.Learner{Email: "mallory@example.org"},
	AchievementID: "https://example.edu/achievements/go", Completed: true}
