package status

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"

	"github.com/go-openbadges/openbadges/internal/jsonobj"
)

// A CredentialInfo is what a credential says that its status depends on,
// as ReadCredential reads it: its id and issuer, which a list and a 1EdTech
// entry are checked against, and its credentialStatus entries.
type CredentialInfo struct {
	// ID is the credential's id, or the jti of a VCDM 1.1 JWT that has
	// none; "" when it has neither.
	ID string
	// Issuer is the id of the credential's issuer (a string, or an object's
	// id), or the iss of a VCDM 1.1 JWT that has none.
	Issuer string
	// Err is set, and there are no entries, when credentialStatus is there
	// but is neither an object nor an array of at most MaxEntries; it
	// wraps ErrMalformed.
	Err error

	statuses []json.RawMessage // the entries, as received
}

// NumEntries returns the number of the credential's credentialStatus
// entries.
func (c *CredentialInfo) NumEntries() int { return len(c.statuses) }

// Entry reads the credentialStatus entry i, from 0 to NumEntries()-1, on
// its own: a malformed entry has its Err, and the others read all the same.
func (c *CredentialInfo) Entry(i int) EntryInfo { return parseEntry(c.statuses[i]) }

// An EntryInfo is one credentialStatus entry as ReadCredential read it.
type EntryInfo struct {
	// Entry holds the entry's members; its Type is the first of Types.
	Entry Entry
	// Types are the names of the entry's type.
	Types []string
	// Index is the statusListIndex, -1 when the entry has none.
	Index int
	// IndexIsNumber is true when the statusListIndex is written as a JSON
	// number, where the W3C Recommendation requires a string.
	IndexIsNumber bool
	// Err says what is malformed: a member of the wrong JSON type, or a
	// statusListIndex that is no index. It wraps ErrMalformed,
	// ErrIndexOutOfRange or ErrUnsupported. What the entry lacks for its
	// type is for CheckBitstring to say.
	Err error
}

// Is reports whether the entry's type names t.
func (e *EntryInfo) Is(t string) bool {
	for _, x := range e.Types {
		if x == t {
			return true
		}
	}
	return false
}

// CheckBitstring checks a BitstringStatusListEntry as a verifier must
// before it retrieves the list: the entry has a statusPurpose this package
// checks (revocation, suspension or message: ErrUnsupported otherwise), a
// statusSize up to MaxStatusSize (ErrUnsupported), a statusListIndex and a
// statusListCredential (ErrMalformed), a statusMessage with one message for
// each of its 2^statusSize values, which an entry of more than one bit must
// have, and a statusReference of absolute URLs (ErrMalformed).
func (e *EntryInfo) CheckBitstring() error {
	en := &e.Entry
	size := en.StatusSize
	if size == 0 {
		size = 1 // the W3C Recommendation: absent, it is processed as 1
	}
	switch p := en.StatusPurpose; {
	case p == "":
		return fmt.Errorf("%w: the entry has no statusPurpose", ErrMalformed)
	case p != Revocation && p != Suspension && p != Message:
		return fmt.Errorf("%w: statusPurpose %q (this package checks %q, %q and %q)", ErrUnsupported, p, Revocation, Suspension, Message)
	case size > MaxStatusSize:
		return fmt.Errorf("%w: statusSize %d (this package checks entries of 1 to %d bits)", ErrUnsupported, size, MaxStatusSize)
	case e.Index < 0:
		return fmt.Errorf("%w: the entry has no statusListIndex", ErrMalformed)
	case en.StatusListCredential == "":
		return fmt.Errorf("%w: the entry has no statusListCredential", ErrMalformed)
	case size > 1 && en.StatusMessage == nil:
		return fmt.Errorf("%w: the entry's statusSize is %d, and it has no statusMessage, which the W3C Recommendation requires when statusSize is more than 1", ErrMalformed, size)
	}
	if en.StatusMessage != nil {
		if err := checkStatusMessages(size, en.StatusMessage); err != nil {
			return err
		}
	}
	return checkReferences(en.StatusReference)
}

// ParseEntries returns the credentialStatus entries of a credential, in
// order: a JSON credential, or a compact JWS whose payload is one (a VC-JWT,
// or a VCDM 1.1 JWT with a vc claim), read without checking its signature.
// A statusListIndex written as a JSON number is returned in base 10. An
// entry that is not an object, or whose members have the wrong JSON types,
// is an error wrapping ErrMalformed; a credential with no credentialStatus
// has no entries. Whether a statusMessage fits its statusSize is for a
// status check to judge, not ParseEntries.
func ParseEntries(cred []byte) ([]Entry, error) {
	c, err := ReadCredential(cred)
	if err != nil {
		return nil, err
	}
	if c.Err != nil {
		return nil, c.Err
	}
	out := make([]Entry, 0, c.NumEntries())
	for i := range c.NumEntries() {
		e := c.Entry(i)
		if e.Err != nil {
			return nil, fmt.Errorf("credentialStatus[%d]: %w", i, e.Err)
		}
		out = append(out, e.Entry)
	}
	return out, nil
}

