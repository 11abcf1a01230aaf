package status

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/internal/jsonobj"
)

// Limits on the credentials this package reads.
const (
	// DefaultMaxCredentialBytes bounds a credential read by ParseEntries,
	// Checker.Check and Registry.RevokeCredential when no other limit is
	// set.
	DefaultMaxCredentialBytes = credential.DefaultMaxBytes
	// MaxEntries bounds the credentialStatus entries of one credential.
	MaxEntries = 64
	// maxDepth bounds how deeply a credential or list document nests.
	maxDepth = 64
)

// An Entry is a credentialStatus entry: the member a credential carries so
// that verifiers can learn its status. A Registry allocates them; marshal one
// with encoding/json, or convert it with CredentialStatus, to put it in a
// credential.
//
// A BitstringStatusListEntry has every field; a 1EdTechRevocationList entry
// has only ID (the list's URL) and Type.
type Entry struct {
	// ID identifies the entry: "<list URL>#<index>" for a bitstring entry
	// (the W3C examples' form; it must not be the list's URL), the list's
	// URL for a 1EdTech entry.
	ID string `json:"id,omitempty"`
	// Type is "BitstringStatusListEntry" or "1EdTechRevocationList".
	Type string `json:"type"`
	// StatusPurpose is "revocation" or "suspension".
	StatusPurpose Purpose `json:"statusPurpose,omitempty"`
	// StatusListIndex is the index, in base 10, as the W3C
	// Recommendation requires: a string.
	StatusListIndex string `json:"statusListIndex,omitempty"`
	// StatusListCredential is the URL of the list.
	StatusListCredential string `json:"statusListCredential,omitempty"`
}

// ListURL returns the URL of the entry's list: StatusListCredential, or for
// a 1EdTech entry its ID.
func (e Entry) ListURL() string {
	if e.Type == string(Method1EdTech) {
		return e.ID
	}
	return e.StatusListCredential
}

// Index returns StatusListIndex as an int, or an error wrapping
// ErrMalformed if it is not a base-10 integer, or ErrIndexOutOfRange if it
// is larger than any list.
func (e Entry) Index() (int, error) {
	return parseIndex(e.StatusListIndex)
}

// Context returns the context URL a VCDM 2.0 credential must list, besides
// https://www.w3.org/ns/credentials/v2, for the entry to be defined:
// ContextOBExtensions for a 1EdTech entry, "" for a bitstring entry. (A VCDM
// 1.1 credential needs ContextStatusV1 for a bitstring entry.)
func (e Entry) Context() string {
	if e.Type == string(Method1EdTech) {
		return ContextOBExtensions
	}
	return ""
}

// CredentialStatus returns the entry as package credential models it, to
// put in a credential's CredentialStatus.
func (e Entry) CredentialStatus() credential.CredentialStatus {
	cs := credential.CredentialStatus{ID: e.ID, Type: credential.TypeName(e.Type)}
	add := func(name, v string) {
		if v == "" {
			return
		}
		if cs.Extra == nil {
			cs.Extra = make(map[string]json.RawMessage)
		}
		raw, _ := jsonobj.Marshal(v) // a string always marshals
		cs.Extra[name] = raw
	}
	add("statusPurpose", string(e.StatusPurpose))
	add("statusListIndex", e.StatusListIndex)
	add("statusListCredential", e.StatusListCredential)
	return cs
}

// ParseEntries returns the credentialStatus entries of a credential, in
// order: a JSON credential, or a compact JWS whose payload is one (a VC-JWT,
// or a VCDM 1.1 JWT with a vc claim), read without checking its signature.
// A statusListIndex written as a JSON number is returned in base 10. An
// entry that is not an object, or whose members have the wrong JSON types,
// is an error wrapping ErrMalformed; a credential with no credentialStatus
// has no entries.
func ParseEntries(cred []byte) ([]Entry, error) {
	c, err := readCredential(cred, DefaultMaxCredentialBytes)
	if err != nil {
		return nil, err
	}
	if c.statusErr != nil {
		return nil, c.statusErr
	}
	out := make([]Entry, 0, len(c.statuses))
	for i, raw := range c.statuses {
		r := parseEntry(raw)
		if r.err != nil {
			return nil, fmt.Errorf("credentialStatus[%d]: %w", i, r.err)
		}
		e := Entry{ID: r.id, StatusPurpose: Purpose(r.purpose), StatusListIndex: r.indexText, StatusListCredential: r.listURL}
		if len(r.types) > 0 {
			e.Type = r.types[0]
		}
		out = append(out, e)
	}
	return out, nil
}

