package schema

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// sharedValidator is built once: compiling every schema takes a while.
var sharedValidator = sync.OnceValues(func() (*Validator, error) {
	return NewValidator(ValidatorOptions{})
})

func validator(t testing.TB) *Validator {
	t.Helper()
	v, err := sharedValidator()
	if err != nil {
		t.Fatalf("NewValidator: %v", err)
	}
	return v
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestValidateSpecExamples(t *testing.T) {
	v := validator(t)
	achievement := []string{
		"basic-openbadgecredential.json",
		"complete-openbadgecredential.json",
		"achievement-alignment-case.json",
		"achievement-alignment-credential-engine.json",
		"skill-assertion-case.json",
		"skill-assertion-credential-engine.json",
		"docformat-sample-openbadgecredential.json",
		"equality-sample-credential-a.json",
		"equality-sample-credential-b.json",
		"equality-sample-credential-c.json",
		"equality-sample-credential-d.json",
	}
	achievementURLs := []string{
		AchievementCredentialSchemaURL,
		"https://purl.imsglobal.org/spec/ob/v3p0/schema/json-ld/ob_v3p0_achievementcredential_schema.json",
		"https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential-jsonschema1.json",
	}
	for _, name := range achievement {
		data := readFile(t, filepath.Join("testdata/spec", name))
		for _, u := range achievementURLs {
			if err := v.Validate(u, data); err != nil {
				t.Errorf("%s against %s: %v", name, u, err)
			}
		}
		// An AchievementCredential is not an EndorsementCredential.
		if err := v.Validate(EndorsementCredentialSchemaURL, data); err == nil {
			t.Errorf("%s passes the endorsement schema", name)
		}
	}
	endorsement := readFile(t, "testdata/spec/endorsementcredential.json")
	for _, u := range []string{
		EndorsementCredentialSchemaURL,
		"https://purl.imsglobal.org/spec/ob/v3p0/schema/json-ld/ob_v3p0_endorsementcredential_schema.json",
		"https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_endorsementcredential-jsonschema1.json",
	} {
		if err := v.Validate(u, endorsement); err != nil {
			t.Errorf("endorsementcredential.json against %s: %v", u, err)
		}
	}
	if err := v.Validate(AchievementCredentialSchemaURL, endorsement); err == nil {
		t.Errorf("endorsementcredential.json passes the achievement schema")
	}
}

// TestEverySchemaURL checks that every URL naming an embedded schema is
// accepted, that it is the right schema, and that problems point into it.
func TestEverySchemaURL(t *testing.T) {
	v := validator(t)
	basic := readFile(t, "testdata/spec/basic-openbadgecredential.json")
	valid := map[string]string{
		"achievementcredential":           string(basic),
		"endorsementcredential":           string(readFile(t, "testdata/spec/endorsementcredential.json")),
		"profile":                         `{"id": "https://example.com/issuers/876543", "type": ["Profile"], "name": "Example Corp"}`,
		"getopenbadgecredentialsresponse": `{"credential": [` + string(basic) + `], "compactJwsString": []}`,
		"imsx_statusinfo":                 `{"imsx_codeMajor": "success", "imsx_severity": "status"}`,
		"clrcredential":                   string(readFile(t, "testdata/eddsa-rdfc-2022/clr-credential-unsigned.json")),
	}
	var want []string
	for _, f := range Files() {
		if f.Kind != KindSchema {
			continue
		}
		want = append(want, f.URL)
		var family string
		for k := range valid {
			if strings.Contains(f.URL, "ob_v3p0_"+k+"_") || strings.Contains(f.URL, "ob_v3p0_"+k+"-") || strings.Contains(f.URL, "clr_v2p0_"+k+"_") {
				family = k
			}
		}
		if family == "" {
			t.Fatalf("no test document for %s", f.URL)
		}
		if err := v.Validate(f.URL, []byte(valid[family])); err != nil {
			t.Errorf("valid %s document against %s: %v", family, f.URL, err)
		}
		err := v.Validate(f.URL, []byte(`42`))
		var ve *ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("Validate(%s, 42) = %v, want *ValidationError", f.URL, err)
		}
		// Aliases share the schema compiled at the first URL of the file.
		compiledAt := f.URL
		for _, g := range Files() {
			if g.Name == f.Name {
				compiledAt = g.URL
				break
			}
		}
		wantProblems := []Problem{{Pointer: "", Keyword: "type", SchemaLocation: compiledAt + "#/type", Message: "(root): want an object, got a number"}}
		if diff := cmp.Diff(wantProblems, ve.Problems); diff != "" {
			t.Errorf("Validate(%s, 42) problems (-want +got):\n%s", f.URL, diff)
		}
		if ve.SchemaURL != f.URL {
			t.Errorf("ValidationError.SchemaURL = %q, want %q", ve.SchemaURL, f.URL)
		}
	}
	if diff := cmp.Diff(want, v.URLs(), cmpSorted); diff != "" {
		t.Errorf("URLs() (-want +got):\n%s", diff)
	}
	// The purl URLs are exported.
	for _, u := range []string{AchievementCredentialSchemaURL, EndorsementCredentialSchemaURL, ProfileSchemaURL, GetOpenBadgeCredentialsResponseSchemaURL, IMSXStatusInfoSchemaURL, ClrCredentialSchemaURL} {
		if _, err := v.schema(context.Background(), u); err != nil {
			t.Errorf("%s does not compile: %v", u, err)
		}
	}
}

