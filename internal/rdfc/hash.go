package rdfc

import (
	"bytes"
	"cmp"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
)

// hashFirstDegree is the Hash First Degree Quads algorithm.
func (s *state) hashFirstDegree(n int32) []byte {
	s.buf, s.spans = s.buf[:0], s.spans[:0]
	for _, qi := range s.nodes[n].quads {
		start := len(s.buf)
		s.buf = s.appendFirstDegreeQuad(s.buf, qi, n)
		s.spans = append(s.spans, span{start, len(s.buf)})
	}
	s.sortLines()
	s.h.Reset()
	for _, sp := range s.spans {
		s.h.Write(s.buf[sp.start:sp.end])
	}
	// In one array for all nodes, kept between runs: a node's slice
	// stays valid when a later append moves the array.
	s.sum = s.h.Sum(s.sum[:0])
	start := len(s.hexes)
	s.hexes = hex.AppendEncode(s.hexes, s.sum)
	return s.hexes[start:len(s.hexes):len(s.hexes)]
}

// appendFirstDegreeQuad appends q as an N-Quads line in which the blank
// node n is "_:a" and every other blank node "_:z".
func (s *state) appendFirstDegreeQuad(dst []byte, qi, n int32) []byte {
	q, b := &s.quads[qi], s.ids[qi]
	term := func(dst []byte, t *Term, id int32) []byte {
		switch {
		case id < 0:
			return appendTerm(dst, t)
		case id == n:
			return append(dst, "_:a"...)
		default:
			return append(dst, "_:z"...)
		}
	}
	dst = term(dst, &q.Subject, b.s)
	dst = append(dst, ' ')
	dst = appendTerm(dst, &q.Predicate)
	dst = append(dst, ' ')
	dst = term(dst, &q.Object, b.o)
	if q.Graph.Kind != DefaultGraph {
		dst = append(dst, ' ')
		dst = term(dst, &q.Graph, b.g)
	}
	return append(dst, " .\n"...)
}

// hashRelated is the Hash Related Blank Node algorithm; position is 's',
// 'o' or 'g'.
func (s *state) hashRelated(related int32, q *Quad, iss *issuer, position byte) string {
	b := append(s.relBuf[:0], position)
	if position != 'g' {
		b = append(b, '<')
		b = append(b, q.Predicate.Value...)
		b = append(b, '>')
	}
	if c := s.nodes[related].canon; c >= 0 {
		b = appendCanonLabel(b, c)
	} else if id, ok := iss.lookup(related); ok {
		b = appendTempLabel(b, id)
	} else {
		b = append(b, s.nodes[related].hash...)
	}
	s.relBuf = b
	s.h.Reset()
	s.h.Write(b)
	return s.hexSum()
}

func appendCanonLabel(dst []byte, c int32) []byte {
	return strconv.AppendInt(append(dst, "_:c14n"...), int64(c), 10)
}

func appendTempLabel(dst []byte, id int32) []byte {
	return strconv.AppendInt(append(dst, "_:b"...), int64(id), 10)
}

// related is a blank node related to the one being hashed by Hash N-Degree
// Quads, with its Hash Related Blank Node result.
type related struct {
	hash string
	node int32
}

// hashNDegree is the Hash N-Degree Quads algorithm for the blank node n. It
// does not modify iss; it returns the hash and the issuer to continue with
// (iss itself, or a copy with more identifiers).
func (s *state) hashNDegree(n int32, iss *issuer) (string, *issuer, error) {
	if err := s.step(); err != nil {
		return "", nil, err
	}
	if err := s.ctx.Err(); err != nil {
		return "", nil, fmt.Errorf("rdfc: %w", err)
	}

	// Steps 1-3: hash every related blank node.
	var rels []related
	for _, qi := range s.nodes[n].quads {
		q, b := &s.quads[qi], s.ids[qi]
		if b.s >= 0 && b.s != n {
			rels = append(rels, related{s.hashRelated(b.s, q, iss, 's'), b.s})
		}
		if b.o >= 0 && b.o != n {
			rels = append(rels, related{s.hashRelated(b.o, q, iss, 'o'), b.o})
		}
		if b.g >= 0 && b.g != n {
			rels = append(rels, related{s.hashRelated(b.g, q, iss, 'g'), b.g})
		}
	}
	// Order by hash, then by node so that each group starts as the first
	// permutation in lexicographic order.
	slices.SortFunc(rels, func(a, b related) int {
		if c := cmp.Compare(a.hash, b.hash); c != 0 {
			return c
		}
		return cmp.Compare(a.node, b.node)
	})

	// Steps 4-5.
	var data, path, chosenPath []byte
	var perm, recursion []int32
	for i := 0; i < len(rels); {
		j := i + 1
		for j < len(rels) && rels[j].hash == rels[i].hash {
			j++
		}
		data = append(data, rels[i].hash...)
		perm = perm[:0]
		for _, r := range rels[i:j] {
			perm = append(perm, r.node)
		}
		i = j

		chosenPath = chosenPath[:0]
		var chosenIss *issuer
		// worse reports whether path can no longer become the chosen path.
		worse := func() bool {
			return chosenIss != nil && len(path) >= len(chosenPath) && bytes.Compare(path, chosenPath) > 0
		}
	permutations:
		for more := true; more; more = nextPermutation(perm) {
			if err := s.step(); err != nil {
				return "", nil, err
			}
			issCopy := iss.clone()
			path, recursion = path[:0], recursion[:0]
			for _, r := range perm {
				if c := s.nodes[r].canon; c >= 0 {
					path = appendCanonLabel(path, c)
				} else {
					if _, ok := issCopy.lookup(r); !ok {
						recursion = append(recursion, r)
					}
					path = appendTempLabel(path, issCopy.issue(r))
				}
				if worse() {
					continue permutations
				}
			}
			for _, r := range recursion {
				h, next, err := s.hashNDegree(r, issCopy)
				if err != nil {
					return "", nil, err
				}
				path = appendTempLabel(path, issCopy.issue(r))
				path = append(path, '<')
				path = append(path, h...)
				path = append(path, '>')
				issCopy = next
				if worse() {
					continue permutations
				}
			}
			if chosenIss == nil || bytes.Compare(path, chosenPath) < 0 {
				chosenPath = append(chosenPath[:0], path...)
				chosenIss = issCopy
			}
		}
		data = append(data, chosenPath...)
		iss = chosenIss
	}

	s.h.Reset()
	s.h.Write(data)
	return s.hexSum(), iss, nil
}

// nextPermutation rearranges p into the next permutation in lexicographic
// order and reports whether there was one. Equal elements give each
// distinct arrangement once.
func nextPermutation(p []int32) bool {
	i := len(p) - 2
	for i >= 0 && p[i] >= p[i+1] {
		i--
	}
	if i < 0 {
		return false
	}
	j := len(p) - 1
	for p[j] <= p[i] {
		j--
	}
	p[i], p[j] = p[j], p[i]
	slices.Reverse(p[i+1:])
	return true
}
