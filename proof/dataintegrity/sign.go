package dataintegrity

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/go-openbadges/openbadges/did"
	"github.com/go-openbadges/openbadges/internal/base58"
	"github.com/go-openbadges/openbadges/schema"
)

// ErrNoContext is wrapped when a document to be signed with an RDFC suite
// has no @context and the Signer may not add one (Signer.KeepContext), so
// there is nothing to read it as JSON-LD with.
var ErrNoContext = errors.New("dataintegrity: the document has no @context")

// A Signer adds Data Integrity proofs to documents with one key. Set Key
// and VerificationMethod; the zero value of every other field is useful.
// A Signer is safe for concurrent use once its fields are set.
type Signer struct {
	// Key signs: an Ed25519 key for the EdDSA suites, a P-256 or P-384
	// key for the ECDSA ones. Any crypto.Signer will do, such as a key in a
	// KMS (keys.Key.Signer). A key that is also a keys.ContextSigner is
	// called with the context given to Sign, so its deadline reaches a
	// remote signer; a crypto.MessageSigner is given the bytes to sign
	// rather than their digest.
	Key crypto.Signer
	// VerificationMethod is the URL of the key that verifiers resolve:
	// "did:key:z6Mk…#z6Mk…", "did:web:example.edu#key-1",
	// "https://example.edu/issuers/1#z6Mk…".
	VerificationMethod string
	// Suite is the cryptosuite. If empty, EdDSARDFC2022 for an Ed25519 key
	// (what Open Badges 3.0 requires) and ECDSARDFC2019 for a P-256 or
	// P-384 key.
	Suite string
	// Loader serves JSON-LD contexts. If nil, the embedded contexts with
	// the Open Badges 3.0.3 context as 1EdTech publishes it
	// (schema.LoaderOptions.PublishedOB303), so that a credential using a
	// term only the 1EdTech validator's copy defines (a top-level jti or
	// endorsementJwt) is refused here rather than signed and then refused
	// by verifiers that use the published context.
	Loader *schema.Loader
	// Limits bounds the work on one document. The zero Limits use the
	// defaults.
	Limits Limits
	// ProofObject, when true, writes the proof of a document that had none
	// as a bare object, the form of the VC Data Model's examples and the
	// W3C test vectors. By default it is written as a one-element array,
	// which JSON-LD reads the same way and which the Open Badges 3.0 JSON
	// Schema requires.
	ProofObject bool
	// Check, when true, verifies every proof right after making it, with
	// the key itself as the verification method's key: a signer that
	// returns bad signatures (a faulty HSM) is caught before anything is
	// handed out.
	Check bool
	// KeepContext, when true, leaves the document's @context as it is.
	// By default Sign appends https://w3id.org/security/data-integrity/v2
	// to the @context of a document that names neither it nor
	// https://www.w3.org/ns/credentials/v2 (a VCDM 1.1 credential, whose
	// context does not define the proof's terms), as the Data Integrity
	// specification says a signer should (its section Context Injection) and
	// digitalbazaar's jsonld-signatures does (its addSuiteContext). With
	// KeepContext such a document is refused by the RDFC suites in JSON-LD
	// safe mode, and one without @context with ErrNoContext.
	KeepContext bool

	engine engine
}

// ProofOptions are the members of one proof that vary per signature. The
// zero ProofOptions make an assertionMethod proof created now.
type ProofOptions struct {
	// Created is the proof's created time, written in UTC to the second.
	// If zero, the current time.
	Created time.Time
	// Expires, if not zero, is written as the proof's expires.
	Expires time.Time
	// ID, if set, is the proof's id, for later proofs of a chain to name.
	ID string
	// PreviousProof, if set, makes the proof part of a chain: it signs
	// over the document together with the proofs of these ids, which the
	// document must already carry.
	PreviousProof []string
	// Purpose is the proofPurpose. If empty, "assertionMethod".
	Purpose string
	// Domain, Challenge and Nonce, if set, are written into the proof.
	Domain           []string
	Challenge, Nonce string
}

