package jsonld

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/piprate/json-gold/ld"

	"github.com/go-openbadges/openbadges/internal/cputime"
	"github.com/go-openbadges/openbadges/internal/jsonobj"
	"github.com/go-openbadges/openbadges/internal/rdfc"
	"github.com/go-openbadges/openbadges/schema"
)

// inlineCredential returns the typical credential of the proof benchmarks
// with an inline context of at least size bytes after its context URLs:
// terms "t0": "https://example.com/t0", ... that the document does not
// use, what an attacker adds to make a credential costly to read.
func inlineCredential(tb testing.TB, size int) []byte {
	doc, _, _ := inlineCredentialSized(tb, size)
	return doc
}

// inlineCredentialSized is inlineCredential, with the size of the inline
// context in bytes and terms.
func inlineCredentialSized(tb testing.TB, size int) (doc []byte, bytesLen, terms int) {
	tb.Helper()
	raw, err := os.ReadFile("../../proof/dataintegrity/testdata/bench/typical.json")
	if err != nil {
		tb.Fatal(err)
	}
	var ctx bytes.Buffer
	ctx.WriteString(`{`)
	for ; ctx.Len() < size; terms++ {
		if terms > 0 {
			ctx.WriteByte(',')
		}
		n := strconv.Itoa(terms)
		ctx.WriteString(`"t` + n + `":"https://example.com/t` + n + `"`)
	}
	ctx.WriteString(`}`)
	last := []byte(`"https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"`)
	out := bytes.Replace(raw, last, append(append(append([]byte{}, last...), ','), ctx.Bytes()...), 1)
	if bytes.Equal(out, raw) {
		tb.Fatal("typical.json has no extensions context to put the inline one after")
	}
	return out, ctx.Len(), terms
}

// converterWith returns a Converter whose Loader has opts.
func converterWith(tb testing.TB, opts schema.LoaderOptions) *Converter {
	tb.Helper()
	l, err := schema.NewLoader(opts)
	if err != nil {
		tb.Fatal(err)
	}
	return &Converter{Loader: l}
}

// unlimited are loader options without limits on inline contexts.
var unlimited = schema.LoaderOptions{MaxInlineContextBytes: -1, MaxInlineContextTerms: -1}

// BenchmarkInlineContext reads credentials with an inline context of
// 100 KiB, 1 MiB and 10 MiB that the document does not use, with the
// limits on inline contexts lifted, as a verifier's safe mode check
// (check), the canonical form of a Data Integrity proof (canonical) and the
// general path, which takes what the fast path does not (general, made to
// take it with a blank node identifier); and how long the default limits
// take to refuse the largest (refused). Each operation parses the
// document, with a new Converter sharing the Loader: what a verifier pays
// for a context it has not met, which is what an attacker sends (one
// character changed is enough); the contexts the credential names by URL
// are processed each time too, a cost that does not grow with the size.
// The cost must grow linearly with the size: ns/op and B/op ten times
// larger at each step.
func BenchmarkInlineContext(b *testing.B) {
	ctx := context.Background()
	sizes := []int{100 << 10, 1 << 20, 10 << 20}
	l := converterWith(b, unlimited).Loader
	check := func(c *Converter, raw []byte) error {
		var t jsonobj.Tree
		if err := jsonobj.ParseTree(raw, len(raw), 64, &t); err != nil {
			return err
		}
		return c.CheckTree(ctx, &t, 0, "")
	}
	for _, size := range sizes {
		raw := inlineCredential(b, size)
		name := fmt.Sprintf("%dKiB", size>>10)
		b.Run("check/"+name, func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			loopCPU(b, func() error { return check(&Converter{Loader: l}, raw) })
		})
		b.Run("canonical/"+name, func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			loopCPU(b, func() error {
				var t jsonobj.Tree
				if err := jsonobj.ParseTree(raw, len(raw), 64, &t); err != nil {
					return err
				}
				return (&Converter{Loader: l}).CanonicalTreeTo(ctx, io.Discard, &t, 0, "", rdfc.Options{})
			})
		})
		blank := bytes.Replace(raw, []byte(`"id": "https://example.edu/achievements/ml-201"`), []byte(`"id": "_:b0"`), 1)
		b.Run("general/"+name, func(b *testing.B) {
			b.SetBytes(int64(len(blank)))
			loopCPU(b, func() error { return check(&Converter{Loader: l}, blank) })
		})
	}
	raw := inlineCredential(b, sizes[len(sizes)-1])
	limited := testConverter(b)
	b.Run(fmt.Sprintf("refused/%dKiB", sizes[len(sizes)-1]>>10), func(b *testing.B) {
		b.SetBytes(int64(len(raw)))
		loopCPU(b, func() error {
			if err := check(limited, raw); !errors.Is(err, schema.ErrInlineContextLimit) {
				return fmt.Errorf("got %v, want the limit", err)
			}
			return nil
		})
	})
}

