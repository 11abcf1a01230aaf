package credential

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"

	"github.com/go-openbadges/openbadges/internal/jsonobj"
)

// Open Badges 2.0
//
// The OB2 types below are a read-only view of Open Badges 2.0 (IMS Global,
// 2018) documents, kept apart from the OB 3.0 model: OB 2.0 is not a
// Verifiable Credential, and its classes are not the OB 3.0 classes of the
// same name. Each type is named after the OB 2.0 class it reads, prefixed
// with OB2: OB2Assertion, OB2BadgeClass, OB2Profile (the class of issuers),
// OB2IdentityObject, OB2Verification (VerificationObject), OB2Evidence,
// OB2Criteria, OB2Alignment (AlignmentObject), OB2Image, OB2Endorsement,
// OB2CryptographicKey, OB2RevocationList and OB2RevokedAssertion.
//
// Every type keeps the properties it does not model in Extra and the exact
// bytes it was read from in Raw. OB 2.0 signs bytes (a JWS over the
// assertion as issued) and hosts documents to be fetched as they are, so
// the fields are for reading only: MarshalJSON writes Raw whenever it is
// set, and changing a field of a value read from JSON changes nothing that
// is written. Clear Raw to encode the fields instead. A property the spec
// lets a document give either as an IRI or as an embedded object (badge,
// issuer, image, criteria, evidence, publicKey, ...) decodes both ways;
// Reference then says which it was.
//
// ParseOB2Assertion and its siblings decode, bounded like the package's
// other Parse functions; CheckOB2 applies the spec's rules, with JSON
// pointers. Neither fetches anything nor checks a signature.

// Context URLs of Open Badges 2.0 and of its predecessor.
const (
	// ContextOB20 is the Open Badges 2.0 JSON-LD context, the @context of
	// every OB 2.0 document.
	ContextOB20 = "https://w3id.org/openbadges/v2"
	// ContextOB20Published is the URL that ContextOB20 redirects to, where
	// the same context is published; documents may name either.
	ContextOB20Published = "https://openbadgespec.org/v2/context.json"
	// ContextOB11 is the Open Badges 1.1 context, which OB 2.0 replaced.
	ContextOB11 = "https://w3id.org/openbadges/v1"
)

// OB2Assertion is an awarded badge (OB 2.0 Assertion): one recipient's
// achievement of a BadgeClass.
type OB2Assertion struct {
	Context   Context            `json:"@context,omitempty"`
	ID        string             `json:"id,omitempty"`
	Type      Types              `json:"type,omitempty"`
	Recipient *OB2IdentityObject `json:"recipient,omitempty"`
	Badge     *OB2BadgeClass     `json:"badge,omitempty"`
	// Verification says how the assertion is verified. It is read from
	// the alias "verify" (which stays in Extra) when "verification" is
	// absent.
	Verification     *OB2Verification     `json:"verification,omitempty"`
	IssuedOn         OB2DateTime          `json:"issuedOn,omitempty"`
	Expires          OB2DateTime          `json:"expires,omitempty"`
	Image            *OB2Image            `json:"image,omitempty"`
	Evidence         List[OB2Evidence]    `json:"evidence,omitempty"`
	Narrative        string               `json:"narrative,omitempty"`
	Revoked          bool                 `json:"revoked,omitempty"`
	RevocationReason string               `json:"revocationReason,omitempty"`
	Endorsement      List[OB2Endorsement] `json:"endorsement,omitempty"`
	// UID is the deprecated, issuer-local identifier of OB 1.x assertions.
	UID string `json:"uid,omitempty"`

	// Extra holds the properties the type does not model, verbatim.
	Extra map[string]json.RawMessage `json:"-"`
	// Raw is the JSON the assertion was decoded from.
	Raw json.RawMessage `json:"-"`
}

