package render

import (
	"bytes"
	"context"
	"errors"
	"os"
	"testing"
)

// FuzzTranscript: any input either is refused with ErrCredential or makes
// a transcript page with exactly one script element (the record's),
// without panicking, in a right-to-left language too.
func FuzzTranscript(f *testing.F) {
	for _, p := range []string{"testdata/clr20/simple.json", "testdata/clr20/complex.json", "testdata/clr20/simple.jwt", "testdata/clr20/vector-clr-credential-signed.json"} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"type":"ClrCredential","credentialSubject":{"verifiableCredential":["a.b.c",{"credentialSubject":[{"achievement":{"name":{"@value":"x"}}}]}],"association":{"sourceId":"x","targetId":"y","associationType":"precedes"}}}`))
	f.Add([]byte(`{"type":["ClrCredential"],"partial":true,"credentialSubject":[{"achievement":[{"id":"u","name":"\u202e<script>"}],"association":[{"sourceId":"u","targetId":"u","associationType":"isPeerOf"}]}]}`))
	f.Add(jws(f, `{"vc":{"type":["ClrCredential"],"credentialSubject":{}}}`))
	r, err := New(Config{VerifyURL: "https://verify.example.edu/?id={id}"})
	if err != nil {
		f.Fatal(err)
	}
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, data []byte) {
		page, err := r.TranscriptHTML(ctx, data, &Options{Lang: "ar"})
		if err != nil {
			if !errors.Is(err, ErrCredential) {
				t.Fatalf("an error that is not ErrCredential: %v", err)
			}
			return
		}
		if n := bytes.Count(bytes.ToLower(page), []byte("<script")); n != 1 {
			t.Fatalf("%d script elements", n)
		}
	})
}
