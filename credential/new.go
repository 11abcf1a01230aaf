package credential

import (
	"crypto/rand"
	"errors"
	"fmt"
	"github.com/go-openbadges/openbadges/schema"
	"slices"
	"time"
)

// NewID returns a fresh "urn:uuid:" identifier (a random, version 4 UUID),
// the usual id of a credential that has no web address of its own.
func NewID() string {
	var u [16]byte
	rand.Read(u[:])         // never fails (crypto/rand)
	u[6] = u[6]&0x0f | 0x40 // version 4
	u[8] = u[8]&0x3f | 0x80 // RFC 9562 variant
	return fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

// Award is what an LMS knows when a learner earns an achievement: enough to
// build the AchievementCredential. Issuer, Achievement and a recipient
// (RecipientID or Identifier) are required; everything else is optional.
type Award struct {
	// Issuer is the issuing organization's profile; its ID is usually the
	// issuer's DID or web address. Required.
	Issuer *Profile
	// Achievement is what was achieved. Required.
	Achievement *Achievement

	// RecipientID identifies the learner by a URI they control, such as a
	// DID. Either it or Identifier must be set.
	RecipientID string
	// Identifier identifies the learner by other means, such as a hashed
	// email address (see NewHashedIdentity).
	Identifier []IdentityObject

	// Results holds what the learner achieved, such as a grade.
	Results []Result
	// Evidence describes the work that earned the achievement.
	Evidence []Evidence

	// ID is the credential's id; if empty, a new urn:uuid: is made.
	ID string
	// Name is the credential's display name; if empty, the achievement's.
	Name string
	// ValidFrom is when the credential becomes valid; if zero, now.
	ValidFrom time.Time
	// ValidUntil is when it stops being valid; if zero, never.
	ValidUntil time.Time
	// AwardedDate is when the achievement was originally awarded, kept when
	// a credential is reissued; if zero, omitted.
	AwardedDate time.Time
}

// NewAchievementCredential builds an unsigned AchievementCredential from an
// Award: a urn:uuid: id (unless given), the two contexts OB 3.0 requires in
// order, the types VerifiableCredential and OpenBadgeCredential, validFrom
// (now, in whole seconds, unless given), the credentialSchema entry naming
// the OB 3.0 JSON Schema, and the extensions.json context that entry needs.
// Empty type properties of the classes it is given are filled in (see
// FillDefaults). The result passes Validate unless the Award's parts break a
// rule, which is reported as a *ValidationError.
func NewAchievementCredential(a Award) (*AchievementCredential, error) {
	if a.Issuer == nil || a.Achievement == nil {
		return nil, errors.New("credential: an Award needs an Issuer and an Achievement")
	}
	if a.RecipientID == "" && len(a.Identifier) == 0 {
		return nil, errors.New("credential: an Award needs a RecipientID or an Identifier for the learner")
	}
	validFrom := a.ValidFrom
	if validFrom.IsZero() {
		validFrom = time.Now()
	}
	c := &AchievementCredential{
		VerifiableCredential: VerifiableCredential{
			Context:   ContextURLs(ContextVCDM20, ContextOB),
			ID:        a.ID,
			Type:      Types{"VerifiableCredential", "OpenBadgeCredential"},
			Name:      a.Name,
			Issuer:    a.Issuer,
			ValidFrom: NewDateTime(validFrom),
			Evidence:  a.Evidence,
			CredentialSchema: List[CredentialSchema]{{
				ID:   schema.AchievementCredentialSchemaURL,
				Type: JSONSchemaValidator2019,
			}},
		},
		CredentialSubject: AchievementSubject{
			ID:          a.RecipientID,
			Achievement: a.Achievement,
			Identifier:  a.Identifier,
			Result:      a.Results,
		},
	}
	if c.ID == "" {
		c.ID = NewID()
	}
	if c.Name == "" {
		c.Name = a.Achievement.Name
	}
	if !a.ValidUntil.IsZero() {
		c.ValidUntil = NewDateTime(a.ValidUntil)
	}
	if !a.AwardedDate.IsZero() {
		c.AwardedDate = NewDateTime(a.AwardedDate)
	}
	c.FillDefaults()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// NewEndorsementCredential builds an unsigned EndorsementCredential in which
// endorser says comment about the entity (credential, achievement or
// profile) whose id is subjectID; name is the endorsement's display name.
func NewEndorsementCredential(endorser *Profile, subjectID, name, comment string) (*EndorsementCredential, error) {
	if endorser == nil {
		return nil, errors.New("credential: an endorsement needs an endorser")
	}
	c := &EndorsementCredential{
		VerifiableCredential: VerifiableCredential{
			Context:   ContextURLs(ContextVCDM20, ContextOB),
			ID:        NewID(),
			Type:      Types{"VerifiableCredential", "EndorsementCredential"},
			Name:      name,
			Issuer:    endorser,
			ValidFrom: NewDateTime(time.Now()),
			CredentialSchema: List[CredentialSchema]{{
				ID:   schema.EndorsementCredentialSchemaURL,
				Type: JSONSchemaValidator2019,
			}},
		},
		CredentialSubject: EndorsementSubject{ID: subjectID, EndorsementComment: comment},
	}
	c.FillDefaults()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// FillDefaults fills in what the spec requires and the credential implies:
// every empty type property of the credential's parts gets its class name
// (Profile, Achievement, Image, Result, and so on; so a Profile or Image
// given only by ID is written as an object, the form the OB 3.0 JSON
// Schema accepts everywhere), and the extensions.json
// context is added after the OB context when a 1EdTech type
// (1EdTechJsonSchemaValidator2019, 1EdTechRevocationList,
// 1EdTechCredentialRefresh) is used. Call it after changing a credential
// built by NewAchievementCredential. It never changes a value already set.
func (c *AchievementCredential) FillDefaults() {
	c.fillContext()
	fillTypes(&c.CredentialSubject.Type, "AchievementSubject")
	fillProfile(c.Issuer)
	fillImage(c.Image)
	fillAchievement(c.CredentialSubject.Achievement)
	fillImage(c.CredentialSubject.Image)
	fillProfile(c.CredentialSubject.Source)
	for i := range c.CredentialSubject.Identifier {
		fillName(&c.CredentialSubject.Identifier[i].Type, "IdentityObject")
	}
	for i := range c.CredentialSubject.Result {
		r := &c.CredentialSubject.Result[i]
		fillTypes(&r.Type, "Result")
		fillAlignments(r.Alignment)
	}
	for i := range c.Evidence {
		fillTypes(&c.Evidence[i].Type, "Evidence")
	}
}

// FillDefaults is AchievementCredential.FillDefaults for an endorsement.
func (c *EndorsementCredential) FillDefaults() {
	c.fillContext()
	fillTypes(&c.CredentialSubject.Type, "EndorsementSubject")
	fillProfile(c.Issuer)
	fillImage(c.Image)
	for i := range c.Evidence {
		fillTypes(&c.Evidence[i].Type, "Evidence")
	}
}

func (c *VerifiableCredential) fillContext() {
	if len(extensionTypesUsed(c)) == 0 || c.Context.Has(ContextOBExtensions) {
		return
	}
	at := len(c.Context)
	if i := slices.IndexFunc(c.Context, func(e ContextEntry) bool { return obContext.MatchString(e.URL) }); i >= 0 {
		at = i + 1
	}
	c.Context = slices.Insert(c.Context, at, ContextEntry{URL: ContextOBExtensions})
}

func fillTypes(t *Types, class string) {
	if len(*t) == 0 {
		*t = Types{class}
	}
}

func fillName(t *TypeName, class string) {
	if *t == "" {
		*t = TypeName(class)
	}
}

func fillProfile(p *Profile) {
	if p == nil {
		return
	}
	fillTypes(&p.Type, "Profile")
	fillImage(p.Image)
	fillProfile(p.ParentOrg)
	if p.Address != nil {
		fillTypes(&p.Address.Type, "Address")
		if p.Address.Geo != nil {
			fillName(&p.Address.Geo.Type, "GeoCoordinates")
		}
	}
	for i := range p.OtherIdentifier {
		fillName(&p.OtherIdentifier[i].Type, "IdentifierEntry")
	}
}

// fillImage types an image, which also makes it encode as an object: the
// OB 3.0 JSON Schema does not accept an image given only by its URI.
func fillImage(i *Image) {
	if i != nil {
		fillName(&i.Type, "Image")
	}
}

func fillAchievement(a *Achievement) {
	if a == nil {
		return
	}
	fillTypes(&a.Type, "Achievement")
	fillImage(a.Image)
	fillProfile(a.Creator)
	fillAlignments(a.Alignment)
	for i := range a.ResultDescription {
		rd := &a.ResultDescription[i]
		fillTypes(&rd.Type, "ResultDescription")
		fillAlignments(rd.Alignment)
		for j := range rd.RubricCriterionLevel {
			l := &rd.RubricCriterionLevel[j]
			fillTypes(&l.Type, "RubricCriterionLevel")
			fillAlignments(l.Alignment)
		}
	}
	for i := range a.Related {
		fillTypes(&a.Related[i].Type, "Related")
	}
	for i := range a.OtherIdentifier {
		fillName(&a.OtherIdentifier[i].Type, "IdentifierEntry")
	}
}

func fillAlignments(as []Alignment) {
	for i := range as {
		fillTypes(&as[i].Type, "Alignment")
	}
}
