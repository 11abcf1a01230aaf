package rdfc

import (
	"maps"
)

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
