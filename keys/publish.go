package keys

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// The JSON-LD contexts of the documents this package publishes. Package
// schema embeds each of them, so that the documents can be processed
// offline.
const (
	ContextDID      = "https://www.w3.org/ns/did/v1"
	ContextMultikey = "https://w3id.org/security/multikey/v1"
	ContextJWK      = "https://w3id.org/security/jwk/v1"
)

// DIDDocument returns the DID document an issuer hosts for the did:web DID
// did (at https://host/.well-known/did.json or https://host/path/did.json):
// every key of did in l, active and retired, as a verification method
// listed under assertionMethod, the relationship Open Badges and Verifiable
// Credentials proofs use. Each key's ID must be did, "#" and a fragment.
//
// Ed25519, P-256 and P-384 keys are written as Multikey verification
// methods with publicKeyMultibase; RSA and P-521 keys, which have no
// Multikey form here, as JsonWebKey ones with publicKeyJwk (and the JWK
// context is added). The
// document holds no private key material and is deterministic: keys come
// oldest first (by NotBefore, then ID), members in a fixed order, indented
// with two spaces.
//
// Retired keys are listed, so that what they signed keeps verifying, but
// their windows are not. The standard members for the end of a key's use,
// "expires" and "revoked" (Controlled Identifiers 1.0), ask verifiers not
// to verify proofs by the key from that time on, and some refuse every
// proof by a key marked revoked, so either would fail badges signed before
// the rotation; a member of our own would be an undefined term, an error
// to a JSON-LD processor in safe mode. A verifier that checks when a key
// signed gets its window from the Store (Key.NotBefore, Key.NotAfter,
// Key.ValidAt).
func DIDDocument(ctx context.Context, l Lister, did string) ([]byte, error) {
	if !strings.HasPrefix(did, "did:web:") || len(did) == len("did:web:") || strings.ContainsAny(did, "#?/") {
		return nil, fmt.Errorf("keys: DIDDocument needs a did:web DID, not %q", did)
	}
	return controllerDocument(ctx, l, did)
}

// MultikeyDocument returns the controller document an issuer whose ID is
// the HTTPS URL controller hosts at that URL, so that verification methods
// such as "https://example.edu/issuers/1#key-1" resolve: the document
// DIDDocument makes for a did:web DID, with controller as its id. Keys are
// Multikey verification methods, except RSA and P-521 keys, written as
// JsonWebKey ones.
//
// Its contexts are the DID and Multikey contexts (and the JWK context when
// an RSA key appears), which define every term it uses and which package
// schema embeds; the Controlled Identifiers context
// (https://www.w3.org/ns/cid/v1) would do as well but is not embedded.
func MultikeyDocument(ctx context.Context, l Lister, controller string) ([]byte, error) {
	u, err := url.Parse(controller)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.Fragment != "" || strings.Contains(controller, "#") {
		return nil, fmt.Errorf("keys: MultikeyDocument needs an https URL without a fragment, not %q", controller)
	}
	return controllerDocument(ctx, l, controller)
}

// JWKSet returns the JWK Set (RFC 7517 §5) of controller's keys in l,
// active and retired, oldest first: {"keys": [...]}, each key a public JWK
// with kid (the key's ID) and alg. It holds no private key material and is
// deterministic, indented with two spaces.
func JWKSet(ctx context.Context, l Lister, controller string) ([]byte, error) {
	ks, err := listKeys(ctx, l, controller)
	if err != nil {
		return nil, err
	}
	set := struct {
		Keys []json.RawMessage `json:"keys"`
	}{Keys: make([]json.RawMessage, 0, len(ks))}
	for _, k := range ks {
		j, err := PublicJWK(k.Public, k.ID)
		if err != nil {
			return nil, fmt.Errorf("keys: key %q: %w", k.ID, err)
		}
		set.Keys = append(set.Keys, j)
	}
	return marshalDocument(set)
}

// verificationMethod is one entry of a controller document.
type verificationMethod struct {
	ID                 string          `json:"id"`
	Type               string          `json:"type"`
	Controller         string          `json:"controller"`
	PublicKeyMultibase string          `json:"publicKeyMultibase,omitempty"`
	PublicKeyJwk       json.RawMessage `json:"publicKeyJwk,omitempty"`
}

// controllerDocument builds the document DIDDocument and MultikeyDocument
// return.
func controllerDocument(ctx context.Context, l Lister, id string) ([]byte, error) {
	ks, err := listKeys(ctx, l, id)
	if err != nil {
		return nil, err
	}
	doc := struct {
		Context            []string             `json:"@context"`
		ID                 string               `json:"id"`
		VerificationMethod []verificationMethod `json:"verificationMethod"`
		AssertionMethod    []string             `json:"assertionMethod"`
	}{
		Context: []string{ContextDID, ContextMultikey},
		ID:      id,
	}
	for _, k := range ks {
		frag, ok := strings.CutPrefix(k.ID, id+"#")
		if !ok || frag == "" {
			return nil, fmt.Errorf("keys: key %q is not in the document of %q: its ID must be %q, \"#\" and a fragment", k.ID, id, id)
		}
		vm := verificationMethod{ID: k.ID, Controller: id}
		if _, err := AlgorithmOf(k.Public); err != nil {
			return nil, fmt.Errorf("keys: key %q: %w", k.ID, err)
		}
		if mb, err := PublicKeyMultibase(k.Public); err == nil {
			vm.Type, vm.PublicKeyMultibase = "Multikey", mb
		} else {
			// RSA and P-521 keys have no Multikey form here.
			vm.Type = "JsonWebKey"
			if vm.PublicKeyJwk, err = PublicJWK(k.Public, ""); err != nil {
				return nil, fmt.Errorf("keys: key %q: %w", k.ID, err)
			}
			if !slices.Contains(doc.Context, ContextJWK) {
				doc.Context = append(doc.Context, ContextJWK)
			}
		}
		doc.VerificationMethod = append(doc.VerificationMethod, vm)
		doc.AssertionMethod = append(doc.AssertionMethod, k.ID)
	}
	return marshalDocument(doc)
}

// listKeys returns controller's keys from l, checked and oldest first
// whatever order l gives them in.
func listKeys(ctx context.Context, l Lister, controller string) ([]*Key, error) {
	ks, err := l.Keys(ctx, controller)
	if err != nil {
		return nil, err
	}
	if len(ks) == 0 {
		return nil, fmt.Errorf("%w: %q has no keys", ErrNoKey, controller)
	}
	seen := make(map[string]bool, len(ks))
	for _, k := range ks {
		if k == nil || k.Public == nil {
			return nil, fmt.Errorf("keys: %q has a key without a public key", controller)
		}
		if k.Controller != controller {
			return nil, fmt.Errorf("keys: key %q listed for %q belongs to %q", k.ID, controller, k.Controller)
		}
		if seen[k.ID] {
			return nil, fmt.Errorf("keys: key %q is listed twice", k.ID)
		}
		seen[k.ID] = true
	}
	return sortedClones(ks), nil
}

// marshalDocument encodes v indented by two spaces, without HTML escaping,
// ending in a newline.
func marshalDocument(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
