package render

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"golang.org/x/text/language"

	"github.com/go-openbadges/openbadges/bake"
)

// Bounds on what a certificate shows, so hostile credentials cannot make
// a page or a PDF of unbounded size. Longer text is cut with an ellipsis.
const (
	maxText  = 10000 // runes of a description, criteria or comment
	maxName  = 1000  // runes of a name or title
	maxItems = 100   // results, evidence, skills
	maxImage = 2 << 20
)

// obj is a JSON object as decoded with UseNumber.
type obj = map[string]any

// parsed is a credential read for showing.
type parsed struct {
	doc       obj
	raw       []byte // as given (JSON or JWS), trimmed
	mediaType string
}

// parse reads a JSON credential or the credential inside a compact JWS
// (VC-JWT: the vc claim; VC-JOSE: the payload). The signature is not
// checked: showing is not verifying.
func parse(credential []byte) (*parsed, error) {
	if len(credential) > MaxCredentialBytes {
		return nil, fmt.Errorf("%w: %d bytes, more than %d", ErrCredential, len(credential), MaxCredentialBytes)
	}
	b := bytes.TrimSpace(bytes.TrimPrefix(credential, []byte("\xef\xbb\xbf")))
	// The media type of the script element that carries it in a page, as
	// package bake, which reads it back, names it.
	p := &parsed{raw: b, mediaType: bake.ScriptType(b)}
	payload := b
	if p.mediaType == "" {
		return nil, fmt.Errorf("%w: neither a JSON object nor a compact JWS", ErrCredential)
	}
	if p.mediaType == "application/vc+jwt" {
		// ScriptType checked the compact form: three base64url parts.
		dec, err := base64.RawURLEncoding.DecodeString(string(bytes.SplitN(b, []byte("."), 3)[1]))
		if err != nil {
			return nil, fmt.Errorf("%w: a JWS whose payload is not base64url: %v", ErrCredential, err)
		}
		payload = dec
	}
	doc, err := decodeObject(payload)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCredential, err)
	}
	if vc, ok := doc["vc"].(obj); ok && p.mediaType == "application/vc+jwt" {
		doc = vc
	}
	p.doc = doc
	return p, nil
}

// decodeObject decodes a JSON object, keeping numbers as written.
func decodeObject(b []byte) (obj, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var doc obj
	if err := d.Decode(&doc); err != nil {
		return nil, fmt.Errorf("not a JSON object: %v", err)
	}
	if doc == nil {
		return nil, fmt.Errorf("not a JSON object")
	}
	if d.More() {
		return nil, fmt.Errorf("text after the JSON object")
	}
	return doc, nil
}

// builder gathers what a certificate shows from a parsed credential.
type builder struct {
	r       *Renderer
	ctx     context.Context
	loc     *locale
	want    language.Tag // the reader's language, for language maps
	content string       // the language the credential's own text is in
	// titleLang is the language of the title shown, when known.
	titleLang string
}

