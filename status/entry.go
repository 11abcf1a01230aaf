package status

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"

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
	// MaxStatusSize is the largest statusSize this package reads and
	// allocates: 16 bits, whose 65,536 values a credential's statusMessage
	// lists one by one. A larger statusSize is Indeterminate with
	// ErrUnsupported.
	MaxStatusSize = 16
	// maxDepth bounds how deeply a credential or list document nests.
	maxDepth = 64
)

// An Entry is a credentialStatus entry: the member a credential carries so
// that verifiers can learn its status. A Registry allocates them; marshal one
// with encoding/json, or convert it with CredentialStatus, to put it in a
// credential.
//
// A BitstringStatusListEntry has the fields from ID to StatusListCredential,
// and those that follow when its status takes more than one bit or has
// messages; a 1EdTechRevocationList entry has only ID (the list's URL) and
// Type.
type Entry struct {
	// ID identifies the entry: "<list URL>#<index>" for a bitstring entry
	// (the W3C examples' form; it must not be the list's URL), the list's
	// URL for a 1EdTech entry.
	ID string `json:"id,omitempty"`
	// Type is "BitstringStatusListEntry" or "1EdTechRevocationList".
	Type string `json:"type"`
	// StatusPurpose is "revocation", "suspension" or "message".
	StatusPurpose Purpose `json:"statusPurpose,omitempty"`
	// StatusListIndex is the index, in base 10, as the W3C
	// Recommendation requires: a string.
	StatusListIndex string `json:"statusListIndex,omitempty"`
	// StatusListCredential is the URL of the list.
	StatusListCredential string `json:"statusListCredential,omitempty"`
	// StatusSize is the number of bits of the entry's status value. Zero
	// (absent) means 1, as it does in the W3C Recommendation; a Registry
	// writes it only for the entries of a list whose values take more than
	// one bit.
	StatusSize int `json:"statusSize,omitempty"`
	// StatusMessage says what each value of the entry's status means. It
	// has one element for each of the 2^StatusSize values, and is required
	// when StatusSize is more than 1.
	StatusMessage []StatusMessage `json:"statusMessage,omitempty"`
	// StatusReference names material that explains the status values.
	StatusReference References `json:"statusReference,omitempty"`
}

// A StatusMessage is one element of a BitstringStatusListEntry's
// statusMessage: what one value of the entry's status means.
type StatusMessage struct {
	// Status is the value in hexadecimal, prefixed with "0x": "0x0",
	// "0x1", "0x2a".
	Status string `json:"status"`
	// Message says what the value means. The W3C Recommendation meant it
	// for software developers, to help with debugging, and says it should
	// not be shown to end users.
	Message string `json:"message"`
}

// Value returns the status value m describes: Status read as hexadecimal,
// or an error wrapping ErrMalformed if it is not "0x" followed by
// hexadecimal digits.
func (m StatusMessage) Value() (int, error) {
	return parseHexStatus(m.Status)
}

// NewStatusMessages returns a statusMessage with one element per message,
// in order: the i-th says that the value i means messages[i]. For an
// entry of StatusSize n, give 2^n messages.
func NewStatusMessages(messages ...string) []StatusMessage {
	out := make([]StatusMessage, len(messages))
	for i, m := range messages {
		out[i] = StatusMessage{Status: "0x" + strconv.FormatInt(int64(i), 16), Message: m}
	}
	return out
}

// maxHexDigits bounds the digits of a statusMessage's status.
const maxHexDigits = 16

// parseHexStatus reads a statusMessage's status: "0x" and hexadecimal
// digits, which may have leading zeros.
func parseHexStatus(s string) (int, error) {
	digits, ok := strings.CutPrefix(s, "0x")
	if !ok || digits == "" || len(digits) > maxHexDigits {
		return 0, fmt.Errorf("%w: status %q is not a hexadecimal value prefixed with 0x", ErrMalformed, truncate(s, 40))
	}
	v, err := strconv.ParseUint(digits, 16, 63)
	if err != nil {
		return 0, fmt.Errorf("%w: status %q is not a hexadecimal value prefixed with 0x", ErrMalformed, truncate(s, 40))
	}
	return int(v), nil
}

// checkStatusMessages checks a statusMessage against the entry's
// statusSize: one element for each of its 2^size possible values (the
// W3C Recommendation: "the number of status messages MUST equal the
// number of possible values"), each value stated once. Together these
// mean that every value has its message.
func checkStatusMessages(size int, msgs []StatusMessage) error {
	if size < 1 || size > MaxStatusSize {
		return fmt.Errorf("%w: statusSize %d (this package reads 1 to %d)", ErrUnsupported, size, MaxStatusSize)
	}
	want := 1 << size
	if len(msgs) != want {
		return fmt.Errorf("%w: statusMessage has %d elements; statusSize %d has %d possible values, and the number of messages must equal it", ErrMalformed, len(msgs), size, want)
	}
	seen := make([]bool, want)
	for i, m := range msgs {
		v, err := m.Value()
		if err != nil {
			return fmt.Errorf("statusMessage[%d]: %w", i, err)
		}
		if v >= want {
			return fmt.Errorf("%w: statusMessage[%d]: status %s does not fit in statusSize %d", ErrMalformed, i, m.Status, size)
		}
		if seen[v] {
			return fmt.Errorf("%w: statusMessage[%d]: status %s is described twice", ErrMalformed, i, m.Status)
		}
		seen[v] = true
	}
	return nil
}

