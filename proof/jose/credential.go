package jose

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"fmt"
	"slices"
	"time"
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

// credentialFacts reads the facts of a credential, decoded with
// jsonobj.Parse (nil if it is not a JSON object).
func credentialFacts(members map[string]any) (*facts, error) {
	if members == nil {
		return nil, fmt.Errorf("%w: not a JSON object", ErrNotCredential)
	}
	c := &facts{names: make([]string, 0, len(members))}
	for k := range members {
		c.names = append(c.names, k)
	}
	if !c.has("@context") || !c.has("type") {
		return nil, fmt.Errorf("%w: no @context or type", ErrNotCredential)
	}
	if !hasType(members["type"], "VerifiableCredential") {
		return nil, fmt.Errorf("%w: its type does not include VerifiableCredential", ErrNotCredential)
	}
	c.issuer = idOf(members["issuer"])
	if c.issuer == "" {
		return nil, fmt.Errorf("%w: no issuer id", ErrNotCredential)
	}
	if v, ok := members["id"]; ok {
		id, isString := v.(string)
		if !isString {
			return nil, fmt.Errorf("%w: id is not a string", ErrNotCredential)
		}
		c.id = id
	}
	subject := members["credentialSubject"]
	if subjects, ok := subject.([]any); ok && len(subjects) > 0 {
		subject = subjects[0]
	}
	c.subject = idOf(subject)
	from, until := "validFrom", "validUntil"
	if !c.has("validFrom") && (c.has("issuanceDate") || !c.has("validUntil") && c.has("expirationDate")) {
		from, until = "issuanceDate", "expirationDate"
		c.version11 = true
	}
	var err error
	if c.validFrom, err = dateMember(members, from); err != nil {
		return nil, err
	}
	if c.validUntil, err = dateMember(members, until); err != nil {
		return nil, err
	}
	return c, nil
}

func dateMember(members map[string]any, name string) (*time.Time, error) {
	v, ok := members[name]
	if !ok {
		return nil, nil
	}
	s, isString := v.(string)
	if !isString {
		return nil, fmt.Errorf("%w: %s is not a string", ErrNotCredential, name)
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return nil, fmt.Errorf("%w: %s %q is not a date-time with a time zone", ErrNotCredential, name, s)
	}
	return &t, nil
}

// idOf returns a member that is an id string, or the id string of an
// object.
func idOf(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case map[string]any:
		id, _ := x["id"].(string)
		return id
	}
	return ""
}

func hasType(types any, want string) bool {
	switch t := types.(type) {
	case string:
		return t == want
	case []any:
		for _, e := range t {
			if e == want {
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
