package render

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

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
	if p.mediaType != "application/vc+ld+json" {
		parts := bytes.Split(b, []byte("."))
		if len(parts) != 3 {
			return nil, fmt.Errorf("%w: neither a JSON object nor a compact JWS", ErrCredential)
		}
		dec, err := base64.RawURLEncoding.DecodeString(string(parts[1]))
		if err != nil {
			return nil, fmt.Errorf("%w: a JWS whose payload is not base64url: %v", ErrCredential, err)
		}
		payload, p.mediaType = dec, "application/vc+jwt"
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

// text returns a property's text in the reader's language: a string, a
// value object ({"@value", "@language"}), an array of value objects (VCDM
// 2.0 §11.1), or a language map ({"en": …, "fr": …}), cut to max runes.
func (b *builder) text(v any, max int) string {
	t, _ := pickText(v, b.want)
	return clip(t, max)
}

// textLang returns the language of the text pickText picks, when the
// credential says.
func textLang(v any, want language.Tag) string {
	_, l := pickText(v, want)
	return l
}

// pickText returns the text of v closest to want, and its language.
func pickText(v any, want language.Tag) (string, string) {
	var vals []langText
	switch v := v.(type) {
	case string:
		return v, ""
	case obj:
		if s, ok := v["@value"].(string); ok {
			l, _ := v["@language"].(string)
			return s, l
		}
		for k, s := range v {
			if s, ok := s.(string); ok {
				vals = append(vals, langText{lang: k, text: s})
			}
		}
	case []any:
		for _, e := range v {
			switch e := e.(type) {
			case string:
				vals = append(vals, langText{text: e})
			case obj:
				if s, ok := e["@value"].(string); ok {
					l, _ := e["@language"].(string)
					vals = append(vals, langText{lang: l, text: s})
				}
			}
		}
	}
	if len(vals) == 0 {
		return "", ""
	}
	v0 := best(vals, want)
	return v0.text, v0.lang
}

// langText is a text in a language ("" when unknown).
type langText struct{ lang, text string }

// best returns the value whose language is closest to want; the first
// value without a language, else the first, when none matches.
func best(vals []langText, want language.Tag) langText {
	// Map iteration order is random: sort by language for a stable pick.
	sortLangText(vals)
	var tags []language.Tag
	var idx []int
	for i, v := range vals {
		if t, err := language.Parse(v.lang); err == nil && v.lang != "" {
			tags = append(tags, t)
			idx = append(idx, i)
		}
	}
	if len(tags) > 0 {
		_, i, conf := language.NewMatcher(tags).Match(want)
		if conf != language.No {
			return vals[idx[i]]
		}
	}
	for _, v := range vals {
		if v.lang == "" {
			return v
		}
	}
	return vals[0]
}

// sortLangText sorts by language tag (insertion sort: the lists are tiny).
func sortLangText(v []langText) {
	for i := 1; i < len(v); i++ {
		for j := i; j > 0 && v[j].lang < v[j-1].lang; j-- {
			v[j], v[j-1] = v[j-1], v[j]
		}
	}
}

// sameLanguage reports whether two tags have the same base language.
func sameLanguage(a, b string) bool {
	ta, err1 := language.Parse(a)
	tb, err2 := language.Parse(b)
	if err1 != nil || err2 != nil {
		return a == b
	}
	ba, _ := ta.Base()
	bb, _ := tb.Base()
	return ba == bb
}

// contextLanguage returns the @language an @context array sets, if any.
func contextLanguage(v any) string {
	for _, c := range anyList(v) {
		if m, ok := c.(obj); ok {
			if l, ok := m["@language"].(string); ok {
				return l
			}
		}
	}
	return ""
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

// image returns an image to embed: a data: URI in the credential, or an
// https image the Config's Fetcher brings; nil otherwise. alt is used when
// the image has no caption.
func (b *builder) image(v any, alt string) *Image {
	var id, caption string
	switch v := v.(type) {
	case string:
		id = v
	case obj:
		id, caption = str(v["id"]), b.text(v["caption"], maxName)
	default:
		return nil
	}
	img, err := loadImage(b.ctx, b.r.cfg.Fetcher, id)
	if err != nil || img == nil {
		return nil
	}
	img.Alt = firstNonEmpty(caption, alt)
	return img
}

// imageURL returns the https URL an image names, else "".
func imageURL(v any) string {
	id := str(v)
	if m, ok := v.(obj); ok {
		id = str(m["id"])
	}
	if strings.HasPrefix(id, "https://") {
		return webURL(id)
	}
	return ""
}

// imageTypes are the image media types a certificate embeds.
var imageTypes = map[string]bool{"image/png": true, "image/jpeg": true, "image/gif": true,
	"image/webp": true, "image/svg+xml": true}

// loadImage reads a data: URI, or fetches an https URL when f is set.
func loadImage(ctx context.Context, f interface {
	Fetch(context.Context, string) ([]byte, error)
}, id string) (*Image, error) {
	switch {
	case strings.HasPrefix(id, "data:"):
		return decodeDataURI(id)
	case strings.HasPrefix(id, "https://") && f != nil:
		data, err := f.Fetch(ctx, id)
		if err != nil {
			return nil, err
		}
		return newImage(data)
	}
	return nil, nil
}

// decodeDataURI decodes a base64 or percent-encoded data: URI holding an
// image.
func decodeDataURI(s string) (*Image, error) {
	meta, payload, ok := strings.Cut(strings.TrimPrefix(s, "data:"), ",")
	if !ok {
		return nil, fmt.Errorf("a data: URI without a comma")
	}
	var data []byte
	var err error
	if strings.HasSuffix(meta, ";base64") {
		data, err = base64.StdEncoding.DecodeString(strings.Map(dropSpace, payload))
	} else {
		var u string
		u, err = url.PathUnescape(payload)
		data = []byte(u)
	}
	if err != nil {
		return nil, err
	}
	return newImage(data)
}

func dropSpace(r rune) rune {
	if r == ' ' || r == '\n' || r == '\r' || r == '\t' {
		return -1
	}
	return r
}

// newImage checks that data is an image of a type certificates embed, by
// its content rather than what it claims, and makes its data: URI.
func newImage(data []byte) (*Image, error) {
	if len(data) == 0 || len(data) > maxImage {
		return nil, fmt.Errorf("an image of %d bytes", len(data))
	}
	typ := sniffImage(data)
	if typ == "" {
		return nil, fmt.Errorf("not a PNG, JPEG, GIF, WebP or SVG image")
	}
	return &Image{
		Src:  "data:" + typ + ";base64," + base64.StdEncoding.EncodeToString(data),
		Data: data, Type: typ,
	}, nil
}

// sniffImage returns an image's media type from its first bytes.
func sniffImage(data []byte) string {
	t := http.DetectContentType(data)
	if imageTypes[t] {
		return t
	}
	head := bytes.TrimSpace(data[:min(len(data), 512)])
	if bytes.HasPrefix(head, []byte("<svg")) || (bytes.HasPrefix(head, []byte("<?xml")) && bytes.Contains(data[:min(len(data), 4096)], []byte("<svg"))) {
		return "image/svg+xml"
	}
	return ""
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

// webURL returns s when it is an http or https URL, else "".
func webURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(s) > 2048 {
		return ""
	}
	return s
}

// clip cuts s to max runes, ending it with an ellipsis; replaces invalid
// UTF-8 and drops control characters (which XML forbids) but tab and
// newline; and closes the bidirectional embeddings, overrides and
// isolates s opens, so that text from a credential cannot reorder the
// text around it.
func clip(s string, max int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if strings.IndexFunc(s, isControl) >= 0 {
		s = strings.Map(func(r rune) rune {
			if isControl(r) {
				return -1
			}
			return r
		}, s)
	}
	if utf8.RuneCountInString(s) > max {
		n := 0
		for i := range s {
			if n == max-1 {
				s = s[:i] + "…"
				break
			}
			n++
		}
	}
	return balanceBidi(s)
}

// isControl reports the characters XML 1.0 forbids or that mean nothing
// in a name: C0 and C1 controls but tab and newline, and U+FFFE, U+FFFF.
func isControl(r rune) bool {
	return (r < 0x20 && r != '\t' && r != '\n') || (r >= 0x7f && r < 0xa0) || r == 0xfffe || r == 0xffff
}

// balanceBidi appends the PDF (U+202C) and PDI (U+2069) characters that
// close what s leaves open of LRE, RLE, LRO, RLO (U+202A, B, D, E) and
// LRI, RLI, FSI (U+2066, 7, 8).
func balanceBidi(s string) string {
	if !strings.ContainsAny(s, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069") {
		return s
	}
	var stack []rune
	for _, r := range s {
		switch r {
		case 0x202a, 0x202b, 0x202d, 0x202e:
			stack = append(stack, 0x202c)
		case 0x2066, 0x2067, 0x2068:
			stack = append(stack, 0x2069)
		case 0x202c:
			if n := len(stack); n > 0 && stack[n-1] == 0x202c {
				stack = stack[:n-1]
			}
		case 0x2069:
			// A PDI closes its isolate and every embedding opened in it.
			for n := len(stack); n > 0; n-- {
				top := stack[n-1]
				stack = stack[:n-1]
				if top == 0x2069 {
					break
				}
			}
		}
	}
	var b strings.Builder
	b.WriteString(s)
	for i := len(stack) - 1; i >= 0; i-- {
		b.WriteRune(stack[i])
	}
	return b.String()
}

// firstTime returns the first of vs that is a date-time.
func firstTime(vs ...any) time.Time {
	for _, v := range vs {
		s := str(v)
		if s == "" {
			continue
		}
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
			if t, err := time.Parse(layout, s); err == nil {
				return t
			}
		}
	}
	return time.Time{}
}

func sameDay(a, b time.Time) bool {
	a, b = a.UTC(), b.UTC()
	return a.Year() == b.Year() && a.YearDay() == b.YearDay()
}

// str returns v as a string: a string, or a number as written.
func str(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	}
	return ""
}

// strs returns a string or an array of strings.
func strs(v any) []string {
	var out []string
	for _, e := range anyList(v) {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// anyList returns v as a list: itself when an array, else a list of one.
func anyList(v any) []any {
	switch v := v.(type) {
	case nil:
		return nil
	case []any:
		return v
	}
	return []any{v}
}

// list returns the objects of an object or an array.
func list(v any) []obj {
	var out []obj
	for _, e := range anyList(v) {
		if o, ok := e.(obj); ok {
			out = append(out, o)
		}
	}
	return out
}

// first returns the first object of an object or an array.
func first(v any) obj {
	if l := list(v); len(l) > 0 {
		return l[0]
	}
	return obj{}
}

func has(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
