package jose

import "testing"

func TestIsCompact(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"eyJhbGciOiJFZERTQSJ9.e30.c2ln", true},
		{"eyJhbGciOiJFZERTQSJ9.e30.", true}, // unsecured form: read, then refused by Verify
		{"a.b.c", true},
		{"", false},
		{"..", false},
		{".e30.c2ln", false},
		{"eyJ..c2ln", false},
		{"a.b", false},
		{"a.b.c.d", false},
		{"a.b.c d", false},
		{"a+b.c.d", false},
		{"a=.b.c", false},
		{`{"a":"b.c.d"}`, false},
	} {
		if got := IsCompact([]byte(tc.in)); got != tc.want {
			t.Errorf("IsCompact(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
