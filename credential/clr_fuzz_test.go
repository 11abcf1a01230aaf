package credential

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzParseClrCredential: any input either fails with a *DecodeError or
// decodes into a record that encodes, decodes again and encodes to the
// same bytes; Validate and Check never panic, and Check fails only on
// input it cannot read.
func FuzzParseClrCredential(f *testing.F) {
	for _, p := range clrFixtures {
		f.Add(readFile(f, p))
	}
	for _, s := range []string{`{}`, `[]`, `{"type":"ClrCredential"}`,
		`{"type":["VerifiableCredential","ClrCredential"],"credentialSubject":{"verifiableCredential":"x"}}`,
		`{"type":"ClrCredential","credentialSubject":[{"verifiableCredential":[{"type":"ClrCredential","credentialSubject":{"verifiableCredential":[{"type":"ClrCredential"}]}}]}]}`,
		`{"type":"ClrCredential","credentialSubject":{"association":{"type":"Association","associationType":"precedes","sourceId":"urn:a","targetId":"urn:b"}}}`,
		`{"type":"ClrCredential","partial":"yes"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if res, err := Check(data, &CheckOptions{Parse: ParseOptions{MaxBytes: 1 << 16}}); err != nil {
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("Check: error %T %v is not a *DecodeError", err, err)
			}
		} else if res == nil {
			t.Fatal("Check: nil result and nil error")
		}
		c, err := ParseClrCredential(data, &ParseOptions{MaxBytes: 1 << 16})
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error %T %v is not a *DecodeError", err, err)
			}
			return
		}
		_ = c.Validate()
		_, _ = c.CredentialSubject.Credentials()
		out, err := Marshal(c)
		if err != nil {
			t.Fatalf("a parsed record does not encode: %v\ninput: %s", err, data)
		}
		c2, err := ParseClrCredential(out, nil)
		if err != nil {
			t.Fatalf("the encoding does not parse: %v\n  input: %s\nencoded: %s", err, data, out)
		}
		out2, err := Marshal(c2)
		if err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("encoding is not a fixed point (%v):\n first: %s\nsecond: %s", err, out, out2)
		}
	})
}
