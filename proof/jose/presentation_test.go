package jose

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/did"
	"github.com/go-openbadges/openbadges/keys"
)

// w3cIssuePresentation signs a presentation as vp+jwt with the case's
// secret key, its kid the key's verification method, and verifies the
// result.
func w3cIssuePresentation(r did.Resolver, vm *testVM, input []byte) error {
	key, _, err := keys.ParsePrivateJWK(vm.Secret)
	if err != nil {
		return err
	}
	token, err := (&Signer{Key: key, KeyID: vm.ID, Check: true}).SignPresentation(context.Background(), input, nil)
	if err != nil {
		return err
	}
	return w3cVerifyPresentation(r, vm, []byte(token))
}

// w3cVerifyPresentation verifies a vp+jwt with the keys r finds; its
// holder must be the case's key's controller.
func w3cVerifyPresentation(r did.Resolver, vm *testVM, input []byte) error {
	res, err := (&Verifier{Resolver: r}).VerifyPresentation(context.Background(), input, nil)
	if err != nil {
		return err
	}
	if !res.Verified {
		return res.Err
	}
	if res.Legacy || res.Holder != vm.Controller {
		return fmt.Errorf("legacy %v, holder %q", res.Legacy, res.Holder)
	}
	return nil
}

// holderParty is a did:key holder: its key and verification method.
type holderParty struct {
	key ed25519.PrivateKey
	did string
	vm  string
}

func newHolder(t testing.TB, seed byte) holderParty {
	t.Helper()
	k := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
	d, err := keys.DIDKey(k.Public())
	if err != nil {
		t.Fatal(err)
	}
	vm, err := keys.DIDKeyVerificationMethod(k.Public())
	if err != nil {
		t.Fatal(err)
	}
	return holderParty{k, d, vm}
}

