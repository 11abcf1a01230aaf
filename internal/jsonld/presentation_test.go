package jsonld

import (
	"context"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/internal/rdfc"
)

// TestPresentationGraphs converts a VCDM 2.0 presentation, whose
// verifiableCredential is a graph container with a null scoped context,
// both ways, and compares each with the canonical form jsonld.js gives
// (testdata/presentation): each credential is a graph of its own.
func TestPresentationGraphs(t *testing.T) {
	c := testConverter(t)
	raw, err := os.ReadFile("testdata/presentation/presentation.json")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("testdata/presentation/presentation.nq")
	if err != nil {
		t.Fatal(err)
	}
	v, err := decodeJSON(raw)
	if err != nil {
		t.Fatal(err)
	}
	doc := v.(map[string]any)
	fast, ok := c.fastToRDF(nil, doc)
	if !ok {
		t.Fatal("the fast path does not take the presentation")
	}
	general, err := c.general(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		quads []rdfc.Quad
	}{{"fast", fast}, {"general", general}} {
		got, err := canonical(tc.quads)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(string(want), got); d != "" {
			t.Errorf("%s path (-jsonld.js +got):\n%s", tc.name, d)
		}
	}
	out, err := c.Canonical(context.Background(), doc, rdfc.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(string(want), string(out)); d != "" {
		t.Errorf("Canonical (-jsonld.js +got):\n%s", d)
	}
}