// OB2BadgeClass describes an achievement (OB 2.0 BadgeClass). In an
// assertion it may be only the IRI of a hosted BadgeClass; Reference then
// is true and only ID is set.
type OB2BadgeClass struct {
	Context     Context              `json:"@context,omitempty"`
	ID          string               `json:"id,omitempty"`
	Type        Types                `json:"type,omitempty"`
	Name        string               `json:"name,omitempty"`
	Description string               `json:"description,omitempty"`
	Image       *OB2Image            `json:"image,omitempty"`
	Criteria    *OB2Criteria         `json:"criteria,omitempty"`
	Issuer      *OB2Profile          `json:"issuer,omitempty"`
	Alignment   List[OB2Alignment]   `json:"alignment,omitempty"`
	Tags        List[string]         `json:"tags,omitempty"`
	Endorsement List[OB2Endorsement] `json:"endorsement,omitempty"`

	// Reference is true when the value was only an IRI (a JSON string).
	Reference bool `json:"-"`
	// Extra holds the properties the type does not model, verbatim.
	Extra map[string]json.RawMessage `json:"-"`
	// Raw is the JSON the value was decoded from.
	Raw json.RawMessage `json:"-"`
}

// OB2Profile describes an issuer, or another entity (OB 2.0 Profile, or
// its subclass Issuer). The identifier properties url, email and telephone
// may hold several values.
type OB2Profile struct {
	Context     Context   `json:"@context,omitempty"`
	ID          string    `json:"id,omitempty"`
	Type        Types     `json:"type,omitempty"`
	Name        string    `json:"name,omitempty"`
	Description string    `json:"description,omitempty"`
	Image       *OB2Image `json:"image,omitempty"`
	// URL, Email and Telephone are the profile identifier properties.
	URL       List[string] `json:"url,omitempty"`
	Email     List[string] `json:"email,omitempty"`
	Telephone List[string] `json:"telephone,omitempty"`
	// PublicKey lists the keys the issuer signs with: their IRIs
	// (Reference set) or embedded CryptographicKeys.
	PublicKey List[OB2CryptographicKey] `json:"publicKey,omitempty"`
	// Verification is the issuer's policy for hosted assertions
	// (allowedOrigins, startsWith).
	Verification   *OB2Verification     `json:"verification,omitempty"`
	RevocationList *OB2RevocationList   `json:"revocationList,omitempty"`
	Endorsement    List[OB2Endorsement] `json:"endorsement,omitempty"`

	// Reference is true when the value was only an IRI (a JSON string).
	Reference bool `json:"-"`
	// Extra holds the properties the type does not model, verbatim.
	Extra map[string]json.RawMessage `json:"-"`
	// Raw is the JSON the value was decoded from.
	Raw json.RawMessage `json:"-"`
}

// OB2IdentityObject identifies an assertion's recipient (OB 2.0
// IdentityObject). Type names the profile property the identity is a
// value of ("email", "url", "telephone" or "id"); Identity is that value
// or, when Hashed, "sha256$" or "md5$" and the hex digest of the value
// followed by Salt. See Match.
type OB2IdentityObject struct {
	Type     TypeName `json:"type,omitempty"`
	Identity string   `json:"identity,omitempty"`
	Hashed   bool     `json:"hashed"`
	Salt     string   `json:"salt,omitempty"`

	// Extra holds the properties the type does not model, verbatim.
	Extra map[string]json.RawMessage `json:"-"`
	// Raw is the JSON the value was decoded from.
	Raw json.RawMessage `json:"-"`
}

// The verification types of an assertion's VerificationObject; the spec
// also allows the aliases "hosted" and "signed".
const (
	OB2HostedBadge = "HostedBadge"
	OB2SignedBadge = "SignedBadge"
)

// OB2Verification is an OB 2.0 VerificationObject: in an assertion, how to
// verify it (Type HostedBadge or SignedBadge, and for a signed one perhaps
// the Creator key); in an issuer Profile, which hosted assertions the
// issuer accepts as its own (AllowedOrigins, StartsWith).
type OB2Verification struct {
	Type Types `json:"type,omitempty"`
	// Creator is the IRI of the CryptographicKey a SignedBadge was signed
	// with.
	Creator              string       `json:"creator,omitempty"`
	VerificationProperty string       `json:"verificationProperty,omitempty"`
	StartsWith           List[string] `json:"startsWith,omitempty"`
	AllowedOrigins       List[string] `json:"allowedOrigins,omitempty"`

	// Extra holds the properties the type does not model, verbatim.
	Extra map[string]json.RawMessage `json:"-"`
	// Raw is the JSON the value was decoded from.
	Raw json.RawMessage `json:"-"`
}

