package credential

import (
	"encoding/json"
)

// The classes below are the Open Badges 3.0 data model (OB 3.0 §B.1), with
// the VCDM 1.1 date properties added so legacy credentials can be read.
// Properties a class does not model are kept, verbatim, in its Extra map and
// written back after the modelled ones; JSON null counts as absent.
//
// Validation tags (`validate:"..."`) are rules of the spec; Validate reports
// them with JSON pointers and rule names (see rules.go).

// VerifiableCredential holds what every W3C Verifiable Credential has
// (VCDM 2.0, plus the VCDM 1.1 issuanceDate and expirationDate). It is
// embedded in AchievementCredential and EndorsementCredential; on its own it
// reads any credential, keeping credentialSubject and every other property
// it does not model in Extra.
type VerifiableCredential struct {
	Context          Context                     `json:"@context,omitempty"`
	ID               string                      `json:"id,omitempty" validate:"required,absuri"`
	Type             Types                       `json:"type,omitempty" validate:"-"`
	Name             string                      `json:"name,omitempty" validate:"-"`
	Description      string                      `json:"description,omitempty" validate:"-"`
	Image            *Image                      `json:"image,omitempty"`
	Issuer           *Profile                    `json:"issuer,omitempty" validate:"present"`
	ValidFrom        DateTime                    `json:"validFrom,omitempty" validate:"omitempty,datetimez"`
	ValidUntil       DateTime                    `json:"validUntil,omitempty" validate:"omitempty,datetimez"`
	IssuanceDate     DateTime                    `json:"issuanceDate,omitempty" validate:"omitempty,datetimez"`
	ExpirationDate   DateTime                    `json:"expirationDate,omitempty" validate:"omitempty,datetimez"`
	AwardedDate      DateTime                    `json:"awardedDate,omitempty" validate:"omitempty,datetimez"`
	Evidence         List[Evidence]              `json:"evidence,omitempty" validate:"dive"`
	CredentialSchema List[CredentialSchema]      `json:"credentialSchema,omitempty" validate:"dive"`
	CredentialStatus OneOrMany[CredentialStatus] `json:"credentialStatus,omitempty" validate:"dive"`
	RefreshService   OneOrMany[RefreshService]   `json:"refreshService,omitempty" validate:"dive"`
	TermsOfUse       List[TermsOfUse]            `json:"termsOfUse,omitempty" validate:"dive"`
	Proof            List[Proof]                 `json:"proof,omitempty" validate:"dive"`

	// Extra holds the properties the type does not model, verbatim.
	Extra map[string]json.RawMessage `json:"-" validate:"-"`
}

// AchievementCredential is an Open Badge: a credential saying that its
// subject achieved something (OB 3.0 §B.1.2). OpenBadgeCredential is the
// same class under its other name.
type AchievementCredential struct {
	VerifiableCredential
	CredentialSubject AchievementSubject          `json:"credentialSubject"`
	Endorsement       List[EndorsementCredential] `json:"endorsement,omitempty" validate:"dive"`
	EndorsementJwt    List[string]                `json:"endorsementJwt,omitempty" validate:"dive,jws"`
}

// OpenBadgeCredential is the other name OB 3.0 gives AchievementCredential.
type OpenBadgeCredential = AchievementCredential

// EndorsementCredential is a third party's claim about a credential,
// achievement or profile (OB 3.0 §B.1.7).
//
// Endorsements are signed by someone else, so re-encoding one could break
// its signature. An EndorsementCredential decoded from JSON keeps the bytes
// it was read from in Raw, and MarshalJSON writes Raw unchanged as long as
// the fields still describe those bytes; if the fields were changed while
// Raw is set, MarshalJSON fails rather than silently dropping the change or
// the signature. Set Raw to nil to encode the fields (and sign anew).
type EndorsementCredential struct {
	VerifiableCredential
	CredentialSubject EndorsementSubject `json:"credentialSubject"`

	// Raw is the JSON the endorsement was decoded from, if any.
	Raw json.RawMessage `json:"-" validate:"-"`
}

