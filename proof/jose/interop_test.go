package jose

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-openbadges/openbadges/internal/interoptest"
	"github.com/go-openbadges/openbadges/keys"
)

// TestInteropJS checks the tokens made here with a second JOSE
// implementation, panva's jose (npm), through interop/js/jwt.mjs, and
// verifies here tokens it makes. It needs the harness's node_modules:
// .ci/run installs them (npm ci) and sets OPENBADGES_INTEROP_JS; run by hand
// without them, the test is skipped and says how to run it.
func TestInteropJS(t *testing.T) {
	dir := interoptest.Dir(t, "against panva's jose")
	ctx := context.Background()
	tmp := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(tmp, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for alg, key := range testKeys(t) {
		t.Run(string(alg), func(t *testing.T) {
			issuer, kid := identityFor(t, key.Public())
			pub, _ := keys.PublicJWK(key.Public(), "")
			priv, _ := keys.PrivateJWK(key, "")
			pubFile := write(string(alg)+"-pub.json", pub)
			privFile := write(string(alg)+"-priv.json", priv)

			// Signed here, verified there (and refused there once tampered).
			token, err := (&Signer{Key: key, KeyID: kid}).Sign(ctx, credentialFor(issuer))
			if err != nil {
				t.Fatal(err)
			}
			out, code := interoptest.Node(t, dir, "jwt.mjs", "verify", "--jwk", pubFile, "--alg", string(alg), "--jwt", "--now", "2026-01-01T00:00:00Z", write("ours.jwt", []byte(token)))
			if code != 0 || !strings.Contains(out, `"verified":true`) {
				t.Errorf("jose does not verify our %s token: exit %d: %s", alg, code, out)
			}
			parts := strings.Split(token, ".")
			tampered := parts[0] + "." + parts[1][:len(parts[1])-2] + "AA." + parts[2]
			if out, code := interoptest.Node(t, dir, "jwt.mjs", "verify", "--jwk", pubFile, "--alg", string(alg), write("tampered.jwt", []byte(tampered))); code != 1 {
				t.Errorf("jose on a tampered token: exit %d: %s", code, out)
			}

			// Signed there with the header jwk, verified here.
			payload := write("payload.json", decodePart(t, token, 1))
			theirs, code := interoptest.Node(t, dir, "jwt.mjs", "sign", "--jwk", privFile, "--alg", string(alg), "--typ", "JWT", "--embed-jwk", payload)
			if code != 0 {
				t.Fatalf("jose sign: exit %d: %s", code, theirs)
			}
			res, err := (&Verifier{}).Verify(ctx, []byte(theirs))
			if err != nil || !res.Verified {
				t.Fatalf("a token jose signed does not verify here: %v %v", err, res.Err)
			}
			if !bytes.Equal(res.Credential, credentialFor(issuer)) {
				t.Errorf("credential differs:\n%s", res.Credential)
			}
		})
	}
}