// Hosted reports whether the type is HostedBadge (or its alias hosted).
func (v *OB2Verification) Hosted() bool {
	return v != nil && (v.Type.Has(OB2HostedBadge) || v.Type.Has("hosted"))
}

// Signed reports whether the type is SignedBadge (or its alias signed).
func (v *OB2Verification) Signed() bool {
	return v != nil && (v.Type.Has(OB2SignedBadge) || v.Type.Has("signed"))
}

// OB2Image is an image of an assertion, badge class or profile: an IRI or
// data URI (Reference set, only ID) or an OB 2.0 Image object.
type OB2Image struct {
	ID      string `json:"id,omitempty"`
	Type    Types  `json:"type,omitempty"`
	Caption string `json:"caption,omitempty"`
	Author  string `json:"author,omitempty"`

	// Reference is true when the value was only an IRI or data URI (a
	// JSON string).
	Reference bool `json:"-"`
	// Extra holds the properties the type does not model, verbatim.
	Extra map[string]json.RawMessage `json:"-"`
	// Raw is the JSON the value was decoded from.
	Raw json.RawMessage `json:"-"`
}

// OB2Criteria says what earning a badge takes: the IRI of a criteria page
// (Reference set) or an OB 2.0 Criteria object.
type OB2Criteria struct {
	ID        string `json:"id,omitempty"`
	Type      Types  `json:"type,omitempty"`
	Narrative string `json:"narrative,omitempty"`

	// Reference is true when the value was only an IRI (a JSON string).
	Reference bool `json:"-"`
	// Extra holds the properties the type does not model, verbatim.
	Extra map[string]json.RawMessage `json:"-"`
	// Raw is the JSON the value was decoded from.
	Raw json.RawMessage `json:"-"`
}

// OB2Evidence is one piece of evidence for an assertion: the IRI of an
// evidence page (Reference set) or an OB 2.0 Evidence object.
type OB2Evidence struct {
	ID          string `json:"id,omitempty"`
	Type        Types  `json:"type,omitempty"`
	Narrative   string `json:"narrative,omitempty"`
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
	Genre       string `json:"genre,omitempty"`
	Audience    string `json:"audience,omitempty"`

	// Reference is true when the value was only an IRI (a JSON string).
	Reference bool `json:"-"`
	// Extra holds the properties the type does not model, verbatim.
	Extra map[string]json.RawMessage `json:"-"`
	// Raw is the JSON the value was decoded from.
	Raw json.RawMessage `json:"-"`
}

// OB2Alignment is an OB 2.0 AlignmentObject: an educational standard or
// framework item a badge class aligns to.
type OB2Alignment struct {
	Type              Types  `json:"type,omitempty"`
	TargetName        string `json:"targetName,omitempty"`
	TargetURL         string `json:"targetUrl,omitempty"`
	TargetDescription string `json:"targetDescription,omitempty"`
	TargetFramework   string `json:"targetFramework,omitempty"`
	TargetCode        string `json:"targetCode,omitempty"`

	// Extra holds the properties the type does not model, verbatim.
	Extra map[string]json.RawMessage `json:"-"`
	// Raw is the JSON the value was decoded from.
	Raw json.RawMessage `json:"-"`
}

// OB2Endorsement is a third party's claim about a profile, badge class or
// assertion (OB 2.0 Endorsement). Claim is kept as JSON: it may hold any
// properties of the entity it is about.
type OB2Endorsement struct {
	Context          Context          `json:"@context,omitempty"`
	ID               string           `json:"id,omitempty"`
	Type             Types            `json:"type,omitempty"`
	Claim            json.RawMessage  `json:"claim,omitempty"`
	Issuer           *OB2Profile      `json:"issuer,omitempty"`
	IssuedOn         OB2DateTime      `json:"issuedOn,omitempty"`
	Verification     *OB2Verification `json:"verification,omitempty"`
	Revoked          bool             `json:"revoked,omitempty"`
	RevocationReason string           `json:"revocationReason,omitempty"`

	// Reference is true when the value was only an IRI (a JSON string).
	Reference bool `json:"-"`
	// Extra holds the properties the type does not model, verbatim.
	Extra map[string]json.RawMessage `json:"-"`
	// Raw is the JSON the value was decoded from.
	Raw json.RawMessage `json:"-"`
}

