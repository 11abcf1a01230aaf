package bake

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"
)

// Where a credential lives in an image, per the OB 3.0 specification.
const (
	// PNGKeyword is the keyword of the iTXt chunk that holds a credential.
	PNGKeyword = "openbadgecredential"
	// SVGNamespace is the namespace of the <credential> element that holds
	// a credential in an SVG; bakers declare it with the prefix "openbadges".
	SVGNamespace = "https://purl.imsglobal.org/ob/v3p0"

	legacyKeyword   = "openbadges"            // OB 2.0 PNG chunk keyword
	legacyNamespace = "http://openbadges.org" // OB 2.0 SVG namespace, element "assertion"
)

// Limits applied when Options leaves them zero.
const (
	// DefaultMaxImageBytes bounds the image read or written: 16 MiB is far
	// more than any badge image needs.
	DefaultMaxImageBytes = 16 << 20
	// DefaultMaxCredentialBytes bounds the credential, also after a
	// compressed chunk is inflated; it matches credential.DefaultMaxBytes.
	DefaultMaxCredentialBytes = 4 << 20
)

// Errors that callers branch on; each is wrapped with details.
var (
	// ErrNotBaked: the input is a readable PNG or SVG image, HTML page or
	// PDF but holds no credential (OB 3.0 or, in an image, legacy); or, in
	// a PDF, none that this package can decode.
	ErrNotBaked = errors.New("bake: the image holds no baked credential")
	// ErrUnknownFormat: the input is none of the formats Extract reads
	// (PNG, SVG, HTML, PDF), or, for Bake, PNG and SVG, not one of the
	// formats baking writes. (The message still says "not a PNG or SVG
	// image", the words programs and scripts have matched.)
	ErrUnknownFormat = errors.New("bake: not a PNG or SVG image")
	// ErrSizeLimit: the image or the credential is larger than its limit.
	ErrSizeLimit = errors.New("bake: too large")
	// ErrTooLarge is ErrSizeLimit's old name.
	//
	// Deprecated: use ErrSizeLimit (credential, fetch and sqlstore have
	// size errors of their own).
	ErrTooLarge = ErrSizeLimit
	// ErrNotCredential: the credential (given to bake, or found in an
	// image) is neither a JSON object nor a compact JWS.
	ErrNotCredential = errors.New("bake: not a JSON object or a compact JWS")
	// ErrDTD: an SVG has a document type declaration with an internal
	// subset, or an entity declaration; such SVGs are refused.
	ErrDTD = errors.New("bake: SVG declares entities or a DTD internal subset")
	// ErrMultiple: the image holds more than one OB 3.0 credential (or,
	// holding none, more than one OB 2.0 assertion), the HTML page more
	// than one credential <script>, or the PDF more than one credential
	// attachment, so which badge it carries depends on the reader. Extract
	// wraps it in an *ImageError that points at the second one. Baking a
	// credential into the image replaces them all.
	ErrMultiple = errors.New("bake: the image holds more than one baked credential")
)

// Format is a file format that can carry a credential: an image baked with
// one (PNG, SVG), or a certificate that embeds one (HTML, PDF).
type Format int

// The formats. Bake writes PNG and SVG; Extract reads all four.
const (
	FormatUnknown Format = iota
	FormatPNG
	FormatSVG
	// FormatHTML is an HTML page with the credential in a <script>
	// element (see the package documentation).
	FormatHTML
	// FormatPDF is a PDF with the credential in an embedded file.
	FormatPDF
)

// String returns "PNG", "SVG", "HTML", "PDF" or "unknown".
func (f Format) String() string {
	switch f {
	case FormatPNG:
		return "PNG"
	case FormatSVG:
		return "SVG"
	case FormatHTML:
		return "HTML"
	case FormatPDF:
		return "PDF"
	}
	return "unknown"
}

// Kind says how a baked credential is encoded.
type Kind int

// The kinds of baked credential.
const (
	KindUnknown Kind = iota
	// KindJSON is a JSON object: a credential secured by an embedded proof
	// (or, when Legacy, an OB 2.0 assertion).
	KindJSON
	// KindJWS is a compact JWS: a credential secured by VC-JWT (or, when
	// Legacy, a signed OB 2.0 assertion).
	KindJWS
	// KindURL is the http or https URL of a hosted OB 2.0 assertion; only
	// legacy data has this kind.
	KindURL
)

