package jsonobj

import (
	"encoding/json"
	"fmt"
	"sync"
	"unicode/utf8"
)

// A Kind is the JSON type of a Node.
type Kind uint8

// The kinds of Node.
const (
	Null Kind = iota
	False
	True
	Number
	String
	Array
	Object
)

// A Tree is a JSON value parsed into one slice of nodes in document order,
// each container followed by its members or elements: what Parse gives,
// without a map, a slice or an interface value per node. A Tree is reused
// from one ParseTree to the next, so that reading many documents allocates
// little more than their strings. The zero Tree is empty.
type Tree struct {
	Nodes []Node
	// Intern, if not nil, holds strings (member names, say) that
	// ParseTree uses instead of allocating a copy of each occurrence. It
	// is only read.
	Intern map[string]string
	// seen holds member names while an object with many members is read.
	seen map[string]struct{}
}

// A Node is one value of a Tree.
type Node struct {
	// Key is the member name, for the value of an object's member.
	Key string
	// Str is the value of a String and the text of a Number.
	Str  string
	Kind Kind
	// End is the index of the node after this one's subtree: its next
	// sibling, if it has one. A container's members or elements are the
	// nodes from its index plus one up to End, each found from the one
	// before by its End.
	End int32
	// Start and Stop delimit the value's bytes in the input.
	Start, Stop int32
}

// maxTreeBytes bounds what ParseTree reads, so that node offsets fit in
// an int32.
const maxTreeBytes = 1 << 30

// ParseTree parses data into t, as Parse would (the same limits, the same
// errors), replacing what t held. The root is t.Nodes[0].
func ParseTree(data []byte, maxBytes, maxDepth int, t *Tree) error {
	t.Nodes = t.Nodes[:0]
	p := treeParser{parser: parser{data: data, maxDepth: maxDepth, intern: t.Intern}, t: t}
	if len(data) <= maxBytes && len(data) <= maxTreeBytes && utf8.Valid(data) {
		p.skipSpace()
		if p.value(0) {
			p.skipSpace()
			if p.i == len(data) {
				return nil
			}
		}
	}
	t.Nodes = t.Nodes[:0]
	return p.explain(maxBytes)
}

type treeParser struct {
	parser
	t *Tree
}

// add appends a node for the value starting at p.i and returns its index.
func (p *treeParser) add(kind Kind, key string) int {
	p.t.Nodes = append(p.t.Nodes, Node{Key: key, Kind: kind, Start: int32(p.i)})
	return len(p.t.Nodes) - 1
}

func (p *treeParser) done(n int) {
	nd := &p.t.Nodes[n]
	nd.End, nd.Stop = int32(len(p.t.Nodes)), int32(p.i)
}

// member reads one value at p.i as the value of the member key ("" for an
// element of an array or the root).
func (p *treeParser) member(depth int, key string) bool {
	if p.i >= len(p.data) {
		return false
	}
	n := -1
	switch c := p.data[p.i]; {
	case c == '{':
		return p.object(depth, key)
	case c == '[':
		return p.array(depth, key)
	case c == '"':
		n = p.add(String, key)
		s, ok := p.string()
		if !ok {
			return false
		}
		p.t.Nodes[n].Str = s
	case c == 't':
		n = p.add(True, key)
		if !p.literal("true") {
			return false
		}
	case c == 'f':
		n = p.add(False, key)
		if !p.literal("false") {
			return false
		}
	case c == 'n':
		n = p.add(Null, key)
		if !p.literal("null") {
			return false
		}
	case c == '-' || c >= '0' && c <= '9':
		n = p.add(Number, key)
		v, ok := p.number()
		if !ok {
			return false
		}
		p.t.Nodes[n].Str = v
	default:
		return false
	}
	p.done(n)
	return true
}

func (p *treeParser) value(depth int) bool { return p.member(depth, "") }

func (p *treeParser) object(depth int, key string) bool {
	if depth >= p.maxDepth {
		return false
	}
	n := p.add(Object, key)
	p.i++ // {
	p.skipSpace()
	if p.i < len(p.data) && p.data[p.i] == '}' {
		p.i++
		p.done(n)
		return true
	}
	count := 0
	useSeen := false
	for {
		if p.i >= len(p.data) || p.data[p.i] != '"' {
			return false
		}
		name, ok := p.string()
		if !ok || p.duplicate(n, name, count, &useSeen) {
			return false
		}
		count++
		p.skipSpace()
		if p.i >= len(p.data) || p.data[p.i] != ':' {
			return false
		}
		p.i++
		p.skipSpace()
		if !p.member(depth+1, name) {
			return false
		}
		p.skipSpace()
		if p.i >= len(p.data) {
			return false
		}
		switch p.data[p.i] {
		case ',':
			p.i++
			p.skipSpace()
		case '}':
			p.i++
			p.done(n)
			return true
		default:
			return false
		}
	}
}

