package verify

import (
	"context"
	"fmt"
	"strings"

	"github.com/go-openbadges/openbadges/status"
)

// statusDetail is one credentialStatus entry in the status check's
// details.
type statusDetail struct {
	Type     string   `json:"type"`
	Purpose  string   `json:"purpose,omitempty"`
	ListURL  string   `json:"listURL"`
	Index    int      `json:"index"`
	Outcome  string   `json:"outcome"`
	Reason   string   `json:"reason"`
	Source   string   `json:"source,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
}

// checkStatus checks revocation and suspension.
func (r *run) checkStatus(ctx context.Context) error {
	if r.skipAll(CheckStatus) {
		return nil
	}
	if _, ok := r.doc["credentialStatus"]; !ok {
		r.add(CheckStatus, Skipped, nil, "the credential has no credentialStatus")
		return nil
	}
	results, err := r.c.v.status.CheckWith(ctx, r.cred, &status.CallOptions{Fetcher: r.c.fetcher, Resolver: r.c.resolver, Now: r.c.policy.Now})
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		r.add(CheckStatus, Indeterminate, nil, "the status cannot be checked: %v", err)
		return nil
	}
	var details []statusDetail
	var reasons []string
	for _, res := range results {
		d := statusDetail{Type: res.Type, Purpose: string(res.Purpose), ListURL: res.ListURL, Index: res.Index, Outcome: res.Outcome.String(), Reason: res.Reason, Warnings: res.Warnings}
		if res.List != nil {
			d.Source = res.List.Source
		}
		details = append(details, d)
		if res.Outcome != status.NotRevoked {
			reasons = append(reasons, res.Reason)
		}
	}
	switch status.Combine(results) {
	case status.Revoked:
		r.add(CheckStatus, Failed, details, "revoked: %s", strings.Join(reasons, "; "))
	case status.Suspended:
		r.add(CheckStatus, Failed, details, "suspended: %s", strings.Join(reasons, "; "))
	case status.Indeterminate:
		r.add(CheckStatus, Indeterminate, details, "the status could not be decided: %s", strings.Join(reasons, "; "))
	default:
		r.add(CheckStatus, Passed, details, "%s", fmt.Sprintf("not revoked or suspended (%d status entr%s checked)", len(results), map[bool]string{true: "y", false: "ies"}[len(results) == 1]))
	}
	return nil
}
