package jose_test

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/did"
	"github.com/go-openbadges/openbadges/internal/forgerytest"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/proof/jose"
)

// attackerHTTPS is an https issuer id of the attacker's own, whose
// document lists the attacker's key.
const attackerHTTPS = "https://attacker.example/issuer"

// rawToken signs header and payload (JSON) with an Ed25519 key, as anyone
// can.
func rawToken(key ed25519.PrivateKey, header, payload string) []byte {
	input := base64.RawURLEncoding.EncodeToString([]byte(header)) + "." + base64.RawURLEncoding.EncodeToString([]byte(payload))
	return []byte(input + "." + base64.RawURLEncoding.EncodeToString(ed25519.Sign(key, []byte(input))))
}

// vcPayload is a VC-JOSE payload: a credential of issuer, with an iss
// claim when iss is not "".
func vcPayload(issuer, iss string) string {
	claim := ""
	if iss != "" {
		claim = fmt.Sprintf(`"iss": %q, `, iss)
	}
	return fmt.Sprintf(`{%s"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"], "issuer": %q, "validFrom": "2025-01-01T00:00:00Z", "credentialSubject": {"id": "did:example:learner"}}`, claim, issuer)
}

// vpPayload is a vp+jwt payload: a presentation by holder, with iss.
func vpPayload(holder string) string {
	return fmt.Sprintf(`{"iss": %q, "@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"], "holder": %q}`, holder, holder)
}

// header is a protected header: alg EdDSA, typ, kid, and jwk when it is
// not nil.
func header(typ, kid string, jwk []byte) string {
	h := fmt.Sprintf(`{"alg": "EdDSA", "typ": %q, "kid": %q`, typ, kid)
	if jwk != nil {
		h += `, "jwk": ` + string(jwk)
	}
	return h + "}"
}

func thumbprint(t *testing.T, pub crypto.PublicKey) string {
	t.Helper()
	tp, err := keys.Thumbprint(pub)
	if err != nil {
		t.Fatal(err)
	}
	return tp
}

