package main

import (
	"bytes"
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/internal/forgerytest"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
	"github.com/go-openbadges/openbadges/status"
	"github.com/go-openbadges/openbadges/status/statussign"
	"github.com/go-openbadges/openbadges/verify"
)

// The forgery tests' parties (see forgerytest). The victim is a real
// issuer with a did:web DID and an https issuer URL, each publishing a
// document that lists its own key under assertionMethod; the attacker has
// an Ed25519 key of their own and nothing else.
const (
	victimWeb   = forgerytest.VictimDID
	victimHTTPS = forgerytest.VictimHTTPS
)

var (
	victimKey   = forgerytest.VictimKey()
	attackerKey = forgerytest.AttackerKey()
)

// docFetcher serves documents by URL, as the victim's web server would;
// any other URL cannot be reached.
type docFetcher map[string][]byte

func (f docFetcher) Fetch(ctx context.Context, url string) ([]byte, error) {
	if d, ok := f[url]; ok {
		return d, nil
	}
	return nil, fmt.Errorf("test fetcher: %s cannot be reached", url)
}

// signedBy returns unsigned("urn:uuid:…", issuer) signed by key: with a Data
// Integrity proof naming vm when jwt is false, else as a VC-JWT with kid vm,
// or with the public key in the header's jwk when vm is "". It is the
// verifiableCredential of a verify request: the object, or the token as a
// JSON string.
func signedBy(t *testing.T, key crypto.Signer, vm string, jwt bool, issuer string) json.RawMessage {
	t.Helper()
	cred := []byte(unsigned("urn:uuid:forgery", `"issuer":{"id":"`+issuer+`","name":"Victim University"},`))
	if !jwt {
		return forgerytest.SignDI(t, key, vm, cred)
	}
	b, _ := json.Marshal(string(forgerytest.SignJWT(t, key, vm, cred)))
	return b
}

// outcomeOf returns the outcome of the check id in a verify response's
// results.
func outcomeOf(m map[string]any, id string) string {
	rs, _ := m["results"].([]any)
	for _, r := range rs {
		if rm, _ := r.(map[string]any); rm["id"] == id {
			o, _ := rm["outcome"].(string)
			return o
		}
	}
	return ""
}

// TestVerifyForgery posts the attacker's credentials, each naming the
// victim as issuer and signed with the attacker's key, to POST
// /credentials/verify: each is 422, verified false, both on a server that
// cannot fetch the victim's documents (the key cannot be confirmed:
// indeterminate) and on one that can (the document refutes it: failed).
// The victim's own credentials are the positive controls.
func TestVerifyForgery(t *testing.T) {
	attackerMB, _ := keys.PublicKeyMultibase(attackerKey.Public())
	victimDIDKey, _ := keys.DIDKey(victimKey.Public())
	victimDIDJWK, _ := keys.DIDJWK(victimKey.Public())
	offline := newTestServer(t, config{})
	// The victim's documents (key-1 only, never the attacker's key), served
	// where did:web and https issuers publish them.
	online := newTestServer(t, config{Fetcher: docFetcher(forgerytest.VictimDocuments(t).ByURL())})
	const di, jwt = false, true
	tests := []struct {
		name string
		vc   json.RawMessage
		// The proof check's outcome without and with the victim's
		// documents; the HTTP status follows: 200 only when it passed.
		offline, online verify.Outcome
	}{
		{"DI, did:web issuer, fragment key", signedBy(t, attackerKey, victimWeb+"#"+attackerMB, di, victimWeb), verify.Indeterminate, verify.Failed},
		{"DI, https issuer, fragment key", signedBy(t, attackerKey, victimHTTPS+"#"+attackerMB, di, victimHTTPS), verify.Indeterminate, verify.Failed},
		{"VC-JWT, did:web issuer, kid with the key", signedBy(t, attackerKey, victimWeb+"#"+attackerMB, jwt, victimWeb), verify.Indeterminate, verify.Failed},
		{"VC-JWT, https issuer, kid with the key", signedBy(t, attackerKey, victimHTTPS+"#"+attackerMB, jwt, victimHTTPS), verify.Indeterminate, verify.Failed},
		// A did:key or did:jwk issuer is its own document: refuted at once.
		{"VC-JWT, header jwk, iss someone else's did:key", signedBy(t, attackerKey, "", jwt, victimDIDKey), verify.Failed, verify.Failed},
		{"VC-JWT, header jwk, iss a did:jwk", signedBy(t, attackerKey, "", jwt, victimDIDJWK), verify.Failed, verify.Failed},
		{"VC-JWT, header jwk, iss did:web", signedBy(t, attackerKey, "", jwt, victimWeb), verify.Indeterminate, verify.Failed},
		{"VC-JWT, header jwk, iss https", signedBy(t, attackerKey, "", jwt, victimHTTPS), verify.Indeterminate, verify.Failed},

		{"control: DI, did:web issuer", signedBy(t, victimKey, victimWeb+"#key-1", di, victimWeb), verify.Indeterminate, verify.Passed},
		{"control: DI, https issuer", signedBy(t, victimKey, victimHTTPS+"#key-1", di, victimHTTPS), verify.Indeterminate, verify.Passed},
		{"control: VC-JWT, header jwk, iss did:web", signedBy(t, victimKey, "", jwt, victimWeb), verify.Indeterminate, verify.Passed},
		{"control: VC-JWT, header jwk, iss https", signedBy(t, victimKey, "", jwt, victimHTTPS), verify.Indeterminate, verify.Passed},
	}
	type verdict struct {
		Code     int
		Verified any
		Proof    string
	}
	want := func(o verify.Outcome) verdict {
		if o == verify.Passed {
			return verdict{http.StatusOK, true, string(o)}
		}
		return verdict{http.StatusUnprocessableEntity, false, string(o)}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, srv := range []struct {
				name string
				h    http.Handler
				want verify.Outcome
			}{{"offline", offline, tt.offline}, {"with the victim's documents", online, tt.online}} {
				code, m, body := do(t, srv.h, "POST", "/credentials/verify", verifyBody(tt.vc))
				got := verdict{code, m["verified"], outcomeOf(m, verify.CheckProof)}
				if d := cmp.Diff(want(srv.want), got); d != "" {
					t.Errorf("%s (-want +got):\n%s\n%s", srv.name, d, body)
				}
				if code != http.StatusOK {
					if types := problemTypes(m); len(types) == 0 || slices.Contains(types, "(no title)") {
						t.Errorf("%s: problemDetails types = %v, want at least one, each with a title", srv.name, types)
					}
				}
			}
		})
	}
}

