package schema

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/go-openbadges/openbadges/internal/jsonobj"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// raceEnabled is set when the race detector, which allocates for its own
// bookkeeping, is on (race_test.go).
var raceEnabled bool

var treeAll = flag.Bool("tree.all", false, "TestTreeEquivalence: compare every mutant of every fixture, not a sample")

// The tree validator (tree.go) decides whether a document is valid against
// an embedded schema; santhosh-tekuri/jsonschema, which it replaces on that
// path, is the oracle these tests compare it with. Where they disagree the
// oracle is right.

// schemaFiles returns the embedded schemas, one URL for each file: the URL
// it is compiled at.
func schemaFiles(t testing.TB) []string {
	t.Helper()
	var urls []string
	for _, f := range Files() {
		if f.Kind == KindSchema && builtin.compileAt[f.URL] == f.URL {
			urls = append(urls, f.URL)
		}
	}
	if len(urls) < 5 {
		t.Fatalf("%d embedded schema files, want at least 5", len(urls))
	}
	return urls
}

// TestTreeKeywords checks that every embedded schema compiles for trees:
// that it uses no keyword, type, format, reference or enum value the tree
// validator does not know. A schema added to Files that uses something
// more fails here, and is then validated by the general validator alone
// until tree.go learns it.
func TestTreeKeywords(t *testing.T) {
	used := map[string]bool{}
	for _, u := range schemaFiles(t) {
		d := builtin.docs[u]
		doc, err := d.load()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := compileTree(doc); err != nil {
			t.Errorf("%s (%s): %v", d.file.Name, u, err)
		}
		if d.treeSchema() == nil {
			t.Errorf("%s: no tree schema", d.file.Name)
		}
		collectKeywords(doc, used)
	}
	// Each keyword the tree validator knows is used by some schema: a
	// keyword that none uses would be untested.
	for k := range treeKeywords {
		if !used[k] {
			t.Errorf("treeKeywords has %q, which no embedded schema uses", k)
		}
	}
	// And a schema with an unknown keyword is refused.
	for _, s := range []string{
		`{"not": {}}`, `{"maxItems": 2}`, `{"type": "integer"}`, `{"format": "email"}`,
		`{"enum": [1]}`, `{"$ref": "other.json#/x"}`, `{"properties": {"a": {"$id": "x"}}}`,
		`{"if": true}`, `{"unevaluatedProperties": false}`, `{"$ref": "#anchor"}`,
		`{"$ref": "#"}`, `{"$defs": {"a": {"allOf": [{"$ref": "#/$defs/b"}]}, "b": {"oneOf": [{"$ref": "#/$defs/a"}]}}, "$ref": "#/$defs/a"}`,
	} {
		doc, err := jsonobj.Parse([]byte(s), 1000, 100)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := compileTree(doc); err == nil {
			t.Errorf("compileTree(%s) succeeded, want an error", s)
		}
	}
}

// collectKeywords adds the keywords of every schema in doc to used.
func collectKeywords(v any, used map[string]bool) {
	m, ok := v.(map[string]any)
	if !ok {
		return
	}
	for k, sub := range m {
		used[k] = true
		switch k {
		case "properties", "$defs":
			for _, s := range sub.(map[string]any) {
				collectKeywords(s, used)
			}
		case "allOf", "anyOf", "oneOf", "items":
			if list, ok := sub.([]any); ok {
				for _, s := range list {
					collectKeywords(s, used)
				}
			} else {
				collectKeywords(sub, used)
			}
		case "additionalProperties", "additionalItems", "contains", "propertyNames":
			collectKeywords(sub, used)
		}
	}
}

