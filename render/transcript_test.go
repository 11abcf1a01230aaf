package render

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/bake"
	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/internal/forgerytest"
	"github.com/go-openbadges/openbadges/verify"
)

// course is a credential of a transcript made for the tests: a course
// with a letter grade and credits, awarded on a date.
type course struct {
	id, name, grade string
	credits         string
	awarded         time.Time
}

// clrRecord returns a CLR of Ada Lovelace's courses, issued and signed by
// the did:web victim of package forgerytest (the identifiers institutions
// use), each course a credential it signed too; edit changes the record
// before it is signed.
func clrRecord(t testing.TB, edit func(*credential.ClrCredential), courses ...course) []byte {
	t.Helper()
	issuer := &credential.Profile{ID: forgerytest.VictimDID, Name: "Example University", URL: "https://example.edu"}
	learner := []credential.IdentityObject{{IdentityType: credential.IdentifierTypeName, IdentityHash: "Ada Lovelace"}}
	var raws []json.RawMessage
	for _, c := range courses {
		a, err := credential.NewAchievementCredential(credential.Award{
			Issuer: issuer,
			Achievement: &credential.Achievement{
				ID: c.id, Name: c.name, Description: "The course " + c.name + ".",
				AchievementType: credential.AchievementTypeCourse,
				Criteria:        &credential.Criteria{Narrative: "Pass the course."},
				ResultDescription: []credential.ResultDescription{{
					ID: c.id + "#grade", Name: "Final grade", ResultType: credential.ResultTypeLetterGrade,
				}},
			},
			RecipientID: "did:example:ada",
			Identifier:  learner,
			Results:     []credential.Result{{ResultDescription: c.id + "#grade", Value: c.grade}},
			ValidFrom:   c.awarded,
		})
		if err != nil {
			t.Fatal(err)
		}
		a.CredentialSubject.CreditsEarned = json.Number(c.credits)
		b, err := credential.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		raws = append(raws, forgerytest.SignDI(t, forgerytest.VictimKey(), forgerytest.VictimDID+"#key-1", b))
	}
	r, err := credential.NewClrCredential(credential.LearnerRecord{
		Issuer: issuer, LearnerID: "did:example:ada", Identifier: learner,
		Name: "Transcript of Ada Lovelace", Credentials: raws, Partial: true,
		ID: "https://example.edu/records/ada",
		Achievements: []credential.Achievement{{
			ID: "https://example.edu/programs/math", Name: "Mathematics (BSc)", Description: "The mathematics programme.",
			AchievementType: credential.AchievementTypeBachelorDegree, Criteria: &credential.Criteria{Narrative: "All courses."},
		}},
		Associations: []credential.Association{
			{AssociationType: credential.AssociationIsPartOf, SourceID: "https://example.edu/courses/analysis", TargetID: "https://example.edu/programs/math"},
			{AssociationType: credential.AssociationPrecedes, SourceID: "https://example.edu/courses/analysis", TargetID: "https://example.edu/courses/engines"},
		},
		ValidFrom: time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC),
	})
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(r)
	}
	b, err := credential.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return forgerytest.SignDI(t, forgerytest.VictimKey(), forgerytest.VictimDID+"#key-1", b)
}

var adaCourses = []course{
	{"https://example.edu/courses/analysis", "Analysis", "A", "6", time.Date(2025, 7, 1, 9, 0, 0, 0, time.UTC)},
	{"https://example.edu/courses/engines", "Analytical Engines", "A-", "4.5", time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)},
}

