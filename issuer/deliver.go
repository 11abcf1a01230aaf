package issuer

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
)

// ErrHolder is wrapped by IssueTo's error for a holder id that is not an
// absolute URI (a DID, usually) of at most keys.MaxDIDLen bytes.
var ErrHolder = errors.New("issuer: the holder id is not an absolute URI")

// ErrExpired is wrapped by IssueTo's error for an award whose credential
// is past its validUntil: a copy would be expired too.
var ErrExpired = errors.New("issuer: the award's credential has expired")

// jwtClaims are the JWT claims a VC-JWT adds to the credential it carries
// (package jose): none of them is an Open Badges 3.0 property.
var jwtClaims = []string{"iss", "jti", "sub", "aud", "nbf", "exp", "iat"}

// IssueTo issues the award of awardKey again, bound to a holder: the
// credential says the same as the one the award's record keeps (the same
// achievement, results, evidence, identifier, awardedDate, validUntil and
// endorsements, every property kept as it is) about the subject holderID,
// the DID of the wallet that proved it holds the key (see package oid4vci).
// It has an id of its own and a validFrom of now, and carries the record's
// status entry: revoking or suspending the award (by award key) revokes or
// suspends every copy delivered this way, and a delivery allocates nothing,
// however often a wallet asks. The record, and the credential it keeps, are
// not changed, and the copy is not recorded: it can be made again at will.
//
// f is the proof the copy gets, whatever Config.Formats says: FormatJWT for
// a VC-JWT, FormatDataIntegrity for an embedded Data Integrity proof,
// FormatBoth for both. The copy is checked against the data model before it
// is signed, and verified after, like every credential Issue hands out.
//
// For an award key whose record is not issued (in review, suspended,
// revoked, denied, rejected), IssueTo returns the Issued with the record's
// State (and ReviewID) and no credential, with an error wrapping
// ErrNotIssued; for one whose credential has expired, the same with an
// error wrapping ErrExpired; with no record, an error wrapping
// ErrRecordNotFound.
func (i *Issuer) IssueTo(ctx context.Context, awardKey, holderID string, f Formats) (*Issued, error) {
	if err := checkHolder(holderID); err != nil {
		return nil, err
	}
	if f < FormatDataIntegrity || f > FormatBoth {
		return nil, fmt.Errorf("issuer: unknown format %d", f)
	}
	rec, err := i.records.Get(ctx, awardKey)
	if err != nil {
		return nil, err
	}
	if rec.State != StateIssued {
		return &Issued{AwardKey: awardKey, State: rec.State, ReviewID: rec.ReviewID}, fmt.Errorf("%w: the award is %s", ErrNotIssued, rec.State)
	}
	c, err := recordedCredential(rec)
	if err != nil {
		return nil, fmt.Errorf("issuer: the credential of %s: %w", awardKey, err)
	}
	now := i.now().UTC().Truncate(time.Second)
	if until, err := time.Parse(time.RFC3339, string(c.ValidUntil)); err == nil && !now.Before(until) {
		return &Issued{AwardKey: awardKey, State: rec.State}, fmt.Errorf("%w: at %s", ErrExpired, c.ValidUntil)
	}
	c.Proof = nil
	for _, k := range jwtClaims {
		delete(c.Extra, k)
	}
	c.ID = credential.NewID()
	c.ValidFrom = credential.NewDateTime(now)
	c.CredentialSubject.ID = holderID
	doc, err := credential.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("issuer: encoding the credential: %w", err)
	}
	if err := checkBeforeSigning(doc); err != nil {
		i.log.ErrorContext(ctx, "the delivered credential breaks the data model; not signed", "award_key", awardKey, "error", err.Error())
		return nil, fmt.Errorf("issuer: the credential of %s: %w", awardKey, err)
	}
	signed, jwt, err := i.signAs(ctx, doc, f)
	if err != nil {
		return nil, err
	}
	rep, err := i.check(ctx, signed, jwt, now)
	if err != nil {
		i.log.ErrorContext(ctx, "self-check of a delivered credential failed", "award_key", awardKey, "error", err.Error())
		return nil, err
	}
	// The holder's id is the learner's: it is not logged.
	i.log.InfoContext(ctx, "delivered to a holder", "award_key", awardKey, "achievement", rec.AchievementID, "credential", c.ID, "of", rec.CredentialID)
	return &Issued{AwardKey: awardKey, State: StateIssued, Credential: signed, JWT: jwt, Report: rep}, nil
}

// checkHolder checks that id can be a credentialSubject id.
func checkHolder(id string) error {
	if id == "" || len(id) > keys.MaxDIDLen || strings.ContainsAny(id, " \t\r\n<>\"{}|\\^`") {
		return ErrHolder
	}
	u, err := url.Parse(id)
	if err != nil || u.Scheme == "" || (u.Opaque == "" && u.Host == "" && u.Path == "") {
		return ErrHolder
	}
	return nil
}

// recordedCredential reads the credential a record keeps: its JSON form,
// or the payload of its VC-JWT. The record is the issuer's own, verified
// when it was issued; it is read, not verified again.
func recordedCredential(rec *Record) (*credential.AchievementCredential, error) {
	doc := []byte(rec.Credential)
	if len(doc) == 0 {
		parts := strings.Split(rec.JWT, ".")
		if len(parts) != 3 {
			return nil, errors.New("the record keeps no credential")
		}
		var err error
		if doc, err = base64.RawURLEncoding.DecodeString(parts[1]); err != nil {
			return nil, fmt.Errorf("the record's JWT: %w", err)
		}
	}
	return credential.ParseAchievementCredential(doc, nil)
}

// signAs signs doc with the proofs f says (Data Integrity, a VC-JWT or
// both), with the issuer's signing key.
func (i *Issuer) signAs(ctx context.Context, doc []byte, f Formats) ([]byte, string, error) {
	k, err := i.signingKey(ctx)
	if err != nil {
		return nil, "", err
	}
	sg := i.signersFor(k)
	var signed []byte
	var jwt string
	if f == FormatDataIntegrity || f == FormatBoth {
		if signed, err = sg.di.Sign(ctx, doc, &dataintegrity.ProofOptions{Created: i.now()}); err != nil {
			return nil, "", fmt.Errorf("issuer: signing: %w", err)
		}
		doc = signed
	}
	if f == FormatJWT || f == FormatBoth {
		if jwt, err = sg.jwt.Sign(ctx, doc); err != nil {
			return nil, "", fmt.Errorf("issuer: signing the JWT: %w", err)
		}
	}
	return signed, jwt, nil
}
