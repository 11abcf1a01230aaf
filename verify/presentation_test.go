package verify

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/did"
	"github.com/go-openbadges/openbadges/internal/forgerytest"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/present"
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
	"github.com/go-openbadges/openbadges/proof/jose"
	"github.com/go-openbadges/openbadges/status"
	"github.com/go-openbadges/openbadges/status/statussign"
)

// holderDoc is a did:web holder's DID document listing key as #key-1
// under authentication.
func holderDoc(t testing.TB, id string, key ed25519.PrivateKey) []byte {
	t.Helper()
	mb, err := keys.PublicKeyMultibase(key.Public())
	if err != nil {
		t.Fatal(err)
	}
	return []byte(fmt.Sprintf(`{"@context":["https://www.w3.org/ns/did/v1","https://w3id.org/security/multikey/v1"],"id":%q,"verificationMethod":[{"id":"%s#key-1","type":"Multikey","controller":%q,"publicKeyMultibase":%q}],"authentication":["#key-1"]}`, id, id, id, mb))
}

// presentation is what a presentation test expects of a report: the
// checks that failed, warned and could not decide, the verdict, who
// presented, and the verdict on each credential.
type presentationWant struct {
	verified, inconclusive        bool
	failed, warned, undecided     []string
	holder                        string
	credentials                   []bool // each credential's Verified
	credentialFailed              []string
	input                         string
	challengeMessage, proofSubstr string
}

