package verify

import (
	"context"
	"fmt"
	"time"

	"github.com/go-openbadges/openbadges/internal/jsonobj"
)

// checkValidity compares the validity window with the clock.
func (r *run) checkValidity(ctx context.Context) error {
	if r.skipAll(CheckValidity) {
		return nil
	}
	from, until := "validFrom", "validUntil"
	if r.rep.Version == "VCDM 1.1" {
		from, until = "issuanceDate", "expirationDate"
	}
	now := r.c.policy.Now
	if now.IsZero() {
		now = time.Now()
	}
	skew := r.c.policy.ClockSkew
	details := &ValidityDetail{Now: now.UTC().Format(time.RFC3339)}
	read := func(name string) (*time.Time, error) {
		raw, ok := r.doc[name]
		if !ok {
			return nil, nil
		}
		s, ok := jsonobj.DecodeString(raw) // as json.Unmarshal into a string, null included
		if !ok {
			return nil, fmt.Errorf("%s is not a string", name)
		}
		details.set(name, s)
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return nil, fmt.Errorf("%s %q is not a date-time with a time zone", name, s)
		}
		return &t, nil
	}
	start, err := read(from)
	if err != nil {
		r.add(CheckValidity, Failed, details, "%v", err)
		return nil
	}
	end, err := read(until)
	if err != nil {
		r.add(CheckValidity, Failed, details, "%v", err)
		return nil
	}
	switch {
	case start != nil && now.Add(skew).Before(*start):
		r.add(CheckValidity, Failed, details, "not yet valid: %s is %s", from, start.Format(time.RFC3339))
	case end != nil && now.Add(-skew).After(*end):
		r.add(CheckValidity, Failed, details, "expired: %s was %s", until, end.Format(time.RFC3339))
	case start == nil && end == nil:
		r.add(CheckValidity, Skipped, details, "the credential gives no %s or %s", from, until)
	case start == nil:
		r.add(CheckValidity, Passed, details, "valid until %s", end.Format(time.RFC3339))
	case end == nil:
		r.add(CheckValidity, Passed, details, "valid since %s, with no end", start.Format(time.RFC3339))
	default:
		r.add(CheckValidity, Passed, details, "valid from %s until %s", start.Format(time.RFC3339), end.Format(time.RFC3339))
	}
	return nil
}
