package jose

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-openbadges/openbadges/keys"
)

// TestInteropJS checks the tokens made here with a second JOSE
// implementation, panva's jose (npm), through interop/js/jwt.mjs, and
// verifies here tokens it makes. It needs the harness's node_modules:
// .ci/run installs them (npm ci) and sets OPENBADGES_INTEROP_JS; run by hand
// without them, the test is skipped and says how to run it.
func TestInteropJS(t *testing.T) {
	dir := os.Getenv("OPENBADGES_INTEROP_JS")
	if dir == "" {
		t.Skip("set OPENBADGES_INTEROP_JS to interop/js after `npm ci` there (.ci/run does) to check against panva's jose")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "jose")); err != nil {
		t.Fatalf("OPENBADGES_INTEROP_JS=%s: jose is not installed: run npm ci there (%v)", dir, err)
	}
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
			out, code := nodeJWT(t, dir, "verify", "--jwk", pubFile, "--alg", string(alg), "--jwt", "--now", "2026-01-01T00:00:00Z", write("ours.jwt", []byte(token)))
			if code != 0 || !strings.Contains(out, `"verified":true`) {
				t.Errorf("jose does not verify our %s token: exit %d: %s", alg, code, out)
			}
			parts := strings.Split(token, ".")
			tampered := parts[0] + "." + parts[1][:len(parts[1])-2] + "AA." + parts[2]
			if out, code := nodeJWT(t, dir, "verify", "--jwk", pubFile, "--alg", string(alg), write("tampered.jwt", []byte(tampered))); code != 1 {
				t.Errorf("jose on a tampered token: exit %d: %s", code, out)
			}

			// Signed there with the header jwk, verified here.
			payload := write("payload.json", decodePart(t, token, 1))
			theirs, code := nodeJWT(t, dir, "sign", "--jwk", privFile, "--alg", string(alg), "--typ", "JWT", "--embed-jwk", payload)
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

// nodeJWT runs interop/js/jwt.mjs and returns its output and exit status.
func nodeJWT(t *testing.T, dir string, args ...string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", append([]string{"jwt.mjs"}, args...)...)
	cmd.Dir = dir
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return strings.TrimSpace(out.String()), 0
	case errors.As(err, &exit):
		return out.String() + errOut.String(), exit.ExitCode()
	}
	t.Fatalf("node: %v", err)
	return "", -1
}