// AchievementSubject is the recipient of an achievement and what they did
// (OB 3.0 §B.1.3).
type AchievementSubject struct {
	ID                string               `json:"id,omitempty" validate:"omitempty,absuri"`
	Type              Types                `json:"type,omitempty" validate:"hastype=AchievementSubject"`
	Achievement       *Achievement         `json:"achievement,omitempty" validate:"present"`
	Identifier        List[IdentityObject] `json:"identifier,omitempty" validate:"dive"`
	ActivityStartDate DateTime             `json:"activityStartDate,omitempty" validate:"omitempty,datetimez"`
	ActivityEndDate   DateTime             `json:"activityEndDate,omitempty" validate:"omitempty,datetimez"`
	CreditsEarned     json.Number          `json:"creditsEarned,omitempty" validate:"-"`
	Image             *Image               `json:"image,omitempty"`
	LicenseNumber     string               `json:"licenseNumber,omitempty" validate:"-"`
	Narrative         string               `json:"narrative,omitempty" validate:"-"`
	Result            List[Result]         `json:"result,omitempty" validate:"dive"`
	Role              string               `json:"role,omitempty" validate:"-"`
	Source            *Profile             `json:"source,omitempty"`
	Term              string               `json:"term,omitempty" validate:"-"`

	// Extra holds the properties the type does not model, verbatim.
	Extra map[string]json.RawMessage `json:"-" validate:"-"`
}

// Achievement is what was accomplished: the badge class (OB 3.0 §B.1.1).
type Achievement struct {
	ID                string                      `json:"id,omitempty" validate:"required,absuri"`
	Type              Types                       `json:"type,omitempty" validate:"hastype=Achievement"`
	AchievementType   AchievementType             `json:"achievementType,omitempty" validate:"omitempty,enum"`
	Name              string                      `json:"name,omitempty" validate:"required"`
	Description       string                      `json:"description,omitempty" validate:"required"`
	Criteria          *Criteria                   `json:"criteria,omitempty" validate:"present"`
	Image             *Image                      `json:"image,omitempty"`
	Creator           *Profile                    `json:"creator,omitempty"`
	CreditsAvailable  json.Number                 `json:"creditsAvailable,omitempty" validate:"-"`
	FieldOfStudy      string                      `json:"fieldOfStudy,omitempty" validate:"-"`
	HumanCode         string                      `json:"humanCode,omitempty" validate:"-"`
	InLanguage        string                      `json:"inLanguage,omitempty" validate:"omitempty,language"`
	Specialization    string                      `json:"specialization,omitempty" validate:"-"`
	Tag               List[string]                `json:"tag,omitempty" validate:"-"`
	Version           string                      `json:"version,omitempty" validate:"-"`
	Alignment         List[Alignment]             `json:"alignment,omitempty" validate:"dive"`
	ResultDescription List[ResultDescription]     `json:"resultDescription,omitempty" validate:"dive"`
	Related           List[Related]               `json:"related,omitempty" validate:"dive"`
	OtherIdentifier   List[IdentifierEntry]       `json:"otherIdentifier,omitempty" validate:"dive"`
	Endorsement       List[EndorsementCredential] `json:"endorsement,omitempty" validate:"dive"`
	EndorsementJwt    List[string]                `json:"endorsementJwt,omitempty" validate:"dive,jws"`

	// Extra holds the properties the type does not model, verbatim.
	Extra map[string]json.RawMessage `json:"-" validate:"-"`
}

// Profile describes a person or organization: an issuer, a creator, an
// endorser (OB 3.0 §B.1.14). Where the JSON gives only a URI (an issuer
// written as "https://example.edu/issuer"), the Profile has only ID set, and
// a Profile with nothing but an ID is written back as that URI.
type Profile struct {
	ID               string                      `json:"id,omitempty" validate:"required,absuri"`
	Type             Types                       `json:"type,omitempty" validate:"-"`
	Name             string                      `json:"name,omitempty" validate:"-"`
	URL              string                      `json:"url,omitempty" validate:"omitempty,absuri"`
	Phone            string                      `json:"phone,omitempty" validate:"-"`
	Description      string                      `json:"description,omitempty" validate:"-"`
	Image            *Image                      `json:"image,omitempty"`
	Email            string                      `json:"email,omitempty" validate:"omitempty,email"`
	Address          *Address                    `json:"address,omitempty"`
	OtherIdentifier  List[IdentifierEntry]       `json:"otherIdentifier,omitempty" validate:"dive"`
	Official         string                      `json:"official,omitempty" validate:"-"`
	ParentOrg        *Profile                    `json:"parentOrg,omitempty"`
	FamilyName       string                      `json:"familyName,omitempty" validate:"-"`
	GivenName        string                      `json:"givenName,omitempty" validate:"-"`
	AdditionalName   string                      `json:"additionalName,omitempty" validate:"-"`
	PatronymicName   string                      `json:"patronymicName,omitempty" validate:"-"`
	HonorificPrefix  string                      `json:"honorificPrefix,omitempty" validate:"-"`
	HonorificSuffix  string                      `json:"honorificSuffix,omitempty" validate:"-"`
	FamilyNamePrefix string                      `json:"familyNamePrefix,omitempty" validate:"-"`
	DateOfBirth      Date                        `json:"dateOfBirth,omitempty" validate:"omitempty,xsddate"`
	Endorsement      List[EndorsementCredential] `json:"endorsement,omitempty" validate:"dive"`
	EndorsementJwt   List[string]                `json:"endorsementJwt,omitempty" validate:"dive,jws"`

	// Extra holds the properties the type does not model, verbatim.
	Extra map[string]json.RawMessage `json:"-" validate:"-"`
}

