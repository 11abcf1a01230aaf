package main

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/go-openbadges/openbadges/internal/browsertest"
	"github.com/go-openbadges/openbadges/obapi"
	"github.com/go-openbadges/openbadges/schema"
)

// apiClient is an OB 3.0 API client, as a backpack app would be: it
// registers, signs the learner in, and calls the API.
type apiClient struct {
	t        *testing.T
	c        *http.Client
	base     string
	redirect string
}

func (a *apiClient) do(method, path, ctype, auth, body string) (*http.Response, []byte) {
	a.t.Helper()
	u := path
	if !strings.HasPrefix(path, "https://") {
		u = a.base + path
	}
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		a.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := a.c.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// TestHostAPI awards a learner, and then a backpack app takes the badge
// with the OB 3.0 API, from two instances on one database in turn: it reads
// the Service Description Document, registers, sends the learner to sign
// in with the code the award gave, exchanges the code for tokens, and
// gets the credential; every body is valid against the specification's
// schemas. The sign-in code works once.
func TestHostAPI(t *testing.T) {
	s, c, served := start(t, writeIssuer(t), 2)
	noRedirect := *c
	noRedirect.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	a := &apiClient{t: t, c: &noRedirect, base: s.opts.BaseURL, redirect: "https://backpack.example.net/callback"}
	schemas, err := schema.NewValidator(schema.ValidatorOptions{})
	if err != nil {
		t.Fatal(err)
	}

	code, body := post(t, c, s, testToken, "", awardBody("Ada@Example.org", "87", false))
	var award awardResponse
	if err := json.Unmarshal([]byte(body), &award); code != 200 || err != nil || award.SignIn == "" || award.SignInExpires == nil {
		t.Fatalf("award: %d %v: %s", code, err, body)
	}

	// Discovery.
	resp, sddBody := a.do("GET", obapi.APIPath+"/discovery", "", "", "")
	var sdd struct {
		Components struct {
			SecuritySchemes struct {
				OAuth2ACG struct {
					Registration string `json:"x-imssf-registrationUrl"`
					Flows        struct {
						AuthorizationCode struct {
							AuthorizationURL string `json:"authorizationUrl"`
							TokenURL         string `json:"tokenUrl"`
						} `json:"authorizationCode"`
					} `json:"flows"`
				} `json:"OAuth2ACG"`
			} `json:"securitySchemes"`
		} `json:"components"`
		Info map[string]string `json:"info"`
	}
	if err := json.Unmarshal(sddBody, &sdd); resp.StatusCode != 200 || err != nil {
		t.Fatalf("discovery: %d %v %s", resp.StatusCode, err, sddBody)
	}
	if sdd.Info["title"] != "Example University" || sdd.Info["termsOfService"] != "https://example.edu/terms" {
		t.Errorf("info %v", sdd.Info)
	}
	oauth := sdd.Components.SecuritySchemes.OAuth2ACG

	// Registration.
	reg, _ := json.Marshal(map[string]any{
		"client_name": "Backpack", "client_uri": "https://backpack.example.net", "logo_uri": "https://backpack.example.net/logo.png",
		"tos_uri": "https://backpack.example.net/tos", "policy_uri": "https://backpack.example.net/privacy",
		"software_id": "backpack", "software_version": "1.0", "redirect_uris": []string{a.redirect},
		"scope": obapi.ScopeCredentialReadonly + " " + obapi.ScopeProfileReadonly + " " + obapi.ScopeProfileUpdate,
	})
	resp, b := a.do("POST", oauth.Registration, "application/json", "", string(reg))
	var client struct{ ClientID, ClientSecret string }
	if err := json.Unmarshal(b, &struct {
		ID     *string `json:"client_id"`
		Secret *string `json:"client_secret"`
	}{&client.ClientID, &client.ClientSecret}); resp.StatusCode != 201 || err != nil {
		t.Fatalf("register: %d %s", resp.StatusCode, b)
	}

	// The learner signs in: the authorization endpoint's page, then the
	// form with the code.
	verifier := strings.Repeat("v", 50)
	sum := sha256.Sum256([]byte(verifier))
	q := url.Values{"response_type": {"code"}, "client_id": {client.ClientID}, "redirect_uri": {a.redirect},
		"scope": {obapi.ScopeCredentialReadonly + " " + obapi.ScopeProfileUpdate}, "state": {"st"},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"}}
	resp, page := a.do("GET", oauth.Flows.AuthorizationCode.AuthorizationURL+"?"+q.Encode(), "", "", "")
	if resp.StatusCode != 200 || !strings.Contains(string(page), "see your badges") || !strings.Contains(string(page), `name="code"`) {
		t.Fatalf("sign-in page: %d %s", resp.StatusCode, page)
	}
	// A client's name is its own choice ("Example University" is anyone's
	// to register): the page says where the learner will be sent.
	if ru, _ := url.Parse(a.redirect); !strings.Contains(string(page), "You will then be sent to <strong>"+ru.Hostname()+"</strong>.") {
		t.Errorf("the sign-in page does not name the host the learner is sent to, %s:\n%s", ru.Hostname(), page)
	}
	signIn := func(code string) *http.Response {
		resp, _ := a.do("POST", "/signin", "application/x-www-form-urlencoded", "", url.Values{"request": {q.Encode()}, "code": {code}}.Encode())
		return resp
	}
	if resp := signIn("not-the-code"); resp.StatusCode != 401 {
		t.Errorf("a wrong code: %d", resp.StatusCode)
	}
	forged, _ := http.NewRequest("POST", a.base+"/signin", strings.NewReader(url.Values{"request": {q.Encode()}, "code": {award.SignIn}}.Encode()))
	forged.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	forged.Header.Set("Origin", "https://attacker.example")
	if resp, err := a.c.Do(forged); err != nil || resp.StatusCode != 403 {
		t.Errorf("a sign-in posted from another site: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	resp = signIn(award.SignIn)
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != 303 || loc.Query().Get("code") == "" || loc.Query().Get("state") != "st" {
		t.Fatalf("sign-in: %d to %q", resp.StatusCode, loc)
	}
	if resp := signIn(award.SignIn); resp.StatusCode != 401 {
		t.Errorf("the sign-in code again: %d", resp.StatusCode)
	}

	// Tokens.
	form := url.Values{"grant_type": {"authorization_code"}, "code": {loc.Query().Get("code")}, "redirect_uri": {a.redirect}, "code_verifier": {verifier}}
	tokReq, _ := http.NewRequest("POST", oauth.Flows.AuthorizationCode.TokenURL, strings.NewReader(form.Encode()))
	tokReq.SetBasicAuth(client.ClientID, client.ClientSecret)
	tokReq.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	tr, err := a.c.Do(tokReq)
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		Access string `json:"access_token"`
	}
	json.NewDecoder(tr.Body).Decode(&tok)
	tr.Body.Close()
	if tr.StatusCode != 200 || tok.Access == "" {
		t.Fatalf("token: %d", tr.StatusCode)
	}

	// The learner's badge.
	resp, creds := a.do("GET", obapi.APIPath+"/credentials", "", "Bearer "+tok.Access, "")
	if resp.StatusCode != 200 || resp.Header.Get("X-Total-Count") != "1" {
		t.Fatalf("getCredentials: %d %s %s", resp.StatusCode, resp.Header.Get("X-Total-Count"), creds)
	}
	if err := schemas.Validate(schema.GetOpenBadgeCredentialsResponseSchemaURL, creds); err != nil {
		t.Error(err)
	}
	var got struct {
		Credential []json.RawMessage `json:"credential"`
	}
	json.Unmarshal(creds, &got)
	if len(got.Credential) != 1 || !strings.Contains(string(got.Credential[0]), testAchievement) {
		t.Errorf("credentials %s", creds)
	}
	// Its profile; and what the token does not allow.
	profile := `{"id": "mailto:ada@example.org", "type": ["Profile"], "name": "Ada Lovelace"}`
	if resp, b := a.do("PUT", obapi.APIPath+"/profile", "application/json", "Bearer "+tok.Access, profile); resp.StatusCode != 200 || string(b) != profile {
		t.Errorf("putProfile: %d %s", resp.StatusCode, b)
	}
	resp, b = a.do("GET", obapi.APIPath+"/profile", "", "Bearer "+tok.Access, "")
	if resp.StatusCode != 403 {
		t.Errorf("getProfile without its scope: %d", resp.StatusCode)
	}
	if err := schemas.Validate(schema.IMSXStatusInfoSchemaURL, b); err != nil {
		t.Error(err)
	}
	if x, y := served[0].Load(), served[1].Load(); x < 3 || y < 3 {
		t.Errorf("the instances served %d and %d requests", x, y)
	}
}

// TestSignInPageInBrowser: the sign-in page, in Chromium, has no WCAG 2.2
// AA violation axe-core finds, and a client's name cannot inject markup.
func TestSignInPageInBrowser(t *testing.T) {
	browser := browsertest.New(t)
	s, _, _ := start(t, writeIssuer(t), 1)
	req := &obapi.AuthorizationRequest{ClientName: `Backpack <script>window.pwned=1</script>`, ClientURI: "https://backpack.example.net", RedirectURI: "https://backpack.example.net/callback",
		Scopes: []string{obapi.ScopeCredentialReadonly, obapi.ScopeProfileUpdate}}
	base := browsertest.Serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.signInForm(w, http.StatusOK, req, "a=b", "This code is not valid: it may have been used, or have expired.")
	}))
	ctx := browsertest.NewTab(t, browser)
	browsertest.Navigate(ctx, t, base+"/")
	browsertest.Accessible(ctx, t)
	pwned, err := chromedp.Run(ctx, chromedp.Evaluate[string](`String(window.pwned)`))
	if err != nil {
		t.Fatal(err)
	}
	if pwned != "undefined" {
		t.Error("the client's name ran a script")
	}
}
