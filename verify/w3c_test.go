package verify

import (
	"context"
	"strings"
	"testing"
)

// TestW3CNegative verifies the W3C vectors a verifier must reject: each is
// refused, on the input check (a token refused before its credential can be
// read) or the proof check, with the reason.
func TestW3CNegative(t *testing.T) {
	for _, tc := range []struct{ file, want string }{
		{"credential-jose-bad-signature.txt", "jose: no usable key"},
		{"credential-jose-bad-media-type.txt", "jose: no usable key"}, // offline, its kid (a thumbprint) names no key; the typ is wrong too
		{"credential-jose-vc-vp-claims.txt", "jose: no usable key"},
		{"credential-jose-unknown-extensions.txt", "jose: no usable key"}, // offline, like the others; ES512 is accepted
		{"eddsa-rdfc-2022-signedDataInt.json", "the verification method's controller is not the issuer"},
		{"ecdsa-rdfc-2019-signedECDSAP256.json", "the verification method's controller is not the issuer"},
	} {
		rep, err := Verify(context.Background(), mustRead(t, "testdata/w3c/"+tc.file), nil, &Policy{VCOnly: true, Now: t2026})
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		failed := rep.Failed()
		if rep.Verified || len(failed) == 0 || !strings.Contains(failed[0].Message, tc.want) {
			t.Errorf("%s: verified %v, failed %+v; want the first failure to say %q", tc.file, rep.Verified, failed, tc.want)
		}
	}
}
