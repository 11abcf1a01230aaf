package dataintegrity

import (
	"bytes"
	"slices"
	"strconv"

	"github.com/go-openbadges/openbadges/internal/jsonobj"
)

// contextDataIntegrity is the JSON-LD context that defines a
// DataIntegrityProof's terms on their own. A Signer appends it to the
// @context of a document whose contexts do not define them (see
// Signer.KeepContext).
const contextDataIntegrity = "https://w3id.org/security/data-integrity/v2"

// quotedDataIntegrity is contextDataIntegrity as a JSON string.
var quotedDataIntegrity = strconv.Quote(contextDataIntegrity)

// definesProofTerms reports whether the top-level @context value ctx
// (present if has) names a context that defines the terms of a
// DataIntegrityProof: the VCDM 2.0 context or the Data Integrity context
// itself, as the value or as an element of it. It is the test
// digitalbazaar's DataIntegrityProof.ensureSuiteContext makes: an inline
// context, or another context that happens to define the terms, does not
// count.
func definesProofTerms(ctx any, has bool) bool {
	if !has {
		return false
	}
	named := func(v any) bool { return v == contextV2 || v == contextDataIntegrity }
	if l, ok := ctx.([]any); ok {
		return slices.ContainsFunc(l, named)
	}
	return named(ctx)
}

// withProofContext returns doc, parsed as d, with contextDataIntegrity
// appended to its @context, its bytes otherwise as they were: appended to
// an array; a single value becomes an array of it and the context; a
// document without @context (or with one that is null, false, 0 or "")
// gets a one-element array, as a last member. That is what
// jsonld-signatures does before signing (addSuiteContext), so that the
// output is the same as digitalbazaar's.
func withProofContext(doc []byte, d *document) []byte {
	t := d.tree
	c := t.Child(0, "@context")
	list := []byte("[" + quotedDataIntegrity + "]")
	if c < 0 {
		// No @context: a new last member, before the closing brace.
		at := len(bytes.TrimRight(doc[:d.closing], " \t\r\n"))
		sep := []byte(",")
		if doc[at-1] == '{' {
			sep = nil
		}
		return slices.Concat(doc[:at], sep, []byte(`"@context":`), list, doc[at:])
	}
	nd := &t.Nodes[c]
	start, stop := int(nd.Start), int(nd.Stop)
	switch {
	case nd.Kind == jsonobj.Array:
		inner := bytes.TrimRight(doc[start:stop-1], " \t\r\n")
		sep := []byte(",")
		if len(inner) == 1 { // only "["
			sep = nil
		}
		at := start + len(inner)
		return slices.Concat(doc[:at], sep, []byte(quotedDataIntegrity), doc[at:])
	case falsy(nd):
		return slices.Concat(doc[:start], list, doc[stop:])
	}
	return slices.Concat(doc[:start], []byte("["), doc[start:stop], []byte(","+quotedDataIntegrity+"]"), doc[stop:])
}

// falsy reports whether a JSON value is one JavaScript reads as false
// (null, false, 0, ""): jsonld-signatures replaces such a @context rather
// than keeping it beside the one it adds.
func falsy(nd *jsonobj.Node) bool {
	switch nd.Kind {
	case jsonobj.Null, jsonobj.False:
		return true
	case jsonobj.String:
		return nd.Str == ""
	case jsonobj.Number:
		f, err := strconv.ParseFloat(nd.Str, 64)
		return err == nil && f == 0
	}
	return false
}
