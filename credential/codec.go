package credential

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"

	"github.com/go-openbadges/openbadges/internal/jsonobj"
)

// Each class is encoded member by member in the order below (the order of
// the spec's examples), followed by its Extra members sorted by name.
var (
	credentialOrder = []string{"@context", "id", "type", "name", "description", "image", "issuer",
		"validFrom", "validUntil", "issuanceDate", "expirationDate", "awardedDate", "credentialSubject"}

	vcFields                    = jsonobj.FieldsOf(reflect.TypeFor[VerifiableCredential](), credentialOrder[:12]...)
	achievementCredentialFields = jsonobj.FieldsOf(reflect.TypeFor[AchievementCredential](), credentialOrder...)
	endorsementCredentialFields = jsonobj.FieldsOf(reflect.TypeFor[EndorsementCredential](), credentialOrder...)
	achievementSubjectFields    = jsonobj.FieldsOf(reflect.TypeFor[AchievementSubject]())
	achievementFields           = jsonobj.FieldsOf(reflect.TypeFor[Achievement]())
	profileFields               = jsonobj.FieldsOf(reflect.TypeFor[Profile]())
	criteriaFields              = jsonobj.FieldsOf(reflect.TypeFor[Criteria]())
	alignmentFields             = jsonobj.FieldsOf(reflect.TypeFor[Alignment]())
	evidenceFields              = jsonobj.FieldsOf(reflect.TypeFor[Evidence]())
	resultFields                = jsonobj.FieldsOf(reflect.TypeFor[Result]())
	resultDescriptionFields     = jsonobj.FieldsOf(reflect.TypeFor[ResultDescription]())
	rubricCriterionLevelFields  = jsonobj.FieldsOf(reflect.TypeFor[RubricCriterionLevel]())
	relatedFields               = jsonobj.FieldsOf(reflect.TypeFor[Related]())
	imageFields                 = jsonobj.FieldsOf(reflect.TypeFor[Image]())
	identityObjectFields        = jsonobj.FieldsOf(reflect.TypeFor[IdentityObject]())
	identifierEntryFields       = jsonobj.FieldsOf(reflect.TypeFor[IdentifierEntry]())
	addressFields               = jsonobj.FieldsOf(reflect.TypeFor[Address]())
	geoCoordinatesFields        = jsonobj.FieldsOf(reflect.TypeFor[GeoCoordinates]())
	endorsementSubjectFields    = jsonobj.FieldsOf(reflect.TypeFor[EndorsementSubject]())
	credentialStatusFields      = jsonobj.FieldsOf(reflect.TypeFor[CredentialStatus]())
	credentialSchemaFields      = jsonobj.FieldsOf(reflect.TypeFor[CredentialSchema]())
	refreshServiceFields        = jsonobj.FieldsOf(reflect.TypeFor[RefreshService]())
	termsOfUseFields            = jsonobj.FieldsOf(reflect.TypeFor[TermsOfUse]())
	proofFields                 = jsonobj.FieldsOf(reflect.TypeFor[Proof]())
)

func isJSONString(data []byte) bool {
	data = bytes.TrimSpace(data)
	return len(data) > 0 && data[0] == '"'
}

