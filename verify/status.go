package verify

import (
	"context"
	"fmt"
	"strings"

	"github.com/go-openbadges/openbadges/status"
	"github.com/go-openbadges/openbadges/status/statuscheck"
)

// StatusDetail is one credentialStatus entry in the status check's
// details.
type StatusDetail struct {
	// Type is the entry's ("BitstringStatusListEntry", …), Purpose its
	// statusPurpose ("revocation", "suspension", "message"), ListURL the
	// status list credential's URL and Index the entry's place in it.
	Type    string `json:"type"`
	Purpose string `json:"purpose,omitempty"`
	ListURL string `json:"listURL"`
	Index   int    `json:"index"`
	// StatusSize is the entry's bits, when more than one.
	StatusSize int `json:"statusSize,omitempty"`
	// Status is the value the list has for the entry, "0x…" as a
	// statusMessage writes it, and Message what it means; empty when no
	// value was read.
	Status          string   `json:"status,omitempty"`
	Message         string   `json:"message,omitempty"`
	StatusReference []string `json:"statusReference,omitempty"`
	// Outcome is the entry's verdict ("not revoked", "revoked",
	// "suspended", "indeterminate": statuscheck.Standing's words) and Reason
	// why, for a person.
	Outcome string `json:"outcome"`
	Reason  string `json:"reason"`
	// Source is where the status list came from, and Warnings what a
	// person should know of it.
	Source   string   `json:"source,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
}

// checkStatus checks revocation and suspension, and reports the status
// messages of "message" entries, which neither revoke nor suspend.
func (r *run) checkStatus(ctx context.Context) error {
	if r.skipAll(CheckStatus) {
		return nil
	}
	if _, ok := r.doc["credentialStatus"]; !ok {
		r.add(CheckStatus, Skipped, nil, "the credential has no credentialStatus")
		return nil
	}
	results, err := r.c.v.status.CheckWith(ctx, r.cred, &statuscheck.CallOptions{Fetcher: r.c.fetcher, Resolver: r.c.resolver, Now: r.c.policy.Now})
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		r.add(CheckStatus, Indeterminate, nil, "the status cannot be checked: %v", err)
		return nil
	}
	var details []StatusDetail
	var reasons, messages []string
	for _, res := range results {
		d := StatusDetail{
			Type: res.Type, Purpose: string(res.Purpose), ListURL: res.ListURL, Index: res.Index,
			Message: res.Message, StatusReference: res.StatusReference,
			Outcome: res.Standing.String(), Reason: res.Reason, Warnings: res.Warnings,
		}
		if res.StatusSize > 1 {
			d.StatusSize = res.StatusSize
		}
		if res.Value >= 0 {
			d.Status = fmt.Sprintf("%#x", res.Value)
		}
		if res.List != nil {
			d.Source = res.List.Source
		}
		details = append(details, d)
		if res.Standing != statuscheck.NotRevoked {
			reasons = append(reasons, res.Reason)
		}
		if res.Purpose == status.Message && res.Value >= 0 {
			messages = append(messages, fmt.Sprintf("%q (%#x)", res.Message, res.Value))
		}
	}
	// A status message is reported whatever the verdict; it does not make
	// one.
	also := ""
	if len(messages) > 0 {
		also = "; status message " + strings.Join(messages, ", ")
	}
	switch statuscheck.Combine(results) {
	case statuscheck.Revoked:
		r.add(CheckStatus, Failed, details, "revoked: %s%s", strings.Join(reasons, "; "), also)
	case statuscheck.Suspended:
		r.add(CheckStatus, Failed, details, "suspended: %s%s", strings.Join(reasons, "; "), also)
	case statuscheck.Indeterminate:
		r.add(CheckStatus, Indeterminate, details, "the status could not be decided: %s%s", strings.Join(reasons, "; "), also)
	default:
		r.add(CheckStatus, Passed, details, "not revoked or suspended (%d status entr%s checked)%s", len(results), map[bool]string{true: "y", false: "ies"}[len(results) == 1], also)
	}
	return nil
}
