package render

import (
	"time"
)

// Kind is what a certificate shows.
type Kind int

// The kinds of credential a certificate shows.
const (
	// KindAchievement: an OB 3.0 AchievementCredential (OpenBadgeCredential).
	KindAchievement Kind = iota + 1
	// KindEndorsement: an OB 3.0 EndorsementCredential.
	KindEndorsement
)

// String returns "achievement" or "endorsement".
func (k Kind) String() string {
	switch k {
	case KindAchievement:
		return "achievement"
	case KindEndorsement:
		return "endorsement"
	}
	return "unknown"
}

// Certificate is what every form of a certificate shows, read from a
// credential and put in the reader's language: the view that templates
// (HTML, SVG) and the PDF writer lay out. Text fields are plain text, not
// escaped; each form escapes them for itself. Fields the credential does
// not carry are empty.
//
// A Certificate never holds a hashed identifier, an email address or a
// subject's DID: the learner is shown by name, or not at all.
type Certificate struct {
	// Kind is what the credential is.
	Kind Kind
	// Lang is the BCP 47 tag of the language the text is in ("en", "ar",
	// "zh"), and Dir its direction: "ltr" or "rtl".
	Lang string
	Dir  string
	// Labels is the fixed text ("has earned", "Issued by") in Lang.
	Labels Labels
	// ContentLang is the language of the credential's own text (title,
	// description, criteria) when it is known and differs from Lang, and
	// ContentDir its direction; both empty otherwise.
	ContentLang, ContentDir string

	// ID is the credential's own id (a URL or URN), as it is written.
	ID string
	// Title is the achievement's name (for an endorsement, the
	// credential's name or Labels.Endorsement); Description its
	// description.
	Title       string
	Description string
	// AchievementType is the achievement's type in words ("Certificate",
	// "Badge"), in Lang when known.
	AchievementType string
	// Criteria is the criteria narrative; CriteriaURL the page that
	// describes the criteria (an http or https URL, else empty).
	Criteria    string
	CriteriaURL string
	// Learner is the learner's name when the credential carries one (a
	// plain-text identifier of type name, or a name property of the
	// subject); otherwise empty.
	Learner string
	// Results are the results the learner achieved, such as grades.
	Results []Result
	// Credits is the number of credits earned, formatted for Lang.
	Credits string
	// Evidence lists the work handed in.
	Evidence []Evidence
	// Skills are the names of the frameworks' nodes the achievement is
	// aligned to.
	Skills []string
	// Endorsement is set for an endorsement: what it is about and the
	// endorser's comment.
	Endorsement *Endorsement

	// Issuer is who issued the credential.
	Issuer Party
	// Image is the badge's image, when it is embedded in the credential
	// (a data: URI) or supplied by a fetcher; nil otherwise. ImageURL is
	// the badge image's https URL, when the credential names one, for
	// link previews.
	Image    *Image
	ImageURL string

	// Issued is when the credential was issued or awarded, ValidFrom and
	// ValidUntil the span it is valid; zero when absent. IssuedText,
	// ValidFromText and ValidUntilText are the same dates in Lang ("7
	// December 2026", "2026年12月7日").
	Issued, ValidFrom, ValidUntil             time.Time
	IssuedText, ValidFromText, ValidUntilText string

	// VerifyURL is where anyone can check the credential: the issuer's
	// verification page for this credential, else the credential's id when
	// it is an https URL, else empty. QR is VerifyURL as a QR code (nil
	// when VerifyURL is empty).
	VerifyURL string
	QR        *QR

	// Offer is Options.Offer as the HTML page shows it; nil without one.
	Offer *OfferView

	// Share holds links to share the certificate.
	Share Share

	// Style is the issuer's brand, ready to lay out.
	Style Style

	// Credential is the credential as given (JSON or a compact JWS), for
	// embedding; MediaType its media type ("application/vc+ld+json" or
	// "application/vc+jwt").
	Credential []byte
	MediaType  string
}

// Result is one result the learner achieved.
type Result struct {
	// Name is what the result measures (the result description's name);
	// Value the value achieved, a rubric level's name, or the status
	// in Lang ("Completed").
	Name  string
	Value string
}

// Evidence is one piece of evidence.
type Evidence struct {
	// Name and Description say what it is; URL is where it is (http or
	// https only, else empty).
	Name        string
	Description string
	URL         string
}

// Endorsement is what an endorsement says.
type Endorsement struct {
	// About is the id of what is endorsed; Comment the endorser's words.
	About   string
	Comment string
}

// Party is an issuer or endorser.
type Party struct {
	// Name is its name; URL its web site (http or https only, else
	// empty); ID its identifier (a DID or URL).
	Name string
	URL  string
	ID   string
	// Image is its logo, when embedded or supplied; nil otherwise.
	Image *Image
}

// Image is an image ready to embed.
type Image struct {
	// Src is a data: URI (image/png, image/jpeg, image/gif, image/webp or
	// image/svg+xml).
	Src string
	// Alt is the text that replaces it: its caption, else the name of
	// what it shows.
	Alt string
	// Data is the image's bytes and Type its media type, for writers that
	// do not take data: URIs.
	Data []byte
	Type string
}

// Share holds ways to share a certificate.
type Share struct {
	// LinkedIn is LinkedIn's add-to-profile URL for a certification, empty
	// for an endorsement.
	LinkedIn string
	// Text is a plain sentence to share, in Lang.
	Text string
}

// Style is a Brand resolved for laying out: colours and fonts checked,
// images decoded.
type Style struct {
	// Primary and Accent are "#rrggbb" colours, each readable on white.
	Primary, Accent string
	// Font is a CSS font-family list.
	Font string
	// Logo is the issuer's logo from Brand.Logo, nil when none was given
	// (Issuer.Image may still hold the credential's).
	Logo *Image
	// Signatures are the people who sign, with their signature images.
	Signatures []Signer
}

// Signer is a person who signs the certificate, ready to lay out.
type Signer struct {
	Name, Title string
	// Image is the signature, nil when none was given.
	Image *Image
}

// QR is a QR code: Size×Size modules, dark where Module is true, with no
// quiet zone (writers leave four modules of margin).
type QR struct {
	Size    int
	Modules [][]bool
	// Text is what it encodes.
	Text string
}

// Labels is a certificate's fixed text in one language.
type Labels struct {
	Certificate  string // "Certificate"
	Endorsement  string // "Endorsement"
	Awarded      string // "This certifies that"
	HasEarned    string // "has earned"
	Earned       string // "Awarded" (when the learner is not named)
	IssuedBy     string // "Issued by"
	IssuedOn     string // "Issued on"
	ValidFrom    string // "Valid from"
	ValidUntil   string // "Valid until"
	Criteria     string // "Criteria"
	Results      string // "Results"
	Credits      string // "Credits"
	Evidence     string // "Evidence"
	Skills       string // "Skills"
	Endorses     string // "endorses"
	Comment      string // "Comment"
	Verify       string // "Verify this certificate"
	VerifyHint   string // "Scan the code or open the link to check it is genuine."
	CredentialID string // "Credential ID"
	Share        string // "Share"
	AddLinkedIn  string // "Add to LinkedIn"
	ShareText    string // "I earned %s from %s." (a fmt format: title, issuer)
	QRAlt        string // "QR code linking to the verification page"
	LogoAlt      string // "Logo of %s"
	SignatureAlt string // "Signature of %s"
	Details      string // "Details"
}
