package did_test

import (
	"context"
	"crypto"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/did"
	"github.com/go-openbadges/openbadges/keys"
)

// selfRels are the relationships did:key and did:jwk give a signing key.
var selfRels = []string{did.AssertionMethod, did.Authentication, did.CapabilityInvocation, did.CapabilityDelegation}

// didKeyMethod is what a did:key of the publicKeyMultibase mb resolves to.
func didKeyMethod(mb string) summary {
	return summary{
		ID: "did:key:" + mb + "#" + mb, Type: "Multikey", Controller: "did:key:" + mb, Key: mb,
		Binding: did.BindingSelf, Relationships: selfRels,
	}
}

// TestPublishedKeys resolves the did:key of every key the W3C and 1EdTech
// vectors publish, as a bare DID and as its verification method's DID URL,
// through Key and through the default chain.
func TestPublishedKeys(t *testing.T) {
	published := []struct{ file, member string }{
		{"di-eddsa/TestVectors/keyPair.json", "publicKeyMultibase"},
		{"di-ecdsa/TestVectors/p256KeyPair.json", "publicKeyMultibase"},
		{"di-ecdsa/TestVectors/p384KeyPair.json", "publicKeyMultibase"},
		{"di-eddsa/ob3-1edtech/keypair.json", "publicKeyMultibase"},
	}
	var mbs []string
	for _, p := range published {
		mbs = append(mbs, jsonMember(t, p.file, p.member))
	}
	for _, pair := range []string{"keyPair1", "keyPair2", "keyPair3", "keyPair4"} {
		mbs = append(mbs, jsonMember(t, "di-eddsa/TestVectors/proof-set-chain/multiKeyPairs.json", pair, "publicKeyMultibase"))
	}
	if diff := cmp.Diff([]string{w3cEd25519, w3cP256, w3cP384, obKey}, mbs[:4]); diff != "" {
		t.Fatalf("testdata keys changed (-want +got):\n%s", diff)
	}

	resolvers := map[string]did.Resolver{
		"Key":         did.Key{},
		"NewResolver": did.NewResolver(did.Options{Fetcher: noFetch(t)}),
	}
	for _, mb := range mbs {
		want := parseKey(t, mb)
		for name, r := range resolvers {
			for _, ref := range []string{"did:key:" + mb, "did:key:" + mb + "#" + mb} {
				vm, err := r.Resolve(context.Background(), ref)
				if err != nil {
					t.Errorf("%s.Resolve(%s): %v", name, ref, err)
					continue
				}
				if !vm.PublicKey.(interface{ Equal(crypto.PublicKey) bool }).Equal(want) {
					t.Errorf("%s.Resolve(%s): key differs from the published one", name, ref)
				}
				if diff := cmp.Diff(didKeyMethod(mb), summarize(t, vm)); diff != "" {
					t.Errorf("%s.Resolve(%s) (-want +got):\n%s", name, ref, diff)
				}
			}
		}
	}
}