// presentationOf is a presentation by holder (none if empty) of the
// credential in testdata/w3c/presentation-single.json.
func presentationOf(t testing.TB, holder string) []byte {
	t.Helper()
	var p map[string]any
	if err := json.Unmarshal(readFile(t, "testdata/w3c/presentation-single.json"), &p); err != nil {
		t.Fatal(err)
	}
	delete(p, "holder")
	if holder != "" {
		p["holder"] = holder
	}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestPresentationJWT signs presentations as vp+jwt and verifies them:
// the holder's key, the challenge (nonce) and domain (aud), and every way
// a presentation's token goes wrong, each with its error.
func TestPresentationJWT(t *testing.T) {
	ctx := context.Background()
	victim, attacker := newHolder(t, 0x76), newHolder(t, 0x61)
	sign := func(key crypto.Signer, kid string, embed bool, p []byte, opts *PresentationOptions) []byte {
		t.Helper()
		tok, err := (&Signer{Key: key, KeyID: kid, EmbedJWK: embed, Check: true}).SignPresentation(ctx, p, opts)
		if err != nil {
			t.Fatal(err)
		}
		return []byte(tok)
	}
	asked := &PresentationOptions{Challenge: "c-1", Domain: "verifier.example"}
	iat, exp := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 6, 1, 0, 5, 0, 0, time.UTC)
	signed := sign(victim.key, victim.vm, false, presentationOf(t, victim.did), &PresentationOptions{Challenge: "c-1", Domain: "verifier.example", IssuedAt: iat, Expires: exp})
	// reclaim re-signs a token's payload with header and payload edited.
	reclaim := func(tok []byte, header, payload func(string) string, key crypto.Signer) []byte {
		t.Helper()
		parts := strings.Split(string(tok), ".")
		h, _ := base64.RawURLEncoding.DecodeString(parts[0])
		p, _ := base64.RawURLEncoding.DecodeString(parts[1])
		input := base64.RawURLEncoding.EncodeToString([]byte(header(string(h)))) + "." + base64.RawURLEncoding.EncodeToString([]byte(payload(string(p))))
		sig, err := signRaw(key, "EdDSA", []byte(input))
		if err != nil {
			t.Fatal(err)
		}
		return []byte(input + "." + base64.RawURLEncoding.EncodeToString(sig))
	}
	same := func(s string) string { return s }
	// tamper changes a token's payload and keeps its signature.
	tamper := func(tok []byte, old, new string) []byte {
		parts := strings.Split(string(tok), ".")
		p, _ := base64.RawURLEncoding.DecodeString(parts[1])
		parts[1] = base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(string(p), old, new, 1)))
		return []byte(strings.Join(parts, "."))
	}
	legacy := reclaim(signed, func(string) string {
		return `{"alg":"EdDSA","kid":"` + victim.vm + `","typ":"JWT"}`
	}, func(p string) string {
		return `{"iss":"` + victim.did + `","nonce":"c-1","aud":"verifier.example","vp":` + string(presentationOf(t, victim.did)) + `}`
	}, victim.key)

	for _, tc := range []struct {
		name    string
		token   []byte
		opts    *PresentationOptions
		wantErr error
		// holder, legacy and claims when it verifies.
		holder string
		legacy bool
	}{
		{name: "holder's did:key", token: signed, opts: asked, holder: victim.did},
		{name: "nothing asked", token: signed, holder: victim.did},
		{name: "embedded jwk and kid", token: sign(victim.key, victim.vm, true, presentationOf(t, victim.did), asked), opts: asked, holder: victim.did},
		{name: "no holder: the key's controller", token: sign(attacker.key, attacker.vm, false, presentationOf(t, ""), nil), holder: attacker.did},
		{name: "VCDM 1.1 JWT, vp claim", token: legacy, opts: asked, holder: victim.did, legacy: true},
		{name: "forgery: victim as holder, attacker's key", token: sign(attacker.key, attacker.vm, false, presentationOf(t, victim.did), asked), opts: asked, wantErr: ErrKey},
		{name: "forgery: attacker's jwk, no kid", token: sign(attacker.key, "", true, presentationOf(t, victim.did), asked), opts: asked, wantErr: ErrKey},
		{name: "wrong challenge", token: signed, opts: &PresentationOptions{Challenge: "c-2"}, wantErr: ErrChallenge},
		{name: "wrong domain", token: signed, opts: &PresentationOptions{Domain: "other.example"}, wantErr: ErrChallenge},
		{name: "no nonce", token: sign(victim.key, victim.vm, false, presentationOf(t, victim.did), nil), opts: asked, wantErr: ErrChallenge},
		{name: "tampered payload", token: tamper(signed, "did:key:", "did:key:x"), wantErr: ErrSignature},
		{name: "iss is not the holder", token: reclaim(signed, same, func(p string) string {
			return strings.Replace(p, `"holder"`, `"iss":"`+attacker.did+`","holder"`, 1)
		}, victim.key), wantErr: ErrClaims},
		{name: "vp claim in a vp+jwt", token: reclaim(signed, same, func(p string) string {
			return strings.Replace(p, `"holder"`, `"vp":{},"holder"`, 1)
		}, victim.key), wantErr: ErrNotPresentation},
		{name: "credential typ", token: reclaim(signed, func(h string) string {
			return strings.Replace(h, `"vp+jwt"`, `"vc+jwt"`, 1)
		}, same, victim.key), wantErr: ErrHeader},
		{name: "not a presentation", token: reclaim(signed, same, func(p string) string {
			return strings.Replace(p, `"VerifiablePresentation"`, `"VerifiableCredential"`, 1)
		}, victim.key), wantErr: ErrNotPresentation},
		{name: "an embedded credential in a vp+jwt", token: reclaim(signed, same, func(p string) string {
			return strings.Replace(p, `"EnvelopedVerifiableCredential"`, `"VerifiableCredential"`, 1)
		}, victim.key), wantErr: ErrNotPresentation},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := (&Verifier{}).VerifyPresentation(ctx, tc.token, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if tc.wantErr != nil {
				if res.Verified || !errors.Is(res.Err, tc.wantErr) {
					t.Fatalf("verified %v, error %v; want an error wrapping %v", res.Verified, res.Err, tc.wantErr)
				}
				return
			}
			if !res.Verified {
				t.Fatalf("not verified: %v", res.Err)
			}
			if d := cmp.Diff([2]any{tc.holder, tc.legacy}, [2]any{res.Holder, res.Legacy}); d != "" {
				t.Errorf("holder and legacy (-want +got):\n%s", d)
			}
			if !IsPresentationToken(tc.token) {
				t.Error("IsPresentationToken is false")
			}
		})
	}

	// The claims of the signed token, exactly.
	res, err := (&Verifier{}).VerifyPresentation(ctx, signed, asked)
	if err != nil || !res.Verified {
		t.Fatalf("%v %v", err, res.Err)
	}
	want := Claims{Audience: []string{"verifier.example"}, IssuedAt: &iat, Expires: &exp}
	if d := cmp.Diff(want, res.Claims); d != "" || res.Nonce != "c-1" || res.Header.Type != "vp+jwt" || res.Header.ContentType != "vp" {
		t.Errorf("claims (-want +got):\n%s\nnonce %q typ %q cty %q", d, res.Nonce, res.Header.Type, res.Header.ContentType)
	}
	// The presentation is the bytes signed, without the claims.
	if want := presentationOf(t, victim.did); !bytes.Equal(res.Presentation, want) {
		t.Errorf("presentation %s, want %s", res.Presentation, want)
	}
	// A credential's token is not a presentation's.
	cred := readFile(t, "testdata/w3c/credential-jose-minimal.txt")
	if IsPresentationToken(cred) {
		t.Error("IsPresentationToken says a vc+jwt is a presentation")
	}
}

