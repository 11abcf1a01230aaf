package oid4vci

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

// FuzzParseProof: whatever a wallet sends as a key proof, reading it and
// verifying it end in an answer (a holder, or an error that is a proof or
// nonce error), never a panic, and a holder only for a proof that verifies.
func FuzzParseProof(f *testing.F) {
	fx := newFixture(f, testBase, nil)
	w := newWallet(f, false)
	now := fx.clock.Now()
	for _, jwk := range []bool{false, true} {
		f.Add(w.proof(f, testBase, "n", jwk, now))
	}
	f.Add(w.sign(f, map[string]any{"typ": proofType, "alg": "EdDSA", "kid": "did:jwk:e30#0"}, map[string]any{"aud": []string{testBase}, "iat": 1.5e9, "nonce": "n"}))
	f.Add(b64(`{"typ":"openid4vci-proof+jwt","alg":"EdDSA","jwk":{"kty":"OKP","crv":"Ed25519","x":"AA"}}`) + "." + b64(`{"aud":1,"iat":"x"}`) + ".")
	f.Add(b64(`{"typ":"openid4vci-proof+jwt","typ":"JWT"}`) + "." + b64(`{}`) + ".")
	f.Add("..")
	f.Fuzz(func(t *testing.T, token string) {
		p, err := parseProof(token)
		if err != nil {
			if !errors.Is(err, errProof) {
				t.Fatalf("parseProof's error does not wrap errProof: %v", err)
			}
			return
		}
		if p.nonce == "" || len(p.aud) == 0 || (p.kid == "") == (len(p.jwk) == 0) {
			t.Fatalf("parseProof accepted an incomplete proof: %+v", p)
		}
		holder, err := fx.srv.verifyProof(context.Background(), token)
		if err != nil && !errors.Is(err, errProof) && !errors.Is(err, errNonce) {
			t.Fatalf("verifyProof's error is neither a proof nor a nonce error: %v", err)
		}
		if err == nil && !strings.HasPrefix(holder, "did:") {
			t.Fatalf("holder %q", holder)
		}
	})
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// TestParseProofLimits: a proof over MaxProofBytes is refused before it
// is decoded.
func TestParseProofLimits(t *testing.T) {
	if _, err := parseProof(strings.Repeat("a", MaxProofBytes+1)); !errors.Is(err, errProof) {
		t.Errorf("an oversized proof: %v", err)
	}
}

// FuzzEndpoints: whatever body a wallet sends to the token, credential,
// deferred credential or notification endpoint, the answer is a success or
// one of the specification's errors, in its JSON form.
func FuzzEndpoints(f *testing.F) {
	fx := newFixture(f, testBase, nil)
	tok, o := fx.accessToken(f, fx.issued)
	w := newWallet(f, false)
	f.Add("/credential", `{"credential_configuration_id":"Statistics_ldp_vc","proofs":{"jwt":["`+w.proof(f, testBase, fx.nonce(f), false, fx.clock.Now())+`"]}}`)
	f.Add("/credential", `{"credential_configuration_id":"Statistics_ldp_vc","proofs":{"jwt":[1]},"proof":{}}`)
	f.Add("/deferred_credential", `{"transaction_id":"x"}`)
	f.Add("/notification", `{"notification_id":"x","event":"credential_accepted"}`)
	f.Add("/token", "grant_type="+GrantPreAuthorized+"&pre-authorized_code=x&tx_code="+o.TxCode)
	f.Add("/token", "grant_type=authorization_code&code=x&code_verifier=y")
	codes := map[string]bool{"": true}
	for _, c := range []string{"invalid_request", "invalid_grant", "unsupported_grant_type", "invalid_token", "insufficient_scope",
		"invalid_credential_request", "unknown_credential_configuration", "unknown_credential_identifier", "invalid_proof",
		"invalid_nonce", "invalid_encryption_parameters", "credential_request_denied", "invalid_transaction_id",
		"invalid_notification_id", "invalid_notification_request", "unsupported_credential_format"} {
		codes[c] = true
	}
	f.Fuzz(func(t *testing.T, path, body string) {
		switch path {
		case "/credential", "/deferred_credential", "/notification", "/token":
		default:
			return
		}
		ct := "application/json"
		if path == "/token" {
			ct = "application/x-www-form-urlencoded"
		}
		r := fx.do(t, "POST", fx.srv.path+path, ct, tok, []byte(body))
		if r.status >= 500 || !codes[r.str("error")] || (r.status >= 400 && r.str("error") == "") {
			t.Fatalf("%s %q: %d %s", path, body, r.status, r.raw)
		}
	})
}