// messageFor returns the message of value v: from msgs, checked by
// checkStatusMessages, or without them "set" or "unset", the W3C
// Recommendation's messages for a single bit.
func messageFor(msgs []StatusMessage, v int) string {
	for _, m := range msgs {
		if x, err := m.Value(); err == nil && x == v {
			return m.Message
		}
	}
	if v == 0 {
		return "unset"
	}
	return "set"
}

// References are the URLs of a statusReference. In JSON one URL is
// written as a string and more as an array; either form is read.
type References []string

// MarshalJSON writes one URL as a string, more as an array.
func (r References) MarshalJSON() ([]byte, error) {
	if len(r) == 1 {
		return json.Marshal(r[0])
	}
	return json.Marshal([]string(r))
}

// UnmarshalJSON reads a string or an array of strings.
func (r *References) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if bytes.Equal(data, []byte("null")) {
		return nil
	}
	var s string
	if len(data) > 0 && data[0] == '"' && json.Unmarshal(data, &s) == nil {
		*r = References{s}
		return nil
	}
	var ss []string
	if err := json.Unmarshal(data, &ss); err != nil || len(data) == 0 || data[0] != '[' {
		return fmt.Errorf("%w: statusReference is %s, not a URL or an array of URLs", ErrMalformed, jsonobj.Describe(data))
	}
	*r = ss
	return nil
}

// checkReferences checks that each statusReference is an absolute URL.
func checkReferences(refs []string) error {
	for _, u := range refs {
		if err := checkAbsoluteURL(u); err != nil {
			return fmt.Errorf("statusReference: %w", err)
		}
	}
	return nil
}

// checkAbsoluteURL checks that u is an absolute URL of reasonable length.
func checkAbsoluteURL(u string) error {
	if len(u) > maxURLLen {
		return fmt.Errorf("%w: a URL is longer than %d bytes", ErrMalformed, maxURLLen)
	}
	p, err := url.Parse(u)
	if err != nil || !p.IsAbs() || p.Opaque == "" && p.Host == "" && p.Path == "" {
		return fmt.Errorf("%w: %q is not an absolute URL", ErrMalformed, truncate(u, 80))
	}
	return nil
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
	add := func(name string, v any) {
		if cs.Extra == nil {
			cs.Extra = make(map[string]json.RawMessage)
		}
		raw, _ := jsonobj.Marshal(v) // strings, numbers and their arrays always marshal
		cs.Extra[name] = raw
	}
	for _, m := range []struct{ name, v string }{
		{"statusPurpose", string(e.StatusPurpose)},
		{"statusListIndex", e.StatusListIndex},
		{"statusListCredential", e.StatusListCredential},
	} {
		if m.v != "" {
			add(m.name, m.v)
		}
	}
	if e.StatusSize != 0 {
		add("statusSize", e.StatusSize)
	}
	if len(e.StatusMessage) > 0 {
		add("statusMessage", e.StatusMessage)
	}
	if len(e.StatusReference) > 0 {
		add("statusReference", e.StatusReference)
	}
	return cs
}

// ParseEntries returns the credentialStatus entries of a credential, in
// order: a JSON credential, or a compact JWS whose payload is one (a VC-JWT,
// or a VCDM 1.1 JWT with a vc claim), read without checking its signature.
// A statusListIndex written as a JSON number is returned in base 10. An
// entry that is not an object, or whose members have the wrong JSON types,
// is an error wrapping ErrMalformed; a credential with no credentialStatus
// has no entries. Whether a statusMessage fits its statusSize is for a
// Checker to judge, not ParseEntries.
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
		e := Entry{
			ID: r.id, StatusPurpose: Purpose(r.purpose), StatusListIndex: r.indexText, StatusListCredential: r.listURL,
			StatusSize: r.statusSize, StatusMessage: r.messages, StatusReference: r.references,
		}
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
	// messages is the statusMessage, nil when absent; references the
	// statusReference.
	messages   []StatusMessage
	references []string
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
	if v, ok := m["statusMessage"]; ok {
		msgs, err := parseStatusMessages(v)
		if err != nil {
			r.err = err
			return r
		}
		r.messages = msgs
	}
	if v, ok := m["statusReference"]; ok {
		var refs References
		if err := refs.UnmarshalJSON(v); err != nil {
			r.err = err
			return r
		}
		r.references = refs
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
