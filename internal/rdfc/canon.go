package rdfc

import (
	"bytes"
	"cmp"
	"context"
	"crypto"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"maps"
	"slices"
	"strconv"
)

// Canonicalize runs RDFC-1.0 on the dataset quads and returns it with
// canonical blank node labels. The input is a set: duplicate quads count
// once. Every quad must be a valid RDF quad whose terms canonical N-Quads
// can express (subject an IRI or blank node, predicate an IRI, graph the
// default graph, an IRI or a blank node, IRIs non-empty without the
// characters N-Quads forbids inside <>, valid UTF-8, well-formed language
// tags); otherwise Canonicalize returns an error naming the quad's index.
//
// Canonicalize returns an error wrapping [ErrWorkLimit] when the dataset
// needs more than opts.MaxWork units of work, and one wrapping ctx.Err()
// when ctx is done; it checks ctx at every Hash N-Degree Quads call and
// every few hundred permutations. Canonicalize does not modify quads.
func Canonicalize(ctx context.Context, quads []Quad, opts Options) (*Result, error) {
	r, _, err := canonicalize(ctx, quads, opts)
	return r, err
}

// CanonicalNQuads is Canonicalize(ctx, quads, opts).NQuads(), without
// building the Result: what a proof suite hashes.
func CanonicalNQuads(ctx context.Context, quads []Quad, opts Options) ([]byte, error) {
	s, err := run(ctx, quads, opts)
	if err != nil {
		return nil, err
	}
	out := slices.Clone(s.nquads())
	s.release(opts.Scratch)
	return out, nil
}

// WriteCanonical writes the canonical N-Quads document of quads to w, such
// as a hash, in one Write, without keeping it: CanonicalNQuads for a caller
// that only needs the hash.
func WriteCanonical(ctx context.Context, w io.Writer, quads []Quad, opts Options) error {
	s, err := run(ctx, quads, opts)
	if err != nil {
		return err
	}
	_, err = w.Write(s.nquads())
	s.release(opts.Scratch)
	return err
}

// run canonicalizes quads, leaving the canonical labels in the state.
func run(ctx context.Context, quads []Quad, opts Options) (*state, error) {
	newHash, err := hashFunc(opts.Hash)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("rdfc: %w", err)
	}
	var s *state
	if opts.Scratch != nil && opts.Scratch.s != nil {
		s = opts.Scratch.s
		opts.Scratch.s = nil // in use
	} else {
		s = &state{}
	}
	if s.h == nil || s.hashID != opts.Hash {
		s.h, s.hashID = newHash(), opts.Hash
	}
	s.ctx, s.maxWork = ctx, opts.MaxWork
	s.hexes = s.hexes[:0]
	if s.maxWork == 0 {
		s.maxWork = defaultMaxWork
	}
	if err := s.load(quads); err != nil {
		return nil, err
	}
	if err := s.issueAll(); err != nil {
		return s, err
	}
	return s, nil
}

// release wipes what s holds of a dataset and keeps its work space on
// scratch, if any.
func (s *state) release(scratch *Scratch) {
	if scratch == nil {
		return
	}
	clear(s.nodes)
	clear(s.index)
	s.ctx, s.quads, s.nodes, s.ids = nil, nil, s.nodes[:0], s.ids[:0]
	s.nCanon, s.work = 0, 0
	scratch.s = s
}

// canonicalize is Canonicalize that also returns the work done.
func canonicalize(ctx context.Context, quads []Quad, opts Options) (*Result, int, error) {
	s, err := run(ctx, quads, opts)
	if err != nil {
		work := 0
		if s != nil {
			work = s.work
		}
		return nil, work, err
	}
	return s.result(), s.work, nil
}

func hashFunc(h crypto.Hash) (func() hash.Hash, error) {
	switch h {
	case 0, crypto.SHA256:
		return sha256.New, nil
	case crypto.SHA384:
		return sha512.New384, nil
	}
	return nil, fmt.Errorf("rdfc: unsupported hash algorithm %v (want SHA-256 or SHA-384)", h)
}

// node is one blank node of the dataset. Nodes are numbered in the order
// they first occur in the input (subject, object, graph of each quad).
type node struct {
	label string  // input label
	quads []int32 // indices into state.quads of the quads mentioning it
	hash  []byte  // Hash First Degree Quads, hex (in state.hexes)
	canon int32   // canonical number (label "c14n<canon>"), -1 until issued
}

