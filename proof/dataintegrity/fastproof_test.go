package dataintegrity

import (
	"context"
	"crypto"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/internal/jsonld"
	"github.com/go-openbadges/openbadges/internal/rdfc"
)

// TestProofConfigFastPath checks that proof configurations written
// directly to RDF canonicalize exactly as full JSON-LD processing does,
// for every member, purpose and context shape the fast path takes, and
// that it declines everything else.
func TestProofConfigFastPath(t *testing.T) {
	e := &engine{}
	e.init(nil, Limits{}, false)
	contexts := []any{
		"https://www.w3.org/ns/credentials/v2",
		[]any{"https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"},
		[]any{"https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json", "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"},
	}
	optional := []struct {
		name  string
		value any
	}{
		{"id", "urn:uuid:5c3a7e4b-0000-4000-8000-000000000001"},
		{"expires", "2030-01-01T00:00:00Z"},
		{"previousProof", "urn:uuid:5c3a7e4b-0000-4000-8000-000000000002"},
		{"challenge", "1235 abc \"quoted\" \u0007"},
		{"nonce", "n-0"},
		{"domain", "example.com"},
	}
	n := 0
	for ci, c := range contexts {
		for purpose := range purposeIRIs {
			for mask := range 1 << len(optional) {
				if mask%7 != ci && purpose != "assertionMethod" {
					continue // every combination with assertionMethod, a spread for the others
				}
				cfg := map[string]any{
					"@context": c, "type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022",
					"created": "2024-01-02T03:04:05Z", "proofPurpose": purpose,
					"verificationMethod": "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
				}
				for k, o := range optional {
					if mask&(1<<k) != 0 {
						cfg[o.name] = o.value
					}
				}
				fast, ok := proofConfigQuads(nil, cfg)
				if !ok {
					t.Fatalf("the fast path declined %v", cfg)
				}
				want := slowCanonical(t, e, cfg)
				got := canonical(t, fast)
				if d := cmp.Diff(want, got); d != "" {
					t.Fatalf("%v (-json-ld +fast):\n%s", cfg, d)
				}
				n++
			}
		}
	}
	if n < 64 {
		t.Fatalf("only %d configurations compared", n)
	}
	base := func(edit func(map[string]any)) map[string]any {
		cfg := map[string]any{"@context": contexts[0], "type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "created": "2024-01-02T03:04:05Z", "proofPurpose": "assertionMethod", "verificationMethod": "did:key:z6Mk#z6Mk"}
		edit(cfg)
		return cfg
	}
	for name, cfg := range map[string]map[string]any{
		"VCDM 1.1 context": base(func(m map[string]any) { m["@context"] = "https://www.w3.org/2018/credentials/v1" }),
		"v2 not first": base(func(m map[string]any) {
			m["@context"] = []any{"https://www.w3.org/ns/credentials/examples/v2", contextV2}
		}),
		"legacy type":            base(func(m map[string]any) { m["type"] = "Ed25519Signature2020" }),
		"type as an array":       base(func(m map[string]any) { m["type"] = []any{"DataIntegrityProof"} }),
		"unknown purpose":        base(func(m map[string]any) { m["proofPurpose"] = "signing" }),
		"relative method":        base(func(m map[string]any) { m["verificationMethod"] = "key-1" }),
		"blank node id":          base(func(m map[string]any) { m["id"] = "_:p" }),
		"domain list":            base(func(m map[string]any) { m["domain"] = []any{"a.example", "b.example"} }),
		"previousProof list":     base(func(m map[string]any) { m["previousProof"] = []any{"urn:a", "urn:b"} }),
		"unknown member":         base(func(m map[string]any) { m["foo"] = "bar" }),
		"created not a string":   base(func(m map[string]any) { m["created"] = 5 }),
		"method with a space":    base(func(m map[string]any) { m["verificationMethod"] = "did:key:z6Mk #x" }),
		"proofValue (a mistake)": base(func(m map[string]any) { m["proofValue"] = "z" }),
	} {
		if _, ok := proofConfigQuads(nil, cfg); ok {
			t.Errorf("%s: the fast path took it", name)
		}
	}
}

func slowCanonical(t *testing.T, e *engine, cfg map[string]any) string {
	t.Helper()
	quads, err := jsonld.ToRDF(context.Background(), cfg, e.loader)
	if err != nil {
		t.Fatalf("%v: %v", cfg, err)
	}
	return canonical(t, quads)
}

func canonical(t *testing.T, quads []rdfc.Quad) string {
	t.Helper()
	res, err := rdfc.Canonicalize(context.Background(), quads, rdfc.Options{Hash: crypto.SHA256})
	if err != nil {
		t.Fatal(err)
	}
	return string(res.NQuads())
}
