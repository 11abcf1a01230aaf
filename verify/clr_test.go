package verify

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
	"github.com/go-openbadges/openbadges/schema"
)

// TestClrFixtures verifies the CLR 2.0 fixtures of the 1EdTech validator
// (testdata/clr20, from inspector-clr/src/test/resources/clr20; see
// ../shared/vectors/ob3/README.md) and the CLR test vector of the OB 3.0
// implementation guide, with the test issuers' documents
// (testdata/issuers) as Trust.Documents, at fixtureNow. The validator's
// own tests (CLR20Tests.java) expect simple.json valid, simple_v1.json
// valid with a warning, complex.json valid (that test is disabled: the
// issuer's site is unreachable) and simple.jwt valid (disabled); the
// others have no expectation there. Where the verdict here differs, the
// row says why.
func TestClrFixtures(t *testing.T) {
	docs := issuerDocuments(t)
	for _, tc := range []struct {
		file string
		want fixtureWant
		// inner is the verdict of each embedded credential, in order.
		inner []bool
	}{
		// As the validator: the record and its Teamwork badge verify,
		// each by a key its issuer's document lists.
		{"simple.json", fixtureWant{true, nil, nil, nil}, []bool{true}},
		// The implementation guide's signed CLR (eddsa-rdfc-2022): its
		// published signature verifies here, and so does the one of the
		// credential inside (whose report warns that it writes single
		// types as strings, where the OB 3.0 schema wants arrays).
		{"vector-clr-credential-signed.json", fixtureWant{true, nil, nil, nil}, []bool{true}},
		// The validator: valid with a warning (old contexts). Here: not
		// verified. Its issuer is a urn:uuid with the key only in the
		// verification method's fragment, which nothing can confirm
		// (undecided proof, see TestValidatorFixtures); five of its six
		// credentials are signed by a did:key whose controller is not
		// their issuer (the urn:uuid), which fails as in
		// simple-did-key-method.json; the first names another subject than
		// the record's learner (a warning, folded into the failure).
		{"simple_v1.json", fixtureWant{false, []string{"credentials"}, []string{"context", "rules"}, []string{"proof"}},
			[]bool{false, false, false, false, false, false}},
		// The same record as simple_v1.json, signed by the did:key whose
		// controller is not the issuer (failed proof); an endorsement
		// inside its first credential lacks the name OB 3.0 requires of an
		// EndorsementCredential (the validator's own TODO in CLR20Tests
		// notes the missing name), which that credential's report says.
		{"complex.json", fixtureWant{false, []string{"proof", "credentials"}, []string{"context", "rules"}, nil},
			[]bool{false, false, false, false, false, false}},
		// A draft CLR context (https://dc.imsglobal.org/draft/clr/v2p0/context)
		// that was never published at a stable URL: unknown contexts are
		// refused, never fetched; and no proof at all. It names the CLR
		// JSON Schema in credentialSchema, which (now embedded) it fails:
		// a VCDM 1.1 record, with VCDM 1.1 first and no validFrom, as an
		// OB credential naming its schema fails it.
		{"simple-noproof.json", fixtureWant{false, []string{"jsonld", "context", "rules", "credential-schema", "proof", "credentials"}, nil, nil}, []bool{false}},
		// The same draft context, signed (Ed25519Signature2020): the
		// signature cannot be checked over a context nobody can load.
		{"simple_old_safesigned.json", fixtureWant{false, []string{"jsonld", "context", "rules", "proof", "credentials"}, nil, nil}, []bool{false}},
		// A VCDM 1.1 VC-JWT whose header carries the RSA key that the
		// issuer's test document lists: the JWT verifies (legacy format, a
		// warning); the record and the VC-JWT inside it use the draft
		// context, refused as above.
		{"simple.jwt", fixtureWant{false, []string{"jsonld", "context", "rules", "credentials"}, []string{"proof"}, nil}, []bool{false}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			rep, err := Verify(context.Background(), mustRead(t, "testdata/clr20/"+tc.file), &Trust{Documents: docs}, &Policy{Now: fixtureNow})
			if err != nil {
				t.Fatal(err)
			}
			got := outcomes(rep)
			want := map[Outcome][]string{Failed: tc.want.failed, Warning: tc.want.warning, Indeterminate: tc.want.undecided}
			if d := cmp.Diff(want, got); d != "" || rep.Verified != tc.want.verified || rep.Class != ClassClr {
				t.Errorf("class %s verified %v, want %v; checks (-want +got):\n%s\n%s", rep.Class, rep.Verified, tc.want.verified, d, rep)
			}
			var inner []bool
			for _, c := range rep.Credentials {
				inner = append(inner, c.Verified)
			}
			if d := cmp.Diff(tc.inner, inner); d != "" {
				t.Errorf("embedded credentials' verdicts (-want +got):\n%s", d)
			}
		})
	}
}

