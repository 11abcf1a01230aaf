package webverify

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/internal/forgerytest"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/verify"
)

var key = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{0x42}, ed25519.SeedSize))

// signed returns a credential issued by key's did:key, with the email
// address ada@example.org hashed, and extra members spliced in.
func signed(t *testing.T, extra string) []byte {
	t.Helper()
	issuer, err := keys.DIDKey(key.Public())
	if err != nil {
		t.Fatal(err)
	}
	vm, err := keys.DIDKeyVerificationMethod(key.Public())
	if err != nil {
		t.Fatal(err)
	}
	cred := []byte(`{
  "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
  "id": "urn:uuid:0f7c3a52-95b4-4bb7-8e0e-6f0a3f1d2c11",
  "type": ["VerifiableCredential", "OpenBadgeCredential"],
  "issuer": {"id": "` + issuer + `", "type": ["Profile"], "name": "Example College"},
  ` + extra + `"validFrom": "2025-01-01T00:00:00Z",
  "name": "Welding",
  "credentialSubject": {
    "type": ["AchievementSubject"],
    "identifier": [{"type": "IdentityObject", "hashed": true, "identityHash": "` + credential.HashIdentity("ada@example.org", "salt") + `", "identityType": "emailAddress", "salt": "salt"}],
    "achievement": {"id": "https://example.edu/a/1", "type": ["Achievement"], "criteria": {"narrative": "Weld."}, "description": "Welding.", "name": "Welding"}
  }
}`)
	return forgerytest.SignDI(t, key, vm, cred)
}

// certs is a Certificates that records what it was asked to draw.
type certs struct{ calls int }

func (c *certs) Certificate(ctx context.Context, cred []byte, lang string) (string, error) {
	c.calls++
	return "<!doctype html><title>certificate</title>", nil
}

func TestVerify(t *testing.T) {
	good := signed(t, "")
	noList := signed(t, `"credentialStatus": {"id": "https://example.edu/status/1#3", "type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": "3", "statusListCredential": "https://example.edu/status/1"},
  `)
	for _, tc := range []struct {
		name    string
		input   []byte
		opts    Options
		verdict Verdict
		exit    int
		decide  []string // the decisive checks
		cert    bool
	}{
		{"verified", good, Options{}, VerdictVerified, 0, nil, true},
		{"tampered", bytes.Replace(good, []byte(`"name": "Welding"`), []byte(`"name": "Surgery"`), 1), Options{}, VerdictNotVerified, 1, []string{"proof"}, false},
		{"an untrusted issuer", good, Options{TrustedIssuers: []string{"did:web:other.example"}}, VerdictNotVerified, 1, []string{"issuer"}, false},
		{"expired by now", good, Options{Now: "2024-06-01T00:00:00Z"}, VerdictNotVerified, 1, []string{"validity"}, false},
		{"no status list", noList, Options{}, VerdictInconclusive, 3, []string{"status"}, false},
		{"no status list, accepted", noList, Options{AllowUnknownStatus: true}, VerdictVerifiedStatusUnknown, 0, []string{"status"}, true},
		{"not a badge", []byte("hello"), Options{}, VerdictError, 2, nil, false},
		{"too large", make([]byte, MaxInput+1), Options{}, VerdictError, 2, nil, false},
		{"a bad time", good, Options{Now: "yesterday"}, VerdictError, 2, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &certs{}
			w := &Verifier{Certificates: c}
			v := w.Verify(context.Background(), tc.input, &tc.opts)
			var decisive []string
			for _, d := range v.Decisive {
				decisive = append(decisive, d.ID)
			}
			if v.Verdict != tc.verdict || v.Exit != tc.exit || !cmp.Equal(decisive, tc.decide) {
				t.Errorf("%s, exit %d, decided by %q; want %s, exit %d, %q (%s)", v.Verdict, v.Exit, decisive, tc.verdict, tc.exit, tc.decide, v.Summary)
			}
			if got := c.calls == 1; got != tc.cert || (v.Certificate != "") != tc.cert {
				t.Errorf("certificate drawn: %v, want %v", got, tc.cert)
			}
			if v.Verdict == VerdictError {
				return
			}
			if v.Issuer.Name != "Example College" || v.Achievement.Name == "" {
				t.Errorf("issuer %q, achievement %q", v.Issuer.Name, v.Achievement.Name)
			}
			if !strings.HasPrefix(v.Line, map[int]string{0: "VERIFIED", 1: "NOT VERIFIED: ", 3: "NOT VERIFIED (inconclusive)"}[v.Exit]) {
				t.Errorf("line %q", v.Line)
			}
		})
	}
}