// single unwraps a one-element array, for properties (credentialSubject)
// that JSON-LD lets a document write either way but OB allows only once.
func single(data []byte, what string) ([]byte, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '[' {
		return data, nil
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(data, &elems); err != nil {
		return nil, err
	}
	if len(elems) != 1 {
		return nil, fmt.Errorf("want one %s, got an array of %d", what, len(elems))
	}
	return elems[0], nil
}

// onlyID reports whether the struct v has a non-empty ID field and every
// other field empty: a bare reference that JSON writes as a URI.
func onlyID(v reflect.Value) bool {
	for i := range v.NumField() {
		f := v.Field(i)
		if v.Type().Field(i).Name == "ID" {
			if f.String() == "" {
				return false
			}
			continue
		}
		switch f.Kind() {
		case reflect.Slice, reflect.Map:
			if f.Len() > 0 {
				return false
			}
		default:
			if !f.IsZero() {
				return false
			}
		}
	}
	return true
}

// UnmarshalJSON decodes a credential of any type, keeping unknown
// properties in Extra. A document mixing VCDM 1.1 and 2.0 is an error
// wrapping ErrMixedVersions.
func (c *VerifiableCredential) UnmarshalJSON(data []byte) error {
	*c = VerifiableCredential{}
	if err := vcFields.Decode(data, c, &c.Extra, "a credential"); err != nil {
		return err
	}
	_, err := c.version()
	return err
}

// MarshalJSON encodes the credential, unknown properties included.
func (c VerifiableCredential) MarshalJSON() ([]byte, error) {
	return vcFields.Encode(c, c.Extra)
}

// UnmarshalJSON decodes an AchievementCredential, keeping unknown properties
// in Extra. A document mixing VCDM 1.1 and 2.0 is an error wrapping
// ErrMixedVersions.
func (c *AchievementCredential) UnmarshalJSON(data []byte) error {
	*c = AchievementCredential{}
	if err := achievementCredentialFields.Decode(data, c, &c.Extra, "an AchievementCredential"); err != nil {
		return err
	}
	_, err := c.version()
	return err
}

// MarshalJSON encodes the credential in the spec's form, unknown properties
// included.
func (c AchievementCredential) MarshalJSON() ([]byte, error) {
	return achievementCredentialFields.Encode(c, c.Extra)
}

// UnmarshalJSON decodes an EndorsementCredential, keeping unknown
// properties in Extra and the bytes it was given in Raw.
func (c *EndorsementCredential) UnmarshalJSON(data []byte) error {
	*c = EndorsementCredential{}
	if err := endorsementCredentialFields.Decode(data, c, &c.Extra, "an EndorsementCredential"); err != nil {
		return err
	}
	if _, err := c.version(); err != nil {
		return err
	}
	c.Raw = slices.Clone(bytes.TrimSpace(data))
	return nil
}

// ErrSignedModified is returned when an EndorsementCredential's fields were
// changed while Raw still holds the bytes it was decoded from: writing
// either would lose something (the change, or the signature over Raw).
var ErrSignedModified = errors.New("credential: endorsement changed after decoding; set Raw to nil to encode the fields (its proof will no longer match)")

// MarshalJSON writes Raw unchanged when it is set and still describes the
// fields, and encodes the fields when Raw is nil; see EndorsementCredential.
func (c EndorsementCredential) MarshalJSON() ([]byte, error) {
	fields, err := endorsementCredentialFields.Encode(c, c.Extra)
	if err != nil || c.Raw == nil {
		return fields, err
	}
	var orig EndorsementCredential
	if err := json.Unmarshal(c.Raw, &orig); err != nil {
		return nil, fmt.Errorf("credential: endorsement Raw does not decode: %w", err)
	}
	origFields, err := endorsementCredentialFields.Encode(orig, orig.Extra)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(fields, origFields) {
		return nil, ErrSignedModified
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, c.Raw); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// UnmarshalJSON decodes the subject; a one-element array is accepted, a
// longer one is an error (OB 3.0 has one subject per credential).
func (s *AchievementSubject) UnmarshalJSON(data []byte) error {
	data, err := single(data, "credentialSubject")
	if err != nil {
		return err
	}
	*s = AchievementSubject{}
	return achievementSubjectFields.Decode(data, s, &s.Extra, "an AchievementSubject")
}

// MarshalJSON encodes the subject, unknown properties included.
func (s AchievementSubject) MarshalJSON() ([]byte, error) {
	return achievementSubjectFields.Encode(s, s.Extra)
}

// UnmarshalJSON decodes the subject; a one-element array is accepted.
func (s *EndorsementSubject) UnmarshalJSON(data []byte) error {
	data, err := single(data, "credentialSubject")
	if err != nil {
		return err
	}
	*s = EndorsementSubject{}
	return endorsementSubjectFields.Decode(data, s, &s.Extra, "an EndorsementSubject")
}

// MarshalJSON encodes the subject, unknown properties included.
func (s EndorsementSubject) MarshalJSON() ([]byte, error) {
	return endorsementSubjectFields.Encode(s, s.Extra)
}

// UnmarshalJSON decodes an Achievement, keeping unknown properties in Extra.
func (a *Achievement) UnmarshalJSON(data []byte) error {
	*a = Achievement{}
	return achievementFields.Decode(data, a, &a.Extra, "an Achievement")
}

// MarshalJSON encodes the achievement, unknown properties included.
func (a Achievement) MarshalJSON() ([]byte, error) {
	return achievementFields.Encode(a, a.Extra)
}

// UnmarshalJSON accepts a Profile object or a URI (which sets only ID).
func (p *Profile) UnmarshalJSON(data []byte) error {
	*p = Profile{}
	if isJSONString(data) {
		return json.Unmarshal(data, &p.ID)
	}
	return profileFields.Decode(data, p, &p.Extra, "a Profile")
}

// MarshalJSON writes a Profile holding only an ID as that URI, and any
// other Profile as an object.
func (p Profile) MarshalJSON() ([]byte, error) {
	if onlyID(reflect.ValueOf(p)) {
		return jsonobj.Marshal(p.ID)
	}
	return profileFields.Encode(p, p.Extra)
}

// UnmarshalJSON accepts an Image object or a URI (which sets only ID).
func (i *Image) UnmarshalJSON(data []byte) error {
	*i = Image{}
	if isJSONString(data) {
		return json.Unmarshal(data, &i.ID)
	}
	return imageFields.Decode(data, i, &i.Extra, "an Image")
}

// MarshalJSON writes an Image holding only an ID as that URI, and any other
// Image as an object.
func (i Image) MarshalJSON() ([]byte, error) {
	if onlyID(reflect.ValueOf(i)) {
		return jsonobj.Marshal(i.ID)
	}
	return imageFields.Encode(i, i.Extra)
}

// UnmarshalJSON decodes Criteria, keeping unknown properties in Extra.
func (c *Criteria) UnmarshalJSON(data []byte) error {
	*c = Criteria{}
	return criteriaFields.Decode(data, c, &c.Extra, "a Criteria")
}

// MarshalJSON encodes the criteria, unknown properties included.
func (c Criteria) MarshalJSON() ([]byte, error) { return criteriaFields.Encode(c, c.Extra) }

// UnmarshalJSON decodes an Alignment, keeping unknown properties in Extra.
func (a *Alignment) UnmarshalJSON(data []byte) error {
	*a = Alignment{}
	return alignmentFields.Decode(data, a, &a.Extra, "an Alignment")
}

// MarshalJSON encodes the alignment, unknown properties included.
func (a Alignment) MarshalJSON() ([]byte, error) { return alignmentFields.Encode(a, a.Extra) }

// UnmarshalJSON decodes Evidence, keeping unknown properties in Extra.
func (e *Evidence) UnmarshalJSON(data []byte) error {
	*e = Evidence{}
	return evidenceFields.Decode(data, e, &e.Extra, "an Evidence")
}

// MarshalJSON encodes the evidence, unknown properties included.
func (e Evidence) MarshalJSON() ([]byte, error) { return evidenceFields.Encode(e, e.Extra) }

// UnmarshalJSON decodes a Result, keeping unknown properties in Extra.
func (r *Result) UnmarshalJSON(data []byte) error {
	*r = Result{}
	return resultFields.Decode(data, r, &r.Extra, "a Result")
}

// MarshalJSON encodes the result, unknown properties included.
func (r Result) MarshalJSON() ([]byte, error) { return resultFields.Encode(r, r.Extra) }

// UnmarshalJSON decodes a ResultDescription, keeping unknown properties in
// Extra.
func (r *ResultDescription) UnmarshalJSON(data []byte) error {
	*r = ResultDescription{}
	return resultDescriptionFields.Decode(data, r, &r.Extra, "a ResultDescription")
}

// MarshalJSON encodes the result description, unknown properties included.
func (r ResultDescription) MarshalJSON() ([]byte, error) {
	return resultDescriptionFields.Encode(r, r.Extra)
}

// UnmarshalJSON decodes a RubricCriterionLevel, keeping unknown properties
// in Extra.
func (r *RubricCriterionLevel) UnmarshalJSON(data []byte) error {
	*r = RubricCriterionLevel{}
	return rubricCriterionLevelFields.Decode(data, r, &r.Extra, "a RubricCriterionLevel")
}

// MarshalJSON encodes the level, unknown properties included.
func (r RubricCriterionLevel) MarshalJSON() ([]byte, error) {
	return rubricCriterionLevelFields.Encode(r, r.Extra)
}

// UnmarshalJSON decodes a Related, keeping unknown properties in Extra.
func (r *Related) UnmarshalJSON(data []byte) error {
	*r = Related{}
	return relatedFields.Decode(data, r, &r.Extra, "a Related")
}

// MarshalJSON encodes the related entry, unknown properties included.
func (r Related) MarshalJSON() ([]byte, error) { return relatedFields.Encode(r, r.Extra) }

// UnmarshalJSON decodes an IdentityObject, keeping unknown properties in
// Extra.
func (o *IdentityObject) UnmarshalJSON(data []byte) error {
	*o = IdentityObject{}
	return identityObjectFields.Decode(data, o, &o.Extra, "an IdentityObject")
}

// MarshalJSON encodes the identity object, unknown properties included.
func (o IdentityObject) MarshalJSON() ([]byte, error) {
	return identityObjectFields.Encode(o, o.Extra)
}

// UnmarshalJSON decodes an IdentifierEntry, keeping unknown properties in
// Extra.
func (e *IdentifierEntry) UnmarshalJSON(data []byte) error {
	*e = IdentifierEntry{}
	return identifierEntryFields.Decode(data, e, &e.Extra, "an IdentifierEntry")
}

// MarshalJSON encodes the identifier entry, unknown properties included.
func (e IdentifierEntry) MarshalJSON() ([]byte, error) {
	return identifierEntryFields.Encode(e, e.Extra)
}

// UnmarshalJSON decodes an Address, keeping unknown properties in Extra.
func (a *Address) UnmarshalJSON(data []byte) error {
	*a = Address{}
	return addressFields.Decode(data, a, &a.Extra, "an Address")
}

// MarshalJSON encodes the address, unknown properties included.
func (a Address) MarshalJSON() ([]byte, error) { return addressFields.Encode(a, a.Extra) }

// UnmarshalJSON decodes GeoCoordinates, keeping unknown properties in Extra.
func (g *GeoCoordinates) UnmarshalJSON(data []byte) error {
	*g = GeoCoordinates{}
	return geoCoordinatesFields.Decode(data, g, &g.Extra, "a GeoCoordinates")
}

// MarshalJSON encodes the coordinates, unknown properties included.
func (g GeoCoordinates) MarshalJSON() ([]byte, error) {
	return geoCoordinatesFields.Encode(g, g.Extra)
}

// UnmarshalJSON decodes a CredentialStatus, keeping unknown properties in
// Extra.
func (s *CredentialStatus) UnmarshalJSON(data []byte) error {
	*s = CredentialStatus{}
	return credentialStatusFields.Decode(data, s, &s.Extra, "a CredentialStatus")
}

// MarshalJSON encodes the status entry, unknown properties included.
func (s CredentialStatus) MarshalJSON() ([]byte, error) {
	return credentialStatusFields.Encode(s, s.Extra)
}

// UnmarshalJSON decodes a CredentialSchema, keeping unknown properties in
// Extra.
func (s *CredentialSchema) UnmarshalJSON(data []byte) error {
	*s = CredentialSchema{}
	return credentialSchemaFields.Decode(data, s, &s.Extra, "a CredentialSchema")
}

// MarshalJSON encodes the schema entry, unknown properties included.
func (s CredentialSchema) MarshalJSON() ([]byte, error) {
	return credentialSchemaFields.Encode(s, s.Extra)
}

// UnmarshalJSON decodes a RefreshService, keeping unknown properties in
// Extra.
func (s *RefreshService) UnmarshalJSON(data []byte) error {
	*s = RefreshService{}
	return refreshServiceFields.Decode(data, s, &s.Extra, "a RefreshService")
}

// MarshalJSON encodes the refresh service, unknown properties included.
func (s RefreshService) MarshalJSON() ([]byte, error) {
	return refreshServiceFields.Encode(s, s.Extra)
}

// UnmarshalJSON decodes TermsOfUse, keeping unknown properties in Extra.
func (t *TermsOfUse) UnmarshalJSON(data []byte) error {
	*t = TermsOfUse{}
	return termsOfUseFields.Decode(data, t, &t.Extra, "a TermsOfUse")
}

// MarshalJSON encodes the terms of use, unknown properties included.
func (t TermsOfUse) MarshalJSON() ([]byte, error) { return termsOfUseFields.Encode(t, t.Extra) }

// UnmarshalJSON decodes a Proof, keeping unknown properties in Extra.
func (p *Proof) UnmarshalJSON(data []byte) error {
	*p = Proof{}
	return proofFields.Decode(data, p, &p.Extra, "a Proof")
}

// MarshalJSON encodes the proof, unknown properties included.
func (p Proof) MarshalJSON() ([]byte, error) { return proofFields.Encode(p, p.Extra) }

// Marshal encodes v (a credential, or a value of any class of this package)
// in the spec's form. It is json.Marshal without HTML escaping: json.Marshal
// writes "<", ">" and "&" in every string as \u003c, \u003e and \u0026,
// which is the same JSON but needlessly changes Markdown narratives to the
// eye.
func Marshal(v any) ([]byte, error) { return jsonobj.Marshal(v) }

// MarshalIndent is Marshal with indentation, like json.MarshalIndent.
func MarshalIndent(v any, prefix, indent string) ([]byte, error) {
	b, err := jsonobj.Marshal(v)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, b, prefix, indent); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
