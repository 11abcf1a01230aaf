package render

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"html/template"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/go-openbadges/openbadges/bake"
	"github.com/go-openbadges/openbadges/credential"
)

//go:embed templates/transcript.html
var transcriptTemplates embed.FS

// transcriptTemplate is the page of a Comprehensive Learner Record,
// parsed once.
var transcriptTemplate = template.Must(template.New("transcript.html").Funcs(funcs).Funcs(template.FuncMap{
	// record writes the record's <script> element, as embed does a
	// certificate's.
	"record": func(t *Transcript) template.HTML {
		return template.HTML(`<script type="` + t.MediaType + `" id="credential">` +
			string(bake.EscapeScript(t.Credential)) + "</script>")
	},
	// recordQR writes the record's QR code, as qr does a certificate's.
	"recordQR": func(t *Transcript) template.HTML {
		if t.QR == nil {
			return ""
		}
		return template.HTML(`<svg class="qr" role="img" viewBox="` + t.QR.ViewBox() +
			`" aria-label="` + template.HTMLEscapeString(t.Labels.QRAlt) +
			`"><rect width="100%" height="100%" fill="#fff"/><path fill="#000" d="` + t.QR.SVGPath() + `"/></svg>`)
	},
}).ParseFS(transcriptTemplates, "templates/transcript.html")).Option("missingkey=error")

// Transcript is what the page of a Comprehensive Learner Record (CLR 2.0,
// a ClrCredential) shows: the learner's record as a transcript, in the
// reader's language. Text fields are plain text, not escaped. Like a
// Certificate, it never holds a hashed identifier, an email address or a
// subject's DID: the learner is shown by name, or not at all.
type Transcript struct {
	// Lang and Dir are the language of the page ("en", "ar") and its
	// direction ("ltr" or "rtl"); Labels and Words its fixed text.
	Lang, Dir string
	Labels    Labels
	Words     TranscriptLabels

	// ID is the record's id; Title its name; Description its description.
	ID, Title, Description string
	// Learner is the learner's name when the record (or Options.Learner)
	// gives one.
	Learner string
	// Issuer is who issued the record.
	Issuer Party
	// Issued and ValidUntil are the record's dates, IssuedText and
	// ValidUntilText the same in Lang; zero or empty when absent.
	Issued, ValidUntil         time.Time
	IssuedText, ValidUntilText string
	// Partial is true when the record says it holds only part of what its
	// issuer knows of the learner.
	Partial bool

	// Entries are the achievements of the record: one per embedded
	// credential, in its order, then those the record lists without a
	// credential (a program, an achievement in progress).
	Entries []TranscriptEntry
	// Associations are the relations between the record's achievements,
	// in words.
	Associations []TranscriptAssociation
	// Omitted is the number of embedded credentials not shown: over the
	// bound (credential.MaxClrCredentials) or not readable.
	Omitted int

	// VerifyURL and QR are where anyone can check the record (see
	// Certificate).
	VerifyURL string
	QR        *QR
	// Style is the issuer's brand.
	Style Style
	// Credential is the record as given; MediaType its media type.
	Credential []byte
	MediaType  string
}

// TranscriptEntry is one achievement of a transcript.
type TranscriptEntry struct {
	// Anchor is the entry's fragment id on the page ("a1", "a2", …),
	// which the associations link to.
	Anchor string
	// Title is the achievement's name; Type its type in words ("Course").
	Title, Type string
	// Issuer is who awarded it (the embedded credential's issuer), empty
	// for an achievement the record lists without a credential.
	Issuer string
	// Results are the learner's results, such as grades; Credits the
	// credits earned, formatted for Lang.
	Results []Result
	Credits string
	// Date is when it was awarded, DateText the same in Lang.
	Date     time.Time
	DateText string
	// Awarded is true for an embedded credential, false for an
	// achievement the record only lists.
	Awarded bool
}