// TestSignPresentationErrors lists what SignPresentation refuses.
func TestSignPresentationErrors(t *testing.T) {
	h := newHolder(t, 1)
	p := string(presentationOf(t, h.did))
	for _, tc := range []struct {
		name, presentation string
		want               error
	}{
		{"not JSON", "nope", ErrMalformed},
		{"a credential", strings.Replace(p, `"VerifiablePresentation"`, `"VerifiableCredential"`, 1), ErrNotPresentation},
		{"a nonce already", strings.Replace(p, `"holder"`, `"nonce":"n","holder"`, 1), ErrClaims},
		{"an embedded credential", strings.Replace(p, `"EnvelopedVerifiableCredential"`, `"VerifiableCredential"`, 1), ErrNotPresentation},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := (&Signer{Key: h.key, KeyID: h.vm}).SignPresentation(context.Background(), []byte(tc.presentation), &PresentationOptions{Challenge: "c"})
			if !errors.Is(err, tc.want) {
				t.Errorf("error %v, want one wrapping %v", err, tc.want)
			}
		})
	}
}

// FuzzVerifyPresentation feeds arbitrary tokens to VerifyPresentation and
// IsPresentationToken: neither may panic, and a verified result must have
// a valid signature, a presentation, a key and a holder.
func FuzzVerifyPresentation(f *testing.F) {
	for _, p := range []string{
		"testdata/w3c/presentation-jose-multiple.txt",
		"testdata/w3c/presentation-jose-bad-credential.txt",
		"testdata/w3c/presentation-jose-bad-media-type.txt",
		"testdata/w3c/credential-jose-minimal.txt",
	} {
		f.Add(readFile(f, p))
	}
	h := newHolder(f, 1)
	tok, err := (&Signer{Key: h.key, KeyID: h.vm}).SignPresentation(context.Background(), presentationOf(f, h.did), &PresentationOptions{Challenge: "c"})
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(tok))
	f.Add([]byte("e30.e30.e30"))
	v := &Verifier{}
	f.Fuzz(func(t *testing.T, token []byte) {
		IsPresentationToken(token)
		res, err := v.VerifyPresentation(context.Background(), token, &PresentationOptions{Challenge: "c"})
		if err != nil {
			return
		}
		if res.Verified && (!res.SignatureValid || len(res.Presentation) == 0 || res.Method == nil || res.Holder == "") {
			t.Fatalf("verified without a signature, a presentation, a key or a holder: %+v", res)
		}
	})
}
