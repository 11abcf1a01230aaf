package dataintegrity

import (
	"bytes"
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sync"

	"github.com/piprate/json-gold/ld"

	"github.com/go-openbadges/openbadges/internal/jcs"
	"github.com/go-openbadges/openbadges/internal/jsonld"
	"github.com/go-openbadges/openbadges/internal/jsonobj"
	"github.com/go-openbadges/openbadges/internal/rdfc"
	"github.com/go-openbadges/openbadges/schema"
)

// Limits on the documents this package reads.
const (
	// DefaultMaxBytes bounds a document's size when Limits.MaxBytes is zero.
	DefaultMaxBytes = 4 << 20
	// DefaultMaxDepth bounds how deeply a document nests when
	// Limits.MaxDepth is zero.
	DefaultMaxDepth = 64
	// MaxProofs bounds the proofs of one document.
	MaxProofs = 32
)

// ErrMalformed is wrapped by the error of a document or proof that is not
// what a Data Integrity proof needs: not a JSON object, a proof that is not
// an object, a member of the wrong JSON type, a proofValue that does not
// decode.
var ErrMalformed = errors.New("dataintegrity: malformed document or proof")

// Limits bounds the work done on one document. The zero Limits use the
// defaults. The JSON-LD contexts a document writes inline, rather than
// naming by URL, are bounded by the Loader they are read with
// (schema.LoaderOptions.MaxInlineContextBytes and MaxInlineContextTerms):
// a document over those limits fails with an error wrapping
// schema.ErrInlineContextLimit.
type Limits struct {
	// MaxBytes bounds the document's size in bytes. If zero,
	// DefaultMaxBytes.
	MaxBytes int
	// MaxDepth bounds how deeply arrays and objects nest. If zero,
	// DefaultMaxDepth.
	MaxDepth int
	// MaxWork bounds RDFC-1.0 canonicalization work (see rdfc.Options); a
	// document that needs more, such as a poison graph built to make
	// canonicalization run for hours, fails with an error wrapping
	// ErrWorkLimit. If zero, the default bound, which no credential comes
	// near.
	MaxWork int
}

// ErrWorkLimit is wrapped by the error of a document whose canonicalization
// needs more work than Limits.MaxWork allows.
var ErrWorkLimit = rdfc.ErrWorkLimit

// trees are the parse trees of documents, kept from one document to the
// next by every Signer and Verifier: one made per call parses into a tree
// made before.
var trees jsonobj.Trees

// engine holds what signing and verifying share: the document loader and
// the limits.
type engine struct {
	limits Limits

	once   sync.Once
	loader ld.DocumentLoader
	conv   *jsonld.Converter
	err    error
}

// init sets the engine up once. Without a loader it builds the default one:
// for signing (published true) with the Open Badges 3.0.3 context as 1EdTech
// publishes it, so that nothing is signed with a term only the validator's
// larger copy defines (top-level jti and endorsementJwt), which verifiers
// using the published context would refuse; for verifying, with the larger
// copy, which reads everything the published one does the same way.
func (e *engine) init(loader *schema.Loader, limits Limits, published bool) {
	e.once.Do(func() {
		e.limits = limits
		if e.limits.MaxBytes <= 0 {
			e.limits.MaxBytes = DefaultMaxBytes
		}
		if e.limits.MaxDepth <= 0 {
			e.limits.MaxDepth = DefaultMaxDepth
		}
		if loader == nil {
			if loader, e.err = schema.NewLoader(schema.LoaderOptions{PublishedOB303: published}); e.err != nil {
				return
			}
		}
		e.loader = loader
		e.conv = jsonld.ConverterFor(loader)
	})
}

// document is a parsed JSON object with its proofs split off.
type document struct {
	// tree is the document as parsed; its root is node 0.
	tree *jsonobj.Tree
	// unsecuredMap is the document without its "proof" member, decoded
	// when first needed (see unsecured).
	unsecuredMap map[string]any
	// proofs are the members of "proof", in order.
	proofs []map[string]any
	// proofStart and proofEnd delimit the value of "proof" in the input
	// (both zero if it has none); closing is the offset of the closing
	// brace.
	proofStart, proofEnd, closing int
}