// build turns a credential into a Certificate in the language opts,
// the credential or the Config ask for.
func (r *Renderer) build(ctx context.Context, credential []byte, opts *Options) (*Certificate, error) {
	p, err := parse(credential)
	if err != nil {
		return nil, err
	}
	doc := p.doc
	c := &Certificate{Credential: p.raw, MediaType: p.mediaType}
	switch types := strs(doc["type"]); {
	case has(types, "AchievementCredential") || has(types, "OpenBadgeCredential"):
		c.Kind = KindAchievement
	case has(types, "EndorsementCredential"):
		c.Kind = KindEndorsement
	default:
		return nil, fmt.Errorf("%w: type %q is neither an AchievementCredential nor an EndorsementCredential", ErrCredential, types)
	}
	subject := first(doc["credentialSubject"])
	achievement, _ := subject["achievement"].(obj)

	content := firstNonEmpty(str(achievement["inLanguage"]), str(doc["inLanguage"]), contextLanguage(doc["@context"]))
	reader := ""
	if opts != nil {
		reader = opts.Lang
	}
	loc, _ := pickLocale(reader, content, r.cfg.Lang)
	b := &builder{r: r, ctx: ctx, loc: loc, content: content}
	b.want = loc.tag
	if t, err := language.Parse(firstNonEmpty(reader, content, r.cfg.Lang)); err == nil {
		b.want = t
	}
	c.Lang, c.Dir, c.Labels = loc.tag.String(), loc.dir, loc.labels
	c.ID = clip(str(doc["id"]), maxName)

	issuer := b.party(doc["issuer"])
	c.Issuer = issuer
	switch c.Kind {
	case KindAchievement:
		c.Title = b.text(achievement["name"], maxName)
		b.titleLang = firstNonEmpty(textLang(achievement["name"], b.want), content)
		c.Description = b.text(achievement["description"], maxText)
		if t := str(achievement["achievementType"]); t != "" {
			c.AchievementType = firstNonEmpty(loc.types[t], locales[0].types[t], clip(t, maxName))
		}
		if crit, ok := achievement["criteria"].(obj); ok {
			c.Criteria = b.text(crit["narrative"], maxText)
			c.CriteriaURL = webURL(str(crit["id"]))
		}
		c.Learner = b.learner(subject)
		if c.Learner == "" && opts != nil {
			c.Learner = clip(opts.Learner, maxName)
		}
		c.Results = b.results(subject, achievement)
		c.Credits = loc.formatNumber(clip(str(subject["creditsEarned"]), 64))
		c.Evidence = b.evidence(doc["evidence"])
		for _, a := range list(achievement["alignment"]) {
			if len(c.Skills) == maxItems {
				break
			}
			if n := b.text(a["targetName"], maxName); n != "" {
				c.Skills = append(c.Skills, n)
			}
		}
		img := achievement["image"]
		if img == nil {
			img = doc["image"]
		}
		c.Image, c.ImageURL = b.image(img, c.Title), imageURL(img)
	case KindEndorsement:
		c.Title = firstNonEmpty(b.text(doc["name"], maxName), loc.labels.Endorsement)
		b.titleLang = firstNonEmpty(textLang(doc["name"], b.want), content)
		c.Description = b.text(doc["description"], maxText)
		c.Endorsement = &Endorsement{
			About:   clip(str(subject["id"]), maxName),
			Comment: b.text(subject["endorsementComment"], maxText),
		}
		c.Image, c.ImageURL = b.image(doc["image"], c.Title), imageURL(doc["image"])
	}

	c.Issued = firstTime(doc["awardedDate"], doc["validFrom"], doc["issuanceDate"])
	c.ValidFrom = firstTime(doc["validFrom"], doc["issuanceDate"])
	c.ValidUntil = firstTime(doc["validUntil"], doc["expirationDate"])
	c.IssuedText = loc.formatDate(c.Issued)
	if !c.ValidFrom.IsZero() && !sameDay(c.ValidFrom, c.Issued) {
		c.ValidFromText = loc.formatDate(c.ValidFrom)
	}
	c.ValidUntilText = loc.formatDate(c.ValidUntil)

	c.VerifyURL = r.verifyURL(c.ID)
	if c.VerifyURL != "" {
		if c.QR, err = NewQR(c.VerifyURL); err != nil {
			return nil, err
		}
	}
	c.Share = share(c)
	if opts != nil && opts.Offer != nil {
		if c.Offer, err = offerView(opts.Offer, loc); err != nil {
			return nil, err
		}
	}
	c.Style = r.style
	if c.Style.Logo != nil {
		logo := *c.Style.Logo
		logo.Alt = fmt.Sprintf(loc.labels.LogoAlt, firstNonEmpty(issuer.Name, issuer.ID))
		c.Style.Logo = &logo
	}
	if len(c.Style.Signatures) > 0 {
		c.Style.Signatures = append([]Signer(nil), c.Style.Signatures...)
		for i, s := range c.Style.Signatures {
			if s.Image != nil {
				img := *s.Image
				img.Alt = fmt.Sprintf(loc.labels.SignatureAlt, s.Name)
				c.Style.Signatures[i].Image = &img
			}
		}
	}
	if b.titleLang != "" && !sameLanguage(b.titleLang, c.Lang) {
		c.ContentLang, c.ContentDir = b.titleLang, direction(b.titleLang)
	}
	return c, nil
}

// learner returns the learner's name: a plain-text identifier of type
// name, or a name property of the subject. Hashed identifiers, email
// addresses and DIDs are never shown.
func (b *builder) learner(subject obj) string {
	for _, id := range list(subject["identifier"]) {
		if str(id["identityType"]) == "name" && id["hashed"] == false {
			if s := clip(str(id["identityHash"]), maxName); s != "" {
				return s
			}
		}
	}
	return b.text(subject["name"], maxName)
}

