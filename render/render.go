package render

import (
	"errors"
	"io/fs"

	"github.com/go-openbadges/openbadges/fetch"
)

// Errors callers branch on; each is wrapped with details.
var (
	// ErrCredential: the input is not a credential this package shows (a
	// JSON object or a compact JWS holding an AchievementCredential or
	// EndorsementCredential), or it is larger than MaxCredentialBytes.
	ErrCredential = errors.New("render: not a credential to show")
	// ErrTemplate: an issuer's template does not parse, or fails on a
	// sample certificate, or drops what every certificate must show.
	ErrTemplate = errors.New("render: bad template")
	// ErrBrand: a Brand value is unusable (an unreadable image, a colour
	// that is not #rrggbb, or too little contrast to read).
	ErrBrand = errors.New("render: bad brand")
)

// MaxCredentialBytes bounds the credential a certificate is made from.
const MaxCredentialBytes = 4 << 20

// Config is how an issuer's certificates look, set once. Its zero value
// renders the default design in English with no verification link but the
// credential's own id.
type Config struct {
	// VerifyURL is the issuer's verification page. "{id}" in it is
	// replaced by the credential's id, query-escaped; without "{id}",
	// "id=" and the escaped id are added to its query. Empty: the
	// credential's id when it is an https URL, else no link and no QR code.
	VerifyURL string
	// Lang is the language used when neither Options.Lang nor the
	// credential names one. Empty means English.
	Lang string
	// Brand is the issuer's logo, colours, font and signatures.
	Brand Brand
	// Templates, when set, holds the issuer's own html/template files:
	// certificate.html for the page and certificate.svg for the image
	// (either or both; the default design stands in for a missing one).
	// Each is executed with a *Certificate as dot, and New fails with
	// ErrTemplate when one does not parse or fails on a sample.
	Templates fs.FS
	// Fetcher, when set, fetches the https images a credential names
	// (its badge, the issuer's logo) to embed them. Without it only
	// images embedded as data: URIs are shown: pages stay offline and
	// self-contained.
	Fetcher fetch.Fetcher
}

// Brand is an issuer's look. Every field is optional.
type Brand struct {
	// Logo is an image (PNG, JPEG, GIF, WebP or SVG) shown as the issuer's
	// logo in place of the one the credential names.
	Logo []byte
	// Primary is the main colour (headings, rules) and Accent the second
	// one (the border), both "#rrggbb". Each must have a contrast of at
	// least 4.5:1 against white (WCAG 2.2 AA for text); New refuses less.
	// Empty: a dark blue and a gold.
	Primary, Accent string
	// Font is a CSS font-family list for the HTML and SVG forms, such as
	// `"Source Serif", Georgia, serif`.
	Font string
	// Signatures are shown at the foot: a name, a title and an optional
	// image of the signature.
	Signatures []Signature
}

// Signature is a person who signs the certificate.
type Signature struct {
	Name  string
	Title string
	// Image is the signature (PNG, JPEG or SVG), optional.
	Image []byte
}

// Options are the per-certificate choices.
type Options struct {
	// Lang is the reader's language (BCP 47: "fr", "es-MX", "ar"). Empty:
	// the credential's inLanguage or @language, else Config.Lang, else
	// English. The closest supported language is used: English, Spanish,
	// French, German, Arabic or Chinese.
	Lang string
	// Learner is the learner's name to show when the credential carries
	// none (an issuer knows its learners' names and, by default, keeps
	// them out of credentials). The signature does not cover it: a
	// verifier confirms who holds a badge by its identifier, not by the
	// name on a certificate.
	Learner string
	// Offer, if set, is a credential offer the HTML page shows, for the
	// learner to add the badge to a wallet (see Offer). Other forms
	// ignore it.
	Offer *Offer
}