// OB2CryptographicKey is a public key an issuer signs assertions with (OB
// 2.0 CryptographicKey): its IRI (Reference set) or the key document, which
// names the Profile that owns it and holds the key in PEM.
type OB2CryptographicKey struct {
	Context      Context `json:"@context,omitempty"`
	ID           string  `json:"id,omitempty"`
	Type         Types   `json:"type,omitempty"`
	Owner        string  `json:"owner,omitempty"`
	PublicKeyPem string  `json:"publicKeyPem,omitempty"`

	// Reference is true when the value was only an IRI (a JSON string).
	Reference bool `json:"-"`
	// Extra holds the properties the type does not model, verbatim.
	Extra map[string]json.RawMessage `json:"-"`
	// Raw is the JSON the value was decoded from.
	Raw json.RawMessage `json:"-"`
}

// OB2RevocationList lists the signed assertions an issuer has revoked (OB
// 2.0 RevocationList). In a Profile it is usually only the list's IRI
// (Reference set).
type OB2RevocationList struct {
	Context           Context                   `json:"@context,omitempty"`
	ID                string                    `json:"id,omitempty"`
	Type              Types                     `json:"type,omitempty"`
	Issuer            string                    `json:"issuer,omitempty"`
	RevokedAssertions List[OB2RevokedAssertion] `json:"revokedAssertions,omitempty"`

	// Reference is true when the value was only an IRI (a JSON string).
	Reference bool `json:"-"`
	// Extra holds the properties the type does not model, verbatim.
	Extra map[string]json.RawMessage `json:"-"`
	// Raw is the JSON the value was decoded from.
	Raw json.RawMessage `json:"-"`
}

// OB2RevokedAssertion is one entry of a revocation list: the id of a
// revoked assertion (as a string, or in an object with a reason) or, for
// OB 1.x assertions without one, their uid.
type OB2RevokedAssertion struct {
	ID               string `json:"id,omitempty"`
	UID              string `json:"uid,omitempty"`
	Type             Types  `json:"type,omitempty"`
	RevocationReason string `json:"revocationReason,omitempty"`
	// Revoked is nil when the entry does not say; an entry in the list is
	// revoked unless it says "revoked": false.
	Revoked *bool `json:"revoked,omitempty"`

	// Reference is true when the value was only an id (a JSON string).
	Reference bool `json:"-"`
	// Extra holds the properties the type does not model, verbatim.
	Extra map[string]json.RawMessage `json:"-"`
	// Raw is the JSON the value was decoded from.
	Raw json.RawMessage `json:"-"`
}

var (
	ob2AssertionFields       = jsonobj.FieldsOf(reflect.TypeFor[OB2Assertion]())
	ob2BadgeClassFields      = jsonobj.FieldsOf(reflect.TypeFor[OB2BadgeClass]())
	ob2ProfileFields         = jsonobj.FieldsOf(reflect.TypeFor[OB2Profile]())
	ob2IdentityObjectFields  = jsonobj.FieldsOf(reflect.TypeFor[OB2IdentityObject]())
	ob2VerificationFields    = jsonobj.FieldsOf(reflect.TypeFor[OB2Verification]())
	ob2ImageFields           = jsonobj.FieldsOf(reflect.TypeFor[OB2Image]())
	ob2CriteriaFields        = jsonobj.FieldsOf(reflect.TypeFor[OB2Criteria]())
	ob2EvidenceFields        = jsonobj.FieldsOf(reflect.TypeFor[OB2Evidence]())
	ob2AlignmentFields       = jsonobj.FieldsOf(reflect.TypeFor[OB2Alignment]())
	ob2EndorsementFields     = jsonobj.FieldsOf(reflect.TypeFor[OB2Endorsement]())
	ob2KeyFields             = jsonobj.FieldsOf(reflect.TypeFor[OB2CryptographicKey]())
	ob2RevocationListFields  = jsonobj.FieldsOf(reflect.TypeFor[OB2RevocationList]())
	ob2RevokedAssertionField = jsonobj.FieldsOf(reflect.TypeFor[OB2RevokedAssertion]())
)

