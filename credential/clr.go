package credential

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"

	"github.com/go-openbadges/openbadges/internal/jsonobj"
	"github.com/go-openbadges/openbadges/schema"
)

// Context URLs and names of CLR 2.0.
const (
	// ContextCLR is the CLR 2.0 context the final spec requires second in
	// a ClrCredential's @context, after ContextVCDM20 and before ContextOB.
	ContextCLR = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
	// ContextCLR200 is the first CLR 2.0 context (VCDM 1.1 era): read, and
	// reported as older.
	ContextCLR200 = "https://purl.imsglobal.org/spec/clr/v2p0/context.json"

	// ClrCredentialSchemaURL is the URL of the 1EdTech JSON Schema of
	// ClrCredential, as issuers name it in credentialSchema. Package
	// schema embeds it (schema.ClrCredentialSchemaURL; its provenance is
	// in schema/jsonschema/README.md), and Check applies it to a VCDM 2.0
	// record.
	ClrCredentialSchemaURL = schema.ClrCredentialSchemaURL
)

// clrContext matches every published CLR 2.0 context URL: context.json
// (2.0.0) and context-2.x.y.json.
var clrContext = regexp.MustCompile(`^https://purl\.imsglobal\.org/spec/clr/v2p0/context(-2\.\d+\.\d+)?\.json$`)

// ClrCredential is a Comprehensive Learner Record: a credential whose
// subject is a learner's collection of credentials, achievements and the
// associations between them (CLR 2.0 §B.1 ClrCredential).
//
// Build one with NewClrCredential; read one with ParseClrCredential; check
// it with Check (or Validate for the rules alone). Verifying its proof and
// the proofs of the credentials inside is package verify's job.
type ClrCredential struct {
	VerifiableCredential
	CredentialSubject ClrSubject                  `json:"credentialSubject"`
	Partial           *bool                       `json:"partial,omitempty"`
	Endorsement       List[EndorsementCredential] `json:"endorsement,omitempty" validate:"dive"`
	EndorsementJwt    List[string]                `json:"endorsementJwt,omitempty" validate:"dive,jws"`
}

// ClrSubject is the learner and their record (CLR 2.0 §B.1 ClrSubject).
//
// VerifiableCredential holds the embedded credentials (at least one) as
// the JSON they were received or signed as: build a CLR by appending each
// signed credential's bytes unchanged (json.RawMessage(signedBytes)), never
// a re-encoded struct, or its proof will no longer verify. Read them with
// Credentials.
type ClrSubject struct {
	ID                   string                `json:"id,omitempty" validate:"omitempty,absuri"`
	Type                 Types                 `json:"type,omitempty" validate:"hastype=ClrSubject"`
	Identifier           List[IdentityObject]  `json:"identifier,omitempty" validate:"dive"`
	Achievement          List[Achievement]     `json:"achievement,omitempty" validate:"dive"`
	VerifiableCredential List[json.RawMessage] `json:"verifiableCredential,omitempty" validate:"-"`
	Association          List[Association]     `json:"association,omitempty" validate:"dive"`

	// Extra holds the properties the type does not model, verbatim.
	Extra map[string]json.RawMessage `json:"-" validate:"-"`
}

// Association relates two achievements of a CLR: the achievement whose id
// is SourceID stands in relation AssociationType to the one whose id is
// TargetID (CLR 2.0 §B.1 Association).
type Association struct {
	Type            TypeName        `json:"type,omitempty" validate:"eq=Association"`
	AssociationType AssociationType `json:"associationType,omitempty" validate:"required,enum"`
	SourceID        string          `json:"sourceId,omitempty" validate:"required,absuri"`
	TargetID        string          `json:"targetId,omitempty" validate:"required,absuri"`

	// Extra holds the properties the type does not model, verbatim.
	Extra map[string]json.RawMessage `json:"-" validate:"-"`
}

// AssociationType is how the source achievement of an Association relates
// to its target (the CLR 2.0 AssociationType enumeration, which is not
// extensible).
type AssociationType string

// The AssociationType terms of CLR 2.0. Each reads "source <term> target".
const (
	// AssociationExactMatchOf: the source is an exact match of the target.
	AssociationExactMatchOf AssociationType = "exactMatchOf"
	// AssociationIsChildOf: the source is a child of the target in a
	// hierarchy (a unit of a course).
	AssociationIsChildOf AssociationType = "isChildOf"
	// AssociationIsParentOf: the source is the parent of the target.
	AssociationIsParentOf AssociationType = "isParentOf"
	// AssociationIsPartOf: the source is part of the target (a course of a
	// program), without a strict hierarchy.
	AssociationIsPartOf AssociationType = "isPartOf"
	// AssociationIsPeerOf: the source and the target are peers.
	AssociationIsPeerOf AssociationType = "isPeerOf"
	// AssociationIsRelatedTo: the source is related to the target in some
	// other way.
	AssociationIsRelatedTo AssociationType = "isRelatedTo"
	// AssociationPrecedes: the source comes before the target (a
	// prerequisite).
	AssociationPrecedes AssociationType = "precedes"
	// AssociationReplacedBy: the source is replaced by the target.
	AssociationReplacedBy AssociationType = "replacedBy"
)