// clrParties are the issuers of a CLR made here: a course provider and a
// university (did:key), each signing its own credentials, and the
// university assembling the record.
type clrParties struct {
	provider, university *issuer
}

func newClrParties(t testing.TB) clrParties {
	return clrParties{provider: newIssuer(t, 11), university: newIssuer(t, 12)}
}

// record assembles and signs, as the university, a CLR for Ada embedding
// the signed credentials given, with a program the first one's achievement
// is part of.
func (p clrParties) record(t testing.TB, signed ...[]byte) []byte {
	t.Helper()
	raws := make([]json.RawMessage, len(signed))
	for i, s := range signed {
		raws[i] = s
	}
	c, err := credential.NewClrCredential(credential.LearnerRecord{
		Issuer:      &credential.Profile{ID: p.university.did, Name: "Example University"},
		LearnerID:   "did:example:ada",
		Name:        "Transcript of Ada",
		Credentials: raws,
		Achievements: []credential.Achievement{{
			ID: "https://example.edu/programs/data-science", Name: "Data Science", Description: "The data science program.",
			Criteria: &credential.Criteria{Narrative: "Complete every course."},
		}},
		Associations: []credential.Association{{
			AssociationType: credential.AssociationIsPartOf, SourceID: "https://example.edu/achievements/stats", TargetID: "https://example.edu/programs/data-science",
		}},
		ValidFrom: t2025,
	})
	if err != nil {
		t.Fatal(err)
	}
	b, err := credential.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return p.university.signDI(t, b)
}

