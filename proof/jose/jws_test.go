package jose

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/keys"
)

// TestES512Vector checks the ES512 signature of RFC 7515 Appendix A.4
// (testdata/rfc7515): it verifies with the example's public key, and
// nothing tampered with does: another payload, a changed or shortened
// signature, r and s swapped, the signature read as another algorithm's,
// another P-521 key. A signature made with the example's private key
// verifies too.
func TestES512Vector(t *testing.T) {
	signer, _, err := keys.ParsePrivateJWK(readFile(t, "testdata/rfc7515/a4-key.json"))
	if err != nil {
		t.Fatal(err)
	}
	pub := signer.Public()
	token := strings.TrimSpace(string(readFile(t, "testdata/rfc7515/a4.jws")))
	input, sig := signingInput(token)
	if len(sig) != 132 {
		t.Fatalf("signature of %d bytes, want 132 (r and s of 66)", len(sig))
	}
	other, err := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	p384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	changed := func(b []byte, i int) []byte {
		c := append([]byte(nil), b...)
		c[i] ^= 1
		return c
	}
	swapped := append(append([]byte(nil), sig[66:]...), sig[:66]...)
	mine, err := signJWS(context.Background(), signer, signer.Public(), keys.ES512, input)
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		Name     string
		Verifies bool
	}
	var got, want []result
	for _, tc := range []struct {
		name  string
		pub   crypto.PublicKey
		alg   keys.Algorithm
		input []byte
		sig   []byte
		want  bool
	}{
		{"the RFC's signature", pub, keys.ES512, input, sig, true},
		{"a signature made here", pub, keys.ES512, input, mine, true},
		{"another payload", pub, keys.ES512, []byte("eyJhbGciOiJFUzUxMiJ9.UGF5bG9hZQ"), sig, false},
		{"first byte of r changed", pub, keys.ES512, input, changed(sig, 0), false},
		{"last byte of s changed", pub, keys.ES512, input, changed(sig, 131), false},
		{"a byte short", pub, keys.ES512, input, sig[:131], false},
		{"a byte long", pub, keys.ES512, input, append(append([]byte(nil), sig...), 0), false},
		{"r and s swapped", pub, keys.ES512, input, swapped, false},
		{"read as ES384", pub, keys.ES384, input, sig, false},
		{"read as ES256", pub, keys.ES256, input, sig, false},
		{"another P-521 key", &other.PublicKey, keys.ES512, input, sig, false},
		{"a P-384 key", &p384.PublicKey, keys.ES512, input, sig, false},
	} {
		got = append(got, result{tc.name, verifyJWS(tc.pub, tc.alg, tc.input, tc.sig)})
		want = append(want, result{tc.name, tc.want})
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("verifyJWS (-want +got):\n%s", diff)
	}
	if len(mine) != 132 {
		t.Errorf("signJWS made %d bytes, want 132", len(mine))
	}
	if h := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"ES512"}`)); !strings.HasPrefix(token, h+".") {
		t.Errorf("the vector's header is not %s", h)
	}
}
