package jsonobj

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSplitObject(t *testing.T) {
	tests := []struct {
		in   string
		want []ObjectMember
		err  bool
	}{
		{in: `{}`, want: nil},
		{in: ` { "a" : 1 , "b":[1,{"c":"}"}], "c\u0041":"x\"y", "d":{"e":[]} } `, want: []ObjectMember{
			{"a", []byte("1")}, {"b", []byte(`[1,{"c":"}"}]`)}, {"cA", []byte(`"x\"y"`)}, {"d", []byte(`{"e":[]}`)},
		}},
		{in: `{"a":true,"a":false}`, want: []ObjectMember{{"a", []byte("true")}, {"a", []byte("false")}}},
		{in: `[1]`, err: true},
		{in: `{"a":1`, err: true},
		{in: `{"a" 1}`, err: true},
		{in: `{"a":1,}`, err: true},
		{in: `{"a":1} x`, err: true},
		{in: `{"a":"unterminated}`, err: true},
		{in: `{"a":[1,2}`, err: true},
		{in: `{a:1}`, err: true},
		{in: `{"a":}`, err: true},
	}
	for _, tt := range tests {
		got, err := splitObject([]byte(tt.in))
		if (err != nil) != tt.err {
			t.Errorf("splitObject(%s): err = %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("splitObject(%s) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestSplitArray(t *testing.T) {
	got, err := SplitArray([]byte(` [ 1, "a,]" ,{"b":[2]}, [] ,null ] `))
	want := [][]byte{[]byte("1"), []byte(`"a,]"`), []byte(`{"b":[2]}`), []byte("[]"), []byte("null")}
	if err != nil || !cmp.Equal(want, got) {
		t.Errorf("SplitArray = %q, %v", got, err)
	}
	for _, bad := range []string{`{}`, `[1,]`, `[1 2]`, `[`, `[1]]`, `[,]`} {
		if _, err := SplitArray([]byte(bad)); err == nil {
			t.Errorf("SplitArray(%s) succeeded", bad)
		}
	}
	if got, err := SplitArray([]byte("[]")); err != nil || len(got) != 0 {
		t.Errorf("SplitArray([]) = %q, %v", got, err)
	}
}

// FuzzSplit: on valid JSON the splitters agree with encoding/json; on
// anything else they fail or succeed but never panic.
func FuzzSplit(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":[1,{"b":"c\\"}"}],"d":null}`, `[1,"x",[],{}]`, `{"\u00e9":1}`, `{"a":1,"a":2}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		members, err := splitObject(data)
		var want map[string]json.RawMessage
		if json.Unmarshal(data, &want) == nil && want != nil && json.Valid(data) {
			if err != nil {
				t.Fatalf("splitObject(%q) = %v on a valid object", data, err)
			}
			got := map[string]json.RawMessage{}
			for _, m := range members {
				got[m.Name] = m.Value
			}
			if len(got) != len(want) {
				t.Fatalf("splitObject(%q): %d names, encoding/json %d", data, len(got), len(want))
			}
			for k, v := range want {
				if !bytes.Equal(bytes.TrimSpace(got[k]), bytes.TrimSpace(v)) {
					t.Fatalf("member %q = %q, encoding/json %q", k, got[k], v)
				}
			}
		}
		// SplitObject gives what splitObject gives, as a map.
		if byName, err2 := SplitObject(data); (err == nil) != (err2 == nil) {
			t.Fatalf("SplitObject(%q) = %v, splitObject %v", data, err2, err)
		} else if err == nil {
			want := map[string]json.RawMessage{}
			for _, m := range members {
				want[m.Name] = m.Value
			}
			if !reflect.DeepEqual(byName, want) {
				t.Fatalf("SplitObject(%q) = %q, splitObject %q", data, byName, want)
			}
		}
		elems, err := SplitArray(data)
		var arr []json.RawMessage
		if json.Unmarshal(data, &arr) == nil && arr != nil {
			if err != nil || len(elems) != len(arr) {
				t.Fatalf("SplitArray(%q) = %d elements, %v; encoding/json %d", data, len(elems), err, len(arr))
			}
		}
	})
}

// TestSplitObjectAsUnmarshal checks that SplitObject gives what
// json.Unmarshal into a map[string]json.RawMessage gives, for valid JSON.
func TestSplitObjectAsUnmarshal(t *testing.T) {
	for _, in := range []string{
		`{}`,
		` { "a" : 1 , "b":[1,{"c":"}"}], "c\u0041":"x\"y", "d":{"e":[]} } `,
		`{"a":true,"a":false}`,
		`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":"VerifiableCredential","n":-1.5e3,"z":null}`,
	} {
		var want map[string]json.RawMessage
		if err := json.Unmarshal([]byte(in), &want); err != nil {
			t.Fatal(err)
		}
		got, err := SplitObject([]byte(in))
		if err != nil {
			t.Errorf("SplitObject(%s): %v", in, err)
			continue
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("SplitObject(%s) (-Unmarshal +SplitObject):\n%s", in, diff)
		}
	}
	for _, in := range []string{`[1]`, `"a"`, `{"a":1`} {
		if _, err := SplitObject([]byte(in)); err == nil {
			t.Errorf("SplitObject(%s) = nil error, want one", in)
		}
	}
}

