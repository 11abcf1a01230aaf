package jose

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"time"
)

// credentialFacts are what the claims are compared with.
type credentialFacts struct {
	issuer     string
	id         string
	subject    string // the id of the (first) credentialSubject
	validFrom  *time.Time
	validUntil *time.Time
	// has lists the top-level member names.
	has map[string]bool
	// version11 is true for a VCDM 1.1 credential (issuanceDate,
	// expirationDate).
	version11 bool
}

// readCredential reads the facts of a credential (a JSON object).
func readCredential(data []byte) (*credentialFacts, error) {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(data, &members); err != nil || members == nil {
		return nil, fmt.Errorf("%w: not a JSON object", ErrNotCredential)
	}
	c := &credentialFacts{has: map[string]bool{}}
	for k := range members {
		c.has[k] = true
	}
	if !c.has["@context"] || !c.has["type"] {
		return nil, fmt.Errorf("%w: no @context or type", ErrNotCredential)
	}
	var types any
	_ = json.Unmarshal(members["type"], &types)
	if !hasType(types, "VerifiableCredential") {
		return nil, fmt.Errorf("%w: its type does not include VerifiableCredential", ErrNotCredential)
	}
	c.issuer = idOf(members["issuer"])
	if c.issuer == "" {
		return nil, fmt.Errorf("%w: no issuer id", ErrNotCredential)
	}
	if raw, ok := members["id"]; ok {
		if err := json.Unmarshal(raw, &c.id); err != nil {
			return nil, fmt.Errorf("%w: id is not a string", ErrNotCredential)
		}
	}
	subject := members["credentialSubject"]
	var subjects []json.RawMessage
	if json.Unmarshal(subject, &subjects) == nil && len(subjects) > 0 {
		subject = subjects[0]
	}
	c.subject = idOf(subject)
	from, until := "validFrom", "validUntil"
	if !c.has["validFrom"] && (c.has["issuanceDate"] || !c.has["validUntil"] && c.has["expirationDate"]) {
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

func dateMember(members map[string]json.RawMessage, name string) (*time.Time, error) {
	raw, ok := members[name]
	if !ok {
		return nil, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("%w: %s is not a string", ErrNotCredential, name)
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return nil, fmt.Errorf("%w: %s %q is not a date-time with a time zone", ErrNotCredential, name, s)
	}
	return &t, nil
}

// idOf returns a member that is an id string or an object with an id.
func idOf(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var obj struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(raw, &obj) == nil {
		return obj.ID
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