// Sign returns doc with one more proof. doc is a JSON object as the caller
// holds it; the proof is spliced into its bytes, which are otherwise left
// exactly as they were: a document that already carries proofs (a proof
// set or chain) is never re-encoded. A document without a proof gets a
// "proof" member holding an array of the new proof (or the bare object, see
// ProofObject); one with a proof object gets an array of the two; one with
// an array gets the new proof appended. The one other change is to the
// @context of a document whose contexts do not define the proof's terms:
// the Data Integrity context is appended to it (see KeepContext), and the
// proof is made over the document with it.
//
// The document must satisfy JSON-LD safe mode for the RDFC suites (see
// Verifier.Verify); an error wrapping ErrSafeMode says what is undefined.
func (s *Signer) Sign(ctx context.Context, doc []byte, opts *ProofOptions) ([]byte, error) {
	out, _, err := s.sign(ctx, doc, opts, false)
	return out, err
}

// suite returns the Signer's suite for its key's public key pub.
func (s *Signer) suite(pub crypto.PublicKey) (*suite, error) {
	name := s.Suite
	if name == "" {
		switch pub.(type) {
		case ed25519.PublicKey:
			name = EdDSARDFC2022
		case *ecdsa.PublicKey:
			name = ECDSARDFC2019
		default:
			return nil, fmt.Errorf("%w: %T", ErrKeyType, pub)
		}
	}
	st, err := suiteFor(TypeDataIntegrityProof, name)
	if err != nil {
		return nil, err
	}
	if !st.signOK {
		return nil, fmt.Errorf("%w: %s is verified only; sign with %s", ErrUnsupportedSuite, name, EdDSARDFC2022)
	}
	return st, nil
}

