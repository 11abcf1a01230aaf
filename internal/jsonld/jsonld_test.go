package jsonld

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/go-openbadges/openbadges/internal/rdfc"
	"github.com/go-openbadges/openbadges/schema"
)

func decode(t testing.TB, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestToRDF checks a document converts, and that the caller's document is
// not changed by it; the safe mode cases are in package dataintegrity's
// TestSafeMode, which goes through this function.
func TestToRDF(t *testing.T) {
	l, err := schema.NewLoader(schema.LoaderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	const doc = `{"@context":["https://www.w3.org/ns/credentials/v2",{"@version":1.1}],"id":"urn:x","type":["VerifiableCredential"],"issuer":"did:example:1","credentialSubject":{"id":"did:example:2"}}`
	m := decode(t, doc)
	quads, err := ToRDF(context.Background(), m, l)
	if err != nil || len(quads) != 3 {
		t.Fatalf("ToRDF = %d quads, %v; want 3", len(quads), err)
	}
	after, _ := json.Marshal(m)
	if string(after) != string(mustMarshal(t, decode(t, doc))) {
		t.Errorf("ToRDF changed its input: %s", after)
	}
	_, err = ToRDF(context.Background(), decode(t, `{"@context":"https://www.w3.org/ns/credentials/v2","id":"rel","name":"x"}`), l)
	var sm *SafeModeError
	if !errors.As(err, &sm) || sm.Path != "rel" || !errors.Is(err, ErrSafeMode) {
		t.Errorf("relative id: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ToRDF(ctx, m, l); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func mustMarshal(t testing.TB, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// FuzzToRDF feeds arbitrary JSON objects (with the credentials context)
// to ToRDF: it must never panic, and what it returns must be valid quads.
func FuzzToRDF(f *testing.F) {
	for _, s := range []string{
		`{"id":"urn:x","name":"n"}`,
		`{"@graph":[{"id":"urn:a","name":["x",{"@value":"y","@language":"en"}]}]}`,
		`{"id":"urn:x","name":{"@list":[1,2.5,true]}}`,
		`{"id":"urn:x","name":[{"@value":"y","@language":"ar","@direction":"rtl"},{"@value":"z","@direction":"ltr"}]}`,
		`{"@id":"urn:x","https://example.com/p":{"@value":{"a":[1]},"@type":"@json"}}`,
	} {
		f.Add(s)
	}
	l, err := schema.NewLoader(schema.LoaderOptions{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var m map[string]any
		dec := json.NewDecoder(bytesReader(s))
		dec.UseNumber()
		if dec.Decode(&m) != nil || m == nil {
			return
		}
		if _, ok := m["@context"]; !ok {
			m["@context"] = "https://www.w3.org/ns/credentials/v2"
		}
		quads, err := ToRDF(context.Background(), m, l)
		if err != nil {
			return
		}
		for _, q := range quads {
			if q.Predicate.Value == "" {
				t.Fatalf("empty predicate in %+v", q)
			}
		}
	})
}

func bytesReader(s string) *strings.Reader { return strings.NewReader(s) }

// TestConverterCache checks that a Converter's cached contexts give the
// same RDF as processing each document on its own, from many goroutines
// at once (run with the race detector), and that the cache is bounded.
func TestConverterCache(t *testing.T) {
	l, err := schema.NewLoader(schema.LoaderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	docs := []string{
		`{"@context":["https://www.w3.org/ns/credentials/v2","https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],"id":"urn:x","type":["VerifiableCredential","OpenBadgeCredential"],"issuer":{"id":"did:example:1","type":["Profile"],"name":"I"},"validFrom":"2024-01-01T00:00:00Z","credentialSubject":{"type":["AchievementSubject"],"achievement":{"id":"urn:a","type":["Achievement"],"name":"n","description":"d","criteria":{"narrative":"c"}}}}`,
		`{"@context":["https://www.w3.org/ns/credentials/v2"],"id":"urn:y","type":["VerifiableCredential"],"issuer":"did:example:2","credentialSubject":{"id":"did:example:3"}}`,
		`{"@context":{"@vocab":"https://example.com/"},"@id":"https://example.com/a","name":"n","list":{"@list":[1,2]}}`,
	}
	conv := &Converter{Loader: l}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range 20 {
				doc := docs[(g+k)%len(docs)]
				got, err := conv.ToRDF(context.Background(), decode(t, doc))
				if err != nil {
					t.Error(err)
					return
				}
				want, err := ToRDF(context.Background(), decode(t, doc), l)
				if err != nil {
					t.Error(err)
					return
				}
				if g, w := nquads(t, got), nquads(t, want); g != w {
					t.Errorf("cached:\n%s\nuncached:\n%s", g, w)
				}
			}
		}()
	}
	wg.Wait()
	if n := cached(&conv.cache); n != len(docs) {
		t.Errorf("%d contexts cached, want %d", n, len(docs))
	}
	for k := range maxCachedContexts + 10 {
		doc := decode(t, fmt.Sprintf(`{"@context":{"@vocab":"https://example.com/%d/"},"@id":"https://example.com/a","name":"n"}`, k))
		if _, err := conv.ToRDF(context.Background(), doc); err != nil {
			t.Fatal(err)
		}
	}
	if n := cached(&conv.cache); n != maxCachedContexts {
		t.Errorf("%d contexts cached, want the bound %d", n, maxCachedContexts)
	}
}

func cached(m *sync.Map) int {
	n := 0
	m.Range(func(any, any) bool { n++; return true })
	return n
}

// nquads returns the canonical N-Quads of quads.
func nquads(t *testing.T, quads []rdfc.Quad) string {
	res, err := rdfc.Canonicalize(context.Background(), quads, rdfc.Options{})
	if err != nil {
		t.Error(err)
		return ""
	}
	return string(res.NQuads())
}
