package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"testing"

	"github.com/lestrrat-go/jwx/v2/jwk"
)

// TestThumbprintRFC7638 checks Thumbprint against the example of RFC 7638
// §3.1.
func TestThumbprintRFC7638(t *testing.T) {
	const jwkRSA = `{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}`
	pub, _, err := ParsePublicJWK([]byte(jwkRSA))
	if err != nil {
		t.Fatal(err)
	}
	got, err := Thumbprint(pub)
	if want := "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"; err != nil || got != want {
		t.Errorf("Thumbprint = %q, %v; want %q", got, err, want)
	}
}

// jwxThumbprint is jwx's RFC 7638 thumbprint, the oracle of the tests.
func jwxThumbprint(t testing.TB, pub crypto.PublicKey) string {
	k, err := jwk.FromRaw(pub)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := k.Thumbprint(crypto.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(sum)
}

// TestThumbprintMatchesJWX: Thumbprint (computed here) and jwx agree on
// keys of every type, including EC coordinates and RSA moduli with leading
// zero bytes, which must be kept (EC) or dropped (RSA).
func TestThumbprintMatchesJWX(t *testing.T) {
	for _, c := range []elliptic.Curve{elliptic.P256(), elliptic.P384(), elliptic.P521()} {
		for range 20 {
			k, err := ecdsa.GenerateKey(c, rand.Reader)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := mustThumbprint(t, k.Public()), jwxThumbprint(t, k.Public()); got != want {
				t.Errorf("%s: Thumbprint = %s, jwx says %s", c.Params().Name, got, want)
			}
		}
	}
	for range 20 {
		pub, _, _ := ed25519.GenerateKey(rand.Reader)
		if got, want := mustThumbprint(t, pub), jwxThumbprint(t, pub); got != want {
			t.Errorf("Ed25519: Thumbprint = %s, jwx says %s", got, want)
		}
	}
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []int{65537, 3, 1<<31 - 1} {
		pub := &rsa.PublicKey{N: rk.N, E: e}
		if got, want := mustThumbprint(t, pub), jwxThumbprint(t, pub); got != want {
			t.Errorf("RSA e=%d: Thumbprint = %s, jwx says %s", e, got, want)
		}
	}
}

func mustThumbprint(t testing.TB, pub crypto.PublicKey) string {
	tp, err := Thumbprint(pub)
	if err != nil {
		t.Fatal(err)
	}
	return tp
}

// FuzzParsePublicJWKMatchesJWX: a public JWK that ParsePublicJWK (which
// decodes it without jwx) accepts, jwx decodes to the same key with the
// same kid: the verifier's path accepts nothing the import path would read
// differently.
func FuzzParsePublicJWKMatchesJWX(f *testing.F) {
	for _, s := range jwkSeeds {
		f.Add([]byte(s))
	}
	for _, s := range optionalMemberJWKs {
		f.Add([]byte(s.jwk))
	}
	addFileSeeds(f, "testdata/golden/jwks.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		pub, kid, err := ParsePublicJWK(data)
		if err != nil {
			return
		}
		k, err := jwk.ParseKey(data)
		if err != nil {
			t.Fatalf("ParsePublicJWK accepts what jwx refuses: %v", err)
		}
		var raw any
		if err := k.Raw(&raw); err != nil {
			t.Fatal(err)
		}
		if !equalKeys(raw, pub) || k.KeyID() != kid {
			t.Fatalf("jwx reads another key or kid (%q, ours %q)", k.KeyID(), kid)
		}
	})
}

const edX = `"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"`

// optionalMemberJWKs are JWKs with the members RFC 7517 defines and this
// package never reads, well and badly typed.
var optionalMemberJWKs = []struct {
	jwk string
	ok  bool
}{
	{`{` + edX + `,"key_ops":["verify"],"x5c":["MIIB"],"x5t":"abc","x5t#S256":"abc","x5u":"https://example.com/c"}`, true},
	{`{` + edX + `,"key_ops":5}`, false},
	{`{` + edX + `,"key_ops":[5]}`, false},
	{`{` + edX + `,"x5c":"MIIB"}`, false},
	{`{` + edX + `,"x5t":7}`, false},
	{`{` + edX + `,"x5t#S256":[]}`, false},
	{`{` + edX + `,"x5u":5}`, false},
}

// TestOptionalMembers: the members a JWK may carry and this package never
// reads must still have their JSON type, as jwx requires: a public JWK,
// decoded here, is held to what jwx holds a private one to.
func TestOptionalMembers(t *testing.T) {
	for _, tt := range optionalMemberJWKs {
		_, _, err := ParsePublicJWK([]byte(tt.jwk))
		_, jwxErr := jwk.ParseKey([]byte(tt.jwk))
		if (err == nil) != tt.ok || (jwxErr == nil) != tt.ok {
			t.Errorf("%s: err = %v, jwx %v; want ok = %v", tt.jwk, err, jwxErr, tt.ok)
		}
	}
}
