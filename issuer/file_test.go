package issuer

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/go-openbadges/openbadges/status"
)

func TestParseConfig(t *testing.T) {
	good := `{
  "comment": "for people",
  "issuer": {"id": "did:web:example.edu", "type": ["Profile"], "name": "Example University"},
  "keyStore": "keys", "formats": "both", "validity": "8760h", "database": "sqlite:issuer.db",
  "status": {"bitstring": "https://example.edu/status/1"},
  "achievements": [
    {"comment": "an example",
     "achievement": {"id": "https://example.edu/a", "type": ["Achievement"], "name": "A", "description": "B", "criteria": {"narrative": "C"},
       "resultDescription": [{"id": "https://example.edu/a/final", "type": ["ResultDescription"], "name": "Final", "resultType": "Percent", "valueMin": "0", "valueMax": "100"}]},
     "criteria": {"completion": true, "minScore": {"resultDescription": "https://example.edu/a/final", "min": "70"}, "reviewFrom": "60"}},
    {"achievement": {"id": "https://example.edu/none", "type": ["Achievement"], "name": "N", "description": "N", "criteria": {"narrative": "N"}}}
  ]
}`
	fc, err := ParseConfig([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	p, err := fc.Profile()
	if err != nil || p.ID != "did:web:example.edu" || p.Name != "Example University" {
		t.Fatalf("profile %+v, %v", p, err)
	}
	f, v, err := fc.Settings()
	if err != nil || f != FormatBoth || v != 8760*time.Hour {
		t.Fatalf("settings %v %v %v", f, v, err)
	}
	awards, err := fc.Awards()
	if err != nil || len(awards) != 2 || awards[1].Evaluator != nil {
		t.Fatalf("awards %+v, %v", awards, err)
	}
	// The criteria decide as written: 87 awards, 65 goes to a person, 40
	// is denied, and not completing is denied.
	for _, tt := range []struct {
		score     string
		completed bool
		want      Verdict
	}{{"87", true, Award}, {"65", true, Review}, {"40", true, Deny}, {"87", false, Deny}} {
		s := &Submission{AchievementID: "https://example.edu/a", Completed: tt.completed,
			Scores: []Score{{ResultDescription: "https://example.edu/a/final", Value: tt.score}}}
		d, err := awards[0].Evaluator.Evaluate(context.Background(), s, awards[0].Achievement)
		if err != nil || d.Verdict != tt.want {
			t.Errorf("score %s completed %v: %v %v, want %v", tt.score, tt.completed, d.Verdict, err, tt.want)
		}
	}
}

func TestParseConfigRefuses(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"not JSON", `{`, "unexpected EOF"},
		{"a misspelt member", `{"issuer": "did:web:x", "achievements": [], "reviewfrom": "60"}`, `unknown member "reviewfrom"`},
		{"a misspelt criterion", `{"issuer": "did:web:x", "achievements": [{"achievement": {}, "criteria": {"minimumScore": {}}}]}`, `unknown member "minimumScore"`},
		{"no issuer", `{"achievements": []}`, "issuer is required"},
		{"two documents", `{"issuer": "did:web:x"} {}`, "text after the configuration"},
		{"too large", `{"issuer": "` + strings.Repeat("x", MaxConfigBytes) + `"}`, "more than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfig([]byte(tt.in))
			if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want ErrConfig with %q", err, tt.want)
			}
		})
	}
	fc, _ := ParseConfig([]byte(`{"issuer": "did:web:x", "formats": "pdf", "achievements": []}`))
	if _, _, err := fc.Settings(); !errors.Is(err, ErrConfig) {
		t.Errorf("formats pdf: %v", err)
	}
	fc, _ = ParseConfig([]byte(`{"issuer": "did:web:x", "validity": "-1h", "achievements": []}`))
	if _, _, err := fc.Settings(); !errors.Is(err, ErrConfig) {
		t.Errorf("validity -1h: %v", err)
	}
}

// FuzzParseConfig: any file is parsed or refused with ErrConfig, never a
// panic, and what parses gives awards or an ErrConfig.
func FuzzParseConfig(f *testing.F) {
	f.Add([]byte(`{"issuer": "did:web:x", "achievements": [{"achievement": {"id": "https://x/a"}, "criteria": {"completion": true, "evidence": {"count": 1}}}]}`))
	f.Add([]byte(`{"issuer": {"id": "https://x/i"}, "formats": "jwt", "validity": "1h", "status": {"bitstring": "https://x/s/1"}, "achievements": []}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fc, err := ParseConfig(data)
		if err != nil {
			if !errors.Is(err, ErrConfig) {
				t.Fatalf("not ErrConfig: %v", err)
			}
			return
		}
		if _, err := fc.Awards(); err != nil && !errors.Is(err, ErrConfig) {
			t.Fatalf("awards: not ErrConfig: %v", err)
		}
		_, _, _ = fc.Settings()
		_, _ = fc.Profile()
	})
}

// TestFileStatusConfig: the configuration's status section makes its list
// on first use with the purpose it names, and refuses a list that exists
// with another purpose or method, or settings that cannot work.
func TestFileStatusConfig(t *testing.T) {
	ctx := context.Background()
	const url = "https://example.edu/status/1"
	store := &status.MemoryStore{}
	for _, tc := range []struct {
		name, section string
		want          status.Purpose
		err           string
	}{
		{"none", ``, "", ""},
		{"revocation by default", `"status": {"bitstring": "` + url + `"}`, status.Revocation, ""},
		{"the same list again", `"status": {"bitstring": "` + url + `", "purpose": "revocation"}`, status.Revocation, ""},
		{"another purpose", `"status": {"bitstring": "` + url + `", "purpose": "suspension"}`, "", "it is a BitstringStatusList list of purpose revocation, and the configuration asks for suspension"},
		{"a suspension list", `"status": {"bitstring": "https://example.edu/status/s", "purpose": "suspension"}`, status.Suspension, ""},
		{"unknown purpose", `"status": {"bitstring": "` + url + `", "purpose": "message"}`, "", `status.purpose "message": want revocation or suspension`},
		{"both lists", `"status": {"bitstring": "` + url + `", "revocationList": "https://example.edu/rl"}`, "", "are both set"},
		{"1EdTech cannot suspend", `"status": {"revocationList": "https://example.edu/rl", "purpose": "suspension"}`, "", "a 1EdTech revocation list can only revoke"},
		{"the bitstring URL as a 1EdTech list", `"status": {"revocationList": "` + url + `"}`, "", "it is a BitstringStatusList list"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := `{"issuer": "did:web:example.edu", "achievements": []`
			if tc.section != "" {
				doc += ", " + tc.section
			}
			fc, err := ParseConfig([]byte(doc + "}"))
			if err != nil {
				t.Fatal(err)
			}
			sc, err := fc.StatusConfig(ctx, store)
			if tc.err != "" {
				if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want ErrConfig saying %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.want == "" {
				if sc.Registry != nil {
					t.Fatal("a registry without a status section")
				}
				return
			}
			l, err := store.Load(ctx, sc.Bitstring)
			if err != nil || l.Purpose != tc.want {
				t.Fatalf("list %+v, %v; want purpose %s", l, err, tc.want)
			}
		})
	}
}
