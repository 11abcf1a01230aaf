package status

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-openbadges/openbadges/internal/jsonobj"
)

// Limits on the credentials this package reads.
const (
	// DefaultMaxCredentialBytes bounds a credential read by ParseEntries,
	// ReadCredential (and so a status check) and Registry.RevokeCredential:
	// 4 MiB, package credential's DefaultMaxBytes.
	DefaultMaxCredentialBytes = 4 << 20
	// MaxEntries bounds the credentialStatus entries of one credential.
	MaxEntries = 64
	// MaxStatusSize is the largest statusSize this package reads and
	// allocates: 16 bits, whose 65,536 values a credential's statusMessage
	// lists one by one. EntryInfo.CheckBitstring refuses a larger
	// statusSize with ErrUnsupported (a status check: Indeterminate).
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

// Extra returns the entry's members other than id and type, each as
// JSON, in the form a data model that keeps id and type as fields holds
// the rest: credential.CredentialStatus{ID: e.ID, Type:
// credential.TypeName(e.Type), Extra: e.Extra()} is the entry as package
// credential models it. It is nil for an entry with no other member (a
// 1EdTech entry).
func (e Entry) Extra() map[string]json.RawMessage {
	var extra map[string]json.RawMessage
	add := func(name string, v any) {
		if extra == nil {
			extra = make(map[string]json.RawMessage)
		}
		raw, _ := jsonobj.Marshal(v) // strings, numbers and their arrays always marshal
		extra[name] = raw
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
	return extra
}

// Message returns what the value v of the entry's status means: the
// message its statusMessage gives v, or, when it gives none, "unset" for 0
// and "set" for any other value, the W3C Recommendation's messages for a
// single bit.
func (e Entry) Message(v int) string { return messageFor(e.StatusMessage, v) }

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
