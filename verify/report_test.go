package verify

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/credential"
)

// detailTypes is, for each check, the types its Details may hold in a
// Report from Verify: what Check.Details documents.
var detailTypes = map[string][]any{
	CheckJSONLD:           {&SafeModeDetail{}, &InlineContextDetail{}},
	CheckSchema:           {[]ProblemDetail{}},
	CheckRules:            {[]ProblemDetail{}},
	CheckCredentialSchema: {[]CredentialSchemaDetail{}},
	CheckProof:            {[]ProofDetail{}, []OB20KeyDetail{}, &OB20HostedDetail{}},
	CheckBadge:            {&BadgeDetail{}},
	CheckHolder:           {&HolderDetail{}},
	CheckChallenge:        {&ChallengeDetail{}},
	CheckRefresh:          {&RefreshDetail{}},
	CheckStatus:           {[]StatusDetail{}, &RevocationDetail{}},
	CheckValidity:         {&ValidityDetail{}},
	CheckInput:            nil,
	CheckContext:          nil,
	CheckIssuer:           nil,
	CheckRecipient:        nil,
	CheckEndorsements:     nil,
	CheckCredentials:      nil,
}

// jsonKeys lists the JSON keys of the struct type t, each followed by "?"
// when it is left out when empty, and by the keys of the struct it holds.
func jsonKeys(t reflect.Type) string {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	var keys []string
	for f := range t.Fields() {
		tag := f.Tag.Get("json")
		if !f.IsExported() || tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		if strings.Contains(opts, "omitempty") || strings.Contains(opts, "omitzero") {
			name += "?"
		}
		keys = append(keys, name)
	}
	slices.Sort(keys)
	return strings.Join(keys, " ")
}