// loopCPU runs op b.N times, failing b if it fails, and reports the
// process's CPU time per operation as cpu-ns/op where the platform tells
// it: on a machine shared with other work, it varies less than the time.
func loopCPU(b *testing.B, op func() error) {
	b.ReportAllocs()
	start, ok := cputime.Process()
	for b.Loop() {
		if err := op(); err != nil {
			b.Fatal(err)
		}
	}
	if end, _ := cputime.Process(); ok {
		b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
	}
}

// TestInlineContextLimit checks that inline contexts over the Loader's
// limits are refused with an *schema.InlineContextError naming the limit,
// by every way into a Converter, and that contexts named by URL, and
// inline contexts within the limits, are not.
func TestInlineContextLimit(t *testing.T) {
	terms := func(n int) string {
		var parts []string
		for i := range n {
			parts = append(parts, fmt.Sprintf(`"t%d":"urn:t:%d"`, i, i))
		}
		return "{" + strings.Join(parts, ",") + "}"
	}
	credential := func(ctxs, subject string) string {
		return `{"@context":["https://www.w3.org/ns/credentials/v2"` + ctxs + `],"id":"urn:uuid:1","type":["VerifiableCredential"],"issuer":"did:example:1","validFrom":"2024-01-01T00:00:00Z","credentialSubject":{` + subject + `"id":"did:example:2"}}`
	}
	bigDoc, bigBytes, bigTerms := inlineCredentialSized(t, 10<<20)
	big := string(bigDoc)
	five := len(terms(5))
	for _, tc := range []struct {
		name string
		opts schema.LoaderOptions
		doc  string
		// want is the limit passed, "" if none.
		want      string
		max, size int
	}{
		{name: "URLs only", doc: credential(`,"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"`, "")},
		{name: "small inline", doc: credential(`,{"nick":"https://example.com/nick"}`, `"nick":"n",`)},
		{name: "10 MiB", doc: big, want: "MaxInlineContextBytes", max: schema.DefaultMaxInlineContextBytes, size: bigBytes},
		{name: "1 MiB, lifted", opts: unlimited, doc: string(inlineCredential(t, 1<<20))},
		{name: "10 MiB, bytes lifted", opts: schema.LoaderOptions{MaxInlineContextBytes: -1}, doc: big,
			want: "MaxInlineContextTerms", max: schema.DefaultMaxInlineContextTerms, size: bigTerms},
		{name: "1000 terms", doc: credential(","+terms(1000), "")},
		{name: "1001 terms", doc: credential(","+terms(1001), ""), want: "MaxInlineContextTerms", max: 1000, size: 1001},
		{name: "1001 terms, raised", opts: schema.LoaderOptions{MaxInlineContextTerms: 1001}, doc: credential(","+terms(1001), "")},
		{name: "bytes set", opts: schema.LoaderOptions{MaxInlineContextBytes: five - 1}, doc: credential(","+terms(5), ""), want: "MaxInlineContextBytes", max: five - 1, size: five},
		{name: "bytes set, within", opts: schema.LoaderOptions{MaxInlineContextBytes: five}, doc: credential(","+terms(5), "")},
		{name: "embedded ones add up", opts: schema.LoaderOptions{MaxInlineContextTerms: 7},
			doc:  credential(`,{"nick":"https://example.com/nick"}`, `"@context":[`+terms(5)+`,{"x":{"@id":"urn:x","@context":{"y":"urn:y"}}}],"nick":"n",`),
			want: "MaxInlineContextTerms", max: 7, size: 8},
		{name: "embedded URL", opts: schema.LoaderOptions{MaxInlineContextBytes: 1},
			doc: credential("", `"@context":"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := converterWith(t, tc.opts)
			// A large document is read as a verifier reads it, from a
			// tree; a small one every way.
			var doc map[string]any
			if len(tc.doc) < 4<<20 {
				v, err := decodeJSON([]byte(tc.doc))
				if err != nil {
					t.Fatal(err)
				}
				doc = v.(map[string]any)
			}
			var tree jsonobj.Tree
			if err := jsonobj.ParseTree([]byte(tc.doc), len(tc.doc), 64, &tree); err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			for _, way := range []struct {
				name string
				run  func() error
			}{
				{"CheckTree", func() error { return c.CheckTree(ctx, &tree, 0, "") }},
				{"Check", func() error { return c.Check(ctx, doc) }},
				{"Canonical", func() error { _, err := c.Canonical(ctx, doc, rdfc.Options{}); return err }},
				{"CanonicalTreeTo", func() error { return c.CanonicalTreeTo(ctx, io.Discard, &tree, 0, "", rdfc.Options{}) }},
				{"ToRDF", func() error { _, err := c.ToRDF(ctx, doc); return err }},
			} {
				if doc == nil && !strings.Contains(way.name, "Tree") {
					continue
				}
				err := way.run()
				var ice *schema.InlineContextError
				if tc.want == "" {
					if err != nil {
						t.Errorf("%s: %v", way.name, err)
					}
					continue
				}
				if !errors.As(err, &ice) || !errors.Is(err, schema.ErrInlineContextLimit) {
					t.Errorf("%s: got %v, want an *schema.InlineContextError", way.name, err)
					continue
				}
				want := &schema.InlineContextError{Limit: tc.want, Max: tc.max, Size: tc.size}
				if diff := cmp.Diff(want, ice); diff != "" {
					t.Errorf("%s: (-want +got):\n%s", way.name, diff)
				}
				if msg := err.Error(); !strings.Contains(msg, "schema.LoaderOptions."+tc.want) {
					t.Errorf("%s: the message does not say how to raise the limit: %s", way.name, msg)
				}
			}
		})
	}
}

// TestInlineContextSkip: the member a tree conversion skips (the proof) is
// not counted.
func TestInlineContextSkip(t *testing.T) {
	c := converterWith(t, schema.LoaderOptions{MaxInlineContextTerms: 1})
	doc := `{"@context":["https://www.w3.org/ns/credentials/v2"],"id":"urn:uuid:1","type":["VerifiableCredential"],"issuer":"did:example:1","credentialSubject":{"id":"did:example:2"},"proof":{"@context":{"a":"urn:a","b":"urn:b"}}}`
	var tree jsonobj.Tree
	if err := jsonobj.ParseTree([]byte(doc), len(doc), 64, &tree); err != nil {
		t.Fatal(err)
	}
	if err := c.CanonicalTreeTo(context.Background(), io.Discard, &tree, 0, "proof", rdfc.Options{}); err != nil {
		t.Errorf("with the proof skipped: %v", err)
	}
	if err := c.CheckTree(context.Background(), &tree, 0, ""); !errors.Is(err, schema.ErrInlineContextLimit) {
		t.Errorf("with the proof: %v, want the limit", err)
	}
}

// TestInlineUsage checks the measure of inline contexts on every document
// of the corpus: the same from a tree and from a map, and, for a context
// without characters JSON escapes, its length as compact JSON.
func TestInlineUsage(t *testing.T) {
	docs := corpus(t)
	for i, s := range []string{
		`{"@context":{"a":"urn:a"},"a":"x"}`,
		`{"@context":["https://www.w3.org/ns/credentials/v2",{},[],{"@version":1.1,"x":{"@id":"urn:x","@container":["@set"],"@protected":true,"@context":[null,{"y":false}]}}],"b":{"@context":"https://www.w3.org/ns/credentials/v2","c":{"@context":[{"é":"urn:é","n":-1.5e3}]}}}`,
		`{"@context":[{"t":"urn:t"},"https://example.com/c"],"list":[{"@context":{"u":"urn:u"}},{"@context":{"v":{"@context":{"w":"urn:w"}}}}]}`,
	} {
		v, err := decodeJSON([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		docs[fmt.Sprintf("synthetic %d", i)] = v.(map[string]any)
	}
	measured := 0
	for name, doc := range docs {
		var tree jsonobj.Tree
		if err := tree.SetValue(doc); err != nil {
			t.Fatal(err)
		}
		fromTree := inlineInTree(&tree, 0, "")
		var fromMap inlineUsage
		fromMap.inValue(doc)
		if fromTree != fromMap {
			t.Errorf("%s: %+v from the tree, %+v from the map", name, fromTree, fromMap)
		}
		want := 0
		var walk func(v any)
		walk = func(v any) {
			switch x := v.(type) {
			case map[string]any:
				for k, e := range x {
					if k != "@context" {
						walk(e)
						continue
					}
					for _, el := range ld.Arrayify(e) {
						if _, isURL := el.(string); !isURL {
							var buf bytes.Buffer
							enc := json.NewEncoder(&buf)
							enc.SetEscapeHTML(false)
							if err := enc.Encode(el); err != nil {
								t.Fatal(err)
							}
							if bytes.IndexByte(buf.Bytes(), '\\') >= 0 {
								want = -1 << 30
							}
							want += buf.Len() - 1
						}
					}
				}
			case []any:
				for _, e := range x {
					walk(e)
				}
			}
		}
		walk(doc)
		if want < 0 {
			continue
		}
		if want > 0 {
			measured++
		}
		if fromTree.bytes != want {
			t.Errorf("%s: %d bytes of inline contexts, want %d", name, fromTree.bytes, want)
		}
	}
	if measured < 4 {
		t.Errorf("only %d documents of the corpus have inline contexts", measured)
	}
}

// TestDerivedContextsAgree holds makeDerived, which has json-gold process
// a scoped context in a context holding only the definitions it can refer
// to, to json-gold's own processing of it in the whole active context: for
// every scoped context of every context the Loader serves, of inline
// contexts built to be awkward (prefixes redefined, protected terms, nulls,
// keyword-like IDs, URLs, nested contexts) and of a large inline context,
// applied to the root and to each context derived from it, both must
// define the same terms the same way, or makeDerived must give up.
func TestDerivedContextsAgree(t *testing.T) {
	c := converterWith(t, unlimited)
	l := c.Loader.(*schema.Loader)
	var roots []any
	for _, u := range l.URLs() {
		roots = append(roots, u)
	}
	roots = append(roots, []any{"https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"})
	awkward := `{
		"@vocab": "https://example.com/vocab#",
		"ex": "https://example.com/ns#",
		"sec": "https://w3id.org/security#",
		"p": {"@id": "ex:p", "@protected": true},
		"x": {"@id": "ex:x", "@type": "@id"},
		"T": {"@id": "ex:T", "@context": {
			"ex": "https://other.example/",
			"q": "ex:q",
			"r": {"@id": "ex:r", "@type": "ex:Type"},
			"s": null,
			"u": {"@id": "@ignoreme"},
			"x": "sec:x",
			"ex:y": {"@type": "@id"},
			"@vocab": "ex:"
		}},
		"P": {"@id": "ex:P", "@context": {"p": {"@id": "ex:other"}}},
		"Q": {"@id": "ex:Q", "@context": {"p": {"@id": "ex:p", "@protected": true}, "z": "p:z"}},
		"U": {"@id": "ex:U", "@context": ["https://w3id.org/security/data-integrity/v2", {"z": "sec:z"}]},
		"V": {"@id": "ex:V", "@context": {"@base": "https://b.example/"}},
		"W": {"@id": "ex:W", "@context": [null, {"w": "ex:w"}]},
		"N": {"@id": "ex:N", "@context": {"@context": {"n2": "ex:n2", "N": {"@id": "ex:N", "@context": {"n3": "ex:n3"}}}}},
		"L": {"@id": "ex:L", "@context": {"@language": "en", "@version": 1.1, "t": {"@id": "ex:t", "@container": "@list"}}},
		"R": {"@id": "ex:R", "@context": {"rev": {"@reverse": "ex:rel"}, "bad": {"@id": 5}}},
		"I": {"@id": "ex:I", "@context": {"@import": "https://w3id.org/security/data-integrity/v2"}}
	}`
	for _, s := range []string{awkward} {
		v, err := decodeJSON([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		roots = append(roots, []any{"https://www.w3.org/ns/credentials/v2", copyJSON(v, true)})
	}
	var large jsonobj.Tree
	raw := inlineCredential(t, maxCachedInline+1)
	if err := jsonobj.ParseTree(raw, len(raw), 64, &large); err != nil {
		t.Fatal(err)
	}
	roots = append(roots, contextValue(&large, large.Child(0, "@context")))

	compared, gaveUp := 0, 0
	var check func(name string, fc *fastContext, full *ld.Context, depth int)
	check = func(name string, fc *fastContext, full *ld.Context, depth int) {
		if diff := viewDiff(fc, full); diff != "" {
			t.Errorf("%s: the derived context differs from json-gold's (-json-gold +derived):\n%s", name, diff)
			return
		}
		compared++
		if depth == 2 {
			return
		}
		for _, term := range sortedTerms(full.TermDefinitions) {
			td := full.TermDefinitions[term]
			if td == nil || !td.HasContext || td.Context == nil {
				continue
			}
			for _, propagate := range []bool{true, false} {
				own := fc.termDef(term) // the same definition as td, made by the other way
				want, err := full.Parse(td.Context)
				got := fc.derive(own, propagate)
				sub := fmt.Sprintf("%s > %s (propagate %v)", name, term, propagate)
				switch {
				case got == nil:
					gaveUp++
				case err != nil:
					t.Errorf("%s: json-gold fails (%v), the derived context does not", sub, err)
				default:
					check(sub, got, want, depth+1)
				}
			}
		}
	}
	for i, root := range roots {
		fc, err := c.fastRoot(root)
		if err != nil {
			// A context that names one the Loader does not serve.
			t.Logf("root %d (%v): %v", i, root, err)
			continue
		}
		check(fmt.Sprintf("root %d", i), fc, fc.ld, 0)
	}
	t.Logf("%d contexts compared; makeDerived gave up on %d", compared, gaveUp)
	if compared < 100 {
		t.Errorf("only %d contexts compared", compared)
	}
}

// viewDiff compares the term definitions and values fc reads with those
// of json-gold's context full.
func viewDiff(fc *fastContext, full *ld.Context) string {
	got := map[string]*ld.TermDefinition{}
	for k := range fc.base {
		if td, ok := fc.term(k); ok {
			got[k] = td
		}
	}
	for k := range fc.terms {
		if td, ok := fc.term(k); ok {
			got[k] = td
		}
	}
	var diffs []string
	for _, k := range sortedTerms(full.TermDefinitions) {
		want := full.TermDefinitions[k]
		g, ok := got[k]
		switch {
		case !ok:
			diffs = append(diffs, fmt.Sprintf("- %s: %+v", k, want))
		case !reflect.DeepEqual(g, want):
			diffs = append(diffs, fmt.Sprintf("- %s: %+v\n+ %s: %+v", k, want, k, g))
		}
	}
	for _, k := range sortedTerms(got) {
		if _, ok := full.TermDefinitions[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("+ %s: %+v", k, got[k]))
		}
	}
	if !reflect.DeepEqual(*fc.values, *full.Values) {
		diffs = append(diffs, fmt.Sprintf("- values %+v\n+ values %+v", *full.Values, *fc.values))
	}
	return strings.Join(diffs, "\n")
}

func sortedTerms(m map[string]*ld.TermDefinition) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// TestPrunedRootAgrees holds the general path's pruned top-level context
// (prunedRoot) to the whole one: on every document of the corpus, on
// documents made from them by random changes, and on a document using an
// awkward inline context, both must give the same RDF, or both an error.
func TestPrunedRootAgrees(t *testing.T) {
	pruned := testConverter(t)
	whole := testConverter(t)
	whole.wholeRoot = true
	docs := corpus(t)
	awkward := `{"@context":["https://www.w3.org/ns/credentials/v2",{
		"@vocab": "https://example.com/vocab#",
		"ex": "https://example.com/ns#",
		"p": {"@id": "ex:p", "@protected": true},
		"x": {"@id": "ex:x", "@type": "@id"},
		"lst": {"@id": "ex:lst", "@container": "@list"},
		"idx": {"@id": "ex:idx", "@container": "@index", "@index": "ex:key"},
		"T": {"@id": "ex:T", "@context": {"ex": "https://other.example/", "q": "ex:q", "s": null, "x": "ex:x2", "ex:y": {"@type": "@id"}}},
		"U": {"@id": "ex:U", "@context": ["https://w3id.org/security/data-integrity/v2", {"z": "sec:z", "sec": "https://w3id.org/security#"}]},
		"N": {"@id": "ex:N", "@context": {"@context": {"n2": "ex:n2"}}}
	}],
	"id": "urn:doc", "type": ["VerifiableCredential", "T"], "issuer": "did:example:1",
	"credentialSubject": {"id": "did:example:2", "type": "U", "z": "zz", "ex:y": "urn:y", "cryptosuite": "c"},
	"q": "qq", "x": "urn:x", "p": "pp", "lst": [1, 2], "idx": {"a": {"id": "urn:a"}}, "ex:free": "f", "unknown": "u",
	"nested": {"type": "N", "n2": "n", "@context": {"local": "ex:local"}, "local": "l"}}`
	v, err := decodeJSON([]byte(awkward))
	if err != nil {
		t.Fatal(err)
	}
	docs["awkward"] = v.(map[string]any)
	names := slices.Sorted(maps.Keys(docs))
	converted := map[string]bool{}
	compare := func(name string, doc map[string]any) {
		got, gotErr := pruned.general(context.Background(), deepCopyAll(doc).(map[string]any))
		want, wantErr := whole.general(context.Background(), deepCopyAll(doc).(map[string]any))
		// Which of two errors json-gold meets first depends on the order
		// of a map's members, which Go does not fix.
		if (gotErr == nil) != (wantErr == nil) {
			t.Errorf("%s: pruned: %v; whole: %v", name, gotErr, wantErr)
			return
		}
		if gotErr != nil {
			if name == "awkward" {
				t.Log(gotErr)
			}
			return
		}
		converted[name] = true
		g, _ := canonical(got)
		w, _ := canonical(want)
		if diff := cmp.Diff(w, g); diff != "" {
			t.Errorf("%s: (-whole +pruned):\n%s", name, diff)
		}
	}
	for _, name := range names {
		compare(name, docs[name])
	}
	if !converted["awkward"] {
		t.Error("the awkward document does not convert")
	}
	r := rand.New(rand.NewPCG(3, 4))
	n := 2000
	if testing.Short() {
		n = 200
	}
	for i := range n {
		name := names[r.IntN(len(names))]
		compare(fmt.Sprintf("%s (mutation %d)", name, i), mutate(r, docs[name], docs[names[r.IntN(len(names))]]))
	}
	t.Logf("%d of %d documents converted", len(converted), len(names)+n)
}
