package verify

import (
	"context"
	"encoding/json"
	"errors"
)

// refreshType is the refresh service OB 3.0 defines.
const refreshType = "1EdTechCredentialRefresh"

// checkRefresh follows a 1EdTechCredentialRefresh service once, when the
// refreshed credential can be had (Trust.Documents or the network), and
// verifies what it returns. The credential being verified keeps its own
// verdict: a refresh only tells whether a newer copy exists and holds.
func (r *run) checkRefresh(ctx context.Context) error {
	if r.skipAll(CheckRefresh) {
		return nil
	}
	var services []struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	}
	raw, ok := r.doc["refreshService"]
	if !ok {
		r.add(CheckRefresh, Skipped, nil, "no refresh service")
		return nil
	}
	if json.Unmarshal(raw, &services) != nil {
		var one struct {
			ID   string `json:"id"`
			Type string `json:"type"`
		}
		if json.Unmarshal(raw, &one) != nil {
			r.add(CheckRefresh, Failed, nil, "refreshService is neither an object nor an array of objects")
			return nil
		}
		services = append(services, one)
	}
	for _, s := range services {
		if s.Type != refreshType {
			continue
		}
		details := &RefreshDetail{URL: s.ID}
		if r.depthRefreshed {
			r.add(CheckRefresh, Skipped, details, "a refreshed credential's own refresh service is not followed")
			return nil
		}
		doc, err := r.c.fetcher.Fetch(ctx, s.ID)
		switch {
		case errors.Is(err, errNotAvailable):
			r.add(CheckRefresh, Skipped, details, "the refresh service %s was not asked: fetching is off and Trust.Documents does not hold it", s.ID)
			return nil
		case err != nil:
			if ctx.Err() != nil {
				return ctx.Err()
			}
			r.add(CheckRefresh, Warning, details, "the refresh service %s could not be reached: %v", s.ID, err)
			return nil
		}
		rep, err := r.c.withoutRecipient().verifyRefreshed(ctx, doc)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			r.add(CheckRefresh, Warning, details, "the refresh service %s returned something that is not a credential: %v", s.ID, err)
			return nil
		}
		details.Verified, details.Report = &rep.Verified, rep
		if !rep.Verified {
			r.add(CheckRefresh, Warning, details, "the refreshed credential from %s does not verify", s.ID)
			return nil
		}
		r.add(CheckRefresh, Passed, details, "a refreshed credential from %s verifies", s.ID)
		return nil
	}
	r.add(CheckRefresh, Skipped, nil, "no %s service", refreshType)
	return nil
}

// verifyRefreshed verifies a refreshed credential without following its own
// refresh service.
func (c *call) verifyRefreshed(ctx context.Context, doc []byte) (*Report, error) {
	r := &run{c: c, rep: &Report{ReportVersion: ReportVersion, Checks: []Check{}, Fetched: []Fetched{}}, depthRefreshed: true}
	return r.runAll(ctx, doc, maxDepth)
}
