package dataintegrity

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/internal/interoptest"
	"github.com/go-openbadges/openbadges/keys"
)

// TestInteropJSContexts signs, here and with digitalbazaar's libraries
// through the harness in interop/js, the inputs of testdata/interop that
// need the Data Integrity context added (VCDM 1.1 credentials: an array
// @context, a single string, one with an inline context) or carry base
// directions, with every suite and key type: what is signed here verifies
// there and a tampered copy does not; what is signed there verifies here;
// the canonical forms are the same bytes, and with Ed25519 the whole
// signed document is the same. The eddsa-rdfc-2022 credentials are also
// verified by DCC's verifier-core.
func TestInteropJSContexts(t *testing.T) {
	dir := interoptest.Dir(t, "added contexts and base directions against digitalbazaar")
	tmp := t.TempDir()
	contexts := filepath.Join(tmp, "contexts.json")
	interoptest.WriteContexts(t, contexts)
	keyFiles := map[keys.Type]string{}
	for _, typ := range []keys.Type{keys.Ed25519, keys.P256, keys.P384} {
		k, err := keys.Generate(typ)
		if err != nil {
			t.Fatal(err)
		}
		vm, _ := keys.DIDKeyVerificationMethod(k.Public())
		controller, _, _ := strings.Cut(vm, "#")
		pub, _ := keys.PublicKeyMultibase(k.Public())
		sec, err := keys.SecretKeyMultibase(k)
		if err != nil {
			t.Fatal(err)
		}
		keyFiles[typ] = filepath.Join(tmp, string(typ)+".json")
		writeJSON(t, keyFiles[typ], map[string]string{"id": vm, "controller": controller, "publicKeyMultibase": pub, "secretKeyMultibase": sec})
	}
	created := time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC)

	for _, tc := range []struct {
		unsigned, suite string
		key             keys.Type
		proofOnly       bool // no VC data model checks there (vc wants an array @context)
	}{
		{"unsigned-vcdm11.json", EdDSARDFC2022, keys.Ed25519, false},
		{"unsigned-vcdm11.json", EdDSAJCS2022, keys.Ed25519, false},
		{"unsigned-vcdm11.json", ECDSARDFC2019, keys.P256, false},
		{"unsigned-vcdm11.json", ECDSARDFC2019, keys.P384, false},
		{"unsigned-vcdm11.json", ECDSAJCS2019, keys.P256, false},
		{"unsigned-vcdm11.json", ECDSAJCS2019, keys.P384, false},
		{"unsigned-vcdm11-string.json", EdDSARDFC2022, keys.Ed25519, true},
		{"unsigned-vcdm11-string.json", EdDSAJCS2022, keys.Ed25519, true},
		{"unsigned-vcdm11-inline.json", EdDSARDFC2022, keys.Ed25519, false},
		{"unsigned-vcdm11-inline.json", ECDSARDFC2019, keys.P256, false},
		{"unsigned-direction.json", EdDSARDFC2022, keys.Ed25519, false},
		{"unsigned-direction.json", ECDSARDFC2019, keys.P256, false},
		{"unsigned-direction.json", ECDSARDFC2019, keys.P384, false},
		{"unsigned-direction.json", EdDSAJCS2022, keys.Ed25519, false},
		{"unsigned-direction-ob.json", EdDSARDFC2022, keys.Ed25519, false},
	} {
		name := strings.TrimSuffix(strings.TrimPrefix(tc.unsigned, "unsigned-"), ".json") + "/" + tc.suite + "/" + string(tc.key)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			work := t.TempDir()
			k, vm, controller := fixtureKey(t, keyFiles[tc.key])
			unsigned := bytes.ReplaceAll(readFile(t, filepath.Join("testdata/interop", tc.unsigned)), []byte("ISSUER"), []byte(controller))
			unsignedFile := filepath.Join(work, "unsigned.json")
			if err := os.WriteFile(unsignedFile, unsigned, 0o600); err != nil {
				t.Fatal(err)
			}
			var only []string
			if tc.proofOnly {
				only = []string{"--proof-only"}
			}

			// Signed here, verified there; tampered, refused there.
			s := &Signer{Key: k, VerificationMethod: vm, Suite: tc.suite, ProofObject: true, Check: true}
			ours, err := s.Sign(context.Background(), unsigned, &ProofOptions{Created: created})
			if err != nil {
				t.Fatal(err)
			}
			oursFile := filepath.Join(work, "ours.json")
			if err := os.WriteFile(oursFile, ours, 0o600); err != nil {
				t.Fatal(err)
			}
			verifiers := []string{"verify"}
			if tc.suite == EdDSARDFC2022 && !tc.proofOnly {
				verifiers = append(verifiers, "dcc-verify")
			}
			for _, cmd := range verifiers {
				out, code := interoptest.Node(t, dir, "di.mjs", append(append([]string{cmd, "--contexts", contexts}, only...), oursFile)...)
				if code != 0 || !strings.Contains(out, `"verified":true`) {
					t.Errorf("%s of a credential signed here: exit %d: %s", cmd, code, out)
				}
			}
			for _, change := range [][2]string{{"2024-05-06T07:08:09Z", "2024-05-07T07:08:09Z"}, {`"rtl"`, `"ltr"`}} {
				if !bytes.Contains(ours, []byte(change[0])) {
					continue
				}
				tamperedFile := filepath.Join(work, "tampered.json")
				if err := os.WriteFile(tamperedFile, bytes.Replace(ours, []byte(change[0]), []byte(change[1]), 1), 0o600); err != nil {
					t.Fatal(err)
				}
				if out, code := interoptest.Node(t, dir, "di.mjs", append(append([]string{"verify", "--contexts", contexts}, only...), tamperedFile)...); code != 1 {
					t.Errorf("verify of a copy with %s changed to %s: exit %d: %s", change[0], change[1], code, out)
				}
			}

			// Signed there, verified here; the same canonical forms, and
			// with Ed25519 the same document.
			theirs, code := interoptest.Node(t, dir, "di.mjs", append(append([]string{"sign", "--contexts", contexts, "--key", keyFiles[tc.key], "--cryptosuite", tc.suite, "--created", created.Format(time.RFC3339)}, only...), unsignedFile)...)
			if code != 0 {
				t.Fatalf("sign there: exit %d: %s", code, theirs)
			}
			v := &Verifier{Diagnostics: true}
			res, err := v.Verify(context.Background(), []byte(theirs))
			if err != nil || !res.Verified {
				t.Fatalf("a credential signed by digitalbazaar does not verify here: %v %v", err, res.Err())
			}
			mine, err := v.Verify(context.Background(), ours)
			if err != nil || !mine.Verified {
				t.Fatalf("ours does not verify here: %v %v", err, mine.Err())
			}
			if d := cmp.Diff(res.Proofs[0].Diagnostics, mine.Proofs[0].Diagnostics); d != "" {
				t.Errorf("canonical forms (-digitalbazaar +ours):\n%s", d)
			}
			if tc.key == keys.Ed25519 {
				if d := jsonEqual(t, ours, []byte(theirs)); d != "" {
					t.Errorf("signed here differs from digitalbazaar (-theirs +ours):\n%s", d)
				}
			} else if d := jsonEqual(t, withoutProofValue(t, ours), withoutProofValue(t, []byte(theirs))); d != "" {
				t.Errorf("signed here differs from digitalbazaar but for the signature (-theirs +ours):\n%s", d)
			}
		})
	}
}
