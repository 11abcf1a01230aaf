package dataintegrity

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/did"
	"github.com/go-openbadges/openbadges/keys"
)

// holderDocument is a did:web holder's DID document listing pub as
// #key-1 under the relationships rels.
func holderDocument(t testing.TB, id string, pub ed25519.PublicKey, rels ...string) []byte {
	t.Helper()
	mb, err := keys.PublicKeyMultibase(pub)
	if err != nil {
		t.Fatal(err)
	}
	doc := fmt.Sprintf(`{"@context":["https://www.w3.org/ns/did/v1","https://w3id.org/security/multikey/v1"],"id":%q,"verificationMethod":[{"id":"%s#key-1","type":"Multikey","controller":%q,"publicKeyMultibase":%q}]`, id, id, id, mb)
	for _, r := range rels {
		doc += fmt.Sprintf(`,%q:["#key-1"]`, r)
	}
	return []byte(doc + "}")
}

// TestPresentationHolder: a presentation's proof is its holder's. The
// proof's key must be confirmed as the holder's (did:key itself, or the
// holder's DID document listing it under authentication), whatever else
// holds; a presentation that names no holder is bound to the key's
// controller, who must still be confirmed. An attacker presenting the
// victim's credential, naming the victim as holder, with a key of their
// own never verifies.
func TestPresentationHolder(t *testing.T) {
	ctx := context.Background()
	const web = "did:web:holder.example"
	victim := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{0x76}, 32))
	attacker := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{0x61}, 32))
	victimDID, victimVM := mustDIDKey(t, victim), mustVM(t, victim)
	attackerDID, attackerVM := mustDIDKey(t, attacker), mustVM(t, attacker)

	// The victim's credential, issued to and by the victim's did:key.
	credential := []byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"` + victimDID + `","credentialSubject":{"id":"` + victimDID + `"}}`)
	credential, err := (&Signer{Key: victim, VerificationMethod: victimVM}).Sign(ctx, credential, &ProofOptions{Created: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	presentation := func(holder string, extra ...string) []byte {
		h := ""
		if holder != "" {
			h = `"holder":"` + holder + `",`
		}
		typ := `"VerifiablePresentation"`
		for _, e := range extra {
			typ += `,"` + e + `"`
		}
		return []byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":[` + typ + `],` + h + `"verifiableCredential":[` + string(credential) + `]}`)
	}
	authentication := &ProofOptions{Purpose: did.Authentication, Challenge: "c-1", Domain: []string{"verifier.example"}, Created: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)}
	sign := func(key ed25519.PrivateKey, vm string, doc []byte, opts *ProofOptions) []byte {
		out, err := (&Signer{Key: key, VerificationMethod: vm}).Sign(ctx, doc, opts)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	docs := func(rels ...string) did.Resolver {
		return did.NewResolver(did.Options{Documents: map[string][]byte{web: holderDocument(t, web, victim.Public().(ed25519.PublicKey), rels...)}})
	}
	noDocs := did.NewResolver(did.Options{})

	for _, tc := range []struct {
		name     string
		doc      []byte
		resolver did.Resolver
		// challenge and domain the Verifier asks for; purpose its Purpose.
		challenge, domain, purpose string
		wantErr                    error
		// holder and controller are ProofResult.Holder and
		// Method.Controller when it verifies.
		holder, controller string
	}{
		{name: "did:key holder, its own key", doc: sign(victim, victimVM, presentation(victimDID), authentication),
			challenge: "c-1", domain: "verifier.example", holder: victimDID, controller: victimDID},
		{name: "no challenge asked", doc: sign(victim, victimVM, presentation(victimDID), authentication),
			holder: victimDID, controller: victimDID},
		{name: "forgery: victim as holder, attacker's key", doc: sign(attacker, attackerVM, presentation(victimDID), authentication),
			challenge: "c-1", wantErr: ErrControllerMismatch},
		{name: "forgery: victim's did:key with the attacker's key as fragment", doc: sign(attacker, victimDID+"#"+attackerDID[len("did:key:"):], presentation(victimDID), authentication),
			wantErr: ErrResolve},
		{name: "no holder: bound to the key's controller", doc: sign(attacker, attackerVM, presentation(""), authentication),
			controller: attackerDID},
		{name: "wrong challenge", doc: sign(victim, victimVM, presentation(victimDID), authentication),
			challenge: "c-2", wantErr: ErrDomain},
		{name: "wrong domain", doc: sign(victim, victimVM, presentation(victimDID), authentication),
			domain: "other.example", wantErr: ErrDomain},
		{name: "no challenge in the proof", doc: sign(victim, victimVM, presentation(victimDID), &ProofOptions{Purpose: did.Authentication}),
			challenge: "c-1", wantErr: ErrDomain},
		{name: "assertionMethod proof", doc: sign(victim, victimVM, presentation(victimDID), nil),
			wantErr: ErrPurpose},
		{name: "tampered enclosed credential", doc: bytes.Replace(sign(victim, victimVM, presentation(victimDID), authentication), []byte(`"credentialSubject":{"id":"did:key:`), []byte(`"credentialSubject":{"id":"did:key:x`), 1),
			wantErr: ErrSignature},
		{name: "did:web holder, its document lists the key under authentication", doc: sign(victim, web+"#key-1", presentation(web), authentication),
			resolver: docs(did.Authentication), holder: web, controller: web},
		{name: "did:web holder, its document lists the key under assertionMethod only", doc: sign(victim, web+"#key-1", presentation(web), authentication),
			resolver: docs(did.AssertionMethod), wantErr: ErrPurpose},
		{name: "did:web holder, no document", doc: sign(victim, web+"#key-1", presentation(web), authentication),
			resolver: noDocs, wantErr: did.ErrUnconfirmed},
		{name: "forgery: did:web holder, attacker's key under its fragment", doc: sign(attacker, web+"#key-1", presentation(web), authentication),
			resolver: docs(did.Authentication), wantErr: ErrSignature},
		{name: "forgery: did:web holder, attacker's did:key", doc: sign(attacker, attackerVM, presentation(web), authentication),
			resolver: docs(did.Authentication), wantErr: ErrControllerMismatch},
		{name: "forgery: did:web holder, attacker's key unconfirmed elsewhere", doc: sign(attacker, "did:web:attacker.example#"+attackerDID[len("did:key:"):], presentation(web), authentication),
			resolver: docs(did.Authentication), wantErr: ErrControllerMismatch},
		{name: "a presentation that is also a credential: the issuer binds too", doc: sign(attacker, attackerVM, bytes.Replace(presentation("", "VerifiableCredential"), []byte(`"verifiableCredential"`), []byte(`"issuer":"`+victimDID+`","verifiableCredential"`), 1), authentication),
			wantErr: ErrControllerMismatch},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := &Verifier{Resolver: tc.resolver, Purpose: tc.purpose, Challenge: tc.challenge, Domain: tc.domain}
			if v.Purpose == "" {
				v.Purpose = did.Authentication
			}
			res, err := v.Verify(ctx, tc.doc)
			if err != nil {
				t.Fatal(err)
			}
			p := res.Proofs[0]
			if tc.wantErr != nil {
				if res.Verified || !errors.Is(p.Err, tc.wantErr) {
					t.Fatalf("verified %v, error %v; want an error wrapping %v", res.Verified, p.Err, tc.wantErr)
				}
				return
			}
			if !res.Verified {
				t.Fatalf("not verified: %v", res.Err())
			}
			got := [2]string{p.Holder, p.Method.Controller}
			if d := cmp.Diff([2]string{tc.holder, tc.controller}, got); d != "" {
				t.Errorf("holder and controller (-want +got):\n%s", d)
			}
		})
	}
}

func mustVM(t testing.TB, key ed25519.PrivateKey) string {
	t.Helper()
	vm, err := keys.DIDKeyVerificationMethod(key.Public())
	if err != nil {
		t.Fatal(err)
	}
	return vm
}
