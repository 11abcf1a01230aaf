package verify

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzVerify feeds arbitrary inputs to Verify, with the test issuers'
// documents: it must never panic, every report must list all thirteen
// checks (an Open Badges 2.0 or 1.x report, its own ten), and a verified
// report must have a proof check that passed or
// warned and nothing undecided (the zero Policy accepts no unknown
// status).
func FuzzVerify(f *testing.F) {
	for _, p := range []string{
		"testdata/ob30/simple.json",
		"testdata/ob30/simple.jwt",
		"testdata/ob30/simple-jwt.svg",
		"testdata/ob30/complete.json",
	} {
		f.Add(mustRead(f, p))
	}
	v, err := New(Trust{MaxBytes: 256 << 10, Documents: issuerDocuments(f)})
	if err != nil {
		f.Fatal(err)
	}
	p := &Policy{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	f.Fuzz(func(t *testing.T, input []byte) {
		rep, err := v.Verify(context.Background(), input, p)
		if err != nil {
			return
		}
		want := 13
		if strings.HasPrefix(rep.Version, "OB ") {
			want = len(ob20Checks)
		}
		if len(rep.Checks) != want {
			t.Fatalf("%d checks", len(rep.Checks))
		}
		if p := rep.Check(CheckProof); rep.Verified && (p == nil || p.Outcome != Passed && p.Outcome != Warning) {
			t.Fatalf("verified without a proof: %s", rep)
		}
		if rep.Verified && (rep.Inconclusive || len(rep.Failed()) > 0) {
			t.Fatalf("verified with a check failed or undecided: %s", rep)
		}
		checkSummary(t, rep.Summary)
	})
}

// checkSummary fails unless s keeps the bounds Summary documents: text of
// at most maxSummaryText characters (and a "…"), with no control or
// bidirectional formatting character, and images that are https URLs or
// data: URLs of images within maxSummaryImage bytes.
func checkSummary(t *testing.T, s *Summary) {
	t.Helper()
	if s == nil {
		return
	}
	for _, text := range []string{s.Name, s.IssuerName, s.AchievementName, s.RecipientName} {
		if n := utf8.RuneCountInString(text); n > maxSummaryText+1 || !utf8.ValidString(text) {
			t.Fatalf("summary text of %d characters: %.80q", n, text)
		}
		if strings.ContainsFunc(text, func(c rune) bool { return c != ' ' && unsafeRune(c) }) {
			t.Fatalf("summary text with a control character: %.80q", text)
		}
	}
	if img := s.AchievementImage; img != "" && !strings.HasPrefix(strings.ToLower(img), "https://") && (!strings.HasPrefix(strings.ToLower(img), "data:image/") || len(img) > maxSummaryImage) {
		t.Fatalf("summary image %.80q", img)
	}
}
