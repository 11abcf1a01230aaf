package jsonobj

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"unicode/utf8"
)

// These splitters cut an object into its members and an array into its
// elements without decoding the values, in one pass. encoding/json checks
// the whole of its input every time it is called, so decoding a document
// level by level with it costs the document's size once per level; the
// splitters let each level look at its own bytes only. They check the
// structure they walk (brackets, strings, separators) and fail on anything
// else, but leave scalars to encoding/json, which checks them when it
// decodes them.

var errSyntax = errors.New("invalid JSON")

// eachMember calls fn with each member of the JSON object data, in order:
// its name as it is written, quotes included, and the bytes of its value.
func eachMember(data []byte, fn func(quoted, value []byte) error) error {
	return walk(data, '{', '}', func(i int) (int, error) {
		end, err := skipString(data, i)
		if err != nil {
			return 0, err
		}
		quoted := data[i:end]
		i = skipSpace(data, end)
		if i >= len(data) || data[i] != ':' {
			return 0, errSyntax
		}
		start := skipSpace(data, i+1)
		if end, err = skipValue(data, start); err != nil {
			return 0, err
		}
		return end, fn(quoted, data[start:end])
	})
}

// nameIs reports whether the member name written as quoted is name,
// decoding it only when it has escapes.
func nameIs(quoted []byte, name string) (bool, error) {
	if bytes.IndexByte(quoted, '\\') < 0 {
		return string(quoted[1:len(quoted)-1]) == name, nil
	}
	n, err := decodeName(quoted)
	return err == nil && n == name, err
}