// unsecured returns the document without its "proof" member, decoded.
func (d *document) unsecured() map[string]any {
	if d.unsecuredMap == nil {
		d.unsecuredMap, _ = d.tree.Value(0).(map[string]any)
		delete(d.unsecuredMap, "proof")
	}
	return d.unsecuredMap
}

// get returns the top-level member name (not "proof"), decoded.
func (d *document) get(name string) (any, bool) {
	if d.unsecuredMap != nil {
		v, ok := d.unsecuredMap[name]
		return v, ok
	}
	c := d.tree.Child(0, name)
	if c < 0 || name == "proof" {
		return nil, false
	}
	return d.tree.Value(c), true
}

// parseDocument reads data, a JSON object, within the limits. The caller
// gives the document back with release once done with it.
func (e *engine) parseDocument(data []byte) (*document, error) {
	t := trees.Get()
	d := &document{tree: t}
	if e.conv != nil {
		t.Intern = e.conv.Interned()
	}
	if err := jsonobj.ParseTree(data, e.limits.MaxBytes, e.limits.MaxDepth, t); err != nil {
		e.release(d)
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	root := &t.Nodes[0]
	if root.Kind != jsonobj.Object {
		e.release(d)
		return nil, fmt.Errorf("%w: the document is not a JSON object", ErrMalformed)
	}
	d.closing = int(root.Stop) - 1
	if c := t.Child(0, "proof"); c >= 0 {
		nd := &t.Nodes[c]
		d.proofStart, d.proofEnd = int(nd.Start), int(nd.Stop)
		var list []any
		switch x := t.Value(c).(type) {
		case []any:
			list = x
		case map[string]any:
			list = []any{x}
		default:
			e.release(d)
			return nil, fmt.Errorf("%w: proof is neither an object nor an array of objects", ErrMalformed)
		}
		if len(list) > MaxProofs {
			e.release(d)
			return nil, fmt.Errorf("%w: %d proofs, over the limit of %d", ErrMalformed, len(list), MaxProofs)
		}
		for i, v := range list {
			p, ok := v.(map[string]any)
			if !ok {
				e.release(d)
				return nil, fmt.Errorf("%w: proof[%d] is not an object", ErrMalformed, i)
			}
			d.proofs = append(d.proofs, p)
		}
	}
	return d, nil
}

// release keeps d's tree for the next document; d must not be used after.
func (e *engine) release(d *document) {
	trees.Put(d.tree)
	d.tree = nil
}

// An input is the document a proof is made or checked over: the parsed
// document without its proofs, or a map (with previous proofs, or another
// context) built from it.
type input struct {
	d *document
	m map[string]any
}

// asMap returns the input decoded.
func (in input) asMap() map[string]any {
	if in.m != nil {
		return in.m
	}
	return in.d.unsecured()
}

// canonicalize returns the canonical form of the JSON-LD document doc for
// the suite: RDFC-1.0 N-Quads or JCS. h is the suite's hash, which RDFC-1.0
// also uses to label blank nodes (ecdsa-rdfc-2019 with P-384 canonicalizes
// with SHA-384).
func (e *engine) canonicalize(ctx context.Context, kind canonKind, h crypto.Hash, in input) ([]byte, error) {
	var buf bytes.Buffer
	if err := e.writeCanonical(ctx, &buf, kind, h, in); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeCanonical writes the canonical form of in to w (a hash, say): the
// parsed document (without its proofs) from its tree, a proof
// configuration as written by proofConfigQuads, anything else through the
// Converter.
func (e *engine) writeCanonical(ctx context.Context, w io.Writer, kind canonKind, h crypto.Hash, in input) error {
	if kind == canonJCS {
		raw, err := marshalJSON(in.asMap())
		if err != nil {
			return err
		}
		out, err := jcs.Transform(raw)
		if err != nil {
			return fmt.Errorf("dataintegrity: JCS: %w", err)
		}
		_, err = w.Write(out)
		return err
	}
	opts := rdfc.Options{Hash: h, MaxWork: e.limits.MaxWork}
	var err error
	if in.m == nil {
		err = e.conv.CanonicalTreeTo(ctx, w, in.d.tree, 0, "proof", opts)
	} else {
		var done bool
		done, err = e.conv.CanonicalBuiltTo(ctx, w, func(dst []rdfc.Quad) ([]rdfc.Quad, bool) { return proofConfigQuads(dst, in.m) }, opts)
		if err == nil && !done {
			err = e.conv.CanonicalTo(ctx, w, in.m, opts)
		}
	}
	if err != nil {
		if errors.Is(err, rdfc.ErrWorkLimit) {
			return fmt.Errorf("dataintegrity: RDFC-1.0: %w", err)
		}
		return fmt.Errorf("dataintegrity: %w", err)
	}
	return nil
}

// marshalJSON encodes v without HTML escaping.
func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("dataintegrity: %w", err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// Diagnostics are the intermediate values of one proof's check or creation:
// what was hashed, and the hashes. A verifier that reports a failed proof
// shows them so that a person can compare them with the signer's.
type Diagnostics struct {
	// CanonicalDocument is the document without its proof (with the
	// previous proofs of a chain), canonicalized: RDFC-1.0 N-Quads or JCS.
	CanonicalDocument []byte
	// CanonicalProof is the proof configuration (the proof without
	// proofValue, with the document's @context), canonicalized.
	CanonicalProof []byte
	// DocumentHash and ProofHash are their hashes (SHA-256, or SHA-384 for
	// P-384 keys).
	DocumentHash, ProofHash []byte
}

// hashOf returns the hash of doc's canonical form for the suite, without
// keeping the form.
func (e *engine) hashOf(ctx context.Context, kind canonKind, h crypto.Hash, in input) ([]byte, error) {
	hh := newHash(h)
	if err := e.writeCanonical(ctx, hh, kind, h, in); err != nil {
		return nil, err
	}
	return hh.Sum(nil), nil
}

// hashData returns proofHash ‖ documentHash, the bytes that are signed, of
// signing or verifying proofConfig over doc; with the diagnostics (the
// canonical forms) if wantDiag.
func (e *engine) hashData(ctx context.Context, s *suite, h crypto.Hash, doc input, proofConfig map[string]any, wantDiag bool) ([]byte, *Diagnostics, error) {
	if !wantDiag {
		docHash, err := e.hashOf(ctx, s.canon, h, doc)
		if err != nil {
			return nil, nil, err
		}
		proofHash, err := e.hashOf(ctx, s.canon, h, input{m: proofConfig})
		if err != nil {
			return nil, nil, fmt.Errorf("the proof configuration: %w", err)
		}
		return append(proofHash, docHash...), nil, nil
	}
	canonDoc, err := e.canonicalize(ctx, s.canon, h, doc)
	if err != nil {
		return nil, nil, err
	}
	canonProof, err := e.canonicalize(ctx, s.canon, h, input{m: proofConfig})
	if err != nil {
		return nil, nil, fmt.Errorf("the proof configuration: %w", err)
	}
	d := &Diagnostics{
		CanonicalDocument: canonDoc,
		CanonicalProof:    canonProof,
		DocumentHash:      digest(h, canonDoc),
		ProofHash:         digest(h, canonProof),
	}
	return append(bytes.Clone(d.ProofHash), d.DocumentHash...), d, nil
}

// proofConfig returns the proof without proofValue, with @context set to
// the context the document is read with.
func proofConfig(proof map[string]any, docContext any, hasContext bool) map[string]any {
	cfg := make(map[string]any, len(proof)+1)
	for k, v := range proof {
		if k != "proofValue" {
			cfg[k] = v
		}
	}
	if hasContext {
		cfg["@context"] = docContext
	} else {
		delete(cfg, "@context")
	}
	return cfg
}

// contextPrefix reports whether the list of contexts want starts the list
// of contexts have: what a proof's own @context must be of the document's.
func contextPrefix(want, have any) bool {
	w, h := asList(want), asList(have)
	if len(w) > len(h) {
		return false
	}
	for i := range w {
		if !reflect.DeepEqual(w[i], h[i]) {
			return false
		}
	}
	return true
}

func asList(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	return []any{v}
}