// String returns "JSON", "JWS", "URL" or "unknown".
func (k Kind) String() string {
	switch k {
	case KindJSON:
		return "JSON"
	case KindJWS:
		return "JWS"
	case KindURL:
		return "URL"
	}
	return "unknown"
}

// Options bounds and adjusts baking and extraction. A nil *Options means the
// zero value.
type Options struct {
	// MaxImageBytes bounds the image, read or written; zero or negative
	// means DefaultMaxImageBytes.
	MaxImageBytes int
	// MaxCredentialBytes bounds the credential, also after inflating a
	// compressed PNG chunk; zero or negative means
	// DefaultMaxCredentialBytes.
	MaxCredentialBytes int
	// KeepLegacy leaves Open Badges 2.0 data (an "openbadges" PNG chunk,
	// an <assertion> in namespace http://openbadges.org) in place when
	// baking. If false, baking removes it. Extraction ignores this field.
	KeepLegacy bool
}

func (o *Options) maxImage() int {
	if o != nil && o.MaxImageBytes > 0 {
		return o.MaxImageBytes
	}
	return DefaultMaxImageBytes
}

func (o *Options) maxCredential() int {
	if o != nil && o.MaxCredentialBytes > 0 {
		return o.MaxCredentialBytes
	}
	return DefaultMaxCredentialBytes
}

func (o *Options) keepLegacy() bool { return o != nil && o.KeepLegacy }

// Baked is what Extract found in an image, page or PDF.
type Baked struct {
	// Format is the input's format.
	Format Format
	// Kind is the credential's encoding, decided from its bytes: a JSON
	// object, a compact JWS or (legacy only) a URL.
	Kind Kind
	// Legacy is true when the image holds no OB 3.0 credential but does
	// hold Open Badges 2.0 data, which is what Credential then is: by
	// Kind, the JSON of an assertion (KindJSON), a signed assertion
	// (KindJWS, whose payload is the assertion's JSON) or the URL of a
	// hosted assertion (KindURL), which must be fetched to be read.
	Legacy bool
	// Credential is the chunk text, the element content (the verify
	// attribute, or the character data), the script text or the embedded
	// file's content (inflated), with surrounding whitespace and a leading
	// byte order mark removed. Nothing else is changed: JSON escapes such
	// as \u003c in a page's script are left as they are.
	Credential []byte
	// HostedURL is, for Open Badges 2.0 data only, the URL of the hosted
	// assertion when the image names one: Credential itself when Kind is
	// KindURL, or the verify attribute of an SVG <assertion> element that
	// also holds the assertion's JSON as content (the form the OB 2.0
	// baking specification's example shows; Credential is then the JSON).
	// Otherwise it is empty.
	HostedURL string
}

// ImageError reports an image that is not a well-formed PNG or SVG, a PDF
// that this package cannot read, an input whose credential breaks the rules
// of its format (an HTML page's credential script that is not closed, say),
// an input that holds two credentials (it then wraps ErrMultiple), or an
// image this package refuses to read (it then wraps ErrDTD).
type ImageError struct {
	Format Format
	// Offset is the byte offset in the image where the problem was found,
	// or -1 when there is no single place.
	Offset int64
	// Reason says what is wrong, for people.
	Reason string
	// Err is the underlying error (ErrDTD, ErrNotCredential, ErrSizeLimit,
	// an XML syntax error, ...), or nil.
	Err error
}