// TestTranscript reads a record made here into a Transcript: the
// learner by name (never the DID), one entry per course with its grade,
// credits and date, the programme the record lists, the associations in
// words linking to the entries; in each language.
func TestTranscript(t *testing.T) {
	rec := clrRecord(t, nil, adaCourses...)
	r := newRenderer(t, Config{VerifyURL: "https://verify.example.edu/?id={id}"})
	tr, err := r.Transcript(context.Background(), rec, nil)
	if err != nil {
		t.Fatal(err)
	}
	type entry struct{ Title, Type, Issuer, Results, Credits, Date string }
	var got []entry
	for _, e := range tr.Entries {
		var rs []string
		for _, x := range e.Results {
			rs = append(rs, x.Name+"="+x.Value)
		}
		got = append(got, entry{e.Title, e.Type, e.Issuer, strings.Join(rs, ","), e.Credits, e.DateText})
	}
	want := []entry{
		{"Analysis", "Course", "Example University", "Final grade=A", "6", "1 July 2025"},
		{"Analytical Engines", "Course", "Example University", "Final grade=A-", "4.5", "15 January 2026"},
		{"Mathematics (BSc)", "Bachelor's degree", "", "", "", ""},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("entries (-want +got):\n%s", d)
	}
	wantAssoc := []TranscriptAssociation{
		{Source: "Analysis", Relation: "is part of", Target: "Mathematics (BSc)", SourceAnchor: "a1", TargetAnchor: "a3"},
		{Source: "Analysis", Relation: "comes before", Target: "Analytical Engines", SourceAnchor: "a1", TargetAnchor: "a2"},
	}
	if d := cmp.Diff(wantAssoc, tr.Associations); d != "" {
		t.Errorf("associations (-want +got):\n%s", d)
	}
	if tr.Learner != "Ada Lovelace" || tr.Title != "Transcript of Ada Lovelace" || !tr.Partial || tr.IssuedText != "30 June 2026" ||
		tr.VerifyURL != "https://verify.example.edu/?id=https%3A%2F%2Fexample.edu%2Frecords%2Fada" || tr.QR == nil {
		t.Errorf("transcript: %+v", tr)
	}

	for _, tc := range []struct{ lang, dir, title, relation, date string }{
		{"en", "ltr", "Comprehensive Learner Record", "is part of", "1 July 2025"},
		{"es", "ltr", "Expediente académico completo", "forma parte de", "1 de julio de 2025"},
		{"fr", "ltr", "Relevé complet des acquis", "fait partie de", "1er juillet 2025"},
		{"de", "ltr", "Umfassender Leistungsnachweis", "ist Teil von", "1. Juli 2025"},
		{"ar", "rtl", "السجل الشامل للمتعلم", "جزء من", ""},
		{"zh", "ltr", "综合学习记录", "是以下内容的一部分：", "2025年7月1日"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			tr, err := r.Transcript(context.Background(), rec, &Options{Lang: tc.lang})
			if err != nil {
				t.Fatal(err)
			}
			if tr.Lang != tc.lang || tr.Dir != tc.dir || tr.Words.Transcript != tc.title || tr.Associations[0].Relation != tc.relation {
				t.Errorf("%s: lang %s dir %s, %q, %q", tc.lang, tr.Lang, tr.Dir, tr.Words.Transcript, tr.Associations[0].Relation)
			}
			if tc.date != "" && tr.Entries[0].DateText != tc.date {
				t.Errorf("%s: date %q, want %q", tc.lang, tr.Entries[0].DateText, tc.date)
			}
			if len(tr.Words.Relations) != len(credential.AssociationTypes) {
				t.Errorf("%s: %d relations in words, want one per association type", tc.lang, len(tr.Words.Relations))
			}
			for _, a := range credential.AssociationTypes {
				if tr.Words.Relations[string(a)] == "" {
					t.Errorf("%s: no words for %s", tc.lang, a)
				}
			}
		})
	}
}

// TestTranscriptPage: the page shows the record, never the learner's DID,
// escapes hostile text, and carries the record so that, saved, it still
// verifies; the embedded credentials verify too.
func TestTranscriptPage(t *testing.T) {
	r := newRenderer(t, Config{})
	rec := clrRecord(t, func(c *credential.ClrCredential) {
		c.Description = hostile
		c.CredentialSubject.Achievement[0].Name = hostile
	}, adaCourses...)
	page, err := r.HTML(context.Background(), rec, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<html lang="en" dir="ltr">`, "Ada Lovelace", "Analytical Engines", "Final grade: A-",
		`<a href="#a1">Analysis</a>`, "comes before", `<th scope="col">`, `<th scope="row" dir="auto">Analysis</th>`,
		"This record holds only part of the learner&#39;s achievements.", `<time datetime="2026-01-15T09:00:00Z">15 January 2026</time>`} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	visible := string(page[:strings.Index(string(page), `<script type=`)])
	for _, never := range []string{"did:example:ada", "<script>window.pwned", `onerror="window`} {
		if strings.Contains(visible, never) {
			t.Errorf("the page shows %q", never)
		}
	}
	ex, err := bake.Extract(page, nil)
	if err != nil {
		t.Fatal(err)
	}
	rep := verifyBytes(t, ex.Credential)
	if !rep.Verified || rep.Class != verify.ClassClr || len(rep.Credentials) != 2 || !rep.Credentials[0].Verified || !rep.Credentials[1].Verified {
		t.Errorf("the record saved with the page does not verify:\n%s", rep)
	}
}

