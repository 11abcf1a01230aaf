package oid4vci

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/verify"
	"github.com/google/go-cmp/cmp"
)

// checkCredential verifies what the credential endpoint gave, and that it
// is about holder.
func checkCredential(t *testing.T, c any, format, holder string) {
	t.Helper()
	var in []byte
	switch format {
	case FormatLDP:
		in, _ = json.Marshal(c)
	case FormatJWT:
		s, ok := c.(string)
		if !ok {
			t.Fatalf("jwt_vc_json credential is a %T", c)
		}
		in = []byte(s)
	}
	rep, err := verify.Verify(context.Background(), in, nil, nil)
	if err != nil || !rep.Verified {
		t.Fatalf("does not verify: %v %+v", err, rep)
	}
	if rep.Credential == nil {
		t.Fatal("no credential in the report")
	}
	doc := rep.Credential
	cred, err := credential.ParseAchievementCredential(doc, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cred.CredentialSubject.ID != holder {
		t.Errorf("subject %q, want the wallet's %q", cred.CredentialSubject.ID, holder)
	}
}

// TestPreAuthorizedFlow runs the Pre-Authorized Code Flow, with and
// without a transaction code, for each format, with the wallet's key named
// by kid and given as jwk, Ed25519 and P-256, and checks the credential.
func TestPreAuthorizedFlow(t *testing.T) {
	f := newFixture(t, testBase, nil)
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		config string
		txCode bool
		jwk    bool
		p256   bool
		byRef  bool
	}{
		{"ldp_vc, tx_code, kid", "Statistics_ldp_vc", true, false, false, false},
		{"jwt_vc_json, tx_code, kid", "Statistics_jwt_vc_json", true, false, false, false},
		{"ldp_vc, jwk", "Statistics_ldp_vc", false, true, false, false},
		{"jwt_vc_json, P-256 jwk, by reference", "Statistics_jwt_vc_json", true, true, true, true},
		{"ldp_vc, P-256 kid", "Statistics_ldp_vc", false, false, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, err := f.srv.Offer(ctx, f.issued, &OfferOptions{TxCode: tc.txCode, ByReference: tc.byRef})
			if err != nil {
				t.Fatal(err)
			}
			if o.QR == nil || (o.TxCode != "") != tc.txCode || len(o.TxCode) != map[bool]int{true: 6}[tc.txCode] {
				t.Fatalf("offer: %+v", o)
			}
			var co credentialOffer
			if tc.byRef {
				u, _ := url.Parse(o.URI)
				ref, _ := url.Parse(u.Query().Get("credential_offer_uri"))
				if !strings.HasPrefix(ref.String(), testBase+"/offers/") {
					t.Fatalf("offer URI %s", o.URI)
				}
				r := f.do(t, "GET", ref.Path, "", "", nil)
				if r.status != 200 || json.Unmarshal(r.raw, &co) != nil {
					t.Fatalf("offer by reference: %d %s", r.status, r.raw)
				}
			} else {
				if !strings.HasPrefix(o.URI, "openid-credential-offer://?credential_offer=") {
					t.Fatalf("offer URI %s", o.URI)
				}
				co = offerOf(t, o)
			}
			if d := cmp.Diff([]string{"Statistics_ldp_vc", "Statistics_jwt_vc_json"}, co.Configurations); d != "" || co.CredentialIssuer != testBase {
				t.Fatalf("offer %+v: %s", co, d)
			}
			form := url.Values{"grant_type": {GrantPreAuthorized}, "pre-authorized_code": {co.Grants[GrantPreAuthorized].PreAuthorizedCode}}
			if tc.txCode {
				form.Set("tx_code", o.TxCode)
			}
			tr := f.token(t, form)
			if tr.status != 200 || tr.str("token_type") != "Bearer" || tr.header.Get("Cache-Control") != "no-store" {
				t.Fatalf("token: %d %s", tr.status, tr.raw)
			}
			w := newWallet(t, tc.p256)
			holder := w.did
			if tc.jwk {
				holder = "did:jwk:" + base64.RawURLEncoding.EncodeToString(w.jwk)
			}
			cr := f.credential(t, tr.str("access_token"), map[string]any{
				"credential_configuration_id": tc.config,
				"proofs":                      proofsOf(w.proof(t, testBase, f.nonce(t), tc.jwk, f.clock.Now())),
			})
			if cr.status != 200 {
				t.Fatalf("credential: %d %s", cr.status, cr.raw)
			}
			creds, _ := cr.body["credentials"].([]any)
			if len(creds) != 1 {
				t.Fatalf("credentials: %s", cr.raw)
			}
			format := FormatLDP
			if strings.HasSuffix(tc.config, FormatJWT) {
				format = FormatJWT
			}
			checkCredential(t, creds[0].(map[string]any)["credential"], format, holder)
			n, _ := json.Marshal(map[string]string{"notification_id": cr.str("notification_id"), "event": "credential_accepted"})
			if r := f.do(t, "POST", "/lms/notification", "application/json", tr.str("access_token"), n); r.status != 204 {
				t.Errorf("notification: %d %s", r.status, r.raw)
			}
		})
	}
}

