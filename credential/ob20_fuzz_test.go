package credential

import (
	"bytes"
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"

	"github.com/go-openbadges/openbadges/internal/jsonobj"
)

func ob2Seeds(f *testing.F) {
	files, err := filepath.Glob("testdata/ob20/*/*.json")
	if err != nil || len(files) == 0 {
		f.Fatalf("no OB 2.0 fixtures: %v", err)
	}
	for _, name := range files {
		rel, _ := filepath.Rel("testdata/ob20", name)
		f.Add(readOB2(f, rel))
	}
	for _, s := range []string{`{}`, `[]`, `"x"`, `{"badge":"x","issuer":{},"recipient":{"hashed":true}}`,
		`{"type":"RevocationList","revokedAssertions":["a",{"uid":1}]}`, `{"issuedOn":1e99,"expires":"2016-02-30T00:00Z"}`,
		`{"verify":{"type":["signed"]},"verification":null}`} {
		f.Add([]byte(s))
	}
}

// FuzzParseOB2: every Parse function either fails with a *DecodeError or
// reads a value that writes back the bytes it was read from; CheckOB2
// never panics and fails only on input that is not bounded JSON.
func FuzzParseOB2(f *testing.F) {
	ob2Seeds(f)
	opts := &ParseOptions{MaxBytes: 1 << 16}
	f.Fuzz(func(t *testing.T, data []byte) {
		var compact bytes.Buffer
		isJSON := json.Compact(&compact, data) == nil
		parsers := []func() (any, error){
			func() (any, error) { return ParseOB2Assertion(data, opts) },
			func() (any, error) { return ParseOB2BadgeClass(data, opts) },
			func() (any, error) { return ParseOB2Profile(data, opts) },
			func() (any, error) { return ParseOB2CryptographicKey(data, opts) },
			func() (any, error) { return ParseOB2RevocationList(data, opts) },
			func() (any, error) { return ParseOB2Endorsement(data, opts) },
		}
		decoded := false
		for _, parse := range parsers {
			v, err := parse()
			if err != nil {
				var de *DecodeError
				if !errors.As(err, &de) {
					t.Fatalf("error %T %v is not a *DecodeError", err, err)
				}
				continue
			}
			decoded = true
			out, err := jsonobj.Marshal(v)
			if err != nil || !bytes.Equal(out, compact.Bytes()) {
				t.Fatalf("%T does not write back what it read (%v):\n  read: %s\nwrote: %s", v, err, data, out)
			}
			if a, ok := v.(*OB2Assertion); ok && a.Recipient != nil {
				_, _ = a.Recipient.Match("nobody@example.org")
				_, _ = a.IssuedOn.Time()
			}
		}
		r, err := CheckOB2(data, opts)
		switch {
		case err != nil && decoded:
			t.Fatalf("CheckOB2 failed on a document that decodes: %v", err)
		case err != nil:
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("CheckOB2 error %T %v is not a *DecodeError", err, err)
			}
		case !isJSON:
			t.Fatalf("CheckOB2 checked input that is not JSON: %v", r)
		}
	})
}
