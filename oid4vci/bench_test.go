package oid4vci

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-openbadges/openbadges/internal/cputime"
	"github.com/go-openbadges/openbadges/issuer"
)

// BenchmarkCredentialEndpoint measures what a wallet waits for, from
// every core: a c_nonce from the nonce endpoint, then a credential from the
// credential endpoint with a key proof over it (did:key in kid), over HTTP
// on loopback, per format; ns/op is per credential, and credentials/s
// follows. Beside it, issuer-IssueTo is the same issuance (build, sign,
// self-check) without HTTP, OAuth or the proof: what the protocol adds is
// the difference. Run with -p 1 and -cpu 1,2.
func BenchmarkCredentialEndpoint(b *testing.B) {
	ts := httptest.NewUnstartedServer(nil)
	defer ts.Close()
	// Each credential leaves its nonce marked used in the store for
	// NonceTTL: room for every one of the run's.
	f := newFixture(b, "http://"+ts.Listener.Addr().String(), func(c *Config) { c.Now, c.Store = nil, &MemoryStore{Max: 10_000_000} })
	ts.Config.Handler = f.srv
	ts.Start()
	client := ts.Client()
	client.Transport.(*http.Transport).MaxIdleConnsPerHost = 64
	post := func(path, token string, body []byte) (map[string]any, error) {
		req, _ := http.NewRequest("POST", ts.URL+path, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			return nil, fmt.Errorf("%s: %d %s", path, resp.StatusCode, raw)
		}
		var out map[string]any
		return out, json.Unmarshal(raw, &out)
	}
	for _, format := range []string{FormatLDP, FormatJWT} {
		b.Run(format, func(b *testing.B) {
			b.ReportAllocs()
			start, ok := cputime.Process()
			b.RunParallel(func(pb *testing.PB) {
				tok, _ := f.accessToken(b, f.issued)
				w := newWallet(b, false)
				for pb.Next() {
					n, err := post("/nonce", "", nil)
					if err != nil {
						b.Error(err)
						return
					}
					body, _ := json.Marshal(map[string]any{
						"credential_configuration_id": "Statistics_" + format,
						"proofs":                      proofsOf(w.proof(b, ts.URL, n["c_nonce"].(string), false, f.clock.Now())),
					})
					if _, err := post("/credential", tok, body); err != nil {
						b.Error(err)
						return
					}
				}
			})
			if end, _ := cputime.Process(); ok {
				b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "credentials/s")
		})
	}
	for _, format := range []issuer.Formats{issuer.FormatDataIntegrity, issuer.FormatJWT} {
		b.Run(fmt.Sprintf("issuer-IssueTo-%s", map[issuer.Formats]string{issuer.FormatDataIntegrity: FormatLDP, issuer.FormatJWT: FormatJWT}[format]), func(b *testing.B) {
			b.ReportAllocs()
			w := newWallet(b, false)
			start, ok := cputime.Process()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := f.is.IssueTo(context.Background(), f.issued, w.did, format); err != nil {
						b.Error(err)
						return
					}
				}
			})
			if end, _ := cputime.Process(); ok {
				b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "credentials/s")
		})
	}
}