// TestClrMadeHere verifies records made here, and each way one goes
// wrong: a byte changed inside an embedded credential (its proof fails,
// and so does the record's, which covers it), a revoked credential inside
// (the record is not verified and says which; the other credential's
// report is whole), a credential another learner holds, the wrong
// recipient.
func TestClrMadeHere(t *testing.T) {
	ctx := context.Background()
	p := newClrParties(t)
	stats := p.provider.signDI(t, p.provider.award(t, nil))
	other := p.provider.signDI(t, p.provider.award(t, func(c *credential.AchievementCredential) {
		c.CredentialSubject.Achievement.ID = "https://example.edu/achievements/probability"
		c.CredentialSubject.Achievement.Name = "Probability"
	}))

	// A credential of the 1EdTech validator's fixtures that its status
	// list (testdata/ob30/bit-string-list/testlist) says is revoked, signed
	// by an issuer whose document testdata/issuers holds.
	revoked := mustRead(t, "testdata/ob30/bit-string-list/credential-status-revoked.json")
	const listURL = "https://raw.githubusercontent.com/1EdTech/digital-credentials-public-validator/refs/heads/main/inspector-vc/src/test/resources/ob30/bit-string-list/testlist"
	docs := issuerDocuments(t)
	withList := issuerDocuments(t)
	withList[listURL] = mustRead(t, "testdata/ob30/bit-string-list/testlist")

	good := p.record(t, stats, other)
	// The probability credential as a VC-JOSE JWT in an
	// EnvelopedVerifiableCredential (VCDM 2.0's way to embed one).
	jwt := p.provider.signJWT(t, p.provider.award(t, func(c *credential.AchievementCredential) {
		c.CredentialSubject.Achievement.ID = "https://example.edu/achievements/probability"
		c.CredentialSubject.Achievement.Name = "Probability"
	}))
	enveloped := []byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"id":"data:application/vc+jwt,` + string(jwt) + `","type":"EnvelopedVerifiableCredential"}`)
	// Someone else's badge, signed by the provider for Bob.
	bobs := p.provider.signDI(t, p.provider.award(t, func(c *credential.AchievementCredential) { c.CredentialSubject.ID = "did:example:bob" }))
	// Someone else's badge naming them by a hashed email address alone:
	// nothing in it can be compared with the record's learner.
	bobsByEmail := p.provider.signDI(t, p.provider.award(t, func(c *credential.AchievementCredential) {
		c.CredentialSubject.ID = ""
		c.CredentialSubject.Identifier = []credential.IdentityObject{credential.NewHashedIdentity(credential.IdentifierTypeEmailAddress, "bob@example.org")}
	}))

	for _, tc := range []struct {
		name   string
		input  []byte
		trust  Trust
		policy Policy
		want   verdict
		// inner is the verdict of each embedded credential.
		inner []bool
		// message is in the credentials check's message.
		message string
	}{
		{"verified", good, Trust{}, Policy{Now: t2026}, verdict{true, false, nil, nil}, []bool{true, true}, "2 embedded credential(s) verify"},
		{"an enveloped VC-JWT inside", p.record(t, stats, enveloped), Trust{}, Policy{Now: t2026}, verdict{true, false, nil, nil}, []bool{true, true}, "2 embedded credential(s) verify"},
		{"a byte changed inside the enveloped VC-JWT", p.record(t, stats, bytes.Replace(enveloped, jwt[len(jwt)-8:], []byte("AAAAAAAA"), 1)), Trust{}, Policy{Now: t2026},
			verdict{false, false, []string{CheckCredentials}, nil}, []bool{true, false}, "#1 "},
		{"a byte changed inside an embedded credential", bytes.Replace(good, []byte("Pass the exam."), []byte("Pass the quiz."), 1), Trust{}, Policy{Now: t2026},
			verdict{false, false, []string{CheckProof, CheckCredentials}, nil}, []bool{false, true}, "1 of 2 embedded credentials do not verify: #0 "},
		{"a revoked credential inside", p.record(t, stats, revoked), Trust{Documents: withList}, Policy{Now: t2026},
			verdict{false, false, []string{CheckCredentials}, nil}, []bool{true, false}, "(status): revoked: bit 23 of " + listURL},
		{"a credential whose status cannot be had", p.record(t, stats, revoked), Trust{Documents: docs}, Policy{Now: t2026},
			verdict{false, true, nil, []string{CheckCredentials}}, []bool{true, false}, "1 of 2 embedded credentials could not be decided: #1"},
		// Verified and inconclusive, as the credential alone (before, the
		// record said conclusive).
		{"... accepted by the policy", p.record(t, stats, revoked), Trust{Documents: docs}, Policy{Now: t2026, AllowUnknownStatus: true},
			verdict{true, true, nil, nil}, []bool{true, true}, "the status of #1 could not be decided and is accepted"},
		{"someone else's credential", p.record(t, stats, bobs), Trust{}, Policy{Now: t2026},
			verdict{true, false, nil, nil}, []bool{true, true}, "#1 is about did:example:bob"},
		{"someone else's credential, strict", p.record(t, stats, bobs), Trust{}, Policy{Now: t2026, Strict: true},
			verdict{false, false, []string{CheckCredentials}, nil}, []bool{true, true}, "#1 is about did:example:bob"},
		// Before, one naming no subject id passed silently, Strict too.
		{"a credential naming no subject id", p.record(t, stats, bobsByEmail), Trust{}, Policy{Now: t2026},
			verdict{true, false, nil, nil}, []bool{true, true}, "#1 names no subject id"},
		{"... strict", p.record(t, stats, bobsByEmail), Trust{}, Policy{Now: t2026, Strict: true},
			verdict{false, false, []string{CheckCredentials}, nil}, []bool{true, true}, "#1 names no subject id"},
		{"... the learner as recipient, by email", p.record(t, stats, bobsByEmail), Trust{}, Policy{Now: t2026, Recipient: &Identity{Type: "emailAddress", Value: "ada@example.org"}},
			verdict{false, false, []string{CheckRecipient, CheckCredentials}, nil}, []bool{true, false}, "#1 "},
		{"the learner as recipient", good, Trust{}, Policy{Now: t2026, Recipient: &Identity{Type: "id", Value: "did:example:ada"}},
			verdict{true, false, nil, nil}, []bool{true, true}, "2 embedded credential(s) verify"},
		{"another recipient", good, Trust{}, Policy{Now: t2026, Recipient: &Identity{Type: "id", Value: "did:example:bob"}},
			verdict{false, false, []string{CheckRecipient, CheckCredentials}, nil}, []bool{false, false}, "(recipient)"},
		{"expired inner credentials", good, Trust{}, Policy{Now: time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC)},
			verdict{false, false, []string{CheckCredentials}, nil}, []bool{false, false}, "#0 urn:uuid:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := Verify(ctx, tc.input, &tc.trust, &tc.policy)
			if err != nil {
				t.Fatal(err)
			}
			tc.want.check(t, rep)
			var inner []bool
			for _, c := range rep.Credentials {
				inner = append(inner, c.Verified)
			}
			if d := cmp.Diff(tc.inner, inner); d != "" {
				t.Errorf("embedded credentials' verdicts (-want +got):\n%s", d)
			}
			if c := rep.Check(CheckCredentials); c == nil || !strings.Contains(c.Message, tc.message) {
				t.Errorf("credentials check %+v, want a message containing %q", c, tc.message)
			}
			// Every embedded credential's report is whole: all its checks
			// ran, whatever happened to the others.
			for i, c := range rep.Credentials {
				if len(c.Checks) < 13 {
					t.Errorf("credential %d: %d checks, want every one\n%s", i, len(c.Checks), c)
				}
			}
			// The report, sub-reports included, is in its JSON encoding.
			b, err := json.Marshal(rep)
			if err != nil {
				t.Fatal(err)
			}
			var back struct {
				Class       string `json:"class"`
				Credentials []struct {
					Verified bool `json:"verified"`
				} `json:"credentials"`
			}
			if err := json.Unmarshal(b, &back); err != nil || back.Class != ClassClr || len(back.Credentials) != len(tc.inner) {
				t.Errorf("JSON report: %v, class %q, %d credentials", err, back.Class, len(back.Credentials))
			}
		})
	}
}

// TestClrForgery embeds, in a record signed by an honest university,
// credentials in a victim institution's name (did:web and https ids):
// signed with the attacker's own key, each fails with the victim's
// documents (which do not list that key) and is undecided without them;
// the record then does not verify, and its credentials check names the
// forged one. Signed with the victim's real key, they verify (binding
// "document"): the control.
func TestClrForgery(t *testing.T) {
	ctx := context.Background()
	docs, real, attacker := parties(t)
	trust := Trust{Documents: map[string][]byte{victimDIDURL: docs.DID, victimHTTPS: docs.HTTPS}}
	p := newClrParties(t)
	honest := p.provider.signDI(t, p.provider.award(t, nil))
	for _, id := range []struct{ issuer, vm string }{
		{victimDID, victimDID + "#key-1"},
		{victimHTTPS, victimHTTPS + "#key-1"},
	} {
		for _, tc := range []struct {
			name   string
			signer signer
			trust  Trust
			want   verdict
			inner  bool
		}{
			{"attacker's key, with the victim's documents", attacker, trust, verdict{false, false, []string{CheckCredentials}, nil}, false},
			{"attacker's key, no documents", attacker, Trust{}, verdict{false, true, nil, []string{CheckCredentials}}, false},
			{"victim's key, with its documents (control)", real, trust, verdict{true, false, nil, nil}, true},
		} {
			t.Run(id.issuer+"/"+tc.name, func(t *testing.T) {
				is := tc.signer.as(id.issuer, id.vm)
				forged := is.signDI(t, is.award(t, nil))
				rep, err := Verify(ctx, p.record(t, honest, forged), &tc.trust, &Policy{Now: t2026})
				if err != nil {
					t.Fatal(err)
				}
				tc.want.check(t, rep)
				if len(rep.Credentials) != 2 || !rep.Credentials[0].Verified || rep.Credentials[1].Verified != tc.inner {
					t.Fatalf("embedded credentials: %s", rep)
				}
				if tc.inner {
					return
				}
				if c := rep.Check(CheckCredentials); !strings.Contains(c.Message, "#1 ") || !strings.Contains(c.Message, "(proof)") {
					t.Errorf("credentials check %q does not name #1's proof", c.Message)
				}
			})
		}
	}
}

// TestClrForgedRecord: a record in the victim's name (did:web and https
// ids) holding honest credentials, signed with the attacker's own key,
// fails on its proof with the victim's documents and is undecided without
// them, while its credentials' reports stay whole and verified; signed
// with the victim's key, it verifies (the control).
func TestClrForgedRecord(t *testing.T) {
	ctx := context.Background()
	docs, real, attacker := parties(t)
	withDocs := Trust{Documents: map[string][]byte{victimDIDURL: docs.DID, victimHTTPS: docs.HTTPS}}
	p := newClrParties(t)
	honest := p.provider.signDI(t, p.provider.award(t, nil))
	for _, id := range []string{victimDID, victimHTTPS} {
		for _, tc := range []struct {
			name   string
			signer signer
			trust  Trust
			want   verdict
		}{
			{"attacker's key, with the victim's documents", attacker, withDocs, failedProof},
			{"attacker's key, no documents", attacker, Trust{}, inconclusiveProof},
			{"victim's key, with its documents (control)", real, withDocs, verdict{true, false, nil, nil}},
		} {
			t.Run(id+"/"+tc.name, func(t *testing.T) {
				forger := clrParties{provider: p.provider, university: tc.signer.as(id, id+"#key-1")}
				rep, err := Verify(ctx, forger.record(t, honest), &tc.trust, &Policy{Now: t2026})
				if err != nil {
					t.Fatal(err)
				}
				tc.want.check(t, rep)
				if len(rep.Credentials) != 1 || !rep.Credentials[0].Verified {
					t.Errorf("the honest credential's report:\n%s", rep)
				}
			})
		}
	}
}

// TestClrBounds: a CLR inside a CLR is verified as one, a CLR nested
// deeper than credential.MaxClrNesting is not followed, and a record
// embedding more than credential.MaxClrCredentials credentials is refused
// without verifying any.
func TestClrBounds(t *testing.T) {
	ctx := context.Background()
	p := newClrParties(t)
	stats := p.provider.signDI(t, p.provider.award(t, nil))
	level1 := p.record(t, stats)
	level2 := p.record(t, level1)
	level3 := p.record(t, level2)

	rep, err := Verify(ctx, level2, nil, &Policy{Now: t2026})
	if err != nil {
		t.Fatal(err)
	}
	verdict{true, false, nil, nil}.check(t, rep)
	if len(rep.Credentials) != 1 || rep.Credentials[0].Class != ClassClr || len(rep.Credentials[0].Credentials) != 1 {
		t.Fatalf("a CLR in a CLR is not verified as one:\n%s", rep)
	}

	rep, err = Verify(ctx, level3, nil, &Policy{Now: t2026})
	if err != nil {
		t.Fatal(err)
	}
	verdict{false, false, []string{CheckCredentials}, nil}.check(t, rep)
	deep := rep.Credentials[0].Credentials[0]
	if deep.Class != ClassClr || len(deep.Credentials) != 0 || !strings.Contains(deep.Checks[0].Message, "nested 3 deep, over the limit of 2") {
		t.Errorf("the CLR nested too deep:\n%s", deep)
	}

	many := make([][]byte, credential.MaxClrCredentials+1)
	for i := range many {
		many[i] = stats
	}
	rep, err = Verify(ctx, p.record(t, many...), nil, &Policy{Now: t2026})
	if err != nil {
		t.Fatal(err)
	}
	verdict{false, false, []string{CheckRules, CheckCredentials}, nil}.check(t, rep)
	if len(rep.Credentials) != 0 {
		t.Errorf("%d credentials verified, want none", len(rep.Credentials))
	}
	want := fmt.Sprintf("%d embedded credentials, over the limit of %d", credential.MaxClrCredentials+1, credential.MaxClrCredentials)
	if c := rep.Check(CheckCredentials); !strings.Contains(c.Message, want) {
		t.Errorf("credentials check %q, want %q", c.Message, want)
	}
}

// TestClrUpgradedOB2 follows the OB 3.0 implementation guide (migrating.md,
// "Upgraded OB 2.0 assertion included within CLR 2.0"). Its example
// OpenBadgeCredential (spec-clr-with-upgraded-ob2-assertion.json, as
// published: unsigned, issued by a did:web) gives its issuer an
// "alsoKnownAs", a term that only the DID context defines, which the
// example does not name: JSON-LD in safe mode refuses it, so neither the
// example nor a record holding it can be signed. With that one property
// removed, signed
// with a key its issuer's DID document lists and embedded in a record, it
// verifies, the DID document served from Trust.Documents.
func TestClrUpgradedOB2(t *testing.T) {
	ctx := context.Background()
	example := mustRead(t, "testdata/clr20/spec-clr-with-upgraded-ob2-assertion.json")
	const did = "did:web:example.com:issuers:540e388e-2735-4c3e-9709-80142801c774"
	const didURL = "https://example.com/issuers/540e388e-2735-4c3e-9709-80142801c774/did.json"
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{0x42}, ed25519.SeedSize))
	store := &keys.MemoryStore{}
	k, err := keys.NewKey(did+"#key-1", did, key)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Add(ctx, k); err != nil {
		t.Fatal(err)
	}
	didDoc, err := keys.DIDDocument(ctx, store, did)
	if err != nil {
		t.Fatal(err)
	}
	trust := &Trust{Documents: map[string][]byte{didURL: didDoc}}
	is := &issuer{key: key, did: did, vm: did + "#key-1"}
	p := newClrParties(t)

	signer := &dataintegrity.Signer{Key: key, VerificationMethod: is.vm}
	if _, err := signer.Sign(ctx, example, nil); err == nil || !strings.Contains(err.Error(), "/issuer/alsoKnownAs") {
		t.Errorf("signing the example as published: %v, want a safe-mode error at /issuer/alsoKnownAs", err)
	}
	var doc map[string]any
	if err := json.Unmarshal(example, &doc); err != nil {
		t.Fatal(err)
	}
	delete(doc["issuer"].(map[string]any), "alsoKnownAs")
	fixed, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := credential.NewClrCredential(credential.LearnerRecord{
		Issuer: &credential.Profile{ID: p.university.did}, LearnerID: "did:example:ebfeb1f712ebc6f1c276e12ec21",
		Name: "Record", Credentials: []json.RawMessage{example}, ValidFrom: t2025,
	})
	if err != nil {
		t.Fatal(err)
	}
	unsignedRecord, err := credential.Marshal(raw)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (&dataintegrity.Signer{Key: p.university.key, VerificationMethod: p.university.vm}).Sign(ctx, unsignedRecord, nil); err == nil || !strings.Contains(err.Error(), "alsoKnownAs") {
		t.Errorf("signing a record that holds the example: %v, want a safe-mode error naming alsoKnownAs", err)
	}
	for _, tc := range []struct {
		name   string
		record []byte
		want   verdict
		inner  string // the inner credential's failed checks
	}{
		{"without alsoKnownAs, signed by its issuer", p.record(t, is.signDI(t, fixed)), verdict{true, false, nil, nil}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := Verify(ctx, tc.record, trust, &Policy{Now: t2026})
			if err != nil {
				t.Fatal(err)
			}
			tc.want.check(t, rep)
			if got := failed(rep.Credentials[0]); got != tc.inner {
				t.Errorf("the upgraded assertion fails %q, want %q\n%s", got, tc.inner, rep.Credentials[0])
			}
		})
	}
}

// failed returns the IDs of the checks of rep that failed, comma-separated.
func failed(rep *Report) string {
	var ids []string
	for _, c := range rep.Failed() {
		ids = append(ids, c.ID)
	}
	return strings.Join(ids, ",")
}

// TestClrManyWithOneVerifier verifies more records with one Verifier than
// schema.MaxFetchedSchemas: each names the CLR JSON Schema, now embedded,
// and each must verify with it passing (before it was embedded, asking
// for it counted against a lifetime fetch budget, and the 65th record's
// credential-schema check failed: "already fetched 64 schemas").
func TestClrManyWithOneVerifier(t *testing.T) {
	p := newClrParties(t)
	record := p.record(t, p.provider.signDI(t, p.provider.award(t, nil)))
	v, err := New(Trust{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range schema.MaxFetchedSchemas + 6 {
		rep, err := v.Verify(context.Background(), record, &Policy{Now: t2026})
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Verified || rep.Check(CheckCredentialSchema).Outcome != Passed {
			t.Fatalf("record %d:\n%s", i, rep)
		}
	}
}

// TestClrNestedInEnvelopes: the nesting bound holds when the CLRs inside
// are EnvelopedVerifiableCredentials, whose type the outer record cannot
// see. Before, only a CLR embedded as JSON was stopped: a chain of
// records each holding the next in an envelope was verified to any depth
// (five here), every level doing the work of a full record.
func TestClrNestedInEnvelopes(t *testing.T) {
	ctx := context.Background()
	p := newClrParties(t)
	stats := p.provider.signDI(t, p.provider.award(t, nil))
	envelope := func(record []byte) []byte {
		jwt := p.university.signJWT(t, record)
		return []byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"id":"data:application/vc+jwt,` + string(jwt) + `","type":"EnvelopedVerifiableCredential"}`)
	}
	for _, tc := range []struct {
		levels int // records around the credential, each enveloped in the next
		want   verdict
		depth  int // levels of CLR reports: the third is read, its credentials not verified
	}{
		{1, verdict{true, false, nil, nil}, 1},
		{2, verdict{true, false, nil, nil}, 2},
		{3, verdict{false, false, []string{CheckCredentials}, nil}, 3},
		{5, verdict{false, false, []string{CheckCredentials}, nil}, 3},
	} {
		t.Run(fmt.Sprint(tc.levels), func(t *testing.T) {
			record := p.record(t, stats)
			for range tc.levels - 1 {
				record = p.record(t, envelope(record))
			}
			rep, err := Verify(ctx, record, nil, &Policy{Now: t2026})
			if err != nil {
				t.Fatal(err)
			}
			tc.want.check(t, rep)
			depth := 0
			deepest := rep
			for r := rep; r.Class == ClassClr; r = r.Credentials[0] {
				depth, deepest = depth+1, r
				if len(r.Credentials) == 0 {
					break
				}
			}
			if depth != tc.depth {
				t.Errorf("%d levels of CLR reports, want %d:\n%s", depth, tc.depth, rep)
			}
			if tc.want.verified {
				return
			}
			if c := deepest.Check(CheckCredentials); c == nil || c.Outcome != Failed || !strings.Contains(c.Message, "a CLR nested 3 deep, over the limit of 2") {
				t.Errorf("the deepest record's credentials check: %+v", c)
			}
		})
	}
}