// TranscriptAssociation is one relation between two achievements:
// "Statistics — is part of — Data Science". Source and Target are the
// achievements' names (their ids when the record does not hold them);
// SourceAnchor and TargetAnchor their entries' anchors, empty when not on
// the page.
type TranscriptAssociation struct {
	Source, Relation, Target   string
	SourceAnchor, TargetAnchor string
}

// IsTranscript reports whether credential is a Comprehensive Learner
// Record (its type names ClrCredential), which HTML shows as a
// transcript.
func IsTranscript(credential []byte) bool {
	p, err := parse(credential)
	return err == nil && has(strs(p.doc["type"]), "ClrCredential")
}

// Transcript reads what the page of a Comprehensive Learner Record shows
// (a JSON ClrCredential or a compact JWS holding one; no signature is
// checked), in the language opts, the record or the Config ask for. It
// fails with ErrCredential for anything else.
func (r *Renderer) Transcript(ctx context.Context, record []byte, opts *Options) (*Transcript, error) {
	p, err := parse(record)
	if err != nil {
		return nil, err
	}
	doc := p.doc
	if types := strs(doc["type"]); !has(types, "ClrCredential") {
		return nil, fmt.Errorf("%w: type %q is not a ClrCredential", ErrCredential, types)
	}
	subject := first(doc["credentialSubject"])
	content := firstNonEmpty(str(doc["inLanguage"]), contextLanguage(doc["@context"]))
	reader := ""
	if opts != nil {
		reader = opts.Lang
	}
	loc, _ := pickLocale(reader, content, r.cfg.Lang)
	b := &builder{r: r, ctx: ctx, loc: loc, content: content, want: loc.tag}
	if t, err := language.Parse(firstNonEmpty(reader, content, r.cfg.Lang)); err == nil {
		b.want = t
	}
	t := &Transcript{
		Lang: loc.tag.String(), Dir: loc.dir, Labels: loc.labels, Words: transcriptWords(loc),
		ID:          clip(str(doc["id"]), maxName),
		Title:       b.text(doc["name"], maxName),
		Description: b.text(doc["description"], maxText),
		Issuer:      b.party(doc["issuer"]),
		Partial:     doc["partial"] == true,
		Credential:  p.raw, MediaType: p.mediaType,
		Style: r.style,
	}
	if t.Title == "" {
		t.Title = t.Words.Transcript
	}
	t.Learner = b.learner(subject)
	if t.Learner == "" && opts != nil {
		t.Learner = clip(opts.Learner, maxName)
	}
	t.Issued = firstTime(doc["awardedDate"], doc["validFrom"], doc["issuanceDate"])
	t.ValidUntil = firstTime(doc["validUntil"], doc["expirationDate"])
	t.IssuedText, t.ValidUntilText = loc.formatDate(t.Issued), loc.formatDate(t.ValidUntil)

	names := map[string]string{}   // achievement id -> name
	anchors := map[string]string{} // achievement id -> anchor
	addEntry := func(e TranscriptEntry, id string) {
		e.Anchor = fmt.Sprintf("a%d", len(t.Entries)+1)
		t.Entries = append(t.Entries, e)
		if id != "" {
			if _, seen := names[id]; !seen {
				names[id], anchors[id] = e.Title, e.Anchor
			}
		}
	}
	for i, item := range anyList(subject["verifiableCredential"]) {
		if i >= credential.MaxClrCredentials {
			t.Omitted++
			continue
		}
		inner, ok := item.(obj)
		jwt, isJWT := item.(string) // a VCDM 1.1 record's VC-JWT
		if ok && has(strs(inner["type"]), "EnvelopedVerifiableCredential") {
			// VCDM 2.0's: a VC-JOSE JWT in a data: URL.
			jwt, isJWT = strings.CutPrefix(str(inner["id"]), "data:application/vc+jwt,")
			ok = false
		}
		if isJWT {
			if ip, err := parse([]byte(jwt)); err == nil {
				inner, ok = ip.doc, true
			}
		}
		if !ok {
			t.Omitted++
			continue
		}
		is := first(inner["credentialSubject"])
		a, _ := is["achievement"].(obj)
		if a == nil {
			t.Omitted++
			continue
		}
		e := TranscriptEntry{Awarded: true, Title: b.text(a["name"], maxName)}
		e.Type = b.achievementType(a)
		iss := b.party(inner["issuer"])
		e.Issuer = firstNonEmpty(iss.Name, iss.ID)
		e.Results = b.results(is, a)
		e.Credits = loc.formatNumber(clip(str(is["creditsEarned"]), 64))
		e.Date = firstTime(inner["awardedDate"], inner["validFrom"], inner["issuanceDate"])
		e.DateText = loc.formatDate(e.Date)
		addEntry(e, str(a["id"]))
	}
	for i, a := range list(subject["achievement"]) {
		if i >= credential.MaxClrCredentials {
			break
		}
		id := str(a["id"])
		if _, shown := names[id]; shown && id != "" {
			continue // awarded above
		}
		addEntry(TranscriptEntry{Title: b.text(a["name"], maxName), Type: b.achievementType(a)}, id)
	}
	for i, as := range list(subject["association"]) {
		if i >= credential.MaxClrCredentials {
			break
		}
		src, dst := str(as["sourceId"]), str(as["targetId"])
		ta := TranscriptAssociation{
			Source: firstNonEmpty(names[src], clip(src, maxName)), SourceAnchor: anchors[src],
			Target: firstNonEmpty(names[dst], clip(dst, maxName)), TargetAnchor: anchors[dst],
			Relation: firstNonEmpty(t.Words.Relations[str(as["associationType"])], clip(str(as["associationType"]), maxName)),
		}
		if ta.Source == "" || ta.Target == "" || ta.Relation == "" {
			continue
		}
		t.Associations = append(t.Associations, ta)
	}

	t.VerifyURL = r.verifyURL(t.ID)
	if t.VerifyURL != "" {
		if t.QR, err = NewQR(t.VerifyURL); err != nil {
			return nil, err
		}
	}
	if t.Style.Logo != nil {
		logo := *t.Style.Logo
		logo.Alt = fmt.Sprintf(loc.labels.LogoAlt, firstNonEmpty(t.Issuer.Name, t.Issuer.ID))
		t.Style.Logo = &logo
	}
	return t, nil
}

