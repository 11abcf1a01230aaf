package jsonobj

import (
	"encoding/json"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// internSeeds holds strings an intern table may hold, among them ones
// whose JSON form is not their bytes (a backslash, a quote, a control
// character, non-ASCII, invalid UTF-8).
var internSeeds = map[string]string{
	"VerifiableCredential": "VerifiableCredential", "https://www.w3.org/ns/credentials/v2": "https://www.w3.org/ns/credentials/v2",
	"": "", `a\nb`: `a\nb`, `a\"b`: `a\"b`, "a\x01b": "a\x01b", "é": "é", "\xff": "\xff", `\u0041`: `\u0041`,
}

// oldDecodeString is DecodeString as it was before DecodeStringIn: the
// oracle.
func oldDecodeString(raw []byte) (s string, ok bool) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return s, json.Unmarshal(raw, &s) == nil
	}
	body := raw[1 : len(raw)-1]
	plain := true
	for _, c := range body {
		if c < 0x20 || c == '"' || c == '\\' || c >= utf8.RuneSelf {
			plain = false
			break
		}
	}
	if plain || (utf8.Valid(body) && !hasSpecial(body)) {
		return string(body), true
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", false
	}
	return s, true
}

// oldDecodeStrings is DecodeStrings as it was: the oracle.
func oldDecodeStrings(raw []byte) (ss []string, ok bool) {
	i := skipSpace(raw, 0)
	if i >= len(raw) || raw[i] != '[' {
		return ss, json.Unmarshal(raw, &ss) == nil
	}
	ss = []string{}
	err := walk(raw, '[', ']', func(i int) (int, error) {
		end, err := skipValue(raw, i)
		if err != nil {
			return 0, err
		}
		s, ok := oldDecodeString(raw[i:end])
		if !ok {
			return 0, errSyntax
		}
		ss = append(ss, s)
		return end, nil
	})
	if err != nil {
		return nil, false
	}
	return ss, true
}

// compareIntern holds DecodeString, DecodeStringIn, DecodeStrings and
// DecodeStringsIn to the functions as they were on raw: the same value,
// the same verdict.
func compareIntern(t *testing.T, raw []byte) {
	s, ok := oldDecodeString(raw)
	for _, intern := range []map[string]string{nil, internSeeds} {
		if got, gotOK := DecodeStringIn(raw, intern); got != s || gotOK != ok {
			t.Errorf("DecodeStringIn(%q) = %q, %v; was %q, %v", raw, got, gotOK, s, ok)
		}
		ss, ok := oldDecodeStrings(raw)
		got, gotOK := DecodeStringsIn(raw, intern)
		if diff := cmp.Diff(ss, got); diff != "" || gotOK != ok {
			t.Errorf("DecodeStringsIn(%q): %v, was %v (-was +now):\n%s", raw, gotOK, ok, diff)
		}
	}
	if got, gotOK := DecodeString(raw); got != s || gotOK != ok {
		t.Errorf("DecodeString(%q) = %q, %v; was %q, %v", raw, got, gotOK, s, ok)
	}
}

var internInputs = []string{
	`"VerifiableCredential"`, `"https://www.w3.org/ns/credentials/v2"`, `""`, `"a\nb"`, `"a\\nb"`, `"a\"b"`,
	`"a\\\"b"`, "\"a\x01b\"", `"é"`, "\"\xff\"", `"\u0041"`, `"\\u0041"`, `"VerifiableCredential`, `null`, `3`,
	`["VerifiableCredential","\\u0041","x"]`, `["a\nb", "é"]`, `[null,"VerifiableCredential"]`, `["VerifiableCredential",3]`, `[]`,
}

func TestDecodeStringInMatchesDecodeString(t *testing.T) {
	for _, in := range internInputs {
		compareIntern(t, []byte(in))
	}
	// An interned string comes back as the table's own copy.
	raw := []byte(`"VerifiableCredential"`)
	allocs := testing.AllocsPerRun(10, func() { DecodeStringIn(raw, internSeeds) })
	if s, _ := DecodeStringIn(raw, internSeeds); allocs != 0 || s != "VerifiableCredential" {
		t.Errorf("DecodeStringIn(%s) = %q with %v allocations, want the interned string and none", raw, s, allocs)
	}
}

func FuzzDecodeStringIn(f *testing.F) {
	for _, in := range internInputs {
		f.Add([]byte(in))
	}
	f.Fuzz(compareIntern)
}

// oldSplitArray is SplitArray as it was before it gathered the elements
// on the stack: the oracle.
func oldSplitArray(data []byte) ([][]byte, error) {
	var out [][]byte
	err := walk(data, '[', ']', func(i int) (int, error) {
		end, err := skipValue(data, i)
		if err != nil {
			return 0, err
		}
		out = append(out, data[i:end])
		return end, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

var splitArrayInputs = []string{
	`[]`, ` [ ] `, `[1]`, ` [ 1, "a,]" ,{"b":[2]}, [] ,null ] `, `[1,2,3,4,5,6,7,8]`, `[1,2,3,4,5,6,7,8,9,10]`,
	`[1,]`, `[,1]`, `[1 2]`, `{}`, `"x"`, `[1]x`, `[`, ``, `[[[]]]`, `["\"]", "\\"]`,
}

// compareSplitArray holds SplitArray to the function as it was: the same
// elements (nil and empty told apart) and the same error.
func compareSplitArray(t *testing.T, data []byte) {
	want, wantErr := oldSplitArray(data)
	got, err := SplitArray(data)
	if diff := cmp.Diff(want, got); diff != "" || (err == nil) != (wantErr == nil) || (err != nil && err.Error() != wantErr.Error()) {
		t.Errorf("SplitArray(%q): error %v, was %v (-was +now):\n%s", data, err, wantErr, diff)
	}
}

func TestSplitArrayMatchesOld(t *testing.T) {
	for _, in := range splitArrayInputs {
		compareSplitArray(t, []byte(in))
	}
}

func FuzzSplitArray(f *testing.F) {
	for _, in := range splitArrayInputs {
		f.Add([]byte(in))
	}
	f.Fuzz(compareSplitArray)
}
