package verify

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/fetch"
	"github.com/go-openbadges/openbadges/internal/forgerytest"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
	"github.com/go-openbadges/openbadges/status"
	"github.com/go-openbadges/openbadges/status/statussign"
)

// The victim (see forgerytest): an institution with a did:web and an https
// issuer id, each with its own real key, and the documents it publishes
// for them, each listing its real key (#key-1) under assertionMethod, and
// nothing else.
const (
	victimDID   = forgerytest.VictimDID
	victimHTTPS = forgerytest.VictimHTTPS
	// victimDIDURL is where did:web:victim.example's DID document is.
	victimDIDURL = forgerytest.VictimDIDURL
)

// signer is a key signing credentials for whatever issuer it is told:
// the real issuer's, or an attacker's naming someone else.
type signer struct {
	key ed25519.PrivateKey
}

// parties returns the victim's documents, the victim's real key and the
// attacker's own key.
func parties(t testing.TB) (docs forgerytest.Documents, real, attacker signer) {
	t.Helper()
	return forgerytest.VictimDocuments(t), signer{forgerytest.VictimKey()}, signer{forgerytest.AttackerKey()}
}

// as returns an issuer (for award) whose id is issuerID and whose proofs
// name the verification method vm, signed with s's key.
func (s signer) as(issuerID, vm string) *issuer {
	return &issuer{key: s.key, did: issuerID, vm: vm}
}

// multibase is s's public key as publicKeyMultibase: "z6Mk…".
func (s signer) multibase(t testing.TB) string {
	t.Helper()
	mb, err := keys.PublicKeyMultibase(s.key.Public())
	if err != nil {
		t.Fatal(err)
	}
	return mb
}

// jwtWithJWK signs doc as a VC-JWT whose header carries s's public key as
// jwk, and no kid.
func (s signer) jwtWithJWK(t testing.TB, doc []byte) []byte {
	t.Helper()
	return forgerytest.SignJWT(t, s.key, "", doc)
}

// verdict is what a test expects of a report: the verdict, and which
// checks failed and which were undecided.
type verdict struct {
	verified, inconclusive bool
	failed, undecided      []string
}

func (v verdict) check(t *testing.T, rep *Report) {
	t.Helper()
	got := outcomes(rep)
	delete(got, Warning)
	want := map[Outcome][]string{Failed: v.failed, Indeterminate: v.undecided}
	if d := cmp.Diff(want, got); d != "" || rep.Verified != v.verified || rep.Inconclusive != v.inconclusive {
		t.Errorf("verified %v inconclusive %v, want %v %v; failed and undecided checks (-want +got):\n%s\n%s", rep.Verified, rep.Inconclusive, v.verified, v.inconclusive, d, rep)
	}
}

var (
	// inconclusiveProof: nothing failed, the key is not confirmed.
	inconclusiveProof = verdict{false, true, nil, []string{CheckProof}}
	// failedProof: the proof fails, nothing is undecided.
	failedProof = verdict{false, false, []string{CheckProof}, nil}
)

