package verify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/credential"
)

// RevocationDetail is the status check's details of a signed Open Badges
// 2.0 object.
type RevocationDetail struct {
	// List is the revocation list's URL, and Reason the revocationReason
	// it gives for the object.
	List   string `json:"list,omitempty"`
	Reason string `json:"reason,omitempty"`
}

// checkStatus decides whether the issuer revoked the object: a hosted one
// by its copy (revoked, or 410 Gone), a signed one by the issuer's
// revocation list, which must be had when the issuer's Profile names one.
func (o *ob20) checkStatus(ctx context.Context) error {
	r := o.r
	if o.skipped(CheckStatus) {
		return nil
	}
	if o.revoked() {
		r.add(CheckStatus, Failed, nil, "revoked: the %s says so%s", o.what(), reasonSuffix(o.revocationReason()))
		return nil
	}
	switch {
	case o.ver.Hosted():
		switch {
		case o.hostedErr != nil:
			r.add(CheckStatus, Indeterminate, nil, "a hosted %s's status is its copy at its id, and %v", o.what(), o.hostedErr)
		case !o.hosted:
			r.add(CheckStatus, Skipped, nil, "its id is not an http(s) URL, so there is no hosted copy to say whether it is revoked (see the proof check)")
		default:
			r.add(CheckStatus, Passed, nil, "not revoked: its issuer hosts it at %s", o.id)
		}
		return nil
	case !o.ver.Signed():
		r.add(CheckStatus, Skipped, nil, "neither hosted nor signed: no status to check")
		return nil
	case o.profile == nil:
		outcome := Skipped
		if o.unlinkedOutcome == Indeterminate {
			outcome = Indeterminate
		}
		r.add(CheckStatus, outcome, nil, "the issuer's revocation list is unknown without its Profile: %s", o.unlinked)
		return nil
	case o.profile.RevocationList == nil || o.profile.RevocationList.ID == "":
		r.add(CheckStatus, Skipped, nil, "the issuer's Profile names no revocationList")
		return nil
	}
	d := &RevocationDetail{List: o.profile.RevocationList.ID}
	data, err := o.fetchObject(ctx, d.List)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		r.add(CheckStatus, Indeterminate, d, "the status could not be decided: the revocation list %v", err)
		return nil
	}
	list, err := credential.ParseOB2RevocationList(data, nil)
	switch {
	case err != nil:
		r.add(CheckStatus, Indeterminate, d, "the status could not be decided: the revocation list at %s cannot be read: %v", d.List, err)
		return nil
	case !list.Type.Has("RevocationList"):
		r.add(CheckStatus, Indeterminate, d, "the status could not be decided: %s is of type %q, not RevocationList", d.List, []string(list.Type))
		return nil
	case list.Issuer != "" && list.Issuer != o.issuerID:
		r.add(CheckStatus, Indeterminate, d, "the status could not be decided: the revocation list %s is %s's, not the issuer's", d.List, list.Issuer)
		return nil
	}
	var uid string
	if o.a != nil {
		uid = o.a.UID
	}
	for _, e := range list.RevokedAssertions {
		if e.Revoked != nil && !*e.Revoked {
			continue
		}
		if e.ID != "" && e.ID == o.id || e.ID == "" && e.UID != "" && e.UID == uid {
			d.Reason = e.RevocationReason
			r.add(CheckStatus, Failed, d, "revoked: the issuer's revocation list %s lists it%s", d.List, reasonSuffix(e.RevocationReason))
			return nil
		}
	}
	r.add(CheckStatus, Passed, d, "not revoked: the issuer's revocation list %s does not list it", d.List)
	return nil
}

func reasonSuffix(reason string) string {
	if reason == "" {
		return ""
	}
	return fmt.Sprintf(", with the reason %q", reason)
}

// checkValidity compares issuedOn and expires with the clock.
func (o *ob20) checkValidity(ctx context.Context) error {
	r := o.r
	if o.skipped(CheckValidity) {
		return nil
	}
	var issued, expires credential.OB2DateTime
	if o.a != nil {
		issued, expires = o.a.IssuedOn, o.a.Expires
	} else {
		issued = o.e.IssuedOn
	}
	now := r.c.policy.Now
	if now.IsZero() {
		now = time.Now()
	}
	skew := r.c.policy.ClockSkew
	details := &ValidityDetail{Now: now.UTC().Format(time.RFC3339)}
	read := func(name string, d credential.OB2DateTime) (*time.Time, error) {
		if d.IsZero() {
			return nil, nil
		}
		details.set(name, d.Text)
		t, err := d.Time()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return &t, nil
	}
	start, err := read("issuedOn", issued)
	if err == nil && start == nil {
		err = fmt.Errorf("the %s has no issuedOn", o.what())
	}
	if err != nil {
		r.add(CheckValidity, Failed, details, "%v", err)
		return nil
	}
	end, err := read("expires", expires)
	switch {
	case err != nil:
		r.add(CheckValidity, Failed, details, "%v", err)
	case now.Add(skew).Before(*start):
		r.add(CheckValidity, Failed, details, "not yet valid: issuedOn is %s", start.Format(time.RFC3339))
	case end != nil && now.Add(-skew).After(*end):
		r.add(CheckValidity, Failed, details, "expired: expires was %s", end.Format(time.RFC3339))
	case end == nil:
		r.add(CheckValidity, Passed, details, "issued %s, with no expiry", start.Format(time.RFC3339))
	default:
		r.add(CheckValidity, Passed, details, "issued %s, expires %s", start.Format(time.RFC3339), end.Format(time.RFC3339))
	}
	return nil
}