// TestRefusals: every refusal the specification names, with its error
// code: replayed and expired codes, wrong transaction codes, stale and
// made-up nonces, proofs signed by another key than the one they name,
// for another audience, or otherwise malformed, and bad access tokens.
func TestRefusals(t *testing.T) {
	ctx := context.Background()
	preAuth := func(o *Offer) string { return offerOf(t, o).Grants[GrantPreAuthorized].PreAuthorizedCode }
	tokenForm := func(code, tx string) url.Values {
		v := url.Values{"grant_type": {GrantPreAuthorized}, "pre-authorized_code": {code}}
		if tx != "" {
			v.Set("tx_code", tx)
		}
		return v
	}

	t.Run("token endpoint", func(t *testing.T) {
		for _, tc := range []struct {
			name   string
			run    func(f *fixture) response
			status int
			code   string
		}{
			{"replayed code", func(f *fixture) response {
				o, _ := f.srv.Offer(ctx, f.issued, nil)
				if r := f.token(t, tokenForm(preAuth(o), "")); r.status != 200 {
					t.Fatalf("first use: %d %s", r.status, r.raw)
				}
				return f.token(t, tokenForm(preAuth(o), ""))
			}, 400, "invalid_grant"},
			{"expired offer", func(f *fixture) response {
				o, _ := f.srv.Offer(ctx, f.issued, nil)
				f.clock.Add(DefaultOfferTTL + time.Second)
				return f.token(t, tokenForm(preAuth(o), ""))
			}, 400, "invalid_grant"},
			{"unknown code", func(f *fixture) response {
				return f.token(t, tokenForm("made-up", ""))
			}, 400, "invalid_grant"},
			{"wrong tx_code", func(f *fixture) response {
				o, _ := f.srv.Offer(ctx, f.issued, &OfferOptions{TxCode: true})
				return f.token(t, tokenForm(preAuth(o), other(o.TxCode)))
			}, 400, "invalid_grant"},
			{"right tx_code after too many wrong ones", func(f *fixture) response {
				o, _ := f.srv.Offer(ctx, f.issued, &OfferOptions{TxCode: true})
				for range DefaultTxCodeAttempts {
					if r := f.token(t, tokenForm(preAuth(o), other(o.TxCode))); r.str("error") != "invalid_grant" {
						t.Fatalf("wrong tx_code: %d %s", r.status, r.raw)
					}
				}
				return f.token(t, tokenForm(preAuth(o), o.TxCode))
			}, 400, "invalid_grant"},
			{"missing tx_code", func(f *fixture) response {
				o, _ := f.srv.Offer(ctx, f.issued, &OfferOptions{TxCode: true})
				return f.token(t, tokenForm(preAuth(o), ""))
			}, 400, "invalid_request"},
			{"tx_code not asked for", func(f *fixture) response {
				o, _ := f.srv.Offer(ctx, f.issued, nil)
				return f.token(t, tokenForm(preAuth(o), "123456"))
			}, 400, "invalid_request"},
			{"authorization code grant", func(f *fixture) response {
				return f.token(t, url.Values{"grant_type": {"authorization_code"}, "code": {"x"}})
			}, 400, "unsupported_grant_type"},
			{"repeated parameter", func(f *fixture) response {
				return f.token(t, url.Values{"grant_type": {GrantPreAuthorized, GrantPreAuthorized}, "pre-authorized_code": {"x"}})
			}, 400, "invalid_request"},
			{"JSON body", func(f *fixture) response {
				return f.do(t, "POST", "/lms/token", "application/json", "", []byte(`{"grant_type":"x"}`))
			}, 400, "invalid_request"},
			{"body too large", func(f *fixture) response {
				return f.do(t, "POST", "/lms/token", "application/x-www-form-urlencoded", "", []byte(strings.Repeat("a", MaxBodyBytes+1)))
			}, 413, "invalid_request"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := tc.run(newFixture(t, testBase, nil))
				if r.status != tc.status || r.str("error") != tc.code {
					t.Errorf("%d %s, want %d %s", r.status, r.raw, tc.status, tc.code)
				}
			})
		}
	})

	t.Run("a tx_code wrong once still lets the right one through", func(t *testing.T) {
		f := newFixture(t, testBase, nil)
		o, _ := f.srv.Offer(ctx, f.issued, &OfferOptions{TxCode: true})
		f.token(t, tokenForm(preAuth(o), other(o.TxCode)))
		if r := f.token(t, tokenForm(preAuth(o), o.TxCode)); r.status != 200 {
			t.Errorf("%d %s", r.status, r.raw)
		}
	})

	t.Run("credential endpoint", func(t *testing.T) {
		const cfg = "Statistics_ldp_vc"
		for _, tc := range []struct {
			name   string
			req    func(f *fixture, w *wallet) (token string, body any)
			status int
			code   string
		}{
			{"stale nonce", func(f *fixture, w *wallet) (string, any) {
				tok, _ := f.accessToken(t, f.issued)
				n := f.nonce(t)
				if r := f.credential(t, tok, map[string]any{"credential_configuration_id": cfg, "proofs": proofsOf(w.proof(t, testBase, n, false, f.clock.Now()))}); r.status != 200 {
					t.Fatalf("first use: %d %s", r.status, r.raw)
				}
				return tok, map[string]any{"credential_configuration_id": cfg, "proofs": proofsOf(w.proof(t, testBase, n, false, f.clock.Now()))}
			}, 400, "invalid_nonce"},
			{"expired nonce", func(f *fixture, w *wallet) (string, any) {
				tok, _ := f.accessToken(t, f.issued)
				n := f.nonce(t)
				f.clock.Add(DefaultNonceTTL + time.Second)
				return tok, map[string]any{"credential_configuration_id": cfg, "proofs": proofsOf(w.proof(t, testBase, n, false, f.clock.Now()))}
			}, 400, "invalid_nonce"},
			{"made-up nonce", func(f *fixture, w *wallet) (string, any) {
				tok, _ := f.accessToken(t, f.issued)
				return tok, map[string]any{"credential_configuration_id": cfg, "proofs": proofsOf(w.proof(t, testBase, "made-up", false, f.clock.Now()))}
			}, 400, "invalid_nonce"},
			{"no nonce", func(f *fixture, w *wallet) (string, any) {
				tok, _ := f.accessToken(t, f.issued)
				p := w.sign(t, map[string]any{"typ": proofType, "alg": "EdDSA", "kid": w.vm}, map[string]any{"aud": testBase, "iat": f.clock.Now().Unix()})
				return tok, map[string]any{"credential_configuration_id": cfg, "proofs": proofsOf(p)}
			}, 400, "invalid_proof"},
			{"someone else's key by kid", func(f *fixture, w *wallet) (string, any) {
				tok, _ := f.accessToken(t, f.issued)
				victim := newWallet(t, false)
				p := w.sign(t, map[string]any{"typ": proofType, "alg": "EdDSA", "kid": victim.vm}, map[string]any{"aud": testBase, "iat": f.clock.Now().Unix(), "nonce": f.nonce(t)})
				return tok, map[string]any{"credential_configuration_id": cfg, "proofs": proofsOf(p)}
			}, 400, "invalid_proof"},
			{"someone else's key by jwk", func(f *fixture, w *wallet) (string, any) {
				tok, _ := f.accessToken(t, f.issued)
				victim := newWallet(t, false)
				p := w.sign(t, map[string]any{"typ": proofType, "alg": "EdDSA", "jwk": victim.jwk}, map[string]any{"aud": testBase, "iat": f.clock.Now().Unix(), "nonce": f.nonce(t)})
				return tok, map[string]any{"credential_configuration_id": cfg, "proofs": proofsOf(p)}
			}, 400, "invalid_proof"},
			{"private jwk", func(f *fixture, w *wallet) (string, any) {
				tok, _ := f.accessToken(t, f.issued)
				priv, _ := keys.PrivateJWK(w.key, "")
				p := w.sign(t, map[string]any{"typ": proofType, "alg": "EdDSA", "jwk": json.RawMessage(priv)}, map[string]any{"aud": testBase, "iat": f.clock.Now().Unix(), "nonce": f.nonce(t)})
				return tok, map[string]any{"credential_configuration_id": cfg, "proofs": proofsOf(p)}
			}, 400, "invalid_proof"},
			{"wrong aud", func(f *fixture, w *wallet) (string, any) {
				tok, _ := f.accessToken(t, f.issued)
				return tok, map[string]any{"credential_configuration_id": cfg, "proofs": proofsOf(w.proof(t, "https://evil.example", f.nonce(t), false, f.clock.Now()))}
			}, 400, "invalid_proof"},
			{"iat in the future", func(f *fixture, w *wallet) (string, any) {
				tok, _ := f.accessToken(t, f.issued)
				return tok, map[string]any{"credential_configuration_id": cfg, "proofs": proofsOf(w.proof(t, testBase, f.nonce(t), false, f.clock.Now().Add(time.Hour)))}
			}, 400, "invalid_proof"},
			{"wrong typ", func(f *fixture, w *wallet) (string, any) {
				tok, _ := f.accessToken(t, f.issued)
				p := w.sign(t, map[string]any{"typ": "JWT", "alg": "EdDSA", "kid": w.vm}, map[string]any{"aud": testBase, "iat": f.clock.Now().Unix(), "nonce": f.nonce(t)})
				return tok, map[string]any{"credential_configuration_id": cfg, "proofs": proofsOf(p)}
			}, 400, "invalid_proof"},
			{"alg none", func(f *fixture, w *wallet) (string, any) {
				tok, _ := f.accessToken(t, f.issued)
				p := w.sign(t, map[string]any{"typ": proofType, "alg": "none", "kid": w.vm}, map[string]any{"aud": testBase, "iat": f.clock.Now().Unix(), "nonce": f.nonce(t)})
				return tok, map[string]any{"credential_configuration_id": cfg, "proofs": proofsOf(p[:strings.LastIndexByte(p, '.')+1])}
			}, 400, "invalid_proof"},
			{"alg HS256", func(f *fixture, w *wallet) (string, any) {
				tok, _ := f.accessToken(t, f.issued)
				p := w.sign(t, map[string]any{"typ": proofType, "alg": "HS256", "kid": w.vm}, map[string]any{"aud": testBase, "iat": f.clock.Now().Unix(), "nonce": f.nonce(t)})
				return tok, map[string]any{"credential_configuration_id": cfg, "proofs": proofsOf(p)}
			}, 400, "invalid_proof"},
			{"kid and jwk", func(f *fixture, w *wallet) (string, any) {
				tok, _ := f.accessToken(t, f.issued)
				p := w.sign(t, map[string]any{"typ": proofType, "alg": "EdDSA", "kid": w.vm, "jwk": w.jwk}, map[string]any{"aud": testBase, "iat": f.clock.Now().Unix(), "nonce": f.nonce(t)})
				return tok, map[string]any{"credential_configuration_id": cfg, "proofs": proofsOf(p)}
			}, 400, "invalid_proof"},
			{"kid not a DID", func(f *fixture, w *wallet) (string, any) {
				tok, _ := f.accessToken(t, f.issued)
				p := w.sign(t, map[string]any{"typ": proofType, "alg": "EdDSA", "kid": "key-1"}, map[string]any{"aud": testBase, "iat": f.clock.Now().Unix(), "nonce": f.nonce(t)})
				return tok, map[string]any{"credential_configuration_id": cfg, "proofs": proofsOf(p)}
			}, 400, "invalid_proof"},
			{"no proofs", func(f *fixture, w *wallet) (string, any) {
				tok, _ := f.accessToken(t, f.issued)
				return tok, map[string]any{"credential_configuration_id": cfg}
			}, 400, "invalid_proof"},
			{"two proofs", func(f *fixture, w *wallet) (string, any) {
				tok, _ := f.accessToken(t, f.issued)
				return tok, map[string]any{"credential_configuration_id": cfg, "proofs": proofsOf(w.proof(t, testBase, f.nonce(t), false, f.clock.Now()), w.proof(t, testBase, f.nonce(t), false, f.clock.Now()))}
			}, 400, "invalid_credential_request"},
			{"unknown configuration", func(f *fixture, w *wallet) (string, any) {
				tok, _ := f.accessToken(t, f.issued)
				return tok, map[string]any{"credential_configuration_id": "Diploma", "proofs": proofsOf(w.proof(t, testBase, f.nonce(t), false, f.clock.Now()))}
			}, 400, "unknown_credential_configuration"},
			{"configuration not offered", func(f *fixture, w *wallet) (string, any) {
				tok, _ := f.accessToken(t, f.issued)
				return tok, map[string]any{"credential_configuration_id": "OpenBadgeCredential_ldp_vc", "proofs": proofsOf(w.proof(t, testBase, f.nonce(t), false, f.clock.Now()))}
			}, 403, "insufficient_scope"},
			{"credential_identifier", func(f *fixture, w *wallet) (string, any) {
				tok, _ := f.accessToken(t, f.issued)
				return tok, map[string]any{"credential_identifier": "x", "proofs": proofsOf(w.proof(t, testBase, f.nonce(t), false, f.clock.Now()))}
			}, 400, "unknown_credential_identifier"},
			{"encryption", func(f *fixture, w *wallet) (string, any) {
				tok, _ := f.accessToken(t, f.issued)
				return tok, map[string]any{"credential_configuration_id": cfg, "credential_response_encryption": map[string]any{"enc": "A128GCM"}, "proofs": proofsOf(w.proof(t, testBase, f.nonce(t), false, f.clock.Now()))}
			}, 400, "invalid_encryption_parameters"},
			{"no access token", func(f *fixture, w *wallet) (string, any) {
				return "", map[string]any{"credential_configuration_id": cfg, "proofs": proofsOf(w.proof(t, testBase, f.nonce(t), false, f.clock.Now()))}
			}, 401, "invalid_token"},
			{"unknown access token", func(f *fixture, w *wallet) (string, any) {
				return "made-up", map[string]any{"credential_configuration_id": cfg, "proofs": proofsOf(w.proof(t, testBase, f.nonce(t), false, f.clock.Now()))}
			}, 401, "invalid_token"},
			{"expired access token", func(f *fixture, w *wallet) (string, any) {
				tok, _ := f.accessToken(t, f.issued)
				f.clock.Add(DefaultTokenTTL + time.Second)
				return tok, map[string]any{"credential_configuration_id": cfg, "proofs": proofsOf(w.proof(t, testBase, f.nonce(t), false, f.clock.Now()))}
			}, 401, "invalid_token"},
			{"revoked meanwhile", func(f *fixture, w *wallet) (string, any) {
				tok, _ := f.accessToken(t, f.issued)
				rec, _ := f.is.Records().Get(ctx, f.issued)
				rec.State = "revoked"
				f.is.Records().Put(ctx, rec)
				return tok, map[string]any{"credential_configuration_id": cfg, "proofs": proofsOf(w.proof(t, testBase, f.nonce(t), false, f.clock.Now()))}
			}, 400, "credential_request_denied"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				f := newFixture(t, testBase, nil)
				tok, body := tc.req(f, newWallet(t, false))
				r := f.credential(t, tok, body)
				if r.status != tc.status || r.str("error") != tc.code {
					t.Errorf("%d %s, want %d %s", r.status, r.raw, tc.status, tc.code)
				}
				if r.header.Get("Cache-Control") != "no-store" {
					t.Errorf("Cache-Control %q", r.header.Get("Cache-Control"))
				}
			})
		}
	})
}

