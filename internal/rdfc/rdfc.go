// Package rdfc implements W3C RDF Dataset Canonicalization (RDFC-1.0,
// https://www.w3.org/TR/rdf-canon/), with a strict N-Quads parser and the
// canonical N-Quads serialization.
// It exists so that Data Integrity proofs (such as the eddsa-rdfc-2022
// cryptosuite) hash the same bytes for the same RDF dataset, however its
// blank nodes were labelled and its quads ordered.
package rdfc

import (
	"crypto"
	"errors"
	"fmt"
	"unicode/utf8"
)

// TermKind says which kind of RDF term a [Term] is.
type TermKind uint8

const (
	// DefaultGraph is the graph name of a quad in the default graph; the zero
	// Term is the default graph.
	DefaultGraph TermKind = iota
	// IRI is an IRI; Term.Value holds the IRI as a Unicode string without
	// the enclosing angle brackets.
	IRI
	// BlankNode is a blank node; Term.Value is its label without the "_:"
	// prefix.
	BlankNode
	// Literal is a literal; Term.Value is its lexical form, Term.Datatype
	// its datatype IRI ("" means xsd:string) and Term.Language its language
	// tag (non-empty means the datatype is rdf:langString).
	Literal
)

// kindName returns the name of the kind, for messages.
func kindName(k TermKind) string {
	switch k {
	case DefaultGraph:
		return "default graph"
	case IRI:
		return "IRI"
	case BlankNode:
		return "blank node"
	case Literal:
		return "literal"
	}
	return fmt.Sprintf("TermKind(%d)", uint8(k))
}

// Well-known datatype IRIs.
const (
	xsdString    = "http://www.w3.org/2001/XMLSchema#string"
	rdfLangStrng = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
)

// Term is one RDF term: an IRI, a blank node, a literal, or (as a graph name
// only) the default graph. Only the fields meaningful for Kind are used:
// Datatype and Language for literals only.
type Term struct {
	Kind     TermKind
	Value    string
	Datatype string
	Language string
}

// Quad is an RDF quad. A Graph of Kind DefaultGraph (the zero Term) puts the
// triple in the default graph.
type Quad struct {
	Subject, Predicate, Object, Graph Term
}

// Options tune [Canonicalize]. The zero value is the RDFC-1.0 default
// (SHA-256) with the default work limit.
type Options struct {
	// Hash is the hash algorithm used by RDFC-1.0. Zero means
	// crypto.SHA256; crypto.SHA384 is also supported; anything else is an
	// error.
	Hash crypto.Hash

	// MaxWork bounds the work spent on blank nodes that the first-degree
	// hashes cannot tell apart: every call of the Hash N-Degree Quads
	// algorithm and every permutation it visits counts one unit. Zero means
	// the default of 100,000 units: about 30 times what the most demanding
	// W3C test needs, while the poison clique of test074 is stopped after
	// about 60 ms. A negative value means unlimited, which lets a hostile
	// dataset run for an exponential time.
	MaxWork int

	// Scratch, if not nil, lends CanonicalNQuads its work space, and gets
	// it back for the next call.
	Scratch *Scratch
}

// defaultMaxWork is the work limit used when Options.MaxWork is zero. The
// most demanding W3C RDFC-1.0 evaluation tests (test044 to test046, "poison
// – evil") need 3,348 units; the negative test test074 (a 10-node blank
// node clique) reaches this limit after about 60 ms. Datasets whose blank
// nodes are told apart by their own quads, such as typical verifiable
// credentials, need no work at all.
const defaultMaxWork = 100_000

// ErrWorkLimit is returned, wrapped, by [Canonicalize] when the dataset needs
// more than Options.MaxWork units of work; errors.Is recognises it.
var ErrWorkLimit = errors.New("rdfc: canonicalization work limit exceeded")

// Result is the canonical form of a dataset.
type Result struct {
	// Quads is the dataset with canonical blank node labels ("c14n0",
	// "c14n1", ...), duplicates removed, sorted in code point order of
	// their canonical N-Quads lines. Terms are normalized: a literal with a
	// language tag has Datatype rdf:langString, an xsd:string literal has
	// Datatype "", and fields that do not apply to a term's kind are empty.
	Quads []Quad

	// Issued maps every input blank node label to its canonical label (the
	// RDFC-1.0 issued identifiers map); neither has the "_:" prefix.
	Issued map[string]string
}

// NQuads returns the canonical N-Quads document of r.Quads: one line per
// quad, each ending in "\n", in the order of r.Quads.
func (r *Result) NQuads() []byte {
	n := 0
	for i := range r.Quads {
		n += quadSizeHint(&r.Quads[i])
	}
	out := make([]byte, 0, n)
	for _, q := range r.Quads {
		out = AppendQuad(out, q)
	}
	return out
}

func quadSizeHint(q *Quad) int {
	return len(q.Subject.Value) + len(q.Predicate.Value) + len(q.Object.Value) +
		len(q.Object.Datatype) + len(q.Object.Language) + len(q.Graph.Value) + 16
}