// Criteria says how the achievement is earned (OB 3.0 §B.1.6): a page that
// describes it, a narrative, or both.
type Criteria struct {
	ID        string `json:"id,omitempty" validate:"omitempty,absuri"`
	Narrative string `json:"narrative,omitempty" validate:"-"`

	// Extra holds the properties the type does not model, verbatim.
	Extra map[string]json.RawMessage `json:"-" validate:"-"`
}

// Alignment ties an achievement or result to a node in an educational
// framework (OB 3.0 §B.1.5).
type Alignment struct {
	Type              Types               `json:"type,omitempty" validate:"hastype=Alignment"`
	TargetName        string              `json:"targetName,omitempty" validate:"required"`
	TargetURL         string              `json:"targetUrl,omitempty" validate:"required,absuri"`
	TargetDescription string              `json:"targetDescription,omitempty" validate:"-"`
	TargetCode        string              `json:"targetCode,omitempty" validate:"-"`
	TargetFramework   string              `json:"targetFramework,omitempty" validate:"-"`
	TargetType        AlignmentTargetType `json:"targetType,omitempty" validate:"omitempty,enum"`

	// Extra holds the properties the type does not model, verbatim.
	Extra map[string]json.RawMessage `json:"-" validate:"-"`
}

// Evidence describes work the recipient did to earn the credential (OB 3.0
// §B.1.9).
type Evidence struct {
	ID          string `json:"id,omitempty" validate:"omitempty,absuri"`
	Type        Types  `json:"type,omitempty" validate:"hastype=Evidence"`
	Name        string `json:"name,omitempty" validate:"-"`
	Description string `json:"description,omitempty" validate:"-"`
	Narrative   string `json:"narrative,omitempty" validate:"-"`
	Genre       string `json:"genre,omitempty" validate:"-"`
	Audience    string `json:"audience,omitempty" validate:"-"`

	// Extra holds the properties the type does not model, verbatim.
	Extra map[string]json.RawMessage `json:"-" validate:"-"`
}

// Result is a result the recipient achieved, such as a grade (OB 3.0
// §B.1.16). ResultDescription and AchievedLevel refer by id to a
// ResultDescription and a RubricCriterionLevel of the achievement.
type Result struct {
	Type              Types            `json:"type,omitempty" validate:"hastype=Result"`
	ResultDescription string           `json:"resultDescription,omitempty" validate:"omitempty,absuri"`
	Value             string           `json:"value,omitempty" validate:"-"`
	Status            ResultStatusType `json:"status,omitempty" validate:"omitempty,enum"`
	AchievedLevel     string           `json:"achievedLevel,omitempty" validate:"omitempty,absuri"`
	Alignment         List[Alignment]  `json:"alignment,omitempty" validate:"dive"`

	// Extra holds the properties the type does not model, verbatim.
	Extra map[string]json.RawMessage `json:"-" validate:"-"`
}

