package credential

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"
)

// LearnerRecord is what an issuer knows when it assembles a learner's
// Comprehensive Learner Record: enough to build the ClrCredential. Issuer,
// a learner (LearnerID or Identifier) and at least one credential are
// required.
type LearnerRecord struct {
	// Issuer is the profile of the organization issuing the record (the
	// school, the platform). Required.
	Issuer *Profile

	// LearnerID identifies the learner by a URI they control, such as a
	// DID; it should be the subject id of the embedded credentials. Either
	// it or Identifier must be set.
	LearnerID string
	// Identifier identifies the learner by other means, such as a hashed
	// email address (see NewHashedIdentity).
	Identifier []IdentityObject

	// Credentials are the learner's signed credentials (OB 3.0
	// AchievementCredentials, in JSON), each exactly as its issuer signed
	// it: the bytes are embedded unchanged (only whitespace between tokens
	// is dropped), so their proofs still verify. At least one is required.
	Credentials []json.RawMessage
	// Achievements lists achievements the record is about beyond those of
	// the credentials: a program the courses are part of, an achievement
	// in progress. Optional.
	Achievements []Achievement
	// Associations relate the record's achievements by id: a course
	// isPartOf a program, one course precedes another. Optional; each end
	// should be the id of an achievement of the record (an embedded
	// credential's or one of Achievements), which Check warns about
	// otherwise.
	Associations []Association
	// Partial says the record holds only some of what the issuer knows of
	// the learner; if false, the property is left out (the record is then
	// read as complete).
	Partial bool

	// ID is the credential's id; if empty, a new urn:uuid: is made.
	ID string
	// Name is the record's display name, such as "Transcript of Ada
	// Lovelace". Required by CLR 2.0; if empty, "Comprehensive Learner
	// Record".
	Name string
	// Description describes the record. Optional.
	Description string
	// ValidFrom is when the record becomes valid; if zero, now.
	ValidFrom time.Time
	// ValidUntil is when it stops being valid; if zero, never.
	ValidUntil time.Time
}

// NewClrCredential builds an unsigned ClrCredential from a LearnerRecord:
// a urn:uuid: id (unless given), the contexts CLR 2.0 requires in order
// (ContextVCDM20, ContextCLR, ContextOB, then ContextOBExtensions for the
// credentialSchema entry), the types VerifiableCredential and
// ClrCredential, validFrom (now, in whole seconds, unless given), a
// credentialSchema entry naming the CLR JSON Schema, and a ClrSubject
// embedding each credential's bytes unchanged.
//
// Each embedded credential must be a JSON object; NewClrCredential does
// not verify their proofs (package verify does, for each credential and
// for the record). Sign the result (package proof/dataintegrity, or
// proof/jose) to issue it. The result passes Validate unless the record's
// parts break a rule, which is reported as a *ValidationError.
func NewClrCredential(r LearnerRecord) (*ClrCredential, error) {
	if r.Issuer == nil {
		return nil, errors.New("credential: a LearnerRecord needs an Issuer")
	}
	if r.LearnerID == "" && len(r.Identifier) == 0 {
		return nil, errors.New("credential: a LearnerRecord needs a LearnerID or an Identifier for the learner")
	}
	if len(r.Credentials) == 0 {
		return nil, errors.New("credential: a LearnerRecord needs at least one credential (CLR 2.0 requires verifiableCredential)")
	}
	embedded := make(List[json.RawMessage], len(r.Credentials))
	for i, raw := range r.Credentials {
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 || raw[0] != '{' || !json.Valid(raw) {
			return nil, fmt.Errorf("credential: LearnerRecord.Credentials[%d] is not a JSON object", i)
		}
		embedded[i] = slices.Clone(json.RawMessage(raw))
	}
	validFrom := r.ValidFrom
	if validFrom.IsZero() {
		validFrom = time.Now()
	}
	c := &ClrCredential{
		VerifiableCredential: VerifiableCredential{
			Context:     ContextURLs(ContextVCDM20, ContextCLR, ContextOB),
			ID:          r.ID,
			Type:        Types{"VerifiableCredential", "ClrCredential"},
			Name:        r.Name,
			Description: r.Description,
			Issuer:      r.Issuer,
			ValidFrom:   NewDateTime(validFrom),
			CredentialSchema: List[CredentialSchema]{{
				ID:   ClrCredentialSchemaURL,
				Type: JSONSchemaValidator2019,
			}},
		},
		CredentialSubject: ClrSubject{
			ID:                   r.LearnerID,
			Identifier:           slices.Clone(r.Identifier),
			Achievement:          slices.Clone(r.Achievements),
			VerifiableCredential: embedded,
			Association:          slices.Clone(r.Associations),
		},
	}
	if c.ID == "" {
		c.ID = NewID()
	}
	if c.Name == "" {
		c.Name = "Comprehensive Learner Record"
	}
	if !r.ValidUntil.IsZero() {
		c.ValidUntil = NewDateTime(r.ValidUntil)
	}
	if r.Partial {
		t := true
		c.Partial = &t
	}
	c.FillDefaults()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// FillDefaults fills in what the spec requires and the record implies, like
// AchievementCredential.FillDefaults: every empty type property gets its
// class name (ClrSubject, Association, Achievement, Profile, …) and the
// extensions.json context is added after the OB context when a 1EdTech type
// is used. The embedded credentials are never touched. It never changes a
// value already set.
func (c *ClrCredential) FillDefaults() {
	c.fillContext()
	s := &c.CredentialSubject
	fillTypes(&s.Type, "ClrSubject")
	fillProfile(c.Issuer)
	fillImage(c.Image)
	for i := range s.Identifier {
		fillName(&s.Identifier[i].Type, "IdentityObject")
	}
	for i := range s.Achievement {
		fillAchievement(&s.Achievement[i])
	}
	for i := range s.Association {
		fillName(&s.Association[i].Type, "Association")
	}
	for i := range c.Evidence {
		fillTypes(&c.Evidence[i].Type, "Evidence")
	}
}
