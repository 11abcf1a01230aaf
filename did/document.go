package did

import (
	"crypto"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/go-openbadges/openbadges/internal/jsonobj"
	"github.com/go-openbadges/openbadges/keys"
)

// A source says what a document was retrieved for.
type source struct {
	base    string // the DID or URL the document is for: the reference without its fragment
	ref     string // the reference being resolved
	frag    string // the reference's fragment, without "#"
	hasFrag bool
	// didOnly: the document is a DID's, so only a DID (controller) document
	// will do; not a JWK, a JWK Set or a lone verification method.
	didOnly bool
}

// newSource splits ref at its fragment.
func newSource(ref string, didOnly bool) source {
	base, frag, hasFrag := strings.Cut(ref, "#")
	return source{base: base, ref: ref, frag: frag, hasFrag: hasFrag, didOnly: didOnly}
}

// secretMembers are verification method members that carry private keys;
// a document that publishes one is refused whole.
var secretMembers = []string{"secretKeyMultibase", "privateKeyMultibase", "secretKeyJwk", "privateKeyJwk", "privateKeyBase58", "privateKeyHex", "privateKeyPem"}

// privateJWKMembers are the JWK members that carry private key material
// (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2).
var privateJWKMembers = []string{"d", "p", "q", "dp", "dq", "qi", "oth", "k"}

// resolveDocument finds src.ref in body, a document retrieved for src.base:
//
//   - a controller (or DID) document, whose id must be src.base and which
//     must list the method in verificationMethod or embed it in a
//     verification relationship; a DID resolution result ({"didDocument":
//     …}) is read as the document it holds;
//   - unless src.didOnly: a JWK (a member "kty"), a JWK Set (a member
//     "keys"), or a lone verification method (a member publicKeyMultibase
//     or publicKeyJwk at the top level).
//
// If the reference's fragment is itself a publicKeyMultibase (issuer#z6Mk…),
// the key the document gives must be that key.
func resolveDocument(src source, body []byte) (*VerificationMethod, error) {
	if err := scanDocument(src.base, body); err != nil {
		return nil, err
	}
	top, err := object(body)
	if err != nil {
		return nil, invalidf("the document for %s: %v", quote(src.base), err)
	}
	doc := json.RawMessage(body)
	if dd, ok := top["didDocument"]; ok && !has(top, "id") {
		if top, err = object(dd); err != nil {
			return nil, invalidf("the DID resolution result for %s: didDocument: %v", quote(src.base), err)
		}
		doc = dd
	}
	var vm *VerificationMethod
	switch {
	case src.didOnly:
		vm, err = controllerDocument(src, top)
	case has(top, "kty"):
		vm, err = jwkDocument(src, doc)
	case has(top, "keys"):
		vm, err = jwkSet(src, top["keys"])
	case !has(top, "verificationMethod") && (has(top, "publicKeyMultibase") || has(top, "publicKeyJwk")):
		vm, err = methodDocument(src, doc)
	default:
		vm, err = controllerDocument(src, top)
	}
	if err != nil {
		return nil, err
	}
	// An id such as issuer#z6Mk… names a key: the document must agree.
	if src.hasFrag && looksMultibase(src.frag) {
		if named, err := keys.ParsePublicKeyMultibase(src.frag); err == nil && !sameKey(named, vm.PublicKey) {
			return nil, invalidf("the document for %s lists %s with a key other than the one its fragment names", quote(src.base), quote(src.ref))
		}
	}
	return vm, nil
}

// scanDocument checks that body, the document for base, is JSON within
// this package's limits.
func scanDocument(base string, body []byte) error {
	if err := jsonobj.Scan(body, MaxDocumentSize, MaxDocumentDepth); err != nil {
		var je *jsonobj.Error
		if errors.As(err, &je) && je.Pointer == "" {
			err = je.Err // about the whole document: no pointer to show
		}
		return invalidf("the document for %s: %w", quote(base), err)
	}
	return nil
}

// object decodes a JSON object's members; null members count as absent.
func object(data []byte) (map[string]json.RawMessage, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil || m == nil {
		return nil, errString("not a JSON object")
	}
	for k, v := range m {
		if string(v) == "null" {
			delete(m, k)
		}
	}
	return m, nil
}