// TestTranscriptFixtures renders the 1EdTech validator's CLR fixtures
// (testdata/clr20, see its README): their achievements and
// associations are read as written there.
func TestTranscriptFixtures(t *testing.T) {
	r := newRenderer(t, Config{})
	for _, tc := range []struct {
		file    string
		entries []string
		assoc   int
	}{
		{"testdata/clr20/simple.json", []string{"Teamwork", "Achievement 1", "Achievement 2"}, 1},
		{"testdata/clr20/vector-clr-credential-signed.json", []string{"Achievement 1", "Achievement 2"}, 1},
		{"testdata/clr20/complex.json", nil, 5},
		{"testdata/clr20/simple.jwt", []string{"Achievement 1", "Achievement 2"}, 1},
	} {
		t.Run(tc.file, func(t *testing.T) {
			b, err := os.ReadFile(tc.file)
			if err != nil {
				t.Fatal(err)
			}
			tr, err := r.Transcript(context.Background(), b, nil)
			if err != nil {
				t.Fatal(err)
			}
			var titles []string
			for _, e := range tr.Entries {
				titles = append(titles, e.Title)
			}
			if tc.entries != nil {
				if d := cmp.Diff(tc.entries, titles); d != "" {
					t.Errorf("entries (-want +got):\n%s", d)
				}
			} else if len(titles) != 6 {
				t.Errorf("%d entries, want the 6 credentials: %q", len(titles), titles)
			}
			if len(tr.Associations) != tc.assoc {
				t.Errorf("%d associations, want %d", len(tr.Associations), tc.assoc)
			}
			if _, err := r.TranscriptPage(tr); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestTranscriptEnveloped: a credential embedded as a VC-JOSE JWT in an
// EnvelopedVerifiableCredential is shown like one embedded as JSON.
func TestTranscriptEnveloped(t *testing.T) {
	rec := clrRecord(t, func(c *credential.ClrCredential) {
		inner := c.CredentialSubject.VerifiableCredential[1]
		jwt := forgerytest.SignJWT(t, forgerytest.VictimKey(), forgerytest.VictimDID+"#key-1", inner)
		c.CredentialSubject.VerifiableCredential[1] = json.RawMessage(`{"@context":["https://www.w3.org/ns/credentials/v2"],"id":"data:application/vc+jwt,` + string(jwt) + `","type":"EnvelopedVerifiableCredential"}`)
	}, adaCourses...)
	tr, err := newRenderer(t, Config{}).Transcript(context.Background(), rec, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Entries) != 3 || tr.Entries[1].Title != "Analytical Engines" || tr.Entries[1].Results[0].Value != "A-" || tr.Omitted != 0 {
		t.Errorf("entries %+v, %d omitted", tr.Entries, tr.Omitted)
	}
}

// TestTranscriptRender: Render gives a record its HTML form, the
// transcript, and refuses the certificate forms it does not have.
func TestTranscriptRender(t *testing.T) {
	r := newRenderer(t, Config{})
	rec := clrRecord(t, nil, adaCourses...)
	doc, err := r.Render(context.Background(), rec, FormHTML, nil)
	if err != nil || doc.Certificate != nil || !strings.Contains(string(doc.HTML), "Comprehensive Learner Record") {
		t.Errorf("Render(FormHTML): %v, certificate %v", err, doc)
	}
	for _, f := range []Form{FormSVG, FormHTML | FormPDF} {
		if _, err := r.Render(context.Background(), rec, f, nil); !errors.Is(err, ErrCredential) || !strings.Contains(err.Error(), "no SVG or PDF form") {
			t.Errorf("Render(%d): %v, want ErrCredential", f, err)
		}
	}
}

func TestTranscriptNotAClr(t *testing.T) {
	r := newRenderer(t, Config{})
	if _, err := r.Transcript(context.Background(), signed(t, nil), nil); !errors.Is(err, ErrCredential) {
		t.Errorf("an OpenBadgeCredential as a transcript: %v, want ErrCredential", err)
	}
	if IsTranscript(signed(t, nil)) || !IsTranscript(clrRecord(t, nil, adaCourses[0])) {
		t.Error("IsTranscript is wrong")
	}
}
