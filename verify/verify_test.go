package verify

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/bake"
	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
	"github.com/go-openbadges/openbadges/proof/jose"
	"github.com/go-openbadges/openbadges/schema"
	"github.com/go-openbadges/openbadges/status"
	"github.com/go-openbadges/openbadges/status/statussign"
)

var (
	t2025 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	t2026 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	t2027 = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
)

// issuer is a did:key issuer with its key.
type issuer struct {
	key ed25519.PrivateKey
	did string
	vm  string
}

func newIssuer(t testing.TB, seed byte) *issuer {
	t.Helper()
	k := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, 32))
	d, _ := keys.DIDKey(k.Public())
	vm, _ := keys.DIDKeyVerificationMethod(k.Public())
	return &issuer{k, d, vm}
}

// award builds an unsigned credential valid from 2025 to 2027 for Ada,
// named by a hashed email address and a DID; edit changes it before it
// is encoded.
func (is *issuer) award(t testing.TB, edit func(*credential.AchievementCredential)) []byte {
	t.Helper()
	c, err := credential.NewAchievementCredential(credential.Award{
		Issuer: &credential.Profile{ID: is.did, Name: "Example College"},
		Achievement: &credential.Achievement{
			ID: "https://example.edu/achievements/stats", Name: "Statistics", Description: "Descriptive statistics.",
			Criteria: &credential.Criteria{Narrative: "Pass the exam."},
		},
		RecipientID: "did:example:ada",
		Identifier:  []credential.IdentityObject{credential.NewHashedIdentity(credential.IdentifierTypeEmailAddress, "ada@example.org")},
		ValidFrom:   t2025,
		ValidUntil:  t2027,
	})
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(c)
	}
	b, err := credential.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (is *issuer) signDI(t testing.TB, doc []byte) []byte {
	t.Helper()
	out, err := (&dataintegrity.Signer{Key: is.key, VerificationMethod: is.vm}).Sign(context.Background(), doc, &dataintegrity.ProofOptions{Created: t2025})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func (is *issuer) signJWT(t testing.TB, doc []byte) []byte {
	t.Helper()
	out, err := (&jose.Signer{Key: is.key, KeyID: is.vm}).Sign(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	return []byte(out)
}

// TestScenarios verifies credentials made here, in every form, and each
// way a credential goes wrong: each fails on its own check, with a message
// that says what is wrong.
func TestScenarios(t *testing.T) {
	ctx := context.Background()
	is := newIssuer(t, 1)
	other := newIssuer(t, 2)
	good := is.signDI(t, is.award(t, nil))
	goodJWT := is.signJWT(t, is.award(t, nil))
	png, err := os.ReadFile("testdata/ob30/simple-json.png")
	if err != nil {
		t.Fatal(err)
	}
	svg, err := os.ReadFile("testdata/ob30/simple-json.svg")
	if err != nil {
		t.Fatal(err)
	}
	bakedPNG, err := bake.Bake(png, goodJWT, nil)
	if err != nil {
		t.Fatal(err)
	}
	bakedSVG, err := bake.Bake(svg, good, nil)
	if err != nil {
		t.Fatal(err)
	}

	// A revocation list with the credential's bit set, published signed.
	reg := &status.Registry{Store: &status.MemoryStore{}, Now: func() time.Time { return t2025 }}
	listURL := "https://example.edu/status/1"
	if _, err := reg.Create(ctx, listURL, nil); err != nil {
		t.Fatal(err)
	}
	entry, err := reg.Allocate(ctx, listURL)
	if err != nil {
		t.Fatal(err)
	}
	withStatus := is.signDI(t, is.award(t, func(c *credential.AchievementCredential) {
		c.CredentialStatus = credential.OneOrMany[credential.CredentialStatus]{statusOf(*entry)}
	}))
	publish := func() []byte {
		b, err := reg.Publish(ctx, listURL, &status.PublishOptions{Issuer: is.did, Signer: statussign.DataIntegrity(&dataintegrity.Signer{Key: is.key, VerificationMethod: is.vm}, nil), Validity: 3 * 365 * 24 * time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	listBefore := publish()
	idx := 0
	for _, c := range entry.StatusListIndex {
		idx = idx*10 + int(c-'0')
	}
	if err := reg.Revoke(ctx, listURL, idx); err != nil {
		t.Fatal(err)
	}
	listAfter := publish()

	withEndorsement := is.award(t, func(c *credential.AchievementCredential) {
		e, err := credential.NewEndorsementCredential(&credential.Profile{ID: other.did, Name: "Accreditor"}, c.ID, "Endorsement", "Good course.")
		if err != nil {
			t.Fatal(err)
		}
		e.ValidFrom = credential.DateTime(t2025.Format(time.RFC3339))
		raw, _ := credential.Marshal(e)
		signed := other.signDI(t, raw)
		parsed, err := credential.ParseEndorsementCredential(signed, nil)
		if err != nil {
			t.Fatal(err)
		}
		c.Endorsement = credential.List[credential.EndorsementCredential]{*parsed}
	})

	for _, tc := range []struct {
		name     string
		input    []byte
		trust    Trust
		policy   Policy
		input2   string // expected Report.Input
		verified bool
		failed   []string
		// undecided lists the indeterminate checks.
		undecided []string
		message   string // in the first failed (or, with none, the named) check
		check     string
	}{
		{"Data Integrity", good, Trust{}, Policy{Now: t2026}, "json", true, nil, nil, "verified: eddsa-rdfc-2022 by " + is.did + " (key bound to its controller: self)", CheckProof},
		{"VC-JWT", goodJWT, Trust{}, Policy{Now: t2026}, "jwt", true, nil, nil, "verified: VC-JWT EdDSA by " + is.did, CheckProof},
		{"baked PNG (JWT)", bakedPNG, Trust{}, Policy{Now: t2026}, "png", true, nil, nil, "a VC-JWT baked into PNG", CheckInput},
		{"baked SVG (JSON)", bakedSVG, Trust{}, Policy{Now: t2026}, "svg", true, nil, nil, "a JSON credential baked into SVG", CheckInput},
		{"tampered", bytes.Replace(good, []byte("Pass the exam."), []byte("Pass the quiz."), 1), Trust{}, Policy{Now: t2026}, "json", false, []string{CheckProof}, nil, "the signature does not verify", CheckProof},
		{"expired", good, Trust{}, Policy{Now: time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC)}, "json", false, []string{CheckValidity}, nil, "expired: validUntil was 2027-01-01T00:00:00Z", CheckValidity},
		{"expired, within the skew", good, Trust{}, Policy{Now: t2027.Add(time.Minute), ClockSkew: 2 * time.Minute}, "json", true, nil, nil, "valid from", CheckValidity},
		{"not yet valid", good, Trust{}, Policy{Now: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}, "json", false, []string{CheckValidity}, nil, "not yet valid: validFrom is 2025-01-01T00:00:00Z", CheckValidity},
		{"recipient by DID", good, Trust{}, Policy{Now: t2026, Recipient: &Identity{Type: "id", Value: "did:example:ada"}}, "json", true, nil, nil, "the subject's id is did:example:ada", CheckRecipient},
		{"recipient by hashed email", good, Trust{}, Policy{Now: t2026, Recipient: &Identity{Type: "emailAddress", Value: "ada@example.org"}}, "json", true, nil, nil, "the subject's emailAddress identifier (hashed) matches", CheckRecipient},
		{"wrong recipient", good, Trust{}, Policy{Now: t2026, Recipient: &Identity{Type: "emailAddress", Value: "eve@example.org"}}, "json", false, []string{CheckRecipient}, nil, "the credential is not issued to this emailAddress", CheckRecipient},
		{"trusted issuer", good, Trust{TrustedIssuers: []string{is.did}}, Policy{Now: t2026}, "json", true, nil, nil, "is a trusted issuer", CheckIssuer},
		{"untrusted issuer", good, Trust{TrustedIssuers: []string{other.did}}, Policy{Now: t2026}, "json", false, []string{CheckIssuer}, nil, "is not one of the trusted issuers", CheckIssuer},
		{"unresolvable key", bytes.ReplaceAll(good, []byte(is.vm), []byte("did:web:example.edu#key-1")), Trust{}, Policy{Now: t2026}, "json", false, []string{CheckProof}, nil, "cannot resolve the verification method", CheckProof},
		{"unknown context", bytes.Replace(good, []byte(`"https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"`), []byte(`"https://purl.imsglobal.org/spec/ob/v3p0/extensions.json","https://example.com/ctx"`), 1), Trust{}, Policy{Now: t2026}, "json", false, []string{CheckJSONLD, CheckProof}, nil, `unknown JSON-LD context "https://example.com/ctx"`, CheckJSONLD},
		{"not revoked", withStatus, Trust{Documents: map[string][]byte{listURL: listBefore}}, Policy{Now: t2026}, "json", true, nil, nil, "not revoked or suspended (1 status entry checked)", CheckStatus},
		{"revoked", withStatus, Trust{Documents: map[string][]byte{listURL: listAfter}}, Policy{Now: t2026}, "json", false, []string{CheckStatus}, nil, "revoked: bit " + entry.StatusListIndex, CheckStatus},
		// Before, an undecided status passed by default (RequireStatus
		// made it fail); now the default is to fail closed, and
		// AllowUnknownStatus is how a caller accepts it.
		{"status unreachable", withStatus, Trust{}, Policy{Now: t2026}, "json", false, nil, []string{CheckStatus}, "the status could not be decided", CheckStatus},
		{"status unreachable, allowed", withStatus, Trust{}, Policy{Now: t2026, AllowUnknownStatus: true}, "json", true, nil, []string{CheckStatus}, "the status could not be decided", CheckStatus},
		{"endorsed", is.signDI(t, withEndorsement), Trust{}, Policy{Now: t2026}, "json", true, nil, nil, "1 endorsement(s) verify", CheckEndorsements},
		// simple_v1.json's issuer is an https URL that publishes no
		// document: its key is confirmed only by the test document.
		{"strict: a legacy credential fails", mustRead(t, "testdata/ob30/simple_v1.json"), Trust{Documents: issuerDocuments(t)}, Policy{Now: t2026, Strict: true}, "json", false, []string{CheckContext, CheckRules, CheckProof}, nil, "(a failure in strict mode)", CheckContext},
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
			got := outcomes(rep)
			want := map[Outcome][]string{Failed: tc.failed, Indeterminate: tc.undecided}
			delete(got, Warning)
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("failed and indeterminate checks (-want +got):\n%s\n%s", d, rep)
			}
			if rep.Verified != tc.verified || rep.Inconclusive != (len(tc.undecided) > 0) || rep.Input != tc.input2 {
				t.Errorf("Verified %v Inconclusive %v Input %q, want %v %v %q\n%s", rep.Verified, rep.Inconclusive, rep.Input, tc.verified, len(tc.undecided) > 0, tc.input2, rep)
			}
			if c := rep.Check(tc.check); c == nil || !strings.Contains(c.Message, tc.message) {
				t.Errorf("%s check: %+v, want it to say %q", tc.check, c, tc.message)
			}
		})
	}
}

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestRevokedFixtures verifies the 1EdTech validator's revoked credentials
// against the list they name (testdata/ob30/bit-string-list/testlist),
// served from Trust.Documents. The list is signed with the key of its
// https issuer, named in a fragment: with the issuer's document
// (testdata/issuers) the list verifies and says revoked; without it,
// neither the credential's key nor the list's is confirmed, and the
// status cannot be decided either (before, both keys passed as asserted
// and the credential was revoked).
func TestRevokedFixtures(t *testing.T) {
	const listURL = "https://raw.githubusercontent.com/1EdTech/digital-credentials-public-validator/refs/heads/main/inspector-vc/src/test/resources/ob30/bit-string-list/testlist"
	list := mustRead(t, "testdata/ob30/bit-string-list/testlist")
	withIssuer := issuerDocuments(t)
	withIssuer[listURL] = list
	for _, f := range []string{"credential-status-revoked.json", "credential-status-revoked-blank-nodes.json"} {
		for _, tc := range []struct {
			name          string
			docs          map[string][]byte
			proof, status Outcome
			message       string // the status check's
		}{
			{"with the issuer's document", withIssuer, Passed, Failed, "revoked: bit 23 of " + listURL + " is 1: revoked"},
			{"without it", map[string][]byte{listURL: list}, Indeterminate, Indeterminate, "the status could not be decided: status: the status list does not verify: " + listURL},
		} {
			for _, allow := range []bool{false, true} {
				rep, err := Verify(context.Background(), mustRead(t, "testdata/ob30/bit-string-list/"+f), &Trust{Documents: tc.docs}, &Policy{Now: fixtureNow, AllowUnknownStatus: allow})
				if err != nil {
					t.Fatal(err)
				}
				// Never verified: revoked, or with a key nobody confirmed
				// (which AllowUnknownStatus does not accept).
				p, c := rep.Check(CheckProof), rep.Check(CheckStatus)
				if rep.Verified || p.Outcome != tc.proof || c.Outcome != tc.status || !strings.HasPrefix(c.Message, tc.message) {
					t.Errorf("%s, %s, AllowUnknownStatus %v: proof %s, status %s %q; want not verified, %s, %s %q\n%s", f, tc.name, allow, p.Outcome, c.Outcome, c.Message, tc.proof, tc.status, tc.message, rep)
				}
				// The list was read once, from Trust.Documents (what else
				// was read, the issuer's document, is not this test's).
				var lists []Fetched
				for _, f := range rep.Fetched {
					if f.URL == listURL {
						lists = append(lists, f)
					}
				}
				if d := cmp.Diff([]Fetched{{URL: listURL, From: "offline map", Bytes: len(list)}}, lists); d != "" {
					t.Errorf("%s, %s: fetched (-want +got):\n%s", f, tc.name, d)
				}
			}
		}
	}
}

// TestInputErrors checks the inputs that cannot be verified at all, and
// those that are an image without a credential.
func TestInputErrors(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		input string
		trust Trust
		want  string
	}{
		{"empty", "", Trust{}, "the input is empty"},
		{"text", "hello", Trust{}, "neither JSON, a compact JWS, a PNG nor an SVG"},
		{"too large", strings.Repeat(" ", 100), Trust{MaxBytes: 10}, "100 bytes, over the limit of 10"},
	} {
		_, err := Verify(ctx, []byte(tc.input), &tc.trust, nil)
		if !errors.Is(err, ErrInput) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want ErrInput saying %q", tc.name, err, tc.want)
		}
	}
	// An image with nothing baked in is a verdict, not an error.
	png, _ := os.ReadFile("testdata/ob30/simple-json.png")
	plain := stripITXt(t, png)
	rep, err := Verify(ctx, plain, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Verified || rep.Input != "png" || rep.Check(CheckInput).Outcome != Failed || len(rep.Checks) != 13 {
		t.Errorf("unbaked PNG: %s", rep)
	}
	ctxDone, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Verify(ctxDone, mustRead(t, "testdata/ob30/simple.json"), nil, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// stripITXt removes the iTXt chunks of a PNG.
func stripITXt(t *testing.T, png []byte) []byte {
	out := append([]byte{}, png[:8]...)
	for i := 8; i+8 <= len(png); {
		n := int(png[i])<<24 | int(png[i+1])<<16 | int(png[i+2])<<8 | int(png[i+3])
		end := i + 12 + n
		if string(png[i+4:i+8]) != "iTXt" {
			out = append(out, png[i:end]...)
		}
		i = end
	}
	return out
}

// TestReportJSON checks the report's JSON encoding against a golden file:
// the encoding is part of the API. It is verified offline without the
// issuer's document, so the report shows both a failed check (validity)
// and an undecided one (the proof's key, with binding "asserted").
func TestReportJSON(t *testing.T) {
	rep, err := Verify(context.Background(), mustRead(t, "testdata/ob30/simple-err-expired.json"), nil, &Policy{Now: fixtureNow})
	if err != nil {
		t.Fatal(err)
	}
	rep.Credential = nil // the input itself, not worth repeating
	got, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if os.Getenv("UPDATE_GOLDEN") != "" {
		os.WriteFile("testdata/report-simple-err-expired.json", append(got, '\n'), 0o644)
	}
	want := mustRead(t, "testdata/report-simple-err-expired.json")
	if d := cmp.Diff(string(want), string(got)+"\n"); d != "" {
		t.Errorf("report JSON (-want +got):\n%s", d)
	}
}

// TestInlineContextLimit: a credential that writes a large JSON-LD context
// inline (an attacker's way to make verification cost seconds) is refused
// by the jsonld check, with the limit named and how to raise it; with the
// limits lifted in the Trust, the same credential verifies.
func TestInlineContextLimit(t *testing.T) {
	ctx := context.Background()
	is := newIssuer(t, 1)
	var inline bytes.Buffer
	inline.WriteString(`{`)
	for i := 0; inline.Len() < 200<<10; i++ {
		if i > 0 {
			inline.WriteByte(',')
		}
		fmt.Fprintf(&inline, `"t%d":"https://example.com/t%d"`, i, i)
	}
	inline.WriteString(`}`)
	doc := is.award(t, nil)
	ob := []byte(`"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"`)
	withInline := bytes.Replace(doc, ob, append(append(append([]byte{}, ob...), ','), inline.Bytes()...), 1)
	if bytes.Equal(withInline, doc) {
		t.Fatal("no OB 3.0 context to put the inline one after")
	}
	unlimited, err := schema.NewLoader(schema.LoaderOptions{PublishedOB303: true, MaxInlineContextBytes: -1, MaxInlineContextTerms: -1})
	if err != nil {
		t.Fatal(err)
	}
	signed, err := (&dataintegrity.Signer{Key: is.key, VerificationMethod: is.vm, Loader: unlimited}).Sign(ctx, withInline, &dataintegrity.ProofOptions{Created: t2025})
	if err != nil {
		t.Fatal(err)
	}
	now := &Policy{Now: t2026}

	rep, err := Verify(ctx, signed, nil, now)
	if err != nil {
		t.Fatal(err)
	}
	c := rep.Check(CheckJSONLD)
	if rep.Verified || c.Outcome != Failed {
		t.Fatalf("verified %v, jsonld %s; want refused\n%s", rep.Verified, c.Outcome, rep)
	}
	got, _ := c.Details.(*InlineContextDetail)
	wantDetails := &InlineContextDetail{Limit: "MaxInlineContextBytes", Max: schema.DefaultMaxInlineContextBytes}
	if got != nil && got.Size > got.Max {
		wantDetails.Size = got.Size
	}
	if d := cmp.Diff(wantDetails, got); d != "" || !strings.Contains(c.Message, "raise verify.Trust.MaxInlineContextBytes") {
		t.Errorf("jsonld check: %q (-want +got details):\n%s", c.Message, d)
	}

	rep, err = Verify(ctx, signed, &Trust{MaxInlineContextBytes: -1, MaxInlineContextTerms: -1}, now)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Verified {
		t.Errorf("with the limits lifted: not verified\n%s", rep)
	}
}