// ob2Decode decodes an object (or, when ref is not nil, also a string: the
// IRI, stored in *id with *ref set) and keeps the bytes in *raw.
func ob2Decode(data []byte, fields *jsonobj.Fields, v any, extra *map[string]json.RawMessage,
	raw *json.RawMessage, id *string, ref *bool, class string) error {
	data = bytes.TrimSpace(data)
	if ref != nil && isJSONString(data) {
		if err := json.Unmarshal(data, id); err != nil {
			return err
		}
		*ref = true
	} else if err := fields.Decode(data, v, extra, class); err != nil {
		return err
	}
	*raw = slices.Clone(data)
	return nil
}

// ob2Encode writes raw when it is set, and otherwise the fields (a bare
// reference as its IRI).
func ob2Encode(raw json.RawMessage, fields *jsonobj.Fields, v any, extra map[string]json.RawMessage, ref bool, id string) ([]byte, error) {
	switch {
	case raw != nil:
		var buf bytes.Buffer
		if err := json.Compact(&buf, raw); err != nil {
			return nil, fmt.Errorf("credential: Raw is not JSON: %w", err)
		}
		return buf.Bytes(), nil
	case ref:
		return jsonobj.Marshal(id)
	}
	return fields.Encode(v, extra)
}

// UnmarshalJSON decodes an assertion, keeping unknown properties in Extra
// and the bytes in Raw.
func (a *OB2Assertion) UnmarshalJSON(data []byte) error {
	*a = OB2Assertion{}
	if err := ob2Decode(data, ob2AssertionFields, a, &a.Extra, &a.Raw, nil, nil, "an OB 2.0 Assertion"); err != nil {
		return err
	}
	if v, ok := a.Extra["verify"]; ok && a.Verification == nil && string(bytes.TrimSpace(v)) != "null" {
		a.Verification = new(OB2Verification)
		if err := a.Verification.UnmarshalJSON(v); err != nil {
			return jsonobj.At("verify", err)
		}
	}
	return nil
}

// MarshalJSON writes Raw, or the fields when Raw is nil.
func (a OB2Assertion) MarshalJSON() ([]byte, error) {
	return ob2Encode(a.Raw, ob2AssertionFields, a, a.Extra, false, "")
}

// UnmarshalJSON decodes a BadgeClass object or IRI.
func (b *OB2BadgeClass) UnmarshalJSON(data []byte) error {
	*b = OB2BadgeClass{}
	return ob2Decode(data, ob2BadgeClassFields, b, &b.Extra, &b.Raw, &b.ID, &b.Reference, "an OB 2.0 BadgeClass")
}

// MarshalJSON writes Raw, or the fields when Raw is nil.
func (b OB2BadgeClass) MarshalJSON() ([]byte, error) {
	return ob2Encode(b.Raw, ob2BadgeClassFields, b, b.Extra, b.Reference, b.ID)
}

// UnmarshalJSON decodes a Profile object or IRI.
func (p *OB2Profile) UnmarshalJSON(data []byte) error {
	*p = OB2Profile{}
	return ob2Decode(data, ob2ProfileFields, p, &p.Extra, &p.Raw, &p.ID, &p.Reference, "an OB 2.0 Profile")
}

// MarshalJSON writes Raw, or the fields when Raw is nil.
func (p OB2Profile) MarshalJSON() ([]byte, error) {
	return ob2Encode(p.Raw, ob2ProfileFields, p, p.Extra, p.Reference, p.ID)
}

// UnmarshalJSON decodes an IdentityObject.
func (o *OB2IdentityObject) UnmarshalJSON(data []byte) error {
	*o = OB2IdentityObject{}
	return ob2Decode(data, ob2IdentityObjectFields, o, &o.Extra, &o.Raw, nil, nil, "an OB 2.0 IdentityObject")
}

