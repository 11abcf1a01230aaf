package credential

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/internal/jsonobj"
)

// Types is the value of a `type` property that holds a set of type names.
// JSON may give it as one string or an array of strings; it is always
// encoded as an array, as the OB 3.0 JSON Schema requires.
type Types []string

// Has reports whether t names typ.
func (t Types) Has(typ string) bool { return slices.Contains(t, typ) }

// UnmarshalJSON accepts a string or an array of strings.
func (t *Types) UnmarshalJSON(data []byte) error {
	if len(data) > 0 && data[0] == '"' {
		s, ok := jsonobj.DecodeStringIn(data, interned())
		if !ok {
			return json.Unmarshal(data, &s)
		}
		*t = Types{s}
		return nil
	}
	ss, ok := jsonobj.DecodeStringsIn(data, interned())
	if !ok {
		return fmt.Errorf("want a type name or an array of type names, got %s", jsonobj.Describe(data))
	}
	*t = ss
	return nil
}

// TypeName is the value of a `type` property that holds exactly one type
// name, as in Image, IdentityObject or Proof. JSON may give it as an array
// of one name (JSON-LD treats the two alike); it is encoded as a string, as
// the OB 3.0 JSON Schema requires.
type TypeName string

// UnmarshalJSON accepts a string or an array holding one string.
func (t *TypeName) UnmarshalJSON(data []byte) error {
	var ts Types
	if err := ts.UnmarshalJSON(data); err != nil {
		return err
	}
	if len(ts) != 1 {
		return fmt.Errorf("want one type name, got %d", len(ts))
	}
	*t = TypeName(ts[0])
	return nil
}

// List is a property whose value is an array of T. JSON may give a single T
// instead of an array of one (JSON-LD treats the two alike); List always
// encodes as an array, as the OB 3.0 JSON Schema requires.
type List[T any] []T

// UnmarshalJSON accepts one T or an array of T.
func (l *List[T]) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '[' {
		raws, err := jsonobj.SplitArray(data)
		if err != nil {
			return err
		}
		out := make(List[T], len(raws))
		for i, raw := range raws {
			if err := jsonobj.DecodeValue(raw, &out[i]); err != nil {
				return jsonobj.AtIndex(i, err)
			}
		}
		*l = out
		return nil
	}
	var v T
	if err := jsonobj.DecodeValue(data, &v); err != nil {
		return err
	}
	*l = List[T]{v}
	return nil
}

// OneOrMany is a property that usually holds one T but may hold several,
// such as credentialStatus. JSON may give one T or an array; one element is
// encoded as a bare value (the form the OB 3.0 JSON Schema requires) and
// several as an array.
type OneOrMany[T any] []T

// UnmarshalJSON accepts one T or an array of T.
func (l *OneOrMany[T]) UnmarshalJSON(data []byte) error {
	return (*List[T])(l).UnmarshalJSON(data)
}

// MarshalJSON encodes one element as a bare value and several as an array.
func (l OneOrMany[T]) MarshalJSON() ([]byte, error) {
	if len(l) == 1 {
		return jsonobj.Marshal(l[0])
	}
	return jsonobj.Marshal([]T(l))
}

// Context is the value of `@context`: an ordered list of context URLs and
// embedded context definitions. JSON may give a single entry; it is always
// encoded as an array.
type Context []ContextEntry

// ContextEntry is one entry of a Context: either a URL, or an embedded
// context definition kept verbatim.
type ContextEntry struct {
	URL    string          // set when the entry is a URL
	Object json.RawMessage // set when the entry is an embedded context object
}

// ContextURLs returns a Context of the given URLs, in order.
func ContextURLs(urls ...string) Context {
	c := make(Context, len(urls))
	for i, u := range urls {
		c[i] = ContextEntry{URL: u}
	}
	return c
}