// TestForgery signs credentials in a victim's name with an attacker's own
// Ed25519 key, naming the key as the victim's in every way a proof can (a
// fragment under the victim's did:web or https id, a JWT kid, a JWT
// header jwk), and checks that none verifies: without documents (the key
// is not confirmed: inconclusive; or, where the key can be compared with
// the issuer's, failed), with the victim's real document (which does not
// list the attacker's key: failed, not inconclusive), with the victim
// among the trusted issuers (which never confirms a key), and in strict
// mode. Before, the fragment and header keys verified, with a warning.
// The victim's real key, with its document, verifies (binding
// "document"): the control.
func TestForgery(t *testing.T) {
	ctx := context.Background()
	docs, real, attacker := parties(t)
	mb := attacker.multibase(t)
	// A third party's did:key and did:jwk, which the attacker names as
	// the issuer of a JWT whose header carries the attacker's key.
	third := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{3}, 32))
	thirdKey, err := keys.DIDKey(third.Public())
	if err != nil {
		t.Fatal(err)
	}
	thirdJWK, err := keys.DIDJWK(third.Public())
	if err != nil {
		t.Fatal(err)
	}
	// forge signs, with s's key, a credential naming issuerID, its proof
	// naming vm: a Data Integrity proof, or a VC-JWT with kid vm, or with
	// the key in the header's jwk when vm is "".
	forge := func(s signer, issuerID, vm string, jwt bool) []byte {
		doc := s.as(issuerID, vm).award(t, nil)
		if jwt {
			return forgerytest.SignJWT(t, s.key, vm, doc)
		}
		return forgerytest.SignDI(t, s.key, vm, doc)
	}
	for _, tc := range []struct {
		name   string
		input  []byte
		issuer string
		// offline is the verdict with no documents; the victim's real
		// document always makes it failedProof.
		offline verdict
	}{
		{"Data Integrity, did:web#attacker key", forge(attacker, victimDID, victimDID+"#"+mb, false), victimDID, inconclusiveProof},
		{"Data Integrity, https#attacker key", forge(attacker, victimHTTPS, victimHTTPS+"#"+mb, false), victimHTTPS, inconclusiveProof},
		{"Data Integrity, the attacker's did:key", forge(attacker, victimDID, mustVM(t, attacker.key.Public()), false), victimDID, failedProof},
		{"VC-JWT, kid did:web#attacker key", forge(attacker, victimDID, victimDID+"#"+mb, true), victimDID, inconclusiveProof},
		{"VC-JWT, kid https#attacker key", forge(attacker, victimHTTPS, victimHTTPS+"#"+mb, true), victimHTTPS, inconclusiveProof},
		{"VC-JWT, header jwk, iss another's did:key", forge(attacker, thirdKey, "", true), thirdKey, failedProof},
		{"VC-JWT, header jwk, iss a did:jwk", forge(attacker, thirdJWK, "", true), thirdJWK, failedProof},
		{"VC-JWT, header jwk, iss did:web", forge(attacker, victimDID, "", true), victimDID, inconclusiveProof},
		{"VC-JWT, header jwk, iss https", forge(attacker, victimHTTPS, "", true), victimHTTPS, inconclusiveProof},
	} {
		for _, setting := range []struct {
			name   string
			trust  Trust
			policy Policy
			want   verdict
		}{
			{"no documents", Trust{}, Policy{Now: t2026}, tc.offline},
			{"the victim's document", Trust{Documents: docs.ByID()}, Policy{Now: t2026}, failedProof},
			{"trusted issuer", Trust{TrustedIssuers: []string{tc.issuer}}, Policy{Now: t2026}, tc.offline},
			{"strict", Trust{}, Policy{Now: t2026, Strict: true}, tc.offline},
			{"all of them", Trust{Documents: docs.ByID(), TrustedIssuers: []string{tc.issuer}}, Policy{Now: t2026, Strict: true}, failedProof},
		} {
			t.Run(tc.name+"/"+setting.name, func(t *testing.T) {
				v, err := New(setting.trust)
				if err != nil {
					t.Fatal(err)
				}
				rep, err := v.Verify(ctx, tc.input, &setting.policy)
				if err != nil {
					t.Fatal(err)
				}
				if rep.Issuer != tc.issuer {
					t.Errorf("issuer %q, want %q", rep.Issuer, tc.issuer)
				}
				setting.want.check(t, rep)
				// Trusting the issuer never confirms a key.
				if c := rep.Check(CheckIssuer); len(setting.trust.TrustedIssuers) > 0 && c.Outcome != Passed {
					t.Errorf("issuer check %s %q, want passed", c.Outcome, c.Message)
				}
				p := rep.Check(CheckProof)
				for _, d := range p.Details.([]ProofDetail) {
					if d.Verified || d.Binding == "self" && d.Controller == tc.issuer {
						t.Errorf("a forged proof verified, or is bound to the issuer: %+v", d)
					}
				}
				if setting.want.inconclusive && !strings.Contains(p.Message, "would confirm or refute it: supply it in Trust.Documents") {
					t.Errorf("the undecided proof does not say what would settle it: %s", p.Message)
				}
			})
		}
	}

	// The control: the victim's real key, named as its documents name it,
	// verifies with the document (and only with it).
	for _, tc := range []struct {
		name  string
		input []byte
	}{
		{"Data Integrity, did:web", forge(real, victimDID, victimDID+"#key-1", false)},
		{"Data Integrity, https", forge(real, victimHTTPS, victimHTTPS+"#key-1", false)},
		{"VC-JWT, kid did:web", forge(real, victimDID, victimDID+"#key-1", true)},
		{"VC-JWT, kid https", forge(real, victimHTTPS, victimHTTPS+"#key-1", true)},
		{"VC-JWT, header jwk, iss did:web", forge(real, victimDID, "", true)},
		{"VC-JWT, header jwk, iss https", forge(real, victimHTTPS, "", true)},
	} {
		t.Run("real key/"+tc.name, func(t *testing.T) {
			rep, err := Verify(ctx, tc.input, &Trust{Documents: docs.ByID()}, &Policy{Now: t2026, Strict: true})
			if err != nil {
				t.Fatal(err)
			}
			verdict{true, false, nil, nil}.check(t, rep)
			p := rep.Check(CheckProof)
			if ds := p.Details.([]ProofDetail); len(ds) != 1 || !ds[0].Verified || ds[0].Binding != "document" || !strings.Contains(p.Message, "(key bound to its controller: document)") {
				t.Errorf("proof %s %q %+v, want verified with binding document", p.Outcome, p.Message, p.Details)
			}
			// Without the document, nothing confirms even the real key.
			rep, err = Verify(ctx, tc.input, nil, &Policy{Now: t2026})
			if err != nil {
				t.Fatal(err)
			}
			inconclusiveProof.check(t, rep)
		})
	}
}