// oracleValid validates data against the embedded schema at u with the
// general validator alone; ok is false if data is not JSON it decodes.
func oracleValid(t testing.TB, u string, data []byte) (valid, ok bool) {
	t.Helper()
	sch, known, err := builtin.schema(u)
	if !known || err != nil {
		t.Fatalf("schema %s: known %v, %v", u, known, err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return false, false
	}
	return sch.Validate(doc) == nil, true
}

// treeValid validates data against the embedded schema at u with the tree
// validator alone; ok is false if the tree parser does not read data.
func treeValid(t testing.TB, u string, data []byte) (valid, ok bool) {
	t.Helper()
	ts := builtin.treeSchema(u)
	if ts == nil {
		t.Fatalf("%s has no tree schema", u)
	}
	var tree jsonobj.Tree
	if jsonobj.ParseTree(data, len(data), maxValueDepth, &tree) != nil {
		return false, false
	}
	return ts.valid(&tree, 0), true
}

// fixtures returns every JSON document in the testdata of this package,
// of credential and of verify: the credentials, endorsements, profiles
// and 1EdTech validator cases the module is tested with. They live where
// their package tests them; reading them all here makes each also a case
// of the equivalence test.
func fixtures(t testing.TB) map[string][]byte {
	t.Helper()
	docs := map[string][]byte{}
	for _, dir := range []string{"testdata", "../credential/testdata", "../verify/testdata"} {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
				return err
			}
			b, err := os.ReadFile(p)
			if err == nil && json.Valid(b) {
				docs[p] = b
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(docs) < 100 {
		t.Fatalf("%d fixtures, want at least 100", len(docs))
	}
	return docs
}

// mutants returns variants of doc, each one change away from it: a member
// removed or added, a value of another type, a string or a date changed,
// an array emptied, a lone value put in an array or taken out of one. Of
// the variants in the order they are made, it returns those keep takes.
func mutants(doc any, keep func(i int) bool) []any {
	var out []any
	made := 0
	emit := func() {
		if keep(made) {
			out = append(out, clone(doc))
		}
		made++
	}
	replacements := []any{nil, true, json.Number("1.5"), "x", "2024-02-30T10:00:00Z", "2024-01-02T10:00:00+01:00",
		"2024-01-02", []any{}, map[string]any{}, []any{"x"}}
	var walk func(v any, set func(any))
	walk = func(v any, set func(any)) {
		for _, r := range replacements {
			set(r)
			emit()
		}
		set([]any{v})
		emit()
		switch x := v.(type) {
		case string:
			for _, s := range []string{x + "x", strings.ToUpper(x), strings.Replace(x, "T", " ", 1), strings.Replace(x, "Z", "+25:00", 1)} {
				set(s)
				emit()
			}
		case []any:
			if len(x) == 1 {
				set(x[0])
				emit()
			}
			set(append(slices.Clone(x), "x"))
			emit()
			set(x)
			for i := range x {
				walk(x[i], func(n any) { x[i] = n })
			}
		case map[string]any:
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			set(x)
			x["zzUnknown"] = "x"
			emit()
			delete(x, "zzUnknown")
			for _, k := range keys {
				e := x[k]
				delete(x, k)
				emit()
				x[k] = e
				walk(e, func(n any) { x[k] = n })
				x[k] = e
			}
		}
		set(v)
	}
	walk(doc, func(n any) { doc = n })
	return out
}

// clone returns a deep copy of a decoded JSON value.
func clone(v any) any {
	switch x := v.(type) {
	case []any:
		c := make([]any, len(x))
		for i, e := range x {
			c[i] = clone(e)
		}
		return c
	case map[string]any:
		c := make(map[string]any, len(x))
		for k, e := range x {
			c[k] = clone(e)
		}
		return c
	}
	return v
}

// classSchema returns the embedded schema a document's type names.
func classSchema(doc any) string {
	m, _ := doc.(map[string]any)
	types := fmt.Sprint(m["type"])
	switch {
	case strings.Contains(types, "ClrCredential"):
		return ClrCredentialSchemaURL
	case strings.Contains(types, "EndorsementCredential"):
		return EndorsementCredentialSchemaURL
	case strings.Contains(types, "Profile") && !strings.Contains(types, "Credential"):
		return ProfileSchemaURL
	}
	return AchievementCredentialSchemaURL
}

// TestTreeEquivalence compares the verdicts of the tree validator and of
// the general validator: on every fixture against every embedded schema,
// and on every one-change mutant of each fixture against the schema of its
// class. Both must say valid, or both invalid, and a document the
// validators see as valid must pass Validate, ValidateValue and
// ValidateTree with no error; an invalid one must get from each the
// general validator's own *ValidationError.
//
// Every mutant is compared with -tree.all (263,805 of them over 287
// fixtures, all agreeing, when this was written); by default one in 23,
// one in 97 with -short or -race.
func TestTreeEquivalence(t *testing.T) {
	stride := 23
	if testing.Short() || raceEnabled {
		// The comparisons run on one goroutine: the race detector adds
		// time, not findings.
		stride = 97
	}
	urls := schemaFiles(t)
	docs := fixtures(t)
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range docs {
			if !yield(n) {
				return
			}
		}
	})
	var compared, valid, mutated int
	for _, name := range names {
		data := docs[name]
		for _, u := range urls {
			compared++
			if compareVerdicts(t, name, u, data, true) {
				valid++
			}
		}
		doc, err := jsonobj.Parse(data, len(data), maxValueDepth)
		if err != nil {
			continue
		}
		u := classSchema(doc)
		for i, m := range mutants(doc, func(i int) bool { return *treeAll || i%stride == 0 }) {
			b, err := json.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			mutated++
			compared++
			// The Validator's methods on a sample: the general validator
			// reports the problems of an invalid document slowly.
			if compareVerdicts(t, fmt.Sprintf("%s mutant %d", name, i), u, b, i%7 == 0) {
				valid++
			}
		}
	}
	t.Logf("%d fixtures, %d mutants: %d comparisons, %d valid", len(docs), mutated, compared, valid)
	if valid < 50 || compared-valid < 50 {
		t.Errorf("%d valid of %d comparisons: the cases do not exercise both verdicts", valid, compared)
	}
}

