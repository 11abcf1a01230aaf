package dataintegrity

import (
	"context"
	"crypto"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/piprate/json-gold/ld"

	"github.com/go-openbadges/openbadges/schema"
)

// TestToRDFMatchesJSONGold checks the JSON-LD to RDF conversion written
// here against json-gold's own (URDNA2015 N-Quads) on documents that use
// what a credential can: lists, numbers of every shape, booleans, typed
// and language-tagged values, JSON literals, nested and blank nodes, and
// every unsigned input of the vectors. (Only control characters, which
// json-gold writes unescaped, are left out: TestControlCharacters covers
// them.)
func TestToRDFMatchesJSONGold(t *testing.T) {
	docs := map[string]string{
		"list":        `{"@context":{"@vocab":"https://example.com/","items":{"@container":"@list"}},"@id":"https://example.com/a","items":[1,"two",{"@id":"https://example.com/b"},[3],{"name":"n"}],"empty":{"@list":[]}}`,
		"numbers":     `{"@context":{"@vocab":"https://example.com/"},"@id":"https://example.com/a","i":87,"neg":-3,"zero":0,"f":87.5,"e":1.5e-7,"big":1e21,"bigint":123456789012345678,"d":{"@value":5,"@type":"http://www.w3.org/2001/XMLSchema#double"},"s":{"@value":"5","@type":"http://www.w3.org/2001/XMLSchema#integer"},"t":true,"fl":false}`,
		"language":    `{"@context":{"@vocab":"https://example.com/","@language":"en"},"@id":"https://example.com/a","name":"colour","other":{"@value":"Farbe","@language":"de-DE"}}`,
		"json":        `{"@context":{"@vocab":"https://example.com/","data":{"@type":"@json"}},"@id":"https://example.com/a","data":{"b":[1,2.50,"x"],"a":null}}`,
		"blank nodes": `{"@context":{"@vocab":"https://example.com/"},"knows":[{"name":"a","knows":{"name":"b"}},{"name":"c"}],"@type":["T1","T2"]}`,
		"graph":       `{"@context":{"@vocab":"https://example.com/"},"@id":"https://example.com/g","@graph":[{"@id":"https://example.com/x","p":"v"},{"p":{"@id":"_:q"}}]}`,
	}
	for _, f := range []string{
		"testdata/di-eddsa/TestVectors/unsigned.json",
		"testdata/di-eddsa/TestVectors/employmentAuth.json",
		"testdata/di-eddsa/ob3-1edtech/unsigned-credential.json",
		"testdata/interop/unsigned-ob.json",
	} {
		docs[f] = string(readFile(t, f))
	}
	l, err := schema.NewLoader(schema.LoaderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	e := &engine{}
	e.init(l, Limits{}, false)
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			d, err := e.parseDocument([]byte(doc))
			if err != nil {
				t.Fatal(err)
			}
			ours, err := e.canonicalize(context.Background(), canonRDFC, crypto.SHA256, input{m: d.unsecured()})
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]any
			if err := json.Unmarshal([]byte(doc), &m); err != nil {
				t.Fatal(err)
			}
			opts := ld.NewJsonLdOptions("")
			opts.DocumentLoader = l
			opts.Algorithm = ld.AlgorithmURDNA2015
			opts.Format = "application/n-quads"
			theirs, err := ld.NewJsonLdProcessor().Normalize(m, opts)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(theirs.(string), string(ours)); d != "" {
				t.Errorf("(-json-gold +ours):\n%s", d)
			}
		})
	}
}
