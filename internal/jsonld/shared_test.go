package jsonld

import (
	"context"
	"sync"
	"testing"

	"github.com/go-openbadges/openbadges/schema"
)

// TestConverterFor checks that ConverterFor gives one Converter per
// Loader, keeps at most maxSharedConverters, and is safe for concurrent
// use (run with -race).
func TestConverterFor(t *testing.T) {
	def, err := schema.NewLoader(schema.LoaderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if a, b := ConverterFor(def), ConverterFor(def); a != b {
		t.Error("two Converters for one Loader")
	}
	doc := decode(t, `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"did:example:1","credentialSubject":{"id":"did:example:2"}}`)
	var wg sync.WaitGroup
	for i := range 3 * maxSharedConverters {
		wg.Go(func() {
			l, err := schema.NewLoader(schema.LoaderOptions{Extra: map[string][]byte{
				"https://example.com/ctx": []byte(`{"@context":{"x":"https://example.com/x"}}`),
			}})
			if err != nil {
				t.Error(err)
				return
			}
			c := ConverterFor(l)
			if c.Loader != l {
				t.Errorf("goroutine %d: the Converter has another Loader", i)
			}
			if err := ConverterFor(def).Check(context.Background(), doc); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	shared.mu.Lock()
	n, order := len(shared.m), len(shared.order)
	shared.mu.Unlock()
	if n > maxSharedConverters || n != order {
		t.Errorf("%d Converters kept (%d in order), want at most %d", n, order, maxSharedConverters)
	}
}