// TestIssuerKey checks what the issuer card says of the key.
func TestIssuerKey(t *testing.T) {
	w := &Verifier{}
	v := w.Verify(context.Background(), signed(t, ""), nil)
	if v.Issuer.Binding != "self" || !strings.HasPrefix(v.Issuer.KeyConfirmed, "Confirmed") {
		t.Errorf("did:key issuer: binding %q, %q", v.Issuer.Binding, v.Issuer.KeyConfirmed)
	}
	v = w.Verify(context.Background(), bytes.Replace(signed(t, ""), []byte(`"name": "Welding"`), []byte(`"name": "Surgery"`), 1), nil)
	if !strings.Contains(v.Issuer.KeyConfirmed, "changed after it was signed") {
		t.Errorf("tampered: %q", v.Issuer.KeyConfirmed)
	}
}

// TestSetup checks that the page's options make the Trust and Policy the
// command line's flags make.
func TestSetup(t *testing.T) {
	did := []byte(`{"id": "did:web:example.edu", "verificationMethod": []}`)
	o := Options{
		Files:          []File{{Name: "did.json", Data: did}},
		TrustedIssuers: []string{" did:web:example.edu ", ""},
		Now:            "2026-01-01T00:00:00Z",
		Strict:         true, AllowUnknownStatus: true, Network: true,
	}
	net := fetcherFunc(func(context.Context, string) ([]byte, error) { return nil, errors.New("no") })
	trust, policy, err := o.Setup(net)
	if err != nil {
		t.Fatal(err)
	}
	if !cmp.Equal(trust.Documents, map[string][]byte{"did:web:example.edu": did}) || !cmp.Equal(trust.TrustedIssuers, []string{"did:web:example.edu"}) || trust.Fetcher == nil {
		t.Errorf("trust %+v", trust)
	}
	want := verify.Policy{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Strict: true, AllowUnknownStatus: true}
	if !cmp.Equal(policy, want) {
		t.Errorf("policy %+v, want %+v", policy, want)
	}
	o.Network = false
	if trust, _, _ := o.Setup(net); trust.Fetcher != nil {
		t.Error("the network is used with the switch off")
	}
	o.Network = true
	if trust, _, _ := o.Setup(nil); trust.Fetcher != nil {
		t.Error("a fetcher from nowhere")
	}
}

type fetcherFunc func(context.Context, string) ([]byte, error)

func (f fetcherFunc) Fetch(ctx context.Context, url string) ([]byte, error) { return f(ctx, url) }