// AssociationTypes lists every AssociationType term, in the spec's order.
var AssociationTypes = []AssociationType{
	AssociationExactMatchOf, AssociationIsChildOf, AssociationIsParentOf, AssociationIsPartOf,
	AssociationIsPeerOf, AssociationIsRelatedTo, AssociationPrecedes, AssociationReplacedBy,
}

// Valid reports whether t is a term of the enumeration.
func (t AssociationType) Valid() bool { return slices.Contains(AssociationTypes, t) }

var (
	clrCredentialFields = jsonobj.FieldsOf(reflect.TypeFor[ClrCredential](), credentialOrder...)
	clrSubjectFields    = jsonobj.FieldsOf(reflect.TypeFor[ClrSubject]())
	associationFields   = jsonobj.FieldsOf(reflect.TypeFor[Association]())
)

// UnmarshalJSON decodes a ClrCredential, keeping unknown properties in
// Extra and each embedded credential's bytes as received. A document
// mixing VCDM 1.1 and 2.0 is an error wrapping ErrMixedVersions.
func (c *ClrCredential) UnmarshalJSON(data []byte) error {
	*c = ClrCredential{}
	if err := clrCredentialFields.Decode(data, c, &c.Extra, "a ClrCredential"); err != nil {
		return err
	}
	_, err := c.version()
	return err
}

// MarshalJSON encodes the CLR in the spec's form, unknown properties
// included, and each embedded credential as the bytes it holds.
func (c ClrCredential) MarshalJSON() ([]byte, error) {
	return clrCredentialFields.Encode(c, c.Extra)
}

// UnmarshalJSON decodes the subject; a one-element array is accepted.
func (s *ClrSubject) UnmarshalJSON(data []byte) error {
	data, err := single(data, "credentialSubject")
	if err != nil {
		return err
	}
	*s = ClrSubject{}
	return clrSubjectFields.Decode(data, s, &s.Extra, "a ClrSubject")
}

// MarshalJSON encodes the subject, unknown properties included.
func (s ClrSubject) MarshalJSON() ([]byte, error) {
	return clrSubjectFields.Encode(s, s.Extra)
}

// UnmarshalJSON decodes an Association, keeping unknown properties in
// Extra.
func (a *Association) UnmarshalJSON(data []byte) error {
	*a = Association{}
	return associationFields.Decode(data, a, &a.Extra, "an Association")
}

// MarshalJSON encodes the association, unknown properties included.
func (a Association) MarshalJSON() ([]byte, error) { return associationFields.Encode(a, a.Extra) }

// ParseClrCredential decodes a ClrCredential from JSON, like
// ParseAchievementCredential: it bounds size and depth, refuses invalid
// UTF-8 and duplicate members, and neither checks the rules (see Validate
// and Check) nor verifies proofs. The embedded credentials are kept as the
// bytes they were read as; Credentials decodes them. Errors are
// *DecodeError.
func ParseClrCredential(data []byte, opts *ParseOptions) (*ClrCredential, error) {
	return parse[ClrCredential](data, opts)
}

// Credentials decodes the embedded credentials as AchievementCredentials,
// in order. It fails on the first that does not decode, naming its index;
// the subject's VerifiableCredential keeps the bytes either way.
func (s *ClrSubject) Credentials() ([]*AchievementCredential, error) {
	out := make([]*AchievementCredential, 0, len(s.VerifiableCredential))
	for i, raw := range s.VerifiableCredential {
		c := new(AchievementCredential)
		if err := c.UnmarshalJSON(raw); err != nil {
			return nil, &DecodeError{Pointer: fmt.Sprintf("/credentialSubject/verifiableCredential/%d", i), Err: err}
		}
		out = append(out, c)
	}
	return out, nil
}

// AchievementIDs returns the ids of every achievement the record holds: the
// subject's achievement list and the achievement of each embedded
// credential that decodes as an AchievementCredential, each id once, in
// document order. Associations refer to achievements by these ids.
func (s *ClrSubject) AchievementIDs() []string {
	var ids []string
	add := func(id string) {
		if id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	for _, a := range s.Achievement {
		add(a.ID)
	}
	for _, raw := range s.VerifiableCredential {
		var c AchievementCredential
		if c.UnmarshalJSON(raw) == nil && c.CredentialSubject.Achievement != nil {
			add(c.CredentialSubject.Achievement.ID)
		}
	}
	return ids
}
