package did

import (
	"crypto"
	"crypto/ed25519"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/go-openbadges/openbadges/internal/base58"
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
	switch documentForm(top, src.didOnly) {
	case formJWK:
		vm, err = jwkDocument(src, doc)
	case formJWKSet:
		vm, err = jwkSet(src, top["keys"])
	case formMethod:
		vm, err = methodDocument(src, doc)
	default:
		vm, err = controllerDocument(src, top)
	}
	if err != nil {
		return nil, err
	}
	if err := checkFragmentKey(src, vm); err != nil {
		return nil, err
	}
	return vm, nil
}

// The forms of document resolveDocument reads.
const (
	formController = iota // a controller (or DID) document
	formJWK               // a bare JWK
	formJWKSet            // a JWK Set
	formMethod            // a verification method on its own
)

// documentForm says which form of document top is, as resolveDocument reads
// it; a DID's document (didOnly) is always a controller document.
func documentForm(top map[string]json.RawMessage, didOnly bool) int {
	switch {
	case didOnly:
		return formController
	case has(top, "kty"):
		return formJWK
	case has(top, "keys"):
		return formJWKSet
	case !has(top, "verificationMethod") && (has(top, "publicKeyMultibase") || has(top, "publicKeyJwk")):
		return formMethod
	}
	return formController
}

// checkFragmentKey checks that a document agrees with an id such as
// issuer#z6Mk…, whose fragment names a key: vm, what the document gives
// for src.ref, must hold that key.
func checkFragmentKey(src source, vm *VerificationMethod) error {
	if src.hasFrag && looksMultibase(src.frag) {
		if named, err := keys.ParsePublicKeyMultibase(src.frag); err == nil && !sameKey(named, vm.PublicKey) {
			return invalidf("the document for %s lists %s with a key other than the one its fragment names", quote(src.base), quote(src.ref))
		}
	}
	return nil
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
	id, _, entries, err := indexDocument(src.base, top)
	if err != nil {
		return nil, err
	}
	return definedMethod(src, id, entries[src.ref])
}

// A methodEntry is what a controller document says of one verification
// method id (made absolute): its definitions and the verification
// relationships that list it.
type methodEntry struct {
	def      json.RawMessage // its first definition; nil if it has none
	value    any             // def decoded, once it is compared with another definition
	defs     int             // how many times it is defined
	conflict bool            // defined more than once, differently
	rels     []string        // the relationships that list it, in the order of relationships
}

// indexDocument reads a controller document in one pass: its id, which
// must be base, and, by absolute id, every verification method it defines
// in verificationMethod or embeds in a verification relationship, or that a
// relationship refers to. ids lists them in the order they first appear.
// The cost is linear in the size of the document, however many methods
// are looked up in the index afterwards.
//
// A document may define a method more than once (embedded under a
// verification relationship and again under verificationMethod, as
// digitalbazaar's and the DCC's libraries accept) as long as every
// definition says the same thing, as JSON values; definitions that differ
// make the method ambiguous, and the entry says so (conflict).
func indexDocument(base string, top map[string]json.RawMessage) (id string, ids []string, entries map[string]*methodEntry, err error) {
	if err := member(top, "id", &id); err != nil {
		return "", nil, nil, invalidf("the document for %s: %v", quote(base), err)
	}
	if id != base {
		return "", nil, nil, invalidf("the document for %s has id %s: a document must be for the DID or URL it was retrieved for", quote(base), quote(id))
	}
	entries = make(map[string]*methodEntry)
	entry := func(ref string) *methodEntry {
		ref = absolute(id, ref)
		e, ok := entries[ref]
		if !ok {
			e = &methodEntry{}
			entries[ref] = e
			ids = append(ids, ref)
		}
		return e
	}
	define := func(e *methodEntry, raw json.RawMessage) {
		switch {
		case e.defs == 0:
			e.def = raw
		case !e.conflict && !e.same(raw):
			e.conflict = true
		}
		e.defs++
	}
	var vms []json.RawMessage
	if err := member(top, "verificationMethod", &vms); err != nil {
		return "", nil, nil, invalidf("the document for %s: %v", quote(base), err)
	}
	if len(vms) > MaxMethods {
		return "", nil, nil, invalidf("the document for %s has %d verification methods, the limit is %d", quote(base), len(vms), MaxMethods)
	}
	for i, raw := range vms {
		var h struct {
			ID string `json:"id"`
		}
		if raw[0] != '{' || json.Unmarshal(raw, &h) != nil {
			return "", nil, nil, invalidf("the document for %s: verificationMethod[%d] is not an object with a string id", quote(base), i)
		}
		define(entry(h.ID), raw)
	}
	for _, rel := range relationships {
		var list []json.RawMessage
		if err := member(top, rel, &list); err != nil {
			return "", nil, nil, invalidf("the document for %s: %v", quote(base), err)
		}
		if len(list) > MaxMethods {
			return "", nil, nil, invalidf("the document for %s has %d entries in %s, the limit is %d", quote(base), len(list), rel, MaxMethods)
		}
		for i, raw := range list {
			var e *methodEntry
			switch raw[0] {
			case '"':
				var ref string
				if json.Unmarshal(raw, &ref) != nil {
					return "", nil, nil, invalidf("the document for %s: %s[%d] is not a valid string", quote(base), rel, i)
				}
				e = entry(ref)
			case '{':
				var h struct {
					ID string `json:"id"`
				}
				if json.Unmarshal(raw, &h) != nil {
					return "", nil, nil, invalidf("the document for %s: %s[%d] has no string id", quote(base), rel, i)
				}
				e = entry(h.ID)
				define(e, raw)
			default:
				return "", nil, nil, invalidf("the document for %s: %s[%d] is neither a reference nor a verification method", quote(base), rel, i)
			}
			if n := len(e.rels); n == 0 || e.rels[n-1] != rel {
				e.rels = append(e.rels, rel)
			}
		}
	}
	return id, ids, entries, nil
}