// MarshalJSON writes Raw, or the fields when Raw is nil.
func (o OB2IdentityObject) MarshalJSON() ([]byte, error) {
	return ob2Encode(o.Raw, ob2IdentityObjectFields, o, o.Extra, false, "")
}

// UnmarshalJSON decodes a VerificationObject.
func (v *OB2Verification) UnmarshalJSON(data []byte) error {
	*v = OB2Verification{}
	return ob2Decode(data, ob2VerificationFields, v, &v.Extra, &v.Raw, nil, nil, "an OB 2.0 VerificationObject")
}

// MarshalJSON writes Raw, or the fields when Raw is nil.
func (v OB2Verification) MarshalJSON() ([]byte, error) {
	return ob2Encode(v.Raw, ob2VerificationFields, v, v.Extra, false, "")
}

// UnmarshalJSON decodes an Image object, IRI or data URI.
func (i *OB2Image) UnmarshalJSON(data []byte) error {
	*i = OB2Image{}
	return ob2Decode(data, ob2ImageFields, i, &i.Extra, &i.Raw, &i.ID, &i.Reference, "an OB 2.0 Image")
}

// MarshalJSON writes Raw, or the fields when Raw is nil.
func (i OB2Image) MarshalJSON() ([]byte, error) {
	return ob2Encode(i.Raw, ob2ImageFields, i, i.Extra, i.Reference, i.ID)
}

// UnmarshalJSON decodes a Criteria object or IRI.
func (c *OB2Criteria) UnmarshalJSON(data []byte) error {
	*c = OB2Criteria{}
	return ob2Decode(data, ob2CriteriaFields, c, &c.Extra, &c.Raw, &c.ID, &c.Reference, "an OB 2.0 Criteria")
}

// MarshalJSON writes Raw, or the fields when Raw is nil.
func (c OB2Criteria) MarshalJSON() ([]byte, error) {
	return ob2Encode(c.Raw, ob2CriteriaFields, c, c.Extra, c.Reference, c.ID)
}

// UnmarshalJSON decodes an Evidence object or IRI.
func (e *OB2Evidence) UnmarshalJSON(data []byte) error {
	*e = OB2Evidence{}
	return ob2Decode(data, ob2EvidenceFields, e, &e.Extra, &e.Raw, &e.ID, &e.Reference, "an OB 2.0 Evidence")
}

// MarshalJSON writes Raw, or the fields when Raw is nil.
func (e OB2Evidence) MarshalJSON() ([]byte, error) {
	return ob2Encode(e.Raw, ob2EvidenceFields, e, e.Extra, e.Reference, e.ID)
}

// UnmarshalJSON decodes an AlignmentObject.
func (a *OB2Alignment) UnmarshalJSON(data []byte) error {
	*a = OB2Alignment{}
	return ob2Decode(data, ob2AlignmentFields, a, &a.Extra, &a.Raw, nil, nil, "an OB 2.0 AlignmentObject")
}

// MarshalJSON writes Raw, or the fields when Raw is nil.
func (a OB2Alignment) MarshalJSON() ([]byte, error) {
	return ob2Encode(a.Raw, ob2AlignmentFields, a, a.Extra, false, "")
}

// UnmarshalJSON decodes an Endorsement object or IRI.
func (e *OB2Endorsement) UnmarshalJSON(data []byte) error {
	*e = OB2Endorsement{}
	return ob2Decode(data, ob2EndorsementFields, e, &e.Extra, &e.Raw, &e.ID, &e.Reference, "an OB 2.0 Endorsement")
}

// MarshalJSON writes Raw, or the fields when Raw is nil.
func (e OB2Endorsement) MarshalJSON() ([]byte, error) {
	return ob2Encode(e.Raw, ob2EndorsementFields, e, e.Extra, e.Reference, e.ID)
}

// UnmarshalJSON decodes a CryptographicKey object or IRI.
func (k *OB2CryptographicKey) UnmarshalJSON(data []byte) error {
	*k = OB2CryptographicKey{}
	return ob2Decode(data, ob2KeyFields, k, &k.Extra, &k.Raw, &k.ID, &k.Reference, "an OB 2.0 CryptographicKey")
}

