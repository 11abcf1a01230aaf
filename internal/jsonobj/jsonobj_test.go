package jsonobj

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestScan(t *testing.T) {
	tests := []struct {
		in      string
		pointer string
		is      error
		msg     string // "" means Scan must succeed
	}{
		{in: `{}`},
		{in: `[]`},
		{in: `"x"`},
		{in: ` 12.5e3 `},
		{in: `null`},
		{in: `{"a":[1,{"b":2}],"c":{"d":{"e":null}}}`},
		{in: `{"a":1,"b":{"a":2}}`}, // the same name in different objects
		{in: `[{"a":1},{"a":1}]`},
		{in: `{"a/b":{"c~d":{"x":1,"x":2}}}`, pointer: "/a~1b/c~0d/x", is: ErrDuplicateMember, msg: `"x"`},
		{in: `{"a":[0,1,{"k":1,"k":1}]}`, pointer: "/a/2/k", is: ErrDuplicateMember, msg: "duplicate"},
		{in: `[[[[1]]]]`, pointer: "/0/0/0", is: ErrTooDeep, msg: "limit is 3"},
		{in: `{"a":{"b":{"c":{}}}}`, pointer: "/a/b/c", is: ErrTooDeep, msg: "limit is 3"},
		{in: `[[[1]]]`},
		{in: ``, msg: "unexpected end of JSON input"},
		{in: `   `, msg: "unexpected end of JSON input"},
		{in: `{"a":1`, msg: "unexpected end of JSON input"},
		{in: `{"a":1]`, pointer: "/a", msg: "invalid JSON"},
		{in: `{"a" 1}`, pointer: "/a", msg: "invalid JSON"},
		{in: `{} x`, msg: "more than one JSON value"},
		{in: `1 2`, msg: "more than one JSON value"},
		{in: "\"\xc3\x28\"", msg: "not valid UTF-8"},
		{in: strings.Repeat(" ", 101), is: ErrTooLarge, msg: "101 bytes, the limit is 100"},
	}
	for _, tt := range tests {
		err := Scan([]byte(tt.in), 100, 3)
		if tt.msg == "" {
			if err != nil {
				t.Errorf("Scan(%q) = %v", tt.in, err)
			}
			continue
		}
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("Scan(%q) = %v, want an *Error", tt.in, err)
			continue
		}
		if e.Pointer != tt.pointer || !strings.Contains(err.Error(), tt.msg) || (tt.is != nil && !errors.Is(err, tt.is)) {
			t.Errorf("Scan(%q) = %q at %q, want %q at %q (is %v)", tt.in, err, e.Pointer, tt.msg, tt.pointer, tt.is)
		}
	}
}

type inner struct {
	N json.Number `json:"n,omitempty"`
}

type base struct {
	ID string `json:"id,omitempty"`
}

type sample struct {
	base
	Name  string   `json:"name,omitempty"`
	Flag  bool     `json:"flag"`
	List  []string `json:"list,omitempty"`
	In    *inner   `json:"in,omitempty"`
	Skip  string   `json:"-"`
	Extra map[string]json.RawMessage
}

var sampleFields = FieldsOf(reflect.TypeFor[sample](), "name", "id")

func TestDecodeEncode(t *testing.T) {
	in := `{"id":"x","zeta":[1, 2],"name":"n","flag":false,"in":{"n":1.50},"alpha":{"k":"<v>"},"Skip":"s","list":null}`
	var s sample
	if err := sampleFields.Decode([]byte(in), &s, &s.Extra, "a sample"); err != nil {
		t.Fatal(err)
	}
	want := sample{base: base{ID: "x"}, Name: "n", In: &inner{N: "1.50"}, Extra: map[string]json.RawMessage{
		"zeta": json.RawMessage(`[1, 2]`), "alpha": json.RawMessage(`{"k":"<v>"}`), "Skip": json.RawMessage(`"s"`),
	}}
	if diff := cmp.Diff(want, s, cmp.AllowUnexported(sample{})); diff != "" {
		t.Errorf("decoded (-want +got):\n%s", diff)
	}
	out, err := sampleFields.Encode(s, s.Extra)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"name":"n","id":"x","flag":false,"in":{"n":1.50},"Skip":"s","alpha":{"k":"<v>"},"zeta":[1,2]}`; string(out) != want {
		t.Errorf("encoded\n %s\nwant\n %s", out, want)
	}
	if !sampleFields.Has("id") || sampleFields.Has("Skip") || sampleFields.Has("Extra") {
		t.Error("Has is wrong")
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct{ in, pointer, msg string }{
		{`[]`, "", "want a sample object, got an array"},
		{`null`, "", "want a sample object, got null"},
		{`{"name":["a"]}`, "/name", "want a string, got an array"},
		{`{"flag":"true"}`, "/flag", "want a boolean, got a string"},
		{`{"in":{"n":"1"}}`, "/in/n", "want a number, got a string"},
		{`{"list":[1]}`, "/list", "want a string, got a number"},
	}
	for _, tt := range tests {
		var s sample
		err := sampleFields.Decode([]byte(tt.in), &s, &s.Extra, "a sample")
		var e *Error
		if !errors.As(err, &e) || e.Pointer != tt.pointer || !strings.Contains(e.Err.Error(), tt.msg) {
			t.Errorf("Decode(%s) = %v, want %q at %q", tt.in, err, tt.msg, tt.pointer)
		}
	}
}

// UnmarshalJSON lets the nested decode below go through Fields.
func (i *inner) UnmarshalJSON(data []byte) error {
	var extra map[string]json.RawMessage
	return innerFields.Decode(data, i, &extra, "an inner")
}

var innerFields = FieldsOf(reflect.TypeFor[inner]())

func TestEncodeErrors(t *testing.T) {
	if _, err := sampleFields.Encode(sample{}, map[string]json.RawMessage{"name": json.RawMessage(`1`)}); err == nil {
		t.Error("an extra member that shadows a field must be refused")
	}
	if _, err := sampleFields.Encode(sample{}, map[string]json.RawMessage{"x": json.RawMessage(`{`)}); err == nil {
		t.Error("an extra member that is not JSON must be refused")
	}
	out, err := sampleFields.Encode(sample{}, map[string]json.RawMessage{"x": nil})
	if err != nil || string(out) != `{"flag":false,"x":null}` {
		t.Errorf("Encode = %s, %v", out, err)
	}
}

func TestAt(t *testing.T) {
	err := At("a/b", AtIndex(3, At("c~d", errors.New("bad"))))
	var e *Error
	if !errors.As(err, &e) || e.Pointer != "/a~1b/3/c~0d" || err.Error() != "/a~1b/3/c~0d: bad" {
		t.Errorf("got %v", err)
	}
	if At("x", nil) != nil {
		t.Error("At(nil) must be nil")
	}
	if got := (&Error{Err: errors.New("whole")}).Error(); got != "/: whole" {
		t.Errorf("root error = %q", got)
	}
	if Escape("~/") != "~0~1" {
		t.Error("Escape")
	}
}

func FuzzScan(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":[1,{"b":2,"b":3}]}`, `[[[[[]]]]]`, `"\u00e9"`, `{"a":1} 2`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		err := Scan(data, 1<<16, 16)
		if err == nil && !json.Valid(data) {
			t.Errorf("Scan accepted invalid JSON %q", data)
		}
		var e *Error
		if err != nil && !errors.As(err, &e) {
			t.Errorf("Scan error %v is not an *Error", err)
		}
	})
}