// other returns a transaction code other than tx, of its length.
func other(tx string) string {
	b := []byte(tx)
	b[0] = '0' + (b[0]-'0'+1)%10
	return string(b)
}

// TestForgedProofKeepsNonce: a proof signed by another key than the one
// it names is refused, and does not use up the nonce it carries: the
// wallet whose nonce an attacker copied can still use it.
func TestForgedProofKeepsNonce(t *testing.T) {
	f := newFixture(t, testBase, nil)
	tok, _ := f.accessToken(t, f.issued)
	victim, attacker := newWallet(t, false), newWallet(t, false)
	n := f.nonce(t)
	forged := attacker.sign(t, map[string]any{"typ": proofType, "alg": "EdDSA", "kid": victim.vm}, map[string]any{"aud": testBase, "iat": f.clock.Now().Unix(), "nonce": n})
	if r := f.credential(t, tok, map[string]any{"credential_configuration_id": "Statistics_ldp_vc", "proofs": proofsOf(forged)}); r.str("error") != "invalid_proof" {
		t.Fatalf("forged proof: %d %s", r.status, r.raw)
	}
	r := f.credential(t, tok, map[string]any{"credential_configuration_id": "Statistics_ldp_vc", "proofs": proofsOf(victim.proof(t, testBase, n, false, f.clock.Now()))})
	if r.status != 200 {
		t.Fatalf("the victim's own proof: %d %s", r.status, r.raw)
	}
	checkCredential(t, r.body["credentials"].([]any)[0].(map[string]any)["credential"], FormatLDP, victim.did)
}

