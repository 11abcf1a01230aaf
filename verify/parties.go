package verify

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/go-openbadges/openbadges/credential"
)

// checkIssuer compares the issuer with the trusted ones.
func (r *run) checkIssuer(ctx context.Context) error {
	if r.skipAll(CheckIssuer) {
		return nil
	}
	switch {
	case len(r.c.v.trust.TrustedIssuers) == 0:
		r.add(CheckIssuer, Skipped, nil, "no trusted issuers given")
	case slices.Contains(r.c.v.trust.TrustedIssuers, r.rep.Issuer):
		r.add(CheckIssuer, Passed, nil, "%s is a trusted issuer", r.rep.Issuer)
	default:
		r.add(CheckIssuer, Failed, nil, "%s is not one of the trusted issuers", r.rep.Issuer)
	}
	return nil
}

// checkRecipient compares the subject with Policy.Recipient.
func (r *run) checkRecipient(ctx context.Context) error {
	if r.skipAll(CheckRecipient) {
		return nil
	}
	want := r.c.policy.Recipient
	if want == nil {
		r.add(CheckRecipient, Skipped, nil, "no recipient given")
		return nil
	}
	if want.Type == "id" {
		if r.rep.Subject != "" && r.rep.Subject == want.Value {
			r.add(CheckRecipient, Passed, nil, "the subject's id is %s", r.rep.Subject)
		} else {
			r.add(CheckRecipient, Failed, nil, "the subject's id is %q, not %q", r.rep.Subject, want.Value)
		}
		return nil
	}
	if r.rep.Subject != "" && r.rep.Subject == idForm(want) {
		r.add(CheckRecipient, Passed, nil, "the subject's id is %s", r.rep.Subject)
		return nil
	}
	var subj struct {
		Identifier json.RawMessage `json:"identifier"`
	}
	raw := r.doc["credentialSubject"]
	var many []json.RawMessage
	if json.Unmarshal(raw, &many) == nil && len(many) > 0 {
		raw = many[0]
	}
	_ = json.Unmarshal(raw, &subj)
	var ids []credential.IdentityObject
	if len(subj.Identifier) > 0 {
		var list credential.List[credential.IdentityObject]
		if err := json.Unmarshal(subj.Identifier, &list); err != nil {
			r.add(CheckRecipient, Failed, nil, "credentialSubject.identifier cannot be read: %v", err)
			return nil
		}
		ids = list
	}
	checked := 0
	for _, o := range ids {
		if string(o.IdentityType) != want.Type {
			continue
		}
		checked++
		ok, err := o.Match(want.Value)
		if err != nil {
			r.add(CheckRecipient, Indeterminate, nil, "an identifier cannot be checked: %v", err)
			return nil
		}
		if ok {
			how := "plain"
			if o.Hashed {
				how = "hashed"
			}
			r.add(CheckRecipient, Passed, nil, "the subject's %s identifier (%s) matches", o.IdentityType, how)
			return nil
		}
	}
	if checked == 0 && r.rep.Subject == "" {
		r.add(CheckRecipient, Failed, nil, "the credential names no subject of type %s", want.Type)
		return nil
	}
	r.add(CheckRecipient, Failed, nil, "the credential is not issued to this %s", want.Type)
	return nil
}

// idForm is the credentialSubject.id form of an identity: the value for
// "id" and "did", mailto: for an email address, the URL for "url".
func idForm(id *Identity) string {
	switch id.Type {
	case "emailAddress":
		return "mailto:" + id.Value
	}
	return id.Value
}