// Has reports whether url is one of the context's URL entries.
func (c Context) Has(url string) bool {
	return slices.ContainsFunc(c, func(e ContextEntry) bool { return e.URL == url })
}

// URLs lists the URL entries in order, skipping embedded definitions.
func (c Context) URLs() []string {
	var out []string
	for _, e := range c {
		if e.URL != "" {
			out = append(out, e.URL)
		}
	}
	return out
}

// UnmarshalJSON accepts a URL string or an object.
func (e *ContextEntry) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	switch {
	case len(data) > 0 && data[0] == '"':
		s, ok := jsonobj.DecodeStringIn(data, interned())
		if !ok {
			return json.Unmarshal(data, &s)
		}
		if s == "" {
			return errors.New("want a context URL, got an empty string")
		}
		*e = ContextEntry{URL: s}
	case len(data) > 0 && data[0] == '{':
		*e = ContextEntry{Object: slices.Clone(json.RawMessage(data))}
	default:
		return fmt.Errorf("want a context URL or object, got %s", jsonobj.Describe(data))
	}
	return nil
}

// MarshalJSON encodes the URL as a string or the object verbatim.
func (e ContextEntry) MarshalJSON() ([]byte, error) {
	switch {
	case e.URL != "" && e.Object != nil:
		return nil, errors.New("context entry has both a URL and an object")
	case e.Object != nil:
		var buf bytes.Buffer
		if err := json.Compact(&buf, e.Object); err != nil {
			return nil, fmt.Errorf("context object is not valid JSON: %w", err)
		}
		return buf.Bytes(), nil
	case e.URL == "":
		return nil, errors.New("empty context entry")
	}
	return jsonobj.Marshal(e.URL)
}

// UnmarshalJSON accepts one entry or an array of entries.
func (c *Context) UnmarshalJSON(data []byte) error {
	return (*List[ContextEntry])(c).UnmarshalJSON(data)
}

// DateTime is a date and time as it appears in a document (an xsd:dateTime,
// in OB 3.0 usually a DateTimeZ such as "2024-03-01T12:00:00Z"). It keeps the
// exact lexical form it was read with, so reading and writing a document
// never changes a date; use Time to interpret it.
type DateTime string

// NewDateTime formats t the way this library writes dates: RFC 3339 in whole
// seconds with the zone of t ("Z" for UTC).
func NewDateTime(t time.Time) DateTime {
	return DateTime(t.Truncate(time.Second).Format(time.RFC3339))
}

// Time parses d as an RFC 3339 / xsd:dateTime value with a time zone. A
// value without a zone is an error: OB 3.0 requires one (DateTimeZ), and
// guessing the zone of a validity date would be guessing its validity.
func (d DateTime) Time() (time.Time, error) {
	s := string(d)
	if s == "" {
		return time.Time{}, errors.New("empty date-time")
	}
	if !hasZone(s) {
		return time.Time{}, fmt.Errorf("date-time %q has no time zone", s)
	}
	// RFC3339Nano parses any number of fractional digits and either "Z" or
	// a numeric offset. xsd:dateTime has no lower-case "t" or "z".
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || strings.ContainsAny(s, "tz") {
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 date-time such as 2024-03-01T12:00:00Z", s)
	}
	return t, nil
}

// hasZone reports whether an xsd:dateTime lexical form ends in a zone.
func hasZone(s string) bool {
	if strings.HasSuffix(s, "Z") {
		return true
	}
	if len(s) < 6 {
		return false
	}
	z := s[len(s)-6:]
	return (z[0] == '+' || z[0] == '-') && z[3] == ':'
}

// Date is a calendar date such as "1990-04-01" (xsd:date), kept in its
// lexical form.
type Date string

// Time parses d as a YYYY-MM-DD date in UTC.
func (d Date) Time() (time.Time, error) {
	t, err := time.Parse(time.DateOnly, string(d))
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date such as 1990-04-01", string(d))
	}
	return t, nil
}
