package did

import (
	"context"
	"fmt"
	"strings"
)

// A Map resolves references offline from documents the caller supplies,
// keyed by the DID or URL they are for (without a fragment):
// "did:web:example.edu" for a did:web's DID document,
// "https://example.edu/issuers/1" for an issuer's controller document. A
// DID's document must be a DID document; a URL's may take any form HTTP
// reads. Each is checked as Web and HTTP check what they fetch, and gives
// BindingDocument: the caller vouches that the document is the
// controller's.
//
// Documents are parsed on each Resolve and bounded by MaxDocumentSize. A
// Map must not be modified while it is in use; reading it is safe for
// concurrent use. The nil Map holds nothing.
type Map map[string][]byte

var _ Resolver = Map(nil)

// Resolve implements Resolver. A reference for which the Map holds no
// document is ErrNoMethod; one whose document does not list the method is
// ErrNotListed, which stops a Chain: the caller's document is the
// controller's word.
func (m Map) Resolve(ctx context.Context, ref string) (*VerificationMethod, error) {
	if err := checkLen(ref); err != nil {
		return nil, err
	}
	src := newSource(ref, strings.HasPrefix(ref, "did:"))
	body, ok := m[src.base]
	if !ok {
		return nil, fmt.Errorf("%w: no document for %s in the map", ErrNoMethod, quote(src.base))
	}
	if src.didOnly {
		if _, err := parseDIDURL(ref); err != nil {
			return nil, err
		}
	} else if err := checkChars(ref); err != nil {
		return nil, err
	}
	return resolveDocument(src, body)
}