// ob20IdentityTypes maps the identity types of Policy.Recipient (those of
// OB 3.0, and OB 2.0's own) to the OB 2.0 IdentityObject type.
var ob20IdentityTypes = map[string]string{
	"emailAddress": "email", "email": "email",
	"url":   "url",
	"phone": "telephone", "telephone": "telephone",
	"id": "id", "did": "id",
}

// checkRecipient compares the assertion's recipient with Policy.Recipient.
func (o *ob20) checkRecipient(ctx context.Context) error {
	r := o.r
	if o.skipped(CheckRecipient) {
		return nil
	}
	want := r.c.policy.Recipient
	switch {
	case o.a == nil:
		r.add(CheckRecipient, Skipped, nil, "an endorsement has no recipient")
		return nil
	case want == nil:
		r.add(CheckRecipient, Skipped, nil, "no recipient given")
		return nil
	case o.a.Recipient == nil:
		r.add(CheckRecipient, Failed, nil, "the assertion names no recipient")
		return nil
	}
	rc := o.a.Recipient
	typ := ob20IdentityTypes[want.Type]
	if typ == "" {
		typ = want.Type
	}
	if string(rc.Type) != typ {
		r.add(CheckRecipient, Failed, nil, "the assertion is issued to a recipient of type %s, not %s", rc.Type, typ)
		return nil
	}
	ok, err := rc.Match(want.Value)
	how := "plain"
	if rc.Hashed {
		how = "hashed"
	}
	switch {
	case err != nil:
		r.add(CheckRecipient, Indeterminate, nil, "the recipient cannot be checked: %v", err)
	case ok:
		r.add(CheckRecipient, Passed, nil, "the recipient's %s (%s) matches", typ, how)
	default:
		r.add(CheckRecipient, Failed, nil, "the assertion is not issued to this %s", typ)
	}
	return nil
}

// checkEndorsements verifies the endorsements of the assertion, of its
// BadgeClass and of its issuer's Profile (or, for an endorsement, its
// own), each with its own report: embedded ones, and those named by URL.
func (o *ob20) checkEndorsements(ctx context.Context, depth int) error {
	r := o.r
	if o.skipped(CheckEndorsements) {
		return nil
	}
	type endorsed struct {
		what, id string
		list     credential.List[credential.OB2Endorsement]
	}
	var all []endorsed
	if o.a != nil {
		all = append(all, endorsed{"the assertion", o.id, o.a.Endorsement})
	}
	if o.badge != nil {
		all = append(all, endorsed{"its BadgeClass", o.badge.ID, o.badge.Endorsement})
	}
	if o.profile != nil && o.a != nil {
		all = append(all, endorsed{"its issuer", o.profile.ID, o.profile.Endorsement})
	}
	n := 0
	for _, e := range all {
		n += len(e.list)
	}
	switch {
	case n == 0:
		r.add(CheckEndorsements, Skipped, nil, "no endorsements")
		return nil
	case o.endorsement:
		r.add(CheckEndorsements, Skipped, nil, "endorsements of endorsements are not followed")
		return nil
	case n > maxEndorsements:
		r.add(CheckEndorsements, Failed, nil, "%d endorsements, over the limit of %d", n, maxEndorsements)
		return nil
	}
	sub := r.c.withoutRecipient()
	bad := 0
	var about []string
	for _, e := range all {
		for _, en := range e.list {
			in, ok := legacyInput("json", inheritContext(en.Raw))
			if en.Reference {
				in, ok = legacyInput("", []byte(en.ID)) // a URL, or a JWS
			}
			if !ok {
				in = ob20Input{form: "json", text: en.Raw, version: "2.0"}
			}
			sr := &run{c: sub, rep: &Report{ReportVersion: ReportVersion, Checks: []Check{}, Fetched: []Fetched{}}}
			so := &ob20{r: sr, in: in, endorsement: true, claimOf: e.id}
			rep, err := so.runAll(ctx, depth+1)
			if err != nil {
				return err
			}
			if !rep.Verified {
				bad++
			}
			r.rep.Endorsements = append(r.rep.Endorsements, rep)
		}
		if len(e.list) > 0 {
			about = append(about, fmt.Sprintf("%d of %s", len(e.list), e.what))
		}
	}
	if bad > 0 {
		r.add(CheckEndorsements, Warning, nil, "%d of %d endorsements do not verify (see their reports); the %s itself is not affected", bad, n, o.what())
		return nil
	}
	r.add(CheckEndorsements, Passed, nil, "%d endorsement(s) verify: %s", n, strings.Join(about, ", "))
	return nil
}

// inheritContext gives an embedded object the context of the document it
// is embedded in, which must be the Open Badges 2.0 one, when it names
// none of its own: that is what it means in JSON-LD, and its copy at its
// id names the context.
func inheritContext(obj []byte) []byte {
	var head map[string]json.RawMessage
	if json.Unmarshal(obj, &head) != nil || head == nil {
		return obj
	}
	if _, ok := head["@context"]; ok {
		return obj
	}
	i := bytes.IndexByte(obj, '{')
	out := append([]byte{}, obj[:i+1]...)
	out = append(out, `"@context":"`+credential.ContextOB20+`",`...)
	if len(head) == 0 {
		out = out[:len(out)-1]
	}
	return append(out, obj[i+1:]...)
}