// compareVerdicts compares the two validators on one document and reports
// whether it is valid; with methods, it also checks what the Validator's
// methods return for it.
func compareVerdicts(t *testing.T, name, u string, data []byte, methods bool) bool {
	t.Helper()
	want, ok := oracleValid(t, u, data)
	if !ok {
		return false
	}
	got, ok := treeValid(t, u, data)
	if !ok {
		// Not read by the tree parser (a member named twice): Validate
		// leaves it to the general validator.
		return want
	}
	if got != want {
		t.Errorf("%s against %s: tree validator says valid=%v, the general validator valid=%v\n%s", name, u, got, want, data)
		return want
	}
	if !methods {
		return want
	}
	v := validator(t)
	errBytes := v.Validate(u, data)
	value, _ := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	errValue := v.ValidateValue(u, value)
	var tree jsonobj.Tree
	if err := jsonobj.ParseTree(data, len(data), maxValueDepth, &tree); err != nil {
		t.Fatal(err)
	}
	errTree := v.ValidateTree(u, &tree, 0)
	for _, err := range []error{errBytes, errValue, errTree} {
		if (err == nil) != want {
			t.Errorf("%s against %s: valid=%v, but the Validator says %v", name, u, want, err)
		}
	}
	if !want && errBytes != nil {
		oracle := validate(mustSchema(t, u), u, value)
		for _, err := range []error{errBytes, errValue, errTree} {
			if err.Error() != oracle.Error() || !equalProblems(err, oracle) {
				t.Errorf("%s against %s: problems differ from the general validator's:\n%v\n%v", name, u, err, oracle)
			}
		}
	}
	return want
}

