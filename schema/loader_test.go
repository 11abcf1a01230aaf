package schema

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/go-openbadges/openbadges/fetch"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/piprate/json-gold/ld"
)

// fakeFetcher serves documents from a map and records every request.
type fakeFetcher struct {
	docs map[string][]byte

	mu    sync.Mutex
	calls []string
}

var errNotFound = errors.New("not found")

func (f *fakeFetcher) Fetch(ctx context.Context, u string) ([]byte, error) {
	f.mu.Lock()
	f.calls = append(f.calls, u)
	f.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	b, ok := f.docs[u]
	if !ok {
		return nil, errNotFound
	}
	return append([]byte(nil), b...), nil
}

func (f *fakeFetcher) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

func newLoader(t testing.TB, opts LoaderOptions) *Loader {
	t.Helper()
	l, err := NewLoader(opts)
	if err != nil {
		t.Fatalf("NewLoader: %v", err)
	}
	return l
}

// contextURLs is every context URL the package must serve.
var contextURLs = []string{
	"https://www.w3.org/ns/credentials/v2",
	"https://www.w3.org/2018/credentials/v1",
	"https://www.w3.org/ns/credentials/examples/v2",
	"https://www.w3.org/2018/credentials/examples/v1",
	"https://www.w3.org/ns/credentials/undefined-terms/v2",
	"https://w3id.org/security/data-integrity/v2",
	"https://w3id.org/security/data-integrity/v1",
	"https://w3id.org/security/multikey/v1",
	"https://w3id.org/security/jwk/v1",
	"https://w3id.org/security/suites/ed25519-2020/v1",
	"https://www.w3.org/ns/did/v1",
	"https://www.w3.org/ns/credentials/status/v1",
	"https://w3id.org/vc/status-list/2021/v1",
	"https://w3id.org/security/v1",
	"https://w3id.org/security/v2",
	"https://w3id.org/citizenship/v4rc1",
	"https://purl.imsglobal.org/spec/ob/v3p0/context.json",
	"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json",
	"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json",
	"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
	"https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
	"https://purl.imsglobal.org/spec/clr/v2p0/context.json",
	"https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
	"https://w3id.org/openbadges/v2",
	"https://openbadgespec.org/v2/context.json",
}

func TestLoaderServesEveryContext(t *testing.T) {
	l := newLoader(t, LoaderOptions{})
	for _, u := range contextURLs {
		rd, err := l.LoadDocument(u)
		if err != nil {
			t.Errorf("LoadDocument(%q): %v", u, err)
			continue
		}
		if rd.DocumentURL != u {
			t.Errorf("LoadDocument(%q).DocumentURL = %q", u, rd.DocumentURL)
		}
		m, ok := rd.Document.(map[string]any)
		if !ok {
			t.Errorf("LoadDocument(%q).Document is %T, want a JSON object", u, rd.Document)
			continue
		}
		if _, ok := m["@context"]; !ok {
			t.Errorf("LoadDocument(%q).Document has no @context", u)
		}
	}
	if diff := cmp.Diff(slices.Sorted(slices.Values(contextURLs)), l.URLs()); diff != "" {
		t.Errorf("URLs() (-want +got):\n%s", diff)
	}
}

func TestLoaderURLMatching(t *testing.T) {
	l := newLoader(t, LoaderOptions{})
	tests := []struct {
		url     string
		wantDoc string // DocumentURL, or "" for an unknown context
	}{
		{"https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/v2"},
		{"https://www.w3.org/ns/credentials/v2#", "https://www.w3.org/ns/credentials/v2"},
		{"https://www.w3.org/ns/credentials/v2#frag", "https://www.w3.org/ns/credentials/v2"},
		{"http://www.w3.org/ns/credentials/v2", ""},
		{"https://www.w3.org/ns/credentials/v2/", ""},
		{"https://WWW.W3.ORG/ns/credentials/v2", ""},
		{"https://www.w3.org/ns/credentials/v2?x=1", ""},
		{"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.4.json", ""},
		{"https://example.com/unknown", ""},
		{"", ""},
		{"not a url", ""},
	}
	for _, tt := range tests {
		rd, err := l.LoadDocument(tt.url)
		if tt.wantDoc != "" {
			if err != nil {
				t.Errorf("LoadDocument(%q): %v", tt.url, err)
			} else if rd.DocumentURL != tt.wantDoc {
				t.Errorf("LoadDocument(%q).DocumentURL = %q, want %q", tt.url, rd.DocumentURL, tt.wantDoc)
			}
			continue
		}
		var uce *UnknownContextError
		if !errors.As(err, &uce) {
			t.Errorf("LoadDocument(%q) = %v, want *UnknownContextError", tt.url, err)
			continue
		}
		if uce.URL != tt.url {
			t.Errorf("LoadDocument(%q): UnknownContextError.URL = %q", tt.url, uce.URL)
		}
		if !errors.Is(err, ErrUnknownContext) {
			t.Errorf("LoadDocument(%q): error does not match ErrUnknownContext", tt.url)
		}
		if !strings.Contains(err.Error(), fmt.Sprintf("%q", tt.url)) {
			t.Errorf("LoadDocument(%q): error %q does not name the URL", tt.url, err)
		}
	}
}

