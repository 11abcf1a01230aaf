package dataintegrity

import (
	"github.com/go-openbadges/openbadges/internal/jsonld"
	"github.com/go-openbadges/openbadges/internal/rdfc"
)

// The IRIs of a DataIntegrityProof's members, as the type-scoped context of
// DataIntegrityProof in https://www.w3.org/ns/credentials/v2 defines them.
// That context is protected: no later context can change them.
const (
	contextV2          = "https://www.w3.org/ns/credentials/v2"
	secPrefix          = "https://w3id.org/security#"
	iriDataIntegrity   = secPrefix + "DataIntegrityProof"
	iriCreated         = "http://purl.org/dc/terms/created"
	iriCryptosuite     = secPrefix + "cryptosuite"
	iriCryptosuiteType = secPrefix + "cryptosuiteString"
	iriExpiration      = secPrefix + "expiration"
	iriPreviousProof   = secPrefix + "previousProof"
	iriProofPurpose    = secPrefix + "proofPurpose"
	iriVerification    = secPrefix + "verificationMethod"
	iriChallenge       = secPrefix + "challenge"
	iriDomain          = secPrefix + "domain"
	iriNonce           = secPrefix + "nonce"
	xsdDateTime        = "http://www.w3.org/2001/XMLSchema#dateTime"
)

// purposeIRIs maps the proof purposes the context defines (proofPurpose is
// @type @vocab) to their IRIs.
var purposeIRIs = map[string]string{
	"assertionMethod":      secPrefix + "assertionMethod",
	"authentication":       secPrefix + "authenticationMethod",
	"capabilityDelegation": secPrefix + "capabilityDelegationMethod",
	"capabilityInvocation": secPrefix + "capabilityInvocationMethod",
	"keyAgreement":         secPrefix + "keyAgreementMethod",
}

// proofConfigQuads appends to dst the RDF of a DataIntegrityProof configuration
// read with a VCDM 2.0 context, written directly rather than through
// JSON-LD expansion, which costs most of what canonicalizing it does.
// ok is false for anything off the well-trodden path (another context, a
// member or a value shape this does not know, an IRI that is not valid):
// those go through full JSON-LD processing, which also reports their
// errors. TestProofConfigFastPath checks that both ways give the same
// canonical form.
func proofConfigQuads(dst []rdfc.Quad, cfg map[string]any) (quads []rdfc.Quad, ok bool) {
	switch c := cfg["@context"].(type) {
	case string:
		ok = c == contextV2
	case []any:
		ok = len(c) > 0 && c[0] == contextV2
	}
	if !ok || cfg["type"] != TypeDataIntegrityProof {
		return nil, false
	}
	quads = dst
	subject := rdfc.Term{Kind: rdfc.BlankNode, Value: "b0"}
	if id, has := cfg["id"]; has {
		s, isString := id.(string)
		if !isString || !jsonld.ValidIRI(s) {
			return nil, false
		}
		subject = rdfc.Term{Kind: rdfc.IRI, Value: s}
	}
	add := func(pred string, obj rdfc.Term) {
		quads = append(quads, rdfc.Quad{Subject: subject, Predicate: rdfc.Term{Kind: rdfc.IRI, Value: pred}, Object: obj})
	}
	iri := func(v any) (rdfc.Term, bool) {
		s, isString := v.(string)
		if !isString || !jsonld.ValidIRI(s) {
			return rdfc.Term{}, false
		}
		return rdfc.Term{Kind: rdfc.IRI, Value: s}, true
	}
	literal := func(v any, datatype string) (rdfc.Term, bool) {
		s, isString := v.(string)
		return rdfc.Term{Kind: rdfc.Literal, Value: s, Datatype: datatype}, isString
	}
	add(rdfType, rdfc.Term{Kind: rdfc.IRI, Value: iriDataIntegrity})
	for k, v := range cfg {
		var obj rdfc.Term
		var pred string
		switch k {
		case "@context", "type", "id":
			continue
		case "cryptosuite":
			pred = iriCryptosuite
			obj, ok = literal(v, iriCryptosuiteType)
		case "created":
			pred = iriCreated
			obj, ok = literal(v, xsdDateTime)
		case "expires":
			pred = iriExpiration
			obj, ok = literal(v, xsdDateTime)
		case "verificationMethod":
			pred = iriVerification
			obj, ok = iri(v)
		case "previousProof":
			pred = iriPreviousProof
			obj, ok = iri(v)
		case "proofPurpose":
			pred = iriProofPurpose
			s, _ := v.(string)
			var p string
			p, ok = purposeIRIs[s]
			obj = rdfc.Term{Kind: rdfc.IRI, Value: p}
		case "challenge":
			pred = iriChallenge
			obj, ok = literal(v, "")
		case "nonce":
			pred = iriNonce
			obj, ok = literal(v, "")
		case "domain":
			pred = iriDomain
			obj, ok = literal(v, "")
		default:
			return nil, false
		}
		if !ok {
			return nil, false
		}
		add(pred, obj)
	}
	return quads, true
}

// rdfType is rdf:type.
const rdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
