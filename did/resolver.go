package did

import (
	"maps"

	"github.com/go-openbadges/openbadges/fetch"
	"github.com/go-openbadges/openbadges/keys"
)

// Options configures the Chain NewResolver builds. The zero Options resolve
// did:key and did:jwk, offline.
type Options struct {
	// Fetcher fetches did:web DID documents and https documents. If nil,
	// nothing is fetched: did:web and https references that neither Store
	// nor Documents resolves fail with ErrNoFetcher.
	Fetcher fetch.Fetcher
	// Documents supplies documents offline, as a Map: keyed by the DID or
	// URL they are for. NewResolver copies the map, not the documents,
	// which must not be modified afterwards. If nil, there are none.
	Documents map[string][]byte
	// Store resolves the caller's own keys, as a StoreResolver. If nil,
	// there is none.
	Store keys.Store
}

// NewResolver returns the usual Chain: Key, JWK, then a StoreResolver if
// opts.Store is set and a Map if opts.Documents is, then Web and HTTP with
// opts.Fetcher. So a reference is resolved from the caller's store and
// documents before the network, and every key it resolves is bound to its
// controller (BindingSelf, BindingDocument or BindingLocal): an
// issuer#publicKeyMultibase reference resolves only when the issuer's
// document lists it, and a document that does not list it, or lists it
// with another key, stops the Chain (ErrNotListed, ErrInvalid). Fragment,
// which reads a key from the reference alone, is not in it.
//
// Without opts.Fetcher the Chain never touches the network.
func NewResolver(opts Options) Chain {
	c := Chain{Key{}, JWK{}}
	if opts.Store != nil {
		c = append(c, StoreResolver{Store: opts.Store})
	}
	if opts.Documents != nil {
		c = append(c, Map(maps.Clone(opts.Documents)))
	}
	return append(c, Web{Fetcher: opts.Fetcher}, HTTP{Fetcher: opts.Fetcher})
}