func TestLoaderReturnsFreshCopies(t *testing.T) {
	l := newLoader(t, LoaderOptions{})
	const u = "https://www.w3.org/ns/credentials/v2"
	rd1, err := l.LoadDocument(u)
	if err != nil {
		t.Fatal(err)
	}
	ctx := rd1.Document.(map[string]any)["@context"].(map[string]any)
	ctx["@protected"] = "tampered"
	ctx["injected"] = "x"
	delete(ctx, "VerifiableCredential")

	rd2, err := l.LoadDocument(u)
	if err != nil {
		t.Fatal(err)
	}
	b, err := l.ContextBytes(u)
	if err != nil {
		t.Fatal(err)
	}
	var want any
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, rd2.Document); diff != "" {
		t.Errorf("second LoadDocument saw the caller's changes (-want +got):\n%s", diff)
	}
}

func TestLoaderOB303Choice(t *testing.T) {
	bundled := mustRead(t, "contexts/ob-v3p0-context-3.0.3.validator-bundled.json")
	published := mustRead(t, "contexts/ob-v3p0-context-3.0.3.json")
	for _, tt := range []struct {
		published bool
		want      []byte
		hasJTI    bool
	}{
		{false, bundled, true},
		{true, published, false},
	} {
		l := newLoader(t, LoaderOptions{PublishedOB303: tt.published})
		got, err := l.ContextBytes(ob303ContextURL)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(tt.want) {
			t.Errorf("PublishedOB303=%v: ContextBytes serves the wrong copy", tt.published)
		}
		rd, err := l.LoadDocument(ob303ContextURL)
		if err != nil {
			t.Fatal(err)
		}
		c := rd.Document.(map[string]any)["@context"].(map[string]any)
		_, jti := c["jti"]
		_, ejwt := c["endorsementJwt"]
		if jti != tt.hasJTI || ejwt != tt.hasJTI {
			t.Errorf("PublishedOB303=%v: jti defined %v, endorsementJwt defined %v, want %v", tt.published, jti, ejwt, tt.hasJTI)
		}
	}
}

func mustRead(t testing.TB, name string) []byte {
	t.Helper()
	for _, f := range files {
		if f.Name == name {
			b, err := readVerified(f)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
	}
	t.Fatalf("no embedded file %s", name)
	return nil
}

func TestContextBytes(t *testing.T) {
	extra := []byte(`{"@context": {"ex": "https://example.org/vocab#"}}`)
	l := newLoader(t, LoaderOptions{Extra: map[string][]byte{"https://example.org/ctx": extra}})
	for _, f := range Files() {
		if f.Kind != KindContext {
			continue
		}
		got, err := l.ContextBytes(f.URL)
		if err != nil {
			t.Errorf("ContextBytes(%q): %v", f.URL, err)
			continue
		}
		if string(got) != string(mustRead(t, f.Name)) {
			t.Errorf("ContextBytes(%q) differs from %s", f.URL, f.Name)
		}
	}
	got, err := l.ContextBytes("https://example.org/ctx#x")
	if err != nil || string(got) != string(extra) {
		t.Errorf("ContextBytes(extra) = %q, %v; want %q", got, err, extra)
	}
	got[0] = 'X'
	if again, _ := l.ContextBytes("https://example.org/ctx"); string(again) != string(extra) {
		t.Error("ContextBytes returned the Loader's own slice")
	}
	if _, err := l.ContextBytes("https://example.org/other"); !errors.Is(err, ErrUnknownContext) {
		t.Errorf("ContextBytes(unknown) = %v, want ErrUnknownContext", err)
	}
}

func TestLoaderExtra(t *testing.T) {
	const u = "https://example.org/contexts/ext-v1.jsonld"
	extra := map[string][]byte{u: []byte(`{"@context": {"@protected": true, "score": "https://example.org/vocab#score"}}`)}
	l := newLoader(t, LoaderOptions{Extra: extra})
	extra[u][2] = 'X' // NewLoader copied the bytes
	rd, err := l.LoadDocument(u)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"@context": map[string]any{"@protected": true, "score": "https://example.org/vocab#score"}}
	if diff := cmp.Diff(want, rd.Document); diff != "" {
		t.Errorf("extra context (-want +got):\n%s", diff)
	}
	if !slices.Contains(l.URLs(), u) {
		t.Errorf("URLs() does not list the extra context")
	}
}