// bnodes holds the numbers of the blank node components of a quad: its
// subject, object and graph (-1 for terms that are not blank nodes).
type bnodes struct{ s, o, g int32 }

type span struct{ start, end int }

type state struct {
	ctx     context.Context
	h       hash.Hash
	sum     []byte
	quads   []Quad   // normalized, deduplicated input; may alias the caller's slice, never written then
	ids     []bnodes // ids[i] are the blank nodes of quads[i]
	nodes   []node
	nCanon  int32
	work    int
	maxWork int

	buf    []byte // Hash First Degree Quads lines, and the final lines
	spans  []span // line boundaries in buf
	relBuf []byte // input of Hash Related Blank Node

	// Kept between runs on a Scratch: load's and issueAll's work space.
	index  map[string]int32
	counts []int32
	all    []int32
	order  []int32
	idx    []int32
	out    []byte
	hexes  []byte // the nodes' first-degree hashes
	hashID crypto.Hash
}

// A Scratch keeps the work space of one canonicalization for the next, so
// that a program canonicalizing many small datasets (a proof suite signing
// credentials) does not allocate it every time. The zero Scratch is ready
// to use. A Scratch must not be used by two canonicalizations at once, and
// keeps nothing of a dataset once its call has returned.
type Scratch struct {
	s *state
}

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

// issueAll runs steps 3 to 5 of the canonicalization algorithm: it issues a
// canonical identifier to every blank node.
func (s *state) issueAll() error {
	for i := range s.nodes {
		if i&1023 == 1023 {
			if err := s.ctx.Err(); err != nil {
				return fmt.Errorf("rdfc: %w", err)
			}
		}
		s.nodes[i].hash = s.hashFirstDegree(int32(i))
	}

	// Group the nodes by first-degree hash, in code point order of the
	// hashes; within a group nodes keep their input order.
	order := slices.Grow(s.order[:0], len(s.nodes))[:len(s.nodes)]
	s.order = order
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int {
		return bytes.Compare(s.nodes[a].hash, s.nodes[b].hash)
	})
	var shared [][]int32
	for i := 0; i < len(order); {
		j := i + 1
		for j < len(order) && bytes.Equal(s.nodes[order[j]].hash, s.nodes[order[i]].hash) {
			j++
		}
		if j-i == 1 {
			s.issueCanonical(order[i])
		} else {
			shared = append(shared, order[i:j])
		}
		i = j
	}

	type result struct {
		hash string
		iss  *issuer
	}
	var results []result
	for _, group := range shared {
		results = results[:0]
		for _, n := range group {
			if s.nodes[n].canon >= 0 {
				continue
			}
			iss := &issuer{}
			iss.issue(n)
			h, iss, err := s.hashNDegree(n, iss)
			if err != nil {
				return err
			}
			results = append(results, result{h, iss})
		}
		slices.SortStableFunc(results, func(a, b result) int {
			return cmp.Compare(a.hash, b.hash)
		})
		for _, r := range results {
			for _, n := range r.iss.order {
				if s.nodes[n].canon < 0 {
					s.issueCanonical(n)
				}
			}
		}
	}
	return nil
}

func (s *state) issueCanonical(n int32) {
	s.nodes[n].canon = s.nCanon
	s.nCanon++
}

// hexSum returns the hex digest of what was written to s.h.
func (s *state) hexSum() string {
	s.sum = s.h.Sum(s.sum[:0])
	return hex.EncodeToString(s.sum)
}

// sortLines sorts the lines s.spans delimits in s.buf in code point
// order (byte order of UTF-8).
func (s *state) sortLines() {
	buf := s.buf
	slices.SortFunc(s.spans, func(a, b span) int {
		return bytes.Compare(buf[a.start:a.end], buf[b.start:b.end])
	})
}

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

