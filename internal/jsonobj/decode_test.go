package jsonobj

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// decodeBySplit is Fields.Decode as it was written before it walked the
// object itself: the reference FuzzDecode compares it with.
func (f *Fields) decodeBySplit(data []byte, v any, extra *map[string]json.RawMessage, class string) error {
	if Describe(data) != "an object" {
		return f.Decode(data, v, extra, class) // the same early refusal
	}
	members, err := splitObject(data)
	if err != nil {
		return &Error{Err: err}
	}
	sv := reflect.ValueOf(v).Elem()
	var ext map[string]json.RawMessage
	for _, m := range members {
		fl, ok := f.byName[m.Name]
		if !ok {
			if ext == nil {
				ext = make(map[string]json.RawMessage)
			}
			ext[m.Name] = slices.Clone(m.Value)
			continue
		}
		if isNull(m.Value) {
			continue
		}
		if err := decodeValue(m.Value, sv.FieldByIndex(fl.index)); err != nil {
			return At(fl.name, err)
		}
	}
	*extra = ext
	return nil
}

type decodeSample struct {
	Name  string            `json:"name"`
	N     json.Number       `json:"n"`
	List  []string          `json:"list"`
	Inner *decodeSample     `json:"inner"`
	Map   map[string]string `json:"map"`
	Esc   string            `json:"é"`
}

var decodeSampleFields = FieldsOf(reflect.TypeFor[decodeSample]())

// FuzzDecode checks that Decode decodes, keeps and refuses what the
// reference (a list of members, then each decoded) does, with the same
// error.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{}`, `{"name":"a","n":1,"list":["x"],"inner":{"name":"b"},"map":{"k":"v"},"other":[1,2]}`,
		`{"name":1}`, `{"n":"1"}`, `{"list":"x","name":"a"}`, `{"name":"a","name":"b"}`, `{"na\u006de":"x"}`,
		`{"\u00e9":"y"}`, `{"é":"y"}`, `{"a\"b":1}`, `{"a":1,}`, `{"a" 1}`, `{"name":null}`, `{"\ud800":1}`,
		`{"inner":{"n":true}}`, `[]`, `"x"`, `{"a":1} `, `{"a":1}x`, "{\"\x01\":1}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var want, got decodeSample
		var wantExtra, gotExtra map[string]json.RawMessage
		wantErr := decodeSampleFields.decodeBySplit(data, &want, &wantExtra, "sample")
		gotErr := decodeSampleFields.Decode(data, &got, &gotExtra, "sample")
		if (wantErr == nil) != (gotErr == nil) || wantErr != nil && wantErr.Error() != gotErr.Error() {
			t.Fatalf("Decode(%q): error %v, the reference %v", data, gotErr, wantErr)
		}
		if wantErr != nil {
			return
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Decode(%q): (-reference +Decode)\n%s", data, diff)
		}
		if diff := cmp.Diff(wantExtra, gotExtra); diff != "" {
			t.Errorf("Decode(%q) extra: (-reference +Decode)\n%s", data, diff)
		}
	})
}
