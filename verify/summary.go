package verify

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/internal/jsonobj"
)

// Summary is what a wallet shows of a credential without reading it again:
// who issued it, for what, to whom, and when. It is what the credential
// says, read whether or not it verifies: nothing in it is confirmed unless
// Report.Verified is. Text is bounded (at most 256 characters, control
// and bidirectional formatting characters replaced by spaces), and an image
// is an https URL or a data: URL of a raster or SVG image, at most 256 KiB.
// It never holds a recipient's email address, other identifier or identity
// hash: only a display name the credential gives in plain text.
type Summary struct {
	// Name is the credential's own name (an Open Badges 2.0 badge's: its
	// BadgeClass's).
	Name string `json:"name,omitempty"`
	// IssuerName is the issuer's name: an OB 3.0 credential's issuer
	// Profile's, an Open Badges 2.0 badge's issuer Profile's as published
	// at its id.
	IssuerName string `json:"issuerName,omitempty"`
	// AchievementName and AchievementImage are the achievement's (an
	// Open Badges 2.0 badge's BadgeClass's) name and image; the image is
	// the credential's own when the achievement has none.
	AchievementName  string `json:"achievementName,omitempty"`
	AchievementImage string `json:"achievementImage,omitempty"`
	// RecipientName is the recipient's name when the credential gives one
	// in plain text: the subject's name, or an OB 3.0 identifier of type
	// "name" that is not hashed.
	RecipientName string `json:"recipientName,omitempty"`
	// ValidFrom and ValidUntil are the validity window the credential
	// gives (validFrom and validUntil; a VCDM 1.1 credential's
	// issuanceDate and expirationDate, or its JWT's nbf and exp; an Open
	// Badges 2.0 badge's issuedOn and expires), and AwardedDate when it
	// was awarded (OB 3.0 awardedDate). Zero when not given or not a date.
	ValidFrom   time.Time `json:"validFrom,omitzero"`
	ValidUntil  time.Time `json:"validUntil,omitzero"`
	AwardedDate time.Time `json:"awardedDate,omitzero"`
}

// The bounds of a Summary's text and images.
const (
	maxSummaryText  = 256
	maxSummaryImage = 256 << 10
)

// summarize fills the report's summary from the credential read, if one
// was.
func (r *run) summarize() {
	switch {
	case r.ob != nil:
		r.rep.Summary = r.ob.summary()
	case r.doc != nil && r.cred != nil:
		r.rep.Summary = r.summary()
	}
}

// summary reads an OB 3.0 credential's (or any Verifiable Credential's)
// display fields from its split members.
func (r *run) summary() *Summary {
	doc := r.doc
	s := &Summary{Name: summaryText(doc["name"])}
	if iss := doc["issuer"]; len(iss) > 0 && iss[0] == '{' {
		s.IssuerName = summaryText(member(iss, "name"))
	}
	subject := doc["credentialSubject"]
	if len(subject) > 0 && subject[0] == '[' {
		if subjects, err := jsonobj.SplitArray(subject); err == nil && len(subjects) > 0 {
			subject = subjects[0]
		}
	}
	if len(subject) > 0 && subject[0] == '{' {
		if a := member(subject, "achievement"); len(a) > 0 && a[0] == '{' {
			s.AchievementName = summaryText(member(a, "name"))
			s.AchievementImage = summaryImage(member(a, "image"))
		}
		if s.RecipientName = summaryText(member(subject, "name")); s.RecipientName == "" {
			s.RecipientName = recipientName(member(subject, "identifier"))
		}
	}
	if s.AchievementImage == "" {
		s.AchievementImage = summaryImage(doc["image"])
	}
	from, until := "validFrom", "validUntil"
	if r.rep.Version == "VCDM 1.1" {
		from, until = "issuanceDate", "expirationDate"
	}
	s.ValidFrom, s.ValidUntil = summaryTime(doc[from]), summaryTime(doc[until])
	if j := r.jwt; j != nil {
		if s.ValidFrom.IsZero() && j.Claims.NotBefore != nil {
			s.ValidFrom = j.Claims.NotBefore.UTC()
		}
		if s.ValidUntil.IsZero() && j.Claims.Expires != nil {
			s.ValidUntil = j.Claims.Expires.UTC()
		}
	}
	s.AwardedDate = summaryTime(doc["awardedDate"])
	return s
}