// definedMethod reads the method src.ref of a controller document whose id
// is id, from its entry in the document's index (nil if the document does
// not mention it).
func definedMethod(src source, id string, e *methodEntry) (*VerificationMethod, error) {
	switch {
	case e == nil:
		return nil, fmt.Errorf("%w: the document for %s does not list %s", ErrNotListed, quote(src.base), quote(src.ref))
	case e.conflict:
		return nil, invalidf("the document for %s defines %s more than once, differently", quote(src.base), quote(src.ref))
	case e.defs == 0:
		return nil, invalidf("the document for %s refers to %s but does not define it", quote(src.base), quote(src.ref))
	}
	vm, _, err := method(src, e.def, id)
	if err != nil {
		return nil, err
	}
	vm.Relationships = e.rels
	return vm, nil
}

// same reports whether raw is the same JSON value as e's first definition,
// whatever the order of object members and the spacing. The first
// definition is decoded only once, however many times it is compared, so
// that the cost stays linear in the size of the document.
func (e *methodEntry) same(raw json.RawMessage) bool {
	if e.value == nil {
		if json.Unmarshal(e.def, &e.value) != nil || e.value == nil {
			return false
		}
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return false
	}
	return reflect.DeepEqual(e.value, v)
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
			if otherKeyType(*m.Multibase) {
				// A key of a type package keys does not read, such as an
				// X25519 key agreement key: say so, as the error about a
				// JWK of such a key does.
				err = fmt.Errorf("%w (%w)", err, keys.ErrUnsupportedKey)
			}
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

// otherKeyType reports whether mb is base58btc multibase encoding a public
// key of a type in the multicodec table that package keys does not read,
// such as x25519-pub (the usual key agreement key) or secp256k1-pub, rather
// than a malformed value.
func otherKeyType(mb string) bool {
	if len(mb) < 2 || len(mb) > keys.MaxMultibaseLen || mb[0] != 'z' {
		return false
	}
	b, err := base58.Decode(mb[1:])
	if err != nil {
		return false
	}
	code, n := binary.Uvarint(b)
	if n <= 0 || n != len(binary.AppendUvarint(nil, code)) || n == len(b) {
		return false
	}
	switch code {
	case 0xe7, // secp256k1-pub
		0xea, 0xeb, 0xee, // bls12_381-g1-pub, -g2-pub, -g1g2-pub
		0xec,   // x25519-pub
		0xef,   // sr25519-pub
		0x1202, // p521-pub
		0x1203, // ed448-pub
		0x1204, // x448-pub
		0x1205, // rsa-pub
		0x1206: // sm2-pub
		return true
	}
	return false
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
