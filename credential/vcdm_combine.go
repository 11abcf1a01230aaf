package credential

import (
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

// endorsements applies the credential rules to every endorsement
// credential inside v (OB 3.0's endorsement property, of credentials,
// achievements and profiles), each at its pointer. What is not an object
// there is the OB rules' to report.
func (m *dataModel) endorsements(ptr string, v any) {
	var path []string
	m.findEndorsements(ptr, &path, v)
}

// findEndorsements is endorsements with the pointer of v given as ptr and
// the tokens in path, joined only where an endorsement is found.
func (m *dataModel) findEndorsements(ptr string, path *[]string, v any) {
	switch v := v.(type) {
	case map[string]any:
		for k, child := range v {
			if k == "@context" {
				continue
			}
			*path = append(*path, k)
			if k == "endorsement" {
				p := joinPointer(ptr, *path)
				switch e := child.(type) {
				case map[string]any:
					m.document(p, e, kindCredential)
				case []any:
					for i, item := range e {
						if obj, ok := item.(map[string]any); ok {
							m.document(p+"/"+strconv.Itoa(i), obj, kindCredential)
						}
					}
				}
			}
			m.findEndorsements(ptr, path, child)
			*path = (*path)[:len(*path)-1]
		}
	case []any:
		for i, item := range v {
			*path = append(*path, strconv.Itoa(i))
			m.findEndorsements(ptr, path, item)
			*path = (*path)[:len(*path)-1]
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
