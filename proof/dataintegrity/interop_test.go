package dataintegrity

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-openbadges/openbadges/internal/interoptest"
	"github.com/go-openbadges/openbadges/keys"
)

// TestDigitalBazaarFixtures verifies credentials signed by digitalbazaar's
// @digitalbazaar/vc with eddsa-rdfc-2022 (testdata/interop), and signs the
// same inputs here with the same key and time: Ed25519 being deterministic,
// the proofs must come out identical.
func TestDigitalBazaarFixtures(t *testing.T) {
	var key struct {
		ID     string `json:"id"`
		Secret string `json:"secretKeyMultibase"`
	}
	readJSON(t, "testdata/interop/key.json", &key)
	s := &Signer{Key: vectorKeyString(t, key.Secret), VerificationMethod: key.ID, Check: true, ProofObject: true}
	for _, tc := range []struct{ unsigned, signed string }{
		{"unsigned-ob.json", "signed-by-digitalbazaar.json"},
		{"unsigned-alumni.json", "signed-by-digitalbazaar-alumni.json"},
	} {
		t.Run(tc.signed, func(t *testing.T) {
			signed := readFile(t, filepath.Join("testdata/interop", tc.signed))
			res, err := (&Verifier{}).Verify(context.Background(), signed)
			if err != nil || !res.Verified {
				t.Fatalf("does not verify: %v %v", err, res.Err())
			}
			ours, err := s.Sign(context.Background(), readFile(t, filepath.Join("testdata/interop", tc.unsigned)), &ProofOptions{Created: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)})
			if err != nil {
				t.Fatal(err)
			}
			if d := jsonEqual(t, ours, signed); d != "" {
				t.Errorf("signed here differs from digitalbazaar's (-theirs +ours):\n%s", d)
			}
		})
	}
}

// interopCredential is signed on one side and verified on the other. It
// holds what canonicalizers get wrong: control characters and quotes in
// literals, non-ASCII text, numbers, booleans, nested typed objects,
// several types, an https verification method's issuer as a did:key.
const interopCredential = `{
  "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
  "id": "urn:uuid:6c1d2b8e-0f3a-4d5e-9b7c-2a1f0e3d4c5b",
  "type": ["VerifiableCredential", "OpenBadgeCredential"],
  "issuer": {"id": "ISSUER", "type": ["Profile"], "name": "École \"Supérieure\" \u0001\t\\ 東京"},
  "validFrom": "2026-01-01T00:00:00Z",
  "validUntil": "2031-01-01T00:00:00.123Z",
  "name": "Line one\nline two\r\u007f",
  "credentialSubject": {
    "id": "did:example:learner",
    "type": ["AchievementSubject"],
    "result": [{"type": ["Result"], "value": "87", "status": "Completed"}],
    "achievement": {
      "id": "https://example.com/achievements/a?x=1&y=%20",
      "type": ["Achievement"],
      "name": "Statistics 101 ✓",
      "criteria": {"narrative": "Pass **all** exams.\n\n- one\n- two"},
      "alignment": [
        {"type": ["Alignment"], "targetName": "B", "targetUrl": "https://example.com/b"},
        {"type": ["Alignment"], "targetName": "A", "targetUrl": "https://example.com/a"}
      ]
    }
  }
}`

// TestInteropJS signs here and verifies with digitalbazaar's vc and the
// Digital Credentials Consortium's verifier-core, and the other way round,
// through the harness in interop/js (node, run offline). It needs the
// harness's node_modules: .ci/run installs them (npm ci) and sets
// OPENBADGES_INTEROP_JS; run by hand without them, the test is skipped and
// says how to run it.
func TestInteropJS(t *testing.T) {
	dir := interoptest.Dir(t, "against digitalbazaar and DCC")
	tmp := t.TempDir()
	contexts := filepath.Join(tmp, "contexts.json")
	interoptest.WriteContexts(t, contexts)

	signer, err := keys.Generate(keys.Ed25519)
	if err != nil {
		t.Fatal(err)
	}
	vm, _ := keys.DIDKeyVerificationMethod(signer.Public())
	issuer, _, _ := strings.Cut(vm, "#")
	pub, _ := keys.PublicKeyMultibase(signer.Public())
	sec, _ := keys.SecretKeyMultibase(signer)
	keyFile := filepath.Join(tmp, "key.json")
	writeJSON(t, keyFile, map[string]string{"id": vm, "controller": issuer, "publicKeyMultibase": pub, "secretKeyMultibase": sec})
	unsigned := []byte(strings.Replace(interopCredential, "ISSUER", issuer, 1))
	unsignedFile := filepath.Join(tmp, "unsigned.json")
	if err := os.WriteFile(unsignedFile, unsigned, 0o600); err != nil {
		t.Fatal(err)
	}

	// Signed here, verified there.
	s := &Signer{Key: signer, VerificationMethod: vm, ProofObject: true}
	ours, err := s.Sign(context.Background(), unsigned, nil)
	if err != nil {
		t.Fatal(err)
	}
	oursFile := filepath.Join(tmp, "ours.json")
	if err := os.WriteFile(oursFile, ours, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"verify", "dcc-verify"} {
		out, code := interoptest.Node(t, dir, "di.mjs", cmd, "--contexts", contexts, oursFile)
		if code != 0 || !strings.Contains(out, `"verified":true`) {
			t.Errorf("%s of a credential signed here: exit %d: %s", cmd, code, out)
		}
	}
	// Tampered here, refused there: the check above can fail.
	tamperedFile := filepath.Join(tmp, "tampered.json")
	if err := os.WriteFile(tamperedFile, bytes.Replace(ours, []byte("Statistics 101"), []byte("Statistics 102"), 1), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, code := interoptest.Node(t, dir, "di.mjs", "verify", "--contexts", contexts, tamperedFile); code != 1 {
		t.Errorf("verify of a tampered credential: exit %d: %s", code, out)
	}

	// Signed there, verified here; and the proofs are the same bytes.
	theirs, code := interoptest.Node(t, dir, "di.mjs", "sign", "--contexts", contexts, "--key", keyFile, "--created", "2026-02-03T04:05:06Z", unsignedFile)
	if code != 0 {
		t.Fatalf("sign there: exit %d: %s", code, theirs)
	}
	res, err := (&Verifier{}).Verify(context.Background(), []byte(theirs))
	if err != nil || !res.Verified {
		t.Fatalf("a credential signed by digitalbazaar does not verify here: %v %v", err, res.Err())
	}
	again, err := s.Sign(context.Background(), unsigned, &ProofOptions{Created: time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if d := jsonEqual(t, again, []byte(theirs)); d != "" {
		t.Errorf("signed here differs from digitalbazaar (-theirs +ours):\n%s", d)
	}
}

func writeJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
