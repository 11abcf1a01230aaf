package issuer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/verify"
)

// ErrHandedIn is wrapped by CLR's error for a credential handed in
// (CLROptions.Credentials) that cannot go into a learner's record: it is
// not a signed OB 3.0 credential in JSON, does not verify, or is about
// someone else.
var ErrHandedIn = errors.New("issuer: a credential handed in cannot go into the CLR")

// CLROptions says what a learner's Comprehensive Learner Record holds and
// what it is called. The zero value (or nil) gathers every credential the
// issuer's records hold for the learner.
type CLROptions struct {
	// Credentials, if set, are embedded instead of the records' ones:
	// credentials handed in, from this issuer or others, each a signed
	// OB 3.0 AchievementCredential in JSON with its Data Integrity proof
	// (a VC-JWT cannot be embedded). Each must verify, with the trust of
	// Config.Check (which must then confirm the other issuers' keys: their
	// documents, or a fetcher), at the current time, a revoked one
	// failing and a status that cannot be fetched accepted; and each must
	// be about the learner (their id, or their email address among its
	// identifiers; when both the learner and the credential's subject
	// have an id, they must be the same). One of this issuer's own must
	// moreover be the credential its records hold for the learner's
	// award, in state issued: not revoked or suspended, even
	// when the status list saying so cannot be fetched; and another
	// issuer's must not award one of this issuer's achievements (the
	// record's associations and pathways would take it for the issuer's
	// own). Otherwise the error wraps ErrHandedIn.
	Credentials [][]byte
	// Name is the record's display name ("Transcript of …"). If empty,
	// "Comprehensive Learner Record". Description describes it.
	Name, Description string
	// Partial says the record holds only part of what the issuer knows of
	// the learner.
	Partial bool
}

// A CLR is a learner's signed Comprehensive Learner Record (CLR 2.0
// ClrCredential).
type CLR struct {
	// Credential is the ClrCredential as JSON with its Data Integrity
	// proof (empty for FormatJWT), JWT its VC-JWT (empty for
	// FormatDataIntegrity).
	Credential []byte
	JWT        string
	// Embedded lists the ids of the credentials it embeds, in order.
	Embedded []string
	// Report is the verification of the record, and of every credential in
	// it, before it was handed out.
	Report *verify.Report
}