// ReadCredential reads what a status check needs of a credential: a JSON
// credential, or a compact JWS whose payload is one (a VC-JWT, or a VCDM
// 1.1 JWT with a vc claim), read without checking its signature, within
// DefaultMaxCredentialBytes (ErrListTooLarge). A credential that is not a
// JSON object is an error wrapping ErrMalformed; so is one nested more
// deeply than this package reads.
func ReadCredential(cred []byte) (*CredentialInfo, error) {
	return readCredential(cred, DefaultMaxCredentialBytes)
}

// readCredential reads a JSON credential, or the credential in a compact
// JWS's payload, within maxBytes.
func readCredential(data []byte, maxBytes int) (*CredentialInfo, error) {
	if len(data) > maxBytes {
		return nil, fmt.Errorf("%w: the credential is larger than %d bytes", ErrListTooLarge, maxBytes)
	}
	doc := bytes.TrimSpace(data)
	var jwt struct {
		ID     string `json:"jti"`
		Issuer string `json:"iss"`
	}
	fromJWT := false
	if len(doc) > 0 && doc[0] != '{' {
		payload, err := jwsPayload(doc)
		if err != nil {
			return nil, err
		}
		if err := jsonobj.Scan(payload, maxBytes, maxDepth); err != nil {
			return nil, fmt.Errorf("%w: the JWS payload: %w", ErrMalformed, err)
		}
		var p struct {
			VC json.RawMessage `json:"vc"`
		}
		if err := json.Unmarshal(payload, &p); err != nil {
			return nil, fmt.Errorf("%w: the JWS payload is not a JSON object", ErrMalformed)
		}
		_ = json.Unmarshal(payload, &jwt) // claims of other types are ignored
		doc = payload
		if v := bytes.TrimSpace(p.VC); len(v) > 0 && v[0] == '{' {
			doc, fromJWT = v, true // a VCDM 1.1 JWT
		}
	}
	if err := jsonobj.Scan(doc, maxBytes, maxDepth); err != nil {
		return nil, fmt.Errorf("%w: the credential: %w", ErrMalformed, err)
	}
	var c struct {
		ID               json.RawMessage `json:"id"`
		Issuer           json.RawMessage `json:"issuer"`
		CredentialStatus json.RawMessage `json:"credentialStatus"`
	}
	if err := json.Unmarshal(doc, &c); err != nil {
		return nil, fmt.Errorf("%w: the credential is not a JSON object", ErrMalformed)
	}
	info := &CredentialInfo{}
	_ = json.Unmarshal(c.ID, &info.ID) // an id that is not a string is no id
	info.Issuer = jsonobj.RefID(c.Issuer)
	if fromJWT {
		if info.ID == "" {
			info.ID = jwt.ID
		}
		if info.Issuer == "" {
			info.Issuer = jwt.Issuer
		}
	}
	info.statuses, info.Err = splitStatuses(c.CredentialStatus)
	return info, nil
}

// splitStatuses returns the entries of a credentialStatus member: one
// object, or an array.
func splitStatuses(raw json.RawMessage) ([]json.RawMessage, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, nil
	}
	switch raw[0] {
	case '{':
		return []json.RawMessage{raw}, nil
	case '[':
		var list []json.RawMessage
		if err := json.Unmarshal(raw, &list); err != nil {
			return nil, fmt.Errorf("%w: credentialStatus: %w", ErrMalformed, err)
		}
		if len(list) > MaxEntries {
			return nil, fmt.Errorf("%w: credentialStatus has %d entries, more than %d", ErrMalformed, len(list), MaxEntries)
		}
		return list, nil
	}
	return nil, fmt.Errorf("%w: credentialStatus is %s, not an object or an array", ErrMalformed, jsonobj.Describe(raw))
}

// jwsPayload returns the decoded payload of a compact JWS.
func jwsPayload(token []byte) ([]byte, error) {
	parts := bytes.Split(token, []byte("."))
	if len(parts) != 3 {
		return nil, fmt.Errorf("%w: neither a JSON credential nor a compact JWS", ErrMalformed)
	}
	payload, err := base64.RawURLEncoding.DecodeString(string(parts[1]))
	if err != nil {
		return nil, fmt.Errorf("%w: the JWS payload is not base64url: %w", ErrMalformed, err)
	}
	return payload, nil
}

