package jose

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/keys"
)

// TestVerifySignature checks a compact JWS against one key: RFC 7515's
// ES512 example (testdata/rfc7515) and tokens signed here with each key
// type verify; nothing tampered with does (the payload, the signature,
// the header), nor a token checked with another key, with a key its alg
// does not fit, or whose header is refused (none, HMAC, crit, b64, jku).
func TestVerifySignature(t *testing.T) {
	rfcKey, _, err := keys.ParsePrivateJWK(readFile(t, "testdata/rfc7515/a4-key.json"))
	if err != nil {
		t.Fatal(err)
	}
	rfc := []byte(strings.TrimSpace(string(readFile(t, "testdata/rfc7515/a4.jws"))))
	h, payload, err := VerifySignature(rfc, rfcKey.Public())
	if err != nil || string(payload) != "Payload" || h.Algorithm != "ES512" {
		t.Fatalf("RFC 7515 A.4: %v, payload %q, header %+v", err, payload, h)
	}

	enc := base64.RawURLEncoding
	// token signs payload with the key of type typ under header.
	token := func(typ keys.Type, header, payload string) ([]byte, keys.Algorithm, *keys.Key) {
		signer, err := keys.Generate(typ)
		if err != nil {
			t.Fatal(err)
		}
		k, err := keys.NewKey("https://example.org/key", "https://example.org/issuer", signer)
		if err != nil {
			t.Fatal(err)
		}
		if header == "" {
			header = `{"alg":"` + string(k.Algorithm) + `"}`
		}
		input := enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(payload))
		sig, err := signJWS(context.Background(), signer, signer.Public(), k.Algorithm, []byte(input))
		if err != nil {
			t.Fatal(err)
		}
		return []byte(input + "." + enc.EncodeToString(sig)), k.Algorithm, k
	}
	const assertion = `{"@context":"https://w3id.org/openbadges/v2","type":"Assertion","id":"urn:uuid:1"}`
	for _, typ := range keys.Types() {
		t.Run(string(typ), func(t *testing.T) {
			tok, alg, k := token(typ, "", assertion)
			h, payload, err := VerifySignature(tok, k.Public)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(&Header{Algorithm: string(alg)}, h); d != "" || string(payload) != assertion {
				t.Errorf("payload %q, header (-want +got):\n%s", payload, d)
			}
			_, _, other := token(typ, "", assertion)
			parts := strings.Split(string(tok), ".")
			for _, tc := range []struct {
				name  string
				token string
				key   *keys.Key
				want  error
			}{
				{"another key", string(tok), other, ErrSignature},
				{"tampered payload", parts[0] + "." + enc.EncodeToString([]byte(strings.Replace(assertion, "1", "2", 1))) + "." + parts[2], k, ErrSignature},
				{"tampered signature", parts[0] + "." + parts[1] + "." + enc.EncodeToString(append(mustDecode(t, parts[2])[1:], 0)), k, ErrSignature},
				{"another alg", enc.EncodeToString([]byte(`{"alg":"`+otherAlg(alg)+`"}`)) + "." + parts[1] + "." + parts[2], k, ErrAlgorithm},
				{"alg none", enc.EncodeToString([]byte(`{"alg":"none"}`)) + "." + parts[1] + ".", k, ErrAlgorithm},
				{"alg HS256", enc.EncodeToString([]byte(`{"alg":"HS256"}`)) + "." + parts[1] + "." + parts[2], k, ErrAlgorithm},
				{"crit", enc.EncodeToString([]byte(`{"alg":"`+string(alg)+`","crit":["exp"]}`)) + "." + parts[1] + "." + parts[2], k, ErrHeader},
				{"b64", enc.EncodeToString([]byte(`{"alg":"`+string(alg)+`","b64":false}`)) + "." + parts[1] + "." + parts[2], k, ErrHeader},
				{"jku", enc.EncodeToString([]byte(`{"alg":"`+string(alg)+`","jku":"https://attacker.example/keys"}`)) + "." + parts[1] + "." + parts[2], k, ErrHeader},
				{"two parts", parts[0] + "." + parts[1], k, ErrMalformed},
			} {
				if _, _, err := VerifySignature([]byte(tc.token), tc.key.Public); !errors.Is(err, tc.want) {
					t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
				}
			}
		})
	}
}

func mustDecode(t *testing.T, s string) []byte {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// otherAlg is an accepted algorithm other than alg.
func otherAlg(alg keys.Algorithm) keys.Algorithm {
	if alg == keys.ES256 {
		return keys.RS256
	}
	return keys.ES256
}
