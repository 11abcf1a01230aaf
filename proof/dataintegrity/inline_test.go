package dataintegrity

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/schema"
)

// TestInlineContextRefused: a credential with a large inline context is
// refused by the default limits, when signed and when verified, with an
// *schema.InlineContextError that names the limit; with the limits lifted
// in the Loader, it is signed and verifies.
func TestInlineContextRefused(t *testing.T) {
	ctx := context.Background()
	big := Limits{MaxBytes: 32 << 20}
	lifted, err := schema.NewLoader(schema.LoaderOptions{MaxInlineContextBytes: -1, MaxInlineContextTerms: -1})
	if err != nil {
		t.Fatal(err)
	}
	// A typical credential, signed, into which the inline context is put
	// afterwards: verification refuses it before it gets to the signature.
	signedTypical, err := benchSigner(t, EdDSARDFC2022).Sign(ctx, benchCredential(t, 0), &ProofOptions{Created: benchCreated})
	if err != nil {
		t.Fatal(err)
	}
	last := []byte(`"https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"`)
	withInline := func(size int) []byte {
		doc := inlineCredential(t, size)
		ctxStart := bytes.Index(doc, last) + len(last)
		ctxEnd := bytes.Index(doc[ctxStart:], []byte("]")) + ctxStart
		return bytes.Replace(signedTypical, last, append(append([]byte{}, last...), doc[ctxStart:ctxEnd]...), 1)
	}
	for _, tc := range []struct {
		name  string
		size  int
		limit string
	}{
		{"10 MiB", 10 << 20, "MaxInlineContextBytes"},
		{"1 MiB", 1 << 20, "MaxInlineContextBytes"},
		{"40 KiB", 40 << 10, "MaxInlineContextTerms"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			check := func(what string, err error) {
				t.Helper()
				var ice *schema.InlineContextError
				if !errors.As(err, &ice) || !errors.Is(err, schema.ErrInlineContextLimit) {
					t.Fatalf("%s: got %v, want an *schema.InlineContextError", what, err)
				}
				if diff := cmp.Diff(tc.limit, ice.Limit); diff != "" {
					t.Errorf("%s: the limit (-want +got):\n%s", what, diff)
				}
			}
			s := benchSigner(t, EdDSARDFC2022)
			s.Limits = big
			_, err := s.Sign(ctx, inlineCredential(t, tc.size), &ProofOptions{Created: benchCreated})
			check("Sign", err)

			res, err := (&Verifier{Limits: big}).Verify(ctx, withInline(tc.size))
			if err != nil {
				t.Fatal(err)
			}
			if res.Verified || len(res.Proofs) != 1 {
				t.Fatalf("Verify: %+v", res)
			}
			check("Verify", res.Proofs[0].Err)
		})
	}
	t.Run("lifted", func(t *testing.T) {
		s := benchSigner(t, EdDSARDFC2022)
		s.Loader, s.Limits = lifted, big
		signed, err := s.Sign(ctx, inlineCredential(t, 1<<20), &ProofOptions{Created: benchCreated})
		if err != nil {
			t.Fatal(err)
		}
		res, err := (&Verifier{Loader: lifted, Limits: big}).Verify(ctx, signed)
		if err != nil || !res.Verified {
			t.Fatalf("Verify: %v, %v", err, res.Err())
		}
	})
}
