package credential

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzParseAchievementCredential: any input either fails with a
// *DecodeError or decodes into a credential that encodes, decodes again and
// encodes to the same bytes; the rules never panic.
func FuzzParseAchievementCredential(f *testing.F) {
	for _, fx := range fixtures(f) {
		f.Add(fx.data)
	}
	for _, s := range []string{minimal, `{}`, `[]`, `{"credentialSubject":[{}]}`, `{"issuer":"x","image":"y"}`,
		`{"@context":[{"@vocab":"x"}],"type":"A","proof":{"type":"P"},"endorsement":{"credentialSubject":{}}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseAchievementCredential(data, &ParseOptions{MaxBytes: 1 << 16})
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error %T %v is not a *DecodeError", err, err)
			}
			return
		}
		_ = c.Validate()
		out, err := Marshal(c)
		if err != nil {
			t.Fatalf("a parsed credential does not encode: %v\ninput: %s", err, data)
		}
		c2, err := ParseAchievementCredential(out, nil)
		if err != nil {
			t.Fatalf("the encoding does not parse: %v\n  input: %s\nencoded: %s", err, data, out)
		}
		out2, err := Marshal(c2)
		if err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("encoding is not a fixed point (%v):\n first: %s\nsecond: %s", err, out, out2)
		}
	})
}
