package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
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

// TestEmbeddedSchemasCompile compiles every embedded schema from many
// goroutines at once (run with -race), as Validators compile them when
// first used, and checks each against the draft 2019-09 metaschema: what
// NewValidator no longer does for every schema at every start.
func TestEmbeddedSchemasCompile(t *testing.T) {
	meta, err := jsonschema.NewCompiler().Compile("https://json-schema.org/draft/2019-09/schema")
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for _, f := range Files() {
		if f.Kind == KindSchema {
			urls = append(urls, f.URL)
		}
	}
	var wg sync.WaitGroup
	for _, u := range urls {
		for range 2 {
			wg.Go(func() {
				sch, ok, err := builtin.schema(u)
				if !ok || err != nil || sch == nil {
					t.Errorf("%s: compiled %v, known %v, error %v", u, sch != nil, ok, err)
				}
			})
		}
		doc, err := builtin.docs[u].load()
		if err != nil {
			t.Fatal(err)
		}
		raw, err := readVerified(builtin.docs[u].file)
		if err != nil {
			t.Fatal(err)
		}
		want, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, doc); diff != "" {
			t.Errorf("%s: decoded other than jsonschema.UnmarshalJSON decodes it (-want +got):\n%s", u, diff)
		}
		if err := meta.Validate(doc); err != nil {
			t.Errorf("%s is not a draft 2019-09 schema: %v", u, err)
		}
	}
	wg.Wait()
	// Two URLs of one file share one compiled schema.
	a, _, _ := builtin.schema(AchievementCredentialSchemaURL)
	b, _, _ := builtin.schema("https://purl.imsglobal.org/spec/ob/v3p0/schema/json-ld/ob_v3p0_achievementcredential_schema.json")
	if a != b {
		t.Error("the two URLs of the AchievementCredential schema have two compiled schemas")
	}
}

// TestPrecheckedHidden checks that the URL the embedded schemas are
// compiled under never shows in what a failed validation reports.
func TestPrecheckedHidden(t *testing.T) {
	v := validator(t)
	data := edit(t, func(d map[string]any) {
		delete(d, "issuer")
		d["validFrom"] = "not a date"
		obj(d["credentialSubject"])["type"] = 7
	})
	for _, u := range []string{AchievementCredentialSchemaURL, EndorsementCredentialSchemaURL, ProfileSchemaURL} {
		err := v.Validate(u, data)
		var ve *ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("Validate(%s) = %v, want a *ValidationError", u, err)
		}
		if strings.Contains(err.Error(), "prechecked") {
			t.Errorf("Validate(%s): %v", u, err)
		}
		for _, p := range ve.Problems {
			if strings.Contains(p.SchemaLocation+p.Message+p.Pointer, "prechecked") {
				t.Errorf("Validate(%s): problem %+v shows the compile URL", u, p)
			}
		}
	}
	// The CLR schema, with a record missing its issuer and with a type
	// and a name that break a oneOf and a propertyNames.
	var clr map[string]any
	if err := json.Unmarshal(readFile(t, "testdata/eddsa-rdfc-2022/clr-credential-unsigned.json"), &clr); err != nil {
		t.Fatal(err)
	}
	delete(clr, "issuer")
	clr["type"] = 7
	clr["name"] = map[string]any{"not-a-language": "x"}
	b, err := json.Marshal(clr)
	if err != nil {
		t.Fatal(err)
	}
	err = v.Validate(ClrCredentialSchemaURL, b)
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) != 3 {
		t.Fatalf("Validate(CLR) = %v, want a *ValidationError of 3 problems", err)
	}
	for _, p := range ve.Problems {
		if strings.Contains(p.SchemaLocation+p.Message+p.Pointer, "prechecked") || !strings.HasPrefix(p.SchemaLocation, ClrCredentialSchemaURL+"#/") {
			t.Errorf("Validate(CLR): problem %+v", p)
		}
	}
}