// CLR assembles learner l's Comprehensive Learner Record, signs it with
// the issuer's key in the configured Formats, and verifies it (every
// credential inside included) before returning it. It embeds each
// credential as signed (whitespace between tokens aside: one handed in
// indented goes in compacted), so that every inner proof still verifies:
// by default the credentials of the learner's awards at this
// issuer that are issued and not expired, in the order of
// Config.Achievements (revoked, suspended and pending awards are left
// out); or those opts.Credentials hands in.
//
// The record's subject is the learner as Issue names them: their id, and
// their email address salted and hashed (unless Learner.Plain). Its
// associations are the relations the issuer's pathways define between
// the record's achievements (see Issuer.Associations); a pathway the
// learner has begun but not completed is among the record's achievements,
// so that "this course is part of that program" can be said of it.
//
// A learner with no credential to embed is an error wrapping ErrNotIssued;
// one whose records keep a VC-JWT only (Config.Formats is FormatJWT), an
// error too: a CLR embeds credentials with their proofs inside.
func (i *Issuer) CLR(ctx context.Context, l Learner, opts *CLROptions) (*CLR, error) {
	if l.ID == "" && l.Email == "" {
		return nil, ErrNoRecipient
	}
	if opts == nil {
		opts = &CLROptions{}
	}
	var creds [][]byte
	var err error
	if len(opts.Credentials) > 0 {
		creds, err = i.handedIn(ctx, l, opts.Credentials)
	} else {
		creds, err = i.recordCredentials(ctx, l)
	}
	if err != nil {
		return nil, err
	}
	if len(creds) == 0 {
		return nil, fmt.Errorf("%w: the learner has no credential to put in a CLR", ErrNotIssued)
	}
	if len(creds) > credential.MaxClrCredentials {
		return nil, fmt.Errorf("issuer: %d credentials, more than a CLR holds (%d)", len(creds), credential.MaxClrCredentials)
	}

	// The achievements the record is about, and how they relate.
	embedded := make([]string, 0, len(creds))
	held := map[string]bool{}
	raws := make([]json.RawMessage, len(creds))
	for k, c := range creds {
		ac, err := credential.ParseAchievementCredential(c, nil)
		if err != nil {
			return nil, fmt.Errorf("issuer: credential %d: %w", k, err)
		}
		embedded = append(embedded, ac.ID)
		if ac.CredentialSubject.Achievement != nil {
			held[ac.CredentialSubject.Achievement.ID] = true
		}
		raws[k] = c
	}
	var extra []credential.Achievement
	inRecord := maps.Clone(held)
	for _, a := range i.cfg.Achievements {
		if a.Pathway == nil || held[a.ID] || !slices.ContainsFunc(a.Pathway.Of, func(id string) bool { return held[id] }) {
			continue
		}
		extra = append(extra, *a.Achievement)
		inRecord[a.ID] = true
	}
	var assoc []credential.Association
	for _, as := range i.Associations() {
		if inRecord[as.SourceID] && inRecord[as.TargetID] {
			assoc = append(assoc, as)
		}
	}

	now := i.now().UTC().Truncate(time.Second)
	rec := credential.LearnerRecord{
		Issuer:       i.cfg.Issuer,
		LearnerID:    l.ID,
		Credentials:  raws,
		Achievements: extra,
		Associations: assoc,
		Partial:      opts.Partial,
		Name:         opts.Name,
		Description:  opts.Description,
		ValidFrom:    now,
	}
	if l.Email != "" {
		if l.Plain {
			rec.Identifier = []credential.IdentityObject{credential.NewPlainIdentity(credential.IdentifierTypeEmailAddress, l.Email)}
		} else {
			rec.Identifier = []credential.IdentityObject{credential.NewHashedIdentity(credential.IdentifierTypeEmailAddress, strings.ToLower(strings.TrimSpace(l.Email)))}
		}
	}
	c, err := credential.NewClrCredential(rec)
	if err != nil {
		return nil, fmt.Errorf("issuer: building the CLR: %w", err)
	}
	doc, err := credential.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("issuer: encoding the CLR: %w", err)
	}
	if err := checkBeforeSigning(doc); err != nil {
		return nil, fmt.Errorf("issuer: the CLR: %w", err)
	}
	signed, jwt, err := i.sign(ctx, doc)
	if err != nil {
		return nil, err
	}
	rep, err := i.check(ctx, signed, jwt, now)
	if err != nil {
		i.log.ErrorContext(ctx, "self-check of a CLR failed", "credential", c.ID, "error", err.Error())
		return nil, err
	}
	// The learner is named by neither id nor address in the log.
	i.log.InfoContext(ctx, "CLR issued", "credential", c.ID, "embedded", len(raws), "associations", len(assoc), "handed_in", len(opts.Credentials) > 0)
	return &CLR{Credential: signed, JWT: jwt, Embedded: embedded, Report: rep}, nil
}

// recordCredentials returns the credentials of l's issued awards that
// have not expired, in the order of Config.Achievements.
func (i *Issuer) recordCredentials(ctx context.Context, l Learner) ([][]byte, error) {
	recs, err := i.LearnerRecords(ctx, l)
	if err != nil {
		return nil, err
	}
	now := i.now()
	var out [][]byte
	for _, r := range recs {
		if r.State != StateIssued {
			continue
		}
		if len(r.Credential) == 0 {
			return nil, fmt.Errorf("issuer: the award of %s keeps a VC-JWT only, and a CLR embeds credentials with their proof inside: issue with formats di or both", r.AchievementID)
		}
		c, err := recordedCredential(r)
		if err != nil {
			return nil, fmt.Errorf("issuer: the credential of %s: %w", r.AchievementID, err)
		}
		if u, err := time.Parse(time.RFC3339, string(c.ValidUntil)); err == nil && !now.Before(u) {
			continue
		}
		out = append(out, []byte(r.Credential))
	}
	return out, nil
}

