package verify

import (
	"context"
	"errors"
	"testing"

	"github.com/go-openbadges/openbadges/credential"
)

// unreachable is a fetch.Fetcher whose every fetch fails, as a server's
// does when a schema's host is down.
type unreachable struct{}

func (unreachable) Fetch(ctx context.Context, u string) ([]byte, error) {
	return nil, errors.New("connection refused")
}

// TestManyWithUnreachableSchema verifies 200 OB credentials that name a
// credentialSchema nobody can fetch with one Verifier, offline and with a
// Fetcher that fails: each gets the same verdict (verified; the schema
// skipped, or failed when fetching was allowed and failed). Before, every
// failed fetch counted against the schema Validator's lifetime budget of
// 64, and from the 65th verification on the check failed for that reason.
func TestManyWithUnreachableSchema(t *testing.T) {
	const missing = "https://schemas.example.org/missing.json"
	is := newIssuer(t, 13)
	cred := is.signDI(t, is.award(t, func(c *credential.AchievementCredential) {
		c.CredentialSchema = append(c.CredentialSchema, credential.CredentialSchema{ID: missing, Type: "1EdTechJsonSchemaValidator2019"})
	}))
	for _, tc := range []struct {
		name  string
		trust Trust
		want  Outcome
	}{
		{"offline", Trust{}, Skipped},
		{"fetch fails", Trust{Fetcher: unreachable{}}, Failed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := New(tc.trust)
			if err != nil {
				t.Fatal(err)
			}
			var first *Check
			for i := range 200 {
				rep, err := v.Verify(context.Background(), cred, &Policy{Now: t2026})
				if err != nil {
					t.Fatal(err)
				}
				c := rep.Check(CheckCredentialSchema)
				if c == nil || c.Outcome != tc.want || rep.Verified != (tc.want == Skipped) {
					t.Fatalf("verification %d: credential-schema check %+v, verified %v\n%s", i, c, rep.Verified, rep)
				}
				if first == nil {
					first = c
				} else if c.Message != first.Message {
					t.Fatalf("verification %d: %q, the first said %q", i, c.Message, first.Message)
				}
			}
			t.Logf("%s", first.Message)
		})
	}
}