// TestVectorVerificationMethods resolves the verificationMethod of the
// vectors' proof configurations and of the 1EdTech validator fixtures, with
// the default chain offline. A did:key resolves; an issuer#z6Mk… or
// did:web#z6Mk… reference needs its controller's document, so offline the
// chain is undecided, and only Fragment reads the key its fragment names,
// as a hint (BindingAsserted).
func TestVectorVerificationMethods(t *testing.T) {
	const (
		exampleIssuer = "https://example.com/issuers/876543"
		oneEdIssuer   = "https://1edtech.edu/issuers/565049"
		webDID        = "did:web:dc.1edtech.org:wellspring2022:wellspring-portal:org:da1e96e9-afcc-4eed-b9a2-2ddf7353214c"
	)
	tests := []struct {
		file string
		path []string
		want summary
		// hint: the default chain cannot confirm the key offline (an error
		// wrapping ErrNoFetcher, undecided); want is what Fragment reads.
		hint bool
	}{
		{"di-eddsa/TestVectors/eddsa-rdfc-2022/proofConfigDataInt.json", nil, didKeyMethod(w3cEd25519), false},
		{"di-eddsa/TestVectors/eddsa-rdfc-2022/employ/proofConfigDataInt.json", nil, didKeyMethod(w3cEd25519), false},
		{"di-eddsa/TestVectors/eddsa-jcs-2022/proofConfigJCS.json", nil, didKeyMethod(w3cEd25519), false},
		{"di-eddsa/TestVectors/Ed25519Signature2020/proofConfigEdSig.json", nil, didKeyMethod(w3cEd25519), false},
		{"di-eddsa/TestVectors/proof-set-chain/proofSetConfig1.json", nil, didKeyMethod("z6MktgKTsu1QhX6QPbyqG6geXdw6FQCZBPq7uQpieWbiQiG7"), false},
		{"di-eddsa/TestVectors/proof-set-chain/proofSetConfig2.json", nil, didKeyMethod("z6MkhWqdDBPojHA7cprTGTt5yHv5yUi1B8cnXn8ReLumkw6E"), false},
		{"di-eddsa/TestVectors/proof-set-chain/proofChainConfig1.json", nil, didKeyMethod("z6MkmEq87wkHCYnWnNZkigeDMGTN7oUw1upkhzd77KuXERS1"), false},
		{"di-eddsa/TestVectors/proof-set-chain/proofChainConfig2.json", nil, didKeyMethod("z6Mkm1S51iPHJvDEkJ9MRtxJmT8Pqo6wHipAFwBAjN83vntT"), false},
		{"di-ecdsa/TestVectors/ecdsa-rdfc-2019-p256/proofConfigECDSAP256.json", nil, didKeyMethod(w3cP256), false},
		{"di-ecdsa/TestVectors/ecdsa-jcs-2019-p256/proofConfigJCSECDSAP256.json", nil, didKeyMethod(w3cP256), false},
		{"di-ecdsa/TestVectors/ecdsa-rdfc-2019-p384/proofConfigECDSAP384.json", nil, didKeyMethod(w3cP384), false},
		{"di-ecdsa/TestVectors/ecdsa-jcs-2019-p384/proofConfigJCSECDSAP384.json", nil, didKeyMethod(w3cP384), false},
		// A bare did:key stands for its one method.
		{"ob30/simple-did-key-method.json", []string{"proof"}, didKeyMethod(obKey), false},
		// issuer#publicKeyMultibase: offline, nothing confirms the key.
		{"ob30/simple.json", []string{"proof"}, summary{
			ID: exampleIssuer + "#" + obKey, Type: "Multikey", Controller: exampleIssuer, Key: obKey, Binding: did.BindingAsserted,
		}, true},
		{"ob30/simple-did-web-method.json", []string{"proof"}, summary{
			ID: oneEdIssuer + "#" + obKey, Type: "Multikey", Controller: oneEdIssuer, Key: obKey, Binding: did.BindingAsserted,
		}, true},
		{"di-eddsa/ob3-1edtech/proof-options.json", nil, summary{
			ID: "https://example.edu/issuers/565049#" + obKey, Type: "Multikey", Controller: "https://example.edu/issuers/565049", Key: obKey, Binding: did.BindingAsserted,
		}, true},
		// A did:web with the key in its fragment: without a fetcher, the
		// same (Web says ErrNoFetcher).
		{"ob30/credential-status-revoked.json", []string{"proof"}, summary{
			ID: webDID + "#" + obKey, Type: "Multikey", Controller: webDID, Key: obKey, Binding: did.BindingAsserted,
		}, true},
	}
	r := did.NewResolver(did.Options{})
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			ref := jsonMember(t, tt.file, append(tt.path, "verificationMethod")...)
			vm, err := r.Resolve(context.Background(), ref)
			if tt.hint {
				var ce *did.ChainError
				if vm != nil || !errors.As(err, &ce) || !errors.Is(err, did.ErrNoFetcher) || !did.Undecided(err) {
					t.Errorf("Resolve(%s) = %v, %v; want a ChainError wrapping ErrNoFetcher, undecided", ref, vm, err)
				}
				vm, err = did.Fragment{}.Resolve(context.Background(), ref)
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, summarize(t, vm)); diff != "" {
				t.Errorf("Resolve(%s) (-want +got):\n%s", ref, diff)
			}
		})
	}
}

