package oid4vci

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/issuer"
	"github.com/go-openbadges/openbadges/keys"
)

const testBase = "https://badges.example.edu/lms"

// clock is a settable clock for the Server.
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

// fixture is an issuer with an issued award and one in review, and a
// Server for them.
type fixture struct {
	is      *issuer.Issuer
	srv     *Server
	clock   *clock
	issued  string // award keys
	review  *issuer.Issued
	issuerD string // the issuer's DID
}

func achievement(id, name string) *credential.Achievement {
	return &credential.Achievement{
		ID: "https://example.edu/achievements/" + id, Name: name, Description: "Descriptive statistics.",
		Criteria: &credential.Criteria{Narrative: "Pass the exam."}, InLanguage: "en",
		Image: &credential.Image{ID: "https://example.edu/achievements/" + id + ".png", Caption: name + " badge"},
	}
}

// newFixture returns a fixture whose Server has base as BaseURL; edit,
// if not nil, changes its Config before New.
func newFixture(t testing.TB, base string, edit func(*Config)) *fixture {
	t.Helper()
	ctx := context.Background()
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32))
	issuerDID, _ := keys.DIDKey(key.Public())
	vm, _ := keys.DIDKeyVerificationMethod(key.Public())
	k, err := keys.NewKey(vm, issuerDID, key)
	if err != nil {
		t.Fatal(err)
	}
	store := &keys.MemoryStore{}
	if err := store.Add(ctx, k); err != nil {
		t.Fatal(err)
	}
	award := func(v issuer.Verdict) issuer.Func {
		return func(ctx context.Context, s *issuer.Submission, a *credential.Achievement) (issuer.Decision, error) {
			return issuer.Decision{Verdict: v, Reasons: []string{"as the test says"}}, nil
		}
	}
	is, err := issuer.New(issuer.Config{
		Issuer: &credential.Profile{ID: issuerDID, Name: "Example College"},
		Keys:   store,
		Achievements: []issuer.Achievement{
			{Achievement: achievement("stats", "Statistics"), Evaluator: award(issuer.Award)},
			{Achievement: achievement("essay", "Essay"), Evaluator: award(issuer.Review)},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	learner := issuer.Learner{Email: "ada@example.org"}
	out, err := is.Issue(ctx, &issuer.Submission{Learner: learner, AchievementID: "https://example.edu/achievements/stats", Completed: true})
	if err != nil || out.State != issuer.StateIssued {
		t.Fatal(out, err)
	}
	rev, err := is.Issue(ctx, &issuer.Submission{Learner: learner, AchievementID: "https://example.edu/achievements/essay", Completed: true})
	if err != nil || rev.State != issuer.StateInReview {
		t.Fatal(rev, err)
	}
	c := &clock{t: time.Now()}
	cfg := Config{
		Issuer:       is,
		BaseURL:      base,
		Display:      []Display{{Name: "Example College", Locale: "en"}},
		Achievements: map[string]*credential.Achievement{"Statistics": achievement("stats", "Statistics")},
		Translations: map[string][]Display{"Statistics": {{Name: "Statistique", Locale: "fr", Description: "Statistique descriptive."}}},
		Now:          c.Now,
	}
	if edit != nil {
		edit(&cfg)
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{is: is, srv: srv, clock: c, issued: out.AwardKey, review: rev, issuerD: issuerDID}
}

// offerOf decodes the offer object of an offer made by value.
func offerOf(t testing.TB, o *Offer) credentialOffer {
	t.Helper()
	u, err := url.Parse(o.URI)
	if err != nil {
		t.Fatal(err)
	}
	var co credentialOffer
	if err := json.Unmarshal([]byte(u.Query().Get("credential_offer")), &co); err != nil {
		t.Fatalf("%s: %v", o.URI, err)
	}
	return co
}

// response is an HTTP response as a test reads it.
type response struct {
	status int
	header http.Header
	body   map[string]any
	raw    []byte
}

func (r response) str(name string) string { s, _ := r.body[name].(string); return s }

// do sends a request to the Server.
func (f *fixture) do(t testing.TB, method, path, contentType, token string, body []byte) response {
	t.Helper()
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	w := httptest.NewRecorder()
	f.srv.ServeHTTP(w, req)
	out := response{status: w.Code, header: w.Header(), raw: w.Body.Bytes()}
	if len(out.raw) > 0 {
		json.Unmarshal(out.raw, &out.body)
	}
	return out
}

func (f *fixture) token(t testing.TB, form url.Values) response {
	return f.do(t, "POST", f.srv.path+"/token", "application/x-www-form-urlencoded", "", []byte(form.Encode()))
}

func (f *fixture) nonce(t testing.TB) string {
	t.Helper()
	r := f.do(t, "POST", f.srv.path+"/nonce", "", "", nil)
	if r.status != 200 || r.str("c_nonce") == "" {
		t.Fatalf("nonce: %d %s", r.status, r.raw)
	}
	return r.str("c_nonce")
}

func (f *fixture) credential(t testing.TB, token string, req any) response {
	t.Helper()
	b, _ := json.Marshal(req)
	return f.do(t, "POST", f.srv.path+"/credential", "application/json", token, b)
}

// accessToken runs the offer and token steps for awardKey.
func (f *fixture) accessToken(t testing.TB, awardKey string) (string, *Offer) {
	t.Helper()
	o, err := f.srv.Offer(context.Background(), awardKey, &OfferOptions{TxCode: true})
	if err != nil {
		t.Fatal(err)
	}
	code := offerOf(t, o).Grants[GrantPreAuthorized].PreAuthorizedCode
	r := f.token(t, url.Values{"grant_type": {GrantPreAuthorized}, "pre-authorized_code": {code}, "tx_code": {o.TxCode}})
	if r.status != 200 || r.str("access_token") == "" {
		t.Fatalf("token: %d %s", r.status, r.raw)
	}
	return r.str("access_token"), o
}

// wallet is a holder's key.
type wallet struct {
	key crypto.Signer
	did string // the DID its credential is about
	vm  string // its verification method (kid)
	jwk json.RawMessage
}

func newWallet(t testing.TB, p256 bool) *wallet {
	t.Helper()
	var k crypto.Signer
	var err error
	if p256 {
		k, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	} else {
		_, k, err = ed25519.GenerateKey(rand.Reader)
	}
	if err != nil {
		t.Fatal(err)
	}
	w := &wallet{key: k}
	w.vm, _ = keys.DIDKeyVerificationMethod(k.Public())
	w.did, _, _ = strings.Cut(w.vm, "#")
	w.jwk, _ = keys.PublicJWK(k.Public(), "")
	return w
}

// sign makes a compact JWS of header and claims with w's key.
func (w *wallet) sign(t testing.TB, header, claims map[string]any) string {
	t.Helper()
	h, _ := json.Marshal(header)
	c, _ := json.Marshal(claims)
	input := base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(c)
	var sig []byte
	var err error
	switch k := w.key.(type) {
	case ed25519.PrivateKey:
		sig = ed25519.Sign(k, []byte(input))
	case *ecdsa.PrivateKey:
		sum := sha256.Sum256([]byte(input))
		r, s, e := ecdsa.Sign(rand.Reader, k, sum[:])
		err = e
		sig = append(r.FillBytes(make([]byte, 32)), s.FillBytes(make([]byte, 32))...)
	}
	if err != nil {
		t.Fatal(err)
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig)
}

func (w *wallet) alg() string {
	if _, ok := w.key.(*ecdsa.PrivateKey); ok {
		return "ES256"
	}
	return "EdDSA"
}

// proof is a well-formed key proof naming w's key by kid (or, with jwk,
// giving it), over nonce, for aud.
func (w *wallet) proof(t testing.TB, aud, nonce string, jwk bool, now time.Time) string {
	h := map[string]any{"typ": proofType, "alg": w.alg(), "kid": w.vm}
	if jwk {
		delete(h, "kid")
		h["jwk"] = w.jwk
	}
	return w.sign(t, h, map[string]any{"aud": aud, "iat": now.Unix(), "nonce": nonce})
}

func proofsOf(jwts ...string) map[string]any { return map[string]any{"jwt": jwts} }