// normalizeQuad checks that *q is a valid RDF quad whose terms can be
// written as canonical N-Quads, and normalizes its terms in place (see
// Result.Quads), reporting whether that changed anything.
func normalizeQuad(q *Quad) (changed bool, err error) {
	c1, err := normalizeTerm(&q.Subject, "subject", true, false, false)
	if err != nil {
		return false, err
	}
	c2, err := normalizeTerm(&q.Predicate, "predicate", false, false, false)
	if err != nil {
		return false, err
	}
	c3, err := normalizeTerm(&q.Object, "object", true, true, false)
	if err != nil {
		return false, err
	}
	c4, err := normalizeTerm(&q.Graph, "graph", true, false, true)
	return c1 || c2 || c3 || c4, err
}

// normalizeTerm checks the term *t found at pos (which may be a blank node,
// a literal or the default graph as the flags say) and clears the fields
// that do not apply to its kind, reporting whether it changed *t.
func normalizeTerm(t *Term, pos string, blank, literal, dflt bool) (bool, error) {
	switch t.Kind {
	case DefaultGraph:
		if dflt {
			return clearFields(t, true), nil
		}
	case IRI:
		if err := checkIRI(t.Value); err != nil {
			return false, fmt.Errorf("%s: %w", pos, err)
		}
		return clearFields(t, false), nil
	case BlankNode:
		if blank {
			if t.Value == "" {
				return false, fmt.Errorf("%s: empty blank node label", pos)
			}
			return clearFields(t, false), nil
		}
	case Literal:
		if literal {
			return normalizeLiteral(t, pos)
		}
	default:
		return false, fmt.Errorf("%s: invalid term kind %d", pos, uint8(t.Kind))
	}
	return false, fmt.Errorf("%s: a %s is not allowed here", pos, kindName(t.Kind))
}

// clearFields clears the literal-only fields of *t, and its value too if
// value is set, reporting whether that changed anything.
func clearFields(t *Term, value bool) bool {
	if t.Datatype == "" && t.Language == "" && (!value || t.Value == "") {
		return false
	}
	t.Datatype, t.Language = "", ""
	if value {
		t.Value = ""
	}
	return true
}

func normalizeLiteral(t *Term, pos string) (bool, error) {
	if !utf8.ValidString(t.Value) {
		return false, fmt.Errorf("%s: literal is not valid UTF-8", pos)
	}
	if t.Language != "" {
		if t.Datatype != "" && t.Datatype != rdfLangStrng {
			return false, fmt.Errorf("%s: literal with language tag %q has datatype <%s>, not rdf:langString", pos, t.Language, t.Datatype)
		}
		if !validLangTag(t.Language) {
			return false, fmt.Errorf("%s: invalid language tag %q", pos, t.Language)
		}
		if t.Datatype == "" {
			t.Datatype = rdfLangStrng
			return true, nil
		}
		return false, nil
	}
	switch t.Datatype {
	case "":
		return false, nil
	case xsdString:
		t.Datatype = ""
		return true, nil
	case rdfLangStrng:
		return false, fmt.Errorf("%s: rdf:langString literal without a language tag", pos)
	}
	if err := checkIRI(t.Datatype); err != nil {
		return false, fmt.Errorf("%s: datatype: %w", pos, err)
	}
	return false, nil
}

// checkIRI reports whether s can be written verbatim as an N-Quads IRIREF:
// non-empty valid UTF-8 without the characters U+0000-U+0020 < > " { } | ^ `
// and backslash.
func checkIRI(s string) error {
	if s == "" {
		return errors.New("empty IRI")
	}
	ascii := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			ascii = false
		} else if iriForbidden[c] {
			return fmt.Errorf("IRI %q contains the character %q, which N-Quads does not allow", s, rune(c))
		}
	}
	if !ascii && !utf8.ValidString(s) {
		return fmt.Errorf("IRI %q is not valid UTF-8", s)
	}
	return nil
}

// iriForbidden[c] says whether the ASCII character c may not appear in an
// IRIREF.
var iriForbidden = [128]bool{
	0x00: true, 0x01: true, 0x02: true, 0x03: true, 0x04: true, 0x05: true, 0x06: true, 0x07: true,
	0x08: true, 0x09: true, 0x0A: true, 0x0B: true, 0x0C: true, 0x0D: true, 0x0E: true, 0x0F: true,
	0x10: true, 0x11: true, 0x12: true, 0x13: true, 0x14: true, 0x15: true, 0x16: true, 0x17: true,
	0x18: true, 0x19: true, 0x1A: true, 0x1B: true, 0x1C: true, 0x1D: true, 0x1E: true, 0x1F: true,
	' ': true, '<': true, '>': true, '"': true, '{': true, '}': true, '|': true, '^': true, '`': true, '\\': true,
}

// validLangTag reports whether s matches the N-Quads LANGTAG production
// without the '@': [a-zA-Z]+ ('-' [a-zA-Z0-9]+)*.
func validLangTag(s string) bool {
	n := 0 // length of the current subtag
	first := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
			n++
		case '0' <= c && c <= '9':
			if first {
				return false
			}
			n++
		case c == '-':
			if n == 0 {
				return false
			}
			first, n = false, 0
		default:
			return false
		}
	}
	return n > 0
}