// TestClrTrustMaxCredentials: a verifier bounding the credentials one
// input may make it verify (Trust.MaxCredentials) applies the bound to a
// record's credentials as to a presentation's. Before, a record carried
// up to credential.MaxClrCredentials past a verifier set to take 2.
func TestClrTrustMaxCredentials(t *testing.T) {
	ctx := context.Background()
	p := newClrParties(t)
	stats := p.provider.signDI(t, p.provider.award(t, nil))
	for _, tc := range []struct {
		max, n int
		want   verdict
		inner  int // reports of embedded credentials
	}{
		{0, 3, verdict{true, false, nil, nil}, 3},
		{2, 2, verdict{true, false, nil, nil}, 2},
		{2, 3, verdict{false, false, []string{CheckCredentials}, nil}, 0},
	} {
		t.Run(fmt.Sprintf("%d of %d", tc.n, tc.max), func(t *testing.T) {
			creds := make([][]byte, tc.n)
			for i := range creds {
				creds[i] = stats
			}
			v, err := New(Trust{MaxCredentials: tc.max})
			if err != nil {
				t.Fatal(err)
			}
			rep, err := v.Verify(ctx, p.record(t, creds...), &Policy{Now: t2026})
			if err != nil {
				t.Fatal(err)
			}
			tc.want.check(t, rep)
			if len(rep.Credentials) != tc.inner {
				t.Errorf("%d embedded credentials verified, want %d", len(rep.Credentials), tc.inner)
			}
			if want := fmt.Sprintf("%d embedded credentials, over the limit of %d (Trust.MaxCredentials)", tc.n, tc.max); !tc.want.verified && !strings.Contains(rep.Check(CheckCredentials).Message, want) {
				t.Errorf("credentials check %q, want %q", rep.Check(CheckCredentials).Message, want)
			}
		})
	}
}

