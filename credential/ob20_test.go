package credential

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func readOB2(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "ob20", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestOB2IdentityObjectMatch(t *testing.T) {
	const (
		nobody    = "sha256$ecf5409f3f4b91ab60cc5ef4c02aef7032354375e70cf4d8e43f6a1d29891942" // the validator's: nobody@example.org, salt deadsea
		nobodyMD5 = "md5$df7f6ab472edfcaf9040a8bbdee36400"
		mayze     = "sha256$7a1a1b3f7d40552e4299180e346e3add12bf9a751a43d9c4ca4518febc2c60c6" // the OB 2.0 spec's: "mayze", unsalted
		phone     = "sha256$08eb078f2074a541ef408bcc7994e30812f2da57b80172037b649d8af9b16f8f" // +16175551212, unsalted
	)
	tests := []struct {
		name     string
		o        OB2IdentityObject
		identity string
		want     bool
		err      error
	}{
		{"sha256 salted", OB2IdentityObject{Type: "email", Hashed: true, Salt: "deadsea", Identity: nobody}, "nobody@example.org", true, nil},
		{"sha256 other address", OB2IdentityObject{Type: "email", Hashed: true, Salt: "deadsea", Identity: nobody}, "somebody@example.org", false, nil},
		{"sha256 salt missing", OB2IdentityObject{Type: "email", Hashed: true, Identity: nobody}, "nobody@example.org", false, nil},
		{"sha256 salt appended, not prepended", OB2IdentityObject{Type: "email", Hashed: true, Salt: "deadsea", Identity: nobody}, "deadseanobody@example.org", false, nil},
		{"upper-case hex and algorithm", OB2IdentityObject{Type: "email", Hashed: true, Salt: "deadsea", Identity: "SHA256$ECF5409F3F4B91AB60CC5EF4C02AEF7032354375E70CF4D8E43F6A1D29891942"}, "nobody@example.org", true, nil},
		{"email in other case, hashed lower", OB2IdentityObject{Type: "email", Hashed: true, Salt: "deadsea", Identity: nobody}, "Nobody@Example.ORG", true, nil},
		{"url: case matters", OB2IdentityObject{Type: "url", Hashed: true, Identity: mayze}, "Mayze", false, nil},
		{"unsalted", OB2IdentityObject{Type: "url", Hashed: true, Identity: mayze}, "mayze", true, nil},
		{"telephone", OB2IdentityObject{Type: "telephone", Hashed: true, Identity: phone}, "+16175551212", true, nil},
		{"md5", OB2IdentityObject{Type: "email", Hashed: true, Salt: "deadsea", Identity: nobodyMD5}, "nobody@example.org", true, nil},
		{"plain email, any case", OB2IdentityObject{Type: "email", Identity: "alice@example.org"}, "Alice@Example.org", true, nil},
		{"plain url, exact", OB2IdentityObject{Type: "url", Identity: "https://example.org/alice"}, "https://example.org/Alice", false, nil},
		{"plain, hash-like text is plain", OB2IdentityObject{Type: "email", Identity: nobody}, nobody, true, nil},
		{"no algorithm", OB2IdentityObject{Type: "email", Hashed: true, Identity: "ecf5409f"}, "x", false, ErrUnsupportedHash},
		{"sha1", OB2IdentityObject{Type: "email", Hashed: true, Identity: "sha1$da39a3ee5e6b4b0d3255bfef95601890afd80709"}, "", false, ErrUnsupportedHash},
		{"short digest", OB2IdentityObject{Type: "email", Hashed: true, Identity: "sha256$ecf5409f"}, "x", false, ErrUnsupportedHash},
		{"not hex", OB2IdentityObject{Type: "email", Hashed: true, Identity: "md5$zz7f6ab472edfcaf9040a8bbdee36400"}, "x", false, ErrUnsupportedHash},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.o.Match(tt.identity)
			if got != tt.want || !errors.Is(err, tt.err) {
				t.Errorf("Match(%q) = %v, %v; want %v, %v", tt.identity, got, err, tt.want, tt.err)
			}
		})
	}
}

