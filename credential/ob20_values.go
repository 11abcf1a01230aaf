package credential

import (
	"bytes"
	"crypto/md5"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/internal/jsonobj"
)

// OB2DateTime is a date and time as an Open Badges document writes it. OB
// 2.0 requires an ISO 8601 string with a time zone, such as
// "2016-12-31T23:59:59+00:00"; earlier versions also allowed a Unix
// timestamp, which documents still in circulation write as a JSON number
// or as a string of digits. The lexical form is kept, so nothing is lost
// in reading; use Time to interpret it and ISO8601 to check its form.
type OB2DateTime struct {
	// Text is the value as written: the string, or the number's text.
	Text string
	// Number is true when the value was a JSON number.
	Number bool
}

// IsZero reports whether the value is absent.
func (d OB2DateTime) IsZero() bool { return d.Text == "" && !d.Number }

// UnmarshalJSON accepts a string or a number.
func (d *OB2DateTime) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	switch jsonobj.Describe(data) {
	case "a string":
		*d = OB2DateTime{}
		return json.Unmarshal(data, &d.Text)
	case "a number":
		*d = OB2DateTime{Text: string(data), Number: true}
		return nil
	}
	return fmt.Errorf("want a date-time (an ISO 8601 string), got %s", jsonobj.Describe(data))
}

// MarshalJSON writes the value in the form it was read: a number or a
// string.
func (d OB2DateTime) MarshalJSON() ([]byte, error) {
	if d.Number {
		if !json.Valid([]byte(d.Text)) || jsonobj.Describe([]byte(d.Text)) != "a number" {
			return nil, fmt.Errorf("credential: OB2DateTime %q is not a number", d.Text)
		}
		return []byte(d.Text), nil
	}
	return jsonobj.Marshal(d.Text)
}

// iso8601 matches the ISO 8601 extended date-time forms OB 2.0 documents
// use: a date, "T", hours and minutes, optional seconds with an optional
// fraction, and a zone: "Z" or an offset of hours, with or without minutes
// and colon.
var iso8601 = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9})\d*)?)?(Z|[+-]\d{2}(?::?\d{2})?)$`)

// unixTimestamp matches a Unix timestamp in seconds, as OB 1.0 allowed.
var unixTimestamp = regexp.MustCompile(`^-?\d{1,12}(\.\d{1,9})?$`)

// ISO8601 reports whether d is an ISO 8601 date-time with a time zone: the
// only form Open Badges 2.0 allows.
func (d OB2DateTime) ISO8601() bool {
	if d.Number {
		return false
	}
	_, err := parseISO8601(d.Text)
	return err == nil
}

// Time interprets d: an ISO 8601 date-time with a time zone (see
// ISO8601), or a Unix timestamp in seconds written as a number or a string
// of digits. A date-time without a zone is an error, since its instant is
// unknown.
func (d OB2DateTime) Time() (time.Time, error) {
	switch {
	case d.IsZero():
		return time.Time{}, fmt.Errorf("empty date-time")
	case unixTimestamp.MatchString(d.Text):
		sec, frac, _ := strings.Cut(d.Text, ".")
		s, err := strconv.ParseInt(sec, 10, 64)
		if err != nil {
			return time.Time{}, fmt.Errorf("%q is not a Unix timestamp", d.Text)
		}
		var ns int64
		if frac != "" {
			ns, _ = strconv.ParseInt((frac + "000000000")[:9], 10, 64)
			if strings.HasPrefix(sec, "-") {
				ns = -ns
			}
		}
		return time.Unix(s, ns).UTC(), nil
	case d.Number:
		return time.Time{}, fmt.Errorf("%s is not a Unix timestamp in seconds", d.Text)
	}
	return parseISO8601(d.Text)
}

func parseISO8601(s string) (time.Time, error) {
	m := iso8601.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, fmt.Errorf("%q is not an ISO 8601 date-time with a time zone, such as 2016-12-31T23:59:59+00:00", s)
	}
	n := func(s string) int { v, _ := strconv.Atoi(s); return v }
	year, month, day, hour, minute, sec := n(m[1]), n(m[2]), n(m[3]), n(m[4]), n(m[5]), n(m[6])
	ns := 0
	if m[7] != "" {
		ns = n((m[7] + "000000000")[:9])
	}
	loc := time.UTC
	if z := m[8]; z != "Z" {
		z = strings.ReplaceAll(z, ":", "")
		off := n(z[1:3]) * 3600
		if len(z) == 5 {
			if n(z[3:5]) > 59 {
				return time.Time{}, fmt.Errorf("%q has an invalid time zone offset", s)
			}
			off += n(z[3:5]) * 60
		}
		if n(z[1:3]) > 23 {
			return time.Time{}, fmt.Errorf("%q has an invalid time zone offset", s)
		}
		if z[0] == '-' {
			off = -off
		}
		loc = time.FixedZone("", off)
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, ns, loc)
	if t.Year() != year || int(t.Month()) != month || t.Day() != day || t.Hour() != hour || t.Minute() != minute || t.Second() != sec {
		return time.Time{}, fmt.Errorf("%q is not a valid date and time", s)
	}
	return t, nil
}

// Match reports whether identity (an email address, URL, telephone number
// or id, as o.Type says) is the recipient o identifies.
//
// An unhashed identity is compared with identity as it is, except that
// email addresses are compared without regard to case. A hashed one is
// "sha256$" or "md5$" (in either case) and the hex digest (in either case)
// of identity followed by o.Salt ("" when there is none), exactly as OB 2.0
// and the IMS validators compute it; for an email address, identity in
// lower case is tried too, because issuers commonly lower-case addresses
// before hashing them. Digests are compared in time independent of where
// they differ.
//
// The error is non-nil, wrapping ErrUnsupportedHash, only when o is hashed
// but its identity is not an algorithm and a hex digest of the right
// length.
func (o *OB2IdentityObject) Match(identity string) (bool, error) {
	email := strings.EqualFold(string(o.Type), "email")
	if !o.Hashed {
		if email {
			return strings.EqualFold(o.Identity, identity), nil
		}
		return o.Identity == identity, nil
	}
	alg, digest, ok := strings.Cut(o.Identity, "$")
	if !ok {
		return false, fmt.Errorf("%w: no algorithm prefix", ErrUnsupportedHash)
	}
	want, err := hex.DecodeString(digest)
	if err != nil {
		return false, fmt.Errorf("%w: digest is not hex", ErrUnsupportedHash)
	}
	var sum func(string) []byte
	switch strings.ToLower(alg) {
	case "sha256":
		sum = func(s string) []byte { h := sha256.Sum256([]byte(s)); return h[:] }
	case "md5":
		sum = func(s string) []byte { h := md5.Sum([]byte(s)); return h[:] }
	default:
		return false, fmt.Errorf("%w: algorithm %q", ErrUnsupportedHash, alg)
	}
	if got := sum(""); len(want) != len(got) {
		return false, fmt.Errorf("%w: %s digest of %d bytes", ErrUnsupportedHash, alg, len(want))
	}
	if subtle.ConstantTimeCompare(want, sum(identity+o.Salt)) == 1 {
		return true, nil
	}
	if lower := strings.ToLower(identity); email && lower != identity {
		return subtle.ConstantTimeCompare(want, sum(lower+o.Salt)) == 1, nil
	}
	return false, nil
}
