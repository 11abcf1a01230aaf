package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/internal/interoptest"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/verify"
)

const (
	testToken       = "test-award-token"
	testAchievement = "https://example.edu/achievements/stats"
)

// writeIssuer writes an issuer folder as openbadges init does (a key
// directory, issuer.json, a SQLite database), for a did:key issuer, so
// that its credentials verify offline; it returns issuer.json's path.
func writeIssuer(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	signer, err := keys.Generate(keys.Ed25519)
	if err != nil {
		t.Fatal(err)
	}
	did, err := keys.DIDKey(signer.Public())
	if err != nil {
		t.Fatal(err)
	}
	vm, err := keys.DIDKeyVerificationMethod(signer.Public())
	if err != nil {
		t.Fatal(err)
	}
	store, err := keys.OpenDir(filepath.Join(dir, "keys"))
	if err != nil {
		t.Fatal(err)
	}
	k, err := keys.NewKey(vm, did, signer)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Add(context.Background(), k); err != nil {
		t.Fatal(err)
	}
	cfg := map[string]any{
		"issuer":   map[string]any{"id": did, "type": []string{"Profile"}, "name": "Example University", "url": "https://example.edu"},
		"keyStore": "keys",
		"formats":  "both",
		"database": "sqlite:issuer.db",
		"achievements": []any{map[string]any{
			"achievement": map[string]any{
				"id": testAchievement, "type": []string{"Achievement"}, "achievementType": "Certificate",
				"name": "Statistics", "description": "Reads and makes sense of data.",
				"criteria": map[string]any{"narrative": "Score 70% or more on the final exam."},
				"resultDescription": []any{map[string]any{
					"id": testAchievement + "/final", "type": []string{"ResultDescription"}, "name": "Final exam",
					"resultType": "Percent", "valueMin": "0", "valueMax": "100", "requiredValue": "70",
				}},
			},
			"criteria": map[string]any{
				"completion": true,
				"minScore":   map[string]any{"resultDescription": testAchievement + "/final", "min": "70"},
			},
		}},
	}
	b, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "issuer.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// start serves the issuer of config on 127.0.0.1 over TLS, as instances
// instances of the server on its one database, behind one address that
// hands each request to the next instance in turn, as a load balancer
// would. It returns the first instance, a client that trusts its
// certificate, and how many requests each instance served.
func start(t *testing.T, config string, instances int) (*server, *http.Client, []atomic.Int64) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	secret := make([]byte, 32)
	rand.Read(secret)
	servers := make([]*server, instances)
	for i := range servers {
		s, err := newServer(context.Background(), options{Config: config, BaseURL: "https://" + ln.Addr().String(), AwardToken: testToken, Secret: secret})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		servers[i] = s
	}
	served := make([]atomic.Int64, instances)
	var next atomic.Int64
	balance := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(next.Add(1)-1) % instances
		served[i].Add(1)
		servers[i].ServeHTTP(w, r)
	})
	hs := &http.Server{Handler: balance, TLSConfig: servers[0].TLSConfig()}
	go hs.ServeTLS(ln, "", "")
	t.Cleanup(func() { hs.Close() })
	cert, err := x509.ParseCertificate(servers[0].cert.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return servers[0], &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}, served
}

