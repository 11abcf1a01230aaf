package schema

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/internal/jsonobj"
)

// TestClrSchemaPropertyNamesPointer checks where a propertyNames failure
// of the CLR schema is reported: at the object whose member name breaks
// it, every time. (santhosh-tekuri/jsonschema v6.0.3 reports it at a
// location a sibling overwrites, which named /validFrom or /proof instead
// of /name, differing from run to run; see fixPropertyNames.)
func TestClrSchemaPropertyNamesPointer(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(readFile(t, "testdata/eddsa-rdfc-2022/clr-credential-unsigned.json"), &doc); err != nil {
		t.Fatal(err)
	}
	doc["name"] = map[string]any{"en": "Transcript", "not a language": "x"}
	obj(doc["issuer"])["id"] = map[string]any{"EN": "x"}
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	want := []Problem{
		{Pointer: "/issuer", Keyword: "anyOf"},
		{Pointer: "/name", Keyword: "propertyNames", SchemaLocation: ClrCredentialSchemaURL + "#/properties/name/oneOf/1/propertyNames",
			Message: `/name: property name "not a language" is not allowed`},
	}
	for range 30 {
		err := validator(t).Validate(ClrCredentialSchemaURL, data)
		var ve *ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("Validate = %v, want a *ValidationError", err)
		}
		got := slices.Clone(ve.Problems)
		got[0].SchemaLocation, got[0].Message = "", "" // the anyOf's summary is not what is tested
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("problems (-want +got):\n%s", diff)
		}
	}
}

// TestClrTreeValidAllocs checks that validating a valid CLR against the
// CLR schema is decided by the tree validator, without allocating.
func TestClrTreeValidAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates for its own bookkeeping")
	}
	if builtin.treeSchema(ClrCredentialSchemaURL) == nil {
		t.Fatal("the CLR schema does not compile for trees")
	}
	data := readFile(t, "testdata/eddsa-rdfc-2022/clr-credential-unsigned.json")
	var tree jsonobj.Tree
	if err := jsonobj.ParseTree(data, len(data), maxValueDepth, &tree); err != nil {
		t.Fatal(err)
	}
	v := validator(t)
	if n := testing.AllocsPerRun(20, func() {
		if v.ValidateTree(ClrCredentialSchemaURL, &tree, 0) != nil {
			t.Fatal("invalid")
		}
	}); n != 0 {
		t.Errorf("ValidateTree allocates %v times per valid CLR, want 0", n)
	}
}