// credentialInfo is what a status check needs of a credential.
type credentialInfo struct {
	id, issuer string
	statuses   []json.RawMessage
	// statusErr is set when credentialStatus is there but is neither an
	// object nor an array of at most MaxEntries.
	statusErr error
}

// readCredential reads a JSON credential, or the credential in a compact
// JWS's payload, within maxBytes.
func readCredential(data []byte, maxBytes int) (*credentialInfo, error) {
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
	info := &credentialInfo{}
	_ = json.Unmarshal(c.ID, &info.id) // an id that is not a string is no id
	info.issuer = issuerID(c.Issuer)
	if fromJWT {
		if info.id == "" {
			info.id = jwt.ID
		}
		if info.issuer == "" {
			info.issuer = jwt.Issuer
		}
	}
	info.statuses, info.statusErr = splitStatuses(c.CredentialStatus)
	return info, nil
}

// issuerID reads an issuer: a string, or an object with a string id.
func issuerID(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var o struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(raw, &o) == nil {
		return o.ID
	}
	return ""
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

// rawEntry is a credentialStatus entry as read for a check.
type rawEntry struct {
	id, purpose, listURL string
	types                []string
	// index is the statusListIndex, -1 when absent; indexText is as
	// written, a JSON number in base 10.
	index      int
	indexText  string
	indexIsNum bool
	// statusSize is 0 when absent.
	statusSize int
	// err says what is malformed.
	err error
}

func (r *rawEntry) is(t string) bool {
	for _, x := range r.types {
		if x == t {
			return true
		}
	}
	return false
}

// parseEntry reads one credentialStatus entry. Its err wraps ErrMalformed
// when a member has the wrong type; what the entry lacks for its type is
// checked later.
func parseEntry(raw json.RawMessage) rawEntry {
	r := rawEntry{index: -1}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		r.err = fmt.Errorf("%w: the entry is %s, not an object", ErrMalformed, jsonobj.Describe(raw))
		return r
	}
	str := func(name string, dst *string) bool {
		v, ok := m[name]
		if !ok {
			return true
		}
		if err := json.Unmarshal(v, dst); err != nil {
			r.err = fmt.Errorf("%w: %s is %s, not a string", ErrMalformed, name, jsonobj.Describe(v))
			return false
		}
		return true
	}
	if !str("id", &r.id) || !str("statusPurpose", &r.purpose) || !str("statusListCredential", &r.listURL) {
		return r
	}
	var types credential.Types
	if v, ok := m["type"]; ok {
		if err := json.Unmarshal(v, &types); err != nil {
			r.err = fmt.Errorf("%w: type is %s, not a string or an array of strings", ErrMalformed, jsonobj.Describe(v))
			return r
		}
	}
	r.types = types
	if v, ok := m["statusListIndex"]; ok {
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			// A JSON number: the 1EdTech validator's fixtures write one.
			var n json.Number
			dec := json.NewDecoder(bytes.NewReader(v))
			dec.UseNumber()
			if dec.Decode(&n) != nil {
				r.err = fmt.Errorf("%w: statusListIndex is %s, not a string", ErrMalformed, jsonobj.Describe(v))
				return r
			}
			s, r.indexIsNum = n.String(), true
		}
		r.indexText = s
		i, err := parseIndex(s)
		if err != nil {
			r.err = fmt.Errorf("statusListIndex: %w", err)
			return r
		}
		r.index = i
	}
	if v, ok := m["statusSize"]; ok {
		var n int
		if err := json.Unmarshal(v, &n); err != nil || n <= 0 {
			r.err = fmt.Errorf("%w: statusSize is %s, not a positive integer", ErrMalformed, jsonobj.Describe(v))
			return r
		}
		r.statusSize = n
	}
	return r
}

// maxIndexDigits bounds a statusListIndex: no list has 10^12 entries.
const maxIndexDigits = 12

// parseIndex reads a statusListIndex: base-10 digits only.
func parseIndex(s string) (int, error) {
	if s == "" {
		return 0, fmt.Errorf("%w: empty index", ErrMalformed)
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("%w: index %q is not a base-10 integer", ErrMalformed, truncate(s, 40))
		}
	}
	if len(s) > maxIndexDigits {
		return 0, fmt.Errorf("%w: index %s… is larger than any list", ErrIndexOutOfRange, s[:maxIndexDigits])
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("%w: index %q: %w", ErrMalformed, s, err)
	}
	return n, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