// duplicate reports whether the object at n already has a member name,
// given the count it has so far: by looking at the members for a few, by
// a set for many.
func (p *treeParser) duplicate(n int, name string, count int, useSeen *bool) bool {
	if !*useSeen && count < 16 {
		nodes := p.t.Nodes
		for c := n + 1; c < len(nodes); c = int(nodes[c].End) {
			if nodes[c].Key == name {
				return true
			}
		}
		return false
	}
	if !*useSeen {
		*useSeen = true
		if p.t.seen == nil {
			p.t.seen = make(map[string]struct{})
		}
		clear(p.t.seen)
		nodes := p.t.Nodes
		for c := n + 1; c < len(nodes); c = int(nodes[c].End) {
			p.t.seen[nodes[c].Key] = struct{}{}
		}
	}
	if _, dup := p.t.seen[name]; dup {
		return true
	}
	p.t.seen[name] = struct{}{}
	return false
}

func (p *treeParser) array(depth int, key string) bool {
	if depth >= p.maxDepth {
		return false
	}
	n := p.add(Array, key)
	p.i++ // [
	p.skipSpace()
	if p.i < len(p.data) && p.data[p.i] == ']' {
		p.i++
		p.done(n)
		return true
	}
	for {
		if !p.value(depth + 1) {
			return false
		}
		p.skipSpace()
		if p.i >= len(p.data) {
			return false
		}
		switch p.data[p.i] {
		case ',':
			p.i++
			p.skipSpace()
		case ']':
			p.i++
			p.done(n)
			return true
		default:
			return false
		}
	}
}

// Child returns the index of the member name of the object at n, or -1.
func (t *Tree) Child(n int, name string) int {
	for c := n + 1; c < int(t.Nodes[n].End); c = int(t.Nodes[c].End) {
		if t.Nodes[c].Key == name {
			return c
		}
	}
	return -1
}

// Len returns the number of members or elements of the container at n.
func (t *Tree) Len(n int) int {
	k := 0
	for c := n + 1; c < int(t.Nodes[n].End); c = int(t.Nodes[c].End) {
		k++
	}
	return k
}

// Value returns the node at n decoded as Parse decodes it: maps, slices,
// json.Number, strings, booleans and nil.
func (t *Tree) Value(n int) any {
	nd := &t.Nodes[n]
	switch nd.Kind {
	case Null:
		return nil
	case False:
		return false
	case True:
		return true
	case Number:
		return json.Number(nd.Str)
	case String:
		return nd.Str
	case Array:
		list := make([]any, 0, t.Len(n))
		for c := n + 1; c < int(nd.End); c = int(t.Nodes[c].End) {
			list = append(list, t.Value(c))
		}
		return list
	}
	m := make(map[string]any, t.Len(n))
	for c := n + 1; c < int(nd.End); c = int(t.Nodes[c].End) {
		m[t.Nodes[c].Key] = t.Value(c)
	}
	return m
}

// SetValue replaces what t holds with v, a value as Parse decodes it (or
// built of maps, slices, strings, booleans, json.Number, float64 and nil),
// so that a document held as a map can be read as a Tree. Members come in
// no particular order; the nodes have no byte offsets. A value of another
// type is an error.
func (t *Tree) SetValue(v any) error {
	t.Nodes = t.Nodes[:0]
	return t.add(v, "")
}

func (t *Tree) add(v any, key string) error {
	n := len(t.Nodes)
	t.Nodes = append(t.Nodes, Node{Key: key})
	nd := func() *Node { return &t.Nodes[n] }
	switch x := v.(type) {
	case nil:
		nd().Kind = Null
	case bool:
		nd().Kind = False
		if x {
			nd().Kind = True
		}
	case json.Number:
		nd().Kind, nd().Str = Number, string(x)
	case float64:
		b, err := json.Marshal(x)
		if err != nil {
			return err
		}
		nd().Kind, nd().Str = Number, string(b)
	case string:
		nd().Kind, nd().Str = String, x
	case []any:
		nd().Kind = Array
		for _, e := range x {
			if err := t.add(e, ""); err != nil {
				return err
			}
		}
	case map[string]any:
		nd().Kind = Object
		for k, e := range x {
			if err := t.add(e, k); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("jsonobj: a value of type %T is not JSON", v)
	}
	nd().End = int32(len(t.Nodes))
	return nil
}

// Trees is a free list of Trees, for a long-lived reader (a signer, a
// verifier) that parses one document after another: Get one, parse into
// it, Put it back. It is a sync.Pool: each core takes back the Trees it put,
// whose memory is still in its cache, without a lock shared between cores
// (a channel measured about 5% slower per credential on 2 cores). A Tree
// the pool drops after two garbage collections without use is simply made
// again. The zero value is ready to use; it is safe for concurrent use and
// must not be copied.
type Trees struct {
	pool sync.Pool
}

// maxKeptNodes bounds the nodes of a Tree that Put keeps.
const maxKeptNodes = 1 << 16

// Get returns a Tree from the list, or a new one.
func (f *Trees) Get() *Tree {
	if t, ok := f.pool.Get().(*Tree); ok {
		return t
	}
	return &Tree{Nodes: make([]Node, 0, 256)}
}

// Put wipes t (nodes and Intern) and keeps it, unless t has grown very
// large. t must not be used after.
func (f *Trees) Put(t *Tree) {
	if t == nil || cap(t.Nodes) > maxKeptNodes {
		return
	}
	clear(t.Nodes)
	t.Nodes, t.Intern = t.Nodes[:0], nil
	f.pool.Put(t)
}
