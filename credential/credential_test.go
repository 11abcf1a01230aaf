package credential

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/golden")

// TestHashIdentitySpecExample is the spec's own example (OB 3.0 §B.7,
// IdentityHash): "a@example.com" salted with "Kosher".
func TestHashIdentitySpecExample(t *testing.T) {
	const want = "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399"
	if got := HashIdentity("a@example.com", "Kosher"); got != want {
		t.Fatalf("HashIdentity = %s, want %s", got, want)
	}
	o := IdentityObject{Type: "IdentityObject", Hashed: true, IdentityHash: want, IdentityType: IdentifierTypeEmailAddress, Salt: "Kosher"}
	for _, tt := range []struct {
		id   string
		want bool
	}{{"a@example.com", true}, {"A@example.com", false}, {"a@example.co", false}, {"", false}} {
		got, err := o.Match(tt.id)
		if err != nil || got != tt.want {
			t.Errorf("Match(%q) = %v, %v, want %v", tt.id, got, err, tt.want)
		}
	}
}

func TestMatch(t *testing.T) {
	tests := []struct {
		name string
		o    IdentityObject
		id   string
		want bool
		err  bool
	}{
		{"sha256 upper-case hex", IdentityObject{Hashed: true, Salt: "Kosher",
			IdentityHash: "sha256$B5809D8A92F8858436D7E6B87C12EBC0AE1EAC4BAECC2C0B913AEE2C922EF399"}, "a@example.com", true, false},
		// md5("a@example.comKosher"), computed with md5sum.
		{"md5", IdentityObject{Hashed: true, Salt: "Kosher", IdentityHash: "md5$ddd142639a792e74751ee7e129237efa"}, "a@example.com", true, false},
		{"md5 other", IdentityObject{Hashed: true, Salt: "Kosher", IdentityHash: "md5$ddd142639a792e74751ee7e129237efa"}, "b@example.com", false, false},
		{"no salt", IdentityObject{Hashed: true, IdentityHash: HashIdentity("x", "")}, "x", true, false},
		{"wrong salt", IdentityObject{Hashed: true, Salt: "pepper", IdentityHash: HashIdentity("x", "salt")}, "x", false, false},
		{"plain", IdentityObject{IdentityHash: "student@1edtech.edu", Salt: "not-used"}, "student@1edtech.edu", true, false},
		{"plain differs", IdentityObject{IdentityHash: "student@1edtech.edu"}, "student@1edtech.ed", false, false},
		{"sha1 refused", IdentityObject{Hashed: true, IdentityHash: "sha1$da39a3ee5e6b4b0d3255bfef95601890afd80709"}, "", false, true},
		{"no prefix", IdentityObject{Hashed: true, IdentityHash: "b5809d8a"}, "", false, true},
		{"not hex", IdentityObject{Hashed: true, IdentityHash: "sha256$zz"}, "", false, true},
		{"short digest", IdentityObject{Hashed: true, IdentityHash: "sha256$b580"}, "", false, true},
	}
	for _, tt := range tests {
		got, err := tt.o.Match(tt.id)
		if got != tt.want || (err != nil) != tt.err {
			t.Errorf("%s: Match = %v, %v; want %v, error %v", tt.name, got, err, tt.want, tt.err)
		}
		if err != nil && !errors.Is(err, ErrUnsupportedHash) {
			t.Errorf("%s: error %v is not ErrUnsupportedHash", tt.name, err)
		}
	}
}