func mustSchema(t testing.TB, u string) *jsonschema.Schema {
	sch, _, err := builtin.schema(u)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func equalProblems(a, b error) bool {
	ea, ok1 := a.(*ValidationError)
	eb, ok2 := b.(*ValidationError)
	return ok1 && ok2 && slices.Equal(ea.Problems, eb.Problems)
}

// FuzzTreeEquivalence compares the two validators' verdicts on any input
// the tree parser reads, against the three credential and profile schemas
// and the CLR schema.
func FuzzTreeEquivalence(f *testing.F) {
	for _, b := range fixtures(f) {
		if len(b) < 16<<10 {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, u := range []string{AchievementCredentialSchemaURL, EndorsementCredentialSchemaURL, ProfileSchemaURL, ClrCredentialSchemaURL} {
			got, ok := treeValid(t, u, data)
			if !ok {
				return
			}
			want, ok := oracleValid(t, u, data)
			if !ok {
				t.Fatalf("the tree parser reads what jsonschema.UnmarshalJSON does not: %q", data)
			}
			if got != want {
				t.Fatalf("against %s: tree validator valid=%v, general validator valid=%v\n%s", u, got, want, data)
			}
		}
	})
}

// formatOracle compiles a schema of one asserted format with the general
// validator.
func formatOracle(t testing.TB, format string) *jsonschema.Schema {
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2019)
	c.AssertFormat()
	if err := c.AddResource("mem:///f.json", map[string]any{"format": format}); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("mem:///f.json")
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

// formatCases are strings at the edges of the date and date-time formats.
var formatCases = []string{
	"", "2024-01-02", "2024-1-02", "2024-02-30", "2024-02-29", "2023-02-29", "0000-01-01", "+2024-01-02",
	"2024-01-02T10:00:00Z", "2024-01-02t10:00:00z", "2024-01-02 10:00:00Z", "2024-01-02T10:00:00",
	"2024-01-02T10:00:00.5Z", "2024-01-02T10:00:00.Z", "2024-01-02T10:00:00.123456789+01:00",
	"2024-01-02T23:59:60Z", "2024-01-02T23:59:60+00:00", "2024-01-02T22:59:60-01:00", "2024-01-02T12:59:60Z",
	"2024-01-02T24:00:00Z", "2024-01-02T10:60:00Z", "2024-01-02T10:00:61Z", "2024-01-02T+1:+2:+3Z",
	"2024-01-02T-0:00:00Z", "2024-01-02T10:00:00+24:00", "2024-01-02T10:00:00+23:60", "2024-01-02T10:00:00+0100",
	"2024-01-02T10:00:00+01:0", "2024-01-02T10:00:00*01:00", "2024-01-02T10:00:00+:1:00", "2024-01-02T10:00:00++1:00",
	"2024-01-02T1::0:00Z", "2024-01-02T10:00:00.٣Z", "2024-01-02T10:00:00ZZ", "2024-01-02T00:00:60+00:01",
	"2024-01-02T10:00:00+01:00:", "2024-01-02T0a:00:00Z",
}

// TestTreeFormats compares validDate and validDateTime with the general
// validator's date and date-time formats.
func TestTreeFormats(t *testing.T) {
	date, dateTime := formatOracle(t, "date"), formatOracle(t, "date-time")
	for _, s := range formatCases {
		if got, want := validDate(s), date.Validate(s) == nil; got != want {
			t.Errorf("validDate(%q) = %v, the general validator says %v", s, got, want)
		}
		if got, want := validDateTime(s), dateTime.Validate(s) == nil; got != want {
			t.Errorf("validDateTime(%q) = %v, the general validator says %v", s, got, want)
		}
	}
}

// FuzzTreeFormats compares the formats on any string.
func FuzzTreeFormats(f *testing.F) {
	for _, s := range formatCases {
		f.Add(s)
	}
	date, dateTime := formatOracle(f, "date"), formatOracle(f, "date-time")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := validDate(s), date.Validate(s) == nil; got != want {
			t.Errorf("validDate(%q) = %v, the general validator says %v", s, got, want)
		}
		if got, want := validDateTime(s), dateTime.Validate(s) == nil; got != want {
			t.Errorf("validDateTime(%q) = %v, the general validator says %v", s, got, want)
		}
	})
}

// TestTreeValidAllocs checks that validating a valid credential allocates
// nothing.
func TestTreeValidAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates for its own bookkeeping")
	}
	data := readFile(t, "testdata/spec/complete-openbadgecredential.json")
	var tree jsonobj.Tree
	if err := jsonobj.ParseTree(data, len(data), maxValueDepth, &tree); err != nil {
		t.Fatal(err)
	}
	v := validator(t)
	if err := v.ValidateTree(AchievementCredentialSchemaURL, &tree, 0); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(20, func() {
		if v.ValidateTree(AchievementCredentialSchemaURL, &tree, 0) != nil {
			t.Fatal("invalid")
		}
	}); n != 0 {
		t.Errorf("ValidateTree allocates %v times per valid credential, want 0", n)
	}
}
