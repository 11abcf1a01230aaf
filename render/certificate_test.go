package render

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// credentialWith returns sampleFull changed by edit, as JSON.
func credentialWith(t testing.TB, edit func(doc obj)) []byte {
	t.Helper()
	doc, err := decodeObject(sampleFull)
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(doc)
	}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// subjectOf and achievementOf reach into a decoded credential.
func subjectOf(doc obj) obj     { return doc["credentialSubject"].(obj) }
func achievementOf(doc obj) obj { return subjectOf(doc)["achievement"].(obj) }

func newRenderer(t testing.TB, cfg Config) *Renderer {
	t.Helper()
	r, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestCertificate(t *testing.T) {
	date := func(s string) time.Time {
		d, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	en := locales[0].labels
	full := &Certificate{
		Kind: KindAchievement, Lang: "en", Dir: "ltr", Labels: en,
		ID:    "https://example.edu/credentials/3732",
		Title: "Teamwork", Description: "Works well with others.", AchievementType: "Certificate",
		Criteria: "Complete the team project.", CriteriaURL: "https://example.edu/achievements/1/criteria",
		Learner: "Ada Lovelace",
		Results: []Result{{Name: "Grade", Value: "A"}, {Name: "Results", Value: "Completed"}},
		Credits: "3.5",
		Evidence: []Evidence{{Name: "Project", Description: "The final project.",
			URL: "https://example.edu/evidence/1"}},
		Skills: []string{"Collaboration"},
		Issuer: Party{Name: "Example University", URL: "https://example.edu", ID: "https://example.edu/issuers/565049",
			Image: &Image{Alt: "Logo of Example University", Type: "image/png"}},
		Image:  &Image{Alt: "The Teamwork badge", Type: "image/png"},
		Issued: date("2025-12-20T00:00:00Z"), IssuedText: "20 December 2025",
		ValidFrom: date("2026-01-01T00:00:00Z"), ValidFromText: "1 January 2026",
		ValidUntil: date("2030-01-01T00:00:00Z"), ValidUntilText: "1 January 2030",
		VerifyURL: "https://example.edu/credentials/3732",
		Share: Share{
			Text:     "I earned Teamwork from Example University. https://example.edu/credentials/3732",
			LinkedIn: "https://www.linkedin.com/profile/add?certId=https%3A%2F%2Fexample.edu%2Fcredentials%2F3732&certUrl=https%3A%2F%2Fexample.edu%2Fcredentials%2F3732&expirationMonth=1&expirationYear=2030&issueMonth=12&issueYear=2025&name=Teamwork&organizationName=Example+University&startTask=CERTIFICATION_NAME",
		},
		Style:     Style{Primary: defaultPrimary, Accent: defaultAccent, Font: defaultFont},
		MediaType: "application/vc+ld+json",
	}
	with := func(edit func(c *Certificate)) *Certificate {
		c := *full
		c.Labels = full.Labels
		edit(&c)
		return &c
	}
	tests := []struct {
		name string
		cfg  Config
		opts *Options
		cred []byte
		want *Certificate
	}{
		{name: "english, everything", cred: sampleFull, want: full},
		{
			name: "french asked by the reader", opts: &Options{Lang: "fr-CA"}, cred: sampleFull,
			want: with(func(c *Certificate) {
				c.Lang, c.Labels = "fr", locales[2].labels
				c.ContentLang, c.ContentDir = "", ""
				c.AchievementType = "Certificat"
				c.Results = []Result{{Name: "Grade", Value: "A"}, {Name: "Résultats", Value: "Terminé"}}
				c.Credits = "3,5"
				c.Issuer.Image = &Image{Alt: "Logo de Example University", Type: "image/png"}
				c.IssuedText, c.ValidFromText, c.ValidUntilText = "20 décembre 2025", "1er janvier 2026", "1er janvier 2030"
				c.Share.Text = "J’ai obtenu Teamwork délivré par Example University. https://example.edu/credentials/3732"
			}),
		},
		{
			name: "arabic from the credential's inLanguage", cred: credentialWith(t, func(d obj) {
				a := achievementOf(d)
				a["inLanguage"] = "ar"
				a["name"] = "العمل الجماعي"
			}),
			want: with(func(c *Certificate) {
				c.Lang, c.Dir, c.Labels = "ar", "rtl", locales[4].labels
				c.Title = "العمل الجماعي"
				c.AchievementType = "شهادة"
				c.Results = []Result{{Name: "Grade", Value: "A"}, {Name: "النتائج", Value: "مكتمل"}}
				c.Credits = "٣٫٥"
				c.Issuer.Image = &Image{Alt: "شعار Example University", Type: "image/png"}
				c.Image = &Image{Alt: "The Teamwork badge", Type: "image/png"}
				c.IssuedText, c.ValidFromText, c.ValidUntilText = "٢٠ ديسمبر ٢٠٢٥", "١ يناير ٢٠٢٦", "١ يناير ٢٠٣٠"
				c.Share.Text = "حصلت على العمل الجماعي من Example University. https://example.edu/credentials/3732"
				c.Share.LinkedIn = strings.Replace(full.Share.LinkedIn, "name=Teamwork", "name=%D8%A7%D9%84%D8%B9%D9%85%D9%84+%D8%A7%D9%84%D8%AC%D9%85%D8%A7%D8%B9%D9%8A", 1)
			}),
		},
		{
			name: "chinese, multilingual name as value objects", opts: &Options{Lang: "zh-Hans-CN"},
			cred: credentialWith(t, func(d obj) {
				a := achievementOf(d)
				a["name"] = []any{
					obj{"@value": "Teamwork", "@language": "en"},
					obj{"@value": "团队合作", "@language": "zh"},
					obj{"@value": "Travail d’équipe", "@language": "fr"},
				}
				a["description"] = obj{"en": "Works well with others.", "zh": "善于与他人合作。"}
			}),
			want: with(func(c *Certificate) {
				c.Lang, c.Labels = "zh", locales[5].labels
				c.Title, c.Description = "团队合作", "善于与他人合作。"
				c.AchievementType = "证书"
				c.Results = []Result{{Name: "Grade", Value: "A"}, {Name: "成绩", Value: "已完成"}}
				c.Issuer.Image = &Image{Alt: "Example University的标志", Type: "image/png"}
				c.IssuedText, c.ValidFromText, c.ValidUntilText = "2025年12月20日", "2026年1月1日", "2030年1月1日"
				c.Share.Text = "我获得了Example University颁发的团队合作。 https://example.edu/credentials/3732"
				c.Share.LinkedIn = strings.Replace(full.Share.LinkedIn, "name=Teamwork", "name=%E5%9B%A2%E9%98%9F%E5%90%88%E4%BD%9C", 1)
			}),
		},
		{
			name: "german labels, french title marked as such", opts: &Options{Lang: "de"},
			cred: credentialWith(t, func(d obj) {
				achievementOf(d)["name"] = []any{obj{"@value": "Travail d’équipe", "@language": "fr"}}
			}),
			want: with(func(c *Certificate) {
				c.Lang, c.Labels = "de", locales[3].labels
				c.Title, c.ContentLang, c.ContentDir = "Travail d’équipe", "fr", "ltr"
				c.AchievementType = "Zertifikat"
				c.Results = []Result{{Name: "Grade", Value: "A"}, {Name: "Ergebnisse", Value: "Abgeschlossen"}}
				c.Credits = "3,5"
				c.Issuer.Image = &Image{Alt: "Logo von Example University", Type: "image/png"}
				c.IssuedText, c.ValidFromText, c.ValidUntilText = "20. Dezember 2025", "1. Januar 2026", "1. Januar 2030"
				c.Share.Text = "Ich habe Travail d’équipe von Example University erhalten. https://example.edu/credentials/3732"
				c.Share.LinkedIn = strings.Replace(full.Share.LinkedIn, "name=Teamwork", "name=Travail+d%E2%80%99%C3%A9quipe", 1)
			}),
		},
		{
			name: "hashed email: no learner shown, issuer's verify page", cfg: Config{VerifyURL: "https://verify.example.edu/?id={id}"},
			cred: credentialWith(t, func(d obj) {
				s := subjectOf(d)
				s["id"] = "did:example:learner"
				s["identifier"] = []any{obj{"type": "IdentityObject", "hashed": true, "identityType": "emailAddress",
					"identityHash": "sha256$0fc5f5e2a6c0f8b0f1a7a2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7", "salt": "s"}}
				s["email"] = "ada@example.com"
			}),
			want: with(func(c *Certificate) {
				c.Learner = ""
				c.VerifyURL = "https://verify.example.edu/?id=https%3A%2F%2Fexample.edu%2Fcredentials%2F3732"
				c.Share.Text = "I earned Teamwork from Example University. " + c.VerifyURL
				c.Share.LinkedIn = strings.Replace(full.Share.LinkedIn, "certUrl=https%3A%2F%2Fexample.edu%2Fcredentials%2F3732",
					"certUrl=https%3A%2F%2Fverify.example.edu%2F%3Fid%3Dhttps%253A%252F%252Fexample.edu%252Fcredentials%252F3732", 1)
			}),
		},
		{
			name: "verify URL without a placeholder; urn id", cfg: Config{VerifyURL: "https://verify.example.edu/check?src=cert"},
			cred: credentialWith(t, func(d obj) { d["id"] = "urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002" }),
			want: with(func(c *Certificate) {
				c.ID = "urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002"
				c.VerifyURL = "https://verify.example.edu/check?src=cert&id=urn%3Auuid%3A91537dba-56cb-11ec-bf63-0242ac130002"
				c.Share.Text = "I earned Teamwork from Example University. " + c.VerifyURL
				c.Share.LinkedIn = "https://www.linkedin.com/profile/add?certId=urn%3Auuid%3A91537dba-56cb-11ec-bf63-0242ac130002&certUrl=https%3A%2F%2Fverify.example.edu%2Fcheck%3Fsrc%3Dcert%26id%3Durn%253Auuid%253A91537dba-56cb-11ec-bf63-0242ac130002&expirationMonth=1&expirationYear=2030&issueMonth=12&issueYear=2025&name=Teamwork&organizationName=Example+University&startTask=CERTIFICATION_NAME"
			}),
		},
		{
			name: "a compact JWS: the vc claim is shown", cred: jws(t, `{"iss":"https://example.edu/issuers/565049","vc":`+string(sampleFull)+`}`),
			want: with(func(c *Certificate) { c.MediaType = "application/vc+jwt" }),
		},
		{
			name: "an endorsement", cred: []byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],
				"id":"urn:uuid:e1","type":["VerifiableCredential","EndorsementCredential"],"name":"Endorsement of Teamwork",
				"issuer":{"id":"https://guild.example.org","type":["Profile"],"name":"The Guild"},"validFrom":"2026-02-03T10:00:00Z",
				"credentialSubject":{"id":"https://example.edu/achievements/1","type":["EndorsementSubject"],"endorsementComment":"A fine badge."}}`),
			want: &Certificate{
				Kind: KindEndorsement, Lang: "en", Dir: "ltr", Labels: en, ID: "urn:uuid:e1",
				Title:       "Endorsement of Teamwork",
				Endorsement: &Endorsement{About: "https://example.edu/achievements/1", Comment: "A fine badge."},
				Issuer:      Party{Name: "The Guild", ID: "https://guild.example.org"},
				Issued:      date("2026-02-03T10:00:00Z"), IssuedText: "3 February 2026",
				ValidFrom: date("2026-02-03T10:00:00Z"),
				Share:     Share{Text: "I earned Endorsement of Teamwork from The Guild."},
				Style:     full.Style, MediaType: "application/vc+ld+json",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRenderer(t, tt.cfg)
			got, err := r.Certificate(context.Background(), tt.cred, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			want := *tt.want
			want.Credential = got.Credential
			if want.VerifyURL != "" && got.QR != nil {
				want.QR = got.QR
				if got.QR.Text != want.VerifyURL {
					t.Errorf("QR encodes %q, want %q", got.QR.Text, want.VerifyURL)
				}
			}
			if diff := cmp.Diff(&want, got, cmpopts.IgnoreFields(Image{}, "Src", "Data")); diff != "" {
				t.Errorf("certificate (-want +got):\n%s", diff)
			}
			if string(got.Credential) != strings.TrimSpace(string(tt.cred)) {
				t.Errorf("the credential to embed is not the one given")
			}
		})
	}
}

// jws returns a compact JWS with payload and a dummy signature: rendering
// does not check it.
func jws(t testing.TB, payload string) []byte {
	t.Helper()
	enc := base64.RawURLEncoding.EncodeToString
	return []byte(enc([]byte(`{"alg":"EdDSA"}`)) + "." + enc([]byte(payload)) + "." + enc([]byte("sig")))
}

func TestCertificateRefuses(t *testing.T) {
	tests := []struct {
		name string
		cred string
	}{
		{"empty", ""},
		{"not JSON", "hello"},
		{"JSON array", `[1]`},
		{"two objects", `{} {}`},
		{"a plain VerifiableCredential", `{"type":["VerifiableCredential"],"credentialSubject":{}}`},
		{"a JWS with a bad payload", "a.b!.c"},
		{"too large", `{"x":"` + strings.Repeat("a", MaxCredentialBytes) + `"}`},
	}
	r := newRenderer(t, Config{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := r.Certificate(context.Background(), []byte(tt.cred), nil)
			if !errors.Is(err, ErrCredential) {
				t.Errorf("err = %v, want ErrCredential", err)
			}
		})
	}
}

func TestDates(t *testing.T) {
	d := time.Date(2026, 3, 1, 23, 30, 0, 0, time.FixedZone("x", -5*3600)) // 2 March in UTC
	want := map[string]string{
		"en": "2 March 2026", "es": "2 de marzo de 2026", "fr": "2 mars 2026",
		"de": "2. März 2026", "ar": "٢ مارس ٢٠٢٦", "zh": "2026年3月2日",
	}
	got := map[string]string{}
	for _, l := range locales {
		got[l.tag.String()] = l.formatDate(d)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("dates (-want +got):\n%s", diff)
	}
}

func TestNumbers(t *testing.T) {
	tests := []struct{ lang, in, want string }{
		{"en", "1234.5", "1,234.5"}, {"de", "1234.5", "1.234,5"}, {"fr", "3.50", "3,50"},
		{"es", "12", "12"}, {"ar", "3.5", "٣٫٥"}, {"zh", "3.5", "3.5"},
		{"en", "three", "three"}, {"en", "", ""}, {"en", "1e3", "1,000"},
	}
	for _, tt := range tests {
		l, _ := pickLocale(tt.lang)
		if got := l.formatNumber(tt.in); got != tt.want {
			t.Errorf("%s %q = %q, want %q", tt.lang, tt.in, got, tt.want)
		}
	}
}

func TestPickLocale(t *testing.T) {
	tests := []struct {
		wants []string
		want  string
		ok    bool
	}{
		{[]string{"es-MX"}, "es", true}, {[]string{"", "ar-EG"}, "ar", true},
		{[]string{"zh-Hant-TW"}, "zh", true}, {[]string{"not a tag", "de-AT"}, "de", true},
		{[]string{"ja"}, "en", false}, {nil, "en", false},
	}
	for _, tt := range tests {
		l, ok := pickLocale(tt.wants...)
		if l.tag.String() != tt.want || ok != tt.ok {
			t.Errorf("pickLocale(%q) = %s %v, want %s %v", tt.wants, l.tag, ok, tt.want, tt.ok)
		}
	}
}

func TestClip(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"eleven chars", 10, "eleven ch…"},
		{"a\x00b\x1bc\td\u0085e", 100, "abc\tde"},
		{"bad \xff utf8", 100, "bad \uFFFD utf8"},
		{"\u202eevil", 100, "\u202eevil\u202c"},
		{"\u2067x\u202by", 100, "\u2067x\u202by\u202c\u2069"},
		{"\u2067x\u202by\u2069", 100, "\u2067x\u202by\u2069"},
		{"\u202ex\u202c", 100, "\u202ex\u202c"},
	}
	for _, tt := range tests {
		if got := clip(tt.in, tt.max); got != tt.want {
			t.Errorf("clip(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
}

func TestWrap(t *testing.T) {
	tests := []struct {
		in       string
		width, n int
		want     []string
	}{
		{"", 10, 2, []string{""}},
		{"one two three", 7, 3, []string{"one two", "three"}},
		{"one two three four", 7, 2, []string{"one two", "three…"}},
		{"abcdefghij", 4, 2, []string{"abcd", "efg…"}},
		{"团队合作团队", 4, 3, []string{"团队", "合作", "团队"}},
		{strings.Repeat("x", 10000), 10, 1, []string{"xxxxxxxxx…"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, wrap(tt.in, tt.width, tt.n)); diff != "" {
			t.Errorf("wrap(%.20q, %d, %d) (-want +got):\n%s", tt.in, tt.width, tt.n, diff)
		}
	}
}

func TestAutoDir(t *testing.T) {
	for in, want := range map[string]string{
		"": "ltr", "Teamwork": "ltr", "العمل": "rtl", "123 العمل": "rtl", "« שלום »": "rtl",
		"2026 Teamwork العمل": "ltr", "团队": "ltr",
	} {
		if got := autoDir(in); got != want {
			t.Errorf("autoDir(%q) = %s, want %s", in, got, want)
		}
	}
}