// TestClrFetchBound: a record whose credentials each name an issuer of
// their own (did:web, on hosts the attacker picks) makes the verifier
// fetch at most MaxFetches documents; the credentials past the bound
// cannot be decided, and the record is not verified. Before, every one was
// fetched, and kept for the rest of the call: a 16 MB record could make a
// verifier with a Fetcher request (and hold) a thousand documents; and
// JSON Schemas (credentialSchema), which the verifier's schema validator
// fetches, count against the same bound.
func TestClrFetchBound(t *testing.T) {
	ctx := context.Background()
	_, _, attacker := parties(t)
	p := newClrParties(t)
	const n = MaxFetches + 20
	creds := make([][]byte, n)
	for i := range creds {
		id := fmt.Sprintf("did:web:h%d.example", i)
		is := attacker.as(id, id+"#key-1")
		creds[i] = is.signDI(t, is.award(t, nil))
	}
	var fetched []string
	net := fetcherFunc(func(_ context.Context, url string) ([]byte, error) {
		fetched = append(fetched, url)
		return nil, fmt.Errorf("no such host")
	})
	rep, err := Verify(ctx, p.record(t, creds...), &Trust{Fetcher: net}, &Policy{Now: t2026})
	if err != nil {
		t.Fatal(err)
	}
	verdict{false, true, nil, []string{CheckCredentials}}.check(t, rep)
	if len(fetched) != MaxFetches {
		t.Errorf("%d documents fetched, want %d", len(fetched), MaxFetches)
	}
	last := rep.Credentials[n-1].Check(CheckProof)
	if last == nil || last.Outcome != Indeterminate || !strings.Contains(last.Message, "over the limit of documents fetched") {
		t.Errorf("the last credential's proof check: %+v", last)
	}

	// The same with a JSON Schema of its own named by each credential
	// (credentialSchema), fetched by the verifier's schema validator.
	for i := range creds {
		creds[i] = p.provider.signDI(t, p.provider.award(t, func(c *credential.AchievementCredential) {
			c.CredentialSchema = append(c.CredentialSchema, credential.CredentialSchema{ID: fmt.Sprintf("https://schemas.example/%d.json", i), Type: "1EdTechJsonSchemaValidator2019"})
		}))
	}
	fetched = nil
	rep, err = Verify(ctx, p.record(t, creds...), &Trust{Fetcher: net}, &Policy{Now: t2026})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Verified {
		t.Errorf("verified:\n%s", rep)
	}
	if len(fetched) != MaxFetches {
		t.Errorf("%d schemas fetched, want %d", len(fetched), MaxFetches)
	}
	last = rep.Credentials[n-1].Check(CheckCredentialSchema)
	if last == nil || last.Outcome != Failed || !strings.Contains(last.Message, "over the limit of documents fetched") {
		t.Errorf("the last credential's credential-schema check: %+v", last)
	}
}

