package verify

import (
	"context"
	"encoding/json"
)

// checkEndorsements verifies each embedded endorsement.
func (r *run) checkEndorsements(ctx context.Context, depth int) error {
	if r.skipAll(CheckEndorsements) {
		return nil
	}
	var objs []json.RawMessage
	var jwts []string
	if raw, ok := r.doc["endorsement"]; ok {
		if json.Unmarshal(raw, &objs) != nil {
			objs = []json.RawMessage{raw}
		}
	}
	if raw, ok := r.doc["endorsementJwt"]; ok {
		if json.Unmarshal(raw, &jwts) != nil {
			var one string
			if json.Unmarshal(raw, &one) == nil {
				jwts = []string{one}
			}
		}
	}
	inputs := objs
	for _, j := range jwts {
		inputs = append(inputs, json.RawMessage(j))
	}
	switch {
	case len(inputs) == 0:
		r.add(CheckEndorsements, Skipped, nil, "no endorsements")
		return nil
	case depth >= maxDepth:
		r.add(CheckEndorsements, Skipped, nil, "endorsements nested deeper than %d are not followed", maxDepth)
		return nil
	case len(inputs) > maxEndorsements:
		r.add(CheckEndorsements, Failed, nil, "%d endorsements, over the limit of %d", len(inputs), maxEndorsements)
		return nil
	}
	sub := r.c.withoutRecipient()
	bad := 0
	for _, in := range inputs {
		rep, err := sub.verify(ctx, in, depth+1)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			rep = &Report{ReportVersion: ReportVersion, Checks: []Check{{ID: CheckInput, Outcome: Failed, Message: err.Error()}}, Fetched: []Fetched{}}
		}
		if !rep.Verified {
			bad++
		}
		r.rep.Endorsements = append(r.rep.Endorsements, rep)
	}
	if bad > 0 {
		r.add(CheckEndorsements, Warning, nil, "%d of %d endorsements do not verify (see their reports); the credential itself is not affected", bad, len(inputs))
		return nil
	}
	r.add(CheckEndorsements, Passed, nil, "%d endorsement(s) verify", len(inputs))
	return nil
}
