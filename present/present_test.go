package present

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"image"
	"image/png"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/bake"
	"github.com/go-openbadges/openbadges/did"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
	"github.com/go-openbadges/openbadges/proof/jose"
)

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSpace(b)
}

// holderKey is the holder's key (from bytes of 3) and its did:key.
func holderKey(t testing.TB) (ed25519.PrivateKey, string, string) {
	t.Helper()
	k := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{3}, ed25519.SeedSize))
	d, err := keys.DIDKey(k.Public())
	if err != nil {
		t.Fatal(err)
	}
	vm, err := keys.DIDKeyVerificationMethod(k.Public())
	if err != nil {
		t.Fatal(err)
	}
	return k, d, vm
}

// badge returns a 1×1 PNG with cred baked in.
func badge(t testing.TB, cred []byte) []byte {
	t.Helper()
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewGray(image.Rect(0, 0, 1, 1))); err != nil {
		t.Fatal(err)
	}
	out, err := bake.Bake(img.Bytes(), cred, nil)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestNewPresentation: each form a credential comes in, and what it is in
// the presentation; what cannot be presented, and why.
func TestNewPresentation(t *testing.T) {
	_, holder, _ := holderKey(t)
	cred, token := readFile(t, "credential.json"), readFile(t, "credential.jwt")
	want := readFile(t, "presentation.json")
	got, err := NewPresentation(holder, "urn:uuid:1", [][]byte{cred, token})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(string(want), string(got)); d != "" {
		t.Fatalf("NewPresentation (-testdata/presentation.json +got):\n%s", d)
	}
	envelope := `{"@context":"https://www.w3.org/ns/credentials/v2","id":"data:application/vc+jwt,` + string(token) + `","type":"EnvelopedVerifiableCredential"}`
	for _, tc := range []struct {
		name      string
		cred      []byte
		enveloped bool   // only enveloped credentials (a JWT presentation)
		want      string // the entry in verifiableCredential
		wantErr   string
	}{
		{name: "JSON credential, byte for byte", cred: cred, want: string(cred)},
		{name: "with a byte order mark and spaces", cred: append([]byte("\xef\xbb\xbf \n"), cred...), want: string(cred)},
		{name: "VC-JOSE token", cred: token, want: envelope},
		{name: "OB 3.0 VC-JWT", cred: []byte("eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9.e30.c2ln"), want: `{"@context":"https://www.w3.org/ns/credentials/v2","id":"data:application/jwt,eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9.e30.c2ln","type":"EnvelopedVerifiableCredential"}`},
		{name: "data: URL", cred: []byte("data:application/vc+jwt," + string(token)), want: envelope},
		{name: "envelope", cred: []byte(envelope), enveloped: true, want: envelope},
		{name: "badge image", cred: badge(t, token), enveloped: true, want: envelope},
		{name: "JSON credential in a JWT presentation", cred: cred, enveloped: true, wantErr: "present: not a credential that can be presented: a JSON credential goes in a Data Integrity presentation; a JWT presentation carries only enveloped credentials (VC-JOSE-COSE), such as a credential signed as a JWT"},
		{name: "a presentation", cred: []byte(`{"type":"VerifiablePresentation"}`), wantErr: "present: not a credential that can be presented: it is a presentation"},
		{name: "a presentation's data: URL", cred: []byte("data:application/vp+jwt,a.b.c"), wantErr: "present: not a credential that can be presented: it is a presentation (application/vp+jwt)"},
		{name: "not a credential", cred: []byte(`{"type":"Thing"}`), wantErr: "present: not a credential that can be presented: its type does not include VerifiableCredential"},
		{name: "not JSON", cred: []byte(`{"type":`), wantErr: "present: not a credential that can be presented: not a JSON object: unexpected end of JSON input"},
		{name: "empty", cred: nil, wantErr: "present: not a credential that can be presented: it is empty"},
		{name: "something else", cred: []byte("hello"), wantErr: "present: not a credential that can be presented: neither JSON, a compact JWS, a data: URL, a PNG nor an SVG"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := credentialEntry(tc.cred, tc.enveloped)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr || !errors.Is(err, ErrCredential) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, string(got)); d != "" {
				t.Errorf("entry (-want +got):\n%s", d)
			}
		})
	}
	if _, err := NewPresentation(holder, "", [][]byte{cred, []byte("x")}); err == nil || !strings.HasPrefix(err.Error(), "credential 1: ") {
		t.Errorf("error %v, want one naming credential 1", err)
	}
}