// results lists the subject's results, named after the achievement's
// result descriptions.
func (b *builder) results(subject, achievement obj) []Result {
	descs := map[string]obj{}
	levels := map[string]string{}
	for _, d := range list(achievement["resultDescription"]) {
		descs[str(d["id"])] = d
		for _, l := range list(d["rubricCriterionLevel"]) {
			levels[str(l["id"])] = b.text(l["name"], maxName)
		}
	}
	var out []Result
	for _, r := range list(subject["result"]) {
		if len(out) == maxItems {
			break
		}
		var res Result
		if d, ok := descs[str(r["resultDescription"])]; ok {
			res.Name = b.text(d["name"], maxName)
		}
		if res.Name == "" {
			for _, a := range list(r["alignment"]) {
				if res.Name = b.text(a["targetName"], maxName); res.Name != "" {
					break
				}
			}
		}
		switch {
		case str(r["value"]) != "":
			res.Value = clip(str(r["value"]), maxName)
		case levels[str(r["achievedLevel"])] != "":
			res.Value = levels[str(r["achievedLevel"])]
		case str(r["status"]) != "":
			s := str(r["status"])
			res.Value = firstNonEmpty(b.loc.statuses[s], locales[0].statuses[s], clip(s, maxName))
		}
		if res.Value == "" {
			continue
		}
		if res.Name == "" {
			res.Name = b.loc.labels.Results
		}
		out = append(out, res)
	}
	return out
}

// evidence lists the evidence handed in.
func (b *builder) evidence(v any) []Evidence {
	var out []Evidence
	for _, e := range list(v) {
		if len(out) == maxItems {
			break
		}
		ev := Evidence{
			Name:        b.text(e["name"], maxName),
			Description: firstNonEmpty(b.text(e["description"], maxText), b.text(e["narrative"], maxText)),
			URL:         webURL(str(e["id"])),
		}
		if ev.Name == "" && ev.Description == "" && ev.URL == "" {
			continue
		}
		out = append(out, ev)
	}
	return out
}

// party reads an issuer: a URI or a Profile.
func (b *builder) party(v any) Party {
	switch v := v.(type) {
	case string:
		return Party{ID: clip(v, maxName)}
	case obj:
		p := Party{
			ID:   clip(str(v["id"]), maxName),
			Name: b.text(v["name"], maxName),
			URL:  webURL(str(v["url"])),
		}
		alt := fmt.Sprintf(b.loc.labels.LogoAlt, firstNonEmpty(p.Name, p.ID))
		p.Image = b.image(v["image"], alt)
		return p
	}
	return Party{}
}

// verifyURL is where a credential is checked (see Config.VerifyURL).
func (r *Renderer) verifyURL(id string) string {
	if r.cfg.VerifyURL == "" {
		if strings.HasPrefix(id, "https://") {
			return id
		}
		return ""
	}
	if id == "" {
		return ""
	}
	esc := url.QueryEscape(id)
	if strings.Contains(r.cfg.VerifyURL, "{id}") {
		return strings.ReplaceAll(r.cfg.VerifyURL, "{id}", esc)
	}
	sep := "?"
	if strings.Contains(r.cfg.VerifyURL, "?") {
		sep = "&"
	}
	return r.cfg.VerifyURL + sep + "id=" + esc
}

// share makes the share links of a certificate.
func share(c *Certificate) Share {
	issuer := firstNonEmpty(c.Issuer.Name, c.Issuer.ID)
	var s Share
	if c.Title != "" {
		s.Text = fmt.Sprintf(c.Labels.ShareText, c.Title, issuer)
		if c.Lang == "zh" { // the Chinese sentence names the issuer first
			s.Text = fmt.Sprintf(c.Labels.ShareText, issuer, c.Title)
		}
		if c.VerifyURL != "" {
			s.Text += " " + c.VerifyURL
		}
	}
	if c.Kind != KindAchievement {
		return s
	}
	q := url.Values{}
	q.Set("startTask", "CERTIFICATION_NAME")
	q.Set("name", clip(c.Title, 200))
	if issuer != "" {
		q.Set("organizationName", clip(issuer, 200))
	}
	if !c.Issued.IsZero() {
		q.Set("issueYear", fmt.Sprint(c.Issued.UTC().Year()))
		q.Set("issueMonth", fmt.Sprint(int(c.Issued.UTC().Month())))
	}
	if !c.ValidUntil.IsZero() {
		q.Set("expirationYear", fmt.Sprint(c.ValidUntil.UTC().Year()))
		q.Set("expirationMonth", fmt.Sprint(int(c.ValidUntil.UTC().Month())))
	}
	if c.VerifyURL != "" {
		q.Set("certUrl", c.VerifyURL)
	}
	if c.ID != "" {
		q.Set("certId", clip(c.ID, 200))
	}
	s.LinkedIn = "https://www.linkedin.com/profile/add?" + q.Encode()
	return s
}
