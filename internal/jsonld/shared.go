package jsonld

import (
	"sync"

	"github.com/go-openbadges/openbadges/schema"
)

// maxSharedConverters bounds the Converters that ConverterFor keeps.
const maxSharedConverters = 16

// shared holds the Converters ConverterFor has made, by Loader, oldest
// first in order.
var shared struct {
	mu    sync.Mutex
	m     map[*schema.Loader]*Converter
	order []*schema.Loader
}

// ConverterFor returns the Converter of l shared by the whole process, so
// that the contexts processed with l are processed once, however many
// Signers and Verifiers use l: a Signer made for each document costs what
// a reused one does. At most maxSharedConverters are kept; the oldest is
// dropped for a new Loader beyond that (whoever holds it keeps using it).
// NewLoader returns the same Loader for the same options when they add no
// contexts and fetch nothing, so the usual Loaders hit.
func ConverterFor(l *schema.Loader) *Converter {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if c, ok := shared.m[l]; ok {
		return c
	}
	if shared.m == nil {
		shared.m = make(map[*schema.Loader]*Converter)
	}
	if len(shared.order) >= maxSharedConverters {
		delete(shared.m, shared.order[0])
		shared.order = append(shared.order[:0], shared.order[1:]...)
	}
	c := &Converter{Loader: l}
	shared.m[l] = c
	shared.order = append(shared.order, l)
	return c
}