func mustVM(t testing.TB, pub crypto.PublicKey) string {
	t.Helper()
	vm, err := keys.DIDKeyVerificationMethod(pub)
	if err != nil {
		t.Fatal(err)
	}
	return vm
}

// hostFetcher fetches https://victim.example/... from a test server: it
// rewrites the scheme and host of each URL to the server's, and fetches
// with fetch.HTTP, its network policy on, allowing only the server's
// loopback address.
type hostFetcher struct {
	srv *httptest.Server
}

func (f hostFetcher) Fetch(ctx context.Context, url string) ([]byte, error) {
	rest, ok := strings.CutPrefix(url, "https://victim.example/")
	if !ok {
		return nil, fmt.Errorf("hostFetcher: %s is not on victim.example", url)
	}
	return fetch.HTTP{Client: f.srv.Client(), AllowHosts: []string{"127.0.0.1"}}.Fetch(ctx, f.srv.URL+"/"+rest)
}

// TestTLSIssuers verifies did:web and https issuers' credentials with the
// issuer's document fetched over TLS (a test server standing for
// victim.example, through fetch.HTTP): the real key verifies, bound by the
// document, and Report.Fetched records the document; a forged key fails
// (the document does not list it); a document that is not there (404)
// fails; a server that cannot answer (500) leaves the credential
// inconclusive.
func TestTLSIssuers(t *testing.T) {
	ctx := context.Background()
	docs, real, attacker := parties(t)
	mb := attacker.multibase(t)
	const goneIssuer, brokenIssuer = "https://victim.example/gone", "https://victim.example/broken"

	// A status list of the did:web issuer, signed with its real key and
	// served beside its DID document.
	const listURL = "https://victim.example/status/1"
	reg := &status.Registry{Store: &status.MemoryStore{}, Now: func() time.Time { return t2025 }}
	if _, err := reg.Create(ctx, listURL, nil); err != nil {
		t.Fatal(err)
	}
	entry, err := reg.Allocate(ctx, listURL)
	if err != nil {
		t.Fatal(err)
	}
	list, err := reg.Publish(ctx, listURL, &status.PublishOptions{Issuer: victimDID, Signer: statussign.DataIntegrity(&dataintegrity.Signer{Key: real.key, VerificationMethod: victimDID + "#key-1"}, nil), Validity: 3 * 365 * 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}

	mux := http.NewServeMux()
	serve := func(path string, body []byte) {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write(body)
		})
	}
	serve("/.well-known/did.json", docs.DID)
	serve("/issuer", docs.HTTPS)
	serve("/status/1", list)
	mux.HandleFunc("/gone", http.NotFound)
	mux.HandleFunc("/broken", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "down", http.StatusInternalServerError) })
	srv := httptest.NewTLSServer(mux)
	defer srv.Close()

	v, err := New(Trust{Fetcher: hostFetcher{srv}})
	if err != nil {
		t.Fatal(err)
	}
	didFetched := Fetched{URL: victimDIDURL, From: "network", Bytes: len(docs.DID)}
	httpsFetched := Fetched{URL: victimHTTPS, From: "network", Bytes: len(docs.HTTPS)}
	withStatus := func(c *credential.AchievementCredential) {
		c.CredentialStatus = credential.OneOrMany[credential.CredentialStatus]{statusOf(*entry)}
	}
	for _, tc := range []struct {
		name    string
		input   []byte
		want    verdict
		fetched []Fetched
		message string // the proof check's
	}{
		{"did:web, Data Integrity", real.as(victimDID, victimDID+"#key-1").signDI(t, real.as(victimDID, "").award(t, nil)), verdict{true, false, nil, nil}, []Fetched{didFetched}, "(key bound to its controller: document)"},
		{"did:web, VC-JWT kid", real.as(victimDID, victimDID+"#key-1").signJWT(t, real.as(victimDID, "").award(t, nil)), verdict{true, false, nil, nil}, []Fetched{didFetched}, "verified: VC-JWT EdDSA by " + victimDID},
		{"did:web, VC-JWT header jwk", real.jwtWithJWK(t, real.as(victimDID, "").award(t, nil)), verdict{true, false, nil, nil}, []Fetched{didFetched}, "verified: VC-JWT EdDSA by " + victimDID},
		{"did:web, with its status list", real.as(victimDID, victimDID+"#key-1").signDI(t, real.as(victimDID, "").award(t, withStatus)), verdict{true, false, nil, nil},
			// The DID document confirms the credential's key and the
			// list's: fetched once for the call.
			[]Fetched{didFetched, {URL: listURL, From: "network", Bytes: len(list)}}, "(key bound to its controller: document)"},
		{"https, Data Integrity", real.as(victimHTTPS, victimHTTPS+"#key-1").signDI(t, real.as(victimHTTPS, "").award(t, nil)), verdict{true, false, nil, nil}, []Fetched{httpsFetched}, "(key bound to its controller: document)"},
		{"https, VC-JWT header jwk", real.jwtWithJWK(t, real.as(victimHTTPS, "").award(t, nil)), verdict{true, false, nil, nil}, []Fetched{httpsFetched}, "verified: VC-JWT EdDSA by " + victimHTTPS},
		{"did:web, forged", attacker.as(victimDID, victimDID+"#"+mb).signDI(t, attacker.as(victimDID, "").award(t, nil)), failedProof, []Fetched{didFetched}, "does not list the verification method"},
		{"https, forged", attacker.as(victimHTTPS, victimHTTPS+"#"+mb).signDI(t, attacker.as(victimHTTPS, "").award(t, nil)), failedProof, []Fetched{httpsFetched}, "does not list the verification method"},
		{"https, forged VC-JWT header jwk", attacker.jwtWithJWK(t, attacker.as(victimHTTPS, "").award(t, nil)), failedProof, []Fetched{httpsFetched}, "the header's jwk is not a key of the issuer"},
		{"https, no document (404)", attacker.as(goneIssuer, goneIssuer+"#"+mb).signDI(t, attacker.as(goneIssuer, "").award(t, nil)), failedProof,
			[]Fetched{{URL: goneIssuer, From: "network", Error: `fetch: "` + srv.URL + `/gone": status 404 Not Found, want 200`}}, "cannot resolve the verification method"},
		{"https, server error (500)", attacker.as(brokenIssuer, brokenIssuer+"#"+mb).signDI(t, attacker.as(brokenIssuer, "").award(t, nil)), inconclusiveProof,
			[]Fetched{{URL: brokenIssuer, From: "network", Error: `fetch: "` + srv.URL + `/broken": status 500 Internal Server Error, want 200`}}, "the controller document of " + brokenIssuer + " (published at that URL) would confirm or refute it"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := v.Verify(ctx, tc.input, &Policy{Now: t2026})
			if err != nil {
				t.Fatal(err)
			}
			tc.want.check(t, rep)
			if p := rep.Check(CheckProof); !strings.Contains(p.Message, tc.message) {
				t.Errorf("proof %s: %s\nwant it to say %q", p.Outcome, p.Message, tc.message)
			}
			if d := cmp.Diff(tc.fetched, rep.Fetched); d != "" {
				t.Errorf("fetched (-want +got):\n%s", d)
			}
		})
	}
}