func TestLoaderExtraRefused(t *testing.T) {
	ok := []byte(`{"@context": {}}`)
	tests := []struct {
		name    string
		url     string
		doc     []byte
		wantErr string
	}{
		{"override embedded", "https://www.w3.org/ns/credentials/v2", ok, "would override an embedded context"},
		{"override OB 3.0.3", ob303ContextURL, ok, "would override an embedded context"},
		{"not JSON", "https://example.org/a", []byte(`{"@context": `), "not JSON"},
		{"not an object", "https://example.org/a", []byte(`["@context"]`), "not a JSON object"},
		{"no @context", "https://example.org/a", []byte(`{"context": {}}`), `no "@context" member`},
		{"relative URL", "contexts/a.jsonld", ok, "not an absolute URL"},
		{"fragment", "https://example.org/a#x", ok, "URL has a fragment"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewLoader(LoaderOptions{Extra: map[string][]byte{tt.url: tt.doc}})
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), tt.url) {
				t.Errorf("NewLoader = %v, want an error naming %q and containing %q", err, tt.url, tt.wantErr)
			}
		})
	}
	// Overriding the 3.0.3 URL is refused whichever copy is selected.
	if _, err := NewLoader(LoaderOptions{PublishedOB303: true, Extra: map[string][]byte{ob303ContextURL: ok}}); err == nil {
		t.Error("NewLoader allowed Extra to override the published 3.0.3 context")
	}
}

func TestLoaderFetcher(t *testing.T) {
	const remote = "https://example.org/remote-context"
	ff := &fakeFetcher{docs: map[string][]byte{
		remote:                        []byte(`{"@context": {"r": "https://example.org/r#"}}`),
		"https://example.org/array":   []byte(`[1, 2]`),
		"https://example.org/invalid": []byte(`{`),
	}}
	l := newLoader(t, LoaderOptions{Fetcher: ff})

	// Embedded and extra contexts never reach the fetcher.
	for _, u := range contextURLs {
		if _, err := l.LoadDocument(u); err != nil {
			t.Fatal(err)
		}
	}
	if calls := ff.Calls(); len(calls) != 0 {
		t.Fatalf("fetcher called for embedded contexts: %q", calls)
	}

	// An unknown URL is fetched once, then served from the cache.
	for i := 0; i < 3; i++ {
		rd, err := l.LoadDocument(remote + "#part")
		if err != nil {
			t.Fatal(err)
		}
		if rd.DocumentURL != remote {
			t.Errorf("DocumentURL = %q, want %q", rd.DocumentURL, remote)
		}
		// Mutating the result must not affect the cached document.
		rd.Document.(map[string]any)["@context"] = nil
	}
	rd, _ := l.LoadDocument(remote)
	if want := map[string]any{"@context": map[string]any{"r": "https://example.org/r#"}}; !cmp.Equal(want, rd.Document) {
		t.Errorf("cached document was modified: %v", rd.Document)
	}
	if diff := cmp.Diff([]string{remote}, ff.Calls()); diff != "" {
		t.Errorf("fetch calls (-want +got):\n%s", diff)
	}

	// Failures are errors that name the URL and wrap the cause.
	for _, tt := range []struct {
		url, want string
		is        error
	}{
		{"https://example.org/missing", "fetching JSON-LD context", errNotFound},
		{"https://example.org/array", "not a JSON object", nil},
		{"https://example.org/invalid", "not JSON", nil},
	} {
		_, err := l.LoadDocument(tt.url)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), tt.url) {
			t.Errorf("LoadDocument(%q) = %v, want an error containing %q", tt.url, err, tt.want)
		}
		if tt.is != nil && !errors.Is(err, tt.is) {
			t.Errorf("LoadDocument(%q) = %v, does not wrap %v", tt.url, err, tt.is)
		}
		if errors.Is(err, ErrUnknownContext) {
			t.Errorf("LoadDocument(%q): a fetch failure must not be ErrUnknownContext", tt.url)
		}
	}

	// The context reaches the fetcher.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := l.LoadDocumentContext(ctx, "https://example.org/other"); !errors.Is(err, context.Canceled) {
		t.Errorf("LoadDocumentContext(canceled) = %v, want context.Canceled", err)
	}
}

