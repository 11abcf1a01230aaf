package verify

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// w3cDocuments returns the controller document of the vc-jose-cose suite's
// issuer, https://example.issuer/vc-jose-cose, as it would publish it: the
// verification methods of testdata/w3c/vm-*.public.json, listed for
// assertions and authentication. The suite's tokens name their keys by JWK
// thumbprint beside an iss claim; this is where a verifier finds them.
func w3cDocuments(t testing.TB) map[string][]byte {
	t.Helper()
	const issuer = "https://example.issuer/vc-jose-cose"
	doc := map[string]any{"@context": []string{"https://www.w3.org/ns/cid/v1"}, "id": issuer}
	var vms []json.RawMessage
	var ids []string
	for _, name := range []string{"vm-p256", "vm-p384", "vm-p521", "vm-ed25519"} {
		b := mustRead(t, "testdata/w3c/"+name+".public.json")
		var vm struct{ ID, Controller string }
		if err := json.Unmarshal(b, &vm); err != nil || vm.Controller != issuer {
			t.Fatalf("%s: %v, controller %q", name, err, vm.Controller)
		}
		vms = append(vms, b)
		ids = append(ids, vm.ID)
	}
	doc["verificationMethod"], doc["assertionMethod"], doc["authentication"] = vms, ids, ids
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return map[string][]byte{issuer: b}
}

// TestW3CNegative verifies the W3C vectors a verifier must reject, with the
// issuer's document at hand: each is refused, on the input check (a token
// refused before its credential can be read) or the proof check, for what
// the vector is about, not for a key that cannot be found. Without the
// document, a JOSE token whose payload is well formed is undecided:
// nothing confirms its key.
func TestW3CNegative(t *testing.T) {
	undecided := map[Outcome][]string{Failed: nil, Indeterminate: {CheckProof}, Warning: nil}
	badInput := map[Outcome][]string{Failed: {CheckInput}, Indeterminate: nil, Warning: nil}
	for _, tc := range []struct {
		file, want string
		offline    map[Outcome][]string // without the document; nil: as with it
	}{
		{"credential-jose-bad-signature.txt", "jose: the signature does not verify", undecided},
		{"credential-jose-bad-media-type.txt", `typ "bad+typ" is not a credential's`, badInput},
		{"credential-jose-vc-vp-claims.txt", "must not have a vc or vp claim", badInput},
		{"eddsa-rdfc-2022-signedDataInt.json", "the verification method's controller is not the issuer", nil},
		{"ecdsa-rdfc-2019-signedECDSAP256.json", "the verification method's controller is not the issuer", nil},
	} {
		input := mustRead(t, "testdata/w3c/"+tc.file)
		rep, err := Verify(context.Background(), input, &Trust{Documents: w3cDocuments(t)}, &Policy{VCOnly: true, Now: t2026})
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		failed := rep.Failed()
		if rep.Verified || len(failed) == 0 || !strings.Contains(failed[0].Message, tc.want) {
			t.Errorf("%s: verified %v, failed %+v; want the first failure to say %q", tc.file, rep.Verified, failed, tc.want)
		}
		if tc.offline == nil {
			continue
		}
		rep, err = Verify(context.Background(), input, nil, &Policy{VCOnly: true, Now: t2026})
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		if d := cmp.Diff(tc.offline, outcomes(rep)); d != "" || rep.Verified {
			t.Errorf("%s without the issuer's document: verified %v, outcomes (-want +got):\n%s", tc.file, rep.Verified, d)
		}
	}
}

// TestW3CUnknownExtensions verifies the vc-jose-cose suite's case 9, which
// the suite expects to fail: the token is its minimal credential, with no
// extension at all, signed (ES512) with #key-3, a key its issuer's
// document lists. The suite hands a verifier the key file of another key
// (vm-ed25519.json) and expects that mismatch to fail it; with the
// issuer's document the token verifies, as VC-JOSE-COSE's Key Discovery
// has it.
func TestW3CUnknownExtensions(t *testing.T) {
	rep, err := Verify(context.Background(), mustRead(t, "testdata/w3c/credential-jose-unknown-extensions.txt"), &Trust{Documents: w3cDocuments(t)}, &Policy{VCOnly: true, Now: t2026})
	if err != nil {
		t.Fatal(err)
	}
	if p := rep.Check(CheckProof); !rep.Verified || !strings.Contains(p.Message, "ES512") || !strings.Contains(p.Message, "https://example.issuer/vc-jose-cose") {
		t.Errorf("verified %v, proof %s %q; want verified, ES512 by https://example.issuer/vc-jose-cose\n%s", rep.Verified, p.Outcome, p.Message, rep)
	}
}