// summary reads an Open Badges 2.0 object's display fields: its
// BadgeClass's, and its issuer's Profile's as published at its id.
func (o *ob20) summary() *Summary {
	if o.a == nil && o.e == nil {
		return nil
	}
	s := &Summary{}
	if o.profile != nil {
		s.IssuerName = cleanText(o.profile.Name)
	}
	if b := o.badge; b != nil {
		s.Name = cleanText(b.Name)
		s.AchievementName = s.Name
		if b.Image != nil {
			s.AchievementImage = imageURL(b.Image.ID)
		}
	}
	var issued, expires credential.OB2DateTime
	if o.a != nil {
		issued, expires = o.a.IssuedOn, o.a.Expires
	} else {
		issued = o.e.IssuedOn
	}
	if t, err := issued.Time(); err == nil && !issued.IsZero() {
		s.ValidFrom = t.UTC()
	}
	if t, err := expires.Time(); err == nil && !expires.IsZero() {
		s.ValidUntil = t.UTC()
	}
	return s
}

// member returns the member name of obj, a JSON object.
func member(obj []byte, name string) []byte {
	v, _ := jsonobj.Member(obj, name)
	return v
}

// recipientName returns the first identifier of type "name" given in
// plain text, of an OB 3.0 subject's identifier (an object or an array).
func recipientName(raw []byte) string {
	ids := [][]byte{raw}
	if len(raw) > 0 && raw[0] == '[' {
		ids, _ = jsonobj.SplitArray(raw)
	}
	for _, id := range ids {
		if len(id) == 0 || id[0] != '{' {
			continue
		}
		typ, _ := decodeString(member(id, "identityType"))
		if typ != string(credential.IdentifierTypeName) || !bytes.Equal(member(id, "hashed"), []byte("false")) {
			continue
		}
		if name := summaryText(member(id, "identityHash")); name != "" {
			return name
		}
	}
	return ""
}

// summaryText returns raw, a JSON string, as bounded display text.
func summaryText(raw []byte) string {
	s, ok := decodeString(raw)
	if !ok {
		return ""
	}
	return cleanText(s)
}

// cleanText bounds s for display: valid UTF-8, control and bidirectional
// formatting characters replaced by spaces, spaces collapsed, at most
// maxSummaryText characters (cut ones end in "…").
func cleanText(s string) string {
	var b strings.Builder
	n, space := 0, false
	for _, c := range strings.ToValidUTF8(s, "\uFFFD") {
		if unicode.IsControl(c) || unicode.Is(unicode.Bidi_Control, c) || unicode.IsSpace(c) {
			space = b.Len() > 0
			continue
		}
		if n >= maxSummaryText {
			b.WriteString("…")
			break
		}
		if space {
			b.WriteByte(' ')
			n, space = n+1, false
		}
		b.WriteRune(c)
		n++
	}
	return b.String()
}

// summaryImage returns an image's URL: raw is a URL (a JSON string) or an
// Image object with an id.
func summaryImage(raw []byte) string {
	if len(raw) > 0 && raw[0] == '{' {
		raw = member(raw, "id")
	}
	s, _ := decodeString(raw)
	return imageURL(s)
}

// imageURL returns u if a wallet can show it safely: an https URL with a
// host, of at most 2,048 bytes, or a data: URL of an image of at most
// maxSummaryImage bytes; otherwise "".
func imageURL(u string) string {
	lower := strings.ToLower(u)
	switch {
	case strings.HasPrefix(lower, "https://"):
		if p, err := url.Parse(u); err != nil || p.Host == "" || len(u) > 2048 || !utf8.ValidString(u) || strings.ContainsFunc(u, unsafeRune) {
			return ""
		}
		return u
	case len(u) > maxSummaryImage:
		return ""
	}
	for _, mt := range [...]string{"image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml"} {
		if rest, ok := strings.CutPrefix(lower, "data:"+mt); ok && (strings.HasPrefix(rest, ";") || strings.HasPrefix(rest, ",")) {
			return u
		}
	}
	return ""
}

// unsafeRune reports whether c has no place in a URL shown as is.
func unsafeRune(c rune) bool {
	return unicode.IsSpace(c) || unicode.IsControl(c) || unicode.Is(unicode.Bidi_Control, c)
}

// summaryTime returns raw, a JSON string with a date and time, or the zero
// time.
func summaryTime(raw json.RawMessage) time.Time {
	s, ok := decodeString(raw)
	if !ok {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}
