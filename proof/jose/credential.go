package jose

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"fmt"
	"slices"
	"time"

	"github.com/go-openbadges/openbadges/internal/jsonobj"
)

// facts are what the claims are compared with.
type facts struct {
	issuer     string
	id         string
	subject    string // the id of the (first) credentialSubject
	validFrom  *time.Time
	validUntil *time.Time
	// names lists the top-level member names.
	names []string
	// version11 is true for a VCDM 1.1 credential (issuanceDate,
	// expirationDate).
	version11 bool
}

// credentialFacts reads the facts of a credential, the node at n of t (-1
// for none), leaving out its members named in exclude.
func credentialFacts(t *jsonobj.Tree, n int, exclude []string) (*facts, error) {
	if n < 0 || t.Nodes[n].Kind != jsonobj.Object {
		return nil, fmt.Errorf("%w: not a JSON object", ErrNotCredential)
	}
	c := &facts{names: make([]string, 0, t.Len(n))}
	for m := n + 1; m < int(t.Nodes[n].End); m = int(t.Nodes[m].End) {
		if k := t.Nodes[m].Key; !slices.Contains(exclude, k) {
			c.names = append(c.names, k)
		}
	}
	// member returns the index of the member name, or -1.
	member := func(name string) int {
		if slices.Contains(exclude, name) {
			return -1
		}
		return t.Child(n, name)
	}
	if !c.has("@context") || !c.has("type") {
		return nil, fmt.Errorf("%w: no @context or type", ErrNotCredential)
	}
	if !hasType(t, member("type"), "VerifiableCredential") {
		return nil, fmt.Errorf("%w: its type does not include VerifiableCredential", ErrNotCredential)
	}
	c.issuer = idOf(t, member("issuer"))
	if c.issuer == "" {
		return nil, fmt.Errorf("%w: no issuer id", ErrNotCredential)
	}
	if m := member("id"); m >= 0 {
		if t.Nodes[m].Kind != jsonobj.String {
			return nil, fmt.Errorf("%w: id is not a string", ErrNotCredential)
		}
		c.id = t.Nodes[m].Str
	}
	subject := member("credentialSubject")
	if subject >= 0 && t.Nodes[subject].Kind == jsonobj.Array && int(t.Nodes[subject].End) > subject+1 {
		subject++ // the first subject
	}
	c.subject = idOf(t, subject)
	from, until := "validFrom", "validUntil"
	if !c.has("validFrom") && (c.has("issuanceDate") || !c.has("validUntil") && c.has("expirationDate")) {
		from, until = "issuanceDate", "expirationDate"
		c.version11 = true
	}
	var err error
	if c.validFrom, err = dateMember(t, member(from), from); err != nil {
		return nil, err
	}
	if c.validUntil, err = dateMember(t, member(until), until); err != nil {
		return nil, err
	}
	return c, nil
}

// dateMember reads the date-time member at n (-1 for none) called name.
func dateMember(t *jsonobj.Tree, n int, name string) (*time.Time, error) {
	if n < 0 {
		return nil, nil
	}
	nd := &t.Nodes[n]
	if nd.Kind != jsonobj.String {
		return nil, fmt.Errorf("%w: %s is not a string", ErrNotCredential, name)
	}
	d, err := time.Parse(time.RFC3339Nano, nd.Str)
	if err != nil {
		return nil, fmt.Errorf("%w: %s %q is not a date-time with a time zone", ErrNotCredential, name, nd.Str)
	}
	return &d, nil
}

// idOf returns the member at n (-1 for none) if it is an id string, or
// the id string of an object.
func idOf(t *jsonobj.Tree, n int) string {
	if n < 0 {
		return ""
	}
	switch nd := &t.Nodes[n]; nd.Kind {
	case jsonobj.String:
		return nd.Str
	case jsonobj.Object:
		if m := t.Child(n, "id"); m >= 0 && t.Nodes[m].Kind == jsonobj.String {
			return t.Nodes[m].Str
		}
	}
	return ""
}

// hasType reports whether the type member at n (-1 for none) is want or
// lists it.
func hasType(t *jsonobj.Tree, n int, want string) bool {
	if n < 0 {
		return false
	}
	switch nd := &t.Nodes[n]; nd.Kind {
	case jsonobj.String:
		return nd.Str == want
	case jsonobj.Array:
		for m := n + 1; m < int(nd.End); m = int(t.Nodes[m].End) {
			if t.Nodes[m].Kind == jsonobj.String && t.Nodes[m].Str == want {
				return true
			}
		}
	}
	return false
}

// keyKind names a key for error messages.
func keyKind(pub crypto.PublicKey) string {
	switch k := pub.(type) {
	case ed25519.PublicKey:
		return "Ed25519"
	case *ecdsa.PublicKey:
		return k.Curve.Params().Name
	case *rsa.PublicKey:
		return fmt.Sprintf("RSA-%d", k.N.BitLen())
	}
	return fmt.Sprintf("%T", pub)
}

// has reports whether the credential has a top-level member name.
func (c *facts) has(name string) bool { return slices.Contains(c.names, name) }
