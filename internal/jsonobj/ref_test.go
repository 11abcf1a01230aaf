package jsonobj

import "testing"

func TestRefID(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`"did:web:example.edu"`, "did:web:example.edu"},
		{`{"id": "https://example.edu/issuer", "type": "Profile"}`, "https://example.edu/issuer"},
		{`{"type": "Profile"}`, ""},
		{`{"id": 7}`, ""},
		{`["did:web:example.edu"]`, ""},
		{`null`, ""},
		{``, ""},
		{`"\u0041"`, "A"},
	} {
		if got := RefID([]byte(c.in)); got != c.want {
			t.Errorf("RefID(%s) = %q, want %q", c.in, got, c.want)
		}
	}
}