// TestPresentations verifies presentations made here by a holder, in
// every form, and each way one goes wrong: the presentation's proof, its
// holder, its challenge and domain, the credentials inside.
func TestPresentations(t *testing.T) {
	ctx := context.Background()
	is, holder, attacker := newIssuer(t, 1), newIssuer(t, 3), newIssuer(t, 0x61)
	const web = "did:web:holder.example"
	webKey := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{4}, 32))
	good := is.signDI(t, is.award(t, nil))
	goodJWT := is.signJWT(t, is.award(t, nil))
	unsigned := is.award(t, nil)
	tampered := mustReplace(t, good, `"name":"Statistics"`, `"name":"Statistics II"`)

	// A revoked credential, and its list.
	reg := &status.Registry{Store: &status.MemoryStore{}, Now: func() time.Time { return t2025 }}
	const listURL = "https://example.edu/status/1"
	if _, err := reg.Create(ctx, listURL, nil); err != nil {
		t.Fatal(err)
	}
	entry, err := reg.Allocate(ctx, listURL)
	if err != nil {
		t.Fatal(err)
	}
	revoked := is.signDI(t, is.award(t, func(c *credential.AchievementCredential) {
		c.CredentialStatus = credential.OneOrMany[credential.CredentialStatus]{statusOf(*entry)}
	}))
	if err := reg.Revoke(ctx, listURL, mustIndex(t, entry)); err != nil {
		t.Fatal(err)
	}
	list, err := reg.Publish(ctx, listURL, &status.PublishOptions{Issuer: is.did, Signer: statussign.DataIntegrity(&dataintegrity.Signer{Key: is.key, VerificationMethod: is.vm}, nil), Validity: 3 * 365 * 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}

	asked := &present.Options{Challenge: "c-1", Domain: "verifier.example", Created: t2026.Add(-time.Minute)}
	policy := Policy{Now: t2026, Challenge: "c-1", Domain: "verifier.example"}
	by := func(h *issuer, format present.Format, opts *present.Options, creds ...[]byte) []byte {
		t.Helper()
		out, err := (&present.Holder{Key: h.key, VerificationMethod: h.vm, Format: format}).Present(ctx, creds, opts)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	// signed signs an unsigned presentation with key and vm, whoever they
	// are: the attacker's way.
	signed := func(vp []byte, key ed25519.PrivateKey, vm string, opts *dataintegrity.ProofOptions) []byte {
		t.Helper()
		out, err := (&dataintegrity.Signer{Key: key, VerificationMethod: vm}).Sign(ctx, vp, opts)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	unsignedVP := func(holderID string, creds ...[]byte) []byte {
		t.Helper()
		vp, err := present.NewPresentation(holderID, "urn:uuid:1", creds)
		if err != nil {
			t.Fatal(err)
		}
		return vp
	}
	authn := &dataintegrity.ProofOptions{Purpose: did.Authentication, Challenge: "c-1", Domain: []string{"verifier.example"}, Created: t2026}
	jwt := by(holder, present.JWT, asked, goodJWT)
	enveloped := by(holder, present.Enveloped, asked, goodJWT)
	var env struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(enveloped, &env); err != nil {
		t.Fatal(err)
	}
	webDocs := map[string][]byte{web: holderDoc(t, web, webKey)}
	webHolder := func() []byte {
		out, err := (&present.Holder{Key: webKey, VerificationMethod: web + "#key-1"}).Present(ctx, [][]byte{good}, asked)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}()

	for _, tc := range []struct {
		name   string
		input  []byte
		trust  Trust
		policy Policy
		want   presentationWant
	}{
		{"Data Integrity, challenge and domain", by(holder, present.DataIntegrity, asked, good), Trust{}, policy,
			presentationWant{verified: true, holder: holder.did, credentials: []bool{true}, input: "json",
				challengeMessage: `the proof carries the challenge "c-1" and the domain "verifier.example" asked for`}},
		{"two credentials, JSON and JWT", by(holder, present.DataIntegrity, asked, good, goodJWT), Trust{}, policy,
			presentationWant{verified: true, holder: holder.did, credentials: []bool{true, true}, input: "json"}},
		{"no challenge asked: replay is not prevented", by(holder, present.DataIntegrity, asked, good), Trust{}, Policy{Now: t2026},
			presentationWant{verified: true, warned: []string{CheckChallenge}, holder: holder.did, credentials: []bool{true}, input: "json",
				challengeMessage: "no challenge was asked for: nothing shows the presentation was made for this verification rather than replayed (set Policy.Challenge, --challenge, to a fresh value per presentation)"}},
		{"no challenge asked, strict", by(holder, present.DataIntegrity, asked, good), Trust{}, Policy{Now: t2026, Strict: true},
			presentationWant{failed: []string{CheckChallenge}, holder: holder.did, credentials: []bool{true}, input: "json"}},
		{"wrong challenge", by(holder, present.DataIntegrity, asked, good), Trust{}, Policy{Now: t2026, Challenge: "c-2"},
			presentationWant{failed: []string{CheckProof, CheckChallenge}, holder: holder.did, credentials: []bool{true}, input: "json",
				challengeMessage: `the proof's challenge is "c-1", not the "c-2" asked for: it was made for another verification, or replayed`}},
		{"no challenge in the proof", by(holder, present.DataIntegrity, nil, good), Trust{}, policy,
			presentationWant{failed: []string{CheckProof, CheckChallenge}, holder: holder.did, credentials: []bool{true}, input: "json"}},
		{"wrong domain", by(holder, present.DataIntegrity, asked, good), Trust{}, Policy{Now: t2026, Challenge: "c-1", Domain: "other.example"},
			presentationWant{failed: []string{CheckProof, CheckChallenge}, holder: holder.did, credentials: []bool{true}, input: "json"}},
		{"tampered presentation", mustReplace(t, signed(unsignedVP(holder.did, good), holder.key, holder.vm, authn), `"urn:uuid:1"`, `"urn:uuid:2"`), Trust{}, policy,
			presentationWant{failed: []string{CheckProof}, holder: holder.did, credentials: []bool{true}, input: "json", proofSubstr: "the signature does not verify"}},
		{"tampered enclosed credential", by(holder, present.DataIntegrity, asked, tampered), Trust{}, policy,
			presentationWant{failed: []string{CheckCredentials}, holder: holder.did, credentials: []bool{false}, credentialFailed: []string{CheckProof}, input: "json"}},
		{"revoked credential", by(holder, present.DataIntegrity, asked, good, revoked), Trust{Documents: map[string][]byte{listURL: list}}, policy,
			presentationWant{failed: []string{CheckCredentials}, holder: holder.did, credentials: []bool{true, false}, credentialFailed: []string{CheckStatus}, input: "json"}},
		{"unsigned credential", by(holder, present.DataIntegrity, asked, unsigned), Trust{}, policy,
			presentationWant{failed: []string{CheckCredentials}, holder: holder.did, credentials: []bool{false}, credentialFailed: []string{CheckProof}, input: "json"}},
		{"the credential's recipient", by(holder, present.DataIntegrity, asked, good), Trust{}, Policy{Now: t2026, Challenge: "c-1", Recipient: &Identity{Type: "id", Value: "did:example:bob"}},
			presentationWant{failed: []string{CheckCredentials}, holder: holder.did, credentials: []bool{false}, credentialFailed: []string{CheckRecipient}, input: "json"}},
		{"forgery: the victim as holder, the attacker's key", signed(unsignedVP(holder.did, good), attacker.key, attacker.vm, authn), Trust{}, policy,
			presentationWant{failed: []string{CheckProof}, holder: holder.did, credentials: []bool{true}, input: "json", proofSubstr: "the key's controller is \"" + attacker.did + "\", the holder is \"" + holder.did + "\""}},
		{"forgery: the victim's did:web as holder, the attacker's key under it, with its document", signed(unsignedVP(web, good), attacker.key, web+"#key-1", authn), Trust{Documents: webDocs}, policy,
			presentationWant{failed: []string{CheckProof}, holder: web, credentials: []bool{true}, input: "json"}},
		{"forgery: the victim's did:web as holder, the attacker's key under it, no document", signed(unsignedVP(web, good), attacker.key, web+"#z"+strings.TrimPrefix(attacker.did, "did:key:z"), authn), Trust{}, policy,
			presentationWant{undecided: []string{CheckProof}, inconclusive: true, holder: web, credentials: []bool{true}, input: "json"}},
		{"did:web holder, its document given", webHolder, Trust{Documents: webDocs}, policy,
			presentationWant{verified: true, holder: web, credentials: []bool{true}, input: "json"}},
		{"did:web holder, no document: inconclusive", webHolder, Trust{}, policy,
			presentationWant{undecided: []string{CheckProof}, inconclusive: true, holder: web, credentials: []bool{true}, input: "json",
				proofSubstr: "the DID document of did:web:holder.example (published at https://holder.example/.well-known/did.json) would confirm or refute it"}},
		{"no holder: presented by the key's controller", signed(unsignedVP("", good), holder.key, holder.vm, authn), Trust{}, policy,
			presentationWant{verified: true, warned: []string{CheckHolder}, holder: holder.did, credentials: []bool{true}, input: "json"}},
		{"no proof", unsignedVP(holder.did, good), Trust{}, Policy{Now: t2026},
			presentationWant{failed: []string{CheckProof}, warned: []string{CheckChallenge}, holder: holder.did, credentials: []bool{true}, input: "json"}},
		{"no proof, accepted by policy", unsignedVP(holder.did, good), Trust{}, Policy{Now: t2026, AllowUnboundPresentation: true},
			presentationWant{verified: true, warned: []string{CheckProof, CheckHolder, CheckChallenge}, holder: holder.did, credentials: []bool{true}, input: "json"}},
		{"no proof, accepted by policy, but a challenge asked", unsignedVP(holder.did, good), Trust{}, Policy{Now: t2026, Challenge: "c-1", AllowUnboundPresentation: true},
			presentationWant{failed: []string{CheckChallenge}, warned: []string{CheckProof, CheckHolder}, holder: holder.did, credentials: []bool{true}, input: "json"}},
		{"more credentials than allowed", by(holder, present.DataIntegrity, asked, good, goodJWT), Trust{MaxCredentials: 1}, policy,
			presentationWant{failed: []string{CheckRules}, holder: holder.did, input: "json"}},
		{"a credential as a string", signed(mustReplace(t, unsignedVP(holder.did), `"holder"`, `"verifiableCredential":["`+string(goodJWT)+`"],"holder"`), holder.key, holder.vm, authn), Trust{}, policy,
			presentationWant{failed: []string{CheckRules}, holder: holder.did, input: "json"}},
		{"vp+jwt", jwt, Trust{}, policy,
			presentationWant{verified: true, holder: holder.did, credentials: []bool{true}, input: "jwt"}},
		{"vp+jwt in an EnvelopedVerifiablePresentation", enveloped, Trust{}, policy,
			presentationWant{verified: true, holder: holder.did, credentials: []bool{true}, input: "enveloped"}},
		{"vp+jwt in a data: URL", []byte(env.ID), Trust{}, policy,
			presentationWant{verified: true, holder: holder.did, credentials: []bool{true}, input: "enveloped"}},
		{"vp+jwt, wrong challenge", jwt, Trust{}, Policy{Now: t2026, Challenge: "c-2"},
			presentationWant{failed: []string{CheckProof, CheckChallenge}, holder: holder.did, credentials: []bool{true}, input: "jwt"}},
		{"vp+jwt, expired", by(holder, present.JWT, &present.Options{Challenge: "c-1", Created: t2025, Expires: t2025.Add(5 * time.Minute)}, goodJWT), Trust{}, Policy{Now: t2026, Challenge: "c-1"},
			presentationWant{failed: []string{CheckValidity}, holder: holder.did, credentials: []bool{true}, input: "jwt"}},
		{"vp+jwt, the attacker's key", mustVPJWT(t, attacker, holder.did, goodJWT), Trust{}, policy,
			presentationWant{failed: []string{CheckProof}, holder: holder.did, credentials: []bool{true}, input: "jwt"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := New(tc.trust)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := v.Verify(ctx, tc.input, &tc.policy)
			if err != nil {
				t.Fatal(err)
			}
			w := tc.want
			want := map[Outcome][]string{Failed: w.failed, Warning: w.warned, Indeterminate: w.undecided}
			var creds []bool
			for _, c := range rep.Credentials {
				creds = append(creds, c.Verified)
			}
			if d := cmp.Diff(want, outcomes(rep)); d != "" || rep.Verified != w.verified || rep.Inconclusive != w.inconclusive ||
				rep.Holder != w.holder || rep.Class != ClassPresentation || rep.Input != w.input || !cmp.Equal(creds, w.credentials) {
				t.Fatalf("verified %v inconclusive %v holder %q input %q credentials %v, want %v %v %q %q %v; checks (-want +got):\n%s\n%s",
					rep.Verified, rep.Inconclusive, rep.Holder, rep.Input, creds, w.verified, w.inconclusive, w.holder, w.input, w.credentials, d, rep)
			}
			if w.credentialFailed != nil {
				var bad *Report
				for _, c := range rep.Credentials {
					if !c.Verified {
						bad = c
					}
				}
				var got []string
				for _, c := range bad.Failed() {
					got = append(got, c.ID)
				}
				if d := cmp.Diff(w.credentialFailed, got); d != "" {
					t.Errorf("the credential's failed checks (-want +got):\n%s", d)
				}
			}
			if w.challengeMessage != "" {
				if got := rep.Check(CheckChallenge).Message; got != w.challengeMessage {
					t.Errorf("challenge: %q, want %q", got, w.challengeMessage)
				}
			}
			if w.proofSubstr != "" && !strings.Contains(rep.Check(CheckProof).Message, w.proofSubstr) {
				t.Errorf("proof: %q, want it to say %q", rep.Check(CheckProof).Message, w.proofSubstr)
			}
		})
	}
}

// mustVPJWT signs a vp+jwt presentation naming holder as its holder with
// the key of signer, whoever that is.
func mustVPJWT(t testing.TB, signer *issuer, holder string, creds ...[]byte) []byte {
	t.Helper()
	vp, err := present.NewPresentation(holder, "", creds)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := (&jose.Signer{Key: signer.key, KeyID: signer.vm}).SignPresentation(context.Background(), vp, &jose.PresentationOptions{Challenge: "c-1", Domain: "verifier.example"})
	if err != nil {
		t.Fatal(err)
	}
	return []byte(tok)
}

// FuzzVerifyPresentation feeds presentations, changed at random, to
// Verify: it must never panic, a presentation's report must list all nine
// checks, and a verified one must have its proof and every credential
// verified.
func FuzzVerifyPresentation(f *testing.F) {
	ctx := context.Background()
	is, holder := newIssuer(f, 1), newIssuer(f, 3)
	h := &present.Holder{Key: holder.key, VerificationMethod: holder.vm}
	opts := &present.Options{Challenge: "c-1", Created: t2026}
	for _, format := range []present.Format{present.DataIntegrity, present.JWT, present.Enveloped} {
		h.Format = format
		vp, err := h.Present(ctx, [][]byte{is.signJWT(f, is.award(f, nil))}, opts)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(vp)
	}
	f.Add(bytes.TrimSpace(mustRead(f, "testdata/w3c/data-model-suite-vp.jwt")))
	f.Add([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"],"verifiableCredential":[{"type":"VerifiableCredential"},"x",1]}`))
	v, err := New(Trust{MaxBytes: 256 << 10, MaxCredentials: 4})
	if err != nil {
		f.Fatal(err)
	}
	p := &Policy{Now: t2026, Challenge: "c-1"}
	f.Fuzz(func(t *testing.T, input []byte) {
		rep, err := v.Verify(ctx, input, p)
		if err != nil || rep.Class != ClassPresentation {
			return
		}
		if len(rep.Checks) != 9 {
			t.Fatalf("%d checks", len(rep.Checks))
		}
		if !rep.Verified {
			return
		}
		if c := rep.Check(CheckProof); c.Outcome != Passed && c.Outcome != Warning || len(rep.Failed()) > 0 {
			t.Fatalf("verified without a proof, or with a check failed: %s", rep)
		}
		for _, c := range rep.Credentials {
			if !c.Verified {
				t.Fatalf("verified with a credential that is not: %s", rep)
			}
		}
	})
}

// TestPresentationForgery: the forgery tests' attacker (internal/
// forgerytest) presents the victim's credential, naming the victim's
// did:web as holder, with a key of their own, named in every way a proof
// can name it: never verified; with the victim's document, failed, not
// inconclusive. The victim's own document lists its key under
// assertionMethod only, as keys.DIDDocument publishes it: that is no
// authentication key, so even the victim's real key does not present as
// the victim (a holder's document must list the key under
// authentication).
func TestPresentationForgery(t *testing.T) {
	ctx := context.Background()
	docs, real, attacker := parties(t)
	victimVM := victimDID + "#key-1"
	cred := forgerytest.SignDI(t, real.key, victimVM, real.as(victimDID, victimVM).award(t, nil))
	vp, err := present.NewPresentation(victimDID, "urn:uuid:1", [][]byte{cred})
	if err != nil {
		t.Fatal(err)
	}
	sign := func(key ed25519.PrivateKey, vm string) []byte {
		t.Helper()
		out, err := (&dataintegrity.Signer{Key: key, VerificationMethod: vm}).Sign(ctx, vp, &dataintegrity.ProofOptions{Purpose: did.Authentication, Challenge: "c-1", Created: t2026})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	withDocs := Trust{Documents: docs.ByID()}
	for _, tc := range []struct {
		name  string
		input []byte
		trust Trust
		want  verdict
	}{
		{"the attacker's key as the victim's #key-1, with the victim's document", sign(attacker.key, victimVM), withDocs, failedProof},
		{"the attacker's key as the victim's #key-1, offline", sign(attacker.key, victimVM), Trust{}, inconclusiveProof},
		{"the attacker's key in a fragment under the victim", sign(attacker.key, victimDID+"#"+attacker.multibase(t)), withDocs, failedProof},
		{"the attacker's own did:key", sign(attacker.key, mustVM(t, attacker.key.Public())), withDocs, failedProof},
		{"the victim's key, listed for assertions only", sign(real.key, victimVM), withDocs, failedProof},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := New(tc.trust)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := v.Verify(ctx, tc.input, &Policy{Now: t2026, Challenge: "c-1"})
			if err != nil {
				t.Fatal(err)
			}
			// The credential inside is genuine; only the presentation's
			// proof is at fault (or undecided offline, where the
			// credential's key is undecided too).
			if tc.want.inconclusive {
				tc.want.undecided = []string{CheckProof, CheckCredentials}
			}
			tc.want.check(t, rep)
			if rep.Holder != victimDID {
				t.Errorf("holder %q, want %q", rep.Holder, victimDID)
			}
		})
	}
}
