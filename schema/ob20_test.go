package schema

import (
	"bytes"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/piprate/json-gold/ld"
)

// The Open Badges 2.0 context is served at both URLs documents use, from
// one pinned file.
func TestLoaderServesOB20Context(t *testing.T) {
	l := newLoader(t, LoaderOptions{})
	w3id, err := l.ContextBytes("https://w3id.org/openbadges/v2")
	if err != nil {
		t.Fatal(err)
	}
	spec, err := l.ContextBytes("https://openbadgespec.org/v2/context.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(w3id, spec) {
		t.Error("the two OB 2.0 context URLs serve different bytes")
	}
	want, err := embedded.ReadFile("contexts/ob-v2p0-context.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(w3id, want) {
		t.Error("the OB 2.0 context URL does not serve contexts/ob-v2p0-context.json")
	}
	for _, u := range []string{"http://w3id.org/openbadges/v2", "https://w3id.org/openbadges/v2/", "https://w3id.org/openbadges/v1"} {
		if _, err := l.ContextBytes(u); err == nil {
			t.Errorf("ContextBytes(%q) served a document; only the two exact URLs are embedded", u)
		}
	}
}

// An OB 2.0 assertion canonicalizes offline, under either context URL, to
// the N-Quads that jsonld.js gives with the same context.
func TestJSONGoldCanonicalizesOB20(t *testing.T) {
	l := newLoader(t, LoaderOptions{})
	want, err := os.ReadFile("testdata/ob20/basic-assertion.nq")
	if err != nil {
		t.Fatal(err)
	}
	for _, ctx := range []string{"https://w3id.org/openbadges/v2", "https://openbadgespec.org/v2/context.json"} {
		t.Run(ctx, func(t *testing.T) {
			doc := readJSON(t, "testdata/ob20/basic-assertion.json").(map[string]any)
			doc["@context"] = ctx
			if _, err := ld.NewJsonLdProcessor().Expand(doc, &ld.JsonLdOptions{DocumentLoader: l, ProcessingMode: ld.JsonLd_1_1, SafeMode: true}); err != nil {
				t.Fatalf("Expand in safe mode: %v", err)
			}
			got, err := canonicalize(t, l, doc)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("canonical N-Quads (-want +got):\n%s", diff)
			}
		})
	}
}