// ResultDescription describes a result an achievement may carry (OB 3.0
// §B.1.17).
type ResultDescription struct {
	ID                   string                     `json:"id,omitempty" validate:"required,absuri"`
	Type                 Types                      `json:"type,omitempty" validate:"hastype=ResultDescription"`
	Name                 string                     `json:"name,omitempty" validate:"required"`
	ResultType           ResultType                 `json:"resultType,omitempty" validate:"required,enum"`
	AllowedValue         List[string]               `json:"allowedValue,omitempty" validate:"-"`
	RequiredLevel        string                     `json:"requiredLevel,omitempty" validate:"omitempty,absuri"`
	RequiredValue        string                     `json:"requiredValue,omitempty" validate:"-"`
	RubricCriterionLevel List[RubricCriterionLevel] `json:"rubricCriterionLevel,omitempty" validate:"dive"`
	ValueMax             string                     `json:"valueMax,omitempty" validate:"-"`
	ValueMin             string                     `json:"valueMin,omitempty" validate:"-"`
	Alignment            List[Alignment]            `json:"alignment,omitempty" validate:"dive"`

	// Extra holds the properties the type does not model, verbatim.
	Extra map[string]json.RawMessage `json:"-" validate:"-"`
}

// RubricCriterionLevel is one level of a rubric criterion (OB 3.0 §B.1.18).
type RubricCriterionLevel struct {
	ID          string          `json:"id,omitempty" validate:"required,absuri"`
	Type        Types           `json:"type,omitempty" validate:"hastype=RubricCriterionLevel"`
	Name        string          `json:"name,omitempty" validate:"required"`
	Description string          `json:"description,omitempty" validate:"-"`
	Level       string          `json:"level,omitempty" validate:"-"`
	Points      string          `json:"points,omitempty" validate:"-"`
	Alignment   List[Alignment] `json:"alignment,omitempty" validate:"dive"`

	// Extra holds the properties the type does not model, verbatim.
	Extra map[string]json.RawMessage `json:"-" validate:"-"`
}

// Related identifies another achievement to be treated as the same one, such
// as a translation (OB 3.0 §B.1.15).
type Related struct {
	ID         string `json:"id,omitempty" validate:"required,absuri"`
	Type       Types  `json:"type,omitempty" validate:"hastype=Related"`
	InLanguage string `json:"inLanguage,omitempty" validate:"omitempty,language"`
	Version    string `json:"version,omitempty" validate:"-"`

	// Extra holds the properties the type does not model, verbatim.
	Extra map[string]json.RawMessage `json:"-" validate:"-"`
}

// Image is an image and its caption (OB 3.0 §B.1.13). Where the JSON gives
// only a URI, the Image has only ID set, and an Image with nothing but an ID
// is written back as that URI.
type Image struct {
	ID      string   `json:"id,omitempty" validate:"required,absuri"`
	Type    TypeName `json:"type,omitempty" validate:"-"`
	Caption string   `json:"caption,omitempty" validate:"-"`

	// Extra holds the properties the type does not model, verbatim.
	Extra map[string]json.RawMessage `json:"-" validate:"-"`
}

// IdentityObject identifies the recipient, either in plain text or hashed
// with a salt (OB 3.0 §B.1.12). See NewHashedIdentity and Match.
type IdentityObject struct {
	Type         TypeName       `json:"type,omitempty" validate:"eq=IdentityObject"`
	Hashed       bool           `json:"hashed" validate:"-"`
	IdentityHash string         `json:"identityHash,omitempty" validate:"required"`
	IdentityType IdentifierType `json:"identityType,omitempty" validate:"required,enum"`
	Salt         string         `json:"salt,omitempty" validate:"-"`

	// Extra holds the properties the type does not model, verbatim.
	Extra map[string]json.RawMessage `json:"-" validate:"-"`
}

// IdentifierEntry is one identifier of an entity (OB 3.0 §B.1.11).
type IdentifierEntry struct {
	Type           TypeName       `json:"type,omitempty" validate:"eq=IdentifierEntry"`
	Identifier     string         `json:"identifier,omitempty" validate:"required"`
	IdentifierType IdentifierType `json:"identifierType,omitempty" validate:"required,enum"`

	// Extra holds the properties the type does not model, verbatim.
	Extra map[string]json.RawMessage `json:"-" validate:"-"`
}

// Address is a postal address (OB 3.0 §B.1.4).
type Address struct {
	Type                Types           `json:"type,omitempty" validate:"hastype=Address"`
	AddressCountry      string          `json:"addressCountry,omitempty" validate:"-"`
	AddressCountryCode  string          `json:"addressCountryCode,omitempty" validate:"omitempty,iso3166_1_alpha2"`
	AddressRegion       string          `json:"addressRegion,omitempty" validate:"-"`
	AddressLocality     string          `json:"addressLocality,omitempty" validate:"-"`
	StreetAddress       string          `json:"streetAddress,omitempty" validate:"-"`
	PostOfficeBoxNumber string          `json:"postOfficeBoxNumber,omitempty" validate:"-"`
	PostalCode          string          `json:"postalCode,omitempty" validate:"-"`
	Geo                 *GeoCoordinates `json:"geo,omitempty"`

	// Extra holds the properties the type does not model, verbatim.
	Extra map[string]json.RawMessage `json:"-" validate:"-"`
}