// TestDeferred: the credential of an award in review is deferred, and
// delivered once a person approves it; its transaction_id then is used up.
func TestDeferred(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, testBase, nil)
	tok, o := f.accessToken(t, f.review.AwardKey)
	if d := cmp.Diff([]string{"OpenBadgeCredential_ldp_vc", "OpenBadgeCredential_jwt_vc_json"}, o.ConfigurationIDs); d != "" {
		t.Errorf("configurations of an achievement with none of its own: %s", d)
	}
	w := newWallet(t, false)
	r := f.credential(t, tok, map[string]any{"credential_configuration_id": "OpenBadgeCredential_jwt_vc_json", "proofs": proofsOf(w.proof(t, testBase, f.nonce(t), false, f.clock.Now()))})
	if r.status != 202 || r.str("transaction_id") == "" || r.body["interval"] != float64(3600) {
		t.Fatalf("credential: %d %s", r.status, r.raw)
	}
	f.clock.Add(DefaultTokenTTL + time.Hour) // the token lives as long as the transaction
	txID := r.str("transaction_id")
	tx, _ := json.Marshal(map[string]string{"transaction_id": txID})
	if r := f.do(t, "POST", "/lms/deferred_credential", "application/json", tok, tx); r.status != 202 || r.str("transaction_id") != txID {
		t.Fatalf("still in review: %d %s", r.status, r.raw)
	}
	if _, err := f.is.Approve(ctx, f.review.ReviewID, "Grace", "fine essay"); err != nil {
		t.Fatal(err)
	}
	d := f.do(t, "POST", "/lms/deferred_credential", "application/json", tok, tx)
	if d.status != 200 {
		t.Fatalf("approved: %d %s", d.status, d.raw)
	}
	checkCredential(t, d.body["credentials"].([]any)[0].(map[string]any)["credential"], FormatJWT, w.did)
	if again := f.do(t, "POST", "/lms/deferred_credential", "application/json", tok, tx); again.str("error") != "invalid_transaction_id" {
		t.Errorf("used transaction: %d %s", again.status, again.raw)
	}
	other, _ := json.Marshal(map[string]string{"transaction_id": "made-up"})
	if r := f.do(t, "POST", "/lms/deferred_credential", "application/json", tok, other); r.str("error") != "invalid_transaction_id" {
		t.Errorf("unknown transaction: %d %s", r.status, r.raw)
	}
}