// handedIn checks the credentials handed in for l's CLR: each a JSON
// AchievementCredential that verifies and is about l.
func (i *Issuer) handedIn(ctx context.Context, l Learner, creds [][]byte) ([][]byte, error) {
	if len(creds) > credential.MaxClrCredentials {
		return nil, fmt.Errorf("%w: %d credentials, more than a CLR holds (%d)", ErrHandedIn, len(creds), credential.MaxClrCredentials)
	}
	p := &verify.Policy{AllowUnknownStatus: true}
	if i.cfg.Now != nil {
		p.Now = i.now()
	}
	out := make([][]byte, 0, len(creds))
	for k, c := range creds {
		if t := strings.TrimSpace(string(c)); !strings.HasPrefix(t, "{") {
			return nil, fmt.Errorf("%w: credential %d is not JSON (a VC-JWT cannot be embedded: hand in the credential with its Data Integrity proof)", ErrHandedIn, k+1)
		}
		ac, err := credential.ParseAchievementCredential(c, nil)
		if err != nil {
			return nil, fmt.Errorf("%w: credential %d: %w", ErrHandedIn, k+1, err)
		}
		if !slices.ContainsFunc(ac.Type, func(t string) bool { return t == "AchievementCredential" || t == "OpenBadgeCredential" }) {
			return nil, fmt.Errorf("%w: credential %d is not an Open Badges 3.0 AchievementCredential (its type is %q)", ErrHandedIn, k+1, []string(ac.Type))
		}
		if len(ac.Proof) == 0 {
			return nil, fmt.Errorf("%w: credential %d (%s) has no embedded proof", ErrHandedIn, k+1, ac.ID)
		}
		rep, err := i.checker.Verify(ctx, c, p)
		if err != nil {
			return nil, fmt.Errorf("%w: credential %d (%s): %w", ErrHandedIn, k+1, ac.ID, err)
		}
		if !rep.Verified {
			var why []string
			for _, ch := range rep.Checks {
				if ch.Outcome == verify.Failed || ch.Outcome == verify.Indeterminate {
					why = append(why, ch.ID+": "+ch.Message)
				}
			}
			return nil, fmt.Errorf("%w: credential %d (%s) does not verify: %s", ErrHandedIn, k+1, ac.ID, strings.Join(why, "; "))
		}
		if !about(ac, l) {
			return nil, fmt.Errorf("%w: credential %d (%s) is not about this learner", ErrHandedIn, k+1, ac.ID)
		}
		if ac.Issuer != nil && ac.Issuer.ID == i.cfg.Issuer.ID {
			if err := i.handedInStanding(ctx, ac, l); err != nil {
				return nil, fmt.Errorf("%w: credential %d (%s) %w", ErrHandedIn, k+1, ac.ID, err)
			}
		} else if a := ac.CredentialSubject.Achievement; a != nil && i.achievements[a.ID] != nil {
			// The record's associations and pathways are about this
			// issuer's achievements: another's award of one would stand
			// in the record for the issuer's own.
			return nil, fmt.Errorf("%w: credential %d (%s) awards %s, an achievement of this issuer, but is issued by %s", ErrHandedIn, k+1, ac.ID, a.ID, issuerIDOf(ac))
		}
		out = append(out, c)
	}
	return out, nil
}

// issuerIDOf returns the id of c's issuer, or a word for none.
func issuerIDOf(c *credential.AchievementCredential) string {
	if c.Issuer == nil || c.Issuer.ID == "" {
		return "no issuer id"
	}
	return c.Issuer.ID
}

// handedInStanding checks a credential of this issuer handed in for l's CLR
// against the issuer's records, which know what its status list may not
// tell (the self-check accepts a status it cannot fetch): the learner's
// award of its achievement must hold this very credential (its id),
// issued. A revoked, suspended or pending award, an award holding another
// credential, or none at all is refused: the issuer signs no record
// holding a credential of its own that its records do not stand by.
func (i *Issuer) handedInStanding(ctx context.Context, c *credential.AchievementCredential, l Learner) error {
	if c.CredentialSubject.Achievement == nil {
		return errors.New("names no achievement")
	}
	ach := c.CredentialSubject.Achievement.ID
	forms := []Learner{l}
	if l.ID != "" && l.Email != "" {
		// Awarded when the learner was known by address alone.
		forms = append(forms, Learner{Email: l.Email})
	}
	for _, f := range forms {
		rec, err := i.records.Get(ctx, i.AwardKey(ach, f))
		switch {
		case errors.Is(err, ErrRecordNotFound):
			continue
		case err != nil:
			return fmt.Errorf("could not be checked against the issuer's records: %w", err)
		case rec.CredentialID != c.ID:
			continue
		case rec.State != StateIssued:
			return fmt.Errorf("is %s in the issuer's records", rec.State)
		}
		return nil
	}
	return fmt.Errorf("is not an award the issuer's records hold for this learner (no award of %s with this credential)", ach)
}

// about reports whether c's subject is the learner l: by id, or by email
// address among its identifiers. When both the learner and the subject
// have an id, the ids decide: a subject with the learner's address but
// another id is someone else (an address's former holder, say), never the
// learner. A subject named by address alone is the learner's when the
// address is theirs, whatever the learner's id.
func about(c *credential.AchievementCredential, l Learner) bool {
	s := c.CredentialSubject
	if l.ID != "" && s.ID != "" {
		return s.ID == l.ID
	}
	if l.Email == "" {
		return false
	}
	email := strings.ToLower(strings.TrimSpace(l.Email))
	for _, id := range s.Identifier {
		if id.IdentityType != credential.IdentifierTypeEmailAddress {
			continue
		}
		if ok, err := id.Match(email); err == nil && ok {
			return true
		}
		if ok, err := id.Match(strings.TrimSpace(l.Email)); err == nil && ok {
			return true
		}
	}
	return false
}
