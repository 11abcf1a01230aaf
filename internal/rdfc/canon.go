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