func TestDocuments(t *testing.T) {
	didDoc := []byte(`{"id": "did:web:example.edu", "verificationMethod": []}`)
	list := []byte(`{"@context": ["https://www.w3.org/ns/credentials/v2"], "id": "https://example.edu/status/1", "type": ["VerifiableCredential"]}`)
	jwt := []byte("eyJhbGciOiJFZERTQSJ9.eyJpZCI6Imh0dHBzOi8vZXhhbXBsZS5lZHUvc3RhdHVzLzIifQ.c2ln\n")
	for _, tc := range []struct {
		name   string
		files  []File
		want   map[string][]byte
		errs   map[string]string // file name to a part of its error
		failed bool
	}{
		{"documents by their ids", []File{{"did.json", didDoc}, {"list.json", list}},
			map[string][]byte{"did:web:example.edu": didDoc, "https://example.edu/status/1": list}, nil, false},
		{"an offline map and the files it names", []File{
			{"map.json", []byte(`{"did:web:example.edu": "did.json", "https://example.edu/status/2": "lists/list.jwt", "https://example.edu/inline": {"id": "x"}}`)},
			{"did.json", didDoc}, {"list.jwt", jwt}},
			map[string][]byte{"did:web:example.edu": didDoc, "https://example.edu/status/2": jwt, "https://example.edu/inline": []byte(`{"id": "x"}`)}, nil, false},
		{"a map naming a file not given", []File{{"map.json", []byte(`{"did:web:example.edu": "did.json"}`)}},
			nil, map[string]string{"map.json": "supply that file too"}, true},
		{"not JSON", []File{{"notes.txt", []byte("hello")}, {"did.json", didDoc}},
			map[string][]byte{"did:web:example.edu": didDoc}, map[string]string{"notes.txt": "not a JSON object"}, true},
		{"a document without an id", []File{{"x.json", []byte(`{"type": "Thing"}`)}},
			nil, map[string]string{"x.json": "no \"id\""}, true},
		{"a map key that is no URL", []File{{"map.json", []byte(`{"did:web:example.edu": {"id": "a"}, "relative/path": {"id": "b"}}`)}},
			nil, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			docs, described, err := Documents(tc.files)
			if (err != nil) != tc.failed {
				t.Errorf("error %v, want one: %v", err, tc.failed)
			}
			if tc.want != nil && !cmp.Equal(docs, tc.want) {
				t.Errorf("documents:\n%s", cmp.Diff(tc.want, docs))
			}
			for _, d := range described {
				if want, ok := tc.errs[d.Name]; ok && !strings.Contains(d.Error, want) {
					t.Errorf("%s: error %q, want %q", d.Name, d.Error, want)
				}
			}
		})
	}
}

func TestMatch(t *testing.T) {
	cred := signed(t, "")
	plain := []byte(`{"credentialSubject": {"identifier": [{"type": "IdentityObject", "hashed": false, "identityHash": "bob@example.org", "identityType": "emailAddress"}]}}`)
	mailto := []byte(`{"credentialSubject": {"id": "mailto:carol@example.org"}}`)
	byDID := []byte(`{"credentialSubject": {"id": "did:example:123"}}`)
	ob2 := []byte(`{"@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": "https://example.org/a/1", "badge": "https://example.org/b/1",
	  "recipient": {"type": "email", "hashed": true, "salt": "s", "identity": "` + credential.HashIdentity("dan@example.org", "s") + `"}}`)
	for _, tc := range []struct {
		cred  []byte
		email string
		want  string
	}{
		{cred, "ada@example.org", "yes"},
		{cred, " Ada@Example.org ", "yes"},
		{cred, "eve@example.org", "no"},
		{cred, "", "no"},
		{plain, "bob@example.org", "yes"},
		{plain, "eve@example.org", "no"},
		{mailto, "carol@example.org", "yes"},
		{byDID, "ada@example.org", "no"},
		{ob2, "dan@example.org", "yes"},
		{ob2, "eve@example.org", "no"},
		{[]byte(`{"credentialSubject": {"identifier": [{"type": "IdentityObject", "hashed": true, "identityHash": "sha1$00", "identityType": "emailAddress"}]}}`), "ada@example.org", "unknown"},
	} {
		got := Match(tc.cred, "emailAddress", tc.email)
		if got.Answer != tc.want {
			t.Errorf("Match(%.60s…, %q) = %+v, want %s", tc.cred, tc.email, got, tc.want)
		}
	}
}

// TestViewJSON checks that a View survives the trip to the page: what the
// page reads is there.
func TestViewJSON(t *testing.T) {
	v := (&Verifier{}).Verify(context.Background(), signed(t, ""), nil)
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"verdict", "exit", "title", "summary", "line", "issuer", "achievement", "subject", "dates", "checks", "network", "credential"} {
		if _, ok := m[k]; !ok {
			t.Errorf("the view has no %q: %s", k, b)
		}
	}
}
