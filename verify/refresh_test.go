package verify

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
	"github.com/go-openbadges/openbadges/schema"
)

// TestRefresh follows a 1EdTechCredentialRefresh service: once, only when
// the refreshed credential can be had, and verifying what comes back.
func TestRefresh(t *testing.T) {
	ctx := context.Background()
	is := newIssuer(t, 1)
	const url = "https://example.edu/refresh/ada-stats"
	withRefresh := func(c *credential.AchievementCredential) {
		c.RefreshService = credential.OneOrMany[credential.RefreshService]{{ID: url, Type: "1EdTechCredentialRefresh"}}
		c.FillDefaults()
	}
	cred := is.signDI(t, is.award(t, withRefresh))
	refreshed := is.signDI(t, is.award(t, withRefresh)) // its own refresh service is not followed again
	tampered := []byte(strings.Replace(string(refreshed), "Pass the exam.", "Pass the quiz.", 1))
	for _, tc := range []struct {
		name    string
		docs    map[string][]byte
		outcome Outcome
		message string
		fetched int
	}{
		{"offline, not in the map", nil, Skipped, "the refresh service " + url + " was not asked: fetching is off and Trust.Documents does not hold it", 0},
		{"refreshed credential verifies", map[string][]byte{url: refreshed}, Passed, "a refreshed credential from " + url + " verifies", 1},
		{"refreshed credential tampered", map[string][]byte{url: tampered}, Warning, "the refreshed credential from " + url + " does not verify", 1},
		{"not a credential", map[string][]byte{url: []byte("hello")}, Warning, "returned something that is not a credential", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := Verify(ctx, cred, &Trust{Documents: tc.docs}, &Policy{Now: t2026})
			if err != nil {
				t.Fatal(err)
			}
			c := rep.Check(CheckRefresh)
			if c.Outcome != tc.outcome || !strings.Contains(c.Message, tc.message) {
				t.Errorf("refresh: %s %q, want %s %q", c.Outcome, c.Message, tc.outcome, tc.message)
			}
			if !rep.Verified {
				t.Errorf("the credential's own verdict changed:\n%s", rep)
			}
			if len(rep.Fetched) != tc.fetched {
				t.Errorf("fetched %+v, want %d", rep.Fetched, tc.fetched)
			}
		})
	}
}

// TestExtraContexts verifies a credential that uses an extension context
// this library does not embed: refused without it, verified when the
// caller supplies it.
func TestExtraContexts(t *testing.T) {
	ctx := context.Background()
	is := newIssuer(t, 1)
	const extURL = "https://example.com/contexts/grades/v1"
	ext := []byte(`{"@context": {"@protected": true, "gradeBand": "https://example.com/vocab#gradeBand"}}`)
	doc := is.award(t, func(c *credential.AchievementCredential) {
		c.Context = append(c.Context, credential.ContextEntry{URL: extURL})
		c.Extra = map[string]json.RawMessage{"gradeBand": json.RawMessage(`"A"`)}
	})
	loader, err := schema.NewLoader(schema.LoaderOptions{Extra: map[string][]byte{extURL: ext}})
	if err != nil {
		t.Fatal(err)
	}
	signed, err := (&dataintegrity.Signer{Key: is.key, VerificationMethod: is.vm, Loader: loader}).Sign(ctx, doc, nil)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Verify(ctx, signed, nil, &Policy{Now: t2026})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Verified || rep.Check(CheckJSONLD).Outcome != Failed || !strings.Contains(rep.Check(CheckJSONLD).Message, `unknown JSON-LD context "`+extURL+`"`) {
		t.Errorf("without the context:\n%s", rep)
	}
	rep, err = Verify(ctx, signed, &Trust{Contexts: map[string][]byte{extURL: ext}}, &Policy{Now: t2026})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Verified {
		t.Errorf("with the context:\n%s", rep)
	}
	if _, err := New(Trust{Contexts: map[string][]byte{"https://www.w3.org/ns/credentials/v2": ext}}); err == nil {
		t.Error("an extra context replacing an embedded one was accepted")
	}
}

// TestEndorsementJWT verifies an endorsement embedded as a VC-JWT
// (endorsementJwt), with its own report.
func TestEndorsementJWT(t *testing.T) {
	ctx := context.Background()
	is, other := newIssuer(t, 1), newIssuer(t, 2)
	e, err := credential.NewEndorsementCredential(&credential.Profile{ID: other.did, Name: "Accreditor"}, "https://example.edu/achievements/stats", "Endorsement", "Good course.")
	if err != nil {
		t.Fatal(err)
	}
	e.ValidFrom = credential.DateTime(t2025.Format("2006-01-02T15:04:05Z"))
	raw, err := credential.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	jwt := other.signJWT(t, raw)
	doc := is.award(t, func(c *credential.AchievementCredential) {
		c.EndorsementJwt = credential.List[string]{string(jwt)}
	})
	// endorsementJwt is defined only by the 1EdTech validator's copy of the
	// OB 3.0.3 context, not by the one 1EdTech publishes, which Signers use
	// by default; an issuer that embeds JWT endorsements signs with the
	// validator's copy (the Loader a verifier uses by default).
	if _, err := (&dataintegrity.Signer{Key: is.key, VerificationMethod: is.vm}).Sign(ctx, doc, nil); err == nil || !strings.Contains(err.Error(), `"endorsementJwt" is not defined`) {
		t.Fatalf("signing with the published context: %v", err)
	}
	bundled, err := schema.NewLoader(schema.LoaderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cred, err := (&dataintegrity.Signer{Key: is.key, VerificationMethod: is.vm, Loader: bundled}).Sign(ctx, doc, nil)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Verify(ctx, cred, nil, &Policy{Now: t2026})
	if err != nil {
		t.Fatal(err)
	}
	c := rep.Check(CheckEndorsements)
	if !rep.Verified || c.Outcome != Passed || len(rep.Endorsements) != 1 || rep.Endorsements[0].Input != "jwt" || rep.Endorsements[0].Class != "EndorsementCredential" {
		t.Errorf("%s", rep)
	}
}
