package credential

import (
	"reflect"
	"testing"
)

// TestSkippedFieldsHaveNoRules holds the `validate:"-"` tags of the types
// the rules check to what makes them safe: the validator would otherwise
// box every such field into an interface only to find nothing to check
// (one allocation per field per credential), so a field is skipped only
// when it has no rule and is of a kind the validator never descends into
// (a string, a boolean, a list of strings, JSON bytes) or is Extra. A struct, a
// pointer to one or a list of them must stay visible: their own rules
// run through them.
func TestSkippedFieldsHaveNoRules(t *testing.T) {
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type)
	walk = func(typ reflect.Type) {
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice {
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Struct || seen[typ] || typ.PkgPath() != reflect.TypeFor[Profile]().PkgPath() {
			return
		}
		seen[typ] = true
		for i := range typ.NumField() {
			f := typ.Field(i)
			tag, tagged := f.Tag.Lookup("validate")
			if tagged && tag == "-" {
				switch k := f.Type.Kind(); {
				case f.Name == "Extra" && k == reflect.Map:
				case k == reflect.String || k == reflect.Bool:
				case k == reflect.Slice && f.Type.Elem().Kind() == reflect.String:
				case k == reflect.Slice && f.Type.Elem().Kind() == reflect.Uint8: // JSON bytes
				case k == reflect.Slice && f.Type.Elem().Kind() == reflect.Slice && f.Type.Elem().Elem().Kind() == reflect.Uint8:
				default:
					t.Errorf("%s.%s (%s) is skipped by the validator, but it may hold rules of its own", typ.Name(), f.Name, f.Type)
				}
			}
			walk(f.Type)
		}
	}
	for _, v := range []any{AchievementCredential{}, EndorsementCredential{}, Profile{}, VerifiableCredential{}, ClrCredential{}} {
		walk(reflect.TypeOf(v))
	}
	if len(seen) < 20 {
		t.Fatalf("walked %d types: the credential types moved?", len(seen))
	}
}