// TestClrStringNotJWT: a VCDM 1.1 record may embed VC-JWT strings; any
// other string (here the URL of an Open Badges 2.0 assertion) is refused
// as it stands, never fetched. Before, it was verified as an input of its
// own: the verifier fetched the URL the record named and read what it
// held as a hosted badge.
func TestClrStringNotJWT(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(mustRead(t, "testdata/clr20/simple_v1.json"), &doc); err != nil {
		t.Fatal(err)
	}
	const url = "https://badges.example/assertions/1"
	doc["credentialSubject"].(map[string]any)["verifiableCredential"] = []any{url}
	record, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	var fetched []string
	net := fetcherFunc(func(_ context.Context, url string) ([]byte, error) {
		fetched = append(fetched, url)
		return nil, fmt.Errorf("no such host")
	})
	rep, err := Verify(context.Background(), record, &Trust{Fetcher: net}, &Policy{Now: t2026})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(fetched, url) {
		t.Errorf("the embedded URL was fetched: %q", fetched)
	}
	if rep.Verified || len(rep.Credentials) != 1 {
		t.Fatalf("%s", rep)
	}
	in := rep.Credentials[0].Check(CheckInput)
	if in == nil || in.Outcome != Failed || !strings.Contains(in.Message, "a VC-JWT string only in a VCDM 1.1 record") {
		t.Errorf("the embedded string's input check: %+v", in)
	}
}

