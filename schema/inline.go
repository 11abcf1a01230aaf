package schema

import (
	"errors"
	"fmt"
)

// Limits on the contexts a document writes inline, when the
// [LoaderOptions] fields are zero. They are far above what credentials use:
// the VCDM 2.0 and Open Badges 3.0.3 contexts written inline together take
// about 17 KiB and 240 term definitions.
const (
	// DefaultMaxInlineContextBytes bounds the size of a document's inline
	// contexts when [LoaderOptions].MaxInlineContextBytes is zero.
	DefaultMaxInlineContextBytes = 64 << 10
	// DefaultMaxInlineContextTerms bounds the term definitions of a
	// document's inline contexts when [LoaderOptions].MaxInlineContextTerms
	// is zero.
	DefaultMaxInlineContextTerms = 1000
)

// ErrInlineContextLimit is wrapped by the error for a document whose inline
// JSON-LD contexts are over a limit of the [Loader] that serves its
// contexts (see [LoaderOptions].MaxInlineContextBytes).
var ErrInlineContextLimit = errors.New("schema: inline JSON-LD contexts over the limit")

// An InlineContextError reports a document whose inline JSON-LD contexts
// are over [LoaderOptions].MaxInlineContextBytes or MaxInlineContextTerms.
// It wraps [ErrInlineContextLimit].
type InlineContextError struct {
	// Limit is the name of the LoaderOptions field whose limit was passed:
	// "MaxInlineContextBytes" or "MaxInlineContextTerms".
	Limit string
	// Max is the limit in force, and Size what the document's inline
	// contexts have: bytes or term definitions.
	Max, Size int
}

// Error implements the error interface.
func (e *InlineContextError) Error() string {
	unit := "bytes"
	if e.Limit == "MaxInlineContextTerms" {
		unit = "term definitions"
	}
	return fmt.Sprintf("schema: the document's inline JSON-LD contexts have %d %s, over the limit of %d; "+
		"to accept it, set a larger schema.LoaderOptions.%s (negative for no limit) in the Loader its contexts are read with",
		e.Size, unit, e.Max, e.Limit)
}

// Unwrap returns [ErrInlineContextLimit].
func (e *InlineContextError) Unwrap() error { return ErrInlineContextLimit }

// InlineContextLimits returns the limits on a document's inline contexts set
// by [LoaderOptions].MaxInlineContextBytes and MaxInlineContextTerms, with
// the defaults in place of zero; a negative value means no limit. A Loader
// serves contexts by URL and never sees a document: this module's JSON-LD
// processing (packages proof/dataintegrity, proof/jose, verify) asks the
// Loader it reads contexts with for these limits and applies them.
func (l *Loader) InlineContextLimits() (maxBytes, maxTerms int) {
	return l.maxInlineBytes, l.maxInlineTerms
}

// inlineLimit returns the limit that the option value v sets: def for
// zero, -1 (none) for a negative value.
func inlineLimit(v, def int) int {
	switch {
	case v == 0:
		return def
	case v < 0:
		return -1
	}
	return v
}