// TestString checks that DecodeString decodes as json.Unmarshal into a string.
func TestString(t *testing.T) {
	for _, in := range []string{
		`""`, `"abc"`, `"caf\u00e9"`, `"café"`, `"a\"b"`, `"a\\b"`, `"\n"`, "\"\xff\"", `"😀"`, `"\ud83d\ude00"`,
		`1`, `null`, ` "a" `, `["a"]`, `"`, `"a`, `a"`, "\"a\nb\"", `"a"b"`,
	} {
		var want string
		err := json.Unmarshal([]byte(in), &want)
		got, ok := DecodeString([]byte(in))
		if ok != (err == nil) || got != want {
			t.Errorf("DecodeString(%q) = %q, %v; json.Unmarshal gives %q, %v", in, got, ok, want, err)
		}
	}
}

// TestDecodeStrings checks that DecodeStrings decodes as json.Unmarshal
// into a []string.
func TestDecodeStrings(t *testing.T) {
	for _, in := range []string{
		`[]`, `["a"]`, ` [ "a" , "b\u0041" ] `, `[null,"x"]`, `null`, `"a"`, `[1]`, `["a",1]`, `[["a"]]`, `{}`, `[`, `["a",]`,
	} {
		var want []string
		err := json.Unmarshal([]byte(in), &want)
		got, ok := DecodeStrings([]byte(in))
		if ok != (err == nil) {
			t.Errorf("DecodeStrings(%s) ok = %v; json.Unmarshal: %v", in, ok, err)
			continue
		}
		if diff := cmp.Diff(want, got); ok && diff != "" {
			t.Errorf("DecodeStrings(%s) (-Unmarshal +DecodeStrings):\n%s", in, diff)
		}
	}
}

// TestMember checks Member against json.Unmarshal into a map.
func TestMember(t *testing.T) {
	tests := []struct {
		in, name string
		want     string
		ok       bool
	}{
		{`{"id":"x","b":1}`, "id", `"x"`, true},
		{` { "a" : {"id":"inner"} , "id" : [1, 2] } `, "id", `[1, 2]`, true},
		{`{"i\u0064":"esc"}`, "id", `"esc"`, true},
		{`{"id":1,"id":2}`, "id", `2`, true},
		{`{"a":1}`, "id", ``, false},
		{`["id"]`, "id", ``, false},
		{`"id"`, "id", ``, false},
	}
	for _, tt := range tests {
		got, ok := Member([]byte(tt.in), tt.name)
		if ok != tt.ok || string(got) != tt.want {
			t.Errorf("Member(%s, %q) = %s, %v; want %s, %v", tt.in, tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

// TestHasMember checks HasMember on names plain and escaped, nested
// members (which do not count) and what is not an object.
func TestHasMember(t *testing.T) {
	tests := []struct {
		in    string
		names []string
		want  bool
	}{
		{`{"vc":{}}`, []string{"vp", "vc"}, true},
		{`{"a":{"vc":1}}`, []string{"vc"}, false},
		{`{"\u0076c":1}`, []string{"vc"}, true},
		{`{}`, []string{"vc"}, false},
		{`["vc"]`, []string{"vc"}, false},
		{`{"vc":1`, []string{"vc"}, false},
	}
	for _, tt := range tests {
		if got := HasMember([]byte(tt.in), tt.names...); got != tt.want {
			t.Errorf("HasMember(%s, %q) = %v, want %v", tt.in, tt.names, got, tt.want)
		}
	}
}

func TestSplitMembers(t *testing.T) {
	tests := []struct {
		in   string
		want []ObjectMember
		err  bool
	}{
		{in: `{}`, want: []ObjectMember{}},
		{in: ` {"b":1, "a\u0041":[2], "b":{"c":null}} `, want: []ObjectMember{
			{"b", json.RawMessage("1")}, {"aA", json.RawMessage("[2]")}, {"b", json.RawMessage(`{"c":null}`)},
		}},
		{in: `[1]`, err: true},
		{in: `"a"`, err: true},
		{in: `{"a":1} {}`, err: true},
	}
	for _, tt := range tests {
		got, err := SplitMembers([]byte(tt.in))
		if (err != nil) != tt.err {
			t.Errorf("SplitMembers(%s): err = %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("SplitMembers(%s) (-want +got):\n%s", tt.in, diff)
		}
	}
}
