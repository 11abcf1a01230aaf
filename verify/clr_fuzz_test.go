package verify

import (
	"context"
	"errors"
	"testing"
)

// FuzzVerifyClr: any record either is refused as input (ErrInput) or gets
// a report whose verdict agrees with its parts: a verified record has every
// embedded credential verified (or accepted by policy), and never more
// sub-reports than the bound allows; nothing panics, and CLRs nested in
// CLRs end.
func FuzzVerifyClr(f *testing.F) {
	for _, p := range []string{"simple.json", "simple_v1.json", "complex.json", "simple.jwt", "vector-clr-credential-signed.json"} {
		f.Add(mustRead(f, "testdata/clr20/"+p))
	}
	f.Add([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2","https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json","https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],"type":["VerifiableCredential","ClrCredential"],"credentialSubject":{"verifiableCredential":[{"type":["VerifiableCredential","ClrCredential"],"credentialSubject":{"verifiableCredential":[{"type":"ClrCredential","credentialSubject":{"verifiableCredential":{"type":"ClrCredential"}}}]}}]}}`))
	f.Add([]byte(`{"type":"ClrCredential","credentialSubject":[{"verifiableCredential":"eyJhbGciOiJFZERTQSJ9.e30.c2ln"}]}`))
	docs := issuerDocuments(f)
	v, err := New(Trust{Documents: docs})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := v.Verify(context.Background(), data, &Policy{Now: fixtureNow})
		if err != nil {
			if !errors.Is(err, ErrInput) {
				t.Fatalf("error %v is not ErrInput", err)
			}
			return
		}
		if rep.Class != ClassClr {
			return
		}
		if len(rep.Credentials) > 1000 {
			t.Fatalf("%d sub-reports", len(rep.Credentials))
		}
		for i, c := range rep.Credentials {
			if rep.Verified && !c.Verified {
				t.Fatalf("the record verifies but its credential %d does not:\n%s", i, rep)
			}
		}
	})
}
