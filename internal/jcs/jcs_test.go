package jcs

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// RFC 8785 section 3.2.2 input and section 3.2.3 expected output.
func TestRFC8785Sample(t *testing.T) {
	in := `{
  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
  "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
  "literals": [null, true, false]
}`
	want := `{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`
	got, err := Transform([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("Transform mismatch (-want +got):\n%s", diff)
	}
	// Section 3.2.4 gives the UTF-8 bytes of the result; spot-check that
	// the euro sign is literal UTF-8 (e2 82 ac) right after "string":".
	if i := strings.Index(string(got), `"string":"`) + len(`"string":"`); string(got[i:i+3]) != "\xe2\x82\xac" {
		t.Errorf("euro sign not written as UTF-8: % x", got[i:i+3])
	}
}

// RFC 8785 section 3.2.3: member names sorted by UTF-16 code units, so the
// emoji (a surrogate pair, D83D DE00) comes before U+FB33.
func TestRFC8785Sorting(t *testing.T) {
	in := `{
  "\u20ac": "Euro Sign",
  "\r": "Carriage Return",
  "\ufb33": "Hebrew Letter Dalet With Dagesh",
  "1": "One",
  "\ud83d\ude00": "Emoji: Grinning Face",
  "\u0080": "Control",
  "\u00f6": "Latin Small Letter O With Diaeresis"
}`
	want := `{"\r":"Carriage Return","1":"One","` + "\u0080" + `":"Control","ö":"Latin Small Letter O With Diaeresis","€":"Euro Sign","😀":"Emoji: Grinning Face","` + "\ufb33" + `":"Hebrew Letter Dalet With Dagesh"}`
	got, err := Transform([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("Transform mismatch (-want +got):\n%s", diff)
	}
}

func TestTransform(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		// Structure and whitespace.
		{"null", `null`, `null`},
		{"true", ` true `, `true`},
		{"false", "\t\r\nfalse\n", `false`},
		{"empty object", `{ }`, `{}`},
		{"empty array", `[ ]`, `[]`},
		{"nested empty", `[ {} , [ ] , { "a" : [ ] } ]`, `[{},[],{"a":[]}]`},
		{"array order kept", `[3, 1, 2]`, `[3,1,2]`},
		{"members sorted", `{"b":1,"a":2,"c":3}`, `{"a":2,"b":1,"c":3}`},
		{"sorted recursively", `{"z":{"b":2,"a":1},"a":[{"y":0,"x":1}]}`, `{"a":[{"x":1,"y":0}],"z":{"a":1,"b":2}}`},
		{"already canonical", `{"a":[1,{"b":null}],"c":"d"}`, `{"a":[1,{"b":null}],"c":"d"}`},
		{"prefix sorts first", `{"ab":1,"a":2,"":3}`, `{"":3,"a":2,"ab":1}`},
		{"case sorts by code unit", `{"a":1,"B":2,"A":3,"b":4}`, `{"A":3,"B":2,"a":1,"b":4}`},
		{"digits as names", `{"10":1,"9":2,"1":3}`, `{"1":3,"10":1,"9":2}`},
		{"escaped names sort decoded", `{"\u0062":1,"a":2,"\n":3}`, `{"\n":3,"a":2,"b":1}`},
		{"supplementary before U+E000", `{"\ue000":1,"\ud800\udc00":2}`, `{"𐀀":2,"` + "\ue000" + `":1}`},
		{"supplementary before U+FFFF", "{\"\uffff\":1,\"\U0010ffff\":2}", "{\"\U0010ffff\":2,\"\uffff\":1}"},
		{"U+D7FF before supplementary", "{\"\U00010000\":1,\"\ud7ff\":2}", "{\"\ud7ff\":2,\"\U00010000\":1}"},
		{"supplementary among themselves", "{\"\U0001F601\":1,\"\U0001F600\":2,\"\U00010437\":3}", "{\"\U00010437\":3,\"\U0001F600\":2,\"\U0001F601\":1}"},
		{"shared lead byte", "{\"\uffff\":1,\"\uefff\":2,\"\U0001F600\":3}", "{\"\U0001F600\":3,\"\uefff\":2,\"\uffff\":1}"},

		// Strings: minimal escapes, everything else literal UTF-8.
		{"short escapes", `"\"\\\/\b\f\n\r\t"`, `"\"\\/\b\f\n\r\t"`},
		{"controls as lowercase \\u00xx", `"\u0000\u0001\u001F\u000b\u001e"`, `"\u0000\u0001\u001f\u000b\u001e"`},
		{"short escapes from \\u", `"\u0008\u0009\u000A\u000c\u000D\u0022\u005C\u002F"`, `"\b\t\n\f\r\"\\/"`},
		{"DEL literal", `"\u007f` + "\x7f" + `"`, "\"\x7f\x7f\""},
		{"non-ASCII escapes decoded", `"\u00e9\u00C9\u20AC\uFFFD"`, `"éÉ€` + "\ufffd" + `"`},
		{"U+2028 and U+2029 literal", `"\u2028\u2029` + "\u2028" + `"`, "\"\u2028\u2029\u2028\""},
		{"slash unescaped", `"a/b\/c"`, `"a/b/c"`},
		{"surrogate pair", `"\ud83d\ude00\uD83D\uDE00"`, `"😀😀"`},
		{"raw UTF-8 kept", `"héllo wörld 😀 ` + "\ufffd" + `"`, `"héllo wörld 😀 ` + "\ufffd" + `"`},
		{"noncharacter kept", `"\uffff\ufdd0"`, "\"\uffff\ufdd0\""},
		{"empty string", `""`, `""`},

		// Numbers.
		{"integer", `123`, `123`},
		{"negative zero", `-0`, `0`},
		{"negative zero fraction", `-0.0`, `0`},
		{"negative zero exponent", `-0e5`, `0`},
		{"zero exponent", `0E+0`, `0`},
		{"trailing zeros", `4.50`, `4.5`},
		{"fraction to integer", `1.0`, `1`},
		{"exponent to integer", `1e2`, `100`},
		{"big exponent", `1E30`, `1e+30`},
		{"1e20 spelled out", `1e20`, `100000000000000000000`},
		{"1e21 exponent", `1e21`, `1e+21`},
		{"1e-6 spelled out", `0.000001`, `0.000001`},
		{"1e-7 exponent", `0.0000001`, `1e-7`},
		{"small", `0.000000000000000000000000001`, `1e-27`},
		{"15 digits verbatim", `-999999999999999`, `-999999999999999`},
		{"16 digits exact", `9007199254740992`, `9007199254740992`},
		{"16 digits rounded", `9007199254740993`, `9007199254740992`},
		{"big integer rounded", `123456789012345678901`, `123456789012345680000`},
		{"underflow to zero", `1e-400`, `0`},
		{"negative underflow to zero", `-1e-400`, `0`},
		{"round trip digits", `333333333.33333329`, `333333333.3333333`},
		{"max double", `1.7976931348623157e308`, `1.7976931348623157e+308`},
		{"min subnormal", `4.9e-324`, `5e-324`},
		{"rounds to min subnormal", `3e-324`, `5e-324`},
		{"numbers in containers", `{"n":[-1.5E-7,1e+2,0.1]}`, `{"n":[-1.5e-7,100,0.1]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Transform([]byte(tt.in))
			if err != nil {
				t.Fatalf("Transform(%#q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("Transform(%#q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestTransformErrors(t *testing.T) {
	deep := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	deepObj := func(n int) string { return strings.Repeat(`{"a":`, n) + "1" + strings.Repeat("}", n) }
	type want struct {
		Kind    error
		Offset  int
		Pointer string
	}
	tests := []struct {
		name, in string
		want     want
	}{
		// Duplicate names, compared after unescaping.
		{"duplicate name", `{"a":1,"a":2}`, want{ErrDuplicateName, 7, "/a"}},
		{"duplicate escaped name", `{"a":1,"\u0061":2}`, want{ErrDuplicateName, 7, "/a"}},
		{"duplicate after sorting", `{"b":1,"a":2,"b":3}`, want{ErrDuplicateName, 13, "/b"}},
		{"duplicate nested", `{"x":[{"b":1,"c":0,"b":2}]}`, want{ErrDuplicateName, 19, "/x/0/b"}},
		{"duplicate empty name", `{"":1,"":2}`, want{ErrDuplicateName, 6, "/"}},
		{"duplicate name pointer escaped", `{"a/~b":1,"a/~b":2}`, want{ErrDuplicateName, 10, "/a~1~0b"}},

		// Trailing garbage and other syntax errors.
		{"trailing garbage", `{} x`, want{ErrSyntax, 3, ""}},
		{"second value", `1 2`, want{ErrSyntax, 2, ""}},
		{"extra bracket", `[1]]`, want{ErrSyntax, 3, ""}},
		{"trailing NUL", "null\x00", want{ErrSyntax, 4, ""}},
		{"empty input", ``, want{ErrSyntax, 0, ""}},
		{"only whitespace", " \n", want{ErrSyntax, 2, ""}},
		{"byte order mark", "\ufeff{}", want{ErrSyntax, 0, ""}},
		{"unterminated array", `[1,2`, want{ErrSyntax, 4, ""}},
		{"unterminated object", `{"a":1`, want{ErrSyntax, 6, ""}},
		{"unterminated string", `{"a":"b`, want{ErrSyntax, 7, "/a"}},
		{"trailing comma in array", `[1,]`, want{ErrSyntax, 3, "/1"}},
		{"trailing comma in object", `{"a":1,}`, want{ErrSyntax, 7, ""}},
		{"missing colon", `{"a" 1}`, want{ErrSyntax, 5, "/a"}},
		{"missing value", `{"a":}`, want{ErrSyntax, 5, "/a"}},
		{"name not a string", `{1:2}`, want{ErrSyntax, 1, ""}},
		{"single quotes", `{'a':1}`, want{ErrSyntax, 1, ""}},
		{"missing comma", `[1 2]`, want{ErrSyntax, 3, ""}},
		{"bad literal", `[tru]`, want{ErrSyntax, 4, "/0"}},
		{"capital literal", `True`, want{ErrSyntax, 0, ""}},
		{"truncated literal", `nul`, want{ErrSyntax, 3, ""}},
		{"raw control in string", "\"a\tb\"", want{ErrSyntax, 2, ""}},
		{"raw newline in name", "{\"a\nb\":1}", want{ErrSyntax, 3, ""}},
		{"bad escape", `"\x41"`, want{ErrSyntax, 2, ""}},
		{"bad \\u escape", `"\u12G4"`, want{ErrSyntax, 5, ""}},
		{"short \\u escape", `"\u12"`, want{ErrSyntax, 5, ""}},
		{"non-ASCII outside string", "[\xc3\xa9]", want{ErrSyntax, 1, "/0"}},

		// Invalid UTF-8.
		{"bad UTF-8 byte", "\"a\xffb\"", want{ErrInvalidUTF8, 2, ""}},
		{"bad UTF-8 in name", "{\"\xfe\":1}", want{ErrInvalidUTF8, 2, ""}},
		{"bad UTF-8 nested", "{\"a\":[\"ok\",\"\xc3\"]}", want{ErrInvalidUTF8, 12, "/a/1"}},
		{"overlong UTF-8", "\"\xc0\xaf\"", want{ErrInvalidUTF8, 1, ""}},
		{"truncated UTF-8", "\"\xe2\x82\"", want{ErrInvalidUTF8, 1, ""}},
		{"UTF-8 encoded surrogate", "\"\xed\xa0\x80\"", want{ErrInvalidUTF8, 1, ""}},
		{"beyond U+10FFFF", "\"\xf4\x90\x80\x80\"", want{ErrInvalidUTF8, 1, ""}},

		// Lone surrogates in \u escapes.
		{"lone high surrogate", `"\ud800"`, want{ErrLoneSurrogate, 1, ""}},
		{"lone low surrogate", `"\udc00"`, want{ErrLoneSurrogate, 1, ""}},
		{"high then letter", `"\ud83dx"`, want{ErrLoneSurrogate, 1, ""}},
		{"high then BMP escape", `"\ud83d\u0041"`, want{ErrLoneSurrogate, 1, ""}},
		{"high then high", `"\ud83d\ud83d"`, want{ErrLoneSurrogate, 1, ""}},
		{"high then short escape", `"\ud83d\n"`, want{ErrLoneSurrogate, 1, ""}},
		{"reversed pair", `"\ude00\ud83d"`, want{ErrLoneSurrogate, 1, ""}},
		{"lone surrogate in name", `{"x":{"\udfff":1}}`, want{ErrLoneSurrogate, 7, "/x"}},

		// Nesting.
		{"too deep arrays", deep(MaxDepth + 1), want{ErrTooDeep, MaxDepth, strings.Repeat("/0", MaxDepth)}},
		{"too deep objects", deepObj(MaxDepth + 1), want{ErrTooDeep, 5 * MaxDepth, strings.Repeat("/a", MaxDepth)}},

		// Numbers: NaN-like input, and values that are not finite doubles.
		{"NaN", `NaN`, want{ErrSyntax, 0, ""}},
		{"nan", `[nan]`, want{ErrSyntax, 2, "/0"}},
		{"Infinity", `Infinity`, want{ErrSyntax, 0, ""}},
		{"-Infinity", `-Infinity`, want{ErrSyntax, 1, ""}},
		{"plus sign", `+1`, want{ErrSyntax, 0, ""}},
		{"leading dot", `.5`, want{ErrSyntax, 0, ""}},
		{"leading zero", `01`, want{ErrSyntax, 1, ""}},
		{"negative leading zero", `-012`, want{ErrSyntax, 2, ""}},
		{"trailing dot", `1.`, want{ErrSyntax, 2, ""}},
		{"dot then exponent", `1.e5`, want{ErrSyntax, 2, ""}},
		{"empty exponent", `1e`, want{ErrSyntax, 2, ""}},
		{"signed empty exponent", `[1e+]`, want{ErrSyntax, 4, "/0"}},
		{"hex", `0x10`, want{ErrSyntax, 1, ""}},
		{"lone minus", `-`, want{ErrSyntax, 1, ""}},
		{"1e400", `1e400`, want{ErrNumberRange, 0, ""}},
		{"-1e400", `{"n":-1e400}`, want{ErrNumberRange, 5, "/n"}},
		{"just above max double", `1.7976931348623159e308`, want{ErrNumberRange, 0, ""}},
		{"huge integer", strings.Repeat("9", 400), want{ErrNumberRange, 0, ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := Transform([]byte(tt.in))
			if err == nil {
				t.Fatalf("Transform(%#q) = %#q, want error", tt.in, out)
			}
			if out != nil {
				t.Errorf("Transform(%#q) returned output %#q with error", tt.in, out)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Transform(%#q) error %T %v, want *Error", tt.in, err, err)
			}
			if !errors.Is(err, tt.want.Kind) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.want.Kind)
			}
			got := want{e.Kind, e.Offset, e.Pointer}
			if diff := cmp.Diff(tt.want, got, cmp.Comparer(func(a, b error) bool { return a == b })); diff != "" {
				t.Errorf("Transform(%#q) error %q mismatch (-want +got):\n%s", tt.in, err, diff)
			}
			if !strings.HasPrefix(err.Error(), "jcs: ") || !strings.Contains(err.Error(), fmt.Sprintf("offset %d", e.Offset)) {
				t.Errorf("error text %q does not say where", err)
			}
		})
	}
}

func TestErrorText(t *testing.T) {
	_, err := Transform([]byte(`{"x":{"a":1,"a":2}}`))
	want := `jcs: duplicate object member name "a" (offset 12, JSON pointer "/x/a")`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
	_, err = Transform([]byte(`[1] x`))
	want = `jcs: invalid character 'x' after top-level value (offset 4)`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
}

func TestMaxDepth(t *testing.T) {
	in := strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth)
	got, err := Transform([]byte(in))
	if err != nil {
		t.Fatalf("%d nested arrays: %v", MaxDepth, err)
	}
	if string(got) != in {
		t.Errorf("%d nested arrays changed", MaxDepth)
	}
	in = strings.Repeat(`{"a":`, MaxDepth) + "1" + strings.Repeat("}", MaxDepth)
	if _, err := Transform([]byte(in)); err != nil {
		t.Fatalf("%d nested objects: %v", MaxDepth, err)
	}
	// Depth counts open containers, not siblings.
	in = "[" + strings.Repeat(strings.Repeat("[", MaxDepth-1)+strings.Repeat("]", MaxDepth-1)+",", 3) + "0]"
	if _, err := Transform([]byte(in)); err != nil {
		t.Fatalf("siblings at depth %d: %v", MaxDepth, err)
	}
}

func TestAppend(t *testing.T) {
	dst := []byte("prefix:")
	got, err := Append(dst, []byte(`{"b":[1.0],"a":"\u00e9"}`))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(`prefix:{"a":"é","b":[1]}`, string(got)); diff != "" {
		t.Errorf("Append mismatch (-want +got):\n%s", diff)
	}
	got, err = Append(dst, []byte(`{"a":1,"a":1}`))
	if err == nil {
		t.Fatal("Append accepted a duplicate name")
	}
	if string(got) != "prefix:" || len(got) != len(dst) {
		t.Errorf("Append on error returned %q, want dst unchanged", got)
	}
	// Appending to a buffer with spare capacity, and reusing it.
	buf := make([]byte, 0, 1024)
	for range 3 {
		buf, err = Append(buf[:0], []byte(` [ "x" , {"z":0,"y":1} ] `))
		if err != nil {
			t.Fatal(err)
		}
		if string(buf) != `["x",{"y":1,"z":0}]` {
			t.Errorf("Append reuse = %s", buf)
		}
	}
}

// Transform must not keep or share state between calls: the parser's
// buffers come from a pool. Run under -race.
func TestConcurrent(t *testing.T) {
	inputs := []struct{ in, want string }{
		{`{"b":{"d":1,"c":2},"a":[3,{"f":0,"e":"\u0000"}]}`, `{"a":[3,{"e":"\u0000","f":0}],"b":{"c":2,"d":1}}`},
		{`{"\u00e9":1,"e":2,"\n":3}`, `{"\n":3,"e":2,"é":1}`},
		{`[1e21,1e-7,-0,0.5]`, `[1e+21,1e-7,0,0.5]`},
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				tc := inputs[(g+i)%len(inputs)]
				got, err := Transform([]byte(tc.in))
				if err != nil || string(got) != tc.want {
					t.Errorf("Transform(%s) = %s, %v; want %s", tc.in, got, err, tc.want)
					return
				}
				if _, err := Transform([]byte(`{"a":1,"a":2}`)); err == nil {
					t.Error("duplicate accepted")
					return
				}
			}
		})
	}
	wg.Wait()
}

