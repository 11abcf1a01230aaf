package dataintegrity

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

// TestProofSetChain reproduces the W3C proof set and proof chain vectors
// (vc-di-eddsa TestVectors/proof-set-chain) by signing, step by step, with
// the four keys of multiKeyPairs.json, and verifies every signed vector.
// Each step's output must equal the vector's signed document: Ed25519 is
// deterministic, and the proofs are spliced in without re-encoding.
func TestProofSetChain(t *testing.T) {
	dir := "testdata/di-eddsa/TestVectors/proof-set-chain"
	var pairs map[string]struct {
		Public  string `json:"publicKeyMultibase"`
		Private string `json:"privateKeyMultibase"`
	}
	readJSON(t, filepath.Join(dir, "multiKeyPairs.json"), &pairs)
	signer := func(name string) *Signer {
		key := vectorKeyString(t, pairs[name].Private)
		pub := pairs[name].Public
		return &Signer{Key: key, VerificationMethod: "did:key:" + pub + "#" + pub, Check: true, ProofObject: true}
	}
	type config struct {
		ID            string `json:"id"`
		Created       string `json:"created"`
		PreviousProof any    `json:"previousProof"`
	}
	opts := func(file string) *ProofOptions {
		var c config
		readJSON(t, filepath.Join(dir, file), &c)
		created, err := time.Parse(time.RFC3339, c.Created)
		if err != nil {
			t.Fatal(err)
		}
		o := &ProofOptions{ID: c.ID, Created: created}
		switch p := c.PreviousProof.(type) {
		case string:
			o.PreviousProof = []string{p}
		case []any:
			for _, s := range p {
				o.PreviousProof = append(o.PreviousProof, s.(string))
			}
		}
		return o
	}
	steps := []struct {
		key, config, want string
		proofs            int
	}{
		{"keyPair1", "proofSetConfig1.json", "signedProofSet1.json", 1},
		{"keyPair2", "proofSetConfig2.json", "signedProofSet2.json", 2},
		{"keyPair3", "proofChainConfig1.json", "signedProofChain1.json", 3},
		{"keyPair4", "proofChainConfig2.json", "signedProofChain2.json", 4},
	}
	doc := readFile(t, filepath.Join(dir, "unsigned.json"))
	ver := &Verifier{}
	for _, st := range steps {
		out, err := signer(st.key).Sign(context.Background(), doc, opts(st.config))
		if err != nil {
			t.Fatalf("%s: %v", st.want, err)
		}
		want := readFile(t, filepath.Join(dir, st.want))
		if d := jsonEqual(t, out, want); d != "" {
			t.Errorf("%s differs (-want +got):\n%s", st.want, d)
		}
		doc = out
		for name, d := range map[string][]byte{"ours": out, "vector": want} {
			res, err := ver.Verify(context.Background(), d)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Proofs) != st.proofs {
				t.Fatalf("%s %s: %d proofs, want %d", st.want, name, len(res.Proofs), st.proofs)
			}
			for i, p := range res.Proofs {
				// The vectors are signed by did:key keys that are not
				// their issuer (https://vc.example/issuers/5678).
				if !p.SignatureValid || !errors.Is(p.Err, ErrControllerMismatch) {
					t.Errorf("%s %s proof[%d]: signature valid %v, err %v; want a valid signature and a controller mismatch", st.want, name, i, p.SignatureValid, p.Err)
				}
			}
		}
	}
}

// TestProofChainMissingPrevious checks that a chain whose previous proof is
// gone fails, naming it, and that signing refuses to chain to a proof the
// document does not carry.
func TestProofChainMissingPrevious(t *testing.T) {
	dir := "testdata/di-eddsa/TestVectors/proof-set-chain"
	signed := readFile(t, filepath.Join(dir, "signedProofChain1.json"))
	// Remove the second proof of the set: the chain proof names it.
	doc := dropProof(t, signed, 1)
	res, err := (&Verifier{}).Verify(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Proofs[1].Err; !errors.Is(got, ErrPreviousProof) {
		t.Errorf("chain proof error = %v, want ErrPreviousProof", got)
	}
	s := &Signer{Key: vectorKey(t, "testdata/di-eddsa/TestVectors/keyPair.json"), VerificationMethod: "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"}
	_, err = s.Sign(context.Background(), doc, &ProofOptions{PreviousProof: []string{"urn:uuid:nope"}})
	if !errors.Is(err, ErrPreviousProof) {
		t.Errorf("Sign with a missing previous proof: %v, want ErrPreviousProof", err)
	}
	_, err = s.Sign(context.Background(), doc, &ProofOptions{ID: "urn:uuid:26329423-bec9-4b2e-88cb-a7c7d9dc4544"})
	if err == nil {
		t.Error("Sign with a proof id the document already has: no error")
	}
}
