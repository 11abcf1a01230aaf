package rdfc

import (
	"cmp"
	"fmt"
	"slices"
)

// load validates, normalizes and deduplicates the input and builds the
// blank node to quads map. It copies the input only if normalizing or
// deduplicating changes it.
func (s *state) load(in []Quad) error {
	s.quads = in
	cloned := false
	for i := range in {
		q := in[i]
		changed, err := normalizeQuad(&q)
		if err != nil {
			return fmt.Errorf("rdfc: quad %d: %w", i, err)
		}
		if changed {
			if !cloned {
				s.quads, cloned = slices.Clone(in), true
			}
			s.quads[i] = q
		}
	}
	s.dedupe()

	// Number the blank nodes and count their quads, then lay the quad
	// lists out in one array.
	s.ids = slices.Grow(s.ids[:0], len(s.quads))[:len(s.quads)]
	if s.index == nil {
		s.index = make(map[string]int32)
	}
	index := s.index
	counts := s.counts[:0]
	ref := func(t *Term) int32 {
		if t.Kind != BlankNode {
			return -1
		}
		id, ok := index[t.Value]
		if !ok {
			id = int32(len(s.nodes))
			index[t.Value] = id
			s.nodes = append(s.nodes, node{label: t.Value, canon: -1})
			counts = append(counts, 0)
		}
		return id
	}
	for i := range s.quads {
		q, b := &s.quads[i], &s.ids[i]
		b.s, b.o, b.g = ref(&q.Subject), ref(&q.Object), ref(&q.Graph)
		// A blank node used twice in one quad references the quad once.
		if b.s >= 0 {
			counts[b.s]++
		}
		if b.o >= 0 && b.o != b.s {
			counts[b.o]++
		}
		if b.g >= 0 && b.g != b.s && b.g != b.o {
			counts[b.g]++
		}
	}
	total := int32(0)
	for _, c := range counts {
		total += c
	}
	s.counts = counts
	all := slices.Grow(s.all[:0], int(total))[:total]
	s.all = all
	off := int32(0)
	for i, c := range counts {
		s.nodes[i].quads = all[off : off : off+c]
		off += c
	}
	add := func(n, qi int32) { s.nodes[n].quads = append(s.nodes[n].quads, qi) }
	for i, b := range s.ids {
		qi := int32(i)
		if b.s >= 0 {
			add(b.s, qi)
		}
		if b.o >= 0 && b.o != b.s {
			add(b.o, qi)
		}
		if b.g >= 0 && b.g != b.s && b.g != b.o {
			add(b.g, qi)
		}
	}
	return nil
}

// dedupe removes repeated quads from s.quads, keeping the first of each
// in input order.
func (s *state) dedupe() {
	quads := s.quads
	if len(quads) < 2 {
		return
	}
	idx := slices.Grow(s.idx[:0], len(quads))[:len(quads)]
	s.idx = idx
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortStableFunc(idx, func(a, b int32) int {
		return compareQuads(&quads[a], &quads[b])
	})
	var dup []bool
	for k := 1; k < len(idx); k++ {
		if compareQuads(&quads[idx[k-1]], &quads[idx[k]]) == 0 {
			if dup == nil {
				dup = make([]bool, len(quads))
			}
			dup[idx[k]] = true // the stable sort put the first one before
		}
	}
	if dup == nil {
		return
	}
	kept := make([]Quad, 0, len(quads))
	for i := range quads {
		if !dup[i] {
			kept = append(kept, quads[i])
		}
	}
	s.quads = kept
}

func compareQuads(a, b *Quad) int {
	if c := compareTerms(&a.Subject, &b.Subject); c != 0 {
		return c
	}
	if c := compareTerms(&a.Predicate, &b.Predicate); c != 0 {
		return c
	}
	if c := compareTerms(&a.Object, &b.Object); c != 0 {
		return c
	}
	return compareTerms(&a.Graph, &b.Graph)
}

func compareTerms(a, b *Term) int {
	if c := cmp.Compare(a.Kind, b.Kind); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Value, b.Value); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Datatype, b.Datatype); c != 0 {
		return c
	}
	return cmp.Compare(a.Language, b.Language)
}