// achievementType is an achievement's type in words, in the reader's
// language when known.
func (b *builder) achievementType(a obj) string {
	t := str(a["achievementType"])
	if t == "" {
		return ""
	}
	return firstNonEmpty(b.loc.types[t], locales[0].types[t], clip(t, maxName))
}

// TranscriptHTML returns the page of a Comprehensive Learner Record: a
// self-contained, accessible HTML transcript (the learner, the issuer, a
// table of the achievements with their results and dates, the
// associations between them) carrying the record in a <script> element
// so that the saved page still verifies, like a certificate's page.
func (r *Renderer) TranscriptHTML(ctx context.Context, record []byte, opts *Options) ([]byte, error) {
	t, err := r.Transcript(ctx, record, opts)
	if err != nil {
		return nil, err
	}
	return r.TranscriptPage(t)
}

// TranscriptPage lays out a Transcript as an HTML page (see
// TranscriptHTML).
func (r *Renderer) TranscriptPage(t *Transcript) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(32 << 10)
	if err := transcriptTemplate.Execute(&buf, t); err != nil {
		return nil, fmt.Errorf("render: transcript.html: %w", err)
	}
	return buf.Bytes(), nil
}

// renderTranscript is Render for a Comprehensive Learner Record: the HTML
// form alone.
func (r *Renderer) renderTranscript(ctx context.Context, record []byte, forms Form, opts *Options) (*Rendered, error) {
	if forms&^FormHTML != 0 {
		return nil, fmt.Errorf("%w: a Comprehensive Learner Record is shown as an HTML transcript; it has no SVG or PDF form", ErrCredential)
	}
	out := &Rendered{}
	if forms&FormHTML != 0 {
		var err error
		if out.HTML, err = r.TranscriptHTML(ctx, record, opts); err != nil {
			return nil, err
		}
	}
	return out, nil
}
