package obapi

import (
	"bufio"
	"encoding/json"
	"encoding/pem"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/internal/interoptest"
	"github.com/go-openbadges/openbadges/schema"
)

// TestClientInterop runs an OB 3.0 API client built on panva's
// oauth4webapi (interop/js/obapi.mjs), an OAuth 2.0 client nobody here
// wrote, against the Server over TLS: discovery, dynamic client
// registration, the authorization code grant with PKCE, upserts of a JSON
// credential and a VC-JWT, paging, the profile, refresh (the old token
// stops working) and revocation. Every body the client got is checked
// against the specification's schemas. It needs interop/js installed (npm
// ci there); without it the test is skipped and says so.
func TestClientInterop(t *testing.T) {
	if os.Getenv(interoptest.EnvDir) == "" {
		if _, err := os.Stat("../interop/js/node_modules"); err == nil {
			if _, err := exec.LookPath("node"); err == nil {
				abs, _ := filepath.Abs("../interop/js")
				t.Setenv(interoptest.EnvDir, abs)
			}
		}
	}
	dir := interoptest.Dir(t, "an OB 3.0 API client on oauth4webapi against the host")
	if _, err := os.Stat(filepath.Join(dir, "node_modules/oauth4webapi")); err != nil {
		if os.Getenv("OPENBADGES_CI") == "1" {
			t.Fatalf("oauth4webapi is not installed in %s: %v", dir, err)
		}
		t.Skipf("oauth4webapi is not installed in %s: run npm ci there", dir)
	}
	ts := httptest.NewUnstartedServer(nil)
	ts.StartTLS()
	defer ts.Close()
	f := newFixture(t, func(c *Config) { c.BaseURL = ts.URL })
	ts.Config.Handler = f.srv
	tmp := t.TempDir()
	ca := filepath.Join(tmp, "ca.pem")
	cred, jws := filepath.Join(tmp, "credential.json"), filepath.Join(tmp, "credential.jwt")
	for name, data := range map[string][]byte{
		ca:   pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ts.Certificate().Raw}),
		cred: f.issued.json[0], jws: []byte(f.issued.jwt[0]),
	} {
		if err := os.WriteFile(name, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("NODE_EXTRA_CA_CERTS", ca)
	out, exit := interoptest.Node(t, dir, "obapi.mjs", "--base", ts.URL, "--credential", cred, "--jws", jws)
	if exit != 0 {
		t.Fatalf("the client: exit %d: %s", exit, out)
	}
	type line struct {
		Step    string            `json:"step"`
		Status  int               `json:"status"`
		Headers map[string]string `json:"headers"`
		Body    json.RawMessage   `json:"body"`
	}
	steps := map[string]line{}
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("%v: %s", err, sc.Bytes())
		}
		steps[l.Step] = l
	}
	want := map[string]int{"discovery": 200, "register": 201, "authorize": 303, "token": 200,
		"upsert-json": 201, "upsert-json-again": 200, "upsert-jws": 201, "get-page-1": 200, "get-page-2": 200,
		"get-profile": 404, "put-profile": 403, "refresh": 200, "old-token": 401, "new-token": 200, "revoke": 200, "revoked-token": 401}
	got := map[string]int{}
	for s, l := range steps {
		got[s] = l.Status
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("steps (-want +got):\n%s\n%s", d, out)
	}
	bodySchema := map[string]string{
		"discovery": sddSchemaURL, "upsert-json": schema.AchievementCredentialSchemaURL,
		"get-page-1": schema.GetOpenBadgeCredentialsResponseSchemaURL, "get-page-2": schema.GetOpenBadgeCredentialsResponseSchemaURL,
		"new-token":   schema.GetOpenBadgeCredentialsResponseSchemaURL,
		"get-profile": schema.IMSXStatusInfoSchemaURL, "put-profile": schema.IMSXStatusInfoSchemaURL,
		"old-token": schema.IMSXStatusInfoSchemaURL, "revoked-token": schema.IMSXStatusInfoSchemaURL,
	}
	for s, u := range bodySchema {
		f.valid(t, u, steps[s].Body)
	}
	if h := steps["get-page-1"].Headers; h["x-total-count"] != "2" || !strings.Contains(h["link"], `rel="next"`) {
		t.Errorf("the first page's headers: %v", h)
	}
	var jwsBody string
	if err := json.Unmarshal(steps["upsert-jws"].Body, &jwsBody); err != nil || jwsBody != f.issued.jwt[0] {
		t.Errorf("upsertCredential's JWS answer: %s", steps["upsert-jws"].Body)
	}
}
