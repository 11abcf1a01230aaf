package credential

// ob2Kind is the kind of value a property takes.
type ob2Kind int

const (
	kText ob2Kind = iota
	kTextOrNumber
	kBool
	kIRI
	kURL
	kDateTime
	kEmail
	kTelephone
	kOrigin
	kLanguage
	kVerificationProperty
	kImage          // an IRI or data URI, or an Image object
	kImageNoDataURI // the same, but no data URI (an assertion's image)
	kNode           // an IRI, or an embedded object of class
	kObject         // an embedded object of class
	kRevokedEntry   // an id, or an object with an id or uid
)

// ob2Prop is one property of a class and the value it takes.
type ob2Prop struct {
	name     string
	kind     ob2Kind
	required bool
	many     bool   // an array of values is allowed
	class    string // for kNode and kObject: the class rule's key
	// warning makes a missing required property only a warning; note
	// says why.
	warning bool
	note    string
}

// ob2ClassRule is how one class is checked.
type ob2ClassRule struct {
	// types: the type must name one of them; nil means type is optional
	// (the class is its default).
	types []string
	props []ob2Prop
	// revocable: a revoked instance (revoked: true) needs only these.
	revocable []string
	// typeIsProperty: type names a property, not a class (IdentityObject),
	// and special checks it.
	typeIsProperty bool
}

// Properties several classes share (OB 2.0 "Properties" and the
// IMS validators' tables).
var ob2Common = []ob2Prop{
	{name: "@language", kind: kLanguage},
	{name: "version", kind: kTextOrNumber},
	{name: "related", kind: kNode, many: true},
	{name: "endorsement", kind: kNode, many: true, class: "Endorsement"},
}

// ob2ClassRules holds the rules of each class, by name. The keys not in
// ob2Classes are classes that appear only embedded.
var ob2ClassRules = map[string]*ob2ClassRule{
	"Assertion": {
		types: []string{"Assertion"},
		props: append([]ob2Prop{
			{name: "id", kind: kIRI, required: true},
			{name: "recipient", kind: kObject, class: "IdentityObject", required: true},
			{name: "badge", kind: kNode, class: "BadgeClass", required: true},
			{name: "verification", kind: kObject, class: "VerificationAssertion", required: true},
			{name: "issuedOn", kind: kDateTime, required: true},
			{name: "expires", kind: kDateTime},
			{name: "image", kind: kImageNoDataURI},
			{name: "evidence", kind: kNode, many: true, class: "Evidence"},
			{name: "narrative", kind: kText},
			{name: "revoked", kind: kBool},
			{name: "revocationReason", kind: kText},
			{name: "uid", kind: kText},
		}, ob2Common...),
		revocable: []string{"id", "revoked"},
	},
	"BadgeClass": {
		types: []string{"BadgeClass"},
		props: append([]ob2Prop{
			{name: "id", kind: kIRI, required: true},
			{name: "name", kind: kText, required: true},
			{name: "description", kind: kText, required: true},
			{name: "image", kind: kImage, required: true, warning: true,
				note: "; the spec requires a BadgeClass image, though the IMS validators accept a BadgeClass without one"},
			{name: "criteria", kind: kNode, class: "Criteria", required: true},
			{name: "issuer", kind: kNode, class: "Profile", required: true},
			{name: "alignment", kind: kObject, many: true, class: "AlignmentObject"},
			{name: "tags", kind: kText, many: true},
		}, ob2Common...),
	},
	"Profile": {
		types: []string{"Issuer", "Profile"},
		props: append([]ob2Prop{
			{name: "id", kind: kIRI, required: true},
			{name: "name", kind: kText, required: true},
			{name: "url", kind: kURL, required: true, many: true},
			{name: "email", kind: kEmail, required: true, many: true},
			{name: "telephone", kind: kTelephone, many: true},
			{name: "description", kind: kText},
			{name: "image", kind: kImage},
			{name: "publicKey", kind: kNode, many: true, class: "CryptographicKey"},
			{name: "verification", kind: kObject, class: "VerificationIssuer"},
			{name: "revocationList", kind: kNode, class: "RevocationList"},
		}, ob2Common...),
	},
	"Endorsement": {
		types: []string{"Endorsement"},
		props: append([]ob2Prop{
			{name: "id", kind: kIRI, required: true},
			{name: "claim", kind: kObject, class: "EndorsementClaim", required: true},
			{name: "issuer", kind: kNode, class: "Profile", required: true},
			{name: "issuedOn", kind: kDateTime, required: true},
			{name: "verification", kind: kObject, class: "VerificationAssertion", required: true},
			{name: "revoked", kind: kBool},
			{name: "revocationReason", kind: kText},
		}, ob2Common[:3]...),
		revocable: []string{"id", "revoked", "issuer"},
	},
	"CryptographicKey": {
		props: []ob2Prop{
			{name: "id", kind: kIRI},
			{name: "owner", kind: kIRI},
			{name: "publicKeyPem", kind: kText},
		},
	},
	"RevocationList": {
		types: []string{"RevocationList"},
		props: []ob2Prop{
			{name: "id", kind: kIRI},
			{name: "issuer", kind: kIRI},
			{name: "revokedAssertions", kind: kRevokedEntry, many: true, required: true},
		},
	},
	"AlignmentObject": {
		props: []ob2Prop{
			{name: "targetName", kind: kText, required: true},
			{name: "targetUrl", kind: kURL, required: true},
			{name: "targetDescription", kind: kText},
			{name: "targetFramework", kind: kText},
			{name: "targetCode", kind: kText},
		},
	},
	"Criteria": {
		props: []ob2Prop{
			{name: "id", kind: kIRI},
			{name: "narrative", kind: kText},
		},
	},
	"Evidence": {
		props: []ob2Prop{
			{name: "id", kind: kIRI},
			{name: "narrative", kind: kText},
			{name: "name", kind: kText},
			{name: "description", kind: kText},
			{name: "genre", kind: kText},
			{name: "audience", kind: kText},
		},
	},
	"Image": {
		props: []ob2Prop{
			{name: "caption", kind: kText},
			{name: "author", kind: kIRI},
		},
	},
	"IdentityObject": {
		typeIsProperty: true,
		props: []ob2Prop{
			{name: "identity", kind: kText, required: true},
			{name: "hashed", kind: kBool, required: true},
			{name: "salt", kind: kText},
		},
	},
	"VerificationAssertion": {
		props: []ob2Prop{
			{name: "creator", kind: kIRI},
		},
	},
	"VerificationIssuer": {
		props: []ob2Prop{
			{name: "verificationProperty", kind: kVerificationProperty},
			{name: "startsWith", kind: kURL, many: true},
			{name: "allowedOrigins", kind: kOrigin, many: true},
		},
	},
	"EndorsementClaim": {
		props: []ob2Prop{
			{name: "id", kind: kIRI, required: true},
			{name: "endorsementComment", kind: kText},
		},
	},
}

// ob2ClassRule returns the rules of class ("Issuer" is checked as Profile).
func ob2ClassRuleOf(class string) *ob2ClassRule {
	if class == "Issuer" {
		class = "Profile"
	}
	return ob2ClassRules[class]
}
