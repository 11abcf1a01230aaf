package jcs

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// FuzzTransform checks, for any input: Transform does not panic; it fails
// with a located *Error exactly when it should; and when it succeeds, the
// output is compact valid JSON with members in UTF-16 order, is its own
// canonical form, and decodes (with encoding/json) to the same value as
// the input.
func FuzzTransform(f *testing.F) {
	for _, s := range []string{
		`{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/","literals":[null,true,false]}`,
		`{"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis"}`,
		`[0,-0,1e21,1e-7,1e400,-1e-400,9007199254740993,0.1]`,
		`{"a":1,"\u0061":2}`, `"\ud800"`, "\"\xff\"", `[[[[[[]]]]]]`, ` {"b" : [ true , false , null ] , "a" : { } } `,
		`{"\ue000":1,"\ud800\udc00":2,"\uffff":3}`,
	} {
		f.Add([]byte(s))
	}
	for _, name := range []string{"unsigned.json", "proofConfigJCS.json"} {
		f.Add(readTestdata(f, name))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := Transform(data)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Kind == nil || e.Offset < 0 || e.Offset > len(data) {
				t.Fatalf("Transform(%q): bad error %#v", data, err)
			}
			if errors.Is(err, ErrSyntax) && json.Valid(data) {
				t.Fatalf("Transform(%q): %v, but encoding/json finds it valid", data, err)
			}
			return
		}
		if !json.Valid(data) {
			t.Fatalf("Transform(%q) accepted JSON that encoding/json rejects", data)
		}
		if !utf8.Valid(out) || !json.Valid(out) {
			t.Fatalf("Transform(%q) = %q: not valid UTF-8 JSON", data, out)
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, out); err != nil || !bytes.Equal(compact.Bytes(), out) {
			t.Fatalf("Transform(%q) = %q: has whitespace", data, out)
		}
		again, err := Transform(out)
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("Transform(%q) = %q, but Transform of that = %q, %v", data, out, again, err)
		}
		var in, canon any
		if err := json.Unmarshal(data, &in); err != nil {
			t.Fatalf("encoding/json cannot decode accepted input %q: %v", data, err)
		}
		if err := json.Unmarshal(out, &canon); err != nil {
			t.Fatalf("encoding/json cannot decode %q: %v", out, err)
		}
		if diff := cmp.Diff(in, canon); diff != "" {
			t.Fatalf("Transform(%q) = %q changed the value (-in +out):\n%s", data, out, diff)
		}
		checkMemberOrder(t, out)
	})
}

// checkMemberOrder walks canonical JSON with encoding/json's tokenizer and
// checks that every object's member names strictly increase when compared
// as UTF-16 code unit sequences.
func checkMemberOrder(t *testing.T, canon []byte) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(canon))
	type frame struct {
		object, wantName bool
		last             []uint16
	}
	var stack []frame
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("tokenizing %q: %v", canon, err)
		}
		var top *frame
		if len(stack) > 0 {
			top = &stack[len(stack)-1]
		}
		if top != nil && top.object && top.wantName {
			if d, ok := tok.(json.Delim); ok && d == '}' {
				stack = stack[:len(stack)-1]
				if len(stack) > 0 && stack[len(stack)-1].object {
					stack[len(stack)-1].wantName = true
				}
				continue
			}
			name := utf16.Encode([]rune(tok.(string)))
			if top.last != nil && compareUnits(top.last, name) >= 0 {
				t.Fatalf("%q: member %q not after %q in UTF-16 order", canon, tok, string(utf16.Decode(top.last)))
			}
			top.last, top.wantName = name, false
			continue
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, frame{object: true, wantName: true})
			continue
		case json.Delim('['):
			stack = append(stack, frame{})
			continue
		case json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		// A value ended: the enclosing object wants a name next.
		if len(stack) > 0 && stack[len(stack)-1].object {
			stack[len(stack)-1].wantName = true
		}
	}
}

func compareUnits(a, b []uint16) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return int(a[i]) - int(b[i])
		}
	}
	return len(a) - len(b)
}
