package statuscheck

import (
	"context"
	"testing"
	"time"

	. "github.com/go-openbadges/openbadges/status"
)

// BenchmarkCheck measures Checker.Check of a credential with one entry:
// with the list cached (the usual case), and retrieving and verifying it
// every time (MaxCacheAge < 0), for a Data Integrity list, a VC-JWT list
// and a 1EdTech list.
func BenchmarkCheck(b *testing.B) {
	f := newCheckerFixture(b)
	now := func() time.Time { return fixedNow }
	creds := map[string][]byte{
		"di":      f.cred(b, bitEntry(fxRev, Revocation, f.revIdx)),
		"jwt":     f.cred(b, bitEntry(fxJWT, Revocation, f.okIdx)),
		"1edtech": credentialWith(b, "urn:uuid:revoked", f.issuer.did, map[string]any{"id": fxEd, "type": "1EdTechRevocationList"}),
	}
	for _, cached := range []bool{true, false} {
		for _, kind := range []string{"di", "jwt", "1edtech"} {
			name := kind + "/uncached"
			c := &Checker{Documents: f.docs, Now: now, MaxCacheAge: -1}
			if cached {
				name = kind + "/cached"
				c = &Checker{Documents: f.docs, Now: now}
			}
			cred := creds[kind]
			b.Run(name, func(b *testing.B) {
				ctx := context.Background()
				if _, err := c.Check(ctx, cred); err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				for b.Loop() {
					rs, err := c.Check(ctx, cred)
					if err != nil || rs[0].Standing == Indeterminate {
						b.Fatalf("%v %+v", err, rs)
					}
				}
			})
		}
	}
}