// TestNotification: the notification endpoint's refusals.
func TestNotification(t *testing.T) {
	f := newFixture(t, testBase, nil)
	var got []string
	f.srv.cfg.Notify = func(ctx context.Context, key, event string) { got = append(got, key+" "+event) }
	tok, _ := f.accessToken(t, f.issued)
	w := newWallet(t, false)
	r := f.credential(t, tok, map[string]any{"credential_configuration_id": "Statistics_ldp_vc", "proofs": proofsOf(w.proof(t, testBase, f.nonce(t), false, f.clock.Now()))})
	nid := r.str("notification_id")
	for _, tc := range []struct {
		name   string
		body   string
		status int
		code   string
	}{
		{"accepted", `{"notification_id":"` + nid + `","event":"credential_accepted"}`, 204, ""},
		{"again: idempotent", `{"notification_id":"` + nid + `","event":"credential_accepted"}`, 204, ""},
		{"unknown id", `{"notification_id":"x","event":"credential_accepted"}`, 400, "invalid_notification_id"},
		{"unknown event", `{"notification_id":"` + nid + `","event":"credential_lost"}`, 400, "invalid_notification_request"},
		{"no id", `{"event":"credential_deleted"}`, 400, "invalid_notification_request"},
		{"repeated member", `{"notification_id":"x","notification_id":"y","event":"credential_deleted"}`, 400, "invalid_notification_request"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := f.do(t, "POST", "/lms/notification", "application/json", tok, []byte(tc.body))
			if r.status != tc.status || r.str("error") != tc.code {
				t.Errorf("%d %s, want %d %s", r.status, r.raw, tc.status, tc.code)
			}
		})
	}
	if d := cmp.Diff([]string{f.issued + " credential_accepted", f.issued + " credential_accepted"}, got); d != "" {
		t.Errorf("Notify: %s", d)
	}
}

