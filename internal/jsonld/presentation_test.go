package jsonld

import (
	"context"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/internal/rdfc"
)

// TestPresentationGraphs converts VCDM 2.0 presentations, whose
// verifiableCredential is a graph container with a null scoped context,
// both ways, and compares each with the canonical form jsonld.js gives
// (testdata/presentation): each credential is a graph of its own, for a
// presentation at the top of the document, for presentations in its
// @graph (which only the general path takes), and for one embedded, with
// a context of its own, in a document whose context is another.
func TestPresentationGraphs(t *testing.T) {
	c := testConverter(t)
	for _, tc := range []struct {
		name string
		fast bool // the fast path takes it
	}{{"presentation", true}, {"nested", false}, {"embedded", true}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			raw, err := os.ReadFile("testdata/presentation/" + tc.name + ".json")
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile("testdata/presentation/" + tc.name + ".nq")
			if err != nil {
				t.Fatal(err)
			}
			v, err := decodeJSON(raw)
			if err != nil {
				t.Fatal(err)
			}
			doc := v.(map[string]any)
			fast, ok := c.fastToRDF(nil, doc)
			if ok != tc.fast {
				t.Fatalf("the fast path takes the document: %v, want %v", ok, tc.fast)
			}
			general, err := c.general(context.Background(), doc)
			if err != nil {
				t.Fatal(err)
			}
			type path struct {
				name  string
				quads []rdfc.Quad
			}
			paths := []path{{"general", general}}
			if ok {
				paths = append(paths, path{"fast", fast})
			}
			for _, p := range paths {
				got, err := canonical(p.quads)
				if err != nil {
					t.Fatal(err)
				}
				if d := cmp.Diff(string(want), got); d != "" {
					t.Errorf("%s path (-jsonld.js +got):\n%s", p.name, d)
				}
			}
			out, err := c.Canonical(context.Background(), doc, rdfc.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(string(want), string(out)); d != "" {
				t.Errorf("Canonical (-jsonld.js +got):\n%s", d)
			}
		})
	}
}
