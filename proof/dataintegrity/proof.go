package dataintegrity

import (
	"fmt"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/internal/base58"
)

// A Proof is what one embedded proof says, read from the document as
// received. Its members are copied out for reading; signing and verifying
// never encode a Proof back to JSON.
type Proof struct {
	// ID is the proof's id, which proof chains refer to; often empty.
	ID string
	// Type is "DataIntegrityProof" or "Ed25519Signature2020".
	Type string
	// Cryptosuite names the suite of a DataIntegrityProof.
	Cryptosuite string
	// Created is when the proof was made, as written (an XML Schema
	// dateTime); it may be empty.
	Created string
	// Expires is when the proof stops being valid, as written; often empty.
	Expires string
	// VerificationMethod is the URL of the key that made the proof.
	VerificationMethod string
	// ProofPurpose is why it was made: "assertionMethod" for a credential.
	ProofPurpose string
	// PreviousProof lists the ids of the proofs this one was made over
	// (a proof chain).
	PreviousProof []string
	// Domain, Challenge and Nonce are the proof's replay protections, as
	// written; Domain may list several.
	Domain           []string
	Challenge, Nonce string
	// ProofValue is the multibase-encoded signature.
	ProofValue string
}

// Suite returns the name results use for the proof's suite: the
// cryptosuite, or the proof type of a legacy proof that has none.
func (p *Proof) Suite() string {
	if p.Cryptosuite != "" {
		return p.Cryptosuite
	}
	return p.Type
}

// readProof reads the members of a proof object, checking their JSON
// types.
func readProof(m map[string]any) (*Proof, error) {
	p := &Proof{}
	str := func(name string, dst *string) error {
		v, ok := m[name]
		if !ok {
			return nil
		}
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("%w: proof %s is not a string", ErrMalformed, name)
		}
		*dst = s
		return nil
	}
	strs := func(name string, dst *[]string) error {
		v, ok := m[name]
		if !ok {
			return nil
		}
		switch x := v.(type) {
		case string:
			*dst = []string{x}
			return nil
		case []any:
			for _, e := range x {
				s, ok := e.(string)
				if !ok {
					return fmt.Errorf("%w: proof %s is not a string or an array of strings", ErrMalformed, name)
				}
				*dst = append(*dst, s)
			}
			return nil
		}
		return fmt.Errorf("%w: proof %s is not a string or an array of strings", ErrMalformed, name)
	}
	for _, err := range []error{
		str("id", &p.ID),
		str("cryptosuite", &p.Cryptosuite),
		str("created", &p.Created),
		str("expires", &p.Expires),
		str("verificationMethod", &p.VerificationMethod),
		str("proofPurpose", &p.ProofPurpose),
		str("challenge", &p.Challenge),
		str("nonce", &p.Nonce),
		str("proofValue", &p.ProofValue),
		strs("previousProof", &p.PreviousProof),
		strs("domain", &p.Domain),
	} {
		if err != nil {
			return p, err
		}
	}
	switch t := m["type"].(type) {
	case string:
		p.Type = t
	case nil:
		return p, fmt.Errorf("%w: the proof has no type", ErrMalformed)
	default:
		return p, fmt.Errorf("%w: proof type is not a string", ErrMalformed)
	}
	if vm, ok := m["verificationMethod"].(map[string]any); ok {
		// An embedded verification method object: its id names it.
		id, _ := vm["id"].(string)
		p.VerificationMethod = id
	}
	return p, nil
}

// Proofs returns the proofs embedded in a document, as received, without
// checking any of them. A document without a proof has none.
func Proofs(doc []byte) ([]*Proof, error) {
	e := &engine{limits: Limits{MaxBytes: DefaultMaxBytes, MaxDepth: DefaultMaxDepth}}
	d, err := e.parseDocument(doc)
	if err != nil {
		return nil, err
	}
	out := make([]*Proof, len(d.proofs))
	for i, m := range d.proofs {
		p, err := readProof(m)
		if err != nil {
			return nil, fmt.Errorf("proof[%d]: %w", i, err)
		}
		out[i] = p
	}
	return out, nil
}

// decodeProofValue decodes a base58btc multibase proofValue.
func decodeProofValue(v string) ([]byte, error) {
	rest, ok := strings.CutPrefix(v, "z")
	if !ok {
		return nil, fmt.Errorf("%w: proofValue is not base58btc multibase (it must start with \"z\")", ErrMalformed)
	}
	if len(rest) > 256 {
		return nil, fmt.Errorf("%w: proofValue is %d characters long, far longer than a signature", ErrMalformed, len(v))
	}
	b, err := base58.Decode(rest)
	if err != nil {
		return nil, fmt.Errorf("%w: proofValue: %w", ErrMalformed, err)
	}
	return b, nil
}

// parseDateTime reads an XML Schema dateTime as proofs write created and
// expires: RFC 3339 with a zone, or without one (then read as UTC, as
// digitalbazaar does).
func parseDateTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%w: %q is not an XML Schema dateTime", ErrMalformed, s)
}

// proofJSON is a proof as this package writes it, members in the order
// digitalbazaar's libraries write them.
type proofJSON struct {
	ID                 string   `json:"id,omitempty"`
	Type               string   `json:"type"`
	Cryptosuite        string   `json:"cryptosuite,omitempty"`
	Created            string   `json:"created,omitempty"`
	Expires            string   `json:"expires,omitempty"`
	VerificationMethod string   `json:"verificationMethod"`
	ProofPurpose       string   `json:"proofPurpose"`
	PreviousProof      any      `json:"previousProof,omitempty"`
	Domain             any      `json:"domain,omitempty"`
	Challenge          string   `json:"challenge,omitempty"`
	Nonce              string   `json:"nonce,omitempty"`
	Context            any      `json:"@context,omitempty"`
	ProofValue         string   `json:"proofValue,omitempty"`
	_                  struct{} // keep the literal keyed
}

// asMap returns the proof as the map the proof configuration is built
// from: what encoding it as JSON and decoding it would give, built
// directly.
func (p *proofJSON) asMap() (map[string]any, error) {
	m := make(map[string]any, 8)
	str := func(name, v string, always bool) {
		if v != "" || always {
			m[name] = v
		}
	}
	list := func(name string, v any) {
		switch x := v.(type) {
		case nil:
		case []string:
			l := make([]any, len(x))
			for i, s := range x {
				l[i] = s
			}
			m[name] = l
		default:
			m[name] = x
		}
	}
	str("id", p.ID, false)
	str("type", p.Type, true)
	str("cryptosuite", p.Cryptosuite, false)
	str("created", p.Created, false)
	str("expires", p.Expires, false)
	str("verificationMethod", p.VerificationMethod, true)
	str("proofPurpose", p.ProofPurpose, true)
	list("previousProof", p.PreviousProof)
	list("domain", p.Domain)
	str("challenge", p.Challenge, false)
	str("nonce", p.Nonce, false)
	if p.Context != nil {
		m["@context"] = p.Context
	}
	str("proofValue", p.ProofValue, false)
	return m, nil
}
