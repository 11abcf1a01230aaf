package jsonld

import (
	"fmt"
	"slices"
	"strings"

	"github.com/piprate/json-gold/ld"

	"github.com/go-openbadges/openbadges/internal/rdfc"
)

// rdfWriter converts a node map to quads.
type rdfWriter struct {
	issuer *ld.IdentifierIssuer
	quads  []rdfc.Quad
	// directions is set once a value with a @direction is written.
	directions bool
}

func (w *rdfWriter) graph(graph rdfc.Term, nodes map[string]any) error {
	for _, id := range sortedKeys(nodes) {
		node, _ := nodes[id].(map[string]any)
		subject, err := w.nodeTerm(id, "@id")
		if err != nil {
			return err
		}
		for _, prop := range sortedKeys(node) {
			values, _ := node[prop].([]any)
			var predicate rdfc.Term
			switch {
			case prop == "@type":
				predicate = rdfc.Term{Kind: rdfc.IRI, Value: rdfType}
				for _, t := range values {
					s, _ := t.(string)
					object, err := w.nodeTerm(s, "@type")
					if err != nil {
						return err
					}
					w.quads = append(w.quads, rdfc.Quad{Subject: subject, Predicate: predicate, Object: object, Graph: graph})
				}
				continue
			case ld.IsKeyword(prop):
				continue
			case strings.HasPrefix(prop, blankPrefix):
				return safeModeErr(prop, "a property expands to a blank node identifier, which RDF does not allow as a predicate")
			default:
				if err := checkIRI(prop, "property"); err != nil {
					return err
				}
				predicate = rdfc.Term{Kind: rdfc.IRI, Value: prop}
			}
			for _, item := range values {
				object, err := w.object(item, graph)
				if err != nil {
					return err
				}
				w.quads = append(w.quads, rdfc.Quad{Subject: subject, Predicate: predicate, Object: object, Graph: graph})
			}
		}
	}
	return nil
}

// nodeTerm returns the term of a node identifier: a blank node or an
// absolute IRI. role names where it came from, for the error.
func (w *rdfWriter) nodeTerm(id, role string) (rdfc.Term, error) {
	if label, ok := strings.CutPrefix(id, blankPrefix); ok {
		if label == "" {
			return rdfc.Term{}, safeModeErr(id, "an empty blank node identifier in %s", role)
		}
		return rdfc.Term{Kind: rdfc.BlankNode, Value: label}, nil
	}
	if err := checkIRI(id, role); err != nil {
		return rdfc.Term{}, err
	}
	return rdfc.Term{Kind: rdfc.IRI, Value: id}, nil
}

// object converts one value of a node map entry: a node reference, a value
// object or a list object.
func (w *rdfWriter) object(item any, graph rdfc.Term) (rdfc.Term, error) {
	m, ok := item.(map[string]any)
	if !ok {
		return rdfc.Term{}, safeModeErr("", "unexpected %T in the node map", item)
	}
	if v, isValue := m["@value"]; isValue {
		if _, ok := m["@direction"]; ok {
			w.directions = true
		}
		return valueTerm(m, v)
	}
	if list, isList := m["@list"]; isList {
		items, _ := list.([]any)
		return w.list(items, graph)
	}
	id, _ := m["@id"].(string)
	return w.nodeTerm(id, "@id")
}

// list writes an RDF collection and returns its head.
func (w *rdfWriter) list(items []any, graph rdfc.Term) (rdfc.Term, error) {
	if len(items) == 0 {
		return rdfc.Term{Kind: rdfc.IRI, Value: rdfNil}, nil
	}
	if len(items) > maxListLength {
		return rdfc.Term{}, fmt.Errorf("a list of %d items is over the limit of %d", len(items), maxListLength)
	}
	first := rdfc.Term{Kind: rdfc.IRI, Value: rdfFirst}
	rest := rdfc.Term{Kind: rdfc.IRI, Value: rdfRest}
	heads := make([]rdfc.Term, len(items))
	for i := range items {
		heads[i] = rdfc.Term{Kind: rdfc.BlankNode, Value: strings.TrimPrefix(w.issuer.GetId(""), blankPrefix)}
	}
	for i, item := range items {
		object, err := w.object(item, graph)
		if err != nil {
			return rdfc.Term{}, err
		}
		w.quads = append(w.quads, rdfc.Quad{Subject: heads[i], Predicate: first, Object: object, Graph: graph})
		next := rdfc.Term{Kind: rdfc.IRI, Value: rdfNil}
		if i+1 < len(items) {
			next = heads[i+1]
		}
		w.quads = append(w.quads, rdfc.Quad{Subject: heads[i], Predicate: rest, Object: next, Graph: graph})
	}
	return heads[0], nil
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