// document is a controller document of id listing key as #key-1 under the
// relationships rels.
func document(t *testing.T, id string, key crypto.PublicKey, rels ...string) []byte {
	t.Helper()
	mb, err := keys.PublicKeyMultibase(key)
	if err != nil {
		t.Fatal(err)
	}
	doc := map[string]any{
		"@context":           []string{keys.ContextDID, keys.ContextMultikey},
		"id":                 id,
		"verificationMethod": []map[string]string{{"id": id + "#key-1", "type": "Multikey", "controller": id, "publicKeyMultibase": mb}},
	}
	for _, r := range rels {
		doc[r] = []string{id + "#key-1"}
	}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// outcome is what a test expects of a verification.
type outcome struct {
	Verified       bool
	SignatureValid bool
	Method         string   // the method's id, "" if none was found
	Binding        string   // its binding, "" if none was found
	Is             []string // the sentinels the error wraps, of those in sentinels
}

// sentinels are the errors an outcome names.
var sentinels = map[string]error{
	"ErrKey": jose.ErrKey, "ErrSignature": jose.ErrSignature, "ErrClaims": jose.ErrClaims,
	"ErrUnconfirmed": did.ErrUnconfirmed, "ErrNotListed": did.ErrNotListed,
}

func outcomeOf(verified, sigValid bool, m *did.VerificationMethod, err error) outcome {
	o := outcome{Verified: verified, SignatureValid: sigValid}
	if m != nil {
		o.Method, o.Binding = m.ID, m.Binding.String()
	}
	for _, name := range []string{"ErrKey", "ErrSignature", "ErrClaims", "ErrUnconfirmed", "ErrNotListed"} {
		if errors.Is(err, sentinels[name]) {
			o.Is = append(o.Is, name)
		}
	}
	return o
}

// TestKeyDiscovery verifies tokens whose kid is not the verification
// method's URL, as VC-JOSE-COSE's Key Discovery allows beside an iss
// claim: a JWK thumbprint (RFC 7638), a JWK Thumbprint URI (RFC 9278), a
// fragment of iss. The victim's own key verifies, found in the victim's
// document by what it is; the attacker's key, named every way a kid can
// name it, never does: the document does not list it (failed), or the
// signature is not the key's it names (failed), or, without the document,
// nothing confirms it (undecided), or iss is not the issuer.
func TestKeyDiscovery(t *testing.T) {
	ctx := context.Background()
	victim, attacker := forgerytest.VictimKey(), forgerytest.AttackerKey()
	docs := forgerytest.VictimDocuments(t).ByID()
	docs[attackerHTTPS] = document(t, attackerHTTPS, attacker.Public(), did.AssertionMethod)
	// A victim whose key is listed for authentication only, and one
	// listing it twice: for authentication (#auth) and assertions.
	const authOnly, twice = "https://victim.example/auth-only", "https://victim.example/twice"
	docs[authOnly] = document(t, authOnly, victim.Public(), did.Authentication)
	mb, _ := keys.PublicKeyMultibase(victim.Public())
	docs[twice] = []byte(fmt.Sprintf(`{"id": %q, "verificationMethod": [
	  {"id": "#auth", "type": "Multikey", "controller": %[1]q, "publicKeyMultibase": %[2]q},
	  {"id": "#assert", "type": "Multikey", "controller": %[1]q, "publicKeyMultibase": %[2]q}],
	  "authentication": ["#auth"], "assertionMethod": ["#assert"]}`, twice, mb))
	withDocs := did.NewResolver(did.Options{Documents: docs})
	offline := did.NewResolver(did.Options{})

	victimTP, attackerTP := thumbprint(t, victim.Public()), thumbprint(t, attacker.Public())
	attackerJWK, err := keys.PublicJWK(attacker.Public(), "")
	if err != nil {
		t.Fatal(err)
	}
	const https, web = forgerytest.VictimHTTPS, forgerytest.VictimDID
	const vc = "vc+jwt"
	verified := func(id string) outcome { return outcome{true, true, id, "document", nil} }
	notListed := outcome{Is: []string{"ErrKey", "ErrNotListed"}}
	badSignature := func(id string) outcome {
		return outcome{Method: id, Binding: "document", Is: []string{"ErrSignature"}}
	}
	undecided := outcome{Is: []string{"ErrKey", "ErrUnconfirmed"}}
	for _, tc := range []struct {
		name     string
		resolver did.Resolver
		token    []byte
		want     outcome
	}{
		// The victim's key, found by its thumbprint in the victim's
		// document: https and did:web, the thumbprint bare and as a URI,
		// and a fragment of iss.
		{"https, thumbprint", withDocs, rawToken(victim, header(vc, victimTP, nil), vcPayload(https, https)), verified(https + "#key-1")},
		{"did:web, thumbprint", withDocs, rawToken(victim, header(vc, victimTP, nil), vcPayload(web, web)), verified(web + "#key-1")},
		{"https, thumbprint URI", withDocs, rawToken(victim, header(vc, "urn:ietf:params:oauth:jwk-thumbprint:sha-256:"+victimTP, nil), vcPayload(https, https)), verified(https + "#key-1")},
		{"https, #key-1", withDocs, rawToken(victim, header(vc, "#key-1", nil), vcPayload(https, https)), verified(https + "#key-1")},
		{"the method listed for assertions of two", withDocs, rawToken(victim, header(vc, victimTP, nil), vcPayload(twice, twice)), verified(twice + "#assert")},

		// The attacker's key.
		{"attacker, its thumbprint", withDocs, rawToken(attacker, header(vc, attackerTP, nil), vcPayload(https, https)), notListed},
		{"attacker, its thumbprint and jwk", withDocs, rawToken(attacker, header(vc, attackerTP, attackerJWK), vcPayload(https, https)), notListed},
		{"attacker, its thumbprint URI", withDocs, rawToken(attacker, header(vc, "urn:ietf:params:oauth:jwk-thumbprint:sha-256:"+attackerTP, nil), vcPayload(https, https)), notListed},
		{"attacker, the victim's thumbprint", withDocs, rawToken(attacker, header(vc, victimTP, nil), vcPayload(https, https)), badSignature(https + "#key-1")},
		{"attacker, the victim's thumbprint and its own jwk", withDocs, rawToken(attacker, header(vc, victimTP, attackerJWK), vcPayload(https, https)), outcome{Is: []string{"ErrKey"}}},
		{"attacker, #key-1", withDocs, rawToken(attacker, header(vc, "#key-1", nil), vcPayload(https, https)), badSignature(https + "#key-1")},
		{"attacker, did:web, its thumbprint", withDocs, rawToken(attacker, header(vc, attackerTP, nil), vcPayload(web, web)), notListed},
		// iss the attacker's own issuer, whose document lists the key;
		// the credential the victim's.
		{"attacker, iss its own issuer", withDocs, rawToken(attacker, header(vc, attackerTP, nil), vcPayload(https, attackerHTTPS)), outcome{false, true, attackerHTTPS + "#key-1", "document", []string{"ErrClaims"}}},
		{"attacker, its own issuer, no iss claim", withDocs, rawToken(attacker, header(vc, attackerTP, nil), vcPayload(attackerHTTPS, "")), outcome{Is: []string{"ErrKey"}}},
		// Without iss, a kid that is no URL names nothing (VC-JOSE-COSE):
		// even the victim's own key is refused.
		{"victim, thumbprint, no iss", withDocs, rawToken(victim, header(vc, victimTP, nil), vcPayload(https, "")), outcome{Is: []string{"ErrKey"}}},
		// A key the document lists, but not for assertions.
		{"victim, key for authentication only", withDocs, rawToken(victim, header(vc, victimTP, nil), vcPayload(authOnly, authOnly)), outcome{false, true, authOnly + "#key-1", "document", []string{"ErrKey"}}},

		// Offline: nothing confirms any key of the victim's.
		{"offline, victim", offline, rawToken(victim, header(vc, victimTP, nil), vcPayload(https, https)), undecided},
		{"offline, attacker", offline, rawToken(attacker, header(vc, attackerTP, nil), vcPayload(https, https)), undecided},
		{"offline, attacker with its jwk", offline, rawToken(attacker, header(vc, attackerTP, attackerJWK), vcPayload(https, https)), outcome{false, true, "", "asserted", []string{"ErrKey", "ErrUnconfirmed"}}},
		{"offline, attacker with its jwk and the victim's thumbprint", offline, rawToken(attacker, header(vc, victimTP, attackerJWK), vcPayload(https, https)), outcome{Is: []string{"ErrKey"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := (&jose.Verifier{Resolver: tc.resolver}).Verify(ctx, tc.token)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, outcomeOf(res.Verified, res.SignatureValid, res.Method, res.Err)); diff != "" {
				t.Errorf("(-want +got):\n%s\nerror: %v", diff, res.Err)
			}
		})
	}

	// Presentations: the holder's key, found by its thumbprint, must be
	// listed for authentication.
	for _, tc := range []struct {
		name  string
		token []byte
		want  outcome
	}{
		{"holder, key for authentication", rawToken(victim, header("vp+jwt", victimTP, nil), vpPayload(authOnly)), verified(authOnly + "#key-1")},
		{"holder, the method listed for authentication of two", rawToken(victim, header("vp+jwt", victimTP, nil), vpPayload(twice)), verified(twice + "#auth")},
		{"holder, key for assertions only", rawToken(victim, header("vp+jwt", victimTP, nil), vpPayload(https)), outcome{false, true, https + "#key-1", "document", []string{"ErrKey"}}},
		{"attacker as holder, its thumbprint", rawToken(attacker, header("vp+jwt", attackerTP, nil), vpPayload(authOnly)), notListed},
		{"attacker as holder, the victim's thumbprint", rawToken(attacker, header("vp+jwt", victimTP, nil), vpPayload(authOnly)), badSignature(authOnly + "#key-1")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := (&jose.Verifier{Resolver: withDocs}).VerifyPresentation(ctx, tc.token, nil)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, outcomeOf(res.Verified, res.SignatureValid, res.Method, res.Err)); diff != "" {
				t.Errorf("(-want +got):\n%s\nerror: %v", diff, res.Err)
			}
		})
	}
}