var cmpSorted = cmp.Transformer("sort", func(s []string) []string { return slices.Sorted(slices.Values(s)) })

// edit returns basic-openbadgecredential.json changed by fn.
func edit(t testing.TB, fn func(doc map[string]any)) []byte {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(readFile(t, "testdata/spec/basic-openbadgecredential.json"), &doc); err != nil {
		t.Fatal(err)
	}
	fn(doc)
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func obj(v any) map[string]any { return v.(map[string]any) }

func TestValidateProblems(t *testing.T) {
	const ac = AchievementCredentialSchemaURL + "#"
	v := validator(t)
	tests := []struct {
		name string
		edit func(doc map[string]any)
		want []Problem
	}{
		{
			name: "missing issuer",
			edit: func(d map[string]any) { delete(d, "issuer") },
			want: []Problem{{"/issuer", "required", ac + "/required", `/issuer: required property is missing`}},
		},
		{
			name: "credentialSubject.type is a string",
			edit: func(d map[string]any) { obj(d["credentialSubject"])["type"] = "AchievementSubject" },
			want: []Problem{{"/credentialSubject/type", "type", ac + "/$defs/AchievementSubject/properties/type/type", "/credentialSubject/type: want an array, got a string"}},
		},
		{
			name: "month 13",
			edit: func(d map[string]any) { d["validFrom"] = "2010-13-01T00:00:00Z" },
			want: []Problem{{"/validFrom", "format", ac + "/properties/validFrom/format",
				`/validFrom: "2010-13-01T00:00:00Z" is not a valid date-time: invalid date element: parsing time "2010-13-01": month out of range`}},
		},
		{
			name: "date-time without time zone",
			edit: func(d map[string]any) { d["validUntil"] = "2030-01-01T00:00:00" },
			want: []Problem{{"/validUntil", "format", ac + "/properties/validUntil/format",
				`/validUntil: "2030-01-01T00:00:00" is not a valid date-time: less than 20 characters long`}},
		},
		{
			name: "Image with an extra property",
			edit: func(d map[string]any) {
				obj(obj(d["credentialSubject"])["achievement"])["image"] = map[string]any{
					"id": "https://example.com/badge.png", "type": "Image", "caption": "Badge", "alt": "x",
				}
			},
			want: []Problem{{"/credentialSubject/achievement/image/alt", "additionalProperties", ac + "/$defs/Image/additionalProperties",
				`/credentialSubject/achievement/image/alt: property "alt" is not allowed`}},
		},
		{
			name: "pointer escaping",
			edit: func(d map[string]any) {
				d["image"] = map[string]any{"id": "https://example.com/i.png", "type": "Image", "a/b~c": true}
			},
			want: []Problem{{"/image/a~1b~0c", "additionalProperties", ac + "/$defs/Image/additionalProperties",
				`/image/a~1b~0c: property "a/b~c" is not allowed`}},
		},
		{
			name: "identityType email",
			edit: func(d map[string]any) {
				obj(d["credentialSubject"])["identifier"] = []any{map[string]any{
					"type": "IdentityObject", "hashed": false, "identityHash": "a@example.com", "identityType": "email",
				}}
			},
			want: []Problem{{"/credentialSubject/identifier/0/identityType", "oneOf", ac + "/$defs/IdentityObject/properties/identityType/oneOf",
				`/credentialSubject/identifier/0/identityType: matches none of the alternatives: ` +
					`want one of "name", "sourcedId", "systemId", "productId", "userName", "accountId", "emailAddress", ` +
					`"nationalIdentityNumber", "isbn", "issn", "lisSourcedId", "oneRosterSourcedId", "sisSourcedId", ` +
					`"ltiContextId", "ltiDeploymentId", "ltiToolId", "ltiPlatformId", "ltiUserId", "identifier", got "email"; ` +
					`or "email" does not match the pattern "(ext:)[a-z|A-Z|0-9|.|-|_]+"`}},
		},
		{
			name: "issuer object without id (oneOf resolved to Profile)",
			edit: func(d map[string]any) { delete(obj(d["issuer"]), "id") },
			want: []Problem{{"/issuer/id", "required", ac + "/$defs/Profile/required", `/issuer/id: required property is missing`}},
		},
		{
			name: "issuer of the wrong type (oneOf of types)",
			edit: func(d map[string]any) { d["issuer"] = []any{"https://example.com/issuers/876543"} },
			want: []Problem{{"/issuer", "oneOf", ac + "/$defs/ProfileRef/oneOf", "/issuer: want a string or an object, got an array"}},
		},
		{
			name: "issuer string is fine",
			edit: func(d map[string]any) { d["issuer"] = "https://example.com/issuers/876543" },
		},
		{
			name: "type lacks VerifiableCredential",
			edit: func(d map[string]any) { d["type"] = []any{"OpenBadgeCredential"} },
			want: []Problem{{"/type", "contains", ac + "/properties/type/allOf/0/contains", `/type: want an array containing "VerifiableCredential"`}},
		},
		{
			name: "type is a string (allOf duplicates reported once)",
			edit: func(d map[string]any) { d["type"] = "OpenBadgeCredential" },
			want: []Problem{{"/type", "type", ac + "/properties/type/allOf/0/type", "/type: want an array, got a string"}},
		},
		{
			name: "one context",
			edit: func(d map[string]any) { d["@context"] = []any{"https://www.w3.org/ns/credentials/v2"} },
			want: []Problem{{"/@context", "minItems", ac + "/properties/@context/minItems", "/@context: want at least 2 items, got 1"}},
		},
		{
			name: "wrong OB context",
			edit: func(d map[string]any) {
				d["@context"] = []any{"https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.jsonld"}
			},
			want: []Problem{{"/@context/1", "pattern", ac + "/properties/@context/items/1/pattern",
				`/@context/1: "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.jsonld" does not match the pattern "^https:\\/\\/purl\\.imsglobal\\.org\\/spec\\/ob\\/v3p0\\/context(-3\\.\\d\\.\\d)*\\.json$"`}},
		},
		{
			name: "several problems, sorted by pointer then keyword",
			edit: func(d map[string]any) {
				delete(d, "validFrom")
				delete(d, "issuer")
				d["id"] = 5
				delete(obj(obj(d["credentialSubject"])["achievement"]), "criteria")
				obj(d["credentialSubject"])["type"] = []any{}
			},
			want: []Problem{
				{"/credentialSubject/achievement/criteria", "required", ac + "/$defs/Achievement/required", `/credentialSubject/achievement/criteria: required property is missing`},
				{"/credentialSubject/type", "contains", ac + "/$defs/AchievementSubject/properties/type/contains", `/credentialSubject/type: want an array containing an item that matches the contains schema`},
				{"/credentialSubject/type", "minItems", ac + "/$defs/AchievementSubject/properties/type/minItems", `/credentialSubject/type: want at least 1 item, got 0`},
				{"/id", "type", ac + "/properties/id/type", "/id: want a string, got a number"},
				{"/issuer", "required", ac + "/required", `/issuer: required property is missing`},
				{"/validFrom", "required", ac + "/required", `/validFrom: required property is missing`},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := v.Validate(AchievementCredentialSchemaURL, edit(t, tt.edit))
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Validate = %v, want *ValidationError", err)
			}
			if ve.SchemaURL != AchievementCredentialSchemaURL {
				t.Errorf("SchemaURL = %q", ve.SchemaURL)
			}
			if diff := cmp.Diff(tt.want, ve.Problems); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidationErrorMessage(t *testing.T) {
	tests := []struct {
		problems []Problem
		want     string
	}{
		{[]Problem{{Message: "/a: x"}}, "schema: document does not match S: /a: x"},
		{[]Problem{{Message: "/a: x"}, {Message: "/b: y"}}, "schema: document does not match S: /a: x (and 1 more problem)"},
		{[]Problem{{Message: "/a: x"}, {Message: "/b: y"}, {Message: "/c: z"}}, "schema: document does not match S: /a: x (and 2 more problems)"},
		{nil, "schema: document does not match S"},
	}
	for _, tt := range tests {
		if got := (&ValidationError{SchemaURL: "S", Problems: tt.problems}).Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

// TestValidateKeywords covers keywords the OB schemas do not use, with
// schemas given in ValidatorOptions.Extra.
func TestValidateKeywords(t *testing.T) {
	const base = "https://example.org/schemas/"
	schemas := map[string]string{
		"oneof":   `{"oneOf": [{"type": "string"}, {"maxLength": 5}]}`,
		"anyof":   `{"anyOf": [{"type": "string", "minLength": 3}, {"type": "string", "pattern": "^x"}]}`,
		"anyof1":  `{"anyOf": [{"type": "integer"}, {"type": "string", "enum": ["a"]}]}`,
		"nested":  `{"oneOf": [{"type": "string"}, {"type": "object", "properties": {"k": {"oneOf": [{"type": "integer"}, {"type": "object", "required": ["z"]}]}}}]}`,
		"numbers": `{"type": "array", "items": [{"minimum": 1}, {"exclusiveMaximum": 2.5}, {"multipleOf": 2}], "uniqueItems": true, "maxItems": 3}`,
		"misc":    `{"type": "object", "properties": {"c": {"const": "k"}, "n": {"not": {"type": "null"}}, "f": false, "d": {"type": "string", "format": "date"}}, "propertyNames": {"maxLength": 3}, "dependentRequired": {"c": ["n"]}, "minProperties": 1}`,
		"ref":     `{"$ref": "` + AchievementCredentialSchemaURL + `#/$defs/Profile"}`,
		"objs":    `{"oneOf": [{"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}, "c": {"type": "string"}, "d": {"type": "string"}}}, {"type": "object", "required": ["z"]}]}`,
	}
	extra := map[string][]byte{}
	for k, s := range schemas {
		extra[base+k] = []byte(s)
	}
	v, err := NewValidator(ValidatorOptions{Extra: extra})
	if err != nil {
		t.Fatal(err)
	}
	const ac = AchievementCredentialSchemaURL + "#"
	tests := []struct {
		schema string
		doc    string
		want   []Problem
	}{
		{"oneof", `"abc"`, []Problem{{"", "oneOf", base + "oneof#/oneOf", "(root): matches alternatives 0 and 1, but must match exactly one"}}},
		{"oneof", `"abcdef"`, nil},
		{"anyof", `"yy"`, []Problem{{"", "anyOf", base + "anyof#/anyOf", `(root): matches none of the choices: want at least 3 characters, got 2; or "yy" does not match the pattern "^x"`}}},
		{"anyof1", `"b"`, []Problem{{"", "enum", base + "anyof1#/anyOf/1/enum", `(root): want "a", got "b"`}}},
		{"anyof1", `1.5`, []Problem{{"", "anyOf", base + "anyof1#/anyOf", `(root): want an integer or a string, got a number`}}},
		{"nested", `{"k": {}}`, []Problem{{"/k/z", "required", base + "nested#/oneOf/1/properties/k/oneOf/1/required", `/k/z: required property is missing`}}},
		{"nested", `{"k": true}`, []Problem{{"/k", "oneOf", base + "nested#/oneOf/1/properties/k/oneOf", `/k: want an integer or an object, got a boolean`}}},
		{"numbers", `[0, 2.5, 3, 4]`, []Problem{
			{"", "maxItems", base + "numbers#/maxItems", "(root): want at most 3 items, got 4"},
			{"/0", "minimum", base + "numbers#/items/0/minimum", "/0: want a number ≥ 1, got 0"},
			{"/1", "exclusiveMaximum", base + "numbers#/items/1/exclusiveMaximum", "/1: want a number < 2.500000, got 2.500000"},
			{"/2", "multipleOf", base + "numbers#/items/2/multipleOf", "/2: want a multiple of 2, got 3"},
		}},
		{"numbers", `[1, 1]`, []Problem{{"", "uniqueItems", base + "numbers#/uniqueItems", "(root): items 0 and 1 are equal, but items must be unique"}}},
		{"misc", `{}`, []Problem{{"", "minProperties", base + "misc#/minProperties", "(root): want at least 1 property, got 0"}}},
		{"misc", `{"c": "x", "f": 1, "d": "2024-02-30", "long": 1}`, []Problem{
			{"", "dependentRequired", base + "misc#/dependentRequired/c", `(root): property "c" requires "n"`},
			{"", "propertyNames", base + "misc#/propertyNames", `(root): property name "long" is not allowed`},
			{"/c", "const", base + "misc#/properties/c/const", `/c: want "k", got "x"`},
			{"/d", "format", base + "misc#/properties/d/format", `/d: "2024-02-30" is not a valid date: parsing time "2024-02-30": day out of range`},
			{"/f", "false", base + "misc#/properties/f", "/f: no value is allowed here"},
		}},
		{"misc", `{"n": null}`, []Problem{{"/n", "not", base + "misc#/properties/n/not", "/n: matches a schema it must not match"}}},
		{"objs", `{"d": 1, "c": 1, "b": 1, "a": 1}`, []Problem{{"", "oneOf", base + "objs#/oneOf",
			`(root): matches none of the alternatives: /a: want a string, got a number, /b: want a string, got a number, /c: want a string, got a number, and 1 more; or /z: required property is missing`}}},
		{"ref", `{"id": "x", "type": ["Profile"]}`, nil},
		{"ref", `{"id": "x", "type": "Profile"}`, []Problem{{"/type", "type", ac + "/$defs/Profile/properties/type/type", "/type: want an array, got a string"}}},
	}
	for _, tt := range tests {
		t.Run(tt.schema+" "+tt.doc, func(t *testing.T) {
			// Repeated: jsonschema reports properties in map order, and
			// the output must not depend on it.
			for range 20 {
				err := v.Validate(base+tt.schema, []byte(tt.doc))
				var got []Problem
				var ve *ValidationError
				if errors.As(err, &ve) {
					got = ve.Problems
				} else if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Fatalf("problems (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestValidatorOptionsRefused(t *testing.T) {
	tests := []struct {
		name    string
		extra   map[string][]byte
		wantErr string
		wantIs  error
	}{
		{"override purl URL", map[string][]byte{AchievementCredentialSchemaURL: []byte(`{}`)}, "would override an embedded schema", nil},
		{"override $id", map[string][]byte{"https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_profile-jsonschema1.json": []byte(`{}`)}, "would override an embedded schema", nil},
		{"not JSON", map[string][]byte{"https://example.org/s": []byte(`{`)}, `extra schema "https://example.org/s"`, nil},
		{"relative URL", map[string][]byte{"s.json": []byte(`{}`)}, "not an absolute URL", nil},
		{"fragment", map[string][]byte{"https://example.org/s#x": []byte(`{}`)}, "URL has a fragment", nil},
		{"invalid schema", map[string][]byte{"https://example.org/s": []byte(`{"type": 5}`)}, `compiling "https://example.org/s"`, nil},
		{"unknown reference", map[string][]byte{"https://example.org/s": []byte(`{"$ref": "https://example.org/elsewhere.json"}`)}, `unknown JSON Schema "https://example.org/elsewhere.json"`, ErrUnknownSchema},
		{"file reference", map[string][]byte{"https://example.org/s": []byte(`{"$ref": "file:///etc/passwd"}`)}, `unknown JSON Schema "file:///etc/passwd"`, ErrUnknownSchema},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewValidator(ValidatorOptions{Extra: tt.extra})
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("NewValidator = %v, want an error containing %q", err, tt.wantErr)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("NewValidator = %v, does not wrap %v", err, tt.wantIs)
			}
		})
	}
}

func TestValidateUnknownSchema(t *testing.T) {
	v := validator(t)
	for _, u := range []string{
		"https://example.org/schema.json",
		"http://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
		AchievementCredentialSchemaURL + "#",
		AchievementCredentialSchemaURL + "/",
		"ob_v3p0_achievementcredential_schema.json",
		"",
	} {
		err := v.Validate(u, []byte(`{}`))
		var use *UnknownSchemaError
		if !errors.As(err, &use) || use.URL != u || !errors.Is(err, ErrUnknownSchema) {
			t.Errorf("Validate(%q) = %v, want *UnknownSchemaError wrapping ErrUnknownSchema", u, err)
		}
		if err := v.ValidateValue(u, map[string]any{}); !errors.Is(err, ErrUnknownSchema) {
			t.Errorf("ValidateValue(%q) = %v, want ErrUnknownSchema", u, err)
		}
	}
}

func TestValidateBadJSON(t *testing.T) {
	v := validator(t)
	for _, in := range []string{``, ` `, `{`, `{"a" 1}`, `{} {}`, `[1,]`, `{"a": 1}x`, `nul`, "\xff"} {
		err := v.Validate(AchievementCredentialSchemaURL, []byte(in))
		var ve *ValidationError
		if err == nil || errors.As(err, &ve) || !strings.HasPrefix(err.Error(), "schema: decoding document: ") {
			t.Errorf("Validate(%q) = %v, want a decoding error", in, err)
		}
	}
	var se *json.SyntaxError
	if err := v.Validate(AchievementCredentialSchemaURL, []byte(`{"a" 1}`)); !errors.As(err, &se) {
		t.Errorf("Validate(syntax error) = %v, want a *json.SyntaxError", err)
	}
}

func TestValidateExactNumbers(t *testing.T) {
	v, err := NewValidator(ValidatorOptions{Extra: map[string][]byte{
		"https://example.org/int": []byte(`{"type": "integer", "maximum": 9007199254740993}`),
	}})
	if err != nil {
		t.Fatal(err)
	}
	// 9007199254740993 is not representable as a float64; decoded as a
	// float64 it would round to ...992 and wrongly pass.
	for _, tt := range []struct {
		doc   string
		valid bool
	}{
		{`9007199254740993`, true},
		{`9007199254740994`, false},
		{`1.0`, true},
		{`1.5`, false},
	} {
		if err := v.Validate("https://example.org/int", []byte(tt.doc)); (err == nil) != tt.valid {
			t.Errorf("Validate(%s) = %v, want valid %v", tt.doc, err, tt.valid)
		}
	}
}

func TestValidateValue(t *testing.T) {
	v := validator(t)
	data := readFile(t, "testdata/spec/complete-openbadgecredential.json")

	var plain any
	if err := json.Unmarshal(data, &plain); err != nil {
		t.Fatal(err)
	}
	var exact any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&exact); err != nil {
		t.Fatal(err)
	}
	for name, doc := range map[string]any{"float64": plain, "json.Number": exact} {
		before := fmt.Sprint(doc)
		if err := v.ValidateValue(AchievementCredentialSchemaURL, doc); err != nil {
			t.Errorf("%s: ValidateValue: %v", name, err)
		}
		if fmt.Sprint(doc) != before {
			t.Errorf("%s: ValidateValue modified the document", name)
		}
	}

	// The same problems as Validate.
	bad := edit(t, func(d map[string]any) { obj(d["credentialSubject"])["type"] = "AchievementSubject" })
	var badDoc any
	if err := json.Unmarshal(bad, &badDoc); err != nil {
		t.Fatal(err)
	}
	err1 := v.Validate(AchievementCredentialSchemaURL, bad)
	err2 := v.ValidateValue(AchievementCredentialSchemaURL, badDoc)
	if diff := cmp.Diff(err1, err2); diff != "" {
		t.Errorf("Validate and ValidateValue disagree (-Validate +ValidateValue):\n%s", diff)
	}

	cyclic := map[string]any{}
	cyclic["self"] = cyclic
	type profile struct{ ID string }
	for _, tt := range []struct {
		name    string
		doc     any
		wantErr string
	}{
		{"struct", profile{ID: "x"}, `value at "" has Go type schema.profile`},
		{"map[string]string", map[string]any{"issuer": map[string]string{"id": "x"}}, `value at "/issuer" has Go type map[string]string`},
		{"[]string", map[string]any{"type": []string{"x"}}, `value at "/type" has Go type []string`},
		{"NaN", map[string]any{"a": []any{1, math.NaN()}}, `value at "/a/1" is NaN`},
		{"Inf", map[string]any{"a~/b": math.Inf(1)}, `value at "/a~0~1b" is +Inf`},
		{"bad json.Number", map[string]any{"n": json.Number("12abc")}, `value at "/n" is "12abc", not a JSON number`},
		{"cyclic", cyclic, "nested more than 1000 levels deep"},
	} {
		err := v.ValidateValue(AchievementCredentialSchemaURL, tt.doc)
		var ve *ValidationError
		if err == nil || errors.As(err, &ve) || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%s: ValidateValue = %v, want an error containing %q", tt.name, err, tt.wantErr)
		}
	}
	// Go numeric types are numbers.
	for _, n := range []any{3, int8(3), uint64(3), float32(2.5), 2.5, json.Number("2.50")} {
		var d map[string]any
		if err := json.Unmarshal(data, &d); err != nil {
			t.Fatal(err)
		}
		obj(d["credentialSubject"])["creditsEarned"] = n
		if err := v.ValidateValue(AchievementCredentialSchemaURL, d); err != nil {
			t.Errorf("creditsEarned %T: %v", n, err)
		}
		obj(d["credentialSubject"])["creditsEarned"] = "3"
		if err := v.ValidateValue(AchievementCredentialSchemaURL, d); err == nil {
			t.Errorf("creditsEarned string passed")
		}
	}
}

func TestValidatorFetcher(t *testing.T) {
	const (
		remote = "https://example.org/remote.json"
		other  = "https://example.org/other.json"
	)
	ff := &fakeFetcher{docs: map[string][]byte{
		remote:                         []byte(`{"type": "object", "required": ["x"], "properties": {"p": {"$ref": "other.json"}, "q": {"$ref": "` + AchievementCredentialSchemaURL + `#/$defs/Image"}}}`),
		other:                          []byte(`{"type": "string"}`),
		"https://example.org/bad.json": []byte(`{`),
	}}
	v, err := NewValidator(ValidatorOptions{Fetcher: ff})
	if err != nil {
		t.Fatal(err)
	}
	// Embedded schemas never reach the fetcher.
	if err := v.Validate(AchievementCredentialSchemaURL, readFile(t, "testdata/spec/basic-openbadgecredential.json")); err != nil {
		t.Fatal(err)
	}
	if calls := ff.Calls(); len(calls) != 0 {
		t.Fatalf("fetcher called for an embedded schema: %q", calls)
	}

	want := []Problem{
		{"/p", "type", other + "#/type", "/p: want a string, got a number"},
		{"/q/type", "required", AchievementCredentialSchemaURL + "#/$defs/Image/required", `/q/type: required property is missing`},
		{"/x", "required", remote + "#/required", `/x: required property is missing`},
	}
	for i := 0; i < 3; i++ {
		err := v.Validate(remote, []byte(`{"p": 1, "q": {"id": "x"}}`))
		var ve *ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("Validate = %v, want *ValidationError", err)
		}
		if diff := cmp.Diff(want, ve.Problems); diff != "" {
			t.Errorf("problems (-want +got):\n%s", diff)
		}
	}
	if diff := cmp.Diff([]string{remote, other}, ff.Calls()); diff != "" {
		t.Errorf("fetch calls (-want +got):\n%s", diff)
	}

	for _, tt := range []struct {
		url  string
		want string
		is   error
	}{
		{"https://example.org/missing.json", `fetching JSON Schema "https://example.org/missing.json"`, errNotFound},
		{"https://example.org/bad.json", `fetched JSON Schema "https://example.org/bad.json"`, nil},
		{"relative.json", "not an absolute URL", ErrUnknownSchema},
	} {
		err := v.Validate(tt.url, []byte(`{}`))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Validate(%q) = %v, want an error containing %q", tt.url, err, tt.want)
		}
		if tt.is != nil && !errors.Is(err, tt.is) {
			t.Errorf("Validate(%q) = %v, does not wrap %v", tt.url, err, tt.is)
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := v.ValidateContext(ctx, "https://example.org/ctx.json", []byte(`{}`)); !errors.Is(err, context.Canceled) {
		t.Errorf("ValidateContext(canceled) = %v, want context.Canceled", err)
	}
	if err := v.ValidateValueContext(ctx, "https://example.org/ctx2.json", map[string]any{}); !errors.Is(err, context.Canceled) {
		t.Errorf("ValidateValueContext(canceled) = %v, want context.Canceled", err)
	}
}

func TestValidatorConcurrent(t *testing.T) {
	ff := &fakeFetcher{docs: map[string][]byte{"https://example.org/s.json": []byte(`{"type": "string"}`)}}
	v, err := NewValidator(ValidatorOptions{Fetcher: ff})
	if err != nil {
		t.Fatal(err)
	}
	good := readFile(t, "testdata/spec/complete-openbadgecredential.json")
	bad := edit(t, func(d map[string]any) { delete(d, "issuer") })
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 5; j++ {
				if err := v.Validate(AchievementCredentialSchemaURL, good); err != nil {
					t.Error(err)
				}
				if err := v.Validate(AchievementCredentialSchemaURL, bad); err == nil {
					t.Error("invalid document passed")
				}
				if err := v.Validate("https://example.org/s.json", []byte(`"x"`)); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if n := len(ff.Calls()); n != 1 {
		t.Errorf("schema fetched %d times, want 1", n)
	}
}

func TestComparePointers(t *testing.T) {
	in := []string{"/b", "/a/10", "", "/a/2", "/a", "/a/b", "/a/2/x", "/-"}
	want := []string{"", "/-", "/a", "/a/2", "/a/2/x", "/a/10", "/a/b", "/b"}
	got := slices.SortedFunc(slices.Values(in), comparePointers)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pointer order (-want +got):\n%s", diff)
	}
	for _, tt := range []struct {
		path []string
		want string
	}{
		{nil, ""},
		{[]string{""}, "/"},
		{[]string{"a/b", "m~n", "~1"}, "/a~1b/m~0n/~01"},
	} {
		if got := pointer(tt.path); got != tt.want {
			t.Errorf("pointer(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
}
