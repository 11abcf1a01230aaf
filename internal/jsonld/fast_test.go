package jsonld

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/internal/jsonobj"
	"github.com/go-openbadges/openbadges/internal/rdfc"
	"github.com/go-openbadges/openbadges/schema"
)

// The fast path must give exactly what the general path gives, and must
// never accept a document that the general path refuses: that would let a
// document past safe mode. These tests compare the two on every JSON-LD
// document in the repository's test data (the W3C and 1EdTech vectors, the
// validator's fixtures, the spec examples, our own credentials), on
// thousands of credentials made from them by random changes, and under
// the fuzzer.

// corpus returns every JSON object with an @context found in a testdata
// folder of this repository, and the objects with an @context nested in
// them (endorsements, embedded credentials), by name.
func corpus(t testing.TB) map[string]map[string]any {
	t.Helper()
	docs := map[string]map[string]any{}
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.Contains(filepath.ToSlash(path), "/testdata/") ||
			!(strings.HasSuffix(path, ".json") || strings.HasSuffix(path, ".jsonld")) {
			return nil
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		v, err := decodeJSON(raw)
		if err != nil {
			return nil
		}
		name, _ := filepath.Rel(root, path)
		collect(docs, filepath.ToSlash(name), v)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) < 100 {
		t.Fatalf("only %d documents found in the repository's testdata", len(docs))
	}
	return docs
}

func collect(docs map[string]map[string]any, name string, v any) {
	switch x := v.(type) {
	case map[string]any:
		if _, has := x["@context"]; has {
			docs[name] = x
		}
		for k, e := range x {
			if k != "@context" {
				collect(docs, name+"/"+k, e)
			}
		}
	case []any:
		for i, e := range x {
			collect(docs, fmt.Sprintf("%s/%d", name, i), e)
		}
	}
}

