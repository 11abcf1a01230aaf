package did

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseDIDURL(t *testing.T) {
	tests := []struct {
		in      string
		want    didURL
		wantErr string
	}{
		{in: "did:web:example.com", want: didURL{did: "did:web:example.com", method: "web", msid: "example.com"}},
		{
			in:   "did:example:a:b%3Ac/p/q;x=y?v=1&w=/?x#f/g?h:i@",
			want: didURL{did: "did:example:a:b%3Ac", method: "example", msid: "a:b%3Ac", path: "/p/q;x=y", query: "v=1&w=/?x", fragment: "f/g?h:i@", hasQuery: true, hasFrag: true},
		},
		{in: "did:key:z6Mk#", want: didURL{did: "did:key:z6Mk", method: "key", msid: "z6Mk", hasFrag: true}},
		{in: "did:a1:x?", want: didURL{did: "did:a1:x", method: "a1", msid: "x", hasQuery: true}},
		{in: "did:example::x", want: didURL{did: "did:example::x", method: "example", msid: ":x"}},
		{in: "did:example:", wantErr: `did: invalid: "did:example:": the method-specific identifier is empty or ends with ":"`},
		{in: "did:example:x:", wantErr: `did: invalid: "did:example:x:": the method-specific identifier is empty or ends with ":"`},
		{in: "did:example:/p", wantErr: `did: invalid: "did:example:/p": the method-specific identifier is empty or ends with ":"`},
		{in: "did::x", wantErr: `did: invalid: "did::x": a DID's method name is lowercase letters and digits followed by ":"`},
		{in: "did:ex-ample:x", wantErr: `did: invalid: "did:ex-ample:x": a DID's method name is lowercase letters and digits followed by ":"`},
		{in: "did:example", wantErr: `did: invalid: "did:example": a DID's method name is lowercase letters and digits followed by ":"`},
		{in: "DID:example:x", wantErr: `did: invalid: "DID:example:x" is not a DID`},
		{in: "did:example:x%4", wantErr: `did: invalid: "did:example:x%4": "%" not followed by two hex digits`},
		{in: "did:example:x/a b", wantErr: `did: invalid: "did:example:x/a b": path: character 0x20 is not allowed`},
		{in: "did:example:x/%g0", wantErr: `did: invalid: "did:example:x/%g0": path: "%" not followed by two hex digits`},
		{in: "did:example:x?a[0]", wantErr: `did: invalid: "did:example:x?a[0]": query: character '[' is not allowed`},
		{in: "did:example:x#a#b", wantErr: `did: invalid: "did:example:x#a#b": fragment: character '#' is not allowed`},
		{in: "did:example:x#\u00e9", wantErr: `did: invalid: "did:example:x#é": fragment: character 0xc3 is not allowed`},
	}
	for _, tt := range tests {
		got, err := parseDIDURL(tt.in)
		if diff := cmp.Diff(tt.wantErr, errText(err)); diff != "" {
			t.Errorf("parseDIDURL(%q) error (-want +got):\n%s", tt.in, diff)
			continue
		}
		if err != nil {
			continue
		}
		if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(didURL{})); diff != "" {
			t.Errorf("parseDIDURL(%q) (-want +got):\n%s", tt.in, diff)
		}
		if got.String() != tt.in {
			t.Errorf("parseDIDURL(%q).String() = %q", tt.in, got.String())
		}
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
