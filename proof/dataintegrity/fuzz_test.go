package dataintegrity

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// FuzzVerify feeds arbitrary documents to Verify: it must never panic, and
// whatever it verifies must carry a proof whose signature is valid.
func FuzzVerify(f *testing.F) {
	for _, p := range []string{
		"testdata/di-eddsa/ob3-1edtech/signed-credential.json",
		"testdata/di-eddsa/TestVectors/eddsa-jcs-2022/signedJCS.json",
		"testdata/di-eddsa/TestVectors/proof-set-chain/signedProofChain2.json",
		"testdata/di-ecdsa/TestVectors/ecdsa-rdfc-2019-p256/signedECDSAP256.json",
	} {
		f.Add(readFile(f, p))
	}
	f.Add([]byte(`{"proof":{}}`))
	v := &Verifier{Limits: Limits{MaxBytes: 64 << 10, MaxWork: 1000}}
	f.Fuzz(func(t *testing.T, doc []byte) {
		// A hang is a denial of service: crash the worker, so that the
		// fuzzer keeps the input.
		tm := time.AfterFunc(10*time.Second, func() { panic(fmt.Sprintf("Verify ran for 10 s on %q", doc)) })
		defer tm.Stop()
		res, err := v.Verify(context.Background(), doc)
		if err != nil {
			return
		}
		for _, p := range res.Proofs {
			if p.Verified && !p.SignatureValid {
				t.Fatalf("verified without a valid signature: %+v", p)
			}
		}
	})
}

// FuzzInsertProof checks that splicing a proof into any JSON object gives
// valid JSON holding the proof.
func FuzzInsertProof(f *testing.F) {
	for _, s := range []string{`{}`, `{"proof":{}}`, `{"proof":[]}`, `{"a":[1,{"proof":2}]}`, "{\n}\n"} {
		f.Add([]byte(s))
	}
	e := &engine{}
	e.init(nil, Limits{}, false)
	f.Fuzz(func(t *testing.T, doc []byte) {
		d, err := e.parseDocument(doc)
		if err != nil {
			return
		}
		out := insertProof(doc, d, []byte(`{"n":"new"}`), len(doc)%2 == 0)
		d2, err := e.parseDocument(out)
		if err != nil {
			t.Fatalf("insertProof(%q) = %q: %v", doc, out, err)
		}
		if len(d2.proofs) != len(d.proofs)+1 || d2.proofs[len(d2.proofs)-1]["n"] != "new" {
			t.Fatalf("insertProof(%q) = %q", doc, out)
		}
	})
}