// TestReportKeys pins the keys of a report's JSON encoding: the report's,
// a check's, a fetched document's, the summary's, and for each check the
// keys of each type its details may hold. A change here that removes or
// renames a key, or changes what a value means, is a new ReportVersion;
// adding a key is not. UPDATE_GOLDEN=1 rewrites the golden file.
func TestReportKeys(t *testing.T) {
	var b strings.Builder
	fmt.Fprintf(&b, "reportVersion %d\n", ReportVersion)
	for _, v := range []any{Report{}, Check{}, Fetched{}, Summary{}} {
		fmt.Fprintf(&b, "%T: %s\n", v, jsonKeys(reflect.TypeOf(v)))
	}
	ids := slices.Sorted(func(yield func(string) bool) {
		for id := range detailTypes {
			if !yield(id) {
				return
			}
		}
	})
	for _, id := range ids {
		if len(detailTypes[id]) == 0 {
			fmt.Fprintf(&b, "details %s: none\n", id)
		}
		for _, v := range detailTypes[id] {
			fmt.Fprintf(&b, "details %s %T: %s\n", id, v, jsonKeys(reflect.TypeOf(v)))
		}
	}
	const golden = "testdata/report-keys.golden"
	if os.Getenv("UPDATE_GOLDEN") != "" {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if d := cmp.Diff(string(mustRead(t, golden)), b.String()); d != "" {
		t.Errorf("the report's keys changed (-%s +now); removing or renaming a key is a new ReportVersion:\n%s", golden, d)
	}
}

// TestReportDetailTypes verifies every kind of input the testdata holds
// (OB 3.0 credentials, CLR 2.0 records, Open Badges 2.0 assertions signed
// and hosted, presentations) and checks that each check's details is of a type
// detailTypes lists for it, that each report carries ReportVersion, and
// that its JSON encoding has no key TestReportKeys does not pin. Every
// detail type must be seen at least once.
func TestReportDetailTypes(t *testing.T) {
	ctx := context.Background()
	type input struct {
		name string
		in   []byte
		tr   Trust
		p    Policy
	}
	var inputs []input
	docs := issuerDocuments(t)
	ob30, _ := filepath.Glob("testdata/ob30/*.json")
	clr, _ := filepath.Glob("testdata/clr20/*.json")
	for _, f := range append(ob30, clr...) {
		inputs = append(inputs, input{f, mustRead(t, f), Trust{Documents: docs}, Policy{Now: t2026}})
	}
	for _, dir := range []string{"jose", "hosted"} {
		m := ob20Map(t, dir)
		files, _ := filepath.Glob("testdata/ob20/" + dir + "/*.j*")
		for _, f := range files {
			if strings.HasSuffix(f, "offline-map.json") {
				continue
			}
			inputs = append(inputs, input{f, mustRead(t, f), Trust{Documents: m}, Policy{Now: t2017}})
		}
	}
	is, holder := newIssuer(t, 1), newIssuer(t, 3)
	inputs = append(inputs,
		input{"vp+jwt", mustVPJWT(t, holder, holder.did, is.signJWT(t, is.award(t, nil))), Trust{}, Policy{Now: t2026, Challenge: "c-1"}},
		input{"inline context", []byte(`{"@context":["https://www.w3.org/ns/credentials/v2",{"x":"https://example.org/` + strings.Repeat("x", 70<<10) + `"}],"type":["VerifiableCredential","AchievementCredential"]}`), Trust{}, Policy{Now: t2026}},
	)
	seen := map[string]bool{}
	var walk func(name string, rep *Report)
	walk = func(name string, rep *Report) {
		if rep.ReportVersion != ReportVersion {
			t.Errorf("%s: reportVersion %d, want %d", name, rep.ReportVersion, ReportVersion)
		}
		for _, c := range rep.Checks {
			want, known := detailTypes[c.ID]
			if !known {
				t.Errorf("%s: check %q is not in detailTypes", name, c.ID)
			}
			if c.Details == nil {
				continue
			}
			got := reflect.TypeOf(c.Details)
			if !slices.ContainsFunc(want, func(w any) bool { return reflect.TypeOf(w) == got }) {
				t.Errorf("%s: check %s has details of type %v, not one of %T", name, c.ID, got, want)
			}
			seen[fmt.Sprintf("%s %v", c.ID, got)] = true
			if r, ok := c.Details.(*RefreshDetail); ok && r.Report != nil {
				walk(name+" refreshed", r.Report)
			}
		}
		for i, e := range rep.Endorsements {
			walk(fmt.Sprintf("%s endorsement %d", name, i), e)
		}
		for i, c := range rep.Credentials {
			walk(fmt.Sprintf("%s credential %d", name, i), c)
		}
	}
	for _, in := range inputs {
		rep, err := Verify(ctx, in.in, &in.tr, &in.p)
		if err != nil {
			t.Errorf("%s: %v", in.name, err)
			continue
		}
		walk(in.name, rep)
		b, err := json.Marshal(rep)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		if m["reportVersion"] != float64(ReportVersion) {
			t.Errorf("%s: JSON reportVersion %v", in.name, m["reportVersion"])
		}
	}
	for id, types := range detailTypes {
		for _, v := range types {
			if k := fmt.Sprintf("%s %T", id, v); !seen[k] {
				t.Errorf("no input gave check details %s", k)
			}
		}
	}
}

// TestSummary checks the display summary of each kind of credential:
// OB 3.0 with a Data Integrity proof and as a VC-JWT, an Open Badges 2.0
// assertion (names from its BadgeClass and its issuer's Profile as
// published), a presentation's credentials; that it never holds an email
// address or an identity hash; and that its text and images are bounded.
func TestSummary(t *testing.T) {
	ctx := context.Background()
	is, holder := newIssuer(t, 1), newIssuer(t, 3)
	named := func(c *credential.AchievementCredential) {
		c.Name = "Statistics\u202e badge"
		c.AwardedDate = credential.DateTime(t2025.Format(time.RFC3339))
		c.CredentialSubject.Achievement.Image = &credential.Image{ID: "https://example.edu/stats.png", Type: "Image"}
		c.CredentialSubject.Identifier = append(c.CredentialSubject.Identifier, credential.IdentityObject{Type: "IdentityObject", IdentityType: credential.IdentifierTypeName, IdentityHash: "Ada Lovelace"})
	}
	ob3 := &Summary{
		Name: "Statistics badge", IssuerName: "Example College", AchievementName: "Statistics",
		AchievementImage: "https://example.edu/stats.png", RecipientName: "Ada Lovelace",
		ValidFrom: t2025, ValidUntil: t2027, AwardedDate: t2025,
	}
	cred := is.award(t, named)
	long := is.award(t, func(c *credential.AchievementCredential) {
		c.CredentialSubject.Achievement.Name = strings.Repeat("ab\x01", 200)
		c.CredentialSubject.Achievement.Image = &credential.Image{ID: "javascript:alert(1)", Type: "Image"}
		c.CredentialSubject.Identifier = append(c.CredentialSubject.Identifier, credential.NewHashedIdentity(credential.IdentifierTypeName, "Ada Lovelace"))
	})
	ob20Spec := &Summary{
		Name: "Awesome Robotics Badge", IssuerName: "An Example Badge Issuer", AchievementName: "Awesome Robotics Badge",
		AchievementImage: "https://example.org/robotics-badge.png",
		ValidFrom:        time.Date(2016, 12, 31, 23, 59, 59, 0, time.UTC),
	}
	for _, tc := range []struct {
		name string
		in   []byte
		tr   Trust
		p    Policy
		want *Summary
	}{
		{"OB 3.0, Data Integrity", is.signDI(t, cred), Trust{}, Policy{Now: t2026}, ob3},
		{"OB 3.0, VC-JWT", is.signJWT(t, cred), Trust{}, Policy{Now: t2026}, ob3},
		{"bounded", is.signDI(t, long), Trust{}, Policy{Now: t2026}, &Summary{
			Name: "Statistics", IssuerName: "Example College",
			AchievementName: strings.Repeat("ab ", 85) + "a…",
			ValidFrom:       t2025, ValidUntil: t2027,
		}},
		{"subject name", is.signDI(t, is.award(t, func(c *credential.AchievementCredential) {
			c.CredentialSubject.Extra = map[string]json.RawMessage{"name": json.RawMessage(`"Grace\n\tHopper "`)}
		})), Trust{}, Policy{Now: t2026}, &Summary{
			Name: "Statistics", IssuerName: "Example College", AchievementName: "Statistics", RecipientName: "Grace Hopper",
			ValidFrom: t2025, ValidUntil: t2027,
		}},
		{"VCDM 1.1 JWT, its dates in nbf and exp", jwt11(t, is, `{"@context":["https://www.w3.org/2018/credentials/v1"],"type":["VerifiableCredential"],"issuer":{"id":"`+is.did+`","name":"Old College"},"name":"Legacy","credentialSubject":{"id":"did:example:subject"}}`, `"nbf":1735689600,"exp":1798761600`), Trust{}, Policy{Now: t2026, VCOnly: true}, &Summary{
			Name: "Legacy", IssuerName: "Old College", ValidFrom: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), ValidUntil: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),
		}},
		{"OB 2.0, signed", mustRead(t, "testdata/ob20/jose/spec-rs256.jws"), Trust{Documents: ob20Map(t, "jose")}, Policy{Now: t2017}, ob20Spec},
		{"presentation", mustVPJWT(t, holder, holder.did, is.signJWT(t, cred)), Trust{}, Policy{Now: t2026}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := Verify(ctx, tc.in, &tc.tr, &tc.p)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, rep.Summary); d != "" {
				t.Errorf("summary (-want +got):\n%s\n%s", d, rep)
			}
			if tc.name == "presentation" {
				if len(rep.Credentials) != 1 {
					t.Fatalf("%d credentials", len(rep.Credentials))
				}
				if d := cmp.Diff(ob3, rep.Credentials[0].Summary); d != "" {
					t.Errorf("the credential's summary (-want +got):\n%s", d)
				}
			}
			b, _ := json.Marshal(rep.Summary)
			for _, leak := range []string{"ada@example.org", "sha256$", "mailto:", "did:example:ada"} {
				if strings.Contains(string(b), leak) {
					t.Errorf("the summary holds %q: %s", leak, b)
				}
			}
		})
	}
}