// TestMetadata: the two metadata documents, where the specification puts
// them for a Credential Issuer Identifier with a path, and what they say.
func TestMetadata(t *testing.T) {
	f := newFixture(t, testBase, nil)
	for _, p := range []string{"/.well-known/openid-credential-issuer/lms", "/lms/.well-known/openid-credential-issuer"} {
		r := f.do(t, "GET", p, "", "", nil)
		if r.status != 200 || r.str("credential_issuer") != testBase || r.str("credential_endpoint") != testBase+"/credential" || r.str("nonce_endpoint") != testBase+"/nonce" {
			t.Fatalf("%s: %d %s", p, r.status, r.raw)
		}
		configs, _ := r.body["credential_configurations_supported"].(map[string]any)
		var names []string
		for n := range configs {
			names = append(names, n)
		}
		if d := cmp.Diff([]string{"OpenBadgeCredential_jwt_vc_json", "OpenBadgeCredential_ldp_vc", "Statistics_jwt_vc_json", "Statistics_ldp_vc"}, names, cmpSorted); d != "" {
			t.Errorf("configurations: %s", d)
		}
		ldp, _ := json.Marshal(configs["Statistics_ldp_vc"])
		for _, want := range []string{`"format":"ldp_vc"`, `"eddsa-rdfc-2022"`, `"name":"Statistics"`, `"locale":"en"`, `"uri":"https://example.edu/achievements/stats.png"`, `"proof_signing_alg_values_supported":["EdDSA","ES256","ES384"]`,
			`{"description":"Statistique descriptive.","locale":"fr","logo":{"alt_text":"Statistics badge","uri":"https://example.edu/achievements/stats.png"},"name":"Statistique"}`} {
			if !strings.Contains(string(ldp), want) {
				t.Errorf("Statistics_ldp_vc lacks %s: %s", want, ldp)
			}
		}
	}
	as := f.do(t, "GET", "/.well-known/oauth-authorization-server/lms", "", "", nil)
	if as.status != 200 || as.str("token_endpoint") != testBase+"/token" || as.body["pre-authorized_grant_anonymous_access_supported"] != true {
		t.Errorf("authorization server metadata: %d %s", as.status, as.raw)
	}
}