// post sends an award request and returns the status and body.
func post(t *testing.T, c *http.Client, s *server, token, accept, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest("POST", s.opts.BaseURL+"/awards", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func awardBody(email, score string, txCode bool) string {
	b, _ := json.Marshal(map[string]any{
		"achievement": testAchievement, "learner": map[string]any{"email": email, "name": "Ada Lovelace"},
		"completed": true, "scores": map[string]string{testAchievement + "/final": score}, "txCode": txCode,
	})
	return string(b)
}

// TestAwards checks POST /awards: its token, its answers, the
// certificate page with the offer's QR code; and the metadata wallets read.
func TestAwards(t *testing.T) {
	s, c, _ := start(t, writeIssuer(t), 1)
	offerRE := regexp.MustCompile(`^openid-credential-offer://\?credential_offer=`)
	tests := []struct {
		name, token, accept, body string
		wantCode                  int
		wantState                 string
		wantOffer, wantTxCode     bool
		wantInPage                []string
	}{
		{name: "no token", body: awardBody("a@example.org", "87", false), wantCode: 401},
		{name: "wrong token", token: "nope", body: awardBody("a@example.org", "87", false), wantCode: 401},
		{name: "not JSON", token: testToken, body: "{", wantCode: 400},
		{name: "unknown member", token: testToken, body: `{"achievment":"x"}`, wantCode: 400},
		{name: "unknown achievement", token: testToken, body: strings.Replace(awardBody("a@example.org", "87", false), "stats", "other", 1), wantCode: 422},
		{name: "issued", token: testToken, body: awardBody("a@example.org", "87", false), wantCode: 200, wantState: "issued", wantOffer: true},
		{name: "issued again, with a code", token: testToken, body: awardBody("a@example.org", "87", true), wantCode: 200, wantState: "issued", wantOffer: true, wantTxCode: true},
		{name: "denied", token: testToken, body: awardBody("b@example.org", "12", false), wantCode: 200, wantState: "denied"},
		{name: "page", token: testToken, accept: "text/html", body: awardBody("c@example.org", "91", false), wantCode: 200, wantInPage: []string{
			`<section class="offer" aria-labelledby="offer-h">`, `aria-label="QR code of the offer to add this badge to a wallet"`,
			`href="openid-credential-offer://?credential_offer=`,
			`application/vc+ld+json`, "Statistics", "Ada Lovelace",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := post(t, c, s, tt.token, tt.accept, tt.body)
			if code != tt.wantCode {
				t.Fatalf("status %d, want %d: %s", code, tt.wantCode, body)
			}
			if code != 200 {
				return
			}
			if tt.wantInPage != nil {
				for _, want := range tt.wantInPage {
					if !strings.Contains(body, want) {
						t.Errorf("the page lacks %q", want)
					}
				}
				return
			}
			var got awardResponse
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatal(err)
			}
			if string(got.State) != tt.wantState || offerRE.MatchString(got.Offer) != tt.wantOffer || (got.TxCode != "") != tt.wantTxCode {
				t.Errorf("got state %s, offer %q, tx code %q; want %s, offer %v, tx code %v", got.State, got.Offer, got.TxCode, tt.wantState, tt.wantOffer, tt.wantTxCode)
			}
		})
	}

	resp, err := c.Get(s.opts.BaseURL + "/.well-known/openid-credential-issuer")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var meta struct {
		CredentialIssuer   string `json:"credential_issuer"`
		CredentialEndpoint string `json:"credential_endpoint"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&meta); err != nil {
		t.Fatal(err)
	}
	want := meta
	want.CredentialIssuer, want.CredentialEndpoint = s.opts.BaseURL, s.opts.BaseURL+"/credential"
	if d := cmp.Diff(want, meta); d != "" {
		t.Errorf("metadata (-want +got):\n%s", d)
	}
}

// TestWallet awards a learner and runs a wallet nobody here wrote, the
// @openid4vc/openid4vci client (interop/js/oid4vci.mjs), against two
// instances of the server sharing one database, which take its requests
// in turn: it takes the offer with its transaction code, gets the badge in
// both formats, and cannot use the code twice. The credentials verify
// with package verify, about the wallet's key. It needs interop/js
// installed (npm ci there; OPENBADGES_INTEROP_JS names another copy); without
// it the test is skipped and says so.
func TestWallet(t *testing.T) {
	if os.Getenv(interoptest.EnvDir) == "" {
		// The harness of this clone, when installed and node is there.
		if _, err := os.Stat("../../interop/js/node_modules"); err == nil {
			if _, err := exec.LookPath("node"); err == nil {
				abs, _ := filepath.Abs("../../interop/js")
				t.Setenv(interoptest.EnvDir, abs)
			}
		}
	}
	dir := interoptest.Dir(t, "a wallet taking a badge from the issuer server")
	if _, err := os.Stat(filepath.Join(dir, "node_modules/@openid4vc/openid4vci")); err != nil {
		if os.Getenv("OPENBADGES_CI") == "1" {
			t.Fatalf("@openid4vc/openid4vci is not installed in %s: %v", dir, err)
		}
		t.Skipf("@openid4vc/openid4vci is not installed in %s: run npm ci there", dir)
	}
	s, c, served := start(t, writeIssuer(t), 2)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.cert.Certificate[0]}), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("NODE_EXTRA_CA_CERTS", ca)

	code, body := post(t, c, s, testToken, "", awardBody("ada@example.org", "87", true))
	var award awardResponse
	if err := json.Unmarshal([]byte(body), &award); code != 200 || err != nil || award.Offer == "" {
		t.Fatalf("award: %d %v: %s", code, err, body)
	}
	out, exit := interoptest.Node(t, dir, "oid4vci.mjs", "--offer", award.Offer, "--tx-code", award.TxCode)
	if exit != 0 {
		t.Fatalf("the wallet: exit %d: %s", exit, out)
	}
	formats := map[string]bool{}
	var replayed string
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var line struct {
			Format, Holder string
			Credential     json.RawMessage
			Replayed       string `json:"replayed_code"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("%v: %s", err, sc.Bytes())
		}
		if line.Replayed != "" {
			replayed = line.Replayed
			continue
		}
		formats[line.Format] = true
		in := []byte(line.Credential)
		var jwt string
		if json.Unmarshal(line.Credential, &jwt) == nil {
			in = []byte(jwt)
		}
		rep, err := verify.Verify(context.Background(), in, nil, nil)
		if err != nil || !rep.Verified {
			t.Fatalf("the %s credential does not verify: %v %+v", line.Format, err, rep)
		}
		cred, err := credential.ParseAchievementCredential(rep.Credential, nil)
		if err != nil {
			t.Fatal(err)
		}
		if cred.CredentialSubject.ID != line.Holder || line.Holder == "" {
			t.Errorf("the %s credential is about %q, want the wallet's %q", line.Format, cred.CredentialSubject.ID, line.Holder)
		}
	}
	if d := cmp.Diff(map[string]bool{"ldp_vc": true, "jwt_vc_json": true}, formats); d != "" {
		t.Errorf("formats (-want +got):\n%s\n%s", d, out)
	}
	if replayed != "invalid_grant" {
		t.Errorf("the code used again: %q, want invalid_grant", replayed)
	}
	if a, b := served[0].Load(), served[1].Load(); a < 3 || b < 3 {
		t.Errorf("the instances served %d and %d requests: the wallet did not go to both", a, b)
	}
}