// TestVectorDocuments resolves the vectors' https and did:web verification
// methods from their controllers' documents: the document 1EdTech's vector
// implies (synthesized from its key) given offline, and a did:web document
// served over https.
func TestVectorDocuments(t *testing.T) {
	ctx := context.Background()
	ref := jsonMember(t, "di-eddsa/ob3-1edtech/proof-options.json", "verificationMethod")
	r := did.NewResolver(did.Options{
		Fetcher:   noFetch(t),
		Documents: map[string][]byte{"https://example.edu/issuers/565049": readFile(t, "testdata/di-eddsa/ob3-1edtech/controller-document.SYNTHESIZED.json")},
	})
	vm, err := r.Resolve(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	want := summary{
		ID: ref, Type: "Multikey", Controller: "https://example.edu/issuers/565049", Key: obKey,
		Binding: did.BindingDocument, Relationships: []string{did.AssertionMethod},
	}
	if diff := cmp.Diff(want, summarize(t, vm)); diff != "" {
		t.Errorf("Resolve(%s) (-want +got):\n%s", ref, diff)
	}

	const webDID = "did:web:dc.1edtech.org:wellspring2022:wellspring-portal:org:da1e96e9-afcc-4eed-b9a2-2ddf7353214c"
	s := newSite(t)
	s.serve("https://dc.1edtech.org/wellspring2022/wellspring-portal/org/da1e96e9-afcc-4eed-b9a2-2ddf7353214c/did.json", 200,
		string(readFile(t, "testdata/synthesized/did-web-1edtech.json")))
	ref = jsonMember(t, "ob30/credential-status-revoked.json", "proof", "verificationMethod")
	vm, err = did.NewResolver(did.Options{Fetcher: s.fetcher()}).Resolve(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	want = summary{
		ID: ref, Type: "Multikey", Controller: webDID, Key: obKey,
		Binding: did.BindingDocument, Relationships: []string{did.AssertionMethod},
	}
	if diff := cmp.Diff(want, summarize(t, vm)); diff != "" {
		t.Errorf("Resolve(%s) (-want +got):\n%s", ref, diff)
	}
}

// TestVectorBadMethods: the 1EdTech validator's fixtures with a bad
// verificationMethod do not resolve with the default chain offline. A key
// named under an unknown scheme or DID method, or under an issuer's URL,
// cannot be decided without a resolver or a fetcher for it; Fragment, asked
// for the hint, refuses a fragment that is not a key.
func TestVectorBadMethods(t *testing.T) {
	tests := []struct {
		file          string
		wantErr       string
		wantIs        []error
		wantUndecided bool
		// fragmentErr, if set, is Fragment's error, wrapping ErrInvalid and
		// keys.ErrMultibase.
		fragmentErr string
	}{
		{
			file: "ob30/simple-err-proof-method.json",
			wantErr: `did: no resolver resolved "https://example.edu/issuers/565049#z6MkjZRsdasZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"; ` +
				`[1] did: unsupported reference: "https://example.edu/issuers/565049#z6MkjZRsdasZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi" is not a did:key; ` +
				`[2] did: unsupported reference: "https://example.edu/issuers/565049#z6MkjZRsdasZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi" is not a did:jwk; ` +
				`[3] did: unsupported reference: "https://example.edu/issuers/565049#z6MkjZRsdasZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi" is not a did:web; ` +
				`[4] did: no fetcher, and the reference needs the network: "https://example.edu/issuers/565049#z6MkjZRsdasZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi" is at "https://example.edu/issuers/565049"`,
			wantIs:        []error{did.ErrNoFetcher},
			wantUndecided: true,
			fragmentErr:   `did: invalid: the fragment of "https://example.edu/issuers/565049#z6MkjZRsdasZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi": ` + keysMessage,
		},
		{
			file: "ob30/simple-err-proof-method-no-scheme.json",
			wantErr: `did: no resolver resolved "z6MkrvfzkMnvCroEUP2DVc9SHPE48CRsvHiVSusHioxTYu1x"; ` +
				`[1] did: unsupported reference: "z6MkrvfzkMnvCroEUP2DVc9SHPE48CRsvHiVSusHioxTYu1x" is not a did:key; ` +
				`[2] did: unsupported reference: "z6MkrvfzkMnvCroEUP2DVc9SHPE48CRsvHiVSusHioxTYu1x" is not a did:jwk; ` +
				`[3] did: unsupported reference: "z6MkrvfzkMnvCroEUP2DVc9SHPE48CRsvHiVSusHioxTYu1x" is not a did:web; ` +
				`[4] did: unsupported reference: "z6MkrvfzkMnvCroEUP2DVc9SHPE48CRsvHiVSusHioxTYu1x" is not an https URL`,
			wantIs:        []error{did.ErrUnsupported},
			wantUndecided: true,
		},
		{
			file: "ob30/simple-err-proof-method-unknown-did-method.json",
			wantErr: `did: no resolver resolved "did:example:z6MkrvfzkMnvCroEUP2DVc9SHPE48CRsvHiVSusHioxTYu1x"; ` +
				`[1] did: unsupported reference: "did:example:z6MkrvfzkMnvCroEUP2DVc9SHPE48CRsvHiVSusHioxTYu1x" is not a did:key; ` +
				`[2] did: unsupported reference: "did:example:z6MkrvfzkMnvCroEUP2DVc9SHPE48CRsvHiVSusHioxTYu1x" is not a did:jwk; ` +
				`[3] did: unsupported reference: "did:example:z6MkrvfzkMnvCroEUP2DVc9SHPE48CRsvHiVSusHioxTYu1x" is not a did:web; ` +
				`[4] did: unsupported reference: "did:example:z6MkrvfzkMnvCroEUP2DVc9SHPE48CRsvHiVSusHioxTYu1x" is not an https URL`,
			wantIs:        []error{did.ErrUnsupported},
			wantUndecided: true,
		},
		{
			file: "ob30/simple-err-proof-method-unknown-scheme.json",
			wantErr: `did: no resolver resolved "xxx:z6MkrvfzkMnvCroEUP2DVc9SHPE48CRsvHiVSusHioxTYu1x"; ` +
				`[1] did: unsupported reference: "xxx:z6MkrvfzkMnvCroEUP2DVc9SHPE48CRsvHiVSusHioxTYu1x" is not a did:key; ` +
				`[2] did: unsupported reference: "xxx:z6MkrvfzkMnvCroEUP2DVc9SHPE48CRsvHiVSusHioxTYu1x" is not a did:jwk; ` +
				`[3] did: unsupported reference: "xxx:z6MkrvfzkMnvCroEUP2DVc9SHPE48CRsvHiVSusHioxTYu1x" is not a did:web; ` +
				`[4] did: unsupported reference: "xxx:z6MkrvfzkMnvCroEUP2DVc9SHPE48CRsvHiVSusHioxTYu1x" is not an https URL`,
			wantIs:        []error{did.ErrUnsupported},
			wantUndecided: true,
		},
	}
	r := did.NewResolver(did.Options{})
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			ref := jsonMember(t, tt.file, "proof", "verificationMethod")
			vm, err := r.Resolve(context.Background(), ref)
			if vm != nil {
				t.Errorf("Resolve(%s) = %+v, want an error", ref, vm)
			}
			checkError(t, err, tt.wantErr)
			for _, target := range tt.wantIs {
				if !errors.Is(err, target) {
					t.Errorf("Resolve(%s) error does not wrap %v", ref, target)
				}
			}
			if got := did.Undecided(err); got != tt.wantUndecided {
				t.Errorf("Undecided(Resolve(%s)) = %v, want %v", ref, got, tt.wantUndecided)
			}
			if tt.fragmentErr == "" {
				return
			}
			vm, err = did.Fragment{}.Resolve(context.Background(), ref)
			if vm != nil {
				t.Errorf("Fragment.Resolve(%s) = %+v, want an error", ref, vm)
			}
			checkError(t, err, tt.fragmentErr)
			if !errors.Is(err, did.ErrInvalid) || !errors.Is(err, keys.ErrMultibase) {
				t.Errorf("Fragment.Resolve(%s) error does not wrap did.ErrInvalid and keys.ErrMultibase", ref)
			}
		})
	}
}
