package credential

import (
	"strconv"

	"github.com/go-openbadges/openbadges/internal/jsonobj"
)

// A jnode is one value of a parsed document, read in place in its Tree:
// the data model rules read the tree the JSON Schema is checked on,
// without a map or a slice per object.
type jnode struct {
	t *jsonobj.Tree
	i int
}

func (n jnode) kind() jsonobj.Kind { return n.t.Nodes[n.i].Kind }
func (n jnode) isObject() bool     { return n.kind() == jsonobj.Object }
func (n jnode) isArray() bool      { return n.kind() == jsonobj.Array }

// str returns the value of a string.
func (n jnode) str() (string, bool) {
	nd := &n.t.Nodes[n.i]
	return nd.Str, nd.Kind == jsonobj.String
}

// isString reports whether n is the string s.
func (n jnode) isString(s string) bool {
	v, ok := n.str()
	return ok && v == s
}

// get returns the member name of an object.
func (n jnode) get(name string) (jnode, bool) {
	if !n.isObject() {
		return jnode{}, false
	}
	c := n.t.Child(n.i, name)
	if c < 0 {
		return jnode{}, false
	}
	return jnode{n.t, c}, true
}

// empty reports whether a container has no members or elements.
func (n jnode) empty() bool { return int(n.t.Nodes[n.i].End) == n.i+1 }

// first returns the first member or element of a container; it is past
// the container's end (see in) when there is none.
func (n jnode) first() jnode { return jnode{n.t, n.i + 1} }

// next returns the member or element after c in its container.
func (c jnode) next() jnode { return jnode{c.t, int(c.t.Nodes[c.i].End)} }

// in reports whether c is a member or element of the container n.
func (c jnode) in(n jnode) bool { return c.i < int(n.t.Nodes[n.i].End) }

// key returns the member name of c.
func (c jnode) key() string { return c.t.Nodes[c.i].Key }

// eachOne calls fn with each element of an array and its index, or with
// n itself and -1: a value written once or as an array. fn does not
// escape, so neither does what it captures.
func (n jnode) eachOne(fn func(i int, item jnode)) {
	if !n.isArray() {
		fn(-1, n)
		return
	}
	i := 0
	for c := n.first(); c.in(n); c = c.next() {
		fn(i, c)
		i++
	}
}

// pointerAt returns the pointer of the item eachOne gives with index i,
// for a value at p.
func pointerAt(p string, i int) string {
	if i < 0 {
		return p
	}
	return p + "/" + strconv.Itoa(i)
}

// describe names the kind of a value, for messages.
func (n jnode) describe() string {
	switch nd := &n.t.Nodes[n.i]; nd.Kind {
	case jsonobj.Null:
		return "null"
	case jsonobj.String:
		return strconv.Quote(nd.Str)
	case jsonobj.True, jsonobj.False:
		return "a boolean"
	case jsonobj.Array:
		if n.empty() {
			return "an empty array"
		}
		return "an array"
	case jsonobj.Object:
		return "an object"
	}
	return "a number"
}

// describeValue is describe, with numbers shown.
func (n jnode) describeValue() string {
	if nd := &n.t.Nodes[n.i]; nd.Kind == jsonobj.Number {
		return nd.Str
	}
	return n.describe()
}

// typeNames returns the type names of a type value: one non-empty string,
// or a non-empty array of them.
func (n jnode) typeNames() ([]string, bool) {
	if s, ok := n.str(); ok {
		return []string{s}, s != ""
	}
	if !n.isArray() {
		return nil, false
	}
	var out []string
	for c := n.first(); c.in(n); c = c.next() {
		s, ok := c.str()
		if !ok || s == "" {
			return nil, false
		}
		out = append(out, s)
	}
	return out, len(out) > 0
}

// hasTypeName reports whether a type value is valid and names class,
// without collecting the names.
func (n jnode) hasTypeName(class string) bool {
	if s, ok := n.str(); ok {
		return s == class
	}
	if !n.isArray() {
		return false
	}
	found := false
	for c := n.first(); c.in(n); c = c.next() {
		s, ok := c.str()
		if !ok || s == "" {
			return false
		}
		found = found || s == class
	}
	return found
}