// typeNames reads a type member: a string or an array of strings.
type typeNames []string

// UnmarshalJSON accepts a string or an array of strings.
func (t *typeNames) UnmarshalJSON(data []byte) error {
	if len(data) > 0 && data[0] == '"' {
		s, ok := jsonobj.DecodeString(data)
		if !ok {
			return json.Unmarshal(data, &s)
		}
		*t = typeNames{s}
		return nil
	}
	ss, ok := jsonobj.DecodeStrings(data)
	if !ok {
		return fmt.Errorf("want a type name or an array of type names, got %s", jsonobj.Describe(data))
	}
	*t = ss
	return nil
}

// parseEntry reads one credentialStatus entry. Its Err wraps ErrMalformed
// when a member has the wrong type; what the entry lacks for its type is
// checked later.
func parseEntry(raw json.RawMessage) EntryInfo {
	r := EntryInfo{Index: -1}
	e := &r.Entry
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		r.Err = fmt.Errorf("%w: the entry is %s, not an object", ErrMalformed, jsonobj.Describe(raw))
		return r
	}
	str := func(name string, dst *string) bool {
		v, ok := m[name]
		if !ok {
			return true
		}
		if err := json.Unmarshal(v, dst); err != nil {
			r.Err = fmt.Errorf("%w: %s is %s, not a string", ErrMalformed, name, jsonobj.Describe(v))
			return false
		}
		return true
	}
	if !str("id", &e.ID) || !str("statusPurpose", (*string)(&e.StatusPurpose)) || !str("statusListCredential", &e.StatusListCredential) {
		return r
	}
	var types typeNames
	if v, ok := m["type"]; ok {
		if err := json.Unmarshal(v, &types); err != nil {
			r.Err = fmt.Errorf("%w: type is %s, not a string or an array of strings", ErrMalformed, jsonobj.Describe(v))
			return r
		}
	}
	r.Types = types
	if len(types) > 0 {
		e.Type = types[0]
	}
	if v, ok := m["statusListIndex"]; ok {
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			// A JSON number: the 1EdTech validator's fixtures write one.
			var n json.Number
			dec := json.NewDecoder(bytes.NewReader(v))
			dec.UseNumber()
			if dec.Decode(&n) != nil {
				r.Err = fmt.Errorf("%w: statusListIndex is %s, not a string", ErrMalformed, jsonobj.Describe(v))
				return r
			}
			s, r.IndexIsNumber = n.String(), true
		}
		e.StatusListIndex = s
		i, err := parseIndex(s)
		if err != nil {
			r.Err = fmt.Errorf("statusListIndex: %w", err)
			return r
		}
		r.Index = i
	}
	if v, ok := m["statusSize"]; ok {
		var n int
		if err := json.Unmarshal(v, &n); err != nil || n <= 0 {
			r.Err = fmt.Errorf("%w: statusSize is %s, not a positive integer", ErrMalformed, jsonobj.Describe(v))
			return r
		}
		e.StatusSize = n
	}
	if v, ok := m["statusMessage"]; ok {
		msgs, err := parseStatusMessages(v)
		if err != nil {
			r.Err = err
			return r
		}
		e.StatusMessage = msgs
	}
	if v, ok := m["statusReference"]; ok {
		var refs References
		if err := refs.UnmarshalJSON(v); err != nil {
			r.Err = err
			return r
		}
		e.StatusReference = refs
	}
	return r
}

// parseStatusMessages reads a statusMessage: an array of objects, each
// with a string status and a string message (and perhaps other members,
// which the W3C Recommendation allows and this package ignores).
func parseStatusMessages(raw json.RawMessage) ([]StatusMessage, error) {
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil || items == nil {
		return nil, fmt.Errorf("%w: statusMessage is %s, not an array", ErrMalformed, jsonobj.Describe(raw))
	}
	if len(items) > 1<<MaxStatusSize {
		return nil, fmt.Errorf("%w: statusMessage has %d elements, more than any statusSize up to %d has values", ErrUnsupported, len(items), MaxStatusSize)
	}
	out := make([]StatusMessage, len(items))
	for i, item := range items {
		var m struct {
			Status  *string `json:"status"`
			Message *string `json:"message"`
		}
		if err := json.Unmarshal(item, &m); err != nil || m.Status == nil || m.Message == nil {
			return nil, fmt.Errorf("%w: statusMessage[%d] is not an object with a string status and a string message", ErrMalformed, i)
		}
		out[i] = StatusMessage{Status: *m.Status, Message: *m.Message}
	}
	return out, nil
}