// compareUTF16 against the definition: compare the UTF-16 encodings.
func TestCompareUTF16(t *testing.T) {
	samples := []string{
		"", "a", "ab", "b", "A", "\x00", "\x7f", "\u0080", "é", "\u07ff", "\u0800",
		"\ud7ff", "\ue000", "\uefff", "\uf000", "\ufb33", "\ufffd", "\uffff",
		"\U00010000", "\U00010437", "\U0001F600", "\U0001F601", "\U0010FFFF",
		"a\U0001F600", "a\uffff", "ab\u0800", "ab\U00010000", "\uffffa", "\U00010000a",
	}
	ref := func(a, b string) int {
		ua, ub := utf16.Encode([]rune(a)), utf16.Encode([]rune(b))
		for i := range min(len(ua), len(ub)) {
			if ua[i] != ub[i] {
				return int(ua[i]) - int(ub[i])
			}
		}
		return len(ua) - len(ub)
	}
	sign := func(x int) int { return min(max(x, -1), 1) }
	for _, a := range samples {
		for _, b := range samples {
			if got, want := sign(compareUTF16([]byte(a), []byte(b))), sign(ref(a, b)); got != want {
				t.Errorf("compareUTF16(%+q, %+q) = %d, want %d", a, b, got, want)
			}
		}
	}
}

