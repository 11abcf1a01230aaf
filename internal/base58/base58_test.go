package base58

import (
	"bytes"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"
)

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

// bigEncode is base58 the obvious way, with math/big: what Encode's limb
// arithmetic must agree with.
func bigEncode(b []byte) string {
	n := new(big.Int).SetBytes(b)
	var out []byte
	fifty8 := big.NewInt(58)
	mod := new(big.Int)
	for n.Sign() > 0 {
		n.DivMod(n, fifty8, mod)
		out = append(out, base58Alphabet[mod.Int64()])
	}
	for i := 0; i < len(b) && b[i] == 0; i++ {
		out = append(out, '1')
	}
	slices.Reverse(out)
	return string(out)
}

// TestEncodeMatchesBig compares Encode with bigEncode on every length up
// to 100 bytes, with and without leading zeros and all-0xff bytes.
func TestEncodeMatchesBig(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for n := range 101 {
		for _, fill := range []func(i int) byte{
			func(int) byte { return byte(r.Uint32()) },
			func(i int) byte { return byte(r.Uint32()) * byte(min(i/3, 1)) },
			func(int) byte { return 0xff },
		} {
			b := make([]byte, n)
			for i := range b {
				b[i] = fill(i)
			}
			if got, want := Encode(b), bigEncode(b); got != want {
				t.Fatalf("Encode(%x) = %q, want %q", b, got, want)
			}
		}
	}
}

// FuzzEncode checks Encode against bigEncode and Decode on any bytes.
func FuzzEncode(f *testing.F) {
	f.Add([]byte{0, 0, 1, 2})
	f.Fuzz(func(t *testing.T, b []byte) {
		got := Encode(b)
		if want := bigEncode(b); got != want {
			t.Fatalf("Encode(%x) = %q, want %q", b, got, want)
		}
		if back, err := Decode(got); err != nil || !bytes.Equal(back, b) {
			t.Fatalf("Decode(Encode(%x)) = %x, %v", b, back, err)
		}
	})
}