func TestOB2DateTime(t *testing.T) {
	tests := []struct {
		json    string
		want    time.Time
		iso8601 bool
		err     bool
	}{
		{`"2016-12-31T23:59:59Z"`, time.Date(2016, 12, 31, 23, 59, 59, 0, time.UTC), true, false},
		{`"2016-12-31T23:59:59+00:00"`, time.Date(2016, 12, 31, 23, 59, 59, 0, time.UTC), true, false},
		{`"2016-12-31T18:59:59-0500"`, time.Date(2016, 12, 31, 23, 59, 59, 0, time.UTC), true, false},
		{`"2017-01-01T01:59+02"`, time.Date(2016, 12, 31, 23, 59, 0, 0, time.UTC), true, false},
		{`"2016-12-31T23:59:59.123456Z"`, time.Date(2016, 12, 31, 23, 59, 59, 123456000, time.UTC), true, false},
		{`1483228799`, time.Date(2016, 12, 31, 23, 59, 59, 0, time.UTC), false, false},
		{`"1483228799"`, time.Date(2016, 12, 31, 23, 59, 59, 0, time.UTC), false, false},
		{`"2016-12-31T23:59:59"`, time.Time{}, false, true},
		{`"2016-12-31"`, time.Time{}, false, true},
		{`"2016-02-30T00:00:00Z"`, time.Time{}, false, true},
		{`"2016-12-31T23:59:59+24:00"`, time.Time{}, false, true},
		{`1.5e9`, time.Time{}, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.json, func(t *testing.T) {
			var d OB2DateTime
			if err := json.Unmarshal([]byte(tt.json), &d); err != nil {
				t.Fatal(err)
			}
			got, err := d.Time()
			if (err != nil) != tt.err || !got.Equal(tt.want) {
				t.Errorf("Time() = %v, %v; want %v (error %v)", got, err, tt.want, tt.err)
			}
			if d.ISO8601() != tt.iso8601 {
				t.Errorf("ISO8601() = %v, want %v", d.ISO8601(), tt.iso8601)
			}
			out, err := json.Marshal(d)
			if err != nil || string(out) != tt.json {
				t.Errorf("Marshal = %s, %v; want %s", out, err, tt.json)
			}
		})
	}
	var d OB2DateTime
	if err := json.Unmarshal([]byte(`true`), &d); err == nil {
		t.Error("a boolean decoded as a date-time")
	}
}

func TestParseOB2Assertion(t *testing.T) {
	data := readOB2(t, "val/basic-assertion.json")
	a, err := ParseOB2Assertion(data, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := &OB2Assertion{
		Context: ContextURLs(ContextOB20),
		ID:      "https://example.org/beths-robotics-badge.json",
		Type:    Types{"Assertion"},
		Recipient: &OB2IdentityObject{Type: "email", Hashed: true, Salt: "deadsea",
			Identity: "sha256$ecf5409f3f4b91ab60cc5ef4c02aef7032354375e70cf4d8e43f6a1d29891942"},
		Badge:        &OB2BadgeClass{ID: "https://example.org/robotics-badge.json", Reference: true},
		Verification: &OB2Verification{Type: Types{"hosted"}},
		IssuedOn:     OB2DateTime{Text: "2016-12-31T23:59:59Z"},
		Image:        &OB2Image{ID: "https://example.org/beths-robot-badge.png", Reference: true},
		Evidence:     List[OB2Evidence]{{ID: "https://example.org/beths-robot-work.html", Reference: true}},
	}
	ignoreRaw := cmp.FilterPath(func(p cmp.Path) bool {
		f, ok := p.Last().(cmp.StructField)
		return ok && f.Name() == "Raw"
	}, cmp.Ignore())
	if diff := cmp.Diff(want, a, ignoreRaw); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if string(a.Raw) != string(bytes.TrimSpace(data)) {
		t.Error("Raw is not the document")
	}
	if !a.Verification.Hosted() || a.Verification.Signed() {
		t.Error("hosted verification not recognised")
	}
	out, err := json.Marshal(a)
	if err != nil || !json.Valid(out) {
		t.Fatal(err)
	}
}
