package rdfc

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func iri(v string) Term   { return Term{Kind: IRI, Value: v} }
func blank(v string) Term { return Term{Kind: BlankNode, Value: v} }
func lit(v string) Term   { return Term{Kind: Literal, Value: v} }

func TestParseNQuads(t *testing.T) {
	s, p, o, g := iri("http://a/s"), iri("http://a/p"), iri("http://a/o"), iri("http://a/g")
	tests := []struct {
		name string
		in   string
		want []Quad
	}{
		{"empty", "", nil},
		{"blank lines and comments", "\n  \t\n# comment\r\n\r# another\n", nil},
		{"triple", "<http://a/s> <http://a/p> <http://a/o> .", []Quad{{s, p, o, Term{}}}},
		{"quad with comment", "<http://a/s> <http://a/p> <http://a/o> <http://a/g> . # c\n", []Quad{{s, p, o, g}}},
		{"minimal whitespace", "<http://a/s><http://a/p>\"x\"@en.\n_:b1.x<http://a/p>_:o.", []Quad{
			{s, p, Term{Kind: Literal, Value: "x", Language: "en", Datatype: rdfLangStrng}, Term{}},
			{blank("b1.x"), p, blank("o"), Term{}},
		}},
		{"tabs", "\t<http://a/s>\t<http://a/p>\t_:g\t_:g\t.\t", []Quad{{s, p, blank("g"), blank("g")}}},
		{"CR and CRLF line ends", "<http://a/s> <http://a/p> \"1\" .\r<http://a/s> <http://a/p> \"2\" .\r\n", []Quad{
			{s, p, lit("1"), Term{}}, {s, p, lit("2"), Term{}},
		}},
		{"datatype", `<http://a/s> <http://a/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .`, []Quad{
			{s, p, Term{Kind: Literal, Value: "1", Datatype: "http://www.w3.org/2001/XMLSchema#integer"}, Term{}},
		}},
		{"xsd:string is the implied datatype", `<http://a/s> <http://a/p> "1"^^<http://www.w3.org/2001/XMLSchema#string> .`, []Quad{
			{s, p, lit("1"), Term{}},
		}},
		{"language subtags", `<http://a/s> <http://a/p> "x"@en-GB-oed .`, []Quad{
			{s, p, Term{Kind: Literal, Value: "x", Language: "en-GB-oed", Datatype: rdfLangStrng}, Term{}},
		}},
		{"ECHAR", `<http://a/s> <http://a/p> "\t\b\n\r\f\"\'\\" .`, []Quad{{s, p, lit("\t\b\n\r\f\"'\\"), Term{}}}},
		{"UCHAR in literal", `<http://a/s> <http://a/p> "\u00e9\U0001F303\u0000" .`, []Quad{{s, p, lit("é🌃\x00"), Term{}}}},
		{"UCHAR in IRI", `<http://a/\u00E9\U0001f303> <http://a/p> <http://a/o> .`, []Quad{{iri("http://a/é🌃"), p, o, Term{}}}},
		{"raw control characters in literal", "<http://a/s> <http://a/p> \"\x01\t\x7f\" .", []Quad{{s, p, lit("\x01\t\x7f"), Term{}}}},
		{"blank node label characters", "_:0a-b\u00b7c <http://a/p> _:_:x .", []Quad{{blank("0a-b\u00b7c"), p, blank("_:x"), Term{}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseNQuads([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseNQuads(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestParseNQuadsErrors(t *testing.T) {
	const spo = "<http://a/s> <http://a/p> <http://a/o> .\n"
	tests := []struct {
		in   string
		want string
	}{
		{"<http://a/s> <http://a/p> <http://a/o>", "line 1: expected '.' at the end of the statement"},
		{"<http://a/s> <http://a/p> .", "line 1: object: unexpected character '.'"},
		{"<http://a/s> <http://a/p> 12 .", "line 1: object: unexpected character '1'"},
		{`"lit" <http://a/p> <http://a/o> .`, "line 1: subject: a literal is not allowed here"},
		{"<http://a/s> _:p <http://a/o> .", "line 1: predicate: a blank node is not allowed here"},
		{`<http://a/s> "p" <http://a/o> .`, "line 1: predicate: a literal is not allowed here"},
		{`<http://a/s> <http://a/p> <http://a/o> "g" .`, "line 1: graph: a literal is not allowed here"},
		{"<http://a/s> <http://a/p> <http://a/o> <http://a/g> <http://a/x> .", "line 1: expected '.' at the end of the statement"},
		{"<s> <http://a/p> <http://a/o> .", "line 1: subject: relative IRI <s>"},
		{"<> <http://a/p> <http://a/o> .", "line 1: subject: empty IRI"},
		{"<http://a/ s> <http://a/p> <http://a/o> .", "line 1: subject: character ' ' not allowed in an IRI"},
		{"<http://a/s> <http://a/p> <http://a/o", "line 1: object: unterminated IRI"},
		{`<http://a/\u0020> <http://a/p> <http://a/o> .`, "line 1: subject: escape gives ' ', which an IRI may not contain"},
		{`<http://a/\u00ZZ> <http://a/p> <http://a/o> .`, `line 1: subject: invalid escape "\\u00ZZ"`},
		{`<http://a/\n> <http://a/p> <http://a/o> .`, `line 1: subject: invalid escape "\\n"`},
		{"<<( <http://a/s> <http://a/p> <http://a/o> )>> <http://a/p> <http://a/o> .", "line 1: subject: character '<' not allowed in an IRI"},
		{`<http://a/s> <http://a/p> "\uD800" .`, `line 1: object: escape "\\uD800" is not a Unicode scalar value`},
		{`<http://a/s> <http://a/p> "\U00110000" .`, `line 1: object: escape "\\U00110000" is not a Unicode scalar value`},
		{`<http://a/s> <http://a/p> "\u12" .`, `line 1: object: invalid escape "\\u12\" "`},
		{`<http://a/s> <http://a/p> "a\q" .`, `line 1: object: invalid escape "\\q"`},
		{`<http://a/s> <http://a/p> "abc .`, "line 1: object: unterminated string"},
		{"<http://a/s> <http://a/p> \"x\ny\" .", "line 1: object: unterminated string"},
		{`<http://a/s> <http://a/p> "a"@ .`, `line 1: object: invalid language tag ""`},
		{`<http://a/s> <http://a/p> "a"@en- .`, `line 1: object: invalid language tag "en-"`},
		{`<http://a/s> <http://a/p> "a"@1en .`, `line 1: object: invalid language tag "1en"`},
		{`<http://a/s> <http://a/p> "a"@en--ltr .`, `line 1: object: invalid language tag "en--ltr"`},
		{`<http://a/s> <http://a/p> "a"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#langString> .`, "line 1: object: rdf:langString literal without a language tag"},
		{`<http://a/s> <http://a/p> "a"^<http://a/d> .`, "line 1: object: expected '^^' before the datatype"},
		{`<http://a/s> <http://a/p> "a"^^"b" .`, "line 1: object: expected datatype IRI after '^^'"},
		{`<http://a/s> <http://a/p> "a"^^<d> .`, "line 1: object: datatype: relative IRI <d>"},
		{"<http://a/s> <http://a/p> _: .", "line 1: object: empty blank node label"},
		{"<http://a/s> <http://a/p> _:.a .", "line 1: object: blank node label may not start with '.'"},
		{"<http://a/s> <http://a/p> _:-a .", "line 1: object: blank node label may not start with '-'"},
		{"<http://a/s> <http://a/p> _a .", "line 1: object: expected ':' after '_'"},
		{spo + spo + "<http://a/s> <http://a/p> <http://a/o> . <http://a/s> <http://a/p> <http://a/o> .", "line 3: unexpected text after '.'"},
		{"<http://a/s> <http://a/p> <http://a/o> .x", "line 1: unexpected text after '.'"},
		{"<http://a/s>\n<http://a/p> <http://a/o> .", "line 1: predicate: unexpected end of line"},
		{"# c\n\r\n" + spo + "<http://a/s> <http://a/p> <http://a/o>\r\n", "line 4: graph: unexpected end of line"},
		{"\r\r\r<http://a/s> <http://a/p> <http://a/o>", "line 4: expected '.' at the end of the statement"},
		{spo + "<http://a/s> <http://a/p> \"\xff\" .", "line 2: invalid UTF-8"},
		{spo + "\r\n# \xc0\n", "line 3: invalid UTF-8"},
		{"<http://a/s> <http://a/p> <http://a/o> <http://a/g>", "line 1: expected '.' at the end of the statement"},
		{"<http://a/s> <http://a/p> <http://a/o> <http://a/g", "line 1: graph: unterminated IRI"},
	}
	for _, tt := range tests {
		got, err := ParseNQuads([]byte(tt.in))
		if err == nil {
			t.Errorf("ParseNQuads(%q) = %v, want error", tt.in, got)
			continue
		}
		if want := "rdfc: N-Quads " + tt.want; err.Error() != want {
			t.Errorf("ParseNQuads(%q) error:\n got %q\nwant %q", tt.in, err, want)
		}
	}
}

func TestAppendQuad(t *testing.T) {
	tests := []struct {
		q    Quad
		want string
	}{
		{Quad{iri("http://a/s"), iri("http://a/p"), iri("http://a/o"), Term{}}, "<http://a/s> <http://a/p> <http://a/o> .\n"},
		{Quad{blank("b0"), iri("http://a/p"), blank("b1"), blank("g")}, "_:b0 <http://a/p> _:b1 _:g .\n"},
		{Quad{iri("http://a/s"), iri("http://a/p"), lit("\x00\x07\b\t\n\x0b\f\r\x0e\x1f \"\\'\x7f\u0080é"), iri("http://a/g")},
			"<http://a/s> <http://a/p> \"\\u0000\\u0007\\b\\t\\n\\u000B\\f\\r\\u000E\\u001F \\\"\\\\'\\u007F\u0080é\" <http://a/g> .\n"},
		{Quad{iri("http://a/s"), iri("http://a/p"), Term{Kind: Literal, Value: "x", Datatype: xsdString}, Term{}}, "<http://a/s> <http://a/p> \"x\" .\n"},
		{Quad{iri("http://a/s"), iri("http://a/p"), Term{Kind: Literal, Value: "1", Datatype: "http://a/int"}, Term{}}, "<http://a/s> <http://a/p> \"1\"^^<http://a/int> .\n"},
		{Quad{iri("http://a/s"), iri("http://a/p"), Term{Kind: Literal, Value: "x", Language: "en-GB", Datatype: rdfLangStrng}, Term{}}, "<http://a/s> <http://a/p> \"x\"@en-GB .\n"},
		{Quad{iri("http://a/s"), iri("http://a/p"), Term{Kind: Literal, Value: "x", Language: "de"}, Term{}}, "<http://a/s> <http://a/p> \"x\"@de .\n"},
	}
	for _, tt := range tests {
		prefix := "# prefix\n"
		got := string(AppendQuad([]byte(prefix), tt.q))
		if diff := cmp.Diff(prefix+tt.want, got); diff != "" {
			t.Errorf("AppendQuad(%+v) mismatch (-want +got):\n%s", tt.q, diff)
		}
	}
}

// TestRoundTrip checks that parsing the canonical N-Quads of every suite
// input gives back Result.Quads.
func TestRoundTrip(t *testing.T) {
	for _, e := range loadManifest(t) {
		if e.Type != evalTest {
			continue
		}
		res, err := Canonicalize(context.Background(), parseTestdata(t, e.Action), e.options(t))
		if err != nil {
			t.Fatalf("%s: %v", e.ID, err)
		}
		nq := res.NQuads()
		got, err := ParseNQuads(nq)
		if err != nil {
			t.Fatalf("%s: parsing canonical output: %v\n%s", e.ID, err, nq)
		}
		if diff := cmp.Diff(res.Quads, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%s: round trip mismatch (-canonical +reparsed):\n%s", e.ID, diff)
		}
		if lines := strings.Count(string(nq), "\n"); lines != len(res.Quads) {
			t.Errorf("%s: %d lines for %d quads", e.ID, lines, len(res.Quads))
		}
	}
}
