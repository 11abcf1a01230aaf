package issuer

import (
	"context"
	"crypto/ed25519"
	"errors"
	"testing"
	"time"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/proof/jose"
	"github.com/go-openbadges/openbadges/status"
	"github.com/google/go-cmp/cmp"
)

// TestIssueTo delivers an issued award to a holder's DID, from records
// kept in each format, in each format: the copy is about the holder, says
// what the record's credential says, carries its status entry, verifies,
// and leaves the record as it was.
func TestIssueTo(t *testing.T) {
	ctx := context.Background()
	holder, _ := keys.DIDKey(ed25519.NewKeyFromSeed(make([]byte, 32)).Public())
	for _, tc := range []struct {
		name      string
		recorded  Formats
		requested Formats
	}{
		{"di to di", FormatDataIntegrity, FormatDataIntegrity},
		{"di to jwt", FormatDataIntegrity, FormatJWT},
		{"jwt to di", FormatJWT, FormatDataIntegrity},
		{"jwt to jwt", FormatJWT, FormatJWT},
		{"both to both", FormatBoth, FormatBoth},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reg := &status.Registry{Store: &status.MemoryStore{}, Now: func() time.Time { return t0 }}
			const listURL = "https://example.edu/status/1"
			if _, err := reg.Create(ctx, listURL, nil); err != nil {
				t.Fatal(err)
			}
			is, _ := testIssuer(t, func(c *Config) {
				c.Formats = tc.recorded
				c.Status = StatusConfig{Registry: reg, Bitstring: listURL}
			})
			first, err := is.Issue(ctx, submission("award"))
			if err != nil {
				t.Fatal(err)
			}
			before, _ := is.Records().Get(ctx, first.AwardKey)
			out, err := is.IssueTo(ctx, first.AwardKey, holder, tc.requested)
			if err != nil {
				t.Fatal(err)
			}
			if out.State != StateIssued || out.Report == nil || !out.Report.Verified {
				t.Fatalf("%+v", out)
			}
			if (len(out.Credential) > 0) != (tc.requested != FormatJWT) || (out.JWT != "") != (tc.requested != FormatDataIntegrity) {
				t.Fatalf("credential %d bytes, JWT %d bytes", len(out.Credential), len(out.JWT))
			}
			got := parseIssued(t, out)
			want := parseIssued(t, first)
			if got.CredentialSubject.ID != holder {
				t.Errorf("subject %q, want %q", got.CredentialSubject.ID, holder)
			}
			if got.ID == want.ID || got.ID == "" {
				t.Errorf("id %q: not a new one (the record's is %q)", got.ID, want.ID)
			}
			same := func(c *credential.AchievementCredential) any {
				return []any{c.CredentialSubject.Achievement, c.CredentialSubject.Result, c.CredentialSubject.Identifier, c.AwardedDate, c.ValidUntil, c.CredentialStatus, c.Evidence, c.Issuer.ID}
			}
			if d := cmp.Diff(same(want), same(got)); d != "" {
				t.Errorf("the copy says otherwise (-record +copy):\n%s", d)
			}
			after, _ := is.Records().Get(ctx, first.AwardKey)
			if d := cmp.Diff(before, after); d != "" {
				t.Errorf("the record changed:\n%s", d)
			}
		})
	}
}

// parseIssued reads the credential of out, from its JSON or its JWT.
func parseIssued(t *testing.T, out *Issued) *credential.AchievementCredential {
	t.Helper()
	doc := out.Credential
	if len(doc) == 0 {
		res, err := (&jose.Verifier{}).Verify(context.Background(), []byte(out.JWT))
		if err != nil || !res.Verified {
			t.Fatalf("JWT: %v %v", err, res.Err)
		}
		doc = res.Credential
	}
	c, err := credential.ParseAchievementCredential(doc, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestIssueToRefused: only an issued award is delivered, to a holder whose
// id can be a subject's.
func TestIssueToRefused(t *testing.T) {
	ctx := context.Background()
	clock := &settableClock{t: t0}
	is, _ := testIssuer(t, nil)
	issued, err := is.Issue(ctx, submission("award"))
	if err != nil {
		t.Fatal(err)
	}
	review, err := is.Issue(ctx, submission("review"))
	if err != nil {
		t.Fatal(err)
	}
	denied, err := is.Issue(ctx, submission("deny"))
	if err != nil {
		t.Fatal(err)
	}
	expiring, _ := testIssuer(t, func(c *Config) { c.Validity = time.Hour; c.Now = clock.now })
	expired, err := expiring.Issue(ctx, submission("award"))
	if err != nil {
		t.Fatal(err)
	}
	clock.t = clock.t.Add(time.Hour)
	for _, tc := range []struct {
		name, key, holder string
		want              error
		state             State
	}{
		{"in review", review.AwardKey, "did:example:holder", ErrNotIssued, StateInReview},
		{"denied", denied.AwardKey, "did:example:holder", ErrNotIssued, StateDenied},
		{"no record", "0123", "did:example:holder", ErrRecordNotFound, ""},
		{"empty holder", issued.AwardKey, "", ErrHolder, ""},
		{"relative holder", issued.AwardKey, "holder", ErrHolder, ""},
		{"holder with a space", issued.AwardKey, "did:example:a b", ErrHolder, ""},
		{"expired", expired.AwardKey, "did:example:holder", ErrExpired, StateIssued},
	} {
		t.Run(tc.name, func(t *testing.T) {
			is := is
			if tc.key == expired.AwardKey {
				is = expiring
			}
			out, err := is.IssueTo(ctx, tc.key, tc.holder, FormatDataIntegrity)
			if !errors.Is(err, tc.want) {
				t.Fatalf("error %v, want %v", err, tc.want)
			}
			if tc.state != "" && (out == nil || out.State != tc.state || len(out.Credential) > 0) {
				t.Errorf("%+v, want state %s and no credential", out, tc.state)
			}
		})
	}
}

// settableClock is a Config.Now a test moves.
type settableClock struct{ t time.Time }

func (c *settableClock) now() time.Time { return c.t }
