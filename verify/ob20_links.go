package verify

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/go-openbadges/openbadges/credential"
)

// checkRules applies the OB 2.0 rules (credential.CheckOB2) to the
// object, and, to an endorsement listed by something, that it is about
// that thing.
func (o *ob20) checkRules(ctx context.Context) error {
	r := o.r
	if o.skipped(CheckRules) {
		return nil
	}
	res, err := credential.CheckOB2(o.text, nil)
	if err != nil {
		r.add(CheckRules, Failed, nil, "%v", err)
		return nil
	}
	ps, errs := problemDetails(res.Problems)
	if o.e != nil && o.claimOf != "" {
		// An endorsement listed by one thing and about another still
		// stands (the 1EdTech validator's own fixtures have one), but
		// does not endorse what lists it.
		var claim struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(o.e.Claim, &claim) == nil && claim.ID != "" && claim.ID != o.claimOf {
			ps = append(ps, ProblemDetail{Pointer: "/claim/id", Rule: "verify/claim", Severity: "warning",
				Message: fmt.Sprintf("the endorsement is about %s, not %s, which lists it", claim.ID, o.claimOf)})
		}
	}
	r.reportProblems(CheckRules, "Open Badges 2.0 "+o.class()+" rules", ps, errs)
	return nil
}

// checkDocument applies the OB 2.0 rules to a linked document, and says
// what is wrong with it, or "".
func checkDocument(what, url string, data []byte) string {
	res, err := credential.CheckOB2(data, nil)
	if err != nil {
		return fmt.Sprintf("%s at %s cannot be read: %v", what, url, err)
	}
	for _, p := range res.Problems {
		if p.Severity == credential.SeverityError {
			return fmt.Sprintf("%s at %s breaks the Open Badges 2.0 rules: %s: %s", what, url, p.Pointer, p.Message)
		}
	}
	return ""
}

// BadgeDetail is the badge check's details.
type BadgeDetail struct {
	// BadgeClass is the BadgeClass's id, and BadgeClassFrom "embedded" or
	// "its id".
	BadgeClass     string `json:"badgeClass,omitempty"`
	BadgeClassFrom string `json:"badgeClassFrom,omitempty"`
	// Issuer is the issuer's id; its Profile is always read from there.
	Issuer string `json:"issuer,omitempty"`
	// BadgeClassNamed and IssuerNamed are the URLs the assertion and the
	// BadgeClass name them by, when the documents there say their ids are
	// other URLs, where they were read.
	BadgeClassNamed string `json:"badgeClassNamed,omitempty"`
	IssuerNamed     string `json:"issuerNamed,omitempty"`
}

// checkBadge finds the BadgeClass (embedded, or at the assertion's badge
// URL) and the issuer's Profile, always as published at the issuer's id:
// an embedded Profile is never trusted, since it would list whatever keys
// and policy its author liked.
func (o *ob20) checkBadge(ctx context.Context) error {
	r := o.r
	if o.skipped(CheckBadge) {
		return nil
	}
	fail := func(outcome Outcome, d *BadgeDetail, format string, args ...any) {
		o.unlinked, o.unlinkedOutcome = fmt.Sprintf(format, args...), outcome
		r.add(CheckBadge, outcome, d, "%s", o.unlinked)
	}
	d := &BadgeDetail{}
	var issuer *credential.OB2Profile
	if o.a != nil {
		b := o.a.Badge
		switch {
		case b == nil || b.ID == "" && b.Reference:
			fail(Failed, d, "the assertion names no BadgeClass")
			return nil
		case b.Reference:
			d.BadgeClass, d.BadgeClassFrom = b.ID, "its id"
			data, id, err := o.followObject(ctx, b.ID)
			if err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				fail(outcomeOf(err), d, "the BadgeClass %v", err)
				return nil
			}
			if id != b.ID {
				d.BadgeClassNamed, d.BadgeClass = b.ID, id
			}
			if why := checkDocument("the BadgeClass", d.BadgeClass, data); why != "" {
				fail(Failed, d, "%s", why)
				return nil
			}
			if b, err = credential.ParseOB2BadgeClass(data, nil); err != nil {
				fail(Failed, d, "the BadgeClass at %s cannot be read: %v", d.BadgeClass, err)
				return nil
			}
		default:
			d.BadgeClass, d.BadgeClassFrom = b.ID, "embedded"
		}
		if !b.Type.Has("BadgeClass") {
			fail(Failed, d, "the badge %s is of type %q, not BadgeClass", b.ID, []string(b.Type))
			return nil
		}
		o.badge, issuer = b, b.Issuer
	} else {
		issuer = o.e.Issuer
	}
	if issuer == nil || issuer.ID == "" {
		fail(Failed, d, "no issuer is named")
		return nil
	}
	o.issuerID, d.Issuer = issuer.ID, issuer.ID
	r.rep.Issuer = issuer.ID
	data, id, err := o.followObject(ctx, issuer.ID)
	if err == nil && id != issuer.ID {
		d.IssuerNamed, d.Issuer, o.issuerID, r.rep.Issuer = issuer.ID, id, id, id
	}
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		fail(outcomeOf(err), d, "the issuer's Profile %v", err)
		return nil
	}
	if why := checkDocument("the issuer's Profile", o.issuerID, data); why != "" {
		fail(Failed, d, "%s", why)
		return nil
	}
	p, err := credential.ParseOB2Profile(data, nil)
	switch {
	case err != nil:
		fail(Failed, d, "the issuer's Profile at %s cannot be read: %v", o.issuerID, err)
		return nil
	case !p.Type.Has("Issuer") && !p.Type.Has("Profile"):
		fail(Failed, d, "the issuer's document at %s is of type %q, not Issuer or Profile", o.issuerID, []string(p.Type))
		return nil
	}
	o.profile = p
	name := p.Name
	var moved []string
	if d.BadgeClassNamed != "" {
		moved = append(moved, fmt.Sprintf("the BadgeClass named %s says its id is %s", d.BadgeClassNamed, d.BadgeClass))
	}
	if d.IssuerNamed != "" {
		moved = append(moved, fmt.Sprintf("the issuer named %s says its id is %s", d.IssuerNamed, d.Issuer))
	}
	if len(moved) > 0 {
		r.add(CheckBadge, Warning, d, "%s, where it was read", strings.Join(moved, "; "))
		return nil
	}
	if o.badge != nil {
		r.add(CheckBadge, Passed, d, "BadgeClass %q (%s, %s) by %s, whose Profile was read from its id", o.badge.Name, o.badge.ID, map[string]string{"embedded": "embedded", "its id": "read from its id"}[d.BadgeClassFrom], name)
		return nil
	}
	r.add(CheckBadge, Passed, d, "issued by %s, whose Profile was read from its id", name)
	return nil
}

// revoked reports whether the object itself says it is revoked.
func (o *ob20) revoked() bool {
	if o.a != nil {
		return o.a.Revoked
	}
	return o.e != nil && o.e.Revoked
}

// revocationReason is the object's own revocationReason.
func (o *ob20) revocationReason() string {
	if o.a != nil {
		return o.a.RevocationReason
	}
	if o.e != nil {
		return o.e.RevocationReason
	}
	return ""
}
