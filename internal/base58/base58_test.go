package base58

import "testing"

// TestBase58 checks the base58btc codec against the examples of the
// draft-msporny-base58 Internet-Draft (§5) and edge cases of leading zeros.
func TestBase58(t *testing.T) {
	for _, c := range []struct {
		raw []byte
		enc string
	}{
		{[]byte("Hello World!"), "2NEpo7TZRRrLZSi2U"},
		{[]byte("The quick brown fox jumps over the lazy dog."), "USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z"},
		{[]byte{0x00, 0x00, 0x28, 0x7f, 0xb4, 0xcd}, "11233QC4"},
		{nil, ""},
		{[]byte{0}, "1"},
		{[]byte{0, 0, 0}, "111"},
		{[]byte{57}, "z"},
		{[]byte{58}, "21"},
		{[]byte{0xff, 0xff}, "LUv"},
	} {
		if got := Encode(c.raw); got != c.enc {
			t.Errorf("Encode(%x) = %q, want %q", c.raw, got, c.enc)
		}
		got, err := Decode(c.enc)
		if err != nil || string(got) != string(c.raw) {
			t.Errorf("Decode(%q) = %x, %v; want %x", c.enc, got, err, c.raw)
		}
	}
}

// TestDecodeRejects checks that characters outside the Bitcoin alphabet
// (0, O, I, l, and anything not alphanumeric) are refused, naming the byte.
func TestDecodeRejects(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"0", `'0' at offset 0 is not a base58btc character`},
		{"2NEpoO", `'O' at offset 5 is not a base58btc character`},
		{"zI", `'I' at offset 1 is not a base58btc character`},
		{"l1", `'l' at offset 0 is not a base58btc character`},
		{"ab+", `'+' at offset 2 is not a base58btc character`},
		{"a\xff", `byte 0xff at offset 1 is not a base58btc character`},
		{"11\n", `byte 0x0a at offset 2 is not a base58btc character`},
	} {
		_, err := Decode(c.in)
		if err == nil || err.Error() != c.want {
			t.Errorf("Decode(%q) error = %v, want %q", c.in, err, c.want)
		}
	}
}

// FuzzDecode checks that Decode never panics and that what it decodes
// encodes back to the same text.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{"", "1", "111z", "2NEpo7TZRRrLZSi2U", "0OIl"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := Decode(s)
		if err != nil {
			return
		}
		if got := Encode(b); got != s {
			t.Fatalf("Encode(Decode(%q)) = %q", s, got)
		}
	})
}