// TestClrNotACredentialInside: an object embedded in a record that is not
// typed VerifiableCredential (here an Open Badges 2.0 hosted assertion)
// fails its input check as it stands and is never fetched. Before, it was
// verified as an input of its own, and the verifier fetched the URLs it
// named.
func TestClrNotACredentialInside(t *testing.T) {
	p := newClrParties(t)
	stats := p.provider.signDI(t, p.provider.award(t, nil))
	// The record's proof no longer verifies: what is inside is what counts.
	record := bytes.Replace(p.record(t, stats), stats, mustRead(t, "testdata/ob20/hosted/assertion.json"), 1)
	var fetched []string
	net := fetcherFunc(func(_ context.Context, url string) ([]byte, error) {
		fetched = append(fetched, url)
		return nil, fmt.Errorf("no such host")
	})
	rep, err := Verify(context.Background(), record, &Trust{Fetcher: net}, &Policy{Now: t2026})
	if err != nil {
		t.Fatal(err)
	}
	if len(fetched) != 0 {
		t.Errorf("fetched %q", fetched)
	}
	if rep.Verified || len(rep.Credentials) != 1 {
		t.Fatalf("%s", rep)
	}
	in := rep.Credentials[0].Check(CheckInput)
	if in == nil || in.Outcome != Failed || !strings.Contains(in.Message, `type must include VerifiableCredential (or be an EnvelopedVerifiableCredential), got ["Assertion"]`) {
		t.Errorf("the embedded assertion's input check: %+v", in)
	}
}
