package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// readJSON decodes the testdata file name into v.
func readJSON(t testing.TB, name string, v any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// readHex decodes the hex text file name.
func readHex(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	b, err := hex.DecodeString(strings.TrimSpace(string(data)))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return b
}

// signDigest signs msg the way a key of its algorithm does in JOSE and Data
// Integrity: Ed25519 over the message, ECDSA and RSA over its SHA-256 or
// SHA-384 digest.
func signDigest(t testing.TB, s crypto.Signer, msg []byte) []byte {
	t.Helper()
	alg, err := AlgorithmOf(s.Public())
	if err != nil {
		t.Fatal(err)
	}
	digest, opts := prehash(alg, msg)
	sig, err := s.Sign(rand.Reader, digest, opts)
	if err != nil {
		t.Fatalf("Sign: %v", err)
	}
	return sig
}

// verifies reports whether sig is pub's signature of msg (for ECDSA, in
// ASN.1 form, as crypto.Signer makes it).
func verifies(t testing.TB, pub crypto.PublicKey, msg, sig []byte) bool {
	t.Helper()
	alg, err := AlgorithmOf(pub)
	if err != nil {
		t.Fatal(err)
	}
	digest, opts := prehash(alg, msg)
	switch k := pub.(type) {
	case ed25519.PublicKey:
		return ed25519.Verify(k, msg, sig)
	case *ecdsa.PublicKey:
		return ecdsa.VerifyASN1(k, digest, sig)
	case *rsa.PublicKey:
		return rsa.VerifyPKCS1v15(k, opts.HashFunc(), digest, sig) == nil
	}
	t.Fatalf("unexpected key %T", pub)
	return false
}

func prehash(alg Algorithm, msg []byte) ([]byte, crypto.SignerOpts) {
	switch alg {
	case ES384:
		d := sha512.Sum384(msg)
		return d[:], crypto.SHA384
	case ES512:
		d := sha512.Sum512(msg)
		return d[:], crypto.SHA512
	case ES256, RS256:
		d := sha256.Sum256(msg)
		return d[:], crypto.SHA256
	}
	return msg, crypto.Hash(0)
}

// secretStrings returns the forms in which signer's private key could leak
// into text: the base64url of the JWK's "d" and the hex of the same bytes.
func secretStrings(t testing.TB, signer crypto.Signer) []string {
	t.Helper()
	j, err := PrivateJWK(signer, "")
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		D string `json:"d"`
	}
	if err := json.Unmarshal(j, &m); err != nil || m.D == "" {
		t.Fatalf("no d in the private JWK: %v", err)
	}
	raw, err := base64.RawURLEncoding.DecodeString(m.D)
	if err != nil {
		t.Fatal(err)
	}
	out := []string{m.D, hex.EncodeToString(raw)}
	if sk, err := SecretKeyMultibase(signer); err == nil {
		out = append(out, sk)
	}
	return out
}

// assertNoSecret fails if text contains any of secrets.
func assertNoSecret(t testing.TB, what, text string, secrets []string) {
	t.Helper()
	for _, s := range secrets {
		if strings.Contains(text, s) {
			t.Errorf("%s contains private key material %q:\n%s", what, s, text)
		}
	}
}

// mustKey returns NewKey(id, controller, signer) or fails.
func mustKey(t testing.TB, id, controller string, signer crypto.Signer) *Key {
	t.Helper()
	k, err := NewKey(id, controller, signer)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// mustGenerate returns a new key of type typ or fails.
func mustGenerate(t testing.TB, typ Type) crypto.Signer {
	t.Helper()
	s, err := Generate(typ)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// cmpDiff is cmp.Diff.
func cmpDiff(want, got any, opts ...cmp.Option) string { return cmp.Diff(want, got, opts...) }

// checkErr checks that err is not nil, wraps is (when not nil) and says msg.
func checkErr(t *testing.T, name string, err, is error, msg string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: no error", name)
		return
	}
	if is != nil && !errors.Is(err, is) {
		t.Errorf("%s: %v does not wrap %v", name, err, is)
	}
	if !strings.Contains(err.Error(), msg) {
		t.Errorf("%s: %q does not say %q", name, err, msg)
	}
}
