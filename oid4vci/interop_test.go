package oid4vci

import (
	"bufio"
	"context"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-openbadges/openbadges/internal/interoptest"
)

// TestInteropClient runs a wallet nobody here wrote, the
// @openid4vc/openid4vci client (interop/js/oid4vci.mjs), against the Server
// on 127.0.0.1 over TLS: it takes an offer with a transaction code through
// the Pre-Authorized Code Flow and gets the badge in both formats, with a key
// proof (its key named by did:key in kid, or given as a P-256 jwk). The
// credentials verify here and, the ldp_vc one, in digitalbazaar's vc; the
// client's second use of the pre-authorized code, and a wrong transaction
// code, are refused with invalid_grant. It needs interop/js installed
// (npm ci there; .ci/run does it and sets OPENBADGES_INTEROP_JS); without
// it, the test is skipped and says how to run it.
func TestInteropClient(t *testing.T) {
	dir := interoptest.Dir(t, "the OpenID4VCI flow with the @openid4vc/openid4vci client")
	if _, err := os.Stat(filepath.Join(dir, "node_modules/@openid4vc/openid4vci")); err != nil {
		if os.Getenv("OPENBADGES_CI") == "1" {
			t.Fatalf("@openid4vc/openid4vci is not installed in %s: %v", dir, err)
		}
		t.Skipf("@openid4vc/openid4vci is not installed in %s: run npm ci there", dir)
	}
	// A person approves the award in review as soon as the server has
	// deferred its credential (answered 202 at the credential endpoint).
	var mu sync.Mutex
	var approve func()
	ts := httptest.NewUnstartedServer(nil)
	defer ts.Close()
	// The LMS signs the learner in at once, as the learner of the offer's
	// award.
	var f *fixture
	f = newFixture(t, "https://"+ts.Listener.Addr().String(), func(c *Config) {
		c.DeferredInterval = time.Second
		c.Login = LoginFunc(func(w http.ResponseWriter, r *http.Request, req *AuthorizationRequest) {
			if err := f.srv.Authorize(w, r, req.ID, req.AwardKey); err != nil {
				http.Error(w, err.Error(), http.StatusForbidden)
			}
		})
	})
	ts.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w}
		f.srv.ServeHTTP(sw, r)
		mu.Lock()
		defer mu.Unlock()
		if sw.status == http.StatusAccepted && strings.HasSuffix(r.URL.Path, "/credential") && approve != nil {
			approve()
			approve = nil
		}
	})
	ts.StartTLS()
	tmp := t.TempDir()
	ca := filepath.Join(tmp, "ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ts.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("NODE_EXTRA_CA_CERTS", ca)
	contexts := filepath.Join(tmp, "contexts.json")
	interoptest.WriteContexts(t, contexts)
	ctx := context.Background()

	for _, tc := range []struct{ flow, key, alg string }{
		{"pre-authorized_code", "did", "EdDSA"},
		{"pre-authorized_code", "jwk", "ES256"},
		{"authorization_code", "did", "ES256"},
	} {
		t.Run(tc.flow+" "+tc.key+" "+tc.alg, func(t *testing.T) {
			opts := &OfferOptions{TxCode: true}
			if tc.flow == "authorization_code" {
				opts = &OfferOptions{AuthorizationCode: true}
			}
			o, err := f.srv.Offer(ctx, f.issued, opts)
			if err != nil {
				t.Fatal(err)
			}
			out, code := interoptest.Node(t, dir, "oid4vci.mjs", "--offer", o.URI, "--tx-code", o.TxCode, "--flow", tc.flow, "--key", tc.key, "--alg", tc.alg)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, out)
			}
			formats := map[string]bool{}
			sc := bufio.NewScanner(strings.NewReader(out))
			sc.Buffer(nil, 1<<20)
			var replayed string
			for sc.Scan() {
				var line struct {
					Configuration, Format, Holder string
					Credential                    json.RawMessage
					Replayed                      string `json:"replayed_code"`
				}
				if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
					t.Fatalf("%v: %s", err, sc.Bytes())
				}
				if line.Replayed != "" {
					replayed = line.Replayed
					continue
				}
				formats[line.Format] = true
				var c any
				json.Unmarshal(line.Credential, &c)
				checkCredential(t, c, line.Format, line.Holder)
				if line.Format == FormatLDP {
					file := filepath.Join(tmp, tc.key+"-ldp.json")
					if err := os.WriteFile(file, line.Credential, 0o600); err != nil {
						t.Fatal(err)
					}
					if out, code := interoptest.Node(t, dir, "di.mjs", "verify", "--contexts", contexts, file); code != 0 || !strings.Contains(out, `"verified":true`) {
						t.Errorf("digitalbazaar's vc: exit %d: %s", code, out)
					}
				}
			}
			if !formats[FormatLDP] || !formats[FormatJWT] {
				t.Errorf("formats received: %v\n%s", formats, out)
			}
			if replayed != "invalid_grant" {
				t.Errorf("the replayed code: %q, want invalid_grant", replayed)
			}
		})
	}

	t.Run("deferred until approved", func(t *testing.T) {
		o, err := f.srv.Offer(ctx, f.review.AwardKey, &OfferOptions{TxCode: true})
		if err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		approve = func() {
			if _, err := f.is.Approve(ctx, f.review.ReviewID, "Grace", "a fine essay"); err != nil {
				t.Error(err)
			}
		}
		mu.Unlock()
		out, code := interoptest.Node(t, dir, "oid4vci.mjs", "--offer", o.URI, "--tx-code", o.TxCode, "--config", "OpenBadgeCredential_jwt_vc_json")
		if code != 0 || !strings.Contains(out, `{"deferred":"OpenBadgeCredential_jwt_vc_json","interval":1}`) {
			t.Fatalf("exit %d: %s", code, out)
		}
		for line := range strings.Lines(out) {
			var l struct {
				Format, Holder string
				Credential     json.RawMessage
			}
			if json.Unmarshal([]byte(line), &l) == nil && l.Format != "" {
				var c any
				json.Unmarshal(l.Credential, &c)
				checkCredential(t, c, l.Format, l.Holder)
				return
			}
		}
		t.Errorf("no credential after the approval: %s", out)
	})

	t.Run("wrong tx_code", func(t *testing.T) {
		o, err := f.srv.Offer(ctx, f.issued, &OfferOptions{TxCode: true})
		if err != nil {
			t.Fatal(err)
		}
		out, code := interoptest.Node(t, dir, "oid4vci.mjs", "--offer", o.URI, "--tx-code", other(o.TxCode))
		if code != 1 || !strings.Contains(out, `"error":"invalid_grant"`) {
			t.Errorf("exit %d: %s", code, out)
		}
	})
}

// statusWriter keeps the status a handler answered with.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	w.status = status
	w.ResponseWriter.WriteHeader(status)
}