// sign is Sign that also returns the diagnostics, if wantDiag.
func (s *Signer) sign(ctx context.Context, doc []byte, opts *ProofOptions, wantDiag bool) ([]byte, *Diagnostics, error) {
	if opts == nil {
		opts = &ProofOptions{}
	}
	if s.Key == nil {
		return nil, nil, errors.New("dataintegrity: Signer has no Key")
	}
	// The public key is read once: crypto.Signer implementations may
	// copy it (ed25519 does) or fetch it (a KMS).
	pub := s.Key.Public()
	st, err := s.suite(pub)
	if err != nil {
		return nil, nil, err
	}
	if s.VerificationMethod == "" {
		return nil, nil, errors.New("dataintegrity: Signer has no VerificationMethod")
	}
	h, err := st.hashFor(pub)
	if err != nil {
		return nil, nil, err
	}
	s.engine.init(s.Loader, s.Limits, true)
	if s.engine.err != nil {
		return nil, nil, s.engine.err
	}
	d, err := s.engine.parseDocument(doc)
	if err != nil {
		return nil, nil, err
	}
	defer func() {
		if d != nil {
			s.engine.release(d)
		}
	}()
	docCtx, hasCtx := d.get("@context")
	if !s.KeepContext && !definesProofTerms(docCtx, hasCtx) {
		doc = withProofContext(doc, d)
		s.engine.release(d)
		if d, err = s.engine.parseDocument(doc); err != nil {
			return nil, nil, err
		}
		docCtx, hasCtx = d.get("@context")
	}
	if !hasCtx && st.canon == canonRDFC {
		return nil, nil, ErrNoContext
	}
	if opts.ID != "" && slices.ContainsFunc(d.proofs, func(m map[string]any) bool { return m["id"] == opts.ID }) {
		return nil, nil, fmt.Errorf("dataintegrity: the document already has a proof with id %q", opts.ID)
	}
	in := input{d: d}
	if len(opts.PreviousProof) > 0 {
		var previous []any
		for _, id := range opts.PreviousProof {
			j := slices.IndexFunc(d.proofs, func(m map[string]any) bool { return m["id"] == id })
			if j < 0 {
				return nil, nil, fmt.Errorf("%w: %q", ErrPreviousProof, id)
			}
			previous = append(previous, d.proofs[j])
		}
		in.m = shallowWith(d.unsecured(), "proof", previous)
	}

	created := opts.Created
	if created.IsZero() {
		created = time.Now()
	}
	p := &proofJSON{
		ID:                 opts.ID,
		Type:               TypeDataIntegrityProof,
		Cryptosuite:        st.cryptosuite,
		Created:            created.UTC().Truncate(time.Second).Format(time.RFC3339),
		VerificationMethod: s.VerificationMethod,
		ProofPurpose:       opts.Purpose,
		Challenge:          opts.Challenge,
		Nonce:              opts.Nonce,
	}
	if p.ProofPurpose == "" {
		p.ProofPurpose = did.AssertionMethod
	}
	if !opts.Expires.IsZero() {
		p.Expires = opts.Expires.UTC().Truncate(time.Second).Format(time.RFC3339)
	}
	p.PreviousProof = oneOrMany(opts.PreviousProof)
	p.Domain = oneOrMany(opts.Domain)
	if st.canon == canonJCS && hasCtx {
		// The JCS suites sign the proof with the document's context in it,
		// and keep it there (vc-di-eddsa §3.3.5).
		p.Context = docCtx
	}
	m, err := p.asMap()
	if err != nil {
		return nil, nil, err
	}
	hashData, diag, err := s.engine.hashData(ctx, st, h, in, proofConfig(m, docCtx, hasCtx), wantDiag)
	if err != nil {
		return nil, nil, err
	}
	sig, err := sign(ctx, s.Key, pub, h, hashData)
	if err != nil {
		return nil, nil, err
	}
	if s.Check && !verifySignature(pub, h, hashData, sig) {
		return nil, nil, fmt.Errorf("%w: the key's own signature does not verify; the signer is faulty", ErrSignature)
	}
	p.ProofValue = "z" + base58.Encode(sig)
	raw, err := marshalJSON(p)
	if err != nil {
		return nil, nil, err
	}
	return insertProof(doc, d, raw, !s.ProofObject), diag, nil
}

// insertProof splices proof into the top-level "proof" member of doc, as
// parseDocument read it into d. A document without proofs gets a
// one-element array if asArray, else the bare object.
func insertProof(doc []byte, d *document, proof []byte, asArray bool) []byte {
	if d.proofEnd > 0 {
		raw := doc[d.proofStart:d.proofEnd]
		if raw[0] == '{' {
			return slices.Concat(doc[:d.proofStart], []byte("["), raw, []byte(","), proof, []byte("]"), doc[d.proofEnd:])
		}
		// An array: the new proof goes after the last element.
		inner := bytes.TrimRight(raw[:len(raw)-1], " \t\r\n")
		at := d.proofStart + len(inner)
		sep := []byte(",")
		if len(inner) == 1 { // only "["
			sep = nil
		}
		return slices.Concat(doc[:at], sep, proof, doc[at:])
	}
	// No proof yet: add the member before the closing brace, after the
	// last member.
	at := len(bytes.TrimRight(doc[:d.closing], " \t\r\n"))
	sep := []byte(",")
	if doc[at-1] == '{' {
		sep = nil
	}
	if asArray {
		return slices.Concat(doc[:at], sep, []byte(`"proof":[`), proof, []byte("]"), doc[at:])
	}
	return slices.Concat(doc[:at], sep, []byte(`"proof":`), proof, doc[at:])
}

// oneOrMany returns nil for no strings, the string for one, all of them
// for several: how proofs write previousProof and domain.
func oneOrMany(ss []string) any {
	switch len(ss) {
	case 0:
		return nil
	case 1:
		return ss[0]
	}
	return ss
}