// TestVerifyStatusUndecided checks that a status that cannot be decided is
// not verified (422) on the VC API, whether the list cannot be had or does
// not verify; a list that verifies decides.
func TestVerifyStatusUndecided(t *testing.T) {
	ctx := context.Background()
	const listURL = "https://other.example/status/1"
	issuer := mustDID(t, testEd25519)
	vm, _ := keys.DIDKeyVerificationMethod(testEd25519.Public())
	reg := &status.Registry{Store: &status.MemoryStore{}}
	if _, err := reg.Create(ctx, listURL, nil); err != nil {
		t.Fatal(err)
	}
	entry, err := reg.Allocate(ctx, listURL)
	if err != nil {
		t.Fatal(err)
	}
	entryJSON, _ := json.Marshal(entry)
	signer := &dataintegrity.Signer{Key: testEd25519, VerificationMethod: vm}
	vc, err := signer.Sign(ctx, []byte(unsigned("urn:uuid:status-elsewhere", `"issuer":"`+issuer+`","credentialStatus":`+string(entryJSON)+`,`)), nil)
	if err != nil {
		t.Fatal(err)
	}
	list, err := reg.Publish(ctx, listURL, &status.PublishOptions{
		Issuer: issuer, Signer: statussign.DataIntegrity(signer, nil), ValidFrom: time.Now().Add(-time.Hour),
	})
	if err != nil {
		t.Fatal(err)
	}
	// The list edited after signing (every bit set): its proof fails, so
	// nothing it says can be believed.
	var lm map[string]any
	if err := json.Unmarshal(list, &lm); err != nil {
		t.Fatal(err)
	}
	bits, _ := status.NewBitstring(status.MinListLength)
	for i := range bits.Len() {
		bits.Set(i, true)
	}
	lm["credentialSubject"].(map[string]any)["encodedList"] = bits.Encode()
	tampered, err := json.Marshal(lm)
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name     string
		fetcher  docFetcher
		code     int
		outcome  verify.Outcome
		problems []string
	}{
		{"the list cannot be had", nil, 422, verify.Indeterminate, []string{problemStatusRetrieval}},
		{"the list does not verify", docFetcher{listURL: tampered}, 422, verify.Indeterminate, []string{problemStatusVerify}},
		{"the list verifies", docFetcher{listURL: list}, 200, verify.Passed, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config{}
			if tt.fetcher != nil {
				cfg.Fetcher = tt.fetcher
			}
			h := newTestServer(t, cfg)
			code, m, body := do(t, h, "POST", "/credentials/verify", verifyBody(vc))
			type verdict struct {
				Code     int
				Verified any
				Status   string
				Problems []string
			}
			want := verdict{tt.code, tt.code == 200, string(tt.outcome), tt.problems}
			got := verdict{code, m["verified"], outcomeOf(m, verify.CheckStatus), problemTypes(m)}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("(-want +got):\n%s\n%s", d, body)
			}
		})
	}
}