func has(m map[string]json.RawMessage, name string) bool {
	_, ok := m[name]
	return ok
}

// member decodes the member name of m into v, if present.
func member(m map[string]json.RawMessage, name string, v any) error {
	raw, ok := m[name]
	if !ok {
		return nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		var what string
		switch v.(type) {
		case *string:
			what = "a string"
		case *[]json.RawMessage:
			what = "an array"
		default:
			what = fmt.Sprintf("%T", v)
		}
		return fmt.Errorf("%s is not %s", name, what)
	}
	return nil
}

// absolute resolves a relative verification method id ("#key-1") against
// the id of the document it appears in.
func absolute(docID, id string) string {
	if len(id) > 0 && id[0] == '#' {
		return docID + id
	}
	return id
}

// controllerDocument finds src.ref in a controller document, as the
// Controlled Identifiers spec's "retrieve verification method" algorithm
// does (§3.3): the document's id must be src.base; the method must be
// defined in verificationMethod or embedded in a verification relationship
// (more than once only if every definition is the same); its controller
// must be the document's id.
func controllerDocument(src source, top map[string]json.RawMessage) (*VerificationMethod, error) {
	var id string
	if err := member(top, "id", &id); err != nil {
		return nil, invalidf("the document for %s: %v", quote(src.base), err)
	}
	if id != src.base {
		return nil, invalidf("the document for %s has id %s: a document must be for the DID or URL it was retrieved for", quote(src.base), quote(id))
	}
	var found json.RawMessage
	count := 0
	var err error
	var vms []json.RawMessage
	if err := member(top, "verificationMethod", &vms); err != nil {
		return nil, invalidf("the document for %s: %v", quote(src.base), err)
	}
	if len(vms) > MaxMethods {
		return nil, invalidf("the document for %s has %d verification methods, the limit is %d", quote(src.base), len(vms), MaxMethods)
	}
	for i, raw := range vms {
		var h struct {
			ID string `json:"id"`
		}
		if raw[0] != '{' || json.Unmarshal(raw, &h) != nil {
			return nil, invalidf("the document for %s: verificationMethod[%d] is not an object with a string id", quote(src.base), i)
		}
		if absolute(id, h.ID) == src.ref {
			if count, err = addDefinition(src, &found, raw, count); err != nil {
				return nil, err
			}
		}
	}
	var rels []string
	for _, rel := range relationships {
		var entries []json.RawMessage
		if err := member(top, rel, &entries); err != nil {
			return nil, invalidf("the document for %s: %v", quote(src.base), err)
		}
		if len(entries) > MaxMethods {
			return nil, invalidf("the document for %s has %d entries in %s, the limit is %d", quote(src.base), len(entries), rel, MaxMethods)
		}
		listed := false
		for i, raw := range entries {
			var ref string
			switch raw[0] {
			case '"':
				if json.Unmarshal(raw, &ref) != nil {
					return nil, invalidf("the document for %s: %s[%d] is not a valid string", quote(src.base), rel, i)
				}
			case '{':
				var h struct {
					ID string `json:"id"`
				}
				if json.Unmarshal(raw, &h) != nil {
					return nil, invalidf("the document for %s: %s[%d] has no string id", quote(src.base), rel, i)
				}
				ref = h.ID
				if absolute(id, ref) == src.ref {
					if count, err = addDefinition(src, &found, raw, count); err != nil {
						return nil, err
					}
				}
			default:
				return nil, invalidf("the document for %s: %s[%d] is neither a reference nor a verification method", quote(src.base), rel, i)
			}
			if absolute(id, ref) == src.ref {
				listed = true
			}
		}
		if listed {
			rels = append(rels, rel)
		}
	}
	switch {
	case count == 0 && rels != nil:
		return nil, invalidf("the document for %s refers to %s but does not define it", quote(src.base), quote(src.ref))
	case count == 0:
		return nil, fmt.Errorf("%w: the document for %s does not list %s", ErrNotListed, quote(src.base), quote(src.ref))
	}
	vm, _, err := method(src, found, id)
	if err != nil {
		return nil, err
	}
	vm.Relationships = rels
	return vm, nil
}