// splitObject returns the members of the JSON object data in order.
func splitObject(data []byte) ([]ObjectMember, error) {
	// Room for the members of most objects a credential holds, so that
	// the slice is made once rather than grown four times.
	out := make([]ObjectMember, 0, 8)
	err := eachMember(data, func(quoted, value []byte) error {
		name, err := decodeName(quoted)
		if err != nil {
			return err
		}
		out = append(out, ObjectMember{Name: name, Value: value})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// SplitArray returns the raw elements of the JSON array data.
func SplitArray(data []byte) ([][]byte, error) {
	// Gathered on the stack, then copied once at their number.
	var buf [8][]byte
	out := buf[:0]
	err := walk(data, '[', ']', func(i int) (int, error) {
		end, err := skipValue(data, i)
		if err != nil {
			return 0, err
		}
		out = append(out, data[i:end])
		return end, nil
	})
	if err != nil || len(out) == 0 {
		return nil, err
	}
	return append([][]byte(nil), out...), nil
}

// walk checks that data is one container delimited by open and close,
// calling item with the index of each entry, which returns the index just
// past it; entries are separated by commas and nothing may follow close.
func walk(data []byte, open, close byte, item func(i int) (int, error)) error {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != open {
		return errSyntax
	}
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == close {
		return trailing(data, i+1)
	}
	for {
		end, err := item(i)
		if err != nil {
			return err
		}
		i = skipSpace(data, end)
		if i >= len(data) {
			return errSyntax
		}
		switch data[i] {
		case ',':
			i = skipSpace(data, i+1)
		case close:
			return trailing(data, i+1)
		default:
			return errSyntax
		}
	}
}

func trailing(data []byte, i int) error {
	if skipSpace(data, i) != len(data) {
		return errSyntax
	}
	return nil
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index just past the string starting at data[i].
func skipString(data []byte, i int) (int, error) {
	if i >= len(data) || data[i] != '"' {
		return 0, errSyntax
	}
	for i++; i < len(data); i++ {
		switch data[i] {
		case '\\':
			i++ // the escaped character; \uXXXX is checked on decoding
		case '"':
			return i + 1, nil
		}
	}
	return 0, errSyntax
}

// skipValue returns the index just past the value starting at data[i].
func skipValue(data []byte, i int) (int, error) {
	if i >= len(data) {
		return 0, errSyntax
	}
	switch data[i] {
	case '"':
		return skipString(data, i)
	case '{', '[':
		depth := 0
		for ; i < len(data); i++ {
			switch data[i] {
			case '"':
				end, err := skipString(data, i)
				if err != nil {
					return 0, err
				}
				i = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1, nil
				}
			}
		}
		return 0, errSyntax
	}
	// A scalar: up to the next delimiter.
	start := i
	for i < len(data) && !isDelimiter(data[i]) {
		i++
	}
	if i == start {
		return 0, errSyntax
	}
	return i, nil
}

func isDelimiter(c byte) bool {
	switch c {
	case ',', '}', ']', ':', ' ', '\t', '\n', '\r', '"', '{', '[':
		return true
	}
	return false
}

// decodeName returns the text of a member name (a JSON string with its
// quotes): plain ASCII as is, anything else (escapes, UTF-8, which
// encoding/json checks) through encoding/json.
func decodeName(quoted []byte) (string, error) {
	inner := quoted[1 : len(quoted)-1]
	for _, c := range inner {
		if c == '\\' || c < 0x20 || c >= utf8.RuneSelf {
			var s string
			if err := json.Unmarshal(quoted, &s); err != nil {
				return "", fmt.Errorf("%w: member name: %v", errSyntax, err)
			}
			return s, nil
		}
	}
	return string(inner), nil
}

// SplitObject returns the members of the JSON object data by name, each
// value the exact bytes of data it occupies (not a copy): what
// json.Unmarshal into a map[string]json.RawMessage gives, a later member
// of a name winning, in one pass over data instead of a check and a
// decode. The caller must know data to be valid JSON (json.Valid, Scan):
// scalars are not checked. An error means data is not an object.
func SplitObject(data []byte) (map[string]json.RawMessage, error) {
	// The members are gathered on the stack (for most objects) to size
	// the map.
	var buf [24]ObjectMember
	members := buf[:0]
	err := eachMember(data, func(quoted, value []byte) error {
		name, err := decodeName(quoted)
		if err != nil {
			return err
		}
		members = append(members, ObjectMember{Name: name, Value: value})
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make(map[string]json.RawMessage, len(members))
	for _, m := range members {
		out[m.Name] = m.Value
	}
	return out, nil
}

// An ObjectMember is one member of a JSON object: its name, decoded, and the exact
// bytes of its value.
type ObjectMember struct {
	Name  string
	Value json.RawMessage
}

// SplitMembers returns the members of the JSON object data in order,
// duplicates included, each value the bytes of data it occupies (not a
// copy): SplitObject for a caller that must see every name, to refuse one
// named twice or to match names as it chooses. As for SplitObject, the
// caller must know data to be valid JSON; an error means data is not an
// object.
func SplitMembers(data []byte) ([]ObjectMember, error) {
	members, err := splitObject(data)
	if err != nil {
		return nil, err
	}
	if members == nil {
		members = []ObjectMember{}
	}
	return members, nil
}

// DecodeString is json.Unmarshal of raw into a string: ok is whether it
// succeeds (a JSON string, or null, which leaves s empty). A string without
// escapes, control characters or invalid UTF-8, as nearly all are, is
// taken as it is, without encoding/json's pass over the bytes and its
// allocations.
func DecodeString(raw []byte) (s string, ok bool) {
	return DecodeStringIn(raw, nil)
}

// DecodeStringIn is DecodeString, taking a string written without
// escapes from intern, when intern holds it, rather than making a copy.
func DecodeStringIn(raw []byte, intern map[string]string) (string, bool) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return unmarshalString(raw)
	}
	body := raw[1 : len(raw)-1]
	if plainASCII(body) {
		// The body of a string of printable ASCII is the string itself.
		if s, ok := intern[string(body)]; ok {
			return s, true
		}
		return string(body), true
	}
	if utf8.Valid(body) && !hasSpecial(body) {
		return string(body), true
	}
	return unmarshalString(raw)
}

// unmarshalString is json.Unmarshal into a string, apart so that the
// string DecodeStringIn returns on its common paths is not moved to the
// heap (by taking its address) before it is known to be needed.
func unmarshalString(raw []byte) (string, bool) {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", false
	}
	return s, true
}

// plainASCII reports whether b is printable ASCII without a quote or a
// backslash: a JSON string body that is its own decoding.
func plainASCII(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c == '"' || c == '\\' || c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// hasSpecial reports whether b holds a byte a JSON string must escape, or
// an escape.
func hasSpecial(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c == '"' || c == '\\' {
			return true
		}
	}
	return false
}

// DecodeStrings is json.Unmarshal of raw into a []string: ok is whether it
// succeeds (an array of strings and nulls, each null an empty string; or
// null, which gives nil). Plain strings are taken as DecodeString takes
// them.
func DecodeStrings(raw []byte) (ss []string, ok bool) {
	return DecodeStringsIn(raw, nil)
}

// DecodeStringsIn is DecodeStrings, each string taken as DecodeStringIn
// takes it.
func DecodeStringsIn(raw []byte, intern map[string]string) ([]string, bool) {
	i := skipSpace(raw, 0)
	if i >= len(raw) || raw[i] != '[' {
		var ss []string
		return ss, json.Unmarshal(raw, &ss) == nil
	}
	// Gathered on the stack, then copied once at their number.
	var buf [8]string
	ss := buf[:0]
	err := walk(raw, '[', ']', func(i int) (int, error) {
		end, err := skipValue(raw, i)
		if err != nil {
			return 0, err
		}
		s, ok := DecodeStringIn(raw[i:end], intern)
		if !ok {
			return 0, errSyntax
		}
		ss = append(ss, s)
		return end, nil
	})
	if err != nil {
		return nil, false
	}
	return append([]string{}, ss...), true
}

// Member returns the value of the last member named name of the JSON
// object data, which the caller knows to be valid JSON, without decoding
// anything else; ok is false if data is not an object or has no such
// member.
func Member(data []byte, name string) (value []byte, ok bool) {
	err := eachMember(data, func(quoted, v []byte) error {
		// A name that cannot be decoded is not name.
		if is, _ := nameIs(quoted, name); is {
			value, ok = v, true
		}
		return nil
	})
	if err != nil {
		return nil, false
	}
	return value, ok
}

// HasMember reports whether the JSON object data has a member with one of
// the names, looking at its members' names only: data is not checked
// beyond its structure, so a caller that must know it valid checks it
// itself. It is false if data is not an object.
func HasMember(data []byte, names ...string) bool {
	found := false
	err := eachMember(data, func(quoted, _ []byte) error {
		name := string(quoted[1 : len(quoted)-1])
		if bytes.IndexByte(quoted, '\\') >= 0 {
			var err error
			if name, err = decodeName(quoted); err != nil {
				return err
			}
		}
		if slices.Contains(names, name) {
			found = true
		}
		return nil
	})
	return err == nil && found
}