// step counts one unit of work and fails once the limit is passed. Every
// 256 units it also checks the context.
func (s *state) step() error {
	s.work++
	if s.maxWork >= 0 && s.work > s.maxWork {
		return fmt.Errorf("%w (MaxWork %d)", ErrWorkLimit, s.maxWork)
	}
	if s.work&255 == 0 {
		if err := s.ctx.Err(); err != nil {
			return fmt.Errorf("rdfc: %w", err)
		}
	}
	return nil
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

// issuer is an identifier issuer for temporary identifiers "b0", "b1", ...:
// order[i] is the node issued "b<i>".
type issuer struct {
	order []int32
	index map[int32]int32 // node -> number; nil while order is short
}

// issuerIndexMin is the size from which an issuer keeps an index map
// instead of searching order.
const issuerIndexMin = 16

func (is *issuer) lookup(n int32) (int32, bool) {
	if is.index != nil {
		id, ok := is.index[n]
		return id, ok
	}
	for i, m := range is.order {
		if m == n {
			return int32(i), true
		}
	}
	return 0, false
}

// issue returns the identifier number of n, issuing the next one if n has
// none.
func (is *issuer) issue(n int32) int32 {
	if id, ok := is.lookup(n); ok {
		return id
	}
	id := int32(len(is.order))
	is.order = append(is.order, n)
	switch {
	case is.index != nil:
		is.index[n] = id
	case len(is.order) >= issuerIndexMin:
		is.index = make(map[int32]int32, 2*len(is.order))
		for i, m := range is.order {
			is.index[m] = int32(i)
		}
	}
	return id
}

func (is *issuer) clone() *issuer {
	c := &issuer{order: make([]int32, len(is.order), len(is.order)+4)}
	copy(c.order, is.order)
	if is.index != nil {
		c.index = maps.Clone(is.index)
	}
	return c
}

// result builds the Result: the quads relabelled and sorted, and the
// issued identifiers map.
// nquads writes the canonical N-Quads document into s.out: every quad with
// its canonical labels, the lines in code point order. The result is s's
// until release.
func (s *state) nquads() []byte {
	size := 0
	for i := range s.quads {
		size += quadSizeHint(&s.quads[i])
	}
	buf := slices.Grow(s.buf[:0], size)
	spans := slices.Grow(s.spans[:0], len(s.quads))[:len(s.quads)]
	term := func(dst []byte, t *Term, id int32) []byte {
		if id >= 0 {
			return appendCanonLabel(dst, s.nodes[id].canon)
		}
		return appendTerm(dst, t)
	}
	for i := range s.quads {
		q, b := &s.quads[i], s.ids[i]
		start := len(buf)
		buf = term(buf, &q.Subject, b.s)
		buf = append(buf, ' ')
		buf = appendTerm(buf, &q.Predicate)
		buf = append(buf, ' ')
		buf = term(buf, &q.Object, b.o)
		if q.Graph.Kind != DefaultGraph {
			buf = append(buf, ' ')
			buf = term(buf, &q.Graph, b.g)
		}
		buf = append(buf, " .\n"...)
		spans[i] = span{start, len(buf)}
	}
	slices.SortFunc(spans, func(a, b span) int {
		return bytes.Compare(buf[a.start:a.end], buf[b.start:b.end])
	})
	out := slices.Grow(s.out[:0], len(buf))
	for _, sp := range spans {
		out = append(out, buf[sp.start:sp.end]...)
	}
	s.buf, s.spans, s.out = buf, spans, out
	return out
}

func (s *state) result() *Result {
	labels := make([]string, len(s.nodes))
	issued := make(map[string]string, len(s.nodes))
	var lb []byte
	for i := range s.nodes {
		lb = strconv.AppendInt(append(lb[:0], "c14n"...), int64(s.nodes[i].canon), 10)
		labels[i] = string(lb)
		issued[s.nodes[i].label] = labels[i]
	}
	relabel := func(q *Quad, b bnodes) {
		if b.s >= 0 {
			q.Subject.Value = labels[b.s]
		}
		if b.o >= 0 {
			q.Object.Value = labels[b.o]
		}
		if b.g >= 0 {
			q.Graph.Value = labels[b.g]
		}
	}

	size := 0
	for i := range s.quads {
		size += quadSizeHint(&s.quads[i])
	}
	if cap(s.buf) < size {
		s.buf = make([]byte, 0, size)
	}
	s.buf, s.spans = s.buf[:0], s.spans[:0]
	for i := range s.quads {
		q := s.quads[i]
		relabel(&q, s.ids[i])
		start := len(s.buf)
		s.buf = AppendQuad(s.buf, q)
		s.spans = append(s.spans, span{start, len(s.buf)})
	}
	// Sort the quads by their lines.
	idx := make([]int32, len(s.quads))
	for i := range idx {
		idx[i] = int32(i)
	}
	buf, spans := s.buf, s.spans
	slices.SortFunc(idx, func(a, b int32) int {
		return bytes.Compare(buf[spans[a].start:spans[a].end], buf[spans[b].start:spans[b].end])
	})
	out := make([]Quad, len(idx))
	for i, k := range idx {
		out[i] = s.quads[k]
		relabel(&out[i], s.ids[k])
	}
	return &Result{Quads: out, Issued: issued}
}