func TestNewHashedIdentity(t *testing.T) {
	a := NewHashedIdentity(IdentifierTypeEmailAddress, "learner@example.edu")
	b := NewHashedIdentity(IdentifierTypeEmailAddress, "learner@example.edu")
	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(a.Salt) {
		t.Errorf("salt %q is not 16 random bytes in hex", a.Salt)
	}
	if a.Salt == b.Salt || a.IdentityHash == b.IdentityHash {
		t.Error("two identities share a salt")
	}
	if a.IdentityHash != HashIdentity("learner@example.edu", a.Salt) || !a.Hashed || a.Type != "IdentityObject" {
		t.Errorf("bad identity object %+v", a)
	}
	if ok, err := a.Match("learner@example.edu"); !ok || err != nil {
		t.Errorf("Match = %v, %v", ok, err)
	}
	if strings.Contains(string(mustMarshal(t, a)), "learner") {
		t.Error("the hashed identity reveals the identifier")
	}
	p := NewPlainIdentity(IdentifierTypeSourcedID, "42")
	if ok, _ := p.Match("42"); !ok || p.Hashed {
		t.Errorf("plain identity %+v", p)
	}
}

func mustMarshal(t testing.TB, v any) []byte {
	t.Helper()
	b, err := Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDateTime(t *testing.T) {
	tests := []struct {
		in   DateTime
		want time.Time
		err  string
	}{
		{"2010-01-01T00:00:00Z", time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC), ""},
		{"2021-09-07T02:09:59+02:00", time.Date(2021, 9, 7, 0, 9, 59, 0, time.UTC), ""},
		{"2024-03-01T12:00:00.123456Z", time.Date(2024, 3, 1, 12, 0, 0, 123456000, time.UTC), ""},
		{"2010-01-01T00:00:00", time.Time{}, "has no time zone"},
		{"2010-01-01", time.Time{}, "has no time zone"},
		{"2010-01-01t00:00:00Z", time.Time{}, "not an RFC 3339 date-time"},
		{"2010-02-30T00:00:00Z", time.Time{}, "not an RFC 3339 date-time"},
		{"2010-01-01T25:00:00Z", time.Time{}, "not an RFC 3339 date-time"},
		{"yesterday", time.Time{}, "has no time zone"},
		{"", time.Time{}, "empty"},
	}
	for _, tt := range tests {
		got, err := tt.in.Time()
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%q: err = %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("%q: %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	if got := NewDateTime(time.Date(2024, 5, 6, 7, 8, 9, 999, time.FixedZone("x", 3600))); got != "2024-05-06T07:08:09+01:00" {
		t.Errorf("NewDateTime = %s", got)
	}
	if got := NewDateTime(time.Date(2024, 5, 6, 7, 8, 9, 999, time.UTC)); got != "2024-05-06T07:08:09Z" {
		t.Errorf("NewDateTime = %s", got)
	}
	if _, err := Date("1990-04-01").Time(); err != nil {
		t.Error(err)
	}
	if _, err := Date("1990-4-1").Time(); err == nil {
		t.Error("Date accepted 1990-4-1")
	}
}

func TestEnumerations(t *testing.T) {
	tests := []struct {
		v    interface{ Valid() bool }
		want bool
	}{
		{AchievementTypeBadge, true},
		{AchievementType("ext:MyBadge"), true},
		{AchievementType("ext:my-badge_1.0"), true},
		{AchievementType("ext:"), false},
		{AchievementType("ext:has space"), false},
		{AchievementType("MyBadge"), false},
		{AchievementType("badge"), false},
		{AlignmentTargetCFItem, true},
		{AlignmentTargetType("ceasn:Competency"), true},
		{AlignmentTargetType("ext:Esco"), true},
		{AlignmentTargetType("CASE"), false},
		{ResultTypeLetterGrade, true},
		{ResultType("ext:Stars"), true},
		{ResultType("Stars"), false},
		{ResultStatusCompleted, true},
		{ResultStatusType("ext:Paused"), false}, // closed enumeration
		{ResultStatusType("completed"), false},
		{IdentifierTypeEmailAddress, true},
		{IdentifierType("ext:badgeId"), true},
		{IdentifierType("email"), false},
	}
	for _, tt := range tests {
		if got := tt.v.Valid(); got != tt.want {
			t.Errorf("%T(%v).Valid() = %v, want %v", tt.v, tt.v, got, tt.want)
		}
	}
}

func TestNewID(t *testing.T) {
	re := regexp.MustCompile(`^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for range 100 {
		id := NewID()
		if !re.MatchString(id) || seen[id] {
			t.Fatalf("NewID = %s", id)
		}
		seen[id] = true
	}
}

func testAward() Award {
	return Award{
		Issuer: &Profile{ID: "https://example.edu/issuers/565049", Name: "Example University",
			Image: &Image{ID: "https://example.edu/logo.png"}},
		Achievement: &Achievement{
			ID:              "https://example.edu/achievements/intro-go",
			AchievementType: AchievementTypeCourse,
			Name:            "Introduction to Go",
			Description:     "Completed the introductory Go course with a passing grade.",
			Criteria:        &Criteria{Narrative: "Pass every assignment and score at least 70% on the final exam."},
			ResultDescription: []ResultDescription{{
				ID: "https://example.edu/achievements/intro-go/final", Name: "Final exam",
				ResultType: ResultTypePercent, ValueMin: "0", ValueMax: "100", RequiredValue: "70",
			}},
		},
		Identifier: []IdentityObject{{Type: "IdentityObject", Hashed: true, Salt: "Kosher",
			IdentityHash: HashIdentity("a@example.com", "Kosher"), IdentityType: IdentifierTypeEmailAddress}},
		Results:   []Result{{ResultDescription: "https://example.edu/achievements/intro-go/final", Value: "87"}},
		Evidence:  []Evidence{{ID: "https://example.edu/submissions/1234", Name: "Final project"}},
		ID:        "urn:uuid:8d4c7c84-9a54-4c8e-9e0a-0f4a2f0b1c2d",
		ValidFrom: time.Date(2026, 11, 28, 12, 0, 0, 500, time.UTC),
	}
}

// TestNewAchievementCredential pins the whole credential the constructor
// builds (testdata/golden/award.json): contexts in order with
// extensions.json, types, credentialSchema, validFrom in whole seconds,
// types filled in every part, image as an object.
func TestNewAchievementCredential(t *testing.T) {
	c, err := NewAchievementCredential(testAward())
	if err != nil {
		t.Fatal(err)
	}
	got, err := MarshalIndent(c, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "testdata/golden/award.json", got)

	// Defaults: a fresh urn:uuid id, validFrom now, name from the achievement.
	a := testAward()
	a.ID, a.ValidFrom = "", time.Time{}
	before := time.Now().Truncate(time.Second)
	c, err = NewAchievementCredential(a)
	if err != nil {
		t.Fatal(err)
	}
	vf, err := c.ValidFrom.Time()
	if err != nil || vf.Before(before) || vf.After(time.Now()) {
		t.Errorf("validFrom = %s (%v), want now", c.ValidFrom, err)
	}
	if !strings.HasPrefix(c.ID, "urn:uuid:") || c.Name != "Introduction to Go" {
		t.Errorf("id %q, name %q", c.ID, c.Name)
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want := readFile(t, path)
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got); run go test -update after checking:\n%s", path, diff)
	}
}

func TestNewAchievementCredentialRefuses(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Award)
		msg    string
	}{
		{"no issuer", func(a *Award) { a.Issuer = nil }, "needs an Issuer"},
		{"no achievement", func(a *Award) { a.Achievement = nil }, "needs an Issuer and an Achievement"},
		{"no recipient", func(a *Award) { a.Identifier = nil }, "needs a RecipientID or an Identifier"},
		{"relative issuer id", func(a *Award) { a.Issuer.ID = "/issuers/1" }, "/issuer/id: id must be an absolute URI"},
		{"no criteria", func(a *Award) { a.Achievement.Criteria = nil }, "/credentialSubject/achievement/criteria: criteria is required"},
		{"bad achievement type", func(a *Award) { a.Achievement.AchievementType = "Trophy" }, `achievementType "Trophy" is neither`},
	}
	for _, tt := range tests {
		a := testAward()
		tt.change(&a)
		_, err := NewAchievementCredential(a)
		if err == nil || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.msg)
		}
	}
}

func TestFillDefaultsAddsExtensionsContext(t *testing.T) {
	c, err := NewAchievementCredential(testAward())
	if err != nil {
		t.Fatal(err)
	}
	// Without credentialSchema, no 1EdTech type is used.
	c.Context = ContextURLs(ContextVCDM20, ContextOB)
	c.CredentialSchema = nil
	c.FillDefaults()
	if diff := cmp.Diff([]string{ContextVCDM20, ContextOB}, c.Context.URLs()); diff != "" {
		t.Errorf("context (-want +got):\n%s", diff)
	}
	c.CredentialStatus = []CredentialStatus{{ID: "https://example.edu/revocations", Type: "1EdTechRevocationList"}}
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), `"1EdTechRevocationList" is defined only by`) {
		t.Errorf("Validate before FillDefaults: %v", err)
	}
	c.Context = append(c.Context, ContextEntry{URL: "https://example.com/my-extension.json"})
	c.FillDefaults()
	c.FillDefaults() // idempotent
	want := []string{ContextVCDM20, ContextOB, ContextOBExtensions, "https://example.com/my-extension.json"}
	if diff := cmp.Diff(want, c.Context.URLs()); diff != "" {
		t.Errorf("context (-want +got):\n%s", diff)
	}
	if err := c.Validate(); err != nil {
		t.Error(err)
	}
}

func TestNewEndorsementCredential(t *testing.T) {
	e, err := NewEndorsementCredential(&Profile{ID: "did:example:endorser", Name: "Accrediting Body"},
		"https://example.edu/achievements/intro-go", "Endorsement of Introduction to Go", "A rigorous course.")
	if err != nil {
		t.Fatal(err)
	}
	if !e.Type.Has("EndorsementCredential") || !e.CredentialSubject.Type.Has("EndorsementSubject") ||
		!e.Issuer.Type.Has("Profile") || !e.Context.Has(ContextOBExtensions) || e.Raw != nil {
		t.Errorf("endorsement %+v", e)
	}
	if _, err := NewEndorsementCredential(nil, "x", "n", "c"); err == nil {
		t.Error("no endorser accepted")
	}
	if _, err := NewEndorsementCredential(&Profile{ID: "did:example:e"}, "", "n", "c"); err == nil ||
		!strings.Contains(err.Error(), "/credentialSubject/id: id is required") {
		t.Errorf("no subject: %v", err)
	}
	// A freshly built endorsement has no Raw, so embedding and encoding it
	// writes its fields.
	c, err := NewAchievementCredential(testAward())
	if err != nil {
		t.Fatal(err)
	}
	c.Endorsement = []EndorsementCredential{*e}
	if _, err := Marshal(c); err != nil {
		t.Error(err)
	}
}

// TestRules: each rule fires on the fault it names, with the message a
// person needs, and only there.
func TestRules(t *testing.T) {
	tests := []struct {
		name   string
		change func(*AchievementCredential)
		want   []Problem
	}{
		{"valid", func(*AchievementCredential) {}, nil},
		{"validFrom without zone", func(c *AchievementCredential) { c.ValidFrom = "2024-01-01T00:00:00" },
			[]Problem{{"/validFrom", "datetime", `validFrom: date-time "2024-01-01T00:00:00" has no time zone`, 0}}},
		{"validUntil not a date", func(c *AchievementCredential) { c.ValidUntil = "soon" },
			[]Problem{{"/validUntil", "datetime", `validUntil: date-time "soon" has no time zone`, 0}}},
		{"relative id", func(c *AchievementCredential) { c.ID = "credentials/1" },
			[]Problem{{"/id", "uri", `id must be an absolute URI (with a scheme, such as https: or urn:), got "credentials/1"`, 0}}},
		{"no subject id", func(c *AchievementCredential) { c.CredentialSubject.ID, c.CredentialSubject.Identifier = "", nil },
			[]Problem{{"/credentialSubject/id", "subject-id", "credentialSubject needs an id or at least one identifier", 0}}},
		{"criteria empty", func(c *AchievementCredential) { c.CredentialSubject.Achievement.Criteria = &Criteria{} },
			[]Problem{{"/credentialSubject/achievement/criteria/id", "criteria", "criteria needs an id (a page describing them) or a narrative", 0}}},
		{"criteria by id", func(c *AchievementCredential) {
			c.CredentialSubject.Achievement.Criteria = &Criteria{ID: "https://example.edu/criteria"}
		}, nil},
		{"inLanguage", func(c *AchievementCredential) { c.CredentialSubject.Achievement.InLanguage = "english" },
			[]Problem{{"/credentialSubject/achievement/inLanguage", "language", `inLanguage must be a language code such as en, de-CH or pt-BR, got "english"`, 0}}},
		{"inLanguage ok", func(c *AchievementCredential) { c.CredentialSubject.Achievement.InLanguage = "pt-BR" }, nil},
		{"ext achievementType", func(c *AchievementCredential) { c.CredentialSubject.Achievement.AchievementType = "ext:Hackathon" }, nil},
		{"ext result status", func(c *AchievementCredential) { c.CredentialSubject.Result[0].Status = "ext:Paused" },
			[]Problem{{"/credentialSubject/result/0/status", "enum", `status "ext:Paused" is not one of "Completed", "Enrolled", "Failed", "InProgress", "OnHold", "Provisional", "Withdrew"`, 0}}},
		{"result type missing", func(c *AchievementCredential) { c.CredentialSubject.Result[0].Type = nil },
			[]Problem{{"/credentialSubject/result/0/type", "type", `type must include "Result", got none`, 0}}},
		{"image type", func(c *AchievementCredential) { c.Issuer.Image.Type = "Picture" },
			[]Problem{{"/issuer/image/type", "type", `type must be "Image", got "Picture"`, 0}}},
		{"image as bare URI", func(c *AchievementCredential) { c.Issuer.Image = &Image{ID: "https://example.edu/i.png"} }, nil},
		{"issuer as bare URI", func(c *AchievementCredential) { c.Issuer = &Profile{ID: "did:example:issuer"} }, nil},
		{"issuer object without type", func(c *AchievementCredential) { c.Issuer.Type = nil },
			[]Problem{{"/issuer/type", "type", `type must include "Profile", got none`, 0}}},
		{"endorsementJwt", func(c *AchievementCredential) { c.EndorsementJwt = []string{"not.a.jws!"} },
			[]Problem{{"/endorsementJwt/0", "jws", "endorsementJwt entries must be compact JWS strings (header.payload.signature) whose header names a signature algorithm", 0}}},
		{"endorsementJwt alg none", func(c *AchievementCredential) {
			c.EndorsementJwt = []string{"eyJhbGciOiJub25lIn0.eyJ4IjoxfQ.c2ln"} // {"alg":"none"}
		}, []Problem{{"/endorsementJwt/0", "jws", "endorsementJwt entries must be compact JWS strings (header.payload.signature) whose header names a signature algorithm", 0}}},
		{"endorsementJwt ok", func(c *AchievementCredential) {
			c.EndorsementJwt = []string{"eyJhbGciOiJFUzI1NiJ9.eyJ4IjoxfQ.c2ln"} // {"alg":"ES256"}
		}, nil},
		{"email", func(c *AchievementCredential) { c.Issuer.Email = "registrar at example.edu" },
			[]Problem{{"/issuer/email", "email", `"registrar at example.edu" is not an email address`, 0}}},
		{"country code", func(c *AchievementCredential) {
			c.Issuer.Address = &Address{Type: Types{"Address"}, AddressCountryCode: "Germany"}
		}, []Problem{{"/issuer/address/addressCountryCode", "country-code", `"Germany" is not an ISO 3166-1 alpha-2 country code such as DE or US`, 0}}},
		{"geo", func(c *AchievementCredential) {
			c.Issuer.Address = &Address{Type: Types{"Address"}, Geo: &GeoCoordinates{Type: "GeoCoordinates", Latitude: "91", Longitude: "-180"}}
		}, []Problem{{"/issuer/address/geo/latitude", "coordinates", `latitude must be a number of degrees in range, got "91"`, 0}}},
		{"hashed identity malformed", func(c *AchievementCredential) { c.CredentialSubject.Identifier[0].IdentityHash = "sha256$abc" },
			[]Problem{{"/credentialSubject/identifier/0/identityHash", "identity-hash", "a hashed identityHash must be sha256$ followed by 64 hex digits, or md5$ followed by 32", 0}}},
		{"dateOfBirth", func(c *AchievementCredential) { c.Issuer.DateOfBirth = "01/04/1990" },
			[]Problem{{"/issuer/dateOfBirth", "date", `dateOfBirth must be a date such as 1990-04-01, got "01/04/1990"`, 0}}},
		{"context order", func(c *AchievementCredential) { c.Context[0], c.Context[1] = c.Context[1], c.Context[0] },
			[]Problem{{"/@context", "context", "@context must begin with https://www.w3.org/ns/credentials/v2 then https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json, got " +
				`"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json", "https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"`, 0}}},
		{"mixed versions", func(c *AchievementCredential) { c.IssuanceDate = "2024-01-01T00:00:00Z" },
			[]Problem{{"/@context", "version", "document mixes VCDM 1.1 and VCDM 2.0: issuanceDate is VCDM 1.1; VCDM 2.0 uses validFrom", 0}}},
		{"VCDM 1.1 needs issuanceDate", func(c *AchievementCredential) {
			c.Context[0] = ContextEntry{URL: ContextVCDM11}
		}, []Problem{{"/issuanceDate", "required", "issuanceDate is required", 0}}},
		{"not an open badge", func(c *AchievementCredential) { c.Type = Types{"VerifiableCredential"} },
			[]Problem{{"/type", "type", `type must include "VerifiableCredential" and "AchievementCredential" or "OpenBadgeCredential", got "VerifiableCredential"`, 0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewAchievementCredential(testAward())
			if err != nil {
				t.Fatal(err)
			}
			tt.change(c)
			var got []Problem
			if err := c.Validate(); err != nil {
				var ve *ValidationError
				if !errors.As(err, &ve) {
					t.Fatal(err)
				}
				got = ve.Problems
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			if _, ok := Rules[firstRule(got)]; len(got) > 0 && !ok {
				t.Errorf("rule %q is not listed in Rules", firstRule(got))
			}
		})
	}
}

func firstRule(ps []Problem) string {
	if len(ps) == 0 {
		return ""
	}
	return ps[0].Rule
}

func TestValidationErrorMessage(t *testing.T) {
	one := &ValidationError{Problems: []Problem{{Pointer: "/id", Rule: "required", Message: "id is required"}}}
	if got := one.Error(); got != "credential: /id: id is required [required]" {
		t.Errorf("one: %q", got)
	}
	two := &ValidationError{Problems: []Problem{{Pointer: "", Rule: "x", Message: "m"}, {Pointer: "/a", Rule: "y", Message: "n", Severity: SeverityWarning}}}
	if got := two.Error(); got != "credential: 2 problems, the first: /: m [x]" {
		t.Errorf("two: %q", got)
	}
	if got := two.Problems[1].String(); got != "warning: /a: n [y]" {
		t.Errorf("warning: %q", got)
	}
}

func TestUnmarshalJSONWorksToo(t *testing.T) {
	var c AchievementCredential
	if err := json.Unmarshal([]byte(minimal), &c); err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Error(err)
	}
}