// GeoCoordinates is a location on Earth (OB 3.0 §B.1.10). The numbers keep
// the lexical form they were read with.
type GeoCoordinates struct {
	Type      TypeName    `json:"type,omitempty" validate:"eq=GeoCoordinates"`
	Latitude  json.Number `json:"latitude,omitempty" validate:"required,lat"`
	Longitude json.Number `json:"longitude,omitempty" validate:"required,long"`

	// Extra holds the properties the type does not model, verbatim.
	Extra map[string]json.RawMessage `json:"-" validate:"-"`
}

// EndorsementSubject is what an endorsement is about, and the endorser's
// comment (OB 3.0 §B.1.8).
type EndorsementSubject struct {
	ID                 string `json:"id,omitempty" validate:"required,absuri"`
	Type               Types  `json:"type,omitempty" validate:"hastype=EndorsementSubject"`
	EndorsementComment string `json:"endorsementComment,omitempty" validate:"-"`

	// Extra holds the properties the type does not model, verbatim.
	Extra map[string]json.RawMessage `json:"-" validate:"-"`
}

// CredentialStatus says where to learn whether a credential was revoked or
// suspended (OB 3.0 §B.1.22). The properties of a particular status method,
// such as the statusListIndex of a BitstringStatusListEntry, are in Extra,
// verbatim; package status reads them.
type CredentialStatus struct {
	ID   string   `json:"id,omitempty" validate:"omitempty,absuri"`
	Type TypeName `json:"type,omitempty" validate:"required"`

	// Extra holds the properties the type does not model, verbatim.
	Extra map[string]json.RawMessage `json:"-" validate:"-"`
}

// CredentialSchema names a schema the credential conforms to (OB 3.0
// §B.1.21), typically the OB JSON Schema with type
// 1EdTechJsonSchemaValidator2019.
type CredentialSchema struct {
	ID   string   `json:"id,omitempty" validate:"required,absuri"`
	Type TypeName `json:"type,omitempty" validate:"required"`

	// Extra holds the properties the type does not model, verbatim.
	Extra map[string]json.RawMessage `json:"-" validate:"-"`
}

// RefreshService says where to get a fresh copy of the credential (OB 3.0
// §B.1.25), typically a 1EdTechCredentialRefresh service.
type RefreshService struct {
	ID   string   `json:"id,omitempty" validate:"required,absuri"`
	Type TypeName `json:"type,omitempty" validate:"required"`

	// Extra holds the properties the type does not model, verbatim.
	Extra map[string]json.RawMessage `json:"-" validate:"-"`
}

// TermsOfUse states terms under which the credential was issued (OB 3.0
// §B.1.26).
type TermsOfUse struct {
	ID   string   `json:"id,omitempty" validate:"omitempty,absuri"`
	Type TypeName `json:"type,omitempty" validate:"required"`

	// Extra holds the properties the type does not model, verbatim.
	Extra map[string]json.RawMessage `json:"-" validate:"-"`
}

// Proof is an embedded proof such as a DataIntegrityProof (OB 3.0 §B.1.24).
// This package only reads and writes proofs; package proof/dataintegrity
// creates and checks them.
type Proof struct {
	Type               TypeName `json:"type,omitempty" validate:"required"`
	Cryptosuite        string   `json:"cryptosuite,omitempty" validate:"-"`
	Created            DateTime `json:"created,omitempty" validate:"omitempty,datetimez"`
	VerificationMethod string   `json:"verificationMethod,omitempty" validate:"omitempty,absuri"`
	ProofPurpose       string   `json:"proofPurpose,omitempty" validate:"-"`
	ProofValue         string   `json:"proofValue,omitempty" validate:"-"`
	Challenge          string   `json:"challenge,omitempty" validate:"-"`
	Domain             string   `json:"domain,omitempty" validate:"-"`
	Nonce              string   `json:"nonce,omitempty" validate:"-"`

	// Extra holds the properties the type does not model, verbatim.
	Extra map[string]json.RawMessage `json:"-" validate:"-"`
}
