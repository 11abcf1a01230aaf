package credential

import (
	"cmp"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/internal/jsonobj"
)

// treeFixtures returns every JSON document in the testdata of credential,
// verify and schema.
func treeFixtures(t testing.TB) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, dir := range []string{"testdata", "../verify/testdata", "../schema/testdata"} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
				return err
			}
			b, err := os.ReadFile(path)
			out[path] = b
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(out) < 200 {
		t.Fatalf("%d JSON fixtures: the testdata directories moved?", len(out))
	}
	return out
}

// sortedProblems orders problems fully (sortProblems leaves those at one
// place under one rule in the order they were found, which for the old
// rules followed map iteration).
func sortedProblems(ps []Problem) []Problem {
	ps = slices.Clone(ps)
	slices.SortFunc(ps, func(a, b Problem) int {
		return cmp.Or(strings.Compare(a.Pointer, b.Pointer), strings.Compare(a.Rule, b.Rule),
			strings.Compare(a.Message, b.Message), cmp.Compare(a.Severity, b.Severity))
	})
	return ps
}

// dataModelOutcome is what one run of the rules gives, errors as text.
type dataModelOutcome struct {
	Class    string
	Version  Version
	Problems []Problem
	Err      string
}

func outcomeOf(r *CheckResult, err error) dataModelOutcome {
	if err != nil {
		return dataModelOutcome{Err: err.Error()}
	}
	return dataModelOutcome{Class: r.Class, Version: r.Version, Problems: sortedProblems(r.Problems)}
}

// compareDataModel holds the rules reading the Tree to the old ones
// reading maps (vcdm_oracle_test.go) on data: CheckDataModel and
// CheckPresentationDataModel; the credential rules Check applies to the
// document and its endorsements, on the Tree and on maps (as checkClr
// gives them); the pointers Check moves into the document; and the type
// Check reads first.
func compareDataModel(t *testing.T, name string, data []byte) {
	for _, kind := range []docKind{kindAuto, kindPresentation} {
		want := outcomeOf(mapCheckDataModel(data, nil, kind))
		got := outcomeOf(checkDataModel(data, nil, kind))
		if diff := gocmp.Diff(want, got); diff != "" {
			t.Errorf("%s: CheckDataModel (kind %d), old (-) and new (+) differ:\n%s", name, kind, diff)
		}
	}
	tree := new(jsonobj.Tree)
	if err := jsonobj.ParseTree(data, 1<<24, 64, tree); err != nil {
		return
	}
	root := jnode{tree, 0}
	doc, isObject := tree.Value(0).(map[string]any)
	if !isObject {
		return
	}
	old := &mapModel{opts: &CheckOptions{}}
	old.document("", doc, kindCredential)
	old.endorsements("", doc)
	viaTree := &dataModel{opts: &CheckOptions{}}
	viaTree.documentAt("", root, kindCredential)
	viaTree.endorsementsAt("", root)
	viaMaps := &dataModel{opts: &CheckOptions{}}
	viaMaps.document("", doc, kindCredential)
	viaMaps.endorsements("", doc)
	want := sortedProblems(old.problems)
	if diff := gocmp.Diff(want, sortedProblems(viaTree.problems)); diff != "" || old.err != nil || viaTree.err != nil {
		t.Errorf("%s: credential rules on the Tree, old (-) and new (+) differ (errors %v, %v):\n%s", name, old.err, viaTree.err, diff)
	}
	if diff := gocmp.Diff(want, sortedProblems(viaMaps.problems)); diff != "" || viaMaps.err != nil {
		t.Errorf("%s: credential rules on maps, old (-) and new (+) differ (error %v):\n%s", name, viaMaps.err, diff)
	}
	if want, got := typesOf(doc["type"]), typesOfFirst(root); !gocmp.Equal(want, got) {
		t.Errorf("%s: typesOfNode = %q, typesOf = %q", name, got, want)
	}
	for _, p := range pointersInto(doc, "") {
		if want, got := documentPointer(doc, p), nodePointer(root, p); got != want {
			t.Errorf("%s: nodePointer(%q) = %q, documentPointer says %q", name, p, got, want)
		}
	}
}