// jwt11 signs a VCDM 1.1 JWT whose vc claim is vc, with claims added to
// iss.
func jwt11(t *testing.T, is *issuer, vc, claims string) []byte {
	t.Helper()
	b64 := base64.RawURLEncoding.EncodeToString
	in := b64([]byte(`{"alg":"EdDSA","typ":"JWT","kid":"`+is.vm+`"}`)) + "." + b64([]byte(`{"iss":"`+is.did+`",`+claims+`,"vc":`+vc+`}`))
	return []byte(in + "." + b64(ed25519.Sign(is.key, []byte(in))))
}

func TestImageURL(t *testing.T) {
	big := "data:image/png;base64," + strings.Repeat("A", maxSummaryImage)
	for in, want := range map[string]string{
		"https://example.org/a.png":            "https://example.org/a.png",
		"HTTPS://example.org/a.png":            "HTTPS://example.org/a.png",
		"http://example.org/a.png":             "",
		"javascript:alert(1)":                  "",
		"data:image/png;base64,iVBOR":          "data:image/png;base64,iVBOR",
		"data:image/svg+xml,<svg/>":            "data:image/svg+xml,<svg/>",
		"data:text/html,<script>":              "",
		"data:image/pngx;base64,AA":            "",
		big:                                    "",
		"https://example.org/a b.png":          "",
		"https://":                             "",
		"https:///a.png":                       "",
		"https://example.org:x/a.png":          "",
		"https://example.org/" + "x\u202e":     "",
		"https://" + strings.Repeat("x", 3000): "",
	} {
		if got := imageURL(in); got != want {
			t.Errorf("imageURL(%.40q) = %.40q, want %.40q", in, got, want)
		}
	}
}
