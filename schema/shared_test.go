package schema

import (
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestNewLoaderShared checks that NewLoader returns the same Loader for
// the same options when they add no contexts and fetch nothing, and a
// Loader of its own otherwise.
func TestNewLoaderShared(t *testing.T) {
	extra := map[string][]byte{"https://example.com/ctx": []byte(`{"@context":{"x":"https://example.com/x"}}`)}
	tests := []struct {
		name string
		a, b LoaderOptions
		same bool
	}{
		{"zero", LoaderOptions{}, LoaderOptions{}, true},
		{"zero and explicit defaults", LoaderOptions{}, LoaderOptions{MaxInlineContextBytes: DefaultMaxInlineContextBytes, MaxInlineContextTerms: DefaultMaxInlineContextTerms}, true},
		{"published", LoaderOptions{PublishedOB303: true}, LoaderOptions{PublishedOB303: true}, true},
		{"published or not", LoaderOptions{}, LoaderOptions{PublishedOB303: true}, false},
		{"other limits", LoaderOptions{}, LoaderOptions{MaxInlineContextBytes: -1}, false},
		{"extra", LoaderOptions{Extra: extra}, LoaderOptions{Extra: extra}, false},
		{"fetcher", LoaderOptions{Fetcher: &fakeFetcher{}}, LoaderOptions{Fetcher: &fakeFetcher{}}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, b := newLoader(t, tc.a), newLoader(t, tc.b)
			if got := a == b; got != tc.same {
				t.Errorf("same Loader = %v, want %v", got, tc.same)
			}
			if diff := cmp.Diff(a.URLs(), newLoader(t, tc.a).URLs()); diff != "" {
				t.Errorf("URLs differ (-first +second):\n%s", diff)
			}
		})
	}
}

// TestNewLoaderConcurrent makes and uses Loaders from many goroutines at
// once (run with -race): the embedded contexts are parsed once, shared.
func TestNewLoaderConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	loaders := make([]*Loader, 16)
	for i := range loaders {
		wg.Go(func() {
			l, err := NewLoader(LoaderOptions{MaxInlineContextTerms: 1 + i%2})
			if err != nil {
				t.Error(err)
				return
			}
			loaders[i] = l
			for _, u := range contextURLs {
				if _, err := l.LoadDocument(u); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	for i, l := range loaders {
		if l != loaders[i%2] {
			t.Errorf("loader %d is not the one made for its options", i)
		}
	}
}

// TestStandardLoadersBounded checks that options of many values do not
// grow the table of shared Loaders beyond its bound.
func TestStandardLoadersBounded(t *testing.T) {
	for i := range 3 * maxStandardLoaders {
		newLoader(t, LoaderOptions{MaxInlineContextBytes: 1000 + i})
	}
	standardLoaders.mu.Lock()
	n := len(standardLoaders.m)
	standardLoaders.mu.Unlock()
	if n > maxStandardLoaders {
		t.Errorf("%d shared Loaders, want at most %d", n, maxStandardLoaders)
	}
}