func typesOfFirst(root jnode) Types {
	if typ, ok := root.get("type"); ok {
		return typesOfNode(typ)
	}
	return nil
}

// pointersInto returns the pointer of every value in v, with the forms
// the OB rules write beside them: a "/0" after each (the array of one a
// single value stands for), an index past the end, and a member that is
// not there.
func pointersInto(v any, ptr string) []string {
	out := []string{ptr, ptr + "/0", ptr + "/0/x", ptr + "/99", ptr + "/nope"}
	switch v := v.(type) {
	case map[string]any:
		for k, c := range v {
			out = append(out, pointersInto(c, ptr+"/"+escapePointer(k))...)
		}
	case []any:
		for i, c := range v {
			out = append(out, pointersInto(c, ptr+"/"+strconv.Itoa(i))...)
		}
	}
	return out
}

// TestDataModelTreeMatchesMaps compares the data model rules reading the
// parsed Tree with the rules as they were, reading maps, on every JSON
// fixture of credential, verify and schema, and on the rule table's
// documents.
func TestDataModelTreeMatchesMaps(t *testing.T) {
	for name, data := range treeFixtures(t) {
		compareDataModel(t, name, data)
	}
	for i, doc := range dataModelSeeds() {
		compareDataModel(t, "seed "+strconv.Itoa(i), []byte(doc))
	}
}

// dataModelSeeds are documents that break each data model rule.
func dataModelSeeds() []string {
	return []string{
		vc20, vc11, vp20, vp11, envelopedVC, `[]`, `"x"`, `{}`, `{"@context":[]}`, `{"@context":{}}`,
		`{"@context":"https://www.w3.org/ns/credentials/v2","type":"VerifiablePresentation","verifiableCredential":[]}`,
		`{"@context":["https://www.w3.org/2018/credentials/v1","https://www.w3.org/ns/credentials/v2","https://www.w3.org/2018/credentials/v1",3,{},"rel"],` +
			`"type":["VerifiableCredential",""],"id":5,"name":[],"description":[{"@value":1,"@language":"e n","@direction":"up","x":1},{"@language":null}],` +
			`"issuer":{"id":7,"name":{"@value":"n"}},"credentialSubject":[{},{"id":"rel"},3],"validFrom":"2024-03-01T12:00:00Z","validUntil":"2023-02-30T00:00:00Z",` +
			`"credentialStatus":[],"credentialSchema":{"id":"x"},"refreshService":[{"type":1}],"termsOfUse":4,"evidence":[{"type":[]}],` +
			`"relatedResource":[{"id":"https://www.w3.org/ns/credentials/v2","digestSRI":"` + suiteSRI + `","digestMultibase":["` + v2Multibase + `",2]},` +
			`{"id":"https://www.w3.org/ns/credentials/v2","mediaType":5,"digestSRI":[]},{"id":3},{}],` +
			`"endorsement":[{"type":"x"},3,{"@context":[]}],"x":{"endorsement":{"issuer":1}}}`,
		`{"@context":["https://www.w3.org/2018/credentials/v1"],"type":"VerifiablePresentation","holder":3,"verifiableCredential":[1,"jwt",{"type":"EnvelopedVerifiableCredential","id":"https://x"}]}`,
		`{"@context":"https://www.w3.org/ns/credentials/v2","type":"EnvelopedVerifiablePresentation"}`,
		`{"@context":["https://www.w3.org/2018/credentials/v1"],"type":"VerifiableCredential","issuer":{},"issuanceDate":3,"expirationDate":"x","credentialStatus":{"type":"T"}}`,
	}
}

// FuzzDataModelTree compares the data model rules reading the Tree with
// the rules as they were on any input.
func FuzzDataModelTree(f *testing.F) {
	for _, data := range treeFixtures(f) {
		if len(data) < 4096 {
			f.Add(data)
		}
	}
	for _, doc := range dataModelSeeds() {
		f.Add([]byte(doc))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !json.Valid(data) {
			return
		}
		compareDataModel(t, "input", data)
	})
}
