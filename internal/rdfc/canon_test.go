package rdfc

import (
	"context"
	"crypto"
	"errors"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestCanonicalizeCancelled(t *testing.T) {
	poison := parseTestdata(t, "rdfc10/test074-in.nq")
	unlimited := Options{MaxWork: -1}

	t.Run("before start", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := Canonicalize(ctx, parseTestdata(t, "rdfc10/test001-in.nq"), Options{})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v, want context.Canceled", err)
		}
	})
	t.Run("while running", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(context.Background())
		timer := time.AfterFunc(20*time.Millisecond, cancel)
		defer timer.Stop()
		start := time.Now()
		_, err := Canonicalize(ctx, poison, unlimited)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v, want context.Canceled", err)
		}
		if elapsed := time.Since(start); elapsed > 10*time.Second {
			t.Errorf("cancellation took %v", elapsed)
		}
	})
	t.Run("deadline", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		_, err := Canonicalize(ctx, poison, unlimited)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("got %v, want context.DeadlineExceeded", err)
		}
	})
}

func TestCanonicalizeOptions(t *testing.T) {
	evil := parseTestdata(t, "rdfc10/test044-in.nq")
	ctx := context.Background()

	if _, err := Canonicalize(ctx, evil, Options{Hash: crypto.SHA512}); err == nil || !strings.Contains(err.Error(), "unsupported hash algorithm SHA-512") {
		t.Errorf("SHA-512: got %v, want unsupported hash algorithm", err)
	}
	if _, err := Canonicalize(ctx, evil, Options{MaxWork: 100}); !errors.Is(err, ErrWorkLimit) {
		t.Errorf("MaxWork 100: got %v, want ErrWorkLimit", err)
	}
	want, err := Canonicalize(ctx, evil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, opts := range []Options{{MaxWork: -1}, {Hash: crypto.SHA256, MaxWork: 3348}} {
		got, err := Canonicalize(ctx, evil, opts)
		if err != nil {
			t.Fatalf("%+v: %v", opts, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%+v: result differs from the default (-default +got):\n%s", opts, diff)
		}
	}
	if _, err := Canonicalize(ctx, evil, Options{MaxWork: 3347}); !errors.Is(err, ErrWorkLimit) {
		t.Errorf("MaxWork 3347: got %v, want ErrWorkLimit", err)
	}
}

// TestCanonicalizeNormalizes checks that equal RDF terms written differently
// count as one quad and come out normalized, and that the input is left
// alone.
func TestCanonicalizeNormalizes(t *testing.T) {
	s, p := iri("http://a/s"), iri("http://a/p")
	in := []Quad{
		{s, p, Term{Kind: Literal, Value: "x", Datatype: xsdString, Language: ""}, Term{}},
		{s, p, lit("x"), Term{Kind: DefaultGraph, Value: "ignored"}},
		{s, p, Term{Kind: Literal, Value: "y", Language: "en"}, Term{}},
		{s, p, Term{Kind: Literal, Value: "y", Language: "en", Datatype: rdfLangStrng}, Term{}},
		{Term{Kind: IRI, Value: "http://a/s", Language: "ignored"}, p, blank("b"), Term{}},
		{s, p, blank("b"), Term{}},
	}
	orig := slices.Clone(in)
	res, err := Canonicalize(context.Background(), in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := &Result{
		Quads: []Quad{
			{s, p, lit("x"), Term{}},
			{s, p, Term{Kind: Literal, Value: "y", Language: "en", Datatype: rdfLangStrng}, Term{}},
			{s, p, blank("c14n0"), Term{}},
		},
		Issued: map[string]string{"b": "c14n0"},
	}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("result mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(orig, in); diff != "" {
		t.Errorf("input modified (-before +after):\n%s", diff)
	}
	const wantNQ = "<http://a/s> <http://a/p> \"x\" .\n<http://a/s> <http://a/p> \"y\"@en .\n<http://a/s> <http://a/p> _:c14n0 .\n"
	if diff := cmp.Diff(wantNQ, string(res.NQuads())); diff != "" {
		t.Errorf("NQuads mismatch (-want +got):\n%s", diff)
	}
}

func TestCanonicalizeInvalid(t *testing.T) {
	s, p, o := iri("http://a/s"), iri("http://a/p"), iri("http://a/o")
	tests := []struct {
		q    Quad
		want string
	}{
		{Quad{lit("s"), p, o, Term{}}, "subject: a literal is not allowed here"},
		{Quad{Term{}, p, o, Term{}}, "subject: a default graph is not allowed here"},
		{Quad{s, blank("p"), o, Term{}}, "predicate: a blank node is not allowed here"},
		{Quad{s, p, Term{}, Term{}}, "object: a default graph is not allowed here"},
		{Quad{s, p, o, lit("g")}, "graph: a literal is not allowed here"},
		{Quad{s, p, Term{Kind: 7, Value: "x"}, Term{}}, "object: invalid term kind 7"},
		{Quad{iri(""), p, o, Term{}}, "subject: empty IRI"},
		{Quad{s, iri("http://a/p> <http://a/q"), o, Term{}}, `predicate: IRI "http://a/p> <http://a/q" contains the character '>', which N-Quads does not allow`},
		{Quad{s, p, iri("http://a/\n"), Term{}}, `object: IRI "http://a/\n" contains the character '\n', which N-Quads does not allow`},
		{Quad{s, p, iri("http://a/\xff"), Term{}}, `object: IRI "http://a/\xff" is not valid UTF-8`},
		{Quad{blank(""), p, o, Term{}}, "subject: empty blank node label"},
		{Quad{s, p, lit("\xc0"), Term{}}, "object: literal is not valid UTF-8"},
		{Quad{s, p, Term{Kind: Literal, Value: "x", Language: "en us"}, Term{}}, `object: invalid language tag "en us"`},
		{Quad{s, p, Term{Kind: Literal, Value: "x", Language: "en", Datatype: "http://a/d"}, Term{}}, `object: literal with language tag "en" has datatype <http://a/d>, not rdf:langString`},
		{Quad{s, p, Term{Kind: Literal, Value: "x", Datatype: rdfLangStrng}, Term{}}, "object: rdf:langString literal without a language tag"},
		{Quad{s, p, Term{Kind: Literal, Value: "x", Datatype: "http://a/d d"}, Term{}}, `object: datatype: IRI "http://a/d d" contains the character ' ', which N-Quads does not allow`},
	}
	for _, tt := range tests {
		in := []Quad{{s, p, o, Term{}}, tt.q}
		_, err := Canonicalize(context.Background(), in, Options{})
		if want := "rdfc: quad 1: " + tt.want; err == nil || err.Error() != want {
			t.Errorf("Canonicalize(%+v):\n got %v\nwant %s", tt.q, err, want)
		}
	}
}

// relabel returns quads with every blank node renamed (in an order unrelated
// to the original labels), the quads shuffled and some of them repeated.
func relabel(quads []Quad, rng *rand.Rand) ([]Quad, map[string]string) {
	names := map[string]string{}
	var labels []string
	for _, q := range quads {
		for _, t := range []Term{q.Subject, q.Object, q.Graph} {
			if t.Kind == BlankNode {
				if _, ok := names[t.Value]; !ok {
					names[t.Value] = ""
					labels = append(labels, t.Value)
				}
			}
		}
	}
	for i, j := range rng.Perm(len(labels)) {
		names[labels[i]] = "n" + strconv.Itoa(j)
	}
	rename := func(t Term) Term {
		if t.Kind == BlankNode {
			t.Value = names[t.Value]
		}
		return t
	}
	out := make([]Quad, 0, len(quads)+2)
	for _, q := range quads {
		out = append(out, Quad{rename(q.Subject), q.Predicate, rename(q.Object), rename(q.Graph)})
	}
	if len(out) > 0 {
		out = append(out, out[rng.IntN(len(out))])
	}
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out, names
}

// TestCanonicalizeRelabelled checks, on every suite input, that renaming the
// blank nodes, shuffling the quads and repeating one gives the same output.
func TestCanonicalizeRelabelled(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, e := range loadManifest(t) {
		if e.Type != evalTest {
			continue
		}
		in := parseTestdata(t, e.Action)
		opts := e.options(t)
		want, err := Canonicalize(context.Background(), in, opts)
		if err != nil {
			t.Fatalf("%s: %v", e.ID, err)
		}
		for range 5 {
			in2, names := relabel(in, rng)
			got, err := Canonicalize(context.Background(), in2, opts)
			if err != nil {
				t.Fatalf("%s relabelled: %v", e.ID, err)
			}
			if diff := cmp.Diff(string(want.NQuads()), string(got.NQuads())); diff != "" {
				t.Fatalf("%s relabelled %v: output differs (-original +relabelled):\n%s", e.ID, names, diff)
			}
			checkIssued(t, got, in2)
		}
	}
}

// checkIssued checks that res.Issued maps the blank nodes of in one to one
// onto c14n0, c14n1, ...
func checkIssued(tb testing.TB, res *Result, in []Quad) {
	tb.Helper()
	labels := map[string]bool{}
	for _, q := range in {
		for _, t := range []Term{q.Subject, q.Object, q.Graph} {
			if t.Kind == BlankNode {
				labels[t.Value] = true
			}
		}
	}
	canon := map[string]bool{}
	for k, v := range res.Issued {
		if !labels[k] {
			tb.Errorf("Issued has %q, not a blank node of the input", k)
		}
		canon[v] = true
	}
	if len(res.Issued) != len(labels) {
		tb.Errorf("Issued has %d entries for %d blank nodes", len(res.Issued), len(labels))
	}
	for i := range len(labels) {
		if !canon["c14n"+strconv.Itoa(i)] {
			tb.Errorf("no blank node was issued c14n%d", i)
		}
	}
}

// FuzzCanonicalize checks on arbitrary parseable input that the canonical
// form does not depend on blank node labels or quad order, that it parses
// back to Result.Quads, and that nothing panics.
func FuzzCanonicalize(f *testing.F) {
	for _, e := range loadManifest(f) {
		if e.Type == evalTest {
			f.Add(readTestdata(f, e.Action))
		}
	}
	f.Add([]byte("_:a <http://a/p> _:b _:g .\n_:b <http://a/p> _:a _:g .\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		quads, err := ParseNQuads(data)
		if err != nil {
			return
		}
		// A small limit keeps every input fast; inputs beyond it are skipped.
		opts := Options{MaxWork: 500}
		res, err := Canonicalize(context.Background(), quads, opts)
		if errors.Is(err, ErrWorkLimit) {
			return
		}
		if err != nil {
			t.Fatalf("parsed input does not canonicalize: %v", err)
		}
		checkIssued(t, res, quads)
		nq := res.NQuads()
		back, err := ParseNQuads(nq)
		if err != nil {
			t.Fatalf("canonical output does not parse: %v\n%s", err, nq)
		}
		if diff := cmp.Diff(res.Quads, back, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("round trip mismatch (-canonical +reparsed):\n%s", diff)
		}

		in2, _ := relabel(quads, rand.New(rand.NewPCG(uint64(len(data)), 7)))
		res2, err := Canonicalize(context.Background(), in2, opts)
		if errors.Is(err, ErrWorkLimit) {
			return
		}
		if err != nil {
			t.Fatalf("relabelled input does not canonicalize: %v", err)
		}
		if diff := cmp.Diff(string(nq), string(res2.NQuads())); diff != "" {
			t.Fatalf("relabelled input gives another output (-original +relabelled):\n%s", diff)
		}
	})
}

// credentialNQuads is an Open Badges 3.0 credential of 40 quads as
// JSON-LD expansion gives it, with blank nodes for the embedded objects.
const credentialNQuads = `<urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential> .
<urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://www.w3.org/2018/credentials#VerifiableCredential> .
<urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002> <https://schema.org/name> "Teamwork Badge" .
<urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002> <https://www.w3.org/2018/credentials#credentialSubject> _:b0 .
<urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002> <https://www.w3.org/2018/credentials#issuer> <https://example.edu/issuers/565049> .
<urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002> <https://www.w3.org/2018/credentials#validFrom> "2010-01-01T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .
<urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002> <https://www.w3.org/2018/credentials#validUntil> "2030-01-01T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .
<urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002> <https://www.w3.org/2018/credentials#credentialSchema> _:b5 .
<https://example.edu/issuers/565049> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#Profile> .
<https://example.edu/issuers/565049> <https://schema.org/name> "Example University" .
<https://example.edu/issuers/565049> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#url> <https://example.edu> .
<https://example.edu/issuers/565049> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#email> "info@example.edu" .
<https://example.edu/issuers/565049> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#image> _:b4 .
_:b4 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#Image> .
_:b4 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#caption> "Example University logo" .
_:b0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#AchievementSubject> .
_:b0 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#achievement> <https://example.com/achievements/21st-century-skills/teamwork> .
_:b0 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#identifier> _:b1 .
_:b0 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#result> _:b6 .
_:b1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#IdentityObject> .
_:b1 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#hashed> "true"^^<http://www.w3.org/2001/XMLSchema#boolean> .
_:b1 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#identityHash> "sha256$c7ef86405ba71b85acd8e2e95166c4b111448089f2e1599f42fe1bba46e865c5" .
_:b1 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#identityType> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#emailAddress> .
_:b1 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#salt> "not-used" .
<https://example.com/achievements/21st-century-skills/teamwork> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#Achievement> .
<https://example.com/achievements/21st-century-skills/teamwork> <https://schema.org/name> "Teamwork" .
<https://example.com/achievements/21st-century-skills/teamwork> <https://schema.org/description> "This badge recognizes the development of the capacity to collaborate within a group environment."@en .
<https://example.com/achievements/21st-century-skills/teamwork> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#criteria> _:b2 .
<https://example.com/achievements/21st-century-skills/teamwork> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#achievementType> "Badge" .
<https://example.com/achievements/21st-century-skills/teamwork> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#creator> <https://example.edu/issuers/565049> .
_:b2 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#narrative> "Team members are nominated for this badge by their peers and recognized upon review by Example Corp management.\nThe award is based on a reference from a colleague." .
_:b3 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#Alignment> .
_:b3 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#targetName> "Teamwork" .
_:b3 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#targetUrl> <https://example.org/frameworks/teamwork> .
<https://example.com/achievements/21st-century-skills/teamwork> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#alignment> _:b3 .
_:b5 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#1EdTechJsonSchemaValidator2019> .
_:b5 <https://www.w3.org/2018/credentials#schemaId> <https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json> .
_:b6 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#Result> .
_:b6 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#achievedLevel> "Level 2" .
_:b6 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#status> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#Completed> .
`

func BenchmarkCanonicalize(b *testing.B) {
	inputs := []struct {
		name  string
		quads []Quad
	}{
		{"credential40", mustParse(b, []byte(credentialNQuads))},
		{"test022-bnodes", parseTestdata(b, "rdfc10/test022-in.nq")},
		{"test053-list", parseTestdata(b, "rdfc10/test053-in.nq")},
		{"test060-escaping", parseTestdata(b, "rdfc10/test060-in.nq")},
		{"test044-evil", parseTestdata(b, "rdfc10/test044-in.nq")},
	}
	for _, in := range inputs {
		b.Run(in.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				res, err := Canonicalize(context.Background(), in.quads, Options{})
				if err != nil {
					b.Fatal(err)
				}
				_ = res.NQuads()
			}
		})
	}
}

func mustParse(tb testing.TB, data []byte) []Quad {
	tb.Helper()
	quads, err := ParseNQuads(data)
	if err != nil {
		tb.Fatal(err)
	}
	return quads
}

func TestCredentialNQuads(t *testing.T) {
	quads := mustParse(t, []byte(credentialNQuads))
	if len(quads) != 40 {
		t.Fatalf("credentialNQuads has %d quads, want 40", len(quads))
	}
	res, work, err := canonicalize(context.Background(), quads, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if work != 0 {
		t.Errorf("credential needed %d units of work, want 0", work)
	}
	checkIssued(t, res, quads)
}

// TestCanonicalizeRandomGraphs checks label and order independence on many
// small random graphs of blank nodes, which are full of the symmetries that
// make RDFC-1.0 fall back to Hash N-Degree Quads.
func TestCanonicalizeRandomGraphs(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	preds := []Term{iri("http://a/p"), iri("http://a/q")}
	graphs := []Term{{}, iri("http://a/g"), blank("n0"), blank("n1")}
	n := 400
	if testing.Short() {
		n = 50
	}
	checked := 0
	for range n {
		nodes := 2 + rng.IntN(7)
		var quads []Quad
		for range 1 + rng.IntN(3*nodes) {
			q := Quad{
				Subject:   blank("n" + strconv.Itoa(rng.IntN(nodes))),
				Predicate: preds[rng.IntN(len(preds))],
				Object:    blank("n" + strconv.Itoa(rng.IntN(nodes))),
			}
			switch rng.IntN(6) {
			case 0:
				q.Object = lit(strconv.Itoa(rng.IntN(2)))
			case 1:
				q.Graph = graphs[rng.IntN(len(graphs))]
			}
			quads = append(quads, q)
		}
		opts := Options{MaxWork: 20_000}
		want, err := Canonicalize(context.Background(), quads, opts)
		if errors.Is(err, ErrWorkLimit) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		checkIssued(t, want, quads)
		for range 3 {
			in2, names := relabel(quads, rng)
			got, err := Canonicalize(context.Background(), in2, opts)
			if errors.Is(err, ErrWorkLimit) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want.NQuads()), string(got.NQuads())); diff != "" {
				var orig []byte
				for _, q := range quads {
					orig = AppendQuad(orig, q)
				}
				t.Fatalf("relabelled %v: output differs (-original +relabelled):\n%s\ninput:\n%s", names, diff, orig)
			}
		}
		checked++
	}
	t.Logf("%d of %d graphs checked", checked, n)
}