// TestVerifyOperatorDocuments posts credentials whose JWT names its key by
// JWK thumbprint beside iss (as the vc-jose-cose suite's do) to servers
// with and without the operator's documents (config.Documents, the
// -documents flag): the victim's own key verifies only with the victim's
// document; the attacker's never does. A key the request names in
// options.verificationMethod changes nothing: it is the word of the party
// being verified, not the operator's.
func TestVerifyOperatorDocuments(t *testing.T) {
	victimTP, _ := keys.Thumbprint(victimKey.Public())
	attackerTP, _ := keys.Thumbprint(attackerKey.Public())
	bare := newTestServer(t, config{})
	operator := newTestServer(t, config{Documents: forgerytest.VictimDocuments(t).ByID()})
	// A verification method the attacker sends along, naming its own key
	// as the victim's.
	attackerJWK, _ := keys.PublicJWK(attackerKey.Public(), attackerTP)
	asserted := `{"verificationMethod":{"id":"` + victimHTTPS + `#key-1","type":"JsonWebKey","controller":"` + victimHTTPS + `","publicKeyJwk":` + string(attackerJWK) + `}}`
	victimJWK, _ := keys.PublicJWK(victimKey.Public(), victimTP)
	assertedVictim := `{"verificationMethod":{"id":"` + victimHTTPS + `#key-1","type":"JsonWebKey","controller":"` + victimHTTPS + `","publicKeyJwk":` + string(victimJWK) + `}}`
	const jwt = true
	victimVC := signedBy(t, victimKey, victimTP, jwt, victimHTTPS)
	attackerVC := signedBy(t, attackerKey, attackerTP, jwt, victimHTTPS)
	forgedVC := signedBy(t, attackerKey, victimTP, jwt, victimHTTPS)
	type verdict struct {
		Code     int
		Verified any
		Proof    string
	}
	passed := verdict{http.StatusOK, true, string(verify.Passed)}
	failed := verdict{http.StatusUnprocessableEntity, false, string(verify.Failed)}
	undecided := verdict{http.StatusUnprocessableEntity, false, string(verify.Indeterminate)}
	for _, tt := range []struct {
		name    string
		h       http.Handler
		vc      json.RawMessage
		options string
		want    verdict
	}{
		{"victim, operator's documents", operator, victimVC, `{}`, passed},
		{"victim, no documents", bare, victimVC, `{}`, undecided},
		{"victim, no documents, its key in the request", bare, victimVC, assertedVictim, undecided},
		{"attacker's thumbprint, operator's documents", operator, attackerVC, `{}`, failed},
		{"attacker's thumbprint, operator's documents, its key in the request", operator, attackerVC, asserted, failed},
		{"attacker's thumbprint, no documents, its key in the request", bare, attackerVC, asserted, undecided},
		{"victim's thumbprint, attacker's signature", operator, forgedVC, `{}`, failed},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, m, body := do(t, tt.h, "POST", "/credentials/verify", `{"verifiableCredential":`+string(tt.vc)+`,"options":`+tt.options+`}`)
			got := verdict{code, m["verified"], outcomeOf(m, verify.CheckProof)}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("(-want +got):\n%s\n%s", d, body)
			}
		})
	}
}

// TestLoadDocuments reads the -documents offline map: file paths relative
// to the map's folder, documents inline; a map that is not one is an
// error that names the flag.
func TestLoadDocuments(t *testing.T) {
	dir := t.TempDir()
	docs := forgerytest.VictimDocuments(t)
	write := func(name, content string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("did.json", string(docs.DID))
	good := write("map.json", `{"`+victimWeb+`": "did.json", "`+victimHTTPS+`": `+string(docs.HTTPS)+`}`)
	bad := write("bad.json", `["did.json"]`)
	got, err := loadDocuments(good)
	if err != nil {
		t.Fatal(err)
	}
	// The file as it is; the inline document as its JSON value.
	want := map[string][]byte{victimWeb: docs.DID, victimHTTPS: bytes.TrimSpace(docs.HTTPS)}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	_, err = loadDocuments(bad)
	if want := "-documents " + bad + ": verify: offline map: want a JSON object mapping DIDs and URLs to documents or file paths"; err == nil || err.Error() != want || !errors.Is(err, verify.ErrDocumentMap) {
		t.Errorf("loadDocuments(%s) = %v, want %q", bad, err, want)
	}
}