// TestStatusFailClosed checks every way a status can be left undecided:
// the credential is then not verified, and the report inconclusive, by
// default (before, it was verified unless RequireStatus); with
// Policy.AllowUnknownStatus it is verified, the status check still
// indeterminate and the report still inconclusive. A revoked or suspended
// credential is never verified, whatever the policy.
func TestStatusFailClosed(t *testing.T) {
	ctx := context.Background()
	is, other := newIssuer(t, 1), newIssuer(t, 2)
	const revURL, susURL = "https://example.edu/status/rev", "https://example.edu/status/sus"
	reg := &status.Registry{Store: &status.MemoryStore{}, Now: func() time.Time { return t2025 }}
	entries := map[string]*status.Entry{}
	for url, purpose := range map[string]status.Purpose{revURL: status.Revocation, susURL: status.Suspension} {
		if _, err := reg.Create(ctx, url, &status.ListOptions{Purpose: purpose}); err != nil {
			t.Fatal(err)
		}
		e, err := reg.Allocate(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		entries[url] = e
	}
	credWith := func(url string) []byte {
		return is.signDI(t, is.award(t, func(c *credential.AchievementCredential) {
			c.CredentialStatus = credential.OneOrMany[credential.CredentialStatus]{statusOf(*entries[url])}
		}))
	}
	cred := credWith(revURL)
	// publish publishes url's list signed by s, valid from from for
	// validity (both zero: 2025 for three years), edited by edit before
	// it is signed.
	publish := func(url string, s *issuer, from time.Time, validity time.Duration, edit func(c, subject map[string]any)) []byte {
		if from.IsZero() {
			from, validity = t2025, 3*365*24*time.Hour
		}
		di := &dataintegrity.Signer{Key: s.key, VerificationMethod: s.vm}
		var sign status.Signer = statussign.DataIntegrity(di, nil)
		if edit != nil {
			sign = status.SignerFunc(func(ctx context.Context, unsigned []byte) ([]byte, error) {
				var c map[string]any
				if err := json.Unmarshal(unsigned, &c); err != nil {
					return nil, err
				}
				edit(c, c["credentialSubject"].(map[string]any))
				b, err := json.Marshal(c)
				if err != nil {
					return nil, err
				}
				return di.Sign(ctx, b, nil)
			})
		}
		b, err := reg.Publish(ctx, url, &status.PublishOptions{Issuer: s.did, Signer: sign, ValidFrom: from, Validity: validity})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	good := publish(revURL, is, time.Time{}, 0, nil)
	short, err := status.NewBitstring(8 * 1024)
	if err != nil {
		t.Fatal(err)
	}
	down := fetcherFunc(func(ctx context.Context, url string) ([]byte, error) {
		return nil, errors.New("connection refused")
	})

	for _, tc := range []struct {
		name    string
		trust   Trust
		message string // in the status check's
	}{
		{"list not available", Trust{}, "status: the status list could not be retrieved: " + revURL + ": not in Trust.Documents, and fetching is off"},
		{"list not available: the network fails", Trust{Fetcher: down}, "status: the status list could not be retrieved: " + revURL + ": connection refused"},
		{"list tampered", Trust{Documents: map[string][]byte{revURL: mustReplace(t, good, `"validUntil":"2028-01-01T00:00:00Z"`, `"validUntil":"2099-01-01T00:00:00Z"`)}}, "status: the status list does not verify: " + revURL},
		{"list signed by another key", Trust{Documents: map[string][]byte{revURL: publish(revURL, &issuer{key: other.key, did: is.did, vm: other.vm}, time.Time{}, 0, nil)}}, "status: the status list does not verify: " + revURL},
		{"list of another issuer", Trust{Documents: map[string][]byte{revURL: publish(revURL, other, time.Time{}, 0, nil)}}, "status: the status list does not verify: the list's issuer"},
		{"list expired", Trust{Documents: map[string][]byte{revURL: publish(revURL, is, t2025, 24*time.Hour, nil)}}, "status: the status list has expired: the list was valid until 2025-01-02T00:00:00Z"},
		{"list not yet valid", Trust{Documents: map[string][]byte{revURL: publish(revURL, is, t2027, 24*time.Hour, nil)}}, "status: the status list is not yet valid: the list is valid from 2027-01-01T00:00:00Z"},
		{"list of the wrong type", Trust{Documents: map[string][]byte{revURL: publish(revURL, is, time.Time{}, 0, func(c, _ map[string]any) { c["type"] = []string{"VerifiableCredential"} })}}, `does not include BitstringStatusListCredential`},
		{"list of another purpose", Trust{Documents: map[string][]byte{revURL: publish(revURL, is, time.Time{}, 0, func(_, s map[string]any) { s["statusPurpose"] = "suspension" })}}, `the list's statusPurpose is "suspension", not the entry's "revocation"`},
		{"list too short (STATUS_LIST_LENGTH_ERROR)", Trust{Documents: map[string][]byte{revURL: publish(revURL, is, time.Time{}, 0, func(_, s map[string]any) { s["encodedList"] = short.Encode() })}}, "status: the status list is too short: " + revURL + " has 8192 entries, fewer than 131072"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := New(tc.trust)
			if err != nil {
				t.Fatal(err)
			}
			for _, allow := range []bool{false, true} {
				rep, err := v.Verify(ctx, cred, &Policy{Now: t2026, AllowUnknownStatus: allow})
				if err != nil {
					t.Fatal(err)
				}
				verdict{allow, true, nil, []string{CheckStatus}}.check(t, rep)
				if c := rep.Check(CheckStatus); !strings.HasPrefix(c.Message, "the status could not be decided: ") || !strings.Contains(c.Message, tc.message) {
					t.Errorf("AllowUnknownStatus %v: status %q, want it to say %q", allow, c.Message, tc.message)
				}
				wantVerdict := map[bool]string{false: "NOT VERIFIED (inconclusive): ", true: "VERIFIED (status unknown, accepted by policy): "}[allow]
				if !strings.HasPrefix(rep.String(), wantVerdict) {
					t.Errorf("AllowUnknownStatus %v: %s, want it to start %q", allow, rep, wantVerdict)
				}
			}
		})
	}

	// Revoked and suspended: decided, and never verified.
	if err := reg.Revoke(ctx, revURL, mustIndex(t, entries[revURL])); err != nil {
		t.Fatal(err)
	}
	if err := reg.Suspend(ctx, susURL, mustIndex(t, entries[susURL])); err != nil {
		t.Fatal(err)
	}
	docs := map[string][]byte{revURL: publish(revURL, is, time.Time{}, 0, nil), susURL: publish(susURL, is, time.Time{}, 0, nil)}
	for _, tc := range []struct {
		name    string
		input   []byte
		message string
	}{
		{"revoked", cred, "revoked: bit " + entries[revURL].StatusListIndex + " of " + revURL + " is 1: revoked"},
		{"suspended", credWith(susURL), "suspended: bit " + entries[susURL].StatusListIndex + " of " + susURL + " is 1: suspended"},
	} {
		for _, allow := range []bool{false, true} {
			rep, err := Verify(ctx, tc.input, &Trust{Documents: docs}, &Policy{Now: t2026, AllowUnknownStatus: allow})
			if err != nil {
				t.Fatal(err)
			}
			t.Run(fmt.Sprintf("%s, AllowUnknownStatus %v", tc.name, allow), func(t *testing.T) {
				verdict{false, false, []string{CheckStatus}, nil}.check(t, rep)
				if c := rep.Check(CheckStatus); c.Message != tc.message {
					t.Errorf("status %q, want %q", c.Message, tc.message)
				}
			})
		}
	}
}

// mustReplace returns b with old replaced by new, once; old must be there.
func mustReplace(t testing.TB, b []byte, old, new string) []byte {
	t.Helper()
	if !bytes.Contains(b, []byte(old)) {
		t.Fatalf("%q is not in %.200s", old, b)
	}
	return bytes.Replace(b, []byte(old), []byte(new), 1)
}

func mustIndex(t testing.TB, e *status.Entry) int {
	t.Helper()
	i, err := e.Index()
	if err != nil {
		t.Fatal(err)
	}
	return i
}

// fetcherFunc adapts a function to a fetch.Fetcher.
type fetcherFunc func(ctx context.Context, url string) ([]byte, error)

func (f fetcherFunc) Fetch(ctx context.Context, url string) ([]byte, error) { return f(ctx, url) }

// TestReportVerdicts checks the verdict line Report.String begins with,
// for each of the four verdicts, and that a report with a failed check
// says NOT VERIFIED even when something else is undecided.
func TestReportVerdicts(t *testing.T) {
	ctx := context.Background()
	is := newIssuer(t, 1)
	good := is.signDI(t, is.award(t, nil))
	withStatus := is.signDI(t, is.award(t, func(c *credential.AchievementCredential) {
		e := status.Entry{ID: "https://example.edu/status/1#7", Type: "BitstringStatusListEntry", StatusPurpose: status.Revocation, StatusListIndex: "7", StatusListCredential: "https://example.edu/status/1"}
		c.CredentialStatus = credential.OneOrMany[credential.CredentialStatus]{statusOf(e)}
	}))
	from := " from " + is.did
	for _, tc := range []struct {
		name   string
		input  []byte
		policy Policy
		want   string
	}{
		{"verified", good, Policy{Now: t2026}, "VERIFIED: json AchievementCredential (VCDM 2.0)" + from},
		{"a check failed", bytes.Replace(good, []byte("Pass the exam."), []byte("Pass the quiz."), 1), Policy{Now: t2026}, "NOT VERIFIED: json AchievementCredential (VCDM 2.0)" + from},
		{"nothing failed, the status undecided", withStatus, Policy{Now: t2026}, "NOT VERIFIED (inconclusive): json AchievementCredential (VCDM 2.0)" + from},
		{"the status undecided, accepted", withStatus, Policy{Now: t2026, AllowUnknownStatus: true}, "VERIFIED (status unknown, accepted by policy): json AchievementCredential (VCDM 2.0)" + from},
		{"failed and undecided", withStatus, Policy{Now: time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC), AllowUnknownStatus: true}, "NOT VERIFIED: json AchievementCredential (VCDM 2.0)" + from},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := Verify(ctx, tc.input, nil, &tc.policy)
			if err != nil {
				t.Fatal(err)
			}
			if line, _, _ := strings.Cut(rep.String(), "\n"); line != tc.want {
				t.Errorf("verdict line %q, want %q\n%s", line, tc.want, rep)
			}
		})
	}
}

// TestFetchedOfflineDocuments checks that a report lists the issuer's
// document read from Trust.Documents (the resolver reads it, not the
// fetcher, so it used to go unlisted), once.
func TestFetchedOfflineDocuments(t *testing.T) {
	docs := issuerDocuments(t)
	input, err := os.ReadFile("testdata/ob30/simple.json")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Verify(context.Background(), input, &Trust{Documents: docs}, &Policy{Now: fixtureNow})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Verified {
		t.Fatalf("not verified:\n%s", rep)
	}
	var got []Fetched
	for _, f := range rep.Fetched {
		if f.URL == rep.Issuer {
			got = append(got, f)
		}
	}
	want := []Fetched{{URL: rep.Issuer, From: "offline map", Bytes: len(docs[rep.Issuer])}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("the issuer's document in Fetched (-want +got):\n%s", d)
	}
}