func decodeJSON(raw []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// compareFast converts doc both ways and fails t unless the fast path
// either gave up or agrees with the general path. It reports whether the
// fast path took the document.
func compareFast(t testing.TB, c *Converter, name string, doc map[string]any) bool {
	t.Helper()
	before, _ := json.Marshal(doc)
	fast, ok := c.fastToRDF(nil, doc)
	if after, _ := json.Marshal(doc); !bytes.Equal(before, after) {
		t.Fatalf("%s: the fast path changed its input", name)
	}
	// The same document parsed from bytes, with a member to skip added.
	raw, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	var tree jsonobj.Tree
	if err := jsonobj.ParseTree(append(append([]byte(`{"skipped":{"@id":5},`), raw[1:len(raw)-1]...), '}'), 1<<24, 1000, &tree); err != nil && len(raw) > 2 {
		t.Fatalf("%s: %v", name, err)
	}
	if len(raw) > 2 {
		if c.fastCheck(&tree, 0, "skipped") != ok {
			t.Errorf("%s: fastCheck says %v, fastToRDF %v", name, !ok, ok)
		}
		fromTree, treeOK := c.fastTree(nil, &tree, 0, "skipped")
		if treeOK != ok {
			t.Errorf("%s: fastTree says %v, fastToRDF %v", name, treeOK, ok)
		} else if ok {
			a, _ := canonical(fast)
			b, _ := canonical(fromTree)
			if a != b {
				t.Errorf("%s: fastTree and fastToRDF differ:\n%s\n%s", name, a, b)
			}
		}
	}
	if !ok {
		return false
	}
	general, err := c.general(context.Background(), doc)
	if err != nil {
		t.Errorf("%s: the fast path accepts what the general path refuses: %v", name, err)
		return true
	}
	want, err := canonical(general)
	if err != nil {
		t.Fatalf("%s: general: %v", name, err)
	}
	got, err := canonical(fast)
	if err != nil {
		t.Fatalf("%s: fast: %v", name, err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s: the fast path differs from the general path (-general +fast):\n%s", name, diff)
	}
	return true
}

func canonical(quads []rdfc.Quad) (string, error) {
	res, err := rdfc.Canonicalize(context.Background(), quads, rdfc.Options{})
	if err != nil {
		return "", err
	}
	return string(res.NQuads()), nil
}

func testConverter(t testing.TB) *Converter {
	l, err := schema.NewLoader(schema.LoaderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return &Converter{Loader: l}
}

// TestFastPathAgrees compares the fast and general paths on the corpus,
// and requires the fast path to take the credentials it exists for.
func TestFastPathAgrees(t *testing.T) {
	c := testConverter(t)
	docs := corpus(t)
	var taken []string
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range docs {
			if !yield(k) {
				return
			}
		}
	}) {
		if compareFast(t, c, name, docs[name]) {
			taken = append(taken, name)
		}
	}
	t.Logf("the fast path took %d of %d documents", len(taken), len(docs))
	for _, want := range []string{
		"proof/dataintegrity/testdata/bench/typical.json",
		"proof/dataintegrity/testdata/di-eddsa/ob3-1edtech/unsigned-credential.json",
		"credential/testdata/spec/basic-openbadgecredential.json",
	} {
		if _, ok := docs[want]; !ok {
			t.Errorf("%s is not in the corpus", want)
		} else if !slices.Contains(taken, want) {
			t.Errorf("the fast path does not take %s", want)
		}
	}
}

// TestFastPathMutations compares the two paths on documents made from the
// corpus by random changes: members removed, values replaced by other
// values from the corpus or by values chosen to be awkward (relative
// references, blank node identifiers, keywords, nulls, nested arrays,
// language and value objects, scoped contexts).
func TestFastPathMutations(t *testing.T) {
	c := testConverter(t)
	docs := corpus(t)
	names := slices.Sorted(func(yield func(string) bool) {
		for k := range docs {
			if !yield(k) {
				return
			}
		}
	})
	n := 3000
	if testing.Short() {
		n = 300
	}
	// Most mutations (7 in 8) start from a document the fast path takes,
	// so that they probe the edges of what it takes; the corpus holds many
	// documents it does not (Open Badges 2.0 ones, with their own context).
	var fast []string
	for _, name := range names {
		if _, ok := c.fastToRDF(nil, docs[name]); ok {
			fast = append(fast, name)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	taken := 0
	for i := range n {
		name := names[r.IntN(len(names))]
		if r.IntN(8) > 0 {
			name = fast[r.IntN(len(fast))]
		}
		doc := mutate(r, docs[name], docs[names[r.IntN(len(names))]])
		if compareFast(t, c, fmt.Sprintf("%s (mutation %d)", name, i), doc) {
			taken++
		}
		if t.Failed() {
			b, _ := json.Marshal(doc)
			t.Fatalf("the document: %s", b)
		}
	}
	t.Logf("the fast path took %d of %d mutated documents", taken, n)
	if taken < n/4 {
		t.Errorf("the fast path took only %d of %d mutated documents", taken, n)
	}
}

// awkward are values that test the edges of what the fast path takes.
var awkward = []any{
	nil, true, false, json.Number("0"), json.Number("-0"), json.Number("1.5"), json.Number("1e21"), json.Number("12345678901234567890"),
	json.Number("1.0"), json.Number("-3E-7"), "", "plain", "relative/ref", "_:b0", "_:", "urn:uuid:1", "did:example:123",
	"https://example.com/a b", "http://example.com/<x>", "xsd:string", "ceasn:Competency", "@id", "@type", "@foo", "@context",
	"mailto:x@example.com", "https://example.com/x#frag", "a:b:c", "%zz:x", "x:%zz", "\u0000", "é", "\"quoted\"",
	[]any{}, []any{"a", "b"}, []any{[]any{"nested"}}, []any{nil}, []any{map[string]any{}},
	map[string]any{}, map[string]any{"id": "urn:x"}, map[string]any{"id": "rel"}, map[string]any{"@value": "v"},
	map[string]any{"@value": "v", "@language": "en"}, map[string]any{"@value": "v", "@type": "urn:t"}, map[string]any{"@list": []any{"a"}},
	map[string]any{"@set": []any{"a"}}, map[string]any{"@language": "en"}, map[string]any{"@context": map[string]any{"x": "urn:x"}, "x": "1"},
	map[string]any{"type": "Profile", "name": "n"}, map[string]any{"type": []any{"Achievement", "Profile"}, "id": "urn:y"},
	map[string]any{"@graph": []any{map[string]any{"id": "urn:z", "name": "n"}}}, map[string]any{"@included": []any{}},
	map[string]any{"type": "Evidence", "narrative": "n", "unknownTerm": "u"}, map[string]any{"@id": "urn:a", "id": "urn:b"},
	map[string]any{"type": "Alignment", "targetUrl": "https://x", "targetType": "ceasn:Competency", "targetName": "n"},
}

// awkwardKeys are member names to add.
var awkwardKeys = []string{
	"name", "id", "@id", "type", "@type", "description", "unknownTerm", "@foo", "@context", "", "urn:x:y", "ex:prop", "_:b",
	"credentialSubject", "achievement", "alignment", "endorsement", "evidence", "identifier", "result", "proof",
	"@graph", "@included", "@reverse", "@nest", "@index", "@language", "issuer", "validFrom", "awardedDate", "image",
	"https://example.com/p", "relatedTerm", "resultDescription", "creditsAvailable", "hashed",
}

// mutate returns a deep copy of doc with a few random changes; other
// gives values from another document.
func mutate(r *rand.Rand, doc, other map[string]any) map[string]any {
	cp := deepCopyAll(doc).(map[string]any)
	var pool []any
	var gather func(v any)
	gather = func(v any) {
		pool = append(pool, v)
		switch x := v.(type) {
		case map[string]any:
			// In key order, as below: the same seed makes the same
			// documents, so that a failure can be run again.
			for _, k := range slices.Sorted(maps.Keys(x)) {
				if k != "@context" {
					gather(x[k])
				}
			}
		case []any:
			for _, e := range x {
				gather(e)
			}
		}
	}
	gather(other)
	for range 1 + r.IntN(3) {
		var objects []map[string]any
		var walk func(v any)
		walk = func(v any) {
			switch x := v.(type) {
			case map[string]any:
				objects = append(objects, x)
				for _, k := range slices.Sorted(maps.Keys(x)) {
					if k != "@context" {
						walk(x[k])
					}
				}
			case []any:
				for _, e := range x {
					walk(e)
				}
			}
		}
		walk(cp)
		o := objects[r.IntN(len(objects))]
		keys := slices.Sorted(func(yield func(string) bool) {
			for k := range o {
				if k != "@context" && !yield(k) {
					return
				}
			}
		})
		value := func() any {
			if r.IntN(2) == 0 {
				return deepCopyAll(awkward[r.IntN(len(awkward))])
			}
			return deepCopyAll(pool[r.IntN(len(pool))])
		}
		switch op := r.IntN(4); {
		case op == 0 && len(keys) > 0:
			delete(o, keys[r.IntN(len(keys))])
		case op == 1 && len(keys) > 0:
			o[keys[r.IntN(len(keys))]] = value()
		default:
			o[awkwardKeys[r.IntN(len(awkwardKeys))]] = value()
		}
	}
	return cp
}

func deepCopyAll(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = deepCopyAll(e)
		}
		return m
	case []any:
		s := make([]any, len(x))
		for i, e := range x {
			s[i] = deepCopyAll(e)
		}
		return s
	}
	return v
}

// FuzzFastPath compares the two paths on documents the fuzzer makes from
// the corpus.
func FuzzFastPath(f *testing.F) {
	c := testConverter(f)
	docs := corpus(f)
	for _, name := range []string{
		"proof/dataintegrity/testdata/bench/typical.json",
		"credential/testdata/spec/complete-openbadgecredential.json",
		"proof/dataintegrity/testdata/di-eddsa/ob3-1edtech/unsigned-credential.json",
	} {
		b, err := json.Marshal(docs[name])
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		v, err := decodeJSON(data)
		if err != nil {
			return
		}
		doc, ok := v.(map[string]any)
		if !ok {
			return
		}
		compareFast(t, c, "fuzz", doc)
	})
}

