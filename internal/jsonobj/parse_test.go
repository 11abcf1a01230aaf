package jsonobj

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// decodeStd is what Parse must agree with: Scan, then encoding/json with
// UseNumber.
func decodeStd(data []byte, maxBytes, maxDepth int) (any, error) {
	if err := Scan(data, maxBytes, maxDepth); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}

var parseCases = []string{
	`{}`, `[]`, `""`, `0`, `-0`, `1.5e+10`, `-12.0E-3`, `true`, `false`, `null`, ` {"a" : [ 1 , 2 ] } `,
	`{"a":{"b":{"c":[{},[],"x"]}}}`, `"\u00e9\ud83d\ude00\n\t\"\\\/\b\f\r"`, `"\ud800"`, `"\ud800\u0041"`, `"\udc00\ud800"`,
	`"\ud83d\ude00\ud83d"`, `"é漢字"`, `{"a":1,"a":2}`, `{"a":1,}`, `[1,]`, `01`, `1.`, `.5`, `-`, `1e`, `+1`, `"\x"`, `"\u12"`,
	`"` + "\x01" + `"`, "\"\xff\"", `{"a" 1}`, `{1:2}`, `[1 2]`, `{} {}`, `{}x`, ``, ` `, `nul`, `tru`, `[[[[[[]]]]]]`,
	`{"":0}`, `"\uD83D\uDE00"`, `"\u0000"`, `[1e400]`, `{"proof":[{"a":"]"}],"b":"}"}`,
	`{"k0":0,"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"k10":10,"k11":11,"k12":12,"k13":13,"k14":14,"k15":15,"k16":16,"k17":17,"k3":3}`,
	`{"k0":0,"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"k10":10,"k11":11,"k12":12,"k13":13,"k14":14,"k15":15,"k16":16,"k17":17}`,
}

// TestParse checks that Parse (and ParseTree behind it) accepts exactly what
// Scan accepts, decodes it as encoding/json does, and fails with Scan's
// error.
func TestParse(t *testing.T) {
	for _, in := range parseCases {
		checkParse(t, []byte(in), 1<<20, 5)
	}
	checkParse(t, []byte(`[[[[[[]]]]]]`), 1<<20, 6)
	checkParse(t, []byte(`{"a":"long"}`), 5, 64)
	var tree Tree
	if err := tree.SetValue(struct{}{}); err == nil {
		t.Error("SetValue of a struct: no error")
	}
}

func checkParse(t *testing.T, data []byte, maxBytes, maxDepth int) {
	t.Helper()
	want, wantErr := decodeStd(data, maxBytes, maxDepth)
	got, err := Parse(data, maxBytes, maxDepth)
	if (err == nil) != (wantErr == nil) {
		t.Fatalf("Parse(%q) = %v, want error %v", data, err, wantErr)
	}
	if err != nil {
		var se *Error
		if !errors.As(err, &se) || err.Error() != wantErr.Error() {
			t.Errorf("Parse(%q) error %q, want Scan's %q", data, err, wantErr)
		}
		return
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Parse(%q) (-encoding/json +Parse):\n%s", data, d)
	}
	// The tree behind Parse: every node's bytes decode to its value.
	var tree Tree
	if err := ParseTree(data, maxBytes, maxDepth, &tree); err != nil {
		t.Fatalf("ParseTree(%q): %v", data, err)
	}
	for i, nd := range tree.Nodes {
		v, err := decodeStd(data[nd.Start:nd.Stop], maxBytes, maxDepth)
		if err != nil || !cmp.Equal(v, tree.Value(i)) {
			t.Errorf("ParseTree(%q): node %d at [%d:%d] is %q", data, i, nd.Start, nd.Stop, data[nd.Start:nd.Stop])
		}
	}
	var again Tree
	if err := again.SetValue(want); err != nil || !cmp.Equal(want, again.Value(0)) {
		t.Errorf("SetValue(%q) does not give the value back: %v", data, err)
	}
}

// FuzzParse checks Parse against Scan and encoding/json on any input.
func FuzzParse(f *testing.F) {
	for _, in := range parseCases {
		f.Add([]byte(in))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkParse(t, data, 1<<16, 16)
	})
}

// TestTrees checks that a Tree put back comes out wiped, and that a very
// large one is not kept.
func TestTrees(t *testing.T) {
	var f Trees
	tree := f.Get()
	tree.Intern = map[string]string{"a": "a"}
	if err := ParseTree([]byte(`{"a":[1,2]}`), 100, 10, tree); err != nil {
		t.Fatal(err)
	}
	f.Put(tree)
	if len(tree.Nodes) != 0 || tree.Intern != nil || cap(tree.Nodes) == 0 {
		t.Errorf("Put kept a tree with %d nodes (room for %d), intern %v", len(tree.Nodes), cap(tree.Nodes), tree.Intern)
	}
	// A sync.Pool may drop what it is given (under the race detector it
	// drops a quarter at random), so a kept tree is asked for a few times.
	kept := false
	for range 20 {
		if f.Get() == tree {
			kept = true
			break
		}
		f.Put(tree)
	}
	if !kept {
		t.Error("Get after Put never returned the tree put")
	}
	big := &Tree{Nodes: make([]Node, 1, maxKeptNodes+1)}
	for range 20 {
		f.Put(big)
		if f.Get() == big {
			t.Fatal("a tree of more than maxKeptNodes nodes was kept")
		}
	}
}
