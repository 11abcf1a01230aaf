package credential

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/go-openbadges/openbadges/internal/jsonobj"
)

// Limits applied by the Parse functions when ParseOptions leaves them zero.
const (
	// DefaultMaxBytes bounds the size of a document: 4 MiB leaves room for
	// images embedded as data URIs while refusing what no badge needs.
	DefaultMaxBytes = 4 << 20
	// DefaultMaxDepth bounds how deeply arrays and objects nest. The deepest
	// OB 3.0 structure (an endorsement of a profile inside an achievement
	// inside a credential) stays well below it.
	DefaultMaxDepth = 64
)

// Errors the Parse functions wrap (inside a *DecodeError) when a limit or a
// well-formedness rule is broken.
var (
	ErrTooLarge        = jsonobj.ErrTooLarge
	ErrTooDeep         = jsonobj.ErrTooDeep
	ErrDuplicateMember = jsonobj.ErrDuplicateMember
)

// ParseOptions bounds what a Parse function accepts. The zero value applies
// DefaultMaxBytes and DefaultMaxDepth; a nil *ParseOptions means the zero
// value.
type ParseOptions struct {
	MaxBytes int // largest document accepted, in bytes; zero means DefaultMaxBytes
	MaxDepth int // deepest nesting of arrays and objects; zero means DefaultMaxDepth
}

func (o *ParseOptions) limits() (maxBytes, maxDepth int) {
	maxBytes, maxDepth = DefaultMaxBytes, DefaultMaxDepth
	if o != nil && o.MaxBytes > 0 {
		maxBytes = o.MaxBytes
	}
	if o != nil && o.MaxDepth > 0 {
		maxDepth = o.MaxDepth
	}
	return maxBytes, maxDepth
}

// DecodeError reports why a document could not be decoded, and where.
type DecodeError struct {
	// Pointer locates the offending value (RFC 6901); "" is the whole
	// document.
	Pointer string
	// Err says what is wrong; it may wrap ErrTooLarge, ErrTooDeep,
	// ErrDuplicateMember or ErrMixedVersions.
	Err error
}

func (e *DecodeError) Error() string {
	if e.Pointer == "" {
		return "credential: " + e.Err.Error()
	}
	return "credential: " + e.Pointer + ": " + e.Err.Error()
}

func (e *DecodeError) Unwrap() error { return e.Err }

func decodeError(err error) error {
	var je *jsonobj.Error
	if errors.As(err, &je) {
		return &DecodeError{Pointer: je.Pointer, Err: je.Err}
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return &DecodeError{Err: fmt.Errorf("invalid JSON at byte %d: %w", se.Offset, err)}
	}
	return &DecodeError{Err: err}
}

// parse checks data against the limits (size, depth, UTF-8, duplicate
// members) in one pass, then decodes it into a new T.
func parse[T any, PT interface {
	*T
	json.Unmarshaler
}](data []byte, opts *ParseOptions) (*T, error) {
	maxBytes, maxDepth := opts.limits()
	if err := jsonobj.Scan(data, maxBytes, maxDepth); err != nil {
		return nil, decodeError(err)
	}
	v := PT(new(T))
	if err := v.UnmarshalJSON(data); err != nil {
		return nil, decodeError(err)
	}
	return v, nil
}

// ParseAchievementCredential decodes an AchievementCredential (or
// OpenBadgeCredential) from JSON in any form the spec allows. It does not
// check the rules of the data model (see Validate and Check) and does not
// verify proofs.
//
// Untrusted input should come through this function rather than
// json.Unmarshal: it bounds the document's size and depth, and refuses
// invalid UTF-8 and objects that name a member twice. Errors are
// *DecodeError.
func ParseAchievementCredential(data []byte, opts *ParseOptions) (*AchievementCredential, error) {
	return parse[AchievementCredential](data, opts)
}

// ParseEndorsementCredential decodes an EndorsementCredential, like
// ParseAchievementCredential. The result keeps data in Raw.
func ParseEndorsementCredential(data []byte, opts *ParseOptions) (*EndorsementCredential, error) {
	return parse[EndorsementCredential](data, opts)
}

// ParseVerifiableCredential decodes any verifiable credential, like
// ParseAchievementCredential; its credentialSubject and every other
// property the type does not model are kept in Extra.
func ParseVerifiableCredential(data []byte, opts *ParseOptions) (*VerifiableCredential, error) {
	return parse[VerifiableCredential](data, opts)
}

// ParseProfile decodes a Profile (an issuer's profile document), like
// ParseAchievementCredential.
func ParseProfile(data []byte, opts *ParseOptions) (*Profile, error) {
	return parse[Profile](data, opts)
}

// ReadDocument reads a whole document from r, refusing one larger than the
// size limit of opts without reading more than one byte past it.
func ReadDocument(r io.Reader, opts *ParseOptions) ([]byte, error) {
	maxBytes, _ := opts.limits()
	data, err := io.ReadAll(io.LimitReader(r, int64(maxBytes)+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxBytes {
		return nil, &DecodeError{Err: fmt.Errorf("%w: more than %d bytes", ErrTooLarge, maxBytes)}
	}
	return data, nil
}