// addDefinition records raw, a definition of the method src.ref, in found.
// A document may define a method more than once (embedded under a
// verification relationship and again under verificationMethod, as
// digitalbazaar's and the DCC's libraries accept) as long as every
// definition says the same thing, as JSON values; definitions that differ
// make the document ambiguous, and it is refused.
func addDefinition(src source, found *json.RawMessage, raw json.RawMessage, count int) (int, error) {
	if count > 0 && !sameJSON(*found, raw) {
		return count, invalidf("the document for %s defines %s more than once, differently", quote(src.base), quote(src.ref))
	}
	*found = raw
	return count + 1, nil
}

// sameJSON reports whether a and b are the same JSON value, whatever the
// order of object members and the spacing.
func sameJSON(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// methodDocument reads a verification method served on its own, such as
// {"id": "https://example.edu/issuers/1#key-1", "type": "Multikey",
// "controller": "https://example.edu/issuers/1", "publicKeyMultibase": …}
// served at https://example.edu/issuers/1. Its id must be the reference, and
// its controller the URL it was served from: nothing else ties the key to a
// controller that did not publish it.
func methodDocument(src source, doc json.RawMessage) (*VerificationMethod, error) {
	vm, id, err := method(src, doc, src.base)
	if err != nil {
		return nil, err
	}
	if id != src.ref {
		return nil, invalidf("the verification method at %s has id %s, not %s", quote(src.base), quote(id), quote(src.ref))
	}
	return vm, nil
}

// method decodes a verification method and its key. Its controller must be
// controller. It returns the method's id as written.
func method(src source, raw json.RawMessage, controller string) (*VerificationMethod, string, error) {
	members, err := object(raw)
	if err != nil {
		return nil, "", invalidf("verification method %s: %v", quote(src.ref), err)
	}
	for _, name := range secretMembers {
		if has(members, name) {
			return nil, "", invalidf("verification method %s publishes a private key (%s)", quote(src.ref), name)
		}
	}
	var m struct {
		ID, Type, Controller string
		Multibase            *string
	}
	for name, v := range map[string]*string{"id": &m.ID, "type": &m.Type, "controller": &m.Controller} {
		if err := member(members, name, v); err != nil {
			return nil, "", invalidf("verification method %s: %v", quote(src.ref), err)
		}
	}
	if has(members, "publicKeyMultibase") {
		m.Multibase = new(string)
		if err := member(members, "publicKeyMultibase", m.Multibase); err != nil {
			return nil, "", invalidf("verification method %s: %v", quote(src.ref), err)
		}
	}
	jwk, hasJWK := members["publicKeyJwk"]
	switch {
	case m.Controller == "":
		return nil, "", invalidf("verification method %s has no controller", quote(src.ref))
	case m.Controller != controller:
		return nil, "", invalidf("verification method %s has controller %s, not %s", quote(src.ref), quote(m.Controller), quote(controller))
	case m.Multibase != nil && hasJWK:
		return nil, "", invalidf("verification method %s has both publicKeyMultibase and publicKeyJwk", quote(src.ref))
	}

	var pub crypto.PublicKey
	switch m.Type {
	case "Multikey", "Ed25519VerificationKey2020":
		if m.Multibase == nil {
			return nil, "", invalidf("verification method %s of type %s has no publicKeyMultibase", quote(src.ref), m.Type)
		}
		if pub, err = keys.ParsePublicKeyMultibase(*m.Multibase); err != nil {
			return nil, "", invalidf("verification method %s: publicKeyMultibase: %w", quote(src.ref), err)
		}
		if _, ok := pub.(ed25519.PublicKey); !ok && m.Type == "Ed25519VerificationKey2020" {
			return nil, "", invalidf("verification method %s of type Ed25519VerificationKey2020 holds a %s key", quote(src.ref), keyType(pub))
		}
	case "JsonWebKey", "JsonWebKey2020":
		if !hasJWK {
			return nil, "", invalidf("verification method %s of type %s has no publicKeyJwk", quote(src.ref), m.Type)
		}
		if pub, _, err = keys.ParsePublicJWK(jwk); err != nil {
			return nil, "", invalidf("verification method %s: publicKeyJwk: %w", quote(src.ref), err)
		}
	case "":
		return nil, "", invalidf("verification method %s has no type", quote(src.ref))
	default:
		return nil, "", fmt.Errorf("%w: verification method %s is of type %s; this package reads Multikey, JsonWebKey, JsonWebKey2020 and Ed25519VerificationKey2020", keys.ErrUnsupportedKey, quote(src.ref), quote(m.Type))
	}
	return &VerificationMethod{
		ID:         src.ref,
		Type:       m.Type,
		Controller: controller,
		PublicKey:  pub,
		Binding:    BindingDocument,
	}, m.ID, nil
}

// jwkDocument reads a bare JWK. Its kid, if any, must be the reference's
// fragment, if any.
func jwkDocument(src source, doc json.RawMessage) (*VerificationMethod, error) {
	pub, kid, err := keys.ParsePublicJWK(doc)
	if err != nil {
		return nil, invalidf("the JWK at %s: %w", quote(src.base), err)
	}
	if src.hasFrag && kid != "" && kid != src.frag {
		return nil, invalidf("the JWK at %s has kid %s, not %s", quote(src.base), quote(kid), quote(src.frag))
	}
	return jwkMethod(src, pub), nil
}

// jwkSet reads a JWK Set: the key whose kid is the reference's fragment, or
// without a fragment the set's only key. A set holding any private key is
// refused whole.
func jwkSet(src source, raw json.RawMessage) (*VerificationMethod, error) {
	var set []json.RawMessage
	if err := json.Unmarshal(raw, &set); err != nil {
		return nil, invalidf("the JWK Set at %s: keys is not an array", quote(src.base))
	}
	if len(set) > MaxMethods {
		return nil, invalidf("the JWK Set at %s has %d keys, the limit is %d", quote(src.base), len(set), MaxMethods)
	}
	var found json.RawMessage
	count := 0
	for i, k := range set {
		members, err := object(k)
		if err != nil {
			return nil, invalidf("the JWK Set at %s: keys[%d]: %v", quote(src.base), i, err)
		}
		for _, name := range privateJWKMembers {
			if has(members, name) {
				return nil, invalidf("the JWK Set at %s: keys[%d] has private member %q", quote(src.base), i, name)
			}
		}
		var kid string
		if err := member(members, "kid", &kid); err != nil {
			return nil, invalidf("the JWK Set at %s: keys[%d]: %v", quote(src.base), i, err)
		}
		if !src.hasFrag || kid == src.frag {
			found = k
			count++
		}
	}
	switch {
	case count == 0 && len(set) == 0:
		return nil, fmt.Errorf("%w: the JWK Set at %s is empty", ErrNotListed, quote(src.base))
	case count == 0:
		return nil, fmt.Errorf("%w: the JWK Set at %s has no key with kid %s", ErrNotListed, quote(src.base), quote(src.frag))
	case count > 1 && !src.hasFrag:
		return nil, invalidf("the JWK Set at %s holds %d keys and %s names none (no fragment)", quote(src.base), count, quote(src.ref))
	case count > 1:
		return nil, invalidf("the JWK Set at %s has %d keys with kid %s", quote(src.base), count, quote(src.frag))
	}
	pub, _, err := keys.ParsePublicJWK(found)
	if err != nil {
		return nil, invalidf("the JWK Set at %s: %w", quote(src.base), err)
	}
	return jwkMethod(src, pub), nil
}

func jwkMethod(src source, pub crypto.PublicKey) *VerificationMethod {
	return &VerificationMethod{
		ID:         src.ref,
		Type:       "JsonWebKey",
		Controller: src.base,
		PublicKey:  pub,
		Binding:    BindingDocument,
	}
}

// sameKey reports whether a and b are the same public key.
func sameKey(a, b crypto.PublicKey) bool {
	k, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && k.Equal(b)
}

// keyType names a key's type for messages.
func keyType(pub crypto.PublicKey) string {
	t, err := keys.TypeOf(pub)
	if err != nil {
		return fmt.Sprintf("%T", pub)
	}
	return string(t)
}