var cmpSorted = cmp.Transformer("sort", func(in []string) []string {
	out := append([]string(nil), in...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
})

// TestOfferRefused: only issued awards and awards in review are offered.
func TestOfferRefused(t *testing.T) {
	f := newFixture(t, testBase, nil)
	ctx := context.Background()
	if _, err := f.srv.Offer(ctx, "0123", nil); err == nil {
		t.Error("an unknown award key was offered")
	}
	rec, _ := f.is.Records().Get(ctx, f.issued)
	rec.State = "revoked"
	f.is.Records().Put(ctx, rec)
	if _, err := f.srv.Offer(ctx, f.issued, nil); err == nil {
		t.Error("a revoked award was offered")
	}
}

// TestNewRefused: configurations New refuses.
func TestNewRefused(t *testing.T) {
	f := newFixture(t, testBase, nil)
	for _, tc := range []struct {
		name string
		cfg  Config
	}{
		{"no issuer", Config{BaseURL: testBase}},
		{"http", Config{Issuer: f.is, BaseURL: "http://badges.example.edu"}},
		{"query", Config{Issuer: f.is, BaseURL: "https://badges.example.edu/?a=b"}},
		{"RSA", Config{Issuer: f.is, BaseURL: testBase, Algorithm: "RS256"}},
		{"generic name", Config{Issuer: f.is, BaseURL: testBase, Achievements: map[string]*credential.Achievement{"OpenBadgeCredential": achievement("a", "A")}}},
		{"translation of nothing", Config{Issuer: f.is, BaseURL: testBase, Translations: map[string][]Display{"A": {{Name: "A", Locale: "fr"}}}}},
		{"translation in the achievement's language", Config{Issuer: f.is, BaseURL: testBase, Achievements: map[string]*credential.Achievement{"A": achievement("a", "A")}, Translations: map[string][]Display{"A": {{Name: "A", Locale: "en"}}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := New(tc.cfg); err == nil {
				t.Error("accepted")
			}
		})
	}
}

// TestSharedSecret: instances sharing a Store and a Secret take each
// other's nonces, once; an instance with another secret, or a nonce
// changed by a byte, is refused.
func TestSharedSecret(t *testing.T) {
	secret := bytes.Repeat([]byte{9}, 32)
	store := &MemoryStore{}
	a := newFixture(t, testBase, func(c *Config) { c.Secret, c.Store = secret, store })
	b, err := New(Config{Issuer: a.is, BaseURL: testBase, Secret: secret, Store: store, Achievements: a.srv.cfg.Achievements})
	if err != nil {
		t.Fatal(err)
	}
	other, err := New(Config{Issuer: a.is, BaseURL: testBase, Store: store, Achievements: a.srv.cfg.Achievements})
	if err != nil {
		t.Fatal(err)
	}
	tok, _ := a.accessToken(t, a.issued)
	w := newWallet(t, false)
	ask := func(srv *Server, nonce string) response {
		a.srv, srv = srv, a.srv
		defer func() { a.srv = srv }()
		return a.credential(t, tok, map[string]any{"credential_configuration_id": "Statistics_ldp_vc", "proofs": proofsOf(w.proof(t, testBase, nonce, false, a.clock.Now()))})
	}
	n := a.nonce(t)
	for _, tc := range []struct {
		name  string
		srv   *Server
		nonce string
		code  string
	}{
		{"another secret", other, n, "invalid_nonce"},
		{"a byte changed", b, n[:10] + string(n[10]^1) + n[11:], "invalid_nonce"},
		{"the same secret", b, n, ""},
		{"again", a.srv, n, "invalid_nonce"},
	} {
		if r := ask(tc.srv, tc.nonce); r.str("error") != tc.code {
			t.Errorf("%s: %d %s, want %q", tc.name, r.status, r.raw, tc.code)
		}
	}
}

// TestLogsKeepSecrets: the log of a whole flow, refusals included, names
// the award key and holds no code, transaction code, token, nonce or the
// wallet's DID.
func TestLogsKeepSecrets(t *testing.T) {
	var log bytes.Buffer
	f := newFixture(t, testBase, func(c *Config) { c.Logger = slog.New(slog.NewTextHandler(&log, nil)) })
	o, err := f.srv.Offer(context.Background(), f.issued, &OfferOptions{TxCode: true})
	if err != nil {
		t.Fatal(err)
	}
	code := offerOf(t, o).Grants[GrantPreAuthorized].PreAuthorizedCode
	f.token(t, url.Values{"grant_type": {GrantPreAuthorized}, "pre-authorized_code": {code}, "tx_code": {other(o.TxCode)}})
	tr := f.token(t, url.Values{"grant_type": {GrantPreAuthorized}, "pre-authorized_code": {code}, "tx_code": {o.TxCode}})
	tok := tr.str("access_token")
	w := newWallet(t, false)
	n := f.nonce(t)
	f.credential(t, tok, map[string]any{"credential_configuration_id": "Statistics_ldp_vc", "proofs": proofsOf(w.proof(t, "https://evil.example", n, false, f.clock.Now()))})
	if r := f.credential(t, tok, map[string]any{"credential_configuration_id": "Statistics_ldp_vc", "proofs": proofsOf(w.proof(t, testBase, n, false, f.clock.Now()))}); r.status != 200 {
		t.Fatalf("credential: %d %s", r.status, r.raw)
	}
	if !strings.Contains(log.String(), f.issued) || !strings.Contains(log.String(), "invalid_grant") || !strings.Contains(log.String(), "invalid_proof") {
		t.Errorf("the log lacks the award key or the refusals:\n%s", log.String())
	}
	for name, secret := range map[string]string{"code": code, "tx_code": o.TxCode, "token": tok, "nonce": n, "holder": w.did, "holder's key": strings.TrimPrefix(w.did, "did:key:")} {
		if strings.Contains(log.String(), secret) {
			t.Errorf("the log holds the %s:\n%s", name, log.String())
		}
	}
}

// TestCORS: a web wallet's scripts may call the endpoints from any
// origin, without cookies; the authorization endpoint is a page.
func TestCORS(t *testing.T) {
	f := newFixture(t, testBase, nil)
	req := httptest.NewRequest("OPTIONS", "/lms/credential", nil)
	req.Header.Set("Origin", "https://wallet.example")
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
	w := httptest.NewRecorder()
	f.srv.ServeHTTP(w, req)
	if w.Code != 204 || w.Header().Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(w.Header().Get("Access-Control-Allow-Headers"), "Authorization") || w.Header().Get("Access-Control-Allow-Credentials") != "" {
		t.Errorf("preflight: %d %v", w.Code, w.Header())
	}
	if r := f.do(t, "GET", "/.well-known/openid-credential-issuer/lms", "", "", nil); r.header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("metadata: %v", r.header)
	}
	if r := f.do(t, "GET", "/lms/authorize", "", "", nil); r.header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("authorize: %v", r.header)
	}
}