// Error says what is wrong, in which format, and where.
func (e *ImageError) Error() string {
	var b strings.Builder
	b.WriteString("bake: ")
	b.WriteString(e.Format.String())
	if e.Offset >= 0 {
		fmt.Fprintf(&b, " at byte %d", e.Offset)
	}
	b.WriteString(": ")
	b.WriteString(e.Reason)
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns Err.
func (e *ImageError) Unwrap() error { return e.Err }

// Bake returns a copy of img, a PNG or SVG image, with credential baked
// into it, replacing any credential the image held: PNG or SVG, chosen by
// the image's format. The credential must be a JSON object or a compact JWS
// (ErrNotCredential otherwise); surrounding whitespace and a leading byte
// order mark are dropped, and the rest is baked exactly (see the package
// documentation for SVG line ends). An HTML page or a PDF is refused with
// ErrUnknownFormat: certificates are made whole, with the credential in
// them, by their renderer (ScriptType and EscapeScript say how a page
// carries one).
func Bake(img, credential []byte, opts *Options) ([]byte, error) {
	f, err := detect(img, opts)
	if err != nil {
		return nil, err
	}
	switch f {
	case FormatPNG:
		return PNG(img, credential, opts)
	case FormatHTML, FormatPDF:
		return nil, fmt.Errorf("%w: it is %s, which Bake does not write into (a certificate is made with its credential in it)", ErrUnknownFormat, describeFormat(f))
	}
	return SVG(img, credential, opts)
}

// Extract returns the credential baked into img, a PNG or SVG image, or
// embedded in an HTML page or a PDF (a certificate). Which of the four it
// is, Detect decides from the first bytes. It fails with ErrUnknownFormat
// for other input, an *ImageError for a broken image or PDF or a broken
// credential, ErrSizeLimit past a limit, and ErrNotBaked when the input
// holds nothing. An input that holds two credentials is refused with an
// *ImageError wrapping ErrMultiple (see the package documentation for what
// counts). An image that holds only Open Badges 2.0 data yields a Baked
// with Legacy set and no error: check Legacy before treating the result as
// an OB 3.0 credential. An image that holds an OB 3.0 credential and OB 2.0
// data (as Bake writes with Options.KeepLegacy) yields the OB 3.0
// credential.
func Extract(img []byte, opts *Options) (*Baked, error) {
	f, err := detect(img, opts)
	if err != nil {
		return nil, err
	}
	switch f {
	case FormatPNG:
		return extractPNG(img, opts)
	case FormatHTML:
		return extractHTML(img, opts)
	case FormatPDF:
		return extractPDF(img, opts)
	}
	return extractSVG(img, opts)
}

var (
	pngSignature = []byte("\x89PNG\r\n\x1a\n")
	utf8BOM      = []byte("\xef\xbb\xbf")
)

// Detect says which format b is in, from its first bytes alone:
//
//   - PNG: b starts with the first four bytes of the PNG signature;
//   - PDF: b starts with "%PDF-";
//   - HTML: after an optional UTF-8 byte order mark, whitespace and HTML
//     comments, b starts with "<!DOCTYPE html" or "<html" (in any case),
//     followed by whitespace, ">" or (after "<html") "/";
//   - SVG: after an optional byte order mark and whitespace, b starts with
//     "<" and is not HTML. Whether such a document really is an SVG (an
//     XML document whose root is <svg>) is decided by reading it.
//
// Anything else is FormatUnknown. Detect reads no further than it must.
func Detect(b []byte) Format {
	if bytes.HasPrefix(b, pngSignature[:4]) {
		return FormatPNG // a damaged signature is reported by the PNG parser
	}
	if bytes.HasPrefix(b, pdfHeader) {
		return FormatPDF
	}
	rest := bytes.TrimLeft(bytes.TrimPrefix(b, utf8BOM), " \t\r\n")
	if len(rest) == 0 || rest[0] != '<' {
		return FormatUnknown
	}
	if isHTMLStart(rest) {
		return FormatHTML
	}
	return FormatSVG
}

// detect bounds the input and tells its format by its first bytes.
func detect(img []byte, opts *Options) (Format, error) {
	if max := opts.maxImage(); len(img) > max {
		return FormatUnknown, fmt.Errorf("%w: the image is %d bytes, more than the limit of %d", ErrSizeLimit, len(img), max)
	}
	if f := Detect(img); f != FormatUnknown {
		return f, nil
	}
	return FormatUnknown, fmt.Errorf("%w: %s", ErrUnknownFormat, describe(img))
}

// describeFormat names a format in a sentence.
func describeFormat(f Format) string {
	switch f {
	case FormatHTML:
		return "an HTML page"
	case FormatPDF:
		return "a PDF document"
	}
	return "a " + f.String() + " image"
}

// describe names what a file that is neither PNG nor SVG seems to be.
func describe(b []byte) string {
	switch {
	case len(b) == 0:
		return "the file is empty"
	case bytes.HasPrefix(b, []byte("\xff\xd8\xff")):
		return "it is a JPEG image"
	case bytes.HasPrefix(b, []byte("GIF8")):
		return "it is a GIF image"
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return "it is a WebP image"
	case bytes.HasPrefix(b, []byte("%PDF")):
		return "it starts like a PDF document, but not with %PDF-"
	case bytes.HasPrefix(b, []byte("\xfe\xff")) || bytes.HasPrefix(b, []byte("\xff\xfe")):
		return "it is UTF-16 text (an SVG must be UTF-8)"
	}
	t := trimCredential(b)
	if classify(t) != KindUnknown {
		return "it looks like a credential, not an image"
	}
	n := min(len(b), 8)
	return fmt.Sprintf("it starts with bytes % x", b[:n])
}

// trimCredential removes a leading UTF-8 byte order mark and surrounding
// JSON (and XML) whitespace.
func trimCredential(b []byte) []byte {
	return bytes.Trim(bytes.TrimPrefix(b, utf8BOM), " \t\r\n")
}

// classify says what a trimmed credential is, from its syntax alone: a JSON
// object, a compact JWS, or neither (KindUnknown). URLs are told apart by
// classifyLegacy.
func classify(b []byte) Kind {
	if !utf8.Valid(b) {
		return KindUnknown
	}
	if len(b) > 0 && b[0] == '{' {
		if json.Valid(b) {
			return KindJSON
		}
		return KindUnknown
	}
	if isCompactJWS(b) {
		return KindJWS
	}
	return KindUnknown
}

// classifyLegacy is classify for OB 2.0 data, which may also be the URL of a
// hosted assertion.
func classifyLegacy(b []byte) Kind {
	if k := classify(b); k != KindUnknown {
		return k
	}
	if isHTTPURL(b) {
		return KindURL
	}
	return KindUnknown
}

// isCompactJWS reports whether b is three non-empty base64url segments
// joined by dots (RFC 7515 compact serialization, unpadded).
func isCompactJWS(b []byte) bool {
	parts := bytes.Split(b, []byte("."))
	if len(parts) != 3 {
		return false
	}
	for _, p := range parts {
		if len(p) == 0 || len(p)%4 == 1 {
			return false
		}
		for _, c := range p {
			if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}

func isHTTPURL(b []byte) bool {
	for _, c := range b {
		if c <= ' ' || c >= 0x7f {
			return false
		}
	}
	u, err := url.Parse(string(b))
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// prepare checks a credential given to bake and returns the bytes to bake.
func prepare(credential []byte, opts *Options) ([]byte, Kind, error) {
	if max := opts.maxCredential(); len(credential) > max {
		return nil, KindUnknown, fmt.Errorf("%w: the credential is %d bytes, more than the limit of %d", ErrSizeLimit, len(credential), max)
	}
	c := trimCredential(credential)
	if len(c) == 0 {
		return nil, KindUnknown, fmt.Errorf("%w: the credential is empty", ErrNotCredential)
	}
	if !utf8.Valid(c) {
		return nil, KindUnknown, fmt.Errorf("%w: the credential is not UTF-8 text", ErrNotCredential)
	}
	k := classify(c)
	if k == KindUnknown {
		what := "it is not a compact JWS (three base64url parts joined by dots)"
		if c[0] == '{' {
			what = "it starts with { but is not valid JSON"
		}
		return nil, KindUnknown, fmt.Errorf("%w: %s", ErrNotCredential, what)
	}
	return c, k, nil
}

// found builds the Baked for trimmed content, or the error that says why the
// content is not a credential.
func found(f Format, content []byte, legacy bool, opts *Options) (*Baked, error) {
	c := trimCredential(content)
	if max := opts.maxCredential(); len(c) > max {
		return nil, fmt.Errorf("%w: the baked credential is %d bytes, more than the limit of %d", ErrSizeLimit, len(c), max)
	}
	if !utf8.Valid(c) {
		return nil, &ImageError{Format: f, Offset: -1, Reason: "the baked credential is not UTF-8 text", Err: ErrNotCredential}
	}
	k := classify(c)
	if legacy {
		k = classifyLegacy(c)
	}
	if k == KindUnknown {
		what := "the baked credential"
		if legacy {
			what = "the baked Open Badges 2.0 data"
		}
		if len(c) == 0 {
			return nil, &ImageError{Format: f, Offset: -1, Reason: what + " is empty", Err: ErrNotCredential}
		}
		return nil, &ImageError{Format: f, Offset: -1, Reason: what + " is not valid", Err: ErrNotCredential}
	}
	b := &Baked{Format: f, Kind: k, Legacy: legacy, Credential: bytes.Clone(c)}
	if k == KindURL {
		b.HostedURL = string(c)
	}
	return b, nil
}