func TestLoaderCacheBound(t *testing.T) {
	doc := func(n int) []byte { return []byte(fmt.Sprintf(`{"@context": {"t": "https://example.org/%04d"}}`, n)) }
	size := int64(len(doc(0)))
	ff := &fakeFetcher{docs: map[string][]byte{}}
	for i := 0; i < 4; i++ {
		ff.docs[fmt.Sprintf("https://example.org/%d", i)] = doc(i)
	}
	tests := []struct {
		name      string
		maxBytes  int64
		sequence  []int
		wantCalls []int
	}{
		{"default keeps all", 0, []int{0, 1, 2, 3, 0, 1, 2, 3}, []int{0, 1, 2, 3}},
		{"room for two evicts oldest", 2 * size, []int{0, 1, 2, 0, 2}, []int{0, 1, 2, 0}},
		{"too small to cache", size - 1, []int{0, 0}, []int{0, 0}},
		{"negative disables", -1, []int{0, 0, 1}, []int{0, 0, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ff.calls = nil
			l := newLoader(t, LoaderOptions{Fetcher: ff, MaxCacheBytes: tt.maxBytes})
			for _, i := range tt.sequence {
				if _, err := l.LoadDocument(fmt.Sprintf("https://example.org/%d", i)); err != nil {
					t.Fatal(err)
				}
			}
			var want []string
			for _, i := range tt.wantCalls {
				want = append(want, fmt.Sprintf("https://example.org/%d", i))
			}
			if diff := cmp.Diff(want, ff.Calls()); diff != "" {
				t.Errorf("fetch calls (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoaderConcurrent(t *testing.T) {
	ff := &fakeFetcher{docs: map[string][]byte{"https://example.org/c": []byte(`{"@context": {}}`)}}
	l := newLoader(t, LoaderOptions{Fetcher: ff})
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, u := range []string{contextURLs[i%len(contextURLs)], "https://example.org/c"} {
				rd, err := l.LoadDocument(u)
				if err != nil {
					t.Error(err)
					return
				}
				rd.Document.(map[string]any)["x"] = i
			}
		}()
	}
	wg.Wait()
}

// canonicalize expands and canonicalizes (RDFC-1.0) a JSON-LD document with
// json-gold, using l as the only document loader.
func canonicalize(t testing.TB, l ld.DocumentLoader, doc any) (string, error) {
	t.Helper()
	opts := ld.NewJsonLdOptions("")
	opts.DocumentLoader = l
	opts.ProcessingMode = ld.JsonLd_1_1
	opts.Algorithm = ld.AlgorithmURDNA2015
	opts.Format = "application/n-quads"
	out, err := ld.NewJsonLdProcessor().Normalize(doc, opts)
	if err != nil {
		return "", err
	}
	s, ok := out.(string)
	if !ok {
		return "", fmt.Errorf("Normalize returned %T", out)
	}
	return s, nil
}

func readJSON(t testing.TB, path string) any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return v
}

func TestJSONGoldCanonicalizesOfflineVectors(t *testing.T) {
	for _, published := range []bool{false, true} {
		l := newLoader(t, LoaderOptions{PublishedOB303: published})
		for _, name := range []string{"ob", "clr"} {
			t.Run(fmt.Sprintf("%s/published=%v", name, published), func(t *testing.T) {
				doc := readJSON(t, "testdata/eddsa-rdfc-2022/"+name+"-credential-unsigned.json")

				expanded, err := ld.NewJsonLdProcessor().Expand(doc, &ld.JsonLdOptions{DocumentLoader: l, ProcessingMode: ld.JsonLd_1_1})
				if err != nil {
					t.Fatalf("Expand: %v", err)
				}
				if len(expanded) != 1 {
					t.Errorf("Expand gave %d nodes, want 1", len(expanded))
				}

				got, err := canonicalize(t, l, doc)
				if err != nil {
					t.Fatalf("Normalize: %v", err)
				}
				want, err := os.ReadFile("testdata/eddsa-rdfc-2022/" + name + "-document-canon.txt")
				if err != nil {
					t.Fatal(err)
				}
				if got != string(want) {
					t.Errorf("canonical N-Quads differ (-want +got):\n%s", cmp.Diff(string(want), got))
				}
			})
		}
	}
}

func TestJSONGoldUnknownContext(t *testing.T) {
	l := newLoader(t, LoaderOptions{})
	doc := map[string]any{
		"@context": []any{"https://www.w3.org/ns/credentials/v2", "https://example.org/not-embedded"},
		"type":     "VerifiableCredential",
	}
	_, err := ld.NewJsonLdProcessor().Expand(doc, &ld.JsonLdOptions{DocumentLoader: l, ProcessingMode: ld.JsonLd_1_1})
	var uce *UnknownContextError
	if !errors.As(err, &uce) || uce.URL != "https://example.org/not-embedded" {
		t.Fatalf("Expand = %v, want an *UnknownContextError for the unknown context", err)
	}
	if !errors.Is(err, ErrUnknownContext) {
		t.Errorf("Expand error does not match ErrUnknownContext")
	}
}

// TestLoaderSurvivesImport shows why the Loader hands out copies: json-gold
// merges an importing context into the imported document's @context map.
func TestLoaderSurvivesImport(t *testing.T) {
	const base = "https://example.org/base"
	l := newLoader(t, LoaderOptions{Extra: map[string][]byte{
		base: []byte(`{"@context": {"@version": 1.1, "a": "https://example.org/a"}}`),
	}})
	doc := map[string]any{
		"@context": map[string]any{"@version": 1.1, "@import": base, "b": "https://example.org/b"},
		"@id":      "https://example.org/x",
		"a":        "1",
		"b":        "2",
	}
	for i := 0; i < 2; i++ {
		out, err := ld.NewJsonLdProcessor().Expand(doc, &ld.JsonLdOptions{DocumentLoader: l, ProcessingMode: ld.JsonLd_1_1})
		if err != nil {
			t.Fatal(err)
		}
		if len(out) != 1 || len(out[0].(map[string]any)) != 3 {
			t.Fatalf("Expand = %v, want one node with @id, a and b", out)
		}
	}
	rd, err := l.LoadDocument(base)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"@context": map[string]any{"@version": 1.1, "a": "https://example.org/a"}}
	if diff := cmp.Diff(want, rd.Document); diff != "" {
		t.Errorf("imported context changed by json-gold (-want +got):\n%s", diff)
	}
}

// TestOB303JTIInSafeMode shows why the bundled 3.0.3 context is the default:
// the OB schema allows a top-level "jti", which only the bundled copy
// defines.
func TestOB303JTIInSafeMode(t *testing.T) {
	for _, published := range []bool{false, true} {
		l := newLoader(t, LoaderOptions{PublishedOB303: published})
		doc := readJSON(t, "testdata/eddsa-rdfc-2022/ob-credential-unsigned.json").(map[string]any)
		doc["jti"] = "urn:uuid:5d3ef5a4-1fb7-4f0d-9b53-0f0b7e1a3c42"
		_, err := ld.NewJsonLdProcessor().Expand(doc, &ld.JsonLdOptions{DocumentLoader: l, ProcessingMode: ld.JsonLd_1_1, SafeMode: true})
		if published && err == nil {
			t.Error("published 3.0.3 context: jti expanded in safe mode, want an error")
		}
		if !published && err != nil {
			t.Errorf("bundled 3.0.3 context: %v", err)
		}
	}
	if err := validator(t).Validate(AchievementCredentialSchemaURL, edit(t, func(d map[string]any) { d["jti"] = "urn:uuid:5d3ef5a4-1fb7-4f0d-9b53-0f0b7e1a3c42" })); err != nil {
		t.Errorf("the OB schema refuses jti: %v", err)
	}
}

// TestLoaderHTTPFetch: a Loader with fetch.HTTP loads a context from an
// https server.
func TestLoaderHTTPFetch(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/ld+json")
		fmt.Fprint(w, `{"@context": {"ex": "https://example.org/vocab#"}}`)
	}))
	t.Cleanup(srv.Close)
	// The test server is on loopback, which fetch.HTTP refuses unless the
	// host is listed.
	l := newLoader(t, LoaderOptions{Fetcher: fetch.HTTP{Client: srv.Client(), AllowHosts: []string{srv.Listener.Addr().String()}}})
	rd, err := l.LoadDocument(srv.URL + "/ctx")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := rd.Document.(map[string]any)["@context"]; !ok {
		t.Errorf("fetched document has no @context: %v", rd.Document)
	}
}