// TestFastPathConcurrent converts the corpus from several goroutines
// through one Converter, whose caches they share, and checks every result
// against a Converter of its own (run it with -race).
func TestFastPathConcurrent(t *testing.T) {
	docs := corpus(t)
	var names []string
	for name := range docs {
		names = append(names, name)
	}
	slices.Sort(names)
	want := map[string]string{}
	for _, name := range names {
		if out, err := testConverter(t).Canonical(context.Background(), docs[name], rdfc.Options{}); err == nil {
			want[name] = string(out)
		}
	}
	shared := testConverter(t)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range names {
				name := names[(i*7+g*31)%len(names)]
				out, err := shared.Canonical(context.Background(), docs[name], rdfc.Options{})
				if w, ok := want[name]; ok != (err == nil) || string(out) != w {
					t.Errorf("%s: shared Converter gives %v, %v", name, len(out), err)
					return
				}
			}
		})
	}
	wg.Wait()
}

// TestFastPathRefuses lists what the fast path leaves to the general path,
// each in a document that is otherwise a credential it takes.
func TestFastPathRefuses(t *testing.T) {
	c := testConverter(t)
	base := `{"@context":["https://www.w3.org/ns/credentials/v2",%s"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],"id":"urn:uuid:1","type":["VerifiableCredential","OpenBadgeCredential"],"issuer":{"id":"did:example:1","type":"Profile"},"validFrom":"2024-01-01T00:00:00Z","credentialSubject":{%s"type":"AchievementSubject","achievement":{"id":"urn:a","type":"Achievement","name":"n","description":"d","criteria":{"narrative":"c"}}}}`
	doc := func(ctx, subject string) map[string]any {
		v, err := decodeJSON([]byte(fmt.Sprintf(base, ctx, subject)))
		if err != nil {
			t.Fatal(err)
		}
		return v.(map[string]any)
	}
	if _, ok := c.fastToRDF(nil, doc("", "")); !ok {
		t.Fatal("the fast path does not take the base document")
	}
	for _, tc := range []struct{ name, ctx, subject string }{
		{"@propagate at the top", `{"@propagate":true},`, ""},
		{"@import", `{"@import":"https://www.w3.org/ns/credentials/examples/v2"},`, ""},
		{"@base", `{"@base":"https://example.com/"},`, ""},
		{"default language", `{"@language":"en"},`, ""},
		{"embedded @propagate", "", `"@context":{"@propagate":false},`},
		{"blank node id", "", `"id":"_:b0",`},
		{"value object", "", `"name":{"@value":"n"},`},
		{"null", "", `"name":null,`},
		{"@reverse", "", `"@reverse":{"https://example.com/p":{"id":"urn:x"}},`},
		{"nested array", "", `"name":[["n"]],`},
		{"@included", "", `"@included":[],`},
		{"empty member name", "", `"":"x",`},
		{"relative id", "", `"id":"relative",`},
	} {
		d := doc(tc.ctx, tc.subject)
		if _, ok := c.fastToRDF(nil, d); ok {
			t.Errorf("%s: the fast path takes it", tc.name)
		}
		compareFast(t, c, tc.name, d)
	}
}

