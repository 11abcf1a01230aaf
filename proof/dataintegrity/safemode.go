package dataintegrity

import "github.com/go-openbadges/openbadges/internal/jsonld"

// ErrSafeMode is wrapped by the error of a document that JSON-LD safe mode
// refuses: something in it would be silently dropped or changed by the
// conversion to RDF, and so would not be covered by the signature.
var ErrSafeMode = jsonld.ErrSafeMode

// A SafeModeError says what JSON-LD safe mode refused and where: Path
// locates the fault (a JSON pointer into the document where it is known,
// otherwise the IRI or term concerned) and Reason says what is wrong.
type SafeModeError = jsonld.SafeModeError