// TestDraftForm: a wallet of the drafts before 1.0 (draft 13) takes its
// c_nonce from the token response, sends one proof and the format, and
// gets one credential and a fresh c_nonce; a refused proof comes back with
// a c_nonce to try again with.
func TestDraftForm(t *testing.T) {
	f := newFixture(t, testBase, nil)
	o, _ := f.srv.Offer(context.Background(), f.issued, nil)
	tr := f.token(t, url.Values{"grant_type": {GrantPreAuthorized}, "pre-authorized_code": {offerOf(t, o).Grants[GrantPreAuthorized].PreAuthorizedCode}})
	nonce := tr.str("c_nonce")
	if nonce == "" || tr.body["c_nonce_expires_in"] != float64(300) {
		t.Fatalf("token response without a c_nonce: %s", tr.raw)
	}
	tok := tr.str("access_token")
	w := newWallet(t, false)
	draft := func(format, proofType, nonce string) map[string]any {
		return map[string]any{
			"format":                format,
			"credential_definition": map[string]any{"type": []string{"VerifiableCredential", "OpenBadgeCredential"}},
			"proof":                 map[string]any{"proof_type": proofType, "jwt": w.proof(t, testBase, nonce, false, f.clock.Now())},
		}
	}
	r := f.credential(t, tok, draft("ldp_vc", "jwt", nonce))
	if r.status != 200 || r.str("c_nonce") == "" || r.body["credential"] == nil || r.body["credentials"] != nil {
		t.Fatalf("draft request: %d %s", r.status, r.raw)
	}
	checkCredential(t, r.body["credential"], FormatLDP, w.did)
	again := f.credential(t, tok, draft("jwt_vc_json", "jwt", nonce))
	if again.str("error") != "invalid_proof" || again.str("c_nonce") == "" {
		t.Fatalf("a used nonce: %d %s", again.status, again.raw)
	}
	if r := f.credential(t, tok, draft("jwt_vc_json", "jwt", again.str("c_nonce"))); r.status != 200 {
		t.Fatalf("with the error's c_nonce: %d %s", r.status, r.raw)
	} else {
		checkCredential(t, r.body["credential"], FormatJWT, w.did)
	}
	for _, tc := range []struct{ format, proofType, code string }{
		{"mso_mdoc", "jwt", "unsupported_credential_format"},
		{"ldp_vc", "cwt", "invalid_proof"},
	} {
		if r := f.credential(t, tok, draft(tc.format, tc.proofType, f.nonce(t))); r.str("error") != tc.code {
			t.Errorf("%s %s: %d %s, want %s", tc.format, tc.proofType, r.status, r.raw, tc.code)
		}
	}
}