// special8 against the byte table, for every byte value at every position
// among plain and among non-plain neighbours, and for random words.
func TestSpecial8(t *testing.T) {
	isPlain := func(c byte) bool { return c < utf8.RuneSelf && plain[c] }
	ref := func(w []byte) bool {
		for _, c := range w {
			if !isPlain(c) {
				return true
			}
		}
		return false
	}
	for _, fill := range []byte{'a', ' ', '~', 0x7f, '!', '#', '[', ']'} {
		for pos := range 8 {
			for v := range 256 {
				w := bytes.Repeat([]byte{fill}, 8)
				w[pos] = byte(v)
				if got, want := special8(binary.LittleEndian.Uint64(w)), ref(w); got != want {
					t.Fatalf("special8(% x) = %v, want %v", w, got, want)
				}
			}
		}
	}
	r := rand.New(rand.NewPCG(3, 4))
	w := make([]byte, 8)
	for range 1 << 20 {
		binary.LittleEndian.PutUint64(w, r.Uint64())
		for i := range w { // mostly plain bytes, so that both answers occur
			if r.IntN(4) != 0 {
				w[i] = byte(0x20 + r.IntN(0x60))
			}
		}
		if got, want := special8(binary.LittleEndian.Uint64(w)), ref(w); got != want {
			t.Fatalf("special8(% x) = %v, want %v", w, got, want)
		}
	}
}