// TestPresent signs presentations in each format and checks each with the
// proof packages: the holder's key, authentication, the challenge and
// domain, and the credential carried byte for byte.
func TestPresent(t *testing.T) {
	ctx := context.Background()
	key, holder, vm := holderKey(t)
	cred, token := readFile(t, "credential.json"), readFile(t, "credential.jwt")
	created := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	opts := &Options{Challenge: "c-1", Domain: "verifier.example", ID: "urn:uuid:1", Created: created, Expires: created.Add(5 * time.Minute)}

	// Data Integrity: the proof verifies as the holder's authentication,
	// and the credential is inside as it was.
	h := &Holder{Key: key, VerificationMethod: vm}
	vp, err := h.Present(ctx, [][]byte{cred, token}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(vp, cred) {
		t.Error("the credential's bytes are not in the presentation")
	}
	res, err := (&dataintegrity.Verifier{Purpose: did.Authentication, Challenge: "c-1", Domain: "verifier.example", Now: created}).Verify(ctx, vp)
	if err != nil || !res.Verified {
		t.Fatalf("%v %v", err, res.Err())
	}
	p := res.Proofs[0]
	gotProof := []any{p.Holder, p.Proof.ProofPurpose, p.Proof.Challenge, p.Proof.Domain, p.Proof.Created, p.Proof.Expires}
	wantProof := []any{holder, "authentication", "c-1", []string{"verifier.example"}, "2026-01-01T00:00:00Z", "2026-01-01T00:05:00Z"}
	if d := cmp.Diff(wantProof, gotProof); d != "" {
		t.Errorf("proof (-want +got):\n%s", d)
	}

	// JWT and envelope: the token verifies as the holder's, with nonce
	// and aud.
	for _, f := range []Format{JWT, Enveloped} {
		out, err := (&Holder{Key: key, VerificationMethod: vm, Format: f}).Present(ctx, [][]byte{token}, opts)
		if err != nil {
			t.Fatal(err)
		}
		tok := out
		if f == Enveloped {
			var env struct {
				Context, ID, Type string
			}
			if err := json.Unmarshal(out, &env); err != nil {
				t.Fatal(err)
			}
			rest, ok := strings.CutPrefix(env.ID, "data:application/vp+jwt,")
			if !ok || env.Type != "EnvelopedVerifiablePresentation" {
				t.Fatalf("%s: not an envelope: %s", f, out)
			}
			tok = []byte(rest)
		}
		res, err := (&jose.Verifier{}).VerifyPresentation(ctx, tok, &jose.PresentationOptions{Challenge: "c-1", Domain: "verifier.example"})
		if err != nil || !res.Verified {
			t.Fatalf("%s: %v %v", f, err, res.Err)
		}
		got := []any{res.Holder, res.Claims.IssuedAt.Unix(), res.Claims.Expires.Unix(), res.Header.Type}
		if d := cmp.Diff([]any{holder, created.Unix(), created.Add(5 * time.Minute).Unix(), "vp+jwt"}, got); d != "" {
			t.Errorf("%s (-want +got):\n%s", f, d)
		}
	}
}

// TestHolderErrors: a key that is not the holder's is refused before
// anything is signed.
func TestHolderErrors(t *testing.T) {
	ctx := context.Background()
	key, holder, vm := holderKey(t)
	cred := readFile(t, "credential.json")
	for _, tc := range []struct {
		name string
		h    *Holder
		sign []byte // Sign this presentation instead of presenting cred
		want error
	}{
		{"key under another DID", &Holder{ID: "did:web:ada.example", Key: key, VerificationMethod: vm}, nil, ErrHolder},
		{"a presentation naming another holder", &Holder{Key: key, VerificationMethod: vm}, []byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"],"holder":{"id":"did:example:bob"}}`), ErrHolder},
		{"a JSON credential in a JWT presentation", &Holder{Key: key, VerificationMethod: vm, Format: JWT}, nil, ErrCredential},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			if tc.sign != nil {
				_, err = tc.h.Sign(ctx, tc.sign, nil)
			} else {
				_, err = tc.h.Present(ctx, [][]byte{cred}, nil)
			}
			if !errors.Is(err, tc.want) {
				t.Errorf("error %v, want one wrapping %v", err, tc.want)
			}
		})
	}
	// Signing the caller's presentation that names the holder works.
	vp := []byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"],"holder":"` + holder + `"}`)
	if _, err := (&Holder{Key: key, VerificationMethod: vm}).Sign(ctx, vp, &Options{Challenge: "c"}); err != nil {
		t.Error(err)
	}
}

// TestFromStore takes the holder's active key from a keys.Store.
func TestFromStore(t *testing.T) {
	ctx := context.Background()
	key, holder, vm := holderKey(t)
	var store keys.MemoryStore
	k, err := keys.NewKey(vm, holder, key)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Add(ctx, k); err != nil {
		t.Fatal(err)
	}
	h, err := FromStore(ctx, &store, holder)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([2]string{holder, vm}, [2]string{h.ID, h.VerificationMethod}); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if _, err := FromStore(ctx, &store, "did:example:nobody"); !errors.Is(err, keys.ErrNoKey) {
		t.Errorf("error %v, want one wrapping keys.ErrNoKey", err)
	}
}

// FuzzNewPresentation feeds arbitrary credentials to NewPresentation: it
// must never panic, and what it returns must be a JSON object.
func FuzzNewPresentation(f *testing.F) {
	for _, c := range []string{"credential.json", "credential.jwt"} {
		f.Add(readFile(f, c))
	}
	f.Add(badge(f, readFile(f, "credential.jwt")))
	f.Add([]byte(`{"type":["VerifiableCredential"],"x":"\u2028"}`))
	f.Add([]byte("data:application/vc+jwt,a.b.c"))
	f.Fuzz(func(t *testing.T, cred []byte) {
		out, err := NewPresentation("did:example:holder", "", [][]byte{cred})
		if err != nil {
			return
		}
		var m map[string]any
		if err := json.Unmarshal(out, &m); err != nil {
			t.Fatalf("NewPresentation(%q) = %q: %v", cred, out, err)
		}
	})
}