// FuzzAbsoluteIRI holds absoluteIRI to what it stands for: url.Parse
// succeeds and the URL has a scheme.
func FuzzAbsoluteIRI(f *testing.F) {
	for _, s := range []string{"urn:uuid:1", "did:key:z6Mk#z6Mk", "a:", ":x", "1a:b", "a b:c", "x:%zz", "x:y#%zz", "x:y#a%20b",
		"http://h/p", "x:/p", "mailto:a@b", "x:\x7f", "x:\x00", "é:x", "x:y?q#f", "a+b-c.d:e"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := url.Parse(s)
		if want := err == nil && u.IsAbs(); absoluteIRI(s) != want {
			t.Fatalf("absoluteIRI(%q) = %v, url.Parse says %v", s, !want, want)
		}
	})
}

// TestFastPathInlineContexts: a context written in the document, at the
// top or embedded, with a number in it ("@version": 1.1, which json-gold
// compares as a float64), takes the fast path and agrees with the general
// one.
func TestFastPathInlineContexts(t *testing.T) {
	c := testConverter(t)
	for _, s := range []string{
		`{"@context":["https://www.w3.org/ns/credentials/v2",{"@version":1.1}],"id":"urn:x","type":["VerifiableCredential"],"issuer":"did:example:1","credentialSubject":{"id":"did:example:2"}}`,
		`{"@context":["https://www.w3.org/ns/credentials/v2"],"id":"urn:x","type":["VerifiableCredential"],"issuer":"did:example:1","credentialSubject":{"@context":{"@version":1.1,"nick":"https://example.com/nick"},"id":"did:example:2","nick":"n"}}`,
	} {
		v, err := decodeJSON([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		if !compareFast(t, c, s, v.(map[string]any)) {
			t.Errorf("the fast path does not take %s", s)
		}
	}
}
