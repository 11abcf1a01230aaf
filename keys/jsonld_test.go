package keys

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/piprate/json-gold/ld"

	"github.com/go-openbadges/openbadges/schema"
)

// TestDocumentsExpandOffline expands the published documents with the
// embedded contexts, offline, and checks that every term they use is
// defined: JSON-LD expansion drops undefined terms, so each verification
// method must come out with all four of its properties.
func TestDocumentsExpandOffline(t *testing.T) {
	loader, err := schema.NewLoader(schema.LoaderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s, _ := publishedStore(t)
	did, err := DIDDocument(ctx, s, issuer)
	if err != nil {
		t.Fatal(err)
	}
	const sec = "https://w3id.org/security#"
	var doc any
	if err := json.Unmarshal(did, &doc); err != nil {
		t.Fatal(err)
	}
	expanded, err := ld.NewJsonLdProcessor().Expand(doc, &ld.JsonLdOptions{DocumentLoader: loader, ProcessingMode: ld.JsonLd_1_1})
	if err != nil {
		t.Fatalf("Expand: %v", err)
	}
	if len(expanded) != 1 {
		t.Fatalf("Expand gave %d nodes", len(expanded))
	}
	node := expanded[0].(map[string]any)
	var top []string
	for k := range node {
		top = append(top, k)
	}
	slices.Sort(top)
	if diff := cmpDiff([]string{"@id", sec + "assertionMethod", sec + "verificationMethod"}, top); diff != "" {
		t.Errorf("document properties (-want +got):\n%s", diff)
	}
	var got [][]string
	for _, vm := range node[sec+"verificationMethod"].([]any) {
		var props []string
		for k, v := range vm.(map[string]any) {
			if k == "@type" {
				k += " " + v.([]any)[0].(string)
			}
			props = append(props, k)
		}
		slices.Sort(props)
		got = append(got, props)
	}
	multikey := []string{"@id", "@type " + sec + "Multikey", sec + "controller", sec + "publicKeyMultibase"}
	jwk := []string{"@id", "@type " + sec + "JsonWebKey", sec + "controller", sec + "publicKeyJwk"}
	if diff := cmpDiff([][]string{multikey, multikey, jwk, multikey}, got); diff != "" {
		t.Errorf("verification method properties (-want +got):\n%s", diff)
	}
	if n := len(node[sec+"assertionMethod"].([]any)); n != 4 {
		t.Errorf("%d assertion methods, want 4", n)
	}
}
