package credential

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// joinPointer returns the JSON pointer ptr followed by the tokens path.
func joinPointer(ptr string, path []string) string {
	var b strings.Builder
	b.WriteString(ptr)
	for _, tok := range path {
		b.WriteByte('/')
		b.WriteString(escapePointer(tok))
	}
	return b.String()
}

// endorsements is endorsementsAt for a value decoded into maps, read as
// a Tree.
func (m *dataModel) endorsements(ptr string, v any) {
	t := trees.Get()
	defer trees.Put(t)
	if err := t.SetValue(v); err != nil {
		m.err = fmt.Errorf("credential: %w", err)
		return
	}
	m.endorsementsAt(ptr, jnode{t, 0})
}

// endorsementsAt applies the credential rules to every endorsement
// credential inside v (OB 3.0's endorsement property, of credentials,
// achievements and profiles), each at its pointer. What is not an object
// there is the OB rules' to report.
func (m *dataModel) endorsementsAt(ptr string, v jnode) {
	var path []string
	m.findEndorsements(ptr, &path, v)
}

// findEndorsements is endorsementsAt with the pointer of v given as ptr
// and the tokens in path, joined only where an endorsement is found.
func (m *dataModel) findEndorsements(ptr string, path *[]string, v jnode) {
	switch {
	case v.isObject():
		for child := v.first(); child.in(v); child = child.next() {
			k := child.key()
			if k == "@context" {
				continue
			}
			*path = append(*path, k)
			if k == "endorsement" {
				p := joinPointer(ptr, *path)
				switch {
				case child.isObject():
					m.documentAt(p, child, kindCredential)
				case child.isArray():
					i := 0
					for item := child.first(); item.in(child); item = item.next() {
						if item.isObject() {
							m.documentAt(p+"/"+strconv.Itoa(i), item, kindCredential)
						}
						i++
					}
				}
			}
			m.findEndorsements(ptr, path, child)
			*path = (*path)[:len(*path)-1]
		}
	case v.isArray():
		i := 0
		for item := v.first(); item.in(v); item = item.next() {
			*path = append(*path, strconv.Itoa(i))
			m.findEndorsements(ptr, path, item)
			*path = (*path)[:len(*path)-1]
			i++
		}
	}
}

// notWithin returns the problems of add that no error of have already
// reports: those at neither the place of one of them nor inside it.
func notWithin(add, have []Problem) []Problem {
	var out []Problem
	for _, p := range add {
		if !slices.ContainsFunc(have, func(h Problem) bool { return h.Severity == SeverityError && within(p.Pointer, h.Pointer) }) {
			out = append(out, p)
		}
	}
	return out
}

// documentPointer returns ptr as it points into doc. The OB rules see a
// single value written where an array of them may be (a credentialStatus
// object, an endorsementJwt string) as an array of one, and point into it
// with an index ("/credentialStatus/0/type"); in doc that is
// "/credentialStatus/type".
func documentPointer(doc any, ptr string) string {
	if ptr == "" {
		return ptr
	}
	var b strings.Builder
	node, found := doc, true
	for _, seg := range strings.Split(ptr[1:], "/") {
		if !found {
			b.WriteString("/" + seg)
			continue
		}
		switch n := node.(type) {
		case []any:
			i, err := strconv.Atoi(seg)
			found = err == nil && i >= 0 && i < len(n)
			if found {
				node = n[i]
			}
		case map[string]any:
			key := seg
			if strings.Contains(seg, "~") {
				key = strings.NewReplacer("~1", "/", "~0", "~").Replace(seg)
			}
			if _, ok := n[key]; !ok && seg == "0" {
				continue // the array of one that is not there
			}
			node, found = n[key]
		default:
			if seg == "0" {
				continue
			}
			found = false
		}
		b.WriteString("/" + seg)
	}
	return b.String()
}

// nodePointer is documentPointer for a document read as a Tree.
func nodePointer(doc jnode, ptr string) string {
	if ptr == "" {
		return ptr
	}
	var b strings.Builder
	node, found := doc, true
	for seg := range strings.SplitSeq(ptr[1:], "/") {
		if !found {
			b.WriteString("/" + seg)
			continue
		}
		switch {
		case node.isArray():
			i, err := strconv.Atoi(seg)
			found = false
			if err == nil && i >= 0 {
				k := 0
				for c := node.first(); c.in(node); c = c.next() {
					if k == i {
						node, found = c, true
						break
					}
					k++
				}
			}
		case node.isObject():
			key := seg
			if strings.Contains(seg, "~") {
				key = strings.NewReplacer("~1", "/", "~0", "~").Replace(seg)
			}
			next, ok := node.get(key)
			if !ok && seg == "0" {
				continue // the array of one that is not there
			}
			node, found = next, ok
		default:
			if seg == "0" {
				continue
			}
			found = false
		}
		b.WriteString("/" + seg)
	}
	return b.String()
}