// MarshalJSON writes Raw, or the fields when Raw is nil.
func (k OB2CryptographicKey) MarshalJSON() ([]byte, error) {
	return ob2Encode(k.Raw, ob2KeyFields, k, k.Extra, k.Reference, k.ID)
}

// UnmarshalJSON decodes a RevocationList object or IRI.
func (l *OB2RevocationList) UnmarshalJSON(data []byte) error {
	*l = OB2RevocationList{}
	return ob2Decode(data, ob2RevocationListFields, l, &l.Extra, &l.Raw, &l.ID, &l.Reference, "an OB 2.0 RevocationList")
}

// MarshalJSON writes Raw, or the fields when Raw is nil.
func (l OB2RevocationList) MarshalJSON() ([]byte, error) {
	return ob2Encode(l.Raw, ob2RevocationListFields, l, l.Extra, l.Reference, l.ID)
}

// UnmarshalJSON decodes a revocation list entry: an object or an id.
func (r *OB2RevokedAssertion) UnmarshalJSON(data []byte) error {
	*r = OB2RevokedAssertion{}
	return ob2Decode(data, ob2RevokedAssertionField, r, &r.Extra, &r.Raw, &r.ID, &r.Reference, "a revoked assertion")
}

// MarshalJSON writes Raw, or the fields when Raw is nil.
func (r OB2RevokedAssertion) MarshalJSON() ([]byte, error) {
	return ob2Encode(r.Raw, ob2RevokedAssertionField, r, r.Extra, r.Reference, r.ID)
}

// ParseOB2Assertion decodes an Open Badges 2.0 Assertion (JSON, such as
// the payload of a signed badge's JWS or a hosted assertion), bounded like
// ParseAchievementCredential: errors are *DecodeError. It does not check
// the spec's rules (see CheckOB2), fetch what the assertion links to, or
// verify anything.
func ParseOB2Assertion(data []byte, opts *ParseOptions) (*OB2Assertion, error) {
	return parseOB2[OB2Assertion](data, opts)
}

// ParseOB2BadgeClass decodes an OB 2.0 BadgeClass document, like
// ParseOB2Assertion.
func ParseOB2BadgeClass(data []byte, opts *ParseOptions) (*OB2BadgeClass, error) {
	return parseOB2[OB2BadgeClass](data, opts)
}

// ParseOB2Profile decodes an OB 2.0 Profile (or Issuer) document, like
// ParseOB2Assertion.
func ParseOB2Profile(data []byte, opts *ParseOptions) (*OB2Profile, error) {
	return parseOB2[OB2Profile](data, opts)
}

// ParseOB2CryptographicKey decodes an OB 2.0 CryptographicKey document,
// like ParseOB2Assertion.
func ParseOB2CryptographicKey(data []byte, opts *ParseOptions) (*OB2CryptographicKey, error) {
	return parseOB2[OB2CryptographicKey](data, opts)
}

// ParseOB2RevocationList decodes an OB 2.0 RevocationList document, like
// ParseOB2Assertion.
func ParseOB2RevocationList(data []byte, opts *ParseOptions) (*OB2RevocationList, error) {
	return parseOB2[OB2RevocationList](data, opts)
}

// ParseOB2Endorsement decodes an OB 2.0 Endorsement document, like
// ParseOB2Assertion.
func ParseOB2Endorsement(data []byte, opts *ParseOptions) (*OB2Endorsement, error) {
	return parseOB2[OB2Endorsement](data, opts)
}

// parseOB2 is parse for a top-level OB 2.0 document, which must be an
// object (not the bare IRI that a property may hold).
func parseOB2[T any, PT interface {
	*T
	json.Unmarshaler
}](data []byte, opts *ParseOptions) (*T, error) {
	maxBytes, maxDepth := opts.limits()
	if err := jsonobj.Scan(data, maxBytes, maxDepth); err != nil {
		return nil, decodeError(err)
	}
	if d := jsonobj.Describe(data); d != "an object" {
		return nil, &DecodeError{Err: fmt.Errorf("want an OB 2.0 document (a JSON object), got %s", d)}
	}
	v := PT(new(T))
	if err := v.UnmarshalJSON(data); err != nil {
		return nil, decodeError(err)
	}
	return v, nil
}
